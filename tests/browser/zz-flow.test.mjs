// A plan from draft to approved, in a real (headless) Chromium, as the people who do it:
// the unit manager writes a unit goal with its texts, adds an indicator and an activity,
// selects a board activity, marks parts ready, fixes what the plan check lists and
// submits; the controller returns it with a comment; the manager sees the comment, fixes
// and resubmits; the controller approves; the plan is read-only for its writer, and a
// signed-out visitor now sees it. The plan check and the start page pass axe-core.
//
// It leaves the manager's 2026 plan approved, so scripts/browser-tests runs this file
// last, after the tests that write in that draft.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, base, demoAccounts, orgTree, newPage, axeViolations } from './demo.mjs';

let browser;
let accounts;
let unit;

before(async () => {
  browser = await launch();
  accounts = await demoAccounts(browser);
  unit = (await orgTree(browser)).get(accounts.unit_manager.scope)?.href;
  assert.ok(unit, "the unit manager's unit is on the start page");
});

after(async () => {
  await browser?.close();
});

/// Clicks and waits for the page it leads to; returns the answer.
async function go(page, locator) {
  const [res] = await Promise.all([page.waitForNavigation(), locator.click()]);
  return res;
}

async function noViolations(page, what) {
  const found = await axeViolations(page);
  assert.deepEqual(found, [], `${what}:\n${found.join('\n')}`);
}

test('a plan goes from draft to approved and becomes public', async () => {
  const plan = base + `${unit}/planer/2026`;
  const manager = await newPage(browser, { account: accounts.unit_manager, bypassCSP: true });
  await manager.goto(plan);

  // A unit goal under the board's, with its texts.
  await go(manager, manager.getByRole('link', { name: /^Lägg till enhetsmål under / }).first());
  const title = `Fler brukare deltar i sin planering ${Date.now()}`;
  await manager.getByLabel('Målets titel').fill(title);
  await manager.getByLabel('Förväntat resultat').fill('Alla brukare har en plan de själva varit med och tagit fram.');
  await manager.getByLabel('Uppföljning').fill('Enhetschefen följer upp varje tertial.');
  await go(manager, manager.getByRole('button', { name: 'Lägg till målet' }));
  const goalId = manager.url().match(/#mal-(\d+)$/)?.[1];
  assert.ok(goalId, `back on the plan at the new goal: ${manager.url()}`);
  const goal = manager.locator(`section:has(> #mal-${goalId})`);

  // An indicator with its target, and an activity.
  await go(manager, goal.getByRole('link', { name: `Lägg till indikator för ${title}` }));
  await manager.getByLabel('Indikatorns namn').fill('Andel brukare som deltagit i sin planering');
  await manager.getByLabel('Årsmål').fill('85 %');
  await go(manager, manager.getByRole('button', { name: 'Lägg till' }));
  await go(manager, goal.getByRole('link', { name: `Lägg till aktivitet för ${title}` }));
  await manager.getByLabel('Aktivitet', { exact: true }).fill('Planeringssamtal med varje brukare');
  await manager.getByLabel('Startdatum').fill('2026-02-01');
  await manager.getByLabel('Slutdatum').fill('2026-06-30');
  await go(manager, manager.getByRole('button', { name: 'Lägg till' }));
  assert.ok(await goal.getByRole('link', { name: 'Andel brukare som deltagit i sin planering' }).isVisible());
  assert.ok(await goal.getByRole('link', { name: 'Planeringssamtal med varje brukare' }).isVisible());

  // A board activity the unit takes part in.
  await go(manager, manager.getByRole('link', { name: 'Välj nämndens mål, aktiviteter och indikatorer' }));
  const unchecked = manager.locator('input[name="aktivitet"]:not(:checked):not(:disabled)').first();
  const activityId = await unchecked.getAttribute('value');
  assert.ok(activityId, 'a board activity the plan has not selected yet');
  const activityTitle = await manager.locator(`label[for="akt-${activityId}"]`).evaluate((l) => l.firstChild.textContent.trim());
  await unchecked.check();
  await go(manager, manager.getByRole('button', { name: 'Spara urvalet' }));
  await manager.goto(plan);
  assert.ok(await manager.getByRole('rowheader', { name: activityTitle }).first().isVisible(), 'the selected board activity is on the plan');

  // Parts marked ready: the new goal, and a section.
  await go(manager, manager.getByRole('button', { name: `Markera som klar – Enhetsmål ${title}` }));
  assert.ok(await goal.locator('.ready-badge', { hasText: 'Klar' }).isVisible());
  const readyBefore = await manager.locator('#delar-klara').getAttribute('value');
  await go(manager, manager.getByRole('button', { name: /^Markera som klar – / }).first());
  assert.ok(Number(await manager.locator('#delar-klara').getAttribute('value')) > Number(readyBefore));

  // The check lists what blocks submitting; each error leads to where it is fixed.
  await go(manager, manager.getByRole('link', { name: 'Visa kontrollen av planen' }));
  await noViolations(manager, 'the plan check');
  const errors = manager.locator('.finding-error a');
  assert.ok(await errors.count() > 0, 'the demo draft has something to fix');
  while (await errors.count() > 0) {
    const text = await errors.first().textContent();
    assert.match(text, /saknar årsmål/, `an error this test knows how to fix: ${text}`);
    await go(manager, errors.first());
    const field = new URL(manager.url()).hash.slice(1);
    assert.match(field, /^arsmal-\d+$/, 'the error leads to the target field');
    await manager.locator(`#${field}`).fill('75 %');
    await go(manager, manager.getByRole('button', { name: 'Spara urvalet' }));
    await manager.goto(plan + '/kontroll');
  }
  assert.match(await manager.locator('main').textContent(), /0 fel|Inga fel/);

  // Submitted: the writers cannot change it while it is with the controller.
  await manager.goto(plan);
  await go(manager, manager.getByRole('button', { name: 'Skicka in planen' }));
  assert.equal(await manager.locator('.status strong').textContent(), 'Inskickad');
  assert.equal(await manager.getByRole('link', { name: `Redigera ${title}` }).count(), 0, 'no editing while submitted');

  // The controller returns it with a comment.
  const controller = await newPage(browser, { account: accounts.controller, bypassCSP: true });
  await controller.goto(base + '/');
  await noViolations(controller, 'the start page of the controller');
  await go(controller, controller.locator('.my-work').getByRole('link', { name: `Verksamhetsplan 2026 – ${accounts.unit_manager.scope}` }));
  const comment = `Beskriv hur brukarna görs delaktiga i uppföljningen ${Date.now()}.`;
  await controller.getByLabel('Kommentar till enheten (krävs): vad ska ändras?').fill(comment);
  await go(controller, controller.getByRole('button', { name: 'Återremittera planen' }));
  assert.equal(await controller.locator('.status strong').textContent(), 'Återremitterad');

  // The manager sees the comment, fixes the goal and resubmits.
  await manager.goto(base + '/');
  assert.ok(await manager.locator('.my-work').getByText(comment).isVisible(), 'the comment is on the start page');
  await noViolations(manager, 'the start page of the manager with a returned plan');
  await manager.goto(plan);
  await go(manager, manager.getByRole('link', { name: `Redigera ${title}` }));
  const followUp = manager.getByLabel('Uppföljning');
  await followUp.fill(`${await followUp.inputValue()}\nBrukarna är med på uppföljningsmötet.`);
  await go(manager, manager.getByRole('button', { name: 'Spara' }));
  await go(manager, manager.getByRole('button', { name: 'Skicka in planen' }));
  assert.equal(await manager.locator('.status strong').textContent(), 'Inskickad');

  // The controller approves.
  await controller.goto(plan);
  await go(controller, controller.getByRole('button', { name: 'Fastställ planen' }));
  assert.equal(await controller.locator('.status strong').textContent(), 'Fastställd');
  const steps = await controller.locator('ol.steps li').allTextContents();
  assert.ok(steps.some((s) => s.includes(comment)), 'the return and its comment are on the plan');

  // Read-only for its writer; public for everyone.
  await manager.goto(plan);
  assert.equal(await manager.getByRole('link', { name: `Redigera ${title}` }).count(), 0, 'an approved plan is read-only');
  assert.equal(await manager.getByRole('button', { name: /^Markera som klar/ }).count(), 0);
  const visitor = await newPage(browser);
  const res = await visitor.goto(plan);
  assert.equal(res.status(), 200);
  assert.ok(await visitor.getByRole('heading', { name: new RegExp(title) }).isVisible(), 'the visitor reads the approved plan');
  for (const p of [manager, controller, visitor]) await p.context().close();
});

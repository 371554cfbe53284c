// A first tertial report from nothing to approved, in a real (headless) Chromium, as the
// people who write and approve it: the unit manager creates T1 2025 from the unit's
// approved 2025 plan, assesses a goal beside the suggestion, enters an outcome with women
// and men, reports an activity as a deviation with its analysis (refused first without
// one), checks and submits; the controller finds it under "Mitt arbete" and approves it;
// a visitor then reads it. Every new kind of page passes axe-core on the way: the offer to
// create, the writing page, an item's own page with an error, the check, the history, the
// economy of the next report with an error, a report section's edit page.
//
// It writes only in 2025's reports, which no other browser test touches.
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

test('a T1 is written, submitted and approved', async () => {
  const report = base + `${unit}/rapporter/2025/t1`;
  const manager = await newPage(browser, { account: accounts.unit_manager, bypassCSP: true });

  // Not made yet: the address offers to make it from the approved plan.
  let res = await manager.goto(report);
  if (res.status() === 404) {
    await noViolations(manager, 'the offer to create a report');
    await go(manager, manager.getByRole('button', { name: 'Skapa tertialrapport 1 2025' }));
  }
  assert.equal(new URL(manager.url()).pathname, `${unit}/rapporter/2025/t1`);
  assert.equal(await manager.locator('.status strong').first().textContent(), 'Utkast');
  await noViolations(manager, 'the report being written');

  // An assessment, beside the suggestion and its reasons.
  const block = manager.locator('.followup-block').first();
  const assessment = block.locator('form');
  const goalAction = await assessment.getAttribute('action');
  assert.match(await block.locator('.suggestion').textContent(), /Förslag utifrån utfall och aktiviteter/);
  await assessment.locator('select[name="bedomning"]').selectOption('partly_met');
  await assessment.locator('textarea[name="analys"]').fill('Hälften av indikatorerna når årsmålet; brukarråden har kommit i gång.');
  await go(manager, assessment.getByRole('button', { name: /^Spara bedömningen/ }));
  assert.ok(await manager.getByText('Bedömningen är sparad.').isVisible());
  assert.equal(await manager.locator(`form[action="${goalAction}"] select[name="bedomning"]`).inputValue(), 'partly_met');

  // An outcome with women and men; the status against the target is computed.
  const outcome = manager.locator('form.outcome-form:has(input[name="kvinnor"])').first();
  const outcomeAction = await outcome.getAttribute('action');
  await outcome.locator('input[name="utfall"]').fill('40');
  await outcome.locator('input[name="kvinnor"]').fill('22');
  await outcome.locator('input[name="man"]').fill('18');
  await outcome.locator('textarea[name="analys"]').fill('Fler kvinnor än män deltar.');
  await go(manager, outcome.getByRole('button', { name: /^Spara utfallet/ }));
  const saved = manager.locator(`form[action="${outcomeAction}"]`);
  assert.equal(await saved.locator('input[name="kvinnor"]').inputValue(), '22');
  assert.equal(await saved.locator('input[name="man"]').inputValue(), '18');

  // A deviation: refused without an analysis (its own page, what was chosen kept), then saved.
  const activity = manager.locator('form.activity-form').first();
  const activityAction = await activity.getAttribute('action');
  await activity.locator('select[name="status"]').selectOption('deviation');
  await activity.locator('textarea[name="analys"]').fill('');
  res = await go(manager, activity.getByRole('button', { name: /^Spara status/ }));
  assert.equal(res.status(), 422);
  assert.ok(await manager.locator('.error-summary').isVisible());
  assert.match(await manager.locator('.error-summary').textContent(), /Beskriv avvikelsen/);
  assert.equal(await manager.locator('select[name="status"]').inputValue(), 'deviation');
  await noViolations(manager, "an activity's page with an error");
  await manager.locator('textarea[name="analys"]').fill('Aktiviteten flyttades till hösten: en tjänst var vakant under våren.');
  await go(manager, manager.getByRole('button', { name: 'Spara' }));
  assert.equal(await manager.locator(`form[action="${activityAction}"] select[name="status"]`).inputValue(), 'deviation');

  // The check: no errors left; its page and the history pass axe.
  await go(manager, manager.getByRole('link', { name: 'Visa kontrollen av rapporten' }));
  await noViolations(manager, 'the report check');
  assert.equal(await manager.locator('.finding-error').count(), 0, await manager.locator('main').textContent());
  await manager.goto(report);
  await go(manager, manager.locator('.workflow').getByRole('link', { name: 'Historik' }));
  assert.match(await manager.locator('main').textContent(), /Skrev bedömningen av/);
  await noViolations(manager, "the report's history");
  await manager.goto(report + '/avsnitt/sammanfattande-analys');
  await noViolations(manager, "a report section's edit page");
  await manager.goto(base + goalAction);
  await noViolations(manager, "a goal's assessment on its own page");

  // Submitted: locked for its writers while it is with the controller.
  await manager.goto(report);
  await go(manager, manager.getByRole('button', { name: 'Skicka in rapporten' }));
  assert.equal(await manager.locator('.status strong').first().textContent(), 'Inskickad');
  assert.equal(await manager.getByRole('button', { name: /^Spara bedömningen/ }).count(), 0, 'no writing while submitted');

  // The controller finds it under "Mitt arbete" and approves it.
  const controller = await newPage(browser, { account: accounts.controller, bypassCSP: true });
  await controller.goto(base + '/');
  await noViolations(controller, 'the start page of the controller with a report to approve');
  await go(controller, controller.locator('.my-work').getByRole('link', { name: `Tertialrapport 1 2025 – ${accounts.unit_manager.scope}` }));
  await noViolations(controller, 'the submitted report as the controller sees it');
  await go(controller, controller.getByRole('button', { name: 'Fastställ rapporten' }));
  assert.equal(await controller.locator('.status strong').first().textContent(), 'Fastställd');

  // Public now, as approved; the assessment and the deviation are in it.
  const visitor = await newPage(browser, { bypassCSP: true });
  res = await visitor.goto(report);
  assert.equal(res.status(), 200);
  const text = await visitor.locator('main').textContent();
  assert.match(text, /Uppfylls delvis/);
  assert.match(text, /Aktiviteten flyttades till hösten/);
  await noViolations(visitor, 'the approved report');

  // The next report is offered on the manager's start page; its economy refuses "ca 300 tkr".
  await manager.goto(base + '/');
  await noViolations(manager, 'the start page of the manager with reports');
  await go(manager, manager.locator('.my-work').getByRole('button', { name: /^Skapa tertialrapport 2 2025/ }));
  assert.match(await manager.locator('main').textContent(), /Förifyllt från tertialrapport 1/);
  await noViolations(manager, 'a report prefilled from the one before');
  await go(manager, manager.locator('#ekonomi').locator('xpath=..').getByRole('link', { name: /^Skriv/ }));
  await noViolations(manager, 'the economy');
  await manager.locator('input[name^="budget-"]').first().fill('ca 300 tkr');
  res = await go(manager, manager.getByRole('button', { name: 'Spara' }));
  assert.equal(res.status(), 422);
  assert.match(await manager.locator('.error-summary').textContent(), /”ca 300 tkr” är inget belopp/);
  assert.equal(await manager.locator('input[name^="budget-"]').first().inputValue(), 'ca 300 tkr');
  await noViolations(manager, 'the economy with an error');
  await manager.locator('input[name^="budget-"]').first().fill('300 tkr');
  await go(manager, manager.getByRole('button', { name: 'Spara' }));
  assert.ok(await manager.getByText('Ekonomin är sparad.').isVisible());

  for (const p of [manager, controller, visitor]) await p.context().close();
});

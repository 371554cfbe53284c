// A first tertial report from draft to approved, in a real (headless) Chromium, as the
// people who write and approve it: the unit manager writes T1 2025 (created from the
// unit's approved 2025 plan when the demo has none; the demo's own T1 2025 is approved, so
// an administrator first opens it again with a reason), assesses a goal beside the
// suggestion, enters an outcome with women and men, reports an activity as a deviation
// with its analysis (refused first without one), checks and submits; the controller finds
// it under "Mitt arbete" and approves it, and then sees it in the department's roll-up
// (found through the org tree): the unit's row approved, the goal's cell with the
// manager's assessment (symbol and word) leading to the goal in the report, the unit's
// analysis on the roll-up's page of the goal, the new outcome in the indicator's history;
// the board's editor writes the board's own assessment of the goal; a visitor reads the
// report. Every new kind of page passes axe-core on the way: the offer to create, the
// writing page, an item's own page with an error, the check, the history, the economy of
// the next report with an error, a report section's edit page, the roll-up, a goal's
// page of the roll-up (read, and with the form), an indicator's history with its chart.
//
// It writes only in 2025's reports, which no other browser test touches.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, base, demoAccounts, orgTree, newPage, axeViolations } from './demo.mjs';

let browser;
let accounts;
let unit;
/// The unit manager's unit and the nodes above it, by name: the unit first.
let chain;

before(async () => {
  browser = await launch();
  accounts = await demoAccounts(browser);
  const node = (await orgTree(browser)).get(accounts.unit_manager.scope);
  unit = node?.href;
  chain = node?.chain;
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

/// The status the workflow box shows.
async function status(page) {
  return (await page.locator('.status strong').first().textContent()).trim();
}

const squeeze = (t) => t.replace(/\s+/g, ' ').trim();

/// Opens the manager's report at `href` for writing: makes it from the approved plan
/// when it is not made yet (the offer on its address, `button`), or, when it is approved
/// (the demo's 2025 reports are), has an administrator open it again with a reason.
/// Returns whether it was made here.
async function openForWriting(manager, href, button) {
  const res = await manager.goto(href);
  if (res.status() === 404) {
    await noViolations(manager, 'the offer to create a report');
    await go(manager, manager.getByRole('button', { name: button }));
    return true;
  }
  if (await status(manager) === 'Fastställd') {
    const admin = await newPage(browser, { account: accounts.admin, bypassCSP: true });
    await admin.goto(href);
    const reopen = admin.locator('form.step:has(input[name="to"][value="draft"])');
    await reopen.getByLabel(/^Motivering/).fill('Enheten rättar uppföljningen efter en genomgång med controllern.');
    await go(admin, reopen.getByRole('button', { name: 'Öppna rapporten igen' }));
    assert.equal(await status(admin), 'Utkast');
    await admin.context().close();
    await manager.goto(href);
  }
  return false;
}

test('a T1 is written, submitted and approved, and shows in the roll-up', async () => {
  const report = base + `${unit}/rapporter/2025/t1`;
  const manager = await newPage(browser, { account: accounts.unit_manager, bypassCSP: true });

  let res;
  await openForWriting(manager, report, 'Skapa tertialrapport 1 2025');
  assert.equal(new URL(manager.url()).pathname, `${unit}/rapporter/2025/t1`);
  assert.equal(await status(manager), 'Utkast');
  await noViolations(manager, 'the report being written');

  // An assessment, beside the suggestion and its reasons: another than the one it had.
  const block = manager.locator('.followup-block').first();
  const assessment = block.locator('form');
  const goalAction = await assessment.getAttribute('action');
  const goal = goalAction.match(/\/mal\/(\d+)$/)?.[1];
  assert.ok(goal, goalAction);
  assert.match(await block.locator('.suggestion').textContent(), /Förslag utifrån utfall och aktiviteter/);
  const choice = assessment.locator('select[name="bedomning"]');
  assert.notEqual(await choice.inputValue(), 'met', 'the goal is not assessed as met before');
  const chosen = squeeze(await choice.locator('option[value="met"]').textContent());
  await choice.selectOption('met');
  const analysis = 'Båda indikatorerna når årsmålet; brukarråden har kommit i gång.';
  await assessment.locator('textarea[name="analys"]').fill(analysis);
  await go(manager, assessment.getByRole('button', { name: /^Spara bedömningen/ }));
  assert.ok(await manager.getByText('Bedömningen är sparad.').isVisible());
  assert.equal(await manager.locator(`form[action="${goalAction}"] select[name="bedomning"]`).inputValue(), 'met');

  // An outcome with women and men; the status against the target is computed.
  const outcome = manager.locator('form.outcome-form:has(input[name="kvinnor"])').first();
  const outcomeAction = await outcome.getAttribute('action');
  const indicator = outcomeAction.match(/\/indikatorer\/(\d+)$/)?.[1];
  assert.ok(indicator, outcomeAction);
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
  assert.equal(await status(manager), 'Inskickad');
  assert.equal(await manager.getByRole('button', { name: /^Spara bedömningen/ }).count(), 0, 'no writing while submitted');

  // The controller finds it under "Mitt arbete" and approves it.
  const controller = await newPage(browser, { account: accounts.controller, bypassCSP: true });
  await controller.goto(base + '/');
  await noViolations(controller, 'the start page of the controller with a report to approve');
  await go(controller, controller.locator('.my-work').getByRole('link', { name: `Tertialrapport 1 2025 – ${accounts.unit_manager.scope}` }));
  await noViolations(controller, 'the submitted report as the controller sees it');
  await go(controller, controller.getByRole('button', { name: 'Fastställ rapporten' }));
  assert.equal(await status(controller), 'Fastställd');

  // Public now, as approved; the assessment and the deviation are in it.
  const visitor = await newPage(browser, { bypassCSP: true });
  res = await visitor.goto(report);
  assert.equal(res.status(), 200);
  const text = await visitor.locator('main').textContent();
  assert.ok(squeeze(text).includes(analysis), text);
  assert.match(text, /Aktiviteten flyttades till hösten/);
  await noViolations(visitor, 'the approved report');

  // The controller sees it in the roll-up of the unit's department, found in the org tree
  // of the start page.
  const department = chain[1];
  await controller.goto(base + '/');
  await go(controller, controller.locator('.org-tree').getByRole('link', { name: `Uppföljning för ${department}`, exact: true }));
  await go(controller, controller.getByRole('link', { name: 'Tertialrapport 1 2025', exact: true }));
  assert.match(squeeze(await controller.locator('h1').textContent()), new RegExp(`^Sammanställning tertialrapport 1 2025 ${department}`));
  await noViolations(controller, 'the roll-up');
  // The unit's row: the report approved, and in the goal's column the manager's
  // assessment as the legend draws it (a symbol and a word), leading to the goal in the
  // report.
  const matrix = controller.locator('table.rollup-matrix');
  const columns = await matrix.locator('thead th').evaluateAll((ths) => ths.map((th) => th.querySelector('a')?.getAttribute('href') ?? null));
  const column = columns.indexOf(`#mal-${goal}`);
  assert.ok(column > 1, `the goal ${goal} is a column of the roll-up: ${columns}`);
  const row = matrix.getByRole('row').filter({ has: controller.getByRole('rowheader', { name: chain[0], exact: true }) });
  assert.equal(await row.count(), 1, `one row for ${chain[0]}`);
  const cells = row.locator(':scope > th, :scope > td');
  assert.match(squeeze(await cells.nth(1).textContent()), /^Fastställd\b/);
  const legend = controller.locator('ul.legend li').filter({ hasText: chosen });
  assert.equal(await legend.count(), 1, `the legend explains ${chosen}`);
  const drawn = squeeze(await legend.locator('.c').textContent());
  const cell = cells.nth(column);
  assert.equal(squeeze(await cell.textContent()), drawn, `the cell of ${chain[0]} for goal ${goal}`);
  assert.equal(await cell.locator('[aria-hidden="true"]').count(), 1, 'the symbol is hidden from screen readers, the word is not');
  const link = cell.getByRole('link');
  assert.equal(await link.getAttribute('href'), `${unit}/rapporter/2025/t1#mal-${goal}`);
  await go(controller, link);
  assert.equal(new URL(controller.url()).pathname, `${unit}/rapporter/2025/t1`);
  assert.ok(await controller.locator(`#mal-${goal}`).isVisible(), 'the goal is on the report');
  await controller.goBack();

  // The roll-up's page of the goal: the unit's assessment and analysis.
  const section = controller.locator(`section.rollup-goal[aria-labelledby="mal-${goal}"]`);
  await go(controller, section.getByRole('link', { name: /^Enheternas analyser/ }));
  const analysed = controller.locator('article.unit-analysis').filter({ has: controller.getByRole('heading', { name: chain[0], exact: true }) });
  assert.equal(await analysed.count(), 1, await controller.locator('main').textContent());
  assert.ok(squeeze(await analysed.textContent()).includes(chosen));
  assert.ok(squeeze(await analysed.textContent()).includes(analysis));
  await noViolations(controller, "a goal's page of the roll-up");

  // The indicator's history: its outcomes as a chart (SVG with a title and a
  // description) and, as its text alternative, a table with the outcome just approved.
  // (The page is reached by its address: nothing links it yet.)
  res = await controller.goto(base + `${unit}/indikatorer/${indicator}`);
  assert.equal(res.status(), 200);
  const chart = controller.locator('figure.chart-figure').first();
  const svg = chart.locator('svg[role="img"]');
  assert.equal(await svg.count(), 1, 'a chart');
  assert.ok(squeeze(await svg.locator('title').textContent()).length > 0, 'the chart has a title');
  assert.ok(squeeze(await svg.locator('desc').textContent()).length > 0, 'the chart has a description');
  await chart.getByText('Visa siffrorna som tabell').click();
  const figures = chart.locator('table').getByRole('row').filter({ has: controller.getByRole('rowheader', { name: 'T1 2025', exact: true }) });
  assert.equal(await figures.count(), 1, 'the table has the T1 2025 outcome');
  const headers = (await chart.locator('table thead th').allTextContents()).map(squeeze);
  const values = (await figures.locator('th, td').allTextContents()).map(squeeze);
  const figure = (name) => values[headers.indexOf(name)] ?? '';
  assert.match(figure('Utfall'), /^40\b/, `${headers} / ${values}`);
  assert.match(figure('Kvinnor'), /^22\b/, `${headers} / ${values}`);
  assert.match(figure('Män'), /^18\b/, `${headers} / ${values}`);
  await noViolations(controller, "an indicator's history");

  // The board's editor writes the board's own assessment of the goal beside the units'.
  const board = chain[3];
  const editor = await newPage(browser, { account: accounts.board_editor, bypassCSP: true });
  await editor.goto(base + '/');
  await go(editor, editor.locator('.org-tree').getByRole('link', { name: `Uppföljning för ${board}`, exact: true }));
  await go(editor, editor.getByRole('link', { name: 'Tertialrapport 1 2025', exact: true }));
  await go(editor, editor.locator(`section.rollup-goal[aria-labelledby="mal-${goal}"]`).getByRole('link', { name: /^Nämndens bedömning/ }));
  await noViolations(editor, "a goal's page of the roll-up with the board's form");
  await editor.getByLabel(/^(Din )?[Bb]edömning$/).selectOption('partly_met');
  const own = 'Enheterna når målet i olika grad; nämnden följer upp det i nästa tertial.';
  await editor.getByLabel(/^(Din )?[Aa]nalys$/).fill(own);
  await go(editor, editor.getByRole('button', { name: 'Spara' }));
  assert.ok(await editor.getByText('Nämndens bedömning är sparad.').isVisible());
  const ownSection = editor.locator(`section.rollup-goal[aria-labelledby="mal-${goal}"]`);
  assert.match(squeeze(await ownSection.locator('.assessment').textContent()), /Nämndens bedömning: .*Uppfylls delvis/);
  assert.ok(squeeze(await ownSection.textContent()).includes(own));
  await editor.context().close();

  // The next report, its economy refuses "ca 300 tkr".
  await manager.goto(base + '/');
  await noViolations(manager, 'the start page of the manager with reports');
  if (await openForWriting(manager, base + `${unit}/rapporter/2025/t2`, 'Skapa tertialrapport 2 2025')) {
    assert.match(await manager.locator('main').textContent(), /Förifyllt från tertialrapport 1/);
    await noViolations(manager, 'a report prefilled from the one before');
  }
  await go(manager, manager.locator('#ekonomi').locator('xpath=..').getByRole('link', { name: /^(Skriv|Redigera)/ }));
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

// Writing a plan's own section in a real (headless) Chromium, as the demo's unit manager:
// the plan links the section's edit page, the guidance is beside the text, saving leads
// back to the plan at the section with the text shown; two people saving at once get the
// conflict page with both texts, and nothing is lost. The edit and conflict pages pass
// axe-core. The writer marks a section ready ("Klar") and takes the mark back. Run by
// scripts/browser-tests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, base, demoAccounts, orgTree, newPage, axeViolations, overflow } from './demo.mjs';

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

test('the unit manager writes a section of the draft plan and sees it on the plan', async () => {
  const page = await newPage(browser, { account: accounts.unit_manager, bypassCSP: true });
  await page.goto(base + `${unit}/planer/2026`);
  await page.getByRole('link', { name: /^(Redigera|Skriv) Organisationsbeskrivning$/ }).click();
  await page.waitForURL(/\/avsnitt\/organisation$/);
  assert.match((await page.locator('h1').textContent()).trim(), /^Redigera Organisationsbeskrivning/);
  assert.ok(await page.locator('details.guidance').isVisible(), 'the guidance is shown');
  const field = page.getByLabel('Text i avsnittet Organisationsbeskrivning');
  const added = `Tillagt i webbläsartest ${Date.now()}.`;
  const before = await field.inputValue();
  await field.fill(`${before}\n\n${added}`);
  await page.getByRole('button', { name: 'Spara' }).click();
  await page.waitForURL(/\/planer\/2026\?sparat=organisation#avsnitt-organisation$/);
  assert.ok(await page.getByText('Avsnittet är sparat.').isVisible());
  assert.ok(await page.getByText(added).isVisible(), 'the text is on the plan');
  await page.context().close();
});

test('two people saving at once: the second sees both texts and keeps their own', async () => {
  const options = { account: accounts.unit_manager, bypassCSP: true };
  const first = await newPage(browser, options);
  const second = await newPage(browser, { ...options, account: accounts.unit_writer });
  const edit = base + `${unit}/planer/2026/avsnitt/utvecklingsomraden`;
  await first.goto(edit);
  await second.goto(edit);
  for (const width of [1280, 375]) {
    await second.setViewportSize({ width, height: 900 });
    const found = await axeViolations(second);
    assert.deepEqual(found, [], `the edit page at ${width} px:\n${found.join('\n')}`);
    assert.ok(await overflow(second) <= 1, `the edit page fits ${width} px`);
  }
  const label = /^Text i avsnittet Utvecklingsområden 2026$/;
  const original = await first.getByLabel(label).inputValue();
  const theirs = `${original}\n\nFörsta personens tillägg ${Date.now()}.`;
  const mine = `${original}\n\nAndra personens tillägg ${Date.now()}.`;
  await first.getByLabel(label).fill(theirs);
  await first.getByRole('button', { name: 'Spara' }).click();
  await first.waitForURL(/sparat=utvecklingsomraden/);
  await second.getByLabel(label).fill(mine);
  const [res] = await Promise.all([
    second.waitForNavigation(),
    second.getByRole('button', { name: 'Spara' }).click(),
  ]);
  assert.equal(res.status(), 409);
  assert.ok(await second.getByRole('heading', { name: 'Texten som är sparad nu' }).isVisible());
  assert.ok(await second.getByText('Första personens tillägg').isVisible());
  assert.equal(await second.getByLabel(/^Din text i avsnittet/).inputValue(), mine);
  for (const width of [375, 1280]) {
    await second.setViewportSize({ width, height: 900 });
    const conflict = await axeViolations(second);
    assert.deepEqual(conflict, [], `the conflict page at ${width} px:\n${conflict.join('\n')}`);
    assert.ok(await overflow(second) <= 1, `the conflict page fits ${width} px`);
  }
  await second.getByRole('button', { name: 'Spara' }).click();
  await second.waitForURL(/sparat=utvecklingsomraden/);
  assert.ok(await second.getByText('Andra personens tillägg').isVisible());
  await first.context().close();
  await second.context().close();
});

test('the writer marks a section ready and takes the mark back', async () => {
  const page = await newPage(browser, { account: accounts.unit_writer, bypassCSP: true });
  await page.goto(base + `${unit}/planer/2026`);
  await page.getByRole('button', { name: 'Markera som klar – Egenkontroller' }).click();
  await page.waitForURL(/\/planer\/2026#avsnitt-egenkontroller$/);
  const section = page.locator('section', { has: page.locator('#avsnitt-egenkontroller') });
  assert.ok(await section.locator('.ready-badge', { hasText: 'Klar' }).isVisible());
  assert.ok(await page.getByRole('progressbar', { name: /av \d+ delar klara/ }).isVisible());
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 900 });
    const found = await axeViolations(page);
    assert.deepEqual(found, [], `the plan with a ready mark at ${width} px:\n${found.join('\n')}`);
    assert.ok(await overflow(page) <= 1, `the plan fits ${width} px`);
  }
  await page.getByRole('button', { name: 'Ångra klar – Egenkontroller' }).click();
  await page.waitForURL(/#avsnitt-egenkontroller$/);
  assert.ok(await page.getByRole('button', { name: 'Markera som klar – Egenkontroller' }).isVisible());
  await page.context().close();
});

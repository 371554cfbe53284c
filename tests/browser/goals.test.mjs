// Writing the cascade in a real (headless) Chromium, as the demo's unit manager: a unit
// goal under the board's with its texts, an indicator (reported for women and men) and an
// activity, each from the plan;
// bad input comes back in Swedish with what was typed; two people saving the same goal:
// the second sees what the first saved beside their own words. Every edit page, with its
// error and conflict states, passes axe-core. Run by scripts/browser-tests.
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

async function accessible(page, what) {
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 900 });
    const found = await axeViolations(page);
    assert.deepEqual(found, [], `${what} at ${width} px:\n${found.join('\n')}`);
    assert.ok(await overflow(page) <= 1, `${what} fits ${width} px`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function submit(page, button) {
  const [res] = await Promise.all([
    page.waitForNavigation(),
    page.getByRole('button', { name: button }).click(),
  ]);
  return res;
}

test('the unit manager writes a goal with an indicator and an activity', async () => {
  const page = await newPage(browser, { account: accounts.unit_manager, bypassCSP: true });
  await page.goto(base + `${unit}/planer/2026`);
  await page.getByRole('link', { name: /^Lägg till enhetsmål under / }).first().click();
  await page.waitForURL(/\/mal\/2026\/nytt\?under=\d+$/);
  await accessible(page, 'the new goal page');

  // Without a title: the message in Swedish, the words kept.
  const expected = `Fler brukare har en plan ${Date.now()}.`;
  await page.getByLabel('Förväntat resultat').fill(expected);
  let res = await submit(page, 'Lägg till målet');
  assert.equal(res.status(), 422);
  assert.ok(await page.getByRole('link', { name: 'Skriv målets titel.' }).isVisible(), 'the summary links the field');
  assert.equal(await page.getByLabel('Förväntat resultat').inputValue(), expected);
  await accessible(page, 'the new goal page with errors');

  const title = `Alla brukare har en aktuell plan ${Date.now()}`;
  await page.getByLabel('Målets titel').fill(title);
  await page.getByLabel('Uppföljning').fill('Varje tertial på arbetsplatsträffen.');
  res = await submit(page, 'Lägg till målet');
  assert.match(page.url(), /\/planer\/2026#mal-\d+$/);
  const goal = page.url().match(/#mal-(\d+)$/)[1];
  const section = page.locator(`#mal-${goal}`).locator('xpath=..');
  assert.ok(await section.getByText(expected).isVisible(), 'the text is on the plan');

  await section.getByRole('link', { name: `Lägg till indikator för ${title}` }).click();
  await page.getByLabel('Indikatorns namn').fill('Andel brukare med aktuell plan');
  // It concerns people: reported for women and men.
  const bySex = page.getByLabel('Redovisas för kvinnor och män');
  assert.equal(await bySex.isChecked(), false, 'a new indicator is not reported by sex');
  await bySex.check();
  await page.getByLabel('Årsmål').fill('ca 90');
  res = await submit(page, 'Lägg till');
  assert.equal(res.status(), 422);
  assert.ok(await page.getByText(/är inte ett tal/).first().isVisible());
  assert.equal(await page.getByLabel('Årsmål').inputValue(), 'ca 90');
  assert.ok(await page.getByLabel('Redovisas för kvinnor och män').isChecked(), 'the mark is kept');
  await accessible(page, 'the new indicator page with errors');
  await page.getByLabel('Årsmål').fill('90 %');
  await submit(page, 'Lägg till');
  assert.ok(await section.getByRole('link', { name: 'Andel brukare med aktuell plan' }).isVisible());

  await section.getByRole('link', { name: `Lägg till aktivitet för ${title}` }).click();
  await accessible(page, 'the new activity page');
  await page.getByLabel('Aktivitet', { exact: true }).fill('Genomgång av alla planer');
  await page.getByLabel('Startdatum').fill('2026-03-01');
  await page.getByLabel('Slutdatum').fill('2026-02-01');
  res = await submit(page, 'Lägg till');
  assert.equal(res.status(), 422);
  assert.ok(await page.getByText('Slutdatum ligger före startdatum: ändra något av dem.').first().isVisible());
  await page.getByLabel('Slutdatum').fill('2026-04-30');
  await submit(page, 'Lägg till');
  assert.ok(await section.getByRole('link', { name: 'Genomgång av alla planer' }).isVisible());
  await page.context().close();
});

test('two people saving the same goal: the second sees both and keeps their own', async () => {
  const first = await newPage(browser, { account: accounts.unit_manager, bypassCSP: true });
  const second = await newPage(browser, { account: accounts.unit_writer, bypassCSP: true });
  await first.goto(base + `${unit}/planer/2026`);
  const edit = await first.locator('.goal-actions a').evaluateAll((links) =>
    links.map((a) => a.getAttribute('href')).find((h) => /^\/mal\/\d+$/.test(h)));
  assert.ok(edit, 'the plan links its own goals for editing');
  await first.goto(base + edit);
  await second.goto(base + edit);
  await accessible(second, 'the goal edit page');
  const field = 'Förväntat resultat';
  const original = await first.getByLabel(field).inputValue();
  const theirs = `${original}\n\nFörsta skribentens tillägg ${Date.now()}.`;
  const mine = `${original}\n\nAndra skribentens tillägg ${Date.now()}.`;
  await first.getByLabel(field).fill(theirs);
  await submit(first, 'Spara');
  await second.getByLabel(field).fill(mine);
  const res = await submit(second, 'Spara');
  assert.equal(res.status(), 409);
  assert.ok(await second.getByText('Sparat nu av någon annan:').first().isVisible());
  assert.ok(await second.getByText(/Första skribentens tillägg/).isVisible(), 'theirs is shown');
  assert.equal(await second.getByLabel(field).inputValue(), mine, 'mine is kept');
  await accessible(second, 'the goal conflict page');
  await submit(second, 'Spara');
  assert.match(second.url(), /#mal-\d+$/);
  await first.context().close();
  await second.context().close();
});

test('leaving a goal form with unsaved words asks first', async () => {
  const page = await newPage(browser, { account: accounts.unit_manager });
  await page.goto(base + `${unit}/planer/2026`);
  await page.getByRole('link', { name: /^Lägg till enhetsmål under / }).first().click();
  await page.getByLabel('Målets titel').fill('Ett mål som inte sparas');
  const asked = new Promise((resolve) => {
    page.once('dialog', async (dialog) => {
      await dialog.dismiss();
      resolve(dialog.type());
    });
  });
  await page.getByRole('link', { name: 'Tillbaka till planen' }).click({ noWaitAfter: true });
  assert.equal(await asked, 'beforeunload', 'the browser asks before leaving');
  assert.match(page.url(), /nytt\?under=/, 'the page stayed');
  await page.context().close();
});

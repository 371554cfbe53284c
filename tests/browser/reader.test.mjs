// Browser tests: what a person does with Målkedja in a real (headless) Chromium.
// Run by scripts/browser-tests, which starts `malkedja serve --demo` and sets MALKEDJA_URL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

const base = process.env.MALKEDJA_URL ?? 'http://127.0.0.1:8080';
const shots = new URL('../../target/screenshots/', import.meta.url).pathname;
mkdirSync(shots, { recursive: true });
let browser;

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
});

async function newPage(options = {}) {
  const context = await browser.newContext({ locale: 'sv-SE', ...options });
  return context.newPage();
}

test('a reader goes from the organisation to a unit and reads its plan', async () => {
  const page = await newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(base + '/');
  assert.equal(await page.locator('h1').count(), 1);
  assert.equal(await page.getAttribute('html', 'lang'), 'sv');
  await page.screenshot({ path: shots + 'start.png', fullPage: true });

  const unitLink = page.locator('.org-tree a[href^="/enheter/"]').first();
  const unitName = (await unitLink.textContent()).trim();
  await unitLink.click();
  await page.waitForURL(/\/enheter\/\d+$/);
  assert.equal((await page.locator('h1').textContent()).trim(), unitName);
  await page.screenshot({ path: shots + 'unit.png', fullPage: true });

  await page.getByRole('link', { name: /Verksamhetsplan 2025/ }).click();
  await page.waitForURL(/planer\/2025$/);
  assert.match(await page.locator('h1').textContent(), /Verksamhetsplan 2025/);
  assert.ok(await page.getByRole('heading', { name: /KF:s inriktningsmål/ }).first().isVisible());
  assert.ok(await page.getByRole('table', { name: /Indikatorer/ }).first().isVisible());
  assert.ok(await page.getByRole('table', { name: /Aktiviteter/ }).first().isVisible());
  await page.screenshot({ path: shots + 'plan.png', fullPage: false });

  // The table of contents jumps to the section.
  const first = page.locator('nav.toc a').first();
  const target = (await first.getAttribute('href')).slice(1);
  await first.click();
  assert.ok(page.url().endsWith('#' + target));
});

test('a controller reads how the year went in the annual report', async () => {
  const page = await newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(base + '/');
  await page.locator('.org-tree a[href^="/enheter/"]').first().click();
  await page.getByRole('link', { name: 'Verksamhetsberättelse 2025' }).click();
  await page.waitForURL(/rapporter\/2025\/vb$/);
  assert.match(await page.locator('h1').textContent(), /Verksamhetsberättelse 2025/);
  assert.ok(await page.getByText('Bedömning:').first().isVisible());
  assert.ok(await page.getByRole('columnheader', { name: 'Periodens utfall' }).first().isVisible());
  assert.ok(await page.getByRole('table', { name: /Synpunkter, klagomål och avvikelser/ }).isVisible());
  await page.screenshot({ path: shots + 'report.png', fullPage: false });
});

test('keyboard: the first Tab reaches the skip link, which moves to the content', async () => {
  const page = await newPage();
  await page.goto(base + '/');
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement?.className);
  assert.equal(focused, 'skip-link');
  assert.ok(await page.locator('.skip-link').isVisible(), 'the focused skip link is visible');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'innehall');
});

test('printing a plan leaves out guidance, navigation and empty sections', async () => {
  const page = await newPage();
  await page.goto(base + '/');
  await page.locator('.org-tree a[href^="/enheter/"]').first().click();
  await page.getByRole('link', { name: /Verksamhetsplan 2025/ }).click();
  assert.ok(await page.locator('details.guidance').first().isVisible(), 'writers see guidance on screen');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('details.guidance').first().isVisible(), false);
  assert.equal(await page.locator('.site-header').isVisible(), false);
  assert.equal(await page.locator('nav.toc').isVisible(), false);
  await page.pdf({ path: shots + 'plan.pdf', format: 'A4' });
});

test('on a phone the page does not scroll sideways', async () => {
  const page = await newPage({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2 });
  await page.goto(base + '/');
  await page.locator('.org-tree a[href^="/enheter/"]').first().click();
  await page.getByRole('link', { name: /Verksamhetsplan 2025/ }).click();
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  let wider = await overflow();
  assert.ok(wider <= 1, `page is ${wider}px wider than the screen`);
  await page.screenshot({ path: shots + 'plan-phone.png' });
  // A heading of one long compound word breaks rather than widen the page.
  await page.goto(base + '/tillganglighet');
  wider = await overflow();
  assert.ok(wider <= 1, `the accessibility statement is ${wider}px wider than the screen`);
});

test('an address that does not exist gets a Swedish page with a way back', async () => {
  const page = await newPage();
  const res = await page.goto(base + '/enheter/999999');
  assert.equal(res.status(), 404);
  assert.match(await page.locator('h1').textContent(), /Sidan finns inte/);
  await page.getByRole('link', { name: 'Till startsidan' }).click();
  await page.waitForURL(base + '/');
});

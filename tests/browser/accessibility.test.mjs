// WCAG 2.1 AA checks with axe-core on every kind of page, in real Chromium.
// Automated checks find a part of what WCAG asks; the keyboard and print tests in
// reader.test.mjs and the HTTP tests cover more. Run by scripts/browser-tests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');
const base = process.env.MALKEDJA_URL ?? 'http://127.0.0.1:8080';
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

/// The pages to check: the start page, the first unit, its plans and reports, a missing page.
async function pages() {
  const context = await browser.newContext({ locale: 'sv-SE' });
  const page = await context.newPage();
  await page.goto(base + '/');
  const unit = await page.locator('.org-tree a').first().getAttribute('href');
  await context.close();
  return ['/', unit, `${unit}/planer/2025`, `${unit}/planer/2026`, `${unit}/rapporter/2025/vb`, `${unit}/rapporter/2026/t1`, '/enheter/999999'];
}

async function violations(path, media) {
  // The strict Content-Security-Policy would block the injected checker, as it should.
  const context = await browser.newContext({ locale: 'sv-SE', bypassCSP: true });
  const page = await context.newPage();
  if (media) await page.emulateMedia({ media });
  await page.goto(base + path);
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  });
  await context.close();
  return result;
}

test('every page passes axe-core WCAG 2.1 A and AA checks', async () => {
  for (const path of await pages()) {
    const found = await violations(path);
    assert.deepEqual(found, [], `${path}:\n${found.join('\n')}`);
  }
});

test('pages also pass when printed', async () => {
  const [, , plan] = await pages();
  const found = await violations(plan, 'print');
  assert.deepEqual(found, [], found.join('\n'));
});

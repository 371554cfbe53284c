// WCAG 2.1 AA checks with axe-core on every kind of page, on screen and in print, in real
// Chromium; the heading outline as Chromium's accessibility tree exposes it; keyboard
// access to every link. Automated checks find a part of what WCAG asks; the tests in
// reader.test.mjs and the HTTP tests cover more. Run by scripts/browser-tests.
// The accessibility statement (/tillganglighet) says what these tests check: keep the two
// in step.
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

/// The pages to check: the start page, the first unit, its plans and reports, the
/// accessibility statement, a missing page.
async function pages() {
  const context = await browser.newContext({ locale: 'sv-SE' });
  const page = await context.newPage();
  await page.goto(base + '/');
  const unit = await page.locator('.org-tree a').first().getAttribute('href');
  await context.close();
  return ['/', unit, `${unit}/planer/2025`, `${unit}/planer/2026`, `${unit}/rapporter/2025/vb`, `${unit}/rapporter/2026/t1`,
    '/tillganglighet', '/enheter/999999'];
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

test('every page also passes when printed', async () => {
  for (const path of await pages()) {
    const found = await violations(path, 'print');
    assert.deepEqual(found, [], `${path} (print):\n${found.join('\n')}`);
  }
});

/// The headings of a page as Chromium exposes them to assistive technology, in reading
/// order: { level, name, region } where region counts the landmark region (a <section>
/// named by its heading) the heading is in.
async function headingOutline(page) {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  await cdp.detach();
  const byId = new Map(nodes.map((n) => [n.nodeId, n]));
  const root = nodes.find((n) => !n.parentId) ?? nodes[0];
  const out = [];
  let regions = 0;
  const walk = (n, region) => {
    if (!n) return;
    let inside = region;
    if (!n.ignored && n.role?.value === 'region') inside = ++regions;
    if (!n.ignored && n.role?.value === 'heading') {
      const level = n.properties?.find((p) => p.name === 'level')?.value?.value;
      out.push({ level, name: (n.name?.value ?? '').trim(), region: inside });
    }
    for (const c of n.childIds ?? []) walk(byId.get(c), inside);
  };
  walk(root, 0);
  return out;
}

/// One h1 first; no level skipped going down; inside a region (a goal, a plan section),
/// every heading after the region's own sits exactly one level below it — a unit goal's
/// "Förväntat resultat" under the goal, not beside it.
function assertNested(path, headings) {
  const show = (h) => `${h.level} ${h.name}`;
  assert.equal(headings[0]?.level, 1, `${path}: starts with its h1`);
  assert.equal(headings.filter((h) => h.level === 1).length, 1, `${path}: one h1`);
  for (let i = 1; i < headings.length; i++) {
    assert.ok(Number.isInteger(headings[i].level), `${path}: ${headings[i].name} has a level`);
    assert.ok(headings[i].level <= headings[i - 1].level + 1,
      `${path}: skips from ${show(headings[i - 1])} to ${show(headings[i])}`);
  }
  const own = new Map();
  for (const h of headings.filter((h) => h.region > 0)) {
    if (!own.has(h.region)) {
      own.set(h.region, h);
    } else {
      const top = own.get(h.region);
      assert.equal(h.level, top.level + 1, `${path}: ${show(h)} belongs under ${show(top)}`);
    }
  }
}

test('headings keep their depth below h6 in the accessibility tree', async () => {
  const context = await browser.newContext({ locale: 'sv-SE' });
  const page = await context.newPage();
  await page.goto(base + '/');
  const units = await page.locator('.org-tree a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const documents = [];
  for (const unit of units) {
    await page.goto(base + unit);
    assertNested(unit, await headingOutline(page));
    documents.push(...await page.locator('main a[href*="/planer/"], main a[href*="/rapporter/"]')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href'))));
  }
  assert.ok(documents.length >= 6, `plans and reports of every unit: ${documents}`);
  let deepest = { level: 0 };
  for (const path of [...new Set(documents)]) {
    await page.goto(base + path);
    const headings = await headingOutline(page);
    assertNested(path, headings);
    for (const h of headings) if (h.level > deepest.level) deepest = { ...h, path };
  }
  // The demo's deepest plans: a unit goal (h6) under a department goal has its sections
  // at level 7, given by aria-level and read as such by the browser.
  assert.equal(deepest.level, 7, JSON.stringify(deepest));
  await page.goto(base + deepest.path);
  const deep = page.locator('[role="heading"][aria-level="7"]').first();
  assert.equal(await deep.evaluate((e) => getComputedStyle(e).fontWeight), '700', 'styled like a heading');
  assert.ok(await page.getByRole('heading', { level: 7 }).first().isVisible());
  for (const path of ['/', '/tillganglighet', '/enheter/999999']) {
    await page.goto(base + path);
    assertNested(path, await headingOutline(page));
  }
  await context.close();
});

/// Presses Tab until focus leaves the page or comes round again; returns what got focus.
async function tabThrough(page, most) {
  const seen = [];
  for (let i = 0; i < most; i++) {
    await page.keyboard.press('Tab');
    const info = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const s = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      return {
        key: el.outerHTML.slice(0, 120),
        href: el.getAttribute('href'),
        outlined: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
        shown: box.width > 0 && box.height > 0,
      };
    });
    if (!info || (seen.length > 0 && info.key === seen[0].key)) break;
    seen.push(info);
  }
  return seen;
}

test('keyboard: every link of a plan and of the statement is reached with Tab and shows focus', async () => {
  const [, , plan] = await pages();
  for (const path of [plan, '/tillganglighet']) {
    const context = await browser.newContext({ locale: 'sv-SE' });
    const page = await context.newPage();
    await page.goto(base + path);
    const links = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    const seen = await tabThrough(page, links.length + 40);
    const reached = new Set(seen.map((s) => s.href));
    for (const href of links) assert.ok(reached.has(href), `${path}: Tab never reaches ${href}`);
    for (const s of seen) {
      assert.ok(s.outlined, `${path}: no visible focus on ${s.key}`);
      assert.ok(s.shown, `${path}: focused but not shown: ${s.key}`);
    }
    await context.close();
  }
});

test('the accessibility statement is one click from any page and says whom to tell', async () => {
  const [, , plan] = await pages();
  const context = await browser.newContext({ locale: 'sv-SE' });
  const page = await context.newPage();
  await page.goto(base + plan);
  await page.locator('footer').getByRole('link', { name: 'Tillgänglighetsredogörelse' }).click();
  await page.waitForURL(/\/tillganglighet$/);
  assert.match(await page.locator('h1').textContent(), /Tillgänglighetsredogörelse/);
  assert.ok(await page.getByText('delvis förenlig').isVisible());
  assert.equal(await page.getByRole('link', { name: /anmäla bristande tillgänglighet till Digg/ }).getAttribute('href'),
    'https://www.digg.se/tdosanmalan');
  // The demo sets no contact details: the placeholders are there for the operator to see.
  assert.ok(await page.getByText('[Organisationens namn]').first().isVisible());
  await context.close();
});

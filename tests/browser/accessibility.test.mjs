// WCAG 2.1 AA checks with axe-core on every kind of page, on screen and in print, in real
// Chromium, drafts as a person with a role sees them and as an anonymous visitor does (the
// sign-in form); signing in, a refusal and API keys also at a phone's width; the heading
// outline as Chromium's accessibility tree exposes it; keyboard access to every link and
// form control. Automated checks find a part of what WCAG asks; the tests in
// reader.test.mjs and the HTTP tests cover more. Run by scripts/browser-tests.
// The accessibility statement (/tillganglighet) says what these tests check: keep the two
// in step.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, base, demoAccounts, orgTree, signIn, axeViolations, overflow } from './demo.mjs';

let browser;
/// The demo's accounts by role, read from the sign-in page.
let accounts;
/// The unit the demo's unit manager (and writer) work on.
let unit;
/// The reader's unit, whose 2026 plan the demo submitted and returned.
let readersUnit;
/// The list of roll-ups of the unit manager's department, as the org tree links it.
let rollups;

before(async () => {
  browser = await launch();
  accounts = await demoAccounts(browser);
  const tree = await orgTree(browser);
  unit = tree.get(accounts.unit_manager.scope)?.href;
  assert.ok(unit, `the unit manager's unit ${accounts.unit_manager.scope} is on the start page`);
  readersUnit = tree.get(accounts.reader.scope)?.href;
  assert.ok(readersUnit, `the reader's unit ${accounts.reader.scope} is on the start page`);
  const department = tree.get(accounts.unit_manager.scope).chain[1];
  const context = await browser.newContext({ locale: 'sv-SE' });
  const page = await context.newPage();
  await page.goto(base + '/');
  rollups = await page.locator('.org-tree').getByRole('link', { name: `Uppföljning för ${department}`, exact: true }).getAttribute('href');
  await context.close();
  assert.ok(rollups, `the roll-ups of ${department} are linked from the start page`);
});

after(async () => {
  await browser?.close();
});

/// The pages to check, each as the person who sees it (`account`: a role; none:
/// anonymous) and what it must be (its h1 and status), so that a page that changed into
/// another (a draft into the sign-in form) cannot pass unseen: the start page, the
/// manager's unit, its approved 2025 plan and annual report, its 2026 drafts as the
/// manager sees them and as an anonymous visitor does (the sign-in form), the manager's
/// edit page of a section of the draft, choosing what the draft takes from above and the
/// facts of the unit, the draft's history (the plan's and a section's) and Jämför (with
/// nothing to compare yet, and between the steps of the reader's returned plan), the plan
/// check of the draft, the 2026 T1 as its writer writes it with its check, history and a
/// section's edit page, a report not yet made (its address says why), the department's
/// roll-ups (their list, the annual report's roll-up as a visitor and as the controller
/// sees it), the accessibility statement, a missing page.
function pages() {
  return [
    { path: '/', h1: /^Målkedja$/ },
    { path: unit, h1: new RegExp(`^${accounts.unit_manager.scope}$`) },
    { path: `${unit}/planer/2025`, h1: /^Verksamhetsplan 2025/ },
    { path: `${unit}/rapporter/2025/vb`, h1: /^Verksamhetsberättelse 2025/ },
    { path: `${unit}/planer/2026`, account: 'unit_manager', h1: /^Verksamhetsplan 2026/ },
    { path: `${unit}/rapporter/2026/t1`, account: 'unit_manager', h1: /^Tertialrapport 1 2026/ },
    { path: `${unit}/planer/2026/avsnitt/uppdrag`, account: 'unit_manager', h1: /^Redigera Enhetens uppdrag/ },
    { path: `${unit}/planer/2026/historik`, account: 'unit_manager', h1: /^Historik/ },
    { path: `${unit}/planer/2026/historik/avsnitt/uppdrag`, account: 'unit_manager', h1: /^Historik för avsnittet/ },
    { path: `${unit}/planer/2026/jamfor`, account: 'unit_manager', h1: /^Jämför/ },
    { path: `${readersUnit}/planer/2026/jamfor`, account: 'reader', h1: /^Jämför/ },
    { path: `${unit}/planer/2026/historik`, h1: /^Logga in$/, status: 401 },
    { path: `${unit}/planer/2026/kontroll`, account: 'unit_manager', h1: /^Kontroll av planen/ },
    { path: `${unit}/planer/2026/urval`, account: 'unit_manager', h1: /^Välj nämndens mål, aktiviteter och indikatorer/ },
    { path: `${unit}/planer/2026/fakta`, account: 'unit_manager', h1: /^Fakta om enheten/ },
    { path: `${unit}/planer/2026/dokumenthuvud`, account: 'unit_manager', h1: /^Dokumenthuvud/ },
    { path: `${unit}/planer/2025/dokumenthuvud`, account: 'unit_manager', h1: /^Dokumenthuvud/ },
    { path: `${unit}/rapporter/2026/t1/dokumenthuvud`, account: 'unit_manager', h1: /^Dokumenthuvud/ },
    { path: `${unit}/rapporter/2026/t1/kontroll`, account: 'unit_manager', h1: /^Kontroll av rapporten/ },
    { path: `${unit}/rapporter/2026/t1/historik`, account: 'unit_manager', h1: /^Historik/ },
    { path: `${unit}/rapporter/2026/t1/avsnitt/sammanfattande-analys`, account: 'unit_manager', h1: /^Redigera Sammanfattande analys/ },
    { path: `${unit}/rapporter/2026/vb`, account: 'unit_manager', h1: /^Verksamhetsberättelse 2026/, status: 404 },
    { path: `${unit}/planer/2027/utga-fran-forra-aret`, account: 'unit_manager', h1: /^Utgå från förra årets plan/ },
    { path: '/admin/mallar', account: 'admin', h1: /^Mallar för verksamhetsplaner$/ },
    { path: '/admin/malstruktur?fran=2025', account: 'admin', h1: /^Kopiera målstrukturen till nästa år$/ },
    { path: `${unit}/planer/2026`, h1: /^Logga in$/, status: 401 },
    { path: `${unit}/rapporter/2026/t1`, h1: /^Logga in$/, status: 401 },
    { path: rollups, h1: /^Uppföljning/ },
    { path: `${rollups}/2025/vb`, h1: /^Sammanställning verksamhetsberättelse 2025/ },
    { path: `${rollups}/2026/t1`, account: 'controller', h1: /^Sammanställning tertialrapport 1 2026/ },
    { path: '/tillganglighet', h1: /^Tillgänglighetsredogörelse/ },
    { path: '/enheter/999999', h1: /^Sidan finns inte/, status: 404 },
  ];
}

const who = (p) => `${p.path}${p.account ? ` (${p.account})` : ' (anonym)'}`;

async function violations(p, media) {
  const context = await browser.newContext({ locale: 'sv-SE', bypassCSP: true });
  const page = await context.newPage();
  if (p.account) await signIn(page, accounts[p.account]);
  if (media) await page.emulateMedia({ media });
  const res = await page.goto(base + p.path);
  assert.equal(res.status(), p.status ?? 200, who(p));
  assert.match((await page.locator('h1').textContent()).trim(), p.h1, who(p));
  const result = await axeViolations(page);
  await context.close();
  return result;
}

test('every page passes axe-core WCAG 2.1 A and AA checks', async () => {
  for (const p of pages()) {
    const found = await violations(p);
    assert.deepEqual(found, [], `${who(p)}:\n${found.join('\n')}`);
  }
});

test('every page also passes when printed', async () => {
  for (const p of pages()) {
    const found = await violations(p, 'print');
    assert.deepEqual(found, [], `${who(p)} (print):\n${found.join('\n')}`);
  }
});

/// axe-core on the page as it is now, in a wide window and at a phone's 375 px; the page
/// must not scroll sideways either.
async function assertClean(page, what) {
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 900 });
    const found = await axeViolations(page);
    assert.deepEqual(found, [], `${what} at ${width} px:\n${found.join('\n')}`);
    const wider = await overflow(page);
    assert.ok(wider <= 1, `${what} at ${width} px is ${wider} px wider than the window`);
  }
}

test('signing in, a refusal and API keys pass axe-core WCAG 2.1 A and AA checks, also on a phone', async () => {
  const options = { locale: 'sv-SE', bypassCSP: true };
  const anonymous = await browser.newContext(options);
  const visitor = await anonymous.newPage();
  await visitor.goto(base + '/logga-in');
  assert.ok(await visitor.getByRole('table', { name: 'Ett konto per roll' }).isVisible());
  await assertClean(visitor, 'the sign-in page with the demo accounts');
  // One wrong password: every failure counts towards the sign-in limit.
  await visitor.getByLabel('E-postadress').fill(accounts.reader.email);
  await visitor.getByLabel('Lösenord').fill('inte-lösenordet');
  await visitor.getByRole('button', { name: 'Logga in', exact: true }).click();
  await visitor.locator('.error-summary').waitFor();
  await assertClean(visitor, 'the sign-in page with an error');
  await anonymous.close();

  const reading = await browser.newContext(options);
  const reader = await reading.newPage();
  await signIn(reader, accounts.reader);
  const res = await reader.goto(base + `${unit}/planer/2026`);
  assert.equal(res.status(), 403);
  assert.equal((await reader.locator('h1').textContent()).trim(), 'Du har inte behörighet');
  await assertClean(reader, 'the 403 page');
  await reading.close();

  // The board editor's keys: no other test makes keys for this account.
  const editing = await browser.newContext(options);
  const editor = await editing.newPage();
  await signIn(editor, accounts.board_editor);
  await editor.goto(base + '/api-nycklar');
  assert.ok(await editor.getByText('Du har inga API-nycklar.').isVisible());
  await assertClean(editor, 'API-nycklar without keys');
  await editor.evaluate(() => { document.querySelector('form[action="/api-nycklar"]').noValidate = true; });
  await editor.getByRole('button', { name: 'Skapa nyckel' }).click();
  await editor.locator('.error-summary').waitFor();
  await assertClean(editor, 'API-nycklar with an error');
  await editor.getByLabel('Namn').fill('Tillgänglighetskontroll');
  await editor.getByLabel('Giltig').selectOption({ label: 'Ett år' });
  await editor.getByRole('button', { name: 'Skapa nyckel' }).click();
  await editor.locator('#ny-nyckel').waitFor();
  await assertClean(editor, 'API-nycklar with a new key shown');
  await editor.goto(base + '/api-nycklar');
  assert.ok(await editor.getByRole('table', { name: 'Dina API-nycklar' }).isVisible());
  await assertClean(editor, 'API-nycklar with the list');
  await editing.close();
});

test('the administration of people and the password page pass axe-core, also on a phone', async () => {
  const options = { locale: 'sv-SE', bypassCSP: true };
  const administering = await browser.newContext(options);
  const admin = await administering.newPage();
  await signIn(admin, accounts.admin);
  await admin.goto(base + '/admin/personer');
  assert.equal((await admin.locator('h1').textContent()).trim(), 'Personer');
  await assertClean(admin, 'the list of people');
  await admin.goto(base + '/admin/personer/ny');
  await assertClean(admin, 'adding a person');
  await admin.evaluate(() => { for (const f of document.querySelectorAll('form')) f.noValidate = true; });
  await admin.locator('main button[type=submit]').first().click();
  await admin.locator('.error-summary').waitFor();
  await assertClean(admin, 'adding a person, with an error');
  await admin.goto(base + '/admin/personer');
  await admin.locator('main table a').first().click();
  await admin.waitForURL(/\/admin\/personer\/\d+$/);
  await assertClean(admin, "a person's roles");
  await administering.close();

  const changing = await browser.newContext(options);
  const controller = await changing.newPage();
  await signIn(controller, accounts.controller);
  await controller.goto(base + '/konto/losenord');
  assert.equal((await controller.locator('h1').textContent()).trim(), 'Byt lösenord');
  await assertClean(controller, 'the password page');
  await changing.close();
});

test('choosing what applies and the facts of the unit pass axe-core with errors, also on a phone', async () => {
  const context = await browser.newContext({ locale: 'sv-SE', bypassCSP: true });
  const page = await context.newPage();
  await signIn(page, accounts.unit_manager);
  // A target that is not a number: nothing is saved, the form comes back with the error.
  await page.goto(base + `${unit}/planer/2026/urval`);
  await assertClean(page, 'the choice of goals, activities and indicators');
  await page.locator('input[name^="arsmal-"]').first().fill('ca 90');
  await page.getByRole('button', { name: 'Spara urvalet' }).click();
  await page.locator('.error-summary').waitFor();
  assert.equal(await page.locator('input[aria-invalid="true"]').first().inputValue(), 'ca 90');
  await assertClean(page, 'the choice with an error');
  // Figures that are not numbers: the same.
  await page.goto(base + `${unit}/planer/2026/fakta`);
  await assertClean(page, 'the facts of the unit');
  await page.locator('#kvinnor-0').fill('12,5');
  await page.locator('#budget').fill('ca 300 tkr');
  await page.getByRole('button', { name: 'Spara uppgifterna' }).first().click();
  await page.locator('.error-summary').waitFor();
  assert.equal(await page.locator('#budget').inputValue(), 'ca 300 tkr');
  await assertClean(page, 'the facts with errors');
  await context.close();
});

test('the administration of the organisation and the year passes axe-core, also on a phone', async () => {
  // Nothing is changed: the errors and the conflict are refusals.
  const context = await browser.newContext({ locale: 'sv-SE', bypassCSP: true });
  const admin = await context.newPage();
  await signIn(admin, accounts.admin);
  await admin.getByRole('link', { name: 'Organisation', exact: true }).click();
  await admin.waitForURL(/\/admin\/organisation$/);
  assert.equal((await admin.locator('h1').textContent()).trim(), 'Organisation');
  await assertClean(admin, 'the organisation');
  const node = `/admin/organisation/${unit.split('/').pop()}`;
  await admin.goto(base + node);
  await assertClean(admin, 'a unit to administer');
  await admin.evaluate(() => { for (const f of document.querySelectorAll('form')) f.noValidate = true; });
  await admin.getByRole('textbox', { name: 'Namn', exact: true }).fill('');
  await admin.getByRole('button', { name: 'Byt namn' }).click();
  await admin.locator('.error-summary').waitFor();
  await assertClean(admin, 'renaming, with an error');
  await admin.goto(base + node);
  await admin.evaluate(() => { document.querySelector('form[action$="/namn"] input[name=version]').value = '999999'; });
  await admin.getByRole('textbox', { name: 'Namn', exact: true }).fill('Ett annat namn');
  await admin.getByRole('button', { name: 'Byt namn' }).click();
  await admin.getByLabel('Ditt namn').waitFor();
  await assertClean(admin, 'renaming, a conflict');
  await admin.goto(base + `${node}/ny`);
  await assertClean(admin, 'a new node');
  await admin.goto(base + '/admin/ar');
  assert.equal((await admin.locator('h1').textContent()).trim(), 'Planeringsår');
  await assertClean(admin, 'the planning years');
  await admin.locator('main table a').first().click();
  await admin.waitForURL(/\/tidsfrister\/\d+$/);
  await assertClean(admin, 'deadlines');
  await admin.getByLabel('Tertialrapport 1').fill('1900-05-15');
  await admin.getByRole('button', { name: 'Spara tidsfristerna' }).click();
  await admin.locator('.error-summary').waitFor();
  await assertClean(admin, 'deadlines, with an error');
  await context.close();
});

test('the template pages, with an error and a conflict, pass axe-core, also on a phone', async () => {
  const options = { locale: 'sv-SE', bypassCSP: true };
  const context = await browser.newContext(options);
  const admin = await context.newPage();
  await signIn(admin, accounts.admin);
  await admin.goto(base + '/admin/mallar');
  await admin.locator('main a', { hasText: 'Mallen för 2026' }).first().click();
  await admin.waitForURL(/\/admin\/mallar\/\d+\/2026$/);
  const template = admin.url();
  await assertClean(admin, 'a template');
  await admin.goto(template + '/nytt');
  await assertClean(admin, 'adding a section');
  await admin.goto(template + '/avsnitt/uppdrag/ta-bort');
  await assertClean(admin, 'removing a section plans have text in');
  // An empty heading: the error state. Nothing is saved.
  await admin.goto(template + '/avsnitt/budget');
  await assertClean(admin, 'editing a section');
  await admin.getByLabel('Rubrik').fill('');
  await admin.getByRole('button', { name: 'Spara' }).click();
  await admin.locator('.error-summary').waitFor();
  await assertClean(admin, 'editing a section, with an error');
  // Someone else saves the section (as it was) meanwhile: the conflict state.
  await admin.goto(template + '/avsnitt/budget');
  const other = await context.newPage();
  await other.goto(template + '/avsnitt/budget');
  await other.getByRole('button', { name: 'Spara' }).click();
  await other.waitForURL(/sparat=budget/);
  await admin.getByRole('button', { name: 'Spara' }).click();
  await admin.locator('.theirs').waitFor();
  await assertClean(admin, 'editing a section, with a conflict');
  await admin.goto(base + '/admin/malstruktur');
  await assertClean(admin, 'copying the goal structure');
  await context.close();
});

test('the memo header page, with an error and a conflict, passes axe-core', async () => {
  const context = await browser.newContext({ locale: 'sv-SE', bypassCSP: true });
  const page = await context.newPage();
  await signIn(page, accounts.unit_manager);
  const memo = `${base}${unit}/planer/2026/dokumenthuvud`;
  await page.goto(memo);
  await assertClean(page, 'the memo header');
  await page.getByLabel('Datum').fill('27 januari');
  await page.getByRole('button', { name: 'Spara' }).click();
  await page.locator('.error-summary').waitFor();
  await assertClean(page, 'the memo header, with an error');
  // Someone else saves meanwhile: the conflict state, theirs beside each field.
  await page.goto(memo);
  const other = await context.newPage();
  await other.goto(memo);
  await other.getByLabel('Dnr').fill('HÄ 2026/1');
  await other.getByRole('button', { name: 'Spara' }).click();
  await other.waitForURL(/sparat=dokumenthuvud/);
  await page.getByLabel('Dnr').fill('HÄ 2026/2');
  await page.getByRole('button', { name: 'Spara' }).click();
  await page.locator('.theirs-value').first().waitFor();
  await assertClean(page, 'the memo header, with a conflict');
  await context.close();
});

test('a unit, a plan and a report can be read on a phone: wide tables scroll by keyboard', async () => {
  const context = await browser.newContext({ locale: 'sv-SE', bypassCSP: true });
  const page = await context.newPage();
  for (const path of [unit, `${unit}/planer/2025`, `${unit}/rapporter/2025/vb`]) {
    await page.goto(base + path);
    await assertClean(page, path);
  }
  await context.close();
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
  // As the administrator, who may read every plan and report, drafts included.
  const context = await browser.newContext({ locale: 'sv-SE' });
  const page = await context.newPage();
  await signIn(page, accounts.admin);
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
  assert.ok(documents.some((d) => d.includes('/2026')), `the 2026 drafts are among them: ${documents}`);
  let deepest = { level: 0 };
  for (const path of [...new Set(documents)]) {
    const res = await page.goto(base + path);
    assert.equal(res.status(), 200, `${path} as the administrator`);
    const headings = await headingOutline(page);
    assert.match(headings[0]?.name ?? '', /^(Verksamhetsplan|Tertialrapport|Verksamhetsberättelse)/, path);
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
  for (const path of ['/', '/tillganglighet', '/enheter/999999', '/api-nycklar']) {
    await page.goto(base + path);
    assertNested(path, await headingOutline(page));
  }
  await context.close();
  // What an anonymous visitor gets for a draft: the sign-in form.
  const anonymous = await browser.newContext({ locale: 'sv-SE' });
  const visitor = await anonymous.newPage();
  for (const path of ['/logga-in', `${unit}/planer/2026`]) {
    await visitor.goto(base + path);
    assertNested(`${path} (anonym)`, await headingOutline(visitor));
  }
  await anonymous.close();
});

/// Presses Tab until focus leaves the page or comes round again; returns what got focus
/// (`control`: its place among the page's links and form controls, numbered beforehand).
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
        control: el.dataset.control ?? null,
        outlined: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
        shown: box.width > 0 && box.height > 0,
      };
    });
    if (!info || (seen.length > 0 && info.key === seen[0].key)) break;
    seen.push(info);
  }
  return seen;
}

test('keyboard: every link and control is reached with Tab and shows focus', async () => {
  // A public plan, the statement, the sign-in form; signed in, a draft (the header's
  // account links and sign-out button) and the API keys' form.
  for (const { path, account } of [
    { path: `${unit}/planer/2025` },
    { path: '/tillganglighet' },
    { path: '/logga-in' },
    { path: `${unit}/planer/2026`, account: 'unit_manager' },
    { path: '/api-nycklar', account: 'unit_manager' },
  ]) {
    const context = await browser.newContext({ locale: 'sv-SE' });
    const page = await context.newPage();
    if (account) await signIn(page, accounts[account]);
    const res = await page.goto(base + path);
    assert.equal(res.status(), 200, path);
    const controls = await page.locator('a[href], button, input:not([type="hidden"]), select, textarea')
      .evaluateAll((els) => els.map((el, i) => {
        el.dataset.control = String(i);
        return el.outerHTML.slice(0, 120);
      }));
    const seen = await tabThrough(page, controls.length + 40);
    const reached = new Set(seen.map((s) => s.control));
    controls.forEach((c, i) => assert.ok(reached.has(String(i)), `${path}: Tab never reaches ${c}`));
    for (const s of seen) {
      assert.ok(s.outlined, `${path}: no visible focus on ${s.key}`);
      assert.ok(s.shown, `${path}: focused but not shown: ${s.key}`);
    }
    await context.close();
  }
});

test('the accessibility statement is one click from any page and says whom to tell', async () => {
  const context = await browser.newContext({ locale: 'sv-SE' });
  const page = await context.newPage();
  await page.goto(base + `${unit}/planer/2025`);
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

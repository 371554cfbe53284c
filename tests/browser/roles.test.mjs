// Signing in as each of the demo's roles, in a real (headless) Chromium: what each role may
// read and what it may not, signing out, coming back to a draft after signing in, a wrong
// password, and a person's own API keys. The accounts are read from the sign-in page, as a
// person trying the demo reads them. Run by scripts/browser-tests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { launch, base, demoAccounts, orgTree, fillSignIn, signIn, newPage, overflow } from './demo.mjs';

const shots = new URL('../../target/screenshots/', import.meta.url).pathname;
mkdirSync(shots, { recursive: true });
let browser;
let accounts;
let tree;

before(async () => {
  browser = await launch();
  accounts = await demoAccounts(browser);
  tree = await orgTree(browser);
});

after(async () => {
  await browser?.close();
});

/// The unit an account's role holds on (the unit manager's, the reader's), as a node of
/// the start page's tree.
function unitOf(role) {
  const node = tree.get(accounts[role].scope);
  assert.ok(node?.href, `${accounts[role].scope} (${role}) is a unit on the start page`);
  return node;
}

/// Whether the role's scope is the unit or above it: what the policy means by a grant
/// covering a unit.
const covers = (account, unit) => unit.chain.includes(account.scope);

const header = (page) => page.getByRole('navigation', { name: 'Konto' });

/// Opens the document and says what the person got: 'läser' (the document), 'inloggning'
/// (the sign-in form, 401) or 'nekad' (the Swedish 403 page).
async function open(page, path) {
  const res = await page.goto(base + path);
  const h1 = (await page.locator('h1').textContent()).trim();
  if (res.status() === 200 && /^(Verksamhetsplan|Tertialrapport \d|Verksamhetsberättelse) \d{4}/.test(h1)) return 'läser';
  if (res.status() === 401 && h1 === 'Logga in' && await page.locator('form.sign-in').isVisible()) return 'inloggning';
  if (res.status() === 403 && h1 === 'Du har inte behörighet') return 'nekad';
  return `${res.status()} ${h1}`;
}

test('the sign-in page lists one demo account per role', () => {
  assert.deepEqual(Object.keys(accounts).sort(),
    ['admin', 'board_editor', 'controller', 'reader', 'unit_manager', 'unit_writer']);
  for (const a of Object.values(accounts)) {
    assert.ok(a.name && a.email.includes('@') && a.password, JSON.stringify(a));
    assert.ok(tree.has(a.scope), `${a.label} holds on ${a.scope}, a node of the organisation`);
  }
  assert.equal(accounts.unit_writer.scope, accounts.unit_manager.scope, 'the writer works on the manager\'s unit');
  assert.notEqual(accounts.reader.scope, accounts.unit_manager.scope, 'the reader reads another unit');
});

for (const role of ['admin', 'board_editor', 'unit_manager', 'unit_writer', 'controller', 'reader']) {
  test(`${role}: signs in with the form, reads what the role covers and no more, signs out`, async () => {
    const account = accounts[role];
    const managed = unitOf('unit_manager');
    const read = unitOf('reader');
    const page = await newPage(browser);
    await page.goto(base + '/logga-in');
    await page.getByLabel('E-postadress').click();
    await page.keyboard.type(account.email);
    await page.getByLabel('Lösenord').click();
    await page.keyboard.type(account.password);
    await page.getByRole('button', { name: 'Logga in', exact: true }).press('Enter');
    await page.waitForURL(base + '/');
    assert.match(await header(page).textContent(), new RegExp(`Inloggad som\\s+${account.name}`));
    assert.ok(await header(page).getByRole('link', { name: 'API-nycklar' }).isVisible());
    assert.ok(await header(page).getByRole('button', { name: 'Logga ut' }).isVisible());
    assert.equal(await header(page).getByRole('link', { name: 'Logga in' }).count(), 0);

    // The approved plans are everyone's; each unit's drafts are for the roles above it.
    for (const unit of [managed, read]) {
      assert.equal(await open(page, `${unit.href}/planer/2025`), 'läser', `${role}: 2025 plan of ${unit.name}`);
      const expected = covers(account, unit) ? 'läser' : 'nekad';
      assert.equal(await open(page, `${unit.href}/planer/2026`), expected, `${role}: 2026 draft of ${unit.name}`);
    }
    const t1 = `${managed.href}/rapporter/2026/t1`;
    assert.equal(await open(page, t1), covers(account, managed) ? 'läser' : 'nekad', `${role}: ${t1}`);
    // What the brief of the demo says, spelled out: only the reader is refused the
    // manager's draft, and reads the draft of their own unit instead.
    const draft = `${managed.href}/planer/2026`;
    assert.equal(await open(page, draft), role === 'reader' ? 'nekad' : 'läser', `${role}: ${draft}`);
    if (role === 'reader') {
      assert.equal(await open(page, `${read.href}/planer/2026`), 'läser');
      // The refusal keeps the person signed in and says so in Swedish.
      await open(page, draft);
      assert.match(await page.locator('main').textContent(), /Du är inloggad, men har ingen roll/);
      assert.match(await header(page).textContent(), new RegExp(account.name));
    }
    if (role === 'unit_writer' || role === 'unit_manager') {
      assert.equal(await open(page, `${read.href}/planer/2026`), 'nekad', `${role}: another unit's draft`);
    }

    await Promise.all([page.waitForURL(base + '/'), header(page).getByRole('button', { name: 'Logga ut' }).click()]);
    assert.ok(await header(page).getByRole('link', { name: 'Logga in' }).isVisible());
    assert.doesNotMatch(await header(page).textContent(), /Inloggad som/);
    assert.equal(await open(page, draft), 'inloggning', `${role}: the draft after signing out`);
    assert.equal(await open(page, `${managed.href}/planer/2025`), 'läser', `${role}: the approved plan after signing out`);
    await page.context().close();
  });
}

test('an anonymous visitor opens a draft, signs in on the form shown, and lands on the draft', async () => {
  const manager = accounts.unit_manager;
  const draft = `${unitOf('unit_manager').href}/planer/2026`;
  const page = await newPage(browser, { viewport: { width: 1280, height: 900 } });
  assert.equal(await open(page, draft), 'inloggning');
  assert.ok(await page.getByText('Du behöver logga in för att se den här sidan.').isVisible());
  assert.equal(page.url(), base + draft, 'the address stays the draft\'s');
  await page.screenshot({ path: shots + 'sign-in-for-draft.png', fullPage: true });
  // The accounts are on this page too; the manager's is read from it, not from elsewhere.
  const row = page.getByRole('table', { name: 'Ett konto per roll' }).getByRole('row').filter({ hasText: manager.email });
  assert.equal(await row.count(), 1);
  await fillSignIn(page, manager);
  assert.equal(page.url(), base + draft);
  assert.match(await page.locator('h1').textContent(), /^Verksamhetsplan 2026/);
  assert.match(await header(page).textContent(), new RegExp(`Inloggad som\\s+${manager.name}`));
  await page.screenshot({ path: shots + 'signed-in-header.png' });
  await page.setViewportSize({ width: 375, height: 740 });
  await page.screenshot({ path: shots + 'signed-in-header-phone.png' });
  await page.context().close();
});

test('a wrong password: a Swedish message, the email kept, the error summary focusable', async () => {
  const account = accounts.controller;
  const page = await newPage(browser, { viewport: { width: 1280, height: 900 } });
  await page.goto(base + '/logga-in');
  await page.screenshot({ path: shots + 'sign-in.png', fullPage: true });
  await page.getByLabel('E-postadress').fill(account.email);
  await page.getByLabel('Lösenord').fill(account.password + '-fel');
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Logga in', exact: true }).click(),
  ]);
  assert.equal(res.status(), 401);
  const summary = page.locator('.error-summary');
  await summary.waitFor();
  assert.equal(await summary.getAttribute('role'), 'alert');
  assert.match(await summary.textContent(), /Inloggningen gick inte/);
  assert.match(await summary.textContent(), /Fel e-postadress eller lösenord/);
  // It has focus when the page comes back, and can be given it again.
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'fel');
  await page.getByLabel('Lösenord').focus();
  await summary.focus();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'fel');
  // What was typed is kept, never the password; both fields point at the message.
  assert.equal(await page.getByLabel('E-postadress').inputValue(), account.email);
  assert.equal(await page.getByLabel('Lösenord').inputValue(), '');
  for (const label of ['E-postadress', 'Lösenord']) {
    assert.equal(await page.getByLabel(label).getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByLabel(label).getAttribute('aria-describedby'), 'fel');
  }
  assert.match(await header(page).textContent(), /Logga in/);
  await page.screenshot({ path: shots + 'sign-in-error.png', fullPage: true });
  // The right password on the same form.
  await page.getByLabel('Lösenord').fill(account.password);
  await Promise.all([page.waitForURL(base + '/'), page.getByRole('button', { name: 'Logga in', exact: true }).click()]);
  assert.match(await header(page).textContent(), new RegExp(account.name));
  await page.context().close();
});

test('on a phone the sign-in page and its demo accounts fit the screen', async () => {
  const page = await newPage(browser, { viewport: { width: 375, height: 740 }, deviceScaleFactor: 2 });
  await page.goto(base + '/logga-in');
  const wider = await overflow(page);
  assert.ok(wider <= 1, `the page is ${wider} px wider than the screen`);
  const table = page.getByRole('table', { name: 'Ett konto per roll' });
  const fits = await table.evaluate((t) => t.scrollWidth <= t.clientWidth + 1
    && [...t.querySelectorAll('td, th')].every((c) => c.getBoundingClientRect().right <= window.innerWidth));
  assert.ok(fits, 'every email and password is on the screen, without scrolling sideways');
  // Still a table to assistive technology, as Chromium exposes it: a row per account and
  // the header row, the role as row header, the column names as column headers.
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  await cdp.detach();
  const roles = (role) => nodes.filter((n) => !n.ignored && n.role?.value === role).map((n) => n.name?.value ?? '');
  const n = Object.keys(accounts).length;
  assert.equal(roles('table').length, 1);
  assert.equal(roles('row').length, n + 1, 'rows');
  assert.equal(roles('rowheader').length, n, 'row headers');
  assert.deepEqual(roles('columnheader'), ['Roll', 'Gäller', 'Namn', 'E-postadress', 'Lösenord']);
  assert.equal(roles('cell').length, 4 * n, 'cells');
  assert.ok(roles('cell').includes(accounts.reader.password), 'a cell is named by its value, not by the label shown before it');
  await page.screenshot({ path: shots + 'sign-in-phone.png', fullPage: true });
  // From the smallest phone to a wide screen: a table or cards, never a sideways scroll.
  for (const width of [320, 600, 800, 900, 1024, 1280]) {
    await page.setViewportSize({ width, height: 740 });
    const [pageWider, tableWider] = await page.evaluate(() => {
      const wrap = document.querySelector('table.accounts').parentElement;
      return [document.documentElement.scrollWidth - document.documentElement.clientWidth,
        wrap.scrollWidth - wrap.clientWidth];
    });
    assert.ok(pageWider <= 1 && tableWider <= 1, `at ${width} px: the page ${pageWider} px, the table ${tableWider} px too wide`);
  }
  await page.context().close();
});

test('API keys: made with a name and a lifetime, shown once, listed, revoked', async () => {
  // The controller's keys: no other test makes keys for this account.
  const page = await newPage(browser, { account: accounts.controller, viewport: { width: 1280, height: 900 } });
  await header(page).getByRole('link', { name: 'API-nycklar' }).click();
  await page.waitForURL(base + '/api-nycklar');
  assert.equal((await page.locator('h1').textContent()).trim(), 'API-nycklar');
  assert.ok(await page.getByText('Du har inga API-nycklar.').isVisible());

  await page.getByLabel('Namn').fill('Rapport till Power BI');
  await page.getByLabel('Giltig').selectOption({ label: '30 dagar' });
  await page.getByRole('button', { name: 'Skapa nyckel' }).click();
  const shown = page.getByRole('status');
  await shown.waitFor();
  assert.match(await shown.getByRole('heading').textContent(), /Nyckeln ”Rapport till Power BI” är skapad/);
  const secret = (await page.locator('#ny-nyckel').textContent()).trim();
  assert.match(secret, /^mk_[A-Za-z0-9_-]{40,}$/);
  const table = page.getByRole('table', { name: 'Dina API-nycklar' });
  const row = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Rapport till Power BI' }) });
  assert.equal(await row.count(), 1);
  assert.match(await row.textContent(), /Aldrig/, 'never used yet');
  await page.screenshot({ path: shots + 'api-keys-new.png', fullPage: true });

  // A program reads a draft with the key, as the controller; the key is shown only once.
  const draft = `/api/v1/units/${unitOf('unit_manager').href.split('/').pop()}/plans/2026`;
  const withKey = { headers: { Authorization: `Bearer ${secret}` } };
  assert.equal((await page.request.get(base + draft, withKey)).status(), 200, 'the new key reads the draft');
  await page.goto(base + '/api-nycklar');
  assert.equal(await page.locator('#ny-nyckel').count(), 0);
  assert.doesNotMatch(await page.locator('main').textContent(), new RegExp(secret));
  assert.equal(await row.count(), 1, 'listed');
  const [created, expires] = (await row.getByRole('cell').allTextContents()).map((t) => t.trim());
  const in30 = new Date(Date.parse(created.replace(' ', 'T') + 'Z') + 30 * 24 * 3600 * 1000);
  assert.equal(expires, in30.toISOString().slice(0, 16).replace('T', ' '), `valid for 30 days from ${created}`);

  await Promise.all([
    page.waitForURL(base + '/api-nycklar'),
    row.getByRole('button', { name: 'Återkalla nyckeln Rapport till Power BI' }).click(),
  ]);
  assert.match(await row.textContent(), /Återkallad/);
  assert.equal(await row.getByRole('button').count(), 0);
  assert.equal((await page.request.get(base + draft, withKey)).status(), 401, 'a revoked key is refused at once');
  await page.screenshot({ path: shots + 'api-keys-revoked.png', fullPage: true });
  await page.context().close();
});

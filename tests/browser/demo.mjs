// What the browser tests share: the browser, the demo's accounts as the sign-in page
// lists them, signing in through the form, and axe-core. Not a test file itself.
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');

export const base = process.env.MALKEDJA_URL ?? 'http://127.0.0.1:8080';

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/// The role's code for the label the sign-in page shows (`Role::label` in the domain).
const roles = [
  ['admin', /^Administratör$/],
  ['board_editor', /^Redaktör/],
  ['unit_manager', /^Enhetschef$/],
  ['unit_writer', /^Skribent$/],
  ['controller', /^Controller$/],
  ['reader', /^Läsare$/],
];

/// The demo's accounts as `/logga-in` lists them (the table "Ett konto per roll"), by role
/// code: { role, label, scope, name, email, password }. Nothing is hard-coded but the
/// labels of the roles.
export async function demoAccounts(browser) {
  const context = await browser.newContext({ locale: 'sv-SE' });
  const page = await context.newPage();
  await page.goto(base + '/logga-in');
  const table = page.getByRole('table', { name: 'Ett konto per roll' });
  const headers = (await table.locator('thead th').allTextContents()).map((t) => t.trim());
  const rows = await table.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));
  await context.close();
  const column = (name) => {
    const i = headers.indexOf(name);
    if (i < 0) throw new Error(`the demo table has no column ${name}: ${headers}`);
    return i;
  };
  const [roll, galler, namn, epost, losen] = ['Roll', 'Gäller', 'Namn', 'E-postadress', 'Lösenord'].map(column);
  const accounts = {};
  for (const r of rows) {
    const role = roles.find(([, label]) => label.test(r[roll]))?.[0];
    if (!role) throw new Error(`unknown role on the sign-in page: ${r[roll]}`);
    accounts[role] = { role, label: r[roll], scope: r[galler], name: r[namn], email: r[epost], password: r[losen] };
  }
  return accounts;
}

/// Signs in through the form on the page that shows it: types into the labelled fields
/// and presses the button, as a person does. Waits for the page it leads to.
export async function fillSignIn(page, account) {
  const form = page.locator('form.sign-in');
  await form.getByLabel('E-postadress').fill(account.email);
  await form.getByLabel('Lösenord').fill(account.password);
  await Promise.all([
    page.waitForNavigation(),
    form.getByRole('button', { name: 'Logga in' }).click(),
  ]);
}

/// Opens the sign-in page and signs in.
export async function signIn(page, account) {
  await page.goto(base + '/logga-in');
  await fillSignIn(page, account);
}

/// A new browser context (its own cookies), signed in as `account` when one is given.
export async function newPage(browser, { account, ...options } = {}) {
  const context = await browser.newContext({ locale: 'sv-SE', ...options });
  const page = await context.newPage();
  if (account) await signIn(page, account);
  return page;
}

/// The WCAG 2.1 A and AA violations axe-core finds on the page as it is now. The context
/// must have been made with `bypassCSP: true`: the strict Content-Security-Policy would
/// block the injected checker, as it should.
export async function axeViolations(page) {
  if (!await page.evaluate(() => 'axe' in window)) await page.addScriptTag({ path: axePath });
  return page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  });
}

/// The org tree of the start page: for each node's name, the names of the nodes from it up
/// to the root, and the address of its page (units only).
export async function orgTree(browser) {
  const context = await browser.newContext({ locale: 'sv-SE' });
  const page = await context.newPage();
  await page.goto(base + '/');
  const nodes = await page.locator('.org-tree li').evaluateAll((lis) => lis.map((li) => {
    const own = (el) => el.querySelector(':scope > a, :scope > span:not(.kind)');
    const chain = [];
    for (let n = li; n; n = n.parentElement.closest('.org-tree li')) chain.push(own(n).textContent.trim());
    const a = li.querySelector(':scope > a');
    return { name: chain[0], chain, href: a?.getAttribute('href') ?? null };
  }));
  await context.close();
  return new Map(nodes.map((n) => [n.name, n]));
}

/// How many pixels the page is wider than the window (it scrolls sideways when above 1).
export function overflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

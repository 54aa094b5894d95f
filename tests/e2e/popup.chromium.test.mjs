// The popup's linked accounts in Chromium, against the sandboxes with the unmodified dist/:
// linking through the consent page (clicked like a user) and in auto-approve mode, the account name
// and shops, a bad state and a refused or abandoned consent ending cleanly with nothing stored,
// linking the NuORDER buyer, unlink revoking the token, relinking, and a default location that
// survives a browser restart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, launchChromium, artifact } from './lib/env.mjs';

let sandbox;
let browser;
let userDataDir;

before(async () => {
  sandbox = await startSandbox();
  browser = await launchChromium(sandbox);
  userDataDir = browser.userDataDir;
});

after(async () => {
  await browser?.context.close();
  await sandbox?.stop();
});

async function lsState() {
  return sandbox.get('lightspeed/state');
}

async function openPopup() {
  const page = await browser.context.newPage();
  await page.goto(browser.extensionUrl('popup.html'));
  await page.getByRole('heading', { name: 'Linked accounts' }).waitFor();
  await page.locator('[data-test="background-status"], [data-test="error"]').first().waitFor();
  return page;
}

/** Start a Lightspeed link from the popup; resolves with the consent window. */
async function startLink(page) {
  await page.locator('[data-test="link-account"]').click();
  await page.getByRole('heading', { name: 'Link account' }).waitFor();
  await page.locator('[data-test="product"]').selectOption('lightspeed');
  const consent = browser.context.waitForEvent('page');
  await page.locator('[data-test="do-link"]').click();
  const win = await consent;
  await win.waitForLoadState('domcontentloaded');
  return win;
}

async function accountRows() {
  return (await lsState()).refresh_tokens;
}

test('an empty popup says no account is linked and offers Link account', async () => {
  const page = await openPopup();
  await page.locator('[data-test="no-accounts"]').waitFor();
  assert.equal((await page.locator('[data-test="link-account"]').textContent()).trim(), 'Link account');
  await page.screenshot({ path: artifact('popup-empty.png') });
  await page.close();
});

test('a refused consent (Deny) ends with a clear message and nothing stored', async () => {
  const page = await openPopup();
  const win = await startLink(page);
  assert.match(win.url(), /^https:\/\/cloud\.lightspeedapp\.com\/auth\/oauth\/authorize\?/);
  const url = new URL(win.url());
  assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
  assert.ok(url.searchParams.get('state')?.length >= 16);
  assert.equal(url.searchParams.get('redirect_uri'), null, 'Lightspeed takes no redirect_uri');
  await win.locator('#deny').click();
  await page.locator('[data-test="link-error"]').waitFor();
  assert.match(await page.locator('[data-test="link-error"]').textContent(), /cancelled.*Allow/);
  await page.locator('[data-test="cancel"]').click();
  await page.locator('[data-test="no-accounts"]').waitFor();
  await page.close();
});

test('a consent window closed without a click ends cleanly', async () => {
  const page = await openPopup();
  const win = await startLink(page);
  await win.close();
  await page.locator('[data-test="link-error"]').waitFor();
  assert.match(await page.locator('[data-test="link-error"]').textContent(), /cancelled/);
  assert.equal(await page.locator('[data-test="do-link"]').isEnabled(), true);
  await page.close();
});

test('an answer with a wrong state is refused and nothing is stored', async () => {
  const page = await openPopup();
  const win = await startLink(page);
  // A forged answer arriving at the extension's redirect URL with a state of another attempt.
  await win.goto(`https://${browser.extensionId}.chromiumapp.org/?code=forged&state=not-the-one-we-sent`).catch(() => {});
  await page.locator('[data-test="link-error"]').waitFor();
  assert.match(await page.locator('[data-test="link-error"]').textContent(), /did not match this sign-in attempt/);
  await page.locator('[data-test="cancel"]').click();
  await page.locator('[data-test="no-accounts"]').waitFor();
  await page.close();
});

test('linking through the consent page shows the account and its shops, then links the NuORDER buyer', async () => {
  // A NuORDER tab signed in, so the popup knows the buyer.
  const { brands } = await sandbox.corpus();
  const nuorder = await browser.context.newPage();
  await nuorder.goto(sandbox.signedIn(`/brand/${brands[0]._id}/orders`));
  await nuorder.locator('po-bridge-action').first().waitFor();

  const page = await openPopup();
  await page.locator('[data-test="nuorder-session"]').getByText('Sam Okafor').waitFor();
  const win = await startLink(page);
  await win.locator('#allow').click();
  await page.locator('[data-test="linked-message"]').waitFor();
  assert.match(await page.locator('[data-test="linked-message"]').textContent(), /Linked Lightspeed account .+ \(#83050\)/);
  await page.locator('[data-test="back-to-accounts"]').click();
  const card = page.locator('[data-test="account"][data-account-id="83050"]');
  await card.waitFor();
  await card.locator('[data-test="default-shop"]').waitFor();
  const options = await card.locator('[data-test="default-shop"] option:not([disabled])').allTextContents();
  assert.ok(options.length >= 2, `live shops listed: ${options}`);
  // Exactly the live shops, by name: the sandbox's account has an archived one, which must not show.
  const seed = (await lsState()).accounts['83050'] ?? Object.values((await lsState()).accounts)[0];
  const shops = seed.tables.Shop ?? [];
  const isArchived = (sh) => sh.archived === true || sh.archived === 'true';
  const archived = shops.filter(isArchived).map((sh) => sh.name);
  assert.ok(archived.length >= 1, `the sandbox seeds an archived shop: ${JSON.stringify(shops.map((sh) => [sh.name, sh.archived]))}`);
  assert.deepEqual([...options].sort(), shops.filter((sh) => !isArchived(sh)).map((sh) => sh.name).sort(), 'the live shops, and only those');

  // Link the NuORDER buyer to it.
  await page.locator('[data-test="link-account"]').click();
  await page.locator('[data-test="product"]').selectOption('nuorder');
  await page.locator('[data-test="do-link"]').click();
  await page.locator('[data-test="linked-message"]').waitFor();
  assert.match(await page.locator('[data-test="linked-message"]').textContent(), /Linked NuORDER buyer Sam Okafor/);
  await page.locator('[data-test="back-to-accounts"]').click();
  await card.locator('[data-test="buyers"]').getByText('Sam Okafor').waitFor();
  await page.screenshot({ path: artifact('popup-linked.png') });
  await page.close();
  await nuorder.close();
});

test('the default location survives a browser restart', async () => {
  let page = await openPopup();
  const select = page.locator('[data-account-id="83050"] [data-test="default-shop"]');
  await select.waitFor();
  const values = await select.locator('option:not([disabled])').evaluateAll((os) => os.map((o) => o.value));
  const chosen = values[values.length - 1];
  await select.selectOption(chosen);
  await page.locator('[data-test="account-message"]').getByText('Default location saved.').waitFor();
  await page.close();

  await browser.context.close();
  browser = await launchChromium(sandbox, { userDataDir });
  page = await openPopup();
  const again = page.locator('[data-account-id="83050"] [data-test="default-shop"]');
  await again.waitFor();
  assert.equal(await again.inputValue(), chosen);
  await page.close();
});

test('locations Lightspeed cannot list show the background\'s one sentence of advice; they load again afterwards', async () => {
  await sandbox.control('lightspeed/faults', { method: 'GET', path: '/API/V3/Account/83050/Shop.json', kind: '503', count: 100 });
  let page;
  try {
    page = await openPopup();
    const alert = page.locator('[data-account-id="83050"] [role="alert"]');
    await alert.waitFor({ timeout: 60_000 });
    const text = (await alert.textContent()).trim();
    assert.match(text, /^[A-Z][^{}]*\.$/, `one sentence, not a debug string: ${text}`);
    assert.doesNotMatch(text, /ProtocolError|code:|retryable|BadReply|Network\b/);
    await page.screenshot({ path: artifact('popup-shops-error.png') });
  } finally {
    await fetch(`${sandbox.base}/__sandbox/lightspeed/faults`, { method: 'DELETE' });
  }
  await page.reload();
  await page.locator('[data-account-id="83050"] [data-test="default-shop"]').waitFor();
  await page.close();
});

test('unlink revokes the refresh token at Lightspeed and forgets the account; relinking in auto-approve mode works', async () => {
  const liveTokens = async () => (await accountRows())
    .filter(({ token: t }) => t.client_id === 'po-bridge-chrome' && t.account === '83050' && !t.revoked).map((r) => r.refresh_token);
  const live = await liveTokens();
  assert.equal(live.length, 1, 'one live refresh token before unlinking');
  const page = await openPopup();
  const card = page.locator('[data-test="account"][data-account-id="83050"]');
  await card.locator('[data-test="unlink"]').click();
  await card.locator('[data-test="unlink"]').getByText('Confirm').waitFor();
  await card.locator('[data-test="unlink"]').click();
  await page.locator('[data-test="no-accounts"]').waitFor();
  const rows = await accountRows();
  assert.equal(rows.find((r) => r.refresh_token === live[0]).token.revoked, true, 'the sandbox shows the refresh token revoked');
  assert.deepEqual(await liveTokens(), []);

  await sandbox.control('lightspeed/settings', { auto_approve: true });
  await page.locator('[data-test="link-account"]').click();
  await page.locator('[data-test="do-link"]').click();
  await page.locator('[data-test="linked-message"]').waitFor();
  await page.locator('[data-test="back-to-accounts"]').click();
  await page.locator('[data-test="account"][data-account-id="83050"]').waitFor();
  await page.close();
  await sandbox.control('lightspeed/settings', { auto_approve: false });
});

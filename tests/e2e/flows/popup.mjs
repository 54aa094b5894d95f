// The popup's edge cases, registered once for a browser against the driver-neutral interface
// (../lib/driver.mjs) and run by popup.<browser>.test.mjs: the empty popup, a refused or abandoned
// consent and a forged state ending cleanly with nothing stored, linking through the consent page
// (the account, exactly its live shops, then the NuORDER buyer), a default location that survives a
// browser restart, Lightspeed failing to list locations shown as one sentence with Try again, unlink revoking
// the token, then relinking in auto-approve mode, and a failed export's Retry in the history (refused with
// the background's advice while no account is linked, then finishing the export once one is).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox } from '../lib/env.mjs';
import * as s from './steps.mjs';
import { addFault, clearFaults } from '../lib/reliability.mjs';

const CARD = `[data-test="account"][data-account-id="${s.ACCOUNT_ID}"]`;
/** The order whose failed export the history retries. */
const RETRY_NUMBER = '40718821';

/**
 * `launch(sandbox, previous)` returns a session of ../lib/driver.mjs; with `previous` (a session
 * already quit) it starts the same browser profile again, with PO Bridge and its storage still there.
 */
export function popupSuite(browserName, launch) {
  let sandbox;
  let session;

  before(async () => {
    sandbox = await startSandbox();
    session = await launch(sandbox);
    console.log(`# popup in ${session.version}`);
  });

  after(async () => {
    await session?.quit();
    await sandbox?.stop();
  });

  const shot = (tab, name) => tab.screenshot(`popup-${browserName}-${name}`);

  /** No live refresh token for this browser's client, and the popup shows no account. */
  async function nothingStored(popup) {
    await popup.click('[data-test="cancel"]');
    await popup.waitFor('[data-test="no-accounts"]');
    assert.deepEqual(await s.liveRefreshTokens(session, sandbox), [], 'nothing stored at Lightspeed');
  }

  test('an empty popup says what PO Bridge does and offers Go to NuORDER and Connect Lightspeed', async () => {
    const popup = await s.openPopup(session);
    await popup.waitFor('[data-test="no-accounts"]');
    assert.match(await popup.text('[data-test="first-run"]'), /turns your NuORDER orders into Lightspeed purchase orders/);
    assert.equal((await popup.text('[data-test="go-to-nuorder"]')).trim(), 'Go to NuORDER');
    assert.equal((await popup.text('[data-test="link-account"]')).trim(), 'Connect Lightspeed');
    await shot(popup, 'empty');
    await popup.close();
  });

  test('a refused consent (Deny) ends with a clear message and nothing stored', async () => {
    const popup = await s.openPopup(session);
    const consent = await s.startLink(session, popup);
    assert.match(await consent.url(), /^https:\/\/cloud\.lightspeedapp\.com\/auth\/oauth\/authorize\?/);
    const url = new URL(await consent.url());
    assert.equal(url.searchParams.get('client_id'), session.oauthClient);
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.ok(url.searchParams.get('state')?.length >= 16);
    assert.equal(url.searchParams.get('redirect_uri'), null, 'Lightspeed takes no redirect_uri');
    await consent.click('#deny');
    await popup.waitFor('[data-test="link-error"]', { text: /^Lightspeed wasn't connected: access was denied\.Try again$/ });
    await nothingStored(popup);
    await popup.close();
  });

  test('a consent window closed without a click ends cleanly', async () => {
    const popup = await s.openPopup(session);
    const consent = await s.startLink(session, popup);
    await consent.close();
    await popup.waitFor('[data-test="link-error"]', { text: /^The Lightspeed window closed before access was allowed\.Try again$/ });
    assert.equal(await popup.attr('[data-test="do-link"]', 'disabled'), null, 'Link can be tried again');
    await nothingStored(popup);
    await popup.close();
  });

  test('an answer with a wrong state is refused and nothing is stored', async () => {
    const popup = await s.openPopup(session);
    // The browser's own redirect URL for this extension (Chromium: https://<id>.chromiumapp.org/,
    // Firefox: https://<sha1 of the gecko id>.extensions.allizom.org/).
    const redirect = await popup.evaluate(() => (globalThis.browser ?? globalThis.chrome).identity.getRedirectURL());
    const consent = await s.startLink(session, popup);
    // A forged answer arriving at that URL with a state of another attempt (the window closes on it).
    const forged = new URL(redirect);
    forged.search = '?code=forged&state=not-the-one-we-sent';
    await consent.goto(forged.href).catch(() => {});
    await popup.waitFor('[data-test="link-error"]', { text: /did not match this sign-in attempt/ });
    await nothingStored(popup);
    await popup.close();
  });

  test('linking through the consent page shows the account and exactly its live shops, then links the NuORDER buyer', async () => {
    // A NuORDER tab signed in, so the popup knows the buyer.
    const { brands } = await sandbox.corpus();
    const nuorder = await session.open(sandbox.signedIn(`/brand/${brands[0]._id}/orders`));
    await nuorder.waitFor('po-bridge-action');

    const popup = await s.openPopup(session);
    await popup.waitFor('[data-test="nuorder-session"]', { text: /Sam Okafor/ });
    const consent = await s.startLink(session, popup);
    await consent.click('#allow');
    await popup.waitFor('[data-test="linked-message"]', { text: /Linked Lightspeed account .+ \(#83050\)/, timeout: 30000 });
    await popup.click('[data-test="back-to-accounts"]');
    await popup.waitFor(`${CARD} [data-test="default-shop"] option:not([disabled])`);
    const options = await popup.texts(`${CARD} [data-test="default-shop"] option:not([disabled])`);
    assert.ok(options.length >= 2, `live shops listed: ${options}`);
    // Exactly the live shops, by name: the sandbox's account has an archived one, which must not show.
    const shops = await s.lsRecords(sandbox, 'Shop');
    const isArchived = (sh) => sh.archived === true || sh.archived === 'true';
    const archived = shops.filter(isArchived).map((sh) => sh.name);
    assert.ok(archived.length >= 1, `the sandbox seeds an archived shop: ${JSON.stringify(shops.map((sh) => [sh.name, sh.archived]))}`);
    assert.deepEqual([...options].sort(), shops.filter((sh) => !isArchived(sh)).map((sh) => sh.name).sort(), 'the live shops, and only those');

    // Link the NuORDER buyer to it.
    await popup.click('[data-test="link-account"]');
    await popup.select('[data-test="product"]', 'nuorder');
    await popup.click('[data-test="do-link"]');
    await popup.waitFor('[data-test="linked-message"]', { text: /Linked NuORDER buyer Sam Okafor/ });
    await popup.click('[data-test="back-to-accounts"]');
    await popup.waitFor(`${CARD} [data-test="buyers"]`, { text: /Sam Okafor/ });
    await shot(popup, 'linked');
    await popup.close();
    await nuorder.close();
  });

  test('the default location and the back-office region survive a browser restart', async () => {
    const select = `${CARD} [data-test="default-shop"]`;
    const region = `${CARD} [data-test="region"]`;
    let popup = await s.openPopup(session);
    await popup.waitFor(`${select} option:not([disabled])`);
    const values = await popup.evaluate((sel) => [...document.querySelectorAll(sel)].map((o) => o.value), `${select} option:not([disabled])`);
    const current = await popup.evaluate((sel) => document.querySelector(sel).value, select);
    // A location other than the one shown now, so that only the saved choice can show it after the restart.
    const chosen = [...values].reverse().find((v) => v !== current);
    assert.ok(chosen, `another location to choose than ${current}: ${values}`);
    await popup.select(select, chosen);
    await popup.waitFor('[data-test="account-message"]', { text: /Default location saved\./ });
    // A region other than the default (US): the option's value is the region's name on the wire.
    assert.equal(await popup.evaluate((sel) => document.querySelector(sel).value, region), 'us');
    await popup.select(region, 'aus');
    await popup.waitFor('[data-test="account-message"]', { text: /Region saved\./ });
    await popup.close();

    const previous = session;
    await previous.quit();
    session = await launch(sandbox, previous);
    popup = await s.openPopup(session);
    await popup.waitFor(`${select} option:not([disabled])`);
    assert.equal(await popup.evaluate((sel) => document.querySelector(sel).value, select), chosen);
    assert.equal(await popup.evaluate((sel) => document.querySelector(sel).value, region), 'aus');
    await popup.close();
  });

  test('locations Lightspeed cannot list show the background\'s one sentence of advice and Try again, which loads them once Lightspeed is back', async () => {
    await sandbox.control('lightspeed/faults', { method: 'GET', path: `/API/V3/Account/${s.ACCOUNT_ID}/Shop.json`, kind: '503', count: 100 });
    let popup;
    try {
      popup = await s.openPopup(session);
      const text = (await popup.waitFor(`${CARD} [role="alert"]`, { timeout: 60_000 })).trim();
      assert.match(text, /^[A-Z][^{}]*\.$/, `one sentence, not a debug string: ${text}`);
      assert.doesNotMatch(text, /ProtocolError|code:|retryable|BadReply|Network\b/);
      // With its one thing to do.
      assert.equal(await popup.text(`${CARD} [data-test="shops-error"] [data-test="next-step"]`), 'Try again');
      await shot(popup, 'shops-error');
    } finally {
      await fetch(`${sandbox.base}/__sandbox/lightspeed/faults`, { method: 'DELETE' });
    }
    await popup.click(`${CARD} [data-test="shops-error"] [data-test="next-step"]`);
    await popup.waitFor(`${CARD} [data-test="default-shop"] option:not([disabled])`);
    await popup.close();
  });

  test('unlink revokes the refresh token at Lightspeed and forgets the account; relinking in auto-approve mode works', async () => {
    const popup = await s.openPopup(session);
    await s.unlink(session, sandbox, popup);
    await sandbox.control('lightspeed/settings', { auto_approve: true });
    try {
      await popup.click('[data-test="link-account"]');
      await popup.click('[data-test="do-link"]');
      await popup.waitFor('[data-test="linked-message"]', { timeout: 30000 });
      await popup.click('[data-test="back-to-accounts"]');
      await popup.waitFor(CARD);
      assert.equal((await s.liveRefreshTokens(session, sandbox)).length, 1, 'one live refresh token again');
    } finally {
      await sandbox.control('lightspeed/settings', { auto_approve: false });
    }
    await popup.close();
  });

  test('a failed export\'s Retry in the history: one that cannot start says why, one that can finishes the export', async () => {
    const order = (await sandbox.corpus()).orders.find((o) => o.order_number === RETRY_NUMBER);
    const list = await s.nuorderPage(session, sandbox, `/brand/${order.brand_id}/orders`, 'strict');
    await s.settledList(list);
    const dialog = await s.openDialogFromRow(session, list, order);
    await s.exportReady(dialog);
    // Lightspeed fails the job's first lookup (the order's existing-PO check) past its retries.
    await addFault(sandbox, { method: 'GET', path: `/API/V3/Account/${s.ACCOUNT_ID}/Order.json`, kind: '503', count: 100 });
    try {
      await dialog.click('[data-test="export"]');
      await list.waitFor(`${s.rowAction(RETRY_NUMBER)} >>> .badge .text`, { text: 'Export failed', timeout: 60000 });
    } finally {
      await clearFaults(sandbox);
    }
    const entry = `[data-test="history-entry"][data-order-number="${RETRY_NUMBER}"]`;
    // The account is unlinked since: Retry cannot start, and says what to do instead of nothing.
    let popup = await s.openPopup(session);
    await s.unlink(session, sandbox, popup);
    await popup.waitFor(`${entry} [data-test="history-status"]`, { text: 'Export failed' });
    assert.equal(await popup.count('[data-test="history-error"]'), 0);
    await popup.click(`${entry} [data-test="history-retry"]`);
    const said = (await popup.waitFor('[data-test="history-error"] [data-test="error"]')).trim();
    assert.match(said, /^The Lightspeed account this order was exported to is not linked any more\. Connect it again/, said);
    await shot(popup, 'history-retry-refused');
    assert.equal((await s.lsRecords(sandbox, 'Order')).filter((o) => o.refNum === `NuORDER ${RETRY_NUMBER}`).length, 0);
    // Linked again, Retry resumes the export to its one PO.
    await s.linkAutoApproved(session, sandbox);
    await popup.close();
    popup = await s.openPopup(session);
    await popup.click(`${entry} [data-test="history-retry"]`);
    // The row follows the job; the history is read when the popup opens.
    await s.waitRowExported(list, RETRY_NUMBER);
    assert.equal(await popup.count('[data-test="history-error"]'), 0, 'a Retry that started shows no refusal');
    await popup.close();
    popup = await s.openPopup(session);
    await popup.waitFor(`${entry} [data-test="history-status"]`, { text: 'Exported' });
    await s.assertOnePo(sandbox, RETRY_NUMBER, s.orderShape(await s.readOrder(list, RETRY_NUMBER)));
    await popup.close();
    await list.close();
  });
}

// From install to the first PO (issue 20), registered once per browser by
// firstpo.<browser>.test.mjs. A fresh profile: nothing opens by itself; the popup says what PO
// Bridge does. On a signed-in NuORDER list with no Lightspeed account linked, the action opens the
// export dialog with its Connect step; consent denied and the consent window closed each end in
// their sentence and *Try again*; then the quickest path runs and its clicks are counted: the
// action, Connect Lightspeed, a location (the sandbox's account has several), Export — at most
// four of ours, plus the consent page's Allow. Then the other rows of the errors table, each
// ending in its sentence and its one button: Lightspeed unreachable (Try again, which works once
// it is back), the link dead (Reconnect, through the consent page), no active location (Open
// Lightspeed), NuORDER signed out in the tab (the popup's Sign in).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox } from '../lib/env.mjs';
import { addFault, clearFaults, quietFor, until } from '../lib/reliability.mjs';
import * as s from './steps.mjs';

const NUMBER = '40718821';
const CLICK_BUDGET = 4;

export function firstPoSuite(launch) {
  let sandbox;
  let session;
  let corpus;
  let list;
  const order = (n) => corpus.orders.find((o) => o.order_number === n);

  before(async () => {
    sandbox = await startSandbox();
    session = await launch(sandbox);
    corpus = await sandbox.corpus();
  });

  after(async () => {
    await session?.quit();
    await sandbox?.stop();
  });

  /** The row action clicked: the dialog (overlay frame in Chromium, the background's window in Firefox). */
  async function openDialog(n, clicks, { failing = false } = {}) {
    await list.hover(s.row(n));
    const click = async () => {
      clicks?.push('action');
      await list.click(`${s.rowAction(n)} >>> button.icon`);
    };
    const dialog = session.browser === 'firefox' ? await session.consentWindow(click) : (await click(), await list.frame('po-bridge-overlay >>> iframe'));
    if (failing) await dialog.waitFor('[data-test="error"]', { timeout: 30000 });
    else await dialog.waitFor('[data-test="order-number"]', { text: n, timeout: 30000 });
    return dialog;
  }

  async function closeDialog(dialog) {
    await dialog.click('[data-test="close"]').catch(() => {});
    if (session.browser !== 'firefox') await list.waitFor('po-bridge-overlay', { gone: true });
  }

  /** Connect Lightspeed clicked: resolves with the consent window. */
  async function connect(dialog, clicks) {
    await dialog.waitFor('[data-test="connect"]:not([disabled])', { timeout: 10000 });
    return session.consentWindow(async () => {
      clicks?.push('connect');
      await dialog.click('[data-test="connect"]');
    });
  }

  test('after install nothing opens by itself; the popup says what PO Bridge does and offers Go to NuORDER and Connect Lightspeed', async () => {
    const opened = await quietFor(() => session.pageCount(), { forMs: 2000, what: 'open pages' });
    assert.equal(opened, 1, 'only the browser\'s own first page');
    const popup = await s.openPopup(session);
    assert.match(await popup.text('[data-test="first-run"]'), /turns your NuORDER orders into Lightspeed purchase orders/);
    assert.equal(await popup.text('[data-test="go-to-nuorder"]'), 'Go to NuORDER');
    assert.equal(await popup.text('[data-test="link-account"]'), 'Connect Lightspeed');
    await popup.screenshot(`firstpo-${session.browser}-popup`);
    await popup.close();
  });

  test('no account linked: the action opens the dialog\'s Connect step; a denied consent and a closed consent window each end in their sentence and Try again', async () => {
    list = await s.nuorderPage(session, sandbox, `/brand/${order(NUMBER).brand_id}/orders`, 'strict');
    await s.settledList(list);
    const dialog = await openDialog(NUMBER);
    assert.match(await dialog.text('[data-test="buyer"]'), /.+, .+/);
    assert.equal(await dialog.count('[data-test="export"]'), 0, 'no Export before an account is linked');
    const consent = await connect(dialog);
    await consent.click('#deny');
    await dialog.waitFor('[data-test="error"]', { text: "Lightspeed wasn't connected: access was denied." });
    assert.equal(await dialog.text('[data-test="next-step"]'), 'Try again');
    // Like Connect, Try again works once the dialog has been in view (Firefox: its window
    // focused) for 500 ms since the consent window went.
    await dialog.waitFor('[data-test="connect"]:not([disabled])', { timeout: 10000 });
    const again = await session.consentWindow(() => dialog.click('[data-test="next-step"]'));
    await again.close();
    await dialog.waitFor('[data-test="error"]', { text: 'The Lightspeed window closed before access was allowed.' });
    assert.equal(await dialog.text('[data-test="next-step"]'), 'Try again');
    assert.equal((await s.liveRefreshTokens(session, sandbox)).length, 0, 'nothing linked');
    await closeDialog(dialog);
  });

  test(`the quickest path: from the signed-in list to the first exported PO in at most ${CLICK_BUDGET} clicks of ours plus Allow`, async () => {
    const clicks = [];
    const shape = s.orderShape(await s.readOrder(list, NUMBER));
    const dialog = await openDialog(NUMBER, clicks);
    const consent = await connect(dialog, clicks);
    await consent.click('#allow'); // the consent page's own click, not ours
    await dialog.waitFor('[data-test="choose-location"]', { timeout: 30000 });
    await dialog.screenshot(`firstpo-${session.browser}-location`);
    clicks.push('location');
    await dialog.click('[data-test="pick-location"]');
    await dialog.waitFor('[data-test="shop"]', { timeout: 30000 });
    await s.exportReady(dialog);
    await dialog.screenshot(`firstpo-${session.browser}-preview`);
    clicks.push('export');
    await dialog.click('[data-test="export"]');
    await s.waitRowExported(list, NUMBER);
    await s.assertOnePo(sandbox, NUMBER, shape);
    assert.ok(clicks.length <= CLICK_BUDGET, `clicks of ours: ${clicks.join(', ')}`);
    assert.deepEqual(clicks, ['action', 'connect', 'location', 'export']);
  });

  /** The dialog shows `sentence` and one button labelled `label`. */
  async function advises(dialog, sentence, label) {
    await dialog.waitFor('[data-test="error"]', { text: sentence, timeout: 30000 });
    assert.equal(await dialog.text('[data-test="error"]'), sentence);
    assert.equal(await dialog.text('[data-test="next-step"]'), label);
  }

  /** Another order of the list (not exported: these dialogs write nothing). */
  const other = () => corpus.orders.find((o) => o.brand_id === order(NUMBER).brand_id && o.order_number !== NUMBER).order_number;

  test('Lightspeed unreachable: "Can\'t reach Lightspeed right now; nothing was written." and Try again, which works once it is back', async () => {
    await addFault(sandbox, { method: 'GET', path: '/API/V3/Account/*/Shop.json', kind: 'drop', count: 100 });
    const dialog = await openDialog(other(), undefined, { failing: true });
    await advises(dialog, "Can't reach Lightspeed right now; nothing was written.", 'Try again');
    await clearFaults(sandbox);
    await dialog.click('[data-test="next-step"]');
    await dialog.waitFor('[data-test="shop"]', { timeout: 30000 });
    await closeDialog(dialog);
  });

  test('the link dead: "Lightspeed asks you to connect this account again." and Reconnect, through the consent page; a denied consent says so and keeps Reconnect', async () => {
    await sandbox.control('lightspeed/tokens/expire', {});
    await sandbox.control('lightspeed/tokens/revoke', {});
    const dialog = await openDialog(other(), undefined, { failing: true });
    await advises(dialog, 'Lightspeed asks you to connect this account again.', 'Reconnect');
    const denied = await session.consentWindow(() => dialog.click('[data-test="next-step"]'));
    await denied.click('#deny');
    await dialog.waitFor('[data-test="relink-error"]', { text: "Lightspeed wasn't connected: access was denied.", timeout: 30000 });
    assert.equal(await dialog.text('[data-test="next-step"]'), 'Reconnect', 'still the one thing to do');
    const consent = await session.consentWindow(() => dialog.click('[data-test="next-step"]'));
    await consent.click('#allow');
    await dialog.waitFor('[data-test="shop"]', { timeout: 30000 });
    await closeDialog(dialog);
  });

  test('no active location: "This Lightspeed account has no active location to receive the order." and Open Lightspeed', async () => {
    // The account's locations all closed (the sandbox's records replaced: Lightspeed's API cannot
    // archive a shop; the merchant does it in the back office).
    await sandbox.control('lightspeed/seed', { replace: true, accounts: [{ accountID: s.ACCOUNT_ID, name: 'Harborview Outfitters',
      shops: [{ name: 'Old Warehouse (closed)', archived: true }] }] });
    const dialog = await openDialog(other(), undefined, { failing: true });
    await advises(dialog, 'This Lightspeed account has no active location to receive the order.', 'Open Lightspeed');
    const opened = await session.consentWindow(() => dialog.click('[data-test="next-step"]'));
    assert.match(await opened.url(), /^https:\/\/cloud\.lightspeedapp\.com\//);
    await opened.close();
    await closeDialog(dialog);
  });

  test('NuORDER signed out in the tab: the popup says "Sign in to NuORDER in this tab to export its orders." with Sign in', async () => {
    await sandbox.control('nuorder/sessions/expire', {});
    await list.reload(); // NuORDER sends the signed-out tab to its sign-in page
    const popup = await s.openPopup(session);
    const signIn = async () => {
      await popup.reload();
      return popup.waitFor('[data-test="this-page"] [data-test="next-step"]', { timeout: 3000 }).then(() => true, () => false);
    };
    await until(signIn, (seen) => seen, { what: 'the signed-out page', timeoutMs: 30000, every: 200 });
    assert.equal(await popup.text('[data-test="this-page"] [data-test="error"]'), 'Sign in to NuORDER in this tab to export its orders.');
    assert.equal(await popup.text('[data-test="this-page"] [data-test="next-step"]'), 'Sign in');
    assert.equal(await popup.count('[data-test="export-this-order"]'), 0);
    await popup.close();
  });
}

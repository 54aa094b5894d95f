// The PO follows the order (issue 18), registered once for a browser: an order exported, then
// edited by the brand through the NuORDER sandbox's control API, reads "Changed since export ·
// Review"; Review (a trusted click, like the action) opens the review listing the changes; Update
// PO brings the same PO's lines to the new order without touching a line the merchant added in
// Lightspeed, and the badge is back to "Exported · View PO #N" (the popup's history following
// both). Then the receiving rules: a received line is shown as a conflict, a checked-in PO is
// refused, a cancelled order is shown as such; an order cancelled before any export is refused by
// the dialog with nothing written. tests/e2e/review.<browser>.test.mjs call it with
// their driver.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox } from '../lib/env.mjs';
import * as s from './steps.mjs';
import { addFault, clearFaults } from '../lib/reliability.mjs';

const NUMBER = '40718821';
const STATUS = '[data-test="order-header"] po-bridge-status';

/** The detail page's badge reads `text` (and, exported, links to the PO). */
async function waitBadge(tab, text, { timeout = 30000 } = {}) {
  await tab.waitFor(`${STATUS} >>> .badge .text`, { text, timeout });
}

/**
 * Click Review on the detail page's badge: the review opens (Chromium: our overlay's iframe;
 * Firefox: the background's own window). Returns the dialog once its content is there.
 */
async function openReview(session, tab) {
  const dialog = await s.openDialog(session, tab, () => tab.click(`${STATUS} >>> button.review`));
  await dialog.waitFor('[data-test="review-headline"]', { timeout: 30000 });
  assert.equal(await dialog.text('[data-test="dialog-title"]'), 'Review changes');
  return dialog;
}

/** Cancel the review: nothing is written. (The click's frame or window goes away under it, which
 * the driver may report as a failed click: what counts is that the dialog is gone.) */
async function cancelReview(session, tab, dialog) {
  await dialog.click('[data-test="cancel"]').catch(() => {});
  if (session.browser !== 'firefox') await tab.waitFor('po-bridge-overlay', { gone: true });
}

/** The popup's history shows the order's last state known. */
async function historyReads(session, text) {
  const popup = await s.openPopup(session);
  await popup.waitFor(`[data-test="history-entry"][data-order-number="${NUMBER}"] [data-test="history-status"]`, { text });
  await popup.close();
}

/** The PO's lines in the Lightspeed sandbox. */
async function poLines(sandbox, poId) {
  return (await s.lsRecords(sandbox, 'OrderLine')).filter((l) => l.orderID === poId);
}

/** The item of a size row in Lightspeed (by its UPC). */
async function itemOf(sandbox, upc) {
  return (await s.lsRecords(sandbox, 'Item')).find((i) => i.upc === upc && i.archived !== 'true');
}

/** `launch(sandbox)` returns a session of ../lib/driver.mjs. */
export function reviewSuite(launch) {
  let sandbox;
  let session;
  let order;
  let detail;
  let poId;
  let hand;

  before(async () => {
    sandbox = await startSandbox();
    session = await launch(sandbox);
    order = (await sandbox.corpus()).orders.find((o) => o.order_number === NUMBER);
    await s.linkAutoApproved(session, sandbox);
    console.log(`# review in ${session.version}`);
  });

  after(async () => {
    await session?.quit();
    await sandbox?.stop();
  });

  const detailPath = () => `/brand/${order.brand_id}/order/${order._id}`;
  const edit = (body) => sandbox.control(`nuorder/orders/${order._id}/edit`, body);

  /** The detail page, opened afresh (it reads the order and compares it with what the PO was made from). */
  async function openDetail() {
    await detail?.close();
    detail = await s.nuorderPage(session, sandbox, detailPath(), 'strict');
    return detail;
  }

  test('an exported order with a line the merchant added by hand in Lightspeed', async () => {
    const list = await s.nuorderPage(session, sandbox, `/brand/${order.brand_id}/orders`, 'strict');
    await s.settledList(list);
    const dialog = await s.openDialogFromRow(session, list, order);
    await s.exportAndWait(list, dialog, NUMBER);
    poId = (await s.assertOnePo(sandbox, NUMBER)).orderID;
    await list.close();
    await sandbox.control('lightspeed/seed', {
      replace: false,
      accounts: [{ accountID: s.ACCOUNT_ID, items: [{ description: 'Counter display (added by hand)', upc: '000000004242' }] }],
    });
    const item = (await itemOf(sandbox, '000000004242')).itemID;
    await sandbox.control('lightspeed/seed', {
      replace: false,
      accounts: [{ accountID: s.ACCOUNT_ID, orderLines: [{ orderID: poId, itemID: item, quantity: '1', price: '3' }] }],
    });
    hand = (await poLines(sandbox, poId)).find((l) => l.itemID === item);
    assert.ok(hand, 'the hand-added line is on the PO');
    await openDetail();
    await waitBadge(detail, 'Exported');
    assert.equal(await detail.text(`${STATUS} >>> a.link`), `View PO #${poId}`);
  });

  /**
   * The orders list, opened afresh under `csp` (Chromium: strict → the JS fallback, relaxed → the
   * wasm; Firefox: the wasm both ways): the order's row badge reads `text` from what the row shows
   * alone (no staging, no detail page read).
   */
  async function listRowReads(csp, text) {
    const list = await s.nuorderPage(session, sandbox, `/brand/${order.brand_id}/orders`, csp);
    await s.settledList(list);
    const engine = await list.attr(s.rowAction(NUMBER), 'data-po-bridge-engine');
    assert.equal(engine, csp === 'strict' ? session.strictCspEngine : 'wasm');
    await list.waitFor(`${s.rowAction(NUMBER)} >>> .badge .text`, { text, timeout: 30000 });
    if (text === 'Changed since export') assert.equal(await list.text(`${s.rowAction(NUMBER)} >>> button.review`), 'Review');
    else assert.equal(await list.text(`${s.rowAction(NUMBER)} >>> a.link`), `View PO #${poId}`);
    await list.close();
    return engine;
  }

  test('the list row compares what it shows: the same Total stays Exported, a moved Total turns Changed since export', async () => {
    await listRowReads('strict', 'Exported');
    await listRowReads('relaxed', 'Exported');
    await edit({ shipping: 25 }); // the order's Total moves; only the list is opened
    await listRowReads('strict', 'Changed since export');
  });

  test('the brand edits the order: the badge turns Changed since export, the review lists the changes, Update PO brings the same PO to the new order', async () => {
    const before = await s.readOrder(detail, NUMBER);
    const [l0, l1] = before.line_items;
    const s0 = l0.sizes.find((z) => z.quantity > 0);
    const body = { lines: [{ product_id: l0.product._id, sizes: { [s0.size]: s0.quantity + 2 } }] };
    if (l1) body.lines.push({ product_id: l1.product._id, price: Number(l1.sizes[0].original_price) + 1 });
    await edit(body);
    await openDetail();
    await waitBadge(detail, 'Changed since export');
    assert.equal(await detail.text(`${STATUS} >>> button.review`), 'Review');
    await detail.screenshot(`review-${session.browser}-changed`);
    await historyReads(session, 'Changed since export');

    const dialog = await openReview(session, detail);
    assert.match(await dialog.text('[data-test="review-headline"]'), new RegExp(`differently from PO #${poId}`));
    assert.equal(await dialog.text('[data-test="review-po"]'), `PO #${poId}`);
    assert.ok((await dialog.count('[data-test="review-line"][data-change="quantity"]')) >= 1, 'a quantity change');
    assert.match(await dialog.text('[data-test="review-line"][data-change="quantity"]'), new RegExp(`${s0.quantity} → ${s0.quantity + 2} units`));
    if (l1) assert.ok((await dialog.count('[data-test="review-line"][data-change="price"]')) >= 1, 'a price change');
    await dialog.waitFor('[data-test="update"]:not([disabled])', { timeout: 10000 });
    await (session.browser === 'firefox' ? dialog : detail).screenshot(`review-${session.browser}-dialog`);
    await dialog.click('[data-test="update"]');
    if (session.browser !== 'firefox') await detail.waitFor('po-bridge-overlay', { gone: true, timeout: 30000 });

    await waitBadge(detail, 'Exported', { timeout: 90000 });
    assert.equal(await detail.text(`${STATUS} >>> a.link`), `View PO #${poId}`);
    await historyReads(session, 'Exported');
    assert.equal((await s.assertOnePo(sandbox, NUMBER)).orderID, poId, 'the same PO');
    const after = await s.readOrder(detail, NUMBER);
    const lines = await poLines(sandbox, poId);
    const ours = lines.filter((l) => l.orderLineID !== hand.orderLineID);
    assert.equal(ours.reduce((n, l) => n + Number(l.quantity), 0), s.orderShape(after).units, 'the PO has the new order\'s units');
    const item0 = await itemOf(sandbox, s0.upc);
    assert.equal(Number(ours.find((l) => l.itemID === item0.itemID).quantity), (s0.quantity + 2) * (s0.units_per_pack ?? 1));
    const still = lines.find((l) => l.orderLineID === hand.orderLineID);
    assert.deepEqual([still?.itemID, still?.quantity, still?.price], [hand.itemID, hand.quantity, hand.price], 'the hand-added line is untouched');
  });

  test('after Update PO the list row shows the figures the PO is made from: Exported; edited again, Changed since export', async () => {
    await listRowReads('relaxed', 'Exported');
    await edit({ shipping: 40 });
    await listRowReads('relaxed', 'Changed since export');
  });

  test('Update PO shows on the badge: Updating PO #N… while its write is held; Lightspeed failing it, Update failed with Review, whose advice resumes it', async () => {
    await openDetail();
    await waitBadge(detail, 'Changed since export');
    const put = { method: 'PUT', path: `/API/V3/Account/*/Order/${poId}.json` };
    const hold = await sandbox.control('lightspeed/holds', { ...put, count: 1 });
    let dialog = await openReview(session, detail);
    await dialog.waitFor('[data-test="update"]:not([disabled])', { timeout: 10000 });
    await dialog.click('[data-test="update"]');
    await sandbox.control(`lightspeed/holds/${hold.id}/wait`, { holding: 1, timeout_ms: 60000 });
    await waitBadge(detail, `Updating PO #${poId}…`);
    await detail.screenshot(`review-${session.browser}-updating`);
    // Lightspeed answers the held write (and every retry of it) with a server error.
    await addFault(sandbox, { ...put, kind: '500', count: 50 });
    await sandbox.control(`lightspeed/holds/${hold.id}/release`, {});
    await waitBadge(detail, 'Update failed', { timeout: 90000 });
    assert.match(await detail.text(`${STATUS} >>> .badge .detail`), /resumes where it stopped/);
    assert.equal(await detail.text(`${STATUS} >>> button.review`), 'Review', 'one thing to do');
    assert.equal(await detail.count(`${STATUS} >>> button.retry`), 0);
    await clearFaults(sandbox);
    dialog = await openReview(session, detail);
    await dialog.waitFor('[data-test="review-failure"] [data-test="error"]', { text: /resumes where it stopped/ });
    assert.equal(await dialog.text('[data-test="review-failure"] [data-test="next-step"]'), 'Try again');
    await dialog.waitFor('[data-test="update"]:not([disabled])', { timeout: 10000 });
    await dialog.click('[data-test="update"]');
    if (session.browser !== 'firefox') await detail.waitFor('po-bridge-overlay', { gone: true, timeout: 30000 });
    await waitBadge(detail, 'Exported', { timeout: 90000 });
    const po = (await s.lsRecords(sandbox, 'Order')).find((o) => o.orderID === poId);
    assert.equal(Number(po.shipCost), 40, 'the new shipping reached the PO');
  });

  test('the worker stopped mid-update (its line write held): the update resumes on the next wake and ends once', async () => {
    const now = await s.readOrder(detail, NUMBER);
    const [l0, l1] = now.line_items;
    const s0 = l0.sizes.find((z) => z.quantity > 0);
    const upc = '812345007771';
    const body = { lines: [{ product_id: l0.product._id, sizes: { [s0.size]: s0.quantity + 1 } }] };
    body.lines.push({ product_id: (l1 ?? l0).product._id, sizes: { 'XT-9': { quantity: 2, upc } } });
    await edit(body);
    await openDetail();
    await waitBadge(detail, 'Changed since export');
    const linesBefore = await poLines(sandbox, poId);
    const hold = await sandbox.control('lightspeed/holds', { method: 'POST', path: '/API/V3/Account/*/OrderLine.json', count: 1 });
    const dialog = await openReview(session, detail);
    assert.ok((await dialog.count('[data-test="review-line"][data-change="added"]')) >= 1, 'an added line');
    await dialog.waitFor('[data-test="update"]:not([disabled])', { timeout: 10000 });
    await dialog.click('[data-test="update"]');
    await sandbox.control(`lightspeed/holds/${hold.id}/wait`, { holding: 1, timeout_ms: 60000 });
    assert.ok(await session.stopWorker(), 'a worker to stop');
    await sandbox.control(`lightspeed/holds/${hold.id}/release`, {}); // the write lands; its answer is lost
    await openDetail(); // the page's status request wakes the worker, which resumes the update
    await waitBadge(detail, 'Exported', { timeout: 90000 });
    assert.equal((await s.assertOnePo(sandbox, NUMBER)).orderID, poId, 'the same PO');
    const lines = await poLines(sandbox, poId);
    const added = (await s.lsRecords(sandbox, 'Item')).filter((i) => i.upc === upc);
    assert.equal(added.length, 1, 'one item for the added size');
    assert.equal(lines.filter((l) => l.itemID === added[0].itemID).length, 1, 'its line written once');
    assert.equal(Number(lines.find((l) => l.itemID === added[0].itemID).quantity), 2);
    assert.equal(lines.length, linesBefore.length + 1, 'every other line kept, none twice');
    const item0 = await itemOf(sandbox, s0.upc);
    assert.equal(Number(lines.find((l) => l.itemID === item0.itemID).quantity), (s0.quantity + 1) * (s0.units_per_pack ?? 1));
  });

  test('a received line is shown as a conflict; a checked-in PO is refused', async () => {
    const now = await s.readOrder(detail, NUMBER);
    const l0 = now.line_items[0];
    const s0 = l0.sizes.find((z) => z.quantity > 0);
    const item0 = await itemOf(sandbox, s0.upc);
    const line = (await poLines(sandbox, poId)).find((l) => l.itemID === item0.itemID);
    await sandbox.control('lightspeed/receive', { orderID: poId, lines: [{ orderLineID: line.orderLineID, numReceived: Number(line.quantity) }] });
    await edit({ lines: [{ product_id: l0.product._id, sizes: { [s0.size]: 1 } }] });
    await openDetail();
    await waitBadge(detail, 'Changed since export');
    let dialog = await openReview(session, detail);
    await dialog.waitFor('[data-test="review-conflicts"] li', { text: /have already arrived/ });
    await cancelReview(session, detail, dialog);

    await sandbox.control('lightspeed/receive', { orderID: poId, receivedDate: true });
    await openDetail();
    await waitBadge(detail, 'Changed since export');
    dialog = await openReview(session, detail);
    assert.match(await dialog.text('[data-test="review-headline"]'), new RegExp(`PO #${poId} is checked in in Lightspeed`));
    await dialog.waitFor('[data-test="update"][disabled]');
    await cancelReview(session, detail, dialog);
  });

  test('an order cancelled in NuORDER is shown as such, with the PO still open', async () => {
    await sandbox.control('lightspeed/receive', { orderID: poId, receivedDate: null });
    await edit({ status: 'cancelled' });
    await openDetail();
    await waitBadge(detail, 'Changed since export');
    const dialog = await openReview(session, detail);
    assert.equal(await dialog.text('[data-test="review-headline"]'), `Cancelled in NuORDER · PO #${poId} still open`);
    assert.equal(await dialog.count('[data-test="archive"]'), 1, 'archiving is offered, not done');
    await cancelReview(session, detail, dialog);
    assert.equal(String((await s.lsRecords(sandbox, 'Order')).find((o) => o.orderID === poId).archived ?? false), 'false', 'the PO is not archived');
  });

  test('an order cancelled in NuORDER before any export: the dialog says so and nothing is written', async () => {
    const list = await s.nuorderPage(session, sandbox, `/brand/${order.brand_id}/orders`, 'strict');
    await s.settledList(list);
    const shown = await list.evaluate(() => [...document.querySelectorAll('[data-test^="order-record-"]')]
      .map((r) => r.getAttribute('data-test').slice('order-record-'.length)));
    const other = (await sandbox.corpus()).orders.find((o) => o.order_number !== NUMBER && o.brand_id === order.brand_id
      && o.status !== 'cancelled' && shown.includes(o.order_number));
    assert.ok(other, 'another order of the brand on the list');
    await sandbox.control(`nuorder/orders/${other._id}/edit`, { status: 'cancelled' });
    const before = (await s.lsRecords(sandbox, 'Order')).length;
    await list.reload();
    await s.settledList(list);
    await list.hover(s.row(other.order_number));
    const dialog = await s.openDialog(session, list, () => list.click(`${s.rowAction(other.order_number)} >>> button.icon`));
    const sentence = 'The order is cancelled in NuORDER: the brand will not ship it, so there is nothing to export.';
    await dialog.waitFor('[data-test="error"]', { text: sentence, timeout: 30000 });
    assert.equal(await dialog.count('[data-test="export"]:not([disabled])'), 0, 'nothing to click to export');
    const pos = await s.lsRecords(sandbox, 'Order');
    assert.equal(pos.length, before, 'no PO written');
    assert.equal(pos.filter((p) => p.refNum === `NuORDER ${other.order_number}`).length, 0, 'no PO for the cancelled order');
    await list.close();
  });
}

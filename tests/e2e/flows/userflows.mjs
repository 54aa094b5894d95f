// The user-flow suite, registered once for a browser: linking and unlinking through the sandbox's
// consent page, the action and badge on list and detail pages under a strict page CSP, the export
// dialog overlay, a full export ending in "Exported · View PO #N", the badge after a reload, the
// popup's history and an order with a row that needs a choice. tests/e2e/userflows.<browser>.test.mjs
// call it with their driver.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox } from '../lib/env.mjs';
import * as s from './steps.mjs';

const NUMBER = '40718821';

/** `launch(sandbox)` returns a session of ../lib/driver.mjs. */
export function userFlowSuite(launch) {
  let sandbox;
  let session;
  let corpus;
  let popup;
  let list;
  let poId;
  const exported = new Set([NUMBER]);

  before(async () => {
    sandbox = await startSandbox();
    session = await launch(sandbox);
    corpus = await sandbox.corpus();
    console.log(`# user flows in ${session.version}`);
  });

  after(async () => {
    await session?.quit();
    await sandbox?.stop();
  });

  const order = () => corpus.orders.find((o) => o.order_number === NUMBER);
  const brandId = () => order().brand_id;

  test('browser version', (t) => {
    t.diagnostic(session.version);
    assert.match(session.version, /^(Chromium|Firefox) \d+/);
  });

  test('a refused consent ends cleanly with nothing stored; Allow links the account and lists its shops', async () => {
    popup = await s.openPopup(session);
    await popup.waitFor('[data-test="no-accounts"]');
    await s.denyConsent(session, sandbox, popup);
    await s.linkThroughConsent(session, sandbox, popup);
    await popup.screenshot(`userflows-${session.browser}-linked`);
  });

  test('strict page CSP: the list page has an action and a badge on every row; the detail page has the action and the status field', async () => {
    list = await s.nuorderPage(session, sandbox, `/brand/${brandId()}/orders`, 'strict');
    await s.checkListPage(session, list, NUMBER);
    await list.screenshot(`userflows-${session.browser}-list`);
    const detail = await s.nuorderPage(session, sandbox, `/brand/${brandId()}/order/${order()._id}`, 'strict');
    await s.checkDetailPage(session, detail);
    await detail.screenshot(`userflows-${session.browser}-detail`);
    await detail.close();
  });

  test('the row action opens the export dialog overlay; Export makes exactly one PO and the badge reads Exported · View PO #N', async () => {
    const full = await s.readOrder(list, NUMBER);
    const shape = s.orderShape(full);
    const before = (await s.lsRecords(sandbox, 'Order')).length;
    const dialog = await s.openDialogFromRow(session, list, order());
    await s.checkDialog(dialog, order(), shape.rows);
    assert.equal(await dialog.count('[data-test="currency-warning"]'), 0, 'a USD order into a USD account');
    await list.screenshot(`userflows-${session.browser}-dialog`);
    const link = await s.exportAndWait(list, dialog, NUMBER);
    const po = await s.assertOnePo(sandbox, NUMBER, shape);
    poId = po.orderID;
    assert.equal(link.text, `View PO #${poId}`);
    assert.equal((await s.lsRecords(sandbox, 'Order')).length, before + 1, 'one new PO, nothing else');
    await list.screenshot(`userflows-${session.browser}-exported`);
  });

  test('after a reload the badge still reads Exported · View PO #N', async () => {
    await list.reload();
    await list.waitFor('main[aria-busy="false"]');
    const link = await s.waitRowExported(list, NUMBER, { timeout: 30000 });
    assert.equal(link.text, `View PO #${poId}`);
    await s.assertOnePo(sandbox, NUMBER);
  });

  test('the popup lists the export in its history with its PO link', async () => {
    await popup.close();
    popup = await s.openPopup(session);
    await s.checkHistory(popup, NUMBER, poId);
    await popup.screenshot(`userflows-${session.browser}-history`);
  });

  test('an order with a row that needs a choice: the dialog opens on Matched items with its chooser, Export waits for the choice, the PO carries the item chosen', async () => {
    const first = await s.readOrder(list, NUMBER);
    const taken = new Set(first.line_items.flatMap((l) => l.sizes).map((z) => z.upc));
    let other;
    let upc;
    for (const o of corpus.orders.filter((x) => x.brand_id === brandId() && x.order_number !== NUMBER)) {
      const doc = await s.readOrder(list, o.order_number);
      upc = doc.line_items.flatMap((l) => l.sizes).find((z) => z.quantity > 0 && z.upc && !taken.has(z.upc))?.upc;
      if (upc) {
        other = { order: o, doc };
        break;
      }
    }
    assert.ok(other, 'another order of the brand with a code the first export did not create');
    // Two live POS items share one of its codes: that row needs a choice.
    await sandbox.control('lightspeed/seed', { replace: false, accounts: [{ accountID: s.ACCOUNT_ID,
      items: [{ description: 'Twin A', upc }, { description: 'Twin B', upc }] }] });
    const dialog = await s.openDialogFromRow(session, list, other.order);
    await dialog.waitFor('[data-test="tab-matched"][aria-selected="true"]');
    const rows = '[data-test="panel-matched"] [data-test="row"]';
    const chooser = `${rows} [data-test="choice"]`;
    assert.equal(await dialog.count(chooser), 1, 'one row to choose for');
    assert.equal(await dialog.text('[data-test="tab-matched"]'), `Matched items (${await dialog.count(rows)})`);
    await dialog.waitFor('[data-test="totals"]', { text: /^\d+ units · .+ new · 1 need a choice$/ });
    await s.exportReady(dialog);
    await dialog.click('[data-test="export"]');
    await dialog.waitFor('[data-test="export-error"]', { text: /Needs choice/ });
    const item = await dialog.attr(`${chooser} option:nth-child(3)`, 'value');
    assert.match(item, /^\d+$/, 'a live candidate to choose');
    const status = `${rows} [data-test="row-status"]`;
    await dialog.waitFor(status, { text: 'Needs choice' });
    await dialog.select(chooser, item);
    await dialog.waitFor(status, { text: 'Matched (chosen)' });
    await dialog.waitFor('[data-test="totals"]', { text: /^\d+ units · .+ \d+ new$/ });
    const link = await s.exportAndWait(list, dialog, other.order.order_number);
    exported.add(other.order.order_number);
    assert.match(link.text, /^View PO #\d+$/);
    const po = await s.assertOnePo(sandbox, other.order.order_number, s.orderShape(other.doc));
    const lines = (await s.lsRecords(sandbox, 'OrderLine')).filter((l) => String(l.orderID) === String(po.orderID));
    assert.equal(lines.filter((l) => String(l.itemID) === item).length, 1, 'the chosen item is on the PO');
  });

  test('unlink revokes the refresh token at Lightspeed and forgets the account', async () => {
    await s.unlink(session, sandbox, popup);
    await popup.close();
  });

  test('an account that keeps costs in another currency, linked: the dialog says so before Export', async () => {
    await sandbox.control('lightspeed/seed', { replace: false, accounts: [{ accountID: s.ACCOUNT_ID, currency: 'CAD' }] });
    await s.linkAutoApproved(session, sandbox);
    const other = corpus.orders.find((o) => o.brand_id === brandId() && !exported.has(o.order_number));
    await list.reload();
    await list.waitFor('main[aria-busy="false"]');
    const dialog = await s.openDialogFromRow(session, list, other);
    const warning = '[data-test="currency-warning"]';
    await dialog.waitFor(warning, { text: /^This order is in USD, but your Lightspeed account keeps costs in CAD\. / });
    assert.equal(await dialog.attr(warning, 'role'), 'alert');
    await list.screenshot(`userflows-${session.browser}-currency`);
  });
}

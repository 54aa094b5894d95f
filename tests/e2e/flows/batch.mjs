// The batch suite (issue 19), registered once for a browser: rows selected on the list (by mouse
// and by keyboard, through a re-sort, a filter and a brand switch; an already-exported row offers
// no checkbox), one review in the batch dialog, one export making one PO per order with each row's
// badge at Exported · View PO #N, the orders not started reading Queued · k of 3 and the bar's
// "k of 3 exported" seen during the run, both back at once after a reload mid-run, and a second tab
// of the list opened mid-run showing the bar on load (before any event) and its rows' progress to
// the end with no reload; Cancel
// mid-batch leaves the finished order exported and the rest not exported; an order that needs a
// choice is chosen in the batch dialog (Choose…) and exported with the item chosen; the worker stopped
// mid-batch (session.stopWorker: Chromium's service worker closed, Firefox's event page terminated)
// and the browser closed mid-batch and started again on its profile each still end with every order
// exported exactly once.
// tests/e2e/batch.<browser>.test.mjs call it with their driver.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox } from '../lib/env.mjs';
import * as s from './steps.mjs';

const PO_POST = { method: 'POST', path: '/API/V3/Account/*/Order.json', count: 1 };
const select = (n) => `${s.rowAction(n)} >>> input.select`;
const BAR = 'po-bridge-bar';
const bar = (role) => `${BAR} >>> [data-role="${role}"]`;

/**
 * `launch(sandbox, previous)` returns a session of ../lib/driver.mjs; with `previous` (a session
 * already quit) it starts the same browser profile again, with PO Bridge and its storage still there.
 */
export function batchSuite(launch) {
  let sandbox;
  let session;
  let corpus;
  let list;
  let harbor;
  let maison;
  let picked; // three Harbor Goods orders, smallest first
  let later; // the next two
  let done; // the one already exported in Lightspeed before the test

  before(async () => {
    sandbox = await startSandbox();
    session = await launch(sandbox);
    corpus = await sandbox.corpus();
    await s.linkAutoApproved(session, sandbox);
    harbor = corpus.brands.find((b) => b.name === 'Harbor Goods')._id;
    maison = corpus.brands.find((b) => b.name === 'Maison Éclat')._id;
    // Read on the empty brand's list (no statuses asked before the seed below).
    const empty = corpus.brands.find((b) => b.name === 'Sun & Sand Co.')._id;
    list = await s.nuorderPage(session, sandbox, `/brand/${empty}/orders`, 'strict');
    const sizes = [];
    for (const o of corpus.orders.filter((x) => x.brand_id === harbor)) {
      sizes.push([s.orderShape(await s.readOrder(list, o.order_number)).rows, o.order_number]);
    }
    const numbers = sizes.sort((a, b) => a[0] - b[0]).map(([, n]) => n);
    [done, ...picked] = numbers.slice(0, 4);
    later = numbers.slice(4, 6);
    await sandbox.control('lightspeed/seed', { replace: false, accounts: [{ accountID: s.ACCOUNT_ID,
      orders: [{ vendorID: '1', shopID: '1', refNum: `NuORDER ${done}`, b2bOrderNumber: done, orderedDate: '2026-08-01' }] }] });
    await list.close();
    list = await s.nuorderPage(session, sandbox, `/brand/${harbor}/orders`, 'strict');
    await s.settledList(list);
  });

  after(async () => {
    await session?.quit();
    await sandbox?.stop();
  });

  const checked = async (n) => list.count(`${select(n)}:checked`);

  test('an already-exported row has no checkbox; a selection survives a re-sort, a filter and a brand switch, made by keyboard too', async () => {
    await list.waitFor(`${s.rowAction(done)} >>> .badge .text`, { text: 'Exported', timeout: 30000 });
    assert.equal(await list.count(`${select(done)}:not([hidden])`), 0, 'an exported order is not selectable');
    assert.equal(await list.count(BAR), 0, 'no bar without a selection');
    await list.waitFor(`${s.rowAction(picked[0])} >>> .badge .text`, { text: 'Not exported', timeout: 30000 });
    assert.equal(await list.attr(select(picked[0]), 'aria-label'), `Select order #${picked[0]} for export`);
    await list.click(select(picked[0]));
    await list.waitFor(bar('batch-export'), { text: 'Export 1 order to POS' });
    // Re-sorted: the table is replaced; the selection and the one bar stay.
    await list.click('button[data-test="sort-order_number"]');
    await s.settledList(list);
    await list.waitFor(`${select(picked[0])}:checked`);
    // Filtered to the first order's status, then back to all.
    const status = (await s.readOrder(list, picked[0])).status;
    await list.select('[data-test="status-filter"]', status);
    await s.settledList(list);
    await list.waitFor(`${select(picked[0])}:checked`);
    await list.select('[data-test="status-filter"]', '');
    await s.settledList(list);
    // The keyboard: focus a checkbox, Space.
    for (const n of picked.slice(1)) {
      await list.waitFor(`${s.rowAction(n)} >>> .badge .text`, { text: 'Not exported', timeout: 30000 });
      await list.focus(select(n));
      await list.press(' ');
      await list.waitFor(`${select(n)}:checked`);
    }
    // A brand switch (NuORDER's own switcher, no page load) and back: the selection holds.
    for (const slug of ['maison-eclat', 'harbor-goods']) {
      await list.click('[data-test="brand-picker-button"]');
      await list.click(`[data-test="brand-menu"] button[data-test="${slug}"]`);
      await list.waitFor(`[data-test="brand-picker"][data-brand-name="${slug === 'harbor-goods' ? 'Harbor Goods' : 'Maison Éclat'}"]`);
      await s.settledList(list);
    }
    for (const n of picked) assert.equal(await checked(n), 1, `${n} still selected`);
    await list.waitFor(bar('batch-export'), { text: 'Export 3 orders to POS' });
    assert.equal(await list.count(BAR), 1, 'one bar');
    assert.equal(await list.text(`${BAR} >>> .label`), '3 selected');
  });

  test('one review, one export: three POs, each row Exported · View PO #N, the bar\'s progress seen during the run', async () => {
    const hold = await sandbox.control('lightspeed/holds', PO_POST);
    const dialog = await openBatch();
    for (const n of picked) {
      const line = `[data-test="batch-order"][data-order-number="${n}"]`;
      await dialog.waitFor(`${line} [data-test="number"]`, { text: n });
      assert.equal(await dialog.count(`${line} [data-test="include"]:checked`), 1, `${n} included`);
      assert.match(await dialog.text(`${line} [data-test="counts"]`), /^\d+ matched · \d+ new · 0 need a choice/);
    }
    assert.equal(await dialog.count('[data-test="batch-order"]'), 3);
    await s.exportReady(dialog);
    assert.equal((await dialog.text('[data-test="export"]')).trim(), 'Export 3 orders');
    await dialog.click('[data-test="export"]');
    if (session.browser !== 'firefox') await list.waitFor('po-bridge-overlay', { gone: true, timeout: 30000 });
    // The first PO is held: the bar shows the run.
    await sandbox.control(`lightspeed/holds/${hold.id}/wait`, { holding: 1, timeout_ms: 60000 });
    await list.waitFor(`${BAR} >>> .label`, { text: '0 of 3 exported' });
    // The orders not started yet read Queued · k of n (their place in the set), the first its own progress.
    const badges = [];
    for (const n of picked) {
      badges.push((await list.waitFor(`${s.rowAction(n)} >>> .badge .text`, { text: /^(Queued · [23] of 3|Export in progress)$/ })).trim());
    }
    assert.deepEqual(badges.sort(), ['Export in progress', 'Queued · 2 of 3', 'Queued · 3 of 3'], 'queued from the set\'s start');
    // Reloaded while the PO is held (no progress event comes): the bar is back at once with the
    // set's progress, and the waiting rows still read Queued (no checkbox to select them again).
    await list.reload();
    await list.waitFor(`${BAR} >>> .label`, { text: '0 of 3 exported', timeout: 15000 });
    assert.equal(await list.count(`${bar('batch-cancel')}:not([hidden])`), 1, 'Cancel after the reload');
    const again = [];
    for (const n of picked) {
      again.push((await list.waitFor(`${s.rowAction(n)} >>> .badge .text`, { text: /^(Queued · [23] of 3|Export in progress)$/, timeout: 30000 })).trim());
      if (again.at(-1).startsWith('Queued')) assert.equal(await list.count(`${select(n)}:not([hidden])`), 0, `${n} not selectable`);
    }
    assert.deepEqual(again.sort(), badges, 'the same badges after the reload');
    assert.equal(await list.count(`${bar('batch-cancel')}:not([hidden])`), 1, 'Cancel while it runs');
    assert.equal(await list.count(`${BAR} >>> progress:not([hidden])`), 1, 'a progress bar');
    // A second tab of the list opened mid-run (a tab id the set's start never saw, signed in as
    // the same buyer): its bar shows the set's progress right after load, the PO write still held
    // (no event has come: the core answers the bar to every tab of the set's buyer), and its rows
    // read the set's badges; the set's next events reach it, so its bar and rows follow the set to
    // the end with no reload (events go to the buyer's tabs as they are at each event).
    const second = await s.nuorderPage(session, sandbox, `/brand/${harbor}/orders`, 'strict');
    await second.waitFor(`${BAR} >>> .label`, { text: '0 of 3 exported', timeout: 15000 });
    assert.equal(await second.count(`${bar('batch-cancel')}:not([hidden])`), 1, 'Cancel on the second tab before any event');
    for (const n of picked) {
      await second.waitFor(`${s.rowAction(n)} >>> .badge .text`, { text: /^(Queued · [23] of 3|Export in progress)$/, timeout: 30000 });
    }
    await sandbox.control(`lightspeed/holds/${hold.id}/release`, {});
    await second.waitFor(`${BAR} >>> .label`, { text: '3 of 3 exported', timeout: 120000 });
    for (const n of picked) await s.waitRowExported(second, n, { timeout: 30000 });
    await second.close();
    await list.waitFor(`${BAR} >>> .label`, { text: '3 of 3 exported', timeout: 120000 });
    for (const n of picked) {
      const link = await s.waitRowExported(list, n, { timeout: 30000 });
      const po = await s.assertOnePo(sandbox, n);
      assert.equal(link.text, `View PO #${po.orderID}`);
    }
    assert.equal(await list.count(`${bar('batch-cancel')}:not([hidden])`), 0, 'no Cancel once done');
  });

  test('Cancel mid-batch: the started order finishes exported, the rest stay not exported', async () => {
    const rest = corpus.orders.filter((o) => o.brand_id === maison).map((o) => o.order_number);
    list = await s.nuorderPage(session, sandbox, `/brand/${maison}/orders`, 'strict');
    await s.settledList(list);
    for (const n of rest) {
      await list.waitFor(`${s.rowAction(n)} >>> .badge .text`, { text: 'Not exported', timeout: 30000 });
    }
    await list.click(select(rest[0]));
    await list.click(bar('select-all'));
    await list.waitFor(bar('batch-export'), { text: `Export ${rest.length} orders to POS` });
    const hold = await sandbox.control('lightspeed/holds', PO_POST);
    const dialog = await openBatch();
    await dialog.waitFor('[data-test="batch-order"]');
    const order = await dialog.texts('[data-test="batch-order"] [data-test="number"]');
    await s.exportReady(dialog);
    await dialog.click('[data-test="export"]');
    await sandbox.control(`lightspeed/holds/${hold.id}/wait`, { holding: 1, timeout_ms: 60000 });
    await list.waitFor(bar('batch-cancel'));
    await list.click(bar('batch-cancel'));
    await list.waitFor(`${bar('batch-cancel')}:not([hidden])`, { gone: true });
    await sandbox.control(`lightspeed/holds/${hold.id}/release`, {});
    const [first, ...others] = order.map((t) => t.trim());
    await list.waitFor(`${BAR} >>> .label`, { text: `1 of ${rest.length} exported · ${rest.length - 1} cancelled`, timeout: 60000 });
    await s.waitRowExported(list, first, { timeout: 60000 });
    await s.assertOnePo(sandbox, first);
    for (const n of others) {
      await list.waitFor(`${s.rowAction(n)} >>> .badge .text`, { text: 'Not exported' });
      const pos = (await s.lsRecords(sandbox, 'Order')).filter((o) => o.refNum === `NuORDER ${n}`);
      assert.equal(pos.length, 0, `no PO for the cancelled ${n}`);
    }
  });

  test('an order that needs a choice: Choose… in the batch dialog, then exported with the item chosen', async () => {
    const tidewater = corpus.brands.find((b) => b.name === 'Tidewater Linen Co.')._id;
    list = await s.nuorderPage(session, sandbox, `/brand/${tidewater}/orders`, 'strict');
    await s.settledList(list);
    const own = [];
    for (const o of corpus.orders.filter((x) => x.brand_id === tidewater)) {
      const doc = await s.readOrder(list, o.order_number);
      own.push([s.orderShape(doc).rows, o.order_number, doc]);
    }
    const [, n, doc] = own.sort((a, b) => a[0] - b[0])[0];
    const upc = doc.line_items.flatMap((l) => l.sizes).find((z) => z.quantity > 0 && z.upc).upc;
    // Two live POS items share one of its codes: that row needs a choice.
    await sandbox.control('lightspeed/seed', { replace: false, accounts: [{ accountID: s.ACCOUNT_ID,
      items: [{ description: 'Twin A', upc }, { description: 'Twin B', upc }] }] });
    await list.waitFor(`${s.rowAction(n)} >>> .badge .text`, { text: 'Not exported', timeout: 30000 });
    await list.click(select(n));
    await list.waitFor(bar('batch-export'), { text: 'Export 1 order to POS' });
    const dialog = await openBatch();
    const line = `[data-test="batch-order"][data-order-number="${n}"]`;
    await dialog.waitFor(`${line} [data-test="counts"]`, { text: /· 1 need a choice/ });
    assert.equal(await dialog.count(`${line} [data-test="include"]:checked`), 0, 'left out until chosen');
    assert.equal(await dialog.attr(`${line} [data-test="include"]`, 'disabled'), '', 'not includable before the choice');
    await dialog.click(`${line} [data-test="choose"]`);
    const chooser = `[data-test="batch-choices"][data-order-number="${n}"] [data-test="choice"]`;
    await dialog.waitFor(chooser);
    const item = await dialog.attr(`${chooser} option:nth-child(3)`, 'value');
    assert.match(item, /^\d+$/, 'a live candidate to choose');
    const status = `[data-test="batch-choices"][data-order-number="${n}"] [data-test="row-status"]`;
    assert.equal(await dialog.text(status), 'Needs choice');
    await dialog.select(chooser, item);
    await dialog.waitFor(status, { text: 'Matched (chosen)' });
    await dialog.waitFor(`${line} [data-test="include"]:checked`);
    await dialog.waitFor(`${line} [data-test="left-out"]`, { text: /^Every choice made: exported in this batch/ });
    assert.equal((await dialog.text('[data-test="export"]')).trim(), 'Export 1 order');
    await s.exportReady(dialog);
    await dialog.click('[data-test="export"]');
    await list.waitFor(`${BAR} >>> .label`, { text: '1 of 1 exported', timeout: 120000 });
    await s.waitRowExported(list, n, { timeout: 30000 });
    const po = await s.assertOnePo(sandbox, n);
    const lines = (await s.lsRecords(sandbox, 'OrderLine')).filter((l) => String(l.orderID) === String(po.orderID));
    assert.equal(lines.filter((l) => String(l.itemID) === item).length, 1, 'the chosen item is on the PO');
  });

  test('the worker stopped mid-batch: the set resumes, every order exported exactly once', async () => {
    list = await s.nuorderPage(session, sandbox, `/brand/${harbor}/orders`, 'strict');
    await s.settledList(list);
    for (const n of later) {
      await list.waitFor(`${s.rowAction(n)} >>> .badge .text`, { text: 'Not exported', timeout: 30000 });
      await list.click(select(n));
    }
    await list.waitFor(bar('batch-export'), { text: 'Export 2 orders to POS' });
    const hold = await sandbox.control('lightspeed/holds', PO_POST);
    const dialog = await openBatch();
    await s.exportReady(dialog);
    await dialog.click('[data-test="export"]');
    await sandbox.control(`lightspeed/holds/${hold.id}/wait`, { holding: 1, timeout_ms: 60000 });
    // Stopped with the first PO write in flight. Nothing here wakes it again (the list sends nothing
    // unasked): the set goes on only if the next wake, the watchdog alarm, resumes it.
    assert.ok(await session.stopWorker(), 'a worker to stop');
    await sandbox.control(`lightspeed/holds/${hold.id}/release`, {});
    await list.waitFor(`${BAR} >>> .label`, { text: '2 of 2 exported', timeout: 240000 });
    for (const n of later) {
      await s.waitRowExported(list, n, { timeout: 30000 });
      await s.assertOnePo(sandbox, n);
    }
  });

  test('the browser closed mid-batch (a PO write held) and started again on the same profile: every order exported exactly once', async () => {
    const rest = corpus.orders.filter((o) => o.brand_id === maison).map((o) => o.order_number);
    list = await s.nuorderPage(session, sandbox, `/brand/${maison}/orders`, 'strict');
    await s.settledList(list);
    const open = [];
    for (const n of rest) {
      const text = await list.waitFor(`${s.rowAction(n)} >>> .badge .text`, { text: /^(Exported|Not exported)$/, timeout: 30000 });
      if (text.trim() === 'Not exported') open.push(n);
    }
    assert.ok(open.length >= 2, `two orders left by the Cancel test: ${open}`);
    const shapes = new Map();
    for (const n of open) shapes.set(n, s.orderShape(await s.readOrder(list, n)));
    for (const n of open) await list.click(select(n));
    await list.waitFor(bar('batch-export'), { text: `Export ${open.length} orders to POS` });
    const hold = await sandbox.control('lightspeed/holds', PO_POST);
    const dialog = await openBatch();
    await s.exportReady(dialog);
    await dialog.click('[data-test="export"]');
    await sandbox.control(`lightspeed/holds/${hold.id}/wait`, { holding: 1, timeout_ms: 60000 });
    // The whole browser closes while the first PO write is held; the write then goes through with
    // nobody left to read its answer. The same profile starts again: its worker resumes the set.
    const previous = session;
    await previous.quit();
    await sandbox.control(`lightspeed/holds/${hold.id}/release`, {});
    session = await launch(sandbox, previous);
    const po = async (n) => (await s.lsRecords(sandbox, 'Order')).some((o) => o.refNum === `NuORDER ${n}`);
    const end = Date.now() + 180000;
    for (const n of open) {
      while (!(await po(n))) {
        assert.ok(Date.now() < end, `a PO for ${n} after the restart`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    // The set resumed before this tab was opened (it may be done before the tab reports its
    // session): the list is loaded again until its statuses say every order is done.
    list = await s.nuorderPage(session, sandbox, `/brand/${maison}/orders`, 'strict');
    for (;;) {
      await s.settledList(list);
      const texts = [];
      for (const n of open) texts.push((await list.waitFor(`${s.rowAction(n)} >>> .badge .text`, { timeout: 30000 })).trim());
      if (texts.every((t) => t === 'Exported')) break;
      assert.ok(Date.now() < end, `every order exported after the restart: ${texts}`);
      await new Promise((r) => setTimeout(r, 1000));
      await list.reload();
    }
    for (const n of open) {
      await s.waitRowExported(list, n, { timeout: 60000 });
      await s.assertOnePo(sandbox, n, shapes.get(n));
    }
  });

  /** The bar's Export: the batch dialog (Chromium: our overlay; Firefox: the background's window). */
  async function openBatch() {
    const click = () => list.click(bar('batch-export'));
    let dialog;
    if (session.browser === 'firefox') {
      dialog = await session.consentWindow(click);
    } else {
      await click();
      await list.waitFor('po-bridge-overlay >>> iframe', { timeout: 30000 });
      assert.equal(await list.attr('po-bridge-overlay >>> iframe', 'src'), s.overlaySrc(session));
      dialog = await list.frame('po-bridge-overlay >>> iframe');
    }
    await dialog.waitFor('[data-test="batch-summary"]', { timeout: 60000 });
    return dialog;
  }
}

// A full export through the background and the export dialog page in Chromium, against the
// sandboxes with the unmodified dist/: the dialog shows the order #, the address, the live shops
// with the default preselected and the plan's tabs; Export creates exactly one PO with the right
// lines; the status is Exported with a View PO link that opens the sandbox's PO page; a second start
// (double click, another tab) and a retry after success write nothing; an order whose PO was made
// elsewhere (our refNum, or the first-party b2bOrderNumber) shows as Exported; the popup's history
// lists the export.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, launchChromium, artifact } from './lib/env.mjs';
import { sandboxQuiet } from './lib/reliability.mjs';
import { clickInFrame } from './lib/frameclick.mjs';
import { linkLightspeed, nuorderTab, readOrder, ask, okOf, waitExported, lsRecords, capOf } from './lib/flows.mjs';

let sandbox;
let browser;
let corpus;
let nuorder;
let ext;

before(async () => {
  sandbox = await startSandbox();
  browser = await launchChromium(sandbox);
  corpus = await sandbox.corpus();
  await linkLightspeed(browser, sandbox);
  nuorder = await nuorderTab(browser, sandbox, corpus.brands[0]._id);
  browser.worker.on('console', (m) => { if (process.env.PO_DEBUG) console.log('[worker]', m.text()); });
  ext = await browser.context.newPage();
  await ext.goto(browser.extensionUrl('popup.html'));
});

after(async () => {
  await browser?.context.close();
  await sandbox?.stop();
});

function orderOf(number) {
  return corpus.orders.find((o) => o.order_number === number);
}

async function stage(number) {
  const { order, products } = await readOrder(nuorder, number);
  const brand = corpus.brands.find((b) => b._id === orderOf(number).brand_id);
  const ok = await okOf(ext, { type: 'stage_order', data: { order, products, brand: { id: brand._id, name: brand.name } } });
  assert.equal(ok.data.order_number, number);
  return { order, products, cap: capOf(ok) };
}

test('the dialog shows the order, the address, the live shops and the plan; Export makes exactly one PO', async () => {
  const number = '40718821';
  const { order } = await readOrder(nuorder, number);
  // The user's way in: the row's action stages the order and opens the dialog overlay.
  await nuorder.locator(`[data-test="order-record-${number}"]`).hover();
  await nuorder.locator(`[data-test="order-record-${number}"] po-bridge-action button.icon`).click();
  const dialog = nuorder.frameLocator('po-bridge-overlay iframe');
  await dialog.getByRole('dialog').waitFor();
  await dialog.locator('[data-test="order-number"]').waitFor({ timeout: 30000 });
  assert.equal(await dialog.locator('[data-test="order-number"]').textContent(), number);
  assert.match(await dialog.locator('[data-test="shipping-address"]').textContent(), new RegExp(order.shipping_address.city));
  const shopOptions = await dialog.locator('[data-test="shop"] option').allTextContents();
  assert.ok(shopOptions.length >= 2, `shops: ${shopOptions}`);
  assert.equal(await dialog.locator('label[for="shop"]').textContent(), 'Choose location for order export');
  const matched = dialog.locator('[data-test="tab-matched"]');
  const created = dialog.locator('[data-test="tab-new"]');
  assert.match(await matched.textContent(), /^Matched items \(\d+\)$/);
  assert.match(await created.textContent(), /^New items \(\d+\)$/);
  await clickInFrame(nuorder, created);
  await dialog.locator('[data-test="tab-new"][aria-selected="true"]').waitFor();
  await nuorder.screenshot({ path: artifact('export-dialog.png') });
  const sizeRows = order.line_items.flatMap((l) => l.sizes).filter((s) => s.quantity > 0).length;
  assert.equal(await dialog.locator('[data-test="row"]').count(), sizeRows);

  const before = (await lsRecords(sandbox, 'Order')).length;
  await dialog.locator('[data-test="export"]:not([disabled])').waitFor({ timeout: 10000 });
  await clickInFrame(nuorder, dialog.locator('[data-test="export"]'));
  const status = await waitExported(ext, { order_id: order._id, order_number: number });
  assert.equal(status.badge.text, 'Exported');
  assert.match(status.badge.link.text, /^View PO #\d+$/);
  const pos = (await lsRecords(sandbox, 'Order')).filter((o) => o.refNum === `NuORDER ${number}`);
  assert.equal(pos.length, 1, 'exactly one PO');
  assert.equal((await lsRecords(sandbox, 'Order')).length, before + 1);
  const lines = (await lsRecords(sandbox, 'OrderLine')).filter((l) => l.orderID === pos[0].orderID);
  assert.equal(lines.length, sizeRows);
  const units = lines.reduce((n, l) => n + Number(l.quantity), 0);
  assert.equal(units, order.line_items.flatMap((l) => l.sizes).reduce((n, s) => n + s.quantity * (s.units_per_pack ?? 1), 0));

  // The View PO link opens the sandbox's back-office page with the lines.
  const po = await browser.context.newPage();
  await po.goto(status.badge.link.url);
  assert.match(await po.content(), new RegExp(pos[0].orderID));
  await po.screenshot({ path: artifact('export-po-page.png') });
  await po.close();
  await nuorder.locator('po-bridge-overlay').waitFor({ state: 'detached' });
});

test('starting again (double click, second tab, retry after success) writes nothing', async () => {
  const number = '40718821';
  const { order, cap } = await stage(number);
  const counts = async () => ({ po: (await lsRecords(sandbox, 'Order')).length, items: (await lsRecords(sandbox, 'Item')).length, lines: (await lsRecords(sandbox, 'OrderLine')).length });
  const before = await counts();
  const shop = (await okOf(ext, { type: 'get_shops', data: { account_id: '83050' } })).data.shops[0].shop_id;
  const replies = await Promise.all([1, 2, 3].map(() => ask(ext, { type: 'start_export', data: { order_id: order._id, shop_id: shop, choices: [], cap } })));
  // Through its capability (spent by the first start to decide, so later clicks are refused; clicks
  // at the same instant all reach the one job).
  assert.ok(replies.some((r) => r.ok?.data.status.status === 'exported'), JSON.stringify(replies));
  for (const r of replies.filter((r) => !r.ok)) assert.equal(r.err.code, 'forbidden', JSON.stringify(r));
  await ask(ext, { type: 'retry_export', data: { order_id: order._id } });
  // Nothing happens: no Lightspeed request for 2 s, and no record added.
  await sandboxQuiet(sandbox, 2000);
  assert.deepEqual(await counts(), before);
});

test('an order exported elsewhere (our refNum, or the first-party b2bOrderNumber) shows as Exported', async () => {
  const vendorID = (await lsRecords(sandbox, 'Vendor'))[0].vendorID;
  const shopID = (await lsRecords(sandbox, 'Shop'))[0].shopID;
  await sandbox.control('lightspeed/seed', {
    replace: false,
    accounts: [{ accountID: '83050', orders: [
      { vendorID, shopID, refNum: 'NuORDER 40718822', orderedDate: '2026-08-01' },
      { vendorID, shopID, b2bOrderNumber: '40718823', orderedDate: '2026-08-01' },
    ] }],
  });
  // The list page already asked for these orders' statuses; Lightspeed's answer is cached for
  // 20 s, so the new POs show within that time.
  const ask3 = () => okOf(ext, { type: 'get_export_status', data: { orders: [
    { order_id: null, order_number: '40718822' }, { order_id: null, order_number: '40718823' }, { order_id: null, order_number: '40718824' },
  ] } });
  let ok = await ask3();
  for (let i = 0; i < 60 && ok.data.statuses[0].status.status !== 'exported'; i++) {
    await new Promise((r) => setTimeout(r, 500));
    ok = await ask3();
  }
  assert.equal(ok.data.linked, true);
  const [a, b, c] = ok.data.statuses;
  assert.equal(a.status.status, 'exported');
  assert.equal(b.status.status, 'exported');
  assert.match(b.badge.link.text, /^View PO #\d+$/);
  assert.equal(c.status.status, 'not_exported');
  assert.equal(c.badge.action_enabled, true);
});

test('the popup lists the export in its history with a working PO link', async () => {
  const page = await browser.context.newPage();
  await page.goto(browser.extensionUrl('popup.html'));
  const entry = page.locator('[data-test="history-entry"][data-order-number="40718821"]');
  await entry.waitFor();
  assert.equal(await entry.locator('[data-test="history-status"]').textContent(), 'Exported');
  const href = await entry.locator('[data-test="history-po-link"]').getAttribute('href');
  assert.match(href, /^https:\/\/us\.merchantos\.com\/\?name=purchase\.views\.purchase&form_name=view&id=\d+&tab=main$/);
  await page.screenshot({ path: artifact('popup-history.png') });
  await page.close();
});

// Two browsers, one order (issue 16): two Chromium profiles, each linked to the same Lightspeed
// account, export the same order while the sandbox holds the PO creates until both have asked.
// The first create runs, and that job checks for a twin (it reaches its first line, held too)
// before the second create runs. Both end on one live PO with every line once, and no duplicate
// live item (docs/convergence.md).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, launchChromium } from './lib/env.mjs';
import { figures } from './lib/reliability.mjs';
import { linkLightspeed, nuorderTab, readOrder, ask, okOf, waitExported, lsRecords, capOf } from './lib/flows.mjs';

let sandbox;
let corpus;
const browsers = [];

before(async () => {
  sandbox = await startSandbox();
  corpus = await sandbox.corpus();
});

after(async () => {
  for (const b of browsers) await b.context.close().catch(() => {});
  await sandbox?.stop();
});

/** A Chromium profile of its own, linked, with the order staged; returns its extension page. */
async function place(number) {
  const browser = await launchChromium(sandbox);
  browsers.push(browser);
  await linkLightspeed(browser, sandbox);
  const order = corpus.orders.find((o) => o.order_number === number);
  const nuorder = await nuorderTab(browser, sandbox, order.brand_id);
  const ext = await browser.context.newPage();
  await ext.goto(browser.extensionUrl('popup.html'));
  const { order: o, products } = await readOrder(nuorder, number);
  const brand = corpus.brands.find((b) => b._id === order.brand_id);
  // Staged from this extension page's tab, which holds the one-time capability it is answered with.
  const staged = await okOf(ext, { type: 'stage_order', data: { order: o, products, brand: { id: brand._id, name: brand.name } } });
  const cap = capOf(staged);
  await okOf(ext, { type: 'preview_export', data: { cap } });
  return { ext, orderId: o._id, order: o, cap };
}

const live = (r) => String(r.archived) !== 'true';
const fig = figures('converge-browser');

test('two profiles exporting one order with both PO creates held end on one PO', async () => {
  const number = '40718821';
  const a = await place(number);
  const b = await place(number);
  const shop = (await okOf(a.ext, { type: 'get_shops', data: { account_id: '83050' } })).data.shops[0].shop_id;
  const hold = await sandbox.control('lightspeed/holds', { method: 'POST', path: '/API/V3/Account/*/Order.json', count: 2 });
  const start = (p) => ask(p.ext, { type: 'start_export', data: { order_id: p.orderId, shop_id: shop, choices: [], cap: p.cap } });
  const ra = start(a);
  await sandbox.control(`lightspeed/holds/${hold.id}/wait`, { holding: 1, timeout_ms: 30000 });
  const rb = start(b);
  await sandbox.control(`lightspeed/holds/${hold.id}/wait`, { holding: 2, timeout_ms: 30000 });
  const line = await sandbox.control('lightspeed/holds', { method: 'POST', path: '/API/V3/Account/*/OrderLine.json', count: 1 });
  await sandbox.control(`lightspeed/holds/${hold.id}/release`, { count: 1 });
  await sandbox.control(`lightspeed/holds/${line.id}/wait`, { holding: 1, timeout_ms: 30000 });
  await sandbox.control(`lightspeed/holds/${hold.id}/release`, { count: 1 });
  await sandbox.control(`lightspeed/holds/${line.id}/release`, {});
  for (const r of await Promise.all([ra, rb])) assert.ok(r.ok, JSON.stringify(r));
  const ref = (p) => ({ order_id: p.orderId, order_number: number });
  const [ea, eb] = await Promise.all([waitExported(a.ext, ref(a)), waitExported(b.ext, ref(b))]);
  assert.equal(String(ea.po_number), String(eb.po_number), `both report the same PO: ${JSON.stringify([ea, eb])}`);

  const pos = (await lsRecords(sandbox, 'Order')).filter((o) => live(o) && o.refNum === `NuORDER ${number}`);
  assert.equal(pos.length, 1, JSON.stringify(pos));
  assert.equal(String(ea.po_number), String(pos[0].orderID), 'the survivor is the PO both report');
  const lines = (await lsRecords(sandbox, 'OrderLine')).filter((l) => String(l.orderID) === String(pos[0].orderID));
  const items = lines.map((l) => String(l.itemID));
  assert.equal(new Set(items).size, items.length, 'every line once');
  const rows = a.order.line_items.flatMap((l) => l.sizes).filter((s) => Number(s.quantity) > 0);
  assert.ok(lines.length > 0 && lines.length <= rows.length, `${lines.length} lines for ${rows.length} rows`);
  const liveItems = (await lsRecords(sandbox, 'Item')).filter(live);
  const keys = liveItems.map((i) => `${i.description}|${i.upc ?? ''}|${i.ean ?? ''}`);
  assert.equal(new Set(keys).size, keys.length, 'no duplicate live item');
  for (const id of items) assert.ok(liveItems.some((i) => String(i.itemID) === id), `line item ${id} is live`);
  fig.add('interleavings_tried');
  fig.case('two profiles, PO creates held, the first checks for a twin before the second creates', { pos: pos.length, lines: lines.length });
});

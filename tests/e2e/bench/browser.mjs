// Browser measurements for `./build.sh bench` (figures, not assertions): the content script on a
// 100-row orders list (relaxed CSP → wasm, strict CSP → the JS fallback), the popup's first render,
// and the background worker's memory during a 500-row export. Uses the unmodified dist/.
import { startSandbox, launchChromium } from '../lib/env.mjs';
import { linkLightspeed, ask, okOf } from '../lib/flows.mjs';

const HARBOR = '5f1a2b3c4d5e6f7081920a1b';

export function median(xs) {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return null;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// Runs in the page's main world before any page script: timestamps (performance.now(), i.e. ms since
// navigation start) when the list's rows exist, when every row holds a po-bridge-action and when
// every row's action carries its order (the fallback places built widgets before the background's
// reading names their orders), and collects long tasks.
const PAGE_OBSERVER = (expected) => {
  const m = { rowsAt: null, buttonsAt: null, namedAt: null, engine: null, longtasks: [] };
  window.__bench = m;
  try {
    new PerformanceObserver((l) => { for (const e of l.getEntries()) m.longtasks.push({ start: e.startTime, duration: e.duration }); })
      .observe({ type: 'longtask', buffered: true });
  } catch (_) { /* no long-task support */ }
  const check = () => {
    const rows = document.querySelectorAll('tr[data-test^="order-record-"]');
    if (rows.length < expected) return;
    const now = performance.now();
    if (m.rowsAt === null) m.rowsAt = now;
    if (m.buttonsAt === null && [...rows].every((r) => r.querySelector('po-bridge-action'))) {
      m.buttonsAt = now;
      m.engine = rows[0].querySelector('po-bridge-action').getAttribute('data-po-bridge-engine');
    }
    if (m.namedAt === null && [...rows].every((r) => r.querySelector('po-bridge-action[data-order-number]'))) m.namedAt = now;
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true });
};

// Popup: when the accounts screen (the account list or the "no account" message) exists.
const POPUP_OBSERVER = () => {
  const m = { renderedAt: null, longtasks: [] };
  window.__bench = m;
  try {
    new PerformanceObserver((l) => { for (const e of l.getEntries()) m.longtasks.push({ start: e.startTime, duration: e.duration }); })
      .observe({ type: 'longtask', buffered: true });
  } catch (_) { /* no long-task support */ }
  new MutationObserver(() => {
    if (m.renderedAt === null && document.querySelector('[data-test="accounts"] [data-test="account"], [data-test="no-accounts"]')) m.renderedAt = performance.now();
  }).observe(document, { childList: true, subtree: true });
};

async function contentRuns(browser, sandbox, csp, runs, rows) {
  await sandbox.control('nuorder/csp', { mode: csp });
  const out = [];
  for (let i = 0; i < runs; i++) {
    const page = await browser.context.newPage();
    await page.addInitScript(PAGE_OBSERVER, rows);
    await page.goto(`https://app.nuorder.com/brand/${HARBOR}/orders`);
    await page.waitForFunction(() => window.__bench && window.__bench.namedAt !== null, null, { timeout: 30000 });
    await page.waitForTimeout(300); // let late long tasks land
    const m = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      return { ...window.__bench, domContentLoaded: nav?.domContentLoadedEventEnd ?? null, load: nav?.loadEventEnd ?? null,
        rowCount: document.querySelectorAll('tr[data-test^="order-record-"]').length,
        actionCount: document.querySelectorAll('po-bridge-action').length };
    });
    // Long tasks between navigation start and the buttons (+300 ms).
    const lt = m.longtasks.filter((t) => t.start <= m.buttonsAt + 300);
    out.push({
      rows_at_ms: m.rowsAt, buttons_at_ms: m.buttonsAt, after_rows_ms: m.buttonsAt - m.rowsAt, named_after_rows_ms: m.namedAt - m.rowsAt,
      dom_content_loaded_ms: m.domContentLoaded, engine: m.engine, row_count: m.rowCount, action_count: m.actionCount,
      longtasks: lt.length, longtask_ms: lt.reduce((n, t) => n + t.duration, 0),
      longest_task_ms: lt.reduce((n, t) => Math.max(n, t.duration), 0),
    });
    await page.close();
  }
  return {
    csp, runs: out,
    median_after_rows_ms: median(out.map((r) => r.after_rows_ms)),
    median_named_after_rows_ms: median(out.map((r) => r.named_after_rows_ms)),
    median_buttons_at_ms: median(out.map((r) => r.buttons_at_ms)),
    median_rows_at_ms: median(out.map((r) => r.rows_at_ms)),
    median_longtask_ms: median(out.map((r) => r.longtask_ms)),
    max_longest_task_ms: Math.max(...out.map((r) => r.longest_task_ms)),
    engines: [...new Set(out.map((r) => r.engine))],
  };
}

async function popupRuns(browser, runs) {
  const out = [];
  for (let i = 0; i < runs; i++) {
    const page = await browser.context.newPage();
    await page.addInitScript(POPUP_OBSERVER);
    await page.goto(browser.extensionUrl('popup.html'));
    await page.waitForFunction(() => window.__bench && window.__bench.renderedAt !== null, null, { timeout: 30000 });
    const m = await page.evaluate(() => window.__bench);
    out.push({ rendered_at_ms: m.renderedAt, longtasks: m.longtasks.length, longtask_ms: m.longtasks.reduce((n, t) => n + t.duration, 0) });
    await page.close();
  }
  return { runs: out, median_rendered_ms: median(out.map((r) => r.rendered_at_ms)) };
}

/** A NuORDER order document of `rows` size rows (styles of 5 sizes, every size a new UPC). */
export function generatedOrder(rows) {
  const names = ['XS', 'S', 'M', 'L', 'XL'];
  const upc = (n) => {
    const body = String(85_000_000_000 + n).padStart(11, '0');
    const sum = [...body].reduce((s, d, i) => s + Number(d) * (i % 2 === 0 ? 3 : 1), 0);
    return body + ((10 - (sum % 10)) % 10);
  };
  const lines = [];
  for (let s = 0; s * 5 < rows; s++) {
    const style = `BW-${String(s).padStart(3, '0')}`;
    const sizes = [];
    for (let z = 0; z < 5 && s * 5 + z < rows; z++) {
      sizes.push({ size: names[z], quantity: 2, price: 12, original_price: 12, upc: upc(s * 5 + z),
        discounts: { total_discount: 0, applied: [] }, surcharges: { total_surcharge: '0', applied: [] } });
    }
    const t = String(sizes.length * 24);
    lines.push({ product: { _id: `7e${String(s).padStart(22, '0')}`, style_number: style, color: 'BLACK', color_code: 'BLK', season: 'FW26', brand_id: `${style}-BLK` },
      discount: 0, original_total: t, effective_subtotal: t, discounted_total: t, sizes });
  }
  const total = rows * 24;
  return {
    _id: '7f0000000000000000000500', order_number: '95000500', status: 'approved', currency_code: 'USD',
    customer_po_number: 'BENCH-500', total, total_quantity: rows * 2, discount: 0, notes: '',
    start_ship: '2026-08-20T00:00:00.000Z', end_ship: '2026-09-15T00:00:00.000Z', created_on: '2026-05-04T14:12:09.512Z',
    retailer: { _id: '64b2e0c9a1f3d5e7b9c1a2d3', retailer_name: 'Juniper & Pine', buyer_name: 'Sam Okafor' },
    shipping_address: { line_1: '48 Orchard St', city: 'Burlington', state: 'VT', zip: '05401', country: 'USA' },
    billing_address: { line_1: '48 Orchard St', city: 'Burlington', state: 'VT', zip: '05401', country: 'USA' },
    line_items: lines,
    order_discounts: { original_total: String(total), total_after_line_item_discount: String(total), total_line_items_discount: '0',
      total_order_level_discount: '0', discounted_total: String(total), surcharge: '0', shipping_final_amount: '0', applied: [] },
    __brand_name: 'Bench Goods',
  };
}

/** CDP on the service worker, through a page session (non-flattened Target messages). */
async function workerCdp(browser, page) {
  const cdp = await browser.context.newCDPSession(page);
  const { targetInfos } = await cdp.send('Target.getTargets');
  const sw = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${browser.extensionId}/`));
  if (!sw) throw new Error('no service worker target');
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: sw.targetId, flatten: false });
  let next = 1;
  const pending = new Map();
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    if (e.sessionId !== sessionId) return;
    const msg = JSON.parse(e.message);
    const p = pending.get(msg.id);
    if (p) { pending.delete(msg.id); msg.error ? p.reject(new Error(msg.error.message)) : p.resolve(msg.result); }
  });
  const send = (method, params = {}) => new Promise((resolve, reject) => {
    const id = next++;
    pending.set(id, { resolve, reject });
    cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject);
  });
  return { send };
}

async function backgroundExport(browser, sandbox, rows) {
  // Lightspeed sped up with a roomy subscription: this measures memory, not the rate limit.
  await sandbox.control('lightspeed/registers', { registers: 100 });
  await sandbox.control('lightspeed/clock/speed', { speed: 50 });
  const ext = await browser.context.newPage();
  await ext.goto(browser.extensionUrl('popup.html'));
  const order = generatedOrder(rows);
  const staged = await okOf(ext, { type: 'stage_order', data: { order, products: [], brand: { id: HARBOR, name: 'Bench Goods' } } });
  // Every write needs the dialog's one-time capability (issue 14): the one the staging issued.
  const cap = new URL(staged.data.dialog, 'x:/').searchParams.get('cap');
  const shop = (await okOf(ext, { type: 'get_shops', data: { account_id: '83050' } })).data.shops[0].shop_id;
  const w = await workerCdp(browser, ext);
  // Service workers have no Performance domain: Runtime.getHeapUsage (V8 heap; backing stores
  // such as the wasm memory where Chromium reports them).
  const sample = async () => {
    const h = await w.send('Runtime.getHeapUsage');
    return { used: h.usedSize, total: h.totalSize, backing: h.backingStorageSize ?? null, embedder: h.embedderHeapUsedSize ?? null };
  };
  const before = await sample();
  const samples = [];
  let done = false;
  const t0 = Date.now();
  let refused = null;
  const started = ask(ext, { type: 'start_export', data: { order_id: order._id, shop_id: shop, choices: [], cap } })
    .then((r) => { if (r?.err) refused = r.err.message; return r; })
    .finally(() => { done = true; });
  let status = null;
  while (!done || !status) {
    if (refused) { status = `refused: ${refused}`; break; }
    samples.push(await sample().catch(() => null));
    const st = await okOf(ext, { type: 'get_export_status', data: { orders: [{ order_id: order._id, order_number: order.order_number }] } }).catch(() => null);
    const s = st?.data.statuses[0]?.status.status;
    if (s === 'exported' || s === 'failed') status = s;
    if (Date.now() - t0 > 600_000) { status = 'timeout'; break; }
    await new Promise((r) => setTimeout(r, 200));
  }
  const reply = await started.catch((e) => ({ error: String(e) }));
  const ok = samples.filter(Boolean);
  const peak = (k) => ok.reduce((n, s) => Math.max(n, s[k] ?? 0), 0);
  const state = await sandbox.get('lightspeed/stats');
  await ext.close();
  return {
    rows, status, reply_status: reply?.ok?.data?.status?.status ?? null, seconds: (Date.now() - t0) / 1000, samples: ok.length,
    before, peak_used: peak('used'), peak_total: peak('total'), peak_backing: peak('backing'), peak_embedder: peak('embedder'),
    lightspeed: state.accounts['83050'] ?? null,
  };
}

export async function browserBench({ runs = 7, rows = 100 } = {}) {
  const sandbox = await startSandbox();
  const browser = await launchChromium(sandbox);
  try {
    const corpus = await sandbox.corpus();
    const harbor = corpus.orders.filter((o) => o.brand_id === HARBOR).length;
    await sandbox.control('nuorder/generate', { brand_id: HARBOR, count: rows - harbor });
    // Sign in once (the cookie stays), then warm the browser's caches with one unmeasured load.
    const warm = await browser.context.newPage();
    await warm.goto(sandbox.signedIn(`/brand/${HARBOR}/orders`));
    await warm.locator('po-bridge-action').first().waitFor({ timeout: 30000 });
    await warm.close();
    const content = { relaxed: await contentRuns(browser, sandbox, 'relaxed', runs, rows), strict: await contentRuns(browser, sandbox, 'strict', runs, rows) };
    await linkLightspeed(browser, sandbox);
    const popup = await popupRuns(browser, runs);
    let background;
    try {
      background = await backgroundExport(browser, sandbox, 500);
    } catch (e) {
      background = { error: String(e?.stack || e) };
    }
    return { runs, rows, content, popup, background };
  } finally {
    await browser.context.close();
    await sandbox.stop();
  }
}

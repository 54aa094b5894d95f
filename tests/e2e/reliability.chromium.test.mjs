// Reliability under faults (issue 8), in Chromium with the unmodified dist/ against the sandboxes.
// The background worker is killed through the DevTools protocol after every write of an export,
// the server commits a write and loses the answer, a rate-limit wait outlasts the worker, the browser
// restarts mid-export, the user starts one export many times, a response takes longer than the
// request timeout, and the access token expires or the refresh token dies mid-export. Every case
// ends with a census of the Lightspeed sandbox: exactly one PO with every line, no duplicate item,
// matrix or vendor. The figures go to test-results/reliability.json.
//
// Test-only timings (extension/background/src/dev.rs): a 1 s watchdog alarm instead of 30 s (an
// unpacked extension may set short alarms), and per case a short request timeout or rate-limit
// wait. Nothing else is changed: the product's code paths are the ones that run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startSandbox, launchChromium } from './lib/env.mjs';
import { linkLightspeed, nuorderTab, readOrder, ask, okOf, capOf } from './lib/flows.mjs';
import {
  quietFor, sandboxQuiet, figures, killWorker, killAndAwaitRestart, killAtNextAlarm, awaitRestart, bootOf, setDevSettings, clearFaults, addFault, faults, until,
  tables, census, expectedRows, workerRunning, backgroundStore,
} from './lib/reliability.mjs';

const fig = figures('reliability-chromium');
const HANG_MS = 120000;
const WRITE_PATH = '/API/V3/Account/*';
const DEV = { watchdog_ms: 1000 };

let sandbox;
let browser;
let corpus;
const orders = new Map();

function debug(...a) { if (process.env.PO_DEBUG) console.log(...a); }

before(async () => {
  sandbox = await startSandbox();
  browser = await launchChromium(sandbox);
  browser.worker.on('console', (m) => debug('[worker]', m.text()));
  corpus = await sandbox.corpus();
  await linkLightspeed(browser, sandbox);
  // Read every order this suite exports while a NuORDER tab is open, then close it: no content
  // script stays around to wake the worker by messages.
  const tab = await nuorderTab(browser, sandbox, corpus.brands[0]._id);
  for (const n of ['40718821', '40718822', '40718823', '40718824', '51200101', '51200102', '51200103', '61300001', '40718827']) {
    orders.set(n, await readOrder(tab, n));
  }
  await tab.close();
  await applyDev(DEV);
});

after(async () => {
  fig.save();
  await browser?.context.close().catch(() => {});
  await sandbox?.stop();
});

/**
 * Each case starts with no faults, no work an earlier case left unfinished (a case that failed
 * leaves its job, which would run again during the next case and take that case's faults: R4 then
 * R8 in session 10's CI run) and an empty rate-limit bucket (earlier cases spent drips).
 */
async function fresh() {
  await clearFaults(sandbox);
  await settled();
  await sandbox.control('lightspeed/bucket', { level: 0 });
}

/** The entries of the store's index of unfinished work (each kind's mark left out), from `page`. */
function unfinishedEntries(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('po-bridge');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const keys = db.transaction('kv', 'readonly').objectStore('kv').getAllKeys(IDBKeyRange.bound('unfinished:', 'unfinished:\uffff'));
      keys.onsuccess = () => { db.close(); resolve(keys.result.filter((k) => !/^unfinished:[^:]+:$/.test(k))); };
      keys.onerror = () => reject(keys.error);
    };
  }));
}

/**
 * Wait until nothing is left unfinished, waking the worker (a ping from a page of ours that loads
 * no ui, so no request reaches Lightspeed but the resumed work's); fails naming what is left.
 */
async function settled(timeoutMs = 60000) {
  const page = await browser.context.newPage();
  try {
    await page.goto(browser.extensionUrl('ui.css'));
    await until(async () => {
      await ask(page, { type: 'ping', data: { from: 'reliability-test' } });
      return unfinishedEntries(page);
    }, (left) => left.length === 0, { what: 'the work an earlier case left unfinished to finish', timeoutMs, every: 500 });
  } finally {
    await page.close();
  }
}

/** Store test timings and restart the worker so that they apply. */
async function applyDev(settings) {
  await setDevSettings(browser, settings);
  await killWorker(browser);
  const page = await extPage();
  await okOf(page, { type: 'ping', data: { from: 'reliability-test' } });
  await page.close();
}

async function extPage() {
  const page = await browser.context.newPage();
  await page.goto(browser.extensionUrl('popup.html'));
  return page;
}

function brandOf(order) {
  const o = corpus.orders.find((x) => x.order_number === order.order_number);
  const b = corpus.brands.find((x) => x._id === o.brand_id);
  return { id: b._id, name: b.name };
}

/** Stage an order and start its export from an extension page, then close the page. */
async function startExport(number, { closePage = true } = {}) {
  const { order, products } = orders.get(number);
  const page = await extPage();
  const cap = capOf(await okOf(page, { type: 'stage_order', data: { order, products, brand: brandOf(order) } }));
  const preview = await okOf(page, { type: 'preview_export', data: { cap } });
  const shop = preview.data.default_shop_id ?? preview.data.shops[0].shop_id;
  const started = await okOf(page, { type: 'start_export', data: { order_id: order._id, shop_id: shop, choices: [], cap } });
  if (closePage) await page.close();
  return { order, page: closePage ? null : page, started, shop };
}

async function statusOf(order) {
  const page = await extPage();
  try {
    const ok = await okOf(page, { type: 'get_export_status', data: { orders: [{ order_id: order._id, order_number: order.order_number }] } });
    return ok.data.statuses[0];
  } finally {
    await page.close();
  }
}

/** The census must show exactly one PO with every line and no duplicate; counts duplicates. */
async function assertExactlyOnce(order, label) {
  const c = await census(sandbox, order);
  const want = expectedRows(order);
  fig.add('duplicates_found', c.duplicates.length);
  assert.deepEqual(c.duplicates, [], `${label}: duplicates`);
  assert.equal(c.pos.length, 1, `${label}: exactly one PO`);
  assert.equal(c.lines.length, want.rows, `${label}: every line`);
  assert.equal(c.lines.reduce((n, l) => n + Number(l.quantity), 0), want.units, `${label}: every unit`);
  assert.ok(c.po.orderedDate, `${label}: the PO is marked Ordered`);
  return c;
}

const SIZES = (t) => ({
  Vendor: (t.Vendor ?? []).length, ItemMatrix: (t.ItemMatrix ?? []).length, Item: (t.Item ?? []).length,
  Order: (t.Order ?? []).length, OrderLine: (t.OrderLine ?? []).length,
  Ordered: (t.Order ?? []).filter((o) => o.orderedDate).length,
});

/** What was written between two table snapshots, as a kill-point label. */
function stepLabel(before, after) {
  const parts = [];
  for (const k of ['Vendor', 'ItemMatrix', 'Item', 'Order', 'OrderLine', 'Ordered']) {
    const d = after[k] - before[k];
    if (d > 0) parts.push(d === 1 ? k : `${k}×${d}`);
  }
  return parts.join('+') || 'nothing';
}

/** Faults for one step: let one write of `pass` through, then hang the next POST or PUT. */
async function armHang(pass) {
  await clearFaults(sandbox);
  if (pass) await addFault(sandbox, { method: pass, path: WRITE_PATH, kind: 'timeout', delay_ms: 0, count: 1 });
  await addFault(sandbox, { method: 'POST', path: WRITE_PATH, kind: 'timeout', delay_ms: HANG_MS, count: 1 });
  await addFault(sandbox, { method: 'PUT', path: WRITE_PATH, kind: 'timeout', delay_ms: HANG_MS, count: 1 });
  fig.add('faults_injected', 2);
}

/** The hang fault a request is caught in, if any: 'POST' or 'PUT'. */
async function hungMethod() {
  const f = await faults(sandbox);
  const hit = f.find((x) => x.delay_ms === HANG_MS && x.hits > 0);
  return hit ? hit.method : null;
}

test('R1: the worker killed after every write of an export (vendor, matrices, items, PO, lines, Ordered) resumes by itself to exactly one PO', async () => {
  await fresh();
  const number = '51200101';
  const { order } = orders.get(number);
  await armHang(null);
  const bootAtStart = await bootOf(browser);
  await startExport(number);
  let sizes = SIZES(await tables(sandbox));
  const points = [];
  for (let i = 0; i < 60; i++) {
    // Wait until the next write hangs in the sandbox (its intent is journaled) or the PO is Ordered.
    const state = await until(async () => ({ hung: await hungMethod(), sizes: SIZES(await tables(sandbox)) }),
      (s) => s.hung || s.sizes.Ordered > sizes.Ordered, { what: `write ${i + 1} of ${number}`, timeoutMs: 30000 });
    const label = stepLabel(sizes, state.sizes);
    sizes = state.sizes;
    if (!state.hung) {
      // The Ordered mark went through: kill once more right after it.
      await clearFaults(sandbox);
      await killAndAwaitRestart(browser);
      points.push(`after ${label}`);
      break;
    }
    // Arm the next step before the kill: the new worker re-sends the hung write (it was never
    // committed), which passes, and hangs on the one after.
    await armHang(state.hung);
    // No message, no page: only the product's watchdog alarm may start the worker again.
    await killAndAwaitRestart(browser);
    points.push(i === 0 ? 'before the first write' : `after ${label}`);
    debug(`kill ${points.length}: ${points.at(-1)} (next write ${state.hung})`);
  }
  const st = await until(() => statusOf(order), (s) => s.status.status === 'exported', { what: 'exported status', timeoutMs: 30000, every: 250 });
  assert.equal(st.badge.text, 'Exported');
  const c = await assertExactlyOnce(order, 'R1');
  assert.ok((c.tables.Vendor ?? []).some((v) => v.name === 'Maison Éclat'), 'a vendor was created (and was a kill point)');
  assert.notEqual(await bootOf(browser), bootAtStart);
  // Every kind of step was a kill point.
  for (const kind of ['Vendor', 'ItemMatrix', 'Item', 'Order', 'OrderLine', 'Ordered']) {
    assert.ok(points.some((p) => p.includes(`after ${kind}`) || p.includes(`+${kind}`)), `a kill after ${kind}: ${points.join(', ')}`);
  }
  fig.add('kill_points_survived', points.length);
  fig.case('R1', { order: number, kill_points: points.length, points, po: c.po.orderID, lines: c.lines.length, duplicates: c.duplicates.length, woken_by: 'watchdog alarm only' });
});

test('R9: the worker killed the moment the watchdog alarm reaches it still comes back: the alarm outlives the kill', async () => {
  await fresh();
  const number = '40718827';
  const { order } = orders.get(number);
  await armHang(null);
  await startExport(number);
  await until(hungMethod, Boolean, { what: 'the first write hanging', timeoutMs: 30000 });
  // The job runs with a write hung: the watchdog fires every second. Each time, the kill lands as
  // the alarm's event arrives, before the worker's own handler is through. A watchdog re-armed only
  // by that handler is lost; nothing else wakes this worker (no page, no message).
  const kills = 5;
  for (let i = 0; i < kills; i++) {
    await armHang(null);
    const before = await killAtNextAlarm(browser);
    await awaitRestart(browser, before);
    await until(hungMethod, Boolean, { what: `the write hanging again after kill ${i + 1}`, timeoutMs: 30000 });
  }
  await clearFaults(sandbox);
  await killAndAwaitRestart(browser);
  await until(() => statusOf(order), (s) => s.status.status === 'exported', { what: 'exported status', timeoutMs: 30000, every: 250 });
  const c = await assertExactlyOnce(order, 'R9');
  // Nothing is left: the next wake stops the repeating alarm (it does not wake the worker forever).
  await until(() => browser.worker.evaluate(() => globalThis.chrome.alarms.getAll()), (all) => all.length === 0,
    { what: 'no alarm once the export is done', timeoutMs: 10000, every: 250 });
  fig.add('kill_points_survived', kills + 1);
  fig.case('R9', { order: number, kills_at_alarm: kills, kill_points: kills + 1, lines: c.lines.length, duplicates: c.duplicates.length, woken_by: 'watchdog alarm only' });
});

test('R2: the server commits a create and the answer is lost, then the worker dies: the resume finds the record', async () => {
  await fresh();
  const number = '40718821';
  const { order } = orders.get(number);
  const survived = [];
  try {
    // For an item, the PO header and a line: the POST is applied and its connection dropped. Lookups
    // of that kind take 2 s meanwhile, so the worker is killed before the runner's own lookup after
    // the lost answer can finish: the journal holds an intent, the server holds the record.
    const arm = async (k) => {
      await clearFaults(sandbox);
      await addFault(sandbox, { method: 'POST', path: `/API/V3/Account/*/${k}.json`, kind: 'commit_then_drop', count: 1 });
      await addFault(sandbox, { method: 'GET', path: `/API/V3/Account/*/${k}.json`, kind: 'timeout', delay_ms: 2000, count: 100 });
      fig.add('faults_injected', 2);
    };
    const kinds = ['Item', 'Order', 'OrderLine'];
    await arm(kinds[0]);
    await startExport(number);
    for (let i = 0; i < kinds.length; i++) {
      const k = kinds[i];
      await until(() => faults(sandbox), (fs) => fs[0].hits > 0, { what: `the lost ${k} answer`, timeoutMs: 30000, every: 10 });
      const before = await bootOf(browser);
      await killWorker(browser);
      // The next kind's faults are armed before the new worker runs its lookup.
      if (i + 1 < kinds.length) await arm(kinds[i + 1]);
      else await clearFaults(sandbox);
      await until(() => bootOf(browser), (b) => b !== before, { what: 'a restart', timeoutMs: 20000, every: 50 });
      survived.push(`${k} committed, answer lost, worker killed`);
    }
    await until(() => statusOf(order), (s) => s.status.status === 'exported', { what: 'exported status', timeoutMs: 30000, every: 250 });
    const c = await assertExactlyOnce(order, 'R2');
    fig.add('kill_points_survived', survived.length);
    fig.case('R2', { order: number, kill_points: survived, po: c.po.orderID, lines: c.lines.length, duplicates: c.duplicates.length });
  } finally {
    await clearFaults(sandbox);
  }
});

test('R7: a response slower than the request timeout is abandoned and the job recovers from its journal', async () => {
  await fresh();
  await applyDev({ ...DEV, timeout_ms: 2000 });
  try {
    const number = '51200103';
    const { order } = orders.get(number);
    await clearFaults(sandbox);
    // 35 s answers (longer than Chromium's 30 s fetch limit): the PO header create and a lookup.
    await addFault(sandbox, { method: 'POST', path: '/API/V3/Account/*/Order.json', kind: 'timeout', delay_ms: 35000, count: 1 });
    await addFault(sandbox, { method: 'POST', path: '/API/V3/Account/*/OrderLine.json', kind: 'timeout', delay_ms: 35000, count: 1 });
    fig.add('faults_injected', 2);
    const t0 = Date.now();
    await startExport(number);
    await until(() => statusOf(order), (s) => s.status.status === 'exported', { what: 'exported status', timeoutMs: 30000, every: 250 });
    const took = Date.now() - t0;
    assert.ok(took < 25000, `recovered without waiting for the slow answers (${took} ms)`);
    const f = await faults(sandbox);
    assert.ok(f.every((x) => x.hits === 1), `both slow answers were met: ${JSON.stringify(f)}`);
    const c = await assertExactlyOnce(order, 'R7');
    fig.case('R7', { order: number, slow_responses: 2, request_timeout_ms: 2000, recovered_in_ms: took, duplicates: c.duplicates.length });
  } finally {
    await clearFaults(sandbox);
    await applyDev(DEV);
  }
});

test('R3: a rate-limit wait longer than the worker lives (Retry-After 35 s) ends in a complete export, woken by the alarm', async () => {
  await fresh();
  // The client sleeps waits up to max_wait_ms (60 s in the product, with a keep-alive); here 3 s, so
  // the job pauses, sets an alarm for Retry-After and lets the worker die. Then only the alarm wakes it.
  await applyDev({ ...DEV, max_wait_ms: 3000 });
  try {
    const number = '40718823';
    const { order } = orders.get(number);
    await sandbox.control('lightspeed/stats/reset', {});
    // The export starts; its first write hangs, and meanwhile the bucket fills: 35 drips over the
    // size at 1 drip/s → Retry-After ≈ 35 s. The worker is killed, the watchdog restarts it, the
    // resumed job meets the 429 and pauses with an alarm for Retry-After.
    await armHang(null);
    await startExport(number);
    await until(hungMethod, Boolean, { what: 'the first write hanging', timeoutMs: 30000 });
    await sandbox.control('lightspeed/bucket', { level: 125 });
    fig.add('faults_injected');
    await clearFaults(sandbox);
    await killAndAwaitRestart(browser);
    const limited = await until(() => sandbox.get('lightspeed/stats'), (s) => Object.values(s.accounts ?? {}).some((a) => a.rate_limited > 0),
      { what: 'a 429', timeoutMs: 15000 });
    const t429 = Date.now();
    // The job has met the 429 once it has recorded its pause in the store and armed an alarm for
    // the pause's end: wait for both, not a fixed time, before the stop.
    await until(async () => ({
      pauses: Object.entries(await backgroundStore(browser)).filter(([k]) => k.startsWith('pause:')).map(([, v]) => Number(JSON.parse(v))),
      alarms: await browser.worker.evaluate(() => chrome.alarms.getAll()),
    }), ({ pauses, alarms }) => pauses.some((end) => alarms.some((a) => a.scheduledTime >= end - 1000)),
    { what: 'the pause recorded and its alarm armed', timeoutMs: 15000, every: 100 });
    // The worker would be stopped by the idle timeout during the wait (DevTools keeps it alive, so
    // stop it as Chromium would).
    await killWorker(browser);
    // The job stays paused until Retry-After (no request in between), then an alarm resumes it.
    const requestsAtPause = Object.values((await sandbox.get('lightspeed/stats')).accounts)[0].requests;
    const resumed = await until(async () => Object.values((await sandbox.get('lightspeed/stats')).accounts)[0].requests, (n) => n > requestsAtPause,
      { what: 'a request after the wait', timeoutMs: 60000, every: 250 });
    const waited = Date.now() - t429;
    assert.ok(waited >= 30000, `no request before Retry-After (${waited} ms, ${resumed - requestsAtPause} new)`);
    // The rest of the export is paced by the bucket (about one write a second); empty it to save time.
    await sandbox.control('lightspeed/bucket', { level: 0 });
    await until(async () => {
      if (process.env.PO_DEBUG) {
        const st = await sandbox.get('lightspeed/stats');
        const store = await backgroundStore(browser).catch(() => ({}));
        debug('R3 wait', Date.now() - t429, JSON.stringify(st), JSON.stringify(Object.fromEntries(Object.entries(store).filter(([k]) => k.startsWith('pause:')))));
      }
      return (await census(sandbox, order)).po?.orderedDate;
    }, Boolean, { what: 'the PO after the wait', timeoutMs: 60000, every: 1000 });
    const st = await until(() => statusOf(order), (s) => s.status.status === 'exported', { what: 'exported status', timeoutMs: 20000, every: 250 });
    assert.equal(st.status.status, 'exported');
    const c = await assertExactlyOnce(order, 'R3');
    fig.case('R3', { order: number, retry_after_s: 35, waited_ms: waited, rate_limited: Object.values(limited.accounts)[0].rate_limited, duplicates: c.duplicates.length, woken_by: 'alarms only (pause alarm, watchdog)' });
  } finally {
    await applyDev(DEV);
  }
});

test('R6: double click, two pages and retry after success make one PO', async () => {
  await fresh();
  const number = '40718824';
  const { order, products } = orders.get(number);
  const a = await extPage();
  const b = await extPage();
  const cap = capOf(await okOf(a, { type: 'stage_order', data: { order, products, brand: brandOf(order) } }));
  await okOf(a, { type: 'preview_export', data: { cap } });
  const shop = (await okOf(a, { type: 'get_shops', data: { account_id: '83050' } })).data.shops[0].shop_id;
  const start = (p) => ask(p, { type: 'start_export', data: { order_id: order._id, shop_id: shop, choices: [], cap } });
  // Two double clicks in two pages at once: the capability starts one job, once, from its own page.
  const replies = await Promise.all([start(a), start(a), start(b), start(b)]);
  assert.ok(replies.some((r) => r.ok), JSON.stringify(replies));
  for (const r of replies.filter((r) => !r.ok)) assert.equal(r.err.code, 'forbidden', JSON.stringify(r));
  for (const r of replies.slice(2)) assert.equal(r.err?.code, 'forbidden', 'another page cannot use the capability');
  await until(() => statusOf(order), (s) => s.status.status === 'exported', { what: 'exported status', timeoutMs: 30000, every: 250 });
  const before = SIZES(await tables(sandbox));
  // Retry after success, and start again, from both pages.
  const again = await Promise.all([ask(a, { type: 'retry_export', data: { order_id: order._id } }), start(b), start(a)]);
  assert.equal(again[0].ok.data.status.status, 'exported', JSON.stringify(again[0]));
  for (const r of again.slice(1)) assert.equal(r.err?.code, 'forbidden', `a spent capability: ${JSON.stringify(r)}`);
  // Nothing happens: the sandbox sees no request for 2 s, and its tables are as they were.
  await sandboxQuiet(sandbox, 2000);
  assert.deepEqual(SIZES(await tables(sandbox)), before, 'nothing written after success');
  const c = await assertExactlyOnce(order, 'R6');
  await a.close();
  await b.close();
  fig.case('R6', { order: number, starts: 4, retries_after_success: 3, pos: c.pos.length, duplicates: c.duplicates.length });
});

test('R4: the browser restarts mid-export (same profile): the journal survives and the job resumes', async () => {
  await fresh();
  const number = '40718822';
  const { order } = orders.get(number);
  await armHang(null);
  await startExport(number);
  await until(hungMethod, Boolean, { what: 'the first write hanging', timeoutMs: 30000 });
  // Let three writes through, then close the whole browser while the fourth hangs.
  await armHang('POST');
  for (let i = 0; i < 3; i++) {
    await killAndAwaitRestart(browser);
    await until(hungMethod, Boolean, { what: 'the next write hanging', timeoutMs: 30000 });
    await armHang('POST');
  }
  const mid = await census(sandbox, order);
  await clearFaults(sandbox);
  const dir = browser.userDataDir;
  await browser.context.close();
  browser = await launchChromium(sandbox, { userDataDir: dir });
  browser.worker.on('console', (m) => debug('[worker]', m.text()));
  fig.add('browser_restarts_survived');
  await until(() => statusOf(order), (s) => s.status.status === 'exported', { what: 'exported after the restart', timeoutMs: 30000, every: 250 });
  const c = await assertExactlyOnce(order, 'R4');
  fig.case('R4', { order: number, restarted_with_po: Boolean(mid.po), lines_before_restart: mid.lines.length, lines: c.lines.length, duplicates: c.duplicates.length });
});

test('R8: an access token expiring mid-export is refreshed once for concurrent requests; a dead refresh token pauses for re-linking', async () => {
  await fresh();
  const number = '61300001';
  const { order, products } = orders.get(number);
  const page = await extPage();
  const cap = capOf(await okOf(page, { type: 'stage_order', data: { order, products, brand: brandOf(order) } }));
  await okOf(page, { type: 'preview_export', data: { cap } });
  const shop = (await okOf(page, { type: 'get_shops', data: { account_id: '83050' } })).data.shops[0].shop_id;
  const issued = async () => (await sandbox.get('lightspeed/state')).access_tokens.length;
  const tokensBefore = await issued();
  // The job's second write waits 1.5 s; meanwhile the access token expires and four status lookups
  // run: they and the job all meet a 401 with the same expired token.
  await clearFaults(sandbox);
  await addFault(sandbox, { method: 'POST', path: WRITE_PATH, kind: 'timeout', delay_ms: 0, count: 1 });
  await addFault(sandbox, { method: 'POST', path: WRITE_PATH, kind: 'timeout', delay_ms: 1500, count: 1 });
  fig.add('faults_injected', 2);
  await okOf(page, { type: 'start_export', data: { order_id: order._id, shop_id: shop, choices: [], cap } });
  await until(() => faults(sandbox), (f) => f[1].hits > 0, { what: 'the slow write' });
  await sandbox.control('lightspeed/tokens/expire', {});
  fig.add('faults_injected');
  const lookups = await Promise.all(['70000001', '70000002', '70000003', '70000004'].map((n) =>
    okOf(page, { type: 'get_export_status', data: { orders: [{ order_id: null, order_number: n }] } })));
  for (const l of lookups) assert.equal(l.data.statuses[0].status.status, 'not_exported');
  await until(() => statusOf(order), (s) => s.status.status === 'exported', { what: 'exported status', timeoutMs: 30000, every: 250 });
  const refreshes = (await issued()) - tokensBefore;
  assert.equal(refreshes, 1, 'exactly one refresh for the job and four concurrent lookups');
  await assertExactlyOnce(order, 'R8');
  await clearFaults(sandbox);

  // The merchant revokes the app (refresh token dead) mid-export: the job pauses, the account asks
  // for re-linking, and refresh attempts stop.
  const next = '51200102';
  const o2 = orders.get(next);
  const cap2 = capOf(await okOf(page, { type: 'stage_order', data: { order: o2.order, products: o2.products, brand: brandOf(o2.order) } }));
  await okOf(page, { type: 'preview_export', data: { cap: cap2 } });
  await browser.worker.evaluate(() => {
    self.__tokenCalls = 0;
    const original = self.fetch;
    self.fetch = (input, init) => {
      const url = typeof input === 'string' ? input : input.url;
      if (url.includes('/auth/oauth/token')) self.__tokenCalls += 1;
      return original.call(self, input, init);
    };
  });
  await addFault(sandbox, { method: 'POST', path: WRITE_PATH, kind: 'timeout', delay_ms: 0, count: 2 });
  await addFault(sandbox, { method: 'POST', path: WRITE_PATH, kind: 'timeout', delay_ms: 1500, count: 1 });
  await okOf(page, { type: 'start_export', data: { order_id: o2.order._id, shop_id: shop, choices: [], cap: cap2 } });
  await until(() => faults(sandbox), (f) => f[1].hits > 0, { what: 'the slow write' });
  await sandbox.control('lightspeed/tokens/revoke', {});
  fig.add('faults_injected');
  const st = await until(async () => (await okOf(page, { type: 'get_export_status', data: { orders: [{ order_id: o2.order._id, order_number: o2.order.order_number }] } })).data.statuses[0],
    (s) => s.status.status === 'needs_relink', { what: 'needs re-link', timeoutMs: 30000, every: 250 });
  assert.equal(st.badge.text, 'Account needs re-linking');
  const callsAtPause = await browser.worker.evaluate(() => self.__tokenCalls);
  // No retry loop against the token endpoint: the count of refresh calls stays put for 4 s (four
  // watchdog periods with the test timings); a loop would keep it moving and fail the wait.
  const callsLater = await quietFor(() => browser.worker.evaluate(() => self.__tokenCalls), { forMs: 4000, what: 'refresh attempts while paused' });
  // One attempt per caller that met the dead token (the job, and the popup pages this test opens
  // to read the status); never a retry loop.
  assert.ok(callsAtPause >= 1 && callsAtPause <= 6, `refresh attempts before pausing: ${callsAtPause}`);
  assert.equal(callsLater, callsAtPause, 'no refresh attempts while paused for re-linking');
  // The popup shows the account as needing a new link, with the button that does it.
  const accounts = await okOf(page, { type: 'get_accounts', data: { active_tab_id: null } });
  const acct = accounts.data.accounts.find((a) => a.account.account_id === '83050');
  assert.equal(acct?.account.needs_relink, true, `the account is marked for re-linking: ${JSON.stringify(accounts).slice(0, 300)}`);
  const popup = await browser.context.newPage();
  await popup.goto(browser.extensionUrl('popup.html'));
  const warning = popup.locator('[data-account-id="83050"] [data-test="needs-relink"]');
  await warning.waitFor({ timeout: 15000 });
  assert.match(await warning.textContent(), /link it again/i);
  assert.equal(await warning.getByRole('button', { name: 'Link again' }).count(), 1);
  await popup.close();
  const c = await census(sandbox, o2.order);
  assert.deepEqual(c.duplicates, []);
  assert.ok(c.pos.length <= 1);
  await page.close();
  await clearFaults(sandbox);
  fig.case('R8', { concurrent_requests: 5, refreshes, revoked_refresh_attempts: callsAtPause, attempts_while_paused: callsLater - callsAtPause, status: st.badge.text });
});

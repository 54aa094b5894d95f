// Helpers for the reliability and security suites: killing the background worker through the
// DevTools protocol and noticing its restart, test-only timings, sandbox fault shortcuts, the
// exactly-once census of the Lightspeed sandbox, and the figures file (test-results/reliability.json).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ARTIFACTS } from './env.mjs';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------------------------------------
// Figures: each suite writes its part; every write re-aggregates test-results/reliability.json.

const PARTS = path.join(ARTIFACTS, 'reliability');
export const FIGURES_FILE = path.join(ARTIFACTS, 'reliability.json');
const COUNTERS = ['kill_points_survived', 'faults_injected', 'hostile_inputs_tried', 'duplicates_found', 'tokens_leaked',
  'browser_restarts_survived', 'refused_requests_checked', 'idle_stops_survived', 'attacks_tried'];

/** A figures part for one suite; `add` counts, `case` records a case's result, `save` writes. */
export function figures(part) {
  const data = { part, updated: null, counts: Object.fromEntries(COUNTERS.map((c) => [c, 0])), cases: {} };
  return {
    data,
    add(counter, n = 1) { data.counts[counter] = (data.counts[counter] ?? 0) + n; },
    case(name, detail) { data.cases[name] = detail; this.save(); },
    save() {
      data.updated = new Date().toISOString();
      fs.mkdirSync(PARTS, { recursive: true });
      fs.writeFileSync(path.join(PARTS, `${part}.json`), JSON.stringify(data, null, 2));
      aggregate();
    },
  };
}

/** Sum every part under test-results/reliability/ into test-results/reliability.json. */
export function aggregate() {
  const parts = fs.existsSync(PARTS) ? fs.readdirSync(PARTS).filter((f) => f.endsWith('.json')).sort() : [];
  const totals = Object.fromEntries(COUNTERS.map((c) => [c, 0]));
  const suites = {};
  for (const f of parts) {
    const p = JSON.parse(fs.readFileSync(path.join(PARTS, f), 'utf8'));
    for (const [k, v] of Object.entries(p.counts)) totals[k] = (totals[k] ?? 0) + v;
    suites[p.part] = { updated: p.updated, counts: p.counts, cases: p.cases };
  }
  const out = { generated: new Date().toISOString(), totals, suites };
  fs.writeFileSync(FIGURES_FILE, JSON.stringify(out, null, 2));
  return out;
}

// ------------------------------------------------------------------------------------------------
// The worker

/** Stop the extension's service worker through CDP (`Target.closeTarget`). Returns whether one ran. */
export async function killWorker(browser) {
  const cdp = await browser.context.browser().newBrowserCDPSession();
  try {
    const { targetInfos } = await cdp.send('Target.getTargets');
    const sw = targetInfos.filter((t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${browser.extensionId}/`));
    for (const t of sw) await cdp.send('Target.closeTarget', { targetId: t.targetId });
    return sw.length > 0;
  } finally {
    await cdp.detach().catch(() => {});
  }
}

/** Whether the worker runs now (a service_worker target exists). */
export async function workerRunning(browser) {
  const cdp = await browser.context.browser().newBrowserCDPSession();
  try {
    const { targetInfos } = await cdp.send('Target.getTargets');
    return targetInfos.some((t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${browser.extensionId}/`));
  } finally {
    await cdp.detach().catch(() => {});
  }
}

/**
 * The worker's boot marker. An evaluate sent to a stopped worker waits until something else wakes
 * it (it does not wake it), so this also waits for a restart; it fails after `timeoutMs`.
 */
export async function bootOf(browser, timeoutMs = 20000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await bootOnce(browser, Math.max(1, end - Date.now()));
    } catch (e) {
      // Playwright rejects an evaluate that was pending across a restart: ask the new instance.
      if (!/restarted/i.test(String(e?.message)) || Date.now() >= end) throw e;
      await sleep(25);
    }
  }
}

async function bootOnce(browser, timeoutMs) {
  let timer;
  const evaluation = browser.worker.evaluate(() => self.PO_BRIDGE_BOOT);
  evaluation.catch(() => {});
  try {
    return await Promise.race([
      evaluation,
      new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`the worker did not run within ${timeoutMs} ms`)), timeoutMs); }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Kill the worker and wait until a new instance runs, started by something else (alarm, event). */
export async function killAndAwaitRestart(browser, timeoutMs = 20000) {
  const before = await bootOf(browser);
  assert.ok(await killWorker(browser), 'a service worker target to close');
  return awaitRestart(browser, before, timeoutMs);
}

/**
 * Kill the worker the moment its next `alarms.onAlarm` reaches it, while its own listener's work
 * (the resume) has only begun: the DevTools session and the target are ready before the alarm, so
 * the close is one message after it. Resolves to the boot marker of the killed instance.
 */
export async function killAtNextAlarm(browser, timeoutMs = 10000) {
  const before = await bootOf(browser);
  const cdp = await browser.context.browser().newBrowserCDPSession();
  try {
    const { targetInfos } = await cdp.send('Target.getTargets');
    const sw = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${browser.extensionId}/`));
    assert.ok(sw, 'a running service worker to kill');
    await browser.worker.evaluate((ms) => new Promise((resolve, reject) => {
      const events = globalThis.chrome.alarms.onAlarm;
      const timer = setTimeout(() => { events.removeListener(on); reject(new Error(`no alarm within ${ms} ms`)); }, ms);
      function on() { clearTimeout(timer); events.removeListener(on); resolve(); }
      events.addListener(on);
    }), timeoutMs);
    await cdp.send('Target.closeTarget', { targetId: sw.targetId });
    return before;
  } finally {
    await cdp.detach().catch(() => {});
  }
}

/** Wait until a worker instance other than `before` runs, started by something else. */
export async function awaitRestart(browser, before, timeoutMs = 20000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const now = await bootOf(browser, Math.max(1, end - Date.now()));
    if (now !== before) return now;
    await sleep(50);
  }
}

/** Test-only timings in the background's IndexedDB (see extension/background/src/dev.rs). */
export async function setDevSettings(browser, settings) {
  await browser.worker.evaluate(async (value) => {
    const db = await new Promise((resolve, reject) => {
      const req = indexedDB.open('po-bridge', 1);
      req.onupgradeneeded = () => req.result.createObjectStore('kv');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    await new Promise((resolve, reject) => {
      const tx = db.transaction('kv', 'readwrite');
      tx.objectStore('kv').put(value, 'dev:settings');
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  }, JSON.stringify(settings));
}

/** Every key and value in the background's IndexedDB store. */
export async function backgroundStore(browser) {
  return browser.worker.evaluate(async () => {
    const db = await new Promise((resolve, reject) => {
      const req = indexedDB.open('po-bridge', 1);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const out = await new Promise((resolve, reject) => {
      const tx = db.transaction('kv', 'readonly');
      const s = tx.objectStore('kv');
      const keys = s.getAllKeys();
      const values = s.getAll();
      tx.oncomplete = () => resolve(Object.fromEntries(keys.result.map((k, i) => [k, values.result[i]])));
      tx.onerror = () => reject(tx.error);
    });
    db.close();
    return out;
  });
}

// ------------------------------------------------------------------------------------------------
// The sandbox

export async function clearFaults(sandbox) {
  const r = await fetch(`${sandbox.base}/__sandbox/lightspeed/faults`, { method: 'DELETE' });
  assert.ok(r.ok, `DELETE faults: ${r.status}`);
}

export async function addFault(sandbox, fault) {
  return sandbox.control('lightspeed/faults', fault);
}

export async function faults(sandbox) {
  const f = await sandbox.get('lightspeed/faults');
  return Array.isArray(f) ? f : (f.faults ?? []);
}

/** Wait until `pred(value)` holds for `poll()`'s value; returns it. */
export async function until(poll, pred, { timeoutMs = 30000, every = 25, what = 'condition' } = {}) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    last = await poll();
    if (pred(last)) return last;
    await sleep(every);
  }
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last)?.slice(0, 500)}`);
}

/**
 * Wait until `poll()`'s value (compared as JSON) has not changed for `forMs`, and return it: the way
 * to assert that nothing happens (no sleep before a negative assertion). Fails if the value is
 * still moving after `timeoutMs` (something keeps happening: a retry loop, a write after success).
 */
export async function quietFor(poll, { forMs, timeoutMs = 30000, every = 100, what = 'quiet' }) {
  const end = Date.now() + timeoutMs;
  let last = JSON.stringify(await poll());
  let since = Date.now();
  while (Date.now() < end) {
    await sleep(every);
    const now = JSON.stringify(await poll());
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= forMs) {
      return JSON.parse(last);
    }
  }
  throw new Error(`${what}: still changing after ${timeoutMs} ms (last ${last?.slice(0, 300)})`);
}

/** Every Lightspeed API request the sandbox has counted, summed over its accounts. */
export async function requestCount(sandbox) {
  const stats = await sandbox.get('lightspeed/stats');
  return Object.values(stats.accounts ?? {}).reduce((n, a) => n + (a.requests ?? 0), 0);
}

/** Wait until the sandbox has seen no Lightspeed request for `forMs`; returns the request count. */
export function sandboxQuiet(sandbox, forMs = 2000, timeoutMs = 30000) {
  return quietFor(() => requestCount(sandbox), { forMs, timeoutMs, what: 'Lightspeed requests' });
}

/** The first account's tables in the sandbox dump. */
export async function tables(sandbox) {
  const state = await sandbox.get('lightspeed/state');
  return Object.values(state.accounts)[0].tables;
}

/**
 * Exactly-once census after an export of `order` (NuORDER document): one PO with the order's
 * refNum, one line per size row with a quantity, no two live items or matrices with the same
 * description or UPC, no two vendors with one name. Returns {po, lines, duplicates}.
 */
export async function census(sandbox, order) {
  const t = await tables(sandbox);
  const pos = (t.Order ?? []).filter((o) => o.refNum === `NuORDER ${order.order_number}` && o.archived !== 'true');
  const dupes = [];
  const dupOf = (rows, key, kind) => {
    const seen = new Map();
    for (const r of rows ?? []) {
      if (r.archived === 'true' || r.archived === true) continue;
      const k = key(r);
      if (!k) continue;
      if (seen.has(k)) dupes.push(`${kind} ${k}`);
      seen.set(k, r);
    }
  };
  dupOf(t.Item, (r) => r.upc || null, 'Item UPC');
  dupOf(t.Item, (r) => r.description, 'Item description');
  dupOf(t.ItemMatrix, (r) => r.description, 'ItemMatrix');
  dupOf(t.Vendor, (r) => r.name, 'Vendor');
  const po = pos[0];
  const lines = po ? (t.OrderLine ?? []).filter((l) => l.orderID === po.orderID) : [];
  dupOf(lines, (l) => l.itemID, 'OrderLine item');
  if (pos.length > 1) dupes.push(`${pos.length} POs for ${order.order_number}`);
  return { pos, po, lines, duplicates: dupes, tables: t };
}

/** Size rows with a quantity (one PO line each) and their units. */
export function expectedRows(order) {
  const sizes = order.line_items.flatMap((l) => l.sizes).filter((s) => s.quantity > 0);
  return { rows: sizes.length, units: sizes.reduce((n, s) => n + s.quantity * (s.units_per_pack ?? 1), 0) };
}

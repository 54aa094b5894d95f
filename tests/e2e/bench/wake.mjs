// The background worker's wake (issue 17, item 2), measured in Chromium: the time from a stopped
// worker to its reply to a content script's status request that needs no Lightspeed call (an order
// exported earlier, so the answer comes from the local journal), for PO Bridge and, in the same
// browser, for a baseline extension whose worker loads a minimal wasm module (streaming, from its
// own package) and answers the same message. Figures, not assertions: the median of `runs` wakes
// each, alternating, with the target PO Bridge ≤ 2 × the baseline; then again with a retailer's
// history in the store (500 exports), since a wake must not cost more as the history grows. Beside
// each wake of PO Bridge: when its worker's own wake work (resuming what is unfinished) ended.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSandbox } from '../lib/env.mjs';
import { chromiumSession } from '../lib/driver.mjs';
import { until } from '../lib/reliability.mjs';
import * as s from '../flows/steps.mjs';
import { median } from './browser.mjs';

const NUMBER = '40718821';
const BASELINE_NAME = 'Wake baseline';
/** The smallest valid wasm module: the magic number and version 1. */
const MIN_WASM = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

/** The baseline extension, written to a temp folder: a worker that compiles a wasm module and answers. */
function writeBaseline() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'po-bridge-wake-baseline-'));
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({
    manifest_version: 3, name: BASELINE_NAME, version: '1.0',
    background: { service_worker: 'bg.js', type: 'module' },
    content_scripts: [{ matches: ['https://app.nuorder.com/*'], js: ['cs.js'] }],
    content_security_policy: { extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'" },
  }, null, 2));
  fs.writeFileSync(path.join(dir, 'min.wasm'), MIN_WASM);
  fs.writeFileSync(path.join(dir, 'cs.js'), '// the content script the measurement sends from\n');
  fs.writeFileSync(path.join(dir, 'bg.js'), `// Listener first, then the module compiled once per wake, streaming; answers once it is ready.
const ready = WebAssembly.instantiateStreaming(fetch(chrome.runtime.getURL('min.wasm')));
chrome.runtime.onMessage.addListener((m, _sender, send) => {
  ready.then(() => send({ v: 1, id: m && m.id, ok: { type: 'statuses', data: { linked: true, statuses: [] } } }));
  return true;
});
`);
  return dir;
}

/** The isolated world of the extension named `name` in `page`, through CDP. */
async function contentWorld(page, name) {
  const cdp = await page.context().newCDPSession(page);
  const contexts = [];
  cdp.on('Runtime.executionContextCreated', (e) => contexts.push(e.context));
  await cdp.send('Runtime.enable');
  const ctx = await until(async () => contexts.filter((c) => c.auxData?.type === 'isolated' && c.name === name), (l) => l.length > 0,
    { what: `${name}'s content world`, timeoutMs: 15000, every: 100 });
  return async (expression) => {
    const r = await cdp.send('Runtime.evaluate', { expression, contextId: ctx[0].id, awaitPromise: true, returnByValue: true });
    if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
    return r.result.value;
  };
}

/** Stop an extension's worker (CDP `Target.closeTarget`) and wait until it is gone. */
async function stopWorker(context, extensionId) {
  const cdp = await context.browser().newBrowserCDPSession();
  try {
    const workers = async () => (await cdp.send('Target.getTargets')).targetInfos
      .filter((t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${extensionId}/`));
    for (const t of await workers()) await cdp.send('Target.closeTarget', { targetId: t.targetId });
    await until(workers, (l) => l.length === 0, { what: 'the worker stopped', timeoutMs: 10000, every: 20 });
  } finally {
    await cdp.detach().catch(() => {});
  }
}

/** One wake: the worker stopped, then the status request's round trip from the content script. */
async function wakeOnce(context, extensionId, send, request) {
  await stopWorker(context, extensionId);
  const [ms, type] = await send(`(async () => {
    const t0 = performance.now();
    const r = await chrome.runtime.sendMessage(${JSON.stringify(request)});
    return [performance.now() - t0, r && r.ok && r.ok.type];
  })()`);
  if (type !== 'statuses') throw new Error(`no status answer (${type})`);
  return ms;
}

/**
 * A retailer's history: `count` copies of the exported order's journal under other order ids,
 * written straight into the worker's IndexedDB (js/kv.js's database; finished exports, as a shop
 * has after months of use). The worker is woken first so its global scope can be reached.
 */
async function seedHistory(context, extensionId, send, request, orderId, count) {
  await send(`chrome.runtime.sendMessage(${JSON.stringify(request)}).then(() => true)`);
  const prefix = `chrome-extension://${extensionId}/`;
  const worker = await until(async () => context.serviceWorkers().find((w) => w.url().startsWith(prefix)), Boolean,
    { what: 'the worker running', timeoutMs: 10000, every: 50 });
  return worker.evaluate(async ([id, n]) => {
    const db = await new Promise((ok, ko) => { const r = indexedDB.open('po-bridge', 1); r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error); });
    const req = (r) => new Promise((ok, ko) => { r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error); });
    const keys = await req(db.transaction('kv').objectStore('kv').getAllKeys());
    const key = keys.find((k) => k.startsWith('po-bridge-job:') && k.endsWith(`:${id}`));
    const journal = JSON.parse(await req(db.transaction('kv').objectStore('kv').get(key)));
    const tx = db.transaction('kv', 'readwrite');
    for (let i = 0; i < n; i++) {
      const copy = { ...journal, key: { ...journal.key, order_id: `history${String(i).padStart(16, '0')}` } };
      tx.objectStore('kv').put(JSON.stringify(copy), `po-bridge-job:${copy.key.account_id}:${copy.key.order_id}`);
    }
    await new Promise((ok, ko) => { tx.oncomplete = ok; tx.onerror = () => ko(tx.error); });
    db.close();
    return keys.filter((k) => k.startsWith('po-bridge-job:')).length + n;
  }, [orderId, count]);
}

/**
 * When the woken worker's own work (`resume_all`: the unfinished exports, updates and sets it
 * resumes) ended: its `po-bridge:resumed` mark, in ms since the worker started.
 */
async function resumedAt(context, extensionId) {
  const prefix = `chrome-extension://${extensionId}/`;
  const mark = async () => {
    for (const w of context.serviceWorkers().filter((w) => w.url().startsWith(prefix))) {
      const t = await w.evaluate(() => performance.getEntriesByName('po-bridge:resumed')[0]?.startTime).catch(() => undefined);
      if (t !== undefined) return t;
    }
    return undefined;
  };
  return until(mark, (t) => t !== undefined, { what: 'the worker resumed', timeoutMs: 10000, every: 20 });
}

/** `runs` wakes of each worker, alternating: the medians and the ratio. */
async function wakeRuns(context, ids, worlds, request, runs) {
  const times = { po_bridge: [], baseline: [], resumed: [] };
  for (let i = 0; i < runs; i++) {
    times.po_bridge.push(await wakeOnce(context, ids.ours, worlds.ours, request));
    times.resumed.push(await resumedAt(context, ids.ours));
    times.baseline.push(await wakeOnce(context, ids.theirs, worlds.theirs, request));
  }
  const po = median(times.po_bridge);
  const base = median(times.baseline);
  return { po_bridge_ms: po, baseline_ms: base, ratio: po / base, resumed_ms: median(times.resumed), times };
}

export async function wakeBench({ runs = 7, history = 500 } = {}) {
  const sandbox = await startSandbox();
  const baseline = writeBaseline();
  const session = await chromiumSession(sandbox, { extraExtensions: [baseline] });
  try {
    const { context } = session.raw;
    await s.linkAutoApproved(session, sandbox);
    const corpus = await sandbox.corpus();
    const order = corpus.orders.find((o) => o.order_number === NUMBER);
    const list = await s.nuorderPage(session, sandbox, `/brand/${order.brand_id}/orders`, 'relaxed');
    await s.settledList(list);
    const dialog = await s.openDialogFromRow(session, list, order);
    await s.exportReady(dialog);
    await s.exportAndWait(list, dialog, NUMBER);
    const page = list.page;
    const ours = await contentWorld(page, 'PO Bridge — NuORDER to Lightspeed');
    const theirs = await contentWorld(page, BASELINE_NAME);
    const baselineId = await theirs('chrome.runtime.id');
    const request = { v: 1, id: 'wake', req: { type: 'get_export_status', data: { orders: [{ order_id: order._id, order_number: NUMBER }] } } };
    const ids = { ours: session.raw.extensionId, theirs: baselineId };
    const worlds = { ours, theirs };
    const fresh = await wakeRuns(context, ids, worlds, request, runs);
    const journals = await seedHistory(context, ids.ours, ours, request, order._id, history);
    const seasoned = { journals, ...(await wakeRuns(context, ids, worlds, request, runs)) };
    return { runs, ...fresh, target_ratio: 2, history: seasoned };
  } finally {
    await session.quit();
    await sandbox.stop();
    fs.rmSync(baseline, { recursive: true, force: true });
  }
}

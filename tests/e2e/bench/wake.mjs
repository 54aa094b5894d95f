// The background worker's wake (issue 17, item 2), measured in Chromium: the time from a stopped
// worker to its reply to a content script's status request that needs no Lightspeed call (an order
// exported earlier, so the answer comes from the local journal), for PO Bridge and, in the same
// browser, for a baseline extension whose worker loads a minimal wasm module (streaming, from its
// own package) and answers the same message. Figures, not assertions: the median of `runs` wakes
// each, alternating, with the target PO Bridge ≤ 2 × the baseline.
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

export async function wakeBench({ runs = 7 } = {}) {
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
    const times = { po_bridge: [], baseline: [] };
    for (let i = 0; i < runs; i++) {
      times.po_bridge.push(await wakeOnce(context, session.raw.extensionId, ours, request));
      times.baseline.push(await wakeOnce(context, baselineId, theirs, request));
    }
    const po = median(times.po_bridge);
    const base = median(times.baseline);
    return { runs, po_bridge_ms: po, baseline_ms: base, ratio: po / base, target_ratio: 2, times };
  } finally {
    await session.quit();
    await sandbox.stop();
    fs.rmSync(baseline, { recursive: true, force: true });
  }
}

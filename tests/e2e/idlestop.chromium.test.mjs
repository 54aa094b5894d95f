// The real-world run (issue 15): the user build with the product's own timings (no dev:settings), no
// DevTools session on the worker (chromedriver attaches to pages only), driven through the row's
// action and the export dialog, on an export that waits on Lightspeed's rate limit for longer than
// the client waits in-process (60 s). The job pauses with an alarm, Chromium stops the idle worker
// (30 s without events), the alarm starts it again and the export finishes: exactly one PO with every
// line. The worker counts its own starts in its store (`worker:boots`); the test reads that count
// from an extension page that sends no message (so reading it wakes nothing).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox } from './lib/env.mjs';
import { chromedriverSession } from './lib/driver.mjs';
import { figures, until, census } from './lib/reliability.mjs';
import * as s from './flows/steps.mjs';

const NUMBER = '40718821';
const fig = figures('idlestop-chromium');
let sandbox;
let session;

before(async () => {
  sandbox = await startSandbox();
  session = await chromedriverSession(sandbox);
  console.log(`# real-world idle stop in ${session.version} (chromedriver, product timings)`);
});

after(async () => {
  await session?.quit();
  await sandbox?.stop();
});

/** The worker's start count, read from the extension's IndexedDB by a page that sends no message. */
async function boots() {
  const tab = await session.extensionPage('ui.css');
  try {
    return await tab.evaluate(() => new Promise((resolve, reject) => {
      const open = indexedDB.open('po-bridge');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        const get = db.transaction('kv', 'readonly').objectStore('kv').get('worker:boots');
        get.onsuccess = () => { db.close(); resolve(get.result ?? 0); };
        get.onerror = () => reject(get.error);
      };
    }));
  } finally {
    await tab.close();
  }
}

async function stats() {
  return Object.values((await sandbox.get('lightspeed/stats')).accounts ?? {})[0] ?? {};
}

test('an export outlasting the worker: stopped while it waits on the rate limit, resumed by the alarm, one PO with every line', { timeout: 540000 }, async () => {
  const corpus = await sandbox.corpus();
  const order = corpus.orders.find((o) => o.order_number === NUMBER);
  await s.linkAutoApproved(session, sandbox);
  const list = await s.nuorderPage(session, sandbox, `/brand/${order.brand_id}/orders`, 'strict');
  await s.settledList(list);
  const full = await s.readOrder(list, NUMBER);
  const dialog = await s.openDialogFromRow(session, list, full);
  await dialog.waitFor('[data-test="export"]');

  // Fill the bucket past its size: the first write (10 drips) is told to come back in about 75 s,
  // longer than the client waits in the worker (60 s), so the job pauses with an alarm.
  const { buckets } = await sandbox.get('lightspeed/stats');
  const size = buckets.find((b) => b.client_id === session.oauthClient)?.size ?? 90;
  await sandbox.control('lightspeed/stats/reset', {});
  const bootsBefore = await boots();
  // Export becomes active once the dialog has been visible for 500 ms (issue 14).
  await dialog.waitFor('[data-test="export"]:not([disabled])', { timeout: 10000 });
  await dialog.click('[data-test="export"]');
  await list.waitFor('po-bridge-overlay', { gone: true, timeout: 30000 });
  await sandbox.control('lightspeed/bucket', { level: size + 65 });
  const limited = await until(stats, (st) => (st.rate_limited ?? 0) > 0, { what: 'a 429', timeoutMs: 60000, every: 500 });
  const requestsAtPause = limited.requests;
  const t429 = Date.now();

  // Nothing but the product's alarm brings the work back: the next request comes after the wait.
  const resumed = await until(stats, (st) => st.requests > requestsAtPause, { what: 'a request after the wait', timeoutMs: 180000, every: 1000 });
  const waited = Date.now() - t429;
  const stops = (await boots()) - bootsBefore;
  assert.ok(stops >= 1, `the worker was stopped and started again during the wait (${stops} starts in ${waited} ms)`);

  // The rest of the export is paced by the bucket at the real drip rate; the badge ends Exported.
  const link = await s.waitRowExported(list, NUMBER, { timeout: 300000 });
  const c = await census(sandbox, full);
  assert.deepEqual(c.duplicates, []);
  assert.equal(c.pos.length, 1, 'exactly one PO');
  const shape = s.orderShape(full);
  assert.equal(c.lines.length, shape.rows, 'every line');
  assert.equal(c.lines.reduce((n, l) => n + Number(l.quantity), 0), shape.units, 'every unit');
  const totalStops = (await boots()) - bootsBefore;
  fig.add('idle_stops_survived', totalStops);
  fig.case('idle-stop', {
    order: NUMBER, browser: session.version, waited_ms: waited, requests_before_pause: requestsAtPause,
    requests_after_wait: resumed.requests, worker_starts_during_export: totalStops, po: link.text,
  });
});

// Firefox runs the background as an event page and suspends it after an idle period, even in the
// middle of an export: only extension events count as activity, not API calls or fetches. With the
// idle timeout shortened in the test profile and Lightspeed slowed by the sandbox (a full rate-limit
// bucket, so the client waits for a drip before every request), an export started from the dialog
// is suspended several times, is woken by the background's watchdog alarm each time, resumes from
// its journal and ends with exactly one PO, one line per size row and each new item created once
// (the sandbox's state dump).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox } from './lib/env.mjs';
import { firefoxSession } from './lib/driver.mjs';
import * as s from './flows/steps.mjs';

const IDLE_MS = 1500;
// The bucket's size is 90: full, every request waits about a second for a drip.
const BUCKET_LEVEL = 90;
const NUMBER = '40718821';
let sandbox;
let session;

before(async () => {
  sandbox = await startSandbox();
  session = await firefoxSession(sandbox, { prefs: { 'extensions.background.idle.timeout': IDLE_MS } });
});

after(async () => {
  await session?.quit();
  await sandbox?.stop();
});

/** The event page's state as Firefox's parent process sees it: 'running', 'suspending', 'stopped'… */
async function backgroundState() {
  return session.chrome(`
    const { ExtensionParent } = ChromeUtils.importESModule('resource://gre/modules/ExtensionParent.sys.mjs');
    const ext = ExtensionParent.GlobalManager.getExtension(arguments[0]);
    return ext ? String(ext.backgroundState) : 'not installed';
  `, 'po-bridge@po-bridge.app');
}

test(`an export that outlives the event page's ${IDLE_MS} ms idle suspensions ends with exactly one PO`, async () => {
  const corpus = await sandbox.corpus();
  const order = corpus.orders.find((o) => o.order_number === NUMBER);
  await s.linkAutoApproved(session, sandbox);

  // The event page does stop when idle in this profile.
  const idleEnd = Date.now() + 15000;
  while ((await backgroundState()) !== 'stopped') {
    assert.ok(Date.now() < idleEnd, 'the event page stops after the idle timeout');
    await new Promise((r) => setTimeout(r, 200));
  }

  const list = await s.nuorderPage(session, sandbox, `/brand/${order.brand_id}/orders`, 'strict');
  await s.settledList(list);
  const full = await s.readOrder(list, NUMBER);
  const shape = s.orderShape(full);
  const dialog = await s.openDialogFromRow(session, list, order);
  await s.checkDialog(dialog, order, shape.rows);
  const newItems = Number((await dialog.text('[data-test="tab-new"]')).match(/\((\d+)\)/)[1]);
  const itemsBefore = (await s.lsRecords(sandbox, 'Item')).length;

  // Slow Lightspeed down: the bucket full, so each request waits for a drip.
  await sandbox.control('lightspeed/bucket', { client_id: session.oauthClient, level: BUCKET_LEVEL });
  const started = Date.now();
  // Export becomes active once the dialog has been visible for 500 ms (issue 14).
  await dialog.waitFor('[data-test="export"]:not([disabled])', { timeout: 10000 });
  await dialog.click('[data-test="export"]');
  // Back to the list's window: in Firefox the dialog has a window of its own, which Export closes.
  await list.url();

  // Watch without waking the background: only the parent process's view and the page's DOM.
  const states = [];
  let badge = null;
  const end = Date.now() + 300000;
  while (Date.now() < end) {
    const st = await backgroundState();
    if (states.at(-1) !== st) { states.push(st); if (process.env.PO_DEBUG) console.log(Date.now() - started, st); }
    badge = await list.text(`${s.rowAction(NUMBER)} >>> .badge .text`).catch(() => null);
    if (badge === 'Exported' || badge === 'Export failed') break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const took = Date.now() - started;
  console.log(`# export took ${took} ms; event page states: ${states.join(' → ')}`);
  await list.screenshot('eventpage-firefox-exported');
  assert.equal(badge, 'Exported', `the export finished (states: ${states.join(' → ')})`);
  const suspensions = states.filter((x) => x === 'stopped').length;
  assert.ok(took > 3 * IDLE_MS, `the export spans several idle periods (${took} ms)`);
  // Usually twice: the bucket drains while the page sleeps, so how much each wake gets done varies.
  assert.ok(suspensions >= 1, `the event page was suspended mid-export: ${states.join(' → ')}`);

  await s.waitRowExported(list, NUMBER);
  await s.assertOnePo(sandbox, NUMBER, shape);
  assert.equal((await s.lsRecords(sandbox, 'Item')).length, itemsBefore + newItems, 'each new item created once');
});

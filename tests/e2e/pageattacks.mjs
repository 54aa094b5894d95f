// Issue 14's in-page attacks, written once against the driver-neutral interface (lib/driver.mjs)
// and registered by pageattacks.<browser>.test.mjs. The page's own scripts (run here with
// `tab.evaluate`, in the page's main world) try to act for the user:
//   P1 a page script clicks our buttons (`element.click()`, dispatched mouse and keyboard events):
//      nothing is read or staged and no dialog opens; the user's own click still opens it;
//   P2 the page invents rows with hundreds of order numbers: the background asks Lightspeed about at
//      most its per-tab budget (src/app/limits.rs: 100 numbers a request, 300 a minute), counted in
//      the Lightspeed sandbox's request statistics;
//   P3 links the renderers are given: the popup's history renders a PO link only when it is https to
//      Lightspeed's back office (`javascript:`, `data:` and `http:` are dropped; the in-page badges
//      get the same URLs in conformance.chromium.test.mjs).
// Each attack counts in test-results/reliability.json (`attacks_tried`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox } from './lib/env.mjs';
import { figures, quietFor, requestCount, sandboxQuiet } from './lib/reliability.mjs';
import * as s from './flows/steps.mjs';

const NUMBER = '40718821';
/** src/app/limits.rs: LOOKUPS_PER_MINUTE, and Lightspeed's `IN` lists of at most 100 values. */
const LOOKUPS_PER_MINUTE = 300;
const IN_VALUES = 100;
/** Each `IN` batch is asked twice (refNum and b2bOrderNumber). */
const REQUESTS_PER_BATCH = 2;

/** The background's IndexedDB keys, read from one of the extension's own pages. */
async function storeKeys(session) {
  const page = await session.extensionPage('popup.html');
  try {
    return await page.evaluate(async () => {
      const db = await new Promise((resolve, reject) => {
        const req = indexedDB.open('po-bridge', 1);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      const keys = await new Promise((resolve, reject) => {
        const req = db.transaction('kv', 'readonly').objectStore('kv').getAllKeys();
        req.onsuccess = () => resolve(req.result.map(String));
        req.onerror = () => reject(req.error);
      });
      db.close();
      return keys;
    });
  } finally {
    await page.close();
  }
}

/** What a page script can do to our row action: click it every way a script can. */
function pageClicks(number) {
  const host = document.querySelector(`[data-test="order-record-${number}"] po-bridge-action`);
  const button = host.shadowRoot.querySelector('button.icon');
  button.click();
  const opts = { bubbles: true, composed: true, cancelable: true, view: window };
  button.dispatchEvent(new MouseEvent('click', opts));
  button.dispatchEvent(new PointerEvent('pointerdown', opts));
  button.dispatchEvent(new MouseEvent('mousedown', opts));
  button.dispatchEvent(new MouseEvent('mouseup', opts));
  button.dispatchEvent(new KeyboardEvent('keydown', { ...opts, key: 'Enter', code: 'Enter' }));
  host.dispatchEvent(new MouseEvent('click', opts));
  host.click();
  return 8;
}

/** The page invents `count` rows from a real one (numbers from `first`); returns how many. */
function inventRows({ template, first, count }) {
  const row = document.querySelector(`[data-test="order-record-${template}"]`);
  for (let i = 0; i < count; i++) {
    const copy = row.cloneNode(true);
    copy.querySelectorAll('po-bridge-action, po-bridge-menu').forEach((e) => e.remove());
    for (const e of [copy, ...copy.querySelectorAll('*')]) {
      [...e.attributes].filter((a) => a.name.startsWith('data-po-bridge')).forEach((a) => e.removeAttribute(a.name));
    }
    copy.setAttribute('data-test', `order-record-${first + i}`);
    row.parentNode.append(copy);
  }
  return count;
}

const GOOD_PO_URL = 'https://us.merchantos.com/?name=purchase.views.purchase&form_name=view&id=5&tab=main';
const BAD_URLS = ['javascript:window.__pwned=1', 'data:text/html,<script>window.__pwned=1</script>', 'http://us.merchantos.com/?id=4'];

/** A history entry whose badge links to `url` (what the popup's history renders). */
function historyEntry(n, url) {
  const badge = {
    text: 'Exported', tone: 'success', detail: null, progress: null, link: { text: `View PO #${n}`, url },
    action_enabled: false, action_tooltip: 'x', retry: false, needs_link: false,
  };
  const status = { order_number: `6000000${n}`, order_id: `o${n}`, status: { status: 'not_exported' }, po_number: null, po_url: null, badge };
  return { order_id: `o${n}`, order_number: `6000000${n}`, brand: 'B', account_id: s.ACCOUNT_ID, status, updated_ms: n };
}

/** Put `value` (as the background stores it: JSON text) under `key`, from an extension page. */
async function putKey(session, key, value) {
  const page = await session.extensionPage('popup.html');
  try {
    await page.evaluate(async ([k, v]) => {
      const db = await new Promise((resolve, reject) => {
        const req = indexedDB.open('po-bridge', 1);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      await new Promise((resolve, reject) => {
        const tx = db.transaction('kv', 'readwrite');
        tx.objectStore('kv').put(v, k);
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    }, [key, JSON.stringify(value)]);
  } finally {
    await page.close();
  }
}

/** `launch(sandbox)` returns a session of lib/driver.mjs. */
export function pageAttackSuite(launch) {
  let sandbox;
  let session;
  let corpus;
  let fig;

  before(async () => {
    sandbox = await startSandbox();
    session = await launch(sandbox);
    corpus = await sandbox.corpus();
    fig = figures(`pageattacks-${session.browser}`);
    await s.linkAutoApproved(session, sandbox);
  });

  after(async () => {
    await session?.quit();
    await sandbox?.stop();
  });

  const order = () => corpus.orders.find((o) => o.order_number === NUMBER);
  const listPath = () => `/brand/${order().brand_id}/orders`;

  test('P1 a page script clicking our buttons stages nothing and opens no dialog; the user\'s click does', async () => {
    const list = await s.nuorderPage(session, sandbox, listPath(), 'strict');
    await s.settledList(list);
    await list.waitFor(`${s.rowAction(NUMBER)} >>> button.icon`);
    const handles = () => (session.browser === 'firefox' ? session.driver.getAllWindowHandles() : []);
    const windows = await handles();
    const tried = await list.evaluate(pageClicks, NUMBER);
    // Whatever the clicks set off has had time to show: nothing in the page, the store or the
    // windows has changed for 2 s.
    const state = async () => [await list.count('po-bridge-overlay'), await storeKeys(session), await handles()];
    await quietFor(state, { forMs: 2000, what: 'the page, the store and the windows after page clicks' });
    assert.equal(await list.count('po-bridge-overlay'), 0, 'no dialog for a page script');
    // Firefox shows the dialog in the extension's own window: none opened.
    assert.deepEqual(await handles(), windows, 'no dialog window for a page script');
    assert.equal(await list.text(`${s.rowAction(NUMBER)} >>> .note`) ?? '', '', 'nothing read for a page script');
    assert.deepEqual((await storeKeys(session)).filter((k) => k.startsWith('staged:')), [], 'nothing staged');
    fig.add('attacks_tried', tried);
    // The same button under the user's own click (the driver's input, a trusted event) opens the dialog.
    await s.openDialogFromRow(session, list, order());
    assert.ok((await storeKeys(session)).includes(`staged:${order()._id}`));
    fig.case('P1', { page_clicks: tried, dialogs_opened: 0, staged: 0, user_click_opens_dialog: true });
    await list.close();
  });

  test('P2 invented rows with hundreds of order numbers cost Lightspeed at most the tab\'s budget', async () => {
    const list = await s.nuorderPage(session, sandbox, listPath(), 'strict');
    const rows = await s.settledList(list);
    const before = await sandboxQuiet(sandbox, 2000);
    let invented = 0;
    for (const first of [70000000, 71000000]) {
      invented += await list.evaluate(inventRows, { template: NUMBER, first, count: 500 });
      await list.waitFor(`[data-test="order-record-${first + 499}"] po-bridge-action`, { timeout: 30000 });
    }
    const after = await sandboxQuiet(sandbox, 3000, 60000);
    const asked = after - before;
    const bound = Math.ceil(LOOKUPS_PER_MINUTE / IN_VALUES) * REQUESTS_PER_BATCH;
    assert.ok(asked <= bound, `Lightspeed was asked ${asked} times for ${invented} invented rows (at most ${bound})`);
    assert.ok(asked > 0, 'the first invented rows are looked up (the budget is not zero)');
    fig.add('attacks_tried', 1);
    fig.case('P2', { page_rows: rows, invented_rows: invented, lightspeed_requests: asked, bound });
    await list.close();
  });

  test('P3 the popup\'s history renders a PO link only when it is https to the back office', async () => {
    const entries = [...BAD_URLS.map((url, i) => historyEntry(i + 1, url)), historyEntry(5, GOOD_PO_URL)];
    await putKey(session, 'history', entries);
    const popup = await s.openPopup(session);
    await popup.waitFor('[data-test="history-entry"][data-order-number="60000005"] [data-test="history-po-link"]');
    assert.equal(await popup.count('[data-test="history-entry"]'), entries.length);
    assert.equal(await popup.count('[data-test="history-po-link"]'), 1, 'only the https back-office link renders');
    assert.equal(await popup.attr('[data-test="history-po-link"]', 'href'), GOOD_PO_URL);
    fig.add('attacks_tried', BAD_URLS.length);
    fig.case('P3', { bad_links: BAD_URLS.length, rendered: 0 });
    await popup.close();
  });
}

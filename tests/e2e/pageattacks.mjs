// Issue 14's in-page attacks, written once against the driver-neutral interface (lib/driver.mjs)
// and registered by pageattacks.<browser>.test.mjs. The page's own scripts (run here with
// `tab.evaluate`, in the page's main world) try to act for the user:
//   P1 a page script clicks our buttons (`element.click()`, dispatched mouse and keyboard events):
//      nothing is read or staged and no dialog opens; the user's own click still opens it;
//   P2 the page invents rows with hundreds of order numbers: the background asks Lightspeed about at
//      most its per-tab budget (src/app/limits.rs: 100 numbers a request, 300 a minute), counted in
//      the Lightspeed sandbox's request statistics.
// Each attack counts in test-results/reliability.json (`attacks_tried`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox } from './lib/env.mjs';
import { figures, requestCount, sandboxQuiet, sleep } from './lib/reliability.mjs';
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
    const tried = await list.evaluate(pageClicks, NUMBER);
    await sleep(2000);
    assert.equal(await list.count('po-bridge-overlay'), 0, 'no dialog for a page script');
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
}

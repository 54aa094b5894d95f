// Attack tests (issue 14, item 7, the dialog's share), written once against ../lib/driver.mjs and
// registered by attacks.<browser>.test.mjs. A "page script" is code run in the NuORDER page's own
// world (`tab.evaluate`), which is what a third-party tag or an XSS can do.
//
// A1 the page frames dialog.html itself — the 1695b83 way (`?order_id=` of another order), with a
//    made-up capability, and with the capability of the real dialog (read by the driver, as a page
//    could read it from an open shadow root): nothing shown, nothing written, and a stolen
//    capability is void for the real dialog too.
// A2 the overlay made invisible (opacity 0), faded, or covered by a page element, then a click on
//    where Export is: Export stays inactive (Chromium: IntersectionObserver v2) — in Firefox the
//    dialog is not in the page at all (the background's own window) and the page cannot reach it.
// A3 a content script sends StartExport / RetryExport: refused (Chromium: from the content script's
//    world through CDP; Firefox: Selenium cannot reach that world, so tests/app_capability.rs and
//    src/app/sender.rs test it natively).
// Each attack counts in test-results/reliability.json (`attacks_tried`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox } from './lib/env.mjs';
import { figures } from './lib/reliability.mjs';
import * as s from './flows/steps.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const NUMBER = '40718821';
let OTHER; // another order of the same brand's list
const NO_CAPABILITY = /no longer valid/;

/** `launch(sandbox)` returns a session; `contentSend(tab, req)` (optional) sends a request from
 * the content script's world and resolves with the reply envelope. */
export function attackSuite(browserName, launch, { contentSend } = {}) {
  const fig = figures(`attacks-${browserName}`);
  let sandbox;
  let session;
  let corpus;
  let list;

  before(async () => {
    sandbox = await startSandbox();
    session = await launch(sandbox);
    corpus = await sandbox.corpus();
    await s.linkAutoApproved(session, sandbox);
    const brand = corpus.orders.find((o) => o.order_number === NUMBER).brand_id;
    OTHER = corpus.orders.find((o) => o.brand_id === brand && o.order_number !== NUMBER).order_number;
    list = await s.nuorderPage(session, sandbox, `/brand/${brand}/orders`, 'strict');
    await s.checkListPage(session, list, NUMBER);
  });

  after(async () => {
    fig.save();
    await session?.quit();
    await sandbox?.stop();
  });

  const order = (n) => corpus.orders.find((o) => o.order_number === n);
  const pos = async () => (await s.lsRecords(sandbox, 'Order')).length;

  /** A page script frames `src` in the top document; returns the frame. */
  async function pageFrames(src, id) {
    await list.evaluate(([u, i]) => {
      document.getElementById(i)?.remove();
      const f = Object.assign(document.createElement('iframe'), { src: u, id: i });
      f.style.cssText = 'position:fixed;left:0;top:0;width:900px;height:700px;z-index:2147483647;border:0';
      document.documentElement.append(f);
    }, [src, id]);
    return list.frame(`#${id}`);
  }

  async function removeFrame(id) {
    await list.evaluate((i) => document.getElementById(i)?.remove(), id);
  }

  /** A framed dialog shows the one sentence and never the order; nothing is written. */
  async function showsNothing(frame, before, what) {
    await sleep(1500);
    const refused = (await frame.count('[data-test="refused"]')) + (await frame.count('[data-test="error"]'));
    assert.equal(await frame.count('[data-test="order-number"]'), 0, `${what}: the order is not shown`);
    assert.equal(await frame.count('[data-test="export"]'), 0, `${what}: no Export`);
    assert.ok(refused > 0 || (await frame.count('body *')) === 0, `${what}: only advice (or nothing)`);
    if (refused) assert.match(await frame.text('[role="alert"]'), NO_CAPABILITY, what);
    assert.equal(await pos(), before, `${what}: nothing written`);
  }

  /** The dialog for `n` as the user opens it (its address is the user flows' business). */
  async function openReal(n) {
    // What an earlier failed case left open goes first (as a page could remove it too).
    await list.evaluate(() => document.querySelectorAll('po-bridge-overlay').forEach((e) => e.remove()));
    await list.hover(s.row(n));
    const click = () => list.click(`${s.rowAction(n)} >>> button.icon`);
    let dialog;
    if (session.browser === 'firefox') dialog = await session.consentWindow(click);
    else {
      await click();
      dialog = await list.frame('po-bridge-overlay >>> iframe');
    }
    await dialog.waitFor('[data-test="order-number"]', { text: n, timeout: 30000 });
    return dialog;
  }

  /** `fn(frame)` on a frame the page made of `src`, removed afterwards whatever happens. */
  async function withPageFrame(src, id, fn) {
    try {
      await fn(await pageFrames(src, id));
    } finally {
      await removeFrame(id);
    }
  }

  async function closeReal(dialog) {
    if (await dialog.count('[data-test="cancel"]')) await dialog.click('[data-test="cancel"]').catch(() => {});
    else await dialog.click('[data-test="close"]').catch(() => {});
    await list.waitFor('po-bridge-overlay', { gone: true });
  }

  test('A1: the page frames dialog.html for another order, with no or a made-up capability: nothing shown, nothing written', async () => {
    const before = await pos();
    const old = session.extensionUrl(`dialog.html?order_id=${order(OTHER)._id}`);
    fig.add('attacks_tried');
    await withPageFrame(old, 'a1-old', (f) => showsNothing(f, before, '?order_id= of another order'));
    const forged = session.extensionUrl(`dialog.html?cap=${'ab'.repeat(16)}&order_id=${order(OTHER)._id}`);
    fig.add('attacks_tried');
    await withPageFrame(forged, 'a1-forged', (f) => showsNothing(f, before, 'a made-up capability'));
  });

  test('A1: the page frames the real dialog\'s capability itself: nothing shown, and the capability is void', async () => {
    const before = await pos();
    const dialog = await openReal(OTHER);
    // What a page could read from an open shadow root (or the window's address in Firefox).
    const src = session.browser === 'firefox' ? await dialog.url() : await list.attr('po-bridge-overlay >>> iframe', 'src');
    fig.add('attacks_tried');
    await withPageFrame(src, 'a1-stolen', (f) => showsNothing(f, before, 'a stolen capability'));
    if (session.browser !== 'firefox') {
      // The theft voided it: the real dialog cannot export either (the user clicks the action again).
      await s.exportReady(dialog);
      await dialog.click('[data-test="export"]');
      await dialog.waitFor('[data-test="export-error"]', { text: NO_CAPABILITY });
      assert.equal(await pos(), before, 'nothing written through a stolen capability');
    }
    await closeReal(dialog);
  });

  const disguises = [
    ['made invisible (opacity 0)', (h) => { h.style.setProperty('opacity', '0', 'important'); }],
    ['faded (opacity .3)', (h) => { h.style.setProperty('opacity', '0.3', 'important'); }],
    ['covered by a page element', () => {
      const d = Object.assign(document.createElement('div'), { id: 'a2-cover', textContent: 'Claim your reward' });
      d.style.cssText = 'position:fixed;inset:0;z-index:2147483647;background:#fff';
      document.documentElement.append(d);
    }],
  ];

  for (const [what, disguise] of disguises) {
    test(`A2: the overlay ${what}, then a click where Export is: no export`, async () => {
      const before = await pos();
      const dialog = await openReal(NUMBER);
      if (session.browser === 'firefox') {
        // No dialog in the page: nothing for the page to restyle or cover.
        assert.equal(await list.evaluate(() => document.querySelectorAll('po-bridge-overlay, iframe').length), 0);
        fig.add('attacks_tried');
        await closeReal(dialog);
        return;
      }
      await s.exportReady(dialog); // the honest dialog works…
      fig.add('attacks_tried');
      await list.evaluate(`(${disguise.toString()})(document.querySelector('po-bridge-overlay'))`);
      await sleep(1200); // …and stays inactive however long the disguise lasts
      // The click lands where Export is (a disabled button takes no click, and the handler checks too).
      await dialog.evaluate(() => document.querySelector('[data-test="export"]').click());
      await sleep(1500);
      assert.equal(await pos(), before, `nothing written while ${what}`);
      assert.equal(await dialog.attr('[data-test="export"]', 'disabled'), '', `Export inactive while ${what}`);
      // Undisguised, Export works again only after 500 ms of being visible.
      await list.evaluate(() => {
        document.getElementById('a2-cover')?.remove();
        document.querySelector('po-bridge-overlay').style.removeProperty('opacity');
      });
      await s.exportReady(dialog);
      await closeReal(dialog);
    });
  }

  test('A3: a content script sends StartExport and RetryExport: refused', { skip: !contentSend && 'Selenium cannot reach the content script\'s world: tested natively (tests/app_capability.rs, src/app/sender.rs)' }, async () => {
    const before = await pos();
    const dialog = await openReal(NUMBER);
    const cap = new URL(await list.attr('po-bridge-overlay >>> iframe', 'src')).searchParams.get('cap') ?? undefined;
    const shop = (await dialog.attr('[data-test="shop"] option', 'value'));
    for (const req of [
      { type: 'start_export', data: { order_id: order(NUMBER)._id, shop_id: shop, choices: [], cap } },
      { type: 'retry_export', data: { order_id: order(NUMBER)._id, cap } },
      { type: 'retry_export', data: { order_id: order(NUMBER)._id } },
    ]) {
      fig.add('attacks_tried');
      const reply = await contentSend(list, req);
      assert.equal(reply?.err?.code, 'forbidden', `${req.type} from a content script: ${JSON.stringify(reply)}`);
    }
    await sleep(1000);
    assert.equal(await pos(), before, 'nothing written');
    await closeReal(dialog);
  });
}

// Attack tests (issue 14, item 7, the dialog's share), written once against ../lib/driver.mjs and
// registered by attacks.<browser>.test.mjs. A "page script" is code run in the NuORDER page's own
// world (`tab.evaluate`), which is what a third-party tag or an XSS can do.
//
// A1 the page frames dialog.html itself — the 1695b83 way (`?order_id=` of another order), with a
//    made-up capability, and with the capability of the real dialog (read by the driver, as a page
//    could read it from an open shadow root): nothing shown, nothing written, and a stolen
//    capability is void for the real dialog too.
// A2 the overlay made invisible (opacity 0), faded, covered by a page element, or kept moving, then
//    a click on where Export is: Export stays inactive (Chromium: IntersectionObserver v2; a move,
//    which that does not see, reported by the in-page layer) — in Firefox the dialog is not in the
//    page at all (the background's own window) and the page cannot reach it. Moved once, a ready
//    Export goes inactive at once and works again only after 500 ms where it now is.
// A3 a content script sends StartExport / RetryExport: refused (Chromium: from the content script's
//    world through CDP; Firefox: Selenium cannot reach that world, so tests/app_capability.rs and
//    src/app/sender.rs test it natively).
// A4 a tab whose NuORDER session the extension cannot know (its record gone from the background's
//    store while another tab's buyer is remembered; then NuORDER's session ended): a trusted click
//    on our action opens no dialog, says to sign in to NuORDER, writes nothing in any account.
// A5 two buyers in one browser profile (cookies are per profile, in both browsers, as on NuORDER):
//    buyer A (Juniper & Pine → Lightspeed 83050) stages an export in tab 1, then the profile signs
//    in as buyer B (Birch Row → 83051) in tab 2. B's export lands in 83051 and its events reach only
//    B's tab (a row of the same number that a page script put in tab 1 stays "not exported"); A's
//    staged export still lands in 83050; tab 1, now holding B's cookie, cannot export A's orders.
// Each attack counts in test-results/reliability.json (`attacks_tried`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox } from './lib/env.mjs';
import { figures, quietFor, requestCount, until } from './lib/reliability.mjs';
import * as s from './flows/steps.mjs';

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
  let listPath;

  before(async () => {
    sandbox = await startSandbox();
    session = await launch(sandbox);
    corpus = await sandbox.corpus();
    await s.linkAutoApproved(session, sandbox);
    const brand = corpus.orders.find((o) => o.order_number === NUMBER).brand_id;
    OTHER = corpus.orders.find((o) => o.brand_id === brand && o.order_number !== NUMBER).order_number;
    listPath = `/brand/${brand}/orders`;
    list = await s.nuorderPage(session, sandbox, listPath, 'strict');
    await s.checkListPage(session, list, NUMBER);
  });

  after(async () => {
    fig.save();
    await session?.quit();
    await sandbox?.stop();
  });

  const order = (n) => corpus.orders.find((o) => o.order_number === n);
  const pos = async () => (await s.lsRecords(sandbox, 'Order')).length;

  /**
   * The wait before a "nothing happened" check: poll the sandbox's Lightspeed request count and
   * `state()` until neither has changed for `forMs`, and return state()'s value then (no sleep).
   */
  async function quiet(forMs, state, what) {
    const seen = await quietFor(async () => ({ requests: await requestCount(sandbox), state: await state() }), { forMs, what });
    return seen.state;
  }

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
    const seen = await quiet(1500, async () => ({
      refused: (await frame.count('[data-test="refused"]')) + (await frame.count('[data-test="error"]')),
      order: await frame.count('[data-test="order-number"]'),
      exportButton: await frame.count('[data-test="export"]'),
      elements: await frame.count('body *'),
      alert: await frame.text('[role="alert"]'),
      pos: await pos(),
    }), `${what}: the framed dialog and the sandbox`);
    assert.equal(seen.order, 0, `${what}: the order is not shown`);
    assert.equal(seen.exportButton, 0, `${what}: no Export`);
    assert.ok(seen.refused > 0 || seen.elements === 0, `${what}: only advice (or nothing)`);
    if (seen.refused) assert.match(seen.alert, NO_CAPABILITY, what);
    assert.equal(seen.pos, before, `${what}: nothing written`);
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

  test('A1: the page frames the real dialog\'s address itself: nothing shown, nothing handed to its frame', async () => {
    const before = await pos();
    const dialog = await openReal(OTHER);
    // What a page could read from an open shadow root (or the window's address in Firefox, which
    // no page can read: the test reads it for the page).
    const src = session.browser === 'firefox' ? await dialog.url() : await list.attr('po-bridge-overlay >>> iframe', 'src');
    if (session.browser !== 'firefox') assert.doesNotMatch(src, /cap=/, 'no capability in the frame\'s address');
    fig.add('attacks_tried');
    // The page's frame asks the in-page layer for the capability as ours does: it is not ours, so
    // it gets nothing (Firefox: the stolen address's capability is voided by its second frame).
    await withPageFrame(src, 'a1-stolen', (f) => showsNothing(f, before, 'the dialog\'s address framed by the page'));
    await closeReal(dialog);
  });

  test('A1: the page removes our overlay the moment it is added and frames its address: nothing shown, nothing written', { skip: browserName === 'firefox' && 'Firefox shows the dialog in a window of its own' }, async () => {
    const before = await pos();
    await list.evaluate(() => {
      new MutationObserver((records, observer) => {
        for (const host of records.flatMap((r) => [...r.addedNodes]).filter((n) => n.localName === 'po-bridge-overlay')) {
          observer.disconnect();
          const src = host.shadowRoot.querySelector('iframe').src;
          host.remove();
          const f = Object.assign(document.createElement('iframe'), { src, id: 'a1-race' });
          document.documentElement.append(f);
        }
      }).observe(document.documentElement, { childList: true });
    });
    await list.hover(s.row(OTHER));
    await list.click(`${s.rowAction(OTHER)} >>> button.icon`);
    await list.waitFor('#a1-race');
    fig.add('attacks_tried');
    try {
      await showsNothing(await list.frame('#a1-race'), before, 'our overlay replaced by the page\'s frame of its address');
    } finally {
      await removeFrame('a1-race');
    }
  });

  const disguises = [
    ['made invisible (opacity 0)', (h) => { h.style.setProperty('opacity', '0', 'important'); }],
    ['faded (opacity .3)', (h) => { h.style.setProperty('opacity', '0.3', 'important'); }],
    ['covered by a page element', () => {
      const d = Object.assign(document.createElement('div'), { id: 'a2-cover', textContent: 'Claim your reward' });
      d.style.cssText = 'position:fixed;inset:0;z-index:2147483647;background:#fff';
      document.documentElement.append(d);
    }],
    ['kept moving (translated a few pixels every 100 ms, still fully in view)', (h) => {
      let i = 0;
      window.a2Move = setInterval(() => h.style.setProperty('transform', `translate(${i++ % 2 ? 12 : -12}px, 8px)`), 100);
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
      // …and goes inactive, and stays so however long the disguise lasts (1.2 s without a change).
      const disguised = await quietFor(() => dialog.attr('[data-test="export"]', 'disabled'), { forMs: 1200, what: `Export while ${what}` });
      assert.equal(disguised, '', `Export inactive while ${what}`);
      // The click lands where Export is (a disabled button takes no click, and the handler checks too).
      await dialog.evaluate(() => document.querySelector('[data-test="export"]').click());
      const seen = await quiet(1500, async () => ({ pos: await pos(), disabled: await dialog.attr('[data-test="export"]', 'disabled') }), `after a click while ${what}`);
      assert.equal(seen.pos, before, `nothing written while ${what}`);
      assert.equal(seen.disabled, '', `Export inactive while ${what}`);
      // Undisguised, Export works again only after 500 ms of being visible.
      await list.evaluate(() => {
        document.getElementById('a2-cover')?.remove();
        clearInterval(window.a2Move);
        document.querySelector('po-bridge-overlay').style.removeProperty('opacity');
        document.querySelector('po-bridge-overlay').style.removeProperty('transform');
      });
      await s.exportReady(dialog);
      await closeReal(dialog);
    });
  }

  // Under a strict CSP Chromium's in-page layer is the JS fallback; under a relaxed one, the wasm:
  // each reports moves, so each is tried.
  for (const csp of ['strict', 'relaxed']) test(`A2: the overlay moved once (${csp} CSP page): a ready Export goes inactive at once and works again only after 500 ms`, async () => {
    const home = list;
    if (csp !== 'strict') {
      list = await s.nuorderPage(session, sandbox, listPath, csp);
      await s.settledList(list);
    }
    try {
      const engine = csp === 'strict' ? session.strictCspEngine : 'wasm';
      assert.equal(await list.attr(s.rowAction(NUMBER), 'data-po-bridge-engine'), engine, 'the in-page layer tried');
      await movedOnce();
    } finally {
      if (list !== home) {
        await list.close();
        await sandbox.control('nuorder/csp', { mode: 'strict' });
        list = home;
      }
    }
  });

  async function movedOnce() {
    const dialog = await openReal(NUMBER);
    if (session.browser === 'firefox') {
      assert.equal(await list.evaluate(() => document.querySelectorAll('po-bridge-overlay, iframe').length), 0);
      fig.add('attacks_tried');
      await closeReal(dialog);
      return;
    }
    await s.exportReady(dialog);
    fig.add('attacks_tried');
    // The dialog records every change of Export's `disabled`, with the time it happened.
    await dialog.evaluate(() => {
      const b = document.querySelector('[data-test="export"]');
      window.exportStates = [];
      new MutationObserver(() => window.exportStates.push([b.hasAttribute('disabled'), performance.now()]))
        .observe(b, { attributes: true, attributeFilter: ['disabled'] });
    });
    await list.evaluate(() => document.querySelector('po-bridge-overlay').style.setProperty('transform', 'translate(40px, 24px)'));
    const states = await until(() => dialog.evaluate(() => window.exportStates), (st) => st.length >= 2 && !st.at(-1)[0],
      { timeoutMs: 10000, every: 50, what: 'Export inactive, then active again' }).catch(() => dialog.evaluate(() => window.exportStates));
    assert.ok(states.length >= 2, `Export went inactive and active again after the move: ${JSON.stringify(states)}`);
    const [[disabled, off], [enabledAgain, on]] = states;
    assert.deepEqual([disabled, enabledAgain], [true, false], JSON.stringify(states));
    assert.ok(on - off >= 490, `active again ${Math.round(on - off)} ms after the move (at least 500)`);
    await list.evaluate(() => document.querySelector('po-bridge-overlay').style.removeProperty('transform'));
    await closeReal(dialog);
  }

  test('A3: a content script sends StartExport and RetryExport: refused', { skip: !contentSend && 'Selenium cannot reach the content script\'s world: tested natively (tests/app_capability.rs, src/app/sender.rs)' }, async () => {
    const before = await pos();
    const dialog = await openReal(NUMBER);
    const shop = (await dialog.attr('[data-test="shop"] option', 'value'));
    // A capability of the content script's own (the real dialog's is in no address any more):
    // staged from the content script's world, as its click handler stages.
    const { doc, products } = await list.evaluate(async (n) => {
      const d = await (await fetch(`/api/order/number/${n}`)).json();
      const ids = [...new Set(d.line_items.map((l) => l.product._id))];
      return { doc: d, products: await Promise.all(ids.map(async (id) => (await fetch(`/api/product/${id}`)).json())) };
    }, NUMBER);
    const brand = corpus.brands.find((b) => b._id === doc.brand_id) ?? {};
    const staged = await contentSend(list, { type: 'stage_order', data: { order: doc, products, brand: { id: brand._id, name: brand.name } } });
    const cap = new URL(staged?.ok?.data?.dialog ?? '', 'https://x/').searchParams.get('cap');
    assert.match(cap ?? '', /^[0-9a-f]{32}$/, `the content script's own capability: ${JSON.stringify(staged)}`);
    for (const req of [
      { type: 'start_export', data: { order_id: order(NUMBER)._id, shop_id: shop, choices: [], cap } },
      { type: 'retry_export', data: { order_id: order(NUMBER)._id, cap } },
      { type: 'retry_export', data: { order_id: order(NUMBER)._id } },
    ]) {
      fig.add('attacks_tried');
      const reply = await contentSend(list, req);
      assert.equal(reply?.err?.code, 'forbidden', `${req.type} from a content script: ${JSON.stringify(reply)}`);
    }
    assert.equal(await quiet(1000, pos, 'after the refused requests'), before, 'nothing written');
    await closeReal(dialog);
  });
  // ---------------------------------------------------------------- the right account (A4, A5)

  const SIGN_IN = /Sign in to NuORDER/;
  const noteOf = (n) => `${s.rowAction(n)} >>> .note`;
  /** Every PO's reference in one Lightspeed account of the sandbox. */
  const refsIn = async (accountId) =>
    ((await sandbox.get('lightspeed/state')).accounts[accountId]?.tables.Order ?? []).map((o) => o.refNum);
  const allPos = async () => Object.values((await sandbox.get('lightspeed/state')).accounts)
    .reduce((n, a) => n + (a.tables.Order ?? []).length, 0);

  /** Dialog windows (Firefox) or overlays (Chromium) open now. */
  async function dialogsOpen(tab) {
    if (session.browser === 'firefox') return (await session.driver.getAllWindowHandles()).length;
    return tab.count('po-bridge-overlay');
  }

  /** Dialogs open in `list`'s browser and POs in every account (what a refused click must not change). */
  const openAndWritten = async () => ({ dialogs: await dialogsOpen(list), pos: await allPos() });

  /** The user clicks our action on a row: the row's note, once it says something. */
  async function clickAction(tab, n, text) {
    await tab.hover(s.row(n));
    await tab.click(`${s.rowAction(n)} >>> button.icon`);
    await tab.waitFor(`${noteOf(n)}.error`, { text, timeout: 20000 });
    return tab.text(noteOf(n));
  }

  /** The background forgets every tab's NuORDER session but one of another tab (a made-up id),
   * as when this tab's session was never reported: its store is the extension origin's IndexedDB,
   * reached from one of the extension's own pages. */
  async function onlyAnotherTabsSession() {
    const page = await session.extensionPage('popup.html');
    try {
      return await page.evaluate(async () => {
        const db = await new Promise((resolve, reject) => {
          const r = indexedDB.open('po-bridge', 1);
          r.onsuccess = () => resolve(r.result);
          r.onerror = () => reject(r.error);
        });
        const tx = (mode, fn) => new Promise((resolve, reject) => {
          const t = db.transaction('kv', mode);
          const q = fn(t.objectStore('kv'));
          t.oncomplete = () => resolve(q && q.result);
          t.onerror = () => reject(t.error);
        });
        const seen = JSON.parse((await tx('readonly', (st) => st.get('nuorder_sessions'))) ?? '[]');
        const other = seen.slice(0, 1).map((x) => ({ ...x, tab_id: 999999, seen_ms: Date.now() }));
        await tx('readwrite', (st) => st.put(JSON.stringify(other), 'nuorder_sessions'));
        db.close();
        return { before: seen.length, after: other.length };
      });
    } finally {
      await page.close();
    }
  }

  test('A4: a tab with no session the extension knows: no export to any account, advice to sign in to NuORDER in this tab', async () => {
    const before = await allPos();
    await list.evaluate(() => document.querySelectorAll('po-bridge-overlay').forEach((e) => e.remove()));
    const dialogs = await dialogsOpen(list);
    const { before: seen, after } = await onlyAnotherTabsSession();
    assert.ok(seen >= 1 && after === 1, 'another tab\'s buyer stays remembered (the most recently seen)');
    fig.add('attacks_tried');
    const said = await clickAction(list, NUMBER, SIGN_IN);
    assert.match(said, /in this tab/, 'the advice names this tab');
    let quietNow = await quiet(1000, openAndWritten, 'after the click with no known session');
    assert.equal(quietNow.dialogs, dialogs, 'no dialog opened');
    assert.equal(quietNow.pos, before, 'nothing written in any account');

    // Signed out: NuORDER's session ended under the rendered page; the click is told to sign in.
    await sandbox.control('nuorder/sessions/expire');
    fig.add('attacks_tried');
    await clickAction(list, OTHER, SIGN_IN);
    quietNow = await quiet(1000, openAndWritten, 'after the click signed out');
    assert.equal(quietNow.dialogs, dialogs, 'no dialog opened (signed out)');
    assert.equal(quietNow.pos, before, 'nothing written (signed out)');
    // Signed in again, in a fresh tab: the background knows that tab's buyer.
    await list.close();
    list = await s.nuorderPage(session, sandbox, listPath, 'strict');
    await s.checkListPage(session, list, NUMBER);
  });

  const B = { email: 'buyer2@example.com', name: 'Kim Lindqvist', account: '83051', accountName: 'Birch Row Outfitters', order: '51000001' };
  const A = { name: 'Sam Okafor', account: '83050', accountName: 'Harborview Outfitters' };

  /** Link the NuORDER buyer the popup shows (the most recently seen) to a Lightspeed account. */
  async function linkBuyer(accountId, name) {
    const popup = await s.openPopup(session);
    await popup.click('[data-test="link-account"]');
    await popup.select('[data-test="product"]', 'nuorder');
    await popup.waitFor('[data-test="target-account"]');
    await popup.select('[data-test="target-account"]', accountId);
    await popup.click('[data-test="do-link"]');
    await popup.waitFor('[data-test="linked-message"]', { text: new RegExp(`Linked NuORDER buyer ${name}`) });
    await popup.close();
  }

  /** The export dialog of row `n` on `tab`, opened by the user. */
  async function openOn(tab, n) {
    await tab.hover(s.row(n));
    const click = () => tab.click(`${s.rowAction(n)} >>> button.icon`);
    let dialog;
    if (session.browser === 'firefox') dialog = await session.consentWindow(click);
    else {
      await click();
      dialog = await tab.frame('po-bridge-overlay >>> iframe');
    }
    await dialog.waitFor('[data-test="order-number"]', { text: n, timeout: 30000 });
    return dialog;
  }

  test('A5: two buyers in one browser profile: each export lands in its own buyer\'s account, events reach only that buyer\'s tab', async (t) => {
    const step = (m) => t.diagnostic(`${new Date().toISOString()} ${m}`);
    const pos83050 = await refsIn(A.account);
    await sandbox.control('lightspeed/seed', { replace: false, accounts: [{
      accountID: B.account, name: B.accountName,
      Shop: [{ name: 'Birch Row Portland', timeZone: 'US/Eastern' }],
      Vendor: [{ name: 'Harbor Goods Co.' }], Manufacturer: [{ name: 'Harbor Goods' }], Category: [{ name: 'Apparel' }],
    }] });
    step('seeded');
    // Buyer A (tab 1, `list`) is linked to 83050 and stages an export there.
    await linkBuyer(A.account, A.name);
    const dialogA = await openOn(list, NUMBER);
    assert.equal((await dialogA.text('[data-test="confirm-account"]')).trim(), A.accountName);

    step('A linked, dialog A open');
    // The same profile signs in as buyer B in tab 2 (tab 1 now holds B's cookie too), linked to 83051.
    await list.url(); // new tabs open beside tab 1 (Firefox: not in the dialog's popup window)
    const tab2 = await session.open(`https://app.nuorder.com/__sandbox/nuorder/sign-in?buyer=${encodeURIComponent(B.email)}&next=${encodeURIComponent(listPath)}`);
    await tab2.waitFor('main[aria-busy="false"]');
    assert.equal(await tab2.attr('[data-test="current-user"]', 'data-email'), B.email);
    await tab2.waitFor(`${s.rowAction(B.order)} >>> button.icon`);
    step('tab 2 signed in as B');
    const popup = await s.openPopup(session);
    const consent = await s.startLink(session, popup);
    await consent.select('#account', B.account);
    await consent.click('#allow');
    await popup.waitFor('[data-test="linked-message"]', { text: new RegExp(`\\(#${B.account}\\)`), timeout: 30000 });
    await popup.close();
    await linkBuyer(B.account, B.name);

    step('83051 and B linked');
    // A page script in tab 1 shows a row with B's order number: were B's events sent to tab 1, its
    // badge would turn Exported.
    await list.evaluate(([from, n]) => {
      const row = document.querySelector(`[data-test="order-record-${from}"]`).cloneNode(true);
      row.querySelectorAll('po-bridge-action').forEach((e) => e.remove());
      // A fresh row, as the page would render it (no trace of our mounting).
      [row, ...row.querySelectorAll('*')].forEach((e) => [...e.attributes]
        .filter((x) => x.name.startsWith('data-po-bridge')).forEach((x) => e.removeAttribute(x.name)));
      row.setAttribute('data-test', `order-record-${n}`);
      row.setAttribute('data-order-id', '64b2e0c9a1f3d5e7b9c1b3ff');
      row.querySelector('[data-test="order-number"]').textContent = n;
      document.querySelector('[data-test="order-list"] tbody').prepend(row);
    }, [OTHER, B.order]);
    await list.waitFor(`${s.rowAction(B.order)} >>> .badge .text`, { text: /./ });
    const decoy = await list.text(`${s.rowAction(B.order)} >>> .badge .text`);

    step('decoy row mounted');
    // B exports from tab 2: into 83051, and tab 2's badge follows the job.
    fig.add('attacks_tried');
    const dialogB = await openOn(tab2, B.order);
    assert.equal((await dialogB.text('[data-test="confirm-account"]')).trim(), B.accountName);
    await s.exportAndWait(tab2, dialogB, B.order);
    step('B exported');
    // Quiet: the export's writes are over and the decoy's badge has stopped changing.
    const settled = await quiet(1500, async () => ({
      b: await refsIn(B.account), a: await refsIn(A.account), decoy: await list.text(`${s.rowAction(B.order)} >>> .badge .text`),
    }), 'after B\'s export');
    assert.deepEqual(settled.b, [`NuORDER ${B.order}`], 'B\'s PO in B\'s account');
    assert.deepEqual(settled.a, pos83050, 'nothing in A\'s account');
    fig.add('attacks_tried');
    // (Its own status, asked from tab 1, comes from A's account: not exported there, or still being checked.)
    assert.doesNotMatch(settled.decoy, /^Exported/, `B's events did not reach A's tab (was "${decoy}")`);

    step('events checked');
    // A's export, staged before B signed in, still goes to A's account (its capability is bound to it).
    fig.add('attacks_tried');
    await s.exportReady(dialogA);
    await dialogA.click('[data-test="export"]');
    await s.waitRowExported(list, NUMBER);
    assert.deepEqual(await refsIn(A.account), [...pos83050, `NuORDER ${NUMBER}`], 'A\'s PO in A\'s account');
    assert.deepEqual(await refsIn(B.account), [`NuORDER ${B.order}`], 'nothing more in B\'s account');

    step('A exported');
    // Tab 1 now sends B's cookie: another of A's orders cannot be read, so nothing is staged anywhere.
    fig.add('attacks_tried');
    const before = await allPos();
    const dialogs = await dialogsOpen(list);
    await clickAction(list, OTHER, /./);
    const after = await quiet(1000, openAndWritten, 'after the click under B\'s cookie');
    assert.equal(after.dialogs, dialogs, 'no dialog for A\'s order under B\'s cookie');
    assert.equal(after.pos, before, 'nothing written');
    await tab2.close();
  });
}

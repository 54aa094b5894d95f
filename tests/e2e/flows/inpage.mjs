// The in-page layer (issue 7, items 1, 3, 5, 6), registered once for a browser against the
// driver-neutral interface (../lib/driver.mjs) and run by inpage.<browser>.test.mjs, on the NuORDER
// sandbox with the unmodified build, under a strict page CSP (Chromium: the JS fallback; Firefox: the
// wasm, which its content scripts may compile) and a relaxed one (the wasm).
//
// What the background answers is not this layer's business: where a test needs particular
// statuses or a staged order, a test listener added to the background (session.background: the
// service worker in Chromium, the event page in Firefox) answers first (it replies synchronously; the
// real background's reply comes later and is ignored) and records every request the page sent; it
// also sends the background's events to the tabs. Without it, the background answers as it does in
// this build. (A listener in another extension page would race the background's own answer.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DIST, startSandbox } from '../lib/env.mjs';
import { quietFor, until } from '../lib/reliability.mjs';
import { row, rowAction } from './steps.mjs';

const LABELS = {
  action: 'Export order to POS',
  updated: 'PO Bridge was updated — reload the page',
  field: 'Order Export Status',
};
const HARBOR = '5f1a2b3c4d5e6f7081920a1b';
/** The row widgets each engine builds ahead while the page is idle (`limits.spare_rows` of the shipped spec). */
const SPARE_ROWS = JSON.parse(fs.readFileSync(path.join(DIST, 'po-bridge-spec.js'), 'utf8').split('PO_BRIDGE_SPEC = ')[1].trim().replace(/;$/, '')).limits.spare_rows;
const ECLAT = '5f1a2b3c4d5e6f7081920a2c';
const LINK_TOOLTIP = 'Link a Lightspeed account in PO Bridge to export orders. Click to open the linking screen.';
// What a row's action says when the tab's buyer has no account: the dialog's Connect step links one.
const CONNECT_TOOLTIP = 'Export this order: PO Bridge connects your Lightspeed account first, in the export window.';
const EXPORT_TOOLTIP = 'Export order to POS: create this order as a purchase order in Lightspeed';
const HOSTILE = '<img src=x onerror="window.__pwned=1"> & </script> "quoted" 👜';
const DETAIL_ACTION = '[data-test="order-actions"] po-bridge-action';
const OVERLAY_FRAME = 'po-bridge-overlay >>> iframe';
const STAGED_CAP = '0f'.repeat(16);
const STAGED_DIALOG = `dialog.html?cap=${STAGED_CAP}`;

function badge(overrides = {}) {
  return {
    text: 'Not exported', tone: 'neutral', detail: null, progress: null, link: null,
    action_enabled: true, action_tooltip: EXPORT_TOOLTIP, retry: false, needs_link: false, ...overrides,
  };
}

function view(number, b, extra = {}) {
  return { order_number: number, order_id: extra.order_id ?? null, status: extra.status ?? { status: 'not_exported' }, po_number: extra.po_number ?? null, po_url: extra.po_url ?? null, badge: badge(b) };
}

/** The style of the element at `sel` (` >>> ` into shadow roots), read in the page. */
function styleOf(tab, sel, prop) {
  return tab.evaluate(([s, p]) => {
    let roots = [document];
    let found = [];
    for (const part of s.split(' >>> ')) {
      found = roots.flatMap((r) => [...r.querySelectorAll(part)]);
      roots = found.map((e) => e.shadowRoot).filter(Boolean);
    }
    return found[0] ? getComputedStyle(found[0])[p] : null;
  }, [sel, prop]);
}

/**
 * `launch(sandbox)` returns a session of ../lib/driver.mjs. `strictEngine`: the engine this browser
 * runs under a strict page CSP. `overlay`: whether the build shows the export dialog in the page
 * (Chromium); Firefox's background opens its own window instead, so there is no overlay to check.
 * `orphans`: null, or why this browser cannot show orphaned widgets (that test is then skipped).
 * The session must offer log() (Firefox: started with {bidi: true}).
 */
export function inpageSuite(browserName, launch, { strictEngine, overlay, orphans = null }) {
  let sandbox;
  let session;
  let corpus;

  before(async () => {
    sandbox = await startSandbox({ SANDBOX_NUORDER_DELAY_MS: '60-120' });
    session = await launch(sandbox);
    corpus = await sandbox.corpus();
    console.log(`# in-page layer in ${session.version}`);
  });

  after(async () => {
    await session?.quit();
    await sandbox?.stop();
  });

  const shot = (tab, name) => tab.screenshot(`inpage-${browserName}-${name}`);

  function order(number) {
    const o = corpus.orders.find((x) => x.order_number === number);
    assert.ok(o, `order ${number} in the corpus`);
    return o;
  }

  /**
   * Answer the page's requests from the test listener. `cfg`: {statuses: {number: view}, linked,
   * stage: bool, done: [types answered with Done]}; null stops answering. The log of requests is
   * cleared. A staged order's answer carries a dialog path only where this build's background gives
   * one (Chromium); Firefox's background answers without one and opens its own window.
   */
  async function stub(cfg) {
    await session.background((g, [c, dialog]) => {
      const api = g.browser ?? g.chrome;
      g.__pb = { log: [], cfg: c };
      if (g.__pbInstalled) return;
      g.__pbInstalled = true;
      api.runtime.onMessage.addListener((m, sender, sendResponse) => {
        const req = m && m.req;
        if (!req || !g.__pb) return undefined;
        g.__pb.log.push(JSON.parse(JSON.stringify({ type: req.type, data: req.data ?? null, frame: sender.frameId, tab: sender.tab ? sender.tab.id : null })));
        const cfg = g.__pb.cfg;
        if (!cfg) return undefined;
        const ok = (v) => sendResponse({ v: 1, id: m.id, ok: v });
        if (req.type === 'get_export_status' && cfg.statuses) {
          const statuses = req.data.orders.map((o) => cfg.statuses[o.order_number] || {
            order_number: o.order_number, order_id: o.order_id, status: { status: 'not_exported' }, po_number: null, po_url: null,
            badge: { text: 'Not exported', tone: 'neutral', detail: null, progress: null, link: null, action_enabled: true, action_tooltip: 'Export order to POS: create this order as a purchase order in Lightspeed', retry: false, needs_link: false },
          });
          ok({ type: 'statuses', data: { linked: cfg.linked ?? true, statuses } });
        } else if (req.type === 'stage_order' && cfg.stage) {
          ok({ type: 'staged', data: { order_id: req.data.order._id, order_number: req.data.order.order_number, ...(dialog ? { dialog } : {}) } });
        } else if ((cfg.done || []).includes(req.type)) {
          ok({ type: 'done' });
        }
        return undefined;
      });
    }, [cfg, overlay ? STAGED_DIALOG : null]);
  }

  async function requests(type) {
    const log = await session.background((g) => (g.__pb ? JSON.parse(JSON.stringify(g.__pb.log)) : []));
    return type ? log.filter((r) => r.type === type) : log;
  }

  /**
   * The overlay's frame is the dialog's page with no capability in its address, and the dialog in
   * it asks its preview with the capability the background gave: handed to the frame by message.
   */
  async function handedOver(tab) {
    assert.equal(await tab.attr(OVERLAY_FRAME, 'src'), session.extensionUrl('dialog.html'), 'the dialog\'s page, the capability in no address');
    const [asked] = await until(() => requests('preview_export'), (r) => r.length > 0, { what: 'the dialog asking its preview' });
    assert.equal(asked.data?.cap, STAGED_CAP, 'the capability the background gave, handed to the frame');
  }

  /** Wait until the content script has sent nothing new for half a second (a negative check's wait). */
  async function settle() {
    await quietFor(() => requests().then((log) => log.length), { forMs: 500, what: 'content-script messages' });
  }

  /** Send a message to every tab, as the background does for its events. */
  async function toTabs(message) {
    await session.background(async (g, msg) => {
      const api = g.browser ?? g.chrome;
      for (const t of await api.tabs.query({})) api.tabs.sendMessage(t.id, msg).catch(() => {});
    }, message);
  }

  const broadcast = (event) => toTabs({ v: 1, event });

  /** A signed-in NuORDER tab on `path` under `csp`; its log marks where its warnings and errors start. */
  async function openPage(csp, path) {
    await sandbox.control('nuorder/csp', { mode: csp });
    const mark = await session.log();
    const tab = await session.open(sandbox.signedIn(path));
    await tab.waitFor('main[aria-busy="false"]');
    const since = async () => {
      const now = await session.log();
      return { warnings: now.warnings.slice(mark.warnings.length), errors: now.errors.slice(mark.errors.length) };
    };
    return { tab, since };
  }

  /** Every row of the list carries exactly one action; returns the row count. */
  async function settledList(tab) {
    await tab.waitFor('main[aria-busy="false"] [data-test^="order-record-"]');
    return until(() => tab.evaluate(() => {
      const rows = document.querySelectorAll('[data-test^="order-record-"]');
      return rows.length > 0 && [...rows].every((r) => r.querySelectorAll('po-bridge-action').length === 1) ? rows.length : 0;
    }), (n) => n > 0, { what: 'one action on every row', timeoutMs: 20000, every: 100 });
  }

  /** Press Esc with the focus in NuORDER's page (not in the dialog's frame). */
  async function escapeInPage(tab) {
    await tab.evaluate(() => { document.activeElement?.blur(); });
    assert.equal(await tab.evaluate(() => document.activeElement === document.body), true, 'focus is in the page');
    await tab.press('Escape');
  }

  const disabled = async (tab, sel) => (await tab.attr(sel, 'disabled')) !== null;
  const activeInShadow = (tab) => tab.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.className ?? null);

  const ENGINES = [['strict', strictEngine], ['relaxed', 'wasm']];

  for (const [csp, engine] of ENGINES) {
    test(`${csp} CSP (${engine}): rows get a badge and a hover action, statuses come in one request, the kebab menu gets the entry`, async () => {
      const exported = order('40718821');
      const failed = order('40718823');
      await stub({
        statuses: {
          40718821: view('40718821', { text: 'Exported', tone: 'success', link: { text: 'View PO #77', url: 'https://us.merchantos.com/?name=purchase.views.order&id=77' }, action_enabled: false, action_tooltip: 'Already exported as PO #77. Orders can only be exported once.' }, { order_id: exported._id, status: { status: 'exported', po_id: 77 }, po_number: '77' }),
          40718822: view('40718822', { text: 'Export in progress', tone: 'busy', detail: 'Creating items 12 of 40', progress: [12, 40], action_enabled: false, action_tooltip: 'An export of this order is in progress.' }),
          40718823: view('40718823', { text: 'Export failed', tone: 'error', detail: 'Lightspeed is not answering.', retry: true, action_enabled: false, action_tooltip: 'The export failed; use Retry to resume it.' }, { order_id: failed._id }),
        },
      });
      const { tab, since } = await openPage(csp, `/brand/${HARBOR}/orders`);
      const rows = await settledList(tab);
      assert.equal(await tab.count('po-bridge-action'), rows, 'one widget per row');
      assert.equal(await tab.attr('po-bridge-action', 'data-po-bridge-engine'), engine);

      // One status request for every row of the page.
      await tab.waitFor(`${rowAction('40718821')} >>> .badge .text`, { text: 'Exported' });
      const asked = await requests('get_export_status');
      assert.equal(asked.length, 1, 'one batched request');
      assert.equal(asked[0].data.orders.length, rows);
      assert.ok(asked[0].data.orders.every((o) => o.order_id === null && /^\d+$/.test(o.order_number)));

      // Exported: the link, and the action inactive with the reason as its tooltip.
      const ex = rowAction('40718821');
      assert.equal(await tab.text(`${ex} >>> a.link`), 'View PO #77');
      assert.equal(await tab.attr(`${ex} >>> a.link`, 'target'), '_blank');
      assert.equal(await tab.attr(`${ex} >>> a.link`, 'rel'), 'noopener');
      assert.match(await tab.attr(`${ex} >>> a.link`, 'href'), /^https:\/\/us\.merchantos\.com\//);
      assert.equal(await disabled(tab, `${ex} >>> button.icon`), true);
      assert.equal(await tab.attr(`${ex} >>> button.icon`, 'title'), 'Already exported as PO #77. Orders can only be exported once.');
      assert.equal(await tab.attr(`${ex} >>> button.icon`, 'aria-label'), LABELS.action);
      assert.match(await tab.attr(`${ex} >>> .badge`, 'class'), /tone-success/);

      // In progress: the step and a progress bar.
      const busy = rowAction('40718822');
      assert.equal(await tab.text(`${busy} >>> .detail`), 'Creating items 12 of 40');
      assert.deepEqual(await tab.evaluate((s) => {
        const p = document.querySelector(s).shadowRoot.querySelector('progress');
        return [p.value, p.max];
      }, busy), [12, 40]);

      // Failed: Retry never writes from the page (issue 14): it stages the order for the dialog,
      // where the user retries; no RetryExport leaves the content script.
      const fail = rowAction('40718823');
      assert.equal(await tab.text(`${fail} >>> .detail`), 'Lightspeed is not answering.');
      await tab.click(`${fail} >>> button.retry`);
      await settle();
      assert.deepEqual(await requests('retry_export'), []);
      // Staged for the dialog: when the answer carried its path (the real background answers a
      // buyer with no account with the Connect step), the overlay is up; Esc closes it.
      if (await tab.count('po-bridge-overlay')) {
        await tab.press('Escape');
        await tab.waitFor('po-bridge-overlay', { gone: true });
      }
      assert.match(await tab.url(), /\/orders$/, 'clicking inside the widget does not open the order');

      // The hover action: hidden until the row is hovered or the button focused; keyboard reachable.
      const icon = `${rowAction('40718824')} >>> button.icon`;
      const opacity = (want) => until(() => styleOf(tab, icon, 'opacity'), (o) => o === want, { what: `the hover action's opacity ${want}`, timeoutMs: 10000, every: 50 });
      await tab.moveMouse(5, 5);
      await opacity('0');
      await tab.hover(row('40718824'));
      await opacity('1');
      await shot(tab, `${csp}-list-hover`);
      await tab.moveMouse(5, 5);
      await opacity('0');
      await tab.focus(icon);
      await opacity('1');
      assert.equal(await tab.evaluate((s) => document.querySelector(s).shadowRoot.querySelector('button.icon').tabIndex, rowAction('40718824')), 0);
      assert.equal(await disabled(tab, icon), false);
      assert.equal(await tab.attr(icon, 'title'), EXPORT_TOOLTIP);

      // The kebab menu gets one entry, every time it opens.
      const menu = `${row('40718824')} [data-test="more-actions-menu"]`;
      for (let i = 0; i < 2; i++) {
        await tab.click(`${row('40718824')} button[data-test="more-actions-icon"]`);
        const entry = `${menu} po-bridge-menu-item >>> button`;
        await tab.waitFor(entry);
        assert.equal(await tab.count(entry), 1);
        assert.equal((await tab.text(entry)).trim(), LABELS.action);
        assert.equal(await tab.attr(entry, 'role'), 'menuitem');
        if (i === 0) await shot(tab, `${csp}-list-kebab`);
        await tab.press('Escape');
        await tab.waitFor(menu, { gone: true });
      }
      assert.equal(await tab.count(`[data-po-bridge-engine]:not([data-po-bridge-engine="${engine}"])`), 0, 'one engine per page');
      assert.deepEqual((await since()).errors, []);
      await tab.close();
    });

    test(`${csp} CSP (${engine}): sort, brand switch and back/forward re-render without duplicates; only new rows are asked for`, async () => {
      await stub({ statuses: {} });
      const { tab, since } = await openPage(csp, `/brand/${HARBOR}/orders`);
      let rows = await settledList(tab);
      await tab.waitFor('po-bridge-action >>> .badge .text', { text: 'Not exported' });
      assert.equal((await requests('get_export_status')).length, 1);

      // Sort: every row element is replaced; the answer is reused (cached a few seconds).
      await tab.click('button[data-test="sort-order_number"]');
      await until(() => tab.evaluate(() => new URL(location.href).searchParams.get('sort')), (v) => v === 'order_number', { what: 'the sorted list' });
      rows = await settledList(tab);
      assert.equal(await tab.count('po-bridge-action'), rows);
      assert.equal(await tab.count('[data-po-bridge]'), rows, 'one marker per row');
      await settle();
      assert.equal((await requests('get_export_status')).length, 1, 'no new request for rows already known');

      // Brand switch: new rows, one request for exactly them.
      await tab.click('[data-test="brand-picker-button"]');
      await tab.click('button[data-test="maison-eclat"]');
      await until(() => tab.evaluate((id) => document.querySelector('[data-test="brand-picker"]')?.getAttribute('data-brand-id') === id && document.querySelector('table[data-test="order-list"]')?.getAttribute('data-brand-id') === id, ECLAT), Boolean, { what: 'the other brand\'s list' });
      rows = await settledList(tab);
      assert.equal(rows, 3);
      assert.equal(await tab.count('po-bridge-action'), 3);
      await tab.waitFor('po-bridge-action >>> .badge .text', { text: 'Not exported' });
      await until(() => requests('get_export_status'), (a) => a.length >= 2, { what: 'the second status request' });
      await settle();
      const asked = await requests('get_export_status');
      assert.equal(asked.length, 2);
      assert.deepEqual(asked[1].data.orders.map((o) => o.order_number).sort(), ['51200101', '51200102', '51200103']);

      // Into a detail page and back and forth: one action and one status field on the detail page.
      await tab.click(`${row('51200101')} [data-test="company-name"]`);
      await tab.waitFor('[data-test="order-detail"]');
      for (let i = 0; i < 2; i++) {
        await tab.waitFor(DETAIL_ACTION);
        await tab.waitFor('[data-test="order-header"] po-bridge-status');
        assert.equal(await tab.count('po-bridge-action'), 1);
        assert.equal(await tab.count('po-bridge-status'), 1);
        await tab.back();
        assert.equal(await settledList(tab), 3);
        assert.equal(await tab.count('po-bridge-action'), 3);
        await tab.forward();
        await tab.waitFor('[data-test="order-detail"]');
      }
      assert.deepEqual((await since()).errors, []);
      await tab.close();
    });

    test(`${csp} CSP (${engine}): rows the page adds later get one widget each for their own order, more than the spares built ahead too; a row naming no order gets none`, async () => {
      await stub({ statuses: {} });
      const { tab, since } = await openPage(csp, `/brand/${HARBOR}/orders`);
      const before = await settledList(tab);
      await settle(); // the page is read as an order page, and the spares are built while it is idle
      // The page adds, in one task, more rows than there are spares, and one whose number is no order number.
      const added = await tab.evaluate((n) => {
        const first = document.querySelector('[data-test^="order-record-"]');
        const copy = (suffix) => {
          const r = first.cloneNode(true);
          r.removeAttribute('data-po-bridge');
          r.querySelectorAll('po-bridge-action, po-bridge-menu-item').forEach((e) => e.remove());
          r.setAttribute('data-test', `order-record-${suffix}`);
          return r;
        };
        const numbers = Array.from({ length: n }, (_, i) => String(70000000 + i));
        first.parentNode.append(copy('#1<b>'), ...numbers.map(copy));
        return numbers;
      }, SPARE_ROWS + 20);
      const own = (numbers) => numbers.every((n) => {
        const hosts = document.querySelectorAll(`[data-test="order-record-${n}"] po-bridge-action`);
        return hosts.length === 1 && hosts[0].getAttribute('data-order-number') === n;
      });
      await until(() => tab.evaluate(own, added), Boolean, { what: 'each added row with its own widget', timeoutMs: 20000, every: 100 });
      await settle();
      assert.equal(await tab.evaluate(() => document.querySelector('[data-test="order-record-#1<b>"]').querySelectorAll('po-bridge-action').length), 0,
        'a row naming no order keeps no widget');
      assert.equal(await tab.count('po-bridge-action'), before + added.length, 'one widget per order row');
      assert.equal(await tab.evaluate(own, added), true);
      assert.deepEqual((await since()).errors, []);
      await tab.close();
    });

    test(`${csp} CSP (${engine}): the detail page has the action and the Order Export Status field; export reads the order and ${overlay ? 'opens the dialog overlay, Esc and the background close it' : 'stages it, with no dialog in the page'}`, async () => {
      await stub({ statuses: {}, stage: true });
      const o = order('40718827'); // hostile text in names
      const { tab, since } = await openPage(csp, `/brand/${HARBOR}/order/${o._id}`);
      const action = `${DETAIL_ACTION} >>> button.action`;
      await tab.waitFor(action);
      assert.equal((await tab.text(action)).trim(), LABELS.action);
      const field = '[data-test="order-header"] po-bridge-status';
      assert.equal((await tab.text(`${field} >>> .label`)).trim(), LABELS.field);
      await tab.waitFor(`${field} >>> .badge .text`, { text: 'Not exported' });
      const asked = await requests('get_export_status');
      assert.deepEqual(asked.map((r) => r.data.orders), [[{ order_id: o._id, order_number: '40718827' }]], 'detail asks once, with the _id');

      await tab.click(action);
      const [staged] = await until(() => requests('stage_order'), (r) => r.length > 0, { what: 'the order staged' });
      if (overlay) {
        await tab.waitFor(OVERLAY_FRAME);
        await handedOver(tab);
        assert.equal(await tab.attr(OVERLAY_FRAME, 'title'), LABELS.action);
        assert.equal(await tab.evaluate(() => document.activeElement?.localName), 'po-bridge-overlay', 'focus moved into the overlay');
        assert.equal(await tab.evaluate(() => document.activeElement.shadowRoot.activeElement?.localName), 'iframe');
        const box = await tab.evaluate(() => {
          const r = document.querySelector('po-bridge-overlay').shadowRoot.querySelector('iframe').getBoundingClientRect();
          return { x: r.x, y: r.y, width: r.width, height: r.height, vw: innerWidth, vh: innerHeight };
        });
        assert.ok(Math.abs(box.x + box.width / 2 - box.vw / 2) < 2 && Math.abs(box.y + box.height / 2 - box.vh / 2) < 2, `centered: ${JSON.stringify(box)}`);
        await shot(tab, `${csp}-detail-dialog`);
      } else {
        // Firefox: the background opens the dialog in its own window; nothing comes into the page.
        await settle();
        assert.equal(await tab.count('po-bridge-overlay'), 0, 'no dialog in the page');
      }

      // What was staged: the order by _id, every distinct product, the brand from the picker.
      assert.equal(staged.data.order._id, o._id);
      assert.equal(staged.frame, 0);
      const ids = [...new Set(staged.data.order.line_items.map((l) => l.product._id))];
      assert.deepEqual(staged.data.products.map((p) => p._id).sort(), ids.sort());
      assert.deepEqual(staged.data.brand, { id: HARBOR, name: 'Harbor Goods' });

      if (overlay) {
        // Esc in the page closes it and focus returns to the action.
        await escapeInPage(tab);
        await tab.waitFor(OVERLAY_FRAME, { gone: true });
        assert.equal(await activeInShadow(tab), 'action', 'focus back on the action');

        // The background's CloseDialog event closes it too.
        await tab.click(action);
        await tab.waitFor(OVERLAY_FRAME);
        await broadcast({ type: 'close_dialog', data: { order_id: o._id } });
        await tab.waitFor(OVERLAY_FRAME, { gone: true });
      }
      assert.equal(await tab.evaluate(() => window.__pwned ?? null), null);
      assert.deepEqual((await since()).errors, []);
      await tab.close();
    });

    test(`${csp} CSP (${engine}): a row's action reads the order by number; the kebab entry does the same`, async () => {
      await stub({ statuses: {}, stage: true });
      const { tab } = await openPage(csp, `/brand/${ECLAT}/orders`);
      await settledList(tab);
      await tab.hover(row('51200102'));
      await tab.click(`${rowAction('51200102')} >>> button.icon`);
      let staged = await until(() => requests('stage_order'), (r) => r.length === 1, { what: 'the row\'s order staged' });
      if (overlay) {
        await tab.waitFor(OVERLAY_FRAME);
        await handedOver(tab);
      }
      assert.match(await tab.url(), /\/orders$/, 'the row did not navigate');
      assert.equal(staged.at(-1).data.order.order_number, '51200102');
      assert.deepEqual(staged.at(-1).data.brand, { id: ECLAT, name: 'Maison Éclat' });
      if (overlay) {
        await escapeInPage(tab);
        await tab.waitFor(OVERLAY_FRAME, { gone: true });
        assert.equal(await activeInShadow(tab), 'icon', 'focus back on the row action');
      }

      await tab.click(`${row('51200102')} button[data-test="more-actions-icon"]`);
      await tab.click(`${row('51200102')} po-bridge-menu-item >>> button`);
      staged = await until(() => requests('stage_order'), (r) => r.length >= 2, { what: 'the kebab entry\'s order staged' });
      await settle();
      staged = await requests('stage_order');
      assert.equal(staged.length, 2);
      assert.equal(staged.at(-1).data.order.order_number, '51200102');
      if (overlay) {
        await tab.waitFor(OVERLAY_FRAME);
        await escapeInPage(tab);
        await tab.waitFor(OVERLAY_FRAME, { gone: true });
        assert.equal(await tab.evaluate(() => document.activeElement?.getAttribute('data-test')), 'more-actions-icon', 'focus back on the kebab');
      }
      await tab.close();
    });

    test(`${csp} CSP (${engine}): live status events update the badge; HTML in texts stays text; needs_link explains and opens linking`, async () => {
      const o = order('40718827');
      await stub({ statuses: {}, linked: false, done: ['open_linking'] });
      const { tab, since } = await openPage(csp, `/brand/${HARBOR}/order/${o._id}`);
      const field = 'po-bridge-status';
      await tab.waitFor(`${field} >>> .badge .text`, { text: 'Not exported' });

      await broadcast({ type: 'status', data: view('40718827', { text: 'Export in progress', tone: 'busy', detail: 'Creating items 12 of 40', progress: [12, 40], action_enabled: false, action_tooltip: 'An export of this order is in progress.' }) });
      await tab.waitFor(`${field} >>> .badge .text`, { text: 'Export in progress' });
      assert.deepEqual(await tab.evaluate(() => {
        const p = document.querySelector('po-bridge-status').shadowRoot.querySelector('progress');
        return [p.value, p.max];
      }), [12, 40]);
      const action = `${DETAIL_ACTION} >>> button.action`;
      assert.equal(await disabled(tab, action), true);
      // An event for another order, and noise, change nothing.
      await broadcast({ type: 'status', data: view('40718821', { text: 'Exported', tone: 'success' }) });
      await toTabs({ hello: 'world' });
      await quietFor(() => tab.evaluate(() => document.querySelector('po-bridge-status').shadowRoot.innerHTML), { forMs: 500, what: 'the status field' });
      assert.equal(await tab.text(`${field} >>> .badge .text`), 'Export in progress');

      await broadcast({ type: 'status', data: view('40718827', { text: 'Export failed', tone: 'error', detail: HOSTILE, retry: false, action_enabled: true, action_tooltip: HOSTILE, link: { text: HOSTILE, url: 'https://us.merchantos.com/x' } }, { order_id: o._id }) });
      await tab.waitFor(`${field} >>> .badge .text`, { text: 'Export failed' });
      assert.equal(await tab.text(`${field} >>> .detail`), HOSTILE);
      assert.equal(await tab.text(`${field} >>> a.link`), HOSTILE);
      assert.equal(await tab.attr(action, 'title'), HOSTILE);
      assert.equal(await tab.evaluate(() => [...document.querySelectorAll('po-bridge-status, po-bridge-action')].reduce((n, h) => n + h.shadowRoot.querySelectorAll('img, script').length, 0)), 0);
      // The page's own rendering of the hostile order, with our widgets on it.
      await shot(tab, `${csp}-hostile-text`);

      // Not linked: the click explains in a note and asks for the linking screen.
      await broadcast({ type: 'status', data: view('40718827', { needs_link: true, action_tooltip: LINK_TOOLTIP }) });
      await tab.waitFor(`${field} >>> .badge .text`, { text: 'Not exported' });
      await tab.click(action);
      await tab.waitFor(`${DETAIL_ACTION} >>> .note`, { text: /No Lightspeed account is linked/ });
      await settle();
      assert.equal((await requests('open_linking')).length, 1);
      assert.equal((await requests('stage_order')).length, 0);
      assert.equal(await tab.evaluate(() => window.__pwned ?? null), null);
      assert.deepEqual((await since()).errors, []);
      await tab.close();
    });

    test(`${csp} CSP (${engine}): a missing anchor is named once and the rest of the page keeps working`, async () => {
      await stub({ statuses: {} });
      const o = order('51200101');
      // From the list, the page renders its detail without the actions area (as if NuORDER renamed
      // it): a page script removes it whenever it appears, then the user opens the order.
      const { tab, since } = await openPage(csp, `/brand/${ECLAT}/orders`);
      await settledList(tab);
      await tab.evaluate(() => {
        new MutationObserver(() => document.querySelectorAll('[data-test="order-actions"]').forEach((e) => e.remove()))
          .observe(document, { childList: true, subtree: true });
      });
      await tab.click(`${row('51200101')} [data-test="company-name"]`);
      await tab.waitFor('[data-test="order-detail"]');
      assert.match(await tab.url(), new RegExp(`/order/${o._id}$`));
      await tab.waitFor('po-bridge-status >>> .badge .text', { text: 'Not exported' });
      // The content script looks for a missing anchor for a while before naming it: wait until it
      // has, then until the page's warnings have stopped changing.
      await quietFor(async () => (await since()).warnings.filter((w) => w.includes('detail_actions')).length || Date.now(), { forMs: 1500, timeoutMs: 20000, what: 'the missing anchor warning' });
      const { warnings } = await since();
      const named = warnings.filter((w) => w.includes('detail_actions'));
      assert.equal(named.length, 1, warnings.join('\n'));
      assert.ok(named[0].includes('[data-test="order-actions"]'));
      assert.equal(warnings.filter((w) => /selector "(detail_root|detail_header|brand_picker)"/.test(w)).length, 0, warnings.join('\n'));
      assert.equal(await tab.count('po-bridge-action'), 0);
      await tab.close();
    });
  }

  test('without a test listener, the real background answers: no account is linked, so every row reads Not exported and its action offers to connect one in the export window', async () => {
    await stub(null);
    const { tab, since } = await openPage('strict', `/brand/${ECLAT}/orders`);
    const rows = await settledList(tab);
    const texts = await until(() => tab.texts('po-bridge-action >>> .badge .text'), (t) => t.length === rows && t.every((x) => x && x !== 'Checking export status…'), { what: 'every row\'s status', timeoutMs: 15000, every: 100 });
    assert.deepEqual(texts, Array(rows).fill('Not exported'));
    const titles = await tab.evaluate(() => [...document.querySelectorAll('po-bridge-action')].map((h) => h.shadowRoot.querySelector('button.icon').getAttribute('title')));
    assert.deepEqual(titles, Array(rows).fill(CONNECT_TOOLTIP));
    await shot(tab, 'unstubbed-list');
    assert.deepEqual((await since()).errors, []);
    await tab.close();
  });

  test('after the extension is reloaded, orphaned widgets say so (both engines)', orphans ? { skip: orphans } : {}, async () => {
    await stub({ statuses: {} });
    const strict = await openPage('strict', `/brand/${ECLAT}/orders`);
    await settledList(strict.tab);
    const relaxed = await openPage('relaxed', `/brand/${ECLAT}/orders`);
    await settledList(relaxed.tab);
    assert.equal(await relaxed.tab.attr('po-bridge-action', 'data-po-bridge-engine'), 'wasm');
    // The reload (Chromium unloads a --load-extension build for good; Firefox starts the temporary
    // add-on again): wait until the background with the test listener is gone or replaced.
    await session.background((g) => { setTimeout(() => (g.browser ?? g.chrome).runtime.reload(), 50); });
    const replaced = () => session.background((g) => !g.__pbInstalled).catch(() => true);
    await until(replaced, Boolean, { what: 'the old background gone (unloaded, or replaced by the reloaded one)', timeoutMs: 45000, every: 250 });
    for (const { tab } of [strict, relaxed]) {
      // Any click (or re-render, or the page report once the page settles) finds the extension gone.
      await tab.hover(row('51200101'));
      const action = `${rowAction('51200101')} >>> button.icon`;
      if (!(await disabled(tab, action))) await tab.click(action);
      await until(() => tab.texts('po-bridge-action >>> .badge .text'), (t) => t.length > 0 && t.every((x) => x === LABELS.updated), { what: 'every widget orphaned', timeoutMs: 20000, every: 100 });
      const icon = `${rowAction('51200101')} >>> button.icon`;
      assert.equal(await disabled(tab, icon), true);
      assert.equal(await tab.attr(icon, 'title'), LABELS.updated);
      await shot(tab, `orphaned-${await tab.attr('po-bridge-action', 'data-po-bridge-engine')}`);
      await tab.close();
    }
  });
}

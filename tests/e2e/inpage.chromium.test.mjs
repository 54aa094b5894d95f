// The in-page layer in Chromium (issue 7, items 1, 3, 5, 6), on the NuORDER sandbox with the
// unmodified dist/, for both engines: strict CSP (the JS fallback runs) and relaxed (Rust/wasm).
//
// What the background answers is not this layer's business: where a test needs particular
// statuses or a staged order, a test listener added to the service worker answers first (it
// replies synchronously; the real background's reply comes later and is ignored) and records
// every request the page sent. Without it, the background answers as it does in this build.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, launchChromium, artifact } from './lib/env.mjs';
import { quietFor } from './lib/reliability.mjs';

const LABELS = {
  action: 'Export order to POS',
  updated: 'PO Bridge was updated — reload the page',
  field: 'Order Export Status',
  unavailable: 'Export status unavailable',
};
const HARBOR = '5f1a2b3c4d5e6f7081920a1b';
const ECLAT = '5f1a2b3c4d5e6f7081920a2c';
const LINK_TOOLTIP = 'Link a Lightspeed account in PO Bridge to export orders. Click to open the linking screen.';
const HOSTILE = '<img src=x onerror="window.__pwned=1"> & </script> "quoted" 👜';

let sandbox;
let browser;
let corpus;

before(async () => {
  sandbox = await startSandbox({ SANDBOX_NUORDER_DELAY_MS: '60-120' });
  browser = await launchChromium(sandbox);
  corpus = await sandbox.corpus();
});

after(async () => {
  await browser?.context.close();
  await sandbox?.stop();
});

// ---------------------------------------------------------------- helpers

function worker() {
  const w = browser.context.serviceWorkers().find((s) => s.url().startsWith(`chrome-extension://${browser.extensionId}/`));
  assert.ok(w, 'the extension service worker is running');
  return w;
}

function order(number) {
  const o = corpus.orders.find((x) => x.order_number === number);
  assert.ok(o, `order ${number} in the corpus`);
  return o;
}

function badge(overrides = {}) {
  return {
    text: 'Not exported', tone: 'neutral', detail: null, progress: null, link: null,
    action_enabled: true, action_tooltip: 'Export order to POS: create this order as a purchase order in Lightspeed',
    retry: false, needs_link: false, ...overrides,
  };
}

function view(number, b, extra = {}) {
  return { order_number: number, order_id: extra.order_id ?? null, status: extra.status ?? { status: 'not_exported' }, po_number: extra.po_number ?? null, po_url: extra.po_url ?? null, badge: badge(b) };
}

/**
 * Answer the page's requests from a test listener in the service worker. `cfg`: {statuses: {number:
 * view}, linked, stage: bool, done: [types answered with Done]}; null stops answering. The log of
 * requests is cleared.
 */
async function stub(cfg) {
  await worker().evaluate((c) => {
    self.__pb = { log: [], cfg: c };
    if (self.__pbInstalled) return;
    self.__pbInstalled = true;
    chrome.runtime.onMessage.addListener((m, sender, sendResponse) => {
      const req = m && m.req;
      if (!req || !self.__pb) return undefined;
      self.__pb.log.push({ type: req.type, data: req.data ?? null, frame: sender.frameId, tab: sender.tab ? sender.tab.id : null });
      const cfg = self.__pb.cfg;
      if (!cfg) return undefined;
      const ok = (v) => sendResponse({ v: 1, id: m.id, ok: v });
      if (req.type === 'get_export_status' && cfg.statuses) {
        const statuses = req.data.orders.map((o) => cfg.statuses[o.order_number] || {
          order_number: o.order_number, order_id: o.order_id, status: { status: 'not_exported' }, po_number: null, po_url: null,
          badge: { text: 'Not exported', tone: 'neutral', detail: null, progress: null, link: null, action_enabled: true, action_tooltip: 'Export order to POS: create this order as a purchase order in Lightspeed', retry: false, needs_link: false },
        });
        ok({ type: 'statuses', data: { linked: cfg.linked ?? true, statuses } });
      } else if (req.type === 'stage_order' && cfg.stage) {
        ok({ type: 'staged', data: { order_id: req.data.order._id, order_number: req.data.order.order_number, dialog: `dialog.html?cap=${'0f'.repeat(16)}` } });
      } else if ((cfg.done || []).includes(req.type)) {
        ok({ type: 'done' });
      }
      return undefined;
    });
  }, cfg);
}

/** Wait until the content script has sent nothing new for half a second (a negative check's wait). */
async function settle() {
  await quietFor(() => requests().then((log) => log.length), { forMs: 500, what: 'content-script messages' });
}

async function requests(type) {
  const log = await worker().evaluate(() => (self.__pb ? self.__pb.log : []));
  return type ? log.filter((r) => r.type === type) : log;
}

/** Send a background event to every tab (as the background does for status changes). */
async function broadcast(event) {
  await worker().evaluate(async (ev) => {
    for (const t of await chrome.tabs.query({})) chrome.tabs.sendMessage(t.id, { v: 1, event: ev }).catch(() => {});
  }, event);
}

async function openPage(csp, path, { init } = {}) {
  await sandbox.control('nuorder/csp', { mode: csp });
  const page = await browser.context.newPage();
  const warnings = [];
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  if (init) await page.addInitScript(init);
  await page.goto(sandbox.signedIn(path));
  await page.locator('main[aria-busy="false"]').waitFor();
  return { page, warnings, errors };
}

async function settledList(page) {
  await page.locator('main[aria-busy="false"] [data-test^="order-record-"]').first().waitFor();
  const rows = page.locator('[data-test^="order-record-"]');
  await page.waitForFunction(() => {
    const rows = document.querySelectorAll('[data-test^="order-record-"]');
    return rows.length > 0 && [...rows].every((r) => r.querySelectorAll('po-bridge-action').length === 1);
  });
  return rows.count();
}

/** Press Esc with the focus in NuORDER's page (not in the dialog's frame). */
async function escapeInPage(page) {
  await page.evaluate(() => { document.activeElement?.blur(); });
  assert.equal(await page.evaluate(() => document.activeElement === document.body), true, 'focus is in the page');
  await page.keyboard.press('Escape');
}

const ENGINES = [['strict', 'fallback'], ['relaxed', 'wasm']];

// ---------------------------------------------------------------- tests

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
    const { page, errors } = await openPage(csp, `/brand/${HARBOR}/orders`);
    const rows = await settledList(page);
    const actions = page.locator('po-bridge-action');
    assert.equal(await actions.count(), rows, 'one widget per row');
    assert.equal(await actions.first().getAttribute('data-po-bridge-engine'), engine);

    // One status request for every row of the page.
    await page.locator('[data-test="order-record-40718821"] po-bridge-action .badge .text').getByText('Exported').waitFor();
    const asked = await requests('get_export_status');
    assert.equal(asked.length, 1, 'one batched request');
    assert.equal(asked[0].data.orders.length, rows);
    assert.ok(asked[0].data.orders.every((o) => o.order_id === null && /^\d+$/.test(o.order_number)));

    // Exported: the link, and the action inactive with the reason as its tooltip.
    const ex = page.locator('[data-test="order-record-40718821"] po-bridge-action');
    const link = ex.locator('a.link');
    assert.equal(await link.textContent(), 'View PO #77');
    assert.equal(await link.getAttribute('target'), '_blank');
    assert.equal(await link.getAttribute('rel'), 'noopener');
    assert.match(await link.getAttribute('href'), /^https:\/\/us\.merchantos\.com\//);
    const exIcon = ex.locator('button.icon');
    assert.equal(await exIcon.isDisabled(), true);
    assert.equal(await exIcon.getAttribute('title'), 'Already exported as PO #77. Orders can only be exported once.');
    assert.equal(await exIcon.getAttribute('aria-label'), LABELS.action);
    assert.match(await ex.locator('.badge').getAttribute('class'), /tone-success/);

    // In progress: the step and a progress bar.
    const busy = page.locator('[data-test="order-record-40718822"] po-bridge-action');
    assert.equal(await busy.locator('.detail').textContent(), 'Creating items 12 of 40');
    assert.deepEqual(await busy.locator('progress').evaluate((p) => [p.value, p.max]), [12, 40]);

    // Failed: Retry never writes from the page (issue 14): it stages the order for the dialog,
    // where the user retries; no RetryExport leaves the content script.
    const fail = page.locator('[data-test="order-record-40718823"] po-bridge-action');
    assert.equal(await fail.locator('.detail').textContent(), 'Lightspeed is not answering.');
    await fail.locator('button.retry').click();
    await settle();
    assert.deepEqual(await requests('retry_export'), []);
    assert.match(page.url(), /\/orders$/, 'clicking inside the widget does not open the order');

    // The hover action: hidden until the row is hovered or the button focused; keyboard reachable.
    const row = page.locator('[data-test="order-record-40718824"]');
    const icon = row.locator('po-bridge-action button.icon');
    await page.mouse.move(5, 5);
    await page.waitForFunction(() => getComputedStyle(document.querySelector('[data-test="order-record-40718824"] po-bridge-action').shadowRoot.querySelector('button.icon')).opacity === '0');
    await row.hover();
    await page.waitForFunction(() => getComputedStyle(document.querySelector('[data-test="order-record-40718824"] po-bridge-action').shadowRoot.querySelector('button.icon')).opacity === '1');
    await page.screenshot({ path: artifact(`inpage-${csp}-list-hover.png`) });
    await page.mouse.move(5, 5);
    await icon.focus();
    await page.waitForFunction(() => getComputedStyle(document.querySelector('[data-test="order-record-40718824"] po-bridge-action').shadowRoot.querySelector('button.icon')).opacity === '1');
    assert.equal(await icon.evaluate((b) => b.tabIndex), 0);
    assert.equal(await icon.isDisabled(), false);
    assert.equal(await icon.getAttribute('title'), 'Export order to POS: create this order as a purchase order in Lightspeed');

    // The kebab menu gets one entry, every time it opens.
    for (let i = 0; i < 2; i++) {
      await row.locator('button[data-test="more-actions-icon"]').click();
      const entry = row.locator('[data-test="more-actions-menu"] po-bridge-menu-item button');
      await entry.waitFor();
      assert.equal(await entry.count(), 1);
      assert.equal((await entry.textContent()).trim(), LABELS.action);
      assert.equal(await entry.getAttribute('role'), 'menuitem');
      if (i === 0) await page.screenshot({ path: artifact(`inpage-${csp}-list-kebab.png`) });
      await page.keyboard.press('Escape');
      await row.locator('[data-test="more-actions-menu"]').waitFor({ state: 'detached' });
    }
    assert.equal(await page.locator('[data-po-bridge-engine]:not([data-po-bridge-engine="' + engine + '"])').count(), 0, 'one engine per page');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test(`${csp} CSP (${engine}): sort, brand switch and back/forward re-render without duplicates; only new rows are asked for`, async () => {
    await stub({ statuses: {} });
    const { page, errors } = await openPage(csp, `/brand/${HARBOR}/orders`);
    let rows = await settledList(page);
    await page.locator('po-bridge-action .badge .text').first().getByText('Not exported').waitFor();
    assert.equal((await requests('get_export_status')).length, 1);

    // Sort: every row element is replaced; the answer is reused (cached a few seconds).
    await page.locator('button[data-test="sort-order_number"]').click();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('sort') === 'order_number');
    rows = await settledList(page);
    assert.equal(await page.locator('po-bridge-action').count(), rows);
    assert.equal(await page.locator('[data-po-bridge]').count(), rows, 'one marker per row');
    await settle();
    assert.equal((await requests('get_export_status')).length, 1, 'no new request for rows already known');

    // Brand switch: new rows, one request for exactly them.
    await page.locator('[data-test="brand-picker-button"]').click();
    await page.locator('button[data-test="maison-eclat"]').click();
    await page.waitForFunction((id) => document.querySelector('[data-test="brand-picker"]')?.getAttribute('data-brand-id') === id && document.querySelector('table[data-test="order-list"]')?.getAttribute('data-brand-id') === id, ECLAT);
    rows = await settledList(page);
    assert.equal(rows, 3);
    assert.equal(await page.locator('po-bridge-action').count(), 3);
    await page.locator('po-bridge-action .badge .text').first().getByText('Not exported').waitFor();
    const asked = await requests('get_export_status');
    assert.equal(asked.length, 2);
    assert.deepEqual(asked[1].data.orders.map((o) => o.order_number).sort(), ['51200101', '51200102', '51200103']);

    // Into a detail page and back and forth: one action and one status field on the detail page.
    await page.locator('[data-test="order-record-51200101"] [data-test="company-name"]').click();
    await page.locator('[data-test="order-detail"]').waitFor();
    for (let i = 0; i < 2; i++) {
      await page.locator('[data-test="order-actions"] po-bridge-action').waitFor();
      await page.locator('[data-test="order-header"] po-bridge-status').waitFor();
      assert.equal(await page.locator('po-bridge-action').count(), 1);
      assert.equal(await page.locator('po-bridge-status').count(), 1);
      await page.goBack();
      assert.equal(await settledList(page), 3);
      assert.equal(await page.locator('po-bridge-action').count(), 3);
      await page.goForward();
      await page.locator('[data-test="order-detail"]').waitFor();
    }
    assert.deepEqual(errors, []);
    await page.close();
  });

  test(`${csp} CSP (${engine}): the detail page has the action and the Order Export Status field; export reads the order and opens the dialog overlay, Esc and the background close it`, async () => {
    await stub({ statuses: {}, stage: true });
    const o = order('40718827'); // hostile text in names
    const { page, errors } = await openPage(csp, `/brand/${HARBOR}/order/${o._id}`);
    const action = page.locator('[data-test="order-actions"] po-bridge-action button.action');
    await action.waitFor();
    assert.equal((await action.textContent()).trim(), LABELS.action);
    const field = page.locator('[data-test="order-header"] po-bridge-status');
    assert.equal((await field.locator('.label').textContent()).trim(), LABELS.field);
    await field.locator('.badge .text').getByText('Not exported').waitFor();
    const asked = await requests('get_export_status');
    assert.deepEqual(asked.map((r) => r.data.orders), [[{ order_id: o._id, order_number: '40718827' }]], 'detail asks once, with the _id');

    await action.click();
    const frame = page.locator('po-bridge-overlay iframe');
    await frame.waitFor();
    assert.equal(await frame.getAttribute('src'), browser.extensionUrl(`dialog.html?cap=${'0f'.repeat(16)}`), 'the path the background gave');
    assert.equal(await frame.getAttribute('title'), LABELS.action);
    assert.equal(await page.evaluate(() => document.activeElement?.localName), 'po-bridge-overlay', 'focus moved into the overlay');
    assert.equal(await page.evaluate(() => document.activeElement.shadowRoot.activeElement?.localName), 'iframe');
    const box = await frame.boundingBox();
    assert.ok(Math.abs(box.x + box.width / 2 - 640) < 2 && Math.abs(box.y + box.height / 2 - 400) < 2, `centered: ${JSON.stringify(box)}`);
    await page.screenshot({ path: artifact(`inpage-${csp}-detail-dialog.png`) });

    // What was staged: the order by _id, every distinct product, the brand from the picker.
    const [staged] = await requests('stage_order');
    assert.equal(staged.data.order._id, o._id);
    assert.equal(staged.frame, 0);
    const ids = [...new Set(staged.data.order.line_items.map((l) => l.product._id))];
    assert.deepEqual(staged.data.products.map((p) => p._id).sort(), ids.sort());
    assert.deepEqual(staged.data.brand, { id: HARBOR, name: 'Harbor Goods' });

    // Esc in the page closes it and focus returns to the action.
    await escapeInPage(page);
    await frame.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.className), 'action', 'focus back on the action');

    // The background's CloseDialog event closes it too.
    await action.click();
    await frame.waitFor();
    await broadcast({ type: 'close_dialog', data: { order_id: o._id } });
    await frame.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test(`${csp} CSP (${engine}): a row's action reads the order by number; the kebab entry does the same`, async () => {
    await stub({ statuses: {}, stage: true });
    const { page } = await openPage(csp, `/brand/${ECLAT}/orders`);
    await settledList(page);
    const row = page.locator('[data-test="order-record-51200102"]');
    await row.hover();
    await row.locator('po-bridge-action button.icon').click();
    const frame = page.locator('po-bridge-overlay iframe');
    await frame.waitFor();
    assert.equal(await frame.getAttribute('src'), browser.extensionUrl(`dialog.html?cap=${'0f'.repeat(16)}`), 'the path the background gave');
    assert.match(page.url(), /\/orders$/, 'the row did not navigate');
    let staged = await requests('stage_order');
    assert.equal(staged.at(-1).data.order.order_number, '51200102');
    assert.deepEqual(staged.at(-1).data.brand, { id: ECLAT, name: 'Maison Éclat' });
    await escapeInPage(page);
    await frame.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.className), 'icon', 'focus back on the row action');

    await row.locator('button[data-test="more-actions-icon"]').click();
    await row.locator('po-bridge-menu-item button').click();
    await frame.waitFor();
    staged = await requests('stage_order');
    assert.equal(staged.length, 2);
    await escapeInPage(page);
    await frame.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-test')), 'more-actions-icon', 'focus back on the kebab');
    await page.close();
  });

  test(`${csp} CSP (${engine}): live status events update the badge; HTML in texts stays text; needs_link explains and opens linking`, async () => {
    const o = order('40718827');
    await stub({ statuses: {}, linked: false, done: ['open_linking'] });
    const { page, errors } = await openPage(csp, `/brand/${HARBOR}/order/${o._id}`);
    const field = page.locator('po-bridge-status');
    await field.locator('.badge .text').getByText('Not exported').waitFor();

    await broadcast({ type: 'status', data: view('40718827', { text: 'Export in progress', tone: 'busy', detail: 'Creating items 12 of 40', progress: [12, 40], action_enabled: false, action_tooltip: 'An export of this order is in progress.' }) });
    await field.locator('.badge .text').getByText('Export in progress').waitFor();
    assert.deepEqual(await field.locator('progress').evaluate((p) => [p.value, p.max]), [12, 40]);
    const action = page.locator('[data-test="order-actions"] po-bridge-action button.action');
    assert.equal(await action.isDisabled(), true);
    // An event for another order, and noise, change nothing.
    await broadcast({ type: 'status', data: view('40718821', { text: 'Exported', tone: 'success' }) });
    await worker().evaluate(async () => { for (const t of await chrome.tabs.query({})) chrome.tabs.sendMessage(t.id, { hello: 'world' }).catch(() => {}); });
    await quietFor(() => field.evaluate((h) => h.shadowRoot.innerHTML), { forMs: 500, what: 'the status field' });
    assert.equal(await field.locator('.badge .text').textContent(), 'Export in progress');

    await broadcast({ type: 'status', data: view('40718827', { text: 'Export failed', tone: 'error', detail: HOSTILE, retry: false, action_enabled: true, action_tooltip: HOSTILE, link: { text: HOSTILE, url: 'https://us.merchantos.com/x' } }, { order_id: o._id }) });
    await field.locator('.badge .text').getByText('Export failed').waitFor();
    assert.equal(await field.locator('.detail').textContent(), HOSTILE);
    assert.equal(await field.locator('a.link').textContent(), HOSTILE);
    assert.equal(await action.getAttribute('title'), HOSTILE);
    assert.equal(await page.evaluate(() => [...document.querySelectorAll('po-bridge-status, po-bridge-action')].reduce((n, h) => n + h.shadowRoot.querySelectorAll('img, script').length, 0)), 0);
    // The page's own rendering of the hostile order, with our widgets on it.
    await page.screenshot({ path: artifact(`inpage-${csp}-hostile-text.png`) });

    // Not linked: the click explains in a note and asks for the linking screen.
    await broadcast({ type: 'status', data: view('40718827', { needs_link: true, action_tooltip: 'Link a Lightspeed account in PO Bridge to export orders. Click to open the linking screen.' }) });
    await field.locator('.badge .text').getByText('Not exported').waitFor();
    await action.click();
    const note = page.locator('[data-test="order-actions"] po-bridge-action .note');
    await note.getByText('No Lightspeed account is linked').waitFor();
    await settle();
    assert.equal((await requests('open_linking')).length, 1);
    assert.equal((await requests('stage_order')).length, 0);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test(`${csp} CSP (${engine}): a missing anchor is named once and the rest of the page keeps working`, async () => {
    await stub({ statuses: {} });
    const o = order('51200101');
    // The page renders its detail without the actions area (as if NuORDER renamed it).
    const init = () => {
      new MutationObserver(() => document.querySelectorAll('[data-test="order-actions"]').forEach((e) => e.remove()))
        .observe(document, { childList: true, subtree: true });
    };
    const { page, warnings } = await openPage(csp, `/brand/${ECLAT}/order/${o._id}`, { init });
    await page.locator('po-bridge-status .badge .text').getByText('Not exported').waitFor();
    // The content script looks for a missing anchor for a while before naming it: wait until it
    // has, then until the page's warnings have stopped changing.
    await quietFor(async () => warnings.filter((w) => w.includes('detail_actions')).length || Date.now(), { forMs: 1500, timeoutMs: 20000, what: 'the missing anchor warning' });
    const named = warnings.filter((w) => w.includes('detail_actions'));
    assert.equal(named.length, 1, warnings.join('\n'));
    assert.ok(named[0].includes('[data-test="order-actions"]'));
    assert.equal(warnings.filter((w) => /selector "(detail_root|detail_header|brand_picker)"/.test(w)).length, 0, warnings.join('\n'));
    assert.equal(await page.locator('po-bridge-action').count(), 0);
    await page.close();
  });
}

test('without a test listener, the real background answers: no account is linked, so every row reads Not exported and its action offers linking', async () => {
  await stub(null);
  const { page, errors } = await openPage('strict', `/brand/${ECLAT}/orders`);
  const rows = await settledList(page);
  await page.waitForFunction(() => [...document.querySelectorAll('po-bridge-action')].every((h) => {
    const t = h.shadowRoot.querySelector('.badge .text')?.textContent;
    return t && t !== 'Checking export status…';
  }), null, { timeout: 15000 });
  const texts = await page.locator('po-bridge-action .badge .text').allTextContents();
  assert.deepEqual(texts, Array(rows).fill('Not exported'));
  const titles = await page.locator('po-bridge-action button.icon').evaluateAll((bs) => bs.map((b) => b.getAttribute('title')));
  assert.deepEqual(titles, Array(rows).fill(LINK_TOOLTIP));
  await page.screenshot({ path: artifact('inpage-unstubbed-list.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('after the extension is reloaded, orphaned widgets say so (both engines)', async () => {
  await stub({ statuses: {} });
  const strict = await openPage('strict', `/brand/${ECLAT}/orders`);
  await settledList(strict.page);
  const relaxed = await openPage('relaxed', `/brand/${ECLAT}/orders`);
  await settledList(relaxed.page);
  assert.equal(await relaxed.page.locator('po-bridge-action').first().getAttribute('data-po-bridge-engine'), 'wasm');
  const old = worker();
  await old.evaluate(() => { setTimeout(() => chrome.runtime.reload(), 50); });
  await browser.context.waitForEvent('serviceworker', { timeout: 20000 }).catch(() => {});
  await new Promise((r) => setTimeout(r, 500));
  for (const { page } of [strict, relaxed]) {
    // Any click (or re-render) finds the extension gone.
    const row = page.locator('[data-test="order-record-51200101"]');
    await row.hover();
    await row.locator('po-bridge-action button.icon').click({ force: true });
    await page.waitForFunction((label) => [...document.querySelectorAll('po-bridge-action')].every((h) => h.shadowRoot.querySelector('.badge .text')?.textContent === label), LABELS.updated);
    const icon = row.locator('po-bridge-action button.icon');
    assert.equal(await icon.isDisabled(), true);
    assert.equal(await icon.getAttribute('title'), LABELS.updated);
    await page.screenshot({ path: artifact(`inpage-orphaned-${await page.locator('po-bridge-action').first().getAttribute('data-po-bridge-engine')}.png`) });
    await page.close();
  }
});

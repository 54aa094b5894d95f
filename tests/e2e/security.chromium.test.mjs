// Security (issue 8), in Chromium with the unmodified dist/ against the sandboxes.
// S1 tokens never reach a content script or the page: checked FROM the content script's isolated
//    world (reached through CDP Runtime.evaluate in its execution context): the storage areas it can
//    read, every reply it gets and every message the background sends it, plus the page's own world.
// S2 privileged requests are refused from a real content script, the page, sub-frames and other
//    origins, and accepted from the popup; export requests have a strict schema.
// S3 the OAuth redirect URL is exactly the browser's; no secret anywhere in dist/; and the product
//    refuses a consent answer at another path of the extension's own redirect host (which the
//    browser hands back, and which a prefix check would take): no code exchanged, nothing stored.
// S4 hostile order data sent by a content script: HTML shown as text in the dialog; absurd values
//    refused with a clear error and nothing written to Lightspeed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startSandbox, launchChromium, DIST, CHROMIUM_EXTENSION_ID } from './lib/env.mjs';
import { linkLightspeed, nuorderTab, okOf, ask } from './lib/flows.mjs';
import { figures, backgroundStore, tables, until, quietFor } from './lib/reliability.mjs';

const fig = figures('security-chromium');
let sandbox;
let browser;
let corpus;
let tab;
let cs;

before(async () => {
  sandbox = await startSandbox();
  browser = await launchChromium(sandbox);
  corpus = await sandbox.corpus();
  await linkLightspeed(browser, sandbox);
  tab = await nuorderTab(browser, sandbox, corpus.brands[0]._id);
  cs = await contentWorld(tab);
});

after(async () => {
  fig.save();
  await browser?.context.close().catch(() => {});
  await sandbox?.stop();
});

/** The capability of a StageOrder reply envelope. */
const capOf = (reply) => new URL(reply.ok.data.dialog, 'https://x/').searchParams.get('cap');

/** The dialog at `dialogPath` framed in `page` as the content script's overlay frames it (the
 * test plays that part); its Playwright frame, and how to remove it. */
async function framedDialog(page, dialogPath) {
  const id = `dlg${Date.now()}`;
  await page.evaluate(([src, i]) => {
    const f = Object.assign(document.createElement('iframe'), { src, id: i });
    f.style.cssText = 'position:fixed;inset:0;width:100vw;height:100vh;border:0;z-index:2147483647;background:#fff';
    document.documentElement.append(f);
  }, [browser.extensionUrl(dialogPath), id]);
  const el = await page.waitForSelector(`#${id}`);
  const frame = await until(() => el.contentFrame(), (f) => f && f.url() !== 'about:blank', { what: 'the dialog frame', timeoutMs: 15000, every: 50 });
  return { frame, remove: () => page.evaluate((i) => document.getElementById(i)?.remove(), id) };
}

/** The PO Bridge content script's isolated world in `page`, through CDP. */
async function contentWorld(page) {
  const cdp = await page.context().newCDPSession(page);
  const contexts = [];
  cdp.on('Runtime.executionContextCreated', (e) => contexts.push(e.context));
  await cdp.send('Runtime.enable');
  const ctx = await until(async () => contexts.filter((c) => c.auxData?.type === 'isolated' && /PO Bridge/.test(c.name)), (l) => l.length > 0,
    { what: 'the content script world', timeoutMs: 15000, every: 100 });
  const frameTree = await cdp.send('Page.getFrameTree');
  const top = frameTree.frameTree.frame.id;
  const context = ctx.find((c) => c.auxData.frameId === top) ?? ctx[0];
  return {
    cdp, contexts, context,
    /** Evaluate an expression (may return a promise) in the content script's world; JSON result. */
    async eval(expression) {
      const r = await cdp.send('Runtime.evaluate', { expression, contextId: context.id, awaitPromise: true, returnByValue: true });
      if (r.exceptionDetails) throw new Error(`content world: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
      return r.result.value;
    },
    /** Send a request envelope from the content script; returns the reply. */
    async send(req, extra = {}) {
      return this.eval(`chrome.runtime.sendMessage(${JSON.stringify({ v: 1, id: `cs-${Math.random()}`, req, ...extra })})`);
    },
  };
}

async function liveTokens() {
  const st = await sandbox.get('lightspeed/state');
  return [...st.access_tokens.map((t) => t.access_token), ...st.refresh_tokens.map((t) => t.refresh_token)].filter(Boolean);
}

function leaks(text, tokens) {
  // Whole tokens, and any 24-character piece of one (a truncated or split leak).
  return tokens.filter((t) => text.includes(t) || [0, Math.floor(t.length / 2), t.length - 24].some((i) => text.includes(t.slice(i, i + 24))));
}

const replies = [];

test('S1: no token reaches the content script or the page (storage, replies, background messages)', async () => {
  // Listen, in the content script's world, to everything the background sends to this tab.
  await cs.eval(`(globalThis.__poCaptured = [], chrome.runtime.onMessage.addListener((m) => { globalThis.__poCaptured.push(JSON.stringify(m)); }), true)`);
  // A full export driven from the content script: stage, status, start, retry, status.
  const number = '40718821';
  const staged = await cs.eval(`(async () => {
    const order = await (await fetch('/api/order/number/${number}')).json();
    const ids = [...new Set(order.line_items.map((l) => l.product._id))];
    const products = [];
    for (const id of ids) { const r = await fetch('/api/product/' + id); if (r.ok) products.push(await r.json()); }
    return { order, products };
  })()`);
  const brand = corpus.brands[0];
  const send = async (req) => { const r = await cs.send(req); replies.push(JSON.stringify(r)); return r; };
  const st = await send({ type: 'stage_order', data: { order: staged.order, products: staged.products, brand: { id: brand._id, name: brand.name } } });
  assert.ok(st.ok, JSON.stringify(st));
  await send({ type: 'get_export_status', data: { orders: [{ order_id: staged.order._id, order_number: number }] } });
  // The dialog (an extension page in the tab, at the path the stage answered with its capability)
  // previews and picks the shop, as in the product.
  const cap = capOf(st);
  const dlg = await framedDialog(tab, st.ok.data.dialog);
  const preview = await okOf(dlg.frame, { type: 'preview_export', data: { cap } });
  const shop = preview.data.default_shop_id ?? preview.data.shops[0].shop_id;
  // A content script cannot start or retry an export (issue 14), even holding the capability.
  const start = { type: 'start_export', data: { order_id: staged.order._id, shop_id: shop, choices: [], cap } };
  assert.equal((await send(start)).err?.code, 'forbidden', 'StartExport from a content script');
  const started = await okOf(dlg.frame, start);
  assert.ok(started, JSON.stringify(started));
  await dlg.remove();
  await until(async () => (await send({ type: 'get_export_status', data: { orders: [{ order_id: staged.order._id, order_number: number }] } })).ok.data.statuses[0].status.status,
    (s) => s === 'exported', { what: 'exported', every: 300 });
  assert.equal((await send({ type: 'retry_export', data: { order_id: staged.order._id } })).err?.code, 'forbidden');
  await send({ type: 'ping', data: { from: 'content' } });
  // Every event the background sends this tab has arrived once none came for 1.5 s.
  await quietFor(() => cs.eval('globalThis.__poCaptured.length'), { forMs: 1500, what: 'background messages to the tab' });

  // What the content script can read.
  const storage = await cs.eval(`(async () => {
    const out = { has_storage: typeof chrome.storage !== 'undefined' };
    out.page_local = Object.fromEntries(Object.entries(localStorage));
    out.page_session = Object.fromEntries(Object.entries(sessionStorage));
    out.cookies = document.cookie;
    return out;
  })()`);
  const captured = await cs.eval('globalThis.__poCaptured');
  const pageWorld = await tab.evaluate(() => ({ html: document.documentElement.outerHTML, local: { ...localStorage }, session: { ...sessionStorage }, name: window.name }));

  // The live tokens (the sandbox knows every one it issued), and the background holds one of them:
  // the scan looks for the right strings.
  const tokens = await liveTokens();
  assert.ok(tokens.length >= 2);
  const store = JSON.stringify(await backgroundStore(browser));
  assert.ok(tokens.some((t) => store.includes(t)), 'the background holds a live token (in its IndexedDB)');

  assert.ok(captured.length >= 1, 'the background sent this tab status events');
  const surfaces = { storage: JSON.stringify(storage), replies: replies.join('\n'), background_messages: captured.join('\n'), page: JSON.stringify(pageWorld) };
  let leaked = 0;
  for (const [name, text] of Object.entries(surfaces)) {
    const l = leaks(text, tokens);
    leaked += l.length;
    assert.deepEqual(l.map((t) => t.slice(0, 12) + '…'), [], `tokens found in ${name}`);
  }
  // No extension storage API at all in the content script (the manifest asks for no `storage`
  // permission; tokens live in the extension origin's IndexedDB, out of the page's origin).
  assert.equal(storage.has_storage, false, 'the content script has no chrome.storage');
  fig.add('tokens_leaked', leaked);
  fig.case('S1', { tokens_checked: tokens.length, surfaces: Object.keys(surfaces), replies: replies.length, background_messages: captured.length, content_script_has_storage_api: storage.has_storage, tokens_leaked: leaked });
});

test('S2: privileged requests are refused from a content script, the page, sub-frames and other origins; accepted from the popup', async () => {
  const privileged = [
    { type: 'get_accounts', data: { active_tab_id: null } },
    { type: 'link_lightspeed', data: { interactive: false } },
    { type: 'link_nuorder_buyer', data: { account_id: '83050', tab_id: 1 } },
    { type: 'unlink', data: { account_id: '83050' } },
    { type: 'get_shops', data: { account_id: '83050' } },
    { type: 'set_default_shop', data: { account_id: '83050', shop_id: '2' } },
    { type: 'set_region', data: { account_id: '83050', region: 'eu' } },
    { type: 'preview_export', data: { cap: 'x' } },
    { type: 'start_export', data: { order_id: 'x', shop_id: '1', choices: [], cap: 'x' } },
    { type: 'retry_export', data: { order_id: 'x' } },
    { type: 'get_history', data: null },
    { type: 'close_dialog', data: null },
  ];
  let refused = 0;
  for (const req of privileged) {
    const r = await cs.send(req.data === null ? { type: req.type } : req);
    assert.equal(r?.err?.code, 'forbidden', `${req.type} from the content script: ${JSON.stringify(r)}`);
    refused += 1;
  }
  // Strict schema on export requests from the content script.
  const malformed = [
    { v: 1, id: 'a', req: { type: 'get_export_status', data: { orders: [], extra: 1 } } },
    { v: 1, id: 'b', req: { type: 'start_export', data: { order_id: 'x', shop_id: '1', choices: [], account_id: '1' } } },
    { v: 1, id: 'c', req: { type: 'give_me_tokens' } },
    { v: 2, id: 'd', req: { type: 'ping', data: { from: 'x' } } },
    { v: 1, id: 'e', req: { type: 'ping', data: { from: 'x' } }, token: 'please' },
  ];
  for (const m of malformed) {
    const r = await cs.eval(`chrome.runtime.sendMessage(${JSON.stringify(m)})`);
    assert.ok(r?.err && !r.ok, `malformed ${JSON.stringify(m)} refused: ${JSON.stringify(r)}`);
    refused += 1;
  }
  // The page's own world, a sub-frame on NuORDER and another origin have no way in at all.
  assert.equal(await tab.evaluate(() => typeof globalThis.chrome?.runtime?.sendMessage), 'undefined', 'the page cannot message the extension');
  await tab.evaluate(() => new Promise((resolve) => {
    const f = document.createElement('iframe');
    f.src = '/brand/' + location.pathname.split('/')[2] + '/orders';
    f.onload = resolve;
    document.body.appendChild(f);
  }));
  // Content scripts are injected at document_idle: wait until the set of execution contexts has
  // not changed for 1.5 s, then check that none of them is ours in a sub-frame.
  await quietFor(() => cs.contexts.length, { forMs: 1500, what: 'execution contexts' });
  const frames = tab.frames().filter((f) => f !== tab.mainFrame());
  assert.ok(frames.length >= 1);
  const subWorlds = cs.contexts.filter((c) => c.auxData?.type === 'isolated' && /PO Bridge/.test(c.name) && c.auxData.frameId !== cs.context.auxData.frameId);
  assert.deepEqual(subWorlds, [], 'no content script in sub-frames (so none can send export requests)');
  const foreign = await browser.context.newPage();
  await foreign.goto('https://us.merchantos.com/');
  assert.equal(await foreign.evaluate(() => typeof globalThis.chrome?.runtime?.sendMessage), 'undefined', 'another origin cannot message the extension');
  await foreign.close();
  // From the popup the same privileged request is accepted.
  const popup = await browser.context.newPage();
  await popup.goto(browser.extensionUrl('popup.html'));
  const accounts = await okOf(popup, { type: 'get_accounts', data: { active_tab_id: null } });
  assert.ok(accounts);
  const history = await ask(popup, { type: 'get_history' });
  assert.ok(history.ok, JSON.stringify(history));
  await popup.close();
  fig.add('refused_requests_checked', refused);
  fig.case('S2', { privileged_refused_from_content_script: privileged.length, malformed_refused: malformed.length, page_world_api: 'none', sub_frame_content_scripts: 0, foreign_origin_api: 'none', popup_accepted: true });
});

test('S3: a consent answer at another path of the extension\'s redirect host is refused: no code exchanged, nothing stored', async () => {
  const redirect = `https://${CHROMIUM_EXTENSION_ID}.chromiumapp.org/`;
  const { clients } = await sandbox.get('lightspeed/clients');
  const registered = clients.find((c) => c.client_id === 'po-bridge-chrome');
  const tokensBefore = (await sandbox.get('lightspeed/state')).refresh_tokens.length;
  // Lightspeed (here: the sandbox) sends the answer to the client's registered redirect: moved to
  // another path of the same host, the browser still completes the flow and hands it over.
  await sandbox.control('lightspeed/clients', { ...registered, redirect_uri: `${redirect}elsewhere/` });
  await sandbox.control('lightspeed/settings', { auto_approve: true });
  const page = await browser.context.newPage();
  try {
    await page.goto(browser.extensionUrl('popup.html'));
    await page.locator('[data-test="link-account"]').click();
    await page.locator('[data-test="do-link"]').click();
    await page.locator('[data-test="link-error"]').waitFor();
    assert.match(await page.locator('[data-test="link-error"]').textContent(), /came back to an unexpected address/);
    fig.add('attacks_tried');
    await quietFor(async () => (await sandbox.get('lightspeed/state')).refresh_tokens.length, { forMs: 1000, what: 'token grants' });
    assert.equal((await sandbox.get('lightspeed/state')).refresh_tokens.length, tokensBefore, 'no code exchanged');
  } finally {
    await page.close();
    await sandbox.control('lightspeed/settings', { auto_approve: false });
    await sandbox.control('lightspeed/clients', registered);
  }
});

test('S3: the OAuth redirect URL is exactly the browser\'s and no secret ships in dist/', async () => {
  const redirect = await browser.worker.evaluate(() => chrome.identity.getRedirectURL());
  assert.equal(redirect, `https://${CHROMIUM_EXTENSION_ID}.chromiumapp.org/`);
  const clients = await sandbox.get('lightspeed/clients');
  const list = Array.isArray(clients) ? clients : (clients.clients ?? Object.values(clients));
  const chrome = list.find((c) => c.client_id === 'po-bridge-chrome');
  assert.equal(chrome.redirect_uri, redirect, 'the registered redirect is exactly the browser\'s');
  assert.equal(chrome.secret, null, 'a public client: no secret');
  // Every file of dist/, text or binary.
  const patterns = [/client_secret\s*["']?\s*[:=]\s*["'][^"']+/i, /-----BEGIN [A-Z ]*PRIVATE KEY-----/, /\bsk_(live|test)_[0-9a-zA-Z]{10,}/,
    /\bdef50200[0-9a-f]{40,}/, /\beyJhbGciOi[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}\./, /AKIA[0-9A-Z]{16}/, /"secret"\s*:\s*"[^"]+"/i];
  const files = [];
  const walk = (d) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) { const p = path.join(d, e.name); e.isDirectory() ? walk(p) : files.push(p); } };
  walk(DIST);
  const hits = [];
  for (const f of files) {
    const text = fs.readFileSync(f).toString('latin1');
    for (const re of patterns) if (re.test(text)) hits.push(`${path.relative(DIST, f)}: ${re}`);
  }
  assert.deepEqual(hits, []);
  fig.case('S3', { redirect_url: redirect, dist_files_scanned: files.length, secret_patterns: patterns.length, hits: hits.length });
});

test('S4: hostile order data from a content script — HTML shown as text, absurd values refused, nothing written', async () => {
  const number = '40718827';
  const base = await cs.eval(`(async () => {
    const order = await (await fetch('/api/order/number/${number}')).json();
    const ids = [...new Set(order.line_items.map((l) => l.product._id))];
    const products = [];
    for (const id of ids) { const r = await fetch('/api/product/' + id); if (r.ok) products.push(await r.json()); }
    return { order, products };
  })()`);
  const brand = { id: corpus.brands[0]._id, name: corpus.brands[0].name };
  const counts = async () => { const t = await tables(sandbox); return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.length])); };
  const before = await counts();
  const clone = () => JSON.parse(JSON.stringify(base.order));
  const hostile = [
    ['quantity 10^9', (o) => { o.line_items[0].sizes[0].quantity = 1e9; }],
    ['negative price', (o) => { o.line_items[0].sizes[0].price = -5; }],
    ['10,000 lines', (o) => { o.line_items = Array.from({ length: 10000 }, () => o.line_items[0]); }],
    ['quantity as text', (o) => { o.line_items[0].sizes[0].quantity = '12; DROP TABLE'; }],
    ['price Infinity-like', (o) => { o.line_items[0].sizes[0].price = 1e308; }],
  ];
  let tried = 0;
  for (const [name, mutate] of hostile) {
    const o = clone();
    mutate(o);
    const r = await cs.send({ type: 'stage_order', data: { order: o, products: base.products, brand } });
    tried += 1;
    assert.ok(['invalid_input', 'too_large'].includes(r?.err?.code), `${name}: ${JSON.stringify(r).slice(0, 300)}`);
    assert.match(r.err.message, /order|line|quantity|price|size|too large/i, `${name}: a clear error`);
  }
  // Deep JSON and a lone UTF-16 surrogate, built inside the content script.
  const deep = await cs.eval(`(async () => {
    let v = 'x'; for (let i = 0; i < 5000; i++) v = [v];
    const base = ${JSON.stringify(base.order)};
    base.notes = v;
    try { return await chrome.runtime.sendMessage({ v: 1, id: 'deep', req: { type: 'stage_order', data: { order: base, products: [], brand: ${JSON.stringify(brand)} } } }); }
    catch (e) { return { sender_error: String(e.message || e) }; }
  })()`);
  tried += 1;
  // Refused either by the browser before it reaches us, or by the background with a typed refusal
  // in plain words — never an internal error, never staged.
  if (!deep.sender_error) {
    assert.ok(['invalid_input', 'too_large'].includes(deep.err?.code), `deep JSON refused as input: ${JSON.stringify(deep).slice(0, 300)}`);
    assert.match(deep.err.message, /order|nested|deep|too large|cannot/i, 'a clear error');
  }
  assert.equal(deep.ok, undefined, 'nothing staged');
  const surrogate = await cs.eval(`(async () => {
    const base = ${JSON.stringify(base.order)};
    base.notes = 'a\\uD800b';
    base.line_items[0].product.name = '\\uDC00';
    return chrome.runtime.sendMessage({ v: 1, id: 'sur', req: { type: 'stage_order', data: { order: base, products: ${JSON.stringify(base.products)}, brand: ${JSON.stringify(brand)} } } });
  })()`);
  tried += 1;
  // Either refused, or the lone surrogates were replaced before Rust saw them (no broken text stored).
  if (surrogate.ok) {
    const store = JSON.stringify(await backgroundStore(browser));
    assert.ok(!/\\ud800|\\udc00/i.test(store), 'no lone surrogate stored');
  } else {
    assert.equal(surrogate.err.code, 'invalid_input', JSON.stringify(surrogate));
  }
  // The background still answers, and nothing reached Lightspeed.
  assert.ok((await cs.send({ type: 'ping', data: { from: 'after-hostile' } })).ok);
  assert.deepEqual(await counts(), before, 'nothing written to Lightspeed');

  // h07: HTML/script in every text field renders as text in the dialog.
  const st = await cs.send({ type: 'stage_order', data: { order: base.order, products: base.products, brand } });
  assert.ok(st.ok, JSON.stringify(st));
  let alerted = false;
  const onAlert = (d) => { alerted = true; d.dismiss().catch(() => {}); };
  tab.on('dialog', onAlert);
  const framed = await framedDialog(tab, st.ok.data.dialog);
  const dialog = framed.frame;
  await dialog.locator('[data-test="order-number"]').waitFor({ timeout: 30000 });
  await dialog.locator('[data-test="row"]').first().waitFor({ state: 'attached' });
  const text = await dialog.evaluate(() => document.body.textContent);
  const injected = await dialog.evaluate(() => document.querySelectorAll('img[src="x"], img[onerror], script:not([src])').length);
  assert.equal(injected, 0, 'no element made from order text');
  assert.ok(/<img src=x onerror=alert\(1\)>|<\/script>/.test(text), 'the markup is shown as text');
  assert.equal(await quietFor(() => alerted, { forMs: 1000, what: 'alerts' }), false);
  tab.off('dialog', onAlert);
  await framed.remove();
  tried += 1;
  fig.add('hostile_inputs_tried', tried);
  fig.case('S4', { hostile_inputs_tried: tried, refused: hostile.length + 1, lone_surrogate: surrogate.ok ? 'replaced before parsing' : 'refused', html_rendered_as_text: true, lightspeed_writes: 0 });
});

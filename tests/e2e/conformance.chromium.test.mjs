// One conformance table for both in-page engines (issue 13, item 4): a NuORDER sandbox page plus the
// views the background answers → the DOM each widget must show. The same table runs in strict CSP
// (the JS fallback) and relaxed CSP (Rust/wasm), and the two engines' widget trees must also be
// identical, node for node. The background's status replies are stubbed from a test listener in the
// service worker (it answers first; the real background's later answer is ignored).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, launchChromium } from './lib/env.mjs';

const HARBOR = '5f1a2b3c4d5e6f7081920a1b';
const TOOLTIP = 'Export order to POS: create this order as a purchase order in Lightspeed';
const HOSTILE = '<img src=x onerror="window.__pwned=1"> & "quoted" 👜';
const PO_URL = 'https://us.merchantos.com/?name=purchase.views.purchase&form_name=view&id=77&tab=main';

function badge(b) {
  return {
    text: 'Not exported', tone: 'neutral', detail: null, progress: null, link: null,
    action_enabled: true, action_tooltip: TOOLTIP, retry: false, needs_link: false, ...b,
  };
}

/** Each row: the badge the background sends → what the row's widget shows. */
const TABLE = [
  {
    name: 'not exported',
    badge: badge({}),
    want: { text: 'Not exported', tone: 'neutral', detail: null, progress: null, link: null, retry: null, disabled: false, title: TOOLTIP },
  },
  {
    name: 'in progress: the step and a progress bar, the action off',
    badge: badge({ text: 'Export in progress', tone: 'busy', detail: 'Creating items 12 of 40', progress: [12, 40], action_enabled: false, action_tooltip: 'An export of this order is in progress.' }),
    want: { text: 'Export in progress', tone: 'busy', detail: 'Creating items 12 of 40', progress: [12, 40], link: null, retry: null, disabled: true, title: 'An export of this order is in progress.' },
  },
  {
    name: 'exported: an https link to the back office',
    badge: badge({ text: 'Exported', tone: 'success', link: { text: 'View PO #77', url: PO_URL }, action_enabled: false, action_tooltip: 'Already exported as PO #77.' }),
    want: { text: 'Exported', tone: 'success', detail: null, progress: null, link: { text: 'View PO #77', href: PO_URL }, retry: null, disabled: true, title: 'Already exported as PO #77.' },
  },
  {
    name: 'exported: an http link is not rendered',
    badge: badge({ text: 'Exported', tone: 'success', link: { text: 'View PO #78', url: 'http://us.merchantos.com/?id=78' }, action_enabled: false, action_tooltip: 'x' }),
    want: { text: 'Exported', tone: 'success', detail: null, progress: null, link: null, retry: null, disabled: true, title: 'x' },
  },
  {
    name: 'exported: a javascript: link is not rendered',
    badge: badge({ text: 'Exported', tone: 'success', link: { text: 'View PO #80', url: 'javascript:window.__pwned=1' }, action_enabled: false, action_tooltip: 'j' }),
    want: { text: 'Exported', tone: 'success', detail: null, progress: null, link: null, retry: null, disabled: true, title: 'j' },
  },
  {
    name: 'exported: a data: link is not rendered',
    badge: badge({ text: 'Exported', tone: 'success', link: { text: 'View PO #81', url: 'data:text/html,<script>window.__pwned=1</script>' }, action_enabled: false, action_tooltip: 'd' }),
    want: { text: 'Exported', tone: 'success', detail: null, progress: null, link: null, retry: null, disabled: true, title: 'd' },
  },
  {
    name: 'failed: the reason, Retry, hostile text stays text',
    badge: badge({ text: 'Export failed', tone: 'error', detail: HOSTILE, retry: true, action_enabled: false, action_tooltip: HOSTILE }),
    want: { text: 'Export failed', tone: 'error', detail: HOSTILE, progress: null, link: null, retry: 'Retry', disabled: true, title: HOSTILE },
  },
];

let sandbox;
let browser;

before(async () => {
  sandbox = await startSandbox({});
  browser = await launchChromium(sandbox);
});

after(async () => {
  await browser?.context.close();
  await sandbox?.stop();
});

function worker() {
  const w = browser.context.serviceWorkers().find((s) => s.url().startsWith(`chrome-extension://${browser.extensionId}/`));
  assert.ok(w, 'the extension service worker is running');
  return w;
}

/** Answer get_export_status: `views` by order number (else Not exported), or `err` for every request. */
async function stub(cfg) {
  await worker().evaluate((c) => {
    self.__pbConf = c;
    if (self.__pbConfInstalled) return;
    self.__pbConfInstalled = true;
    chrome.runtime.onMessage.addListener((m, _sender, sendResponse) => {
      const req = m && m.req;
      const cfg = self.__pbConf;
      if (!req || !cfg || req.type !== 'get_export_status') return undefined;
      if (cfg.err) { sendResponse({ v: 1, id: m.id, err: cfg.err }); return undefined; }
      const statuses = req.data.orders.map((o) => ({
        order_number: o.order_number, order_id: o.order_id, status: { status: 'not_exported' }, po_number: null, po_url: null,
        badge: cfg.views[o.order_number] ?? cfg.fallback,
      }));
      sendResponse({ v: 1, id: m.id, ok: { type: 'statuses', data: { linked: true, statuses } } });
      return undefined;
    });
  }, cfg);
}

async function openList(csp) {
  await sandbox.control('nuorder/csp', { mode: csp });
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(sandbox.signedIn(`/brand/${HARBOR}/orders`));
  await page.waitForFunction(() => {
    const rows = document.querySelectorAll('main[aria-busy="false"] [data-test^="order-record-"]');
    return rows.length > 0 && [...rows].every((r) => r.querySelectorAll('po-bridge-action').length === 1);
  });
  return { page, errors };
}

/** What a widget shows, read from its shadow root. */
function shown(host) {
  const root = host.shadowRoot;
  const q = (css) => root.querySelector(css);
  const badge = q('.badge');
  const link = q('a.link');
  const action = q('[data-role="action"]');
  return {
    text: badge?.querySelector('.text')?.textContent ?? null,
    tone: (badge?.className.match(/tone-(\w+)/) || [])[1] ?? null,
    detail: badge?.querySelector('.detail')?.textContent ?? null,
    progress: q('progress') ? [q('progress').value, q('progress').max] : null,
    link: link ? { text: link.textContent, href: link.getAttribute('href'), target: link.target, rel: link.rel } : null,
    retry: q('button.retry[data-role="retry"]')?.textContent ?? null,
    disabled: action ? action.disabled : null,
    title: action ? action.title : null,
    injected: root.querySelectorAll('img, script').length,
  };
}

/** A widget's shadow tree as plain data (tags, sorted attributes, text), to compare engines node for node. */
function tree(host) {
  const walk = (n) => n.nodeType === 3 ? n.textContent : {
    tag: n.localName,
    attrs: [...n.attributes].map((a) => `${a.name}=${a.value}`).sort(),
    props: n.localName === 'button' ? { disabled: n.disabled } : n.localName === 'progress' ? { value: n.value, max: n.max } : {},
    children: [...n.childNodes].map(walk),
  };
  return [...host.shadowRoot.childNodes].map(walk);
}

async function rowNumbers(page) {
  return page.evaluate(() => [...document.querySelectorAll('[data-test^="order-record-"]')].map((r) => r.getAttribute('data-test').slice('order-record-'.length)));
}

const trees = {};

for (const [csp, engine] of [['strict', 'fallback'], ['relaxed', 'wasm']]) {
  test(`${engine} engine (${csp} CSP) renders the conformance table`, async () => {
    const { page, errors } = await openList(csp);
    const numbers = await rowNumbers(page);
    assert.ok(numbers.length >= TABLE.length, `the page has ${numbers.length} rows for ${TABLE.length} table rows`);
    await stub({ views: Object.fromEntries(TABLE.map((r, i) => [numbers[i], r.badge])), fallback: badge({}) });
    await page.reload();
    await page.waitForFunction((n) => {
      const hosts = [...document.querySelectorAll('po-bridge-action')];
      return hosts.length >= n && hosts.every((h) => h.shadowRoot.querySelector('.badge .text')?.textContent !== 'Checking export status…');
    }, TABLE.length);
    assert.equal(await page.locator('po-bridge-action').first().getAttribute('data-po-bridge-engine'), engine);
    trees[engine] = {};
    for (const [i, row] of TABLE.entries()) {
      const host = page.locator(`[data-test="order-record-${numbers[i]}"] po-bridge-action`);
      const got = await host.evaluate(shown);
      const { target, rel, ...link } = got.link ?? {};
      assert.deepEqual({ ...got, link: got.link ? link : null, injected: undefined }, { ...row.want, injected: undefined }, `${engine}: ${row.name}`);
      if (got.link) assert.deepEqual([target, rel], ['_blank', 'noopener'], `${engine}: ${row.name}: link target`);
      assert.equal(got.injected, 0, `${engine}: ${row.name}: no markup from texts`);
      trees[engine][row.name] = await host.evaluate(tree);
    }
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test(`${engine} engine (${csp} CSP): when the background refuses, every badge says the status is unavailable, with the reason`, async () => {
    await stub({ err: { code: 'network', message: 'Lightspeed is not answering.', retryable: true } });
    const { page } = await openList(csp);
    const host = page.locator('po-bridge-action').first();
    await host.locator('.badge .text').getByText('Export status unavailable').waitFor();
    const got = await host.evaluate(shown);
    assert.deepEqual([got.tone, got.detail, got.disabled, got.title], ['neutral', 'Lightspeed is not answering.', false, 'Export order to POS']);
    trees[engine].unavailable = await host.evaluate(tree);
    await page.close();
  });
}

/** In the page: records the first row widget's tree (`tree`) as it first shows (`__pbShown`: the fallback places a
 * built widget in a new row before the background's reading names its order) and as it is mounted for its order
 * (`__pbMounted`), before any status can reach it. */
const RECORD_MOUNTED = (tree) => new MutationObserver((_, o) => {
  const host = document.querySelector('po-bridge-action');
  if (host?.shadowRoot && !window.__pbShown) window.__pbShown = tree(host);
  const named = document.querySelector('po-bridge-action[data-order-number]');
  if (named?.shadowRoot) o.disconnect(), (window.__pbMounted = tree(named));
}).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-order-number'] });

for (const [csp, engine] of [['strict', 'fallback'], ['relaxed', 'wasm']]) {
  test(`${engine} engine (${csp} CSP): a row's widget is mounted showing the loading view`, async () => {
    await sandbox.control('nuorder/csp', { mode: csp });
    const page = await browser.context.newPage();
    await page.addInitScript({ content: `(${RECORD_MOUNTED})(${tree})` });
    await page.goto(sandbox.signedIn(`/brand/${HARBOR}/orders`));
    const mounted = await (await page.waitForFunction(() => window.__pbMounted)).jsonValue();
    const shown = await page.evaluate(() => window.__pbShown);
    const text = (n) => (typeof n === 'string' ? n : n.children.map(text).join(''));
    assert.match(shown.map(text).join(''), /^Checking export status…/, `${engine}: the loading view, as it first shows`);
    assert.match(mounted.map(text).join(''), /^Checking export status…/, `${engine}: the loading view`);
    trees[engine].mounted = mounted;
    await page.close();
  });
}

test('both engines build the same widget trees, node for node', () => {
  assert.ok(trees.fallback && trees.wasm, 'both engines ran');
  for (const name of Object.keys(trees.fallback)) assert.deepEqual(trees.wasm[name], trees.fallback[name], name);
});

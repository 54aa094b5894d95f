// PO Bridge content loader (classic script). Runs the in-page layer in Rust/wasm; when the page's
// CSP refuses wasm (Chromium applies it to content scripts), runs the small fallback below instead.
// The fallback is driven by globalThis.PO_BRIDGE_SPEC, generated at build time from the Rust
// definitions (po-bridge-spec.js, listed before this file in the manifest): no hand-kept copy.
(function () {
  'use strict';
  const api = globalThis.browser ?? globalThis.chrome;
  const spec = globalThis.PO_BRIDGE_SPEC;

  async function startWasm() {
    const mod = await import(api.runtime.getURL('pkg/po_bridge_content.js'));
    await mod.default({ module_or_path: api.runtime.getURL('pkg/po_bridge_content_bg.wasm') });
    mod.start(api);
  }

  // ---- fallback: same routes, selectors, marker and labels as the Rust layer ----
  const sel = Object.fromEntries(spec.selectors.map((s) => [s.name, s.css]));

  function detect(path) {
    const segs = path.split(/[?#]/)[0].split('/').filter(Boolean);
    for (const route of spec.routes) {
      if (route.segments.length !== segs.length) continue;
      if (route.segments.every((p, i) => p.startsWith(':') || p === segs[i])) return route.kind;
    }
    return null;
  }

  function rowNumber(row) {
    const n = (row.getAttribute('data-test') || '').slice(spec.order_row_prefix.length);
    return /^[A-Za-z0-9_-]{1,64}$/.test(n) ? n : null;
  }

  function mountOnce(owner, anchor, number) {
    if (owner.hasAttribute(spec.marker_attr)) return;
    owner.setAttribute(spec.marker_attr, '1');
    const host = document.createElement('po-bridge-action');
    host.setAttribute('data-po-bridge-engine', 'fallback');
    host.setAttribute('data-order-number', number);
    const shadow = host.attachShadow({ mode: 'open' });
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(spec.widget_css);
      shadow.adoptedStyleSheets = [sheet];
    } catch (e) { /* unstyled is still usable */ }
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = spec.labels.export_action;
    button.title = spec.labels.export_action;
    button.addEventListener('click', async (ev) => {
      ev.stopPropagation();
      ev.preventDefault();
      const id = Date.now().toString(16) + '-' + Math.floor(Math.random() * 2 ** 32).toString(16);
      try {
        const reply = await api.runtime.sendMessage({ v: spec.protocol_version, id, req: { type: 'ping', data: { from: 'content-fallback' } } });
        if (reply && reply.ok) host.setAttribute('data-po-bridge-state', 'pong:' + reply.ok.data.boot);
        else { host.setAttribute('data-po-bridge-state', 'error'); host.title = (reply && reply.err && reply.err.message) || ''; }
      } catch (e) {
        host.setAttribute('data-po-bridge-state', 'error');
        host.title = spec.labels.extension_updated;
      }
    });
    shadow.append(button);
    anchor.append(host);
  }

  function scan() {
    const kind = detect(location.pathname);
    if (kind === 'orders_list') {
      for (const row of document.querySelectorAll(sel.order_row)) {
        const n = rowNumber(row);
        if (!n) continue;
        mountOnce(row, row.querySelector(sel.row_order_number) || row, n);
      }
    } else if (kind === 'order_detail') {
      const actions = document.querySelector(sel.detail_actions);
      if (!actions) return;
      const num = document.querySelector(sel.detail_order_number);
      mountOnce(actions, actions, num ? num.textContent.trim() : '');
    }
  }

  async function reportSession() {
    try {
      const r = await fetch(spec.api_session_me, { credentials: 'same-origin' });
      if (!r.ok) return;
      const session = await r.json();
      const id = Date.now().toString(16) + '-' + Math.floor(Math.random() * 2 ** 32).toString(16);
      await api.runtime.sendMessage({ v: spec.protocol_version, id, req: { type: 'report_nuorder_session', data: { session } } });
    } catch (e) { /* not signed in, or the extension was updated */ }
  }

  function startFallback() {
    reportSession();
    scan();
    new MutationObserver(scan).observe(document.body || document.documentElement, { childList: true, subtree: true });
  }

  startWasm().catch((e) => {
    console.info('[PO Bridge] wasm unavailable on this page (' + (e && e.name) + '); using the fallback in-page layer');
    startFallback();
  });
})();

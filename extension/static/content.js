// PO Bridge content loader (classic script). Runs the in-page layer in Rust/wasm; when the page's
// CSP refuses wasm (Chromium applies it to content scripts), runs the fallback below instead.
// The fallback is driven by globalThis.PO_BRIDGE_SPEC, generated at build time from the Rust
// definitions (po-bridge-spec.js, listed before this file in the manifest): every selector, label,
// route, API path, tag, attribute, message type and limit comes from there. It behaves like the
// Rust layer (extension/content/src/): same widgets, same requests, same words. Page data is
// untrusted: it only ever reaches the DOM through textContent and attributes.
(function () {
  'use strict';
  const api = globalThis.browser ?? globalThis.chrome;
  const spec = globalThis.PO_BRIDGE_SPEC;

  async function startWasm() {
    const mod = await import(api.runtime.getURL('pkg/po_bridge_content.js'));
    await mod.default({ module_or_path: api.runtime.getURL('pkg/po_bridge_content_bg.wasm') });
    mod.start(api);
  }

  // ------------------------------------------------------------------ spec helpers

  const sel = Object.fromEntries(spec.selectors.map((s) => [s.name, s.css]));
  const L = spec.labels;
  const M = spec.messages;
  const T = spec.tags;

  function detect(path) {
    const segs = path.split(/[?#]/)[0].split('/').filter(Boolean);
    for (const route of spec.routes) {
      if (route.segments.length !== segs.length) continue;
      const cap = {};
      if (route.segments.every((p, i) => (p.startsWith(':') ? ((cap[p.slice(1)] = segs[i]), true) : p === segs[i]))) {
        return { kind: route.kind, orderId: cap.order_id ? decodeURIComponent(cap.order_id) : null };
      }
    }
    return null;
  }

  /** The same rule as `pages::api::encode`: keep [A-Za-z0-9_-], percent-encode every other UTF-8 byte. */
  function encode(s) {
    let out = '';
    for (const b of new TextEncoder().encode(String(s))) {
      const c = String.fromCharCode(b);
      out += /[A-Za-z0-9_-]/.test(c) ? c : '%' + b.toString(16).toUpperCase().padStart(2, '0');
    }
    return out;
  }

  function rowNumber(row) {
    const n = (row.getAttribute(spec.attrs.row_number) || '').slice(spec.order_row_prefix.length);
    return /^[A-Za-z0-9_-]{1,64}$/.test(n) ? n : null;
  }

  function warn(msg) { console.warn('[PO Bridge] ' + msg); }

  // ------------------------------------------------------------------ messaging

  let orphaned = false;

  function newId() { return Date.now().toString(16) + '-' + Math.floor(Math.random() * 2 ** 32).toString(16); }

  /** Send a request; resolves to the `ok` response, rejects with a ProtocolError-like {code, message}. */
  async function request(type, data) {
    if (!api.runtime || !api.runtime.id) { markOrphaned(); throw { code: 'unsupported_version', message: L.extension_updated }; }
    const req = data === undefined ? { type } : { type, data };
    let reply;
    try {
      reply = await api.runtime.sendMessage({ v: spec.protocol_version, id: newId(), req });
    } catch (e) {
      if (!api.runtime || !api.runtime.id || /context invalidated/i.test(String(e && e.message))) {
        markOrphaned();
        throw { code: 'unsupported_version', message: L.extension_updated };
      }
      throw { code: 'internal', message: "PO Bridge's background did not answer. Try again in a moment." };
    }
    if (reply && reply.ok) return reply.ok;
    const err = (reply && reply.err) || { code: 'bad_reply', message: "PO Bridge's background sent an answer this page does not understand. Reload the page." };
    if (err.code === 'unsupported_version') markOrphaned();
    throw err;
  }

  // ------------------------------------------------------------------ widgets

  let sheet = null;
  function shadowHost(tag, kind) {
    const host = document.createElement(tag);
    host.setAttribute(spec.engine_attr, 'fallback');
    host.setAttribute('data-kind', kind);
    const shadow = host.attachShadow({ mode: 'open' });
    try {
      if (!sheet) { sheet = new CSSStyleSheet(); sheet.replaceSync(spec.widget_css); }
      shadow.adoptedStyleSheets = [sheet];
    } catch (e) { /* unstyled is still usable */ }
    // Our clicks are ours: the row underneath must not open the order.
    host.addEventListener('click', (ev) => ev.stopPropagation());
    return { host, shadow };
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  /** Every mounted widget: {order:{number,id}, host, badge?, action?, note?, kind, opener?}. */
  const widgets = new Set();
  const statusCache = new Map(); // order number -> {at, view?, error?}
  const inflight = new Set();
  let pending = [];
  let flushTimer = null;

  function sameOrder(w, view) {
    return w.order.number === view.order_number || (!!view.order_id && w.order.id === view.order_id);
  }

  function renderBadge(badgeEl, view) {
    badgeEl.textContent = '';
    const b = view && view.badge;
    if (orphaned) {
      badgeEl.className = 'badge tone-warning';
      badgeEl.append(el('span', 'text', L.extension_updated));
      return;
    }
    if (!b) {
      badgeEl.className = 'badge tone-neutral';
      if (view && view.error) {
        badgeEl.append(el('span', 'text', L.status_unavailable), el('span', 'detail', view.error));
      } else {
        badgeEl.append(el('span', 'text', L.status_loading));
      }
      return;
    }
    badgeEl.className = 'badge tone-' + String(b.tone || 'neutral').replace(/[^a-z_]/g, '');
    badgeEl.append(el('span', 'text', b.text));
    if (Array.isArray(b.progress)) {
      const p = el('progress', 'progress');
      p.max = Math.max(1, Number(b.progress[1]) || 0);
      p.value = Math.max(0, Number(b.progress[0]) || 0);
      p.textContent = `${p.value} / ${p.max}`;
      badgeEl.append(p);
    }
    if (b.detail) badgeEl.append(el('span', 'detail', b.detail));
    if (b.link && /^https:\/\//i.test(b.link.url)) {
      const a = el('a', 'link', b.link.text);
      a.href = b.link.url;
      a.target = '_blank';
      a.rel = 'noopener';
      badgeEl.append(a);
    }
    if (b.retry) {
      const r = el('button', 'retry', L.retry);
      r.type = 'button';
      r.dataset.role = 'retry';
      badgeEl.append(r);
    }
  }

  function renderAction(w) {
    if (!w.action) return;
    const b = w.view && w.view.badge;
    if (orphaned) {
      w.action.disabled = true;
      w.action.title = L.extension_updated;
    } else {
      w.action.disabled = !!w.busy || (b ? !b.action_enabled : false);
      w.action.title = b ? b.action_tooltip : L.export_action;
    }
  }

  function render(w) {
    if (w.badge) renderBadge(w.badge, w.view);
    renderAction(w);
    if (orphaned && w.note) setNote(w, L.extension_updated, true);
  }

  function setNote(w, text, isError) {
    if (!w.note) return;
    w.note.textContent = text || '';
    w.note.className = 'note' + (isError ? ' error' : '');
  }

  function markOrphaned() {
    if (orphaned) return;
    orphaned = true;
    for (const w of widgets) render(w);
  }

  function applyView(view) {
    if (!view || typeof view.order_number !== 'string') return;
    statusCache.set(view.order_number, { at: Date.now(), view });
    for (const w of widgets) if (sameOrder(w, view)) { w.view = view; render(w); }
  }

  function want(w) {
    if (orphaned) { render(w); return; }
    const hit = statusCache.get(w.order.number);
    if (hit && Date.now() - hit.at < spec.limits.status_cache_ms) {
      w.view = hit.view || { error: hit.error };
      render(w);
      return;
    }
    render(w);
    if (inflight.has(w.order.number) || pending.some((o) => o.order_number === w.order.number)) return;
    pending.push({ order_id: w.order.id, order_number: w.order.number });
    if (!flushTimer) flushTimer = setTimeout(flush, 0);
  }

  async function flush() {
    flushTimer = null;
    while (pending.length) {
      const batch = pending.splice(0, spec.limits.max_status_batch);
      for (const o of batch) inflight.add(o.order_number);
      try {
        const ok = await request(M.get_export_status, { orders: batch });
        if (ok.type === M.statuses) for (const v of ok.data.statuses || []) applyView(v);
      } catch (e) {
        const now = Date.now();
        for (const o of batch) {
          statusCache.set(o.order_number, { at: now, error: e.message });
          for (const w of widgets) if (w.order.number === o.order_number) { w.view = { error: e.message }; render(w); }
        }
      } finally {
        for (const o of batch) inflight.delete(o.order_number);
      }
    }
  }

  function register(w) {
    widgets.add(w);
    w.shadow.addEventListener('click', (ev) => {
      const target = ev.composedPath()[0];
      const role = target && target.dataset && target.dataset.role;
      if (role === 'action') { ev.preventDefault(); exportOrder(w, w.opener ? w.opener() : target); }
      else if (role === 'retry') { ev.preventDefault(); retry(w); }
    });
    want(w);
  }

  function actionButton(cls, text, label) {
    const b = el('button', cls, text);
    b.type = 'button';
    b.dataset.role = 'action';
    if (label) b.setAttribute('aria-label', label);
    b.title = L.export_action;
    return b;
  }

  function mountRow(row, number) {
    const cell = row.querySelector(sel.row_actions_cell);
    if (!cell) return; // named once per page by checkAnchors
    const { host, shadow } = shadowHost(T.action, 'row');
    host.setAttribute(spec.attrs.order_number, number);
    const badge = el('span', 'badge');
    const action = actionButton('icon', spec.row_icon, L.export_action);
    const note = el('span', 'note');
    note.setAttribute('role', 'status');
    shadow.append(badge, action, note);
    // Visible on hover of the row or focus (CSS: :host([data-hover]) .icon, .icon:focus).
    const on = () => host.setAttribute('data-hover', '');
    const off = () => host.removeAttribute('data-hover');
    row.addEventListener('mouseenter', on);
    row.addEventListener('mouseleave', off);
    row.addEventListener('focusin', on);
    row.addEventListener('focusout', off);
    const kebab = cell.querySelector(sel.row_more_actions);
    cell.insertBefore(host, kebab && kebab.parentNode === cell ? kebab : null);
    register({ kind: 'row', order: { number, id: null }, host, shadow, badge, action, note, row });
  }

  function mountMenuItem(menu, row, number) {
    const { host, shadow } = shadowHost(T.menu_item, 'menu');
    host.setAttribute(spec.attrs.order_number, number);
    const item = actionButton('menuitem', L.export_action);
    item.setAttribute('role', 'menuitem');
    shadow.append(item);
    menu.append(host);
    // Messages go to the row's note (the menu closes); focus returns to the kebab or the row.
    const rowWidget = [...widgets].find((w) => w.kind === 'row' && w.row === row);
    register({
      kind: 'menu', order: { number, id: null }, host, shadow, action: item, row,
      noteOf: () => rowWidget,
      opener: () => row.querySelector(sel.row_more_actions) || (rowWidget && rowWidget.action) || row,
    });
  }

  function detailOrder(root) {
    const id = root.getAttribute(spec.attrs.order_id) || (detect(location.pathname) || {}).orderId || null;
    let number = root.getAttribute(spec.attrs.order_number);
    if (!number) { const n = document.querySelector(sel.detail_order_number); number = n ? n.textContent.trim() : ''; }
    return { id, number: String(number).slice(0, 64) };
  }

  function mountDetailAction(actions, order) {
    const { host, shadow } = shadowHost(T.action, 'detail');
    host.setAttribute(spec.attrs.order_number, order.number);
    const action = actionButton('action', L.export_action);
    const note = el('span', 'note');
    note.setAttribute('role', 'status');
    shadow.append(action, note);
    actions.append(host);
    register({ kind: 'detail', order, host, shadow, action, note });
  }

  function mountStatusField(header, order) {
    const { host, shadow } = shadowHost(T.status, 'status');
    host.setAttribute(spec.attrs.order_number, order.number);
    const label = el('span', 'label', L.status_field);
    const badge = el('span', 'badge');
    badge.setAttribute('role', 'status');
    shadow.append(label, badge);
    header.prepend(host);
    register({ kind: 'status', order, host, shadow, badge });
  }

  // ------------------------------------------------------------------ actions

  function noteTarget(w) { return (w.noteOf && w.noteOf()) || w; }

  async function retry(w) {
    if (!w.view || !w.view.badge) return;
    const orderId = w.view.order_id || w.order.id;
    if (!orderId) return;
    try {
      const ok = await request(M.retry_export, { order_id: orderId });
      if (ok && ok.data && ok.data.badge) applyView(ok.data);
    } catch (e) { setNote(noteTarget(w), e.message, true); }
  }

  async function getJson(path) {
    const r = await fetch(path, { credentials: 'same-origin', headers: { accept: 'application/json' } });
    if (r.status === 401) throw { message: L.session_expired };
    if (!r.ok) throw { message: L.read_failed, status: r.status };
    return r.json();
  }

  function productIds(order) {
    const f = spec.order_fields;
    const ids = [];
    for (const line of Array.isArray(order && order[f.lines]) ? order[f.lines] : []) {
      const id = line && line[f.product] && line[f.product][f.id];
      if (typeof id === 'string' && id && !ids.includes(id)) ids.push(id);
      if (ids.length >= spec.limits.max_products) break;
    }
    return ids;
  }

  async function fetchProducts(ids) {
    const out = new Array(ids.length);
    let next = 0;
    async function worker() {
      while (next < ids.length) {
        const i = next++;
        try { out[i] = await getJson(spec.api.product.replace('{id}', encode(ids[i]))); } catch (e) { /* a missing product is fine */ }
      }
    }
    await Promise.all(Array.from({ length: Math.min(spec.limits.fetch_concurrency, ids.length) }, worker));
    return out.filter((p) => p && typeof p === 'object');
  }

  function pageBrand() {
    const picker = document.querySelector(sel.brand_picker);
    const get = (a) => { const v = picker && picker.getAttribute(a); return v ? v.slice(0, 200) : null; };
    return { id: get(spec.attrs.brand_id), name: get(spec.attrs.brand_name) };
  }

  async function exportOrder(w, opener) {
    const n = noteTarget(w);
    if (orphaned || !api.runtime || !api.runtime.id) { markOrphaned(); return; }
    const badge = w.view && w.view.badge;
    if (badge && !badge.action_enabled) return;
    if (badge && badge.needs_link) {
      setNote(n, L.link_note, false);
      try { await request(M.open_linking); } catch (e) { setNote(n, e.message, true); }
      return;
    }
    if (w.busy) return;
    w.busy = true;
    renderAction(w);
    setNote(n, L.reading_order, false);
    try {
      const path = w.order.id ? spec.api.order_by_id.replace('{id}', encode(w.order.id)) : spec.api.order_by_number.replace('{number}', encode(w.order.number));
      const order = await getJson(path);
      const products = await fetchProducts(productIds(order));
      const ok = await request(M.stage_order, { order, products, brand: pageBrand() });
      if (ok.type !== M.staged) throw { message: "PO Bridge's background sent an answer this page does not understand. Reload the page." };
      setNote(n, '', false);
      openDialog(ok.data.order_id, opener);
    } catch (e) {
      setNote(n, (e && e.message) || L.read_failed, true);
    } finally {
      w.busy = false;
      renderAction(w);
    }
  }

  // ------------------------------------------------------------------ the export dialog overlay

  let overlay = null; // {host, orderId, opener, onKey}

  function openDialog(orderId, opener) {
    closeDialog(false);
    const { host, shadow } = shadowHost(T.overlay, 'overlay');
    const backdrop = el('div', 'backdrop');
    const frame = el('iframe', 'frame');
    frame.title = spec.dialog.title;
    frame.src = api.runtime.getURL(`${spec.dialog.page}?${spec.dialog.order_param}=${encode(orderId)}`);
    shadow.append(backdrop, frame);
    const onKey = (ev) => { if (ev.key === 'Escape') { ev.preventDefault(); ev.stopPropagation(); closeDialog(true); } };
    document.addEventListener('keydown', onKey, true);
    document.documentElement.append(host);
    overlay = { host, orderId, opener, onKey };
    frame.focus();
  }

  function closeDialog(restoreFocus) {
    if (!overlay) return;
    const { host, opener, onKey } = overlay;
    overlay = null;
    document.removeEventListener('keydown', onKey, true);
    host.remove();
    if (restoreFocus && opener && opener.isConnected) opener.focus();
  }

  // ------------------------------------------------------------------ page scanning

  let lastHref = null;
  let warned = new Set();
  let settleTimer = null;

  function checkAnchors() {
    const page = detect(location.pathname);
    if (!page) return;
    const byName = Object.fromEntries(spec.selectors.map((s) => [s.name, s]));
    for (const s of spec.selectors) {
      if (!s.required_on.includes(page.kind) || warned.has(s.name)) continue;
      let css = s.css;
      if (s.within) {
        const parent = byName[s.within];
        if (!parent || !document.querySelector(parent.css)) continue;
        css = parent.css + ' ' + s.css;
      }
      if (!document.querySelector(css)) {
        warned.add(s.name);
        warn(`selector "${s.name}" (${s.css}) found nothing on this ${page.kind} page; ${s.purpose}`);
      }
    }
  }

  function sweep() {
    for (const w of widgets) {
      if (w.host.isConnected) continue;
      widgets.delete(w);
      // A row the page detached and put back would be processed again.
      if (w.row && w.kind === 'row' && !w.row.isConnected) w.row.removeAttribute(spec.marker_attr);
    }
  }

  function mark(owner) {
    if (owner.hasAttribute(spec.marker_attr)) return false;
    owner.setAttribute(spec.marker_attr, '1');
    return true;
  }

  function scan() {
    if (location.href !== lastHref) {
      lastHref = location.href;
      warned = new Set();
      closeDialog(false);
      clearTimeout(settleTimer);
      settleTimer = setTimeout(checkAnchors, spec.limits.settle_ms);
    }
    sweep();
    if (!orphaned && (!api.runtime || !api.runtime.id)) markOrphaned();
    const page = detect(location.pathname);
    if (!page) return;
    if (page.kind === 'orders_list') {
      for (const row of document.querySelectorAll(sel.order_row)) {
        const n = rowNumber(row);
        if (!n) continue;
        if (!row.querySelector(`${T.action}[data-kind=row]`)) row.removeAttribute(spec.marker_attr);
        if (mark(row)) mountRow(row, n);
      }
      for (const menu of document.querySelectorAll(sel.row_actions_menu)) {
        const row = menu.closest(sel.order_row);
        const n = row && rowNumber(row);
        if (n && mark(menu)) mountMenuItem(menu, row, n);
      }
    } else if (page.kind === 'order_detail') {
      const root = document.querySelector(sel.detail_root);
      if (!root) return;
      const order = detailOrder(root);
      if (!order.number && !order.id) return;
      const actions = document.querySelector(sel.detail_actions);
      if (actions && mark(actions)) mountDetailAction(actions, order);
      const header = document.querySelector(sel.detail_header);
      if (header && mark(header)) mountStatusField(header, order);
    }
  }

  // ------------------------------------------------------------------ background events

  function onEvent(message) {
    if (!message || typeof message !== 'object' || message.v !== spec.protocol_version || !message.event) return;
    const ev = message.event;
    if (ev.type === M.event_status) applyView(ev.data);
    else if (ev.type === M.event_close_dialog) {
      const id = ev.data && ev.data.order_id;
      if (overlay && (!id || id === overlay.orderId)) closeDialog(true);
    }
    // anything else is ignored; no answer is sent
  }

  async function reportSession() {
    try {
      const r = await fetch(spec.api.session_me, { credentials: 'same-origin' });
      if (!r.ok) return;
      const session = await r.json();
      await request(M.report_nuorder_session, { session });
    } catch (e) { /* not signed in, or the extension was updated */ }
  }

  function startFallback() {
    document.documentElement.setAttribute('data-po-bridge-layer', 'fallback');
    try { api.runtime.onMessage.addListener((m) => { onEvent(m); }); } catch (e) { /* orphaned */ }
    reportSession();
    scan();
    new MutationObserver(scan).observe(document.body || document.documentElement, { childList: true, subtree: true });
    window.addEventListener('popstate', scan);
  }

  startWasm().catch((e) => {
    console.info('[PO Bridge] wasm unavailable on this page (' + (e && e.name) + '); using the fallback in-page layer');
    startFallback();
  });
})();

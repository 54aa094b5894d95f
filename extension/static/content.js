// PO Bridge content loader: the Rust/wasm in-page layer, or (when the page's CSP refuses wasm) this fallback, which
// only finds anchors, mounts widgets, renders views and sends messages. Data: PO_BRIDGE_SPEC (from src/inpage/); page
// readings: the background, answering with src/inpage/read.rs. Page data reaches the DOM only as text and attributes.
(function () {
  'use strict';
  const api = globalThis.browser ?? globalThis.chrome;
  const spec = globalThis.PO_BRIDGE_SPEC;
  const { selectors: S, labels: L, messages: M, attrs: A, views: V, limits: LIM, fetching: F } = spec;
  // ------------------------------------------------------------------ messaging
  let orphaned = false;
  const alive = () => !!(api.runtime && api.runtime.id);
  const warn = (msg) => console.warn('[PO Bridge] ' + msg);
  /** Send a request; resolves to the answer's data (which must hold `expect`), rejects with {code, message}. */
  async function ask(type, data, expect) {
    const gone = () => (markOrphaned(), { code: 'unsupported_version', message: L.extension_updated });
    if (!alive()) throw gone();
    const envelope = { v: spec.protocol_version, id: crypto.randomUUID(), req: { type, data } };
    const lost = () => { throw alive() ? { code: 'internal', message: L.no_answer } : gone(); };
    const reply = await api.runtime.sendMessage(envelope).catch(lost);
    if (reply && reply.err) throw reply.err.code === 'unsupported_version' ? gone() : reply.err;
    const ok = reply && typeof reply.ok === 'object' ? reply.ok : null;
    if (!ok || (expect && !(expect in Object(ok.data)))) throw { code: 'bad_reply', message: L.bad_reply };
    return ok.data;
  }
  // ------------------------------------------------------------------ widgets and their views
  const widgets = new Set(); // {kind, order: {order, path}, host, owner, row?, badge?, action?, note?, view?, error?, busy?}
  const cache = new Map(); // order number -> {at, view?, error?}
  let [sheet, overlay, page, session] = [null, null, { href: null }, null]; // overlay: {host, orderId, opener, onKey}
  const styleSheet = () => ((sheet = new CSSStyleSheet()).replaceSync(spec.widget_css), sheet);
  /** An element with text (never HTML) and attributes. */
  function el(tag, cls, text, attrs = {}) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) e.setAttribute(k, v);
    return e;
  }
  /** A widget host `<tag data-kind=kind>` holding `parts` in a shadow root styled by the spec's sheet. */
  function widget(tag, kind, parts) {
    const host = el(tag, null, null, { [spec.engine_attr]: 'fallback', 'data-kind': kind });
    const shadow = host.attachShadow({ mode: 'open' });
    try { shadow.adoptedStyleSheets = [sheet ?? styleSheet()]; } catch (e) { /* unstyled is still usable */ }
    shadow.append(...parts);
    return host;
  }
  /** The view a widget renders: the background's, else the spec's placeholder. */
  const viewOf = (w) =>
    orphaned ? V.orphaned : w.error !== undefined ? { ...V.unavailable, detail: w.error } : w.view?.badge ?? V.loading;
  function render(w) {
    const b = viewOf(w);
    if (w.badge) {
      w.badge.textContent = '';
      w.badge.className = 'badge tone-' + String(b.tone).replace(/[^a-z_]/g, '');
      w.badge.append(el('span', 'text', b.text));
      const [done, total] = Array.isArray(b.progress) ? b.progress : [];
      if (total !== undefined) w.badge.append(el('progress', 'progress', `${done} / ${total}`, { max: Math.max(1, total), value: done }));
      if (b.detail !== undefined && b.detail !== null) w.badge.append(el('span', 'detail', b.detail));
      if (b.link && spec.link_prefixes.some((prefix) => String(b.link.url).startsWith(prefix))) {
        w.badge.append(el('a', 'link', b.link.text, { href: b.link.url, target: '_blank', rel: 'noopener' }));
      }
      if (b.retry) w.badge.append(el('button', 'retry', L.retry, { type: 'button', 'data-role': 'retry' }));
      if (b.review) w.badge.append(el('button', 'review', L.review, { type: 'button', 'data-role': 'review' }));
    }
    if (w.action) Object.assign(w.action, { disabled: !!w.busy || !b.action_enabled, title: b.action_tooltip });
    if (w.select) renderSelect(w);
    if (orphaned) setNote(w, L.extension_updated, true);
  }
  /** A note next to the action; a menu entry's notes go to its row's widget. */
  function setNote(w, text, isError) {
    const t = w.kind !== 'menu' ? w : [...widgets].find((r) => r.kind === 'row' && r.row === w.row && r.host.isConnected);
    if (t && t.note) Object.assign(t.note, { textContent: text || '', className: 'note' + (isError ? ' error' : '') });
  }
  const markOrphaned = () => orphaned || ((orphaned = true), widgets.forEach(render));
  const number = (w) => w.order.order.order_number;
  function applyView(view) {
    if (!view || typeof view.order_number !== 'string') return;
    cache.set(view.order_number, { at: Date.now(), view });
    const mine = (w) => number(w) === view.order_number || (view.order_id && w.order.order.order_id === view.order_id);
    for (const w of widgets) if (mine(w)) render(Object.assign(w, { view, error: undefined }));
    if (!view.badge?.selectable && batch.selected.delete(view.order_number)) setTimeout(refreshBatch, 0);
  }
  /** Register mounted widgets: each shows its cached status, the others are asked for in batches. */
  async function register(mounted) {
    const orders = [];
    for (const w of mounted) {
      widgets.add(w);
      w.host.addEventListener('click', (ev) => {
        ev.stopPropagation(); // our clicks are ours: the row underneath must not open the order
        const clicked = ev.composedPath()[0]?.dataset?.role;
        if (!ev.isTrusted && clicked === 'select') ev.preventDefault(); // a page script's click toggles nothing
        const role = ev.isTrusted && clicked; // only the user acts (never a page script)
        if (role === 'select') return onSelect(w);
        if (role) ev.preventDefault();
        if (role === 'action') exportOrder(w);
        else if (role === 'retry' || role === 'review') retry(w);
      });
      const hit = cache.get(number(w));
      const cached = hit && Date.now() - hit.at < LIM.status_cache_ms;
      if (cached) Object.assign(w, { view: hit.view, error: hit.error });
      else if (!orders.some((o) => o.order_number === number(w))) orders.push(w.order.order);
      if (cached || orphaned || !w.loading) render(w); // a spare shows the loading view already
    }
    await session; // the background knows this tab's buyer before it is asked for statuses
    for (let i = 0; i < orders.length && !orphaned; i += LIM.max_status_batch) {
      const batch = orders.slice(i, i + LIM.max_status_batch);
      const asked = (w) => batch.some((o) => o.order_number === number(w));
      const failed = (e) => batch.forEach((o) => cache.set(o.order_number, { at: Date.now(), error: e.message })) ||
        widgets.forEach((w) => asked(w) && render(Object.assign(w, { error: e.message })));
      const shown = batch.map(shownRow).filter(Boolean);
      await ask(M.get_export_status, { orders: batch, shown }, 'statuses').then((d) => d.statuses.forEach(applyView), failed);
    }
  }
  /** What an order's list row shows of it (its Total and status cells, as text), for the background to compare. */
  function shownRow(order) {
    const w = [...widgets].find((x) => x.kind === 'row' && number(x) === order.order_number && x.row);
    const cell = (css) => w.row.querySelector(css)?.textContent ?? null;
    return w ? { order_number: order.order_number, total: cell(S.row_total), status: cell(S.row_status) } : null;
  }
  const templates = new Map(); // a spec widget template -> its parts as elements, built once (each widget clones them)
  /** Fresh parts of the spec's widget template `t`, by name: clones of its elements. */
  function partsOf(t) {
    if (!templates.has(t)) templates.set(t, t.parts.map((p) => el(p.tag, p.class, p.text, Object.fromEntries(p.attrs))));
    return Object.fromEntries(t.parts.map((p, i) => [p.part, templates.get(t)[i].cloneNode(true)]));
  }
  /** A new unmounted widget of the spec's template for `kind`: its host and its parts. */
  function build(kind) {
    const parts = partsOf(spec.widgets[kind]);
    return { host: widget(spec.widgets[kind].tag, kind, Object.values(parts)), parts };
  }
  // Row widgets built ahead while the page is idle: placed in new rows as they are found (`placeSpares`), each one's
  // order named when the background's reading comes. That reading cannot come before the page's frame that draws the
  // rows (the sandbox's 100 rows: 50-60 ms of layout and paint); building 100 widgets in the task that finds the rows
  // would cost more than placing built ones (issue 17's bench). A longer list builds the rest then.
  const spares = { rows: [], want: LIM.spare_rows, pending: false };
  function buildSpares(idle) {
    spares.pending = false;
    while (!orphaned && spares.rows.length < spares.want && (idle?.timeRemaining() ?? 1) > 0) {
      const spare = build('row');
      render({ kind: 'row', ...spare.parts });
      spare.host.addEventListener('click', (ev) => ev.stopPropagation()); // placed before its order is named: still ours
      spares.rows.push(spare);
    }
    spareUp();
  }
  function spareUp() {
    if (orphaned || spares.pending || spares.rows.length >= spares.want) return;
    spares.pending = true;
    if (typeof requestIdleCallback === 'function') requestIdleCallback(buildSpares);
    else setTimeout(buildSpares);
  }
  /** A row widget's host goes in the row's actions cell, before its kebab. */
  function placeInRow(row, host) {
    const cell = row.querySelector(S.row_actions_cell);
    const kebab = cell.querySelector(S.row_more_actions);
    cell.insertBefore(host, kebab && kebab.parentNode === cell ? kebab : null);
  }
  // On a page already read as an orders list, new rows get a spare (showing the loading view) in the task that finds
  // them, so each row shows its widget in the frame that draws it; the background's reading, which comes after that
  // frame, then names the spare's order (`mountOn`) or takes it back (`takeBack`). Until then it has no order and acts
  // on no click (it only keeps its clicks from the row).
  function placeSpares(found) {
    if (page.listPage !== true) return;
    for (const x of found) {
      if (x.kind === 'row' && spares.rows.length && x.a.querySelector(S.row_actions_cell)) placeInRow(x.a, (x.spare = spares.rows.pop()).host);
    }
  }
  function takeBack(found) {
    for (const x of found.filter((f) => f.spare && !f.mounted)) {
      x.spare.host.remove();
      spares.rows.push(x.spare);
    }
  }
  /** The widget for an anchor, built from the spec: its parts in a shadow root, its host placed in the anchor. */
  function mountOn(x, order) {
    const { a: anchor, kind, row, spare: placed } = x;
    x.mounted = true;
    const spare = placed || (kind === 'row' && spares.rows.pop());
    const { host, parts } = spare || build(kind);
    const t = spec.widgets[kind];
    host.setAttribute(A.order_number, order.order.order_number);
    if (parts.select) parts.select.setAttribute('aria-label', L.select_row.replace('{number}', order.order.order_number));
    if (t.place === 'row_cell') {
      // Shown on hover of the row or focus of the button (`:host([data-hover]) .icon, .icon:focus`).
      const hover = [['mouseenter', true], ['focusin', true], ['mouseleave', false], ['focusout', false]];
      hover.forEach(([type, on]) => row.addEventListener(type, () => host.toggleAttribute('data-hover', on)));
      if (!placed) placeInRow(anchor, host);
    } else anchor[t.place](host);
    return { kind, order, host, owner: anchor, row, ...parts, loading: !!spare };
  }
  // ------------------------------------------------------------------ the selection and its bar (issue 19)
  // Kept by order number with the page's brand when selected, outside the rows (re-renders, sorts, filters and brand
  // switches neither lose nor duplicate it); the bar lives in the document root. Its actions run on trusted clicks only.
  const batch = { selected: new Map(), set: null, busy: false, note: null, bar: null }; // selected: number -> {order, brand}
  const pageBrand = () => ({ id: attr(S.brand_picker, A.brand_id), name: attr(S.brand_picker, A.brand_name) });
  const selectable = (w) => !orphaned && !!w.view?.badge?.selectable;
  function renderSelect(w) {
    Object.assign(w.select, { hidden: !selectable(w), checked: selectable(w) && batch.selected.has(number(w)) });
  }
  function select(w) {
    if (batch.selected.has(number(w))) return true;
    if (batch.selected.size >= LIM.max_batch) return (batch.note = [L.batch_full, true]), false;
    batch.selected.set(number(w), { order: w.order, brand: pageBrand() });
    return true;
  }
  function onSelect(w) {
    if (!w.select.checked) batch.selected.delete(number(w));
    else if (select(w)) batch.note = null;
    refreshBatch();
  }
  function selectAll() {
    for (const w of widgets) if (w.kind === 'row' && w.host.isConnected && selectable(w) && !select(w)) break;
    refreshBatch();
  }
  function refreshBatch() {
    widgets.forEach((w) => w.select && renderSelect(w));
    const n = batch.selected.size, set = batch.set, running = set && !set.finished && !set.cancelled;
    if ((n || set) && !batch.bar?.host.isConnected) {
      const { host, parts } = build('bar');
      host.addEventListener('click', (ev) => {
        ev.stopPropagation();
        const role = ev.isTrusted && ev.composedPath()[0]?.dataset?.role;
        if (role === 'batch-export') exportBatch();
        else if (role === 'select-all') selectAll();
        else if (role === 'batch-cancel') cancelBatch();
      });
      document.documentElement.append(host);
      batch.bar = { host, ...parts };
    }
    const bar = batch.bar;
    if (!bar) return;
    bar.host.hidden = !(n || set);
    bar.count.textContent = running ? set.label : n ? L.selected_count.replace('{n}', n) : set ? set.label : '';
    Object.assign(bar.progress, { hidden: !set, max: Math.max(1, set?.total ?? 1), value: set?.done ?? 0 });
    Object.assign(bar.export, { hidden: !n, disabled: batch.busy, textContent: n === 1 ? L.batch_export_one : L.batch_export_many.replace('{n}', n) });
    bar.select_all.hidden = !n;
    bar.cancel.hidden = !running;
    Object.assign(bar.note, { textContent: batch.note?.[0] ?? '', className: 'note' + (batch.note?.[1] ? ' error' : '') });
  }
  async function exportBatch() {
    if (!alive()) return markOrphaned();
    if (batch.busy || !batch.selected.size) return;
    Object.assign(batch, { busy: true, note: [L.reading_orders, false] }), refreshBatch();
    try {
      const order_ids = [];
      for (const { order: o, brand: b } of [...batch.selected.values()]) {
        const { order, products, brand } = await readOrder(o, b);
        order_ids.push((await ask(M.stage_batch_order, { order, products, brand }, 'order_id')).order_id);
      }
      const staged = await ask(M.open_batch, { order_ids }, 'order_id');
      batch.note = null;
      if (staged.dialog) openDialog(staged.order_id, staged.dialog, batch.bar.export);
    } catch (e) {
      batch.note = [(e && e.message) || L.read_failed, true];
    }
    batch.busy = false;
    refreshBatch();
  }
  async function cancelBatch() {
    if (!batch.set) return;
    await ask(M.cancel_batch, { set_id: batch.set.set_id }, 'set_id').then(onSet, (e) => (batch.note = [e.message, true]));
    refreshBatch();
  }
  /** A batch's progress; a new batch clears the selection it was made from. */
  function onSet(view) {
    if (!view || typeof view.set_id !== 'string') return;
    if (batch.set?.set_id !== view.set_id) Object.assign(batch, { note: null }), batch.selected.clear();
    batch.set = view;
    refreshBatch();
  }
  // ------------------------------------------------------------------ actions and the dialog overlay
  // Retry opens the dialog (a write is only ever started from an extension page).
  const retry = (w) => w.view && exportOrder(w, true);
  /** A NuORDER API document, read with the page's session. */
  async function getJson(path) {
    const r = await fetch(path, { credentials: F.credentials, headers: { accept: F.accept } }).catch(() => null);
    if (r && r.status === F.expired_status) throw { message: L.session_expired };
    const doc = r && r.ok ? await r.json().catch(() => undefined) : undefined;
    if (doc === undefined) throw { message: L.read_failed };
    return doc;
  }
  async function exportOrder(w, retrying) {
    if (!alive()) return markOrphaned();
    const b = w.view && w.view.badge;
    if ((b && !b.action_enabled && !retrying) || w.busy) return;
    if (b && b.needs_link && !retrying) return setNote(w, L.link_note, false), ask(M.open_linking).catch((e) => setNote(w, e.message, true));
    // Focus returns to the action; a menu entry goes away with its menu, so to the row's kebab then.
    const opener = w.kind === 'menu' ? w.row.querySelector(S.row_more_actions) : w.action;
    render(Object.assign(w, { busy: true }));
    setNote(w, L.reading_order, false);
    try {
      const staged = await ask(M.stage_order, await readOrder(w.order, pageBrand()), 'order_id');
      setNote(w, '', false);
      if (staged.dialog) openDialog(staged.order_id, staged.dialog, opener); // its path carries the capability; none: a window (Firefox)
    } catch (e) {
      setNote(w, (e && e.message) || L.read_failed, true);
    }
    render(Object.assign(w, { busy: false }));
  }
  /** An order and its products read from NuORDER's API (the page's brand given), as staging takes them. */
  async function readOrder(ref, pageBrand) {
    const order = await getJson(ref.path);
    const reads = await ask(M.order_reads, { order, brand: pageBrand }, 'products');
    const products = []; // read `fetch_concurrency` at a time; a product that cannot be read is left out
    for (let i = 0; i < reads.products.length; i += LIM.fetch_concurrency) {
      const chunk = reads.products.slice(i, i + LIM.fetch_concurrency).map((p) => getJson(p).catch(() => null));
      products.push(...(await Promise.all(chunk)).filter((p) => p && typeof p === 'object'));
    }
    return { order, products, brand: reads.brand };
  }
  /** The popup's Export this order: the order at `path` read and staged. */
  const readAndStage = async (path) => ask(M.stage_order, await readOrder({ path }, pageBrand()), 'order_id');
  /**
   * The overlay's frame is `dialog.html` without its capability (a page script could read the
   * frame's address from the DOM): the capability goes by message to our frame only, once it asks.
   */
  function openDialog(orderId, path, opener) {
    closeDialog(false);
    // Sent to the extension's origin only: a frame the page navigated elsewhere gets nothing.
    const [page, cap] = path.split(spec.cap_query), ours = api.runtime.getURL('');
    const frame = el('iframe', 'frame', null, { title: L.export_action, src: api.runtime.getURL(cap ? page : path) });
    const host = widget(spec.tags.overlay, 'overlay', [el('div', 'backdrop'), frame]);
    const onKey = (ev) => ev.key === 'Escape' && (ev.preventDefault(), ev.stopPropagation(), closeDialog(true));
    const onAsk = (ev) => {
      const dialog = frame.contentWindow;
      if (cap && dialog && ev.source === dialog && ev.data === spec.dialog_ready) dialog.postMessage(cap, ours);
    };
    document.addEventListener('keydown', onKey, true);
    window.addEventListener('message', onAsk);
    document.documentElement.append(host);
    overlay = { host, orderId, opener, onKey, onAsk };
    frame.focus();
    watchPosition(frame);
  }
  /** Each animation frame: tell the dialog when the page moved our frame (its Export waits 500 ms again). */
  function watchPosition(frame, last) {
    if (!frame.isConnected) return;
    const r = frame.getBoundingClientRect(), now = [r.x, r.y, r.width, r.height].join();
    if (last !== undefined && now !== last) frame.contentWindow?.postMessage(spec.overlay_moved, api.runtime.getURL(''));
    requestAnimationFrame(() => watchPosition(frame, now));
  }
  function closeDialog(restoreFocus) {
    const o = overlay;
    overlay = null;
    if (o) o.host.remove(), document.removeEventListener('keydown', o.onKey, true), window.removeEventListener('message', o.onAsk);
    if (restoreFocus && o?.opener?.isConnected) o.opener.focus();
  }
  // ------------------------------------------------------------------ page scanning
  const mark = (a) => !a.hasAttribute(spec.marker_attr) && (a.setAttribute(spec.marker_attr, '1'), true);
  const unmark = (anchors) => anchors.forEach((a) => a.removeAttribute(spec.marker_attr));
  const [query, attr] = [(css) => document.querySelector(css), (css, name) => query(css)?.getAttribute(name) ?? null];
  /** The anchors not processed yet (marked now) with their widget's kind, and what they say, raw. */
  function gather() {
    const all = (css, kind) => [...document.querySelectorAll(css)].map((a) => ({ a, kind, row: a.closest(S.order_row) }));
    const detail = query(S.detail_root) ? [{ a: query(S.detail_actions), kind: 'detail' }, { a: query(S.detail_header), kind: 'status' }] : [];
    const found = [...all(S.order_row, 'row'), ...all(S.row_actions_menu, 'menu'), ...detail]
      .filter((x) => x.a && (x.kind !== 'menu' || x.row) && mark(x.a));
    const rows = found.filter((x) => x.row).map((x) => x.row.getAttribute(A.row_number) ?? '');
    const snapshot = { path: location.pathname, rows, detail: null };
    const [order_id, order_number] = [attr(S.detail_root, A.order_id), attr(S.detail_root, A.order_number)];
    const number_text = query(S.detail_order_number)?.textContent ?? null;
    if (found.some((x) => !x.row)) snapshot.detail = { order_id, order_number, number_text };
    return { found, snapshot };
  }
  /** Mount the widgets the reading names orders for (no row cell: named by checkAnchors; no order: read again). */
  function mount(found, reading) {
    let i = 0;
    const mounted = [];
    for (const x of found) {
      const order = x.row ? reading.rows[i++] : reading.detail;
      if (!reading.order_page || (!x.row && !order)) unmark([x.a]);
      else if (order && (x.kind !== 'row' || x.a.querySelector(S.row_actions_cell))) mounted.push(mountOn(x, order));
    }
    takeBack(found);
    register(mounted);
    if (reading.order_page && reading.detail && found.some((x) => !x.row)) observe(reading.detail);
  }
  /** The detail page's read: the background compares the order with what its PO was made from and answers its status. */
  async function observe(o) {
    await session;
    const order = await getJson(o.path).catch(() => undefined);
    const answer = order === undefined ? null : await ask(M.observe_order, { order }, 'statuses').catch(() => null);
    if (answer) answer.statuses.forEach(applyView);
  }
  async function scan() {
    const changed = location.href !== page.href;
    if (changed) closeDialog(false);
    if (changed) setTimeout(checkAnchors, LIM.settle_ms, (page = { href: location.href, anchors: [], warned: new Set() }));
    for (const w of widgets) if (!w.host.isConnected) widgets.delete(w) && w.owner.removeAttribute(spec.marker_attr);
    if (!alive()) markOrphaned();
    if (page.orderPage === false) return;
    const { found, snapshot } = gather();
    if (!found.length && !changed) return;
    const p = page;
    placeSpares(found);
    const reading = await ask(M.read_page, snapshot, 'rows').catch(() => null);
    if (!reading || p !== page) return takeBack(found), unmark(found.map((x) => x.a)), reading && scan();
    Object.assign(p, { orderPage: reading.order_page, listPage: reading.list_page, anchors: reading.anchors });
    mount(found, reading);
    if (reading.list_page) spareUp();
  }
  /** Name every anchor this page should have but does not (once per page). */
  /** Name the anchors this page lacks (once), and report the page with their names (the popup's *This page*). */
  function checkAnchors(p) {
    if (p !== page) return;
    const missing = p.anchors.filter((a) => (!a.within || query(a.within)) && !query(a.css));
    for (const a of missing) if (!p.warned.has(a.css)) p.warned.add(a.css) && warn(a.warning);
    ask(M.report_page, { path: location.pathname, missing: missing.map((a) => a.name) }).catch(() => {});
  }
  // ------------------------------------------------------------------ background events, start
  function onEvent(message) {
    if (!message || message.v !== spec.protocol_version || typeof message.event !== 'object' || !message.event) return;
    const { type, data } = message.event;
    if (type === M.event_status) applyView(data);
    if (type === M.event_set) onSet(data);
    if (type === M.event_close_dialog && overlay && [undefined, null, overlay.orderId].includes(data?.order_id)) closeDialog(true);
    const popupExport = (s) => s.dialog && openDialog(s.order_id, s.dialog, null);
    if (type === M.event_export_order) readAndStage(data.path).then(popupExport, (e) => warn((e && e.message) || L.read_failed));
  }
  async function reportSession() {
    // null: NuORDER says the session ended (the tab is nobody's now); undefined: no answer.
    const session = await getJson(F.session_me).catch((e) => (e && e.message === L.session_expired ? null : undefined));
    const failed = (e) => warn(`${L.session_not_reported}: ${e.message}`);
    if (session !== undefined) await ask(M.report_nuorder_session, { session }).catch(failed);
  }
  function startFallback() {
    document.documentElement.setAttribute('data-po-bridge-layer', 'fallback');
    try { api.runtime.onMessage.addListener((m) => { onEvent(m); }); } catch (e) { /* orphaned */ }
    session = Promise.race([reportSession(), new Promise((done) => setTimeout(done, LIM.session_wait_ms))]);
    // The batch this tab started that still runs: the bar shows it at once after a reload.
    session.then(() => ask(M.get_batch, undefined, 'set')).then((d) => d.set && !batch.set && onSet(d.set), () => {});
    scan();
    new MutationObserver(scan).observe(document.body || document.documentElement, { childList: true, subtree: true });
    window.addEventListener('popstate', scan);
  }
  const wasm = (mod) => mod.default({ module_or_path: api.runtime.getURL('pkg/po_bridge_content_bg.wasm') });
  import(api.runtime.getURL('pkg/po_bridge_content.js')).then((mod) => wasm(mod).then(() => mod.start(api, spec.widget_css))).catch((e) => {
    console.info('[PO Bridge] wasm unavailable on this page (' + (e && e.name) + '); using the fallback in-page layer');
    startFallback();
  });
})();

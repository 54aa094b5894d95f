// NuORDER sandbox app: a retailer's orders, rendered client-side under a strict CSP.
// Every piece of order data goes into the DOM as text (append of strings / textContent), never as
// markup: the fixture corpus holds names like `<img src=x onerror=alert(1)>` on purpose.
(function () {
  'use strict';

  const root = document.getElementById('root');
  const STATUSES = ['draft', 'review', 'pending', 'approved', 'processed', 'shipped', 'cancelled'];
  const COLUMNS = [
    { key: 'order_number', label: 'Order #', test: 'order-number' },
    { key: 'created_on', label: 'Created on', test: 'created-on' },
    { key: 'company_name', label: 'Company', test: 'company-name' },
    { key: 'status', label: 'Status', test: 'order-status' },
    { key: 'total', label: 'Total', test: 'total' },
  ];
  const state = {
    me: null,
    brands: [],
    brandId: null,
    gen: 0, // bumped on every route render; stale async work checks it
    listGen: 0, // bumped on every orders-list load
    menu: null, // {menu, button} of the open row menu
    searchTimer: null,
  };
  let chrome = null; // persistent header, nav and content area

  // ------------------------------------------------------------------ helpers

  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const k of kids) {
      if (k === null || k === undefined || k === false) continue;
      e.append(typeof k === 'string' || typeof k === 'number' ? String(k) : k); // strings become text nodes
    }
    return e;
  }

  function spinner(label) {
    return el('div', { class: 'spinner-wrap', 'data-test': 'loading' },
      el('div', { class: 'spinner', role: 'progressbar', mode: 'indeterminate', 'aria-label': label || 'Loading' }));
  }

  class Expired extends Error {}
  class HttpError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  function toLogin() {
    location.assign('/login?next=' + encodeURIComponent(location.pathname + location.search));
  }

  async function api(path) {
    const r = await fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (r.status === 401) {
      toLogin();
      throw new Expired('session expired');
    }
    if (!r.ok) {
      let msg = r.statusText;
      try { msg = (await r.json()).message || msg; } catch (_) { /* not JSON */ }
      throw new HttpError(r.status, msg);
    }
    return r.json();
  }

  function money(value, currency) {
    const n = Number(value);
    if (value === null || value === undefined || value === '' || Number.isNaN(n)) return '—';
    try {
      return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency || 'USD' }).format(n);
    } catch (_) {
      return (currency || '') + ' ' + n.toFixed(2);
    }
  }

  function day(iso) {
    if (!iso) return '—';
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return String(iso);
    const p = (x) => String(x).padStart(2, '0');
    return p(d.getUTCMonth() + 1) + '/' + p(d.getUTCDate()) + '/' + d.getUTCFullYear();
  }

  function fold(s) {
    return String(s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  }

  function brandById(id) {
    return state.brands.find((b) => b._id === id) || null;
  }

  function listPath(brandId) { return '/brand/' + encodeURIComponent(brandId) + '/orders'; }
  function detailPath(brandId, orderId) { return '/brand/' + encodeURIComponent(brandId) + '/order/' + encodeURIComponent(orderId); }

  function navigate(path) {
    history.pushState({}, '', path);
    render();
  }

  function plainClick(ev) {
    return ev.button === 0 && !ev.metaKey && !ev.ctrlKey && !ev.shiftKey && !ev.altKey;
  }

  function setBusy(busy) {
    chrome.main.setAttribute('aria-busy', busy ? 'true' : 'false');
    if (!busy) chrome.main.setAttribute('data-rendered-path', location.pathname);
  }

  // ------------------------------------------------------------------ chrome: header, brand picker, nav

  function buildChrome() {
    const pickerButton = el('button', { type: 'button', class: 'brand-picker-button', 'data-test': 'brand-picker-button', 'aria-haspopup': 'listbox', 'aria-expanded': 'false' });
    const pickerName = el('span', { class: 'brand-picker-name', 'data-test': 'current-brand-name' });
    pickerButton.append(el('span', { class: 'brand-picker-label' }, 'Brand'), pickerName, el('span', { class: 'caret', 'aria-hidden': 'true' }, '▾'));
    const picker = el('div', { class: 'brand-picker', 'data-test': 'brand-picker' }, pickerButton);
    pickerButton.addEventListener('click', (ev) => {
      ev.stopPropagation();
      if (picker.querySelector('.brand-menu')) closePicker(); else openPicker();
    });

    const user = state.me.user || {};
    const retailer = state.me.retailer || {};
    const account = el('div', { class: 'account', 'data-test': 'account' },
      el('div', { class: 'account-who' },
        el('span', { class: 'account-user', 'data-test': 'current-user', 'data-email': user.email || '' }, user.name || user.email || ''),
        el('span', { class: 'account-retailer', 'data-test': 'current-retailer', 'data-retailer-id': retailer._id || '' }, retailer.retailer_name || '')),
      el('form', { method: 'post', action: '/logout', class: 'sign-out-form' },
        el('button', { type: 'submit', class: 'link-button', 'data-test': 'sign-out' }, 'Sign out')));

    const header = el('header', { class: 'topbar', 'data-test': 'main-header' },
      picker, el('div', { class: 'logo', 'aria-label': 'NuORDER' }, 'NuORDER'), account);
    const ordersLink = el('a', { href: '/', 'data-test': 'orders', 'data-nav': '', class: 'nav-link' }, 'Orders');
    const nav = el('nav', { class: 'site-nav', 'data-test': 'site-nav' },
      ordersLink,
      el('span', { class: 'nav-link disabled', 'aria-disabled': 'true' }, 'Linesheets'),
      el('span', { class: 'nav-link disabled', 'aria-disabled': 'true' }, 'Catalog'));
    const main = el('main', { class: 'content', id: 'content', 'data-test': 'content', 'aria-busy': 'true' });
    root.replaceChildren(header, el('div', { class: 'layout' }, nav, main));
    chrome = { picker, pickerName, pickerButton, ordersLink, main };
  }

  function updateChrome(brandId) {
    const brand = brandById(brandId);
    chrome.picker.setAttribute('data-brand-id', brandId || '');
    chrome.picker.setAttribute('data-brand-name', brand ? brand.name : '');
    chrome.pickerName.textContent = brand ? brand.name : 'Select brand';
    if (brandId) chrome.ordersLink.setAttribute('href', listPath(brandId));
  }

  function openPicker() {
    closeMenu();
    const search = el('input', { type: 'search', class: 'brand-search', 'data-test': 'brand-search', placeholder: 'Search brands', 'aria-label': 'Search brands', autocomplete: 'off' });
    const list = el('ul', { class: 'brand-options', role: 'listbox' });
    const empty = el('p', { class: 'brand-empty', 'data-test': 'brand-search-empty', hidden: true }, 'No brands match');
    for (const b of state.brands) {
      const opt = el('button', { type: 'button', role: 'option', class: 'brand-option', 'data-test': b.slug, 'data-brand-id': b._id, 'aria-selected': b._id === state.brandId ? 'true' : 'false' }, b.name);
      opt.addEventListener('click', (ev) => {
        ev.stopPropagation();
        closePicker();
        navigate(listPath(b._id));
      });
      list.append(el('li', {}, opt));
    }
    search.addEventListener('input', () => {
      const q = fold(search.value.trim());
      let shown = 0;
      for (const li of list.children) {
        const match = !q || fold(li.firstChild.textContent).includes(q);
        li.hidden = !match;
        if (match) shown++;
      }
      empty.hidden = shown !== 0;
    });
    search.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter') {
        const first = Array.from(list.children).find((li) => !li.hidden);
        if (first) first.firstChild.click();
      }
    });
    const menu = el('div', { class: 'brand-menu', 'data-test': 'brand-menu' }, search, list, empty);
    menu.addEventListener('click', (ev) => ev.stopPropagation());
    chrome.picker.append(menu);
    chrome.pickerButton.setAttribute('aria-expanded', 'true');
    search.focus();
  }

  function closePicker() {
    if (!chrome) return;
    const menu = chrome.picker.querySelector('.brand-menu');
    if (menu) menu.remove();
    chrome.pickerButton.setAttribute('aria-expanded', 'false');
  }

  // ------------------------------------------------------------------ row menu (kebab)

  function openMenu(button, brandId, order) {
    closeMenu();
    closePicker();
    const view = el('a', { href: detailPath(brandId, order._id), role: 'menuitem', class: 'menu-item', 'data-test': 'action-view', 'data-nav': '' }, 'View order');
    const pdf = el('a', { href: '/api/order/' + encodeURIComponent(order._id) + '/pdf', role: 'menuitem', class: 'menu-item', 'data-test': 'action-pdf', target: '_blank', rel: 'noopener' }, 'Download PDF');
    const menu = el('div', { class: 'more-actions-menu', role: 'menu', 'data-test': 'more-actions-menu' }, view, pdf);
    menu.addEventListener('click', (ev) => {
      ev.stopPropagation();
      if (ev.target.closest('a')) setTimeout(closeMenu, 0);
      if (ev.target.closest('a[data-nav]') && plainClick(ev)) {
        ev.preventDefault();
        closeMenu();
        navigate(view.getAttribute('href'));
      }
    });
    button.after(menu);
    button.setAttribute('aria-expanded', 'true');
    state.menu = { menu, button };
  }

  function closeMenu() {
    if (!state.menu) return;
    state.menu.menu.remove();
    state.menu.button.setAttribute('aria-expanded', 'false');
    state.menu = null;
  }

  // ------------------------------------------------------------------ orders list

  function listQuery() {
    const p = new URLSearchParams(location.search);
    return { status: p.get('status') || '', q: p.get('q') || '', sort: p.get('sort') || 'created_on', dir: p.get('dir') || (p.get('sort') && p.get('sort') !== 'created_on' ? 'asc' : 'desc') };
  }

  function setListQuery(q) {
    const p = new URLSearchParams();
    if (q.status) p.set('status', q.status);
    if (q.q) p.set('q', q.q);
    if (q.sort !== 'created_on' || q.dir !== 'desc') { p.set('sort', q.sort); p.set('dir', q.dir); }
    const s = p.toString();
    history.replaceState(history.state, '', location.pathname + (s ? '?' + s : ''));
  }

  function renderList(brandId, gen) {
    const brand = brandById(brandId);
    document.title = 'Orders · ' + (brand ? brand.name : 'NuORDER') + ' · NuORDER';
    const q = listQuery();
    const status = el('select', { class: 'status-filter', 'data-test': 'status-filter', 'aria-label': 'Status' },
      el('option', { value: '' }, 'All statuses'),
      ...STATUSES.map((s) => el('option', { value: s }, s[0].toUpperCase() + s.slice(1))));
    status.value = q.status;
    const search = el('input', { type: 'search', class: 'order-search', 'data-test': 'order-search', placeholder: 'Search order #, company or PO', 'aria-label': 'Search orders', value: q.q });
    const count = el('span', { class: 'order-count', 'data-test': 'order-count' });
    const region = el('div', { class: 'ordersPageOrdersList', 'data-test': 'order-list-region' });
    const page = el('section', { class: 'orders-page', 'data-test': 'orders-page' },
      el('div', { class: 'page-head' }, el('h1', {}, 'Orders'), el('span', { class: 'page-sub', 'data-test': 'orders-brand-name' }, brand ? brand.name : '')),
      el('div', { class: 'toolbar', 'data-test': 'order-toolbar' }, el('label', { class: 'toolbar-label' }, 'Status ', status), search, count),
      region);
    chrome.main.replaceChildren(page);

    const reload = () => {
      const cur = listQuery();
      cur.status = status.value;
      cur.q = search.value.trim();
      setListQuery(cur);
      loadRows(brandId, region, count, gen);
    };
    status.addEventListener('change', reload);
    search.addEventListener('input', () => {
      clearTimeout(state.searchTimer);
      state.searchTimer = setTimeout(reload, 250);
    });
    search.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter') { clearTimeout(state.searchTimer); reload(); }
    });
    loadRows(brandId, region, count, gen);
  }

  async function loadRows(brandId, region, count, gen) {
    const mine = ++state.listGen;
    closeMenu();
    setBusy(true);
    region.replaceChildren(spinner('Loading orders'));
    count.textContent = '';
    const q = listQuery();
    const params = new URLSearchParams({ sort: q.sort, dir: q.dir });
    if (q.status) params.set('status', q.status);
    if (q.q) params.set('q', q.q);
    let orders;
    try {
      orders = await api('/api/brand/' + encodeURIComponent(brandId) + '/orders?' + params.toString());
    } catch (e) {
      if (e instanceof Expired || mine !== state.listGen || gen !== state.gen) return;
      const notFound = e instanceof HttpError && e.status === 404;
      region.replaceChildren(el('p', { class: 'empty', 'data-test': notFound ? 'brand-not-found' : 'load-error' }, notFound ? 'This brand is not connected to your account.' : 'Could not load orders: ' + e.message));
      setBusy(false);
      return;
    }
    if (mine !== state.listGen || gen !== state.gen) return; // a newer load or route won
    count.textContent = orders.length === 1 ? '1 order' : orders.length + ' orders';
    if (orders.length === 0) {
      region.replaceChildren(el('p', { class: 'empty', 'data-test': 'no-orders' }, 'No orders found'));
      setBusy(false);
      return;
    }
    const headRow = el('tr', {});
    for (const c of COLUMNS) {
      const active = q.sort === c.key;
      const btn = el('button', { type: 'button', class: 'sort-button', 'data-test': 'sort-' + c.key }, c.label, active ? (q.dir === 'asc' ? ' ▲' : ' ▼') : '');
      btn.addEventListener('click', () => {
        const cur = listQuery();
        if (cur.sort === c.key) cur.dir = cur.dir === 'asc' ? 'desc' : 'asc';
        else { cur.sort = c.key; cur.dir = c.key === 'created_on' ? 'desc' : 'asc'; }
        setListQuery(cur);
        loadRows(brandId, region, count, gen);
      });
      headRow.append(el('th', { scope: 'col', 'aria-sort': active ? (q.dir === 'asc' ? 'ascending' : 'descending') : 'none' }, btn));
    }
    headRow.append(el('th', { scope: 'col', class: 'actions-col' }, el('span', { class: 'visually-hidden' }, 'Actions')));
    const tbody = el('tbody', {});
    for (const o of orders) tbody.append(orderRow(brandId, o));
    region.replaceChildren(el('table', { class: 'orders-table', 'data-test': 'order-list', 'data-brand-id': brandId }, el('thead', {}, headRow), tbody));
    setBusy(false);
  }

  function orderRow(brandId, o) {
    const href = detailPath(brandId, o._id);
    const kebab = el('button', { type: 'button', class: 'kebab', 'data-test': 'more-actions-icon', 'aria-label': 'More actions', 'aria-haspopup': 'menu', 'aria-expanded': 'false' }, '⋮');
    const retailer = o.retailer || {};
    const tr = el('tr', { class: 'order-row', 'data-test': 'order-record-' + o.order_number, 'data-order-id': o._id, tabindex: '0' },
      el('td', { 'data-test': 'order-number' }, el('a', { href, class: 'order-link', 'data-nav': '' }, o.order_number)),
      el('td', { 'data-test': 'created-on' }, day(o.created_on)),
      el('td', { 'data-test': 'company-name' }, retailer.retailer_name || ''),
      el('td', { 'data-test': 'order-status' }, el('span', { class: 'status-badge status-' + fold(o.status) }, o.status || '')),
      el('td', { 'data-test': 'total', class: 'num' }, money(o.total, o.currency_code)),
      el('td', { class: 'actions-cell', 'data-test': 'row-actions' }, kebab));
    kebab.addEventListener('click', (ev) => {
      ev.stopPropagation();
      if (state.menu && state.menu.button === kebab) closeMenu(); else openMenu(kebab, brandId, o);
    });
    tr.addEventListener('click', (ev) => {
      // Clicks on controls inside the row (ours or anyone's) do not open the order.
      const control = ev.target.closest('button, input, select, textarea, label, [role="menu"], a:not(.order-link)');
      if (control && tr.contains(control)) return;
      if (!plainClick(ev)) return; // let the browser open the order link in a new tab
      ev.preventDefault();
      navigate(href);
    });
    tr.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' && ev.target === tr) navigate(href);
    });
    return tr;
  }

  // ------------------------------------------------------------------ order detail

  function field(label, test, value) {
    return el('div', { class: 'field' }, el('dt', {}, label), el('dd', { 'data-test': test }, value === null || value === undefined || value === '' ? '—' : String(value)));
  }

  function address(test, title, a) {
    a = a || {};
    const lines = [a.display_name, a.line_1, a.line_2, [a.city, a.state, a.zip].filter(Boolean).join(', '), a.country].filter(Boolean);
    const box = el('address', {});
    lines.forEach((l, i) => {
      if (i) box.append(el('br', {}));
      box.append(String(l));
    });
    return el('div', { class: 'address-box', 'data-test': test }, el('h2', {}, title), box);
  }

  async function renderDetail(brandId, orderId, gen) {
    setBusy(true);
    chrome.main.replaceChildren(spinner('Loading order'));
    let order;
    try {
      order = await api('/api/order/' + encodeURIComponent(orderId));
    } catch (e) {
      if (e instanceof Expired || gen !== state.gen) return;
      chrome.main.replaceChildren(el('section', { class: 'not-found', 'data-test': 'order-not-found' },
        el('h1', {}, 'Order not found'),
        el('a', { href: listPath(brandId), 'data-nav': '', 'data-test': 'back-to-orders' }, '← Back to orders')));
      setBusy(false);
      return;
    }
    if (gen !== state.gen) return;
    document.title = 'Order #' + order.order_number + ' · NuORDER';
    const cur = order.currency_code || 'USD';
    const brand = brandById(brandId);
    const retailer = order.retailer || {};
    const od = order.order_discounts || {};

    const actions = el('div', { class: 'order-actions', 'data-test': 'order-actions' },
      el('a', { class: 'btn', href: '/api/order/' + encodeURIComponent(order._id) + '/pdf', target: '_blank', rel: 'noopener', 'data-test': 'order-pdf-button' }, 'PDF'));
    const top = el('div', { class: 'detail-top' },
      el('div', { class: 'detail-title' },
        el('a', { href: listPath(brandId), 'data-nav': '', class: 'back-link', 'data-test': 'back-to-orders' }, '← Orders'),
        el('h1', {}, 'Order #', el('span', { 'data-test': 'order-detail-number' }, order.order_number)),
        el('span', { class: 'status-badge status-' + fold(order.status), 'data-test': 'order-status' }, order.status || '')),
      actions);

    const shipWindow = day(order.start_ship) + ' – ' + day(order.end_ship);
    const header = el('section', { class: 'order-header', 'data-test': 'order-header' }, el('dl', { class: 'fields' },
      field('Brand', 'order-field-brand', order.__brand_name || (brand ? brand.name : '')),
      field('Retailer', 'order-field-retailer', retailer.retailer_name),
      field('Buyer', 'order-field-buyer', [retailer.buyer_name, retailer.buyer_email].filter(Boolean).join(' · ')),
      field('Customer PO #', 'order-field-po', order.customer_po_number),
      field('Sales rep', 'order-field-rep', order.rep_name),
      field('Created on', 'order-field-created', day(order.created_on)),
      field('Ship window', 'order-field-ship-window', shipWindow),
      field('Currency', 'order-field-currency', cur),
      field('Total units', 'order-field-total-quantity', order.total_quantity),
      field('Total', 'order-field-total', money(order.total, cur))));

    const addresses = el('section', { class: 'addresses' },
      address('shipping-address', 'Ship to', order.shipping_address),
      address('billing-address', 'Bill to', order.billing_address));
    const notes = order.notes ? el('section', { class: 'notes', 'data-test': 'order-notes' }, el('h2', {}, 'Notes'), el('p', {}, order.notes)) : null;

    const lines = el('section', { class: 'order-lines', 'data-test': 'order-lines' }, el('h2', {}, 'Items'));
    const groups = new Map();
    for (const li of order.line_items || []) {
      const p = li.product || {};
      const key = p.style_number || '';
      if (!groups.has(key)) {
        const g = el('section', { class: 'style-group', 'data-test': 'style-group', 'data-style-number': key },
          el('h3', {}, el('span', { 'data-test': 'style-number' }, key), ' ', el('span', { class: 'style-name', 'data-test': 'style-name' })));
        groups.set(key, g);
        lines.append(g);
      }
      groups.get(key).append(lineItem(li, cur));
    }

    const totals = el('section', { class: 'order-totals', 'data-test': 'order-totals' }, el('dl', {},
      field('Subtotal', 'total-original', money(od.original_total, cur)),
      Number(od.total_line_items_discount) ? field('Line discounts', 'total-line-discounts', '−' + money(od.total_line_items_discount, cur)) : null,
      Number(od.total_order_level_discount) ? field('Order discount (' + (order.discount || 0) + '%)', 'total-order-discount', '−' + money(od.total_order_level_discount, cur)) : null,
      Number(od.surcharge) ? field('Surcharge (' + (order.additional_percentage || 0) + '%)', 'total-surcharge', money(od.surcharge, cur)) : null,
      Number(od.shipping_final_amount) ? field('Shipping', 'total-shipping', money(od.shipping_final_amount, cur)) : null,
      field('Total', 'total-final', money(order.total, cur))));

    const detail = el('article', { class: 'order-detail', 'data-test': 'order-detail', 'data-order-id': order._id, 'data-order-number': order.order_number },
      top, header, addresses, notes, lines, totals);
    chrome.main.replaceChildren(detail);
    setBusy(false);
    fillProductNames(detail, order, gen);
  }

  function lineItem(li, cur) {
    const p = li.product || {};
    const sizes = li.sizes || [];
    const packs = sizes.some((s) => Number(s.units_per_pack) > 1);
    const head = el('tr', {}, el('th', { scope: 'row' }, 'Size'));
    const upc = el('tr', { 'data-test': 'size-row-upc' }, el('th', { scope: 'row' }, 'UPC'));
    const qty = el('tr', { 'data-test': 'size-row-qty' }, el('th', { scope: 'row' }, 'Qty'));
    const pack = el('tr', { 'data-test': 'size-row-pack' }, el('th', { scope: 'row' }, 'Units / pack'));
    const price = el('tr', { 'data-test': 'size-row-price' }, el('th', { scope: 'row' }, 'Price'));
    let units = 0;
    let value = 0;
    for (const s of sizes) {
      const n = Number(s.quantity) || 0;
      const upp = Number(s.units_per_pack) > 1 ? Number(s.units_per_pack) : 1;
      units += n * upp;
      value += n * upp * (Number(s.price) || 0);
      head.append(el('th', { scope: 'col', 'data-test': 'size-label' }, String(s.size)));
      const code = s.upc === undefined || s.upc === null || s.upc === '' ? null : String(s.upc);
      upc.append(el('td', { 'data-test': 'size-upc', class: code && code !== 'N/A' ? 'mono' : 'mono missing' }, code === null ? '—' : code));
      qty.append(el('td', { 'data-test': 'size-qty', class: n === 0 ? 'num zero' : 'num' }, String(s.quantity)));
      pack.append(el('td', { 'data-test': 'size-pack', class: 'num' }, String(upp)));
      const cell = el('td', { 'data-test': 'size-price', class: 'num' }, money(s.price, cur));
      if (s.original_price !== undefined && Number(s.original_price) !== Number(s.price)) {
        cell.append(' ', el('s', { class: 'was' }, money(s.original_price, cur)));
      }
      price.append(cell);
    }
    const grid = el('table', { class: 'size-grid', 'data-test': 'size-grid' }, el('thead', {}, head), el('tbody', {}, upc, qty, packs ? pack : null, price));
    return el('div', { class: 'line-item', 'data-test': 'line-item', 'data-product-id': p._id || '', 'data-style-number': p.style_number || '', 'data-color': p.color || '' },
      el('div', { class: 'line-head' },
        el('span', { class: 'line-color', 'data-test': 'line-color' }, p.color || ''),
        el('span', { class: 'product-name', 'data-test': 'product-name' }),
        el('span', { class: 'muted', 'data-test': 'line-season' }, p.season || ''),
        p.brand_id ? el('span', { class: 'muted mono', 'data-test': 'line-brand-id' }, p.brand_id) : null,
        li.retail_string ? el('span', { class: 'muted', 'data-test': 'line-retail' }, 'MSRP ' + li.retail_string) : null),
      el('div', { class: 'grid-scroll' }, grid),
      el('div', { class: 'line-total', 'data-test': 'line-total' }, units + ' units · ' + money(value, cur)));
  }

  async function fillProductNames(detail, order, gen) {
    const ids = [...new Set((order.line_items || []).map((li) => (li.product || {})._id).filter(Boolean))];
    const queue = ids.slice();
    const worker = async () => {
      while (queue.length) {
        const id = queue.shift();
        let product;
        try { product = await api('/api/product/' + encodeURIComponent(id)); } catch (_) { continue; }
        if (gen !== state.gen) return;
        for (const line of detail.querySelectorAll('[data-test="line-item"]')) {
          if (line.getAttribute('data-product-id') !== id) continue;
          line.querySelector('[data-test="product-name"]').textContent = product.name || '';
          const groupName = line.closest('[data-test="style-group"]').querySelector('[data-test="style-name"]');
          if (!groupName.textContent) groupName.textContent = product.name || '';
        }
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
  }

  // ------------------------------------------------------------------ routing

  function route() {
    const parts = location.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] === 'brand' && parts.length === 3 && parts[2] === 'orders') return { kind: 'list', brandId: parts[1] };
    if (parts[0] === 'brand' && parts.length === 4 && parts[2] === 'order') return { kind: 'detail', brandId: parts[1], orderId: parts[3] };
    return { kind: 'other' };
  }

  function render() {
    const gen = ++state.gen;
    clearTimeout(state.searchTimer);
    closeMenu();
    closePicker();
    const r = route();
    if (r.brandId) state.brandId = r.brandId;
    updateChrome(state.brandId);
    if (r.kind === 'list') return renderList(r.brandId, gen);
    if (r.kind === 'detail') return renderDetail(r.brandId, r.orderId, gen);
    document.title = 'NuORDER';
    const first = state.brands[0];
    chrome.main.replaceChildren(el('section', { class: 'not-found', 'data-test': 'not-found' },
      el('h1', {}, 'Page not found'),
      first ? el('a', { href: listPath(first._id), 'data-nav': '' }, 'Go to orders') : el('p', {}, 'No brands are connected to this account.')));
    setBusy(false);
  }

  document.addEventListener('click', (ev) => {
    if (state.menu && !state.menu.menu.contains(ev.target) && !state.menu.button.contains(ev.target)) closeMenu();
    if (chrome && !chrome.picker.contains(ev.target)) closePicker();
    const a = ev.target.closest('a[data-nav]');
    if (a && plainClick(ev) && !ev.defaultPrevented) {
      ev.preventDefault();
      navigate(a.getAttribute('href'));
    }
  });
  document.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Escape') return;
    if (state.menu) {
      const b = state.menu.button;
      closeMenu();
      b.focus();
    }
    closePicker();
  });
  window.addEventListener('popstate', render);

  async function boot() {
    try {
      const [me, brands] = await Promise.all([api('/api/session/me'), api('/api/brands')]);
      state.me = me;
      state.brands = brands;
    } catch (e) {
      if (e instanceof Expired) return;
      root.replaceChildren(el('p', { class: 'empty', 'data-test': 'load-error' }, 'NuORDER could not start: ' + e.message));
      return;
    }
    state.brandId = (route().brandId) || (state.brands[0] && state.brands[0]._id) || null;
    buildChrome();
    render();
  }

  boot();
})();

// NuORDER sandbox app (skeleton): renders the orders list and an order detail client-side.
(function () {
  'use strict';
  const root = document.getElementById('root');
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    for (const k of kids) e.append(k);
    return e;
  }
  function header(brand) {
    return el('header', {}, el('div', { 'data-test': 'brand-picker', 'data-brand-name': 'Harbor Goods', 'data-brand-id': brand }, 'Harbor Goods'));
  }
  async function render() {
    const parts = location.pathname.split('/').filter(Boolean);
    if (parts[0] === 'brand' && parts[2] === 'orders' && parts.length === 3) {
      root.replaceChildren(el('div', { class: 'spinner', mode: 'indeterminate' }, 'Loading…'));
      const orders = await (await fetch('/api/brand/' + encodeURIComponent(parts[1]) + '/orders')).json();
      const tbody = el('tbody');
      for (const o of orders) {
        const tr = el('tr', { 'data-test': 'order-record-' + o.order_number },
          el('td', { 'data-test': 'order-number' }, o.order_number),
          el('td', { 'data-test': 'created-on' }, o.created_on.slice(0, 10)),
          el('td', { 'data-test': 'total' }, String(o.total)),
          el('td', { 'data-test': 'company-name' }, o.retailer.retailer_name),
          el('td', {}, el('button', { 'data-test': 'more-actions-icon', 'aria-label': 'More actions' }, '⋮')));
        tr.addEventListener('click', (ev) => {
          if (ev.target.closest('button')) return;
          history.pushState({}, '', '/brand/' + parts[1] + '/order/' + o._id);
          render();
        });
        tbody.append(tr);
      }
      root.replaceChildren(header(parts[1]), el('table', { 'data-test': 'order-list' }, tbody));
    } else if (parts[0] === 'brand' && parts[2] === 'order' && parts.length === 4) {
      root.replaceChildren(header(parts[1]), el('div', { 'data-test': 'order-detail', 'data-order-id': parts[3] },
        el('div', { 'data-test': 'order-actions' }),
        el('h1', {}, 'Order #', el('span', { 'data-test': 'order-detail-number' }, parts[3]))));
    } else {
      root.replaceChildren(el('p', {}, 'NuORDER sandbox'));
    }
  }
  window.addEventListener('popstate', render);
  render();
})();

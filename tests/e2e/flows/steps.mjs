// User-flow steps, written once against the driver-neutral interface (../lib/driver.mjs) and run
// by both browsers' drivers: Playwright on Chromium, Selenium + geckodriver on Firefox ESR.
import assert from 'node:assert/strict';

export const ACCOUNT_ID = '83050';
export const ACTION_LABEL = 'Export order to POS';

/** The Lightspeed sandbox's records of one kind for the first account. */
export async function lsRecords(sandbox, kind) {
  const state = await sandbox.get('lightspeed/state');
  const account = state.accounts[ACCOUNT_ID] ?? Object.values(state.accounts)[0];
  return account.tables[kind] ?? [];
}

/** Refresh tokens the sandbox issued to this browser's client for the account, not revoked. */
export async function liveRefreshTokens(session, sandbox) {
  const state = await sandbox.get('lightspeed/state');
  return state.refresh_tokens
    .filter(({ token: t }) => t.client_id === session.oauthClient && t.account === ACCOUNT_ID && !t.revoked)
    .map((r) => r.refresh_token);
}

/** The popup, open and talking to the background. */
export async function openPopup(session) {
  const popup = await session.extensionPage('popup.html');
  await popup.waitFor('h1', { text: 'Linked accounts' });
  await popup.waitFor('[data-test="background-status"], [data-test="error"]');
  return popup;
}

/** From the popup's accounts screen, start a Lightspeed link; resolves with the consent window. */
export async function startLink(session, popup) {
  await popup.click('[data-test="link-account"]');
  await popup.waitFor('h1, h2', { text: 'Link account' });
  await popup.select('[data-test="product"]', 'lightspeed');
  const consent = await session.consentWindow(() => popup.click('[data-test="do-link"]'));
  await consent.waitFor('#allow');
  return consent;
}

/** Deny at the consent page: the popup says so and nothing is stored. */
export async function denyConsent(session, sandbox, popup) {
  const consent = await startLink(session, popup);
  const url = new URL(await consent.url());
  assert.equal(url.host, 'cloud.lightspeedapp.com');
  assert.equal(url.searchParams.get('client_id'), session.oauthClient, 'the build picks this browser\'s OAuth client');
  assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
  await consent.click('#deny');
  await popup.waitFor('[data-test="link-error"]', { text: /Lightspeed wasn't connected: access was denied\.Try again/ });
  assert.equal(await popup.text('[data-test="link-error"] [data-test="next-step"]'), 'Try again');
  await popup.click('[data-test="cancel"]');
  await popup.waitFor('[data-test="no-accounts"]');
  assert.deepEqual(await liveRefreshTokens(session, sandbox), []);
}

/** Allow at the consent page: the popup shows the linked account and its live shops. */
export async function linkThroughConsent(session, sandbox, popup) {
  await checkRedirect(session, sandbox, popup);
  const consent = await startLink(session, popup);
  await consent.click('#allow');
  await popup.waitFor('[data-test="linked-message"]', { text: /Linked Lightspeed account .+ \(#83050\)/, timeout: 30000 });
  await popup.click('[data-test="back-to-accounts"]');
  const card = `[data-test="account"][data-account-id="${ACCOUNT_ID}"]`;
  await popup.waitFor(`${card} [data-test="default-shop"] option:not([disabled])`);
  assert.ok((await popup.count(`${card} [data-test="default-shop"] option:not([disabled])`)) >= 2, 'live shops listed');
  assert.equal((await liveRefreshTokens(session, sandbox)).length, 1, 'one live refresh token for this browser\'s client');
}

/** The redirect URL the sandbox registered for this browser's client is the browser's own
 * `identity.getRedirectURL()` (Firefox: https://<sha1 of the gecko id>.extensions.allizom.org/). */
export async function checkRedirect(session, sandbox, popup) {
  const { clients } = await sandbox.get('lightspeed/clients');
  const client = clients.find((c) => c.client_id === session.oauthClient);
  assert.ok(client, `the sandbox registers ${session.oauthClient}`);
  const redirect = await popup.evaluate(() => (globalThis.browser ?? globalThis.chrome).identity.getRedirectURL());
  assert.equal(client.redirect_uri, redirect);
}

/** Link in the sandbox's auto-approve mode (no consent click), for suites about something else. */
export async function linkAutoApproved(session, sandbox) {
  await sandbox.control('lightspeed/settings', { auto_approve: true });
  try {
    const popup = await openPopup(session);
    await popup.click('[data-test="link-account"]');
    await popup.click('[data-test="do-link"]');
    await popup.waitFor('[data-test="linked-message"]', { timeout: 30000 });
    await popup.close();
  } finally {
    await sandbox.control('lightspeed/settings', { auto_approve: false });
  }
}

/** Unlink from the popup: the sandbox shows the refresh token revoked. */
export async function unlink(session, sandbox, popup) {
  const live = await liveRefreshTokens(session, sandbox);
  assert.equal(live.length, 1, 'one live refresh token before unlinking');
  const button = `[data-test="account"][data-account-id="${ACCOUNT_ID}"] [data-test="unlink"]`;
  await popup.click(button);
  await popup.waitFor(button, { text: /Confirm/ });
  await popup.click(button);
  await popup.waitFor('[data-test="no-accounts"]');
  const state = await sandbox.get('lightspeed/state');
  assert.equal(state.refresh_tokens.find((r) => r.refresh_token === live[0]).token.revoked, true, 'revoked at Lightspeed');
  assert.deepEqual(await liveRefreshTokens(session, sandbox), []);
}

/** A signed-in NuORDER tab on a path, with the page's CSP set first. */
export async function nuorderPage(session, sandbox, path, csp = 'strict') {
  await sandbox.control('nuorder/csp', { mode: csp });
  const tab = await session.open(sandbox.signedIn(path));
  await tab.waitFor('main[aria-busy="false"]');
  return tab;
}

export const row = (number) => `[data-test="order-record-${number}"]`;
export const rowAction = (number) => `${row(number)} po-bridge-action`;

/** Every row of the list carries exactly one action; returns the row count. */
export async function settledList(tab) {
  await tab.waitFor('[data-test^="order-record-"] po-bridge-action');
  const end = Date.now() + 20000;
  for (;;) {
    const rows = await tab.count('[data-test^="order-record-"]');
    const actions = await tab.count('[data-test^="order-record-"] po-bridge-action');
    if (rows > 0 && rows === actions) return rows;
    assert.ok(Date.now() < end, `rows ${rows}, actions ${actions}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The list page under a strict CSP: an action per row from the expected engine, statuses in. */
export async function checkListPage(session, tab, number) {
  const rows = await settledList(tab);
  assert.equal(await tab.count('po-bridge-action'), rows, 'one widget per row, no duplicates');
  assert.equal(await tab.attr(rowAction(number), 'data-po-bridge-engine'), session.strictCspEngine);
  assert.equal(await tab.attr(`${rowAction(number)} >>> button.icon`, 'aria-label'), ACTION_LABEL);
  await tab.waitFor(`${rowAction(number)} >>> .badge .text`, { text: 'Not exported' });
  return rows;
}

/** The detail page under a strict CSP: the action and the Order Export Status field. */
export async function checkDetailPage(session, tab) {
  await tab.waitFor('[data-test="order-actions"] po-bridge-action >>> button.action', { text: ACTION_LABEL });
  assert.equal(await tab.attr('[data-test="order-actions"] po-bridge-action', 'data-po-bridge-engine'), session.strictCspEngine);
  await tab.waitFor('[data-test="order-header"] po-bridge-status >>> .label', { text: 'Order Export Status' });
  await tab.waitFor('[data-test="order-header"] po-bridge-status >>> .badge .text', { text: 'Not exported' });
  assert.equal(await tab.count('po-bridge-action'), 1);
  assert.equal(await tab.count('po-bridge-status'), 1);
}

/** The dialog window's address (Firefox): dialog.html with a one-time capability, nothing else (issue 14). */
export const dialogSrc = (session) => new RegExp(`^${session.extensionUrl('dialog.html').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\?cap=[0-9a-f]{32}$`);

/**
 * The overlay frame's address (Chromium): dialog.html and nothing else. The capability goes to
 * the frame by message, never in an address a page script can read from the DOM.
 */
export const overlaySrc = (session) => session.extensionUrl('dialog.html');

/**
 * Open our dialog by `click` (a trusted click on the page's action or badge): Chromium, our
 * overlay's iframe in `tab`; Firefox, the background's own window. Returns the dialog (frame or
 * window), checked to be the extension's dialog page.
 */
export async function openDialog(session, tab, click) {
  if (session.browser === 'firefox') {
    const dialog = await session.consentWindow(click);
    assert.match(await dialog.url(), dialogSrc(session));
    return dialog;
  }
  await click();
  await tab.waitFor('po-bridge-overlay >>> iframe');
  // The frame's own address (a Selenium frame's url() is its top page's).
  assert.equal(await tab.attr('po-bridge-overlay >>> iframe', 'src'), overlaySrc(session));
  return tab.frame('po-bridge-overlay >>> iframe');
}

/**
 * Click a row's hover action: the export dialog opens on the order. Chromium: our overlay's iframe
 * in the page. Firefox (no IntersectionObserver v2): the background's own popup window, nothing in
 * the page. Returns the dialog (frame or window).
 */
export async function openDialogFromRow(session, tab, order) {
  await tab.hover(row(order.order_number));
  const dialog = await openDialog(session, tab, () => tab.click(`${rowAction(order.order_number)} >>> button.icon`));
  if (session.browser === 'firefox') {
    assert.equal(await tab.count('po-bridge-overlay'), 0, 'no dialog in the page');
  } else {
    assert.equal(await tab.attr('po-bridge-overlay >>> iframe', 'title'), ACTION_LABEL);
  }
  assert.match(await tab.url(), /\/orders$/, 'the row did not navigate');
  await dialog.waitFor('[data-test="order-number"]', { text: order.order_number, timeout: 30000 });
  return dialog;
}

/** Export works once the dialog has been visible for 500 ms without a break. */
export async function exportReady(dialog) {
  await dialog.waitFor('[data-test="export"]:not([disabled])', { timeout: 10000 });
}

/**
 * The export dialog: the order, the location chooser with live shops, the plan's tabs (each
 * label counting the rows its panel lists, and the dialog open on a tab with rows).
 */
export async function checkDialog(dialog, order, lineRows) {
  assert.equal(await dialog.text('label[for="shop"]'), 'Choose location for order export');
  assert.ok((await dialog.count('[data-test="shop"] option')) >= 2, 'live shops to choose from');
  const listed = {};
  for (const [tab, name] of [['matched', 'Matched items'], ['new', 'New items']]) {
    const label = await dialog.text(`[data-test="tab-${tab}"]`);
    listed[tab] = await dialog.count(`[data-test="panel-${tab}"] [data-test="row"]`);
    assert.equal(label, `${name} (${listed[tab]})`, `the ${name} tab counts the rows it lists`);
  }
  const open = (await dialog.attr('[data-test="tab-new"]', 'aria-selected')) === 'true' ? 'new' : 'matched';
  assert.ok(listed[open] > 0, `the dialog opens on a tab with rows, not on ${open} (${JSON.stringify(listed)})`);
  await exportReady(dialog); // the dialog has settled in view before it is clicked
  await dialog.click('[data-test="tab-new"]');
  await dialog.waitFor('[data-test="tab-new"][aria-selected="true"]');
  if (lineRows !== undefined) assert.equal(await dialog.count('[data-test="row"]'), lineRows);
}

/** Size rows with a quantity, and units (packs × units per pack), of a NuORDER order. */
export function orderShape(order) {
  const sizes = order.line_items.flatMap((l) => l.sizes).filter((s) => s.quantity > 0);
  return { rows: sizes.length, units: sizes.reduce((n, s) => n + s.quantity * (s.units_per_pack ?? 1), 0) };
}

/** The order as NuORDER's API gives it to the signed-in page. */
export async function readOrder(tab, number) {
  return tab.evaluate(async (n) => (await fetch(`/api/order/number/${n}`)).json(), number);
}

/** Click Export in the dialog: it closes, and the row's badge goes to Exported · View PO #N. */
export async function exportAndWait(tab, dialog, number, { timeout = 90000 } = {}) {
  await exportReady(dialog);
  await dialog.click('[data-test="export"]');
  await tab.waitFor('po-bridge-overlay', { gone: true, timeout: 30000 });
  return waitRowExported(tab, number, { timeout });
}

/** The row's badge reads Exported with a View PO #N link; returns the link's {text, href}. */
export async function waitRowExported(tab, number, { timeout = 90000 } = {}) {
  await tab.waitFor(`${rowAction(number)} >>> .badge .text`, { text: 'Exported', timeout });
  const text = await tab.waitFor(`${rowAction(number)} >>> a.link`, { text: /^View PO #\d+$/ });
  const href = await tab.attr(`${rowAction(number)} >>> a.link`, 'href');
  assert.match(href, /^https:\/\/us\.merchantos\.com\//);
  assert.equal(await tab.attr(`${rowAction(number)} >>> button.icon`, 'disabled'), '', 'the action is inactive once exported');
  return { text: text.trim(), href };
}

/** Exactly one PO for the order in the Lightspeed sandbox, with every line and unit. */
export async function assertOnePo(sandbox, number, shape) {
  const pos = (await lsRecords(sandbox, 'Order')).filter((o) => o.refNum === `NuORDER ${number}`);
  assert.equal(pos.length, 1, `exactly one PO for ${number}: ${JSON.stringify(pos.map((p) => p.orderID))}`);
  const lines = (await lsRecords(sandbox, 'OrderLine')).filter((l) => l.orderID === pos[0].orderID);
  if (shape) {
    assert.equal(lines.length, shape.rows, 'one line per size row');
    assert.equal(lines.reduce((n, l) => n + Number(l.quantity), 0), shape.units, 'every unit');
  }
  return pos[0];
}

/** The popup's history lists the export with its PO link. */
export async function checkHistory(popup, number, poId) {
  const entry = `[data-test="history-entry"][data-order-number="${number}"]`;
  await popup.waitFor(`${entry} [data-test="history-status"]`, { text: 'Exported' });
  const href = await popup.attr(`${entry} [data-test="history-po-link"]`, 'href');
  assert.match(href, new RegExp(`^https://us\\.merchantos\\.com/\\?name=purchase\\.views\\.purchase&form_name=view&id=${poId}&tab=main$`));
}

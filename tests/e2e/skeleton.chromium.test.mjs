// Walking skeleton in Chromium: the unmodified dist/ loads, the in-page action appears on a
// strict-CSP NuORDER page (JS fallback, wasm refused) and on a wasm-allowing page (Rust/wasm),
// a click makes a round trip through the background, and the popup renders its shell.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, launchChromium, artifact, CHROMIUM_EXTENSION_ID } from './lib/env.mjs';

let sandbox;
let browser;
let brandId;

before(async () => {
  sandbox = await startSandbox();
  browser = await launchChromium(sandbox);
  brandId = (await sandbox.corpus()).brands[0]._id;
});

after(async () => {
  await browser?.context.close();
  await sandbox?.stop();
});

test('the extension id is pinned by the manifest key', () => {
  assert.equal(browser.extensionId, CHROMIUM_EXTENSION_ID);
});

async function ordersPage(csp) {
  await sandbox.control('nuorder/csp', { mode: csp });
  const page = await browser.context.newPage();
  const response = await page.goto(sandbox.signedIn(`/brand/${brandId}/orders`));
  return { page, response };
}

for (const [csp, engine] of [['strict', 'fallback'], ['relaxed', 'wasm']]) {
  test(`the action appears on the ${csp}-CSP orders page (${engine} path) and its status comes from the background`, async () => {
    const { page, response } = await ordersPage(csp);
    const header = response.headers()['content-security-policy'];
    assert.ok(header.includes("script-src 'self'"), header);
    assert.equal(header.includes('wasm-unsafe-eval'), csp === 'relaxed', header);
    const rows = page.locator('[data-test^="order-record-"]');
    await rows.first().waitFor();
    const actions = page.locator('po-bridge-action');
    await actions.first().waitFor();
    assert.equal(await actions.count(), await rows.count(), 'one action per row, no duplicates');
    assert.equal(await actions.first().getAttribute('data-po-bridge-engine'), engine);
    const button = actions.first().locator('button.icon');
    assert.equal(await button.getAttribute('aria-label'), 'Export order to POS');
    // The badge's words come from the background (GetExportStatus): a round trip.
    await actions.first().locator('.badge .text').getByText('Not exported').waitFor();
    await page.screenshot({ path: artifact(`skeleton-chromium-orders-${csp}.png`) });
    await page.close();
  });
}

test('the action appears on the order detail page after client-side navigation', async () => {
  const { page } = await ordersPage('strict');
  await page.locator('[data-test^="order-record-"] [data-test="created-on"]').first().click();
  await page.waitForURL(/\/order\//);
  const action = page.locator('[data-test="order-actions"] po-bridge-action');
  await action.waitFor();
  assert.equal(await page.locator('po-bridge-action').count(), 1);
  await page.screenshot({ path: artifact('skeleton-chromium-detail.png') });
  await page.close();
});

test('the popup renders its shell and reaches the background', async () => {
  const page = await browser.context.newPage();
  await page.goto(browser.extensionUrl('popup.html'));
  await page.getByRole('heading', { name: 'Linked accounts' }).waitFor();
  await page.locator('[data-test="background-status"]').getByText('PO Bridge is ready.').waitFor();
  await page.screenshot({ path: artifact('skeleton-chromium-popup.png') });
  await page.close();
});

test('the NuORDER sandbox refuses its API without a session and sends the app to sign-in', async () => {
  const { page } = await ordersPage('strict');
  await page.locator('[data-test^="order-record-"]').first().waitFor();
  const ok = await page.evaluate(async () => (await fetch('/api/session/me')).status);
  assert.equal(ok, 200);
  await sandbox.control('nuorder/sessions/expire', {});
  const refused = await page.evaluate(async () => {
    const r = await fetch('/api/orders/approved/list');
    return { status: r.status, csp: r.headers.get('content-security-policy') };
  });
  assert.equal(refused.status, 401);
  assert.match(refused.csp, /script-src 'self'/);
  await page.reload();
  await page.waitForURL(/\/login\?next=/);
  await page.locator('[data-test="demo-credentials"]').waitFor();
  await page.close();
});

// Shared user steps for the browser suites: link a Lightspeed account, read an order from the
// NuORDER sandbox with the page's session, and talk to the background as an extension page would.
import assert from 'node:assert/strict';

/** Link the sandbox's Lightspeed account through the popup in auto-approve mode. */
export async function linkLightspeed(browser, sandbox) {
  await sandbox.control('lightspeed/settings', { auto_approve: true });
  const page = await browser.context.newPage();
  await page.goto(browser.extensionUrl('popup.html'));
  await page.locator('[data-test="link-account"]').click();
  await page.locator('[data-test="do-link"]').click();
  await page.locator('[data-test="linked-message"]').waitFor();
  await page.close();
  await sandbox.control('lightspeed/settings', { auto_approve: false });
}

/** A signed-in NuORDER tab on a brand's orders list. */
export async function nuorderTab(browser, sandbox, brandId) {
  const page = await browser.context.newPage();
  await page.goto(sandbox.signedIn(`/brand/${brandId}/orders`));
  await page.locator('[data-test^="order-record-"]').first().waitFor();
  return page;
}

/** The order and its products as NuORDER's API gives them to the signed-in page. */
export async function readOrder(nuorderPage, orderNumber) {
  return nuorderPage.evaluate(async (n) => {
    const order = await (await fetch(`/api/order/number/${n}`)).json();
    const ids = [...new Set(order.line_items.map((l) => l.product._id))];
    const products = [];
    for (const id of ids) {
      const r = await fetch(`/api/product/${id}`);
      if (r.ok) products.push(await r.json());
    }
    return { order, products };
  }, orderNumber);
}

/** Send a request envelope from an extension page; returns the reply envelope. */
export async function ask(extPage, req) {
  return extPage.evaluate(async (req) => {
    const api = globalThis.browser ?? globalThis.chrome;
    return api.runtime.sendMessage({ v: 1, id: `t-${Math.random()}`, req });
  }, req);
}

export async function okOf(extPage, req) {
  const reply = await ask(extPage, req);
  assert.ok(reply && reply.ok, `request ${req.type} failed: ${JSON.stringify(reply?.err)}`);
  return reply.ok;
}

/** Wait until the background reports the order exported; returns the status view. */
export async function waitExported(extPage, orderRef, timeoutMs = 60000) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    const ok = await okOf(extPage, { type: 'get_export_status', data: { orders: [orderRef] } });
    last = ok.data.statuses[0];
    if (last.status.status === 'exported') return last;
    if (last.status.status === 'failed') throw new Error(`export failed: ${last.status.message}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`not exported in time: ${JSON.stringify(last)}`);
}

/** The capability in a StageOrder reply's dialog path (`dialog.html?cap=…`). A stage from an
 * extension page binds it to that page's tab, so that page may preview and start with it. */
export function capOf(staged) {
  return new URL(staged.data.dialog, 'https://x/').searchParams.get('cap');
}

// The sandbox's records of one kind: one definition, shared with the driver-neutral user flows.
export { lsRecords } from '../flows/steps.mjs';

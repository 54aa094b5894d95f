// A way in when NuORDER's page changes (issue 20), registered once per browser by
// secondway.<browser>.test.mjs. The NuORDER sandbox's markup switch renames every hook our
// anchors use, so no widget mounts. On an order's URL the popup still shows the order's status and
// *Export this order*, which opens the same export dialog in the tab (the order read through
// NuORDER's JSON API) and exports one PO; the popup says "PO Bridge can't find its place on this
// page" with a diagnostic that names the selectors that matched nothing and carries no ids.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox } from '../lib/env.mjs';
import { until } from '../lib/reliability.mjs';
import * as s from './steps.mjs';

const NUMBER = '40718827';

export function secondWaySuite(launch) {
  let sandbox;
  let session;
  let corpus;

  before(async () => {
    sandbox = await startSandbox();
    session = await launch(sandbox);
    corpus = await sandbox.corpus();
    await s.linkAutoApproved(session, sandbox);
  });

  after(async () => {
    await session?.quit();
    await sandbox?.stop();
  });

  test('markup renamed: on an order\'s page the popup offers Export this order, it exports one PO, and the diagnostic names the selectors that matched nothing', async () => {
    const order = corpus.orders.find((o) => o.order_number === NUMBER);
    const { renamed } = await sandbox.control('nuorder/markup', { mode: 'renamed' });
    assert.ok(renamed.length > 0, 'the sandbox renamed its hooks');
    const detail = await s.nuorderPage(session, sandbox, `/brand/${order.brand_id}/order/${order._id}`, 'strict');
    const shape = s.orderShape(await s.readOrder(detail, NUMBER));
    // The page works for NuORDER's own script, and nothing of ours found its place on it.
    await detail.waitFor('[data-qa="order-detail"]', { timeout: 20000 });
    // The popup, opened as a page of its own, is about the NuORDER tab that reported last.
    const popup = await s.openPopup(session);
    // The in-page layer reports once the page has settled (2 s); the popup reads it when it opens.
    const lost = async () => {
      await popup.reload();
      return popup.waitFor('[data-test="lost"]', { timeout: 3000 }).then(() => true, () => false);
    };
    await until(lost, (seen) => seen, { what: 'the page report', timeoutMs: 30000, every: 200 });
    assert.equal(await popup.count('po-bridge-action'), 0);
    assert.equal(await detail.count('po-bridge-action, po-bridge-status'), 0, 'no widget mounted');
    const diagnostic = await popup.text('[data-test="diagnostic"]');
    assert.match(diagnostic, /page: order detail/);
    assert.match(diagnostic, /route: \/brand\/\{brand_id\}\/order\/\{order_id\}/);
    assert.match(diagnostic, /selectors that matched nothing: .*detail_root/);
    assert.match(diagnostic, /PO Bridge: \d+\.\d+\.\d+/);
    assert.match(diagnostic, /browser: (Chrome|Firefox) \d+/);
    for (const secret of [order._id, order.brand_id, NUMBER, 'token', '@']) {
      assert.ok(!diagnostic.includes(secret), `the diagnostic carries no ${secret}: ${diagnostic}`);
    }
    assert.match(await popup.text('[data-test="page-order-status"]'), /Not exported/);
    await popup.screenshot(`secondway-${session.browser}-popup`);
    // Export this order: the same dialog, in the tab (Chromium's overlay; Firefox's own window).
    const click = () => popup.click('[data-test="export-this-order"]');
    const dialog = session.browser === 'firefox'
      ? await session.consentWindow(click)
      : (await click(), await detail.frame('po-bridge-overlay >>> iframe'));
    await dialog.waitFor('[data-test="order-number"]', { text: NUMBER, timeout: 30000 });
    await s.exportReady(dialog);
    await dialog.click('[data-test="export"]');
    await until(async () => (await s.lsRecords(sandbox, 'Order')).filter((o) => o.refNum === `NuORDER ${NUMBER}` && o.orderedDate).length,
      (n) => n === 1, { what: 'the PO, marked Ordered', timeoutMs: 90000, every: 500 });
    await s.assertOnePo(sandbox, NUMBER, shape);
    // The popup now shows the order exported.
    const status = async () => {
      await popup.reload();
      return popup.waitFor('[data-test="page-order-status"]', { text: /Exported/, timeout: 3000 }).then(() => true, () => false);
    };
    await until(status, (seen) => seen, { what: 'the popup\'s status', timeoutMs: 30000, every: 200 });
    await sandbox.control('nuorder/markup', { mode: 'standard' });
  });
}

// `./build.sh demo`: PO Bridge against the local sandboxes (NuORDER and Lightspeed). With a display,
// opens Chromium with the extension loaded on the NuORDER sandbox's orders list (signed in as the
// demo buyer) and keeps running until Ctrl-C: link Lightspeed from the toolbar popup (the sandbox's
// consent page: Allow), then use "Export order to POS" on any order. Without a display (or with
// --headless) it walks through the same steps itself and writes screenshots to demo-output/.
import fs from 'node:fs';
import path from 'node:path';
import { startSandbox, launchChromium, ROOT } from './lib/env.mjs';
import { linkLightspeed } from './lib/flows.mjs';

const headless = process.argv.includes('--headless') || !process.env.DISPLAY;
const outDir = path.join(ROOT, 'demo-output');
const sandbox = await startSandbox();
const browser = await launchChromium(sandbox, { headless });
const { brands } = await sandbox.corpus();
const ordersPath = `/brand/${brands[0]._id}/orders`;

async function shutdown(code = 0) {
  await browser.context.close().catch(() => {});
  await sandbox.stop();
  process.exit(code);
}

try {
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  await page.goto(sandbox.signedIn(ordersPath));
  await page.locator('po-bridge-action').first().waitFor({ timeout: 20000 });
  if (!headless) {
    console.log(`Demo running: Chromium shows https://app.nuorder.com${ordersPath} with PO Bridge loaded.`);
    console.log('Hover an order and click Export order to POS: the dialog connects Lightspeed first (Connect Lightspeed →');
    console.log('Allow on the sandbox consent page → a location), then shows the order\'s preview; click Export.');
    console.log(`Sandbox: http://127.0.0.1:${sandbox.httpPort} and https://127.0.0.1:${sandbox.httpsPort} (control API under /__sandbox/). Ctrl-C to stop.`);
    process.on('SIGINT', () => shutdown(0));
    browser.context.on('close', () => shutdown(0));
    await new Promise(() => {});
  }
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const shots = [];
  const shot = async (p, name) => { const file = path.join(outDir, name); await p.screenshot({ path: file }); shots.push(file); };
  await shot(page, '01-orders-list-not-linked.png');
  await linkLightspeed(browser, sandbox);
  await sandbox.control('lightspeed/clock/speed', { speed: 5 });
  const popup = await browser.context.newPage();
  await popup.setViewportSize({ width: 420, height: 640 });
  await popup.goto(browser.extensionUrl('popup.html'));
  await popup.locator('[data-test="default-shop"]').waitFor();
  await shot(popup, '02-popup-linked-accounts.png');
  await page.reload();
  const row = page.locator('[data-test="order-record-40718821"]');
  const widget = row.locator('po-bridge-action');
  await widget.locator('.badge .text').getByText('Not exported').waitFor();
  await row.hover();
  await shot(page, '03-orders-list.png');
  await widget.locator('button.icon').click();
  const dialog = page.frameLocator('po-bridge-overlay iframe');
  await dialog.locator('[data-test="export"]').waitFor({ timeout: 30000 });
  // The dialog is an out-of-process frame: headless Chromium's page screenshot showed it as a blank
  // white box right after its button appeared (also after two animation frames inside it), and
  // whole after a second. A picture for the reader, not a timed check.
  await page.waitForTimeout(1000);
  await shot(page, '04-export-dialog.png');
  await dialog.locator('[data-test="export"]').click();
  await widget.locator('.badge .text').getByText('Exported', { exact: true }).waitFor({ timeout: 60000 });
  await shot(page, '05-exported.png');
  const href = await widget.locator('a.link').getAttribute('href');
  const po = await browser.context.newPage();
  await po.goto(href);
  await shot(po, '06-lightspeed-po.png');
  await popup.reload();
  await popup.locator('[data-test="history-entry"]').first().waitFor();
  await shot(popup, '07-popup-history.png');
  console.log(`Demo ran headless (no display). Screenshots in ${outDir}:`);
  for (const f of shots) console.log(`  ${path.relative(ROOT, f)}`);
  await shutdown(0);
} catch (e) {
  console.error(`demo failed: ${e.message}`);
  await shutdown(1);
}

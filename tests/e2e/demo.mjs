// `./build.sh demo`: PO Bridge against the local sandboxes. With a display, opens Chromium with the
// extension loaded on the NuORDER sandbox's orders list and keeps running until Ctrl-C. Without
// one (or with --headless), walks through the pages headless and writes screenshots to a folder.
import fs from 'node:fs';
import path from 'node:path';
import { startSandbox, launchChromium, ROOT } from './lib/env.mjs';

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
    console.log(`Sandbox: http://127.0.0.1:${sandbox.httpPort} and https://127.0.0.1:${sandbox.httpsPort}. Ctrl-C to stop.`);
    process.on('SIGINT', () => shutdown(0));
    browser.context.on('close', () => shutdown(0));
    await new Promise(() => {});
  }
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const shots = [];
  const shot = async (p, name) => { const file = path.join(outDir, name); await p.screenshot({ path: file, fullPage: true }); shots.push(file); };
  await shot(page, '01-orders-list.png');
  await page.locator('[data-test^="order-record-"] [data-test="created-on"]').first().click();
  await page.locator('[data-test="order-actions"] po-bridge-action').waitFor();
  await shot(page, '02-order-detail.png');
  const popup = await browser.context.newPage();
  await popup.setViewportSize({ width: 400, height: 300 });
  await popup.goto(browser.extensionUrl('popup.html'));
  await popup.getByText(/is ready\./).waitFor();
  await shot(popup, '03-popup.png');
  console.log(`Demo ran headless (no display). Screenshots in ${outDir}:`);
  for (const f of shots) console.log(`  ${path.relative(ROOT, f)}`);
  await shutdown(0);
} catch (e) {
  console.error(`demo failed: ${e.message}`);
  await shutdown(1);
}

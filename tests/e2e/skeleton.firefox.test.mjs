// Firefox smoke test: the same dist (as dist.zip) installs as a temporary add-on in Firefox ESR,
// the action appears on the strict-CSP NuORDER page and round-trips, and the popup renders.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { until, By } from 'selenium-webdriver';
import { startSandbox, launchFirefox, artifact } from './lib/env.mjs';

let sandbox;
let ff;

before(async () => {
  sandbox = await startSandbox();
  ff = await launchFirefox(sandbox);
});

after(async () => {
  await ff?.quit();
  await sandbox?.stop();
});

test('Firefox: the action appears on the strict-CSP orders page and its status comes from the background', async () => {
  const { driver } = ff;
  const brandId = (await sandbox.corpus()).brands[0]._id;
  await driver.get(sandbox.signedIn(`/brand/${brandId}/orders`));
  const host = await driver.wait(until.elementLocated(By.css('po-bridge-action')), 20000);
  assert.equal(await host.getAttribute('data-po-bridge-engine'), 'wasm', 'Firefox runs content wasm under the page CSP');
  const label = await driver.executeScript('return arguments[0].shadowRoot.querySelector("button.icon").getAttribute("aria-label")', host);
  assert.equal(label, 'Export order to POS');
  // The badge's words come from the background (GetExportStatus): a round trip.
  await driver.wait(async () => (await driver.executeScript('return arguments[0].shadowRoot.querySelector(".badge .text")?.textContent', host)) === 'Not exported', 10000);
  fs.writeFileSync(artifact('skeleton-firefox-orders.png'), await driver.takeScreenshot(), 'base64');
});

test('Firefox: the popup renders its shell and reaches the background', async () => {
  const { driver } = ff;
  await ff.openExtensionPage('popup.html');
  // Read by selector each time, not through a held element: the popup may re-render its shell
  // while its resources load, and a held reference then goes stale.
  const text = (sel) => driver.executeScript('return document.querySelector(arguments[0])?.textContent ?? null', sel);
  await driver.wait(async () => (await text('h1')) !== null, 20000);
  assert.equal((await text('h1')).trim(), 'Linked accounts');
  await driver.wait(async () => /is ready\./.test((await text('[data-test="background-status"]')) ?? ''), 10000);
  fs.writeFileSync(artifact('skeleton-firefox-popup.png'), await driver.takeScreenshot(), 'base64');
});

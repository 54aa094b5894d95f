// The attack tests (tests/e2e/attacks.mjs) in Chromium, through Playwright, with dist/. A3 reaches
// the PO Bridge content script's isolated world through the DevTools protocol.
import { attackSuite } from './attacks.mjs';
import { chromiumSession } from './lib/driver.mjs';

const worlds = new WeakMap();

/** The content script's isolated world of a Playwright tab's top frame (CDP Runtime). */
async function contentWorld(tab) {
  if (worlds.has(tab.page)) return worlds.get(tab.page);
  const cdp = await tab.page.context().newCDPSession(tab.page);
  const contexts = [];
  cdp.on('Runtime.executionContextCreated', (e) => contexts.push(e.context));
  await cdp.send('Runtime.enable');
  const { frameTree } = await cdp.send('Page.getFrameTree');
  const end = Date.now() + 15000;
  let ctx;
  while (!(ctx = contexts.find((c) => c.auxData?.type === 'isolated' && /PO Bridge/.test(c.name) && c.auxData.frameId === frameTree.frame.id))) {
    if (Date.now() > end) throw new Error('no PO Bridge content script world');
    await new Promise((r) => setTimeout(r, 100));
  }
  const world = { cdp, id: ctx.id };
  worlds.set(tab.page, world);
  return world;
}

async function contentSend(tab, req) {
  const { cdp, id } = await contentWorld(tab);
  const expression = `chrome.runtime.sendMessage(${JSON.stringify({ v: 1, id: `attack-${Date.now()}`, req })})`;
  const r = await cdp.send('Runtime.evaluate', { expression, contextId: id, awaitPromise: true, returnByValue: true });
  if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
  return r.result.value;
}

attackSuite('chromium', (sandbox) => chromiumSession(sandbox), { contentSend });

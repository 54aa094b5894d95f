// A small driver-neutral interface for the user-flow steps, with a Playwright implementation
// (Chromium) and a Selenium + geckodriver implementation (Firefox ESR). Steps written against it
// (tests/e2e/flows/) run unchanged in both browsers.
//
//   session = await chromiumSession(sandbox) | await firefoxSession(sandbox, {prefs, bidi})
//           | await chromedriverSession(sandbox)  (Chromium through chromedriver: no DevTools session
//             on the extension's worker, so Chromium's idle timer stops it as it would a user's)
//   session.browser            'chromium' | 'firefox'
//   session.version            e.g. 'Chromium 156.0.8078.108', 'Firefox 153.7.0esr'
//   session.oauthClient        the Lightspeed OAuth client id this browser's build uses
//   session.strictCspEngine    the in-page engine expected under a strict page CSP ('fallback' | 'wasm')
//   session.extensionUrl(p)    the extension's URL for a packaged file
//   await session.open(url)          a new tab on a web page → Tab
//   await session.extensionPage(p)   a new tab on an extension page (popup.html, dialog.html?…) → Tab
//   await session.consentWindow(fn)  runs fn, resolves with the window it opened (launchWebAuthFlow) → Tab
//   await session.pageCount()        how many tabs and windows are open
//   await session.background(fn, arg) fn(g, arg) in the extension's background, g its global: Chromium's
//                                    service worker through DevTools; Firefox's event page, reached from
//                                    an extension tab with runtime.getBackgroundPage(). fn's source is
//                                    sent, so it closes over nothing.
//   await session.stopWorker()       stop the extension's background mid-whatever, as the browser would,
//                                    without waking it again (the next extension event does): Chromium's
//                                    service worker closed through CDP; Firefox's event page terminated
//                                    from the parent process as about:debugging's "Terminate background
//                                    script" does. Resolves whether a running background was stopped.
//   await session.log()              {warnings, errors} of web pages since the session started: console
//                                    warnings (the page's and content scripts'), uncaught page errors
//                                    (Firefox: through WebDriver BiDi, so start it with {bidi: true})
//   await session.quit()
//
// A Tab (or a frame of one):
//   goto(url), reload(), back(), forward(), url(), close(), screenshot(name)
//   click(sel), hover(sel), focus(sel), press(key), moveMouse(x, y), select(sel, value)
//   count(sel), text(sel), texts(sel), attr(sel, name)
//   waitFor(sel, {text, gone, timeout}), frame(sel) → Tab scoped to that iframe, evaluate(fn, arg)
// (press takes Playwright's key names: 'Escape', 'Tab', 'Enter'.)
//
// Selectors are CSS; ` >>> ` steps into an element's open shadow root:
//   'po-bridge-action >>> .badge .text', 'po-bridge-overlay >>> iframe'.
import { clickInFrame } from './frameclick.mjs';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { killWorker } from './reliability.mjs';
import {
  artifact, chromiumExecutable, launchChromium, launchFirefox, chromiumArgs, FIREFOX_BINARY, FIREFOX_UUID, CHROMIUM_EXTENSION_ID, GECKO_ID,
} from './env.mjs';

const DEFAULT_TIMEOUT = 20000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function matches(text, want) {
  if (want === undefined) return true;
  if (text === null || text === undefined) return false;
  return want instanceof RegExp ? want.test(text) : text.trim() === want;
}

/** What the steps see: shared polling on top of each implementation's primitives. */
class BaseTab {
  /** Wait until `sel` matches (with `text`: an element whose textContent equals/matches it), or with
   * `gone: true` until nothing matches. Resolves to the matching text. */
  async waitFor(sel, { text, gone = false, timeout = DEFAULT_TIMEOUT } = {}) {
    const end = Date.now() + timeout;
    let seen = [];
    for (;;) {
      try {
        seen = await this.texts(sel);
        if (gone ? seen.length === 0 : seen.some((t) => matches(t, text))) return gone ? null : seen.find((t) => matches(t, text));
      } catch (e) {
        // a navigation or a detached frame in between: try again
        seen = [`(${e.message.split('\n')[0]})`];
      }
      if (Date.now() > end) {
        throw new Error(`${this.describe()}: timed out waiting for ${sel}${gone ? ' to go' : ''}${text !== undefined ? ` with text ${text}` : ''}; saw ${JSON.stringify(seen).slice(0, 400)}`);
      }
      await sleep(100);
    }
  }

  async text(sel) {
    return (await this.texts(sel))[0] ?? null;
  }

  async count(sel) {
    return (await this.texts(sel)).length;
  }

  /** Focus the first element matching `sel` (as a script, or a keyboard user, would). */
  async focus(sel) {
    await this.waitFor(sel);
    await this.evaluate((s) => {
      let roots = [document];
      let found = [];
      for (const part of s.split(' >>> ')) {
        found = roots.flatMap((r) => [...r.querySelectorAll(part)]);
        roots = found.map((e) => e.shadowRoot).filter(Boolean);
      }
      found[0].focus();
    }, sel);
  }
}

// In-page resolution of a ` >>> ` selector (used by the Selenium implementation).
const FIND_ALL = `
  const parts = arguments[0].split(' >>> ');
  let roots = [document];
  let found = [];
  for (let i = 0; i < parts.length; i++) {
    found = roots.flatMap((r) => [...r.querySelectorAll(parts[i])]);
    roots = found.map((e) => e.shadowRoot).filter(Boolean);
  }
`;

// ------------------------------------------------------------------ Playwright (Chromium)

class PlaywrightTab extends BaseTab {
  constructor(session, page, scope = page) {
    super();
    this.session = session;
    this.page = page;
    this.scope = scope; // the page, or a Frame
  }

  describe() { return `chromium tab ${this.scope.url()}`; }
  loc(sel) { return this.scope.locator(sel.split(' >>> ').join(' ')); }
  async goto(url) { await this.page.goto(url); }
  async reload() { await this.page.reload(); }
  async back() { await this.page.goBack(); }
  async forward() { await this.page.goForward(); }
  async press(key) { await this.page.keyboard.press(key); }
  async moveMouse(x, y) { await this.page.mouse.move(x, y); }
  async url() { return this.scope.url(); }
  async close() { await this.page.close().catch(() => {}); }
  async screenshot(name) { await this.page.screenshot({ path: artifact(`${name}.png`) }); }
  async click(sel) {
    const target = this.loc(sel).first();
    if (this.scope === this.page) await target.click({ timeout: DEFAULT_TIMEOUT });
    else await clickInFrame(this.page, target, { timeout: DEFAULT_TIMEOUT });
  }

  async hover(sel) { await this.loc(sel).first().hover({ timeout: DEFAULT_TIMEOUT }); }
  async select(sel, value) { await this.loc(sel).first().selectOption(value, { timeout: DEFAULT_TIMEOUT }); }
  async texts(sel) { return this.loc(sel).evaluateAll((els) => els.map((e) => e.textContent)); }
  async attr(sel, name) { return this.loc(sel).first().getAttribute(name, { timeout: DEFAULT_TIMEOUT }); }
  async evaluate(fn, arg) { return this.scope.evaluate(fn, arg); }

  async frame(sel) {
    await this.waitFor(sel);
    const end = Date.now() + DEFAULT_TIMEOUT;
    for (;;) {
      const handle = await this.loc(sel).first().elementHandle();
      const frame = handle && (await handle.contentFrame());
      if (frame && frame.url() !== 'about:blank') return new PlaywrightTab(this.session, this.page, frame);
      if (Date.now() > end) throw new Error(`no frame at ${sel}`);
      await sleep(100);
    }
  }
}

export async function chromiumSession(sandbox, opts = {}) {
  const b = await launchChromium(sandbox, opts);
  const version = execFileSync(chromiumExecutable(), ['--version'], { encoding: 'utf8' }).trim();
  const log = { warnings: [], errors: [] };
  const listen = (page) => {
    page.on('console', (m) => { if (m.type() === 'warning') log.warnings.push(m.text()); });
    page.on('pageerror', (e) => log.errors.push(e.message));
  };
  b.context.pages().forEach(listen);
  b.context.on('page', listen);
  const session = {
    browser: 'chromium',
    version,
    oauthClient: 'po-bridge-chrome',
    strictCspEngine: 'fallback',
    raw: b,
    extensionUrl: (p) => b.extensionUrl(p),
    async open(url) {
      const page = await b.context.newPage();
      await page.goto(url);
      return new PlaywrightTab(session, page);
    },
    async extensionPage(p) {
      return session.open(b.extensionUrl(p));
    },
    async consentWindow(trigger) {
      const next = b.context.waitForEvent('page', { timeout: DEFAULT_TIMEOUT });
      await trigger();
      const page = await next;
      await page.waitForLoadState('domcontentloaded');
      return new PlaywrightTab(session, page);
    },
    async pageCount() { return b.context.pages().length; },
    async background(fn, arg) {
      const w = b.context.serviceWorkers().find((x) => x.url().startsWith(b.extensionUrl('')))
        ?? await b.context.waitForEvent('serviceworker', { timeout: DEFAULT_TIMEOUT });
      // A string expression: DevTools evaluates it as is, outside the worker's CSP.
      return w.evaluate(`(${fn})(self, ${JSON.stringify(arg ?? null)})`);
    },
    async stopWorker() { return killWorker(b); },
    async log() { return { warnings: [...log.warnings], errors: [...log.errors] }; },
    async quit() { await b.context.close().catch(() => {}); },
  };
  return session;
}

// ------------------------------------------------------------------ Selenium (Firefox)

class SeleniumTab extends BaseTab {
  constructor(session, handle, frames = []) {
    super();
    this.session = session;
    this.handle = handle;
    this.frames = frames; // selectors of nested iframes, outermost first
  }

  describe() { return `${this.session.browser} window ${this.handle}${this.frames.length ? ` frame ${this.frames.join(' / ')}` : ''}`; }

  /** Make this tab (and frame) the driver's current browsing context. */
  async enter() {
    const { driver } = this.session;
    const key = `${this.handle}|${this.frames.join('|')}`;
    if (this.session.current === key) return driver;
    this.session.current = null;
    await driver.switchTo().window(this.handle);
    for (const sel of this.frames) {
      const [el] = await driver.executeScript(`${FIND_ALL} return found;`, sel);
      if (!el) throw new Error(`no frame at ${sel}`);
      await driver.switchTo().frame(el);
    }
    this.session.current = key;
    return driver;
  }

  async elements(sel) {
    const driver = await this.enter();
    return driver.executeScript(`${FIND_ALL} return found;`, sel);
  }

  async element(sel) {
    const end = Date.now() + DEFAULT_TIMEOUT;
    for (;;) {
      const [el] = await this.elements(sel).catch(() => []);
      if (el) return el;
      if (Date.now() > end) throw new Error(`${this.describe()}: nothing matches ${sel}`);
      await sleep(100);
    }
  }

  async goto(url) {
    const driver = await this.enter();
    if (url.startsWith('moz-extension:')) {
      await this.session.loadInSelectedTab(url);
    } else {
      await driver.get(url);
    }
  }

  async reload() { await (await this.enter()).navigate().refresh(); }
  async back() { await (await this.enter()).navigate().back(); }
  async forward() { await (await this.enter()).navigate().forward(); }
  async url() { return (await this.enter()).getCurrentUrl(); }

  async press(key) {
    const { Key } = await import('selenium-webdriver');
    const driver = await this.enter();
    const k = { Escape: Key.ESCAPE, Enter: Key.ENTER, Tab: Key.TAB }[key] ?? key;
    await driver.actions({ async: true }).sendKeys(k).perform();
  }

  async moveMouse(x, y) {
    const driver = await this.enter();
    await driver.actions({ async: true }).move({ origin: 'viewport', x, y }).perform();
  }

  async close() {
    const { driver } = this.session;
    try {
      await this.enter();
      await driver.close();
    } catch { /* already gone */ }
    this.session.current = null;
    const left = await driver.getAllWindowHandles();
    if (left.length) await driver.switchTo().window(left[0]);
  }

  async screenshot(name) {
    const driver = await this.enter();
    fs.writeFileSync(artifact(`${name}.png`), await driver.takeScreenshot(), 'base64');
  }

  /**
   * The element's centre in the top-level viewport. Marionette maps a frame's coordinates to the
   * top level without the iframe's CSS transform (the dialog overlay centres its iframe with
   * translate(-50%,-50%)), so element clicks inside that frame land half a frame off; adding up the
   * transformed iframe boxes ourselves gives the point a user would click.
   */
  async topLevelPoint(sel) {
    const el = await this.element(sel);
    const driver = this.session.driver;
    let { x, y } = await driver.executeScript(
      'arguments[0].scrollIntoView({block: "center", inline: "center"}); const r = arguments[0].getBoundingClientRect(); return {x: r.left + r.width / 2, y: r.top + r.height / 2};',
      el,
    );
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const parent = new SeleniumTab(this.session, this.handle, this.frames.slice(0, i));
      const frame = await parent.element(this.frames[i]);
      const r = await driver.executeScript('const r = arguments[0].getBoundingClientRect(); return {x: r.left + arguments[0].clientLeft, y: r.top + arguments[0].clientTop};', frame);
      x += r.x;
      y += r.y;
    }
    return { x: Math.round(x), y: Math.round(y) };
  }

  async click(sel) {
    if (!this.frames.length) {
      // Found again when a re-render replaced it between the lookup and the click (a badge re-renders on every
      // status event), as Playwright's locators are.
      for (let attempt = 1; ; attempt++) {
        try {
          await (await this.element(sel)).click();
          return;
        } catch (e) {
          if (e?.name !== 'StaleElementReferenceError' || attempt >= 3) throw e;
        }
      }
    }
    const { x, y } = await this.topLevelPoint(sel);
    await this.session.driver.actions({ async: true }).move({ origin: 'viewport', x, y }).click().perform();
  }

  async hover(sel) {
    if (!this.frames.length) {
      const el = await this.element(sel);
      await this.session.driver.actions({ async: true }).move({ origin: el }).perform();
      return;
    }
    const { x, y } = await this.topLevelPoint(sel);
    await this.session.driver.actions({ async: true }).move({ origin: 'viewport', x, y }).perform();
  }

  async select(sel, value) {
    const el = await this.element(sel);
    // A user's choice: the option selected, then the events a real change fires.
    await this.session.driver.executeScript(
      'arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event("input", {bubbles: true})); arguments[0].dispatchEvent(new Event("change", {bubbles: true}));',
      el, value,
    );
  }

  async texts(sel) {
    const driver = await this.enter();
    return driver.executeScript(`${FIND_ALL} return found.map((e) => e.textContent);`, sel);
  }

  async attr(sel, name) {
    const el = await this.element(sel);
    return this.session.driver.executeScript('return arguments[0].getAttribute(arguments[1]);', el, name);
  }

  async evaluate(fn, arg) {
    const driver = await this.enter();
    const out = await driver.executeAsyncScript(
      `const done = arguments[arguments.length - 1];
       Promise.resolve().then(() => (${fn})(arguments[0]))
         .then((value) => done({ value: value === undefined ? null : value }), (e) => done({ error: String(e && e.stack || e) }));`,
      arg ?? null,
    );
    if (out && out.error) throw new Error(`evaluate: ${out.error}`);
    return out ? out.value : null;
  }

  async frame(sel) {
    await this.waitFor(sel);
    const tab = new SeleniumTab(this.session, this.handle, [...this.frames, sel]);
    // Wait until the frame has loaded something.
    const end = Date.now() + DEFAULT_TIMEOUT;
    for (;;) {
      this.session.current = null;
      const href = await tab.evaluate(() => location.href).catch(() => 'about:blank');
      if (href !== 'about:blank') return tab;
      if (Date.now() > end) throw new Error(`frame ${sel} did not load`);
      await sleep(100);
    }
  }
}

export async function firefoxSession(sandbox, opts = {}) {
  const ff = await launchFirefox(sandbox, opts);
  const { driver } = ff;
  const firefox = await import('selenium-webdriver/firefox.js');
  // The binary's own words ("Mozilla Firefox 153.7.0esr"), checked against what geckodriver drives.
  const version = execFileSync(FIREFOX_BINARY, ['--version'], { encoding: 'utf8' }).trim().replace(/^Mozilla /, '');
  const caps = await driver.getCapabilities();
  if (!version.includes(caps.get('browserVersion'))) throw new Error(`${FIREFOX_BINARY} is ${version}, geckodriver drives ${caps.get('browserVersion')}`);

  // The first tab of the browser's main window. New tabs open from there: from the export dialog's
  // own window (a popup, no tab strip) a new tab would not open where the steps look for it.
  const home = await driver.getWindowHandle();

  async function newHandle(before) {
    const end = Date.now() + DEFAULT_TIMEOUT;
    for (;;) {
      const now = await driver.getAllWindowHandles();
      const fresh = now.filter((h) => !before.includes(h));
      if (fresh.length) return fresh[0];
      if (Date.now() > end) throw new Error('no new window opened');
      await sleep(100);
    }
  }

  let log = null;
  if (opts.bidi) {
    const { default: LogInspector } = await import('selenium-webdriver/bidi/logInspector.js');
    const inspector = await LogInspector(driver);
    log = { warnings: [], errors: [] };
    await inspector.onConsoleEntry((e) => { if (e.level === 'warn') log.warnings.push(e.text); });
    await inspector.onJavascriptException((e) => log.errors.push(e.text));
  }

  const session = {
    browser: 'firefox',
    version,
    oauthClient: 'po-bridge-firefox',
    strictCspEngine: 'wasm',
    raw: ff,
    driver,
    current: null,
    extensionUrl: (p) => `moz-extension://${FIREFOX_UUID}/${p}`,
    /** Run a script in Firefox's chrome context (needs geckodriver --allow-system-access). */
    async chrome(script, ...args) {
      session.current = null;
      // The current window may be one that closed (the export dialog's, which Export closes).
      const live = await driver.getAllWindowHandles();
      if (!live.includes(await driver.getWindowHandle().catch(() => null))) {
        await driver.switchTo().window(live.includes(home) ? home : live[0]);
      }
      await driver.setContext(firefox.Context.CHROME);
      try {
        return await driver.executeScript(script, ...args);
      } finally {
        await driver.setContext(firefox.Context.CONTENT);
      }
    },
    /** driver.get refuses moz-extension URLs: load them in the selected tab from the chrome context. */
    async loadInSelectedTab(url) {
      await session.chrome(
        'gBrowser.selectedBrowser.fixupAndLoadURIString(arguments[0], { triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal() });',
        url,
      );
      // Wait for the load to finish.
      const end = Date.now() + DEFAULT_TIMEOUT;
      while (Date.now() < end) {
        const state = await driver.executeScript('return location.href === arguments[0] && document.readyState;', url).catch(() => false);
        if (state === 'complete') return;
        await sleep(100);
      }
    },
    async open(url) {
      session.current = null;
      if ((await driver.getAllWindowHandles()).includes(home)) await driver.switchTo().window(home);
      const tab = await driver.switchTo().newWindow('tab');
      const handle = await driver.getWindowHandle();
      void tab;
      const t = new SeleniumTab(session, handle);
      await t.goto(url);
      return t;
    },
    async extensionPage(p) {
      return session.open(session.extensionUrl(p));
    },
    async consentWindow(trigger) {
      const before = await driver.getAllWindowHandles();
      await trigger();
      const handle = await newHandle(before);
      const tab = new SeleniumTab(session, handle);
      // Wait until the consent page is there.
      const end = Date.now() + DEFAULT_TIMEOUT;
      while ((await tab.url().catch(() => 'about:blank')) === 'about:blank') {
        if (Date.now() > end) break;
        await sleep(100);
      }
      return tab;
    },
    async pageCount() { return (await driver.getAllWindowHandles()).length; },
    async background(fn, arg) {
      const src = `async (a) => (${fn})(await (globalThis.browser ?? globalThis.chrome).runtime.getBackgroundPage(), a)`;
      for (let attempt = 0; ; attempt++) {
        if (!session.backgroundTab) session.backgroundTab = await session.extensionPage('popup.html');
        try {
          return await session.backgroundTab.evaluate(src, arg);
        } catch (e) {
          // The tab went with an extension reload: open another once.
          session.backgroundTab = null;
          if (attempt > 0) throw e;
        }
      }
    },
    /**
     * Stop the event page as about:debugging's "Terminate background script" does: the parent
     * process's `Extension.terminateBackground` unloads the page (its document goes, its code stops,
     * its fetches in flight are dropped) and primes its listeners, so the next extension event (an
     * alarm, a page's message) starts it again. `ignoreDevToolsAttached` as about:debugging passes;
     * `disableResetIdleForTest` so that a listener's promise still pending does not turn the stop
     * into a reset of the idle timer. Resolves true once a running page is 'stopped' and its
     * context unloaded (its document gone); false when none was running or it did not stop.
     */
    async stopWorker() {
      const out = await session.chrome(`
        const { ExtensionParent } = ChromeUtils.importESModule('resource://gre/modules/ExtensionParent.sys.mjs');
        const ext = ExtensionParent.GlobalManager.getExtension(arguments[0]);
        return (async () => {
          const page = ext?.backgroundContext;
          if (!ext || String(ext.backgroundState) !== 'running' || !page) return { stopped: false, state: String(ext?.backgroundState) };
          await ext.terminateBackground({ ignoreDevToolsAttached: true, disableResetIdleForTest: true });
          const state = String(ext.backgroundState);
          // The page's context unloads once its document is gone in the child process.
          for (let i = 0; i < 200 && !page.unloaded; i++) await new Promise((r) => setTimeout(r, 50));
          return { stopped: state === 'stopped' && !!page.unloaded, state, unloaded: !!page.unloaded };
        })();
      `, GECKO_ID);
      if (process.env.PO_DEBUG) console.log('# stopWorker', JSON.stringify(out));
      if (!out.stopped) console.log(`# stopWorker: the event page was not stopped: ${JSON.stringify(out)}`);
      return out.stopped;
    },
    /** Console warnings (content scripts' included) and uncaught errors of web pages, from WebDriver
     * BiDi's log (the session must be started with `{bidi: true}`). */
    async log() {
      if (!log) throw new Error('session.log() needs firefoxSession(sandbox, { bidi: true })');
      return { warnings: [...log.warnings], errors: [...log.errors] };
    },
    async quit() { await ff.quit(); },
  };
  return session;
}

// ------------------------------------------------------------------ Selenium (Chromium, chromedriver)

/**
 * Chromium driven by chromedriver, with dist/ loaded unmodified. Unlike Playwright, chromedriver
 * attaches only to pages, never to the extension's service worker, so the worker lives and dies by
 * Chromium's own idle rules — the case real users meet.
 */
export async function chromedriverSession(sandbox) {
  const { Builder } = await import('selenium-webdriver');
  const chrome = await import('selenium-webdriver/chrome.js');
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'po-bridge-chromedriver-'));
  const options = new chrome.Options()
    .setChromeBinaryPath(chromiumExecutable())
    .addArguments('--headless=new', '--window-size=1280,800', `--user-data-dir=${userDataDir}`, ...chromiumArgs(sandbox))
    .excludeSwitches('disable-extensions', 'enable-automation')
    .setAcceptInsecureCerts(true);
  const service = new chrome.ServiceBuilder(process.env.CHROMEDRIVER || '/usr/bin/chromedriver');
  const driver = await new Builder().forBrowser('chrome').setChromeOptions(options).setChromeService(service).build();
  const version = execFileSync(chromiumExecutable(), ['--version'], { encoding: 'utf8' }).trim();
  const extensionUrl = (p) => `chrome-extension://${CHROMIUM_EXTENSION_ID}/${p}`;
  const session = {
    browser: 'chromium',
    version,
    oauthClient: 'po-bridge-chrome',
    strictCspEngine: 'fallback',
    driver,
    current: null,
    extensionUrl,
    async open(url) {
      session.current = null;
      await driver.switchTo().newWindow('tab');
      const t = new SeleniumTab(session, await driver.getWindowHandle());
      await t.goto(url);
      return t;
    },
    async extensionPage(p) { return session.open(extensionUrl(p)); },
    async quit() {
      await driver.quit().catch(() => {});
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
  return session;
}

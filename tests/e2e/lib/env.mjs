// Shared test environment for the browser suites: the sandbox process, the hostname mapping, and
// browser launchers for Chromium (Playwright) and Firefox ESR (Selenium + geckodriver). The built
// extension in dist/ is loaded unmodified; the real hostnames resolve to the local sandbox.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const DIST = process.env.DIST || path.join(ROOT, 'dist');
export const ARTIFACTS = path.join(ROOT, 'test-results');
export const CHROMIUM_EXTENSION_ID = 'pbildjcpmhghjehcjlcohpgnemagcgfm';
export const GECKO_ID = 'po-bridge@po-bridge.app';
export const FIREFOX_UUID = '6c1f4a2e-53b4-4c07-9d0e-7f0a8e2b9d11';
export const FIREFOX_BINARY = process.env.FIREFOX_BINARY || '/usr/bin/firefox-esr';
export const MAPPED_HOSTS = [
  'app.nuorder.com', 'app.next.nuorder.com', 'api.lightspeedapp.com', 'cloud.lightspeedapp.com',
  'us.merchantos.com', 'eu.merchantos.com', 'aus.merchantos.com',
];

fs.mkdirSync(ARTIFACTS, { recursive: true });

export function artifact(name) {
  return path.join(ARTIFACTS, name);
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Start the sandbox on free ports; resolves once it prints "ready". */
export async function startSandbox(env = {}) {
  const bin = process.env.SANDBOX_BIN || path.join(ROOT, 'target/debug/po-bridge-sandbox');
  if (!fs.existsSync(bin)) throw new Error(`sandbox binary missing: ${bin} (run ./build.sh test)`);
  const httpPort = await freePort();
  const httpsPort = await freePort();
  const child = spawn(bin, [], {
    env: { ...process.env, SANDBOX_HTTP_PORT: String(httpPort), SANDBOX_HTTPS_PORT: String(httpsPort), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sandbox did not start:\n${output}`)), 30000);
    const onData = (d) => {
      output += d;
      if (/ready/.test(output)) { clearTimeout(timer); resolve(); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d) => { output += d; });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`sandbox exited (${code}):\n${output}`)); });
  });
  const base = `http://127.0.0.1:${httpPort}`;
  return {
    httpPort, httpsPort, base, child,
    /** POST a control call (JSON) to /__sandbox/<path>. */
    async control(p, body) {
      const r = await fetch(`${base}/__sandbox/${p}`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}),
      });
      if (!r.ok) throw new Error(`control ${p}: ${r.status} ${await r.text()}`);
      const text = await r.text();
      return text ? JSON.parse(text) : null;
    },
    async get(p) {
      const r = await fetch(`${base}/__sandbox/${p}`);
      if (!r.ok) throw new Error(`control ${p}: ${r.status} ${await r.text()}`);
      return r.json();
    },
    /** The NuORDER corpus: {brands:[{_id,name,slug}], orders:[{_id, order_number, status, brand_id}]}. */
    async corpus() {
      return this.get('nuorder/corpus');
    },
    /** A URL that signs the browser in to the NuORDER sandbox and lands on `path`. */
    signedIn(path, host = 'app.nuorder.com') {
      return `https://${host}/__sandbox/nuorder/sign-in?next=${encodeURIComponent(path)}`;
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
    },
  };
}

export function chromiumExecutable() {
  return fs.existsSync('/usr/lib/chromium/chromium') ? '/usr/lib/chromium/chromium' : '/usr/bin/chromium';
}

/** Chromium's flags for every suite: no network but the sandbox's hostnames, dist/ loaded as is. */
/** Chromium's flags: the real hostnames mapped to the sandbox, dist/ (and `extra` extension folders) loaded. */
export function chromiumArgs(sandbox, extra = []) {
  const rules = MAPPED_HOSTS.map((h) => `MAP ${h} 127.0.0.1:${sandbox.httpsPort}`).join(', ');
  const extensions = [DIST, ...extra].join(',');
  return [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--ignore-certificate-errors',
    `--host-resolver-rules=${rules}`,
    `--disable-extensions-except=${extensions}`, `--load-extension=${extensions}`,
  ];
}

/** Launch Chromium with dist/ loaded and the real hostnames mapped to the sandbox. */
export async function launchChromium(sandbox, { userDataDir, headless = true, extraExtensions = [] } = {}) {
  const { chromium } = await import('playwright-core');
  const dir = userDataDir || fs.mkdtempSync(path.join(os.tmpdir(), 'po-bridge-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: chromiumExecutable(),
    headless,
    ignoreHTTPSErrors: true,
    viewport: { width: 1280, height: 800 },
    args: chromiumArgs(sandbox, extraExtensions),
  });
  // PO Bridge's worker (its id is pinned by the manifest's key), not another loaded extension's.
  const ours = (w) => w.url().startsWith(`chrome-extension://${CHROMIUM_EXTENSION_ID}/`);
  let worker = context.serviceWorkers().find(ours);
  if (!worker) worker = await context.waitForEvent('serviceworker', { predicate: ours, timeout: 20000 });
  const extensionId = new URL(worker.url()).host;
  return { context, worker, extensionId, userDataDir: dir, extensionUrl: (p) => `chrome-extension://${extensionId}/${p}` };
}

/** A CONNECT proxy that sends the mapped hostnames to the sandbox (Firefox has no resolver flag). */
export async function startConnectProxy(sandbox) {
  const server = net.createServer();
  // Every socket, both sides, so that close() never waits on a connection Firefox left half-open.
  const sockets = new Set();
  const track = (s) => { sockets.add(s); s.once('close', () => sockets.delete(s)); return s; };
  server.on('connection', (client) => {
    track(client);
    // From the first byte: Firefox may reset a connection before its CONNECT line is complete (or
    // after a 403), and an 'error' with no listener would fail whichever test is running then.
    let upstream = null;
    client.on('error', () => upstream?.destroy());
    let head = Buffer.alloc(0);
    const onData = (chunk) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      client.removeListener('data', onData);
      const [method, target] = head.slice(0, end).toString('latin1').split(' ');
      const [host, port] = (target || '').split(':');
      if (method !== 'CONNECT' || !MAPPED_HOSTS.includes(host) || port !== '443') {
        client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
        return;
      }
      upstream = track(net.connect(sandbox.httpsPort, '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        const rest = head.slice(end + 4);
        if (rest.length) upstream.write(rest);
        client.pipe(upstream).pipe(client);
      }));
      upstream.on('error', () => client.destroy());
    };
    client.on('data', onData);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: server.address().port,
    close: () => new Promise((r) => {
      server.close(() => r());
      for (const s of sockets) s.destroy();
    }),
  };
}

/**
 * Launch Firefox ESR with dist.zip installed as a temporary add-on; `prefs` are added to the profile;
 * `bidi` also opens a WebDriver BiDi connection (for the console log). With `profile` (a folder),
 * Firefox runs on that profile in place and PO Bridge is installed in it for good, unsigned (ESR
 * honours `xpinstall.signatures.required`), as a signed build is for a user: it and its storage are
 * still there when Firefox is started again on the same folder (then it is not installed again).
 */
export async function launchFirefox(sandbox, { prefs = {}, bidi = false, profile = null } = {}) {
  const { Builder } = await import('selenium-webdriver');
  const firefox = await import('selenium-webdriver/firefox.js');
  const proxy = await startConnectProxy(sandbox);
  const options = new firefox.Options()
    .setBinary(FIREFOX_BINARY)
    .addArguments('-headless')
    .setAcceptInsecureCerts(true)
    .setPreference('network.proxy.type', 1)
    .setPreference('network.proxy.ssl', '127.0.0.1')
    .setPreference('network.proxy.ssl_port', proxy.port)
    .setPreference('network.proxy.no_proxies_on', '')
    .setPreference('extensions.webextensions.uuids', JSON.stringify({ [GECKO_ID]: FIREFOX_UUID }))
    .setPreference('app.update.enabled', false)
    .setPreference('browser.shell.checkDefaultBrowser', false);
  const again = profile && fs.existsSync(path.join(profile, 'extensions.json'));
  if (profile) options.addArguments('-profile', profile).setPreference('xpinstall.signatures.required', false);
  for (const [name, value] of Object.entries(prefs)) options.setPreference(name, value);
  if (bidi) options.enableBidi();
  const service = new firefox.ServiceBuilder(process.env.GECKODRIVER).addArguments('--allow-system-access');
  const driver = await new Builder().forBrowser('firefox').setFirefoxOptions(options).setFirefoxService(service).build();
  const zip = path.join(ROOT, 'dist.zip');
  if (!again) await driver.installAddon(zip, !profile);
  return {
    driver,
    profile,
    extensionUrl: (p) => `moz-extension://${FIREFOX_UUID}/${p}`,
    /** Open an extension page in the current tab (driver.get refuses moz-extension URLs). */
    async openExtensionPage(p) {
      await driver.setContext(firefox.Context.CHROME);
      await driver.executeScript(
        `gBrowser.selectedBrowser.fixupAndLoadURIString(arguments[0], { triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal() });`,
        `moz-extension://${FIREFOX_UUID}/${p}`,
      );
      await driver.setContext(firefox.Context.CONTENT);
    },
    async quit() {
      await driver.quit().catch(() => {});
      await proxy.close();
    },
  };
}

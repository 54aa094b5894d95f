// The in-page layer (tests/e2e/flows/inpage.mjs) in Chromium, through Playwright, with dist/: the JS
// fallback under a strict page CSP, the wasm under a relaxed one; the export dialog is our overlay.
import { inpageSuite } from './flows/inpage.mjs';
import { chromiumSession } from './lib/driver.mjs';

inpageSuite('chromium', (sandbox) => chromiumSession(sandbox), { strictEngine: 'fallback', overlay: true });

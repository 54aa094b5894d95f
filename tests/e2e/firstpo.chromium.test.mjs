// From install to the first PO (tests/e2e/flows/firstpo.mjs) in Chromium, through Playwright.
import { firstPoSuite } from './flows/firstpo.mjs';
import { chromiumSession } from './lib/driver.mjs';

firstPoSuite((sandbox) => chromiumSession(sandbox));

// A way in when NuORDER's page changes (tests/e2e/flows/secondway.mjs) in Chromium, through Playwright.
import { secondWaySuite } from './flows/secondway.mjs';
import { chromiumSession } from './lib/driver.mjs';

secondWaySuite((sandbox) => chromiumSession(sandbox));

// The batch flows (tests/e2e/flows/batch.mjs) in Chromium, through Playwright, with dist/.
import { batchSuite } from './flows/batch.mjs';
import { chromiumSession } from './lib/driver.mjs';

batchSuite((sandbox) => chromiumSession(sandbox));

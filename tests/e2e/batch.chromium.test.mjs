// The batch flows (tests/e2e/flows/batch.mjs) in Chromium, through Playwright, with dist/. The
// restart starts Chromium again on the same profile directory.
import { batchSuite } from './flows/batch.mjs';
import { chromiumSession } from './lib/driver.mjs';

batchSuite((sandbox, previous) => chromiumSession(sandbox, previous ? { userDataDir: previous.raw.userDataDir } : {}));

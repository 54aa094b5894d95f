// The in-page attacks (tests/e2e/pageattacks.mjs) in Chromium, through Playwright, with dist/.
import { pageAttackSuite } from './pageattacks.mjs';
import { chromiumSession } from './lib/driver.mjs';

pageAttackSuite((sandbox) => chromiumSession(sandbox));

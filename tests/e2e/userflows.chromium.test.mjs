// The user flows (tests/e2e/flows/userflows.mjs) in Chromium, through Playwright, with dist/.
import { userFlowSuite } from './flows/userflows.mjs';
import { chromiumSession } from './lib/driver.mjs';

userFlowSuite((sandbox) => chromiumSession(sandbox));

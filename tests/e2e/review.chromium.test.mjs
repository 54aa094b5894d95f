// The review of an edited order (tests/e2e/flows/review.mjs) in Chromium, through Playwright, with dist/.
import { reviewSuite } from './flows/review.mjs';
import { chromiumSession } from './lib/driver.mjs';

reviewSuite((sandbox) => chromiumSession(sandbox));

// The same review flow (tests/e2e/flows/review.mjs) in Firefox ESR, through Selenium and
// geckodriver, with dist.zip installed as a temporary add-on.
import { reviewSuite } from './flows/review.mjs';
import { firefoxSession } from './lib/driver.mjs';

reviewSuite((sandbox) => firefoxSession(sandbox));

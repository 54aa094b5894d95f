// The batch flows (tests/e2e/flows/batch.mjs) in Firefox ESR, through Selenium and geckodriver, with
// dist.zip installed as a temporary add-on.
import { batchSuite } from './flows/batch.mjs';
import { firefoxSession } from './lib/driver.mjs';

batchSuite((sandbox) => firefoxSession(sandbox));

// The same in-page attacks (tests/e2e/pageattacks.mjs) in Firefox ESR, through Selenium and
// geckodriver, with dist.zip installed as a temporary add-on.
import { pageAttackSuite } from './pageattacks.mjs';
import { firefoxSession } from './lib/driver.mjs';

pageAttackSuite((sandbox) => firefoxSession(sandbox));

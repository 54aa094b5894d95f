// From install to the first PO (tests/e2e/flows/firstpo.mjs) in Firefox ESR, through Selenium and
// geckodriver, with dist.zip installed as a temporary add-on.
import { firstPoSuite } from './flows/firstpo.mjs';
import { firefoxSession } from './lib/driver.mjs';

firstPoSuite((sandbox) => firefoxSession(sandbox));

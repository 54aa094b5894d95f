// The same user flows (tests/e2e/flows/userflows.mjs) in Firefox ESR, through Selenium and
// geckodriver, with dist.zip installed as a temporary add-on.
import { userFlowSuite } from './flows/userflows.mjs';
import { firefoxSession } from './lib/driver.mjs';

userFlowSuite((sandbox) => firefoxSession(sandbox));

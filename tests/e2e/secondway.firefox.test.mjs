// A way in when NuORDER's page changes (tests/e2e/flows/secondway.mjs) in Firefox ESR, through
// Selenium and geckodriver, with dist.zip installed as a temporary add-on.
import { secondWaySuite } from './flows/secondway.mjs';
import { firefoxSession } from './lib/driver.mjs';

secondWaySuite((sandbox) => firefoxSession(sandbox));

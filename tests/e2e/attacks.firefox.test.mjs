// The attack tests (tests/e2e/attacks.mjs) in Firefox ESR, through Selenium and geckodriver, with
// dist.zip installed as a temporary add-on. Selenium cannot evaluate in a content script's world,
// so A3 (a content script sending StartExport) is tested natively there (tests/app_capability.rs,
// src/app/sender.rs).
import { attackSuite } from './attacks.mjs';
import { firefoxSession } from './lib/driver.mjs';

attackSuite('firefox', (sandbox) => firefoxSession(sandbox));

// The popup's edge cases (tests/e2e/flows/popup.mjs) in Firefox ESR, through Selenium and
// geckodriver, with dist.zip installed as a temporary add-on.
import { popupSuite } from './flows/popup.mjs';
import { firefoxSession } from './lib/driver.mjs';

popupSuite('firefox', (sandbox) => firefoxSession(sandbox), {
  // A temporary add-on (how the suites, and anyone without a signed build, install PO Bridge in
  // Firefox) is uninstalled when Firefox closes, so a restart meets no PO Bridge to remember anything.
  restart: 'Firefox removes a temporary add-on when it closes: nothing of it survives a restart',
});

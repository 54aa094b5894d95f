// The popup's edge cases (tests/e2e/flows/popup.mjs) in Chromium, through Playwright, with dist/.
// The restart starts Chromium again on the same profile directory.
import { popupSuite } from './flows/popup.mjs';
import { chromiumSession } from './lib/driver.mjs';

popupSuite('chromium', (sandbox, previous) => chromiumSession(sandbox, previous ? { userDataDir: previous.raw.userDataDir } : {}));

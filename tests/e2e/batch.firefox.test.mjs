// The batch flows (tests/e2e/flows/batch.mjs) in Firefox ESR, through Selenium and geckodriver. A
// temporary add-on would be gone when Firefox closes, so this suite installs dist.zip for good in a
// profile folder of its own (as a signed build is installed for a user) and the restart starts
// Firefox again on that folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { batchSuite } from './flows/batch.mjs';
import { firefoxSession } from './lib/driver.mjs';

batchSuite((sandbox, previous) => firefoxSession(sandbox, {
  profile: previous ? previous.raw.profile : fs.mkdtempSync(path.join(os.tmpdir(), 'po-bridge-firefox-')),
}));

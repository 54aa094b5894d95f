// The in-page layer (tests/e2e/flows/inpage.mjs) in Firefox ESR, through Selenium and geckodriver
// (with WebDriver BiDi for the console log), with dist.zip installed as a temporary add-on: the wasm
// under both page CSPs (Firefox lets content scripts compile wasm whatever the page's CSP); no
// overlay (the background opens the dialog's own window).
import { inpageSuite } from './flows/inpage.mjs';
import { firefoxSession } from './lib/driver.mjs';

inpageSuite('firefox', (sandbox) => firefoxSession(sandbox, { bidi: true }), {
  strictEngine: 'wasm',
  overlay: false,
  // When an add-on reloads, Firefox destroys its old content scripts' sandboxes: no code of theirs
  // runs any more, so nothing can mark the old widgets (a click on one falls through to the row and
  // opens the order, where the newly injected content script mounts a working action). Seen in
  // Firefox 153 ESR: after runtime.reload() the open list keeps its old widgets as they were
  // (Not exported, enabled, none added) for as long as it stays open; the new instance injects
  // nothing into it, so no test of a marking can be honest here.
  orphans: 'Firefox destroys the old content scripts on reload: nothing is left to mark their widgets orphaned',
});

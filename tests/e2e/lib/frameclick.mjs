// A click into our dialog's frame, as a user makes it: in the tab in front.
//
// Chromium routes a click into an out-of-process frame (the extension's dialog inside the NuORDER
// page) by hit-test data the compositor keeps, and a tab behind another one (a suite's page opened
// after the NuORDER tab, say) does not keep it fresh: the click reaches the embedding page instead.
// The page's document sees it on the <iframe> element and the frame sees nothing. The export
// suite opens the extension's page after the NuORDER tab; under three busy loops its first frame
// click went to the page 3 times in a row in each of 3 runs (one CI run: 5, and the suite failed).
// With the NuORDER tab brought to the front first: none in 3 runs, and none in 29 dialogs of a
// probe that went to the page in 2 of 6 without it. So the page comes to the front before every
// click, as the user's tab is. A click that still reaches the page is sent again, after a pause
// that grows, at most five times (a backstop, not seen since). Anything else the click does — or
// fails to do — is left to the test.

/** Click `locator` (inside a frame of `page`); resend only a click the page got instead of the frame. */
export async function clickInFrame(page, locator, options = {}) {
  await page.bringToFront();
  for (let attempt = 1; ; attempt++) {
    await page.evaluate(() => {
      window.__pbMisrouted = 0;
      const seen = (e) => {
        if (e.composedPath()[0]?.tagName === 'IFRAME') window.__pbMisrouted += 1;
      };
      document.addEventListener('click', seen, { capture: true, once: true });
      setTimeout(() => document.removeEventListener('click', seen, { capture: true }), 5000);
    });
    await locator.click(options);
    const misrouted = await page.evaluate(() => window.__pbMisrouted);
    if (!misrouted) return;
    if (attempt === 5) throw new Error('five clicks in a row reached the page instead of the dialog frame');
    console.error(`# clickInFrame: click ${attempt} reached the page instead of the frame; sent again`);
    await new Promise((r) => setTimeout(r, 250 * attempt));
  }
}

// A click into our dialog's frame, as Chromium delivers it.
//
// Chromium routes a click into an out-of-process frame (the extension's dialog inside the NuORDER
// page) by hit-test data the compositor keeps. On a loaded machine a click can reach the embedding
// page instead: the page's document sees it on the <iframe> element and the frame sees nothing
// (recorded while chasing a failed run: `click:IFRAME` in the page, no event in the frame, the
// tab not selected). That is the browser's input routing, not the product: such a click is sent
// again, after a pause that grows (the compositor catching up), at most five times. Anything else
// the click does — or fails to do — is left to the test.

/** Click `locator` (inside a frame of `page`); resend only a click the page got instead of the frame. */
export async function clickInFrame(page, locator, options = {}) {
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

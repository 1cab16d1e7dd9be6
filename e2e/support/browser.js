// Debian's Chromium driven by playwright-core (no downloaded browser build).

import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Waits for the document that `action` leads to (a click, a key press, a goto)
 * and returns its final response, after any redirects, once the new document has
 * replaced the old one and has loaded. Both listeners are set up before the action
 * runs, so a fast response cannot be missed.
 */
export async function navigation(page, action, { timeout = 15_000 } = {}) {
  const frame = page.mainFrame();
  const final = page.waitForResponse(
    (r) =>
      r.request().isNavigationRequest() &&
      r.frame() === frame &&
      !(r.status() >= 300 && r.status() < 400),
    { timeout },
  );
  // Fires when the new document is committed (redirects do not commit).
  const committed = page.waitForEvent('framenavigated', { predicate: (f) => f === frame, timeout });
  await action();
  const [response] = await Promise.all([final, committed]);
  await page.waitForLoadState('load');
  return response;
}

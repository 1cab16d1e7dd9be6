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
 * and returns its final response, after any redirects. The listener is set up
 * before the action runs, so a fast response cannot be missed.
 */
export async function navigation(page, action) {
  const final = page.waitForResponse(
    (r) =>
      r.request().isNavigationRequest() &&
      r.frame() === page.mainFrame() &&
      !(r.status() >= 300 && r.status() < 400),
  );
  await action();
  const response = await final;
  await page.waitForLoadState('load');
  return response;
}

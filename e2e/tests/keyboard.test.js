// Keyboard use of the login page: the skip link comes first and works, and a
// person can log in with the keyboard alone.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { expectAccessible } from '../support/axe.js';
import { navigation } from '../support/browser.js';
import { useApp } from '../support/fixture.js';
import { LayoutPage } from '../support/pages/LayoutPage.js';
import { LoginPage } from '../support/pages/LoginPage.js';

const app = useApp();

/** A short description of the focused element, for assertions and messages. */
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'body';
    return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className ? `.${el.className.split(' ').join('.')}` : ''}`;
  });
}

/**
 * Puts the browser's sequential-focus starting point at the top of the document,
 * as on a page that has just been opened with nothing focused: a click on an empty,
 * non-interactive spot of the page body. (blur() alone would not do: Chromium goes
 * on from the element that had focus.)
 */
async function focusStartOfDocument(page) {
  await page.mouse.click(2, (page.viewportSize()?.height ?? 720) - 2);
  assert.equal(await focused(page), 'body');
}

test('Tab from the start of the page reaches the skip link first, and it leads to the main content', async () => {
  const page = await app.newPage();
  await new LoginPage(page).goto();
  const layout = new LayoutPage(page);
  await focusStartOfDocument(page);

  await page.keyboard.press('Tab');
  assert.equal(await focused(page), 'a.skip-link', 'the first Tab stop is the skip link');
  assert.equal(await layout.skipLink.textContent(), 'Spring til indhold');
  // Visible while focused: on screen, not moved off to the left.
  const box = await layout.skipLink.boundingBox();
  assert.ok(box && box.x >= 0 && box.y >= 0 && box.width > 0, `the focused skip link is on screen (${JSON.stringify(box)})`);
  await expectAccessible(page, 'login page with the skip link focused');

  await page.keyboard.press('Enter');
  assert.equal(await focused(page), 'main#main', 'the skip link moves focus to <main>');
  await page.keyboard.press('Tab');
  assert.equal(await focused(page), 'input#username', 'the next Tab stop is the first field');
});

// The login page has no autofocus, so the skip link is the first stop.
test(
  'on a freshly loaded login page, the first Tab reaches the skip link',
  async () => {
    const page = await app.newPage();
    await new LoginPage(page).goto();
    await page.keyboard.press('Tab');
    assert.equal(await focused(page), 'a.skip-link');
  },
);

test('a person can log in with the keyboard alone: type, Tab, type, Enter', async () => {
  const page = await app.newPage();
  const login = new LoginPage(page);
  await login.goto();
  // Reach the user name field by Tab alone (it may already have focus).
  for (let i = 0; i < 10 && (await focused(page)) !== 'input#username'; i++) {
    await page.keyboard.press('Tab');
  }
  assert.equal(await focused(page), 'input#username');

  const { username, password } = app.credentials.sagsbehandler;
  await page.keyboard.type(username);
  await page.keyboard.press('Tab');
  assert.equal(await focused(page), 'input#password');
  await page.keyboard.type(password);
  const response = await navigation(page, () => page.keyboard.press('Enter'));

  assert.equal(response.status(), 200);
  assert.equal(new URL(page.url()).pathname, '/overblik');
  assert.match(await new LayoutPage(page).userLine.textContent(), /^Logget ind som /);
});

test('every control on the login page can be reached with Tab, in reading order', async () => {
  const page = await app.newPage();
  await new LoginPage(page).goto();
  await focusStartOfDocument(page);
  const stops = [];
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    if (now === 'body' || stops.includes(now)) break;
    stops.push(now);
  }
  assert.deepEqual(stops, [
    'a.skip-link',
    'a.brand-name',
    'input#username',
    'input#password',
    'button.primary',
    'select#lang',
    'button',
  ]);
});

test('logged in, Tab goes skip link, header, navigation, then the rest of the page', async () => {
  const page = await app.newPage();
  await new LoginPage(page).loginAs(app.credentials.leder);
  await focusStartOfDocument(page);
  const order = [];
  for (let i = 0; i < 9; i++) {
    await page.keyboard.press('Tab');
    order.push(
      await page.evaluate(() => {
        const el = document.activeElement;
        return el.closest('nav') ? `nav:${el.getAttribute('href')}` : el.textContent.trim();
      }),
    );
  }
  assert.deepEqual(order, [
    'Spring til indhold',
    'indsats',
    'Log ud',
    'nav:/overblik',
    'nav:/plan',
    'nav:/borgere',
    'nav:/virksomheder',
    'nav:/match',
    'nav:/rapporter',
  ]);
});

/**
 * Tabs through the whole page and, for each stop, measures the focus outline's
 * contrast against the colour around it (the first opaque background among the
 * ancestors, which is what the offset outline sits on). WCAG 2.1 SC 1.4.11 asks
 * for 3:1 for the visual information that shows a component's state.
 */
async function focusIndicatorContrasts(page) {
  await focusStartOfDocument(page);
  const results = [];
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const rgb = (text) => {
        const m = text.match(/rgba?\(([^)]+)\)/);
        if (!m) return null;
        const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
        return { r, g, b, a };
      };
      const luminance = ({ r, g, b }) => {
        const lin = (c) => {
          const s = c / 255;
          return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
        };
        return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
      };
      let background = { r: 255, g: 255, b: 255, a: 1 };
      for (let node = el.parentElement; node; node = node.parentElement) {
        const c = rgb(getComputedStyle(node).backgroundColor);
        if (c && c.a > 0) {
          background = c;
          break;
        }
      }
      const style = getComputedStyle(el);
      const outline = rgb(style.outlineColor);
      const width = parseFloat(style.outlineWidth);
      const visible = style.outlineStyle !== 'none' && width > 0 && outline && outline.a > 0;
      const [hi, lo] = [luminance(outline ?? background), luminance(background)].sort((a, b) => b - a);
      return {
        element: `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${el.textContent.trim().slice(0, 20)}"`,
        outline: style.outlineColor,
        background: `rgb(${background.r}, ${background.g}, ${background.b})`,
        visible,
        ratio: visible ? Math.round(((hi + 0.05) / (lo + 0.05)) * 100) / 100 : 0,
      };
    });
    if (!stop || results.some((r) => r.element === stop.element)) break;
    results.push(stop);
  }
  return results;
}

// axe does not check focus indicators (WCAG 2.1 SC 1.4.11), so this test measures them.
test(
  'focus outlines have at least 3:1 contrast against their surroundings',
  async () => {
    const page = await app.newPage();
    const stops = [];
    await new LoginPage(page).goto();
    stops.push(...(await focusIndicatorContrasts(page)));
    await new LoginPage(page).loginAs(app.credentials.leder);
    stops.push(...(await focusIndicatorContrasts(page)));
    assert.ok(stops.length >= 10, 'the pages have focusable controls');
    const weak = stops.filter((s) => !s.visible || s.ratio < 3);
    assert.ok(
      weak.length === 0,
      `focus indicators below 3:1:\n${weak.map((s) => `  ${s.element}: outline ${s.outline} on ${s.background} = ${s.ratio}:1`).join('\n')}`,
    );
  },
);

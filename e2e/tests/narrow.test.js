// A narrow screen: 320 CSS pixels wide, which is what WCAG 2.1 SC 1.4.10 (Reflow)
// asks pages to work at (1280 px at 400 % zoom). No page may scroll sideways as a
// whole, and axe is run again, because some problems only appear when content
// overflows (e.g. a table that must scroll on its own).

import assert from 'node:assert/strict';
import { before, test } from 'node:test';

import { expectAccessible, runAxe, formatViolations } from '../support/axe.js';
import { useApp } from '../support/fixture.js';
import { AdminPage } from '../support/pages/AdminPage.js';
import { LoginPage } from '../support/pages/LoginPage.js';

const app = useApp();
const NARROW = { width: 320, height: 640 };

async function expectNoSidewaysScroll(page, label) {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  assert.ok(scrollWidth <= clientWidth, `${label} scrolls sideways at 320 px (${scrollWidth} > ${clientWidth})`);
}

let adminPage;
before(async () => {
  adminPage = await app.newPage({ viewport: NARROW });
  await new LoginPage(adminPage).loginAs(app.credentials.admin);
});

test('the login page, logged out, at 320 px', async () => {
  const page = await app.newPage({ viewport: NARROW });
  await new LoginPage(page).goto();
  await expectNoSidewaysScroll(page, 'login');
  await expectAccessible(page, 'login at 320 px');
});

test('area, 403 and 404 pages of the role with the longest navigation, at 320 px', async () => {
  const page = await app.newPage({ viewport: NARROW });
  await new LoginPage(page).loginAs(app.credentials.leder);
  for (const [path, status] of [
    ['/overblik', 200],
    ['/borgere', 200],
    ['/administration', 403],
    ['/findes-ikke', 404],
  ]) {
    const response = await page.goto(path);
    assert.equal(response.status(), status, path);
    await expectNoSidewaysScroll(page, path);
    await expectAccessible(page, `${path} at 320 px`);
  }
});

test('the administration page at 320 px', async () => {
  const admin = new AdminPage(adminPage);
  assert.equal((await admin.goto()).status(), 200);
  await expectNoSidewaysScroll(adminPage, '/administration');
  await expectAccessible(adminPage, '/administration at 320 px');
});

test('the administration page with a field error at 320 px', async () => {
  const admin = new AdminPage(adminPage);
  await admin.goto();
  const response = await admin.createUser({
    username: 'smal.skaerm',
    displayName: 'Smal Skærm',
    role: 'leder',
    password: 'kort',
  });
  assert.equal(response.status(), 422);
  assert.equal(await admin.newPasswordError.count(), 1);
  await expectNoSidewaysScroll(adminPage, '/administration with an error');
  await expectAccessible(adminPage, '/administration with a field error at 320 px');
});

test(
  'tables that scroll sideways at 320 px can be reached with the keyboard',
  async () => {
    await new AdminPage(adminPage).goto();
    const { violations } = await runAxe(adminPage);
    const scroll = violations.filter((v) => v.id === 'scrollable-region-focusable');
    assert.equal(scroll.length, 0, formatViolations(scroll));
  },
);

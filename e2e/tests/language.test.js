// The language switch in the footer: to English and back, logged out and logged in.
// Every page seen in English is checked with axe too.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { AREAS, allowedAreas } from '../support/access.js';
import { expectAccessible } from '../support/axe.js';
import { useApp } from '../support/fixture.js';
import { AdminPage } from '../support/pages/AdminPage.js';
import { ErrorPage } from '../support/pages/ErrorPage.js';
import { LayoutPage } from '../support/pages/LayoutPage.js';
import { LoginPage } from '../support/pages/LoginPage.js';

const app = useApp();

test('logged in: switch to English and back, staying on the same page', async () => {
  const page = await app.newPage();
  await new LoginPage(page).loginAs(app.credentials.leder);
  const layout = new LayoutPage(page);
  await layout.goto('/plan');
  assert.equal(await layout.languageSelect.inputValue(), 'da');
  assert.equal(await layout.languageButton.textContent(), 'Skift sprog');

  const english = await layout.switchLanguage('en');
  assert.equal(english.status(), 200);
  assert.equal(new URL(page.url()).pathname, '/plan', 'the switch returns to the same page');
  assert.equal(await layout.documentLanguage(), 'en');
  assert.deepEqual(
    (await layout.navItems()).map((i) => i.label),
    allowedAreas('leder').map((a) => a.en),
  );
  assert.equal(await layout.logoutButton.textContent(), 'Log out');
  assert.equal(await layout.skipLink.textContent(), 'Skip to content');
  assert.equal(await layout.languageSelect.inputValue(), 'en');
  assert.equal(await layout.languageButton.textContent(), 'Change language');
  assert.match(await layout.userLine.textContent(), /^Logged in as .+ \(Manager\)$/);
  await expectAccessible(page, '/plan in English');

  // The choice holds for the next pages.
  await layout.goto('/overblik');
  assert.equal(await layout.documentLanguage(), 'en');
  assert.equal(await layout.currentNavLink.textContent(), 'Overview');
  await expectAccessible(page, '/overblik in English');

  const forbidden = await layout.goto('/administration');
  assert.equal(forbidden.status(), 403);
  assert.equal((await new ErrorPage(page).heading.textContent()).trim(), 'No access');
  assert.equal(await layout.documentLanguage(), 'en');
  await expectAccessible(page, '403 in English');

  const missing = await layout.goto('/does-not-exist');
  assert.equal(missing.status(), 404);
  assert.equal((await new ErrorPage(page).heading.textContent()).trim(), 'Page not found');
  await expectAccessible(page, '404 in English');

  // And back to Danish.
  await layout.goto('/plan');
  const danish = await layout.switchLanguage('da');
  assert.equal(danish.status(), 200);
  assert.equal(new URL(page.url()).pathname, '/plan');
  assert.equal(await layout.documentLanguage(), 'da');
  assert.deepEqual(
    (await layout.navItems()).map((i) => i.label),
    allowedAreas('leder').map((a) => a.da),
  );
  assert.equal(await layout.logoutButton.textContent(), 'Log ud');
  await expectAccessible(page, '/plan back in Danish');
});

test('logged out: the login page in English, then logging in keeps English', async () => {
  const page = await app.newPage();
  const login = new LoginPage(page);
  const layout = new LayoutPage(page);
  await login.goto();
  const response = await layout.switchLanguage('en');
  assert.equal(response.status(), 200);
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.equal(await layout.documentLanguage(), 'en');
  assert.equal(await page.title(), 'Log in · indsats');
  assert.equal(await page.locator('label[for="username"]').textContent(), 'User name');
  await expectAccessible(page, 'login page in English');

  const failed = await login.login(app.credentials.admin.username, 'not-the-password');
  assert.equal(failed.status(), 401);
  assert.equal(await login.error.textContent(), 'The user name or password is wrong.');
  await expectAccessible(page, 'failed login in English');

  await login.loginAs(app.credentials.admin);
  assert.equal(await layout.documentLanguage(), 'en');
  assert.deepEqual(
    (await layout.navItems()).map((i) => i.label),
    allowedAreas('admin').map((a) => a.en),
  );

  // The administration page with a field error, in English.
  const admin = new AdminPage(page);
  await admin.goto();
  const invalid = await admin.createUser({
    username: 'short.pw',
    displayName: 'Short Password',
    role: 'udvalg',
    password: 'too-short',
  });
  assert.equal(invalid.status(), 422);
  assert.equal(await admin.newPasswordError.textContent(), 'The password must be at least 12 characters long.');
  await expectAccessible(page, 'administration with a field error, in English');

  await layout.goto('/overblik');
  await layout.switchLanguage('da');
  assert.equal(await layout.documentLanguage(), 'da');
  assert.equal(await layout.currentNavLink.textContent(), AREAS[0].da);
});

test('the language switch only returns to local paths', async () => {
  const page = await app.newPage();
  await new LoginPage(page).goto();
  const token = await page.locator('footer input[name="csrf_token"]').inputValue();
  // The form's hidden "back" field, pointed elsewhere. The redirect is read, not
  // followed, so a failure here never sends the browser off this machine.
  for (const back of ['https://example.org/', '//example.org/', '/\\example.org', 'javascript:alert(1)']) {
    const response = await page.request.post('/sprog', {
      form: { csrf_token: token, lang: 'da', back },
      maxRedirects: 0,
    });
    assert.equal(response.status(), 303, `back=${back}`);
    assert.equal(response.headers().location, '/', `back=${back} goes to the front page instead`);
  }
  const local = await page.request.post('/sprog', {
    form: { csrf_token: token, lang: 'da', back: '/plan' },
    maxRedirects: 0,
  });
  assert.equal(local.headers().location, '/plan');
});

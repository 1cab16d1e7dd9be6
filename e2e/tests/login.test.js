// Logging in: a wrong password and an unknown user get the same Danish 401 answer,
// and a good login lands on the overview.
//
// Login is rate-limited (5 failures per user name, 30 per client address, per 15
// minutes); this file fails 2 logins in all, on its own server.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { expectAccessible } from '../support/axe.js';
import { navigation } from '../support/browser.js';
import { useApp } from '../support/fixture.js';
import { LayoutPage } from '../support/pages/LayoutPage.js';
import { LoginPage } from '../support/pages/LoginPage.js';

const app = useApp();

const FAILED = 'Brugernavnet eller adgangskoden er forkert.';

/** What the visitor sees of a failed login, with the typed user name taken out. */
async function failureAsSeen(page, username) {
  const main = await page.locator('main').innerText();
  return main.replaceAll(username, '<user>');
}

test('the login page is in Danish, has labelled fields and is accessible', async () => {
  const page = await app.newPage();
  const login = new LoginPage(page);
  const response = await login.goto();
  assert.equal(response.status(), 200);
  assert.equal(await new LayoutPage(page).documentLanguage(), 'da');
  assert.equal(await page.title(), 'Log ind · indsats');
  assert.equal((await login.heading.textContent()).trim(), 'Log ind');
  assert.equal(await page.locator('label[for="username"]').textContent(), 'Brugernavn');
  assert.equal(await page.locator('label[for="password"]').textContent(), 'Adgangskode');
  assert.equal(await login.username.getAttribute('autocomplete'), 'username');
  assert.equal(await login.password.getAttribute('autocomplete'), 'current-password');
  assert.equal(await login.error.count(), 0);
  await expectAccessible(page, 'login page');
});

test('a wrong password gives 401 and the same Danish message as an unknown user', async () => {
  const page = await app.newPage();
  const login = new LoginPage(page);
  const known = app.credentials.sagsbehandler.username;

  const wrongPassword = await login.open(known, 'forkert-adgangskode-123');
  assert.equal(wrongPassword.status(), 401);
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.equal(await login.error.textContent(), FAILED);
  assert.equal(await login.error.getAttribute('role'), 'alert');
  // The fields point at the message, and the user name is kept but not the password.
  assert.equal(await login.username.getAttribute('aria-invalid'), 'true');
  assert.equal(await login.username.getAttribute('aria-describedby'), 'login-error');
  assert.equal(await login.password.getAttribute('aria-describedby'), 'login-error');
  assert.equal(await login.username.inputValue(), known);
  assert.equal(await login.password.inputValue(), '');
  await expectAccessible(page, 'login page after a wrong password');
  const seenForKnown = await failureAsSeen(page, known);

  const unknown = 'findes-ikke-bruger';
  const unknownUser = await login.open(unknown, 'forkert-adgangskode-123');
  assert.equal(unknownUser.status(), 401, 'an unknown user gets the same status');
  assert.equal(await login.error.textContent(), FAILED, 'an unknown user gets the same message');
  assert.equal(
    await failureAsSeen(page, unknown),
    seenForKnown,
    'nothing on the page tells whether the user name exists',
  );
  await expectAccessible(page, 'login page after an unknown user');

  // The failures did not lock out the real user (well below the rate limit).
  const ok = await login.loginAs(app.credentials.sagsbehandler);
  assert.equal(ok.status(), 200);
  assert.equal(new URL(page.url()).pathname, '/overblik');
});

test('a good login lands on the overview with a welcome and the user in the header', async () => {
  const page = await app.newPage();
  const response = await new LoginPage(page).loginAs(app.credentials.leder);
  assert.equal(response.status(), 200);
  assert.equal(new URL(page.url()).pathname, '/overblik');
  const layout = new LayoutPage(page);
  assert.match(await layout.userLine.textContent(), /^Logget ind som .+ \(Leder\)$/);
  assert.match(await page.locator('main .welcome').textContent(), /^Velkommen, .+\.$/);
  // Logged in, /login and / go to the overview.
  for (const path of ['/login', '/']) {
    await layout.goto(path);
    assert.equal(new URL(page.url()).pathname, '/overblik', `${path} redirects when logged in`);
  }
});

test('the session cookie is HttpOnly and SameSite=Lax', async () => {
  const page = await app.newPage();
  await new LoginPage(page).loginAs(app.credentials.udvalg);
  const session = (await page.context().cookies()).find((c) => c.name === 'indsats_session');
  assert.ok(session, 'a session cookie is set');
  assert.equal(session.httpOnly, true);
  assert.equal(session.sameSite, 'Lax');
  assert.equal(await page.evaluate(() => document.cookie.includes('indsats_session')), false);
});

test('a second visit to an area after login needs no new login (the session holds)', async () => {
  const page = await app.newPage();
  await new LoginPage(page).loginAs(app.credentials.admin);
  const layout = new LayoutPage(page);
  const response = await navigation(page, () => layout.navLinks.filter({ hasText: 'Rapporter' }).click());
  assert.equal(response.status(), 200);
  assert.equal(new URL(page.url()).pathname, '/rapporter');
});

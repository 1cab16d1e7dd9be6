// Error pages (404, CSRF 403) and the CSRF protection of state-changing requests.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { expectAccessible } from '../support/axe.js';
import { navigation } from '../support/browser.js';
import { useApp } from '../support/fixture.js';
import { ErrorPage } from '../support/pages/ErrorPage.js';
import { LayoutPage } from '../support/pages/LayoutPage.js';
import { LoginPage } from '../support/pages/LoginPage.js';

const app = useApp();

async function expectNotFound(page, path, label) {
  const response = await page.goto(path);
  assert.equal(response.status(), 404, `${path} is 404`);
  const error = new ErrorPage(page);
  assert.equal((await error.heading.textContent()).trim(), 'Siden findes ikke');
  assert.equal(await page.title(), 'Siden findes ikke · indsats');
  assert.match(await error.body.textContent(), /^Der er ingen side på denne adresse\./);
  assert.equal(await error.homeLink.count(), 1);
  assert.equal(await new LayoutPage(page).documentLanguage(), 'da');
  await expectAccessible(page, label);
}

test('an unknown path gives the Danish 404 page, logged out', async () => {
  const page = await app.newPage();
  await expectNotFound(page, '/findes-ikke', '404 (logged out)');
  await expectNotFound(page, '/findes/heller/ikke', '404, deep path (logged out)');
});

test('an unknown path gives the Danish 404 page, logged in, with the navigation', async () => {
  const page = await app.newPage();
  await new LoginPage(page).loginAs(app.credentials.leder);
  await expectNotFound(page, '/findes-ikke', '404 (logged in)');
  assert.ok((await new LayoutPage(page).navLinks.count()) > 0, 'the navigation is shown');
});

test('logged out, an area page redirects to the login page', async () => {
  const page = await app.newPage();
  for (const path of ['/overblik', '/administration', '/borgere']) {
    const response = await page.goto(path);
    assert.equal(response.status(), 200);
    assert.equal(new URL(page.url()).pathname, '/login', `${path} leads to /login`);
  }
});

test('a POST without a CSRF token is rejected with 403, and nothing happens', async () => {
  const page = await app.newPage();
  await new LoginPage(page).loginAs(app.credentials.sagsbehandler);

  // The browser's cookies go along (page.request shares the context's cookie jar),
  // but no token: neither in a form field nor in the X-CSRF-Token header.
  const bare = await page.request.post('/logout', { maxRedirects: 0 });
  assert.equal(bare.status(), 403);
  assert.match(await bare.text(), /<h1>Formularen er udløbet<\/h1>/);

  const formWithoutToken = await page.request.post('/logout', { form: { x: '1' }, maxRedirects: 0 });
  assert.equal(formWithoutToken.status(), 403);

  const wrongToken = await page.request.post('/logout', {
    form: { csrf_token: 'x'.repeat(43) },
    maxRedirects: 0,
  });
  assert.equal(wrongToken.status(), 403);

  const wrongHeader = await page.request.post('/sprog', {
    form: { lang: 'en', back: '/overblik' },
    headers: { 'X-CSRF-Token': 'nope' },
    maxRedirects: 0,
  });
  assert.equal(wrongHeader.status(), 403);

  // Still logged in, still Danish: none of the rejected requests did anything.
  const response = await page.goto('/overblik');
  assert.equal(response.status(), 200);
  assert.equal(new URL(page.url()).pathname, '/overblik');
  assert.equal(await new LayoutPage(page).documentLanguage(), 'da');
});

test('a login POST without a CSRF token is rejected with 403', async () => {
  const page = await app.newPage();
  await new LoginPage(page).goto(); // holds the anonymous CSRF cookie now
  const { username, password } = app.credentials.admin;
  const response = await page.request.post('/login', { form: { username, password }, maxRedirects: 0 });
  assert.equal(response.status(), 403);
  const cookies = await page.context().cookies();
  assert.equal(cookies.find((c) => c.name === 'indsats_session'), undefined, 'no session was made');
});

test('the CSRF error page, as the browser shows it, is Danish and accessible', async () => {
  const page = await app.newPage();
  await new LoginPage(page).loginAs(app.credentials.udvalg);
  const layout = new LayoutPage(page);
  // A form whose token has gone stale, e.g. from a page left open across a new login.
  await page.locator('header form[action="/logout"] input[name="csrf_token"]').evaluate((input) => {
    input.value = 'stale-token-stale-token-stale-token-stale-tok';
  });
  const response = await navigation(page, () => layout.logoutButton.click());
  assert.equal(response.status(), 403);
  const error = new ErrorPage(page);
  assert.equal((await error.heading.textContent()).trim(), 'Formularen er udløbet');
  assert.match(await error.body.textContent(), /intet er gemt/);
  await expectAccessible(page, 'CSRF 403 page');
  // The logout did not happen.
  assert.equal((await page.goto('/overblik')).status(), 200);
  assert.equal(new URL(page.url()).pathname, '/overblik');
});

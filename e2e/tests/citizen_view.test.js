// The citizen's own view (issue 12 item 8): a citizen logs in through a real OpenID provider
// (the certified `oidc-provider`, started here on loopback) with the CPR number in a claim and
// sees their plan and who has read their case; staff log in through the same kind of
// provider, an unknown staff user is refused in Danish; the demo's citizen logs in with a
// password. Every indsats page visited has zero axe-core violations.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { expectAccessible } from '../support/axe.js';
import { launchBrowser, navigation } from '../support/browser.js';
import { freePort, startOidcProvider } from '../support/oidc-provider.js';
import { NewCasePage, WorklistPage } from '../support/pages/CasePages.js';
import { LoginPage } from '../support/pages/LoginPage.js';
import { MinSidePage, OidcLogin } from '../support/pages/MinSidePage.js';
import { startServer } from '../support/server.js';

// A CPR number no demo citizen has (the demo's are generated from the register).
const CPR = '1505851234';
const CITIZEN_NAME = 'Mette Testborger';

let provider;
let server;
let browser;
const contexts = [];

async function newPage() {
  const context = await browser.newContext({ baseURL: server.baseURL, locale: 'da-DK' });
  contexts.push(context);
  return context.newPage();
}

before(async () => {
  const port = await freePort();
  const indsatsURL = `http://127.0.0.1:${port}`;
  provider = await startOidcProvider({
    indsatsURL,
    accounts: {
      borger: { cpr: CPR, name: CITIZEN_NAME },
      'ukendt-borger': { cpr: '0101014321' },
      sagsbehandler: { preferred_username: 'sagsbehandler' },
      ukendt: { preferred_username: 'ukendt.medarbejder' },
    },
  });
  server = await startServer({ env: provider.env, port });
  browser = await launchBrowser();
});

after(async () => {
  await Promise.all(contexts.map((c) => c.close()));
  await browser?.close();
  if (server) assert.equal(await server.stop(), 0, server.log);
  await provider?.stop();
});

describe('the citizen\'s own view through OpenID Connect', () => {
  test('a caseworker logs in through the staff provider and opens a new case', async () => {
    const page = await newPage();
    const login = new LoginPage(page);
    await login.goto();
    await expectAccessible(page, 'login page with the OpenID links');
    const oidc = new OidcLogin(page);
    const response = await oidc.through(oidc.staffLink, 'sagsbehandler');
    assert.equal(response.status(), 200, server.log);
    assert.match(new URL(page.url()).pathname, /^\/overblik/);
    assert.match(await page.locator('header .user').textContent(), /Sagsbehandler/);

    const list = new WorklistPage(page);
    await list.goto();
    await navigation(page, () => list.newCaseLink.click());
    const form = new NewCasePage(page);
    await form.cpr.fill(CPR);
    await form.name.fill(CITIZEN_NAME);
    const created = await navigation(page, () => form.submit.click());
    assert.equal(created.status(), 200);
    assert.match(new URL(page.url()).pathname, /^\/borgere\/\d+/, 'the new case is open (a read on record)');
    assert.doesNotMatch(page.url(), /1505851234|150585/, 'no CPR number in the address');
  });

  test('the citizen logs in through MitID and sees their plan and the access log', async () => {
    const page = await newPage();
    await new LoginPage(page).goto();
    const oidc = new OidcLogin(page);
    const response = await oidc.through(oidc.citizenLink, 'borger');
    assert.equal(response.status(), 200, server.log);
    assert.equal(new URL(page.url()).pathname, '/min-side');
    const own = new MinSidePage(page);
    assert.equal(await own.heading.textContent(), 'Min side');
    assert.match(await own.plan.textContent(), /Din plan/);
    assert.match(await own.duties.textContent(), /Du skal komme til dine samtaler/);
    assert.match(await own.options.textContent(), /Praktik i en virksomhed/);
    assert.ok((await own.readRows.count()) >= 1, 'the caseworker\'s read is listed');
    const first = await own.readRows.last().textContent();
    assert.match(first, /Sagsbehandler/);
    assert.match(first, /Åbnede din sag/);
    assert.doesNotMatch(await page.content(), /1505851234|150585-/, 'no CPR number on the page');
    await expectAccessible(page, 'min side');

    // Every staff page is refused.
    for (const path of ['/overblik', '/borgere', '/plan', '/rapporter', '/administration']) {
      const refused = await page.goto(path);
      assert.equal(refused.status(), 403, path);
    }
    await expectAccessible(page, 'refusal for a citizen');
  });

  test('a citizen without a case and an unknown staff user are refused in Danish', async () => {
    const page = await newPage();
    await new LoginPage(page).goto();
    const oidc = new OidcLogin(page);
    const citizen = await oidc.through(oidc.citizenLink, 'ukendt-borger');
    assert.equal(citizen.status(), 403);
    assert.match(await page.locator('#login-error').textContent(), /Vi kan ikke finde en sag om dig/);
    await expectAccessible(page, 'citizen without a case');

    // A new browser: the provider remembers who signed in on this one.
    const other = await newPage();
    await new LoginPage(other).goto();
    const staff = await new OidcLogin(other).through(new OidcLogin(other).staffLink, 'ukendt');
    assert.equal(staff.status(), 403);
    assert.match(await other.locator('#login-error').textContent(), /ikke oprettet som bruger/);
    await expectAccessible(other, 'unknown staff user');
    const me = await other.goto('/overblik');
    assert.equal(new URL(other.url()).pathname, '/login', `not logged in (${me.status()})`);
  });

  test('the demo citizen logs in with the demo password', async () => {
    const demo = Object.values(server.credentials).find((c) => c.role === 'borger');
    assert.ok(demo, 'the demo has a citizen login');
    const page = await newPage();
    const response = await new LoginPage(page).loginAs(demo);
    assert.equal(response.status(), 200);
    assert.equal(new URL(page.url()).pathname, '/min-side');
    await expectAccessible(page, 'the demo citizen\'s page');
  });
});

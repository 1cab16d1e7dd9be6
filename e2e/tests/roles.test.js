// Every role: the navigation shows exactly its areas, each allowed area page opens
// (200, accessible), each forbidden one is refused with a Danish 403 page
// (accessible too), and after "Log ud" the areas send you back to the login page.

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { ROLES, allowedAreas, forbiddenAreas } from '../support/access.js';
import { expectAccessible } from '../support/axe.js';
import { useApp } from '../support/fixture.js';
import { ErrorPage } from '../support/pages/ErrorPage.js';
import { LayoutPage } from '../support/pages/LayoutPage.js';
import { LoginPage } from '../support/pages/LoginPage.js';

const app = useApp();

for (const role of ROLES) {
  describe(`role ${role}`, () => {
    let page;
    let layout;

    before(async () => {
      page = await app.newPage();
      layout = new LayoutPage(page);
      const response = await new LoginPage(page).loginAs(app.credentials[role]);
      assert.equal(response.status(), 200);
      assert.equal(new URL(page.url()).pathname, '/overblik', 'after login the front page is the overview');
    });

    test('the navigation shows exactly the allowed areas, in order', async () => {
      const expected = allowedAreas(role).map((a) => ({ label: a.da, href: a.path }));
      assert.deepEqual(await layout.navItems(), expected);
      assert.match(await layout.nav.getAttribute('aria-label'), /\S/, 'the navigation has a name');
      assert.equal(await layout.logoutButton.textContent(), 'Log ud');
    });

    for (const area of allowedAreas(role)) {
      test(`may open ${area.path}`, async () => {
        const response = await layout.goto(area.path);
        assert.equal(response.status(), 200);
        assert.equal(new URL(page.url()).pathname, area.path);
        assert.equal(await layout.documentLanguage(), 'da');
        assert.equal(await layout.heading.count(), 1, 'exactly one <h1>');
        const title = await page.title();
        assert.ok(
          title.startsWith(area.da) && title.endsWith(' · indsats'),
          `the title names the area and the app: ${title}`,
        );
        assert.equal(
          await layout.currentNavLink.getAttribute('href'),
          area.path,
          'the navigation marks the current area with aria-current="page"',
        );
        await expectAccessible(page, `${area.path} as ${role}`);
      });
    }

    for (const area of forbiddenAreas(role)) {
      test(`is refused ${area.path} with a Danish 403 page`, async () => {
        const response = await layout.goto(area.path);
        assert.equal(response.status(), 403);
        const error = new ErrorPage(page);
        assert.equal((await error.heading.textContent()).trim(), 'Ingen adgang');
        assert.equal(await page.title(), 'Ingen adgang · indsats');
        assert.match(
          await error.body.textContent(),
          new RegExp(`^Som .+ må du ikke ${area.refused}\\. Kontakt en administrator`),
        );
        assert.equal(await layout.documentLanguage(), 'da');
        assert.equal(await error.homeLink.count(), 1, 'the page offers a way back');
        // Still logged in: the navigation is there, with only the allowed areas.
        assert.equal(await layout.navLinks.count(), allowedAreas(role).length);
        await expectAccessible(page, `403 for ${area.path} as ${role}`);
      });
    }

    test('logs out, and the areas then lead to the login page', async () => {
      const response = await layout.logout();
      assert.equal(response.status(), 200);
      const login = new LoginPage(page);
      assert.equal(await login.notice.textContent(), 'Du er logget ud.');
      assert.equal(await layout.navLinks.count(), 0, 'no navigation when logged out');
      assert.equal(await layout.logoutButton.count(), 0);
      await expectAccessible(page, 'login page after logout');

      const again = await layout.goto('/overblik');
      assert.equal(new URL(page.url()).pathname, '/login');
      assert.equal(again.status(), 200);
      assert.equal(again.request().redirectedFrom()?.url(), new URL('/overblik', app.baseURL).href);
      const cookies = await page.context().cookies();
      assert.equal(
        cookies.find((c) => c.name === 'indsats_session'),
        undefined,
        'the session cookie is gone',
      );
    });
  });
}

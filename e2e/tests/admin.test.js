// Administration: "Opret bruger" with a bad password (422, error next to the field,
// nothing created), with good input (the user appears), and the new user logs in.

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { allowedAreas } from '../support/access.js';
import { expectAccessible } from '../support/axe.js';
import { useApp } from '../support/fixture.js';
import { AdminPage } from '../support/pages/AdminPage.js';
import { LayoutPage } from '../support/pages/LayoutPage.js';
import { LoginPage } from '../support/pages/LoginPage.js';

const app = useApp();

const NEW_USER = {
  username: 'e2e.konsulent',
  displayName: 'Testa Testesen',
  role: 'virksomhedskonsulent',
  password: 'en-lang-nok-adgangskode-42',
};

describe('Opret bruger', () => {
  let page;
  let admin;

  before(async () => {
    page = await app.newPage();
    await new LoginPage(page).loginAs(app.credentials.admin);
    admin = new AdminPage(page);
  });

  test('the administration page lists the demo users and is accessible', async () => {
    const response = await admin.goto();
    assert.equal(response.status(), 200);
    assert.equal((await admin.heading.textContent()).trim(), 'Administration');
    const names = await admin.usernames();
    for (const role of ['sagsbehandler', 'virksomhedskonsulent', 'leder', 'udvalg', 'admin']) {
      assert.ok(names.includes(role), `${role} is listed`);
    }
    assert.ok(!names.includes(NEW_USER.username));
    // Every field of the form has a label.
    for (const id of ['new-username', 'new-display-name', 'new-role', 'new-password']) {
      assert.equal(await page.locator(`label[for="${id}"]`).count(), 1, `#${id} has a label`);
    }
    await expectAccessible(page, 'administration');
  });

  test('a too-short password gives 422 with the error next to the password field, and creates nobody', async () => {
    await admin.goto();
    const response = await admin.createUser({ ...NEW_USER, password: 'kort' });
    assert.equal(response.status(), 422);
    assert.equal(new URL(page.url()).pathname, '/administration/brugere');

    assert.equal(
      (await admin.errorSummary.locator('p').textContent()).trim(),
      'Formularen indeholder fejl. Ret de markerede felter.',
    );
    assert.equal(await admin.errorSummary.getAttribute('role'), 'alert');
    // The summary takes focus, so a screen reader announces it, and links to the field.
    assert.equal(await page.evaluate(() => document.activeElement?.className), 'error-summary');
    assert.equal(await admin.errorSummary.locator('a').getAttribute('href'), '#new-password');
    assert.equal(await admin.newPasswordError.textContent(), 'Adgangskoden skal være mindst 12 tegn lang.');
    assert.equal(await admin.fieldErrors.count(), 1, 'only the password is marked');
    // Next to the field: right after the input, and tied to it for assistive technology.
    assert.equal(
      await admin.newPassword.evaluate((input) => input.nextElementSibling?.id),
      'new-password-error',
    );
    assert.equal(await admin.newPassword.getAttribute('aria-invalid'), 'true');
    assert.equal(await admin.newPassword.getAttribute('aria-describedby'), 'new-password-error');
    assert.equal(await admin.newUsername.getAttribute('aria-invalid'), null);
    // What was typed is kept, except the password.
    assert.equal(await admin.newUsername.inputValue(), NEW_USER.username);
    assert.equal(await admin.newDisplayName.inputValue(), NEW_USER.displayName);
    assert.equal(await admin.newRole.inputValue(), NEW_USER.role);
    assert.equal(await admin.newPassword.inputValue(), '');
    assert.equal(await admin.statusMessage.count(), 0);

    await expectAccessible(page, 'administration with a field error');

    assert.ok(!(await admin.usernames()).includes(NEW_USER.username), 'not in the table on the error page');
    await admin.goto();
    assert.ok(!(await admin.usernames()).includes(NEW_USER.username), 'not in the table after reload');
  });

  test('good input creates the user, who appears in the table', async () => {
    await admin.goto();
    const response = await admin.createUser(NEW_USER);
    assert.equal(response.status(), 200);
    assert.equal(await admin.statusMessage.textContent(), `Brugeren ${NEW_USER.username} er oprettet.`);
    assert.equal(await admin.fieldErrors.count(), 0);
    assert.equal(await admin.errorSummary.count(), 0);

    const row = admin.userRow(NEW_USER.username);
    assert.equal(await row.count(), 1);
    const cells = (await row.locator('td').allInnerTexts()).map((t) => t.trim());
    assert.equal(cells[1], NEW_USER.displayName);
    assert.equal(cells[2], 'Virksomhedskonsulent');
    assert.match(cells[4], /^Aktiv/);
    // The form is empty again, ready for the next user.
    assert.equal(await admin.newUsername.inputValue(), '');
    await expectAccessible(page, 'administration after creating a user');

    await admin.goto();
    assert.equal(await admin.userRow(NEW_USER.username).count(), 1, 'still there after reload');
  });

  test('the same user name cannot be created twice', async () => {
    await admin.goto();
    const response = await admin.createUser({ ...NEW_USER, displayName: 'En anden' });
    assert.equal(response.status(), 422);
    assert.equal(await page.locator('#new-username-error').textContent(), 'Brugernavnet er allerede i brug.');
    assert.equal(await admin.newUsername.getAttribute('aria-describedby'), 'new-username-error');
    assert.equal(await admin.userRow(NEW_USER.username).count(), 1);
    await expectAccessible(page, 'administration with a taken user name');
  });
});

test('the new user can log in and gets the areas of their role', async () => {
  const page = await app.newPage();
  const response = await new LoginPage(page).open(NEW_USER.username, NEW_USER.password);
  assert.equal(response.status(), 200);
  assert.equal(new URL(page.url()).pathname, '/overblik');
  const layout = new LayoutPage(page);
  assert.equal(await layout.userLine.textContent(), `Logget ind som ${NEW_USER.displayName} (Virksomhedskonsulent)`);
  assert.deepEqual(
    (await layout.navItems()).map((i) => i.href),
    allowedAreas(NEW_USER.role).map((a) => a.path),
  );
  assert.equal((await layout.goto('/administration')).status(), 403);
});

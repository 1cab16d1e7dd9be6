// The administration page: users, the "Opret bruger" form, API tokens and the audit log.

import { navigation } from '../browser.js';

export class AdminPage {
  static path = '/administration';

  constructor(page) {
    this.page = page;
    this.heading = page.locator('main h1');
    /** The receipt after an action (role=status). */
    this.statusMessage = page.locator('main > p.notice[role="status"]');
    this.usersTable = page.locator('section[aria-labelledby="users-heading"] table');
    this.userRows = this.usersTable.locator('tbody tr');

    const form = page.locator('form[action="/administration/brugere"]');
    this.addUserForm = form;
    this.errorSummary = page.locator('section[aria-labelledby="add-user-heading"] .error-summary');
    this.newUsername = page.locator('#new-username');
    this.newDisplayName = page.locator('#new-display-name');
    this.newRole = page.locator('#new-role');
    this.newPassword = page.locator('#new-password');
    this.newPasswordError = page.locator('#new-password-error');
    this.fieldErrors = form.locator('.field-error');
    this.addUserButton = form.locator('button[type="submit"]');
  }

  /** Opens the page; returns the response. */
  goto() {
    return this.page.goto(AdminPage.path);
  }

  /** Fills and submits "Opret bruger"; returns the final response. */
  async createUser({ username, displayName, role, password }) {
    await this.newUsername.fill(username);
    await this.newDisplayName.fill(displayName);
    await this.newRole.selectOption(role);
    await this.newPassword.fill(password);
    return navigation(this.page, () => this.addUserButton.click());
  }

  /** The user names in the users table, in order. */
  usernames() {
    return this.userRows.locator('td:first-child').allTextContents().then((names) => names.map((n) => n.trim()));
  }

  /** The row of one user. */
  userRow(username) {
    return this.userRows.filter({
      has: this.page.locator('td:first-child', { hasText: new RegExp(`^\\s*${escape(username)}\\s*$`) }),
    });
  }
}

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

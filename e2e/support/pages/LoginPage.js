// The login page: /login.

import { navigation } from '../browser.js';

export class LoginPage {
  static path = '/login';

  constructor(page) {
    this.page = page;
    this.heading = page.locator('main h1');
    this.username = page.locator('#username');
    this.password = page.locator('#password');
    this.submitButton = page.locator('main form[action="/login"] button[type="submit"]');
    /** The error after a failed attempt (role=alert). */
    this.error = page.locator('#login-error');
    /** A receipt, e.g. "Du er logget ud." (role=status). */
    this.notice = page.locator('main .notice[role="status"]');
  }

  /** Opens the login page; returns the response. */
  goto() {
    return this.page.goto(LoginPage.path);
  }

  /** Fills the form and submits it by clicking; returns the final response. */
  async login(username, password) {
    await this.username.fill(username);
    await this.password.fill(password);
    return navigation(this.page, () => this.submitButton.click());
  }

  /** Opens the page and logs in; returns the final response (after redirects). */
  async open(username, password) {
    await this.goto();
    return this.login(username, password);
  }

  /** Logs in with a user from the server's demo credentials. */
  loginAs(credentials) {
    return this.open(credentials.username, credentials.password);
  }
}

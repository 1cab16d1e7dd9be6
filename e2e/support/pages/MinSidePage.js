// "Min side": the citizen's own page (/min-side), and the provider's development login page
// that the OpenID login passes through.

import { navigation } from '../browser.js';

export class MinSidePage {
  static path = '/min-side';

  constructor(page) {
    this.page = page;
    this.heading = page.locator('main h1');
    this.plan = page.locator('section[aria-labelledby="plan-heading"]');
    this.coming = page.locator('section[aria-labelledby="coming-heading"]');
    this.duties = page.locator('section[aria-labelledby="duties-heading"]');
    this.options = page.locator('section[aria-labelledby="options-heading"]');
    this.reads = page.locator('section[aria-labelledby="reads-heading"]');
    this.readRows = page.locator('#own-reads tbody tr');
  }

  goto() {
    return this.page.goto(MinSidePage.path);
  }
}

/** The login page's links to the OpenID providers, and the provider's own login form. */
export class OidcLogin {
  constructor(page) {
    this.page = page;
    this.citizenLink = page.locator('main a[href="/login/oidc/borger"]');
    this.staffLink = page.locator('main a[href="/login/oidc/medarbejder"]');
    this.providerLogin = page.locator('input[name="login"]');
    this.providerPassword = page.locator('input[name="password"]');
    this.providerSubmit = page.locator('button[type="submit"]');
  }

  /** Follows `link` to the provider, signs in there as `account`; returns the final response. */
  async through(link, account) {
    await navigation(this.page, () => link.click());
    await this.providerLogin.fill(account);
    await this.providerPassword.fill('hvad-som-helst');
    return navigation(this.page, () => this.providerSubmit.click());
  }
}

// What every page has: skip link, header with the user and "Log ud", the main
// navigation, <main>, and the language form in the footer.

import { navigation } from '../browser.js';

export class LayoutPage {
  constructor(page) {
    this.page = page;
    this.skipLink = page.locator('a.skip-link');
    this.heading = page.locator('main h1');
    this.main = page.locator('main#main');
    this.userLine = page.locator('header .user span');
    this.logoutButton = page.locator('header form[action="/logout"] button[type="submit"]');
    this.nav = page.locator('nav.main-nav');
    this.navLinks = page.locator('nav.main-nav a');
    this.currentNavLink = page.locator('nav.main-nav a[aria-current="page"]');
    this.languageSelect = page.locator('#lang');
    this.languageButton = page.locator('footer form[action="/sprog"] button[type="submit"]');
  }

  /** Opens a path; returns the final response. */
  goto(path) {
    return this.page.goto(path);
  }

  /** The navigation as [{ label, href }], in order. */
  async navItems() {
    return this.navLinks.evaluateAll((links) =>
      links.map((a) => ({ label: a.textContent.trim(), href: a.getAttribute('href') })),
    );
  }

  /** Clicks "Log ud"; returns the final response. */
  logout() {
    return navigation(this.page, () => this.logoutButton.click());
  }

  /** Chooses a language ("da" or "en") in the footer and submits; returns the final response. */
  async switchLanguage(tag) {
    await this.languageSelect.selectOption(tag);
    return navigation(this.page, () => this.languageButton.click());
  }

  /** The document's language, from <html lang>. */
  documentLanguage() {
    return this.page.locator('html').getAttribute('lang');
  }
}

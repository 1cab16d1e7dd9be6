// The error pages (403, 404, CSRF, …): an <h1>, an explanation and a way home.

export class ErrorPage {
  constructor(page) {
    this.page = page;
    this.heading = page.locator('main h1');
    /** The explanation: the first paragraph under the heading. */
    this.body = page.locator('main h1 + p');
    this.homeLink = page.locator('main a[href="/"]');
  }
}

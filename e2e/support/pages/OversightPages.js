// The exemption page of a citizen (/borgere/{id}/fritagelse), the manager's quota view
// (/borgere/fritagelser) and audit search (/borgere/revisionsspor), and the administrator's
// rule files (/administration/regler).

import { navigation } from '../browser.js';

export class ExemptionPage {
  constructor(page) {
    this.page = page;
    this.heading = page.locator('main h1');
    this.notice = page.locator('main .notice');
    this.reason = page.locator('#x-reason');
    this.reasonError = page.locator('#x-reason-error');
    this.grant = page.locator('main form.stacked button[type="submit"]');
    this.end = page.locator('main form[action$="/fritagelse/afslut"] button');
  }

  /** The exemption link on a case page. */
  static linkOn(casePage) {
    return casePage.locator('main a[href*="/fritagelse"]');
  }

  submitGrant() {
    return navigation(this.page, () => this.grant.click());
  }
}

export class QuotaPage {
  static path = '/borgere/fritagelser';

  constructor(page) {
    this.page = page;
    this.heading = page.locator('main h1');
    this.pools = page.locator('main section[aria-labelledby="pools-heading"] tbody tr');
    this.groups = page.locator('main section[aria-labelledby="groups-heading"] tbody tr');
  }

  goto() {
    return this.page.goto(QuotaPage.path);
  }
}

export class AuditSearchPage {
  static path = '/borgere/revisionsspor';

  constructor(page) {
    this.page = page;
    this.heading = page.locator('main h1');
    this.kind = page.locator('#a-haendelse');
    this.cpr = page.locator('#a-cpr');
    this.cprError = page.locator('#a-cpr-error');
    this.submit = page.locator('main form.stacked button[type="submit"]');
    this.rows = page.locator('main section[aria-labelledby="results-heading"] tbody tr');
  }

  goto() {
    return this.page.goto(AuditSearchPage.path);
  }

  search() {
    return navigation(this.page, () => this.submit.click());
  }
}

export class RuleFilesPage {
  static path = '/administration/regler';

  constructor(page) {
    this.page = page;
    this.heading = page.locator('main h1');
    this.notice = page.locator('main .notice');
    this.adoptButtons = page.locator('main form[action="/administration/regler/vedtag"] button');
  }

  goto() {
    return this.page.goto(RuleFilesPage.path);
  }

  adoptFirst() {
    return navigation(this.page, () => this.adoptButtons.first().click());
  }
}

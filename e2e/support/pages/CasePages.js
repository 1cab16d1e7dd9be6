// "Borgere": the worklist with the search form, the new-case form, and a citizen's case page
// with its conversation and offer forms. Every user action goes through `Actions`, which
// counts fills, choices and clicks, so tests can hold the case work to its action limits.

import { navigation } from '../browser.js';

/** Counts what a user does: each fill, choice and click is one action. */
export class Actions {
  constructor(page) {
    this.page = page;
    this.count = 0;
  }

  async fill(locator, value) {
    this.count += 1;
    await locator.fill(value);
  }

  async choose(locator, value) {
    this.count += 1;
    await locator.selectOption(value);
  }

  /** Clicks and waits for the document it leads to; returns the final response. */
  async clickAndWait(locator) {
    this.count += 1;
    return navigation(this.page, () => locator.click());
  }
}

export class WorklistPage {
  static path = '/borgere';

  constructor(page) {
    this.page = page;
    this.heading = page.locator('main h1');
    this.rows = page.locator('main table tbody tr');
    this.caseLinks = page.locator('main table tbody td:first-child a');
    this.overdue = page.locator('main table tbody .overdue');
    this.searchField = page.locator('#search-cpr');
    this.searchButton = page.locator(`form[action="/borgere/soeg"] button[type="submit"]`);
    this.searchError = page.locator('#search-cpr-error');
    this.newCaseLink = page.locator('main a[href="/borgere/ny"]');
  }

  goto() {
    return this.page.goto(WorklistPage.path);
  }

  async search(actions, cpr) {
    await actions.fill(this.searchField, cpr);
    return actions.clickAndWait(this.searchButton);
  }
}

export class NewCasePage {
  constructor(page) {
    this.page = page;
    this.cpr = page.locator('#f-cpr');
    this.name = page.locator('#f-name');
    this.group = page.locator('#f-target_group');
    this.benefit = page.locator('#f-benefit');
    this.submit = page.locator('form[action="/borgere/ny"] button[type="submit"]');
    this.errors = page.locator('.error-summary li');
  }
}

export class CasePage {
  constructor(page) {
    this.page = page;
    this.heading = page.locator('main h1');
    this.notice = page.locator('main > p.notice[role="status"]');
    this.cpr = page.locator('main .cpr');
    this.revealButton = page.locator('form[action$="/cpr"] button');
    this.note = page.locator('#c-note');
    this.status = page.locator('#c-status');
    this.nextAt = page.locator('#c-next_at');
    this.saveConversation = page.locator('form[action$="/samtale"] button[type="submit"]');
    this.conversationRows = page.locator('section[aria-labelledby="convs-heading"] tbody tr');
    this.offerKind = page.locator('#o-kind');
    this.offerStart = page.locator('#o-start');
    this.offerEnd = page.locator('#o-end');
    this.offerPlace = page.locator('#o-place');
    this.saveOffer = page.locator('form[action$="/tilbud"] button[type="submit"]');
    this.offerRows = page.locator('section[aria-labelledby="offers-heading"] tbody tr');
    this.errorSummary = page.locator('.error-summary');
    this.endError = page.locator('#o-end-error');
  }
}

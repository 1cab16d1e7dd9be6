// "Plan og mål": the list of plans (with the admin's load form), a plan's hierarchy, and a
// goal's page with its charts, status history, comment and actions.

import { navigation } from '../browser.js';

export class PlansPage {
  static path = '/plan';

  constructor(page) {
    this.page = page;
    this.heading = page.locator('main h1');
    this.statusMessage = page.locator('main > p.notice[role="status"]');
    this.planLinks = page.locator('main table tbody a');
    this.uploadField = page.locator('#plan-text');
    this.fileField = page.locator('#plan-file');
    this.uploadButton = page.locator('form[action="/plan"] button[type="submit"]');
    this.problems = page.locator('.error-summary li');
  }

  goto() {
    return this.page.goto(PlansPage.path);
  }

  /** Pastes a plan file and submits it; returns the final response. */
  async upload(text) {
    await this.uploadField.fill(text);
    return navigation(this.page, () => this.uploadButton.click());
  }

  /** Chooses a file (name and bytes) and submits it; returns the final response. */
  async uploadFile(name, bytes) {
    await this.fileField.setInputFiles({ name, mimeType: 'application/toml', buffer: Buffer.from(bytes) });
    return navigation(this.page, () => this.uploadButton.click());
  }

  /** Submits the form with neither a file nor text. */
  submitEmpty() {
    return navigation(this.page, () => this.uploadButton.click());
  }
}

export class PlanPage {
  constructor(page) {
    this.page = page;
    this.heading = page.locator('main h1');
    this.quarter = page.locator('#kvartal');
    this.showButton = page.locator('main form.inline-form button[type="submit"]');
    this.goalLinks = page.locator('main ul.goal-list a');
    this.goalStatuses = page.locator('main ul.goal-list .status');
    this.pdfLink = page.locator('a[href*="/rapport.pdf"]');
    this.htmlLink = page.locator('a[href*="/rapport.html"]');
    this.notice = page.locator('main p.notice[role="status"]');
  }

  goto(planId, quarter) {
    return this.page.goto(`/plan/${planId}${quarter ? `?kvartal=${quarter}` : ''}`);
  }

  /** Chooses a quarter and shows it; returns the final response. */
  async chooseQuarter(quarter) {
    await this.quarter.selectOption(quarter);
    return navigation(this.page, () => this.showButton.click());
  }
}

export class GoalPage {
  constructor(page) {
    this.page = page;
    this.heading = page.locator('main h1');
    this.statusMessage = page.locator('main > p.notice[role="status"]');
    /** An action status refused as stale: the summary at the top. */
    this.conflict = page.locator('main .error-summary[role="alert"]');
    /** A comment refused as stale: the notice next to the field, with the saved text. */
    this.commentConflict = page.locator('#comment-conflict');
    this.savedComment = page.locator('#comment-conflict .saved-comment');
    /** A comment refused for what it is (too long, a quarter outside the plan), at the field. */
    this.commentError = page.locator('#comment-error');
    this.commentCount = page.locator('#comment-count');
    this.commentByline = page.locator('form[action$="/kommentar"] .byline, section[aria-labelledby="comment-heading"] > .byline');
    this.charts = page.locator('main svg.chart');
    this.indicatorSections = page.locator('main section.figure');
    this.historyCells = page.locator('section[aria-labelledby="history-heading"] tbody td');
    this.commentField = page.locator('#comment');
    this.commentButton = page.locator('form[action$="/kommentar"] button[type="submit"]');
    this.comment = page.locator('p.comment');
    this.statusSelects = page.locator('form[action*="/handlinger/"] select');
  }

  goto(planId, goalId, quarter) {
    return this.page.goto(`/plan/${planId}/maal/${goalId}?kvartal=${quarter}`);
  }

  async writeComment(text) {
    await this.commentField.fill(text);
    return navigation(this.page, () => this.commentButton.click());
  }

  /** Sets the status of the action with this id; returns the final response. */
  async setActionStatus(actionId, status) {
    const form = this.page.locator(`form[action$="/handlinger/${actionId}"]`);
    await form.locator('select').selectOption(status);
    return navigation(this.page, () => form.locator('button[type="submit"]').click());
  }
}

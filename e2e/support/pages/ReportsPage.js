// "Rapporter": the current report of every plan, the manager's form that makes the report
// for a committee meeting, and the archive of such reports with their approval.

import { navigation } from '../browser.js';

export class ReportsPage {
  static path = '/rapporter';

  constructor(page) {
    this.page = page;
    this.heading = page.locator('main h1');
    this.statusMessage = page.locator('main > p.notice[role="status"]');
    this.problem = page.locator('main .error-summary[role="alert"]');
    this.archiveForm = page.locator('form[action="/rapporter/arkiv"]');
    this.plan = page.locator('#archive-plan');
    this.quarter = page.locator('#archive-quarter');
    this.committee = page.locator('#archive-committee');
    this.meetingDate = page.locator('#archive-meeting');
    this.archiveButton = this.archiveForm.locator('button[type="submit"]');
    this.approveButtons = page.locator('form[action$="/godkend"] button[type="submit"]');
  }

  goto() {
    return this.page.goto(ReportsPage.path);
  }

  /** The archive's rows for a plan (by its id). */
  archiveRows(planId) {
    return this.page.locator(`div[aria-labelledby="archive-${planId}-caption"] table tbody tr`);
  }

  /** Fills the meeting form and submits it; returns the final response. */
  async makeReport({ planId, quarter, committee, date }) {
    await this.plan.selectOption(planId);
    await this.quarter.selectOption(quarter);
    if (committee !== undefined) await this.committee.fill(committee);
    await this.meetingDate.fill(date);
    return navigation(this.page, () => this.archiveButton.click());
  }

  /** Approves the first archived report that offers approval; returns the final response. */
  approveFirst() {
    return navigation(this.page, () => this.approveButtons.first().click());
  }
}

// A citizen's coherent plan (/borgere/{id}/plan): the saved plan, the edit form with goal
// rows and effort rows, and the link to the saved versions.

import { navigation } from '../browser.js';

export class CitizenPlanPage {
  constructor(page) {
    this.page = page;
    this.heading = page.locator('main h1');
    this.notice = page.locator('main .notice');
    this.conflict = page.locator('#plan-conflict');
    this.savedPlan = page.locator('main section[aria-labelledby="saved-heading"]');
    this.historyLink = page.locator('main a[href*="/plan/historik"]');
    this.save = page.locator('main form.plan-form button[type="submit"]');
  }

  /** The plan link on a case page. */
  static linkOn(casePage) {
    return casePage.locator('main a[href$="/plan"]');
  }

  goal(i) {
    return this.page.locator(`#p-goal_${i}`);
  }

  subGoals(i) {
    return this.page.locator(`#p-subgoals_${i}`);
  }

  effort(i, field) {
    return this.page.locator(`#p-effort_${i}_${field}`);
  }

  fieldError(id) {
    return this.page.locator(`#p-${id}-error`);
  }

  submit() {
    return navigation(this.page, () => this.save.click());
  }
}

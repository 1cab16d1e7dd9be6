// "Afgørelser": the decisions section of a citizen's case page (new decision, the steps on a
// decision: sent, complaint, Ankestyrelsen's outcome, and the letter) and the managers' page
// of Ankestyrelsen's outcomes by legal basis and quarter.

export class DecisionSection {
  constructor(page) {
    this.page = page;
    this.section = page.locator('section#afgoerelser');
    this.rows = this.section.locator('tbody tr');
    this.legalBasis = page.locator('#d-legal_basis');
    this.subject = page.locator('#d-subject');
    this.explanation = page.locator('#d-explanation');
    this.decidedOn = page.locator('#d-decided_on');
    this.sentOn = page.locator('#d-sent_on');
    this.save = this.section.locator('form[action$="/afgoerelser"] button[type="submit"]');
    this.sentError = page.locator('#d-sent_on-error');
    this.subjectError = page.locator('#d-subject-error');
    this.notice = page.locator('main > p.notice[role="status"]');
  }

  /** The row of the decision about `subject`. */
  row(subject) {
    return this.rows.filter({ hasText: subject }).first();
  }

  /** The letter link of the decision about `subject`. */
  letterLink(subject) {
    return this.row(subject).locator('a[href$="/brev.pdf"]');
  }

  /** The button of the next step (sent, complaint, outcome) offered for the decision about `subject`. */
  stepButton(subject) {
    return this.section.locator('form.decision-step').filter({ hasText: subject }).first().locator('button[type="submit"]');
  }

  stepOutcome(subject) {
    return this.section.locator('form.decision-step').filter({ hasText: subject }).first().locator('select[name="outcome"]');
  }
}

export class OutcomesPage {
  static path = '/borgere/afgoerelser';

  constructor(page) {
    this.page = page;
    this.heading = page.locator('main h1');
    this.rows = page.locator('main table tbody tr');
    this.csvLink = page.locator('main a[href$="udfald.csv"]');
  }

  goto() {
    return this.page.goto(OutcomesPage.path);
  }
}

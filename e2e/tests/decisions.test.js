// Decisions and appeals in the browser (issue 12, item 7): a caseworker makes a decision with a
// PDF letter, follows a complaint to Ankestyrelsen's outcome, bad input is refused at its field,
// and a manager sees the outcomes by legal basis and quarter. Every page visited has zero
// axe-core violations.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { expectAccessible } from '../support/axe.js';
import { useApp } from '../support/fixture.js';
import { LoginPage } from '../support/pages/LoginPage.js';
import { Actions, WorklistPage } from '../support/pages/CasePages.js';
import { DecisionSection, OutcomesPage } from '../support/pages/DecisionPages.js';

const app = useApp();

async function loginAs(role) {
  const page = await app.newPage();
  const response = await new LoginPage(page).loginAs(app.credentials[role]);
  assert.equal(response.status(), 200);
  return page;
}

function isoDay(offsetDays) {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/** Opens the second case on the worklist (the first is the cases test's). */
async function aCase(page) {
  const list = new WorklistPage(page);
  await list.goto();
  const href = await list.caseLinks.nth(1).getAttribute('href');
  await page.goto(href);
  return new DecisionSection(page);
}

describe('decisions', () => {
  test('a caseworker makes a decision and downloads its letter as PDF', async () => {
    const page = await loginAs('sagsbehandler');
    const section = await aCase(page);
    await expectAccessible(page, 'case page with decisions');
    const subject = `Afslag på kontanthjælp ${Date.now()}`;
    const actions = new Actions(page);
    await actions.choose(section.legalBasis, 'las_11');
    await actions.fill(section.subject, subject);
    await actions.fill(section.explanation, 'Du har en formue over grænsen. Derfor kan du ikke få kontanthjælp nu.');
    await actions.fill(section.sentOn, isoDay(0));
    const saved = await actions.clickAndWait(section.save);
    assert.equal(saved.status(), 200);
    assert.equal(await section.notice.textContent(), 'Afgørelsen er gemt.');
    assert.match(await section.row(subject).textContent(), /Lov om aktiv socialpolitik § 11/);
    await expectAccessible(page, 'case page after a decision');

    const href = await section.letterLink(subject).getAttribute('href');
    assert.match(href, /^\/borgere\/afgoerelser\/\d+\/brev\.pdf$/, 'only the decision id in the address');
    const letter = await page.request.get(href);
    assert.equal(letter.status(), 200);
    assert.equal(letter.headers()['content-type'], 'application/pdf');
    const bytes = await letter.body();
    assert.equal(bytes.subarray(0, 4).toString('latin1'), '%PDF');

    // The complaint and Ankestyrelsen's outcome, each one click on the case page.
    let step = await new Actions(page).clickAndWait(section.stepButton(subject));
    assert.equal(step.status(), 200);
    assert.match(await section.row(subject).textContent(), /afventer Ankestyrelsen/);
    await section.stepOutcome(subject).selectOption('remitted');
    step = await new Actions(page).clickAndWait(section.stepButton(subject));
    assert.equal(step.status(), 200);
    assert.match(await section.row(subject).textContent(), /Hjemvist af Ankestyrelsen/);
  });

  test('a decision sent before it was made is refused at its field and what was typed is kept', async () => {
    const page = await loginAs('sagsbehandler');
    const section = await aCase(page);
    const before = await section.rows.count();
    await section.subject.fill('Nedsættelse af kontanthjælp');
    await section.explanation.fill('Du kom ikke til samtalen.');
    await section.decidedOn.fill(isoDay(-1));
    await section.sentOn.fill(isoDay(-5));
    const refused = await new Actions(page).clickAndWait(section.save);
    assert.equal(refused.status(), 422);
    assert.match(await section.sentError.textContent(), /kan ikke være sendt, før den er truffet/);
    assert.equal(await section.explanation.inputValue(), 'Du kom ikke til samtalen.');
    assert.equal(await section.rows.count(), before, 'nothing saved');
    await expectAccessible(page, 'refused decision');
  });

  test('a manager sees Ankestyrelsen\'s outcomes by legal basis and quarter', async () => {
    const page = await loginAs('leder');
    const outcomes = new OutcomesPage(page);
    const response = await outcomes.goto();
    assert.equal(response.status(), 200);
    assert.equal(await outcomes.heading.textContent(), 'Klager og Ankestyrelsens afgørelser');
    assert.ok((await outcomes.rows.count()) >= 3, 'the demo has outcomes in several quarters');
    await expectAccessible(page, 'outcomes page');
    const csv = await page.request.get(await outcomes.csvLink.getAttribute('href'));
    assert.equal(csv.status(), 200);
    assert.match(await csv.text(), /Omgørelsesprocent/);
  });
});

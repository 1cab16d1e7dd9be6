// Case work in the browser (issue 12): the caseworker's worklist, holding a conversation and
// booking the next in at most 4 actions, registering a work placement in at most 8, a new case
// found again by its CPR number (never in the address bar), bad input at its field, and
// another caseworker's case only with a reason. Every page visited has zero axe-core violations.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { expectAccessible } from '../support/axe.js';
import { useApp } from '../support/fixture.js';
import { LoginPage } from '../support/pages/LoginPage.js';
import { Actions, CasePage, NewCasePage, WorklistPage } from '../support/pages/CasePages.js';

const app = useApp();

async function caseworker() {
  const page = await app.newPage();
  const response = await new LoginPage(page).loginAs(app.credentials.sagsbehandler);
  assert.equal(response.status(), 200);
  return page;
}

function isoDay(offsetDays) {
  const d = new Date(Date.now() + offsetDays * 86_400_000);
  return d.toISOString().slice(0, 10);
}

/** Opens the first case on the worklist. */
async function firstCase(page) {
  const list = new WorklistPage(page);
  await list.goto();
  const href = await list.caseLinks.first().getAttribute('href');
  await page.goto(href);
  return { href, casePage: new CasePage(page) };
}

describe('the caseworker\'s day', () => {
  test('the worklist lists the caseload with overdue cases first', async () => {
    const page = await caseworker();
    const list = new WorklistPage(page);
    const response = await list.goto();
    assert.equal(response.status(), 200);
    assert.equal(await list.heading.textContent(), 'Borgere');
    assert.ok((await list.rows.count()) >= 20, 'the demo caseworker has a caseload');
    await expectAccessible(page, 'worklist');
  });

  test('holding a conversation and booking the next takes at most 4 actions', async () => {
    const page = await caseworker();
    const { casePage } = await firstCase(page);
    const before = await casePage.conversationRows.count();
    const proposed = await casePage.nextAt.inputValue();
    assert.ok(proposed, 'the next conversation is proposed');
    await expectAccessible(page, 'case page');

    const actions = new Actions(page);
    await actions.fill(casePage.note, 'Har søgt tre job; aftalt praktik i butik.');
    const saved = await actions.clickAndWait(casePage.saveConversation);
    assert.equal(saved.status(), 200);
    assert.ok(actions.count <= 4, `${actions.count} actions`);
    assert.equal(await casePage.notice.textContent(), 'Samtalen er gemt.');
    const after = await casePage.conversationRows.count();
    assert.ok(after >= before + 1, 'the held conversation and the next booking are listed');
    assert.match(await page.locator('main').textContent(), /Har søgt tre job/);
  });

  test('registering a work placement takes at most 8 actions', async () => {
    const page = await caseworker();
    const { casePage } = await firstCase(page);
    const before = await casePage.offerRows.count();
    const actions = new Actions(page);
    await actions.choose(casePage.offerKind, 'virksomhedspraktik');
    await actions.fill(casePage.offerEnd, isoDay(28));
    await actions.fill(casePage.offerPlace, 'Bager Hansen ApS');
    const saved = await actions.clickAndWait(casePage.saveOffer);
    assert.equal(saved.status(), 200);
    assert.ok(actions.count <= 8, `${actions.count} actions`);
    assert.equal(await casePage.notice.textContent(), 'Tilbuddet er registreret.');
    assert.equal(await casePage.offerRows.count(), before + 1);
  });

  test('an offer ending before it starts is refused at its field and nothing is lost', async () => {
    const page = await caseworker();
    const { casePage } = await firstCase(page);
    await casePage.offerEnd.fill(isoDay(-3));
    await casePage.offerPlace.fill('Rødovre Centrum');
    const refused = await new Actions(page).clickAndWait(casePage.saveOffer);
    assert.equal(refused.status(), 422);
    assert.match(await casePage.endError.textContent(), /Sidste dag ligger før første dag/);
    assert.equal(await casePage.offerPlace.inputValue(), 'Rødovre Centrum', 'what was typed is kept');
    const focused = await page.evaluate(() => document.activeElement?.className);
    assert.equal(focused, 'error-summary');
    await expectAccessible(page, 'refused offer');
  });
});

describe('finding a citizen', () => {
  test('a new case is found again by its CPR number, which never reaches the address bar', async () => {
    const page = await caseworker();
    const list = new WorklistPage(page);
    await list.goto();
    const actions = new Actions(page);
    await actions.clickAndWait(list.newCaseLink);
    const form = new NewCasePage(page);
    await expectAccessible(page, 'new case form');
    await actions.fill(form.cpr, '241299-0042');
    await actions.fill(form.name, 'Testa Borgersen');
    const created = await actions.clickAndWait(form.submit);
    assert.equal(created.status(), 200);
    const caseUrl = page.url();
    assert.doesNotMatch(caseUrl, /241299|0042/);
    const casePage = new CasePage(page);
    assert.equal(await casePage.cpr.textContent(), '241299-xxxx');

    await list.goto();
    const found = await list.search(new Actions(page), '2412990042');
    assert.equal(found.status(), 200);
    assert.equal(page.url(), caseUrl);
    assert.doesNotMatch(page.url(), /241299/);
    await new Actions(page).clickAndWait(casePage.revealButton);
    assert.equal(await casePage.cpr.textContent(), '241299-0042');

    await list.goto();
    const bad = await list.search(new Actions(page), '999999-9999');
    assert.equal(bad.status(), 422);
    assert.match(await list.searchError.textContent(), /ti cifre/);
    await expectAccessible(page, 'refused search');
  });

  test('another caseworker\'s case asks for a reason first', async () => {
    const page = await caseworker();
    // The demo's other caseworkers' cases are not on this worklist; ids are shared out in turn.
    const list = new WorklistPage(page);
    await list.goto();
    const mine = new Set(await list.caseLinks.evaluateAll((links) => links.map((a) => a.getAttribute('href'))));
    let other = null;
    for (let id = 1; id < 200 && !other; id += 1) {
      if (!mine.has(`/borgere/${id}`)) other = `/borgere/${id}`;
    }
    const refused = await page.goto(other);
    assert.equal(refused.status(), 403);
    assert.equal(await page.locator('main h1').textContent(), 'Sagen tilhører en anden sagsbehandler');
    await expectAccessible(page, 'reason form');
    await page.locator('#grund').selectOption('citizen_contact');
    const opened = await new Actions(page).clickAndWait(page.locator('main form button[type="submit"]'));
    assert.equal(opened.status(), 200);
    assert.match(page.url(), /grund=citizen_contact/);
  });
});

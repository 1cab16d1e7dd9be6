// The coherent plan in the browser (issue 12 item 3): a caseworker writes goals in the
// citizen's words and efforts from several departments, a bad row is refused at its field
// with the text kept, two tabs saving the same plan lose nothing, and the versions are listed.
// Every page visited has zero axe-core violations.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { expectAccessible } from '../support/axe.js';
import { useApp } from '../support/fixture.js';
import { LoginPage } from '../support/pages/LoginPage.js';
import { WorklistPage } from '../support/pages/CasePages.js';
import { CitizenPlanPage } from '../support/pages/CitizenPlanPage.js';

const app = useApp();

async function caseworker() {
  const page = await app.newPage();
  const response = await new LoginPage(page).loginAs(app.credentials.sagsbehandler);
  assert.equal(response.status(), 200);
  return page;
}

function isoDay(offsetDays) {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/** The plan page of the n-th case on the worklist, reached through the case page's link. */
async function planOf(page, n) {
  const list = new WorklistPage(page);
  await list.goto();
  await page.goto(await list.caseLinks.nth(n).getAttribute('href'));
  const href = await CitizenPlanPage.linkOn(page).getAttribute('href');
  const response = await page.goto(href);
  assert.equal(response.status(), 200);
  return { href, plan: new CitizenPlanPage(page) };
}

describe('the coherent plan', () => {
  test('goals and efforts are saved and the versions listed', async () => {
    const page = await caseworker();
    const { plan } = await planOf(page, 0);
    await expectAccessible(page, 'plan page');
    await plan.goal(0).fill('Jeg vil arbejde i et køkken');
    await plan.subGoals(0).fill('Tage hygiejnebevis\nPraktik i en kantine');
    await plan.effort(0, 'what').fill('Virksomhedspraktik i kantine');
    await plan.effort(0, 'responsible').fill('Jobkonsulent');
    await plan.effort(0, 'status').selectOption('running');
    await plan.effort(0, 'review').fill(isoDay(42));
    await plan.effort(1, 'what').fill('Forløb hos misbrugscentret');
    await plan.effort(1, 'department').selectOption('health');
    await plan.effort(1, 'responsible').fill('Rådgiver, Misbrugscentret');
    await plan.effort(1, 'review').fill(isoDay(30));
    const saved = await plan.submit();
    assert.equal(saved.status(), 200);
    assert.equal(await plan.notice.textContent(), 'Planen er gemt.');
    const shown = await plan.savedPlan.textContent();
    assert.match(shown, /Praktik i en kantine/);
    assert.match(shown, /Sundhed/);
    assert.doesNotMatch(page.url(), /\d{6}-?\d{4}/, 'no CPR number in the address');
    await expectAccessible(page, 'plan page after a save');

    await plan.historyLink.click();
    await page.waitForLoadState();
    assert.match(await page.locator('main').textContent(), /Version 1/);
    await expectAccessible(page, 'plan versions');
  });

  test('a bad row is refused at its field with the text kept', async () => {
    const page = await caseworker();
    const { plan } = await planOf(page, 1);
    await plan.subGoals(0).fill('Et delmål uden mål');
    await plan.effort(0, 'what').fill('Mentor');
    await plan.effort(0, 'responsible').fill('Mentor');
    const refused = await plan.submit();
    assert.equal(refused.status(), 422);
    assert.equal(await plan.fieldError('goal_0').count(), 1);
    assert.equal(await plan.fieldError('effort_0_review').count(), 1);
    assert.equal(await plan.subGoals(0).inputValue(), 'Et delmål uden mål');
    assert.equal(await plan.effort(0, 'what').inputValue(), 'Mentor');
    await expectAccessible(page, 'refused plan');
  });

  test('two tabs saving the same plan lose nothing', async () => {
    const first = await caseworker();
    const { href } = await planOf(first, 2);
    const second = await caseworker();
    await second.goto(href);
    const mine = new CitizenPlanPage(first);
    const theirs = new CitizenPlanPage(second);
    await mine.goal(0).fill('Det første jeg skrev');
    await theirs.goal(0).fill('Det andet jeg skrev');
    assert.equal((await mine.submit()).status(), 200);
    const refused = await theirs.submit();
    assert.equal(refused.status(), 409);
    assert.match(await theirs.conflict.textContent(), /Planen er ændret af/);
    assert.match(await theirs.savedPlan.textContent(), /Det første jeg skrev/);
    assert.equal(await theirs.goal(0).inputValue(), 'Det andet jeg skrev');
    await expectAccessible(second, 'plan conflict');
  });
});

// Oversight of case work in the browser (issue 12 items 2, 6 and 9): the worklist's weeks, a
// caseworker's exemption from the 75 % rules with its reason, the manager's quota view and
// audit search (a CPR number typed never reaches the address bar), and the administrator
// adopting a rule file. Every page visited has zero axe-core violations.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { expectAccessible } from '../support/axe.js';
import { useApp } from '../support/fixture.js';
import { LoginPage } from '../support/pages/LoginPage.js';
import { WorklistPage } from '../support/pages/CasePages.js';
import { AuditSearchPage, ExemptionPage, QuotaPage, RuleFilesPage } from '../support/pages/OversightPages.js';

const app = useApp();

async function as(role) {
  const page = await app.newPage();
  const response = await new LoginPage(page).loginAs(app.credentials[role]);
  assert.equal(response.status(), 200);
  return page;
}

describe('oversight of case work', () => {
  test('the worklist groups the caseload by week', async () => {
    const page = await as('sagsbehandler');
    const response = await new WorklistPage(page).goto();
    assert.equal(response.status(), 200);
    const headings = await page.locator('main h3').allTextContents();
    assert.match(headings.join('|'), /^Overskredet \(\d+\)\|Denne uge \(\d+\)\|Næste uge \(\d+\)/);
    await expectAccessible(page, 'worklist by week');
  });

  test('a caseworker exempts a citizen with a reason, required at the field', async () => {
    const page = await as('sagsbehandler');
    const list = new WorklistPage(page);
    await list.goto();
    // The first case whose exemption page offers the form (its group is under the 75 % rules).
    const links = await list.caseLinks.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    const exemption = new ExemptionPage(page);
    let found = false;
    for (const href of links.slice(0, 30)) {
      await page.goto(`${href}/fritagelse`);
      if ((await exemption.reason.count()) > 0) {
        found = true;
        break;
      }
    }
    assert.ok(found, 'a case under the 75 % rules in the demo caseload');
    await expectAccessible(page, 'exemption page');
    const refused = await exemption.submitGrant();
    assert.equal(refused.status(), 422);
    assert.equal(await exemption.reasonError.textContent(), 'Skal udfyldes.');
    await expectAccessible(page, 'exemption page with an error');
    await exemption.reason.fill('Indlagt til operation; samtaler udsat efter aftale med lægen.');
    const granted = await exemption.submitGrant();
    assert.equal(granted.status(), 200);
    assert.equal(await exemption.notice.textContent(), 'Borgeren er fritaget.');
    assert.equal(await exemption.end.count(), 1);
  });

  test('the manager sees the quota and searches the audit log without a CPR number in the URL', async () => {
    const page = await as('leder');
    const quota = new QuotaPage(page);
    assert.equal((await quota.goto()).status(), 200);
    assert.equal(await quota.pools.count(), 2);
    assert.ok((await quota.groups.count()) >= 3);
    await expectAccessible(page, 'quota view');

    const search = new AuditSearchPage(page);
    assert.equal((await search.goto()).status(), 200);
    await expectAccessible(page, 'audit search form');
    await search.cpr.fill('12345');
    const bad = await search.search();
    assert.equal(bad.status(), 422);
    assert.equal(await search.cpr.inputValue(), '', 'the number typed is not echoed');
    await search.kind.selectOption('citizen.worklist');
    const found = await search.search();
    assert.equal(found.status(), 200);
    assert.ok((await search.rows.count()) >= 1);
    assert.match(page.url(), /haendelse=citizen.worklist/);
    assert.doesNotMatch(page.url(), /\d{6}-?\d{4}/);
    await expectAccessible(page, 'audit search results');
  });

  test('an administrator adopts the expected 2027 rules', async () => {
    const page = await as('admin');
    const files = new RuleFilesPage(page);
    assert.equal((await files.goto()).status(), 200);
    await expectAccessible(page, 'rule files');
    assert.equal(await files.adoptButtons.count(), 1, 'only the 2027 file is not adopted');
    const adopted = await files.adoptFirst();
    assert.equal(adopted.status(), 200);
    assert.match(await files.notice.textContent(), /vedtaget/);
    assert.equal(await files.adoptButtons.count(), 0);
    await expectAccessible(page, 'rule files after adoption');
  });
});

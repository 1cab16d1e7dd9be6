// Rapporter: a manager (leder) makes the quarterly report for a committee meeting, which is
// archived as it was made and approved once; the committee reads the archive and downloads
// the report byte for byte; a meeting before the quarter's end is refused in Danish; the
// tables download as Excel. Every page visited is checked with axe-core.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';

import { expectAccessible } from '../support/axe.js';
import { useApp } from '../support/fixture.js';
import { LoginPage } from '../support/pages/LoginPage.js';
import { ReportsPage } from '../support/pages/ReportsPage.js';

const app = useApp();
const GLADSAXE = 'gladsaxe-2022';

async function loggedIn(role) {
  const page = await app.newPage();
  const response = await new LoginPage(page).loginAs(app.credentials[role]);
  assert.equal(response.status(), 200);
  return page;
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

describe('the report archive', () => {
  test('a meeting before the quarter has ended is refused in Danish and the form keeps its values', async () => {
    const page = await loggedIn('leder');
    const reports = new ReportsPage(page);
    await reports.goto();
    await expectAccessible(page, 'Rapporter for a manager');
    const refused = await reports.makeReport({ planId: GLADSAXE, quarter: '2022Q4', date: '2022-12-20' });
    assert.equal(refused.status(), 422);
    assert.match(await reports.problem.textContent(), /Mødedatoen ligger før 2022K4 er slut\. Vælg 01\.01\.2023 eller senere/);
    assert.equal(await reports.meetingDate.inputValue(), '2022-12-20');
    assert.equal(await reports.archiveRows(GLADSAXE).count(), 0, 'nothing was archived');
    await expectAccessible(page, 'Rapporter with a refused meeting date');
  });

  test('a manager makes and approves the report; the committee downloads the same bytes', async () => {
    const page = await loggedIn('leder');
    const reports = new ReportsPage(page);
    await reports.goto();
    const made = await reports.makeReport({ planId: GLADSAXE, quarter: '2022Q4', date: '2023-02-14' });
    assert.equal(made.status(), 200);
    assert.equal(
      await reports.statusMessage.textContent(),
      'Rapporten for 2022K4 til Beskæftigelsesudvalget er lavet og arkiveret.',
    );
    const row = reports.archiveRows(GLADSAXE).first();
    assert.match(await row.textContent(), /Kladde/);
    const approved = await reports.approveFirst();
    assert.equal(approved.status(), 200);
    assert.match(await reports.statusMessage.textContent(), /er godkendt\.$/);
    assert.match(await row.textContent(), /Godkendt/);
    await expectAccessible(page, 'Rapporter with an approved report');

    const committee = await loggedIn('udvalg');
    const theirs = new ReportsPage(committee);
    await theirs.goto();
    assert.equal(await theirs.archiveForm.count(), 0, 'the committee makes no reports');
    assert.equal(await theirs.approveButtons.count(), 0);
    const shown = (await theirs.archiveRows(GLADSAXE).first().locator('td.hash code').first().textContent()).trim();
    const href = await theirs.archiveRows(GLADSAXE).first().getByRole('link', { name: 'HTML' }).getAttribute('href');
    const first = await committee.request.get(href);
    assert.equal(first.status(), 200);
    assert.equal(first.headers()['etag'], `"${shown}"`);
    const bytes = await first.body();
    assert.equal(sha256(bytes), shown, 'the page shows the hash of the bytes served');
    const again = await (await committee.request.get(href)).body();
    assert.ok(bytes.equals(again), 'served byte-identical');
    await expectAccessible(committee, 'Rapporter for the committee');
  });

  test('the Overblik tables download as an Excel workbook', async () => {
    const page = await loggedIn('udvalg');
    await page.goto('/overblik');
    const link = page.getByRole('link', { name: 'Hent tabellerne som Excel' }).first();
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    assert.match(download.suggestedFilename(), /^overblik-.*\.xlsx$/);
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile(await download.path());
    assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'an XLSX is a zip');
  });
});

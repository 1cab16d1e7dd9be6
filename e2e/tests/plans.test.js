// Plan og mål for the manager (leder) and the committee (udvalg): the example plans are
// there, goals carry a status, goal pages show charts and history, a manager's comment and
// action status are saved (and a stale edit is refused), the committee reads without
// forms, the admin's plan upload lists every problem, and the report downloads as PDF, also
// from Rapporter.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { before, describe, test } from 'node:test';

import { expectAccessible } from '../support/axe.js';
import { useApp } from '../support/fixture.js';
import { LoginPage } from '../support/pages/LoginPage.js';
import { GoalPage, PlanPage, PlansPage } from '../support/pages/PlanPages.js';

const app = useApp();
const GLADSAXE = 'gladsaxe-2022';
const GOAL = 'kortere-ledighed';

const WITH_ACTIONS = `format = 1
[policy]
title = "Testpolitik"
vision = "Alle i job"
[[policy.strategic_goals]]
id = "sm1"
title = "Virksomhederne"
[plan]
id = "test-handleplan"
municipality = 175
title = "Testplan med handleplan"
from = "2024Q1"
to = "2024Q4"
[[goals]]
id = "smaajob"
kind = "local"
title = "Flere småjob"
strategic_goals = ["sm1"]
[[goals.indicators]]
id = "kontanthjaelp"
title = "Andel på kontanthjælp"
measure = "andel.kontanthjaelp"
baseline = { period = "2023" }
target = { rule = "below_baseline" }
[[goals.action_plans]]
id = "hp"
title = "Handleplan for småjob"
[[goals.action_plans.actions]]
id = "kampagne"
title = "Kampagne hos virksomheder"
owner = "Virksomhedsservice"
due = 2024-06-30
`;

async function loggedIn(role) {
  const page = await app.newPage();
  const response = await new LoginPage(page).loginAs(app.credentials[role]);
  assert.equal(response.status(), 200);
  return page;
}

describe('admin loads plans', () => {
  test('a bad plan is refused with every problem and its line; a good one becomes a version', async () => {
    const page = await loggedIn('admin');
    const plans = new PlansPage(page);
    await plans.goto();
    const bad = WITH_ACTIONS.replace('andel.kontanthjaelp', 'andel.kontant').replace('due = 2024-06-30', 'due = 2025-06-30');
    const refused = await plans.upload(bad);
    assert.equal(refused.status(), 422);
    const problems = await plans.problems.allTextContents();
    assert.equal(problems.length, 2, problems.join('\n'));
    assert.match(problems[0], /^Linje 22, kolonne 11: ukendt indikator "andel.kontant"/);
    assert.match(problems[1], /^Linje 32, kolonne 7: fristen 2025-06-30 ligger uden for planperioden 2024/);
    assert.equal(await plans.uploadField.inputValue(), bad, 'the text is kept for correcting');
    await expectAccessible(page, 'plan upload with problems');

    const loaded = await plans.upload(WITH_ACTIONS);
    assert.equal(loaded.status(), 200);
    assert.equal(await plans.statusMessage.textContent(), 'Testplan med handleplan er indlæst som version 1.');
    const again = await plans.upload(WITH_ACTIONS);
    assert.equal(again.status(), 200);
    assert.match(await plans.statusMessage.textContent(), /er uændret; version 1 gælder fortsat/);
    const titles = await plans.planLinks.allTextContents();
    assert.ok(titles.includes('Beskæftigelsesplan 2022') && titles.includes('Testplan med handleplan'), titles.join(', '));
  });

  test('a plan file is chosen and uploaded; a bad, empty or binary file is refused, naming the file', async () => {
    const page = await loggedIn('admin');
    const plans = new PlansPage(page);
    await plans.goto();

    const empty = await plans.submitEmpty();
    assert.equal(empty.status(), 422);
    assert.deepEqual(await plans.problems.allTextContents(), ['Vælg en planfil, eller indsæt planfilens tekst.']);

    const bad = WITH_ACTIONS.replace('andel.kontanthjaelp', 'andel.kontant');
    const refused = await plans.uploadFile('testplan.toml', bad);
    assert.equal(refused.status(), 422);
    const problems = await plans.problems.allTextContents();
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0], /^testplan\.toml: Linje 22, kolonne 11: ukendt indikator "andel.kontant"/);
    assert.equal(await plans.uploadField.inputValue(), bad, 'the file is shown for correcting');
    await expectAccessible(page, 'plan file upload with problems');

    const binary = await plans.uploadFile('plan.pdf', Buffer.from([0x25, 0x50, 0x44, 0x46, 0xff, 0xfe, 0x00]));
    assert.equal(binary.status(), 422);
    assert.match((await plans.problems.allTextContents())[0], /^plan\.pdf er ikke en tekstfil i UTF-8/);

    const revised = WITH_ACTIONS.replace('title = "Testplan med handleplan"', 'title = "Testplan med handleplan, revideret"');
    const loaded = await plans.uploadFile('testplan.toml', revised);
    assert.equal(loaded.status(), 200);
    assert.equal(await plans.statusMessage.textContent(), 'Testplan med handleplan, revideret er indlæst som version 2.');
  });
});

for (const role of ['leder', 'udvalg']) {
  describe(`${role} reads the plans`, () => {
    let page;
    before(async () => {
      page = await loggedIn(role);
    });

    test('the list shows the three example plans', async () => {
      const plans = new PlansPage(page);
      assert.equal((await plans.goto()).status(), 200);
      const titles = await plans.planLinks.allTextContents();
      for (const t of ['Beskæftigelsesplan 2022', 'Beskæftigelsesplan 2023/2024']) {
        assert.ok(titles.some((x) => x.startsWith(t)), `${t} in ${titles.join(', ')}`);
      }
      assert.equal(await plans.uploadField.count(), 0, 'only admins load plans');
      await expectAccessible(page, `plan list as ${role}`);
    });

    test('the Gladsaxe plan shows every goal with a status for 2022Q4', async () => {
      const plan = new PlanPage(page);
      assert.equal((await plan.goto(GLADSAXE, '2022Q4')).status(), 200);
      assert.equal(await plan.heading.textContent(), 'Beskæftigelsesplan 2022');
      // Seven goals; the handicap goal serves both strategic goals, so it is listed under each.
      const hrefs = await plan.goalLinks.evaluateAll((links) => links.map((a) => a.getAttribute('href')));
      assert.equal(hrefs.length, 8);
      assert.equal(new Set(hrefs).size, 7);
      const statuses = await plan.goalStatuses.allTextContents();
      for (const s of statuses) {
        assert.match(s, /^(✔ Opfyldt|↗ På vej|⚠ I risiko|× Ikke opfyldt)(, \d+ af \d+ indikatorer målt)?$|^(– Ingen tal endnu|○ Ikke målt)$/);
      }
      assert.equal(await plan.pdfLink.count(), 1);
      await expectAccessible(page, `Gladsaxe plan as ${role}`);
      const chosen = await plan.chooseQuarter('2022Q2');
      assert.equal(new URL(chosen.url()).searchParams.get('kvartal'), '2022Q2');
    });

    test('a goal page shows charts, verdicts and the status history', async () => {
      const goal = new GoalPage(page);
      assert.equal((await goal.goto(GLADSAXE, GOAL, '2022Q4')).status(), 200);
      assert.equal(await goal.indicatorSections.count(), 4);
      assert.equal(await goal.charts.count(), 4, 'one chart per register indicator');
      const text = await page.locator('main').textContent();
      assert.match(text, /12,6 % \(2021\)/, 'the printed baseline');
      assert.match(text, /under 8,0 % i 2022/, 'the printed target');
      assert.equal(await goal.historyCells.count(), 4, 'one status per quarter of 2022');
      assert.equal(await goal.commentField.count(), role === 'leder' ? 1 : 0);
      await expectAccessible(page, `goal page as ${role}`);
    });

    test('a quarter outside the plan gets a Danish sentence, not a verdict', async () => {
      const response = await page.goto(`/plan/${GLADSAXE}/maal/${GOAL}?kvartal=2023Q1`);
      assert.equal(response.status(), 422);
      assert.match(await page.locator('main').textContent(), /2023K1 ligger uden for planens periode 2022/);
    });
  });
}

describe('the manager edits, the committee reads', () => {
  test('a comment is saved and reaches the report; a stale edit is refused', async () => {
    const first = await loggedIn('leder');
    const second = await loggedIn('leder');
    const a = new GoalPage(first);
    const b = new GoalPage(second);
    await a.goto(GLADSAXE, GOAL, '2022Q4');
    await b.goto(GLADSAXE, GOAL, '2022Q4');
    const saved = await a.writeComment('Ledigheden falder, men de unge halter efter.');
    assert.equal(saved.status(), 200);
    assert.match(await a.statusMessage.textContent(), /Kommentaren til »Vi vil forkorte ledighedsperioden/);
    assert.equal(await a.commentField.inputValue(), 'Ledigheden falder, men de unge halter efter.');

    const stale = await b.writeComment('En anden tekst');
    assert.equal(stale.status(), 409);
    assert.match(await b.commentConflict.textContent(), /ændret af en anden/);
    assert.equal(await b.commentField.inputValue(), 'En anden tekst', 'the typed text stays in the field');
    assert.equal(await b.savedComment.textContent(), 'Ledigheden falder, men de unge halter efter.', 'the saved text beside it');
    await expectAccessible(second, 'comment conflict');

    const report = await first.request.get(`/plan/${GLADSAXE}/rapport.html?kvartal=2022Q4`);
    assert.equal(report.status(), 200);
    assert.match(await report.text(), /Ledigheden falder, men de unge halter efter\./);

    const committee = await loggedIn('udvalg');
    const c = new GoalPage(committee);
    await c.goto(GLADSAXE, GOAL, '2022Q4');
    assert.equal(await c.comment.textContent(), 'Ledigheden falder, men de unge halter efter.');
    const refused = await committee.request.post(`/plan/${GLADSAXE}/maal/${GOAL}/kommentar`, {
      form: { kvartal: '2022Q4', comment: 'x', revision: '1' },
    });
    assert.ok([403, 422].includes(refused.status()), `the committee cannot write: ${refused.status()}`);
  });

  test('the manager sets an action status; the committee sees it read-only', async () => {
    const admin = await loggedIn('admin');
    await new PlansPage(admin).goto();
    await new PlansPage(admin).upload(WITH_ACTIONS);
    const page = await loggedIn('leder');
    const goal = new GoalPage(page);
    await goal.goto('test-handleplan', 'smaajob', '2024Q2');
    const done = await goal.setActionStatus('kampagne', 'in_progress');
    assert.equal(done.status(), 200);
    assert.equal(await goal.statusMessage.textContent(), 'Status for »Kampagne hos virksomheder« er nu I gang.');
    await expectAccessible(page, 'goal page with actions as leder');

    const committee = await loggedIn('udvalg');
    const c = new GoalPage(committee);
    await c.goto('test-handleplan', 'smaajob', '2024Q2');
    assert.equal(await c.statusSelects.count(), 0);
    assert.match(await committee.locator('section[aria-labelledby="actions-heading"]').textContent(), /I gang/);
  });

  test('the quarterly report downloads as a PDF', async () => {
    const page = await loggedIn('udvalg');
    const response = await page.request.get(`/plan/${GLADSAXE}/rapport.pdf?kvartal=2022Q4`);
    assert.equal(response.status(), 200);
    assert.equal(response.headers()['content-type'], 'application/pdf');
    const body = await response.body();
    assert.equal(body.subarray(0, 5).toString(), '%PDF-');
  });

  test('Rapporter lists every plan with its quarter, and a click downloads the PDF', async () => {
    const page = await loggedIn('udvalg');
    await page.getByRole('navigation').getByRole('link', { name: 'Rapporter' }).click();
    assert.equal(new URL(page.url()).pathname, '/rapporter');
    await expectAccessible(page, 'Rapporter');
    const row = page.getByRole('row').filter({ hasText: 'Beskæftigelsesplan 2022' });
    assert.equal(await row.count(), 1);
    const quarter = (await row.getByRole('cell').nth(2).textContent()).trim();
    assert.match(quarter, /^2022K[1-4]$/);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.getByRole('link', { name: 'PDF' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), `maalopfyldelse-${GLADSAXE}-${quarter.replace('K', 'Q')}.pdf`);
    const bytes = await readFile(await download.path());
    assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
  });
});

// Comments that never lose words, and the admin's guarded steps (issue 11): two managers edit
// the same goal's comment; the one who saves second keeps their own text in the field, sees
// the saved text beside it, and the notice next to the field has the focus. The counter
// follows the typing (htmx, no inline script). A new API token is shown once after a redirect,
// and revoking it asks first. Every page visited has zero axe-core violations.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { expectAccessible } from '../support/axe.js';
import { navigation } from '../support/browser.js';
import { useApp } from '../support/fixture.js';
import { LoginPage } from '../support/pages/LoginPage.js';
import { GoalPage } from '../support/pages/PlanPages.js';

const app = useApp();
const GLADSAXE = 'gladsaxe-2022';
const GOAL = 'kortere-ledighed';
const FIRST = 'Ledigheden falder, men de unge halter efter.';
const SECOND = 'De langvarige fylder stadig for meget;\nvi følger op i næste kvartal.';

async function loggedIn(role) {
  const page = await app.newPage();
  const response = await new LoginPage(page).loginAs(app.credentials[role]);
  assert.equal(response.status(), 200);
  return page;
}

describe('a concurrent comment edit keeps both texts', () => {
  test('the second manager keeps their text, sees the saved one beside it, and the notice has the focus', async () => {
    const one = new GoalPage(await loggedIn('leder'));
    const two = new GoalPage(await loggedIn('leder'));
    await one.goto(GLADSAXE, GOAL, '2022Q3');
    await two.goto(GLADSAXE, GOAL, '2022Q3');

    const saved = await one.writeComment(FIRST);
    assert.equal(saved.status(), 200);
    assert.match(await one.commentByline.first().textContent(), /^Skrevet af leder, \d\d\.\d\d\.\d{4} kl\. \d\d\.\d\d$/);

    const stale = await two.writeComment(SECOND);
    assert.equal(stale.status(), 409);
    assert.equal(await two.commentField.inputValue(), SECOND, 'the typed text is in the field');
    assert.equal(await two.savedComment.textContent(), FIRST, 'the saved text stands beside it');
    assert.match(await two.commentConflict.textContent(), /din tekst er ikke gemt endnu/);
    const focused = await two.page.evaluate(() => document.activeElement?.id);
    assert.equal(focused, 'comment-conflict', 'focus moved to the notice next to the field');
    const describedBy = await two.commentField.getAttribute('aria-describedby');
    assert.ok(describedBy.split(' ').includes('comment-conflict'), describedBy);
    await expectAccessible(two.page, 'comment conflict with both texts');

    // Saving again from the refused page, as it stands, keeps the second text.
    const retried = await navigation(two.page, () => two.commentButton.click());
    assert.equal(retried.status(), 200);
    assert.equal(await two.commentField.inputValue(), SECOND);
    await one.goto(GLADSAXE, GOAL, '2022Q3');
    assert.equal(await one.commentField.inputValue(), SECOND);

    // A reload of the page after saving sends nothing again (Post/Redirect/Get).
    const reload = await two.page.reload();
    assert.equal(reload.request().method(), 'GET');
    assert.equal(reload.status(), 200);
  });

  test('the counter follows the typing without an inline script', async () => {
    const goal = new GoalPage(await loggedIn('leder'));
    await goal.goto(GLADSAXE, GOAL, '2022Q2');
    assert.equal(await goal.commentCount.textContent(), '0 / 4000 tegn');
    await goal.commentField.fill('æøå æøå');
    await goal.page.waitForFunction(() => document.querySelector('#comment-count')?.textContent === '7 / 4000 tegn');
    await expectAccessible(goal.page, 'goal page with the counter');
  });
});

describe('the admin is asked before a change that cannot be taken back', () => {
  test('a new token is shown once after a redirect; revoking it asks first', async () => {
    const page = await loggedIn('admin');
    await page.goto('/administration');
    await page.locator('#token-user').selectOption({ index: 0 });
    await page.locator('#token-name').fill('Et formål, der er langt nok til at skulle brydes i tabellens celle uden at gøre tabellen bredere');
    const made = await navigation(page, () => page.locator('form[action="/administration/noegler"] button[type="submit"]').click());
    assert.equal(made.status(), 200);
    assert.equal(made.request().redirectedFrom()?.method(), 'POST', 'the answer came after a redirect');
    assert.doesNotMatch(page.url(), /indsats_/, 'the secret is not in the URL');
    const secret = await page.locator('code.secret').textContent();
    assert.match(secret, /^indsats_/);
    await expectAccessible(page, 'administration with a new token');
    await page.reload();
    assert.equal(await page.locator('code.secret').count(), 0, 'shown once');

    const asked = await navigation(page, () => page.locator('form[action="/administration/noegler/tilbagekald"] button').first().click());
    assert.equal(asked.status(), 200);
    assert.match(await page.locator('main').textContent(), /holder op med at virke med det samme/);
    await expectAccessible(page, 'revoke confirmation');
    const done = await navigation(page, () => page.locator('main form button[type="submit"]').click());
    assert.equal(done.status(), 200);
    assert.equal(await page.locator('main > p.notice[role="status"]').textContent(), 'API-nøglen er tilbagekaldt.');
  });

  test('the favicon is served', async () => {
    const page = await app.newPage();
    const icon = await page.request.get('/static/favicon.svg');
    assert.equal(icon.status(), 200);
    assert.equal(icon.headers()['content-type'], 'image/svg+xml');
  });
});

// The accessibility harness itself: axe must really run and really report, or every
// "accessible" check elsewhere would pass for nothing.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { expectAccessible, formatViolations, runAxe } from '../support/axe.js';
import { launchBrowser } from '../support/browser.js';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const BAD_PAGE = `<!doctype html><html><head><title>bad</title></head><body>
<main><h1>Bad</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<input type="text" id="nameless">
<p style="color:#bbb;background:#fff">faint text</p>
</main></body></html>`;

const GOOD_PAGE = `<!doctype html><html lang="da"><head><title>god</title></head><body>
<main><h1>God</h1><label for="navn">Navn</label><input type="text" id="navn"></main></body></html>`;

test('axe reports missing alt text, missing labels and low contrast, with their elements', async () => {
  const page = await browser.newPage();
  await page.setContent(BAD_PAGE);
  const { violations } = await runAxe(page);
  const ids = violations.map((v) => v.id);
  for (const id of ['image-alt', 'label', 'color-contrast', 'html-has-lang']) {
    assert.ok(ids.includes(id), `axe reports ${id} (got ${ids.join(', ')})`);
  }
  const text = formatViolations(violations);
  assert.match(text, /image-alt .*\n.*\n\s+at img/);
  assert.match(text, /#nameless/);
  await assert.rejects(expectAccessible(page, 'the bad page'), /violation\(s\) on the bad page/);
  await page.close();
});

test('axe passes a clean page', async () => {
  const page = await browser.newPage();
  await page.setContent(GOOD_PAGE);
  await expectAccessible(page, 'the good page');
  await page.close();
});

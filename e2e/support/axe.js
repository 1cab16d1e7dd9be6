// Accessibility checks with axe-core against WCAG 2.0/2.1 A and AA.
//
// The app sends a strict Content-Security-Policy (script-src 'self'), which blocks an
// inline <script> such as page.addScriptTag({content}) creates. Rather than turning
// CSP off for the whole browser context (bypassCSP would also hide CSP problems of the
// app itself), axe's source is evaluated through the DevTools protocol, which CSP does
// not govern. The result is the same: window.axe in the page under test.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Makes window.axe available in the page (once per document). */
export async function injectAxe(page) {
  const present = await page.evaluate(() => typeof window.axe === 'object');
  if (!present) {
    // Same effect as page.addScriptTag({ content: AXE_SOURCE }), but not subject to CSP.
    await page.evaluate(AXE_SOURCE);
  }
}

/**
 * Runs axe on the whole document. Returns { violations, passed }: the violations, and
 * how many rules found something to check and passed (0 would mean axe saw nothing).
 */
export async function runAxe(page, { disableRules = [] } = {}) {
  await injectAxe(page);
  return page.evaluate(
    async ({ tags, disableRules }) => {
      const rules = Object.fromEntries(disableRules.map((id) => [id, { enabled: false }]));
      const result = await window.axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        rules,
        resultTypes: ['violations'],
      });
      const violations = result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({
          target: n.target.join(' '),
          html: n.html,
          summary: n.failureSummary,
        })),
      }));
      return { violations, passed: result.passes.length };
    },
    { tags: WCAG_TAGS, disableRules },
  );
}

/** Human-readable list of violations, one block per rule. */
export function formatViolations(violations) {
  return violations
    .map(
      (v) =>
        `- ${v.id} (${v.impact}): ${v.help}\n  ${v.helpUrl}\n` +
        v.nodes
          .map((n) => `    at ${n.target}\n      ${n.html}\n      ${(n.summary || '').replace(/\n/g, '\n      ')}`)
          .join('\n'),
    )
    .join('\n');
}

/**
 * Fails unless the current page has no WCAG 2.1 A/AA violations.
 * `label` names the page in the failure message.
 */
export async function expectAccessible(page, label = page.url(), options = {}) {
  const { violations, passed } = await runAxe(page, options);
  assert.ok(passed > 0, `axe found nothing to check on ${label} (${page.url()})`);
  assert.equal(
    violations.length,
    0,
    `axe found ${violations.length} WCAG 2.1 A/AA violation(s) on ${label} (${page.url()}):\n${formatViolations(violations)}`,
  );
}

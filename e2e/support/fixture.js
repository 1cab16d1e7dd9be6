// One server and one browser per test file (node:test runs files one at a time with
// --test-concurrency=1). Every newPage() is in a fresh browser context, so no cookies
// leak between pages; contexts are closed when the file is done. A problem the browser reports on its own (a script error, or a
// resource the Content-Security-Policy refused) fails the test that caused it.
//
//   const app = useApp();
//   test('…', async () => { const page = await app.newPage(); … });

import assert from 'node:assert/strict';
import { after, afterEach, before } from 'node:test';

import { launchBrowser } from './browser.js';
import { startServer } from './server.js';

export function useApp() {
  const app = {
    server: null,
    browser: null,
    contexts: [],
    problems: [],
    get baseURL() {
      return app.server.baseURL;
    },
    get credentials() {
      return app.server.credentials;
    },
    /**
     * A page in a new, empty browser context (Danish browser, no cookies).
     * `viewport` defaults to playwright's 1280×720.
     */
    async newPage({ locale = 'da-DK', viewport } = {}) {
      await app.start();
      const context = await app.browser.newContext({
        baseURL: app.server.baseURL,
        locale,
        ...(viewport ? { viewport } : {}),
      });
      app.contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (err) => app.problems.push(`script error on ${page.url()}: ${err.message}`));
      page.on('console', (msg) => {
        const text = msg.text();
        if (msg.type() === 'error' && /Content Security Policy/i.test(text)) {
          app.problems.push(`CSP violation on ${page.url()}: ${text}`);
        }
      });
      return page;
    },
  };

  let starting;
  /** Starts the server and the browser once; safe to call from any hook or test. */
  app.start = () => {
    starting ??= (async () => {
      app.server = await startServer();
      app.browser = await launchBrowser();
    })();
    return starting;
  };

  // Top-level before() hooks of a file may start before an earlier one has finished,
  // so a file's own hooks should call newPage() (which awaits app.start()) rather
  // than rely on the order of hooks.
  before(() => app.start());

  afterEach(() => {
    const problems = app.problems.splice(0);
    assert.deepEqual(problems, [], `the browser reported problems:\n${problems.join('\n')}`);
  });

  after(async () => {
    await starting?.catch(() => {});
    await Promise.all(app.contexts.splice(0).map((c) => c.close()));
    await app.browser?.close();
    if (app.server) {
      const code = await app.server.stop();
      assert.equal(code, 0, `indsats should exit with 0 after SIGTERM, got ${code}\n${app.server.log}`);
    }
  });

  return app;
}

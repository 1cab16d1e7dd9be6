// The test server helper and the app's start and stop: a fresh data directory gets
// the demo users, and SIGTERM ends the server gracefully (exit code 0), also with a
// browser still connected.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ROLES } from '../support/access.js';
import { launchBrowser } from '../support/browser.js';
import { POSTGRES_URL, parseCredentials, startServer } from '../support/server.js';

test('demo-credentials.txt is read as user name, password and role', () => {
  const parsed = parseCredentials(
    'sagsbehandler          ruqw-9s2h-uj2y-wquv-2trp   (sagsbehandler)\n\nnot a credentials line\n',
  );
  assert.deepEqual(parsed, {
    sagsbehandler: { username: 'sagsbehandler', password: 'ruqw-9s2h-uj2y-wquv-2trp', role: 'sagsbehandler' },
  });
});

test(
  'a fresh server seeds one demo user per role and one citizen, and stops on SIGTERM with exit code 0',
  { skip: POSTGRES_URL ? 'a new user\'s first run is on the embedded database' : false },
  async () => {
  const server = await startServer({ fresh: true });
  let stopped = false;
  try {
    assert.match(server.baseURL, /^http:\/\/127\.0\.0\.1:\d+$/);
    // One user per staff role, named after it, and the demo citizen's login (role borger).
    const staff = Object.keys(server.credentials).filter((name) => server.credentials[name].role !== 'borger');
    assert.deepEqual(staff.sort(), [...ROLES].sort());
    for (const role of ROLES) assert.equal(server.credentials[role].role, role);
    const citizens = Object.values(server.credentials).filter((c) => c.role === 'borger');
    assert.equal(citizens.length, 1, 'one demo citizen can log in');

    const health = await fetch(`${server.baseURL}/healthz`);
    assert.equal(health.status, 200);

    // A browser with an open page (keep-alive connection) must not hold up the shutdown.
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      assert.equal((await page.goto(`${server.baseURL}/login`)).status(), 200);
      const code = await server.stop();
      stopped = true;
      assert.equal(code, 0, `exit code after SIGTERM\n${server.log}`);
    } finally {
      await browser.close();
    }
    await assert.rejects(fetch(`${server.baseURL}/healthz`), 'the port is closed after the stop');
  } finally {
    if (!stopped) await server.stop();
  }
});

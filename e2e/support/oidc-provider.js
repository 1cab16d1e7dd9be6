// A real OpenID provider for the browser tests: the certified `oidc-provider` package, on a
// loopback port of its own, with one confidential client for staff and one for citizens and
// its development login pages (any user name and password are accepted; the user name is the
// account). The accounts' claims are given by the test: the citizens' provider sends the CPR
// number in the claim `cpr` (a MitID broker's claim has another name, configured in indsats),
// the staff provider the user name in `preferred_username`.
//
//   const provider = await startOidcProvider({ indsatsURL, accounts: { borger: { cpr: '…' } } });
//   provider.issuer            // "http://127.0.0.1:PORT"
//   provider.env               // the INDSATS_* settings that point indsats at it
//   await provider.stop();

import http from 'node:http';
import net from 'node:net';

import Provider from 'oidc-provider';

/** A free loopback port, for a server that must know its address before it starts. */
export async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const CLIENTS = {
  staff: { id: 'indsats-medarbejder', secret: 'medarbejder-hemmelighed', path: '/login/oidc/medarbejder/svar' },
  citizen: { id: 'indsats-borger', secret: 'borger-hemmelighed', path: '/login/oidc/borger/svar' },
};

export async function startOidcProvider({ indsatsURL, accounts }) {
  const server = http.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: Object.values(CLIENTS).map((c) => ({
      client_id: c.id,
      client_secret: c.secret,
      redirect_uris: [`${indsatsURL}${c.path}`],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    // indsats sends a PKCE challenge on every login; the provider refuses one without.
    pkce: { required: () => true },
    claims: { openid: ['sub', 'cpr', 'preferred_username'], profile: ['name'], email: ['email'] },
    // The claims go into the ID token itself, which is what indsats reads.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['indsats-e2e-cookie-key'] },
    async findAccount(_ctx, id) {
      const claims = accounts[id];
      if (!claims) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
    },
    // The test's clients are first-party: no consent screen.
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid profile email');
      grant.addOIDCClaims(['cpr', 'preferred_username', 'name', 'email']);
      await grant.save();
      return grant;
    },
  });
  server.on('request', provider.callback());
  return {
    issuer,
    env: {
      INDSATS_STAFF_OIDC_ISSUER: issuer,
      INDSATS_STAFF_OIDC_CLIENT_ID: CLIENTS.staff.id,
      INDSATS_STAFF_OIDC_CLIENT_SECRET: CLIENTS.staff.secret,
      INDSATS_STAFF_OIDC_REDIRECT_URL: `${indsatsURL}${CLIENTS.staff.path}`,
      INDSATS_CITIZEN_OIDC_ISSUER: issuer,
      INDSATS_CITIZEN_OIDC_CLIENT_ID: CLIENTS.citizen.id,
      INDSATS_CITIZEN_OIDC_CLIENT_SECRET: CLIENTS.citizen.secret,
      INDSATS_CITIZEN_OIDC_REDIRECT_URL: `${indsatsURL}${CLIENTS.citizen.path}`,
      INDSATS_CITIZEN_OIDC_CLAIM: 'cpr',
    },
    stop: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(resolve);
    }),
  };
}

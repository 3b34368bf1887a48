// openid-client v6, unmodified, against `--profile oidc`: discovery, the code flow with PKCE,
// nonce and state for each client authentication method, refresh, userinfo, revocation,
// introspection, the logout URL and client_credentials. Its checks (issuer, iss in the authorization response,
// ID token signature and claims) are the library's own.
import assert from 'node:assert/strict';
import * as client from 'openid-client';
import type { OAuthMock } from '../../src/index.js';
import { claimsOf, loginOverHttp, startOidcMock } from './helpers.js';

const REDIRECT = 'http://localhost:3000/callback';
const LOGGED_OUT = 'http://localhost:3000/logged-out';
const insecure = { execute: [client.allowInsecureRequests] };

describe('interop: openid-client v6', () => {
  let mock: OAuthMock;
  before(async () => {
    mock = await startOidcMock({
      clients: [
        { id: 'worker', secret: 'worker-secret-worker-secret', redirect_uris: [], scopes: ['api:read'], grant_types: ['client_credentials'] },
        {
          id: 'web',
          secret: 'web-secret-web-secret',
          redirect_uris: [REDIRECT],
          scopes: ['openid', 'profile', 'email'],
          post_logout_redirect_uris: [LOGGED_OUT],
        },
      ],
    });
  });
  after(() => mock.stop());

  const discover = (clientId: string, secret: string | undefined, auth: client.ClientAuth) =>
    client.discovery(new URL(mock.issuer), clientId, secret, auth, insecure);

  /** The code flow as an app runs it with openid-client: PKCE (S256), nonce and state. */
  async function codeFlow(config: client.Configuration, user = 'alice') {
    const verifier = client.randomPKCECodeVerifier();
    const nonce = client.randomNonce();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid profile email',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      nonce,
      state,
    });
    const callback = await loginOverHttp(mock, url, user);
    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedNonce: nonce, expectedState: state });
    return { tokens, nonce };
  }

  it('discovers the server: issuer and endpoints as the library reads them', async () => {
    const config = await discover('client_123', 'client_123-secret-change-me', client.ClientSecretBasic('client_123-secret-change-me'));
    const meta = config.serverMetadata();
    assert.equal(meta.issuer, mock.issuer);
    assert.equal(meta.token_endpoint, `${mock.issuer}/oauth/token`);
    assert.equal(meta.introspection_endpoint, `${mock.issuer}/oauth/introspect`);
    assert.equal(meta.authorization_response_iss_parameter_supported, true);
  });

  const methods: Array<[string, string, string | undefined, () => client.ClientAuth]> = [
    ['client_secret_basic', 'client_123', 'client_123-secret-change-me', () => client.ClientSecretBasic('client_123-secret-change-me')],
    ['client_secret_post', 'client_123', 'client_123-secret-change-me', () => client.ClientSecretPost('client_123-secret-change-me')],
    ['a public client (none)', 'spa_public', undefined, () => client.None()],
  ];
  for (const [name, clientId, secret, auth] of methods) {
    it(`runs the code flow with PKCE, nonce and state using ${name}`, async () => {
      const config = await discover(clientId, secret, auth());
      const { tokens, nonce } = await codeFlow(config);
      const claims = tokens.claims();
      assert.ok(claims);
      assert.deepEqual([claims.iss, claims.sub, claims.aud, claims.nonce, claims.azp], [mock.issuer, 'alice', clientId, nonce, clientId]);
      assert.equal(tokens.token_type, 'bearer');
      assert.equal(tokens.scope, 'openid profile email');
      assert.equal(typeof tokens.refresh_token, 'string');
    });
  }

  it('refreshes, reads userinfo, introspects and revokes', async () => {
    const config = await discover('client_123', 'client_123-secret-change-me', client.ClientSecretBasic('client_123-secret-change-me'));
    const { tokens } = await codeFlow(config);
    const sub = tokens.claims()?.sub ?? '';
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token ?? '');
    assert.notEqual(refreshed.refresh_token, tokens.refresh_token);
    assert.equal(refreshed.claims()?.sub, 'alice');

    const info = await client.fetchUserInfo(config, refreshed.access_token, sub);
    assert.deepEqual(
      { ...info },
      {
        roles: ['admin', 'user'],
        name: 'Alice Liddell',
        given_name: 'Alice',
        family_name: 'Liddell',
        preferred_username: 'alice',
        updated_at: 1767225600,
        email: 'alice@example.com',
        email_verified: true,
        sub: 'alice',
      },
    );

    const live = await client.tokenIntrospection(config, refreshed.access_token);
    assert.deepEqual([live.active, live.sub, live.client_id, live.scope], [true, 'alice', 'client_123', 'openid profile email']);
    // The rotated refresh token is spent.
    assert.equal((await client.tokenIntrospection(config, tokens.refresh_token ?? '')).active, false);

    await client.tokenRevocation(config, refreshed.refresh_token ?? '');
    assert.deepEqual({ ...(await client.tokenIntrospection(config, refreshed.access_token)) }, { active: false });
    await assert.rejects(client.refreshTokenGrant(config, refreshed.refresh_token ?? ''), (error: unknown) => {
      assert.ok(error instanceof client.ResponseBodyError);
      assert.deepEqual([error.status, error.error], [400, 'invalid_grant']);
      return true;
    });
  });

  it('builds the logout URL, which the server follows to the registered post_logout_redirect_uri with state', async () => {
    const config = await discover('web', 'web-secret-web-secret', client.ClientSecretBasic('web-secret-web-secret'));
    const { tokens } = await codeFlow(config);
    const url = client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token ?? '', post_logout_redirect_uri: LOGGED_OUT, state: 'bye' });
    assert.equal(`${url.origin}${url.pathname}`, config.serverMetadata().end_session_endpoint);
    assert.equal(url.searchParams.get('client_id'), 'web');
    const res = await fetch(url, { redirect: 'manual' });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), `${LOGGED_OUT}?state=bye`);
    // Not registered: no redirect, a page instead.
    const elsewhere = client.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token ?? '',
      post_logout_redirect_uri: 'https://evil.example/',
      state: 'bye',
    });
    const page = await fetch(elsewhere, { redirect: 'manual' });
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('location'), null);
  });

  it("reports a wrong Basic secret as the server's 401 Basic challenge", async () => {
    const config = await discover('client_123', 'wrong', client.ClientSecretBasic('wrong'));
    // A 401 with a challenge surfaces as the challenge (RFC 6749 §5.2: WWW-Authenticate: Basic).
    await assert.rejects(client.clientCredentialsGrant(config), (error: unknown) => {
      assert.ok(error instanceof client.WWWAuthenticateChallengeError, String(error));
      assert.equal(error.status, 401);
      assert.deepEqual(
        error.cause.map((c) => [c.scheme, c.parameters.realm]),
        [['basic', 'oauth-mock']],
      );
      return true;
    });
  });

  it('gets a client_credentials token: sub is the client, no refresh or ID token', async () => {
    const config = await discover('worker', 'worker-secret-worker-secret', client.ClientSecretBasic('worker-secret-worker-secret'));
    const tokens = await client.clientCredentialsGrant(config, { scope: 'api:read' });
    assert.equal(tokens.refresh_token, undefined);
    assert.equal(tokens.id_token, undefined);
    assert.equal(tokens.scope, 'api:read');
    const claims = claimsOf(tokens.access_token);
    assert.deepEqual([claims.sub, claims.client_id], ['worker', 'worker']);
  });
});

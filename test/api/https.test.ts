// startOAuthMock({ https: true }): discovery and the whole spec flow over https, with Node's
// fetch trusting only the mock's CA (no opt-outs), and openid-client v6 discovery without
// allowInsecureRequests.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as oidc from 'openid-client';
import { startOAuthMock, type OAuthMock } from '../../src/index.js';
import { listen } from '../../src/server.js';
import { loadFixtures } from '../../src/store/fixtures.js';
import { createStore } from '../../src/store/index.js';
import { createCa, issueServerCert } from '../../src/tls/certificates.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { trustingFetch as trusting } from '../helpers/trusting-fetch.js';
import { SEED } from '../helpers/bootstrap.js';

const dirs = tempDirs('oauth-mock-https-');

describe('startOAuthMock({ https: true })', function () {
  this.timeout(60_000);
  let mock: OAuthMock;
  let client: ReturnType<typeof trusting>;

  before(async () => {
    mock = await startOAuthMock({ https: true });
    client = trusting(mock.ca as string);
  });
  after(async () => {
    await client.close();
    await mock.stop();
    dirs.cleanup();
  });

  it('listens on https, with an https issuer, and hands out its CA', () => {
    assert.match(mock.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(mock.issuer, mock.url);
    assert.equal(mock.discoveryUrl, `${mock.url}/.well-known/openid-configuration`);
    assert.equal(new X509Certificate(mock.ca as string).ca, true);
  });

  it('serves discovery to a fetch that trusts only the CA; a fetch that does not trust it is refused', async () => {
    const res = await client.fetch(mock.discoveryUrl);
    assert.equal(res.status, 200);
    const doc = (await res.json()) as Record<string, string>;
    assert.equal(doc.issuer, mock.issuer);
    assert.equal(doc.token_endpoint, `${mock.url}/oauth/token`);
    assert.equal(doc.jwks_uri, `${mock.url}/.well-known/jwks.json`);
    await assert.rejects(fetch(mock.discoveryUrl), (error: Error) => (error.cause as NodeJS.ErrnoException)?.code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });

  it('runs the whole spec flow over https: authorize, token, userinfo, refresh, revoke', async () => {
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: SEED.clientId,
      redirect_uri: SEED.redirectUri,
      scope: 'openid profile email',
      state: 'xyz123',
      code_challenge: SEED.challenge,
      code_challenge_method: 'S256',
    });
    const userToken = await mock.mintToken({ user: 'alice' });
    const authorized = await client.fetch(`${mock.url}/oauth/authorize?${query}`, { headers: { authorization: `Bearer ${userToken}` }, redirect: 'manual' });
    assert.equal(authorized.status, 302);
    const location = new URL(authorized.headers.get('location') as string);
    assert.equal(location.searchParams.get('iss'), mock.issuer);
    assert.equal(location.searchParams.get('state'), 'xyz123');
    const code = location.searchParams.get('code') as string;

    const post = (path: string, body: Record<string, string>) =>
      client.fetch(`${mock.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const credentials = { client_id: SEED.clientId, client_secret: SEED.secret };
    const token = await post('/oauth/token', {
      grant_type: 'authorization_code',
      code,
      redirect_uri: SEED.redirectUri,
      code_verifier: SEED.verifier,
      ...credentials,
    });
    assert.equal(token.status, 200);
    const issued = ((await token.json()) as { success: boolean; data: Record<string, string> }).data;
    assert.deepEqual(Object.keys(issued).sort(), ['access_token', 'expires_in', 'id_token', 'refresh_token', 'scope', 'token_type']);
    const claims = JSON.parse(Buffer.from(issued.access_token?.split('.')[1] ?? '', 'base64url').toString()) as { iss: string; sub: string };
    assert.equal(claims.iss, mock.issuer);

    const userinfo = await client.fetch(`${mock.url}/oauth/userinfo`, { headers: { authorization: `Bearer ${issued.access_token}` } });
    assert.equal(userinfo.status, 200);
    assert.deepEqual(await userinfo.json(), {
      success: true,
      data: {
        sub: 'alice',
        name: 'Alice Liddell',
        given_name: 'Alice',
        family_name: 'Liddell',
        preferred_username: 'alice',
        email: 'alice@example.com',
        email_verified: true,
        roles: ['admin', 'user'],
        updated_at: 1767225600,
      },
    });

    const refreshed = await post('/oauth/token', { grant_type: 'refresh_token', refresh_token: issued.refresh_token as string, ...credentials });
    assert.equal(refreshed.status, 200);
    const rotated = ((await refreshed.json()) as { data: Record<string, string> }).data;
    const revoked = await post('/oauth/revoke', { token: rotated.refresh_token as string, ...credentials });
    assert.equal(revoked.status, 200);
    const again = await post('/oauth/token', { grant_type: 'refresh_token', refresh_token: rotated.refresh_token as string, ...credentials });
    assert.equal(again.status, 400);
    assert.equal(((await again.json()) as { error: { code: string } }).error.code, 'invalid_grant');
  });

  it('openid-client v6 discovers it without allowInsecureRequests', async () => {
    const config = await oidc.discovery(new URL(mock.issuer), SEED.clientId, SEED.secret, undefined, {
      [oidc.customFetch]: (url, options) => client.fetch(url, options as RequestInit),
    });
    const metadata = config.serverMetadata();
    assert.equal(metadata.issuer, mock.issuer);
    assert.equal(metadata.authorization_endpoint, `${mock.url}/oauth/authorize`);
  });

  it('whereas over plain http openid-client refuses the issuer (why --https exists)', async () => {
    const plain = await startOAuthMock();
    try {
      await assert.rejects(oidc.discovery(new URL(plain.issuer), SEED.clientId, SEED.secret), /only requests to HTTPS are allowed/);
    } finally {
      await plain.stop();
    }
  });

  it('with a store file, keeps the CA in tls/ beside it, and a second mock on that store serves from the same CA', async () => {
    const path = join(dirs.make(), 'oauth.json');
    const first = await startOAuthMock({ https: true, store: { path } });
    const ca = first.ca;
    await first.stop();
    assert.equal(readFileSync(join(path, '..', 'tls', 'ca.pem'), 'utf8'), ca);
    assert.ok(existsSync(join(path, '..', 'tls', 'server.pem')));
    const second = await startOAuthMock({ https: true, store: { path }, host: 'localhost' });
    const trusted = trusting(second.ca as string);
    try {
      assert.equal(second.ca, ca);
      assert.match(second.url, /^https:\/\/localhost:\d+$/);
      assert.equal((await trusted.fetch(second.discoveryUrl)).status, 200);
    } finally {
      await trusted.close();
      await second.stop();
    }
  });

  it('serves your own { cert, key } pair', async () => {
    const ca = await createCa();
    const pair = await issueServerCert(ca, ['localhost', '127.0.0.1']);
    const own = await startOAuthMock({ https: pair });
    const trusted = trusting(ca.cert);
    try {
      assert.equal(own.ca, undefined);
      assert.equal((await trusted.fetch(own.discoveryUrl)).status, 200);
    } finally {
      await trusted.close();
      await own.stop();
    }
  });

  it('tells the app whether it serves https (config.https), for the cookies that must then be Secure', async () => {
    const store = await createStore({ inMemory: true, seed: () => loadFixtures() });
    const ca = await createCa();
    const secure = await listen({ store, port: 0, host: '127.0.0.1', tls: await issueServerCert(ca, ['127.0.0.1']) });
    const plain = await listen({ store, port: 0, host: '127.0.0.1' });
    try {
      assert.equal(secure.app.appContext.config.https, true);
      assert.match(secure.issuer, /^https:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(plain.app.appContext.config.https, false);
      assert.match(plain.issuer, /^http:\/\//);
    } finally {
      await secure.close();
      await plain.close();
      await store.close();
    }
  });

  it('refuses a mismatched { cert, key } pair with a RangeError that says so', async () => {
    const ca = await createCa();
    const [one, two] = [await issueServerCert(ca, ['localhost']), await issueServerCert(ca, ['localhost'])];
    await assert.rejects(startOAuthMock({ https: { cert: one.cert, key: two.key } }), {
      name: 'RangeError',
      message: 'https.key does not belong to the certificate in https.cert (mismatched pair)',
    });
    await assert.rejects(startOAuthMock({ https: { cert: 'nope', key: one.key } }), { name: 'RangeError', message: 'https.cert is not a PEM certificate' });
  });

  it('stays on plain http without the option (mock.ca undefined)', async () => {
    const plain = await startOAuthMock();
    try {
      assert.match(plain.url, /^http:\/\//);
      assert.equal(plain.ca, undefined);
    } finally {
      await plain.stop();
    }
  });
});

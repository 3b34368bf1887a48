// Client authentication at the token endpoint: contract rule 8 (RFC 6749 §2.3, §3.2.1, §5.2).
import assert from 'node:assert/strict';
import type { Client, Data } from '../../src/core/types.js';
import { loadFixtures } from '../../src/store/fixtures.js';
import { bootstrap, PUBLIC_CLIENT, SEED, type Harness } from '../helpers/bootstrap.js';
import { assertError, assertNoStore, basic, redeem, revoke, token } from './helpers.js';

// RFC 6749 §2.3.1: id and secret are form-urlencoded before base64, so these must survive.
const ODD: Client = {
  id: 'odd:client+id',
  secret: 'p:a+s%s wörd/=',
  public: false,
  redirect_uris: [SEED.redirectUri],
  scopes: ['openid'],
};

function data(): Data {
  const d = loadFixtures();
  d.clients[ODD.id] = ODD;
  return d;
}

describe('POST /oauth/token client authentication', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await bootstrap({ data: data() });
  });

  it('client_secret in the body works', async () => {
    assert.equal((await redeem(h, await h.code())).status, 200);
  });

  it('HTTP Basic works (no credentials in the body)', async () => {
    const res = await redeem(h, await h.code(), { client_id: undefined, client_secret: undefined }, basic(SEED.clientId, SEED.secret));
    assert.equal(res.status, 200);
  });

  it('HTTP Basic with client_id repeated in the body works', async () => {
    const res = await redeem(h, await h.code(), { client_secret: undefined }, basic(SEED.clientId, SEED.secret));
    assert.equal(res.status, 200);
  });

  it('HTTP Basic form-decodes id and secret (":" "+" "%" space, non-ASCII)', async () => {
    const code = await h.code({ client_id: ODD.id, scope: 'openid' });
    const res = await redeem(h, code, { client_id: undefined, client_secret: undefined }, basic(ODD.id, ODD.secret as string));
    assert.equal(res.status, 200);
  });

  it('the same odd secret in the body works as is', async () => {
    const code = await h.code({ client_id: ODD.id, scope: 'openid' });
    assert.equal((await redeem(h, code, { client_id: ODD.id, client_secret: ODD.secret })).status, 200);
  });

  it('Basic and a body secret together → 400 invalid_request', async () => {
    const res = await redeem(h, await h.code(), {}, basic(SEED.clientId, SEED.secret));
    assertError(res, 400, 'invalid_request');
    assertNoStore(res);
  });

  it('Basic id different from the body client_id → 400 invalid_request', async () => {
    const res = await redeem(h, await h.code(), { client_id: PUBLIC_CLIENT.clientId, client_secret: undefined }, basic(SEED.clientId, SEED.secret));
    assertError(res, 400, 'invalid_request');
  });

  const basicFailures: [string, Record<string, string>][] = [
    ['wrong secret', basic(SEED.clientId, 'wrong-secret')],
    ['unknown client', basic('nobody', 'whatever')],
    ['malformed Basic value', { Authorization: 'Basic !!!' }],
    ['Basic without a colon', { Authorization: `Basic ${Buffer.from('client_123').toString('base64')}` }],
  ];
  for (const [name, header] of basicFailures) {
    it(`${name} via Basic → 401 invalid_client with WWW-Authenticate: Basic, no-store`, async () => {
      const res = await redeem(h, await h.code(), { client_id: undefined, client_secret: undefined }, header);
      assertError(res, 401, 'invalid_client');
      assert.match(res.headers['www-authenticate'] as string, /^Basic realm="oauth-mock"$/);
      assertNoStore(res);
    });
  }

  const bodyFailures: [string, Record<string, unknown>][] = [
    ['wrong secret', { client_secret: 'wrong-secret' }],
    ['unknown client', { client_id: 'nobody', client_secret: 'whatever' }],
    ['__proto__ client', { client_id: '__proto__', client_secret: 'whatever' }],
    ['confidential client with client_id only', { client_secret: undefined }],
    ['no client at all', { client_id: undefined, client_secret: undefined }],
    ['public client sending a secret', { client_id: PUBLIC_CLIENT.clientId, client_secret: 'anything' }],
  ];
  for (const [name, overrides] of bodyFailures) {
    it(`${name} via the body → 400 invalid_client without WWW-Authenticate`, async () => {
      const res = await redeem(h, await h.code(), overrides);
      assertError(res, 400, 'invalid_client');
      assert.equal(res.headers['www-authenticate'], undefined);
      assertNoStore(res);
    });
  }

  it('an unknown client and a wrong secret read the same, and the secret is never echoed', async () => {
    const wrong = await redeem(h, await h.code(), { client_secret: 'Sup3r-Secret-Guess' });
    const unknown = await redeem(h, await h.code(), { client_id: 'nobody', client_secret: 'Sup3r-Secret-Guess' });
    assert.deepEqual(wrong.body, unknown.body);
    assert.doesNotMatch(JSON.stringify(wrong.body), /Sup3r-Secret-Guess/);
  });

  it('a wrong client does not burn the code: the right client redeems it afterwards', async () => {
    const code = await h.code();
    assertError(await redeem(h, code, { client_secret: 'wrong' }), 400, 'invalid_client');
    assert.equal((await redeem(h, code)).status, 200);
  });

  it('a public client with client_id only works', async () => {
    const code = await h.code({ client_id: PUBLIC_CLIENT.clientId, redirect_uri: PUBLIC_CLIENT.redirectUri });
    const res = await token(h, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: PUBLIC_CLIENT.redirectUri,
      code_verifier: SEED.verifier,
      client_id: PUBLIC_CLIENT.clientId,
    });
    assert.equal(res.status, 200);
  });

  it('the revocation endpoint authenticates the same way (Basic, wrong secret → 401)', async () => {
    const { refresh_token: rt } = await h.tokens();
    const bad = await revoke(h, { token: rt, client_id: undefined, client_secret: undefined }, basic(SEED.clientId, 'nope'));
    assertError(bad, 401, 'invalid_client');
    assert.match(bad.headers['www-authenticate'] as string, /^Basic /);
    assertNoStore(bad);
    const ok = await revoke(h, { token: rt, client_id: undefined, client_secret: undefined }, basic(SEED.clientId, SEED.secret));
    assert.equal(ok.status, 200);
  });
});

// Client authentication at the token endpoint (RFC 6749 §2.3, §2.3.1, §3.2.1, §5.2): one method
// at a time, Basic credentials form-urlencoded before base64, and failures that all read alike.
import assert from 'node:assert/strict';
import { bootstrap, PUBLIC_CLIENT, SEED, type Harness } from '../helpers/bootstrap.js';
import { assertError, grantCount, redeem, spec } from '../http/helpers.js';

const ODD = { id: 'odd client:1', secret: 'a:b+c%d é€ 🙂 x=y&z' };
const formEncode = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${formEncode(id)}:${formEncode(secret)}`).toString('base64')}`;

describe('security: client authentication', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await bootstrap();
    await h.store.update((tx) =>
      tx.put('clients', ODD.id, { id: ODD.id, secret: ODD.secret, public: false, redirect_uris: [SEED.redirectUri], scopes: ['openid'] }),
    );
  });

  const oddCode = () => h.code({ client_id: ODD.id, scope: 'openid' });
  const codeBody = (code: string) => ({ grant_type: 'authorization_code', code, redirect_uri: SEED.redirectUri, code_verifier: SEED.verifier });

  it('accepts Basic whose id and secret hold : + % space and non-ASCII, form-urlencoded before base64', async () => {
    const res = await h.agent
      .post('/oauth/token')
      .set('Authorization', basic(ODD.id, ODD.secret))
      .send(codeBody(await oddCode()));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(grantCount(h), 1);
  });

  it('accepts lowercase "basic" and the same odd secret in the body', async () => {
    const viaBody = await h.agent.post('/oauth/token').send({ ...codeBody(await oddCode()), client_id: ODD.id, client_secret: ODD.secret });
    assert.equal(viaBody.status, 200);
    const lower = basic(ODD.id, ODD.secret).replace('Basic', 'basic');
    assert.equal(
      (
        await h.agent
          .post('/oauth/token')
          .set('Authorization', lower)
          .send(codeBody(await oddCode()))
      ).status,
      200,
    );
  });

  it('refuses a Basic secret sent without form-encoding ("+" decodes to a space): 401 invalid_client', async () => {
    const raw = `Basic ${Buffer.from(`${formEncode(ODD.id)}:${ODD.secret}`).toString('base64')}`;
    const res = await h.agent
      .post('/oauth/token')
      .set('Authorization', raw)
      .send(codeBody(await oddCode()));
    assertError(spec('token', res), 401, 'invalid_client');
    assert.match(String(res.headers['www-authenticate']), /^Basic /);
    assert.equal(grantCount(h), 0);
  });

  for (const [name, header] of [
    ['no colon', `Basic ${Buffer.from('client_123').toString('base64')}`],
    ['not base64', 'Basic !!!'],
    ['empty', 'Basic '],
    ['bad percent-encoding', `Basic ${Buffer.from('client_123:%E0%A4%A').toString('base64')}`],
  ] as const) {
    it(`malformed Basic (${name}) → 401 invalid_client with WWW-Authenticate: Basic`, async () => {
      const res = await h.agent
        .post('/oauth/token')
        .set('Authorization', header)
        .send(codeBody(await h.code()));
      assertError(spec('token', res), 401, 'invalid_client');
      assert.match(String(res.headers['www-authenticate']), /^Basic /);
      assert.equal(grantCount(h), 0);
    });
  }

  it('Basic and body credentials together → 400 invalid_request', async () => {
    const res = await h.agent
      .post('/oauth/token')
      .set('Authorization', basic(SEED.clientId, SEED.secret))
      .send({ ...codeBody(await h.code()), client_id: SEED.clientId, client_secret: SEED.secret });
    assertError(spec('token', res), 400, 'invalid_request');
    assert.equal(grantCount(h), 0);
  });

  it('a confidential client with client_id only → 400 invalid_client', async () => {
    assertError(await redeem(h, await h.code(), { client_secret: undefined }), 400, 'invalid_client');
    assert.equal(grantCount(h), 0);
  });

  it('no client_id at all → 400 invalid_client', async () => {
    assertError(await redeem(h, await h.code(), { client_id: undefined, client_secret: undefined }), 400, 'invalid_client');
  });

  it('a public client that sends a secret → invalid_client, in the body or via Basic', async () => {
    const code = await h.code({ client_id: PUBLIC_CLIENT.clientId, redirect_uri: PUBLIC_CLIENT.redirectUri });
    const body = { ...codeBody(code), redirect_uri: PUBLIC_CLIENT.redirectUri };
    assertError(
      spec('token', await h.agent.post('/oauth/token').send({ ...body, client_id: PUBLIC_CLIENT.clientId, client_secret: 'guess' })),
      400,
      'invalid_client',
    );
    assertError(
      spec('token', await h.agent.post('/oauth/token').set('Authorization', basic(PUBLIC_CLIENT.clientId, 'guess')).send(body)),
      401,
      'invalid_client',
    );
    assert.equal(grantCount(h), 0);
    assert.equal((await h.agent.post('/oauth/token').send({ ...body, client_id: PUBLIC_CLIENT.clientId })).status, 200);
  });

  it('an unknown client and a wrong secret answer alike (body)', async () => {
    const code = await h.code();
    const unknown = await redeem(h, code, { client_id: 'nobody', client_secret: SEED.secret });
    const wrong = await redeem(h, code, { client_secret: `${SEED.secret}x` });
    assertError(unknown, 400, 'invalid_client');
    assertError(wrong, 400, 'invalid_client');
    assert.deepEqual(unknown.body, wrong.body);
    assert.equal(grantCount(h), 0);
  });

  it('an unknown client and a wrong secret answer alike (Basic, 401 with the same challenge)', async () => {
    const code = await h.code();
    const unknown = await h.agent.post('/oauth/token').set('Authorization', basic('nobody', SEED.secret)).send(codeBody(code));
    const wrong = await h.agent.post('/oauth/token').set('Authorization', basic(SEED.clientId, 'wrong')).send(codeBody(code));
    assertError(spec('token', unknown), 401, 'invalid_client');
    assertError(spec('token', wrong), 401, 'invalid_client');
    assert.deepEqual(unknown.body, wrong.body);
    assert.equal(unknown.headers['www-authenticate'], wrong.headers['www-authenticate']);
    assert.equal(unknown.headers['cache-control'], 'no-store');
  });

  it('never echoes the presented secret', async () => {
    const secret = 'sup3r-s3cret-value-that-must-not-leak';
    const res = await redeem(h, await h.code(), { client_secret: secret });
    assert.doesNotMatch(JSON.stringify(res.body), new RegExp(secret));
  });
});

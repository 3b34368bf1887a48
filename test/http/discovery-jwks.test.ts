// Discovery, JWKS and the OpenAPI document: contract rule 13 and the discovery section
// (OIDC Discovery §3, §4.3; RFC 7517; RFC 9207).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Response } from 'supertest';
import { bootstrap, decodeJwt, ISSUER, type Harness } from '../helpers/bootstrap.js';
import { SPEC_URL } from '../helpers/openapi.js';
import { redirectParams, spec, authorize } from './helpers.js';

type Discovery = Record<string, unknown> & { issuer: string };

async function discovery(h: Harness): Promise<Discovery> {
  const res = spec('openidConfiguration', await h.agent.get('/.well-known/openid-configuration'));
  assert.equal(res.status, 200);
  assert.match(res.headers['content-type'] as string, /^application\/json/);
  return res.body as Discovery;
}

/** What each endpoint in discovery answers to a bare request: anything but 404/405 proves it serves. */
const PROBES: { key: string; method: 'get' | 'post'; operationId: string; status: number }[] = [
  { key: 'authorization_endpoint', method: 'get', operationId: 'authorize', status: 401 },
  { key: 'token_endpoint', method: 'post', operationId: 'token', status: 400 },
  { key: 'revocation_endpoint', method: 'post', operationId: 'revokeToken', status: 400 },
  { key: 'userinfo_endpoint', method: 'get', operationId: 'userinfo', status: 401 },
  { key: 'jwks_uri', method: 'get', operationId: 'jwks', status: 200 },
];

async function probeAll(h: Harness, doc: Discovery): Promise<void> {
  for (const probe of PROBES) {
    const url = doc[probe.key] as string;
    assert.ok(url.startsWith(`${doc.issuer}/`), `${probe.key} ${url} is under the issuer`);
    const path = new URL(url).pathname;
    const req = probe.method === 'get' ? h.agent.get(path) : h.agent.post(path).send({});
    const res: Response = spec(probe.operationId, await req);
    assert.equal(res.status, probe.status, `${probe.key} ${path} answered ${res.status}`);
  }
}

describe('discovery, JWKS and /openapi.json', () => {
  describe('HS256 (default)', () => {
    let h: Harness;
    beforeEach(async () => {
      h = await bootstrap();
    });

    it("publishes the contract's metadata", async () => {
      const doc = await discovery(h);
      assert.equal(doc.issuer, ISSUER);
      assert.equal(doc.authorization_endpoint, `${ISSUER}/oauth/authorize`);
      assert.equal(doc.token_endpoint, `${ISSUER}/oauth/token`);
      assert.equal(doc.revocation_endpoint, `${ISSUER}/oauth/revoke`);
      assert.equal(doc.userinfo_endpoint, `${ISSUER}/oauth/userinfo`);
      assert.equal(doc.jwks_uri, `${ISSUER}/.well-known/jwks.json`);
      assert.deepEqual(doc.response_types_supported, ['code']);
      assert.deepEqual(doc.response_modes_supported, ['query']);
      assert.deepEqual(doc.grant_types_supported, ['authorization_code', 'refresh_token']);
      assert.deepEqual(doc.subject_types_supported, ['public']);
      assert.deepEqual(doc.id_token_signing_alg_values_supported, ['HS256']);
      assert.deepEqual(doc.code_challenge_methods_supported, ['S256', 'plain']);
      assert.equal(doc.authorization_response_iss_parameter_supported, true);
      for (const scope of ['openid', 'profile', 'email']) assert.ok((doc.scopes_supported as string[]).includes(scope));
      for (const claim of ['sub', 'email', 'name']) assert.ok((doc.claims_supported as string[]).includes(claim));
      for (const key of ['token_endpoint_auth_methods_supported', 'revocation_endpoint_auth_methods_supported']) {
        assert.deepEqual([...(doc[key] as string[])].sort(), ['client_secret_basic', 'client_secret_post', 'none']);
      }
      assert.equal(Object.hasOwn(doc, 'success'), false, 'no envelope');
    });

    it('every URL in it really serves', async () => {
      await probeAll(h, await discovery(h));
    });

    it('issuer equals the iss of every token and of the authorize response, exactly', async () => {
      const { issuer } = await discovery(h);
      const tokens = await h.tokens();
      assert.equal(decodeJwt(tokens.access_token as string).payload.iss, issuer);
      assert.equal(decodeJwt(tokens.id_token as string).payload.iss, issuer);
      assert.equal(decodeJwt(h.userToken()).payload.iss, issuer);
      assert.equal(redirectParams(await authorize(h)).get('iss'), issuer);
      assert.equal(redirectParams(await authorize(h, { scope: 'nope' })).get('iss'), issuer);
    });

    it('JWKS is exactly {"keys":[]}: the secret is never published', async () => {
      const res = spec('jwks', await h.agent.get('/.well-known/jwks.json'));
      assert.equal(res.status, 200);
      assert.match(res.headers['content-type'] as string, /^application\/json/);
      assert.equal(res.text, '{"keys":[]}');
      // Rule 13: the server secret, generated once and kept in the store, is at least 32 bytes.
      assert.ok(Buffer.byteLength(h.store.read().meta.secret ?? '') >= 32);
    });

    it("/openapi.json serves the project's document", async () => {
      const res = spec('openapiDocument', await h.agent.get('/openapi.json'));
      assert.equal(res.status, 200);
      assert.match(res.headers['content-type'] as string, /^application\/json/);
      assert.deepEqual(res.body, JSON.parse(readFileSync(SPEC_URL, 'utf8')));
    });
  });

  describe('with --base-path', () => {
    it('prefixes the /oauth endpoints; every URL still serves, the old paths are 404', async () => {
      const h = await bootstrap({ config: { basePath: '/auth' } });
      const doc = await discovery(h);
      assert.equal(doc.token_endpoint, `${ISSUER}/auth/oauth/token`);
      assert.equal(doc.jwks_uri, `${ISSUER}/.well-known/jwks.json`);
      await probeAll(h, doc);
      const res = spec('token', await h.agent.post('/oauth/token').send({}));
      assert.equal(res.status, 404);
    });
  });

  describe('with an issuer that has a path', () => {
    it('serves everything under the issuer path, discovered at <issuer>/.well-known/openid-configuration', async () => {
      const issuer = `${ISSUER}/tenant-a`;
      const h = await bootstrap({ config: { issuer } });
      const res = await h.agent.get('/tenant-a/.well-known/openid-configuration');
      assert.equal(res.status, 200);
      const doc = res.body as Record<string, string>;
      assert.equal(doc.issuer, issuer);
      assert.equal(doc.token_endpoint, `${issuer}/oauth/token`);
      assert.equal(doc.jwks_uri, `${issuer}/.well-known/jwks.json`);
      await probeAll(h, doc as never);
      assert.equal((await h.agent.get('/.well-known/openid-configuration')).status, 404);
      const tokens = await h.tokens();
      assert.equal(decodeJwt(tokens.access_token as string).payload.iss, issuer);
    });
  });

  for (const alg of ['RS256', 'ES256'] as const) {
    describe(alg, () => {
      it('publishes the public key only, with kid, use sig and alg; tokens name that kid', async () => {
        const h = await bootstrap({ alg });
        const res = spec('jwks', await h.agent.get('/.well-known/jwks.json'));
        const { keys } = res.body as { keys: Record<string, unknown>[] };
        assert.equal(keys.length, 1);
        const key = keys[0] as Record<string, unknown>;
        assert.equal(key.use, 'sig');
        assert.equal(key.alg, alg);
        assert.equal(key.kty, alg === 'RS256' ? 'RSA' : 'EC');
        assert.equal(typeof key.kid, 'string');
        for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) assert.equal(Object.hasOwn(key, secret), false, `private member ${secret}`);
        const doc = await discovery(h);
        assert.deepEqual(doc.id_token_signing_alg_values_supported, [alg]);
        const tokens = await h.tokens();
        for (const t of [tokens.access_token, tokens.id_token] as string[]) {
          assert.equal(decodeJwt(t).header.kid, key.kid);
          assert.equal(decodeJwt(t).header.alg, alg);
          assert.equal(decodeJwt(t).payload.iss, doc.issuer);
        }
        await probeAll(h, doc);
      });
    });
  }
});

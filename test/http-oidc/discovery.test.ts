// Discovery in the oidc profile (OIDC Discovery §3-4, RFC 8414): derived from what is served,
// every advertised URL answers, the same document at the RFC 8414 location, JWKS, OpenAPI.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { withFastPath } from '../../src/http/fast-path.js';
import { bootstrap } from '../helpers/bootstrap.js';
import { ISSUER, oidcHarness, spec, type OidcHarness } from './helpers.js';

const CLIENT_AUTH = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'];
const ASSERTION_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

function expectedDocument(issuer: string, alg: string) {
  return {
    issuer,
    authorization_endpoint: `${issuer}/oauth/authorize`,
    token_endpoint: `${issuer}/oauth/token`,
    userinfo_endpoint: `${issuer}/oauth/userinfo`,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    revocation_endpoint: `${issuer}/oauth/revoke`,
    introspection_endpoint: `${issuer}/oauth/introspect`,
    end_session_endpoint: `${issuer}/oauth/logout`,
    scopes_supported: ['openid', 'profile', 'email', 'address', 'phone'],
    response_types_supported: ['code'],
    response_modes_supported: ['query', 'fragment', 'form_post'],
    prompt_values_supported: ['none', 'login', 'consent', 'select_account'],
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [alg],
    token_endpoint_auth_methods_supported: CLIENT_AUTH,
    token_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGS,
    revocation_endpoint_auth_methods_supported: CLIENT_AUTH,
    revocation_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGS,
    introspection_endpoint_auth_methods_supported: CLIENT_AUTH,
    introspection_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGS,
    claims_supported: [
      'sub',
      'iss',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'nonce',
      'azp',
      'at_hash',
      'sid',
      'acr',
      'amr',
      'name',
      'given_name',
      'family_name',
      'middle_name',
      'nickname',
      'preferred_username',
      'profile',
      'picture',
      'website',
      'gender',
      'birthdate',
      'zoneinfo',
      'locale',
      'updated_at',
      'email',
      'email_verified',
      'address',
      'phone_number',
      'phone_number_verified',
    ],
    code_challenge_methods_supported: ['S256', 'plain'],
    authorization_response_iss_parameter_supported: true,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    claims_parameter_supported: false,
  };
}

describe('oidc discovery, RFC 8414 metadata, JWKS and OpenAPI', () => {
  let h: OidcHarness;
  before(async () => {
    h = await oidcHarness();
  });

  it('serves the discovery document, every field derived from what is served', async () => {
    const res = spec('openidConfiguration', await h.agent.get('/.well-known/openid-configuration'));
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, expectedDocument(ISSUER, 'RS256'));
    assert.equal(res.headers['access-control-allow-origin'], '*');
  });

  it('serves the same document at /.well-known/oauth-authorization-server (RFC 8414 §3)', async () => {
    const res = spec('oauthAuthorizationServer', await h.agent.get('/.well-known/oauth-authorization-server'));
    assert.deepEqual(res.body, expectedDocument(ISSUER, 'RS256'));
  });

  it('answers at every advertised endpoint (none is a 404)', async () => {
    const doc = (await h.agent.get('/.well-known/openid-configuration')).body as Record<string, unknown>;
    const urls = Object.entries(doc).filter(([k]) => k.endsWith('_endpoint') || k === 'jwks_uri');
    assert.equal(urls.length, 7);
    for (const [name, url] of urls) {
      const path = new URL(url as string).pathname;
      const method = ['token_endpoint', 'revocation_endpoint', 'introspection_endpoint'].includes(name) ? 'post' : 'get';
      const res = await h.agent[method](path);
      assert.notEqual(res.status, 404, `${name} ${path}`);
      assert.notEqual(res.status, 405, `${name} ${path}`);
    }
  });

  it('publishes the RS256 public key the ID tokens are signed with', async () => {
    const res = spec('jwks', await h.agent.get('/.well-known/jwks.json'));
    const keys = res.body.keys as Array<Record<string, unknown>>;
    const kid = h.store.read().meta.keys?.[0]?.kid;
    assert.deepEqual(
      keys.map((k) => [k.kty, k.kid, k.alg, k.use]),
      [['RSA', kid, 'RS256', 'sig']],
    );
  });

  it("serves this profile's OpenAPI document", async () => {
    const res = spec('openapiDocument', await h.agent.get('/openapi.json'));
    assert.equal(res.body.info.title, 'oauth-mock (oidc profile)');
  });

  it('answers an unknown path and a wrong method in RFC 6749 §5.2 bodies', async () => {
    const missing = await h.agent.get('/oauth/nope');
    assert.deepEqual(
      [missing.status, missing.body],
      [404, { error: 'not_found', error_description: 'no endpoint at GET /oauth/nope; see /.well-known/openid-configuration' }],
    );
    const wrong = await h.agent.put('/oauth/token');
    assert.deepEqual([wrong.status, wrong.body], [405, { error: 'method_not_allowed', error_description: 'PUT is not allowed here; allowed: POST' }]);
    assert.equal(wrong.headers.allow, 'POST');
  });

  it('keeps everything under an issuer with a path, the RFC 8414 document after the well-known segment', async () => {
    const issuer = 'http://127.0.0.1:9400/tenant-a';
    const t = await bootstrap({ alg: 'ES256', config: { profile: 'oidc', issuer } });
    const doc = await t.agent.get('/tenant-a/.well-known/openid-configuration');
    assert.deepEqual(doc.body, expectedDocument(issuer, 'ES256'));
    const metadata = await t.agent.get('/.well-known/oauth-authorization-server/tenant-a');
    assert.deepEqual(metadata.body, doc.body);
  });

  describe('through the fast path', () => {
    let server: Server;
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('serves the oidc document, byte for byte what Koa serves', async () => {
      const handle = h.app.callback();
      server = createServer(withFastPath(h.app.appContext, (req, res) => void handle(req, res)));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      const fast = await (await fetch(`http://127.0.0.1:${port}/.well-known/openid-configuration`)).text();
      const koa = (await h.agent.get('/.well-known/openid-configuration')).text;
      assert.equal(fast, koa);
      assert.deepEqual(JSON.parse(fast), expectedDocument(ISSUER, 'RS256'));
    });
  });
});

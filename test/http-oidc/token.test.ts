// POST /oauth/token in the oidc profile (RFC 6749 §3.2, §4.1.3, §4.4, §5, §6; RFC 7523; OIDC
// Core §3.1.3): form bodies in, flat JSON out, every client authentication method.
import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';
import { atHash } from '../../src/tokens/tokens.js';
import { decodeJwt } from '../helpers/bootstrap.js';
import { assertNoStore, assertOAuthError, basic, CLIENTS, ISSUER, oidcHarness, SEED, spec, type OidcHarness } from './helpers.js';

describe('oidc POST /oauth/token', () => {
  let h: OidcHarness;
  beforeEach(async () => {
    h = await oidcHarness();
  });
  const token = async (form: Record<string, string | string[] | undefined>, headers: Record<string, string> = {}) =>
    spec('token', await h.post('/oauth/token', form, headers));
  const redeem = async (code: string, form: Record<string, string | undefined> = {}, headers: Record<string, string> = basic(SEED.clientId, SEED.secret)) =>
    token({ grant_type: 'authorization_code', code, redirect_uri: SEED.redirectUri, code_verifier: SEED.verifier, ...form }, headers);
  const now = () => Math.floor(h.clock.now() / 1000);

  describe('the authorization code grant', () => {
    it('answers flat RFC 6749 §5.1 JSON, not cached, with an RS256 ID token carrying the OIDC Core §2 claims', async () => {
      const res = await redeem(await h.code({ nonce: 'n-0S6_WzA2Mj' }));
      assert.equal(res.status, 200);
      assertNoStore(res);
      assert.deepEqual(Object.keys(res.body as object).sort(), ['access_token', 'expires_in', 'id_token', 'refresh_token', 'scope', 'token_type']);
      assert.deepEqual([res.body.token_type, res.body.expires_in, res.body.scope], ['Bearer', 3600, 'openid profile email']);
      const id = decodeJwt(res.body.id_token as string);
      const kid = (h.store.read().meta.keys ?? [])[0]?.kid;
      assert.deepEqual(id.header, { alg: 'RS256', typ: 'JWT', kid });
      assert.deepEqual(id.payload, {
        iss: ISSUER,
        sub: 'alice',
        aud: SEED.clientId,
        azp: SEED.clientId,
        iat: now(),
        exp: now() + 3600,
        auth_time: now(),
        nonce: 'n-0S6_WzA2Mj',
        at_hash: atHash(res.body.access_token as string),
      });
      assert.deepEqual(decodeJwt(res.body.access_token as string).header.typ, 'at+jwt');
    });

    it('leaves nonce out of the ID token when authorize had none', async () => {
      const res = await redeem(await h.code());
      assert.equal(Object.hasOwn(decodeJwt(res.body.id_token as string).payload, 'nonce'), false);
    });

    it('authenticates client_secret_post and a public client (none, PKCE)', async () => {
      const post = await h.login({ client: CLIENTS.post.id, auth: { client_id: CLIENTS.post.id, client_secret: CLIENTS.post.secret } });
      assert.equal(decodeJwt(post.id_token ?? '').payload.aud, CLIENTS.post.id);
      const spa = await h.login({ client: 'spa_public', auth: { client_id: 'spa_public' } });
      assert.equal(decodeJwt(spa.access_token ?? '').payload.client_id, 'spa_public');
    });

    it('keeps the core rules: a replayed code is invalid_grant and revokes what it issued', async () => {
      const code = await h.code();
      const first = await redeem(code);
      assert.equal(first.status, 200);
      assertOAuthError(await redeem(code), 400, 'invalid_grant', 'the authorization code was already used; the tokens issued from it are now revoked');
      assertOAuthError(
        await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token as string }, basic(SEED.clientId, SEED.secret)),
        400,
        'invalid_grant',
        'the refresh token has been revoked',
      );
    });

    it('refuses a wrong verifier and a parameter given twice', async () => {
      assertOAuthError(
        await redeem(await h.code(), { code_verifier: 'x'.repeat(43) }),
        400,
        'invalid_grant',
        'code_verifier does not match the code_challenge',
      );
      const code = await h.code();
      assertOAuthError(
        await token({ grant_type: 'authorization_code', code: [code, code], redirect_uri: SEED.redirectUri }, basic(SEED.clientId, SEED.secret)),
        400,
        'invalid_request',
        'code was given more than once',
      );
    });
  });

  describe('the refresh token grant', () => {
    it('rotates, and detects reuse', async () => {
      const first = await h.login();
      const refreshed = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token }, basic(SEED.clientId, SEED.secret));
      assert.equal(refreshed.status, 200);
      assert.notEqual(refreshed.body.refresh_token, first.refresh_token);
      assert.equal(Object.hasOwn(decodeJwt(refreshed.body.id_token as string).payload, 'nonce'), false);
      assertOAuthError(
        await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token }, basic(SEED.clientId, SEED.secret)),
        400,
        'invalid_grant',
        'the refresh token was already used; its whole token family is now revoked',
      );
    });
  });

  describe('the client_credentials grant', () => {
    it('issues an access token whose sub is the client, with no refresh token and no ID token', async () => {
      const res = await token({ grant_type: 'client_credentials', scope: 'api:read' }, basic(CLIENTS.worker.id, CLIENTS.worker.secret));
      assert.equal(res.status, 200);
      assertNoStore(res);
      assert.deepEqual(Object.keys(res.body as object).sort(), ['access_token', 'expires_in', 'scope', 'token_type']);
      assert.deepEqual([res.body.token_type, res.body.expires_in, res.body.scope], ['Bearer', 3600, 'api:read']);
      const { payload } = decodeJwt(res.body.access_token as string);
      assert.deepEqual([payload.sub, payload.client_id, payload.aud, payload.scope], [CLIENTS.worker.id, CLIENTS.worker.id, CLIENTS.worker.id, 'api:read']);
    });

    it("defaults to the client's scopes and refuses others", async () => {
      const all = await token({ grant_type: 'client_credentials', client_id: CLIENTS.worker.id, client_secret: CLIENTS.worker.secret });
      assert.equal(all.body.scope, 'api:read api:write');
      assertOAuthError(
        await token({ grant_type: 'client_credentials', scope: 'api:admin' }, basic(CLIENTS.worker.id, CLIENTS.worker.secret)),
        400,
        'invalid_scope',
        'scope api:admin is not allowed for client worker; allowed: api:read api:write',
      );
    });

    it('is unauthorized_client for a client whose grant_types do not list it, and the worker may not run the code flow', async () => {
      assertOAuthError(
        await token({ grant_type: 'client_credentials' }, basic(SEED.clientId, SEED.secret)),
        400,
        'unauthorized_client',
        'client client_123 may not use grant_type client_credentials; its grant_types: authorization_code, refresh_token',
      );
      assertOAuthError(
        await token({ grant_type: 'authorization_code', code: 'x', redirect_uri: 'https://a.example' }, basic(CLIENTS.worker.id, CLIENTS.worker.secret)),
        400,
        'unauthorized_client',
        'client worker may not use grant_type authorization_code; its grant_types: client_credentials',
      );
    });
  });

  describe('client authentication', () => {
    it('fails Basic with 401 and WWW-Authenticate: Basic', async () => {
      const res = await redeem(await h.code(), {}, basic(SEED.clientId, 'wrong'));
      assertOAuthError(res, 401, 'invalid_client', 'client authentication failed: unknown client or wrong secret');
      assert.equal(res.headers['www-authenticate'], 'Basic realm="oauth-mock"');
      assertNoStore(res);
    });

    it('fails a body secret with 400 and no challenge', async () => {
      const res = await redeem(await h.code(), { client_id: SEED.clientId, client_secret: 'wrong' }, {});
      assertOAuthError(res, 400, 'invalid_client', 'client authentication failed: unknown client or wrong secret');
      assert.equal(res.headers['www-authenticate'], undefined);
    });

    it('form-decodes Basic credentials (RFC 6749 §2.3.1)', async () => {
      await h.store.update((tx) =>
        tx.put('clients', 'odd id', { id: 'odd id', secret: 'p@ss:w rd+%', public: false, redirect_uris: [CLIENTS.redirectUri], scopes: ['openid'] }),
      );
      const res = await token({ grant_type: 'refresh_token', refresh_token: 'rt1.x.0.y' }, basic('odd id', 'p@ss:w rd+%'));
      // Authenticated: the refusal is about the token, not the client.
      assertOAuthError(res, 400, 'invalid_grant', 'the refresh token is invalid');
    });

    it('holds each client to its token_endpoint_auth_method', async () => {
      const code = await h.code({ client_id: CLIENTS.basic.id, redirect_uri: CLIENTS.redirectUri });
      const form = { grant_type: 'authorization_code', code, redirect_uri: CLIENTS.redirectUri, code_verifier: SEED.verifier };
      assertOAuthError(
        await token({ ...form, client_id: CLIENTS.basic.id, client_secret: CLIENTS.basic.secret }),
        400,
        'invalid_client',
        'client basic_app is registered for client_secret_basic, not client_secret_post (its token_endpoint_auth_method)',
      );
      assert.equal((await token(form, basic(CLIENTS.basic.id, CLIENTS.basic.secret))).status, 200);
    });

    it('refuses two methods in one request with invalid_request', async () => {
      const res = await token({ grant_type: 'refresh_token', refresh_token: 'x', client_secret: SEED.secret }, basic(SEED.clientId, SEED.secret));
      assertOAuthError(res, 400, 'invalid_request', 'send the client secret either in the Authorization header or in the body, not both');
      const both = await token({
        grant_type: 'refresh_token',
        refresh_token: 'x',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: await h.assertion(),
        client_secret: 's',
      });
      assertOAuthError(
        both,
        400,
        'invalid_request',
        'use one client authentication method per request (RFC 6749 section 2.3), not client_secret_post and private_key_jwt',
      );
    });

    it('authenticates private_key_jwt once per assertion (RFC 7523 §3)', async () => {
      const code = await h.code({ client_id: CLIENTS.jwt.id, redirect_uri: CLIENTS.redirectUri });
      const assertion = await h.assertion({ aud: `${ISSUER}/oauth/token` });
      const form = {
        grant_type: 'authorization_code',
        code,
        redirect_uri: CLIENTS.redirectUri,
        code_verifier: SEED.verifier,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
      };
      const ok = await token(form);
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(decodeJwt(ok.body.id_token as string).payload.aud, CLIENTS.jwt.id);
      const replay = await token({ ...form, grant_type: 'refresh_token', refresh_token: ok.body.refresh_token as string });
      assertOAuthError(
        replay,
        400,
        'invalid_client',
        'client_assertion rejected: its jti was already used; sign a new assertion for each request (RFC 7523 section 3)',
      );
      const fresh = await token({
        ...form,
        grant_type: 'refresh_token',
        refresh_token: ok.body.refresh_token as string,
        client_assertion: await h.assertion(),
      });
      assert.equal(fresh.status, 200);
    });

    it('names an unknown client in single quotes (RFC 6749 §5.2 leaves `"` out of error_description)', async () => {
      const form = { grant_type: 'refresh_token', refresh_token: 'x', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' };
      assertOAuthError(
        await token({ ...form, client_assertion: await h.assertion({ iss: 'ghost', sub: 'ghost' }) }),
        400,
        'invalid_client',
        "client_assertion rejected: unknown client 'ghost'",
      );
    });

    it('refuses an expired or foreign-audience assertion', async () => {
      const base = { grant_type: 'refresh_token', refresh_token: 'x', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' };
      assertOAuthError(
        await token({ ...base, client_assertion: await h.assertion({ exp: now() - 1 }) }),
        400,
        'invalid_client',
        'client_assertion rejected: it has expired (exp)',
      );
      assertOAuthError(
        await token({ ...base, client_assertion: await h.assertion({ aud: 'https://other.example' }) }),
        400,
        'invalid_client',
        `client_assertion rejected: aud must be one of ${ISSUER}, ${ISSUER}/oauth/token, ${ISSUER}/oauth/token`,
      );
    });
  });

  describe('the wire format', () => {
    it('refuses JSON with invalid_request naming the form type', async () => {
      const res = spec('token', await h.agent.post('/oauth/token').send({ grant_type: 'refresh_token', refresh_token: 'x' }));
      assertOAuthError(
        res,
        400,
        'invalid_request',
        'this endpoint accepts application/x-www-form-urlencoded request bodies only (RFC 6749 section 3.2), not Content-Type application/json; send Content-Type: application/x-www-form-urlencoded',
      );
      assertNoStore(res);
    });

    it('refuses malformed percent-encoding and an oversized body', async () => {
      const bad = spec('token', await h.agent.post('/oauth/token').set('Content-Type', 'application/x-www-form-urlencoded').send('grant_type=%E0%A4%A'));
      assertOAuthError(bad, 400, 'invalid_request', 'the request body holds malformed percent-encoding');
      const big = spec(
        'token',
        await h.agent
          .post('/oauth/token')
          .set('Content-Type', 'application/x-www-form-urlencoded')
          .send(`grant_type=${'x'.repeat(17 * 1024)}`),
      );
      assertOAuthError(big, 413, 'payload_too_large', 'the request body is larger than 16384 bytes');
    });

    it('keeps a[b]=c a plain name (no nested objects) and answers an unknown grant type', async () => {
      const res = await token({ 'grant_type[x]': 'password', grant_type: 'password' }, basic(SEED.clientId, SEED.secret));
      assertOAuthError(res, 400, 'unsupported_grant_type', 'grant_type must be one of: authorization_code, refresh_token, client_credentials');
    });
  });

  describe('under HS256', () => {
    beforeEach(async () => {
      h = await oidcHarness({ alg: 'HS256' });
    });

    it("keys the ID token with the client secret (OIDC Core §10.1), and the access token with the server's", async () => {
      const res = await redeem(await h.code());
      const idToken = res.body.id_token as string;
      assert.deepEqual(decodeJwt(idToken).header, { alg: 'HS256', typ: 'JWT' });
      assert.equal((jwt.verify(idToken, SEED.secret, { algorithms: ['HS256'], clockTimestamp: now() }) as jwt.JwtPayload).sub, 'alice');
      assert.throws(() => jwt.verify(idToken, h.store.read().meta.secret ?? '', { algorithms: ['HS256'], clockTimestamp: now() }), /invalid signature/);
      assert.equal(h.app.appContext.tokens.verify(h.store.read(), idToken, 'id', { hs256Secret: SEED.secret }).sub, 'alice');
      assert.equal(
        (jwt.verify(res.body.access_token as string, h.store.read().meta.secret ?? '', { algorithms: ['HS256'], clockTimestamp: now() }) as jwt.JwtPayload)
          .client_id,
        SEED.clientId,
      );
    });

    it("cannot key a public client's ID token, and says which algorithm to use", async () => {
      const code = await h.code({ client_id: 'spa_public', redirect_uri: 'http://localhost:3000/callback' });
      const res = await token({
        grant_type: 'authorization_code',
        code,
        redirect_uri: 'http://localhost:3000/callback',
        code_verifier: SEED.verifier,
        client_id: 'spa_public',
      });
      assertOAuthError(
        res,
        400,
        'unauthorized_client',
        'client spa_public has no secret to key an HS256 ID token with (OIDC Core section 10.1); start the server with --alg RS256 or ES256',
      );
    });
  });
});

// oauth4webapi (the library Auth.js is built on), unmodified: the code flow with PKCE and nonce,
// the client authenticating with private_key_jwt (RFC 7523) with a key registered in its record.
import assert from 'node:assert/strict';
import { exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import * as oauth from 'oauth4webapi';
import type { OAuthMock } from '../../src/index.js';
import { loginOverHttp, startOidcMock } from './helpers.js';

const REDIRECT = 'http://localhost:4000/callback';
const insecure = { [oauth.allowInsecureRequests]: true } as const;

describe('interop: oauth4webapi with private_key_jwt', () => {
  let mock: OAuthMock;
  let key: CryptoKey;
  before(async () => {
    const pair = await generateKeyPair('ES256');
    key = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'signer-1', alg: 'ES256', use: 'sig' };
    mock = await startOidcMock({
      clients: [
        {
          id: 'signer',
          redirect_uris: [REDIRECT],
          scopes: ['openid', 'profile', 'email'],
          token_endpoint_auth_method: 'private_key_jwt',
          jwks: { keys: [jwk] },
        },
      ],
    });
  });
  after(() => mock.stop());

  it("runs the code flow, the token request signed with the client's key", async () => {
    const issuer = new URL(mock.issuer);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
    assert.ok((as.token_endpoint_auth_methods_supported ?? []).includes('private_key_jwt'));
    const client: oauth.Client = { client_id: 'signer' };
    const clientAuth = oauth.PrivateKeyJwt({ key, kid: 'signer-1' });

    const verifier = oauth.generateRandomCodeVerifier();
    const nonce = oauth.generateRandomNonce();
    const state = oauth.generateRandomState();
    const url = new URL(as.authorization_endpoint ?? '');
    for (const [k, v] of Object.entries({
      client_id: client.client_id,
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: 'openid email',
      state,
      nonce,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    }))
      url.searchParams.set(k, v);

    const callback = await loginOverHttp(mock, url, 'bob');
    const params = oauth.validateAuthResponse(as, client, callback, state);
    const response = await oauth.authorizationCodeGrantRequest(as, client, clientAuth, params, REDIRECT, verifier, insecure);
    const result = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: nonce, requireIdToken: true });
    const claims = oauth.getValidatedIdTokenClaims(result);
    assert.ok(claims);
    assert.deepEqual([claims.iss, claims.sub, claims.aud, claims.nonce], [mock.issuer, 'bob', 'signer', nonce]);

    const info = await oauth.processUserInfoResponse(as, client, 'bob', await oauth.userInfoRequest(as, client, result.access_token, insecure));
    assert.deepEqual({ ...info }, { roles: ['user'], email: 'bob@example.com', email_verified: false, sub: 'bob' });

    // A fresh assertion per request: the refresh is authenticated again, with a new jti.
    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, clientAuth, result.refresh_token ?? '', insecure),
    );
    assert.equal(typeof refreshed.access_token, 'string');
  });

  it('is refused when the assertion is signed with a key the client did not register', async () => {
    const issuer = new URL(mock.issuer);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
    const stranger = (await generateKeyPair('ES256')).privateKey;
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      { client_id: 'signer' },
      oauth.PrivateKeyJwt({ key: stranger, kid: 'signer-1' }),
      new URLSearchParams(),
      insecure,
    );
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), {
      error: 'invalid_client',
      error_description: "client_assertion rejected: the signature does not verify with the client's jwks",
    });
  });
});

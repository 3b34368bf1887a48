// A relying party built on openid-client v6, as a suite's app would use it, against a mock.
// The spec profile speaks the seed's API (JSON request bodies, `{success, data}` answers), so
// `specWire` translates the token and userinfo exchanges; discovery, JWKS and the ID token
// itself reach openid-client exactly as the mock sent them.
import assert from 'node:assert/strict';
import * as client from 'openid-client';
import type { OAuthMock } from '../../src/index.js';
import { SEED } from '../helpers/bootstrap.js';

async function unwrapSpec(res: Response): Promise<Response> {
  if (!(res.headers.get('content-type') ?? '').startsWith('application/json')) return res;
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return new Response(text, { status: res.status, headers: res.headers });
  }
  const envelope = body as { success?: boolean; data?: unknown; error?: { code: string; message: string } };
  if (typeof envelope !== 'object' || envelope === null || typeof envelope.success !== 'boolean')
    return new Response(text, { status: res.status, headers: res.headers });
  const flat = envelope.success ? envelope.data : { error: envelope.error?.code, error_description: envelope.error?.message };
  return new Response(JSON.stringify(flat), { status: res.status, headers: res.headers });
}

/** openid-client's customFetch for the spec profile: form bodies become JSON, envelopes are unwrapped. */
export const specWire: client.CustomFetch = async (url, options) => {
  let body = options.body;
  const headers = new Headers(options.headers);
  if (body instanceof URLSearchParams || (typeof body === 'string' && headers.get('content-type')?.startsWith('application/x-www-form-urlencoded'))) {
    body = JSON.stringify(Object.fromEntries(new URLSearchParams(body as string)));
    headers.set('content-type', 'application/json');
  }
  return unwrapSpec(await fetch(url, { ...options, headers, body: body as string }));
};

/** A relying party for `mock`; `profile` spec goes through `specWire`, oidc is spoken as is. */
export async function rpConfig(mock: OAuthMock, profile: 'spec' | 'oidc' = 'spec'): Promise<client.Configuration> {
  const config = await client.discovery(new URL(mock.issuer), SEED.clientId, { redirect_uris: [SEED.redirectUri] }, client.ClientSecretPost(SEED.secret), {
    execute: [client.allowInsecureRequests],
    ...(profile === 'spec' ? { [client.customFetch]: specWire } : {}),
  });
  // openid-client checks ID token signatures against the JWKS only when asked to.
  client.enableNonRepudiationChecks(config);
  return config;
}

/** authorize (as `user`, through its user token, with `nonce`) then openid-client's authorizationCodeGrant. */
export async function rpCodeFlow(mock: OAuthMock, config: client.Configuration, user = 'alice', nonce = client.randomNonce()) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: SEED.redirectUri,
    scope: 'openid profile email',
    nonce,
    state,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  const userToken = await mock.mintToken({ user });
  const res = await fetch(url, { headers: { authorization: `Bearer ${userToken}` }, redirect: 'manual' });
  assert.equal(res.status, 302, await res.text());
  return client.authorizationCodeGrant(config, new URL(res.headers.get('location') as string), {
    pkceCodeVerifier: verifier,
    expectedNonce: nonce,
    expectedState: state,
  });
}

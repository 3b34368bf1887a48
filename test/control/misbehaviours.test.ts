// Each misbehaviour, seen on the wire, then refused by a real relying-party library with its
// specific error: openid-client v6 (the whole code flow, signatures checked) and/or jose
// (jwtVerify against the published JWKS).
import assert from 'node:assert/strict';
import * as jose from 'jose';
import * as client from 'openid-client';
import { startOAuthMock, type OAuthMock } from '../../src/index.js';
import { WRONG_ISSUER } from '../../src/control/tamper.js';
import type { MisbehaviourName } from '../../src/control/misbehaviours.js';
import { MISBEHAVIOUR_NAMES } from '../../src/control/misbehaviours.js';
import { atHash } from '../../src/tokens/tokens.js';
import { codeExchange, decodeJwt, SEED } from '../helpers/bootstrap.js';
import { PROFILES, type ProfileName } from '../../src/config/server-options.js';
import { rpCodeFlow, rpConfig } from './rp.js';

const NONCE = 'n-0S6_WzA2Mj';

/** The code flow by hand (as the wire carries it): the token endpoint's data. */
async function wireFlow(mock: OAuthMock, profile: ProfileName): Promise<Record<string, string>> {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: SEED.clientId,
    redirect_uri: SEED.redirectUri,
    scope: 'openid profile email',
    state: 's',
    code_challenge: SEED.challenge,
    code_challenge_method: 'S256',
    nonce: NONCE,
  });
  const res = await fetch(`${mock.url}/oauth/authorize?${query}`, {
    headers: { authorization: `Bearer ${await mock.mintToken({ user: 'alice' })}` },
    redirect: 'manual',
  });
  const code = new URL(res.headers.get('location') as string).searchParams.get('code') as string;
  // Plain fetch, not the OpenAPI-checked helper: a misbehaving token is outside the contract on purpose.
  const params = codeExchange(code);
  const token = await fetch(
    `${mock.url}/oauth/token`,
    profile === 'spec'
      ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) }
      : { method: 'POST', body: new URLSearchParams(params) },
  );
  assert.equal(token.status, 200);
  return unwrap(profile, await token.json());
}

/** The answer's payload: spec wraps it in `{success, data}`, oidc does not. */
function unwrap(profile: ProfileName, body: unknown): Record<string, string> {
  return (profile === 'spec' ? (body as { data: unknown }).data : body) as Record<string, string>;
}

function joseVerify(mock: OAuthMock, idToken: string, jwks = jose.createRemoteJWKSet(new URL(mock.jwksUrl))) {
  return jose.jwtVerify(idToken, jwks, {
    issuer: mock.issuer,
    audience: SEED.clientId,
    algorithms: ['RS256'],
    maxTokenAge: '1h',
    requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat'],
  });
}

interface Case {
  /** What the wire carries. */
  wire(header: Record<string, unknown>, claims: Record<string, unknown>, tokens: Record<string, string>): void;
  /** openid-client's ClientError code and the message of its cause. */
  openid?: [code: string, cause: RegExp];
  /** jose's error class, and the claim it names. */
  jose?: [name: keyof typeof jose.errors, claim?: string];
}

const CASES: Partial<Record<MisbehaviourName, Case>> = {
  'id_token.wrong_issuer': {
    wire: (_h, c) => assert.equal(c.iss, WRONG_ISSUER),
    openid: ['OAUTH_JWT_CLAIM_COMPARISON_FAILED', /unexpected JWT "iss" \(issuer\) claim value/],
    jose: ['JWTClaimValidationFailed', 'iss'],
  },
  'id_token.sub_missing': {
    wire: (_h, c) => assert.equal(c.sub, undefined),
    openid: ['OAUTH_INVALID_RESPONSE', /JWT "sub" \(subject\) claim missing/],
    jose: ['JWTClaimValidationFailed', 'sub'],
  },
  'id_token.wrong_audience': {
    wire: (_h, c) => assert.equal(c.aud, 'another-client'),
    openid: ['OAUTH_JWT_CLAIM_COMPARISON_FAILED', /unexpected JWT "aud" \(audience\) claim value/],
    jose: ['JWTClaimValidationFailed', 'aud'],
  },
  'id_token.multiple_aud_without_azp': {
    wire: (_h, c) => {
      assert.deepEqual(c.aud, [SEED.clientId, 'another-client']);
      assert.equal(c.azp, undefined);
    },
    openid: ['OAUTH_JWT_CLAIM_COMPARISON_FAILED', /"aud" \(audience\) claim includes additional untrusted audiences/],
  },
  'id_token.iat_missing': {
    wire: (_h, c) => assert.equal(c.iat, undefined),
    openid: ['OAUTH_INVALID_RESPONSE', /JWT "iat" \(issued at\) claim missing/],
    jose: ['JWTClaimValidationFailed', 'iat'],
  },
  'id_token.expired': {
    wire: (_h, c) => assert.ok((c.exp as number) < Date.now() / 1000),
    openid: ['OAUTH_JWT_TIMESTAMP_CHECK_FAILED', /"exp" \(expiration time\) claim value, expiration is past current timestamp/],
    jose: ['JWTExpired', 'exp'],
  },
  'id_token.iat_future': {
    wire: (_h, c) => assert.ok((c.iat as number) > Date.now() / 1000 + 3000),
    jose: ['JWTClaimValidationFailed', 'iat'],
  },
  'id_token.nonce_mismatch': {
    wire: (_h, c) => assert.equal(c.nonce, `not-${NONCE}`),
    openid: ['OAUTH_JWT_CLAIM_COMPARISON_FAILED', /unexpected ID Token "nonce" claim value/],
  },
  'id_token.at_hash_wrong': {
    // Neither openid-client v6 nor jose checks at_hash in the code flow (it is optional there,
    // OIDC Core §3.1.3.6); authlib does, and refuses it in misbehaviours-authlib.test.ts.
    wire: (_h, c, t) => {
      assert.equal(typeof c.at_hash, 'string');
      assert.notEqual(c.at_hash, atHash(t.access_token as string));
    },
  },
  'id_token.alg_none': {
    wire: (h, _c, t) => {
      assert.deepEqual(h, { alg: 'none', typ: 'JWT' });
      assert.ok((t.id_token as string).endsWith('.'));
    },
    openid: ['OAUTH_INVALID_RESPONSE', /unexpected JWT "alg" header parameter/],
    jose: ['JOSEAlgNotAllowed'],
  },
  'id_token.bad_signature': {
    wire: (h) => assert.equal(h.alg, 'RS256'),
    openid: ['OAUTH_INVALID_RESPONSE', /JWT signature verification failed/],
    jose: ['JWSSignatureVerificationFailed'],
  },
  'id_token.kid_absent_multiple_keys': {
    wire: (h) => assert.equal(h.kid, undefined),
    openid: ['OAUTH_KEY_SELECTION_FAILED', /multiple applicable keys found/],
    jose: ['JWKSMultipleMatchingKeys'],
  },
};

for (const profile of PROFILES)
  describe(`control: misbehaving tokens, refused by openid-client and jose (${profile} profile)`, () => {
    let mock: OAuthMock;
    before(async () => {
      mock = await startOAuthMock({ alg: 'RS256', profile });
    });
    afterEach(() => mock.reset());
    after(() => mock.stop());

    for (const [name, c] of Object.entries(CASES) as [MisbehaviourName, Case][]) {
      it(`${name}: on the wire${c.openid ? ', openid-client' : ''}${c.jose ? ', jose' : ''}`, async () => {
        mock.misbehave(name);
        const tokens = await wireFlow(mock, profile);
        const { header, payload } = decodeJwt(tokens.id_token as string);
        c.wire(header, payload, tokens);
        // Applied once: the next ID token is a good one, and both libraries accept it.
        const good = await wireFlow(mock, profile);
        const verified = await joseVerify(mock, good.id_token as string);
        assert.equal(verified.payload.sub, 'alice');
        if (c.jose) {
          const [errorName, claim] = c.jose;
          await assert.rejects(joseVerify(mock, tokens.id_token as string), (error: Error & { claim?: string }) => {
            assert.ok(error instanceof jose.errors[errorName], `${error.name}: ${error.message}`);
            if (claim) assert.equal((error as { claim?: string }).claim, claim);
            return true;
          });
        }
        if (c.openid) {
          const [code, cause] = c.openid;
          mock.misbehave(name);
          // A fresh relying party: it fetches discovery and the JWKS as a new app would.
          await assert.rejects(rpCodeFlow(mock, await rpConfig(mock, profile)), (error: client.ClientError) => {
            assert.ok(error instanceof client.ClientError, String(error));
            assert.equal(error.code, code, error.message);
            assert.match((error.cause as Error).message, cause);
            return true;
          });
        }
      });
    }

    it('id_token.kid_absent_single_key: the RP certification expects acceptance, and both libraries accept', async () => {
      mock.misbehave('id_token.kid_absent_single_key');
      const tokens = await wireFlow(mock, profile);
      assert.equal(decodeJwt(tokens.id_token as string).header.kid, undefined);
      assert.equal((await joseVerify(mock, tokens.id_token as string)).payload.sub, 'alice');
      mock.misbehave('id_token.kid_absent_single_key');
      const result = await rpCodeFlow(mock, await rpConfig(mock, profile));
      assert.equal(result.claims()?.sub, 'alice');
    });

    it('id_token.key_rotated: an unknown kid until the JWKS is fetched again', async () => {
      const config = await rpConfig(mock, profile);
      const jwks = jose.createRemoteJWKSet(new URL(mock.jwksUrl));
      // Both relying parties have fetched (and cached) the JWKS.
      const first = await rpCodeFlow(mock, config);
      await joseVerify(mock, first.id_token as string, jwks);
      const before = decodeJwt(first.id_token as string).header.kid;

      mock.misbehave('id_token.key_rotated', { times: 2 });
      const tokens = await wireFlow(mock, profile);
      const { kid } = decodeJwt(tokens.id_token as string).header;
      assert.notEqual(kid, before);
      await assert.rejects(joseVerify(mock, tokens.id_token as string, jwks), jose.errors.JWKSNoMatchingKey);
      await assert.rejects(rpCodeFlow(mock, config), (error: client.ClientError) => error.code === 'OAUTH_KEY_SELECTION_FAILED');
      // The next fetch publishes it.
      const published = (await (await fetch(mock.jwksUrl)).json()) as { keys: { kid: string }[] };
      assert.ok(published.keys.some((k) => k.kid === kid));
      assert.equal((await joseVerify(mock, tokens.id_token as string, jose.createRemoteJWKSet(new URL(mock.jwksUrl)))).payload.sub, 'alice');
    });

    it('userinfo.wrong_sub: refused by openid-client fetchUserInfo', async () => {
      const config = await rpConfig(mock, profile);
      const tokens = await rpCodeFlow(mock, config);
      mock.misbehave('userinfo.wrong_sub');
      const wire = await fetch(`${mock.url}/oauth/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
      assert.equal(unwrap(profile, await wire.json()).sub, 'not-alice');
      mock.misbehave('userinfo.wrong_sub');
      await assert.rejects(client.fetchUserInfo(config, tokens.access_token, 'alice'), (error: client.ClientError) => {
        assert.equal(error.code, 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED');
        assert.match((error.cause as Error).message, /unexpected "response" body "sub" property value/);
        return true;
      });
      assert.equal((await client.fetchUserInfo(config, tokens.access_token, 'alice')).sub, 'alice');
    });

    it('discovery.wrong_issuer: refused by openid-client discovery', async () => {
      mock.misbehave('discovery.wrong_issuer');
      const wire = (await (await fetch(mock.discoveryUrl)).json()) as { issuer: string };
      assert.equal(wire.issuer, WRONG_ISSUER);
      mock.misbehave('discovery.wrong_issuer');
      await assert.rejects(rpConfig(mock, profile), (error: client.ClientError) => {
        assert.equal(error.code, 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED');
        assert.match(error.message, /discovered metadata issuer does not match the expected issuer/);
        return true;
      });
      assert.equal((await rpConfig(mock, profile)).serverMetadata().issuer, mock.issuer);
    });

    it('every misbehaviour has a test here', () => {
      const tested = new Set([...Object.keys(CASES), 'id_token.kid_absent_single_key', 'id_token.key_rotated', 'userinfo.wrong_sub', 'discovery.wrong_issuer']);
      assert.deepEqual(
        MISBEHAVIOUR_NAMES.filter((n) => !tested.has(n)),
        [],
      );
    });

    it('times, pending list, and mock.reset() clears them', async () => {
      mock.misbehave('id_token.wrong_issuer', { times: 2 });
      assert.deepEqual(mock.controlStatus().misbehaviours, [{ name: 'id_token.wrong_issuer', remaining: 2 }]);
      assert.equal(decodeJwt((await wireFlow(mock, profile)).id_token as string).payload.iss, WRONG_ISSUER);
      assert.equal(decodeJwt((await wireFlow(mock, profile)).id_token as string).payload.iss, WRONG_ISSUER);
      assert.equal(decodeJwt((await wireFlow(mock, profile)).id_token as string).payload.iss, mock.issuer);
      mock.misbehave('id_token.expired', { times: 5 });
      await mock.reset();
      assert.deepEqual(mock.controlStatus().misbehaviours, []);
      assert.throws(() => mock.misbehave('id_token.late' as MisbehaviourName), /unknown misbehaviour "id_token.late"; known: id_token.wrong_issuer/);
    });
  });

describe('control: misbehaviours about keys need published keys', () => {
  it('HS256 refuses them, saying why', async () => {
    const mock = await startOAuthMock();
    try {
      assert.throws(() => mock.misbehave('id_token.key_rotated'), /HS256 publishes none; start the server with alg RS256 or ES256/);
      mock.misbehave('id_token.bad_signature');
    } finally {
      await mock.stop();
    }
  });
});

// Verification through node:crypto against the library it replaced: for every token below,
// decodeJws + verifyJws accept exactly what jsonwebtoken 9's verify accepted with the options
// this server passed it (one algorithm, an issuer, a clock), and refuse the rest for the same
// reason, so the messages clients see are unchanged.
import assert from 'node:assert/strict';
import { createHmac, createPublicKey, createSecretKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { decodeJws, JwsError, verifyJws, type VerifyOptions } from '../../../src/tokens/jws.js';
import type { SigningAlg } from '../../../src/core/signing-alg.js';

const ISSUER = 'http://127.0.0.1:4000';
const NOW = 1_764_000_000;
const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

const secret = createSecretKey(randomBytes(32));
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ec384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const otherRsa = generateKeyPairSync('rsa', { modulusLength: 2048 });

const SIGNERS: Record<SigningAlg, { sign(input: string): Buffer; verifyKey: KeyObject }> = {
  HS256: { sign: (input) => createHmac('sha256', secret).update(input).digest(), verifyKey: secret },
  RS256: { sign: (input) => sign('sha256', Buffer.from(input), rsa.privateKey), verifyKey: rsa.publicKey },
  ES256: { sign: (input) => sign('sha256', Buffer.from(input), { key: ec.privateKey, dsaEncoding: 'ieee-p1363' }), verifyKey: ec.publicKey },
};

function token(alg: SigningAlg, payload: unknown, header: Record<string, unknown> = {}): string {
  const input = `${b64({ alg, typ: 'at+jwt', ...header })}.${b64(payload)}`;
  return `${input}.${SIGNERS[alg].sign(input).toString('base64url')}`;
}

const claims = { iss: ISSUER, sub: 'alice', aud: 'client_123', iat: NOW - 10, exp: NOW + 3600, jti: 'j1' };

/** What jsonwebtoken's verify decided, in verifyJws's terms. */
function reference(t: string, key: KeyObject | string, opts: VerifyOptions): unknown {
  try {
    return jwt.verify(t, key, {
      algorithms: [opts.alg],
      issuer: opts.issuer,
      ...(opts.now !== undefined ? { clockTimestamp: opts.now } : {}),
      ...(opts.ignoreExpiration ? { ignoreExpiration: true } : {}),
    });
  } catch (error) {
    if (error instanceof jwt.TokenExpiredError) return 'expired';
    if (error instanceof jwt.NotBeforeError) return 'nbf';
    if (error instanceof jwt.JsonWebTokenError) {
      if (error.message.startsWith('jwt issuer invalid')) return 'issuer';
      if (error.message === 'invalid signature') return 'signature';
      return `invalid: ${error.message}`;
    }
    return 'unusable';
  }
}

function ours(t: string, key: KeyObject | string, opts: VerifyOptions): unknown {
  const decoded = decodeJws(t);
  if (!decoded) return 'not a JWS';
  try {
    return verifyJws(decoded, key, opts);
  } catch (error) {
    assert.ok(error instanceof JwsError, String(error));
    return error.reason === 'invalid' ? `invalid: ${error.message}` : error.reason;
  }
}

for (const alg of ['HS256', 'RS256', 'ES256'] as SigningAlg[]) {
  const key = SIGNERS[alg].verifyKey;
  const opts: VerifyOptions = { alg, issuer: ISSUER, now: NOW };
  const good = token(alg, claims);
  const [h, p, s] = good.split('.') as [string, string, string];
  // The last base64url character of each signature here carries unused bits: another letter
  // decodes to the same bytes. jsonwebtoken compared an HMAC's text (refused) but decoded an
  // RSA or ECDSA signature (accepted).
  const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const lastBitsFlipped = `${s.slice(0, -1)}${ALPHABET[ALPHABET.indexOf(s.slice(-1)) ^ 1]}`;
  const cases: { name: string; token: string; key?: KeyObject | string; opts?: Partial<VerifyOptions>; expect: unknown }[] = [
    { name: 'a genuine token', token: good, expect: claims },
    { name: 'a tampered payload', token: `${h}.${b64({ ...claims, sub: 'mallory' })}.${s}`, expect: 'signature' },
    { name: 'a signature for other bytes', token: `${h}.${p}.${token(alg, { ...claims, jti: 'j2' }).split('.')[2]}`, expect: 'signature' },
    {
      name: 'a signature with an unused bit of its last character changed',
      token: `${h}.${p}.${lastBitsFlipped}`,
      expect: alg === 'HS256' ? 'signature' : claims,
    },
    { name: 'no signature', token: `${h}.${p}.`, expect: 'invalid: jwt signature is required' },
    { name: 'another issuer', token: token(alg, { ...claims, iss: 'https://elsewhere.example' }), expect: 'issuer' },
    { name: 'no issuer', token: token(alg, { sub: 'alice', exp: NOW + 1 }), expect: 'issuer' },
    { name: 'expired (exp = now)', token: token(alg, { ...claims, exp: NOW }), expect: 'expired' },
    { name: 'exp one second ahead', token: token(alg, { ...claims, exp: NOW + 1 }), expect: { ...claims, exp: NOW + 1 } },
    {
      name: 'expired, expiry ignored',
      token: token(alg, { ...claims, exp: NOW - 100 }),
      opts: { ignoreExpiration: true },
      expect: { ...claims, exp: NOW - 100 },
    },
    { name: 'exp as a string', token: token(alg, { ...claims, exp: String(NOW + 100) }), expect: 'invalid: invalid exp value' },
    { name: 'exp null', token: token(alg, { ...claims, exp: null }), expect: 'invalid: invalid exp value' },
    { name: 'no exp (the caller requires it)', token: token(alg, { iss: ISSUER, sub: 'alice' }), expect: { iss: ISSUER, sub: 'alice' } },
    { name: 'nbf ahead', token: token(alg, { ...claims, nbf: NOW + 1 }), expect: 'nbf' },
    { name: 'nbf = now', token: token(alg, { ...claims, nbf: NOW }), expect: { ...claims, nbf: NOW } },
    { name: 'nbf as a string', token: token(alg, { ...claims, nbf: 'soon' }), expect: 'invalid: invalid nbf value' },
    { name: 'an array payload', token: token(alg, [1, 2]), expect: 'issuer' },
    { name: 'the wall clock when now is 0', token: token(alg, { ...claims, exp: NOW }), opts: { now: 0 }, expect: 'expired' },
    { name: 'another algorithm in the header', token: `${b64({ alg: alg === 'HS256' ? 'RS256' : 'HS256' })}.${p}.${s}`, expect: 'invalid: invalid algorithm' },
  ];
  if (alg === 'HS256') {
    cases.push(
      { name: 'a public key for HS256', token: good, key: rsa.publicKey, expect: 'invalid: secretOrPublicKey must be a symmetric key when using HS256' },
      { name: 'a string secret', token: token(alg, claims), key: 'not-the-secret', expect: 'signature' },
    );
  } else {
    cases.push(
      { name: 'a secret key', token: good, key: secret, expect: `invalid: secretOrPublicKey must be an asymmetric key when using ${alg}` },
      {
        name: 'a private key',
        token: good,
        key: alg === 'RS256' ? rsa.privateKey : ec.privateKey,
        expect: `invalid: secretOrPublicKey must be an asymmetric key when using ${alg}`,
      },
      { name: 'a key of the wrong type', token: good, key: alg === 'RS256' ? ec.publicKey : rsa.publicKey, expect: 'unusable' },
    );
  }
  if (alg === 'RS256') cases.push({ name: 'another RSA key', token: good, key: otherRsa.publicKey, expect: 'signature' });
  if (alg === 'ES256') {
    cases.push(
      { name: 'a P-384 key', token: good, key: ec384.publicKey, expect: 'unusable' },
      {
        name: 'a DER signature instead of R || S',
        token: `${h}.${p}.${sign('sha256', Buffer.from(`${h}.${p}`), ec.privateKey).toString('base64url')}`,
        expect: 'unusable',
      },
      {
        name: 'a public key given as PEM-derived KeyObject',
        token: good,
        key: createPublicKey(ec.publicKey.export({ type: 'spki', format: 'pem' })),
        expect: claims,
      },
    );
  }

  describe(`verifyJws (${alg}) decides as jsonwebtoken 9 did`, () => {
    for (const c of cases) {
      it(c.name, () => {
        const k = c.key ?? key;
        const o = { ...opts, ...c.opts };
        assert.deepEqual(ours(c.token, k, o), c.expect);
        assert.deepEqual(reference(c.token, k, o), c.expect);
      });
    }
  });
}

describe('decodeJws reads what jsonwebtoken.decode read', () => {
  const cases = [
    `${b64({ alg: 'HS256', typ: 'at+jwt', kid: 'k' })}.${b64({ sub: 'a' })}.sig`,
    `${b64({ alg: 'HS256' })}.${b64('plain text')}.sig`,
    `${b64({ alg: 'HS256' })}.${b64([1, 'two'])}.`,
    `${b64(JSON.stringify('a string header'))}.${b64({ sub: 'a' })}.sig`,
    `${b64({ alg: 'HS256', kid: 'ké' })}.${b64({ name: 'Ålice ✓' })}.sig`,
    `${b64({ alg: 'HS256' })}.${b64('null')}.sig`,
  ];
  for (const t of cases) {
    it(t.slice(0, 40), () => {
      const decoded = decodeJws(t);
      const expected = jwt.decode(t, { complete: true });
      assert.ok(decoded && expected);
      assert.deepEqual(decoded.payload, expected.payload);
      const header: unknown = expected.header;
      assert.deepEqual(decoded.header, typeof header === 'object' ? header : {});
      assert.equal(decoded.signature, expected.signature);
    });
  }

  it('refuses what is not a compact JWS, as jsonwebtoken did', () => {
    for (const t of [
      '',
      'a.b',
      'a.b.c.d',
      `${b64({ alg: 'HS256' })}..sig`,
      `.${b64({})}.sig`,
      `${b64('0')}.${b64({})}.s`,
      `${b64('{')}.${b64({})}.s`,
      'a b.c.d',
    ]) {
      assert.equal(decodeJws(t), undefined, t);
      assert.equal(jwt.decode(t, { complete: true }), null, t);
    }
  });

  it('a typ JWT header over a payload that is not JSON is not a JWT (jsonwebtoken threw a SyntaxError here)', () => {
    const t = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64('not json')}.sig`;
    assert.throws(() => jwt.decode(t, { complete: true }), SyntaxError);
    assert.equal(decodeJws(t)?.payload, 'not json');
  });
});

// The signing module against the library it replaced on the hot path: the same bytes for the
// deterministic algorithms (HS256, RS256), and ES256 signatures that verify as R || S.
import assert from 'node:assert/strict';
import { createSecretKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { encodeHeader, signJws } from '../../../src/tokens/jws.js';

const claims = {
  iss: 'http://127.0.0.1:4000',
  sub: 'alice',
  aud: 'client_123',
  scope: 'openid profile',
  iat: 1_764_000_000,
  exp: 1_764_003_600,
  jti: 'a.b',
  name: 'Ålice ✓',
};
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });

describe('signJws (RFC 7515 compact serialization through node:crypto)', () => {
  const deterministic = [
    { alg: 'HS256' as const, key: createSecretKey(randomBytes(32)), header: { alg: 'HS256', typ: 'at+jwt' } },
    { alg: 'HS256' as const, key: 'a client secret of at least thirty-two bytes', header: { alg: 'HS256', typ: 'JWT' } },
    { alg: 'RS256' as const, key: rsa.privateKey, header: { alg: 'RS256', typ: 'at+jwt', kid: 'k1' } },
  ];
  for (const c of deterministic) {
    it(`${c.alg} (${typeof c.key === 'string' ? 'string secret' : 'KeyObject'}, kid ${c.header.kid ?? 'none'}): byte for byte what jsonwebtoken signs`, () => {
      const expected = jwt.sign(JSON.stringify(claims), c.key, { algorithm: c.alg, header: c.header });
      assert.equal(signJws(c.alg, c.key, c.header, claims), expected);
    });
  }

  it('ES256: a 64-byte R || S signature (RFC 7518 §3.4) that verifies, with the header and claims as given', () => {
    const token = signJws('ES256', ec.privateKey, { alg: 'ES256', typ: 'JWT', kid: 'e1' }, claims);
    const [header, , signature] = token.split('.') as [string, string, string];
    assert.equal(Buffer.from(signature, 'base64url').length, 64);
    assert.deepEqual(JSON.parse(Buffer.from(header, 'base64url').toString()), { alg: 'ES256', typ: 'JWT', kid: 'e1' });
    assert.deepEqual(jwt.verify(token, ec.publicKey, { algorithms: ['ES256'], clockTimestamp: claims.iat }), claims);
  });

  it('a tampered signature does not verify', () => {
    const token = signJws('RS256', rsa.privateKey, { alg: 'RS256', typ: 'JWT' }, claims);
    const broken = `${token.slice(0, -4)}${token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    assert.throws(() => jwt.verify(broken, rsa.publicKey, { algorithms: ['RS256'], clockTimestamp: claims.iat }), /invalid signature/);
  });

  it('encodes each header once and keeps the member order it was given', () => {
    const first = encodeHeader({ alg: 'HS256', typ: 'at+jwt' });
    assert.equal(first, Buffer.from('{"alg":"HS256","typ":"at+jwt"}').toString('base64url'));
    assert.equal(encodeHeader({ alg: 'HS256', typ: 'at+jwt' }), first);
    assert.notEqual(encodeHeader({ alg: 'HS256', typ: 'at+jwt', kid: 'x' }), first);
  });
});

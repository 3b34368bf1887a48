import assert from 'node:assert/strict';
import { checkUsername, loginFacts, parseLoginClaims } from '../../../src/core/login-claims.js';

describe('login claims box', () => {
  const cases: Array<[string | undefined, ReturnType<typeof parseLoginClaims>]> = [
    [undefined, { ok: true, claims: {} }],
    ['  \n ', { ok: true, claims: {} }],
    ['{"acr":"urn:mfa","roles":["admin"],"n":1}', { ok: true, claims: { acr: 'urn:mfa', roles: ['admin'], n: 1 } }],
    ['[1]', { ok: false, error: 'Extra claims must be a JSON object, e.g. {"acr": "urn:example:mfa", "roles": ["admin"]}.' }],
    ['"x"', { ok: false, error: 'Extra claims must be a JSON object, e.g. {"acr": "urn:example:mfa", "roles": ["admin"]}.' }],
    ['null', { ok: false, error: 'Extra claims must be a JSON object, e.g. {"acr": "urn:example:mfa", "roles": ["admin"]}.' }],
    [
      '{"sub":"x","aud":"y"}',
      { ok: false, error: 'Extra claims may not set sub, aud: the server sets them. To sign in as another subject, type its name as the username.' },
    ],
    [
      '{"nonce":"x"}',
      { ok: false, error: 'Extra claims may not set nonce: the server sets it. To sign in as another subject, type its name as the username.' },
    ],
    ['{"__proto__":{"polluted":1}}', { ok: false, error: 'Extra claims may not contain a "__proto__" key.' }],
    ['{"acr":2}', { ok: false, error: 'Extra claims: "acr" must be a string, e.g. "urn:example:mfa".' }],
    ['{"amr":"pwd"}', { ok: false, error: 'Extra claims: "amr" must be an array of strings, e.g. ["pwd", "otp"].' }],
    ['{"amr":["pwd",1]}', { ok: false, error: 'Extra claims: "amr" must be an array of strings, e.g. ["pwd", "otp"].' }],
  ];
  for (const [text, expected] of cases) {
    it(`${JSON.stringify(text)} → ${expected.ok ? 'claims' : 'error'}`, () => assert.deepEqual(parseLoginClaims(text), expected));
  }

  it('names the JSON syntax error', () => {
    const result = parseLoginClaims('{"acr": }');
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.error, /^Extra claims are not valid JSON: Unexpected token/);
  });

  it('refuses more than 8 KiB', () => {
    assert.deepEqual(parseLoginClaims(`{"a":"${'x'.repeat(8192)}"}`), { ok: false, error: 'Extra claims are limited to 8192 characters.' });
  });
});

describe('login facts', () => {
  it('split acr and amr from the other claims, beside the session id', () => {
    assert.deepEqual(loginFacts('S', { acr: 'urn:mfa', amr: ['pwd'], roles: ['x'] }), { sid: 'S', acr: 'urn:mfa', amr: ['pwd'], claims: { roles: ['x'] } });
    assert.deepEqual(loginFacts('S', {}), { sid: 'S' });
    assert.deepEqual(loginFacts(undefined), {});
  });
});

describe('login username', () => {
  it('accepts printable ASCII up to 255 characters as a sub', () => {
    for (const ok of ['carol', 'user@example.com', 'a b', 'x'.repeat(255), '~']) assert.equal(checkUsername(ok), undefined, ok);
  });
  it('refuses empty, long, control, non-ASCII and padded names', () => {
    assert.equal(checkUsername(''), 'Type a username, or pick a known user.');
    for (const bad of ['x'.repeat(256), 'a\nb', 'é', ' carol', 'carol ', '\t']) assert.ok(checkUsername(bad), JSON.stringify(bad));
  });
});

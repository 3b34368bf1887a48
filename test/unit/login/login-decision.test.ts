import assert from 'node:assert/strict';
import { decideLogin, parseMaxAge, parsePrompt, type LoginRequest } from '../../../src/core/login-decision.js';
import type { Session } from '../../../src/core/types.js';
import { InvalidRequest, LoginRequired } from '../../../src/errors.js';

const session: Session = { user_id: 'alice', secret_digest: 'd', auth_time: 1000, created_at: 1000, expires_at: 9999 };
const current = { sid: 'S', session };
const req = (over: Partial<LoginRequest> = {}): LoginRequest => ({ prompt: new Set(), ...over });

describe('login decision (OIDC Core §3.1.2.3)', () => {
  it('parses prompt, ignoring unknown values, and refuses none with another value', () => {
    assert.deepEqual([...parsePrompt(undefined)], []);
    assert.deepEqual([...parsePrompt('login consent create')], ['login', 'consent']);
    assert.deepEqual([...parsePrompt('none')], ['none']);
    assert.throws(
      () => parsePrompt('none login'),
      (e: unknown) => e instanceof InvalidRequest && /cannot be combined/.test(e.message),
    );
  });

  it('parses max_age as a non-negative integer', () => {
    assert.equal(parseMaxAge(undefined), undefined);
    assert.equal(parseMaxAge('0'), 0);
    assert.equal(parseMaxAge('3600'), 3600);
    for (const bad of ['-1', '1.5', 'abc', ' 1', '99999999999']) assert.throws(() => parseMaxAge(bad), InvalidRequest, bad);
  });

  const cases: Array<[string, LoginRequest, boolean, number, unknown]> = [
    ['no session → page', req(), false, 1000, { kind: 'page' }],
    ['session → silent', req(), true, 1000, { kind: 'session', ...current }],
    ['session, prompt=none → silent', req({ prompt: new Set(['none']) }), true, 1000, { kind: 'session', ...current }],
    ['prompt=login → page', req({ prompt: new Set(['login']) }), true, 1000, { kind: 'page', reason: 'prompt_login' }],
    ['prompt=consent → page', req({ prompt: new Set(['consent']) }), true, 1000, { kind: 'page', reason: 'prompt_consent' }],
    ['prompt=select_account → page', req({ prompt: new Set(['select_account']) }), true, 1000, { kind: 'page', reason: 'prompt_select_account' }],
    ['max_age not passed → silent', req({ maxAge: 60 }), true, 1060, { kind: 'session', ...current }],
    ['max_age passed → page', req({ maxAge: 60 }), true, 1061, { kind: 'page', reason: 'max_age' }],
    ['max_age=0 → page', req({ maxAge: 0 }), true, 1000, { kind: 'page', reason: 'max_age' }],
    ['id_token_hint of the signed-in user → silent', req({ hintSub: 'alice' }), true, 1000, { kind: 'session', ...current }],
    ['id_token_hint of another user → page', req({ hintSub: 'bob' }), true, 1000, { kind: 'page', reason: 'other_user' }],
  ];
  for (const [name, request, signedIn, now, expected] of cases) {
    it(name, () => assert.deepEqual(decideLogin(request, signedIn ? current : undefined, now), expected));
  }

  const refused: Array<[string, LoginRequest, boolean, number, RegExp]> = [
    ['prompt=none without a session', req({ prompt: new Set(['none']) }), false, 1000, /not signed in/],
    ['prompt=none, max_age passed', req({ prompt: new Set(['none']), maxAge: 10 }), true, 1011, /older than max_age/],
    ['prompt=none, hint of another user', req({ prompt: new Set(['none']), hintSub: 'bob' }), true, 1000, /another user/],
  ];
  for (const [name, request, signedIn, now, message] of refused) {
    it(`${name} → login_required`, () => {
      assert.throws(
        () => decideLogin(request, signedIn ? current : undefined, now),
        (e: unknown) => e instanceof LoginRequired && e.code === 'login_required' && message.test(e.message),
      );
    });
  }
});

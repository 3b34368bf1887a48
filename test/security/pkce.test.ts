// RFC 7636 (PKCE) and RFC 9700 §2.1.1, §4.8.2: malformed challenges and methods are refused at
// authorize; a missing, wrong or replayed-challenge verifier, or a downgrade, at the token endpoint.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { authorizeQuery, bootstrap, PUBLIC_CLIENT, SEED, type Harness } from '../helpers/bootstrap.js';
import { assertError, assertRedirectError, authorizeRaw, codeCount, grantCount, redeem } from '../http/helpers.js';

const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

describe('security: PKCE', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await bootstrap();
  });

  describe('at authorize (RFC 7636 §4.2–4.4.1)', () => {
    const badChallenges: Array<[string, string]> = [
      ['42 characters', 'a'.repeat(42)],
      ['129 characters', 'a'.repeat(129)],
      ['standard base64 characters (+ / =)', `${'a'.repeat(40)}+/=`],
      ['a space', `${'a'.repeat(42)} b`],
      ['non-ASCII', `${'a'.repeat(42)}é`],
    ];
    for (const [name, challenge] of badChallenges) {
      it(`challenge with ${name} → invalid_request redirected, no code`, async () => {
        const res = await authorizeRaw(h, authorizeQuery({ code_challenge: challenge }));
        const params = assertRedirectError(res, 'invalid_request');
        assert.equal(params.get('state'), 'xyz123');
        assert.equal(codeCount(h), 0);
      });
    }

    it('accepts challenges of exactly 43 and 128 characters', async () => {
      for (const challenge of ['a'.repeat(43), 'A-._~'.repeat(25).slice(0, 128)]) {
        const res = await authorizeRaw(h, authorizeQuery({ code_challenge: challenge, code_challenge_method: 'plain' }));
        assert.equal(res.status, 302);
        assert.ok(new URL(res.headers.location as string).searchParams.get('code'));
      }
      assert.equal(codeCount(h), 2);
    });

    for (const method of ['S512', 's256', 'S-256', 'PLAIN', 'none']) {
      it(`code_challenge_method=${method} → invalid_request redirected, no code`, async () => {
        const res = await authorizeRaw(h, authorizeQuery({ code_challenge_method: method }));
        assertRedirectError(res, 'invalid_request');
        assert.equal(codeCount(h), 0);
      });
    }

    it('code_challenge_method without a challenge → invalid_request', async () => {
      const res = await authorizeRaw(h, authorizeQuery({ code_challenge: undefined }));
      assertRedirectError(res, 'invalid_request');
      assert.equal(codeCount(h), 0);
    });

    it('a public client without a challenge → invalid_request (RFC 9700 §2.1.1)', async () => {
      const res = await authorizeRaw(
        h,
        authorizeQuery({
          client_id: PUBLIC_CLIENT.clientId,
          redirect_uri: PUBLIC_CLIENT.redirectUri,
          code_challenge: undefined,
          code_challenge_method: undefined,
        }),
      );
      assertRedirectError(res, 'invalid_request', { redirectUri: PUBLIC_CLIENT.redirectUri });
      assert.equal(codeCount(h), 0);
    });
  });

  describe('at the token endpoint (RFC 7636 §4.6)', () => {
    const badVerifiers: Array<[string, string | undefined]> = [
      ['missing', undefined],
      ['wrong', 'x'.repeat(43)],
      ['equal to the S256 challenge', SEED.challenge],
      ['42 characters', SEED.verifier.slice(0, 42)],
      ['129 characters', `${SEED.verifier}${'a'.repeat(86)}`],
      ['the right one with a trailing space', `${SEED.verifier} `],
    ];
    for (const [name, verifier] of badVerifiers) {
      it(`verifier ${name} → 400 invalid_grant, no grant`, async () => {
        const code = await h.code();
        const res = await redeem(h, code, { code_verifier: verifier });
        assertError(res, 400, 'invalid_grant');
        assert.equal(res.body.data, undefined);
        assert.equal(grantCount(h), 0);
      });
    }

    it('plain: the verifier must equal the challenge exactly', async () => {
      const challenge = 'p'.repeat(50);
      const code = await h.code({ code_challenge: challenge, code_challenge_method: 'plain' });
      assertError(await redeem(h, code, { code_verifier: 'P'.repeat(50) }), 400, 'invalid_grant');
      const ok = await redeem(h, code, { code_verifier: challenge });
      assert.equal(ok.status, 200);
    });

    it('an absent method means plain: the S256 transform of the verifier does not match', async () => {
      const verifier = 'v'.repeat(43);
      const code = await h.code({ code_challenge: s256(verifier), code_challenge_method: undefined });
      assertError(await redeem(h, code, { code_verifier: verifier }), 400, 'invalid_grant');
      assert.equal(grantCount(h), 0);
    });

    it('downgrade: a verifier for a code issued without a challenge → invalid_grant (RFC 9700 §4.8.2)', async () => {
      const code = await h.code({ code_challenge: undefined, code_challenge_method: undefined });
      const res = await redeem(h, code, { code_verifier: SEED.verifier });
      assertError(res, 400, 'invalid_grant');
      assert.equal(grantCount(h), 0);
    });

    it('a confidential client without PKCE still redeems without a verifier', async () => {
      const code = await h.code({ code_challenge: undefined, code_challenge_method: undefined });
      const res = await redeem(h, code, { code_verifier: undefined });
      assert.equal(res.status, 200);
      assert.equal(grantCount(h), 1);
    });
  });
});

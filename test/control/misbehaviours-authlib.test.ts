// id_token.at_hash_wrong, refused by a real relying party: neither openid-client v6 nor jose
// checks at_hash in the code flow (it is optional there, OIDC Core §3.1.3.6), but authlib's
// CodeIDToken does whenever it is given the access token. openid-client runs the code flow (it
// lets the bad at_hash through), then authlib validates the ID token it got against the access
// token issued with it. The venv is shared with the authlib interop test; the test is skipped
// only when there is no python3 at all.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import * as client from 'openid-client';
import { startOAuthMock, type OAuthMock } from '../../src/index.js';
import { PROFILES } from '../../src/config/server-options.js';
import { atHash } from '../../src/tokens/tokens.js';
import { SEED } from '../helpers/bootstrap.js';
import { AUTHLIB_PACKAGES, findPython, sharedVenv, type Venv } from '../interop/python.js';
import { rpCodeFlow, rpConfig } from './rp.js';

const SCRIPT = fileURLToPath(new URL('authlib_id_token.py', import.meta.url));

type Verdict =
  { claims: Record<string, unknown>; refused?: undefined } | { refused: { error: string; claim: string | null; description: string }; claims?: undefined };

for (const profile of PROFILES)
  describe(`control: id_token.at_hash_wrong, refused by authlib (${profile} profile)`, function () {
    // Creating the venv and installing from PyPI is the slow part (once per run); the flows are quick.
    this.timeout(300_000);
    let mock: OAuthMock;
    let venv: Venv | undefined;

    before(async function () {
      const python = findPython();
      if (python === undefined) this.skip();
      venv = await sharedVenv(python, AUTHLIB_PACKAGES);
      mock = await startOAuthMock({ alg: 'RS256', profile });
    });
    afterEach(() => mock?.reset());
    after(() => mock?.stop());

    /** The code flow through openid-client, then authlib's verdict on the ID token it returned. */
    async function authlibVerdict(): Promise<{ verdict: Verdict; tokens: Record<string, unknown> }> {
      assert.ok(venv);
      const nonce = client.randomNonce();
      const tokens = await rpCodeFlow(mock, await rpConfig(mock, profile), 'alice', nonce);
      assert.equal(typeof tokens.id_token, 'string');
      const out = await venv.run(SCRIPT, [mock.jwksUrl, mock.issuer, SEED.clientId, nonce, tokens.id_token as string, tokens.access_token]);
      return { verdict: JSON.parse(out) as Verdict, tokens: { ...tokens } };
    }

    it('with the switch off, authlib accepts the ID token and its at_hash', async () => {
      const { verdict, tokens } = await authlibVerdict();
      assert.equal(verdict.refused, undefined, JSON.stringify(verdict));
      assert.deepEqual([verdict.claims?.iss, verdict.claims?.sub, verdict.claims?.aud], [mock.issuer, 'alice', SEED.clientId]);
      // at_hash was there to check, and is the access token's.
      assert.equal(verdict.claims?.at_hash, atHash(tokens.access_token as string));
    });

    it('with the switch on, authlib raises its at_hash error; the next ID token passes again', async () => {
      mock.misbehave('id_token.at_hash_wrong');
      const bad = await authlibVerdict();
      const { refused } = bad.verdict;
      assert.ok(refused, JSON.stringify(bad.verdict));
      assert.deepEqual([refused.error, refused.claim], ['invalid_claim', 'at_hash']);
      // "Invalid claim 'at_hash'" before authlib 1.6 (its own error), "Invalid claim: 'at_hash'" after (joserfc's).
      assert.match(refused.description, /^Invalid claim:? 'at_hash'$/);
      const good = await authlibVerdict();
      assert.equal(good.verdict.refused, undefined, JSON.stringify(good.verdict));
    });
  });

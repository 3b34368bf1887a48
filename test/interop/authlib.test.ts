// authlib (Python, an independent implementation), unmodified: the code flow with PKCE and
// nonce, client_secret_basic, ID token verified against the JWKS, then userinfo. The test
// makes a virtualenv in a temp dir (shared with the other authlib test) and pip-installs
// authlib; it is skipped only when there is no python3 at all.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { OAuthMock } from '../../src/index.js';
import { startOidcMock } from './helpers.js';
import { AUTHLIB_PACKAGES, findPython, sharedVenv, type Venv } from './python.js';

const SCRIPT = fileURLToPath(new URL('authlib_flow.py', import.meta.url));

interface AuthlibResult {
  state_checked: boolean;
  claims: Record<string, unknown>;
  token_keys: string[];
  token_type: string;
  userinfo: Record<string, unknown>;
}

describe('interop: authlib (Python)', function () {
  // Creating the venv and installing from PyPI is the slow part; the flow itself is quick.
  this.timeout(300_000);
  let mock: OAuthMock;
  let venv: Venv | undefined;

  before(async function () {
    const python = findPython();
    if (python === undefined) this.skip();
    venv = await sharedVenv(python, AUTHLIB_PACKAGES);
    mock = await startOidcMock();
  });
  after(async () => {
    await mock?.stop();
  });

  it('runs the code flow with client_secret_basic and verifies the ID token', async () => {
    assert.ok(venv);
    const userToken = await mock.mintToken({ user: 'alice' });
    const out = await venv.run(SCRIPT, [mock.issuer, 'client_123', 'client_123-secret-change-me', 'http://localhost:3000/callback', userToken]);
    const result = JSON.parse(out) as AuthlibResult;
    assert.equal(result.state_checked, true);
    assert.equal(result.token_type, 'Bearer');
    assert.deepEqual(result.token_keys, ['access_token', 'expires_at', 'expires_in', 'id_token', 'refresh_token', 'scope', 'token_type']);
    assert.deepEqual([result.claims.iss, result.claims.sub, result.claims.aud, result.claims.azp], [mock.issuer, 'alice', 'client_123', 'client_123']);
    assert.equal(typeof result.claims.nonce, 'string');
    assert.deepEqual(result.userinfo, {
      roles: ['admin', 'user'],
      name: 'Alice Liddell',
      given_name: 'Alice',
      family_name: 'Liddell',
      preferred_username: 'alice',
      updated_at: 1767225600,
      email: 'alice@example.com',
      email_verified: true,
      sub: 'alice',
    });
  });
});

// The control API over HTTP: what a suite in any language drives.
import assert from 'node:assert/strict';
import { startOAuthMock, type OAuthMock } from '../../src/index.js';
import { PROFILES } from '../../src/config/server-options.js';
import { decodeJwt, SEED } from '../helpers/bootstrap.js';
import { assertMatchesSpec, OIDC_SPEC_URL, SPEC_URL } from '../helpers/openapi.js';

const profiles = new WeakMap<OAuthMock, string>();

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function control(
  mock: OAuthMock,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  token: string | null = mock.controlToken ?? null,
  operationId?: string,
): Promise<Answer> {
  const res = await fetch(`${mock.issuer}/_oauth-mock${path}`, {
    method,
    headers: { ...(token !== null ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const answer = { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  if (operationId)
    assertMatchesSpec(operationId, answer.status, answer.body, Object.fromEntries(res.headers), profiles.get(mock) === 'oidc' ? OIDC_SPEC_URL : SPEC_URL);
  return answer;
}

for (const profile of PROFILES) {
  describe(`control API over HTTP (${profile} profile)`, () => {
    let mock: OAuthMock;
    beforeEach(async () => {
      mock = await startOAuthMock({ control: true, profile, alg: 'RS256' });
      profiles.set(mock, profile);
    });
    afterEach(() => mock.stop());

    it('status: real time and nothing pending', async () => {
      const res = await control(mock, 'GET', '/status', undefined, undefined, 'controlStatus');
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.deepEqual(
        { ...res.body, clock: { offsetMs: (res.body.clock as { offsetMs: number }).offsetMs } },
        { clock: { offsetMs: 0 }, faults: [], misbehaviours: [], logins: [] },
      );
    });

    it('clock: advance, set, reset, and tokens follow', async () => {
      let res = await control(mock, 'POST', '/clock/advance', { by: '1h' }, undefined, 'controlClockAdvance');
      assert.equal(res.status, 200);
      assert.equal((res.body.clock as { offsetMs: number }).offsetMs, 3_600_000);
      res = await control(mock, 'POST', '/clock/set', { to: '2031-05-01T00:00:00Z' }, undefined, 'controlClockSet');
      assert.equal((res.body.clock as { now: string }).now.slice(0, 10), '2031-05-01');
      const token = await mock.mintToken({ user: 'alice' });
      assert.ok(Math.abs((decodeJwt(token).payload.iat as number) - Date.UTC(2031, 4, 1) / 1000) < 60);
      res = await control(mock, 'POST', '/clock/reset', undefined, undefined, 'controlClockReset');
      assert.equal((res.body.clock as { offsetMs: number }).offsetMs, 0);
    });

    it('faults: queued, listed, applied on the wire', async () => {
      const res = await control(mock, 'POST', '/faults', { endpoint: 'token', status: 503, times: 2, retryAfter: 1 }, undefined, 'controlAddFault');
      assert.equal(res.status, 201);
      assert.deepEqual(res.body.faults, [{ id: 1, endpoint: 'token', remaining: 2, status: 503, retryAfter: 1 }]);
      const token = await fetch(`${mock.url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      assert.equal(token.status, 503);
      assert.equal(token.headers.get('retry-after'), '1');
      assert.deepEqual(
        mock.faults().map((f) => f.remaining),
        [1],
      );
    });

    it('misbehaviours: queued and applied', async () => {
      const res = await control(mock, 'POST', '/misbehaviours', { name: 'discovery.wrong_issuer', times: 1 }, undefined, 'controlMisbehave');
      assert.equal(res.status, 201);
      assert.deepEqual(res.body.misbehaviours, [{ name: 'discovery.wrong_issuer', remaining: 1 }]);
      const discovery = (await (await fetch(mock.discoveryUrl)).json()) as { issuer: string };
      assert.equal(discovery.issuer, 'https://wrong-issuer.oauth-mock.invalid');
    });

    it('logins: the next authorization request is that user', async () => {
      const res = await control(mock, 'POST', '/logins', { user: 'bob', claims: { acr: 'urn:mfa' } }, undefined, 'controlNextLogin');
      assert.equal(res.status, 201);
      assert.deepEqual(res.body.logins, [{ user: 'bob', claims: { acr: 'urn:mfa' } }]);
      assert.deepEqual(mock.controlStatus().logins, [{ user: 'bob', claims: { acr: 'urn:mfa' } }]);
    });

    it('reset clears the clock, faults, misbehaviours and logins', async () => {
      mock.clock.advance('1d');
      mock.fail('jwks', { drop: true });
      mock.misbehave('id_token.expired');
      mock.nextLogin({ user: 'bob' });
      const res = await control(mock, 'POST', '/reset', undefined, undefined, 'controlReset');
      assert.equal(res.status, 200);
      assert.deepEqual({ ...res.body, clock: (res.body.clock as { offsetMs: number }).offsetMs }, { clock: 0, faults: [], misbehaviours: [], logins: [] });
    });

    it('bad input: 400 invalid_request saying what to fix, and nothing changes', async () => {
      const cases: [string, unknown, RegExp][] = [
        // The oidc profile's error_description has no double quotes (RFC 6749 §5.2): `.` matches either.
        ['/clock/advance', { by: 'soon' }, /cannot read duration .soon./],
        ['/clock/advance', {}, /by is required/],
        ['/clock/set', { to: 'tomorrow' }, /cannot read date .tomorrow./],
        ['/faults', { endpoint: 'nowhere', status: 503 }, /endpoint must be one of/],
        ['/faults', { endpoint: 'token', status: 'x' }, /status must be a whole number/],
        ['/misbehaviours', { name: 'id_token.late' }, /unknown misbehaviour .id_token.late./],
        ['/logins', { user: 'mallory' }, /no user .mallory./],
      ];
      for (const [path, body, message] of cases) {
        const res = await control(mock, 'POST', path, body);
        assert.equal(res.status, 400, path);
        const error =
          profile === 'spec'
            ? (res.body.error as { code: string; message: string })
            : { code: res.body.error as string, message: res.body.error_description as string };
        assert.equal(error.code, 'invalid_request');
        assert.match(error.message, message);
      }
      const status = mock.controlStatus();
      assert.deepEqual([status.clock.offsetMs, status.faults, status.misbehaviours, status.logins], [0, [], [], []]);
    });

    it('without the control token: 401 and nothing changes', async () => {
      const attempts: [string, unknown][] = [
        ['/clock/advance', { by: '1h' }],
        ['/faults', { endpoint: 'token', status: 503 }],
        ['/misbehaviours', { name: 'id_token.expired' }],
        ['/logins', { user: 'bob' }],
        ['/reset', {}],
      ];
      mock.fail('userinfo', { status: 500 });
      for (const [path, body] of attempts) {
        for (const token of [null, 'not-the-control-token', await mock.mintToken({ user: 'alice' })]) {
          const res = await control(mock, 'POST', path, body, token);
          assert.equal(res.status, 401, `${path} with ${token === null ? 'no token' : 'a wrong token'}`);
          assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer realm="oauth-mock"/);
        }
      }
      assert.equal((await control(mock, 'GET', '/status', undefined, null, 'controlStatus')).status, 401);
      assert.equal((await control(mock, 'POST', '/clock/advance', { by: '1h' }, 'wrong', 'controlClockAdvance')).status, 401);
      const status = mock.controlStatus();
      assert.deepEqual([status.clock.offsetMs, status.faults.map((f) => f.endpoint), status.misbehaviours, status.logins], [0, ['userinfo'], [], []]);
    });
  });

  describe(`control API absent without control (${profile} profile)`, () => {
    it('404 on every control path, with or without a token; the controls still work from TypeScript', async () => {
      const mock = await startOAuthMock({ profile });
      profiles.set(mock, profile);
      try {
        assert.equal(mock.controlToken, undefined);
        for (const [method, path] of [
          ['GET', '/status'],
          ['POST', '/clock/advance'],
          ['POST', '/faults'],
          ['POST', '/reset'],
        ] as const) {
          const res = await control(mock, method, path, method === 'POST' ? {} : undefined, 'anything', path === '/status' ? 'controlStatus' : undefined);
          assert.equal(res.status, 404, path);
        }
        mock.clock.advance('1h');
        assert.equal(mock.controlStatus().clock.offsetMs, 3_600_000);
      } finally {
        await mock.stop();
      }
    });
  });
}

describe('control API under an issuer with a path and another host', () => {
  it("is served at the listening URL, under the issuer's path", async () => {
    const mock = await startOAuthMock({ control: true, issuer: 'https://auth.test/tenant-a' });
    try {
      assert.equal(mock.controlUrl, `${mock.url}/tenant-a/_oauth-mock`);
      const res = await fetch(`${mock.controlUrl}/status`, { headers: { authorization: `Bearer ${mock.controlToken as string}` } });
      assert.equal(res.status, 200);
    } finally {
      await mock.stop();
    }
  });
});

describe("control API: a second mock is not controlled by the first one's token", () => {
  it("401 with another server's control token", async () => {
    const [a, b] = await Promise.all([startOAuthMock({ control: true }), startOAuthMock({ control: true })]);
    try {
      assert.notEqual(a.controlToken, b.controlToken);
      const res = await control(b, 'POST', '/clock/advance', { by: '1h' }, a.controlToken ?? null);
      assert.equal(res.status, 401);
      assert.equal(b.controlStatus().clock.offsetMs, 0);
      assert.equal(SEED.clientId, 'client_123');
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});

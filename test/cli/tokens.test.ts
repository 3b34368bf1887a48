import assert from 'node:assert/strict';
import { join } from 'node:path';
import supertest from 'supertest';
import { createApp } from '../../src/app.js';
import { BODY_LIMIT, DEFAULT_TTLS } from '../../src/config/defaults.js';
import { loadFixtures } from '../../src/store/fixtures.js';
import { createStore } from '../../src/store/index.js';
import { ensureKeys } from '../../src/tokens/keys.js';
import type { Store } from '../../src/store/types.js';
import { authorizeQuery, codeExchange, decodeJwt, ISSUER, SEED } from '../helpers/bootstrap.js';
import { cliDirs, runCli } from '../helpers/run-cli.js';

// The CLI signs with the store's key for the issuer the store records (none yet: the
// default http://127.0.0.1:9400), so an app on the same file with that issuer is "the server".
describe('oauth-mock tokens', () => {
  const dirs = cliDirs();
  after(() => dirs.cleanup());
  let cwd: string;
  let db: string;
  let store: Store | undefined;
  const cli = (...argv: string[]) => runCli([...argv, '--db', db], { cwd });
  const mint = async (...argv: string[]) => {
    const res = await cli('tokens', 'mint', ...argv);
    assert.equal(res.code, 0, res.stderr);
    return res.stdout.trim();
  };
  /** The server, on the same store file the CLI writes. */
  const server = async () => {
    store = await createStore({ path: db, seed: () => loadFixtures() });
    await ensureKeys(store, { alg: 'HS256' }, Math.floor(Date.now() / 1000));
    const app = createApp({ store, config: { issuer: ISSUER, basePath: '', alg: 'HS256', ttl: { ...DEFAULT_TTLS }, bodyLimit: BODY_LIMIT } });
    return supertest(app.callback());
  };
  /** authorize + token over HTTP for client_123 with a CLI-minted user token. */
  const flow = async (agent: ReturnType<typeof supertest>) => {
    const userToken = await mint('--user', 'alice');
    const auth = await agent.get(`/oauth/authorize?${authorizeQuery()}`).set('Authorization', `Bearer ${userToken}`);
    assert.equal(auth.status, 302);
    const code = new URL(auth.headers.location as string).searchParams.get('code');
    const res = await agent.post('/oauth/token').send(codeExchange(code));
    assert.equal(res.status, 200);
    return res.body.data as { access_token: string; refresh_token: string; id_token: string };
  };
  beforeEach(() => {
    cwd = dirs.make();
    db = join(cwd, 'db.json');
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  describe('mint', () => {
    it("prints only a user token that the server's authorize accepts", async () => {
      const res = await cli('tokens', 'mint', '--user', 'alice');
      assert.deepEqual([res.code, res.stderr], [0, '']);
      assert.match(res.stdout, /^[\w-]+\.[\w-]+\.[\w-]+\n$/);
      const { header, payload } = decodeJwt(res.stdout.trim());
      assert.deepEqual([header.typ, payload.sub, payload.iss, payload.aud], ['user+jwt', 'alice', ISSUER, ISSUER]);
      const agent = await server();
      const auth = await agent.get(`/oauth/authorize?${authorizeQuery()}`).set('Authorization', `Bearer ${res.stdout.trim()}`);
      assert.equal(auth.status, 302);
    });

    it("mints an access token that userinfo accepts like its own, with the client's scope by default", async () => {
      const res = await cli(
        'tokens',
        'mint',
        '--user',
        'alice',
        '--kind',
        'access',
        '--client',
        'client_123',
        '--ttl',
        '15m',
        '--claim',
        'tenant=acme',
        '--json',
      );
      assert.equal(res.code, 0, res.stderr);
      const out = JSON.parse(res.stdout) as { token: string; kind: string; claims: Record<string, unknown>; expires_at: string };
      assert.deepEqual(Object.keys(out), ['token', 'kind', 'claims', 'expires_at']);
      assert.equal(out.kind, 'access');
      const { claims } = out;
      assert.deepEqual(
        [claims.scope, claims.client_id, claims.aud, claims.tenant, claims.roles],
        ['openid profile email', 'client_123', 'client_123', 'acme', ['admin', 'user']],
      );
      assert.equal((claims.exp as number) - (claims.iat as number), 900);
      assert.equal(out.expires_at, new Date((claims.exp as number) * 1000).toISOString());
      const agent = await server();
      const info = await agent.get('/oauth/userinfo').set('Authorization', `Bearer ${out.token}`);
      assert.equal(info.status, 200);
      assert.equal(info.body.data.sub, 'alice');
      assert.equal(info.body.data.email, 'alice@example.com');
    });

    it('mints an ID token for a client with a nonce and a resource-bound access token', async () => {
      const id = decodeJwt(await mint('--user', 'bob', '--kind', 'id', '--client', 'spa_public', '--nonce', 'n-1'));
      assert.deepEqual([id.header.typ, id.payload.aud, id.payload.azp, id.payload.nonce, id.payload.sub], ['JWT', 'spa_public', 'spa_public', 'n-1', 'bob']);
      const at = decodeJwt(
        await mint('--user', 'bob', '--kind', 'access', '--client', 'client_123', '--scope', 'openid', '--resource', 'https://api.example.com'),
      );
      assert.deepEqual([at.payload.aud, at.payload.scope], ['https://api.example.com', 'openid']);
    });

    const failures: [string, string[], number, string][] = [
      ['an unknown user', ['--user', 'zed'], 1, 'error: no user "zed" in DB (known: alice, bob); add one with: oauth-mock users add zed\n'],
      ['an unknown client', ['--user', 'alice', '--kind', 'access', '--client', 'nope'], 1, 'error: no client "nope" in DB (known: client_123, spa_public)\n'],
      [
        'a scope the client may not have',
        ['--user', 'alice', '--kind', 'access', '--client', 'client_123', '--scope', 'admin'],
        1,
        'error: client client_123 may not have scope admin (allowed: openid profile email)\n',
      ],
      [
        'a resource the client may not target',
        ['--user', 'alice', '--kind', 'access', '--client', 'spa_public', '--resource', 'https://other.example'],
        1,
        'error: resource https://other.example is not allowed for client spa_public; allowed: https://api.example.com\n',
      ],
      [
        '--kind access without --client',
        ['--user', 'alice', '--kind', 'access'],
        2,
        'error: --kind access needs --client ID: the token is issued to a client (its client_id)\n',
      ],
      ['--kind id without --client', ['--user', 'alice', '--kind', 'id'], 2, 'error: --kind id needs --client ID: the token is issued to a client (its aud)\n'],
      ['--scope on a user token', ['--user', 'alice', '--scope', 'openid'], 2, 'error: --scope applies to access tokens only, not to a user token\n'],
      [
        '--scope on an ID token',
        ['--user', 'alice', '--kind', 'id', '--client', 'client_123', '--scope', 'openid'],
        2,
        'error: --scope applies to access tokens only, not to an ID token\n',
      ],
      [
        '--client on a user token',
        ['--user', 'alice', '--client', 'client_123'],
        2,
        'error: --client applies to access and ID tokens only, not to a user token\n',
      ],
      [
        '--nonce on an access token',
        ['--user', 'alice', '--kind', 'access', '--client', 'client_123', '--nonce', 'n'],
        2,
        'error: --nonce applies to ID tokens only, not to an access token\n',
      ],
      ['a bad --ttl', ['--user', 'alice', '--ttl', 'soon'], 2, 'error: --ttl soon is not a duration; use e.g. 90s, 15m, 2h or 1d\n'],
    ];
    for (const [name, argv, code, stderr] of failures) {
      it(`answers ${name} with exit ${code} and one line`, async () => {
        const res = await cli('tokens', 'mint', ...argv);
        assert.deepEqual([res.code, res.stdout, res.stderr], [code, '', stderr.replace('DB', db)]);
      });
    }

    it('rejects an unknown --kind and a missing --user as usage errors (exit 2)', async () => {
      const kind = await cli('tokens', 'mint', '--user', 'alice', '--kind', 'refresh');
      assert.equal(kind.code, 2);
      assert.match(kind.stderr, /^error: option '--kind <kind>' argument 'refresh' is invalid\. Allowed choices are user, access, id\./);
      const user = await cli('tokens', 'mint');
      assert.equal(user.code, 2);
      assert.match(user.stderr, /^error: required option '-u, --user <id>' not specified/);
    });
  });

  describe('decode', () => {
    it('shows header, claims with readable times, and whether it expired', async () => {
      const token = await mint('--user', 'alice', '--kind', 'access', '--client', 'client_123');
      const res = await cli('tokens', 'decode', token);
      assert.equal(res.code, 0);
      assert.match(res.stdout, /^kind: {4}access token\nheader: {2}\{"alg":"HS256","typ":"at\+jwt"\}\nclaims:\n/);
      assert.match(res.stdout, /\n {2}exp {9}\d+ {2}\d{4}-\d\d-\d\dT[\d:.]+Z \(in (59m \d+s|1h)\)\n/);
      assert.match(res.stdout, /\nstatus: {2}not expired \(signature not checked; use tokens verify\)\n$/);
      const json = JSON.parse((await cli('tokens', 'decode', token, '--json')).stdout) as Record<string, unknown>;
      assert.deepEqual(Object.keys(json), ['kind', 'header', 'claims', 'times', 'expired']);
      assert.deepEqual([json.kind, json.expired], ['access', false]);
    });

    it('says an expired token is expired, and describes a refresh token', async () => {
      const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const expired = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: 'x', exp: 1_000_000 })}.sig`;
      const res = await cli('tokens', 'decode', expired, '--json');
      assert.deepEqual(JSON.parse(res.stdout), {
        kind: 'id',
        header: { alg: 'HS256', typ: 'JWT' },
        claims: { sub: 'x', exp: 1_000_000 },
        times: { exp: '1970-01-12T13:46:40.000Z' },
        expired: true,
      });
      const human = await cli('tokens', 'decode', expired);
      assert.match(human.stdout, /\nstatus: {2}expired /);
      const refresh = `rt1.${'g'.repeat(22)}.3.${'m'.repeat(43)}`;
      assert.deepEqual(JSON.parse((await cli('tokens', 'decode', refresh, '--json')).stdout), { kind: 'refresh', grant_id: 'g'.repeat(22), generation: 3 });
    });

    it('answers garbage with exit 1', async () => {
      const res = await cli('tokens', 'decode', 'not-a-token');
      assert.deepEqual([res.code, res.stdout, res.stderr], [1, '', 'error: this is not a JWT (a JWT has three dot-separated parts)\n']);
    });
  });

  describe('verify, revoke and list', () => {
    it('verifies each kind, and fails with the reason (exit 1) once tampered', async () => {
      for (const [argv, kind] of [
        [[], 'user'],
        [['--kind', 'access', '--client', 'client_123'], 'access'],
        [['--kind', 'id', '--client', 'client_123'], 'id'],
      ] as const) {
        const token = await mint('--user', 'alice', ...argv);
        const res = await cli('tokens', 'verify', token, '--json');
        assert.equal(res.code, 0, res.stderr);
        const verdict = JSON.parse(res.stdout) as { valid: boolean; kind: string; claims: { sub: string } };
        assert.deepEqual([verdict.valid, verdict.kind, verdict.claims.sub], [true, kind, 'alice']);
      }
      const token = await mint('--user', 'alice', '--kind', 'access', '--client', 'client_123');
      const human = await cli('tokens', 'verify', token);
      assert.match(human.stdout, /^valid access token for alice \(client client_123\), expires \d{4}-.*Z \(in .*\)\n$/);
      const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
      const bad = await cli('tokens', 'verify', tampered);
      assert.deepEqual([bad.code, bad.stdout, bad.stderr], [1, '', 'error: invalid access token: the token signature does not verify\n']);
      const badJson = await cli('tokens', 'verify', tampered, '--json');
      assert.equal(badJson.code, 1);
      assert.deepEqual(JSON.parse(badJson.stdout), { valid: false, kind: 'access', reason: 'the token signature does not verify' });
    });

    it('refuses a token whose crit header names an extension it does not understand (RFC 7515 §4.1.11), exit 1', async () => {
      await mint('--user', 'alice');
      const { createStore: open } = await import('../../src/store/index.js');
      const opened = await open({ path: db });
      const secret = opened.read().meta.secret as string;
      await opened.close();
      const token = await mint('--user', 'alice');
      const [, payload] = token.split('.');
      const input = `${Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'user+jwt', crit: ['urn:example:ext'], 'urn:example:ext': 1 })).toString('base64url')}.${payload}`;
      const { createHmac } = await import('node:crypto');
      const forged = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
      const res = await cli('tokens', 'verify', forged, '--json');
      assert.equal(res.code, 1);
      assert.deepEqual(JSON.parse(res.stdout), {
        valid: false,
        kind: 'user',
        reason: "the token's crit header lists extensions this server does not understand (urn:example:ext); RFC 7515 §4.1.11",
      });
    });

    it('prints the JSON verdict for garbage with --json (exit 1)', async () => {
      const res = await cli('tokens', 'verify', 'garbage', '--json');
      assert.equal(res.code, 1);
      assert.deepEqual(JSON.parse(res.stdout), { valid: false, kind: 'unknown', reason: 'this is not a JWT (a JWT has three dot-separated parts)' });
      assert.equal(res.stderr, 'error: invalid token: this is not a JWT (a JWT has three dot-separated parts)\n');
    });

    it('revokes an access token the server then refuses, and lists it as denylisted', async () => {
      const token = await mint('--user', 'alice', '--kind', 'access', '--client', 'client_123');
      const { jti } = decodeJwt(token).payload as { jti: string };
      const res = await cli('tokens', 'revoke', token);
      assert.deepEqual([res.code, res.stdout, res.stderr], [0, '', `✔ revoked access token ${jti} (denylisted until it expires)\n`]);
      const again = await cli('tokens', 'revoke', token, '--json');
      assert.equal(again.code, 1);
      assert.deepEqual(JSON.parse(again.stdout), { revoked: false, reason: 'the access token is already revoked' });
      assert.equal(again.stderr, 'error: nothing revoked: the access token is already revoked\n');
      const verify = await cli('tokens', 'verify', token);
      assert.deepEqual([verify.code, verify.stderr], [1, 'error: invalid access token: the access token has been revoked\n']);
      const agent = await server();
      assert.equal((await agent.get('/oauth/userinfo').set('Authorization', `Bearer ${token}`)).status, 401);
      const list = JSON.parse((await cli('tokens', 'list', '--json')).stdout) as { denylist: { jti: string }[] };
      assert.deepEqual(
        list.denylist.map((d) => d.jti),
        [jti],
      );
    });

    it('lists, verifies and revokes a refresh-token family the server issued', async () => {
      const agent = await server();
      const issued = await flow(agent);
      const [, grantId] = issued.refresh_token.split('.');
      const list = JSON.parse((await cli('tokens', 'list', '--json')).stdout) as { refresh_families: Record<string, unknown>[]; denylist: unknown[] };
      assert.equal(list.refresh_families.length, 1);
      assert.deepEqual(
        { ...list.refresh_families[0], expires_at: undefined },
        { grant_id: grantId, client_id: 'client_123', user_id: 'alice', scope: 'openid profile email', generation: 0, expires_at: undefined },
      );
      assert.deepEqual(list.denylist, []);
      const human = await cli('tokens', 'list');
      assert.match(human.stdout, /^Refresh-token families \(1 live\)\nGRANT +CLIENT +USER +GEN +SCOPE +EXPIRES\n/);

      const ok = await cli('tokens', 'verify', issued.refresh_token, '--json');
      assert.equal(ok.code, 0, ok.stderr);
      const revoked = await cli('tokens', 'revoke', issued.refresh_token, '--json');
      assert.deepEqual([revoked.code, JSON.parse(revoked.stdout)], [0, { revoked: 'refresh_token', grantId }]);
      // The server sees it at once: the access token from that grant is refused too.
      assert.equal((await agent.get('/oauth/userinfo').set('Authorization', `Bearer ${issued.access_token}`)).status, 401);
      const refresh = await agent
        .post('/oauth/token')
        .send({ grant_type: 'refresh_token', refresh_token: issued.refresh_token, client_id: SEED.clientId, client_secret: SEED.secret });
      assert.equal(refresh.status, 400);
      assert.equal(refresh.body.error.code, 'invalid_grant');
      const dead = await cli('tokens', 'verify', issued.refresh_token);
      assert.deepEqual([dead.code, dead.stderr], [1, 'error: invalid refresh token: its refresh-token family has been revoked\n']);
      const none = JSON.parse((await cli('tokens', 'list', '--json')).stdout) as { refresh_families: unknown[] };
      assert.deepEqual(none.refresh_families, []);
    });

    it('says a rotated refresh token would revoke its family', async () => {
      const agent = await server();
      const issued = await flow(agent);
      const rotated = await agent
        .post('/oauth/token')
        .send({ grant_type: 'refresh_token', refresh_token: issued.refresh_token, client_id: SEED.clientId, client_secret: SEED.secret });
      assert.equal(rotated.status, 200);
      const res = await cli('tokens', 'verify', issued.refresh_token);
      assert.deepEqual(
        [res.code, res.stderr],
        [1, 'error: invalid refresh token: it was rotated; presenting it again would revoke its whole family (RFC 9700 §4.14.2)\n'],
      );
    });

    it('will not revoke a user token (exit 1 with the reason)', async () => {
      const token = await mint('--user', 'alice');
      const res = await cli('tokens', 'revoke', token);
      assert.deepEqual([res.code, res.stderr], [1, 'error: nothing revoked: this is not an access token (typ user+jwt)\n']);
    });
  });
});

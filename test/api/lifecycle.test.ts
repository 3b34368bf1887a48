import { createHmac } from 'node:crypto';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOAuthMock, type OAuthMock } from '../../src/index.js';
import { decodeJwt } from '../helpers/bootstrap.js';
import { codeFlow, getJson } from '../http/helpers.js';

const CHILD = new URL('./fixtures/start-stop.ts', import.meta.url).pathname;

function listenOn(port: number): Promise<void> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

describe('mock lifecycle', () => {
  it('stop() frees the port, can be called twice, and later calls fail plainly', async () => {
    const mock = await startOAuthMock();
    const { port } = mock;
    await assert.rejects(listenOn(port), { code: 'EADDRINUSE' });
    await Promise.all([mock.stop(), mock.stop()]);
    await mock.stop();
    await listenOn(port);
    await assert.rejects(mock.mintToken({ user: 'alice' }), { message: 'store is closed' });
    await assert.rejects(fetch(mock.discoveryUrl));
  });

  it('a process that starts and stops mocks exits by itself (no timers or sockets left)', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => void (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => void (err += chunk.toString()));
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (c, s) => resolve([c, s])));
    assert.deepEqual({ code, signal, err }, { code: 0, signal: null, err: '' });
    assert.match(out, /^stopped \d+ \d+\n$/);
  });

  it('fails to start on a port in use, and leaves nothing open', async () => {
    const first = await startOAuthMock();
    try {
      await assert.rejects(startOAuthMock({ port: first.port }), { name: 'Error', message: new RegExp(`port ${first.port} on 127.0.0.1 is already in use`) });
    } finally {
      await first.stop();
    }
  });

  it('refuses a short HS256 secret before listening', async () => {
    await assert.rejects(startOAuthMock({ secret: 'short' }), { name: 'RangeError', message: /at least 32 bytes/ });
  });

  it('uses the given secret, issuer and base path', async () => {
    const secret = 'x'.repeat(32);
    const mock = await startOAuthMock({ secret, issuer: 'https://auth.test/', basePath: 'auth' });
    try {
      assert.equal(mock.secret, secret);
      assert.equal(mock.issuer, 'https://auth.test/', 'exactly as given');
      const res = await getJson(mock, '/.well-known/openid-configuration', 'openidConfiguration');
      assert.equal(res.body.token_endpoint, 'https://auth.test/auth/oauth/token');
      assert.equal(decodeJwt(await mock.mintToken({ user: 'bob' })).payload.iss, 'https://auth.test/');
    } finally {
      await mock.stop();
    }
  });
});

describe('mock data: fixtures, users, clients, reset, revoke', () => {
  let dir: string;
  let mock: OAuthMock;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'oauth-mock-api-'));
    writeFileSync(join(dir, 'users.json'), JSON.stringify([{ id: 'dana', email: 'dana@example.com' }]));
    writeFileSync(
      join(dir, 'clients.json'),
      JSON.stringify([{ id: 'web', secret: 'web-secret', redirect_uris: ['http://localhost/cb'], scopes: ['openid', 'email'] }]),
    );
    mock = await startOAuthMock({ fixtures: dir, users: [{ id: 'erin', claims: { roles: ['qa'] } }] });
  });
  after(async () => {
    await mock.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts from the fixtures directory plus the users and clients passed', async () => {
    for (const user of ['dana', 'erin']) assert.equal(decodeJwt(await mock.mintToken({ user })).payload.sub, user);
    await assert.rejects(mock.mintToken({ user: 'alice' }), { name: 'MintError', message: 'no user "alice" (known: dana, erin)' });
    assert.equal(decodeJwt(await mock.mintToken({ user: 'erin', kind: 'access', client: 'web' })).payload.client_id, 'web');
  });

  it('validates users and clients when they are added', async () => {
    await assert.rejects(mock.addUser({ id: '' }), /every user needs a non-empty string "id"/);
    await assert.rejects(mock.addClient({ id: 'c', redirect_uris: ['http://x/cb'], scopes: [] }), /confidential client c needs a "secret"/);
    await mock.addClient({ id: 'spa', redirect_uris: ['http://x/cb'], scopes: ['openid'], public: true });
    assert.equal(decodeJwt(await mock.mintToken({ user: 'dana', kind: 'id', client: 'spa' })).payload.aud, 'spa');
  });

  it('reset() returns to the starting users and clients and keeps the keys', async () => {
    const secret = mock.secret;
    await mock.addUser({ id: 'frank' });
    await mock.reset();
    await assert.rejects(mock.mintToken({ user: 'frank' }), { name: 'MintError' });
    await assert.rejects(mock.mintToken({ user: 'dana', kind: 'id', client: 'spa' }), { name: 'MintError', message: /no client "spa"/ });
    // The secret did not change: the store's key still signs, and the server still accepts it.
    // (Tokens issued before the reset are refused: test/api/reset.test.ts.)
    const after = await mock.mintToken({ user: 'erin' });
    const [header, payload, signature] = after.split('.');
    assert.equal(
      createHmac('sha256', secret as string)
        .update(`${header}.${payload}`)
        .digest('base64url'),
      signature,
      'signed with the secret the app was given',
    );
    const res = await fetch(`${mock.url}/oauth/authorize?client_id=web`, { headers: { authorization: `Bearer ${after}` }, redirect: 'manual' });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'invalid_request', 'past the user-token check: redirect_uri is missing');
  });

  it('reset() reads a fixture file again once it changed on disk, and not a data change made in between', async () => {
    await mock.reset();
    const users = join(dir, 'users.json');
    const before = readFileSync(users, 'utf8');
    try {
      // Same size, other content: only the file's stamp (mtime, inode) says it changed.
      writeFileSync(`${users}.new`, before.replace('dana', 'gina'));
      renameSync(`${users}.new`, users);
      await mock.reset();
      assert.equal(decodeJwt(await mock.mintToken({ user: 'gina' })).payload.sub, 'gina');
      await assert.rejects(mock.mintToken({ user: 'dana' }), { name: 'MintError', message: 'no user "dana" (known: gina, erin)' });
      await mock.addUser({ id: 'hal' });
      await mock.reset();
      await assert.rejects(mock.mintToken({ user: 'hal' }), { name: 'MintError', message: 'no user "hal" (known: gina, erin)' });
      writeFileSync(users, 'not json');
      await assert.rejects(mock.reset(), { message: `${users} is not valid JSON` });
    } finally {
      writeFileSync(users, before);
    }
    await mock.reset();
    assert.equal(decodeJwt(await mock.mintToken({ user: 'dana' })).payload.sub, 'dana');
  });
});

describe('mock.revoke', () => {
  let mock: OAuthMock;
  before(async () => {
    mock = await startOAuthMock();
  });
  after(() => mock.stop());

  it('revokes an access token, a refresh token (with its grant) and a user token, each once', async () => {
    const first = await codeFlow(mock);
    assert.equal(await mock.revoke(first.access_token as string), 'access_token');
    assert.equal(await mock.revoke(first.access_token as string), false);
    const refused = await getJson(mock, '/oauth/userinfo', 'userinfo', { authorization: `Bearer ${first.access_token}` });
    assert.deepEqual(refused.body, { success: false, error: { code: 'invalid_token', message: 'the access token has been revoked' } });

    const second = await codeFlow(mock);
    assert.equal(await mock.revoke(second.refresh_token as string), 'refresh_token');
    const family = await getJson(mock, '/oauth/userinfo', 'userinfo', { authorization: `Bearer ${second.access_token}` });
    assert.equal(family.status, 401);

    const userToken = await mock.mintToken({ user: 'bob' });
    assert.equal(await mock.revoke(userToken), 'user_token');
    const res = await fetch(`${mock.url}/oauth/authorize?client_id=client_123`, { headers: { authorization: `Bearer ${userToken}` }, redirect: 'manual' });
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), { success: false, error: { code: 'invalid_token', message: 'the user token has been revoked' } });
  });

  it("answers false for garbage, an ID token, and another server's token", async () => {
    const other = await startOAuthMock();
    try {
      const foreign = await other.mintToken({ user: 'alice', kind: 'access', client: 'client_123' });
      const idToken = await mock.mintToken({ user: 'alice', kind: 'id', client: 'client_123' });
      for (const token of ['garbage', 'rt1.aaaaaaaaaaaaaaaa.0.' + 'a'.repeat(43), idToken, foreign]) assert.equal(await mock.revoke(token), false, token);
    } finally {
      await other.stop();
    }
  });
});

describe('startOAuthMock with a store file', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'oauth-mock-api-file-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps users and its secret in the file across mocks', async () => {
    const path = join(dir, 'db.json');
    const first = await startOAuthMock({ store: { path } });
    await first.addUser({ id: 'gina' });
    const secret = first.secret;
    await first.stop();
    const second = await startOAuthMock({ store: { path } });
    try {
      assert.equal(second.secret, secret);
      assert.equal(decodeJwt(await second.mintToken({ user: 'gina' })).payload.sub, 'gina');
    } finally {
      await second.stop();
    }
  });
});

// The store's promise under a crash: a grant whose token response the client received
// survives `kill -9` of the server and a restart. Tokens are issued by concurrent clients
// (so commits are grouped), the server is SIGKILLed mid-load, and every refresh token the
// clients hold must still redeem (RFC 6749 §6) on the restarted server.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authorizeQuery, codeExchange, SEED } from '../helpers/bootstrap.js';
import { assertMatchesSpec } from '../helpers/openapi.js';
import { spawnCli, startServerProcess, type ServerProcess } from '../helpers/run-cli.js';

// Fixed, so the user token names the same issuer before and after the restart (new port).
const ISSUER = 'http://oauth-mock.durability.test';
const CLIENTS = 8;

interface Family {
  /** The newest refresh token whose response arrived. */
  refreshToken: string;
  /** A request on this family was sent and never answered: its outcome is unknown. */
  inFlight: boolean;
}

async function postToken(
  url: string,
  body: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown>; headers: Record<string, string> }> {
  const res = await fetch(`${url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: Object.fromEntries(res.headers) };
}

const refreshBody = (refreshToken: string) => ({
  grant_type: 'refresh_token',
  refresh_token: refreshToken,
  client_id: SEED.clientId,
  client_secret: SEED.secret,
});

/** One client: authorize + token, then a refresh, over and over until the server dies. */
async function clientLoop(url: string, userToken: string, families: Family[]): Promise<void> {
  for (;;) {
    let family: Family | undefined;
    try {
      const auth = await fetch(`${url}/oauth/authorize?${authorizeQuery()}`, { headers: { authorization: `Bearer ${userToken}` }, redirect: 'manual' });
      assert.equal(auth.status, 302);
      const code = new URL(auth.headers.get('location') ?? '').searchParams.get('code') ?? '';
      const issued = await postToken(url, codeExchange(code));
      assert.equal(issued.status, 200, JSON.stringify(issued.body));
      family = { refreshToken: (issued.body.data as { refresh_token: string }).refresh_token, inFlight: false };
      families.push(family);
      // Rotate once: a rotation, too, must survive once its response is in.
      family.inFlight = true;
      const rotated = await postToken(url, refreshBody(family.refreshToken));
      assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
      family.refreshToken = (rotated.body.data as { refresh_token: string }).refresh_token;
      family.inFlight = false;
    } catch (error) {
      // The server was killed: connection errors end the loop; anything else is a failure.
      if (error instanceof assert.AssertionError) throw error;
      return;
    }
  }
}

describe('durability: kill -9 under load', function () {
  // A SIGKILLed holder leaves the cross-process lock behind; the restart takes it over once
  // it is stale (proper-lockfile, 3 s).
  this.timeout(90_000);
  let dir: string;
  let server: ServerProcess | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'oauth-mock-durability-'));
  });

  afterEach(async () => {
    await server?.stop();
    server = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('every refresh token whose response was received still works after SIGKILL and restart', async () => {
    const db = join(dir, 'db.json');
    const args = ['--db', db, '--issuer', ISSUER, '--quiet'];
    server = await startServerProcess(args, { cwd: dir });
    const minted = await spawnCli(['tokens', 'mint', '--user', 'alice', '--db', db], { cwd: dir });
    assert.equal(minted.code, 0, minted.stderr);
    const userToken = minted.stdout.trim();

    const families: Family[] = [];
    let loopsEnded = false;
    const loops = Promise.all(Array.from({ length: CLIENTS }, () => clientLoop(server!.url, userToken, families))).finally(() => {
      loopsEnded = true;
    });
    // Kill while requests are in flight, once a good number of grants were answered.
    while (families.filter((f) => !f.inFlight).length < 40 && !loopsEnded) await new Promise((resolve) => setTimeout(resolve, 10));
    if (loopsEnded) await loops; // surfaces a client's failed assertion
    assert.equal(loopsEnded, false, 'the clients stopped before the kill');
    const killed = new Promise((resolve) => server!.child.once('exit', resolve));
    server.child.kill('SIGKILL');
    await killed;
    await loops;
    server = undefined;

    const received = families.filter((f) => !f.inFlight);
    assert.ok(received.length >= 40, `only ${received.length} families were received`);

    server = await startServerProcess(args, { cwd: dir });
    const failures: string[] = [];
    for (const family of received) {
      const res = await postToken(server.url, refreshBody(family.refreshToken));
      assertMatchesSpec('token', res.status, res.body, res.headers);
      if (res.status !== 200) failures.push(`${family.refreshToken.slice(0, 24)}…: ${res.status} ${JSON.stringify(res.body)}`);
    }
    assert.deepEqual(failures, [], `${failures.length} of ${received.length} received refresh tokens were lost`);
  });
});

import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import supertest from 'supertest';
import { createApp } from '../../src/app.js';
import { BODY_LIMIT, DEFAULT_TTLS } from '../../src/config/defaults.js';
import { loadFixtures } from '../../src/store/fixtures.js';
import { createStore } from '../../src/store/index.js';
import { jwkThumbprint } from '../../src/tokens/key-import.js';
import { DEFAULT_KEY_GRACE, ensureKeys, type SigningAlg } from '../../src/tokens/keys.js';
import { ISSUER } from '../helpers/bootstrap.js';
import { cliDirs, runCli } from '../helpers/run-cli.js';

interface Listed {
  alg: string;
  keys: Array<{ kid: string | null; alg: string; status: string; created_at?: number; retired_at?: number; drop_at?: number; source?: string }>;
}

describe('oauth-mock keys', () => {
  const dirs = cliDirs();
  after(() => dirs.cleanup());
  let cwd: string;
  let db: string;
  const cli = (...argv: string[]) => runCli([...argv, '--db', db], { cwd });
  const list = async (): Promise<Listed> => {
    const res = await cli('keys', 'list', '--json');
    assert.equal(res.code, 0, res.stderr);
    return JSON.parse(res.stdout) as Listed;
  };
  const readMeta = async () => {
    const store = await createStore({ path: db });
    try {
      return structuredClone(store.read().meta);
    } finally {
      await store.close();
    }
  };

  /** A store as a server started with `--alg alg` leaves it. */
  async function serverRan(alg: SigningAlg) {
    const store = await createStore({ path: db, seed: () => loadFixtures() });
    await ensureKeys(store, { alg }, Math.floor(Date.now() / 1000));
    await store.update((tx) => tx.setMeta('alg', alg));
    await store.close();
  }

  beforeEach(() => {
    cwd = dirs.make();
    db = join(cwd, 'db.json');
  });

  it('list: the active RS256 key, public facts only', async () => {
    await serverRan('RS256');
    const listed = await list();
    assert.equal(listed.alg, 'RS256');
    assert.equal(listed.keys.length, 1);
    const [key] = listed.keys;
    assert.equal(key?.alg, 'RS256');
    assert.equal(key?.status, 'active');
    assert.equal(key?.kid, (await readMeta()).keys?.[0]?.kid);
    const text = await cli('keys', 'list');
    assert.equal(text.code, 0);
    assert.match(text.stdout, new RegExp(`^server algorithm: RS256\\n${key?.kid}\\s+RS256\\s+active\\s`));
    assert.doesNotMatch(text.stdout + JSON.stringify(listed), /PRIVATE KEY|private_pem/);
  });

  it('rotate: a new active key; the old one retired, published until its grace ends', async () => {
    await serverRan('ES256');
    const [old] = (await list()).keys;
    const before = Math.floor(Date.now() / 1000);
    const res = await cli('keys', 'rotate', '--json');
    assert.equal(res.code, 0, res.stderr);
    const rotated = JSON.parse(res.stdout) as { alg: string; kid: string; retired: Array<{ kid: string; drop_at: number }> };
    assert.equal(rotated.alg, 'ES256');
    assert.notEqual(rotated.kid, old?.kid);
    assert.equal(rotated.retired.length, 1);
    assert.equal(rotated.retired[0]?.kid, old?.kid);
    assert.ok((rotated.retired[0]?.drop_at ?? 0) >= before + DEFAULT_KEY_GRACE);

    const listed = await list();
    assert.deepEqual(
      listed.keys.map((k) => [k.kid, k.status]),
      [
        [old?.kid, 'retired'],
        [rotated.kid, 'active'],
      ],
    );

    // A server on the store publishes both and signs with the new one.
    const store = await createStore({ path: db });
    try {
      const app = createApp({ store, config: { issuer: ISSUER, basePath: '', alg: 'ES256', ttl: { ...DEFAULT_TTLS }, bodyLimit: BODY_LIMIT } });
      const jwks = (await supertest(app.callback()).get('/.well-known/jwks.json')).body as { keys: Array<{ kid: string }> };
      assert.deepEqual(jwks.keys.map((k) => k.kid).sort(), [old?.kid, rotated.kid].sort());
      assert.equal(app.appContext.keys(store.read()).signing.kid, rotated.kid);
    } finally {
      await store.close();
    }
  });

  it('rotate --grace 2h: the old key is dropped two hours after retirement; plain output prints the new kid', async () => {
    await serverRan('RS256');
    const res = await cli('keys', 'rotate', '--grace', '2h');
    assert.equal(res.code, 0, res.stderr);
    const retired = (await readMeta()).keys?.find((k) => k.retired_at !== undefined);
    assert.equal((retired?.drop_at ?? 0) - (retired?.retired_at ?? 0), 7200);
    assert.equal(res.stdout, `${(await readMeta()).keys?.at(-1)?.kid}\n`);
    assert.match(res.stderr, new RegExp(`retired ${retired?.kid}; published until `));
  });

  it('tokens verify refuses a token whose key is past its grace period, even before the key leaves the store', async () => {
    await serverRan('RS256');
    const minted = await cli('tokens', 'mint', '--user', 'alice');
    assert.equal(minted.code, 0, minted.stderr);
    const token = minted.stdout.trim();
    assert.equal((await cli('tokens', 'verify', token)).code, 0);
    assert.equal((await cli('keys', 'rotate')).code, 0);
    assert.equal((await cli('tokens', 'verify', token)).code, 0, 'still inside the grace period');
    // Time passes: the retired key's drop_at is now in the past, but nothing has pruned it yet.
    const store = await createStore({ path: db });
    try {
      const keys = (store.read().meta.keys ?? []).map((k) => (k.retired_at === undefined ? k : { ...k, drop_at: 1 }));
      await store.update((tx) => tx.setMeta('keys', keys));
    } finally {
      await store.close();
    }
    const res = await cli('tokens', 'verify', token);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /kid/);
  });

  it('rotate --key-file: rotates to a PEM key; its kid is the RFC 7638 thumbprint', async () => {
    await serverRan('RS256');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(join(cwd, 'key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const res = await cli('keys', 'rotate', '--key-file', 'key.pem');
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout, `${jwkThumbprint(privateKey)}\n`);
    assert.deepEqual(
      (await list()).keys.map((k) => k.status),
      ['retired', 'active'],
    );
  });

  for (const [name, content, message] of [
    ['a public key', () => generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }), /public key/],
    [
      'an EC key with --alg RS256',
      () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }),
      /--alg is RS256/,
    ],
  ] as const) {
    it(`rotate --key-file with ${name}: exit 2, store unchanged`, async () => {
      await serverRan('RS256');
      const before = await readMeta();
      writeFileSync(join(cwd, 'bad.pem'), content());
      const res = await cli('keys', 'rotate', '--key-file', 'bad.pem', '--alg', 'RS256');
      assert.equal(res.code, 2);
      assert.match(res.stderr, message);
      assert.equal(res.stdout, '');
      assert.deepEqual(await readMeta(), before);
    });
  }

  it('rotate --alg bogus → exit 2', async () => {
    await serverRan('RS256');
    const res = await cli('keys', 'rotate', '--alg', 'none');
    assert.equal(res.code, 2);
    assert.match(res.stderr, /--alg must be one of HS256, RS256, ES256/);
  });

  it('HS256: list shows the secret without its value; rotate replaces it and warns', async () => {
    await serverRan('HS256');
    const secret = (await readMeta()).secret as string;
    const listed = await list();
    assert.deepEqual(listed.keys, [{ kid: null, alg: 'HS256', status: 'active', source: 'store' }]);
    const res = await cli('keys', 'rotate');
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout, 'HS256\n');
    assert.match(res.stderr, /warning: .*no longer verify/);
    const replaced = (await readMeta()).secret;
    assert.notEqual(replaced, secret);
    assert.doesNotMatch(res.stdout + res.stderr, new RegExp(`${secret}|${replaced}`));
  });

  it('list on a store no server has used yet says so', async () => {
    const res = await runCli(['keys', 'list', '--in-memory'], { cwd });
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout, 'no signing keys yet: start the server once to create them\n');
  });

  it('start --key-file with a missing file → exit 2 before listening', async () => {
    const res = await runCli(['start', '--in-memory', '--port', '0', '--key-file', 'missing.pem'], { cwd });
    assert.equal(res.code, 2);
    assert.match(res.stderr, /cannot read the key file .*missing\.pem: ENOENT/);
  });
});

import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createStore } from '../../src/store/index.js';
import { cliDirs, runCli } from '../helpers/run-cli.js';

/** The HS256 secret kept in the store at `path`. */
async function storedSecret(path: string): Promise<string | undefined> {
  const store = await createStore({ path });
  try {
    return store.read().meta.secret;
  } finally {
    await store.close();
  }
}

describe('oauth-mock init, config and reset', () => {
  const dirs = cliDirs();
  after(() => dirs.cleanup());
  let cwd: string;
  beforeEach(() => {
    cwd = dirs.make();
  });

  describe('init', () => {
    it('writes a config file and fixtures, then refuses to overwrite them without --force', async () => {
      const res = await runCli(['init', '--json'], { cwd });
      assert.equal(res.code, 0, res.stderr);
      const files = [join(cwd, 'oauth-mock.config.json'), join(cwd, 'fixtures', 'users.json'), join(cwd, 'fixtures', 'clients.json')];
      assert.deepEqual(JSON.parse(res.stdout), {
        dir: cwd,
        files,
        config: { port: 9400, host: '127.0.0.1', db: '.oauth-mock/db.json', fixtures: 'fixtures', alg: 'HS256' },
      });
      assert.deepEqual(
        (JSON.parse(readFileSync(files[1] as string, 'utf8')) as { id: string }[]).map((u) => u.id),
        ['alice', 'bob'],
      );
      const again = await runCli(['init'], { cwd });
      assert.deepEqual(
        [again.code, again.stderr],
        [1, 'error: oauth-mock.config.json, fixtures/users.json, fixtures/clients.json already exist; pass --force to overwrite\n'],
      );
      writeFileSync(files[1] as string, '[]');
      const forced = await runCli(['init', '--force'], { cwd });
      assert.equal(forced.code, 0);
      assert.match(forced.stderr, /^✔ wrote oauth-mock\.config\.json, fixtures\/users\.json, fixtures\/clients\.json\n/);
      assert.notEqual(readFileSync(files[1] as string, 'utf8'), '[]');
    });

    it('writes into DIR, and the other commands use that config through --config', async () => {
      const init = await runCli(['init', 'mock', '--db', 'state/db.json'], { cwd });
      assert.equal(init.code, 0, init.stderr);
      writeFileSync(join(cwd, 'mock', 'fixtures', 'users.json'), JSON.stringify([{ id: 'zoe' }]));
      const list = await runCli(['users', 'list', '--json', '--config', 'mock/oauth-mock.config.json'], { cwd });
      assert.equal(list.code, 0, list.stderr);
      assert.deepEqual(
        (JSON.parse(list.stdout) as { id: string }[]).map((u) => u.id),
        ['zoe'],
      );
      // db is relative to the config file.
      assert.ok(existsSync(join(cwd, 'mock', 'state', 'db.json')));
    });
  });

  describe('config', () => {
    it('shows each value with its source: flag > env > config file > default, the secret masked', async () => {
      writeFileSync(join(cwd, 'oauth-mock.config.json'), JSON.stringify({ port: 9500, host: '0.0.0.0', alg: 'RS256', secret: 'x'.repeat(32) }));
      const env = { OAUTH_MOCK_PORT: '9600', OAUTH_MOCK_BASE_PATH: '/auth' };
      const res = await runCli(['config', '--json', '--alg', 'ES256'], { cwd, env });
      assert.equal(res.code, 0, res.stderr);
      const out = JSON.parse(res.stdout) as { config_file: string; settings: Record<string, unknown> };
      const file = join(cwd, 'oauth-mock.config.json');
      assert.equal(out.config_file, file);
      assert.deepEqual(out.settings.port, { value: 9600, source: 'env', from: 'OAUTH_MOCK_PORT' });
      assert.deepEqual(out.settings.basePath, { value: '/auth', source: 'env', from: 'OAUTH_MOCK_BASE_PATH' });
      assert.deepEqual(out.settings.host, { value: '0.0.0.0', source: 'config file', from: file });
      assert.deepEqual(out.settings.alg, { value: 'ES256', source: 'flag' });
      assert.deepEqual(out.settings.secret, { value: '********', source: 'config file', from: file });
      assert.deepEqual(out.settings.issuer, { value: 'http://127.0.0.1:9600', source: 'default', from: 'host and port' });
      assert.deepEqual(out.settings.db, { value: join(cwd, '.oauth-mock/db.json'), source: 'default' });
      const shown = JSON.parse((await runCli(['config', '--json', '--show-secrets'], { cwd })).stdout) as { settings: { secret: { value: string } } };
      assert.equal(shown.settings.secret.value, 'x'.repeat(32));
    });

    it('prints a table for people', async () => {
      const res = await runCli(['config', '--port', '0'], { cwd });
      assert.equal(res.code, 0);
      assert.match(res.stdout, /^SETTING +VALUE +SOURCE\n--port +0 +flag\n--host +127\.0\.0\.1 +default\n/);
      assert.match(res.stdout, /\n--secret +store \(generated once, kept in the store\)\n/);
      assert.match(res.stdout, /\nconfig file: none/);
    });

    const bad: [string, string, string[], number, RegExp][] = [
      ['invalid JSON', '{port:', [], 1, /^error: config file .* is not valid JSON/],
      ['an unknown key', '{"prot": 1}', [], 1, /^error: config file .*: unknown setting "prot"; known: port, host/],
      ['a bad value', '{"port": "abc"}', [], 2, /^error: "port" in the config file must be a port number from 0 to 65535\n$/],
      ['a missing --config file', '{}', ['--config', 'nope.json'], 1, /^error: config file .*nope\.json does not exist\n$/],
    ];
    for (const [name, text, argv, code, message] of bad) {
      it(`answers ${name} with exit ${code} and one line`, async () => {
        writeFileSync(join(cwd, 'oauth-mock.config.json'), text);
        const res = await runCli(['config', ...argv], { cwd });
        assert.equal(res.code, code);
        assert.match(res.stderr, message);
      });
    }
  });

  describe('reset', () => {
    it('needs --yes when not on a terminal (exit 2), then reseeds and keeps the signing secret', async () => {
      const db = join(cwd, 'db.json');
      assert.equal((await runCli(['users', 'add', 'carol', '--db', db], { cwd })).code, 0);
      // Minting makes the store's HS256 secret.
      assert.equal((await runCli(['tokens', 'mint', '--user', 'alice', '--db', db], { cwd })).code, 0);
      const secretBefore = await storedSecret(db);
      const refused = await runCli(['reset', '--db', db], { cwd });
      assert.deepEqual([refused.code, refused.stderr], [2, 'error: reset drops every change made since the store was seeded; pass --yes to confirm\n']);
      const res = await runCli(['reset', '--yes', '--db', db, '--json'], { cwd });
      assert.equal(res.code, 0, res.stderr);
      assert.deepEqual(JSON.parse(res.stdout), { store: db, users: ['alice', 'bob'], clients: ['client_123', 'spa_public'] });
      const users = JSON.parse((await runCli(['users', 'list', '--json', '--db', db], { cwd })).stdout) as { id: string }[];
      assert.deepEqual(
        users.map((u) => u.id),
        ['alice', 'bob'],
      );
      // The secret is kept: a token minted now verifies with it, and the stored secret is the same.
      // (A token minted before the reset is refused once a second has passed: the reset epoch.)
      const after = (await runCli(['tokens', 'mint', '--user', 'alice', '--db', db], { cwd })).stdout.trim();
      assert.equal((await runCli(['tokens', 'verify', after, '--db', db], { cwd })).code, 0);
      assert.equal(await storedSecret(db), secretBefore);
    });

    it('keeps a token revoked before the reset revoked', async () => {
      const db = join(cwd, 'db.json');
      const token = (await runCli(['tokens', 'mint', '--user', 'alice', '--kind', 'access', '--client', 'client_123', '--db', db], { cwd })).stdout.trim();
      assert.equal((await runCli(['tokens', 'revoke', token, '--db', db], { cwd })).code, 0);
      assert.equal((await runCli(['reset', '--yes', '--db', db], { cwd })).code, 0);
      const verify = await runCli(['tokens', 'verify', token, '--db', db, '--json'], { cwd });
      assert.equal(verify.code, 1);
      assert.match(
        (JSON.parse(verify.stdout) as { reason: string }).reason,
        /^the (access token has been revoked|token was issued before the store was reset)$/,
      );
    });

    it('names the file and line of a corrupt journal entry, and reset --yes repairs the store keeping its secret', async () => {
      const db = join(cwd, 'db.json');
      assert.equal((await runCli(['users', 'add', 'carol', '--db', db], { cwd })).code, 0);
      assert.equal((await runCli(['tokens', 'mint', '--user', 'alice', '--db', db], { cwd })).code, 0);
      const secret = await storedSecret(db);
      const lines = readFileSync(`${db}.log`, 'utf8').split('\n').length - 1;
      for (const [bad, why] of [
        ['Garbage\n', /Unexpected token 'G'/],
        ['{"ops":[["x"]]}\n', /bad journal op \["x"\]/],
      ] as const) {
        const journal = readFileSync(`${db}.log`, 'utf8').split('\n').slice(0, lines).join('\n');
        writeFileSync(`${db}.log`, `${journal}\n${bad}`);
        for (const argv of [
          ['users', 'list'],
          ['tokens', 'mint', '--user', 'alice'],
        ]) {
          const res = await runCli([...argv, '--db', db], { cwd });
          assert.equal(res.code, 1);
          assert.match(res.stderr, new RegExp(`^error: Journal ${db}\\.log line ${lines + 1} is not a valid store change \\(`));
          assert.match(res.stderr, why);
          assert.match(
            res.stderr,
            /: fix or remove it, or reseed the store with `oauth-mock reset --yes` \(or start with --reset\); the reseed loses its users, clients and tokens but keeps the signing keys when it can\n$/,
          );
        }
      }
      const reset = await runCli(['reset', '--yes', '--db', db], { cwd });
      assert.deepEqual(
        [reset.code, reset.stderr],
        [0, `✔ reseeded ${db} (it was corrupt; its signing keys were kept): users alice, bob; clients client_123, spa_public\n`],
      );
      const users = await runCli(['users', 'list', '--json', '--db', db], { cwd });
      assert.deepEqual(
        (JSON.parse(users.stdout) as { id: string }[]).map((u) => u.id),
        ['alice', 'bob'],
      );
      assert.equal(await storedSecret(db), secret);
    });

    it('asks on a terminal and does nothing when the answer is no', async () => {
      const db = join(cwd, 'db.json');
      await runCli(['users', 'add', 'carol', '--db', db], { cwd });
      const questions: string[] = [];
      const no = await runCli(['reset', '--db', db], { cwd, interactive: true, confirm: async (q) => (questions.push(q), false) });
      assert.deepEqual([no.code, no.stderr], [1, 'error: reset cancelled\n']);
      assert.equal(questions.length, 1);
      assert.equal((await runCli(['users', 'show', 'carol', '--db', db], { cwd })).code, 0);
      const yes = await runCli(['reset', '--db', db], { cwd, interactive: true, confirm: async () => true });
      assert.equal(yes.code, 0);
      assert.equal((await runCli(['users', 'show', 'carol', '--db', db], { cwd })).code, 1);
    });

    it('reseeds from --fixtures', async () => {
      const fixtures = dirs.make();
      writeFileSync(join(fixtures, 'users.json'), JSON.stringify([{ id: 'only' }]));
      const db = join(cwd, 'db.json');
      const res = await runCli(['reset', '--yes', '--db', db, '--fixtures', fixtures], { cwd });
      assert.deepEqual([res.code, res.stderr], [0, `✔ reseeded ${db}: users only; clients (none)\n`]);
    });
  });
});

// README's "HTTPS" block, run as written: the server in the background, then curl, Node and
// Python requests each trusting the CA the way the block says. Only the port is changed (to
// a free one), and the test waits for the server's ready line before the client lines.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDirs } from '../helpers/temp-dirs.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const BIN = fileURLToPath(new URL('../../bin/oauth-mock.js', import.meta.url));
const dirs = tempDirs('oauth-mock-readme-https-');

function httpsBlock(): string[] {
  const section = README.slice(README.indexOf('\n## HTTPS\n'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(block, 'README has an sh block under ## HTTPS');
  return block.split('\n').filter((line) => line.trim() !== '');
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

describe('README "HTTPS"', function () {
  this.timeout(60_000);
  let server: ChildProcess | undefined;
  after(async () => {
    // Wait for the server to exit before the temp dir goes: it writes its store while stopping.
    if (server && server.exitCode === null && server.signalCode === null) {
      const exited = once(server, 'exit');
      server.kill('SIGTERM');
      await exited;
    }
    dirs.cleanup();
  });

  it('runs as written: curl, Node and Python requests trust the CA and get discovery', async () => {
    const port = await freePort();
    const [start, ...clients] = httpsBlock().map((line) => line.replaceAll('9443', String(port)));
    assert.match(start ?? '', /^oauth-mock start --https --port \d+ &\s+#/);
    assert.equal(clients.length, 4);
    const cwd = dirs.make();
    // `oauth-mock` on PATH, as after `npm install -g` or in an npm script.
    const binDir = join(cwd, 'bin');
    mkdirSync(binDir);
    writeFileSync(join(binDir, 'oauth-mock'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    chmodSync(join(binDir, 'oauth-mock'), 0o755);
    const env = {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OAUTH_MOCK_'))),
      PATH: `${binDir}:${process.env.PATH ?? ''}`,
      NO_COLOR: '1',
    };

    const argv = (start as string).replace(/&.*$/, '').trim().split(/\s+/).slice(1);
    const child = spawn(process.execPath, [BIN, ...argv], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    server = child;
    let stdout = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('\n')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`the server exited ${code}`)));
    });
    const ready = JSON.parse(stdout.split('\n')[0] as string) as { url: string; caPath: string };
    assert.equal(ready.url, `https://127.0.0.1:${port}`);

    const out = await new Promise<string>((resolve, reject) => {
      execFile('bash', ['-euo', 'pipefail', '-c', clients.join('\n')], { cwd, env }, (error, text, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(text),
      );
    });
    // curl prints the document without a newline; node and python each print a status line.
    const match = /^(\{[\s\S]*\})(\d{3})\n(\d{3})\n$/.exec(out);
    assert.ok(match, out);
    assert.equal((JSON.parse(match[1] as string) as { issuer: string }).issuer, `https://127.0.0.1:${port}`);
    assert.deepEqual([match[2], match[3]], ['200', '200']);
    assert.equal(ready.caPath, join(cwd, '.oauth-mock', 'tls', 'ca.pem'));
  });
});

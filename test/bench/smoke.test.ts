// A short run of the bench script (one scenario, one second) to keep it working; the real
// benchmark is `npm run bench`. Nothing here depends on how fast anything was.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RUN = fileURLToPath(new URL('../../bench/run.mjs', import.meta.url));

interface Run {
  scenario: string;
  target: string;
  rate: number;
  errors: number;
  requests: number;
  counts?: { authorize: number; ok: number; errors: number };
}

function runBench(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RUN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('bench smoke (npm run bench, one scenario for one second)', function () {
  this.timeout(60_000);
  let out: string;

  beforeEach(() => {
    out = mkdtempSync(join(tmpdir(), 'oauth-mock-bench-smoke-'));
  });

  afterEach(() => {
    rmSync(out, { recursive: true, force: true });
  });

  const cases = [
    { name: 'discovery with the default generator', args: ['--only', 'discovery', '--targets', 'ours'], scenario: 'discovery' },
    { name: 'the HS256 round trip with autocannon', args: ['--only', 'roundtrip-hs256', '--generator', 'autocannon'], scenario: 'roundtrip-hs256' },
  ];
  for (const c of cases) {
    it(`${c.name}: writes results.json, BENCHMARKS.md and chart.svg`, async () => {
      const { code, stderr } = await runBench([...c.args, '--seconds', '1', '--warmup', '0', '--repeats', '1', '--no-cold', '--out', out]);
      assert.equal(code, 0, stderr);

      const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { runs: Run[]; settings: { generator: string } };
      assert.equal(results.runs.length, 1);
      const [run] = results.runs as [Run];
      assert.equal(run.scenario, c.scenario);
      assert.equal(run.target, 'ours');
      assert.equal(run.errors, 0, stderr);
      assert.ok(run.requests > 0 && run.rate > 0, `no requests were answered: ${JSON.stringify(run)}`);
      if (run.counts) assert.ok(run.counts.ok > 0 && run.counts.authorize > 0, JSON.stringify(run.counts));

      const markdown = readFileSync(join(out, 'BENCHMARKS.md'), 'utf8');
      assert.match(markdown, new RegExp(`\\| ${c.scenario} \\| [\\d,]+ `));
      assert.match(markdown, /## Targets/);
      assert.ok(existsSync(join(out, 'chart.svg')));
      assert.match(readFileSync(join(out, 'chart.svg'), 'utf8'), /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    });
  }
});

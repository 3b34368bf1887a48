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
  this.timeout(120_000);
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

  it('the rows against oauth2-mock-server 9.3 (8.2.3 beside it), the library rows and the RSA ceiling', async () => {
    const { code, stderr } = await runBench([
      '--only',
      'roundtrip-rs256,roundtrip-peer,suite',
      '--generator',
      'autocannon',
      '--suite-runs',
      '1',
      '--suite-iterations',
      '3',
      '--seconds',
      '1',
      '--warmup',
      '0',
      '--repeats',
      '1',
      '--no-cold',
      '--out',
      out,
    ]);
    assert.equal(code, 0, stderr);

    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as {
      runs: Run[];
      suite: { cold: { oursMs: number; peerMs: number }; latency: { oursP50Ms: number; peerP50Ms: number; iterations: number } };
      rsaCeiling: { signsPerSecond: number; roundTripsPerSecond: number };
    };
    assert.deepEqual(
      results.runs.map((r) => `${r.scenario}/${r.target}`),
      ['roundtrip-rs256/ours', 'roundtrip-peer/peer', 'roundtrip-peer/peer8'],
    );
    for (const run of results.runs) {
      assert.equal(run.errors, 0, `${run.scenario}/${run.target}: ${stderr}`);
      assert.ok(run.counts && run.counts.ok > 0, `${run.scenario}/${run.target} completed no round trip: ${JSON.stringify(run)}`);
    }
    const { cold, latency } = results.suite;
    for (const ms of [cold.oursMs, cold.peerMs, latency.oursP50Ms, latency.peerP50Ms]) assert.ok(Number.isFinite(ms) && ms > 0, JSON.stringify(results.suite));
    assert.equal(latency.iterations, 3);
    assert.ok(results.rsaCeiling.signsPerSecond > 0);
    assert.equal(results.rsaCeiling.roundTripsPerSecond, results.rsaCeiling.signsPerSecond / 2);

    const markdown = readFileSync(join(out, 'BENCHMARKS.md'), 'utf8');
    assert.match(markdown, /\| peer \(oauth2-mock-server 9\.3\) \| oauth2-mock-server 8\.2\.3 \|/);
    assert.match(markdown, /\| roundtrip-peer \| — \| — \| [\d,]+ .*\| [\d,]+ /);
    for (const row of [
      /\| round trips\/s, RS256 vs 9\.3 \| [\d.]+× \| ≥ 2× \| (yes|\*\*no\*\*) \|/,
      /\| RS256 round trips\/s vs the two-signature RSA ceiling \([\d,]+\/s[^|]*\| \d+% \| ≥ 80% \| (yes|\*\*no\*\*) \|/,
      /\| `import` \+ `startOAuthMock\(\)` \+ first discovery response, fresh process, vs the same for 9\.3 \| [\d.]+× \| ≤ 0\.5× \| (yes|\*\*no\*\*) \|/,
      /\| `mock\.reset\(\)` \+ one full round trip, one connection, p50 vs 9\.3's round trip \| [\d.]+× \| ≤ 0\.3× \| (yes|\*\*no\*\*) \|/,
    ])
      assert.match(markdown, row);
  });
});

// How many RS256 signatures (RSA-2048, PKCS#1 v1.5, SHA-256, straight through node:crypto)
// one core makes per second: a round trip signs two tokens (access + ID), so half of this is
// the ceiling for RS256 round trips. argv[2]: seconds. Prints {"signsPerSecond":N}.
import { generateKeyPairSync, sign } from 'node:crypto';

const seconds = Number(process.argv[2] ?? 2);
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
// The size of a typical header.payload signing input.
const input = Buffer.from('x'.repeat(600));
for (let i = 0; i < 50; i++) sign('sha256', input, privateKey);
let n = 0;
const t0 = performance.now();
const end = t0 + seconds * 1000;
while (performance.now() < end) {
  for (let i = 0; i < 20; i++) sign('sha256', input, privateKey);
  n += 20;
}
process.stdout.write(`${JSON.stringify({ signsPerSecond: n / ((performance.now() - t0) / 1000) })}\n`);

// Ids, keys and jtis come from a pool of CSPRNG bytes (src/core/random.ts): every byte is handed
// out once, across refills, and the digests match node:crypto's Hash objects.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { digestKey, randomToken, sha256 } from '../../src/core/random.js';

describe('randomToken and the digests', () => {
  it('never hands out the same bytes twice, across several refills of the pool', () => {
    // 5,000 tokens of 32 bytes draw 160 KiB: about 39 refills of the 4 KiB pool.
    const tokens = Array.from({ length: 5000 }, () => randomToken(32));
    assert.equal(new Set(tokens).size, tokens.length);
    for (const token of tokens) assert.match(token, /^[\w-]{43}$/);
    // Token boundaries do not line up with the pool: a 16-byte and a 9-byte draw in between.
    assert.match(randomToken(16), /^[\w-]{22}$/);
    assert.match(randomToken(9), /^[\w-]{12}$/);
  });

  it('serves a draw larger than the pool straight from the CSPRNG', () => {
    const big = Buffer.from(randomToken(5000), 'base64url');
    assert.equal(big.length, 5000);
    assert.notDeepEqual(big, Buffer.alloc(5000));
  });

  it('digests as a SHA-256 Hash object does', () => {
    for (const value of ['', 'code', 'é ü', 'x'.repeat(1000)]) {
      assert.deepEqual(sha256(value), createHash('sha256').update(value).digest());
      assert.equal(digestKey(value), createHash('sha256').update(value).digest('base64url'));
    }
  });
});

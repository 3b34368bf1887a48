import assert from 'node:assert/strict';
import { emptyData } from '../../../src/core/types.js';
import { findExpired } from '../../../src/store/prune.js';
import { code, grant } from './helpers.js';

describe('findExpired', () => {
  it('names exactly the codes, grants and denylist entries expiring at or before now', () => {
    const data = emptyData();
    data.codes = { c1: code(99), c2: code(100), c3: code(101) };
    data.grants = { g1: grant('g1', 100), g2: grant('g2', 1_000) };
    data.denylist = { j1: 50, j2: 100, j3: 100.5 };
    data.users = { u: { id: 'u' } };
    assert.deepEqual(findExpired(data, 100), [
      ['codes', 'c1'],
      ['codes', 'c2'],
      ['grants', 'g1'],
      ['denylist', 'j1'],
      ['denylist', 'j2'],
    ]);
    assert.deepEqual(findExpired(data, 0), []);
  });
});

// queryHas(ctx, name) must say what Object.hasOwn(ctx.query, name) says (Koa decodes the query
// with URLSearchParams), for any query string, without decoding the values.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Context } from 'koa';
import { queryHas } from '../../src/http/params.js';

/** What Koa's ctx.query holds, as far as own names go. */
function koaContext(querystring: string): Context {
  return {
    querystring,
    get query() {
      const out: Record<string, unknown> = {};
      for (const key of new URLSearchParams(querystring).keys()) Object.defineProperty(out, key, { value: '', enumerable: true });
      return out;
    },
  } as unknown as Context;
}

const koaHas = (qs: string, name: string) => Object.hasOwn(koaContext(qs).query, name);

describe('queryHas', () => {
  const cases = [
    '',
    'access_token',
    'access_token=',
    'access_token=x',
    'a=1&access_token=x',
    'a=access_token',
    'xaccess_token=1',
    'access_token2=1',
    'access_tokenx&b=1',
    'acc%65ss_token=1',
    'access%5Ftoken',
    'access_token%00=1',
    'a=%zz&access_token=1',
    'a=%zz',
    '%zz=1',
    'access+token=1',
    '&&access_token',
    'redirect_uri=https%3A%2F%2Fclient.example.com%2Fcallback&scope=openid%20profile&state=s1',
    'state=access_token%3D1',
  ];
  for (const qs of cases) {
    it(`${JSON.stringify(qs)}: ${koaHas(qs, 'access_token')}, as Koa's query says`, () => {
      assert.equal(queryHas(koaContext(qs), 'access_token'), koaHas(qs, 'access_token'));
    });
  }

  it('agrees with Koa on generated query strings', () => {
    const piece = fc.constantFrom('access_token', 'acc', 'ess_token', '%65', '%5F', '%5f', '%', '%zz', '+', '&', '=', 'a', '_', 'x=1', '%26', '%3D');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const qs = pieces.join('');
        assert.equal(queryHas(koaContext(qs), 'access_token'), koaHas(qs, 'access_token'), qs);
      }),
      { numRuns: 2000 },
    );
  });
});

// The one server-options type: defaults applied once, the profile checked in one place.
import assert from 'node:assert/strict';
import { appConfig, DEFAULT_TTLS, startOAuthMock } from '../../src/index.js';
import { resolveServerOptions } from '../../src/config/server-options.js';

describe('resolveServerOptions', () => {
  it('applies every default', () => {
    assert.deepEqual(resolveServerOptions({}), {
      port: 9400,
      host: '127.0.0.1',
      basePath: '',
      alg: 'HS256',
      ttl: DEFAULT_TTLS,
      bodyLimit: 16 * 1024,
      profile: 'spec',
    });
  });

  it('keeps the issuer byte for byte, normalises the base path and merges lifetimes', () => {
    const o = resolveServerOptions({ issuer: 'http://x.test/t//', basePath: 'auth/', ttl: { code: 5 }, port: 0, profile: 'spec' });
    assert.equal(o.issuer, 'http://x.test/t//', 'tokens carry the issuer exactly as given');
    assert.equal(o.basePath, '/auth');
    assert.deepEqual(o.ttl, { ...DEFAULT_TTLS, code: 5 });
    assert.equal(o.port, 0);
  });

  it('refuses an issuer that cannot be one (no scheme, a query, a fragment) with a RangeError', () => {
    for (const issuer of ['127.0.0.1:9400', 'not-a-url', 'http://x.test/?a=b', 'http://x.test/#f']) {
      assert.throws(() => resolveServerOptions({ issuer }), { name: 'RangeError', message: /^issuer "/ });
    }
  });

  it('signs with RS256 by default under oidc (an explicit alg wins), and refuses unknown profiles', () => {
    assert.equal(resolveServerOptions({ profile: 'oidc' }).alg, 'RS256');
    assert.equal(resolveServerOptions({ profile: 'oidc', alg: 'HS256' }).alg, 'HS256');
    assert.throws(() => resolveServerOptions({ profile: 'saml' as never }), { name: 'RangeError', message: 'profile must be one of spec, oidc; got "saml"' });
  });

  it('is what appConfig and startOAuthMock use', async () => {
    assert.equal(appConfig({ issuer: 'http://x.test/' }).profile, 'spec');
    assert.deepEqual(
      [appConfig({ issuer: 'http://x.test', profile: 'oidc' }).profile, appConfig({ issuer: 'http://x.test', profile: 'oidc' }).alg],
      ['oidc', 'RS256'],
    );
    for (const profile of ['spec', 'oidc'] as const) {
      const mock = await startOAuthMock({ profile });
      try {
        const res = await fetch(mock.discoveryUrl);
        assert.equal(res.status, 200);
        const doc = (await res.json()) as Record<string, unknown>;
        // Only the oidc profile serves introspection.
        assert.equal(doc.introspection_endpoint, profile === 'oidc' ? `${mock.issuer}/oauth/introspect` : undefined);
        assert.equal(mock.port > 0, true);
      } finally {
        await mock.stop();
      }
    }
  });
});

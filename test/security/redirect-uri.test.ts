// RFC 6749 §3.1.2.3 and RFC 9700 §4.1.3: redirect_uri is compared as an exact string. Anything
// else is a 400 shown to the user, never a redirect (§4.1.2.1), and no code is stored.
import assert from 'node:assert/strict';
import { authorizeQuery, bootstrap, SEED, type Harness } from '../helpers/bootstrap.js';
import { assertError, authorizeRaw, codeCount } from '../http/helpers.js';

describe('security: redirect_uri', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await bootstrap();
  });

  const refused: Array<[string, string]> = [
    ['trailing slash', 'https://client.example.com/callback/'],
    ['case of the path', 'https://client.example.com/Callback'],
    ['case of the host', 'https://CLIENT.example.com/callback'],
    ['scheme', 'http://client.example.com/callback'],
    ['explicit default port', 'https://client.example.com:443/callback'],
    ['other port', 'https://client.example.com:8443/callback'],
    ['other port on localhost', 'http://localhost:3001/callback'],
    ['added query', 'https://client.example.com/callback?next=/admin'],
    ['empty query', 'https://client.example.com/callback?'],
    ['userinfo trick', 'https://client.example.com@evil.example/callback'],
    ['good@evil', 'https://good@evil.example/callback'],
    ['path traversal', 'https://client.example.com/callback/../x'],
    ['dot segment', 'https://client.example.com/./callback'],
    ['appended path', 'https://client.example.com/callback/xyz'],
    ['fragment', 'https://client.example.com/callback#frag'],
    ['empty fragment', 'https://client.example.com/callback#'],
    ['percent-encoded path', 'https://client.example.com/%63allback'],
    ['other client’s URI', 'http://127.0.0.1:5173/callback'],
    ['javascript scheme', 'javascript:alert(1)'],
    ['relative', '/callback'],
    ['whitespace', ' https://client.example.com/callback'],
  ];
  for (const [name, uri] of refused) {
    it(`refuses a redirect_uri that differs by ${name}: 400 invalid_request, no Location, no code`, async () => {
      const res = await authorizeRaw(h, authorizeQuery({ redirect_uri: uri }));
      assertError(res, 400, 'invalid_request');
      assert.equal(codeCount(h), 0);
    });
  }

  it('refuses a missing redirect_uri without redirecting', async () => {
    const res = await authorizeRaw(h, authorizeQuery({ redirect_uri: undefined }));
    assertError(res, 400, 'invalid_request');
    assert.equal(codeCount(h), 0);
  });

  it('refuses two redirect_uri values, even if one is registered', async () => {
    const res = await authorizeRaw(h, authorizeQuery({ redirect_uri: [SEED.redirectUri, 'https://evil.example/cb'] }));
    assertError(res, 400, 'invalid_request');
    assert.equal(codeCount(h), 0);
  });

  it('does not redirect a later error to an unregistered redirect_uri', async () => {
    // The response_type is wrong too: the redirect_uri check must come first.
    const res = await authorizeRaw(h, authorizeQuery({ redirect_uri: 'https://evil.example/cb', response_type: 'token' }));
    assertError(res, 400, 'invalid_request');
  });

  it('keeps the query of a registered redirect_uri and appends code, state and iss', async () => {
    const registered = 'https://client.example.com/callback?tenant=a%20b&x=1';
    await h.store.update((tx) => {
      const client = tx.data.clients[SEED.clientId];
      assert.ok(client);
      tx.put('clients', SEED.clientId, { ...client, redirect_uris: [...client.redirect_uris, registered] });
    });
    const res = await authorizeRaw(h, authorizeQuery({ redirect_uri: registered }));
    assert.equal(res.status, 302);
    const location = res.headers.location as string;
    assert.ok(location.startsWith(`${registered}&code=`), location);
    const params = new URL(location).searchParams;
    assert.equal(params.get('tenant'), 'a b');
    assert.equal(params.get('x'), '1');
    assert.equal(params.get('state'), 'xyz123');
    assert.equal(codeCount(h), 1);
    // Without its query, the same URI is not registered.
    const bare = await authorizeRaw(h, authorizeQuery({ redirect_uri: 'https://client.example.com/callback?x=1&tenant=a%20b' }));
    assertError(bare, 400, 'invalid_request');
    assert.equal(codeCount(h), 1);
  });
});

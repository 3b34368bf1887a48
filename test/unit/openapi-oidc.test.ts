// The oidc profile's OpenAPI document (openapi/openapi-oidc.json): well formed, and strict
// enough that the oidc HTTP tests checking responses against it would catch a wrong shape.
import assert, { AssertionError } from 'node:assert/strict';
import { HTTP_METHODS, OIDC_SPEC_URL, assertMatchesSchema, assertMatchesSpec, loadSpec, resolvePointer, schemaValidator } from '../helpers/openapi.js';

type Json = Record<string, unknown>;
const doc = loadSpec(OIDC_SPEC_URL);

function* walk(node: unknown, pointer = ''): Generator<[string, unknown]> {
  yield [pointer, node];
  if (node === null || typeof node !== 'object') return;
  for (const [key, child] of Object.entries(node)) yield* walk(child, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
}

const check = (id: string, status: number, body: unknown, headers?: Record<string, string>) => assertMatchesSpec(id, status, body, headers, OIDC_SPEC_URL);
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

describe('openapi/openapi-oidc.json', () => {
  it('is an OpenAPI 3.1 document whose $refs all resolve locally', () => {
    assert.equal(doc.openapi, '3.1.0');
    assert.equal(doc.info.title, 'oauth-mock (oidc profile)');
    let refs = 0;
    for (const [pointer, node] of walk(doc)) {
      if (node === null || typeof node !== 'object' || !('$ref' in node)) continue;
      const ref = (node as Json).$ref as string;
      assert.match(ref, /^#\/components\//, `#${pointer}`);
      assert.notEqual(resolvePointer(doc, ref.slice(1)), undefined, `#${pointer}: ${ref} does not resolve`);
      refs++;
    }
    assert.ok(refs > 30);
  });

  it('has the oidc operations, each with unique operationIds', () => {
    const ids: string[] = [];
    for (const item of Object.values(doc.paths)) {
      for (const method of HTTP_METHODS) {
        const op = item[method] as Json | undefined;
        if (op) ids.push(op.operationId as string);
      }
    }
    assert.deepEqual(
      ids.sort(),
      [
        'authorize',
        'authorizePost',
        'endSession',
        'endSessionPost',
        'introspect',
        'jwks',
        'login',
        'oauthAuthorizationServer',
        'openapiDocument',
        'openidConfiguration',
        'revokeToken',
        'token',
        'userinfo',
        'userinfoPost',
        // The test-control API, served only with --control.
        'controlStatus',
        'controlClockAdvance',
        'controlClockSet',
        'controlClockReset',
        'controlAddFault',
        'controlMisbehave',
        'controlNextLogin',
        'controlReset',
      ].sort(),
    );
  });

  it('compiles every schema in strict mode, and its examples match', () => {
    for (const [pointer, node] of walk(doc)) {
      if (pointer.endsWith('/schema') || /^\/components\/schemas\/[^/]+$/.test(pointer)) {
        assert.doesNotThrow(() => schemaValidator(pointer, OIDC_SPEC_URL), `#${pointer}`);
      }
      if (node !== null && typeof node === 'object' && 'schema' in node && 'example' in node) {
        const validate = schemaValidator(`${pointer}/schema`, OIDC_SPEC_URL);
        assert.ok(validate((node as Json).example), `#${pointer}/example`);
      }
    }
    for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
      for (const example of (schema.examples as unknown[] | undefined) ?? []) assertMatchesSchema(name, example, OIDC_SPEC_URL);
    }
  });

  it('takes a flat RFC 6749 token response with no-store, and refuses the spec envelope', () => {
    check('token', 200, { access_token: 'a', token_type: 'Bearer', expires_in: 3600, scope: 'openid' }, NO_STORE);
    assert.throws(
      () => check('token', 200, { success: true, data: { access_token: 'a', token_type: 'Bearer', expires_in: 3600, scope: '' } }, NO_STORE),
      AssertionError,
    );
    assert.throws(() => check('token', 200, { access_token: 'a', token_type: 'Bearer', expires_in: 3600, scope: 'openid' }, {}), /Cache-Control is missing/);
  });

  it('takes {error, error_description} and refuses other error shapes', () => {
    check('token', 400, { error: 'invalid_grant', error_description: 'the code has expired' }, NO_STORE);
    check('token', 401, { error: 'invalid_client', error_description: 'no' }, { ...NO_STORE, 'www-authenticate': 'Basic realm="oauth-mock"' });
    assert.throws(() => check('token', 401, { error: 'invalid_client', error_description: 'no' }, NO_STORE), /WWW-Authenticate is missing/);
    assert.throws(() => check('token', 400, { error: 'invalid_grant' }, NO_STORE), AssertionError);
    assert.throws(() => check('token', 400, { success: false, error: { code: 'invalid_grant', message: 'x' } }, NO_STORE), AssertionError);
    // RFC 6749 §5.2: error_description excludes `"` and `\`.
    assert.throws(() => check('token', 400, { error: 'invalid_grant', error_description: 'bad "code"' }, NO_STORE), AssertionError);
  });

  it('takes exactly {"active": false} for an inactive token', () => {
    check('introspect', 200, { active: false }, NO_STORE);
    assert.throws(() => check('introspect', 200, { active: false, client_id: 'x' }, NO_STORE), AssertionError);
    check(
      'introspect',
      200,
      { active: true, client_id: 'c', token_type: 'Bearer', scope: 'openid', sub: 'alice', exp: 2, iat: 1, iss: 'http://127.0.0.1:9400' },
      NO_STORE,
    );
  });

  it('needs the error in the Bearer challenge at userinfo', () => {
    check(
      'userinfo',
      401,
      { error: 'invalid_token', error_description: 'expired' },
      { 'www-authenticate': 'Bearer realm="oauth-mock", error="invalid_token"' },
    );
    check(
      'userinfo',
      403,
      { error: 'insufficient_scope', error_description: 'x' },
      { 'www-authenticate': 'Bearer realm="oauth-mock", error="insufficient_scope", scope="openid"' },
    );
    assert.throws(
      () => check('userinfo', 403, { error: 'insufficient_scope', error_description: 'x' }, { 'www-authenticate': 'Bearer realm="oauth-mock"' }),
      AssertionError,
    );
  });
});

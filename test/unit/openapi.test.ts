import assert, { AssertionError } from 'node:assert/strict';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { HTTP_METHODS, assertMatchesSchema, assertMatchesSpec, loadSpec, resolvePointer, schemaValidator, toPointer } from '../helpers/openapi.js';

type Json = Record<string, unknown>;

type AjvClass = typeof Ajv2020Module.default;
type FormatsPlugin = typeof addFormatsModule.default;
const Ajv: AjvClass = Ajv2020Module.default ?? (Ajv2020Module as unknown as AjvClass);
const addFormats: FormatsPlugin = addFormatsModule.default ?? (addFormatsModule as unknown as FormatsPlugin);

const doc = loadSpec();

// A structural OpenAPI 3.1 schema: the parts of the official one
// (spec.openapis.org/oas/3.1/schema) this document uses, equally closed.
const orRef = (def: string) => ({
  if: { type: 'object', required: ['$ref'] },
  then: { $ref: '#/$defs/reference' },
  else: { $ref: `#/$defs/${def}` },
});
const mapOf = (def: string) => ({ type: 'object', additionalProperties: orRef(def) });
const ext = { '^x-': true };
const OAS_31 = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['openapi', 'info'],
  anyOf: [{ required: ['paths'] }, { required: ['components'] }, { required: ['webhooks'] }],
  properties: {
    openapi: { type: 'string', pattern: '^3\\.1\\.\\d+(-.+)?$' },
    info: { $ref: '#/$defs/info' },
    jsonSchemaDialect: { type: 'string', format: 'uri' },
    servers: { type: 'array', items: { $ref: '#/$defs/server' } },
    paths: { $ref: '#/$defs/paths' },
    components: { $ref: '#/$defs/components' },
    security: { type: 'array', items: { $ref: '#/$defs/security-requirement' } },
    tags: { type: 'array', items: { $ref: '#/$defs/tag' } },
  },
  patternProperties: ext,
  unevaluatedProperties: false,
  $defs: {
    info: {
      type: 'object',
      required: ['title', 'version'],
      properties: {
        title: { type: 'string' },
        summary: { type: 'string' },
        description: { type: 'string' },
        version: { type: 'string' },
        license: {
          type: 'object',
          required: ['name'],
          properties: { name: { type: 'string' }, identifier: { type: 'string' }, url: { type: 'string', format: 'uri' } },
          not: { required: ['identifier', 'url'] },
          additionalProperties: false,
        },
      },
      patternProperties: ext,
      unevaluatedProperties: false,
    },
    server: {
      type: 'object',
      required: ['url'],
      properties: { url: { type: 'string', format: 'uri-reference' }, description: { type: 'string' } },
      patternProperties: ext,
      unevaluatedProperties: false,
    },
    tag: {
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string' }, description: { type: 'string' } },
      patternProperties: ext,
      unevaluatedProperties: false,
    },
    paths: {
      type: 'object',
      patternProperties: { '^/': { $ref: '#/$defs/path-item' }, ...ext },
      unevaluatedProperties: false,
    },
    'path-item': {
      type: 'object',
      properties: {
        summary: { type: 'string' },
        description: { type: 'string' },
        parameters: { type: 'array', items: orRef('parameter') },
        ...Object.fromEntries(HTTP_METHODS.map((m) => [m, { $ref: '#/$defs/operation' }])),
      },
      patternProperties: ext,
      unevaluatedProperties: false,
    },
    operation: {
      type: 'object',
      required: ['responses'],
      properties: {
        tags: { type: 'array', items: { type: 'string' } },
        summary: { type: 'string' },
        description: { type: 'string' },
        operationId: { type: 'string' },
        parameters: { type: 'array', items: orRef('parameter') },
        requestBody: orRef('request-body'),
        responses: { $ref: '#/$defs/responses' },
        deprecated: { type: 'boolean' },
        security: { type: 'array', items: { $ref: '#/$defs/security-requirement' } },
      },
      patternProperties: ext,
      unevaluatedProperties: false,
    },
    parameter: {
      type: 'object',
      required: ['name', 'in'],
      properties: {
        name: { type: 'string' },
        in: { enum: ['query', 'header', 'path', 'cookie'] },
        description: { type: 'string' },
        required: { type: 'boolean' },
        deprecated: { type: 'boolean' },
        allowEmptyValue: { type: 'boolean' },
        style: { type: 'string' },
        explode: { type: 'boolean' },
        allowReserved: { type: 'boolean' },
        schema: { $ref: '#/$defs/schema' },
        content: { $ref: '#/$defs/content' },
        example: true,
        examples: { type: 'object' },
      },
      oneOf: [{ required: ['schema'] }, { required: ['content'] }],
      allOf: [
        {
          if: { properties: { in: { const: 'query' } } },
          then: { properties: { style: { enum: ['form', 'spaceDelimited', 'pipeDelimited', 'deepObject'] } } },
        },
        {
          if: { properties: { in: { const: 'path' } } },
          then: { required: ['required'], properties: { required: { const: true } } },
        },
      ],
      patternProperties: ext,
      unevaluatedProperties: false,
    },
    'request-body': {
      type: 'object',
      required: ['content'],
      properties: { description: { type: 'string' }, content: { $ref: '#/$defs/content' }, required: { type: 'boolean' } },
      patternProperties: ext,
      unevaluatedProperties: false,
    },
    content: {
      type: 'object',
      propertyNames: { pattern: '^[a-z*]+/[-+.a-z0-9*]+$' },
      additionalProperties: { $ref: '#/$defs/media-type' },
    },
    'media-type': {
      type: 'object',
      properties: { schema: { $ref: '#/$defs/schema' }, example: true, examples: { type: 'object' } },
      patternProperties: ext,
      unevaluatedProperties: false,
    },
    responses: {
      type: 'object',
      minProperties: 1,
      properties: { default: orRef('response') },
      patternProperties: { '^[1-5](?:[0-9]{2}|XX)$': orRef('response'), ...ext },
      unevaluatedProperties: false,
    },
    response: {
      type: 'object',
      required: ['description'],
      properties: {
        description: { type: 'string' },
        headers: mapOf('header'),
        content: { $ref: '#/$defs/content' },
      },
      patternProperties: ext,
      unevaluatedProperties: false,
    },
    header: {
      type: 'object',
      properties: {
        description: { type: 'string' },
        required: { type: 'boolean' },
        deprecated: { type: 'boolean' },
        style: { const: 'simple' },
        explode: { type: 'boolean' },
        schema: { $ref: '#/$defs/schema' },
        content: { $ref: '#/$defs/content' },
        example: true,
        examples: { type: 'object' },
      },
      oneOf: [{ required: ['schema'] }, { required: ['content'] }],
      patternProperties: ext,
      unevaluatedProperties: false,
    },
    reference: {
      type: 'object',
      required: ['$ref'],
      properties: { $ref: { type: 'string', format: 'uri-reference' }, summary: { type: 'string' }, description: { type: 'string' } },
      unevaluatedProperties: false,
    },
    schema: { type: ['object', 'boolean'] },
    'security-requirement': { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
    'security-scheme': {
      type: 'object',
      required: ['type'],
      properties: {
        type: { enum: ['apiKey', 'http', 'mutualTLS', 'oauth2', 'openIdConnect'] },
        description: { type: 'string' },
        scheme: { type: 'string' },
        bearerFormat: { type: 'string' },
      },
      if: { properties: { type: { const: 'http' } } },
      then: { required: ['scheme'] },
      else: { not: { anyOf: [{ required: ['scheme'] }, { required: ['bearerFormat'] }] } },
      patternProperties: ext,
      unevaluatedProperties: false,
    },
    components: {
      type: 'object',
      properties: {
        schemas: { type: 'object', additionalProperties: { $ref: '#/$defs/schema' } },
        responses: mapOf('response'),
        parameters: mapOf('parameter'),
        requestBodies: mapOf('request-body'),
        headers: mapOf('header'),
        securitySchemes: mapOf('security-scheme'),
      },
      patternProperties: {
        '^(schemas|responses|parameters|requestBodies|headers|securitySchemes)$': {
          propertyNames: { pattern: '^[a-zA-Z0-9._-]+$' },
        },
        ...ext,
      },
      unevaluatedProperties: false,
    },
  },
};

/** Every `[pointer, value]` in the document, depth first. */
function* walk(node: unknown, pointer = ''): Generator<[string, unknown]> {
  yield [pointer, node];
  if (node === null || typeof node !== 'object') return;
  for (const [key, child] of Object.entries(node)) yield* walk(child, `${pointer}${toPointer([key])}`);
}

function operations(): Array<{ path: string; method: string; op: Json }> {
  const out: Array<{ path: string; method: string; op: Json }> = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (op !== undefined) out.push({ path, method, op: op as Json });
    }
  }
  return out;
}

const SEED_OPERATIONS = [
  { operationId: 'authorize', method: 'get', path: '/oauth/authorize', tag: 'OAuth', summary: 'Start the authorization-code flow' },
  { operationId: 'token', method: 'post', path: '/oauth/token', tag: 'OAuth', summary: 'Exchange an authorization code or refresh token' },
  { operationId: 'revokeToken', method: 'post', path: '/oauth/revoke', tag: 'OAuth', summary: 'Revoke an access token or refresh token' },
  {
    operationId: 'openidConfiguration',
    method: 'get',
    path: '/.well-known/openid-configuration',
    tag: 'OpenID Connect',
    summary: 'Return OIDC discovery metadata',
  },
  { operationId: 'jwks', method: 'get', path: '/.well-known/jwks.json', tag: 'OpenID Connect', summary: 'Return the JWKS document' },
  {
    operationId: 'userinfo',
    method: 'get',
    path: '/oauth/userinfo',
    tag: 'OpenID Connect',
    summary: 'Return claims for the authenticated user',
  },
];

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };
const tokenData = {
  access_token: 'eyJhbGciOiJIUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJzdWIiOiJ1c2VyXzEyMyJ9.c2lnbmF0dXJl',
  token_type: 'Bearer',
  expires_in: 3600,
  refresh_token: 'tGzv3JOkF0XG5Qx2TlKWIA',
  id_token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyXzEyMyJ9.c2lnbmF0dXJl',
  scope: 'openid profile email',
};
const rsaKey = { kty: 'RSA', kid: 'k1', use: 'sig', alg: 'RS256', n: 'sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri', e: 'AQAB' };
const discovery = {
  issuer: 'http://127.0.0.1:9400',
  authorization_endpoint: 'http://127.0.0.1:9400/oauth/authorize',
  token_endpoint: 'http://127.0.0.1:9400/oauth/token',
  revocation_endpoint: 'http://127.0.0.1:9400/oauth/revoke',
  userinfo_endpoint: 'http://127.0.0.1:9400/oauth/userinfo',
  jwks_uri: 'http://127.0.0.1:9400/.well-known/jwks.json',
  response_types_supported: ['code'],
  response_modes_supported: ['query'],
  grant_types_supported: ['authorization_code', 'refresh_token'],
  subject_types_supported: ['public'],
  id_token_signing_alg_values_supported: ['HS256'],
  scopes_supported: ['openid', 'profile', 'email'],
  claims_supported: ['sub', 'name', 'email', 'email_verified'],
  code_challenge_methods_supported: ['S256', 'plain'],
  token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
  revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
  authorization_response_iss_parameter_supported: true,
};

function fails(fn: () => void, pattern?: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof AssertionError, `expected an AssertionError, got ${String(err)}`);
    if (pattern) assert.match(err.message, pattern);
    return true;
  });
}

describe('openapi/openapi.json', () => {
  describe('the document', () => {
    it('is structurally an OpenAPI 3.1 document', () => {
      const ajv = new Ajv({ allErrors: true, strictTypes: false, allowMatchingProperties: true });
      addFormats(ajv);
      const validate = ajv.compile(OAS_31);
      assert.ok(validate(doc), ajv.errorsText(validate.errors, { separator: '\n' }));
      assert.equal(doc.openapi, '3.1.0');
      assert.equal(doc.info.title, 'oauth-mock');
      assert.equal(doc.info.version, '0.1.0');
      assert.deepEqual(doc.servers, [{ url: 'http://127.0.0.1:9400', description: 'Default local server' }]);
    });

    it('has the seed operations with their methods, paths, tags and summaries', () => {
      for (const seed of SEED_OPERATIONS) {
        const op = doc.paths[seed.path]?.[seed.method] as Json | undefined;
        assert.ok(op, `${seed.method.toUpperCase()} ${seed.path} is missing`);
        assert.equal(op.operationId, seed.operationId);
        assert.deepEqual(op.tags, [seed.tag]);
        assert.equal(op.summary, seed.summary);
      }
      const openapiOp = doc.paths['/openapi.json']?.get as Json | undefined;
      assert.equal(openapiOp?.operationId, 'openapiDocument');
      // Beyond the seed's: the document itself, and the test-control API (served only with --control).
      const control = operations().filter(({ op }) => (op.tags as string[]).includes('Test control'));
      assert.deepEqual(
        control.map(({ method, path }) => `${method.toUpperCase()} ${path}`),
        [
          'GET /_oauth-mock/status',
          'POST /_oauth-mock/clock/advance',
          'POST /_oauth-mock/clock/set',
          'POST /_oauth-mock/clock/reset',
          'POST /_oauth-mock/faults',
          'POST /_oauth-mock/misbehaviours',
          'POST /_oauth-mock/logins',
          'POST /_oauth-mock/reset',
        ],
      );
      assert.equal(operations().length, SEED_OPERATIONS.length + 1 + control.length);
    });

    it('has unique operationIds, declared tags and security schemes', () => {
      const ids = operations().map(({ op }) => op.operationId);
      assert.equal(new Set(ids).size, ids.length);
      const tags = new Set((doc.tags as Array<{ name: string }>).map((t) => t.name));
      const schemes = Object.keys(doc.components?.securitySchemes ?? {});
      for (const { op } of operations()) {
        for (const tag of (op.tags as string[] | undefined) ?? []) assert.ok(tags.has(tag), `undeclared tag ${tag}`);
        for (const requirement of (op.security as Json[] | undefined) ?? []) {
          for (const name of Object.keys(requirement)) assert.ok(schemes.includes(name), `unknown security scheme ${name}`);
        }
      }
      assert.deepEqual(doc.components?.securitySchemes?.bearerAuth, {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: (doc.components?.securitySchemes?.bearerAuth as Json | undefined)?.description,
      });
    });

    it('resolves every $ref locally', () => {
      let count = 0;
      for (const [pointer, node] of walk(doc)) {
        if (node === null || typeof node !== 'object' || !('$ref' in node)) continue;
        const ref = (node as Json).$ref;
        assert.equal(typeof ref, 'string', `#${pointer}: $ref is not a string`);
        assert.match(ref as string, /^#\/components\//, `#${pointer}: $ref ${String(ref)} is not local`);
        assert.notEqual(resolvePointer(doc, (ref as string).slice(1)), undefined, `#${pointer}: ${String(ref)} does not resolve`);
        count++;
      }
      assert.ok(count > 20);
    });

    it('compiles every schema in strict mode, and its examples match', () => {
      for (const [pointer, node] of walk(doc)) {
        if (pointer.endsWith('/schema') || /^\/components\/schemas\/[^/]+$/.test(pointer)) {
          assert.doesNotThrow(() => schemaValidator(pointer), `#${pointer}`);
        }
        if (node === null || typeof node !== 'object' || !('schema' in node)) continue;
        const validate = schemaValidator(`${pointer}/schema`);
        if ('example' in node) assert.ok(validate((node as Json).example), `#${pointer}/example: ${JSON.stringify(validate.errors)}`);
      }
      for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
        for (const example of (schema.examples as unknown[] | undefined) ?? []) assertMatchesSchema(name, example);
      }
    });

    it('documents error statuses and no-store headers as CONTRACT.md says', () => {
      const statuses = (id: string) => {
        const found = operations().find(({ op }) => op.operationId === id);
        return Object.keys((found?.op.responses as Json | undefined) ?? {});
      };
      assert.deepEqual(statuses('authorize'), ['302', '400', '401', '404', '405', '500', '503']);
      assert.deepEqual(statuses('token'), ['200', '400', '401', '404', '405', '413', '500', '503']);
      assert.deepEqual(statuses('revokeToken'), ['200', '400', '401', '404', '405', '413', '500', '503']);
      assert.deepEqual(statuses('userinfo'), ['200', '400', '401', '403', '404', '405', '500', '503']);
      for (const { op } of operations()) {
        assert.ok(!('default' in (op.responses as Json)), `${String(op.operationId)} has a default response`);
      }
    });
  });

  describe('assertMatchesSpec', () => {
    it('accepts a token success envelope', () => {
      assertMatchesSpec('token', 200, { success: true, data: tokenData }, NO_STORE);
      assertMatchesSpec('token', 200, {
        success: true,
        message: 'Token issued',
        data: { access_token: tokenData.access_token, token_type: 'Bearer', expires_in: 60 },
      });
    });

    it('rejects an envelope with an extra key, or data with one', () => {
      fails(() => assertMatchesSpec('token', 200, { success: true, data: tokenData, extra: 1 }), /additional properties/);
      fails(() => assertMatchesSpec('token', 200, { success: true, data: { ...tokenData, token_type: 'bearer' } }));
      fails(() => assertMatchesSpec('token', 200, { success: true, data: { ...tokenData, foo: 'bar' } }));
      fails(() => assertMatchesSpec('token', 200, { success: false, data: tokenData }));
      fails(() => assertMatchesSpec('token', 200, { success: true }));
    });

    it('accepts an OAuth error envelope and rejects codes outside the enum', () => {
      const body = { success: false, error: { code: 'invalid_grant', message: 'x' } };
      assertMatchesSpec('token', 400, body, NO_STORE);
      fails(() => assertMatchesSpec('token', 400, { success: false, error: { code: 'bad_grant', message: 'x' } }), /allowed values/);
      fails(() => assertMatchesSpec('token', 400, { success: true, error: body.error }));
      fails(() => assertMatchesSpec('token', 400, { success: false, error: { ...body.error, stack: 'at …' } }));
      fails(() => assertMatchesSpec('token', 400, { success: false }));
      fails(() => assertMatchesSpec('token', 400, { error: 'invalid_grant', error_description: 'x' }));
    });

    it('checks documented headers when they are given', () => {
      const body = { success: false, error: { code: 'invalid_client', message: 'Client authentication failed' } };
      assertMatchesSpec('token', 401, body, { ...NO_STORE, 'www-authenticate': 'Basic realm="oauth-mock"' });
      fails(() => assertMatchesSpec('token', 400, body, { Pragma: 'no-cache' }), /Cache-Control is missing/);
      fails(() => assertMatchesSpec('token', 401, body, NO_STORE), /WWW-Authenticate/);
      fails(() => assertMatchesSpec('token', 401, { success: false, error: { code: 'invalid_grant', message: 'x' } }));
      const unauthorized = { success: false, error: { code: 'invalid_token', message: 'The access token is invalid' } };
      assertMatchesSpec('userinfo', 401, unauthorized, { 'WWW-Authenticate': 'Bearer realm="oauth-mock", error="invalid_token"' });
      fails(() => assertMatchesSpec('userinfo', 401, unauthorized, { 'WWW-Authenticate': 'Basic' }));
    });

    it('requires a Location header on a 302', () => {
      assertMatchesSpec('authorize', 302, {}, { location: 'https://client.example.com/callback?code=abc&state=xyz123' });
      fails(() => assertMatchesSpec('authorize', 302, {}), /Location/);
      fails(() => assertMatchesSpec('authorize', 302, {}, {}), /Location is missing/);
    });

    it('checks the JWKS: public members only', () => {
      assertMatchesSpec('jwks', 200, { keys: [] });
      assertMatchesSpec('jwks', 200, { keys: [rsaKey] });
      fails(() => assertMatchesSpec('jwks', 200, { keys: [{ ...rsaKey, d: 'secret' }] }), /NOT be valid/);
      fails(() => assertMatchesSpec('jwks', 200, { keys: [{ kty: 'oct', kid: 'k', use: 'sig', alg: 'HS256', k: 'c2VjcmV0' }] }));
      fails(() => assertMatchesSpec('jwks', 200, { keys: [{ ...rsaKey, use: 'enc' }] }));
      fails(() => assertMatchesSpec('jwks', 200, {}));
    });

    it('checks userinfo claims and the insufficient_scope error', () => {
      assertMatchesSpec('userinfo', 200, {
        success: true,
        data: { sub: 'user_123', email: 'alice@example.com', email_verified: true, roles: ['admin'] },
      });
      fails(() => assertMatchesSpec('userinfo', 200, { success: true, data: { sub: 'user_123', name: null } }));
      fails(() => assertMatchesSpec('userinfo', 200, { success: true, data: { sub: 'user_123', roles: null } }));
      fails(() => assertMatchesSpec('userinfo', 200, { success: true, data: { name: 'Alice' } }));
      fails(() => assertMatchesSpec('userinfo', 200, { sub: 'user_123' }));
      assertMatchesSpec('userinfo', 403, { success: false, error: { code: 'insufficient_scope', message: 'openid is required' } });
      fails(() => assertMatchesSpec('userinfo', 403, { success: false, error: { code: 'invalid_token', message: 'x' } }));
    });

    it('checks revoke, discovery, generic errors and the document itself', () => {
      assertMatchesSpec('revokeToken', 200, { success: true, message: 'Token revoked' }, NO_STORE);
      fails(() => assertMatchesSpec('revokeToken', 200, { success: true }));
      assertMatchesSpec('openidConfiguration', 200, discovery);
      assertMatchesSpec('openidConfiguration', 200, { ...discovery, request_uri_parameter_supported: false });
      fails(() => assertMatchesSpec('openidConfiguration', 200, { ...discovery, jwks_uri: undefined }));
      fails(() => assertMatchesSpec('openidConfiguration', 200, { ...discovery, response_types_supported: ['token'] }));
      fails(() => assertMatchesSpec('openidConfiguration', 200, { success: true, data: discovery }));
      assertMatchesSpec('token', 413, { success: false, error: { code: 'payload_too_large', message: 'Body too large' } }, NO_STORE);
      assertMatchesSpec('token', 405, { success: false, error: { code: 'method_not_allowed', message: 'Use POST' } });
      assertMatchesSpec('jwks', 500, { success: false, error: { code: 'server_error', message: 'Internal server error' } });
      fails(() => assertMatchesSpec('jwks', 404, { success: false, error: { code: 'invalid_request', message: 'x' } }));
      assertMatchesSpec('openapiDocument', 200, loadSpec());
    });

    it('throws on an undocumented status or operation', () => {
      fails(() => assertMatchesSpec('token', 418, { success: false, error: { code: 'invalid_request', message: 'x' } }), /not documented/);
      fails(() => assertMatchesSpec('jwks', 401, {}), /not documented/);
      fails(() => assertMatchesSpec('introspect', 200, {}), /no operation introspect/);
    });

    it('validates the request schemas too', () => {
      assertMatchesSchema('OAuthTokenRequest', { grant_type: 'refresh_token', refresh_token: 'r', resource: ['https://api.example.com'] });
      assertMatchesSchema('OAuthTokenRequest', { grant_type: 'authorization_code', code: 'c', resource: 'https://api.example.com' });
      fails(() => assertMatchesSchema('OAuthTokenRequest', { grant_type: 'client_credentials' }));
      fails(() => assertMatchesSchema('OAuthTokenRequest', { grant_type: 'refresh_token', resource: ['not a uri'] }));
      assertMatchesSchema('RevokeTokenRequest', { token: 't', token_type_hint: 'access_token' });
      fails(() => assertMatchesSchema('RevokeTokenRequest', { token_type_hint: 'access_token' }));
    });
  });
});

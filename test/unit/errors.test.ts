// One class per OAuth error code: each carries its code, status, name and the Koa `expose` flag.
import assert from 'node:assert/strict';
import * as errors from '../../src/errors.js';

describe('error classes', () => {
  const cases: Array<[new (message: string) => errors.OAuthError, string, number]> = [
    [errors.InvalidRequest, 'invalid_request', 400],
    [errors.InvalidClient, 'invalid_client', 400],
    [errors.InvalidGrant, 'invalid_grant', 400],
    [errors.UnauthorizedClient, 'unauthorized_client', 400],
    [errors.UnsupportedGrantType, 'unsupported_grant_type', 400],
    [errors.UnsupportedResponseType, 'unsupported_response_type', 400],
    [errors.InvalidScope, 'invalid_scope', 400],
    [errors.InvalidTarget, 'invalid_target', 400],
    [errors.AccessDenied, 'access_denied', 400],
    [errors.LoginRequired, 'login_required', 400],
    [errors.RequestNotSupported, 'request_not_supported', 400],
    [errors.RequestUriNotSupported, 'request_uri_not_supported', 400],
    [errors.MissingBearer, 'invalid_request', 401],
    [errors.InvalidToken, 'invalid_token', 401],
    [errors.NotFound, 'not_found', 404],
    [errors.MethodNotAllowed, 'method_not_allowed', 405],
    [errors.PayloadTooLarge, 'payload_too_large', 413],
    [errors.ServerError, 'server_error', 500],
  ];
  for (const [Class, code, status] of cases) {
    it(`${Class.name}: ${status} ${code}`, () => {
      const error = new Class('what went wrong');
      assert.ok(error instanceof errors.OAuthError && error instanceof Error);
      assert.deepEqual(
        { name: error.name, code: error.code, status: error.status, expose: error.expose, message: error.message },
        { name: Class.name, code, status, expose: status < 500, message: 'what went wrong' },
      );
    });
  }

  it('keeps a cause and extra headers', () => {
    const cause = new Error('root');
    const error = new errors.InvalidGrant('no', { cause, headers: { 'X-Why': 'test' } });
    assert.equal(error.cause, cause);
    assert.deepEqual(error.headers, { 'X-Why': 'test' });
    assert.deepEqual(new errors.InvalidScope('no').headers, {});
  });

  it('names its class after the code, not the shared base', () => {
    assert.deepEqual(
      [errors.InvalidGrant, errors.NotFound, errors.AccessDenied].map((Class) => new Class('x').name),
      ['InvalidGrant', 'NotFound', 'AccessDenied'],
    );
  });
});

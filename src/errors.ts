// One class per OAuth error code (RFC 6749 §4.1.2.1, §5.2; RFC 6750 §3.1; RFC 8707 §2).
// Thrown anywhere, rendered in one place: the error middleware and the active profile's encoder.

export interface OAuthErrorOptions {
  /** Extra response headers, e.g. WWW-Authenticate. */
  headers?: Record<string, string>;
  cause?: unknown;
  /** Show the message even at 5xx (an injected fault's is meant for the client); default status < 500. */
  expose?: boolean;
}

export class OAuthError extends Error {
  readonly code: string;
  readonly status: number;
  /** Koa convention: a 4xx message is safe to show; a 5xx one is replaced by a generic text. */
  readonly expose: boolean;
  readonly headers: Record<string, string>;

  constructor(code: string, status: number, message: string, options: OAuthErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    this.expose = options.expose ?? status < 500;
    this.headers = options.headers ?? {};
  }
}

/**
 * The base of one OAuth error code's class (as node-oidc-provider makes its error classes):
 * `class InvalidGrant extends errorCode('invalid_grant') {}` keeps a real class per code, for
 * `instanceof`, types and `error.name`, without repeating its constructor.
 */
function errorCode(code: string, status = 400): new (message: string, options?: OAuthErrorOptions) => OAuthError {
  return class extends OAuthError {
    constructor(message: string, options?: OAuthErrorOptions) {
      super(code, status, message, options);
    }
  };
}

export class InvalidRequest extends errorCode('invalid_request') {}

/**
 * RFC 6749 §5.2: 400, or 401 with `WWW-Authenticate` naming the scheme the client
 * used when it authenticated through the Authorization header.
 */
export class InvalidClient extends OAuthError {
  constructor(message: string, options: OAuthErrorOptions & { basic?: boolean } = {}) {
    super('invalid_client', options.basic ? 401 : 400, message, {
      ...options,
      headers: options.basic ? { 'WWW-Authenticate': 'Basic realm="oauth-mock"', ...options.headers } : (options.headers ?? {}),
    });
  }
}

export class InvalidGrant extends errorCode('invalid_grant') {}
/** Used by the oidc profile (RFC 6749 §4.1.2.1, §5.2). */
export class UnauthorizedClient extends errorCode('unauthorized_client') {}
export class UnsupportedGrantType extends errorCode('unsupported_grant_type') {}
export class UnsupportedResponseType extends errorCode('unsupported_response_type') {}
export class InvalidScope extends errorCode('invalid_scope') {}
export class InvalidTarget extends errorCode('invalid_target') {}
/** Used by the oidc profile (RFC 6749 §4.1.2.1). */
export class AccessDenied extends errorCode('access_denied') {}

const BEARER_REALM = 'Bearer realm="oauth-mock"';

/** RFC 6750 §3: no credentials at all → 401 with a bare challenge and no error code in it. */
export class MissingBearer extends OAuthError {
  constructor(message: string) {
    super('invalid_request', 401, message, { headers: { 'WWW-Authenticate': BEARER_REALM } });
  }
}

/** RFC 6750 §3.1: a presented token that is expired, revoked, malformed or of the wrong kind. */
export class InvalidToken extends OAuthError {
  constructor(message: string, options?: OAuthErrorOptions) {
    super('invalid_token', 401, message, {
      ...options,
      headers: { 'WWW-Authenticate': `${BEARER_REALM}, error="invalid_token"`, ...options?.headers },
    });
  }
}

/** RFC 6750 §3.1: the token is valid but lacks a scope the resource requires. */
export class InsufficientScope extends OAuthError {
  constructor(message: string, scope: string) {
    super('insufficient_scope', 403, message, {
      headers: { 'WWW-Authenticate': `${BEARER_REALM}, error="insufficient_scope", scope="${scope}"` },
    });
  }
}

export class NotFound extends errorCode('not_found', 404) {}
export class MethodNotAllowed extends errorCode('method_not_allowed', 405) {}
export class PayloadTooLarge extends errorCode('payload_too_large', 413) {}

/**
 * RFC 6749 §4.1.2.1 `temporarily_unavailable`: the server cannot serve the request now (its
 * Redis store is unreachable) but will again by itself, so the client may retry. The message
 * says what is down and is shown (nothing secret in it), unlike other 5xx messages.
 */
export class TemporarilyUnavailable extends OAuthError {
  override readonly expose = true;

  constructor(message: string, options?: OAuthErrorOptions) {
    super('temporarily_unavailable', 503, message, { ...options, headers: { 'Retry-After': '1', ...options?.headers } });
  }
}

export class ServerError extends OAuthError {
  constructor(message = 'the server met an unexpected condition; see its log', options?: OAuthErrorOptions) {
    super('server_error', 500, message, options);
  }
}

/** OIDC Core §3.1.2.6: prompt=none, and the end user is not signed in (or must sign in again). */
export class LoginRequired extends errorCode('login_required') {}

/** OIDC Core §3.1.2.6: the `request` parameter (a request object) is not supported. */
export class RequestNotSupported extends errorCode('request_not_supported') {}

/** OIDC Core §3.1.2.6: the `request_uri` parameter is not supported. */
export class RequestUriNotSupported extends errorCode('request_uri_not_supported') {}

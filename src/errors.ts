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

export class InvalidRequest extends OAuthError {
  constructor(message: string, options?: OAuthErrorOptions) {
    super('invalid_request', 400, message, options);
  }
}

/**
 * RFC 6749 §5.2: 400, or 401 with `WWW-Authenticate` naming the scheme the client
 * used when it authenticated through the Authorization header.
 */
export class InvalidClient extends OAuthError {
  constructor(message: string, options: OAuthErrorOptions & { basic?: boolean } = {}) {
    super('invalid_client', options.basic ? 401 : 400, message, {
      ...options,
      headers: options.basic ? { 'WWW-Authenticate': 'Basic realm="oauth-mock"', ...options.headers } : options.headers,
    });
  }
}

export class InvalidGrant extends OAuthError {
  constructor(message: string, options?: OAuthErrorOptions) {
    super('invalid_grant', 400, message, options);
  }
}

export class UnauthorizedClient extends OAuthError {
  constructor(message: string, options?: OAuthErrorOptions) {
    super('unauthorized_client', 400, message, options);
  }
}

export class UnsupportedGrantType extends OAuthError {
  constructor(message: string, options?: OAuthErrorOptions) {
    super('unsupported_grant_type', 400, message, options);
  }
}

export class UnsupportedResponseType extends OAuthError {
  constructor(message: string, options?: OAuthErrorOptions) {
    super('unsupported_response_type', 400, message, options);
  }
}

export class InvalidScope extends OAuthError {
  constructor(message: string, options?: OAuthErrorOptions) {
    super('invalid_scope', 400, message, options);
  }
}

export class InvalidTarget extends OAuthError {
  constructor(message: string, options?: OAuthErrorOptions) {
    super('invalid_target', 400, message, options);
  }
}

export class AccessDenied extends OAuthError {
  constructor(message: string, options?: OAuthErrorOptions) {
    super('access_denied', 400, message, options);
  }
}

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

export class NotFound extends OAuthError {
  constructor(message: string) {
    super('not_found', 404, message);
  }
}

export class MethodNotAllowed extends OAuthError {
  constructor(message: string) {
    super('method_not_allowed', 405, message);
  }
}

export class PayloadTooLarge extends OAuthError {
  constructor(message: string) {
    super('payload_too_large', 413, message);
  }
}

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
export class LoginRequired extends OAuthError {
  constructor(message: string, options?: OAuthErrorOptions) {
    super('login_required', 400, message, options);
  }
}

/** OIDC Core §3.1.2.6: the `request` parameter (a request object) is not supported. */
export class RequestNotSupported extends OAuthError {
  constructor(message: string, options?: OAuthErrorOptions) {
    super('request_not_supported', 400, message, options);
  }
}

/** OIDC Core §3.1.2.6: the `request_uri` parameter is not supported. */
export class RequestUriNotSupported extends OAuthError {
  constructor(message: string, options?: OAuthErrorOptions) {
    super('request_uri_not_supported', 400, message, options);
  }
}

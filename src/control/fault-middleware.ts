// Applies a pending fault to the request it is due for. Inside the error handler, so an
// injected OAuth error is thrown, typed, and rendered in the active profile's format.
import type { Context, Next } from 'koa';
import {
  AccessDenied,
  InvalidClient,
  InvalidGrant,
  InvalidRequest,
  InvalidScope,
  InvalidTarget,
  InvalidToken,
  OAuthError,
  ServerError,
  TemporarilyUnavailable,
  UnauthorizedClient,
  UnsupportedGrantType,
  UnsupportedResponseType,
} from '../errors.js';
import { FAULT_ENDPOINTS, type FaultEndpoint, type Faults, type PendingFault } from './faults.js';

const TYPED: Record<string, (message: string, headers: Record<string, string>) => OAuthError> = {
  invalid_request: (m, headers) => new InvalidRequest(m, { headers }),
  invalid_client: (m, headers) => new InvalidClient(m, { headers }),
  invalid_grant: (m, headers) => new InvalidGrant(m, { headers }),
  unauthorized_client: (m, headers) => new UnauthorizedClient(m, { headers }),
  unsupported_grant_type: (m, headers) => new UnsupportedGrantType(m, { headers }),
  unsupported_response_type: (m, headers) => new UnsupportedResponseType(m, { headers }),
  invalid_scope: (m, headers) => new InvalidScope(m, { headers }),
  invalid_target: (m, headers) => new InvalidTarget(m, { headers }),
  access_denied: (m, headers) => new AccessDenied(m, { headers }),
  invalid_token: (m, headers) => new InvalidToken(m, { headers }),
  server_error: (m, headers) => new ServerError(m, { headers, expose: true }),
  temporarily_unavailable: (m, headers) => new TemporarilyUnavailable(m, { headers }),
};

/** The error a fault answers with: its code's class, or (another status) a plain OAuthError. */
export function faultError(fault: Pick<PendingFault, 'status' | 'error' | 'message' | 'retryAfter' | 'endpoint'>): OAuthError {
  const status = fault.status;
  const code =
    fault.error ?? (status === 503 || status === 429 ? 'temporarily_unavailable' : status !== undefined && status >= 500 ? 'server_error' : 'invalid_request');
  const message = fault.message ?? `fault injected at ${fault.endpoint} by test control`;
  const headers: Record<string, string> = fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {};
  const typed = TYPED[code]?.(message, headers);
  if (typed && (status === undefined || typed.status === status)) return typed;
  return new OAuthError(code, status ?? 400, message, { headers, expose: true });
}

/** Which endpoint a path is, from the app's own paths (so --base-path and issuer paths hold). */
export function endpointOfPath(paths: Record<string, string>): (path: string) => FaultEndpoint | undefined {
  const byPath = new Map<string, FaultEndpoint>();
  const aliases: Record<string, FaultEndpoint> = { introspect: 'introspection', endSession: 'end_session', authorizationServerMetadata: 'discovery' };
  for (const [name, path] of Object.entries(paths)) {
    const endpoint = (FAULT_ENDPOINTS as readonly string[]).includes(name) ? (name as FaultEndpoint) : aliases[name];
    if (endpoint !== undefined) byPath.set(path, endpoint);
  }
  return (path) => byPath.get(path);
}

// Unref'd: a delayed request never keeps a stopped server's process alive.
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export function applyFaults(controls: { faults: Faults; deferred: WeakMap<object, OAuthError> }, paths: Record<string, string>) {
  const { faults } = controls;
  const endpointOf = endpointOfPath(paths);
  return async function injectFault(ctx: Context, next: Next): Promise<void> {
    // A CORS preflight is the browser's, not the app's request: it never takes a fault.
    const endpoint = ctx.method === 'OPTIONS' ? undefined : endpointOf(ctx.path);
    const fault = endpoint === undefined ? undefined : faults.take(endpoint);
    if (!fault) {
      await next();
      return;
    }
    if (fault.delayMs !== undefined) await sleep(fault.delayMs);
    if (fault.drop) {
      // No status line, no headers: what a crashed or partitioned server gives.
      ctx.respond = false;
      ctx.req.socket.destroy();
      return;
    }
    if (fault.body !== undefined) {
      ctx.status = fault.status ?? 200;
      if (fault.retryAfter !== undefined) ctx.set('Retry-After', String(fault.retryAfter));
      ctx.set('Cache-Control', 'no-store');
      ctx.type = 'application/json';
      ctx.body = fault.body;
      return;
    }
    if (endpoint === 'authorize' && fault.error !== undefined && fault.status === undefined) {
      // RFC 6749 §4.1.2.1: an authorization error goes back to the client once its redirect_uri
      // is trusted; authorize throws it then (Controls.authorizeFault).
      controls.deferred.set(ctx, faultError(fault));
      await next();
      return;
    }
    if (fault.status !== undefined || fault.error !== undefined) throw faultError(fault);
    await next();
  };
}

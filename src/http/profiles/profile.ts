import type { Context, Middleware } from 'koa';
import type { OAuthError } from '../../errors.js';

/** A request's parameters after decoding: what the core validates, whatever the wire format. */
export type Params = Record<string, unknown>;

export interface Success {
  data?: object;
  message?: string;
}

/**
 * The wire format at the edge. The core hands results and errors to a profile and never
 * learns which one is active: `spec` (the seed's JSON envelope) or, later, `oidc`.
 */
export interface Profile {
  readonly name: string;
  /** Decodes a token/revoke request body into `ctx.state.params`. */
  readonly decodeBody: Middleware;
  success(ctx: Context, result: Success): void;
  error(ctx: Context, error: OAuthError): void;
}

import type { Context } from 'koa';
import type { AuthorizeTarget } from '../../core/authorize.js';
import type { TokenResponse } from '../../core/grants/grant.js';
import type { Introspection } from '../../core/introspection.js';
import type { Params } from '../../core/params.js';
import type { ProfileName } from '../../config/profile-name.js';
import type { OAuthError } from '../../errors.js';

export type { Params } from '../../core/params.js';

/**
 * The wire format at the edge: how parameters arrive and how answers leave. The core takes
 * decoded parameters and returns results; it never learns which profile is active. A second
 * profile implements this interface and touches nothing in src/core/.
 */
export interface Profile {
  readonly name: ProfileName;
  /** Parameters of a token/revoke request body (spec: a JSON object). Throws an OAuthError. */
  decodeBody(ctx: Context): Promise<Params>;
  /** Parameters of an authorize request (spec: the query string, strictly decoded). */
  decodeQuery(ctx: Context): Params;
  /**
   * The bearer access token a resource request carries (spec: the Authorization header only;
   * oidc: the header or a form body, RFC 6750 §2.2). `what` names it in error messages.
   */
  accessToken(ctx: Context, what: string): Promise<string>;
  /** A token endpoint success (RFC 6749 §5.1). */
  token(ctx: Context, response: TokenResponse): void;
  /** A revocation acknowledged (RFC 7009 §2.2: the same whatever the token was). */
  revoked(ctx: Context): void;
  /** A token introspection answer (RFC 7662 §2.2); only profiles that serve introspection are asked. */
  introspection(ctx: Context, answer: Introspection): void;
  /** Userinfo claims (OIDC Core §5.3.2). */
  userinfo(ctx: Context, claims: Record<string, unknown>): void;
  /** Any error, once the error handler has set its status-independent headers. */
  error(ctx: Context, error: OAuthError): void;
  /** Sends the code to the client (RFC 6749 §4.1.2); returns the URL the user agent is sent to. */
  authorizeSuccess(ctx: Context, target: AuthorizeTarget, result: { code: string; iss: string }): string;
  /** Sends an authorize error to the client once its redirect_uri is trusted (RFC 6749 §4.1.2.1). */
  authorizeError(ctx: Context, target: AuthorizeTarget, error: OAuthError, iss: string): void;
}

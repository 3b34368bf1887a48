import type { Context } from 'koa';
import type { AuthorizeRequest, EndUser } from '../../core/authorize.js';
import type { Params } from '../../core/params.js';

/**
 * Finds the end user at authorize. `when` says where in the request it runs:
 * - `first`: before any parameter is read (the spec profile's CONTRACT rule 1: a missing
 *   bearer token is 401 before the client is checked); it gets no request;
 * - `after-validation`: once client_id, redirect_uri and the request are validated, as OIDC
 *   Core §3.1.2.2-3.1.2.3 orders it (a session, or a login page); it gets the request and
 *   its decoded parameters (prompt, max_age, login_hint, id_token_hint are its business).
 * It returns the user, or undefined when it answered the request itself (e.g. it rendered a
 * login page); it throws an OAuthError to refuse.
 */
export type Authenticator =
  | { readonly when: 'first'; authenticate(ctx: Context): Promise<EndUser> }
  | { readonly when: 'after-validation'; authenticate(ctx: Context, request: AuthorizeRequest, params: Params): Promise<EndUser | undefined> };

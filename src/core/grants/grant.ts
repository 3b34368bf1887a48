import type { Events } from '../../events.js';
import type { Clock } from '../clock.js';
import type { Params } from '../params.js';
import type { Store } from '../store.js';
import type { TokenService } from '../token-service.js';
import type { Ttls } from '../ttl.js';
import type { Client } from '../types.js';

/** RFC 6749 §5.1 success body. */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token?: string;
  id_token?: string;
  scope: string;
}

/** What a grant uses, and nothing of HTTP: the profile decoded `params`, the caller authenticated `client`. */
export interface GrantDeps {
  store: Store;
  tokens: TokenService;
  clock: Clock;
  ttl: Ttls;
  /** Key HS256 ID tokens with the client's secret (OIDC Core §10.1) rather than the server's. */
  idTokenClientKey?: boolean;
}

export interface GrantResult {
  response: TokenResponse;
  event: typeof Events.tokenIssued | typeof Events.tokenRefreshed;
  grantId: string;
}

/** A grant type: the same shape for each, looked up by `grant_type` in one map. */
export interface GrantHandler {
  readonly grantType: string;
  handler(deps: GrantDeps, params: Params, client: Client): Promise<GrantResult>;
}

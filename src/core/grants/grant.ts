import type { Client } from '../../core/types.js';
import type { Events } from '../../events.js';
import type { AppContext } from '../app-context.js';
import type { Params } from '../profiles/profile.js';

/** RFC 6749 §5.1 success body. */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token?: string;
  id_token?: string;
  scope: string;
}

/** A grant type: the same shape for each, looked up by `grant_type` in one map. */
export interface GrantHandler {
  readonly grantType: string;
  handler(app: AppContext, params: Params, client: Client): Promise<{ response: TokenResponse; event: typeof Events.tokenIssued | typeof Events.tokenRefreshed; grantId: string }>;
}

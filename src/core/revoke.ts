// RFC 7009 for a client: which token it asks to revoke, and revoking it among its own tokens.
import type { Store } from '../store/types.js';
import { revokeToken, type RevokeOutcome } from '../tokens/revocation.js';
import type { Tokens } from '../tokens/tokens.js';
import { epochSeconds, type Clock } from './clock.js';
import { optionalString, requiredString, type Params } from './params.js';
import type { Client } from './types.js';

/** RFC 7009 §2.1: `token` is required; `token_type_hint` only orders the search, so both kinds are always tried. */
export function revocationRequest(params: Params): { token: string } {
  const token = requiredString(params, 'token');
  optionalString(params, 'token_type_hint');
  return { token };
}

/** RFC 7009 §2.2: invalid, unknown or another client's tokens are no error; the outcome says what happened. */
export function revokeForClient(deps: { store: Store; tokens: Tokens; clock: Clock }, request: { token: string }, client: Client): Promise<RevokeOutcome> {
  return revokeToken({ store: deps.store, tokens: deps.tokens, now: epochSeconds(deps.clock) }, request.token, client.id);
}

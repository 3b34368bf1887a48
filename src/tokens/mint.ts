// Minting a token from options: the one implementation behind the CLI's `tokens mint` and the
// programmatic API's `mintToken`, so both take the same options, defaults and checks.
import { epochSeconds, type Clock } from '../core/clock.js';
import { describeKnown, findClient, findUser } from '../core/lookup.js';
import { checkResources } from '../core/resources.js';
import type { Client, Data } from '../core/types.js';
import type { Ttls } from '../core/ttl.js';
import { TOKEN_TYP, type Claims, type TokenKind, type Tokens } from './tokens.js';

export interface MintOptions {
  /** The user (`sub`) the token is for. */
  user: string;
  /** `user` (default): the end-user token authorize requires; `access`: an RFC 9068 access token; `id`: an ID token. */
  kind?: TokenKind;
  /** access and id tokens (required for them): the client the token is issued to. */
  client?: string;
  /** access tokens: granted scopes; default the client's default scopes. */
  scope?: string | readonly string[];
  /** access tokens: resource indicator(s) that become `aud` (RFC 8707). */
  resource?: string | readonly string[];
  /** Lifetime in seconds; default the server's lifetime for that kind. */
  ttl?: number;
  /** ID tokens: the `nonce` claim. */
  nonce?: string;
  /** Custom claims; registered ones (iss, sub, aud, exp, ...) are ignored here: use claim overrides for those. */
  claims?: Record<string, unknown>;
}

export interface MintDeps {
  store: { read(): Readonly<Data> };
  tokens: Pick<Tokens, 'mintUser' | 'mintAccess' | 'mintId'>;
  ttl: Pick<Ttls, 'userToken' | 'accessToken' | 'idToken'>;
  clock: Clock;
}

export interface Minted {
  token: string;
  kind: TokenKind;
  claims: Claims;
}

export type MintErrorReason = 'unknown_user' | 'unknown_client' | 'invalid_option';

/** Options that cannot make a token (unknown user or client, scope outside the client's, ...). */
export class MintError extends Error {
  override readonly name = 'MintError';
  /** Lets a caller add its own hint (the CLI names the store and the command that adds a user). */
  readonly reason: MintErrorReason;
  constructor(message: string, reason: MintErrorReason = 'invalid_option') {
    super(message);
    this.reason = reason;
  }
}

type KindOption = 'client' | 'scope' | 'resource' | 'nonce';

// Which kinds of token take each option besides user, ttl and claims.
const KIND_OPTIONS: Record<KindOption, { kinds: readonly TokenKind[]; tokens: string }> = {
  client: { kinds: ['access', 'id'], tokens: 'access and ID tokens' },
  scope: { kinds: ['access'], tokens: 'access tokens' },
  resource: { kinds: ['access'], tokens: 'access tokens' },
  nonce: { kinds: ['id'], tokens: 'ID tokens' },
};
const A_TOKEN: Record<TokenKind, string> = { user: 'a user token', access: 'an access token', id: 'an ID token' };

/**
 * The first option given that a `kind` token does not take, as a message; undefined if none.
 * Shared with `tokens mint`, which checks before it opens the store and names its flags
 * (`name = (o) => `--${o}``).
 */
export function misplacedOption(kind: TokenKind, given: Partial<Record<KindOption, unknown>>, name = (option: string) => option): string | undefined {
  for (const [option, { kinds, tokens }] of Object.entries(KIND_OPTIONS) as [KindOption, (typeof KIND_OPTIONS)[KindOption]][]) {
    if (given[option] !== undefined && !kinds.includes(kind)) return `${name(option)} applies to ${tokens} only, not to ${A_TOKEN[kind]}`;
  }
  return undefined;
}

function list(value: string | readonly string[] | undefined, split: boolean): string[] {
  if (value === undefined) return [];
  if (typeof value === 'string') return split ? value.split(' ').filter((s) => s !== '') : [value];
  return [...value];
}

function pickClient(data: Readonly<Data>, id: string | undefined, kind: TokenKind): Client {
  if (id === undefined)
    throw new MintError(`a${kind === 'id' ? 'n ID' : 'n access'} token needs a client: it is issued to one (its ${kind === 'id' ? 'aud' : 'client_id'})`);
  const client = findClient(data, id);
  if (!client) throw new MintError(`no client ${JSON.stringify(id)} (${describeKnown(data.clients)})`, 'unknown_client');
  return client;
}

export function mintFromOptions(deps: MintDeps, opts: MintOptions): Minted {
  const kind = opts.kind ?? 'user';
  if (!Object.hasOwn(TOKEN_TYP, kind)) throw new MintError(`kind must be user, access or id; got ${JSON.stringify(kind)}`);
  if (opts.ttl !== undefined && (!Number.isInteger(opts.ttl) || opts.ttl <= 0))
    throw new MintError(`ttl must be a positive whole number of seconds; got ${opts.ttl}`);
  const misplaced = misplacedOption(kind, opts);
  if (misplaced !== undefined) throw new MintError(misplaced);
  const data = deps.store.read();
  const user = findUser(data, opts.user);
  if (!user) throw new MintError(`no user ${JSON.stringify(opts.user)} (${describeKnown(data.users)})`, 'unknown_user');
  const claims = opts.claims ?? {};
  const now = epochSeconds(deps.clock);

  if (kind === 'user') {
    return { kind, ...deps.tokens.mintUser(data, user, { ttl: opts.ttl ?? deps.ttl.userToken, authTime: now, claims }) };
  }

  const client = pickClient(data, opts.client, kind);
  if (kind === 'id') {
    const nonce = opts.nonce !== undefined ? { nonce: opts.nonce } : {};
    return { kind, ...deps.tokens.mintId(data, { user, clientId: client.id, authTime: now, ttl: opts.ttl ?? deps.ttl.idToken, claims, ...nonce }) };
  }

  const scope = opts.scope === undefined ? (client.default_scopes ?? client.scopes) : list(opts.scope, true);
  const outside = scope.filter((s) => !client.scopes.includes(s));
  if (outside.length > 0) throw new MintError(`client ${client.id} may not have scope ${outside.join(' ')} (allowed: ${client.scopes.join(' ') || 'none'})`);
  const resource = checkResources(client, list(opts.resource, false), (message) => new MintError(message));
  return {
    kind,
    ...deps.tokens.mintAccess(data, { user, client, scope, resource, authTime: now, ttl: opts.ttl ?? deps.ttl.accessToken, claims }),
  };
}

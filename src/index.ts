// The public API of the `oauth-mock` package (ESM; from CommonJS use `await import('oauth-mock')`).
export { startOAuthMock, OAuthMock, type OAuthMockOptions } from './api/start-oauth-mock.js';
export { ClaimsOverrideError, type ClaimsPatch, type OverrideOptions } from './api/claims-overrides.js';
export type { RevokedKind } from './api/revoke.js';
export type { ClientInput, SeedOptions } from './api/seed.js';
export { appConfig, createSeededStore, type AppConfigInput } from './api/app-config.js';
export { Events, type EventName, type EventMap, type AuthorizeRedirectEvent, type TokenEvent, type TokenRevokedEvent } from './events.js';
export { createRequestJournal, MASKED_PARAMS, type JournalEntry, type RequestJournal } from './journal.js';
export { mintFromOptions, MintError, type MintOptions, type Minted } from './tokens/mint.js';
export type { Claims, TokenKind, BeforeSign } from './tokens/tokens.js';
export { ensureKeys, type SigningAlg } from './tokens/keys.js';

// Lower level: build the Koa app yourself (supertest, no port) or listen with your own store.
export { createApp, type AppDeps } from './app.js';
export { listen, PortInUseError, type ListenOptions, type RunningServer } from './server.js';
export { createStore, createMemoryStore, type StoreOptions } from './store/index.js';
export type { Store, Tx } from './store/types.js';
export { loadFixtures, validateUser, validateClient, DEFAULT_FIXTURES_DIR } from './store/fixtures.js';
export type { Client, Data, User } from './core/types.js';
export type { AppConfig, Ttls } from './config/defaults.js';
export { resolveServerOptions, PROFILES, type ServerOptions, type ServerOptionsInput, type ProfileName } from './config/server-options.js';
export { DEFAULT_TTLS } from './config/defaults.js';
export type { Clock } from './core/clock.js';

export {
  OAuthError,
  InvalidRequest,
  InvalidClient,
  InvalidGrant,
  UnauthorizedClient,
  UnsupportedGrantType,
  UnsupportedResponseType,
  InvalidScope,
  InvalidTarget,
  AccessDenied,
  MissingBearer,
  InvalidToken,
  InsufficientScope,
  NotFound,
  MethodNotAllowed,
  PayloadTooLarge,
  ServerError,
} from './errors.js';

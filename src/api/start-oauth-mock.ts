// The programmatic API for test suites: a server on its own port with its own store, and
// the controls a test needs (mint, add, revoke, override claims, read the journal, reset).
import { EventEmitter } from 'node:events';
import { resolveServerOptions, type ServerOptions, type ServerOptionsInput } from '../config/server-options.js';
import { epochSeconds, type Clock } from '../core/clock.js';
import { resetState } from '../store/reset.js';
import type { Data, User } from '../core/types.js';
import { APP_EVENTS, Events, type EventMap } from '../events.js';
import { createRequestJournal, type JournalEntry, type RequestJournal } from '../journal.js';
import { listen, type RunningServer } from '../server.js';
import { issuerFor } from '../config/defaults.js';
import { createStore, redisUrlProblem } from '../store/index.js';
import type { Store } from '../store/types.js';
import { secretProblem } from '../tokens/keys.js';
import { mintFromOptions, type MintOptions } from '../tokens/mint.js';
import { createClaimsOverrides, type ClaimsOverrides, type ClaimsPatch, type OverrideOptions } from './claims-overrides.js';
import { revokeAny, type RevokedKind } from './revoke.js';
import { randomToken } from '../core/random.js';
import { createControls, type Controls, type ControlStatus } from '../control/controls.js';
import type { FaultEndpoint, FaultOptions, PendingFault } from '../control/faults.js';
import type { MisbehaviourName, PendingMisbehaviour } from '../control/misbehaviours.js';
import type { LoginOptions } from '../control/logins.js';
import { checkClient, checkUser, seedFrom, type ClientInput, type SeedOptions } from './seed.js';

/**
 * The server options (src/config/server-options.ts) and the mock's own. Defaults: port 0 (a free
 * port, so suites never collide), host 127.0.0.1, issuer http://host:port, alg HS256 (RS256 under the oidc profile; the secret
 * is `mock.secret`; RS256/ES256 publish keys at `mock.jwksUrl`), secret a fresh random one per
 * mock (≥ 32 bytes when given), profile spec, login auto (oidc: no login page unless `login: 'page'`).
 */
export interface OAuthMockOptions extends SeedOptions, ServerOptionsInput {
  /**
   * 'memory' (default): nothing is written; a store file (shared with the CLI); or Redis, shared
   * by replicas (`redis://[user:pass@]host:port/db`, or `{ url, reset }`), whose keys are named
   * by the issuer: pass `issuer` (or a fixed `port`) so every replica agrees on it.
   */
  store?: 'memory' | `redis://${string}` | `rediss://${string}` | { path: string; reset?: boolean } | { url: string; reset?: boolean };
  /** The time the mock's clock starts from and runs with (`mock.clock` moves it); default the system clock. */
  clock?: Clock;
  /** Serve the control API over HTTP too (like `start --control`), to `mock.controlToken`. */
  control?: boolean;
  /** How many requests `requests()` keeps (the latest); default 1,000. */
  journalLimit?: number;
  /** Unexpected (500) errors; default Koa's logging to stderr. */
  onError?: (error: unknown) => void;
  /**
   * Serve https. `true`: a CA and server certificate made for this mock (in memory with the
   * memory store; in `tls/` beside a store file, as `start --https` keeps them), trusted
   * through `mock.ca`. Or your own `{ cert, key }` (PEM). The issuer becomes https.
   */
  https?: boolean | { cert: string; key: string };
}

/** A running mock. Events: `token.issued`, `token.refreshed`, `token.revoked`, `authorize.redirect`, `request`. */
export class OAuthMock extends EventEmitter<EventMap> {
  readonly #server: RunningServer;
  readonly #store: Store;
  readonly #seed: SeedOptions;
  /** What reset returns to; built at the first reset, then read again only when the fixture files change. */
  #seedData: (() => Data) | undefined;
  readonly #journal: RequestJournal;
  readonly #overrides: ClaimsOverrides;
  readonly #controls: Controls;
  #stopped: Promise<void> | undefined;

  /** Built by startOAuthMock; not meant to be constructed directly. */
  constructor(parts: {
    server: RunningServer;
    store: Store;
    seed: SeedOptions;
    journal: RequestJournal;
    overrides: ClaimsOverrides;
    secret: string | undefined;
    ca?: string | undefined;
    controls: Controls;
    controlToken: string | undefined;
  }) {
    super();
    this.secret = parts.secret;
    this.ca = parts.ca;
    this.#controls = parts.controls;
    this.controlToken = parts.controlToken;
    const clock = parts.controls.clock;
    this.clock = {
      now: () => new Date(clock.now()),
      set: (date) => clock.set(date),
      advance: (by) => clock.advance(by),
      reset: () => clock.reset(),
    };
    this.#server = parts.server;
    this.#store = parts.store;
    this.#seed = parts.seed;
    this.#journal = parts.journal;
    this.#overrides = parts.overrides;
    for (const name of APP_EVENTS) parts.server.app.on(name, (payload: unknown) => this.emit(name, payload as never));
  }

  /** Where the server listens, e.g. http://127.0.0.1:53122. */
  get url(): string {
    return this.#server.url;
  }

  /** Exactly the `iss` of every token. */
  get issuer(): string {
    return this.#server.issuer;
  }

  get port(): number {
    return this.#server.port;
  }

  get discoveryUrl(): string {
    return `${this.url}${this.#server.app.appContext.paths.discovery}`;
  }

  get jwksUrl(): string {
    return `${this.url}${this.#server.app.appContext.paths.jwks}`;
  }

  /** The HS256 secret that verifies this mock's tokens; undefined under RS256/ES256 (use jwksUrl). */
  readonly secret: string | undefined;

  /**
   * Under `https: true`, the CA certificate (PEM) that issued the server's certificate: give it
   * to your HTTP client (`new Agent({ connect: { ca: mock.ca } })` for fetch). Else undefined.
   */
  readonly ca: string | undefined;

  /**
   * The server's clock: every iat, exp, auth_time, code and refresh expiry and pruning follows
   * it. `advance('90m' | ms)` moves it forward; `set(date)` jumps (the only way back); `reset()`.
   */
  readonly clock: { now(): Date; set(date: Date | string | number): void; advance(by: string | number): void; reset(): void };

  /** The bearer token of the control API (with `control: true`); undefined otherwise. */
  readonly controlToken: string | undefined;

  /** Base URL of the control API (with `control: true`), e.g. http://127.0.0.1:53122/_oauth-mock. */
  get controlUrl(): string | undefined {
    return this.#server.controlUrl;
  }

  /**
   * The next `times` (default 1) requests to `endpoint` fail: `{status, retryAfter}`,
   * `{error: 'invalid_grant'}` (in the profile's format), `{delayMs}`, `{drop: true}`, `{body}`.
   */
  fail(endpoint: FaultEndpoint, options: FaultOptions): PendingFault {
    return this.#controls.fail(endpoint, options);
  }

  /** The faults still pending, first to apply first. */
  faults(): PendingFault[] {
    return this.#controls.faults.pending();
  }

  /** The next `times` (default 1) tokens or responses misbehave as `name` (see README's table). */
  misbehave(name: MisbehaviourName, options: { times?: number } = {}): PendingMisbehaviour {
    return this.#controls.misbehave(name, options);
  }

  /** The next authorization request is made by this user, with these login claims (e.g. acr). */
  nextLogin(login: LoginOptions): void {
    const data = this.#store.read();
    if (typeof login?.user === 'string' && data.users[login.user] === undefined) throw new RangeError(`no user ${JSON.stringify(login.user)} in this mock`);
    this.#controls.nextLogin(login);
  }

  /** Clock, pending faults, misbehaviours and queued logins. */
  controlStatus(): ControlStatus {
    return this.#controls.status();
  }

  /** Mints a token with the options of `oauth-mock tokens mint`; claim overrides apply. */
  async mintToken(opts: MintOptions): Promise<string> {
    // A shared (Redis) store: see users and keys changed by other replicas or the CLI.
    await this.#store.refresh?.();
    const context = this.#server.app.appContext;
    return mintFromOptions({ store: this.#store, tokens: context.tokens, ttl: context.config.ttl, clock: context.clock }, opts).token;
  }

  async addUser(user: User): Promise<void> {
    const u = checkUser(user);
    await this.#store.update((tx) => tx.put('users', u.id, u));
  }

  async addClient(client: ClientInput): Promise<void> {
    const c = checkClient(client);
    await this.#store.update((tx) => tx.put('clients', c.id, c));
  }

  /** Revokes a refresh, access or user token without client authentication; false if it was not live. */
  async revoke(token: string): Promise<RevokedKind | false> {
    await this.#store.refresh?.();
    return revokeAny(this.#server.app.appContext, token);
  }

  /**
   * Changes the claims of the next tokens signed (issued at /oauth/token or minted), for
   * `times` tokens or until the returned function is called. `iss` cannot be overridden.
   */
  overrideClaims(claims: ClaimsPatch, opts?: OverrideOptions): () => void {
    return this.#overrides.add(claims, opts);
  }

  /** What the server received, oldest first (secrets masked). */
  requests(): JournalEntry[] {
    return this.#journal.entries();
  }

  /**
   * Back to the starting users and clients, with no codes or live grants; clears overrides,
   * the journal, and the clock, faults, misbehaviours and queued logins. Keys stay, so the
   * issuer and secret do not change; every token issued before the reset is refused from then
   * on (a reset epoch), so no revoked token comes back.
   */
  async reset(): Promise<void> {
    this.#controls.reset();
    await this.#store.refresh?.();
    const { clock } = this.#server.app.appContext;
    this.#seedData ??= seedFrom(this.#seed);
    await this.#store.replace(resetState(this.#store.read(), this.#seedData(), epochSeconds(clock)));
    this.#overrides.clear();
    this.#journal.clear();
  }

  /** Closes the port, connections, timers and store. Safe to call twice. */
  stop(): Promise<void> {
    this.#stopped ??= (async () => {
      this.#overrides.clear();
      try {
        await this.#server.close();
      } finally {
        await this.#store.close();
      }
    })();
    return this.#stopped;
  }
}

function openStoreFor(spec: OAuthMockOptions['store'], server: ServerOptions, seed: () => Data): Promise<Store> {
  if (spec === undefined || spec === 'memory') return createStore({ inMemory: true, seed });
  if (typeof spec === 'object' && 'path' in spec) return createStore({ path: spec.path, seed, ...(spec.reset !== undefined ? { reset: spec.reset } : {}) });
  const redis: { url: string; reset?: boolean } = typeof spec === 'string' ? { url: spec } : spec;
  const problem = redisUrlProblem(redis.url);
  if (problem) throw new RangeError(`store: ${problem}`);
  if (server.issuer === undefined && server.port === 0) {
    throw new RangeError('a Redis store needs `issuer` (or a fixed `port`): the issuer names its keys, so replicas must agree on it');
  }
  const namespace = server.issuer ?? issuerFor(server.host, server.port);
  return createStore({ url: redis.url, namespace, seed, ...(redis.reset !== undefined ? { reset: redis.reset } : {}) });
}

/** Starts a mock on its own port (default: a free one) with its own store. */
export async function startOAuthMock(options: OAuthMockOptions = {}): Promise<OAuthMock> {
  const seed: SeedOptions = {
    ...(options.fixtures !== undefined ? { fixtures: options.fixtures } : {}),
    ...(options.users ? { users: options.users } : {}),
    ...(options.clients ? { clients: options.clients } : {}),
  };
  const problem = options.secret === undefined ? undefined : secretProblem(options.secret);
  if (problem) throw new RangeError(problem);
  // Checked before a store is opened; listen() is handed the same resolved options.
  const serverOptions = resolveServerOptions(options, { port: 0, login: 'auto' });
  const seedData = seedFrom(seed);
  const spec = options.store ?? 'memory';
  const tls = await tlsFor(options.https, typeof spec === 'object' && 'path' in spec ? spec.path : null, serverOptions.host, serverOptions.issuer);
  const store = await openStoreFor(spec, serverOptions, seedData);
  const overrides = createClaimsOverrides();
  const controls = createControls({ alg: serverOptions.alg, ...(options.clock !== undefined ? { base: options.clock } : {}) });
  const controlToken = options.control === true ? randomToken(32) : undefined;
  // The journal exists before the mock it reports to (the app needs it to be built).
  const ref: { mock?: OAuthMock } = {};
  const journal = createRequestJournal({
    ...(options.journalLimit !== undefined ? { limit: options.journalLimit } : {}),
    onRecord: (entry) => ref.mock?.emit(Events.request, entry),
  });
  let server: RunningServer;
  try {
    server = await listen({
      ...serverOptions,
      store,
      ...(tls ? { tls: { cert: tls.cert, key: tls.key } } : {}),
      beforeSign: overrides.beforeSign,
      journal,
      controls,
      ...(controlToken !== undefined ? { controlToken } : {}),
      ...(options.onError !== undefined ? { onError: options.onError } : {}),
    });
  } catch (error) {
    await store.close();
    throw error;
  }
  // listen() made sure the store holds a secret (HS256) or key pair before answering.
  const secret = server.app.appContext.config.alg === 'HS256' ? (options.secret ?? store.read().meta.secret) : undefined;
  ref.mock = new OAuthMock({ server, store, seed, journal, overrides, secret, ca: tls?.ca, controls, controlToken });
  return ref.mock;
}

/** The certificate the mock serves, or undefined for plain http. Loaded only when asked for. */
async function tlsFor(
  https: OAuthMockOptions['https'],
  storePath: string | null,
  host: string,
  issuer: string | undefined,
): Promise<{ cert: string; key: string; ca?: string | undefined } | undefined> {
  if (https === undefined || https === false) return undefined;
  if (https !== true) {
    // The same checks as --cert/--key, so a wrong pair is a clear RangeError, not an OpenSSL one.
    const { checkPair, TlsPairError } = await import('../tls/user-pair.js');
    try {
      checkPair(https.cert, https.key, { cert: 'https.cert', key: 'https.key' });
    } catch (error) {
      throw error instanceof TlsPairError ? new RangeError(error.message) : error;
    }
    return { cert: https.cert, key: https.key };
  }
  const { serverNames } = await import('../tls/certificates.js');
  const { ensureTlsDir, inMemoryTls, tlsDirFor } = await import('../tls/tls-dir.js');
  const names = serverNames(host, issuer);
  return storePath === null ? inMemoryTls(names) : ensureTlsDir(tlsDirFor(storePath), names);
}

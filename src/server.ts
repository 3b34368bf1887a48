import { createServer, type RequestListener, type Server } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createApp, type AppDeps } from './app.js';
import { issuerFor } from './config/defaults.js';
import { appConfigFor, resolveServerOptions, type ServerOptionsInput } from './config/server-options.js';
import { epochSeconds, systemClock, type Clock } from './core/clock.js';
import { answerClientError, isClientAbort } from './http/client-error.js';
import { withFastPath } from './http/fast-path.js';
import { controlUrlFor } from './control/prefix.js';
import type { RequestLogger } from './http/middleware/request-log.js';
import { registerServer, unregisterServer, type LiveServer } from './store/live-servers.js';
import type { Store } from './store/types.js';
import type { ImportedKey } from './tokens/key-import.js';
import { ensureKeys } from './tokens/keys.js';

/** The server options (src/config/server-options.ts; `port` and `host` required) and what runs with them. */
export interface ListenOptions extends ServerOptionsInput {
  store: Store;
  port: number;
  host: string;
  /** A private key brought with --key-file; it becomes the active signing key (kept in the store). */
  key?: ImportedKey;
  clock?: Clock;
  log?: RequestLogger;
  /** Called with unexpected (500) errors; defaults to Koa's stderr logging. */
  onError?: (error: unknown) => void;
  /** How often expired codes, grants and denylist entries are dropped, in ms. */
  pruneEveryMs?: number;
  /** Passed to createApp: claim overrides before signing, and a request journal. */
  beforeSign?: AppDeps['beforeSign'];
  journal?: AppDeps['journal'];
  /** Recorded with the server in a file store, so terminal commands find it (default: this process). */
  pid?: number;
  /** Serve https with this certificate (chain) and key, both PEM; the default issuer is then https. */
  tls?: { cert: string; key: string };
  /** Test control (its clock replaces `clock`); with `controlToken`, the control API is served too. */
  controls?: AppDeps['controls'];
  controlToken?: string;
}

export interface RunningServer {
  readonly url: string;
  readonly issuer: string;
  readonly port: number;
  readonly app: ReturnType<typeof createApp>;
  /** The node:http server, or node:https under `tls`. */
  readonly http: Server | HttpsServer;
  /** With a control token: the control API's base URL. */
  readonly controlUrl?: string;
  /** Stops accepting, closes connections and timers; the store stays open (its owner closes it). */
  close(): Promise<void>;
}

/** The port could not be bound; the message names the input and what to do. */
export class ListenError extends Error {}

export class PortInUseError extends ListenError {
  constructor(host: string, port: number) {
    super(`port ${port} on ${host} is already in use; stop what holds it or pass --port <another> (--port 0 picks a free one)`);
  }
}

/** One line for what bind() says, the way "port in use" is answered; other errors pass through. */
export function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  switch (error.code) {
    case 'EADDRINUSE':
      return new PortInUseError(host, port);
    case 'EACCES':
      return new ListenError(`no permission to listen on port ${port} of ${host} (ports below 1024 need root); pass --port 9400, or --port 0 for a free one`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
      return new ListenError(`--host ${host} is neither an IP address nor a name this machine resolves (${error.code}); use 127.0.0.1, ::1 or 0.0.0.0`);
    case 'EADDRNOTAVAIL':
      return new ListenError(`--host ${host} is not an address of this machine (EADDRNOTAVAIL); use 127.0.0.1, ::1 or 0.0.0.0 (all interfaces)`);
    default:
      return error;
  }
}

function listenOn(server: Server | HttpsServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => reject(listenError(error, host, port));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeHttp(http: Server | HttpsServer): Promise<void> {
  return new Promise<void>((resolve) => {
    http.close(() => resolve());
    http.closeAllConnections();
  });
}

/** Starts oauth-mock on a port. The store must already be open. */
export async function listen(options: ListenOptions): Promise<RunningServer> {
  const resolved = resolveServerOptions(options);
  const clock = options.controls?.clock ?? options.clock ?? systemClock;
  const { alg } = resolved;
  const { store } = options;
  await ensureKeys(
    store,
    { alg, ...(resolved.secret !== undefined ? { secret: resolved.secret } : {}), ...(options.key ? { imported: options.key } : {}) },
    epochSeconds(clock),
  );
  await store.prune(epochSeconds(clock));

  // Everything that can be refused (the issuer included) was checked by resolveServerOptions,
  // before the port is bound.
  const scheme = options.tls ? 'https' : 'http';
  // node:https (and node:tls under it) loads only for https: ~5 ms of every plain start.
  const http = options.tls ? (await import('node:https')).createServer({ cert: options.tls.cert, key: options.tls.key }) : createServer();
  const port = await listenOn(http, resolved.port, resolved.host);
  const config = { ...appConfigFor(resolved, resolved.issuer ?? issuerFor(resolved.host, port, scheme)), https: options.tls !== undefined };
  const { issuer } = config;
  const controlUrl = options.controlToken !== undefined ? controlUrlFor(issuerFor(resolved.host, port, scheme), issuer) : undefined;
  let app: ReturnType<typeof createApp>;
  let live: LiveServer | undefined;
  try {
    const deps: AppDeps = {
      store,
      clock,
      config,
      ...(resolved.secret !== undefined ? { secret: resolved.secret } : {}),
      ...(options.log ? { log: options.log } : {}),
      ...(options.beforeSign ? { beforeSign: options.beforeSign } : {}),
      ...(options.journal ? { journal: options.journal } : {}),
      ...(options.controls ? { controls: options.controls } : {}),
      ...(options.controlToken !== undefined ? { controlToken: options.controlToken } : {}),
    };
    app = createApp(deps);
    const onError = options.onError ?? ((error: unknown) => app.onerror(error as Error));
    // An aborted upload is the client's doing: no "server error" with a stack, once per abort.
    app.on('error', (error: unknown) => {
      if (!isClientAbort(error)) onError(error);
    });
    // What the HTTP parser refuses (e.g. headers over 16 KiB) is answered in the profile's format.
    http.on('clientError', answerClientError(app.appContext.profile));
    // Attached in the same tick as the port opens: a request that arrived while an `await`
    // stood between the two would find no handler and hang.
    const koa = app.callback();
    // Koa's handler settles its own errors; its promise is not the listener's business.
    const listener: RequestListener = (req, res) => void koa(req, res);
    // The fast path logs and journals what it answers as Koa would, so the CLI and the library
    // (which always keeps a journal) run the same path.
    http.on('request', withFastPath(app.appContext, listener, options.log, options.journal));

    // A file store records who serves it, so terminal-minted tokens carry a live server's
    // issuer (this may wait for the store lock). A memory store is seen by no one else.
    if (store.path !== null) {
      live = {
        issuer,
        url: issuerFor(resolved.host, port, scheme),
        pid: options.pid ?? process.pid,
        alg,
        started_at: epochSeconds(clock),
        ...(controlUrl !== undefined && options.controlToken !== undefined ? { control: { url: controlUrl, token: options.controlToken } } : {}),
      };
      await registerServer(store, live);
    } else if (store.read().meta.alg !== alg) {
      await store.update((tx) => tx.setMeta('alg', alg));
    }
  } catch (error) {
    // A start-up failure never leaves the port bound (nor the process alive for it).
    await closeHttp(http);
    throw error;
  }

  // A store whose backend expires records itself (Redis TTLs) needs no pruning timer.
  const pruner = store.expiresRecords
    ? undefined
    : setInterval(() => {
        store.prune(epochSeconds(clock)).catch((error: unknown) => app.emit('error', error));
      }, options.pruneEveryMs ?? 60_000);
  pruner?.unref();

  return {
    url: issuerFor(resolved.host, port, scheme),
    issuer,
    port,
    app,
    http,
    ...(controlUrl !== undefined ? { controlUrl } : {}),
    async close() {
      clearInterval(pruner);
      await closeHttp(http);
      // Best effort: a record left behind names a dead pid, which readers ignore.
      if (live) await unregisterServer(store, live).catch(() => {});
    },
  };
}

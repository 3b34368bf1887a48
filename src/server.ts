import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type AppDeps } from './app.js';
import { issuerFor } from './config/defaults.js';
import { appConfigFor, resolveServerOptions, type ServerOptionsInput } from './config/server-options.js';
import { epochSeconds, systemClock, type Clock } from './core/clock.js';
import { withFastPath } from './http/fast-path.js';
import type { RequestLogger } from './http/middleware/request-log.js';
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
}

export interface RunningServer {
  readonly url: string;
  readonly issuer: string;
  readonly port: number;
  readonly app: ReturnType<typeof createApp>;
  readonly http: Server;
  /** Stops accepting, closes connections and timers; the store stays open (its owner closes it). */
  close(): Promise<void>;
}

export class PortInUseError extends Error {
  constructor(host: string, port: number) {
    super(`port ${port} on ${host} is already in use; stop what holds it or pass --port <another> (--port 0 picks a free one)`);
  }
}

function listenOn(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(host, port) : error);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeHttp(http: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    http.close(() => resolve());
    http.closeAllConnections();
  });
}

/** Starts oauth-mock on a port. The store must already be open. */
export async function listen(options: ListenOptions): Promise<RunningServer> {
  const resolved = resolveServerOptions(options);
  const clock = options.clock ?? systemClock;
  const { alg } = resolved;
  const { store } = options;
  await ensureKeys(store, { alg, ...(resolved.secret !== undefined ? { secret: resolved.secret } : {}), ...(options.key ? { imported: options.key } : {}) }, epochSeconds(clock));
  await store.prune(epochSeconds(clock));

  const http = createServer();
  const port = await listenOn(http, resolved.port, resolved.host);
  const config = appConfigFor(resolved, resolved.issuer ?? issuerFor(resolved.host, port));
  const { issuer } = config;
  const deps: AppDeps = {
    store, clock, config,
    ...(resolved.secret !== undefined ? { secret: resolved.secret } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(options.beforeSign ? { beforeSign: options.beforeSign } : {}),
    ...(options.journal ? { journal: options.journal } : {}),
  };
  const app = createApp(deps);
  if (options.onError) app.on('error', options.onError);
  // Attached in the same tick as the port opens: a request that arrived while an `await`
  // stood between the two would find no handler and hang.
  // The request journal records every request in Koa, so with one the fast path stays off.
  http.on('request', options.journal ? app.callback() : withFastPath(app.appContext, app.callback(), options.log));

  try {
    // So terminal-minted tokens carry this server's issuer (it may wait for the store lock).
    const meta = store.read().meta;
    if (meta.issuer !== issuer || meta.alg !== alg) {
      await store.update((tx) => {
        tx.setMeta('issuer', issuer);
        tx.setMeta('alg', alg);
      });
    }
  } catch (error) {
    await closeHttp(http);
    throw error;
  }

  const pruner = setInterval(() => {
    store.prune(epochSeconds(clock)).catch((error: unknown) => app.emit('error', error));
  }, options.pruneEveryMs ?? 60_000);
  pruner.unref();

  return {
    url: issuerFor(resolved.host, port), issuer, port, app, http,
    async close() {
      clearInterval(pruner);
      await closeHttp(http);
    },
  };
}

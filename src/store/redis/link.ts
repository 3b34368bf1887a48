// The one connection a Redis store talks over: connecting (failing fast at start), running Lua
// scripts by digest, reconnecting by itself, and turning a lost connection into
// `temporarily_unavailable` rather than a queue that waits forever.
import { createHash } from 'node:crypto';
// Only types here: the client itself is loaded when a Redis store is opened (below), so terminal
// commands on a file store never load it.
import type { ErrorReply as ErrorReplyClass, RedisClientType } from '@redis/client';
import { TemporarilyUnavailable } from '../../errors.js';
import { describeRedisUrl, redisUrlProblem } from './url.js';

/** How long one call may take before the request gets a 503 instead of waiting on. */
const COMMAND_TIMEOUT_MS = 5_000;
const CONNECT_TIMEOUT_MS = 3_000;

type Client = RedisClientType;
type Reply = Array<string | number | Reply> | null;

export class RedisLink {
  readonly description: string;
  readonly #client: Client;
  readonly #digests = new Map<string, string>();
  /** The client's class for errors Redis answered with (from the lazily loaded module). */
  readonly #ErrorReply: typeof ErrorReplyClass;

  private constructor(client: Client, description: string, errorReply: typeof ErrorReplyClass) {
    this.#client = client;
    this.description = description;
    this.#ErrorReply = errorReply;
  }

  /** Connects once; a Redis that cannot be reached now is an error with one clear line. */
  static async connect(url: string): Promise<RedisLink> {
    const problem = redisUrlProblem(url);
    if (problem) throw new Error(problem);
    const description = describeRedisUrl(url);
    const loaded = await import('@redis/client');
    // A CommonJS package: bundled, its exports may sit on `default`.
    const { createClient, ErrorReply } = typeof loaded.createClient === 'function' ? loaded : (loaded as unknown as { default: typeof loaded }).default;
    let connected = false;
    const client = createClient({
      url,
      // Commands made while the connection is down fail at once (→ 503) instead of queueing.
      disableOfflineQueue: true,
      socket: {
        connectTimeout: CONNECT_TIMEOUT_MS,
        // At start, fail; once serving, keep trying (the server answers 503 meanwhile).
        reconnectStrategy: (retries: number, cause: Error) => (connected ? Math.min(50 * 2 ** retries, 1_000) : cause),
      },
    });
    // Without a listener, node-redis rethrows connection errors as uncaught ones.
    client.on('error', () => {});
    try {
      await client.connect();
    } catch (error) {
      client.destroy();
      throw new Error(`cannot reach Redis at ${description} (${reason(error)}); start it, or point --store (or OAUTH_MOCK_STORE) at a running one`);
    }
    connected = true;
    // One line when the connection is lost and one when it is back, not one per failed request.
    let lost = false;
    client.on('error', (error: unknown) => {
      if (lost) return;
      lost = true;
      process.emitWarning(
        `oauth-mock store: lost the connection to Redis at ${description} (${reason(error)}); answering 503 temporarily_unavailable until it is back`,
      );
    });
    client.on('ready', () => {
      if (!lost) return;
      lost = false;
      process.emitWarning(`oauth-mock store: reconnected to Redis at ${description}`);
    });
    const link = new RedisLink(client, description, ErrorReply);
    const version = /redis_version:(\d+)\.(\d+)/.exec(String(await link.#call(['INFO', 'server'])));
    if (version && Number(version[1]) * 100 + Number(version[2]) < 602) {
      await link.close();
      throw new Error(`Redis at ${description} is version ${version[1]}.${version[2]}; oauth-mock needs 6.2 or newer`);
    }
    return link;
  }

  /** Runs a script by its SHA-1, loading it when Redis does not know it (after a restart). */
  async eval(script: string, args: readonly string[]): Promise<Reply> {
    let digest = this.#digests.get(script);
    if (digest === undefined) this.#digests.set(script, (digest = createHash('sha1').update(script).digest('hex')));
    try {
      return (await this.#call(['EVALSHA', digest, '0', ...args])) as Reply;
    } catch (error) {
      if (!(error instanceof this.#ErrorReply && error.message.startsWith('NOSCRIPT'))) throw error;
      return (await this.#call(['EVAL', script, '0', ...args])) as Reply;
    }
  }

  async close(): Promise<void> {
    try {
      if (this.#client.isOpen) await this.#client.close();
    } catch {
      this.#client.destroy();
    }
  }

  async #call(args: string[]): Promise<unknown> {
    try {
      return await this.#client.sendCommand(args, { timeout: COMMAND_TIMEOUT_MS });
    } catch (error) {
      // An error Redis answered with is a bug or a misconfiguration (a 500), unless it says
      // Redis cannot serve right now, e.g. while it loads its data after a restart.
      if (error instanceof this.#ErrorReply && !/^(LOADING|BUSY|TRYAGAIN|MASTERDOWN|READONLY|MISCONF)\b/.test(error.message)) throw error;
      // The library's own wording varies with the moment of the loss; the cause keeps it.
      throw new TemporarilyUnavailable(`the store (Redis at ${this.description}) is unreachable; retry shortly`, { cause: error });
    }
  }
}

function reason(error: unknown): string {
  const e = error as { code?: string; message?: string; errors?: unknown[] } | undefined;
  // A refused connection to "localhost" is an AggregateError of one per address tried.
  if (Array.isArray(e?.errors) && e.errors.length > 0) return reason(e.errors[0]);
  return e?.message ?? e?.code ?? String(error);
}

// Faults on the next N requests to an endpoint. Taking one is synchronous, so of any number of
// parallel requests exactly `times` get it (Node runs one request's middleware at a time).

export const FAULT_ENDPOINTS = ['authorize', 'token', 'userinfo', 'revoke', 'introspection', 'discovery', 'jwks', 'end_session'] as const;
export type FaultEndpoint = (typeof FAULT_ENDPOINTS)[number];

export interface FaultOptions {
  /** How many requests it applies to; default 1. */
  times?: number;
  /** Answer with this status (an OAuth error in the profile's format, or `body`). */
  status?: number;
  /** Answer with this OAuth error code (e.g. `invalid_grant`), in the profile's format. */
  error?: string;
  /** The error's description. */
  message?: string;
  /** Seconds, sent as `Retry-After`. */
  retryAfter?: number;
  /** Wait this long first; alone, the request is then answered normally. */
  delayMs?: number;
  /** Close the socket with no response. */
  drop?: boolean;
  /** Send this text as the body (status default 200, Content-Type application/json). */
  body?: string;
}

export interface PendingFault extends Omit<FaultOptions, 'times'> {
  id: number;
  endpoint: FaultEndpoint;
  /** Requests it still applies to. */
  remaining: number;
}

export function isFaultEndpoint(value: unknown): value is FaultEndpoint {
  return typeof value === 'string' && (FAULT_ENDPOINTS as readonly string[]).includes(value);
}

const KNOWN = new Set(['times', 'status', 'error', 'message', 'retryAfter', 'delayMs', 'drop', 'body']);

/** Checks what a caller (TypeScript, JSON or the CLI) asked for; RangeError with what to fix. */
export function checkFault(endpoint: unknown, options: unknown): { endpoint: FaultEndpoint; options: FaultOptions } {
  if (!isFaultEndpoint(endpoint)) throw new RangeError(`endpoint must be one of ${FAULT_ENDPOINTS.join(', ')}; got ${JSON.stringify(endpoint)}`);
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new RangeError('fault options must be an object');
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) if (!KNOWN.has(key)) throw new RangeError(`unknown fault option ${JSON.stringify(key)}; known: ${[...KNOWN].join(', ')}`);
  const whole = (name: string, min: number, max: number) => {
    const v = o[name];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)) {
      throw new RangeError(`${name} must be a whole number from ${min} to ${max}; got ${JSON.stringify(v)}`);
    }
  };
  whole('times', 1, 1_000_000);
  whole('status', 200, 599);
  whole('retryAfter', 0, 86_400);
  whole('delayMs', 0, 600_000);
  for (const name of ['error', 'message', 'body'] as const) {
    if (o[name] !== undefined && typeof o[name] !== 'string') throw new RangeError(`${name} must be a string`);
  }
  if (o.error !== undefined && !/^[\x20-\x21\x23-\x5B\x5D-\x7E]+$/.test(o.error as string))
    throw new RangeError('error must be an OAuth error code such as invalid_grant');
  if (o.drop !== undefined && typeof o.drop !== 'boolean') throw new RangeError('drop must be true or false');
  if (o.error !== undefined && o.body !== undefined) throw new RangeError('give error or body, not both');
  if (o.drop === true && (o.error !== undefined || o.body !== undefined || o.status !== undefined))
    throw new RangeError('drop closes the socket: it takes no status, error or body');
  if (typeof o.status === 'number' && o.status < 400 && o.body === undefined) throw new RangeError('a status below 400 needs a body');
  if (o.status === undefined && o.error === undefined && o.body === undefined && o.drop !== true && o.delayMs === undefined) {
    throw new RangeError('a fault needs status, error, body, drop or delayMs');
  }
  return { endpoint, options: o };
}

export interface Faults {
  add(endpoint: FaultEndpoint, options: FaultOptions): PendingFault;
  /** The fault the next request to `endpoint` gets, consumed; undefined when none is pending. */
  take(endpoint: FaultEndpoint): PendingFault | undefined;
  pending(): PendingFault[];
  has(endpoint: FaultEndpoint): boolean;
  clear(): void;
}

export function createFaults(): Faults {
  let queue: PendingFault[] = [];
  let nextId = 1;
  return {
    add(endpoint, options) {
      const { times = 1, ...rest } = options;
      const fault: PendingFault = { id: nextId++, endpoint, remaining: times, ...rest };
      queue.push(fault);
      return { ...fault };
    },
    take(endpoint) {
      // First in, first served: a second fault on the same endpoint waits for the first.
      const fault = queue.find((f) => f.endpoint === endpoint);
      if (!fault) return undefined;
      fault.remaining -= 1;
      if (fault.remaining === 0) queue = queue.filter((f) => f !== fault);
      return { ...fault };
    },
    pending: () => queue.map((f) => ({ ...f })),
    has: (endpoint) => queue.some((f) => f.endpoint === endpoint),
    clear() {
      queue = [];
    },
  };
}

// A clock a test suite moves: every iat, exp, auth_time, code and refresh expiry, session age
// and pruning reads the injected Clock (src/core/clock.ts), so moving this one moves them all.
import type { Clock } from '../core/clock.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90m`, `1h30m`, `2d`, `45s`, `500ms`, or a number of milliseconds. RangeError otherwise. */
export function parseDuration(value: string | number): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`a duration must be a non-negative number of milliseconds; got ${value}`);
    return Math.round(value);
  }
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const parts = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/.test(text) ? text.match(/\d+(?:\.\d+)?(?:ms|s|m|h|d)/g) : null;
  if (!parts) throw new RangeError(`cannot read duration ${JSON.stringify(value)}; use e.g. 90m, 1h, 30s, 2d, 500ms or milliseconds`);
  let total = 0;
  for (const part of parts) {
    const [, amount, unit] = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(part) as RegExpExecArray;
    total += Number(amount) * (UNITS[unit as string] as number);
  }
  return Math.round(total);
}

/** A date, an ISO 8601 string or epoch milliseconds. RangeError otherwise. */
export function parseInstant(value: Date | string | number): number {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) throw new RangeError(`cannot read date ${JSON.stringify(value)}; use an ISO 8601 date such as 2030-01-01T00:00:00Z`);
  return ms;
}

export interface ClockState {
  /** What the server believes the time is (ISO 8601). */
  now: string;
  /** How far it is from the real clock, in ms (0 after reset). */
  offsetMs: number;
}

export interface ControlClock extends Clock {
  /** Jumps to `date`, forward or back: the only way time moves backwards. */
  set(date: Date | string | number): void;
  /** Moves forward by `90m`, `1h`, ... or ms; never backwards. */
  advance(by: string | number): void;
  /** Back to the real time. */
  reset(): void;
  state(): ClockState;
}

/**
 * The real clock (or `base`) plus an offset. It keeps running between changes, so an
 * `advance('1h')` is one hour ahead of the real time from then on, as a suite expects.
 */
export function createControlClock(base: Clock): ControlClock {
  let offset = 0;
  const now = () => base.now() + offset;
  return {
    now,
    set(date) {
      offset = parseInstant(date) - base.now();
    },
    advance(by) {
      offset += parseDuration(by);
    },
    reset() {
      offset = 0;
    },
    state: () => ({ now: new Date(now()).toISOString(), offsetMs: offset }),
  };
}

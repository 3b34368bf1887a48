// Test control: the clock, faults, misbehaviours and queued logins of one server, behind one
// object that the programmatic API, the admin API and the CLI all drive.
import type { Clock } from '../core/clock.js';
import type { OAuthError } from '../errors.js';
import { createControlClock, type ClockState, type ControlClock } from './clock.js';
import { checkFault, createFaults, type FaultOptions, type Faults, type PendingFault } from './faults.js';
import { checkLogin, createLogins, type LoginOptions, type Logins } from './logins.js';
import { checkMisbehaviour, createMisbehaviours, needsJwks, type Misbehaviours, type PendingMisbehaviour } from './misbehaviours.js';
import { createTampering, type Tampering } from './tamper.js';

export interface ControlStatus {
  clock: ClockState;
  faults: PendingFault[];
  misbehaviours: PendingMisbehaviour[];
  logins: LoginOptions[];
}

export interface Controls {
  readonly clock: ControlClock;
  readonly faults: Faults;
  readonly misbehaviours: Misbehaviours;
  readonly logins: Logins;
  readonly tampering: Tampering;
  /** Checked input (RangeError says what to fix), then queued. */
  fail(endpoint: unknown, options: unknown): PendingFault;
  misbehave(name: unknown, options?: { times?: unknown }): PendingMisbehaviour;
  nextLogin(login: unknown): void;
  /**
   * Requests whose authorize fault is an OAuth error: thrown by `authorizeFault` once the
   * client's redirect_uri is trusted, so it is redirected back to the client (RFC 6749 §4.1.2.1).
   */
  readonly deferred: WeakMap<object, OAuthError>;
  /** Called by authorize once the request is validated: throws this request's deferred fault, if any. */
  authorizeFault(ctx: object): void;
  /** True while something is pending that the fast path (src/http/fast-path.ts) would not apply. */
  busy(): boolean;
  status(): ControlStatus;
  /** Real time, no faults, no misbehaviours, no queued logins, no extra keys. */
  reset(): void;
}

export interface ControlsOptions {
  /** The time the control clock starts from and runs with; default the system clock. */
  base?: Clock;
  /** The server's algorithm: misbehaviours about published keys need RS256 or ES256. */
  alg?: string;
}

export function createControls(options: ControlsOptions = {}): Controls {
  const clock = createControlClock(options.base ?? { now: () => Date.now() });
  const faults = createFaults();
  const misbehaviours = createMisbehaviours();
  const logins = createLogins();
  const tampering = createTampering(misbehaviours, clock);
  const deferred = new WeakMap<object, OAuthError>();
  return {
    clock,
    faults,
    misbehaviours,
    logins,
    tampering,
    deferred,
    authorizeFault(ctx) {
      const error = deferred.get(ctx);
      if (error === undefined) return;
      deferred.delete(ctx);
      throw error;
    },
    fail(endpoint, opts) {
      const checked = checkFault(endpoint, opts ?? {});
      return faults.add(checked.endpoint, checked.options);
    },
    misbehave(name, opts = {}) {
      const checked = checkMisbehaviour(name, opts.times);
      if (needsJwks(checked.name) && options.alg === 'HS256') {
        throw new RangeError(`${checked.name} is about published keys, and HS256 publishes none; start the server with alg RS256 or ES256`);
      }
      return misbehaviours.add(checked.name, checked.times);
    },
    nextLogin(login) {
      logins.queue(checkLogin(login));
    },
    busy: () => faults.pending().length > 0 || misbehaviours.pending().length > 0 || tampering.publishesExtraKeys(),
    status: () => ({ clock: clock.state(), faults: faults.pending(), misbehaviours: misbehaviours.pending(), logins: logins.pending() }),
    reset() {
      clock.reset();
      faults.clear();
      misbehaviours.clear();
      logins.clear();
      tampering.clear();
    },
  };
}

export type { FaultOptions, LoginOptions };

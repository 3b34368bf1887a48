import { Chalk, type ChalkInstance } from 'chalk';

/** Everything a command touches of the outside world; bin/ builds it from `process`. */
export interface Io {
  /** Data: tokens, JSON, tables. */
  stdout(text: string): void;
  /** Messages for people: banners, logs, errors. */
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Whether stderr is a terminal and NO_COLOR is unset: colour only then. */
  color: boolean;
  /** Whether stdin is a terminal (prompts and confirmations). */
  interactive: boolean;
  /** Aborted when the process is asked to stop (SIGINT/SIGTERM). */
  stopSignal: AbortSignal;
  /** This process's id, for the ready line of `start` (harnesses stop the server by it). */
  pid: number;
  /**
   * Calls `onGone` once the process that started this one is gone (start --exit-with-parent);
   * returns a function that stops watching. bin/ provides it; absent, nothing is watched.
   */
  watchParent?(onGone: () => void): () => void;
  /** Asks a yes/no question on the terminal; only used when `interactive`. */
  confirm?(question: string): Promise<boolean>;
}

export function paint(io: Io): ChalkInstance {
  return new Chalk({ level: io.color ? 1 : 0 });
}

/** A failure the user can act on: one line, and the exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
  }
}

/** Writes a JSON document to stdout, for --json. */
export function printJson(io: Io, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

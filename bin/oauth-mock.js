#!/usr/bin/env node
// The only place that touches `process`: it builds the Io and turns the result into an exit code.
import { getEventListeners } from 'node:events';
import { constants } from 'node:os';
import { createInterface } from 'node:readline/promises';
import { run } from '../dist/cli.js';

// A serving `start` listens on stopSignal and stops gracefully (closing the port, removing its
// ready file). Anything else — a command, or a start-up stalled on the store lock — has nothing
// to clean up and ends at once; so does a second signal, e.g. a second Ctrl-C.
const stop = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (stop.signal.aborted || getEventListeners(stop.signal, 'abort').length === 0) process.exit(128 + constants.signals[signal]);
    stop.abort();
  });
}

process.exitCode = await run(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
  color: Boolean(process.stderr.isTTY) && !process.env.NO_COLOR,
  interactive: Boolean(process.stdin.isTTY),
  stopSignal: stop.signal,
  pid: process.pid,
  async confirm(question) {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
    } finally {
      rl.close();
    }
  },
});

#!/usr/bin/env node
'use strict';
// The only place that touches `process`: it builds the Io and turns the result into an exit code.
// CommonJS (bin/package.json): as an ES module, every command paid ~7 ms CPU for Node's ES module
// loader (module jobs, translators, and the fs/promises, readline and streams modules it loads).
const { getEventListeners } = require('node:events');
const { constants } = require('node:os');
const { run, watchParent } = require('../dist/cli-cached.cjs');

// A serving `start` listens on stopSignal and stops gracefully (closing the port, removing its
// ready file). Anything else — a command, or a start-up stalled on the store lock — has nothing
// to clean up and ends at once; so does a second signal, e.g. a second Ctrl-C.
// The controller is made when a command first asks for the signal (only `start` does): an
// AbortController loads node's abort_controller module, ~1.5 ms of every other command's start.
let stop;
const stopSignal = () => (stop ??= new AbortController()).signal;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (stop === undefined || stop.signal.aborted || getEventListeners(stop.signal, 'abort').length === 0) process.exit(128 + constants.signals[signal]);
    stop.abort();
  });
}
// A harness that is gone closes the pipes a server still writes "stopping…" to: shut down
// cleanly rather than die on EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

/** What `start --exit-with-parent` watches: the parent pid, and an IPC channel if there is one. */
const parentProbe = {
  parent: process.ppid,
  ppid: () => process.ppid,
  alive(pid) {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      return error.code === 'EPERM';
    }
  },
  onChannelClose(callback) {
    if (!process.channel) return () => {};
    process.once('disconnect', callback);
    // The channel must not keep a stopped server's process alive.
    process.channel.unref();
    return () => process.off('disconnect', callback);
  },
};

void run(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
  color: Boolean(process.stderr.isTTY) && !process.env.NO_COLOR,
  // Read when asked: process.stdin makes a stream (~1 ms), and only confirmations need it.
  get interactive() {
    return Boolean(process.stdin.isTTY);
  },
  get stopSignal() {
    return stopSignal();
  },
  pid: process.pid,
  watchParent: (onGone) => watchParent(parentProbe, onGone),
  async confirm(question) {
    // Loaded when a command asks: node:readline costs every other command ~3 ms of start-up.
    const { createInterface } = require('node:readline/promises');
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
    } finally {
      rl.close();
    }
  },
}).then((code) => {
  process.exitCode = code;
});

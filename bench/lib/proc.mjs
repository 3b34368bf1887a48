// Child processes for the bench: pinned to a core when taskset exists, with CPU accounting
// from /proc so a run can show which side (server or load generator) was saturated.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const HAS_TASKSET = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
const TICKS = 100; // USER_HZ on Linux

export function hasTaskset() {
  return HAS_TASKSET;
}

export function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

/** Spawns `cmd args` pinned to `core` (taskset execs, so the pid is the command's own). */
export function spawnPinned(core, cmd, args, options = {}) {
  const [file, argv] = HAS_TASKSET && core !== undefined ? ['taskset', ['-c', String(core), cmd, ...args]] : [cmd, args];
  return spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
}

/** User+system CPU seconds a process has used so far, or undefined off Linux. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return undefined;
  }
}

/** Resident and peak resident memory in MB, from /proc. */
export function memoryMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/** Collects a child's output and resolves with its exit; rejects on a spawn error. */
export function runToEnd(child) {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += d));
  child.stderr?.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Waits until `pattern` matches the child's stdout or stderr; resolves with the match. */
export function waitForOutput(child, pattern, timeoutMs = 20_000) {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (d) => {
      seen += d;
      const match = pattern.exec(seen.replace(/\x1b\[[0-9;]*m/g, ''));
      if (match) {
        cleanup();
        resolve(match);
      }
    };
    const onExit = (code) => {
      cleanup();
      reject(new Error(`process exited (${code}) before it was ready:\n${seen}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`not ready after ${timeoutMs} ms:\n${seen}`));
    }, timeoutMs);
    function cleanup() {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', onExit);
  });
}

/** Stops a child we started, by its pid, and waits for it. */
export function stop(child, signal = 'SIGTERM') {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

export function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// `start --exit-with-parent`: end the server when the process that started it is gone.
//
// Why this is needed: `spawn('npx', ['oauth-mock', 'start'])` then `child.kill()` stops npm,
// but npm runs the binary under `sh -c`, and neither passes the signal on, so the server is
// orphaned and keeps its port. An orphan is re-parented (to init or a subreaper), so its
// parent pid changes: that is the signal watched here, polled, since no OS event exists for
// it in Node. A parent pid that no longer answers `kill(pid, 0)` counts too (Windows does
// not re-parent). Stdin closing is deliberately not a signal: under `< /dev/null`, `nohup`
// or a CI runner without stdin it is closed from the start.

/** What the watch needs of the process; bin/ provides it from `process`. */
export interface ParentProbe {
  /** The parent pid when this process started (read early: the parent may exit quickly). */
  parent: number;
  /** The current parent pid. */
  ppid(): number;
  /** Whether a process with this pid exists. */
  alive(pid: number): boolean;
  /** Calls back once when an IPC channel to the parent closes; only when there is one. */
  onChannelClose?(callback: () => void): () => void;
}

/** How often the parent is checked (one getppid call): well within the 3 s a harness may wait. */
export const PARENT_POLL_MS = 250;

/** Calls `onGone` once when the parent is gone; returns a function that stops watching. */
export function watchParent(probe: ParentProbe, onGone: () => void, everyMs = PARENT_POLL_MS): () => void {
  const { parent } = probe;
  let done = false;
  const gone = () => {
    if (done) return;
    stop();
    onGone();
  };
  const timer = setInterval(() => {
    const now = probe.ppid();
    if (now !== parent || !probe.alive(parent)) gone();
  }, everyMs);
  // The watch never keeps the process alive by itself: the server does.
  timer.unref();
  const unchannel = probe.onChannelClose?.(gone);
  function stop(): void {
    done = true;
    clearInterval(timer);
    unchannel?.();
  }
  return stop;
}

/**
 * The default of --exit-with-parent: on when npm exec / npx started the server (npm sets
 * `npm_command=exec` in its child's environment, and npx runs scripts as event `npx`), since
 * npm never forwards the signal that stops it. Off otherwise, so `oauth-mock start &`,
 * `nohup` and process managers keep a server running after the shell that started it.
 */
export function exitWithParentByDefault(env: Record<string, string | undefined>): boolean {
  return env.npm_command === 'exec' || env.npm_lifecycle_event === 'npx';
}

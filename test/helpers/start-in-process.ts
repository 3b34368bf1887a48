// `oauth-mock start` in-process, stopped by its stop signal, as bin/ would run it.
import { run } from '../../src/cli/main.js';

export interface StartedInProcess {
  /** The parsed ready line. */
  ready: Promise<Record<string, unknown>>;
  stop(): Promise<{ code: number; stdout: string; stderr: string }>;
}

/** `pid` is what the server reports as its own (the ready line's `pid`); the test process's by default. */
export function startInProcess(argv: string[], cwd: string, pid: number = process.pid): StartedInProcess {
  const stopper = new AbortController();
  let stdout = '';
  let stderr = '';
  let onLine: (line: string) => void = () => {};
  const ready = new Promise<Record<string, unknown>>((resolve) => {
    onLine = (line) => resolve(JSON.parse(line) as Record<string, unknown>);
  });
  const exited = run(['start', ...argv], {
    stdout: (text) => {
      stdout += text;
      const line = stdout.split('\n')[0];
      if (stdout.includes('\n') && line) onLine(line);
    },
    stderr: (text) => void (stderr += text),
    env: {},
    cwd,
    color: false,
    interactive: false,
    stopSignal: stopper.signal,
    pid,
  });
  return {
    ready: Promise.race([ready, exited.then((code) => Promise.reject(new Error(`exited ${code}: ${stderr}`)))]),
    async stop() {
      stopper.abort();
      const code = await exited;
      return { code, stdout, stderr };
    },
  };
}

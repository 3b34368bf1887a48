// How a harness in any language learns that `start` is listening, and where: one JSON line
// on stdout (stdout is data; the banner goes to stderr) and, with --ready-file, a JSON file.
import { rm, rename, writeFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { Io } from './io.js';

export interface Ready {
  url: string;
  issuer: string;
  pid: number;
  /** Under https: the CA certificate clients must trust, as a file and as PEM. */
  caPath?: string;
  ca?: string;
  /** With --control: the control API's base URL and bearer token. */
  controlUrl?: string;
  controlToken?: string;
}

/**
 * Writes the ready file atomically (never seen half written), then prints the ready line:
 * whichever a harness waits for, the other is already there.
 */
export async function announceReady(io: Io, ready: Ready, readyFile: string | undefined): Promise<string | undefined> {
  let path: string | undefined;
  if (readyFile !== undefined) {
    path = isAbsolute(readyFile) ? readyFile : resolve(io.cwd, readyFile);
    const temp = `${path}.${ready.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify(ready)}\n`);
    await rename(temp, path);
  }
  io.stdout(`${JSON.stringify({ event: 'ready', ...ready })}\n`);
  return path;
}

/** A stopped server's ready file is removed, so a harness never reads a stale one. */
export async function withdrawReady(path: string | undefined): Promise<void> {
  if (path !== undefined) await rm(path, { force: true });
}

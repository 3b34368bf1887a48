// Where `start --https` keeps its CA and server certificate: a `tls/` directory beside the
// store file (`.oauth-mock/tls/` by default), so the CA a developer trusted once stays the
// same across restarts. Keys are written 0600 inside a 0700 directory.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { withLock } from '../store/lock.js';
import { caUsable, createCa, issueServerCert, serverCertFits, type PemPair } from './certificates.js';

export const TLS_FILES = {
  ca: 'ca.pem',
  caKey: 'ca-key.pem',
  cert: 'server.pem',
  key: 'server-key.pem',
} as const;

/** What a server listens with, and what a client must trust. */
export interface TlsMaterials {
  /** The CA certificate (PEM) clients trust; undefined for a user's pair not self-signed. */
  ca: string | undefined;
  /** Where `ca` is on disk; undefined when it is only in memory. */
  caPath: string | undefined;
  cert: string;
  key: string;
  /** What happened at this start, for the banner. */
  made: 'new CA' | 'new server certificate' | 'kept' | 'in memory' | 'user pair';
}

/** The TLS directory for a store file: `tls/` beside it. */
export function tlsDirFor(storePath: string): string {
  return join(dirname(storePath), 'tls');
}

async function readIfThere(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Temp file + rename: a reader never sees half a PEM. */
async function writeAtomic(path: string, text: string, mode: number): Promise<void> {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temp, text, { mode });
  await chmod(temp, mode);
  await rename(temp, path);
}

async function loadOrCreateCa(dir: string, now: Date): Promise<{ ca: PemPair; created: boolean }> {
  const [cert, key] = await Promise.all([readIfThere(join(dir, TLS_FILES.ca)), readIfThere(join(dir, TLS_FILES.caKey))]);
  if (cert !== undefined && key !== undefined && caUsable(cert, now)) return { ca: { cert, key }, created: false };
  const ca = await createCa(now);
  // Key first: a CA certificate on disk always has its key beside it.
  await writeAtomic(join(dir, TLS_FILES.caKey), ca.key, 0o600);
  await writeAtomic(join(dir, TLS_FILES.ca), ca.cert, 0o644);
  return { ca, created: true };
}

/**
 * The directory's CA (made on first use) and a server certificate covering `names`, re-issued
 * from the same CA when a name is missing (the host changed), it nears expiry, or the CA
 * changed. Under a lock, so two servers starting together never write two different CAs.
 */
export async function ensureTlsDir(dir: string, names: readonly string[], now: Date = new Date()): Promise<TlsMaterials> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return withLock(join(dir, TLS_FILES.ca), async (assertHeld) => {
    const { ca, created } = await loadOrCreateCa(dir, now);
    const [cert, key] = await Promise.all([readIfThere(join(dir, TLS_FILES.cert)), readIfThere(join(dir, TLS_FILES.key))]);
    const caPath = join(dir, TLS_FILES.ca);
    if (!created && cert !== undefined && key !== undefined && serverCertFits(cert, ca.cert, names, now)) {
      return { ca: ca.cert, caPath, cert, key, made: 'kept' };
    }
    const server = await issueServerCert(ca, names, now);
    assertHeld();
    await writeAtomic(join(dir, TLS_FILES.key), server.key, 0o600);
    await writeAtomic(join(dir, TLS_FILES.cert), server.cert, 0o644);
    return { ca: ca.cert, caPath, ...server, made: created ? 'new CA' : 'new server certificate' };
  });
}

/** The directory's CA certificate path, making the CA if there is none yet (`oauth-mock tls ca`). */
export async function ensureCa(dir: string, now: Date = new Date()): Promise<{ caPath: string; ca: string; created: boolean }> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return withLock(join(dir, TLS_FILES.ca), async () => {
    const { ca, created } = await loadOrCreateCa(dir, now);
    return { caPath: join(dir, TLS_FILES.ca), ca: ca.cert, created };
  });
}

/** A CA and server certificate that live only in this process (an in-memory store). */
export async function inMemoryTls(names: readonly string[], now: Date = new Date()): Promise<TlsMaterials> {
  const ca = await createCa(now);
  const server = await issueServerCert(ca, names, now);
  return { ca: ca.cert, caPath: undefined, ...server, made: 'in memory' };
}

/**
 * For an in-memory server that must still give a path (banner, ready file, NODE_EXTRA_CA_CERTS):
 * the CA certificate, never its key, in a private temp directory that `remove()` deletes.
 */
export async function writeTempCa(ca: string): Promise<{ caPath: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'oauth-mock-ca-'));
  const caPath = join(dir, TLS_FILES.ca);
  await writeFile(caPath, ca, { mode: 0o644 });
  return { caPath, remove: () => rm(dir, { recursive: true, force: true }) };
}

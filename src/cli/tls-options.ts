// `start --https` and `--cert/--key`: which certificate the server listens with, resolved
// before the store is opened, so a bad pair is a usage error (exit 2) and nothing else runs.
import { isAbsolute, resolve } from 'node:path';
import type { TlsMaterials } from '../tls/tls-dir.js';
import { CliError, UsageError, type Io } from './io.js';

/** The resolved `https`, `cert` and `key` settings (flag > env > config file). */
export interface TlsSettings {
  https?: boolean;
  cert?: string;
  key?: string;
}

/** What `start` listens with, and what it hands out for clients to trust. */
export interface ServingTls extends TlsMaterials {
  /** Removes what only this run needed (the temp CA file of an in-memory store). */
  cleanup(): Promise<void>;
}

/**
 * The TLS material the flags ask for, or undefined for plain http. The certificate covers
 * localhost, 127.0.0.1, ::1, the bound host and the issuer's host.
 */
export async function resolveTls(
  io: Io,
  flags: TlsSettings,
  where: { storePath: string | null; host: string; issuer: string | undefined },
): Promise<ServingTls | undefined> {
  if ((flags.cert === undefined) !== (flags.key === undefined))
    throw new UsageError('--cert and --key go together: give both files (or neither, and --https makes a certificate)');
  const nothing = async () => {};
  if (flags.cert !== undefined && flags.key !== undefined) {
    const { readUserPair, TlsPairError } = await import('../tls/user-pair.js');
    const path = (file: string) => (isAbsolute(file) ? file : resolve(io.cwd, file));
    try {
      return { ...(await readUserPair(path(flags.cert), path(flags.key))), cleanup: nothing };
    } catch (error) {
      if (error instanceof TlsPairError) throw new UsageError(error.message);
      throw error;
    }
  }
  if (!flags.https) return undefined;
  const { serverNames } = await import('../tls/certificates.js');
  const { ensureTlsDir, inMemoryTls, tlsDirFor, writeTempCa } = await import('../tls/tls-dir.js');
  let names: string[];
  try {
    names = serverNames(where.host, where.issuer);
  } catch {
    throw new UsageError(`--issuer ${where.issuer} is not a URL`);
  }
  try {
    if (where.storePath !== null) return { ...(await ensureTlsDir(tlsDirFor(where.storePath), names)), cleanup: nothing };
    // Nothing of an in-memory server is saved: a new CA each run, its certificate (never its
    // key) in a private temp directory only so that the path can be handed out.
    const tls = await inMemoryTls(names);
    const temp = await writeTempCa(tls.ca as string);
    return { ...tls, caPath: temp.caPath, cleanup: () => temp.remove() };
  } catch (error) {
    throw new CliError(`cannot set up https: ${(error as Error).message}`);
  }
}

/** The banner's lines on how to trust the server's certificate. */
export function trustLines(tls: ServingTls): string[] {
  if (tls.caPath === undefined) return ['  tls        your --cert; clients must trust the CA that issued it'];
  const made = {
    'new CA': ' (new: trust it once)',
    'new server certificate': ' (server certificate re-issued)',
    kept: '',
    'in memory': ' (new each run: --in-memory)',
    'user pair': ' (your self-signed --cert)',
  }[tls.made];
  return [
    `  tls CA     ${tls.caPath}${made}`,
    `  trust it   Node: NODE_EXTRA_CA_CERTS=${tls.caPath}`,
    `             curl: curl --cacert ${tls.caPath} …`,
    `             Python requests: REQUESTS_CA_BUNDLE=${tls.caPath}`,
  ];
}

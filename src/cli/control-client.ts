// How `oauth-mock control` sends a request to a server's control API. Over https it trusts the
// server's own CA (from --cacert, the ready file or the tls/ directory beside the store) on top
// of what Node trusts anyway; certificate verification is never turned off.
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';

/** The CA a request to an https server trusts besides Node's, and where it came from. */
export interface Trust {
  /** CA certificate(s), PEM. */
  ca?: string;
  /** For the certificate error: "--cacert ./ca.pem", "the ready file ready.json", ... */
  from?: string;
}

export interface Answer {
  status: number;
  text: string;
}

export interface Send {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

/** A TLS handshake that failed on the server's certificate (not a connection that failed). */
export class CertificateError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly trusted: string,
  ) {
    super(message);
  }
}

// OpenSSL's verification failures as Node reports them (err.code), and a name that does not match.
const CERT_CODES = /^(UNABLE_TO_|SELF_SIGNED_CERT|DEPTH_ZERO_SELF_SIGNED_CERT|CERT_|ERR_TLS_CERT_ALTNAME_INVALID$|HOSTNAME_MISMATCH$)/;

/**
 * NODE_EXTRA_CA_CERTS of `env`, read as Node reads it at start (relative to the working
 * directory). bin/ passes process.env, where Node already applied it; an in-process run
 * (tests, a harness) may pass another environment, so it is read here too.
 */
async function extraCaCerts(
  env: Record<string, string | undefined>,
  cwd: string,
  warn: (text: string) => void,
): Promise<{ pem: string; path: string } | undefined> {
  const file = env.NODE_EXTRA_CA_CERTS;
  if (file === undefined || file === '') return undefined;
  const path = isAbsolute(file) ? file : resolve(cwd, file);
  try {
    return { pem: await readFile(path, 'utf8'), path };
  } catch (error) {
    // As Node does: a warning, and the other CAs are still trusted.
    warn(`warning: ignoring NODE_EXTRA_CA_CERTS ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})\n`);
    return undefined;
  }
}

/** Sends one request; http through fetch as before, https through node:https with the CAs of `trust`. */
export async function send(
  url: URL,
  init: Send,
  trust: Trust,
  env: { env: Record<string, string | undefined>; cwd: string; warn: (text: string) => void },
): Promise<Answer> {
  if (url.protocol !== 'https:') {
    const res = await fetch(url, { method: init.method, headers: init.headers, ...(init.body !== undefined ? { body: init.body } : {}) });
    return { status: res.status, text: await res.text() };
  }
  // Loaded here: node:https and node:tls cost every other command ~5 ms of start-up.
  const [{ request }, { rootCertificates }] = await Promise.all([import('node:https'), import('node:tls')]);
  const extra = await extraCaCerts(env.env, env.cwd, env.warn);
  // An explicit `ca` replaces Node's default list, NODE_EXTRA_CA_CERTS included: add both back.
  const ca = [...rootCertificates, ...(extra ? [extra.pem] : []), ...(trust.ca !== undefined ? [trust.ca] : [])];
  const trusted = [...(trust.from !== undefined ? [trust.from] : []), ...(extra ? [`NODE_EXTRA_CA_CERTS ${extra.path}`] : []), "Node's default CAs"].join(', ');
  return new Promise<Answer>((done, fail) => {
    const req = request(url, { method: init.method, headers: init.headers, ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', fail);
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (typeof error.code === 'string' && CERT_CODES.test(error.code)) fail(new CertificateError(error.code, error.message, trusted));
      else fail(error);
    });
    req.end(init.body);
  });
}

// Compact JWS signing (RFC 7515 §7.1) straight through node:crypto: the one place tokens are
// signed. The protected header of each (alg, typ, kid) is serialized and encoded once.
// Verification is here too (below); tokens.ts adds the rules of this server (typ, exp required, crit refused).
import { createHmac, sign as signDigest, timingSafeEqual, verify as verifyDigest, type KeyObject } from 'node:crypto';
import type { SigningAlg } from '../core/signing-alg.js';

export interface JwsHeader {
  alg: string;
  typ: string;
  kid?: string;
}

const encodedHeaders = new Map<string, string>();
// Bounded: headers are few (alg × typ × kid), but a tampered header must not grow it forever.
const MAX_HEADERS = 256;

/** base64url(JSON(header)), computed once per distinct header. */
export function encodeHeader(header: JwsHeader): string {
  const cacheKey = `${header.alg}\u0000${header.typ}\u0000${header.kid ?? ''}`;
  let encoded = encodedHeaders.get(cacheKey);
  if (encoded === undefined) {
    encoded = Buffer.from(JSON.stringify(header)).toString('base64url');
    // Only plain headers are cached: one with other members is encoded as it is.
    if (Object.keys(header).length <= 3 && encodedHeaders.size < MAX_HEADERS) encodedHeaders.set(cacheKey, encoded);
  }
  return encoded;
}

/** `header.payload.signature` for `alg` (HS256, RS256 or ES256, RFC 7518 §3.2–3.4). */
export function signJws(alg: SigningAlg, key: KeyObject | string, header: JwsHeader, claims: Record<string, unknown>): string {
  const input = `${encodeHeader(header)}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  let signature: Buffer;
  if (alg === 'HS256') signature = createHmac('sha256', key).update(input).digest();
  // RFC 7518 §3.4: ES256 signatures are R || S, not DER.
  else if (alg === 'ES256') signature = signDigest('sha256', Buffer.from(input), { key: key as KeyObject, dsaEncoding: 'ieee-p1363' });
  else signature = signDigest('sha256', Buffer.from(input), key);
  return `${input}.${signature.toString('base64url')}`;
}

// ---- Verification (RFC 7515 §5.2), straight through node:crypto. It accepts and refuses
// exactly what jsonwebtoken 9's `verify` did with the options this server passed it (the
// algorithm list pinned to one, an issuer, a clock), with the same messages, so what a client
// sees is unchanged; test/unit/tokens/jws-verify.test.ts holds the two side by side.

/** A compact JWS split and parsed, not yet verified. */
export interface DecodedJws {
  /** Whatever JSON value the header is (an object for any real token). */
  header: JwsHeaderValue;
  /** The payload: a JSON object (or array), or its text when it is not one. */
  payload: Record<string, unknown> | string;
  /** `header.payload`, the signing input. */
  input: string;
  signature: string;
}

/** Members read from a header; undefined on anything but an object. */
export type JwsHeaderValue = { alg?: unknown; typ?: unknown; kid?: unknown; crit?: unknown; [member: string]: unknown };

// Three base64url parts; the first two non-empty, the signature may be empty (then refused below).
const COMPACT = /^[a-zA-Z0-9\-_]+?\.[a-zA-Z0-9\-_]+?\.([a-zA-Z0-9\-_]+)?$/;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Splits and parses a compact JWS; undefined when it is not one (a falsy or unparsable header). */
export function decodeJws(token: string): DecodedJws | undefined {
  if (!COMPACT.test(token)) return undefined;
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  // The header is read as latin1, as the jws package did: a non-ASCII kid matches no key.
  const header = parseJson(Buffer.from(token.slice(0, first), 'base64').toString('latin1'));
  if (!header) return undefined;
  const text = Buffer.from(token.slice(first + 1, second), 'base64').toString('utf8');
  const parsed = parseJson(text);
  return {
    header: (typeof header === 'object' ? header : {}) as JwsHeaderValue,
    payload: typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : text,
    input: token.slice(0, second),
    signature: token.slice(second + 1),
  };
}

/**
 * Why a JWS was refused, with jsonwebtoken's message. `invalid`: a message worth showing the
 * client; `unusable`: the key or signature could not be used at all (shown without detail).
 */
export class JwsError extends Error {
  constructor(
    readonly reason: 'expired' | 'nbf' | 'issuer' | 'signature' | 'invalid' | 'unusable',
    message: string,
  ) {
    super(message);
    this.name = 'JwsError';
  }
}

export interface VerifyOptions {
  /** The one algorithm accepted (RFC 8725 §3.1); the header's must equal it. */
  alg: SigningAlg;
  issuer: string;
  /** Seconds since the epoch; 0 or absent: the wall clock. */
  now?: number;
  /** An id_token_hint may be long expired. */
  ignoreExpiration?: boolean;
}

const CURVES: Partial<Record<SigningAlg, string>> = { ES256: 'prime256v1' };

/** The key is one `alg` may use: a secret for HS256, a public RSA or P-256 key otherwise. */
function checkKey(alg: SigningAlg, key: KeyObject): void {
  if (alg === 'HS256') {
    if (key.type !== 'secret') throw new JwsError('invalid', `secretOrPublicKey must be a symmetric key when using ${alg}`);
    return;
  }
  if (key.type !== 'public') throw new JwsError('invalid', `secretOrPublicKey must be an asymmetric key when using ${alg}`);
  const type = key.asymmetricKeyType;
  if (alg === 'RS256' ? type !== 'rsa' : type !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== CURVES[alg]) {
    throw new JwsError('unusable', `the ${String(type)} key cannot verify ${alg}`);
  }
}

function signatureMatches(alg: SigningAlg, key: KeyObject | string, input: string, signature: string): boolean {
  if (alg === 'HS256') {
    // The base64url text is compared, as jwa did: another encoding of the same bytes is refused.
    const expected = Buffer.from(createHmac('sha256', key).update(input).digest('base64url'));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
  if (typeof key === 'string') throw new JwsError('invalid', `secretOrPublicKey must be an asymmetric key when using ${alg}`);
  const bytes = Buffer.from(signature, 'base64');
  if (alg === 'ES256') {
    // RFC 7518 §3.4: R || S, 32 bytes each.
    if (bytes.length !== 64) throw new JwsError('unusable', `"ES256" signatures must be "64" bytes, saw "${bytes.length}"`);
    return verifyDigest('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }, bytes);
  }
  return verifyDigest('sha256', Buffer.from(input), key, bytes);
}

/**
 * The claims of a JWS whose header `alg` the caller has already pinned to `opts.alg`: the
 * signature, then `nbf`, `exp` (when present; a caller that requires it checks after) and `iss`.
 * Throws JwsError.
 */
export function verifyJws(decoded: DecodedJws, key: KeyObject | string, opts: VerifyOptions): Record<string, unknown> {
  if (decoded.header.alg !== opts.alg) throw new JwsError('invalid', 'invalid algorithm');
  if (decoded.signature === '') throw new JwsError('invalid', 'jwt signature is required');
  if (typeof key !== 'string') checkKey(opts.alg, key);
  let matches: boolean;
  try {
    matches = signatureMatches(opts.alg, key, decoded.input, decoded.signature);
  } catch (error) {
    if (error instanceof JwsError) throw error;
    throw new JwsError('unusable', error instanceof Error ? error.message : String(error));
  }
  if (!matches) throw new JwsError('signature', 'invalid signature');
  const payload = decoded.payload;
  if (typeof payload !== 'object') throw new JwsError('invalid', 'the payload is not a JSON object');
  const now = opts.now || Math.floor(Date.now() / 1000);
  const { nbf, exp } = payload;
  if (nbf !== undefined) {
    if (typeof nbf !== 'number') throw new JwsError('invalid', 'invalid nbf value');
    if (nbf > now) throw new JwsError('nbf', 'jwt not active');
  }
  if (exp !== undefined && !opts.ignoreExpiration) {
    if (typeof exp !== 'number') throw new JwsError('invalid', 'invalid exp value');
    if (now >= exp) throw new JwsError('expired', 'jwt expired');
  }
  if (payload.iss !== opts.issuer) throw new JwsError('issuer', `jwt issuer invalid. expected: ${opts.issuer}`);
  return payload;
}

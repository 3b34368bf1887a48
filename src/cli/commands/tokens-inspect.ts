// `oauth-mock tokens decode|verify`: what a token says, and whether the server would take it.
import { findGrant } from '../../core/lookup.js';
import type { Command } from 'commander';
import { epochSeconds, systemClock } from '../../core/clock.js';
import { isAuthentic, parseRefreshToken } from '../../core/refresh-token.js';
import type { Data } from '../../core/types.js';
import { checkAccessToken } from '../../tokens/access.js';
import { decodeJwt } from '../../tokens/decode.js';
import { TOKEN_TYP, type TokenKind } from '../../tokens/tokens.js';
import { storeCommand, withStore, type CommonFlags } from '../command-kit.js';
import { readableTime } from '../format.js';
import { CliError, paint, printJson, type Io } from '../io.js';
import { addSigningOptions, storeTokens, type SigningFlags } from '../signing.js';

const TIME_CLAIMS = ['iat', 'nbf', 'exp', 'auth_time', 'updated_at'];
const KIND_NAMES: Record<TokenKind | 'refresh', string> = { user: 'user token', access: 'access token', id: 'ID token', refresh: 'refresh token' };

interface Decoded {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  kind: TokenKind | 'unknown';
}

/** Header, claims and kind of a JWT, unverified. */
function decodeToken(token: string): Decoded {
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    ({ header, payload: claims } = decodeJwt(token));
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const kind = (Object.keys(TOKEN_TYP) as TokenKind[]).find((k) => TOKEN_TYP[k] === header.typ) ?? 'unknown';
  return { header, claims, kind };
}

export function makeDecodeCommand(io: Io): Command {
  const decode = storeCommand('decode', "show a token's header and claims with readable times (no signature check)", [
    'oauth-mock tokens decode "$TOKEN"',
    'oauth-mock tokens decode "$TOKEN" --json | jq .claims',
  ]).argument('<token>', 'a JWT, or a refresh token');
  decode.action((token: string, flags: CommonFlags) => {
    const now = epochSeconds(systemClock);
    const refresh = parseRefreshToken(token);
    if (refresh) {
      const value = { kind: 'refresh', grant_id: refresh.grantId, generation: refresh.gen };
      if (flags.json) return printJson(io, value);
      io.stdout(`kind:        refresh token (opaque; check it with: oauth-mock tokens verify)\ngrant:       ${refresh.grantId}\ngeneration:  ${refresh.gen}\n`);
      return;
    }
    const { header, claims, kind } = decodeToken(token);
    const exp = typeof claims.exp === 'number' ? claims.exp : undefined;
    const expired = exp !== undefined && exp <= now;
    const times = Object.fromEntries(
      TIME_CLAIMS.filter((k) => typeof claims[k] === 'number').map((k) => [k, new Date((claims[k] as number) * 1000).toISOString()]),
    );
    if (flags.json) return printJson(io, { kind, header, claims, times, expired });
    const c = paint(io);
    const lines = [
      `kind:    ${kind === 'unknown' ? `unknown (typ ${String(header.typ)})` : KIND_NAMES[kind]}`,
      `header:  ${JSON.stringify(header)}`,
      'claims:',
      ...Object.entries(claims).map(
        ([k, v]) => `  ${k.padEnd(12)}${TIME_CLAIMS.includes(k) && typeof v === 'number' ? `${v}  ${readableTime(v, now)}` : JSON.stringify(v)}`,
      ),
      `status:  ${exp === undefined ? c.yellow('no exp claim') : expired ? c.red('expired') : c.green('not expired')} (signature not checked; use tokens verify)`,
    ];
    io.stdout(`${lines.join('\n')}\n`);
  });
  return decode;
}

type Verdict =
  | { valid: true; kind: TokenKind | 'refresh'; claims: Record<string, unknown>; expires_at: number }
  | { valid: false; kind: TokenKind | 'refresh' | 'unknown'; reason: string };

export function makeVerifyCommand(io: Io): Command {
  const verify = addSigningOptions(
    storeCommand('verify', 'check signature, issuer, expiry and revocation as the server would (exit 1 when invalid)', [
      'oauth-mock tokens verify "$TOKEN" && echo ok',
      'oauth-mock tokens verify "$TOKEN" --json',
    ]).argument('<token>', 'a user, access or ID token, or a refresh token'),
  );
  verify.action((token: string, flags: CommonFlags & SigningFlags) =>
    withStore(io, flags, async (store) => {
      const tokens = await storeTokens(io, flags, store, { create: false });
      const data = store.read();
      const now = epochSeconds(systemClock);
      let verdict: Verdict;
      const refresh = parseRefreshToken(token);
      if (refresh) {
        verdict = verifyRefresh(data, refresh, now);
      } else {
        let kind: TokenKind | 'unknown' = 'unknown';
        try {
          // Inside the try: garbage gets a verdict too (and with --json, the JSON one).
          kind = decodeToken(token).kind;
          if (kind === 'unknown') throw new Error('the token type (header typ) is none oauth-mock issues');
          const claims = kind === 'access' ? checkAccessToken(tokens, data, token).claims : tokens.verify(data, token, kind);
          verdict = { valid: true, kind, claims, expires_at: claims.exp };
        } catch (error) {
          verdict = { valid: false, kind, reason: (error as Error).message };
        }
      }
      if (flags.json) printJson(io, verdict.valid ? { ...verdict, expires_at: new Date(verdict.expires_at * 1000).toISOString() } : verdict);
      if (!verdict.valid) throw new CliError(`invalid ${verdict.kind === 'unknown' ? 'token' : KIND_NAMES[verdict.kind]}: ${verdict.reason}`);
      if (!flags.json) {
        const who = typeof verdict.claims.sub === 'string' ? ` for ${verdict.claims.sub}` : '';
        const client = typeof verdict.claims.client_id === 'string' ? ` (client ${verdict.claims.client_id})` : '';
        io.stdout(`${paint(io).green('valid')} ${KIND_NAMES[verdict.kind]}${who}${client}, expires ${readableTime(verdict.expires_at, now)}\n`);
      }
    }),
  );
  return verify;
}

/** What the token endpoint would say of this refresh token, without rotating it. */
function verifyRefresh(data: Readonly<Data>, token: NonNullable<ReturnType<typeof parseRefreshToken>>, now: number): Verdict {
  const grant = findGrant(data, token.grantId);
  const invalid = (reason: string): Verdict => ({ valid: false, kind: 'refresh', reason });
  if (!grant || !isAuthentic(grant, token)) return invalid('no refresh token of this store matches it (unknown, forged, or expired and pruned)');
  if (grant.revoked_at !== undefined) return invalid('its refresh-token family has been revoked');
  if (grant.refresh_expires_at !== undefined && grant.refresh_expires_at <= now) return invalid('the refresh token has expired');
  if (token.gen !== grant.refresh_gen) return invalid('it was rotated; presenting it again would revoke its whole family (RFC 9700 §4.14.2)');
  return {
    valid: true,
    kind: 'refresh',
    claims: { grant_id: grant.id, client_id: grant.client_id, sub: grant.user_id, scope: grant.scope.join(' '), generation: token.gen },
    expires_at: grant.refresh_expires_at ?? grant.expires_at,
  };
}

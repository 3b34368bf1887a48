// `oauth-mock tokens revoke|list`: the operator's side of RFC 7009.
import type { Command } from 'commander';
import { ASSERTION_KEY_PREFIX } from '../../core/client-methods.js';
import { epochSeconds, systemClock } from '../../core/clock.js';
import { revokeToken } from '../../core/revocation.js';
import { storeCommand, where, withStore, type CommonFlags } from '../command-kit.js';
import { readableTime, table } from '../format.js';
import { CliError, paint, printJson, type Io } from '../io.js';
import { addSigningOptions, storeTokens, type SigningFlags } from '../signing.js';

export function makeRevokeCommand(io: Io): Command {
  const revoke = addSigningOptions(
    storeCommand('revoke', 'revoke an access token (by jti) or a refresh token (its whole family), whatever its client', [
      'oauth-mock tokens revoke "$ACCESS_TOKEN"',
      'oauth-mock tokens revoke "$REFRESH_TOKEN" --json',
    ]).argument('<token>', 'an access token or a refresh token'),
  );
  revoke.action((token: string, flags: CommonFlags & SigningFlags) =>
    withStore(io, flags, async (store) => {
      const tokens = await storeTokens(io, flags, store, { create: false });
      // The same core as POST /oauth/revoke, with no client restriction: the operator may revoke any token.
      const outcome = await revokeToken({ store, tokens, now: epochSeconds(systemClock) }, token);
      if (flags.json) printJson(io, outcome);
      if (outcome.revoked === false) throw new CliError(`nothing revoked: ${outcome.reason}`);
      if (flags.json) return;
      const what =
        outcome.revoked === 'refresh_token'
          ? `the refresh-token family of grant ${outcome.grantId} (and every access token issued from it)`
          : `access token ${outcome.jti} (denylisted until it expires)`;
      io.stderr(`${paint(io).green('✔')} revoked ${what}\n`);
    }),
  );
  return revoke;
}

export function makeListCommand(io: Io): Command {
  const list = storeCommand('list', 'list live refresh-token families and denylisted access-token ids', [
    'oauth-mock tokens list',
    'oauth-mock tokens list --json',
  ]);
  list.action((flags: CommonFlags) =>
    withStore(io, flags, async (store) => {
      const data = store.read();
      const now = epochSeconds(systemClock);
      const families = Object.values(data.grants)
        .filter((g) => g.refresh_gen !== undefined && g.revoked_at === undefined && (g.refresh_expires_at ?? Infinity) > now)
        .map((g) => ({
          grant_id: g.id,
          client_id: g.client_id,
          user_id: g.user_id,
          scope: g.scope.join(' '),
          generation: g.refresh_gen as number,
          expires_at: g.refresh_expires_at ?? g.expires_at,
        }));
      // Used private_key_jwt assertions share the denylist; they are not revoked tokens.
      const denylist = Object.entries(data.denylist)
        .filter(([jti, exp]) => exp > now && !jti.startsWith(ASSERTION_KEY_PREFIX))
        .map(([jti, exp]) => ({ jti, expires_at: exp }));
      if (flags.json) {
        const iso = (s: number) => new Date(s * 1000).toISOString();
        printJson(io, {
          refresh_families: families.map((f) => ({ ...f, expires_at: iso(f.expires_at) })),
          denylist: denylist.map((d) => ({ ...d, expires_at: iso(d.expires_at) })),
        });
        return;
      }
      const c = paint(io);
      io.stdout(`${c.bold(`Refresh-token families (${families.length} live)`)}\n`);
      if (families.length > 0)
        io.stdout(
          table(
            ['GRANT', 'CLIENT', 'USER', 'GEN', 'SCOPE', 'EXPIRES'],
            families.map((f) => [f.grant_id, f.client_id, f.user_id, String(f.generation), f.scope, readableTime(f.expires_at, now)]),
          ),
        );
      io.stdout(`\n${c.bold(`Denylisted access tokens (${denylist.length})`)}\n`);
      if (denylist.length > 0)
        io.stdout(
          table(
            ['JTI', 'UNTIL'],
            denylist.map((d) => [d.jti, readableTime(d.expires_at, now)]),
          ),
        );
      if (families.length + denylist.length === 0) io.stderr(`no live refresh tokens or revoked access tokens in ${where(store)}\n`);
    }),
  );
  return list;
}

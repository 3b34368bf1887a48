import { Command, Option } from 'commander';
import { issuerFor, DEFAULT_HOST, DEFAULT_PORT, DEFAULT_TTLS } from '../../config/defaults.js';
import { resolveSettings } from '../../config/resolve.js';
import { systemClock } from '../../core/clock.js';
import { describeKnown, findUser } from '../../core/lookup.js';
import { createKeyRingSource, ensureKeys } from '../../tokens/keys.js';
import { createTokens } from '../../tokens/tokens.js';
import { CliError, printJson, UsageError, type Io } from '../io.js';
import { addStoreOptions, openStore, type StoreFlags } from '../store-options.js';

interface MintFlags extends StoreFlags {
  user: string;
  ttl?: string;
  issuer?: string;
  secret?: string;
  json?: boolean;
}

/** `15m`, `2h`, `1d`, `90s` or plain seconds. */
export function parseDuration(value: string): number {
  const match = /^(\d+)\s*(s|m|h|d)?$/.exec(value.trim());
  if (!match) throw new UsageError(`--ttl ${value} is not a duration; use e.g. 90s, 15m, 2h or 1d`);
  const n = Number(match[1]);
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[(match[2] ?? 's') as 's' | 'm' | 'h' | 'd'];
  if (n <= 0) throw new UsageError('--ttl must be positive');
  return n * unit;
}

export function makeTokensCommand(io: Io): Command {
  const tokens = new Command('tokens').description('mint and inspect tokens');
  const mint = new Command('mint')
    .description('mint a token signed with the store\'s key (prints only the token)')
    .requiredOption('-u, --user <id>', 'the user the token is for')
    .addOption(new Option('--ttl <duration>', 'lifetime, e.g. 15m, 2h, 1d (default 1h)'))
    .addOption(new Option('--issuer <url>', 'issuer to put in the token (default: the last server started on this store)'))
    .addOption(new Option('--secret <secret>', 'HS256 secret, if the server was started with one (env OAUTH_MOCK_SECRET)'))
    .addOption(new Option('--json', 'print token, claims and expiry as JSON'));
  addStoreOptions(mint);
  mint.addHelpText('after', '\nExamples:\n  $ TOKEN=$(oauth-mock tokens mint --user alice)\n  $ curl -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:9400/oauth/authorize?..."\n');
  mint.action(async (flags: MintFlags) => mintToken(io, flags));
  tokens.addCommand(mint);
  return tokens;
}

async function mintToken(io: Io, flags: MintFlags): Promise<void> {
  const ttl = flags.ttl === undefined ? DEFAULT_TTLS.userToken : parseDuration(flags.ttl);
  const settings = resolveSettings({ flags, env: io.env, only: ['issuer', 'secret'] }).values;
  const store = await openStore(io, flags);
  try {
    const meta = store.read().meta;
    const alg = meta.alg ?? 'HS256';
    const secret = settings.secret;
    await ensureKeys(store, { alg, ...(secret !== undefined ? { secret } : {}) }, Math.floor(systemClock.now() / 1000));
    const data = store.read();
    const user = findUser(data, flags.user);
    if (!user) throw new CliError(`no user ${JSON.stringify(flags.user)} in ${store.path ?? 'the store'} (${describeKnown(data.users)}); add one with: oauth-mock users add`);
    const issuer = settings.issuer ?? meta.issuer ?? issuerFor(DEFAULT_HOST, DEFAULT_PORT);
    const keyRing = createKeyRingSource({ alg, ...(secret !== undefined ? { secret } : {}) });
    const tokens = createTokens({ issuer, clock: systemClock, keys: (d) => keyRing(d.meta) });
    const { token, claims } = tokens.mintUser(data, user, { ttl });
    if (flags.json) printJson(io, { token, kind: 'user', claims, expires_at: new Date(claims.exp * 1000).toISOString() });
    else io.stdout(`${token}\n`);
  } finally {
    await store.close();
  }
}

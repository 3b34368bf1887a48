// `oauth-mock tokens mint`: user, access and ID tokens the running server accepts as its own.
import { Option, type Command } from 'commander';
import { DEFAULT_TTLS } from '../../config/defaults.js';
import { systemClock } from '../../core/clock.js';
import { MintError, mintFromOptions, misplacedOption } from '../../tokens/mint.js';
import { notFound, storeCommand, withStore, type CommonFlags } from '../command-kit.js';
import { CliError, printJson, UsageError, type Io } from '../io.js';
import { absoluteUri, collect, parseClaims, parseDuration, parseScopes } from '../parse.js';
import { addSigningOptions, storeTokens, type SigningFlags } from '../signing.js';

interface MintFlags extends CommonFlags, SigningFlags {
  user: string;
  client?: string;
  scope?: string[];
  resource?: string[];
  ttl?: string;
  claim?: string[];
  kind: 'user' | 'access' | 'id';
  nonce?: string;
}

export function makeMintCommand(io: Io): Command {
  const mint = storeCommand('mint', "mint a token signed with the store's key (prints only the token)", [
    'TOKEN=$(oauth-mock tokens mint --user alice)',
    'curl -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:9400/oauth/authorize?..."',
    'oauth-mock tokens mint --user alice --kind access --client client_123 --scope "openid email" --ttl 15m',
    `oauth-mock tokens mint --user bob --kind id --client spa_public --claim 'amr=["pwd"]' --json`,
  ])
    .requiredOption('-u, --user <id>', 'the user the token is for (its sub)')
    .addOption(
      new Option('--kind <kind>', 'user: what authorize takes; access: what userinfo and APIs take; id: an OIDC ID token')
        .choices(['user', 'access', 'id'])
        .default('user'),
    )
    .addOption(new Option('--client <id>', 'the client the token is issued to (required for --kind access and id)'))
    .addOption(new Option('--scope <scope>', "access token scope, space separated or repeated (default: the client's scopes)").argParser(collect))
    .addOption(new Option('--resource <uri>', 'access token audience (RFC 8707); repeatable (default: the client)').argParser(collect))
    .addOption(new Option('--ttl <duration>', 'lifetime, e.g. 15m, 2h, 1d (default 1h)'))
    .addOption(new Option('--claim <key=value>', 'extra claim; repeatable; JSON values allowed').argParser(collect))
    .addOption(new Option('--nonce <nonce>', 'nonce claim (ID tokens)'));
  addSigningOptions(mint);
  mint.action((flags: MintFlags) => mintToken(io, flags));
  return mint;
}

async function mintToken(io: Io, flags: MintFlags): Promise<void> {
  const kind = flags.kind;
  const misplaced = misplacedOption(kind, flags, (option) => `--${option}`);
  if (misplaced !== undefined) throw new UsageError(misplaced);
  if (kind !== 'user' && flags.client === undefined) {
    throw new UsageError(`--kind ${kind} needs --client ID: the token is issued to a client (its ${kind === 'access' ? 'client_id' : 'aud'})`);
  }
  const ttl = flags.ttl === undefined ? undefined : parseDuration(flags.ttl);
  const claims = parseClaims(flags.claim);
  const scopes = parseScopes(flags.scope);
  const resources = flags.resource?.map((r) => absoluteUri(r, '--resource'));

  await withStore(io, flags, async (store) => {
    const tokens = await storeTokens(io, flags, store, { create: true });
    // The one minting function, shared with the programmatic API's mintToken.
    let minted;
    try {
      minted = mintFromOptions(
        { store, tokens, ttl: DEFAULT_TTLS, clock: systemClock },
        {
          user: flags.user,
          kind,
          claims,
          ...(ttl !== undefined ? { ttl } : {}),
          ...(flags.client !== undefined ? { client: flags.client } : {}),
          ...(scopes !== undefined ? { scope: scopes } : {}),
          ...(resources !== undefined ? { resource: resources } : {}),
          ...(flags.nonce !== undefined ? { nonce: flags.nonce } : {}),
        },
      );
    } catch (error) {
      if (!(error instanceof MintError)) throw error;
      const data = store.read();
      if (error.reason === 'unknown_user')
        throw new CliError(`${notFound('user', flags.user, data.users, store).message}; add one with: oauth-mock users add ${flags.user}`);
      if (error.reason === 'unknown_client') throw notFound('client', flags.client ?? '', data.clients, store);
      throw new CliError(error.message);
    }
    if (flags.json) printJson(io, { token: minted.token, kind, claims: minted.claims, expires_at: new Date(minted.claims.exp * 1000).toISOString() });
    else io.stdout(`${minted.token}\n`);
  });
}

// `oauth-mock clients ...`: the OAuth clients (RFC 6749 §2) the server knows.
import { Command, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { AUTH_METHODS, type AuthMethod } from '../../core/client-methods.js';
import { findClient } from '../../core/lookup.js';
import { randomToken } from '../../core/random.js';
import type { Client } from '../../core/types.js';
import { KNOWN_GRANT_TYPES, validateClient } from '../../store/fixtures.js';
import { notFound, storeCommand, where, withStore, type CommonFlags } from '../command-kit.js';
import { labelled, maskSecret, table } from '../format.js';
import { CliError, paint, printJson, UsageError, type Io } from '../io.js';
import { absoluteUri, collect, parseScopes } from '../parse.js';

interface ClientFlags extends CommonFlags {
  name?: string;
  secret?: string;
  public?: boolean;
  rotateSecret?: boolean;
  redirectUri?: string[];
  postLogoutRedirectUri?: string[];
  scope?: string[];
  resource?: string[];
  refresh?: boolean;
  showSecrets?: boolean;
  confidential?: boolean;
  authMethod?: AuthMethod;
  jwks?: string;
  grantType?: string[];
}

const DEFAULT_SCOPES = ['openid', 'profile', 'email'];

function addClientOptions(command: Command): Command {
  return command
    .addOption(new Option('--name <name>', 'display name'))
    .addOption(new Option('--secret <secret>', 'client secret (default for a confidential client: generated and printed once)'))
    .addOption(new Option('--public', 'public client: no secret, PKCE required (RFC 9700 §2.1.1)').conflicts('secret'))
    .addOption(new Option('--redirect-uri <uri>', 'allowed redirect URI, compared byte for byte; repeatable').argParser(collect))
    .addOption(
      new Option(
        '--post-logout-redirect-uri <uri>',
        'oidc: where logout may send the browser back (RP-Initiated Logout 1.0), compared byte for byte; repeatable',
      ).argParser(collect),
    )
    .addOption(new Option('--scope <scope>', `allowed scope(s), space separated or repeated (default on add: ${DEFAULT_SCOPES.join(' ')})`).argParser(collect))
    .addOption(new Option('--resource <uri>', 'allowed resource indicator (RFC 8707); repeatable; none: any').argParser(collect))
    .addOption(new Option('--refresh', 'issue refresh tokens (the default)'))
    .addOption(new Option('--no-refresh', 'issue no refresh tokens'))
    .addOption(
      new Option('--auth-method <method>', 'token_endpoint_auth_method (default: none for --public, else client_secret_basic or client_secret_post)').choices(
        AUTH_METHODS,
      ),
    )
    .addOption(new Option('--jwks <file>', 'for private_key_jwt: a JSON file with the client\'s public keys, a JWK Set {"keys": [...]} or one JWK'))
    .addOption(
      new Option(
        '--grant-type <type>',
        `grant type the client may use; repeatable (${KNOWN_GRANT_TYPES.join(', ')}; default: authorization_code refresh_token)`,
      ).argParser(collect),
    );
}

const showSecrets = () => new Option('--show-secrets', 'print client secrets instead of ********');

export function makeClientsCommand(io: Io): Command {
  const clients = new Command('clients').description('list, add, change and remove OAuth clients');

  const list = storeCommand('list', 'list clients (secrets masked)', ['oauth-mock clients list', 'oauth-mock clients list --json --show-secrets']).addOption(
    showSecrets(),
  );
  list.action((flags: ClientFlags) =>
    withStore(io, flags, async (store) => {
      const all = Object.values(store.read().clients).map((c) => masked(c, flags.showSecrets === true));
      if (flags.json) return printJson(io, all);
      if (all.length === 0) return io.stderr(`no clients in ${where(store)}; add one with: oauth-mock clients add ID --redirect-uri URI\n`);
      io.stdout(
        table(
          ['ID', 'TYPE', 'SCOPES', 'REDIRECT URIS'],
          all.map((c) => [c.id, c.public ? 'public' : 'confidential', c.scopes.join(' '), c.redirect_uris.join(' ')]),
        ),
      );
    }),
  );

  const show = storeCommand('show', 'show one client (secret masked)', ['oauth-mock clients show client_123 --show-secrets'])
    .argument('<id>', 'client_id')
    .addOption(showSecrets());
  show.action((id: string, flags: ClientFlags) =>
    withStore(io, flags, async (store) => {
      const data = store.read();
      const client = findClient(data, id);
      if (!client) throw notFound('client', id, data.clients, store);
      const shown = masked(client, flags.showSecrets === true);
      if (flags.json) return printJson(io, shown);
      io.stdout(describe(shown));
    }),
  );

  const add = addClientOptions(
    storeCommand('add', 'add a client; a generated secret is printed once on stdout', [
      'SECRET=$(oauth-mock clients add web --redirect-uri http://localhost:4000/callback)',
      'oauth-mock clients add spa --public --redirect-uri http://localhost:5173/callback --scope "openid profile"',
      'oauth-mock clients add signer --auth-method private_key_jwt --jwks signer.jwks.json --redirect-uri http://localhost:4000/callback',
      'oauth-mock clients add worker --grant-type client_credentials --scope api:read',
    ]).argument('<id>', 'client_id'),
  );
  add.action((id: string, flags: ClientFlags) =>
    withStore(io, flags, async (store) => {
      const usesCode = flags.grantType === undefined || flags.grantType.includes('authorization_code');
      if (flags.redirectUri === undefined && usesCode) throw new UsageError('a client needs at least one --redirect-uri');
      const isPublic = flags.public === true || flags.authMethod === 'none';
      // A private_key_jwt client proves itself with its keys, so it gets no secret unless one is given.
      const generated = !isPublic && flags.secret === undefined && flags.authMethod !== 'private_key_jwt' ? randomToken(32) : undefined;
      const client = validateClient(
        {
          id,
          public: isPublic,
          redirect_uris: [],
          scopes: DEFAULT_SCOPES,
          ...fields(flags, io),
          ...(generated !== undefined ? { secret: generated } : {}),
        },
        'clients add',
      );
      await store.update((tx) => {
        if (findClient(tx.data, id)) throw new CliError(`client ${JSON.stringify(id)} already exists; change it with: oauth-mock clients update ${id}`);
        tx.put('clients', id, client);
      });
      if (flags.json) return printJson(io, client);
      if (generated !== undefined) io.stdout(`${generated}\n`);
      const note = generated !== undefined ? '; its generated secret is on stdout and is not shown again' : '';
      io.stderr(`${paint(io).green('✔')} added ${client.public ? 'public' : 'confidential'} client ${id} to ${where(store)}${note}\n`);
    }),
  );

  const update = addClientOptions(
    storeCommand('update', 'change a client (only the given fields; lists are replaced)', [
      'oauth-mock clients update client_123 --redirect-uri https://app.example.com/cb --redirect-uri http://localhost:3000/callback',
      'NEW_SECRET=$(oauth-mock clients update client_123 --rotate-secret)',
    ]).argument('<id>', 'client_id'),
  )
    .addOption(new Option('--rotate-secret', 'generate a new secret and print it once on stdout').conflicts(['secret', 'public']))
    .addOption(new Option('--confidential', 'make a public client confidential (with --secret, or a generated secret printed once)').conflicts('public'));
  update.action((id: string, flags: ClientFlags) =>
    withStore(io, flags, async (store) => {
      const changes = fields(flags, io);
      if (Object.keys(changes).length === 0 && !flags.public && !flags.rotateSecret && !flags.confidential) {
        throw new UsageError(
          'nothing to change: give --name, --secret, --rotate-secret, --public, --confidential, --redirect-uri, --post-logout-redirect-uri, --scope, --resource, --refresh/--no-refresh, --auth-method, --jwks or --grant-type',
        );
      }
      let generated = flags.rotateSecret ? randomToken(32) : undefined;
      const client = await store.update((tx) => {
        const current = findClient(tx.data, id);
        if (!current) throw notFound('client', id, tx.data.clients, store);
        // As on add (--public --secret is refused): a secret never turns a public client
        // confidential by the way; that change is asked for with --confidential.
        if (current.public && (flags.secret !== undefined || flags.rotateSecret) && !flags.confidential) {
          throw new UsageError(
            `client ${id} is public and has no secret; to make it confidential, add --confidential (with --secret, or without to generate one)`,
          );
        }
        if (flags.confidential && current.public && flags.secret === undefined) generated ??= randomToken(32);
        const next: Client = { ...current, ...changes };
        if (flags.public || flags.authMethod === 'none') {
          next.public = true;
          delete next.secret;
        }
        const secret = flags.secret ?? generated;
        if (secret !== undefined) {
          next.public = false;
          next.secret = secret;
        }
        const valid = validateClient(next, 'clients update');
        tx.put('clients', id, valid);
        return valid;
      });
      if (flags.json) return printJson(io, masked(client, generated !== undefined));
      if (generated !== undefined) io.stdout(`${generated}\n`);
      io.stderr(`${paint(io).green('✔')} updated client ${id}${generated !== undefined ? '; its new secret is on stdout' : ''}\n`);
    }),
  );

  const remove = storeCommand('remove', 'remove a client (its tokens stop refreshing)', ['oauth-mock clients remove web']).argument('<id>', 'client_id');
  remove.action((id: string, flags: ClientFlags) =>
    withStore(io, flags, async (store) => {
      const client = await store.update((tx) => {
        const current = findClient(tx.data, id);
        if (!current) throw notFound('client', id, tx.data.clients, store);
        tx.delete('clients', id);
        return current;
      });
      if (flags.json) return printJson(io, masked(client, false));
      io.stderr(`${paint(io).green('✔')} removed client ${id}\n`);
    }),
  );

  for (const sub of [list, show, add, update, remove]) clients.addCommand(sub);
  return clients;
}

/** The record fields the flags set (not secret/public, which depend on add vs update). */
function fields(flags: ClientFlags, io: Io): Partial<Client> {
  const scopes = parseScopes(flags.scope);
  return {
    ...(flags.authMethod !== undefined ? { token_endpoint_auth_method: flags.authMethod } : {}),
    ...(flags.jwks !== undefined ? { jwks: readJwks(io, flags.jwks) } : {}),
    ...(flags.grantType !== undefined ? { grant_types: [...new Set(flags.grantType)] } : {}),
    ...(flags.name !== undefined ? { name: flags.name } : {}),
    ...(flags.secret !== undefined ? { secret: flags.secret } : {}),
    ...(flags.redirectUri !== undefined ? { redirect_uris: [...new Set(flags.redirectUri.map((u) => absoluteUri(u, '--redirect-uri')))] } : {}),
    ...(flags.postLogoutRedirectUri !== undefined
      ? { post_logout_redirect_uris: [...new Set(flags.postLogoutRedirectUri.map((u) => absoluteUri(u, '--post-logout-redirect-uri')))] }
      : {}),
    ...(scopes !== undefined ? { scopes } : {}),
    ...(flags.resource !== undefined ? { resources: [...new Set(flags.resource.map((u) => absoluteUri(u, '--resource')))] } : {}),
    ...(flags.refresh !== undefined ? { refresh: flags.refresh } : {}),
  };
}

/** A JWK Set file, or a file holding one JWK (wrapped into a set). The keys are checked by validateClient. */
function readJwks(io: Io, path: string): NonNullable<Client['jwks']> {
  const file = isAbsolute(path) ? path : resolve(io.cwd, path);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (error as Error).message;
    throw new CliError(`cannot read --jwks ${file}: ${why}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new CliError(`--jwks ${file} must hold a JWK Set {"keys": [...]} or one JWK`);
  const set = parsed as { keys?: unknown; kty?: unknown };
  if (Array.isArray(set.keys)) return { keys: set.keys as Record<string, unknown>[] };
  if (typeof set.kty === 'string') return { keys: [parsed as Record<string, unknown>] };
  throw new CliError(`--jwks ${file} must hold a JWK Set {"keys": [...]} or one JWK`);
}

function masked(client: Client, show: boolean): Client {
  const secret = maskSecret(client.secret, show);
  return secret === undefined ? client : { ...client, secret };
}

function describe(client: Client): string {
  const rows: [string, string][] = [
    ['id', client.id],
    ...(client.name !== undefined ? [['name', client.name] as [string, string]] : []),
    ['type', client.public ? 'public (PKCE required)' : 'confidential'],
    ...(client.secret !== undefined ? [['secret', client.secret] as [string, string]] : []),
    ['redirect_uris', client.redirect_uris.join(' ')],
    ...(client.post_logout_redirect_uris !== undefined ? [['post-logout', client.post_logout_redirect_uris.join(' ')] as [string, string]] : []),
    ['scopes', client.scopes.join(' ')],
    ['resources', client.resources?.length ? client.resources.join(' ') : '(any)'],
    ['refresh tokens', client.refresh === false ? 'no' : 'yes'],
    ...(client.token_endpoint_auth_method !== undefined ? [['auth method', client.token_endpoint_auth_method] as [string, string]] : []),
    ...(client.jwks !== undefined
      ? [['jwks', client.jwks.keys.map((k) => (typeof k.kid === 'string' ? k.kid : String(k.kty))).join(' ')] as [string, string]]
      : []),
    ...(client.grant_types !== undefined ? [['grant types', client.grant_types.join(' ')] as [string, string]] : []),
  ];
  return labelled(rows, 16);
}

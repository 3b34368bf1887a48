// `oauth-mock users ...`: the end users authorize can log in as. Every change is one store
// transaction, so a running server sees it on its next request.
import { Command, Option } from 'commander';
import { epochSeconds, systemClock } from '../../core/clock.js';
import { findUser } from '../../core/lookup.js';
import type { User } from '../../core/types.js';
import { validateUser } from '../../store/fixtures.js';
import { notFound, storeCommand, where, withStore, type CommonFlags } from '../command-kit.js';
import { labelled, table } from '../format.js';
import { CliError, paint, printJson, UsageError, type Io } from '../io.js';
import { collect, parseClaims } from '../parse.js';

interface UserFlags extends CommonFlags {
  name?: string;
  email?: string;
  emailVerified?: boolean;
  claim?: string[];
  removeClaim?: string[];
}

function addUserOptions(command: Command): Command {
  return command
    .addOption(new Option('--name <name>', 'full name (the name claim)'))
    .addOption(new Option('--email <email>', 'email address'))
    .addOption(new Option('--email-verified', 'mark the email as verified'))
    .addOption(new Option('--claim <key=value>', 'custom claim for access tokens and userinfo; repeatable; JSON values allowed').argParser(collect));
}

export function makeUsersCommand(io: Io): Command {
  const users = new Command('users').description('list, add, change and remove users');

  const list = storeCommand('list', 'list users', ['oauth-mock users list', 'oauth-mock users list --json | jq -r ".[].id"']);
  list.action((flags: CommonFlags) =>
    withStore(io, flags, async (store) => {
      const all = Object.values(store.read().users);
      if (flags.json) return printJson(io, all);
      if (all.length === 0) return io.stderr(`no users in ${where(store)}; add one with: oauth-mock users add ID\n`);
      io.stdout(
        table(
          ['ID', 'NAME', 'EMAIL', 'CLAIMS'],
          all.map((u) => [u.id, u.name ?? '', u.email ?? '', u.claims ? JSON.stringify(u.claims) : '']),
        ),
      );
    }),
  );

  const show = storeCommand('show', 'show one user', ['oauth-mock users show alice']).argument('<id>', 'user id (the sub)');
  show.action((id: string, flags: CommonFlags) =>
    withStore(io, flags, async (store) => {
      const data = store.read();
      const user = findUser(data, id);
      if (!user) throw notFound('user', id, data.users, store);
      if (flags.json) return printJson(io, user);
      io.stdout(describe(user));
    }),
  );

  const add = addUserOptions(
    storeCommand('add', 'add a user', [
      'oauth-mock users add carol --name "Carol Danvers" --email carol@example.com',
      `oauth-mock users add dave --claim 'roles=["admin"]' --claim tenant=acme`,
    ]).argument('<id>', 'user id (becomes the sub claim)'),
  );
  add.action((id: string, flags: UserFlags) =>
    withStore(io, flags, async (store) => {
      const now = epochSeconds(systemClock);
      const user = validateUser(compact({ id, ...profile(flags), updated_at: now, ...claimsOf(flags, {}) }), 'users add');
      await store.update((tx) => {
        if (findUser(tx.data, id)) throw new CliError(`user ${JSON.stringify(id)} already exists; change it with: oauth-mock users update ${id}`);
        tx.put('users', id, user);
      });
      report(io, flags, user, `added user ${id} to ${where(store)}`);
    }),
  );

  const update = addUserOptions(
    storeCommand('update', 'change a user (only the given fields)', [
      'oauth-mock users update alice --email alice@wonderland.example',
      `oauth-mock users update bob --claim 'roles=["user","billing"]' --remove-claim tenant`,
    ]).argument('<id>', 'user id'),
  ).addOption(new Option('--remove-claim <key>', 'drop a custom claim; repeatable').argParser(collect));
  update.action((id: string, flags: UserFlags) =>
    withStore(io, flags, async (store) => {
      const changes = profile(flags);
      if (Object.keys(changes).length === 0 && flags.claim === undefined && flags.removeClaim === undefined) {
        throw new UsageError('nothing to change: give --name, --email, --email-verified, --claim or --remove-claim');
      }
      const now = epochSeconds(systemClock);
      // Read-modify-write inside one transaction: a change the server made meanwhile is not lost.
      const user = await store.update((tx) => {
        const current = findUser(tx.data, id);
        if (!current) throw notFound('user', id, tx.data.users, store);
        const next = compact({ ...current, ...changes, updated_at: now, claims: undefined, ...claimsOf(flags, current.claims ?? {}) });
        tx.put('users', id, next);
        return next;
      });
      report(io, flags, user, `updated user ${id}`);
    }),
  );

  const remove = storeCommand('remove', 'remove a user (their tokens stop working)', ['oauth-mock users remove bob']).argument('<id>', 'user id');
  remove.action((id: string, flags: CommonFlags) =>
    withStore(io, flags, async (store) => {
      const user = await store.update((tx) => {
        const current = findUser(tx.data, id);
        if (!current) throw notFound('user', id, tx.data.users, store);
        tx.delete('users', id);
        return current;
      });
      report(io, flags, user, `removed user ${id}`);
    }),
  );

  for (const sub of [list, show, add, update, remove]) users.addCommand(sub);
  return users;
}

function profile(flags: UserFlags): Partial<User> {
  return {
    ...(flags.name !== undefined ? { name: flags.name } : {}),
    ...(flags.email !== undefined ? { email: flags.email } : {}),
    ...(flags.emailVerified ? { email_verified: true } : {}),
  };
}

function claimsOf(flags: UserFlags, current: Record<string, unknown>): { claims?: Record<string, unknown> } {
  const claims: Record<string, unknown> = { ...current, ...parseClaims(flags.claim) };
  for (const key of flags.removeClaim ?? []) delete claims[key];
  return Object.keys(claims).length > 0 ? { claims } : {};
}

// `claims: undefined` must not reach the store as a key.
function compact(user: Omit<User, 'claims'> & { claims?: User['claims'] | undefined }): User {
  const { claims, ...rest } = user;
  return claims === undefined ? rest : { ...rest, claims };
}

function report(io: Io, flags: CommonFlags, user: User, message: string): void {
  if (flags.json) printJson(io, user);
  else io.stderr(`${paint(io).green('✔')} ${message}\n`);
}

function describe(user: User): string {
  const rows = Object.entries(user)
    .filter(([key]) => key !== 'claims')
    .map(([key, value]): [string, string] => [key, key === 'updated_at' && typeof value === 'number' ? new Date(value * 1000).toISOString() : String(value)]);
  for (const [key, value] of Object.entries(user.claims ?? {})) rows.push([`claims.${key}`, JSON.stringify(value)]);
  return labelled(rows, 20);
}

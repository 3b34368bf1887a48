// `oauth-mock control ...`: the test controls of a running `start --control`, from the terminal.
// Finds the server by --url/--token, then --ready-file, then the store the server writes to.
// Under https it trusts --cacert, else the CA the ready file carries, else the one beside the store.
import { Command, Option } from 'commander';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { parseDuration, parseInstant } from '../../control/clock.js';
import { checkFault } from '../../control/faults.js';
import { checkMisbehaviour, MISBEHAVIOURS } from '../../control/misbehaviours.js';
import type { ControlStatus } from '../../control/controls.js';
import { CliError, paint, printJson, UsageError, type Io } from '../io.js';
import { collect, parseClaims } from '../parse.js';
import { addStoreOptions, openStore, type StoreFlags } from '../store-options.js';
import { liveServers } from '../../store/live-servers.js';
import { CertificateError, send, type Answer, type Trust } from '../control-client.js';

interface TargetFlags extends StoreFlags {
  url?: string;
  token?: string;
  readyFile?: string;
  cacert?: string;
  json?: boolean;
}

interface Target {
  url: string;
  token: string;
  /** Under https: the server's CA, where the target was found. */
  trust: Trust;
}

function leaf(name: string, description: string, examples: readonly string[]): Command {
  const command = new Command(name)
    .description(description)
    .addOption(new Option('--url <url>', "the control API of the server (its ready line's controlUrl; env OAUTH_MOCK_CONTROL_URL)"))
    .addOption(new Option('--token <token>', "the control token (its ready line's controlToken; env OAUTH_MOCK_CONTROL_TOKEN)"))
    .addOption(new Option('--ready-file <path>', 'read the URL and token (and, under https, the CA) from the --ready-file the server wrote'))
    .addOption(
      new Option(
        '--cacert <file>',
        "under https, trust this CA certificate (PEM; the server's caPath, or oauth-mock tls ca); NODE_EXTRA_CA_CERTS is trusted too",
      ),
    )
    .addOption(new Option('--json', 'print the resulting state as JSON, for scripts'));
  addStoreOptions(command);
  command.addHelpText('after', `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n`);
  return command;
}

const within = (io: Io, path: string) => (isAbsolute(path) ? path : resolve(io.cwd, path));

/** --cacert: read before anything is sent, so a wrong path is a usage mistake. */
async function cacert(io: Io, flags: TargetFlags): Promise<Trust | undefined> {
  if (flags.cacert === undefined) return undefined;
  const path = within(io, flags.cacert);
  try {
    return { ca: await readFile(path, 'utf8'), from: `--cacert ${path}` };
  } catch (error) {
    throw new UsageError(`cannot read --cacert ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** The CA of `start --https` with a store file: tls/ca.pem beside it, where `oauth-mock tls ca` finds it. */
async function caBesideStore(storeFile: string | null, url: string): Promise<Trust> {
  if (storeFile === null || !url.startsWith('https:')) return {};
  // Loaded only over https: tls-dir brings the certificate library with it.
  const { tlsDirFor, TLS_FILES } = await import('../../tls/tls-dir.js');
  const path = join(tlsDirFor(storeFile), TLS_FILES.ca);
  try {
    return { ca: await readFile(path, 'utf8'), from: `the CA beside the store, ${path}` };
  } catch {
    // None there (a server with --cert/--key, or its CA removed): Node's own CAs may still do.
    return {};
  }
}

/** The CA a ready file carries under https: `ca` (PEM), else the file at `caPath`. */
async function readyTrust(path: string, ready: { ca?: unknown; caPath?: unknown }): Promise<Trust> {
  if (typeof ready.ca === 'string') return { ca: ready.ca, from: `the ca of the ready file ${path}` };
  if (typeof ready.caPath !== 'string') return {};
  try {
    return { ca: await readFile(ready.caPath, 'utf8'), from: `the caPath of the ready file ${path}, ${ready.caPath}` };
  } catch (error) {
    throw new CliError(
      `cannot read the CA ${ready.caPath} that the ready file ${path} names (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); is the server running?`,
    );
  }
}

async function findTarget(io: Io, flags: TargetFlags): Promise<Target> {
  const url = flags.url ?? io.env.OAUTH_MOCK_CONTROL_URL;
  const token = flags.token ?? io.env.OAUTH_MOCK_CONTROL_TOKEN;
  const explicit = await cacert(io, flags);
  if (url !== undefined && token !== undefined) return { url, token, trust: explicit ?? {} };
  if (url !== undefined || token !== undefined) throw new UsageError('give both --url and --token, or neither (then --ready-file or the store is read)');
  if (flags.readyFile !== undefined) {
    const path = within(io, flags.readyFile);
    let ready: { controlUrl?: unknown; controlToken?: unknown; ca?: unknown; caPath?: unknown };
    try {
      ready = JSON.parse(await readFile(path, 'utf8')) as typeof ready;
    } catch (error) {
      throw new CliError(`cannot read the ready file ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); is the server running?`);
    }
    if (typeof ready.controlUrl !== 'string' || typeof ready.controlToken !== 'string') {
      throw new CliError(`the server of ${path} runs without test control; restart it with oauth-mock start --control`);
    }
    return { url: ready.controlUrl, token: ready.controlToken, trust: explicit ?? (await readyTrust(path, ready)) };
  }
  const store = await openStore(io, flags);
  try {
    // The live servers of this store (a killed one drops out by its pid) that run --control.
    const controlled = liveServers(store.read().meta).filter((s) => s.control !== undefined);
    const [only] = controlled;
    if (!only?.control)
      throw new CliError(`no server with test control uses ${store.path ?? 'this store'}; start one with oauth-mock start --control, or pass --ready-file`);
    if (controlled.length > 1) {
      throw new CliError(
        `${controlled.length} servers with test control use ${store.path ?? 'this store'} (${controlled.map((s) => `pid ${s.pid}`).join(', ')}); pass --ready-file, or --url and --token`,
      );
    }
    return { ...only.control, trust: explicit ?? (await caBesideStore(store.path, only.control.url)) };
  } finally {
    await store.close();
  }
}

async function call(io: Io, flags: TargetFlags, method: 'GET' | 'POST', path: string, body?: unknown): Promise<ControlStatus> {
  const target = await findTarget(io, flags);
  let res: Answer;
  try {
    res = await send(
      new URL(`${target.url}${path}`),
      {
        method,
        headers: { authorization: `Bearer ${target.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      },
      target.trust,
      { env: io.env, cwd: io.cwd, warn: (text) => io.stderr(text) },
    );
  } catch (error) {
    if (error instanceof CertificateError) {
      throw new CliError(
        `the certificate of ${target.url} is not trusted (${error.code}: ${error.message}); trusted: ${error.trusted}. Pass --cacert with the server's CA (caPath of its ready line; oauth-mock tls ca for a store file), or --ready-file`,
      );
    }
    throw new CliError(
      `cannot reach ${target.url} (${((error as Error).cause as Error | undefined)?.message ?? (error as Error).message}); is the server running?`,
    );
  }
  const { text } = res;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CliError(`${target.url}${path} answered ${res.status} with a body that is not JSON`);
  }
  if (res.status < 200 || res.status > 299) {
    // Either profile's error format: {success:false, error:{code,message}} or {error, error_description}.
    const p = parsed as { error?: string | { code?: string; message?: string }; error_description?: string };
    const message = typeof p.error === 'object' ? p.error?.message : (p.error_description ?? p.error);
    const hint =
      res.status === 401
        ? ' (the control token is wrong: the server was restarted? read it again from its ready line)'
        : res.status === 404
          ? ' (the server runs without --control)'
          : '';
    throw new CliError(`the server refused (${res.status}): ${message ?? text}${hint}`);
  }
  return parsed as ControlStatus;
}

function done(io: Io, flags: TargetFlags, status: ControlStatus, what: string): void {
  if (flags.json) printJson(io, status);
  else io.stderr(`${paint(io).green('✓')} ${what}\n`);
}

function usage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(error.message);
    throw error;
  }
}

function whole(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} must be a whole number; got ${value}`);
  return Number(value);
}

export function renderStatus(status: ControlStatus): string {
  const lines = [
    `clock          ${status.clock.now}${status.clock.offsetMs === 0 ? ' (real time)' : ` (${status.clock.offsetMs > 0 ? '+' : ''}${status.clock.offsetMs} ms)`}`,
  ];
  lines.push(`faults         ${status.faults.length === 0 ? 'none' : ''}`);
  for (const f of status.faults) {
    const what = [
      f.status !== undefined ? `status ${f.status}` : '',
      f.error ?? '',
      f.drop ? 'drop' : '',
      f.body !== undefined ? `body ${JSON.stringify(f.body)}` : '',
      f.delayMs !== undefined ? `delay ${f.delayMs} ms` : '',
    ].filter((s) => s !== '');
    lines.push(`  ${f.endpoint}: ${what.join(', ')} × ${f.remaining}`);
  }
  lines.push(`misbehaviours  ${status.misbehaviours.length === 0 ? 'none' : ''}`);
  for (const m of status.misbehaviours) lines.push(`  ${m.name} × ${m.remaining}`);
  lines.push(`next logins    ${status.logins.length === 0 ? 'none' : status.logins.map((l) => l.user).join(', ')}`);
  return `${lines.map((l) => l.trimEnd()).join('\n')}\n`;
}

export function makeControlCommand(io: Io): Command {
  const control = new Command('control').description('move the clock, inject faults and misbehaviours in a server started with --control');

  control.addCommand(
    leaf('status', 'show the clock and what is pending', ['oauth-mock control status', 'oauth-mock control status --ready-file ready.json --json']).action(
      async (flags: TargetFlags) => {
        const status = await call(io, flags, 'GET', '/status');
        if (flags.json) printJson(io, status);
        else io.stdout(renderStatus(status));
      },
    ),
  );

  const clock = new Command('clock').description("move the server's clock: every iat, exp, code and refresh expiry follows it");
  clock.addCommand(
    leaf('advance', 'move the clock forward', ['oauth-mock control clock advance 1h', 'oauth-mock control clock advance 90m'])
      .argument('<duration>', '90m, 1h, 2d, 30s, 500ms or milliseconds')
      .action(async (by: string, flags: TargetFlags) => {
        usage(() => parseDuration(by));
        done(io, flags, await call(io, flags, 'POST', '/clock/advance', { by }), `clock advanced by ${by}`);
      }),
  );
  clock.addCommand(
    leaf('set', 'jump to a date (the only way back)', ['oauth-mock control clock set 2030-01-01T00:00:00Z'])
      .argument('<date>', 'an ISO 8601 date')
      .action(async (to: string, flags: TargetFlags) => {
        usage(() => parseInstant(to));
        done(io, flags, await call(io, flags, 'POST', '/clock/set', { to }), `clock set to ${to}`);
      }),
  );
  clock.addCommand(
    leaf('reset', 'back to the real time', ['oauth-mock control clock reset']).action(async (flags: TargetFlags) =>
      done(io, flags, await call(io, flags, 'POST', '/clock/reset', {}), 'clock back to real time'),
    ),
  );
  control.addCommand(clock);

  control.addCommand(
    leaf('fail', 'fail the next requests to an endpoint', [
      'oauth-mock control fail token --status 503 --times 2 --retry-after 1',
      'oauth-mock control fail token --error invalid_grant',
      'oauth-mock control fail userinfo --delay 3000',
      'oauth-mock control fail jwks --drop',
      'oauth-mock control fail discovery --body "not json"',
    ])
      .argument('<endpoint>', 'authorize, token, userinfo, revoke, introspection, discovery, jwks or end_session')
      .addOption(new Option('--times <n>', 'how many requests (default 1)'))
      .addOption(new Option('--status <code>', 'answer with this HTTP status'))
      .addOption(new Option('--error <code>', "answer with this OAuth error code, in the server's profile format"))
      .addOption(new Option('--message <text>', "the error's description"))
      .addOption(new Option('--retry-after <seconds>', 'send Retry-After'))
      .addOption(new Option('--delay <ms>', 'wait this long first (alone: then answer normally)'))
      .addOption(new Option('--drop', 'close the socket with no response'))
      .addOption(new Option('--body <text>', 'answer with this body'))
      .action(
        async (
          endpoint: string,
          flags: TargetFlags & {
            times?: string;
            status?: string;
            error?: string;
            message?: string;
            retryAfter?: string;
            delay?: string;
            drop?: boolean;
            body?: string;
          },
        ) => {
          const options = {
            ...(flags.times !== undefined ? { times: whole(flags.times, '--times') } : {}),
            ...(flags.status !== undefined ? { status: whole(flags.status, '--status') } : {}),
            ...(flags.error !== undefined ? { error: flags.error } : {}),
            ...(flags.message !== undefined ? { message: flags.message } : {}),
            ...(flags.retryAfter !== undefined ? { retryAfter: whole(flags.retryAfter, '--retry-after') } : {}),
            ...(flags.delay !== undefined ? { delayMs: whole(flags.delay, '--delay') } : {}),
            ...(flags.drop ? { drop: true } : {}),
            ...(flags.body !== undefined ? { body: flags.body } : {}),
          };
          usage(() => checkFault(endpoint, options));
          done(io, flags, await call(io, flags, 'POST', '/faults', { endpoint, ...options }), `${endpoint}: the next ${options.times ?? 1} request(s) fail`);
        },
      ),
  );

  control.addCommand(
    leaf('misbehave', 'make the next tokens or responses wrong in one precise way', [
      'oauth-mock control misbehave id_token.wrong_issuer',
      'oauth-mock control misbehave id_token.expired --times 3',
    ])
      .argument('<name>', `one of: ${Object.keys(MISBEHAVIOURS).join(', ')}`)
      .addOption(new Option('--times <n>', 'how many tokens or responses (default 1)'))
      .action(async (name: string, flags: TargetFlags & { times?: string }) => {
        const times = whole(flags.times, '--times') ?? 1;
        usage(() => checkMisbehaviour(name, times));
        done(io, flags, await call(io, flags, 'POST', '/misbehaviours', { name, times }), `${name} × ${times}`);
      }),
  );

  control.addCommand(
    leaf('login', 'the next authorization request is made by this user', ['oauth-mock control login bob', 'oauth-mock control login bob --claim acr=urn:mfa'])
      .argument('<user>', 'a user id')
      .addOption(new Option('--claim <key=value>', 'a claim the login established (repeatable)').argParser(collect))
      .action(async (user: string, flags: TargetFlags & { claim?: string[] }) => {
        const claims = parseClaims(flags.claim);
        const login = { user, ...(Object.keys(claims).length > 0 ? { claims } : {}) };
        done(io, flags, await call(io, flags, 'POST', '/logins', login), `the next login is ${user}`);
      }),
  );

  control.addCommand(
    leaf('reset', 'real time again; no faults, misbehaviours or queued logins', ['oauth-mock control reset']).action(async (flags: TargetFlags) =>
      done(io, flags, await call(io, flags, 'POST', '/reset', {}), 'test control reset'),
    ),
  );

  control.addHelpText('after', '\nThe server must run with --control: oauth-mock start --control\n');
  return control;
}

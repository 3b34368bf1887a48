import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { DEFAULT_DB } from '../../config/defaults.js';
import { resolveServerOptions, serverOptionsFromSettings, type ServerOptions } from '../../config/server-options.js';
import { secretProblem } from '../../tokens/keys.js';
import { CliError, paint, UsageError, type Io } from '../io.js';
import { addServerOptions, type ServerFlags } from '../server-options.js';
import type { Store } from '../../store/types.js';
import { addStoreOptions, openStore, redisStore, storePath, type StoreFlags } from '../store-options.js';
import { resolveTls, trustLines, type ServingTls } from '../tls-options.js';
import { loadSettings } from '../settings.js';
import { readKeyFile } from './keys.js';
import { exitWithParentByDefault } from '../parent-watch.js';
import { announceReady, withdrawReady } from '../ready.js';
import { liveServers } from '../../store/live-servers.js';
import { where } from '../command-kit.js';

interface StartFlags extends StoreFlags, ServerFlags {
  quiet?: boolean;
  readyFile?: string;
  /** true, false (--no-exit-with-parent) or undefined: then the environment decides. */
  exitWithParent?: boolean;
  control?: boolean;
}

export function makeStartCommand(io: Io): Command {
  const command = addServerOptions(new Command('start').description('run the mock authorization server'))
    .addOption(new Option('--reset', 'reseed the store from fixtures before starting (drops issued tokens)'))
    .addOption(new Option('-q, --quiet', 'no banner and no request log'))
    .addOption(
      new Option(
        '--ready-file <path>',
        'once listening, write {url, issuer, pid} (and caPath, ca under https) as JSON to this file (removed on stop); a {"event":"ready",...} line goes to stdout either way',
      ),
    )
    .addOption(new Option('--exit-with-parent', 'stop when the process that started the server is gone (default: on when started by npm exec / npx)'))
    .addOption(new Option('--no-exit-with-parent', 'keep running after the parent is gone, e.g. under nohup from npx'))
    .addOption(
      new Option(
        '--control',
        'serve the test-control API (clock, faults, misbehaviours) under /_oauth-mock, to the controlToken of the ready line; see oauth-mock control --help',
      ),
    );
  addStoreOptions(command);
  command.addHelpText(
    'after',
    '\nExamples:\n  $ oauth-mock start\n  $ oauth-mock start --port 0 --in-memory\n  $ oauth-mock start --db ./test/oauth.json --reset\n  $ oauth-mock start --https\n  $ oauth-mock start --cert localhost.pem --key localhost-key.pem\n',
  );
  command.action(async (flags: StartFlags) => startServer(io, flags));
  return command;
}

async function startServer(io: Io, flags: StartFlags): Promise<void> {
  // flag > env > config file (oauth-mock.config.json or --config) > default: loaded once, here.
  const { values: settings, sources } = loadSettings(io, flags);
  let options: ServerOptions;
  try {
    options = resolveServerOptions(serverOptionsFromSettings(settings));
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(error.message);
    throw error;
  }
  // Without an explicit --alg, the key file's type decides it.
  const key = settings.keyFile === undefined ? undefined : await readKeyFile(io, settings.keyFile, sources.alg === 'default' ? undefined : settings.alg);
  if (settings.secret !== undefined) {
    const problem = secretProblem(settings.secret);
    if (problem) throw new UsageError(problem);
  }
  const c = paint(io);
  // https, cert and key settings (flag > env > config file). Before the store opens: a bad
  // --cert/--key pair is a usage error and nothing else runs.
  const tls = await resolveTls(io, settings, { storePath: storePath(io, flags, settings), host: options.host, issuer: options.issuer });
  let store;
  try {
    store = await openStore(io, flags, settings);
  } catch (error) {
    await tls?.cleanup();
    throw error;
  }
  // Only `start` loads the HTTP stack, so terminal commands stay quick.
  const { listen, ListenError } = await import('../../server.js');
  // Two servers on one store is allowed (each records itself), but terminal-minted tokens then
  // need --issuer: say so once.
  const others = liveServers(store.read().meta);
  if (others.length > 0) {
    io.stderr(
      `note: ${where(store)} is also served by ${others.map((s) => `pid ${s.pid} at ${s.url}`).join(', ')}; while both run, tokens mint asks for --issuer\n`,
    );
  }
  const alg = key?.alg ?? options.alg;
  const control = flags.control ? await startControl(alg) : undefined;
  let server;
  try {
    server = await listen({
      ...options,
      store,
      alg,
      ...(tls ? { tls: { cert: tls.cert, key: tls.key } } : {}),
      ...(key ? { key } : {}),
      pid: io.pid,
      ...(control ?? {}),
      ...(flags.quiet
        ? {}
        : {
            log: ({ method, path, status, ms }) => {
              const colour = status >= 500 ? c.red : status >= 400 ? c.yellow : status >= 300 ? c.cyan : c.green;
              io.stderr(`${c.dim(new Date().toISOString())} ${method} ${path} ${colour(String(status))} ${ms.toFixed(1)}ms\n`);
            },
          }),
      onError: (error) => io.stderr(`${c.red('server error:')} ${(error as Error)?.stack ?? String(error)}\n`),
    });
  } catch (error) {
    await store.close();
    await tls?.cleanup();
    if (error instanceof ListenError) throw new CliError(error.message);
    throw error;
  }
  // From here a stop request is ours to honour gracefully (bin ends the process at once until then).
  // Started by npm exec / npx, the server also goes with its parent unless told otherwise.
  const exitWithParent = flags.exitWithParent ?? exitWithParentByDefault(io.env);
  let unwatch: (() => void) | undefined;
  const stopped = new Promise<string>((resolve) => {
    if (io.stopSignal.aborted) resolve('');
    io.stopSignal.addEventListener('abort', () => resolve(''), { once: true });
    if (exitWithParent && io.watchParent) unwatch = io.watchParent(() => resolve(' (the process that started it is gone)'));
  });
  if (!flags.quiet)
    io.stderr(
      banner(
        io,
        server.url,
        server.issuer,
        store,
        server.app.appContext,
        exitWithParent ? ending(flags) : undefined,
        tls,
        redisStore(io, flags)?.shown,
        server.controlUrl,
      ),
    );
  let readyFile: string | undefined;
  // `oauth-mock control` finds the server in the ready file, or in the store (listen records it there).
  const controlAt = control ? { controlUrl: server.controlUrl as string, controlToken: control.controlToken } : undefined;
  try {
    const trust = tls?.caPath !== undefined ? { caPath: tls.caPath, ca: tls.ca as string } : {};
    readyFile = await announceReady(io, { url: server.url, issuer: server.issuer, pid: io.pid, ...trust, ...controlAt }, flags.readyFile);
  } catch (error) {
    unwatch?.();
    await server.close();
    await store.close();
    await tls?.cleanup();
    throw new CliError(`cannot write the --ready-file: ${(error as Error).message}`);
  }
  const why = await stopped;
  unwatch?.();
  if (!flags.quiet) io.stderr(`stopping…${why}\n`);
  await server.close();
  await store.close();
  await withdrawReady(readyFile);
  await tls?.cleanup();
}

/** The banner's note on how the server ends, when it ends with its parent. */
function ending(flags: StartFlags): string {
  return flags.exitWithParent === true
    ? 'stops when its parent process is gone'
    : 'stops when its parent process is gone (started by npm exec; --no-exit-with-parent to keep it)';
}

function banner(
  io: Io,
  url: string,
  issuer: string,
  store: Store,
  context: { store: { read(): { users: object; clients: object } }; paths: Record<string, string>; profile: { name: string }; config: { login?: string } },
  ends?: string,
  tls?: ServingTls,
  redisUrl?: string,
  controlUrl?: string,
): string {
  const c = paint(io);
  const data = context.store.read();
  const { path } = store;
  // The flags that point a terminal command at this server's store (credentials left out).
  const dbFlag =
    redisUrl !== undefined ? ` --store ${redisUrl} --issuer ${issuer}` : path === null || path === resolve(io.cwd, DEFAULT_DB) ? '' : ` --db ${path}`;
  return [
    `${c.bold('oauth-mock')} listening on ${c.cyan(url)}`,
    `  issuer     ${issuer}`,
    `  discovery  ${url}${context.paths.discovery}`,
    `  store      ${path ?? store.location ?? 'in memory (nothing is saved)'}`,
    `  clients    ${Object.keys(data.clients).join(', ') || '(none)'}`,
    `  users      ${Object.keys(data.users).join(', ') || '(none)'}`,
    ...(tls ? trustLines(tls) : []),
    // The token is in the ready line (stdout) only: a banner is often kept in CI logs.
    ...(controlUrl !== undefined ? [`  control    ${controlUrl} (token: controlToken of the ready line; oauth-mock control --help)`] : []),
    '',
    // oidc: a browser signs in on the login page (or at once with --login auto); HTTP-only suites still send a user token.
    ...(context.profile.name === 'oidc'
      ? [
          `  sign in:     ${context.config.login === 'auto' ? 'automatic (--login auto): the login_hint user, else the first' : `the login page at ${url}${context.paths.authorize}`}`,
        ]
      : []),
    `  user token:  ${c.bold(`oauth-mock tokens mint --user ${Object.keys(data.users)[0] ?? 'ID'}${dbFlag}`)}`,
    `  stop with Ctrl-C${ends ? `; ${ends}` : ''}`,
    '',
  ].join('\n');
}

/** The controls and a fresh control token; loaded only with --control. */
async function startControl(alg: string) {
  const [{ createControls }, { randomToken }] = await Promise.all([import('../../control/controls.js'), import('../../core/random.js')]);
  return { controls: createControls({ alg }), controlToken: randomToken(32) };
}

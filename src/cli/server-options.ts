import { Option, type Command } from 'commander';
import { addOnce } from './store-options.js';

/** What addServerOptions adds, as commander hands it to an action. */
export interface ServerFlags {
  port?: string;
  host?: string;
  issuer?: string;
  basePath?: string;
  secret?: string;
  alg?: string;
  keyFile?: string;
  profile?: string;
  login?: string;
  https?: boolean;
  cert?: string;
  key?: string;
}

/** The settings a server runs with; `config` shows the same ones, so both take the same flags. */
export function addServerOptions(command: Command): Command {
  command
    .addOption(new Option('-p, --port <port>', 'port to listen on; 0 picks a free one (default 9400; env OAUTH_MOCK_PORT)'))
    .addOption(new Option('--host <host>', 'interface to bind (default 127.0.0.1; env OAUTH_MOCK_HOST)'));
  return addOnce(command, new Option('--issuer <url>', 'issuer, exactly as tokens carry it (default http://<host>:<port>; env OAUTH_MOCK_ISSUER)'))
    .addOption(new Option('--base-path <path>', 'prefix for the /oauth endpoints (env OAUTH_MOCK_BASE_PATH)'))
    .addOption(new Option('--secret <secret>', 'HS256 secret, at least 32 bytes (env OAUTH_MOCK_SECRET; default: generated once, kept in the store)'))
    .addOption(
      new Option('--alg <alg>', 'signing algorithm: HS256 (the default, as the seed; RS256 under --profile oidc), RS256 or ES256 (env OAUTH_MOCK_ALG)'),
    )
    .addOption(new Option('--key-file <path>', 'bring your own RS256/ES256 private key (PEM or JWK); imported into the store (env OAUTH_MOCK_KEY_FILE)'))
    .addOption(new Option('--profile <name>', "wire profile: spec (default, the seed's JSON API) or oidc (standard OAuth 2.0 / OIDC; env OAUTH_MOCK_PROFILE)"))
    .addOption(
      new Option(
        '--login <mode>',
        'oidc: how a browser signs in at authorize: page (default, the login page) or auto (the login_hint user, else the first user, at once; env OAUTH_MOCK_LOGIN)',
      ),
    )
    .addOption(
      new Option('--https', 'serve https with a certificate from a local CA made on first use, kept in tls/ beside the store (env OAUTH_MOCK_HTTPS=1)'),
    )
    .addOption(new Option('--cert <file>', 'serve https with your own certificate (PEM; with --key), e.g. from mkcert (env OAUTH_MOCK_CERT)'))
    .addOption(new Option('--key <file>', 'the private key (PEM) of --cert (env OAUTH_MOCK_KEY)'));
}

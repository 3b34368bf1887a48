// `oauth-mock tls ca`: where the local CA of `start --https` is, for scripts that must trust it
// (NODE_EXTRA_CA_CERTS=$(oauth-mock tls ca)). It needs no running server: the CA is made here
// on first use, and the next `start --https` issues its server certificate from the same CA.
import { Command, Option } from 'commander';
import { storeCommand, type CommonFlags } from '../command-kit.js';
import { CliError, paint, printJson, UsageError, type Io } from '../io.js';
import { storePath } from '../store-options.js';

interface CaFlags extends CommonFlags {
  pem?: boolean;
}

export function makeTlsCommand(io: Io): Command {
  const tls = new Command('tls').description('the local CA that start --https serves certificates from');
  const ca = storeCommand('ca', 'print the path of the local CA certificate (made on first use), or with --pem the certificate', [
    'NODE_EXTRA_CA_CERTS=$(oauth-mock tls ca) node app.js',
    'curl --cacert "$(oauth-mock tls ca)" https://localhost:9400/.well-known/openid-configuration',
    'oauth-mock tls ca --pem > oauth-mock-ca.pem',
  ]).addOption(new Option('--pem', 'print the CA certificate (PEM) instead of its path'));
  ca.action(async (flags: CaFlags) => {
    const path = storePath(io, flags);
    if (path === null) {
      throw new UsageError(
        'an in-memory server makes a new CA on each start; read its path from the ready line ("caPath") or --ready-file, or drop --in-memory to keep one CA beside the store',
      );
    }
    // Only this command needs the certificate library; other terminal commands stay quick.
    const { ensureCa, tlsDirFor } = await import('../../tls/tls-dir.js');
    let result;
    try {
      result = await ensureCa(tlsDirFor(path));
    } catch (error) {
      throw new CliError(`cannot read or make the local CA: ${(error as Error).message}`);
    }
    if (result.created) io.stderr(`${paint(io).green('✔')} made a new local CA; start --https serves a certificate it issued\n`);
    if (flags.json) return printJson(io, { path: result.caPath, pem: result.ca });
    io.stdout(flags.pem ? result.ca : `${result.caPath}\n`);
  });
  tls.addCommand(ca);
  return tls;
}

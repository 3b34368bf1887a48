// The local CA and its server certificates: what a TLS client checks, checked with node:tls.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { checkServerIdentity, connect, createServer, type PeerCertificate, type Server } from 'node:tls';
import { createCa, issueServerCert, serverCertFits, serverNames, type PemPair } from '../../src/tls/certificates.js';

/** Connects to a TLS server on 127.0.0.1 trusting only `ca`; the peer certificate, or the error. */
async function handshake(port: number, ca: string, servername?: string): Promise<{ authorized: boolean; error?: string; peer: PeerCertificate }> {
  const socket = connect({
    host: '127.0.0.1',
    port,
    ca,
    ...(servername ? { servername } : {}),
    rejectUnauthorized: false,
    checkServerIdentity: () => undefined,
  });
  await once(socket, 'secureConnect');
  const result = {
    authorized: socket.authorized,
    peer: socket.getPeerCertificate(),
    ...(socket.authorizationError ? { error: String(socket.authorizationError) } : {}),
  };
  socket.destroy();
  return result;
}

describe('tls: local CA and server certificates', function () {
  this.timeout(60_000);
  let ca: PemPair;
  let server: PemPair;
  let tls: Server;
  let port: number;
  const names = serverNames('oauth.test', 'https://id.example.test:8443/tenant');

  before(async () => {
    ca = await createCa();
    server = await issueServerCert(ca, names);
    tls = createServer({ cert: server.cert, key: server.key }, (socket) => socket.end());
    tls.listen(0, '127.0.0.1');
    await once(tls, 'listening');
    port = (tls.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => tls.close(() => resolve())));

  it('covers localhost, 127.0.0.1, ::1, the host and the issuer host, and nothing else', () => {
    assert.deepEqual(names, ['localhost', '127.0.0.1', '::1', 'oauth.test', 'id.example.test']);
    const x509 = new X509Certificate(server.cert);
    assert.equal(x509.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:oauth.test, DNS:id.example.test');
  });

  it('makes a CA that may sign server certificates only, and a server certificate that is not a CA', () => {
    const caX509 = new X509Certificate(ca.cert);
    const x509 = new X509Certificate(server.cert);
    assert.equal(caX509.ca, true);
    assert.equal(x509.ca, false);
    assert.equal(x509.checkIssued(caX509), true);
    assert.equal(x509.verify(caX509.publicKey), true);
    assert.deepEqual(x509.keyUsage, ['1.3.6.1.5.5.7.3.1']); // serverAuth (Node reports the EKU here)
  });

  for (const name of names) {
    it(`verifies the chain and the identity for ${name} with node:tls`, async () => {
      const dns = !/^[\d.]+$|:/.test(name);
      const { authorized, error, peer } = await handshake(port, ca.cert, dns ? name : undefined);
      assert.equal(error, undefined);
      assert.equal(authorized, true);
      assert.equal(checkServerIdentity(name, peer), undefined);
    });
  }

  it('fails the identity check for a name it does not cover', async () => {
    const { authorized, peer } = await handshake(port, ca.cert, 'other.test');
    assert.equal(authorized, true);
    const error = checkServerIdentity('other.test', peer) as NodeJS.ErrnoException | undefined;
    assert.equal(error?.code, 'ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('is refused by a client that trusts only another CA', async () => {
    const other = await createCa();
    const { authorized, error } = await handshake(port, other.cert, 'localhost');
    assert.equal(authorized, false);
    assert.equal(error, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });

  it('serverNames leaves out wildcard binds and repeats, and strips IPv6 brackets', () => {
    assert.deepEqual(serverNames('0.0.0.0'), ['localhost', '127.0.0.1', '::1']);
    assert.deepEqual(serverNames('::', 'https://[::1]:9400'), ['localhost', '127.0.0.1', '::1']);
    assert.deepEqual(serverNames('127.0.0.1', 'https://LOCALHOST:9400'), ['localhost', '127.0.0.1', '::1']);
    assert.deepEqual(serverNames('192.168.0.7', 'https://[fd00::7]'), ['localhost', '127.0.0.1', '::1', '192.168.0.7', 'fd00::7']);
  });

  it('serverCertFits: a missing name, another CA or near expiry means re-issue', async () => {
    assert.equal(serverCertFits(server.cert, ca.cert, names), true);
    assert.equal(serverCertFits(server.cert, ca.cert, [...names, 'new-host.test']), false);
    assert.equal(serverCertFits(server.cert, (await createCa()).cert, names), false);
    const in800Days = new Date(Date.now() + 800 * 24 * 3600 * 1000);
    assert.equal(serverCertFits(server.cert, ca.cert, names, in800Days), false);
    assert.equal(serverCertFits('not a certificate', ca.cert, names), false);
  });
});

// OpenVPN 2.6 + radiusplugin (Debian 12 openvpn-auth-radius) against obvpnd (PEERS.md):
// PAP without Message-Authenticator (its client is added with
// require_message_authenticator = auto, which must stay lenient for it), and an
// Accounting-Request on every connect that fails the login unless an
// Accounting-Response comes back.
//
// OpenVPN's server mode needs a tun device (--dev null is refused with --server), so the
// server runs in a network namespace the test creates, the client in a second one, and
// obvpnd inside the server's namespace on 127.0.0.1:1812/1813 (radiusplugin keeps only
// 4 digits of a port, so the ephemeral ports of port 0 cannot be used with it). The
// password is set through the signed API 2.0 before, by the same obvpnd on the host.
// Skipped, with the reason, where namespaces or /dev/net/tun are not available.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./harness');
const r = require('./radius_peers');

const APP = '1251001002';
const SECRET = 'openvpn-shared-secret-7';
const PASSWORD = 'Vv9$Rr8^Tt';
const PLUGIN = '/usr/lib/openvpn/radiusplugin.so';

function missing() {
  if (!r.have('openvpn')) return 'openvpn not installed (scripts/deps.sh test)';
  if (!fs.existsSync(PLUGIN)) return `${PLUGIN} missing (apt openvpn-auth-radius)`;
  if (process.getuid && process.getuid() !== 0) return 'needs root for network namespaces and tun devices';
  return false;
}

// Decided before the suite runs so a missing capability is a skip with its reason; the
// namespaces themselves are created in before() and removed in after().
const skip = missing() || r.probeNamespaces();
let ns = null;

// A throwaway PKI: a CA and a server certificate (the client proves itself with the
// RADIUS password only: verify-client-cert none).
function makePki(dir) {
  const run = (...args) => execFileSync('openssl', args, { stdio: 'ignore', cwd: dir });
  run('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key',
    '-out', 'ca.crt', '-days', '2', '-subj', '/CN=obvpn-test-ca');
  run('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'server.key',
    '-out', 'server.csr', '-subj', '/CN=server');
  fs.writeFileSync(path.join(dir, 'ext.cnf'),
    'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n');
  run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
    '-out', 'server.crt', '-days', '2', '-extfile', 'ext.cnf');
}

function writeServer(dir, name, { port, acctport }) {
  const plugin = path.join(dir, `${name}-radiusplugin.cnf`);
  fs.writeFileSync(plugin, [
    'NAS-Identifier=OpenVpn',
    'Service-Type=5',
    'Framed-Protocol=1',
    'NAS-Port-Type=5',
    'NAS-IP-Address=127.0.0.1',
    `OpenVPNConfig=${path.join(dir, `${name}.conf`)}`,
    'subnet=255.255.255.0',
    'overwriteccfiles=true',
    'nonfatalaccounting=false',
    'server',
    '{',
    `\tacctport=${acctport}`,
    '\tauthport=1812',
    '\tname=127.0.0.1',
    '\tretry=1',
    '\twait=2',
    `\tsharedsecret=${SECRET}`,
    '}',
    '',
  ].join('\n'));
  const ccd = path.join(dir, `${name}-ccd`);
  fs.mkdirSync(ccd, { recursive: true });
  const conf = path.join(dir, `${name}.conf`);
  fs.writeFileSync(conf, [
    'dev tun',
    'proto udp4',
    'local 10.213.0.1',
    `port ${port}`,
    'mode server',
    'tls-server',
    'topology subnet',
    'server 10.213.2.0 255.255.255.0',
    `ca ${path.join(dir, 'ca.crt')}`,
    `cert ${path.join(dir, 'server.crt')}`,
    `key ${path.join(dir, 'server.key')}`,
    'dh none',
    'verify-client-cert none',
    'username-as-common-name',
    `plugin ${PLUGIN} ${plugin}`,
    `status ${path.join(dir, `${name}-status.log`)} 1`,
    `client-config-dir ${ccd}`,
    `tmp-dir ${dir}`,
    'verb 3',
    '',
  ].join('\n'));
  return conf;
}

function writeClient(dir, name, { port, password }) {
  const pass = path.join(dir, `${name}.pass`);
  fs.writeFileSync(pass, `${APP}\n${password}\n`, { mode: 0o600 });
  const conf = path.join(dir, `${name}.conf`);
  fs.writeFileSync(conf, [
    'client',
    'dev tun',
    'proto udp4',
    `remote 10.213.0.1 ${port}`,
    `ca ${path.join(dir, 'ca.crt')}`,
    `auth-user-pass ${pass}`,
    'auth-retry none',
    'verify-x509-name server name',
    'remote-cert-tls server',
    // Tell the server on exit, so it runs client-disconnect (Accounting Stop) at once.
    'explicit-exit-notify 1',
    'verb 3',
    '',
  ].join('\n'));
  return conf;
}

function inNs(name, cmd, args, opts) {
  return r.startProcess('ip', ['netns', 'exec', name, cmd, ...args], opts);
}

const active = (d) => h.ctl(d.dataDir, ['account', 'show', APP, '--json']).activeSessions;

describe('OpenVPN + radiusplugin', { skip }, () => {
  let d;
  let dir;
  const servers = [];
  before(async () => {
    ns = r.makeNamespaces();
    if (ns.skip) throw new Error(ns.skip);
    dir = h.tempDir('openvpn');
    makePki(dir);
    // Password through the signed API on the host, then the same data directory served
    // from inside the server namespace.
    const host = await h.startDaemon();
    const t = h.ctl(host.dataDir, ['tenant', 'add', APP]);
    await h.setPassword(host, t, PASSWORD, 'create');
    h.addRadiusClient(host.dataDir, 'openvpn', '127.0.0.1/32', SECRET, 'auto');
    await host.stop();
    d = await h.startDaemon({ dataDir: host.dataDir, netns: ns.server, radiusListen: '127.0.0.1:1812' });
    assert.equal(d.radius, '127.0.0.1:1812');
    assert.equal(d.radiusAcct, '127.0.0.1:1813');
    servers.push(await inNs(ns.server, 'openvpn', ['--config', writeServer(dir, 'good', { port: 1194, acctport: 1813 })],
      { readyRe: /Initialization Sequence Completed/ }));
    // A second server whose accounting goes nowhere: radiusplugin must then refuse.
    servers.push(await inNs(ns.server, 'openvpn', ['--config', writeServer(dir, 'noacct', { port: 1195, acctport: 1814 })],
      { readyRe: /Initialization Sequence Completed/ }));
  });
  after(async () => {
    for (const s of servers) await s.stop();
    if (d) await d.stop();
    if (ns && ns.remove) ns.remove();
  });

  it('connects with the password set through the API, records the session, and carries data', async () => {
    const client = await inNs(ns.client, 'openvpn', ['--config', writeClient(dir, 'ok', { port: 1194, password: PASSWORD })],
      { readyRe: /Initialization Sequence Completed|AUTH_FAILED/, timeoutMs: 30000 });
    try {
      assert.match(client.output(), /Initialization Sequence Completed/, servers[0].output());
      await h.waitFor(() => /"reason":"accepted"/.test(d.log()), { what: 'the accept logged' });
      // The login needed obvpnd's Accounting-Response (nonfatalaccounting=false).
      await h.waitFor(() => active(d) === 1, { what: 'activeSessions = 1' });
      // No Message-Authenticator from radiusplugin: "auto" stays lenient.
      assert.doesNotMatch(d.log(), /radius_message_authenticator_required/);

      const echo = await inNs(ns.server, process.execPath, ['-e',
        "require('net').createServer((s) => s.end('pong-through-openvpn\\n')).listen(4998, '10.213.2.1', () => console.log('listening'))"],
      { readyRe: /listening/ });
      try {
        const res = await r.run('ip', ['netns', 'exec', ns.client, process.execPath, '-e',
          "const s = require('net').connect(4998, '10.213.2.1'); s.pipe(process.stdout); setTimeout(() => process.exit(3), 5000).unref();"]);
        assert.equal(res.stdout.trim(), 'pong-through-openvpn', res.stderr);
      } finally {
        await echo.stop();
      }
    } finally {
      await client.stop();
    }
    // explicit-exit-notify: the server disconnects the client (after its 5 s grace) and
    // radiusplugin sends Accounting Stop.
    await h.waitFor(() => active(d) === 0, { what: 'activeSessions = 0 after disconnect', timeoutMs: 20000 });
    // The decision is logged after the store commit that obvpnctl already sees.
    await h.waitFor(() => /"reason":"accounting_stop"/.test(d.log()), { what: 'accounting_stop logged' });
  });

  it('fails with a wrong password', async () => {
    const client = await inNs(ns.client, 'openvpn', ['--config', writeClient(dir, 'bad', { port: 1194, password: 'Wrong#pass1' })],
      { readyRe: /Initialization Sequence Completed|AUTH_FAILED/, timeoutMs: 30000 });
    await client.stop();
    assert.match(client.output(), /AUTH_FAILED/);
    await h.waitFor(() => /"reason":"bad_password"/.test(d.log()), { what: 'the reject logged' });
  });

  it('fails when no Accounting-Response comes back (so obvpnd\'s is what makes logins work)', async () => {
    const client = await inNs(ns.client, 'openvpn', ['--config', writeClient(dir, 'noacct', { port: 1195, password: PASSWORD })],
      { readyRe: /Initialization Sequence Completed|AUTH_FAILED/, timeoutMs: 30000 });
    await client.stop();
    assert.match(client.output(), /AUTH_FAILED/);
    assert.match(servers[1].output(), /Accounting failed/);
  });

  it('never logs the password or the shared secret', () => {
    for (const s of [PASSWORD, 'Wrong#pass1', SECRET]) assert.ok(!d.log().includes(s), s);
  });
});

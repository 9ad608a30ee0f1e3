// ocserv 1.1.6 + openconnect 9.01 (Debian 12) against obvpnd's RADIUS (PEERS.md). ocserv
// sends PAP without Message-Authenticator, so its RADIUS client is added with
// require_message_authenticator = no; it takes the user's group from Class.
//
// 1. `openconnect --authenticate` on loopback: a login (COOKIE=, exit 0), a wrong
//    password (exit 1), a group that is not the tenant's (refused by ocserv because
//    Class names bm<appId>).
// 2. A full tunnel between two network namespaces the test creates: login, data through
//    the tunnel, accounting Start/Stop seen as activeSessions. Skipped (not failed), with
//    the reason, where namespaces or /dev/net/tun are not available.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./harness');
const r = require('./radius_peers');

const APP = '1251001002';
const OTHER = '1251001003';
const SECRET = 'ocserv-shared-secret-42';
const PASSWORD = 'Pp3(Ww4)Yy';

function missing() {
  for (const cmd of ['ocserv', 'openconnect', 'openssl']) {
    if (!r.have(cmd)) return `${cmd} not installed (scripts/deps.sh test)`;
  }
  if (process.getuid && process.getuid() !== 0) return 'ocserv needs root (it creates tun devices)';
  return false;
}
const skip = missing();

// radcli configuration (PEERS.md): servers file mode 600, Debian's dictionary.
function writeRadcli(dir, d, { namespace } = {}) {
  const servers = path.join(dir, 'servers');
  fs.writeFileSync(servers, `127.0.0.1\t${SECRET}\n`, { mode: 0o600 });
  const conf = path.join(dir, 'radcli.conf');
  fs.writeFileSync(conf, [
    `authserver ${d.radius}`,
    `acctserver ${d.radiusAcct}`,
    `servers ${servers}`,
    'dictionary /etc/radcli/dictionary',
    'default_realm',
    'radius_timeout 3',
    'radius_retries 1',
    'bindaddr *',
    ...(namespace ? [`namespace ${namespace}`] : []),
    '',
  ].join('\n'));
  return conf;
}

function writeOcserv(dir, radcli, { host, port }) {
  // ocserv's workers run as nobody and must reach the sec-mod socket in this directory.
  fs.chmodSync(dir, 0o755);
  const { cert, key } = h.makeCert(dir);
  const conf = path.join(dir, 'ocserv.conf');
  fs.writeFileSync(conf, [
    `auth = "radius[config=${radcli},groupconfig=true]"`,
    `acct = "radius[config=${radcli}]"`,
    `listen-host = ${host}`,
    `tcp-port = ${port}`,
    'run-as-user = nobody',
    'run-as-group = nogroup',
    `socket-file = ${path.join(dir, 'ocserv.sock')}`,
    `pid-file = ${path.join(dir, 'ocserv.pid')}`,
    `server-cert = ${cert}`,
    `server-key = ${key}`,
    'isolate-workers = false',
    'max-clients = 16',
    'max-same-clients = 0',
    // PEERS.md: otherwise about 8 wrong passwords ban the test's address.
    'rate-limit-ms = 0',
    'max-ban-score = 0',
    'auth-timeout = 60',
    'cookie-timeout = 300',
    'use-occtl = false',
    'device = vpns',
    'predictable-ips = true',
    'ipv4-network = 10.213.1.0/24',
    'tls-priorities = "NORMAL:%SERVER_PRECEDENCE"',
    // The client must pick its group ("domain" = userGroup); ocserv checks it against Class.
    `select-group = bm${APP}`,
    `select-group = bm${OTHER}`,
    '',
  ].join('\n'));
  return { conf, cert };
}

async function startOcserv(conf, { netns } = {}) {
  const argv = ['-f', '-d', '2', '-c', conf];
  return netns
    ? r.startProcess('ip', ['netns', 'exec', netns, 'ocserv', ...argv], { readyRe: /sec-mod initialized/ })
    : r.startProcess('ocserv', argv, { readyRe: /sec-mod initialized/ });
}

// openconnect --authenticate (PEERS.md): prints COOKIE=... and exits 0 on a login.
function authenticate(url, pin, password, { user = APP, group = `bm${APP}` } = {}) {
  return r.run('openconnect', ['--authenticate', '--non-inter', '--passwd-on-stdin', `--user=${user}`,
    `--authgroup=${group}`, '--servercert', pin, url], { input: `${password}\n`, timeoutMs: 60000 });
}

async function setupDaemon() {
  const d = await h.startDaemon();
  const t = h.ctl(d.dataDir, ['tenant', 'add', APP]);
  h.ctl(d.dataDir, ['tenant', 'add', OTHER]);
  await h.setPassword(d, t, PASSWORD, 'create');
  h.addRadiusClient(d.dataDir, 'ocserv', '127.0.0.1/32', SECRET, 'no');
  await h.waitFor(() => /"event":"radius_clients_loaded"[^\n]*"clients":1\b|"clients":1[^\n]*"event":"radius_clients_loaded"/.test(d.log()),
    { what: 'the RADIUS client table' });
  return d;
}

describe('ocserv + openconnect --authenticate', { skip }, () => {
  let d;
  let oc;
  let url;
  let pin;
  before(async () => {
    d = await setupDaemon();
    const dir = h.tempDir('ocserv');
    const port = await r.freeTcpPort();
    const { conf, cert } = writeOcserv(dir, writeRadcli(dir, d), { host: '127.0.0.1', port });
    oc = await startOcserv(conf);
    url = `https://127.0.0.1:${port}/`;
    pin = r.spkiPin(cert);
  });
  after(async () => {
    if (oc) await oc.stop();
    if (d) await d.stop();
  });

  it('logs in with the password set through the API and group bm<appId>', async () => {
    const res = await authenticate(url, pin, PASSWORD);
    assert.equal(res.status, 0, res.stdout + res.stderr + oc.output());
    assert.match(res.stdout, /^COOKIE=/m);
    // Request lines reach stderr a few milliseconds after the reply (app/line_writer.h).
    await h.waitFor(() => /"client":"ocserv"[^\n]*"reason":"accepted"|"reason":"accepted"[^\n]*"client":"ocserv"/.test(d.log()),
      { what: 'the accept logged with client ocserv' });
  });

  it('fails with a wrong password', async () => {
    const res = await authenticate(url, pin, 'Wrong#pass1');
    assert.equal(res.status, 1, res.stdout + res.stderr);
    assert.doesNotMatch(res.stdout, /COOKIE=/);
  });

  it('fails when the chosen group is another tenant\'s (Class is bm<appId>)', async () => {
    const res = await authenticate(url, pin, PASSWORD, { group: `bm${OTHER}` });
    assert.notEqual(res.status, 0, res.stdout + res.stderr);
    assert.doesNotMatch(res.stdout, /COOKIE=/);
    // obvpnd accepted the password; ocserv refused the group because of Class.
    assert.match(oc.output(), new RegExp(`user '${APP}' requested group 'bm${OTHER}' but is not a member`));
  });

  it('logs in with the user@group form of the user name', async () => {
    const res = await authenticate(url, pin, PASSWORD, { user: `${APP}@bm${APP}` });
    assert.equal(res.status, 0, res.stdout + res.stderr);
  });
});

// Decided before the suite runs so a missing capability is a skip with its reason; the
// namespaces themselves are created in before() and removed in after().
const tunnelSkip = skip || r.probeNamespaces();
let ns = null;

describe('ocserv full tunnel between two network namespaces', { skip: tunnelSkip }, () => {
  let d;
  let oc;
  let client;
  let dir;
  before(async () => {
    ns = r.makeNamespaces();
    if (ns.skip) throw new Error(ns.skip);
    d = await setupDaemon();
    dir = h.tempDir('ocserv-tun');
    // ocserv runs in the server namespace; radcli opens its RADIUS sockets in the host
    // namespace (named by makeNamespaces), where obvpnd listens on loopback.
    const radcli = writeRadcli(dir, d, { namespace: ns.host });
    const { conf, cert } = writeOcserv(dir, radcli, { host: '10.213.0.1', port: 4443 });
    oc = await startOcserv(conf, { netns: ns.server });
    // A minimal vpnc script: only the tun address and one route (the default script
    // rewrites /etc/resolv.conf).
    const script = path.join(dir, 'vpnc.sh');
    fs.writeFileSync(script, [
      '#!/bin/sh',
      'if [ "$reason" = connect ]; then',
      '  ip link set dev "$TUNDEV" up mtu "${INTERNAL_IP4_MTU:-1300}"',
      '  ip addr add "$INTERNAL_IP4_ADDRESS/32" dev "$TUNDEV"',
      '  ip route add 10.213.1.0/24 dev "$TUNDEV"',
      'fi',
      'exit 0',
      '',
    ].join('\n'), { mode: 0o755 });
    client = await r.startProcess('ip', ['netns', 'exec', ns.client, 'openconnect', '--non-inter',
      '--passwd-on-stdin', `--user=${APP}`, `--authgroup=bm${APP}`, '--servercert', r.spkiPin(cert),
      '--script', script, 'https://10.213.0.1:4443/'],
    { input: `${PASSWORD}\n`, readyRe: /Configured as 10\.213\.1\.\d+/, timeoutMs: 30000 });
  });
  after(async () => {
    if (client) await client.stop();
    if (oc) await oc.stop();
    if (d) await d.stop();
    if (ns && ns.remove) ns.remove();
  });

  it('carries data through the tunnel', async () => {
    const server = await r.startProcess('ip', ['netns', 'exec', ns.server, process.execPath, '-e',
      "require('net').createServer((s) => s.end('pong-through-tunnel\\n')).listen(4999, '10.213.1.1', () => console.log('listening'))"],
    { readyRe: /listening/ });
    try {
      const res = await r.run('ip', ['netns', 'exec', ns.client, process.execPath, '-e',
        "const s = require('net').connect(4999, '10.213.1.1'); s.pipe(process.stdout); setTimeout(() => process.exit(3), 5000).unref();"]);
      assert.equal(res.stdout.trim(), 'pong-through-tunnel', res.stderr);
    } finally {
      await server.stop();
    }
  });

  it('counts the tunnel as an active session from ocserv\'s accounting, and ends it', async () => {
    await h.waitFor(() => h.ctl(d.dataDir, ['account', 'show', APP, '--json']).activeSessions === 1,
      { what: 'activeSessions = 1' });
    await client.stop();
    client = null;
    await h.waitFor(() => h.ctl(d.dataDir, ['account', 'show', APP, '--json']).activeSessions === 0,
      { what: 'activeSessions = 0 after disconnect' });
    // Decisions are logged after the store commit that obvpnctl already sees.
    await h.waitFor(() => /"reason":"accounting_stop"/.test(d.log()), { what: 'accounting_stop logged' });
    assert.match(d.log(), /"reason":"accounting_start"/);
  });
});

// Helpers for the RADIUS integration tests: run radclient (freeradius-utils, PEERS.md),
// and a tiny independent RADIUS encoder (RFC 2865 / RFC 3579) for raw datagrams the real
// tools cannot produce on demand (byte-identical retransmissions).
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const dgram = require('node:dgram');

function have(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

// Runs a command asynchronously (the daemon's pipes keep draining meanwhile).
function run(cmd, args, { input, env, timeoutMs = 60000 } = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { env: env || process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('error', (e) => { clearTimeout(timer); reject(e); });
    p.on('close', (status, signal) => { clearTimeout(timer); resolve({ status, signal, stdout, stderr }); });
    if (input !== undefined) p.stdin.end(input); else p.stdin.end();
  });
}

// radclient -x -r 1 -t T HOSTPORT COMMAND SECRET, attribute lines on stdin. Resolves
// {status, stdout, stderr, code} where code is the reply code name radclient printed
// ("Access-Accept", ...) or null when no reply came.
async function radclient(hostPort, command, secret, lines, { timeout = 1 } = {}) {
  const r = await run('radclient', ['-x', '-r', '1', '-t', String(timeout), hostPort, command, secret],
    { input: `${lines.join('\n')}\n` });
  const m = /Received (\S+) Id/.exec(r.stdout);
  return { ...r, code: m ? m[1] : null, noReply: /No reply from server/.test(r.stdout + r.stderr) };
}

// --- a minimal independent encoder ---

function attr(type, value) {
  const v = Buffer.isBuffer(value) ? value : Buffer.from(String(value), 'utf8');
  return Buffer.concat([Buffer.from([type, v.length + 2]), v]);
}

// RFC 2865 §5.2 User-Password hiding.
function hidePassword(password, secret, authenticator) {
  const p = Buffer.from(password, 'utf8');
  const padded = Buffer.alloc(Math.max(16, Math.ceil(p.length / 16) * 16));
  p.copy(padded);
  const out = Buffer.alloc(padded.length);
  let prev = authenticator;
  for (let i = 0; i < padded.length; i += 16) {
    const b = crypto.createHash('md5').update(Buffer.from(secret)).update(prev).digest();
    for (let j = 0; j < 16; j++) out[i + j] = padded[i + j] ^ b[j];
    prev = out.subarray(i, i + 16);
  }
  return out;
}

// An Access-Request with User-Name, User-Password and (first) a Message-Authenticator.
function accessRequest({ id, userName, password, secret }) {
  const authenticator = crypto.randomBytes(16);
  const ma = attr(80, Buffer.alloc(16));
  const body = Buffer.concat([ma, attr(1, userName), attr(2, hidePassword(password, secret, authenticator))]);
  const packet = Buffer.concat([Buffer.from([1, id, 0, 0]), authenticator, body]);
  packet.writeUInt16BE(packet.length, 2);
  // RFC 3579 §3.2: HMAC-MD5 over the packet with the Message-Authenticator zeroed.
  crypto.createHmac('md5', secret).update(packet).digest().copy(packet, 20 + 2);
  return packet;
}

// Checks a reply's Response Authenticator (RFC 2865 §3) and Message-Authenticator.
function verifyReply(reply, request, secret) {
  const copy = Buffer.from(reply);
  request.copy(copy, 4, 4, 20);
  const expect = crypto.createHash('md5').update(copy).update(Buffer.from(secret)).digest();
  if (!expect.equals(reply.subarray(4, 20))) return false;
  if (reply[20] !== 80) return false;  // Message-Authenticator first (SPEC §5)
  const zeroed = Buffer.from(copy);
  zeroed.fill(0, 22, 38);
  const mac = crypto.createHmac('md5', secret).update(zeroed).digest();
  return mac.equals(reply.subarray(22, 38));
}

// Sends each buffer from one UDP socket (one source port) and collects the replies.
function exchange(port, packets, { waitMs = 3000, expected = packets.length } = {}) {
  return new Promise((resolve, reject) => {
    const sock = dgram.createSocket('udp4');
    const replies = [];
    const done = () => { clearTimeout(timer); sock.close(); resolve(replies); };
    const timer = setTimeout(done, waitMs);
    sock.on('error', (e) => { clearTimeout(timer); sock.close(); reject(e); });
    sock.on('message', (m) => { replies.push(m); if (replies.length >= expected) done(); });
    sock.bind(0, '127.0.0.1', () => {
      for (const p of packets) sock.send(p, port, '127.0.0.1');
    });
  });
}

// Sends each buffer from one UDP socket (one source port), waiting for a reply (or
// waitMs) before sending the next; resolves the replies in order (null: none came).
function exchangeInTurn(port, packets, { waitMs = 3000 } = {}) {
  return new Promise((resolve, reject) => {
    const sock = dgram.createSocket('udp4');
    const replies = [];
    let timer;
    let pending = null;
    const next = () => {
      if (replies.length === packets.length) { sock.close(); resolve(replies); return; }
      pending = (m) => { clearTimeout(timer); replies.push(m); pending = null; next(); };
      timer = setTimeout(() => { if (pending) pending(null); }, waitMs);
      sock.send(packets[replies.length], port, '127.0.0.1');
    };
    sock.on('error', (e) => { clearTimeout(timer); sock.close(); reject(e); });
    sock.on('message', (m) => { if (pending) pending(m); });
    sock.bind(0, '127.0.0.1', next);
  });
}

// --- processes, ports, certificates, namespaces ---

// A free TCP port on 127.0.0.1 (closed again before it is returned).
function freeTcpPort() {
  const net = require('node:net');
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// Starts a long-running peer in the foreground; resolves once `readyRe` appears in its
// output. Returns {proc, pid, output(), stop()}; stop() sends SIGTERM to that PID only.
async function startProcess(cmd, args, { readyRe, timeoutMs = 20000, env, input } = {}) {
  const proc = spawn(cmd, args, { env: env || process.env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${cmd} did not become ready:\n${out}`)), timeoutMs);
    const onData = (d) => {
      out += d;
      if (readyRe && readyRe.test(out)) { clearTimeout(timer); resolve(); }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('error', (e) => { clearTimeout(timer); reject(e); });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`${cmd} exited with ${code}:\n${out}`)); });
    if (input !== undefined) proc.stdin.end(input); else proc.stdin.end();
    if (!readyRe) { clearTimeout(timer); resolve(); }
  });
  return {
    proc,
    pid: proc.pid,
    output: () => out,
    exited,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      const timer = setTimeout(() => { if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL'); }, 10000);
      const r = await exited;
      clearTimeout(timer);
      return r;
    },
  };
}

// "pin-sha256:<base64 of SHA-256 of the SubjectPublicKeyInfo DER>" (openconnect --servercert).
function spkiPin(certPath) {
  const fs = require('node:fs');
  const cert = new crypto.X509Certificate(fs.readFileSync(certPath));
  const der = cert.publicKey.export({ type: 'spki', format: 'der' });
  return `pin-sha256:${crypto.createHash('sha256').update(der).digest('base64')}`;
}

// Runs `ip ...`; throws with its stderr on failure.
function ip(...args) {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr.trim()}`);
  return r.stdout;
}

// False when this machine can create network namespaces and tun devices; else the
// reason (for a skip). Creates and deletes one probe namespace.
function probeNamespaces() {
  const fs = require('node:fs');
  if (process.getuid && process.getuid() !== 0) return 'network namespaces need root (CAP_NET_ADMIN)';
  if (!fs.existsSync('/dev/net/tun')) return '/dev/net/tun is missing: no tunnel device can be created';
  const probe = `obvpn-p-${process.pid % 100000}${crypto.randomBytes(2).toString('hex')}`;
  try {
    ip('netns', 'add', probe);
  } catch (e) {
    return `cannot create a network namespace (needs CAP_NET_ADMIN): ${e.message}`;
  }
  try {
    ip('-n', probe, 'tuntap', 'add', 'dev', 'obvpnprobe0', 'mode', 'tun');
  } catch (e) {
    ip('netns', 'del', probe);
    return `cannot create a tun device in a namespace: ${e.message}`;
  }
  ip('netns', 'del', probe);
  return false;
}

// Two network namespaces joined by a veth pair (10.213.0.1/30 server side, .2 client
// side), plus a name for the host's own namespace (radcli's `namespace` option). Only
// addresses inside the created namespaces are used; nothing touches host interfaces.
// Returns null with a reason when this machine cannot create them (no CAP_NET_ADMIN).
function makeNamespaces() {
  const tag = `${process.pid % 100000}${crypto.randomBytes(2).toString('hex')}`;
  const ns = { server: `obvpn-s-${tag}`, client: `obvpn-c-${tag}`, host: `obvpn-h-${tag}` };
  try {
    ip('netns', 'add', ns.server);
  } catch (e) {
    return { skip: `cannot create a network namespace (needs CAP_NET_ADMIN): ${e.message}` };
  }
  const fs = require('node:fs');
  if (!fs.existsSync('/dev/net/tun')) {
    ip('netns', 'del', ns.server);
    return { skip: '/dev/net/tun is missing: no tunnel device can be created' };
  }
  const created = [ns.server];
  try {
    ip('netns', 'add', ns.client);
    created.push(ns.client);
    ip('netns', 'attach', ns.host, String(process.pid));
    created.push(ns.host);
    const vs = `ovs${tag}`.slice(0, 15);
    const vc = `ovc${tag}`.slice(0, 15);
    ip('link', 'add', vs, 'netns', ns.server, 'type', 'veth', 'peer', 'name', vc, 'netns', ns.client);
    ip('-n', ns.server, 'addr', 'add', '10.213.0.1/30', 'dev', vs);
    ip('-n', ns.client, 'addr', 'add', '10.213.0.2/30', 'dev', vc);
    for (const [n, dev] of [[ns.server, vs], [ns.client, vc]]) {
      ip('-n', n, 'link', 'set', dev, 'up');
      ip('-n', n, 'link', 'set', 'lo', 'up');
    }
  } catch (e) {
    for (const n of created) { try { ip('netns', 'del', n); } catch { /* already gone */ } }
    return { skip: `cannot set up the namespaces: ${e.message}` };
  }
  ns.remove = () => {
    // Anything still running inside the two namespaces this test created was started by
    // the test (e.g. the background processes radiusplugin forks): stop them by PID. The
    // host namespace's name is never used for this.
    for (const n of [ns.server, ns.client]) {
      let pids = [];
      try { pids = ip('netns', 'pids', n).split(/\s+/).filter(Boolean).map(Number); } catch { /* gone */ }
      for (const pid of pids) { try { process.kill(pid, 'SIGKILL'); } catch { /* exited */ } }
    }
    // Deleting a namespace removes its veth end (and so the pair); deleting the host
    // name only unmounts the name, never the host namespace itself.
    for (const n of created) { try { ip('netns', 'del', n); } catch { /* already gone */ } }
  };
  return ns;
}

module.exports = {
  have, run, radclient, accessRequest, verifyReply, exchange, exchangeInTurn,
  freeTcpPort, startProcess, spkiPin, ip, probeNamespaces, makeNamespaces,
};

// The HTTP front end's limits and bad input (SPEC §7): each limit is hit, gets its
// specific answer, and the server keeps serving a normal client afterwards.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const net = require('node:net');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./harness');

// Sends raw bytes on a fresh connection; resolves with everything the server sent
// before it closed (or before `waitMs` of silence).
function rawExchange(port, bytes, { waitMs = 3000 } = {}) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let data = '';
    let timer;
    const done = (closed) => { clearTimeout(timer); s.destroy(); resolve({ data, closed }); };
    const arm = () => { clearTimeout(timer); timer = setTimeout(() => done(false), waitMs); };
    s.on('connect', () => { if (bytes) s.write(bytes); arm(); });
    s.on('data', (d) => { data += d; arm(); });
    s.on('end', () => done(true));
    s.on('close', () => done(true));
    s.on('error', (e) => (e.code === 'ECONNRESET' ? done(true) : reject(e)));
  });
}

const GET = 'GetOutBandVPNAuthInfo';

describe('HTTP limits', () => {
  let d;
  let t;
  let host;
  const okRequest = async () => {
    const r = await h.v2Get(d, h.signedParams(t, host, GET));
    assert.equal(r.json.code, 0, r.body);
  };

  before(async () => {
    d = await h.startDaemon({
      config: '[api]\nread_timeout_s = 1\nidle_timeout_s = 2\nmax_connections = 8\n',
    });
    t = h.ctl(d.dataDir, ['tenant', 'add', '1251001002']);
    host = `127.0.0.1:${d.port}`;
  });
  after(async () => { await d.stop(); });

  it('serves several requests on one keep-alive connection, pipelined', async () => {
    const a = `/v2/index.php?${h.encodeForm(h.signedParams(t, host, GET))}`;
    const b = `/v2/index.php?${h.encodeForm(h.signedParams(t, host, GET, { zoneId: 1000100003 }))}`;
    const req = (p) => `GET ${p} HTTP/1.1\r\nHost: ${host}\r\n\r\n`;
    const { data } = await rawExchange(d.port, req(a) + req(b), { waitMs: 500 });
    const replies = data.split('HTTP/1.1 200 OK').length - 1;
    assert.equal(replies, 2, data);
    assert.equal((data.match(/"code":0/g) || []).length, 2);
  });

  it('answers 431 to headers over 16 KiB and closes', async () => {
    const { data, closed } = await rawExchange(d.port,
      `GET /v2/index.php HTTP/1.1\r\nHost: ${host}\r\nX-Pad: ${'a'.repeat(17 * 1024)}\r\n\r\n`);
    assert.match(data, /^HTTP\/1\.1 431/);
    assert.ok(closed);
    await okRequest();
  });

  it('answers 408 to a request that does not complete within the read timeout', async () => {
    const { data, closed } = await rawExchange(d.port, `GET /v2/index.php HTTP/1.1\r\nHost: ${host}\r\nX-Slow: `);
    assert.match(data, /^HTTP\/1\.1 408/);
    assert.ok(closed);
    await okRequest();
  });

  it('closes a connection that stays idle past the idle timeout', async () => {
    const { data, closed } = await rawExchange(d.port, '', { waitMs: 5000 });
    assert.equal(data, '');
    assert.ok(closed, 'the server closed the idle connection');
  });

  it('answers 400 to garbage and keeps serving', async () => {
    const { data } = await rawExchange(d.port, 'NOT HTTP AT ALL\r\n\r\n');
    assert.match(data, /^HTTP\/1\.1 400/);
    await okRequest();
  });

  it('answers 4000 to 10,000 parameters', async () => {
    const body = Array.from({ length: 10000 }, (_, i) => i.toString(36)).join('&');  // ~40 KB
    const r = await h.rawRequest({
      host: '127.0.0.1', port: d.port, method: 'POST', path: '/v2/index.php', body,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': body.length },
    });
    assert.equal(r.json.code, 4000);
    assert.match(r.json.message, /too many parameters/);
  });

  it('answers 404 to unknown paths', async () => {
    const r = await h.rawRequest({ host: '127.0.0.1', port: d.port, path: '/etc/passwd' });
    assert.equal(r.status, 404);
  });

  it('refuses connections over the cap and serves again once they go', async () => {
    const held = [];
    for (let i = 0; i < 8; i++) {
      held.push(await new Promise((resolve) => { const s = net.connect(d.port, '127.0.0.1', () => resolve(s)); }));
    }
    await h.sleep(100);
    const over = await rawExchange(d.port, `GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n`, { waitMs: 1000 });
    assert.ok(over.closed && over.data === '', 'the connection over the cap is closed at once');
    for (const s of held) s.destroy();
    await h.sleep(200);
    await okRequest();
  });
});

describe('obvpnd --check-config', () => {
  it('accepts the example configuration', () => {
    const r = spawnSync(h.OBVPND, ['--config', path.resolve(__dirname, '../testdata/obvpn.example.toml'), '--check-config'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /configuration OK/);
  });

  it('rejects an unknown key, naming the file and the key', () => {
    const file = path.join(h.tempDir('cfg'), 'bad.toml');
    fs.writeFileSync(file, '[api]\nlisten = "127.0.0.1:0"\nlisten_port = 8\n');
    const r = spawnSync(h.OBVPND, ['--config', file, '--check-config'], { encoding: 'utf8' });
    assert.notEqual(r.status, 0);
    assert.ok(r.stderr.includes(file), r.stderr);
    assert.match(r.stderr, /api\.listen_port/);
  });

  it('stops startup with a clear message when the TLS key is bad', () => {
    const dir = h.tempDir('badtls');
    const { cert } = h.makeCert(dir);
    const key = path.join(dir, 'garbage.pem');
    fs.writeFileSync(key, 'not a key\n');
    const cfg = path.join(dir, 'c.toml');
    fs.writeFileSync(cfg, `data_dir = "${dir}/data"\n[api]\nlisten = "127.0.0.1:0"\ntls_cert = "${cert}"\ntls_key = "${key}"\n[admin]\nlisten = "127.0.0.1:0"\n`);
    const r = spawnSync(h.OBVPND, ['--config', cfg, '--radius-listen', '127.0.0.1:0'], { encoding: 'utf8', timeout: 10000 });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /tls_key/);
  });
});

describe('concurrent creates', () => {
  it('20 concurrent creates for one tenant: exactly one succeeds', async () => {
    const d = await h.startDaemon();
    try {
      const t = h.ctl(d.dataDir, ['tenant', 'add', '1251001002']);
      const host = `127.0.0.1:${d.port}`;
      const rs = await Promise.all(Array.from({ length: 20 }, (_, i) => h.v2Post(d,
        h.signedParams(t, host, 'SetOutBandVPNAuthPwd', { password: `abcd${1000 + i}`, createOrUpdate: 'create' }, { method: 'POST' }))));
      const codes = rs.map((r) => r.json.code).sort();
      assert.equal(codes.filter((c) => c === 0).length, 1, JSON.stringify(codes));
      assert.equal(codes.filter((c) => c === 10101).length, 19, JSON.stringify(codes));
    } finally { await d.stop(); }
  });
});

describe('graceful shutdown', () => {
  it('SIGTERM lets in-flight password changes finish, then exits 0', async () => {
    // A slow hash (t=40) keeps the requests in flight while the signal arrives.
    const d = await h.startDaemon({ config: '[password]\nargon2_iterations = 40\n' });
    const t = h.ctl(d.dataDir, ['tenant', 'add', '1251001002']);
    const host = `127.0.0.1:${d.port}`;
    const first = await h.v2Post(d, h.signedParams(t, host, 'SetOutBandVPNAuthPwd',
      { password: 'abcd1234', createOrUpdate: 'create' }, { method: 'POST' }));
    assert.equal(first.json.code, 0);
    const inflight = Array.from({ length: 4 }, (_, i) => h.v2Post(d, h.signedParams(t, host,
      'SetOutBandVPNAuthPwd', { password: `wxyz${1000 + i}`, createOrUpdate: 'update' }, { method: 'POST' })));
    await h.sleep(150);
    d.proc.kill('SIGTERM');
    const rs = await Promise.all(inflight);
    for (const r of rs) assert.equal(r.json.code, 0, r.body);
    const { code, signal } = await d.exited;
    assert.equal(code, 0, `exit signal ${signal}; obvpnd stderr:\n${d.log()}`);
  });
});

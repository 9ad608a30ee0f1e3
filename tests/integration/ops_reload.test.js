// SIGHUP reload (SPEC §8, docs/operations.md "Reload"): a new zone and a new limit take
// effect, the log level follows the file, a renewed TLS certificate is served, open
// keep-alive connections survive, and a bad new configuration is refused while the old
// one keeps serving.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const https = require('node:https');
const path = require('node:path');
const tls = require('node:tls');
const h = require('./harness');
const peers = require('./radius_peers');

const GET = 'GetOutBandVPNAuthInfo';

function configText({ level = 'info', perAction = 1000, zones = [], cert, extra = '' }) {
  let s = `[api]\ntls_cert = "${cert.cert}"\ntls_key = "${cert.key}"\n`;
  s += `[limits]\nv2_per_action_per_minute = ${perAction}\n`;
  s += `[log]\nlevel = "${level}"\n${extra}`;
  s += '[[zone]]\nid = 1000100003\nregion = "gz"\nvpn_gateway = "115.159.242.100:443"\n';
  for (const z of zones) s += `[[zone]]\nid = ${z.id}\nregion = "${z.region}"\nvpn_gateway = "${z.gw}"\n`;
  return s;
}

// The SHA-256 fingerprint of the certificate a fresh TLS connection is served.
function servedFingerprint(port) {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      const fp = s.getPeerCertificate().fingerprint256;
      s.end();
      resolve(fp);
    });
    s.on('error', reject);
  });
}

function fileFingerprint(certPath) {
  return new (require('node:crypto').X509Certificate)(fs.readFileSync(certPath)).fingerprint256;
}

// GET over HTTPS on `agent`; resolves {status, json, localPort} (the client's port tells
// whether the agent reused its connection).
function httpsGet(port, p, agent) {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, path: p, agent, rejectUnauthorized: false }, (res) => {
      const { localPort } = res.socket;  // the agent takes the socket back at 'end'
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, json: JSON.parse(body), localPort }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('SIGHUP reload', () => {
  let d;
  let t;
  let host;
  let cert;
  let configFile;
  let agent;
  const events = (name) => d.log().split('\n').filter((l) => l.includes(`"event":"${name}"`)).length;

  // Writes the file, sends SIGHUP and waits for the outcome's log line.
  async function reload(text, outcome = 'reloaded') {
    fs.writeFileSync(configFile, text);
    const before = events(outcome);
    d.proc.kill('SIGHUP');
    await h.waitFor(() => events(outcome) > before, { what: `${outcome} log line` });
  }
  const get = (extra) => h.v2Get(d, h.signedParams(t, host, GET, extra));

  before(async () => {
    const dir = h.tempDir('reload');
    cert = h.makeCert(dir);
    configFile = path.join(dir, 'obvpn.toml');
    fs.writeFileSync(configFile, configText({ level: 'warn', cert }));
    d = await h.startDaemon({ args: ['--config', configFile] });
    host = `127.0.0.1:${d.port}`;
    t = h.ctl(d.dataDir, ['tenant', 'add', '1251001002']);
    agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
  });
  after(async () => {
    agent.destroy();
    await d.stop();
  });

  it('starts with the configured log level: no info lines at warn', async () => {
    const r = await get();
    assert.equal(r.json.code, 0);
    // A dropped datagram is logged at warn: once its line is there, the request's line
    // (written when the response went out, before) would be too.
    await peers.exchange(d.radiusPort, [Buffer.from('not radius')], { waitMs: 200, expected: 1 });
    await h.waitFor(() => events('radius') > 0, { what: 'the warn line of a dropped datagram' });
    assert.ok(!d.log().includes(r.headers['x-request-id']), 'a request line at log level warn');
    assert.equal(events('started'), 0);
  });

  it('applies a new zone, a new limit and the new log level, keeping open connections', async () => {
    const first = await httpsGet(d.port, `/v2/index.php?${h.encodeForm(h.signedParams(t, host, GET))}`, agent);
    assert.equal(first.json.code, 0);
    assert.notEqual((await get({ Region: 'sh' })).json.code, 0, 'no zone in sh before the reload');

    await reload(configText({ level: 'info', perAction: 6, cert, zones: [{ id: 1000400001, region: 'sh', gw: '192.0.2.40:443' }] }));

    const sh = await get({ Region: 'sh' });
    assert.equal(sh.json.code, 0, sh.body);
    assert.equal(sh.json.data.authInfo.vpnGwAddr, '192.0.2.40:443');
    await h.waitFor(() => d.log().includes(sh.headers['x-request-id']), { what: 'request lines at info' });
    // The keep-alive connection opened before the reload is still the one in use.
    const again = await httpsGet(d.port, `/v2/index.php?${h.encodeForm(h.signedParams(t, host, GET, { Region: 'sh' }))}`, agent);
    assert.equal(again.localPort, first.localPort, 'the connection was closed by the reload');
    assert.equal(again.json.code, 0);
    // limits.v2_per_action_per_minute = 6 now (at most 4 Gets so far, in this minute or
    // the last): eight more cannot all pass.
    const codes = [];
    for (let i = 0; i < 8; i++) codes.push((await get()).json.code);
    assert.ok(codes.includes(4400), `codes ${codes}`);
  });

  it('serves a renewed certificate after SIGHUP', async () => {
    const old = fileFingerprint(cert.cert);
    assert.equal(await servedFingerprint(d.port), old);
    // Renewed in place, as certbot does: same paths, new files.
    const fresh = h.makeCert(h.tempDir('cert2'));
    fs.copyFileSync(fresh.cert, cert.cert);
    fs.copyFileSync(fresh.key, cert.key);
    const renewed = fileFingerprint(cert.cert);
    assert.notEqual(renewed, old);
    assert.equal(await servedFingerprint(d.port), old, 'nothing changes before SIGHUP');
    await reload(configText({ level: 'info', perAction: 1000, cert, zones: [{ id: 1000400001, region: 'sh', gw: '192.0.2.40:443' }] }));
    assert.equal(await servedFingerprint(d.port), renewed);
    const r = await httpsGet(d.port, `/v2/index.php?${h.encodeForm(h.signedParams(t, host, GET))}`, agent);
    assert.equal(r.json.code, 0);
  });

  it('refuses a bad configuration and keeps serving the old one', async () => {
    const served = await servedFingerprint(d.port);
    await reload(`${configText({ cert })}[api2]\nlisten = "x"\n`, 'reload_failed');
    assert.match(d.log(), /"event":"reload_failed".*"error":"[^"]*unknown key 'api2'/);
    // A certificate that cannot be loaded is refused as a whole, too.
    await reload(configText({ cert: { cert: '/nonexistent/cert.pem', key: cert.key } }), 'reload_failed');
    // Enabling/disabling TLS needs a restart.
    await reload('[[zone]]\nid = 1000100003\nregion = "gz"\nvpn_gateway = "115.159.242.100:443"\n', 'reload_failed');

    const sh = await get({ Region: 'sh' });
    assert.equal(sh.json.code, 0, 'the zone of the last good configuration is still served');
    assert.equal(await servedFingerprint(d.port), served);
    const [ahost, aport] = d.admin.split(':');
    const m = await h.rawRequest({ host: ahost, port: Number(aport), path: '/metrics' });
    assert.match(m.body, /^obvpn_config_reloads_total\{result="failed"\} 3$/m);
    assert.match(m.body, /^obvpn_config_reloads_total\{result="ok"\} 2$/m);
  });

  it('names settings that need a restart', async () => {
    await reload(configText({ cert, extra: '[radius]\nmax_failures = 3\n', zones: [{ id: 1000400001, region: 'sh', gw: '192.0.2.40:443' }] }));
    assert.match(d.log(), /"event":"reload_restart_required".*"keys":\["radius\.max_failures"\]/);
  });
});

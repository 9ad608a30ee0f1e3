// Operations (SPEC §8, docs/operations.md): /healthz, /readyz (200, and 503 with the
// store failing), /metrics validated by promtool after API 2.0, API 3.0 and RADIUS
// traffic, and the structured log lines of requests and RADIUS decisions.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const h = require('./harness');
const peers = require('./radius_peers');

const GET = 'GetOutBandVPNAuthInfo';
const APP = '1251001002';
const PASSWORD = 'Metrics#2024x';
const SECRET = 'metrics-radius-secret-0123';
const havePromtool = peers.have('promtool');

// The JSON log lines of obvpnd's stderr.
function logLines(d) {
  return d.log().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
}

describe('admin endpoints, metrics and logs', () => {
  let d;
  let t;
  let faultFile;
  let admin;
  const adminGet = (p) => h.rawRequest({ host: admin.host, port: admin.port, path: p });

  before(async () => {
    faultFile = path.join(h.tempDir('fault'), 'fault');
    d = await h.startDaemon({ env: { OBVPN_TEST_FAULT_FILE: faultFile } });
    const [host, port] = d.admin.split(':');
    admin = { host, port: Number(port) };
    t = h.ctl(d.dataDir, ['tenant', 'add', APP]);
    h.addRadiusClient(d.dataDir, 'gw', '127.0.0.1/32', SECRET, 'yes');
    const host2 = `127.0.0.1:${d.port}`;
    await h.setPassword(d, t, PASSWORD);
    // API 2.0: a success, a bad signature, an unknown action.
    assert.equal((await h.v2Get(d, h.signedParams(t, host2, GET))).json.code, 0);
    const bad = h.signedParams(t, host2, GET);
    bad.Signature = 'AAAA';
    assert.notEqual((await h.v2Get(d, bad)).json.code, 0);
    assert.notEqual((await h.v2Get(d, h.signedParams(t, host2, 'DescribeSomething'))).json.code, 0);
    // API 3.0 through obvpnctl call.
    const r = spawnSync(h.OBVPNCTL, ['call', '--endpoint', `http://${d.api}`, '--api', '3',
      'SetOutBandVpnAuthPassword', `Password=${PASSWORD}`, 'Operate=Update'], {
      env: { ...process.env, TENCENTCLOUD_SECRET_ID: t.secretId, TENCENTCLOUD_SECRET_KEY: t.secretKey },
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    // RADIUS: an accept, a reject, a datagram that is not RADIUS. The client table
    // refreshes within a second of radius-client add.
    await h.waitFor(async () => {
      const [reply] = await peers.exchange(d.radiusPort, [peers.accessRequest({ id: 1, userName: APP, password: PASSWORD, secret: SECRET })], { waitMs: 1000 });
      return reply && reply[0] === 2;
    }, { what: 'Access-Accept' });
    const [reject] = await peers.exchange(d.radiusPort, [peers.accessRequest({ id: 2, userName: APP, password: 'Wrong#pass99', secret: SECRET })]);
    assert.equal(reject[0], 3);
    await peers.exchange(d.radiusPort, [Buffer.from('not radius at all')], { waitMs: 300, expected: 1 });
  });
  after(async () => { await d.stop(); });

  it('answers /healthz', async () => {
    const r = await adminGet('/healthz');
    assert.equal(r.status, 200);
    assert.equal(r.body, 'ok\n');
  });

  it('passes promtool check metrics', { skip: !havePromtool && 'promtool not installed (scripts/deps.sh test)' }, async () => {
    const m = await adminGet('/metrics');
    assert.equal(m.status, 200);
    assert.match(m.headers['content-type'], /^text\/plain; version=0\.0\.4/);
    const r = spawnSync('promtool', ['check', 'metrics'], { input: m.body, encoding: 'utf8' });
    assert.equal(r.status, 0, `promtool: ${r.stdout}${r.stderr}\n${m.body}`);
  });

  it('counts requests by api, bounded action and code, with a latency histogram', async () => {
    const { body } = await adminGet('/metrics');
    assert.match(body, /^obvpn_api_requests_total\{api="v2",action="GetOutBandVPNAuthInfo",code="0"\} [1-9]/m);
    assert.match(body, /^obvpn_api_requests_total\{api="v2",action="SetOutBandVPNAuthPwd",code="0"\} 1$/m);
    assert.match(body, /^obvpn_api_requests_total\{api="v2",action="GetOutBandVPNAuthInfo",code="4100"\} 1$/m);
    // SPEC §8: the action label stays bounded; the v3 action is a known one.
    assert.match(body, /^obvpn_api_requests_total\{api="v2",action="other",code="\d+"\} 1$/m);
    assert.doesNotMatch(body, /DescribeSomething/);
    assert.match(body, /^obvpn_api_requests_total\{api="v3",action="SetOutBandVpnAuthPassword",code="0"\} 1$/m);
    assert.match(body, /^obvpn_api_request_duration_seconds_bucket\{api="v2",action="GetOutBandVPNAuthInfo",le="\+Inf"\} [1-9]/m);
    assert.match(body, /^obvpn_api_request_duration_seconds_count\{api="v3",action="SetOutBandVpnAuthPassword"\} 1$/m);
  });

  it('counts RADIUS decisions by result and reason', async () => {
    const { body } = await adminGet('/metrics');
    assert.match(body, /^obvpn_radius_accepts_total [1-9]/m);
    assert.match(body, /^obvpn_radius_rejects_total\{reason="bad_password"\} 1$/m);
    assert.match(body, /^obvpn_radius_drops_total\{reason="[a-z_]+"\} [1-9]/m);
  });

  it('reports the hash pool, sessions and build', async () => {
    const { body } = await adminGet('/metrics');
    assert.match(body, /^obvpn_hash_pool_queue_depth 0$/m);
    // Two SetPassword hashes and two RADIUS verifications went through the pool.
    assert.match(body, /^obvpn_hash_pool_wait_seconds_count [2-9]/m);
    assert.match(body, /^obvpn_vpn_sessions_active 0$/m);
    assert.match(body, /^obvpn_build_info\{version="\d+\.\d+\.\d+"\} 1$/m);
    assert.match(body, /^process_start_time_seconds \d+$/m);
  });

  it('is ready, then not ready while the store fails, then ready again', async () => {
    assert.equal((await adminGet('/readyz')).status, 200);
    fs.writeFileSync(faultFile, 'read\n');
    try {
      const r = await adminGet('/readyz');
      assert.equal(r.status, 503);
      assert.match(r.body, /store/);
      const { body } = await adminGet('/metrics');
      assert.match(body, /^obvpn_store_errors_total\{op="Generation"\} [1-9]/m);
      // The session gauge is left out while the store does not answer.
      assert.doesNotMatch(body, /^obvpn_vpn_sessions_active /m);
    } finally {
      fs.writeFileSync(faultFile, 'none\n');
    }
    assert.equal((await adminGet('/readyz')).status, 200);
  });

  it('logs one JSON line per API request with its request id', async () => {
    const r = await h.v2Get(d, h.signedParams(t, `127.0.0.1:${d.port}`, GET));
    const id = r.headers['x-request-id'];
    assert.ok(id);
    const line = await h.waitFor(() => logLines(d).find((l) => l.event === 'request' && l.request_id === id), { what: 'request log line' });
    assert.equal(line.level, 'info');
    assert.match(line.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(line.api, 'v2');
    assert.equal(line.action, GET);
    assert.equal(String(line.app_id), APP);
    assert.equal(line.secret_id, t.secretId);
    assert.equal(line.code, 0);
    assert.equal(line.status, 200);
    assert.ok(Number.isInteger(line.latency_us));
    assert.match(line.peer, /^127\.0\.0\.1:\d+$/);
  });

  it('logs one JSON line per RADIUS decision with a request id', () => {
    const lines = logLines(d).filter((l) => l.event === 'radius');
    const accept = lines.find((l) => l.verdict === 'accept');
    assert.ok(accept, 'an accept line');
    assert.match(accept.request_id, /^[0-9a-f-]{36}$/);
    assert.equal(String(accept.app_id), APP);
    assert.equal(accept.client, 'gw');
    assert.ok(Number.isInteger(accept.latency_us));
    assert.match(accept.peer, /^127\.0\.0\.1:\d+$/);
    const reject = lines.find((l) => l.verdict === 'reject');
    assert.equal(reject.reason, 'bad_password');
    assert.notEqual(reject.request_id, accept.request_id);
  });

  it('never logs a secret', () => {
    const log = d.log();
    for (const s of [t.secretKey, PASSWORD, 'Wrong#pass99', SECRET]) assert.ok(!log.includes(s), 'a secret in the log');
  });
});

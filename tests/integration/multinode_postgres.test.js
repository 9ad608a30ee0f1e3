// Two obvpnd nodes on one PostgreSQL server (SPEC §6 scale-out): what must hold across
// nodes holds across nodes — replay protection for mutations, exactly one create of 20
// spread over both nodes, key and RADIUS-client changes, rate limits, RADIUS failure
// throttling and session counts — and while the database is down every request fails
// with its store error within the configured timeout, RADIUS accepts nobody, and service
// resumes when the database is back, without restarting either node.
//
// The test starts its own private PostgreSQL 15 (scripts/postgres-test-server.sh: its
// own data directory and Unix socket, no TCP), stops it by PID for the outage and
// restarts it on the same directory and socket.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./harness');
const r = require('./radius_peers');

const PG_SCRIPT = path.resolve(__dirname, '../../scripts/postgres-test-server.sh');
const SECRET = 'multinode-secret-0123';
const APP_REPLAY = '1251001101';
const APP_RACE = '1251001102';
const APP_RADIUS = '1251001103';
const APP_LIMIT = '1251001104';
const APP_THROTTLE = '1251001105';
const APP_SESSIONS = '1251001106';
const APP_REPLAY_LATE = '1251001107';
const PASSWORD = 'Qz7#kLm2pX';
// Store timeouts of both nodes: a request's database part fails within their sum.
const CONNECT_TIMEOUT_MS = 1000;
const STATEMENT_TIMEOUT_MS = 1000;
const PER_ACTION_PER_MINUTE = 30;

function pg(cmd, stateDir) {
  const res = spawnSync('bash', [PG_SCRIPT, cmd, stateDir], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`postgres-test-server.sh ${cmd} failed: ${res.stderr}`);
}

function authLines(user, password) {
  return [`User-Name = "${user}"`, `User-Password = "${password}"`, 'Message-Authenticator = 0x00'];
}

// No skip when a tool is missing: PostgreSQL and radclient are test dependencies
// (scripts/deps.sh test), and this test must not pass without them.
describe('two obvpnd nodes on one PostgreSQL', () => {
  let pgState;
  let a;
  let b;
  let cfgA;
  let clientAddedAt;
  const tenants = {};

  // obvpnctl against the shared database, through node A's configuration.
  const ctl = (args) => h.ctl(a.dataDir, ['--config', cfgA, ...args]);
  const hostOf = (node) => `127.0.0.1:${node.port}`;
  const v2 = (node, tenant, action, extra = {}, { host } = {}) => {
    const params = h.signedParams(tenant, host || hostOf(node), action, extra);
    return { params, send: (to = node) => h.v2Get(to, params, { headers: { Host: host || hostOf(node) } }) };
  };
  const get = async (node, tenant) => (await v2(node, tenant, 'GetOutBandVPNAuthInfo').send()).json;
  const v3Set = (node, tenant, password, operate) => {
    const res = spawnSync(h.OBVPNCTL, ['call', '--endpoint', `http://${node.api}`, '--api', '3',
      'SetOutBandVpnAuthPassword', `Password=${password}`, `Operate=${operate}`], {
      env: { ...process.env, TENCENTCLOUD_SECRET_ID: tenant.secretId, TENCENTCLOUD_SECRET_KEY: tenant.secretKey },
      encoding: 'utf8',
    });
    return JSON.parse(res.stdout);
  };

  before(async () => {
    const root = h.tempDir('multinode');
    pgState = path.join(root, 'pg');
    pg('start', pgState);
    const url = fs.readFileSync(path.join(pgState, 'url'), 'utf8').trim();
    // Both nodes: the same database and the same master key file (docs/deployment.md).
    const config = `
[store]
kind = "postgres"
postgres_url = "${url}"
connect_timeout_ms = ${CONNECT_TIMEOUT_MS}
statement_timeout_ms = ${STATEMENT_TIMEOUT_MS}
[secrets]
master_key_file = "${path.join(root, 'master.key')}"
[password]
argon2_memory_kib = 1024
argon2_iterations = 1
[radius]
max_failures = 3
max_sessions_per_tenant = 1
[limits]
v2_per_action_per_minute = ${PER_ACTION_PER_MINUTE}
`;
    cfgA = path.join(root, 'a.toml');
    const cfgB = path.join(root, 'b.toml');
    fs.writeFileSync(cfgA, config);
    fs.writeFileSync(cfgB, config);
    // A first: it creates the schema and the master key that B then uses.
    a = await h.startDaemon({ dataDir: path.join(root, 'a'), args: ['--config', cfgA] });
    b = await h.startDaemon({ dataDir: path.join(root, 'b'), args: ['--config', cfgB] });
    for (const app of [APP_REPLAY, APP_RACE, APP_RADIUS, APP_LIMIT, APP_THROTTLE, APP_SESSIONS, APP_REPLAY_LATE]) {
      tenants[app] = ctl(['tenant', 'add', app]);
    }
    const file = path.join(root, 'radius-secret');
    fs.writeFileSync(file, `${SECRET}\n`, { mode: 0o600 });
    ctl(['radius-client', 'add', 'gateways', '--address', '127.0.0.1/32', '--secret-file', file,
      '--require-message-authenticator', 'yes', '--json']);
    clientAddedAt = Date.now();
  });

  after(async () => {
    for (const node of [a, b]) if (node) await node.stop();
    if (pgState) pg('destroy', pgState);
  });

  it('shows a RADIUS client added through one node on the other within a second', async () => {
    await h.waitFor(async () => (await r.radclient(b.radius, 'status', SECRET, ['Message-Authenticator = 0x00'])).code,
      { what: 'node B to load the RADIUS client', timeoutMs: 3000, intervalMs: 50 });
    // Nodes poll the shared generation every 250 ms (SPEC §8: within one second); the
    // margin is for radclient's own start-up.
    assert.ok(Date.now() - clientAddedAt < 3000);
  });

  it('rejects a v2 mutation replayed to the other node (4500)', async () => {
    const t = tenants[APP_REPLAY];
    const req = v2(a, t, 'SetOutBandVPNAuthPwd', { password: PASSWORD, createOrUpdate: 'create' });
    assert.equal((await req.send(a)).json.code, 0);
    // The identical request, Host header included (a load balancer in front of both
    // nodes passes the same Host), sent to node B.
    const replayed = await req.send(b);
    assert.equal(replayed.json.code, 4500, replayed.body);
  });

  it('rejects the replay of a refused mutation on the other node after the state changed', async () => {
    const t = tenants[APP_REPLAY_LATE];
    // SPEC §3.2: the key of a refused mutation is claimed too. An update before the
    // account exists fails (10105) on A; once the account exists, the same request
    // replayed to B must not succeed.
    const update = v2(a, t, 'SetOutBandVPNAuthPwd', { password: 'Late#pass1', createOrUpdate: 'update' });
    assert.equal((await update.send(a)).json.code, 10105);
    assert.equal((await v2(a, t, 'SetOutBandVPNAuthPwd', { password: PASSWORD, createOrUpdate: 'create' }).send()).json.code, 0);
    const replayed = await update.send(b);
    assert.equal(replayed.json.code, 4500, replayed.body);
    const res = await r.radclient(b.radius, 'auth', SECRET, authLines(APP_REPLAY_LATE, PASSWORD));
    assert.equal(res.code, 'Access-Accept', 'the password is still the one the create set');
  });

  it('lets exactly one of 20 concurrent creates spread over both nodes win', async () => {
    const t = tenants[APP_RACE];
    const reqs = [];
    for (let i = 0; i < 20; i++) {
      const node = i % 2 === 0 ? a : b;
      reqs.push(v2(node, t, 'SetOutBandVPNAuthPwd', { password: `Race#pass${i}`, createOrUpdate: 'create' }).send());
    }
    const codes = (await Promise.all(reqs)).map((res) => res.json.code);
    assert.equal(codes.filter((c) => c === 0).length, 1, JSON.stringify(codes));
    assert.equal(codes.filter((c) => c === 10101).length, 19, JSON.stringify(codes));
  });

  it('authenticates over RADIUS on node B the password set through node A', async () => {
    const t = tenants[APP_RADIUS];
    assert.equal((await v2(a, t, 'SetOutBandVPNAuthPwd', { password: PASSWORD, createOrUpdate: 'create' }).send()).json.code, 0);
    const res = await r.radclient(b.radius, 'auth', SECRET, authLines(APP_RADIUS, PASSWORD));
    assert.equal(res.code, 'Access-Accept', res.stdout + res.stderr);
  });

  it('refuses on node B a key disabled through node A within a second', async () => {
    const t = ctl(['key', 'add', APP_RADIUS]);
    const key = { appId: APP_RADIUS, secretId: t.secretId, secretKey: t.secretKey };
    assert.equal((await get(b, key)).code, 0);
    h.ctl(a.dataDir, ['--config', cfgA, 'key', 'disable', t.secretId], { json: false });
    const start = Date.now();
    await h.waitFor(async () => (await get(b, key)).code === 4100, { what: 'node B to refuse the key', timeoutMs: 3000 });
    assert.ok(Date.now() - start < 3000);
  });

  it('counts the v2 rate limit over both nodes together (4400)', async () => {
    const t = tenants[APP_LIMIT];
    // The limit counts per clock minute: start early in one so the window cannot end
    // halfway through.
    const second = Math.floor(Date.now() / 1000) % 60;
    if (second > 40) await h.sleep((61 - second) * 1000);
    const codes = [];
    for (let i = 0; i < PER_ACTION_PER_MINUTE + 2; i++) codes.push((await get(i % 2 === 0 ? a : b, t)).code);
    // Each node alone would allow PER_ACTION_PER_MINUTE; together they allow it once.
    assert.equal(codes.filter((c) => c === 0).length, PER_ACTION_PER_MINUTE, JSON.stringify(codes));
    assert.deepEqual(codes.slice(PER_ACTION_PER_MINUTE), [4400, 4400]);
  });

  it('throttles RADIUS failures spread over both nodes on both nodes', async () => {
    const t = tenants[APP_THROTTLE];
    assert.equal((await v2(a, t, 'SetOutBandVPNAuthPwd', { password: PASSWORD, createOrUpdate: 'create' }).send()).json.code, 0);
    // max_failures = 3: two wrong passwords on A, one on B.
    for (const node of [a, a, b]) {
      assert.equal((await r.radclient(node.radius, 'auth', SECRET, authLines(APP_THROTTLE, 'Wrong#pass1'))).code, 'Access-Reject');
    }
    for (const node of [a, b]) {
      const res = await r.radclient(node.radius, 'auth', SECRET, authLines(APP_THROTTLE, PASSWORD));
      assert.equal(res.code, 'Access-Reject', 'the right password is refused while locked out');
    }
    await h.waitFor(() => /"reason":"throttled"/.test(a.log()), { what: "node A's throttled log line" });
  });

  it('counts a session started on node A against a login on node B', async () => {
    const t = tenants[APP_SESSIONS];
    assert.equal((await v2(b, t, 'SetOutBandVPNAuthPwd', { password: PASSWORD, createOrUpdate: 'create' }).send()).json.code, 0);
    const acct = (node, type) => r.radclient(node.radiusAcct, 'acct', SECRET,
      [`User-Name = "${APP_SESSIONS}"`, `Acct-Status-Type = ${type}`, 'Acct-Session-Id = "mn-1"']);
    assert.equal((await acct(a, 'Start')).code, 'Accounting-Response');
    const full = await r.radclient(b.radius, 'auth', SECRET, authLines(APP_SESSIONS, PASSWORD));
    assert.equal(full.code, 'Access-Reject', 'max_sessions_per_tenant = 1, one active on A');
    assert.equal((await acct(b, 'Stop')).code, 'Accounting-Response');
    const ok = await r.radclient(a.radius, 'auth', SECRET, authLines(APP_SESSIONS, PASSWORD));
    assert.equal(ok.code, 'Access-Accept');
  });

  // Steady state: each node has the tenant's key in its key ring. An account created by
  // an earlier test moved the store's generation, and a node keeps what it reads only
  // once its refresh (every 250 ms) has seen that generation: wait one period, then read.
  async function warmKeyCaches(t) {
    await h.sleep(300);
    for (const node of [a, b]) assert.equal((await get(node, t)).code, 0);
  }

  it('fails every request within the timeout while PostgreSQL is stalled, and recovers', async (ctx) => {
    const t = tenants[APP_RADIUS];
    const bound = CONNECT_TIMEOUT_MS + STATEMENT_TIMEOUT_MS + 1500;  // + scheduling slack
    await warmKeyCaches(t);
    // SIGSTOP the postmaster and its backends (found by parent PID): connections stay
    // open and nothing answers, as with a wedged server or a dead network path.
    const postmaster = Number(fs.readFileSync(path.join(pgState, 'pid'), 'utf8').trim());
    const children = spawnSync('ps', ['-o', 'pid=', '--ppid', String(postmaster)], { encoding: 'utf8' })
      .stdout.split(/\s+/).filter(Boolean).map(Number);
    const pids = [postmaster, ...children];
    for (const pid of pids) process.kill(pid, 'SIGSTOP');
    try {
      const start = Date.now();
      const read = await get(a, t);
      const readMs = Date.now() - start;
      assert.equal(read.code, 9001, JSON.stringify(read));
      assert.ok(readMs < bound, `GetOutBandVPNAuthInfo took ${readMs} ms`);
      const wStart = Date.now();
      const write = await v2(b, t, 'SetOutBandVPNAuthPwd', { password: 'Slow#pass1', createOrUpdate: 'update' }).send();
      const writeMs = Date.now() - wStart;
      assert.equal(write.json.code, 10100, write.body);
      assert.ok(writeMs < bound, `SetOutBandVPNAuthPwd took ${writeMs} ms`);
      const radius = await r.radclient(b.radius, 'auth', SECRET, authLines(APP_RADIUS, PASSWORD));
      assert.notEqual(radius.code, 'Access-Accept');
      ctx.diagnostic(`database stalled: v2 Get ${readMs} ms, v2 Set ${writeMs} ms, RADIUS ${radius.code || 'no reply'}`);
    } finally {
      for (const pid of pids) process.kill(pid, 'SIGCONT');
    }
    for (const node of [a, b]) {
      await h.waitFor(async () => (await get(node, t)).code === 0, { what: 'service to resume', timeoutMs: 10000 });
    }
  });

  it('fails every request within the timeout while PostgreSQL is down, and recovers', async (ctx) => {
    const t = tenants[APP_RADIUS];
    const bound = CONNECT_TIMEOUT_MS + STATEMENT_TIMEOUT_MS + 1500;  // + scheduling slack
    const timed = async (fn) => {
      const start = Date.now();
      const v = await fn();
      return { v, ms: Date.now() - start };
    };
    // Both nodes have the key cached (as in steady state), so each request gets past
    // authentication and meets the database where it needs it.
    await warmKeyCaches(t);
    pg('stop', pgState);  // fast shutdown by PID; the data stays

    for (const node of [a, b]) {
      const read = await timed(() => get(node, t));
      assert.equal(read.v.code, 9001, JSON.stringify(read.v));
      assert.ok(read.ms < bound, `GetOutBandVPNAuthInfo took ${read.ms} ms`);
      const write = await timed(() => v2(node, t, 'SetOutBandVPNAuthPwd',
        { password: 'Down#pass1', createOrUpdate: 'update' }).send());
      assert.equal(write.v.json.code, 10100, write.v.body);
      assert.ok(write.ms < bound, `SetOutBandVPNAuthPwd took ${write.ms} ms`);
      const v3 = await timed(() => v3Set(node, t, 'Down#pass2', 'Update'));
      assert.equal(v3.v.Response.Error.Code, 'InternalError', JSON.stringify(v3.v));
      assert.ok(v3.ms < bound, `SetOutBandVpnAuthPassword took ${v3.ms} ms`);
      const radius = await r.radclient(node.radius, 'auth', SECRET, authLines(APP_RADIUS, PASSWORD));
      assert.notEqual(radius.code, 'Access-Accept', 'no Accept while the accounts cannot be read');
      ctx.diagnostic(`database down: v2 Get ${read.ms} ms, v2 Set ${write.ms} ms, v3 Set ${v3.ms} ms ` +
        `(obvpnctl included), RADIUS ${radius.code || 'no reply'}`);
    }
    for (const node of [a, b]) assert.equal(node.proc.exitCode, null, 'obvpnd keeps running');

    pg('start', pgState);  // same directory and socket: the same postgres_url
    const restarted = Date.now();
    for (const node of [a, b]) {
      await h.waitFor(async () => (await get(node, t)).code === 0, { what: 'service to resume', timeoutMs: 10000 });
    }
    ctx.diagnostic(`service resumed on both nodes ${Date.now() - restarted} ms after the restart`);
    const res = await r.radclient(b.radius, 'auth', SECRET, authLines(APP_RADIUS, PASSWORD));
    assert.equal(res.code, 'Access-Accept', 'the password did not change during the outage');
    const write = await v2(b, t, 'SetOutBandVPNAuthPwd', { password: 'Back#pass1', createOrUpdate: 'update' }).send();
    assert.equal(write.json.code, 0, write.body);
    for (const node of [a, b]) assert.equal(node.proc.exitCode, null);
  });

  it('never logs the database password, a SecretKey or a VPN password', () => {
    for (const node of [a, b]) {
      const log = node.log();
      for (const s of [PASSWORD, SECRET, tenants[APP_RACE].secretKey]) assert.ok(!log.includes(s), s);
    }
  });
});

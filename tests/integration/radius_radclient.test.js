// RADIUS against the real FreeRADIUS client tools (PEERS.md: radclient verifies the
// reply's Message-Authenticator, so every Accept below is also checked by an
// implementation nobody on this team wrote). Passwords are set through the signed
// API 2.0, exactly as tenants set them.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');
const r = require('./radius_peers');

const APP = '1251001002';
const OTHER = '1251001003';
const SECRET = 'radclient-secret-0123';
const PASSWORD = 'Qz7#kLm2pX';

const skip = r.have('radclient') ? false : 'radclient not installed (scripts/deps.sh test)';

function authLines(user, password, { ma = true } = {}) {
  const lines = [`User-Name = "${user}"`, `User-Password = "${password}"`];
  if (ma) lines.push('Message-Authenticator = 0x00');
  return lines;
}

describe('radclient', { skip }, () => {
  let d;
  let tenant;
  before(async () => {
    d = await h.startDaemon({
      config: '[radius]\nmax_failures = 3\nmax_sessions_per_tenant = 2\n',
    });
    tenant = h.ctl(d.dataDir, ['tenant', 'add', APP]);
    h.ctl(d.dataDir, ['tenant', 'add', OTHER]);
    await h.setPassword(d, tenant, PASSWORD, 'create');
    h.addRadiusClient(d.dataDir, 'local', '127.0.0.1/32', SECRET, 'yes');
    // obvpnctl changes apply within a second (SPEC §8): wait for the client table.
    await h.waitFor(async () => (await r.radclient(d.radius, 'status', SECRET, ['Message-Authenticator = 0x00'])).code,
      { what: 'the RADIUS client to be loaded' });
  });
  after(async () => { if (d) await d.stop(); });

  it('prints the radius and radius-acct listening lines before the api line', () => {
    const out = d.stdout();
    assert.match(out, /obvpnd: radius listening on 127\.0\.0\.1:\d+\n/);
    assert.match(out, /obvpnd: radius-acct listening on 127\.0\.0\.1:\d+\n/);
    assert.ok(out.indexOf('radius listening') < out.indexOf('api listening'));
    assert.notEqual(d.radiusPort, d.radiusAcctPort);
  });

  it('accepts the password set through the API, with a valid Message-Authenticator', async () => {
    const res = await r.radclient(d.radius, 'auth', SECRET, authLines(APP, PASSWORD));
    assert.equal(res.code, 'Access-Accept', res.stdout + res.stderr);
    assert.equal(res.status, 0);
    assert.match(res.stdout, /Class = 0x626d31323531303031303032/);  // "bm1251001002"
    assert.doesNotMatch(res.stdout, /Service-Type/);
  });

  it('accepts every User-Name form', async () => {
    for (const user of [`bm${APP}\\\\${APP}`, `${APP}@bm${APP}`]) {
      const res = await r.radclient(d.radius, 'auth', SECRET, authLines(user, PASSWORD));
      assert.equal(res.code, 'Access-Accept', `${user}: ${res.stdout}`);
    }
  });

  it('rejects another tenant\'s group in the User-Name', async () => {
    const res = await r.radclient(d.radius, 'auth', SECRET, authLines(`bm${OTHER}\\\\${APP}`, PASSWORD));
    assert.equal(res.code, 'Access-Reject');
  });

  it('rejects a wrong password', async () => {
    const res = await r.radclient(d.radius, 'auth', SECRET, authLines(APP, 'Wrong#pass1'));
    assert.equal(res.code, 'Access-Reject');
    assert.equal(res.status, 1);
  });

  it('rejects a tenant without a VPN account', async () => {
    const res = await r.radclient(d.radius, 'auth', SECRET, authLines(OTHER, PASSWORD));
    assert.equal(res.code, 'Access-Reject');
  });

  it('answers Status-Server', async () => {
    const res = await r.radclient(d.radius, 'status', SECRET, ['Message-Authenticator = 0x00']);
    assert.equal(res.code, 'Access-Accept');
    const acct = await r.radclient(d.radiusAcct, 'status', SECRET, ['Message-Authenticator = 0x00']);
    assert.equal(acct.code, 'Accounting-Response');
  });

  it('does not answer a request with the wrong shared secret', async () => {
    const res = await r.radclient(d.radius, 'auth', 'not-the-secret-000', authLines(APP, PASSWORD));
    assert.equal(res.code, null);
    assert.ok(res.noReply, res.stdout + res.stderr);
  });

  it('does not answer a strict client\'s request without Message-Authenticator', async () => {
    const res = await r.radclient(d.radius, 'auth', SECRET, authLines(APP, PASSWORD, { ma: false }));
    assert.equal(res.code, null);
    assert.ok(res.noReply);
    await h.waitFor(() => /"reason":"message_authenticator_missing"/.test(d.log()), { what: 'the drop log line' });
  });

  it('rejects the old password right after an API update, accepts the new one', async () => {
    const next = 'Newpass#2024';
    await h.setPassword(d, tenant, next, 'update');
    const old = await r.radclient(d.radius, 'auth', SECRET, authLines(APP, PASSWORD));
    assert.equal(old.code, 'Access-Reject');
    const now = await r.radclient(d.radius, 'auth', SECRET, authLines(APP, next));
    assert.equal(now.code, 'Access-Accept');
    await h.setPassword(d, tenant, PASSWORD, 'update');
  });

  it('rejects a locked account and accepts it again once unlocked', async () => {
    h.ctl(d.dataDir, ['account', 'lock', APP, '--json']);
    const locked = await r.radclient(d.radius, 'auth', SECRET, authLines(APP, PASSWORD));
    assert.equal(locked.code, 'Access-Reject');
    h.ctl(d.dataDir, ['account', 'unlock', APP, '--json']);
    const open = await r.radclient(d.radius, 'auth', SECRET, authLines(APP, PASSWORD));
    assert.equal(open.code, 'Access-Accept');
  });

  it('answers a byte-identical retransmission with the identical cached reply', async () => {
    const req = r.accessRequest({ id: 77, userName: APP, password: PASSWORD, secret: SECRET });
    const before = (d.log().match(/"reason":"duplicate"/g) || []).length;
    // Same source port, Identifier and Request Authenticator (RFC 5080 §2.2.2).
    const [first, second] = await r.exchangeInTurn(d.radiusPort, [req, req]);
    assert.ok(first && second);
    assert.equal(first[0], 2);  // Access-Accept
    assert.ok(r.verifyReply(first, req, SECRET));
    assert.ok(second.equals(first));
    await h.waitFor(() => (d.log().match(/"reason":"duplicate"/g) || []).length === before + 1,
      { what: 'the duplicate log line' });
  });

  it('records accounting sessions and rejects logins beyond the session limit', async () => {
    const acct = (type, id) => r.radclient(d.radiusAcct, 'acct', SECRET,
      [`User-Name = "${APP}"`, `Acct-Status-Type = ${type}`, `Acct-Session-Id = "${id}"`]);
    assert.equal((await acct('Start', 'sess-1')).code, 'Accounting-Response');
    assert.equal((await acct('Start', 'sess-2')).code, 'Accounting-Response');
    assert.equal(h.ctl(d.dataDir, ['account', 'show', APP, '--json']).activeSessions, 2);
    const full = await r.radclient(d.radius, 'auth', SECRET, authLines(APP, PASSWORD));
    assert.equal(full.code, 'Access-Reject');
    assert.match(full.stdout, /Reply-Message/);
    assert.equal((await acct('Stop', 'sess-2')).code, 'Accounting-Response');
    assert.equal(h.ctl(d.dataDir, ['account', 'show', APP, '--json']).activeSessions, 1);
    const ok = await r.radclient(d.radius, 'auth', SECRET, authLines(APP, PASSWORD));
    assert.equal(ok.code, 'Access-Accept');
    assert.equal((await acct('Stop', 'sess-1')).code, 'Accounting-Response');
  });

  it('throttles an account after repeated failures, even for the right password', async () => {
    // max_failures = 3 in this daemon's config: three wrong passwords lock the account.
    for (let i = 0; i < 3; i++) {
      assert.equal((await r.radclient(d.radius, 'auth', SECRET, authLines(APP, `Wrong#pass${i}`))).code, 'Access-Reject');
    }
    const right = await r.radclient(d.radius, 'auth', SECRET, authLines(APP, PASSWORD));
    assert.equal(right.code, 'Access-Reject');
    await h.waitFor(() => /"reason":"throttled"/.test(d.log()), { what: 'the throttled log line' });
  });

  it('counts RADIUS decisions by reason in /metrics', async () => {
    const [host, port] = d.admin.split(':');
    const m = await h.rawRequest({ host, port: Number(port), path: '/metrics' });
    assert.match(m.body, /obvpn_radius_accepts_total \d+/);
    assert.match(m.body, /obvpn_radius_rejects_total\{reason="bad_password"\} \d+/);
    assert.match(m.body, /obvpn_radius_drops_total\{reason="message_authenticator_missing"\} \d+/);
    assert.match(m.body, /obvpn_radius_responses_total\{reason="accounting_start"\} \d+/);
  });

  it('never logs a password or the shared secret', () => {
    const log = d.log();
    for (const s of [PASSWORD, 'Newpass#2024', 'Wrong#pass1', SECRET]) assert.ok(!log.includes(s), s);
  });
});

describe('radclient from an address that is no RADIUS client', { skip }, () => {
  it('gets no reply at all', async () => {
    const d = await h.startDaemon();
    try {
      const t = h.ctl(d.dataDir, ['tenant', 'add', APP]);
      await h.setPassword(d, t, PASSWORD, 'create');
      h.addRadiusClient(d.dataDir, 'elsewhere', '127.0.0.2/32', SECRET, 'yes');
      await h.waitFor(() => /"event":"radius_clients_loaded"[^\n]*"clients":1\b/.test(d.log()) ||
        /"clients":1[^\n]*"event":"radius_clients_loaded"/.test(d.log()), { what: 'the client table with one client' });
      const res = await r.radclient(d.radius, 'auth', SECRET, authLines(APP, PASSWORD));
      assert.equal(res.code, null);
      assert.ok(res.noReply);
      await h.waitFor(() => /"reason":"unknown_client"/.test(d.log()), { what: 'the unknown_client line' });
    } finally {
      await d.stop();
    }
  });
});

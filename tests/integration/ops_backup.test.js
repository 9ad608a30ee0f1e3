// Backup, restore and key rotation (docs/operations.md): a backup taken while obvpnd
// serves, restored into a fresh data directory, authenticates the same tenant over the
// API and RADIUS; restore and rotate-master-key refuse while obvpnd runs; after a master
// key rotation everything still works; a rotated SecretKey keeps working for its grace
// period and stops after it.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./harness');
const peers = require('./radius_peers');

const GET = 'GetOutBandVPNAuthInfo';
const APP = '1251001002';
const PASSWORD = 'Backup#2024xy';
const SECRET = 'backup-radius-secret-0123';

// Resolves true once RADIUS accepts APP's password (the client table loads within a
// second of a start or a change).
async function radiusAccepts(d) {
  return h.waitFor(async () => {
    const [reply] = await peers.exchange(d.radiusPort, [peers.accessRequest({ id: 9, userName: APP, password: PASSWORD, secret: SECRET })], { waitMs: 1000 });
    return reply && reply[0] === 2;
  }, { what: 'Access-Accept' });
}

async function getCode(d, tenant) {
  return (await h.v2Get(d, h.signedParams(tenant, `127.0.0.1:${d.port}`, GET))).json.code;
}

describe('backup and restore', () => {
  let a;
  let t;
  let backup;
  const fresh = path.join(h.tempDir('restore'), 'data');

  before(async () => {
    a = await h.startDaemon();
    t = h.ctl(a.dataDir, ['tenant', 'add', APP]);
    h.addRadiusClient(a.dataDir, 'gw', '127.0.0.1/32', SECRET, 'yes');
    await h.setPassword(a, t, PASSWORD);
    await radiusAccepts(a);
    backup = path.join(h.tempDir('backup'), 'obvpn-backup.db');
  });
  after(async () => { await a.stop(); });

  it('backs up while obvpnd serves', async () => {
    // Requests keep arriving while the backup runs.
    let stop = false;
    const load = (async () => {
      let n = 0;
      while (!stop) { assert.equal(await getCode(a, t), 0); n++; }
      return n;
    })();
    const r = h.ctl(a.dataDir, ['backup', backup, '--json']);
    stop = true;
    assert.ok(await load > 0);
    assert.equal(r.file, backup);
    assert.ok(r.bytes > 0);
    assert.equal(fs.statSync(backup).mode & 0o777, 0o600);
    const text = fs.readFileSync(path.join(a.dataDir, 'master.key'), 'utf8').trim();
    assert.ok(!fs.readFileSync(backup).includes(text), 'the master key is not in the backup');
  });

  it('restores into a fresh data dir that authenticates the same tenant', async () => {
    const r = h.ctl(fresh, ['restore', backup, '--key-file', path.join(a.dataDir, 'master.key'), '--json']);
    assert.equal(r.restored, backup);
    const b = await h.startDaemon({ dataDir: fresh });
    try {
      assert.equal(await getCode(b, t), 0, 'v2 Get with the old SecretId/SecretKey');
      await radiusAccepts(b);
      // The restore is audited in the restored database.
      const audit = h.ctl(fresh, ['audit', '--json']);
      assert.ok(audit.some((e) => e.action === 'admin.restore'));
      // obvpnd holds the directory: restore refuses.
      const refused = h.ctl(fresh, ['restore', backup, '--force'], { allowFail: true });
      assert.equal(refused.status, 1);
      assert.match(refused.stderr, /in use/);
    } finally {
      await b.stop();
    }
    // Stopped, but the database exists: only with --force.
    const exists = h.ctl(fresh, ['restore', backup], { allowFail: true });
    assert.equal(exists.status, 1);
    assert.match(exists.stderr, /--force/);
    h.ctl(fresh, ['restore', backup, '--force', '--json']);
  });

  it('refuses a backup the key does not open', () => {
    const other = path.join(h.tempDir('other'), 'data');
    h.ctl(other, ['tenant', 'list', '--json']);  // a data dir with its own, different key
    const r = h.ctl(path.join(h.tempDir('third'), 'data'), ['restore', backup, '--key-file', path.join(other, 'master.key')], { allowFail: true });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /does not open/);
  });

  it('rotates the master key while obvpnd is stopped, and refuses while it runs', async () => {
    const b = await h.startDaemon({ dataDir: fresh });
    const refused = h.ctl(fresh, ['rotate-master-key'], { allowFail: true });
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /in use/);
    await b.stop();

    const keyFile = path.join(fresh, 'master.key');
    const before = fs.readFileSync(keyFile, 'utf8');
    const r = h.ctl(fresh, ['rotate-master-key', '--json']);
    assert.equal(r.apiKeys, 1);
    assert.equal(r.radiusClients, 1);
    assert.notEqual(fs.readFileSync(keyFile, 'utf8'), before);
    assert.equal(fs.statSync(keyFile).mode & 0o777, 0o600);
    assert.ok(!fs.existsSync(`${keyFile}.old`));

    const c = await h.startDaemon({ dataDir: fresh });
    try {
      assert.equal(await getCode(c, t), 0);
      await radiusAccepts(c);
    } finally {
      await c.stop();
    }
    // A backup taken before the rotation needs the key of its time.
    const r2 = h.ctl(path.join(h.tempDir('fourth'), 'data'), ['restore', backup, '--key-file', keyFile], { allowFail: true });
    assert.equal(r2.status, 1);
  });
});

describe('SecretKey rotation', () => {
  let d;
  before(async () => { d = await h.startDaemon(); });
  after(async () => { await d.stop(); });

  it('keeps the old key working for the grace period, then stops it', async () => {
    const t = h.ctl(d.dataDir, ['tenant', 'add', APP]);
    const next = h.ctl(d.dataDir, ['key', 'rotate', t.secretId, '--grace', '3600']);
    assert.equal(next.replaces, t.secretId);
    assert.equal(String(next.appId), APP);
    assert.ok(next.oldKeyExpiresAt > Date.now() / 1000 + 3500);
    const nextTenant = { secretId: next.secretId, secretKey: next.secretKey };
    await h.waitFor(async () => (await getCode(d, nextTenant)) === 0, { what: 'the new key' });
    assert.equal(await getCode(d, t), 0, 'the old key works during the grace period');
    const listed = h.ctl(d.dataDir, ['key', 'list', APP, '--json']);
    assert.ok(listed.find((k) => k.secretId === t.secretId).expiresAt > 0);

    // Rotating again with no grace: the key it replaces stops at once.
    const third = h.ctl(d.dataDir, ['key', 'rotate', next.secretId, '--grace', '0']);
    const thirdTenant = { secretId: third.secretId, secretKey: third.secretKey };
    await h.waitFor(async () => (await getCode(d, nextTenant)) === 4100, { what: 'the replaced key to stop' });
    assert.equal(await getCode(d, thirdTenant), 0);
    assert.equal(await getCode(d, t), 0, 'the first key is still within its own grace period');
  });
});

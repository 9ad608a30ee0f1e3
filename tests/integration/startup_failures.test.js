// Faults at startup (issue 7): a missing or wrong master key, a corrupt or unopenable
// database, and permission problems each stop obvpnd with a clear message and a non-zero
// exit — or, for a too-open data directory, a warning — never a crash or a half start.
'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const h = require('./harness');

// Runs obvpnd to completion (it must refuse to start) and returns {status, stderr}.
function runDaemon(dataDir, env = {}) {
  const r = spawnSync(h.OBVPND, ['--data-dir', dataDir, '--api-listen', '127.0.0.1:0', '--admin-listen',
    '127.0.0.1:0', '--radius-listen', '127.0.0.1:0'], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 15000 });
  return { status: r.status, signal: r.signal, stderr: r.stderr, stdout: r.stdout };
}

// A data directory with a tenant (so the database holds sealed secrets).
function populated() {
  const dir = h.tempDir('startup');
  h.ctl(dir, ['tenant', 'add', '1251001002']);
  return dir;
}

describe('startup faults', () => {
  it('a missing master key stops startup and says what to do', () => {
    const dir = populated();
    fs.rmSync(path.join(dir, 'master.key'));
    const r = runDaemon(dir);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /master key file .* is missing/);
    assert.match(r.stderr, /OBVPN_MASTER_KEY/);
    assert.ok(!fs.existsSync(path.join(dir, 'master.key')), 'no new key is generated over existing secrets');
  });

  it('a wrong master key stops startup', () => {
    const dir = populated();
    const r = runDaemon(dir, { OBVPN_MASTER_KEY: crypto.randomBytes(32).toString('base64') });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /does not match database/);
  });

  it('a malformed master key stops startup', () => {
    const dir = populated();
    fs.writeFileSync(path.join(dir, 'master.key'), 'not-a-key\n', { mode: 0o600 });
    const r = runDaemon(dir);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /master key/);
  });

  it('a master key readable by others is refused', () => {
    const dir = populated();
    fs.chmodSync(path.join(dir, 'master.key'), 0o644);
    const r = runDaemon(dir);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /master key/);
  });

  it('a corrupt database stops startup', () => {
    const dir = h.tempDir('startup');
    fs.writeFileSync(path.join(dir, 'obvpn.db'), crypto.randomBytes(8192));
    const r = runDaemon(dir);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /cannot open database/);
  });

  it('an unopenable database stops startup', () => {
    const dir = h.tempDir('startup');
    fs.mkdirSync(path.join(dir, 'obvpn.db'));
    const r = runDaemon(dir);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /cannot open database/);
  });

  it('a data_dir that is a file stops startup', () => {
    const file = path.join(h.tempDir('startup'), 'plain-file');
    fs.writeFileSync(file, '');
    const r = runDaemon(file);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /not a directory/i);
  });

  it('a too-open data directory starts with a warning', async () => {
    const dir = populated();
    fs.chmodSync(dir, 0o755);
    const d = await h.startDaemon({ dataDir: dir });
    try {
      await h.waitFor(() => d.log().includes('insecure_permissions'), { what: 'the permission warning' });
      assert.match(d.log(), /data_dir .* has mode 0755/);
    } finally { await d.stop(); }
  });

  it('creates owner-only files', async () => {
    const dir = path.join(h.tempDir('startup'), 'fresh');
    const d = await h.startDaemon({ dataDir: dir });
    await d.stop();
    assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
    for (const f of ['obvpn.db', 'master.key']) {
      assert.equal(fs.statSync(path.join(dir, f)).mode & 0o077, 0, `${f} is owner-only`);
    }
  });
});

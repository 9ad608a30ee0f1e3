// Crash durability (issue 7): a client loops SetOutBandVPNAuthPwd updates, recording every
// acknowledged password, while obvpnd is killed with SIGKILL at random moments, 50 times.
// After each restart the last acknowledged password authenticates over RADIUS (unless an
// update sent after it, whose reply the crash swallowed, was committed instead), the one
// acknowledged before it does not, and PRAGMA integrity_check is clean. A lost
// acknowledged update is a failure.
'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const h = require('./harness');
const { radclient } = require('./radius_peers');

const CRASHES = Number(process.env.OBVPN_CRASHES || 50);
const APP = '1251001002';
const SECRET = 'crash-test-radius-secret';

async function radiusAccepts(d, password) {
  const r = await radclient(d.radius, 'auth', SECRET,
    [`User-Name = "${APP}"`, `User-Password = "${password}"`, 'Message-Authenticator = 0x00']);
  if (r.code !== 'Access-Accept' && r.code !== 'Access-Reject') {
    throw new Error(`no RADIUS answer: ${r.stdout} ${r.stderr}`);
  }
  return r.code === 'Access-Accept';
}

describe('crash durability', () => {
  it(`loses no acknowledged update across ${CRASHES} SIGKILLs`, async () => {
    const dataDir = h.tempDir('crash');
    const config = '[password]\nargon2_memory_kib = 1024\nargon2_iterations = 1\n' +
      '[radius]\nmax_failures = 100000\n';
    let tenant;
    {
      const d = await h.startDaemon({ dataDir, config });
      tenant = h.ctl(dataDir, ['tenant', 'add', APP]);
      h.addRadiusClient(dataDir, 'local', '127.0.0.1/32', SECRET);
      await h.sleep(600);
      await h.setPassword(d, tenant, 'Start0000x', 'create');
      await d.stop();
    }
    const stats = { crashes: 0, acknowledged: 0, unacknowledged: 0, lost: 0, superseded: 0 };
    let lastAcked = 'Start0000x';
    let prevAcked = null;
    let inflight = null;  // sent, no reply when the crash came
    let n = 0;
    for (let cycle = 0; cycle < CRASHES; cycle++) {
      const d = await h.startDaemon({ dataDir, config });
      // Verify what the previous crash left.
      const lastOk = await radiusAccepts(d, lastAcked);
      if (!lastOk) {
        if (inflight && await radiusAccepts(d, inflight)) {
          stats.superseded++;  // the unacknowledged update was durable: fine
          prevAcked = lastAcked;
          lastAcked = inflight;
        } else {
          stats.lost++;
        }
      }
      if (prevAcked) assert.equal(await radiusAccepts(d, prevAcked), false, 'an older password must not authenticate');
      inflight = null;
      // Update in a loop until the kill.
      const host = `127.0.0.1:${d.port}`;
      let killed = false;
      const loop = (async () => {
        while (!killed) {
          const pw = `Crash${String(++n).padStart(5, '0')}x`;
          inflight = pw;
          try {
            const r = await h.v2Get(d, h.signedParams(tenant, host, 'SetOutBandVPNAuthPwd', { password: pw, createOrUpdate: 'update' }));
            if (r.json && r.json.code === 0) {
              prevAcked = lastAcked;
              lastAcked = pw;
              stats.acknowledged++;
              inflight = null;
            }
          } catch {
            stats.unacknowledged++;
            return;  // the connection died with the process
          }
        }
      })();
      await h.sleep(50 + crypto.randomInt(0, 350));
      d.proc.kill('SIGKILL');
      killed = true;
      await d.exited;
      await loop;
      stats.crashes++;
      const check = execFileSync('sqlite3', [path.join(dataDir, 'obvpn.db'), 'PRAGMA integrity_check;'], { encoding: 'utf8' });
      assert.equal(check.trim(), 'ok', `integrity_check after crash ${cycle + 1}`);
    }
    // The final state, once more.
    const d = await h.startDaemon({ dataDir, config });
    try {
      const ok = await radiusAccepts(d, lastAcked) || (inflight && await radiusAccepts(d, inflight));
      if (!ok) stats.lost++;
    } finally { await d.stop(); }
    console.log(`crash-durability: ${JSON.stringify(stats)}`);
    assert.equal(stats.crashes, CRASHES);
    assert.ok(stats.acknowledged >= CRASHES, `enough updates were acknowledged (${stats.acknowledged})`);
    assert.equal(stats.lost, 0, 'acknowledged updates lost');
  });
});

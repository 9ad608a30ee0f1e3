// The be_first flow through `obvpnctl call` (the operator's signed client), with both
// signature methods and both HTTP methods, and its exit codes.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const h = require('./harness');

describe('obvpnctl call (API 2.0)', () => {
  let d;
  let env;
  const call = (...args) => {
    const r = spawnSync(h.OBVPNCTL, ['call', '--endpoint', `http://${d.api}`, ...args], { env, encoding: 'utf8' });
    return { rc: r.status, json: r.stdout ? JSON.parse(r.stdout) : undefined, stderr: r.stderr };
  };

  before(async () => {
    d = await h.startDaemon();
    const t = h.ctl(d.dataDir, ['tenant', 'add', '1251001002']);
    env = { ...process.env, TENCENTCLOUD_SECRET_ID: t.secretId, TENCENTCLOUD_SECRET_KEY: t.secretKey };
  });
  after(async () => { await d.stop(); });

  it('walks the be_first flow', () => {
    let r = call('GetOutBandVPNAuthInfo');
    assert.equal(r.rc, 0, r.stderr);
    assert.equal(r.json.data.authInfo.be_first, true);
    r = call('SetOutBandVPNAuthPwd', 'password=abcd1234', 'createOrUpdate=create');
    assert.equal(r.rc, 0, r.stderr);
    assert.equal(r.json.code, 0);
    r = call('--sign', 'HmacSHA256', '--method', 'GET', 'GetOutBandVPNAuthInfo');
    assert.equal(r.rc, 0, r.stderr);
    assert.equal(r.json.data.authInfo.be_first, false);
    r = call('--sign', 'HmacSHA256', '--region', 'ap-guangzhou', 'SetOutBandVPNAuthPwd', 'password=wxyz#9876', 'createOrUpdate=update');
    assert.equal(r.json.code, 0, JSON.stringify(r.json));
  });

  it('exits 3 and prints the reply when the API answers an error', () => {
    const r = call('SetOutBandVPNAuthPwd', 'password=abcd1234', 'createOrUpdate=create');
    assert.equal(r.rc, 3);
    assert.equal(r.json.code, 10101);
  });

  it('exits 1 when no server answers', () => {
    const r = spawnSync(h.OBVPNCTL, ['call', '--endpoint', 'http://127.0.0.1:1', 'GetOutBandVPNAuthInfo'], { env, encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^obvpnctl: /);
  });
});

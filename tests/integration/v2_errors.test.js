// API 2.0 error rows (SPEC §3.7) that need raw HTTP or daemon configuration, each
// reached against the real obvpnd. Requests are signed by the harness's own signer.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./harness');

const GET = 'GetOutBandVPNAuthInfo';
const SET = 'SetOutBandVPNAuthPwd';

function assertError(r, code, codeDesc, messageRe) {
  assert.equal(r.status, 200, 'API 2.0 errors are HTTP 200');
  assert.match(r.headers['content-type'], /application\/json/);
  assert.match(r.headers['x-request-id'], /^[0-9a-f-]{36}$/);
  assert.equal(r.json.code, code, r.body);
  assert.equal(r.json.codeDesc, codeDesc, r.body);
  assert.equal(r.json.data, undefined, 'errors carry no data');
  if (messageRe) assert.match(r.json.message, messageRe);
}

describe('API 2.0 error rows', () => {
  let d;
  let t;
  let host;
  const faultFile = path.join(h.tempDir('fault'), 'fault');

  before(async () => {
    d = await h.startDaemon({ env: { OBVPN_TEST_FAULT_FILE: faultFile } });
    t = h.ctl(d.dataDir, ['tenant', 'add', '1251001002']);
    host = `127.0.0.1:${d.port}`;
  });
  after(async () => { await d.stop(); });

  it('4000: missing parameter, named', async () => {
    const p = h.signedParams(t, host, GET);
    delete p.Nonce;
    assertError(await h.v2Get(d, p), 4000, 'InvalidParameter', /'Nonce'/);
  });

  it('4000: duplicate parameter, named', async () => {
    const p = h.signedParams(t, host, GET);
    const r = await h.rawRequest({ host: '127.0.0.1', port: d.port, path: `/v2/index.php?${h.encodeForm(p)}&Region=gz` });
    assertError(r, 4000, 'InvalidParameter', /'Region'.*more than once/);
  });

  it('4000: malformed escape, NUL byte, invalid UTF-8 — each names the parameter', async () => {
    const base = h.encodeForm(h.signedParams(t, host, SET, { createOrUpdate: 'create' }));
    for (const [raw, re] of [['%zz', /'password'.*escape/], ['ab%00cd12', /'password'.*NUL/],
      ['tencentV%89', /'password'.*UTF-8/]]) {
      const r = await h.rawRequest({ host: '127.0.0.1', port: d.port, path: `/v2/index.php?${base}&password=${raw}` });
      assertError(r, 4000, 'InvalidParameter', re);
    }
  });

  it('4000: unknown SignatureMethod', async () => {
    const p = h.signedParams(t, host, GET, { SignatureMethod: 'HmacMD5' });
    assertError(await h.v2Get(d, p), 4000, 'InvalidParameter', /SignatureMethod/);
  });

  it('4000: malformed Timestamp and Nonce', async () => {
    assertError(await h.v2Get(d, h.signedParams(t, host, GET, { Timestamp: '12ab' })), 4000, 'InvalidParameter', /Timestamp/);
    assertError(await h.v2Get(d, h.signedParams(t, host, GET, { Nonce: '-1' })), 4000, 'InvalidParameter', /Nonce/);
  });

  it('4000: too many parameters', async () => {
    const extra = {};
    for (let i = 0; i < 120; i++) extra[`x${i}`] = 'v';
    assertError(await h.v2Get(d, h.signedParams(t, host, GET, extra)), 4000, 'InvalidParameter', /too many/);
  });

  it('4000: a body over the limit, and the server keeps serving', async () => {
    const body = `Action=${GET}&pad=${'a'.repeat(70 * 1024)}`;
    const r = await h.rawRequest({
      host: '127.0.0.1', port: d.port, method: 'POST', path: '/v2/index.php', body,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': body.length },
    }).catch((e) => ({ error: e }));
    if (!r.error) assertError(r, 4000, 'InvalidParameter', /larger than 65536/);
    const ok = await h.v2Get(d, h.signedParams(t, host, GET));
    assert.equal(ok.json.code, 0, ok.body);
  });

  it('4100: a signature over another Host', async () => {
    const p = h.signedParams(t, 'bm.api.qcloud.com', GET);
    assertError(await h.v2Get(d, p), 4100, 'AuthFailure', /signature/);
  });

  it('4100: a disabled key stops working within a second', async () => {
    const k = h.ctl(d.dataDir, ['key', 'add', '1251001002']);
    const key = { secretId: k.secretId, secretKey: k.secretKey };
    assert.equal((await h.v2Get(d, h.signedParams(key, host, GET))).json.code, 0);
    h.ctl(d.dataDir, ['key', 'disable', k.secretId], { json: false });
    await h.sleep(1000);
    assertError(await h.v2Get(d, h.signedParams(key, host, GET)), 4100, 'AuthFailure', /disabled/);
    h.ctl(d.dataDir, ['key', 'delete', k.secretId], { json: false });
    await h.sleep(1000);
    assertError(await h.v2Get(d, h.signedParams(key, host, GET)), 4100, 'AuthFailure', /not found/);
  });

  it('4100: a temporary key needs its Token', async () => {
    const k = h.ctl(d.dataDir, ['key', 'add', '1251001002', '--expires-in', '3600']);
    assert.ok(k.token, 'an expiring key gets a token');
    const key = { secretId: k.secretId, secretKey: k.secretKey };
    assertError(await h.v2Get(d, h.signedParams(key, host, GET)), 4100, 'AuthFailure', /Token/);
    assertError(await h.v2Get(d, h.signedParams(key, host, GET, { Token: 'wrong' })), 4100, 'AuthFailure', /Token/);
    const ok = await h.v2Get(d, h.signedParams(key, host, GET, { Token: k.token }));
    assert.equal(ok.json.code, 0, ok.body);
  });

  it('4500: Timestamp outside the window', async () => {
    const old = Math.floor(Date.now() / 1000) - 301;
    assertError(await h.v2Get(d, h.signedParams(t, host, GET, {}, { timestamp: old })), 4500, 'ReplayAttack', /Timestamp/);
  });

  it('4500: the same request twice is a replay; a shared Nonce alone is not', async () => {
    const now = Math.floor(Date.now() / 1000);
    const p = h.signedParams(t, host, GET, {}, { timestamp: now, nonce: 42 });
    assert.equal((await h.v2Get(d, p)).json.code, 0);
    assertError(await h.v2Get(d, p), 4500, 'ReplayAttack', /replay/);
    const other = h.signedParams(t, host, GET, { zoneId: 1000100003 }, { timestamp: now, nonce: 42 });
    assert.equal((await h.v2Get(d, other)).json.code, 0, 'same Nonce, other request');
  });

  it('4500: a failed Set replayed after the state changed still fails', async () => {
    const t2 = h.ctl(d.dataDir, ['tenant', 'add', '1251001003']);
    const upd = h.signedParams(t2, host, SET, { password: 'abcd1234', createOrUpdate: 'update' });
    assertError(await h.v2Get(d, upd), 10105, 'InvalidResource.ObAuthNoConfig', /create/);
    const cr = await h.v2Get(d, h.signedParams(t2, host, SET, { password: 'abcd1234', createOrUpdate: 'create' }));
    assert.equal(cr.json.code, 0, cr.body);
    assertError(await h.v2Get(d, upd), 4500, 'ReplayAttack');
  });

  it('10004: a key outside its allow-list', async () => {
    const k = h.ctl(d.dataDir, ['key', 'add', '1251001002', '--actions', GET]);
    const key = { secretId: k.secretId, secretKey: k.secretKey };
    assert.equal((await h.v2Get(d, h.signedParams(key, host, GET))).json.code, 0);
    const r = await h.v2Get(d, h.signedParams(key, host, SET, { password: 'abcd1234', createOrUpdate: 'create' }));
    assertError(r, 10004, 'OperationDenied', /SetOutBandVPNAuthPwd/);
  });

  it('10101 and 10105: create on existing, update on missing', async () => {
    const t3 = h.ctl(d.dataDir, ['tenant', 'add', '1251001004']);
    assertError(await h.v2Post(d, h.signedParams(t3, host, SET, { password: 'abcd1234', createOrUpdate: 'Update' }, { method: 'POST' })),
      10105, 'InvalidResource.ObAuthNoConfig');
    assert.equal((await h.v2Post(d, h.signedParams(t3, host, SET, { password: 'abcd1234', createOrUpdate: 'CREATE' }, { method: 'POST' }))).json.code, 0);
    assertError(await h.v2Post(d, h.signedParams(t3, host, SET, { password: 'abcd1234', createOrUpdate: 'create' }, { method: 'POST' })),
      10101, 'InternalError.ObAuthError', /update/);
  });

  it('9001 and 10100: store read and write failures, then recovery', async () => {
    // A tenant of its own whose key is cached but whose account state is not yet known
    // (store/account_presence.h), so the failing read is the account read: a refused
    // update caches the key without looking the account up for a Get.
    const t5 = h.ctl(d.dataDir, ['tenant', 'add', '1251001005']);
    await h.sleep(300);  // the tenant's generation reached the key ring (250 ms refresh)
    assertError(await h.v2Get(d, h.signedParams(t5, host, SET, { password: 'wxyz9876', createOrUpdate: 'update' })),
      10105, 'InvalidResource.ObAuthNoConfig');
    // The primary tenant's account state is in memory already (it was read above).
    assert.equal((await h.v2Get(d, h.signedParams(t, host, GET))).json.code, 0);
    fs.writeFileSync(faultFile, 'read\n');
    try {
      assertError(await h.v2Get(d, h.signedParams(t5, host, GET)), 9001, 'InternalError.DbError');
      // What is known in memory is still answered while the store cannot be read.
      assert.equal((await h.v2Get(d, h.signedParams(t, host, GET))).json.code, 0);
    } finally { fs.writeFileSync(faultFile, 'none\n'); }
    fs.writeFileSync(faultFile, 'write\n');
    try {
      assertError(await h.v2Get(d, h.signedParams(t, host, SET, { password: 'wxyz9876', createOrUpdate: 'update' })),
        10100, 'InternalError.ObAuthAccessError', /nothing was changed/);
    } finally { fs.writeFileSync(faultFile, 'none\n'); }
    const r = await h.v2Get(d, h.signedParams(t, host, GET));
    assert.equal(r.json.code, 0, 'service resumes when the store is back');
  });

  it('6000: a stored key that cannot be decrypted is an internal error', async () => {
    const k = h.ctl(d.dataDir, ['key', 'add', '1251001002']);
    // Tamper the sealed SecretKey in the database (an attacker or a bad restore).
    const db = path.join(d.dataDir, 'obvpn.db');
    require('node:child_process').execFileSync('sqlite3', [db,
      `UPDATE api_keys SET sealed_secret_key = 'v1:AAAA' WHERE secret_id = '${k.secretId}'`]);
    await h.sleep(1100);  // let the key ring see the change
    const r = await h.v2Get(d, h.signedParams({ secretId: k.secretId, secretKey: k.secretKey }, host, GET));
    assertError(r, 6000, 'InternalError', /X-Request-Id/);
    // The request's log line is written right after its response.
    for (let i = 0; i < 50 && !d.log().includes(r.headers['x-request-id']); i++) await h.sleep(20);
    assert.ok(d.log().includes(r.headers['x-request-id']), 'the fault is logged with the request id');
  });
});

describe('API 2.0 rows that need their own configuration', () => {
  it('4400: rate limit per appId per action', async () => {
    const d = await h.startDaemon({ config: '[limits]\nv2_per_action_per_minute = 3\nv2_per_app_per_minute = 5\n' });
    try {
      const t = h.ctl(d.dataDir, ['tenant', 'add', '1251001002']);
      const host = `127.0.0.1:${d.port}`;
      for (let i = 0; i < 3; i++) assert.equal((await h.v2Get(d, h.signedParams(t, host, GET))).json.code, 0);
      assertError(await h.v2Get(d, h.signedParams(t, host, GET)), 4400, 'LimitExceeded', /rate limit/);
      // Another action still has room under the overall limit (5): 2 more.
      const set = () => h.signedParams(t, host, SET, { password: 'abcd1234', createOrUpdate: 'update' });
      assert.equal((await h.v2Get(d, set())).json.code, 10105);
      assert.equal((await h.v2Get(d, set())).json.code, 10105);
      assertError(await h.v2Get(d, set()), 4400, 'LimitExceeded');
      // Another tenant is not affected.
      const t2 = h.ctl(d.dataDir, ['tenant', 'add', '1251001005']);
      assert.equal((await h.v2Get(d, h.signedParams(t2, host, GET))).json.code, 0);
    } finally { await d.stop(); }
  });

  it('4100: api.hosts binds the signed Host', async () => {
    const d = await h.startDaemon({ config: '[api]\nhosts = ["bm.api.qcloud.com"]\n' });
    try {
      const t = h.ctl(d.dataDir, ['tenant', 'add', '1251001002']);
      const own = `127.0.0.1:${d.port}`;
      assertError(await h.v2Get(d, h.signedParams(t, own, GET)), 4100, 'AuthFailure', /Host/);
      const p = h.signedParams(t, 'bm.api.qcloud.com', GET);
      const r = await h.v2Get(d, p, { headers: { Host: 'bm.api.qcloud.com' } });
      assert.equal(r.json.code, 0, r.body);
    } finally { await d.stop(); }
  });

  it('4600: plain HTTP while require_tls is on', async () => {
    const d = await h.startDaemon({ config: '[api]\nrequire_tls = true\n' });
    try {
      const t = h.ctl(d.dataDir, ['tenant', 'add', '1251001002']);
      assertError(await h.v2Get(d, h.signedParams(t, `127.0.0.1:${d.port}`, GET)), 4600, 'UnsupportedProtocol', /HTTPS/);
    } finally { await d.stop(); }
  });
});

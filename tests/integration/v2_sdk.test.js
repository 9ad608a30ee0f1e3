// API 2.0 driven by the real legacy Node.js SDK, qcloudapi-sdk@0.2.1 (PEERS.md): the
// be_first flow, both signature methods, GET and POST, TC2, and the errors the SDK can
// produce. Raw-HTTP error rows are in v2_errors.test.js.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const Capi = require('qcloudapi-sdk');
const h = require('./harness');

function sdkCall(capi, daemon, data, opts = {}) {
  return new Promise((resolve, reject) => {
    // Per-call opts replace the defaults for host, so always pass the full set.
    capi.request({ Region: 'gz', ...data },
      { host: `127.0.0.1:${daemon.port}`, protocol: 'http', method: 'POST', ...opts },
      (err, body) => (err ? reject(err) : resolve(body)));
  });
}

describe('API 2.0 with qcloudapi-sdk', () => {
  let daemon;
  let tenant;
  let capi;
  const appId = 1251001002;

  before(async () => {
    daemon = await h.startDaemon();
    tenant = h.ctl(daemon.dataDir, ['tenant', 'add', String(appId)]);
    capi = new Capi({ SecretId: tenant.secretId, SecretKey: tenant.secretKey, serviceType: 'bm' });
  });
  after(async () => {
    const { code } = await daemon.stop();
    assert.equal(code, 0, 'obvpnd exits 0 on SIGTERM');
  });

  it('walks the be_first flow: true → create → false → update', async () => {
    let r = await sdkCall(capi, daemon, { Action: 'GetOutBandVPNAuthInfo' });
    assert.equal(r.code, 0, JSON.stringify(r));
    assert.equal(r.codeDesc, 'Success');
    assert.equal(r.message, '');
    assert.deepEqual(r.data, {
      authInfo: {
        vpnGwAddr: '115.159.242.100:443', userName: String(appId), userGroup: `bm${appId}`, be_first: true,
      },
    });

    r = await sdkCall(capi, daemon, { Action: 'SetOutBandVPNAuthPwd', password: 'tencentV%89', createOrUpdate: 'create' });
    assert.deepEqual(r, { code: 0, message: '', codeDesc: 'Success', data: null });

    r = await sdkCall(capi, daemon, { Action: 'GetOutBandVPNAuthInfo' });
    assert.equal(r.data.authInfo.be_first, false);

    r = await sdkCall(capi, daemon, { Action: 'SetOutBandVPNAuthPwd', password: 'Another#2024', createOrUpdate: 'update' });
    assert.equal(r.code, 0, JSON.stringify(r));

    r = await sdkCall(capi, daemon, { Action: 'SetOutBandVPNAuthPwd', password: 'Another#2024', createOrUpdate: 'create' });
    assert.equal(r.code, 10101);
    assert.equal(r.codeDesc, 'InternalError.ObAuthError');
    assert.match(r.message, /update/);
    assert.equal(r.data, undefined, 'errors carry no data');
  });

  for (const method of ['GET', 'POST']) {
    for (const signatureMethod of ['sha1', 'sha256']) {
      it(`signs ${method} with ${signatureMethod}`, async () => {
        const r = await sdkCall(capi, daemon, { Action: 'GetOutBandVPNAuthInfo', zoneId: 1000100003 },
          { method, signatureMethod });
        assert.equal(r.code, 0, JSON.stringify(r));
        assert.equal(r.data.authInfo.userName, String(appId));
      });
    }
  }

  it('accepts TC2-HmacSHA256', async () => {
    const r = await sdkCall(capi, daemon, { Action: 'GetOutBandVPNAuthInfo', SignatureMethod: 'TC2-HmacSHA256' },
      { signatureMethod: 'sha256' });
    assert.equal(r.code, 0, JSON.stringify(r));
  });

  it('accepts the older revision appId parameter and the 3.0 region name', async () => {
    const r = await sdkCall(capi, daemon, { Action: 'GetOutBandVPNAuthInfo', appId, Region: 'ap-guangzhou' });
    assert.equal(r.code, 0, JSON.stringify(r));
  });

  it('refuses another tenant\'s appId with 10004', async () => {
    const r = await sdkCall(capi, daemon, { Action: 'GetOutBandVPNAuthInfo', appId: appId + 1 });
    assert.equal(r.code, 10004);
    assert.equal(r.codeDesc, 'OperationDenied');
  });

  it('reports a wrong SecretKey as 4100', async () => {
    const bad = new Capi({ SecretId: tenant.secretId, SecretKey: 'x'.repeat(40), serviceType: 'bm' });
    const r = await sdkCall(bad, daemon, { Action: 'GetOutBandVPNAuthInfo' });
    assert.equal(r.code, 4100);
    assert.equal(r.codeDesc, 'AuthFailure');
    assert.match(r.message, /signature/);
  });

  it('reports an unknown SecretId as 4100', async () => {
    const bad = new Capi({ SecretId: 'AKID' + 'z'.repeat(32), SecretKey: tenant.secretKey, serviceType: 'bm' });
    const r = await sdkCall(bad, daemon, { Action: 'GetOutBandVPNAuthInfo' });
    assert.equal(r.code, 4100);
    assert.match(r.message, /SecretId/);
  });

  it('reports an unknown Action, Region and zoneId as 4000', async () => {
    let r = await sdkCall(capi, daemon, { Action: 'DescribeInstances' });
    assert.equal(r.code, 4000);
    assert.match(r.message, /Action/);
    r = await sdkCall(capi, daemon, { Action: 'GetOutBandVPNAuthInfo', Region: 'xx' });
    assert.equal(r.code, 4000);
    assert.match(r.message, /Region/);
    r = await sdkCall(capi, daemon, { Action: 'GetOutBandVPNAuthInfo', zoneId: 1000800001 });
    assert.equal(r.code, 4000);
    assert.match(r.message, /zoneId/);
  });

  it('rejects passwords that break the rule with 4000 and a rule message', async () => {
    for (const [pw, rule] of [['short1', /8 to 16/], ['abcdefghij', /two of/], ['abc 12345', /only/],
      ['abcdefgh12345678X', /8 to 16/]]) {
      const r = await sdkCall(capi, daemon, { Action: 'SetOutBandVPNAuthPwd', password: pw, createOrUpdate: 'update' });
      assert.equal(r.code, 4000, pw);
      assert.match(r.message, rule);
      assert.ok(!r.message.includes(pw), 'the password never appears in a response');
    }
  });

  it('rejects an unknown createOrUpdate with 4000', async () => {
    const r = await sdkCall(capi, daemon, { Action: 'SetOutBandVPNAuthPwd', password: 'abcd1234', createOrUpdate: 'upsert' });
    assert.equal(r.code, 4000);
    assert.match(r.message, /createOrUpdate/);
  });

  it('serves TLS to the SDK', async () => {
    const dir = h.tempDir('tls');
    const { cert, key } = h.makeCert(dir);
    const tlsDaemon = await h.startDaemon({
      config: `[api]\ntls_cert = "${cert}"\ntls_key = "${key}"\nrequire_tls = true\n`,
    });
    try {
      const t = h.ctl(tlsDaemon.dataDir, ['tenant', 'add', '1300000001']);
      const c = new Capi({ SecretId: t.secretId, SecretKey: t.secretKey, serviceType: 'bm' });
      const r = await sdkCall(c, tlsDaemon, { Action: 'GetOutBandVPNAuthInfo' }, { protocol: 'https' });
      assert.equal(r.code, 0, JSON.stringify(r));
      assert.equal(r.data.authInfo.be_first, true);
      // Plain HTTP on the same port gets 4600 while require_tls is on.
      const plain = await sdkCall(c, tlsDaemon, { Action: 'GetOutBandVPNAuthInfo' }, { protocol: 'http' });
      assert.equal(plain.code, 4600);
      assert.equal(plain.codeDesc, 'UnsupportedProtocol');
    } finally {
      await tlsDaemon.stop();
    }
  });
});

// API 3.0 (SPEC §4) against the real obvpnd: driven by the official SDK,
// tencentcloud-sdk-nodejs@4 (PEERS.md), with all three signature methods over GET and
// POST; the error rows the SDK cannot produce through raw HTTP signed by the independent
// TC3 signer below; API 2.0 seeing what 3.0 created; and `obvpnctl call --api 3`.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const https = require('node:https');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const tencentcloud = require('tencentcloud-sdk-nodejs');
const h = require('./harness');

const BmClient = tencentcloud.bm.v20180423.Client;
const ACTION = 'SetOutBandVpnAuthPassword';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const now = () => Math.floor(Date.now() / 1000);

// Every name resolves to 127.0.0.1: the SDK's TC3 service is the first label of its
// endpoint (PEERS.md), so it must be pointed at bm.tencentcloudapi.com:PORT to sign for
// "bm", and this agent makes that name reach the local obvpnd.
function loopbackLookup(hostname, options, cb) {
  if (typeof options === 'function') { cb = options; options = {}; }
  if (options && options.all) cb(null, [{ address: '127.0.0.1', family: 4 }]);
  else cb(null, '127.0.0.1', 4);
}

function sdkClient(daemon, key, {
  signMethod = 'TC3-HMAC-SHA256', reqMethod = 'POST', region = 'ap-guangzhou', token,
  endpoint = `bm.tencentcloudapi.com:${daemon.port}`, tls = false,
} = {}) {
  const agent = tls ? new https.Agent({ lookup: loopbackLookup, rejectUnauthorized: false })
    : new http.Agent({ lookup: loopbackLookup });
  return new BmClient({
    credential: { secretId: key.secretId, secretKey: key.secretKey, ...(token ? { token } : {}) },
    region,
    profile: {
      signMethod,
      httpProfile: { endpoint, protocol: tls ? 'https://' : 'http://', reqMethod, agent, reqTimeout: 30 },
    },
  });
}

// The SDK throws on Response.Error with the code in `code` (PEERS.md).
async function sdkError(promise) {
  try {
    const r = await promise;
    assert.fail(`expected an API error, got ${JSON.stringify(r)}`);
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e;
    return e;
  }
  return undefined;
}

const sha256hex = (s) => crypto.createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key, s) => crypto.createHmac('sha256', key).update(s, 'utf8').digest();

// TC3 signs neither X-TC-Action/Region/Version/Token nor anything but the body and two
// headers, so two default requests in one second would be one request (a replay, SPEC
// §4): each default body differs in its trailing white space.
let bodies = 0;
const defaultBody = () => `{"Password":"abcd1234","Operate":"Create"}${' '.repeat(bodies++ % 4096)}`;

// An independent TC3-HMAC-SHA256 signer (PROTOCOL.md, step by step). Header values that
// are null are left out. Resolves {status, headers, body, json}.
function tc3(daemon, key, {
  method = 'POST', body, query = '', action = ACTION, version = '2018-04-23', region = 'ap-guangzhou',
  timestamp, service = 'bm', date, signedHost, contentType, token, headers = {}, authorization,
} = {}) {
  const ts = timestamp ?? now();
  const host = `127.0.0.1:${daemon.port}`;
  const ct = contentType ?? (method === 'POST' ? 'application/json' : 'application/x-www-form-urlencoded');
  const payload = method === 'POST' ? (body ?? defaultBody()) : '';
  const d = date ?? new Date(ts * 1000).toISOString().slice(0, 10);
  const canonical = [method, '/', query,
    `content-type:${ct.toLowerCase()}\nhost:${(signedHost ?? host).toLowerCase()}\n`,
    'content-type;host', sha256hex(payload)].join('\n');
  const toSign = ['TC3-HMAC-SHA256', String(ts), `${d}/${service}/tc3_request`, sha256hex(canonical)].join('\n');
  const kSigning = hmac(hmac(hmac(`TC3${key.secretKey}`, d), service), 'tc3_request');
  const signature = hmac(kSigning, toSign).toString('hex');
  const all = {
    'Content-Type': ct,
    'X-TC-Action': action,
    'X-TC-Version': version,
    'X-TC-Region': region,
    'X-TC-Timestamp': String(ts),
    'X-TC-Token': token ?? null,
    Authorization: authorization !== undefined ? authorization : `TC3-HMAC-SHA256 Credential=${key.secretId}/${d}/${service}/tc3_request, `
      + `SignedHeaders=content-type;host, Signature=${signature}`,
    ...headers,
  };
  for (const k of Object.keys(all)) if (all[k] === null) delete all[k];
  if (payload) all['Content-Length'] = Buffer.byteLength(payload);
  return h.rawRequest({
    host: '127.0.0.1', port: daemon.port, method, path: query ? `/?${query}` : '/', headers: all,
    body: payload || undefined,
  });
}

// A v1 (HmacSHA1/HmacSHA256) request on "/", signed by the harness's 2.0 signer with path
// "/" (no parameter here has an underscore, so its rewriting does not apply).
function v1Form(daemon, key, extra = {}, { method = 'GET', sigMethod = 'sha1', drop = [], nonce } = {}) {
  const params = {
    Action: ACTION, Version: '2018-04-23', Region: 'ap-guangzhou', Timestamp: now(),
    Nonce: nonce ?? crypto.randomInt(0, 2 ** 31), SecretId: key.secretId,
    SignatureMethod: sigMethod === 'sha256' ? 'HmacSHA256' : 'HmacSHA1',
    Password: 'abcd1234', Operate: 'Create', ...extra,
  };
  for (const k of drop) delete params[k];
  params.Signature = h.signV2(params, { method, host: `127.0.0.1:${daemon.port}`, path: '/', key: key.secretKey, sigMethod });
  if (drop.includes('Signature')) delete params.Signature;
  return h.encodeForm(params);
}

function v1(daemon, key, extra = {}, opts = {}) {
  const { method = 'GET' } = opts;
  const form = v1Form(daemon, key, extra, opts);
  if (method === 'GET') return h.rawRequest({ host: '127.0.0.1', port: daemon.port, path: `/?${form}` });
  return h.rawRequest({
    host: '127.0.0.1', port: daemon.port, method: 'POST', path: '/', body: form,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(form) },
  });
}

function assertOk(r) {
  assert.equal(r.status, 200);
  assert.match(r.headers['content-type'], /^application\/json/);
  assert.equal(r.json.Response.Error, undefined, r.body);
  assert.equal(r.json.Response.RequestId, r.headers['x-request-id'], 'RequestId is the X-Request-Id');
  assert.match(r.json.Response.RequestId, UUID);
}

function assertError(r, code, messageRe) {
  assert.equal(r.status, 200, 'API 3.0 errors are HTTP 200');
  assert.match(r.headers['content-type'], /^application\/json/);
  assert.ok(r.json && r.json.Response && r.json.Response.Error, r.body);
  assert.equal(r.json.Response.Error.Code, code, r.body);
  assert.equal(r.json.Response.RequestId, r.headers['x-request-id']);
  if (messageRe) assert.match(r.json.Response.Error.Message, messageRe);
}

// API 2.0's view of a tenant (the harness's v2 signer).
async function beFirst(daemon, tenant) {
  const r = await h.v2Get(daemon, h.signedParams(tenant, `127.0.0.1:${daemon.port}`, 'GetOutBandVPNAuthInfo'));
  assert.equal(r.json.code, 0, r.body);
  return r.json.data.authInfo.be_first;
}

describe('API 3.0 with tencentcloud-sdk-nodejs', () => {
  let d;
  let t;
  let nextApp = 1251002000;
  const faultFile = path.join(h.tempDir('fault'), 'fault');
  const tenant = () => h.ctl(d.dataDir, ['tenant', 'add', String(nextApp++)]);

  before(async () => {
    fs.writeFileSync(faultFile, 'none\n');
    // The rate limit has its own daemon below; here many calls come within a second.
    d = await h.startDaemon({ config: '[limits]\nv3_per_second = 1000\n', env: { OBVPN_TEST_FAULT_FILE: faultFile } });
    t = h.ctl(d.dataDir, ['tenant', 'add', '1251001002']);
  });
  after(async () => {
    const { code } = await d.stop();
    assert.equal(code, 0, 'obvpnd exits 0 on SIGTERM');
  });

  it('walks create → update with the SDK, and API 2.0 sees be_first=false', async () => {
    assert.equal(await beFirst(d, t), true);
    const client = sdkClient(d, t);
    const r = await client.SetOutBandVpnAuthPassword({ Password: 'tencentV%89', Operate: 'Create' });
    assert.match(r.RequestId, UUID);
    assert.deepEqual(Object.keys(r), ['RequestId']);
    assert.equal(await beFirst(d, t), false);
    const u = await client.SetOutBandVpnAuthPassword({ Password: 'Another#2024', Operate: 'Update' });
    assert.match(u.RequestId, UUID);
    const e = await sdkError(client.SetOutBandVpnAuthPassword({ Password: 'Another#2024', Operate: 'Create' }));
    assert.equal(e.code, 'FailedOperation');
    assert.match(e.message, /Operate=Update/);
    assert.match(e.requestId, UUID);
  });

  for (const signMethod of ['TC3-HMAC-SHA256', 'HmacSHA256', 'HmacSHA1']) {
    for (const reqMethod of ['GET', 'POST']) {
      it(`signs ${reqMethod} with ${signMethod}`, async () => {
        const k = tenant();
        const client = sdkClient(d, k, { signMethod, reqMethod });
        await client.SetOutBandVpnAuthPassword({ Password: 'abcd#1234', Operate: 'create' });
        assert.equal(await beFirst(d, k), false);
        const r = await client.SetOutBandVpnAuthPassword({ Password: 'wxyz(9876)', Operate: 'UPDATE' });
        assert.match(r.RequestId, UUID);
      });
    }
  }

  it('accepts the 2.0 region code as an alias', async () => {
    const k = tenant();
    await sdkClient(d, k, { region: 'gz' }).SetOutBandVpnAuthPassword({ Password: 'abcd1234', Operate: 'Create' });
    assert.equal(await beFirst(d, k), false);
  });

  it('FailedOperation: update before create, with its own message', async () => {
    const e = await sdkError(sdkClient(d, tenant()).SetOutBandVpnAuthPassword({ Password: 'abcd1234', Operate: 'Update' }));
    assert.equal(e.code, 'FailedOperation');
    assert.match(e.message, /Operate=Create/);
  });

  it('AuthFailure.SignatureFailure: a wrong SecretKey, for every sign method', async () => {
    for (const signMethod of ['TC3-HMAC-SHA256', 'HmacSHA256', 'HmacSHA1']) {
      const bad = { secretId: t.secretId, secretKey: 'x'.repeat(40) };
      const e = await sdkError(sdkClient(d, bad, { signMethod }).SetOutBandVpnAuthPassword({ Password: 'abcd1234', Operate: 'Update' }));
      assert.equal(e.code, 'AuthFailure.SignatureFailure', signMethod);
    }
  });

  it('AuthFailure.SecretIdNotFound: an unknown SecretId', async () => {
    const e = await sdkError(sdkClient(d, { secretId: `AKID${'z'.repeat(32)}`, secretKey: t.secretKey })
      .SetOutBandVpnAuthPassword({ Password: 'abcd1234', Operate: 'Update' }));
    assert.equal(e.code, 'AuthFailure.SecretIdNotFound');
  });

  it('AuthFailure.InvalidAuthorization: a credential scope that is not bm says so', async () => {
    // Endpoint 127.0.0.1:PORT makes the SDK sign for service "127" (PEERS.md).
    const e = await sdkError(sdkClient(d, t, { endpoint: `127.0.0.1:${d.port}` })
      .SetOutBandVpnAuthPassword({ Password: 'abcd1234', Operate: 'Update' }));
    assert.equal(e.code, 'AuthFailure.InvalidAuthorization');
    assert.match(e.message, /'127'.*bm/);
  });

  it('AuthFailure.TokenFailure: a temporary key needs its token (X-TC-Token and Token)', async () => {
    const k = h.ctl(d.dataDir, ['key', 'add', '1251001002', '--expires-in', '3600']);
    const key = { secretId: k.secretId, secretKey: k.secretKey };
    // X-TC-Token is not signed: each call sets another password, so none is a replay.
    let e = await sdkError(sdkClient(d, key).SetOutBandVpnAuthPassword({ Password: 'abcd1231', Operate: 'Update' }));
    assert.equal(e.code, 'AuthFailure.TokenFailure');
    assert.match(e.message, /X-TC-Token/);
    e = await sdkError(sdkClient(d, key, { token: 'wrong' }).SetOutBandVpnAuthPassword({ Password: 'abcd1232', Operate: 'Update' }));
    assert.equal(e.code, 'AuthFailure.TokenFailure');
    await sdkClient(d, key, { token: k.token }).SetOutBandVpnAuthPassword({ Password: 'abcd1233', Operate: 'Update' });
    await sdkClient(d, key, { token: k.token, signMethod: 'HmacSHA1' })
      .SetOutBandVpnAuthPassword({ Password: 'abcd1234', Operate: 'Update' });
    e = await sdkError(sdkClient(d, key, { signMethod: 'HmacSHA256' }).SetOutBandVpnAuthPassword({ Password: 'abcd1235', Operate: 'Update' }));
    assert.equal(e.code, 'AuthFailure.TokenFailure');
  });

  it('UnauthorizedOperation: a key outside its allow-list', async () => {
    const k = h.ctl(d.dataDir, ['key', 'add', '1251001002', '--actions', 'GetOutBandVPNAuthInfo']);
    const e = await sdkError(sdkClient(d, k).SetOutBandVpnAuthPassword({ Password: 'abcd1234', Operate: 'Update' }));
    assert.equal(e.code, 'UnauthorizedOperation');
    assert.match(e.message, /SetOutBandVpnAuthPassword/);
  });

  it('UnsupportedRegion: a region without zones', async () => {
    const e = await sdkError(sdkClient(d, t, { region: 'ap-beijing' }).SetOutBandVpnAuthPassword({ Password: 'abcd1234', Operate: 'Update' }));
    assert.equal(e.code, 'UnsupportedRegion');
  });

  it('MissingParameter, UnknownParameter and InvalidParameter from SDK calls', async () => {
    const c = sdkClient(d, t);
    let e = await sdkError(c.SetOutBandVpnAuthPassword({ Operate: 'Update' }));
    assert.equal(e.code, 'MissingParameter');
    assert.match(e.message, /'Password'/);
    e = await sdkError(c.SetOutBandVpnAuthPassword({ Password: 'abcd1234' }));
    assert.equal(e.code, 'MissingParameter');
    assert.match(e.message, /'Operate'/);
    e = await sdkError(c.SetOutBandVpnAuthPassword({ Password: 'abcd1234', Operate: 'Update', Zone: 'x' }));
    assert.equal(e.code, 'UnknownParameter');
    assert.match(e.message, /'Zone'/);
    e = await sdkError(sdkClient(d, t, { signMethod: 'HmacSHA1' })
      .SetOutBandVpnAuthPassword({ Password: 'abcd1234', Operate: 'Update', createOrUpdate: 'update' }));
    assert.equal(e.code, 'UnknownParameter');
    e = await sdkError(c.SetOutBandVpnAuthPassword({ Password: 'abcd1234', Operate: 'Upsert' }));
    assert.equal(e.code, 'InvalidParameter');
    assert.match(e.message, /Operate/);
    e = await sdkError(c.SetOutBandVpnAuthPassword({ Password: 12345678, Operate: 'Update' }));
    assert.equal(e.code, 'InvalidParameter');
    assert.match(e.message, /string/);
    for (const [pw, rule] of [['short1', /8 to 16/], ['abcdefghij', /two of/], ['abc 12345', /only/]]) {
      e = await sdkError(c.SetOutBandVpnAuthPassword({ Password: pw, Operate: 'Update' }));
      assert.equal(e.code, 'InvalidParameter', pw);
      assert.match(e.message, rule);
      assert.ok(!e.message.includes(pw), 'the password never appears in a response');
    }
  });

  it('InternalError: the store fails to write, then service resumes', async () => {
    const k = tenant();
    const c = sdkClient(d, k);
    fs.writeFileSync(faultFile, 'write\n');
    try {
      const e = await sdkError(c.SetOutBandVpnAuthPassword({ Password: 'abcd1234', Operate: 'Create' }));
      assert.equal(e.code, 'InternalError');
    } finally { fs.writeFileSync(faultFile, 'none\n'); }
    await c.SetOutBandVpnAuthPassword({ Password: 'abcd1235', Operate: 'Create' });
  });

  // --- raw HTTP, independent signer ---

  it('raw TC3 POST signed with the Host port, and TC3 GET with query parameters', async () => {
    const k = tenant();
    assertOk(await tc3(d, k));
    assertOk(await tc3(d, k, { method: 'GET', query: 'Operate=Update&Password=wxyz%239876' }));
    // Signed without the port, as the Node SDK does, with the raw client too.
    assertOk(await tc3(d, k, { body: '{"Operate":"Update","Password":"wxyz9876"}', signedHost: '127.0.0.1' }));
  });

  it('AuthFailure.InvalidAuthorization: missing or malformed Authorization', async () => {
    assertError(await tc3(d, t, { authorization: null }), 'AuthFailure.InvalidAuthorization', /Authorization/);
    assertError(await tc3(d, t, { authorization: 'TC3-HMAC-SHA256 Credential=x' }), 'AuthFailure.InvalidAuthorization', /malformed/);
    assertError(await tc3(d, t, { authorization: 'Bearer abc' }), 'AuthFailure.InvalidAuthorization', /TC3-HMAC-SHA256/);
  });

  it('AuthFailure.InvalidAuthorization: a scope date that is not the timestamp\'s UTC date', async () => {
    assertError(await tc3(d, t, { date: '2001-01-01' }), 'AuthFailure.InvalidAuthorization', /UTC date/);
  });

  it('AuthFailure.SignatureFailure: a host signed with another port', async () => {
    assertError(await tc3(d, t, { signedHost: '127.0.0.1:1' }), 'AuthFailure.SignatureFailure', /signature/);
  });

  it('AuthFailure.SignatureExpire: timestamps outside the window (TC3 and v1)', async () => {
    assertError(await tc3(d, t, { timestamp: now() - 400 }), 'AuthFailure.SignatureExpire', /X-TC-Timestamp/);
    assertError(await tc3(d, t, { timestamp: now() + 400 }), 'AuthFailure.SignatureExpire');
    assertError(await v1(d, t, { Timestamp: now() - 400 }), 'AuthFailure.SignatureExpire', /Timestamp/);
  });

  it('replays: TC3 (also with other unsigned headers) and v1', async () => {
    const k = tenant();
    const ts = now();
    const body = '{"Password":"abcd1234","Operate":"Create"}';
    assertOk(await tc3(d, k, { timestamp: ts, body }));
    assertError(await tc3(d, k, { timestamp: ts, body }), 'AuthFailure.InvalidAuthorization', /replay/);
    assertError(await tc3(d, k, { timestamp: ts, body, action: 'Other', region: 'gz' }), 'AuthFailure.InvalidAuthorization', /replay/);
    // A failed request cannot be re-sent with corrected unsigned headers.
    const upd = '{"Password":"abcd1234","Operate":"Update"}';
    assertError(await tc3(d, k, { timestamp: ts, body: upd, version: '2017-03-12' }), 'NoSuchVersion');
    assertError(await tc3(d, k, { timestamp: ts, body: upd }), 'AuthFailure.InvalidAuthorization', /replay/);
    // v1: the same request twice; a shared Nonce alone is not a replay.
    const n = 4242;
    const form = v1Form(d, k, { Operate: 'Update', Timestamp: ts }, { nonce: n });
    assertOk(await h.rawRequest({ host: '127.0.0.1', port: d.port, path: `/?${form}` }));
    assertError(await h.rawRequest({ host: '127.0.0.1', port: d.port, path: `/?${form}` }),
      'AuthFailure.InvalidAuthorization', /replay/);
    assertOk(await v1(d, k, { Operate: 'update', Timestamp: ts }, { nonce: n }));
  });

  it('NoSuchVersion, InvalidAction and MissingParameter for the X-TC-* headers', async () => {
    assertError(await tc3(d, t, { version: '2017-03-12' }), 'NoSuchVersion', /2018-04-23/);
    assertError(await tc3(d, t, { action: 'DescribeDevices' }), 'InvalidAction', /SetOutBandVpnAuthPassword/);
    assertError(await tc3(d, t, { region: null }), 'MissingParameter', /X-TC-Region/);
    assertError(await tc3(d, t, { action: null }), 'MissingParameter', /X-TC-Action/);
    assertError(await tc3(d, t, { region: 'xx' }), 'UnsupportedRegion');
  });

  it('InvalidParameter: malformed JSON, a duplicate member, a JSON array', async () => {
    assertError(await tc3(d, t, { body: '{"Password":"abcd1234",' }), 'InvalidParameter', /JSON/);
    assertError(await tc3(d, t, { body: '{"Password":"abcd1234","Password":"x","Operate":"Update"}' }), 'InvalidParameter', /more than once/);
    assertError(await tc3(d, t, { body: '[]' }), 'InvalidParameter', /object/);
  });

  it('v1 rows: missing Version, unknown parameter, unknown Action, bad SignatureMethod', async () => {
    assertError(await v1(d, t, {}, { drop: ['Version'] }), 'MissingParameter', /'Version'/);
    assertError(await v1(d, t, { Version: '2017-03-12' }), 'NoSuchVersion');
    assertError(await v1(d, t, { zoneId: '1000100003' }), 'UnknownParameter', /'zoneId'/);
    assertError(await v1(d, t, { Action: 'SetOutBandVPNAuthPwd' }), 'InvalidAction');
    assertError(await v1(d, t, {}, { drop: ['Signature'] }), 'AuthFailure.InvalidAuthorization', /Signature/);
    assertError(await v1(d, t, { SignatureMethod: 'HmacMD5' }), 'InvalidParameter', /SignatureMethod/);
    assertError(await v1(d, t, { Region: 'xx' }, { method: 'POST', sigMethod: 'sha256' }), 'UnsupportedRegion');
  });

  it('RequestSizeLimitExceeded: a body over api.max_json_body_bytes, and the server keeps serving', async () => {
    const r = await oversized(d, 1024 * 1024 + 1);
    assertError(r, 'RequestSizeLimitExceeded', /larger than 1048576/);
    assertOk(await tc3(d, tenant()));
  });

  // --- obvpnctl call --api 3 ---

  it('obvpnctl call --api 3 with each sign method', () => {
    const k = tenant();
    const env = { ...process.env, TENCENTCLOUD_SECRET_ID: k.secretId, TENCENTCLOUD_SECRET_KEY: k.secretKey };
    const call = (...args) => {
      const r = spawnSync(h.OBVPNCTL, ['call', '--endpoint', `http://${d.api}`, '--api', '3', ...args], { env, encoding: 'utf8' });
      return { rc: r.status, json: r.stdout ? JSON.parse(r.stdout) : undefined, stderr: r.stderr };
    };
    let r = call(ACTION, 'Password=abcd1234', 'Operate=Create');  // default TC3-HMAC-SHA256, POST
    assert.equal(r.rc, 0, r.stderr + JSON.stringify(r.json));
    assert.match(r.json.Response.RequestId, UUID);
    r = call('--sign', 'TC3-HMAC-SHA256', '--method', 'GET', ACTION, 'Password=wxyz#9876', 'Operate=Update');
    assert.equal(r.rc, 0, JSON.stringify(r.json));
    r = call('--sign', 'HmacSHA256', '--region', 'gz', ACTION, 'Password=abcd1234', 'Operate=Update');
    assert.equal(r.rc, 0, JSON.stringify(r.json));
    r = call('--sign', 'HmacSHA1', '--method', 'GET', ACTION, 'Password=abcd1234', 'Operate=Update');
    assert.equal(r.rc, 0, JSON.stringify(r.json));
    r = call('--sign', 'HmacSHA1', ACTION, 'Password=abcd1234', 'Operate=Create');
    assert.equal(r.rc, 3, 'an API error exits 3');
    assert.equal(r.json.Response.Error.Code, 'FailedOperation');
  });

  it('obvpnctl call --api 3 sends TENCENTCLOUD_SESSION_TOKEN', () => {
    const k = h.ctl(d.dataDir, ['key', 'add', '1251001002', '--expires-in', '3600']);
    const env = { ...process.env, TENCENTCLOUD_SECRET_ID: k.secretId, TENCENTCLOUD_SECRET_KEY: k.secretKey };
    for (const sign of ['TC3-HMAC-SHA256', 'HmacSHA1']) {
      const args = (pw) => ['call', '--endpoint', `http://${d.api}`, '--api', '3', '--sign', sign, ACTION, `Password=${pw}`, 'Operate=Update'];
      let r = spawnSync(h.OBVPNCTL, args('abcd1234'), { env, encoding: 'utf8' });
      assert.equal(r.status, 3);
      assert.equal(JSON.parse(r.stdout).Response.Error.Code, 'AuthFailure.TokenFailure');
      r = spawnSync(h.OBVPNCTL, args('abcd1235'), { env: { ...env, TENCENTCLOUD_SESSION_TOKEN: k.token }, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stdout + r.stderr);
    }
  });
});

// POST "/" announcing `length` bytes with Expect: 100-continue: obvpnd answers from the
// headers alone, so no body is ever sent and the reply cannot race a connection reset.
function oversized(daemon, length) {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1', port: daemon.port, method: 'POST', path: '/',
      headers: { 'Content-Type': 'application/json', 'Content-Length': length, Expect: '100-continue' },
    }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { data += c; });
      res.on('end', () => {
        let json;
        try { json = JSON.parse(data); } catch { json = undefined; }
        resolve({ status: res.statusCode, headers: res.headers, body: data, json });
        req.destroy();
      });
    });
    req.on('continue', () => reject(new Error('obvpnd asked for the oversized body')));
    req.on('error', reject);
    req.flushHeaders();
  });
}

describe('API 3.0 rows that need their own daemon', () => {
  it('RequestLimitExceeded: more than 5 per second per appId; other tenants unaffected', async () => {
    const d = await h.startDaemon();
    try {
      const t = h.ctl(d.dataDir, ['tenant', 'add', '1251001002']);
      const c = sdkClient(d, t);
      // 11 cheap requests (InvalidParameter, counted but never hashed) within far less than
      // two one-second windows: whatever the window boundary, one window holds 6 or more.
      const results = await Promise.all(Array.from({ length: 11 }, (_, i) =>
        sdkError(c.SetOutBandVpnAuthPassword({ Password: 'abcd1234', Operate: `Bad${i}` }))));
      const codes = results.map((e) => e.code);
      assert.ok(codes.includes('RequestLimitExceeded'), codes.join(','));
      assert.ok(codes.every((x) => x === 'RequestLimitExceeded' || x === 'InvalidParameter'), codes.join(','));
      const limited = results.find((e) => e.code === 'RequestLimitExceeded');
      assert.match(limited.message, /5 .*per second/);
      const t2 = h.ctl(d.dataDir, ['tenant', 'add', '1251001005']);
      await sdkClient(d, t2).SetOutBandVpnAuthPassword({ Password: 'abcd1234', Operate: 'Create' });
    } finally { await d.stop(); }
  });

  it('UnsupportedProtocol: plain HTTP while require_tls is on; HTTPS works', async () => {
    const dir = h.tempDir('tls3');
    const { cert, key } = h.makeCert(dir);
    const d = await h.startDaemon({ config: `[api]\ntls_cert = "${cert}"\ntls_key = "${key}"\nrequire_tls = true\n` });
    try {
      const t = h.ctl(d.dataDir, ['tenant', 'add', '1251001002']);
      const e = await sdkError(sdkClient(d, t).SetOutBandVpnAuthPassword({ Password: 'abcd1234', Operate: 'Create' }));
      assert.equal(e.code, 'UnsupportedProtocol');
      const r = await sdkClient(d, t, { tls: true }).SetOutBandVpnAuthPassword({ Password: 'abcd1234', Operate: 'Create' });
      assert.match(r.RequestId, UUID);
    } finally { await d.stop(); }
  });
});

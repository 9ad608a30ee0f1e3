// Writes the seed corpus of http_request_fuzzer: raw HTTP requests signed with the fuzz
// tenant's key (see http_request_fuzzer.cc) at its fixed clock, one file each, so the
// fuzzer starts from requests that reach the actions. Run: node fuzz/make_http_seeds.js
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const out = path.join(__dirname, '../tests/testdata/fuzz/http_request');
const secretId = 'AKIDfuzz0000000000000000000000000000';
const key = 'fuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzz';
const host = '127.0.0.1:8080';
const ts = 1700000000;

function v2(params, method, sig = 'sha1') {
  const p = { Region: 'gz', Timestamp: ts, Nonce: 7, SecretId: secretId, ...params };
  if (sig === 'sha256') p.SignatureMethod = 'HmacSHA256';
  const q = Object.keys(p).sort().map((k) => `${k.replace(/_/g, '.')}=${p[k]}`).join('&');
  p.Signature = crypto.createHmac(sig, key).update(`${method}${host}/v2/index.php?${q}`).digest('base64');
  return Object.entries(p).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');
}

function tc3(body) {
  const date = new Date(ts * 1000).toISOString().slice(0, 10);
  const ct = 'application/json';
  const canonical = `POST\n/\n\ncontent-type:${ct}\nhost:${host}\n\ncontent-type;host\n${crypto.createHash('sha256').update(body).digest('hex')}`;
  const scope = `${date}/bm/tc3_request`;
  const sts = `TC3-HMAC-SHA256\n${ts}\n${scope}\n${crypto.createHash('sha256').update(canonical).digest('hex')}`;
  const h = (k, m) => crypto.createHmac('sha256', k).update(m).digest();
  const signing = h(h(h(`TC3${key}`, date), 'bm'), 'tc3_request');
  const sig = crypto.createHmac('sha256', signing).update(sts).digest('hex');
  return `POST / HTTP/1.1\r\nHost: ${host}\r\nContent-Type: ${ct}\r\nX-TC-Action: SetOutBandVpnAuthPassword\r\n` +
    `X-TC-Version: 2018-04-23\r\nX-TC-Timestamp: ${ts}\r\nX-TC-Region: ap-guangzhou\r\n` +
    `Authorization: TC3-HMAC-SHA256 Credential=${secretId}/${scope}, SignedHeaders=content-type;host, Signature=${sig}\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

const seeds = {
  'v2_get.http': `GET /v2/index.php?${v2({ Action: 'GetOutBandVPNAuthInfo' }, 'GET')} HTTP/1.1\r\nHost: ${host}\r\n\r\n`,
  'v2_get_sha256_zone.http': `GET /v2/index.php?${v2({ Action: 'GetOutBandVPNAuthInfo', zoneId: 1000100003 }, 'GET', 'sha256')} HTTP/1.1\r\nHost: ${host}\r\n\r\n`,
  'v2_post_create.http': (() => {
    const b = v2({ Action: 'SetOutBandVPNAuthPwd', password: 'abcd1234', createOrUpdate: 'create' }, 'POST');
    return `POST /v2/index.php HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${b.length}\r\n\r\n${b}`;
  })(),
  'v2_post_update.http': (() => {
    const b = v2({ Action: 'SetOutBandVPNAuthPwd', password: 'wxyz#9876', createOrUpdate: 'update' }, 'POST');
    return `POST /v2/index.php HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${b.length}\r\n\r\n${b}`;
  })(),
  'v3_tc3_create.http': tc3(JSON.stringify({ Password: 'abcd1234', Operate: 'Create' })),
  'v3_tc3_update.http': tc3(JSON.stringify({ Password: 'Ab12!#$%', Operate: 'Update' })),
  'bad_escape.http': `GET /v2/index.php?a=%zz&a=1 HTTP/1.1\r\nHost: ${host}\r\n\r\n`,
  'chunked.http': `POST /v2/index.php HTTP/1.1\r\nHost: ${host}\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nAct=x\r\n0\r\n\r\n`,
  'unknown_path.http': `GET /nope HTTP/1.0\r\n\r\n`,
};
for (const [name, text] of Object.entries(seeds)) fs.writeFileSync(path.join(out, name), text);

const t = path.join(__dirname, '../tests/testdata/fuzz/tc3_authorization');
fs.writeFileSync(path.join(t, 'sdk.txt'), `TC3-HMAC-SHA256 Credential=${secretId}/2023-11-14/bm/tc3_request, SignedHeaders=content-type;host, Signature=${'a'.repeat(64)}\n{"Password":"abcd1234","Operate":"Create"}`);
fs.writeFileSync(path.join(t, 'nospace.txt'), `TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request,SignedHeaders=content-type;host;x-tc-action,Signature=${'0'.repeat(64)}\n{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}`);
fs.writeFileSync(path.join(t, 'bad.txt'), 'TC3-HMAC-SHA256 Credential=a/b/c, Signature=zz\n{"a":');
console.log('seeds written');

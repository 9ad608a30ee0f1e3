// No password, SecretKey or Signature ever reaches a log, a response or the database in
// plaintext (SPEC §3.6, DEVELOPERS.md "Bad input"). Drives every code path that handles
// one — success, rule failures, bad signatures, replays, store faults — then searches
// everything obvpnd wrote.
'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./harness');

const SET = 'SetOutBandVPNAuthPwd';
const GET = 'GetOutBandVPNAuthInfo';

function filesUnder(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

describe('secrets hygiene', () => {
  it('finds no secret in logs, responses or the data directory', async () => {
    const faultFile = path.join(h.tempDir('fault'), 'fault');
    const d = await h.startDaemon({ env: { OBVPN_TEST_FAULT_FILE: faultFile } });
    const responses = [];
    const secrets = [];
    const send = async (params, post = false) => {
      const r = post ? await h.v2Post(d, params) : await h.v2Get(d, params);
      responses.push(r.body, JSON.stringify(r.headers));
      secrets.push(String(params.Signature));
      return r;
    };
    try {
      const t = h.ctl(d.dataDir, ['tenant', 'add', '1251001002']);
      const tmp = h.ctl(d.dataDir, ['key', 'add', '1251001002', '--expires-in', '600']);
      secrets.push(t.secretKey, tmp.secretKey, tmp.token);
      const host = `127.0.0.1:${d.port}`;
      const good = ['Qz7#kLm2pX', 'Vv9$Rr8^Tt', 'Pp3(Ww4)Yy', 'tencentV%89'];
      const bad = ['Short1#', 'OnlyLettersHere', 'has space 123', 'ÄÖÜ12345abc', 'Waytoolong1234567#'];
      secrets.push(...good, ...bad);

      assert.equal((await send(h.signedParams(t, host, SET, { password: good[0], createOrUpdate: 'create' }))).json.code, 0);
      assert.equal((await send(h.signedParams(t, host, SET, { password: good[1], createOrUpdate: 'update' }, { method: 'POST', sigMethod: 'sha256' }), true)).json.code, 0);
      assert.equal((await send(h.signedParams(t, host, SET, { password: good[2], createOrUpdate: 'create' }))).json.code, 10101);
      for (const pw of bad) {
        assert.equal((await send(h.signedParams(t, host, SET, { password: pw, createOrUpdate: 'update' }))).json.code, 4000);
      }
      // Wrong key: the signature fails; the password in it must not be logged either.
      const wrong = { secretId: t.secretId, secretKey: 'W'.repeat(40) };
      assert.equal((await send(h.signedParams(wrong, host, SET, { password: good[3], createOrUpdate: 'update' }))).json.code, 4100);
      // Replay.
      const p = h.signedParams(t, host, SET, { password: good[3], createOrUpdate: 'update' });
      assert.equal((await send(p)).json.code, 0);
      assert.equal((await send(p)).json.code, 4500);
      // Temporary key with its token.
      const tk = { secretId: tmp.secretId, secretKey: tmp.secretKey };
      assert.equal((await send(h.signedParams(tk, host, GET, { Token: tmp.token }))).json.code, 0);
      // A store write fault.
      fs.writeFileSync(faultFile, 'write');
      assert.equal((await send(h.signedParams(t, host, SET, { password: good[0], createOrUpdate: 'update' }))).json.code, 10100);
      fs.writeFileSync(faultFile, 'none');
      // obvpnctl output that shows data.
      responses.push(h.ctl(d.dataDir, ['account', 'show', '1251001002', '--json'], { json: false }));
      responses.push(h.ctl(d.dataDir, ['key', 'list', '1251001002', '--json'], { json: false }));
      responses.push(h.ctl(d.dataDir, ['audit', '--json'], { json: false }));
    } finally {
      await d.stop();
    }
    const haystacks = [
      ['obvpnd stderr (logs)', d.log()],
      ['obvpnd stdout', d.stdout()],
      ['responses', responses.join('\n')],
    ];
    for (const f of filesUnder(d.dataDir)) {
      haystacks.push([`data file ${path.basename(f)}`, fs.readFileSync(f).toString('latin1')]);
    }
    assert.ok(d.log().includes('"event":"request"'), 'the log has request lines to search');
    for (const s of secrets) {
      assert.ok(s && s.length >= 6, 'every secret searched for is non-trivial');
      const variants = new Set([s, encodeURIComponent(s), Buffer.from(s, 'utf8').toString('latin1')]);
      for (const [where, text] of haystacks) {
        for (const v of variants) {
          assert.ok(!text.includes(v), `a secret (${s.length} chars) appears in ${where}`);
        }
      }
    }
  });
});

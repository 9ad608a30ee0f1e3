// Test harness: starts the real obvpnd on free ports (port 0) in a fresh data directory,
// runs obvpnctl against the same directory, signs raw API 2.0 requests, and stops every
// process it started by PID.
'use strict';

const { spawn, execFileSync, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const https = require('node:https');
const os = require('node:os');
const path = require('node:path');

const OBVPND = process.env.OBVPND || path.resolve(__dirname, '../../build/ci/src/daemon/obvpnd');
const OBVPNCTL = process.env.OBVPNCTL || path.resolve(__dirname, '../../build/ci/src/cli/obvpnctl');

// Tests talk to loopback only; a proxy from the environment must not intercept them.
for (const v of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY']) delete process.env[v];

// Every temporary directory (and the config file startDaemon writes beside a data dir)
// is removed when the test file's process ends; OBVPN_TEST_KEEP_TMP=1 keeps them for a
// post-mortem.
const madeDirs = [];
process.on('exit', () => {
  if (process.env.OBVPN_TEST_KEEP_TMP) return;
  for (const dir of madeDirs) {
    try {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(`${dir}.toml`, { force: true });
    } catch {
      // best effort: a leftover temporary directory is not a test failure
    }
  }
});

function tempDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `obvpn-${prefix}-`));
  madeDirs.push(dir);
  return dir;
}

// Starts obvpnd. Resolves once every listener line is printed.
// Returns {proc, api, admin, radius, radiusAcct, dataDir, log(), stop()}.
// `radiusListen` replaces the RADIUS authentication address (default port 0; accounting
// then gets its own free port). `netns` runs obvpnd inside that network namespace
// (`ip netns exec` execs, so the PID is obvpnd's own).
async function startDaemon({ dataDir, config, args = [], env = {}, radiusListen = '127.0.0.1:0', netns } = {}) {
  dataDir = dataDir || tempDir('data');
  const argv = ['--data-dir', dataDir, '--api-listen', '127.0.0.1:0', '--admin-listen', '127.0.0.1:0',
    '--radius-listen', radiusListen];
  if (config) {
    const file = path.join(dataDir, '..', `${path.basename(dataDir)}.toml`);
    fs.writeFileSync(file, config);
    argv.unshift('--config', file);
  }
  argv.push(...args);
  const [cmd, cmdArgs] = netns ? ['ip', ['netns', 'exec', netns, OBVPND, ...argv]] : [OBVPND, argv];
  const proc = spawn(cmd, cmdArgs, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`obvpnd did not start:\n${stderr}`)), 15000);
    proc.stdout.on('data', (d) => {
      stdout += d;
      const api = /obvpnd: api listening on (\S+)/.exec(stdout);
      const admin = /obvpnd: admin listening on (\S+)/.exec(stdout);
      // The RADIUS lines are printed before the api line (SPEC §8).
      const radius = /obvpnd: radius listening on (\S+)/.exec(stdout);
      const radiusAcct = /obvpnd: radius-acct listening on (\S+)/.exec(stdout);
      if (api && admin) {
        clearTimeout(timer);
        resolve({ api: api[1], admin: admin[1], radius: radius && radius[1], radiusAcct: radiusAcct && radiusAcct[1] });
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`obvpnd exited with ${code}:\n${stderr}`));
    });
  });
  const { api, admin, radius, radiusAcct } = await ready;
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    proc,
    api,
    admin,
    dataDir,
    port: Number(api.split(':').pop()),
    radius, // "127.0.0.1:PORT" of RADIUS authentication
    radiusAcct, // "127.0.0.1:PORT" of RADIUS accounting
    radiusPort: radius ? Number(radius.split(':').pop()) : undefined,
    radiusAcctPort: radiusAcct ? Number(radiusAcct.split(':').pop()) : undefined,
    log: () => stderr,
    stdout: () => stdout,
    exited,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      return exited;
    },
  };
}

// Runs obvpnctl with the given data dir; returns parsed JSON stdout when asked.
function ctl(dataDir, args, { json = true, env = {}, allowFail = false } = {}) {
  const r = spawnSync(OBVPNCTL, ['--data-dir', dataDir, ...args], {
    env: { ...process.env, ...env }, encoding: 'utf8',
  });
  if (r.status !== 0 && !allowFail) {
    throw new Error(`obvpnctl ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  }
  if (allowFail) return r;
  return json ? JSON.parse(r.stdout) : r.stdout;
}

// API 2.0 signature (SPEC §3.2), written independently of the server's code.
function signV2(params, { method = 'GET', host, path: p = '/v2/index.php', key, sigMethod = 'sha1' }) {
  const keys = Object.keys(params).filter((k) => k !== 'Signature');
  const entries = keys.map((k) => [k.replace(/_/g, '.'), String(params[k])]);
  entries.sort((a, b) => (Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0]))));
  const query = entries.map(([k, v]) => `${k}=${v}`).join('&');
  const str = `${method}${host}${p}?${query}`;
  return crypto.createHmac(sigMethod, key).update(str, 'utf8').digest('base64');
}

function encodeForm(params) {
  return Object.entries(params).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');
}

// Builds a fully signed parameter set for an action.
function signedParams(tenant, host, action, extra = {}, { method = 'GET', sigMethod = 'sha1', timestamp, nonce } = {}) {
  const params = {
    Action: action,
    Region: 'gz',
    Timestamp: timestamp ?? Math.floor(Date.now() / 1000),
    Nonce: nonce ?? crypto.randomInt(0, 2 ** 31),
    SecretId: tenant.secretId,
    ...(sigMethod === 'sha256' ? { SignatureMethod: 'HmacSHA256' } : {}),
    ...extra,
  };
  params.Signature = signV2(params, { method, host, key: tenant.secretKey, sigMethod });
  return params;
}

// A raw HTTP request; resolves {status, headers, body, json}.
function rawRequest({ host, port, method = 'GET', path: p = '/', headers = {}, body, tls = false, agent }) {
  return new Promise((resolve, reject) => {
    const mod = tls ? https : http;
    const req = mod.request({ host, port, method, path: p, headers, agent, rejectUnauthorized: false }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { data += d; });
      res.on('end', () => {
        let json;
        try { json = JSON.parse(data); } catch { json = undefined; }
        resolve({ status: res.statusCode, headers: res.headers, body: data, json });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

// GET /v2/index.php with the given (already signed) params.
function v2Get(daemon, params, opts = {}) {
  return rawRequest({ host: '127.0.0.1', port: daemon.port, path: `/v2/index.php?${encodeForm(params)}`, ...opts });
}

function v2Post(daemon, params, opts = {}) {
  const body = encodeForm(params);
  return rawRequest({
    host: '127.0.0.1', port: daemon.port, method: 'POST', path: '/v2/index.php', body,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) },
    ...opts,
  });
}

// A self-signed certificate for 127.0.0.1, generated with the openssl CLI at test time.
function makeCert(dir) {
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  return { cert, key };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Polls fn() (sync or async) until it returns a truthy value; throws after timeoutMs.
async function waitFor(fn, { timeoutMs = 10000, intervalMs = 100, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(intervalMs);
  }
}

// Sets a tenant's VPN password through the signed API 2.0 (SetOutBandVPNAuthPwd).
async function setPassword(daemon, tenant, password, createOrUpdate = 'create') {
  const host = `127.0.0.1:${daemon.port}`;
  const r = await v2Get(daemon, signedParams(tenant, host, 'SetOutBandVPNAuthPwd', { password, createOrUpdate }));
  if (!r.json || r.json.code !== 0) throw new Error(`SetOutBandVPNAuthPwd failed: ${r.body}`);
  return r.json;
}

// Adds a RADIUS client through obvpnctl with the secret in a mode-600 file.
function addRadiusClient(dataDir, name, address, secret, requireMa) {
  const file = path.join(tempDir('secret'), 'secret');
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  const args = ['radius-client', 'add', name, '--address', address, '--secret-file', file];
  if (requireMa) args.push('--require-message-authenticator', requireMa);
  return ctl(dataDir, [...args, '--json']);
}

module.exports = {
  OBVPND, OBVPNCTL, tempDir, startDaemon, ctl, signV2, encodeForm, signedParams, rawRequest,
  v2Get, v2Post, makeCert, sleep, waitFor, setPassword, addRadiusClient,
};

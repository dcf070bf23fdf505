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
import { check, eq, done, tmpDir, startServer, cli, request } from '../server/lib.mjs';
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
// The same without blocking this process (the ceremony: each waits for
// the other; the proxy below runs in this process).
function toolAsync(args, pass) {
  return new Promise((resolve) => {
    const c = spawn(TOOL, [...args, '--passphrase-fd', '0'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = ''; let stdout = '';
    c.stdout.on('data', (d) => { out += d; stdout += d; });
    c.stderr.on('data', (d) => { out += d; });
    c.on('close', (status) => resolve({ status, out, stdout }));
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

  // --- members vote; the question closes ---
  eq((await api(srv, 'POST', `${base}/start`, {}, m.modToken)).json.status, 'live', 'start');
  for (let i = 0; i < 6; i++) eq((await api(srv, 'POST', `${base}/attendance`, attend(m, m.voters[i], 'check-in', 'present'))).status, 200, `check-in ${i}`);
  const view = (await api(srv, 'GET', base)).json;
  const q1 = view.questions.find((q) => q.id === 'q1'); const e1 = view.questions.find((q) => q.id === 'e1');
  const cerKeys = { eid: Buffer.from(cer.eid, 'hex'), y: Buffer.from(cer.y, 'hex'), meeting: m.id };
  const vote = async (q, qid, picks) => {
    eq((await api(srv, 'POST', `${base}/questions/${qid}/open`, {}, m.modToken)).json.status, 'open', `open ${qid}`);
    for (const [k, c] of picks.entries()) {
      const sel = new Array(q.n).fill(0); sel[c] = 1;
      eq((await api(srv, 'POST', `${base}/ballots`, secretBallot(cerKeys, q, qid, m.voters[k], sel))).status, 200, `${qid} ballot ${k}`);
    }
    eq((await api(srv, 'POST', `${base}/questions/${qid}/close`, {}, m.modToken)).json.status, 'closed', `close ${qid}`);
  };
  await vote(q1, 'q1', [0, 0, 1, 0, 2]);

  // --- a proxy between the tool and the appliance, with the appliance's
  // own certificate (so the pin matches), serving forged boxes ---
  let forge = null; const posted = [];
  const proxy = https.createServer({ key: fs.readFileSync(path.join(data, 'tls-key.pem')), cert: srv.ca }, (req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      if (req.method === 'POST') posted.push(req.url);
      const body = Buffer.concat(chunks);
      const r = await request(srv, req.method, req.url, body.length ? { body, headers: { 'content-type': 'application/json' } } : {});
      let text = r.text;
      if (forge && req.method === 'GET' && /\/ballots$/.test(req.url)) { const b = JSON.parse(text); forge(b); text = JSON.stringify(b); }
      res.writeHead(r.status, { 'content-type': r.headers['content-type'] || 'application/json' });
      res.end(text);
    });
  });
  await new Promise((ok) => proxy.listen(0, '127.0.0.1', ok));
  const viaProxy = ['--meeting-url', url(proxy.address().port)];
  // Each forgery, and the reason the tool must give for refusing it.
  const forgeries = [
    ['a box minus one ballot', /ne sont pas la somme des bulletins/, (b) => { b.ballots.pop(); b.count--; }],
    ['an empty box with the totals', /urne vide/, (b) => { b.ballots = []; b.count = 0; }],
    ['a box without its closing line', /ligne de clôture/, (b) => { delete b.closed; }],
    ['a closing line rewritten (counted − 1, one ballot less)', /ligne de clôture/, (b) => {
      b.ballots.pop(); b.count--;
      const ev = JSON.parse(b.closed.line); ev.payload.counted--; b.closed.line = JSON.stringify(ev);
    }],
    ['a ballot altered', /bulletin de l'urne ne vérifie pas/, (b) => { const x = b.ballots[0]; x.sig = x.sig.replace(/^../, x.sig.startsWith('00') ? '11' : '00'); }],
  ];
  for (const [what, why, f] of forgeries) {
    forge = f;
    r = await toolAsync(['release', '--vault', vault(1), '--question', 'q1', ...viaProxy], PASS[0]);
    eq(r.status, 1, `${what}: refused (${r.out})`);
    check(why.test(r.out) && /rien n'a été envoyé/.test(r.out), `${what}: refused for its reason, nothing sent: ${r.out}`);
    eq(posted.length, 0, `${what}: nothing posted`);
  }
  forge = null;
  r = tool(['release', '--vault', vault(1), '--question', 'q1', '--pin', '00'.repeat(32)], PASS[0]);
  eq(r.status, 1, 'a pin given on the command line that does not match: refused');
  check(/TLS/.test(r.out), `refused at the handshake: ${r.out}`);

  // --- both release; the result is computed ---
  r = await toolAsync(['release', '--vault', vault(1), '--question', 'q1', ...viaProxy], PASS[0]);
  eq(r.status, 0, `scrutineer 1 releases through the honest proxy: ${r.out}`);
  eq(posted, [`${base}/questions/q1/shares`], 'one post: the shares');
  const box = (await api(srv, 'GET', `${base}/questions/q1/ballots`)).json;
  check(r.stdout.includes('5 bulletins') && r.stdout.includes(JSON.parse(box.closed.checkpoint).payload.head.slice(0, 16)),
    'the count and the record head printed to compare');
  r = tool(['release', '--vault', vault(2), '--question', 'q1'], PASS[1]);
  eq(r.status, 0, `scrutineer 2 releases: ${r.out}`);
  const res1 = (await api(srv, 'GET', `${base}/questions/q1/result`)).json;
  eq(res1.counts, [3, 1, 1], 'the result: 3 pour, 1 contre, 1 abstention');

  // --- fewer than 3 ballots: --yes needed ---
  await vote(e1, 'e1', [1, 2]);
  posted.length = 0;
  r = await toolAsync(['release', '--vault', vault(1), '--question', 'e1', ...viaProxy], PASS[0]);
  eq(r.status, 4, `2 ballots: a warning, --yes needed (${r.out})`);
  eq(posted.length, 0, 'nothing posted without --yes');
  for (const j of [1, 2]) eq(tool(['release', '--vault', vault(j), '--question', 'e1', '--yes'], PASS[j - 1]).status, 0, `scrutineer ${j} releases e1 with --yes`);
  eq((await api(srv, 'GET', `${base}/questions/e1/result`)).json.counts.slice(0, 3), [0, 1, 1], 'e1 counted');

  // --- the minutes, signed by both with the tool ---
  eq((await api(srv, 'POST', `${base}/end`, {}, m.modToken)).json.status, 'closed', 'end');
  const pvr = await request(srv, 'GET', `${base}/minutes`);
  eq(pvr.status, 200, 'minutes');
  const rec = cli(['record', 'export', m.id, '--data', data]);
  eq(rec.status, 0, 'record export');
  for (const j of [1, 2]) {
    r = tool(['sign-minutes', '--vault', vault(j)], PASS[j - 1]);
    eq(r.status, 0, `scrutineer ${j} signs the minutes: ${r.out}`);
  }
  eq(fs.readFileSync(`${vault(1)}.minutes.html`, 'utf8'), pvr.text, 'the signed bytes kept beside the vault');
  const sigs = await request(srv, 'GET', `${base}/minutes/signatures`);
  eq(sigs.text.split('\n').filter(Boolean).length, 2, 'two signatures');
  const recFile = path.join(data, 'record.jsonl'); const pvFile = path.join(data, 'pv.html'); const sigFile = path.join(data, 'pv.sig');
  fs.writeFileSync(recFile, rec.stdout); fs.writeFileSync(pvFile, pvr.text); fs.writeFileSync(sigFile, sigs.text);
  const ver = spawnSync('build/scrutin-verify', ['--quiet', '--minutes', pvFile, '--signatures', sigFile, recFile], { encoding: 'utf8' });
  eq(ver.status, 0, `the record, the minutes and both signatures verify: ${ver.stdout}${ver.stderr}`);
  const after = cli(['record', 'export', m.id, '--data', data]);
  fs.writeFileSync(recFile + '.after', after.stdout);
  eq(spawnSync('build/scrutin-verify', ['--quiet', recFile + '.after']).status, 0, 'the record with the signatures verifies');
  proxy.close();

  done('trustee');
} finally {
  await srv.stop();
}

// audit.mjs — cast-or-audit on the live server (docs/protocol.md §5.8,
// docs/api.md POST …/audits, docs/record.md ballot.audited):
//  - a ballot built, then opened by its member: accepted, answered with
//    the selection its ciphertexts encrypt, written to the record as
//    ballot.audited (spoiled), never in the box nor the totals;
//  - that same ballot cast afterwards: 409 ballot_audited, nothing stored;
//    a fresh ballot (new randomness) is accepted;
//  - bad openings (wrong randomness, a randomness short, another
//    signature, a stranger's key, a closed question) refused and nothing
//    written; at most 10 audits per voice and question (429 audit_limit);
//  - the record verifies; scrutin-verify --audit accepts the file the
//    phone downloads (« CONFORME », exit 0), refuses it with a modified
//    choice or body (« NON CONFORME », exit 1), and catches a cheating
//    client that encrypted another choice than the one it showed;
//  - the record rewritten by the server (a cast ballot that reuses an
//    audited encryption, an audited ballot with another selection, one
//    opening a counted ballot) fails scrutin-verify.
//   node tests/server/audit.mjs     (from the repository root, after make)
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { check, eq, done, startServer, tmpDir, sqlite, cli } from './lib.mjs';
import { S, C, api, attend, ceremony, decrypt, secretBallot, setupMeeting, rewriteRecord, hex, qdigestOf } from './meeting-lib.mjs';

const data = tmpDir('audit');
const m = setupMeeting(data, { members: 6 });
const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
const base = `/api/v1/meetings/${m.id}`;
const boxCount = () => +sqlite(path.join(data, 'box.db'), 'SELECT count(*) FROM ballots');
const auditEvents = () => +sqlite(path.join(data, 'roll.db'), "SELECT count(*) FROM events WHERE kind = 'ballot.audited'");

// A ballot built for voter showing `shown` (the choice on the phone's
// screen); a cheating client encrypts `encrypted` instead. Returns the
// audit request, the same ballot as a cast request, and the file the
// phone lets the member download.
function audited(cer, q, qid, voter, shown, encrypted = shown) {
  const b = C.buildBallot({ eid: cer.eid, qid, n: q.n, min: q.min, max: q.max, y: cer.y,
    voicePk: voter.pk, signerSk: voter.sk, signerPk: voter.pk, selection: encrypted, qdigest: qdigestOf(q, cer.meeting, qid) });
  const cast = { question: qid, body: hex(b.body), sig: hex(b.sig) };
  const a = C.auditBallot(b);
  const fp = C.H256('ballot-fingerprint', b.body);
  const sig = S.crypto_sign_detached(C.transcript('ballot-audit', fp, ...a.r), voter.sk);
  const req = { question: qid, body: hex(b.body), r: a.r.map(hex), sig: hex(sig) };
  const file = { format: 'scrutin-audit/1', meeting: m.id, qid, body: hex(b.body), r: a.r.map(hex), choice: shown, fingerprint: hex(fp) };
  return { req, cast, fp: hex(fp), file };
}
const verifyAudit = (rec, doc, name) => {
  const f = path.join(data, name);
  fs.writeFileSync(f, JSON.stringify(doc));
  const r = spawnSync('build/scrutin-verify', ['--quiet', '--audit', f, rec], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
};

try {
  const cer = await ceremony(srv, m);
  const v = m.voters;
  eq((await api(srv, 'POST', `${base}/start`, {}, m.modToken)).json.status, 'live', 'start');
  for (const x of v) eq((await api(srv, 'POST', `${base}/attendance`, attend(m, x, 'check-in', 'present'))).status, 200, 'check-in');
  const view = (await api(srv, 'GET', base)).json;
  const q1 = view.questions.find((q) => q.id === 'q1');
  const q2 = view.questions.find((q) => q.id === 'q2');
  eq((await api(srv, 'POST', `${base}/questions/q1/open`, {}, m.modToken)).json.status, 'open', 'open q1');

  // Voter 1 audits a ballot « pour », then casts a fresh one.
  const A = audited(cer, q1, 'q1', v[0], [1, 0, 0]);
  let r = await api(srv, 'POST', `${base}/audits`, A.req);
  eq(r.status, 200, `audit accepted (${r.text})`);
  eq([r.json.audited, r.json.fingerprint, r.json.selection], ['spoiled', A.fp, [1, 0, 0]], 'answered: spoiled, its fingerprint, the selection it encrypts');
  eq(auditEvents(), 1, 'ballot.audited written');
  eq(boxCount(), 0, 'nothing in the box');
  r = await api(srv, 'POST', `${base}/ballots`, A.cast);
  eq([r.status, r.json.error && r.json.error.code], [409, 'ballot_audited'], 'the audited ballot cast afterwards: refused');
  eq(boxCount(), 0, 'nothing stored');
  r = await api(srv, 'POST', `${base}/audits`, A.req);
  eq(r.status, 409, `the same audit again: refused by the record's check (${r.json.error && r.json.error.code})`);
  eq(auditEvents(), 1, 'not written twice');
  const fresh = secretBallot(cer, q1, 'q1', v[0], [1, 0, 0]);
  check(fresh.body !== A.cast.body, 'a fresh ballot, new randomness');
  eq((await api(srv, 'POST', `${base}/ballots`, fresh)).status, 200, 'the fresh ballot cast');

  // Bad openings: refused, nothing written.
  const B = audited(cer, q1, 'q1', v[1], [0, 1, 0]);
  const bad = {
    'another randomness': { ...B.req, r: [B.req.r[1], B.req.r[0]] },
    'a randomness short': { ...B.req, r: B.req.r.slice(1) },
    'a randomness not hex': { ...B.req, r: ['zz' + B.req.r[0].slice(2), B.req.r[1]] },
    'signed by another member': { ...B.req, sig: A.req.sig },
    'a body altered': { ...B.req, body: B.req.body.slice(0, -2) + (B.req.body.endsWith('00') ? '01' : '00') },
    'a show of hands': { ...B.req, question: 'q2' },
    'an unknown question': { ...B.req, question: 'zz' },
    'an unknown field': { ...B.req, selection: [0, 1, 0] },
    'a stranger\'s key': (() => { const k = S.crypto_sign_keypair();
      return audited(cer, q1, 'q1', { pk: k.publicKey, sk: k.privateKey }, [1, 0, 0]).req; })(),
  };
  const want = { 'another randomness': 'bad_audit', 'a randomness short': 'invalid_field', 'a randomness not hex': 'invalid_field',
    'signed by another member': 'bad_signature', 'a body altered': 'bad_audit', 'a show of hands': 'wrong_phase',
    'an unknown question': 'question_unknown', 'an unknown field': 'unknown_field',
    'a stranger\'s key': 'credential_unknown' };
  for (const [what, body] of Object.entries(bad)) {
    r = await api(srv, 'POST', `${base}/audits`, body);
    check(r.status >= 400 && r.status < 500, `${what}: refused (${r.status} ${r.json && r.json.error && r.json.error.code})`);
    if (want[what] !== 'unknown_field') eq(r.json.error.code, want[what], `${what}: ${want[what]}`);
  }
  eq(auditEvents(), 1, 'bad openings: nothing written');
  check(q2.secret === false, 'q2 is a show of hands');

  // The limit: 10 audits per voice and question.
  for (let i = 0; i < 9; i++) eq((await api(srv, 'POST', `${base}/audits`, audited(cer, q1, 'q1', v[1], [0, 1, 0]).req)).status, 200, `audit ${i + 1} of voter 2`);
  const C10 = audited(cer, q1, 'q1', v[1], [0, 0, 1]);
  eq((await api(srv, 'POST', `${base}/audits`, C10.req)).status, 200, 'audit 10 of voter 2');
  r = await api(srv, 'POST', `${base}/audits`, audited(cer, q1, 'q1', v[1], [0, 1, 0]).req);
  eq([r.status, r.json.error.code], [429, 'audit_limit'], 'the 11th: audit_limit');
  eq(auditEvents(), 11, 'eleven audits written');

  // A cheating client: shows « pour », encrypts « contre ». The server
  // publishes what the encryption holds; the member's file says « pour ».
  const X = audited(cer, q1, 'q1', v[2], [1, 0, 0], [0, 1, 0]);
  r = await api(srv, 'POST', `${base}/audits`, X.req);
  eq([r.status, r.json.selection], [200, [0, 1, 0]], 'the cheating ballot opened: the server says what it holds (contre)');

  // Voter 2 casts at last; the others too.
  eq((await api(srv, 'POST', `${base}/ballots`, secretBallot(cer, q1, 'q1', v[1], [0, 1, 0]))).status, 200, 'voter 2 casts');
  const D = audited(cer, q1, 'q1', v[3], [0, 0, 1]);
  eq((await api(srv, 'POST', `${base}/ballots`, D.cast)).status, 200, 'voter 4 casts');
  r = await api(srv, 'POST', `${base}/audits`, D.req);
  eq([r.status, r.json.error.code], [409, 'record_refused'], 'voter 4\'s cast ballot opened: refused by the record\'s check');
  check(/ballot opened although it is cast and counted|bulletin ouvert alors qu'il est déposé/.test(r.json.error.detail), `why (${r.json.error.detail})`);
  eq(auditEvents(), 12, 'not written');
  eq((await api(srv, 'POST', `${base}/questions/q1/close`, {}, m.modToken)).status, 200, 'close q1');
  r = await api(srv, 'POST', `${base}/audits`, audited(cer, q1, 'q1', v[4], [1, 0, 0]).req);
  eq([r.status, r.json.error.code], [409, 'wrong_phase'], 'an audit after the close: wrong_phase');
  await decrypt(srv, m, cer, 'q1');
  const res = (await api(srv, 'GET', `${base}/questions/q1/result`)).json;
  eq(res.counts, [1, 1, 1], 'the totals count the three cast ballots only, not the 12 audited');
  eq((await api(srv, 'POST', `${base}/end`, {}, m.modToken)).status, 200, 'end');

  const rec = cli(['record', 'export', m.id, '--data', data]);
  const file = path.join(data, 'record.jsonl');
  fs.writeFileSync(file, rec.stdout);
  const ver = spawnSync('build/scrutin-verify', ['--quiet', file], { encoding: 'utf8' });
  eq(ver.status, 0, `the record verifies (${ver.stdout}${ver.stderr})`);
  check(/Question q1 : 12 bulletin\(s\) vérifié\(s\) par leur membre/.test(ver.stdout), 'scrutin-verify says 12 audited ballots, never counted');
  const lines = rec.stdout.trim().split('\n');
  const evs = lines.map((l) => JSON.parse(l));
  const aud = evs.filter((e) => e.kind === 'ballot.audited');
  eq(aud.length, 12, '12 ballot.audited in the record');
  eq(Object.keys(aud[0].payload).sort(), ['body', 'qid', 'r', 'selection', 'sig'], 'its fields');
  eq(aud[0].payload.selection, [1, 0, 0], 'the selection it encrypts');

  // scrutin-verify --audit FILE: the phone's download.
  let a = verifyAudit(file, A.file, 'a.json');
  eq(a.status, 0, `--audit: conforming (${a.out})`);
  check(/CONFORME : le chiffrement correspond au choix affiché/.test(a.out), 'in French: CONFORME');
  check(/Le chiffrement contient : « Pour »/.test(a.out), 'the choice it holds, by label');
  check(/publie ce bulletin comme annulé/.test(a.out), 'published as spoiled in the record');
  a = verifyAudit(file, { ...A.file, choice: [0, 1, 0] }, 'a-choice.json');
  eq(a.status, 1, `--audit with a modified choice: exit 1 (${a.out})`);
  check(/NON CONFORME : le chiffrement ne correspond pas au choix affiché/.test(a.out), 'in French: NON CONFORME');
  a = verifyAudit(file, { ...A.file, r: [A.file.r[1], A.file.r[0]] }, 'a-r.json');
  eq(a.status, 1, '--audit with another randomness: exit 1');
  check(/NON CONFORME : l'aléa ne donne pas ce chiffré/.test(a.out), `the reason (${a.out.trim()})`);
  a = verifyAudit(file, { ...A.file, qid: 'q2' }, 'a-q2.json');
  eq(a.status, 1, '--audit of another question: exit 1');
  a = verifyAudit(file, { ...A.file, format: 'x' }, 'a-format.json');
  eq(a.status, 2, '--audit of a malformed file: exit 2');
  a = verifyAudit(file, X.file, 'x.json');
  eq(a.status, 1, 'the cheating client caught by --audit: exit 1');
  check(/Le chiffrement contient : « Contre »/.test(a.out) && /Le téléphone a affiché : « Pour »/.test(a.out), `it shows both (${a.out})`);
  const unpublished = audited(cer, q1, 'q1', v[5], [0, 0, 1]);
  a = verifyAudit(file, unpublished.file, 'u.json');
  check(a.status === 0 && /n'est pas publié dans ce registre/.test(a.out), `a ballot the record does not publish: said so (${a.out.trim()})`);

  // The server rewrites its record: each fails scrutin-verify.
  const w = { data, meeting: m.id, lines, file };
  let t = rewriteRecord(w, 'castaudited', (es) => {
    const k = es.findIndex((e) => e.kind === 'ballot' && e.payload.qid === 'q1');
    const rc = hex(C.H256('receipt', Buffer.from(A.cast.body, 'hex'), Buffer.from(A.cast.sig, 'hex')));
    es[k].payload = { qid: 'q1', body: A.cast.body, sig: A.cast.sig, receipt: rc };
  });
  check(t.status === 1 && /ballot whose encryption was opened/.test(t.stdout), `an audited ballot counted: refused (${t.stdout.trim()})`);
  t = rewriteRecord(w, 'selection', (es) => { es.find((e) => e.kind === 'ballot.audited').payload.selection = [0, 1, 0]; });
  check(t.status === 1 && /published selection is not the one the ballot encrypts/.test(t.stdout), `another selection published: refused (${t.stdout.trim()})`);
  t = rewriteRecord(w, 'opening', (es) => { const p = es.find((e) => e.kind === 'ballot.audited').payload; p.r = [p.r[1], p.r[0]]; });
  check(t.status === 1 && /invalid opening/.test(t.stdout), `a wrong opening: refused (${t.stdout.trim()})`);
  t = rewriteRecord(w, 'sig', (es) => { const p = es.filter((e) => e.kind === 'ballot.audited'); p[0].payload.sig = p[1].payload.sig; });
  check(t.status === 1 && /signature invalid/.test(t.stdout), `another signature: refused (${t.stdout.trim()})`);
  t = rewriteRecord(w, 'counted', (es) => {
    // Voter 4's counted ballot opened in the record.
    const j = es.findIndex((e) => e.kind === 'ballot' && e.payload.body === D.cast.body);
    es.splice(j + 1, 0, { kind: 'ballot.audited', time: es[j].time, payload: { qid: 'q1', body: D.req.body, r: D.req.r, selection: [0, 0, 1], sig: D.req.sig } });
  });
  check(t.status === 1 && /ballot opened although it is cast and counted/.test(t.stdout), `a counted ballot opened: refused (${t.stdout.trim()})`);
} finally {
  await srv.stop();
}
done('audit');

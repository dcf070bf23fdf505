// qdigest.mjs — every ballot commits to its question's content (the
// question digest, docs/protocol.md §5.7, scrutin/2): a secret ballot
// built against the election with its two candidates swapped, and a show
// of hands signed over a swapped content, are refused by the server
// (bad_proof, bad_signature) while the ballots built against the recorded
// content are accepted; the record says scrutin/2, and scrutin-verify
// refuses a record in which such a ballot stands, or whose question
// content was swapped after the ballots, or whose protocol field was
// removed (every ballot then fails its proofs).
//   node tests/server/qdigest.mjs     (from the repository root, after make)
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { check, eq, done, startServer, tmpDir, cli } from './lib.mjs';
import { C, S, api, attend, ceremony, decrypt, secretBallot, openBallot, setupMeeting, hex, rewriteRecord,
  qdigestOf } from './meeting-lib.mjs';

const data = tmpDir('qdigest');
const m = setupMeeting(data, { members: 6, id: 'ag-qdigest', agenda: { questions: [
  { id: 'e1', title: 'Conseil', kind: 'election', rule: 'ca', secret: true, seats: 1,
    candidates: [{ member: 'M0002', name: 'Prénom2 Nom2' }, { member: 'M0003', name: 'Prénom3 Nom3' }] },
  { id: 'q2', title: 'Motion à main levée', kind: 'motion', rule: 'ordinary', secret: false },
] } });
const base = `/api/v1/meetings/${m.id}`;
const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
// The content with its two candidates swapped: what a dishonest server
// would show a phone.
const swapped = (o) => ({ ...o, choices: [o.choices[1], o.choices[0], ...o.choices.slice(2)] });
try {
  const cer = await ceremony(srv, m);
  eq((await api(srv, 'POST', `${base}/start`, {}, m.modToken)).status, 200, 'meeting started');
  for (const v of m.voters)
    eq((await api(srv, 'POST', `${base}/attendance`, attend(m, v, 'check-in', 'present'))).status, 200, `${v.no} present`);
  eq((await api(srv, 'POST', `${base}/questions/e1/open`, {}, m.modToken)).status, 200, 'e1 opened');
  const view = (await api(srv, 'GET', base)).json;
  const q = view.questions.find((x) => x.id === 'e1');
  check(q.opened && q.opened.qid === 'e1' && q.opened.choices.length === 3, 'the view carries the recorded content (opened)');
  const d = C.questionDigest(q.opened);
  eq(q.qdigest, hex(d), 'the view\'s qdigest is the digest of the recorded content');
  const bad = C.questionDigest(swapped(q.opened));
  check(hex(bad) !== hex(d), 'swapping two candidates changes the digest');

  // A ballot for Prénom2 built against the swapped content: refused.
  const forged = C.buildBallot({ eid: cer.eid, qid: 'e1', n: q.n, min: q.min, max: q.max, y: cer.y,
    voicePk: m.voters[0].pk, signerSk: m.voters[0].sk, signerPk: m.voters[0].pk, selection: [1, 0, 0], qdigest: bad });
  const fr = await api(srv, 'POST', `${base}/ballots`, { question: 'e1', body: hex(forged.body), sig: hex(forged.sig) });
  eq([fr.status, fr.json.error && fr.json.error.code], [400, 'bad_proof'], 'a ballot against swapped candidates is refused');
  // Nor with no digest at all (a scrutin/1 ballot in a scrutin/2 meeting).
  const v1 = C.buildBallot({ eid: cer.eid, qid: 'e1', n: q.n, min: q.min, max: q.max, y: cer.y,
    voicePk: m.voters[0].pk, signerSk: m.voters[0].sk, signerPk: m.voters[0].pk, selection: [1, 0, 0] });
  eq((await api(srv, 'POST', `${base}/ballots`, { question: 'e1', body: hex(v1.body), sig: hex(v1.sig) })).json.error.code,
    'bad_proof', 'a ballot without the question digest is refused');
  for (const [k, c] of [0, 0, 0, 1, 1, 2].entries()) {
    const sel = [0, 0, 0]; sel[c] = 1;
    eq((await api(srv, 'POST', `${base}/ballots`, secretBallot(cer, q, 'e1', m.voters[k], sel))).status, 200, `ballot ${k}`);
  }
  eq((await api(srv, 'POST', `${base}/questions/e1/close`, {}, m.modToken)).status, 200, 'e1 closed');
  await decrypt(srv, m, cer, 'e1');

  // A show of hands: the statement ends with the digest.
  eq((await api(srv, 'POST', `${base}/questions/q2/open`, {}, m.modToken)).status, 200, 'q2 opened');
  const q2 = (await api(srv, 'GET', base)).json.questions.find((x) => x.id === 'q2');
  const sw2 = { ...q2.opened, choices: [q2.opened.choices[1], q2.opened.choices[0], q2.opened.choices[2]] };
  const st = C.transcript('open-ballot', m.id, 'q2', m.voters[0].pk, m.voters[0].pk, C.le64(3), new Uint8Array([1, 0, 0]),
    C.questionDigest(sw2));
  const hr = await api(srv, 'POST', `${base}/ballots`, { question: 'q2', selection: [1, 0, 0], voice: hex(m.voters[0].pk),
    signer: hex(m.voters[0].pk), sig: hex(S.crypto_sign_detached(st, m.voters[0].sk)) });
  eq(hr.json.error && hr.json.error.code, 'bad_signature', 'a show of hands signed over swapped choices is refused');
  for (let k = 0; k < 6; k++)
    eq((await api(srv, 'POST', `${base}/ballots`, openBallot(m, q2, 'q2', m.voters[k], [1, 0, 0]))).status, 200, `hand ${k}`);
  const c2 = await api(srv, 'POST', `${base}/questions/q2/close`, {}, m.modToken);
  eq([c2.status, c2.json.status], [200, 'closed'], `q2 closed (${c2.text})`);
  const res2 = await api(srv, 'GET', `${base}/questions/q2/result`);
  eq(res2.status, 200, `q2 counted (${res2.text})`);
  eq((await api(srv, 'POST', `${base}/end`, {}, m.modToken)).status, 200, 'meeting ended');

  const rec = cli(['record', 'export', m.id, '--data', data]);
  eq(rec.status, 0, 'record export');
  const lines = rec.stdout.split('\n').filter(Boolean);
  const file = path.join(data, 'record.jsonl');
  fs.writeFileSync(file, rec.stdout);
  eq(JSON.parse(lines[0]).payload.protocol, 'scrutin/2', 'the record says scrutin/2');
  const ok = spawnSync('build/scrutin-verify', ['--lang', 'en', file], { encoding: 'utf8' });
  eq(ok.status, 0, `the record verifies (${ok.stdout}${ok.stderr})`);
  const short = `${hex(d).slice(0, 4)} ${hex(d).slice(4, 8)}`;
  check(ok.stdout.includes('Protocol: scrutin/2') && ok.stdout.includes(`question digest ${short} (${hex(d)})`),
    'scrutin-verify prints the protocol and the question digest');
  const rw = { data, meeting: m.id, lines, file };
  // The first ballot of e1 replaced by one for the same voter built
  // against the swapped content (the server would have to accept it).
  const fv = C.buildBallot({ eid: cer.eid, qid: 'e1', n: q.n, min: q.min, max: q.max, y: cer.y,
    voicePk: m.voters[0].pk, signerSk: m.voters[0].sk, signerPk: m.voters[0].pk, selection: [1, 0, 0], qdigest: bad });
  let r = rewriteRecord(rw, 'swapped-ballot', (evs) => {
    const e = evs.find((x) => x.kind === 'ballot' && x.payload.qid === 'e1');
    e.payload = { ...e.payload, body: hex(fv.body), sig: hex(fv.sig), receipt: hex(fv.receipt) };
  });
  check(r.status !== 0 && /ballot/.test(r.stdout + r.stderr), `scrutin-verify refuses a ballot built against swapped candidates (${r.stdout}${r.stderr})`);
  r = rewriteRecord(rw, 'swapped-question', (evs) => {
    const e = evs.find((x) => x.kind === 'question.opened' && x.payload.qid === 'e1');
    e.payload = swapped(e.payload);
  });
  check(r.status !== 0, `scrutin-verify refuses the question's content swapped after the ballots (${r.stdout}${r.stderr})`);
  r = rewriteRecord(rw, 'no-protocol', (evs) => { delete evs[0].payload.protocol; });
  check(r.status !== 0, `scrutin-verify refuses the record downgraded to scrutin/1 (${r.stdout}${r.stderr})`);
  r = rewriteRecord(rw, 'bad-protocol', (evs) => { evs[0].payload.protocol = 'scrutin/3'; });
  check(r.status !== 0 && /protocol/.test(r.stdout + r.stderr), `scrutin-verify refuses an unknown protocol (${r.stdout}${r.stderr})`);
  check(qdigestOf(null, m.id, 'e1') !== undefined, 'the helpers remember the recorded content');
} finally {
  await srv.stop();
}
done('qdigest');

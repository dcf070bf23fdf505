// secretary.mjs — the secretary's sequence of issue 20, end to end, over
// real HTTPS on loopback: the roll imported with the spreadsheet's labels
// (« Fondateur », « Adhérent »), the credentials asked for before the
// convocation (refused now, in French, saying to convene), the convocation
// of that roll refused in French (the statutes do not know the labels),
// the categories corrected by a second `roll import`, the meeting convened
// and run whole (check-ins, a secret motion, two shows of hands, an
// election), the results, the minutes produced and signed by both
// scrutineers, and the exported record verifying with "2 of 2"
// signatures of the minutes (each of the 2 scrutineers named).
//   node tests/server/secretary.mjs     (from the repository root, after make)
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { check, eq, done, startServer, tmpDir, sqlite, cli, request, BUILD } from './lib.mjs';
import { C, api, attend, ceremony, decrypt, enrolMeeting, secretBallot, openBallot, hex, unhex, MEETING_DATE } from './meeting-lib.mjs';

const data = tmpDir('secretary');
const db = path.join(data, 'roll.db');
const run = (args) => cli([...args, '--data', data]);
const N = 8;
const paid = new Date(Date.now() - 30 * 86400e3).toISOString().slice(0, 10);
const roll = (name, founder, member) => {
  const lines = ['numéro;nom;prénom;catégorie;cotisation'];
  for (let i = 1; i <= N; i++) lines.push(`M${String(i).padStart(4, '0')};Nom${i};Prénom${i};${i <= 2 ? founder : member};${paid}`);
  const f = path.join(data, name);
  fs.writeFileSync(f, lines.join('\n') + '\n');
  return f;
};
const events = () => +sqlite(db, 'SELECT count(*) FROM events');

// --- the roll as the spreadsheet wrote it ---
eq(run(['roll', 'import', roll('tableur.csv', 'Fondateur', 'Adhérent')]).status, 0, 'the roll with the spreadsheet labels imports');
const agenda = path.join(data, 'agenda.json');
fs.writeFileSync(agenda, JSON.stringify({ questions: [
  { id: 'q1', title: 'Approbation des comptes', kind: 'motion', rule: 'ordinary', secret: true },
  { id: 'q2', title: 'Rapport moral', kind: 'motion', rule: 'ordinary', secret: false },
  { id: 'q3', title: 'Montant de la cotisation', kind: 'motion', rule: 'ordinary', secret: false },
  { id: 'e1', title: 'Élection au conseil', kind: 'election', rule: 'ca', secret: true, seats: 1,
    candidates: [{ member: 'M0001', name: 'Un' }, { member: 'M0002', name: 'Deux' }] },
] }));
eq(run(['meeting', 'create', '--id', 'ag', '--title', 'AG 2026', '--date', MEETING_DATE,
  '--profile', 'ballot-formats/profiles/a-imi.yaml', '--body', 'ag', '--agenda', agenda,
  '--trustees', '2', '--threshold', '2']).status, 0, 'meeting created');

// --- credentials before the convocation: refused ---
let ev = events();
let r = run(['cred', 'issue', '--meeting', 'ag', '--host', 'vote.example.org', '--out', `${data}-out`]);
eq(r.status, 1, 'cred issue before convene: refused');
check(/n'est pas convoquée/.test(r.stderr) && /scrutin meeting convene ag/.test(r.stderr), 'it says to convene first: ' + r.stderr.trim());
eq(events(), ev, 'nothing recorded');

// --- the convocation of the spreadsheet's labels: refused, in French ---
r = run(['meeting', 'convene', 'ag']);
eq(r.status, 1, 'convening a roll whose categories the statutes do not define: refused');
check(/convocation refusée/.test(r.stderr) && /Fondateur/.test(r.stderr) && /scrutin roll import/.test(r.stderr) &&
  /rien n'a été modifié/.test(r.stderr), 'in French, naming the category and what to do: ' + r.stderr.trim());
eq(sqlite(db, "SELECT status FROM meetings WHERE id = 'ag'"), 'draft', 'the meeting is still in preparation');
eq(events(), ev, 'nothing recorded');

// --- the categories corrected, then convened ---
eq(run(['roll', 'import', roll('corrigee.csv', 'fondateur', 'adherent')]).status, 0, 'the corrected roll imports');
eq(run(['meeting', 'convene', 'ag']).status, 0, 'convened');
const m = enrolMeeting(data, 'ag', N);
check(sqlite(db, "SELECT count(*) FROM events WHERE meeting = 'ag' AND kind = 'credential.issued' AND (line GLOB '*Fondateur*' OR line GLOB '*Adhérent*')") === '0',
  'no credential.issued event carries a spreadsheet label');

// --- the meeting, run whole ---
const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
const base = '/api/v1/meetings/ag';
const sha = (b) => new Uint8Array(crypto.createHash('sha256').update(b).digest());
try {
  const cer = await ceremony(srv, m);
  const v = m.voters;
  eq((await api(srv, 'POST', `${base}/start`, {}, m.modToken)).json.status, 'live', 'start');
  for (const x of v) eq((await api(srv, 'POST', `${base}/attendance`, attend(m, x, 'check-in', 'present'))).status, 200, `${x.no} checked in`);
  const question = async (qid) => (await api(srv, 'GET', base)).json.questions.find((q) => q.id === qid);
  const vote = async (qid, picks) => {
    eq((await api(srv, 'POST', `${base}/questions/${qid}/open`, {}, m.modToken)).status, 200, `${qid} opened`);
    const q = await question(qid);
    for (const [k, c] of picks.entries()) {
      const sel = new Array(q.n).fill(0); sel[c] = 1;
      const b = q.secret ? secretBallot(cer, q, qid, v[k], sel) : openBallot(m, q, qid, v[k], sel);
      eq((await api(srv, 'POST', `${base}/ballots`, b)).status, 200, `${qid}: ballot ${k + 1}`);
    }
    eq((await api(srv, 'POST', `${base}/questions/${qid}/close`, {}, m.modToken)).json.status, 'closed', `${qid} closed`);
    if (q.secret) await decrypt(srv, m, cer, qid);
    const res = (await api(srv, 'GET', `${base}/questions/${qid}/result`)).json;
    check(res && typeof res.outcome === 'string', `${qid} counted: ${res?.sentence}`);
    return res;
  };
  eq((await vote('q1', [0, 0, 0, 0, 0, 1, 1, 2])).outcome, 'adopted', 'the secret motion is adopted');
  eq((await vote('q2', [0, 0, 0, 0, 0, 0, 1, 2])).outcome, 'adopted', 'the first show of hands is adopted');
  eq((await vote('q3', [1, 1, 1, 1, 1, 0, 0, 2])).outcome, 'rejected', 'the second show of hands is rejected');
  const e1 = await vote('e1', [0, 0, 0, 0, 0, 1, 1, 2]);
  eq([e1.outcome, e1.elected], ['elected', [0]], 'the election elects « Un »');
  eq((await api(srv, 'POST', `${base}/end`, {}, m.modToken)).json.status, 'closed', 'the meeting ended');

  // --- the minutes, signed by both scrutineers ---
  const pv = await request(srv, 'GET', `${base}/minutes`);
  eq(pv.status, 200, 'the minutes');
  const head = pv.headers['x-scrutin-head'];
  for (const t of cer.trustees) {
    const sig = hex(C.signStatement('minutes', [unhex(head), sha(Buffer.from(pv.text, 'utf8'))], t.id.privateKey).sig);
    eq((await api(srv, 'POST', `${base}/minutes/signatures`, { index: t.j, head, sig })).status, 200, `scrutineer ${t.j} signs`);
  }
  const sigs = await request(srv, 'GET', `${base}/minutes/signatures`);
  fs.writeFileSync(path.join(data, 'pv.html'), pv.text);
  fs.writeFileSync(path.join(data, 'pv.sig'), sigs.text);
} finally {
  await srv.stop();
}

// --- the exported record verifies, with the minutes signed 2 of 2 ---
const ex = run(['record', 'export', 'ag']);
eq(ex.status, 0, 'record export');
const rec = path.join(data, 'ag.jsonl');
fs.writeFileSync(rec, ex.stdout);
const vr = spawnSync(path.resolve(BUILD, 'scrutin-verify'), ['--lang', 'en', '--minutes', path.join(data, 'pv.html'),
  '--signatures', path.join(data, 'pv.sig'), rec], { encoding: 'utf8' });
eq(vr.status, 0, 'the record and the signed minutes verify: ' + vr.stdout + vr.stderr);
// The verifier names each scrutineer who signed: both of the 2.
const signed = vr.stdout.split('\n').filter((l) => /^Minutes signed by scrutineer \d/.test(l));
eq(signed.map((l) => l.match(/scrutineer (\d)/)[1]), ['1', '2'], 'the minutes signed by 2 of 2 scrutineers: ' + signed.join(' / '));
check(vr.stdout.includes('Minutes signed by 2 of 2 scrutineers.') && !vr.stdout.includes('has not signed'), 'the verifier says 2 of 2');
done('secretary');

// rollfreeze.mjs — the roll freeze of APROGEMERE's AG (art. II, AG 2012
// and 2014: the members registered by the last day of the month before
// the convocation vote), with the real profile, on the real server:
//  - `meeting convene` stores the convocation's date (the appliance's
//    local date) and freezes the roll with it: a member registered in
//    2020 and one registered on the last day of the previous month are
//    voters; one registered this month stays on the roll without a vote
//    (meeting_roll reason registered_after_roll_freeze, GET voters/{pk});
//  - he may check in, but the quorum's base and count leave him out, and
//    his ballot is refused (403 not_eligible) with the statutes' reason
//    and article, in French and English;
//  - the record's roll.frozen carries convocation_date and each
//    credential.issued registered_in_time; the exported record verifies;
//    making a voter who voted late (registered_in_time false), dropping
//    convocation_date or setting it after the meeting's date makes
//    scrutin-verify fail.
//   node tests/server/rollfreeze.mjs     (from the repository root, after make)
import fs from 'node:fs';
import path from 'node:path';
import { check, eq, done, startServer, tmpDir, sqlite, cli } from './lib.mjs';
import { C, S, api, attend, enrolMeeting, hex, MEETING_DATE, exportAndVerify, rewriteRecord, openStatement } from './meeting-lib.mjs';

const data = tmpDir('rollfreeze');
const run = (args) => {
  const r = cli([...args, '--data', data]);
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};
// Local dates, as the appliance reads its clock.
const ymd = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
const today = new Date();
const TODAY = ymd(today);
const PREV_MONTH_END = ymd(new Date(today.getFullYear(), today.getMonth(), 0));
const paid = ymd(new Date(Date.now() - 30 * 86400e3));
const N = 8;
const joined = (i) => (i === 7 ? PREV_MONTH_END : i === 8 ? TODAY : '2020-01-01');
const lines = ['numéro;nom;prénom;catégorie;cotisation;date d\'adhésion'];
for (let i = 1; i <= N; i++) lines.push(`M${String(i).padStart(4, '0')};Nom${i};Prénom${i};actif;${paid};${joined(i)}`);
fs.writeFileSync(path.join(data, 'roll.csv'), lines.join('\n') + '\n');
run(['roll', 'import', path.join(data, 'roll.csv')]);
const agenda = path.join(data, 'agenda.json');
fs.writeFileSync(agenda, JSON.stringify({ questions: [
  { id: 'q1', title: 'Motion à main levée', kind: 'motion', rule: 'resolution', secret: false },
] }));
const id = 'ag-freeze';
run(['meeting', 'create', '--id', id, '--title', 'AG APROGEMERE', '--date', MEETING_DATE,
  '--profile', 'ballot-formats/profiles/aprogemere.yaml', '--body', 'ag', '--agenda', agenda,
  '--trustees', '2', '--threshold', '2']);
run(['meeting', 'convene', id]);
const db = path.join(data, 'roll.db');
eq(sqlite(db, `SELECT convocation_date FROM meetings WHERE id = '${id}'`).trim(), TODAY, 'the convocation date is today');
eq(sqlite(db, `SELECT group_concat(m.member_no || ':' || r.voter || ':' || r.reason, ' ') FROM meeting_roll r JOIN members m ON m.id = r.member_id WHERE r.meeting = '${id}' ORDER BY m.member_no`).trim(),
  'M0001:1: M0002:1: M0003:1: M0004:1: M0005:1: M0006:1: M0007:1: M0008:0:registered_after_roll_freeze',
  'registered by the end of the previous month: a voter; this month: on the roll without a vote');
const m = enrolMeeting(data, id, N);
const { voters: V, modToken } = m;
const [M7, M8] = [V[6], V[7]];
const base = `/api/v1/meetings/${id}`;

const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
try {
  const post = (p, body) => api(srv, 'POST', `${base}${p}`, body);
  const v8 = (await api(srv, 'GET', `${base}/voters/${hex(M8.pk)}`)).json;
  eq([v8.voter, v8.reason], [false, 'registered_after_roll_freeze'], 'the late member: no vote, and why');
  eq((await api(srv, 'GET', `${base}/voters/${hex(M7.pk)}`)).json.voter, true, 'registered on the last day of the previous month: a voter');
  eq((await api(srv, 'POST', `${base}/start`, {}, modToken)).status, 200, 'AG started');
  for (const v of [V[0], V[1], M7, M8])
    eq((await post('/attendance', attend(m, v, 'check-in', 'present'))).status, 200, `${v.no} present`);
  const q = (await api(srv, 'GET', base)).json.attendance;
  eq([q.voters, q.quorum.base, q.quorum.counted, q.quorum.required], [7, 7, 3, 2],
    'the quorum\'s base is the 7 voters; the late member present is not counted (1/4 of 7: 2)');
  eq((await api(srv, 'POST', `${base}/questions/q1/open`, {}, modToken)).status, 200, 'q1 opened');
  const qn = (await api(srv, 'GET', base)).json.questions.find((x) => x.id === 'q1').n;
  const ballot = (v, sel) => {
    const st = openStatement(id, { n: qn }, 'q1', v.pk, v.pk, sel);
    return post('/ballots', { question: 'q1', selection: sel, voice: hex(v.pk), signer: hex(v.pk), sig: hex(S.crypto_sign_detached(st, v.sk)) });
  };
  for (const v of [V[0], V[1], M7]) eq((await ballot(v, [1, 0, 0])).status, 200, `${v.no} votes`);
  const r8 = await ballot(M8, [0, 1, 0]);
  eq([r8.status, r8.json.error?.code, r8.json.error?.article], [403, 'not_eligible', 'II (AG 2012 et 2014)'],
    'the late member\'s ballot refused, with the statutes\' article');
  check(/inscrit après l'arrêt de la liste des votants à la convocation du/.test(r8.json.error?.detail ?? ''), `the reason in French (${r8.json.error?.detail})`);
  check(/registered after the roll was frozen/.test(r8.json.error?.detail_en ?? ''), 'and in English');
  eq((await api(srv, 'POST', `${base}/questions/q1/close`, {}, modToken)).json.status, 'closed', 'q1 closed');
  const res = (await api(srv, 'GET', `${base}/questions/q1/result`)).json;
  eq([res.ballots, res.counts], [3, [3, 0, 0]], 'three ballots counted');
  eq((await api(srv, 'POST', `${base}/end`, {}, modToken)).status, 200, 'AG ended');
} finally {
  await srv.stop();
}
const ver = exportAndVerify(data, id);
eq([ver.exported, ver.status], [0, 0], `the record verifies (${ver.out.trim().split('\n').pop()})`);
const file = path.join(data, 'record.jsonl');
const recLines = fs.readFileSync(file, 'utf8').trim().split('\n');
const rec = recLines.map((l) => JSON.parse(l));
eq(rec.find((e) => e.kind === 'roll.frozen').payload.convocation_date, TODAY, 'roll.frozen: convocation_date');
const issued = (v) => rec.find((e) => e.kind === 'credential.issued' && e.payload.pk === hex(v.pk)).payload;
eq([issued(V[0]).registered_in_time, issued(M7).registered_in_time, issued(M8).registered_in_time], [true, true, false],
  'credential.issued: registered_in_time, never the date');
check(!recLines.some((l) => l.includes('2020-01-01') || l.includes(PREV_MONTH_END)), 'no registration date in the record');
const tamper = (what, f) => rewriteRecord({ data, meeting: id, lines: recLines, file }, what, f);
const flip = (v) => (evs) => { const p = evs.find((e) => e.kind === 'credential.issued' && e.payload.pk === hex(v.pk)).payload; p.registered_in_time = !p.registered_in_time; };
const frozen = (f) => (evs) => f(evs.find((e) => e.kind === 'roll.frozen').payload);
// registered_in_time is the server's word, as adult is: a late member
// made in time changes nothing the record shows here (he cast no
// ballot); a voter made late does: his ballot is then refused.
for (const [what, f] of [['voter-late', flip(M7)],
  ['no-convocation', frozen((p) => { delete p.convocation_date; })],
  ['convocation-after', frozen((p) => { p.convocation_date = '2099-01-01'; })]]) {
  const t = tamper(what, f);
  check(t.status !== 0, `${what}: scrutin-verify fails (${(t.stdout + t.stderr).trim().split('\n').pop()})`);
}
check(tamper('same', () => {}).status === 0, 'the same record re-signed verifies (the tampering alone fails)');
done('rollfreeze');

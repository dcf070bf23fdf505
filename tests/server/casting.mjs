// casting.mjs — the president's casting vote on the live server, over real
// HTTPS on loopback with ANIMT's CA (ballot-formats/profiles/animt.yaml,
// XI: « En cas de partage des voix, celle du Président est
// prépondérante »):
//  - `meeting create --president-member NUMERO` names the president; an
//    unknown member number is refused and nothing is created;
//  - a tie by show of hands goes the way the president voted (contre:
//    rejected, pour: adopted); he abstained, did not vote, or had left when
//    the question opened: no casting vote, the tie rejects; a secret
//    ballot hides his vote (casting_vote_secret: tie_rejects); each
//    sentence says so, with the article;
//  - a meeting without --president-member: no casting vote (« aucun
//    membre n'est désigné président »);
//  - the record marks the president's credential ("president": true); it
//    passes scrutin-verify, which recomputes each outcome from the same
//    facts (the president, his show-of-hands ballot, the secret ballot),
//    and fails when the mark is removed, moved, doubled or not `true`, or
//    when an outcome his casting vote decided is changed.
//   node tests/server/casting.mjs     (from the repository root, after make)
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { check, eq, done, startServer, tmpDir, sqlite, cli } from './lib.mjs';
import { api, attend, ceremony, decrypt, secretBallot, openBallot, enrolMeeting, rewriteRecord, MEETING_DATE, hex } from './meeting-lib.mjs';

const runner = (data) => (args, ok = true) => {
  const r = cli([...args, '--data', data]);
  if (ok && r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return ok ? r.stdout : r;
};
const file = (data, name, doc) => { const f = path.join(data, name); fs.writeFileSync(f, JSON.stringify(doc)); return f; };
const motion = (id, secret = false) => ({ id, title: `Motion ${id}`, kind: 'motion', rule: 'ordinary', secret });
const T = (p, c, a) => `partage des voix, ${p} voix pour, ${c} contre, ${a} abstention${a > 1 ? 's' : ''}`;
const USED = (how, p, c, a) => `Motion ${how === 'pour' ? 'adoptée' : 'rejetée'} par la voix prépondérante du président (art. XI) : ${T(p, c, a)} ; le président a voté ${how}.`;
const NONE = (why, p, c, a) => `Motion rejetée : ${T(p, c, a)} ; ${why} (art. XI).`;

// A convened meeting of the CA (four administrators on the roll).
function setup(data, id, president) {
  const run = runner(data);
  const agenda = file(data, `${id}.json`, { questions: [motion('q1'), motion('q2'), motion('q3'), motion('q4'), motion('q5', true), motion('q6')] });
  run(['meeting', 'create', '--id', id, '--title', 'CA ANIMT', '--date', MEETING_DATE, '--profile', 'ballot-formats/profiles/animt.yaml',
    '--body', 'ca', '--agenda', agenda, '--trustees', '2', '--threshold', '2', ...(president ? ['--president-member', president] : [])]);
  run(['meeting', 'convene', id]);
  return enrolMeeting(data, id, 4, 2);
}

// One question by show of hands: sel[k] the selection of member k+1 (null: no ballot).
async function showOfHands(srv, m, qid, sels) {
  const base = `/api/v1/meetings/${m.id}`;
  eq((await api(srv, 'POST', `${base}/questions/${qid}/open`, {}, m.modToken)).status, 200, `${m.id}/${qid} opened`);
  const q = (await api(srv, 'GET', base)).json.questions.find((x) => x.id === qid);
  for (const [k, s] of sels.entries())
    if (s) eq((await api(srv, 'POST', `${base}/ballots`, openBallot(m, q, qid, m.voters[k], s))).status, 200, `${qid}: M000${k + 1} votes`);
  eq((await api(srv, 'POST', `${base}/questions/${qid}/close`, {}, m.modToken)).status, 200, `${qid} closed`);
  return (await api(srv, 'GET', `${base}/questions/${qid}/result`)).json;
}

const P = [1, 0, 0], C = [0, 1, 0], A = [0, 0, 1];
const data = tmpDir('casting');
const run = runner(data);
{
  // An unknown president: refused, nothing created.
  const paid = new Date(Date.now() - 30 * 86400e3).toISOString().slice(0, 10);
  fs.writeFileSync(path.join(data, 'roll.csv'), ['numéro;nom;prénom;catégorie;cotisation',
    ...[1, 2, 3, 4].map((i) => `M000${i};Nom${i};Prénom${i};administrateur;${paid}`)].join('\n') + '\n');
  run(['roll', 'import', path.join(data, 'roll.csv')]);
  const c = run(['meeting', 'create', '--id', 'bad', '--title', 'CA', '--date', MEETING_DATE, '--profile',
    'ballot-formats/profiles/animt.yaml', '--body', 'ca', '--president-member', 'M0099'], false);
  check(c.status !== 0 && /--president-member : aucun membre actif de numéro M0099/.test(c.stderr), `an unknown president refused (${c.stderr.trim()})`);
  eq(+sqlite(path.join(data, 'roll.db'), 'SELECT count(*) FROM meetings'), 0, 'nothing created');
}
const m = setup(data, 'ca', 'M0001');
const m2 = setup(data, 'ca2', null);
eq(sqlite(path.join(data, 'roll.db'), "SELECT coalesce(president_member, '-') FROM meetings ORDER BY id").trim().split('\n'), ['M0001', '-'],
  'the president stored with the meeting');
const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
try {
  const cer = await ceremony(srv, m);
  await ceremony(srv, m2);
  for (const mm of [m, m2]) {
    eq((await api(srv, 'POST', `/api/v1/meetings/${mm.id}/start`, {}, mm.modToken)).status, 200, `${mm.id} started`);
    for (const v of mm.voters)
      eq((await api(srv, 'POST', `/api/v1/meetings/${mm.id}/attendance`, attend(mm, v, 'check-in', 'present'))).status, 200, `${mm.id}: ${v.no} present`);
  }
  let r = await showOfHands(srv, m, 'q1', [C, C, P, P]);
  eq([r.outcome, r.sentence], ['rejected', USED('contre', 2, 2, 0)], 'a tie, the president voted contre: rejected by his casting vote');
  r = await showOfHands(srv, m, 'q2', [P, P, C, C]);
  eq([r.outcome, r.sentence], ['adopted', USED('pour', 2, 2, 0)], 'a tie, the president voted pour: adopted by his casting vote');
  r = await showOfHands(srv, m, 'q3', [A, P, C, null]);
  eq([r.outcome, r.sentence], ['rejected', NONE("le président s'est abstenu : pas de voix prépondérante", 1, 1, 1)],
    'the president abstained: the tie rejects');
  r = await showOfHands(srv, m, 'q4', [null, P, C, null]);
  eq([r.outcome, r.sentence], ['rejected', NONE("le président n'a pas voté : pas de voix prépondérante", 1, 1, 0)],
    'the president did not vote: the tie rejects');
  // A secret ballot: his vote is not known (tie_rejects).
  const base = `/api/v1/meetings/${m.id}`;
  eq((await api(srv, 'POST', `${base}/questions/q5/open`, {}, m.modToken)).status, 200, 'q5 (secret) opened');
  const q5 = (await api(srv, 'GET', base)).json.questions.find((x) => x.id === 'q5');
  for (const [k, s] of [P, P, C, C].entries())
    eq((await api(srv, 'POST', `${base}/ballots`, secretBallot(cer, q5, 'q5', m.voters[k], s))).status, 200, `q5 ballot ${k + 1}`);
  eq((await api(srv, 'POST', `${base}/questions/q5/close`, {}, m.modToken)).status, 200, 'q5 closed');
  await decrypt(srv, m, cer, 'q5');
  r = (await api(srv, 'GET', `${base}/questions/q5/result`)).json;
  eq([r.outcome, r.sentence], ['rejected', NONE('le vote du président est secret : pas de voix prépondérante', 2, 2, 0)],
    'a secret ballot: the tie rejects');
  // The president leaves before q6 opens: absent.
  eq((await api(srv, 'POST', `${base}/attendance`, attend(m, m.voters[0], 'check-out'))).status, 200, 'the president leaves');
  r = await showOfHands(srv, m, 'q6', [null, P, C, null]);
  eq([r.outcome, r.sentence], ['rejected', NONE("le président, absent, n'a pas de voix prépondérante", 1, 1, 0)],
    'the president absent: the tie rejects');
  // No --president-member: nobody on the roll is president.
  r = await showOfHands(srv, m2, 'q1', [C, C, P, P]);
  eq([r.outcome, r.sentence], ['rejected', NONE("aucun membre n'est désigné président : pas de voix prépondérante", 2, 2, 0)],
    'no president named: the tie rejects');

  // The records: the president's credential marked, both verified, and each change fails.
  const verified = (id) => {
    const rec = cli(['record', 'export', id, '--data', data]);
    const file = path.join(data, `${id}.jsonl`);
    fs.writeFileSync(file, rec.stdout);
    const ver = spawnSync('build/scrutin-verify', ['--quiet', file], { encoding: 'utf8' });
    eq([rec.status, ver.status], [0, 0], `${id}: exported, and scrutin-verify accepts it: ${ver.stdout}${ver.stderr}`);
    return { file, lines: rec.stdout.split('\n').filter(Boolean) };
  };
  const { file: f, lines } = verified('ca');
  check(verified('ca2').lines.every((l) => !/"kind":"credential.issued".*"president"/.test(l)),
    'a meeting without --president-member marks nobody');
  const evs = lines.map((l) => JSON.parse(l));
  const issued = (e, k) => e.find((x) => x.kind === 'credential.issued' && x.payload.pk === hex(m.voters[k].pk)).payload;
  eq([issued(evs, 0).president, issued(evs, 1).president], [true, undefined], 'credential.issued marks the president only');
  const rw = (what, fn) => rewriteRecord({ data, meeting: 'ca', lines, file: f }, what, fn);
  const out = (v) => (v.stdout + v.stderr).trim();
  let v = rw('same', () => {});
  eq(v.status, 0, 'the rewriting itself keeps the record valid: ' + out(v));
  v = rw('nopres', (e) => { delete issued(e, 0).president; });
  check(v.status !== 0 && /q1: (sentence differs|outcome)/.test(out(v)), `the president's mark removed: fails (${out(v)})`);
  v = rw('moved', (e) => { delete issued(e, 0).president; issued(e, 2).president = true; });
  check(v.status !== 0 && /q1/.test(out(v)), `the mark moved to another member: fails (${out(v)})`);
  v = rw('two', (e) => { issued(e, 2).president = true; });
  check(v.status !== 0 && /two members are president/.test(out(v)), `two presidents: fails (${out(v)})`);
  v = rw('false', (e) => { issued(e, 1).president = false; });
  check(v.status !== 0 && /invalid field president/.test(out(v)), `"president": false: fails (${out(v)})`);
  v = rw('vote', (e) => {
    const b = e.find((x) => x.kind === 'result' && x.payload.qid === 'q1').payload;
    b.outcome = 'adopted';
  });
  check(v.status !== 0 && /q1: outcome rejected recomputed|q1: outcome adopted recorded, rejected recomputed/.test(out(v)),
    `the outcome claimed adopted: fails (${out(v)})`);
} finally {
  await srv.stop();
}
done('casting');

// rounds.mjs — the second round of a two-round election, over real HTTPS
// on loopback with real secret ballots (docs/api.md "Second round"):
//  - ANIMT's CA elects its Bureau in two rounds (XI: absolute majority of
//    the valid ballots; round 2 by plurality, the profile's reading);
//  - round 1 with 3 candidates and no absolute majority gives the
//    engine's "second_round"; the moderator opens round 2 (POST questions
//    {"round_of"}), the same candidates, secrecy and shape; it is voted,
//    closed, decrypted by the scrutineers and elects by plurality; the
//    result is signed; the CLI `scrutin question second-round` does the
//    same for another election;
//  - every refusal changes nothing: round 1 not counted (409 wrong_phase),
//    round 1 elected (409 no_second_round), a motion (400 invalid_field),
//    a single-round method (400 not_two_round, A-IMI), a second round 2
//    (409 second_round_exists), round 2 of a round 2, unknown question or
//    field;
//  - the exported record carries round and round_of; scrutin-verify
//    recomputes the round-2 outcome with round 2 and fails on a tampered
//    round-2 outcome, round or round_of;
//  - the minutes (scrutin-minutes and GET minutes, the same bytes) link
//    each round 2 to its round 1 (« Second tour de … »), titles escaped.
//   node tests/server/rounds.mjs     (from the repository root, after make)
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { check, eq, done, startServer, tmpDir, sqlite, cli, pvWithoutNames } from './lib.mjs';
import { C, api, attend, ceremony, decrypt, secretBallot, setupMeeting, enrolMeeting, unhex, MEETING_DATE, rewriteRecord } from './meeting-lib.mjs';

const evCount = (data, kind) => +sqlite(path.join(data, 'roll.db'),
  `SELECT count(*) FROM events${kind ? ` WHERE kind = '${kind}'` : ''}`);
const qCount = (data) => +sqlite(path.join(data, 'roll.db'), 'SELECT count(*) FROM questions');

// --- A-IMI: its CA election has a single round ------------------------------
{
  const data = tmpDir('rounds-aimi');
  const m = setupMeeting(data, { members: 4, id: 'ag-aimi' });
  const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
  const base = `/api/v1/meetings/${m.id}`;
  try {
    const ev0 = evCount(data), q0 = qCount(data);
    let r = await api(srv, 'POST', `${base}/questions`, { round_of: 'e1' }, m.modToken);
    eq([r.status, r.json.error.code, r.json.error.field], [400, 'not_two_round', 'round_of'], 'A-IMI: single-round election refused');
    check(/un tour/.test(r.json.error.fr) && /single round/.test(r.json.error.en), `refusal in French and English (${r.json.error.fr})`);
    eq((await api(srv, 'POST', `${base}/questions`, { round_of: 'e1' })).status, 401, 'second round: moderator token required');
    eq([evCount(data), qCount(data)], [ev0, q0], 'refusals change nothing');
  } finally {
    await srv.stop();
  }
}

// --- ANIMT's CA: the Bureau in two rounds -----------------------------------
const data = tmpDir('rounds-animt');
const run = (args) => {
  const r = cli([...args, '--data', data]);
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};
const paid = new Date(Date.now() - 30 * 86400e3).toISOString().slice(0, 10);
const N = 8;
const lines = ['numéro;nom;prénom;catégorie;cotisation'];
for (let i = 1; i <= N; i++) lines.push(`M000${i};Nom${i};Prénom${i};administrateur;${paid}`);
fs.writeFileSync(path.join(data, 'roll.csv'), lines.join('\n') + '\n');
run(['roll', 'import', path.join(data, 'roll.csv')]);
// HTML's special characters in a title: the minutes escape them.
const E1 = 'Présidence <intérim> & "co"';
const cands = [{ member: 'M0001', name: 'Un' }, { member: 'M0002', name: 'Deux' }, { member: 'M0003', name: 'Trois' }];
fs.writeFileSync(path.join(data, 'agenda.json'), JSON.stringify({ questions: [
  { id: 'e1', title: E1, kind: 'election', rule: 'bureau', secret: true, seats: 1, candidates: cands },
  { id: 'e2', title: 'Trésorerie', kind: 'election', rule: 'bureau', secret: true, seats: 1, candidates: cands },
  { id: 'e3', title: 'Secrétariat', kind: 'election', rule: 'bureau', secret: true, seats: 1, candidates: cands },
  { id: 'q1', title: 'Budget', kind: 'motion', rule: 'ordinary', secret: false },
] }));
const id = 'ca-animt';
run(['meeting', 'create', '--id', id, '--title', 'CA ANIMT', '--date', MEETING_DATE,
  '--profile', 'ballot-formats/profiles/animt.yaml', '--body', 'ca', '--agenda', path.join(data, 'agenda.json'),
  '--trustees', '2', '--threshold', '2']);
run(['meeting', 'convene', id]);
const m = enrolMeeting(data, id, N);
const { voters, modToken, enrol } = m;
const base = `/api/v1/meetings/${id}`;
const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
try {
  const cer = await ceremony(srv, m);
  eq((await api(srv, 'POST', `${base}/start`, {}, modToken)).status, 200, 'CA meeting started');
  for (const v of voters)
    eq((await api(srv, 'POST', `${base}/attendance`, attend(m, v, 'check-in', 'present'))).status, 200, `${v.no} present`);
  const view = async () => (await api(srv, 'GET', base)).json;
  const question = async (qid) => (await view()).questions.find((q) => q.id === qid);
  // One secret vote: selections by voter index (candidate index, 3 = blank).
  const vote = async (qid, picks, whileOpen, whileClosed) => {
    eq((await api(srv, 'POST', `${base}/questions/${qid}/open`, {}, modToken)).status, 200, `${qid} opened`);
    const q = await question(qid);
    for (const [k, c] of picks.entries()) {
      const sel = new Array(q.n).fill(0); sel[c] = 1;
      const r = await api(srv, 'POST', `${base}/ballots`, secretBallot(cer, q, qid, voters[k], sel));
      if (r.status !== 200) throw new Error(`${qid} ballot ${k}: ${r.text}`);
    }
    if (whileOpen) await whileOpen();
    eq((await api(srv, 'POST', `${base}/questions/${qid}/close`, {}, modToken)).json.status, 'closed', `${qid} closed`);
    if (whileClosed) await whileClosed();
    await decrypt(srv, m, cer, qid);
    return (await api(srv, 'GET', `${base}/questions/${qid}/result`)).json;
  };
  const add2 = (body, token = modToken) => api(srv, 'POST', `${base}/questions`, body, token);
  const refused = async (body, status, code, what) => {
    const ev0 = evCount(data), q0 = qCount(data);
    const r = await add2(body);
    eq([r.status, r.json.error?.code], [status, code], what);
    eq([evCount(data), qCount(data)], [ev0, q0], `${what}: nothing changed`);
    return r;
  };

  // Refusals before round 1 is counted.
  await refused({ round_of: 'e3' }, 409, 'wrong_phase', 'round 1 pending: 409 wrong_phase');
  await refused({ round_of: 'q1' }, 400, 'invalid_field', 'a motion has no second round');
  await refused({ round_of: 'nope' }, 404, 'question_unknown', 'unknown question');
  await refused({ round_of: 'e3', extra: 1 }, 400, 'unknown_field', 'unknown field');
  await refused({ round_of: 7 }, 400, 'invalid_field', 'round_of not a string');
  await refused({ round_of: 'e3', id: '' }, 400, 'invalid_field', 'empty id');

  // Round 1: 3 / 3 / 2, nobody above half of the 8 valid ballots.
  const r1 = await vote('e3', [0, 0, 0, 1, 1, 1, 2, 2],
    () => refused({ round_of: 'e3' }, 409, 'wrong_phase', 'round 1 open: 409 wrong_phase'),
    () => refused({ round_of: 'e3' }, 409, 'wrong_phase', 'round 1 closed, not counted: 409 wrong_phase'));
  eq([r1.counts, r1.outcome, r1.elected], [[3, 3, 2, 0], 'second_round', []], `round 1: no absolute majority (${r1.sentence})`);

  // Round 1 elected: no second round.
  const r2 = await vote('e2', [0, 0, 0, 0, 0, 1, 1, 2]);
  eq([r2.outcome, r2.elected], ['elected', [0]], `e2 elected in round 1 (${r2.sentence})`);
  await refused({ round_of: 'e2' }, 409, 'no_second_round', 'round 1 elected: 409 no_second_round');

  // Round 2 of e3 by the API: same candidates, secrecy, shape.
  eq((await add2({ round_of: 'e3' }, 'x'.repeat(43))).status, 401, 'round 2: moderator token required');
  const evAdd = evCount(data, 'question.add');
  let r = await add2({ round_of: 'e3' });
  eq(r.status, 200, `round 2 created (${r.text})`);
  const e3 = await question('e3');
  eq([r.json.id, r.json.status, r.json.round, r.json.round_of, r.json.title], ['e3-t2', 'pending', 2, 'e3', 'Secrétariat — second tour'],
    'round 2: default id and title, linked to round 1');
  eq([r.json.rule, r.json.secret, r.json.choices, r.json.n, r.json.min, r.json.max, r.json.seats],
    [e3.rule, e3.secret, e3.choices, e3.n, e3.min, e3.max, e3.seats], 'round 2: same rule, secrecy, choices and shape');
  eq(r.json.candidates.map((c) => c.member), ['M0001', 'M0002', 'M0003'], 'round 2 keeps every candidate (the engine counts all by plurality)');
  eq(evCount(data, 'question.add'), evAdd + 1, 'one question.add event');
  await refused({ round_of: 'e3' }, 409, 'second_round_exists', 'a second round 2: 409 second_round_exists');
  await refused({ round_of: 'e3', id: 'e3-bis' }, 409, 'second_round_exists', 'a second round 2 under another id');

  // Round 2: 4 / 3 / 1: no absolute majority, elected by plurality.
  const rr = await vote('e3-t2', [0, 0, 0, 0, 1, 1, 1, 2]);
  eq([rr.counts, rr.outcome, rr.elected], [[4, 3, 1, 0], 'elected', [0]], `round 2 elects by plurality (${rr.sentence})`);
  const srvKey = unhex((await api(srv, 'GET', '/api/v1/status')).json.server_key);
  const cnt = C.concat(...rr.counts.map((x) => C.le64(x)));
  check(C.verifyStatement('result', [id, 'e3-t2', C.le64(8), cnt, 'elected', C.le64(0)], unhex(rr.server_sig), srvKey),
    'round-2 result signed by the server');
  await refused({ round_of: 'e3-t2' }, 409, 'no_second_round', 'no round 2 of a round 2');

  // The CLI opens round 2 of e1 (2 / 2 / 2 and 2 blank), with its own id
  // and title; a second time it is refused with the code.
  const re1 = await vote('e1', [0, 0, 1, 1, 2, 2, 3, 3]);
  eq(re1.outcome, 'second_round', `e1: second round (${re1.sentence})`);
  let c = cli(['question', 'second-round', id, 'e1', '--id', 'e1b', '--title', 'Présidence, 2e tour', '--data', data]);
  eq(c.status, 0, 'CLI: question second-round ' + c.stderr);
  eq([JSON.parse(c.stdout).id, JSON.parse(c.stdout).round_of], ['e1b', 'e1'], 'CLI: the new question');
  const e1b = await question('e1b');
  eq([e1b.title, e1b.round, e1b.status], ['Présidence, 2e tour', 2, 'pending'], 'the server sees the CLI round 2');
  c = cli(['question', 'second-round', id, 'e1', '--data', data]);
  check(c.status === 1 && /second_round_exists/.test(c.stderr), 'CLI: a second round 2 refused: ' + c.stderr.trim());
  c = cli(['question', 'second-round', id, '--data', data]);
  eq(c.status, 2, 'CLI: usage');
  const rb = await vote('e1b', [0, 1, 1, 1, 2, 2, 3, 3]);
  eq([rb.outcome, rb.elected], ['elected', [1]], `e1b elects by plurality (${rb.sentence})`);

  // --- the record: round and round_of; the verifier recomputes round 2 ---
  const rec = cli(['record', 'export', id, '--data', data]);
  eq(rec.status, 0, 'record export');
  const lines = rec.stdout.split('\n').slice(0, -1);
  const evs = lines.map((l) => JSON.parse(l));
  const opened = Object.fromEntries(evs.filter((e) => e.kind === 'question.opened').map((e) => [e.payload.qid, e.payload]));
  eq([opened.e3.round, opened.e3.round_of], [1, undefined], 'round 1 in the record');
  eq([opened['e3-t2'].round, opened['e3-t2'].round_of, opened.e1b.round, opened.e1b.round_of], [2, 'e3', 2, 'e1'],
    'round 2 in the record, linked to round 1');
  const recFile = path.join(data, 'record.jsonl');
  fs.writeFileSync(recFile, rec.stdout);
  const ver = spawnSync('build/scrutin-verify', ['--quiet', recFile], { encoding: 'utf8' });
  eq(ver.status, 0, 'scrutin-verify accepts the record: ' + ver.stdout + ver.stderr);
  const verdict = ver.stdout.split('\n').find((l) => l.startsWith('Question e3-t2 '));
  check(verdict && / : vérifiée — /.test(verdict) && verdict.includes('issue : elected)') && verdict.includes(rr.sentence),
    'the verifier recomputes the round-2 outcome and sentence: ' + verdict);
  // The server rewrites the record and re-signs it (test only: its key).
  // --- the minutes: each round 2 names its round 1 ---
  const pv = spawnSync('build/scrutin-minutes', [recFile], { encoding: 'utf8' });
  eq(pv.status, 0, 'scrutin-minutes writes the minutes: ' + pv.stderr);
  const html = pv.stdout;
  const section = (qid) => { const k = html.indexOf(`<section class="item" id="q-${qid}">`); return k < 0 ? '' : html.slice(k, html.indexOf('</section>', k)); };
  check(section('e3-t2').includes('<p class="round">Second tour de « Secrétariat » (e3).</p>'), 'minutes: e3-t2 is the second round of e3');
  check(section('e1b').includes('<p class="round">Second tour de « Présidence &lt;intérim&gt; &amp; &quot;co&quot; » (e1).</p>'),
    'minutes: e1b is the second round of e1, its title escaped');
  eq((html.match(/class="round"/g) || []).length, 2, 'minutes: a round link for each round 2 only (not e1, e2, e3)');
  check(!html.includes('<intérim>') && !html.includes('& "co"'), 'minutes: no title unescaped');
  const pvApi = await api(srv, 'GET', `${base}/minutes`);
  eq(pvApi.status, 200, 'GET minutes');
  check(pvApi.text.includes('id="annexe-emargement"') && pvWithoutNames(pvApi.text) === pvWithoutNames(html),
    'the server\'s minutes are the bytes scrutin-minutes writes, but for the members\' names');
  const rewrite = (what, f) => rewriteRecord({ data, meeting: id, lines, file: recFile }, what, f);
  const first = (x) => (x.stdout + x.stderr).trim().split('\n')[0];
  const opening = (e, q) => e.find((x) => x.kind === 'question.opened' && x.payload.qid === q).payload;
  let bad = rewrite('same', () => {});
  eq(bad.status, 0, 'a re-chained copy verifies: ' + first(bad));
  bad = rewrite('outcome', (e) => { e.find((x) => x.kind === 'result' && x.payload.qid === 'e3-t2').payload.outcome = 'second_round'; });
  check(bad.status === 1 && /question e3-t2: outcome second_round recorded, elected recomputed/.test(bad.stdout),
    'a tampered round-2 outcome fails: ' + first(bad));
  // The round is part of the question digest (protocol §5.7, scrutin/2):
  // its ballots, proved under round 2, fail before any recount.
  bad = rewrite('round', (e) => { const p = opening(e, 'e3-t2'); p.round = 1; delete p.round_of; });
  check(bad.status === 1 && /ballot at seq \d+: membership proof 1 invalid/.test(bad.stdout),
    'round 2 recorded as a round 1 fails (its ballots committed to round 2): ' + first(bad));
  bad = rewrite('noof', (e) => { delete opening(e, 'e3-t2').round_of; });
  check(bad.status === 1 && /round 2 without its round 1/.test(bad.stdout), 'round 2 without round_of fails: ' + first(bad));
  bad = rewrite('of-e2', (e) => { opening(e, 'e3-t2').round_of = 'e2'; });
  check(bad.status === 1 && /round 1 e2 did not result in second_round/.test(bad.stdout), 'round 2 of an elected round 1 fails: ' + first(bad));
  bad = rewrite('of-twice', (e) => { opening(e, 'e1b').round_of = 'e3'; });
  check(bad.status === 1 && /round 2 of e3 opened twice/.test(bad.stdout), 'two rounds 2 of one election fail: ' + first(bad));
  bad = rewrite('of-1', (e) => { opening(e, 'e3').round_of = 'e2'; });
  check(bad.status === 1 && /round_of/.test(bad.stdout), 'round_of on a round 1 fails: ' + first(bad));
} finally {
  await srv.stop();
}
done('rounds');

// revote.mjs — the re-vote after an unresolved tie, over real HTTPS on
// loopback with real secret ballots (docs/api.md "Re-vote after a tie"):
//  - A-IMI's CA election (plurality, no tie-break chain, art. 11): two
//    seats, Un elected, Deux and Trois tied for the last one: the engine
//    says "tie_unresolved" and the result names the tied choices, the
//    seats filled and not, the valid ballots (the percentages' base);
//  - POST questions {"revote_of"} makes the re-vote: only the tied
//    candidates, the one seat left, same rule and secrecy; it is voted,
//    decrypted and elects;
//  - `scrutin question revote ID Q` makes it from the command line and
//    says so in French; its refusals are in French;
//  - refused and nothing changed: not counted yet (409 wrong_phase), a
//    motion (400 invalid_field), an election that did not tie (409
//    no_tie), twice (409 revote_exists), unknown question or field;
//  - the record's question.opened carries revote_of; scrutin-verify
//    accepts it and fails on a re-vote with another candidate, another
//    number of seats, of an election that did not tie, or twice;
//  - a motion's result gives its expressed votes: A-IMI does not count
//    abstentions as expressed (5 pour, 2 contre, 1 abstention: 7).
//   node tests/server/revote.mjs     (from the repository root, after make)
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { check, eq, done, startServer, tmpDir, sqlite, cli } from './lib.mjs';
import { api, attend, ceremony, decrypt, secretBallot, openBallot, setupMeeting, rewriteRecord } from './meeting-lib.mjs';

const evCount = (data) => +sqlite(path.join(data, 'roll.db'), 'SELECT count(*) FROM events');
const qCount = (data) => +sqlite(path.join(data, 'roll.db'), 'SELECT count(*) FROM questions');

const data = tmpDir('revote');
const cands = [{ member: 'M0001', name: 'Un' }, { member: 'M0002', name: 'Deux' },
  { member: 'M0003', name: 'Trois' }, { member: 'M0004', name: 'Quatre' }];
const m = setupMeeting(data, { members: 8, id: 'ag-revote', agenda: { questions: [
  { id: 'e1', title: 'Conseil', kind: 'election', rule: 'ca', secret: true, seats: 2, candidates: cands },
  { id: 'e2', title: 'Conseil bis', kind: 'election', rule: 'ca', secret: true, seats: 1, candidates: cands },
  { id: 'q1', title: 'Budget', kind: 'motion', rule: 'ordinary', secret: false },
] } });
const { voters, modToken } = m;
const id = m.id;
const base = `/api/v1/meetings/${id}`;
let srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
try {
  const cer = await ceremony(srv, m);
  eq((await api(srv, 'POST', `${base}/start`, {}, modToken)).status, 200, 'meeting started');
  for (const v of voters)
    eq((await api(srv, 'POST', `${base}/attendance`, attend(m, v, 'check-in', 'present'))).status, 200, `${v.no} present`);
  const question = async (qid) => (await api(srv, 'GET', base)).json.questions.find((q) => q.id === qid);
  // One vote; picks[k]: the choice indices voter k selects.
  const vote = async (qid, picks) => {
    eq((await api(srv, 'POST', `${base}/questions/${qid}/open`, {}, modToken)).status, 200, `${qid} opened`);
    const q = await question(qid);
    for (const [k, cs] of picks.entries()) {
      const sel = new Array(q.n).fill(0);
      for (const c of cs) sel[c] = 1;
      const b = q.secret ? secretBallot(cer, q, qid, voters[k], sel) : openBallot(m, q, qid, voters[k], sel);
      const r = await api(srv, 'POST', `${base}/ballots`, b);
      if (r.status !== 200) throw new Error(`${qid} ballot ${k}: ${r.text}`);
    }
    eq((await api(srv, 'POST', `${base}/questions/${qid}/close`, {}, modToken)).status, 200, `${qid} closed`);
    if (q.secret) await decrypt(srv, m, cer, qid);
    return (await api(srv, 'GET', `${base}/questions/${qid}/result`)).json;
  };
  const add = (body) => api(srv, 'POST', `${base}/questions`, body, modToken);
  const refused = async (body, status, code, what) => {
    const ev0 = evCount(data), q0 = qCount(data);
    const r = await add(body);
    eq([r.status, r.json.error?.code, r.json.error?.field], [status, code, code === 'unknown_field' ? undefined : 'revote_of'], what);
    eq([evCount(data), qCount(data)], [ev0, q0], `${what}: nothing changed`);
    return r;
  };

  await refused({ revote_of: 'e1' }, 409, 'wrong_phase', 'e1 not counted: 409 wrong_phase');
  await refused({ revote_of: 'q1' }, 400, 'invalid_field', 'a motion has no re-vote between candidates');
  await refused({ revote_of: 'nope' }, 404, 'question_unknown', 'unknown question');
  await refused({ revote_of: 'e1', other: 1 }, 400, 'unknown_field', 'unknown field');
  eq((await api(srv, 'POST', `${base}/questions`, { revote_of: 'e1' })).status, 401, 're-vote: moderator token required');

  // e1, 2 seats, 7 ballots (one blank): Un 6, Deux 3, Trois 3, Quatre 1.
  const r1 = await vote('e1', [[0, 1], [0, 2], [0, 1], [0, 2], [0, 1], [0, 2], [3], [4]]);
  eq([r1.counts, r1.outcome, r1.elected], [[6, 3, 3, 1, 1], 'tie_unresolved', [0]], `e1 ties for the last seat (${r1.sentence})`);
  eq([r1.base, r1.valid_ballots, r1.seats, r1.unfilled, r1.tied, r1.tie_break, r1.article],
    ['valid_ballots', 7, 2, 1, [1, 2], 'unresolved', '11'], 'the result names the base, seats, tied choices and article');
  eq(r1.ballots, 8, 'eight ballots, one of them blank');

  // e2 elects at once: no re-vote.
  const r2 = await vote('e2', [[0], [0], [0], [1], [1], [2], [3], [4]]);
  eq([r2.outcome, r2.elected, r2.tied, r2.unfilled], ['elected', [0], [], 0], 'e2 elected');
  await refused({ revote_of: 'e2' }, 409, 'no_tie', 'an election without a tie: 409 no_tie');

  // The re-vote of e1, made from the command line (`scrutin question
  // revote`) with the server stopped: what it created said in French, and
  // the refusals in French too, each changing nothing.
  await srv.stop();
  const revote = (q, ...more) => cli(['question', 'revote', id, q, '--data', data, ...more]);
  const cliRefused = (q, text, what) => {
    const ev0 = evCount(data), q0 = qCount(data);
    const c = revote(q);
    check(c.status === 1 && c.stdout === '' && c.stderr.includes(text), `CLI: ${what} (${c.status}: ${c.stderr.trim()})`);
    eq([evCount(data), qCount(data)], [ev0, q0], `CLI: ${what}: nothing changed`);
  };
  cliRefused('e2', "cette élection n'a pas d'égalité non départagée : pas de nouveau vote à organiser (no_tie)", 'no tie');
  cliRefused('q1', 'invalid_field', 'a motion');
  cliRefused('nope', 'question inconnue (question_unknown)', 'unknown question');
  let c = revote('e1');
  eq([c.status, c.stderr], [0, ''], 'CLI: question revote e1');
  eq(c.stdout, 'Nouveau vote créé : question e1-r « Conseil — nouveau vote entre les ex æquo », entre les candidats' +
    ' ex æquo de la question e1 : Deux, Trois ; 1 siège(s) à pourvoir.\n' +
    `Ouvrez-le avec : scrutin question open ${id} e1-r\n`, 'CLI: says in French what was created');
  cliRefused('e1', "le nouveau vote entre les ex æquo de cette élection existe déjà (revote_exists)", 'a second re-vote');
  cliRefused('e1-r', 'action impossible à ce stade (wrong_phase)', 'the re-vote of a question not counted');
  srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
  let r = { json: await question('e1-r') };
  const e1 = await question('e1');
  eq([r.json.id, r.json.status, r.json.revote_of, r.json.title], ['e1-r', 'pending', 'e1', 'Conseil — nouveau vote entre les ex æquo'],
    're-vote: default id and title, linked to e1');
  eq([r.json.rule, r.json.secret, r.json.seats, r.json.n, r.json.min, r.json.max], [e1.rule, e1.secret, 1, 3, 1, 1],
    're-vote: same rule and secrecy, one seat, the tied candidates and blank');
  eq(r.json.candidates.map((c) => c.member), ['M0002', 'M0003'], 're-vote: the tied candidates only');
  eq(r.json.choices, ['Deux', 'Trois', 'blanc'], 're-vote: their choices, then blank');
  await refused({ revote_of: 'e1' }, 409, 'revote_exists', 'a second re-vote: 409 revote_exists');
  await refused({ revote_of: 'e1', id: 'e1-bis' }, 409, 'revote_exists', 'a second re-vote under another id');

  const rr = await vote('e1-r', [[0], [0], [0], [1], [1], [2]]);
  eq([rr.counts, rr.outcome, rr.elected, rr.seats], [[3, 2, 1], 'elected', [0], 1], `the re-vote elects Deux (${rr.sentence})`);

  // A motion: A-IMI counts no abstention as expressed (art. 9).
  const rq = await vote('q1', [[0], [0], [0], [0], [0], [1], [1], [2]]);
  eq([rq.counts, rq.outcome, rq.base, rq.expressed, rq.abstention_expressed, rq.tie, rq.article],
    [[5, 2, 1], 'adopted', 'expressed', 7, false, false, '9'], 'a motion: 7 expressed votes, abstention out');

  // --- the record: revote_of; the verifier checks it ---
  const rec = cli(['record', 'export', id, '--data', data]);
  eq(rec.status, 0, 'record export');
  const lines = rec.stdout.split('\n').slice(0, -1);
  const evs = lines.map((l) => JSON.parse(l));
  const opening = (e, q) => e.find((x) => x.kind === 'question.opened' && x.payload.qid === q).payload;
  eq([opening(evs, 'e1-r').revote_of, opening(evs, 'e1-r').seats, opening(evs, 'e1').revote_of], ['e1', 1, undefined],
    'the record names the question re-voted');
  const recFile = path.join(data, 'record.jsonl');
  fs.writeFileSync(recFile, rec.stdout);
  const ver = spawnSync('build/scrutin-verify', ['--quiet', recFile], { encoding: 'utf8' });
  eq(ver.status, 0, 'scrutin-verify accepts the record: ' + ver.stdout + ver.stderr);
  // The minutes (audit/pv.c) say which question is a re-vote of which,
  // and that one followed the tie.
  const pv = spawnSync('build/scrutin-minutes', [recFile], { encoding: 'utf8' });
  eq(pv.status, 0, 'scrutin-minutes: ' + pv.stderr);
  const section = (q) => pv.stdout.slice(pv.stdout.indexOf(`<section class="item" id="q-${q}">`)).split('</section>')[0];
  check(section('e1-r').includes('<p class="revote">Nouveau vote entre les candidats ex æquo de « Conseil » (e1).</p>'),
    "the minutes say e1-r is the re-vote between e1's tied candidates");
  check(section('e1').includes('<p class="revote-next">Un nouveau vote entre les candidats ex æquo a suivi :' +
    ' « Conseil — nouveau vote entre les ex æquo » (e1-r).</p>'), 'the minutes say a re-vote followed e1');
  check(!section('e2').includes('revote') && !section('q1').includes('revote'), 'and nothing of the kind elsewhere');
  const rewrite = (what, f) => rewriteRecord({ data, meeting: id, lines, file: recFile }, what, f);
  const first = (x) => (x.stdout + x.stderr).trim().split('\n')[0];
  let bad = rewrite('same', () => {});
  eq(bad.status, 0, 'a re-chained copy verifies: ' + first(bad));
  bad = rewrite('other-cand', (e) => { opening(e, 'e1-r').choices[1].member = opening(e, 'e1').choices[3].member; });
  check(bad.status === 1 && /question e1-r: candidate 2 is not one of e1's tied candidates/.test(bad.stdout),
    'a re-vote with another candidate fails: ' + first(bad));
  bad = rewrite('same-cand', (e) => { opening(e, 'e1-r').choices[1].member = opening(e, 'e1-r').choices[0].member; });
  check(bad.status === 1 && /candidate 2 is not one of e1's tied candidates/.test(bad.stdout), 'a candidate twice fails: ' + first(bad));
  bad = rewrite('seats', (e) => { const p = opening(e, 'e1-r'); p.seats = 2; p.max = 2; });
  check(bad.status === 1 && /question e1-r: 2 seats, e1 left 1/.test(bad.stdout), 'a re-vote for more seats fails: ' + first(bad));
  bad = rewrite('of-e2', (e) => { opening(e, 'e1-r').revote_of = 'e2'; });
  check(bad.status === 1 && /election e2 did not result in tie_unresolved/.test(bad.stdout), 'a re-vote of an election that did not tie fails: ' + first(bad));
  bad = rewrite('of-q1', (e) => { opening(e, 'e1-r').revote_of = 'q1'; });
  check(bad.status === 1 && /election q1 missing or of another rule/.test(bad.stdout), 'a re-vote of a motion fails: ' + first(bad));
  bad = rewrite('twice', (e) => { opening(e, 'e2').revote_of = 'e1'; });
  check(bad.status === 1 && /question e2: (election e1 did not result|re-vote of e1 opened twice|candidate)/.test(bad.stdout),
    'a question before the tie cannot be its re-vote: ' + first(bad));
} finally {
  await srv.stop();
}
done('revote');

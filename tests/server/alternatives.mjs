// alternatives.mjs — alternative motions and a meeting's own quorum, over
// real HTTPS on loopback with real (show-of-hands) ballots:
//  - ANIMT's AG leaves its quorum to the meeting: `meeting create` refuses
//    it without --quorum, refuses a malformed one, and A-IMI's AG (whose
//    statutes state the quorum) refuses one; the quorum given is in the
//    record's meeting event and the verifier counts with it;
//  - the moderator groups motions as alternatives (agenda entry or POST
//    questions with "alternatives": GROUP): refused where the profile has
//    no alternatives rule (A-IMI: 400 alternatives_refused), for an
//    election, under another decision rule, once the group's vote began,
//    with a bad group id — each refusal changes nothing;
//  - each motion is voted and counted on its own; when all of a group are
//    counted, the engine's alternatives rule (ANIMT IV) gives the group's
//    outcome: two approved → the one with more pour wins; one approved →
//    it wins; none approved → none_approved; two approved with as many
//    pour → tie_unresolved; signed, in the meeting view, one
//    alternatives.result event, in the record;
//  - the minutes (scrutin-minutes and GET minutes, the same bytes) give
//    each group's motions and outcome sentence, the view's words, escaped;
//  - scrutin-verify recomputes each group's outcome and fails on a
//    tampered outcome, winner or list, a motion taken out of its group, a
//    changed meeting quorum.
//   node tests/server/alternatives.mjs     (from the repository root, after make)
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { check, eq, done, startServer, tmpDir, sqlite, cli, pvWithoutNames } from './lib.mjs';
import { C, api, attend, ceremony, openBallot, setupMeeting, enrolMeeting, liveEvents, unhex, MEETING_DATE, rewriteRecord } from './meeting-lib.mjs';

const evCount = (data, kind) => +sqlite(path.join(data, 'roll.db'),
  `SELECT count(*) FROM events${kind ? ` WHERE kind = '${kind}'` : ''}`);
const qCount = (data) => +sqlite(path.join(data, 'roll.db'), 'SELECT count(*) FROM questions');
const QUORUM = { counts: ['present', 'remote', 'represented'], fraction: '1/4', compare: 'at_least',
  rounding: 'none', second_convocation: 'none' };

// --- A-IMI: no alternatives rule; its AG states its quorum ----------------
{
  const data = tmpDir('alt-aimi');
  const m = setupMeeting(data, { members: 4, id: 'ag-aimi' });
  const c = cli(['meeting', 'create', '--id', 'ag2', '--title', 'AG', '--date', MEETING_DATE,
    '--profile', 'ballot-formats/profiles/a-imi.yaml', '--body', 'ag', '--quorum', JSON.stringify(QUORUM), '--data', data]);
  check(c.status === 1 && /fixent le quorum/.test(c.stderr), 'A-IMI AG: --quorum refused (the statutes state it): ' + c.stderr.trim());
  const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
  const base = `/api/v1/meetings/${m.id}`;
  try {
    const ev0 = evCount(data), q0 = qCount(data);
    const r = await api(srv, 'POST', `${base}/questions`, { id: 'a1', title: 'Motion A', kind: 'motion', rule: 'ordinary',
      secret: false, alternatives: 'g1' }, m.modToken);
    eq([r.status, r.json.error?.code, r.json.error?.field], [400, 'alternatives_refused', 'alternatives'], 'A-IMI: grouping refused');
    check(/alternatives/.test(r.json.error.fr) && /alternative motions/.test(r.json.error.en), `in French and English (${r.json.error.fr})`);
    eq([evCount(data), qCount(data)], [ev0, q0], 'nothing changed');
    fs.writeFileSync(path.join(data, 'alt.json'), JSON.stringify({ id: 'a2', title: 'Motion A', kind: 'motion', rule: 'ordinary',
      secret: false, alternatives: 'g1' }));
    const c2 = cli(['question', 'add', m.id, path.join(data, 'alt.json'), '--data', data]);
    check(c2.status === 1 && /motions alternatives/.test(c2.stderr), 'A-IMI: grouping refused in the agenda too: ' + c2.stderr.trim());
  } finally {
    await srv.stop();
  }
}

// --- ANIMT's AG: its own quorum, alternative motions -----------------------
const data = tmpDir('alt-animt');
const run = (args, ok = true) => {
  const r = cli([...args, '--data', data]);
  if (ok && r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return ok ? r.stdout : r;
};
const paid = new Date(Date.now() - 30 * 86400e3).toISOString().slice(0, 10);
const N = 9;
const lines = ['numéro;nom;prénom;catégorie;cotisation'];
for (let i = 1; i <= N; i++) lines.push(`M000${i};Nom${i};Prénom${i};membre_de_droit;${paid}`);
fs.writeFileSync(path.join(data, 'roll.csv'), lines.join('\n') + '\n');
run(['roll', 'import', path.join(data, 'roll.csv')]);
const mo = (id, title, alternatives, rule = 'ordinary') => ({ id, title, kind: 'motion', rule, secret: false, ...(alternatives ? { alternatives } : {}) });
const agenda = path.join(data, 'agenda.json');
fs.writeFileSync(agenda, JSON.stringify({ questions: [
  mo('a1', 'Cotisation à 20 €', 'cotisation'), mo('a2', 'Cotisation à 25 €', 'cotisation'),
  mo('b1', 'Siège à Lyon', 'siege'),
  mo('c1', 'Logo bleu', 'logo'), mo('c2', 'Logo vert', 'logo'),
  mo('d1', 'Fête le 14 juin', 'fete'), mo('d2', 'Fête le 21 juin', 'fete'),
  mo('q9', 'Approbation des comptes'),
] }));
const id = 'ag-animt';
const create = ['meeting', 'create', '--id', id, '--title', 'AG ANIMT', '--date', MEETING_DATE,
  '--profile', 'ballot-formats/profiles/animt.yaml', '--body', 'ag', '--agenda', agenda, '--trustees', '2', '--threshold', '2'];
let c = run(create, false);
check(c.status === 1 && /--quorum requis/.test(c.stderr), 'ANIMT AG: --quorum required: ' + c.stderr.trim());
for (const bad of ['{"counts":[],"fraction":"1/4","compare":"at_least","rounding":"none","second_convocation":"none"}',
  JSON.stringify({ ...QUORUM, fraction: '5/4' }), JSON.stringify({ ...QUORUM, extra: 1 }), '{oops', 'nul']) {
  c = run([...create, '--quorum', bad], false);
  check(c.status === 1 && /--quorum invalide/.test(c.stderr), `bad quorum ${bad} refused: ${c.stderr.trim()}`);
}
eq(+sqlite(path.join(data, 'roll.db'), 'SELECT count(*) FROM meetings'), 0, 'no meeting created by the refusals');
run(['meeting', 'create', '--id', 'ag-x', '--title', 'AG X', '--date', MEETING_DATE, '--profile', 'ballot-formats/profiles/animt.yaml',
  '--body', 'ag', '--quorum', 'none']);
const agX = path.join(data, 'agenda-x.json');
fs.writeFileSync(agX, JSON.stringify({ questions: [mo('a1', 'x', 'g'), { id: 'e1', title: 'É', kind: 'election', rule: 'college_b',
  secret: true, seats: 1, candidates: [{ member: 'M0001', name: 'Un' }], alternatives: 'g' }] }));
c = run(['question', 'add', 'ag-x', agX], false);
check(c.status === 1 && /seules des motions/.test(c.stderr), 'an election is no alternative: ' + c.stderr.trim());
fs.writeFileSync(agX, JSON.stringify({ questions: [mo('a1', 'x', 'g'), mo('a2', 'y', 'g', 'absolute')] }));
c = run(['question', 'add', 'ag-x', agX], false);
check(c.status === 1 && /même règle/.test(c.stderr), 'alternatives under two rules refused: ' + c.stderr.trim());
eq(+sqlite(path.join(data, 'roll.db'), "SELECT count(*) FROM questions WHERE meeting = 'ag-x'"), 0, 'the agenda is added whole or not at all');
fs.writeFileSync(agenda, JSON.stringify({ questions: [
  mo('a1', 'Cotisation à 20 €', 'cotisation'), mo('a2', 'Cotisation à 25 €', 'cotisation'),
  mo('b1', 'Siège à Lyon', 'siege'),
  mo('c1', 'Logo bleu', 'logo'), mo('c2', 'Logo vert', 'logo'),
  mo('d1', 'Fête le 14 juin', 'fete'), mo('d2', 'Fête le 21 juin', 'fete'),
  mo('q9', 'Approbation des comptes'),
] }));
run([...create, '--quorum', JSON.stringify(QUORUM)]);
run(['meeting', 'convene', id]);
const m = enrolMeeting(data, id, N);
const { voters, modToken, enrol } = m;
const base = `/api/v1/meetings/${id}`;
const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
try {
  // The live stream, open from the start.
  const events = [];
  const sse = liveEvents(srv, `${base}/events`, events);
  await ceremony(srv, m);
  eq((await api(srv, 'POST', `${base}/start`, {}, modToken)).status, 200, 'AG started');
  for (const v of voters)
    eq((await api(srv, 'POST', `${base}/attendance`, attend(m, v, 'check-in', 'present'))).status, 200, `${v.no} present`);
  const view = async () => (await api(srv, 'GET', base)).json;
  eq((await view()).attendance.quorum.status, 'met', 'the meeting\'s own quorum is counted (9 present, 1/4)');
  const add = (body) => api(srv, 'POST', `${base}/questions`, body, modToken);
  const refused = async (body, status, code, what) => {
    const ev0 = evCount(data), q0 = qCount(data);
    const r = await add(body);
    eq([r.status, r.json.error?.code], [status, code], what);
    eq([evCount(data), qCount(data)], [ev0, q0], `${what}: nothing changed`);
  };
  // pour / contre / abstention by voter.
  const vote = async (qid, [p, k, a]) => {
    eq((await api(srv, 'POST', `${base}/questions/${qid}/open`, {}, modToken)).status, 200, `${qid} opened`);
    const q = (await view()).questions.find((x) => x.id === qid);
    const sels = [...Array(p).fill([1, 0, 0]), ...Array(k).fill([0, 1, 0]), ...Array(a).fill([0, 0, 1])];
    for (const [i, s] of sels.entries()) {
      const r = await api(srv, 'POST', `${base}/ballots`, openBallot(m, q, qid, voters[i], s));
      if (r.status !== 200) throw new Error(`${qid} ballot ${i}: ${r.text}`);
    }
    eq((await api(srv, 'POST', `${base}/questions/${qid}/close`, {}, modToken)).json.status, 'closed', `${qid} closed`);
    return (await api(srv, 'GET', `${base}/questions/${qid}/result`)).json;
  };

  eq((await api(srv, 'GET', `${base}/rules`, undefined, modToken)).json.alternatives, true,
    'rules: ANIMT\'s AG has an alternatives rule (the console offers alternative motions)');
  // An amendment made an alternative during the meeting (API).
  // Its title has HTML's special characters: the minutes escape them.
  const B2 = 'Siège à Paris <10e> & "Marais"';
  let r = await add(mo('b2', B2, 'siege'));
  eq([r.status, r.json.alternatives, r.json.on_agenda], [200, 'siege', false], `b2 added to the group "siege" (${r.text})`);
  await refused(mo('b3', 'Siège', 'siege', 'absolute'), 400, 'invalid_field', 'another decision rule in the group');
  await refused(mo('b4', 'Siège', 'un groupe'), 400, 'invalid_field', 'bad group id');
  await refused({ ...mo('b5', 'Siège', 'siege'), extra: 1 }, 400, 'invalid_field', 'unknown key');
  await refused({ id: 'e9', title: 'É', kind: 'election', rule: 'college_b', secret: true, seats: 1,
    candidates: [{ member: 'M0001', name: 'Un' }], alternatives: 'siege' }, 400, 'invalid_field', 'an election is no alternative');

  // cotisation: both approved, a2 has more pour → a2 wins.
  const a1 = await vote('a1', [5, 2, 2]);
  eq(a1.outcome, 'adopted', `a1 adopted (${a1.sentence})`);
  eq((await view()).alternatives, [], 'no group outcome before every motion of it is counted');
  await refused(mo('a3', 'Cotisation à 30 €', 'cotisation'), 409, 'wrong_phase', 'no alternative once the group\'s vote began');
  const a2 = await vote('a2', [6, 3, 0]);
  eq(a2.outcome, 'adopted', `a2 adopted (${a2.sentence})`);
  // siege: b1 rejected, b2 adopted → b2 wins.
  eq((await vote('b1', [3, 5, 1])).outcome, 'rejected', 'b1 rejected');
  eq((await vote('b2', [5, 4, 0])).outcome, 'adopted', 'b2 adopted');
  // logo: none approved (c2: a tie rejects under the relative majority).
  eq((await vote('c1', [2, 6, 1])).outcome, 'rejected', 'c1 rejected');
  eq((await vote('c2', [4, 4, 1])).outcome, 'rejected', 'c2 rejected (tie)');
  // fete: both approved with 5 pour each → a tie the statutes do not break.
  eq((await vote('d1', [5, 2, 2])).outcome, 'adopted', 'd1 adopted');
  eq((await vote('d2', [5, 3, 1])).outcome, 'adopted', 'd2 adopted');
  eq((await vote('q9', [7, 1, 1])).outcome, 'adopted', 'q9, in no group');

  const alts = (await view()).alternatives;
  eq(alts.map((g) => [g.group, g.questions, g.outcome, g.winner]), [
    ['cotisation', ['a1', 'a2'], 'winner', 'a2'],
    ['siege', ['b1', 'b2'], 'winner', 'b2'],
    ['logo', ['c1', 'c2'], 'none_approved', null],
    ['fete', ['d1', 'd2'], 'tie_unresolved', null],
  ], 'each group\'s outcome under ANIMT IV');
  eq(alts[0].sentence, 'Motions alternatives « cotisation » : la motion « Cotisation à 25 € » l\'emporte avec 6 voix pour.', 'the winner\'s sentence');
  eq(alts[2].sentence, 'Motions alternatives « logo » : aucune motion n\'est approuvée.', 'none approved: sentence');
  eq(alts[3].sentence, 'Motions alternatives « fete » : égalité de voix pour entre motions approuvées, que les statuts ne tranchent pas.',
    'tie unresolved: sentence');
  const srvKey = unhex((await api(srv, 'GET', '/api/v1/status')).json.server_key);
  check(alts.every((g) => C.verifyStatement('alternatives', [id, g.group, g.outcome, g.winner ?? ''], unhex(g.server_sig), srvKey)),
    'each group outcome signed by the server');
  check(!C.verifyStatement('alternatives', [id, 'logo', 'winner', 'c1'], unhex(alts[2].server_sig), srvKey), 'a changed outcome does not verify');
  await new Promise((res) => setTimeout(res, 400));
  sse.destroy();
  eq(events.filter((e) => e.name === 'alternatives_result').map((e) => e.data), alts, 'each group outcome on the live stream');
  // The web apps' view follows the live event (kiosk/js/live.js).
  const { applyEvent } = await import(pathToFileURL(path.resolve('kiosk/js/live.js')).href);
  const v0 = { questions: [] };
  for (const e of events.filter((x) => x.name === 'alternatives_result')) applyEvent(v0, e.name, e.data);
  applyEvent(v0, 'alternatives_result', alts[0]);
  eq(v0.alternatives, alts, 'live.js keeps each group outcome once');
  eq(+sqlite(path.join(data, 'roll.db'), "SELECT count(*) FROM events WHERE kind = 'alternatives.result' AND mseq IS NULL"), 4,
    'one alternatives.result event per group in the journal');
  eq(+sqlite(path.join(data, 'roll.db'), "SELECT count(*) FROM events WHERE kind = 'alternatives.result' AND mseq IS NOT NULL"), 4,
    'and one in the record');

  // --- the record ---
  const rec = cli(['record', 'export', id, '--data', data]);
  eq(rec.status, 0, 'record export');
  const lines2 = rec.stdout.split('\n').slice(0, -1);
  const evs = lines2.map((l) => JSON.parse(l));
  eq(evs[0].payload.quorum, QUORUM, 'the meeting event carries the meeting\'s quorum');
  eq(evs.filter((e) => e.kind === 'question.opened').map((e) => [e.payload.qid, e.payload.alternatives ?? null]),
    [['a1', 'cotisation'], ['a2', 'cotisation'], ['b1', 'siege'], ['b2', 'siege'], ['c1', 'logo'], ['c2', 'logo'],
      ['d1', 'fete'], ['d2', 'fete'], ['q9', null]],
    'each motion\'s group in the record');
  eq(evs.filter((e) => e.kind === 'alternatives.result').map((e) => e.payload), [
    { group: 'cotisation', qids: ['a1', 'a2'], outcome: 'winner', winner: 'a2' },
    { group: 'siege', qids: ['b1', 'b2'], outcome: 'winner', winner: 'b2' },
    { group: 'logo', qids: ['c1', 'c2'], outcome: 'none_approved', winner: null },
    { group: 'fete', qids: ['d1', 'd2'], outcome: 'tie_unresolved', winner: null },
  ], 'alternatives.result in the record');
  const recFile = path.join(data, 'record.jsonl');
  fs.writeFileSync(recFile, rec.stdout);
  const ver = spawnSync('build/scrutin-verify', ['--quiet', recFile], { encoding: 'utf8' });
  eq(ver.status, 0, 'scrutin-verify accepts the record: ' + ver.stdout + ver.stderr);
  eq(ver.stdout.split('\n').filter((l) => l.startsWith('Motions alternatives ')), [
    'Motions alternatives cotisation : vérifiées — issue : winner (a2)',
    'Motions alternatives siege : vérifiées — issue : winner (b2)',
    'Motions alternatives logo : vérifiées — issue : none_approved',
    'Motions alternatives fete : vérifiées — issue : tie_unresolved',
  ], 'a verdict for every group of alternative motions');
  // --- the minutes, from the verified record ---
  const pv = spawnSync('build/scrutin-minutes', [recFile], { encoding: 'utf8' });
  eq(pv.status, 0, 'scrutin-minutes writes the minutes: ' + pv.stderr);
  const html = pv.stdout;
  const esc = (x) => x.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const groupsPv = html.slice(html.indexOf('<h3>Motions alternatives</h3>'), html.indexOf('<p class="closing">'));
  check(html.indexOf('<h3>Motions alternatives</h3>') > html.lastIndexOf('id="q-q9"'), 'the groups follow the questions in the minutes');
  eq(groupsPv.match(/<b>[^<]*<\/b>/g)?.length, 4, 'one outcome sentence per group in the minutes');
  for (const g of alts)
    check(groupsPv.includes(`<b>${esc(g.sentence)}</b>`), `the minutes give the view's sentence of ${g.group}, escaped: ${esc(g.sentence)}`);
  check(groupsPv.includes('Groupe « siege » : « Siège à Lyon » (b1), « Siège à Paris &lt;10e&gt; &amp; &quot;Marais&quot; » (b2).'),
    'the minutes list each group\'s motions, titles escaped');
  check(!html.includes('<10e>') && !html.includes('& "Marais"'), 'no title unescaped anywhere in the minutes');
  eq(html.match(/Motion alternative du groupe « [a-z]+ »/g), ['cotisation', 'cotisation', 'siege', 'siege', 'logo', 'logo', 'fete', 'fete']
    .map((g) => `Motion alternative du groupe « ${g} »`), 'each grouped motion names its group in the minutes, q9 none');
  const pvApi = await api(srv, 'GET', `${base}/minutes`);
  eq(pvApi.status, 200, 'GET minutes');
  check(pvApi.text.includes('id="annexe-emargement"') && pvWithoutNames(pvApi.text) === pvWithoutNames(html),
    'the server\'s minutes are the bytes scrutin-minutes writes, but for the members\' names');
  const rewrite = (what, f) => rewriteRecord({ data, meeting: id, lines: lines2, file: recFile }, what, f);
  const first = (x) => (x.stdout + x.stderr).trim().split('\n')[0];
  const altEv = (e, g) => e.find((x) => x.kind === 'alternatives.result' && x.payload.group === g).payload;
  let bad = rewrite('same', () => {});
  eq(bad.status, 0, 'a re-chained copy verifies: ' + first(bad));
  bad = rewrite('winner', (e) => { altEv(e, 'cotisation').winner = 'a1'; });
  check(bad.status === 1 && /alternative motions cotisation: outcome winner \(a1\) recorded, winner \(a2\) recomputed/.test(bad.stdout),
    'a tampered winner fails: ' + first(bad));
  bad = rewrite('none', (e) => { const p = altEv(e, 'logo'); p.outcome = 'winner'; p.winner = 'c2'; });
  check(bad.status === 1 && /alternative motions logo: outcome winner \(c2\) recorded, none_approved \(-\) recomputed/.test(bad.stdout),
    'a tampered none_approved fails: ' + first(bad));
  bad = rewrite('list', (e) => { altEv(e, 'siege').qids = ['b2']; });
  check(bad.status === 1 && /the list is not the group's motions/.test(bad.stdout), 'a group list without a motion fails: ' + first(bad));
  bad = rewrite('ungroup', (e) => { delete e.find((x) => x.kind === 'question.opened' && x.payload.qid === 'b1').payload.alternatives; });
  check(bad.status === 1 && /the list is not the group's motions/.test(bad.stdout), 'a motion taken out of its group fails: ' + first(bad));
  bad = rewrite('twice', (e) => { const k = e.findIndex((x) => x.kind === 'alternatives.result'); e.splice(k + 1, 0, JSON.parse(JSON.stringify(e[k]))); });
  check(bad.status === 1 && /settled twice/.test(bad.stdout), 'a group settled twice fails: ' + first(bad));
  bad = rewrite('quorum', (e) => { e[0].payload.quorum = { ...QUORUM, fraction: '1/1', compare: 'more_than' }; });
  check(bad.status === 1 && /recomputed|refuses/.test(bad.stdout), 'a changed meeting quorum fails: ' + first(bad));
  bad = rewrite('noquorum', (e) => { delete e[0].payload.quorum; });
  check(bad.status === 1 && /quorum/.test(bad.stdout), 'a record without the meeting\'s quorum fails: ' + first(bad));
} finally {
  await srv.stop();
}
done('alternatives');

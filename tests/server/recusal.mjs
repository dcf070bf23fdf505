// recusal.mjs — recusal on the real server (HTTPS on loopback), Espace+'s
// CA (RI art. 7: « les membres du Conseil d'Administration, à l'exception
// de celui concerné par la procédure, délibèrent », two thirds of the
// members present or represented, by secret ballot):
//  - the moderator marks the member concerned on a pending question
//    (POST questions/{q}/recusals); bad inputs refused with nothing
//    written: an unknown member, a duplicate, a rule without recusal (art.
//    given), another role's token, after the opening;
//  - q1 (M0002 recused; 11 present, M0012 represented by M0001): the base
//    is 11 and the threshold 7 (E4); M0002's ballot is refused 403
//    `recused` with « art. 7 »;
//  - q2 (M0001 recused, the holder of M0012's proxy): his own ballot and
//    the one he casts for M0012 are refused; the base is 10, the
//    threshold 6;
//  - each result sentence is the statutes engine's own (scrutin-count on
//    the same facts), and the question.opened events name the recused
//    credentials; the exported record verifies with scrutin-verify;
//  - the minutes say, for q1 and q2, who was recused, by name, with the
//    article (« Prénom2 Nom2 s'est déporté(e) (art. 7) »).
//   node tests/server/recusal.mjs     (from the repository root, after make)
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { check, eq, done, startServer, tmpDir, sqlite, cli } from './lib.mjs';
import { C, api, attend, ceremony, decrypt, enrolMeeting, hex, now, makeRoll, secretBallot, MEETING_DATE, exportAndVerify } from './meeting-lib.mjs';

const data = tmpDir('recusal');
const run = (args) => {
  const r = cli([...args, '--data', data]);
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};
const N = 12;
run(['roll', 'import', makeRoll(data, N, 'administrateur')]);
const agenda = path.join(data, 'agenda.json');
fs.writeFileSync(agenda, JSON.stringify({ questions: [
  { id: 'q1', title: 'Révocation de M0002', kind: 'motion', rule: 'revocation', secret: true },
  { id: 'q2', title: 'Révocation de M0001', kind: 'motion', rule: 'revocation', secret: true },
  { id: 'q3', title: 'Motion simple', kind: 'motion', rule: 'simple', secret: false },
] }));
const quorum = { counts: ['present', 'represented'], fraction: '1/2', compare: 'at_least', rounding: 'floor', second_convocation: 'none' };
const id = 'ca-recusal';
run(['meeting', 'create', '--id', id, '--title', 'CA Espace+', '--date', MEETING_DATE,
  '--profile', 'ballot-formats/profiles/espace-plus.yaml', '--body', 'ca', '--agenda', agenda,
  '--trustees', '2', '--threshold', '2', '--quorum', JSON.stringify(quorum)]);
run(['meeting', 'convene', id]);
const m = enrolMeeting(data, id, N);
const { voters: V, modToken } = m;
const base = `/api/v1/meetings/${id}`;
const events = () => +sqlite(path.join(data, 'roll.db'), `SELECT count(*) FROM events WHERE kind = 'question.recusals'`);

const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
try {
  const recuse = (qid, members, token = modToken) => api(srv, 'POST', `${base}/questions/${qid}/recusals`, { members }, token);
  const refused = async (qid, members, status, code, what, token) => {
    const n0 = events();
    const r = await recuse(qid, members, token);
    eq([r.status, r.json.error?.code], [status, code], what);
    if (status !== 401) check(r.json.error?.fr && r.json.error?.en, `${what}: French and English (${r.json.error?.fr})`);
    eq(events(), n0, `${what}: nothing written`);
    return r;
  };

  // The members the console offers, by name; the moderator's only.
  const ml = await api(srv, 'GET', `${base}/members`, undefined, modToken);
  eq([ml.status, ml.json.members?.length, ml.json.members?.find((x) => x.member === 'M0002')?.name], [200, N, 'Prénom2 Nom2'],
    'GET members: the roll by number and name');
  eq((await api(srv, 'GET', `${base}/members`, undefined, 'x'.repeat(43))).status, 401, 'GET members: the moderator\'s token required');
  // Bad inputs on a pending question.
  await refused('q1', ['M0099'], 404, 'recusal_member_unknown', 'an unknown member refused');
  await refused('q1', ['M0002', 'M0002'], 400, 'invalid_field', 'a member twice refused');
  await refused('q1', 'M0002', 400, 'invalid_field', 'not a list refused');
  await refused('q9', ['M0002'], 404, 'question_unknown', 'an unknown question refused');
  const nr = await refused('q3', ['M0002'], 403, 'recusal_not_allowed', 'a rule without recusal refused');
  eq(nr.json.error.article, '1, 9, 15', 'with the rule\'s article');
  await refused('q1', ['M0002'], 401, 'unauthorized', 'without the moderator\'s token refused', 'x'.repeat(43));
  // Set, changed, then set again: the last list stands.
  let r = await recuse('q1', ['M0003']);
  eq([r.status, r.json.recused], [200, ['M0003']], 'q1: M0003 recused');
  r = await recuse('q1', []);
  eq([r.status, r.json.recused], [200, undefined], 'q1: the recusal cleared');
  r = await recuse('q1', ['M0002']);
  eq([r.status, r.json.recused], [200, ['M0002']], 'q1: M0002 recused');
  eq((await recuse('q2', ['M0001'])).json.recused, ['M0001'], 'q2: M0001 recused');
  eq(events(), 4, 'four question.recusals events');

  // M0012 gives his proxy to M0001 (S_proxy, docs/record.md §5).
  const ts = now();
  const sig = hex(C.signStatement('proxy', [id, V[11].pk, V[0].pk, C.le64(ts)], V[11].sk).sig);
  eq((await api(srv, 'POST', `${base}/proxies`, { action: 'give', giver: hex(V[11].pk), holder: hex(V[0].pk), ts, sig })).status,
    200, 'M0012 gives a proxy to M0001');

  const cer = await ceremony(srv, m);
  eq((await api(srv, 'POST', `${base}/start`, {}, modToken)).status, 200, 'CA started');
  for (const v of V.slice(0, 11))
    eq((await api(srv, 'POST', `${base}/attendance`, attend(m, v, 'check-in', 'present'))).status, 200, `${v.no} present`);

  const cast = async (qid, voter, sel, signer = voter) => {
    const q = (await api(srv, 'GET', base)).json.questions.find((x) => x.id === qid);
    return api(srv, 'POST', `${base}/ballots`, secretBallot(cer, q, qid, voter, sel, signer));
  };
  const P = [1, 0, 0], K = [0, 1, 0], A = [0, 0, 1];
  const results = {};

  // q1: M0002 recused. 11 voices: M0001, M0012 by M0001, M0003…M0011.
  eq((await api(srv, 'POST', `${base}/questions/q1/open`, {}, modToken)).status, 200, 'q1 opened');
  await refused('q1', ['M0003'], 409, 'wrong_phase', 'a recusal after the opening refused');
  r = await cast('q1', V[1], P);
  eq([r.status, r.json.error?.code, r.json.error?.article], [403, 'recused', '7'], 'q1: the recused member\'s ballot refused (art. 7)');
  check(/récusé/.test(r.json.error.fr) && /art\. 7/.test(r.json.error.fr), `q1: the French says why, with the article (${r.json.error.fr})`);
  const q1 = [[V[0], P], [V[11], P, V[0]], [V[2], P], [V[3], P], [V[4], P], [V[5], P], [V[6], P], [V[7], K], [V[8], K], [V[9], K], [V[10], A]];
  for (const [v, sel, by] of q1)
    eq((await cast('q1', v, sel, by)).status, 200, `q1: ballot for ${v.no}${by ? ` by ${by.no}` : ''}`);

  // q2: M0001 recused, and with him the proxy he holds (art. 7).
  eq((await api(srv, 'POST', `${base}/questions/q1/close`, {}, modToken)).json.status, 'closed', 'q1 closed');
  await decrypt(srv, m, cer, 'q1');
  results.q1 = (await api(srv, 'GET', `${base}/questions/q1/result`)).json;
  eq((await api(srv, 'POST', `${base}/questions/q2/open`, {}, modToken)).status, 200, 'q2 opened');
  r = await cast('q2', V[0], P);
  eq([r.status, r.json.error?.code, r.json.error?.article], [403, 'recused', '7'], 'q2: the recused holder\'s own ballot refused');
  r = await cast('q2', V[11], P, V[0]);
  eq([r.status, r.json.error?.code, r.json.error?.article], [403, 'proxy_holder_recused', '7'], 'q2: his ballot under the proxy refused');
  check(/mandataire/.test(r.json.error.fr), `q2: the French says why (${r.json.error.fr})`);
  const q2 = [[V[1], P], [V[2], P], [V[3], P], [V[4], P], [V[5], P], [V[6], K], [V[7], K], [V[8], K], [V[9], K], [V[10], A]];
  for (const [v, sel] of q2)
    eq((await cast('q2', v, sel)).status, 200, `q2: ballot for ${v.no}`);
  eq((await api(srv, 'POST', `${base}/questions/q2/close`, {}, modToken)).json.status, 'closed', 'q2 closed');
  await decrypt(srv, m, cer, 'q2');
  results.q2 = (await api(srv, 'GET', `${base}/questions/q2/result`)).json;

  // The statutes engine on the same facts (docs/scenarios.md).
  const a = (v) => v.no.toLowerCase();
  const scen = ['format: scrutin-scenario/1', 'profile: espace-plus', 'body: ca', 'meeting:', `  date: ${MEETING_DATE}`,
    '  convocation: first', '  quorum: {counts: [present, represented], fraction: "1/2", compare: at_least, rounding: floor, second_convocation: none}', 'roll:',
    ...V.map((v) => `  - {id: ${a(v)}, category: administrateur}`),
    'attendance:', `  present: [${V.slice(0, 11).map(a).join(', ')}]`,
    'proxies:', `  - {giver: ${a(V[11])}, holder: ${a(V[0])}}`, 'questions:',
    '  - {id: q1, kind: motion, decision: revocation, on_agenda: true, recused: [m0002], totals: {pour: 7, contre: 3, abstention: 1}}',
    '  - {id: q2, kind: motion, decision: revocation, on_agenda: true, recused: [m0001], totals: {pour: 5, contre: 4, abstention: 1}}'];
  const sf = path.join(data, 'scenario.yaml');
  fs.writeFileSync(sf, scen.join('\n') + '\n');
  const eng = spawnSync('build/scrutin-count', ['--profile', 'ballot-formats/profiles/espace-plus.yaml', '--text', '--lang', 'fr', sf], { encoding: 'utf8' });
  eq(eng.status, 0, `the engine on the same facts (${eng.stderr.trim()})`);
  const line = (qid) => eng.stdout.split('\n').find((l) => l.startsWith(`[${qid}] `)) ?? '';
  eq([results.q1.outcome, results.q1.counts], ['adopted', [7, 3, 1]], 'q1 adopted, 7 pour');
  check(/7 voix pour sur 11 membres présents ou représentés \(seuil : 7\)/.test(results.q1.sentence),
    `q1: base 11, threshold 7 (${results.q1.sentence})`);
  check(line('q1').startsWith(`[q1] ${results.q1.sentence} Voix de m0002 non comptée (récusé).`), `q1: the engine's sentence (${line('q1')})`);
  eq([results.q2.outcome, results.q2.counts], ['rejected', [5, 4, 1]], 'q2 rejected, 5 pour');
  check(/5 voix pour sur 10 membres présents ou représentés ; la majorité des deux tiers demandait 6/.test(results.q2.sentence),
    `q2: base 10, threshold 6 (${results.q2.sentence})`);
  check(line('q2').startsWith(`[q2] ${results.q2.sentence} Voix de m0001 non comptée (récusé). Voix de m0012 non comptée (mandataire récusé).`),
    `q2: the engine's sentence (${line('q2')})`);

  eq((await api(srv, 'POST', `${base}/end`, {}, modToken)).status, 200, 'CA ended');
  // The minutes name who was recused on each question, with the article.
  const pv = await api(srv, 'GET', `${base}/minutes`);
  eq(pv.status, 200, 'GET minutes');
  const section = (qid) => (pv.text.split(`id="q-${qid}"`)[1] ?? '').split('</section>')[0];
  check(section('q1').includes('<p class="recused">Prénom2 Nom2 s\'est déporté(e) (art. 7) : sa voix n\'est pas comptée sur cette question.</p>'),
    `the minutes: M0002 recused on q1, by name, art. 7 (${section('q1').match(/<p class="recused">[^<]*/)?.[0]})`);
  check(section('q2').includes('Prénom1 Nom1 s\'est déporté(e) (art. 7)') && !section('q2').includes('Nom2 s'),
    'the minutes: M0001 recused on q2, M0002 not');
  check(!section('q3').includes('class="recused"'), 'the minutes: nobody recused on q3');
  const ver = exportAndVerify(data, id);
  eq([ver.exported, ver.status], [0, 0], `the record verifies (${ver.out.trim().split('\n').pop()})`);
  const rec = cli(['record', 'export', id, '--data', data]).stdout.trim().split('\n').map((l) => JSON.parse(l));
  const opened = Object.fromEntries(rec.filter((e) => e.kind === 'question.opened').map((e) => [e.payload?.qid ?? e.qid, e]));
  const recusedOf = (qid) => (opened[qid].payload ?? opened[qid]).recused;
  eq(recusedOf('q1'), [hex(V[1].pk)], 'q1\'s question.opened names M0002\'s credential');
  eq(recusedOf('q2'), [hex(V[0].pk)], 'q2\'s question.opened names M0001\'s credential');
  fs.writeFileSync(path.join(data, 'record-lines.json'), JSON.stringify(rec));
} finally {
  await srv.stop();
}
done('recusal');

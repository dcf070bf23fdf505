// redist-quorum.mjs — the live quorum (GET meetings/{m}, attendance.quorum,
// server/quorum.c) counts a redistributed mandate under its new holder,
// on the real server (HTTPS on loopback). APROGEMERE II counts no member
// represented for its quorum (redistribute.mjs checks that), so the
// statutes here are APROGEMERE's with `represented` added to the
// quorum's counts (a profile file of the test's own), the president's
// redistribution unchanged:
//  - the president holds 12 mandates, 5 of which stand (not_redistributed
//    for the other 7), T3 holds 1: 6 represented, 4 present;
//  - he redistributes 2 to T2 and 5 to T1: 13 represented, the quorum
//    counted grows by 7 and its sentence says so;
//  - T1 checks out: the 5 he took fall with him (holder absent), not with
//    the president; back in, they count again;
//  - at q1's opening the result carries the same quorum (represented
//    13), and the exported record verifies with scrutin-verify.
//   node tests/server/redist-quorum.mjs     (from the repository root, after make)
import fs from 'node:fs';
import path from 'node:path';
import { check, eq, done, startServer, tmpDir, cli } from './lib.mjs';
import { C, S, api, attend, ceremony, enrolMeeting, hex, makeRoll, now, MEETING_DATE, exportAndVerify, openStatement } from './meeting-lib.mjs';

const data = tmpDir('redist-quorum');
const run = (args) => {
  const r = cli([...args, '--data', data]);
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};
const N = 20;
run(['roll', 'import', makeRoll(data, N, 'actif', '2020-01-01')]);
const profile = path.join(data, 'aprogemere-represented.yaml');
const text = fs.readFileSync('ballot-formats/profiles/aprogemere.yaml', 'utf8');
const from = 'counts: [present, remote, mail_in, internet]';
if (!text.includes(from)) throw new Error('the AG quorum counts of aprogemere.yaml changed: update this test');
fs.writeFileSync(profile, text.replace(from, 'counts: [present, remote, represented, mail_in, internet]'));
const agenda = path.join(data, 'agenda.json');
fs.writeFileSync(agenda, JSON.stringify({ questions: [
  { id: 'q1', title: 'Motion à main levée', kind: 'motion', rule: 'resolution', secret: false }] }));
const id = 'ag-redist-quorum';
run(['meeting', 'create', '--id', id, '--title', 'AG', '--date', MEETING_DATE, '--profile', profile, '--body', 'ag',
  '--agenda', agenda, '--trustees', '2', '--threshold', '2', '--president-member', 'M0001']);
run(['meeting', 'convene', id]);
const m = enrolMeeting(data, id, N);
const { voters: V, modToken } = m;
const base = `/api/v1/meetings/${id}`;
const sig = (kind, fields, sk) => hex(C.signStatement(kind, fields, sk).sig);
const give = (g, h) => { const ts = now(); return { action: 'give', giver: hex(g.pk), holder: hex(h.pk), ts, sig: sig('proxy', [id, g.pk, h.pk, C.le64(ts)], g.sk) }; };
const redist = (g, h) => { const ts = now(); return { president: hex(P.pk), giver: hex(g.pk), holder: hex(h.pk), ts,
  sig: sig('proxy-redistribute', [id, g.pk, h.pk, C.le64(ts)], P.sk) }; };
const P = V[0];
const givers = V.slice(1, 13);
const [T1, T2, T3, X] = [V[13], V[14], V[15], V[16]];

const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
try {
  const post = (p, body) => api(srv, 'POST', `${base}${p}`, body);
  for (const g of givers) eq((await post('/proxies', give(g, P))).status, 200, `${g.no} gives a proxy to the president`);
  eq((await post('/proxies', give(X, T3))).status, 200, `${X.no} gives a proxy to ${T3.no}`);
  await ceremony(srv, m);
  eq((await api(srv, 'POST', `${base}/start`, {}, modToken)).status, 200, 'AG started');
  for (const v of [P, T1, T2, T3]) eq((await post('/attendance', attend(m, v, 'check-in', 'present'))).status, 200, `${v.no} present`);
  const quorum = async () => (await api(srv, 'GET', base)).json.attendance.quorum;
  const figures = (q) => [q.voices.present, q.voices.represented, q.counted, q.required, q.status];

  let q = await quorum();
  check(q.counts.includes('represented'), 'the edited statutes count the members represented');
  eq(figures(q), [4, 6, 10, 5, 'met'], 'before: 4 present, 6 represented (the president\'s 5 that stand, T3\'s 1)');

  for (let i = 5; i < 7; i++) eq((await post('/proxies/redistribute', redist(givers[i], T2))).status, 200, `${givers[i].no}'s mandate to ${T2.no}`);
  eq(figures(await quorum()), [4, 8, 12, 5, 'met'], 'two redistributed: 8 represented');
  for (let i = 7; i < 12; i++) eq((await post('/proxies/redistribute', redist(givers[i], T1))).status, 200, `${givers[i].no}'s mandate to ${T1.no}`);
  q = await quorum();
  eq(figures(q), [4, 13, 17, 5, 'met'], 'all 7 redistributed: 13 represented, counted 17');
  check(q.sentence.fr.includes('17') && q.sentence.fr.startsWith('Quorum atteint'), `the engine's sentence says 17 (${q.sentence.fr})`);

  eq((await post('/attendance', attend(m, T1, 'check-out'))).status, 200, `${T1.no} leaves`);
  eq(figures(await quorum()), [3, 8, 11, 5, 'met'], 'T1 gone: the 5 he took fall with him (8 represented)');
  eq((await post('/attendance', attend(m, T1, 'check-in', 'present'))).status, 200, `${T1.no} back`);
  eq(figures(await quorum()), [4, 13, 17, 5, 'met'], 'T1 back: 13 represented again');

  eq((await api(srv, 'POST', `${base}/questions/q1/open`, {}, modToken)).status, 200, 'q1 opened');
  const qv = (await api(srv, 'GET', base)).json.questions.find((x) => x.id === 'q1');
  const ballot = (voice, signer) => {
    const st = openStatement(id, qv, 'q1', voice.pk, signer.pk, [1, 0, 0]);
    return post('/ballots', { question: 'q1', selection: [1, 0, 0], voice: hex(voice.pk), signer: hex(signer.pk), sig: hex(S.crypto_sign_detached(st, signer.sk)) });
  };
  for (const v of [P, T1, T2, T3]) eq((await ballot(v, v)).status, 200, `${v.no} votes`);
  for (let i = 0; i < 12; i++) eq((await ballot(givers[i], i < 5 ? P : i < 7 ? T2 : T1)).status, 200, `the mandate of ${givers[i].no} voted by its holder`);
  eq((await ballot(X, T3)).status, 200, `${T3.no} votes for ${X.no}`);
  eq((await api(srv, 'POST', `${base}/questions/q1/close`, {}, modToken)).json.status, 'closed', 'q1 closed');
  const res = (await api(srv, 'GET', `${base}/questions/q1/result`)).json;
  eq([res.ballots, figures(res.quorum)], [17, [4, 13, 17, 5, 'met']], 'the result: 17 ballots, the quorum at the opening 13 represented');
  eq((await api(srv, 'POST', `${base}/end`, {}, modToken)).status, 200, 'AG ended');
  const ver = exportAndVerify(data, id);
  eq([ver.exported, ver.status], [0, 0], `the record verifies (${ver.out.trim().split('\n').pop()})`);
} finally {
  await srv.stop();
}
done('redist-quorum');

// redistribute.mjs — the president's redistribution of the proxies he
// holds (APROGEMERE II: unlimited to the president, who keeps five and
// redistributes the others within the cap of five per holder), on the
// real server (HTTPS on loopback):
//  - the president holds 12 mandates; GET voters/{pk} lists for him the
//    7 the engine would refuse (not_redistributed) and the members
//    present who may still take one (cap left); any other member gets
//    no such list;
//  - the president reassigns the 7 (S_redistribute signed by his
//    credential, POST proxies/redistribute): 5 to one member, 2 to
//    another; each refusal says why with nothing written: a statement
//    signed by a non-president, one signed by another key, a holder at
//    his cap (art. II), a proxy the president does not hold, a member
//    absent;
//  - at the opening the engine counts each mandate under its new holder:
//    each new holder votes for the giver, the president votes his 5; the
//    president can no longer vote a redistributed mandate;
//  - the exported record verifies with scrutin-verify.
//   node tests/server/redistribute.mjs     (from the repository root, after make)
import fs from 'node:fs';
import path from 'node:path';
import { check, eq, done, startServer, tmpDir, sqlite, cli } from './lib.mjs';
import { C, S, api, attend, ceremony, enrolMeeting, hex, now, MEETING_DATE, exportAndVerify, openStatement } from './meeting-lib.mjs';

const data = tmpDir('redistribute');
const run = (args) => {
  const r = cli([...args, '--data', data]);
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};
const paid = new Date(Date.now() - 30 * 86400e3).toISOString().slice(0, 10);
const N = 20;
const lines = ['numéro;nom;prénom;catégorie;cotisation;date d\'adhésion'];
for (let i = 1; i <= N; i++) lines.push(`M${String(i).padStart(4, '0')};Nom${i};Prénom${i};actif;${paid};2020-01-01`);
fs.writeFileSync(path.join(data, 'roll.csv'), lines.join('\n') + '\n');
run(['roll', 'import', path.join(data, 'roll.csv')]);
const agenda = path.join(data, 'agenda.json');
fs.writeFileSync(agenda, JSON.stringify({ questions: [
  { id: 'q1', title: 'Motion à main levée', kind: 'motion', rule: 'resolution', secret: false },
] }));
const profile = 'ballot-formats/profiles/aprogemere.yaml';
const id = 'ag-redist';
run(['meeting', 'create', '--id', id, '--title', 'AG APROGEMERE', '--date', MEETING_DATE,
  '--profile', profile, '--body', 'ag', '--agenda', agenda,
  '--trustees', '2', '--threshold', '2', '--president-member', 'M0001']);
run(['meeting', 'convene', id]);
const m = enrolMeeting(data, id, N);
const { voters: V, modToken } = m;
const base = `/api/v1/meetings/${id}`;
const le64 = (n) => C.le64(n);
const sig = (kind, fields, sk) => hex(C.signStatement(kind, fields, sk).sig);
const give = (g, h) => { const ts = now(); return { action: 'give', giver: hex(g.pk), holder: hex(h.pk), ts, sig: sig('proxy', [id, g.pk, h.pk, le64(ts)], g.sk) }; };
// S_redistribute (docs/record.md §5), signed by `by` (the president).
const redist = (pres, g, h, { by = pres } = {}) => { const ts = now(); return { president: hex(pres.pk), giver: hex(g.pk),
  holder: hex(h.pk), ts, sig: sig('proxy-redistribute', [id, g.pk, h.pk, le64(ts)], by.sk) }; };
const events = () => +sqlite(path.join(data, 'roll.db'), `SELECT count(*) FROM events WHERE meeting = '${id}' AND kind = 'proxy.redistributed'`);
const P = V[0];				// the president
const givers = V.slice(1, 13);		// 12 mandates to the president
const [T1, T2, T3] = [V[13], V[14], V[15]];	// present, may take some
const [X, Y] = [V[16], V[17]];		// X gives to T3 (not the president's)

const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
try {
  const post = (p, body) => api(srv, 'POST', `${base}${p}`, body);
  for (const g of givers) eq((await post('/proxies', give(g, P))).status, 200, `${g.no} gives a proxy to the president`);
  eq((await post('/proxies', give(X, T3))).status, 200, `${X.no} gives a proxy to ${T3.no}`);
  const cer = await ceremony(srv, m);
  eq((await api(srv, 'POST', `${base}/start`, {}, modToken)).status, 200, 'AG started');
  for (const v of [P, T1, T2, T3])
    eq((await post('/attendance', attend(m, v, 'check-in', 'present'))).status, 200, `${v.no} present`);
  void cer;

  // The live quorum (GET meetings/{m}): APROGEMERE II counts no member
  // represented (tests/server/redist-quorum.mjs counts them).
  const quorumNow = async () => { const q = (await api(srv, 'GET', base)).json.attendance.quorum; return [q.voices.present, q.voices.represented, q.counted]; };
  eq(await quorumNow(), [4, 0, 4], 'the live quorum: the 4 present, no represented voice counted (art. II)');
  // The president's list: 7 in excess, who may take one.
  let me = (await api(srv, 'GET', `${base}/voters/${hex(P.pk)}`)).json;
  eq(me.redistribute?.excess.length, 7, 'the president sees the 7 mandates over his five');
  eq(me.redistribute.excess.map((x) => x.giver), givers.slice(5).map((g) => hex(g.pk)), 'the last 7 given, in order');
  check(me.redistribute.excess.every((x) => x.reason === 'not_redistributed'), 'each not redistributed');
  eq([me.redistribute.cap, me.redistribute.article], [5, 'II'], 'the cap of five, art. II');
  eq(me.redistribute.takers.map((x) => [x.pk, x.left]).sort(), [[hex(T1.pk), 5], [hex(T2.pk), 5], [hex(T3.pk), 4]].sort(),
    'the members present who may take one, with their cap left (T3 holds one)');
  eq((await api(srv, 'GET', `${base}/voters/${hex(T1.pk)}`)).json.redistribute, undefined, 'no such list for another member');

  const refused = async (body, status, code, what) => {
    const n0 = events();
    const r = await post('/proxies/redistribute', body);
    eq([r.status, r.json.error?.code], [status, code], what);
    check(r.json.error?.fr && r.json.error?.en, `${what}: French and English (${r.json.error?.fr})`);
    eq(events(), n0, `${what}: nothing written`);
    return r;
  };
  await refused(redist(T1, givers[5], T2), 403, 'not_president', 'a redistribution signed by a non-president refused');
  await refused(redist(P, givers[5], T2, { by: T1 }), 403, 'bad_signature', 'the president\'s statement signed by another key refused');
  await refused(redist(P, X, T1), 409, 'proxy_not_held', 'a proxy the president does not hold refused');
  await refused(redist(P, givers[5], Y), 409, 'redistribution_not_there', 'to an absent member refused');

  // The 7: five to T1, two to T2.
  const to = (i) => (i < 10 ? T1 : T2);
  for (let i = 5; i < 12; i++) {
    const r = await post('/proxies/redistribute', redist(P, givers[i], to(i)));
    eq([r.status, r.json.proxy], [200, 'redistributed'], `${givers[i].no}'s mandate to ${to(i).no}`);
  }
  const r = await refused(redist(P, givers[0], T1), 409, 'redistribution_over_cap', 'to a holder at his cap refused');
  eq(r.json.error?.article, 'II', 'with the article');
  eq(events(), 7, 'seven redistributions written');
  eq(await quorumNow(), [4, 0, 4], 'the live quorum after the redistributions: the same');
  me = (await api(srv, 'GET', `${base}/voters/${hex(P.pk)}`)).json;
  eq([me.redistribute.excess.length, me.redistribute.redistributed.length], [0, 7], 'nothing left in excess, 7 redistributed');
  check(!me.redistribute.takers.some((x) => x.pk === hex(T1.pk)), 'T1, at his cap, no longer offered');

  const view = async () => (await api(srv, 'GET', base)).json;
  const ballot = async (qid, voice, signer, sel) => {
    const q = (await view()).questions.find((x) => x.id === qid);
    const st = openStatement(id, q, qid, voice.pk, signer.pk, sel);
    return post('/ballots', { question: qid, selection: sel, voice: hex(voice.pk), signer: hex(signer.pk), sig: hex(S.crypto_sign_detached(st, signer.sk)) });
  };
  eq((await api(srv, 'POST', `${base}/questions/q1/open`, {}, modToken)).status, 200, 'q1 opened');
  const t1 = (await api(srv, 'GET', `${base}/voters/${hex(T1.pk)}`)).json;
  eq(t1.mandates.slice(1).map((x) => x.questions.q1?.accepted), [true, true, true, true, true], 'T1 holds 5 mandates that stand');
  for (const v of [P, T1, T2, T3]) eq((await ballot('q1', v, v, [1, 0, 0])).status, 200, `${v.no} votes himself`);
  for (let i = 0; i < 5; i++) eq((await ballot('q1', givers[i], P, [0, 1, 0])).status, 200, `the president votes for ${givers[i].no}`);
  eq((await ballot('q1', givers[5], P, [0, 1, 0])).status, 403, 'the president cannot vote a mandate he redistributed');
  for (let i = 5; i < 12; i++) eq((await ballot('q1', givers[i], to(i), [0, 0, 1])).status, 200, `${to(i).no} votes for ${givers[i].no}`);
  eq((await ballot('q1', X, T3, [0, 1, 0])).status, 200, `${T3.no} votes for ${X.no}`);
  eq((await api(srv, 'POST', `${base}/questions/q1/close`, {}, modToken)).json.status, 'closed', 'q1 closed');
  const res = (await api(srv, 'GET', `${base}/questions/q1/result`)).json;
  eq([res.ballots, res.counts], [17, [4, 6, 7]], 'every mandate counted: 4 pour, 6 contre, 7 abstentions');
  eq((await api(srv, 'POST', `${base}/end`, {}, modToken)).status, 200, 'AG ended');
  const ver = exportAndVerify(data, id);
  eq([ver.exported, ver.status], [0, 0], `the record verifies (${ver.out.trim().split('\n').pop()})`);
  const rec = cli(['record', 'export', id, '--data', data]).stdout.trim().split('\n').map((l) => JSON.parse(l));
  eq(rec.filter((e) => e.kind === 'proxy.redistributed').length, 7, 'seven redistributions in the record');
} finally {
  await srv.stop();
}
done('redistribute');

// pxdraw.mjs — an absent holder's proxy reassigned by a verifiable random
// draw, on the real server (HTTPS on loopback), Espace+'s AG (RI art. 4:
// « En cas d'absence du mandataire désigné …, le pouvoir est réattribué
// aléatoirement à tout autre membre à jour de sa cotisation, qui accepte
// la procuration »):
//  - M0006 gives a proxy to M0002; M0003, M0004, M0005 volunteer (signed
//    statements, POST proxies/volunteer) before the deadline; M0002 never
//    checks in;
//  - the seed with the scrutineers' contributions (docs/record.md §4):
//    before the start both scrutineers commit (draw.commit, signed with
//    their identity key); the start closes the draw (draw.closed, no seed
//    yet); scrutineer 1 reveals; scrutineer 2 does not, and the moderator
//    proceeds without it (POST draw/proceed): draw.seed names 2 missing
//    and is H256("draw-seed", meeting_id, head at draw.closed, LE64 1,
//    LE64 1, value 1); refused with nothing written: a commitment signed
//    by another scrutineer, twice, after the start, a reveal before the
//    start, one not matching its commitment, one after the seed; in
//    another meeting (ag-late) the only scrutineer reveals and the seed
//    follows at once;
//  - the draw, recomputed here from the seed by the documented algorithm
//    (docs/profiles.md « Random draws »: splitmix64, rejection sampling),
//    names a first member, who declines (POST proxies/decline); the next
//    one drawn casts M0006's ballot, and another volunteer's ballot for
//    M0006 is refused;
//  - M0006 withdraws and gives the proxy again while q2 is open (to the
//    member drawn, then to another): neither may vote for M0006 on q2
//    (403 proxy_not_in_force, the French saying why), and q2 closes;
//  - bad inputs refused with nothing written: a volunteer statement after
//    the deadline (another meeting, starting in 29 minutes), a statement
//    not later than the member's previous one, a decline by
//    a member not drawn, a bad signature, volunteering twice, after the
//    seed;
//  - the exported record verifies: scrutin-verify re-derives the seed
//    and the draw; rewritten by the server as an insider, a forged seed,
//    a reveal not matching its commitment, a commitment after the
//    deadline, a seed hiding a missing reveal each fail, named.
//   node tests/server/pxdraw.mjs     (from the repository root, after make)
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { check, eq, done, startServer, tmpDir, sqlite, cli } from './lib.mjs';
import { C, S, api, attend, ceremony, enrolMeeting, hex, now, exportAndVerify, rewriteRecord, uniform, seedOf, espacePlusAg, openStatement } from './meeting-lib.mjs';

const data = tmpDir('pxdraw');
const N = 8;
const { run, agenda, create } = espacePlusAg(data, N);
// q2 as well as the helper's q1 (a proxy given again while q2 is open).
fs.writeFileSync(agenda, JSON.stringify({ questions: [
  { id: 'q1', title: 'Motion simple', kind: 'motion', rule: 'simple', secret: false },
  { id: 'q2', title: 'Seconde motion', kind: 'motion', rule: 'simple', secret: false }] }));
const minute = Math.floor(Date.now() / 60000) * 60000;
const startA = new Date(minute + 32 * 60000), startB = new Date(minute + 29 * 60000);
const id = 'ag-draw';
create(id, startA, ['--agenda', agenda], 2);
create('ag-late', startB);
run(['meeting', 'convene', id]);
run(['meeting', 'convene', 'ag-late']);
const m = enrolMeeting(data, id, N, 2);
const mB = enrolMeeting(data, 'ag-late', N, 2);
const { voters: V, modToken } = m;
const base = `/api/v1/meetings/${id}`;
const count = (kind, meeting = id) => +sqlite(path.join(data, 'roll.db'),
  `SELECT count(*) FROM events WHERE meeting = '${meeting}' AND kind = '${kind}'`);

const volunteer = (mid, v, action = 'volunteer', { ts = now(), by = v } = {}) => ({ action, pk: hex(v.pk), ts,
  sig: hex(C.signStatement(action === 'volunteer' ? 'proxy-volunteer' : 'proxy-volunteer-withdraw',
    [mid, v.pk, C.le64(ts)], by.sk).sig) });
// The scrutineers' contributions (docs/record.md §5 S_draw_commit,
// S_draw_reveal), signed with the identity key t.id.
const contribution = (mid, j, value) => C.H256('draw-contribution', new TextEncoder().encode(mid), C.le64(j), value);
const dcommit = (mid, t, value, by = t) => ({ index: t.j, hash: hex(contribution(mid, t.j, value)),
  sig: hex(C.signStatement('draw-commit', [mid, C.le64(t.j), contribution(mid, t.j, value)], by.id.privateKey).sig) });
const dreveal = (mid, t, value, by = t) => ({ index: t.j, value: hex(value),
  sig: hex(C.signStatement('draw-reveal', [mid, C.le64(t.j), value], by.id.privateKey).sig) });
const decline = (v, { ts = now(), by = v } = {}) => ({ pk: hex(v.pk), ts,
  sig: hex(C.signStatement('proxy-decline', [id, v.pk, C.le64(ts)], by.sk).sig) });
// A show-of-hands ballot of voice's voice signed by signer (S_open).
const openBallot = (q, voice, signer, sel) => ({ question: q.id, selection: sel, voice: hex(voice.pk), signer: hex(signer.pk),
  sig: hex(S.crypto_sign_detached(openStatement(id, { n: 3, ...q }, q.id, voice.pk, signer.pk, sel), signer.sk)) });

// Drawn from pool (in order), passing over those who declined.
const draw = (seed, pool, declined) => {
  const st = { s: seed }, left = [...pool], order = [];
  while (left.length) {
    const j = uniform(st, left.length), t = left[j];
    order.push(t);
    if (!declined.includes(t)) return { pick: t, order };
    left.splice(j, 1);
  }
  return { pick: null, order };
};

const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
try {
  const refused = async (p, body, status, code, what, kinds = ['proxy.volunteer', 'proxy.declined']) => {
    const n0 = kinds.map((k) => count(k));
    const r = await api(srv, 'POST', `${base}/proxies/${p}`, body);
    eq([r.status, r.json.error?.code], [status, code], what);
    check(r.json.error?.fr && r.json.error?.en, `${what}: French and English (${r.json.error?.fr})`);
    eq(kinds.map((k) => count(k)), n0, `${what}: nothing written`);
    return r;
  };
  // M0006 → M0002 (who will not come).
  let ts = now();
  let r = await api(srv, 'POST', `${base}/proxies`, { action: 'give', giver: hex(V[5].pk), holder: hex(V[1].pk), ts,
    sig: hex(C.signStatement('proxy', [id, V[5].pk, V[1].pk, C.le64(ts)], V[5].sk).sig) });
  eq(r.status, 200, 'M0006 gives a proxy to M0002');
  // Volunteers: M0003, M0004, M0005 (M0007 volunteers then withdraws).
  for (const v of [V[2], V[3], V[4], V[6]])
    eq((await api(srv, 'POST', `${base}/proxies/volunteer`, volunteer(id, v))).json.volunteer, 'volunteered', `${v.no} volunteers`);
  const tsW = now() + 1;
  eq((await api(srv, 'POST', `${base}/proxies/volunteer`, volunteer(id, V[6], 'withdraw', { ts: tsW }))).json.volunteer,
    'withdrawn', 'M0007 withdraws');
  // Volunteering again in the same second: scrutin-verify wants each
  // statement later than the member's previous one; refused with its own
  // code (was 409 record_refused).
  await refused('volunteer', volunteer(id, V[6], 'volunteer', { ts: tsW }), 409, 'volunteer_not_later',
    'M0007 volunteering again with the withdrawal\'s time refused');
  await refused('volunteer', volunteer(id, V[2]), 409, 'volunteer_exists', 'volunteering twice refused');
  // What a member's phone reads (POST proxies/holders, signed): the draw.
  const drawOf = async (v) => { const t2 = now(); return (await api(srv, 'POST', `${base}/proxies/holders`, { pk: hex(v.pk), ts: t2,
    sig: hex(C.signStatement('proxy-holders', [id, v.pk, C.le64(t2)], v.sk).sig) })).json.draw; };
  eq(await drawOf(V[2]), { volunteered: true, closed: false, seeded: false, declined: false, drawn: false, article: '4' },
    'holders: M0003 reads he volunteered, no draw yet (art. 4)');
  eq((await drawOf(V[6]))?.volunteered, false, 'holders: M0007, withdrawn, reads he is no volunteer');
  await refused('volunteer', volunteer(id, V[7], 'volunteer', { by: V[0] }), 403, 'bad_signature', 'a bad signature refused');
  await refused('decline', decline(V[2]), 409, 'draw_not_seeded', 'a decline before the seed refused');
  // After the deadline (ag-late starts in 29 minutes).
  const n0 = count('proxy.volunteer', 'ag-late');
  r = await api(srv, 'POST', '/api/v1/meetings/ag-late/proxies/volunteer', volunteer('ag-late', mB.voters[2]));
  eq([r.status, r.json.error?.code, r.json.error?.article], [403, 'proxy_deadline', '4'], 'a volunteer after the deadline refused (art. 4)');
  eq(count('proxy.volunteer', 'ag-late'), n0, 'after the deadline: nothing written');
  // ag-late: its only scrutineer commits, reveals after the start, and
  // the seed follows at once.
  {
    const { trustees: [t1] } = await ceremony(srv, mB);
    const v1 = S.randombytes_buf(32), bB = '/api/v1/meetings/ag-late';
    eq((await api(srv, 'POST', `${bB}/draw/commit`, dcommit('ag-late', t1, v1))).status, 200, 'ag-late: scrutineer 1 commits');
    eq((await api(srv, 'POST', `${bB}/start`, {}, mB.modToken)).status, 200, 'ag-late starts');
    eq(count('draw.seed', 'ag-late'), 0, 'ag-late: no seed before the reveal');
    eq((await api(srv, 'POST', `${bB}/draw/reveal`, dreveal('ag-late', t1, v1))).json, { draw: 'revealed', seeded: true },
      'ag-late: the last reveal writes the seed');
    eq(count('draw.seed', 'ag-late'), 1, 'ag-late: one draw.seed');
    const verB = exportAndVerify(data, 'ag-late');
    eq([verB.exported, verB.status], [0, 0], `ag-late: the record verifies (${verB.out.trim().split('\n').pop()})`);
    const recB = fs.readFileSync(path.join(data, 'record.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const sB = recB.find((e) => e.kind === 'draw.seed'), cB = recB.find((e) => e.kind === 'draw.closed');
    eq(sB.payload, { seed: hex(C.H256('draw-seed', new TextEncoder().encode('ag-late'), Buffer.from(cB.parent, 'hex'), C.le64(1),
      C.le64(1), v1)).slice(0, 16), missing: [] }, 'ag-late: the seed with the one contribution, nobody missing');
  }

  const { trustees: T } = await ceremony(srv, m);
  // The scrutineers commit to their contributions before the start.
  const val = [S.randombytes_buf(32), S.randombytes_buf(32)];
  const dkinds = ['draw.commit', 'draw.closed', 'draw.reveal', 'draw.seed'];
  const dpost = async (p, body, status, code, what, token) => {
    const n0 = dkinds.map((k) => count(k));
    const r = await api(srv, 'POST', `${base}/draw/${p}`, body, token);
    eq([r.status, r.json.error?.code], [status, code], what);
    if (code) {
      check(r.json.error?.fr && r.json.error?.en, `${what}: French and English (${r.json.error?.fr})`);
      eq(dkinds.map((k) => count(k)), n0, `${what}: nothing written`);
    }
    return r;
  };
  await dpost('commit', dcommit(id, T[0], val[0], T[1]), 403, 'bad_signature', 'a commitment signed by another scrutineer refused');
  await dpost('reveal', dreveal(id, T[0], val[0]), 409, 'draw_not_closed', 'a reveal before the start refused');
  await dpost('commit', dcommit(id, T[0], val[0]), 200, undefined, 'scrutineer 1 commits');
  await dpost('commit', dcommit(id, T[0], val[0]), 409, 'already_done', 'committing twice refused');
  await dpost('commit', dcommit(id, T[1], val[1]), 200, undefined, 'scrutineer 2 commits');
  eq((await api(srv, 'GET', base)).json.draw, { closed: false, seeded: false, commits: [1, 2], reveals: [] }, 'the view: two commitments');
  eq((await api(srv, 'POST', `${base}/start`, {}, modToken)).status, 200, 'the AG starts');
  for (const v of [V[0], V[2], V[3], V[4], V[6]])
    eq((await api(srv, 'POST', `${base}/attendance`, attend(m, v, 'check-in', 'present'))).status, 200, `${v.no} present`);
  eq([count('draw.closed'), count('draw.seed')], [1, 0], 'the start closes the draw; no seed before the reveals');
  await refused('volunteer', volunteer(id, V[7]), 409, 'draw_seeded', 'a volunteer after the draw closed refused');
  await dpost('commit', dcommit(id, T[0], S.randombytes_buf(32)), 409, 'draw_closed', 'a commitment after the start refused');
  await dpost('reveal', dreveal(id, T[0], S.randombytes_buf(32)), 409, 'draw_mismatch', 'a reveal not matching its commitment refused');
  eq((await dpost('reveal', dreveal(id, T[0], val[0]), 200, undefined, 'scrutineer 1 reveals')).json, { draw: 'revealed', seeded: false },
    'scrutineer 1 reveals: the seed waits for scrutineer 2');
  // q1 needs the draw (M0006's holder is absent): its opening waits for
  // the reveals, said as such, with nothing written.
  r = await api(srv, 'POST', `${base}/questions/q1/open`, {}, modToken);
  eq([r.status, r.json.error?.code], [409, 'draw_pending'], 'opening q1 while the seed waits for a reveal refused');
  check(/^en attente des révélations des scrutateurs/.test(r.json.error?.fr ?? '') && /procédez sans les contributions manquantes/
    .test(r.json.error?.fr ?? ''), `draw_pending: in French, saying what to do (${r.json.error?.fr})`);
  eq([r.json.error?.detail, r.json.error?.detail_en], ['en attente de la révélation de Scrutateur 2', 'waiting for Scrutineer 2 to reveal'],
    'draw_pending names the scrutineer awaited');
  eq([count('question.opened'), (await api(srv, 'GET', base)).json.questions.find((x) => x.id === 'q1').status], [0, 'pending'],
    'q1 refused: still pending, nothing recorded');
  const nop = (await api(srv, 'POST', `${base}/draw/proceed`, {})).status;
  check(nop === 401 || nop === 403, `proceeding without the moderator's token refused (${nop})`);
  eq(count('draw.seed'), 0, 'still no seed');
  // Scrutineer 2 does not reveal: the moderator proceeds without it.
  eq((await dpost('proceed', {}, 200, undefined, 'the moderator proceeds', modToken)).json, { draw: 'seeded', missing: [2] },
    'the moderator proceeds: scrutineer 2 missing');
  await dpost('reveal', dreveal(id, T[1], val[1]), 409, 'draw_seeded', 'a reveal after the seed refused');
  await dpost('proceed', {}, 409, 'draw_seeded', 'proceeding twice refused', modToken);
  eq((await api(srv, 'GET', base)).json.draw, { closed: true, seeded: true, commits: [1, 2], reveals: [1] }, 'the view: seeded');

  // The draw, recomputed from the record's seed.
  const rec = cli(['record', 'export', id, '--data', data]).stdout.trim().split('\n').map((l) => JSON.parse(l));
  const k = rec.findIndex((e) => e.kind === 'draw.seed');
  const kc = rec.findIndex((e) => e.kind === 'draw.closed');
  const seedHex = rec[k].payload.seed;
  eq(rec[kc].payload, { commits: [1, 2] }, 'draw.closed names the two commitments');
  eq(rec[k].payload.missing, [2], 'draw.seed names scrutineer 2 missing');
  eq(seedHex, hex(C.H256('draw-seed', new TextEncoder().encode(id), Buffer.from(rec[kc].parent, 'hex'), C.le64(1), C.le64(1), val[0])).slice(0, 16),
    'the seed is H256("draw-seed", meeting_id, head at the deadline, LE64 1, LE64 1, value 1), its first 8 bytes');
  const seed = seedOf(seedHex);
  const pool = [V[2], V[3], V[4]];
  const first = draw(seed, pool, []).pick;
  for (const v of pool.filter((x) => x !== first))
    await refused('decline', decline(v), 403, 'not_drawn', `${v.no}, not drawn, cannot decline`);
  await refused('decline', decline(first, { by: V[0] }), 403, 'bad_signature', 'a decline with a bad signature refused');
  eq([(await drawOf(first)).drawn, (await drawOf(pool.find((x) => x !== first))).drawn], [true, false],
    `holders: ${first.no} reads the draw gave him a proxy, another volunteer not`);
  eq((await api(srv, 'POST', `${base}/proxies/decline`, decline(first))).json.proxy, 'declined', `${first.no}, drawn first, declines`);
  eq(await drawOf(first), { volunteered: true, closed: true, seeded: true, declined: true, drawn: false, article: '4' },
    `holders: ${first.no} reads he declined`);
  await refused('decline', decline(first, { ts: now() + 1 }), 409, 'decline_exists', 'declining twice refused');
  const second = draw(seed, pool, [first]).pick;
  check(second && second !== first, `the draw goes on: ${second?.no}`);

  // q1: the member drawn votes for M0006; another volunteer cannot.
  eq((await api(srv, 'POST', `${base}/questions/q1/open`, {}, modToken)).status, 200, 'q1 opened');
  const q = (await api(srv, 'GET', base)).json.questions.find((x) => x.id === 'q1');
  const other = pool.find((x) => x !== first && x !== second);
  const drawnM = (await api(srv, 'GET', `${base}/voters/${hex(second.pk)}`)).json.mandates;
  eq(drawnM.map((x) => [x.kind, x.voice, x.drawn, x.questions?.q1?.accepted]), [['self', hex(second.pk), undefined, undefined],
    ['proxy', hex(V[5].pk), true, true]], `GET voters: ${second.no}'s phone lists M0006's mandate, drawn, accepted on q1`);
  eq((await api(srv, 'GET', `${base}/voters/${hex(first.pk)}`)).json.mandates.length, 1, `${first.no}, who declined, holds none`);
  r = await api(srv, 'POST', `${base}/ballots`, openBallot(q, V[5], other, [0, 1, 0]));
  eq(r.status, 403, `${other.no}, not drawn, cannot vote for M0006 (${r.json.error?.code})`);
  r = await api(srv, 'POST', `${base}/ballots`, openBallot(q, V[5], second, [1, 0, 0]));
  eq(r.status, 200, `${second.no} casts M0006's ballot`);
  for (const v of [V[0], V[2], V[3], V[4], V[6]])
    eq((await api(srv, 'POST', `${base}/ballots`, openBallot(q, v, v, [1, 0, 0]))).status, 200, `${v.no} votes`);
  await refused('decline', decline(second), 409, 'question_open', 'a decline while a question is open refused');
  eq((await api(srv, 'POST', `${base}/questions/q1/close`, {}, modToken)).json.status, 'closed', 'q1 closed');
  const res = (await api(srv, 'GET', `${base}/questions/q1/result`)).json;
  eq(res.counts?.[0], 6, `six voices pour, M0006's among them (${res.sentence})`);

  // q2: M0006 withdraws the proxy and gives it again while q2 is open:
  // the proxy voted under must be the one in force at the opening (as
  // scrutin-verify checks): given again to the member drawn, or to
  // another, it does not count on q2 — refused with proxy_not_in_force
  // and its French, nothing in the box, and q2 still closes (the record
  // check refused the close when such a ballot had been accepted).
  eq((await api(srv, 'POST', `${base}/questions/q2/open`, {}, modToken)).status, 200, 'q2 opened');
  const q2 = (await api(srv, 'GET', base)).json.questions.find((x) => x.id === 'q2');
  const pxs = (action, h) => { const t2 = now(); return { action, giver: hex(V[5].pk), holder: hex(h.pk), ts: t2,
    sig: hex(C.signStatement(action === 'give' ? 'proxy' : 'proxy-withdraw', [id, V[5].pk, h.pk, C.le64(t2)], V[5].sk).sig) }; };
  const boxed = () => +sqlite(path.join(data, 'box.db'), `SELECT count(*) FROM ballots WHERE meeting = '${id}' AND qid = 'q2'`);
  const notInForce = async (signer, what) => {
    const r2 = await api(srv, 'POST', `${base}/ballots`, openBallot(q2, V[5], signer, [1, 0, 0]));
    eq([r2.status, r2.json.error?.code], [403, 'proxy_not_in_force'], what);
    check(/pas en vigueur à son ouverture/.test(r2.json.error?.fr), `${what}: the French says why (${r2.json.error?.fr})`);
    eq(boxed(), 0, `${what}: nothing in the box`);
  };
  eq((await api(srv, 'POST', `${base}/proxies`, pxs('withdraw', V[1]))).status, 200, 'M0006 withdraws, q2 open');
  eq((await api(srv, 'POST', `${base}/proxies`, pxs('give', second))).status, 200, `M0006 gives it again to ${second.no}, q2 open`);
  const shown = (await api(srv, 'GET', `${base}/voters/${hex(second.pk)}`)).json.mandates.find((x) => x.voice === hex(V[5].pk));
  eq([shown?.questions.q2?.accepted, shown?.questions.q2?.reason], [false, 'not_in_force'],
    `${second.no}'s phone reads the mandate as not in force on q2 (GET voters), no vote button`);
  await notInForce(second, `${second.no}, drawn at the opening and named since, cannot vote for M0006 on q2`);
  eq((await api(srv, 'POST', `${base}/proxies`, pxs('withdraw', second))).status, 200, 'M0006 withdraws again');
  eq((await api(srv, 'POST', `${base}/proxies`, pxs('give', V[0]))).status, 200, 'M0006 gives it to M0001, present');
  await notInForce(V[0], 'M0001, named after the opening, cannot vote for M0006 on q2');
  await notInForce(second, `${second.no}, drawn for a proxy since withdrawn, cannot vote for M0006 on q2`);
  eq((await api(srv, 'POST', `${base}/ballots`, openBallot(q2, V[0], V[0], [1, 0, 0]))).status, 200, 'M0001 votes himself');
  eq((await api(srv, 'POST', `${base}/questions/q2/close`, {}, modToken)).json.status, 'closed', 'q2 closes');
  eq((await api(srv, 'POST', `${base}/end`, {}, modToken)).status, 200, 'the AG ends');

  const ver = exportAndVerify(data, id);
  eq([ver.exported, ver.status], [0, 0], `the record verifies (${ver.out.trim().split('\n').pop()})`);
  const lines = fs.readFileSync(path.join(data, 'record.jsonl'), 'utf8').split('\n').filter(Boolean);
  eq(lines.filter((l) => JSON.parse(l).kind === 'proxy.volunteer').length, 5, 'four volunteers and a withdrawal in the record');
  eq(lines.filter((l) => JSON.parse(l).kind === 'proxy.declined').length, 1, 'one decline in the record');
  const pv = spawnSync('build/scrutin-minutes', [path.join(data, 'record.jsonl')], { encoding: 'utf8' });
  const drawP = ((pv.stdout || '').match(/<p class="draw">(.*?)<\/p>/s) || [])[1] || '';
  eq(drawP, 'Tirage au sort des procurations d\'un mandataire absent : la graine du tirage contient les contributions de'
    + ' Scrutateur 1 ; Scrutateur 2 s\'est engagé sans révéler sa contribution : le modérateur a procédé sans elle.',
    'the minutes say whose contributions the seed hashes and who did not reveal');

  // The server as an insider (re-chained, checkpoints re-signed): a
  // forged seed, or a decline dropped so that the engine's winner is not
  // the member who voted — each fails, named.
  const rw = { data, meeting: id, lines, file: path.join(data, 'record.jsonl') };
  let t = rewriteRecord(rw, 'seed', (evs) => {
    const e = evs.find((x) => x.kind === 'draw.seed');
    e.payload.seed = e.payload.seed.replace(/^./, (c) => (c === '0' ? '1' : '0'));
  });
  check(t.status === 1 && /draw seed not the one derived from the record's head and the scrutineers' contributions/.test(t.stdout + t.stderr),
    `a forged seed fails (${(t.stdout + t.stderr).trim().split('\n')[0]})`);
  t = rewriteRecord(rw, 'reveal', (evs) => {
    const e = evs.find((x) => x.kind === 'draw.reveal');
    e.payload.value = e.payload.value.replace(/^./, (c) => (c === '0' ? '1' : '0'));
  });
  check(t.status === 1 && /draw reveal of trustee 1 does not match its commitment/.test(t.stdout + t.stderr),
    `a reveal not matching its commitment fails (${(t.stdout + t.stderr).trim().split('\n')[0]})`);
  t = rewriteRecord(rw, 'commit-late', (evs) => {
    const [c] = evs.splice(evs.findLastIndex((x) => x.kind === 'draw.commit'), 1);
    evs.splice(evs.findIndex((x) => x.kind === 'draw.closed') + 1, 0, c);
  });
  check(t.status === 1 && /draw closing does not name the committed scrutineers|draw commitment after the draw's deadline/.test(t.stdout + t.stderr),
    `a commitment after the deadline fails (${(t.stdout + t.stderr).trim().split('\n')[0]})`);
  t = rewriteRecord(rw, 'hidden', (evs) => { evs.find((x) => x.kind === 'draw.seed').payload.missing = []; });
  check(t.status === 1 && /draw seed's missing scrutineers are not those without a reveal/.test(t.stdout + t.stderr),
    `a seed hiding a missing reveal fails (${(t.stdout + t.stderr).trim().split('\n')[0]})`);
  t = rewriteRecord(rw, 'winner', (evs) => evs.splice(evs.findIndex((x) => x.kind === 'proxy.declined'), 1));
  check(t.status === 1 && /ballot at seq \d+: no proxy from the voice to the signer/.test(t.stdout + t.stderr),
    `a ballot by a member the draw did not name fails (${(t.stdout + t.stderr).trim().split('\n')[0]})`);
  t = rewriteRecord(rw, 'late', (evs) => {
    const v = structuredClone(evs.find((x) => x.kind === 'proxy.volunteer'));
    evs.splice(evs.findIndex((x) => x.kind === 'draw.seed') + 1, 0, v);
  });
  check(t.status === 1 && /out of order: volunteer statement after the draw's deadline/.test(t.stdout + t.stderr),
    `a volunteer statement after the draw closed fails (${(t.stdout + t.stderr).trim().split('\n')[0]})`);
} catch (e) {
  console.error(srv.log().split('\n').slice(-15).join('\n'));
  throw e;
} finally {
  await srv.stop();
}
done('pxdraw');

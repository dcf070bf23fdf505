// imidraw.mjs — A-IMI RI art. 9's draw by lot on the real server (HTTPS
// on loopback): « lors de l'AGO de 2009 et de 2010 …, un tirage au sort
// désignera un tiers des administrateurs dont le renouvellement du mandat
// sera soumis au vote » (profile draw renewal_third: 1/3, rounded down).
//  - A-IMI reassigns no proxy at random: without a declared draw a
//    scrutineer's commitment is refused (draw_not_provided) and the view
//    has no draw;
//  - the moderator declares the pool before the start (POST draws: nine
//    administrators in a given order, written as draw.pool); refused with
//    nothing written: a bad id, a draw the statutes do not provide, an
//    unknown member, a member twice, the same id twice, no moderator's
//    token, a pool after the start;
//  - both scrutineers commit; the start closes the draw; drawing before
//    the seed is refused (draw_not_seeded), so is an unknown draw; both
//    reveal, the seed follows;
//  - the moderator draws (POST draws/d1/draw): three members, those this
//    test draws from the record's seed by the documented algorithm
//    (docs/profiles.md « Random draws »: partial Fisher–Yates over the
//    pool in its order, splitmix64, rejection sampling); draw.drawn names
//    their credentials in that order; drawing again is refused;
//  - the record verifies; the minutes say who was drawn, by name, with
//    the seed;
//  - rewritten by the server as an insider (re-chained, checkpoints
//    re-signed): the members drawn in another order, another member
//    drawn, the pool declared after the draw's deadline, a draw with
//    another seed, a pool of a draw the statutes do not provide — each
//    fails, named.
//   node tests/server/imidraw.mjs     (from the repository root, after make)
import fs from 'node:fs';
import path from 'node:path';
import { check, eq, done, startServer, tmpDir, sqlite, request } from './lib.mjs';
import { C, S, api, ceremony, setupMeeting, hex, exportAndVerify, rewriteRecord, drawByLot, seedOf } from './meeting-lib.mjs';

const data = tmpDir('imidraw');
const id = 'ago-2009';
const m = setupMeeting(data, { members: 12, id, trustees: 2, agenda: { questions: [
  { id: 'q1', title: 'Rapport moral', kind: 'motion', rule: 'ordinary', secret: false }] } });
const { voters: V, modToken } = m;
const base = `/api/v1/meetings/${id}`;
const count = (kind) => +sqlite(path.join(data, 'roll.db'), `SELECT count(*) FROM events WHERE meeting = '${id}' AND kind = '${kind}'`);
const contribution = (j, value) => C.H256('draw-contribution', C.utf8(id), C.le64(j), value);
const dcommit = (t, value) => ({ index: t.j, hash: hex(contribution(t.j, value)),
  sig: hex(C.signStatement('draw-commit', [id, C.le64(t.j), contribution(t.j, value)], t.id.privateKey).sig) });
const dreveal = (t, value) => ({ index: t.j, value: hex(value),
  sig: hex(C.signStatement('draw-reveal', [id, C.le64(t.j), value], t.id.privateKey).sig) });

const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
try {
  const { trustees: T } = await ceremony(srv, m);
  const val = [S.randombytes_buf(32), S.randombytes_buf(32)];
  let r = await api(srv, 'POST', `${base}/draw/commit`, dcommit(T[0], val[0]));
  eq([r.status, r.json.error?.code], [403, 'draw_not_provided'], 'no draw declared: a commitment refused');
  check(!('draw' in (await api(srv, 'GET', base)).json), 'no draw declared: the view has no draw');

  // The pool, declared before the start.
  const pool = ['M0007', 'M0002', 'M0009', 'M0004', 'M0001', 'M0008', 'M0003', 'M0006', 'M0005'];
  const declare = async (body, status, code, field, what, token = modToken) => {
    const n0 = count('draw.pool');
    const x = await api(srv, 'POST', `${base}/draws`, body, token);
    eq([x.status, x.json.error?.code, x.json.error?.field], [status, code, field], what);
    if (code) {
      check(x.json.error?.fr && x.json.error?.en, `${what}: in French and English (${x.json.error?.fr})`);
      eq(count('draw.pool'), n0, `${what}: nothing written`);
    }
    return x;
  };
  await declare({ id: 'd 1', draw: 'renewal_third', pool }, 400, 'invalid_field', 'id', 'a bad id refused');
  await declare({ id: 'd1', draw: 'renewal_half', pool }, 400, 'draw_rule_unknown', 'draw', 'a draw the statutes do not provide refused');
  await declare({ id: 'd1', draw: 'renewal_third', pool: [...pool, 'M0999'] }, 404, 'pool_member_unknown', 'pool', 'an unknown member refused');
  await declare({ id: 'd1', draw: 'renewal_third', pool: [...pool, 'M0002'] }, 400, 'invalid_field', 'pool', 'a member twice refused');
  await declare({ id: 'd1', draw: 'renewal_third', pool: [] }, 400, 'invalid_field', 'pool', 'an empty pool refused');
  const nop = await api(srv, 'POST', `${base}/draws`, { id: 'd1', draw: 'renewal_third', pool });
  check((nop.status === 401 || nop.status === 403) && count('draw.pool') === 0, `no moderator's token: refused (${nop.status})`);
  eq((await declare({ id: 'd1', draw: 'renewal_third', pool }, 200)).json, { id: 'd1', draw: 'renewal_third', pool: 9 },
    'the moderator declares the pool of nine administrators');
  await declare({ id: 'd1', draw: 'renewal_third', pool }, 409, 'draw_exists', 'id', 'the same id twice refused');
  const view = (await api(srv, 'GET', base)).json;
  eq(view.draw, { closed: false, seeded: false, commits: [], reveals: [] }, 'the view now carries the draw\'s seed');
  eq(view.draws, [{ id: 'd1', draw: 'renewal_third', label: 'tiers des administrateurs à renouveler', article: '9',
    pool: pool.map((no) => ({ member: no, name: `Prénom${+no.slice(1)} Nom${+no.slice(1)}` })) }], 'the view lists the draw declared, its pool by name');
  r = await api(srv, 'POST', `${base}/draws/d1/draw`, {}, modToken);
  eq([r.status, r.json.error?.code], [409, 'draw_not_seeded'], 'drawing before the start refused');

  for (const k of [0, 1])
    eq((await api(srv, 'POST', `${base}/draw/commit`, dcommit(T[k], val[k]))).status, 200, `scrutineer ${k + 1} commits`);
  eq((await api(srv, 'POST', `${base}/start`, {}, modToken)).status, 200, 'the AGO starts');
  eq([count('draw.closed'), count('draw.seed')], [1, 0], 'the start closes the draw; no seed before the reveals');
  await declare({ id: 'd2', draw: 'renewal_third', pool }, 409, 'draw_closed', undefined, 'a pool after the start refused');
  r = await api(srv, 'POST', `${base}/draws/d1/draw`, {}, modToken);
  eq([r.status, r.json.error?.code], [409, 'draw_not_seeded'], 'drawing before the seed refused');
  check(/après l'ouverture de la séance, quand le dernier scrutateur engagé a révélé/.test(r.json.error?.fr ?? ''),
    `draw_not_seeded says when the seed comes (${r.json.error?.fr})`);
  r = await api(srv, 'POST', `${base}/draws/d9/draw`, {}, modToken);
  eq([r.status, r.json.error?.code], [404, 'draw_unknown'], 'an undeclared draw refused');
  for (const k of [0, 1])
    eq((await api(srv, 'POST', `${base}/draw/reveal`, dreveal(T[k], val[k]))).status, 200, `scrutineer ${k + 1} reveals`);
  eq(count('draw.seed'), 1, 'the seed is written at the last reveal');

  // The draw.
  const n0 = count('draw.drawn');
  r = await api(srv, 'POST', `${base}/draws/d1/draw`, {}, modToken);
  eq(r.status, 200, 'the moderator draws');
  const lines = () => { exportAndVerify(data, id); return fs.readFileSync(path.join(data, 'record.jsonl'), 'utf8').split('\n').filter(Boolean); };
  const evs = lines().map((l) => JSON.parse(l));
  const seedHex = evs.find((e) => e.kind === 'draw.seed').payload.seed;
  const want = drawByLot(seedOf(seedHex), pool, 3);
  eq(r.json.drawn.map((x) => x.member), want, `three drawn, as this test draws them from the seed and the pool (${want.join(', ')})`);
  eq(r.json.seed, seedHex, 'the answer gives the record\'s seed');
  check(r.json.drawn.every((x) => /^Prénom\d+ Nom\d+$/.test(x.name)), `the answer names them (${r.json.drawn.map((x) => x.name).join(', ')})`);
  const dd = evs.find((e) => e.kind === 'draw.drawn');
  const pkOf = (no) => hex(V.find((v) => v.no === no).pk);
  eq(dd.payload, { id: 'd1', seed: seedHex, drawn: want.map(pkOf) }, 'draw.drawn: the seed and the credentials drawn, in order');
  eq(evs.find((e) => e.kind === 'draw.pool').payload, { id: 'd1', draw: 'renewal_third', pool: pool.map(pkOf) },
    'draw.pool: the rule and the pool\'s credentials, in order');
  check(evs.findIndex((e) => e.kind === 'draw.pool') < evs.findIndex((e) => e.kind === 'draw.closed'), 'the pool is in the record before the draw closes');
  check(!JSON.stringify(evs).includes('M0007') && !JSON.stringify(evs).includes('Nom7'), 'no member number nor name in the record');
  r = await api(srv, 'POST', `${base}/draws/d1/draw`, {}, modToken);
  eq([r.status, r.json.error?.code, count('draw.drawn')], [409, 'already_done', n0 + 1], 'drawing again refused, nothing written');

  eq((await api(srv, 'POST', `${base}/questions/q1/open`, {}, modToken)).status, 200, 'q1 opened');
  eq((await api(srv, 'POST', `${base}/questions/q1/close`, {}, modToken)).status, 200, 'q1 closed');
  eq((await api(srv, 'POST', `${base}/end`, {}, modToken)).status, 200, 'the AGO ends');
  const ver = exportAndVerify(data, id);
  eq([ver.exported, ver.status], [0, 0], `the record verifies (${ver.out.trim().split('\n').pop()})`);
  const pv = await request(srv, 'GET', `${base}/minutes`);
  const name = (no) => `Prénom${+no.slice(1)} Nom${+no.slice(1)}`;
  const para = (pv.text.match(/<p class="draw-result">(.*?)<\/p>/s) || [])[1] || '';
  eq(para, `Tirage au sort (tiers des administrateurs à renouveler, art. 9) parmi ${pool.slice(0, -1).map(name).join(', ')} et `
    + `${name(pool[8])} : sont tirés, dans l'ordre, ${want.slice(0, 2).map(name).join(', ')} et ${name(want[2])} (graine <code>${seedHex}</code>).`,
  'the minutes say who was drawn among whom, by name, with the seed');
  check(/<p class="draw">Tirage au sort : la graine du tirage contient les contributions de Scrutateur 1 et Scrutateur 2\.<\/p>/.test(pv.text),
    'the minutes say whose contributions the seed holds, not as a draw of proxies');

  // The server as an insider: each rewrite fails, named.
  const all = lines();
  const rw = { data, meeting: id, lines: all, file: path.join(data, 'record.jsonl') };
  const tamper = (what, f, re) => {
    const t = rewriteRecord(rw, what, f);
    check(t.status === 1 && re.test(t.stdout + t.stderr), `${what}: fails (${(t.stdout + t.stderr).trim().split('\n')[0]})`);
  };
  const drawn = (evs2) => evs2.find((e) => e.kind === 'draw.drawn').payload;
  const notEngine = /draw d1: the members drawn are not those the statutes engine draws from the seed and the pool/;
  tamper('order', (e) => { const d = drawn(e).drawn; [d[0], d[1]] = [d[1], d[0]]; }, notEngine);
  tamper('other', (e) => { drawn(e).drawn[2] = pkOf(pool.find((no) => !want.includes(no))); }, notEngine);
  tamper('pool-late', (e) => {
    const [p] = e.splice(e.findIndex((x) => x.kind === 'draw.pool'), 1);
    e.splice(e.findIndex((x) => x.kind === 'draw.closed') + 1, 0, p);
  }, /draw pool after the draw's deadline|a draw seed with no draw provided/);
  tamper('seed', (e) => { drawn(e).seed = drawn(e).seed.replace(/^./, (ch) => (ch === '0' ? '1' : '0')); },
    /draw d1: a seed other than the record's \(draw\.seed\)/);
  tamper('rule', (e) => { e.find((x) => x.kind === 'draw.pool').payload.draw = 'renewal_half'; },
    /draw 'renewal_half' the statutes do not provide for/);
} catch (e) {
  console.error(srv.log().split('\n').slice(-15).join('\n'));
  throw e;
} finally {
  await srv.stop();
}
done('imidraw');

// property.mjs — "the appliance never writes a record that its own
// verifier would reject", tested on random sequences of what the
// secretary (CLI), the moderator, the members and the scrutineers (API)
// do, over real HTTPS on loopback.
//
// Each sequence is one meeting (A-IMI's AG or ANIMT's CA, the latter with
// a two-round Bureau election and late candidates), driven by a seeded
// generator through every stage: roll imports and corrections (spreadsheet
// labels, category changes, removals, new members) before and after the
// convocation, credentials issued, imported, revoked and reissued, the
// key ceremony with resets, check-ins and check-outs, questions added,
// opened, closed and re-voted (second rounds), late candidates, secret
// and show-of-hands ballots (valid ones, and double votes, ballots for
// another question, voters not checked in), decryption shares, the
// meeting ended with items never voted. After every operation:
//  - either it was accepted (HTTP 200, CLI exit 0),
//  - or it was refused with a clear error (HTTP 4xx — never 5xx — with a
//    JSON body {error: {code, fr, en}} whose French text is non-empty; CLI
//    exit status ≠ 0 with a French message on stderr) and nothing changed
//    (the events, the ballots, the roll's history, the credentials and
//    the questions counted before and after).
// At the end of each sequence the exported record verifies with
// scrutin-verify, save only "question X has no result" for the questions
// opened and never counted (the end of a record decides those); when
// every question opened is counted, the minutes are produced (GET
// minutes, the same bytes as scrutin-minutes), signed by the enrolled
// scrutineers, and scrutin-verify --minutes --signatures accepts them.
//
//   node tests/server/property.mjs                 (PROPTEST_SEQUENCES, PROPTEST_SEED=N or random)
//   SEED=<seed> node tests/server/property.mjs     replays one sequence
// A broken property stops the run and prints the sequence's seed and its
// operations, with the answer to each.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { startServer, tmpDir, cli, request, BUILD } from './lib.mjs';
import { C, S, api, attend, ceremonySteps, decrypt, secretBallot, openBallot, hex, unhex, MEETING_DATE } from './meeting-lib.mjs';

const PER_SERVER = 8;
const REPLAY = process.env.SEED;
const COUNT = REPLAY ? 1 : +(process.env.PROPTEST_SEQUENCES ?? 100);
// The same sequences on every run of make test (a failure in CI is
// replayed as it happened); PROPTEST_SEED=random explores new ones.
const MASTER = process.env.PROPTEST_SEED === 'random' ? crypto.randomInt(2 ** 31) :
  +(process.env.PROPTEST_SEED ?? 20261207);

// mulberry32: a small seeded generator, the same numbers on every run.
function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  return { next, int, chance: (p) => next() < p, pick: (xs) => xs[int(xs.length)] };
}

class Broken extends Error {}
const refusedByCheck = new Map();   // what the check on write refused → a seed

// Operations run, accepted and refused, per kind.
const stats = new Map();
const tally = (kind, ok) => {
  const s = stats.get(kind) ?? { accepted: 0, refused: 0 };
  s[ok ? 'accepted' : 'refused']++;
  stats.set(kind, s);
};

// The two meetings a sequence may hold. cats: categories that vote, that
// do not, and the spreadsheet's labels the statutes do not define.
const PROFILES = [
  { name: 'a-imi', file: 'ballot-formats/profiles/a-imi.yaml', body: 'ag',
    cats: { vote: ['adherent', 'fondateur', 'de_droit'], other: ['sympathisant'], labels: ['Fondateur', 'Adhérent', 'Membre adhérent'] },
    agenda: (c) => [
      { id: 'q1', title: 'Motion secrète', kind: 'motion', rule: 'ordinary', secret: true },
      { id: 'q2', title: 'Motion à main levée', kind: 'motion', rule: 'ordinary', secret: false },
      { id: 'e1', title: 'Élection du CA', kind: 'election', rule: 'ca', secret: true, seats: 1, candidates: c },
    ],
    extra: (n) => ({ id: `x${n}`, title: `Motion ajoutée ${n}`, kind: 'motion', rule: 'ordinary', secret: n % 2 === 0 }) },
  { name: 'animt', file: 'ballot-formats/profiles/animt.yaml', body: 'ca',
    cats: { vote: ['administrateur'], other: ['college_c'], labels: ['Administrateur', 'Collège C'] },
    agenda: (c) => [
      { id: 'e1', title: 'Présidence', kind: 'election', rule: 'bureau', secret: true, seats: 1, candidates: c },
      { id: 'q1', title: 'Budget', kind: 'motion', rule: 'ordinary', secret: false },
    ],
    extra: (n) => ({ id: `x${n}`, title: `Motion ajoutée ${n}`, kind: 'motion', rule: 'ordinary', secret: false }) },
];

const PAID = new Date(Date.now() - 30 * 86400e3).toISOString().slice(0, 10);
const HOST = 'vote.example.org';
// French on stderr: an accented letter or a French word, not only English.
const FRENCH = /[àâçéèêëîïôûùœ«»]|\b(le|la|les|de|du|des|est|pas|une?|aucune?|réunion)\b/i;

// One sequence: its meeting, its members, the operations and their
// answers (printed when a property breaks).
async function sequence(srv, seed, k) {
  const R = rng(seed);
  const data = srv.data;
  const P = PROFILES[seed % 2];   // one profile per data directory (an association's roll)
  const tag = `s${seed.toString(36)}`;
  const id = `${tag}-${k}`;
  const base = `/api/v1/meetings/${id}`;
  const log = [];
  const broken = (msg) => { throw new Broken(`${msg}\n  sequence (seed ${seed}, ${P.name}):\n    ${log.join('\n    ')}`); };
  const db = path.join(data, 'roll.db');
  const state = () => {
    const r = spawnSync('sqlite3', ['-readonly', db, `ATTACH '${path.join(data, 'box.db')}' AS b;
      SELECT (SELECT count(*) || '/' || coalesce(max(seq), 0) FROM events), (SELECT count(*) FROM b.ballots),
        (SELECT count(*) FROM members_history), (SELECT count(*) || '/' || sum(status = 'active') FROM credentials),
        (SELECT count(*) || '/' || group_concat(status) FROM questions WHERE meeting = '${id}')`], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return r.stdout.trim();
  };

  // --- the operations, each checked against the property ---
  const http = async (kind, what, fn) => {
    const before = state();
    const r = await fn();
    const err = r.json?.error;
    log.push(`${kind} ${what} → ${r.status}${err ? ` ${err.code}: ${err.fr}${err.detail ? ` (${err.detail})` : ''}` : ''}`);
    // The check on write refused what the server computed: printed at the
    // end (the record stays valid, but the server and its verifier differ).
    if (err?.code === 'record_refused') refusedByCheck.set(`${kind}: ${err.detail.replace(/\d+/g, 'N')}`, seed);
    if (r.status === 200) { tally(kind, true); return r; }
    if (r.status >= 500) broken(`${kind}: ${r.status} for ${what}: ${r.text}`);
    if (!err || typeof err.code !== 'string' || typeof err.fr !== 'string' || !err.fr.trim() || typeof err.en !== 'string')
      broken(`${kind}: refused (${r.status}) without {error: {code, fr, en}} and a French text: ${r.text}`);
    const after = state();
    if (after !== before) broken(`${kind}: refused (${r.status} ${err.code}) but the store changed: ${before} → ${after}`);
    tally(kind, false);
    return r;
  };
  const run = (kind, what, args) => {
    const before = state();
    const r = cli([...args, '--data', data]);
    log.push(`${kind} ${what} → exit ${r.status}${r.status ? `: ${r.stderr.trim().split('\n').join(' / ')}` : ''}`);
    if (r.status === 0) { tally(kind, true); return r; }
    if (r.status === null || r.status > 2) broken(`${kind}: the CLI crashed or exited ${r.status}: ${r.stderr}`);
    if (!r.stderr.trim() || !FRENCH.test(r.stderr)) broken(`${kind}: refused without a French message on stderr: «${r.stderr}»`);
    const after = state();
    if (after !== before) broken(`${kind}: refused but the store changed: ${before} → ${after}`);
    tally(kind, false);
    return r;
  };
  const must = (r, what) => { if (r.status !== 0 && r.status !== 200) broken(`${what} was refused, it should not be`); return r; };
  // The ceremony's and decryption's requests go through `http` too; a
  // refusal stops the step (its generator is dropped).
  const post = (kind) => async (s, method, p, json, token, what) => {
    const r = await http(kind, what, () => api(s, method, p, json, token));
    if (r.status !== 200) throw Object.assign(new Error('refused'), { refused: true });
    return r;
  };

  // --- the roll: a file per import ---
  const n = 4 + R.int(4);
  const members = [];
  for (let i = 1; i <= n; i++) {
    const kp = S.crypto_sign_keypair();
    members.push({ no: `${tag}M${i}`, cat: R.pick(P.cats.vote), pk: kp.publicKey, sk: kp.privateKey });
  }
  let imports = 0;
  const rollImport = (what, rows, extra = []) => {
    const f = path.join(data, `${id}-roll${++imports}.csv`);
    fs.writeFileSync(f, ['numéro;nom;prénom;catégorie;cotisation',
      ...rows.map((m) => `${m.no};Nom ${m.no};Prénom;${m.cat};${PAID}`)].join('\n') + '\n');
    const r = run('roll import', what, ['roll', 'import', ...extra, f]);
    return r.status === 0;
  };
  let roll = members.map((m) => ({ ...m }));   // the roll as last imported
  const rollOp = () => {
    const v = R.int(5);
    const rows = roll.map((m) => ({ ...m }));
    let extra = [], what;
    if (v === 0) { for (const m of rows) if (R.chance(0.5)) m.cat = R.pick(P.cats.labels); what = 'spreadsheet labels'; }
    else if (v === 1) { for (const m of rows) if (!P.cats.vote.includes(m.cat)) m.cat = P.cats.vote[0]; what = 'categories corrected'; }
    else if (v === 2) { const m = R.pick(rows); m.cat = R.pick([...P.cats.vote, ...P.cats.other]); what = `${m.no} → ${m.cat}`; }
    else if (v === 3) { const m = rows.splice(R.int(rows.length), 1)[0]; extra = ['--remove-missing']; what = `${m.no} removed`; }
    else {
      const kp = S.crypto_sign_keypair();
      const m = { no: `${tag}M${members.length + 1}`, cat: R.pick(P.cats.vote), pk: kp.publicKey, sk: kp.privateKey };
      members.push(m); rows.push({ ...m }); what = `${m.no} added`;
    }
    if (rollImport(what, rows, extra)) roll = rows;
  };
  const candidates = () => members.slice(0, 3).map((m, i) => ({ member: m.no, name: `Candidat ${i + 1}` }));
  if (R.chance(0.5)) for (const m of roll) if (R.chance(0.5)) m.cat = R.pick(P.cats.labels);
  rollImport('first import', roll);
  const agenda = path.join(data, `${id}-agenda.json`);
  fs.writeFileSync(agenda, JSON.stringify({ questions: P.agenda(candidates()) }));
  must(run('meeting create', id, ['meeting', 'create', '--id', id, '--title', `Réunion ${id}`, '--date', MEETING_DATE,
    '--profile', P.file, '--body', P.body, '--agenda', agenda, '--trustees', '2', '--threshold', '2']), 'meeting create');

  // --- credentials ---
  let outs = 0;
  const credIssue = (m) => {   // a code we do not hold: this member's key is lost to the test
    const r = run('cred issue', m.no, ['cred', 'issue', '--meeting', id, '--host', HOST,
      '--out', `${data}-${id}-out${++outs}`, '--member', m.no]);
    if (r.status === 0) m.lost = true;
    return r;
  };
  const credOp = () => {
    const m = R.pick(members);
    const v = R.int(3);
    if (v === 0) credIssue(m);
    else if (v === 1) { if (run('cred revoke', m.no, ['cred', 'revoke', '--meeting', id, '--member', m.no, '--reason', 'perdu']).status === 0) m.revoked = true; }
    else if (run('cred reissue', m.no, ['cred', 'reissue', '--meeting', id, '--member', m.no, '--reason', 'perdu',
      '--host', HOST, '--out', `${data}-${id}-out${++outs}`]).status === 0) m.lost = true;
  };
  let extras = 0;
  const questionAddCli = () => {
    const f = path.join(data, `${id}-add${++extras}.json`);
    fs.writeFileSync(f, JSON.stringify(P.extra(extras)));
    run('question add (CLI)', `x${extras}`, ['question', 'add', id, f]);
  };

  // --- before the convocation ---
  let convened = false;
  const convene = () => { if (run('meeting convene', id, ['meeting', 'convene', id]).status === 0) { convened = true; frozen = roll.map((m) => m.no); } };
  let frozen = [];
  for (let i = R.int(4); i > 0; i--) {
    const v = R.int(4);
    if (v === 0) credIssue(R.pick(members));
    else if (v === 1) rollOp();
    else if (v === 2) questionAddCli();
    else if (!convened) convene();
  }
  if (!convened) {
    for (const m of roll) if (!P.cats.vote.includes(m.cat)) m.cat = P.cats.vote[0];
    rollImport('categories corrected', roll);
    convene();
    if (!convened) broken('the convocation of a corrected roll was refused');
  }
  // --- convened: the roll frozen, the public credentials imported ---
  for (let i = R.int(3); i > 0; i--) R.chance(0.7) ? rollOp() : questionAddCli();
  const pub = (list) => {
    const f = path.join(data, `${id}-public${++outs}.json`);
    fs.writeFileSync(f, JSON.stringify({ format: 'scrutin-public-credentials/1', meeting: id,
      credentials: list.map((m) => ({ member: m.no, pk: hex(m.pk) })) }));
    return run('cred import-public', `${list.length} keys`, ['cred', 'import-public', f]);
  };
  const onRoll = members.filter((m) => frozen.includes(m.no));
  const late = members.filter((m) => !frozen.includes(m.no));
  if (late.length && R.chance(0.5)) pub([...onRoll, R.pick(late)]);
  const kept = onRoll.filter((x) => !x.lost && R.chance(0.9));   // not those given a code already
  must(pub(kept), 'the import of the frozen roll\'s keys');
  for (const m of onRoll) if (!kept.includes(m)) m.lost = true;
  for (let i = R.int(3); i > 0; i--) credOp();

  // --- the links and the key ceremony, with resets ---
  const m = { id, enrol: [] };
  const link = (what, args) => must(run('link', what, args), what).stdout.trim();
  const modLink = () => { m.modToken = link('moderator', ['meeting', 'moderator-link', id, '--host', 'localhost']).split('#')[1].split('.')[1]; };
  const enrolLinks = () => { m.enrol = [1, 2].map((j) => link(`scrutineer ${j}`, ['meeting', 'scrutineer-link', id, '--index', String(j), '--host', 'localhost']).split('#')[1].split('.')[2]); };
  modLink();
  enrolLinks();
  let cer = null;
  const reset = () => {
    if (run('ceremony reset', id, ['meeting', 'ceremony-reset', id]).status === 0) { enrolLinks(); return true; }
    return false;
  };
  const runCeremony = async () => {
    for (let attempt = 0; attempt < 3 && !cer; attempt++) {
      const g = ceremonySteps(srv, m, post('ceremony'));
      try {
        let r;
        do {
          r = await g.next();
          if (!r.done && R.chance(0.08) && reset()) break;
        } while (!r.done);
        if (r.done) cer = r.value;
      } catch (e) {
        if (!e.refused) throw e;
        if (!reset()) return;
      }
    }
  };
  if (R.chance(0.9)) await runCeremony();
  if (R.chance(0.1)) reset();   // refused once the key exists

  // --- live ---
  const mod = (kind, what, p, json = {}, token = m.modToken) => http(kind, what, () => api(srv, 'POST', `${base}${p}`, json, token));
  await mod('meeting start', id, '/start');
  for (const v of members) if (R.chance(0.7)) await http('check-in', v.no, () => api(srv, 'POST', `${base}/attendance`, attend(m, v, 'check-in', 'present')));
  const view = async () => (await api(srv, 'GET', base)).json;
  const voted = new Map();   // qid → Set of member numbers
  const member = () => R.pick(members);
  // null for a member whose keys this test does not hold (issued by
  // `cred issue`, or not found after a roll change): nothing to cast.
  const ballotFor = (q, v) => {
    if (!v?.pk || !v?.sk) return null;
    const sel = new Array(q.n).fill(0); sel[R.int(q.n)] = 1;
    return q.secret ? secretBallot(cer, q, q.id, v, sel) : openBallot(m, q, q.id, v, sel);
  };
  const cast = async (q, v, body, what) => {
    if (body === null) return;
    const r = await http('ballot', what, () => api(srv, 'POST', `${base}/ballots`, body));
    if (r.status === 200) { if (!voted.has(q.id)) voted.set(q.id, new Set()); voted.get(q.id).add(v.no); }
  };
  const decryptQ = async (qid) => {
    if (!cer) return;
    for (const j of [1, 2]) {
      // A box without a ballot sums to the identity, which no share
      // proves: nothing to decrypt (the helper throws before any request).
      try { await decrypt(srv, m, cer, qid, [j], post('decryption share')); } catch (e) { if (!e.refused && e.name !== 'ScrutinCryptoError') throw e; }
    }
  };
  const ops = [
    [4, async () => { const v = member(); await http('check-in', v.no, () => api(srv, 'POST', `${base}/attendance`, attend(m, v, 'check-in', R.chance(0.85) ? 'present' : 'remote'))); }],
    [1, async () => { const v = member(); await http('check-out', v.no, () => api(srv, 'POST', `${base}/attendance`, attend(m, v, 'check-out'))); }],
    [2, async () => { const q = R.pick((await view()).questions); await mod('question open', q.id, `/questions/${q.id}/open`); }],
    [2, async () => { const q = R.pick((await view()).questions); await mod('question close', q.id, `/questions/${q.id}/close`); }],
    [8, async () => {
      const qs = (await view()).questions.filter((q) => q.status === 'open');
      if (!qs.length) return;
      const q = R.pick(qs), v = member();
      if (q.secret && !cer) return;
      await cast(q, v, ballotFor(q, v), `${q.secret ? 'secret' : 'show of hands'} ${q.id} by ${v.no}`);
    }],
    [1, async () => {   // a double vote
      const qs = (await view()).questions.filter((q) => q.status === 'open' && voted.get(q.id)?.size);
      if (!qs.length) return;
      const q = R.pick(qs), v = members.find((x) => x.no === R.pick([...voted.get(q.id)]));
      if (!v) return;   // the voter left the roll since
      await cast(q, v, ballotFor(q, v), `double vote ${q.id} by ${v.no}`);
    }],
    [1, async () => {   // a ballot for another question
      const all = (await view()).questions;
      const q = R.pick(all), other = R.pick(all), v = member();
      const b = q.id === other.id || (q.secret && !cer) ? null : ballotFor(q, v);
      if (b === null) return;
      await cast(other, v, { ...b, question: other.id }, `ballot for ${q.id} sent as ${other.id} by ${v.no}`);
    }],
    [2, async () => {
      const qs = (await view()).questions.filter((q) => q.status === 'closed' && q.secret);
      if (qs.length) await decryptQ(R.pick(qs).id);
    }],
    [1, async () => {
      const e = R.pick((await view()).questions.filter((q) => q.kind === 'election'));
      if (e) await mod('second round', e.id, '/questions', { round_of: e.id });
    }],
    [1, async () => {
      const e = R.pick((await view()).questions.filter((q) => q.kind === 'election'));
      const c = R.pick(members);
      if (e) await mod('late candidate', `${c.no} in ${e.id}`, `/questions/${e.id}/candidates`, { member: c.no, name: `Candidat ${c.no}` });
    }],
    [1, async () => { await mod('question add (API)', `x${++extras}`, '/questions', P.extra(extras)); }],
    [1, async () => R.chance(0.5) ? questionAddCli() : rollOp()],
    [1, async () => credOp()],
    [0.3, async () => reset()],
    [0.3, async () => { const old = m.modToken; modLink(); if (R.chance(0.5)) await mod('question open', 'old token', '/questions/q1/open', {}, old); }],
  ];
  const total = ops.reduce((s, [w]) => s + w, 0);
  for (let i = 6 + R.int(24); i > 0; i--) {
    let x = R.next() * total;
    const op = ops.find(([w]) => (x -= w) < 0) ?? ops[0];
    await op[1]();
  }

  // --- the end: everything counted first, or the meeting ended with
  // questions still open (then closed and counted after, when possible) ---
  const countAll = async () => {
    for (const q of (await view()).questions) if (q.status === 'open') await mod('question close', q.id, `/questions/${q.id}/close`);
    for (const q of (await view()).questions) if (q.status === 'closed' && q.secret) await decryptQ(q.id);
  };
  if (R.chance(0.75)) await countAll();
  await mod('meeting end', id, '/end');
  if (R.chance(0.5)) await countAll();
  const qs = (await view()).questions;
  const uncountedAll = qs.filter((q) => q.status === 'open' || q.status === 'closed').map((q) => q.id);

  // --- the record verifies (save for the questions never counted) ---
  const ex = must(run('record export', id, ['record', 'export', id]), 'record export');
  const rec = path.join(data, `${id}.jsonl`);
  fs.writeFileSync(rec, ex.stdout);
  const verify = (extra = []) => spawnSync(path.resolve(BUILD, 'scrutin-verify'), ['--quiet', '--lang', 'en', ...extra, rec], { encoding: 'utf8' });
  // Only the questions in the record count (an election naming a
  // candidate without a credential stays out of it, docs/server.md).
  const inRecord = new Set(ex.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l))
    .filter((e) => e.kind === 'question.opened').map((e) => e.payload.qid));
  const uncounted = uncountedAll.filter((q) => inRecord.has(q));
  let vr = verify();
  const said = (vr.stdout + vr.stderr).trim();
  if (vr.status !== 0) {
    const m1 = said.match(/question (\S+) has no result/);
    if (!m1 || !uncounted.includes(m1[1]) || /seq \d+/.test(said))
      broken(`the exported record does not verify: ${said}`);
    log.push(`verify: ${said} (a question opened and never counted)`);
    return { ops: log.length, verified: 'to its end' };
  }
  if (uncounted.length) broken(`questions ${uncounted} not counted, yet the record verifies: ${said}`);

  // --- the minutes, signed by the scrutineers ---
  const html = await request(srv, 'GET', `${base}/minutes`);
  log.push(`GET minutes → ${html.status}`);
  if (uncountedAll.length || !qs.some((q) => q.status === 'counted')) {   // no minutes (docs/api.md)
    if (html.json?.error?.code !== 'wrong_phase') broken(`minutes while questions are uncounted or none counted: ${html.status}`);
    return { ops: log.length, verified: uncountedAll.length ? 'whole, questions out of the record uncounted' : 'whole, nothing voted' };
  }
  if (html.status !== 200) broken(`no minutes for a record whose every question is counted: ${html.text}`);
  const head = html.headers['x-scrutin-head'];
  const pv = path.join(data, `${id}-pv.html`);
  fs.writeFileSync(pv, html.text);
  const pvCli = spawnSync(path.resolve(BUILD, 'scrutin-minutes'), [rec]);
  const ex2 = must(run('record export', id, ['record', 'export', id]), 'record export');
  fs.writeFileSync(rec, ex2.stdout);
  if (pvCli.status !== 0) broken(`scrutin-minutes failed: ${pvCli.stderr}`);
  const sha = new Uint8Array(crypto.createHash('sha256').update(Buffer.from(html.text, 'utf8')).digest());
  if (!cer) return { ops: log.length, verified: 'whole, minutes unsigned (no ceremony)' };
  for (const t of cer.trustees) {
    const sig = hex(C.signStatement('minutes', [unhex(head), sha], t.id.privateKey).sig);
    must(await http('minutes signature', `scrutineer ${t.j}`, () => api(srv, 'POST', `${base}/minutes/signatures`, { index: t.j, head, sig })), 'a minutes signature');
  }
  const sigs = path.join(data, `${id}-pv.sig`);
  fs.writeFileSync(sigs, (await request(srv, 'GET', `${base}/minutes/signatures`)).text);
  vr = verify(['--minutes', pv, '--signatures', sigs]);
  if (vr.status !== 0) broken(`scrutin-verify refuses the signed minutes: ${(vr.stdout + vr.stderr).trim()}`);
  return { ops: log.length, verified: 'whole, minutes signed' };
}

// After a sequence, its members leave the roll (its meeting is closed):
// the next sequence's convocation counts its own members only.
function clearRoll(data, P) {
  const f = path.join(data, 'clear.csv');
  fs.writeFileSync(f, `numéro;nom;prénom;catégorie;cotisation\nZ0;Nom;Prénom;${P.cats.vote[0]};${PAID}\n`);
  const r = cli(['roll', 'import', '--remove-missing', f, '--data', data]);
  if (r.status !== 0) throw new Error(`the roll cannot be cleared after a sequence: ${r.stderr}`);
}

// --- the run: PER_SERVER sequences per server process ---
const master = rng(MASTER);
const drawn = REPLAY ? [+REPLAY] : Array.from({ length: COUNT }, () => Math.floor(master.next() * 2 ** 31));
// Grouped by profile (seed parity), PER_SERVER sequences per server.
const seeds = [...drawn.filter((x) => x % 2 === 0), ...drawn.filter((x) => x % 2 === 1)];
console.log(REPLAY ? `property: replaying SEED=${REPLAY}` : `property: ${COUNT} sequences, PROPTEST_SEED=${MASTER}`);
const outcomes = new Map();
let done = 0, ops = 0;
const t0 = Date.now();
try {
  for (let s = 0; s < seeds.length;) {
    const group = seeds.slice(s, s + PER_SERVER).filter((x, i, a) => x % 2 === a[0] % 2);
    s += group.length;
    const srv = await startServer({ data: tmpDir('property'), extra: ['--rate', '100000', '--burst', '100000'] });
    try {
      for (const [k, seed] of group.entries()) {
        const r = await sequence(srv, seed, k);
        clearRoll(srv.data, PROFILES[seed % 2]);
        outcomes.set(r.verified, (outcomes.get(r.verified) ?? 0) + 1);
        done++; ops += r.ops;
      }
    } catch (e) {
      const seed = seeds[done];
      console.error(`property BROKEN in sequence ${done + 1} — replay it with: SEED=${seed} node tests/server/property.mjs\n${e instanceof Broken ? e.message : e.stack}`);
      if (!(e instanceof Broken)) console.error(srv.log().slice(-3000));
      process.exitCode = 1;
      break;
    } finally {
      await srv.stop();
    }
  }
} finally {
  const w = Math.max(...[...stats.keys()].map((x) => x.length), 4);
  console.log(`${done} sequences, ${ops} operations in ${((Date.now() - t0) / 1000).toFixed(1)} s; records verified: ${[...outcomes].map(([k, v]) => `${v} ${k}`).join(', ')}`);
  for (const [kind, s] of [...stats].sort()) console.log(`  ${kind.padEnd(w)}  ${String(s.accepted).padStart(5)} accepted  ${String(s.refused).padStart(5)} refused`);
}
for (const [what, seed] of refusedByCheck) console.log(`  refused by the check on write: ${what} (SEED=${seed})`);
if (!process.exitCode) console.log(`property: ${done} sequences, 0 failed`);

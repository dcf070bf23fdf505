// meeting-lib.mjs — helpers shared by the meeting tests and the bench:
// a roll of N members with credentials made in Node (public keys imported,
// secrets kept here), a meeting, the scrutineers' ceremony run with the
// browser's crypto module (kiosk/js/scrutin-crypto.js), real ballots.
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { cli, request } from './lib.mjs';

const require = createRequire(import.meta.url);
export const S = require('libsodium-wrappers-sumo');
await S.ready;
export const C = await import(pathToFileURL(path.resolve('kiosk/js/scrutin-crypto.js')).href);
await C.init(S);

export const hex = (b) => Buffer.from(b).toString('hex');
export const unhex = (h) => new Uint8Array(Buffer.from(h, 'hex'));
export const now = () => Math.floor(Date.now() / 1000);

// The roll and the credentials (Node-made key pairs).
const day = (d) => new Date(Date.now() + d * 86400e3).toISOString().slice(0, 10);
export const MEETING_DATE = day(45);
// category: the profile's category id of every member (A-IMI's adherent);
// joined: a date d'adhésion for every member (APROGEMERE's seniority), or
// none.
export function makeRoll(dir, n, category = 'adherent', joined = null) {
  const lines = [`numéro;nom;prénom;catégorie;cotisation${joined ? ';date d\'adhésion' : ''}`];
  for (let i = 1; i <= n; i++)
    lines.push(`M${String(i).padStart(4, '0')};Nom${i};Prénom${i};${category};${day(-30)}${joined ? `;${joined}` : ''}`);
  const f = path.join(dir, 'roll.csv');
  fs.writeFileSync(f, lines.join('\n') + '\n');
  return f;
}

// createArgs: more `meeting create` options (--place…); scrutineers:
// their names (`scrutineer-link --name`), by index from 1.
export function setupMeeting(data, { members = 30, id = 'ag-test', agenda, trustees = 2, threshold = 2, createArgs = [], scrutineers = [] } = {}) {
  const run = (args) => {
    const r = cli([...args, '--data', data]);
    if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  run(['roll', 'import', makeRoll(data, members)]);
  const ag = path.join(data, 'agenda.json');
  fs.writeFileSync(ag, JSON.stringify(agenda ?? { questions: [
    { id: 'q1', title: 'Motion secrète', kind: 'motion', rule: 'ordinary', secret: true },
    { id: 'q2', title: 'Motion à main levée', kind: 'motion', rule: 'ordinary', secret: false },
    { id: 'e1', title: 'Élection', kind: 'election', rule: 'ca', secret: true, seats: 1,
      candidates: [{ member: 'M0001', name: 'Un' }, { member: 'M0002', name: 'Deux' }, { member: 'M0003', name: 'Trois' }] },
  ] }));
  run(['meeting', 'create', '--id', id, '--title', 'AG de test', '--date', MEETING_DATE,
    '--profile', 'ballot-formats/profiles/a-imi.yaml', '--body', 'ag', '--agenda', ag,
    '--trustees', String(trustees), '--threshold', String(threshold), ...createArgs]);
  run(['meeting', 'convene', id]);
  return enrolMeeting(data, id, members, trustees, scrutineers);
}

// A convened meeting's credentials: `members` key pairs made here for
// M0001…, their public keys imported, the moderator's link (modLink)
// and token, and the `trustees` scrutineers' enrolment tokens.
export function enrolMeeting(data, id, members, trustees = 2, scrutineers = []) {
  const run = (args) => {
    const r = cli([...args, '--data', data]);
    if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const voters = [];
  for (let i = 1; i <= members; i++) {
    const kp = S.crypto_sign_keypair();
    voters.push({ no: `M${String(i).padStart(4, '0')}`, pk: kp.publicKey, sk: kp.privateKey });
  }
  const pub = path.join(data, 'public.json');
  fs.writeFileSync(pub, JSON.stringify({ format: 'scrutin-public-credentials/1', meeting: id,
    credentials: voters.map((v) => ({ member: v.no, pk: hex(v.pk) })) }));
  run(['cred', 'import-public', pub]);
  const mod = run(['meeting', 'moderator-link', id, '--host', 'localhost']).trim();
  const modToken = mod.split('#')[1].split('.')[1];
  const enrol = [];
  for (let j = 1; j <= trustees; j++) {
    const named = scrutineers[j - 1] ? ['--name', scrutineers[j - 1]] : [];
    const u = run(['meeting', 'scrutineer-link', id, '--index', String(j), '--host', 'localhost', ...named]).trim();
    enrol.push(u.split('#')[1].split('.')[2]);
  }
  return { id, voters, modToken, modLink: mod, enrol, data };
}

// The meeting's live stream (GET …/events), read as it comes: each event
// pushed to `events` as {name, data (parsed), at (ms)}. onResponse(res),
// if given, sees the response first. Returns the request (destroy() it).
export function liveEvents(srv, p, events, onResponse) {
  const req = https.get({ host: '127.0.0.1', port: srv.port, path: p, ca: srv.ca, servername: 'localhost', agent: false }, (res) => {
    if (onResponse) onResponse(res);
    let buf = '';
    res.setEncoding('utf8');
    res.on('data', (d) => {
      buf += d;
      let k;
      while ((k = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, k); buf = buf.slice(k + 2);
        const ev = {}; for (const l of block.split('\n')) { const i = l.indexOf(': '); if (i > 0) ev[l.slice(0, i)] = l.slice(i + 2); }
        if (ev.event) events.push({ name: ev.event, data: JSON.parse(ev.data), at: Date.now() });
      }
    });
  });
  req.on('error', () => {});
  return req;
}

// The questions' content as the record carries it ("opened" in the
// meeting's view: question.opened, or what the mail-in window published),
// by "meeting/qid": remembered from every view this helper fetches, and
// after a question opens or a mail-in window opens, so that a test holding
// a question's view from before its opening still builds its ballots
// against the recorded content (docs/protocol.md §5.7).
const openedSeen = new Map();
function rememberOpened(meeting, qs) {
  for (const q of Array.isArray(qs) ? qs : []) if (q && q.opened) openedSeen.set(`${meeting}/${q.id}`, q.opened);
}
export async function api(srv, method, p, json, token, agent) {
  const headers = token ? { authorization: `Bearer ${token}` } : {};
  const r = await request(srv, method, p, { json, headers, agent });
  const mm = /^\/api\/v1\/meetings\/([^/?]+)(\/.*)?$/.exec(p);
  if (mm && r.status === 200) {
    if (method === 'GET' && !mm[2] && r.json) rememberOpened(mm[1], r.json.questions);
    else if (method === 'POST' && mm[2] && (/\/open$/.test(mm[2]) || /^\/mailin/.test(mm[2]))) {
      const v = await request(srv, 'GET', `/api/v1/meetings/${mm[1]}`, { headers: {} });
      if (v.status === 200 && v.json) rememberOpened(mm[1], v.json.questions);
    }
  }
  return r;
}

const le64 = (n) => C.le64(n);
function sign(kind, fields, sk) { return hex(C.signStatement(kind, fields, sk).sig); }

// A request that must succeed: the default `post` of the ceremony and
// the decryption below (a caller may give its own, which checks each
// answer and throws to stop).
async function mustPost(srv, method, p, json, token, what) {
  const r = await api(srv, method, p, json, token);
  if (r.status !== 200) throw new Error(`${what}: ${r.text}`);
  return r;
}

// The key ceremony, every trustee in this process (protocol.md §6).
export async function ceremony(srv, m) {
  const g = ceremonySteps(srv, m);
  let r;
  do r = await g.next(); while (!r.done);
  return r.value;
}

// The same, one step at a time: yields the name of each step done
// (enrol, commit, reveal, shares, key), returns what ceremony() does.
// post(srv, method, path, json, token, what) makes each request.
export async function* ceremonySteps(srv, m, post = mustPost) {
  const base = `/api/v1/meetings/${m.id}`;
  const n = m.enrol.length;
  const T = [];
  for (let j = 1; j <= n; j++) {
    const id = S.crypto_sign_keypair();
    const bx = S.crypto_box_keypair();
    const t = { j, id, bx };
    T.push(t);
    await post(srv, 'POST', `${base}/trustees/enrol`, {
      index: j, id_pk: hex(id.publicKey), box_pk: hex(bx.publicKey),
      sig: sign('trustee-enrol', [m.id, le64(j), id.publicKey, bx.publicKey], id.privateKey),
    }, m.enrol[j - 1], `enrol ${j}`);
  }
  yield 'enrol';
  let cer = (await api(srv, 'GET', `${base}/ceremony`)).json;
  const cid = unhex(cer.ceremony_id);
  const thr = cer.t;
  for (const t of T) {
    t.a = []; t.C = [];
    for (let k = 0; k < thr; k++) { const a = C.randomScalar(); t.a.push(a); t.C.push(C.mulBase(a)); }
    const cctx = C.concat(C.frame(cid), C.frame(le64(t.j)));
    t.pok = C.pokProve(cctx, t.a[0]).proof;
    t.h = C.H256('dkg-commit', cid, le64(t.j), C.concat(...t.C), t.pok);
    await post(srv, 'POST', `${base}/ceremony/commit`, { index: t.j, h: hex(t.h),
      sig: sign('trustee-commit', [cid, le64(t.j), t.h], t.id.privateKey) }, undefined, 'commit');
  }
  yield 'commit';
  for (const t of T) {
    await post(srv, 'POST', `${base}/ceremony/reveal`, { index: t.j,
      commitments: t.C.map(hex), pok: hex(t.pok),
      sig: sign('trustee-reveal', [cid, le64(t.j), C.concat(...t.C), t.pok], t.id.privateKey) }, undefined, 'reveal');
  }
  yield 'reveal';
  const evalPoly = (a, x) => {   // Σ a_k x^k
    let acc = new Uint8Array(32), xp = C.scalarFromInt(1);
    for (const ak of a) { acc = C.scalarAdd(acc, C.scalarMul(ak, xp)); xp = C.scalarMul(xp, C.scalarFromInt(x)); }
    return acc;
  };
  for (const t of T) {
    const boxes = [];
    for (const u of T) {
      const s = evalPoly(t.a, u.j);
      const plain = C.concat(cid, le64(t.j), le64(u.j), s);
      const nonce = S.randombytes_buf(24);
      boxes.push(C.concat(nonce, S.crypto_box_easy(plain, nonce, u.bx.publicKey, t.bx.privateKey)));
    }
    t.boxes = boxes;
    await post(srv, 'POST', `${base}/ceremony/shares`, { index: t.j, boxes: boxes.map(hex),
      sig: sign('trustee-shares', [cid, le64(t.j), C.concat(...boxes)], t.id.privateKey) }, undefined, 'shares');
  }
  yield 'shares';
  for (const t of T) {
    let x = new Uint8Array(32);
    for (const u of T) {   // open the box from u to t
      const b = u.boxes[t.j - 1];
      const plain = S.crypto_box_open_easy(b.slice(24), b.slice(0, 24), u.bx.publicKey, t.bx.privateKey);
      x = C.scalarAdd(x, plain.slice(48, 80));
    }
    t.x = x;
    t.y = C.mulBase(x);
    const sctx = C.concat(C.frame(cid), C.frame(le64(t.j)), C.frame(C.utf8('share')));
    const pok = C.pokProve(sctx, x).proof;
    await post(srv, 'POST', `${base}/ceremony/key`, { index: t.j, y: hex(t.y), pok: hex(pok),
      sig: sign('trustee-key-share', [cid, le64(t.j), t.y, pok], t.id.privateKey) }, undefined, 'key');
  }
  yield 'key';
  cer = (await api(srv, 'GET', `${base}/ceremony`)).json;
  return { trustees: T, y: unhex(cer.y), eid: unhex(cer.eid), meeting: m.id };
}

// Decryption shares of every trustee (or those in `which`) for a closed
// secret question; post as for ceremonySteps.
export async function decrypt(srv, m, cer, qid, which, post = mustPost) {
  const base = `/api/v1/meetings/${m.id}`;
  const box = (await api(srv, 'GET', `${base}/questions/${qid}/ballots`)).json;
  let last;
  for (const t of cer.trustees.filter((tt) => !which || which.includes(tt.j))) {
    const shares = box.totals.map((th, i) => {
      const A = unhex(th).slice(0, 32);
      const ctx = C.concat(C.frame(cer.eid), C.frame(C.utf8(qid)), C.frame(le64(i + 1)), C.frame(le64(t.j)));
      const D = C.mul(t.x, A);
      const proof = C.dleqProve(ctx, t.x, A).proof;
      return { d: hex(D), proof: hex(proof) };
    });
    const blob = C.concat(...shares.map((s) => C.concat(unhex(s.d), unhex(s.proof))));
    last = await post(srv, 'POST', `${base}/questions/${qid}/shares`, { index: t.j, shares,
      sig: sign('trustee-decryption', [cer.eid, C.utf8(qid), le64(t.j), blob], t.id.privateKey) }, undefined, 'dshares');
  }
  return last;
}

// The question digest (docs/protocol.md §5.7, scrutin/2) of a question as
// the meeting's view shows it once opened or published for mail-in: its
// "opened" payload, which the record carries. A test that builds against a
// question without it gets no digest, so the server refuses the ballot.
export function qdigestOf(q, meeting, qid) {
  const o = (q && q.opened) || openedSeen.get(`${meeting}/${qid}`);
  return o ? C.questionDigest(o) : undefined;
}

// signer: the holder of voter's proxy, when not voter himself.
export function secretBallot(cer, q, qid, voter, selection, signer = voter) {
  const b = C.buildBallot({ eid: cer.eid, qid, n: q.n, min: q.min, max: q.max, y: cer.y,
    voicePk: voter.pk, signerSk: signer.sk, signerPk: signer.pk, selection, qdigest: qdigestOf(q, cer.meeting, qid) });
  const o = { question: qid, body: hex(b.body), sig: hex(b.sig), hints: hex(b.hints) };
  Object.defineProperty(o, 'receipt', { value: hex(b.receipt), enumerable: false });
  return o;
}

// The ballots of m's voters in order on qid: picks[k] the choices voter
// k ticks; secret under cer's key ({eid, y}) or a signed show of hands,
// as the question is. Each must be accepted.
export async function castBallots(srv, m, cer, qid, picks) {
  const q = (await api(srv, 'GET', `/api/v1/meetings/${m.id}`)).json.questions.find((x) => x.id === qid);
  for (const [k, cs] of picks.entries()) {
    const sel = new Array(q.n).fill(0);
    for (const c of cs) sel[c] = 1;
    const b = q.secret ? secretBallot(cer, q, qid, m.voters[k], sel) : openBallot(m, q, qid, m.voters[k], sel);
    const r = await api(srv, 'POST', `/api/v1/meetings/${m.id}/ballots`, b);
    if (r.status !== 200) throw new Error(`${qid} ballot ${k}: ${r.text}`);
  }
}

export function openBallot(m, q, qid, voter, selection) {
  const st = openStatement(m.id, q, qid, voter.pk, voter.pk, selection);
  return { question: qid, selection, voice: hex(voter.pk), signer: hex(voter.pk),
    sig: hex(S.crypto_sign_detached(st, voter.sk)) };
}

// S_open (docs/record.md §5), with the question digest last (scrutin/2).
export function openStatement(meetingId, q, qid, voicePk, signerPk, selection) {
  const d = qdigestOf(q, meetingId, qid);
  return d ? C.transcript('open-ballot', meetingId, qid, voicePk, signerPk, le64(q.n), new Uint8Array(selection), d)
    : C.transcript('open-ballot', meetingId, qid, voicePk, signerPk, le64(q.n), new Uint8Array(selection));
}

export function attend(m, voter, action, mode) {
  const ts = now();
  const fields = action === 'check-in' ? [m.id, voter.pk, mode, le64(ts)] : [m.id, voter.pk, le64(ts)];
  // The statement labels of docs/record.md §5 (checkin / checkout); the
  // API's action keeps its hyphen.
  const body = { pk: hex(voter.pk), action, ts, sig: sign(action === 'check-in' ? 'checkin' : 'checkout', fields, voter.sk) };
  if (mode) body.mode = mode;
  return body;
}

// The strongest insider, for the record tests: the server itself edits
// the events of an exported record (f gets them parsed), re-chains them
// and re-signs every checkpoint with its own key (test only: read from
// the data directory), so that only the content checks can catch the
// change (docs/record.md §2–3). Writes FILE.WHAT and returns the run of
// scrutin-verify on it.
export function rewriteRecord({ data, meeting, lines, file }, what, f) {
  const seed = fs.readFileSync(path.join(data, 'server-sign.key'));
  if (seed.length !== 32) throw new Error('server-sign.key: 32 bytes expected');
  const sk = S.crypto_sign_seed_keypair(new Uint8Array(seed)).privateKey;
  const evs = lines.map((l) => JSON.parse(l));
  f(evs);
  const out = [];
  let head = new Uint8Array(32);
  evs.forEach((e, i) => {
    if (e.kind === 'checkpoint')
      e.payload = { seq: i - 1, head: hex(head),
        sig: hex(C.signStatement('checkpoint', [meeting, C.le64(i - 1), head], sk).sig) };
    const line = JSON.stringify({ seq: i, parent: hex(head), time: e.time, kind: e.kind, payload: e.payload });
    out.push(line);
    head = C.H256('event', C.utf8(line));
  });
  fs.writeFileSync(file + '.' + what, out.join('\n') + '\n');
  return spawnSync('build/scrutin-verify', ['--quiet', '--lang', 'en', file + '.' + what], { encoding: 'utf8' });
}

// The meeting's record exported by the CLI to DATA/record.jsonl, then
// `scrutin-verify --quiet` on it: {exported (the export's exit status),
// status (the verifier's), out (what it printed)}.
export function exportAndVerify(data, meeting) {
  const rec = cli(['record', 'export', meeting, '--data', data]);
  const f = path.join(data, 'record.jsonl');
  fs.writeFileSync(f, rec.stdout);
  const ver = spawnSync('build/scrutin-verify', ['--quiet', f], { encoding: 'utf8' });
  return { exported: rec.status, status: ver.status, out: ver.stdout + ver.stderr };
}

// The documented draw by lot (docs/profiles.md « Random draws »): k of
// the pool, in its order, by a partial Fisher–Yates shuffle driven by
// splitmix64 from seed (a BigInt), uniform integers by rejection.
const M64 = (1n << 64n) - 1n;
export function splitmix(st) {
  st.s = (st.s + 0x9e3779b97f4a7c15n) & M64;
  let z = st.s;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
  return z ^ (z >> 31n);
}
export function uniform(st, n) {
  const lim = M64 - M64 % BigInt(n);
  let r;
  do r = splitmix(st); while (r >= lim);
  return Number(r % BigInt(n));
}
export function drawByLot(seed, pool, k) {
  const st = { s: seed }, a = [...pool];
  for (let i = 0; i < k; i++) {
    const j = i + uniform(st, a.length - i);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, k);
}
// The engine's seed (docs/record.md draw.seed): the record's 8 bytes
// read little-endian.
export const seedOf = (hex16) => BigInt('0x' + Buffer.from(hex16, 'hex').reverse().toString('hex'));

// ANIMT's AG (RI art. V: proxies, mail-in votes) in data, its roll already
// imported: a secret motion q1 and a show of hands q2 on the agenda, a
// quarter of the present, remote and represented as the meeting's quorum,
// 2 of 2 scrutineers; convened, n voters enrolled (enrolMeeting's object).
export function animtAg(run, data, id, n) {
  const agenda = path.join(data, 'agenda.json');
  fs.writeFileSync(agenda, JSON.stringify({ questions: [
    { id: 'q1', title: 'Motion secrète', kind: 'motion', rule: 'ordinary', secret: true },
    { id: 'q2', title: 'Motion à main levée', kind: 'motion', rule: 'ordinary', secret: false },
  ] }));
  run(['meeting', 'create', '--id', id, '--title', 'AG ANIMT', '--date', MEETING_DATE,
    '--profile', 'ballot-formats/profiles/animt.yaml', '--body', 'ag', '--agenda', agenda, '--trustees', '2', '--threshold', '2',
    '--quorum', JSON.stringify({ counts: ['present', 'remote', 'represented'], fraction: '1/4', compare: 'at_least',
      rounding: 'none', second_convocation: 'none' })]);
  run(['meeting', 'convene', id]);
  return enrolMeeting(data, id, n);
}

// Espace+'s AG (RI art. 4: an absent holder's proxies reassigned at
// random) in data: a roll of n members (category individuel), one
// show-of-hands motion q1 (agenda), the meeting's own quorum (the profile
// leaves it to the meeting). create(id, start, more, trustees) makes a
// meeting starting at start (a Date, the appliance's local time), with
// `more` options; run(args) runs the CLI on data.
export function espacePlusAg(data, n) {
  const run = (args) => {
    const r = cli([...args, '--data', data]);
    if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  run(['roll', 'import', makeRoll(data, n, 'individuel')]);
  const agenda = path.join(data, 'agenda.json');
  fs.writeFileSync(agenda, JSON.stringify({ questions: [
    { id: 'q1', title: 'Motion simple', kind: 'motion', rule: 'simple', secret: false }] }));
  const quorum = JSON.stringify({ counts: ['present', 'represented'], fraction: '1/4', compare: 'at_least',
    rounding: 'floor', second_convocation: 'none' });
  const pad = (x) => String(x).padStart(2, '0');
  const create = (id, start, more = [], trustees = 2) => run(['meeting', 'create', '--id', id, '--title', 'AG Espace+',
    '--profile', 'ballot-formats/profiles/espace-plus.yaml', '--body', 'ag', '--trustees', String(trustees), '--threshold', '2',
    '--quorum', quorum, '--date', `${start.getFullYear()}-${pad(start.getMonth() + 1)}-${pad(start.getDate())}`,
    '--time', `${pad(start.getHours())}:${pad(start.getMinutes())}`, ...more]);
  return { run, agenda, create };
}

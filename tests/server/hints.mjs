// hints.mjs — verification hints (docs/protocol.md §5.6) over real HTTPS:
// secret ballots built by the C builder (build/tests/server/ballot_hints)
// sent with their "hints"; the same receipt as without; hints of the wrong
// length, not hex, or on a show-of-hands question refused with
// 400 invalid_field and nothing stored; wrong hints of the right length
// change nothing (the server falls back to §5.5); an invalid ballot with
// valid-looking hints is refused with bad_proof; a burst with hints is
// verified in batches with every receipt right; hints a batch equation
// accepted are kept in box.db and written in the record's ballot events,
// the wrong ones nowhere.
import { eq, check, done, startServer, tmpDir, sqlite, BUILD } from './lib.mjs';
import { S, api, ceremony, attend, setupMeeting, openBallot, hex, unhex, qdigestOf } from './meeting-lib.mjs';
import https from 'node:https';
import path from 'node:path';
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';

const data = tmpDir('hints');
const m = setupMeeting(data, { members: 40 });
const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
const base = `/api/v1/meetings/${m.id}`;
const boxCount = () => +sqlite(path.join(data, 'box.db'), 'SELECT count(*) FROM ballots');

// Ballots with hints from the C builder: [{ body, sig, hints, receipt }],
// bound to the question digest (scrutin/2) once the question has opened.
function build(cer, q, qid, voters, sels) {
  const input = voters.map((v, i) => `${hex(v.sk)} ${sels[i].join('')}\n`).join('');
  const d = qdigestOf(q, m.id, qid);
  const r = spawnSync(path.resolve(BUILD, 'tests/server/ballot_hints'),
    [hex(cer.eid), hex(cer.y), qid, String(q.n), String(q.min), String(q.max), ...(d ? [hex(d)] : [])],
    { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ballot_hints: ${r.stderr}`);
  return r.stdout.trim().split('\n').map((l) => {
    const [body, sig, hints, receipt] = l.split(' ');
    return { body, sig, hints, receipt };
  });
}
const post = (b, extra = {}) => api(srv, 'POST', `${base}/ballots`,
  { question: 'q1', body: b.body, sig: b.sig, ...extra }, undefined,
  new https.Agent({ ca: srv.ca, keepAlive: false }));

try {
  const cer = await ceremony(srv, m);
  const v = m.voters;
  eq((await api(srv, 'POST', `${base}/start`, {}, m.modToken)).json.status, 'live', 'start');
  for (let i = 0; i < 40; i++) {
    const r = await api(srv, 'POST', `${base}/attendance`, attend(m, v[i], 'check-in', 'present'));
    if (r.status !== 200) throw new Error(r.text);
  }
  let r = await api(srv, 'GET', base);
  const q1 = r.json.questions.find((q) => q.id === 'q1');
  eq((await api(srv, 'POST', `${base}/questions/q1/open`, {}, m.modToken)).json.status, 'open', 'open q1');
  const sels = v.map((_, i) => { const s = new Array(q1.n).fill(0); s[i % q1.n] = 1; return s; });
  const B = build(cer, q1, 'q1', v, sels);
  const hintsLen = 64 * (2 * (q1.min === q1.max ? q1.n - 1 : q1.n) + 2);
  eq(B[0].hints.length, 2 * hintsLen, `hints of ${hintsLen} bytes for the motion (§5.6)`);

  // Correct hints: accepted, the receipt is the ballot's.
  r = await post(B[0], { hints: B[0].hints });
  eq(r.status, 200, 'ballot with hints accepted');
  eq(r.json.receipt, B[0].receipt, 'same receipt as without hints');
  eq(boxCount(), 1, 'stored');
  r = await post(B[0]);
  eq([r.status, r.json.receipt], [200, B[0].receipt], 'the same ballot again without hints: same receipt');

  // Ill-formed hints: 400 invalid_field "hints", nothing stored.
  const ill = {
    'one byte short': B[1].hints.slice(0, -2),
    'one byte more': B[1].hints + '00',
    'one point more': B[1].hints + B[1].hints.slice(0, 64),
    'odd length': B[1].hints.slice(0, -1),
    'not hex': 'zz' + B[1].hints.slice(2),
    'upper-case hex': B[1].hints.toUpperCase().replace(/^[0-9]/, 'A'),
    empty: '',
  };
  for (const [what, h] of Object.entries(ill)) {
    r = await post(B[1], { hints: h });
    eq([r.status, r.json.error.code, r.json.error.field], [400, 'invalid_field', 'hints'], `hints ${what}: invalid_field`);
  }
  for (const h of [123, null, ['00']]) {
    r = await post(B[1], { hints: h });
    eq([r.status, r.json.error.code], [400, 'invalid_field'], `hints of type ${JSON.stringify(h)}: invalid_field`);
  }
  eq(boxCount(), 1, 'ill-formed hints: nothing stored');

  // Right length, wrong content: the verdict of §5.5 (accepted).
  r = await post(B[1], { hints: B[2].hints });
  eq([r.status, r.json.receipt], [200, B[1].receipt], 'hints of another ballot: accepted all the same');
  const flipped = B[2].hints.slice(0, 10) + ((parseInt(B[2].hints[10], 16) ^ 1).toString(16)) + B[2].hints.slice(11);
  r = await post(B[2], { hints: flipped });
  eq([r.status, r.json.receipt], [200, B[2].receipt], 'a flipped hint byte: accepted all the same');
  const swapped = B[3].hints.slice(64, 128) + B[3].hints.slice(0, 64) + B[3].hints.slice(128);
  r = await post(B[3], { hints: swapped });
  eq([r.status, r.json.receipt], [200, B[3].receipt], 'A and B swapped: accepted all the same');
  r = await post(B[4], { hints: '00'.repeat(hintsLen) });
  eq([r.status, r.json.receipt], [200, B[4].receipt], 'identity hints: accepted all the same');
  eq(boxCount(), 5, 'five ballots stored');

  // An invalid ballot with its (valid) hints: bad_proof, not stored.
  const body = unhex(B[5].body);
  body[body.length - 32] ^= 1;	// π_0's last response, still canonical
  const forged = { body: hex(body), sig: hex(S.crypto_sign_detached(body, v[5].sk)) };
  r = await post(forged, { hints: B[5].hints });
  eq([r.status, r.json.error.code], [400, 'bad_proof'], 'invalid ballot with valid-looking hints: bad_proof');
  r = await post(forged);
  eq([r.status, r.json.error.code], [400, 'bad_proof'], 'the same without hints: bad_proof');
  eq(boxCount(), 5, 'bad proof: nothing stored');
  // A bad signature with hints: bad_signature.
  r = await post({ body: B[5].body, sig: B[6].sig }, { hints: B[5].hints });
  eq([r.status, r.json.error.code], [403, 'bad_signature'], 'bad signature with hints');

  // A burst with hints (some wrong, one forged among them): verified in
  // batches by the verifier pool, every verdict as without hints.
  const burst = [];
  for (let i = 5; i < 40; i++) {
    const h = i % 7 === 0 ? B[(i + 1) % 40].hints : B[i].hints;
    burst.push(post(i === 20 ? { body: hex((() => { const b = unhex(B[20].body); b[b.length - 32] ^= 1; return b; })()),
      sig: hex(S.crypto_sign_detached((() => { const b = unhex(B[20].body); b[b.length - 32] ^= 1; return b; })(), v[20].sk)) } : B[i],
    { hints: h }));
  }
  const rs = await Promise.all(burst);
  check(rs.every((x, k) => (k + 5 === 20 ? x.status === 400 && x.json.error.code === 'bad_proof'
    : x.status === 200 && x.json.receipt === B[k + 5].receipt)), 'burst with hints: every receipt right, the forged one bad_proof');
  eq(boxCount(), 5 + 34, 'burst stored but the forged ballot');
  r = await post(B[20], { hints: B[20].hints });
  eq([r.status, r.json.receipt], [200, B[20].receipt], 'the genuine ballot of the forger afterwards');

  // Hints a batch equation accepted are kept with the ballot (box.db) and
  // written in its record event (docs/record.md §6); wrong ones are not:
  // §5.5 decided those ballots, and the record has them without hints.
  const kept = new Map(sqlite(path.join(data, 'box.db'),
    "SELECT lower(hex(receipt)) || ' ' || coalesce(lower(hex(hints)), '') FROM ballots WHERE qid = 'q1'")
    .split('\n').map((l) => { const [rc, h] = l.split(' '); return [rc, h || '-']; }));
  const wrongHints = new Set([1, 2, 3, 4, 7, 14, 21, 28, 35]);
  check(B.slice(0, 40).every((b, i) => kept.get(b.receipt) === (wrongHints.has(i) ? '-' : b.hints)),
    'box.db: the right hints kept, the wrong ones not');

  // Hints on a show-of-hands ballot: invalid_field.
  // Hints on a show-of-hands ballot: invalid_field.
  r = await api(srv, 'POST', `${base}/questions/q1/close`, {}, m.modToken);
  eq(r.json.status, 'closed', 'close q1');
  eq((await api(srv, 'POST', `${base}/questions/q2/open`, {}, m.modToken)).json.status, 'open', 'open q2');
  const q2 = (await api(srv, 'GET', base)).json.questions.find((q) => q.id === 'q2');
  const sel2 = new Array(q2.n).fill(0); sel2[0] = 1;
  const ob = openBallot(m, q2, 'q2', v[0], sel2);
  eq(boxCount(), 40, 'q1: 40 ballots in the box');
  r = await api(srv, 'POST', `${base}/ballots`, { ...ob, hints: B[0].hints });
  eq([r.status, r.json.error.code, r.json.error.field], [400, 'invalid_field', 'hints'], 'hints on an open question: invalid_field');
  eq(boxCount(), 40, 'nothing stored for it');
  r = await api(srv, 'POST', `${base}/ballots`, ob);
  eq(r.status, 200, 'the same open ballot without hints is accepted');
  eq(boxCount(), 41, 'and stored');
  // The record's ballot events (q1's, chained at its close): hints exactly where
  // box.db kept them; the record so far passes the verifier's check on
  // write, as every line does.
  const evs = sqlite(path.join(data, 'roll.db'), "SELECT line FROM events WHERE kind = 'ballot' ORDER BY mseq")
    .split('\n').map((l) => JSON.parse(l).payload);
  eq(evs.length, 40, 'q1\'s 40 ballots in the record');
  check(evs.every((p) => p.qid === 'q1' && (p.hints ?? '-') === kept.get(p.receipt)),
    'record: each ballot with the hints box.db kept');
  eq(evs.filter((p) => p.hints).length, 40 - wrongHints.size, 'record: 31 ballots with their hints');
} finally {
  await srv.stop();
}
done('hints.mjs');

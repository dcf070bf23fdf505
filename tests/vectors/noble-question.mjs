// noble-question.mjs — the question digest of docs/protocol.md §5.7 and the
// ballots and shows of hands of scrutin/2 (§5.2 ctx(i) ending with
// frame(qdigest); S_open ending with qdigest), written from the document
// alone on the primitives of noble.mjs (not from audit/qdigest.c nor from
// scrutin-crypto.js), for the known-answer file question.json (stream
// "question", same randomness as every other file: noble.mjs's Rng) and for
// the C output that cross.sh checks. Used by noble.mjs only.
//
//   qdigest = H256("question", qid, kind, rule, label, LE64 secret, LE64 min,
//                  LE64 max, LE64 seats, LE64 round, post, amends, amendment,
//                  LE64 n, CH_1 … CH_n)
//   CH_j    = frame(id) || frame(label) || frame(member) || frame(LE64 blank)
//
// Readings chosen where §5.7 is silent: a field present with JSON null is of
// another type (refused, not absent); a member key is exactly 64 lowercase
// hex digits (the record's hex, docs/record.md §1).
import { ed25519 } from '@noble/curves/ed25519';
import { utf8, hex, unhex, concat, eqBytes, le64, frame, T, H256, Rng, mul, G, pt, sc, S32, decodePoint, buildBallot,
  ballotReject, hintsReject, ballotNonces, questionShape, checkSelection, receiptOf, edVerifyStrict } from './noble.mjs';

// ------------------------------------------------------ the digest (§5.7)

function qstr(o, k, optional) {
  if (!Object.hasOwn(o, k) && optional) return utf8('');
  if (typeof o[k] !== 'string') throw new Error(`question: ${k} not a string`);
  return utf8(o[k]);
}
function qint(o, k, optional) {
  if (!Object.hasOwn(o, k) && optional) return le64(0);
  if (!Number.isSafeInteger(o[k]) || o[k] < 0) throw new Error(`question: ${k} not an integer ≥ 0`);
  return le64(o[k]);
}
function qbool(o, k, optional) {
  if (!Object.hasOwn(o, k) && optional) return le64(0);
  if (typeof o[k] !== 'boolean') throw new Error(`question: ${k} not a boolean`);
  return le64(o[k] ? 1 : 0);
}
function choiceField(c) {
  if (c === null || typeof c !== 'object' || Array.isArray(c)) throw new Error('question: choice not an object');
  let member = new Uint8Array(0);
  if (Object.hasOwn(c, 'member')) {
    if (typeof c.member !== 'string' || !/^[0-9a-f]{64}$/.test(c.member)) throw new Error('question: member not 64 hex digits');
    member = unhex(c.member, 32);
  }
  return concat(frame(qstr(c, 'id')), frame(qstr(c, 'label')), frame(member), frame(qbool(c, 'blank', true)));
}
/** The digest of a question.opened payload (32 bytes); throws when §5.7
 *  refuses the payload. */
export function questionDigest(p) {
  if (p === null || typeof p !== 'object' || !Array.isArray(p.choices) || p.choices.length === 0)
    throw new Error('question: no choices');
  return H256('question', qstr(p, 'qid'), qstr(p, 'kind'), qstr(p, 'rule'), qstr(p, 'label'), qbool(p, 'secret'),
    qint(p, 'min'), qint(p, 'max'), qint(p, 'seats', true), qint(p, 'round', true), qstr(p, 'post', true),
    qstr(p, 'amends', true), qstr(p, 'amendment', true), le64(p.choices.length), ...p.choices.map(choiceField));
}
const shortOf = (d) => `${hex(d).slice(0, 4)} ${hex(d).slice(4, 8)}`;

// S_open of scrutin/2 (docs/record.md §5): the statement a show of hands signs.
const openStatement = (meetingId, qid, voicePk, signerPk, n, selection, qd) =>
  T('open-ballot', utf8(meetingId), utf8(qid), voicePk, signerPk, le64(n), Uint8Array.from(selection),
    ...(qd === undefined ? [] : [qd]));

// ------------------------------------------------------ gen

const MOTION = [{ id: 'pour', label: 'Pour' }, { id: 'contre', label: 'Contre' }, { id: 'abstention', label: 'Abstention' }];

// The payloads, in the record's shape (docs/record.md question.opened).
function payloads(rng) {
  const pk = () => hex(ed25519.getPublicKey(rng.bytes(32)));
  const [m1, m2, m3] = [pk(), pk(), pk()];
  const motion = { qid: 'q1', kind: 'motion', label: 'Approbation des comptes 2025', choices: MOTION, min: 1, max: 1,
    rule: 'ordinary', secret: true, revote: false, on_agenda: true };
  const election = { qid: 'e2', kind: 'election', label: 'Élection au conseil — second tour', min: 1, max: 2,
    choices: [{ id: 'c1', label: 'Prénom1 Nom1', member: m1, declared: '2026-01-15' }, { id: 'c2', label: 'Chloé Trois', member: m2 },
      { id: 'c3', label: 'Zoé « Z » Quatre', member: m3 }, { id: 'blanc', label: 'Vote blanc', blank: true }],
    rule: 'ca', secret: true, revote: false, seats: 2, round: 2, round_of: 'e1', post: 'Trésorier' };
  const swapped = { ...election, choices: [election.choices[1], election.choices[0], ...election.choices.slice(2)] };
  return [
    { why: 'secret motion', payload: motion },
    { why: 'the same motion by show of hands', payload: { ...motion, secret: false } },
    { why: 'the same motion with every field §5.7 leaves out', same_as: 0, payload: { ...motion, revote: true,
      on_agenda: false, alternatives: 'g1', triggers: { objection: true }, recused: [m1], amended_by: ['a1'] } },
    { why: 'an amendment', payload: { qid: 'a1', kind: 'motion', label: 'Amendement 1 — « 2025 » → « 2026 »', choices: MOTION,
      min: 1, max: 1, rule: 'ordinary', secret: true, revote: false, on_agenda: false, amends: 'q1',
      amendment: 'Remplacer « 2025 » par « 2026 » : \\ " / \u00e9\u0301 😀', supporters: 12 } },
    { why: 'an election, round 2, two seats, a post, a blank choice', payload: election },
    { why: 'the same election with its first two candidates swapped', payload: swapped },
    { why: 'the same election with a candidate renamed', payload: { ...election,
      choices: [{ ...election.choices[0], label: 'Prénom1 Nom2' }, ...election.choices.slice(1)] } },
    { why: 'the same election with another member key', payload: { ...election,
      choices: [{ ...election.choices[0], member: m3 }, ...election.choices.slice(1)] } },
    { why: 'an election in one round, one seat, no blank', payload: { qid: 'bureau.2026', kind: 'election',
      label: 'Président', min: 1, max: 1, rule: 'bureau', secret: false, revote: false, seats: 1,
      choices: [{ id: 'c1', label: 'Prénom1 Nom1', member: m1 }, { id: 'c2', label: 'Chloé Trois', member: m2 }] } },
  ];
}
// Payloads §5.7 refuses (from the first motion and election above).
function invalidPayloads(ps) {
  const motion = ps[0].payload, election = ps[4].payload;
  const del = (o, k) => { const c = { ...o }; delete c[k]; return c; };
  const ch0 = (f) => ({ ...election, choices: [f(election.choices[0]), ...election.choices.slice(1)] });
  return [
    ['no qid', del(motion, 'qid')], ['no kind', del(motion, 'kind')], ['no rule', del(motion, 'rule')],
    ['no label', del(motion, 'label')], ['no secret', del(motion, 'secret')], ['no min', del(motion, 'min')],
    ['no max', del(motion, 'max')], ['no choices', del(motion, 'choices')], ['choices empty', { ...motion, choices: [] }],
    ['choices not an array', { ...motion, choices: { 0: MOTION[0] } }],
    ['secret a number', { ...motion, secret: 1 }], ['min a string', { ...motion, min: '1' }],
    ['max negative', { ...motion, max: -1 }], ['seats not an integer', { ...election, seats: 1.5 }],
    ['round null', { ...election, round: null }], ['post a number', { ...election, post: 7 }],
    ['amends null', { ...motion, amends: null }], ['label an array', { ...motion, label: ['x'] }],
    ['a choice not an object', { ...motion, choices: ['pour', 'contre', 'abstention'] }],
    ['a choice without id', ch0((c) => del(c, 'id'))], ['a choice without label', ch0((c) => del(c, 'label'))],
    ['member of 62 hex digits', ch0((c) => ({ ...c, member: c.member.slice(2) }))],
    ['member in upper case', ch0((c) => ({ ...c, member: c.member.toUpperCase() }))],
    ['member not hex', ch0((c) => ({ ...c, member: 'g' + c.member.slice(1) }))],
    ['blank a number', { ...election, choices: [...election.choices.slice(0, 3), { ...election.choices[3], blank: 1 }] }],
  ].map(([why, payload]) => ({ why, payload }));
}
const selFor = (n, min, max, k) => {
  const s = new Array(n).fill(0);
  const want = Math.max(min, 1 + (k % max));
  for (let i = 0; i < want; i++) s[(k + 2 * i) % (n - 1)] = 1;
  return s;
};

export function genQuestion() {
  const rng = new Rng('question');
  const ps = payloads(rng);
  const questions = ps.map(({ why, payload, same_as }) => {
    const d = questionDigest(payload);
    return { why, payload, ...(same_as === undefined ? {} : { same_as }), qdigest: hex(d), short: shortOf(d) };
  });
  const eid = rng.bytes(32), Y = mul(G, rng.scalar());
  const ballots = [];
  for (const [k, qi] of [[0, 0], [1, 3], [2, 4], [3, 4], [4, 8]]) {
    const p = ps[qi].payload, n = p.choices.length;
    const selection = selFor(n, p.min, p.max, k);
    if (!checkSelection(n, p.min, p.max, selection)) throw new Error('gen: bad selection');
    const voiceSeed = rng.bytes(32), signerSeed = k === 3 ? rng.bytes(32) : voiceSeed;
    const r = rng.scalars(questionShape(n, p.min, p.max).e);
    const nonces = ballotNonces(rng, n, p.min, p.max, selection);
    const qdigest = questionDigest(p);
    const b = buildBallot({ eid, qid: p.qid, n, min: p.min, max: p.max, Y, voiceSeed, signerSeed, selection, r, nonces, qdigest });
    ballots.push({ question: qi, eid: hex(eid), qid: p.qid, n, min: p.min, max: p.max, y: hex(pt(Y)), qdigest: hex(qdigest),
      voice_seed: hex(voiceSeed), signer_seed: hex(signerSeed), voice_pk: hex(b.kVoice), signer_pk: hex(b.kSigner),
      selection, r: r.map((x) => hex(sc(x))), nonces: nonces.map((l) => l.map((x) => hex(sc(x)))),
      body: hex(b.body), sig: hex(b.sig), receipt: hex(b.receipt), hints: hex(b.hints) });
  }
  const open = [];
  for (const [k, [qi, selection]] of [[1, [1, 0, 0]], [1, [0, 0, 1]], [8, [0, 1]]].entries()) {
    const p = ps[qi].payload, voiceSeed = rng.bytes(32), signerSeed = k === 1 ? rng.bytes(32) : voiceSeed;
    const voice = ed25519.getPublicKey(voiceSeed), signer = ed25519.getPublicKey(signerSeed);
    const qd = questionDigest(p);
    const st = openStatement('ag-2026', p.qid, voice, signer, p.choices.length, selection, qd);
    const sig = ed25519.sign(st, signerSeed);
    open.push({ question: qi, meeting_id: 'ag-2026', qid: p.qid, n: p.choices.length, qdigest: hex(qd), selection,
      voice_seed: hex(voiceSeed), signer_seed: hex(signerSeed), voice_pk: hex(voice), signer_pk: hex(signer),
      statement: hex(st), sig: hex(sig), receipt: hex(receiptOf(st, sig)) });
  }
  // Rejected: each a right ballot or statement checked under another digest.
  const negative = [];
  const other = (qi, why) => ({ why, qdigest: questions[qi].qdigest });
  for (const [bi, alt] of [[2, other(5, 'same ballot, other question content (two candidates swapped)')],
    [2, other(6, 'same ballot, other question content (a candidate renamed)')],
    [2, other(7, 'same ballot, other question content (another member key)')],
    [0, other(1, 'same ballot, other question content (show of hands)')],
    [0, other(3, 'same ballot, another question\'s digest (an amendment)')],
    [0, { why: 'same ballot checked as scrutin/1 (no digest)', qdigest: null }]]) {
    const b = ballots[bi];
    negative.push({ kind: 'ballot', why: alt.why, input: { eid: b.eid, qid: b.qid, n: b.n, min: b.min, max: b.max, y: b.y,
      voice_pk: b.voice_pk, signer_pk: b.signer_pk, body: b.body, sig: b.sig, qdigest: alt.qdigest } });
  }
  {
    // A scrutin/1 ballot (the same r and nonces, no digest) checked as scrutin/2.
    const b = ballots[0], p = ps[0].payload;
    const v1 = buildBallot({ eid, qid: p.qid, n: 3, min: 1, max: 1, Y, voiceSeed: unhex(b.voice_seed, 32),
      signerSeed: unhex(b.signer_seed, 32), selection: b.selection, r: b.r.map(S32), nonces: b.nonces.map((l) => l.map(S32)) });
    negative.push({ kind: 'ballot', why: 'a scrutin/1 ballot checked under the digest', input: { eid: b.eid, qid: b.qid, n: 3,
      min: 1, max: 1, y: b.y, voice_pk: b.voice_pk, signer_pk: b.signer_pk, body: hex(v1.body), sig: hex(v1.sig), qdigest: b.qdigest } });
  }
  for (const [oi, alt] of [[0, { why: 'same show of hands, other question content (secret motion)', qdigest: questions[0].qdigest }],
    [0, { why: 'same show of hands, other question content (an amendment)', qdigest: questions[3].qdigest }],
    [2, { why: 'same show of hands checked as scrutin/1 (no digest)', qdigest: null }]]) {
    const o = open[oi];
    negative.push({ kind: 'open-ballot', why: alt.why, input: { meeting_id: o.meeting_id, qid: o.qid, n: o.n,
      selection: o.selection, voice_pk: o.voice_pk, signer_pk: o.signer_pk, sig: o.sig, qdigest: alt.qdigest } });
  }
  return { questions, questions_invalid: invalidPayloads(ps), ballots, open_ballots: open, negative };
}

// ------------------------------------------------------ verify

const B = (s, len) => unhex(s, len);
/** A ballot entry of question.json or of the C output: it verifies under
 *  its digest (and, when the payload is given, the digest is that of the
 *  payload), and fails under no digest. */
export function verifyQuestionBallot(rep, where, e, payload) {
  try {
    const qd = B(e.qdigest, 32);
    if (payload !== undefined) rep.check(where, eqBytes(questionDigest(payload), qd), 'qdigest ≠ the digest of its payload');
    const v = { eid: B(e.eid, 32), qid: e.qid, n: e.n, min: e.min, max: e.max, y: B(e.y, 32), voice_pk: B(e.voice_pk, 32),
      signer_pk: B(e.signer_pk, 32), body: B(e.body), sig: B(e.sig, 64), qdigest: qd };
    const why = ballotReject(v);
    rep.check(where, why === null, `scrutin/2 ballot rejected: ${why}`);
    rep.check(where, ballotReject({ ...v, qdigest: undefined }) !== null, 'scrutin/2 ballot accepted without its digest');
    if (e.hints !== undefined) rep.check(where, hintsReject(v, B(e.hints)) === null, 'hints rejected');
    rep.check(where, eqBytes(receiptOf(v.body, v.sig), B(e.receipt, 32)), 'receipt ≠ H256("receipt", body, sig)');
    if (e.nonces !== undefined) {
      const b = buildBallot({ eid: v.eid, qid: e.qid, n: e.n, min: e.min, max: e.max, Y: decodePoint(v.y), voiceSeed: B(e.voice_seed, 32),
        signerSeed: B(e.signer_seed, 32), selection: e.selection, r: e.r.map(S32), nonces: e.nonces.map((l) => l.map(S32)), qdigest: qd });
      rep.check(where, eqBytes(b.body, v.body), 'body ≠ KAT from (r, nonces, qdigest)');
      if (e.hints !== undefined) rep.check(where, eqBytes(b.hints, B(e.hints)), 'hints ≠ KAT');
    }
  } catch (err) { rep.fail(where, err.message); }
  rep.count('qballot');
}
/** A show of hands of scrutin/2: S_open rebuilt from its fields equals the
 *  statement given (when given) and the signature verifies over it. */
export function verifyOpenBallot(rep, where, e, payload) {
  try {
    const qd = B(e.qdigest, 32);
    if (payload !== undefined) rep.check(where, eqBytes(questionDigest(payload), qd), 'qdigest ≠ the digest of its payload');
    const st = openStatement(e.meeting_id, e.qid, B(e.voice_pk, 32), B(e.signer_pk, 32), e.n, e.selection, qd);
    if (e.statement !== undefined) rep.check(where, eqBytes(st, B(e.statement)), 'statement ≠ S_open rebuilt');
    rep.check(where, edVerifyStrict(B(e.sig, 64), st, B(e.signer_pk, 32)), 'S_open signature fails');
    const v1 = openStatement(e.meeting_id, e.qid, B(e.voice_pk, 32), B(e.signer_pk, 32), e.n, e.selection);
    rep.check(where, !edVerifyStrict(B(e.sig, 64), v1, B(e.signer_pk, 32)), 'signature also valid without the digest');
  } catch (err) { rep.fail(where, err.message); }
  rep.count('open-ballot');
}
function negativeAccepted(c) {
  const i = c.input, qd = i.qdigest === null ? undefined : B(i.qdigest, 32);
  try {
    if (c.kind === 'ballot')
      return ballotReject({ eid: B(i.eid), qid: i.qid, n: i.n, min: i.min, max: i.max, y: B(i.y), voice_pk: B(i.voice_pk),
        signer_pk: B(i.signer_pk), body: B(i.body), sig: B(i.sig), qdigest: qd }) === null;
    if (c.kind === 'open-ballot')
      return edVerifyStrict(B(i.sig, 64), openStatement(i.meeting_id, i.qid, B(i.voice_pk, 32), B(i.signer_pk, 32), i.n, i.selection, qd),
        B(i.signer_pk, 32));
    throw new Error('unknown kind ' + c.kind);
  } catch (err) {
    if (String(err.message).startsWith('unknown kind')) throw err;
    return false;
  }
}
/** The committed question.json: digests, the refused payloads, ballots,
 *  shows of hands and the negatives. */
export function verifyQuestionFile(rep, f) {
  const ds = [];
  f.questions.forEach((q, k) => {
    const where = `question.questions[${k}] (${q.why})`;
    try {
      const d = questionDigest(q.payload);
      ds.push(hex(d));
      rep.check(where, hex(d) === q.qdigest && shortOf(d) === q.short, 'digest ≠ KAT');
      if (q.same_as !== undefined) rep.check(where, q.qdigest === f.questions[q.same_as].qdigest, 'digest ≠ that of same_as');
    } catch (err) { rep.fail(where, err.message); }
    rep.count('qdigest');
  });
  const distinct = new Set(f.questions.filter((q) => q.same_as === undefined).map((q) => q.qdigest));
  rep.check('question.questions', distinct.size === f.questions.filter((q) => q.same_as === undefined).length, 'two contents, one digest');
  f.questions_invalid.forEach((q, k) => {
    let threw = false;
    try { questionDigest(q.payload); } catch { threw = true; }
    rep.check(`question.questions_invalid[${k}] (${q.why})`, threw, 'payload accepted');
    rep.count('qdigest-invalid');
  });
  f.ballots.forEach((e, k) => verifyQuestionBallot(rep, `question.ballots[${k}]`, e, f.questions[e.question].payload));
  f.open_ballots.forEach((e, k) => verifyOpenBallot(rep, `question.open_ballots[${k}]`, e, f.questions[e.question].payload));
  f.negative.forEach((c, k) => {
    rep.check(`question.negative[${k}] (${c.kind}: ${c.why})`, !negativeAccepted(c), 'ACCEPTED');
    rep.count('qnegative');
  });
}
/** The C output's "questions" (payload and the C digest): the digests agree. */
export function verifyCDigests(rep, qs) {
  qs.forEach((q, k) => {
    const where = `questions[${k}]`;
    try {
      rep.check(where, hex(questionDigest(q.payload)) === q.qdigest, 'the C digest ≠ the digest of §5.7');
    } catch (err) { rep.fail(where, err.message); }
    rep.count('qdigest');
  });
}

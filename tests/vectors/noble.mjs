#!/usr/bin/env node
// noble.mjs — an independent implementation of docs/protocol.md (scrutin/1;
// scrutin/2's question digest in noble-question.mjs)
// on @noble/curves (ristretto255, ed25519, x25519) and @noble/hashes (sha256,
// sha512, argon2id), written from the document alone (not from crypto/, and
// without libsodium), to produce and check the known-answer vectors.
//
//   node tests/vectors/noble.mjs gen           rewrite tests/vectors/*.json
//   node tests/vectors/noble.mjs check         regenerate in memory, compare
//                                              byte for byte with the committed
//                                              files, then self-verify them
//   node tests/vectors/noble.mjs verify FILE   verify a file written by the C
//                                              code (test-output/c-vectors.json)
//
// Deterministic randomness. Every random value comes from a named stream
// (one per output file: "encoding", "elgamal", "proofs", "ballot", "dkg",
// "decrypt", "credential", "negative", "question") with a counter k = 0, 1, 2, … shared
// by both kinds of draw:
//   scalar:         Hs("test-vector", stream, LE64 k)              (§2 Hs;
//                   a zero result would be skipped — it never happens)
//   n bytes (≤ 64): first n bytes of SHA-512(T("test-vector-bytes",
//                   stream, LE64 k))
// The draw order inside a vector is the order of the fields in the file
// (trustee seeds, then coefficients, then nonces; ballot: seeds, eid, r_i,
// then nonces of π_1 … π_e, π_0; each member proof: w, then c_j, s_j for
// j ≠ j* increasing, as §4.3 fixes). So `gen` is reproducible byte for byte.
//
// Readings of the spec chosen where it is silent (reported to the lead):
//  * meeting_id is hashed as the UTF-8 bytes of its text (README: "text").
//  * §4.2 verify does not restate the statement's X ≠ O, P ≠ O: enforced.
//  * §4.3 verify lists only α ≠ O; Y ≠ O is required by §3 ("public key
//    ... not O") and is enforced here too (a negative vector covers it).
//  * §9 "remove spaces": only U+0020 is removed; a tab is rejected.
//  * Decryption vectors give every t-subset, not only "the t smallest
//    indices whose shares verify" (§7): the combination must not depend on
//    the subset.
//  * Ed25519 verification is libsodium-strict (§5.5): S < ℓ, canonical A,
//    A and R not of small order, and the cofactorless equation, checked by
//    re-encoding R' = S·B − h·A and comparing bytes; in addition noble's
//    RFC 8032 verify (zip215: false) must agree.

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ristretto255, ed25519, x25519 } from '@noble/curves/ed25519';
import { sha256, sha512 } from '@noble/hashes/sha2';
import { argon2id } from '@noble/hashes/argon2';
import { genQuestion, verifyQuestionFile, verifyQuestionBallot, verifyOpenBallot, verifyCDigests } from './noble-question.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const FILES = ['encoding', 'elgamal', 'proofs', 'ballot', 'dkg', 'decrypt',
  'credential', 'negative', 'question'];

// ---------------------------------------------------------------- basics

const Pt = ristretto255.Point;
const EdP = ed25519.Point;
const ELL = 2n ** 252n + 27742317777372353535851937790883648493n;
const FP = 2n ** 255n - 19n;
if (Pt.Fn.ORDER !== ELL) throw new Error('unexpected group order in @noble/curves');
const G = Pt.BASE;
const O = Pt.ZERO;

const te = new TextEncoder();
const utf8 = (s) => te.encode(s);
const hex = (u8) => Buffer.from(u8).toString('hex');
function unhex(s, len) {
  if (typeof s !== 'string' || !/^(?:[0-9a-f]{2})*$/.test(s))
    throw new Error('bad hex');
  const b = new Uint8Array(Buffer.from(s, 'hex'));
  if (len !== undefined && b.length !== len) throw new Error(`expected ${len} bytes`);
  return b;
}
function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}
function eqBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
function leN(v, n) {
  let x = BigInt(v);
  if (x < 0n || x >= 1n << BigInt(8 * n)) throw new Error('integer out of range');
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) { out[i] = Number(x & 0xffn); x >>= 8n; }
  return out;
}
const le32 = (v) => leN(v, 4);
const le64 = (v) => leN(v, 8);
function leInt(b) {
  let x = 0n;
  for (let i = b.length - 1; i >= 0; i--) x = (x << 8n) | BigInt(b[i]);
  return x;
}
const mod = (a) => ((a % ELL) + ELL) % ELL;
function modpow(b, e, m) {
  let r = 1n; b %= m;
  while (e > 0n) { if (e & 1n) r = (r * b) % m; b = (b * b) % m; e >>= 1n; }
  return r;
}
const inv = (a) => modpow(mod(a), ELL - 2n, ELL);
const sc = (k) => leN(mod(k), 32);                 // scalar encoding
const pt = (P) => P.toBytes();                      // point encoding
const mul = (P, k) => P.multiplyUnsafe(mod(BigInt(k)));  // handles 0 (→ O)

// §2 framing and hashes
const frame = (x) => concat(le32(x.length), x);
const DS = frame(utf8('scrutin/1'));
const T = (label, ...fields) => concat(DS, frame(utf8(label)), ...fields.map(frame));
const Hs = (label, ...fields) => mod(leInt(sha512(T(label, ...fields))));
const H256 = (label, ...fields) => sha256(T(label, ...fields));

// ------------------------------------------------ strict decoders (§1)

// RFC 9496 §4.3.1 decode, written out here so that every encoding vector is
// classified by a second decoder; decodePoint() demands that it agrees with
// noble's RistrettoPoint.fromBytes.
const fpm = (a) => ((a % FP) + FP) % FP;
const fneg = (a) => (fpm(a) & 1n) === 1n;
const fabs = (a) => (fneg(a) ? fpm(-a) : fpm(a));
const SQRT_M1 = modpow(2n, (FP - 1n) / 4n, FP);
const EDD = fpm(-121665n * modpow(121666n, FP - 2n, FP));
function sqrtRatioM1(u, v) {
  const v3 = fpm(v * v * v), v7 = fpm(v3 * v3 * v);
  let r = fpm(u * v3 * modpow(fpm(u * v7), (FP - 5n) / 8n, FP));
  const check = fpm(v * r * r);
  const correct = check === fpm(u), flipped = check === fpm(-u);
  const flippedI = check === fpm(-u * SQRT_M1);
  if (flipped || flippedI) r = fpm(r * SQRT_M1);
  return { wasSquare: correct || flipped, r: fabs(r) };
}
function rfcDecodeReason(b) {
  if (b.length !== 32) return 'not 32 bytes';
  if (b[31] & 0x80) return 'non-canonical: high bit set';
  const s = leInt(b);
  if (s >= FP) return 'non-canonical: field element ≥ p';
  if (fneg(s)) return 'non-canonical: negative field element (s odd)';
  const ss = fpm(s * s), u1 = fpm(1n - ss), u2 = fpm(1n + ss), u2sq = fpm(u2 * u2);
  const v = fpm(-(EDD * u1 * u1) - u2sq);
  const { wasSquare, r: invsqrt } = sqrtRatioM1(1n, fpm(v * u2sq));
  const denX = fpm(invsqrt * u2), denY = fpm(invsqrt * denX * v);
  const x = fabs(2n * s * denX), y = fpm(u1 * denY), t = fpm(x * y);
  if (!wasSquare) return 'not a point: no square root (non-square)';
  if (fneg(t)) return 'not a point: t negative';
  if (y === 0n) return 'not a point: y = 0';
  return null;
}
function decodePoint(b, { notIdentity = false } = {}) {
  if (!(b instanceof Uint8Array) || b.length !== 32) throw new Error('point: not 32 bytes');
  const reason = rfcDecodeReason(b);
  let P = null;
  try { P = Pt.fromBytes(b); } catch { P = null; }
  if ((reason === null) !== (P !== null))
    throw new Error(`internal: decoders disagree on ${hex(b)}`);
  if (P === null) throw new Error(`point: ${reason}`);
  if (!eqBytes(P.toBytes(), b)) throw new Error('internal: re-encoding differs');
  if (notIdentity && P.is0()) throw new Error('point: identity where forbidden');
  return P;
}
function decodeScalar(b) {
  if (!(b instanceof Uint8Array) || b.length !== 32) throw new Error('scalar: not 32 bytes');
  const k = leInt(b);
  if (k >= ELL) throw new Error('scalar: ≥ ℓ');
  return k;
}
function validPoint(b) { try { decodePoint(b); return true; } catch { return false; } }
function validScalar(b) { try { decodeScalar(b); return true; } catch { return false; } }

// ------------------------------------------------------ randomness

class Rng {
  constructor(stream) { this.stream = utf8(stream); this.k = 0n; }
  scalar() {
    for (;;) {
      const v = Hs('test-vector', this.stream, le64(this.k++));
      if (v !== 0n) return v;
    }
  }
  bytes(n) {
    if (n > 64) throw new Error('Rng.bytes: n > 64');
    return sha512(T('test-vector-bytes', this.stream, le64(this.k++))).slice(0, n);
  }
  scalars(n) { return Array.from({ length: n }, () => this.scalar()); }
}

// ------------------------------------------------------ ElGamal (§3)

const encrypt = (Y, m, r) => [mul(G, r), mul(Y, r).add(mul(G, BigInt(m)))];
const ctBytes = ([a, b]) => concat(pt(a), pt(b));
const ctAdd = (x, y) => [x[0].add(y[0]), x[1].add(y[1])];
function decodeCt(b, alphaNotIdentity) {
  if (b.length !== 64) throw new Error('ciphertext: not 64 bytes');
  return [decodePoint(b.slice(0, 32), { notIdentity: alphaNotIdentity }),
    decodePoint(b.slice(32))];
}
// §8: baby-step giant-step over [0, bound]; null when not in range.
function dlog(M, bound) {
  const m = Math.ceil(Math.sqrt(bound + 1));
  const table = new Map();
  let P = O;
  for (let j = 0; j < m; j++) { table.set(hex(pt(P)), j); P = P.add(G); }
  const giant = mul(G, BigInt(m)).negate();
  let Q = M;
  for (let i = 0; i * m <= bound; i++) {
    const j = table.get(hex(pt(Q)));
    if (j !== undefined && i * m + j <= bound) return i * m + j;
    Q = Q.add(giant);
  }
  return null;
}

// ------------------------------------------------------ proofs (§4)

function provePok(ctx, x, w) {
  const X = mul(G, x), A = mul(G, w);
  const c = Hs('pok', ctx, pt(X), pt(A));
  return concat(sc(c), sc(w + c * x));
}
function verifyPok(ctx, Xb, proof) {
  try {
    if (proof.length !== 64) return false;
    const X = decodePoint(Xb, { notIdentity: true });
    const c = decodeScalar(proof.slice(0, 32)), s = decodeScalar(proof.slice(32));
    const A = mul(G, s).subtract(mul(X, c));
    return Hs('pok', ctx, Xb, pt(A)) === c;
  } catch { return false; }
}
function proveDleq(ctx, x, P, w) {
  const X = mul(G, x), D = mul(P, x), A = mul(G, w), B = mul(P, w);
  const c = Hs('dleq', ctx, pt(X), pt(P), pt(D), pt(A), pt(B));
  return concat(sc(c), sc(w + c * x));
}
function verifyDleq(ctx, Xb, Pb, Db, proof) {
  try {
    if (proof.length !== 64) return false;
    const X = decodePoint(Xb, { notIdentity: true });
    const P = decodePoint(Pb, { notIdentity: true });
    const D = decodePoint(Db);
    const c = decodeScalar(proof.slice(0, 32)), s = decodeScalar(proof.slice(32));
    const A = mul(G, s).subtract(mul(X, c)), B = mul(P, s).subtract(mul(D, c));
    return Hs('dleq', ctx, Xb, Pb, Db, pt(A), pt(B)) === c;
  } catch { return false; }
}
const valuesField = (values) => concat(...values.map((v) => le64(v)));
// nonces: [w, then c_j, s_j for every j ≠ index, increasing j]. The prover
// runs even when the ciphertext does not encrypt values[index] (negative
// vectors); the result then simply fails verification.
const proveMember = (...a) => proveMemberAB(...a).proof;
// The same, also returning ab = [A_0, B_0, …, A_k, B_k] (encodings), the
// commitments hashed into the challenge: a ballot's verification hints (§5.6).
function proveMemberAB(ctx, Y, ct, values, index, r, nonces) {
  const [alpha, beta] = ct;
  const k1 = values.length;
  if (nonces.length !== 2 * k1 - 1) throw new Error('proveMember: nonce count');
  const w = nonces[0];
  const cs = new Array(k1), ss = new Array(k1), As = [], Bs = [];
  let q = 1;
  for (let j = 0; j < k1; j++) {
    const betaJ = beta.subtract(mul(G, BigInt(values[j])));
    if (j === index) { As.push(mul(G, w)); Bs.push(mul(Y, w)); continue; }
    cs[j] = nonces[q++]; ss[j] = nonces[q++];
    As.push(mul(G, ss[j]).subtract(mul(alpha, cs[j])));
    Bs.push(mul(Y, ss[j]).subtract(mul(betaJ, cs[j])));
  }
  const ab = [];
  for (let j = 0; j < k1; j++) ab.push(pt(As[j]), pt(Bs[j]));
  const c = Hs('member', ctx, pt(Y), pt(alpha), pt(beta), valuesField(values), ...ab);
  let rest = 0n;
  for (let j = 0; j < k1; j++) if (j !== index) rest += cs[j];
  cs[index] = mod(c - rest);
  ss[index] = mod(w + cs[index] * r);
  return { proof: concat(...cs.flatMap((cj, j) => [sc(cj), sc(ss[j])])), ab };
}
function checkValues(values) {
  if (!Array.isArray(values) || values.length < 1) return false;
  for (let j = 0; j < values.length; j++) {
    const v = values[j];
    if (!Number.isSafeInteger(v) || v < 0) return false;
    if (j > 0 && !(values[j - 1] < v)) return false;
  }
  return true;
}
// §4.3 verification's recomputed commitments: ab = [A_0, B_0, …] (encodings,
// A_j = s_j·G − c_j·α, B_j = s_j·Y − c_j·β_j) and sum = Σ c_j mod ℓ. Throws
// on any malformed input.
function memberCommitments(Yb, ctb, values, proof) {
  if (!checkValues(values)) throw new Error('member: bad values');
  const k1 = values.length;
  if (proof.length !== 64 * k1) throw new Error('member: proof length');
  const Y = decodePoint(Yb, { notIdentity: true });
  const [alpha, beta] = decodeCt(ctb, true);
  let sum = 0n;
  const ab = [];
  for (let j = 0; j < k1; j++) {
    const c = decodeScalar(proof.slice(64 * j, 64 * j + 32));
    const s = decodeScalar(proof.slice(64 * j + 32, 64 * j + 64));
    const betaJ = beta.subtract(mul(G, BigInt(values[j])));
    ab.push(pt(mul(G, s).subtract(mul(alpha, c))), pt(mul(Y, s).subtract(mul(betaJ, c))));
    sum += c;
  }
  return { ab, sum: mod(sum) };
}
const memberHash = (ctx, Yb, ctb, values, ab) =>
  Hs('member', ctx, Yb, ctb.slice(0, 32), ctb.slice(32), valuesField(values), ...ab);
function verifyMember(ctx, Yb, ctb, values, proof) {
  try {
    const { ab, sum } = memberCommitments(Yb, ctb, values, proof);
    return sum === memberHash(ctx, Yb, ctb, values, ab);
  } catch { return false; }
}

// ------------------------------------------------------ Ed25519

function edVerifyStrict(sig, msg, pk) {
  try {
    if (sig.length !== 64 || pk.length !== 32) return false;
    const Rb = sig.slice(0, 32);
    const S = leInt(sig.slice(32));
    if (S >= ELL) return false;
    const A = EdP.fromBytes(pk, false);
    if (!eqBytes(A.toBytes(), pk) || A.isSmallOrder()) return false;
    const R = EdP.fromBytes(Rb, false);
    if (R.isSmallOrder()) return false;
    const h = mod(leInt(sha512(concat(Rb, pk, msg))));
    const Rp = EdP.BASE.multiplyUnsafe(S).subtract(A.multiplyUnsafe(h));
    if (!eqBytes(Rp.toBytes(), Rb)) return false;
    return ed25519.verify(sig, msg, pk, { zip215: false });
  } catch { return false; }
}

// ------------------------------------------------------ ballots (§5)

function questionShape(n, min, max) {
  if (![n, min, max].every(Number.isSafeInteger)) throw new Error('question: not integers');
  if (!(n >= 2 && n <= 64 && min >= 0 && min <= max && max >= 1 && max <= n))
    throw new Error('question: bad (n, min, max)');
  if (min === max) {
    const m = max;
    return { e: n - 1, lo: Math.max(m - 1, 0), hi: Math.min(m, n - 1) };
  }
  return { e: n, lo: min, hi: max };
}
const range = (lo, hi) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
function checkQid(qid) {
  if (typeof qid !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(qid))
    throw new Error('question: bad qid');
}
// qd: the question digest (§5.7, scrutin/2) that ends ctx(i), or undefined
// (scrutin/1: no last frame).
function ballotCtx(eid, qid, n, min, max, kVoice, i, qd) {
  return concat(frame(eid), frame(utf8(qid)), frame(le64(n)), frame(le64(min)),
    frame(le64(max)), frame(kVoice), frame(le64(i)), qd === undefined ? new Uint8Array(0) : frame(qd));
}
// Strict frame parser: the whole input must be a sequence of frames.
function parseFrames(buf) {
  const out = [];
  let o = 0;
  while (o < buf.length) {
    if (buf.length - o < 4) throw new Error('body: truncated length');
    const len = leInt(buf.slice(o, o + 4));
    o += 4;
    if (BigInt(buf.length - o) < len) throw new Error('body: frame overruns');
    out.push(buf.slice(o, o + Number(len)));
    o += Number(len);
  }
  return out;
}
// Returns null when the ballot is valid, else the reason. v holds bytes;
// v.qdigest (scrutin/2) is the question digest its contexts end with.
function ballotReject(v) {
  try {
    checkQid(v.qid);
    const { e, lo, hi } = questionShape(v.n, v.min, v.max);
    const f = parseFrames(v.body);
    if (f.length !== 7 + e + 1) return 'body: wrong field count';
    if (!eqBytes(f[0], utf8('scrutin/1'))) return 'body: wrong version';
    if (!eqBytes(f[1], utf8('ballot'))) return 'body: wrong label';
    if (!eqBytes(f[2], v.eid)) return 'body: wrong eid';
    if (!eqBytes(f[3], utf8(v.qid))) return 'body: wrong qid';
    if (!eqBytes(f[4], v.voice_pk)) return 'body: wrong K_voice';
    if (!eqBytes(f[5], v.signer_pk)) return 'body: wrong K_signer';
    if (!eqBytes(f[6], le64(e))) return 'body: wrong e';
    const Y = decodePoint(v.y, { notIdentity: true });
    let S = [O, O];
    for (let i = 1; i <= e; i++) {
      const fld = f[6 + i];
      if (fld.length !== 192) return `body: C_${i}||π_${i} not 192 bytes`;
      const ctb = fld.slice(0, 64);
      const C = decodeCt(ctb, true);
      const ctx = ballotCtx(v.eid, v.qid, v.n, v.min, v.max, v.voice_pk, i, v.qdigest);
      if (!verifyMember(ctx, v.y, ctb, [0, 1], fld.slice(64))) return `π_${i} fails`;
      S = ctAdd(S, C);
    }
    const pi0 = f[7 + e];
    if (pi0.length !== 64 * (hi - lo + 1)) return 'body: π_0 wrong length';
    const ctx0 = ballotCtx(v.eid, v.qid, v.n, v.min, v.max, v.voice_pk, 0, v.qdigest);
    if (!verifyMember(ctx0, pt(Y), ctBytes(S), range(lo, hi), pi0)) return 'π_0 fails';
    if (!edVerifyStrict(v.sig, v.body, v.signer_pk)) return 'signature fails';
    return null;
  } catch (err) { return err.message; }
}
const receiptOf = (body, sig) => H256('receipt', body, sig);

// Builds a ballot. Hooks (negative vectors only): ctxOf(i) replaces ctx(i);
// index0 forces π_0's index; r is used as given (r_1 = 0 gives α = O).
function buildBallot(p) {
  const { eid, qid, n, min, max, Y, voiceSeed, signerSeed, selection, r, nonces } = p;
  const { e, lo, hi } = questionShape(n, min, max);
  const kVoice = ed25519.getPublicKey(voiceSeed), kSigner = ed25519.getPublicKey(signerSeed);
  const ctxOf = p.ctxOf ? (i) => p.ctxOf(i, kVoice, kSigner)
    : (i) => ballotCtx(eid, qid, n, min, max, kVoice, i, p.qdigest);
  const fields = [], ab = [];
  let S = [O, O], rs = 0n, sum = 0;
  for (let i = 0; i < e; i++) {
    const C = encrypt(Y, selection[i], r[i]);
    const idx = p.indexOf ? p.indexOf(i + 1) : selection[i];
    const pi = proveMemberAB(ctxOf(i + 1), Y, C, [0, 1], idx, r[i], nonces[i]);
    fields.push(concat(ctBytes(C), pi.proof));
    ab.push(...pi.ab);
    S = ctAdd(S, C); rs += r[i]; sum += selection[i];
  }
  const index0 = p.index0 !== undefined ? p.index0 : sum - lo;
  const p0 = proveMemberAB(ctxOf(0), Y, S, range(lo, hi), index0, rs, nonces[e]);
  const pi0 = p0.proof;
  ab.push(...p0.ab);
  const body = T('ballot', eid, utf8(qid), kVoice, kSigner, le64(e), ...fields, pi0);
  const sig = ed25519.sign(body, signerSeed);
  // hints (§5.6): the provers' commitments of π_1 … π_e, then π_0.
  return { kVoice, kSigner, fields, pi0, body, sig, receipt: receiptOf(body, sig), hints: concat(...ab) };
}
// §5.6 hints of a ballot that ballotReject accepts, checked against its body:
// null when right, else the reason. The length is 64·(2e + hi − lo + 1); every
// 32-byte hint is a canonical encoding; it equals the commitment that §5.5
// recomputes (s_j·G − c_j·α, s_j·Y − c_j·β_j); and, for every proof, Σ c_j =
// Hs("member", ctx, Y, α, β, L, hint bytes).
function hintsReject(v, hints) {
  try {
    const { e, lo, hi } = questionShape(v.n, v.min, v.max);
    if (hints.length !== 64 * (2 * e + hi - lo + 1)) return 'hints: wrong length';
    for (let o = 0; o < hints.length; o += 32) decodePoint(hints.slice(o, o + 32));
    const f = parseFrames(v.body);
    let S = [O, O], o = 0;
    const one = (ctx, ctb, values, proof, what) => {
      const k = 64 * values.length;
      const h = hints.slice(o, o + k);
      o += k;
      const { ab, sum } = memberCommitments(v.y, ctb, values, proof);
      if (!eqBytes(h, concat(...ab))) return `hints of ${what} ≠ recomputed commitments`;
      const ab2 = Array.from({ length: 2 * values.length }, (_, j) => h.slice(32 * j, 32 * j + 32));
      if (memberHash(ctx, v.y, ctb, values, ab2) !== sum) return `hints of ${what}: Σ c_j ≠ Hs(…, hints)`;
      return null;
    };
    for (let i = 1; i <= e; i++) {
      const ctb = f[6 + i].slice(0, 64);
      const why = one(ballotCtx(v.eid, v.qid, v.n, v.min, v.max, v.voice_pk, i, v.qdigest), ctb, [0, 1], f[6 + i].slice(64), `π_${i}`);
      if (why) return why;
      S = ctAdd(S, decodeCt(ctb, true));
    }
    return one(ballotCtx(v.eid, v.qid, v.n, v.min, v.max, v.voice_pk, 0, v.qdigest), ctBytes(S), range(lo, hi), f[7 + e], 'π_0');
  } catch (err) { return err.message; }
}
function ballotNonces(rng, n, min, max, selection) {
  const { e, lo, hi } = questionShape(n, min, max);
  const out = [];
  for (let i = 0; i < e; i++) out.push(rng.scalars(3));
  out.push(rng.scalars(2 * (hi - lo + 1) - 1));
  return out;
}

// ------------------------------------------------------ DKG (§6)

function ceremonyId(meetingId, n, t, trustees) {
  return H256('ceremony', utf8(meetingId), le64(n), le64(t),
    ...trustees.map((tr) => concat(tr.id_pk, tr.box_pk)));
}
const cctx = (cid, i) => concat(frame(cid), frame(le64(i)));
const shareCtx = (cid, j) => concat(frame(cid), frame(le64(j)), frame(utf8('share')));
const commitHash = (cid, i, Cs, pok) => H256('dkg-commit', cid, le64(i), concat(...Cs), pok);
function polyEval(coeffs, z) {
  let acc = 0n;
  for (let k = coeffs.length - 1; k >= 0; k--) acc = mod(acc * BigInt(z) + coeffs[k]);
  return acc;
}
// Σ_k (j^k mod ℓ)·C_k
function feldman(Cs, j) {
  let acc = O, jk = 1n;
  for (const C of Cs) { acc = acc.add(mul(C, jk)); jk = mod(jk * BigInt(j)); }
  return acc;
}
const decCtx = (eid, qid, i, j) =>
  concat(frame(eid), frame(utf8(qid)), frame(le64(i)), frame(le64(j)));
function lagrange(subset) {
  return subset.map((j) => {
    let num = 1n, den = 1n;
    for (const k of subset) if (k !== j) { num = mod(num * BigInt(k)); den = mod(den * BigInt(k - j)); }
    return mod(num * inv(den));
  });
}
function subsetsOf(n, t) {
  const out = [];
  const rec = (start, acc) => {
    if (acc.length === t) { out.push(acc.slice()); return; }
    for (let i = start; i <= n; i++) { acc.push(i); rec(i + 1, acc); acc.pop(); }
  };
  rec(1, []);
  return out;
}

// ------------------------------------------------------ credentials (§9)

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
function normaliseCode(input) {
  if (typeof input !== 'string') throw new Error('code: not a string');
  // ASCII a-z only: Unicode case mapping would turn 'ı', 'ſ' or 'ß' into
  // alphabet letters, which protocol.md §9 forbids.
  const s = input.replace(/[ -]/g, '').replace(/[a-z]/g, (ch) => ch.toUpperCase())
    .replace(/O/g, '0').replace(/[IL]/g, '1');
  if (s.length !== 8 || [...s].some((ch) => !CROCKFORD.includes(ch)))
    throw new Error('code: not 8 characters of the alphabet');
  return s;
}
const credentialSalt = (meetingId) => H256('credential-salt', utf8(meetingId)).slice(0, 16);
function credentialSeed(linkSecret, code, salt) {
  return argon2id(concat(linkSecret, utf8(code)), salt,
    { t: 2, m: 19456, p: 1, dkLen: 32, version: 0x13 });
}

// ================================================================ gen

function genEncoding() {
  const rng = new Rng('encoding');
  const valid = [O, G, mul(G, 2n), mul(G, 3n), mul(G, 16n), mul(G, ELL - 1n)];
  for (let i = 0; i < 4; i++) valid.push(mul(G, rng.scalar()));
  const points_valid = valid.map((P) => hex(pt(P)));

  const inval = [];
  const addInvalid = (b) => {
    const why = rfcDecodeReason(b);
    if (why === null) throw new Error('gen: expected invalid point');
    inval.push({ hex: hex(b), why });
  };
  const Gb = pt(G);
  addInvalid(concat(Gb.slice(0, 31), Uint8Array.of(Gb[31] | 0x80)));   // G | 2^255
  addInvalid(leN(2n ** 255n, 32));                                      // O | 2^255
  addInvalid(leN(2n ** 256n - 1n, 32));
  for (const d of [0n, 1n, 2n, 4n, 18n]) addInvalid(leN(FP + d, 32)); // 2^255−19 + small
  addInvalid(leN(1n, 32));                                              // s = 1 (odd)
  addInvalid(leN(FP - leInt(Gb), 32));                                  // −s of G
  addInvalid(leN(FP - leInt(pt(mul(G, 2n))), 32));
  addInvalid(leN(FP - 1n, 32));                                         // y = 0
  const seen = new Set();
  for (let s = 2n; seen.size < 2 || inval.length < 16; s += 2n) {
    const why = rfcDecodeReason(leN(s, 32));
    if (why === null) continue;
    const key = why;
    if (seen.has(key) && inval.filter((x) => x.why === why).length >= 2) continue;
    seen.add(key);
    addInvalid(leN(s, 32));
  }

  const scalars_valid = [0n, 1n, 2n, ELL - 1n, 2n ** 252n, rng.scalar(), rng.scalar()]
    .map((k) => hex(leN(k, 32)));
  const scalars_invalid = [ELL, ELL + 1n, ELL + 2n ** 128n, 2n * ELL, 2n ** 253n,
    FP, 2n ** 255n, 2n ** 256n - 1n].map((k) => ({ hex: hex(leN(k, 32)), why: '≥ ℓ' }));

  const hashCases = [
    ['test', []],
    ['pok', [new Uint8Array(0)]],
    ['receipt', [rng.bytes(48), rng.bytes(64)]],
    ['member', [new Uint8Array(300).fill(0xab), pt(G), new Uint8Array(0), le64(3)]],
    ['credential-salt', [utf8('AG-2025-06-14')]],
    ['ballot', [rng.bytes(32), utf8('q1'), le64(2)]],
  ];
  const hashes = hashCases.map(([label, fields]) => ({
    label, fields: fields.map(hex),
    hs: hex(sc(Hs(label, ...fields))), h256: hex(H256(label, ...fields)),
  }));
  return { points_valid, points_invalid: inval, scalars_valid, scalars_invalid, hashes };
}

function genElgamal() {
  const rng = new Rng('elgamal');
  const x = rng.scalar(), Y = mul(G, x);
  const x2 = rng.scalar(), Y2 = mul(G, x2);
  const encs = [];
  const encryptL = [];
  for (const [key, m] of [[Y, 0], [Y, 1], [Y, 2], [Y, 1000], [Y2, 0], [Y2, 1]]) {
    const r = rng.scalar();
    const ct = encrypt(key, m, r);
    encs.push({ key, xk: key === Y ? x : x2, m, ct });
    encryptL.push({ y: hex(pt(key)), m, r: hex(sc(r)), ct: hex(ctBytes(ct)) });
  }
  const add = [[0, 1], [1, 2], [2, 3], [0, 0]].map(([a, b]) => ({
    a: hex(ctBytes(encs[a].ct)), b: hex(ctBytes(encs[b].ct)),
    sum: hex(ctBytes(ctAdd(encs[a].ct, encs[b].ct))),
  }));
  const rerandomize = [1, 3, 4].map((i) => {
    const r = rng.scalar();
    const { key, ct } = encs[i];
    return { y: hex(pt(key)), ct: hex(ctBytes(ct)), r: hex(sc(r)),
      out: hex(ctBytes([ct[0].add(mul(G, r)), ct[1].add(mul(key, r))])) };
  });
  const decrypt = encs.map(({ xk, ct, m }) => ({ x: hex(sc(xk)), ct: hex(ctBytes(ct)), m }));
  // a sum: 1 + 2 = 3
  decrypt.push({ x: hex(sc(x)), ct: hex(ctBytes(ctAdd(encs[1].ct, encs[2].ct))), m: 3 });
  return { encrypt: encryptL, add, rerandomize, decrypt };
}

function genProofs() {
  const rng = new Rng('proofs');
  const ctxs = [new Uint8Array(0), utf8('any context'),
    cctx(rng.bytes(32), 2), shareCtx(rng.bytes(32), 3)];
  const pok = ctxs.map((ctx) => {
    const x = rng.scalar(), w = rng.scalar();
    return { ctx: hex(ctx), x: hex(sc(x)), w: hex(sc(w)), X: hex(pt(mul(G, x))),
      proof: hex(provePok(ctx, x, w)) };
  });
  const dleqCtxs = [new Uint8Array(0), decCtx(rng.bytes(32), 'q1', 1, 2),
    decCtx(rng.bytes(32), 'motion.7', 3, 1), utf8('dleq')];
  const dleq = dleqCtxs.map((ctx) => {
    const x = rng.scalar(), P = mul(G, rng.scalar()), w = rng.scalar();
    return { ctx: hex(ctx), x: hex(sc(x)), P: hex(pt(P)), w: hex(sc(w)),
      X: hex(pt(mul(G, x))), D: hex(pt(mul(P, x))), proof: hex(proveDleq(ctx, x, P, w)) };
  });
  const Y = mul(G, rng.scalar());
  const kv = rng.bytes(32), eid = rng.bytes(32);
  const memberCases = [
    [[0, 1], 0], [[0, 1], 1], [[0, 1, 2, 3], 0], [[0, 1, 2, 3], 1], [[0, 1, 2, 3], 2],
    [[0, 1, 2, 3], 3], [[1], 0], [[0], 0], [[2, 3], 0], [[2, 3], 1], [[1, 2], 1],
    [[998, 999, 1000], 2],
  ];
  const member = memberCases.map(([values, index], q) => {
    const ctx = q % 3 === 2 ? new Uint8Array(0)
      : ballotCtx(eid, 'q' + q, 10, 0, 3, kv, q % 4);
    const r = rng.scalar();
    const nonces = rng.scalars(2 * values.length - 1);
    const ct = encrypt(Y, values[index], r);
    return { ctx: hex(ctx), y: hex(pt(Y)), values, index, r: hex(sc(r)),
      ct: hex(ctBytes(ct)), nonces: nonces.map((k) => hex(sc(k))),
      proof: hex(proveMember(ctx, Y, ct, values, index, r, nonces)) };
  });
  return { pok, dleq, member };
}

function ballotVector(rng, q) {
  const { e } = questionShape(q.n, q.min, q.max);
  const voiceSeed = rng.bytes(32);
  const signerSeed = q.proxy ? rng.bytes(32) : voiceSeed;
  const eid = q.eid, Y = q.Y;
  const r = rng.scalars(e);
  if (q.zeroR1) r[0] = 0n;                      // negative vector: α_1 = O
  const nonces = ballotNonces(rng, q.n, q.min, q.max, q.selection);
  const b = buildBallot({ eid, qid: q.qid, n: q.n, min: q.min, max: q.max, Y, voiceSeed,
    signerSeed, selection: q.selection, r, nonces, ...(q.hooks || {}) });
  return {
    vec: {
      eid: hex(eid), qid: q.qid, n: q.n, min: q.min, max: q.max, y: hex(pt(Y)),
      voice_seed: hex(voiceSeed), signer_seed: hex(signerSeed),
      voice_pk: hex(b.kVoice), signer_pk: hex(b.kSigner), selection: q.selection,
      r: r.map((k) => hex(sc(k))), nonces: nonces.map((l) => l.map((k) => hex(sc(k)))),
      body: hex(b.body), sig: hex(b.sig), receipt: hex(b.receipt), hints: hex(b.hints),
    },
    built: b, voiceSeed, signerSeed, r, nonces,
  };
}
function checkSelection(n, min, max, selection) {
  const { e } = questionShape(n, min, max);
  const sum = selection.reduce((a, b) => a + b, 0);
  if (selection.length !== n || selection.some((b) => b !== 0 && b !== 1)) return false;
  if (sum < min || sum > max) return false;
  if (min === max) {
    const exp = selection.slice(0, e).reduce((a, b) => a + b, 0);
    if ((selection[n - 1] === 1) !== (exp === max - 1)) return false;
  }
  return true;
}
function genBallots() {
  const rng = new Rng('ballot');
  const eid = rng.bytes(32), Y = mul(G, rng.scalar());
  const qs = [];
  for (const sel of [[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    qs.push({ qid: 'motion-1', n: 3, min: 1, max: 1, selection: sel });
  for (const k of [0, 1, 2, 3]) {
    const sel = new Array(10).fill(0);
    for (let i = 0; i < k; i++) sel[(3 * i + 1) % 10] = 1;
    qs.push({ qid: 'board.2025', n: 10, min: 0, max: 3, selection: sel });
  }
  qs.push({ qid: 'pair_A', n: 4, min: 2, max: 2, selection: [1, 0, 1, 0] });
  qs.push({ qid: 'pair_A', n: 4, min: 2, max: 2, selection: [0, 1, 0, 1] });
  qs.push({ qid: 'yes-no', n: 2, min: 1, max: 1, selection: [1, 0] });
  qs.push({ qid: 'yes-no', n: 2, min: 1, max: 1, selection: [0, 1] });
  qs.push({ qid: 'motion-1', n: 3, min: 1, max: 1, selection: [0, 1, 0], proxy: true });
  qs.push({ qid: 'board.2025', n: 10, min: 0, max: 3, selection: [0, 0, 1, 0, 0, 0, 0, 0, 0, 1], proxy: true });
  const ballots = qs.map((q) => {
    if (!checkSelection(q.n, q.min, q.max, q.selection)) throw new Error('gen: bad selection');
    return ballotVector(rng, { ...q, eid, Y }).vec;
  });
  return { ballots };
}

function makeCeremony(rng, meetingId, n, t) {
  const seeds = [];
  const trustees = [];
  for (let i = 0; i < n; i++) {
    const idSeed = rng.bytes(32), boxSeed = rng.bytes(32);
    seeds.push({ idSeed, boxSeed });
    trustees.push({ id_pk: ed25519.getPublicKey(idSeed), box_pk: x25519.getPublicKey(boxSeed) });
  }
  const cid = ceremonyId(meetingId, n, t, trustees);
  const a = Array.from({ length: n }, () => rng.scalars(t));
  const pokN = rng.scalars(n);
  const C = a.map((ai) => ai.map((aik) => mul(G, aik)));
  const pok = a.map((ai, i) => provePok(cctx(cid, i + 1), ai[0], pokN[i]));
  const hcommit = C.map((Ci, i) => commitHash(cid, i + 1, Ci.map(pt), pok[i]));
  const shares = a.map((ai) => range(1, n).map((j) => polyEval(ai, j)));
  const x = range(1, n).map((j) => mod(shares.reduce((acc, row) => acc + row[j - 1], 0n)));
  const Yj = x.map((xj) => mul(G, xj));
  const shareN = rng.scalars(n);
  const sharePok = x.map((xj, j) => provePok(shareCtx(cid, j + 1), xj, shareN[j]));
  const Y = C.reduce((acc, Ci) => acc.add(Ci[0]), O);
  const vec = {
    meeting_id: meetingId, n, t,
    trustees: trustees.map((tr) => ({ id_pk: hex(tr.id_pk), box_pk: hex(tr.box_pk) })),
    ceremony_id: hex(cid),
    coefficients: a.map((ai) => ai.map((k) => hex(sc(k)))),
    pok_nonces: pokN.map((k) => hex(sc(k))),
    commitments: C.map((Ci) => Ci.map((P) => hex(pt(P)))),
    pok: pok.map(hex), commit_hash: hcommit.map(hex),
    shares: shares.map((row) => row.map((k) => hex(sc(k)))),
    x: x.map((k) => hex(sc(k))), verification_keys: Yj.map((P) => hex(pt(P))),
    share_pok_nonces: shareN.map((k) => hex(sc(k))), share_pok: sharePok.map(hex),
    y: hex(pt(Y)),
  };
  return { vec, x, Yj, Y, cid };
}
function genDkg() {
  const rng = new Rng('dkg');
  const list = [['AG-2025-06-14', 2, 2], ['Conseil syndical 2025', 3, 2],
    ['solo', 1, 1], ['AG extraordinaire', 4, 3]];
  const cer = list.map(([mid, n, t]) => makeCeremony(rng, mid, n, t));
  return { file: { ceremonies: cer.map((c) => c.vec) }, cer };
}

function decryptCase(rng, cer, dkgIndex, subset, qid, choice, m, bound) {
  const eid = rng.bytes(32);
  const r = rng.scalar();
  const [A, B] = encrypt(cer.Y, m, r);
  const n = cer.x.length;
  const shares = range(1, n).map((j) => {
    const w = rng.scalar();
    const ctx = decCtx(eid, qid, choice, j);
    return { trustee: j, w: hex(sc(w)), d: hex(pt(mul(A, cer.x[j - 1]))),
      proof: hex(proveDleq(ctx, cer.x[j - 1], A, w)) };
  });
  return { dkg: dkgIndex, eid: hex(eid), qid, choice, total: hex(ctBytes([A, B])), m, bound,
    shares, subset, lagrange: lagrange(subset).map((k) => hex(sc(k))) };
}
function genDecrypt(cer) {
  const rng = new Rng('decrypt');
  const cases = [];
  const ms = [7, 0, 20, 3, 1, 12, 5, 19, 2, 11];
  let q = 0;
  cer.forEach((c, idx) => {
    const n = c.x.length, t = c.vec.t;
    for (const subset of subsetsOf(n, t)) {
      cases.push(decryptCase(rng, c, idx, subset, 'q' + (q + 1), 1 + (q % 3), ms[q % ms.length], 20));
      q++;
    }
  });
  return { cases };
}

function genCredential() {
  const rng = new Rng('credential');
  const list = [['AG-2025-06-14', 'ABCD-EFGH'], ['AG-2025-06-14', 'k3o9 il7x'],
    ['Conseil syndical 2025', '  7zw2-p0ld '], ['solo', 'x9-y8-z7-w6']];
  const credentials = list.map(([meeting_id, code_input]) => {
    const ls = rng.bytes(16);
    const code = normaliseCode(code_input);
    const salt = credentialSalt(meeting_id);
    const seed = credentialSeed(ls, code, salt);
    return { meeting_id, link_secret: hex(ls), link_fragment: Buffer.from(ls).toString('base64url'),
      code_input, code, salt: hex(salt), seed: hex(seed), pk: hex(ed25519.getPublicKey(seed)) };
  });
  const codes_invalid = ['ABC', 'ABCDEFG', 'ABCDEFGHU', 'ABCDEFGU', 'ABCDEFGHJ', '',
    'ABCD_EFG', 'ABCD.EFG', 'ABCD\tEFGH', 'ÀBCDEFGH', 'ABCDEFG\u00a0', '--------', 'ABCD+EFG',
    '\u0131BCDEFGH', 'ABCDEFG\u00df', '\u017fBCDEFGH'];
  for (const c of codes_invalid) {
    let ok = true;
    try { normaliseCode(c); } catch { ok = false; }
    if (ok) throw new Error('gen: invalid code accepted: ' + c);
  }
  return { credentials, codes_invalid };
}

// ------------------------------------------------------ negative vectors

const bumpScalar = (proof, k, delta = 1n) => {
  const out = proof.slice();
  out.set(sc(leInt(proof.slice(32 * k, 32 * k + 32)) + delta), 32 * k);
  return out;
};
const nonCanonScalar = (proof, k) => {   // same scalar + ℓ (still < 2^256)
  const out = proof.slice();
  out.set(leN(leInt(proof.slice(32 * k, 32 * k + 32)) + ELL, 32), 32 * k);
  return out;
};
const highBit = (b) => { const o = b.slice(); o[31] |= 0x80; return o; };
const negEnc = (b) => leN(FP - leInt(b), 32);   // the encoding of −s: odd, rejected
const flipLast = (b) => { const o = b.slice(); o[o.length - 1] ^= 1; return o; };

function genNegative(encoding, codesInvalid) {
  const rng = new Rng('negative');
  const cases = [];
  const add = (kind, why, input) => cases.push({ kind, why, input });

  // --- pok
  {
    const ctx = utf8('negative pok'), x = rng.scalar(), w = rng.scalar();
    const Xb = pt(mul(G, x)), pf = provePok(ctx, x, w);
    const P = (why, o) => add('pok', why, { ctx: hex(o.ctx || ctx), X: hex(o.X || Xb), proof: hex(o.proof || pf) });
    P('c + 1', { proof: bumpScalar(pf, 0) });
    P('s + 1', { proof: bumpScalar(pf, 1) });
    P('X + G', { X: pt(decodePoint(Xb).add(G)) });
    P('ctx altered (last byte)', { ctx: flipLast(ctx) });
    P('ctx empty', { ctx: new Uint8Array(0) });
    P('c non-canonical (c + ℓ)', { proof: nonCanonScalar(pf, 0) });
    P('s non-canonical (s + ℓ)', { proof: nonCanonScalar(pf, 1) });
    P('X non-canonical (high bit set)', { X: highBit(Xb) });
    P('X non-canonical (negated s)', { X: negEnc(Xb) });
    P('proof truncated (63 bytes)', { proof: pf.slice(0, 63) });
    P('proof extended (65 bytes)', { proof: concat(pf, Uint8Array.of(0)) });
    P('proof extended (96 bytes)', { proof: concat(pf, new Uint8Array(32)) });
    P('c and s swapped', { proof: concat(pf.slice(32), pf.slice(0, 32)) });
    const w0 = rng.scalar();
    add('pok', 'X = O (identity) with a proof that satisfies the equation (x = 0)',
      { ctx: hex(ctx), X: hex(pt(O)), proof: hex(provePok(ctx, 0n, w0)) });
    const cid = rng.bytes(32), a = rng.scalar(), wa = rng.scalar();
    add('pok', 'DKG PoK of trustee 1 checked under cctx(2)',
      { ctx: hex(cctx(cid, 2)), X: hex(pt(mul(G, a))), proof: hex(provePok(cctx(cid, 1), a, wa)) });
    add('pok', 'share PoK checked under cctx (missing frame("share"))',
      { ctx: hex(cctx(cid, 1)), X: hex(pt(mul(G, a))), proof: hex(provePok(shareCtx(cid, 1), a, wa)) });
  }
  // --- dleq
  {
    const ctx = decCtx(rng.bytes(32), 'q1', 1, 2);
    const x = rng.scalar(), Pp = mul(G, rng.scalar()), w = rng.scalar();
    const Xb = pt(mul(G, x)), Pb = pt(Pp), Db = pt(mul(Pp, x)), pf = proveDleq(ctx, x, Pp, w);
    const D = (why, o) => add('dleq', why, { ctx: hex(o.ctx || ctx), X: hex(o.X || Xb),
      P: hex(o.P || Pb), D: hex(o.D || Db), proof: hex(o.proof || pf) });
    D('c + 1', { proof: bumpScalar(pf, 0) });
    D('s + 1', { proof: bumpScalar(pf, 1) });
    D('X + G', { X: pt(decodePoint(Xb).add(G)) });
    D('P + G', { P: pt(Pp.add(G)) });
    D('D + G', { D: pt(decodePoint(Db).add(G)) });
    D('X and D swapped', { X: Db, D: Xb });
    D('ctx altered (trustee index)', { ctx: decCtx(ctx.slice(4, 36), 'q1', 1, 3) });
    D('c non-canonical (c + ℓ)', { proof: nonCanonScalar(pf, 0) });
    D('s non-canonical (s + ℓ)', { proof: nonCanonScalar(pf, 1) });
    D('D non-canonical (high bit set)', { D: highBit(Db) });
    D('P non-canonical (negated s)', { P: negEnc(Pb) });
    D('proof truncated (32 bytes)', { proof: pf.slice(0, 32) });
    D('proof extended (65 bytes)', { proof: concat(pf, Uint8Array.of(0)) });
    const x2 = rng.scalar(), w2 = rng.scalar();
    D('D = x\'·P with a valid proof for X\' = x\'·G, presented with X', {
      D: pt(mul(Pp, x2)), proof: proveDleq(ctx, x2, Pp, w2) });
    const w3 = rng.scalar();
    add('dleq', 'P = O (identity) with a proof that satisfies the equations',
      { ctx: hex(ctx), X: hex(Xb), P: hex(pt(O)), D: hex(pt(O)), proof: hex(proveDleq(ctx, x, O, w3)) });
    const w4 = rng.scalar();
    add('dleq', 'X = O (identity, x = 0) with a proof that satisfies the equations',
      { ctx: hex(ctx), X: hex(pt(O)), P: hex(Pb), D: hex(pt(O)), proof: hex(proveDleq(ctx, 0n, Pp, w4)) });
  }
  // --- member
  {
    const eid = rng.bytes(32), kv = rng.bytes(32);
    const Y = mul(G, rng.scalar()), Yb = pt(Y);
    const ctx = ballotCtx(eid, 'q7', 10, 0, 3, kv, 2);
    const mk = (values, index, m, opts = {}) => {
      const r = opts.r !== undefined ? opts.r : rng.scalar();
      const nonces = rng.scalars(2 * values.length - 1);
      const key = opts.Y || Y;
      const ct = encrypt(key, m, r);
      return { ct: ctBytes(ct), proof: proveMember(opts.ctx || ctx, key, ct, values, index, r, nonces) };
    };
    const M = (why, base, o) => add('member', why, { ctx: hex(o.ctx || ctx), y: hex(o.y || Yb),
      values: o.values || base.values, ct: hex(o.ct || base.ct), proof: hex(o.proof || base.proof) });
    const b01 = { values: [0, 1], ...mk([0, 1], 1, 1) };
    const b03 = { values: [0, 1, 2, 3], ...mk([0, 1, 2, 3], 2, 2) };
    for (const base of [b01, b03]) {
      const k1 = base.values.length, tag = `(${base.values.join(',')})`;
      for (let j = 0; j < k1; j++) {
        M(`${tag}: c_${j} + 1`, base, { proof: bumpScalar(base.proof, 2 * j) });
        M(`${tag}: s_${j} + 1`, base, { proof: bumpScalar(base.proof, 2 * j + 1) });
      }
      M(`${tag}: c_0 + 1 and c_1 − 1 (sum of challenges unchanged)`, base,
        { proof: bumpScalar(bumpScalar(base.proof, 0, 1n), 2, -1n) });
      const al = base.ct.slice(0, 32), be = base.ct.slice(32);
      M(`${tag}: α + G`, base, { ct: concat(pt(decodePoint(al).add(G)), be) });
      M(`${tag}: β + G`, base, { ct: concat(al, pt(decodePoint(be).add(G))) });
      M(`${tag}: α and β swapped`, base, { ct: concat(be, al) });
      M(`${tag}: Y + G`, base, { y: pt(Y.add(G)) });
      M(`${tag}: ctx altered (index i)`, base, { ctx: ballotCtx(eid, 'q7', 10, 0, 3, kv, 3) });
      M(`${tag}: ctx with wrong eid`, base, { ctx: ballotCtx(flipLast(eid), 'q7', 10, 0, 3, kv, 2) });
      M(`${tag}: ctx with wrong qid`, base, { ctx: ballotCtx(eid, 'q8', 10, 0, 3, kv, 2) });
      M(`${tag}: ctx with wrong voice credential`, base, { ctx: ballotCtx(eid, 'q7', 10, 0, 3, flipLast(kv), 2) });
      M(`${tag}: c_0 non-canonical (c_0 + ℓ)`, base, { proof: nonCanonScalar(base.proof, 0) });
      M(`${tag}: s_${k1 - 1} non-canonical (+ ℓ)`, base, { proof: nonCanonScalar(base.proof, 2 * k1 - 1) });
      M(`${tag}: β non-canonical (high bit set)`, base, { ct: concat(al, highBit(be)) });
      M(`${tag}: α non-canonical (negated s)`, base, { ct: concat(negEnc(al), be) });
      M(`${tag}: proof truncated by one byte`, base, { proof: base.proof.slice(0, -1) });
      M(`${tag}: proof extended by one byte`, base, { proof: concat(base.proof, Uint8Array.of(0)) });
      M(`${tag}: last (c, s) pair removed`, base, { proof: base.proof.slice(0, -64) });
      M(`${tag}: (c, s) pair appended`, base, { proof: concat(base.proof, base.proof.slice(0, 64)) });
      M(`${tag}: ciphertext truncated (63 bytes)`, base, { ct: base.ct.slice(0, 63) });
    }
    M('(0,1) statement changed to values (0,2)', b01, { values: [0, 2] });
    M('(0,1) statement changed to values (1,2)', b01, { values: [1, 2] });
    M('(0,1) statement changed to values (1)', b01, { values: [1], proof: b01.proof.slice(64) });
    M('(0..3) statement changed to values (1..4)', b03, { values: [1, 2, 3, 4] });
    M('(0..3) statement changed to values (0..2)', b03, { values: [0, 1, 2], proof: b03.proof.slice(0, 192) });
    for (const [values, index, m] of [[[0, 1], 1, 2], [[0, 1], 0, 2], [[0, 1], 1, 1000],
      [[0, 1, 2, 3], 3, 4], [[1, 2], 0, 0], [[1], 0, 0]]) {
      const base = { values, ...mk(values, index, m) };
      M(`encrypts ${m}, outside (${values.join(',')}): prover run with false index ${index}`, base, {});
    }
    M('α = O (r = 0) with a proof that satisfies the equations', { values: [0, 1], ...mk([0, 1], 1, 1, { r: 0n }) }, {});
    add('member', 'Y = O with a proof that satisfies the equations (not a valid public key, §3)',
      { ctx: hex(ctx), y: hex(pt(O)), values: [0, 1], ...(() => {
        const b = mk([0, 1], 0, 0, { Y: O });
        return { ct: hex(b.ct), proof: hex(b.proof) };
      })() });
  }
  // --- ballots
  {
    const eid = rng.bytes(32), Y = mul(G, rng.scalar());
    const Bv = (q) => ballotVector(rng, { ...q, eid, Y });
    const input = (v, o = {}) => ({ eid: o.eid || v.eid, qid: o.qid || v.qid, n: o.n || v.n,
      min: o.min !== undefined ? o.min : v.min, max: o.max || v.max, y: o.y || v.y,
      voice_pk: o.voice_pk || v.voice_pk, signer_pk: o.signer_pk || v.signer_pk,
      body: o.body || v.body, sig: o.sig || v.sig });
    const Bn = (why, v, o) => add('ballot', why, input(v, o));
    const resign = (body, seed) => hex(ed25519.sign(body, seed));
    const base = Bv({ qid: 'motion-1', n: 3, min: 1, max: 1, selection: [1, 0, 0] });
    const v = base.vec, b = base.built;
    const reb = (fields, label = 'ballot') => {   // rebuild body from fields, sign with signer
      const body = T(label, ...fields);
      return { body: hex(body), sig: resign(body, base.signerSeed) };
    };
    const hdr = [unhex(v.eid), utf8(v.qid), b.kVoice, b.kSigner, le64(2)];
    Bn('expected eid differs from the body\'s', v, { eid: hex(flipLast(unhex(v.eid))) });
    Bn('expected qid differs from the body\'s', v, { qid: 'motion-2' });
    Bn('expected question differs (n = 4)', v, { n: 4 });
    Bn('expected question differs (min = 0): e = 3 expected', v, { min: 0 });
    Bn('expected signer differs from K_signer', v, { signer_pk: hex(ed25519.getPublicKey(rng.bytes(32))) });
    Bn('signature: one bit flipped in R', v, { sig: hex((() => { const s = unhex(v.sig); s[0] ^= 1; return s; })()) });
    Bn('signature: one bit flipped in S', v, { sig: hex((() => { const s = unhex(v.sig); s[40] ^= 1; return s; })()) });
    Bn('signature: S non-canonical (S + ℓ)', v, { sig: hex((() => {
      const s = unhex(v.sig); s.set(leN(leInt(s.slice(32)) + ELL, 32), 32); return s; })()) });
    Bn('signature truncated (63 bytes)', v, { sig: v.sig.slice(0, 126) });
    Bn('signature over another body (the next ballot\'s)', v, (() => {
      const other = Bv({ qid: 'motion-1', n: 3, min: 1, max: 1, selection: [0, 1, 0] });
      return { sig: other.vec.sig };
    })());
    Bn('body truncated by one byte (re-signed)', v, (() => {
      const body = unhex(v.body).slice(0, -1); return { body: hex(body), sig: resign(body, base.signerSeed) }; })());
    Bn('body with one trailing byte (re-signed)', v, (() => {
      const body = concat(unhex(v.body), Uint8Array.of(0)); return { body: hex(body), sig: resign(body, base.signerSeed) }; })());
    Bn('body with an extra empty frame (re-signed)', v, (() => {
      const body = concat(unhex(v.body), le32(0)); return { body: hex(body), sig: resign(body, base.signerSeed) }; })());
    Bn('body: last frame length too large (re-signed)', v, (() => {
      const body = unhex(v.body); const o = body.length - b.pi0.length - 4;
      body.set(le32(b.pi0.length + 1), o); return { body: hex(body), sig: resign(body, base.signerSeed) }; })());
    Bn('body: label "ballots" (re-signed)', v, reb([...hdr, ...b.fields, b.pi0], 'ballots'));
    Bn('body: version "scrutin/2" (re-signed)', v, (() => {
      const body = concat(frame(utf8('scrutin/2')), unhex(v.body).slice(DS.length));
      return { body: hex(body), sig: resign(body, base.signerSeed) }; })());
    Bn('body: e = 3 with the 2 fields (re-signed)', v, reb([...hdr.slice(0, 4), le64(3), ...b.fields, b.pi0]));
    Bn('body: C_2||π_2 missing (re-signed)', v, reb([...hdr.slice(0, 4), le64(1), b.fields[0], b.pi0]));
    Bn('body: C_1||π_1 191 bytes (re-signed)', v, reb([...hdr, b.fields[0].slice(0, 191), b.fields[1], b.pi0]));
    Bn('body: π_0 with an extra (c, s) pair (re-signed)', v, reb([...hdr, ...b.fields, concat(b.pi0, b.pi0.slice(0, 64))]));
    Bn('body: π_0 missing (re-signed)', v, reb([...hdr, ...b.fields]));
    Bn('body: C_1||π_1 and C_2||π_2 swapped (ctx index no longer matches, re-signed)', v,
      reb([...hdr, b.fields[1], b.fields[0], b.pi0]));
    Bn('body: β_1 non-canonical (high bit, re-signed)', v, (() => {
      const f = b.fields[0].slice(); f[63] |= 0x80; return reb([...hdr, f, b.fields[1], b.pi0]); })());
    Bn('body: c_0 of π_1 non-canonical (+ ℓ, re-signed)', v, (() => {
      const f = concat(b.fields[0].slice(0, 64), nonCanonScalar(b.fields[0].slice(64), 0));
      return reb([...hdr, f, b.fields[1], b.pi0]); })());
    Bn('body: s_1 of π_2 + 1 (re-signed)', v, (() => {
      const f = concat(b.fields[1].slice(0, 64), bumpScalar(b.fields[1].slice(64), 3));
      return reb([...hdr, b.fields[0], f, b.pi0]); })());
    Bn('body: β_1 + G (re-signed)', v, (() => {
      const f = b.fields[0].slice(); f.set(pt(decodePoint(f.slice(32, 64)).add(G)), 32);
      return reb([...hdr, f, b.fields[1], b.pi0]); })());
    Bn('body: K_voice altered (not the expected voice)', v, reb([unhex(v.eid), utf8(v.qid),
      flipLast(b.kVoice), b.kSigner, le64(2), ...b.fields, b.pi0]));

    // proofs made with a wrong context, otherwise well-formed and signed
    const q311 = { qid: 'motion-1', n: 3, min: 1, max: 1, selection: [0, 1, 0] };
    const ctxHook = (f) => ({ hooks: { ctxOf: f } });
    let bb;
    bb = Bv({ ...q311, ...ctxHook((i, kv) => ballotCtx(flipLast(eid), 'motion-1', 3, 1, 1, kv, i)) });
    Bn('proofs made with a wrong eid in ctx', bb.vec, {});
    bb = Bv({ ...q311, ...ctxHook((i, kv) => ballotCtx(eid, 'motion-9', 3, 1, 1, kv, i)) });
    Bn('proofs made with a wrong qid in ctx', bb.vec, {});
    bb = Bv({ ...q311, ...ctxHook((i, kv) => ballotCtx(eid, 'motion-1', 3, 0, 1, kv, i)) });
    Bn('proofs made with min = 0 in ctx', bb.vec, {});
    bb = Bv({ ...q311, ...ctxHook((i, kv) => ballotCtx(eid, 'motion-1', 3, 1, 1, kv, i === 0 ? 0 : 3 - i)) });
    Bn('proofs made with the choice indices exchanged in ctx', bb.vec, {});
    bb = Bv({ ...q311, ...ctxHook((i, kv) => ballotCtx(eid, 'motion-1', 3, 1, 1, kv, i === 0 ? 3 : i)) });
    Bn('π_0 made with index 3 instead of 0 in ctx', bb.vec, {});
    bb = Bv({ ...q311, proxy: true, ...ctxHook((i, kv, ks) => ballotCtx(eid, 'motion-1', 3, 1, 1, ks, i)) });
    Bn('proxy ballot: proofs bound to K_signer instead of K_voice', bb.vec, {});
    bb = Bv({ ...q311, zeroR1: true });
    Bn('α_1 = O (r_1 = 0), proofs and signature otherwise valid', bb.vec, {});
    // out-of-range selections, proved with a false index (forged nonce sequence)
    const oor = [
      [{ qid: 'motion-1', n: 3, min: 1, max: 1, selection: [1, 1, 0] }, 1, undefined,
        '(3,1,1): two explicit selections, π_0 proved with false index 1'],
      [{ qid: 'motion-1', n: 3, min: 1, max: 1, selection: [1, 1, 0] }, 0, undefined,
        '(3,1,1): two explicit selections, π_0 proved with false index 0'],
      [{ qid: 'board.2025', n: 10, min: 0, max: 3, selection: [1, 1, 1, 1, 0, 0, 0, 0, 0, 0] }, 3, undefined,
        '(10,0,3): four selections, π_0 proved with false index 3'],
      [{ qid: 'pair_A', n: 4, min: 2, max: 2, selection: [0, 0, 0, 1] }, 0, undefined,
        '(4,2,2): one selection (explicit sum 0 < lo = 1), π_0 proved with false index 0'],
      [{ qid: 'pair_A', n: 4, min: 2, max: 2, selection: [1, 1, 1, 0] }, 1, undefined,
        '(4,2,2): three selections, π_0 proved with false index 1'],
      [{ qid: 'board.2025', n: 10, min: 0, max: 3, selection: [2, 0, 0, 0, 0, 0, 0, 0, 0, 0] }, undefined, 1,
        '(10,0,3): choice 1 encrypts 2, π_1 proved with false index 1 (π_0 valid)'],
      [{ qid: 'yes-no', n: 2, min: 1, max: 1, selection: [2, 0] }, 1, 1,
        '(2,1,1): choice 1 encrypts 2, π_1 and π_0 proved with false index 1'],
      [{ qid: 'motion-1', n: 3, min: 1, max: 1, selection: [5, 0, 0] }, 0, 0,
        '(3,1,1): choice 1 encrypts 5, proofs with false index 0'],
    ];
    for (const [q, index0, index1, why] of oor) {
      const hooks = {};
      if (index0 !== undefined) hooks.index0 = index0;
      if (index1 !== undefined) hooks.indexOf = (i) => (i === 1 ? index1 : q.selection[i - 1]);
      const bo = Bv({ ...q, hooks });
      Bn(why, bo.vec, {});
    }
    // proxy: signed by the voice instead of the signer
    const px = Bv({ qid: 'motion-1', n: 3, min: 1, max: 1, selection: [0, 0, 1], proxy: true });
    Bn('proxy ballot signed with the voice\'s key instead of the signer\'s', px.vec,
      { sig: resign(unhex(px.vec.body), unhex(px.vec.voice_seed)) });
  }
  // --- decryption shares
  {
    const c = makeCeremony(rng, 'negative ceremony', 3, 2);
    const eid = rng.bytes(32), qid = 'q1', choice = 2;
    const [A, B] = encrypt(c.Y, 4, rng.scalar());
    const total = ctBytes([A, B]);
    const j = 2, xj = c.x[j - 1], Yj = pt(c.Yj[j - 1]);
    const ctx = decCtx(eid, qid, choice, j);
    const d = pt(mul(A, xj)), pf = proveDleq(ctx, xj, A, rng.scalar());
    const S = (why, o) => add('decrypt-share', why, { eid: hex(o.eid || eid), qid: o.qid || qid,
      choice: o.choice || choice, trustee: o.trustee || j, verification_key: hex(o.vk || Yj),
      total: hex(o.total || total), d: hex(o.d || d), proof: hex(o.proof || pf) });
    S('bad decryption share: d + G', { d: pt(decodePoint(d).add(G)) });
    S('bad decryption share: d = x_j·B', { d: pt(mul(B, xj)) });
    S('c + 1', { proof: bumpScalar(pf, 0) });
    S('s + 1', { proof: bumpScalar(pf, 1) });
    S('presented as trustee 3 (ctx index and key)', { trustee: 3, vk: pt(c.Yj[2]) });
    S('verification key of trustee 1', { vk: pt(c.Yj[0]) });
    S('wrong choice in ctx', { choice: 1 });
    S('wrong eid in ctx', { eid: flipLast(eid) });
    S('wrong qid in ctx', { qid: 'q2' });
    S('total altered (A + G)', { total: concat(pt(A.add(G)), pt(B)) });
    S('d non-canonical (high bit set)', { d: highBit(d) });
    S('proof truncated (63 bytes)', { proof: pf.slice(0, 63) });
    S('share made with x_j + 1, proof valid for (x_j + 1)·G', {
      d: pt(mul(A, xj + 1n)), proof: proveDleq(ctx, xj + 1n, A, rng.scalar()) });
  }
  // --- encodings and codes
  for (const p of encoding.points_invalid) add('point', p.why, { hex: p.hex });
  for (const s of encoding.scalars_invalid) add('scalar', s.why, { hex: s.hex });
  for (const code of codesInvalid) add('credential-code', 'not 8 characters of the alphabet after normalisation', { code_input: code });
  return { cases };
}
// ================================================================ verify

class Report {
  constructor() { this.errors = []; this.counts = {}; }
  fail(where, msg) { this.errors.push(`${where}: ${msg}`); }
  count(kind) { this.counts[kind] = (this.counts[kind] || 0) + 1; }
  check(where, cond, msg) { if (!cond) this.fail(where, msg); return cond; }
}
const H = (s, len) => unhex(s, len);
const S32 = (s) => decodeScalar(H(s, 32));

function verifyPokEntry(rep, where, e) {
  try {
    const ctx = H(e.ctx), Xb = H(e.X, 32), proof = H(e.proof);
    rep.check(where, verifyPok(ctx, Xb, proof), 'pok does not verify');
    if (e.x !== undefined) rep.check(where, eqBytes(pt(mul(G, S32(e.x))), Xb), 'X ≠ x·G');
    if (e.x !== undefined && e.w !== undefined)
      rep.check(where, eqBytes(provePok(ctx, S32(e.x), S32(e.w)), proof), 'proof ≠ KAT from (x, w)');
  } catch (err) { rep.fail(where, err.message); }
  rep.count('pok');
}
function verifyDleqEntry(rep, where, e) {
  try {
    const ctx = H(e.ctx), Xb = H(e.X, 32), Pb = H(e.P, 32), Db = H(e.D, 32), proof = H(e.proof);
    rep.check(where, verifyDleq(ctx, Xb, Pb, Db, proof), 'dleq does not verify');
    if (e.x !== undefined) {
      const x = S32(e.x);
      rep.check(where, eqBytes(pt(mul(G, x)), Xb) && eqBytes(pt(mul(decodePoint(Pb), x)), Db), 'X, D ≠ x·G, x·P');
      if (e.w !== undefined)
        rep.check(where, eqBytes(proveDleq(ctx, x, decodePoint(Pb), S32(e.w)), proof), 'proof ≠ KAT from (x, w)');
    }
  } catch (err) { rep.fail(where, err.message); }
  rep.count('dleq');
}
function verifyMemberEntry(rep, where, e) {
  try {
    const ctx = H(e.ctx), Yb = H(e.y, 32), ctb = H(e.ct, 64), proof = H(e.proof);
    rep.check(where, verifyMember(ctx, Yb, ctb, e.values, proof), 'member proof does not verify');
    if (e.r !== undefined && e.index !== undefined) {
      const Y = decodePoint(Yb), r = S32(e.r);
      rep.check(where, Number.isInteger(e.index) && e.index >= 0 && e.index < e.values.length, 'bad index');
      const ct = encrypt(Y, e.values[e.index], r);
      rep.check(where, eqBytes(ctBytes(ct), ctb), 'ct ≠ Enc(values[index]; r)');
      if (e.nonces !== undefined)
        rep.check(where, eqBytes(proveMember(ctx, Y, ct, e.values, e.index, r, e.nonces.map(S32)), proof),
          'proof ≠ KAT from nonces');
    }
  } catch (err) { rep.fail(where, err.message); }
  rep.count('member');
}
function verifyBallotEntry(rep, where, e) {
  try {
    const v = { eid: H(e.eid, 32), qid: e.qid, n: e.n, min: e.min, max: e.max, y: H(e.y, 32),
      voice_pk: H(e.voice_pk, 32), signer_pk: H(e.signer_pk, 32), body: H(e.body), sig: H(e.sig, 64) };
    const why = ballotReject(v);
    rep.check(where, why === null, `ballot rejected: ${why}`);
    if (e.hints !== undefined) {   // optional (§5.6): checked whenever given
      const hw = hintsReject(v, H(e.hints));
      rep.check(where, hw === null, `hints rejected: ${hw}`);
      rep.count('hints');
    }
    rep.check(where, eqBytes(receiptOf(v.body, v.sig), H(e.receipt, 32)), 'receipt ≠ H256("receipt", body, sig)');
    if (e.voice_seed !== undefined)
      rep.check(where, eqBytes(ed25519.getPublicKey(H(e.voice_seed, 32)), v.voice_pk), 'voice_pk ≠ pk(voice_seed)');
    if (e.signer_seed !== undefined)
      rep.check(where, eqBytes(ed25519.getPublicKey(H(e.signer_seed, 32)), v.signer_pk), 'signer_pk ≠ pk(signer_seed)');
    const { e: ne } = questionShape(e.n, e.min, e.max);
    if (e.selection !== undefined)
      rep.check(where, checkSelection(e.n, e.min, e.max, e.selection), 'selection outside the rules');
    if (e.selection !== undefined && e.r !== undefined) {
      // the ciphertexts must encrypt the explicit selections with the given r_i
      const Y = decodePoint(v.y);
      const f = parseFrames(v.body);
      for (let i = 0; i < ne; i++)
        rep.check(where, eqBytes(ctBytes(encrypt(Y, e.selection[i], S32(e.r[i]))), f[7 + i].slice(0, 64)),
          `C_${i + 1} ≠ Enc(b_${i + 1}; r_${i + 1})`);
      if (e.nonces !== undefined && e.voice_seed !== undefined && e.signer_seed !== undefined) {
        const b = buildBallot({ eid: v.eid, qid: e.qid, n: e.n, min: e.min, max: e.max, Y,
          voiceSeed: H(e.voice_seed, 32), signerSeed: H(e.signer_seed, 32), selection: e.selection,
          r: e.r.map(S32), nonces: e.nonces.map((l) => l.map(S32)) });
        rep.check(where, eqBytes(b.body, v.body), 'body ≠ KAT from (r, nonces)');
        rep.check(where, eqBytes(b.sig, v.sig), 'sig ≠ Ed25519-Sign(signer_seed, body)');
        if (e.hints !== undefined) rep.check(where, eqBytes(b.hints, H(e.hints)), 'hints ≠ KAT from (r, nonces)');
      }
    }
  } catch (err) { rep.fail(where, err.message); }
  rep.count('ballot');
}
// The hint checker itself: wrong hints for a right ballot must be refused.
function wrongHintsRejected(rep, where, e) {
  const v = { eid: H(e.eid, 32), qid: e.qid, n: e.n, min: e.min, max: e.max, y: H(e.y, 32),
    voice_pk: H(e.voice_pk, 32), signer_pk: H(e.signer_pk, 32), body: H(e.body), sig: H(e.sig, 64) };
  const h = H(e.hints);
  const bit = h.slice(); bit[40] ^= 1;
  const swap = concat(h.slice(32, 64), h.slice(0, 32), h.slice(64));
  const last = concat(h.slice(0, h.length - 64), h.slice(h.length - 128, h.length - 64));
  for (const [why, bad] of [['one bit', bit], ['A_0, B_0 exchanged', swap], ['last pair repeated', last],
    ['short', h.slice(0, h.length - 32)], ['long', concat(h, h.slice(0, 32))]]) {
    rep.check(where, hintsReject(v, bad) !== null, `wrong hints accepted (${why})`);
    rep.count('hints-wrong');
  }
}
function verifyDkgEntry(rep, where, e) {
  try {
    const { n, t } = e;
    if (!(Number.isInteger(n) && Number.isInteger(t) && t >= 1 && t <= n && n <= 16))
      throw new Error('bad (n, t)');
    if (e.trustees.length !== n) throw new Error('trustees: wrong count');
    const trustees = e.trustees.map((tr) => ({ id_pk: H(tr.id_pk, 32), box_pk: H(tr.box_pk, 32) }));
    const cid = ceremonyId(e.meeting_id, n, t, trustees);
    rep.check(where, eqBytes(cid, H(e.ceremony_id, 32)), 'ceremony_id mismatch');
    if (e.commitments.length !== n || e.commitments.some((r) => r.length !== t))
      throw new Error('commitments: wrong shape');
    const C = e.commitments.map((row) => row.map((h) => decodePoint(H(h, 32), { notIdentity: true })));
    for (let i = 1; i <= n; i++) {
      const Cb = e.commitments[i - 1].map((h) => H(h, 32));
      const pok = H(e.pok[i - 1]);
      rep.check(where, verifyPok(cctx(cid, i), Cb[0], pok), `PoK of trustee ${i} fails`);
      rep.check(where, eqBytes(commitHash(cid, i, Cb, pok), H(e.commit_hash[i - 1], 32)),
        `commit hash of trustee ${i} mismatch`);
    }
    if (e.shares.length !== n || e.shares.some((r) => r.length !== n)) throw new Error('shares: wrong shape');
    const s = e.shares.map((row) => row.map(S32));
    for (let i = 1; i <= n; i++) for (let j = 1; j <= n; j++) {
      const sij = s[i - 1][j - 1];
      rep.check(where, sij !== 0n, `s_{${i},${j}} = 0`);
      rep.check(where, mul(G, sij).equals(feldman(C[i - 1], j)), `Feldman fails for s_{${i},${j}}`);
    }
    const Y = C.reduce((acc, Ci) => acc.add(Ci[0]), O);
    rep.check(where, eqBytes(pt(Y), H(e.y, 32)), 'y ≠ Σ C_{i,0}');
    rep.check(where, !Y.is0(), 'y = O');
    for (let j = 1; j <= n; j++) {
      const Yjb = H(e.verification_keys[j - 1], 32);
      const expect = C.reduce((acc, Ci) => acc.add(feldman(Ci, j)), O);
      rep.check(where, eqBytes(pt(expect), Yjb), `verification key ${j} ≠ Σ_i Σ_k j^k C_{i,k}`);
      const xj = mod(s.reduce((acc, row) => acc + row[j - 1], 0n));
      rep.check(where, eqBytes(pt(mul(G, xj)), Yjb), `verification key ${j} ≠ (Σ_i s_{i,j})·G`);
      if (e.x !== undefined) rep.check(where, S32(e.x[j - 1]) === xj, `x_${j} ≠ Σ_i s_{i,j}`);
      const spok = H(e.share_pok[j - 1]);
      rep.check(where, verifyPok(shareCtx(cid, j), Yjb, spok), `share PoK of trustee ${j} fails`);
      if (e.x !== undefined && e.share_pok_nonces !== undefined)
        rep.check(where, eqBytes(provePok(shareCtx(cid, j), xj, S32(e.share_pok_nonces[j - 1])), spok),
          `share PoK ${j} ≠ KAT`);
    }
    if (e.coefficients !== undefined) {
      const a = e.coefficients.map((row) => row.map(S32));
      for (let i = 1; i <= n; i++) {
        a[i - 1].forEach((aik, k) => rep.check(where, aik !== 0n && mul(G, aik).equals(C[i - 1][k]),
          `C_{${i},${k}} ≠ a·G`));
        for (let j = 1; j <= n; j++)
          rep.check(where, polyEval(a[i - 1], j) === s[i - 1][j - 1], `s_{${i},${j}} ≠ f_${i}(${j})`);
        if (e.pok_nonces !== undefined)
          rep.check(where, eqBytes(provePok(cctx(cid, i), a[i - 1][0], S32(e.pok_nonces[i - 1])), H(e.pok[i - 1])),
            `PoK ${i} ≠ KAT`);
      }
    }
  } catch (err) { rep.fail(where, err.message); }
  rep.count('dkg');
}
function verifyDecryptEntry(rep, where, e, ceremonies) {
  try {
    const cer = ceremonies[e.dkg];
    if (!cer) throw new Error('dkg index out of range');
    const n = cer.n, t = cer.t;
    const eid = H(e.eid, 32), tb = H(e.total, 64);
    checkQid(e.qid);
    if (!Number.isSafeInteger(e.choice) || e.choice < 1) throw new Error('bad choice');
    const [A, B] = decodeCt(tb, true);
    const D = new Map();
    for (const sh of e.shares) {
      const j = sh.trustee;
      if (!Number.isInteger(j) || j < 1 || j > n || D.has(j)) throw new Error(`bad trustee ${j}`);
      const Yjb = H(cer.verification_keys[j - 1], 32), db = H(sh.d, 32), proof = H(sh.proof);
      const ctx = decCtx(eid, e.qid, e.choice, j);
      if (rep.check(where, verifyDleq(ctx, Yjb, pt(A), db, proof), `share of trustee ${j} fails`))
        D.set(j, decodePoint(db));
      if (sh.w !== undefined && cer.x !== undefined)
        rep.check(where, eqBytes(proveDleq(ctx, S32(cer.x[j - 1]), A, S32(sh.w)), proof), `share ${j} ≠ KAT`);
    }
    const sub = e.subset;
    if (!Array.isArray(sub) || sub.length !== t || sub.some((j, k) => !D.has(j) || (k > 0 && sub[k - 1] >= j)))
      throw new Error('subset: not t increasing indices of valid shares');
    const lam = lagrange(sub);
    if (e.lagrange !== undefined)
      rep.check(where, e.lagrange.length === t && lam.every((l, k) => S32(e.lagrange[k]) === l), 'Lagrange coefficients mismatch');
    const xA = sub.reduce((acc, j, k) => acc.add(mul(D.get(j), lam[k])), O);
    if (!Number.isSafeInteger(e.bound) || e.bound < 0 || e.bound > 1e7) throw new Error('bad bound');
    const m = dlog(B.subtract(xA), e.bound);
    rep.check(where, m !== null && m === e.m, `decrypted ${m}, expected ${e.m}`);
  } catch (err) { rep.fail(where, err.message); }
  rep.count('decrypt');
}

// Self-checks of the other positive files.
function verifyEncoding(rep, f) {
  f.points_valid.forEach((h, i) => rep.check(`encoding.points_valid[${i}]`, validPoint(H(h, 32)), 'rejected'));
  f.points_invalid.forEach((p, i) => rep.check(`encoding.points_invalid[${i}]`, !validPoint(H(p.hex, 32)), 'accepted'));
  f.scalars_valid.forEach((h, i) => rep.check(`encoding.scalars_valid[${i}]`, validScalar(H(h, 32)), 'rejected'));
  f.scalars_invalid.forEach((p, i) => rep.check(`encoding.scalars_invalid[${i}]`, !validScalar(H(p.hex, 32)), 'accepted'));
  f.hashes.forEach((c, i) => {
    const fields = c.fields.map((x) => H(x));
    rep.check(`encoding.hashes[${i}]`, hex(sc(Hs(c.label, ...fields))) === c.hs
      && hex(H256(c.label, ...fields)) === c.h256, 'hash mismatch');
  });
  rep.count('encoding');
}
function verifyElgamal(rep, f) {
  f.encrypt.forEach((c, i) => rep.check(`elgamal.encrypt[${i}]`,
    eqBytes(ctBytes(encrypt(decodePoint(H(c.y, 32)), c.m, S32(c.r))), H(c.ct, 64)), 'mismatch'));
  f.add.forEach((c, i) => rep.check(`elgamal.add[${i}]`,
    eqBytes(ctBytes(ctAdd(decodeCt(H(c.a, 64)), decodeCt(H(c.b, 64)))), H(c.sum, 64)), 'mismatch'));
  f.rerandomize.forEach((c, i) => {
    const [a, b] = decodeCt(H(c.ct, 64)), Y = decodePoint(H(c.y, 32)), r = S32(c.r);
    rep.check(`elgamal.rerandomize[${i}]`, eqBytes(ctBytes([a.add(mul(G, r)), b.add(mul(Y, r))]), H(c.out, 64)), 'mismatch');
  });
  f.decrypt.forEach((c, i) => {
    const [a, b] = decodeCt(H(c.ct, 64));
    rep.check(`elgamal.decrypt[${i}]`, dlog(b.subtract(mul(a, S32(c.x))), 2000) === c.m, 'mismatch');
  });
  rep.count('elgamal');
}
function verifyCredential(rep, f) {
  f.credentials.forEach((c, i) => {
    const w = `credential.credentials[${i}]`;
    try {
      rep.check(w, normaliseCode(c.code_input) === c.code, 'normalisation');
      rep.check(w, Buffer.from(H(c.link_secret, 16)).toString('base64url') === c.link_fragment, 'fragment');
      rep.check(w, hex(credentialSalt(c.meeting_id)) === c.salt, 'salt');
      rep.check(w, hex(ed25519.getPublicKey(H(c.seed, 32))) === c.pk, 'pk from seed');
    } catch (err) { rep.fail(w, err.message); }
  });
  f.codes_invalid.forEach((c, i) => {
    let ok = true;
    try { normaliseCode(c); } catch { ok = false; }
    rep.check(`credential.codes_invalid[${i}]`, !ok, 'accepted');
  });
  rep.count('credential');
}
// A negative case is "rejected" when the verifier says no (or cannot parse it).
function negativeAccepted(c) {
  const i = c.input;
  try {
    switch (c.kind) {
      case 'pok': return verifyPok(H(i.ctx), H(i.X), H(i.proof));
      case 'dleq': return verifyDleq(H(i.ctx), H(i.X), H(i.P), H(i.D), H(i.proof));
      case 'member': return verifyMember(H(i.ctx), H(i.y), H(i.ct), i.values, H(i.proof));
      case 'ballot': return ballotReject({ eid: H(i.eid), qid: i.qid, n: i.n, min: i.min, max: i.max,
        y: H(i.y), voice_pk: H(i.voice_pk), signer_pk: H(i.signer_pk), body: H(i.body), sig: H(i.sig) }) === null;
      case 'decrypt-share': {
        const tb = H(i.total);
        return verifyDleq(decCtx(H(i.eid), i.qid, i.choice, i.trustee), H(i.verification_key),
          tb.slice(0, 32), H(i.d), H(i.proof)) && tb.length === 64 && validPoint(tb.slice(32));
      }
      case 'point': return validPoint(H(i.hex));
      case 'scalar': return validScalar(H(i.hex));
      case 'credential-code': normaliseCode(i.code_input); return true;
      default: throw new Error('unknown kind ' + c.kind);
    }
  } catch (err) {
    if (String(err.message).startsWith('unknown kind') || String(err.message).startsWith('internal')) throw err;
    return false;
  }
}
function verifyNegative(rep, f) {
  f.cases.forEach((c, k) => {
    rep.check(`negative.cases[${k}] (${c.kind}: ${c.why})`, !negativeAccepted(c), 'ACCEPTED');
    rep.count('negative');
  });
}
function verifyPositiveSet(rep, files) {
  verifyEncoding(rep, files.encoding);
  verifyElgamal(rep, files.elgamal);
  files.proofs.pok.forEach((e, k) => verifyPokEntry(rep, `proofs.pok[${k}]`, e));
  files.proofs.dleq.forEach((e, k) => verifyDleqEntry(rep, `proofs.dleq[${k}]`, e));
  files.proofs.member.forEach((e, k) => verifyMemberEntry(rep, `proofs.member[${k}]`, e));
  files.ballot.ballots.forEach((e, k) => verifyBallotEntry(rep, `ballot.ballots[${k}]`, e));
  files.ballot.ballots.forEach((e, k) => wrongHintsRejected(rep, `ballot.ballots[${k}]`, e));
  files.dkg.ceremonies.forEach((e, k) => verifyDkgEntry(rep, `dkg.ceremonies[${k}]`, e));
  files.decrypt.cases.forEach((e, k) => verifyDecryptEntry(rep, `decrypt.cases[${k}]`, e, files.dkg.ceremonies));
  verifyCredential(rep, files.credential);
  verifyNegative(rep, files.negative);
  verifyQuestionFile(rep, files.question);
}

// ================================================================ main

function generateAll() {
  const timings = {};
  const time = (name, fn) => { const t0 = Date.now(); const r = fn(); timings[name] = Date.now() - t0; return r; };
  const out = {};
  out.encoding = time('encoding', genEncoding);
  out.elgamal = time('elgamal', genElgamal);
  out.proofs = time('proofs', genProofs);
  out.ballot = time('ballot', genBallots);
  const dkg = time('dkg', genDkg);
  out.dkg = dkg.file;
  out.decrypt = time('decrypt', () => genDecrypt(dkg.cer));
  out.credential = time('credential', genCredential);
  out.negative = time('negative', () => genNegative(out.encoding, out.credential.codes_invalid));
  out.question = time('question', genQuestion);
  const text = {};
  for (const f of FILES) text[f] = JSON.stringify(out[f], null, 2) + '\n';
  return { text, timings };
}
function printReport(rep) {
  for (const e of rep.errors) console.error('FAIL ' + e);
  console.log('checked: ' + Object.entries(rep.counts).map(([k, v]) => `${k} ${v}`).join(', '));
}

function main(argv) {
  const cmd = argv[0];
  if (cmd === 'gen') {
    const { text, timings } = generateAll();
    for (const f of FILES) writeFileSync(join(HERE, f + '.json'), text[f]);
    console.log('wrote ' + FILES.map((f) => f + '.json').join(' ') + ' in ' + JSON.stringify(timings) + ' ms');
    return 0;
  }
  if (cmd === 'check') {
    const t0 = Date.now();
    const { text } = generateAll();
    let bad = 0;
    const files = {};
    for (const f of FILES) {
      let committed;
      try { committed = readFileSync(join(HERE, f + '.json'), 'utf8'); } catch {
        console.error(`FAIL tests/vectors/${f}.json: missing`); bad++; continue;
      }
      if (committed !== text[f]) {
        const a = committed.split('\n'), b = text[f].split('\n');
        let k = 0;
        while (k < a.length && a[k] === b[k]) k++;
        console.error(`FAIL tests/vectors/${f}.json differs from what gen produces (first at line ${k + 1})`);
        bad++;
      }
      files[f] = JSON.parse(committed);
    }
    if (bad) return 1;
    const rep = new Report();
    verifyPositiveSet(rep, files);
    printReport(rep);
    if (rep.errors.length) return 1;
    console.log(`OK: ${FILES.length} files reproduced byte for byte and self-verified (${Date.now() - t0} ms)`);
    return 0;
  }
  if (cmd === 'verify' && argv[1]) {
    const t0 = Date.now();
    let f;
    try { f = JSON.parse(readFileSync(argv[1], 'utf8')); } catch (err) {
      console.error(`FAIL ${argv[1]}: ${err.message}`);
      return 1;
    }
    const rep = new Report();
    const need = (x, name) => { if (!Array.isArray(x)) { rep.fail(name, 'missing'); return []; } return x; };
    const pr = f.proofs || {};
    need(pr.pok, 'proofs.pok').forEach((e, k) => verifyPokEntry(rep, `proofs.pok[${k}]`, e));
    need(pr.dleq, 'proofs.dleq').forEach((e, k) => verifyDleqEntry(rep, `proofs.dleq[${k}]`, e));
    need(pr.member, 'proofs.member').forEach((e, k) => verifyMemberEntry(rep, `proofs.member[${k}]`, e));
    need(f.ballots, 'ballots').forEach((e, k) => verifyBallotEntry(rep, `ballots[${k}]`, e));
    const cer = need(f.dkg, 'dkg');
    cer.forEach((e, k) => verifyDkgEntry(rep, `dkg[${k}]`, e));
    need(f.decrypt, 'decrypt').forEach((e, k) => verifyDecryptEntry(rep, `decrypt[${k}]`, e, cer));
    // scrutin/2 (§5.7): the C digests of its payloads, its ballots and shows
    // of hands under them.
    verifyCDigests(rep, need(f.questions, 'questions'));
    need(f.question_ballots, 'question_ballots').forEach((e, k) =>
      verifyQuestionBallot(rep, `question_ballots[${k}]`, e, e.payload));
    need(f.open_ballots, 'open_ballots').forEach((e, k) => verifyOpenBallot(rep, `open_ballots[${k}]`, e, e.payload));
    for (const kind of ['pok', 'dleq', 'member', 'ballot', 'dkg', 'decrypt', 'qdigest', 'qballot', 'open-ballot'])
      if (!rep.counts[kind]) rep.fail(kind, 'no item of this kind in the file');
    printReport(rep);
    if (rep.errors.length) { console.error(`${argv[1]}: ${rep.errors.length} failure(s)`); return 1; }
    console.log(`OK: ${argv[1]} verified (${Date.now() - t0} ms)`);
    return 0;
  }
  console.error('usage: node tests/vectors/noble.mjs gen | check | verify FILE');
  return 2;
}

// For noble-question.mjs (scrutin/2), which this file imports in turn: its
// functions use these only once called, after this module has run.
export { utf8, hex, unhex, concat, eqBytes, le64, frame, T, H256, Rng, mul, G, pt, sc, S32, decodePoint, buildBallot,
  ballotReject, hintsReject, ballotNonces, questionShape, checkSelection, receiptOf, edVerifyStrict };

process.exitCode = main(process.argv.slice(2));

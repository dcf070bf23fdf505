// scrutin-crypto.js — Scrutin's browser cryptography (docs/protocol.md, scrutin/1).
//
// A plain ES module with no import: the libsodium object (libsodium-wrappers-sumo
// 0.7.16) is injected with init(sodium), so the browser passes the copy the
// server serves under /vendor/ (see kiosk/js/README.md) and Node tests pass the
// npm package. Every byte produced here must equal what crypto/ (C, libsodium)
// and tests/vectors/noble.mjs produce.
//
// Conventions: byte strings are Uint8Array; scalars and points are their 32-byte
// encodings; a function that receives an invalid encoding throws
// ScrutinCryptoError (provers, builders, decoders) or returns false / {ok:false}
// (verifiers). Secrets handed to the caller (credential keys, audit randomness)
// are the caller's to wipe with wipe(); secrets created here are wiped here.
//
// Memory caveat: libsodium.js copies arguments into the WebAssembly heap and
// frees them without wiping; wipe() clears the JavaScript copies only.

let S = null; // the libsodium object, once init() has run

export class ScrutinCryptoError extends Error {
  constructor(message) { super(message); this.name = 'ScrutinCryptoError'; }
}
function fail(msg) { throw new ScrutinCryptoError(msg); }

const REQUIRED = [
  'crypto_core_ristretto255_is_valid_point', 'crypto_core_ristretto255_add',
  'crypto_core_ristretto255_sub', 'crypto_core_ristretto255_scalar_reduce',
  'crypto_core_ristretto255_scalar_add', 'crypto_core_ristretto255_scalar_sub',
  'crypto_core_ristretto255_scalar_mul', 'crypto_core_ristretto255_scalar_random',
  'crypto_scalarmult_ristretto255', 'crypto_scalarmult_ristretto255_base',
  'crypto_hash_sha512', 'crypto_hash_sha256', 'crypto_pwhash',
  'crypto_sign_seed_keypair', 'crypto_sign_detached', 'crypto_sign_verify_detached',
  'randombytes_buf', 'memzero',
];

export const G_HEX = 'e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76';
export const PROTOCOL = 'scrutin/1';
export const ARGON2_OPSLIMIT = 2;
export const ARGON2_MEMLIMIT = 19922944;

let G = null;          // generator encoding
const smallMultiples = new Map(); // m -> m·G for the small integers of proofs

/** Takes the libsodium-wrappers-sumo object (waits for sodium.ready) and
 *  checks that it is usable. Must be awaited before any other call. */
export async function init(sodium) {
  if (!sodium || typeof sodium !== 'object') fail('init: a libsodium object is required');
  if (sodium.ready && typeof sodium.ready.then === 'function') await sodium.ready;
  for (const f of REQUIRED) {
    if (typeof sodium[f] !== 'function') fail(`init: libsodium lacks ${f} (need the sumo build)`);
  }
  if (typeof sodium.crypto_pwhash_ALG_ARGON2ID13 !== 'number') fail('init: no Argon2id');
  const one = new Uint8Array(32); one[0] = 1;
  const g = sodium.crypto_scalarmult_ristretto255_base(one);
  if (toHex(g) !== G_HEX) fail('init: unexpected ristretto255 generator');
  // SHA-256("abc") known answer: the sumo build must expose a working SHA-256.
  if (toHex(sodium.crypto_hash_sha256(new TextEncoder().encode('abc'))) !==
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad') fail('init: SHA-256 broken');
  S = sodium;
  G = g;
  smallMultiples.clear();
  return api;
}

function need() { if (!S) fail('scrutin-crypto: init(sodium) has not been called'); return S; }

// ---------------------------------------------------------------------------
// Bytes, hex, integers

const HEX = '0123456789abcdef';
export function toHex(b) {
  if (!(b instanceof Uint8Array)) fail('toHex: Uint8Array expected');
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX[b[i] >> 4] + HEX[b[i] & 15];
  return s;
}
/** Strict: lowercase, two digits per byte; anything else throws. */
export function fromHex(s, expectedLength) {
  if (typeof s !== 'string' || s.length % 2 !== 0 || !/^[0-9a-f]*$/.test(s)) fail('fromHex: invalid hex');
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.substr(2 * i, 2), 16);
  if (expectedLength !== undefined && out.length !== expectedLength) fail(`fromHex: ${expectedLength} bytes expected`);
  return out;
}
export function concat(...parts) {
  let n = 0;
  for (const p of parts) { if (!(p instanceof Uint8Array)) fail('concat: Uint8Array expected'); n += p.length; }
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}
export function utf8(s) {
  if (typeof s !== 'string') fail('utf8: string expected');
  return new TextEncoder().encode(s);
}
export function bytesEqual(a, b) {
  if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array) || a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}
function isZero(b) { let d = 0; for (let i = 0; i < b.length; i++) d |= b[i]; return d === 0; }

function toBigUint(n, what) {
  if (typeof n === 'bigint') { if (n < 0n || n >= (1n << 64n)) fail(`${what}: out of range`); return n; }
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) fail(`${what}: non-negative integer expected`);
  return BigInt(n);
}
export function le32(n) {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) fail('le32: out of range');
  const b = new Uint8Array(4);
  b[0] = n & 255; b[1] = (n >>> 8) & 255; b[2] = (n >>> 16) & 255; b[3] = (n >>> 24) & 255;
  return b;
}
export function le64(n) {
  let v = toBigUint(n, 'le64');
  const b = new Uint8Array(8);
  for (let i = 0; i < 8; i++) { b[i] = Number(v & 255n); v >>= 8n; }
  return b;
}
function readLe32(b, o) { return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 0x1000000; }
function readLe64(b) {
  let v = 0n;
  for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
  return v;
}

/** Secret wiping (JavaScript copies). Accepts any number of Uint8Arrays or
 *  arrays of them; ignores null/undefined. */
export function wipe(...xs) {
  for (const x of xs) {
    if (x == null) continue;
    if (Array.isArray(x)) wipe(...x);
    else if (x instanceof Uint8Array) { if (S) S.memzero(x); else x.fill(0); }
  }
}

// ---------------------------------------------------------------------------
// §2 framing and hashes

export function frame(x) { return concat(le32(x.length), x); }

/** A transcript field: Uint8Array as is, string as UTF-8, integer as LE64. */
function field(f) {
  if (f instanceof Uint8Array) return f;
  if (typeof f === 'string') return utf8(f);
  if (typeof f === 'number' || typeof f === 'bigint') return le64(f);
  fail('transcript field: Uint8Array, string or integer expected');
}
/** T(label, f1, …, fk) = frame("scrutin/1") || frame(label) || frame(f1) || … */
export function transcript(label, ...fields) {
  if (typeof label !== 'string' || label.length === 0) fail('transcript: label string expected');
  const parts = [frame(utf8(PROTOCOL)), frame(utf8(label))];
  for (const f of fields) parts.push(frame(field(f)));
  return concat(...parts);
}
/** Hs: SHA-512 of T reduced mod ℓ (crypto_core_ristretto255_scalar_reduce). */
export function Hs(label, ...fields) {
  const s = need();
  const d = s.crypto_hash_sha512(transcript(label, ...fields));
  const r = s.crypto_core_ristretto255_scalar_reduce(d);
  wipe(d);
  return r;
}
export function H256(label, ...fields) { return need().crypto_hash_sha256(transcript(label, ...fields)); }

// ---------------------------------------------------------------------------
// §1 scalars and points

// ℓ = 2^252 + 27742317777372353535851937790883648493, little-endian.
const ELL = fromHex('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010');
export const IDENTITY_HEX = '0'.repeat(64);

/** True iff b is 32 bytes encoding an integer < ℓ (constant time in b's value:
 *  the borrow of b − ℓ is computed over all bytes). */
export function isCanonicalScalar(b) {
  if (!(b instanceof Uint8Array) || b.length !== 32) return false;
  let borrow = 0;
  for (let i = 0; i < 32; i++) borrow = ((b[i] - ELL[i] - borrow) >>> 8) & 1;
  return borrow === 1;
}
/** Returns a copy of a canonical scalar; throws otherwise. */
export function decodeScalar(b, { nonZero = false } = {}) {
  if (!isCanonicalScalar(b)) fail('scalar: not a canonical 32-byte scalar');
  if (nonZero && isZero(b)) fail('scalar: zero not allowed');
  return Uint8Array.from(b);
}
export function isIdentity(p) { return p instanceof Uint8Array && p.length === 32 && isZero(p); }
export function isValidPoint(p) {
  // Bit 255 is checked here as well: libsodium 1.0.18's decoder ignores it
  // (1.0.20's does not), and the protocol must not depend on the version.
  return p instanceof Uint8Array && p.length === 32 && (p[31] & 0x80) === 0 &&
    need().crypto_core_ristretto255_is_valid_point(p);
}
/** Returns a copy of a canonical ristretto255 encoding; throws otherwise. */
export function decodePoint(p, { nonIdentity = false } = {}) {
  if (!isValidPoint(p)) fail('point: not a canonical ristretto255 encoding');
  if (nonIdentity && isIdentity(p)) fail('point: identity not allowed');
  return Uint8Array.from(p);
}
export function scalarFromInt(m) {
  let v = toBigUint(m, 'scalarFromInt');
  const b = new Uint8Array(32);
  for (let i = 0; i < 8; i++) { b[i] = Number(v & 255n); v >>= 8n; }
  return b;
}

// Group operations that treat the identity correctly: libsodium's scalarmult
// refuses a zero scalar and an identity result, but 0·P = a·O = O here.
export function mulBase(k) {
  if (!isCanonicalScalar(k)) fail('mulBase: non-canonical scalar');
  if (isZero(k)) return new Uint8Array(32);
  return need().crypto_scalarmult_ristretto255_base(k);
}
export function mul(k, P) {
  if (!isCanonicalScalar(k)) fail('mul: non-canonical scalar');
  if (isZero(k) || isIdentity(P)) return new Uint8Array(32);
  // k canonical and non-zero, P ≠ O, prime order: the result is never O.
  return need().crypto_scalarmult_ristretto255(k, P);
}
/** m·G for a small non-negative integer m (cached; m = 0 gives O). */
export function intBase(m) {
  const key = typeof m === 'bigint' ? m : BigInt(toBigUint(m, 'intBase'));
  let p = smallMultiples.get(key);
  if (!p) {
    p = mulBase(scalarFromInt(key));
    if (key <= 4096n) smallMultiples.set(key, p);
  }
  return Uint8Array.from(p);
}
export function pointAdd(P, Q) { return need().crypto_core_ristretto255_add(P, Q); }
export function pointSub(P, Q) { return need().crypto_core_ristretto255_sub(P, Q); }
export function scalarAdd(a, b) { return need().crypto_core_ristretto255_scalar_add(a, b); }
export function scalarSub(a, b) { return need().crypto_core_ristretto255_scalar_sub(a, b); }
export function scalarMul(a, b) { return need().crypto_core_ristretto255_scalar_mul(a, b); }

/** A uniformly random non-zero scalar. */
export function randomScalar() { return need().crypto_core_ristretto255_scalar_random(); }
export function randomBytes(n) { return need().randombytes_buf(n); }

/** Default randomness source: a function returning a fresh random scalar. */
export function randomRng() { return randomScalar(); }
/** Known-answer randomness: returns the given scalars (hex or bytes) in order,
 *  throws when exhausted; rng.remaining() tells how many were not used. */
export function fixedRng(list) {
  const q = list.map((x) => (typeof x === 'string' ? fromHex(x, 32) : Uint8Array.from(x)));
  let i = 0;
  const rng = () => { if (i >= q.length) fail('fixedRng: nonce list exhausted'); return Uint8Array.from(q[i++]); };
  rng.remaining = () => q.length - i;
  return rng;
}
function draw(rng, nonZero) {
  const k = (rng || randomRng)();
  if (!isCanonicalScalar(k)) fail('rng: non-canonical scalar');
  if (nonZero && isZero(k)) fail('rng: zero scalar where a non-zero one is required');
  return k;
}

// ---------------------------------------------------------------------------
// §3 exponential ElGamal

/** Enc_Y(m; r) = (r·G, r·Y + m·G), 64 bytes. */
export function encrypt(y, m, r) {
  decodePoint(y, { nonIdentity: true });
  decodeScalar(r, { nonZero: true });
  const alpha = mulBase(r);
  const ry = mul(r, y);
  const beta = pointAdd(ry, intBase(m));
  wipe(ry);
  return concat(alpha, beta);
}
function splitCt(ct) {
  if (!(ct instanceof Uint8Array) || ct.length !== 64) fail('ciphertext: 64 bytes expected');
  return [ct.subarray(0, 32), ct.subarray(32, 64)];
}
/** Decodes a ciphertext: both points canonical, α ≠ O unless allowIdentityAlpha. */
export function decodeCiphertext(ct, { allowIdentityAlpha = false } = {}) {
  const [a, b] = splitCt(ct);
  decodePoint(a, { nonIdentity: !allowIdentityAlpha });
  decodePoint(b);
  return Uint8Array.from(ct);
}
export function ciphertextAdd(c1, c2) {
  const [a1, b1] = splitCt(c1); const [a2, b2] = splitCt(c2);
  return concat(pointAdd(a1, a2), pointAdd(b1, b2));
}
export function rerandomize(y, ct, r) {
  decodePoint(y, { nonIdentity: true });
  decodeScalar(r, { nonZero: true });
  const [a, b] = splitCt(ct);
  return concat(pointAdd(a, mulBase(r)), pointAdd(b, mul(r, y)));
}
/** M = β − x·α (= m·G). */
export function decryptToPoint(x, ct) {
  const [a, b] = splitCt(ct);
  return pointSub(b, mul(x, a));
}
/** Small discrete log by linear search in [0, bound]; -1 if absent. */
export function discreteLogSmall(M, bound) {
  let acc = new Uint8Array(32);
  for (let m = 0; m <= bound; m++) {
    if (bytesEqual(acc, M)) return m;
    acc = pointAdd(acc, G);
  }
  return -1;
}

// ---------------------------------------------------------------------------
// §4 proofs

function splitScalars(proof, count) {
  if (!(proof instanceof Uint8Array) || proof.length !== 32 * count) return null;
  const out = [];
  for (let i = 0; i < count; i++) {
    const s = proof.subarray(32 * i, 32 * i + 32);
    if (!isCanonicalScalar(s)) return null;
    out.push(s);
  }
  return out;
}
function asBytes(ctx) { if (!(ctx instanceof Uint8Array)) fail('ctx: Uint8Array expected'); return ctx; }

/** §4.1 Schnorr proof of knowledge of x for X = x·G. Returns {X, proof}. */
export function pokProve(ctx, x, rng) {
  decodeScalar(x, { nonZero: true });
  const X = mulBase(x);
  const w = draw(rng, true);
  const A = mulBase(w);
  const c = Hs('pok', asBytes(ctx), X, A);
  const cx = scalarMul(c, x);
  const s = scalarAdd(w, cx);
  wipe(w, cx);
  return { X, proof: concat(c, s) };
}
export function pokVerify(ctx, X, proof) {
  try {
    if (!isValidPoint(X) || isIdentity(X)) return false;
    const sc = splitScalars(proof, 2); if (!sc) return false;
    const [c, s] = sc;
    const A = pointSub(mulBase(s), mul(c, X));
    return bytesEqual(c, Hs('pok', asBytes(ctx), X, A));
  } catch (e) { return false; }
}

/** §4.2 Chaum-Pedersen: X = x·G and D = x·P. Returns {X, D, proof}. */
export function dleqProve(ctx, x, P, rng) {
  decodeScalar(x, { nonZero: true });
  decodePoint(P, { nonIdentity: true });
  const X = mulBase(x); const D = mul(x, P);
  const w = draw(rng, true);
  const A = mulBase(w); const B = mul(w, P);
  const c = Hs('dleq', asBytes(ctx), X, P, D, A, B);
  const cx = scalarMul(c, x);
  const s = scalarAdd(w, cx);
  wipe(w, cx);
  return { X, D, proof: concat(c, s) };
}
export function dleqVerify(ctx, X, P, D, proof) {
  try {
    if (!isValidPoint(X) || isIdentity(X) || !isValidPoint(P) || isIdentity(P) || !isValidPoint(D)) return false;
    const sc = splitScalars(proof, 2); if (!sc) return false;
    const [c, s] = sc;
    const A = pointSub(mulBase(s), mul(c, X));
    const B = pointSub(mul(s, P), mul(c, D));
    return bytesEqual(c, Hs('dleq', asBytes(ctx), X, P, D, A, B));
  } catch (e) { return false; }
}

function checkValues(values) {
  if (!Array.isArray(values) || values.length === 0) fail('member: non-empty list of values expected');
  let prev = -1n;
  const big = values.map((v) => {
    const b = toBigUint(v, 'member value');
    if (b <= prev) fail('member: values must be strictly increasing');
    prev = b;
    return b;
  });
  return big;
}
function valuesField(big) { return concat(...big.map((v) => le64(v))); }

/** §4.3 disjunctive proof that ct = Enc_Y(values[index]; r).
 *  Nonce order: w, then c_j, s_j for each j ≠ index in increasing order. */
export function memberProve(args) { return memberProveWithHints(args).proof; }

/** memberProve, also returning the prover's commitments as §5.6 hints:
 *  {proof, hints} with hints = A_0 || B_0 || … || A_k || B_k, exactly the
 *  bytes hashed into the challenge (no extra group operation). */
export function memberProveWithHints({ ctx, y, ct, values, index, r, rng }) {
  const vals = checkValues(values);
  const k1 = vals.length;
  if (!Number.isInteger(index) || index < 0 || index >= k1) fail('member: index out of range');
  decodePoint(y, { nonIdentity: true });
  decodeCiphertext(ct);
  decodeScalar(r);
  const [alpha, beta] = splitCt(ct);
  const cs = new Array(k1); const ss = new Array(k1);
  const As = new Array(k1); const Bs = new Array(k1);
  const w = draw(rng, true);
  for (let j = 0; j < k1; j++) {
    if (j === index) continue;
    cs[j] = draw(rng, false);
    ss[j] = draw(rng, false);
    const betaJ = pointSub(beta, intBase(vals[j]));
    As[j] = pointSub(mulBase(ss[j]), mul(cs[j], alpha));
    Bs[j] = pointSub(mul(ss[j], y), mul(cs[j], betaJ));
  }
  As[index] = mulBase(w);
  Bs[index] = mul(w, y);
  const commits = [];
  for (let j = 0; j < k1; j++) commits.push(As[j], Bs[j]);
  const c = Hs('member', asBytes(ctx), y, alpha, beta, valuesField(vals), ...commits);
  let cj = c;
  for (let j = 0; j < k1; j++) if (j !== index) cj = scalarSub(cj, cs[j]);
  cs[index] = cj;
  const cr = scalarMul(cj, r);
  ss[index] = scalarAdd(w, cr);
  wipe(w, cr);
  const parts = [];
  for (let j = 0; j < k1; j++) parts.push(cs[j], ss[j]);
  return { proof: concat(...parts), hints: concat(...commits) };
}

export function memberVerify({ ctx, y, ct, values, proof }) {
  try {
    const vals = checkValues(values);
    const k1 = vals.length;
    if (!isValidPoint(y) || isIdentity(y)) return false;
    if (!(ct instanceof Uint8Array) || ct.length !== 64) return false;
    const [alpha, beta] = splitCt(ct);
    if (!isValidPoint(alpha) || isIdentity(alpha) || !isValidPoint(beta)) return false;
    const sc = splitScalars(proof, 2 * k1); if (!sc) return false;
    const commits = [];
    let sum = new Uint8Array(32);
    for (let j = 0; j < k1; j++) {
      const c = sc[2 * j]; const s = sc[2 * j + 1];
      const betaJ = pointSub(beta, intBase(vals[j]));
      commits.push(pointSub(mulBase(s), mul(c, alpha)), pointSub(mul(s, y), mul(c, betaJ)));
      sum = scalarAdd(sum, c);
    }
    return bytesEqual(sum, Hs('member', asBytes(ctx), y, alpha, beta, valuesField(vals), ...commits));
  } catch (e) { return false; }
}

// ---------------------------------------------------------------------------
// §5 ballots

const QID_RE = /^[A-Za-z0-9._-]{1,64}$/;

/** Checks a question and returns {n, min, max, e, lo, hi} (§5.1). */
export function questionShape(n, min, max) {
  for (const [v, w] of [[n, 'n'], [min, 'min'], [max, 'max']]) {
    if (!Number.isSafeInteger(v) || v < 0) fail(`question: ${w} must be a non-negative integer`);
  }
  if (n < 2 || n > 64) fail('question: 2 ≤ n ≤ 64');
  if (max < 1 || max > n || min > max) fail('question: need 0 ≤ min ≤ max, 1 ≤ max ≤ n');
  if (min === max) {
    const m = max;
    return { n, min, max, e: n - 1, lo: Math.max(m - 1, 0), hi: Math.min(m, n - 1) };
  }
  return { n, min, max, e: n, lo: min, hi: max };
}
/** Length in bytes of a ballot's §5.6 hints: 64·(2e + hi − lo + 1). */
export function hintsLength(n, min, max) {
  const q = questionShape(n, min, max);
  return 64 * (2 * q.e + (q.hi - q.lo + 1));
}
function checkQid(qid) {
  if (typeof qid !== 'string' || !QID_RE.test(qid)) fail('question: qid must be 1 to 64 of [A-Za-z0-9._-]');
  return utf8(qid);
}
function check32(b, what) {
  if (!(b instanceof Uint8Array) || b.length !== 32) fail(`${what}: 32 bytes expected`);
  return b;
}

/** ctx(i) of §5.2; qdigest (32 bytes, §5.7, scrutin/2) ends it when given,
 *  null or undefined for a question of a scrutin/1 record. */
export function ballotContext(eid, qid, n, min, max, voicePk, i, qdigest) {
  const ctx = concat(frame(check32(eid, 'eid')), frame(checkQid(qid)), frame(le64(n)), frame(le64(min)),
    frame(le64(max)), frame(check32(voicePk, 'voice key')), frame(le64(i)));
  return qdigest == null ? ctx : concat(ctx, frame(check32(qdigest, 'question digest')));
}

/** The question digest of §5.7 over a question.opened payload p (the
 *  record's JSON, or the mail-in window's published question):
 *  H256("question", qid, kind, rule, label, LE64 secret, LE64 min, LE64 max,
 *  LE64 seats, LE64 round, post, amends, amendment, LE64 n, CH_1 … CH_n),
 *  CH_j = frame(id) || frame(label) || frame(member) || frame(LE64 blank).
 *  Throws on a missing or mistyped field. */
export function questionDigest(p) {
  if (p === null || typeof p !== 'object' || !Array.isArray(p.choices) || p.choices.length === 0) {
    fail('question: payload with choices expected');
  }
  const str = (o, k, optional) => {
    if (o[k] === undefined && optional) return utf8('');
    if (typeof o[k] !== 'string') fail(`question: ${k} must be a string`);
    return utf8(o[k]);
  };
  const int = (o, k, optional) => {
    if (o[k] === undefined && optional) return le64(0);
    if (!Number.isSafeInteger(o[k]) || o[k] < 0) fail(`question: ${k} must be an integer ≥ 0`);
    return le64(o[k]);
  };
  const bool = (o, k, optional) => {
    if (o[k] === undefined && optional) return le64(0);
    if (typeof o[k] !== 'boolean') fail(`question: ${k} must be a boolean`);
    return le64(o[k] ? 1 : 0);
  };
  const choices = p.choices.map((c) => {
    if (c === null || typeof c !== 'object') fail('question: choice object expected');
    const member = c.member === undefined ? new Uint8Array(0) : fromHex(str(c, 'member') && c.member, 32);
    return concat(frame(str(c, 'id')), frame(str(c, 'label')), frame(member), frame(bool(c, 'blank', true)));
  });
  return H256('question', str(p, 'qid'), str(p, 'kind'), str(p, 'rule'), str(p, 'label'), bool(p, 'secret'),
    int(p, 'min'), int(p, 'max'), int(p, 'seats', true), int(p, 'round', true), str(p, 'post', true),
    str(p, 'amends', true), str(p, 'amendment', true), le64(p.choices.length), ...choices);
}

/** The short form of a question digest shown to people: "1a2b 3c4d". */
export function shortDigest(d) { const h = toHex(d); return `${h.slice(0, 4)} ${h.slice(4, 8)}`; }
function range(lo, hi) { const v = []; for (let x = lo; x <= hi; x++) v.push(x); return v; }

// Secrets of built ballots (randomness r_i), kept out of the returned object
// so that it can be serialised and sent without leaking them.
const ballotSecrets = new WeakMap();

/** Builds, proves and signs a ballot (§5.3, §5.4).
 *  selection: all n choices as 0/1 (the implicit last choice included).
 *  signerSk: libsodium 64-byte Ed25519 secret key (seed || pk).
 *  rng: optional scalar source; draw order r_1 … r_e, then the nonces of
 *  π_1, …, π_e, π_0 (each in the order of §4.3). Default: fresh randomness.
 *  voiceSk is accepted and ignored (the voice's key only enters as K_voice).
 *  The returned object holds no secret; the randomness stays in a private
 *  map until auditBallot() or forgetBallot().
 *  hints (§5.6, not part of the body, sent next to it): the commitments
 *  A_j || B_j of π_1, …, π_e, then π_0, as the provers hashed them;
 *  64·(2e + hi − lo + 1) bytes. */
export function buildBallot({ eid, qid, n, min, max, y, voicePk, signerSk, signerPk, selection, rng, qdigest }) {
  const s = need();
  const q = questionShape(n, min, max);
  const qidBytes = checkQid(qid);
  check32(eid, 'eid'); check32(voicePk, 'voice key'); check32(signerPk, 'signer key');
  if (qdigest != null) check32(qdigest, 'question digest');
  decodePoint(y, { nonIdentity: true });
  if (!(signerSk instanceof Uint8Array) || signerSk.length !== 64) fail('signer secret key: 64 bytes expected');
  if (!bytesEqual(signerSk.subarray(32), signerPk)) fail('signer secret key does not match signer key');
  if (!Array.isArray(selection) || selection.length !== q.n ||
      selection.some((b) => b !== 0 && b !== 1)) fail('selection: n values 0 or 1 expected');
  const total = selection.reduce((a, b) => a + b, 0);
  if (total < q.min || total > q.max) fail('selection: number of selected choices outside [min, max]');
  const explicit = selection.slice(0, q.e);
  const explicitSum = explicit.reduce((a, b) => a + b, 0);
  if (explicitSum < q.lo || explicitSum > q.hi) fail('selection: inconsistent with the overall range');

  const r = [];
  const cts = [];
  const proofs = [];
  const hints = [];
  let rSum = null; let ctSum = null;
  try {
    for (let i = 0; i < q.e; i++) r.push(draw(rng, true));
    for (let i = 0; i < q.e; i++) cts.push(encrypt(y, explicit[i], r[i]));
    for (let i = 0; i < q.e; i++) {
      const p = memberProveWithHints({ ctx: ballotContext(eid, qid, n, min, max, voicePk, i + 1, qdigest), y,
        ct: cts[i], values: [0, 1], index: explicit[i], r: r[i], rng });
      proofs.push(p.proof); hints.push(p.hints);
    }
    rSum = new Uint8Array(32); ctSum = cts[0];
    for (let i = 0; i < q.e; i++) {
      const t = scalarAdd(rSum, r[i]); wipe(rSum); rSum = t;
      if (i > 0) ctSum = ciphertextAdd(ctSum, cts[i]);
    }
    const p0 = memberProveWithHints({ ctx: ballotContext(eid, qid, n, min, max, voicePk, 0, qdigest), y,
      ct: ctSum, values: range(q.lo, q.hi), index: explicitSum - q.lo, r: rSum, rng });
    const overall = p0.proof; hints.push(p0.hints);
    const fields = cts.map((c, i) => concat(c, proofs[i]));
    const body = transcript('ballot', eid, qidBytes, voicePk, signerPk, le64(q.e), ...fields, overall);
    const sig = s.crypto_sign_detached(body, signerSk);
    const receipt = H256('receipt', body, sig);
    const ballot = {
      body, sig, receipt, hints: concat(...hints),
      eid: Uint8Array.from(eid), qid, n, min, max, e: q.e, lo: q.lo, hi: q.hi,
      qdigest: qdigest == null ? null : Uint8Array.from(qdigest),
      y: Uint8Array.from(y), voicePk: Uint8Array.from(voicePk), signerPk: Uint8Array.from(signerPk),
      ciphertexts: cts, proofs, overallProof: overall, sum: ctSum, spoiled: false,
    };
    ballotSecrets.set(ballot, { r: r.map((x) => Uint8Array.from(x)) });
    return ballot;
  } finally {
    wipe(r, rSum);
  }
}

/** buildBallot with the known-answer layout of tests/vectors/ballot.json:
 *  r = [r_1…r_e], nonces = [[π_1 nonces], …, [π_e nonces], [π_0 nonces]]. */
export function buildBallotWithNonces(params, r, nonces) {
  const flat = [...r, ...nonces.flat()];
  const rng = fixedRng(flat);
  const b = buildBallot({ ...params, rng });
  if (rng.remaining() !== 0) fail('buildBallotWithNonces: unused nonces');
  return b;
}

/** Strict parse of a ballot body against the question; throws on any
 *  deviation. Returns {voicePk, signerPk, ciphertexts, proofs, overallProof}. */
export function parseBallotBody(body, { eid, qid, n, min, max }) {
  const q = questionShape(n, min, max);
  const qidBytes = checkQid(qid);
  check32(eid, 'eid');
  if (!(body instanceof Uint8Array)) fail('body: bytes expected');
  let o = 0;
  const next = () => {
    if (o + 4 > body.length) fail('body: truncated');
    const len = readLe32(body, o); o += 4;
    if (len > body.length - o) fail('body: truncated');
    const f = body.subarray(o, o + len); o += len;
    return f;
  };
  const expect = (f, want, what) => { if (!bytesEqual(f, want)) fail(`body: wrong ${what}`); };
  expect(next(), utf8(PROTOCOL), 'protocol');
  expect(next(), utf8('ballot'), 'label');
  expect(next(), eid, 'election');
  expect(next(), qidBytes, 'question');
  const voicePk = next(); if (voicePk.length !== 32) fail('body: voice key length');
  const signerPk = next(); if (signerPk.length !== 32) fail('body: signer key length');
  const e = next(); if (e.length !== 8 || readLe64(e) !== BigInt(q.e)) fail('body: wrong number of choices');
  const ciphertexts = []; const proofs = [];
  for (let i = 0; i < q.e; i++) {
    const f = next(); if (f.length !== 192) fail('body: choice field length');
    ciphertexts.push(Uint8Array.from(f.subarray(0, 64))); proofs.push(Uint8Array.from(f.subarray(64)));
  }
  const overallProof = next();
  if (overallProof.length !== 64 * (q.hi - q.lo + 1)) fail('body: overall proof length');
  if (o !== body.length) fail('body: trailing bytes');
  return { voicePk: Uint8Array.from(voicePk), signerPk: Uint8Array.from(signerPk), ciphertexts, proofs,
    overallProof: Uint8Array.from(overallProof), ...q };
}

/** §5.5 verification. Optional voicePk / signerPk: the expected credentials
 *  (they must equal K_voice / K_signer of the body); optional receipt: must
 *  equal H256("receipt", body, sig). Returns {ok:true, receipt, parts} or
 *  {ok:false, reason}; never throws on bad input. */
export function verifyBallot({ body, sig, receipt, eid, qid, n, min, max, y, voicePk, signerPk, qdigest }) {
  try {
    const s = need();
    const p = parseBallotBody(body, { eid, qid, n, min, max });
    if (voicePk !== undefined && !bytesEqual(voicePk, p.voicePk)) return { ok: false, reason: 'voice key mismatch' };
    if (signerPk !== undefined && !bytesEqual(signerPk, p.signerPk)) return { ok: false, reason: 'signer key mismatch' };
    if (!isValidPoint(y) || isIdentity(y)) return { ok: false, reason: 'invalid election key' };
    if (!(sig instanceof Uint8Array) || sig.length !== 64) return { ok: false, reason: 'signature length' };
    let sigOk = false;
    try { sigOk = s.crypto_sign_verify_detached(sig, body, p.signerPk); } catch (e) { sigOk = false; }
    if (!sigOk) return { ok: false, reason: 'bad signature' };
    let ctSum = null;
    for (let i = 0; i < p.e; i++) {
      const ctx = ballotContext(eid, qid, n, min, max, p.voicePk, i + 1, qdigest);
      if (!memberVerify({ ctx, y, ct: p.ciphertexts[i], values: [0, 1], proof: p.proofs[i] })) {
        return { ok: false, reason: `choice ${i + 1}: bad proof` };
      }
      ctSum = i === 0 ? p.ciphertexts[0] : ciphertextAdd(ctSum, p.ciphertexts[i]);
    }
    const ctx0 = ballotContext(eid, qid, n, min, max, p.voicePk, 0, qdigest);
    if (!memberVerify({ ctx: ctx0, y, ct: ctSum, values: range(p.lo, p.hi), proof: p.overallProof })) {
      return { ok: false, reason: 'overall proof' };
    }
    const rc = H256('receipt', body, sig);
    if (receipt !== undefined && !bytesEqual(receipt, rc)) return { ok: false, reason: 'receipt mismatch' };
    return { ok: true, receipt: rc, parts: p };
  } catch (e) {
    return { ok: false, reason: e instanceof ScrutinCryptoError ? e.message : `error: ${e && e.message}` };
  }
}

// ---------------------------------------------------------------------------
// Benaloh cast-or-audit

/** Checks that ciphertexts[i] = Enc_Y(selection[i]; r[i]) for every explicit
 *  choice, and that the selection is allowed by the question. selection: all
 *  n choices (0/1). Usable on another device from the published audit data. */
export function checkAudit({ y, n, min, max, ciphertexts, r, selection }) {
  try {
    const q = questionShape(n, min, max);
    if (!Array.isArray(selection) || selection.length !== q.n || selection.some((b) => b !== 0 && b !== 1)) return false;
    const total = selection.reduce((a, b) => a + b, 0);
    if (total < q.min || total > q.max) return false;
    if (!Array.isArray(ciphertexts) || ciphertexts.length !== q.e || !Array.isArray(r) || r.length !== q.e) return false;
    for (let i = 0; i < q.e; i++) {
      if (!isCanonicalScalar(r[i]) || isZero(r[i])) return false;
      if (!bytesEqual(encrypt(y, selection[i], r[i]), ciphertexts[i])) return false;
    }
    return true;
  } catch (e) { return false; }
}

/** Opens a built ballot for audit: returns the randomness r_i of each
 *  explicit choice, the selection that the ciphertexts actually encrypt
 *  (recovered with r_i, not taken from the device's memory), and
 *  check(claimedSelection) → boolean. The ballot is spoiled: its signature is
 *  wiped and it must never be cast; build a fresh one. */
export function auditBallot(ballot) {
  const sec = ballotSecrets.get(ballot);
  if (!sec) fail('auditBallot: unknown ballot, or its randomness was already released or forgotten');
  ballotSecrets.delete(ballot);
  ballot.spoiled = true;
  wipe(ballot.sig);
  const { y, n, min, max, e, ciphertexts } = ballot;
  const r = sec.r;
  // Recover each b_i: β − r_i·Y must be O (b_i = 0) or G (b_i = 1).
  const explicit = ciphertexts.map((ct, i) => {
    const [, beta] = splitCt(ct);
    const M = pointSub(beta, mul(r[i], y));
    if (isIdentity(M)) return 0;
    if (bytesEqual(M, G)) return 1;
    return -1;
  });
  let selection = null;
  if (!explicit.includes(-1)) {
    selection = explicit.slice();
    if (e < n) { // implicit last choice (min = max = m)
      const sum = explicit.reduce((a, b) => a + b, 0);
      selection.push(sum === max - 1 ? 1 : 0);
    }
  }
  const audit = {
    eid: ballot.eid, qid: ballot.qid, n, min, max, y, voicePk: ballot.voicePk,
    ciphertexts, r, selection,
    check: (claimed) => checkAudit({ y, n, min, max, ciphertexts, r, selection: claimed }),
    wipe: () => wipe(r),
  };
  return audit;
}

/** Wipes a ballot's randomness once it has been cast (or abandoned). */
export function forgetBallot(ballot) {
  const sec = ballotSecrets.get(ballot);
  if (sec) { wipe(sec.r); ballotSecrets.delete(ballot); }
}

// ---------------------------------------------------------------------------
// §9 credentials

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Normalises a second-channel code: drop spaces and '-', ASCII uppercase,
 *  O→0, I/L→1; then exactly 8 Crockford base32 characters or throw. */
export function normaliseCode(code) {
  if (typeof code !== 'string') fail('code: string expected');
  let out = '';
  for (const ch of code) {
    if (ch === ' ' || ch === '-') continue;
    let c = ch;
    if (c >= 'a' && c <= 'z') c = String.fromCharCode(c.charCodeAt(0) - 32); // ASCII only
    if (c === 'O') c = '0';
    else if (c === 'I' || c === 'L') c = '1';
    if (!CROCKFORD.includes(c)) fail('code: invalid character');
    out += c;
  }
  if (out.length !== 8) fail('code: 8 characters expected');
  return out;
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** Parses the link secret from the URL fragment: exactly 22 base64url
 *  characters, no padding, unused low bits zero (one leading '#' allowed). */
export function parseFragment(fragment) {
  if (typeof fragment !== 'string') fail('fragment: string expected');
  const f = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  if (f.length !== 22) fail('fragment: 22 base64url characters expected');
  const out = new Uint8Array(16);
  let acc = 0; let bits = 0; let o = 0;
  for (let i = 0; i < 22; i++) {
    const v = B64URL.indexOf(f[i]);
    if (v < 0) fail('fragment: invalid base64url character');
    acc = (acc << 6) | v; bits += 6;
    if (bits >= 8) { bits -= 8; out[o++] = (acc >> bits) & 255; acc &= (1 << bits) - 1; }
  }
  if (bits !== 4 || acc !== 0) { wipe(out); fail('fragment: non-canonical base64url'); }
  return out;
}
export function toFragment(linkSecret) {
  if (!(linkSecret instanceof Uint8Array) || linkSecret.length !== 16) fail('link secret: 16 bytes expected');
  let s = ''; let acc = 0; let bits = 0;
  for (const b of linkSecret) {
    acc = (acc << 8) | b; bits += 8;
    while (bits >= 6) { bits -= 6; s += B64URL[(acc >> bits) & 63]; }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) s += B64URL[(acc << (6 - bits)) & 63];
  return s;
}

function meetingBytes(meetingId) {
  if (typeof meetingId === 'string') return utf8(meetingId);
  if (meetingId instanceof Uint8Array) return meetingId;
  fail('meeting id: string or bytes expected');
}
export function credentialSalt(meetingId) {
  const h = H256('credential-salt', meetingBytes(meetingId));
  const salt = h.slice(0, 16);
  return salt;
}

/** §9: Argon2id13(ls || code, salt, 2 passes, 19922944 bytes) → Ed25519 seed,
 *  then crypto_sign_seed_keypair. Returns {seed, publicKey, secretKey}; the
 *  caller wipes seed and secretKey when done. */
export function deriveCredential(linkSecret, code, meetingId) {
  const s = need();
  if (!(linkSecret instanceof Uint8Array) || linkSecret.length !== 16) fail('link secret: 16 bytes expected');
  const cc = normaliseCode(code);
  const pw = concat(linkSecret, utf8(cc));
  try {
    const seed = s.crypto_pwhash(32, pw, credentialSalt(meetingId), ARGON2_OPSLIMIT, ARGON2_MEMLIMIT,
      s.crypto_pwhash_ALG_ARGON2ID13);
    const kp = s.crypto_sign_seed_keypair(seed);
    return { seed, publicKey: kp.publicKey, secretKey: kp.privateKey };
  } finally {
    wipe(pw);
  }
}
/** Ed25519 key pair from a 32-byte seed: {publicKey, secretKey}. */
export function keypairFromSeed(seed) {
  const kp = need().crypto_sign_seed_keypair(check32(seed, 'seed'));
  return { publicKey: kp.publicKey, secretKey: kp.privateKey };
}

// ---------------------------------------------------------------------------
// Signatures and §10 statements

export function sign(message, secretKey) {
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== 64) fail('secret key: 64 bytes expected');
  return need().crypto_sign_detached(message, secretKey);
}
export function verifySignature(sig, message, publicKey) {
  try {
    if (!(sig instanceof Uint8Array) || sig.length !== 64) return false;
    if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) return false;
    return need().crypto_sign_verify_detached(sig, message, publicKey);
  } catch (e) { return false; }
}
/** §10: signs T(kind, f1, …, fk). fields[0] is the eid or meeting id; fields
 *  are Uint8Array (as is), string (UTF-8) or integer (LE64). Returns
 *  {statement, sig}. */
export function signStatement(kind, fields, secretKey) {
  if (!Array.isArray(fields) || fields.length === 0) fail('statement: fields (eid or meeting id first) expected');
  const statement = transcript(kind, ...fields);
  return { statement, sig: sign(statement, secretKey) };
}
export function verifyStatement(kind, fields, sig, publicKey) {
  try { return verifySignature(sig, transcript(kind, ...fields), publicKey); } catch (e) { return false; }
}

// ---------------------------------------------------------------------------
// §6 key ceremony (DKG) and §7 decryption shares — the scrutineer's device

/** ceremony_id = H256("ceremony", meeting_id, LE64 n, LE64 t, ID_1‖BX_1, …). */
export function ceremonyId(meetingId, t, trustees) {
  if (!Array.isArray(trustees) || trustees.length < 1 || trustees.length > 16) fail('ceremony: 1..16 trustees');
  if (!Number.isInteger(t) || t < 1 || t > trustees.length) fail('ceremony: 1 <= t <= n');
  const ids = trustees.map((tr) => concat(check32(tr.idPk, 'id_pk'), check32(tr.boxPk, 'box_pk')));
  return H256('ceremony', meetingBytes(meetingId), trustees.length, t, ...ids);
}
/** eid = H256("election", ceremony_id, Y, meeting_id) (docs/api.md, docs/record.md §4). */
export function electionId(meetingId, cid, y) {
  return H256('election', check32(cid, 'ceremony_id'), check32(y, 'Y'), meetingBytes(meetingId));
}
/** cctx(i) = frame(ceremony_id) || frame(LE64 i). */
export function ceremonyContext(cid, i) { return concat(frame(check32(cid, 'ceremony_id')), frame(le64(i))); }
/** Context of the key-share proof: frame(ceremony_id) || frame(LE64 j) || frame("share"). */
export function shareContext(cid, j) { return concat(ceremonyContext(cid, j), frame(utf8('share'))); }
/** h_i = H256("dkg-commit", ceremony_id, LE64 i, C_{i,0}‖…‖C_{i,t−1}, P_i). */
export function dkgCommitHash(cid, i, commitments, pok) {
  return H256('dkg-commit', check32(cid, 'ceremony_id'), i, concat(...commitments), pok);
}

/** §6 step 1: trustee i draws a_{i,0..t−1} (non-zero), commits. rng (optional)
 *  yields a_{i,0}, …, a_{i,t−1}, then the PoK nonce. Returns
 *  {coefficients, commitments, pok, hash}; the caller keeps coefficients secret. */
export function dkgDeal(cid, i, t, rng) {
  if (!Number.isInteger(t) || t < 1 || t > 16) fail('dkg: 1 <= t <= 16');
  const coefficients = [];
  for (let k = 0; k < t; k++) coefficients.push(draw(rng, true));
  const commitments = coefficients.map((a) => mulBase(a));
  const { proof } = pokProve(ceremonyContext(cid, i), coefficients[0], rng);
  return { coefficients, commitments, pok: proof, hash: dkgCommitHash(cid, i, commitments, proof) };
}

/** §6 step 2: checks a reveal against its commitment hash: h_i, no C_{i,k} = O,
 *  and P_i. Returns a boolean. */
export function dkgCheckReveal(cid, i, t, commitments, pok, hash) {
  try {
    if (!Array.isArray(commitments) || commitments.length !== t) return false;
    for (const Ck of commitments) if (!isValidPoint(Ck) || isIdentity(Ck)) return false;
    if (!bytesEqual(dkgCommitHash(cid, i, commitments, pok), hash)) return false;
    return pokVerify(ceremonyContext(cid, i), commitments[0], pok);
  } catch (e) { return false; }
}

/** f(j) = Σ_k a_k j^k (mod ℓ). */
export function polyEval(coefficients, j) {
  const xj = scalarFromInt(j);
  let acc = new Uint8Array(32); let xp = scalarFromInt(1);
  for (const a of coefficients) {
    const term = scalarMul(a, xp);
    const next = scalarAdd(acc, term);
    wipe(acc, term); acc = next;
    xp = scalarMul(xp, xj);
  }
  return acc;
}

/** Σ_k (j^k mod ℓ)·C_k: what f(j)·G must equal. */
export function feldmanEval(commitments, j) {
  const xj = scalarFromInt(j);
  let acc = new Uint8Array(32); let xp = scalarFromInt(1);
  for (const Ck of commitments) {
    acc = pointAdd(acc, mul(xp, Ck));
    xp = scalarMul(xp, xj);
  }
  return acc;
}

/** §6 step 3: the 120-byte box of s_{i,j} from trustee i to trustee j:
 *  nonce(24) || crypto_box_easy(ceremony_id‖LE64 i‖LE64 j‖s, nonce, BX_j, bx_i). */
export function dkgBoxShare(cid, i, j, share, boxSkI, boxPkJ, nonce) {
  const s = need();
  const n = nonce || s.randombytes_buf(s.crypto_box_NONCEBYTES);
  if (n.length !== 24) fail('box: 24-byte nonce expected');
  const plain = concat(check32(cid, 'ceremony_id'), le64(i), le64(j), decodeScalar(share, { nonZero: true }));
  try {
    return concat(n, s.crypto_box_easy(plain, n, check32(boxPkJ, 'box_pk'), check32(boxSkI, 'box_sk')));
  } finally { wipe(plain); }
}

/** §6 step 4: trustee j opens the box from i, checks the header, the scalar
 *  (canonical, non-zero) and the Feldman equation against C_{i,*}. Returns
 *  the share, or throws (a complaint naming i). */
export function dkgOpenShare(cid, i, j, box, boxPkI, boxSkJ, commitmentsI) {
  const s = need();
  if (!(box instanceof Uint8Array) || box.length !== 120) fail(`share from ${i}: 120-byte box expected`);
  let plain;
  try {
    plain = s.crypto_box_open_easy(box.subarray(24), box.subarray(0, 24), check32(boxPkI, 'box_pk'), check32(boxSkJ, 'box_sk'));
  } catch (e) { fail(`share from ${i}: the box does not open`); }
  try {
    if (plain.length !== 80) fail(`share from ${i}: bad length`);
    if (!bytesEqual(plain.subarray(0, 32), cid) || !bytesEqual(plain.subarray(32, 40), le64(i)) ||
        !bytesEqual(plain.subarray(40, 48), le64(j))) fail(`share from ${i}: wrong header`);
    const share = plain.slice(48, 80);
    if (!isCanonicalScalar(share) || isZero(share)) { wipe(share); fail(`share from ${i}: invalid scalar`); }
    const lhs = mulBase(share);
    if (!bytesEqual(lhs, feldmanEval(commitmentsI, j))) { wipe(share); fail(`share from ${i}: Feldman check failed`); }
    return share;
  } finally { wipe(plain); }
}

/** §6 step 5: x_j = Σ_i s_{i,j} (not 0), Y_j and its proof of possession.
 *  Returns {x, y, pok}; the caller keeps x secret. */
export function dkgKeyShare(cid, j, shares, rng) {
  let x = new Uint8Array(32);
  for (const sh of shares) { const nx = scalarAdd(x, sh); wipe(x); x = nx; }
  if (isZero(x)) fail('dkg: x_j = 0');
  const { X, proof } = pokProve(shareContext(cid, j), x, rng);
  return { x, y: X, pok: proof };
}
/** Y_j = Σ_i Σ_k (j^k)·C_{i,k} from every trustee's commitments. */
export function verificationKey(allCommitments, j) {
  let acc = new Uint8Array(32);
  for (const Ci of allCommitments) acc = pointAdd(acc, feldmanEval(Ci, j));
  return acc;
}
/** Y = Σ_i C_{i,0}. */
export function electionKey(allCommitments) {
  let acc = new Uint8Array(32);
  for (const Ci of allCommitments) acc = pointAdd(acc, Ci[0]);
  return acc;
}
export function keySharePokVerify(cid, j, y, pok) { return pokVerify(shareContext(cid, j), y, pok); }

/** §7 context: frame(eid) || frame(qid) || frame(LE64 i) || frame(LE64 j). */
export function decryptionContext(eid, qid, i, j) {
  return concat(frame(check32(eid, 'eid')), frame(utf8(qid)), frame(le64(i)), frame(le64(j)));
}
/** §7: D_{j,i} = x_j·A for the total T_i = (A, B) with its DLEQ proof.
 *  Returns {d, proof}. */
export function decryptionShare(eid, qid, i, j, x, total, rng) {
  if (!(total instanceof Uint8Array) || total.length !== 64) fail('total: 64 bytes expected');
  const A = total.slice(0, 32);
  const r = dleqProve(decryptionContext(eid, qid, i, j), x, A, rng);
  return { d: r.D, proof: r.proof };
}
export function decryptionShareVerify(eid, qid, i, j, yj, total, d, proof) {
  try {
    if (!(total instanceof Uint8Array) || total.length !== 64) return false;
    return dleqVerify(decryptionContext(eid, qid, i, j), yj, total.slice(0, 32), d, proof);
  } catch (e) { return false; }
}
/** λ_j = Π_{k∈S, k≠j} k·(k − j)^{-1} (mod ℓ), for each j of S (in order). */
export function lagrangeAtZero(subset) {
  const s = need();
  return subset.map((j) => {
    let num = scalarFromInt(1); let den = scalarFromInt(1);
    for (const k of subset) {
      if (k === j) continue;
      num = scalarMul(num, scalarFromInt(k));
      den = scalarMul(den, scalarSub(scalarFromInt(k), scalarFromInt(j)));
    }
    return scalarMul(num, s.crypto_core_ristretto255_scalar_invert(den));
  });
}
/** Combines t shares {j, d} of one total and returns m (or -1 out of range). */
export function combineShares(total, shares, bound) {
  const subset = shares.map((sh) => sh.j);
  const lam = lagrangeAtZero(subset);
  let xA = new Uint8Array(32);
  shares.forEach((sh, k) => { xA = pointAdd(xA, mul(lam[k], sh.d)); });
  const M = pointSub(total.slice(32, 64), xA);
  return discreteLogSmall(M, bound);
}

const api = {
  ScrutinCryptoError, G_HEX, IDENTITY_HEX, PROTOCOL, ARGON2_OPSLIMIT, ARGON2_MEMLIMIT,
  init, toHex, fromHex, concat, utf8, bytesEqual, le32, le64, wipe, frame, transcript, Hs, H256,
  isCanonicalScalar, decodeScalar, isIdentity, isValidPoint, decodePoint, scalarFromInt,
  mulBase, mul, intBase, pointAdd, pointSub, scalarAdd, scalarSub, scalarMul, randomScalar,
  randomBytes, randomRng, fixedRng, encrypt, decodeCiphertext, ciphertextAdd, rerandomize,
  decryptToPoint, discreteLogSmall, pokProve, pokVerify, dleqProve, dleqVerify, memberProve,
  memberProveWithHints, memberVerify, hintsLength, questionShape, ballotContext, questionDigest, shortDigest,
  buildBallot, buildBallotWithNonces,
  parseBallotBody, verifyBallot, checkAudit, auditBallot, forgetBallot, normaliseCode,
  parseFragment, toFragment, credentialSalt, deriveCredential, keypairFromSeed, sign,
  verifySignature, signStatement, verifyStatement,
  ceremonyId, electionId, ceremonyContext, shareContext, dkgCommitHash, dkgDeal, dkgCheckReveal, polyEval,
  feldmanEval, dkgBoxShare, dkgOpenShare, dkgKeyShare, verificationKey, electionKey, keySharePokVerify,
  decryptionContext, decryptionShare, decryptionShareVerify, lagrangeAtZero, combineShares,
};

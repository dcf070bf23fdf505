// Checks a ballot's verification hints (docs/protocol.md §5.6) against its
// body with the group operations of scrutin-crypto.js, recomputed here from
// the proofs (not taken from the builder):
//   - length 64·(2e + hi − lo + 1);
//   - every 32-byte hint is a canonical ristretto255 encoding;
//   - for each proof π_1 … π_e, π_0 and each j: A_j = s_j·G − c_j·α and
//     B_j = s_j·Y − c_j·(β − v_j·G), byte for byte;
//   - Σ_j c_j = Hs("member", ctx, Y, α, β, L, hint bytes), ctx ending with
//     the question digest when one is given (scrutin/2, §5.7).
// Returns null when the hints are right, else the first reason.
// Used by crypto-vectors.mjs and crypto-browser.mjs.

export function hintsReject(C, { eid, qid, n, min, max, y, qdigest }, body, hints) {
  try {
    const p = C.parseBallotBody(body, { eid, qid, n, min, max });
    const want = 64 * (2 * p.e + (p.hi - p.lo + 1));
    if (!(hints instanceof Uint8Array) || hints.length !== want) return `hints: ${hints && hints.length} bytes, want ${want}`;
    for (let o = 0; o < hints.length; o += 32) {
      if (!C.isValidPoint(hints.subarray(o, o + 32))) return `hints: bytes ${o}… not a canonical point`;
    }
    let off = 0;
    const one = (i, ct, values, proof) => {
      const alpha = ct.subarray(0, 32); const beta = ct.subarray(32, 64);
      const h = [];
      let sum = new Uint8Array(32);
      for (let j = 0; j < values.length; j++) {
        const c = proof.subarray(64 * j, 64 * j + 32); const s = proof.subarray(64 * j + 32, 64 * j + 64);
        const A = C.pointSub(C.mulBase(s), C.mul(c, alpha));
        const betaJ = C.pointSub(beta, C.intBase(values[j]));
        const B = C.pointSub(C.mul(s, y), C.mul(c, betaJ));
        const hA = hints.subarray(off, off + 32); const hB = hints.subarray(off + 32, off + 64);
        off += 64;
        if (!C.bytesEqual(hA, A)) return `π_${i}: A_${j} ≠ s·G − c·α`;
        if (!C.bytesEqual(hB, B)) return `π_${i}: B_${j} ≠ s·Y − c·β_j`;
        h.push(hA, hB);
        sum = C.scalarAdd(sum, c);
      }
      const ctx = C.ballotContext(eid, qid, n, min, max, p.voicePk, i, qdigest);
      const L = C.concat(...values.map((v) => C.le64(v)));
      if (!C.bytesEqual(sum, C.Hs('member', ctx, y, alpha, beta, L, ...h))) return `π_${i}: Σ c_j ≠ Hs(…, hints)`;
      return null;
    };
    let S = null;
    for (let i = 0; i < p.e; i++) {
      const why = one(i + 1, p.ciphertexts[i], [0, 1], p.proofs[i]);
      if (why) return why;
      S = i === 0 ? p.ciphertexts[0] : C.ciphertextAdd(S, p.ciphertexts[i]);
    }
    const values = []; for (let v = p.lo; v <= p.hi; v++) values.push(v);
    return one(0, S, values, p.overallProof);
  } catch (e) {
    return `exception: ${e && e.message}`;
  }
}

/** Wrong hints for a right ballot, each of which hintsReject must refuse. */
export function mutatedHints(hints) {
  const out = [];
  const flip = Uint8Array.from(hints); flip[40] ^= 1;                     // B_0 of π_1, one bit
  out.push(['one bit of B_0 (π_1)', flip]);
  const swap = Uint8Array.from(hints); swap.set(hints.subarray(32, 64), 0); swap.set(hints.subarray(0, 32), 32);
  out.push(['A_0, B_0 of π_1 exchanged', swap]);
  const last = Uint8Array.from(hints); last.set(hints.subarray(hints.length - 128, hints.length - 64), hints.length - 64);
  out.push(['last pair of π_0 replaced by the one before', last]);
  out.push(['truncated by one commitment', hints.slice(0, hints.length - 32)]);
  out.push(['one commitment too many', Uint8Array.from([...hints, ...hints.subarray(0, 32)])]);
  const nonCanon = Uint8Array.from(hints); nonCanon.fill(0xff, 0, 32);
  out.push(['A_0 of π_1 not canonical', nonCanon]);
  return out;
}

/*
 * proof.c — Schnorr, Chaum-Pedersen and disjunctive membership proofs
 * (docs/protocol.md §4).
 *
 * Trusts group.c. Verification does the minimum the equations require:
 * s·G − c·X as one base multiplication, one multiplication by (−c) and
 * one addition; β_j = β − v_j·G computed once per branch (nothing for
 * v_j = 0, one subtraction of G when v_j = v_{j−1} + 1); each input point
 * decoded once; the challenge hashed incrementally with SHA-512.
 * Secrets (witness, nonces, c·x products) are wiped on every path.
 */
#include <string.h>

#include "crypto/group.h"
#include "crypto/proof.h"
#include "crypto/proof_fast.h"
#include "crypto/ristretto_fast.h"

/* OUT r = s·P − c·Q (two variable-base multiplications, one addition). */
static int
mul2_sub(uint8_t r[32], const uint8_t s[32], const uint8_t p[32],
    const uint8_t c[32], const uint8_t q[32])
{
	uint8_t negc[32], sp[32], cq[32];
	int rc;

	crypto_core_ristretto255_scalar_negate(negc, c);
	if ((rc = group_mul(sp, s, p)) != 0)
		goto out;
	if ((rc = group_mul(cq, negc, q)) != 0)
		goto out;
	rc = group_add(r, sp, cq);
out:
	sodium_memzero(negc, sizeof negc);
	sodium_memzero(sp, sizeof sp);
	sodium_memzero(cq, sizeof cq);
	return rc;
}

/* OUT s = w + c·x. */
static void
response(uint8_t s[32], const uint8_t w[32], const uint8_t c[32],
    const uint8_t x[32])
{
	uint8_t cx[32];

	crypto_core_ristretto255_scalar_mul(cx, c, x);
	crypto_core_ristretto255_scalar_add(s, w, cx);
	sodium_memzero(cx, sizeof cx);
}

/* --- pok ---------------------------------------------------------------- */

static void
pok_challenge(uint8_t c[32], const uint8_t *ctx, size_t ctx_len,
    const uint8_t x_pub[32], const uint8_t a[32])
{
	transcript t;

	transcript_init(&t, TRANSCRIPT_HS, "pok");
	transcript_field(&t, ctx, ctx_len);
	transcript_field(&t, x_pub, 32);
	transcript_field(&t, a, 32);
	transcript_final(&t, c);
}

int
proof_pok_prove_with_nonce(uint8_t proof[64], const uint8_t *ctx,
    size_t ctx_len, const uint8_t x_pub[32], const uint8_t x[32],
    const uint8_t w[32])
{
	uint8_t a[32], c[32];
	int rc;

	if (ctx_len > PROOF_CTX_MAX) {
		rc = SCRUTIN_ERR_LENGTH;
		goto out;
	}
	if ((rc = group_point_check_nonidentity(x_pub)) != 0)
		goto out;
	if ((rc = group_scalar_check_nonzero(x)) != 0)
		goto out;
	if ((rc = group_scalar_check_nonzero(w)) != 0)
		goto out;
	group_mul_base(a, w);
	pok_challenge(c, ctx, ctx_len, x_pub, a);
	memcpy(proof, c, 32);
	response(proof + 32, w, c, x);
out:
	if (rc != 0)
		memset(proof, 0, 64);
	sodium_memzero(a, sizeof a);
	return rc;
}

int
proof_pok_prove(uint8_t proof[64], const uint8_t *ctx, size_t ctx_len,
    const uint8_t x_pub[32], const uint8_t x[32])
{
	uint8_t w[32];
	int rc;

	group_scalar_random(w);
	rc = proof_pok_prove_with_nonce(proof, ctx, ctx_len, x_pub, x, w);
	sodium_memzero(w, sizeof w);
	return rc;
}

int
proof_pok_verify_ref(const uint8_t *ctx, size_t ctx_len,
    const uint8_t x_pub[32], const uint8_t proof[64])
{
	uint8_t a[32], c[32];
	int rc;

	if (ctx_len > PROOF_CTX_MAX)
		return SCRUTIN_ERR_LENGTH;
	if ((rc = group_point_check_nonidentity(x_pub)) != 0)
		return rc;
	if ((rc = group_scalar_check(proof)) != 0 ||
	    (rc = group_scalar_check(proof + 32)) != 0)
		return rc;
	if ((rc = group_base_minus(a, proof + 32, proof, x_pub)) != 0)
		return rc;
	pok_challenge(c, ctx, ctx_len, x_pub, a);
	return sodium_memcmp(c, proof, 32) == 0 ? 0 : SCRUTIN_ERR_PROOF;
}

/* --- dleq --------------------------------------------------------------- */

static void
dleq_challenge(uint8_t c[32], const uint8_t *ctx, size_t ctx_len,
    const uint8_t x_pub[32], const uint8_t p[32], const uint8_t d[32],
    const uint8_t a[32], const uint8_t b[32])
{
	transcript t;

	transcript_init(&t, TRANSCRIPT_HS, "dleq");
	transcript_field(&t, ctx, ctx_len);
	transcript_field(&t, x_pub, 32);
	transcript_field(&t, p, 32);
	transcript_field(&t, d, 32);
	transcript_field(&t, a, 32);
	transcript_field(&t, b, 32);
	transcript_final(&t, c);
}

static int
dleq_check_statement(const uint8_t *ctx, size_t ctx_len,
    const uint8_t x_pub[32], const uint8_t p[32], const uint8_t d[32])
{
	int rc;

	if (ctx_len > PROOF_CTX_MAX)
		return SCRUTIN_ERR_LENGTH;
	if ((rc = group_point_check_nonidentity(x_pub)) != 0 ||
	    (rc = group_point_check_nonidentity(p)) != 0 ||
	    (rc = group_point_check(d)) != 0)
		return rc;
	return 0;
}

int
proof_dleq_prove_with_nonce(uint8_t proof[64], const uint8_t *ctx,
    size_t ctx_len, const uint8_t x_pub[32], const uint8_t p[32],
    const uint8_t d[32], const uint8_t x[32], const uint8_t w[32])
{
	uint8_t a[32], b[32], c[32];
	int rc;

	if ((rc = dleq_check_statement(ctx, ctx_len, x_pub, p, d)) != 0)
		goto out;
	if ((rc = group_scalar_check_nonzero(x)) != 0 ||
	    (rc = group_scalar_check_nonzero(w)) != 0)
		goto out;
	group_mul_base(a, w);
	if ((rc = group_mul(b, w, p)) != 0)
		goto out;
	dleq_challenge(c, ctx, ctx_len, x_pub, p, d, a, b);
	memcpy(proof, c, 32);
	response(proof + 32, w, c, x);
out:
	if (rc != 0)
		memset(proof, 0, 64);
	sodium_memzero(a, sizeof a);
	sodium_memzero(b, sizeof b);
	return rc;
}

int
proof_dleq_prove(uint8_t proof[64], const uint8_t *ctx, size_t ctx_len,
    const uint8_t x_pub[32], const uint8_t p[32], const uint8_t d[32],
    const uint8_t x[32])
{
	uint8_t w[32];
	int rc;

	group_scalar_random(w);
	rc = proof_dleq_prove_with_nonce(proof, ctx, ctx_len, x_pub, p, d, x,
	    w);
	sodium_memzero(w, sizeof w);
	return rc;
}

int
proof_dleq_verify_ref(const uint8_t *ctx, size_t ctx_len,
    const uint8_t x_pub[32], const uint8_t p[32], const uint8_t d[32],
    const uint8_t proof[64])
{
	uint8_t a[32], b[32], c[32];
	int rc;

	if ((rc = dleq_check_statement(ctx, ctx_len, x_pub, p, d)) != 0)
		return rc;
	if ((rc = group_scalar_check(proof)) != 0 ||
	    (rc = group_scalar_check(proof + 32)) != 0)
		return rc;
	if ((rc = group_base_minus(a, proof + 32, proof, x_pub)) != 0)
		return rc;
	if ((rc = mul2_sub(b, proof + 32, p, proof, d)) != 0)
		return rc;
	dleq_challenge(c, ctx, ctx_len, x_pub, p, d, a, b);
	return sodium_memcmp(c, proof, 32) == 0 ? 0 : SCRUTIN_ERR_PROOF;
}

/* --- member ------------------------------------------------------------- */

static int
member_check_values(const uint64_t *values, size_t k)
{
	if (k < 1 || k > PROOF_MEMBER_MAX_VALUES)
		return SCRUTIN_ERR_ARGUMENT;
	for (size_t j = 1; j < k; j++)
		if (values[j] <= values[j - 1])
			return SCRUTIN_ERR_ARGUMENT;
	return 0;
}

/* What both verifiers (reference and fast) check before any group
 * arithmetic: the context's size, the values, the proof's length and that
 * every challenge and response is a canonical scalar. */
static int
member_verify_check(size_t ctx_len, const uint64_t *values, size_t k,
    const uint8_t *proof, size_t proof_len)
{
	int rc;

	if (ctx_len > PROOF_CTX_MAX)
		return SCRUTIN_ERR_LENGTH;
	if ((rc = member_check_values(values, k)) != 0)
		return rc;
	if (proof_len != PROOF_MEMBER_BYTES(k))
		return SCRUTIN_ERR_LENGTH;
	for (size_t i = 0; i < 2 * k; i++)
		if ((rc = group_scalar_check(proof + 32 * i)) != 0)
			return rc;
	return 0;
}

/* Starts the member challenge: label, ctx, Y, α, β, L. */
static void
member_transcript_start(transcript *t, const uint8_t *ctx, size_t ctx_len,
    const uint8_t y[32], const uint8_t ct[64], const uint64_t *values,
    size_t k)
{
	uint8_t le[8];

	transcript_init(t, TRANSCRIPT_HS, "member");
	transcript_field(t, ctx, ctx_len);
	transcript_field(t, y, 32);
	transcript_field(t, ct, 32);
	transcript_field(t, ct + 32, 32);
	transcript_field_begin(t, 8 * k);
	for (size_t j = 0; j < k; j++) {
		group_le64_put(le, values[j]);
		transcript_raw(t, le, sizeof le);
	}
}

/* OUT bj = β − v_j·G, given prev = β_{j−1} (j > 0): a copy for v_j = 0,
 * one subtraction of G when v_j = 1 or v_j = v_{j−1} + 1, otherwise one
 * base multiplication and one subtraction. */
static int
member_beta(uint8_t bj[32], const uint8_t beta[32], const uint8_t prev[32],
    const uint64_t *values, size_t j)
{
	uint8_t vs[32], vg[32];

	if (values[j] == 0) {
		memcpy(bj, beta, 32);
		return 0;
	}
	if (j > 0 && values[j] == values[j - 1] + 1)
		return group_sub(bj, prev, group_generator);
	if (values[j] == 1)
		return group_sub(bj, beta, group_generator);
	group_scalar_from_u64(vs, values[j]);
	group_mul_base(vg, vs);
	return group_sub(bj, beta, vg);
}

int
proof_member_prove_with_nonces(uint8_t *proof, const uint8_t *ctx,
    size_t ctx_len, const uint8_t y[32], const uint8_t ct[64],
    const uint64_t *values, size_t k, size_t index, const uint8_t r[32],
    const uint8_t (*nonces)[32])
{
	return proof_member_prove_hints(proof, NULL, ctx, ctx_len, y, ct,
	    values, k, index, r, nonces);
}

int
proof_member_prove_hints(uint8_t *proof, uint8_t *hints, const uint8_t *ctx,
    size_t ctx_len, const uint8_t y[32], const uint8_t ct[64],
    const uint64_t *values, size_t k, size_t index, const uint8_t r[32],
    const uint8_t (*nonces)[32])
{
	transcript t;
	uint8_t bj[32], prev[32], a[32], b[32], c[32], csum[32], cstar[32];
	size_t next = 1;
	int rc;

	memset(csum, 0, sizeof csum);
	memset(prev, 0, sizeof prev);
	if (ctx_len > PROOF_CTX_MAX) {
		rc = SCRUTIN_ERR_LENGTH;
		goto out;
	}
	if ((rc = member_check_values(values, k)) != 0)
		goto out;
	if (index >= k) {
		rc = SCRUTIN_ERR_ARGUMENT;
		goto out;
	}
	if ((rc = group_point_check_nonidentity(y)) != 0 ||
	    (rc = group_point_check_nonidentity(ct)) != 0 ||
	    (rc = group_point_check(ct + 32)) != 0)
		goto out;
	if ((rc = group_scalar_check_nonzero(r)) != 0 ||
	    (rc = group_scalar_check_nonzero(nonces[0])) != 0)
		goto out;
	for (size_t i = 1; i < 2 * k - 1; i++)
		if ((rc = group_scalar_check(nonces[i])) != 0)
			goto out;

	member_transcript_start(&t, ctx, ctx_len, y, ct, values, k);
	for (size_t j = 0; j < k; j++) {
		if ((rc = member_beta(bj, ct + 32, prev, values, j)) != 0)
			goto out_t;
		memcpy(prev, bj, 32);
		if (j == index) {
			group_mul_base(a, nonces[0]);
			if ((rc = group_mul(b, nonces[0], y)) != 0)
				goto out_t;
		} else {
			const uint8_t *cj = nonces[next], *sj = nonces[next + 1];

			next += 2;
			memcpy(proof + 64 * j, cj, 32);
			memcpy(proof + 64 * j + 32, sj, 32);
			crypto_core_ristretto255_scalar_add(csum, csum, cj);
			if ((rc = group_base_minus(a, sj, cj, ct)) != 0 ||
			    (rc = mul2_sub(b, sj, y, cj, bj)) != 0)
				goto out_t;
		}
		transcript_field(&t, a, 32);
		transcript_field(&t, b, 32);
		if (hints != NULL) {
			memcpy(hints + 64 * j, a, 32);
			memcpy(hints + 64 * j + 32, b, 32);
		}
	}
	transcript_final(&t, c);
	crypto_core_ristretto255_scalar_sub(cstar, c, csum);
	memcpy(proof + 64 * index, cstar, 32);
	response(proof + 64 * index + 32, nonces[0], cstar, r);
	goto out;
out_t:
	sodium_memzero(&t, sizeof t);
out:
	if (rc != 0) {
		size_t kk = k <= PROOF_MEMBER_MAX_VALUES ? k : 0;

		memset(proof, 0, PROOF_MEMBER_BYTES(kk));
		if (hints != NULL)
			memset(hints, 0, PROOF_MEMBER_BYTES(kk));
	}
	sodium_memzero(a, sizeof a);
	sodium_memzero(b, sizeof b);
	sodium_memzero(cstar, sizeof cstar);
	sodium_memzero(csum, sizeof csum);
	return rc;
}

int
proof_member_prove(uint8_t *proof, const uint8_t *ctx, size_t ctx_len,
    const uint8_t y[32], const uint8_t ct[64], const uint64_t *values,
    size_t k, size_t index, const uint8_t r[32])
{
	uint8_t nonces[2 * PROOF_MEMBER_MAX_VALUES - 1][32];
	int rc;

	if (k < 1 || k > PROOF_MEMBER_MAX_VALUES)
		return SCRUTIN_ERR_ARGUMENT;
	group_scalar_random(nonces[0]);
	for (size_t i = 1; i < 2 * k - 1; i++)
		crypto_core_ristretto255_scalar_random(nonces[i]);
	rc = proof_member_prove_with_nonces(proof, ctx, ctx_len, y, ct, values,
	    k, index, r, (const uint8_t (*)[32])nonces);
	sodium_memzero(nonces, sizeof nonces);
	return rc;
}

int
proof_member_verify_checked_ref(const uint8_t *ctx, size_t ctx_len,
    const uint8_t y[32], const uint8_t ct[64], const uint64_t *values,
    size_t k, const uint8_t *proof, size_t proof_len)
{
	transcript t;
	uint8_t bj[32], prev[32], a[32], b[32], c[32], csum[32];
	int rc;

	if ((rc = member_verify_check(ctx_len, values, k, proof,
	    proof_len)) != 0)
		return rc;

	memset(csum, 0, sizeof csum);
	memset(prev, 0, sizeof prev);
	member_transcript_start(&t, ctx, ctx_len, y, ct, values, k);
	for (size_t j = 0; j < k; j++) {
		const uint8_t *cj = proof + 64 * j, *sj = cj + 32;

		if ((rc = member_beta(bj, ct + 32, prev, values, j)) != 0)
			goto out;
		memcpy(prev, bj, 32);
		if ((rc = group_base_minus(a, sj, cj, ct)) != 0 ||
		    (rc = mul2_sub(b, sj, y, cj, bj)) != 0)
			goto out;
		crypto_core_ristretto255_scalar_add(csum, csum, cj);
		transcript_field(&t, a, 32);
		transcript_field(&t, b, 32);
	}
	transcript_final(&t, c);
	return sodium_memcmp(c, csum, 32) == 0 ? 0 : SCRUTIN_ERR_PROOF;
out:
	sodium_memzero(&t, sizeof t);
	return rc;
}

void
proof_member_challenge(uint8_t c[32], const uint8_t *ctx, size_t ctx_len,
    const uint8_t y[32], const uint8_t ct[64], const uint64_t *values,
    size_t k, const uint8_t *commits)
{
	transcript t;

	member_transcript_start(&t, ctx, ctx_len, y, ct, values, k);
	for (size_t j = 0; j < 2 * k; j++)
		transcript_field(&t, commits + 32 * j, 32);
	transcript_final(&t, c);
}

int
proof_member_check_hints(const uint8_t *ctx, size_t ctx_len,
    const uint8_t y[32], const uint8_t ct[64], const uint64_t *values,
    size_t k, const uint8_t *proof, size_t proof_len, const uint8_t *hints)
{
	uint8_t c[32], csum[32];
	int rc;

	if ((rc = member_verify_check(ctx_len, values, k, proof,
	    proof_len)) != 0)
		return rc;
	memset(csum, 0, sizeof csum);
	for (size_t j = 0; j < k; j++)
		crypto_core_ristretto255_scalar_add(csum, csum, proof + 64 * j);
	proof_member_challenge(c, ctx, ctx_len, y, ct, values, k, hints);
	return sodium_memcmp(c, csum, 32) == 0 ? 0 : SCRUTIN_ERR_PROOF;
}

int
proof_member_verify_checked(const uint8_t *ctx, size_t ctx_len,
    const uint8_t y[32], const uint8_t ct[64], const uint64_t *values,
    size_t k, const uint8_t *proof, size_t proof_len)
{
	return proof_member_verify_checked_ref(ctx, ctx_len, y, ct, values, k,
	    proof, proof_len);
}

int
proof_member_verify_ref(const uint8_t *ctx, size_t ctx_len,
    const uint8_t y[32], const uint8_t ct[64], const uint64_t *values,
    size_t k, const uint8_t *proof, size_t proof_len)
{
	int rc;

	if ((rc = group_point_check_nonidentity(y)) != 0 ||
	    (rc = group_point_check_nonidentity(ct)) != 0 ||
	    (rc = group_point_check(ct + 32)) != 0)
		return rc;
	return proof_member_verify_checked_ref(ctx, ctx_len, y, ct, values, k,
	    proof, proof_len);
}

/* --- the variable-time verifiers (public data only) ---------------------
 *
 * Same checks, in the same order, with the same return codes as the
 * reference verifiers above; only the arithmetic differs: each commitment
 * s·G − c·X (or s·P − c·D) is one double-scalar multiplication (c's digits
 * negated) in extended coordinates, encoded once for the hash; β_j is
 * derived from β in extended coordinates. Points are decoded by rf_decode
 * only after libsodium (group_point_check*) accepted them; should the two
 * ever disagree (a bug the tests look for), we fail closed. */

/* Decodes an encoding that group_point_check already accepted. */
static int
decode_checked(rf_point *p, const uint8_t s[32])
{
	return rf_decode(p, s) == 0 ? 0 : SCRUTIN_ERR_POINT;
}

static int
proof_pok_verify_fast(const uint8_t *ctx, size_t ctx_len,
    const uint8_t x_pub[32], const uint8_t proof[64])
{
	uint8_t a[32], c[32];
	rf_point x, ap;
	rf_var_table tx;
	int rc;

	if (ctx_len > PROOF_CTX_MAX)
		return SCRUTIN_ERR_LENGTH;
	if ((rc = group_point_check_nonidentity(x_pub)) != 0)
		return rc;
	if ((rc = group_scalar_check(proof)) != 0 ||
	    (rc = group_scalar_check(proof + 32)) != 0)
		return rc;
	if ((rc = decode_checked(&x, x_pub)) != 0)
		return rc;
	rf_var_table_init(&tx, &x);
	rf_mul2(&ap, proof + 32, rf_base_table(), NULL, proof, NULL, &tx, 1);
	rf_encode(a, &ap);
	pok_challenge(c, ctx, ctx_len, x_pub, a);
	return sodium_memcmp(c, proof, 32) == 0 ? 0 : SCRUTIN_ERR_PROOF;
}

int
proof_pok_verify(const uint8_t *ctx, size_t ctx_len, const uint8_t x_pub[32],
    const uint8_t proof[64])
{
	if (rf_enabled())
		return proof_pok_verify_fast(ctx, ctx_len, x_pub, proof);
	return proof_pok_verify_ref(ctx, ctx_len, x_pub, proof);
}

static int
proof_dleq_verify_fast(const uint8_t *ctx, size_t ctx_len,
    const uint8_t x_pub[32], const uint8_t p[32], const uint8_t d[32],
    const uint8_t proof[64])
{
	uint8_t a[32], b[32], c[32];
	rf_point xp, pp, dp, r;
	rf_var_table tx, tp, td;
	int rc;

	if ((rc = dleq_check_statement(ctx, ctx_len, x_pub, p, d)) != 0)
		return rc;
	if ((rc = group_scalar_check(proof)) != 0 ||
	    (rc = group_scalar_check(proof + 32)) != 0)
		return rc;
	if ((rc = decode_checked(&xp, x_pub)) != 0 ||
	    (rc = decode_checked(&pp, p)) != 0 ||
	    (rc = decode_checked(&dp, d)) != 0)
		return rc;
	rf_var_table_init(&tx, &xp);
	rf_var_table_init(&tp, &pp);
	rf_var_table_init(&td, &dp);
	rf_mul2(&r, proof + 32, rf_base_table(), NULL, proof, NULL, &tx, 1);
	rf_encode(a, &r);
	rf_mul2(&r, proof + 32, NULL, &tp, proof, NULL, &td, 1);
	rf_encode(b, &r);
	dleq_challenge(c, ctx, ctx_len, x_pub, p, d, a, b);
	return sodium_memcmp(c, proof, 32) == 0 ? 0 : SCRUTIN_ERR_PROOF;
}

int
proof_dleq_verify(const uint8_t *ctx, size_t ctx_len, const uint8_t x_pub[32],
    const uint8_t p[32], const uint8_t d[32], const uint8_t proof[64])
{
	if (rf_enabled())
		return proof_dleq_verify_fast(ctx, ctx_len, x_pub, p, d, proof);
	return proof_dleq_verify_ref(ctx, ctx_len, x_pub, p, d, proof);
}

int
proof_member_verify_fast(const uint8_t *ctx, size_t ctx_len,
    const rf_key *key, const uint8_t ct[64], const rf_point *alpha,
    const rf_point *beta, const uint64_t *values, size_t k,
    const uint8_t *proof, size_t proof_len)
{
	transcript t;
	uint8_t a[32], b[32], c[32], csum[32], vs[32];
	rf_point bj, prev, r, vg;
	rf_var_table ta, tb;
	rf_cached g;
	int rc;

	if ((rc = member_verify_check(ctx_len, values, k, proof,
	    proof_len)) != 0)
		return rc;

	memset(csum, 0, sizeof csum);
	rf_to_cached(&g, rf_base());
	rf_var_table_init(&ta, alpha);
	prev = *beta;
	member_transcript_start(&t, ctx, ctx_len, key->enc, ct, values, k);
	for (size_t j = 0; j < k; j++) {
		const uint8_t *cj = proof + 64 * j, *sj = cj + 32;

		/* β_j = β − v_j·G, as member_beta() does it. */
		if (values[j] == 0) {
			bj = *beta;
		} else if (j > 0 && values[j] == values[j - 1] + 1) {
			rf_sub_cached(&bj, &prev, &g);
		} else if (values[j] == 1) {
			rf_sub_cached(&bj, beta, &g);
		} else {
			group_scalar_from_u64(vs, values[j]);
			rf_mul_base(&vg, vs);
			rf_sub(&bj, beta, &vg);
		}
		prev = bj;
		/* A_j = s_j·G − c_j·α, B_j = s_j·Y − c_j·β_j. */
		rf_mul2(&r, sj, rf_base_table(), NULL, cj, NULL, &ta, 1);
		rf_encode(a, &r);
		rf_var_table_init(&tb, &bj);
		rf_mul2(&r, sj, &key->tab, NULL, cj, NULL, &tb, 1);
		rf_encode(b, &r);
		crypto_core_ristretto255_scalar_add(csum, csum, cj);
		transcript_field(&t, a, 32);
		transcript_field(&t, b, 32);
	}
	transcript_final(&t, c);
	return sodium_memcmp(c, csum, 32) == 0 ? 0 : SCRUTIN_ERR_PROOF;
}

static int
proof_member_verify_fast_bytes(const uint8_t *ctx, size_t ctx_len,
    const uint8_t y[32], const uint8_t ct[64], const uint64_t *values,
    size_t k, const uint8_t *proof, size_t proof_len)
{
	const rf_key *key;
	rf_point alpha, beta;
	int rc;

	/* The same checks in the same order as proof_member_verify_ref:
	 * rf_key_cached runs group_point_check_nonidentity(y) (or found
	 * these very bytes already accepted). */
	if ((rc = rf_key_cached(&key, y)) != 0 ||
	    (rc = group_point_check_nonidentity(ct)) != 0 ||
	    (rc = group_point_check(ct + 32)) != 0)
		return rc;
	if ((rc = decode_checked(&alpha, ct)) != 0 ||
	    (rc = decode_checked(&beta, ct + 32)) != 0)
		return rc;
	return proof_member_verify_fast(ctx, ctx_len, key, ct, &alpha, &beta,
	    values, k, proof, proof_len);
}

int
proof_member_verify(const uint8_t *ctx, size_t ctx_len, const uint8_t y[32],
    const uint8_t ct[64], const uint64_t *values, size_t k,
    const uint8_t *proof, size_t proof_len)
{
	if (rf_enabled())
		return proof_member_verify_fast_bytes(ctx, ctx_len, y, ct,
		    values, k, proof, proof_len);
	return proof_member_verify_ref(ctx, ctx_len, y, ct, values, k, proof,
	    proof_len);
}

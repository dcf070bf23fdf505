/*
 * test_crypto.c — unit tests of crypto/ (docs/protocol.md): encodings and
 * identity rules, ElGamal, every proof with every field altered, ballots
 * for several questions (implicit last choice, forged selections,
 * truncations), the key ceremony with a cheating dealer, threshold
 * decryption over every t-subset with a bad share named, baby-step
 * giant-step bounds, credentials, strict hex/base64url, and randomised
 * whole elections checked against the plain sums.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/scrutin_crypto.h"
#include "tests/check.h"

static const uint8_t ORDER[32] = {
	0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
	0xa2, 0xde, 0xf9, 0xde, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
};

static uint32_t
rnd(uint32_t n)
{
	return n == 0 ? 0 : randombytes_uniform(n);
}

static void
keypair(uint8_t x[32], uint8_t y[32])
{
	group_scalar_random(x);
	group_mul_base(y, x);
}

static void
scalar_u64(uint8_t s[32], uint64_t v)
{
	group_scalar_from_u64(s, v);
}

/* m·G */
static void
point_u64(uint8_t p[32], uint64_t v)
{
	uint8_t s[32];

	scalar_u64(s, v);
	group_mul_base(p, s);
}

/* --- encodings ------------------------------------------------------ */

static void
test_encodings(void)
{
	uint8_t s[32], p[32], q[32], r[32], one[32], zero[32] = { 0 };

	/* G is base(1), and the protocol's constant. */
	scalar_u64(one, 1);
	group_mul_base(p, one);
	CHECK(memcmp(p, group_generator, 32) == 0);
	CHECK(group_point_check_nonidentity(group_generator) == 0);

	/* The identity: valid, refused where forbidden. */
	CHECK(crypto_core_ristretto255_is_valid_point(zero) == 1);
	CHECK(group_point_check(zero) == 0);
	CHECK(group_point_check_nonidentity(zero) == SCRUTIN_ERR_IDENTITY);

	/* Scalars: l and above refused, l − 1 and 0 accepted. */
	CHECK(group_scalar_check(ORDER) == SCRUTIN_ERR_SCALAR);
	memcpy(s, ORDER, 32);
	s[0]--;
	CHECK(group_scalar_check(s) == 0);
	s[0] += 2;
	CHECK(group_scalar_check(s) == SCRUTIN_ERR_SCALAR);
	memset(s, 0xff, 32);
	CHECK(group_scalar_check(s) == SCRUTIN_ERR_SCALAR);
	memset(s, 0, 32);
	s[31] = 0x10;	/* 2^252 < l */
	CHECK(group_scalar_check(s) == 0);
	s[31] = 0x20;
	CHECK(group_scalar_check(s) == SCRUTIN_ERR_SCALAR);
	CHECK(group_scalar_check(zero) == 0);
	CHECK(group_scalar_check_nonzero(zero) == SCRUTIN_ERR_ZERO);
	CHECK(group_scalar_check_nonzero(one) == 0);

	/* Points: p = 2^255 − 19 and p + small (non-canonical field
	 * elements), odd s ("negative"), top bit set, garbage. */
	for (int k = 0; k < 19; k += 2) {
		memset(p, 0xff, 32);
		p[31] = 0x7f;
		p[0] = (uint8_t)(0xed + k);	/* p + k, k even */
		CHECK(group_point_check(p) == SCRUTIN_ERR_POINT);
	}
	scalar_u64(p, 1);	/* s = 1 is negative: not canonical */
	CHECK(group_point_check(p) == SCRUTIN_ERR_POINT);
	memcpy(p, group_generator, 32);
	p[31] |= 0x80;
	CHECK(group_point_check(p) == SCRUTIN_ERR_POINT);
	memcpy(p, group_generator, 32);
	p[0] ^= 1;
	CHECK(group_point_check(p) == SCRUTIN_ERR_POINT);

	/* Wrappers around libsodium's "-1 for identity". */
	keypair(s, p);
	CHECK(group_mul(q, zero, p) == 0 && group_point_is_identity(q));
	CHECK(group_mul(q, s, zero) == 0 && group_point_is_identity(q));
	group_mul_base(q, zero);
	CHECK(group_point_is_identity(q));
	memset(r, 0xff, 32);
	CHECK(group_mul(q, s, r) == SCRUTIN_ERR_POINT);
	CHECK(group_mul(q, zero, r) == SCRUTIN_ERR_POINT);
	CHECK(group_add(q, p, zero) == 0 && memcmp(q, p, 32) == 0);
	CHECK(group_sub(q, p, p) == 0 && group_point_is_identity(q));
	CHECK(group_add(q, p, r) == SCRUTIN_ERR_POINT);
	/* s·G − c·X with X = x·G equals (s − c·x)·G. */
	{
		uint8_t x[32], X[32], c[32], e[32], want[32], got[32];

		keypair(x, X);
		group_scalar_random(c);
		crypto_core_ristretto255_scalar_mul(e, c, x);
		crypto_core_ristretto255_scalar_sub(e, s, e);
		group_mul_base(want, e);
		CHECK(group_base_minus(got, s, c, X) == 0);
		CHECK(memcmp(want, got, 32) == 0);
		CHECK(group_base_minus(got, s, c, r) == SCRUTIN_ERR_POINT);
	}

	/* Framing: T(label, f) by hand. */
	{
		uint8_t buf[64], h1[32], h2[32], wide[64];
		const uint8_t *fields[2] = { (const uint8_t *)"ab",
		    (const uint8_t *)"" };
		size_t lens[2] = { 2, 0 };
		size_t o = 0;

		memcpy(buf + o, "\x09\0\0\0scrutin/1", 13);
		o += 13;
		memcpy(buf + o, "\x03\0\0\0abc", 7);
		o += 7;
		memcpy(buf + o, "\x02\0\0\0ab", 6);
		o += 6;
		memcpy(buf + o, "\0\0\0\0", 4);
		o += 4;
		crypto_hash_sha256(h1, buf, o);
		transcript_hash(h2, TRANSCRIPT_H256, "abc", fields, lens, 2);
		CHECK(memcmp(h1, h2, 32) == 0);
		crypto_hash_sha512(wide, buf, o);
		crypto_core_ristretto255_scalar_reduce(h1, wide);
		transcript_hash(h2, TRANSCRIPT_HS, "abc", fields, lens, 2);
		CHECK(memcmp(h1, h2, 32) == 0);
		lens[1] = 1;
		fields[1] = (const uint8_t *)"";
		transcript_hash(h2, TRANSCRIPT_HS, "abc", fields, lens, 2);
		CHECK(memcmp(h1, h2, 32) != 0);
	}
	CHECK(strcmp(scrutin_strerror(SCRUTIN_ERR_PROOF),
	    "proof does not verify") == 0);
	CHECK(strcmp(scrutin_strerror(12345), "unknown error") == 0);
}

/* --- ElGamal --------------------------------------------------------- */

static void
test_elgamal(void)
{
	uint8_t x[32], y[32], r[32], r2[32], ct[64], ct2[64], sum[64], m[32];
	uint8_t want[32], zero[32] = { 0 };

	keypair(x, y);
	for (uint64_t v = 0; v < 5; v++) {
		group_scalar_random(r);
		CHECK(elgamal_encrypt(ct, y, v, r) == 0);
		CHECK(elgamal_ciphertext_check(ct, 0) == 0);
		CHECK(elgamal_decrypt_point(m, x, ct) == 0);
		point_u64(want, v);
		CHECK(memcmp(m, want, 32) == 0);
		group_scalar_random(r2);
		CHECK(elgamal_rerandomise(ct2, y, ct, r2) == 0);
		CHECK(memcmp(ct2, ct, 64) != 0);
		CHECK(elgamal_decrypt_point(m, x, ct2) == 0);
		CHECK(memcmp(m, want, 32) == 0);
		/* Re-randomising with r2 = encrypting with r + r2. */
		crypto_core_ristretto255_scalar_add(r, r, r2);
		CHECK(elgamal_encrypt(sum, y, v, r) == 0);
		CHECK(memcmp(sum, ct2, 64) == 0);
	}
	CHECK(elgamal_encrypt_random(ct, r, y, 3) == 0);
	CHECK(elgamal_encrypt_random(ct2, NULL, y, 4) == 0);
	CHECK(elgamal_add(sum, ct, ct2) == 0);
	CHECK(elgamal_decrypt_point(m, x, sum) == 0);
	point_u64(want, 7);
	CHECK(memcmp(m, want, 32) == 0);
	/* Rejections. */
	CHECK(elgamal_encrypt(ct, zero, 1, r) == SCRUTIN_ERR_IDENTITY);
	CHECK(elgamal_encrypt(ct, y, 1, zero) == SCRUTIN_ERR_ZERO);
	CHECK(elgamal_encrypt(ct, y, 1, ORDER) == SCRUTIN_ERR_SCALAR);
	memset(ct2, 0, 64);
	memcpy(ct2 + 32, group_generator, 32);
	CHECK(elgamal_ciphertext_check(ct2, 0) == SCRUTIN_ERR_IDENTITY);
	CHECK(elgamal_ciphertext_check(ct2, 1) == 0);
	ct2[40] ^= 0x55;
	CHECK(elgamal_ciphertext_check(ct2, 1) == SCRUTIN_ERR_POINT);
	CHECK(elgamal_add(sum, ct, ct2) == SCRUTIN_ERR_POINT);
	CHECK(sodium_is_zero(sum, 64));
}

/* --- proofs ---------------------------------------------------------- */

static void
test_pok_dleq(void)
{
	static const uint8_t ctx[] = "context-A", ctx2[] = "context-B";
	uint8_t x[32], X[32], X2[32], pf[64], bad[64], zero[32] = { 0 };
	uint8_t p[32], pp[32], D[32], D2[32];

	keypair(x, X);
	CHECK(proof_pok_prove(pf, ctx, sizeof ctx, X, x) == 0);
	CHECK(proof_pok_verify(ctx, sizeof ctx, X, pf) == 0);
	CHECK(proof_pok_verify(ctx2, sizeof ctx2, X, pf) == SCRUTIN_ERR_PROOF);
	CHECK(proof_pok_verify(ctx, sizeof ctx - 1, X, pf) ==
	    SCRUTIN_ERR_PROOF);
	keypair(p, X2);
	CHECK(proof_pok_verify(ctx, sizeof ctx, X2, pf) == SCRUTIN_ERR_PROOF);
	CHECK(proof_pok_verify(ctx, sizeof ctx, zero, pf) ==
	    SCRUTIN_ERR_IDENTITY);
	for (int i = 0; i < 64; i += 7) {
		memcpy(bad, pf, 64);
		bad[i] ^= 1;
		CHECK(proof_pok_verify(ctx, sizeof ctx, X, bad) != 0);
	}
	memcpy(bad, pf, 64);
	memcpy(bad, ORDER, 32);
	CHECK(proof_pok_verify(ctx, sizeof ctx, X, bad) == SCRUTIN_ERR_SCALAR);
	/* c + l would be the same challenge mod l: must be refused. */
	memcpy(bad, pf, 64);
	memcpy(bad + 32, ORDER, 32);
	CHECK(proof_pok_verify(ctx, sizeof ctx, X, bad) == SCRUTIN_ERR_SCALAR);
	/* Wrong witness. */
	CHECK(proof_pok_prove(pf, ctx, sizeof ctx, X2, x) == 0);
	CHECK(proof_pok_verify(ctx, sizeof ctx, X2, pf) == SCRUTIN_ERR_PROOF);
	CHECK(proof_pok_prove(pf, ctx, sizeof ctx, X, zero) ==
	    SCRUTIN_ERR_ZERO);
	/* Deterministic with a fixed nonce; zero nonce refused. */
	CHECK(proof_pok_prove_with_nonce(pf, ctx, sizeof ctx, X, x, p) == 0);
	CHECK(proof_pok_prove_with_nonce(bad, ctx, sizeof ctx, X, x, p) == 0);
	CHECK(memcmp(pf, bad, 64) == 0);
	CHECK(proof_pok_prove_with_nonce(bad, ctx, sizeof ctx, X, x, zero) ==
	    SCRUTIN_ERR_ZERO);

	/* DLEQ. */
	keypair(pp, p);
	CHECK(group_mul(D, x, p) == 0);
	CHECK(proof_dleq_prove(pf, ctx, sizeof ctx, X, p, D, x) == 0);
	CHECK(proof_dleq_verify(ctx, sizeof ctx, X, p, D, pf) == 0);
	CHECK(proof_dleq_verify(ctx2, sizeof ctx2, X, p, D, pf) ==
	    SCRUTIN_ERR_PROOF);
	CHECK(proof_dleq_verify(ctx, sizeof ctx, X2, p, D, pf) ==
	    SCRUTIN_ERR_PROOF);
	CHECK(proof_dleq_verify(ctx, sizeof ctx, X, X2, D, pf) ==
	    SCRUTIN_ERR_PROOF);
	CHECK(group_add(D2, D, group_generator) == 0);
	CHECK(proof_dleq_verify(ctx, sizeof ctx, X, p, D2, pf) ==
	    SCRUTIN_ERR_PROOF);
	CHECK(proof_dleq_verify(ctx, sizeof ctx, X, zero, D, pf) ==
	    SCRUTIN_ERR_IDENTITY);
	CHECK(proof_dleq_verify(ctx, sizeof ctx, zero, p, D, pf) ==
	    SCRUTIN_ERR_IDENTITY);
	for (int i = 0; i < 64; i += 5) {
		memcpy(bad, pf, 64);
		bad[i] ^= 0x10;
		CHECK(proof_dleq_verify(ctx, sizeof ctx, X, p, bad, pf) != 0);
		CHECK(proof_dleq_verify(ctx, sizeof ctx, X, p, D, bad) != 0);
	}
	/* A false statement (D2 ≠ x·P) does not verify. */
	CHECK(proof_dleq_prove(pf, ctx, sizeof ctx, X, p, D2, x) == 0);
	CHECK(proof_dleq_verify(ctx, sizeof ctx, X, p, D2, pf) ==
	    SCRUTIN_ERR_PROOF);
}

static void
test_member(void)
{
	static const uint8_t ctx[] = "member-ctx";
	static const uint64_t v01[2] = { 0, 1 }, v0_3[4] = { 0, 1, 2, 3 };
	static const uint64_t vsparse[3] = { 2, 5, 9 }, vone[1] = { 4 };
	static const uint64_t vbad[2] = { 1, 1 }, v12[2] = { 1, 2 };
	uint8_t x[32], y[32], y2[32], r[32], ct[64], ct2[64];
	uint8_t pf[64 * 4], bad[64 * 4], zero[32] = { 0 };
	struct {
		const uint64_t *v;
		size_t k;
	} sets[] = { { v01, 2 }, { v0_3, 4 }, { vsparse, 3 }, { vone, 1 } };

	keypair(x, y);
	keypair(r, y2);
	for (size_t si = 0; si < sizeof sets / sizeof sets[0]; si++) {
		const uint64_t *v = sets[si].v;
		size_t k = sets[si].k, len = PROOF_MEMBER_BYTES(k);

		for (size_t idx = 0; idx < k; idx++) {
			group_scalar_random(r);
			CHECK(elgamal_encrypt(ct, y, v[idx], r) == 0);
			CHECK(proof_member_prove(pf, ctx, sizeof ctx, y, ct, v,
			    k, idx, r) == 0);
			CHECK(proof_member_verify(ctx, sizeof ctx, y, ct, v, k,
			    pf, len) == 0);
			/* Every byte group of the proof altered. */
			for (size_t i = 0; i < len; i += 11) {
				memcpy(bad, pf, len);
				bad[i] ^= 0x04;
				CHECK(proof_member_verify(ctx, sizeof ctx, y,
				    ct, v, k, bad, len) != 0);
			}
			/* Statement altered: ctx, Y, α, β, values. */
			CHECK(proof_member_verify(ctx, sizeof ctx - 1, y, ct,
			    v, k, pf, len) == SCRUTIN_ERR_PROOF);
			CHECK(proof_member_verify(ctx, sizeof ctx, y2, ct, v,
			    k, pf, len) == SCRUTIN_ERR_PROOF);
			memcpy(ct2, ct, 64);
			CHECK(group_add(ct2, ct2, group_generator) == 0);
			CHECK(proof_member_verify(ctx, sizeof ctx, y, ct2, v,
			    k, pf, len) == SCRUTIN_ERR_PROOF);
			memcpy(ct2, ct, 64);
			CHECK(group_add(ct2 + 32, ct2 + 32, group_generator) ==
			    0);
			CHECK(proof_member_verify(ctx, sizeof ctx, y, ct2, v,
			    k, pf, len) == SCRUTIN_ERR_PROOF);
			if (k == 2 && v == v01)
				CHECK(proof_member_verify(ctx, sizeof ctx, y,
				    ct, v12, 2, pf, len) == SCRUTIN_ERR_PROOF);
			/* Truncated, extended. */
			CHECK(proof_member_verify(ctx, sizeof ctx, y, ct, v, k,
			    pf, len - 32) == SCRUTIN_ERR_LENGTH);
			CHECK(proof_member_verify(ctx, sizeof ctx, y, ct, v, k,
			    pf, len + 64) == SCRUTIN_ERR_LENGTH);
			/* A false index: the proof does not verify. */
			if (k > 1) {
				size_t other = (idx + 1) % k;

				CHECK(proof_member_prove(pf, ctx, sizeof ctx,
				    y, ct, v, k, other, r) == 0);
				CHECK(proof_member_verify(ctx, sizeof ctx, y,
				    ct, v, k, pf, len) == SCRUTIN_ERR_PROOF);
			}
		}
	}
	/* A value outside the list, whichever index is claimed. */
	group_scalar_random(r);
	CHECK(elgamal_encrypt(ct, y, 2, r) == 0);
	for (size_t idx = 0; idx < 2; idx++) {
		CHECK(proof_member_prove(pf, ctx, sizeof ctx, y, ct, v01, 2, idx,
		    r) == 0);
		CHECK(proof_member_verify(ctx, sizeof ctx, y, ct, v01, 2, pf,
		    128) == SCRUTIN_ERR_PROOF);
	}
	/* α = O, Y = O, non-increasing values. */
	memcpy(ct2, zero, 32);
	memcpy(ct2 + 32, group_generator, 32);
	CHECK(proof_member_verify(ctx, sizeof ctx, y, ct2, v01, 2, pf, 128) ==
	    SCRUTIN_ERR_IDENTITY);
	CHECK(proof_member_verify(ctx, sizeof ctx, zero, ct, v01, 2, pf, 128)
	    == SCRUTIN_ERR_IDENTITY);
	CHECK(proof_member_verify(ctx, sizeof ctx, y, ct, vbad, 2, pf, 128) ==
	    SCRUTIN_ERR_ARGUMENT);
	CHECK(proof_member_prove(pf, ctx, sizeof ctx, y, ct, v01, 2, 2, r) ==
	    SCRUTIN_ERR_ARGUMENT);
	/* Known nonces: deterministic. */
	{
		uint8_t n3[3][32];

		for (int i = 0; i < 3; i++)
			group_scalar_random(n3[i]);
		CHECK(elgamal_encrypt(ct, y, 1, r) == 0);
		CHECK(proof_member_prove_with_nonces(pf, ctx, sizeof ctx, y, ct,
		    v01, 2, 1, r, (const uint8_t (*)[32])n3) == 0);
		CHECK(proof_member_prove_with_nonces(bad, ctx, sizeof ctx, y,
		    ct, v01, 2, 1, r, (const uint8_t (*)[32])n3) == 0);
		CHECK(memcmp(pf, bad, 128) == 0);
		/* The simulated branch is c_0 || s_0 as given. */
		CHECK(memcmp(pf, n3[1], 32) == 0 && memcmp(pf + 32, n3[2], 32)
		    == 0);
		CHECK(proof_member_verify(ctx, sizeof ctx, y, ct, v01, 2, pf,
		    128) == 0);
	}
}

/* --- ballots --------------------------------------------------------- */

struct voter {
	credential *cred;
	const uint8_t *pk;
};

static void
voter_new(struct voter *v)
{
	uint8_t seed[32];

	randombytes_buf(seed, sizeof seed);
	if (credential_new_from_seed(&v->cred, seed) != 0)
		abort();
	v->pk = credential_public_key(v->cred);
}

/* Builds, signs and verifies; returns the build result. */
static int
cast(uint8_t *body, size_t *len, uint8_t sig[64], const ballot_question *q,
    const uint8_t eid[32], const uint8_t y[32], const struct voter *voice,
    const struct voter *signer, const uint8_t *sel)
{
	int rc = ballot_build(body, BALLOT_BODY_MAX, len, q, eid, y, voice->pk,
	    signer->pk, sel);

	if (rc != 0)
		return rc;
	return credential_sign(signer->cred, sig, body, *len);
}

/* A ballot whose proofs claim the given explicit bits are fine while
 * the real plaintexts are `real`: the prover runs with false indices. */
static size_t
forge(uint8_t *body, const ballot_question *q, const uint8_t eid[32],
    const uint8_t y[32], const uint8_t voice[32], const uint8_t signer[32],
    const uint64_t *real, const uint8_t *claim, uint32_t claim_sum)
{
	static const uint64_t v01[2] = { 0, 1 };
	uint64_t values[65];
	uint8_t ctx[BALLOT_CTX_MAX], choice[192], sum[64], r[32], rs[32];
	uint8_t overall[64 * 65];
	size_t k = q->hi - q->lo + 1, cl;
	framebuf b;

	memset(rs, 0, 32);
	framebuf_init(&b, body, BALLOT_BODY_MAX);
	framebuf_field(&b, "scrutin/1", 9);
	framebuf_field(&b, "ballot", 6);
	framebuf_field(&b, eid, 32);
	framebuf_field(&b, q->qid, q->qid_len);
	framebuf_field(&b, voice, 32);
	framebuf_field(&b, signer, 32);
	framebuf_field_u64(&b, q->e);
	for (uint32_t i = 0; i < q->e; i++) {
		group_scalar_random(r);
		if (elgamal_encrypt(choice, y, real[i], r) != 0)
			abort();
		cl = ballot_context(ctx, q, eid, voice, i + 1);
		if (proof_member_prove(choice + 64, ctx, cl, y, choice, v01, 2,
		    claim[i], r) != 0)
			abort();
		if (i == 0)
			memcpy(sum, choice, 64);
		else if (elgamal_add(sum, sum, choice) != 0)
			abort();
		crypto_core_ristretto255_scalar_add(rs, rs, r);
		framebuf_field(&b, choice, 192);
	}
	for (size_t j = 0; j < k; j++)
		values[j] = q->lo + j;
	cl = ballot_context(ctx, q, eid, voice, 0);
	if (proof_member_prove(overall, ctx, cl, y, sum, values, k,
	    claim_sum - q->lo, rs) != 0)
		abort();
	framebuf_field(&b, overall, 64 * k);
	if (b.overflow)
		abort();
	return b.len;
}

static void
test_ballots(void)
{
	static const struct {
		const char *qid;
		uint32_t n, min, max;
	} qs[] = {
		{ "motion-1", 3, 1, 1 }, { "bureau.2", 10, 0, 3 },
		{ "yes_no", 2, 1, 1 }, { "pick2of4", 4, 2, 2 },
		{ "any", 5, 0, 5 }, { "opt", 3, 0, 1 }, { "all4", 4, 4, 4 },
		{ "range", 6, 2, 4 },
	};
	uint8_t eid[32], eid2[32], x[32], x2[32], y[32], y2[32], sig[64];
	uint8_t sig2[64];
	uint8_t *body = malloc(BALLOT_BODY_MAX), *copy = malloc(
	    BALLOT_BODY_MAX + 1);
	uint8_t rec[32], rec2[32];
	struct voter alice, bob;
	ballot_question q, q2;
	ballot_parsed parsed;
	size_t len;

	voter_new(&alice);
	voter_new(&bob);
	randombytes_buf(eid, 32);
	memcpy(eid2, eid, 32);
	eid2[5] ^= 1;
	keypair(x, y);
	keypair(x2, y2);

	/* Question parameters. */
	CHECK(ballot_question_init(&q, "m", 1, 3, 1, 1) == 0);
	CHECK(q.e == 2 && q.lo == 0 && q.hi == 1);
	CHECK(ballot_question_init(&q, "m", 1, 10, 0, 3) == 0);
	CHECK(q.e == 10 && q.lo == 0 && q.hi == 3);
	CHECK(ballot_question_init(&q, "m", 1, 4, 4, 4) == 0);
	CHECK(q.e == 3 && q.lo == 3 && q.hi == 3);
	CHECK(ballot_question_init(&q, "m", 1, 4, 2, 2) == 0);
	CHECK(q.e == 3 && q.lo == 1 && q.hi == 2);
	CHECK(ballot_question_init(&q, "m", 1, 1, 1, 1) != 0);
	CHECK(ballot_question_init(&q, "m", 1, 65, 1, 1) != 0);
	CHECK(ballot_question_init(&q, "m", 1, 3, 2, 1) != 0);
	CHECK(ballot_question_init(&q, "m", 1, 3, 0, 0) != 0);
	CHECK(ballot_question_init(&q, "m", 1, 3, 0, 4) != 0);
	CHECK(ballot_question_init(&q, "", 0, 3, 1, 1) != 0);
	CHECK(ballot_question_init(&q, "a b", 3, 3, 1, 1) != 0);
	CHECK(ballot_question_init(&q, "é", 2, 3, 1, 1) != 0);

	for (size_t qi = 0; qi < sizeof qs / sizeof qs[0]; qi++) {
		uint32_t n = qs[qi].n;
		uint8_t sel[64];
		unsigned valid = 0, invalid = 0;

		CHECK(ballot_question_init(&q, qs[qi].qid, strlen(qs[qi].qid),
		    n, qs[qi].min, qs[qi].max) == 0);
		/* Every selection for small n, a sample for n = 10. */
		for (uint32_t mask = 0; mask < (1u << n); mask++) {
			uint32_t cnt = (uint32_t)__builtin_popcount(mask);
			int in_range = cnt >= q.min && cnt <= q.max;

			if (n > 6 && mask % 37 != 0)
				continue;
			for (uint32_t i = 0; i < n; i++)
				sel[i] = (uint8_t)((mask >> i) & 1);
			int rc = cast(body, &len, sig, &q, eid, y, &alice,
			    &alice, sel);
			if (!in_range) {
				CHECK(rc == SCRUTIN_ERR_SELECTION);
				invalid++;
				continue;
			}
			CHECK(rc == 0);
			CHECK(len == ballot_body_size(&q));
			CHECK(ballot_verify(&parsed, &q, eid, y, body, len,
			    sig) == 0);
			CHECK(parsed.e == q.e);
			CHECK(memcmp(parsed.voice_pk, alice.pk, 32) == 0);
			/* The ciphertexts decrypt to the explicit bits. */
			for (uint32_t i = 0; i < q.e; i++) {
				uint8_t ct[64], mp[32], want[32];

				ballot_parsed_ciphertext(ct, &parsed, i + 1);
				CHECK(elgamal_decrypt_point(mp, x, ct) == 0);
				point_u64(want, sel[i]);
				CHECK(memcmp(mp, want, 32) == 0);
			}
			valid++;
		}
		CHECK(valid > 0);
		/* Selection values other than 0/1. */
		memset(sel, 0, sizeof sel);
		sel[0] = 2;
		CHECK(ballot_build(body, BALLOT_BODY_MAX, &len, &q, eid, y,
		    alice.pk, alice.pk, sel) == SCRUTIN_ERR_SELECTION);
		(void)invalid;
	}

	/* Decryption of the explicit bits with the single key. */
	{
		uint8_t xx[32], yy[32], sel[3] = { 0, 1, 0 }, ct[64], mp[32];
		uint8_t want[32];

		keypair(xx, yy);
		CHECK(ballot_question_init(&q, "motion-1", 8, 3, 1, 1) == 0);
		CHECK(cast(body, &len, sig, &q, eid, yy, &alice, &alice, sel)
		    == 0);
		CHECK(ballot_verify(&parsed, &q, eid, yy, body, len, sig) == 0);
		for (uint32_t i = 0; i < q.e; i++) {
			ballot_parsed_ciphertext(ct, &parsed, i + 1);
			CHECK(elgamal_decrypt_point(mp, xx, ct) == 0);
			point_u64(want, sel[i]);
			CHECK(memcmp(mp, want, 32) == 0);
		}
		/* Implicit last choice: (0,0,1) has explicit sum 0. */
		sel[1] = 0;
		sel[2] = 1;
		CHECK(cast(body, &len, sig, &q, eid, yy, &alice, &alice, sel)
		    == 0);
		CHECK(ballot_verify(NULL, &q, eid, yy, body, len, sig) == 0);
	}

	/* Rejections on a valid pour/contre/abstention ballot. */
	{
		uint8_t sel[3] = { 1, 0, 0 };

		CHECK(ballot_question_init(&q, "motion-1", 8, 3, 1, 1) == 0);
		CHECK(cast(body, &len, sig, &q, eid, y, &alice, &bob, sel) == 0);
		CHECK(ballot_verify(&parsed, &q, eid, y, body, len, sig) == 0);
		CHECK(memcmp(parsed.signer_pk, bob.pk, 32) == 0);
		ballot_receipt(rec, body, len, sig);
		ballot_receipt(rec2, body, len - 1, sig);
		CHECK(memcmp(rec, rec2, 32) != 0);
		CHECK(ballot_verify(&parsed, &q, eid2, y, body, len, sig) ==
		    SCRUTIN_ERR_CONTEXT);
		CHECK(parsed.eid == NULL);
		CHECK(ballot_verify(NULL, &q, eid, y2, body, len, sig) ==
		    SCRUTIN_ERR_PROOF);
		CHECK(ballot_question_init(&q2, "motion-2", 8, 3, 1, 1) == 0);
		CHECK(ballot_verify(NULL, &q2, eid, y, body, len, sig) ==
		    SCRUTIN_ERR_CONTEXT);
		/* Same qid and e, other min/max: ctx differs. */
		CHECK(ballot_question_init(&q2, "motion-1", 8, 2, 0, 1) == 0);
		CHECK(q2.e == 2 && q2.hi - q2.lo == q.hi - q.lo);
		CHECK(ballot_verify(NULL, &q2, eid, y, body, len, sig) ==
		    SCRUTIN_ERR_PROOF);
		memcpy(sig2, sig, 64);
		sig2[3] ^= 1;
		CHECK(ballot_verify(NULL, &q, eid, y, body, len, sig2) ==
		    SCRUTIN_ERR_SIGNATURE);
		/* Every truncation, and extensions. */
		int trunc_ok = 1;
		for (size_t l = 0; l < len; l++)
			if (ballot_verify(NULL, &q, eid, y, body, l, sig) == 0)
				trunc_ok = 0;
		CHECK(trunc_ok);
		memcpy(copy, body, len);
		copy[len] = 0;
		CHECK(ballot_verify(NULL, &q, eid, y, copy, len + 1, sig) != 0);
		CHECK(ballot_body_parse(&parsed, copy, len + 1) ==
		    SCRUTIN_ERR_LENGTH);
		/* Each byte flipped (re-signed so only the content counts). */
		int flip_ok = 1;
		for (size_t i = 0; i < len; i++) {
			memcpy(copy, body, len);
			copy[i] ^= 0x01;
			if (credential_sign(bob.cred, sig2, copy, len) != 0 ||
			    ballot_verify(NULL, &q, eid, y, copy, len, sig2) ==
			    0)
				flip_ok = 0;
		}
		CHECK(flip_ok);
		/* Replay for another voice: K_voice swapped, re-signed. */
		memcpy(copy, body, len);
		CHECK(memcmp(copy + 13 + 10 + 36 + 12 + 4, alice.pk, 32) == 0);
		memcpy(copy + 13 + 10 + 36 + 12 + 4, bob.pk, 32);
		CHECK(credential_sign(bob.cred, sig2, copy, len) == 0);
		CHECK(ballot_verify(NULL, &q, eid, y, copy, len, sig2) ==
		    SCRUTIN_ERR_PROOF);
	}

	/* Forged selections: only the proof equations reject them. */
	{
		static const uint64_t two_yes[2] = { 1, 1 };
		static const uint64_t a_two[2] = { 2, 0 };
		static const uint8_t claim10[2] = { 1, 0 };
		uint64_t none[10] = { 0 }, four[10] = { 1, 1, 1, 1 };
		uint8_t claim4[10] = { 1, 1, 1, 1 };

		CHECK(ballot_question_init(&q, "motion-1", 8, 3, 1, 1) == 0);
		/* pour + contre: explicit sum 2, claimed 1. */
		len = forge(body, &q, eid, y, alice.pk, alice.pk, two_yes,
		    claim10, 1);
		CHECK(credential_sign(alice.cred, sig, body, len) == 0);
		CHECK(ballot_verify(NULL, &q, eid, y, body, len, sig) ==
		    SCRUTIN_ERR_PROOF);
		/* A "2" in one choice, claimed 1. */
		len = forge(body, &q, eid, y, alice.pk, alice.pk, a_two,
		    claim10, 1);
		CHECK(credential_sign(alice.cred, sig, body, len) == 0);
		CHECK(ballot_verify(NULL, &q, eid, y, body, len, sig) ==
		    SCRUTIN_ERR_PROOF);
		/* Control: the forger with true claims makes a valid ballot. */
		{
			static const uint64_t one_yes[2] = { 1, 0 };

			len = forge(body, &q, eid, y, alice.pk, alice.pk,
			    one_yes, claim10, 1);
			CHECK(credential_sign(alice.cred, sig, body, len) == 0);
			CHECK(ballot_verify(NULL, &q, eid, y, body, len, sig) ==
			    0);
		}
		/* Up to 3 of 10: four selected, claimed three. */
		CHECK(ballot_question_init(&q, "bureau", 6, 10, 0, 3) == 0);
		len = forge(body, &q, eid, y, alice.pk, alice.pk, four, claim4,
		    3);
		CHECK(credential_sign(alice.cred, sig, body, len) == 0);
		CHECK(ballot_verify(NULL, &q, eid, y, body, len, sig) ==
		    SCRUTIN_ERR_PROOF);
		/* min = 2 of 6..: none selected, claimed 2. */
		CHECK(ballot_question_init(&q, "range", 5, 6, 2, 4) == 0);
		len = forge(body, &q, eid, y, alice.pk, alice.pk, none, claim4,
		    2);
		CHECK(credential_sign(alice.cred, sig, body, len) == 0);
		CHECK(ballot_verify(NULL, &q, eid, y, body, len, sig) ==
		    SCRUTIN_ERR_PROOF);
	}

	/* Parser: structural rejections on a hand-made body. */
	{
		uint8_t sel[3] = { 0, 1, 0 };

		CHECK(ballot_question_init(&q, "motion-1", 8, 3, 1, 1) == 0);
		CHECK(cast(body, &len, sig, &q, eid, y, &alice, &alice, sel) ==
		    0);
		CHECK(ballot_body_parse(&parsed, body, len) == 0);
		memcpy(copy, body, len);
		copy[4] = 'S';	/* "Scrutin/1" */
		CHECK(ballot_body_parse(&parsed, copy, len) == SCRUTIN_ERR_PARSE);
		memcpy(copy, body, len);
		copy[13] = 7;	/* label length */
		CHECK(ballot_body_parse(&parsed, copy, len) != 0);
		memcpy(copy, body, len);
		copy[13 + 10 + 36 + 12 + 36 + 36 + 4] = 0;	/* e = 0 */
		CHECK(ballot_body_parse(&parsed, copy, len) == SCRUTIN_ERR_PARSE);
		memcpy(copy, body, len);
		copy[13 + 10 + 36 + 4] = ' ';	/* qid syntax */
		CHECK(ballot_body_parse(&parsed, copy, len) == SCRUTIN_ERR_PARSE);
		CHECK(ballot_body_parse(&parsed, body, 0) != 0);
	}
	credential_free(alice.cred);
	credential_free(bob.cred);
	free(body);
	free(copy);
}

/* --- key ceremony and threshold decryption ---------------------------- */

struct ceremony {
	uint32_t n, t;
	uint8_t cid[32];
	uint8_t id_pk[16][32], box_pk[16][32], box_sk[16][32];
	dkg_trustee *tr[16];
	uint8_t comm[16 * 16][32];
	uint8_t pok[16][64], h[16][32];
	uint8_t vk[16][32], vk_pok[16][64];
	uint8_t y[32];
};

/* Runs an honest ceremony (boxes included); 0 on success. */
static int
ceremony_run(struct ceremony *c, uint32_t n, uint32_t t)
{
	uint8_t box[DKG_BOX_BYTES], id_sk[64], want[32];
	int ok = 1;

	memset(c, 0, sizeof *c);
	c->n = n;
	c->t = t;
	for (uint32_t i = 0; i < n; i++) {
		crypto_sign_keypair(c->id_pk[i], id_sk);
		crypto_box_keypair(c->box_pk[i], c->box_sk[i]);
	}
	ok &= dkg_ceremony_id(c->cid, (const uint8_t *)"AG-2025", 7, n, t,
	    (const uint8_t (*)[32])c->id_pk,
	    (const uint8_t (*)[32])c->box_pk) == 0;
	for (uint32_t i = 0; i < n; i++) {
		ok &= dkg_trustee_new(&c->tr[i], c->cid, n, t, i + 1) == 0;
		ok &= dkg_trustee_commit(c->tr[i], c->comm + (size_t)i * t,
		    c->pok[i], c->h[i], NULL) == 0;
	}
	for (uint32_t i = 0; i < n; i++)
		ok &= dkg_commitment_verify(c->cid, i + 1,
		    (const uint8_t (*)[32])(c->comm + (size_t)i * t), t,
		    c->pok[i], c->h[i]) == 0;
	for (uint32_t i = 0; i < n; i++)
		for (uint32_t j = 0; j < n; j++) {
			ok &= dkg_trustee_box_share(c->tr[i], j + 1, box,
			    c->box_sk[i], c->box_pk[j], NULL) == 0;
			ok &= dkg_trustee_receive(c->tr[j], i + 1, box,
			    c->box_pk[i], c->box_sk[j],
			    (const uint8_t (*)[32])(c->comm + (size_t)i * t))
			    == 0;
		}
	ok &= dkg_public_key(c->y, (const uint8_t (*)[32])c->comm, n, t) == 0;
	for (uint32_t j = 0; j < n; j++) {
		ok &= dkg_trustee_finish(c->tr[j], c->vk[j], c->vk_pok[j],
		    NULL) == 0;
		ok &= dkg_share_pok_verify(c->cid, j + 1, c->vk[j],
		    c->vk_pok[j]) == 0;
		ok &= dkg_verification_key(want,
		    (const uint8_t (*)[32])c->comm, n, t, j + 1) == 0;
		ok &= memcmp(want, c->vk[j], 32) == 0;
	}
	sodium_memzero(id_sk, sizeof id_sk);
	return ok ? 0 : -1;
}

static void
ceremony_free(struct ceremony *c)
{
	for (uint32_t i = 0; i < c->n; i++)
		dkg_trustee_free(c->tr[i]);
	memset(c->tr, 0, sizeof c->tr);
}

/* Decryption shares of every trustee for a total. */
static void
shares_make(tally_share *sh, const struct ceremony *c, const uint8_t eid[32],
    const char *qid, uint64_t choice, const uint8_t total[64])
{
	for (uint32_t j = 0; j < c->n; j++) {
		sh[j].trustee = j + 1;
		if (tally_share_create(sh[j].d, sh[j].proof,
		    dkg_trustee_key_share(c->tr[j]), c->vk[j], eid, qid,
		    strlen(qid), choice, j + 1, total) != 0)
			abort();
	}
}

static void
test_dkg_and_decrypt(void)
{
	static const uint32_t params[][2] = { { 1, 1 }, { 2, 2 }, { 3, 2 },
		{ 3, 3 }, { 4, 2 }, { 5, 3 } };
	static struct ceremony c;
	uint8_t eid[32], total[64], ct[64];
	tally_share sh[16], sub[16];
	dlog_table *tab;
	uint32_t bad;
	uint64_t m;

	randombytes_buf(eid, 32);
	CHECK(dlog_table_new(&tab, 50) == 0);
	for (size_t pi = 0; pi < sizeof params / sizeof params[0]; pi++) {
		uint32_t n = params[pi][0], t = params[pi][1];

		CHECK(ceremony_run(&c, n, t) == 0);
		/* Encrypt 0..: total of 7 ballots with known sum. */
		tally_total_init(total);
		uint64_t want = 0;
		for (int b = 0; b < 7; b++) {
			uint64_t v = rnd(5);

			CHECK(elgamal_encrypt_random(ct, NULL, c.y, v) == 0);
			CHECK(tally_total_add(total, ct) == 0);
			want += v;
		}
		shares_make(sh, &c, eid, "q1", 1, total);
		for (uint32_t j = 0; j < n; j++)
			CHECK(tally_share_verify(c.vk[j], eid, "q1", 2, 1, j + 1,
			    total, sh[j].d, sh[j].proof) == 0);
		/* Every subset of size ≥ t decrypts; smaller ones do not. */
		for (uint32_t mask = 1; mask < (1u << n); mask++) {
			size_t k = 0;

			for (uint32_t j = 0; j < n; j++)
				if (mask & (1u << j))
					sub[k++] = sh[j];
			int rc = tally_decrypt(&m, &bad, total,
			    (const uint8_t (*)[32])c.vk, n, t, eid, "q1", 2, 1,
			    sub, k, tab);
			if (k >= t)
				CHECK(rc == 0 && m == want && bad == 0);
			else
				CHECK(rc == SCRUTIN_ERR_TOO_FEW);
		}
		/* A bad share is named, and the others still decrypt. */
		if (n >= 2) {
			uint32_t victim = rnd(n);

			memcpy(sub, sh, sizeof(tally_share) * n);
			CHECK(group_add(sub[victim].d, sub[victim].d,
			    group_generator) == 0);
			int rc = tally_decrypt(&m, &bad, total,
			    (const uint8_t (*)[32])c.vk, n, t, eid, "q1", 2, 1,
			    sub, n, tab);
			CHECK(bad == (1u << victim));
			if (n - 1 >= t)
				CHECK(rc == 0 && m == want);
			else
				CHECK(rc == SCRUTIN_ERR_TOO_FEW);
			/* Wrong context: another choice or question. */
			CHECK(tally_share_verify(c.vk[0], eid, "q1", 2, 2, 1,
			    total, sh[0].d, sh[0].proof) ==
			    SCRUTIN_ERR_BAD_SHARE);
			CHECK(tally_share_verify(c.vk[0], eid, "q2", 2, 1, 1,
			    total, sh[0].d, sh[0].proof) ==
			    SCRUTIN_ERR_BAD_SHARE);
			CHECK(tally_share_verify(c.vk[1], eid, "q1", 2, 1, 1,
			    total, sh[0].d, sh[0].proof) ==
			    SCRUTIN_ERR_BAD_SHARE);
			/* Same share under the other trustee's index. */
			sub[0] = sh[0];
			sub[0].trustee = 2;
			sub[1] = sh[1];
			sub[1].trustee = 1;
			rc = tally_combine(ct, &bad, total,
			    (const uint8_t (*)[32])c.vk, n, t, eid, "q1", 2, 1,
			    sub, 2);
			CHECK(rc == SCRUTIN_ERR_TOO_FEW && bad == 3);
			/* The duplicated share of trustee 1 is refused. */
			sub[0] = sh[0];
			sub[1] = sh[0];
			rc = tally_combine(ct, &bad, total,
			    (const uint8_t (*)[32])c.vk, n, t, eid, "q1", 2, 1,
			    sub, 2);
			CHECK(rc == SCRUTIN_ERR_TOO_FEW && (bad & 1));
		}
		ceremony_free(&c);
	}
	dlog_table_free(tab);

	/* Cheating dealers. */
	{
		uint8_t box[DKG_BOX_BYTES], s[32], comm_bad[16][32];
		dkg_trustee *t1;

		CHECK(ceremony_run(&c, 3, 2) == 0);
		CHECK(dkg_trustee_new(&t1, c.cid, 3, 2, 1) == 0);
		/* Dealer 2 sends trustee 1 f_2(1) + 1. */
		CHECK(dkg_trustee_share(c.tr[1], 1, s) == 0);
		{
			uint8_t one[32];

			group_scalar_from_u64(one, 1);
			crypto_core_ristretto255_scalar_add(s, s, one);
		}
		CHECK(dkg_trustee_receive_share(t1, 2, s,
		    (const uint8_t (*)[32])(c.comm + 2)) ==
		    SCRUTIN_ERR_BAD_DEALER);
		CHECK(dkg_share_check(s, (const uint8_t (*)[32])(c.comm + 2), 2,
		    1) == SCRUTIN_ERR_BAD_DEALER);
		/* The honest share is accepted once, not twice. */
		CHECK(dkg_trustee_share(c.tr[1], 1, s) == 0);
		CHECK(dkg_share_check(s, (const uint8_t (*)[32])(c.comm + 2), 2,
		    1) == 0);
		CHECK(dkg_trustee_receive_share(t1, 2, s,
		    (const uint8_t (*)[32])(c.comm + 2)) == 0);
		CHECK(dkg_trustee_receive_share(t1, 2, s,
		    (const uint8_t (*)[32])(c.comm + 2)) == SCRUTIN_ERR_STATE);
		/* Finishing before every dealer: refused. */
		CHECK(dkg_trustee_finish(t1, s, box, NULL) == SCRUTIN_ERR_STATE);
		CHECK(dkg_trustee_key_share(t1) == NULL);
		/* A box for another recipient, a corrupted box, a box whose
		 * header names another dealer. */
		CHECK(dkg_trustee_box_share(c.tr[2], 2, box, c.box_sk[2],
		    c.box_pk[1], NULL) == 0);
		CHECK(dkg_trustee_receive(t1, 3, box, c.box_pk[2], c.box_sk[0],
		    (const uint8_t (*)[32])(c.comm + 4)) ==
		    SCRUTIN_ERR_BAD_DEALER);
		CHECK(dkg_trustee_box_share(c.tr[2], 1, box, c.box_sk[2],
		    c.box_pk[0], NULL) == 0);
		box[50] ^= 1;
		CHECK(dkg_trustee_receive(t1, 3, box, c.box_pk[2], c.box_sk[0],
		    (const uint8_t (*)[32])(c.comm + 4)) ==
		    SCRUTIN_ERR_BAD_DEALER);
		CHECK(dkg_trustee_box_share(c.tr[2], 1, box, c.box_sk[2],
		    c.box_pk[0], NULL) == 0);
		CHECK(dkg_trustee_receive(t1, 1, box, c.box_pk[2], c.box_sk[0],
		    (const uint8_t (*)[32])(c.comm + 4)) ==
		    SCRUTIN_ERR_BAD_DEALER);
		/* Commitments of another dealer: Feldman fails. */
		CHECK(dkg_trustee_receive(t1, 3, box, c.box_pk[2], c.box_sk[0],
		    (const uint8_t (*)[32])(c.comm + 0)) ==
		    SCRUTIN_ERR_BAD_DEALER);
		CHECK(dkg_trustee_receive(t1, 3, box, c.box_pk[2], c.box_sk[0],
		    (const uint8_t (*)[32])(c.comm + 4)) == 0);
		dkg_trustee_free(t1);

		/* Reveal checks: altered commitment, identity, bad PoK,
		 * PoK under another index. */
		memcpy(comm_bad, c.comm, 2 * 32);
		CHECK(dkg_commitment_verify(c.cid, 1,
		    (const uint8_t (*)[32])comm_bad, 2, c.pok[0], c.h[0]) == 0);
		comm_bad[1][0] ^= 2;
		CHECK(dkg_commitment_verify(c.cid, 1,
		    (const uint8_t (*)[32])comm_bad, 2, c.pok[0], c.h[0]) ==
		    SCRUTIN_ERR_COMMIT);
		CHECK(dkg_commitment_verify(c.cid, 2,
		    (const uint8_t (*)[32])c.comm, 2, c.pok[0], c.h[0]) ==
		    SCRUTIN_ERR_COMMIT);
		memset(comm_bad[1], 0, 32);
		dkg_commit_hash(s, c.cid, 1, (const uint8_t (*)[32])comm_bad, 2,
		    c.pok[0]);
		CHECK(dkg_commitment_verify(c.cid, 1,
		    (const uint8_t (*)[32])comm_bad, 2, c.pok[0], s) ==
		    SCRUTIN_ERR_IDENTITY);
		dkg_commit_hash(s, c.cid, 2, (const uint8_t (*)[32])c.comm, 2,
		    c.pok[0]);
		CHECK(dkg_commitment_verify(c.cid, 2,
		    (const uint8_t (*)[32])c.comm, 2, c.pok[0], s) ==
		    SCRUTIN_ERR_PROOF);
		CHECK(dkg_share_pok_verify(c.cid, 2, c.vk[0], c.vk_pok[0]) ==
		    SCRUTIN_ERR_PROOF);
		ceremony_free(&c);
	}
	/* Parameters out of range. */
	{
		uint8_t id[32];
		dkg_trustee *tr;

		CHECK(dkg_ceremony_id(id, (const uint8_t *)"m", 1, 17, 2,
		    (const uint8_t (*)[32])c.id_pk,
		    (const uint8_t (*)[32])c.box_pk) == SCRUTIN_ERR_ARGUMENT);
		CHECK(dkg_ceremony_id(id, (const uint8_t *)"m", 1, 3, 4,
		    (const uint8_t (*)[32])c.id_pk,
		    (const uint8_t (*)[32])c.box_pk) == SCRUTIN_ERR_ARGUMENT);
		CHECK(dkg_trustee_new(&tr, id, 3, 0, 1) == SCRUTIN_ERR_ARGUMENT);
		CHECK(dkg_trustee_new(&tr, id, 3, 2, 4) == SCRUTIN_ERR_ARGUMENT &&
		    tr == NULL);
	}
}

/* --- discrete log ---------------------------------------------------- */

static void
test_dlog(void)
{
	static const uint64_t bounds[] = { 0, 1, 2, 3, 15, 16, 17, 99, 1000 };
	uint8_t p[32], bad[32];
	dlog_table *tab;
	uint64_t m;

	for (size_t i = 0; i < sizeof bounds / sizeof bounds[0]; i++) {
		uint64_t b = bounds[i];

		CHECK(dlog_table_new(&tab, b) == 0);
		CHECK(dlog_table_baby_steps(tab) * dlog_table_baby_steps(tab) >=
		    b + 1);
		CHECK((dlog_table_baby_steps(tab) - 1) *
		    (dlog_table_baby_steps(tab) - 1) < b + 1);
		for (uint64_t v = 0; v <= b; v += (b > 40 ? b / 17 + 1 : 1)) {
			point_u64(p, v);
			CHECK(dlog_solve(&m, tab, p) == 0 && m == v);
		}
		point_u64(p, b);
		CHECK(dlog_solve(&m, tab, p) == 0 && m == b);
		point_u64(p, b + 1);
		CHECK(dlog_solve(&m, tab, p) == SCRUTIN_ERR_DLOG_RANGE &&
		    m == 0);
		point_u64(p, b + 1000);
		CHECK(dlog_solve(&m, tab, p) == SCRUTIN_ERR_DLOG_RANGE);
		keypair(bad, p);
		CHECK(dlog_solve(&m, tab, p) == SCRUTIN_ERR_DLOG_RANGE);
		memset(bad, 0xff, 32);
		CHECK(dlog_solve(&m, tab, bad) == SCRUTIN_ERR_POINT);
		dlog_table_free(tab);
	}
	CHECK(dlog_table_new(&tab, DLOG_BOUND_MAX + 1) ==
	    SCRUTIN_ERR_ARGUMENT && tab == NULL);
	{
		uint64_t counts[2] = { 3, 4 }, out;

		CHECK(tally_implicit_count(&out, 1, 10, counts, 2) == 0 &&
		    out == 3);
		CHECK(tally_implicit_count(&out, 1, 6, counts, 2) ==
		    SCRUTIN_ERR_DLOG_RANGE);
	}
}

/* --- credentials and text encodings ---------------------------------- */

static void
test_credentials(void)
{
	static const struct {
		const char *in, *out;
	} good[] = {
		{ "ABCD-EFGH", "ABCDEFGH" }, { "abcd efgh", "ABCDEFGH" },
		{ "oOiI-lL01", "00111101" }, { " 7zxw-vt9m ", "7ZXWVT9M" },
		{ "A-B-C-D-E-F-G-H", "ABCDEFGH" },
	};
	static const char *bad[] = { "ABC", "ABCDEFGHU", "ABCDEFGU",
		"ABCDEFGHJ", "", "ABCD_EFGH", "ABCDEFG\t", "ÀBCDEFGH",
		"ABCDEFG*" };
	char code[9], shown[10], frag[23];
	uint8_t ls[16], ls2[16], seed[32], seed2[32], sig[64], salt[16];
	credential *c1, *c2;

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		CHECK(credential_code_normalise(code, good[i].in,
		    strlen(good[i].in)) == 0);
		CHECK(strcmp(code, good[i].out) == 0);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK(credential_code_normalise(code, bad[i], strlen(bad[i])) ==
		    SCRUTIN_ERR_CODE);
	CHECK(credential_code_normalise(code, "ABCD\0EFGH", 9) ==
	    SCRUTIN_ERR_CODE);
	credential_code_generate(shown);
	CHECK(strlen(shown) == 9 && shown[4] == '-');
	CHECK(credential_code_normalise(code, shown, 9) == 0);

	/* Fragment: round trip and strictness. */
	credential_link_secret_generate(ls);
	credential_fragment_encode(frag, ls);
	CHECK(strlen(frag) == 22);
	CHECK(credential_fragment_decode(ls2, frag, 22) == 0);
	CHECK(memcmp(ls, ls2, 16) == 0);
	CHECK(credential_fragment_decode(ls2, frag, 21) == SCRUTIN_ERR_LENGTH);
	memset(ls, 0xff, 16);
	credential_fragment_encode(frag, ls);
	CHECK(strcmp(frag, "_____________________w") == 0);
	frag[21] = 'x';	/* unused bits set */
	CHECK(credential_fragment_decode(ls2, frag, 22) ==
	    SCRUTIN_ERR_ENCODING);
	frag[21] = '=';
	CHECK(credential_fragment_decode(ls2, frag, 22) ==
	    SCRUTIN_ERR_ENCODING);
	frag[21] = 'w';
	frag[3] = '+';
	CHECK(credential_fragment_decode(ls2, frag, 22) ==
	    SCRUTIN_ERR_ENCODING);

	/* Derivation: deterministic, depends on each input. */
	credential_link_secret_generate(ls);
	CHECK(credential_salt(salt, (const uint8_t *)"m1", 2) == 0);
	CHECK(credential_seed_derive(seed, (const uint8_t *)"m1", 2, ls,
	    "ABCDEFGH") == 0);
	{
		/* The salt is H256("credential-salt", meeting_id)[0..16). */
		uint8_t h[32];
		const uint8_t *f[1] = { (const uint8_t *)"m1" };
		size_t l[1] = { 2 };

		transcript_hash(h, TRANSCRIPT_H256, "credential-salt", f, l, 1);
		CHECK(memcmp(h, salt, 16) == 0);
		/* And the seed is crypto_pwhash as protocol §9 writes it. */
		uint8_t pw[24];

		memcpy(pw, ls, 16);
		memcpy(pw + 16, "ABCDEFGH", 8);
		CHECK(crypto_pwhash(h, 32, (const char *)pw, 24, salt, 2,
		    19922944, crypto_pwhash_ALG_ARGON2ID13) == 0);
		CHECK(memcmp(h, seed, 32) == 0);
	}
	CHECK(credential_seed_derive(seed2, (const uint8_t *)"m2", 2, ls,
	    "ABCDEFGH") == 0);
	CHECK(memcmp(seed, seed2, 32) != 0);
	CHECK(credential_seed_derive(seed2, (const uint8_t *)"m1", 2, ls,
	    "ABCDEFGU") == SCRUTIN_ERR_CODE);
	credential_fragment_encode(frag, ls);
	CHECK(credential_derive(&c1, (const uint8_t *)"m1", 2, frag, 22,
	    "abcd-efgh", 9) == 0);
	CHECK(credential_new_from_seed(&c2, seed) == 0);
	CHECK(memcmp(credential_public_key(c1), credential_public_key(c2), 32)
	    == 0);
	CHECK(credential_sign(c1, sig, (const uint8_t *)"hello", 5) == 0);
	CHECK(credential_verify(credential_public_key(c2), sig,
	    (const uint8_t *)"hello", 5) == 0);
	CHECK(credential_verify(credential_public_key(c2), sig,
	    (const uint8_t *)"hellp", 5) == SCRUTIN_ERR_SIGNATURE);
	credential_free(c2);
	CHECK(credential_derive(&c2, (const uint8_t *)"m1", 2, frag, 22,
	    "abcd-efgj", 9) == 0);
	CHECK(memcmp(credential_public_key(c1), credential_public_key(c2), 32)
	    != 0);
	credential_free(c2);
	CHECK(credential_derive(&c2, (const uint8_t *)"m1", 2, frag, 22,
	    "abcd-efg", 8) == SCRUTIN_ERR_CODE && c2 == NULL);
	credential_free(c1);
}

static void
test_hex(void)
{
	uint8_t b[4], in[4] = { 0x00, 0xab, 0x7f, 0xff };
	char h[9], t[12];

	CHECK(hex_encode(h, sizeof h, in, 4) == 0 && strcmp(h, "00ab7fff") == 0);
	CHECK(hex_encode(h, 8, in, 4) == SCRUTIN_ERR_LENGTH);
	CHECK(hex_decode(b, 4, "00ab7fff", 8) == 0 && memcmp(b, in, 4) == 0);
	CHECK(hex_decode(b, 4, "00AB7fff", 8) == SCRUTIN_ERR_ENCODING);
	CHECK(hex_decode(b, 4, "00ab7ff", 7) == SCRUTIN_ERR_LENGTH);
	CHECK(hex_decode(b, 4, "00ab7fff0", 9) == SCRUTIN_ERR_LENGTH);
	CHECK(hex_decode(b, 4, "00ab7ffg", 8) == SCRUTIN_ERR_ENCODING);
	CHECK(hex_decode(b, 4, "00ab 7ff", 8) == SCRUTIN_ERR_ENCODING);
	CHECK(b64url_encode(t, sizeof t, in, 4) == 0 &&
	    strcmp(t, "AKt__w") == 0);
	CHECK(b64url_decode(b, 4, "AKt__w", 6) == 0 && memcmp(b, in, 4) == 0);
	CHECK(b64url_decode(b, 4, "AKt__x", 6) == SCRUTIN_ERR_ENCODING);
	CHECK(b64url_decode(b, 4, "AKt__w==", 8) == SCRUTIN_ERR_LENGTH);
	CHECK(b64url_decode(b, 3, "AKt_", 4) == 0);
	CHECK(b64url_encoded_len(0) == 0 && b64url_encoded_len(1) == 2 &&
	    b64url_encoded_len(2) == 3 && b64url_encoded_len(3) == 4);
}

/* --- randomised whole elections --------------------------------------- */

static void
test_random_elections(void)
{
	static struct ceremony c;
	uint8_t eid[32], *body = malloc(BALLOT_BODY_MAX), sig[64];
	struct voter v;
	int rounds = 6;

	voter_new(&v);
	for (int round = 0; round < rounds; round++) {
		uint32_t n = 1 + rnd(4), t = 1 + rnd(n);
		uint32_t qn = 2 + rnd(5), mx = 1 + rnd(qn), mn = rnd(mx + 1);
		uint32_t voters = 1 + rnd(6);
		uint64_t plain[64] = { 0 }, m;
		uint8_t totals[64][64];
		ballot_question q;
		ballot_parsed p;
		dlog_table *tab;
		size_t len;

		randombytes_buf(eid, 32);
		CHECK(ceremony_run(&c, n, t) == 0);
		CHECK(ballot_question_init(&q, "rq", 2, qn, mn, mx) == 0);
		for (uint32_t i = 0; i < q.e; i++)
			tally_total_init(totals[i]);
		for (uint32_t b = 0; b < voters; b++) {
			uint8_t sel[64] = { 0 };
			uint32_t want = mn + rnd(mx - mn + 1), got = 0;

			while (got < want) {
				uint32_t i = rnd(qn);

				if (!sel[i]) {
					sel[i] = 1;
					got++;
				}
			}
			CHECK(cast(body, &len, sig, &q, eid, c.y, &v, &v, sel) ==
			    0);
			CHECK(ballot_verify(&p, &q, eid, c.y, body, len, sig) ==
			    0);
			for (uint32_t i = 0; i < q.e; i++) {
				uint8_t ct[64];

				ballot_parsed_ciphertext(ct, &p, i + 1);
				CHECK(tally_total_add(totals[i], ct) == 0);
				plain[i] += sel[i];
			}
		}
		CHECK(dlog_table_new(&tab, voters) == 0);
		for (uint32_t i = 0; i < q.e; i++) {
			tally_share sh[16], sub[16];
			size_t k = 0;
			uint32_t bad;

			shares_make(sh, &c, eid, "rq", i + 1, totals[i]);
			/* A random subset of size ≥ t. */
			for (uint32_t j = 0; j < n; j++)
				if (rnd(2))
					sub[k++] = sh[j];
			for (uint32_t j = 0; j < n && k < t; j++) {
				int have = 0;

				for (size_t z = 0; z < k; z++)
					have |= sub[z].trustee == j + 1;
				if (!have)
					sub[k++] = sh[j];
			}
			CHECK(tally_decrypt(&m, &bad, totals[i],
			    (const uint8_t (*)[32])c.vk, n, t, eid, "rq", 2,
			    i + 1, sub, k, tab) == 0);
			CHECK_MSG(m == plain[i], "round %d choice %u: %llu != %llu",
			    round, i + 1, (unsigned long long)m,
			    (unsigned long long)plain[i]);
		}
		dlog_table_free(tab);
		ceremony_free(&c);
	}
	credential_free(v.cred);
	free(body);
}

int
main(void)
{
	if (group_init() != 0) {
		fprintf(stderr, "sodium_init failed\n");
		return 1;
	}
	test_encodings();
	test_elgamal();
	test_pok_dleq();
	test_member();
	test_ballots();
	test_dkg_and_decrypt();
	test_dlog();
	test_credentials();
	test_hex();
	test_random_elections();
	return check_done("test_crypto");
}

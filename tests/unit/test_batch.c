/*
 * test_batch.c — batch verification with hints (docs/protocol.md §5.6):
 *   - rf_msm (its choice, Pippenger under every window, Straus) against
 *     the naive sum of single multiplications (and libsodium on a
 *     sample) for sizes 0 … 300 with zero scalars, 128-bit weights, full
 *     scalars, identity points and points with Z ≠ 1;
 *   - the builder's hints: the body is unchanged, and the hints are the
 *     commitments the challenges hashed;
 *   - ballot_verify_batch: valid ballots accepted through the batch
 *     equation; every kind of wrong hint still gets the §5.5 verdict
 *     and is verified alone (via_batch = 0); invalid ballots mixed in a
 *     batch get exactly ballot_verify's code; a ballot whose proofs are
 *     valid for its hint bytes but whose equations are false is
 *     rejected, and two such ballots whose errors cancel are both
 *     rejected; ballot_verify_batch_acc's sums are ballot_verify_acc's; a hint sent with the negated encoding of the right point
 *     is refused (the batch path's decoder decides validity); a failed
 *     chunk is split until its forgeries are alone, the valid ballots
 *     still accepted by batch equations; a differential run against
 *     ballot_verify_ref.
 * Real crypto throughout. Counts scale down under valgrind, sanitizers
 * and SCRUTIN_TEST_QUICK=1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/proof_fast.h"
#include "crypto/ristretto_fast.h"
#include "crypto/scrutin_crypto.h"
#include "tests/check.h"

static unsigned long scale_div = 1;

static unsigned long
iters(unsigned long n)
{
	unsigned long r = n / scale_div;

	return r > 0 ? r : 1;
}

/* --- MSM ----------------------------------------------------------------- */

static void
random_point(rf_point *p, uint8_t enc[32])
{
	uint8_t s[32];

	crypto_core_ristretto255_scalar_random(s);
	group_mul_base(enc, s);
	if (rf_decode(p, enc) != 0)
		abort();
}

/* Scalar kinds: 0 zero, 1 a 128-bit weight, 2 a canonical scalar, 3 a
 * small one, 4 l − 1. */
static void
random_scalar(uint8_t s[32], unsigned kind)
{
	static const uint8_t l_minus_1[32] = {
		0xec, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c,
		0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0x10,
	};

	memset(s, 0, 32);
	switch (kind % 5) {
	case 0:
		break;
	case 1:
		randombytes_buf(s, 16);
		break;
	case 2:
		crypto_core_ristretto255_scalar_random(s);
		break;
	case 3:
		s[0] = (uint8_t)randombytes_uniform(256);
		break;
	default:
		memcpy(s, l_minus_1, 32);
	}
}

static int
msm_matches_naive(size_t n, int window)
{
	rf_point *p = calloc(n + 1, sizeof *p), r, acc, t;
	uint8_t (*s)[32] = calloc(n + 1, 32), e1[32], e2[32], enc[32];
	rf_var_table tab;
	int ok;

	if (p == NULL || s == NULL)
		abort();
	rf_identity(&acc);
	for (size_t i = 0; i < n; i++) {
		if (randombytes_uniform(10) == 0)
			rf_identity(&p[i]);
		else
			random_point(&p[i], enc);
		/* Some points in projective form (Z ≠ 1). */
		if (randombytes_uniform(3) == 0)
			rf_add(&p[i], &p[i], &(rf_point){ fe_zero, fe_one,
			    fe_one, fe_zero });
		if (randombytes_uniform(4) == 0) {
			rf_dbl(&t, &p[i]);
			rf_sub(&p[i], &t, &p[i]);
		}
		random_scalar(s[i], randombytes_uniform(5));
		rf_var_table_init(&tab, &p[i]);
		rf_mul_var(&t, s[i], &tab);
		rf_add(&acc, &acc, &t);
	}
	/* window 0: rf_msm's choice; −1: Straus; else Pippenger with it. */
	ok = (window == 0 ? rf_msm(&r, (const uint8_t (*)[32])s, p, n) :
	    window < 0 ? rf_msm_straus(&r, (const uint8_t (*)[32])s, p, n) :
	    rf_msm_with_window(&r, (const uint8_t (*)[32])s, p, n, window)) == 0;
	rf_encode(e1, &r);
	rf_encode(e2, &acc);
	ok = ok && memcmp(e1, e2, 32) == 0;
	free(p);
	free(s);
	return ok;
}

static void
test_msm(void)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 4, 7, 16, 31, 64, 100, 255,
		300 };
	uint8_t s[2][32], pe[2][32], want[32], a[32], b[32], got[32];
	rf_point p[2], r;

	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		CHECK_MSG(msm_matches_naive(sizes[i], 0), "n = %zu", sizes[i]);
		CHECK_MSG(msm_matches_naive(sizes[i], -1), "Straus n = %zu",
		    sizes[i]);
	}
	for (unsigned long i = 0; i < iters(20); i++) {
		size_t n = randombytes_uniform(301);

		CHECK_MSG(msm_matches_naive(n, 0), "random n = %zu", n);
	}
	for (int c = 2; c <= RF_MSM_WINDOW_MAX; c++)
		CHECK_MSG(msm_matches_naive(40, c), "window %d", c);

	/* Against libsodium's API: s0·P0 + s1·P1. */
	for (unsigned long k = 0; k < iters(50); k++) {
		for (int i = 0; i < 2; i++) {
			random_point(&p[i], pe[i]);
			random_scalar(s[i], 1 + randombytes_uniform(4));
		}
		if (crypto_scalarmult_ristretto255(a, s[0], pe[0]) != 0)
			memset(a, 0, 32);
		if (crypto_scalarmult_ristretto255(b, s[1], pe[1]) != 0)
			memset(b, 0, 32);
		CHECK(crypto_core_ristretto255_add(want, a, b) == 0);
		CHECK(rf_msm(&r, (const uint8_t (*)[32])s, p, 2) == 0);
		rf_encode(got, &r);
		CHECK(memcmp(got, want, 32) == 0);
	}
	/* Every window on one point and the scalars 0 … 299 (carries out
	 * of the top window: caught a bug). */
	random_point(&p[0], pe[0]);
	for (int c = 2; c <= RF_MSM_WINDOW_MAX; c++)
		for (unsigned v = 0; v < 300; v++) {
			memset(s[0], 0, 32);
			s[0][0] = (uint8_t)v;
			s[0][1] = (uint8_t)(v >> 8);
			if (crypto_scalarmult_ristretto255(want, s[0], pe[0]) != 0)
				memset(want, 0, 32);
			CHECK(rf_msm_with_window(&r, (const uint8_t (*)[32])s, p,
			    1, c) == 0);
			rf_encode(got, &r);
			CHECK_MSG(memcmp(got, want, 32) == 0, "c %d v %u", c, v);
			if (c == 2) {
				CHECK(rf_msm_straus(&r, (const uint8_t (*)[32])s,
				    p, 1) == 0);
				rf_encode(got, &r);
				CHECK(memcmp(got, want, 32) == 0);
			}
		}
	/* A scalar ≥ 2^255 is refused, the result is the identity. */
	memset(s[0], 0xff, 32);
	CHECK(rf_msm(&r, (const uint8_t (*)[32])s, p, 1) == -1 &&
	    rf_is_identity(&r));
	CHECK(rf_msm_straus(&r, (const uint8_t (*)[32])s, p, 1) == -1 &&
	    rf_is_identity(&r));
	CHECK(rf_msm_with_window(&r, (const uint8_t (*)[32])s, p, 0, 1) == -1);
	CHECK(rf_msm_with_window(&r, (const uint8_t (*)[32])s, p, 0,
	    RF_MSM_WINDOW_MAX + 1) == -1);
	CHECK(rf_msm(&r, (const uint8_t (*)[32])s, p, 0) == 0 &&
	    rf_is_identity(&r));
}

/* --- ballots ------------------------------------------------------------- */

#define HINTS_MAX (64 * (2 * BALLOT_CHOICES_MAX + BALLOT_CHOICES_MAX + 1))

typedef struct {
	ballot_question q;
	uint8_t eid[32], y[32];
	uint8_t body[BALLOT_BODY_MAX];
	size_t len;
	uint8_t sig[64];
	uint8_t hints[HINTS_MAX];
	size_t hints_len;
} tballot;

static credential *cred;
static uint8_t elec_y[32], elec_eid[32];

static void
make_ballot(tballot *b, const char *qid, uint32_t n, uint32_t min,
    uint32_t max)
{
	uint8_t sel[64] = { 0 };
	uint32_t count = min + randombytes_uniform(max - min + 1);

	if (ballot_question_init(&b->q, qid, strlen(qid), n, min, max) != 0)
		abort();
	memcpy(b->eid, elec_eid, 32);
	memcpy(b->y, elec_y, 32);
	/* count distinct choices among n */
	for (uint32_t c = 0; c < count;) {
		uint32_t i = randombytes_uniform(n);

		if (!sel[i]) {
			sel[i] = 1;
			c++;
		}
	}
	if (ballot_build_hints(b->body, sizeof b->body, &b->len, b->hints,
	    &b->q, b->eid, b->y, credential_public_key(cred),
	    credential_public_key(cred), sel) != 0 ||
	    credential_sign(cred, b->sig, b->body, b->len) != 0)
		abort();
	b->hints_len = ballot_hints_size(&b->q);
}

static void
resign(tballot *b)
{
	if (credential_sign(cred, b->sig, b->body, b->len) != 0)
		abort();
}

static ballot_batch_item
item_of(const tballot *b)
{
	ballot_batch_item it = { &b->q, b->eid, b->y, b->body, b->len, b->sig,
		b->hints, b->hints_len };

	return it;
}

static int
verify_one(const tballot *b)
{
	return ballot_verify(NULL, &b->q, b->eid, b->y, b->body, b->len,
	    b->sig);
}

static int
verify_ref(const tballot *b)
{
	return ballot_verify_ref(NULL, &b->q, b->eid, b->y, b->body, b->len,
	    b->sig);
}

/* Runs the batch of n; OUT rc, via. */
static void
run_batch(tballot *bs, size_t n, int *rc, uint8_t *via)
{
	ballot_batch_item *it = calloc(n + 1, sizeof *it);

	if (it == NULL)
		abort();
	for (size_t i = 0; i < n; i++)
		it[i] = item_of(&bs[i]);
	CHECK(ballot_verify_batch(it, n, rc, via) == 0);
	free(it);
}

static void
test_builder_hints(void)
{
	ballot_question q;
	uint8_t r[BALLOT_CHOICES_MAX][32], nonces[400][32];
	uint8_t sel[10] = { 1, 0, 1, 0, 0, 0, 0, 0, 1, 0 };
	static uint8_t b1[BALLOT_BODY_MAX], b2[BALLOT_BODY_MAX], h[HINTS_MAX];
	uint8_t ctx[BALLOT_CTX_MAX], c[32], csum[32], ct[64];
	static const uint64_t zero_one[2] = { 0, 1 };
	size_t l1, l2;
	ballot_parsed p;

	if (ballot_question_init(&q, "bureau", 6, 10, 0, 3) != 0)
		abort();
	CHECK(ballot_hints_size(&q) == 64 * (2 * 10 + 4));
	for (uint32_t i = 0; i < q.e; i++)
		group_scalar_random(r[i]);
	for (size_t i = 0; i < ballot_nonce_count(&q); i++)
		group_scalar_random(nonces[i]);
	CHECK(ballot_build_with_nonces(b1, sizeof b1, &l1, &q, elec_eid,
	    elec_y, credential_public_key(cred), credential_public_key(cred),
	    sel, (const uint8_t (*)[32])r, (const uint8_t (*)[32])nonces) == 0);
	CHECK(ballot_build_with_nonces_hints(b2, sizeof b2, &l2, h, &q,
	    elec_eid, elec_y, credential_public_key(cred),
	    credential_public_key(cred), sel, (const uint8_t (*)[32])r,
	    (const uint8_t (*)[32])nonces) == 0);
	/* The body does not change. */
	CHECK(l1 == l2 && memcmp(b1, b2, l1) == 0);
	/* The hints are what the challenges hashed. */
	CHECK(ballot_body_parse(&p, b2, l2) == 0);
	for (uint32_t i = 0; i < q.e; i++) {
		size_t cl = ballot_context(ctx, &q, elec_eid, p.voice_pk, i + 1);

		proof_member_challenge(c, ctx, cl, elec_y, p.choice[i],
		    zero_one, 2, h + 128 * i);
		crypto_core_ristretto255_scalar_add(csum, p.choice[i] + 64,
		    p.choice[i] + 128);
		CHECK(memcmp(c, csum, 32) == 0);
	}
	(void)ct;
	/* A refused selection zeroes the hints. */
	memset(sel, 1, sizeof sel);
	memset(h, 0xaa, sizeof h);
	CHECK(ballot_build_hints(b2, sizeof b2, &l2, h, &q, elec_eid, elec_y,
	    credential_public_key(cred), credential_public_key(cred), sel) ==
	    SCRUTIN_ERR_SELECTION);
	CHECK(h[0] == 0 && h[ballot_hints_size(&q) - 1] == 0);
}

#define NB 12

static void
test_valid_batch(void)
{
	static tballot bs[NB + 6];
	int rc[NB + 6];
	uint8_t via[NB + 6];

	for (size_t i = 0; i < NB; i++)
		make_ballot(&bs[i], "motion-1", 3, 1, 1);
	for (size_t i = NB; i < NB + 6; i++)
		make_ballot(&bs[i], "bureau", 10, 0, 3);
	run_batch(bs, NB + 6, rc, via);
	for (size_t i = 0; i < NB + 6; i++)
		CHECK_MSG(rc[i] == 0 && via[i] == 1, "ballot %zu: rc %d via %d",
		    i, rc[i], via[i]);
	/* Without hints: ballot_verify decides (via 0), same verdict. */
	bs[3].hints_len = 0;
	{
		ballot_batch_item it[NB];

		for (size_t i = 0; i < NB; i++)
			it[i] = item_of(&bs[i]);
		it[3].hints = NULL;
		CHECK(ballot_verify_batch(it, NB, rc, via) == 0);
		for (size_t i = 0; i < NB; i++)
			CHECK(rc[i] == 0 && via[i] == (i != 3));
	}
	/* One ballot alone, and an empty batch. */
	make_ballot(&bs[0], "motion-1", 3, 1, 1);
	run_batch(bs, 1, rc, via);
	CHECK(rc[0] == 0 && via[0] == 1);
	CHECK(ballot_verify_batch(NULL, 0, NULL, NULL) == 0);
	CHECK(ballot_verify_batch(NULL, 1, rc, NULL) == SCRUTIN_ERR_ARGUMENT);
	/* With the fast path off: one by one, the same verdicts. */
	rf_set_enabled(0);
	run_batch(bs, 4, rc, via);
	for (size_t i = 0; i < 4; i++)
		CHECK(rc[i] == 0 && via[i] == 0);
	rf_set_enabled(1);
}

/* Each kind of wrong hint on ballot 2 of a batch of valid ballots. */
static void
test_wrong_hints(void)
{
	static tballot bs[6];
	int rc[6];
	uint8_t via[6], tmp[32];
	static const uint8_t noncanon[32] = {	/* p + 1: not canonical */
		0xee, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0x7f,
	};

	for (int kind = 0; kind < 9; kind++) {
		for (size_t i = 0; i < 6; i++)
			make_ballot(&bs[i], i % 2 ? "bureau" : "motion-1",
			    i % 2 ? 10 : 3, i % 2 ? 0 : 1, i % 2 ? 3 : 1);
		tballot *b = &bs[2];
		size_t pos = randombytes_uniform((uint32_t)b->hints_len);

		switch (kind) {
		case 0:		/* a flipped byte */
			b->hints[pos] ^= (uint8_t)(1u << randombytes_uniform(8));
			break;
		case 1:		/* the hints of another ballot (same question) */
			memcpy(b->hints, bs[0].hints, b->hints_len);
			break;
		case 2:		/* A and B swapped */
			memcpy(tmp, b->hints, 32);
			memcpy(b->hints, b->hints + 32, 32);
			memcpy(b->hints + 32, tmp, 32);
			break;
		case 3:		/* a non-canonical encoding */
			memcpy(b->hints + 32 * (pos / 32), noncanon, 32);
			break;
		case 4:		/* the top bit set */
			b->hints[32 * (pos / 32) + 31] |= 0x80;
			break;
		case 5:		/* one byte short */
			b->hints_len--;
			break;
		case 6:		/* one point too many */
			b->hints_len += 32;
			break;
		case 7:		/* the last proof's hints replaced by a valid
				 * point (the identity) */
			memset(b->hints + b->hints_len - 32, 0, 32);
			break;
		default:	/* π_0's and π_1's hints exchanged places */
			memcpy(tmp, b->hints, 32);
			memcpy(b->hints, b->hints + b->hints_len - 64, 32);
			memcpy(b->hints + b->hints_len - 64, tmp, 32);
		}
		run_batch(bs, 6, rc, via);
		for (size_t i = 0; i < 6; i++) {
			CHECK_MSG(rc[i] == 0, "kind %d ballot %zu rc %d", kind,
			    i, rc[i]);
			CHECK_MSG(via[i] == (i != 2), "kind %d ballot %zu via %d",
			    kind, i, via[i]);
		}
	}
}

/* Invalid ballots mixed into a batch: exactly they are rejected, each
 * with ballot_verify's code. */
static void
test_invalid_mixed(void)
{
	enum { N = 10 };
	static tballot bs[N];
	int rc[N], want[N];
	uint8_t via[N];
	ballot_parsed p;

	for (size_t i = 0; i < N; i++)
		make_ballot(&bs[i], "motion-1", 3, 1, 1);
	/* 1: bad proof (a response changed, re-signed, hints as built). */
	CHECK(ballot_body_parse(&p, bs[1].body, bs[1].len) == 0);
	bs[1].body[(size_t)(p.choice[0] - bs[1].body) + 64 + 32] ^= 1;
	resign(&bs[1]);
	/* 4: bad signature. */
	bs[4].sig[10] ^= 0x20;
	/* 6: verified against another question (wrong_question). */
	if (ballot_question_init(&bs[6].q, "motion-2", 8, 3, 1, 1) != 0)
		abort();
	/* 8: another election. */
	bs[8].eid[0] ^= 1;
	for (size_t i = 0; i < N; i++)
		want[i] = verify_one(&bs[i]);
	CHECK(want[1] == SCRUTIN_ERR_PROOF && want[4] == SCRUTIN_ERR_SIGNATURE
	    && want[6] == SCRUTIN_ERR_CONTEXT && want[8] == SCRUTIN_ERR_CONTEXT);
	run_batch(bs, N, rc, via);
	for (size_t i = 0; i < N; i++) {
		CHECK_MSG(rc[i] == want[i], "ballot %zu: %d, want %d", i, rc[i],
		    want[i]);
		CHECK(rc[i] == verify_ref(&bs[i]));
		CHECK((rc[i] != 0) == (i == 1 || i == 4 || i == 6 || i == 8));
	}
	/* The bad proof made the chunk's equation fail; its halves found
	 * it: every valid ballot still came through a batch equation. */
	for (size_t i = 0; i < N; i++)
		CHECK_MSG(via[i] == (rc[i] == 0), "ballot %zu via %d", i,
		    via[i]);

	/* Without the bad proof, the others pass through the batch. */
	make_ballot(&bs[1], "motion-1", 3, 1, 1);
	run_batch(bs, N, rc, via);
	for (size_t i = 0; i < N; i++)
		CHECK(via[i] == (rc[i] == 0) &&
		    (rc[i] == 0) == !(i == 4 || i == 6 || i == 8));
}

/* Makes b a ballot whose challenges match its hint bytes but whose
 * commitments are not s·G − c·α, s·Y − c·β_j: π_1's hints replaced by
 * four random points, c_0 = c − c_1 so that Σ c_j is the challenge of
 * these bytes, signed again. Step 3 passes, step 4 must not. */
static void
forge(tballot *b)
{
	static const uint64_t zero_one[2] = { 0, 1 };
	uint8_t ctx[BALLOT_CTX_MAX], c[32], enc[32];
	ballot_parsed p;
	rf_point pt;

	CHECK(ballot_body_parse(&p, b->body, b->len) == 0);
	uint8_t *pi1 = b->body + (p.choice[0] - b->body) + 64;
	size_t cl = ballot_context(ctx, &b->q, b->eid, p.voice_pk, 1);

	for (int j = 0; j < 4; j++) {
		random_point(&pt, enc);
		memcpy(b->hints + 32 * j, enc, 32);
	}
	proof_member_challenge(c, ctx, cl, b->y, p.choice[0], zero_one, 2,
	    b->hints);
	crypto_core_ristretto255_scalar_sub(pi1, c, pi1 + 64);
	resign(b);
	CHECK(proof_member_check_hints(ctx, cl, b->y, p.choice[0], zero_one,
	    2, pi1, 128, b->hints) == 0);
}

/* A forged ballot (forge) among valid ones. */
static void
test_false_equations(void)
{
	enum { N = 5 };
	static tballot bs[N];
	int rc[N];
	uint8_t via[N];

	for (size_t i = 0; i < N; i++)
		make_ballot(&bs[i], "motion-1", 3, 1, 1);
	forge(&bs[3]);
	CHECK(verify_one(&bs[3]) == SCRUTIN_ERR_PROOF);
	run_batch(bs, N, rc, via);
	for (size_t i = 0; i < N; i++) {
		CHECK_MSG(rc[i] == (i == 3 ? SCRUTIN_ERR_PROOF : 0),
		    "ballot %zu rc %d", i, rc[i]);
		CHECK(via[i] == (i != 3));
	}
	/* Alone too. */
	run_batch(bs + 3, 1, rc, via);
	CHECK(rc[0] == SCRUTIN_ERR_PROOF && via[0] == 0);
}

/* The error of π_1's first A-equation of b: s_0·G − c_0·α − A_0 (its
 * hint). OUT e. */
static void
first_error(uint8_t e[32], const tballot *b)
{
	ballot_parsed p;
	const uint8_t *pi;

	CHECK(ballot_body_parse(&p, b->body, b->len) == 0);
	pi = p.choice[0] + 64;
	CHECK(group_base_minus(e, pi + 32, pi, p.choice[0]) == 0);
	CHECK(group_sub(e, e, b->hints) == 0);
}

/* Two forged ballots whose errors cancel (issue 13, finding 13): s_0 of
 * π_1 moved by +δ in one and −δ in the other, the hints left the honest
 * commitments, so the challenges match their bytes and the equations are
 * false by δ·G, δ·Y and −δ·G, −δ·Y — a batch sum without random weights
 * (or with equal ones) would pass. Both are refused, in one batch and
 * alone, and the valid ballots around them still go through a batch. */
static void
test_cancelling_forgeries(void)
{
	enum { N = 6 };
	static tballot bs[N];
	uint8_t delta[32], e1[32], e4[32], sum[32];
	int rc[N];
	uint8_t via[N];

	for (size_t i = 0; i < N; i++)
		make_ballot(&bs[i], "motion-1", 3, 1, 1);
	group_scalar_random(delta);
	for (size_t i = 1; i < N; i += 3) {	/* ballots 1 and 4 */
		ballot_parsed p;
		uint8_t *s0;

		CHECK(ballot_body_parse(&p, bs[i].body, bs[i].len) == 0);
		s0 = bs[i].body + (p.choice[0] - bs[i].body) + 64 + 32;
		if (i == 1)
			crypto_core_ristretto255_scalar_add(s0, s0, delta);
		else
			crypto_core_ristretto255_scalar_sub(s0, s0, delta);
		resign(&bs[i]);
	}
	/* The forgery is the one the test means: non-zero errors that sum
	 * to the identity. */
	first_error(e1, &bs[1]);
	first_error(e4, &bs[4]);
	CHECK(!group_point_is_identity(e1) && !group_point_is_identity(e4));
	CHECK(group_add(sum, e1, e4) == 0 && group_point_is_identity(sum));
	run_batch(bs, N, rc, via);
	for (size_t i = 0; i < N; i++) {
		int forged = i == 1 || i == 4;

		CHECK_MSG(rc[i] == (forged ? SCRUTIN_ERR_PROOF : 0),
		    "ballot %zu rc %d", i, rc[i]);
		CHECK(via[i] == !forged);
	}
	run_batch(bs + 1, 1, rc, via);
	CHECK(rc[0] == SCRUTIN_ERR_PROOF && via[0] == 0);
	run_batch(bs + 4, 1, rc, via);
	CHECK(rc[0] == SCRUTIN_ERR_PROOF && via[0] == 0);
}

/* ballot_verify_batch_acc: the sums of the accepted ballots — through the
 * batch equation, alone for a wrong hint or without hints — exactly what
 * ballot_verify_acc adds one by one; nothing of a forged one; a NULL
 * sums[i] adds nothing. */
static void
test_batch_sums(void)
{
	enum { N = 8 };
	static tballot bs[N];
	tally_acc a[N][2], b[2];
	tally_acc *sums[N];
	uint8_t ta[64], tb[64];
	int rc[N];
	uint8_t via[N];
	ballot_batch_item it[N];

	tally_acc_init(&b[0]);
	tally_acc_init(&b[1]);
	for (size_t i = 0; i < N; i++) {
		make_ballot(&bs[i], "motion-1", 3, 1, 1);
		tally_acc_init(&a[i][0]);
		tally_acc_init(&a[i][1]);
		sums[i] = i == 6 ? NULL : a[i];
	}
	forge(&bs[2]);
	bs[4].hints[3] ^= 1;		/* a wrong hint: decided alone */
	for (size_t i = 0; i < N; i++) {
		it[i] = (ballot_batch_item){ .q = &bs[i].q, .eid = bs[i].eid,
		    .y = bs[i].y, .body = bs[i].body, .len = bs[i].len,
		    .sig = bs[i].sig, .hints = i == 5 ? NULL : bs[i].hints,
		    .hints_len = bs[i].hints_len };
		if (i != 2 && i != 6)
			CHECK(ballot_verify_acc(NULL, &bs[i].q, bs[i].eid,
			    bs[i].y, bs[i].body, bs[i].len, bs[i].sig, b) == 0);
	}
	CHECK(ballot_verify_batch_acc(it, N, rc, via, sums) == 0);
	for (size_t i = 0; i < N; i++) {
		CHECK(rc[i] == (i == 2 ? SCRUTIN_ERR_PROOF : 0));
		CHECK(via[i] == (i != 2 && i != 4 && i != 5));
	}
	for (size_t i = 1; i < N; i++)
		if (i != 6)
			for (int c = 0; c < 2; c++)
				tally_acc_merge(&a[0][c], &a[i][c]);
	for (int c = 0; c < 2; c++) {
		tally_acc_final(ta, &a[0][c]);
		tally_acc_final(tb, &b[c]);
		CHECK_MSG(memcmp(ta, tb, 64) == 0, "sum of choice %d", c + 1);
	}
	tally_acc_final(ta, &a[2][0]);
	CHECK(group_point_is_identity(ta) && group_point_is_identity(ta + 32));
}

/* p − s for a field element s < p (little-endian): the other square
 * root's encoding, which RFC 9496 forbids (s must be non-negative). */
static void
negate_encoding(uint8_t out[32], const uint8_t in[32])
{
	static const uint8_t p[32] = {
		0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0x7f,
	};
	unsigned borrow = 0;

	for (size_t i = 0; i < 32; i++) {
		unsigned d = (unsigned)p[i] - in[i] - borrow;

		out[i] = (uint8_t)d;
		borrow = (d >> 8) & 1;
	}
}

/* A ballot whose π_1 is a true proof for its hint bytes, where the real
 * branch's commitment A is sent with the negated encoding of the right
 * point (p − s, the same point for a decoder that forgot the sign test):
 * ballot_verify hashes the canonical encoding and refuses it, so the
 * batch must too; the decoder of the batch path is what refuses it. The
 * same construction with the canonical encoding is accepted through the
 * batch (the control that the construction is right). */
static void
test_negated_encoding(void)
{
	enum { N = 4 };
	static tballot bs[N];
	static const uint64_t zero_one[2] = { 0, 1 };
	uint8_t r[BALLOT_CHOICES_MAX][32], nonces[64][32], sel[3] = { 1, 0, 0 };
	uint8_t ctx[BALLOT_CTX_MAX], c[32], w[32], cs[32], ss[32], t[32];
	uint8_t alpha_chk[32], beta1[32], a[32], b[32];
	int rc[N];
	uint8_t via[N];
	ballot_parsed p;

	for (int negate = 0; negate < 2; negate++) {
		for (size_t i = 0; i < N; i++)
			make_ballot(&bs[i], "motion-1", 3, 1, 1);
		tballot *bt = &bs[1];

		for (uint32_t i = 0; i < bt->q.e; i++)
			group_scalar_random(r[i]);
		for (size_t i = 0; i < ballot_nonce_count(&bt->q); i++)
			group_scalar_random(nonces[i]);
		CHECK(ballot_build_with_nonces_hints(bt->body, sizeof bt->body,
		    &bt->len, bt->hints, &bt->q, bt->eid, bt->y,
		    credential_public_key(cred), credential_public_key(cred),
		    sel, (const uint8_t (*)[32])r,
		    (const uint8_t (*)[32])nonces) == 0);
		CHECK(ballot_body_parse(&p, bt->body, bt->len) == 0);
		const uint8_t *alpha = p.choice[0], *beta = alpha + 32;
		uint8_t *pi1 = bt->body + (p.choice[0] - bt->body) + 64;
		size_t cl = ballot_context(ctx, &bt->q, bt->eid, p.voice_pk, 1);

		group_mul_base(alpha_chk, r[0]);
		CHECK(memcmp(alpha_chk, alpha, 32) == 0);
		/* m = 1: branch 1 is real (β_1 = β − G = r·Y), branch 0
		 * simulated with random c_0, s_0. */
		CHECK(group_sub(beta1, beta, group_generator) == 0);
		group_scalar_random(cs);
		group_scalar_random(ss);
		CHECK(group_base_minus(a, ss, cs, alpha) == 0);
		CHECK(group_mul(b, ss, bt->y) == 0 && group_mul(t, cs, beta) ==
		    0 && group_sub(b, b, t) == 0);
		memcpy(bt->hints, a, 32);
		memcpy(bt->hints + 32, b, 32);
		group_scalar_random(w);
		group_mul_base(a, w);
		CHECK(group_mul(b, w, bt->y) == 0);
		if (negate)
			negate_encoding(bt->hints + 64, a);
		else
			memcpy(bt->hints + 64, a, 32);
		memcpy(bt->hints + 96, b, 32);
		proof_member_challenge(c, ctx, cl, bt->y, alpha, zero_one, 2,
		    bt->hints);
		memcpy(pi1, cs, 32);
		memcpy(pi1 + 32, ss, 32);
		crypto_core_ristretto255_scalar_sub(pi1 + 64, c, cs);
		crypto_core_ristretto255_scalar_mul(t, pi1 + 64, r[0]);
		crypto_core_ristretto255_scalar_add(pi1 + 96, w, t);
		resign(bt);
		/* Steps 1–3 pass either way: the challenge is the hash of
		 * the bytes sent. */
		CHECK(proof_member_check_hints(ctx, cl, bt->y, alpha,
		    zero_one, 2, pi1, 128, bt->hints) == 0);
		CHECK_MSG(verify_one(bt) == (negate ? SCRUTIN_ERR_PROOF : 0),
		    "negate %d: ballot_verify %d", negate, verify_one(bt));
		run_batch(bs, N, rc, via);
		for (size_t i = 0; i < N; i++) {
			int bad = negate && i == 1;

			CHECK_MSG(rc[i] == (bad ? SCRUTIN_ERR_PROOF : 0) &&
			    via[i] == !bad, "negate %d ballot %zu: rc %d via %d",
			    negate, i, rc[i], via[i]);
		}
	}
}

/* Forgeries (forge() above) at chosen places of a batch of 64: the
 * failed chunk is split until each forgery is alone, so every valid
 * ballot is still accepted by a batch equation while one or two are
 * forged; with many, the budget sends the rest one by one. The verdicts
 * are ballot_verify's in every case. */
static void
test_bisect(void)
{
	enum { N = 64 };
	static tballot bs[N];
	static const struct {
		const char *name;
		size_t at[N];
		size_t n;
		int all_batched;
	} cases[] = {
		{ "first", { 0 }, 1, 1 },
		{ "last", { N - 1 }, 1, 1 },
		{ "middle", { 31 }, 1, 1 },
		{ "two apart", { 5, 44 }, 2, 1 },
		{ "two together", { 20, 21 }, 2, 1 },
	};
	int rc[N];
	uint8_t via[N];

	for (size_t k = 0; k < sizeof cases / sizeof cases[0] + 2; k++) {
		uint8_t forged[N] = { 0 };
		size_t nvalid = 0, nbatched = 0;

		for (size_t i = 0; i < N; i++)
			make_ballot(&bs[i], "motion-1", 3, 1, 1);
		if (k < sizeof cases / sizeof cases[0])
			for (size_t j = 0; j < cases[k].n; j++)
				forged[cases[k].at[j]] = 1;
		else
			for (size_t i = 0; i < N; i++)	/* every other; all */
				forged[i] = k == sizeof cases /
				    sizeof cases[0] ? i % 2 : 1;
		for (size_t i = 0; i < N; i++)
			if (forged[i])
				forge(&bs[i]);
		run_batch(bs, N, rc, via);
		for (size_t i = 0; i < N; i++) {
			CHECK_MSG(rc[i] == (forged[i] ? SCRUTIN_ERR_PROOF : 0),
			    "case %zu ballot %zu: rc %d", k, i, rc[i]);
			CHECK(rc[i] == verify_one(&bs[i]));
			CHECK(!via[i] || rc[i] == 0);
			nvalid += !forged[i];
			nbatched += via[i];
		}
		if (k < sizeof cases / sizeof cases[0])
			CHECK_MSG(nbatched == nvalid, "%s: %zu of %zu valid "
			    "ballots through a batch", cases[k].name, nbatched,
			    nvalid);
	}
}

/* Random questions, ballots and mutations: the batch's code is always
 * ballot_verify_ref's. */
static void
test_differential(void)
{
	enum { N = 24 };
	static tballot bs[N];
	static const struct {
		const char *qid;
		uint32_t n, min, max;
	} qs[] = {
		{ "motion-1", 3, 1, 1 }, { "bureau", 10, 0, 3 },
		{ "pick2", 4, 2, 2 }, { "yesno", 2, 1, 1 },
		{ "any", 5, 0, 5 }, { "some", 6, 2, 4 },
	};
	int rc[N];
	uint8_t via[N];
	unsigned long cases = 0, rejected = 0, batched = 0;

	for (unsigned long round = 0; round < iters(12); round++) {
		for (size_t i = 0; i < N; i++) {
			unsigned k = randombytes_uniform(6);
			tballot *b = &bs[i];

			make_ballot(b, qs[k].qid, qs[k].n, qs[k].min,
			    qs[k].max);
			/* A third of the rounds without mutations (the batch
			 * equation decides), the others with many. */
			switch (round % 3 == 0 ? 99 : randombytes_uniform(8)) {
			case 0:	/* a body byte, re-signed */
				b->body[randombytes_uniform((uint32_t)b->len)]
				    ^= (uint8_t)(1u << randombytes_uniform(8));
				resign(b);
				break;
			case 1:	/* a hint byte */
				b->hints[randombytes_uniform(
				    (uint32_t)b->hints_len)] ^=
				    (uint8_t)(1u << randombytes_uniform(8));
				break;
			case 2:	/* a signature byte */
				b->sig[randombytes_uniform(64)] ^= 4;
				break;
			case 3:	/* a body byte after the proofs' scalars:
				 * the last byte (π_0's last s) */
				b->body[b->len - 1] ^= 0x01;
				resign(b);
				break;
			default:
				break;
			}
		}
		run_batch(bs, N, rc, via);
		for (size_t i = 0; i < N; i++) {
			int want = verify_ref(&bs[i]);

			CHECK_MSG(rc[i] == want, "round %lu ballot %zu: %d, "
			    "want %d", round, i, rc[i], want);
			CHECK(!via[i] || rc[i] == 0);
			cases++;
			rejected += want != 0;
			batched += via[i];
		}
	}
	printf("test_batch: %lu differential cases, %lu rejected, %lu "
	    "through a batch equation\n", cases, rejected, batched);
	CHECK(rejected > 0 && rejected < cases && batched > 0);
}

int
main(void)
{
	const char *e;
	uint8_t x[32], seed[32];

	if (group_init() != 0)
		return 1;
	if (getenv("VALGRIND") != NULL && strcmp(getenv("VALGRIND"), "1") == 0)
		scale_div = 20;
#if defined(__SANITIZE_ADDRESS__)
	scale_div = 4;
#endif
	if ((e = getenv("SCRUTIN_TEST_QUICK")) != NULL && strcmp(e, "1") == 0)
		scale_div = 4;
	group_scalar_random(x);
	group_mul_base(elec_y, x);
	randombytes_buf(elec_eid, 32);
	randombytes_buf(seed, 32);
	if (credential_new_from_seed(&cred, seed) != 0)
		return 1;
	test_msm();
	test_builder_hints();
	test_valid_batch();
	test_wrong_hints();
	test_invalid_mixed();
	test_false_equations();
	test_cancelling_forgeries();
	test_batch_sums();
	test_negated_encoding();
	test_bisect();
	test_differential();
	credential_free(cred);
	return check_done("test_batch");
}

/*
 * test_fast.c — the variable-time verification path (crypto/fe25519.h,
 * crypto/ristretto_fast.h and the fast proof, ballot and tally code)
 * against independent references:
 *   - the field against a schoolbook big-integer implementation below
 *     (32-bit words, reduction by 2^255 ≡ 19) and algebraic identities;
 *   - points, decoding, encoding, addition, doubling, negation, tables,
 *     wNAF and double-scalar multiplication against libsodium's API;
 *   - the decoder's acceptance against group_point_check (libsodium +
 *     the top-bit rule) on tests/vectors/encoding.json, negative.json,
 *     random strings and mutated valid encodings;
 *   - fast against reference (libsodium-only) verification on every
 *     vector of proofs.json, ballot.json, negative.json and on random
 *     valid and mutated proofs and ballots: same return code, always.
 * Counts scale down under valgrind (VALGRIND=1, set by tests/run.sh),
 * AddressSanitizer and SCRUTIN_TEST_QUICK=1; SCRUTIN_TEST_SCALE=N
 * multiplies them (N = 5 runs ≥ 100,000 double-scalar multiplications).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "crypto/fe25519.h"
#include "crypto/ristretto_fast.h"
#include "crypto/scrutin_crypto.h"
#include "tests/check.h"
#include "tests/unit/vectors_json.h"


static unsigned long scale_div = 1, scale_mul = 1;
static unsigned long diff_cases;	/* differential comparisons made */

static unsigned long
iters(unsigned long n)
{
	unsigned long r = n * scale_mul / scale_div;

	return r > 0 ? r : 1;
}

static const uint8_t ell_minus_1[32] = {
	0xec, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
	0xa2, 0xde, 0xf9, 0xde, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
};

/* --- a slow, independent big-integer reference mod p ------------------- */

/* w: 8 little-endian 32-bit words (value < 2^256). */
static void
w_from_bytes(uint32_t w[8], const uint8_t s[32])
{
	for (int i = 0; i < 8; i++)
		w[i] = (uint32_t)s[4 * i] | (uint32_t)s[4 * i + 1] << 8 |
		    (uint32_t)s[4 * i + 2] << 16 | (uint32_t)s[4 * i + 3] << 24;
}

static void
w_to_bytes(uint8_t s[32], const uint32_t w[8])
{
	for (int i = 0; i < 8; i++)
		for (int j = 0; j < 4; j++)
			s[4 * i + j] = (uint8_t)(w[i] >> (8 * j));
}

/* Reduces x (n words, n ≤ 17) mod p into out[8]. */
static void
w_mod(uint32_t out[8], const uint32_t *x, int n)
{
	uint32_t v[18];
	int len = n;

	memset(v, 0, sizeof v);
	memcpy(v, x, (size_t)n * 4);
	/* While v ≥ 2^255: v = (v mod 2^255) + 19·(v >> 255). */
	for (;;) {
		uint32_t hi[18];
		int any = 0;

		memset(hi, 0, sizeof hi);
		for (int i = 0; i < len; i++) {
			/* hi = v >> 255 */
			uint64_t lo = v[i + 7 < 18 ? i + 7 : 17] >> 31;
			uint64_t up = (i + 8 < 18) ? (uint64_t)v[i + 8] << 1 : 0;

			if (i + 7 >= len)
				lo = 0;
			if (i + 8 >= len)
				up = 0;
			hi[i] = (uint32_t)(lo | up);
			any |= hi[i] != 0;
		}
		if (!any)
			break;
		v[7] &= 0x7fffffff;
		for (int i = 8; i < 18; i++)
			v[i] = 0;
		uint64_t c = 0;
		for (int i = 0; i < 18; i++) {
			uint64_t t = (uint64_t)v[i] + (uint64_t)hi[i] * 19 + c;

			v[i] = (uint32_t)t;
			c = t >> 32;
		}
		len = 18;
	}
	/* Now v < 2^255; subtract p once if v ≥ p. */
	static const uint32_t p[8] = { 0xffffffed, 0xffffffff, 0xffffffff,
	    0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x7fffffff };
	int ge = 1;
	for (int i = 7; i >= 0; i--) {
		if (v[i] > p[i])
			break;
		if (v[i] < p[i]) {
			ge = 0;
			break;
		}
	}
	if (ge) {
		int64_t b = 0;
		for (int i = 0; i < 8; i++) {
			int64_t t = (int64_t)v[i] - (int64_t)p[i] + b;

			v[i] = (uint32_t)t;
			b = t < 0 ? -1 : 0;
		}
	}
	memcpy(out, v, 32);
}

static void
ref_mul(uint8_t out[32], const uint8_t a[32], const uint8_t b[32])
{
	uint32_t x[8], y[8], prod[17], r[8];
	uint64_t acc[17];

	w_from_bytes(x, a);
	w_from_bytes(y, b);
	memset(acc, 0, sizeof acc);
	memset(prod, 0, sizeof prod);
	/* Schoolbook with 32-bit halves, carried immediately. */
	for (int i = 0; i < 8; i++) {
		uint64_t c = 0;

		for (int j = 0; j < 8; j++) {
			uint64_t t = (uint64_t)x[i] * y[j] + prod[i + j] + c;

			prod[i + j] = (uint32_t)t;
			c = t >> 32;
		}
		prod[i + 8] = (uint32_t)c;
	}
	w_mod(r, prod, 17);
	w_to_bytes(out, r);
}

static void
ref_add(uint8_t out[32], const uint8_t a[32], const uint8_t b[32], int neg)
{
	/* out = a ± b mod p, via a + (2^256·? ) — sub as a + (4p − b mod) */
	uint32_t x[8], y[8], v[9], r[8], yr[8];
	uint64_t c = 0;

	w_from_bytes(x, a);
	w_from_bytes(y, b);
	if (neg) {
		/* y = p − (y mod p), then add. */
		static const uint32_t p[8] = { 0xffffffed, 0xffffffff,
		    0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
		    0xffffffff, 0x7fffffff };
		int64_t bw = 0;

		w_mod(yr, y, 8);
		for (int i = 0; i < 8; i++) {
			int64_t t = (int64_t)p[i] - (int64_t)yr[i] + bw;

			y[i] = (uint32_t)t;
			bw = t < 0 ? -1 : 0;
		}
	}
	for (int i = 0; i < 8; i++) {
		uint64_t t = (uint64_t)x[i] + y[i] + c;

		v[i] = (uint32_t)t;
		c = t >> 32;
	}
	v[8] = (uint32_t)c;
	w_mod(r, v, 9);
	w_to_bytes(out, r);
}

static void
ref_canon(uint8_t out[32], const uint8_t a[32])
{
	uint32_t x[8], r[8];

	w_from_bytes(x, a);
	w_mod(r, x, 8);
	w_to_bytes(out, r);
}

/* Random field input: random bytes, sometimes values near 0, p, 2^255. */
static void
rand_fe_bytes(uint8_t s[32])
{
	uint32_t k = randombytes_uniform(8);

	randombytes_buf(s, 32);
	if (k == 0) {
		memset(s, 0xff, 32);
		s[0] = (uint8_t)(0xed - randombytes_uniform(4));
		s[31] = 0x7f;	/* p − 0..3 (p itself for 0xed) */
	} else if (k == 1) {
		memset(s, 0, 32);
		s[0] = (uint8_t)randombytes_uniform(4);
	} else if (k == 2) {
		memset(s, 0xff, 32);	/* 2^256 − 1: bit 255 dropped */
	}
}

static void
test_field(void)
{
	uint8_t a[32], b[32], ac[32], bc[32], got[32], want[32];
	fe25519 f, g, h, t, u;
	unsigned long n = iters(100000), bad = 0;

	/* Constants. */
	{
		fe25519 c121666 = { { 121666, 0, 0, 0, 0 } };
		fe25519 c121665 = { { 121665, 0, 0, 0, 0 } };

		fe_mul(&h, &fe_d, &c121666);
		fe_neg(&t, &c121665);
		CHECK(fe_equal(&h, &t));
		fe_add(&h, &fe_d, &fe_d);
		CHECK(fe_equal(&h, &fe_d2));
		fe_sq(&h, &fe_sqrtm1);
		fe_neg(&t, &fe_one);
		CHECK(fe_equal(&h, &t) && !fe_is_negative(&fe_sqrtm1));
		fe_sq(&h, &fe_invsqrt_a_minus_d);
		fe_neg(&t, &fe_one);
		fe_sub(&t, &t, &fe_d);		/* a − d = −1 − d */
		fe_mul(&h, &h, &t);
		CHECK(fe_equal(&h, &fe_one) &&
		    !fe_is_negative(&fe_invsqrt_a_minus_d));
	}
	for (unsigned long i = 0; i < n; i++) {
		rand_fe_bytes(a);
		rand_fe_bytes(b);
		a[31] &= 0x7f;	/* fe_frombytes ignores bit 255; so does ref */
		b[31] &= 0x7f;
		fe_frombytes(&f, a);
		fe_frombytes(&g, b);
		ref_canon(ac, a);
		ref_canon(bc, b);
		fe_tobytes(got, &f);
		bad += memcmp(got, ac, 32) != 0;
		fe_mul(&h, &f, &g);
		fe_tobytes(got, &h);
		ref_mul(want, a, b);
		bad += memcmp(got, want, 32) != 0;
		fe_sq(&h, &f);
		fe_tobytes(got, &h);
		ref_mul(want, a, a);
		bad += memcmp(got, want, 32) != 0;
		fe_add(&h, &f, &g);
		fe_tobytes(got, &h);
		ref_add(want, a, b, 0);
		bad += memcmp(got, want, 32) != 0;
		fe_sub(&h, &f, &g);
		fe_tobytes(got, &h);
		ref_add(want, a, b, 1);
		bad += memcmp(got, want, 32) != 0;
		/* Chains keep the limb bounds: (f+g)·(f−g) = f² − g². */
		fe_add(&t, &f, &g);
		fe_sub(&u, &f, &g);
		fe_mul(&h, &t, &u);
		fe_tobytes(got, &h);
		{
			uint8_t f2[32], g2[32];

			ref_mul(f2, a, a);
			ref_mul(g2, b, b);
			ref_add(want, f2, g2, 1);
		}
		bad += memcmp(got, want, 32) != 0;
		/* Canonical decoding: ok iff the bytes are < p. */
		{
			int canon = memcmp(a, ac, 32) == 0;

			bad += (unsigned long)((fe_frombytes_canonical(&h, a) == 0) != canon);
		}
		if (i % 16 == 0) {
			/* invert, pow22523, sqrt_ratio (slower). */
			fe_invert(&h, &f);
			fe_mul(&t, &h, &f);
			if (fe_is_zero(&f))
				bad += !fe_is_zero(&h);
			else
				bad += !fe_equal(&t, &fe_one);
			/* t = f^((p−5)/8): t^8·f^4 = f^(p−1) = 1. */
			fe_pow22523(&t, &f);
			fe_sq(&t, &t);
			fe_sq(&t, &t);
			fe_sq(&t, &t);
			fe_sq(&u, &f);
			fe_sq(&u, &u);
			fe_mul(&t, &t, &u);
			if (!fe_is_zero(&f))
				bad += !fe_equal(&t, &fe_one);
			/* sqrt_ratio(f, g): r² g = f (square) or i·f. */
			if (!fe_is_zero(&g)) {
				int sq = fe_sqrt_ratio_m1(&h, &f, &g);

				fe_sq(&t, &h);
				fe_mul(&t, &t, &g);
				if (sq) {
					bad += !fe_equal(&t, &f);
				} else {
					fe_mul(&u, &f, &fe_sqrtm1);
					bad += !fe_equal(&t, &u);
				}
				bad += fe_is_negative(&h) != 0;
				/* f² / g² is always a square. */
				fe_sq(&t, &f);
				fe_sq(&u, &g);
				bad += !fe_sqrt_ratio_m1(&h, &t, &u);
			}
		}
		diff_cases++;
	}
	CHECK_MSG(bad == 0, "%lu field mismatches in %lu cases", bad, n);
}

/* --- points --------------------------------------------------------------- */

static void
rand_point(uint8_t p[32])
{
	uint8_t h[64];

	randombytes_buf(h, sizeof h);
	crypto_core_ristretto255_from_hash(p, h);
}

static int
lsod_add(uint8_t r[32], const uint8_t p[32], const uint8_t q[32])
{
	return group_add(r, p, q);
}

static void
test_points(void)
{
	uint8_t p[32], q[32], r[32], want[32], got[32];
	rf_point P, Q, R;
	unsigned long n = iters(100000), bad = 0;

	/* Identity, generator, small multiples k·G, k = 0…300. */
	CHECK(rf_decode(&P, group_identity) == 0 && rf_is_identity(&P));
	rf_encode(got, &P);
	CHECK(memcmp(got, group_identity, 32) == 0);
	rf_identity(&P);
	rf_encode(got, &P);
	CHECK(memcmp(got, group_identity, 32) == 0);
	CHECK(rf_decode(&P, group_generator) == 0);
	rf_encode(got, &P);
	CHECK(memcmp(got, group_generator, 32) == 0);
	rf_identity(&R);
	memcpy(r, group_identity, 32);
	for (int k = 0; k <= 300; k++) {
		uint8_t ks[32];

		rf_encode(got, &R);
		bad += memcmp(got, r, 32) != 0;
		group_scalar_from_u64(ks, (uint64_t)k);
		rf_mul_base(&Q, ks);
		rf_encode(got, &Q);
		bad += memcmp(got, r, 32) != 0;
		/* decode(encode) is the same class */
		bad += rf_decode(&Q, r) != 0;
		rf_encode(got, &Q);
		bad += memcmp(got, r, 32) != 0;
		rf_add(&R, &R, rf_base());
		if (group_add(r, r, group_generator) != 0)
			bad++;
		diff_cases += 3;
	}
	CHECK_MSG(bad == 0, "%lu small-multiple mismatches", bad);

	bad = 0;
	for (unsigned long i = 0; i < n; i++) {
		int pid = i % 97 == 0, qid = i % 89 == 0;

		if (pid)
			memcpy(p, group_identity, 32);
		else
			rand_point(p);
		if (qid)
			memcpy(q, i % 2 ? p : group_identity, 32);
		else
			rand_point(q);
		if (rf_decode(&P, p) != 0 || rf_decode(&Q, q) != 0) {
			bad++;
			continue;
		}
		rf_encode(got, &P);
		bad += memcmp(got, p, 32) != 0;
		/* add */
		if (lsod_add(want, p, q) != 0)
			bad++;
		rf_add(&R, &P, &Q);
		rf_encode(got, &R);
		bad += memcmp(got, want, 32) != 0;
		/* sub */
		if (group_sub(want, p, q) != 0)
			bad++;
		rf_sub(&R, &P, &Q);
		rf_encode(got, &R);
		bad += memcmp(got, want, 32) != 0;
		/* double */
		if (lsod_add(want, p, p) != 0)
			bad++;
		rf_dbl(&R, &P);
		rf_encode(got, &R);
		bad += memcmp(got, want, 32) != 0;
		/* negation */
		if (group_sub(want, group_identity, p) != 0)
			bad++;
		rf_neg(&R, &P);
		rf_encode(got, &R);
		bad += memcmp(got, want, 32) != 0;
		/* an un-normalised representative (Z ≠ 1, T ≠ xy) encodes
		 * the same: P + Q − Q */
		rf_add(&R, &P, &Q);
		rf_sub(&R, &R, &Q);
		rf_encode(got, &R);
		bad += memcmp(got, p, 32) != 0;
		bad += rf_is_identity(&P) != group_point_is_identity(p);
		diff_cases += 6;
	}
	CHECK_MSG(bad == 0, "%lu point mismatches in %lu cases", bad, n);
}

/* Reconstructs Σ naf[i]·2^i mod l with libsodium's scalar arithmetic. */
static void
naf_value(uint8_t out[32], const int8_t naf[256])
{
	uint8_t two[32], acc[32], d[32];

	group_scalar_from_u64(two, 2);
	memset(acc, 0, 32);
	for (int i = 255; i >= 0; i--) {
		crypto_core_ristretto255_scalar_mul(acc, acc, two);
		if (naf[i] != 0) {
			group_scalar_from_u64(d, (uint64_t)(naf[i] > 0 ? naf[i] :
			    -naf[i]));
			if (naf[i] > 0)
				crypto_core_ristretto255_scalar_add(acc, acc, d);
			else
				crypto_core_ristretto255_scalar_sub(acc, acc, d);
		}
	}
	memcpy(out, acc, 32);
}

static void
test_wnaf(void)
{
	int8_t naf[256];
	uint8_t s[32], v[32];
	unsigned long n = iters(5000), bad = 0;

	for (unsigned long i = 0; i < n; i++) {
		int w = i % 2 ? RF_FIXED_W : RF_VAR_W;

		if (i == 0)
			memset(s, 0, 32);
		else if (i == 1)
			memcpy(s, ell_minus_1, 32);
		else if (i < 40)
			group_scalar_from_u64(s, i);
		else
			crypto_core_ristretto255_scalar_random(s);
		int top = rf_wnaf(naf, s, w);

		naf_value(v, naf);
		bad += memcmp(v, s, 32) != 0;
		for (int j = 0; j < 256; j++) {
			if (naf[j] == 0)
				continue;
			bad += (naf[j] & 1) == 0;
			bad += naf[j] >= (1 << (w - 1)) || naf[j] <= -(1 << (w - 1));
			bad += j >= top;
			for (int z = 1; z < w && j + z < 256; z++)
				bad += naf[j + z] != 0;
		}
		bad += top > 0 && naf[top - 1] == 0;
		diff_cases++;
	}
	CHECK_MSG(bad == 0, "%lu wNAF errors", bad);
}

static void
test_mul(void)
{
	uint8_t a[32], b[32], p[32], q[32], ap[32], bq[32], want[32], got[32];
	uint8_t nb[32];
	rf_point P, Q, R;
	rf_var_table tp, tq;
	rf_key key;
	unsigned long n = iters(20000), bad = 0;

	/* The fixed table of G: entry i is (2i+1)·G (one wNAF digit). */
	for (int k = 1; k < 2 * RF_FIXED_N; k += 2) {
		group_scalar_from_u64(a, (uint64_t)k);
		group_mul_base(want, a);
		rf_mul_base(&R, a);
		rf_encode(got, &R);
		bad += memcmp(got, want, 32) != 0;
	}
	CHECK_MSG(bad == 0, "base table differs");
	for (unsigned long i = 0; i < n; i++) {
		/* Scalars: random, with edge values mixed in. */
		static const uint8_t zero[32] = { 0 }, one[32] = { 1 },
		    two[32] = { 2 };
		const uint8_t *edge[4] = { zero, ell_minus_1, one, two };
		crypto_core_ristretto255_scalar_random(a);
		crypto_core_ristretto255_scalar_random(b);
		if (i % 7 < 4 && i < 64)
			memcpy(a, edge[i % 4], 32);
		if (i % 11 < 4 && i < 128)
			memcpy(b, edge[(i / 3) % 4], 32);
		if (i % 50 == 3)
			group_scalar_from_u64(b, randombytes_uniform(1000));
		rand_point(p);
		rand_point(q);
		if (i % 101 == 0)
			memcpy(q, group_identity, 32);
		if (i % 103 == 0)
			memcpy(q, p, 32);
		if (rf_decode(&P, p) != 0 || rf_decode(&Q, q) != 0) {
			bad++;
			continue;
		}
		rf_var_table_init(&tp, &P);
		rf_var_table_init(&tq, &Q);
		/* a·G − b·Q (the verification shape) vs libsodium. */
		group_mul_base(ap, a);
		crypto_core_ristretto255_scalar_negate(nb, b);
		if (group_mul(bq, nb, q) != 0 || group_add(want, ap, bq) != 0)
			bad++;
		rf_mul2(&R, a, rf_base_table(), NULL, b, NULL, &tq, 1);
		rf_encode(got, &R);
		bad += memcmp(got, want, 32) != 0;
		/* a·P + b·Q, both variable. */
		if (group_mul(ap, a, p) != 0 || group_mul(bq, b, q) != 0 ||
		    group_add(want, ap, bq) != 0)
			bad++;
		rf_mul2(&R, a, NULL, &tp, b, NULL, &tq, 0);
		rf_encode(got, &R);
		bad += memcmp(got, want, 32) != 0;
		if (i % 8 == 0) {
			/* A key table for P: a·P − b·Q. */
			if (rf_key_init(&key, p) != 0)
				bad++;
			if (group_mul(bq, nb, q) != 0 ||
			    group_add(want, ap, bq) != 0)
				bad++;
			rf_mul2(&R, a, &key.tab, NULL, b, NULL, &tq, 1);
			rf_encode(got, &R);
			bad += memcmp(got, want, 32) != 0;
			/* single: a·G, a·P */
			group_mul_base(want, a);
			rf_mul_base(&R, a);
			rf_encode(got, &R);
			bad += memcmp(got, want, 32) != 0;
			rf_mul_var(&R, a, &tp);
			rf_encode(got, &R);
			bad += memcmp(got, ap, 32) != 0;
			diff_cases += 3;
		}
		diff_cases += 2;
	}
	CHECK_MSG(bad == 0, "%lu multiplication mismatches in %lu cases", bad,
	    n);
}

/* --- the decoder's acceptance equals group_point_check -------------------- */

static unsigned long decode_bad;

static void
decode_agree(const uint8_t s[32])
{
	rf_point P;
	uint8_t back[32];
	int ok = rf_decode(&P, s) == 0;

	if (ok != (group_point_check(s) == 0)) {
		decode_bad++;
		return;
	}
	if (ok) {
		rf_encode(back, &P);
		decode_bad += memcmp(back, s, 32) != 0;
	}
	diff_cases++;
}

static const char *
str(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s ? s : "";
}

static uint64_t
num(json_t *obj, const char *key)
{
	return (uint64_t)json_integer_value(json_object_get(obj, key));
}

static void
test_decode_acceptance(void)
{
	json_t *j = load("encoding.json"), *v;
	uint8_t s[32], p[32];
	size_t i, nvec = 0;
	unsigned long n = iters(100000);

	decode_bad = 0;
	json_array_foreach(json_object_get(j, "points_valid"), i, v) {
		CHECK(hxs(v, s, 32) == 0);
		decode_agree(s);
		nvec++;
	}
	json_array_foreach(json_object_get(j, "points_invalid"), i, v) {
		if (hx(v, "hex", s, 32) == 0) {
			decode_agree(s);
			nvec++;
		}
	}
	json_decref(j);
	j = load("negative.json");
	json_array_foreach(json_object_get(j, "cases"), i, v) {
		if (strcmp(str(v, "kind"), "point") == 0 &&
		    hx(json_object_get(v, "input"), "hex", s, 32) == 0) {
			decode_agree(s);
			nvec++;
		}
	}
	json_decref(j);
	CHECK(nvec >= 20);
	CHECK_MSG(decode_bad == 0, "decoder disagrees on %lu vectors",
	    decode_bad);
	/* Random strings (≈ 1/16 decode), the same with bit 255 cleared and
	 * the low bit cleared (≈ 1/4), mutated valid encodings, field
	 * elements near p, and the four 2^255 − 19 + k. */
	for (unsigned long k = 0; k < n; k++) {
		randombytes_buf(s, 32);
		decode_agree(s);
		s[31] &= 0x7f;
		s[0] &= 0xfe;
		decode_agree(s);
		rand_point(p);
		memcpy(s, p, 32);
		s[randombytes_uniform(32)] ^= (uint8_t)(1u <<
		    randombytes_uniform(8));
		decode_agree(s);
		memcpy(s, p, 32);
		s[randombytes_uniform(32)] = (uint8_t)randombytes_uniform(256);
		decode_agree(s);
	}
	for (int k = 0; k < 64; k++) {
		memset(s, 0xff, 32);
		s[31] = 0x7f;
		s[0] = (uint8_t)(0xed - 32 + k);	/* p − 32 … p + 31 */
		if (k > 50) {
			s[0] = (uint8_t)(k - 51);	/* 0 … 12 */
			memset(s + 1, 0, 31);
		}
		decode_agree(s);
		s[31] |= 0x80;
		decode_agree(s);
	}
	CHECK_MSG(decode_bad == 0, "decoder disagrees on %lu inputs",
	    decode_bad);
}

/* --- fast vs reference verification ------------------------------------- */

static unsigned long verify_bad;

#define AGREE(fast_call, ref_call, what)                                    \
	do {                                                                \
		int f_ = (fast_call), r_ = (ref_call);                      \
		diff_cases++;                                               \
		if (f_ != r_) {                                             \
			verify_bad++;                                       \
			fprintf(stderr, "%s: fast %d, reference %d\n",      \
			    (what), f_, r_);                                \
		}                                                           \
	} while (0)

/* Runs verify with the fast path on and returns its code. */
static int
fast_pok(const uint8_t *ctx, size_t cl, const uint8_t x[32],
    const uint8_t pf[64])
{
	return proof_pok_verify(ctx, cl, x, pf);
}

static void
pok_agree(const uint8_t *ctx, size_t cl, const uint8_t x[32],
    const uint8_t pf[64], int mutate)
{
	uint8_t m[64], xm[32];

	AGREE(fast_pok(ctx, cl, x, pf), proof_pok_verify_ref(ctx, cl, x, pf),
	    "pok");
	if (!mutate)
		return;
	for (size_t i = 0; i < 64; i++) {
		memcpy(m, pf, 64);
		m[i] ^= (uint8_t)(1u << randombytes_uniform(8));
		AGREE(fast_pok(ctx, cl, x, m), proof_pok_verify_ref(ctx, cl, x,
		    m), "pok mutated proof");
	}
	for (size_t i = 0; i < 32; i++) {
		memcpy(xm, x, 32);
		xm[i] ^= (uint8_t)(1u << randombytes_uniform(8));
		AGREE(fast_pok(ctx, cl, xm, pf), proof_pok_verify_ref(ctx, cl,
		    xm, pf), "pok mutated X");
	}
}

static void
dleq_agree(const uint8_t *ctx, size_t cl, const uint8_t x[32],
    const uint8_t p[32], const uint8_t d[32], const uint8_t pf[64],
    int mutate)
{
	uint8_t m[64], pts[3][32];

	AGREE(proof_dleq_verify(ctx, cl, x, p, d, pf),
	    proof_dleq_verify_ref(ctx, cl, x, p, d, pf), "dleq");
	if (!mutate)
		return;
	for (size_t i = 0; i < 64; i++) {
		memcpy(m, pf, 64);
		m[i] ^= (uint8_t)(1u << randombytes_uniform(8));
		AGREE(proof_dleq_verify(ctx, cl, x, p, d, m),
		    proof_dleq_verify_ref(ctx, cl, x, p, d, m),
		    "dleq mutated proof");
	}
	for (size_t i = 0; i < 3 * 32; i++) {
		memcpy(pts[0], x, 32);
		memcpy(pts[1], p, 32);
		memcpy(pts[2], d, 32);
		pts[i / 32][i % 32] ^= (uint8_t)(1u << randombytes_uniform(8));
		AGREE(proof_dleq_verify(ctx, cl, pts[0], pts[1], pts[2], pf),
		    proof_dleq_verify_ref(ctx, cl, pts[0], pts[1], pts[2], pf),
		    "dleq mutated statement");
	}
}

static void
member_agree(const uint8_t *ctx, size_t cl, const uint8_t y[32],
    const uint8_t ct[64], const uint64_t *values, size_t k,
    const uint8_t *pf, size_t pl, int mutate)
{
	static uint8_t m[64 * 70];
	uint8_t cm[64], ym[32];

	AGREE(proof_member_verify(ctx, cl, y, ct, values, k, pf, pl),
	    proof_member_verify_ref(ctx, cl, y, ct, values, k, pf, pl),
	    "member");
	if (!mutate || pl > sizeof m)
		return;
	for (size_t i = 0; i < pl; i += (size_t)mutate) {
		memcpy(m, pf, pl);
		m[i] ^= (uint8_t)(1u << randombytes_uniform(8));
		AGREE(proof_member_verify(ctx, cl, y, ct, values, k, m, pl),
		    proof_member_verify_ref(ctx, cl, y, ct, values, k, m, pl),
		    "member mutated proof");
	}
	for (size_t i = 0; i < 64; i += (size_t)mutate) {
		memcpy(cm, ct, 64);
		cm[i] ^= (uint8_t)(1u << randombytes_uniform(8));
		AGREE(proof_member_verify(ctx, cl, y, cm, values, k, pf, pl),
		    proof_member_verify_ref(ctx, cl, y, cm, values, k, pf, pl),
		    "member mutated ct");
	}
	memcpy(ym, y, 32);
	ym[randombytes_uniform(32)] ^= 1;
	AGREE(proof_member_verify(ctx, cl, ym, ct, values, k, pf, pl),
	    proof_member_verify_ref(ctx, cl, ym, ct, values, k, pf, pl),
	    "member mutated y");
}

/* How often each code came out of ballot_agree: the mutations must reach
 * the point and proof checks, not only the parser. */
static unsigned long ballot_codes[32];

static void
ballot_agree(const ballot_question *q, const uint8_t eid[32],
    const uint8_t y[32], const uint8_t *body, size_t len,
    const uint8_t sig[64], const char *what)
{
	ballot_parsed pf, pr;
	int f = ballot_verify(&pf, q, eid, y, body, len, sig);
	int r = ballot_verify_ref(&pr, q, eid, y, body, len, sig);

	diff_cases++;
	if (r <= 0 && r > -32)
		ballot_codes[-r]++;
	if (f != r || memcmp(&pf, &pr, sizeof pf) != 0) {
		verify_bad++;
		fprintf(stderr, "%s: ballot fast %d, reference %d\n", what, f,
		    r);
	}
}

static void
test_vectors_agree(void)
{
	json_t *j = load("proofs.json"), *v;
	uint8_t ctx[PROOF_CTX_MAX], X[32], P[32], D[32], pf[64], y[32];
	uint8_t ct[64];
	static uint8_t mp[64 * 70];
	uint64_t values[70];
	size_t i, cl, pl, nneg = 0;

	verify_bad = 0;
	json_array_foreach(json_object_get(j, "pok"), i, v) {
		CHECK(hxv(v, "ctx", ctx, sizeof ctx, &cl) == 0 &&
		    hx(v, "X", X, 32) == 0 && hx(v, "proof", pf, 64) == 0);
		CHECK(proof_pok_verify(ctx, cl, X, pf) == 0);
		pok_agree(ctx, cl, X, pf, 1);
	}
	json_array_foreach(json_object_get(j, "dleq"), i, v) {
		CHECK(hxv(v, "ctx", ctx, sizeof ctx, &cl) == 0 &&
		    hx(v, "X", X, 32) == 0 && hx(v, "P", P, 32) == 0 &&
		    hx(v, "D", D, 32) == 0 && hx(v, "proof", pf, 64) == 0);
		CHECK(proof_dleq_verify(ctx, cl, X, P, D, pf) == 0);
		dleq_agree(ctx, cl, X, P, D, pf, 1);
	}
	json_array_foreach(json_object_get(j, "member"), i, v) {
		json_t *vals = json_object_get(v, "values"), *e;
		size_t k = json_array_size(vals), z;

		if (k < 1 || k > 65)
			continue;
		json_array_foreach(vals, z, e)
			values[z] = (uint64_t)json_integer_value(e);
		CHECK(hxv(v, "ctx", ctx, sizeof ctx, &cl) == 0 &&
		    hx(v, "y", y, 32) == 0 && hx(v, "ct", ct, 64) == 0 &&
		    hxv(v, "proof", mp, sizeof mp, &pl) == 0);
		CHECK(proof_member_verify(ctx, cl, y, ct, values, k, mp, pl) ==
		    0);
		member_agree(ctx, cl, y, ct, values, k, mp, pl, 1);
	}
	json_decref(j);

	/* negative.json: every proof and ballot case, both paths. */
	j = load("negative.json");
	json_array_foreach(json_object_get(j, "cases"), i, v) {
		const char *kind = str(v, "kind");
		json_t *in = json_object_get(v, "input");

		if (strcmp(kind, "pok") == 0 &&
		    hxv(in, "ctx", ctx, sizeof ctx, &cl) == 0 &&
		    hx(in, "X", X, 32) == 0 && hx(in, "proof", pf, 64) == 0) {
			CHECK(proof_pok_verify(ctx, cl, X, pf) != 0);
			pok_agree(ctx, cl, X, pf, 0);
			nneg++;
		} else if (strcmp(kind, "dleq") == 0 &&
		    hxv(in, "ctx", ctx, sizeof ctx, &cl) == 0 &&
		    hx(in, "X", X, 32) == 0 && hx(in, "P", P, 32) == 0 &&
		    hx(in, "D", D, 32) == 0 && hx(in, "proof", pf, 64) == 0) {
			CHECK(proof_dleq_verify(ctx, cl, X, P, D, pf) != 0);
			dleq_agree(ctx, cl, X, P, D, pf, 0);
			nneg++;
		} else if (strcmp(kind, "member") == 0) {
			json_t *vals = json_object_get(in, "values"), *e;
			size_t k = json_array_size(vals), z;

			if (k > 70 || hxv(in, "ctx", ctx, sizeof ctx, &cl) != 0 ||
			    hx(in, "y", y, 32) != 0 || hx(in, "ct", ct, 64) != 0 ||
			    hxv(in, "proof", mp, sizeof mp, &pl) != 0)
				continue;
			json_array_foreach(vals, z, e)
				values[z] = (uint64_t)json_integer_value(e);
			CHECK(proof_member_verify(ctx, cl, y, ct, values, k, mp,
			    pl) != 0);
			member_agree(ctx, cl, y, ct, values, k, mp, pl, 0);
			nneg++;
		} else if (strcmp(kind, "decrypt-share") == 0) {
			uint8_t eid[32], total[64];
			const char *qid = str(in, "qid");
			uint32_t tr = (uint32_t)num(in, "trustee");
			uint64_t ch = num(in, "choice");
			int f, r;

			if (hx(in, "eid", eid, 32) != 0 ||
			    hx(in, "verification_key", X, 32) != 0 ||
			    hx(in, "total", total, 64) != 0 ||
			    hx(in, "d", D, 32) != 0 || hx(in, "proof", pf, 64) != 0)
				continue;
			f = tally_share_verify(X, eid, qid, strlen(qid), ch, tr,
			    total, D, pf);
			rf_set_enabled(0);
			r = tally_share_verify(X, eid, qid, strlen(qid), ch, tr,
			    total, D, pf);
			rf_set_enabled(1);
			CHECK(f != 0);
			AGREE(f, r, "decrypt-share");
			nneg++;
		} else if (strcmp(kind, "ballot") == 0) {
			static uint8_t body[BALLOT_BODY_MAX + 64];
			uint8_t eid[32], sig[64];
			const char *qid = str(in, "qid");
			ballot_question q;

			if (ballot_question_init(&q, qid, strlen(qid),
			    (uint32_t)num(in, "n"), (uint32_t)num(in, "min"),
			    (uint32_t)num(in, "max")) != 0 ||
			    hx(in, "eid", eid, 32) != 0 || hx(in, "y", y, 32) != 0 ||
			    hxv(in, "body", body, sizeof body, &pl) != 0 ||
			    hx(in, "sig", sig, 64) != 0)
				continue;
			ballot_agree(&q, eid, y, body, pl, sig, str(v, "why"));
			nneg++;
		}
	}
	json_decref(j);
	CHECK(nneg >= 10);

	/* ballot.json: valid, then every byte of body and sig flipped. */
	j = load("ballot.json");
	json_array_foreach(json_object_get(j, "ballots"), i, v) {
		static uint8_t body[BALLOT_BODY_MAX];
		uint8_t eid[32], sig[64];
		const char *qid = str(v, "qid");
		ballot_question q;
		size_t len = 0;

		CHECK(ballot_question_init(&q, qid, strlen(qid),
		    (uint32_t)num(v, "n"), (uint32_t)num(v, "min"),
		    (uint32_t)num(v, "max")) == 0);
		CHECK(hx(v, "eid", eid, 32) == 0 && hx(v, "y", y, 32) == 0 &&
		    hxv(v, "body", body, sizeof body, &len) == 0 &&
		    hx(v, "sig", sig, 64) == 0);
		CHECK(ballot_verify(NULL, &q, eid, y, body, len, sig) == 0);
		ballot_agree(&q, eid, y, body, len, sig, "ballot.json");
		/* Every byte flipped, body RE-SIGNED with the vector's
		 * signer seed so that the flip reaches points and proofs. */
		uint8_t seed[32], msig[64];
		credential *cr = NULL;

		if (i >= 2 || hx(v, "signer_seed", seed, 32) != 0 ||
		    credential_new_from_seed(&cr, seed) != 0)
			continue;
		for (size_t b = 0; b < len; b += scale_div > 1 ? 97 : 1) {
			body[b] ^= (uint8_t)(1u << (b % 8));
			CHECK(credential_sign(cr, msig, body, len) == 0);
			ballot_agree(&q, eid, y, body, len, msig,
			    "ballot.json flip");
			body[b] ^= (uint8_t)(1u << (b % 8));
		}
		credential_free(cr);
	}
	json_decref(j);
	CHECK_MSG(verify_bad == 0, "%lu fast/reference disagreements on the "
	    "vectors", verify_bad);
}

/* Random elections and ballots, valid and mutated; the mutated bodies
 * are RE-SIGNED so that the mutation reaches the points and proofs. */
static void
test_random_ballots(void)
{
	static const struct {
		const char *qid;
		uint32_t n, min, max;
	} qs[4] = {
		{ "motion-1", 3, 1, 1 }, { "bureau", 10, 0, 3 },
		{ "pick2", 4, 2, 2 }, { "range", 6, 2, 4 },
	};
	static uint8_t body[BALLOT_BODY_MAX], mut[BALLOT_BODY_MAX];
	uint8_t eid[2][32], x[32], y[2][32], seed[32], sig[64], msig[64];
	unsigned long n = iters(300), bad_before;
	credential *cr;

	verify_bad = 0;
	randombytes_buf(seed, 32);
	CHECK(credential_new_from_seed(&cr, seed) == 0);
	for (int e = 0; e < 2; e++) {
		randombytes_buf(eid[e], 32);
		group_scalar_random(x);
		group_mul_base(y[e], x);
	}
	for (unsigned long it = 0; it < n; it++) {
		int qi = (int)(it % 4), el = (int)((it / 4) % 2);
		ballot_question q;
		uint8_t sel[64] = { 0 };
		size_t len;
		uint32_t cnt, want;

		CHECK(ballot_question_init(&q, qs[qi].qid, strlen(qs[qi].qid),
		    qs[qi].n, qs[qi].min, qs[qi].max) == 0);
		want = qs[qi].min + randombytes_uniform(qs[qi].max -
		    qs[qi].min + 1);
		for (cnt = 0; cnt < want;) {
			uint32_t c = randombytes_uniform(qs[qi].n);

			if (!sel[c]) {
				sel[c] = 1;
				cnt++;
			}
		}
		if (ballot_build(body, sizeof body, &len, &q, eid[el], y[el],
		    credential_public_key(cr), credential_public_key(cr), sel)
		    != 0 || credential_sign(cr, sig, body, len) != 0) {
			CHECK(0);
			continue;
		}
		CHECK(ballot_verify(NULL, &q, eid[el], y[el], body, len, sig) ==
		    0);
		ballot_agree(&q, eid[el], y[el], body, len, sig, "random valid");
		/* Wrong election key (cache switch) and wrong eid. */
		ballot_agree(&q, eid[el], y[1 - el], body, len, sig,
		    "random other key");
		/* A mutated, re-signed copy: one random byte or bit. */
		bad_before = verify_bad;
		for (int m = 0; m < 4; m++) {
			memcpy(mut, body, len);
			size_t b = randombytes_uniform((uint32_t)len);

			if (m % 2)
				mut[b] ^= (uint8_t)(1u << randombytes_uniform(8));
			else
				mut[b] = (uint8_t)randombytes_uniform(256);
			CHECK(credential_sign(cr, msig, mut, len) == 0);
			ballot_agree(&q, eid[el], y[el], mut, len, msig,
			    "random mutated");
		}
		/* Every byte flipped (re-signed) in the first ballot of each
		 * question. */
		if (it < 4) {
			/* all bytes of the short ballots, every 7th byte of
			 * the long ones */
			size_t step = scale_div > 1 ? 61 : (q.e > 3 ? 7 : 1);

			for (size_t b = 0; b < len; b += step) {
				memcpy(mut, body, len);
				mut[b] ^= (uint8_t)(1u << (b % 8));
				CHECK(credential_sign(cr, msig, mut, len) == 0);
				ballot_agree(&q, eid[el], y[el], mut, len, msig,
				    "every byte flipped");
			}
		}
		if (verify_bad != bad_before)
			fprintf(stderr, "(question %s)\n", qs[qi].qid);
	}
	credential_free(cr);
	CHECK_MSG(verify_bad == 0, "%lu fast/reference disagreements on "
	    "random ballots", verify_bad);
	printf("  ballot codes: ok %lu, point %lu, identity %lu, scalar %lu, "
	    "proof %lu, parse %lu, length %lu, context %lu, signature %lu\n",
	    ballot_codes[0], ballot_codes[-SCRUTIN_ERR_POINT],
	    ballot_codes[-SCRUTIN_ERR_IDENTITY],
	    ballot_codes[-SCRUTIN_ERR_SCALAR], ballot_codes[-SCRUTIN_ERR_PROOF],
	    ballot_codes[-SCRUTIN_ERR_PARSE], ballot_codes[-SCRUTIN_ERR_LENGTH],
	    ballot_codes[-SCRUTIN_ERR_CONTEXT],
	    ballot_codes[-SCRUTIN_ERR_SIGNATURE]);
	CHECK(ballot_codes[0] > 0 && ballot_codes[-SCRUTIN_ERR_POINT] > 0 &&
	    ballot_codes[-SCRUTIN_ERR_SCALAR] > 0 &&
	    ballot_codes[-SCRUTIN_ERR_PROOF] > 0);
}

/* Random pok / dleq / member proofs with mutations. */
static void
test_random_proofs(void)
{
	uint8_t ctx[16], x[32], X[32], p[32], d[32], pf[64], r[32], y[32];
	uint8_t ct[64], mp[64 * 8];
	uint64_t values[8];
	unsigned long n = iters(150);

	verify_bad = 0;
	randombytes_buf(ctx, sizeof ctx);
	for (unsigned long i = 0; i < n; i++) {
		group_scalar_random(x);
		group_mul_base(X, x);
		CHECK(proof_pok_prove(pf, ctx, sizeof ctx, X, x) == 0);
		pok_agree(ctx, sizeof ctx, X, pf, i % 10 == 0);
		rand_point(p);
		CHECK(group_mul(d, x, p) == 0);
		CHECK(proof_dleq_prove(pf, ctx, sizeof ctx, X, p, d, x) == 0);
		dleq_agree(ctx, sizeof ctx, X, p, d, pf, i % 10 == 0);
		/* member over k values lo…, true index random */
		size_t k = 1 + randombytes_uniform(6), idx;
		uint64_t lo = randombytes_uniform(3);

		for (size_t z = 0; z < k; z++)
			values[z] = lo + z + (z > 2 ? 5 : 0);	/* gaps too */
		idx = randombytes_uniform((uint32_t)k);
		group_scalar_random(r);
		rand_point(y);
		CHECK(elgamal_encrypt(ct, y, values[idx], r) == 0);
		CHECK(proof_member_prove(mp, ctx, sizeof ctx, y, ct, values, k,
		    idx, r) == 0);
		CHECK(proof_member_verify(ctx, sizeof ctx, y, ct, values, k, mp,
		    64 * k) == 0);
		member_agree(ctx, sizeof ctx, y, ct, values, k, mp, 64 * k,
		    i % 10 == 0 ? 1 : 0);
	}
	CHECK_MSG(verify_bad == 0, "%lu fast/reference disagreements on "
	    "random proofs", verify_bad);
}

/* Accumulated sums against tally_total_add (libsodium). */
static void
test_sums(void)
{
	enum { N = 2000 };
	static uint8_t cts[N][64];
	uint8_t ref[64], fast[64], y[32], x[32];
	tally_acc a, b;
	unsigned long bad = 0;
	size_t n = (size_t)iters(N) < N ? (size_t)iters(N) : N;

	group_scalar_random(x);
	group_mul_base(y, x);
	for (size_t i = 0; i < n; i++) {
		if (i % 50 == 7)
			memcpy(cts[i], group_identity, 32);
		else
			CHECK(elgamal_encrypt_random(cts[i], NULL, y, i % 2) == 0);
		if (i % 77 == 5)
			memcpy(cts[i] + 32, group_identity, 32);
	}
	tally_total_init(ref);
	tally_acc_init(&a);
	tally_acc_init(&b);
	for (size_t i = 0; i < n; i++) {
		CHECK(tally_total_add(ref, cts[i]) == 0);
		CHECK(tally_acc_add(i % 2 ? &a : &b, cts[i]) == 0);
		if (i % 97 == 0) {
			tally_acc c = a;

			tally_acc_merge(&c, &b);
			tally_acc_final(fast, &c);
			bad += memcmp(fast, ref, 64) != 0;
			diff_cases++;
		}
	}
	tally_acc_merge(&a, &b);
	tally_acc_final(fast, &a);
	CHECK(memcmp(fast, ref, 64) == 0);
	CHECK(tally_sum_ciphertexts(fast, (const uint8_t (*)[64])cts, n) == 0);
	CHECK(memcmp(fast, ref, 64) == 0);
	rf_set_enabled(0);
	CHECK(tally_sum_ciphertexts(fast, (const uint8_t (*)[64])cts, n) == 0);
	rf_set_enabled(1);
	CHECK(memcmp(fast, ref, 64) == 0);
	/* Subtracting everything again gives (O, O). */
	for (size_t i = 0; i < n; i++)
		CHECK(tally_acc_sub(&a, cts[i]) == 0);
	tally_acc_final(fast, &a);
	CHECK(sodium_is_zero(fast, 64));
	memset(fast, 0xaa, 64);
	CHECK(tally_sum_ciphertexts(fast, (const uint8_t (*)[64])cts, 0) == 0 &&
	    sodium_is_zero(fast, 64));
	/* An invalid point anywhere: SCRUTIN_ERR_POINT on both paths. */
	cts[n / 2][63] |= 0x80;
	CHECK(tally_sum_ciphertexts(fast, (const uint8_t (*)[64])cts, n) ==
	    SCRUTIN_ERR_POINT && sodium_is_zero(fast, 64));
	rf_set_enabled(0);
	CHECK(tally_sum_ciphertexts(fast, (const uint8_t (*)[64])cts, n) ==
	    SCRUTIN_ERR_POINT && sodium_is_zero(fast, 64));
	rf_set_enabled(1);
	tally_acc_init(&a);
	CHECK(tally_acc_add(&a, cts[n / 2]) == SCRUTIN_ERR_POINT);
	tally_acc_final(fast, &a);
	CHECK(sodium_is_zero(fast, 64));
	CHECK_MSG(bad == 0, "%lu accumulator mismatches", bad);
}

/* ballot_verify_acc sums what it verified, on both paths. */
static void
test_verify_acc(void)
{
	static uint8_t body[BALLOT_BODY_MAX];
	uint8_t eid[32], x[32], y[32], seed[32], sig[64], ref[2][64], got[64];
	tally_acc acc[2], acc_ref[2];
	ballot_question q;
	ballot_parsed p;
	credential *cr;
	size_t len;
	unsigned long n = iters(60);

	randombytes_buf(eid, 32);
	randombytes_buf(seed, 32);
	group_scalar_random(x);
	group_mul_base(y, x);
	CHECK(credential_new_from_seed(&cr, seed) == 0);
	CHECK(ballot_question_init(&q, "motion-1", 8, 3, 1, 1) == 0);
	for (int i = 0; i < 2; i++) {
		tally_total_init(ref[i]);
		tally_acc_init(&acc[i]);
		tally_acc_init(&acc_ref[i]);
	}
	for (unsigned long it = 0; it < n; it++) {
		uint8_t sel[3] = { 0, 0, 0 };

		sel[randombytes_uniform(3)] = 1;
		CHECK(ballot_build(body, sizeof body, &len, &q, eid, y,
		    credential_public_key(cr), credential_public_key(cr), sel) ==
		    0 && credential_sign(cr, sig, body, len) == 0);
		if (it % 5 == 4)
			sig[3] ^= 1;	/* rejected: must not be summed */
		int rc = ballot_verify_acc(&p, &q, eid, y, body, len, sig, acc);

		rf_set_enabled(0);
		int rr = ballot_verify_acc(NULL, &q, eid, y, body, len, sig,
		    acc_ref);
		rf_set_enabled(1);
		CHECK(rc == rr && (rc == 0) == (it % 5 != 4));
		if (rc == 0)
			for (uint32_t i = 1; i <= 2; i++) {
				uint8_t ct[64];

				ballot_parsed_ciphertext(ct, &p, i);
				CHECK(tally_total_add(ref[i - 1], ct) == 0);
			}
		else
			CHECK(p.eid == NULL);
	}
	for (int i = 0; i < 2; i++) {
		tally_acc_final(got, &acc[i]);
		CHECK(memcmp(got, ref[i], 64) == 0);
		tally_acc_final(got, &acc_ref[i]);
		CHECK(memcmp(got, ref[i], 64) == 0);
	}
	credential_free(cr);
}

static double
secs(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#define PHASE(fn)                                                          \
	do {                                                               \
		unsigned long c0_ = diff_cases;                            \
		double t0_ = secs();                                       \
		fn();                                                      \
		printf("%-24s %8lu differential cases %6.1f s\n", #fn,     \
		    diff_cases - c0_, secs() - t0_);                       \
	} while (0)

int
main(void)
{
	const char *e;

	if (group_init() != 0)
		return 1;
	if (getenv("VALGRIND") != NULL && strcmp(getenv("VALGRIND"), "1") == 0)
		scale_div = 200;
#if defined(__SANITIZE_ADDRESS__)
	scale_div = 10;	/* `make sanitize`: the same code, fewer cases */
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
	scale_div = 10;
#endif
#endif
	if ((e = getenv("SCRUTIN_TEST_QUICK")) != NULL && strcmp(e, "1") == 0)
		scale_div = 20;
	if ((e = getenv("SCRUTIN_TEST_SCALE")) != NULL && atoi(e) > 0)
		scale_mul = (unsigned long)atoi(e);
	PHASE(test_field);
	PHASE(test_points);
	PHASE(test_wnaf);
	PHASE(test_mul);
	PHASE(test_decode_acceptance);
	PHASE(test_vectors_agree);
	PHASE(test_random_proofs);
	PHASE(test_random_ballots);
	PHASE(test_sums);
	PHASE(test_verify_acc);
	printf("test_fast: %lu differential cases\n", diff_cases);
	return check_done("test_fast");
}

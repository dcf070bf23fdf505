/*
 * fe25519.c — the field GF(2^255 − 19) for the variable-time public
 * verification path (see fe25519.h for the limb bounds every function
 * keeps). An element is Σ v[i]·2^(51·i); reduction uses 2^255 ≡ 19.
 *
 * Trusts nothing; checked against a schoolbook big-integer reference and
 * against libsodium's encodings by tests/unit/test_fast.c. Branches on
 * values: public data only.
 */
#include <string.h>

#include "crypto/fe25519.h"

typedef unsigned __int128 u128;

#define MASK51 (((uint64_t)1 << 51) - 1)

const fe25519 fe_zero = { { 0, 0, 0, 0, 0 } };
const fe25519 fe_one = { { 1, 0, 0, 0, 0 } };
/* The constants of RFC 9496 §4.1 / RFC 8032 in radix 2^51 (checked by
 * the unit tests: d·121666 = −121665, sqrtm1² = −1, and
 * invsqrt_a_minus_d²·(−1 − d) = 1, each root non-negative). */
const fe25519 fe_d = { { 0x34dca135978a3ULL, 0x1a8283b156ebdULL,
    0x5e7a26001c029ULL, 0x739c663a03cbbULL, 0x52036cee2b6ffULL } };
const fe25519 fe_d2 = { { 0x69b9426b2f159ULL, 0x35050762add7aULL,
    0x3cf44c0038052ULL, 0x6738cc7407977ULL, 0x2406d9dc56dffULL } };
const fe25519 fe_sqrtm1 = { { 0x61b274a0ea0b0ULL, 0xd5a5fc8f189dULL,
    0x7ef5e9cbd0c60ULL, 0x78595a6804c9eULL, 0x2b8324804fc1dULL } };
const fe25519 fe_invsqrt_a_minus_d = { { 0xfdaa805d40eaULL,
    0x2eb482e57d339ULL, 0x7610274bc58ULL, 0x6510b613dc8ffULL,
    0x786c8905cfaffULL } };

static uint64_t
load64(const uint8_t *s)
{
	uint64_t w = 0;

	for (int i = 7; i >= 0; i--)
		w = (w << 8) | s[i];
	return w;
}

static void
store64(uint8_t *s, uint64_t w)
{
	for (int i = 0; i < 8; i++)
		s[i] = (uint8_t)(w >> (8 * i));
}

void
fe_frombytes(fe25519 *h, const uint8_t s[32])
{
	uint64_t w0 = load64(s), w1 = load64(s + 8), w2 = load64(s + 16),
	    w3 = load64(s + 24);

	h->v[0] = w0 & MASK51;
	h->v[1] = ((w0 >> 51) | (w1 << 13)) & MASK51;
	h->v[2] = ((w1 >> 38) | (w2 << 26)) & MASK51;
	h->v[3] = ((w2 >> 25) | (w3 << 39)) & MASK51;
	h->v[4] = (w3 >> 12) & MASK51;	/* drops bit 255 */
}

void
fe_carry(fe25519 *h)
{
	uint64_t c;

	c = h->v[0] >> 51; h->v[0] &= MASK51; h->v[1] += c;
	c = h->v[1] >> 51; h->v[1] &= MASK51; h->v[2] += c;
	c = h->v[2] >> 51; h->v[2] &= MASK51; h->v[3] += c;
	c = h->v[3] >> 51; h->v[3] &= MASK51; h->v[4] += c;
	c = h->v[4] >> 51; h->v[4] &= MASK51; h->v[0] += 19 * c;
}

void
fe_tobytes(uint8_t s[32], const fe25519 *f)
{
	fe25519 h = *f;
	uint64_t q, c;

	fe_carry(&h);
	/* Now value < 2^255 + 2^21 < 2p. q = floor((value + 19) / 2^255) is
	 * 1 exactly when value ≥ p; the chain below computes it exactly. */
	q = (h.v[0] + 19) >> 51;
	q = (h.v[1] + q) >> 51;
	q = (h.v[2] + q) >> 51;
	q = (h.v[3] + q) >> 51;
	q = (h.v[4] + q) >> 51;
	/* value − q·p = value + 19q − q·2^255: add 19q, carry, drop bit 255. */
	h.v[0] += 19 * q;
	c = h.v[0] >> 51; h.v[0] &= MASK51; h.v[1] += c;
	c = h.v[1] >> 51; h.v[1] &= MASK51; h.v[2] += c;
	c = h.v[2] >> 51; h.v[2] &= MASK51; h.v[3] += c;
	c = h.v[3] >> 51; h.v[3] &= MASK51; h.v[4] += c;
	h.v[4] &= MASK51;
	store64(s, h.v[0] | (h.v[1] << 51));
	store64(s + 8, (h.v[1] >> 13) | (h.v[2] << 38));
	store64(s + 16, (h.v[2] >> 26) | (h.v[3] << 25));
	store64(s + 24, (h.v[3] >> 39) | (h.v[4] << 12));
}

int
fe_frombytes_canonical(fe25519 *h, const uint8_t s[32])
{
	uint8_t back[32];

	fe_frombytes(h, s);
	fe_tobytes(back, h);
	/* Equal only if bit 255 is clear and the value is already < p. */
	return memcmp(back, s, 32) == 0 ? 0 : -1;
}

void
fe_copy(fe25519 *h, const fe25519 *f)
{
	*h = *f;
}

void
fe_add(fe25519 *h, const fe25519 *f, const fe25519 *g)
{
	for (int i = 0; i < 5; i++)
		h->v[i] = f->v[i] + g->v[i];
}

/* 8p in radix 2^51: every limb ≥ any subtrahend allowed by fe25519.h. */
#define P8_0 ((MASK51 - 18) * 8)	/* 8·(2^51 − 19) = 2^54 − 152 */
#define P8_i (MASK51 * 8)		/* 8·(2^51 − 1)  = 2^54 − 8 */

void
fe_sub(fe25519 *h, const fe25519 *f, const fe25519 *g)
{
	h->v[0] = f->v[0] + P8_0 - g->v[0];
	for (int i = 1; i < 5; i++)
		h->v[i] = f->v[i] + P8_i - g->v[i];
	fe_carry(h);
}

void
fe_neg(fe25519 *h, const fe25519 *f)
{
	fe_sub(h, &fe_zero, f);
}

/* Carries five 128-bit column sums into a reduced element (inlined:
 * passing ten 64-bit halves to a call costs as much as the carries). */
static inline __attribute__((always_inline)) void
fe_reduce128(fe25519 *h, u128 t0, u128 t1, u128 t2, u128 t3, u128 t4)
{
	u128 c;

	t1 += t0 >> 51;
	t2 += t1 >> 51;
	t3 += t2 >> 51;
	t4 += t3 >> 51;
	c = t4 >> 51;	/* < 2^68 for inputs < 2^56 */
	t0 = (t0 & MASK51) + c * 19;
	h->v[0] = (uint64_t)t0 & MASK51;
	h->v[1] = ((uint64_t)t1 & MASK51) + (uint64_t)(t0 >> 51);
	h->v[2] = (uint64_t)t2 & MASK51;
	h->v[3] = (uint64_t)t3 & MASK51;
	h->v[4] = (uint64_t)t4 & MASK51;
}

void
fe_mul(fe25519 *h, const fe25519 *f, const fe25519 *g)
{
	const uint64_t f0 = f->v[0], f1 = f->v[1], f2 = f->v[2], f3 = f->v[3],
	    f4 = f->v[4];
	const uint64_t g0 = g->v[0], g1 = g->v[1], g2 = g->v[2], g3 = g->v[3],
	    g4 = g->v[4];
	/* 19·g_i < 2^61 for g_i < 2^56. */
	const uint64_t g1_19 = 19 * g1, g2_19 = 19 * g2, g3_19 = 19 * g3,
	    g4_19 = 19 * g4;
	u128 t0, t1, t2, t3, t4;

	t0 = (u128)f0 * g0 + (u128)f1 * g4_19 + (u128)f2 * g3_19 +
	    (u128)f3 * g2_19 + (u128)f4 * g1_19;
	t1 = (u128)f0 * g1 + (u128)f1 * g0 + (u128)f2 * g4_19 +
	    (u128)f3 * g3_19 + (u128)f4 * g2_19;
	t2 = (u128)f0 * g2 + (u128)f1 * g1 + (u128)f2 * g0 +
	    (u128)f3 * g4_19 + (u128)f4 * g3_19;
	t3 = (u128)f0 * g3 + (u128)f1 * g2 + (u128)f2 * g1 +
	    (u128)f3 * g0 + (u128)f4 * g4_19;
	t4 = (u128)f0 * g4 + (u128)f1 * g3 + (u128)f2 * g2 +
	    (u128)f3 * g1 + (u128)f4 * g0;
	fe_reduce128(h, t0, t1, t2, t3, t4);
}

void
fe_sq(fe25519 *h, const fe25519 *f)
{
	const uint64_t f0 = f->v[0], f1 = f->v[1], f2 = f->v[2], f3 = f->v[3],
	    f4 = f->v[4];
	const uint64_t f0_2 = 2 * f0, f1_2 = 2 * f1;
	const uint64_t f3_19 = 19 * f3, f4_19 = 19 * f4;
	const uint64_t f3_38 = 2 * f3_19, f4_38 = 2 * f4_19;
	u128 t0, t1, t2, t3, t4;

	/* Column k collects f_i·f_j with i + j = k, and 19× those with
	 * i + j = k + 5. */
	t0 = (u128)f0 * f0 + (u128)f1 * f4_38 + (u128)f2 * f3_38;
	t1 = (u128)f0_2 * f1 + (u128)f2 * f4_38 + (u128)f3 * f3_19;
	t2 = (u128)f0_2 * f2 + (u128)f1 * f1 + (u128)f3 * f4_38;
	t3 = (u128)f0_2 * f3 + (u128)f1_2 * f2 + (u128)f4 * f4_19;
	t4 = (u128)f0_2 * f4 + (u128)f1_2 * f3 + (u128)f2 * f2;
	fe_reduce128(h, t0, t1, t2, t3, t4);
}

static void
fe_sqn(fe25519 *h, const fe25519 *f, int n)
{
	fe_sq(h, f);
	for (int i = 1; i < n; i++)
		fe_sq(h, h);
}

/* OUT z11 = f^11 and z250 = f^(2^250 − 1): the common prefix of the
 * addition chains for p − 2 = 2^255 − 21 and (p − 5)/8 = 2^252 − 3. */
static void
fe_pow_prefix(fe25519 *z11, fe25519 *z250, const fe25519 *f)
{
	fe25519 z2, z9, t, z5_0, z10_0, z20_0, z40_0, z50_0, z100_0, z200_0;

	fe_sq(&z2, f);			/* 2 */
	fe_sqn(&t, &z2, 2);		/* 8 */
	fe_mul(&z9, &t, f);		/* 9 */
	fe_mul(z11, &z9, &z2);		/* 11 */
	fe_sq(&t, z11);			/* 22 */
	fe_mul(&z5_0, &t, &z9);		/* 31 = 2^5 − 1 */
	fe_sqn(&t, &z5_0, 5);
	fe_mul(&z10_0, &t, &z5_0);	/* 2^10 − 1 */
	fe_sqn(&t, &z10_0, 10);
	fe_mul(&z20_0, &t, &z10_0);	/* 2^20 − 1 */
	fe_sqn(&t, &z20_0, 20);
	fe_mul(&z40_0, &t, &z20_0);	/* 2^40 − 1 */
	fe_sqn(&t, &z40_0, 10);
	fe_mul(&z50_0, &t, &z10_0);	/* 2^50 − 1 */
	fe_sqn(&t, &z50_0, 50);
	fe_mul(&z100_0, &t, &z50_0);	/* 2^100 − 1 */
	fe_sqn(&t, &z100_0, 100);
	fe_mul(&z200_0, &t, &z100_0);	/* 2^200 − 1 */
	fe_sqn(&t, &z200_0, 50);
	fe_mul(z250, &t, &z50_0);	/* 2^250 − 1 */
}

void
fe_invert(fe25519 *h, const fe25519 *f)
{
	fe25519 z11, z250, t;

	fe_pow_prefix(&z11, &z250, f);
	fe_sqn(&t, &z250, 5);		/* 2^255 − 32 */
	fe_mul(h, &t, &z11);		/* 2^255 − 21 = p − 2 */
}

void
fe_pow22523(fe25519 *h, const fe25519 *f)
{
	fe25519 z11, z250, t;

	fe_pow_prefix(&z11, &z250, f);
	fe_sqn(&t, &z250, 2);		/* 2^252 − 4 */
	fe_mul(h, &t, f);		/* 2^252 − 3 */
}

int
fe_is_negative(const fe25519 *f)
{
	uint8_t s[32];

	fe_tobytes(s, f);
	return s[0] & 1;
}

int
fe_is_zero(const fe25519 *f)
{
	uint8_t s[32];
	uint8_t acc = 0;

	fe_tobytes(s, f);
	for (int i = 0; i < 32; i++)
		acc |= s[i];
	return acc == 0;
}

int
fe_equal(const fe25519 *f, const fe25519 *g)
{
	uint8_t a[32], b[32];

	fe_tobytes(a, f);
	fe_tobytes(b, g);
	return memcmp(a, b, 32) == 0;
}

void
fe_abs(fe25519 *h, const fe25519 *f)
{
	if (fe_is_negative(f))
		fe_neg(h, f);
	else
		fe_copy(h, f);
}

int
fe_sqrt_ratio_m1(fe25519 *r, const fe25519 *u, const fe25519 *v)
{
	fe25519 v3, v7, uv3, uv7, t, check, neg_u, neg_u_i;
	int correct, flipped, flipped_i;

	fe_sq(&t, v);
	fe_mul(&v3, &t, v);		/* v^3 */
	fe_sq(&t, &v3);
	fe_mul(&v7, &t, v);		/* v^7 */
	fe_mul(&uv3, u, &v3);
	fe_mul(&uv7, u, &v7);
	fe_pow22523(&t, &uv7);		/* (u·v^7)^((p−5)/8) */
	fe_mul(r, &uv3, &t);
	fe_sq(&t, r);
	fe_mul(&check, v, &t);		/* v·r² */
	fe_neg(&neg_u, u);
	fe_mul(&neg_u_i, &neg_u, &fe_sqrtm1);
	correct = fe_equal(&check, u);
	flipped = fe_equal(&check, &neg_u);
	flipped_i = fe_equal(&check, &neg_u_i);
	if (flipped || flipped_i) {
		fe_mul(&t, r, &fe_sqrtm1);
		*r = t;
	}
	fe_abs(r, r);
	return correct || flipped;
}

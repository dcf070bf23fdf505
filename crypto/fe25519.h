/*
 * fe25519.h — arithmetic modulo p = 2^255 − 19 for the VARIABLE-TIME
 * verification path (ristretto_fast.h). PUBLIC DATA ONLY: nothing here
 * runs in constant time (fe_tobytes, fe_is_negative, fe_equal branch on
 * values), so no secret may ever be passed to these functions; secrets
 * stay on libsodium.
 *
 * Written from the arithmetic of the field (radix 2^51, five unsigned
 * 64-bit limbs, products in unsigned __int128), not from any library.
 *
 * Limb bounds (the invariant every caller keeps):
 *   "reduced": every limb < 2^51 + 2^21 — the output of fe_mul, fe_sq,
 *     fe_sub, fe_neg, fe_carry, fe_frombytes and the constants;
 *   fe_add does not carry: the sum of two reduced elements has limbs
 *     < 2^53, and may be used as an input to fe_mul/fe_sq (inputs must be
 *     < 2^56) or as the SUBTRAHEND of fe_sub/fe_neg (which must be
 *     < 2^54 − 152), never added again without fe_carry.
 * fe_tobytes always outputs the canonical encoding (value < p).
 */
#ifndef SCRUTIN_CRYPTO_FE25519_H
#define SCRUTIN_CRYPTO_FE25519_H

#include <stdint.h>

typedef struct {
	uint64_t v[5];
} fe25519;

extern const fe25519 fe_zero, fe_one;
extern const fe25519 fe_d;		/* d = −121665/121666 */
extern const fe25519 fe_d2;		/* 2d */
extern const fe25519 fe_sqrtm1;		/* sqrt(−1), the non-negative root */
extern const fe25519 fe_invsqrt_a_minus_d;	/* 1/sqrt(a − d), a = −1 */

/* h = f as an integer mod p, from 32 little-endian bytes; bit 255 is
 * ignored (callers that need canonicity use fe_frombytes_canonical). */
void fe_frombytes(fe25519 *h, const uint8_t s[32]);
/* As above; returns 0 iff s is the canonical encoding (value < p, bit
 * 255 clear), −1 otherwise (h is then still the value mod p). */
int fe_frombytes_canonical(fe25519 *h, const uint8_t s[32]);
/* OUT the canonical encoding of h (value < p). */
void fe_tobytes(uint8_t s[32], const fe25519 *h);

void fe_copy(fe25519 *h, const fe25519 *f);
void fe_add(fe25519 *h, const fe25519 *f, const fe25519 *g);
void fe_sub(fe25519 *h, const fe25519 *f, const fe25519 *g);
void fe_neg(fe25519 *h, const fe25519 *f);
void fe_carry(fe25519 *h);
void fe_mul(fe25519 *h, const fe25519 *f, const fe25519 *g);
void fe_sq(fe25519 *h, const fe25519 *f);
/* h = f^(p−2) = 1/f (0 for f = 0). */
void fe_invert(fe25519 *h, const fe25519 *f);
/* h = f^((p−5)/8) = f^(2^252 − 3). */
void fe_pow22523(fe25519 *h, const fe25519 *f);

/* 1 iff the canonical encoding is odd (RFC 9496 IS_NEGATIVE). */
int fe_is_negative(const fe25519 *f);
int fe_is_zero(const fe25519 *f);
/* 1 iff f ≡ g (mod p). */
int fe_equal(const fe25519 *f, const fe25519 *g);
/* h = |f|: f if non-negative, −f otherwise. */
void fe_abs(fe25519 *h, const fe25519 *f);

/* RFC 9496 §4.2 SQRT_RATIO_M1(u, v): OUT r, returns 1 if u/v is a square
 * (r = +sqrt(u/v), or 0 for u = 0), 0 otherwise (r = +sqrt(i·u/v)). */
int fe_sqrt_ratio_m1(fe25519 *r, const fe25519 *u, const fe25519 *v);

#endif

/*
 * ristretto_fast.h — VARIABLE-TIME ristretto255 arithmetic for the
 * verification of PUBLIC data (proofs, ballots, homomorphic sums, BSGS).
 *
 * Why: libsodium 1.0.18 exposes only constant-time single scalar
 * multiplications and additions that decode their inputs and encode their
 * output. Verification needs s·G − c·X; done here as ONE double-scalar
 * multiplication (Straus, signed sliding windows / wNAF) in extended
 * coordinates with precomputed odd multiples of G (static, built once)
 * and of the election key Y (built once per key), encoded once.
 *
 * Written from RFC 9496 (ristretto255 decode §4.3.1, encode §4.3.2,
 * SQRT_RATIO_M1 §4.2) and the twisted Edwards formulas of Hisil, Wong,
 * Carter and Dawson (extended coordinates, a = −1), on fe25519.h. No code
 * was taken from another project.
 *
 * SECURITY RULES (also in group.h and SECURITY.md):
 * - Nothing here is constant time. Never pass a secret (key, share,
 *   nonce, randomness, plaintext of a private value) to these functions:
 *   provers, key generation and decryption shares stay on libsodium.
 * - Validity of untrusted encodings stays libsodium's decision: callers
 *   run group_point_check*() on every untrusted 32-byte string first and
 *   only then rf_decode() it (rf_decode re-implements RFC 9496's checks,
 *   and the tests assert it accepts exactly what group_point_check does,
 *   but the gate is libsodium's).
 * - tests/unit/test_fast.c and tests/fuzz/fuzz_fastdiff.c compare every
 *   result with the libsodium-only reference path.
 *
 * A point is (X:Y:Z:T) with x = X/Z, y = Y/Z, x·y = T/Z on
 * −x² + y² = 1 + d·x²·y²; it stands for its ristretto255 class (equality
 * is equality of encodings).
 */
#ifndef SCRUTIN_CRYPTO_RISTRETTO_FAST_H
#define SCRUTIN_CRYPTO_RISTRETTO_FAST_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/fe25519.h"

typedef struct {
	fe25519 X, Y, Z, T;
} rf_point;

/* Y + X, Y − X, Z, 2d·T of a point: the addend form of a variable point. */
typedef struct {
	fe25519 ypx, ymx, z, t2d;
} rf_cached;

/* y + x, y − x, 2d·x·y of an affine point (Z = 1): fixed-base tables. */
typedef struct {
	fe25519 ypx, ymx, xy2d;
} rf_affine;

/* Window of the fixed tables: odd multiples 1·P, 3·P, …, 127·P. */
#define RF_FIXED_W 8
#define RF_FIXED_N (1 << (RF_FIXED_W - 2))
/* Window of per-point (variable) tables: 1·P, 3·P, …, 15·P. */
#define RF_VAR_W 5
#define RF_VAR_N (1 << (RF_VAR_W - 2))

typedef struct {
	rf_affine odd[RF_FIXED_N];
} rf_fixed_table;

typedef struct {
	rf_cached odd[RF_VAR_N];
} rf_var_table;

/* A verification key (the election key Y, or any long-lived public
 * point): its encoding, decoded point and fixed table. ~8 KB. */
typedef struct {
	uint8_t enc[32];
	rf_point p;
	rf_fixed_table tab;
} rf_key;

/* The global switch between this path and the libsodium-only reference
 * path (on by default; tests and `make bench` turn it off to time and
 * compare the reference). Set it before starting threads. */
void rf_set_enabled(int on);
int rf_enabled(void);

void rf_identity(rf_point *p);
/* OUT p, decoded per RFC 9496 §4.3.1; 0, or −1 if s is not a canonical
 * encoding (p is then the identity). Callers on untrusted data must run
 * group_point_check first (see above). */
int rf_decode(rf_point *p, const uint8_t s[32]);
/* OUT s, the canonical encoding of p's class (RFC 9496 §4.3.2). */
void rf_encode(uint8_t s[32], const rf_point *p);
/* 1 iff p is the identity class (its encoding is 32 zero bytes). */
int rf_is_identity(const rf_point *p);

void rf_add(rf_point *r, const rf_point *p, const rf_point *q);
void rf_sub(rf_point *r, const rf_point *p, const rf_point *q);
void rf_dbl(rf_point *r, const rf_point *p);
void rf_neg(rf_point *r, const rf_point *p);
void rf_to_cached(rf_cached *c, const rf_point *p);
void rf_add_cached(rf_point *r, const rf_point *p, const rf_cached *q);
void rf_sub_cached(rf_point *r, const rf_point *p, const rf_cached *q);

/* The generator G (decoded once) and its fixed table. */
const rf_point *rf_base(void);
const rf_fixed_table *rf_base_table(void);

/* OUT naf (256 digits, naf[i] for 2^i): s = Σ naf[i]·2^i with every
 * non-zero digit odd, |naf[i]| < 2^(w−1), and at most one non-zero digit
 * in any w consecutive positions. s: 32 bytes little-endian, < 2^255.
 * Returns the index of the highest non-zero digit + 1 (0 for s = 0). */
int rf_wnaf(int8_t naf[256], const uint8_t s[32], int w);

void rf_fixed_table_init(rf_fixed_table *t, const rf_point *p);
void rf_var_table_init(rf_var_table *t, const rf_point *p);

/* OUT r = a·A + b·B (b negated when neg_b): A from a fixed table (window
 * RF_FIXED_W) or a variable table (RF_VAR_W), exactly one of fa/va given;
 * likewise B from fb/vb. Scalars are 32 bytes < 2^255 (canonical ones in
 * our uses). */
void rf_mul2(rf_point *r, const uint8_t a[32], const rf_fixed_table *fa,
    const rf_var_table *va, const uint8_t b[32], const rf_fixed_table *fb,
    const rf_var_table *vb, int neg_b);
/* OUT r = a·G. */
void rf_mul_base(rf_point *r, const uint8_t a[32]);
/* OUT r = a·P (P from its variable table). */
void rf_mul_var(rf_point *r, const uint8_t a[32], const rf_var_table *t);

/* OUT k for the point y (32 bytes, already accepted by
 * group_point_check). −1 if y does not decode (a caller's bug). */
int rf_key_init(rf_key *k, const uint8_t y[32]);
/* The calling thread's cached key for y: built on first use, rebuilt
 * when y changes (one entry per thread). Runs
 * group_point_check_nonidentity(y) when (re)building and returns its
 * error code, so an invalid or identity y is never cached. */
int rf_key_cached(const rf_key **k, const uint8_t y[32]);

/* Multi-scalar multiplication (Pippenger, signed windows; Straus for few
 * points): OUT r =
 * Σ s[i]·p[i] for n ≥ 0 points, scalars 32 bytes little-endian < 2^255
 * (canonical scalars, or 128-bit weights: top 16 bytes zero, which cost
 * about half). Variable time, public data only. Returns 0, or −1 (r is
 * then the identity) when memory runs out or a scalar is ≥ 2^255. */
#define RF_MSM_WINDOW_MAX 16
int rf_msm(rf_point *r, const uint8_t (*s)[32], const rf_point *p, size_t n)
    __attribute__((warn_unused_result));
/* The window rf_msm picks for these scalars (cost model: one addition
 * per non-zero digit, two per bucket per window), and rf_msm with a
 * given window c (2 ≤ c ≤ RF_MSM_WINDOW_MAX): the bench compares them. */
int rf_msm_window(const uint8_t (*s)[32], size_t n);
int rf_msm_with_window(rf_point *r, const uint8_t (*s)[32], const rf_point *p,
    size_t n, int c) __attribute__((warn_unused_result));
/* The same sum by Straus's method (interleaved wNAF, per-point tables),
 * which rf_msm uses instead of buckets when its cost model says it is
 * cheaper (few points). */
int rf_msm_straus(rf_point *r, const uint8_t (*s)[32], const rf_point *p,
    size_t n) __attribute__((warn_unused_result));

/* Helpers for the reference-vs-fast tests: OUT r = Σ points. */
void rf_sum(rf_point *r, const rf_point *pts, size_t n);

#endif

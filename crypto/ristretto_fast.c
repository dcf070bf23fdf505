/*
 * ristretto_fast.c — variable-time ristretto255 for public data (see
 * ristretto_fast.h for the rules: public inputs only, libsodium decides
 * validity, differential tests against the libsodium-only path).
 *
 * Internal point forms, as in the HWCD formulas for a = −1:
 *   rf_point (extended, "p3")   X:Y:Z:T;
 *   p2 (projective)             X:Y:Z, enough for a doubling;
 *   p1p1 (completed)            x = X/Z, y = Y/T, the raw output of an
 *                               addition or doubling before its final
 *                               multiplications:
 *     to p2: (X·T, Y·Z, Z·T); to p3: the same and T' = X·Y.
 * Addition (add-2008-hwcd-3), with k = 2d:
 *   A = (Y1−X1)(Y2−X2), B = (Y1+X1)(Y2+X2), C = T1·k·T2, D = 2·Z1·Z2,
 *   E = B−A, F = D−C, G = D+C, H = B+A;  result x = E/G, y = H/F.
 * Doubling (dbl-2008-hwcd, a = −1):
 *   A = X1², B = Y1², C = 2·Z1², E = (X1+Y1)² − A − B, G = B − A,
 *   F = G − C, H = −A − B;             result x = E/G, y = H/F.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/group.h"
#include "crypto/ristretto_fast.h"

typedef struct {
	fe25519 X, Y, Z;
} p2;

typedef struct {
	fe25519 X, Y, Z, T;
} p1p1;

static int rf_on = 1;

void
rf_set_enabled(int on)
{
	rf_on = on != 0;
}

int
rf_enabled(void)
{
	return rf_on;
}

/* --- forms ------------------------------------------------------------ */

void
rf_identity(rf_point *p)
{
	p->X = fe_zero;
	p->Y = fe_one;
	p->Z = fe_one;
	p->T = fe_zero;
}

static void
p1p1_to_p2(p2 *r, const p1p1 *c)
{
	fe_mul(&r->X, &c->X, &c->T);
	fe_mul(&r->Y, &c->Y, &c->Z);
	fe_mul(&r->Z, &c->Z, &c->T);
}

static void
p1p1_to_p3(rf_point *r, const p1p1 *c)
{
	fe_mul(&r->X, &c->X, &c->T);
	fe_mul(&r->Y, &c->Y, &c->Z);
	fe_mul(&r->Z, &c->Z, &c->T);
	fe_mul(&r->T, &c->X, &c->Y);
}

static void
p3_to_p2(p2 *r, const rf_point *p)
{
	r->X = p->X;
	r->Y = p->Y;
	r->Z = p->Z;
}

void
rf_to_cached(rf_cached *c, const rf_point *p)
{
	fe_add(&c->ypx, &p->Y, &p->X);
	fe_carry(&c->ypx);
	fe_sub(&c->ymx, &p->Y, &p->X);
	c->z = p->Z;
	fe_mul(&c->t2d, &p->T, &fe_d2);
}

/* Sets the completed result from E, F, G, H. */
static void
completed(p1p1 *r, const fe25519 *e, const fe25519 *f, const fe25519 *g,
    const fe25519 *h)
{
	r->X = *e;
	r->Z = *g;
	r->Y = *h;
	r->T = *f;
}

static void
dbl_p2(p1p1 *r, const p2 *p)
{
	fe25519 a, b, c, ab, s, e, g, f, h;

	fe_sq(&a, &p->X);
	fe_sq(&b, &p->Y);
	fe_sq(&c, &p->Z);
	fe_add(&c, &c, &c);		/* 2·Z² (< 2^53) */
	fe_add(&ab, &a, &b);		/* A + B (< 2^53) */
	fe_add(&s, &p->X, &p->Y);
	fe_sq(&s, &s);
	fe_sub(&e, &s, &ab);		/* (X+Y)² − A − B */
	fe_sub(&g, &b, &a);		/* B − A */
	fe_sub(&f, &g, &c);		/* G − C */
	fe_neg(&h, &ab);		/* −A − B */
	completed(r, &e, &f, &g, &h);
}

/* r = p ± q for q cached (sign > 0: add, < 0: subtract). */
static void
add_cached_p1p1(p1p1 *r, const rf_point *p, const rf_cached *q, int sign)
{
	fe25519 ypx, ymx, a, b, c, d, e, f, g, h;

	fe_add(&ypx, &p->Y, &p->X);
	fe_sub(&ymx, &p->Y, &p->X);
	if (sign > 0) {
		fe_mul(&a, &ymx, &q->ymx);
		fe_mul(&b, &ypx, &q->ypx);
	} else {	/* −q = (−x, y): Y+X and Y−X swap, T negates */
		fe_mul(&a, &ymx, &q->ypx);
		fe_mul(&b, &ypx, &q->ymx);
	}
	fe_mul(&c, &p->T, &q->t2d);
	fe_mul(&d, &p->Z, &q->z);
	fe_add(&d, &d, &d);
	fe_sub(&e, &b, &a);
	fe_add(&h, &b, &a);
	if (sign > 0) {
		fe_sub(&f, &d, &c);
		fe_add(&g, &d, &c);
	} else {
		fe_add(&f, &d, &c);
		fe_sub(&g, &d, &c);
	}
	completed(r, &e, &f, &g, &h);
}

/* r = p ± q for q affine (Z = 1). */
static void
add_affine_p1p1(p1p1 *r, const rf_point *p, const rf_affine *q, int sign)
{
	fe25519 ypx, ymx, a, b, c, d, e, f, g, h;

	fe_add(&ypx, &p->Y, &p->X);
	fe_sub(&ymx, &p->Y, &p->X);
	if (sign > 0) {
		fe_mul(&a, &ymx, &q->ymx);
		fe_mul(&b, &ypx, &q->ypx);
	} else {
		fe_mul(&a, &ymx, &q->ypx);
		fe_mul(&b, &ypx, &q->ymx);
	}
	fe_mul(&c, &p->T, &q->xy2d);
	fe_add(&d, &p->Z, &p->Z);
	fe_sub(&e, &b, &a);
	fe_add(&h, &b, &a);
	if (sign > 0) {
		fe_sub(&f, &d, &c);
		fe_add(&g, &d, &c);
	} else {
		fe_add(&f, &d, &c);
		fe_sub(&g, &d, &c);
	}
	completed(r, &e, &f, &g, &h);
}

void
rf_add_cached(rf_point *r, const rf_point *p, const rf_cached *q)
{
	p1p1 t;

	add_cached_p1p1(&t, p, q, 1);
	p1p1_to_p3(r, &t);
}

void
rf_sub_cached(rf_point *r, const rf_point *p, const rf_cached *q)
{
	p1p1 t;

	add_cached_p1p1(&t, p, q, -1);
	p1p1_to_p3(r, &t);
}

void
rf_add(rf_point *r, const rf_point *p, const rf_point *q)
{
	rf_cached c;

	rf_to_cached(&c, q);
	rf_add_cached(r, p, &c);
}

void
rf_sub(rf_point *r, const rf_point *p, const rf_point *q)
{
	rf_cached c;

	rf_to_cached(&c, q);
	rf_sub_cached(r, p, &c);
}

void
rf_dbl(rf_point *r, const rf_point *p)
{
	p2 q;
	p1p1 t;

	p3_to_p2(&q, p);
	dbl_p2(&t, &q);
	p1p1_to_p3(r, &t);
}

void
rf_neg(rf_point *r, const rf_point *p)
{
	fe_neg(&r->X, &p->X);
	r->Y = p->Y;
	r->Z = p->Z;
	fe_neg(&r->T, &p->T);
}

void
rf_sum(rf_point *r, const rf_point *pts, size_t n)
{
	rf_point acc;

	rf_identity(&acc);
	for (size_t i = 0; i < n; i++)
		rf_add(&acc, &acc, &pts[i]);
	*r = acc;
}

/* --- encoding (RFC 9496 §4.3) ------------------------------------------ */

int
rf_decode(rf_point *p, const uint8_t s_bytes[32])
{
	fe25519 s, ss, u1, u2, u2sq, v, t, invsqrt, den_x, den_y, x, y, xy;
	int was_square;

	rf_identity(p);
	/* 1. s must be canonical (< p, bit 255 clear) and non-negative. */
	if (fe_frombytes_canonical(&s, s_bytes) != 0 || fe_is_negative(&s))
		return -1;
	fe_sq(&ss, &s);
	fe_sub(&u1, &fe_one, &ss);		/* 1 − s² */
	fe_add(&u2, &fe_one, &ss);		/* 1 + s² */
	fe_carry(&u2);
	fe_sq(&u2sq, &u2);
	fe_sq(&t, &u1);
	fe_mul(&v, &fe_d, &t);
	fe_neg(&v, &v);
	fe_sub(&v, &v, &u2sq);			/* −(D·u1²) − u2² */
	fe_mul(&t, &v, &u2sq);
	was_square = fe_sqrt_ratio_m1(&invsqrt, &fe_one, &t);
	fe_mul(&den_x, &invsqrt, &u2);
	fe_mul(&t, &invsqrt, &den_x);
	fe_mul(&den_y, &t, &v);
	fe_mul(&t, &s, &den_x);
	fe_add(&t, &t, &t);
	fe_carry(&t);
	fe_abs(&x, &t);				/* |2·s·den_x| */
	fe_mul(&y, &u1, &den_y);
	fe_mul(&xy, &x, &y);
	if (!was_square || fe_is_negative(&xy) || fe_is_zero(&y))
		return -1;
	p->X = x;
	p->Y = y;
	p->Z = fe_one;
	p->T = xy;
	return 0;
}

void
rf_encode(uint8_t out[32], const rf_point *p)
{
	fe25519 u1, u2, t, zpy, zmy, invsqrt, den1, den2, z_inv, ix, iy;
	fe25519 ench, x, y, den_inv, s;

	fe_add(&zpy, &p->Z, &p->Y);
	fe_sub(&zmy, &p->Z, &p->Y);
	fe_mul(&u1, &zpy, &zmy);		/* (Z + Y)(Z − Y) */
	fe_mul(&u2, &p->X, &p->Y);
	fe_sq(&t, &u2);
	fe_mul(&t, &t, &u1);
	(void)fe_sqrt_ratio_m1(&invsqrt, &fe_one, &t);
	fe_mul(&den1, &invsqrt, &u1);
	fe_mul(&den2, &invsqrt, &u2);
	fe_mul(&t, &den1, &den2);
	fe_mul(&z_inv, &t, &p->T);
	fe_mul(&ix, &p->X, &fe_sqrtm1);
	fe_mul(&iy, &p->Y, &fe_sqrtm1);
	fe_mul(&ench, &den1, &fe_invsqrt_a_minus_d);
	fe_mul(&t, &p->T, &z_inv);
	if (fe_is_negative(&t)) {		/* rotate */
		x = iy;
		y = ix;
		den_inv = ench;
	} else {
		x = p->X;
		y = p->Y;
		den_inv = den2;
	}
	fe_mul(&t, &x, &z_inv);
	if (fe_is_negative(&t))
		fe_neg(&y, &y);
	fe_sub(&t, &p->Z, &y);
	fe_mul(&s, &den_inv, &t);
	fe_abs(&s, &s);
	fe_tobytes(out, &s);
}

int
rf_is_identity(const rf_point *p)
{
	uint8_t s[32], acc = 0;

	rf_encode(s, p);
	for (int i = 0; i < 32; i++)
		acc |= s[i];
	return acc == 0;
}

/* --- scalar recoding ---------------------------------------------------- */

int
rf_wnaf(int8_t naf[256], const uint8_t s[32], int w)
{
	uint64_t k[5] = { 0, 0, 0, 0, 0 };
	const uint64_t width = (uint64_t)1 << w, half = width >> 1;
	int top = 0;

	for (int i = 0; i < 32; i++)
		k[i / 8] |= (uint64_t)s[i] << (8 * (i % 8));
	memset(naf, 0, 256);
	for (int i = 0; i < 256; i++) {
		if ((k[0] | k[1] | k[2] | k[3] | k[4]) == 0)
			break;
		if (k[0] & 1) {
			uint64_t low = k[0] & (width - 1);

			if (low < half) {
				/* digit +low: k −= low (no borrow: k's low w
				 * bits are low). */
				k[0] -= low;
				naf[i] = (int8_t)low;
			} else {
				/* digit low − 2^w < 0: k += 2^w − low. */
				uint64_t add = width - low, c;

				k[0] += add;
				c = k[0] < add;
				for (int j = 1; j < 5 && c; j++) {
					k[j] += 1;
					c = k[j] == 0;
				}
				naf[i] = (int8_t)((int64_t)low - (int64_t)width);
			}
			top = i + 1;
		}
		/* k >>= 1 */
		for (int j = 0; j < 4; j++)
			k[j] = (k[j] >> 1) | (k[j + 1] << 63);
		k[4] >>= 1;
	}
	return top;
}

/* --- tables ------------------------------------------------------------- */

void
rf_var_table_init(rf_var_table *t, const rf_point *p)
{
	rf_point p2x, cur;

	rf_dbl(&p2x, p);
	cur = *p;
	rf_to_cached(&t->odd[0], &cur);
	for (int i = 1; i < RF_VAR_N; i++) {
		rf_add(&cur, &cur, &p2x);
		rf_to_cached(&t->odd[i], &cur);
	}
}

void
rf_fixed_table_init(rf_fixed_table *t, const rf_point *p)
{
	rf_point pts[RF_FIXED_N], p2x;
	fe25519 acc[RF_FIXED_N], inv, zi, x, y, xy;

	rf_dbl(&p2x, p);
	pts[0] = *p;
	for (int i = 1; i < RF_FIXED_N; i++)
		rf_add(&pts[i], &pts[i - 1], &p2x);
	/* Batch inversion of the Z's (Montgomery): acc[i] = Z_0·…·Z_i. */
	acc[0] = pts[0].Z;
	for (int i = 1; i < RF_FIXED_N; i++)
		fe_mul(&acc[i], &acc[i - 1], &pts[i].Z);
	fe_invert(&inv, &acc[RF_FIXED_N - 1]);
	for (int i = RF_FIXED_N - 1; i >= 0; i--) {
		if (i > 0) {
			fe_mul(&zi, &inv, &acc[i - 1]);	/* 1/Z_i */
			fe_mul(&inv, &inv, &pts[i].Z);	/* 1/(Z_0…Z_{i−1}) */
		} else {
			zi = inv;
		}
		fe_mul(&x, &pts[i].X, &zi);
		fe_mul(&y, &pts[i].Y, &zi);
		fe_add(&t->odd[i].ypx, &y, &x);
		fe_carry(&t->odd[i].ypx);
		fe_sub(&t->odd[i].ymx, &y, &x);
		fe_mul(&xy, &x, &y);
		fe_mul(&t->odd[i].xy2d, &xy, &fe_d2);
	}
}

static pthread_once_t base_once = PTHREAD_ONCE_INIT;
static rf_point base_point;
static rf_fixed_table base_table;

static void
base_init(void)
{
	if (rf_decode(&base_point, group_generator) != 0)
		abort();	/* the constant encoding of G: cannot fail */
	rf_fixed_table_init(&base_table, &base_point);
}

const rf_point *
rf_base(void)
{
	if (pthread_once(&base_once, base_init) != 0)
		abort();
	return &base_point;
}

const rf_fixed_table *
rf_base_table(void)
{
	(void)rf_base();
	return &base_table;
}

/* --- multiplication ----------------------------------------------------- */

/* t (completed) ± the table entry for digit d. */
static void
add_digit(p1p1 *t, int d, const rf_fixed_table *f, const rf_var_table *v)
{
	rf_point u;
	int idx = (d > 0 ? d : -d) / 2, sign = d > 0 ? 1 : -1;

	p1p1_to_p3(&u, t);
	if (f != NULL)
		add_affine_p1p1(t, &u, &f->odd[idx], sign);
	else
		add_cached_p1p1(t, &u, &v->odd[idx], sign);
}

void
rf_mul2(rf_point *r, const uint8_t a[32], const rf_fixed_table *fa,
    const rf_var_table *va, const uint8_t b[32], const rf_fixed_table *fb,
    const rf_var_table *vb, int neg_b)
{
	int8_t na[256], nb[256];
	int ta = 0, tb = 0, top;
	p2 s;
	p1p1 t;

	if (a != NULL)
		ta = rf_wnaf(na, a, fa != NULL ? RF_FIXED_W : RF_VAR_W);
	else
		memset(na, 0, sizeof na);
	if (b != NULL)
		tb = rf_wnaf(nb, b, fb != NULL ? RF_FIXED_W : RF_VAR_W);
	else
		memset(nb, 0, sizeof nb);
	top = ta > tb ? ta : tb;
	if (top == 0) {
		rf_identity(r);
		return;
	}
	s.X = fe_zero;
	s.Y = fe_one;
	s.Z = fe_one;
	for (int i = top - 1; i >= 0; i--) {
		dbl_p2(&t, &s);
		if (na[i] != 0)
			add_digit(&t, na[i], fa, va);
		if (nb[i] != 0)
			add_digit(&t, neg_b ? -nb[i] : nb[i], fb, vb);
		if (i > 0)
			p1p1_to_p2(&s, &t);
	}
	p1p1_to_p3(r, &t);
}

void
rf_mul_base(rf_point *r, const uint8_t a[32])
{
	rf_mul2(r, a, rf_base_table(), NULL, NULL, NULL, NULL, 0);
}

void
rf_mul_var(rf_point *r, const uint8_t a[32], const rf_var_table *t)
{
	rf_mul2(r, a, NULL, t, NULL, NULL, NULL, 0);
}

/* --- keys --------------------------------------------------------------- */

int
rf_key_init(rf_key *k, const uint8_t y[32])
{
	if (rf_decode(&k->p, y) != 0)
		return -1;
	memcpy(k->enc, y, 32);
	rf_fixed_table_init(&k->tab, &k->p);
	return 0;
}

static _Thread_local struct {
	int valid;
	rf_key key;
} key_cache;

int
rf_key_cached(const rf_key **k, const uint8_t y[32])
{
	int rc;

	*k = NULL;
	if (key_cache.valid && memcmp(key_cache.key.enc, y, 32) == 0) {
		/* Same bytes as a y that passed the check below. */
		*k = &key_cache.key;
		return 0;
	}
	key_cache.valid = 0;
	if ((rc = group_point_check_nonidentity(y)) != 0)
		return rc;
	if (rf_key_init(&key_cache.key, y) != 0)
		return SCRUTIN_ERR_INTERNAL;	/* libsodium accepted it */
	key_cache.valid = 1;
	*k = &key_cache.key;
	return 0;
}

/* --- multi-scalar multiplication (Pippenger's bucket method) ------------
 *
 * r = Σ s_i·P_i. Each scalar is cut into signed windows of c bits
 * (digits in [−2^(c−1), 2^(c−1)), a carry into the next window), so one
 * window needs 2^(c−1) buckets. From the top window down: r = 2^c·r,
 * then every point with a non-zero digit d is added (or subtracted) into
 * bucket |d|, and the buckets are summed with running sums
 * (Σ_b b·bucket_b in 2 additions per bucket, only up to the highest
 * bucket used). Points are first brought to affine form (one batch
 * inversion; points fresh from rf_decode already are), so a bucket
 * addition is a mixed addition. Zero digits cost nothing: a 128-bit
 * weight costs half a 253-bit scalar. */

/* The bits [pos, pos + c) of the 256-bit little-endian k (0 above). */
static uint32_t
bits_at(const uint64_t k[4], int pos, int c)
{
	uint64_t v;
	int limb = pos / 64, off = pos % 64;

	if (pos >= 256)
		return 0;
	v = k[limb] >> off;
	if (off + c > 64 && limb < 3)
		v |= k[limb + 1] << (64 - off);
	return (uint32_t)(v & (((uint64_t)1 << c) - 1));
}

static int
scalar_bits(const uint8_t s[32])
{
	for (int i = 31; i >= 0; i--)
		if (s[i] != 0) {
			int b = 8;

			while (!(s[i] & (1u << (b - 1))))
				b--;
			return 8 * i + b;
		}
	return 0;
}

/* Estimated additions for window c: one per non-zero digit (~every
 * window below a scalar's top bit), two per bucket per window. */
static double
msm_cost(int c, double bits_sum, int max_bits)
{
	int windows = (max_bits + c - 1) / c + 1;

	return bits_sum / c + (double)windows * (double)((size_t)1 << c);
}

int
rf_msm_window(const uint8_t (*s)[32], size_t n)
{
	double bits_sum = 0, best = 0;
	int max_bits = 0, best_c = 2;

	for (size_t i = 0; i < n; i++) {
		int b = scalar_bits(s[i]);

		bits_sum += b;
		if (b > max_bits)
			max_bits = b;
	}
	for (int c = 2; c <= RF_MSM_WINDOW_MAX; c++) {
		double cost = msm_cost(c, bits_sum, max_bits);

		if (c == 2 || cost < best) {
			best = cost;
			best_c = c;
		}
	}
	return best_c;
}

int
rf_msm_with_window(rf_point *r, const uint8_t (*s)[32], const rf_point *p,
    size_t n, int c)
{
	rf_point *pts = NULL, *bucket = NULL, acc, run, sum;
	rf_affine *aff = NULL;
	fe25519 *prod = NULL, inv, zi;
	int16_t *dig = NULL;
	uint8_t *used = NULL;
	size_t nb, windows;
	int max_bits = 0, rc = -1;

	rf_identity(r);
	if (c < 2 || c > RF_MSM_WINDOW_MAX)
		return -1;
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		int b = scalar_bits(s[i]);

		if (b > 255)
			return -1;	/* < 2^255 required */
		if (b > max_bits)
			max_bits = b;
	}
	if (max_bits == 0)
		return 0;
	/* Windows covering max_bits, and one more for the last carry (its
	 * value is then at most 1: no carry out of it). */
	windows = (size_t)((max_bits + c - 1) / c + 1);
	nb = (size_t)1 << (c - 1);
	if (n > SIZE_MAX / windows / sizeof *dig)
		return -1;
	pts = malloc(n * sizeof *pts);
	aff = malloc(n * sizeof *aff);
	prod = malloc(n * sizeof *prod);
	dig = malloc(n * windows * sizeof *dig);
	bucket = malloc(nb * sizeof *bucket);
	used = malloc(nb);
	if (pts == NULL || aff == NULL || prod == NULL || dig == NULL ||
	    bucket == NULL || used == NULL)
		goto out;

	/* Affine form: Z = 1 (batch inversion of the Z's not already 1). */
	for (size_t i = 0; i < n; i++) {
		const fe25519 *z = &p[i].Z;

		if (i == 0)
			prod[i] = *z;
		else
			fe_mul(&prod[i], &prod[i - 1], z);
	}
	fe_invert(&inv, &prod[n - 1]);
	for (size_t i = n; i-- > 0;) {
		fe25519 x, y;

		if (i > 0) {
			fe_mul(&zi, &inv, &prod[i - 1]);
			fe_mul(&inv, &inv, &p[i].Z);
		} else {
			zi = inv;
		}
		if (memcmp(&p[i].Z, &fe_one, sizeof fe_one) == 0) {
			x = p[i].X;
			y = p[i].Y;
			pts[i].T = p[i].T;
		} else {
			fe_mul(&x, &p[i].X, &zi);
			fe_mul(&y, &p[i].Y, &zi);
			fe_mul(&pts[i].T, &x, &y);
		}
		pts[i].X = x;
		pts[i].Y = y;
		pts[i].Z = fe_one;
		fe_add(&aff[i].ypx, &y, &x);
		fe_carry(&aff[i].ypx);
		fe_sub(&aff[i].ymx, &y, &x);
		fe_mul(&aff[i].xy2d, &pts[i].T, &fe_d2);
	}
	/* (A point with Z ≡ 0 is not a point: the caller's bug; its inverse
	 * is 0 and so would be every other — fe_invert(0) = 0 — which the
	 * differential tests would see. Inputs come from rf_decode or the
	 * group law, never with Z = 0.) */

	/* Signed digits, window-major: dig[w·n + i]. */
	for (size_t i = 0; i < n; i++) {
		uint64_t k[4] = { 0, 0, 0, 0 };
		uint32_t carry = 0;

		for (int b = 0; b < 32; b++)
			k[b / 8] |= (uint64_t)s[i][b] << (8 * (b % 8));
		for (size_t w = 0; w < windows; w++) {
			uint32_t v = bits_at(k, (int)w * c, c) + carry;

			if (v >= (uint32_t)nb) {
				dig[w * n + i] = (int16_t)((int32_t)v -
				    (int32_t)(2 * nb));
				carry = 1;
			} else {
				dig[w * n + i] = (int16_t)v;
				carry = 0;
			}
		}
		if (carry != 0)
			abort();	/* cannot happen: see windows */
	}

	rf_identity(&acc);
	for (size_t w = windows; w-- > 0;) {
		size_t top = 0;
		int any = 0;

		if (w + 1 < windows)
			for (int d = 0; d < c; d++)
				rf_dbl(&acc, &acc);
		memset(used, 0, nb);
		for (size_t i = 0; i < n; i++) {
			int d = dig[w * n + i];
			size_t b;
			p1p1 t;

			if (d == 0)
				continue;
			b = (size_t)(d > 0 ? d : -d) - 1;
			if (!used[b]) {
				if (d > 0)
					bucket[b] = pts[i];
				else
					rf_neg(&bucket[b], &pts[i]);
				used[b] = 1;
			} else {
				add_affine_p1p1(&t, &bucket[b], &aff[i],
				    d > 0 ? 1 : -1);
				p1p1_to_p3(&bucket[b], &t);
			}
			if (b + 1 > top)
				top = b + 1;
		}
		/* sum = Σ (b + 1)·bucket[b]: run = Σ_{b' ≥ b} bucket[b'],
		 * added once for every b. */
		for (size_t b = top; b-- > 0;) {
			if (used[b]) {
				if (any)
					rf_add(&run, &run, &bucket[b]);
				else
					run = bucket[b];
			}
			if (!any && used[b]) {
				sum = run;
				any = 1;
			} else if (any) {
				rf_add(&sum, &sum, &run);
			}
		}
		if (any)
			rf_add(&acc, &acc, &sum);
	}
	*r = acc;
	rc = 0;
out:
	free(pts);
	free(aff);
	free(prod);
	free(dig);
	free(bucket);
	free(used);
	return rc;
}

/* Straus (interleaved wNAF, window RF_VAR_W): one shared chain of
 * doublings, per point a table of odd multiples and one addition per
 * non-zero digit. Better than buckets for few points. */
int
rf_msm_straus(rf_point *r, const uint8_t (*s)[32], const rf_point *p,
    size_t n)
{
	rf_var_table *tab = NULL;
	int8_t (*naf)[256] = NULL;
	int top = 0, *tops = NULL, rc = -1;
	p2 acc;
	p1p1 t;

	rf_identity(r);
	for (size_t i = 0; i < n; i++)
		if (scalar_bits(s[i]) > 255)
			return -1;
	if (n == 0)
		return 0;
	tab = malloc(n * sizeof *tab);
	naf = malloc(n * sizeof *naf);
	tops = malloc(n * sizeof *tops);
	if (tab == NULL || naf == NULL || tops == NULL)
		goto out;
	for (size_t i = 0; i < n; i++) {
		tops[i] = rf_wnaf(naf[i], s[i], RF_VAR_W);
		if (tops[i] > top)
			top = tops[i];
		if (tops[i] > 0)
			rf_var_table_init(&tab[i], &p[i]);
	}
	rc = 0;
	if (top == 0)
		goto out;
	acc.X = fe_zero;
	acc.Y = fe_one;
	acc.Z = fe_one;
	for (int b = top - 1; b >= 0; b--) {
		dbl_p2(&t, &acc);
		for (size_t i = 0; i < n; i++) {
			int d = b < tops[i] ? naf[i][b] : 0;

			if (d != 0)
				add_digit(&t, d, NULL, &tab[i]);
		}
		if (b > 0)
			p1p1_to_p2(&acc, &t);
	}
	p1p1_to_p3(r, &t);
out:
	free(tab);
	free(naf);
	free(tops);
	return rc;
}

int
rf_msm(rf_point *r, const uint8_t (*s)[32], const rf_point *p, size_t n)
{
	double bits_sum = 0, straus;
	int max_bits = 0, c = rf_msm_window(s, n);

	for (size_t i = 0; i < n; i++) {
		int b = scalar_bits(s[i]);

		bits_sum += b;
		if (b > max_bits)
			max_bits = b;
	}
	/* Straus: an addition per digit (density 1/(w+1)), 2^(w−2) for
	 * each table, the doublings (~0.8 of an addition each). */
	straus = bits_sum / (RF_VAR_W + 1) + (double)n * RF_VAR_N +
	    0.8 * max_bits;
	if (straus < msm_cost(c, bits_sum, max_bits))
		return rf_msm_straus(r, s, p, n);
	return rf_msm_with_window(r, s, p, n, c);
}

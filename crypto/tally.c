/*
 * tally.c — decryption shares, their verification and combination
 * (docs/protocol.md §7).
 *
 * Trusts group.c, proof.c, dlog.c. The key share x_j is only read (it
 * lives in the caller's, usually sodium_malloc, memory); no copy of it is
 * made. Combination uses only shares whose DLEQ proof verified.
 */
#include <string.h>

#include "crypto/group.h"
#include "crypto/proof.h"
#include "crypto/proof_fast.h"
#include "crypto/ristretto_fast.h"
#include "crypto/tally.h"

void
tally_total_init(uint8_t total[64])
{
	memset(total, 0, 64);
}

int
tally_total_add(uint8_t total[64], const uint8_t ct[64])
{
	uint8_t a[32], b[32];

	if (group_add(a, total, ct) != 0 || group_add(b, total + 32, ct + 32))
		return SCRUTIN_ERR_POINT;
	memcpy(total, a, 32);
	memcpy(total + 32, b, 32);
	return 0;
}

/* --- accumulators (variable time, public data) -------------------------- */

_Static_assert(sizeof(((tally_acc *)0)->opaque) == 2 * sizeof(rf_point),
    "tally_acc holds two rf_point");

static void
acc_get(rf_point pts[2], const tally_acc *acc)
{
	memcpy(pts, acc->opaque, sizeof acc->opaque);
}

static void
acc_put(tally_acc *acc, const rf_point pts[2])
{
	memcpy(acc->opaque, pts, sizeof acc->opaque);
}

void
tally_acc_init(tally_acc *acc)
{
	rf_point pts[2];

	rf_identity(&pts[0]);
	rf_identity(&pts[1]);
	acc_put(acc, pts);
}

void
tally_acc_add_points(tally_acc *acc, const rf_point *alpha,
    const rf_point *beta)
{
	rf_point pts[2];

	acc_get(pts, acc);
	rf_add(&pts[0], &pts[0], alpha);
	rf_add(&pts[1], &pts[1], beta);
	acc_put(acc, pts);
}

static int
acc_addsub(tally_acc *acc, const uint8_t ct[64], int sub)
{
	rf_point a, b, pts[2];

	/* libsodium decides validity; rf_decode then computes the point. */
	if (group_point_check(ct) != 0 || group_point_check(ct + 32) != 0)
		return SCRUTIN_ERR_POINT;
	if (rf_decode(&a, ct) != 0 || rf_decode(&b, ct + 32) != 0)
		return SCRUTIN_ERR_POINT;
	acc_get(pts, acc);
	if (sub) {
		rf_sub(&pts[0], &pts[0], &a);
		rf_sub(&pts[1], &pts[1], &b);
	} else {
		rf_add(&pts[0], &pts[0], &a);
		rf_add(&pts[1], &pts[1], &b);
	}
	acc_put(acc, pts);
	return 0;
}

int
tally_acc_add(tally_acc *acc, const uint8_t ct[64])
{
	return acc_addsub(acc, ct, 0);
}

int
tally_acc_sub(tally_acc *acc, const uint8_t ct[64])
{
	return acc_addsub(acc, ct, 1);
}

void
tally_acc_merge(tally_acc *acc, const tally_acc *other)
{
	rf_point o[2];

	acc_get(o, other);
	tally_acc_add_points(acc, &o[0], &o[1]);
}

void
tally_acc_final(uint8_t total[64], const tally_acc *acc)
{
	rf_point pts[2];

	acc_get(pts, acc);
	rf_encode(total, &pts[0]);
	rf_encode(total + 32, &pts[1]);
}

int
tally_sum_ciphertexts(uint8_t total[64], const uint8_t (*cts)[64],
    size_t count)
{
	tally_acc acc;
	int rc = 0;

	tally_total_init(total);
	if (!rf_enabled()) {
		for (size_t i = 0; i < count && rc == 0; i++)
			rc = tally_total_add(total, cts[i]);
		if (rc != 0)
			tally_total_init(total);
		return rc;
	}
	tally_acc_init(&acc);
	for (size_t i = 0; i < count; i++)
		if ((rc = tally_acc_add(&acc, cts[i])) != 0)
			return rc;
	tally_acc_final(total, &acc);
	return 0;
}

size_t
tally_share_context(uint8_t ctx[TALLY_CTX_MAX], const uint8_t eid[32],
    const char *qid, size_t qid_len, uint64_t choice, uint32_t trustee)
{
	framebuf b;

	framebuf_init(&b, ctx, TALLY_CTX_MAX);
	framebuf_field(&b, eid, 32);
	framebuf_field(&b, qid, qid_len);
	framebuf_field_u64(&b, choice);
	framebuf_field_u64(&b, trustee);
	return b.overflow ? 0 : b.len;
}

int
tally_share_create_with_nonce(uint8_t d[32], uint8_t proof[64],
    const uint8_t xj[32], const uint8_t yj[32], const uint8_t eid[32],
    const char *qid, size_t qid_len, uint64_t choice, uint32_t trustee,
    const uint8_t total[64], const uint8_t w[32])
{
	uint8_t ctx[TALLY_CTX_MAX];
	size_t ctx_len;
	int rc;

	if (qid_len < 1 || qid_len > 64 || trustee < 1 ||
	    trustee > TALLY_TRUSTEES_MAX) {
		rc = SCRUTIN_ERR_ARGUMENT;
		goto out;
	}
	if ((rc = group_point_check_nonidentity(total)) != 0 ||
	    (rc = group_scalar_check_nonzero(xj)) != 0)
		goto out;
	if ((rc = group_mul(d, xj, total)) != 0)
		goto out;
	ctx_len = tally_share_context(ctx, eid, qid, qid_len, choice, trustee);
	rc = proof_dleq_prove_with_nonce(proof, ctx, ctx_len, yj, total, d, xj,
	    w);
out:
	if (rc != 0) {
		memset(d, 0, 32);
		memset(proof, 0, 64);
	}
	return rc;
}

int
tally_share_create(uint8_t d[32], uint8_t proof[64], const uint8_t xj[32],
    const uint8_t yj[32], const uint8_t eid[32], const char *qid,
    size_t qid_len, uint64_t choice, uint32_t trustee,
    const uint8_t total[64])
{
	uint8_t w[32];
	int rc;

	group_scalar_random(w);
	rc = tally_share_create_with_nonce(d, proof, xj, yj, eid, qid, qid_len,
	    choice, trustee, total, w);
	sodium_memzero(w, sizeof w);
	return rc;
}

int
tally_share_verify(const uint8_t yj[32], const uint8_t eid[32],
    const char *qid, size_t qid_len, uint64_t choice, uint32_t trustee,
    const uint8_t total[64], const uint8_t d[32], const uint8_t proof[64])
{
	uint8_t ctx[TALLY_CTX_MAX];
	size_t ctx_len;

	if (qid_len < 1 || qid_len > 64 || trustee < 1 ||
	    trustee > TALLY_TRUSTEES_MAX)
		return SCRUTIN_ERR_ARGUMENT;
	ctx_len = tally_share_context(ctx, eid, qid, qid_len, choice, trustee);
	return proof_dleq_verify(ctx, ctx_len, yj, total, d, proof) == 0 ? 0 :
	    SCRUTIN_ERR_BAD_SHARE;
}

int
tally_lagrange(uint8_t lambda[32], const uint32_t *subset, size_t size,
    size_t pos)
{
	uint8_t num[32], den[32], ks[32], js[32], diff[32], inv[32];

	if (pos >= size)
		return SCRUTIN_ERR_ARGUMENT;
	group_scalar_from_u64(num, 1);
	group_scalar_from_u64(den, 1);
	group_scalar_from_u64(js, subset[pos]);
	for (size_t i = 0; i < size; i++) {
		if (i == pos)
			continue;
		if (subset[i] == subset[pos] || subset[i] == 0)
			return SCRUTIN_ERR_ARGUMENT;
		group_scalar_from_u64(ks, subset[i]);
		crypto_core_ristretto255_scalar_mul(num, num, ks);
		crypto_core_ristretto255_scalar_sub(diff, ks, js);
		crypto_core_ristretto255_scalar_mul(den, den, diff);
	}
	if (crypto_core_ristretto255_scalar_invert(inv, den) != 0)
		return SCRUTIN_ERR_ARGUMENT;
	crypto_core_ristretto255_scalar_mul(lambda, num, inv);
	return 0;
}

int
tally_combine(uint8_t m_point[32], uint32_t *bad_mask, const uint8_t total[64],
    const uint8_t (*vks)[32], uint32_t n, uint32_t t, const uint8_t eid[32],
    const char *qid, size_t qid_len, uint64_t choice,
    const tally_share *shares, size_t nshares)
{
	const tally_share *by_index[TALLY_TRUSTEES_MAX + 1] = { 0 };
	uint32_t subset[TALLY_TRUSTEES_MAX];
	uint8_t lambda[32], term[32], xa[32];
	uint32_t seen = 0;
	size_t chosen = 0;
	int rc;

	*bad_mask = 0;
	memset(m_point, 0, 32);
	if (n < 1 || n > TALLY_TRUSTEES_MAX || t < 1 || t > n)
		return SCRUTIN_ERR_ARGUMENT;
	if ((rc = group_point_check_nonidentity(total)) != 0 ||
	    (rc = group_point_check(total + 32)) != 0)
		return rc;
	for (size_t i = 0; i < nshares; i++) {
		uint32_t j = shares[i].trustee;

		if (j < 1 || j > n)
			return SCRUTIN_ERR_ARGUMENT;	/* no trustee to name */
		if (seen & (1u << (j - 1))) {
			/* Two shares for one trustee: both are refused. */
			*bad_mask |= 1u << (j - 1);
			by_index[j] = NULL;
			continue;
		}
		seen |= 1u << (j - 1);
		if (tally_share_verify(vks[j - 1], eid, qid, qid_len, choice, j,
		    total, shares[i].d, shares[i].proof) != 0) {
			*bad_mask |= 1u << (j - 1);
			continue;
		}
		by_index[j] = &shares[i];
	}
	for (uint32_t j = 1; j <= n && chosen < t; j++)
		if (by_index[j] != NULL && !(*bad_mask & (1u << (j - 1))))
			subset[chosen++] = j;
	if (chosen < t)
		return SCRUTIN_ERR_TOO_FEW;

	memcpy(xa, group_identity, 32);
	for (size_t i = 0; i < chosen; i++) {
		if ((rc = tally_lagrange(lambda, subset, chosen, i)) != 0)
			return rc;
		if ((rc = group_mul(term, lambda, by_index[subset[i]]->d)) != 0 ||
		    (rc = group_add(xa, xa, term)) != 0)
			return rc;
	}
	return group_sub(m_point, total + 32, xa);
}

int
tally_decrypt(uint64_t *m, uint32_t *bad_mask, const uint8_t total[64],
    const uint8_t (*vks)[32], uint32_t n, uint32_t t, const uint8_t eid[32],
    const char *qid, size_t qid_len, uint64_t choice,
    const tally_share *shares, size_t nshares, const dlog_table *table)
{
	uint8_t mp[32];
	int rc;

	*m = 0;
	if ((rc = tally_combine(mp, bad_mask, total, vks, n, t, eid, qid,
	    qid_len, choice, shares, nshares)) != 0)
		return rc;
	return dlog_solve(m, table, mp);
}

int
tally_implicit_count(uint64_t *out, uint64_t mm, uint64_t ballots,
    const uint64_t *counts, size_t e)
{
	uint64_t sum = 0, all;

	*out = 0;
	if (mm != 0 && ballots > UINT64_MAX / mm)
		return SCRUTIN_ERR_ARGUMENT;
	all = mm * ballots;
	for (size_t i = 0; i < e; i++) {
		if (counts[i] > all - sum)
			return SCRUTIN_ERR_DLOG_RANGE;
		sum += counts[i];
	}
	*out = all - sum;
	return 0;
}

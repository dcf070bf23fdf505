/*
 * dkg.c — distributed key generation (docs/protocol.md §6).
 *
 * Trusts group.c, proof.c, libsodium crypto_box. A trustee object lives
 * in sodium_malloc memory (guard pages, wiped on free) and holds the
 * polynomial and the accumulating key share; every temporary copy of a
 * share or coefficient on the stack is wiped on every path.
 */
#include <string.h>

#include "crypto/dkg.h"
#include "crypto/group.h"
#include "crypto/proof.h"
#include "crypto/util.h"

struct dkg_trustee {
	uint8_t cid[32];
	uint32_t n, t, index;
	uint8_t coeff[DKG_TRUSTEES_MAX][32];
	uint8_t xj[32];
	uint32_t received;	/* bit i−1: dealer i's share accepted */
	int finished;
};

static int
params_ok(uint32_t n, uint32_t t)
{
	return n >= 1 && n <= DKG_TRUSTEES_MAX && t >= 1 && t <= n;
}

int
dkg_ceremony_id(uint8_t id[32], const uint8_t *meeting_id,
    size_t meeting_id_len, uint32_t n, uint32_t t,
    const uint8_t (*id_pks)[32], const uint8_t (*box_pks)[32])
{
	transcript h;

	if (!params_ok(n, t) || meeting_id_len > 1024) {
		memset(id, 0, 32);
		return SCRUTIN_ERR_ARGUMENT;
	}
	transcript_init(&h, TRANSCRIPT_H256, "ceremony");
	transcript_field(&h, meeting_id, meeting_id_len);
	transcript_field_u64(&h, n);
	transcript_field_u64(&h, t);
	for (uint32_t i = 0; i < n; i++) {
		transcript_field_begin(&h, 64);
		transcript_raw(&h, id_pks[i], 32);
		transcript_raw(&h, box_pks[i], 32);
	}
	transcript_final(&h, id);
	return 0;
}

void
dkg_context(uint8_t ctx[DKG_CTX_BYTES], const uint8_t ceremony_id[32],
    uint32_t i)
{
	framebuf b;

	framebuf_init(&b, ctx, DKG_CTX_BYTES);
	framebuf_field(&b, ceremony_id, 32);
	framebuf_field_u64(&b, i);
}

void
dkg_share_context(uint8_t ctx[DKG_SHARE_CTX_BYTES],
    const uint8_t ceremony_id[32], uint32_t j)
{
	framebuf b;

	framebuf_init(&b, ctx, DKG_SHARE_CTX_BYTES);
	framebuf_field(&b, ceremony_id, 32);
	framebuf_field_u64(&b, j);
	framebuf_field(&b, "share", 5);
}

void
dkg_commit_hash(uint8_t h[32], const uint8_t ceremony_id[32], uint32_t i,
    const uint8_t (*commitments)[32], uint32_t t, const uint8_t pok[64])
{
	transcript tr;

	transcript_init(&tr, TRANSCRIPT_H256, "dkg-commit");
	transcript_field(&tr, ceremony_id, 32);
	transcript_field_u64(&tr, i);
	transcript_field_begin(&tr, 32 * (size_t)t);
	for (uint32_t k = 0; k < t; k++)
		transcript_raw(&tr, commitments[k], 32);
	transcript_field(&tr, pok, 64);
	transcript_final(&tr, h);
}

int
dkg_commitment_verify(const uint8_t ceremony_id[32], uint32_t i,
    const uint8_t (*commitments)[32], uint32_t t, const uint8_t pok[64],
    const uint8_t h[32])
{
	uint8_t want[32], ctx[DKG_CTX_BYTES];
	int rc;

	if (t < 1 || t > DKG_TRUSTEES_MAX || i < 1 || i > DKG_TRUSTEES_MAX)
		return SCRUTIN_ERR_ARGUMENT;
	dkg_commit_hash(want, ceremony_id, i, commitments, t, pok);
	if (sodium_memcmp(want, h, 32) != 0)
		return SCRUTIN_ERR_COMMIT;
	for (uint32_t k = 0; k < t; k++)
		if ((rc = group_point_check_nonidentity(commitments[k])) != 0)
			return rc;
	dkg_context(ctx, ceremony_id, i);
	return proof_pok_verify(ctx, sizeof ctx, commitments[0], pok);
}

int
dkg_share_check(const uint8_t s[32], const uint8_t (*commitments)[32],
    uint32_t t, uint32_t j)
{
	uint8_t js[32], jk[32], term[32], sum[32], sg[32];
	int rc = SCRUTIN_ERR_BAD_DEALER;

	if (t < 1 || t > DKG_TRUSTEES_MAX || j < 1 || j > DKG_TRUSTEES_MAX)
		return SCRUTIN_ERR_ARGUMENT;
	if (group_scalar_check_nonzero(s) != 0)
		goto out;
	if (group_point_check(commitments[0]) != 0)
		goto out;
	memcpy(sum, commitments[0], 32);
	group_scalar_from_u64(js, j);
	memcpy(jk, js, 32);
	for (uint32_t k = 1; k < t; k++) {
		if (group_mul(term, jk, commitments[k]) != 0 ||
		    group_add(sum, sum, term) != 0)
			goto out;
		crypto_core_ristretto255_scalar_mul(jk, jk, js);
	}
	group_mul_base(sg, s);
	rc = sodium_memcmp(sg, sum, 32) == 0 ? 0 : SCRUTIN_ERR_BAD_DEALER;
out:
	sodium_memzero(sg, sizeof sg);
	return rc;
}

/* --- the trustee's side --------------------------------------------------- */

int
dkg_trustee_new_with_coefficients(dkg_trustee **out,
    const uint8_t ceremony_id[32], uint32_t n, uint32_t t, uint32_t index,
    const uint8_t (*coefficients)[32])
{
	struct dkg_trustee *tr;
	int rc;

	*out = NULL;
	if (!params_ok(n, t) || index < 1 || index > n)
		return SCRUTIN_ERR_ARGUMENT;
	for (uint32_t k = 0; k < t; k++)
		if ((rc = group_scalar_check_nonzero(coefficients[k])) != 0)
			return rc;
	tr = util_secure_alloc(sizeof *tr);
	memcpy(tr->cid, ceremony_id, 32);
	tr->n = n;
	tr->t = t;
	tr->index = index;
	for (uint32_t k = 0; k < t; k++)
		memcpy(tr->coeff[k], coefficients[k], 32);
	*out = tr;
	return 0;
}

int
dkg_trustee_new(dkg_trustee **out, const uint8_t ceremony_id[32], uint32_t n,
    uint32_t t, uint32_t index)
{
	uint8_t coeff[DKG_TRUSTEES_MAX][32];
	int rc;

	if (!params_ok(n, t)) {
		*out = NULL;
		return SCRUTIN_ERR_ARGUMENT;
	}
	for (uint32_t k = 0; k < t; k++)
		group_scalar_random(coeff[k]);
	rc = dkg_trustee_new_with_coefficients(out, ceremony_id, n, t, index,
	    (const uint8_t (*)[32])coeff);
	sodium_memzero(coeff, sizeof coeff);
	return rc;
}

void
dkg_trustee_free(dkg_trustee *tr)
{
	util_secure_free(tr);
}

uint32_t
dkg_trustee_index(const dkg_trustee *tr)
{
	return tr->index;
}

const uint8_t *
dkg_trustee_key_share(const dkg_trustee *tr)
{
	return tr->finished ? tr->xj : NULL;
}

int
dkg_trustee_commit(dkg_trustee *tr, uint8_t (*commitments)[32],
    uint8_t pok[64], uint8_t h[32], const uint8_t *pok_nonce)
{
	uint8_t ctx[DKG_CTX_BYTES];
	int rc;

	for (uint32_t k = 0; k < tr->t; k++)
		group_mul_base(commitments[k], tr->coeff[k]);
	dkg_context(ctx, tr->cid, tr->index);
	if (pok_nonce != NULL)
		rc = proof_pok_prove_with_nonce(pok, ctx, sizeof ctx,
		    commitments[0], tr->coeff[0], pok_nonce);
	else
		rc = proof_pok_prove(pok, ctx, sizeof ctx, commitments[0],
		    tr->coeff[0]);
	if (rc != 0)
		return rc;
	dkg_commit_hash(h, tr->cid, tr->index,
	    (const uint8_t (*)[32])commitments, tr->t, pok);
	return 0;
}

int
dkg_trustee_share(const dkg_trustee *tr, uint32_t j, uint8_t s[32])
{
	uint8_t js[32], acc[32];

	if (j < 1 || j > tr->n) {
		memset(s, 0, 32);
		return SCRUTIN_ERR_ARGUMENT;
	}
	/* Horner: f(j) = (…(a_{t−1}·j + a_{t−2})·j + …)·j + a_0. */
	group_scalar_from_u64(js, j);
	memcpy(acc, tr->coeff[tr->t - 1], 32);
	for (uint32_t k = tr->t - 1; k-- > 0;) {
		crypto_core_ristretto255_scalar_mul(acc, acc, js);
		crypto_core_ristretto255_scalar_add(acc, acc, tr->coeff[k]);
	}
	memcpy(s, acc, 32);
	sodium_memzero(acc, sizeof acc);
	return 0;
}

static void
share_plaintext(uint8_t p[DKG_PLAIN_BYTES], const uint8_t cid[32],
    uint32_t i, uint32_t j, const uint8_t s[32])
{
	memcpy(p, cid, 32);
	group_le64_put(p + 32, i);
	group_le64_put(p + 40, j);
	memcpy(p + 48, s, 32);
}

int
dkg_trustee_box_share(const dkg_trustee *tr, uint32_t j,
    uint8_t box[DKG_BOX_BYTES], const uint8_t my_box_sk[32],
    const uint8_t their_box_pk[32], const uint8_t *nonce)
{
	uint8_t s[32], plain[DKG_PLAIN_BYTES];
	int rc;

	if ((rc = dkg_trustee_share(tr, j, s)) != 0)
		goto out;
	share_plaintext(plain, tr->cid, tr->index, j, s);
	if (nonce != NULL)
		memcpy(box, nonce, 24);
	else
		randombytes_buf(box, 24);
	if (crypto_box_easy(box + 24, plain, sizeof plain, box, their_box_pk,
	    my_box_sk) != 0)
		rc = SCRUTIN_ERR_ARGUMENT;	/* their_box_pk of small order */
out:
	if (rc != 0)
		memset(box, 0, DKG_BOX_BYTES);
	sodium_memzero(s, sizeof s);
	sodium_memzero(plain, sizeof plain);
	return rc;
}

int
dkg_trustee_receive_share(dkg_trustee *tr, uint32_t dealer,
    const uint8_t s[32], const uint8_t (*commitments)[32])
{
	int rc;

	if (dealer < 1 || dealer > tr->n)
		return SCRUTIN_ERR_ARGUMENT;
	if (tr->finished || (tr->received & (1u << (dealer - 1))))
		return SCRUTIN_ERR_STATE;
	if ((rc = dkg_share_check(s, commitments, tr->t, tr->index)) != 0)
		return rc;
	crypto_core_ristretto255_scalar_add(tr->xj, tr->xj, s);
	tr->received |= 1u << (dealer - 1);
	return 0;
}

int
dkg_trustee_receive(dkg_trustee *tr, uint32_t dealer,
    const uint8_t box[DKG_BOX_BYTES], const uint8_t dealer_box_pk[32],
    const uint8_t my_box_sk[32], const uint8_t (*commitments)[32])
{
	uint8_t plain[DKG_PLAIN_BYTES], hdr[48];
	int rc;

	if (dealer < 1 || dealer > tr->n) {
		rc = SCRUTIN_ERR_ARGUMENT;
		goto out;
	}
	if (crypto_box_open_easy(plain, box + 24, DKG_BOX_BYTES - 24, box,
	    dealer_box_pk, my_box_sk) != 0) {
		rc = SCRUTIN_ERR_BAD_DEALER;
		goto out;
	}
	memcpy(hdr, tr->cid, 32);
	group_le64_put(hdr + 32, dealer);
	group_le64_put(hdr + 40, tr->index);
	if (memcmp(plain, hdr, sizeof hdr) != 0) {
		rc = SCRUTIN_ERR_BAD_DEALER;
		goto out;
	}
	rc = dkg_trustee_receive_share(tr, dealer, plain + 48, commitments);
out:
	sodium_memzero(plain, sizeof plain);
	return rc;
}

int
dkg_trustee_finish(dkg_trustee *tr, uint8_t yj[32], uint8_t pok[64],
    const uint8_t *pok_nonce)
{
	uint8_t ctx[DKG_SHARE_CTX_BYTES];
	uint32_t all = (1u << tr->n) - 1;	/* n ≤ 16 */
	int rc;

	if (tr->received != all)
		return SCRUTIN_ERR_STATE;
	/* Each share passed Feldman and is non-zero, but their sum could
	 * be zero (negligible for honest dealers); refuse such a key. */
	if ((rc = group_scalar_check_nonzero(tr->xj)) != 0)
		return rc;
	group_mul_base(yj, tr->xj);
	dkg_share_context(ctx, tr->cid, tr->index);
	if (pok_nonce != NULL)
		rc = proof_pok_prove_with_nonce(pok, ctx, sizeof ctx, yj,
		    tr->xj, pok_nonce);
	else
		rc = proof_pok_prove(pok, ctx, sizeof ctx, yj, tr->xj);
	if (rc == 0)
		tr->finished = 1;
	return rc;
}

/* --- public results ---------------------------------------------------- */

int
dkg_public_key(uint8_t y[32], const uint8_t (*commitments)[32], uint32_t n,
    uint32_t t)
{
	uint8_t acc[32];
	int rc;

	if (!params_ok(n, t))
		return SCRUTIN_ERR_ARGUMENT;
	memcpy(acc, group_identity, 32);
	for (uint32_t i = 0; i < n; i++)
		if ((rc = group_add(acc, acc, commitments[(size_t)i * t])) != 0)
			return rc;
	if (group_point_is_identity(acc))
		return SCRUTIN_ERR_IDENTITY;
	memcpy(y, acc, 32);
	return 0;
}

int
dkg_verification_key(uint8_t yj[32], const uint8_t (*commitments)[32],
    uint32_t n, uint32_t t, uint32_t j)
{
	uint8_t agg[32], acc[32], term[32], js[32], jk[32];
	int rc;

	if (!params_ok(n, t) || j < 1 || j > n)
		return SCRUTIN_ERR_ARGUMENT;
	/* Σ_k j^k · (Σ_i C_{i,k}): n·t additions, t − 1 multiplications. */
	memcpy(acc, group_identity, 32);
	group_scalar_from_u64(js, j);
	group_scalar_from_u64(jk, 1);
	for (uint32_t k = 0; k < t; k++) {
		memcpy(agg, group_identity, 32);
		for (uint32_t i = 0; i < n; i++)
			if ((rc = group_add(agg, agg,
			    commitments[(size_t)i * t + k])) != 0)
				return rc;
		if ((rc = group_mul(term, jk, agg)) != 0 ||
		    (rc = group_add(acc, acc, term)) != 0)
			return rc;
		crypto_core_ristretto255_scalar_mul(jk, jk, js);
	}
	memcpy(yj, acc, 32);
	return 0;
}

int
dkg_share_pok_verify(const uint8_t ceremony_id[32], uint32_t j,
    const uint8_t yj[32], const uint8_t pok[64])
{
	uint8_t ctx[DKG_SHARE_CTX_BYTES];

	dkg_share_context(ctx, ceremony_id, j);
	return proof_pok_verify(ctx, sizeof ctx, yj, pok);
}

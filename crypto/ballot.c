/*
 * ballot.c — ballot questions, building, strict parsing and verification
 * (docs/protocol.md §5).
 *
 * Trusts group.c, elgamal.c, proof.c, libsodium Ed25519. The parser reads
 * only through bounds-checked frame reads and fails on the first
 * deviation; the verifier decodes each input point once (its α and β, Y)
 * and then works on already-validated encodings. Randomness r_i, their
 * sum and proof nonces are wiped on every path of the builder.
 */
#include <string.h>

#include "crypto/ballot.h"
#include "crypto/elgamal.h"
#include "crypto/group.h"
#include "crypto/proof.h"
#include "crypto/proof_fast.h"
#include "crypto/ristretto_fast.h"
#include "crypto/tally.h"

static int
qid_valid(const char *qid, size_t len)
{
	if (len < 1 || len > BALLOT_QID_MAX)
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)qid[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' ||
		    ch == '-'))
			return 0;
	}
	return 1;
}

int
ballot_question_init(ballot_question *q, const char *qid, size_t qid_len,
    uint32_t n, uint32_t min, uint32_t max)
{
	memset(q, 0, sizeof *q);
	if (!qid_valid(qid, qid_len) || n < 2 || n > BALLOT_CHOICES_MAX ||
	    min > max || max < 1 || max > n)
		return SCRUTIN_ERR_ARGUMENT;
	memcpy(q->qid, qid, qid_len);
	q->qid[qid_len] = '\0';
	q->qid_len = qid_len;
	q->n = n;
	q->min = min;
	q->max = max;
	if (min == max) {
		q->e = n - 1;
		q->lo = max > 0 ? max - 1 : 0;
		q->hi = max < n - 1 ? max : n - 1;
	} else {
		q->e = n;
		q->lo = min;
		q->hi = max;
	}
	return 0;
}

size_t
ballot_body_size(const ballot_question *q)
{
	return 13 + 10 + 36 + (4 + q->qid_len) + 36 + 36 + 12 +
	    (size_t)q->e * (4 + BALLOT_CHOICE_BYTES) + 4 +
	    PROOF_MEMBER_BYTES(q->hi - q->lo + 1);
}

size_t
ballot_nonce_count(const ballot_question *q)
{
	return 3 * (size_t)q->e + 1 + 2 * (size_t)(q->hi - q->lo);
}

static size_t
context_build(uint8_t ctx[BALLOT_CTX_MAX], const uint8_t eid[32],
    const uint8_t *qid, size_t qid_len, const ballot_question *q,
    const uint8_t voice_pk[32], uint64_t i)
{
	framebuf b;

	framebuf_init(&b, ctx, BALLOT_CTX_MAX);
	framebuf_field(&b, eid, 32);
	framebuf_field(&b, qid, qid_len);
	framebuf_field_u64(&b, q->n);
	framebuf_field_u64(&b, q->min);
	framebuf_field_u64(&b, q->max);
	framebuf_field(&b, voice_pk, 32);
	framebuf_field_u64(&b, i);
	return b.len;	/* cannot overflow: qid_len ≤ 64 */
}

size_t
ballot_context(uint8_t ctx[BALLOT_CTX_MAX], const ballot_question *q,
    const uint8_t eid[32], const uint8_t voice_pk[32], uint64_t i)
{
	return context_build(ctx, eid, (const uint8_t *)q->qid, q->qid_len, q,
	    voice_pk, i);
}

int
ballot_build_with_nonces(uint8_t *body, size_t body_cap, size_t *body_len,
    const ballot_question *q, const uint8_t eid[32], const uint8_t y[32],
    const uint8_t voice_pk[32], const uint8_t signer_pk[32],
    const uint8_t *selection, const uint8_t (*r)[32],
    const uint8_t (*nonces)[32])
{
	uint8_t ctx[BALLOT_CTX_MAX], choice[BALLOT_CHOICE_BYTES];
	uint8_t sum_ct[64], rsum[32];
	uint8_t overall[PROOF_MEMBER_BYTES(BALLOT_CHOICES_MAX + 1)];
	uint64_t values[BALLOT_CHOICES_MAX + 1];
	uint32_t count = 0, explicit_count = 0;
	size_t ctx_len, need = ballot_body_size(q), k = q->hi - q->lo + 1;
	framebuf b;
	int rc;

	*body_len = 0;
	memset(rsum, 0, sizeof rsum);
	if (body_cap < need) {
		rc = SCRUTIN_ERR_LENGTH;
		goto out;
	}
	for (uint32_t i = 0; i < q->n; i++) {
		if (selection[i] > 1) {
			rc = SCRUTIN_ERR_SELECTION;
			goto out;
		}
		count += selection[i];
		if (i < q->e)
			explicit_count += selection[i];
	}
	if (count < q->min || count > q->max ||
	    explicit_count < q->lo || explicit_count > q->hi) {
		rc = SCRUTIN_ERR_SELECTION;
		goto out;
	}
	if ((rc = group_point_check_nonidentity(y)) != 0)
		goto out;

	framebuf_init(&b, body, body_cap);
	framebuf_field(&b, "scrutin/1", 9);
	framebuf_field(&b, "ballot", 6);
	framebuf_field(&b, eid, 32);
	framebuf_field(&b, q->qid, q->qid_len);
	framebuf_field(&b, voice_pk, 32);
	framebuf_field(&b, signer_pk, 32);
	framebuf_field_u64(&b, q->e);

	static const uint64_t zero_one[2] = { 0, 1 };
	for (uint32_t i = 0; i < q->e; i++) {
		if ((rc = elgamal_encrypt(choice, y, selection[i], r[i])) != 0)
			goto out;
		ctx_len = ballot_context(ctx, q, eid, voice_pk, i + 1);
		if ((rc = proof_member_prove_with_nonces(choice + 64, ctx,
		    ctx_len, y, choice, zero_one, 2, selection[i], r[i],
		    nonces + 3 * (size_t)i)) != 0)
			goto out;
		if (i == 0)
			memcpy(sum_ct, choice, 64);
		else if ((rc = elgamal_add(sum_ct, sum_ct, choice)) != 0)
			goto out;
		crypto_core_ristretto255_scalar_add(rsum, rsum, r[i]);
		framebuf_field(&b, choice, sizeof choice);
	}
	for (size_t j = 0; j < k; j++)
		values[j] = q->lo + j;
	ctx_len = ballot_context(ctx, q, eid, voice_pk, 0);
	/* rsum = 0 (probability 2^-252, or chosen nonces) would put α = O. */
	if ((rc = proof_member_prove_with_nonces(overall, ctx, ctx_len, y,
	    sum_ct, values, k, explicit_count - q->lo, rsum,
	    nonces + 3 * (size_t)q->e)) != 0)
		goto out;
	framebuf_field(&b, overall, PROOF_MEMBER_BYTES(k));
	if (b.overflow || b.len != need) {
		rc = SCRUTIN_ERR_INTERNAL;
		goto out;
	}
	*body_len = b.len;
out:
	if (rc != 0 && body_cap > 0)
		memset(body, 0, body_cap < need ? body_cap : need);
	sodium_memzero(rsum, sizeof rsum);
	sodium_memzero(choice, sizeof choice);
	return rc;
}

int
ballot_build(uint8_t *body, size_t body_cap, size_t *body_len,
    const ballot_question *q, const uint8_t eid[32], const uint8_t y[32],
    const uint8_t voice_pk[32], const uint8_t signer_pk[32],
    const uint8_t *selection)
{
	uint8_t r[BALLOT_CHOICES_MAX][32];
	uint8_t nonces[3 * BALLOT_CHOICES_MAX + 1 + 2 * BALLOT_CHOICES_MAX][32];
	size_t nn = ballot_nonce_count(q);
	int rc;

	for (uint32_t i = 0; i < q->e; i++) {
		group_scalar_random(r[i]);
		/* Per proof: w (non-zero), then c_j, s_j. */
		group_scalar_random(nonces[3 * i]);
		crypto_core_ristretto255_scalar_random(nonces[3 * i + 1]);
		crypto_core_ristretto255_scalar_random(nonces[3 * i + 2]);
	}
	group_scalar_random(nonces[3 * q->e]);
	for (size_t i = 3 * (size_t)q->e + 1; i < nn; i++)
		crypto_core_ristretto255_scalar_random(nonces[i]);
	rc = ballot_build_with_nonces(body, body_cap, body_len, q, eid, y,
	    voice_pk, signer_pk, selection, (const uint8_t (*)[32])r,
	    (const uint8_t (*)[32])nonces);
	sodium_memzero(r, sizeof r);
	sodium_memzero(nonces, sizeof nonces);
	return rc;
}

/* --- parsing ---------------------------------------------------------- */

typedef struct {
	const uint8_t *p;
	size_t len, off;
} reader;

/* Reads one frame; OUT its bytes and length. */
static int
read_frame(reader *rd, const uint8_t **f, size_t *flen)
{
	uint32_t n;

	if (rd->len - rd->off < 4)
		return SCRUTIN_ERR_LENGTH;
	n = group_le32_get(rd->p + rd->off);
	rd->off += 4;
	if (n > rd->len - rd->off)
		return SCRUTIN_ERR_LENGTH;
	*f = rd->p + rd->off;
	*flen = n;
	rd->off += n;
	return 0;
}

static int
read_frame_exact(reader *rd, const uint8_t **f, size_t want)
{
	size_t n;
	int rc;

	if ((rc = read_frame(rd, f, &n)) != 0)
		return rc;
	return n == want ? 0 : SCRUTIN_ERR_PARSE;
}

static int
read_label(reader *rd, const char *label)
{
	const uint8_t *f;
	size_t n = strlen(label);
	int rc;

	if ((rc = read_frame_exact(rd, &f, n)) != 0)
		return rc;
	return memcmp(f, label, n) == 0 ? 0 : SCRUTIN_ERR_PARSE;
}

int
ballot_body_parse(ballot_parsed *out, const uint8_t *body, size_t len)
{
	reader rd = { body, len, 0 };
	const uint8_t *f;
	size_t n;
	uint64_t e;
	int rc;

	memset(out, 0, sizeof *out);
	if (len > BALLOT_BODY_MAX) {
		rc = SCRUTIN_ERR_LENGTH;
		goto out;
	}
	if ((rc = read_label(&rd, "scrutin/1")) != 0 ||
	    (rc = read_label(&rd, "ballot")) != 0 ||
	    (rc = read_frame_exact(&rd, &out->eid, 32)) != 0)
		goto out;
	if ((rc = read_frame(&rd, &out->qid, &out->qid_len)) != 0)
		goto out;
	if (!qid_valid((const char *)out->qid, out->qid_len)) {
		rc = SCRUTIN_ERR_PARSE;
		goto out;
	}
	if ((rc = read_frame_exact(&rd, &out->voice_pk, 32)) != 0 ||
	    (rc = read_frame_exact(&rd, &out->signer_pk, 32)) != 0 ||
	    (rc = read_frame_exact(&rd, &f, 8)) != 0)
		goto out;
	e = group_le64_get(f);
	if (e < 1 || e > BALLOT_CHOICES_MAX) {
		rc = SCRUTIN_ERR_PARSE;
		goto out;
	}
	out->e = (uint32_t)e;
	for (uint32_t i = 0; i < out->e; i++)
		if ((rc = read_frame_exact(&rd, &out->choice[i],
		    BALLOT_CHOICE_BYTES)) != 0)
			goto out;
	if ((rc = read_frame(&rd, &out->overall, &n)) != 0)
		goto out;
	if (n < 64 || n % 64 != 0 || n > PROOF_MEMBER_BYTES(65)) {
		rc = SCRUTIN_ERR_PARSE;
		goto out;
	}
	out->overall_len = n;
	if (rd.off != len)
		rc = SCRUTIN_ERR_LENGTH;	/* trailing bytes */
out:
	if (rc != 0)
		memset(out, 0, sizeof *out);
	return rc;
}

void
ballot_parsed_ciphertext(uint8_t ct[64], const ballot_parsed *p, uint32_t i)
{
	memcpy(ct, p->choice[i - 1], 64);
}

/* What both verifiers (reference and fast) check before any group
 * arithmetic: OUT *p, the body parsed; it is this question of this
 * election (k values in the overall proof) and its signature verifies. */
static int
ballot_verify_envelope(ballot_parsed *p, const ballot_question *q,
    const uint8_t eid[32], const uint8_t *body, size_t len,
    const uint8_t sig[64], size_t k)
{
	int rc;

	if ((rc = ballot_body_parse(p, body, len)) != 0)
		return rc;
	if (memcmp(p->eid, eid, 32) != 0 || p->qid_len != q->qid_len ||
	    memcmp(p->qid, q->qid, q->qid_len) != 0 || p->e != q->e ||
	    p->overall_len != PROOF_MEMBER_BYTES(k))
		return SCRUTIN_ERR_CONTEXT;
	if (crypto_sign_verify_detached(sig, body, len, p->signer_pk) != 0)
		return SCRUTIN_ERR_SIGNATURE;
	return 0;
}

int
ballot_verify_ref(ballot_parsed *out, const ballot_question *q,
    const uint8_t eid[32], const uint8_t y[32], const uint8_t *body,
    size_t len, const uint8_t sig[64])
{
	static const uint64_t zero_one[2] = { 0, 1 };
	uint64_t values[BALLOT_CHOICES_MAX + 1];
	uint8_t ctx[BALLOT_CTX_MAX], sum_ct[64];
	ballot_parsed p;
	size_t ctx_len, k = q->hi - q->lo + 1;
	int rc;

	if ((rc = ballot_verify_envelope(&p, q, eid, body, len, sig, k)) != 0)
		goto out;
	if ((rc = group_point_check_nonidentity(y)) != 0)
		goto out;
	for (uint32_t i = 0; i < p.e; i++) {
		const uint8_t *ct = p.choice[i];

		if ((rc = group_point_check_nonidentity(ct)) != 0 ||
		    (rc = group_point_check(ct + 32)) != 0)
			goto out;
		ctx_len = context_build(ctx, p.eid, p.qid, p.qid_len, q,
		    p.voice_pk, i + 1);
		if ((rc = proof_member_verify_checked(ctx, ctx_len, y, ct,
		    zero_one, 2, ct + 64, BALLOT_CHOICE_BYTES - 64)) != 0)
			goto out;
		if (i == 0)
			memcpy(sum_ct, ct, 64);
		else if ((rc = elgamal_add(sum_ct, sum_ct, ct)) != 0)
			goto out;
	}
	/* Σ C_i is computed from valid points; only α = O must be refused. */
	if (group_point_is_identity(sum_ct)) {
		rc = SCRUTIN_ERR_IDENTITY;
		goto out;
	}
	for (size_t j = 0; j < k; j++)
		values[j] = q->lo + j;
	ctx_len = context_build(ctx, p.eid, p.qid, p.qid_len, q, p.voice_pk,
	    0);
	rc = proof_member_verify_checked(ctx, ctx_len, y, sum_ct, values, k,
	    p.overall, p.overall_len);
out:
	if (out != NULL) {
		if (rc == 0)
			*out = p;
		else
			memset(out, 0, sizeof *out);
	}
	return rc;
}

/*
 * The variable-time form of ballot_verify_ref (public data only, see
 * ristretto_fast.h): the same checks in the same order with the same
 * return codes. The election key's table comes from the per-thread
 * cache; each α_i, β_i is checked by libsodium, then decoded once into
 * extended coordinates, where Σ C_i is also computed (encoded once, for
 * the identity check and the π_0 transcript). OUT sums (optional): on
 * success the decoded C_1 … C_e, for tally_acc (no second decode).
 */
static int
ballot_verify_fast(ballot_parsed *out, const ballot_question *q,
    const uint8_t eid[32], const uint8_t y[32], const uint8_t *body,
    size_t len, const uint8_t sig[64], rf_point (*cts)[2])
{
	static const uint64_t zero_one[2] = { 0, 1 };
	uint64_t values[BALLOT_CHOICES_MAX + 1];
	uint8_t ctx[BALLOT_CTX_MAX], sum_ct[64];
	const rf_key *key;
	rf_point alpha, beta, sa, sb;
	ballot_parsed p;
	size_t ctx_len, k = q->hi - q->lo + 1;
	int rc;

	if ((rc = ballot_verify_envelope(&p, q, eid, body, len, sig, k)) != 0)
		goto out;
	/* group_point_check_nonidentity(y), or y's bytes already passed it. */
	if ((rc = rf_key_cached(&key, y)) != 0)
		goto out;
	rf_identity(&sa);
	rf_identity(&sb);
	for (uint32_t i = 0; i < p.e; i++) {
		const uint8_t *ct = p.choice[i];

		if ((rc = group_point_check_nonidentity(ct)) != 0 ||
		    (rc = group_point_check(ct + 32)) != 0)
			goto out;
		if (rf_decode(&alpha, ct) != 0 || rf_decode(&beta, ct + 32) != 0) {
			rc = SCRUTIN_ERR_POINT;	/* libsodium accepted: a bug */
			goto out;
		}
		ctx_len = context_build(ctx, p.eid, p.qid, p.qid_len, q,
		    p.voice_pk, i + 1);
		if ((rc = proof_member_verify_fast(ctx, ctx_len, key, ct, &alpha,
		    &beta, zero_one, 2, ct + 64, BALLOT_CHOICE_BYTES - 64)) != 0)
			goto out;
		rf_add(&sa, &sa, &alpha);
		rf_add(&sb, &sb, &beta);
		if (cts != NULL) {
			cts[i][0] = alpha;
			cts[i][1] = beta;
		}
	}
	rf_encode(sum_ct, &sa);
	rf_encode(sum_ct + 32, &sb);
	/* Σ C_i is computed from valid points; only α = O must be refused. */
	if (group_point_is_identity(sum_ct)) {
		rc = SCRUTIN_ERR_IDENTITY;
		goto out;
	}
	for (size_t j = 0; j < k; j++)
		values[j] = q->lo + j;
	ctx_len = context_build(ctx, p.eid, p.qid, p.qid_len, q, p.voice_pk,
	    0);
	rc = proof_member_verify_fast(ctx, ctx_len, key, sum_ct, &sa, &sb,
	    values, k, p.overall, p.overall_len);
out:
	if (out != NULL) {
		if (rc == 0)
			*out = p;
		else
			memset(out, 0, sizeof *out);
	}
	return rc;
}

int
ballot_verify(ballot_parsed *out, const ballot_question *q,
    const uint8_t eid[32], const uint8_t y[32], const uint8_t *body,
    size_t len, const uint8_t sig[64])
{
	if (rf_enabled())
		return ballot_verify_fast(out, q, eid, y, body, len, sig, NULL);
	return ballot_verify_ref(out, q, eid, y, body, len, sig);
}

int
ballot_verify_acc(ballot_parsed *out, const ballot_question *q,
    const uint8_t eid[32], const uint8_t y[32], const uint8_t *body,
    size_t len, const uint8_t sig[64], tally_acc *sums)
{
	rf_point cts[BALLOT_CHOICES_MAX][2];
	ballot_parsed p;
	int rc;

	if (!rf_enabled()) {
		if ((rc = ballot_verify_ref(&p, q, eid, y, body, len, sig)) == 0)
			for (uint32_t i = 0; i < p.e; i++)
				if ((rc = tally_acc_add(&sums[i],
				    p.choice[i])) != 0)
					break;	/* cannot happen: verified */
	} else if ((rc = ballot_verify_fast(&p, q, eid, y, body, len, sig,
	    cts)) == 0) {
		for (uint32_t i = 0; i < p.e; i++)
			tally_acc_add_points(&sums[i], &cts[i][0], &cts[i][1]);
	}
	if (out != NULL) {
		if (rc == 0)
			*out = p;
		else
			memset(out, 0, sizeof *out);
	}
	return rc;
}

void
ballot_receipt(uint8_t receipt[32], const uint8_t *body, size_t len,
    const uint8_t sig[64])
{
	transcript t;

	transcript_init(&t, TRANSCRIPT_H256, "receipt");
	transcript_field(&t, body, len);
	transcript_field(&t, sig, 64);
	transcript_final(&t, receipt);
}

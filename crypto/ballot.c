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
#include <stdlib.h>
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

void
ballot_question_set_digest(ballot_question *q, const uint8_t digest[32])
{
	memcpy(q->digest, digest, 32);
	q->has_digest = 1;
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
	if (q->has_digest)	/* scrutin/2: the question's content */
		framebuf_field(&b, q->digest, 32);
	return b.len;	/* cannot overflow: qid_len ≤ 64 */
}

size_t
ballot_context(uint8_t ctx[BALLOT_CTX_MAX], const ballot_question *q,
    const uint8_t eid[32], const uint8_t voice_pk[32], uint64_t i)
{
	return context_build(ctx, eid, (const uint8_t *)q->qid, q->qid_len, q,
	    voice_pk, i);
}

size_t
ballot_hints_size(const ballot_question *q)
{
	return PROOF_MEMBER_BYTES(2 * (size_t)q->e + (q->hi - q->lo + 1));
}

int
ballot_build_with_nonces(uint8_t *body, size_t body_cap, size_t *body_len,
    const ballot_question *q, const uint8_t eid[32], const uint8_t y[32],
    const uint8_t voice_pk[32], const uint8_t signer_pk[32],
    const uint8_t *selection, const uint8_t (*r)[32],
    const uint8_t (*nonces)[32])
{
	return ballot_build_with_nonces_hints(body, body_cap, body_len, NULL,
	    q, eid, y, voice_pk, signer_pk, selection, r, nonces);
}

int
ballot_build_with_nonces_hints(uint8_t *body, size_t body_cap,
    size_t *body_len, uint8_t *hints, const ballot_question *q,
    const uint8_t eid[32], const uint8_t y[32], const uint8_t voice_pk[32],
    const uint8_t signer_pk[32], const uint8_t *selection,
    const uint8_t (*r)[32], const uint8_t (*nonces)[32])
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
		if ((rc = proof_member_prove_hints(choice + 64, hints == NULL ?
		    NULL : hints + PROOF_MEMBER_BYTES(2) * i, ctx, ctx_len, y,
		    choice, zero_one, 2, selection[i], r[i],
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
	if ((rc = proof_member_prove_hints(overall, hints == NULL ? NULL :
	    hints + PROOF_MEMBER_BYTES(2) * q->e, ctx, ctx_len, y, sum_ct,
	    values, k, explicit_count - q->lo, rsum,
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
	if (rc != 0 && hints != NULL)
		memset(hints, 0, ballot_hints_size(q));
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
	return ballot_build_hints(body, body_cap, body_len, NULL, q, eid, y,
	    voice_pk, signer_pk, selection);
}

int
ballot_build_hints(uint8_t *body, size_t body_cap, size_t *body_len,
    uint8_t *hints, const ballot_question *q, const uint8_t eid[32],
    const uint8_t y[32], const uint8_t voice_pk[32],
    const uint8_t signer_pk[32], const uint8_t *selection)
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
	rc = ballot_build_with_nonces_hints(body, body_cap, body_len, hints,
	    q, eid, y, voice_pk, signer_pk, selection,
	    (const uint8_t (*)[32])r, (const uint8_t (*)[32])nonces);
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

/* --- batch verification with hints (docs/protocol.md §5.6) --------------
 *
 * Ballots with hints are checked as far as possible one by one (§5.6
 * steps 1–3: everything ballot_verify checks before its proof equations,
 * challenges over the hint bytes), then the equations of all of them at
 * once: with independent uniformly random 128-bit weights z (drawn here,
 * after the batch was given),
 *   Σ z·(s_j·G − c_j·α − A_j) + z'·(s_j·Y − c_j·β + c_j·v_j·G − B_j) = O,
 * one multi-scalar multiplication (rf_msm) in which the coefficients of G,
 * of each Y and of each α_i, β_i are summed first (π_0's terms on
 * α_S = Σ α_i go to each α_i) and A_j, B_j enter negated with their
 * 128-bit weight. The points of the ballot (its ciphertexts and hints)
 * are decoded by rf_decode alone, which accepts exactly the canonical
 * encodings of RFC 9496 (as libsodium does: differential tests in
 * test_fast, fuzz_fastdiff); an all-zero α_i is refused before (the
 * identity). A ballot that fails any step before the equation is
 * verified again by ballot_verify alone. When a chunk's equation fails,
 * its ballots are split in halves whose equations (same weights: each
 * half is a sub-sum of the chunk's, fixed before the weights were drawn)
 * are checked in turn, down to single ballots, which ballot_verify
 * decides; a budget of MSM work bounds what a chunk full of forgeries
 * costs, after which the rest is decided one by one. Either way the
 * verdict and its code are ballot_verify's: they never depend on the
 * hints. */

/* MSM points per ballot: α_i, β_i, and the 2·(2e + k) hints. */
static size_t
batch_points(const ballot_question *q)
{
	return 2 * (size_t)q->e + ballot_hints_size(q) / 32;
}

/* A chunk: at most BATCH_POINTS points of ballots, then one MSM. */
#define BATCH_POINTS 32768u
#define BATCH_BALLOTS (BATCH_POINTS / 8)	/* ≥ 8 points a ballot */
/* MSM work (in ballots' points) allowed for the halves of a failed chunk,
 * as a multiple of the chunk's own points: 4 finds any two forgeries. */
#define BATCH_BISECT_BUDGET 4u

typedef struct {
	size_t start, end;	/* its points: pts[start, end) */
	size_t slot;		/* its election key */
	uint8_t g[32];		/* its coefficient of G */
	uint8_t yc[32];		/* and of its Y */
} batch_member;

typedef struct {
	rf_point *pts;		/* BATCH_POINTS, then G and the keys */
	uint8_t (*sc)[32];
	size_t n;
	uint8_t (*yenc)[32];	/* the distinct election keys, decoded */
	rf_point *ypt;
	size_t ny;
	batch_member *m;	/* the ballots in the chunk */
	size_t *member;		/* and their indices in the items */
	size_t nmember;
	size_t budget;		/* points the halves may still take */
} batch_chunk;

static void
sc_madd(uint8_t acc[32], const uint8_t a[32], const uint8_t b[32])
{
	uint8_t t[32];

	crypto_core_ristretto255_scalar_mul(t, a, b);
	crypto_core_ristretto255_scalar_add(acc, acc, t);
}

/* Steps 2–3 for one proof over hints h (64·k bytes), then its terms:
 * the hints as points (negated) with fresh weights, and into g, yc, ac,
 * bc the sums of z·s + z'·c·v, z'·s, z·c, z'·c. */
static int
batch_proof(batch_chunk *ch, const uint8_t *ctx, size_t ctx_len,
    const uint8_t y[32], const uint8_t ct[64], const uint64_t *values,
    size_t k, const uint8_t *proof, size_t proof_len, const uint8_t *h,
    uint8_t g[32], uint8_t yc[32], uint8_t ac[32], uint8_t bc[32])
{
	uint8_t zb[32], vs[32], t[32];
	rf_point pt;

	memset(ac, 0, 32);
	memset(bc, 0, 32);
	if (proof_member_check_hints(ctx, ctx_len, y, ct, values, k, proof,
	    proof_len, h) != 0)
		return -1;
	for (size_t j = 0; j < 2 * k; j++) {
		if (rf_decode(&pt, h + 32 * j) != 0)
			return -1;
		rf_neg(&ch->pts[ch->n], &pt);
		memset(ch->sc[ch->n], 0, 32);
		randombytes_buf(ch->sc[ch->n], 16);
		ch->n++;
	}
	for (size_t j = 0; j < k; j++) {
		const uint8_t *cj = proof + 64 * j, *sj = cj + 32;
		const uint8_t *z = ch->sc[ch->n - 2 * k + 2 * j];
		const uint8_t *zp = ch->sc[ch->n - 2 * k + 2 * j + 1];

		sc_madd(g, z, sj);
		sc_madd(yc, zp, sj);
		sc_madd(ac, z, cj);
		crypto_core_ristretto255_scalar_mul(zb, zp, cj);
		crypto_core_ristretto255_scalar_add(bc, bc, zb);
		if (values[j] != 0) {
			group_scalar_from_u64(vs, values[j]);
			crypto_core_ristretto255_scalar_mul(t, vs, zb);
			crypto_core_ristretto255_scalar_add(g, g, t);
		}
	}
	return 0;
}

/* The chunk's slot for election key y (checked by libsodium and decoded
 * on first sight); −1 if y is invalid or the identity. */
static int
batch_key(batch_chunk *ch, const uint8_t y[32], size_t *slot)
{
	for (size_t i = ch->ny; i-- > 0;)
		if (memcmp(ch->yenc[i], y, 32) == 0) {
			*slot = i;
			return 0;
		}
	if (group_point_check_nonidentity(y) != 0 ||
	    rf_decode(&ch->ypt[ch->ny], y) != 0)
		return -1;
	memcpy(ch->yenc[ch->ny], y, 32);
	*slot = ch->ny++;
	return 0;
}

/* Steps 1–3 for one ballot and its terms added to the chunk as member
 * ch->m[ch->nmember] (the chunk has room for batch_points(q) more points,
 * one more key and one more member); −1 (chunk unchanged but for a key
 * slot) when ballot_verify must decide. */
static int
batch_add(batch_chunk *ch, const ballot_batch_item *it)
{
	static const uint64_t zero_one[2] = { 0, 1 };
	const ballot_question *q = it->q;
	uint64_t values[BALLOT_CHOICES_MAX + 1];
	uint8_t ctx[BALLOT_CTX_MAX], sum_ct[64], g[32], yc[32], a0[32], b0[32];
	uint8_t ac[BALLOT_CHOICES_MAX][32], bc[BALLOT_CHOICES_MAX][32];
	size_t at[BALLOT_CHOICES_MAX], ctx_len, slot, start = ch->n;
	size_t k = q->hi - q->lo + 1;
	const uint8_t *hints = it->hints;
	batch_member *mb = &ch->m[ch->nmember];
	rf_point sa, sb;
	ballot_parsed p;

	if (hints == NULL || it->hints_len != ballot_hints_size(q))
		return -1;
	if (ballot_verify_envelope(&p, q, it->eid, it->body, it->len,
	    it->sig, k) != 0 || batch_key(ch, it->y, &slot) != 0)
		return -1;
	memset(g, 0, sizeof g);
	memset(yc, 0, sizeof yc);
	rf_identity(&sa);
	rf_identity(&sb);
	for (uint32_t i = 0; i < p.e; i++) {
		const uint8_t *ct = p.choice[i];
		rf_point *alpha = &ch->pts[ch->n], *beta = alpha + 1;

		if (group_point_is_identity(ct) || rf_decode(alpha, ct) != 0 ||
		    rf_decode(beta, ct + 32) != 0)
			goto fail;
		rf_add(&sa, &sa, alpha);
		rf_add(&sb, &sb, beta);
		at[i] = ch->n;
		ch->n += 2;
		ctx_len = context_build(ctx, p.eid, p.qid, p.qid_len, q,
		    p.voice_pk, i + 1);
		if (batch_proof(ch, ctx, ctx_len, it->y, ct, zero_one, 2,
		    ct + 64, BALLOT_CHOICE_BYTES - 64,
		    hints + PROOF_MEMBER_BYTES(2) * i, g, yc, ac[i], bc[i]) != 0)
			goto fail;
	}
	rf_encode(sum_ct, &sa);
	rf_encode(sum_ct + 32, &sb);
	if (group_point_is_identity(sum_ct))
		goto fail;
	for (size_t j = 0; j < k; j++)
		values[j] = q->lo + j;
	ctx_len = context_build(ctx, p.eid, p.qid, p.qid_len, q, p.voice_pk,
	    0);
	if (batch_proof(ch, ctx, ctx_len, it->y, sum_ct, values, k, p.overall,
	    p.overall_len, hints + PROOF_MEMBER_BYTES(2) * p.e, g, yc, a0,
	    b0) != 0)
		goto fail;
	/* α_i: −(Σ z·c of π_i + Σ z·c of π_0); β_i likewise with z'. */
	for (uint32_t i = 0; i < p.e; i++) {
		crypto_core_ristretto255_scalar_add(ac[i], ac[i], a0);
		crypto_core_ristretto255_scalar_negate(ch->sc[at[i]], ac[i]);
		crypto_core_ristretto255_scalar_add(bc[i], bc[i], b0);
		crypto_core_ristretto255_scalar_negate(ch->sc[at[i] + 1], bc[i]);
	}
	mb->start = start;
	mb->end = ch->n;
	mb->slot = slot;
	memcpy(mb->g, g, 32);
	memcpy(mb->yc, yc, 32);
	return 0;
fail:
	ch->n = start;
	return -1;
}

/* 1 if the batch equation of members [m0, m1) holds: their points (one
 * contiguous run) in one MSM, G and their keys with their summed
 * coefficients in another (placed after the chunk's points). */
static int
batch_holds(batch_chunk *ch, size_t m0, size_t m1)
{
	size_t s = ch->m[m0].start, e = ch->m[m1 - 1].end, x = ch->n;
	rf_point r, rx;

	ch->pts[x] = *rf_base();
	memset(ch->sc[x], 0, 32);
	for (size_t i = 0; i < ch->ny; i++) {
		ch->pts[x + 1 + i] = ch->ypt[i];
		memset(ch->sc[x + 1 + i], 0, 32);
	}
	for (size_t m = m0; m < m1; m++) {
		crypto_core_ristretto255_scalar_add(ch->sc[x], ch->sc[x],
		    ch->m[m].g);
		crypto_core_ristretto255_scalar_add(ch->sc[x + 1 +
		    ch->m[m].slot], ch->sc[x + 1 + ch->m[m].slot],
		    ch->m[m].yc);
	}
	if (rf_msm(&r, (const uint8_t (*)[32])ch->sc + s, ch->pts + s,
	    e - s) != 0 || rf_msm(&rx, (const uint8_t (*)[32])ch->sc + x,
	    ch->pts + x, 1 + ch->ny) != 0)
		return 0;
	rf_add(&r, &r, &rx);
	return rf_is_identity(&r);
}

/* ballot_verify of one item alone, and on success its sums (NULL: none)
 * += C_i (ballot_verify_acc). */
static int
batch_alone(const ballot_batch_item *it, tally_acc *sums)
{
	if (sums != NULL)
		return ballot_verify_acc(NULL, it->q, it->eid, it->y, it->body,
		    it->len, it->sig, sums);
	return ballot_verify(NULL, it->q, it->eid, it->y, it->body, it->len,
	    it->sig);
}

/* Member m accepted by a batch equation: its sums (if any) += C_i, from
 * the chunk's decoded α_i, β_i (each followed by π_i's 4 hint points). */
static void
batch_accept_sums(const batch_chunk *ch, size_t m, const ballot_question *q,
    tally_acc *sums)
{
	const rf_point *ct = &ch->pts[ch->m[m].start];

	for (uint32_t i = 0; sums != NULL && i < q->e; i++, ct += 6)
		tally_acc_add_points(&sums[i], &ct[0], &ct[1]);
}

/* The verdicts of members [m0, m1): all accepted where their equation
 * holds (unless known_bad: it is known not to), else each half in turn;
 * a single ballot, or a range the budget cannot check further, is decided
 * by ballot_verify. Returns 1 if the range was accepted at once. */
static int
batch_settle(batch_chunk *ch, size_t m0, size_t m1, int known_bad,
    const ballot_batch_item *items, int *rc, uint8_t *via_batch,
    tally_acc *const *sums)
{
	size_t pts = ch->m[m1 - 1].end - ch->m[m0].start;

	if (!known_bad && pts <= ch->budget) {
		ch->budget -= pts;
		if (batch_holds(ch, m0, m1)) {
			for (size_t m = m0; m < m1; m++) {
				rc[ch->member[m]] = 0;
				if (via_batch != NULL)
					via_batch[ch->member[m]] = 1;
				if (sums != NULL)
					batch_accept_sums(ch, m,
					    items[ch->member[m]].q,
					    sums[ch->member[m]]);
			}
			return 1;
		}
		known_bad = 1;
	}
	if (!known_bad || m1 - m0 == 1 || pts > ch->budget) {
		for (size_t m = m0; m < m1; m++)
			rc[ch->member[m]] = batch_alone(&items[ch->member[m]],
			    sums != NULL ? sums[ch->member[m]] : NULL);
		return 0;
	}
	size_t mid = m0 + (m1 - m0) / 2;
	/* The range fails: if its left half holds, its right half cannot. */
	int left = batch_settle(ch, m0, mid, 0, items, rc, via_batch, sums);

	(void)batch_settle(ch, mid, m1, left, items, rc, via_batch, sums);
	return 0;
}

/* The chunk's verdicts (batch_settle), then the chunk is emptied. */
static void
batch_flush(batch_chunk *ch, const ballot_batch_item *items, int *rc,
    uint8_t *via_batch, tally_acc *const *sums)
{
	if (ch->nmember > 0) {
		ch->budget = (1 + BATCH_BISECT_BUDGET) * ch->n;
		(void)batch_settle(ch, 0, ch->nmember, 0, items, rc,
		    via_batch, sums);
	}
	sodium_memzero(ch->sc, (ch->n + 1 + ch->ny) * sizeof *ch->sc);
	ch->n = 0;
	ch->ny = 0;
	ch->nmember = 0;
}

int
ballot_verify_batch(const ballot_batch_item *items, size_t n, int *rc,
    uint8_t *via_batch)
{
	return ballot_verify_batch_acc(items, n, rc, via_batch, NULL);
}

int
ballot_verify_batch_acc(const ballot_batch_item *items, size_t n, int *rc,
    uint8_t *via_batch, tally_acc *const *sums)
{
	batch_chunk ch;
	size_t need = 0;
	int err = 0;

	if (n == 0)
		return 0;
	if (items == NULL || rc == NULL)
		return SCRUTIN_ERR_ARGUMENT;
	if (via_batch != NULL)
		memset(via_batch, 0, n);
	memset(&ch, 0, sizeof ch);
	for (size_t i = 0; i < n; i++)
		if (items[i].hints != NULL)
			need += batch_points(items[i].q);
	if (need > BATCH_POINTS)
		need = BATCH_POINTS;
	if (rf_enabled() && need > 0) {
		size_t pcap = need + BATCH_BALLOTS + 1;

		ch.pts = malloc(pcap * sizeof *ch.pts);
		ch.sc = malloc(pcap * sizeof *ch.sc);
		ch.yenc = malloc(BATCH_BALLOTS * sizeof *ch.yenc);
		ch.ypt = malloc(BATCH_BALLOTS * sizeof *ch.ypt);
		ch.m = malloc(BATCH_BALLOTS * sizeof *ch.m);
		ch.member = malloc(BATCH_BALLOTS * sizeof *ch.member);
		err = ch.pts == NULL || ch.sc == NULL || ch.yenc == NULL ||
		    ch.ypt == NULL || ch.m == NULL || ch.member == NULL;
	}
	for (size_t i = 0; i < n; i++) {
		const ballot_batch_item *it = &items[i];
		size_t pts = it->q != NULL ? batch_points(it->q) : 0;

		/* Without hints, with the fast path off, out of memory, or
		 * a question whose ballots would not fit a chunk: alone. */
		if (it->hints == NULL || !rf_enabled() || need == 0 || err ||
		    pts > need) {
			rc[i] = batch_alone(it, sums != NULL ? sums[i] : NULL);
			continue;
		}
		if (ch.n + pts > need || ch.ny == BATCH_BALLOTS ||
		    ch.nmember == BATCH_BALLOTS)
			batch_flush(&ch, items, rc, via_batch, sums);
		if (batch_add(&ch, it) == 0)
			ch.member[ch.nmember++] = i;
		else
			rc[i] = batch_alone(it, sums != NULL ? sums[i] : NULL);
	}
	if (!err && ch.pts != NULL)
		batch_flush(&ch, items, rc, via_batch, sums);
	free(ch.pts);
	free(ch.sc);
	free(ch.yenc);
	free(ch.ypt);
	free(ch.m);
	free(ch.member);
	return 0;
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

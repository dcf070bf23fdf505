/*
 * opening.c — an encrypted ballot opened by its member (Benaloh's
 * cast-or-audit, docs/protocol.md §5.8): its fingerprint, its proofs, and
 * its opening (the randomness r_i of each ciphertext) checked against the
 * election key, giving back the selection the ciphertexts really encrypt.
 * Shared by the verifier's `ballot.audited` events (verify_audited.c) and
 * `scrutin-verify --audit FILE` (verify_main.c); needs no verifier state.
 *
 * Trusts crypto/ (group, proofs, the body's parser); the body and the
 * randomness are untrusted. Invariants: a selection is given back only
 * when every ciphertext is exactly Enc_Y(b_i; r_i) with b_i 0 or 1 and
 * r_i a canonical non-zero scalar, every proof of the body verifies, and
 * the selection has between min and max choices.
 */
#include <string.h>

#include "audit/verify.h"
#include "crypto/scrutin_crypto.h"

void
audit_ballot_fingerprint(uint8_t fp[32], const uint8_t *body, size_t len)
{
	const uint8_t *f[1] = { body };
	size_t l[1] = { len };

	transcript_hash(fp, TRANSCRIPT_H256, "ballot-fingerprint", f, l, 1);
}

int
audit_ballot_proofs(const ballot_question *bq, const uint8_t eid[32],
    const uint8_t y[32], const ballot_parsed *p)
{
	uint8_t ctx[BALLOT_CTX_MAX], sum[64], tmp[64];
	uint64_t vals[PROOF_MEMBER_MAX_VALUES];
	size_t clen;

	vals[0] = 0;
	vals[1] = 1;
	tally_total_init(sum);
	for (uint32_t i = 1; i <= p->e; i++) {
		clen = ballot_context(ctx, bq, eid, p->voice_pk, i);
		if (proof_member_verify(ctx, clen, y, p->choice[i - 1], vals,
		    2, p->choice[i - 1] + 64, 128) != 0)
			return (int)i;
		memcpy(tmp, p->choice[i - 1], 64);
		if (elgamal_add(sum, sum, tmp) != 0)
			return (int)i;
	}
	for (uint32_t k = bq->lo; k <= bq->hi; k++)
		vals[k - bq->lo] = k;
	clen = ballot_context(ctx, bq, eid, p->voice_pk, 0);
	if (proof_member_verify(ctx, clen, y, sum, vals, bq->hi - bq->lo + 1,
	    p->overall, p->overall_len) != 0)
		return -1;
	return 0;
}

#define WHY(fr, en)                                                         \
	do {                                                               \
		*why_fr = (fr);                                            \
		*why_en = (en);                                            \
		return -1;                                                 \
	} while (0)

/* b_i from C_i = (α, β) and r_i: 0 or 1, else -1. */
static int
opened_bit(const uint8_t ct[64], const uint8_t r[32], const uint8_t y[32],
    const uint8_t g[32])
{
	uint8_t a[32], ry[32], m[32];

	if (group_scalar_check_nonzero(r) != 0)
		return -1;
	group_mul_base(a, r);
	if (memcmp(a, ct, 32) != 0 || group_mul(ry, r, y) != 0 ||
	    group_sub(m, ct + 32, ry) != 0)
		return -1;
	if (group_point_is_identity(m))
		return 0;
	return memcmp(m, g, 32) == 0 ? 1 : -1;
}

int
audit_opening_check(const char *qid, uint32_t n, uint32_t min, uint32_t max,
    const uint8_t *qdigest, const uint8_t eid[32], const uint8_t y[32],
    const uint8_t *body,
    size_t len, const uint8_t (*r)[32], size_t nr, uint8_t *sel,
    const char **why_fr, const char **why_en)
{
	ballot_question bq;
	ballot_parsed p;
	uint8_t one[32], g[32], ct[64];
	uint32_t picked = 0;
	int b;

	if (ballot_question_init(&bq, qid, strlen(qid), n, min, max) != 0)
		WHY("question invalide", "invalid question");
	if (qdigest != NULL)	/* scrutin/2: the proofs commit to it */
		ballot_question_set_digest(&bq, qdigest);
	if (ballot_body_parse(&p, body, len) != 0)
		WHY("corps mal formé", "body malformed");
	if (memcmp(p.eid, eid, 32) != 0 || p.qid_len != bq.qid_len ||
	    memcmp(p.qid, qid, p.qid_len) != 0 || p.e != bq.e ||
	    p.overall_len != 64u * (bq.hi - bq.lo + 1))
		WHY("ne correspond pas à la question (élection, question ou nombre de choix)",
		    "does not match the question (election, question or choice count)");
	if (nr != bq.e)
		WHY("nombre d'aléas différent du nombre de chiffrés",
		    "number of randomness values differs from the ciphertexts'");
	b = audit_ballot_proofs(&bq, eid, y, &p);
	if (b != 0)
		WHY("preuve du bulletin invalide", "ballot proof invalid");
	group_scalar_from_u64(one, 1);
	group_mul_base(g, one);
	for (uint32_t i = 0; i < bq.e; i++) {
		ballot_parsed_ciphertext(ct, &p, i + 1);
		if ((b = opened_bit(ct, r[i], y, g)) < 0)
			WHY("l'aléa ne donne pas ce chiffré",
			    "the randomness does not give this ciphertext");
		sel[i] = (uint8_t)b;
		picked += (uint32_t)b;
	}
	if (bq.e < n) {		/* the implicit last choice (min = max) */
		sel[n - 1] = picked + 1 == max;
		picked += sel[n - 1];
	}
	if (picked < min || picked > max)
		WHY("sélection hors des bornes de la question",
		    "selection outside the question's bounds");
	return 0;
}

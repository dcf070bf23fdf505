/*
 * verify_audited.c — `ballot.audited` events (docs/record.md §4, §6):
 * a ballot its member built, saw the fingerprint of, and chose to check
 * rather than cast (Benaloh's cast-or-audit, docs/protocol.md §5.8). It is
 * published spoiled: its body, the randomness of every ciphertext, the
 * selection they encrypt, and its signer's signature over the opening.
 * Here: the opening (opening.c), the signer's signature, and that no
 * opened ciphertext ever counts — neither the voice's ballot already
 * counted on the question nor any later ballot may share one of its α.
 *
 * Trusts opening.c and crypto/; the payload is untrusted. Invariants: an
 * audited ballot never enters a question's sums or counts; every α of an
 * audited ballot is in v->audited (α → seq), and a ballot (room or
 * mail-in) holding one of them is refused; the fingerprints of a
 * question's audited ballots go to its summary.
 */
#include <stdlib.h>
#include <string.h>

#include "audit/verify_int.h"
#include "common/xmalloc.h"
#include "crypto/hex.h"

/* r: exactly e strings of 64 hex digits. OUT r[e]. */
static int
audited_randomness(V *v, const json_t *a, uint32_t e, uint8_t (*r)[32])
{
	size_t i;
	const json_t *x;

	if (!json_is_array(a) || json_array_size(a) != e)
		return bad_field(v, "r");
	json_array_foreach(a, i, x) {
		if (audit_json_hexval(x, r[i], 32) != 0)
			return bad_field(v, "r");
	}
	return 0;
}

/* selection: exactly n integers, each 0 or 1. OUT sel[n]. */
static int
audited_selection(V *v, const json_t *a, size_t n, uint8_t *sel)
{
	size_t i;
	const json_t *x;

	if (!json_is_array(a) || json_array_size(a) != n)
		return bad_field(v, "selection");
	json_array_foreach(a, i, x) {
		if (!json_is_integer(x) || json_integer_value(x) < 0 ||
		    json_integer_value(x) > 1)
			return bad_field(v, "selection");
		sel[i] = (uint8_t)json_integer_value(x);
	}
	return 0;
}

/* S_audit = T("ballot-audit", fp, r_1, …, r_e) by K_signer, deferred. */
static void
audited_sig(V *v, const uint8_t signer[32], const uint8_t sig[64],
    const uint8_t fp[32], const uint8_t (*r)[32], uint32_t e)
{
	audit_stmt st;

	audit_stmt_begin(&st, "ballot-audit");
	audit_stmt_field(&st, fp, 32);
	for (uint32_t i = 0; i < e; i++)
		audit_stmt_field(&st, r[i], 32);
	verify_sig_defer(v, signer, sig, st.buf, audit_stmt_len(&st),
	    "signature invalide", "signature invalid");
}

/* No α of the opened ciphertexts in the voice member vm's counted
 * ballot on q, nor in an earlier audited ballot; then each α is kept. */
static int
audited_alphas(V *v, struct question *q, const ballot_parsed *bp,
    uint32_t vm)
{
	uint8_t ct[64];
	uint32_t prev;

	for (uint32_t i = 1; i <= bp->e; i++) {
		ballot_parsed_ciphertext(ct, bp, i);
		if (q->slot_of[vm] != 0) {
			const uint8_t *c = q->slot_ct + ((size_t)(q->slot_of[vm]
			    - 1) * q->bq.e + i - 1) * 64;
			if (memcmp(c, ct, 32) == 0) {
				FAIL(v, "bulletin ouvert alors qu'il est déposé et compté (événement %llu) : son vote serait public",
				    "ballot opened although it is cast and counted (seq %llu): its vote would be public",
				    (unsigned long long)q->slot_seq[
				    q->slot_of[vm] - 1]);
				return -1;
			}
		}
		if (audit_htab_get(&v->audited, ct, &prev)) {
			FAIL(v, "chiffré déjà ouvert (bulletin vérifié à l'événement %u)",
			    "ciphertext already opened (audited ballot at seq %u)",
			    prev);
			return -1;
		}
	}
	for (uint32_t i = 1; i <= bp->e; i++) {
		ballot_parsed_ciphertext(ct, bp, i);
		audit_htab_put(&v->audited, ct, (uint32_t)v->seq);
	}
	return 0;
}

/* The checks after the payload is read: the opening, the selection it
 * gives, the credentials, the α, the signature; then the summary's. */
static int
audited_check(V *v, struct question *q, const uint8_t *body, size_t len,
    const uint8_t (*r)[32], const uint8_t *sel, const uint8_t sig[64])
{
	uint8_t got[BALLOT_CHOICES_MAX], fp[32];
	const char *fr, *en;
	ballot_parsed bp;
	int64_t vi, si;

	if (audit_opening_check(q->qid, (uint32_t)q->n, q->bq.min, q->bq.max,
	    q->bq.has_digest ? q->bq.digest : NULL,
	    v->eid, v->y, body, len, r, q->bq.e, got, &fr, &en) != 0) {
		FAIL(v, "ouverture invalide : %s", "invalid opening: %s",
		    v->o->lang == AUDIT_FR ? fr : en);
		return -1;
	}
	if (memcmp(got, sel, q->n) != 0) {
		FAIL(v, "la sélection publiée n'est pas celle que chiffre le bulletin",
		    "the published selection is not the one the ballot encrypts");
		return -1;
	}
	if (ballot_body_parse(&bp, body, len) != 0 ||
	    (vi = verify_cred_active(v, bp.voice_pk, "voix", "voice")) < 0 ||
	    (si = verify_cred_active(v, bp.signer_pk, "signataire",
	        "signer")) < 0 ||
	    audited_alphas(v, q, &bp, v->cv[vi].member) != 0)
		return -1;
	audit_ballot_fingerprint(fp, body, len);
	audited_sig(v, bp.signer_pk, sig, fp, r, q->bq.e);
	q->aud_fp = xreallocarray(q->aud_fp, q->naud + 1, sizeof *q->aud_fp);
	q->aud_seq = xreallocarray(q->aud_seq, q->naud + 1,
	    sizeof *q->aud_seq);
	memcpy(q->aud_fp[q->naud], fp, 32);
	q->aud_seq[q->naud++] = v->seq;
	return 0;
}

int
verify_ev_ballot_audited(V *v, const json_t *p)
{
	const json_t *b = json_object_get(p, "body");
	uint8_t r[BALLOT_CHOICES_MAX][32], sel[BALLOT_CHOICES_MAX], sig[64];
	uint8_t *body = NULL;
	struct question *q;
	size_t n;
	int rc = -1;

	if (KEYS(v, p, "qid", "body", "r", "selection", "sig") ||
	    (q = verify_question_get(v, p, 0)) == NULL)
		return -1;
	if (!q->secret || q->published) {
		FAIL(v, "bulletin vérifié sur une question sans chiffrement (à main levée)",
		    "audited ballot on a question without encryption (show of hands)");
		return -1;
	}
	if (!json_is_string(b) || (n = json_string_length(b)) % 2 != 0 ||
	    n / 2 > BALLOT_BODY_MAX)
		return bad_field(v, "body");
	body = xmalloc(n / 2 + 1);
	if (hex_decode(body, n / 2, json_string_value(b), n) != 0) {
		bad_field(v, "body");
		goto out;
	}
	if (audited_randomness(v, json_object_get(p, "r"), q->bq.e, r) != 0 ||
	    audited_selection(v, json_object_get(p, "selection"), q->n,
	        sel) != 0 || hexf(v, p, "sig", sig, 64) != 0)
		goto out;
	rc = audited_check(v, q, body, n / 2, (const uint8_t (*)[32])r, sel,
	    sig);
out:
	free(body);
	return rc;
}

/* A ballot (room or mail-in) of q whose body is parsed: none of its α
 * may be one an audited ballot opened. */
int
verify_audited_cast(V *v, const ballot_parsed *bp)
{
	uint8_t ct[64];
	uint32_t prev;

	if (v->audited.count == 0)
		return 0;
	for (uint32_t i = 1; i <= bp->e; i++) {
		ballot_parsed_ciphertext(ct, bp, i);
		if (audit_htab_get(&v->audited, ct, &prev)) {
			FAIL(v, "bulletin dont le chiffrement a été ouvert (bulletin vérifié à l'événement %u) : un bulletin vérifié n'est jamais compté",
			    "ballot whose encryption was opened (audited ballot at seq %u): an audited ballot never counts",
			    prev);
			return -1;
		}
	}
	return 0;
}

/*
 * verify_tally.c — a question's close and its decryption shares. At the
 * close: the number of counted ballots and, for a secret question, each
 * choice's homomorphic sum, the workers' partial sums merged and the
 * superseded ballots taken off, compared with the recorded totals; for an
 * open one, the recount of the signed selections. Then each trustee's
 * decryption shares of those totals, with their proofs.
 *
 * Trusts crypto/ (tally_*). Invariants: the close waits for every job
 * handed over before it (verify_barrier), so the sums are complete; a
 * trustee's shares come once per question, only for a secret question
 * with ballots, and each share's proof is checked against the trustee's
 * key share Y_j.
 */
#include <stdlib.h>
#include <string.h>

#include "audit/verify_int.h"
#include "common/xmalloc.h"

int
verify_ev_question_closed(V *v, const json_t *p)
{
	const json_t *arr = json_object_get(p, "totals");
	struct question *q;
	uint64_t counted;
	uint8_t rec[64];

	if (KEYS(v, p, "qid", "counted", "?totals") ||
	    (q = verify_question_get(v, p, 0)) == NULL ||
	    u64f(v, p, "counted", UINT32_MAX, &counted))
		return -1;
	/* An open question has no ciphertexts: no totals. */
	if (q->secret ? !json_is_array(arr) || json_array_size(arr) != q->bq.e :
	    arr != NULL)
		return bad_field(v, "totals");
	verify_barrier(v);
	if (verify_failed_before(v, v->seq))
		return -1;
	if (counted != q->nslots) {
		FAIL(v, "question %s : %llu bulletins comptés enregistrés, %llu recalculés",
		    "question %s: %llu counted ballots recorded, %llu recomputed",
		    q->qid, (unsigned long long)counted,
		    (unsigned long long)q->nslots);
		return -1;
	}
	q->counted = counted;
	if (!q->secret) {
		/* The recount: Σ of the counted ballots' selections. */
		q->recount = xcalloc(q->n, sizeof *q->recount);
		for (size_t k = 0; k < q->nslots; k++)
			for (size_t i = 0; i < q->n; i++)
				q->recount[i] += q->slot_sel[k * q->n + i];
	}
	for (uint32_t i = 0; q->secret && i < q->bq.e; i++) {
		uint8_t *t = q->totals[i];
		tally_acc sum = q->neg[i];
		for (unsigned w = 0; w < v->nthreads; w++)
			tally_acc_merge(&sum, &q->acc[(size_t)w * q->bq.e + i]);
		tally_acc_final(t, &sum);
		if (audit_json_hexval(json_array_get(arr, i), rec, 64) != 0)
			return bad_field(v, "totals");
		if (memcmp(rec, t, 64) != 0) {
			FAIL(v, "question %s : la somme du choix %u ne correspond pas aux bulletins",
			    "question %s: sum of choice %u does not match the ballots",
			    q->qid, i + 1);
			return -1;
		}
	}
	q->state = 1;
	free(q->slot_of);		/* no more ballots */
	q->slot_of = NULL;
	return 0;
}

int
verify_ev_decryption(V *v, const json_t *p)
{
	const json_t *arr = json_object_get(p, "shares");
	struct question *q;
	uint32_t j;
	audit_stmt st;
	tally_share *sh;

	if (KEYS(v, p, "qid", "trustee", "shares", "sig") ||
	    (q = verify_question_get(v, p, 1)) == NULL ||
	    verify_trustee_index(v, p, &j))
		return -1;
	if (order(v, q->secret && q->counted > 0 &&
	    !(q->share_mask & (1u << (j - 1))), "part répétée, ou pour une question sans bulletin ou à main levée",
	    "share repeated, or for a question without ballots or an open one"))
		return -1;
	if (!json_is_array(arr) || json_array_size(arr) != q->bq.e)
		return bad_field(v, "shares");
	sh = &q->shares[(size_t)(j - 1) * q->bq.e];
	audit_stmt_begin(&st, "trustee-decryption");
	audit_stmt_field(&st, v->eid, 32);
	audit_stmt_field(&st, q->qid, q->qid_len);
	audit_stmt_u64(&st, j);
	{
		uint8_t cat[BALLOT_CHOICES_MAX * 96];
		for (uint32_t i = 0; i < q->bq.e; i++) {
			const json_t *e = json_array_get(arr, i);
			if (KEYS(v, e, "d", "proof") ||
			    hexf(v, e, "d", sh[i].d, 32) ||
			    hexf(v, e, "proof", sh[i].proof, 64))
				return -1;
			sh[i].trustee = j;
			memcpy(cat + 96 * i, sh[i].d, 32);
			memcpy(cat + 96 * i + 32, sh[i].proof, 64);
		}
		audit_stmt_field(&st, cat, (size_t)q->bq.e * 96);
	}
	if (verify_trustee_sig(v, p, j, &st))
		return -1;
	for (uint32_t i = 0; i < q->bq.e; i++) {
		if (tally_share_verify(v->yj[j - 1], v->eid, q->qid, q->qid_len,
		    i + 1, j, q->totals[i], sh[i].d, sh[i].proof) != 0) {
			FAIL(v, "question %s : part de déchiffrement du scrutateur %u pour le choix %u invalide",
			    "question %s: decryption share of trustee %u for choice %u invalid",
			    q->qid, j, i + 1);
			return -1;
		}
	}
	q->share_mask |= 1u << (j - 1);
	return 0;
}

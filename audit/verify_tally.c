/*
 * verify_tally.c — a question's close, its decryption shares and its
 * counts. At the close: the number of counted ballots and, for a secret
 * question, each choice's homomorphic sum, the workers' partial sums
 * merged and the superseded ballots taken off, compared with the recorded
 * totals; for an open one, the recount of the signed selections (and,
 * for a motion, the president's own selection, his casting vote). Then
 * each trustee's decryption shares of those totals, with their proofs;
 * and at the result, the counts decrypted from the shares (or recounted)
 * compared with the recorded ones.
 *
 * Trusts crypto/ (tally_*). Invariants: the close waits for every job
 * handed over before it (verify_barrier), so the sums are complete; a
 * trustee's shares come once per question, only for a secret question
 * with ballots, and each share's proof is checked against the trustee's
 * key share Y_j; the counts need the shares of at least t trustees.
 */
#include <stdlib.h>
#include <string.h>

#include "audit/verify_int.h"
#include "common/xmalloc.h"

/* An open motion at its close: the selection of the president's counted
 * ballot (enum audit_pvote: pour, contre, abstention; none when he cast
 * none), for his casting vote. */
static void
tally_president_vote(const V *v, struct question *q)
{
	uint32_t slot;

	q->president_vote = AUDIT_PV_NONE;
	if (q->election || q->n != 3 || !v->has_president ||
	    v->president >= q->nsnap ||
	    (slot = q->slot_of[v->president]) == 0)
		return;
	for (int i = 2; i >= 0; i--)
		if (q->slot_sel[(size_t)(slot - 1) * q->n + (size_t)i] != 0)
			q->president_vote = (uint8_t)(AUDIT_PV_POUR + i);
}

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
		tally_president_vote(v, q);
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

/* A secret question's counts, decrypted from the totals with the shares
 * of every trustee who gave them (at least t); the last choice's implied
 * when it has no ciphertext. OUT m[q->n]. */
static int
counts_decrypt(V *v, const struct question *q, uint64_t *m)
{
	tally_share sh[TRUSTEES_MAX];
	dlog_table *table = NULL;
	size_t ns;
	int rc = -1;

	if ((uint32_t)__builtin_popcount(q->share_mask) < v->tt) {
		FAIL(v, "question %s : trop peu de parts de déchiffrement",
		    "question %s: too few decryption shares", q->qid);
		return -1;
	}
	if (dlog_table_new(&table, q->counted) != 0)
		return bad_field(v, "counted");
	for (uint32_t i = 0; i < q->bq.e; i++) {
		uint32_t bad = 0;
		ns = 0;
		for (uint32_t j = 1; j <= v->tn; j++)
			if (q->share_mask & (1u << (j - 1)))
				sh[ns++] = q->shares[(size_t)(j - 1) *
				    q->bq.e + i];
		if (tally_decrypt(&m[i], &bad, q->totals[i],
		    (const uint8_t (*)[32])v->yj, v->tn, v->tt, v->eid,
		    q->qid, q->qid_len, i + 1, sh, ns, table) != 0) {
			FAIL(v, "question %s : le déchiffrement du choix %u échoue",
			    "question %s: decryption of choice %u fails",
			    q->qid, i + 1);
			goto out;
		}
	}
	if (q->bq.e < q->n &&
	    tally_implicit_count(&m[q->n - 1], q->bq.max, q->counted, m,
	    q->bq.e) != 0) {
		FAIL(v, "question %s : décomptes incohérents",
		    "question %s: inconsistent counts", q->qid);
		goto out;
	}
	rc = 0;
out:
	dlog_table_free(table);
	return rc;
}

/* A result's counts: the recount of an open question, the decryption of
 * a secret one with ballots (zeros without), compared with the recorded
 * ones (arr, an array of q->n) and kept in q->counts. */
int
verify_tally_counts(V *v, struct question *q, const json_t *arr)
{
	uint64_t m[BALLOT_CHOICES_MAX];

	memset(m, 0, sizeof m);
	if (!q->secret)
		memcpy(m, q->recount, q->n * sizeof *m);
	else if (q->counted > 0 && counts_decrypt(v, q, m) != 0)
		return -1;
	for (size_t i = 0; i < q->n; i++) {
		uint64_t rec;
		const json_t *c = json_array_get(arr, i);
		if (!json_is_integer(c) || json_integer_value(c) < 0)
			return bad_field(v, "counts");
		rec = (uint64_t)json_integer_value(c);
		if (rec != m[i]) {
			FAIL(v, "question %s : le décompte du choix %zu est %llu, recalculé %llu",
			    "question %s: count of choice %zu is %llu, recomputed %llu",
			    q->qid, i + 1, (unsigned long long)rec,
			    (unsigned long long)m[i]);
			return -1;
		}
		q->counts[i] = m[i];
	}
	return 0;
}

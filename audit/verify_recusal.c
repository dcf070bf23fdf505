/*
 * verify_recusal.c — the members recused on a question (ANIMT XI,
 * Espace+ art. 7; docs/record.md §4): question.opened's optional
 * "recused", the credentials of the members the moderator recused, read
 * at the opening (verify_recused_parse), given to the statutes engine
 * with the question (verify_outcome.c: the base and the threshold
 * follow), and applied to the ballots (verify_recused_ballot): a recused
 * member's voice casts no ballot, and a recused member casts none as a
 * proxy holder where the body says he cannot hold one.
 *
 * Trusts the statutes (audit_statutes_recusal: which decisions admit a
 * recusal, whether a recused member may hold a proxy); the event is
 * untrusted: each entry a credential of the record, one per member.
 *
 * Invariants: q->recused lists distinct member indices, set once, at the
 * question's opening.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/verify_int.h"
#include "common/xmalloc.h"
#include "crypto/hex.h"

int
verify_recused_parse(V *v, struct question *q, const json_t *a)
{
	const json_t *e;
	size_t i;

	if (a == NULL)
		return 0;
	if (!json_is_array(a) || json_array_size(a) == 0 ||
	    json_array_size(a) > QUESTION_RECUSED_MAX)
		return bad_field(v, "recused");
	if (v->statutes != NULL && !audit_statutes_recusal(v->statutes,
	    q->election, q->rule, NULL)) {
		FAIL(v, "récusation sur la question %s, que les statuts ne"
		    " prévoient pas pour sa règle (%s)", "recusal on question"
		    " %s, which the statutes do not provide for its rule (%s)",
		    q->qid, q->rule);
		return -1;
	}
	q->recused = xcalloc(json_array_size(a), sizeof *q->recused);
	json_array_foreach(a, i, e) {
		const char *h = json_string_value(e);
		uint8_t pk[32];
		uint32_t ci;
		if (h == NULL || strlen(h) != 64 ||
		    hex_decode(pk, sizeof pk, h, 64) != SCRUTIN_OK ||
		    !audit_htab_get(&v->creds, pk, &ci))
			return bad_field(v, "recused");
		for (size_t k = 0; k < q->nrecused; k++)
			if (q->recused[k] == v->cv[ci].member)
				return bad_field(v, "recused");
		q->recused[q->nrecused++] = v->cv[ci].member;
	}
	return 0;
}

static bool
recused(const struct question *q, uint32_t member)
{
	for (size_t k = 0; k < q->nrecused; k++)
		if (q->recused[k] == member)
			return true;
	return false;
}

int
verify_recused_ballot(V *v, const struct question *q, uint32_t vm,
    uint32_t sm)
{
	bool cannot_hold = true;

	if (q->nrecused == 0)
		return 0;
	if (recused(q, vm)) {
		FAIL(v, "bulletin d'un membre récusé sur la question %s",
		    "ballot of a member recused on question %s", q->qid);
		return -1;
	}
	if (v->statutes != NULL)
		(void)audit_statutes_recusal(v->statutes, q->election,
		    q->rule, &cannot_hold);
	if (sm != vm && recused(q, sm) && cannot_hold) {
		FAIL(v, "bulletin sous procuration d'un mandataire récusé sur"
		    " la question %s", "ballot under a proxy held by a member"
		    " recused on question %s", q->qid);
		return -1;
	}
	return 0;
}

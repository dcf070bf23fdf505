/*
 * verify_amendment.c — amendments in question.opened (docs/record.md):
 * an amendment ("amends": its motion's qid, "amendment": its text,
 * "supporters") and a motion opened as amended ("amended_by"), checked
 * against the body's statutes as the engine reads them
 * (audit_statutes_amendment: the mode and the number of supporters).
 *
 * Trusts the questions already read (verify_question.c) and the
 * statutes engine.
 *
 * Invariants: an amendment is never on the agenda and the statutes of the
 * body admit it with its supporters; where amendments are voted before
 * their motion (before_motion), an amendment opens before its motion and
 * has its result before the motion opens, and the motion's "amended_by"
 * lists exactly its adopted amendments (the motion is then not on the
 * agenda); where the amended text is an alternative (ANIMT IV), the
 * amendment and its motion are in one group of alternatives and
 * "amended_by" is never written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/verify_int.h"
#include "common/xmalloc.h"

#define AMEND_TEXT_MAX 2000

/* The amendment fields of q's question.opened: "amends", "amendment",
 * "supporters". */
static int
amendment_opened(V *v, struct question *q, const json_t *p, int *mode)
{
	const char *of, *text;
	uint64_t sup = 0;
	bool has_sup = json_object_get(p, "supporters") != NULL;
	char fr[700], en[700];
	struct question *t;

	if (strf(v, p, "amends", AUDIT_QID_MAX, &of) || of[0] == '\0' ||
	    strcmp(of, q->qid) == 0)
		return bad_field(v, "amends");
	if (strf(v, p, "amendment", AMEND_TEXT_MAX, &text) || text[0] == '\0')
		return bad_field(v, "amendment");
	if (has_sup && u64f(v, p, "supporters", 100000, &sup))
		return -1;
	if (json_object_get(p, "amended_by") != NULL)
		return bad_field(v, "amended_by");
	if (q->on_agenda) {
		FAIL(v, "l'amendement %s est inscrit à l'ordre du jour",
		    "amendment %s is on the agenda", q->qid);
		return -1;
	}
	if (audit_statutes_amendment(v->statutes, has_sup, (uint32_t)sup,
	    mode, fr, en, sizeof fr) != 0) {
		char a[1000], b[1000];
		snprintf(a, sizeof a, "amendement %s : le moteur des statuts"
		    " refuse : %s", q->qid, fr);
		snprintf(b, sizeof b, "amendment %s: the statutes engine"
		    " refuses: %s", q->qid, en);
		fail_here(v, a, b);
		return -1;
	}
	q->amends = xstrdup(of);
	q->amendment = xstrdup(text);
	t = verify_question_find(v, of);
	if (*mode == AUDIT_AMEND_BEFORE_MOTION) {
		if (q->alt_group != NULL)
			return bad_field(v, "alternatives");
		if (t != NULL) {
			FAIL(v, "amendement %s ouvert après sa motion %s",
			    "amendment %s opened after its motion %s", q->qid,
			    of);
			return -1;
		}
	} else if (q->alt_group == NULL || (t != NULL &&
	    (t->alt_group == NULL || strcmp(t->alt_group, q->alt_group) != 0))) {
		FAIL(v, "amendement %s : la motion amendée n'est pas une motion"
		    " alternative de %s", "amendment %s: the amended motion is"
		    " not an alternative motion of %s", q->qid, of);
		return -1;
	}
	return 0;
}

/* "amended_by" of motion q: exactly its adopted amendments. */
static int
amended_by_check(V *v, struct question *q, const json_t *a, size_t *n)
{
	size_t i;
	json_t *e;

	*n = 0;
	if (!json_is_array(a) || json_array_size(a) == 0 ||
	    json_array_size(a) > 64)
		return bad_field(v, "amended_by");
	json_array_foreach(a, i, e) {
		const char *x = json_string_value(e);
		struct question *t = x != NULL ? verify_question_find(v, x) :
		    NULL;
		for (size_t k = 0; k < i && x != NULL; k++)
			if (strcmp(json_string_value(json_array_get(a, k)),
			    x) == 0)
				return bad_field(v, "amended_by");
		if (t == NULL || t->amends == NULL ||
		    strcmp(t->amends, q->qid) != 0) {
			FAIL(v, "motion %s : %s n'est pas un amendement de cette"
			    " motion", "motion %s: %s is not an amendment of"
			    " this motion", q->qid, x != NULL ? x : "?");
			return -1;
		}
		if (t->state != 2 || !audit_amendment_carried(t->outcome)) {
			FAIL(v, "motion %s amendée par %s, qui n'est pas adopté",
			    "motion %s amended by %s, which was not adopted",
			    q->qid, x);
			return -1;
		}
	}
	*n = json_array_size(a);
	q->amended = true;
	if (q->on_agenda) {
		FAIL(v, "motion %s amendée mais inscrite à l'ordre du jour",
		    "motion %s amended but on the agenda", q->qid);
		return -1;
	}
	return 0;
}

int
verify_amendment_opened(V *v, struct question *q, const json_t *p)
{
	const json_t *ab = json_object_get(p, "amended_by");
	int mode = AUDIT_AMEND_NONE;
	size_t listed = 0, adopted = 0;

	if (json_object_get(p, "amends") != NULL)
		return amendment_opened(v, q, p, &mode);
	if (json_object_get(p, "amendment") != NULL ||
	    json_object_get(p, "supporters") != NULL)
		return bad_field(v, "amends");
	mode = audit_statutes_amendment_mode(v->statutes);
	if (ab != NULL && mode != AUDIT_AMEND_BEFORE_MOTION) {
		FAIL(v, "motion %s : amended_by, que les statuts ne prévoient"
		    " pas (l'amendement n'y est pas voté avant sa motion)",
		    "motion %s: amended_by, which the statutes do not provide"
		    " for (amendments are not voted before their motion)",
		    q->qid);
		return -1;
	}
	for (size_t i = 0; i < v->nq; i++) {
		const struct question *a = v->qs[i];
		if (a == q || a->amends == NULL || strcmp(a->amends, q->qid) != 0)
			continue;
		if (mode == AUDIT_AMEND_ALTERNATIVE) {
			if (q->alt_group == NULL || a->alt_group == NULL ||
			    strcmp(a->alt_group, q->alt_group) != 0) {
				FAIL(v, "motion %s : son amendement %s n'est pas"
				    " dans son groupe de motions alternatives",
				    "motion %s: its amendment %s is not in its"
				    " group of alternative motions", q->qid,
				    a->qid);
				return -1;
			}
			continue;
		}
		if (a->state != 2) {
			FAIL(v, "motion %s ouverte avant le résultat de son"
			    " amendement %s", "motion %s opened before the"
			    " result of its amendment %s", q->qid, a->qid);
			return -1;
		}
		if (audit_amendment_carried(a->outcome))
			adopted++;
	}
	if (ab != NULL && amended_by_check(v, q, ab, &listed) != 0)
		return -1;
	if (adopted != listed) {
		FAIL(v, "motion %s : amended_by nomme %zu amendements, %zu"
		    " adoptés", "motion %s: amended_by names %zu amendments,"
		    " %zu adopted", q->qid, listed, adopted);
		return -1;
	}
	return 0;
}

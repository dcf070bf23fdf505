/*
 * bureau.c — the Bureau elected post by post (A-IMI 12): an election's
 * post and president's post in its spec (q_post_make), one president's
 * post at a time (q_president_free), the president it elected
 * (q_elected_president, which the count gives the statutes engine) and,
 * when a post opens, the sequence the statutes require
 * (q_sequence_check: the president first, under the eldest member, then
 * the other posts under the president elected).
 *
 * Trusts the store and the statutes engine, which decides the sequence:
 * what it would refuse at the count is refused at the opening.
 *
 * Invariants: a president's post exists only where the election's rule
 * elects the president first, and a new one only when no other is
 * pending or has elected a president; nothing here writes to the store.
 */
#include "server/meeting_int.h"

#include <stdio.h>
#include <string.h>

#include "server/store.h"

/* An election's post (A-IMI 12: the Bureau, post by post): a label of
 * 1 to POST_MAX bytes, no control character. */
#define POST_MAX 100u
static int
post_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > POST_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

/* The optional "post" and "president_post" of an election entry, into
 * the spec o: OUT *code and *field on a refusal. */
int
q_post_make(const struct pr_body *b, const json_t *in, const char *qid,
    const char *kind, const char *rule, json_t *o, const char **code,
    const char **field, char *err, size_t errcap)
{
	const json_t *po = json_object_get(in, "post");
	const json_t *pp = json_object_get(in, "president_post");
	const struct pr_election *pe;

	if (po == NULL && pp == NULL)
		return 0;
	if (strcmp(kind, "election") != 0) {
		*field = po != NULL ? "post" : "president_post";
		snprintf(err, errcap, "%s : seule une élection a un poste"
		    " (%s)", qid, *field);
		return -1;
	}
	if (po != NULL && !post_valid(json_string_value(po))) {
		*field = "post";
		snprintf(err, errcap, "%s : poste invalide (texte de 1 à %u"
		    " octets, sans caractère de contrôle) (post)", qid,
		    POST_MAX);
		return -1;
	}
	if (pp != NULL && !json_is_true(pp)) {
		*field = "president_post";
		snprintf(err, errcap, "%s : president_post : true attendu"
		    " (president_post)", qid);
		return -1;
	}
	pe = profile_election_find(b, rule);
	if (pp != NULL && (pe == NULL || pe->sequence !=
	    PR_SEQ_PRESIDENT_FIRST)) {
		*code = "sequence_refused";
		*field = "president_post";
		snprintf(err, errcap, "%s : les statuts n'élisent pas le"
		    " président en premier pour l'élection %s"
		    " (president_post)", qid, rule);
		return -1;
	}
	if (po != NULL)
		json_object_set(o, "post", (json_t *)po);
	if (pp != NULL)
		json_object_set_new(o, "president_post", json_true());
	return 0;
}

/* 0 when a new president's post of election rule may be created in the
 * meeting: none exists there, or each one is counted without an
 * elected president (a tie, nobody elected: the post is voted again).
 * The engine takes the first president elected (election.c presiding): two
 * could not both preside. -1 with err; -2 on a storage error. */
int
q_president_free(struct store *st, const char *meeting, const char *rule,
    const char *qid, char *err, size_t errcap)
{
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT qid, status, spec,"
	    " coalesce(result, '') FROM questions WHERE meeting = ?1 ORDER BY"
	    " position");
	int rc = 0, e;

	if (s == NULL || store_bind_text(s, 1, meeting) != 0) {
		sqlite3_finalize(s);
		snprintf(err, errcap, "%s : stockage indisponible", qid);
		return -2;
	}
	while (rc == 0 && (e = sqlite3_step(s)) == SQLITE_ROW) {
		json_t *sp = json_loads((const char *)sqlite3_column_text(s, 2),
		    0, NULL);
		json_t *res = json_loads((const char *)sqlite3_column_text(s,
		    3), 0, NULL);
		const char *r = json_string_value(json_object_get(sp, "rule"));
		const char *st2 = (const char *)sqlite3_column_text(s, 1);
		const char *out = json_string_value(json_object_get(res,
		    "outcome"));
		if (json_is_true(json_object_get(sp, "president_post")) &&
		    r != NULL && strcmp(r, rule) == 0 &&
		    (strcmp(st2, "counted") != 0 || (out != NULL &&
		     strcmp(out, "elected") == 0))) {
			snprintf(err, errcap, "%s : le poste de président de"
			    " l'élection %s existe déjà (%s)", qid, rule,
			    (const char *)sqlite3_column_text(s, 0));
			rc = -1;
		}
		json_decref(sp);
		json_decref(res);
	}
	sqlite3_finalize(s);
	return rc;
}

/* The member number of the president elected by the counted president's
 * post of election rule in the meeting (the first one elected), into
 * out; 1 found, 0 none, -1 on a storage error. */
int
q_elected_president(struct store *st, const char *meeting, const char *rule,
    char out[65])
{
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT spec, result FROM"
	    " questions WHERE meeting = ?1 AND status = 'counted' ORDER BY"
	    " position");
	int rc = 0;

	out[0] = '\0';
	if (s == NULL || store_bind_text(s, 1, meeting) != 0) {
		sqlite3_finalize(s);
		return -1;
	}
	while (rc == 0 && sqlite3_step(s) == SQLITE_ROW) {
		json_t *sp = json_loads((const char *)sqlite3_column_text(s, 0),
		    0, NULL);
		json_t *res = sqlite3_column_text(s, 1) ? json_loads(
		    (const char *)sqlite3_column_text(s, 1), 0, NULL) : NULL;
		const char *r = json_string_value(json_object_get(sp, "rule"));
		const char *o = json_string_value(json_object_get(res,
		    "outcome"));
		json_t *el = json_array_get(json_object_get(res, "elected"), 0);
		const char *mno = json_is_integer(el) ? json_string_value(
		    json_object_get(json_array_get(json_object_get(sp,
		    "candidates"), (size_t)json_integer_value(el)), "member")) :
		    NULL;
		if (json_is_true(json_object_get(sp, "president_post")) &&
		    r != NULL && strcmp(r, rule) == 0 && o != NULL &&
		    strcmp(o, "elected") == 0 && mno != NULL &&
		    strlen(mno) < 65) {
			snprintf(out, 65, "%s", mno);
			rc = 1;
		}
		json_decref(sp);
		json_decref(res);
	}
	sqlite3_finalize(s);
	return rc;
}

/*
 * The Bureau's sequence at the opening (A-IMI 12). For an election whose
 * rule has a sequence, the statutes engine counts the question as it
 * stands — the attendance now, no ballot yet, the president elected by
 * an earlier count (q_elected_president) — and what it refuses then it
 * would refuse at the count: a post opened before the president's is
 * counted with an elected president, the eldest who presides the
 * president's election not found (a birth date missing, two eldest).
 * 0: may open; 1: refused, the engine's message in err; -1: error.
 */
int
q_sequence_check(struct store *st, const struct profile *p,
    const struct mrow *m, const struct qrow *q, struct st_msg *err)
{
	const struct pr_body *b = p ? profile_body_find(p, m->body) : NULL;
	const struct pr_election *pe = b && q->election ?
	    profile_election_find(b, q->rule) : NULL;
	struct ct_candidate cands[64];
	struct ct_question cq;
	struct ct_meeting cm;
	struct ct_result res;
	struct facts f;
	char pres[65];
	int rc;

	if (pe == NULL || pe->sequence == PR_SEQ_NONE)
		return 0;
	if (json_array_size(json_object_get(q->spec, "candidates")) > 64 ||
	    facts_load(st, m, &f) != 0)
		return -1;
	facts_meeting(m, &f, &cm);
	q_ct_question(p, m->body, q->qid, q->spec, &cq);
	q_ct_candidates(q->spec, &f, NULL, cands, &cq);
	if ((rc = q_elected_president(st, m->id, q->rule, pres)) < 0) {
		facts_free(&f);
		return -1;
	}
	cq.elected_president = rc > 0 ? pres : NULL;
	if (ct_count(p, &cm, &cq, 1, &res, err) != 0) {
		facts_free(&f);
		return 1;
	}
	ct_result_free(&res);
	facts_free(&f);
	return 0;
}

/*
 * revote.c — the re-vote after an unresolved tie (POST questions
 * {"revote_of": Q}, docs/api.md): when the statutes engine counted
 * election Q as "tie_unresolved" (the profile's tie-break chain, if any,
 * did not settle the last seats), the vote is held again between the
 * tied candidates only, for the seats still to fill. The server makes
 * the new pending question from the counted one: same rule, secrecy,
 * triggers, post and round, the tied candidates (in Q's order, with
 * their declarations) and the blank choice, seats = Q's seats minus
 * those Q filled, "revote_of": Q. The record carries "revote_of" and
 * scrutin-verify checks the candidates and seats against Q's recomputed
 * result (docs/record.md).
 *
 * Trusts the store: Q's stored spec and signed result (its "tied" and
 * "elected" choice positions, server/result.c). The request body is
 * untrusted: only "revote_of", "id" and "title", each checked.
 *
 * Invariants: one re-vote per counted question (a re-vote that ties
 * again may itself be re-voted); the question is stored with its
 * question.add event in one transaction (q_add_reply); every refusal
 * changes nothing.
 */
#include "server/meeting_int.h"

#include <stdio.h>
#include <string.h>

#include "server/store.h"

/* 1 when a question of the meeting is already the re-vote of qid (or
 * on a storage error: nothing is created then). */
static int
revote_exists(struct store *st, const char *meeting, const char *qid)
{
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT 1 FROM questions"
	    " WHERE meeting = ?1 AND json_extract(spec, '$.revote_of') = ?2");
	int exists = s == NULL || store_bind_text(s, 1, meeting) != 0 ||
	    store_bind_text(s, 2, qid) != 0 || sqlite3_step(s) != SQLITE_DONE;

	sqlite3_finalize(s);
	return exists;
}

/* The re-vote's spec from Q's spec and result: the tied candidates only
 * (then the blank choice), the seats left, its shape. NULL when Q's
 * result names no tied candidate or leaves no seat. */
static json_t *
revote_spec(const json_t *spec, const json_t *res, const char *of,
    const char *title)
{
	const json_t *tied = json_object_get(res, "tied");
	const json_t *cands = json_object_get(spec, "candidates");
	json_int_t seats = json_integer_value(json_object_get(spec, "seats")) -
	    (json_int_t)json_array_size(json_object_get(res, "elected"));
	json_t *o, *nc, *ch, *x;
	size_t i, nt = json_array_size(tied);

	if (nt < 2 || seats < 1 || (size_t)seats >= nt)
		return NULL;
	nc = json_array();
	ch = json_array();
	json_array_foreach(tied, i, x) {
		const json_t *c = json_array_get(cands,
		    (size_t)json_integer_value(x));
		const char *name = json_string_value(json_object_get(c, "name"));
		if (!json_is_integer(x) || name == NULL) {
			json_decref(nc);
			json_decref(ch);
			return NULL;
		}
		json_array_append(nc, (json_t *)c);
		json_array_append_new(ch, json_string(name));
	}
	json_array_append_new(ch, json_string("blanc"));
	o = json_deep_copy(spec);
	json_object_set_new(o, "title", json_string(title));
	json_object_set_new(o, "candidates", nc);
	json_object_set_new(o, "choices", ch);
	json_object_set_new(o, "n", json_integer((json_int_t)nt + 1));
	json_object_set_new(o, "seats", json_integer(seats));
	json_object_set_new(o, "min", json_integer(1));
	json_object_set_new(o, "max", json_integer(seats));
	json_object_set_new(o, "revote_of", json_string(of));
	/* A re-vote of a second round stays a round 2 (counted by plurality);
	 * it names Q, not Q's round 1. */
	json_object_del(o, "round_of");
	json_object_set_new(o, "on_agenda", json_false());
	return o;
}

void
api_revote(struct mctx *c, const struct mrow *m, json_t *in,
    struct mreply *r)
{
	const char *of, *nid, *title;
	json_t *spec = NULL, *qj = NULL, *res;
	struct qrow q;
	char idbuf[80], tbuf[400];
	ballot_question bq;

	if (q_derived_fields(in, "revote_of", &of, r) != 0)
		return;
	if (q_load(c->st, m->id, of, &q) != 0) {
		mr_err(r, "question_unknown", "revote_of");
		return;
	}
	if (!q.election) {
		mr_err(r, "invalid_field", "revote_of");
		goto out;
	}
	if (strcmp(m->status, "closed") == 0 ||
	    strcmp(q.status, "counted") != 0) {
		mr_err(r, "wrong_phase", "revote_of");
		goto out;
	}
	qj = q_json(c, c->st, m->id, of);
	res = json_object_get(qj, "result");
	if (!json_is_string(json_object_get(res, "outcome")) ||
	    strcmp(json_string_value(json_object_get(res, "outcome")),
	        "tie_unresolved") != 0) {
		mr_err(r, "no_tie", "revote_of");
		goto out;
	}
	if (revote_exists(c->st, m->id, of)) {
		mr_err(r, "revote_exists", "revote_of");
		goto out;
	}
	nid = json_string_value(json_object_get(in, "id"));
	if (nid == NULL) {
		snprintf(idbuf, sizeof idbuf, "%s-r", of);
		nid = idbuf;
	}
	title = json_string_value(json_object_get(in, "title"));
	if (title == NULL) {
		snprintf(tbuf, sizeof tbuf, "%s — nouveau vote entre les ex"
		    " æquo", json_string_value(json_object_get(q.spec,
		    "title")));
		title = tbuf;
	}
	if ((spec = revote_spec(q.spec, res, of, title)) == NULL) {
		mr_err(r, "no_tie", "revote_of");
		goto out;
	}
	if (strlen(nid) > 64 || ballot_question_init(&bq, nid, strlen(nid),
	    (uint32_t)json_integer_value(json_object_get(spec, "n")), 1,
	    (uint32_t)json_integer_value(json_object_get(spec, "max"))) != 0) {
		mr_err(r, "invalid_field", "id");
		goto out;
	}
	q_add_reply(c, m, nid, spec, r);
out:
	json_decref(spec);
	json_decref(qj);
	q_free(&q);
}

/*
 * amendment.c — amendments to a pending motion, as the body's statutes
 * say (profile `amendments`, ballot-formats/amendment.c decides): the
 * moderator proposes one (api_qamend: its text, the member who proposes
 * it, present, and the number of members supporting him where the
 * profile requires some); the server applies the engine's decision.
 *
 *  - before_motion (usual practice): the amendment is a motion of its
 *    own ("amends": the motion's qid, "amendment": its text), under the
 *    motion's rule and secrecy, voted first; the motion cannot open while
 *    an amendment to it is pending, open or not yet counted, and opens
 *    as amended by the adopted ones ("amended_by", amend_open_check);
 *  - alternative (ANIMT IV): the motion as amended is an alternative
 *    motion in the original's group (the group is the motion's qid when
 *    it had none), voted and weighed with it (alternatives.c).
 *
 * An amendment, and a motion opened as amended, are motions added on the
 * day ("on_agenda": false): the rules for those apply to them (a mail-in
 * voter's fallback holder votes them).
 *
 * Trusts the store, the meeting's profile and the statutes engine. The
 * moderator's body is decoded strictly.
 *
 * Invariants: an amendment is added only to a pending motion that is not
 * itself an amendment, while the meeting is not closed, with its
 * question.add event (and, in alternative mode, the motion's joining of
 * its group) in one transaction; "amended_by" lists exactly the counted
 * amendments whose outcome the engine says amends (ct_amendment_carried),
 * written with a question.amended event before the motion opens.
 */
#include "server/meeting_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/store.h"

#define AMEND_TEXT_MAX 2000

/* 1 when member number mno of the roll is checked in, present or
 * remote, at meeting m; 0 not; -1 on error. */
static int
proposer_present(struct store *st, const char *meeting, const char *mno)
{
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT 1 FROM attendance a"
	    " JOIN members m ON m.id = a.member_id WHERE a.meeting = ?1 AND"
	    " m.member_no = ?2 AND a.state IN ('present', 'remote')");
	int r;

	if (s == NULL || store_bind_text(s, 1, meeting) != 0 ||
	    store_bind_text(s, 2, mno) != 0) {
		sqlite3_finalize(s);
		return -1;
	}
	r = sqlite3_step(s);
	sqlite3_finalize(s);
	return r == SQLITE_ROW ? 1 : r == SQLITE_DONE ? 0 : -1;
}

/* The amendment's spec from motion q's: its rule, secrecy and choices;
 * "amends", "amendment", the proposer, the supporters; not on the agenda;
 * in alternative mode the group g. The title: the body's, or made from
 * the motion's. */
static json_t *
amend_spec(const struct qrow *q, const char *title, const char *text,
    const char *mno, const json_t *supporters, const char *g)
{
	json_t *spec = json_deep_copy(q->spec);
	char tb[400];

	json_object_del(spec, "triggers");
	json_object_del(spec, "recused");
	json_object_del(spec, "amended_by");
	json_object_del(spec, "alternatives");
	if (title == NULL) {
		const char *mt = json_string_value(json_object_get(q->spec,
		    "title"));
		/* At most 300 bytes: the motion's title cut on a character
		 * boundary. */
		int room = g != NULL ? 270 : 260;
		int n = (int)strlen(mt != NULL ? mt : "");
		if (n > room) {
			n = room;
			while (n > 0 && ((unsigned char)mt[n] & 0xC0) == 0x80)
				n--;
		}
		if (g != NULL)
			snprintf(tb, sizeof tb, "%.*s (amendée)", n, mt);
		else
			snprintf(tb, sizeof tb, "Amendement à « %.*s »", n,
			    mt != NULL ? mt : "");
		title = tb;
	}
	json_object_set_new(spec, "title", json_string(title));
	json_object_set_new(spec, "amends", json_string(q->qid));
	json_object_set_new(spec, "amendment", json_string(text));
	json_object_set_new(spec, "proposer", json_string(mno));
	if (supporters != NULL)
		json_object_set(spec, "supporters", (json_t *)supporters);
	json_object_set_new(spec, "on_agenda", json_false());
	if (g != NULL)
		json_object_set_new(spec, "alternatives", json_string(g));
	return spec;
}

/* Stores amendment nid (spec) and, when set, motion q's new spec (its
 * group, alternative mode) with a question.alternatives event, in one
 * transaction; then tells the streams and answers with the amendment. */
static void
amend_store(struct mctx *c, const struct mrow *m, const struct qrow *q,
    const json_t *qspec, const char *nid, json_t *spec, struct mreply *r)
{
	char err[300];
	json_t *ev = NULL;
	int ok = store_begin(c->st) == 0;

	if (!ok) {
		mr_err(r, "unavailable", NULL);
		return;
	}
	if (qspec != NULL) {
		char *text = json_dumps(qspec, JSON_COMPACT | JSON_SORT_KEYS);
		sqlite3_stmt *s = store_prepare(c->st->roll, "UPDATE questions"
		    " SET spec = ?3 WHERE meeting = ?1 AND qid = ?2 AND status"
		    " = 'pending'");
		ev = json_pack("{s:s,s:s,s:O}", "meeting", m->id, "question",
		    q->qid, "alternatives", json_object_get(qspec,
		    "alternatives"));
		ok = text != NULL && s != NULL && ev != NULL &&
		    store_bind_text(s, 1, m->id) == 0 &&
		    store_bind_text(s, 2, q->qid) == 0 &&
		    store_bind_text(s, 3, text) == 0 &&
		    sqlite3_step(s) == SQLITE_DONE &&
		    sqlite3_changes(c->st->roll) == 1 &&
		    store_event_record(c->st, "question.alternatives", ev,
		    NULL) == 0;
		sqlite3_finalize(s);
		free(text);
		json_decref(ev);
	}
	if (!ok) {
		store_rollback(c->st);
		mr_err(r, "unavailable", NULL);
		return;
	}
	if (q_insert(c->st, m->id, nid, spec, err, sizeof err) != 0 ||
	    store_commit(c->st) != 0) {
		store_rollback(c->st);
		mr_err(r, "already_done", "id");
		return;
	}
	if (qspec != NULL)
		notify(c, m->id, "question_add", q_json(c, c->st, m->id,
		    q->qid));
	notify(c, m->id, "question_add", q_json(c, c->st, m->id, nid));
	mr_ok(r, q_json(c, c->st, m->id, nid));
}

/* The fields of POST …/amendments; -1 with r. */
static int
amend_fields(json_t *doc, const char **text, const char **mno,
    const json_t **sup, const char **nid, const char **title,
    struct mreply *r)
{
	json_t *v;

	if (mj_str(doc, "text", AMEND_TEXT_MAX, text, r) != 0 ||
	    mj_str(doc, "proposer", 64, mno, r) != 0)
		return -1;
	if ((*text)[0] == '\0') {
		mr_err(r, "invalid_field", "text");
		return -1;
	}
	*sup = json_object_get(doc, "supporters");
	if (*sup != NULL && (!json_is_integer(*sup) ||
	    json_integer_value(*sup) < 0 ||
	    json_integer_value(*sup) > 100000)) {
		mr_err(r, "invalid_field", "supporters");
		return -1;
	}
	*nid = json_string_value(v = json_object_get(doc, "id"));
	if (v != NULL && (*nid == NULL || strlen(*nid) == 0 ||
	    strlen(*nid) > 64)) {
		mr_err(r, "invalid_field", "id");
		return -1;
	}
	*title = json_string_value(v = json_object_get(doc, "title"));
	if (v != NULL && (*title == NULL || strlen(*title) == 0 ||
	    strlen(*title) > 300)) {
		mr_err(r, "invalid_field", "title");
		return -1;
	}
	return 0;
}

/* A fresh id for an amendment of motion qid: qid "-am" k, the first k
 * not taken. */
static void
amend_id(struct store *st, const char *meeting, const char *qid,
    char out[80])
{
	struct qrow t;

	for (int k = 1; k < 1000; k++) {
		snprintf(out, 80, "%.60s-am%d", qid, k);
		if (q_load(st, meeting, out, &t) != 0)
			return;
		q_free(&t);
	}
}

/*
 * POST questions/{q}/amendments {"text", "proposer", "supporters"?,
 * "id"?, "title"?}: an amendment to pending motion q (docs/api.md
 * "Amendments"). Refusals change nothing.
 */
void
api_qamend(struct mctx *c, const struct mrow *m, const struct api_call *call,
    struct mreply *r)
{
	static const char *keys[] = { "text", "proposer", "?supporters",
		"?id", "?title" };
	const struct pr_body *b = m_body(c, m);
	const char *text, *mno, *nid, *title, *g = NULL;
	const json_t *sup;
	json_t *doc = NULL, *spec = NULL, *qspec = NULL;
	struct qrow q;
	struct st_msg why;
	enum pr_amend_mode mode;
	ballot_question bq;
	char idbuf[80];
	int loaded = 0, pr;

	if (b == NULL) {
		mr_err(r, "unavailable", NULL);
		return;
	}
	if (mj_parse(call->body, call->len, keys, 5, &doc, r) != 0)
		return;
	if (amend_fields(doc, &text, &mno, &sup, &nid, &title, r) != 0)
		goto out;
	if (q_load(c->st, m->id, call->sub, &q) != 0) {
		mr_err(r, "question_unknown", NULL);
		goto out;
	}
	loaded = 1;
	if (q.election || json_object_get(q.spec, "amends") != NULL) {
		mr_err(r, "not_amendable", NULL);
		goto out;
	}
	if (strcmp(q.status, "pending") != 0 ||
	    strcmp(m->status, "closed") == 0) {
		mr_err(r, "wrong_phase", NULL);
		goto out;
	}
	if (ct_amendment_admit(b, sup != NULL, (uint32_t)json_integer_value(
	    sup), &mode, &why) != 0) {
		mr_err_detail(r, mode == PR_AMEND_NONE ? "amendments_refused" :
		    "amendment_supporters", mode == PR_AMEND_NONE ? NULL :
		    "supporters", why.fr, why.en);
		goto out;
	}
	/* Voted before its motion, an amendment changes the text the
	 * mail-in voters voted on: refused for a published motion (an
	 * alternative motion leaves it as published). */
	if (mode == PR_AMEND_BEFORE_MOTION &&
	    mailin_question_published(c->st, m->id, q.qid)) {
		mr_err(r, "mailin_amend", NULL);
		goto out;
	}
	if ((pr = proposer_present(c->st, m->id, mno)) != 1) {
		mr_err(r, pr < 0 ? "unavailable" : "amendment_proposer",
		    "proposer");
		goto out;
	}
	if (nid == NULL) {
		amend_id(c->st, m->id, q.qid, idbuf);
		nid = idbuf;
	}
	if (ballot_question_init(&bq, nid, strlen(nid), q.n, q.min,
	    q.max) != 0) {
		mr_err(r, "invalid_field", "id");
		goto out;
	}
	if (mode == PR_AMEND_ALTERNATIVE) {
		const char *code;
		char err[300];
		g = json_string_value(json_object_get(q.spec, "alternatives"));
		if (g == NULL) {
			if (!alt_group_valid(q.qid)) {
				mr_err(r, "invalid_field", "alternatives");
				goto out;
			}
			g = q.qid;
			qspec = json_deep_copy(q.spec);
			json_object_set_new(qspec, "alternatives",
			    json_string(g));
		}
		spec = amend_spec(&q, title, text, mno, sup, g);
		if (alt_group_check(c->st, m->id, spec, &code, err,
		    sizeof err) != 0) {
			mr_err(r, code, "alternatives");
			goto out;
		}
	} else
		spec = amend_spec(&q, title, text, mno, sup, NULL);
	amend_store(c, m, &q, qspec, nid, spec, r);
out:
	json_decref(qspec);
	json_decref(spec);
	if (loaded)
		q_free(&q);
	json_decref(doc);
}

/* The amendments to motion qid, in agenda order: *pending 1 when one is
 * not counted yet; the counted ones the engine says amend, appended to
 * adopted. 0, -1 on error. */
static int
amend_list(struct store *st, const char *meeting, const char *qid,
    int *pending, json_t *adopted)
{
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT qid, status,"
	    " json_extract(result, '$.outcome') FROM questions WHERE meeting"
	    " = ?1 AND json_extract(spec, '$.amends') = ?2 ORDER BY"
	    " position");
	int r;

	*pending = 0;
	if (s == NULL || store_bind_text(s, 1, meeting) != 0 ||
	    store_bind_text(s, 2, qid) != 0) {
		sqlite3_finalize(s);
		return -1;
	}
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		const char *oc = (const char *)sqlite3_column_text(s, 2);
		if (strcmp((const char *)sqlite3_column_text(s, 1), "counted")
		    != 0 || oc == NULL)
			*pending = 1;
		else if (ct_amendment_carried(oc))
			json_array_append_new(adopted, json_string(
			    (const char *)sqlite3_column_text(s, 0)));
	}
	sqlite3_finalize(s);
	return r == SQLITE_DONE ? 0 : -1;
}

int
amend_open_check(struct mctx *c, const struct mrow *m, struct qrow *q,
    struct mreply *r)
{
	const struct pr_body *b = m_body(c, m);
	json_t *adopted = NULL, *spec = NULL, *ev = NULL;
	char *text = NULL;
	sqlite3_stmt *s = NULL;
	int pending, rc = -1, ok;

	if (b == NULL || b->amendments.mode != PR_AMEND_BEFORE_MOTION ||
	    q->election || json_object_get(q->spec, "amends") != NULL)
		return 0;
	adopted = json_array();
	if (amend_list(c->st, m->id, q->qid, &pending, adopted) != 0) {
		mr_err(r, "unavailable", NULL);
		goto out;
	}
	if (pending) {
		mr_err(r, "amendment_pending", NULL);
		goto out;
	}
	if (json_array_size(adopted) == 0 &&
	    json_object_get(q->spec, "amended_by") == NULL) {
		rc = 0;
		goto out;
	}
	/* The motion as amended: added on the day, named by its
	 * amendments. */
	spec = json_deep_copy(q->spec);
	if (json_array_size(adopted) > 0) {
		json_object_set(spec, "amended_by", adopted);
		json_object_set_new(spec, "on_agenda", json_false());
	} else
		json_object_del(spec, "amended_by");
	text = json_dumps(spec, JSON_COMPACT | JSON_SORT_KEYS);
	ev = json_pack("{s:s,s:s,s:O}", "meeting", m->id, "question", q->qid,
	    "amended_by", adopted);
	if (text == NULL || ev == NULL || store_begin(c->st) != 0) {
		mr_err(r, "unavailable", NULL);
		goto out;
	}
	s = store_prepare(c->st->roll, "UPDATE questions SET spec = ?3 WHERE"
	    " meeting = ?1 AND qid = ?2 AND status = 'pending'");
	ok = s != NULL && store_bind_text(s, 1, m->id) == 0 &&
	    store_bind_text(s, 2, q->qid) == 0 &&
	    store_bind_text(s, 3, text) == 0 &&
	    sqlite3_step(s) == SQLITE_DONE &&
	    sqlite3_changes(c->st->roll) == 1 &&
	    store_event_record(c->st, "question.amended", ev, NULL) == 0 &&
	    store_commit(c->st) == 0;
	if (!ok) {
		store_rollback(c->st);
		mr_err(r, "unavailable", NULL);
		goto out;
	}
	json_decref(q->spec);
	q->spec = spec;
	spec = NULL;
	rc = 0;
out:
	sqlite3_finalize(s);
	free(text);
	json_decref(ev);
	json_decref(spec);
	json_decref(adopted);
	return rc;
}

/*
 * question.c — a question's life once it is on the agenda: loaded
 * (q_load) and shown (q_json, questions_json: with its rule's labels from
 * the profile, q_labels_set, never the id alone), opened and closed by the
 * moderator (api_qopen, api_qclose; the close itself and the count are
 * question_close's), its status changed with the attendance at its
 * opening and its record lines (q_set_status), and read by the statutes
 * engine (q_ct_question, q_ct_candidates, q_recorded).
 *
 * Trusts the store and the statutes engine; the moderator's body
 * (closes_at) is decoded strictly.
 *
 * Invariants: pending, then open, then closed, each step one transaction
 * with its event and record line, and taken once (the UPDATE requires the
 * status before); a question opens only while its meeting is not closed,
 * with the election key for a secret ballot, by secret ballot where the
 * statutes require it and in the Bureau's sequence; the attendance at
 * its opening is kept (opening_attendance): where the question is in the
 * public record, only those voices vote.
 */
#include "server/meeting_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/record.h"
#include "server/store.h"

/* ---- questions ---- */

int
q_load(struct store *st, const char *meeting, const char *qid,
    struct qrow *q)
{
	sqlite3_stmt *s;
	json_t *spec = NULL, *v;
	json_error_t e;
	int rc = -1;

	memset(q, 0, sizeof *q);
	if (strlen(qid) == 0 || strlen(qid) > 64)
		return -1;
	s = store_cached(st, st->roll,
	    "SELECT spec, status, opened_at, closes_at, ballots, position"
	    " FROM questions WHERE meeting = ?1 AND qid = ?2");
	if (s == NULL || store_bind_text(s, 1, meeting) != 0 ||
	    store_bind_text(s, 2, qid) != 0 || sqlite3_step(s) != SQLITE_ROW)
		goto out;
	spec = json_loads((const char *)sqlite3_column_text(s, 0), 0, &e);
	if (spec == NULL)
		goto out;
	snprintf(q->qid, sizeof q->qid, "%s", qid);
	snprintf(q->status, sizeof q->status, "%s",
	    (const char *)sqlite3_column_text(s, 1));
	q->opened_at = sqlite3_column_int64(s, 2);
	q->closes_at = sqlite3_column_type(s, 3) == SQLITE_NULL ? 0 :
	    sqlite3_column_int64(s, 3);
	q->ballots = sqlite3_column_int64(s, 4);
	q->position = sqlite3_column_int64(s, 5);
	q->secret = json_is_true(json_object_get(spec, "secret"));
	q->election = strcmp(json_string_value(json_object_get(spec, "kind")),
	    "election") == 0;
	q->n = (uint32_t)json_integer_value(json_object_get(spec, "n"));
	q->min = (uint32_t)json_integer_value(json_object_get(spec, "min"));
	q->max = (uint32_t)json_integer_value(json_object_get(spec, "max"));
	v = json_object_get(spec, "seats");
	q->seats = v ? (uint32_t)json_integer_value(v) : 0;
	snprintf(q->rule, sizeof q->rule, "%s",
	    json_string_value(json_object_get(spec, "rule")));
	if (ballot_question_init(&q->bq, qid, strlen(qid), q->n, q->min,
	        q->max) != 0)
		goto out;
	q->spec = spec;
	spec = NULL;
	rc = 0;
out:
	json_decref(spec);
	store_release(st, s);
	return rc;
}

void
q_free(struct qrow *q)
{
	json_decref(q->spec);
	q->spec = NULL;
}

void
q_labels_set(json_t *o, const json_t *spec, const struct pr_body *b)
{
	const char *kind = json_string_value(json_object_get(spec, "kind"));
	const char *fr, *en;

	if (m_rule_labels(b, kind != NULL && strcmp(kind, "election") == 0,
	        json_string_value(json_object_get(spec, "rule")), &fr, &en) !=
	    0)
		return;
	json_object_set_new(o, "rule_label", json_string(fr));
	json_object_set_new(o, "rule_label_en", json_string(en));
}

/* A row of Q_COLS as served; the labels of its rule (and of its result's,
 * which a result stored before labels existed lacks) from body b. */
static json_t *
q_json_row(sqlite3_stmt *s, const struct pr_body *b)
{
	json_error_t e;
	json_t *o = json_loads((const char *)sqlite3_column_text(s, 1), 0, &e);

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "id", json_string(
	    (const char *)sqlite3_column_text(s, 0)));
	json_object_set_new(o, "status", json_string(
	    (const char *)sqlite3_column_text(s, 2)));
	json_object_set_new(o, "opened_at", sqlite3_column_type(s, 3) ==
	    SQLITE_NULL ? json_null() : json_integer(sqlite3_column_int64(s, 3)));
	json_object_set_new(o, "closes_at", sqlite3_column_type(s, 4) ==
	    SQLITE_NULL ? json_null() : json_integer(sqlite3_column_int64(s, 4)));
	json_object_set_new(o, "ballots", json_integer(sqlite3_column_int64(s,
	    5)));
	if (sqlite3_column_type(s, 6) != SQLITE_NULL) {
		json_t *res = json_loads((const char *)sqlite3_column_text(s,
		    6), 0, &e);
		if (res != NULL) {
			q_labels_set(res, o, b);
			json_object_set_new(o, "result", res);
		}
	}
	q_labels_set(o, o, b);
	return o;
}

#define Q_COLS "qid, spec, status, opened_at, closes_at, ballots, result"

json_t *
q_json(struct mctx *c, struct store *st, const char *meeting, const char *qid)
{
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT " Q_COLS
	    " FROM questions WHERE meeting = ?1 AND qid = ?2");
	json_t *o = NULL;

	if (s != NULL && store_bind_text(s, 1, meeting) == 0 &&
	    store_bind_text(s, 2, qid) == 0 && sqlite3_step(s) == SQLITE_ROW)
		o = q_json_row(s, m_body_of(c, meeting));
	sqlite3_finalize(s);
	if (o != NULL)
		q_opened_set(st, meeting, o);
	return o;
}

/* The questions of a meeting in agenda order, as q_json shows each. */
json_t *
questions_json(struct mctx *c, struct store *st, const char *meeting)
{
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT " Q_COLS " FROM"
	    " questions WHERE meeting = ?1 ORDER BY position");
	const struct pr_body *b = m_body_of(c, meeting);
	json_t *qs = json_array();

	if (s != NULL && store_bind_text(s, 1, meeting) == 0)
		while (sqlite3_step(s) == SQLITE_ROW) {
			json_t *q = q_json_row(s, b);
			if (q != NULL) {
				q_opened_set(st, meeting, q);
				json_array_append_new(qs, q);
			}
		}
	sqlite3_finalize(s);
	return qs;
}

static void q_ct_triggers(const json_t *spec, struct ct_question *cq);

/* The engine's question (ballot-formats/count.h) for a stored spec, as
 * far as the spec tells: id, label, kind, rule, on_agenda, seats, round.
 * The caller adds what the vote gives (totals, candidates' votes). The
 * strings are borrowed from qid and spec. */
void
q_ct_question(const struct profile *p, const char *body, const char *qid,
    const json_t *spec, struct ct_question *cq)
{
	const char *rule = json_string_value(json_object_get(spec, "rule"));
	const char *kind = json_string_value(json_object_get(spec, "kind"));

	memset(cq, 0, sizeof *cq);
	cq->id = qid;
	cq->label = json_string_value(json_object_get(spec, "title"));
	cq->on_agenda = !json_is_false(json_object_get(spec, "on_agenda"));
	cq->amendment = json_object_get(spec, "amends") != NULL ||
	    json_object_get(spec, "amended_by") != NULL;
	if (kind == NULL || strcmp(kind, "election") != 0) {
		cq->kind = CT_Q_MOTION;
		cq->decision = rule;
	} else {
		const struct pr_body *pb = p ? profile_body_find(p, body) :
		    NULL;
		const struct pr_election *pe = pb && rule ?
		    profile_election_find(pb, rule) : NULL;
		json_t *se = json_object_get(spec, "seats");
		cq->kind = CT_Q_ELECTION;
		cq->election = rule;
		/* The Bureau's sequence (A-IMI 12): the post, and whether it
		 * is the president's; the caller gives elected_president. */
		cq->post = json_string_value(json_object_get(spec, "post"));
		cq->president_post = json_is_true(json_object_get(spec,
		    "president_post"));
		cq->seats = se ? (uint32_t)json_integer_value(se) : 0;
		/* Two-round methods: round 1, or 2 for a second round (a new
		 * question with "round": 2, api_round2); none otherwise. */
		cq->round = (pe && pe->method == PR_METHOD_TWO_ROUND) ?
		    (json_integer_value(json_object_get(spec, "round")) == 2 ?
		        2 : 1) : 0;
	}
	q_ct_triggers(spec, cq);
}

/* The live secret-ballot triggers of a stored spec ("triggers", written
 * by q_triggers_merge only) into the engine's question. */
static void
q_ct_triggers(const json_t *spec, struct ct_question *cq)
{
	const json_t *t = json_object_get(spec, "triggers"), *v;
	size_t i;

	cq->objection = json_is_true(json_object_get(t, "objection"));
	cq->unanimous_show_of_hands = json_is_true(json_object_get(t,
	    "unanimous_show_of_hands"));
	v = json_object_get(t, "askers");
	cq->has_askers = json_is_integer(v);
	cq->askers = cq->has_askers ? (uint32_t)json_integer_value(v) : 0;
	json_array_foreach(json_object_get(t, "requested_by"), i, v) {
		const char *by = json_string_value(v);
		if (by != NULL && strcmp(by, "bureau") == 0)
			cq->requested_by |= PR_REQ_BUREAU;
		else if (by != NULL && strcmp(by, "ca") == 0)
			cq->requested_by |= PR_REQ_CA;
	}
}

void
q_ct_candidates(const json_t *spec, struct facts *f, const uint64_t *counts,
    struct ct_candidate *cands, struct ct_question *cq)
{
	json_t *cs = json_object_get(spec, "candidates"), *v;
	size_t i;

	json_array_foreach(cs, i, v) {
		const char *dd = json_string_value(json_object_get(v,
		    "declared"));
		int32_t day;
		memset(&cands[i], 0, sizeof cands[i]);
		cands[i].id = json_string_value(json_object_get(v, "member"));
		for (size_t k = 0; k < f->n; k++)
			if (dd != NULL && cands[i].id != NULL &&
			    strcmp(f->members[k].id, cands[i].id) == 0 &&
			    st_date_parse(dd, &day) == 0) {
				f->members[k].has_declared = true;
				f->members[k].declared = day;
				/* Added by the moderator during the meeting
				 * (api_qcand). */
				f->members[k].declared_at_meeting =
				    json_is_true(json_object_get(v,
				        "at_meeting"));
			}
		cands[i].votes = counts != NULL ? (uint32_t)counts[i] : 0;
	}
	cq->n_cands = json_array_size(cs);
	cq->cands = cands;
}

int
q_recorded(struct store *st, const char *meeting, const struct qrow *q)
{
	return record_question_recordable(q->spec) &&
	    store_record_has(st, meeting, "question.opened", q->qid) == 1;
}

/* Sets a question's status (inside no transaction; makes its own). */
int
q_set_status(struct mctx *c, struct store *st, const char *meeting,
    const char *qid, const char *to, int64_t closes_at, const uint8_t *totals,
    size_t totals_len, int64_t ballots)
{
	sqlite3_stmt *s;
	json_t *ev;
	int ok;

	vc_drop(c);
	if (store_begin(st) != 0)
		return -1;
	if (strcmp(to, "open") == 0) {
		s = store_prepare(st->roll, "UPDATE questions SET status ="
		    " 'open', opened_at = ?3, closes_at = ?4 WHERE meeting ="
		    " ?1 AND qid = ?2 AND status = 'pending'");
		ok = s != NULL && store_bind_text(s, 1, meeting) == 0 &&
		    store_bind_text(s, 2, qid) == 0 &&
		    sqlite3_bind_int64(s, 3, (sqlite3_int64)now_unix()) ==
		        SQLITE_OK &&
		    (closes_at > 0 ? sqlite3_bind_int64(s, 4, closes_at) :
		        sqlite3_bind_null(s, 4)) == SQLITE_OK &&
		    sqlite3_step(s) == SQLITE_DONE &&
		    sqlite3_changes(st->roll) == 1;
	} else {
		s = store_prepare(st->roll, "UPDATE questions SET status ="
		    " 'closed', closed_at = ?3, totals = ?4, ballots = ?5 WHERE"
		    " meeting = ?1 AND qid = ?2 AND status = 'open'");
		ok = s != NULL && store_bind_text(s, 1, meeting) == 0 &&
		    store_bind_text(s, 2, qid) == 0 &&
		    sqlite3_bind_int64(s, 3, (sqlite3_int64)now_unix()) ==
		        SQLITE_OK &&
		    (totals != NULL ? sqlite3_bind_blob(s, 4, totals,
		        (int)totals_len, SQLITE_TRANSIENT) :
		        sqlite3_bind_null(s, 4)) == SQLITE_OK &&
		    sqlite3_bind_int64(s, 5, ballots) == SQLITE_OK &&
		    sqlite3_step(s) == SQLITE_DONE &&
		    sqlite3_changes(st->roll) == 1;
	}
	sqlite3_finalize(s);
	ev = json_pack("{s:s,s:s,s:s}", "meeting", meeting, "question", qid,
	    "status", to);
	if (closes_at > 0)
		json_object_set_new(ev, "closes_at", json_integer(closes_at));
	if (ballots >= 0 && strcmp(to, "closed") == 0)
		json_object_set_new(ev, "ballots", json_integer(ballots));
	if (totals != NULL) {
		char *h = xmalloc(2 * totals_len + 1);
		xhex_encode(h, 2 * totals_len + 1, totals, totals_len);
		json_object_set_new(ev, "totals", json_string(h));
		free(h);
	}
	if (ok && strcmp(to, "open") == 0) {
		struct qrow q;
		sqlite3_stmt *a = store_prepare(st->roll, "INSERT INTO"
		    " opening_attendance(meeting, qid, member_id, state) SELECT"
		    " meeting, ?2, member_id, state FROM attendance WHERE"
		    " meeting = ?1 AND state IN ('present', 'remote')");
		ok = a != NULL && store_bind_text(a, 1, meeting) == 0 &&
		    store_bind_text(a, 2, qid) == 0 &&
		    sqlite3_step(a) == SQLITE_DONE;
		sqlite3_finalize(a);
		ok = ok && q_load(st, meeting, qid, &q) == 0;
		if (ok) {
			/* The proxies' standing here, as the record's
			 * verifier computes it at this line. */
			struct mrow m;
			ok = m_load(st, meeting, &m) == 0 &&
			    proxy_opening(c, st, &m, &q) == 0 &&
			    record_question_opened(st, meeting, qid, q.spec) ==
			    0;
			q_free(&q);
		}
	} else if (ok && strcmp(to, "closed") == 0)
		/* totals NULL: an open question (no ciphertexts). */
		ok = record_question_closed(st, meeting, qid, ballots, totals,
		    totals_len / 64) == 0;
	if (!ok || store_event_record(st, strcmp(to, "open") == 0 ?
	        "question.open" : "question.close", ev, NULL) != 0 ||
	    store_commit(st) != 0) {
		json_decref(ev);
		store_rollback(st);
		return -1;
	}
	json_decref(ev);
	if (strcmp(to, "open") == 0)
		notify(c, meeting, "question_open", q_json(c, st, meeting,
		    qid));
	else
		notify(c, meeting, "question_close", json_pack("{s:s,s:I}",
		    "id", qid, "ballots", (json_int_t)ballots));
	return 0;
}

void
api_qopen(struct mctx *c, const struct mrow *m, const struct api_call *call,
    struct mreply *r)
{
	const char *qid = call->sub;
	const uint8_t *body = call->body;
	size_t len = call->len;
	static const char *keys[] = { "?closes_at" };
	json_t *doc = NULL;
	struct qrow q;
	uint64_t closes = 0;

	if (mj_parse(body, len, keys, 1, &doc, r) != 0)
		return;
	if (json_object_get(doc, "closes_at") != NULL &&
	    (mj_u64(doc, "closes_at", 1ull << 40, &closes, r) != 0 ||
	     closes <= now_unix())) {
		if (closes != 0)
			mr_err(r, "invalid_field", "closes_at");
		json_decref(doc);
		return;
	}
	json_decref(doc);
	if (q_load(c->st, m->id, qid, &q) != 0) {
		mr_err(r, "question_unknown", NULL);
		return;
	}
	if (strcmp(q.status, "pending") != 0 ||
	    strcmp(m->status, "closed") == 0 ||
	    (q.secret && (!m->has_key || strcmp(m->ceremony, "done") != 0))) {
		mr_err(r, "wrong_phase", NULL);
		q_free(&q);
		return;
	}
	{
		/* Checked again at the opening: a question stored before
		 * this rule, or under another reading, is not held by show
		 * of hands where the statutes require a secret ballot. */
		const char *art;
		int sr = q_secret_required(m_profile(c, c->st, m->id),
		    m->body, qid, q.spec, &art);
		if (sr != 0) {
			if (sr > 0)
				mr_err_article(r, "secret_required", "secret",
				    art);
			else
				mr_err(r, "unavailable", NULL);
			q_free(&q);
			return;
		}
	}
	{
		/* The unanimous waiver (A-IMI 12): every member with a vote
		 * present at the opening, as the count checks it. */
		struct trig_err te;
		if (q_unanimity_check(c->st, m_profile(c, c->st, m->id), m,
		    q.spec, &te) != 0) {
			mr_err_article(r, te.code, te.field, te.article);
			q_free(&q);
			return;
		}
	}
	{
		/* The Bureau, president first (A-IMI 12): nothing changes
		 * when the engine would refuse the count. */
		struct st_msg err;
		int sq = q_sequence_check(c->st, m_profile(c, c->st, m->id),
		    m, &q, &err);
		if (sq != 0) {
			if (sq > 0)
				mr_err_detail(r, "bureau_sequence", NULL, err.fr, err.en);
			else
				mr_err(r, "unavailable", NULL);
			q_free(&q);
			return;
		}
	}
	/* A motion is voted after its amendments, as amended by the
	 * adopted ones (server/amendment.c). */
	if (amend_open_check(c, m, &q, r) != 0) {
		q_free(&q);
		return;
	}
	/* The draw's seed awaited (draw_seed.c): the scrutineers' reveals,
	 * said as such rather than the engine's missing seed. */
	if (draw_pending_check(c, m, r) != 0) {
		q_free(&q);
		return;
	}
	if (q_set_status(c, c->st, m->id, qid, "open", (int64_t)closes, NULL,
	        0, -1) != 0)
		mr_err(r, "unavailable", NULL);
	else
		mr_ok(r, json_pack("{s:s,s:s}", "id", qid, "status", "open"));
	q_free(&q);
}

void
api_qclose(struct mctx *c, const struct mrow *m, const struct api_call *call,
    struct mreply *r)
{
	const char *qid = call->sub;
	struct qrow q;
	int64_t n;

	if (q_load(c->st, m->id, qid, &q) != 0) {
		mr_err(r, "question_unknown", NULL);
		return;
	}
	if (strcmp(q.status, "open") != 0) {
		mr_err(r, "wrong_phase", NULL);
		q_free(&q);
		return;
	}
	if (question_close(c, c->st, m, &q, &n) != 0)
		mr_err(r, "unavailable", NULL);
	else
		mr_ok(r, json_pack("{s:s,s:s,s:I}", "id", qid, "status",
		    "closed", "ballots", (json_int_t)n));
	q_free(&q);
}

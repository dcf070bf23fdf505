/*
 * mailin.c — the mail-in window (vote par correspondance, ANIMT art. V,
 * APROGEMERE; docs/record.md mailin.opened): opened by the operator
 * (`scrutin meeting mailin-open`, POST …/mailin/open) on a convened
 * meeting whose body's statutes admit mail-in votes, it freezes the
 * record's roll (as the meeting's start does) and publishes the agenda's
 * pending motions, each as its question.opened payload will carry it,
 * with the window's closing time (at the latest the meeting's scheduled
 * start).
 *
 * Trusts the store and the meeting's profile. The request is untrusted:
 * only closes_at, in the future and not after starts_at. Invariants: one
 * window per meeting; the window, the roll's freeze and the mailin.opened
 * event are one transaction, nothing written when refused; a secret
 * motion is published only once the key ceremony is done.
 */
#include "server/meeting_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/record.h"
#include "server/store.h"

/* The agenda's pending motions as question.opened payloads (an array),
 * or NULL with r: a secret one before the key ceremony. */
static json_t *
mailin_questions(struct mctx *c, const struct mrow *m, struct mreply *r)
{
	sqlite3_stmt *s = store_prepare(c->st->roll, "SELECT qid FROM"
	    " questions WHERE meeting = ?1 AND status = 'pending' ORDER BY"
	    " position");
	json_t *a = json_array();

	if (s == NULL || store_bind_text(s, 1, m->id) != 0)
		goto fail;
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct qrow q;
		const json_t *oa;
		const char *kind;
		json_t *p;
		int missing = 0;

		if (q_load(c->st, m->id, (const char *)sqlite3_column_text(s,
		    0), &q) != 0)
			goto fail;
		kind = json_string_value(json_object_get(q.spec, "kind"));
		oa = json_object_get(q.spec, "on_agenda");
		if (kind == NULL || strcmp(kind, "motion") != 0 ||
		    (oa != NULL && !json_is_true(oa)) ||
		    !record_question_recordable(q.spec)) {
			q_free(&q);
			continue;
		}
		if (q.secret && (!m->has_key ||
		    strcmp(m->ceremony, "done") != 0)) {
			q_free(&q);
			mr_err(r, "mailin_ceremony", NULL);
			goto out;
		}
		p = record_question_payload(c->st, m->id, q.qid, q.spec,
		    &missing);
		q_free(&q);
		if (p == NULL)
			goto fail;
		json_array_append_new(a, p);
	}
	sqlite3_finalize(s);
	return a;
fail:
	mr_err(r, "unavailable", NULL);
out:
	sqlite3_finalize(s);
	json_decref(a);
	return NULL;
}

void
api_mailin_open(struct mctx *c, const struct mrow *m,
    const struct api_call *call, struct mreply *r)
{
	static const char *keys[] = { "closes_at" };
	const struct pr_body *b = m_body(c, m);
	json_t *doc = NULL, *qs = NULL, *ev = NULL;
	uint64_t closes = 0, now = now_unix();

	if (mj_parse(call->body, call->len, keys, 1, &doc, r) != 0 ||
	    mj_u64(doc, "closes_at", 1ull << 40, &closes, r) != 0)
		goto out;
	if (b == NULL || !b->mail_in.allowed) {
		mr_err_article(r, "mailin_not_allowed", NULL,
		    b != NULL ? b->mail_in.src.article : NULL);
		goto out;
	}
	if (strcmp(m->status, "convened") != 0 ||
	    record_exists(c->st, m->id) != 1) {
		mr_err(r, "wrong_phase", NULL);
		goto out;
	}
	if (store_record_has(c->st, m->id, "mailin.opened", NULL) != 0) {
		mr_err(r, "mailin_opened", NULL);
		goto out;
	}
	if (closes <= now || (m->has_start && (int64_t)closes > m->starts_at)) {
		mr_err(r, "invalid_field", "closes_at");
		goto out;
	}
	if ((qs = mailin_questions(c, m, r)) == NULL)
		goto out;
	if (json_array_size(qs) == 0) {
		mr_err(r, "mailin_no_question", NULL);
		goto out;
	}
	ev = json_pack("{s:s,s:I}", "meeting", m->id, "closes_at",
	    (json_int_t)closes);
	if (store_begin(c->st) != 0) {
		mr_err(r, "unavailable", NULL);
		goto out;
	}
	if (record_mailin_opened(c->st, m->id, (int64_t)now, (int64_t)closes,
	    qs) != 0 || store_event_record(c->st, "mailin.open", ev, NULL) != 0 ||
	    store_commit(c->st) != 0) {
		store_rollback(c->st);
		mr_err(r, "unavailable", NULL);
		goto out;
	}
	part_touch(c, m->id, "");
	mr_ok(r, json_pack("{s:I,s:I,s:I}", "opened_at", (json_int_t)now,
	    "closes_at", (json_int_t)closes, "questions",
	    (json_int_t)json_array_size(qs)));
out:
	json_decref(ev);
	json_decref(qs);
	json_decref(doc);
}

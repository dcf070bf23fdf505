/*
 * mailin_view.c — what the member's phone shows of the mail-in vote
 * (vote par correspondance, docs/api.md): the window in the meeting's
 * view (open or not, the published motions, whether a fallback holder
 * must be named, the article), a member's own mail-in ballots and
 * fallback holder in GET …/voters/{pk}, a mail-in ballot found by its
 * receipt (GET …/receipts/{r}: the ballot is in the public record as
 * mailin.ballot, not in a question's box), and, among a holder's mandates,
 * the mail-in voters who named him their fallback holder with the
 * statutes engine's standing at each open question's opening.
 *
 * Trusts the store and the record's mailin.opened (mailin_window_load);
 * reads only. Invariant: what it shows is what the tables and the record
 * hold; the phone never learns another member's ballot, only that it was
 * cast (its receipt is the member's own).
 */
#include "server/meeting_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/hex.h"
#include "server/store.h"

json_t *
mailin_view_json(struct mctx *c, const struct mrow *m)
{
	const struct pr_body *b = m_body(c, m);
	json_t *w = mailin_window_load(c->st, m->id), *qs, *o;
	const json_t *e;
	json_int_t closes;
	size_t i;

	if (w == NULL)
		return NULL;
	closes = json_integer_value(json_object_get(w, "closes_at"));
	qs = json_array();
	json_array_foreach(json_object_get(w, "questions"), i, e)
		json_array_append(qs, json_object_get(e, "qid"));
	o = json_pack("{s:O,s:I,s:b,s:o,s:b,s:s}", "opened_at",
	    json_object_get(w, "ts"), "closes_at", closes, "open",
	    strcmp(m->status, "convened") == 0 &&
	    (json_int_t)now_unix() <= closes, "questions", qs, "fallback",
	    b != NULL && b->mail_in.fallback_proxy, "article",
	    b != NULL ? b->mail_in.src.article : "");
	json_decref(w);
	return o;
}

json_t *
mailin_voter_json(struct mctx *c, const struct mrow *m, int64_t member)
{
	sqlite3_stmt *s;
	json_t *w = mailin_window_load(c->st, m->id), *voted, *fb = NULL;
	char h[65];

	if (w == NULL)
		return NULL;
	json_decref(w);
	voted = json_object();
	s = store_prepare(c->st->roll, "SELECT qid, receipt FROM"
	    " mailin_ballots WHERE meeting = ?1 AND member_id = ?2");
	if (s != NULL && store_bind_text(s, 1, m->id) == 0 &&
	    sqlite3_bind_int64(s, 2, member) == SQLITE_OK)
		while (sqlite3_step(s) == SQLITE_ROW) {
			xhex_encode(h, sizeof h, sqlite3_column_blob(s, 1), 32);
			json_object_set_new(voted, (const char *)
			    sqlite3_column_text(s, 0), json_string(h));
		}
	sqlite3_finalize(s);
	s = store_prepare(c->st->roll, "SELECT x.holder_pk, mb.last_name ||"
	    " ' ' || mb.first_name FROM mailin_fallback x JOIN members mb ON"
	    " mb.id = x.holder WHERE x.meeting = ?1 AND x.member_id = ?2"
	    " ORDER BY x.id DESC LIMIT 1");
	if (s != NULL && store_bind_text(s, 1, m->id) == 0 &&
	    sqlite3_bind_int64(s, 2, member) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW) {
		xhex_encode(h, sizeof h, sqlite3_column_blob(s, 0), 32);
		fb = json_pack("{s:s,s:s}", "pk", h, "name",
		    (const char *)sqlite3_column_text(s, 1));
	}
	sqlite3_finalize(s);
	return json_pack("{s:o,s:o}", "voted", voted, "fallback",
	    fb != NULL ? fb : json_null());
}

json_t *
mailin_receipt_json(struct store *st, const char *meeting,
    const uint8_t rc[32], const char *rhex)
{
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT b.qid, b.at,"
	    " o.accepted, o.reason FROM mailin_ballots b LEFT JOIN"
	    " opening_mailin o ON o.meeting = b.meeting AND o.qid = b.qid AND"
	    " o.member_id = b.member_id WHERE b.receipt = ?1 AND b.meeting ="
	    " ?2");
	json_t *o = NULL;

	if (s != NULL && sqlite3_bind_blob(s, 1, rc, 32, SQLITE_TRANSIENT) ==
	        SQLITE_OK && store_bind_text(s, 2, meeting) == 0 &&
	    sqlite3_step(s) == SQLITE_ROW) {
		int opened = sqlite3_column_type(s, 2) != SQLITE_NULL;
		int ok = opened && sqlite3_column_int(s, 2) != 0;
		o = json_pack("{s:s,s:s,s:I,s:b,s:o}", "receipt", rhex,
		    "question", (const char *)sqlite3_column_text(s, 0), "at",
		    (json_int_t)sqlite3_column_int64(s, 1), "mail_in", 1,
		    "accepted", opened ? json_boolean(ok) : json_null());
		if (opened && !ok)
			json_object_set_new(o, "reason", json_string(
			    (const char *)sqlite3_column_text(s, 3)));
	}
	sqlite3_finalize(s);
	return o;
}

/* The standing of voter's fallback mandate held by member on each open
 * question ({qid: {accepted, article, reason?}}). */
static json_t *
mandate_questions(struct mctx *c, const struct mrow *m, int64_t voter,
    int64_t member, const char *article)
{
	sqlite3_stmt *s = store_prepare(c->st->roll, "SELECT o.qid,"
	    " coalesce(o.fallback, 0), o.accepted, o.reason,"
	    " o.fallback_reason, coalesce(json_extract(q.spec, '$.on_agenda'),"
	    " 1) FROM"
	    " opening_mailin o JOIN questions q ON q.meeting = o.meeting AND"
	    " q.qid = o.qid WHERE o.meeting = ?1 AND o.member_id = ?2 AND"
	    " q.status = 'open'");
	json_t *qs = json_object();

	if (s != NULL && store_bind_text(s, 1, m->id) == 0 &&
	    sqlite3_bind_int64(s, 2, voter) == SQLITE_OK)
		while (sqlite3_step(s) == SQLITE_ROW) {
			int ok = sqlite3_column_int64(s, 1) == member;
			const char *why = !sqlite3_column_int(s, 2) ?
			    (const char *)sqlite3_column_text(s, 3) :
			    (const char *)sqlite3_column_text(s, 4);
			json_t *o = json_pack("{s:b,s:s}", "accepted", ok,
			    "article", article);
			/* An agenda motion: the mail-in ballot counts (or the
			 * member came), never the fallback holder. */
			if (!ok)
				json_object_set_new(o, "reason", json_string(
				    why[0] ? why : sqlite3_column_int(s, 5) == 0 ?
				    "not_in_force" : "mail_in_counts"));
			json_object_set_new(qs, (const char *)
			    sqlite3_column_text(s, 0), o);
		}
	sqlite3_finalize(s);
	return qs;
}

void
mailin_mandates_add(struct mctx *c, const struct mrow *m, int64_t member,
    json_t *a)
{
	const struct pr_body *b = m_body(c, m);
	sqlite3_stmt *s;
	char h[65];

	if (b == NULL || !b->mail_in.fallback_proxy)
		return;
	/* Each mail-in voter whose last statement names member. */
	s = store_prepare(c->st->roll, "SELECT x.pk, mb.last_name || ' ' ||"
	    " mb.first_name, x.member_id FROM mailin_fallback x JOIN members"
	    " mb ON mb.id = x.member_id WHERE x.meeting = ?1 AND x.holder ="
	    " ?2 AND x.id = (SELECT max(y.id) FROM mailin_fallback y WHERE"
	    " y.meeting = x.meeting AND y.member_id = x.member_id) AND EXISTS"
	    " (SELECT 1 FROM mailin_ballots k WHERE k.meeting = x.meeting AND"
	    " k.member_id = x.member_id) ORDER BY x.id");
	if (s != NULL && store_bind_text(s, 1, m->id) == 0 &&
	    sqlite3_bind_int64(s, 2, member) == SQLITE_OK)
		while (sqlite3_step(s) == SQLITE_ROW) {
			xhex_encode(h, sizeof h, sqlite3_column_blob(s, 0), 32);
			json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:o}",
			    "voice", h, "kind", "fallback", "name",
			    (const char *)sqlite3_column_text(s, 1),
			    "questions", mandate_questions(c, m,
			    sqlite3_column_int64(s, 2), member,
			    b->mail_in.src.article)));
		}
	sqlite3_finalize(s);
}

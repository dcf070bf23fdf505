/*
 * mailin_vote.c — mail-in ballots and the fallback holder (vote par
 * correspondance, ANIMT art. V, APROGEMERE; docs/record.md §4
 * mailin.fallback, mailin.ballot, §7 "Mail-in ballots"): during the
 * window server/mailin.c opened, a member names the fallback holder who
 * will vote for them on the motions added on the day (api_mailin_fallback,
 * where the statutes provide for one) and casts one ballot per published
 * motion (api_mailin_ballot, the ballot body of protocol §5 signed by
 * their own key). The statutes engine then sees them as mail-in voters
 * (mailin_facts_load, with every standing and count); at each question's
 * opening their standing is kept (mailin_opening_store: a mail-in voter
 * present there is refused, giver_present, and votes in the room); at
 * the close, the ballots of those it accepted join the count
 * (mailin_close_add), and a room ballot of such a voice is refused
 * (mailin_room_check).
 *
 * Trusts the store, the statutes engine and the record's check on write
 * (scrutin-verify's rules, audit/verify_mailin.c). Requests are
 * untrusted: the statement and the ballot are verified against the
 * member's credential before anything is written.
 *
 * Invariants: each accepted statement or ballot is one transaction with
 * its record line, nothing written when refused; one mail-in ballot per
 * member and question (PRIMARY KEY); only within the window, before the
 * meeting starts; a published motion's spec keeps every published field
 * (mailin_spec_check), so the opening carries the published text.
 */
#include "server/meeting_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/outcome.h"
#include "crypto/hex.h"
#include "crypto/scrutin_crypto.h"
#include "server/record.h"
#include "server/store.h"

/* ---- the window ---- */

json_t *
mailin_window_load(struct store *st, const char *meeting)
{
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT line FROM events"
	    " WHERE meeting = ?1 AND kind = 'mailin.opened'");
	json_t *ev = NULL, *p = NULL;

	if (s != NULL && store_bind_text(s, 1, meeting) == 0 &&
	    sqlite3_step(s) == SQLITE_ROW &&
	    (ev = json_loads((const char *)sqlite3_column_text(s, 0), 0,
	    NULL)) != NULL)
		p = json_incref(json_object_get(ev, "payload"));
	json_decref(ev);
	sqlite3_finalize(s);
	return p;
}

/* The published payload of qid in window w (borrowed), or NULL. */
static const json_t *
window_question(const json_t *w, const char *qid)
{
	const json_t *e;
	size_t i;

	json_array_foreach(json_object_get(w, "questions"), i, e) {
		const char *id = json_string_value(json_object_get(e, "qid"));
		if (id != NULL && strcmp(id, qid) == 0)
			return e;
	}
	return NULL;
}

int
mailin_question_published(struct store *st, const char *meeting,
    const char *qid)
{
	json_t *w = mailin_window_load(st, meeting);
	int pub = w != NULL && window_question(w, qid) != NULL;

	json_decref(w);
	return pub;
}

/* The statutes admit a mail-in vote, the window is open now and the
 * meeting not started: the window (owned; OUT *ts, *closes), or NULL
 * with r. */
static json_t *
window_open(struct mctx *c, const struct mrow *m, struct mreply *r)
{
	const struct pr_body *b = m_body(c, m);
	json_t *w;
	json_int_t closes;

	if (b == NULL || !b->mail_in.allowed) {
		mr_err_article(r, "mailin_not_allowed", NULL,
		    b != NULL ? b->mail_in.src.article : NULL);
		return NULL;
	}
	if ((w = mailin_window_load(c->st, m->id)) == NULL) {
		mr_err(r, strcmp(m->status, "convened") == 0 ?
		    "mailin_not_open" : "mailin_closed", NULL);
		return NULL;
	}
	closes = json_integer_value(json_object_get(w, "closes_at"));
	if (strcmp(m->status, "convened") != 0 ||
	    (json_int_t)now_unix() > closes) {
		json_decref(w);
		mr_err(r, "mailin_closed", NULL);
		return NULL;
	}
	return w;
}

int
mailin_spec_check(struct store *st, const char *meeting, const char *qid,
    const json_t *spec, struct mreply *r)
{
	json_t *w = mailin_window_load(st, meeting), *p = NULL;
	const json_t *pub = w != NULL ? window_question(w, qid) : NULL;
	const char *key = NULL;
	const json_t *val;
	int missing = 0, rc = 0;

	if (pub == NULL)
		goto out;
	if ((p = record_question_payload(st, meeting, qid, spec,
	    &missing)) == NULL) {
		mr_err(r, "unavailable", NULL);
		rc = -1;
		goto out;
	}
	json_object_foreach((json_t *)pub, key, val)
		if (!json_equal(val, json_object_get(p, key)))
			goto differs;
	json_object_foreach(p, key, val)
		if (json_object_get(pub, key) == NULL &&
		    !audit_mailin_added_ok(key))
			goto differs;
	goto out;
differs:
	mr_err(r, "mailin_published", key);
	rc = -1;
out:
	json_decref(p);
	json_decref(w);
	return rc;
}

/* ---- the engine's facts ---- */

int
mailin_facts_load(struct store *st, const struct mrow *m, struct facts *f)
{
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT DISTINCT"
	    " b.member_id, (SELECT holder FROM mailin_fallback x WHERE"
	    " x.meeting = b.meeting AND x.member_id = b.member_id ORDER BY"
	    " x.id DESC LIMIT 1) FROM mailin_ballots b WHERE b.meeting = ?1"
	    " ORDER BY b.member_id");
	size_t cap = 0;
	int got;

	f->n_mail = 0;
	if (s == NULL || store_bind_text(s, 1, m->id) != 0) {
		sqlite3_finalize(s);
		return -1;
	}
	while ((got = sqlite3_step(s)) == SQLITE_ROW) {
		size_t i = facts_index(f, sqlite3_column_int64(s, 0)), h;
		if (i == SIZE_MAX)
			continue;	/* not on this roll (a draft's) */
		if (f->n_mail == cap) {
			cap = cap ? 2 * cap : 8;
			f->mail = xreallocarray(f->mail, cap, sizeof *f->mail);
			f->mail_member = xreallocarray(f->mail_member, cap,
			    sizeof *f->mail_member);
		}
		memset(&f->mail[f->n_mail], 0, sizeof f->mail[f->n_mail]);
		f->mail[f->n_mail].voter = f->members[i].id;
		h = sqlite3_column_type(s, 1) == SQLITE_NULL ? SIZE_MAX :
		    facts_index(f, sqlite3_column_int64(s, 1));
		f->mail[f->n_mail].fallback_holder = h != SIZE_MAX ?
		    f->members[h].id : NULL;
		f->mail_member[f->n_mail++] = f->member_ids[i];
	}
	sqlite3_finalize(s);
	return got == SQLITE_DONE ? 0 : -1;
}

void
mailin_facts_meeting(const struct facts *f, struct ct_meeting *cm)
{
	cm->n_mail_in = f->n_mail;
	cm->mail_in = f->mail;
}

int
mailin_opening_store(struct store *st, const struct mrow *m,
    const char *qid, const struct facts *f, const struct ct_result *res)
{
	sqlite3_stmt *s = NULL;

	for (size_t k = 0; k < f->n_mail; k++) {
		const struct ct_mail_standing *ms = &res->mail_in[k];
		sqlite3_finalize(s);
		s = store_prepare(st->roll, "INSERT INTO opening_mailin("
		    "meeting, qid, member_id, accepted, reason) VALUES (?1,"
		    " ?2, ?3, ?4, ?5)");
		if (s == NULL || store_bind_text(s, 1, m->id) != 0 ||
		    store_bind_text(s, 2, qid) != 0 ||
		    sqlite3_bind_int64(s, 3, f->mail_member[k]) != SQLITE_OK ||
		    sqlite3_bind_int(s, 4, ms->accepted) != SQLITE_OK ||
		    store_bind_text(s, 5, ms->accepted ? "" :
		        ct_reason_code(ms->reason)) != 0 ||
		    sqlite3_step(s) != SQLITE_DONE) {
			sqlite3_finalize(s);
			return -1;
		}
	}
	sqlite3_finalize(s);
	return 0;
}

/* The mail-in ballots that count on qid (the engine accepted their
 * voter at the opening), in the order cast. */
#define COUNTED_SQL "SELECT b.body FROM mailin_ballots b JOIN opening_mailin"\
	" o ON o.meeting = b.meeting AND o.qid = b.qid AND o.member_id ="\
	" b.member_id AND o.accepted = 1 WHERE b.meeting = ?1 AND b.qid = ?2"\
	" ORDER BY b.rowid"

int
mailin_close_add(struct store *st, const struct mrow *m,
    const struct qrow *q, uint8_t *totals, uint64_t *counts, int64_t *n)
{
	sqlite3_stmt *s = store_prepare(st->roll, COUNTED_SQL);
	int rc = -1, got;

	if (s == NULL || store_bind_text(s, 1, m->id) != 0 ||
	    store_bind_text(s, 2, q->qid) != 0)
		goto out;
	while ((got = sqlite3_step(s)) == SQLITE_ROW) {
		(*n)++;
		if (close_ballot_add(q, sqlite3_column_blob(s, 0),
		    (size_t)sqlite3_column_bytes(s, 0), totals, counts) != 0)
			goto out;
	}
	rc = got == SQLITE_DONE ? 0 : -1;
out:
	sqlite3_finalize(s);
	return rc;
}

int
mailin_room_check(struct store *st, const struct mrow *m, const char *qid,
    int64_t voice, struct mreply *r)
{
	sqlite3_stmt *s = store_cached(st, st->roll, "SELECT 1 FROM"
	    " mailin_ballots b JOIN opening_mailin o ON o.meeting = b.meeting"
	    " AND o.qid = b.qid AND o.member_id = b.member_id AND"
	    " o.accepted = 1 WHERE b.meeting = ?1 AND b.qid = ?2 AND"
	    " b.member_id = ?3");
	int found = s == NULL || store_bind_text(s, 1, m->id) != 0 ||
	    store_bind_text(s, 2, qid) != 0 ||
	    sqlite3_bind_int64(s, 3, voice) != SQLITE_OK ||
	    sqlite3_step(s) == SQLITE_ROW;

	store_release(st, s);
	if (found)
		mr_err(r, "voted_by_mail", NULL);
	return found ? -1 : 0;
}

/* ---- the member's fallback holder ---- */

/* Inside the transaction the caller began: steps s (bound: its values
 * bound), appends the record line kind with payload p and commits; rolls
 * back otherwise. Finalizes s and releases p. 0, or -1. */
static int
commit_with_line(struct store *st, const struct mrow *m, sqlite3_stmt *s,
    int bound, const char *kind, json_t *p)
{
	int ok = bound && sqlite3_step(s) == SQLITE_DONE &&
	    store_record_append(st, m->id, kind, p) == 0 &&
	    store_commit(st) == 0;

	sqlite3_finalize(s);
	json_decref(p);
	if (!ok)
		store_rollback(st);
	return ok ? 0 : -1;
}

struct fallback_req {
	uint8_t pk[32], holder[32], sig[64];
	uint64_t ts;
};

/* S_mailin_fallback against the member's key (docs/record.md §5). */
static int
fallback_verify(const struct mrow *m, const struct fallback_req *d)
{
	uint8_t buf[256];
	framebuf fb;

	stmt_begin(&fb, buf, sizeof buf, "mailin-fallback");
	stmt_str(&fb, m->id);
	framebuf_field(&fb, d->pk, 32);
	framebuf_field(&fb, d->holder, 32);
	framebuf_field_u64(&fb, d->ts);
	return stmt_verify(&fb, d->pk, d->sig);
}

/* The time of the member's last fallback statement, or 0. */
static uint64_t
fallback_last(struct store *st, const char *meeting, int64_t member)
{
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT max(ts) FROM"
	    " mailin_fallback WHERE meeting = ?1 AND member_id = ?2");
	uint64_t ts = 0;

	if (s != NULL && store_bind_text(s, 1, meeting) == 0 &&
	    sqlite3_bind_int64(s, 2, member) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		ts = (uint64_t)sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return ts;
}

/* The row and its record line, one transaction. */
static int
fallback_store(struct store *st, const struct mrow *m,
    const struct fallback_req *d, int64_t member, int64_t holder,
    uint64_t at)
{
	sqlite3_stmt *s = NULL;
	char pk[65], hk[65], sig[129];
	json_t *p;
	int ok;

	xhex_encode(pk, sizeof pk, d->pk, 32);
	xhex_encode(hk, sizeof hk, d->holder, 32);
	xhex_encode(sig, sizeof sig, d->sig, 64);
	p = json_pack("{s:s,s:s,s:I,s:s}", "pk", pk, "holder", hk, "ts",
	    (json_int_t)d->ts, "sig", sig);
	if (p == NULL || store_begin(st) != 0) {
		json_decref(p);
		return -1;
	}
	s = store_prepare(st->roll, "INSERT INTO mailin_fallback(meeting,"
	    " member_id, holder, pk, holder_pk, ts, sig, at) VALUES (?1, ?2,"
	    " ?3, ?4, ?5, ?6, ?7, ?8)");
	ok = s != NULL && store_bind_text(s, 1, m->id) == 0 &&
	    sqlite3_bind_int64(s, 2, member) == SQLITE_OK &&
	    sqlite3_bind_int64(s, 3, holder) == SQLITE_OK &&
	    sqlite3_bind_blob(s, 4, d->pk, 32, SQLITE_TRANSIENT) == SQLITE_OK &&
	    sqlite3_bind_blob(s, 5, d->holder, 32, SQLITE_TRANSIENT) ==
	        SQLITE_OK &&
	    sqlite3_bind_int64(s, 6, (sqlite3_int64)d->ts) == SQLITE_OK &&
	    sqlite3_bind_blob(s, 7, d->sig, 64, SQLITE_TRANSIENT) == SQLITE_OK &&
	    sqlite3_bind_int64(s, 8, (sqlite3_int64)at) == SQLITE_OK;
	return commit_with_line(st, m, s, ok, "mailin.fallback", p);
}

void
api_mailin_fallback(struct mctx *c, const struct mrow *m,
    const struct api_call *call, struct mreply *r)
{
	static const char *keys[] = { "pk", "holder", "ts", "sig" };
	const struct pr_body *b = m_body(c, m);
	struct fallback_req d;
	json_t *doc = NULL, *w = NULL;
	const char *code;
	int64_t member, holder;
	int voter;
	uint64_t at = now_unix();

	if (mj_parse(call->body, call->len, keys, 4, &doc, r) != 0 ||
	    mj_hex(doc, "pk", d.pk, 32, r) != 0 ||
	    mj_hex(doc, "holder", d.holder, 32, r) != 0 ||
	    mj_u64(doc, "ts", UINT32_MAX * 4ull, &d.ts, r) != 0 ||
	    mj_hex(doc, "sig", d.sig, 64, r) != 0 ||
	    (w = window_open(c, m, r)) == NULL)
		goto out;
	if (!b->mail_in.fallback_proxy) {
		mr_err_article(r, "mailin_no_fallback", NULL,
		    b->mail_in.src.article);
		goto out;
	}
	/* Within the window as the verifier reads the statement's time. */
	if (!ts_fresh(d.ts) || (json_int_t)d.ts < json_integer_value(
	    json_object_get(w, "ts")) || (json_int_t)d.ts >
	    json_integer_value(json_object_get(w, "closes_at"))) {
		mr_err(r, "stale_timestamp", NULL);
		goto out;
	}
	if ((code = voice_lookup(c->st, m->id, d.pk, &member, &voter)) !=
	    NULL) {
		mr_err(r, code, NULL);
		goto out;
	}
	if (fallback_verify(m, &d) != 0) {
		mr_err(r, "bad_signature", NULL);
		goto out;
	}
	if (voice_lookup(c->st, m->id, d.holder, &holder, &voter) != NULL ||
	    !voter) {
		mr_err(r, "holder_unknown", "holder");
		goto out;
	}
	if (holder == member) {
		mr_err(r, "proxy_self", "holder");
		goto out;
	}
	if (d.ts <= fallback_last(c->st, m->id, member)) {
		mr_err(r, "stale_timestamp", NULL);
		goto out;
	}
	if (fallback_store(c->st, m, &d, member, holder, at) != 0) {
		mr_err(r, "unavailable", NULL);
		goto out;
	}
	mr_ok(r, json_pack("{s:s,s:I}", "fallback", "named", "at",
	    (json_int_t)at));
out:
	json_decref(w);
	json_decref(doc);
}

/* ---- the member's mail-in ballots ---- */

/* The ballot's row and its record line, one transaction. */
static int
ballot_store(struct store *st, const struct mrow *m,
    const struct ballot_job *j, int64_t member)
{
	sqlite3_stmt *s;
	char *body = xmalloc(2 * j->body_len + 1), sig[129], rc[65];
	json_t *p;
	int ok;

	xhex_encode(body, 2 * j->body_len + 1, j->body, j->body_len);
	xhex_encode(sig, sizeof sig, j->sig, 64);
	xhex_encode(rc, sizeof rc, j->receipt, 32);
	p = json_pack("{s:s,s:s,s:s,s:s,s:I}", "qid", j->qid, "body", body,
	    "sig", sig, "receipt", rc, "ts", (json_int_t)j->at);
	free(body);
	if (p == NULL || store_begin(st) != 0) {
		json_decref(p);
		return -1;
	}
	s = store_prepare(st->roll, "INSERT INTO mailin_ballots(meeting, qid,"
	    " member_id, voice, receipt, secret, body, sig, at) VALUES (?1,"
	    " ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
	ok = s != NULL && store_bind_text(s, 1, m->id) == 0 &&
	    store_bind_text(s, 2, j->qid) == 0 &&
	    sqlite3_bind_int64(s, 3, member) == SQLITE_OK &&
	    sqlite3_bind_blob(s, 4, j->voice, 32, SQLITE_TRANSIENT) ==
	        SQLITE_OK &&
	    sqlite3_bind_blob(s, 5, j->receipt, 32, SQLITE_TRANSIENT) ==
	        SQLITE_OK &&
	    sqlite3_bind_int(s, 6, j->secret) == SQLITE_OK &&
	    sqlite3_bind_blob(s, 7, j->body, (int)j->body_len,
	        SQLITE_TRANSIENT) == SQLITE_OK &&
	    sqlite3_bind_blob(s, 8, j->sig, 64, SQLITE_TRANSIENT) == SQLITE_OK &&
	    sqlite3_bind_int64(s, 9, (sqlite3_int64)j->at) == SQLITE_OK;
	return commit_with_line(st, m, s, ok, "mailin.ballot", p);
}

/* The voice of j: a voter of the frozen roll signing for itself, who
 * named a fallback holder where the statutes provide for one and has no
 * mail-in ballot on the question yet. OUT *member. 0, or -1 with r. */
static int
ballot_voice(struct mctx *c, const struct mrow *m, const struct pr_body *b,
    const struct ballot_job *j, int64_t *member, struct mreply *r)
{
	sqlite3_stmt *s;
	const char *code;
	int voter, found;

	if ((code = voice_lookup(c->st, m->id, j->voice, member, &voter)) !=
	    NULL) {
		mr_err(r, code, NULL);
		return -1;
	}
	if (!voter) {
		mr_err(r, "not_eligible", NULL);
		return -1;
	}
	if (memcmp(j->voice, j->signer, 32) != 0) {
		mr_err(r, "mailin_own_voice", NULL);
		return -1;
	}
	if (b->mail_in.fallback_proxy &&
	    fallback_last(c->st, m->id, *member) == 0) {
		mr_err_article(r, "mailin_fallback_missing", NULL,
		    b->mail_in.src.article);
		return -1;
	}
	s = store_prepare(c->st->roll, "SELECT 1 FROM mailin_ballots WHERE"
	    " meeting = ?1 AND qid = ?2 AND member_id = ?3");
	found = s == NULL || store_bind_text(s, 1, m->id) != 0 ||
	    store_bind_text(s, 2, j->qid) != 0 ||
	    sqlite3_bind_int64(s, 3, *member) != SQLITE_OK ||
	    sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	if (found) {
		mr_err(r, "already_voted", NULL);
		return -1;
	}
	return 0;
}

void
api_mailin_ballot(struct mctx *c, const struct mrow *m,
    const struct api_call *call, struct mreply *r)
{
	static const char *keys[] = { "question", "?body", "sig",
		"?selection", "?voice", "?signer", "?hints" };
	json_t *doc = NULL, *w = NULL;
	struct ballot_job *j = NULL;
	struct qrow q = { 0 };
	const char *qid;
	int64_t member;
	int rc_qd;

	if (mj_parse(call->body, call->len, keys, 7, &doc, r) != 0 ||
	    mj_str(doc, "question", 64, &qid, r) != 0 ||
	    (w = window_open(c, m, r)) == NULL)
		goto out;
	if (window_question(w, qid) == NULL ||
	    q_load(c->st, m->id, qid, &q) != 0) {
		mr_err(r, "mailin_not_published", "question");
		goto out;
	}
	if ((rc_qd = q_digest_set(c, m->id, &q)) != 0) {
		mr_err(r, rc_qd > 0 ? "question_not_recorded" : "unavailable",
		    NULL);
		goto out;
	}
	j = xcalloc(1, sizeof *j);
	if (meeting_ballot_read(doc, m, &q, j, r) != 0 ||
	    ballot_voice(c, m, m_body(c, m), j, &member, r) != 0)
		goto out;
	meeting_ballot_verify(j);
	if (j->verdict != 0) {
		mr_err(r, j->code, NULL);
		goto out;
	}
	j->at = now_unix();
	if (ballot_store(c->st, m, j, member) != 0) {
		mr_err(r, "unavailable", NULL);
		goto out;
	}
	ballot_ack(c, j, r);
out:
	q_free(&q);
	meeting_ballot_free(j);
	json_decref(w);
	json_decref(doc);
}

/* ---- the fallback holder on a motion added on the day ---- */

/* Whether the engine may give q's mail-in voices to fallback holders. */
static bool
fallback_question(const struct profile *p, const struct mrow *m,
    const struct qrow *q)
{
	const struct pr_body *b = profile_body_find(p, m->body);

	return b != NULL && b->mail_in.fallback_proxy && !q->election &&
	    json_is_false(json_object_get(q->spec, "on_agenda"));
}

int
mailin_fallback_opening(const struct profile *p, struct store *st,
    const struct mrow *m, const struct qrow *q, const struct facts *f,
    const struct ct_meeting *cm)
{
	struct ct_question cq;
	struct ct_result res;
	struct st_msg err;
	const char *rec[100];
	sqlite3_stmt *s = NULL;
	int rc = -1;

	if (f->n_mail == 0 || !fallback_question(p, m, q))
		return 0;
	/* As the verifier asks it at this opening (audit_fallback_compute):
	 * the question with its recused members, no ballot read. */
	q_ct_question(p, m->body, q->qid, q->spec, &cq);
	q_ct_recused(q->spec, rec, sizeof rec / sizeof rec[0], &cq);
	cq.has_totals = true;
	if (ct_count(p, cm, &cq, 1, &res, &err) != 0) {
		log_warn("fallback proxies at the opening of %s: %s", q->qid,
		    err.en);
		return -1;
	}
	for (size_t k = 0; k < f->n_mail; k++) {
		const struct ct_question_result *qr = &res.questions[0];
		size_t h = qr->fallback != NULL ? qr->fallback[k] : CT_NONE;
		const char *why = "";
		for (size_t i = 0; i < qr->n_refusals; i++)
			if (strcmp(cm->members[qr->refusals[i].member].id,
			    f->mail[k].voter) == 0)
				why = ct_reason_code(qr->refusals[i].reason);
		sqlite3_finalize(s);
		s = store_prepare(st->roll, "UPDATE opening_mailin SET"
		    " fallback = ?4, fallback_reason = ?5 WHERE meeting = ?1"
		    " AND qid = ?2 AND member_id = ?3");
		if (s == NULL || store_bind_text(s, 1, m->id) != 0 ||
		    store_bind_text(s, 2, q->qid) != 0 ||
		    sqlite3_bind_int64(s, 3, f->mail_member[k]) != SQLITE_OK ||
		    (h != CT_NONE && h < f->n ? sqlite3_bind_int64(s, 4,
		        f->member_ids[h]) : sqlite3_bind_null(s, 4)) !=
		        SQLITE_OK ||
		    store_bind_text(s, 5, why) != 0 ||
		    sqlite3_step(s) != SQLITE_DONE)
			goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(s);
	ct_result_free(&res);
	return rc;
}

int
mailin_fallback_check(struct mctx *c, const struct mrow *m, const char *qid,
    int64_t voice, int64_t signer, struct mreply *r)
{
	const struct pr_body *b = m_body(c, m);
	sqlite3_stmt *s = store_cached(c->st, c->st->roll, "SELECT o.fallback,"
	    " CASE o.accepted WHEN 1 THEN o.fallback_reason ELSE o.reason"
	    " END, o.accepted, (SELECT holder FROM"
	    " mailin_fallback x WHERE x.meeting = o.meeting AND x.member_id ="
	    " o.member_id ORDER BY x.id DESC LIMIT 1) FROM opening_mailin o"
	    " WHERE o.meeting = ?1 AND o.qid = ?2 AND o.member_id = ?3");
	char why[40] = "";
	int rc = 0;

	if (s == NULL || store_bind_text(s, 1, m->id) != 0 ||
	    store_bind_text(s, 2, qid) != 0 ||
	    sqlite3_bind_int64(s, 3, voice) != SQLITE_OK) {
		mr_err(r, "unavailable", NULL);
		rc = -1;
	} else if (sqlite3_step(s) == SQLITE_ROW &&
	    sqlite3_column_int64(s, 3) == signer) {
		/* signer is the holder voice named: the engine's word. */
		if (sqlite3_column_type(s, 0) != SQLITE_NULL &&
		    sqlite3_column_int64(s, 0) == signer)
			rc = 1;
		else {
			snprintf(why, sizeof why, "%s", (const char *)
			    sqlite3_column_text(s, 1));
			mr_err_article(r, why[0] ? proxy_reason_error(why) :
			    "mailin_fallback_refused", NULL, b != NULL ?
			    b->mail_in.src.article : NULL);
			if (r->doc != NULL)
				json_object_set_new(r->doc, "reason",
				    json_string(why[0] ? why : "not_added_on_the_day"));
			rc = -1;
		}
	}
	store_release(c->st, s);
	return rc;
}

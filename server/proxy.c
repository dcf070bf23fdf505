/*
 * proxy.c — digital proxies (procurations): a member gives one to
 * another member of the frozen roll, or withdraws it, by a statement
 * signed with the member's credential (docs/record.md §5 S_proxy,
 * S_withdraw; api_proxy), written to the record as a "proxy" or
 * "proxy.withdrawn" event; the members a member may name (api_holders);
 * at each question's opening the statutes engine's standing of every
 * proxy in force (proxy_opening: cap, holder present, first given first
 * counted), kept for the ballots and the count; the check of a ballot
 * cast under a proxy (proxy_ballot_check) and a voice's mandates
 * (proxy_mandates_json).
 *
 * Trusts the store and the statutes engine (ballot-formats/count.h),
 * through the same reading of a proxy as the verifier's
 * (audit_proxy_engine): the standing kept at the opening is the one
 * scrutin-verify recomputes there. A request is untrusted: its statement
 * is checked against the giver's credential (the server cannot give a
 * proxy for a member) and its time against the server's clock; its form
 * (channel, the deadline before the meeting's starts_at) is read as the
 * verifier reads it (audit_proxy_form), on the statement's time and on
 * the server's clock. The desk's paper proxies (proxy_paper.c) share the
 * storage, the checks and the standing here.
 *
 * Invariants: a giver has at most one proxy in force (UNIQUE index), to
 * another member of the roll with an active credential; a proxy or a
 * withdrawal is one transaction with its event and its record line, and
 * nothing is written when it is refused; a ballot signed by another
 * member than its voice is accepted only under the voice's current proxy
 * to the signer that the engine accepted at the question's opening.
 */
#include "server/meeting_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/outcome.h"
#include "server/record.h"
#include "server/store.h"

const char *
proxy_reason_error(const char *reason)
{
	if (strcmp(reason, "over_cap") == 0)
		return "proxy_over_cap";
	if (strcmp(reason, "holder_absent") == 0)
		return "proxy_holder_absent";
	if (strcmp(reason, "giver_present") == 0)
		return "proxy_giver_present";
	return "proxy_refused";
}

/* The body's proxy rules, or NULL. */
static const struct pr_proxies *
proxy_rules(struct mctx *c, const struct mrow *m)
{
	const struct pr_body *b = m_body(c, m);

	return b != NULL ? &b->proxies : NULL;
}

/* ---- giving and withdrawing ---- */

static int
proxy_decode(const struct api_call *call, json_t **doc,
    struct proxy_req *p, struct mreply *r)
{
	static const char *keys[] = { "action", "giver", "holder", "ts",
		"sig" };
	const char *action;

	if (mj_parse(call->body, call->len, keys, 5, doc, r) != 0 ||
	    mj_str(*doc, "action", 16, &action, r) != 0 ||
	    mj_hex(*doc, "giver", p->giver, 32, r) != 0 ||
	    mj_hex(*doc, "holder", p->holder, 32, r) != 0 ||
	    mj_u64(*doc, "ts", UINT32_MAX * 4ull, &p->ts, r) != 0 ||
	    mj_hex(*doc, "sig", p->sig, 64, r) != 0)
		return -1;
	p->give = strcmp(action, "give") == 0;
	if (!p->give && strcmp(action, "withdraw") != 0) {
		mr_err(r, "invalid_field", "action");
		return -1;
	}
	return 0;
}

/* S_proxy or S_withdraw (docs/record.md §5) against the giver's key. */
static int
proxy_verify(const struct mrow *m, const struct proxy_req *p)
{
	uint8_t buf[256];
	framebuf fb;

	stmt_begin(&fb, buf, sizeof buf, p->give ? "proxy" : "proxy-withdraw");
	stmt_str(&fb, m->id);
	framebuf_field(&fb, p->giver, 32);
	framebuf_field(&fb, p->holder, 32);
	framebuf_field_u64(&fb, p->ts);
	return stmt_verify(&fb, p->giver, p->sig);
}

int64_t
proxy_current(struct store *st, const char *meeting, int64_t giver,
    int64_t *holder)
{
	/* On the ballot path (proxy_ballot_check): prepared once. */
	sqlite3_stmt *s = store_cached(st, st->roll, "SELECT id, holder FROM"
	    " proxies WHERE meeting = ?1 AND giver = ?2 AND withdrawn_at IS"
	    " NULL");
	int64_t id = 0;

	if (s != NULL && store_bind_text(s, 1, meeting) == 0 &&
	    sqlite3_bind_int64(s, 2, giver) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW) {
		id = sqlite3_column_int64(s, 0);
		*holder = sqlite3_column_int64(s, 1);
	}
	store_release(st, s);
	return id;
}

int
proxy_store(struct store *st, const struct mrow *m,
    const struct proxy_req *p, int64_t giver, int64_t holder, int64_t cur,
    uint64_t at)
{
	sqlite3_stmt *s = NULL;
	json_t *rp = NULL, *ev = NULL;
	char gh[65], hh[65], sh[129];
	int rc = -1;

	if (store_begin(st) != 0)
		return -1;
	if (p->give) {
		s = store_prepare(st->roll, "INSERT INTO proxies(meeting,"
		    " giver, holder, giver_pk, holder_pk, ts, sig, at, channel)"
		    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
		if (s == NULL || store_bind_text(s, 1, m->id) != 0 ||
		    sqlite3_bind_int64(s, 2, giver) != SQLITE_OK ||
		    sqlite3_bind_int64(s, 3, holder) != SQLITE_OK ||
		    sqlite3_bind_blob(s, 4, p->giver, 32, SQLITE_TRANSIENT) !=
		        SQLITE_OK ||
		    sqlite3_bind_blob(s, 5, p->holder, 32, SQLITE_TRANSIENT) !=
		        SQLITE_OK ||
		    sqlite3_bind_int64(s, 6, (sqlite3_int64)p->ts) !=
		        SQLITE_OK ||
		    sqlite3_bind_blob(s, 7, p->sig, 64, SQLITE_TRANSIENT) !=
		        SQLITE_OK ||
		    sqlite3_bind_int64(s, 8, (sqlite3_int64)at) != SQLITE_OK ||
		    store_bind_text(s, 9, p->paper ? "paper" : "digital") != 0)
			goto fail;
	} else {
		s = store_prepare(st->roll, "UPDATE proxies SET withdrawn_at ="
		    " ?3 WHERE meeting = ?1 AND id = ?2 AND withdrawn_at IS"
		    " NULL");
		if (s == NULL || store_bind_text(s, 1, m->id) != 0 ||
		    sqlite3_bind_int64(s, 2, cur) != SQLITE_OK ||
		    sqlite3_bind_int64(s, 3, (sqlite3_int64)at) != SQLITE_OK)
			goto fail;
	}
	if (sqlite3_step(s) != SQLITE_DONE || sqlite3_changes(st->roll) != 1)
		goto fail;
	xhex_encode(gh, sizeof gh, p->giver, 32);
	xhex_encode(hh, sizeof hh, p->holder, 32);
	xhex_encode(sh, sizeof sh, p->sig, 64);
	rp = json_pack("{s:s,s:s,s:I,s:s}", "giver", gh, "holder", hh, "ts",
	    (json_int_t)p->ts, "sig", sh);
	ev = json_pack("{s:s,s:s,s:s,s:s,s:I}", "meeting", m->id, "action",
	    p->give ? "give" : "withdraw", "giver", gh, "holder", hh, "ts",
	    (json_int_t)p->ts);
	if (p->paper && rp != NULL && ev != NULL) {
		json_object_set_new(rp, "channel", json_string("paper"));
		json_object_set_new(ev, "channel", json_string("paper"));
	}
	if (rp == NULL || ev == NULL || store_record_append(st, m->id,
	        p->give ? "proxy" : "proxy.withdrawn", rp) != 0 ||
	    store_event_record(st, "proxy", ev, NULL) != 0 ||
	    store_commit(st) != 0)
		goto fail;
	rc = 0;
	goto out;
fail:
	store_rollback(st);
out:
	json_decref(rp);
	json_decref(ev);
	sqlite3_finalize(s);
	return rc;
}

/* The meeting's scheduled start as the verifier reads the record's
 * meeting event ("time", "starts_at"). */
static void
proxy_start(const struct mrow *m, struct audit_start *s)
{
	memset(s, 0, sizeof *s);
	if (m->has_start) {
		s->has = true;
		s->minutes = atoi(m->time) * 60 + atoi(m->time + 3);
		s->at = m->starts_at;
	}
}

/* The deadline's refusal, in the statutes' words: « Les procurations
 * sont closes une demi-heure avant l'assemblée générale (art. 4) ». */
static void
proxy_deadline_err(const struct mrow *m, const struct pr_proxies *x,
    struct mreply *r)
{
	char fr[256], en[256], d[48];
	int ag = strcmp(m->body, "ag") == 0;

	if (x->deadline_minutes == 30)
		snprintf(d, sizeof d, "une demi-heure");
	else if (x->deadline_minutes == 60)
		snprintf(d, sizeof d, "une heure");
	else
		snprintf(d, sizeof d, "%u minutes", x->deadline_minutes);
	snprintf(fr, sizeof fr, "Les procurations sont closes %s avant %s"
	    " (art. %s)", d, ag ? "l'assemblée générale" : "la réunion",
	    x->src.article);
	snprintf(en, sizeof en, "Proxies close %u minutes before the %s"
	    " (art. %s)", x->deadline_minutes, ag ? "general assembly" :
	    "meeting", x->src.article);
	mr_err_detail(r, "proxy_deadline", NULL, fr, en);
	if (r->doc != NULL)
		json_object_set_new(r->doc, "article",
		    json_string(x->src.article));
}

int
proxy_rules_check(struct mctx *c, const struct mrow *m, bool paper,
    uint64_t ts, uint64_t at, struct mreply *r)
{
	const struct pr_proxies *x = proxy_rules(c, m);
	struct audit_start start;
	int32_t day;
	const char *why;

	if (x == NULL || st_date_parse(m->date, &day) != 0) {
		mr_err(r, "unavailable", NULL);
		return -1;
	}
	if (!x->allowed) {
		mr_err_article(r, "proxies_not_allowed", NULL, x->src.article);
		return -1;
	}
	/* The form the verifier checks (audit_proxy_form): the channel,
	 * and the deadline on the statement's time — and on the server's
	 * clock, so that a time set back within the freshness window
	 * gains nothing. */
	proxy_start(m, &start);
	why = audit_proxy_form(x, paper, day, &start, (int64_t)ts);
	if (why == NULL)
		why = audit_proxy_form(x, paper, day, &start, (int64_t)at);
	if (why == NULL)
		return 0;
	if (strcmp(why, "proxy_deadline") == 0)
		proxy_deadline_err(m, x, r);
	else if (strcmp(why, "proxy_channel") == 0)
		mr_err_article(r, paper ? "proxy_paper_channel" :
		    "proxy_channel", NULL, x->src.article);
	else	/* a meeting created before starts_at: no deadline known */
		mr_err_article(r, "proxy_no_start", NULL, x->src.article);
	return -1;
}

int
proxy_phase_check(struct mctx *c, const struct mrow *m, struct mreply *r)
{
	if ((strcmp(m->status, "convened") != 0 &&
	    strcmp(m->status, "live") != 0) || record_exists(c->st, m->id) !=
	    1) {
		mr_err(r, "wrong_phase", NULL);
		return -1;
	}
	return 0;
}

void
api_proxy(struct mctx *c, const struct mrow *m, const struct api_call *call,
    struct mreply *r)
{
	struct proxy_req p = { 0 };
	json_t *doc = NULL;
	const char *code;
	int64_t giver = 0, holder = 0, cur, cur_holder = 0;
	int voter;
	uint64_t at = now_unix();

	if (proxy_decode(call, &doc, &p, r) != 0)
		goto out;
	if (proxy_phase_check(c, m, r) != 0)
		goto out;
	if (!ts_fresh(p.ts)) {
		mr_err(r, "stale_timestamp", NULL);
		goto out;
	}
	/* Given, withdrawn or changed until the deadline (the verifier
	 * checks a proxy's time; a withdrawal's is the server's rule). */
	if (proxy_rules_check(c, m, false, p.ts, at, r) != 0)
		goto out;
	if ((code = voice_lookup(c->st, m->id, p.giver, &giver, &voter)) !=
	    NULL) {
		mr_err(r, code, NULL);
		goto out;
	}
	if (proxy_verify(m, &p) != 0) {
		mr_err(r, "bad_signature", NULL);
		goto out;
	}
	if (voice_lookup(c->st, m->id, p.holder, &holder, &voter) != NULL) {
		mr_err(r, "holder_unknown", "holder");
		goto out;
	}
	if (holder == giver) {
		mr_err(r, "proxy_self", "holder");
		goto out;
	}
	cur = proxy_current(c->st, m->id, giver, &cur_holder);
	if (p.give && cur != 0) {
		mr_err(r, "proxy_exists", NULL);
		goto out;
	}
	if (!p.give && (cur == 0 || cur_holder != holder)) {
		mr_err(r, "proxy_none", NULL);
		goto out;
	}
	if (proxy_store(c->st, m, &p, giver, holder, cur, at) != 0) {
		mr_err(r, "unavailable", NULL);
		goto out;
	}
	part_touch(c, m->id, "");
	mr_ok(r, json_pack("{s:s,s:I}", "proxy", p.give ? "given" :
	    "withdrawn", "at", (json_int_t)at));
out:
	json_decref(doc);
}

/* ---- the members a member may name ---- */

/* The conditions of the body's statutes, for the phone to show before
 * the member confirms: the cap besides one's own voice (null:
 * unlimited), whether the holder must be present, the channels, the
 * article; where the statutes close proxies before the start (Espace+
 * art. 4), the minutes before, the last second a proxy stands
 * (`closes_at`, as the verifier reads it: starts_at − 60·N + 59) and
 * whether that time has passed on the server's clock (`closed`). */
static json_t *
proxy_conditions(const struct pr_proxies *x, const struct mrow *m)
{
	struct audit_start start;
	int32_t day;
	const char *why;
	json_t *o = json_pack("{s:b,s:o,s:b,s:b,s:b,s:b,s:s}", "allowed",
	    x->allowed, "cap", x->cap == PR_UNLIMITED ? json_null() :
	    json_integer(x->cap), "holder_present", x->holder_must_be_present,
	    "digital", (x->channels & PR_CHANNEL_DIGITAL) != 0, "paper",
	    (x->channels & PR_CHANNEL_PAPER) != 0, "deadline", x->deadline,
	    "article", x->src.article);

	if (o == NULL || !x->deadline || !m->has_start ||
	    st_date_parse(m->date, &day) != 0)
		return o;
	proxy_start(m, &start);
	why = audit_proxy_form(x, false, day, &start, (int64_t)now_unix());
	json_object_set_new(o, "deadline_minutes",
	    json_integer(x->deadline_minutes));
	json_object_set_new(o, "closes_at", json_integer((json_int_t)(
	    m->starts_at - 60 * (int64_t)x->deadline_minutes + 59)));
	json_object_set_new(o, "closed", json_boolean(why != NULL &&
	    strcmp(why, "proxy_deadline") == 0));
	return o;
}

json_t *
proxy_conditions_of(struct mctx *c, const struct mrow *m)
{
	const struct pr_proxies *x = proxy_rules(c, m);

	return x != NULL ? proxy_conditions(x, m) : NULL;
}

void
api_holders(struct mctx *c, const struct mrow *m, const struct api_call *call,
    struct mreply *r)
{
	static const char *keys[] = { "pk", "ts", "sig" };
	const struct pr_proxies *x = proxy_rules(c, m);
	uint8_t pk[32], sig[64], buf[256];
	uint64_t ts;
	json_t *doc = NULL, *list, *doc2, *draw;
	sqlite3_stmt *s = NULL;
	framebuf fb;
	int64_t me = 0, cur, cur_holder = 0;
	int voter;
	const char *code;

	if (mj_parse(call->body, call->len, keys, 3, &doc, r) != 0 ||
	    mj_hex(doc, "pk", pk, 32, r) != 0 ||
	    mj_u64(doc, "ts", UINT32_MAX * 4ull, &ts, r) != 0 ||
	    mj_hex(doc, "sig", sig, 64, r) != 0)
		goto out;
	if (!ts_fresh(ts)) {
		mr_err(r, "stale_timestamp", NULL);
		goto out;
	}
	if ((code = voice_lookup(c->st, m->id, pk, &me, &voter)) != NULL) {
		mr_err(r, code, NULL);
		goto out;
	}
	stmt_begin(&fb, buf, sizeof buf, "proxy-holders");
	stmt_str(&fb, m->id);
	framebuf_field(&fb, pk, 32);
	framebuf_field_u64(&fb, ts);
	if (stmt_verify(&fb, pk, sig) != 0) {
		mr_err(r, "bad_signature", NULL);
		goto out;
	}
	if (x == NULL) {
		mr_err(r, "unavailable", NULL);
		goto out;
	}
	/* The voters of the frozen roll with an active credential, by
	 * name, but the member asking. */
	s = store_prepare(c->st->roll, "SELECT m.last_name || ' ' ||"
	    " m.first_name, c.pk, m.id FROM meeting_roll r JOIN members m ON"
	    " m.id = r.member_id JOIN credentials c ON c.meeting = r.meeting"
	    " AND c.member_id = r.member_id AND c.status = 'active' WHERE"
	    " r.meeting = ?1 AND r.voter = 1 AND r.member_id != ?2 ORDER BY"
	    " m.last_name, m.first_name, m.id");
	if (s == NULL || store_bind_text(s, 1, m->id) != 0 ||
	    sqlite3_bind_int64(s, 2, me) != SQLITE_OK) {
		mr_err(r, "unavailable", NULL);
		goto out;
	}
	list = json_array();
	cur = proxy_current(c->st, m->id, me, &cur_holder);
	while (sqlite3_step(s) == SQLITE_ROW) {
		char h[65];
		xhex_encode(h, sizeof h, sqlite3_column_blob(s, 1), 32);
		json_array_append_new(list, json_pack("{s:s,s:s,s:b}", "name",
		    (const char *)sqlite3_column_text(s, 0), "pk", h, "mine",
		    cur != 0 && sqlite3_column_int64(s, 2) == cur_holder));
	}
	doc2 = json_pack("{s:o,s:o,s:b}", "holders", list, "conditions",
	    proxy_conditions(x, m), "given", cur != 0);
	/* Volunteering for an absent holder's proxy, and the draw's word
	 * for this member (Espace+ 4, proxy_draw.c). */
	if ((draw = proxy_draw_json(c, m, pk)) != NULL)
		json_object_set_new(doc2, "draw", draw);
	mr_ok(r, doc2);
out:
	sqlite3_finalize(s);
	json_decref(doc);
}

/* ---- the standing at a question's opening ---- */

void
proxy_facts_free(struct proxy_facts *pf)
{
	free(pf->px);
	free(pf->giver);
	free(pf->holder);
	free(pf->ts);
	free(pf->paper);
	free(pf->redist);
	memset(pf, 0, sizeof *pf);
}

/* pf's arrays grown to hold n + 1 proxies. */
static void
proxy_facts_grow(struct proxy_facts *pf, size_t *cap)
{
	if (pf->n < *cap)
		return;
	*cap = *cap ? *cap * 2 : 16;
	pf->px = xreallocarray(pf->px, *cap, sizeof *pf->px);
	pf->giver = xreallocarray(pf->giver, *cap, sizeof *pf->giver);
	pf->holder = xreallocarray(pf->holder, *cap, sizeof *pf->holder);
	pf->ts = xreallocarray(pf->ts, *cap, sizeof *pf->ts);
	pf->paper = xreallocarray(pf->paper, *cap, sizeof *pf->paper);
	pf->redist = xreallocarray(pf->redist, *cap, sizeof *pf->redist);
}

int
proxy_facts_query(struct store *st, const char *sql, const struct mrow *m,
    const char *qid, const struct facts *f, struct proxy_facts *pf)
{
	sqlite3_stmt *s = store_prepare(st->roll, sql);
	struct audit_start start;
	size_t cap = 0;
	int rc = -1, got;

	memset(pf, 0, sizeof *pf);
	proxy_start(m, &start);
	if (s == NULL || store_bind_text(s, 1, m->id) != 0 ||
	    store_bind_text(s, 2, qid) != 0)
		goto out;
	while ((got = sqlite3_step(s)) == SQLITE_ROW) {
		size_t g = facts_index(f, sqlite3_column_int64(s, 0));
		size_t h = facts_index(f, sqlite3_column_int64(s, 1));
		if (g == SIZE_MAX || h == SIZE_MAX)
			goto out;
		proxy_facts_grow(pf, &cap);
		pf->giver[pf->n] = f->member_ids[g];
		pf->holder[pf->n] = f->member_ids[h];
		pf->ts[pf->n] = sqlite3_column_int64(s, 2);
		pf->paper[pf->n] = strcmp((const char *)sqlite3_column_text(s,
		    3), "paper") == 0;
		audit_proxy_engine(&pf->px[pf->n], f->members[g].id,
		    f->members[h].id, pf->paper[pf->n], f->day, &start,
		    pf->ts[pf->n]);
		/* The president's redistribution (APROGEMERE II). */
		pf->redist[pf->n] = sqlite3_column_int64(s, 4);
		if (pf->redist[pf->n] != 0) {
			size_t t = facts_index(f, pf->redist[pf->n]);
			if (t == SIZE_MAX)
				goto out;
			pf->px[pf->n].redistribute_to = f->members[t].id;
		}
		pf->n++;
	}
	rc = got == SQLITE_DONE ? 0 : -1;
out:
	sqlite3_finalize(s);
	if (rc != 0)
		proxy_facts_free(pf);
	return rc;
}

int
proxy_opening_facts(struct store *st, const struct mrow *m, const char *qid,
    const struct facts *f, struct proxy_facts *pf)
{
	return proxy_facts_query(st, "SELECT giver, holder, ts, channel,"
	    " redist_to FROM opening_proxies WHERE meeting = ?1 AND qid = ?2 ORDER BY ord",
	    m, qid, f, pf);
}

int
proxy_current_facts(struct store *st, const struct mrow *m,
    const struct facts *f, struct proxy_facts *pf)
{
	/* The same columns as at an opening (proxy_facts_query reads the
	 * redistribution, column 4): the live quorum counts a redistributed
	 * mandate under its new holder, as the count will. */
	return proxy_facts_query(st, "SELECT giver, holder, ts, channel, "
	    PROXY_REDIST_SQL " FROM proxies p WHERE meeting = ?1 AND"
	    " withdrawn_at IS NULL AND ?2 IS NOT NULL ORDER BY id", m, "", f,
	    pf);
}

int
proxy_opening(struct mctx *c, struct store *st, const struct mrow *m,
    const struct qrow *q)
{
	const struct profile *p = m_profile(c, st, m->id);
	struct facts f;
	struct ct_meeting cm;
	struct ct_result res;
	struct proxy_facts pf;
	sqlite3_stmt *s = NULL;
	struct st_msg err;
	int rc = -1;

	if (p == NULL || facts_load(st, m, &f) != 0)
		return -1;
	count_opening_attendance(st, m, q, &f);
	if (proxy_facts_query(st, "SELECT giver, holder, ts, channel, "
	    PROXY_REDIST_SQL " FROM proxies p WHERE meeting = ?1 AND"
	    " withdrawn_at IS NULL AND ?2 IS NOT NULL ORDER BY id", m, q->qid,
	    &f, &pf) != 0) {
		facts_free(&f);
		return -1;
	}
	if (pf.n == 0 && f.n_mail == 0) {
		rc = 0;
		goto out_nores;
	}
	facts_meeting(m, &f, &cm);
	cm.n_proxies = pf.n;
	cm.proxies = pf.px;
	/* Refused by the engine: the record's check refuses the opening
	 * just as well (the verifier computes the same standing). */
	if (ct_count(p, &cm, NULL, 0, &res, &err) != 0) {
		log_warn("proxies at the opening of %s: %s", q->qid, err.en);
		goto out_nores;
	}
	for (size_t k = 0; k < pf.n; k++) {
		const struct ct_proxy_standing *ps = &res.proxies[k];
		int ok = ps->accepted && ps->holder != CT_NONE &&
		    ps->holder < f.n;
		sqlite3_finalize(s);
		s = store_prepare(st->roll, "INSERT INTO opening_proxies("
		    "meeting, qid, ord, giver, holder, ts, accepted,"
		    " eff_holder, reason, channel, redist_to) VALUES (?1, ?2,"
		    " ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
		if (s == NULL || store_bind_text(s, 1, m->id) != 0 ||
		    store_bind_text(s, 2, q->qid) != 0 ||
		    sqlite3_bind_int64(s, 3, (sqlite3_int64)k) != SQLITE_OK ||
		    sqlite3_bind_int64(s, 4, pf.giver[k]) != SQLITE_OK ||
		    sqlite3_bind_int64(s, 5, pf.holder[k]) != SQLITE_OK ||
		    sqlite3_bind_int64(s, 6, pf.ts[k]) != SQLITE_OK ||
		    sqlite3_bind_int(s, 7, ok) != SQLITE_OK ||
		    (ok ? sqlite3_bind_int64(s, 8, f.member_ids[ps->holder]) :
		        sqlite3_bind_null(s, 8)) != SQLITE_OK ||
		    store_bind_text(s, 9, ct_reason_code(ps->reason)) != 0 ||
		    store_bind_text(s, 10, pf.paper[k] ? "paper" :
		        "digital") != 0 ||
		    (pf.redist[k] != 0 ? sqlite3_bind_int64(s, 11, pf.redist[k]) :
		        sqlite3_bind_null(s, 11)) != SQLITE_OK ||
		    sqlite3_step(s) != SQLITE_DONE)
			goto out;
	}
	/* The mail-in voters' standing here, and their fallback holders
	 * on a motion added on the day (mailin_vote.c). */
	if (mailin_opening_store(st, m, q->qid, &f, &res) != 0 ||
	    mailin_fallback_opening(p, st, m, q, &f, &cm) != 0)
		goto out;
	rc = 0;
out:
	ct_result_free(&res);
out_nores:
	sqlite3_finalize(s);
	proxy_facts_free(&pf);
	facts_free(&f);
	return rc;
}

/* ---- ballots under a proxy ---- */

/* The proxy given by member giver as it stood at q's opening: its named
 * holder, the member the president had redistributed it to (or 0), the
 * engine's standing (accepted, the effective holder or 0, the reason). */
struct opening_px {
	int64_t holder, redist, eff;
	int accepted;
	char reason[40];
};

/* 1 and *o when giver's proxy was in force at q's opening, else 0. */
static int
opening_standing(struct store *st, const char *meeting, const char *qid,
    int64_t giver, struct opening_px *o)
{
	sqlite3_stmt *s = store_cached(st, st->roll, "SELECT accepted,"
	    " coalesce(eff_holder, 0), reason, holder, coalesce(redist_to,"
	    " 0) FROM opening_proxies WHERE meeting = ?1 AND qid = ?2 AND"
	    " giver = ?3");
	int found = 0;

	if (s != NULL && store_bind_text(s, 1, meeting) == 0 &&
	    store_bind_text(s, 2, qid) == 0 &&
	    sqlite3_bind_int64(s, 3, giver) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW) {
		found = 1;
		o->accepted = sqlite3_column_int(s, 0);
		o->eff = sqlite3_column_int64(s, 1);
		snprintf(o->reason, sizeof o->reason, "%s", (const char *)
		    sqlite3_column_text(s, 2));
		o->holder = sqlite3_column_int64(s, 3);
		o->redist = sqlite3_column_int64(s, 4);
	}
	store_release(st, s);
	return found;
}

/* Whether member signer may vote for member voice's voice (voice !=
 * signer) on qid: NULL, or the error code; *o the standing at the
 * opening. The same three tests as scrutin-verify's (audit/
 * verify_ballot.c ballot_proxy_check), in its order, so that a ballot
 * accepted here never makes the record refuse the close, and the
 * holder's phone (proxy_mandates_json) offers only what is accepted. */
static const char *
mandate_refusal(struct mctx *c, const struct mrow *m, const char *qid,
    int64_t voice, int64_t signer, struct opening_px *o)
{
	int64_t cur_holder = 0;
	int at_opening, drawn;

	at_opening = opening_standing(c->st, m->id, qid, voice, o);
	if (proxy_current(c->st, m->id, voice, &cur_holder) == 0)
		cur_holder = 0;
	/* The signer votes for the voice as the holder named now, the
	 * member the president redistributed the proxy to
	 * (proxy_redistribute.c), or the member the engine's draw gave it
	 * to at the opening, its holder absent (Espace+ 4, proxy_draw.c). */
	drawn = at_opening && o->holder != signer && o->accepted &&
	    o->eff == signer;
	if (cur_holder != signer && !drawn && (cur_holder == 0 ||
	    proxy_redist_current(c->st, m->id, voice) != signer))
		return "no_proxy";
	/* The proxy in force at the opening is the one voted under: not
	 * one given (or given again, to another) since, nor a drawn
	 * mandate whose proxy was withdrawn or changed since. */
	if (!at_opening || (o->holder != signer && o->redist != signer &&
	    !(drawn && o->holder == cur_holder)))
		return "proxy_not_in_force";
	if (!o->accepted || o->eff != signer)
		return proxy_reason_error(o->reason);
	return NULL;
}

int
proxy_ballot_check(struct mctx *c, const struct mrow *m, const char *qid,
    int64_t voice, int64_t signer, struct mreply *r)
{
	const struct pr_proxies *x = proxy_rules(c, m);
	const char *art = x != NULL ? x->src.article : NULL, *code;
	struct opening_px o = { 0 };
	int64_t cur_holder = 0;
	int fb;

	/* The fallback holder of a mail-in voter (mailin_vote.c). */
	if (voice != signer && (fb = mailin_fallback_check(c, m, qid, voice,
	    signer, r)) != 0)
		return fb > 0 ? 0 : -1;
	if (voice == signer) {
		/* The giver's own ballot while the holder votes for him
		 * (one voice: the first ballot would take it). */
		if (opening_standing(c->st, m->id, qid, voice, &o) &&
		    o.accepted && (proxy_current(c->st, m->id, voice,
		    &cur_holder) != 0 ? cur_holder : 0) == o.eff) {
			mr_err_article(r, "represented", NULL, art);
			return -1;
		}
		return 0;
	}
	if ((code = mandate_refusal(c, m, qid, voice, signer, &o)) == NULL)
		return 0;
	if (strcmp(code, "no_proxy") == 0 ||
	    strcmp(code, "proxy_not_in_force") == 0) {
		mr_err(r, code, NULL);
		return -1;
	}
	mr_err_article(r, code, NULL, art);
	if (r->doc != NULL)
		json_object_set_new(r->doc, "reason",
		    json_string(o.accepted ? "reassigned" : o.reason));
	return -1;
}

/* ---- a voice's mandates ---- */

/* Mandate giver (its voice giver_pk, its name) of member, with its
 * standing on each open question (mandate_refusal) and the receipts of
 * the ballots cast for it. */
static json_t *
mandate_json(struct mctx *c, const struct mrow *m, int64_t member,
    int64_t giver, const uint8_t *giver_pk, const char *name)
{
	const struct pr_proxies *x = proxy_rules(c, m);
	json_t *qs = json_object(), *o;
	sqlite3_stmt *q = store_prepare(c->st->roll, "SELECT o.qid FROM"
	    " opening_proxies o JOIN questions q ON q.meeting = o.meeting AND"
	    " q.qid = o.qid WHERE o.meeting = ?1 AND o.giver = ?2 AND"
	    " q.status = 'open'");
	char h[65];

	xhex_encode(h, sizeof h, giver_pk, 32);
	if (q != NULL && store_bind_text(q, 1, m->id) == 0 &&
	    sqlite3_bind_int64(q, 2, giver) == SQLITE_OK)
		while (sqlite3_step(q) == SQLITE_ROW) {
			const char *qid = (const char *)sqlite3_column_text(q,
			    0);
			struct opening_px op = { 0 };
			const char *no = mandate_refusal(c, m, qid, giver,
			    member, &op);
			o = json_pack("{s:b,s:s}", "accepted", no == NULL,
			    "article", x ? x->src.article : "");
			if (no != NULL)
				json_object_set_new(o, "reason", json_string(
				    strcmp(no, "proxy_not_in_force") == 0 ?
				    "not_in_force" : op.accepted ?
				    "reassigned" : op.reason));
			json_object_set_new(qs, qid, o);
		}
	sqlite3_finalize(q);
	return json_pack("{s:s,s:s,s:s,s:o,s:o}", "voice", h, "kind", "proxy",
	    "name", name, "questions", qs, "voted",
	    ballot_receipts_json(c->st, m->id, giver_pk));
}

json_t *
proxy_mandates_json(struct mctx *c, const struct mrow *m, int64_t member,
    const uint8_t pk[32])
{
	/* The proxies member holds now (named, or redistributed to him),
	 * then those the draw gave him at an open question's opening, their
	 * holder absent (Espace+ 4: "drawn"). */
	sqlite3_stmt *s = store_prepare(c->st->roll, "SELECT p.giver_pk,"
	    " mb.last_name || ' ' || mb.first_name, p.giver, 0, p.id FROM"
	    " proxies p JOIN members mb ON mb.id = p.giver WHERE p.meeting ="
	    " ?1 AND coalesce(" PROXY_REDIST_SQL ", p.holder) = ?2 AND"
	    " p.withdrawn_at IS NULL UNION SELECT p.giver_pk, mb.last_name ||"
	    " ' ' || mb.first_name, p.giver, 1, p.id FROM opening_proxies o"
	    " JOIN questions q ON q.meeting = o.meeting AND q.qid = o.qid AND"
	    " q.status = 'open' JOIN proxies p ON p.meeting = o.meeting AND"
	    " p.giver = o.giver AND p.withdrawn_at IS NULL JOIN members mb ON"
	    " mb.id = p.giver WHERE o.meeting = ?1 AND o.eff_holder = ?2 AND"
	    " o.holder != ?2 AND coalesce(" PROXY_REDIST_SQL ", p.holder) !="
	    " ?2 ORDER BY 4, 5");
	json_t *a = json_array(), *o;
	char h[65];

	xhex_encode(h, sizeof h, pk, 32);
	json_array_append_new(a, json_pack("{s:s,s:s}", "voice", h, "kind",
	    "self"));
	if (s == NULL || store_bind_text(s, 1, m->id) != 0 ||
	    sqlite3_bind_int64(s, 2, member) != SQLITE_OK)
		goto out;
	while (sqlite3_step(s) == SQLITE_ROW) {
		o = mandate_json(c, m, member, sqlite3_column_int64(s, 2),
		    sqlite3_column_blob(s, 0), (const char *)
		    sqlite3_column_text(s, 1));
		if (sqlite3_column_int(s, 3))
			json_object_set_new(o, "drawn", json_true());
		json_array_append_new(a, o);
	}
	/* The mail-in voters who named this member their fallback
	 * holder (mailin_view.c). */
	mailin_mandates_add(c, m, member, a);
out:
	sqlite3_finalize(s);
	return a;
}

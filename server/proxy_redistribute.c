/*
 * proxy_redistribute.c — the president's redistribution of the proxies
 * he holds (APROGEMERE II: « le président peut recevoir un nombre
 * illimité de procurations mais doit redistribuer » those above five):
 * what his phone lists (proxy_redist_json: the mandates the statutes
 * engine would refuse as not redistributed, and the members present who
 * may still take one), and the redistribution itself (api_redistribute:
 * S_redistribute signed by the president's credential, docs/record.md
 * §5, written as a "proxy.redistributed" event); at each opening the
 * engine then counts the mandate under the new holder (proxy.c reads the
 * latest redistribution of each proxy in force, PROXY_REDIST_SQL).
 *
 * Trusts the store and the statutes engine (ballot-formats/count.h):
 * whether a redistribution stands (the target present with a vote,
 * under his cap) is the engine's decision on the current attendance,
 * the same the verifier makes at the event and at each opening. A
 * request is untrusted: its statement is checked against the key of the
 * member the meeting names president (meeting create
 * --president-member), never anyone else's.
 *
 * Invariants: only the president redistributes, and only a proxy in
 * force that names him; a redistribution is one transaction with its
 * event and its record line, and nothing is written when it is refused;
 * a proxy withdrawn or given again loses its redistributions (they are
 * tied to the proxy's row).
 */
#include "server/meeting_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/outcome.h"
#include "server/record.h"
#include "server/store.h"

int64_t
proxy_redist_current(struct store *st, const char *meeting, int64_t giver)
{
	sqlite3_stmt *s = store_cached(st, st->roll, "SELECT coalesce("
	    PROXY_REDIST_SQL ", 0) FROM proxies p WHERE p.meeting = ?1 AND"
	    " p.giver = ?2 AND p.withdrawn_at IS NULL");
	int64_t to = 0;

	if (s != NULL && store_bind_text(s, 1, meeting) == 0 &&
	    sqlite3_bind_int64(s, 2, giver) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		to = sqlite3_column_int64(s, 0);
	store_release(st, s);
	return to;
}

/* The engine's standing now (the current attendance, the proxies in
 * force with their redistributions), with giver's proxy redistributed
 * to member to when giver ≠ 0. OUT *f, *pf, *res (the caller frees
 * them with redist_now_free). 0; -1 on a storage error; 1 when the
 * engine refuses the facts (err). */
struct redist_now {
	struct facts f;
	struct proxy_facts pf;
	struct ct_meeting cm;		/* res reads it until freed */
	struct ct_result res;
	bool has_res;
	struct st_msg err;
};

static void
redist_now_free(struct redist_now *n)
{
	if (n->has_res)
		ct_result_free(&n->res);
	proxy_facts_free(&n->pf);
	facts_free(&n->f);
}

static int
redist_now(struct mctx *c, const struct mrow *m, int64_t giver, int64_t to,
    struct redist_now *n)
{
	const struct profile *p = m_profile(c, c->st, m->id);

	memset(n, 0, sizeof *n);
	if (p == NULL || facts_load(c->st, m, &n->f) != 0)
		return -1;
	if (proxy_facts_query(c->st, "SELECT giver, holder, ts, channel, "
	    PROXY_REDIST_SQL " FROM proxies p WHERE meeting = ?1 AND"
	    " withdrawn_at IS NULL AND ?2 IS NOT NULL ORDER BY id", m, "",
	    &n->f, &n->pf) != 0)
		return -1;
	for (size_t k = 0; giver != 0 && k < n->pf.n; k++) {
		size_t t = facts_index(&n->f, to);
		if (n->pf.giver[k] != giver || t == SIZE_MAX)
			continue;
		n->pf.redist[k] = to;
		n->pf.px[k].redistribute_to = n->f.members[t].id;
	}
	facts_meeting(m, &n->f, &n->cm);
	n->cm.n_proxies = n->pf.n;
	n->cm.proxies = n->pf.px;
	if (ct_count(p, &n->cm, NULL, 0, &n->res, &n->err) != 0)
		return 1;
	n->has_res = true;
	return 0;
}

/* The president's member id, or 0 when the meeting names none. */
static int64_t
president_id(const struct redist_now *n, const struct mrow *m)
{
	for (size_t i = 0; i < n->f.n; i++)
		if (m->president_member[0] != '\0' &&
		    strcmp(n->f.members[i].id, m->president_member) == 0)
			return n->f.member_ids[i];
	return 0;
}

/* The hex of member id's active credential into h (65 bytes), or "". */
static void
member_pk_hex(struct store *st, const char *meeting, int64_t id, char h[65])
{
	sqlite3_stmt *s = store_cached(st, st->roll, "SELECT pk FROM"
	    " credentials WHERE meeting = ?1 AND member_id = ?2 AND status ="
	    " 'active'");

	h[0] = '\0';
	if (s != NULL && store_bind_text(s, 1, meeting) == 0 &&
	    sqlite3_bind_int64(s, 2, id) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		xhex_encode(h, 65, sqlite3_column_blob(s, 0), 32);
	store_release(st, s);
}

/* The mandates of the president's list: each proxy he holds that the
 * engine refuses now (kept over his five, or a redistribution that no
 * longer stands) in "excess", each redistributed one in
 * "redistributed". */
static void
redist_mandates(struct mctx *c, const struct mrow *m,
    const struct redist_now *n, int64_t pres, json_t *excess, json_t *done)
{
	for (size_t k = 0; k < n->pf.n; k++) {
		const struct ct_proxy_standing *ps = &n->res.proxies[k];
		size_t g = facts_index(&n->f, n->pf.giver[k]);
		char gh[65], th[65];

		if (n->pf.holder[k] != pres || g == SIZE_MAX)
			continue;
		member_pk_hex(c->st, m->id, n->pf.giver[k], gh);
		if (ps->accepted && ps->redistributed && ps->holder < n->f.n) {
			member_pk_hex(c->st, m->id,
			    n->f.member_ids[ps->holder], th);
			json_array_append_new(done, json_pack("{s:s,s:s,s:s,"
			    "s:s}", "giver", gh, "name", n->f.members[g].name,
			    "holder", th, "holder_name",
			    n->f.members[ps->holder].name));
		} else if (!ps->accepted && (ps->reason ==
		    CT_R_NOT_REDISTRIBUTED || ps->reason ==
		    CT_R_TARGET_OVER_CAP || ps->reason == CT_R_TARGET_NOT_VOTER))
			json_array_append_new(excess, json_pack("{s:s,s:s,s:s}",
			    "giver", gh, "name", n->f.members[g].name, "reason",
			    ct_reason_code(ps->reason)));
	}
}

json_t *
proxy_redist_json(struct mctx *c, const struct mrow *m, int64_t member)
{
	const struct pr_body *b = m_body(c, m);
	struct redist_now n;
	json_t *o = NULL, *excess, *done, *takers;
	int64_t pres;

	memset(&n, 0, sizeof n);
	if (b == NULL || !b->proxies.president_special ||
	    redist_now(c, m, 0, 0, &n) != 0)
		goto out;
	if ((pres = president_id(&n, m)) == 0 || pres != member)
		goto out;
	excess = json_array();
	done = json_array();
	takers = json_array();
	redist_mandates(c, m, &n, pres, excess, done);
	/* Who may still take one: there, with a vote, under the cap. */
	for (size_t i = 0; i < n.f.n; i++) {
		const struct ct_member_standing *s = &n.res.members[i];
		char h[65];
		if (n.f.member_ids[i] == pres || !s->voter ||
		    (s->mode != CT_MODE_PRESENT && s->mode != CT_MODE_REMOTE) ||
		    s->held >= b->proxies.redistribute_cap)
			continue;
		member_pk_hex(c->st, m->id, n.f.member_ids[i], h);
		if (h[0] != '\0')
			json_array_append_new(takers, json_pack("{s:s,s:s,s:I}",
			    "pk", h, "name", n.f.members[i].name, "left",
			    (json_int_t)(b->proxies.redistribute_cap -
			    s->held)));
	}
	o = json_pack("{s:o,s:o,s:o,s:I,s:s}", "excess", excess,
	    "redistributed", done, "takers", takers, "cap",
	    (json_int_t)b->proxies.redistribute_cap, "article",
	    b->proxies.src.article);
out:
	redist_now_free(&n);
	return o;
}

/* ---- the redistribution ---- */

struct redist_req {
	uint8_t president[32], giver[32], holder[32], sig[64];
	uint64_t ts;
	int64_t pres, giver_id, holder_id;
};

static int
redist_decode(const struct api_call *call, json_t **doc,
    struct redist_req *q, struct mreply *r)
{
	static const char *keys[] = { "president", "giver", "holder", "ts",
		"sig" };

	return mj_parse(call->body, call->len, keys, 5, doc, r) != 0 ||
	    mj_hex(*doc, "president", q->president, 32, r) != 0 ||
	    mj_hex(*doc, "giver", q->giver, 32, r) != 0 ||
	    mj_hex(*doc, "holder", q->holder, 32, r) != 0 ||
	    mj_u64(*doc, "ts", UINT32_MAX * 4ull, &q->ts, r) != 0 ||
	    mj_hex(*doc, "sig", q->sig, 64, r) != 0 ? -1 : 0;
}

/* Member id's number is no: 1, 0 not, -1 on a storage error. */
static int
member_no_is(struct store *st, int64_t id, const char *no)
{
	sqlite3_stmt *s = store_cached(st, st->roll, "SELECT member_no = ?2"
	    " FROM members WHERE id = ?1");
	int rc = -1;

	if (s != NULL && sqlite3_bind_int64(s, 1, id) == SQLITE_OK &&
	    store_bind_text(s, 2, no) == 0)
		rc = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) :
		    0;
	store_release(st, s);
	return rc;
}

/* The signer is the president, his statement S_redistribute signed by
 * his credential; the giver's proxy in force names him; the new holder
 * is another member with an active credential. 0, or -1 with r. */
static int
redist_who(struct mctx *c, const struct mrow *m, const struct pr_body *b,
    struct redist_req *q, struct mreply *r)
{
	uint8_t buf[256];
	framebuf fb;
	const char *code;
	int64_t cur_holder = 0;
	int voter;

	if ((code = voice_lookup(c->st, m->id, q->president, &q->pres,
	    &voter)) != NULL) {
		mr_err(r, code, NULL);
		return -1;
	}
	if (m->president_member[0] == '\0' ||
	    member_no_is(c->st, q->pres, m->president_member) != 1) {
		mr_err_article(r, "not_president", NULL, b->proxies.src.article);
		return -1;
	}
	stmt_begin(&fb, buf, sizeof buf, "proxy-redistribute");
	stmt_str(&fb, m->id);
	framebuf_field(&fb, q->giver, 32);
	framebuf_field(&fb, q->holder, 32);
	framebuf_field_u64(&fb, q->ts);
	if (stmt_verify(&fb, q->president, q->sig) != 0) {
		mr_err(r, "bad_signature", NULL);
		return -1;
	}
	if (voice_lookup(c->st, m->id, q->giver, &q->giver_id, &voter) !=
	    NULL || proxy_current(c->st, m->id, q->giver_id, &cur_holder) ==
	    0 || cur_holder != q->pres) {
		mr_err_article(r, "proxy_not_held", "giver",
		    b->proxies.src.article);
		return -1;
	}
	if (voice_lookup(c->st, m->id, q->holder, &q->holder_id, &voter) !=
	    NULL) {
		mr_err(r, "holder_unknown", "holder");
		return -1;
	}
	if (q->holder_id == q->giver_id || q->holder_id == q->pres) {
		mr_err(r, "proxy_self", "holder");
		return -1;
	}
	return 0;
}

/* The engine's word on the redistribution, on the current attendance:
 * 0 when the giver's mandate then counts under the new holder, or -1
 * with r (the target over his cap, not there, the engine's error). */
static int
redist_engine(struct mctx *c, const struct mrow *m, const struct pr_body *b,
    const struct redist_req *q, struct mreply *r)
{
	struct redist_now n;
	size_t before = 0, after = 0;
	int rc = redist_now(c, m, 0, 0, &n), ok = -1;

	/* The mandates that stand now: none may fall (the engine serves
	 * the proxies in the order given, an earlier one redistributed to
	 * a member could push a later one over his cap). */
	for (size_t k = 0; rc == 0 && k < n.pf.n; k++)
		before += n.res.proxies[k].accepted;
	redist_now_free(&n);
	if (rc == 0)
		rc = redist_now(c, m, q->giver_id, q->holder_id, &n);
	for (size_t k = 0; rc == 0 && k < n.pf.n; k++)
		after += n.res.proxies[k].accepted;
	if (rc < 0)
		mr_err(r, "unavailable", NULL);
	else if (rc > 0)
		mr_err_detail(r, "statutes_refuse", NULL, n.err.fr, n.err.en);
	for (size_t k = 0; rc == 0 && k < n.pf.n; k++) {
		const struct ct_proxy_standing *ps = &n.res.proxies[k];
		if (n.pf.giver[k] != q->giver_id)
			continue;
		if (ps->accepted && ps->holder < n.f.n &&
		    n.f.member_ids[ps->holder] == q->holder_id && after >=
		    before)
			ok = 0;
		else if (ps->accepted)
			mr_err_article(r, "redistribution_over_cap", "holder",
			    b->proxies.src.article);
		else
			mr_err_article(r, ps->reason == CT_R_TARGET_OVER_CAP ?
			    "redistribution_over_cap" : ps->reason ==
			    CT_R_TARGET_NOT_VOTER ? "redistribution_not_there" :
			    "proxy_refused", "holder", b->proxies.src.article);
		break;
	}
	redist_now_free(&n);
	return ok;
}

/* The row, its event and its record line, in one transaction. */
static int
redist_store(struct store *st, const struct mrow *m,
    const struct redist_req *q, uint64_t at)
{
	sqlite3_stmt *s = store_prepare(st->roll, "INSERT INTO"
	    " proxy_redistributions(meeting, proxy, holder, ts, sig, at)"
	    " SELECT ?1, id, ?3, ?4, ?5, ?6 FROM proxies WHERE meeting = ?1"
	    " AND giver = ?2 AND withdrawn_at IS NULL");
	char ph[65], gh[65], hh[65], sh[129];
	json_t *rp = NULL, *ev = NULL;
	int rc = -1;

	if (s == NULL || store_begin(st) != 0) {
		sqlite3_finalize(s);
		return -1;
	}
	if (store_bind_text(s, 1, m->id) != 0 ||
	    sqlite3_bind_int64(s, 2, q->giver_id) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 3, q->holder_id) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 4, (sqlite3_int64)q->ts) != SQLITE_OK ||
	    sqlite3_bind_blob(s, 5, q->sig, 64, SQLITE_TRANSIENT) !=
	        SQLITE_OK ||
	    sqlite3_bind_int64(s, 6, (sqlite3_int64)at) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_DONE || sqlite3_changes(st->roll) != 1)
		goto fail;
	xhex_encode(ph, sizeof ph, q->president, 32);
	xhex_encode(gh, sizeof gh, q->giver, 32);
	xhex_encode(hh, sizeof hh, q->holder, 32);
	xhex_encode(sh, sizeof sh, q->sig, 64);
	rp = json_pack("{s:s,s:s,s:s,s:I,s:s}", "president", ph, "giver", gh,
	    "holder", hh, "ts", (json_int_t)q->ts, "sig", sh);
	ev = json_pack("{s:s,s:s,s:s,s:s,s:I}", "meeting", m->id, "action",
	    "redistribute", "giver", gh, "holder", hh, "ts",
	    (json_int_t)q->ts);
	if (rp == NULL || ev == NULL || store_record_append(st, m->id,
	        "proxy.redistributed", rp) != 0 ||
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

void
api_redistribute(struct mctx *c, const struct mrow *m,
    const struct api_call *call, struct mreply *r)
{
	const struct pr_body *b = m_body(c, m);
	struct redist_req q = { 0 };
	json_t *doc = NULL;
	uint64_t at = now_unix();

	if (redist_decode(call, &doc, &q, r) != 0 ||
	    proxy_phase_check(c, m, r) != 0)
		goto out;
	if (!ts_fresh(q.ts)) {
		mr_err(r, "stale_timestamp", NULL);
		goto out;
	}
	if (b == NULL) {
		mr_err(r, "unavailable", NULL);
		goto out;
	}
	if (!b->proxies.president_special) {
		mr_err_article(r, "redistribution_not_allowed", NULL,
		    b->proxies.src.article);
		goto out;
	}
	if (redist_who(c, m, b, &q, r) != 0 ||
	    redist_engine(c, m, b, &q, r) != 0)
		goto out;
	if (redist_store(c->st, m, &q, at) != 0) {
		mr_err(r, "unavailable", NULL);
		goto out;
	}
	part_touch(c, m->id, "");
	mr_ok(r, json_pack("{s:s,s:I}", "proxy", "redistributed", "at",
	    (json_int_t)at));
out:
	json_decref(doc);
}

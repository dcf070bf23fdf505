/*
 * proxy_draw.c — the random reassignment of an absent holder's proxies
 * (Espace+ art. 4, profile proxies.absent_holder random_reassignment;
 * docs/record.md §4 proxy.volunteer, proxy.declined, draw.seed): a
 * member volunteers to take a proxy whose holder is absent, or withdraws,
 * by a statement the member signs before the proxies' deadline
 * (api_proxy_volunteer); when the meeting starts the server closes the
 * draw and its seed follows, from the record's head and the
 * scrutineers' contributions (draw_seed.c); a
 * member the draw gave a proxy declines it (api_proxy_decline). The
 * draw itself is the statutes engine's, at each question's opening and
 * count: proxy_draw_load gives it the seed, the volunteers and the
 * declines as the record holds them, read back from the record's lines.
 *
 * Trusts the store, the statutes engine and the record's check on write
 * (the verifier's own rules, audit/verify_draw.c). A request is
 * untrusted: its statement is checked against the member's credential,
 * its time against the server's clock and the proxies' deadline
 * (proxy_rules_check, as for a proxy).
 *
 * Invariants: the inputs the engine gets are read from the record, in
 * its order, so the appliance's draw is the verifier's; each accepted
 * statement is one transaction with its record line, nothing written
 * when refused; no decline while a question is open (the count of an
 * open question uses the declines of its opening, as the verifier does).
 */
#include "server/meeting_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "audit/outcome.h"
#include "server/record.h"
#include "server/store.h"

/* Whether m's body reassigns an absent holder's proxies at random. */
static bool
draw_provided(struct mctx *c, const struct mrow *m)
{
	const struct pr_body *b = m_body(c, m);

	return b != NULL && b->proxies.absent_holder == PR_ABSENT_RANDOM;
}

/* A string of exactly 2n hex digits into n bytes. */
static int
hex_in(const char *s, uint8_t *out, size_t n)
{
	size_t got = 0;

	if (s == NULL || strlen(s) != 2 * n ||
	    sodium_hex2bin(out, n, s, 2 * n, NULL, &got, NULL) != 0 ||
	    got != n)
		return -1;
	return 0;
}

/* f's index of the member holding credential pk, or SIZE_MAX. */
static size_t
draw_member(struct store *st, const struct mrow *m, const struct facts *f,
    const char *pkhex)
{
	uint8_t pk[32];
	int64_t id;
	int voter;

	if (hex_in(pkhex, pk, 32) != 0 ||
	    voice_lookup(st, m->id, pk, &id, &voter) != NULL)
		return SIZE_MAX;
	return facts_index(f, id);
}

/* One draw event of the record (its kind and payload) into f. */
static void
draw_event(struct store *st, const struct mrow *m, struct facts *f,
    const char *kind, const json_t *p, size_t *vol, size_t *decl)
{
	const char *a = json_string_value(json_object_get(p, "action"));
	size_t i;
	uint8_t sd[8];

	if (strcmp(kind, "draw.seed") == 0) {
		if (hex_in(json_string_value(json_object_get(p, "seed")), sd,
		    8) != 0)
			return;
		f->has_seed = true;
		f->seed = 0;
		for (int k = 7; k >= 0; k--)
			f->seed = f->seed << 8 | sd[k];
		return;
	}
	i = draw_member(st, m, f, json_string_value(json_object_get(p,
	    "pk")));
	if (i == SIZE_MAX)
		return;
	if (strcmp(kind, "proxy.declined") == 0) {
		decl[f->n_decl++] = i;
		return;
	}
	if (a != NULL && strcmp(a, "volunteer") == 0) {
		vol[f->n_vol++] = i;
		return;
	}
	for (size_t k = 0; k < f->n_vol; k++)
		if (vol[k] == i) {
			memmove(&vol[k], &vol[k + 1], (f->n_vol - k - 1) *
			    sizeof *vol);
			f->n_vol--;
			break;
		}
}

int
proxy_draw_load(struct store *st, const struct mrow *m, struct facts *f)
{
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT kind, line FROM"
	    " events WHERE meeting = ?1 AND kind IN ('proxy.volunteer',"
	    " 'proxy.declined', 'draw.seed') ORDER BY mseq");
	size_t *vol = NULL, *decl = NULL, cap = 0, n = 0;
	int rc = -1, got;

	f->has_seed = false;
	f->n_vol = f->n_decl = 0;
	if (s == NULL || store_bind_text(s, 1, m->id) != 0)
		goto out;
	while ((got = sqlite3_step(s)) == SQLITE_ROW) {
		json_t *ev = json_loads((const char *)sqlite3_column_text(s,
		    1), 0, NULL);
		if (n == cap) {
			cap = cap ? 2 * cap : 8;
			vol = xreallocarray(vol, cap, sizeof *vol);
			decl = xreallocarray(decl, cap, sizeof *decl);
		}
		n++;
		if (ev != NULL)
			draw_event(st, m, f, (const char *)
			    sqlite3_column_text(s, 0), json_object_get(ev,
			    "payload"), vol, decl);
		json_decref(ev);
	}
	if (got != SQLITE_DONE)
		goto out;
	f->draw_ids = xcalloc(f->n_vol + f->n_decl + 1, sizeof *f->draw_ids);
	for (size_t k = 0; k < f->n_vol; k++)
		f->draw_ids[k] = f->members[vol[k]].id;
	for (size_t k = 0; k < f->n_decl; k++)
		f->draw_ids[f->n_vol + k] = f->members[decl[k]].id;
	rc = 0;
out:
	sqlite3_finalize(s);
	free(vol);
	free(decl);
	return rc;
}

void
proxy_draw_meeting(const struct facts *f, struct ct_meeting *cm)
{
	cm->has_seed = f->has_seed;
	cm->seed = f->seed;
	cm->n_volunteers = f->n_vol;
	cm->volunteers = f->draw_ids;
	cm->n_declined = f->n_decl;
	cm->declined = f->draw_ids != NULL ? f->draw_ids + f->n_vol : NULL;
}

/* ---- the member's statements ---- */

struct draw_req {
	bool on;		/* volunteer (false: withdraw) */
	uint8_t pk[32], sig[64];
	uint64_t ts;
};

/* S_volunteer, S_volunteer_withdraw or S_decline against the member's
 * key (docs/record.md §5). */
static int
draw_verify(const struct mrow *m, const struct draw_req *d,
    const char *label)
{
	uint8_t buf[192];
	framebuf fb;

	stmt_begin(&fb, buf, sizeof buf, label);
	stmt_str(&fb, m->id);
	framebuf_field(&fb, d->pk, 32);
	framebuf_field_u64(&fb, d->ts);
	return stmt_verify(&fb, d->pk, d->sig);
}

/* Writes the statement's event (kind, with "action" when not NULL). */
static int
draw_store(struct store *st, const struct mrow *m, const struct draw_req *d,
    const char *kind, const char *action)
{
	char pk[65], sig[129];
	json_t *p;
	int rc = -1;

	xhex_encode(pk, sizeof pk, d->pk, 32);
	xhex_encode(sig, sizeof sig, d->sig, 64);
	p = action != NULL ? json_pack("{s:s,s:s,s:I,s:s}", "pk", pk,
	    "action", action, "ts", (json_int_t)d->ts, "sig", sig) :
	    json_pack("{s:s,s:I,s:s}", "pk", pk, "ts", (json_int_t)d->ts,
	    "sig", sig);
	if (p == NULL || store_begin(st) != 0) {
		json_decref(p);
		return -1;
	}
	if (store_record_append(st, m->id, kind, p) == 0 &&
	    store_commit(st) == 0)
		rc = 0;
	else
		store_rollback(st);
	json_decref(p);
	return rc;
}

/* The facts now, with the draw's inputs: 0, or -1 (reply set). */
static int
draw_decode(const struct api_call *call, json_t **doc, bool volunteer,
    struct draw_req *d, struct mreply *r)
{
	static const char *vkeys[] = { "action", "pk", "ts", "sig" };
	const char *action = "volunteer";

	if (mj_parse(call->body, call->len, volunteer ? vkeys : vkeys + 1,
	    volunteer ? 4 : 3, doc, r) != 0 ||
	    (volunteer && mj_str(*doc, "action", 16, &action, r) != 0) ||
	    mj_hex(*doc, "pk", d->pk, 32, r) != 0 ||
	    mj_u64(*doc, "ts", UINT32_MAX * 4ull, &d->ts, r) != 0 ||
	    mj_hex(*doc, "sig", d->sig, 64, r) != 0)
		return -1;
	d->on = strcmp(action, "volunteer") == 0;
	if (!d->on && strcmp(action, "withdraw") != 0) {
		mr_err(r, "invalid_field", "action");
		return -1;
	}
	return 0;
}

/* The request's common checks: the phase, the statutes, the time, the
 * member's credential and signature. OUT *fi the member in f (loaded
 * with the draw's inputs; the caller frees f). */
static int
draw_request(struct mctx *c, const struct mrow *m, const struct draw_req *d,
    const char *label, struct facts *f, size_t *fi, struct mreply *r)
{
	const char *code;
	int64_t id;
	int voter;
	char pk[65];

	if (proxy_phase_check(c, m, r) != 0)
		return -1;
	if (!draw_provided(c, m)) {
		mr_err(r, "draw_not_provided", NULL);
		return -1;
	}
	if (!ts_fresh(d->ts)) {
		mr_err(r, "stale_timestamp", NULL);
		return -1;
	}
	if ((code = voice_lookup(c->st, m->id, d->pk, &id, &voter)) != NULL) {
		mr_err(r, code, NULL);
		return -1;
	}
	if (draw_verify(m, d, label) != 0) {
		mr_err(r, "bad_signature", NULL);
		return -1;
	}
	if (facts_load(c->st, m, f) != 0) {
		mr_err(r, "unavailable", NULL);
		return -1;
	}
	xhex_encode(pk, sizeof pk, d->pk, 32);
	if ((*fi = draw_member(c->st, m, f, pk)) == SIZE_MAX) {
		facts_free(f);
		mr_err(r, "not_eligible", NULL);
		return -1;
	}
	return 0;
}

/* Whether member i of f is among the first n of ids (by id). */
static bool
draw_listed(const struct facts *f, size_t i, const char *const *ids,
    size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (strcmp(ids[k], f->members[i].id) == 0)
			return true;
	return false;
}

/* The time of member pk's last volunteer statement in m's record, or
 * 0 (the record's lines, as the verifier reads them). */
static uint64_t
draw_last_ts(struct store *st, const struct mrow *m, const uint8_t pk[32])
{
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT coalesce(max("
	    "json_extract(line, '$.payload.ts')), 0) FROM events WHERE"
	    " meeting = ?1 AND kind = 'proxy.volunteer' AND"
	    " json_extract(line, '$.payload.pk') = ?2");
	char h[65];
	sqlite3_int64 ts = 0;

	xhex_encode(h, sizeof h, pk, 32);
	if (s != NULL && store_bind_text(s, 1, m->id) == 0 &&
	    store_bind_text(s, 2, h) == 0 && sqlite3_step(s) == SQLITE_ROW)
		ts = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return ts > 0 ? (uint64_t)ts : 0;
}

void
api_proxy_volunteer(struct mctx *c, const struct mrow *m,
    const struct api_call *call, struct mreply *r)
{
	struct draw_req d = { 0 };
	struct facts f;
	json_t *doc = NULL;
	size_t fi;
	bool listed;

	if (draw_decode(call, &doc, true, &d, r) != 0 ||
	    draw_request(c, m, &d, d.on ? "proxy-volunteer" :
	    "proxy-volunteer-withdraw", &f, &fi, r) != 0)
		goto out;
	listed = draw_listed(&f, fi, f.draw_ids, f.n_vol);
	/* Until the draw closes (at the start, draw_seed.c). */
	if (store_record_has(c->st, m->id, "draw.closed", NULL) != 0)
		mr_err(r, "draw_seeded", NULL);
	else if (listed == d.on)
		mr_err(r, d.on ? "volunteer_exists" : "volunteer_none", NULL);
	/* Each statement later than the member's previous one (no replay:
	 * scrutin-verify, audit/verify_draw.c). */
	else if (d.ts <= draw_last_ts(c->st, m, d.pk))
		mr_err(r, "volunteer_not_later", NULL);
	/* Until the proxies' deadline, on the statement's time and the
	 * server's clock (art. 4), as a proxy. */
	else if (proxy_rules_check(c, m, false, d.ts, now_unix(), r) != 0)
		;
	else if (draw_store(c->st, m, &d, "proxy.volunteer", d.on ?
	    "volunteer" : "withdraw") != 0)
		mr_err(r, store_refusal_clear(c->st) ? "record_refused" :
		    "unavailable", NULL);
	else
		mr_ok(r, json_pack("{s:s}", "volunteer", d.on ? "volunteered" :
		    "withdrawn"));
	facts_free(&f);
out:
	json_decref(doc);
}

/* Whether a question of m is open or awaits its result (its count
 * uses the declines of its opening). */
static int
draw_question_open(struct store *st, const struct mrow *m)
{
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT 1 FROM questions"
	    " WHERE meeting = ?1 AND status IN ('open', 'closed')");
	int rc = -1;

	if (s != NULL && store_bind_text(s, 1, m->id) == 0)
		rc = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	return rc;
}

/* Whether the engine's draw gives member fi a proxy now (attendance,
 * proxies in force, the draw's inputs): 1, 0, or -1. */
static int
draw_holds(struct mctx *c, const struct mrow *m, struct facts *f, size_t fi)
{
	const struct profile *p = m_profile(c, c->st, m->id);
	struct ct_meeting cm;
	struct ct_result res;
	struct proxy_facts pf;
	struct st_msg err;
	int rc = 0;

	if (p == NULL || proxy_current_facts(c->st, m, f, &pf) != 0)
		return -1;
	facts_meeting(m, f, &cm);
	cm.n_proxies = pf.n;
	cm.proxies = pf.px;
	if (ct_count(p, &cm, NULL, 0, &res, &err) != 0) {
		proxy_facts_free(&pf);
		return -1;
	}
	for (size_t k = 0; k < pf.n; k++)
		if (res.proxies[k].reassigned && res.proxies[k].holder == fi)
			rc = 1;
	ct_result_free(&res);
	proxy_facts_free(&pf);
	return rc;
}

void
api_proxy_decline(struct mctx *c, const struct mrow *m,
    const struct api_call *call, struct mreply *r)
{
	struct draw_req d = { 0 };
	struct facts f;
	json_t *doc = NULL;
	size_t fi;
	int open, holds;

	if (draw_decode(call, &doc, false, &d, r) != 0 ||
	    draw_request(c, m, &d, "proxy-decline", &f, &fi, r) != 0)
		goto out;
	if (!f.has_seed)
		mr_err(r, "draw_not_seeded", NULL);
	else if (draw_listed(&f, fi, f.draw_ids + f.n_vol, f.n_decl))
		mr_err(r, "decline_exists", NULL);
	else if ((open = draw_question_open(c->st, m)) != 0)
		mr_err(r, open > 0 ? "question_open" : "unavailable", NULL);
	else if ((holds = draw_holds(c, m, &f, fi)) <= 0)
		mr_err(r, holds == 0 ? "not_drawn" : "unavailable", NULL);
	else if (draw_store(c->st, m, &d, "proxy.declined", NULL) != 0)
		mr_err(r, store_refusal_clear(c->st) ? "record_refused" :
		    "unavailable", NULL);
	else
		mr_ok(r, json_pack("{s:s}", "proxy", "declined"));
	facts_free(&f);
out:
	json_decref(doc);
}

json_t *
proxy_draw_json(struct mctx *c, const struct mrow *m, const uint8_t pk[32])
{
	const struct pr_body *b = m_body(c, m);
	struct facts f;
	char h[65];
	size_t fi;
	bool vol = false, decl = false;
	int holds = 0;
	json_t *o;

	if (!draw_provided(c, m) || facts_load(c->st, m, &f) != 0)
		return NULL;
	xhex_encode(h, sizeof h, pk, 32);
	if ((fi = draw_member(c->st, m, &f, h)) != SIZE_MAX) {
		vol = draw_listed(&f, fi, f.draw_ids, f.n_vol);
		decl = draw_listed(&f, fi, f.draw_ids + f.n_vol, f.n_decl);
		if (f.has_seed && !decl)
			holds = draw_holds(c, m, &f, fi) > 0;
	}
	/* Volunteering ends when the start closes the draw (draw.closed);
	 * the seed follows the scrutineers' reveals. */
	o = json_pack("{s:b,s:b,s:b,s:b,s:b,s:s}", "volunteered", vol,
	    "closed", store_record_has(c->st, m->id, "draw.closed", NULL) != 0,
	    "seeded", f.has_seed, "declined", decl, "drawn", holds, "article",
	    b->proxies.src.article);
	facts_free(&f);
	return o;
}

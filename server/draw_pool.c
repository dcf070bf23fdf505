/*
 * draw_pool.c — a draw by lot of the statutes (profile `draws`,
 * ballot-formats/draw.c; A-IMI RI art. 9: « un tirage au sort désignera
 * un tiers des administrateurs dont le renouvellement du mandat sera
 * soumis au vote »; docs/record.md §4 draw.pool, draw.drawn; docs/api.md
 * POST …/draws, …/draws/{d}/draw): before the meeting starts the
 * moderator declares the pool (the members among whom to draw, by member
 * number, in order) and the body's draw rule (draw.pool); the draw's
 * seed then comes as for the random reassignment of proxies, with the
 * scrutineers' contributions (draw_seed.c: the start closes the draw,
 * the last reveal or the moderator's proceed writes draw.seed); then the
 * moderator draws: the statutes engine's draw from that seed and that
 * pool (audit_draw_pick, the verifier's own computation) is written as
 * draw.drawn.
 *
 * Trusts the store, the statutes engine and the record's check on write.
 * A request is untrusted: its id, rule and members are checked here.
 *
 * Invariants: the pool is in the record before the draw closes, so
 * neither its members nor their order can follow the seed; one draw per
 * pool; each write is one transaction with its record line, nothing
 * written on a refusal.
 */
#include "server/meeting_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "audit/outcome.h"
#include "ballot-formats/count.h"
#include "server/record.h"
#include "server/store.h"

#define POOL_MAX 100

bool
draw_seed_provided(struct mctx *c, struct store *st, const struct mrow *m)
{
	const struct pr_body *b = m_body(c, m);

	return (b != NULL && b->proxies.absent_holder == PR_ABSENT_RANDOM) ||
	    store_record_has(st, m->id, "draw.pool", NULL) == 1;
}

/* The draw.pool payload of id (a new reference), or NULL. */
static json_t *
pool_load(struct store *st, const char *meeting, const char *id)
{
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT line FROM events"
	    " WHERE meeting = ?1 AND kind = 'draw.pool' ORDER BY mseq");
	json_t *found = NULL;

	if (s == NULL || store_bind_text(s, 1, meeting) != 0) {
		sqlite3_finalize(s);
		return NULL;
	}
	while (found == NULL && sqlite3_step(s) == SQLITE_ROW) {
		json_t *ev = json_loads((const char *)sqlite3_column_text(s,
		    0), 0, NULL), *p = json_object_get(ev, "payload");
		const char *pid = json_string_value(json_object_get(p, "id"));
		if (pid != NULL && strcmp(pid, id) == 0)
			found = json_incref(p);
		json_decref(ev);
	}
	sqlite3_finalize(s);
	return found;
}

/* {member, name} of the member whose credential is the hex pk. */
static json_t *
member_json(struct store *st, const char *meeting, const char *pkhex)
{
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT m.member_no,"
	    " display_name(m.first_name, m.last_name) FROM credentials c JOIN"
	    " members m ON m.id = c.member_id WHERE c.meeting = ?1 AND c.pk ="
	    " ?2");
	uint8_t pk[32];
	size_t got = 0;
	json_t *o = NULL;

	if (s != NULL && pkhex != NULL && sodium_hex2bin(pk, 32, pkhex,
	    strlen(pkhex), NULL, &got, NULL) == 0 && got == 32 &&
	    store_bind_text(s, 1, meeting) == 0 &&
	    sqlite3_bind_blob(s, 2, pk, 32, SQLITE_TRANSIENT) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		o = json_pack("{s:s,s:s}", "member", (const char *)
		    sqlite3_column_text(s, 0), "name", (const char *)
		    sqlite3_column_text(s, 1));
	sqlite3_finalize(s);
	return o != NULL ? o : json_pack("{s:s,s:s}", "member", "?", "name",
	    "?");
}

/* The members of the credentials in a (a JSON array of hex pks). */
static json_t *
members_json(struct store *st, const char *meeting, const json_t *a)
{
	json_t *out = json_array(), *e;
	size_t i;

	json_array_foreach(a, i, e)
		json_array_append_new(out, member_json(st, meeting,
		    json_string_value(e)));
	return out;
}

json_t *
draws_json(struct mctx *c, struct store *st, const struct mrow *m)
{
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT kind, line FROM"
	    " events WHERE meeting = ?1 AND kind IN ('draw.pool',"
	    " 'draw.drawn') ORDER BY mseq");
	const struct pr_body *b = m_body(c, m);
	json_t *out = json_array();

	if (s == NULL || store_bind_text(s, 1, m->id) != 0) {
		sqlite3_finalize(s);
		return out;
	}
	while (sqlite3_step(s) == SQLITE_ROW) {
		json_t *ev = json_loads((const char *)sqlite3_column_text(s,
		    1), 0, NULL), *p = json_object_get(ev, "payload"), *d;
		const char *id = json_string_value(json_object_get(p, "id"));
		size_t i;
		if (id == NULL) {
			json_decref(ev);
			continue;
		}
		if (strcmp((const char *)sqlite3_column_text(s, 0),
		    "draw.pool") == 0) {
			const char *rule = json_string_value(json_object_get(p,
			    "draw"));
			const struct pr_draw *pd = b != NULL && rule != NULL ?
			    profile_draw_find(b, rule) : NULL;
			json_array_append_new(out, json_pack("{s:s,s:s,s:s,s:s,"
			    "s:o}", "id", id, "draw", rule ? rule : "",
			    "label", pd ? pd->label : "", "article", pd ?
			    pd->src.article : "", "pool", members_json(st, m->id,
			    json_object_get(p, "pool"))));
		} else
			json_array_foreach(out, i, d)
				if (strcmp(json_string_value(json_object_get(d,
				    "id")), id) == 0)
					json_object_set_new(d, "drawn",
					    members_json(st, m->id,
					    json_object_get(p, "drawn")));
		json_decref(ev);
	}
	sqlite3_finalize(s);
	return out;
}

/* Whether id's draw is written (draw.drawn). */
static bool
pool_drawn(struct store *st, const char *meeting, const char *id)
{
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT 1 FROM events WHERE"
	    " meeting = ?1 AND kind = 'draw.drawn' AND"
	    " json_extract(line, '$.payload.id') = ?2");
	bool yes = s != NULL && store_bind_text(s, 1, meeting) == 0 &&
	    store_bind_text(s, 2, id) == 0 && sqlite3_step(s) == SQLITE_ROW;

	sqlite3_finalize(s);
	return yes;
}

/* The pool's member numbers into a JSON array of their active
 * credentials, in order. NULL with r set. */
static json_t *
pool_keys(struct mctx *c, const struct mrow *m, const json_t *a,
    struct mreply *r)
{
	json_t *out = json_array(), *e;
	int64_t *ids = xcalloc(json_array_size(a) + 1, sizeof *ids);
	size_t i;

	json_array_foreach(a, i, e) {
		uint8_t pk[32];
		char hx[65];
		const char *no = json_string_value(e);
		if (no == NULL || member_by_no(c->st, m->id, no, &ids[i],
		    pk) != 0) {
			mr_err(r, "pool_member_unknown", "pool");
			goto bad;
		}
		for (size_t j = 0; j < i; j++)
			if (ids[j] == ids[i]) {
				mr_err(r, "invalid_field", "pool");
				goto bad;
			}
		xhex_encode(hx, sizeof hx, pk, 32);
		json_array_append_new(out, json_string(hx));
	}
	free(ids);
	return out;
bad:
	free(ids);
	json_decref(out);
	return NULL;
}

/* Appends one event of kind with payload p (NULL: refused) in its own
 * transaction. 0, or -1 with r set. */
static int
draw_append(struct mctx *c, const struct mrow *m, const char *kind,
    const json_t *p, struct mreply *r)
{
	if (p == NULL || store_begin(c->st) != 0) {
		mr_err(r, "unavailable", NULL);
		return -1;
	}
	if (store_record_append(c->st, m->id, kind, p) != 0 ||
	    store_commit(c->st) != 0) {
		store_rollback(c->st);
		mr_err(r, store_refusal_clear(c->st) ? "record_refused" :
		    "unavailable", NULL);
		return -1;
	}
	return 0;
}

void
api_draw_declare(struct mctx *c, const struct mrow *m,
    const struct api_call *call, struct mreply *r)
{
	static const char *keys[] = { "id", "draw", "pool" };
	const struct pr_body *b = m_body(c, m);
	json_t *doc = NULL, *pool = NULL, *p = NULL, *old;
	const char *id, *draw;
	const json_t *a;

	if (mj_parse(call->body, call->len, keys, 3, &doc, r) != 0)
		return;
	id = json_string_value(json_object_get(doc, "id"));
	draw = json_string_value(json_object_get(doc, "draw"));
	a = json_object_get(doc, "pool");
	if (!audit_draw_id_ok(id))
		mr_err(r, "invalid_field", "id");
	else if (draw == NULL || b == NULL || profile_draw_find(b, draw) ==
	    NULL)
		mr_err(r, "draw_rule_unknown", "draw");
	else if (!json_is_array(a) || json_array_size(a) == 0 ||
	    json_array_size(a) > POOL_MAX)
		mr_err(r, "invalid_field", "pool");
	else if (strcmp(m->status, "convened") != 0 ||
	    record_exists(c->st, m->id) != 1)
		mr_err(r, strcmp(m->status, "draft") == 0 ? "wrong_phase" :
		    "draw_closed", NULL);
	else if ((old = pool_load(c->st, m->id, id)) != NULL) {
		json_decref(old);
		mr_err(r, "draw_exists", "id");
	} else if ((pool = pool_keys(c, m, a, r)) != NULL) {
		p = json_pack("{s:s,s:s,s:O}", "id", id, "draw", draw, "pool",
		    pool);
		if (draw_append(c, m, "draw.pool", p, r) == 0) {
			notify(c, m->id, "draws", draws_json(c, c->st, m));
			notify(c, m->id, "draw", draw_status_json(c->st, m));
			mr_ok(r, json_pack("{s:s,s:s,s:I}", "id", id, "draw",
			    draw, "pool", (json_int_t)json_array_size(pool)));
		}
	}
	json_decref(p);
	json_decref(pool);
	json_decref(doc);
}

/* The engine's draw of pool p (draw.pool payload) from the facts f and
 * the record's seed: OUT *pos the pool's positions drawn, in the order
 * drawn, *n, and *fi each pool member's index in f (both malloc'd). 0,
 * or -1 with r set. */
static int
draw_compute(struct mctx *c, const struct mrow *m, struct facts *f,
    const json_t *p, size_t **pos, size_t *n, size_t **fi, struct mreply *r)
{
	const json_t *a = json_object_get(p, "pool"), *e;
	size_t np = json_array_size(a), i;
	const char **ids = xcalloc(np + 1, sizeof *ids);
	struct ct_meeting cm;
	char err[256];
	int rc = -1;

	*pos = NULL;
	*fi = xcalloc(np + 1, sizeof **fi);
	json_array_foreach(a, i, e) {
		uint8_t pk[32];
		int64_t mid;
		int voter;
		size_t got = 0;
		const char *h = json_string_value(e);
		if (h == NULL || sodium_hex2bin(pk, 32, h, strlen(h), NULL, &got,
		    NULL) != 0 || got != 32 ||
		    voice_lookup(c->st, m->id, pk, &mid, &voter) != NULL ||
		    ((*fi)[i] = facts_index(f, mid)) == SIZE_MAX) {
			mr_err(r, "unavailable", NULL);
			goto out;
		}
		ids[i] = f->members[(*fi)[i]].id;
	}
	facts_meeting(m, f, &cm);
	if (audit_draw_pick(m_profile(c, c->st, m->id), &cm,
	    json_string_value(json_object_get(p, "draw")), ids, np, f->seed,
	    pos, n, err, sizeof err) != 0) {
		mr_err_detail(r, "draw_refused", NULL, err, err);
		goto out;
	}
	rc = 0;
out:
	free(ids);
	return rc;
}

/* Writes draw.drawn {id, seed (hx), drawn: the pool's credentials at
 * pos} (one transaction). 0, or -1 with r set. */
static int
drawn_store(struct mctx *c, const struct mrow *m, const char *id,
    const char *hx, const json_t *pool, const size_t *pos, size_t n,
    struct mreply *r)
{
	const json_t *a = json_object_get(pool, "pool");
	json_t *keys = json_array(), *p;
	int rc;

	for (size_t k = 0; k < n; k++)
		json_array_append(keys, json_array_get(a, pos[k]));
	p = json_pack("{s:s,s:s,s:o}", "id", id, "seed", hx, "drawn", keys);
	rc = draw_append(c, m, "draw.drawn", p, r);
	json_decref(p);
	return rc;
}

void
api_draw_run(struct mctx *c, const struct mrow *m,
    const struct api_call *call, struct mreply *r)
{
	json_t *pool = pool_load(c->st, m->id, call->sub), *out;
	struct facts f;
	size_t *pos = NULL, *fi = NULL, n = 0;
	uint8_t sd[8];
	char hx[17];

	if (pool == NULL) {
		mr_err(r, "draw_unknown", NULL);
		return;
	}
	if (pool_drawn(c->st, m->id, call->sub) ||
	    facts_load(c->st, m, &f) != 0) {
		mr_err(r, pool_drawn(c->st, m->id, call->sub) ? "already_done" :
		    "unavailable", NULL);
		json_decref(pool);
		return;
	}
	for (int k = 0; k < 8; k++)
		sd[k] = (uint8_t)(f.seed >> (8 * k));
	xhex_encode(hx, sizeof hx, sd, 8);
	if (!f.has_seed)
		mr_err(r, "draw_not_seeded", NULL);
	else if (draw_compute(c, m, &f, pool, &pos, &n, &fi, r) == 0 &&
	    drawn_store(c, m, call->sub, hx, pool, pos, n, r) == 0) {
		out = json_array();
		for (size_t k = 0; k < n; k++) {
			const struct ct_member *mb = &f.members[fi[pos[k]]];
			json_array_append_new(out, json_pack("{s:s,s:s}",
			    "member", mb->id, "name", mb->name ? mb->name : ""));
		}
		notify(c, m->id, "draws", draws_json(c, c->st, m));
		mr_ok(r, json_pack("{s:s,s:s,s:o}", "id", call->sub, "seed", hx,
		    "drawn", out));
	}
	free(pos);
	free(fi);
	facts_free(&f);
	json_decref(pool);
}

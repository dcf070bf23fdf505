/*
 * draw_seed.c — the draw's seed with the scrutineers' contributions
 * (docs/record.md §4 draw.commit, draw.closed, draw.reveal, draw.seed;
 * audit/verify_draw_commit.c): before the meeting starts each scrutineer
 * may commit to a random value (POST draw/commit, signed with the
 * identity key enrolled in the key ceremony); when the meeting starts
 * the server closes the draw (draw.closed, its parent the record's head
 * at the deadline); each scrutineer who committed reveals the value
 * (POST draw/reveal); at the last reveal the server writes the seed,
 * H256 of the head and the values; or the moderator proceeds without
 * the scrutineers who have not revealed (POST draw/proceed), and the
 * record and the minutes name them. No commitment: the seed is written
 * at the start, from the head alone.
 *
 * Trusts the store, the trustees' identity keys (trustees.id_pk, the
 * ceremony's) and the record's check on write. A request is untrusted:
 * its index, its signature, its value against the commitment are
 * checked here before anything is written.
 *
 * Invariants: the state is read from the record's lines, in order, so
 * the appliance's seed is the verifier's; each accepted statement is one
 * transaction with its record line (and the seed, at the last reveal);
 * nothing is written on a refusal.
 */
#include "server/meeting_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "audit/outcome.h"
#include "server/record.h"
#include "server/store.h"

#define DRAW_TRUSTEES 16

struct draw_state {
	bool closed, seeded;
	uint8_t head[32];		/* the parent of draw.closed */
	uint32_t committed, revealed;	/* bit masks by trustee */
	uint8_t hash[DRAW_TRUSTEES][32], value[DRAW_TRUSTEES][32];
};

/* A hex string of exactly n bytes. */
static int
hex_of(const json_t *j, uint8_t *out, size_t n)
{
	const char *s = json_string_value(j);
	size_t got = 0;

	return s != NULL && strlen(s) == 2 * n &&
	    sodium_hex2bin(out, n, s, 2 * n, NULL, &got, NULL) == 0 &&
	    got == n ? 0 : -1;
}

/* The draw's state from the meeting's record lines. 0, or -1. */
static int
draw_state_load(struct store *st, const char *meeting, struct draw_state *d)
{
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT kind, line FROM"
	    " events WHERE meeting = ?1 AND kind IN ('draw.commit',"
	    " 'draw.closed', 'draw.reveal', 'draw.seed') ORDER BY mseq");
	int got, rc = -1;

	memset(d, 0, sizeof *d);
	if (s == NULL || store_bind_text(s, 1, meeting) != 0)
		goto out;
	while ((got = sqlite3_step(s)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(s, 0);
		json_t *ev = json_loads((const char *)sqlite3_column_text(s,
		    1), 0, NULL), *p = json_object_get(ev, "payload");
		json_int_t i = json_integer_value(json_object_get(p,
		    "trustee"));
		bool ok = ev != NULL;
		if (strcmp(kind, "draw.closed") == 0) {
			d->closed = true;
			ok = ok && hex_of(json_object_get(ev, "parent"),
			    d->head, 32) == 0;
		} else if (strcmp(kind, "draw.seed") == 0)
			d->seeded = true;
		else if (i < 1 || i > DRAW_TRUSTEES)
			ok = false;
		else if (strcmp(kind, "draw.commit") == 0) {
			ok = ok && hex_of(json_object_get(p, "hash"),
			    d->hash[i - 1], 32) == 0;
			d->committed |= 1u << (i - 1);
		} else {
			ok = ok && hex_of(json_object_get(p, "value"),
			    d->value[i - 1], 32) == 0;
			d->revealed |= 1u << (i - 1);
		}
		json_decref(ev);
		if (!ok)
			goto out;
	}
	rc = got == SQLITE_DONE ? 0 : -1;
out:
	sqlite3_finalize(s);
	return rc;
}

/* A JSON array of the trustees in mask, in order. */
static json_t *
draw_list(uint32_t mask)
{
	json_t *a = json_array();

	for (uint32_t i = 1; i <= DRAW_TRUSTEES; i++)
		if (mask & (1u << (i - 1)))
			json_array_append_new(a, json_integer(i));
	return a;
}

/* Appends draw.seed from d (inside the caller's transaction). */
static int
draw_seed_write(struct store *st, const struct mrow *m,
    const struct draw_state *d)
{
	uint32_t idx[DRAW_TRUSTEES];
	uint8_t val[DRAW_TRUSTEES][32], sd[8];
	size_t n = 0;
	uint64_t seed;
	char hx[17];
	json_t *p;
	int rc;

	for (uint32_t i = 1; i <= DRAW_TRUSTEES; i++)
		if (d->revealed & (1u << (i - 1))) {
			idx[n] = i;
			memcpy(val[n++], d->value[i - 1], 32);
		}
	seed = audit_draw_seed(m->id, d->head, n, idx,
	    (const uint8_t (*)[32])val);
	for (int k = 0; k < 8; k++)
		sd[k] = (uint8_t)(seed >> (8 * k));
	xhex_encode(hx, sizeof hx, sd, 8);
	p = json_pack("{s:s,s:o}", "seed", hx, "missing",
	    draw_list(d->committed & ~d->revealed));
	rc = p != NULL && store_record_append(st, m->id, "draw.seed", p) == 0 ?
	    0 : -1;
	json_decref(p);
	return rc;
}

int
proxy_draw_seed(struct mctx *c, struct store *st, const struct mrow *m)
{
	const struct pr_body *b = m_body(c, m);
	struct draw_state d;
	uint64_t events;
	json_t *p;
	int rc, e;

	if (b == NULL || b->proxies.absent_holder != PR_ABSENT_RANDOM ||
	    record_exists(st, m->id) != 1)
		return 0;
	if ((e = store_record_has(st, m->id, "draw.closed", NULL)) != 0)
		return e < 0 ? -1 : 0;
	/* Chains the pending ballots first: the head is the record's last
	 * event, the parent of the draw.closed line. */
	if (store_record_checkpoint(st, m->id) != 0 ||
	    store_record_head(st, m->id, d.head, &events) != 0 ||
	    events == 0 || draw_state_load(st, m->id, &d) != 0)
		return -1;
	p = json_pack("{s:o}", "commits", draw_list(d.committed));
	rc = p != NULL && store_record_append(st, m->id, "draw.closed", p) == 0 ?
	    0 : -1;
	json_decref(p);
	/* Nobody committed: the seed now, from the head alone. */
	if (rc == 0 && d.committed == 0 &&
	    (draw_state_load(st, m->id, &d) != 0 || draw_seed_write(st, m,
	    &d) != 0))
		rc = -1;
	return rc;
}

/* ---- the scrutineers' statements ---- */

/* The trustee's identity key (enrolled): 0, or -1 with r set. */
static int
draw_trustee_pk(struct store *st, const struct mrow *m, uint64_t idx,
    uint8_t pk[32], struct mreply *r)
{
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT id_pk FROM trustees"
	    " WHERE meeting = ?1 AND idx = ?2");
	int rc = -1;

	if (s == NULL || store_bind_text(s, 1, m->id) != 0 ||
	    sqlite3_bind_int64(s, 2, (sqlite3_int64)idx) != SQLITE_OK)
		mr_err(r, "unavailable", NULL);
	else if (sqlite3_step(s) != SQLITE_ROW ||
	    sqlite3_column_bytes(s, 0) != 32)
		mr_err(r, "unauthorized", NULL);
	else {
		memcpy(pk, sqlite3_column_blob(s, 0), 32);
		rc = 0;
	}
	sqlite3_finalize(s);
	return rc;
}

/* Decodes {index, KEY (hex32), sig} and checks the trustee's signature
 * over T(label, meeting_id, LE64 index, KEY's bytes). OUT *idx, b[32],
 * *d (the draw's state). 0, or -1 with r set. */
static int
draw_request(struct mctx *c, const struct mrow *m, const struct api_call *call,
    const char *key, const char *label, uint64_t *idx, uint8_t b[32],
    struct draw_state *d, struct mreply *r)
{
	const char *keys[] = { "index", key, "sig" };
	const struct pr_body *pb = m_body(c, m);
	uint8_t sig[64], pk[32], buf[160];
	json_t *doc = NULL;
	framebuf fb;
	int rc = -1, e;

	if (mj_parse(call->body, call->len, keys, 3, &doc, r) != 0)
		return -1;
	if (mj_u64(doc, "index", m->n, idx, r) != 0 || *idx < 1) {
		if (r->status == 0 || r->status == 200)
			mr_err(r, "invalid_field", "index");
		goto out;
	}
	if (mj_hex(doc, key, b, 32, r) != 0 || mj_hex(doc, "sig", sig, 64,
	    r) != 0)
		goto out;
	if (pb == NULL || pb->proxies.absent_holder != PR_ABSENT_RANDOM) {
		mr_err(r, "draw_not_provided", NULL);
		goto out;
	}
	/* The trustees are in the record (the verifier checks the
	 * signature with the ceremony's keys). */
	if ((e = store_record_has(c->st, m->id, "ceremony.trustees",
	    NULL)) != 1) {
		mr_err(r, e < 0 ? "unavailable" : "wrong_phase", NULL);
		goto out;
	}
	if (draw_trustee_pk(c->st, m, *idx, pk, r) != 0)
		goto out;
	stmt_begin(&fb, buf, sizeof buf, label);
	stmt_str(&fb, m->id);
	framebuf_field_u64(&fb, *idx);
	framebuf_field(&fb, b, 32);
	if (stmt_verify(&fb, pk, sig) != 0) {
		mr_err(r, "bad_signature", NULL);
		goto out;
	}
	if (draw_state_load(c->st, m->id, d) != 0) {
		mr_err(r, "unavailable", NULL);
		goto out;
	}
	rc = 0;
out:
	json_decref(doc);
	return rc;
}

/* Writes one statement {trustee, KEY, sig} and, when seed, the seed
 * after it: one transaction. */
static int
draw_store(struct store *st, const struct mrow *m, const char *kind,
    const struct api_call *call, const char *key, bool seed)
{
	json_t *doc = json_loadb((const char *)call->body, call->len, 0, NULL);
	json_t *p = doc == NULL ? NULL : json_pack("{s:O,s:O,s:O}", "trustee",
	    json_object_get(doc, "index"), key, json_object_get(doc, key),
	    "sig", json_object_get(doc, "sig"));
	struct draw_state d;
	int rc = -1;

	if (p != NULL && store_begin(st) == 0) {
		if (store_record_append(st, m->id, kind, p) == 0 &&
		    (!seed || (draw_state_load(st, m->id, &d) == 0 &&
		    draw_seed_write(st, m, &d) == 0)) && store_commit(st) == 0)
			rc = 0;
		else
			store_rollback(st);
	}
	json_decref(p);
	json_decref(doc);
	return rc;
}

void
api_draw_commit(struct mctx *c, const struct mrow *m,
    const struct api_call *call, struct mreply *r)
{
	struct draw_state d;
	uint8_t h[32];
	uint64_t i;

	if (proxy_phase_check(c, m, r) != 0 || draw_request(c, m, call,
	    "hash", "draw-commit", &i, h, &d, r) != 0)
		return;
	if (d.closed)
		mr_err(r, "draw_closed", NULL);
	else if (d.committed & (1u << (i - 1)))
		mr_err(r, "already_done", NULL);
	else if (draw_store(c->st, m, "draw.commit", call, "hash", false) != 0)
		mr_err(r, store_refusal_clear(c->st) ? "record_refused" :
		    "unavailable", NULL);
	else
		mr_ok(r, json_pack("{s:s}", "draw", "committed"));
}

void
api_draw_reveal(struct mctx *c, const struct mrow *m,
    const struct api_call *call, struct mreply *r)
{
	struct draw_state d;
	uint8_t v[32], h[32];
	uint64_t i;
	bool last;

	if (draw_request(c, m, call, "value", "draw-reveal", &i, v, &d,
	    r) != 0)
		return;
	audit_draw_contribution(h, m->id, (uint32_t)i, v);
	last = (d.committed & ~d.revealed) == (1u << (i - 1));
	if (!d.closed || d.seeded)
		mr_err(r, d.seeded ? "draw_seeded" : "draw_not_closed", NULL);
	else if (!(d.committed & (1u << (i - 1))))
		mr_err(r, "draw_no_commit", NULL);
	else if (d.revealed & (1u << (i - 1)))
		mr_err(r, "already_done", NULL);
	else if (memcmp(h, d.hash[i - 1], 32) != 0)
		mr_err(r, "draw_mismatch", NULL);
	else if (draw_store(c->st, m, "draw.reveal", call, "value",
	    last) != 0)
		mr_err(r, store_refusal_clear(c->st) ? "record_refused" :
		    "unavailable", NULL);
	else
		mr_ok(r, json_pack("{s:s,s:b}", "draw", "revealed", "seeded",
		    last));
}

void
api_draw_proceed(struct mctx *c, const struct mrow *m,
    const struct api_call *call, struct mreply *r)
{
	struct draw_state d;
	int ok;

	if (draw_state_load(c->st, m->id, &d) != 0) {
		mr_err(r, "unavailable", NULL);
		return;
	}
	if (!d.closed || d.seeded) {
		mr_err(r, d.seeded ? "draw_seeded" : "draw_not_closed", NULL);
		return;
	}
	if (store_begin(c->st) != 0) {
		mr_err(r, "unavailable", NULL);
		return;
	}
	ok = draw_seed_write(c->st, m, &d) == 0 && store_commit(c->st) == 0;
	if (!ok) {
		store_rollback(c->st);
		mr_err(r, store_refusal_clear(c->st) ? "record_refused" :
		    "unavailable", NULL);
		return;
	}
	mr_ok(r, json_pack("{s:s,s:o}", "draw", "seeded", "missing",
	    draw_list(d.committed & ~d.revealed)));
}

json_t *
draw_status_json(struct store *st, const struct mrow *m)
{
	struct draw_state d;

	if (draw_state_load(st, m->id, &d) != 0)
		return json_null();
	return json_pack("{s:b,s:b,s:o,s:o}", "closed", d.closed, "seeded",
	    d.seeded, "commits", draw_list(d.committed), "reveals",
	    draw_list(d.revealed));
}

/*
 * ceremony.c — the scrutineers' key ceremony as the server keeps it: its
 * public state (GET ceremony, the election in the meeting's view), the
 * trustees' rows, what every step shares (its opening, the check of the
 * trustee's signed statement, its end) and the operator's reset
 * (docs/api.md). Each phase's own checks are in ceremony_phase.c.
 *
 * The server relays commitments, reveals and crypto_box'ed shares: it
 * never holds a share or any part of the election secret. A row holds
 * only what a step checked; what is served here is that public state,
 * hex-encoded, a blob of the wrong size served as null. Trusts the store.
 * Invariants: a step is accepted only in its phase, by an enrolled
 * trustee (after the enrolment) whose identity key signed it, and its
 * rows, event and record messages are committed together or rolled
 * back; a reset clears every trustee's state and revokes the enrolment
 * tokens in one transaction, and is refused once the election key exists.
 */
#include "server/ceremony_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/record.h"
#include "server/store.h"

void
cer_hexset(json_t *o, const char *key, const void *p, size_t n)
{
	char *h;

	if (p == NULL) {
		json_object_set_new(o, key, json_null());
		return;
	}
	h = xmalloc(2 * n + 1);
	xhex_encode(h, 2 * n + 1, p, n);
	json_object_set_new(o, key, json_string(h));
	free(h);
}

const void *
cer_blob(sqlite3_stmt *s, int col, size_t n)
{
	return (size_t)sqlite3_column_bytes(s, col) == n ?
	    sqlite3_column_blob(s, col) : NULL;
}

json_t *
election_json(struct store *st, const struct mrow *m)
{
	json_t *o = json_pack("{s:s,s:i,s:i}", "status", m->ceremony, "n",
	    (int)m->n, "t", (int)m->t), *tr = json_array();
	sqlite3_stmt *s;

	cer_hexset(o, "ceremony_id", m->has_cid ? m->ceremony_id : NULL, 32);
	cer_hexset(o, "eid", m->has_key ? m->eid : NULL, 32);
	cer_hexset(o, "y", m->has_key ? m->y : NULL, 32);
	s = store_prepare(st->roll, "SELECT idx, name, id_pk, box_pk FROM"
	    " trustees WHERE meeting = ?1 ORDER BY idx");
	if (s != NULL && store_bind_text(s, 1, m->id) == 0)
		while (sqlite3_step(s) == SQLITE_ROW) {
			json_t *t = json_pack("{s:i,s:s,s:b}", "index",
			    sqlite3_column_int(s, 0), "name",
			    (const char *)sqlite3_column_text(s, 1),
			    "enrolled", cer_blob(s, 2, 32) != NULL);
			cer_hexset(t, "id_pk", cer_blob(s, 2, 32), 32);
			cer_hexset(t, "box_pk", cer_blob(s, 3, 32), 32);
			json_array_append_new(tr, t);
		}
	sqlite3_finalize(s);
	json_object_set_new(o, "trustees", tr);
	return o;
}

json_t *
ceremony_json(struct store *st, const struct mrow *m)
{
	json_t *o = json_pack("{s:s,s:i,s:i}", "status", m->ceremony, "n",
	    (int)m->n, "t", (int)m->t), *tr = json_array();
	sqlite3_stmt *s;

	cer_hexset(o, "ceremony_id", m->has_cid ? m->ceremony_id : NULL, 32);
	cer_hexset(o, "y", m->has_key ? m->y : NULL, 32);
	cer_hexset(o, "eid", m->has_key ? m->eid : NULL, 32);
	s = store_prepare(st->roll, "SELECT idx, id_pk, box_pk, commit_h,"
	    " reveal, reveal_pok, boxes, key_y, key_pok, complaint FROM"
	    " trustees WHERE meeting = ?1 ORDER BY idx");
	if (s != NULL && store_bind_text(s, 1, m->id) == 0)
		while (sqlite3_step(s) == SQLITE_ROW) {
			json_t *t = json_pack("{s:i}", "index",
			    sqlite3_column_int(s, 0));
			cer_hexset(t, "id_pk", cer_blob(s, 1, 32), 32);
			cer_hexset(t, "box_pk", cer_blob(s, 2, 32), 32);
			cer_hexset(t, "commit", cer_blob(s, 3, 32), 32);
			if (cer_blob(s, 4, 32u * m->t) != NULL) {
				json_t *cs = json_array();
				const uint8_t *p = sqlite3_column_blob(s, 4);
				char h[65];
				for (uint32_t k = 0; k < m->t; k++) {
					xhex_encode(h, sizeof h, p + 32 * k, 32);
					json_array_append_new(cs,
					    json_string(h));
				}
				json_t *rv = json_pack("{s:o}", "commitments",
				    cs);
				cer_hexset(rv, "pok", cer_blob(s, 5, 64), 64);
				json_object_set_new(t, "reveal", rv);
			} else
				json_object_set_new(t, "reveal", json_null());
			if (cer_blob(s, 6, (size_t)DKG_BOX_BYTES * m->n) !=
			    NULL) {
				json_t *bs = json_array();
				const uint8_t *p = sqlite3_column_blob(s, 6);
				char h[2 * DKG_BOX_BYTES + 1];
				for (uint32_t k = 0; k < m->n; k++) {
					xhex_encode(h, sizeof h,
					    p + DKG_BOX_BYTES * k,
					    DKG_BOX_BYTES);
					json_array_append_new(bs,
					    json_string(h));
				}
				json_object_set_new(t, "boxes", bs);
			} else
				json_object_set_new(t, "boxes", json_null());
			if (cer_blob(s, 7, 32) != NULL) {
				json_t *k = json_object();
				cer_hexset(k, "y", cer_blob(s, 7, 32), 32);
				cer_hexset(k, "pok", cer_blob(s, 8, 64), 64);
				json_object_set_new(t, "key", k);
			} else
				json_object_set_new(t, "key", json_null());
			json_object_set_new(t, "complaint",
			    sqlite3_column_type(s, 9) == SQLITE_NULL ?
			    json_null() : json_integer(sqlite3_column_int(s,
			    9)));
			json_array_append_new(tr, t);
		}
	sqlite3_finalize(s);
	json_object_set_new(o, "trustees", tr);
	return o;
}

int
trustees_load(struct store *st, const struct mrow *m, struct trow *tr)
{
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT idx, id_pk, box_pk,"
	    " commit_h, reveal, reveal_pok, boxes, key_y FROM trustees WHERE"
	    " meeting = ?1");
	int rc = -1;

	memset(tr, 0, sizeof *tr * DKG_TRUSTEES_MAX);
	if (s == NULL || store_bind_text(s, 1, m->id) != 0)
		goto out;
	while (sqlite3_step(s) == SQLITE_ROW) {
		int i = sqlite3_column_int(s, 0);
		struct trow *t;
		if (i < 1 || (uint32_t)i > m->n)
			goto out;
		t = &tr[i - 1];
		if (cer_blob(s, 1, 32) && cer_blob(s, 2, 32)) {
			t->enrolled = 1;
			memcpy(t->id_pk, cer_blob(s, 1, 32), 32);
			memcpy(t->box_pk, cer_blob(s, 2, 32), 32);
		}
		if (cer_blob(s, 3, 32)) {
			t->has_commit = 1;
			memcpy(t->h, cer_blob(s, 3, 32), 32);
		}
		if (cer_blob(s, 4, 32u * m->t) && cer_blob(s, 5, 64)) {
			t->has_reveal = 1;
			memcpy(t->cs, cer_blob(s, 4, 32u * m->t), 32u * m->t);
			memcpy(t->pok, cer_blob(s, 5, 64), 64);
		}
		t->has_boxes = cer_blob(s, 6, (size_t)DKG_BOX_BYTES * m->n) !=
		    NULL;
		if (cer_blob(s, 7, 32)) {
			t->has_key = 1;
			memcpy(t->y, cer_blob(s, 7, 32), 32);
		}
	}
	rc = 0;
out:
	sqlite3_finalize(s);
	return rc;
}

/* The meeting's ceremony phase; ceremony_id, y and eid unless NULL. */
static int
m_set_ceremony(struct store *st, const char *meeting, const char *status,
    const uint8_t *cid, const uint8_t *y, const uint8_t *eid)
{
	sqlite3_stmt *s = store_prepare(st->roll, "UPDATE meetings SET"
	    " ceremony = ?2, ceremony_id = coalesce(?3, ceremony_id), y ="
	    " coalesce(?4, y), eid = coalesce(?5, eid) WHERE id = ?1");
	int ok = s != NULL && store_bind_text(s, 1, meeting) == 0 &&
	    store_bind_text(s, 2, status) == 0 &&
	    (cid ? sqlite3_bind_blob(s, 3, cid, 32, SQLITE_TRANSIENT) :
	        sqlite3_bind_null(s, 3)) == SQLITE_OK &&
	    (y ? sqlite3_bind_blob(s, 4, y, 32, SQLITE_TRANSIENT) :
	        sqlite3_bind_null(s, 4)) == SQLITE_OK &&
	    (eid ? sqlite3_bind_blob(s, 5, eid, 32, SQLITE_TRANSIENT) :
	        sqlite3_bind_null(s, 5)) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_DONE;

	sqlite3_finalize(s);
	return ok ? 0 : -1;
}

/* ---- one step of the ceremony (its phases: ceremony_phase.c) ---- */

int
cer_step_read(struct cer_step *sp, struct mctx *c, const struct mrow *m,
    const struct api_call *call, const char *const *keys, size_t nkeys,
    struct mreply *r)
{
	memset(sp, 0, sizeof *sp);
	sp->c = c;
	sp->m = m;
	sp->tr = xcalloc(DKG_TRUSTEES_MAX, sizeof *sp->tr);
	if (mj_parse(call->body, call->len, keys, nkeys, &sp->doc, r) != 0)
		return -1;
	if (mj_u64(sp->doc, "index", m->n, &sp->idx, r) != 0 || sp->idx < 1 ||
	    mj_hex(sp->doc, "sig", sp->sig, 64, r) != 0) {
		if (r->status == 0 || r->status == 200)
			mr_err(r, "invalid_field", "index");
		return -1;
	}
	return 0;
}

int
cer_step_begin(struct cer_step *sp, const char *phase, struct mreply *r)
{
	struct store *st = sp->c->st;

	if (strcmp(sp->m->ceremony, phase) != 0) {
		mr_err(r, "wrong_phase", NULL);
		return -1;
	}
	if (trustees_load(st, sp->m, sp->tr) != 0 || store_begin(st) != 0) {
		mr_err(r, "unavailable", NULL);
		return -1;
	}
	sp->begun = 1;
	sp->me = &sp->tr[(size_t)sp->idx - 1];
	sp->ev = json_pack("{s:s,s:I}", "meeting", sp->m->id, "index",
	    (json_int_t)sp->idx);
	return 0;
}

int
cer_step_open(struct cer_step *sp, struct mctx *c, const struct mrow *m,
    const struct api_call *call, const char *const *keys, size_t nkeys,
    const char *phase, struct mreply *r)
{
	if (cer_step_read(sp, c, m, call, keys, nkeys, r) != 0 ||
	    cer_step_begin(sp, phase, r) != 0)
		return -1;
	/* Every step after the enrolment: signed by the enrolled identity
	 * key. */
	if (!sp->me->enrolled) {
		mr_err(r, "unauthorized", NULL);
		return -1;
	}
	return 0;
}

void
cer_stmt_begin(struct cer_step *sp, const char *kind)
{
	stmt_begin(&sp->fb, sp->buf, sizeof sp->buf, kind);
	framebuf_field(&sp->fb, sp->m->ceremony_id, 32);
	framebuf_field_u64(&sp->fb, sp->idx);
}

int
cer_stmt_check(const struct cer_step *sp, struct mreply *r)
{
	if (stmt_verify(&sp->fb, sp->me->id_pk, sp->sig) != 0) {
		mr_err(r, "bad_signature", NULL);
		return -1;
	}
	return 0;
}

int
cer_step_update(struct cer_step *sp, const char *sql, const void *b1,
    size_t l1, const void *b2, size_t l2, struct mreply *r)
{
	sqlite3_stmt *s = store_prepare(sp->c->st->roll, sql);
	int ok = s != NULL && store_bind_text(s, 1, sp->m->id) == 0 &&
	    sqlite3_bind_int(s, 2, (int)sp->idx) == SQLITE_OK &&
	    (b1 == NULL || sqlite3_bind_blob(s, 3, b1, (int)l1,
	        SQLITE_TRANSIENT) == SQLITE_OK) &&
	    (b2 == NULL || sqlite3_bind_blob(s, 4, b2, (int)l2,
	        SQLITE_TRANSIENT) == SQLITE_OK) &&
	    sqlite3_step(s) == SQLITE_DONE;

	sqlite3_finalize(s);
	if (!ok)
		mr_err(r, "unavailable", NULL);
	return ok ? 0 : -1;
}

int
cer_step_next(struct cer_step *sp, const char *next, const uint8_t *cid,
    const uint8_t *y, const uint8_t *eid, struct mreply *r)
{
	if (m_set_ceremony(sp->c->st, sp->m->id, next, cid, y, eid) != 0) {
		mr_err(r, "unavailable", NULL);
		return -1;
	}
	sp->next = next;
	return 0;
}

/* The step's event, then its record: the trustee's message as received,
 * then the end of the ceremony and a checkpoint. 0, or -1. */
static int
cer_step_store(struct cer_step *sp)
{
	struct store *st = sp->c->st;
	const char *id = sp->m->id;

	cer_hexset(sp->ev, "sig", sp->sig, 64);
	if (store_event_record(st, sp->kind, sp->ev, NULL) != 0)
		return -1;
	if (sp->rkind != NULL && record_exists(st, id) == 1 &&
	    (store_record_append(st, id, sp->rkind, sp->rec) != 0 ||
	     (sp->rkind2 != NULL && (store_record_append(st, id, sp->rkind2,
	         sp->rec2) != 0 || store_record_checkpoint(st, id) != 0))))
		return -1;
	return store_commit(st);
}

void
cer_step_end(struct cer_step *sp, int ok, struct mreply *r)
{
	struct store *st = sp->c->st;
	struct mrow m2;

	if (ok && cer_step_store(sp) != 0) {
		mr_err(r, "unavailable", NULL);
		ok = 0;
	}
	if (!ok && sp->begun)
		store_rollback(st);
	if (ok && sp->next != NULL && m_load(st, sp->m->id, &m2) == 0)
		notify(sp->c, sp->m->id, "election", election_json(st, &m2));
	free(sp->tr);
	json_decref(sp->ev);
	json_decref(sp->rec);
	json_decref(sp->rec2);
	json_decref(sp->doc);
}

/* GET ceremony: the key ceremony's public state. */
void
api_ceremony(struct mctx *c, const struct mrow *m,
    const struct api_call *call, struct mreply *r)
{
	mr_ok(r, ceremony_json(c->st, m));
}

int
meeting_ceremony_reset(struct store *st, const char *id, char *err,
    size_t errcap)
{
	struct mrow m;
	sqlite3_stmt *s;
	json_t *ev;
	int ok;

	if (m_load(st, id, &m) != 0) {
		snprintf(err, errcap, "réunion inconnue : %s", id);
		return -1;
	}
	if (strcmp(m.ceremony, "done") == 0) {
		snprintf(err, errcap, "la cérémonie est terminée : la clé"
		    " d'élection existe");
		return -1;
	}
	/* The record's ceremony events are once only (docs/record.md): a
	 * reset after them would leave a meeting whose ceremony can never
	 * be recorded again. */
	if (store_record_has(st, id, "ceremony.trustees", NULL) != 0) {
		snprintf(err, errcap, "la cérémonie ne peut plus être"
		    " recommencée : les scrutateurs sont déjà inscrits à"
		    " l'enregistrement public de la réunion. Si un scrutateur"
		    " ne peut plus continuer, la cérémonie s'achève sans lui"
		    " tant que le seuil est atteint ; sinon, créez une nouvelle"
		    " réunion");
		return -1;
	}
	if (store_begin(st) != 0)
		return -1;
	s = store_prepare(st->roll, "UPDATE trustees SET id_pk = NULL, box_pk"
	    " = NULL, commit_h = NULL, reveal = NULL, reveal_pok = NULL, boxes"
	    " = NULL, key_y = NULL, key_pok = NULL, complaint = NULL WHERE"
	    " meeting = ?1");
	ok = s != NULL && store_bind_text(s, 1, id) == 0 &&
	    sqlite3_step(s) == SQLITE_DONE;
	sqlite3_finalize(s);
	s = store_prepare(st->roll, "UPDATE meetings SET ceremony ="
	    " 'enrolment', ceremony_id = NULL WHERE id = ?1");
	ok = ok && s != NULL && store_bind_text(s, 1, id) == 0 &&
	    sqlite3_step(s) == SQLITE_DONE;
	sqlite3_finalize(s);
	s = store_prepare(st->roll, "UPDATE tokens SET status = 'revoked'"
	    " WHERE meeting = ?1 AND role = 'enrol' AND status = 'active'");
	ok = ok && s != NULL && store_bind_text(s, 1, id) == 0 &&
	    sqlite3_step(s) == SQLITE_DONE;
	sqlite3_finalize(s);
	ev = json_pack("{s:s}", "meeting", id);
	if (!ok || store_event_record(st, "ceremony.reset", ev, NULL) != 0 ||
	    store_commit(st) != 0) {
		json_decref(ev);
		store_rollback(st);
		return -1;
	}
	json_decref(ev);
	return 0;
}

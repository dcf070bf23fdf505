/*
 * ceremony.c — the scrutineers' key ceremony relayed by the server, the
 * close of a question (homomorphic totals), the decryption shares, the
 * count under the statutes and the signed result (docs/api.md).
 *
 * The server relays commitments, reveals and crypto_box'ed shares: it
 * never holds a share or any part of the election secret. It checks what
 * it can check publicly (signatures by the enrolled identity keys, the
 * reveal against its hash commitment, each Y_j against the commitments and
 * its proof of possession, each decryption share's DLEQ proof) and keeps
 * only what passed. Trusts crypto/ (dkg.h, tally.h, dlog.h) and the
 * statutes engine.
 */
#include "server/ceremony_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "ballot-formats/phrase.h"
#include "ballot-formats/profile.h"
#include "crypto/scrutin_crypto.h"
#include "server/cred.h"
#include "server/record.h"
#include "server/store.h"
#include "crypto/hex.h"

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

/* Runs an UPDATE with (meeting, idx) as ?1, ?2 and up to two blobs. */
int
tr_update(struct store *st, const char *sql, const char *meeting,
    uint32_t idx, const void *b1, size_t l1, const void *b2, size_t l2)
{
	sqlite3_stmt *s = store_prepare(st->roll, sql);
	int ok = s != NULL && store_bind_text(s, 1, meeting) == 0 &&
	    sqlite3_bind_int(s, 2, (int)idx) == SQLITE_OK &&
	    (b1 == NULL || sqlite3_bind_blob(s, 3, b1, (int)l1,
	        SQLITE_TRANSIENT) == SQLITE_OK) &&
	    (b2 == NULL || sqlite3_bind_blob(s, 4, b2, (int)l2,
	        SQLITE_TRANSIENT) == SQLITE_OK) &&
	    sqlite3_step(s) == SQLITE_DONE;

	sqlite3_finalize(s);
	return ok ? 0 : -1;
}

int
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

static void
eid_compute(uint8_t eid[32], const char *meeting, const uint8_t cid[32],
    const uint8_t y[32])
{
	/* docs/record.md §4: eid = H256("election", ceremony_id, Y,
	 * meeting_id). */
	const uint8_t *f[3] = { cid, y, (const uint8_t *)meeting };
	size_t l[3] = { 32, 32, strlen(meeting) };

	transcript_hash(eid, TRANSCRIPT_H256, "election", f, l, 3);
}

/* GET ceremony: the key ceremony's public state. */
void
api_ceremony(struct mctx *c, const struct mrow *m,
    const struct api_call *call, struct mreply *r)
{
	mr_ok(r, ceremony_json(c->st, m));
}

void
ceremony_api(struct mctx *c, const struct mrow *m, const struct api_call *call,
    struct mreply *r)
{
	uint32_t op = call->op;
	const char *auth = call->auth;
	const uint8_t *body = call->body;
	size_t len = call->len;
	static const char *k_enrol[] = { "index", "id_pk", "box_pk", "sig" };
	static const char *k_commit[] = { "index", "h", "sig" };
	static const char *k_reveal[] = { "index", "commitments", "pok", "sig" };
	static const char *k_shares[] = { "index", "boxes", "sig" };
	static const char *k_key[] = { "index", "y", "pok", "sig" };
	static const char *k_compl[] = { "index", "dealer", "sig" };
	struct store *st = c->st;
	struct trow *tr = xcalloc(DKG_TRUSTEES_MAX, sizeof *tr);
	json_t *doc = NULL, *ev = NULL, *rec = NULL, *rec2 = NULL;
	const char *rkind = NULL, *rkind2 = NULL;
	uint8_t sig[64], buf[4096], *big = NULL;
	uint64_t idx;
	unsigned tok_idx;
	framebuf fb;
	const char *phase, *next = NULL, *kind = NULL;
	size_t done = 0;
	int ok;

	switch (op) {
	case MOP_ENROL:
		if (token_check(st, m->id, "enrol", auth, &tok_idx) != 0) {
			mr_err(r, "unauthorized", NULL);
			goto out;
		}
		ok = mj_parse(body, len, k_enrol, 4, &doc, r); phase = "enrolment";
		break;
	case MOP_COMMIT:
		ok = mj_parse(body, len, k_commit, 3, &doc, r); phase = "commit";
		break;
	case MOP_REVEAL:
		ok = mj_parse(body, len, k_reveal, 4, &doc, r); phase = "reveal";
		break;
	case MOP_SHARES:
		ok = mj_parse(body, len, k_shares, 3, &doc, r); phase = "shares";
		break;
	case MOP_KEY:
		ok = mj_parse(body, len, k_key, 4, &doc, r); phase = "keys";
		break;
	default:
		ok = mj_parse(body, len, k_compl, 3, &doc, r); phase = "keys";
		break;
	}
	if (ok != 0)
		goto out;
	if (mj_u64(doc, "index", m->n, &idx, r) != 0 || idx < 1 ||
	    mj_hex(doc, "sig", sig, 64, r) != 0) {
		if (r->status == 0 || r->status == 200)
			mr_err(r, "invalid_field", "index");
		goto out;
	}
	if (op == MOP_ENROL && idx != tok_idx) {
		mr_err(r, "unauthorized", NULL);
		goto out;
	}
	if (strcmp(m->ceremony, phase) != 0) {
		mr_err(r, "wrong_phase", NULL);
		goto out;
	}
	if (trustees_load(st, m, tr) != 0) {
		mr_err(r, "unavailable", NULL);
		goto out;
	}
	struct trow *me = &tr[(size_t)idx - 1];
	if (store_begin(st) != 0) {
		mr_err(r, "unavailable", NULL);
		goto out;
	}
	ev = json_pack("{s:s,s:I}", "meeting", m->id, "index", (json_int_t)idx);
	if (op == MOP_ENROL) {
		uint8_t id_pk[32], box_pk[32];
		if (mj_hex(doc, "id_pk", id_pk, 32, r) != 0 ||
		    mj_hex(doc, "box_pk", box_pk, 32, r) != 0)
			goto fail;
		for (uint32_t k = 0; k < m->n; k++)
			if (tr[k].enrolled && memcmp(tr[k].id_pk, id_pk, 32) ==
			    0) {
				mr_err(r, "invalid_field", "id_pk");
				goto fail;
			}
		stmt_begin(&fb, buf, sizeof buf, "trustee-enrol");
		stmt_str(&fb, m->id);
		framebuf_field_u64(&fb, idx);
		framebuf_field(&fb, id_pk, 32);
		framebuf_field(&fb, box_pk, 32);
		if (stmt_verify(&fb, id_pk, sig) != 0) {
			mr_err(r, "bad_signature", NULL);
			goto fail;
		}
		if (tr_update(st, "UPDATE trustees SET id_pk = ?3, box_pk = ?4"
		        " WHERE meeting = ?1 AND idx = ?2", m->id,
		        (uint32_t)idx, id_pk, 32, box_pk, 32) != 0 ||
		    token_use(st, auth) != 0)
			goto fail_int;
		me->enrolled = 1;
		memcpy(me->id_pk, id_pk, 32);
		memcpy(me->box_pk, box_pk, 32);
		cer_hexset(ev, "id_pk", id_pk, 32);
		cer_hexset(ev, "box_pk", box_pk, 32);
		kind = "ceremony.enrol";
		for (uint32_t k = 0; k < m->n; k++)
			done += (size_t)(tr[k].enrolled != 0);
		if (done == m->n) {
			uint8_t ids[DKG_TRUSTEES_MAX][32], bxs[DKG_TRUSTEES_MAX][32];
			uint8_t cid[32];
			for (uint32_t k = 0; k < m->n; k++) {
				memcpy(ids[k], tr[k].id_pk, 32);
				memcpy(bxs[k], tr[k].box_pk, 32);
			}
			if (dkg_ceremony_id(cid, (const uint8_t *)m->id,
			        strlen(m->id), m->n, m->t,
			        (const uint8_t (*)[32])ids,
			        (const uint8_t (*)[32])bxs) != 0 ||
			    m_set_ceremony(st, m->id, "commit", cid, NULL,
			        NULL) != 0)
				goto fail_int;
			cer_hexset(ev, "ceremony_id", cid, 32);
			next = "commit";
			rec = json_pack("{s:I,s:I,s:[]}", "n", (json_int_t)m->n,
			    "t", (json_int_t)m->t, "trustees");
			for (uint32_t k = 0; k < m->n; k++) {
				json_t *o = json_pack("{s:I}", "index",
				    (json_int_t)(k + 1));
				cer_hexset(o, "id_pk", tr[k].id_pk, 32);
				cer_hexset(o, "box_pk", tr[k].box_pk, 32);
				json_array_append_new(json_object_get(rec,
				    "trustees"), o);
			}
			cer_hexset(rec, "ceremony_id", cid, 32);
			rkind = "ceremony.trustees";
		}
		mr_ok(r, json_pack("{s:I,s:i,s:i}", "index", (json_int_t)idx,
		    "n", (int)m->n, "t", (int)m->t));
		goto commit;
	}
	/* Every other step: signed by the enrolled identity key. */
	if (!me->enrolled) {
		mr_err(r, "unauthorized", NULL);
		goto fail;
	}
	if (op == MOP_COMMIT) {
		uint8_t h[32];
		if (me->has_commit) {
			mr_err(r, "already_done", NULL);
			goto fail;
		}
		if (mj_hex(doc, "h", h, 32, r) != 0)
			goto fail;
		stmt_begin(&fb, buf, sizeof buf, "trustee-commit");
		framebuf_field(&fb, m->ceremony_id, 32);
		framebuf_field_u64(&fb, idx);
		framebuf_field(&fb, h, 32);
		if (stmt_verify(&fb, me->id_pk, sig) != 0) {
			mr_err(r, "bad_signature", NULL);
			goto fail;
		}
		if (tr_update(st, "UPDATE trustees SET commit_h = ?3 WHERE"
		        " meeting = ?1 AND idx = ?2", m->id, (uint32_t)idx, h,
		        32, NULL, 0) != 0)
			goto fail_int;
		me->has_commit = 1;
		cer_hexset(ev, "h", h, 32);
		kind = "ceremony.commit";
		rec = json_pack("{s:I}", "trustee", (json_int_t)idx);
		cer_hexset(rec, "hash", h, 32);
		cer_hexset(rec, "sig", sig, 64);
		rkind = kind;
		for (uint32_t k = 0; k < m->n; k++)
			done += (size_t)(tr[k].has_commit != 0);
		if (done == m->n)
			next = "reveal";
	} else if (op == MOP_REVEAL) {
		json_t *cs = json_object_get(doc, "commitments"), *v;
		uint8_t cm[DKG_TRUSTEES_MAX][32], pok[64];
		size_t i;
		if (me->has_reveal) {
			mr_err(r, "already_done", NULL);
			goto fail;
		}
		if (!json_is_array(cs) || json_array_size(cs) != m->t) {
			mr_err(r, "invalid_field", "commitments");
			goto fail;
		}
		json_array_foreach(cs, i, v) {
			if (!json_is_string(v) || json_string_length(v) != 64 ||
			    hex_decode(cm[i], 32, json_string_value(v),
			        json_string_length(v)) != 0) {
				mr_err(r, "invalid_field", "commitments");
				goto fail;
			}
		}
		if (mj_hex(doc, "pok", pok, 64, r) != 0)
			goto fail;
		stmt_begin(&fb, buf, sizeof buf, "trustee-reveal");
		framebuf_field(&fb, m->ceremony_id, 32);
		framebuf_field_u64(&fb, idx);
		framebuf_field(&fb, cm, 32u * m->t);
		framebuf_field(&fb, pok, 64);
		if (stmt_verify(&fb, me->id_pk, sig) != 0) {
			mr_err(r, "bad_signature", NULL);
			goto fail;
		}
		if (dkg_commitment_verify(m->ceremony_id, (uint32_t)idx,
		        (const uint8_t (*)[32])cm, m->t, pok, me->h) != 0) {
			mr_err(r, "bad_proof", NULL);
			goto fail;
		}
		if (tr_update(st, "UPDATE trustees SET reveal = ?3, reveal_pok"
		        " = ?4 WHERE meeting = ?1 AND idx = ?2", m->id,
		        (uint32_t)idx, cm, 32u * m->t, pok, 64) != 0)
			goto fail_int;
		me->has_reveal = 1;
		cer_hexset(ev, "commitments", cm, 32u * m->t);
		cer_hexset(ev, "pok", pok, 64);
		kind = "ceremony.reveal";
		rec = json_pack("{s:I,s:[]}", "trustee", (json_int_t)idx,
		    "commitments");
		for (uint32_t k = 0; k < m->t; k++) {
			char h64[65];
			xhex_encode(h64, sizeof h64, cm[k], 32);
			json_array_append_new(json_object_get(rec,
			    "commitments"), json_string(h64));
		}
		cer_hexset(rec, "pok", pok, 64);
		cer_hexset(rec, "sig", sig, 64);
		rkind = kind;
		for (uint32_t k = 0; k < m->n; k++)
			done += (size_t)(tr[k].has_reveal != 0);
		if (done == m->n)
			next = "shares";
	} else if (op == MOP_SHARES) {
		json_t *bs = json_object_get(doc, "boxes"), *v;
		size_t i;
		if (me->has_boxes) {
			mr_err(r, "already_done", NULL);
			goto fail;
		}
		if (!json_is_array(bs) || json_array_size(bs) != m->n) {
			mr_err(r, "invalid_field", "boxes");
			goto fail;
		}
		big = xmalloc((size_t)DKG_BOX_BYTES * m->n);
		json_array_foreach(bs, i, v) {
			if (!json_is_string(v) || json_string_length(v) !=
			        2 * DKG_BOX_BYTES ||
			    hex_decode(big + DKG_BOX_BYTES * i,
			        DKG_BOX_BYTES, json_string_value(v),
			        json_string_length(v)) != 0) {
				mr_err(r, "invalid_field", "boxes");
				goto fail;
			}
		}
		stmt_begin(&fb, buf, sizeof buf, "trustee-shares");
		framebuf_field(&fb, m->ceremony_id, 32);
		framebuf_field_u64(&fb, idx);
		framebuf_field(&fb, big, (size_t)DKG_BOX_BYTES * m->n);
		if (stmt_verify(&fb, me->id_pk, sig) != 0) {
			mr_err(r, "bad_signature", NULL);
			goto fail;
		}
		if (tr_update(st, "UPDATE trustees SET boxes = ?3 WHERE"
		        " meeting = ?1 AND idx = ?2", m->id, (uint32_t)idx, big,
		        (size_t)DKG_BOX_BYTES * m->n, NULL, 0) != 0)
			goto fail_int;
		me->has_boxes = 1;
		cer_hexset(ev, "boxes", big, (size_t)DKG_BOX_BYTES * m->n);
		kind = "ceremony.shares";
		/* The record keeps the boxes (opaque to the verifier), not
		 * the relay's signature over them (docs/record.md §4). */
		rec = json_pack("{s:I,s:[]}", "trustee", (json_int_t)idx,
		    "boxes");
		for (uint32_t k = 0; k < m->n; k++) {
			json_t *o = json_pack("{s:I}", "to",
			    (json_int_t)(k + 1));
			cer_hexset(o, "box", big + (size_t)DKG_BOX_BYTES * k,
			    DKG_BOX_BYTES);
			json_array_append_new(json_object_get(rec, "boxes"),
			    o);
		}
		rkind = kind;
		for (uint32_t k = 0; k < m->n; k++)
			done += (size_t)(tr[k].has_boxes != 0);
		if (done == m->n)
			next = "keys";
	} else if (op == MOP_KEY) {
		uint8_t y[32], pok[64], want[32], all[DKG_TRUSTEES_MAX *
		    DKG_TRUSTEES_MAX][32];
		if (me->has_key) {
			mr_err(r, "already_done", NULL);
			goto fail;
		}
		if (mj_hex(doc, "y", y, 32, r) != 0 ||
		    mj_hex(doc, "pok", pok, 64, r) != 0)
			goto fail;
		stmt_begin(&fb, buf, sizeof buf, "trustee-key-share");
		framebuf_field(&fb, m->ceremony_id, 32);
		framebuf_field_u64(&fb, idx);
		framebuf_field(&fb, y, 32);
		framebuf_field(&fb, pok, 64);
		if (stmt_verify(&fb, me->id_pk, sig) != 0) {
			mr_err(r, "bad_signature", NULL);
			goto fail;
		}
		for (uint32_t k = 0; k < m->n; k++)
			memcpy(all[k * m->t], tr[k].cs, 32u * m->t);
		if (dkg_verification_key(want, (const uint8_t (*)[32])all,
		        m->n, m->t, (uint32_t)idx) != 0 ||
		    sodium_memcmp(want, y, 32) != 0 ||
		    dkg_share_pok_verify(m->ceremony_id, (uint32_t)idx, y,
		        pok) != 0) {
			mr_err(r, "bad_proof", NULL);
			goto fail;
		}
		if (tr_update(st, "UPDATE trustees SET key_y = ?3, key_pok = ?4"
		        " WHERE meeting = ?1 AND idx = ?2", m->id,
		        (uint32_t)idx, y, 32, pok, 64) != 0)
			goto fail_int;
		me->has_key = 1;
		cer_hexset(ev, "y", y, 32);
		cer_hexset(ev, "pok", pok, 64);
		kind = "ceremony.key";
		rec = json_pack("{s:I}", "trustee", (json_int_t)idx);
		cer_hexset(rec, "yj", y, 32);
		cer_hexset(rec, "pok", pok, 64);
		cer_hexset(rec, "sig", sig, 64);
		rkind = "ceremony.key_share";
		for (uint32_t k = 0; k < m->n; k++)
			done += (size_t)(tr[k].has_key != 0);
		if (done == m->n) {
			uint8_t Y[32], eid[32];
			if (dkg_public_key(Y, (const uint8_t (*)[32])all, m->n,
			        m->t) != 0)
				goto fail_int;
			eid_compute(eid, m->id, m->ceremony_id, Y);
			if (m_set_ceremony(st, m->id, "done", NULL, Y, eid) !=
			    0)
				goto fail_int;
			cer_hexset(ev, "election_key", Y, 32);
			cer_hexset(ev, "eid", eid, 32);
			next = "done";
			rec2 = json_object();
			cer_hexset(rec2, "y", Y, 32);
			cer_hexset(rec2, "eid", eid, 32);
			rkind2 = "ceremony.done";
		}
	} else {
		uint64_t dealer;
		if (mj_u64(doc, "dealer", m->n, &dealer, r) != 0 ||
		    dealer < 1) {
			mr_err(r, "invalid_field", "dealer");
			goto fail;
		}
		stmt_begin(&fb, buf, sizeof buf, "trustee-complaint");
		framebuf_field(&fb, m->ceremony_id, 32);
		framebuf_field_u64(&fb, idx);
		framebuf_field_u64(&fb, dealer);
		if (stmt_verify(&fb, me->id_pk, sig) != 0) {
			mr_err(r, "bad_signature", NULL);
			goto fail;
		}
		if (tr_update(st, "UPDATE trustees SET complaint = ?3 WHERE"
		        " meeting = ?1 AND idx = ?2", m->id, (uint32_t)idx,
		        NULL, 0, NULL, 0) != 0)
			goto fail_int;
		{
			sqlite3_stmt *s = store_prepare(st->roll, "UPDATE"
			    " trustees SET complaint = ?3 WHERE meeting = ?1"
			    " AND idx = ?2");
			int ok2 = s != NULL && store_bind_text(s, 1, m->id) ==
			    0 && sqlite3_bind_int(s, 2, (int)idx) == SQLITE_OK &&
			    sqlite3_bind_int(s, 3, (int)dealer) == SQLITE_OK &&
			    sqlite3_step(s) == SQLITE_DONE;
			sqlite3_finalize(s);
			if (!ok2)
				goto fail_int;
		}
		json_object_set_new(ev, "dealer", json_integer((json_int_t)
		    dealer));
		kind = "ceremony.complaint";
		next = "failed";
	}
	mr_ok(r, json_pack("{s:b}", "accepted", 1));
commit:
	cer_hexset(ev, "sig", sig, 64);
	if (next != NULL && op != MOP_ENROL && op != MOP_KEY &&
	    m_set_ceremony(st, m->id, next, NULL, NULL, NULL) != 0)
		goto fail_int;
	if (store_event_record(st, kind, ev, NULL) != 0)
		goto fail_int;
	/* The record: the trustee's message as received, then the end of
	 * the ceremony and a checkpoint. */
	if (rkind != NULL && record_exists(st, m->id) == 1 &&
	    (store_record_append(st, m->id, rkind, rec) != 0 ||
	     (rkind2 != NULL && (store_record_append(st, m->id, rkind2,
	         rec2) != 0 || store_record_checkpoint(st, m->id) != 0))))
		goto fail_int;
	if (store_commit(st) != 0)
		goto fail_int;
	if (next != NULL) {
		struct mrow m2;
		if (m_load(st, m->id, &m2) == 0)
			notify(c, m->id, "election", election_json(st, &m2));
	}
	goto out;
fail_int:
	mr_err(r, "unavailable", NULL);
fail:
	store_rollback(st);
out:
	free(big);
	free(tr);
	json_decref(ev);
	json_decref(rec);
	json_decref(rec2);
	json_decref(doc);
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

/*
 * ceremony_phase.c — the steps of the scrutineers' key ceremony as the
 * server relays them (docs/api.md, docs/protocol.md): enrolment, hash
 * commitments, reveals, encrypted shares, verification keys, and a
 * complaint that ends the ceremony.
 *
 * Each step is a statement signed by the trustee (at enrolment by the
 * identity key it enrols, afterwards by the enrolled one), accepted only
 * in its phase and once per trustee. The server checks what it can
 * check publicly — the reveal against its hash commitment and its proof
 * of possession, each Y_j against the commitments and its proof — and
 * keeps only what passed; the boxes it relays are opaque to it. When
 * every trustee has done a step, the ceremony moves to the next phase;
 * after the last, the election key Y and the election's eid exist.
 *
 * Trusts: the store, crypto/ (dkg.h). Invariant: a step's rows, its
 * event and its record entry land in one transaction, or none of them.
 */
#include "server/ceremony_int.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crypto/hex.h"
#include "crypto/scrutin_crypto.h"
#include "server/record.h"
#include "server/store.h"

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

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
 * Each step is one handler, the row of its route in server/api.c; what
 * the steps share (struct cer_step: decoding, phase, signed statement,
 * commit or rollback) is in ceremony.c.
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

/* The ceremony's identifier once every trustee is enrolled (the phase
 * moves to "commit"), and the record's list of the trustees. */
static int
enrol_complete(struct cer_step *sp, struct mreply *r)
{
	const struct mrow *m = sp->m;
	uint8_t ids[DKG_TRUSTEES_MAX][32], bxs[DKG_TRUSTEES_MAX][32];
	uint8_t cid[32];

	for (uint32_t k = 0; k < m->n; k++) {
		memcpy(ids[k], sp->tr[k].id_pk, 32);
		memcpy(bxs[k], sp->tr[k].box_pk, 32);
	}
	if (dkg_ceremony_id(cid, (const uint8_t *)m->id, strlen(m->id), m->n,
	        m->t, (const uint8_t (*)[32])ids,
	        (const uint8_t (*)[32])bxs) != 0) {
		mr_err(r, "unavailable", NULL);
		return -1;
	}
	if (cer_step_next(sp, "commit", cid, NULL, NULL, r) != 0)
		return -1;
	cer_hexset(sp->ev, "ceremony_id", cid, 32);
	sp->rec = json_pack("{s:I,s:I,s:[]}", "n", (json_int_t)m->n, "t",
	    (json_int_t)m->t, "trustees");
	for (uint32_t k = 0; k < m->n; k++) {
		json_t *o = json_pack("{s:I}", "index", (json_int_t)(k + 1));
		cer_hexset(o, "id_pk", sp->tr[k].id_pk, 32);
		cer_hexset(o, "box_pk", sp->tr[k].box_pk, 32);
		json_array_append_new(json_object_get(sp->rec, "trustees"), o);
	}
	cer_hexset(sp->rec, "ceremony_id", cid, 32);
	sp->rkind = "ceremony.trustees";
	return 0;
}

/* POST trustees/enrol: a scrutineer's identity and box keys, with the
 * one-time enrolment token of its index, signed by the identity key. */
void
api_enrol(struct mctx *c, const struct mrow *m, const struct api_call *call,
    struct mreply *r)
{
	static const char *keys[] = { "index", "id_pk", "box_pk", "sig" };
	struct cer_step sp;
	uint8_t id_pk[32], box_pk[32];
	unsigned tok_idx;
	size_t done = 0;
	int ok = 0;

	if (token_check(c->st, m->id, "enrol", call->auth, &tok_idx) != 0) {
		mr_err(r, "unauthorized", NULL);
		return;
	}
	/* A key one scrutineer alone can use is no shared key: refused
	 * before anyone enrols (a meeting made before the rule). */
	if (!meeting_trustees_ok(m->id, m->n, m->t)) {
		mr_err_detail(r, "threshold_too_low", NULL,
		    MEETING_TRUSTEES_FR, MEETING_TRUSTEES_EN);
		return;
	}
	if (cer_step_read(&sp, c, m, call, keys, 4, r) != 0)
		goto out;
	if (sp.idx != tok_idx) {
		mr_err(r, "unauthorized", NULL);
		goto out;
	}
	if (cer_step_begin(&sp, "enrolment", r) != 0 ||
	    mj_hex(sp.doc, "id_pk", id_pk, 32, r) != 0 ||
	    mj_hex(sp.doc, "box_pk", box_pk, 32, r) != 0)
		goto out;
	for (uint32_t k = 0; k < m->n; k++)
		if (sp.tr[k].enrolled && memcmp(sp.tr[k].id_pk, id_pk, 32) ==
		    0) {
			mr_err(r, "invalid_field", "id_pk");
			goto out;
		}
	stmt_begin(&sp.fb, sp.buf, sizeof sp.buf, "trustee-enrol");
	stmt_str(&sp.fb, m->id);
	framebuf_field_u64(&sp.fb, sp.idx);
	framebuf_field(&sp.fb, id_pk, 32);
	framebuf_field(&sp.fb, box_pk, 32);
	if (stmt_verify(&sp.fb, id_pk, sp.sig) != 0) {
		mr_err(r, "bad_signature", NULL);
		goto out;
	}
	if (cer_step_update(&sp, "UPDATE trustees SET id_pk = ?3, box_pk = ?4"
	        " WHERE meeting = ?1 AND idx = ?2", id_pk, 32, box_pk, 32,
	        r) != 0)
		goto out;
	if (token_use(c->st, call->auth) != 0) {
		mr_err(r, "unavailable", NULL);
		goto out;
	}
	sp.me->enrolled = 1;
	memcpy(sp.me->id_pk, id_pk, 32);
	memcpy(sp.me->box_pk, box_pk, 32);
	cer_hexset(sp.ev, "id_pk", id_pk, 32);
	cer_hexset(sp.ev, "box_pk", box_pk, 32);
	sp.kind = "ceremony.enrol";
	for (uint32_t k = 0; k < m->n; k++)
		done += (size_t)(sp.tr[k].enrolled != 0);
	if (done == m->n && enrol_complete(&sp, r) != 0)
		goto out;
	mr_ok(r, json_pack("{s:I,s:i,s:i}", "index", (json_int_t)sp.idx, "n",
	    (int)m->n, "t", (int)m->t));
	ok = 1;
out:
	cer_step_end(&sp, ok, r);
}

/* Refuses a step the trustee has done already (done: its row says so).
 * 0, or -1 with r set. */
static int
step_once(int done, struct mreply *r)
{
	if (done) {
		mr_err(r, "already_done", NULL);
		return -1;
	}
	return 0;
}

/* The step accepted: once every trustee has done it (done of n), the
 * ceremony moves to phase next. 0, or -1 with r set. */
static int
step_accept(struct cer_step *sp, size_t done, const char *next,
    struct mreply *r)
{
	if (done == sp->m->n &&
	    cer_step_next(sp, next, NULL, NULL, NULL, r) != 0)
		return -1;
	mr_ok(r, json_pack("{s:b}", "accepted", 1));
	return 0;
}

/* POST ceremony/commit: the hash h_j of the trustee's reveal to come. */
void
api_commit(struct mctx *c, const struct mrow *m, const struct api_call *call,
    struct mreply *r)
{
	static const char *keys[] = { "index", "h", "sig" };
	struct cer_step sp;
	uint8_t h[32];
	size_t done = 0;
	int ok = 0;

	if (cer_step_open(&sp, c, m, call, keys, 3, "commit", r) != 0 ||
	    step_once(sp.me->has_commit, r) != 0)
		goto out;
	if (mj_hex(sp.doc, "h", h, 32, r) != 0)
		goto out;
	cer_stmt_begin(&sp, "trustee-commit");
	framebuf_field(&sp.fb, h, 32);
	if (cer_stmt_check(&sp, r) != 0 ||
	    cer_step_update(&sp, "UPDATE trustees SET commit_h = ?3 WHERE"
	        " meeting = ?1 AND idx = ?2", h, 32, NULL, 0, r) != 0)
		goto out;
	sp.me->has_commit = 1;
	cer_hexset(sp.ev, "h", h, 32);
	sp.kind = sp.rkind = "ceremony.commit";
	sp.rec = json_pack("{s:I}", "trustee", (json_int_t)sp.idx);
	cer_hexset(sp.rec, "hash", h, 32);
	cer_hexset(sp.rec, "sig", sp.sig, 64);
	for (uint32_t k = 0; k < m->n; k++)
		done += (size_t)(sp.tr[k].has_commit != 0);
	if (step_accept(&sp, done, "reveal", r) != 0)
		goto out;
	ok = 1;
out:
	cer_step_end(&sp, ok, r);
}

/* The t commitments of a reveal, hex, into cm. 0, or -1 with r set. */
static int
reveal_read(json_t *doc, uint32_t t, uint8_t cm[][32], struct mreply *r)
{
	json_t *cs = json_object_get(doc, "commitments"), *v;
	size_t i;

	if (!json_is_array(cs) || json_array_size(cs) != t)
		goto bad;
	json_array_foreach(cs, i, v) {
		if (!json_is_string(v) || json_string_length(v) != 64 ||
		    hex_decode(cm[i], 32, json_string_value(v),
		        json_string_length(v)) != 0)
			goto bad;
	}
	return 0;
bad:
	mr_err(r, "invalid_field", "commitments");
	return -1;
}

/* POST ceremony/reveal: the commitments to the trustee's polynomial and
 * their proof of possession, against its hash commitment. */
void
api_reveal(struct mctx *c, const struct mrow *m, const struct api_call *call,
    struct mreply *r)
{
	static const char *keys[] = { "index", "commitments", "pok", "sig" };
	struct cer_step sp;
	uint8_t cm[DKG_TRUSTEES_MAX][32], pok[64];
	size_t done = 0;
	int ok = 0;

	if (cer_step_open(&sp, c, m, call, keys, 4, "reveal", r) != 0 ||
	    step_once(sp.me->has_reveal, r) != 0)
		goto out;
	if (reveal_read(sp.doc, m->t, cm, r) != 0 ||
	    mj_hex(sp.doc, "pok", pok, 64, r) != 0)
		goto out;
	cer_stmt_begin(&sp, "trustee-reveal");
	framebuf_field(&sp.fb, cm, 32u * m->t);
	framebuf_field(&sp.fb, pok, 64);
	if (cer_stmt_check(&sp, r) != 0)
		goto out;
	if (dkg_commitment_verify(m->ceremony_id, (uint32_t)sp.idx,
	        (const uint8_t (*)[32])cm, m->t, pok, sp.me->h) != 0) {
		mr_err(r, "bad_proof", NULL);
		goto out;
	}
	if (cer_step_update(&sp, "UPDATE trustees SET reveal = ?3, reveal_pok"
	        " = ?4 WHERE meeting = ?1 AND idx = ?2", cm, 32u * m->t, pok,
	        64, r) != 0)
		goto out;
	sp.me->has_reveal = 1;
	cer_hexset(sp.ev, "commitments", cm, 32u * m->t);
	cer_hexset(sp.ev, "pok", pok, 64);
	sp.kind = sp.rkind = "ceremony.reveal";
	sp.rec = json_pack("{s:I,s:[]}", "trustee", (json_int_t)sp.idx,
	    "commitments");
	for (uint32_t k = 0; k < m->t; k++) {
		char h64[65];
		xhex_encode(h64, sizeof h64, cm[k], 32);
		json_array_append_new(json_object_get(sp.rec, "commitments"),
		    json_string(h64));
	}
	cer_hexset(sp.rec, "pok", pok, 64);
	cer_hexset(sp.rec, "sig", sp.sig, 64);
	for (uint32_t k = 0; k < m->n; k++)
		done += (size_t)(sp.tr[k].has_reveal != 0);
	if (step_accept(&sp, done, "shares", r) != 0)
		goto out;
	ok = 1;
out:
	cer_step_end(&sp, ok, r);
}

/* The n boxes of a shares step, hex, into a new *big (DKG_BOX_BYTES
 * each; the caller frees it). 0, or -1 with r set. */
static int
boxes_read(json_t *doc, uint32_t n, uint8_t **big, struct mreply *r)
{
	json_t *bs = json_object_get(doc, "boxes"), *v;
	size_t i;

	if (!json_is_array(bs) || json_array_size(bs) != n)
		goto bad;
	*big = xmalloc((size_t)DKG_BOX_BYTES * n);
	json_array_foreach(bs, i, v) {
		if (!json_is_string(v) || json_string_length(v) !=
		        2 * DKG_BOX_BYTES ||
		    hex_decode(*big + DKG_BOX_BYTES * i, DKG_BOX_BYTES,
		        json_string_value(v), json_string_length(v)) != 0)
			goto bad;
	}
	return 0;
bad:
	mr_err(r, "invalid_field", "boxes");
	return -1;
}

/* POST ceremony/shares: the trustee's shares for each trustee, each in a
 * crypto_box to its box key; relayed, opaque to the server. */
void
api_shares(struct mctx *c, const struct mrow *m, const struct api_call *call,
    struct mreply *r)
{
	static const char *keys[] = { "index", "boxes", "sig" };
	struct cer_step sp;
	uint8_t *big = NULL;
	size_t done = 0, blen = (size_t)DKG_BOX_BYTES * m->n;
	int ok = 0;

	if (cer_step_open(&sp, c, m, call, keys, 3, "shares", r) != 0 ||
	    step_once(sp.me->has_boxes, r) != 0)
		goto out;
	if (boxes_read(sp.doc, m->n, &big, r) != 0)
		goto out;
	cer_stmt_begin(&sp, "trustee-shares");
	framebuf_field(&sp.fb, big, blen);
	if (cer_stmt_check(&sp, r) != 0 ||
	    cer_step_update(&sp, "UPDATE trustees SET boxes = ?3 WHERE"
	        " meeting = ?1 AND idx = ?2", big, blen, NULL, 0, r) != 0)
		goto out;
	sp.me->has_boxes = 1;
	cer_hexset(sp.ev, "boxes", big, blen);
	sp.kind = sp.rkind = "ceremony.shares";
	/* The record keeps the boxes (opaque to the verifier), not the
	 * relay's signature over them (docs/record.md §4). */
	sp.rec = json_pack("{s:I,s:[]}", "trustee", (json_int_t)sp.idx,
	    "boxes");
	for (uint32_t k = 0; k < m->n; k++) {
		json_t *o = json_pack("{s:I}", "to", (json_int_t)(k + 1));
		cer_hexset(o, "box", big + (size_t)DKG_BOX_BYTES * k,
		    DKG_BOX_BYTES);
		json_array_append_new(json_object_get(sp.rec, "boxes"), o);
	}
	for (uint32_t k = 0; k < m->n; k++)
		done += (size_t)(sp.tr[k].has_boxes != 0);
	if (step_accept(&sp, done, "keys", r) != 0)
		goto out;
	ok = 1;
out:
	cer_step_end(&sp, ok, r);
	free(big);
}

/* The election key Y from every trustee's commitments (all, n × t) and
 * its eid once every verification key is in: the ceremony is done, and
 * the record says so (then a checkpoint). */
static int
key_complete(struct cer_step *sp, const uint8_t (*all)[32], struct mreply *r)
{
	const struct mrow *m = sp->m;
	uint8_t Y[32], eid[32];

	if (dkg_public_key(Y, all, m->n, m->t) != 0) {
		mr_err(r, "unavailable", NULL);
		return -1;
	}
	eid_compute(eid, m->id, m->ceremony_id, Y);
	if (cer_step_next(sp, "done", NULL, Y, eid, r) != 0)
		return -1;
	cer_hexset(sp->ev, "election_key", Y, 32);
	cer_hexset(sp->ev, "eid", eid, 32);
	sp->rec2 = json_object();
	cer_hexset(sp->rec2, "y", Y, 32);
	cer_hexset(sp->rec2, "eid", eid, 32);
	sp->rkind2 = "ceremony.done";
	return 0;
}

/* POST ceremony/key: the trustee's verification key Y_j, which must be
 * the one every trustee's commitments give, with its proof of
 * possession. */
void
api_key(struct mctx *c, const struct mrow *m, const struct api_call *call,
    struct mreply *r)
{
	static const char *keys[] = { "index", "y", "pok", "sig" };
	struct cer_step sp;
	uint8_t y[32], pok[64], want[32];
	uint8_t all[DKG_TRUSTEES_MAX * DKG_TRUSTEES_MAX][32];
	size_t done = 0;
	int ok = 0;

	if (cer_step_open(&sp, c, m, call, keys, 4, "keys", r) != 0 ||
	    step_once(sp.me->has_key, r) != 0)
		goto out;
	if (mj_hex(sp.doc, "y", y, 32, r) != 0 ||
	    mj_hex(sp.doc, "pok", pok, 64, r) != 0)
		goto out;
	cer_stmt_begin(&sp, "trustee-key-share");
	framebuf_field(&sp.fb, y, 32);
	framebuf_field(&sp.fb, pok, 64);
	if (cer_stmt_check(&sp, r) != 0)
		goto out;
	for (uint32_t k = 0; k < m->n; k++)
		memcpy(all[k * m->t], sp.tr[k].cs, 32u * m->t);
	if (dkg_verification_key(want, (const uint8_t (*)[32])all, m->n, m->t,
	        (uint32_t)sp.idx) != 0 ||
	    sodium_memcmp(want, y, 32) != 0 ||
	    dkg_share_pok_verify(m->ceremony_id, (uint32_t)sp.idx, y,
	        pok) != 0) {
		mr_err(r, "bad_proof", NULL);
		goto out;
	}
	if (cer_step_update(&sp, "UPDATE trustees SET key_y = ?3, key_pok = ?4"
	        " WHERE meeting = ?1 AND idx = ?2", y, 32, pok, 64, r) != 0)
		goto out;
	sp.me->has_key = 1;
	cer_hexset(sp.ev, "y", y, 32);
	cer_hexset(sp.ev, "pok", pok, 64);
	sp.kind = "ceremony.key";
	sp.rec = json_pack("{s:I}", "trustee", (json_int_t)sp.idx);
	cer_hexset(sp.rec, "yj", y, 32);
	cer_hexset(sp.rec, "pok", pok, 64);
	cer_hexset(sp.rec, "sig", sp.sig, 64);
	sp.rkind = "ceremony.key_share";
	for (uint32_t k = 0; k < m->n; k++)
		done += (size_t)(sp.tr[k].has_key != 0);
	if (done == m->n &&
	    key_complete(&sp, (const uint8_t (*)[32])all, r) != 0)
		goto out;
	mr_ok(r, json_pack("{s:b}", "accepted", 1));
	ok = 1;
out:
	cer_step_end(&sp, ok, r);
}

/* POST ceremony/complaint: the trustee accuses a dealer whose share does
 * not open or verify. The ceremony fails; the operator resets it. */
void
api_complaint(struct mctx *c, const struct mrow *m,
    const struct api_call *call, struct mreply *r)
{
	static const char *keys[] = { "index", "dealer", "sig" };
	struct cer_step sp;
	sqlite3_stmt *s = NULL;
	uint64_t dealer;
	int ok = 0;

	if (cer_step_open(&sp, c, m, call, keys, 3, "keys", r) != 0)
		goto out;
	if (mj_u64(sp.doc, "dealer", m->n, &dealer, r) != 0 || dealer < 1) {
		mr_err(r, "invalid_field", "dealer");
		goto out;
	}
	cer_stmt_begin(&sp, "trustee-complaint");
	framebuf_field_u64(&sp.fb, dealer);
	if (cer_stmt_check(&sp, r) != 0)
		goto out;
	s = store_prepare(c->st->roll, "UPDATE trustees SET complaint = ?3"
	    " WHERE meeting = ?1 AND idx = ?2");
	if (s == NULL || store_bind_text(s, 1, m->id) != 0 ||
	    sqlite3_bind_int(s, 2, (int)sp.idx) != SQLITE_OK ||
	    sqlite3_bind_int(s, 3, (int)dealer) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_DONE) {
		mr_err(r, "unavailable", NULL);
		goto out;
	}
	if (cer_step_next(&sp, "failed", NULL, NULL, NULL, r) != 0)
		goto out;
	json_object_set_new(sp.ev, "dealer", json_integer((json_int_t)dealer));
	sp.kind = "ceremony.complaint";
	mr_ok(r, json_pack("{s:b}", "accepted", 1));
	ok = 1;
out:
	sqlite3_finalize(s);
	cer_step_end(&sp, ok, r);
}

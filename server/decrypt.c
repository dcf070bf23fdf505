/*
 * decrypt.c — the trustees' decryption shares of a closed secret
 * question (POST questions/{q}/shares, docs/api.md), and its decryption
 * once t of them are in.
 *
 * The server never decrypts alone: it holds no share of the election
 * key. It checks each share publicly — the statement signed by the
 * trustee's enrolled identity key, then each share's DLEQ proof against
 * the trustee's verification key Y_j and the totals as closed — and
 * keeps only what passed, in the store and the record. With t valid
 * shares, it combines them (tally_decrypt, a bounded discrete log) and
 * hands the counts to the count (result.c).
 *
 * Trusts: the store, crypto/ (tally.h, dlog.h). Invariant: one set of
 * shares per trustee and question (the store's key refuses a second).
 */
#include "server/ceremony_int.h"

#include <stdlib.h>
#include <string.h>

#include "crypto/hex.h"
#include "crypto/scrutin_crypto.h"
#include "server/record.h"
#include "server/store.h"

/* The e shares {d, proof} of the request, hex, into a new *out of 96
 * bytes each (d, then the DLEQ proof; the caller frees it). 0, or -1
 * with r set. */
static int
dshares_read(json_t *doc, size_t e, uint8_t **out, struct mreply *r)
{
	json_t *arr = json_object_get(doc, "shares"), *v;
	size_t i;

	if (!json_is_array(arr) || json_array_size(arr) != e)
		goto bad;
	*out = xmalloc(96 * e);
	json_array_foreach(arr, i, v) {
		json_t *d = json_object_get(v, "d"), *p = json_object_get(v,
		    "proof");
		if (!json_is_object(v) || json_object_size(v) != 2 ||
		    !json_is_string(d) || json_string_length(d) != 64 ||
		    !json_is_string(p) || json_string_length(p) != 128 ||
		    hex_decode(*out + 96 * i, 32, json_string_value(d),
		        json_string_length(d)) != 0 ||
		    hex_decode(*out + 96 * i + 32, 64, json_string_value(p),
		        json_string_length(p)) != 0)
			goto bad;
	}
	return 0;
bad:
	mr_err(r, "invalid_field", "shares");
	return -1;
}

/* The totals of qid as closed (e ciphertexts of 64 bytes) into a new
 * *totals (the caller frees it). 0, or -1. */
static int
dshares_totals(struct store *st, const char *meeting, const char *qid,
    size_t e, uint8_t **totals)
{
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT totals FROM"
	    " questions WHERE meeting = ?1 AND qid = ?2");
	int rc = -1;

	if (s == NULL || store_bind_text(s, 1, meeting) != 0 ||
	    store_bind_text(s, 2, qid) != 0 || sqlite3_step(s) != SQLITE_ROW ||
	    (size_t)sqlite3_column_bytes(s, 0) != 64 * e)
		goto out;
	*totals = xmalloc(64 * e);
	memcpy(*totals, sqlite3_column_blob(s, 0), 64 * e);
	rc = 0;
out:
	sqlite3_finalize(s);
	return rc;
}

/* The trustee's shares sh (e of them) checked: its statement signed by
 * its identity key, then each share's DLEQ proof against its
 * verification key and the totals as closed (OUT *totals). 0, or -1
 * with r set. */
static int
dshares_verify(struct store *st, const struct mrow *m, const char *qid,
    uint64_t idx, const struct trow *t, const uint8_t *sh, size_t e,
    const uint8_t sig[64], uint8_t **totals, struct mreply *r)
{
	uint8_t buf[16384];
	framebuf fb;

	stmt_begin(&fb, buf, sizeof buf, "trustee-decryption");
	framebuf_field(&fb, m->eid, 32);
	framebuf_field(&fb, qid, strlen(qid));
	framebuf_field_u64(&fb, idx);
	framebuf_field(&fb, sh, 96 * e);
	if (stmt_verify(&fb, t->id_pk, sig) != 0) {
		mr_err(r, "bad_signature", NULL);
		return -1;
	}
	if (dshares_totals(st, m->id, qid, e, totals) != 0) {
		mr_err(r, "unavailable", NULL);
		return -1;
	}
	for (size_t i = 0; i < e; i++)
		if (tally_share_verify(t->y, m->eid, qid, strlen(qid), i + 1,
		        (uint32_t)idx, *totals + 64 * i, sh + 96 * i,
		        sh + 96 * i + 32) != 0) {
			log_warn("meeting %s question %s: trustee %u sent an"
			    " invalid decryption share", m->id, qid,
			    (unsigned)idx);
			mr_err(r, "bad_proof", NULL);
			return -1;
		}
	return 0;
}

/* The trustee's shares stored, with their event and record entry, in
 * one transaction. 0, or -1 with r set (already_done when the trustee's
 * shares for qid are there already). */
static int
dshares_store(struct store *st, const struct mrow *m, const char *qid,
    uint64_t idx, const uint8_t *sh, size_t e, const uint8_t sig[64],
    struct mreply *r)
{
	const char *code = "unavailable";
	sqlite3_stmt *s;
	json_t *ev = NULL;
	int rc = -1;

	if (store_begin(st) != 0) {
		mr_err(r, "unavailable", NULL);
		return -1;
	}
	s = store_prepare(st->roll, "INSERT INTO decryption_shares(meeting,"
	    " qid, idx, shares, sig, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	if (s == NULL || store_bind_text(s, 1, m->id) != 0 ||
	    store_bind_text(s, 2, qid) != 0 ||
	    sqlite3_bind_int(s, 3, (int)idx) != SQLITE_OK ||
	    sqlite3_bind_blob(s, 4, sh, (int)(96 * e), SQLITE_TRANSIENT) !=
	        SQLITE_OK ||
	    sqlite3_bind_blob(s, 5, sig, 64, SQLITE_TRANSIENT) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 6, (sqlite3_int64)now_unix()) != SQLITE_OK)
		goto out;
	if (sqlite3_step(s) != SQLITE_DONE) {
		code = "already_done";
		goto out;
	}
	sqlite3_finalize(s);
	s = NULL;
	ev = json_pack("{s:s,s:s,s:I}", "meeting", m->id, "question", qid,
	    "index", (json_int_t)idx);
	cer_hexset(ev, "shares", sh, 96 * e);
	cer_hexset(ev, "sig", sig, 64);
	if (store_event_record(st, "decryption.shares", ev, NULL) != 0 ||
	    record_decryption_share(st, m->id, qid, (uint32_t)idx, sh, e,
	        sig) != 0 ||
	    store_commit(st) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0) {
		store_rollback(st);
		mr_err(r, code, NULL);
	}
	sqlite3_finalize(s);
	json_decref(ev);
	return rc;
}

/* The shares stored for qid (e per trustee, 96 bytes each), at most
 * DKG_TRUSTEES_MAX, in the order of the trustees: who sent them into
 * who, the shares into all. Returns how many. */
static size_t
dshares_load(struct store *st, const char *meeting, const char *qid,
    size_t e, uint32_t *who, uint8_t *all)
{
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT idx, shares FROM"
	    " decryption_shares WHERE meeting = ?1 AND qid = ?2 ORDER BY"
	    " idx");
	size_t have = 0;

	if (s != NULL && store_bind_text(s, 1, meeting) == 0 &&
	    store_bind_text(s, 2, qid) == 0)
		while (have < DKG_TRUSTEES_MAX &&
		    sqlite3_step(s) == SQLITE_ROW) {
			if ((size_t)sqlite3_column_bytes(s, 1) != 96 * e)
				continue;
			who[have] = (uint32_t)sqlite3_column_int(s, 0);
			memcpy(all + 96 * e * have, sqlite3_column_blob(s, 1),
			    96 * e);
			have++;
		}
	sqlite3_finalize(s);
	return have;
}

/* The counts of q (qid) from the closed totals and have >= t trustees'
 * shares (who, all as dshares_load): each encrypted choice decrypted
 * (tally_decrypt, a bounded discrete log), an implicit last choice
 * recovered from the ballots, then counted and published with the
 * first t trustees as its decryption. Failures are logged: the shares
 * stay stored. */
static void
dshares_count(struct mctx *c, const struct mrow *m, const char *qid,
    struct qrow *q, const struct trow *tr, const uint8_t *totals,
    const uint32_t *who, const uint8_t *all, size_t have)
{
	size_t e = q->bq.e;
	tally_share sh[DKG_TRUSTEES_MAX];
	uint8_t vks[DKG_TRUSTEES_MAX][32];
	uint64_t counts[64] = { 0 }, nb = (uint64_t)q->ballots;
	dlog_table *tab = NULL;
	int okc = dlog_table_new(&tab, nb ? nb : 1) == 0;
	json_t *dec = json_array(), *decryption;

	for (uint32_t k = 0; k < m->n; k++)
		memcpy(vks[k], tr[k].y, 32);
	for (size_t i = 0; okc && i < e; i++) {
		uint32_t bad = 0;
		for (size_t k = 0; k < have; k++) {
			sh[k].trustee = who[k];
			memcpy(sh[k].d, all + 96 * e * k + 96 * i, 32);
			memcpy(sh[k].proof, all + 96 * e * k + 96 * i + 32, 64);
		}
		if (tally_decrypt(&counts[i], &bad, totals + 64 * i,
		        (const uint8_t (*)[32])vks, m->n, m->t, m->eid, qid,
		        strlen(qid), i + 1, sh, have, tab) != 0)
			okc = 0;
	}
	if (okc && e < q->n &&
	    tally_implicit_count(&counts[q->n - 1], q->max, nb, counts, e) !=
	    0)
		okc = 0;
	for (size_t k = 0; k < m->t && k < have; k++)
		json_array_append_new(dec, json_integer(who[k]));
	dlog_table_free(tab);
	if (!okc)
		log_warn("meeting %s question %s: decryption failed", m->id,
		    qid);
	else {
		/* count_and_publish takes its own reference. */
		decryption = json_pack("{s:O}", "trustees", dec);
		if (count_and_publish(c, c->st, m, q, nb, counts,
		    decryption) != 0)
			log_warn("count of %s/%s failed", m->id, qid);
		json_decref(decryption);
	}
	json_decref(dec);
}

/* POST questions/{q}/shares: a trustee's decryption shares of a closed
 * secret question; once t are in, its count. */
void
api_dshares(struct mctx *c, const struct mrow *m, const struct api_call *call,
    struct mreply *r)
{
	const char *qid = call->sub;
	static const char *keys[] = { "index", "shares", "sig" };
	struct store *st = c->st;
	struct trow *tr = xcalloc(DKG_TRUSTEES_MAX, sizeof *tr);
	struct qrow q;
	json_t *doc = NULL;
	uint64_t idx;
	uint32_t who[DKG_TRUSTEES_MAX];
	uint8_t sig[64], *sh = NULL, *totals = NULL, *all = NULL;
	size_t e, have = 0;
	int have_q = 0;

	if (mj_parse(call->body, call->len, keys, 3, &doc, r) != 0)
		goto out;
	if (q_load(st, m->id, qid, &q) != 0) {
		mr_err(r, "question_unknown", NULL);
		goto out;
	}
	have_q = 1;
	if (mj_u64(doc, "index", m->n, &idx, r) != 0 || idx < 1 ||
	    mj_hex(doc, "sig", sig, 64, r) != 0) {
		if (r->status == 0 || r->status == 200)
			mr_err(r, "invalid_field", "index");
		goto out;
	}
	if (!q.secret || strcmp(q.status, "closed") != 0 || !m->has_key) {
		mr_err(r, "wrong_phase", NULL);
		goto out;
	}
	if (trustees_load(st, m, tr) != 0 || !tr[idx - 1].has_key) {
		mr_err(r, "unauthorized", NULL);
		goto out;
	}
	e = q.bq.e;
	if (dshares_read(doc, e, &sh, r) != 0 ||
	    dshares_verify(st, m, qid, idx, &tr[idx - 1], sh, e, sig, &totals,
	        r) != 0 ||
	    dshares_store(st, m, qid, idx, sh, e, sig, r) != 0)
		goto out;
	/* Enough trustees? */
	all = xmalloc(96 * e * DKG_TRUSTEES_MAX);
	have = dshares_load(st, m->id, qid, e, who, all);
	if (have >= m->t)
		dshares_count(c, m, qid, &q, tr, totals, who, all, have);
	mr_ok(r, json_pack("{s:b,s:I}", "accepted", 1, "missing",
	    (json_int_t)(have >= m->t ? 0 : m->t - have)));
out:
	if (have_q)
		q_free(&q);
	free(tr);
	free(sh);
	free(totals);
	free(all);
	json_decref(doc);
}

/*
 * ballot_audit.c — a ballot its member chose to check rather than cast
 * (Benaloh's cast-or-audit, docs/protocol.md §5.8; POST …/audits,
 * docs/api.md). The phone built and encrypted the ballot, showed its
 * fingerprint, and the member pressed « Vérifier ce chiffrement »: the
 * phone sends the body with the randomness of every ciphertext, signed by
 * the member's key. The server checks the opening, writes the event
 * `ballot.audited` (spoiled: never counted) and answers the selection the
 * ciphertexts encrypt. Also the ballot path's guard: a ballot that reuses
 * an opened ciphertext's randomness is refused before it is stored.
 *
 * Trusts audit/opening.c and crypto/ for the checks, the store; the body,
 * the randomness and the signature are untrusted. Invariants: at most
 * AUDITS_MAX audits per voice and question; every α of an audited
 * ballot is in ballot_audit_alphas, in the same transaction as its
 * record line; nothing of an audit enters the box or a count.
 */
#include "server/meeting_int.h"

#include <stdlib.h>
#include <string.h>

#include "audit/verify.h"
#include "crypto/hex.h"
#include "crypto/scrutin_crypto.h"
#include "server/record.h"
#include "server/store.h"

/* Audits per voice and question: enough to check a phone several times,
 * too few to flood the record. */
#define AUDITS_MAX 10

struct audit_req {
	uint8_t *body;
	size_t len;
	uint8_t r[BALLOT_CHOICES_MAX][32];
	uint8_t sel[BALLOT_CHOICES_MAX], sig[64], fp[32];
	ballot_parsed bp;
};

/* "r": exactly e strings of 64 hex digits. */
static int
audit_read_r(json_t *doc, uint32_t e, struct audit_req *a, struct mreply *r)
{
	json_t *arr = json_object_get(doc, "r"), *x;
	size_t i;

	if (!json_is_array(arr) || json_array_size(arr) != e) {
		mr_err(r, "invalid_field", "r");
		return -1;
	}
	json_array_foreach(arr, i, x) {
		if (!json_is_string(x) || hex_decode(a->r[i], 32,
		    json_string_value(x), json_string_length(x)) != 0) {
			mr_err(r, "invalid_field", "r");
			return -1;
		}
	}
	return 0;
}

/* S_audit = T("ballot-audit", fp, r_1, …, r_e) by K_signer. */
static int
audit_sig_ok(const struct audit_req *a, uint32_t e)
{
	uint8_t buf[64 + BALLOT_CHOICES_MAX * 36 + 96];
	framebuf fb;

	stmt_begin(&fb, buf, sizeof buf, "ballot-audit");
	framebuf_field(&fb, a->fp, 32);
	for (uint32_t i = 0; i < e; i++)
		framebuf_field(&fb, a->r[i], 32);
	return !fb.overflow && stmt_verify(&fb, a->bp.signer_pk, a->sig) == 0;
}

/* The number of audits of this voice on the question, or -1. */
static int64_t
audit_count(struct store *st, const char *meeting, const char *qid,
    const uint8_t voice[32])
{
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT count(*) FROM"
	    " ballot_audits WHERE meeting = ?1 AND qid = ?2 AND voice = ?3");
	int64_t n = -1;

	if (s != NULL && store_bind_text(s, 1, meeting) == 0 &&
	    store_bind_text(s, 2, qid) == 0 &&
	    sqlite3_bind_blob(s, 3, voice, 32, SQLITE_TRANSIENT) ==
	        SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

/* The audit's rows and its record line, one transaction. */
static int
audit_store(struct store *st, const struct mrow *m, const struct qrow *q,
    const struct audit_req *a)
{
	char *hex = xmalloc(2 * a->len + 1), rh[65], sh[129];
	json_t *p, *rs = json_array(), *ss = json_array();
	sqlite3_stmt *s = NULL;
	uint8_t ct[64];
	int ok;

	xhex_encode(hex, 2 * a->len + 1, a->body, a->len);
	for (uint32_t i = 0; i < q->bq.e; i++) {
		xhex_encode(rh, sizeof rh, a->r[i], 32);
		json_array_append_new(rs, json_string(rh));
	}
	for (uint32_t i = 0; i < q->n; i++)
		json_array_append_new(ss, json_integer(a->sel[i]));
	xhex_encode(sh, sizeof sh, a->sig, 64);
	p = json_pack("{s:s,s:s,s:o,s:o,s:s}", "qid", q->qid, "body", hex,
	    "r", rs, "selection", ss, "sig", sh);
	free(hex);
	if (store_begin(st) != 0) {
		json_decref(p);
		return -1;
	}
	s = store_prepare(st->roll, "INSERT INTO ballot_audits(meeting, qid,"
	    " voice, fp, at) VALUES (?1, ?2, ?3, ?4, ?5)");
	ok = s != NULL && store_bind_text(s, 1, m->id) == 0 &&
	    store_bind_text(s, 2, q->qid) == 0 &&
	    sqlite3_bind_blob(s, 3, a->bp.voice_pk, 32, SQLITE_TRANSIENT) ==
	        SQLITE_OK &&
	    sqlite3_bind_blob(s, 4, a->fp, 32, SQLITE_TRANSIENT) == SQLITE_OK &&
	    sqlite3_bind_int64(s, 5, (sqlite3_int64)now_unix()) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_DONE;
	sqlite3_finalize(s);
	for (uint32_t i = 1; ok && i <= q->bq.e; i++) {
		ballot_parsed_ciphertext(ct, &a->bp, i);
		s = store_prepare(st->roll, "INSERT OR IGNORE INTO"
		    " ballot_audit_alphas(meeting, qid, alpha) VALUES (?1, ?2,"
		    " ?3)");
		ok = s != NULL && store_bind_text(s, 1, m->id) == 0 &&
		    store_bind_text(s, 2, q->qid) == 0 &&
		    sqlite3_bind_blob(s, 3, ct, 32, SQLITE_TRANSIENT) ==
		        SQLITE_OK && sqlite3_step(s) == SQLITE_DONE;
		sqlite3_finalize(s);
	}
	ok = ok && store_record_append(st, m->id, "ballot.audited", p) == 0 &&
	    store_commit(st) == 0;
	json_decref(p);
	if (!ok)
		store_rollback(st);
	return ok ? 0 : -1;
}

/* The request read and checked: the question open and secret, the body
 * with its opening, the credentials, the signature, the limit. */
static int
audit_check(struct mctx *c, const struct mrow *m, json_t *doc,
    struct qrow *q, struct audit_req *a, struct mreply *r)
{
	const char *fr, *en, *code;
	int64_t member, signer;
	int voter;

	if (strcmp(q->status, "open") != 0) {
		mr_err(r, "wrong_phase", NULL);
		return -1;
	}
	if (!q->secret) {
		mr_err(r, "wrong_question", NULL);
		return -1;
	}
	if (mj_hexvar(doc, "body", &a->body, &a->len, BALLOT_BODY_MAX,
	        r) != 0 || mj_hex(doc, "sig", a->sig, 64, r) != 0 ||
	    audit_read_r(doc, q->bq.e, a, r) != 0)
		return -1;
	if (q_digest_set(c, m->id, q) < 0) {
		mr_err(r, "unavailable", NULL);
		return -1;
	}
	if (audit_opening_check(q->qid, q->n, q->min, q->max,
	    q->bq.has_digest ? q->bq.digest : NULL, m->eid, m->y,
	    a->body, a->len, (const uint8_t (*)[32])a->r, q->bq.e, a->sel,
	    &fr, &en) != 0) {
		mr_err_detail(r, "bad_audit", NULL, fr, en);
		return -1;
	}
	if (ballot_body_parse(&a->bp, a->body, a->len) != 0) {
		mr_err(r, "bad_ballot", NULL);
		return -1;
	}
	/* A voice the roll gives no vote has no ballot to check. */
	code = voice_lookup(c->st, m->id, a->bp.voice_pk, &member, &voter);
	if (code == NULL && !voter)
		code = "not_eligible";
	if (code == NULL)
		code = voice_lookup(c->st, m->id, a->bp.signer_pk, &signer,
		    &voter);
	if (code != NULL) {
		mr_err(r, code, NULL);
		return -1;
	}
	audit_ballot_fingerprint(a->fp, a->body, a->len);
	if (!audit_sig_ok(a, q->bq.e)) {
		mr_err(r, "bad_signature", NULL);
		return -1;
	}
	if (audit_count(c->st, m->id, q->qid, a->bp.voice_pk) >= AUDITS_MAX) {
		mr_err(r, "audit_limit", NULL);
		return -1;
	}
	return 0;
}

void
api_ballot_audit(struct mctx *c, const struct mrow *m,
    const struct api_call *call, struct mreply *r)
{
	static const char *keys[] = { "question", "body", "r", "sig" };
	struct audit_req a = { 0 };
	struct qrow q;
	json_t *doc = NULL, *sel;
	const char *qid;
	char fp[65];
	int have_q = 0;

	if (mj_parse(call->body, call->len, keys, 4, &doc, r) != 0 ||
	    mj_str(doc, "question", 64, &qid, r) != 0)
		goto out;
	if (q_load(c->st, m->id, qid, &q) != 0) {
		mr_err(r, "question_unknown", NULL);
		goto out;
	}
	have_q = 1;
	if (audit_check(c, m, doc, &q, &a, r) != 0)
		goto out;
	if (audit_store(c->st, m, &q, &a) != 0) {
		mr_err(r, "unavailable", NULL);
		goto out;
	}
	xhex_encode(fp, sizeof fp, a.fp, 32);
	sel = json_array();
	for (uint32_t i = 0; i < q.n; i++)
		json_array_append_new(sel, json_integer(a.sel[i]));
	mr_ok(r, json_pack("{s:s,s:s,s:o}", "audited", "spoiled",
	    "fingerprint", fp, "selection", sel));
out:
	if (have_q)
		q_free(&q);
	free(a.body);
	json_decref(doc);
}

/* One lookup per ciphertext on the ballot path: a cached statement. */
static const char reused_sql[] = "SELECT 1 FROM ballot_audit_alphas WHERE"
    " meeting = ?1 AND qid = ?2 AND alpha = ?3";

int
ballot_audit_reused(struct store *st, const char *meeting, const char *qid,
    const uint8_t *body, size_t len)
{
	sqlite3_stmt *s;
	ballot_parsed bp;
	uint8_t ct[64];
	int found = 0;

	if (ballot_body_parse(&bp, body, len) != 0)
		return 0;	/* refused by the ballot's own checks */
	for (uint32_t i = 1; !found && i <= bp.e; i++) {
		ballot_parsed_ciphertext(ct, &bp, i);
		s = store_cached(st, st->roll, reused_sql);
		if (s == NULL || store_bind_text(s, 1, meeting) != 0 ||
		    store_bind_text(s, 2, qid) != 0 ||
		    sqlite3_bind_blob(s, 3, ct, 32, SQLITE_TRANSIENT) !=
		        SQLITE_OK)
			found = 1;	/* fail closed */
		else if (sqlite3_step(s) != SQLITE_DONE)
			found = 1;	/* a row, or an error: fail closed */
		store_release(st, s);
	}
	return found;
}

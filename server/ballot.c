/*
 * ballot.c — the ballot path and the box (see meeting.h). A ballot is
 * prepared on the main thread (cheap checks: the question open, the
 * ballot's form, the voice on the frozen roll, present at the opening
 * where the record asks it, no ballot yet under any key of the member),
 * verified on any thread (pure computation; the secret ballots that
 * carry hints in one batch), committed with others in one transaction,
 * then acknowledged with the server's signed receipt. Also the public
 * reads of the box: a voice's standing, a receipt, a page of ballots.
 *
 * Trusts crypto/ for the proofs and signatures (each ballot is verified
 * here before it is stored) and the store; the body is untrusted. The
 * hot checks' cache (vc_*) derives from roll.db only and is dropped
 * whenever roll.db may have changed.
 *
 * Invariants: a ballot is in box.db (committed, synchronous=FULL) before
 * its acknowledgement exists; one ballot per (meeting, question, voice),
 * UNIQUE in box.db being the last line, and one voice per member; a
 * ballot for a question closed meanwhile is refused.
 */
#include "server/meeting_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/scrutin_crypto.h"
#include "server/record.h"
#include "server/store.h"
#include "server/storage.h"
#include "crypto/hex.h"

/* ---- ballots ---- */

/* ---- the hot checks' cache (struct mctx vc) ----
 *
 * Two checks of meeting_ballot_prepare would otherwise cost a scan per
 * ballot: "is this question in the public record" (a search of the
 * meeting's events) and "did another credential of this member vote"
 * (credentials has no index by member). Both derive from roll.db only,
 * which the server changes itself only through q_set_status (it drops
 * the cache) and the operator's commands change through another
 * connection (PRAGMA data_version moves: dropped before the next use).
 * Box.db is not cached: the "already voted" lookups stay indexed queries
 * and UNIQUE(meeting, qid, voice) stays the last line.
 */
void
vc_drop(struct mctx *c)
{
	if (c == NULL)
		return;
	free(c->vc.multi);
	memset(&c->vc, 0, sizeof c->vc);
	c->vc.dv = -1;
}

/* Drops the cache when roll.db changed under us; 0 when it may be used. */
static int
vc_check(struct mctx *c)
{
	sqlite3_stmt *s = store_cached(c->st, c->st->roll,
	    "PRAGMA data_version");
	int64_t dv = -1;

	if (s != NULL && sqlite3_step(s) == SQLITE_ROW)
		dv = sqlite3_column_int64(s, 0);
	store_release(c->st, s);
	if (dv < 0 || dv != c->vc.dv) {
		vc_drop(c);
		c->vc.dv = dv;
	}
	return dv < 0 ? -1 : 0;
}

static int
i64_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* 1 if the member may hold another credential of the meeting (so the
 * full check must run), 0 if it holds exactly one. Fails towards 1. */
static int
vc_multi(struct mctx *c, const char *meeting, int64_t member_id)
{
	if (vc_check(c) != 0)
		return 1;
	if (!c->vc.have_multi || strcmp(c->vc.meeting, meeting) != 0) {
		sqlite3_stmt *s = store_prepare(c->st->roll, "SELECT member_id"
		    " FROM credentials WHERE meeting = ?1 GROUP BY member_id"
		    " HAVING count(*) > 1");
		size_t cap = 16;
		int r = SQLITE_ERROR;

		free(c->vc.multi);
		c->vc.multi = NULL;
		c->vc.nmulti = 0;
		c->vc.have_multi = 0;
		if (s != NULL && store_bind_text(s, 1, meeting) == 0) {
			c->vc.multi = xcalloc(cap, sizeof *c->vc.multi);
			while ((r = sqlite3_step(s)) == SQLITE_ROW) {
				if (c->vc.nmulti == cap) {
					cap *= 2;
					c->vc.multi = xreallocarray(c->vc.multi,
					    cap, sizeof *c->vc.multi);
				}
				c->vc.multi[c->vc.nmulti++] =
				    sqlite3_column_int64(s, 0);
			}
		}
		sqlite3_finalize(s);
		if (r != SQLITE_DONE)
			return 1;
		qsort(c->vc.multi, c->vc.nmulti, sizeof *c->vc.multi,
		    i64_cmp);
		snprintf(c->vc.meeting, sizeof c->vc.meeting, "%s", meeting);
		c->vc.have_multi = 1;
	}
	return bsearch(&member_id, c->vc.multi, c->vc.nmulti,
	    sizeof *c->vc.multi, i64_cmp) != NULL;
}

/* q_recorded, remembered for an open question (its opening is fixed). */
static int
vc_recorded(struct mctx *c, const char *meeting, const struct qrow *q)
{
	size_t i;
	int rec;

	if (vc_check(c) != 0)
		return q_recorded(c->st, meeting, q);
	for (i = 0; i < c->vc.nrec; i++)
		if (c->vc.rec[i].opened_at == q->opened_at &&
		    strcmp(c->vc.rec[i].meeting, meeting) == 0 &&
		    strcmp(c->vc.rec[i].qid, q->qid) == 0)
			return c->vc.rec[i].recorded;
	/* An error reading the record counts as recorded: the presence
	 * check then runs (fail closed), and nothing is remembered. */
	rec = record_question_recordable(q->spec) ?
	    store_record_has(c->st, meeting, "question.opened", q->qid) : 0;
	if (rec < 0)
		return 1;
	if (c->vc.nrec < sizeof c->vc.rec / sizeof c->vc.rec[0]) {
		i = c->vc.nrec++;
		snprintf(c->vc.rec[i].meeting, 65, "%s", meeting);
		snprintf(c->vc.rec[i].qid, 65, "%s", q->qid);
		c->vc.rec[i].opened_at = q->opened_at;
		c->vc.rec[i].recorded = rec;
	}
	return rec;
}

static int other_key_voted(struct store *st, const char *meeting,
    const char *qid, int64_t member_id, const uint8_t voice[32]);

void
meeting_ballot_free(struct ballot_job *job)
{
	if (job == NULL)
		return;
	free(job->body);
	free(job->hints);
	free(job);
}

int
meeting_ballot_same_voice(const struct ballot_job *a,
    const struct ballot_job *b)
{
	return memcmp(a->voice, b->voice, 32) == 0 &&
	    strcmp(a->qid, b->qid) == 0 && strcmp(a->meeting, b->meeting) == 0;
}

/* An already stored ballot for this voice: the same one (200 again) or
 * another (409). */
static int
ballot_existing(struct mctx *c, struct ballot_job *j, struct mreply *r)
{
	sqlite3_stmt *s = store_cached(c->st, c->st->box, "SELECT receipt, at"
	    " FROM ballots WHERE meeting = ?1 AND qid = ?2 AND voice = ?3");
	int found = 0;

	if (s != NULL && store_bind_text(s, 1, j->meeting) == 0 &&
	    store_bind_text(s, 2, j->qid) == 0 &&
	    sqlite3_bind_blob(s, 3, j->voice, 32, SQLITE_TRANSIENT) ==
	        SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
		found = 1;
		if (memcmp(sqlite3_column_blob(s, 0), j->receipt, 32) == 0) {
			j->at = (uint64_t)sqlite3_column_int64(s, 1);
			ballot_ack(c, j, r);
		} else
			mr_err(r, "already_voted", NULL);
	}
	store_release(c->st, s);
	return found;
}

void
ballot_ack(struct mctx *c, struct ballot_job *j, struct mreply *r)
{
	uint8_t buf[256];
	framebuf fb;
	char rh[65], sh[129];

	stmt_begin(&fb, buf, sizeof buf, "ballot-received");
	stmt_str(&fb, j->meeting);
	stmt_str(&fb, j->qid);
	framebuf_field(&fb, j->receipt, 32);
	framebuf_field_u64(&fb, j->at);
	if (stmt_sign(&fb, c->sk, j->server_sig) != 0) {
		mr_err(r, "unavailable", NULL);
		return;
	}
	xhex_encode(rh, sizeof rh, j->receipt, 32);
	xhex_encode(sh, sizeof sh, j->server_sig, 64);
	mr_ok(r, json_pack("{s:s,s:I,s:s}", "receipt", rh, "at",
	    (json_int_t)j->at, "server_sig", sh));
}

/* A secret ballot's body (and its optional verification hints) into j,
 * checked against the meeting's election and question q: its form, its
 * election id, question and length. The voice and signer are the body's.
 * 0, or -1 with r. */
static int
ballot_secret_read(json_t *doc, const struct mrow *m, const struct qrow *q,
    const char *qid, struct ballot_job *j, struct mreply *r)
{
	ballot_parsed bp;

	if (json_object_get(doc, "body") == NULL ||
	    json_object_get(doc, "selection") != NULL ||
	    json_object_get(doc, "voice") != NULL ||
	    json_object_get(doc, "signer") != NULL) {
		mr_err(r, "wrong_question", NULL);
		return -1;
	}
	if (mj_hexvar(doc, "body", &j->body, &j->body_len,
	        BALLOT_BODY_MAX, r) != 0)
		return -1;
	if (ballot_body_parse(&bp, j->body, j->body_len) != 0) {
		mr_err(r, "bad_ballot", NULL);
		return -1;
	}
	if (memcmp(bp.eid, m->eid, 32) != 0 || bp.qid_len != strlen(qid)
	    || memcmp(bp.qid, qid, bp.qid_len) != 0 ||
	    bp.e != q->bq.e || bp.overall_len !=
	    64u * (q->bq.hi - q->bq.lo + 1)) {
		mr_err(r, "wrong_question", NULL);
		return -1;
	}
	/* Verification hints (protocol.md §5.6): exactly the
	 * question's length, or refused; never stored. */
	if (json_object_get(doc, "hints") != NULL) {
		if (mj_hexvar(doc, "hints", &j->hints, &j->hints_len,
		    ballot_hints_size(&q->bq), r) != 0)
			return -1;
		if (j->hints_len != ballot_hints_size(&q->bq)) {
			mr_err(r, "invalid_field", "hints");
			return -1;
		}
	}
	memcpy(j->voice, bp.voice_pk, 32);
	memcpy(j->signer, bp.signer_pk, 32);
	memcpy(j->eid, m->eid, 32);
	memcpy(j->y, m->y, 32);
	return 0;
}

/* An open ballot (show of hands): its voice, signer and selection (one 0
 * or 1 per choice, between q's min and max) into j, with the statement
 * the signer signed ("open-ballot") as its body. 0, or -1 with r. */
static int
ballot_open_read(json_t *doc, const char *meeting, const struct qrow *q,
    const char *qid, struct ballot_job *j, struct mreply *r)
{
	json_t *sel = json_object_get(doc, "selection"), *v;
	framebuf fb;
	size_t i, sum = 0;
	uint8_t s8[64];

	if (sel == NULL || json_object_get(doc, "body") != NULL ||
	    json_object_get(doc, "voice") == NULL ||
	    json_object_get(doc, "signer") == NULL) {
		mr_err(r, "wrong_question", NULL);
		return -1;
	}
	if (json_object_get(doc, "hints") != NULL) {
		/* Hints belong to secret ballots only. */
		mr_err(r, "invalid_field", "hints");
		return -1;
	}
	if (mj_hex(doc, "voice", j->voice, 32, r) != 0 ||
	    mj_hex(doc, "signer", j->signer, 32, r) != 0)
		return -1;
	if (!json_is_array(sel) || json_array_size(sel) != q->n) {
		mr_err(r, "invalid_field", "selection");
		return -1;
	}
	json_array_foreach(sel, i, v) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > 1) {
			mr_err(r, "invalid_field", "selection");
			return -1;
		}
		s8[i] = (uint8_t)json_integer_value(v);
		sum += s8[i];
	}
	if (sum < q->min || sum > q->max) {
		mr_err(r, "invalid_field", "selection");
		return -1;
	}
	j->body = xmalloc(512 + q->n);
	stmt_begin(&fb, j->body, 512 + q->n, "open-ballot");
	stmt_str(&fb, meeting);
	stmt_str(&fb, qid);
	framebuf_field(&fb, j->voice, 32);
	framebuf_field(&fb, j->signer, 32);
	framebuf_field_u64(&fb, q->n);
	framebuf_field(&fb, s8, q->n);
	if (q->bq.has_digest)	/* scrutin/2 (protocol §5.7) */
		framebuf_field(&fb, q->bq.digest, 32);
	if (fb.overflow) {
		mr_err(r, "invalid_field", NULL);
		return -1;
	}
	j->body_len = fb.len;
	return 0;
}

int
meeting_ballot_read(json_t *doc, const struct mrow *m, const struct qrow *q,
    struct ballot_job *j, struct mreply *r)
{
	snprintf(j->meeting, sizeof j->meeting, "%s", m->id);
	snprintf(j->qid, sizeof j->qid, "%s", q->qid);
	j->secret = q->secret;
	j->q = q->bq;
	if (mj_hex(doc, "sig", j->sig, 64, r) != 0 ||
	    (q->secret ? ballot_secret_read(doc, m, q, q->qid, j, r) :
	    ballot_open_read(doc, m->id, q, q->qid, j, r)) != 0)
		return -1;
	ballot_receipt(j->receipt, j->body, j->body_len, j->sig);
	return 0;
}

/* A voice the frozen roll gives no vote: not_eligible, and where the
 * statutes' roll freeze is why (meeting_roll.reason, the engine's at the
 * convocation), that reason and its article (APROGEMERE II). */
static void
not_eligible(struct mctx *c, const struct mrow *m, int64_t member_id,
    struct mreply *r)
{
	sqlite3_stmt *s = store_prepare(c->st->roll, "SELECT reason FROM"
	    " meeting_roll WHERE meeting = ?1 AND member_id = ?2");
	const struct profile *p = NULL;
	const struct pr_body *b;
	char fr[256], en[256];

	mr_err(r, "not_eligible", NULL);
	if (s == NULL || store_bind_text(s, 1, m->id) != 0 ||
	    sqlite3_bind_int64(s, 2, member_id) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_ROW ||
	    strcmp((const char *)sqlite3_column_text(s, 0),
	        "registered_after_roll_freeze") != 0 ||
	    (p = m_profile(c, c->st, m->id)) == NULL ||
	    (b = profile_body_find(p, m->body)) == NULL)
		goto out;
	snprintf(fr, sizeof fr, "inscrit après l'arrêt de la liste des"
	    " votants à la convocation du %s (art. %s)", m->convocation,
	    b->voters.freeze_src.article);
	snprintf(en, sizeof en, "registered after the roll was frozen at the"
	    " convocation of %s (art. %s)", m->convocation,
	    b->voters.freeze_src.article);
	r->doc = json_pack("{s:s,s:s,s:s,s:s}", "reason",
	    "registered_after_roll_freeze", "article",
	    b->voters.freeze_src.article, "detail", fr, "detail_en", en);
out:
	sqlite3_finalize(s);
}

/* The voice of j may vote on q: a voter of the frozen roll signing for
 * itself, present at the opening where the record asks it, and no ballot
 * under another key of its member. 0, or -1 with r. */
static int
ballot_voice_check(struct mctx *c, const struct mrow *m,
    const struct qrow *q, const char *qid, const struct ballot_job *j,
    struct mreply *r)
{
	const char *meeting = m->id;
	const char *code;
	int64_t member_id, signer_id;
	int voter;

	if ((code = voice_lookup(c->st, meeting, j->voice, &member_id,
	        &voter)) != NULL) {
		mr_err(r, code, NULL);
		return -1;
	}
	if (!voter) {
		not_eligible(c, m, member_id, r);
		return -1;
	}
	/* The signer: the voice itself, or its holder under a proxy the
	 * engine accepted at the opening (docs/record.md §6). */
	signer_id = member_id;
	if (memcmp(j->voice, j->signer, 32) != 0 &&
	    (code = voice_lookup(c->st, meeting, j->signer, &signer_id,
	        &voter)) != NULL) {
		mr_err(r, code, NULL);
		return -1;
	}
	if (mailin_room_check(c->st, m, qid, member_id, r) != 0 ||
	    proxy_ballot_check(c, m, qid, member_id, signer_id, r) != 0 ||
	    recusal_ballot_check(c, m, q, member_id, signer_id, r) != 0)
		return -1;
	if (vc_recorded(c, meeting, q) && !opening_present(c->st, meeting,
	        qid, signer_id)) {
		mr_err(r, "not_present", NULL);
		return -1;
	}
	if (vc_multi(c, meeting, member_id) &&
	    other_key_voted(c->st, meeting, qid, member_id, j->voice)) {
		/* One voice per member, whatever key casts it: a reissued
		 * credential does not vote again (docs/record.md §6). */
		mr_err(r, "already_voted", NULL);
		return -1;
	}
	return 0;
}

int
meeting_ballot_prepare(struct mctx *c, const char *meeting,
    const uint8_t *body, size_t len, struct ballot_job **out,
    struct mreply *r)
{
	static const char *keys[] = { "question", "?body", "sig",
		"?selection", "?voice", "?signer", "?hints" };
	struct mrow m;
	struct qrow q;
	json_t *doc = NULL;
	const char *qid;
	struct ballot_job *j = NULL;
	int have_q = 0, rc = 0, rc_qd;

	*out = NULL;
	if (m_load(c->st, meeting, &m) != 0) {
		mr_err(r, "meeting_unknown", NULL);
		return 0;
	}
	if (mj_parse(body, len, keys, 7, &doc, r) != 0)
		return 0;
	if (mj_str(doc, "question", 64, &qid, r) != 0)
		goto out;
	if (q_load(c->st, meeting, qid, &q) != 0) {
		mr_err(r, "question_unknown", NULL);
		goto out;
	}
	have_q = 1;
	if (strcmp(q.status, "open") != 0) {
		mr_err(r, "wrong_phase", NULL);
		goto out;
	}
	/* scrutin/2: the ballot commits to the recorded content. */
	if ((rc_qd = q_digest_set(c, meeting, &q)) != 0) {
		mr_err(r, rc_qd > 0 ? "question_not_recorded" : "unavailable",
		    NULL);
		goto out;
	}
	j = xcalloc(1, sizeof *j);
	if (meeting_ballot_read(doc, &m, &q, j, r) != 0)
		goto out;
	/* A ballot its member opened (ballot_audit.c) never counts: one
	 * reusing an opened ciphertext's randomness is refused. */
	if (q.secret && ballot_audit_reused(c->st, meeting, qid, j->body,
	    j->body_len)) {
		mr_err(r, "ballot_audited", NULL);
		goto out;
	}
	if (ballot_voice_check(c, &m, &q, qid, j, r) != 0)
		goto out;
	if (ballot_existing(c, j, r))
		goto out;
	*out = j;
	j = NULL;
	rc = 1;
out:
	if (have_q)
		q_free(&q);
	meeting_ballot_free(j);
	json_decref(doc);
	return rc;
}

/* 1 if another credential of the member (revoked or reissued) has a
 * ballot on this question. */
static int
other_key_voted(struct store *st, const char *meeting, const char *qid,
    int64_t member_id, const uint8_t voice[32])
{
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT pk FROM credentials"
	    " WHERE member_id = ?1 AND meeting = ?2 AND pk != ?3");
	int found = 0;

	if (s == NULL || sqlite3_bind_int64(s, 1, member_id) != SQLITE_OK ||
	    store_bind_text(s, 2, meeting) != 0 ||
	    sqlite3_bind_blob(s, 3, voice, 32, SQLITE_TRANSIENT) != SQLITE_OK) {
		sqlite3_finalize(s);
		return 1;	/* fail closed */
	}
	while (!found && sqlite3_step(s) == SQLITE_ROW) {
		sqlite3_stmt *b = store_prepare(st->box, "SELECT 1 FROM ballots"
		    " WHERE meeting = ?1 AND qid = ?2 AND voice = ?3");
		found = b == NULL || (store_bind_text(b, 1, meeting) == 0 &&
		    store_bind_text(b, 2, qid) == 0 &&
		    sqlite3_bind_blob(b, 3, sqlite3_column_blob(s, 0),
		        sqlite3_column_bytes(s, 0), SQLITE_TRANSIENT) ==
		        SQLITE_OK && sqlite3_step(b) == SQLITE_ROW);
		sqlite3_finalize(b);
	}
	sqlite3_finalize(s);
	return found;
}

/* The verdict of a secret ballot from ballot_verify's code e. */
static void
ballot_verdict(struct ballot_job *j, int e)
{
	j->verdict = 0;
	j->code = NULL;
	if (e == SCRUTIN_ERR_SIGNATURE) {
		j->verdict = 403;
		j->code = "bad_signature";
	} else if (e == SCRUTIN_ERR_PROOF || e == SCRUTIN_ERR_POINT ||
	    e == SCRUTIN_ERR_SCALAR || e == SCRUTIN_ERR_IDENTITY) {
		j->verdict = 400;
		j->code = "bad_proof";
	} else if (e == SCRUTIN_ERR_CONTEXT) {
		j->verdict = 400;
		j->code = "wrong_question";
	} else if (e != 0) {
		j->verdict = 400;
		j->code = "bad_ballot";
	}
}

void
meeting_ballots_verify(struct ballot_job **jobs, size_t n)
{
	ballot_batch_item *it = xcalloc(n > 0 ? n : 1, sizeof *it);
	struct ballot_job **sj = xcalloc(n > 0 ? n : 1, sizeof *sj);
	int *rc = xcalloc(n > 0 ? n : 1, sizeof *rc);
	uint8_t *via = xcalloc(n > 0 ? n : 1, 1);
	size_t ns = 0;

	for (size_t i = 0; i < n; i++) {
		struct ballot_job *j = jobs[i];

		if (!j->secret) {
			meeting_ballot_verify(j);
			continue;
		}
		it[ns] = (ballot_batch_item){ &j->q, j->eid, j->y, j->body,
			j->body_len, j->sig, j->hints, j->hints_len };
		sj[ns++] = j;
	}
	if (ballot_verify_batch(it, ns, rc, via) != 0)
		for (size_t i = 0; i < ns; i++)	/* cannot happen */
			rc[i] = SCRUTIN_ERR_INTERNAL;
	for (size_t i = 0; i < ns; i++) {
		ballot_verdict(sj[i], rc[i]);
		/* Only hints a batch equation accepted go to the record
		 * (docs/record.md §6): a verifier's batch then takes the
		 * ballot too. */
		sj[i]->hints_ok = rc[i] == 0 && via[i] && sj[i]->hints != NULL;
	}
	free(it);
	free(sj);
	free(rc);
	free(via);
}

void
meeting_ballot_verify(struct ballot_job *j)
{
	int e;

	j->verdict = 0;
	j->code = NULL;
	if (j->secret) {
		e = ballot_verify(NULL, &j->q, j->eid, j->y, j->body,
		    j->body_len, j->sig);
		ballot_verdict(j, e);
	} else if (credential_verify(j->signer, j->sig, j->body,
	        j->body_len) != 0) {
		j->verdict = 403;
		j->code = "bad_signature";
	}
}

void
meeting_ballots_commit(struct mctx *c, struct ballot_job **jobs, size_t n,
    struct mreply *r)
{
	struct store *st = c->st;
	sqlite3_stmt *ins = NULL, *cnt = NULL;
	const struct ballot_job *last = NULL;
	int last_open = 0;
	uint64_t now = now_unix();
	size_t stored = 0;
	int rc;
	char *done = xcalloc(n ? n : 1, 1);

	for (size_t i = 0; i < n; i++) {
		if (jobs[i]->verdict != 0) {
			mr_err(&r[i], jobs[i]->code, NULL);
			done[i] = 1;
		}
	}
	if (sqlite3_exec(st->box, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK)
		goto fail_all;
	ins = store_prepare(st->box, "INSERT INTO ballots(meeting, qid,"
	    " position, receipt, voice, signer, secret, body, sig, at, hints)"
	    " VALUES (?1, ?2, (SELECT coalesce(max(position), 0) + 1 FROM"
	    " ballots WHERE meeting = ?1 AND qid = ?2), ?3, ?4, ?5, ?6, ?7,"
	    " ?8, ?9, ?10)");
	if (ins == NULL)
		goto rollback;
	for (size_t i = 0; i < n; i++) {
		struct ballot_job *j = jobs[i];
		struct qrow q;

		if (done[i])
			continue;
		/* The question may have closed while it was verified (read
		 * once per question and batch: it cannot close during this
		 * function, which runs on the thread that closes). */
		if (last == NULL || strcmp(last->qid, j->qid) != 0 ||
		    strcmp(last->meeting, j->meeting) != 0) {
			last = j;
			last_open = q_load(st, j->meeting, j->qid, &q) == 0 &&
			    strcmp(q.status, "open") == 0;
			if (q.spec != NULL)
				q_free(&q);
		}
		if (!last_open) {
			mr_err(&r[i], "wrong_phase", NULL);
			done[i] = 1;
			continue;
		}
		/* An audit of this very ballot may have been written while
		 * it was verified (audits run on this thread): checked again
		 * here, or the record could never chain it. */
		if (j->secret && ballot_audit_reused(st, j->meeting, j->qid,
		    j->body, j->body_len)) {
			mr_err(&r[i], "ballot_audited", NULL);
			done[i] = 1;
			continue;
		}
		j->at = now;
		sqlite3_reset(ins);
		sqlite3_clear_bindings(ins);
		if (store_bind_text(ins, 1, j->meeting) != 0 ||
		    store_bind_text(ins, 2, j->qid) != 0 ||
		    sqlite3_bind_blob(ins, 3, j->receipt, 32,
		        SQLITE_TRANSIENT) != SQLITE_OK ||
		    sqlite3_bind_blob(ins, 4, j->voice, 32, SQLITE_TRANSIENT) !=
		        SQLITE_OK ||
		    sqlite3_bind_blob(ins, 5, j->signer, 32,
		        SQLITE_TRANSIENT) != SQLITE_OK ||
		    sqlite3_bind_int(ins, 6, j->secret) != SQLITE_OK ||
		    sqlite3_bind_blob(ins, 7, j->body, (int)j->body_len,
		        SQLITE_TRANSIENT) != SQLITE_OK ||
		    sqlite3_bind_blob(ins, 8, j->sig, 64, SQLITE_TRANSIENT) !=
		        SQLITE_OK ||
		    sqlite3_bind_int64(ins, 9, (sqlite3_int64)now) != SQLITE_OK ||
		    (j->hints_ok && sqlite3_bind_blob(ins, 10, j->hints,
		        (int)j->hints_len, SQLITE_TRANSIENT) != SQLITE_OK))
			goto rollback;
		if ((rc = sqlite3_step(ins)) != SQLITE_DONE) {
			/* UNIQUE(voice) or UNIQUE(receipt): a duplicate that
			 * raced; the transaction goes on without it. Any
			 * other failure (a full disk...) fails the batch. */
			if ((rc & 0xff) != SQLITE_CONSTRAINT)
				goto rollback;
			mr_err(&r[i], "already_voted", NULL);
			done[i] = 1;
			continue;
		}
		stored++;
	}
	if (sqlite3_exec(st->box, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto rollback;
	if (stored > 0)
		storage_wrote();
	for (size_t i = 0; i < n; i++) {
		if (done[i])
			continue;
		ballot_ack(c, jobs[i], &r[i]);
		part_touch(c, jobs[i]->meeting, jobs[i]->qid);
	}
	(void)cnt;
	free(done);
	sqlite3_finalize(ins);
	part_flush(c, 0);
	return;
rollback:
	/* Says the cause (a full disk...) before the rollback's own words,
	 * and does not roll back what SQLite already rolled back. */
	log_warn("ballot batch not stored: %s", sqlite3_errmsg(st->box));
	storage_rollback(st->box, "box.db");
	goto fail;
fail_all:
	log_warn("ballot batch not stored: %s", sqlite3_errmsg(st->box));
	(void)storage_fail_sqlite(st->box, sqlite3_extended_errcode(st->box),
	    "BEGIN box.db");
fail:
	for (size_t i = 0; i < n; i++)
		if (!done[i])
			mr_err(&r[i], "unavailable", NULL);
	free(done);
	sqlite3_finalize(ins);
}

/* ---- the box's public reads ---- */

json_t *
ballot_receipts_json(struct store *st, const char *meeting,
    const uint8_t voice[32])
{
	json_t *voted = json_object();
	sqlite3_stmt *s = store_prepare(st->box, "SELECT qid, receipt FROM"
	    " ballots WHERE meeting = ?1 AND voice = ?2");

	if (s != NULL && store_bind_text(s, 1, meeting) == 0 &&
	    sqlite3_bind_blob(s, 2, voice, 32, SQLITE_TRANSIENT) == SQLITE_OK)
		while (sqlite3_step(s) == SQLITE_ROW) {
			char rh[65];
			xhex_encode(rh, sizeof rh,
			    sqlite3_column_blob(s, 1), 32);
			json_object_set_new(voted, (const char *)
			    sqlite3_column_text(s, 0), json_string(rh));
		}
	sqlite3_finalize(s);
	return voted;
}

void
api_voter(struct mctx *c, const struct mrow *m, const struct api_call *call,
    struct mreply *r)
{
	const char *pkhex = call->sub;
	struct store *st = c->st;
	uint8_t pk[32];
	sqlite3_stmt *s;
	const char *status = NULL, *att = "absent";
	char reason[48] = "";
	int64_t member = 0;
	int voter = 0;
	json_t *voted, *o;

	if (hex_decode(pk, 32, pkhex, strlen(pkhex)) != 0) {
		mr_err(r, "invalid_field", "pk");
		return;
	}
	s = store_prepare(st->roll, "SELECT c.status, coalesce(r.voter, 0),"
	    " coalesce(a.state, 'absent'), coalesce(r.reason, ''),"
	    " c.member_id FROM"
	    " credentials c LEFT JOIN"
	    " meeting_roll r ON r.meeting = c.meeting AND r.member_id ="
	    " c.member_id LEFT JOIN attendance a ON a.meeting = c.meeting AND"
	    " a.member_id = c.member_id WHERE c.pk = ?1 AND c.meeting = ?2");
	if (s != NULL && sqlite3_bind_blob(s, 1, pk, 32, SQLITE_TRANSIENT) ==
	        SQLITE_OK && store_bind_text(s, 2, m->id) == 0 &&
	    sqlite3_step(s) == SQLITE_ROW) {
		status = strcmp((const char *)sqlite3_column_text(s, 0),
		    "active") == 0 ? "active" : "revoked";
		voter = sqlite3_column_int(s, 1);
		att = strcmp((const char *)sqlite3_column_text(s, 2),
		    "present") == 0 ? "present" : strcmp((const char *)
		    sqlite3_column_text(s, 2), "remote") == 0 ? "remote" :
		    "absent";
		/* Why the statutes give no vote (ct_reason_code at the
		 * convocation, meeting_convene). */
		snprintf(reason, sizeof reason, "%s",
		    (const char *)sqlite3_column_text(s, 3));
		member = sqlite3_column_int64(s, 4);
	}
	sqlite3_finalize(s);
	if (status == NULL) {
		mr_err(r, "credential_unknown", NULL);
		return;
	}
	voted = ballot_receipts_json(st, m->id, pk);
	o = json_pack("{s:s,s:s,s:b,s:s,s:o,s:o}", "pk", pkhex,
	    "status", status, "voter", voter, "attendance", att, "mandates",
	    proxy_mandates_json(c, m, member, pk), "voted", voted);
	if (!voter && reason[0] != '\0')
		json_object_set_new(o, "reason", json_string(reason));
	/* The president's list of mandates to redistribute (APROGEMERE
	 * II, proxy_redistribute.c). */
	if ((voted = proxy_redist_json(c, m, member)) != NULL)
		json_object_set_new(o, "redistribute", voted);
	/* The member's mail-in ballots and fallback holder. */
	if ((voted = mailin_voter_json(c, m, member)) != NULL)
		json_object_set_new(o, "mailin", voted);
	mr_ok(r, o);
}

void
api_receipt(struct mctx *c, const struct mrow *m, const struct api_call *call,
    struct mreply *r)
{
	const char *rhex = call->sub;
	uint8_t rc[32];
	sqlite3_stmt *s;
	json_t *mail;

	if (hex_decode(rc, 32, rhex, strlen(rhex)) != 0) {
		mr_err(r, "invalid_field", "receipt");
		return;
	}
	s = store_prepare(c->st->box, "SELECT qid, at, position FROM ballots"
	    " WHERE receipt = ?1 AND meeting = ?2");
	if (s != NULL && sqlite3_bind_blob(s, 1, rc, 32, SQLITE_TRANSIENT) ==
	        SQLITE_OK && store_bind_text(s, 2, m->id) == 0 &&
	    sqlite3_step(s) == SQLITE_ROW)
		mr_ok(r, json_pack("{s:s,s:s,s:I,s:I}", "receipt", rhex,
		    "question", (const char *)sqlite3_column_text(s, 0), "at",
		    (json_int_t)sqlite3_column_int64(s, 1), "position",
		    (json_int_t)sqlite3_column_int64(s, 2)));
	/* A mail-in ballot is in the record, not in a question's box. */
	else if ((mail = mailin_receipt_json(c->st, m->id, rc, rhex)) != NULL)
		mr_ok(r, mail);
	else
		mr_err(r, "receipt_unknown", NULL);
	sqlite3_finalize(s);
}

/* One page of the public ballot box: ballots from position `from`, up to
 * about 40 KB of JSON. */
void
api_box(struct mctx *c, const struct mrow *m, const struct api_call *call,
    struct mreply *r)
{
	const char *qid = call->sub;
	const uint8_t *body = call->body;
	size_t len = call->len;
	static const char *keys[] = { "from" };
	struct qrow q;
	json_t *doc = NULL, *list;
	uint64_t from;
	sqlite3_stmt *s;
	size_t bytes = 0;
	int64_t next = 0;

	if (mj_parse(body, len, keys, 1, &doc, r) != 0)
		return;
	if (mj_u64(doc, "from", 1u << 30, &from, r) != 0) {
		json_decref(doc);
		return;
	}
	json_decref(doc);
	if (q_load(c->st, m->id, qid, &q) != 0) {
		mr_err(r, "question_unknown", NULL);
		return;
	}
	list = json_array();
	s = store_prepare(c->st->box, "SELECT position, receipt, voice, signer,"
	    " at, secret, body, sig FROM ballots WHERE meeting = ?1 AND qid ="
	    " ?2 AND position >= ?3 ORDER BY position");
	if (s != NULL && store_bind_text(s, 1, m->id) == 0 &&
	    store_bind_text(s, 2, qid) == 0 &&
	    sqlite3_bind_int64(s, 3, (sqlite3_int64)from) == SQLITE_OK)
		while (sqlite3_step(s) == SQLITE_ROW) {
			size_t bl = (size_t)sqlite3_column_bytes(s, 6);
			char h1[65], h2[65], h3[65], sg[129];
			json_t *o;

			if (bytes + 2 * bl + 600 > 40000 && bytes > 0) {
				next = sqlite3_column_int64(s, 0);
				break;
			}
			bytes += 2 * bl + 600;
			xhex_encode(h1, sizeof h1,
			    sqlite3_column_blob(s, 1), 32);
			xhex_encode(h2, sizeof h2,
			    sqlite3_column_blob(s, 2), 32);
			xhex_encode(h3, sizeof h3,
			    sqlite3_column_blob(s, 3), 32);
			xhex_encode(sg, sizeof sg,
			    sqlite3_column_blob(s, 7), 64);
			o = json_pack("{s:I,s:s,s:s,s:s,s:I,s:s}", "position",
			    (json_int_t)sqlite3_column_int64(s, 0), "receipt",
			    h1, "voice", h2, "signer", h3, "at",
			    (json_int_t)sqlite3_column_int64(s, 4), "sig", sg);
			if (sqlite3_column_int(s, 5)) {
				char *bh = xmalloc(2 * bl + 1);
				xhex_encode(bh, 2 * bl + 1,
				    sqlite3_column_blob(s, 6), bl);
				json_object_set_new(o, "body", json_string(bh));
				free(bh);
			} else {
				/* open-ballot statement: its selection */
				const uint8_t *b = open_ballot_selection(
				    sqlite3_column_blob(s, 6), bl, q.n);
				json_t *sel = json_array();
				for (size_t i = 0; b != NULL && i < q.n; i++)
					json_array_append_new(sel,
					    json_integer(b[i]));
				json_object_set_new(o, "selection", sel);
			}
			json_array_append_new(list, o);
		}
	sqlite3_finalize(s);
	{
		json_t *o = json_pack("{s:s,s:o,s:I}", "question", qid,
		    "ballots", list, "next", (json_int_t)next);
		json_t *tot = totals_json(c->st, m->id, qid);
		char *cl, *ck;
		if (tot != NULL)
			json_object_set_new(o, "totals", tot);
		/* The totals as the record holds them, with the checkpoint
		 * the privileged process signed right after: what the
		 * scrutineers check before they decrypt (docs/api.md). */
		if (tot != NULL &&
		    store_record_closed_lines(c->st, m->id, qid, &cl, &ck) == 0)
			json_object_set_new(o, "closed", json_pack("{s:s,s:s}",
			    "line", cl, "checkpoint", ck));
		else
			cl = ck = NULL;
		free(cl);
		free(ck);
		mr_ok(r, o);
	}
	q_free(&q);
}

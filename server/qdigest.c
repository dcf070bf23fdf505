/*
 * qdigest.c — the question digest on the server (docs/protocol.md §5.7,
 * scrutin/2): which protocol a meeting's record follows (its meeting
 * event's "protocol"), a question's content as the record carries it
 * (its question.opened payload, or before the opening the payload the
 * mail-in window published), and the digest of that content, which the
 * ballot path binds every ballot to (q_digest_set) and the views show
 * (q_opened_json: the payload for the phone, which recomputes the digest
 * itself, and the digest for the projector and the moderator).
 *
 * Trusts the store's record (the events the check on write accepted).
 * Invariant: the digest is computed from the record's bytes only, never
 * from the question's spec, so a ballot the server accepts is one the
 * verifier accepts; a scrutin/2 question whose content the record does
 * not hold gets no digest, and its ballots are refused.
 */
#include "server/meeting_int.h"

#include <stdio.h>
#include <string.h>

#include "audit/qdigest.h"
#include "crypto/group.h"
#include "crypto/hex.h"
#include "server/store.h"

const uint8_t *
open_ballot_selection(const uint8_t *b, size_t bl, uint32_t n)
{
	size_t off = 0;

	/* "scrutin/1", "open-ballot", meeting, qid, voice, signer, LE64 n */
	for (int k = 0; k < 7; k++) {
		if (b == NULL || bl - off < 4)
			return NULL;
		off += 4 + (size_t)group_le32_get(b + off);
		if (off > bl)
			return NULL;
	}
	if (bl - off < 4 + (size_t)n || group_le32_get(b + off) != n)
		return NULL;
	return b + off + 4;
}

int
m_protocol2(struct store *st, const char *meeting)
{
	sqlite3_stmt *s = store_cached(st, st->roll, "SELECT"
	    " json_extract(line, '$.payload.protocol') FROM events"
	    " WHERE meeting = ?1 AND kind = 'meeting'");
	int rc = -1, r;

	if (s == NULL || store_bind_text(s, 1, meeting) != 0)
		goto out;
	r = sqlite3_step(s);
	if (r == SQLITE_DONE)
		rc = 0;		/* no record: nothing to bind to */
	else if (r == SQLITE_ROW)
		rc = sqlite3_column_type(s, 0) == SQLITE_TEXT &&
		    strcmp((const char *)sqlite3_column_text(s, 0),
		        QDIGEST_PROTOCOL_V2) == 0;
out:
	store_release(st, s);
	return rc;
}

json_t *
q_opened_payload(struct store *st, const char *meeting, const char *qid)
{
	sqlite3_stmt *s = store_cached(st, st->roll, "SELECT line FROM events"
	    " WHERE meeting = ?1 AND kind = 'question.opened' AND qid = ?2");
	json_t *ev = NULL, *p = NULL, *w;
	const json_t *e;
	size_t i;

	if (s != NULL && store_bind_text(s, 1, meeting) == 0 &&
	    store_bind_text(s, 2, qid) == 0 && sqlite3_step(s) == SQLITE_ROW &&
	    (ev = json_loads((const char *)sqlite3_column_text(s, 0), 0,
	    NULL)) != NULL)
		p = json_incref(json_object_get(ev, "payload"));
	json_decref(ev);
	store_release(st, s);
	if (p != NULL || (w = mailin_window_load(st, meeting)) == NULL)
		return p;
	/* Not opened yet: the content the mail-in window published. */
	json_array_foreach(json_object_get(w, "questions"), i, e) {
		const char *id = json_string_value(json_object_get(e, "qid"));
		if (id != NULL && strcmp(id, qid) == 0)
			p = json_incref((json_t *)e);
	}
	json_decref(w);
	return p;
}

/* The digest of (meeting, qid) into d: 1, 0 when the record is of
 * scrutin/1, 2 when the record holds no content for the question (an
 * election kept out of it: a candidate without a credential in the
 * record), -1 on error. Uncached. */
static int
digest_compute(struct store *st, const char *meeting, const char *qid,
    uint8_t d[32])
{
	int v2 = m_protocol2(st, meeting), rc = -1;
	json_t *p;

	if (v2 <= 0)
		return v2;
	if ((p = q_opened_payload(st, meeting, qid)) == NULL)
		return 2;
	if (question_digest(d, p) == 0)
		rc = 1;
	json_decref(p);
	return rc;
}

int
q_digest_set(struct mctx *c, const char *meeting, struct qrow *q)
{
	uint8_t d[32];
	size_t i;
	int rc;

	for (i = 0; i < c->vc.nqd; i++)
		if (c->vc.qd[i].opened_at == q->opened_at &&
		    strcmp(c->vc.qd[i].meeting, meeting) == 0 &&
		    strcmp(c->vc.qd[i].qid, q->qid) == 0) {
			if (c->vc.qd[i].has)
				ballot_question_set_digest(&q->bq,
				    c->vc.qd[i].d);
			return 0;
		}
	if ((rc = digest_compute(c->st, meeting, q->qid, d)) < 0)
		return -1;
	if (rc == 2)
		return 1;	/* not cached: nothing to bind to */
	if (rc == 1)
		ballot_question_set_digest(&q->bq, d);
	if (c->vc.nqd < sizeof c->vc.qd / sizeof c->vc.qd[0]) {
		i = c->vc.nqd++;
		snprintf(c->vc.qd[i].meeting, 65, "%s", meeting);
		snprintf(c->vc.qd[i].qid, 65, "%s", q->qid);
		c->vc.qd[i].opened_at = q->opened_at;
		c->vc.qd[i].has = rc;
		memcpy(c->vc.qd[i].d, d, 32);
	}
	return 0;
}

void
q_opened_set(struct store *st, const char *meeting, json_t *o)
{
	const char *qid = json_string_value(json_object_get(o, "id"));
	uint8_t d[32];
	char hx[65];
	json_t *p;

	if (qid == NULL || (p = q_opened_payload(st, meeting, qid)) == NULL)
		return;
	if (question_digest(d, p) == 0 && m_protocol2(st, meeting) == 1 &&
	    hex_encode(hx, sizeof hx, d, 32) == 0)
		json_object_set_new(o, "qdigest", json_string(hx));
	json_object_set_new(o, "opened", p);
}

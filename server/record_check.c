/*
 * record_check.c — the public record checked on write (see store.h): no
 * event is stored that scrutin-verify would reject at that event.
 *
 * Every line the store is about to append to a meeting's record (an
 * event, a chained ballot, a checkpoint) is first given to the verifier
 * of audit/ (audit_verifier_feed: the same code as scrutin-verify, one
 * line at a time). A refused line is not stored: the caller's transaction
 * rolls back, and the refusal's words (French and English, naming the
 * event and the check) are kept in the store for the reply and logged.
 *
 * Trusts the verifier (audit/), and the stored lines only as far as they
 * verify: a verifier is rebuilt by feeding every stored line of the
 * meeting, so a record already broken refuses every further event.
 * Invariants: a slot's verifier has accepted exactly the stored lines up
 * to next_seq, whose last hash is head; when the table is elsewhere (a
 * rolled-back transaction, another process's append, a refused line) the
 * slot is rebuilt before it is used.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/verify.h"
#include "server/store.h"

static void
refusal_set(struct store *st, const audit_failure *f)
{
	snprintf(st->refusal_fr, sizeof st->refusal_fr, "%s", f->fr);
	snprintf(st->refusal_en, sizeof st->refusal_en, "%s", f->en);
	log_warn("enregistrement public : événement refusé, rien n'est"
	    " enregistré : %s", f->fr);
}

static void
slot_drop(struct store_rcheck *r)
{
	audit_verifier_free(r->v);
	memset(r, 0, sizeof *r);
}

void
store_rcheck_free(struct store *st)
{
	for (size_t i = 0; i < STORE_RCHECK_SLOTS; i++)
		slot_drop(&st->rcheck[i]);
}

int
store_refusal_clear(struct store *st)
{
	int had = st->refusal_fr[0] != '\0';

	st->refusal_fr[0] = st->refusal_en[0] = '\0';
	return had;
}

/* A new verifier for the meeting, fed every line stored so far. 0, or
 * -1 (the slot left empty) when a line cannot be read or is refused. */
static int
slot_build(struct store *st, struct store_rcheck *r, const char *meeting)
{
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT line FROM events"
	    " WHERE meeting = ?1 ORDER BY mseq");
	audit_verify_opts o;
	audit_failure f;
	int rc = -1, got;

	memset(&o, 0, sizeof o);	/* no worker thread */
	/* Every ballot line comes from box.db, where it was stored only
	 * after ballot_verify accepted it (server/ballot.c). */
	o.ballots_proven = true;
	slot_drop(r);
	if (s == NULL || store_bind_text(s, 1, meeting) != 0 ||
	    (r->v = audit_verifier_new(&o)) == NULL)
		goto out;
	snprintf(r->meeting, sizeof r->meeting, "%s", meeting);
	while ((got = sqlite3_step(s)) == SQLITE_ROW) {
		const char *line = (const char *)sqlite3_column_text(s, 0);
		size_t len = (size_t)sqlite3_column_bytes(s, 0);
		if (line == NULL ||
		    audit_verifier_feed(r->v, line, len, &f) != 0) {
			if (line != NULL)
				refusal_set(st, &f);
			goto out;
		}
	}
	if (got != SQLITE_DONE)
		goto out;
	audit_verifier_head(r->v, r->head, &r->next_seq);
	rc = 0;
out:
	sqlite3_finalize(s);
	if (rc != 0)
		slot_drop(r);
	return rc;
}

/* The meeting's slot, positioned at (next_seq, head): kept, or rebuilt
 * in the meeting's slot or the one used least recently. */
static struct store_rcheck *
slot_at(struct store *st, const char *meeting, uint64_t next_seq,
    const uint8_t head[32])
{
	struct store_rcheck *r = NULL;

	for (size_t i = 0; i < STORE_RCHECK_SLOTS && r == NULL; i++)
		if (st->rcheck[i].v != NULL &&
		    strcmp(st->rcheck[i].meeting, meeting) == 0)
			r = &st->rcheck[i];
	if (r != NULL && r->next_seq == next_seq &&
	    memcmp(r->head, head, 32) == 0)
		goto found;
	if (r == NULL) {
		r = &st->rcheck[0];
		for (size_t i = 1; i < STORE_RCHECK_SLOTS; i++)
			if (st->rcheck[i].used < r->used)
				r = &st->rcheck[i];
	}
	if (slot_build(st, r, meeting) != 0)
		return NULL;
	if (r->next_seq != next_seq || memcmp(r->head, head, 32) != 0) {
		/* The caller's chain position is not the stored record's. */
		slot_drop(r);
		return NULL;
	}
found:
	r->used = ++st->rcheck_clock;
	return r;
}

int
store_record_check(struct store *st, const char *meeting, uint64_t next_seq,
    const uint8_t head[32], const char *line, size_t len)
{
	struct store_rcheck *r = slot_at(st, meeting, next_seq, head);
	audit_failure f;

	if (r == NULL)
		return -1;
	if (audit_verifier_feed(r->v, line, len, &f) != 0) {
		refusal_set(st, &f);
		slot_drop(r);
		return -1;
	}
	audit_verifier_head(r->v, r->head, &r->next_seq);
	return 0;
}

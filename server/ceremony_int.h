/*
 * ceremony_int.h — what the files of the scrutineers' ceremony and of the
 * count share (privileged side): ceremony.c (state, trustees, reset),
 * ceremony_phase.c (the six steps of the key ceremony), decrypt.c (the
 * decryption shares) and result.c (close, totals, count, signed result).
 * Not an interface for anything else: meeting.c and api.c see these
 * files through meeting_int.h and api.h.
 *
 * Invariant kept by every user: a trustee's row (struct trow) is what
 * the store holds and passed the checks when it was written; a blob of
 * the wrong size is read as absent.
 */
#ifndef SCRUTIN_SERVER_CEREMONY_INT_H
#define SCRUTIN_SERVER_CEREMONY_INT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <sqlite3.h>

#include "crypto/dkg.h"
#include "server/meeting_int.h"

/* o[key] = the lowercase hex of p's n bytes, or null when p is NULL. */
void cer_hexset(json_t *o, const char *key, const void *p, size_t n);
/* Column col of s when it is a blob of exactly n bytes, else NULL. */
const void *cer_blob(sqlite3_stmt *s, int col, size_t n);

/* The trustees' rows, for the checks. */
struct trow {
	int enrolled;
	uint8_t id_pk[32], box_pk[32];
	int has_commit, has_reveal, has_boxes, has_key;
	uint8_t h[32];
	uint8_t cs[DKG_TRUSTEES_MAX][32];
	uint8_t pok[64];
	uint8_t y[32];
};

/* m's trustees into tr[0 .. DKG_TRUSTEES_MAX) (index j at tr[j - 1]);
 * 0, or -1 on a storage error or an index out of 1..n. */
int trustees_load(struct store *st, const struct mrow *m, struct trow *tr)
    WUR;

/* One step of the key ceremony (ceremony_phase.c), from its request to
 * its commit: what the phase's handler fills in, and what the shared
 * opening and end (ceremony.c) need. */
struct cer_step {
	struct mctx *c;
	const struct mrow *m;
	json_t *doc;		/* the request, decoded strictly */
	uint64_t idx;		/* the trustee's index, 1..n */
	uint8_t sig[64];	/* its signature over the step's statement */
	struct trow *tr;	/* every trustee, DKG_TRUSTEES_MAX rows */
	struct trow *me;	/* tr[idx - 1] once begun */
	int begun;		/* the store's transaction is open */
	framebuf fb;		/* the statement the trustee signed */
	uint8_t buf[4096];
	json_t *ev;		/* the event's payload: {meeting, index, ...} */
	const char *kind;	/* the event's kind */
	json_t *rec;		/* the record's message as received, or NULL */
	const char *rkind;
	json_t *rec2;		/* the ceremony's end (then a checkpoint) */
	const char *rkind2;
	const char *next;	/* the phase this step opened, or NULL */
};

/* Decodes a step's body (keys: its members, as mj_parse) with its index
 * (1..n) and signature. 0, or -1 with r set; sp is ready for
 * cer_step_end in both cases. */
int cer_step_read(struct cer_step *sp, struct mctx *c, const struct mrow *m,
    const struct api_call *call, const char *const *keys, size_t nkeys,
    struct mreply *r) WUR;
/* Only in phase: loads the trustees, opens the transaction and the
 * event. 0, or -1 with r set. */
int cer_step_begin(struct cer_step *sp, const char *phase, struct mreply *r)
    WUR;
/* cer_step_read and cer_step_begin for a step after the enrolment: the
 * trustee must be enrolled. 0, or -1 with r set. */
int cer_step_open(struct cer_step *sp, struct mctx *c, const struct mrow *m,
    const struct api_call *call, const char *const *keys, size_t nkeys,
    const char *phase, struct mreply *r) WUR;
/* The statement of a step after the enrolment into sp->fb: kind,
 * ceremony_id, index; the phase adds its fields. */
void cer_stmt_begin(struct cer_step *sp, const char *kind);
/* sp->fb signed by the enrolled trustee's identity key: 0, or -1 with r
 * set (bad_signature). */
int cer_stmt_check(const struct cer_step *sp, struct mreply *r) WUR;
/* Runs sql, an UPDATE of the trustee's row with (meeting, index) as ?1,
 * ?2 and up to two blobs (NULL: unbound). 0, or -1 with r set. */
int cer_step_update(struct cer_step *sp, const char *sql, const void *b1,
    size_t l1, const void *b2, size_t l2, struct mreply *r) WUR;
/* The ceremony moves to phase next (with ceremony_id, y and eid unless
 * NULL), notified once committed. 0, or -1 with r set. */
int cer_step_next(struct cer_step *sp, const char *next, const uint8_t *cid,
    const uint8_t *y, const uint8_t *eid, struct mreply *r) WUR;
/* Ends a step. ok: the event (signed by sp->sig), the record's messages,
 * the commit and the notification of a new phase; r becomes
 * "unavailable" if storing fails. Otherwise the rollback. Frees sp's
 * members in both cases. */
void cer_step_end(struct cer_step *sp, int ok, struct mreply *r);

/* Counts counts[n] from N ballots under the statutes; signs and stores
 * the result; notifies (result.c). decryption: the trustees whose shares
 * decrypted the totals, or NULL for an open question or an empty box. */
int count_and_publish(struct mctx *c, struct store *st, const struct mrow *m,
    struct qrow *q, uint64_t nballots, const uint64_t *counts,
    json_t *decryption) WUR;

#endif

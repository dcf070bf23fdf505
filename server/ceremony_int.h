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
/* Runs an UPDATE with (meeting, idx) as ?1, ?2 and up to two blobs. */
int tr_update(struct store *st, const char *sql, const char *meeting,
    uint32_t idx, const void *b1, size_t l1, const void *b2, size_t l2) WUR;
/* The meeting's ceremony phase; ceremony_id, y and eid unless NULL. */
int m_set_ceremony(struct store *st, const char *meeting, const char *status,
    const uint8_t *cid, const uint8_t *y, const uint8_t *eid) WUR;

/* Counts counts[n] from N ballots under the statutes; signs and stores
 * the result; notifies (result.c). decryption: the trustees whose shares
 * decrypted the totals, or NULL for an open question or an empty box. */
int count_and_publish(struct mctx *c, struct store *st, const struct mrow *m,
    struct qrow *q, uint64_t nballots, const uint64_t *counts,
    json_t *decryption) WUR;

#endif

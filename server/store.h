/*
 * store.h — the SQLite stores: roll.db (identities, credentials, attendance
 * later, the event log) and box.db (the ballot box), two separate files so
 * the roll and the ballots never share a handle or a transaction.
 *
 * Only the privileged process and the operator's commands open a store;
 * the network process never does. Every statement is prepared with bound
 * parameters; SQL text is never built from input.
 */
#ifndef SCRUTIN_SERVER_STORE_H
#define SCRUTIN_SERVER_STORE_H

#include <sqlite3.h>
#include <jansson.h>

#include "server/scrutin.h"

#define STORE_ROLL_VERSION 13
#define STORE_BOX_VERSION 3
#define STORE_CACHE_MAX 48
#define STORE_RCHECK_SLOTS 4

struct store {
	sqlite3 *roll;
	sqlite3 *box;
	int in_tx;
	int64_t tx_changes;	/* sqlite3_total_changes64 at BEGIN */
	/* The server's Ed25519 key, for checkpoints of the public record:
	 * borrowed from the privileged process (store_key_set), or loaded on
	 * first use from the data directory (operator commands) and then
	 * owned (sodium_free'd by store_close). */
	uint8_t *sk;
	uint8_t pk[32];
	int sk_owned;
	char datadir[4096];
	/* Statements of the hot paths, prepared once (store_cached). */
	struct store_stmt {
		const char *sql;	/* the literal's address is the key */
		sqlite3_stmt *s;
	} cache[STORE_CACHE_MAX];
	size_t ncache;
	/* The public record checked on write (server/record_check.c): a
	 * verifier per meeting this process appended to, positioned after
	 * the line it accepted last; rebuilt from the stored lines whenever
	 * the table moved on without it (another process appended, a
	 * transaction rolled back, a line was refused). */
	struct store_rcheck {
		char meeting[65];
		struct audit_verifier *v;	/* NULL: slot free */
		uint64_t next_seq;
		uint8_t head[32];
		uint64_t used;
	} rcheck[STORE_RCHECK_SLOTS];
	uint64_t rcheck_clock;
	/* Why the last line was refused ("" when none since
	 * store_refusal_clear): the verifier's words, French and English. */
	char refusal_fr[512], refusal_en[512];
};

/*
 * Opens (creating if needed) datadir/roll.db and datadir/box.db, applies
 * the safety settings (WAL, synchronous=FULL, defensive, trusted_schema
 * off, foreign keys, secure_delete) and the pending migrations. Refuses a
 * database newer than this program. OUT: *out, freed with store_close.
 */
int store_open(struct store **out, const char *datadir) WUR;
void store_close(struct store *st);

/* Creates datadir with mode 0700 if missing; refuses a path that is not a
 * directory. */
int store_datadir_ensure(const char *datadir) WUR;

/* Transactions on roll.db (BEGIN IMMEDIATE). */
int store_begin(struct store *st) WUR;
int store_commit(struct store *st) WUR;
void store_rollback(struct store *st);

/*
 * THE one function that records a state change: appends (time, kind,
 * payload) to the events table of roll.db. Must be called inside the
 * transaction that makes the change, so the change and its record land
 * together or not at all. payload is borrowed (not stolen). The audit team
 * turns this table into a hash-chained, signed log; keep every write here.
 * OUT: *seq (may be NULL).
 */
int store_event_record(struct store *st, const char *kind,
    const json_t *payload, int64_t *seq) WUR;

/*
 * The public election record (docs/record.md): one hash-chained log per
 * meeting, in the same events table (columns meeting, mseq, line, hash),
 * formatted by audit/log.h. store_record_append() appends one event of
 * the record, inside the caller's transaction (like store_event_record):
 * it reads the chain head from the table (so the operator's commands and
 * the server can both append), first chains every ballot of the meeting
 * that box.db holds and the record does not yet (in box order, which is
 * the acceptance order, for questions the record has opened), then
 * formats the event with audit_log_append and stores the line bytes.
 * payload is borrowed. -1 on any error (the caller rolls back).
 *
 * Ballots live in box.db (their own append-only store, committed before
 * the acknowledgement): they enter the chain at the meeting's next record
 * event, at the latest at the question's close, or at export; box.db's
 * order is their acceptance order and nothing reorders them.
 */
int store_record_append(struct store *st, const char *meeting,
    const char *kind, const json_t *payload) WUR;
/* The check on write (server/record_check.c): line, the event about to
 * be stored at chain position c of the meeting's record, is checked with
 * scrutin-verify's own rules (audit_verifier_feed) against the stored
 * lines before it. 0: accepted; -1: refused (st->refusal_fr/en say why,
 * and the log) or the stored record could not be read or does not verify
 * itself. The caller then stores nothing (its transaction rolls back). */
int store_record_check(struct store *st, const char *meeting,
    uint64_t next_seq, const uint8_t head[32], const char *line, size_t len)
    WUR;
/* Forgets the last refusal; 1 if there was one since the last clear. */
int store_refusal_clear(struct store *st);
void store_rcheck_free(struct store *st);
/* Chains the pending ballots, then appends a checkpoint signed with the
 * server key unless the record already ends with one. In a transaction. */
int store_record_checkpoint(struct store *st, const char *meeting) WUR;
/* OUT the hash of the last event of the meeting's record and the number
 * of events (0: no record). */
int store_record_head(struct store *st, const char *meeting,
    uint8_t head[32], uint64_t *events) WUR;
/* 1 if the meeting's record has an event of this kind whose payload
 * field "qid" is qid (qid NULL: any event of the kind), 0 if not, -1 on
 * error. */
int store_record_has(struct store *st, const char *meeting, const char *kind,
    const char *qid) WUR;
/* What binds a closed question's totals to the signed record: the exact
 * line of its `question.closed` event and of the checkpoint right after
 * it, which signs that line's hash (docs/record.md §3). *closed and
 * *checkpoint are malloc'd strings; 0 when found, 1 when the question
 * has no such pair (not in the record, or not closed), -1 on error. */
int store_record_closed_lines(struct store *st, const char *meeting,
    const char *qid, char **closed, char **checkpoint) WUR;
/* Writes the meeting's record (each line and "\n") to f (a FILE *);
 * -1 on error or if the record is empty. */
int store_record_write(struct store *st, const char *meeting, void *f) WUR;
/* The server key: set (borrowed) by the privileged process; loaded from
 * the data directory on first use otherwise. NULL on error. */
void store_key_set(struct store *st, uint8_t *sk, const uint8_t pk[32]);
const uint8_t *store_key(struct store *st, uint8_t pk[32]);

struct store_status {
	int roll_version;
	int box_version;
	int64_t members_active;
	int64_t credentials_active;
	int64_t events;
};
int store_status_get(struct store *st, struct store_status *out) WUR;

/* Prepares sql on db; returns NULL (and logs) on error. */
sqlite3_stmt *store_prepare(sqlite3 *db, const char *sql);
/*
 * A prepared statement kept for the life of the store, for the hot paths
 * (ballots, views): sql must be a string literal (its address is the
 * key) on db (st->roll or st->box). The caller binds, steps, and must
 * give it back with store_release() before returning — never finalize
 * it: an unreset statement would hold its read snapshot open. Falls back
 * to a fresh statement when the cache is full (store_release finalizes
 * that one). NULL on error.
 */
sqlite3_stmt *store_cached(struct store *st, sqlite3 *db, const char *sql);
void store_release(struct store *st, sqlite3_stmt *s);
/* Binds a NUL-terminated UTF-8 string (transient copy). */
int store_bind_text(sqlite3_stmt *s, int idx, const char *v) WUR;

#endif

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

#define STORE_ROLL_VERSION 2
#define STORE_BOX_VERSION 2

struct store {
	sqlite3 *roll;
	sqlite3 *box;
	int in_tx;
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
/* Binds a NUL-terminated UTF-8 string (transient copy). */
int store_bind_text(sqlite3_stmt *s, int idx, const char *v) WUR;

#endif

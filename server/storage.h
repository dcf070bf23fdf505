/*
 * storage.h — the storage's health: what a failed write tells of the
 * disk (full, I/O error, locked, read-only, damaged), kept as the
 * process's degraded state until a write succeeds again.
 *
 * The privileged process notes every SQLite or file failure here
 * (storage_fail_*), and every write that reached the disk
 * (storage_wrote). GET /api/v1/status and the refusals of writes
 * (storage_full, storage_error) read the state back (storage_state_get)
 * with the French and English sentence saying what to do. The operator's
 * commands share the code: their log then names the cause too.
 */
#ifndef SCRUTIN_SERVER_STORAGE_H
#define SCRUTIN_SERVER_STORAGE_H

#include <stdint.h>

#include <sqlite3.h>

#include "server/scrutin.h"

enum storage_kind {
	STORAGE_OK = 0,
	STORAGE_FULL,		/* SQLITE_FULL, ENOSPC, EDQUOT */
	STORAGE_IO,		/* SQLITE_IOERR*, EIO */
	STORAGE_LOCKED,		/* SQLITE_BUSY, SQLITE_LOCKED */
	STORAGE_READONLY,	/* SQLITE_READONLY*, EROFS */
	STORAGE_CORRUPT,	/* SQLITE_CORRUPT, SQLITE_NOTADB */
	STORAGE_NKINDS
};

struct storage_state {
	enum storage_kind kind;	/* STORAGE_OK: healthy */
	int64_t since;		/* Unix time of the first failure */
	uint64_t failures;	/* failures since */
	int64_t free_mb;	/* free space of the data directory, -1 */
	const char *code;	/* "storage_full" or "storage_error" */
	const char *reason;	/* "full", "io", "locked", "readonly"... */
	char fr[512], en[512];	/* the cause and what to do */
	char cause[200];	/* the system's own words (SQLite, errno) */
};

/* The data directory whose free space the sentences give. */
void storage_init(const char *datadir);
/* Installs SQLite's error log callback, which notes the storage failures
 * of every statement: before any other SQLite call (main), or not at all
 * (SQLite then refuses it, and the explicit notes below remain). */
void storage_log_install(void);

enum storage_kind storage_kind_sqlite(int rc);
enum storage_kind storage_kind_errno(int e);

/* Notes a failure of what (a few words: "COMMIT roll.db"): a storage
 * failure enters (or stays in) the degraded state and is logged in
 * French, once per episode. Returns its kind (STORAGE_OK: another kind
 * of error, not noted). */
enum storage_kind storage_fail_sqlite(sqlite3 *db, int rc, const char *what);
enum storage_kind storage_fail_errno(int e, const char *what);
/* A write reached the disk: the degraded state ends (and is logged). */
void storage_wrote(void);
/* OUT the state (with the free space now). 1 when degraded, 0 when ok. */
int storage_state_get(struct storage_state *out);
/* Forgets the state (tests, a new store). */
void storage_reset(void);

/* Ends db's transaction: ROLLBACK unless SQLite already rolled it back
 * itself (after SQLITE_FULL, an I/O error...), which is then said in the
 * log instead of "cannot rollback - no transaction is active". name:
 * "roll.db" or "box.db". */
void storage_rollback(sqlite3 *db, const char *name);

#endif

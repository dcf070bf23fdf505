/*
 * test_storage.c — the storage's health (server/storage.c): which SQLite
 * results and errno values are the storage's and of what kind, the
 * degraded state's sentences and its end with a write, and a transaction
 * ended after SQLite already rolled it back (a real SQLITE_FULL from a
 * database capped by max_page_count) without a ROLLBACK of its own.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "server/storage.h"
#include "tests/check.h"

static void
test_kinds(void)
{
	CHECK(storage_kind_sqlite(SQLITE_FULL) == STORAGE_FULL);
	CHECK(storage_kind_sqlite(SQLITE_IOERR_WRITE) == STORAGE_IO);
	CHECK(storage_kind_sqlite(SQLITE_IOERR_FSYNC) == STORAGE_IO);
	CHECK(storage_kind_sqlite(SQLITE_BUSY) == STORAGE_LOCKED);
	CHECK(storage_kind_sqlite(SQLITE_LOCKED_SHAREDCACHE) ==
	    STORAGE_LOCKED);
	CHECK(storage_kind_sqlite(SQLITE_READONLY_DBMOVED) ==
	    STORAGE_READONLY);
	CHECK(storage_kind_sqlite(SQLITE_CORRUPT) == STORAGE_CORRUPT);
	CHECK(storage_kind_sqlite(SQLITE_NOTADB) == STORAGE_CORRUPT);
	CHECK(storage_kind_sqlite(SQLITE_CONSTRAINT_UNIQUE) == STORAGE_OK);
	CHECK(storage_kind_sqlite(SQLITE_ERROR) == STORAGE_OK);
	CHECK(storage_kind_sqlite(SQLITE_OK) == STORAGE_OK);
	CHECK(storage_kind_errno(ENOSPC) == STORAGE_FULL);
	CHECK(storage_kind_errno(EDQUOT) == STORAGE_FULL);
	CHECK(storage_kind_errno(EIO) == STORAGE_IO);
	CHECK(storage_kind_errno(EROFS) == STORAGE_READONLY);
	CHECK(storage_kind_errno(EACCES) == STORAGE_OK);
}

static void
test_state(void)
{
	struct storage_state d;

	storage_reset();
	storage_init(".");
	CHECK(storage_state_get(&d) == 0 && d.kind == STORAGE_OK);
	CHECK(strcmp(d.reason, "ok") == 0 && d.fr[0] == '\0');
	CHECK(d.free_mb >= 0);
	/* Not the storage's: nothing changes. */
	CHECK(storage_fail_sqlite(NULL, SQLITE_CONSTRAINT, "x") ==
	    STORAGE_OK);
	CHECK(storage_fail_errno(EACCES, "x") == STORAGE_OK);
	CHECK(storage_state_get(&d) == 0);
	/* A full disk. */
	CHECK(storage_fail_errno(ENOSPC, "fichier") == STORAGE_FULL);
	CHECK(storage_state_get(&d) == 1 && d.kind == STORAGE_FULL);
	CHECK(strcmp(d.code, "storage_full") == 0);
	CHECK(strcmp(d.reason, "full") == 0);
	CHECK(strncmp(d.fr, "disque plein : libérez de la place sur le"
	    " serveur (", 49) == 0);
	CHECK(strstr(d.fr, " Mo libres) puis réessayez ; rien n'a été"
	    " perdu") != NULL);
	CHECK(strncmp(d.en, "disk full: free some space", 26) == 0);
	CHECK(d.since > 0 && d.failures == 1);
	CHECK(strstr(d.cause, "fichier") != NULL);
	/* Another kind: the latest is kept, the episode goes on. */
	CHECK(storage_fail_sqlite(NULL, SQLITE_IOERR_WRITE, "COMMIT") ==
	    STORAGE_IO);
	CHECK(storage_state_get(&d) == 1 && d.kind == STORAGE_IO);
	CHECK(strcmp(d.code, "storage_error") == 0 && d.failures == 2);
	CHECK(strstr(d.fr, "entrée-sortie") != NULL);
	/* A write that reached the disk ends it. */
	storage_wrote();
	CHECK(storage_state_get(&d) == 0 && d.failures == 0);
}

/* A database capped at a few pages fills up for real. */
static void
test_full_rollback(void)
{
	char path[] = "test-output/storage-XXXXXX";
	char db_path[64];
	struct storage_state d;
	sqlite3 *db = NULL;
	int rc = SQLITE_OK;

	storage_reset();
	CHECK(mkdtemp(path) != NULL);
	snprintf(db_path, sizeof db_path, "%s/t.db", path);
	CHECK(sqlite3_open(db_path, &db) == SQLITE_OK);
	CHECK(sqlite3_exec(db, "CREATE TABLE t(b BLOB);"
	    "PRAGMA max_page_count = 8;", NULL, NULL, NULL) == SQLITE_OK);
	CHECK(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) ==
	    SQLITE_OK);
	for (int i = 0; i < 64 && rc == SQLITE_OK; i++)
		rc = sqlite3_exec(db, "INSERT INTO t VALUES (zeroblob(2000))",
		    NULL, NULL, NULL);
	CHECK(rc == SQLITE_FULL);
	storage_rollback(db, "t.db");
	CHECK(sqlite3_get_autocommit(db) == 1);
	CHECK(storage_state_get(&d) == 1 && d.kind == STORAGE_FULL);
	/* Nothing of the transaction was stored. */
	{
		sqlite3_stmt *s = NULL;
		CHECK(sqlite3_prepare_v2(db, "SELECT count(*) FROM t", -1, &s,
		    NULL) == SQLITE_OK);
		CHECK(sqlite3_step(s) == SQLITE_ROW &&
		    sqlite3_column_int(s, 0) == 0);
		sqlite3_finalize(s);
	}
	/* A second rollback when none is open: not an error to report. */
	storage_rollback(db, "t.db");
	CHECK(sqlite3_get_autocommit(db) == 1);
	sqlite3_close(db);
	remove(db_path);
	remove(path);
}

int
main(void)
{
	test_kinds();
	test_state();
	test_full_rollback();
	return check_done("test_storage");
}

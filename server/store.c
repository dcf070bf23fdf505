/*
 * store.c — SQLite storage: settings, versioned migrations, the event log.
 *
 * Invariants: both databases run in WAL mode with synchronous=FULL (a
 * committed transaction survives a power cut), SQLITE_DBCONFIG_DEFENSIVE
 * (no writable_schema tricks), trusted_schema=OFF, foreign keys ON,
 * secure_delete ON (deleted secrets-adjacent rows are zeroed), double-quoted
 * string literals off, extension loading off. The schema version is
 * PRAGMA user_version; migrations[] is append-only, each step runs in its
 * own transaction, and a database newer than this program is refused.
 * The events table and members_history are append-only (triggers).
 */
#include "server/store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *roll_migrations[] = {
	/* 1: members, their history, imports, credentials, events. */
	"CREATE TABLE imports("
	" id INTEGER PRIMARY KEY,"
	" at INTEGER NOT NULL,"
	" sha256 TEXT NOT NULL,"
	" encoding TEXT NOT NULL,"
	" separator TEXT NOT NULL,"
	" rows_ok INTEGER NOT NULL,"
	" rows_rejected INTEGER NOT NULL,"
	" created INTEGER NOT NULL,"
	" updated INTEGER NOT NULL,"
	" unchanged INTEGER NOT NULL,"
	" removed INTEGER NOT NULL"
	") STRICT;"
	"CREATE TABLE members("
	" id INTEGER PRIMARY KEY,"
	" member_no TEXT NOT NULL UNIQUE,"
	" last_name TEXT NOT NULL,"
	" first_name TEXT NOT NULL,"
	" email TEXT NOT NULL,"
	" phone TEXT NOT NULL,"
	" category TEXT NOT NULL,"
	" dues_paid TEXT NOT NULL,"
	" joined TEXT NOT NULL,"
	" zone TEXT NOT NULL,"
	" birth_date TEXT NOT NULL,"
	" sex TEXT NOT NULL,"
	" city TEXT NOT NULL,"
	" status TEXT NOT NULL CHECK (status IN ('active','removed')),"
	" version INTEGER NOT NULL,"
	" created_at INTEGER NOT NULL,"
	" updated_at INTEGER NOT NULL,"
	" import_id INTEGER REFERENCES imports(id)"
	") STRICT;"
	"CREATE TABLE members_history("
	" member_id INTEGER NOT NULL REFERENCES members(id),"
	" version INTEGER NOT NULL,"
	" member_no TEXT NOT NULL,"
	" last_name TEXT NOT NULL,"
	" first_name TEXT NOT NULL,"
	" email TEXT NOT NULL,"
	" phone TEXT NOT NULL,"
	" category TEXT NOT NULL,"
	" dues_paid TEXT NOT NULL,"
	" joined TEXT NOT NULL,"
	" zone TEXT NOT NULL,"
	" birth_date TEXT NOT NULL,"
	" sex TEXT NOT NULL,"
	" city TEXT NOT NULL,"
	" status TEXT NOT NULL,"
	" valid_from INTEGER NOT NULL,"
	" valid_until INTEGER NOT NULL,"
	" import_id INTEGER,"
	" superseded_by_import INTEGER,"
	" PRIMARY KEY (member_id, version)"
	") STRICT;"
	"CREATE TABLE credentials("
	" id INTEGER PRIMARY KEY,"
	" member_id INTEGER NOT NULL REFERENCES members(id),"
	" meeting TEXT NOT NULL,"
	" pk BLOB NOT NULL UNIQUE CHECK (length(pk) = 32),"
	" origin TEXT NOT NULL CHECK (origin IN ('server','offline')),"
	" status TEXT NOT NULL CHECK (status IN ('active','revoked')),"
	" issued_at INTEGER NOT NULL,"
	" activated_at INTEGER,"
	" revoked_at INTEGER,"
	" revoke_reason TEXT"
	") STRICT;"
	"CREATE UNIQUE INDEX credentials_one_active"
	" ON credentials(member_id, meeting) WHERE status = 'active';"
	"CREATE TABLE events("
	" seq INTEGER PRIMARY KEY AUTOINCREMENT,"
	" at INTEGER NOT NULL,"
	" kind TEXT NOT NULL,"
	" payload TEXT NOT NULL"
	") STRICT;"
	"CREATE TRIGGER events_no_update BEFORE UPDATE ON events"
	" BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;"
	"CREATE TRIGGER events_no_delete BEFORE DELETE ON events"
	" BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;"
	"CREATE TRIGGER history_no_update BEFORE UPDATE ON members_history"
	" BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;"
	"CREATE TRIGGER history_no_delete BEFORE DELETE ON members_history"
	" BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;",
	/* 2: meetings, their frozen roll, tokens, trustees, questions,
	 * attendance, decryption shares (issue 4 §5–9). */
	"CREATE TABLE meetings("
	" id TEXT PRIMARY KEY,"
	" title TEXT NOT NULL,"
	" date TEXT NOT NULL,"
	" profile_yaml BLOB NOT NULL,"
	" profile_id TEXT NOT NULL,"
	" profile_name TEXT NOT NULL,"
	" body TEXT NOT NULL,"
	" status TEXT NOT NULL CHECK (status IN"
	"  ('draft','convened','live','closed')),"
	" trustees_n INTEGER NOT NULL,"
	" trustees_t INTEGER NOT NULL,"
	" ceremony TEXT NOT NULL,"
	" ceremony_id BLOB,"
	" y BLOB,"
	" eid BLOB,"
	" created_at INTEGER NOT NULL,"
	" convened_at INTEGER,"
	" started_at INTEGER,"
	" ended_at INTEGER"
	") STRICT;"
	"CREATE TABLE meeting_roll("
	" meeting TEXT NOT NULL REFERENCES meetings(id),"
	" member_id INTEGER NOT NULL REFERENCES members(id),"
	" voter INTEGER NOT NULL,"
	" reason TEXT NOT NULL,"
	" PRIMARY KEY (meeting, member_id)"
	") STRICT;"
	"CREATE TABLE tokens("
	" hash BLOB PRIMARY KEY CHECK (length(hash) = 32),"
	" meeting TEXT NOT NULL REFERENCES meetings(id),"
	" role TEXT NOT NULL CHECK (role IN ('moderator','enrol')),"
	" idx INTEGER NOT NULL,"
	" status TEXT NOT NULL CHECK (status IN ('active','used','revoked')),"
	" created_at INTEGER NOT NULL"
	") STRICT;"
	"CREATE TABLE trustees("
	" meeting TEXT NOT NULL REFERENCES meetings(id),"
	" idx INTEGER NOT NULL,"
	" name TEXT NOT NULL,"
	" id_pk BLOB, box_pk BLOB, commit_h BLOB, reveal BLOB, reveal_pok BLOB,"
	" boxes BLOB, key_y BLOB, key_pok BLOB, complaint INTEGER,"
	" PRIMARY KEY (meeting, idx)"
	") STRICT;"
	"CREATE TABLE questions("
	" meeting TEXT NOT NULL REFERENCES meetings(id),"
	" qid TEXT NOT NULL,"
	" position INTEGER NOT NULL,"
	" spec TEXT NOT NULL,"
	" status TEXT NOT NULL CHECK (status IN"
	"  ('pending','open','closed','counted')),"
	" opened_at INTEGER, closes_at INTEGER, closed_at INTEGER,"
	" ballots INTEGER NOT NULL DEFAULT 0,"
	" totals BLOB,"
	" result TEXT,"
	" PRIMARY KEY (meeting, qid)"
	") STRICT;"
	"CREATE TABLE attendance("
	" meeting TEXT NOT NULL REFERENCES meetings(id),"
	" member_id INTEGER NOT NULL REFERENCES members(id),"
	" state TEXT NOT NULL CHECK (state IN ('present','remote','absent')),"
	" at INTEGER NOT NULL,"
	" PRIMARY KEY (meeting, member_id)"
	") STRICT;"
	"CREATE TABLE decryption_shares("
	" meeting TEXT NOT NULL, qid TEXT NOT NULL, idx INTEGER NOT NULL,"
	" shares BLOB NOT NULL, sig BLOB NOT NULL, at INTEGER NOT NULL,"
	" PRIMARY KEY (meeting, qid, idx)"
	") STRICT;",
};

static const char *box_migrations[] = {
	/* 1: the box's identity; the ballot tables come with issue 4 §9. */
	"CREATE TABLE box_info("
	" key TEXT PRIMARY KEY,"
	" value TEXT NOT NULL"
	") STRICT;"
	"INSERT INTO box_info(key, value) VALUES ('format', 'scrutin-box/1');",
	/* 2: the ballots, append-only. */
	"CREATE TABLE ballots("
	" id INTEGER PRIMARY KEY,"
	" meeting TEXT NOT NULL,"
	" qid TEXT NOT NULL,"
	" position INTEGER NOT NULL,"
	" receipt BLOB NOT NULL UNIQUE CHECK (length(receipt) = 32),"
	" voice BLOB NOT NULL CHECK (length(voice) = 32),"
	" signer BLOB NOT NULL CHECK (length(signer) = 32),"
	" secret INTEGER NOT NULL,"
	" body BLOB NOT NULL,"
	" sig BLOB NOT NULL CHECK (length(sig) = 64),"
	" at INTEGER NOT NULL,"
	" UNIQUE (meeting, qid, voice),"
	" UNIQUE (meeting, qid, position)"
	") STRICT;"
	"CREATE TRIGGER ballots_no_update BEFORE UPDATE ON ballots"
	" BEGIN SELECT RAISE(ABORT, 'the ballot box only grows'); END;"
	"CREATE TRIGGER ballots_no_delete BEFORE DELETE ON ballots"
	" BEGIN SELECT RAISE(ABORT, 'the ballot box only grows'); END;",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

_Static_assert(NELEM(roll_migrations) == STORE_ROLL_VERSION,
    "roll migrations and STORE_ROLL_VERSION disagree");
_Static_assert(NELEM(box_migrations) == STORE_BOX_VERSION,
    "box migrations and STORE_BOX_VERSION disagree");

sqlite3_stmt *
store_prepare(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
		log_warn("sqlite prepare: %s", sqlite3_errmsg(db));
		sqlite3_finalize(s);
		return NULL;
	}
	return s;
}

int
store_bind_text(sqlite3_stmt *s, int idx, const char *v)
{
	return sqlite3_bind_text(s, idx, v, -1, SQLITE_TRANSIENT) == SQLITE_OK
	    ? 0 : -1;
}

/* Constant SQL only (our own settings and migrations). */
static int
exec_const(sqlite3 *db, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		log_warn("sqlite: %s", err ? err : sqlite3_errmsg(db));
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

static int
pragma_int(sqlite3 *db, const char *sql, int *out)
{
	sqlite3_stmt *s = store_prepare(db, sql);
	int rc = -1;

	if (s == NULL)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW) {
		*out = sqlite3_column_int(s, 0);
		rc = 0;
	}
	sqlite3_finalize(s);
	return rc;
}

static int
db_settings(sqlite3 *db)
{
	sqlite3_stmt *s;
	int on = 1, off = 0, ok = 0;

	if (sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, on, NULL) !=
	        SQLITE_OK ||
	    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, off,
	        NULL) != SQLITE_OK ||
	    sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DML, off, NULL) !=
	        SQLITE_OK ||
	    sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DDL, off, NULL) !=
	        SQLITE_OK ||
	    sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, off, NULL) !=
	        SQLITE_OK)
		return -1;
	sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 16 * 1024 * 1024);
	sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 100000);
	sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
	if (sqlite3_busy_timeout(db, 5000) != SQLITE_OK)
		return -1;
	if (exec_const(db, "PRAGMA trusted_schema = OFF;"
	        "PRAGMA foreign_keys = ON;"
	        "PRAGMA secure_delete = ON;") != 0)
		return -1;
	/* journal_mode answers with the mode in force: insist on WAL. */
	if ((s = store_prepare(db, "PRAGMA journal_mode = WAL")) == NULL)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW) {
		const unsigned char *m = sqlite3_column_text(s, 0);
		ok = m != NULL && strcmp((const char *)m, "wal") == 0;
	}
	sqlite3_finalize(s);
	if (!ok) {
		log_warn("sqlite: WAL mode refused");
		return -1;
	}
	/* synchronous is per connection and must be set after journal_mode. */
	if (exec_const(db, "PRAGMA synchronous = FULL;") != 0)
		return -1;
	return 0;
}

static int
db_migrate(sqlite3 *db, const char *name, const char **steps, int nsteps)
{
	int v;

	if (pragma_int(db, "PRAGMA user_version", &v) != 0)
		return -1;
	if (v > nsteps) {
		log_warn("%s: schema version %d is newer than this program (%d)",
		    name, v, nsteps);
		return -1;
	}
	for (; v < nsteps; v++) {
		char setv[64];

		/* An integer from our own table, never from input. */
		snprintf(setv, sizeof setv, "PRAGMA user_version = %d;", v + 1);
		if (exec_const(db, "BEGIN IMMEDIATE;") != 0)
			return -1;
		if (exec_const(db, steps[v]) != 0 ||
		    exec_const(db, setv) != 0 || exec_const(db, "COMMIT;") != 0) {
			(void)exec_const(db, "ROLLBACK;");
			log_warn("%s: migration to version %d failed", name,
			    v + 1);
			return -1;
		}
	}
	return 0;
}

static int
db_open(sqlite3 **out, const char *datadir, const char *file)
{
	char path[4096];
	sqlite3 *db = NULL;

	*out = NULL;
	if (path_join(path, sizeof path, datadir, file) != 0)
		return -1;
	if (sqlite3_open_v2(path, &db,
	        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	            SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_EXRESCODE,
	        NULL) != SQLITE_OK) {
		log_warn("%s: %s", path, db ? sqlite3_errmsg(db) : "cannot open");
		sqlite3_close_v2(db);
		return -1;
	}
	if (db_settings(db) != 0) {
		sqlite3_close_v2(db);
		return -1;
	}
	*out = db;
	return 0;
}

int
store_datadir_ensure(const char *datadir)
{
	struct stat st;

	if (mkdir(datadir, 0700) != 0 && errno != EEXIST) {
		log_warn("%s: %s", datadir, strerror(errno));
		return -1;
	}
	if (lstat(datadir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		log_warn("%s: not a directory", datadir);
		return -1;
	}
	return 0;
}

int
store_open(struct store **out, const char *datadir)
{
	struct store *st = xcalloc(1, sizeof *st);
	mode_t old = umask(077);
	int rc = -1;

	*out = NULL;
	if (store_datadir_ensure(datadir) != 0)
		goto out;
	if (db_open(&st->roll, datadir, "roll.db") != 0 ||
	    db_open(&st->box, datadir, "box.db") != 0)
		goto out;
	if (db_migrate(st->roll, "roll.db", roll_migrations,
	        (int)NELEM(roll_migrations)) != 0 ||
	    db_migrate(st->box, "box.db", box_migrations,
	        (int)NELEM(box_migrations)) != 0)
		goto out;
	*out = st;
	st = NULL;
	rc = 0;
out:
	umask(old);
	store_close(st);
	return rc;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	if (st->in_tx)
		store_rollback(st);
	sqlite3_close_v2(st->roll);
	sqlite3_close_v2(st->box);
	free(st);
}

int
store_begin(struct store *st)
{
	if (st->in_tx || exec_const(st->roll, "BEGIN IMMEDIATE;") != 0)
		return -1;
	st->in_tx = 1;
	return 0;
}

int
store_commit(struct store *st)
{
	if (!st->in_tx)
		return -1;
	if (exec_const(st->roll, "COMMIT;") != 0) {
		store_rollback(st);
		return -1;
	}
	st->in_tx = 0;
	return 0;
}

void
store_rollback(struct store *st)
{
	if (st->in_tx)
		(void)exec_const(st->roll, "ROLLBACK;");
	st->in_tx = 0;
}

int
store_event_record(struct store *st, const char *kind, const json_t *payload,
    int64_t *seq)
{
	sqlite3_stmt *s = NULL;
	char *text = NULL;
	int rc = -1;

	/* A record outside a transaction could land without its change. */
	if (!st->in_tx)
		return -1;
	text = json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS |
	    JSON_ENSURE_ASCII);
	if (text == NULL)
		goto out;
	s = store_prepare(st->roll,
	    "INSERT INTO events(at, kind, payload) VALUES (?1, ?2, ?3)");
	if (s == NULL)
		goto out;
	if (sqlite3_bind_int64(s, 1, (sqlite3_int64)now_unix()) != SQLITE_OK ||
	    store_bind_text(s, 2, kind) != 0 || store_bind_text(s, 3, text) != 0)
		goto out;
	if (sqlite3_step(s) != SQLITE_DONE)
		goto out;
	if (seq != NULL)
		*seq = sqlite3_last_insert_rowid(st->roll);
	rc = 0;
out:
	if (rc != 0)
		log_warn("event %s not recorded: %s", kind,
		    sqlite3_errmsg(st->roll));
	sqlite3_finalize(s);
	free(text);
	return rc;
}

static int
count_rows(sqlite3 *db, const char *sql, int64_t *out)
{
	sqlite3_stmt *s = store_prepare(db, sql);
	int rc = -1;

	if (s == NULL)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW) {
		*out = sqlite3_column_int64(s, 0);
		rc = 0;
	}
	sqlite3_finalize(s);
	return rc;
}

int
store_status_get(struct store *st, struct store_status *out)
{
	memset(out, 0, sizeof *out);
	if (pragma_int(st->roll, "PRAGMA user_version", &out->roll_version) ||
	    pragma_int(st->box, "PRAGMA user_version", &out->box_version) ||
	    count_rows(st->roll,
	        "SELECT count(*) FROM members WHERE status = 'active'",
	        &out->members_active) ||
	    count_rows(st->roll,
	        "SELECT count(*) FROM credentials WHERE status = 'active'",
	        &out->credentials_active) ||
	    count_rows(st->roll, "SELECT count(*) FROM events", &out->events))
		return -1;
	return 0;
}

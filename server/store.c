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
#include <time.h>

#include <sodium.h>

#include "audit/log.h"
#include "server/member_name.h"
#include "server/priv.h"
#include "server/storage.h"

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
	 * attendance, decryption shares. */
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
	/* 3: the public record (docs/record.md) in the same events table:
	 * a meeting's events carry their chain position, the exact line
	 * bytes and its hash; a ballot event names its box.db row. */
	"ALTER TABLE events ADD COLUMN meeting TEXT;"
	"ALTER TABLE events ADD COLUMN mseq INTEGER;"
	"ALTER TABLE events ADD COLUMN line TEXT;"
	"ALTER TABLE events ADD COLUMN hash BLOB;"
	"ALTER TABLE events ADD COLUMN qid TEXT;"
	"ALTER TABLE events ADD COLUMN ballot INTEGER;"
	"CREATE UNIQUE INDEX events_record ON events(meeting, mseq)"
	" WHERE meeting IS NOT NULL;"
	"CREATE UNIQUE INDEX events_ballot ON events(meeting, ballot)"
	" WHERE ballot IS NOT NULL;"
	/* Attendance when a question opened: the facts the record (and so
	 * the count of a recorded question) uses (docs/record.md §7). */
	"CREATE TABLE opening_attendance("
	" meeting TEXT NOT NULL, qid TEXT NOT NULL,"
	" member_id INTEGER NOT NULL,"
	" state TEXT NOT NULL CHECK (state IN ('present','remote')),"
	" PRIMARY KEY (meeting, qid, member_id)"
	") STRICT;",
	/* 4: a meeting's own quorum (profiles that leave it to the
	 * meeting, docs/api.md) and the outcome of each group of
	 * alternative motions (docs/api.md "Alternative motions"). */
	"ALTER TABLE meetings ADD COLUMN quorum TEXT;"
	"CREATE TABLE alternatives("
	" meeting TEXT NOT NULL, grp TEXT NOT NULL,"
	" result TEXT NOT NULL,"
	" PRIMARY KEY (meeting, grp)"
	") STRICT;",
	/* 5: what the minutes say of the meeting (docs/record.md §8). */
	"ALTER TABLE meetings ADD COLUMN association TEXT;"
	"ALTER TABLE meetings ADD COLUMN place TEXT;"
	"ALTER TABLE meetings ADD COLUMN time TEXT;"
	"ALTER TABLE meetings ADD COLUMN president TEXT;"
	"ALTER TABLE meetings ADD COLUMN secretary TEXT;",
	/* 6: the member the statutes engine takes as the association's
	 * president (member_no; the casting vote, docs/profiles.md), or
	 * NULL. */
	"ALTER TABLE meetings ADD COLUMN president_member TEXT;",
	/* 7: proxies (server/proxy.c): each one given, in the order given
	 * (rowid), withdrawn_at set when withdrawn; and each proxy in force
	 * at a question's opening with the statutes engine's standing of it
	 * there (docs/record.md §6), in the same order. */
	"CREATE TABLE proxies("
	" id INTEGER PRIMARY KEY,"
	" meeting TEXT NOT NULL REFERENCES meetings(id),"
	" giver INTEGER NOT NULL REFERENCES members(id),"
	" holder INTEGER NOT NULL REFERENCES members(id),"
	" giver_pk BLOB NOT NULL, holder_pk BLOB NOT NULL,"
	" ts INTEGER NOT NULL, sig BLOB NOT NULL, at INTEGER NOT NULL,"
	" withdrawn_at INTEGER"
	") STRICT;"
	"CREATE UNIQUE INDEX proxies_given ON proxies(meeting, giver)"
	" WHERE withdrawn_at IS NULL;"
	"CREATE TABLE opening_proxies("
	" meeting TEXT NOT NULL, qid TEXT NOT NULL, ord INTEGER NOT NULL,"
	" giver INTEGER NOT NULL, holder INTEGER NOT NULL, ts INTEGER NOT NULL,"
	" accepted INTEGER NOT NULL, eff_holder INTEGER,"
	" reason TEXT NOT NULL,"
	" PRIMARY KEY (meeting, qid, giver)"
	") STRICT;",
	/* 8: the meeting's scheduled start (Unix seconds, from --date and
	 * --time in the appliance's time zone: the record's meeting event
	 * "starts_at", the proxies' deadline); a proxy's channel (paper:
	 * entered by the desk, server/proxy_paper.c), kept with the
	 * proxy and at each opening; the desk's token role (its link). */
	"ALTER TABLE meetings ADD COLUMN starts_at INTEGER;"
	"ALTER TABLE proxies ADD COLUMN channel TEXT NOT NULL DEFAULT"
	" 'digital' CHECK (channel IN ('digital','paper'));"
	"ALTER TABLE opening_proxies ADD COLUMN channel TEXT NOT NULL DEFAULT"
	" 'digital' CHECK (channel IN ('digital','paper'));"
	"CREATE TABLE tokens8("
	" hash BLOB PRIMARY KEY CHECK (length(hash) = 32),"
	" meeting TEXT NOT NULL REFERENCES meetings(id),"
	" role TEXT NOT NULL CHECK (role IN ('moderator','enrol','desk')),"
	" idx INTEGER NOT NULL,"
	" status TEXT NOT NULL CHECK (status IN ('active','used','revoked')),"
	" created_at INTEGER NOT NULL"
	") STRICT;"
	"INSERT INTO tokens8 SELECT hash, meeting, role, idx, status,"
	" created_at FROM tokens;"
	"DROP TABLE tokens;"
	"ALTER TABLE tokens8 RENAME TO tokens;",
	/* 9: the president's redistributions of the proxies he holds
	 * (APROGEMERE II, server/proxy_redistribute.c): the latest row of a
	 * proxy names the member it goes to; kept at each opening. */
	"CREATE TABLE proxy_redistributions("
	" id INTEGER PRIMARY KEY,"
	" meeting TEXT NOT NULL REFERENCES meetings(id),"
	" proxy INTEGER NOT NULL REFERENCES proxies(id),"
	" holder INTEGER NOT NULL REFERENCES members(id),"
	" ts INTEGER NOT NULL, sig BLOB NOT NULL, at INTEGER NOT NULL"
	") STRICT;"
	"ALTER TABLE opening_proxies ADD COLUMN redist_to INTEGER;",
	/* 10: the convocation's date (YYYY-MM-DD, the appliance's local
	 * date at `scrutin meeting convene`): the statutes' roll freeze
	 * (APROGEMERE II), at the convocation and at every count. */
	"ALTER TABLE meetings ADD COLUMN convocation_date TEXT;",
	/* 11: a second convocation (A-IMI art. 9, APROGEMERE II): the
	 * date of the first meeting, which failed its quorum, or NULL. */
	"ALTER TABLE meetings ADD COLUMN second_convocation TEXT;",
	/* 12: mail-in votes (server/mailin_vote.c, docs/record.md
	 * mailin.fallback, mailin.ballot): each fallback holder a member
	 * names (the latest row stands), each mail-in ballot (one per
	 * member and question), and at each question's opening the
	 * statutes engine's standing of each mail-in voter, with, on a
	 * motion added on the day, the fallback holder who votes for them
	 * there (or why none). */
	"CREATE TABLE mailin_fallback("
	" id INTEGER PRIMARY KEY,"
	" meeting TEXT NOT NULL REFERENCES meetings(id),"
	" member_id INTEGER NOT NULL REFERENCES members(id),"
	" holder INTEGER NOT NULL REFERENCES members(id),"
	" pk BLOB NOT NULL, holder_pk BLOB NOT NULL,"
	" ts INTEGER NOT NULL, sig BLOB NOT NULL, at INTEGER NOT NULL"
	") STRICT;"
	"CREATE TABLE mailin_ballots("
	" meeting TEXT NOT NULL REFERENCES meetings(id),"
	" qid TEXT NOT NULL,"
	" member_id INTEGER NOT NULL REFERENCES members(id),"
	" voice BLOB NOT NULL, receipt BLOB NOT NULL UNIQUE,"
	" secret INTEGER NOT NULL, body BLOB NOT NULL, sig BLOB NOT NULL,"
	" at INTEGER NOT NULL,"
	" PRIMARY KEY (meeting, qid, member_id)"
	") STRICT;"
	"CREATE TABLE opening_mailin("
	" meeting TEXT NOT NULL, qid TEXT NOT NULL,"
	" member_id INTEGER NOT NULL, accepted INTEGER NOT NULL,"
	" reason TEXT NOT NULL,"
	" fallback INTEGER, fallback_reason TEXT NOT NULL DEFAULT '',"
	" PRIMARY KEY (meeting, qid, member_id)"
	") STRICT;",
	/* 13: ballots opened by their member (server/ballot_audit.c,
	 * docs/record.md ballot.audited): each audit (the limit per voice
	 * and question), and the α of each opened ciphertext, so that a
	 * ballot reusing that randomness is refused before it is stored. */
	"CREATE TABLE ballot_audits("
	" id INTEGER PRIMARY KEY,"
	" meeting TEXT NOT NULL REFERENCES meetings(id),"
	" qid TEXT NOT NULL, voice BLOB NOT NULL, fp BLOB NOT NULL,"
	" at INTEGER NOT NULL"
	") STRICT;"
	"CREATE INDEX ballot_audits_voice ON ballot_audits(meeting, qid,"
	" voice);"
	"CREATE TABLE ballot_audit_alphas("
	" meeting TEXT NOT NULL, qid TEXT NOT NULL, alpha BLOB NOT NULL,"
	" PRIMARY KEY (meeting, qid, alpha)"
	") STRICT;",
};

static const char *box_migrations[] = {
	/* 1: the box's identity (the ballot tables: later migrations). */
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
	/* 3: a secret ballot's verification hints (protocol.md §5.6), when
	 * a batch equation accepted them; written in the record. */
	"ALTER TABLE ballots ADD COLUMN hints BLOB;",
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

sqlite3_stmt *
store_cached(struct store *st, sqlite3 *db, const char *sql)
{
	for (size_t i = 0; i < st->ncache; i++)
		if (st->cache[i].sql == sql &&
		    sqlite3_db_handle(st->cache[i].s) == db)
			return st->cache[i].s;
	if (st->ncache == STORE_CACHE_MAX)
		return store_prepare(db, sql);
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s,
	        NULL) != SQLITE_OK) {
		log_warn("sqlite prepare: %s", sqlite3_errmsg(db));
		sqlite3_finalize(s);
		return NULL;
	}
	st->cache[st->ncache].sql = sql;
	st->cache[st->ncache].s = s;
	st->ncache++;
	return s;
}

void
store_release(struct store *st, sqlite3_stmt *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < st->ncache; i++)
		if (st->cache[i].s == s) {
			sqlite3_reset(s);
			sqlite3_clear_bindings(s);
			return;
		}
	sqlite3_finalize(s);
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
		/* A full disk, an I/O error...: said in French, kept. */
		(void)storage_fail_sqlite(db, sqlite3_extended_errcode(db),
		    sql);
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
			storage_rollback(db, name);
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
	if (db_settings(db) != 0 || member_name_sql(db) != 0) {
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
	if (strlen(datadir) >= sizeof st->datadir)
		goto out;
	memcpy(st->datadir, datadir, strlen(datadir) + 1);
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
	if (st->sk_owned && st->sk != NULL)
		sodium_free(st->sk);
	store_rcheck_free(st);
	for (size_t i = 0; i < st->ncache; i++)
		sqlite3_finalize(st->cache[i].s);
	st->ncache = 0;
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
	st->tx_changes = sqlite3_total_changes64(st->roll);
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
	/* Something reached the disk: the storage works again. */
	if (sqlite3_total_changes64(st->roll) != st->tx_changes)
		storage_wrote();
	return 0;
}

void
store_rollback(struct store *st)
{
	/* SQLite may have rolled back already (SQLITE_FULL...): said so,
	 * never "cannot rollback - no transaction is active". */
	if (st->in_tx)
		storage_rollback(st->roll, "roll.db");
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

/* ---- the public record ---- */

void
store_key_set(struct store *st, uint8_t *sk, const uint8_t pk[32])
{
	if (st->sk_owned && st->sk != NULL)
		sodium_free(st->sk);
	st->sk = sk;
	st->sk_owned = 0;
	memcpy(st->pk, pk, 32);
}

const uint8_t *
store_key(struct store *st, uint8_t pk[32])
{
	if (st->sk == NULL) {
		if (priv_key_load(st->datadir, &st->sk, st->pk) != 0)
			return NULL;
		st->sk_owned = 1;
	}
	if (pk != NULL)
		memcpy(pk, st->pk, 32);
	return st->sk;
}

static void
time_of(char out[AUDIT_TIME_LEN + 1], int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t <= 0 || gmtime_r(&tt, &tm) == NULL) {
		audit_time_now(out);
		return;
	}
	strftime(out, AUDIT_TIME_LEN + 1, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* OUT the chain state of a meeting's record and its last kind. */
static int
record_head(struct store *st, const char *meeting, audit_chain *c,
    char *last_kind, size_t cap)
{
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT mseq, hash, kind"
	    " FROM events WHERE meeting = ?1 ORDER BY mseq DESC LIMIT 1");
	int rc = -1, r;

	audit_chain_init(c);
	if (last_kind != NULL && cap > 0)
		last_kind[0] = '\0';
	if (s == NULL || store_bind_text(s, 1, meeting) != 0)
		goto out;
	r = sqlite3_step(s);
	if (r == SQLITE_ROW) {
		if (sqlite3_column_bytes(s, 1) != AUDIT_HASH_BYTES ||
		    sqlite3_column_int64(s, 0) < 0)
			goto out;
		c->next_seq = (uint64_t)sqlite3_column_int64(s, 0) + 1;
		memcpy(c->head, sqlite3_column_blob(s, 1), AUDIT_HASH_BYTES);
		if (last_kind != NULL)
			snprintf(last_kind, cap, "%s",
			    (const char *)sqlite3_column_text(s, 2));
	} else if (r != SQLITE_DONE)
		goto out;
	rc = 0;
out:
	sqlite3_finalize(s);
	return rc;
}

static int
record_insert(struct store *st, const char *meeting, uint64_t mseq,
    const char *kind, const char *line, size_t len, const uint8_t h[32],
    const char *qid, int64_t ballot)
{
	sqlite3_stmt *s = store_prepare(st->roll, "INSERT INTO events(at,"
	    " kind, payload, meeting, mseq, line, hash, qid, ballot) VALUES"
	    " (?1, ?2, '{}', ?3, ?4, ?5, ?6, ?7, ?8)");
	int rc = -1;

	if (s == NULL ||
	    sqlite3_bind_int64(s, 1, (sqlite3_int64)now_unix()) != SQLITE_OK ||
	    store_bind_text(s, 2, kind) != 0 ||
	    store_bind_text(s, 3, meeting) != 0 ||
	    sqlite3_bind_int64(s, 4, (sqlite3_int64)mseq) != SQLITE_OK ||
	    sqlite3_bind_text(s, 5, line, (int)len, SQLITE_TRANSIENT) !=
	        SQLITE_OK ||
	    sqlite3_bind_blob(s, 6, h, 32, SQLITE_TRANSIENT) != SQLITE_OK ||
	    (qid != NULL ? store_bind_text(s, 7, qid) :
	        (sqlite3_bind_null(s, 7) == SQLITE_OK ? 0 : -1)) != 0 ||
	    (ballot > 0 ? sqlite3_bind_int64(s, 8, ballot) :
	        sqlite3_bind_null(s, 8)) != SQLITE_OK)
		goto out;
	if (sqlite3_step(s) == SQLITE_DONE)
		rc = 0;
out:
	if (rc != 0)
		log_warn("record %s/%s not stored: %s", meeting, kind,
		    sqlite3_errmsg(st->roll));
	sqlite3_finalize(s);
	return rc;
}

/* Formats and stores one event (the chain is read from the table). */
static int
record_put(struct store *st, const char *meeting, const char *time,
    const char *kind, const json_t *payload, int64_t ballot)
{
	audit_chain c;
	char *line = NULL;
	size_t len = 0;
	uint8_t h[AUDIT_HASH_BYTES], prev[AUDIT_HASH_BYTES];
	const char *qid = json_string_value(json_object_get(payload, "qid"));
	uint64_t seq;
	int rc = -1;

	if (record_head(st, meeting, &c, NULL, 0) != 0)
		return -1;
	seq = c.next_seq;
	memcpy(prev, c.head, sizeof prev);
	if (audit_log_append(&c, time, kind, payload, &line, &len, h) != 0)
		goto out;
	/* Checked as scrutin-verify checks it, before it is stored. */
	if (store_record_check(st, meeting, seq, prev, line, len) != 0)
		goto out;
	rc = record_insert(st, meeting, seq, kind, line, len, h, qid, ballot);
out:
	free(line);
	return rc;
}

#define RECORD_QIDS_MAX 256

/* A ballot's hints (column col of row s, NULL: none) into the record's
 * payload p as `hints` (docs/record.md §6). */
static int
record_hints(json_t *p, sqlite3_stmt *s, int col)
{
	size_t hl = (size_t)sqlite3_column_bytes(s, col);
	char *hx;
	int rc;

	if (sqlite3_column_type(s, col) == SQLITE_NULL || hl == 0)
		return 0;
	hx = xmalloc(2 * hl + 1);
	xhex_encode(hx, 2 * hl + 1, sqlite3_column_blob(s, col), hl);
	rc = json_object_set_new(p, "hints", json_string(hx));
	free(hx);
	return rc;
}

/* Chains the ballots box.db holds for the meeting that the record does
 * not yet hold, in box order, for the questions the record opened. */
static int
record_sync_ballots(struct store *st, const char *meeting)
{
	sqlite3_stmt *s = NULL, *b = NULL;
	char (*qids)[65] = NULL;
	size_t nq = 0;
	int64_t last = 0;
	int rc = -1, r;

	/* The questions of the record (a question without question.opened
	 * is not in the record, nor are its ballots). Secret ballots and
	 * open ones (the body is the signed open-ballot statement,
	 * docs/record.md §6) alike. */
	s = store_prepare(st->roll, "SELECT qid FROM events WHERE meeting ="
	    " ?1 AND kind = 'question.opened' AND qid IS NOT NULL");
	if (s == NULL || store_bind_text(s, 1, meeting) != 0)
		goto out;
	qids = xcalloc(RECORD_QIDS_MAX, sizeof *qids);
	while ((r = sqlite3_step(s)) == SQLITE_ROW && nq < RECORD_QIDS_MAX)
		snprintf(qids[nq++], sizeof qids[0], "%s",
		    (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	s = NULL;
	if (nq == 0) {
		rc = 0;
		goto out;
	}
	s = store_prepare(st->roll, "SELECT coalesce(max(ballot), 0) FROM"
	    " events WHERE meeting = ?1 AND ballot IS NOT NULL");
	if (s == NULL || store_bind_text(s, 1, meeting) != 0 ||
	    sqlite3_step(s) != SQLITE_ROW)
		goto out;
	last = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	s = NULL;
	b = store_prepare(st->box, "SELECT id, qid, body, sig, receipt, at,"
	    " hints FROM ballots WHERE meeting = ?1 AND id > ?2 ORDER BY id");
	if (b == NULL || store_bind_text(b, 1, meeting) != 0 ||
	    sqlite3_bind_int64(b, 2, last) != SQLITE_OK)
		goto out;
	while ((r = sqlite3_step(b)) == SQLITE_ROW) {
		const char *qid = (const char *)sqlite3_column_text(b, 1);
		size_t bl = (size_t)sqlite3_column_bytes(b, 2), k;
		char *hx, tm[AUDIT_TIME_LEN + 1], sig[129], rc_hex[65];
		json_t *p;
		int ok;

		for (k = 0; k < nq; k++)
			if (strcmp(qids[k], qid) == 0)
				break;
		if (k == nq)
			continue;
		if (sqlite3_column_bytes(b, 3) != 64 ||
		    sqlite3_column_bytes(b, 4) != 32)
			goto out;
		hx = xmalloc(2 * bl + 1);
		xhex_encode(hx, 2 * bl + 1, sqlite3_column_blob(b, 2), bl);
		xhex_encode(sig, sizeof sig, sqlite3_column_blob(b, 3), 64);
		xhex_encode(rc_hex, sizeof rc_hex,
		    sqlite3_column_blob(b, 4), 32);
		p = json_pack("{s:s,s:s,s:s,s:s}", "qid", qid, "body", hx,
		    "sig", sig, "receipt", rc_hex);
		free(hx);
		if (p != NULL && record_hints(p, b, 6) != 0) {
			json_decref(p);
			goto out;
		}
		time_of(tm, sqlite3_column_int64(b, 5));
		ok = p != NULL && record_put(st, meeting, tm, "ballot", p,
		    sqlite3_column_int64(b, 0)) == 0;
		json_decref(p);
		if (!ok)
			goto out;
	}
	if (r != SQLITE_DONE)
		goto out;
	rc = 0;
out:
	free(qids);
	sqlite3_finalize(s);
	sqlite3_finalize(b);
	return rc;
}

int
store_record_append(struct store *st, const char *meeting, const char *kind,
    const json_t *payload)
{
	char tm[AUDIT_TIME_LEN + 1];

	if (!st->in_tx || record_sync_ballots(st, meeting) != 0)
		return -1;
	audit_time_now(tm);
	return record_put(st, meeting, tm, kind, payload, 0);
}

int
store_record_checkpoint(struct store *st, const char *meeting)
{
	audit_chain c;
	char tm[AUDIT_TIME_LEN + 1], last[40], *line = NULL;
	const uint8_t *sk;
	uint8_t sig[64], h[AUDIT_HASH_BYTES], head[AUDIT_HASH_BYTES];
	uint64_t seq;
	size_t len = 0;
	int rc = -1;

	if (!st->in_tx || record_sync_ballots(st, meeting) != 0 ||
	    record_head(st, meeting, &c, last, sizeof last) != 0)
		return -1;
	if (c.next_seq == 0 || strcmp(last, "checkpoint") == 0)
		return 0;
	memcpy(head, c.head, sizeof head);
	if ((sk = store_key(st, NULL)) == NULL ||
	    audit_checkpoint_sign(sig, sk, meeting, c.next_seq - 1, c.head) !=
	        0)
		return -1;
	seq = c.next_seq;
	audit_time_now(tm);
	if (audit_log_append_checkpoint(&c, tm, sig, &line, &len, h) != 0 ||
	    store_record_check(st, meeting, seq, head, line, len) != 0)
		goto out;
	rc = record_insert(st, meeting, seq, "checkpoint", line, len, h, NULL,
	    0);
out:
	free(line);
	return rc;
}

int
store_record_head(struct store *st, const char *meeting, uint8_t head[32],
    uint64_t *events)
{
	audit_chain c;

	if (record_head(st, meeting, &c, NULL, 0) != 0)
		return -1;
	memcpy(head, c.head, 32);
	*events = c.next_seq;
	return 0;
}

int
store_record_has(struct store *st, const char *meeting, const char *kind,
    const char *qid)
{
	sqlite3_stmt *s = store_prepare(st->roll, qid != NULL ?
	    "SELECT 1 FROM events WHERE meeting = ?1 AND kind = ?2 AND"
	    " qid = ?3 LIMIT 1" :
	    "SELECT 1 FROM events WHERE meeting = ?1 AND kind = ?2 LIMIT 1");
	int rc = -1, r;

	if (s == NULL || store_bind_text(s, 1, meeting) != 0 ||
	    store_bind_text(s, 2, kind) != 0 ||
	    (qid != NULL && store_bind_text(s, 3, qid) != 0))
		goto out;
	r = sqlite3_step(s);
	rc = r == SQLITE_ROW ? 1 : r == SQLITE_DONE ? 0 : -1;
out:
	sqlite3_finalize(s);
	return rc;
}

int
store_record_closed_lines(struct store *st, const char *meeting,
    const char *qid, char **closed, char **checkpoint)
{
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT c.line, k.line FROM"
	    " events c JOIN events k ON k.meeting = c.meeting AND k.mseq ="
	    " c.mseq + 1 AND k.kind = 'checkpoint' WHERE c.meeting = ?1 AND"
	    " c.kind = 'question.closed' AND c.qid = ?2");
	int rc = -1, r;

	*closed = *checkpoint = NULL;
	if (s == NULL || store_bind_text(s, 1, meeting) != 0 ||
	    store_bind_text(s, 2, qid) != 0)
		goto out;
	r = sqlite3_step(s);
	if (r == SQLITE_DONE) {
		rc = 1;
		goto out;
	}
	if (r != SQLITE_ROW || sqlite3_column_text(s, 0) == NULL ||
	    sqlite3_column_text(s, 1) == NULL)
		goto out;
	*closed = xstrdup((const char *)sqlite3_column_text(s, 0));
	*checkpoint = xstrdup((const char *)sqlite3_column_text(s, 1));
	rc = 0;
out:
	sqlite3_finalize(s);
	return rc;
}

int
store_record_write(struct store *st, const char *meeting, void *file)
{
	FILE *f = file;
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT mseq, line FROM"
	    " events WHERE meeting = ?1 ORDER BY mseq");
	int64_t expect = 0;
	int rc = -1, r;

	if (s == NULL || store_bind_text(s, 1, meeting) != 0)
		goto out;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		size_t len = (size_t)sqlite3_column_bytes(s, 1);
		if (sqlite3_column_int64(s, 0) != expect++)
			goto out;
		if (fwrite(sqlite3_column_text(s, 1), 1, len, f) != len ||
		    fputc('\n', f) == EOF)
			goto out;
	}
	if (r == SQLITE_DONE && expect > 0)
		rc = 0;
out:
	sqlite3_finalize(s);
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

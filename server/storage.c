/*
 * storage.c — the storage's health (storage.h): classifies the failures
 * of SQLite and of file writes, keeps the degraded state, words it in
 * French and English, and ends a transaction SQLite may already have
 * rolled back.
 *
 * Trusts SQLite's and the kernel's error codes, nothing else. Invariants:
 * the state is STORAGE_OK or the kind of the latest storage failure since
 * the last write that reached the disk; a failure that is not the
 * storage's (a constraint, a malformed statement) never changes it; one
 * mutex guards it (SQLite's log callback may run on any thread); no
 * SQLite call is made under that mutex.
 */
#include "server/storage.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>
#include <time.h>

static pthread_mutex_t storage_mu = PTHREAD_MUTEX_INITIALIZER;
static struct {
	enum storage_kind kind;
	int64_t since, logged;
	uint64_t failures;
	char cause[200];
	char datadir[4096];
} S;

/* The words of each kind: code, reason, French and English (a %s for
 * the free space), and what the log calls it. */
static const struct {
	const char *code, *reason, *fr, *en;
} kinds[STORAGE_NKINDS] = {
	[STORAGE_OK] = { "", "ok", "", "" },
	[STORAGE_FULL] = { "storage_full", "full",
	    "disque plein : libérez de la place sur le serveur (%s) puis"
	    " réessayez ; rien n'a été perdu",
	    "disk full: free some space on the server (%s), then try again;"
	    " nothing was lost" },
	[STORAGE_IO] = { "storage_error", "io",
	    "erreur d'entrée-sortie sur le disque du serveur (%s) : vérifiez"
	    " le disque (journal du système) puis réessayez ; rien de ce qui"
	    " a été confirmé n'a été perdu",
	    "input/output error on the server's disk (%s): check the disk"
	    " (system log), then try again; nothing acknowledged was lost" },
	[STORAGE_LOCKED] = { "storage_error", "locked",
	    "base de données verrouillée par un autre programme (une commande"
	    " scrutin en cours ?) (%s) : attendez qu'il se termine puis"
	    " réessayez ; rien n'a été perdu",
	    "database locked by another program (a scrutin command still"
	    " running?) (%s): wait for it to end, then try again; nothing was"
	    " lost" },
	[STORAGE_READONLY] = { "storage_error", "readonly",
	    "base de données en lecture seule (%s) : vérifiez les droits et"
	    " le montage du répertoire de données puis réessayez ; rien n'a"
	    " été perdu",
	    "database read-only (%s): check the data directory's permissions"
	    " and mount, then try again; nothing was lost" },
	[STORAGE_CORRUPT] = { "storage_error", "corrupt",
	    "base de données endommagée (%s) : ne réessayez pas ; arrêtez le"
	    " serveur, copiez le répertoire de données et appelez"
	    " l'administrateur",
	    "database damaged (%s): do not try again; stop the server, copy"
	    " the data directory and call the administrator" },
};

void
storage_init(const char *datadir)
{
	pthread_mutex_lock(&storage_mu);
	snprintf(S.datadir, sizeof S.datadir, "%s", datadir);
	pthread_mutex_unlock(&storage_mu);
}

void
storage_reset(void)
{
	pthread_mutex_lock(&storage_mu);
	S.kind = STORAGE_OK;
	S.since = S.logged = 0;
	S.failures = 0;
	S.cause[0] = '\0';
	pthread_mutex_unlock(&storage_mu);
}

enum storage_kind
storage_kind_sqlite(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_FULL:
		return STORAGE_FULL;
	case SQLITE_IOERR:
		return STORAGE_IO;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return STORAGE_LOCKED;
	case SQLITE_READONLY:
		return STORAGE_READONLY;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return STORAGE_CORRUPT;
	default:
		return STORAGE_OK;
	}
}

enum storage_kind
storage_kind_errno(int e)
{
	switch (e) {
	case ENOSPC:
	case EDQUOT:
		return STORAGE_FULL;
	case EIO:
		return STORAGE_IO;
	case EROFS:
		return STORAGE_READONLY;
	default:
		return STORAGE_OK;
	}
}

/* Free megabytes of the data directory, -1 when unknown. Called without
 * the mutex held (datadir is copied first). */
static int64_t
free_mb(const char *dir)
{
	struct statvfs v;

	if (dir[0] == '\0' || statvfs(dir, &v) != 0)
		return -1;
	return (int64_t)((unsigned long long)v.f_bavail * v.f_frsize /
	    (1024ull * 1024ull));
}

/* The sentences of kind k with the free space now. */
static void
words(enum storage_kind k, int64_t mb, char *fr, size_t frcap, char *en,
    size_t encap)
{
	char sfr[64], sen[64];

	if (k == STORAGE_FULL && mb >= 0) {
		snprintf(sfr, sizeof sfr, "%lld Mo libres", (long long)mb);
		snprintf(sen, sizeof sen, "%lld MB free", (long long)mb);
	} else if (mb >= 0) {
		snprintf(sfr, sizeof sfr, "%lld Mo libres sur le disque",
		    (long long)mb);
		snprintf(sen, sizeof sen, "%lld MB free on the disk",
		    (long long)mb);
	} else {
		snprintf(sfr, sizeof sfr, "espace libre inconnu");
		snprintf(sen, sizeof sen, "free space unknown");
	}
	/* The formats are our own table's, with one %s each. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	snprintf(fr, frcap, kinds[k].fr, sfr);
	snprintf(en, encap, kinds[k].en, sen);
#pragma GCC diagnostic pop
}

/* Enters (or stays in) the degraded state; logs the first failure of an
 * episode, a change of kind, and then at most once a minute. */
static void
note(enum storage_kind k, const char *cause)
{
	char dir[4096], fr[512], en[512];
	int64_t now = (int64_t)time(NULL);
	int say;

	pthread_mutex_lock(&storage_mu);
	say = S.kind != k || now - S.logged >= 60;
	if (S.kind == STORAGE_OK)
		S.since = now;
	S.kind = k;
	S.failures++;
	snprintf(S.cause, sizeof S.cause, "%s", cause);
	if (say)
		S.logged = now;
	snprintf(dir, sizeof dir, "%s", S.datadir);
	pthread_mutex_unlock(&storage_mu);
	if (!say)
		return;
	words(k, free_mb(dir), fr, sizeof fr, en, sizeof en);
	log_warn("stockage en échec — %s (cause : %s)", fr, cause);
}

enum storage_kind
storage_fail_sqlite(sqlite3 *db, int rc, const char *what)
{
	enum storage_kind k = storage_kind_sqlite(rc);
	char cause[200];

	if (k == STORAGE_OK)
		return k;
	snprintf(cause, sizeof cause, "%s : SQLite %d, %s", what, rc,
	    db != NULL ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
	note(k, cause);
	return k;
}

enum storage_kind
storage_fail_errno(int e, const char *what)
{
	enum storage_kind k = storage_kind_errno(e);
	char cause[200];

	if (k == STORAGE_OK)
		return k;
	snprintf(cause, sizeof cause, "%s : %s", what, strerror(e));
	note(k, cause);
	return k;
}

void
storage_wrote(void)
{
	uint64_t n;
	int64_t since;

	pthread_mutex_lock(&storage_mu);
	if (S.kind == STORAGE_OK) {
		pthread_mutex_unlock(&storage_mu);
		return;
	}
	n = S.failures;
	since = S.since;
	S.kind = STORAGE_OK;
	S.failures = 0;
	S.since = S.logged = 0;
	S.cause[0] = '\0';
	pthread_mutex_unlock(&storage_mu);
	log_info("stockage rétabli : une écriture a réussi (%llu échec(s)"
	    " pendant %lld s)", (unsigned long long)n,
	    (long long)((int64_t)time(NULL) - since));
}

int
storage_state_get(struct storage_state *out)
{
	char dir[4096];

	memset(out, 0, sizeof *out);
	pthread_mutex_lock(&storage_mu);
	out->kind = S.kind;
	out->since = S.since;
	out->failures = S.failures;
	snprintf(out->cause, sizeof out->cause, "%s", S.cause);
	snprintf(dir, sizeof dir, "%s", S.datadir);
	pthread_mutex_unlock(&storage_mu);
	out->free_mb = free_mb(dir);
	out->code = kinds[out->kind].code;
	out->reason = kinds[out->kind].reason;
	if (out->kind == STORAGE_OK)
		return 0;
	words(out->kind, out->free_mb, out->fr, sizeof out->fr, out->en,
	    sizeof out->en);
	return 1;
}

/* SQLite's error log: every statement that fails says so here. */
static void
sqlite_log(void *arg, int rc, const char *msg)
{
	enum storage_kind k = storage_kind_sqlite(rc);
	char cause[200];

	(void)arg;
	if (k == STORAGE_OK)
		return;
	snprintf(cause, sizeof cause, "SQLite %d, %s", rc,
	    msg != NULL ? msg : sqlite3_errstr(rc));
	note(k, cause);
}

void
storage_log_install(void)
{
	/* Fails (SQLITE_MISUSE) once SQLite is initialized: the explicit
	 * notes of store.c and ballot.c remain. */
	(void)sqlite3_config(SQLITE_CONFIG_LOG, sqlite_log, NULL);
}

void
storage_rollback(sqlite3 *db, const char *name)
{
	int rc = sqlite3_extended_errcode(db);
	char *err = NULL;

	(void)storage_fail_sqlite(db, rc, name);
	if (sqlite3_get_autocommit(db)) {
		/* SQLite rolled the transaction back itself (SQLITE_FULL,
		 * an I/O error, SQLITE_BUSY on COMMIT...), or none is open. */
		if ((rc & 0xff) == SQLITE_OK || (rc & 0xff) == SQLITE_DONE ||
		    (rc & 0xff) == SQLITE_ROW)
			return;
		log_warn("%s : transaction déjà annulée par SQLite après"
		    " « %s » ; rien n'en a été enregistré", name,
		    sqlite3_errmsg(db));
		return;
	}
	if (sqlite3_exec(db, "ROLLBACK", NULL, NULL, &err) != SQLITE_OK) {
		(void)storage_fail_sqlite(db, sqlite3_extended_errcode(db),
		    name);
		log_warn("%s : annulation de la transaction impossible : %s",
		    name, err != NULL ? err : sqlite3_errmsg(db));
	}
	sqlite3_free(err);
}

/*
 * test_server_store.c — storage settings and migrations (server/store.c),
 * roll import with history (server/roll.c), credential life cycle with
 * real signatures (server/cred.c), and the event log they all write;
 * the French order of a list of members (server/member_name.c).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "crypto/credential.h"
#include "server/cred.h"
#include "server/member_name.h"
#include "server/roll.h"
#include "server/store.h"
#include "tests/check.h"

static int64_t
q_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s = store_prepare(db, sql);
	int64_t v = -12345;

	if (s != NULL && sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

static const char *
q_text(sqlite3 *db, const char *sql, char *buf, size_t cap)
{
	sqlite3_stmt *s = store_prepare(db, sql);

	buf[0] = '\0';
	if (s != NULL && sqlite3_step(s) == SQLITE_ROW &&
	    sqlite3_column_text(s, 0) != NULL)
		snprintf(buf, cap, "%s", sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return buf;
}

static void
test_settings(const char *dir)
{
	struct store *st = NULL;
	char buf[64];

	CHECK(store_open(&st, dir) == 0);
	if (st == NULL)
		return;
	CHECK(strcmp(q_text(st->roll, "PRAGMA journal_mode", buf, sizeof buf),
	    "wal") == 0);
	CHECK(strcmp(q_text(st->box, "PRAGMA journal_mode", buf, sizeof buf),
	    "wal") == 0);
	CHECK(q_int(st->roll, "PRAGMA synchronous") == 2);
	CHECK(q_int(st->box, "PRAGMA synchronous") == 2);
	CHECK(q_int(st->roll, "PRAGMA foreign_keys") == 1);
	CHECK(q_int(st->roll, "PRAGMA trusted_schema") == 0);
	CHECK(q_int(st->roll, "PRAGMA secure_delete") == 1);
	CHECK(q_int(st->roll, "PRAGMA user_version") == STORE_ROLL_VERSION);
	CHECK(q_int(st->box, "PRAGMA user_version") == STORE_BOX_VERSION);
	int def = -1;
	sqlite3_db_config(st->roll, SQLITE_DBCONFIG_DEFENSIVE, -1, &def);
	CHECK(def == 1);
	/* Defensive mode: no writable_schema tricks. */
	CHECK(sqlite3_exec(st->roll, "PRAGMA writable_schema = ON;"
	    "UPDATE sqlite_schema SET sql = 'x' WHERE name = 'events';",
	    NULL, NULL, NULL) != SQLITE_OK);
	/* Roll and box are different files: no members table in the box. */
	CHECK(q_int(st->box, "SELECT count(*) FROM sqlite_schema WHERE name ="
	    " 'members'") == 0);
	/* An event outside a transaction is refused. */
	json_t *p = json_object();
	CHECK(store_event_record(st, "test", p, NULL) == -1);
	CHECK(store_begin(st) == 0);
	int64_t seq = 0;
	CHECK(store_event_record(st, "test", p, &seq) == 0 && seq == 1);
	CHECK(store_commit(st) == 0);
	json_decref(p);
	/* Append-only. */
	CHECK(sqlite3_exec(st->roll, "UPDATE events SET kind = 'x'", NULL,
	    NULL, NULL) != SQLITE_OK);
	CHECK(sqlite3_exec(st->roll, "DELETE FROM events", NULL, NULL, NULL) !=
	    SQLITE_OK);
	CHECK(q_int(st->roll, "SELECT count(*) FROM events") == 1);
	store_close(st);

	/* Reopening migrates nothing; a newer schema is refused. */
	CHECK(store_open(&st, dir) == 0);
	if (st != NULL) {
		CHECK(sqlite3_exec(st->box, "PRAGMA user_version = 99", NULL,
		    NULL, NULL) == SQLITE_OK);
		store_close(st);
		st = NULL;
	}
	CHECK(store_open(&st, dir) == -1 && st == NULL);
}

static int
import_text(struct store *st, const char *csv, int remove_missing,
    struct roll_import_result *res)
{
	struct roll_parse p;
	int rc;

	if (roll_parse(&p, (const uint8_t *)csv, strlen(csv)) != 0) {
		roll_parse_free(&p);
		return -1;
	}
	rc = roll_import_apply(st, &p, "00", remove_missing, res);
	roll_parse_free(&p);
	return rc;
}

static void
test_roll(struct store *st)
{
	struct roll_import_result r;
	char buf[128];

	CHECK(import_text(st, "numero;nom;prenom;email\n"
	    "1;Un;Anne;a@example.org\n2;Deux;Bob;b@example.org\n"
	    "3;Trois;Cyd;c@example.org\n", 0, &r) == 0);
	CHECK(r.created == 3 && r.updated == 0 && r.unchanged == 0);
	/* Change 2, keep 1, omit 3, add 4. */
	CHECK(import_text(st, "numero;nom;prenom;email\n"
	    "1;Un;Anne;a@example.org\n2;Deux;Bob;bob@example.org\n"
	    "4;Quatre;Dan;d@example.org\n", 0, &r) == 0);
	CHECK(r.created == 1 && r.updated == 1 && r.unchanged == 1 &&
	    r.removed == 0);
	CHECK(q_int(st->roll, "SELECT count(*) FROM members WHERE status ="
	    " 'active'") == 4);
	CHECK(strcmp(q_text(st->roll, "SELECT email FROM members_history"
	    " WHERE member_no = '2' AND version = 1", buf, sizeof buf),
	    "b@example.org") == 0);
	CHECK(q_int(st->roll, "SELECT version FROM members WHERE member_no ="
	    " '2'") == 2);
	/* With --remove-missing, 3 is marked removed, with history. */
	CHECK(import_text(st, "numero;nom;prenom;email\n"
	    "1;Un;Anne;a@example.org\n2;Deux;Bob;bob@example.org\n"
	    "4;Quatre;Dan;d@example.org\n", 1, &r) == 0);
	CHECK(r.removed == 1 && r.unchanged == 3 && r.created == 0);
	CHECK(strcmp(q_text(st->roll, "SELECT status FROM members WHERE"
	    " member_no = '3'", buf, sizeof buf), "removed") == 0);
	CHECK(q_int(st->roll, "SELECT count(*) FROM members_history WHERE"
	    " member_no = '3'") == 1);
	/* Coming back reactivates. */
	CHECK(import_text(st, "numero;nom;prenom;email\n"
	    "3;Trois;Cyd;c@example.org\n", 0, &r) == 0);
	CHECK(r.updated == 1);
	CHECK(q_int(st->roll, "SELECT version FROM members WHERE member_no ="
	    " '3'") == 3);
	CHECK(q_int(st->roll, "SELECT count(*) FROM events WHERE kind ="
	    " 'roll.import'") == 4);
	CHECK(q_int(st->roll, "SELECT count(*) FROM imports") == 4);
}

static int
exec_sql(struct store *st, const char *sql)
{
	return sqlite3_exec(st->roll, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 :
	    -1;
}

/* A meeting row in the given status whose frozen roll holds the members
 * numbered in list (SQL: "'1', '2'"), without a public record. */
static int
meeting_put(struct store *st, const char *id, const char *status,
    const char *list)
{
	char sql[1024];

	snprintf(sql, sizeof sql, "INSERT INTO meetings(id, title, date,"
	    " profile_yaml, profile_id, profile_name, body, status,"
	    " trustees_n, trustees_t, ceremony, created_at) VALUES ('%s',"
	    " 'T', '2026-06-01', X'00', 'p', 'p', 'ag', '%s', 2, 2,"
	    " 'enrolment', 0); INSERT INTO meeting_roll(meeting, member_id,"
	    " voter, reason) SELECT '%s', id, 1, '' FROM members WHERE"
	    " member_no IN (%s);", id, status, id, list);
	return exec_sql(st, sql);
}

static void
test_credentials(struct store *st)
{
	const char *meeting = "ag-2026";
	struct cred_secret sec;
	credential *c = NULL;
	uint8_t msg[256], sig[64];
	uint64_t now = now_unix(), at = 0;
	size_t n;

	CHECK(cred_make(&sec, meeting) == 0);
	CHECK(strlen(sec.fragment) == 22 && strlen(sec.code) == 9 &&
	    sec.code[4] == '-');
	/* Credentials come from a convened meeting's frozen roll only: none
	 * for a meeting that does not exist or is in preparation, none for
	 * a member the convocation did not freeze. */
	CHECK(store_begin(st) == 0);
	CHECK(cred_add(st, "1", meeting, sec.pk, "server") ==
	    CRED_ERR_NOT_CONVENED);
	CHECK(cred_meeting_convened(st, meeting) == 0);
	CHECK(meeting_put(st, meeting, "draft", "'1', '2', '3'") == 0);
	CHECK(cred_add(st, "1", meeting, sec.pk, "server") ==
	    CRED_ERR_NOT_CONVENED);
	CHECK(exec_sql(st, "UPDATE meetings SET status = 'convened' WHERE id ="
	    " 'ag-2026'") == 0);
	CHECK(cred_meeting_convened(st, meeting) == 1);
	CHECK(cred_add(st, "4", meeting, sec.pk, "server") ==
	    CRED_ERR_NOT_ON_ROLL);
	CHECK(q_int(st->roll, "SELECT count(*) FROM credentials") == 0);
	CHECK(cred_add(st, "1", meeting, sec.pk, "server") == 0);
	/* A second active credential for the same member is refused. */
	CHECK(cred_add(st, "1", meeting, sec.pk, "server") == -1);
	CHECK(cred_add(st, "nobody", meeting, sec.pk, "server") == -1);
	CHECK(store_commit(st) == 0);

	/* The member derives the same key from fragment and code. */
	CHECK(credential_derive(&c, (const uint8_t *)meeting, strlen(meeting),
	    sec.fragment, strlen(sec.fragment), sec.code, strlen(sec.code)) ==
	    0);
	if (c == NULL)
		return;
	CHECK(memcmp(credential_public_key(c), sec.pk, 32) == 0);
	n = cred_statement_activate(msg, sizeof msg, meeting, sec.pk, now);
	/* 4+9 + 4+19 + 4+7 + 4+32 + 4+8 */
	CHECK(n == 95);
	CHECK(credential_sign(c, sig, msg, n) == 0);
	CHECK(cred_activate(st, meeting, sec.pk, now, sig, now, &at) ==
	    CRED_ACT_OK && at == now);
	CHECK(cred_activate(st, meeting, sec.pk, now, sig, now + 5, &at) ==
	    CRED_ACT_ALREADY && at == now);
	CHECK(cred_activate(st, "other", sec.pk, now, sig, now, &at) ==
	    CRED_ACT_BAD_SIG);
	CHECK(cred_activate(st, meeting, sec.pk, now, sig, now + 601, &at) ==
	    CRED_ACT_STALE);
	sig[0] ^= 1;
	CHECK(cred_activate(st, meeting, sec.pk, now, sig, now, &at) ==
	    CRED_ACT_BAD_SIG);
	sig[0] ^= 1;
	CHECK(q_int(st->roll, "SELECT count(*) FROM events WHERE kind ="
	    " 'credential.activate'") == 1);

	/* Revoke: the key is kept, marked revoked; activation refused. */
	CHECK(store_begin(st) == 0);
	CHECK(cred_revoke(st, "1", meeting, "perdu") == 0);
	CHECK(cred_revoke(st, "1", meeting, "perdu") == -1);
	CHECK(store_commit(st) == 0);
	CHECK(cred_activate(st, meeting, sec.pk, now, sig, now, &at) ==
	    CRED_ACT_REVOKED);
	CHECK(q_int(st->roll, "SELECT count(*) FROM credentials") == 1);
	credential_free(c);
	sodium_memzero(&sec, sizeof sec);

	/* Public list import: all or nothing. */
	struct cred_secret a, b;
	char json[1024], err[256], pa[65], pb[65];
	size_t count = 0;
	CHECK(meeting_put(st, "ca-1", "convened", "'2', '4'") == 0);
	CHECK(cred_make(&a, "ca-1") == 0 && cred_make(&b, "ca-1") == 0);
	xhex_encode(pa, sizeof pa, a.pk, 32);
	xhex_encode(pb, sizeof pb, b.pk, 32);
	snprintf(json, sizeof json, "{\"format\":\"scrutin-public-credentials/1\","
	    "\"meeting\":\"ca-1\",\"credentials\":[{\"member\":\"2\",\"pk\":\"%s\"},"
	    "{\"member\":\"404\",\"pk\":\"%s\"}]}", pa, pb);
	CHECK(cred_import_public(st, (const uint8_t *)json, strlen(json),
	    &count, err, sizeof err) == -1 && count == 0);
	CHECK(strstr(err, "entrée 2") != NULL);
	CHECK(q_int(st->roll, "SELECT count(*) FROM credentials WHERE meeting ="
	    " 'ca-1'") == 0);
	snprintf(json, sizeof json, "{\"format\":\"scrutin-public-credentials/1\","
	    "\"meeting\":\"ca-1\",\"credentials\":[{\"member\":\"2\",\"pk\":\"%s\"},"
	    "{\"member\":\"4\",\"pk\":\"%s\"}]}", pa, pb);
	CHECK(cred_import_public(st, (const uint8_t *)json, strlen(json),
	    &count, err, sizeof err) == 0 && count == 2);
	CHECK(q_int(st->roll, "SELECT count(*) FROM credentials WHERE meeting ="
	    " 'ca-1' AND origin = 'offline'") == 2);
	/* Duplicate keys in the JSON: refused. */
	const char *dup = "{\"format\":\"x\",\"format\":\"y\"}";
	CHECK(cred_import_public(st, (const uint8_t *)dup, strlen(dup), &count,
	    err, sizeof err) == -1);
}

/* store_cached: one statement per literal, reset on release (a released
 * statement holds no read snapshot: another connection's commit is
 * seen), a fresh statement beyond the cache (finalized on release). */
static void
test_cached(const char *dir)
{
	static char sqls[STORE_CACHE_MAX + 1][32];
	struct store *st = NULL, *other = NULL;
	sqlite3_stmt *a, *b, *s;
	json_t *p = json_pack("{s:i}", "n", 1);
	int64_t n0 = -1, n1 = -1;

	CHECK(store_open(&st, dir) == 0 && store_open(&other, dir) == 0);
	if (st == NULL || other == NULL)
		goto out;
	a = store_cached(st, st->roll, "SELECT count(*) FROM events");
	CHECK(a != NULL && sqlite3_step(a) == SQLITE_ROW);
	if (a != NULL)
		n0 = sqlite3_column_int64(a, 0);
	store_release(st, a);
	b = store_cached(st, st->roll, "SELECT count(*) FROM events");
	CHECK(b == a);
	store_release(st, b);
	/* Another connection commits: the released statement sees it. */
	CHECK(store_begin(other) == 0 &&
	    store_event_record(other, "test", p, NULL) == 0 &&
	    store_commit(other) == 0);
	b = store_cached(st, st->roll, "SELECT count(*) FROM events");
	CHECK(b != NULL && sqlite3_step(b) == SQLITE_ROW);
	if (b != NULL)
		n1 = sqlite3_column_int64(b, 0);
	store_release(st, b);
	CHECK(n0 >= 0 && n1 == n0 + 1);
	/* The same text at another address is another entry; past the cap,
	 * statements still work (and are finalized on release). */
	for (size_t i = 0; i <= STORE_CACHE_MAX; i++) {
		snprintf(sqls[i], sizeof sqls[i], "SELECT %zu", i);
		s = store_cached(st, st->box, sqls[i]);
		CHECK(s != NULL && sqlite3_step(s) == SQLITE_ROW &&
		    (size_t)sqlite3_column_int64(s, 0) == i);
		store_release(st, s);
	}
	CHECK(st->ncache == STORE_CACHE_MAX);
	CHECK(store_cached(st, st->roll, "SELECT nope FROM nowhere") == NULL);
out:
	json_decref(p);
	store_close(other);
	store_close(st);
}

/* By last name, then first name, without case or accents. */
static void
test_name_order(void)
{
#define LT(l1, f1, l2, f2)                                               \
	CHECK_MSG(member_name_cmp(l1, f1, l2, f2) < 0 &&                 \
	    member_name_cmp(l2, f2, l1, f1) > 0, "%s %s < %s %s", l1, f1,   \
	    l2, f2)
	LT("Dupont", "Zoé", "Durand", "Anne");		/* last name first */
	LT("Dupont", "Anne", "Dupont", "Bernard");	/* then first name */
	LT("Écuyer", "Paul", "Faure", "Anne");		/* É with the E */
	LT("Eberlé", "Anne", "Écuyer", "Paul");
	LT("dupont", "Claire", "Dupont", "Denis");	/* case ignored */
	LT("Lœb", "Anne", "Lof", "Anne");		/* œ as oe */
	LT("Çelik", "Anne", "Dupont", "Anne");
	LT("Dupont", "Élise", "Dupont", "Eric");	/* é = e, then l < r */
	LT("Nom1", "Prénom1", "Nom10", "Prénom10");
	LT("Nom12", "Prénom12", "Nom2", "Prénom2");
	LT("", "Anne", "Dupont", "Anne");		/* no last name first */
	/* A tie without case or accents is broken byte for byte, so the
	 * order is total. */
	LT("DUPONT", "Anne", "Dupont", "Anne");
	CHECK(member_name_cmp("Dupont", "Anne", "Dupont", "Anne") == 0);
	CHECK(member_name_cmp(NULL, NULL, "", "") == 0);
#undef LT
}

int
main(void)
{
	char d1[] = "test-output/store-XXXXXX", d2[] = "test-output/store-XXXXXX";
	char d3[] = "test-output/store-XXXXXX";
	struct store *st = NULL;

	if (sodium_init() < 0)
		return 1;
	(void)mkdir("test-output", 0755);
	CHECK(mkdtemp(d1) != NULL && mkdtemp(d2) != NULL && mkdtemp(d3) != NULL);
	test_name_order();
	test_settings(d1);
	test_cached(d3);
	CHECK(store_open(&st, d2) == 0);
	if (st != NULL) {
		test_roll(st);
		test_credentials(st);
	}
	store_close(st);
	return check_done("test_server_store");
}

/*
 * fuzz_meeting_api.c — every request body the privileged process decodes
 * for the live meeting (server/ attendance.c, ballot.c, agenda.c,
 * ceremony_phase.c, decrypt.c …): attendance statements, ballots
 * (secret and show of hands), ceremony messages, decryption shares,
 * moderator bodies (question JSON, open with a time window, start,
 * end), views with paging. The store is real (a fresh data directory
 * under $TMPDIR with a convened, live meeting whose election key is set,
 * a secret motion q1 and a show of hands q2 open), so each input runs the
 * whole decoder down to the lookups. Input: byte 0 = operation, byte 1 =
 * flags (bit 0: moderator token, bit 1: sub-resource "q2" instead of
 * "q1"), the rest = the body. Checks: no crash or leak (sanitizers), a
 * reply always has a status, no transaction is left open.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "server/meeting.h"
#include "server/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct store *st;
static struct mctx *mc;
static char modtok[44];
static uint8_t sk[64], pk[32];

static char dir[] = "/tmp/fuzz-meeting-XXXXXX";

/* Removes the data directory at exit (the store is closed first). */
static void
cleanup(void)
{
	static const char *files[] = { "roll.db", "roll.db-wal", "roll.db-shm",
		"box.db", "box.db-wal", "box.db-shm" };
	char p[64];

	if (mc != NULL)
		meeting_ctx_free(mc);
	free(mc);
	store_close(st);
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, files[i]);
		(void)unlink(p);
	}
	(void)rmdir(dir);
}

static int
setup(void)
{
	static const char agenda[] = "{\"questions\": ["
	    "{\"id\": \"q1\", \"title\": \"Motion\", \"kind\": \"motion\","
	    " \"rule\": \"ordinary\", \"secret\": true},"
	    "{\"id\": \"q2\", \"title\": \"Main levée\", \"kind\": \"motion\","
	    " \"rule\": \"ordinary\", \"secret\": false}]}";
	char err[512];
	uint8_t *yaml = NULL;
	size_t ylen = 0;
	struct mreply r;
	sqlite3_stmt *s;

	if (mkdtemp(dir) == NULL)
		return -1;
	atexit(cleanup);
	if (store_open(&st, dir) != 0)
		return -1;
	if (file_read_capped("ballot-formats/profiles/a-imi.yaml", 1 << 20,
	        &yaml, &ylen) != 0)
		return -1;
	for (int i = 1; i <= 3; i++) {
		s = store_prepare(st->roll, "INSERT INTO members(member_no,"
		    " last_name, first_name, email, phone, category, dues_paid,"
		    " joined, zone, birth_date, sex, city, status, version,"
		    " created_at, updated_at) VALUES ('M' || ?1, 'Nom', 'P', '',"
		    " '', 'adherent', '2030-05-01', '', '', '', '', '', 'active',"
		    " 1, 0, 0)");
		if (s == NULL || sqlite3_bind_int(s, 1, i) != SQLITE_OK ||
		    sqlite3_step(s) != SQLITE_DONE)
			return -1;
		sqlite3_finalize(s);
	}
	crypto_sign_keypair(pk, sk);
	store_key_set(st, sk, pk);
	if (meeting_create(st, "ag", "AG", "2030-06-01", yaml, ylen, "ag", 2,
	        2, NULL, NULL, NULL, err, sizeof err) != 0 ||
	    meeting_agenda_add(st, "ag", (const uint8_t *)agenda,
	        sizeof agenda - 1, err, sizeof err) != 0 ||
	    meeting_convene(st, "ag", err, sizeof err) != 0 ||
	    meeting_token_new(st, "ag", "moderator", 0, "fuzz", modtok, err,
	        sizeof err) != 0) {
		fprintf(stderr, "fuzz_meeting_api: %s\n", err);
		return -1;
	}
	free(yaml);
	/* An election key as if the ceremony had run (the base point). */
	static const uint8_t base[32] = { 0xe2, 0xf2, 0xae, 0x0a, 0x6a, 0xbc,
		0x4e, 0x71, 0xa8, 0x84, 0xa9, 0x61, 0xc5, 0x00, 0x51, 0x5f, 0x58,
		0xe3, 0x0b, 0x6a, 0xa5, 0x82, 0xdd, 0x8d, 0xb6, 0xa6, 0x59, 0x45,
		0xe0, 0x8d, 0x2d, 0x76 };
	s = store_prepare(st->roll, "UPDATE meetings SET ceremony = 'done',"
	    " y = ?1, eid = zeroblob(32), ceremony_id = zeroblob(32)"
	    " WHERE id = 'ag'");
	if (s == NULL || sqlite3_bind_blob(s, 1, base, 32, SQLITE_STATIC) !=
	        SQLITE_OK || sqlite3_step(s) != SQLITE_DONE)
		return -1;
	sqlite3_finalize(s);
	mc = xmalloc(sizeof *mc);
	meeting_ctx_init(mc, st, sk, pk);
	mc->local = 1;
	meeting_api(mc, MOP_START, "ag", "", "", (const uint8_t *)"{}", 2, &r);
	json_decref(r.doc);
	meeting_api(mc, MOP_QOPEN, "ag", "q1", "", (const uint8_t *)"{}", 2,
	    &r);
	json_decref(r.doc);
	meeting_api(mc, MOP_QOPEN, "ag", "q2", "", (const uint8_t *)"{}", 2,
	    &r);
	json_decref(r.doc);
	mc->local = 0;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready = -2;
	struct mreply r;
	uint32_t op;

	if (ready == -2)
		ready = setup();
	if (ready != 0) {
		/* Run from the repository root (the profile is read there). */
		fprintf(stderr, "fuzz_meeting_api: setup failed\n");
		abort();
	}
	if (size < 2)
		return 0;
	op = 1 + data[0] % (MOP_MAX - 1);
	memset(&r, 0, sizeof r);
	if (op == MOP_BALLOT) {
		struct ballot_job *job = NULL;
		if (meeting_ballot_prepare(mc, "ag", data + 2, size - 2, &job,
		        &r) == 1) {
			meeting_ballot_verify(job);
			meeting_ballot_free(job);
		} else if (r.status == 0)
			abort();
	} else {
		meeting_api(mc, op, "ag", data[1] & 2 ? "q2" : "q1",
		    data[1] & 1 ? modtok : "", data + 2, size - 2, &r);
		if (r.status == 0)
			abort();
	}
	json_decref(r.doc);
	if (st->in_tx)
		abort();
	/* Every cached statement was given back (store_release): none
	 * holds a read snapshot open after a request. */
	for (size_t i = 0; i < st->ncache; i++)
		if (sqlite3_stmt_busy(st->cache[i].s))
			abort();
	return 0;
}

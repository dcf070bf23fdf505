/*
 * token.c — the roles' bearer tokens: the moderator's, and each
 * scrutineer's one-time enrolment token. The operator issues them
 * (meeting_token_new); the API checks one on each call that needs it
 * (token_check: api.c for the moderator's rows, ceremony_phase.c for
 * an enrolment) and spends an enrolment token once used (token_use).
 *
 * Trusts the store and libsodium's random bytes. A token's text is a
 * secret: it leaves this file once, to the operator, and the store keeps
 * only its SHA-256 (the random bytes are wiped, and so is the text when
 * it was not issued).
 *
 * Invariants: at most one active token per (meeting, role, index): a new
 * one revokes the one before in the same transaction, with its
 * token.issue event; a used or revoked token never checks again.
 */
#include "server/meeting_int.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "server/store.h"

static void
b64url(char *out, const uint8_t *in, size_t n)
{
	sodium_bin2base64(out, sodium_base64_ENCODED_LEN(n,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING), in, n,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int
meeting_token_new(struct store *st, const char *id, const char *role,
    unsigned idx, const char *name, char out[44], char *err, size_t errcap)
{
	struct mrow m;
	uint8_t tok[32], h[32];
	sqlite3_stmt *s = NULL;
	json_t *ev = NULL;
	int rc = -1;

	if (m_load(st, id, &m) != 0) {
		snprintf(err, errcap, "réunion inconnue : %s", id);
		return -1;
	}
	if (strcmp(role, "enrol") == 0 && (idx < 1 || idx > m.n)) {
		snprintf(err, errcap, "index de scrutateur hors de 1..%u", m.n);
		return -1;
	}
	randombytes_buf(tok, sizeof tok);
	b64url(out, tok, sizeof tok);
	crypto_hash_sha256(h, (const uint8_t *)out, 43);
	sodium_memzero(tok, sizeof tok);
	if (store_begin(st) != 0)
		return -1;
	s = store_prepare(st->roll, "UPDATE tokens SET status = 'revoked'"
	    " WHERE meeting = ?1 AND role = ?2 AND idx = ?3 AND status ="
	    " 'active'");
	if (s == NULL || store_bind_text(s, 1, id) != 0 ||
	    store_bind_text(s, 2, role) != 0 ||
	    sqlite3_bind_int(s, 3, (int)idx) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(s);
	s = store_prepare(st->roll, "INSERT INTO tokens(hash, meeting, role,"
	    " idx, status, created_at) VALUES (?1, ?2, ?3, ?4, 'active', ?5)");
	if (s == NULL || sqlite3_bind_blob(s, 1, h, 32, SQLITE_TRANSIENT) !=
	        SQLITE_OK || store_bind_text(s, 2, id) != 0 ||
	    store_bind_text(s, 3, role) != 0 ||
	    sqlite3_bind_int(s, 4, (int)idx) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 5, (sqlite3_int64)now_unix()) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_DONE)
		goto fail;
	if (name != NULL && strcmp(role, "enrol") == 0) {
		sqlite3_finalize(s);
		s = store_prepare(st->roll, "UPDATE trustees SET name = ?3"
		    " WHERE meeting = ?1 AND idx = ?2");
		if (s == NULL || store_bind_text(s, 1, id) != 0 ||
		    sqlite3_bind_int(s, 2, (int)idx) != SQLITE_OK ||
		    store_bind_text(s, 3, name) != 0 ||
		    sqlite3_step(s) != SQLITE_DONE)
			goto fail;
	}
	ev = json_pack("{s:s,s:s,s:i}", "meeting", id, "role", role, "index",
	    (int)idx);
	if (store_event_record(st, "token.issue", ev, NULL) != 0 ||
	    store_commit(st) != 0)
		goto fail;
	rc = 0;
	goto out;
fail:
	store_rollback(st);
	sodium_memzero(out, 44);
out:
	json_decref(ev);
	sqlite3_finalize(s);
	return rc;
}

/* 0 when auth is an active token of (meeting, role); OUT *idx. */
int
token_check(struct store *st, const char *meeting, const char *role,
    const char *auth, unsigned *idx)
{
	uint8_t h[32];
	sqlite3_stmt *s;
	int rc = -1;

	if (auth == NULL || strlen(auth) != 43)
		return -1;
	crypto_hash_sha256(h, (const uint8_t *)auth, 43);
	s = store_prepare(st->roll, "SELECT idx FROM tokens WHERE hash = ?1"
	    " AND meeting = ?2 AND role = ?3 AND status = 'active'");
	if (s != NULL && sqlite3_bind_blob(s, 1, h, 32, SQLITE_TRANSIENT) ==
	        SQLITE_OK && store_bind_text(s, 2, meeting) == 0 &&
	    store_bind_text(s, 3, role) == 0 && sqlite3_step(s) == SQLITE_ROW) {
		if (idx != NULL)
			*idx = (unsigned)sqlite3_column_int(s, 0);
		rc = 0;
	}
	sqlite3_finalize(s);
	return rc;
}

int
token_use(struct store *st, const char *auth)
{
	uint8_t h[32];
	sqlite3_stmt *s;
	int rc;

	crypto_hash_sha256(h, (const uint8_t *)auth, 43);
	s = store_prepare(st->roll, "UPDATE tokens SET status = 'used' WHERE"
	    " hash = ?1");
	rc = (s != NULL && sqlite3_bind_blob(s, 1, h, 32, SQLITE_TRANSIENT) ==
	    SQLITE_OK && sqlite3_step(s) == SQLITE_DONE) ? 0 : -1;
	sqlite3_finalize(s);
	return rc;
}

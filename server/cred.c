/*
 * cred.c — credentials: making, storing, revoking, activating, importing
 * the public list of an offline issue.
 *
 * Trusts crypto/credential.h for the derivation and libsodium for the
 * signatures. Invariants: only public keys are stored; a member has at
 * most one active credential per meeting (a partial unique index says so
 * too); a revoked credential stays in the table with its reason; every
 * change is recorded with store_event_record in its transaction; a
 * credential is issued only to a member of a convened meeting's frozen
 * roll (the public record's credential.issued events then say what the
 * server counts from).
 */
#include "server/cred.h"
#include "server/record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "server/store.h"
#include "crypto/hex.h"

int
cred_meeting_valid(const char *m)
{
	size_t n = strlen(m);

	if (n == 0 || n > CRED_MEETING_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = m[i];
		int alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
		if (!alnum && (i == 0 || (c != '-' && c != '_' && c != '.')))
			return 0;
	}
	return 1;
}

int
cred_host_valid(const char *h)
{
	size_t n = strlen(h), colon = 0;

	if (n == 0 || n > 253 + 6)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = h[i];
		if (c == ':') {
			if (colon++ || i == 0 || i + 1 == n || n - i - 1 > 5)
				return 0;
			continue;
		}
		if (colon && !(c >= '0' && c <= '9'))
			return 0;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		        (c >= '0' && c <= '9') || c == '.' || c == '-'))
			return 0;
	}
	return h[0] != '.' && h[0] != '-';
}

int
cred_make(struct cred_secret *out, const char *meeting)
{
	uint8_t ls[CREDENTIAL_LINK_SECRET_BYTES];
	credential *c = NULL;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (!cred_meeting_valid(meeting))
		return -1;
	credential_link_secret_generate(ls);
	credential_fragment_encode(out->fragment, ls);
	credential_code_generate(out->code);
	if (credential_derive(&c, (const uint8_t *)meeting, strlen(meeting),
	        out->fragment, strlen(out->fragment), out->code,
	        strlen(out->code)) != 0)
		goto out;
	memcpy(out->pk, credential_public_key(c), sizeof out->pk);
	rc = 0;
out:
	credential_free(c);
	sodium_memzero(ls, sizeof ls);
	if (rc != 0)
		sodium_memzero(out, sizeof *out);
	return rc;
}

int
cred_url(char *out, size_t cap, const char *host, const char *meeting,
    const char *fragment)
{
	int n;

	if (!cred_host_valid(host) ||
	    (fragment != NULL &&
	    (meeting == NULL || !cred_meeting_valid(meeting))))
		return -1;
	n = fragment ? snprintf(out, cap, "https://%s/v/#%s.%s", host, meeting,
			   fragment)
		     : snprintf(out, cap, "https://%s/v/", host);
	return (n < 0 || (size_t)n >= cap) ? -1 : 0;
}

static int
member_active_id(struct store *st, const char *member_no, int64_t *id)
{
	sqlite3_stmt *s = store_prepare(st->roll,
	    "SELECT id FROM members WHERE member_no = ?1 AND status = 'active'");
	int rc = -1;

	if (s == NULL)
		return -1;
	if (store_bind_text(s, 1, member_no) == 0 &&
	    sqlite3_step(s) == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		rc = 0;
	}
	sqlite3_finalize(s);
	return rc;
}

int
cred_meeting_convened(struct store *st, const char *meeting)
{
	sqlite3_stmt *s = store_prepare(st->roll,
	    "SELECT status FROM meetings WHERE id = ?1");
	int rc = -1, r;

	if (s == NULL || store_bind_text(s, 1, meeting) != 0)
		goto out;
	r = sqlite3_step(s);
	if (r == SQLITE_DONE)
		rc = 0;
	else if (r == SQLITE_ROW)
		rc = strcmp((const char *)sqlite3_column_text(s, 0), "draft") !=
		    0;
out:
	sqlite3_finalize(s);
	return rc;
}

/* 0 when member_id is on the meeting's frozen roll, else
 * CRED_ERR_NOT_CONVENED, CRED_ERR_NOT_ON_ROLL or -1. */
static int
frozen_roll_has(struct store *st, const char *meeting, int64_t member_id)
{
	sqlite3_stmt *s;
	int c = cred_meeting_convened(st, meeting), rc = -1, r;

	if (c <= 0)
		return c < 0 ? -1 : CRED_ERR_NOT_CONVENED;
	s = store_prepare(st->roll, "SELECT 1 FROM meeting_roll WHERE"
	    " meeting = ?1 AND member_id = ?2");
	if (s == NULL || store_bind_text(s, 1, meeting) != 0 ||
	    sqlite3_bind_int64(s, 2, member_id) != SQLITE_OK)
		goto out;
	r = sqlite3_step(s);
	rc = r == SQLITE_ROW ? 0 : r == SQLITE_DONE ? CRED_ERR_NOT_ON_ROLL : -1;
out:
	sqlite3_finalize(s);
	return rc;
}

int
cred_add(struct store *st, const char *member_no, const char *meeting,
    const uint8_t pk[32], const char *origin)
{
	return cred_add_ex(st, member_no, meeting, pk, origin, NULL);
}

int
cred_add_ex(struct store *st, const char *member_no, const char *meeting,
    const uint8_t pk[32], const char *origin, const uint8_t *old_pk)
{
	sqlite3_stmt *s = NULL;
	json_t *ev = NULL;
	char pkhex[65];
	int64_t member_id, cred_id;
	int rc = -1;

	if (!st->in_tx || !cred_meeting_valid(meeting) ||
	    crypto_core_ed25519_is_valid_point(pk) != 1)
		return -1;
	if (member_active_id(st, member_no, &member_id) != 0)
		return -1;
	if ((rc = frozen_roll_has(st, meeting, member_id)) != 0)
		return rc;
	rc = -1;
	s = store_prepare(st->roll,
	    "INSERT INTO credentials(member_id, meeting, pk, origin, status,"
	    " issued_at) VALUES (?1, ?2, ?3, ?4, 'active', ?5)");
	if (s == NULL ||
	    sqlite3_bind_int64(s, 1, member_id) != SQLITE_OK ||
	    store_bind_text(s, 2, meeting) != 0 ||
	    sqlite3_bind_blob(s, 3, pk, 32, SQLITE_TRANSIENT) != SQLITE_OK ||
	    store_bind_text(s, 4, origin) != 0 ||
	    sqlite3_bind_int64(s, 5, (sqlite3_int64)now_unix()) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_DONE)
		goto out;
	cred_id = sqlite3_last_insert_rowid(st->roll);
	xhex_encode(pkhex, sizeof pkhex, pk, 32);
	ev = json_pack("{s:I, s:I, s:s, s:s, s:s}", "credential",
	    (json_int_t)cred_id, "member", (json_int_t)member_id, "meeting",
	    meeting, "pk", pkhex, "origin", origin);
	if (ev == NULL || store_event_record(st, "credential.issue", ev, NULL))
		goto out;
	if (old_pk != NULL ? record_cred_reissued(st, meeting, old_pk, pk) :
	    record_cred_issued(st, meeting, member_id, pk)) {
		log_warn("%s: credential for %s not added to the record (the"
		    " roll is frozen: reissue instead)", meeting, member_no);
		goto out;
	}
	rc = 0;
out:
	json_decref(ev);
	sqlite3_finalize(s);
	return rc;
}

int
cred_revoke(struct store *st, const char *member_no, const char *meeting,
    const char *reason)
{
	return cred_revoke_ex(st, member_no, meeting, reason, NULL);
}

int
cred_revoke_ex(struct store *st, const char *member_no, const char *meeting,
    const char *reason, uint8_t *old_pk)
{
	uint8_t pk[32];
	sqlite3_stmt *s = NULL, *u = NULL;
	json_t *ev = NULL;
	int64_t member_id, cred_id;
	int rc = -1;

	if (!st->in_tx || member_active_id(st, member_no, &member_id) != 0)
		return -1;
	if (strlen(reason) == 0 || strlen(reason) > 200 ||
	    !utf8_valid((const uint8_t *)reason, strlen(reason)))
		return -1;
	s = store_prepare(st->roll,
	    "SELECT id, pk FROM credentials WHERE member_id = ?1 AND meeting ="
	    " ?2 AND status = 'active'");
	if (s == NULL || sqlite3_bind_int64(s, 1, member_id) != SQLITE_OK ||
	    store_bind_text(s, 2, meeting) != 0 ||
	    sqlite3_step(s) != SQLITE_ROW || sqlite3_column_bytes(s, 1) != 32)
		goto out;
	cred_id = sqlite3_column_int64(s, 0);
	memcpy(pk, sqlite3_column_blob(s, 1), 32);
	u = store_prepare(st->roll,
	    "UPDATE credentials SET status = 'revoked', revoked_at = ?2,"
	    " revoke_reason = ?3 WHERE id = ?1 AND status = 'active'");
	if (u == NULL || sqlite3_bind_int64(u, 1, cred_id) != SQLITE_OK ||
	    sqlite3_bind_int64(u, 2, (sqlite3_int64)now_unix()) != SQLITE_OK ||
	    store_bind_text(u, 3, reason) != 0 ||
	    sqlite3_step(u) != SQLITE_DONE || sqlite3_changes(st->roll) != 1)
		goto out;
	ev = json_pack("{s:I, s:I, s:s, s:s}", "credential", (json_int_t)cred_id,
	    "member", (json_int_t)member_id, "meeting", meeting, "reason",
	    reason);
	if (ev == NULL || store_event_record(st, "credential.revoke", ev, NULL))
		goto out;
	if (old_pk != NULL)
		memcpy(old_pk, pk, 32);
	else if (record_cred_revoked(st, meeting, pk) != 0)
		goto out;
	rc = 0;
out:
	json_decref(ev);
	sqlite3_finalize(s);
	sqlite3_finalize(u);
	return rc;
}

/* T(label, meeting, pk, LE64 v) of docs/protocol.md §2. */
static size_t
statement(uint8_t *buf, size_t cap, const char *label, const char *meeting,
    const uint8_t pk[32], uint64_t v)
{
	const void *f[5] = { "scrutin/1", label, meeting, pk, NULL };
	size_t fl[5] = { 9, strlen(label), strlen(meeting), 32, 8 };
	uint8_t le[8];
	size_t off = 0;

	for (int i = 0; i < 8; i++)
		le[i] = (uint8_t)(v >> (8 * i));
	f[4] = le;
	for (int i = 0; i < 5; i++) {
		if (fl[i] > 0xffffffffu || cap - off < 4 + fl[i])
			return 0;
		for (int k = 0; k < 4; k++)
			buf[off + (size_t)k] = (uint8_t)(fl[i] >> (8 * k));
		memcpy(buf + off + 4, f[i], fl[i]);
		off += 4 + fl[i];
	}
	return off;
}

size_t
cred_statement_activate(uint8_t *buf, size_t cap, const char *meeting,
    const uint8_t pk[32], uint64_t ts)
{
	return statement(buf, cap, "credential-activate", meeting, pk, ts);
}

size_t
cred_statement_activated(uint8_t *buf, size_t cap, const char *meeting,
    const uint8_t pk[32], uint64_t at)
{
	return statement(buf, cap, "credential-activated", meeting, pk, at);
}

enum cred_activate_result
cred_activate(struct store *st, const char *meeting, const uint8_t pk[32],
    uint64_t ts, const uint8_t sig[64], uint64_t now, uint64_t *at)
{
	uint8_t msg[256];
	size_t n;
	sqlite3_stmt *s = NULL, *u = NULL;
	json_t *ev = NULL;
	enum cred_activate_result res = CRED_ACT_ERROR;
	int64_t cred_id;

	*at = 0;
	if (!cred_meeting_valid(meeting))
		return CRED_ACT_UNKNOWN;
	if (ts + CRED_ACTIVATE_WINDOW < now || ts > now + CRED_ACTIVATE_WINDOW)
		return CRED_ACT_STALE;
	n = cred_statement_activate(msg, sizeof msg, meeting, pk, ts);
	if (n == 0 || credential_verify(pk, sig, msg, n) != 0)
		return CRED_ACT_BAD_SIG;
	if (store_begin(st) != 0)
		return CRED_ACT_ERROR;
	s = store_prepare(st->roll,
	    "SELECT id, status, activated_at FROM credentials"
	    " WHERE pk = ?1 AND meeting = ?2");
	if (s == NULL ||
	    sqlite3_bind_blob(s, 1, pk, 32, SQLITE_TRANSIENT) != SQLITE_OK ||
	    store_bind_text(s, 2, meeting) != 0)
		goto out;
	if (sqlite3_step(s) != SQLITE_ROW) {
		res = CRED_ACT_UNKNOWN;
		goto out;
	}
	cred_id = sqlite3_column_int64(s, 0);
	if (strcmp((const char *)sqlite3_column_text(s, 1), "active") != 0) {
		res = CRED_ACT_REVOKED;
		goto out;
	}
	if (sqlite3_column_type(s, 2) != SQLITE_NULL) {
		*at = (uint64_t)sqlite3_column_int64(s, 2);
		res = CRED_ACT_ALREADY;
		goto out;
	}
	u = store_prepare(st->roll,
	    "UPDATE credentials SET activated_at = ?2 WHERE id = ?1"
	    " AND activated_at IS NULL");
	if (u == NULL || sqlite3_bind_int64(u, 1, cred_id) != SQLITE_OK ||
	    sqlite3_bind_int64(u, 2, (sqlite3_int64)now) != SQLITE_OK ||
	    sqlite3_step(u) != SQLITE_DONE || sqlite3_changes(st->roll) != 1)
		goto out;
	ev = json_pack("{s:I, s:s, s:I}", "credential", (json_int_t)cred_id,
	    "meeting", meeting, "signed_at", (json_int_t)ts);
	if (ev == NULL ||
	    store_event_record(st, "credential.activate", ev, NULL) != 0)
		goto out;
	sqlite3_finalize(s);
	s = NULL;
	if (store_commit(st) != 0)
		goto out;
	*at = now;
	res = CRED_ACT_OK;
out:
	if (st->in_tx)
		store_rollback(st);
	json_decref(ev);
	sqlite3_finalize(s);
	sqlite3_finalize(u);
	return res;
}

int
cred_import_public(struct store *st, const uint8_t *data, size_t len,
    size_t *count, char *err, size_t errcap)
{
	json_t *root = NULL, *list, *v;
	json_error_t jerr;
	const char *meeting, *key;
	size_t i;
	int rc = -1;

	*count = 0;
	snprintf(err, errcap, "erreur interne");
	if (len > CRED_PUBLIC_MAX) {
		snprintf(err, errcap, "fichier trop gros");
		return -1;
	}
	root = json_loadb((const char *)data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL || !json_is_object(root)) {
		snprintf(err, errcap, "JSON invalide (ligne %d)", jerr.line);
		goto out;
	}
	json_object_foreach(root, key, v) {
		if (strcmp(key, "format") && strcmp(key, "meeting") &&
		    strcmp(key, "credentials")) {
			snprintf(err, errcap, "champ inconnu « %.40s »", key);
			goto out;
		}
	}
	v = json_object_get(root, "format");
	if (!json_is_string(v) ||
	    strcmp(json_string_value(v), "scrutin-public-credentials/1")) {
		snprintf(err, errcap, "format absent ou inconnu");
		goto out;
	}
	v = json_object_get(root, "meeting");
	if (!json_is_string(v) || !cred_meeting_valid(json_string_value(v))) {
		snprintf(err, errcap, "identifiant de réunion invalide");
		goto out;
	}
	meeting = json_string_value(v);
	list = json_object_get(root, "credentials");
	if (!json_is_array(list) || json_array_size(list) == 0) {
		snprintf(err, errcap, "liste « credentials » absente ou vide");
		goto out;
	}
	if (store_begin(st) != 0)
		goto out;
	json_array_foreach(list, i, v) {
		json_t *m = json_object_get(v, "member");
		json_t *p = json_object_get(v, "pk");
		uint8_t pk[32];

		if (!json_is_object(v) || json_object_size(v) != 2 ||
		    !json_is_string(m) || !json_is_string(p) ||
		    hex_decode(pk, 32, json_string_value(p),
		        json_string_length(p)) != 0 ||
		    crypto_core_ed25519_is_valid_point(pk) != 1) {
			snprintf(err, errcap,
			    "entrée %zu : attendu {\"member\", \"pk\"} avec une"
			    " clé publique Ed25519 valide en hexadécimal", i + 1);
			goto out;
		}
		int r = cred_add(st, json_string_value(m), meeting, pk,
		    "offline");
		if (r == CRED_ERR_NOT_CONVENED) {
			snprintf(err, errcap, "la réunion « %s » n'est pas"
			    " convoquée : les identifiants se délivrent sur la"
			    " liste des membres que la convocation fige ; lancez"
			    " « scrutin meeting convene %s » puis importez de"
			    " nouveau", meeting, meeting);
			goto out;
		}
		if (r == CRED_ERR_NOT_ON_ROLL) {
			snprintf(err, errcap, "entrée %zu : adhérent « %.32s »"
			    " absent de la liste figée à la convocation de %s",
			    i + 1, json_string_value(m), meeting);
			goto out;
		}
		if (r != 0) {
			snprintf(err, errcap,
			    "entrée %zu : adhérent « %.32s » inconnu ou inactif,"
			    " déjà doté d'un identifiant actif, ou clé en double",
			    i + 1, json_string_value(m));
			goto out;
		}
	}
	/* The record as imported, signed (docs/record.md §3). */
	if (store_record_checkpoint(st, meeting) != 0 ||
	    store_commit(st) != 0)
		goto out;
	*count = json_array_size(list);
	err[0] = '\0';
	rc = 0;
out:
	store_rollback(st);
	json_decref(root);
	return rc;
}

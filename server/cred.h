/*
 * cred.h — member credentials on the server side (docs/protocol.md §9).
 *
 * Issuing makes a link secret and a code, derives the Ed25519 public key
 * with crypto/credential.h and keeps only that key: the secrets leave in
 * the printed sheet (link secret, in the URL fragment) and in the code
 * list for the second channel, and are wiped from memory. Offline issuing
 * does the same on another machine and hands over only the public list.
 * Every change (issue, import, revoke, activate) is recorded through
 * store_event_record in the same transaction.
 */
#ifndef SCRUTIN_SERVER_CRED_H
#define SCRUTIN_SERVER_CRED_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/credential.h"
#include "server/scrutin.h"

struct store;

#define CRED_MEETING_MAX 64
#define CRED_PUBLIC_MAX (4u * 1024u * 1024u)
#define CRED_ACTIVATE_WINDOW 600 /* seconds of clock skew accepted */
#define CRED_URL_MAX 512

/* A freshly made credential. Holds secrets: wipe with sodium_memzero. */
struct cred_secret {
	char fragment[CREDENTIAL_FRAGMENT_CHARS + 1];
	char code[CREDENTIAL_CODE_CHARS + 2];	/* "XXXX-XXXX" */
	uint8_t pk[CREDENTIAL_PK_BYTES];
};

/* Meeting identifiers: 1..64 of [a-z0-9._-], starting with a letter or
 * digit (they go into URLs, file names and hashes). */
int cred_meeting_valid(const char *meeting);
/* Host names for URLs: 1..253 of [A-Za-z0-9.-] with an optional :port. */
int cred_host_valid(const char *host);

/* Makes link secret and code, derives pk (Argon2id: ~50 ms). */
int cred_make(struct cred_secret *out, const char *meeting) WUR;

/* "https://HOST/v/#MEETING.FRAGMENT" (the phone needs the meeting id for
 * the salt and the API paths; the fragment is base64url, so the page splits
 * at the last '.'), or "https://HOST/v/" when fragment is NULL (the form
 * that may be shown or logged; meeting is then ignored). */
int cred_url(char *out, size_t cap, const char *host, const char *meeting,
    const char *fragment) WUR;

/* Credentials are issued from a meeting's frozen roll only: the roll the
 * convocation froze (meeting_roll), so that the public record's
 * credential.issued events and the roll the server counts from cannot
 * diverge. 1 when the meeting is convened (or live, or closed), 0 when it
 * is unknown or still in preparation, -1 on error. */
int cred_meeting_convened(struct store *st, const char *meeting) WUR;

#define CRED_ERR_NOT_CONVENED (-3)	/* meeting unknown or not convened */
#define CRED_ERR_NOT_ON_ROLL (-4)	/* member not on its frozen roll */

/* Records a new active credential for member_no (inside a transaction).
 * Fails (-1) if the member is not active or already has an active
 * credential for the meeting; CRED_ERR_NOT_CONVENED before the meeting is
 * convened; CRED_ERR_NOT_ON_ROLL for a member the convocation did not
 * freeze on the meeting's roll. */
int cred_add(struct store *st, const char *member_no, const char *meeting,
    const uint8_t pk[32], const char *origin) WUR;
/* The same, replacing old_pk (revoked by cred_revoke_ex in the same
 * transaction): the public record says credential.reissued. old_pk NULL:
 * cred_add. Once the meeting's record froze its roll, only a reissue can
 * add a credential (cred_add fails). */
int cred_add_ex(struct store *st, const char *member_no, const char *meeting,
    const uint8_t pk[32], const char *origin, const uint8_t *old_pk) WUR;

/* Revokes the active credential of member_no for meeting (inside a
 * transaction). */
int cred_revoke(struct store *st, const char *member_no, const char *meeting,
    const char *reason) WUR;
/* The same; with old_pk non-NULL, OUT the revoked key, and the record
 * event is left to the cred_add_ex that follows (a reissue). */
int cred_revoke_ex(struct store *st, const char *member_no,
    const char *meeting, const char *reason, uint8_t *old_pk /* [32] */) WUR;

enum cred_activate_result {
	CRED_ACT_OK = 0,
	CRED_ACT_ALREADY = 1,	/* was active already: same answer, no change */
	CRED_ACT_UNKNOWN = 2,	/* no such credential for this meeting */
	CRED_ACT_REVOKED = 3,
	CRED_ACT_BAD_SIG = 4,
	CRED_ACT_STALE = 5,	/* time outside the window */
	CRED_ACT_ERROR = 6,	/* storage error */
};

/* The statement a member signs: T("credential-activate", meeting, pk,
 * LE64 ts). OUT: buf (cap bytes); returns its length or 0. */
size_t cred_statement_activate(uint8_t *buf, size_t cap, const char *meeting,
    const uint8_t pk[32], uint64_t ts);
/* The statement the server signs in return: T("credential-activated",
 * meeting, pk, LE64 at). */
size_t cred_statement_activated(uint8_t *buf, size_t cap,
    const char *meeting, const uint8_t pk[32], uint64_t at);

/* Checks the signature and the clock, marks the credential activated the
 * first time (recorded). OUT: *at, the activation time. */
enum cred_activate_result cred_activate(struct store *st,
    const char *meeting, const uint8_t pk[32], uint64_t ts,
    const uint8_t sig[64], uint64_t now, uint64_t *at);

/*
 * Imports a public list (JSON, see docs/server.md) in one transaction: all
 * entries or none. OUT: *count; on failure a French message in err.
 */
int cred_import_public(struct store *st, const uint8_t *data, size_t len,
    size_t *count, char *err, size_t errcap) WUR;

#endif

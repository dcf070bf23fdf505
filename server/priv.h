/*
 * priv.h — the boundary between the network process and the privileged
 * process: message types, their payloads, and the two sides' functions.
 *
 * The privileged process (priv_run) owns roll.db, box.db and the server's
 * Ed25519 signing key. The network process (web.c) holds none of them: it
 * calls the priv_* client functions below, each of which sends one request
 * and waits for its one reply over a SOCK_SEQPACKET socketpair (imsg.h).
 * CivetWeb runs handlers on many threads; the client keeps many requests
 * in flight over the one channel (the privileged side is one thread and
 * SQLite serialises writes anyway), matches each reply to its request by
 * id and checks the expected type.
 *
 * Payloads (imsg.h field encodings; every reader ends with m_end):
 *
 *   STATUS_REQ     (empty)
 *   STATUS_REP     u32 roll_version, u32 box_version, u64 members_active,
 *                  u64 credentials_active, u64 events, 32 server_pk
 *   ACTIVATE_REQ   str meeting (<= 64), 32 pk, u64 ts, 64 sig
 *   ACTIVATE_REP   u32 result (enum cred_activate_result), u64 at,
 *                  64 server_sig (zero unless result is OK or ALREADY)
 *   API_REQ        u32 op (enum meeting_op), str meeting (<= 64), str sub
 *                  (<= 64), str auth (<= 64), u32 len, len bytes of JSON
 *                  body (<= PRIV_API_BODY_MAX)
 *   API_REP        u32 status, str code (<= 32), str field (<= 32), u32 len,
 *                  len bytes of JSON (the response document, or empty)
 *   NOTIFY_REQ     u64 after, u32 wait_ms (<= 30000)
 *   NOTIFY_REP     u32 len, len bytes of JSON ({"seq", "oldest", "events"})
 *                  or empty when nothing came within wait_ms
 *   ERROR_REP      u32 code (PRIV_ERR_*)
 *   PART           a piece of a reply longer than one record
 *                  (IMSG_MAX_PAYLOAD): the reply's first bytes, in order,
 *                  as many PART records of IMSG_MAX_PAYLOAD bytes as
 *                  needed (same id), then the reply's own record with the
 *                  rest; the client joins them (at most PRIV_REPLY_MAX
 *                  bytes in all) before reading the fields. Only API_REP
 *                  and NOTIFY_REP are ever split (a meeting view or
 *                  minutes of a long agenda, a burst of events).
 *
 * API_REQ for ballots and NOTIFY_REQ are answered out of order (after the
 * verification and group commit, or when a notification arrives): the
 * client matches replies by id (several requests in flight).
 */
#ifndef SCRUTIN_SERVER_PRIV_H
#define SCRUTIN_SERVER_PRIV_H

#include <stdint.h>
#include <sys/types.h>

#include "server/scrutin.h"

enum priv_msg {
	IMSG_STATUS_REQ = 1,
	IMSG_STATUS_REP = 2,
	IMSG_ACTIVATE_REQ = 3,
	IMSG_ACTIVATE_REP = 4,
	IMSG_API_REQ = 5,
	IMSG_API_REP = 6,
	IMSG_NOTIFY_REQ = 7,
	IMSG_NOTIFY_REP = 8,
	IMSG_PART = 9,
	IMSG_ERROR_REP = 0x7fff,
};

enum priv_err {
	PRIV_ERR_MALFORMED = 1,	/* request did not decode exactly */
	PRIV_ERR_UNKNOWN = 2,	/* unknown message type */
	PRIV_ERR_INTERNAL = 3,	/* storage error */
};

#define PRIV_TIMEOUT_MS 10000
/* The longest reply, all its records joined. */
#define PRIV_REPLY_MAX (16u << 20)
#define PRIV_API_BODY_MAX 61440u	/* ≥ web.c's BALLOT_BODY_CAP */
#define PRIV_VERIFIERS 2
/* Queued ballots a verifier takes at once (one ballot_verify_batch). */
#define PRIV_VERIFY_BATCH 128
#define PRIV_KEY_FILE "server-sign.key"

/* ---- privileged side ---- */

/*
 * Serves the network process's requests until a SIGTERM/SIGINT arrives or
 * the network process's supervisor (child, supervise.c) exits; the
 * channel to each network process arrives on ctl (supervise_channel_recv),
 * and a channel that closes only waits for the next. Then stops the
 * supervisor and returns its exit status (non-zero when it gave up
 * restarting the network process), or -1 on error. Opens the store and
 * loads (creating on first start) the signing key itself, after the fork.
 */
int priv_run(int ctl, const char *datadir, pid_t child) WUR;

/* Loads datadir/server-sign.key (a 32-byte seed, 0600), creating it when
 * absent. OUT: *sk (64 bytes in sodium_malloc memory; sodium_free), pk. */
int priv_key_load(const char *datadir, uint8_t **sk, uint8_t pk[32]) WUR;

/* The dispatcher on one decoded request, exposed for the fuzz target:
 * OUT: the reply's type and payload. */
struct store;
struct imsg;
struct mbuf;
uint32_t priv_dispatch(struct store *st, const uint8_t *sk,
    const uint8_t pk[32], const struct imsg *req, struct mbuf *rep);

/* ---- network side ---- */

struct priv_client;
struct priv_client *priv_client_new(int fd);
void priv_client_free(struct priv_client *c);
/* Whether the channel to the privileged process was closed (a reply over
 * PRIV_REPLY_MAX, a malformed record, the peer gone): every later call fails
 * at once. */
int priv_client_broken(struct priv_client *c);
/* fn is called once, from whichever thread sees it, when the channel
 * closes (the network process then stops, and its supervisor starts a new
 * one with a new channel: supervise.c). Must be async-signal-safe work. */
void priv_client_on_break(struct priv_client *c, void (*fn)(void));

struct priv_status {
	uint32_t roll_version, box_version;
	uint64_t members_active, credentials_active, events;
	uint8_t server_pk[32];
	/* The storage (server/storage.h): 0 healthy, else degraded since
	 * storage_since (Unix time), with the code, reason and sentences
	 * of a refusal; free_mb -1 when unknown. */
	uint32_t storage;
	uint64_t storage_since, storage_failures;
	int64_t free_mb;
	char storage_code[33], storage_reason[17];
	char storage_fr[512], storage_en[512];
};

struct priv_activate {
	uint32_t result;
	uint64_t at;
	uint8_t server_sig[64];
};

/* Each returns 0, or -1 when the privileged process did not answer
 * properly: a malformed or unexpected reply closes the channel for good
 * (503 from then on); a reply later than PRIV_TIMEOUT_MS fails this
 * request only (its late reply is dropped when it comes). */
int priv_status_get(struct priv_client *c, struct priv_status *out) WUR;
int priv_activate(struct priv_client *c, const char *meeting,
    const uint8_t pk[32], uint64_t ts, const uint8_t sig[64],
    struct priv_activate *out) WUR;

/* One API call (meeting.h). OUT *status, code (cap 33), field (cap 33),
 * *json (malloc'd text, NUL-terminated, may be empty; caller frees). */
int priv_api(struct priv_client *c, uint32_t op, const char *meeting,
    const char *sub, const char *auth, const uint8_t *body, size_t len,
    int *status, char code[33], char field[33], char **json) WUR;
/* Waits up to wait_ms for notifications after `after`. OUT *json
 * (malloc'd) or NULL when none came. */
int priv_notify_wait(struct priv_client *c, uint64_t after, uint32_t wait_ms,
    char **json) WUR;

#endif

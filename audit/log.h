/*
 * log.h — the hash-chained event log of the public election record
 * (docs/record.md §2–3).
 *
 * Each event is one line of JSON
 *   {"seq":N,"parent":"hex32","time":"YYYY-MM-DDTHH:MM:SSZ","kind":K,"payload":{…}}
 * whose hash is H256("event", the exact line bytes without the newline)
 * (docs/protocol.md §2 framing). `parent` is the previous event's hash,
 * 32 zero bytes for the first event (seq 0). A checkpoint event carries
 * the server's Ed25519 signature over T("checkpoint", meeting_id, LE64
 * seq, head) where (seq, head) name the event just before it.
 *
 * Storage-agnostic: the caller stores the lines (SQL, file) and keeps the
 * chain state (next seq, head hash); nothing here does I/O. Trusts
 * libsodium and jansson. Invariants: a line produced here never contains
 * a newline; the chain state advances only when a line is produced or
 * accepted; a signing key passed in is never copied.
 */
#ifndef SCRUTIN_AUDIT_LOG_H
#define SCRUTIN_AUDIT_LOG_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "crypto/error.h"

#define AUDIT_HASH_BYTES 32
/* The largest integer a JSON field holds here (jansson's json_int_t). */
#define AUDIT_JSON_INT_MAX ((uint64_t)LLONG_MAX)
#define AUDIT_TIME_LEN 20		/* "YYYY-MM-DDTHH:MM:SSZ" */
#define AUDIT_KIND_MAX 32
#define AUDIT_MEETING_ID_MAX 64
/* T("checkpoint", meeting_id, LE64 seq, head): at most this many bytes. */
#define AUDIT_CHECKPOINT_MSG_MAX (13 + 14 + 4 + AUDIT_MEETING_ID_MAX + 12 + 36)

typedef struct {
	uint64_t next_seq;		/* seq of the next event */
	uint8_t head[AUDIT_HASH_BYTES];	/* hash of the last event, or zeros */
} audit_chain;

/* OUT an empty chain: next_seq 0, head 32 zero bytes. */
void audit_chain_init(audit_chain *c);

/* OUT h = H256("event", line) over len bytes (no newline). */
void audit_event_hash(uint8_t h[AUDIT_HASH_BYTES], const char *line,
    size_t len);

/* 0 if s is exactly AUDIT_TIME_LEN characters "YYYY-MM-DDTHH:MM:SSZ"
 * with a real calendar date and time; -1 otherwise. */
int audit_time_check(const char *s, size_t len) SCRUTIN_WUR;
/* OUT the current UTC time in that format (and a NUL). */
void audit_time_now(char out[AUDIT_TIME_LEN + 1]);

/* Formats the next event of c: OUT *line (malloc'd, NUL-terminated, no
 * newline; caller frees with free), *len, hash (optional). payload must
 * be a JSON object (borrowed). kind: 1–32 of [a-z._]. On success the
 * chain advances; on failure (-1) nothing changes. */
int audit_log_append(audit_chain *c, const char *time, const char *kind,
    const json_t *payload, char **line, size_t *len,
    uint8_t *hash /* [32] or NULL */) SCRUTIN_WUR;

/* Accepts a stored line as the next event of c: seq must be next_seq and
 * parent the current head. OUT hash (optional). Advances the chain on
 * success; -1 (and nothing changes) otherwise. The caller has parsed seq
 * and parent from the line (record.h). */
int audit_chain_accept(audit_chain *c, uint64_t seq,
    const uint8_t parent[AUDIT_HASH_BYTES], const char *line, size_t len,
    uint8_t *hash /* [32] or NULL */) SCRUTIN_WUR;

/* OUT msg = T("checkpoint", meeting_id, LE64 seq, head); returns its
 * length, 0 if meeting_id is empty or longer than 64 bytes. The signer
 * (the server's key holder) signs exactly these bytes. */
size_t audit_checkpoint_message(uint8_t msg[AUDIT_CHECKPOINT_MSG_MAX],
    const char *meeting_id, uint64_t seq,
    const uint8_t head[AUDIT_HASH_BYTES]);
/* Signs the message above with an Ed25519 secret key (64 bytes, libsodium
 * layout). */
int audit_checkpoint_sign(uint8_t sig[64], const uint8_t sk[64],
    const char *meeting_id, uint64_t seq,
    const uint8_t head[AUDIT_HASH_BYTES]) SCRUTIN_WUR;
int audit_checkpoint_verify(const uint8_t sig[64], const uint8_t pk[32],
    const char *meeting_id, uint64_t seq,
    const uint8_t head[AUDIT_HASH_BYTES]) SCRUTIN_WUR;

/* Appends a checkpoint event for the current head of c, signed with the
 * given signature (from audit_checkpoint_sign or a separate signer over
 * audit_checkpoint_message(next_seq − 1, head)). c must hold ≥ 1 event. */
int audit_log_append_checkpoint(audit_chain *c, const char *time,
    const uint8_t sig[64], char **line, size_t *len,
    uint8_t *hash /* [32] or NULL */) SCRUTIN_WUR;

#endif

/*
 * log.c — formats, hashes, chains and signs the events of the record
 * (log.h, docs/record.md §2–3). No I/O: the caller stores the bytes.
 *
 * The hash covers the stored bytes, not a re-serialisation, so no JSON
 * canonicalisation is needed: whatever jansson (or another writer)
 * produced is what is hashed, and a verifier hashes the line it read.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "audit/log.h"
#include "crypto/group.h"
#include "crypto/hex.h"

void
audit_chain_init(audit_chain *c)
{
	c->next_seq = 0;
	memset(c->head, 0, sizeof c->head);
}

void
audit_event_hash(uint8_t h[AUDIT_HASH_BYTES], const char *line, size_t len)
{
	transcript t;

	transcript_init(&t, TRANSCRIPT_H256, "event");
	transcript_field(&t, line, len);
	transcript_final(&t, h);
}

static int
digits(const char *s, size_t n, unsigned *out)
{
	unsigned v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10u + (unsigned)(s[i] - '0');
	}
	*out = v;
	return 0;
}

int
audit_time_check(const char *s, size_t len)
{
	static const unsigned mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31,
	    30, 31, 30, 31 };
	unsigned y, mo, d, h, mi, se;

	if (len != AUDIT_TIME_LEN || s[4] != '-' || s[7] != '-' ||
	    s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')
		return -1;
	if (digits(s, 4, &y) || digits(s + 5, 2, &mo) || digits(s + 8, 2, &d) ||
	    digits(s + 11, 2, &h) || digits(s + 14, 2, &mi) ||
	    digits(s + 17, 2, &se))
		return -1;
	if (y < 2000 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    h > 23 || mi > 59 || se > 59)
		return -1;
	if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return -1;
	return 0;
}

void
audit_time_now(char out[AUDIT_TIME_LEN + 1])
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	if (strftime(out, AUDIT_TIME_LEN + 1, "%Y-%m-%dT%H:%M:%SZ", &tm) !=
	    AUDIT_TIME_LEN)
		memcpy(out, "2000-01-01T00:00:00Z", AUDIT_TIME_LEN + 1);
}

static int
kind_check(const char *kind)
{
	size_t n = strlen(kind);

	if (n == 0 || n > AUDIT_KIND_MAX)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!((kind[i] >= 'a' && kind[i] <= 'z') || kind[i] == '.' ||
		    kind[i] == '_'))
			return -1;
	return 0;
}

int
audit_log_append(audit_chain *c, const char *time, const char *kind,
    const json_t *payload, char **line, size_t *len, uint8_t *hash)
{
	char parent[2 * AUDIT_HASH_BYTES + 1];
	json_t *ev = NULL;
	char *s = NULL;
	int rc = -1;

	*line = NULL;
	*len = 0;
	if (!json_is_object(payload) || kind_check(kind) != 0 ||
	    audit_time_check(time, strlen(time)) != 0 ||
	    c->next_seq > AUDIT_JSON_INT_MAX)
		return -1;
	if (hex_encode(parent, sizeof parent, c->head, sizeof c->head) != 0)
		return -1;
	ev = json_pack("{s:I,s:s,s:s,s:s,s:O}", "seq",
	    (json_int_t)c->next_seq, "parent", parent, "time", time, "kind",
	    kind, "payload", payload);
	if (ev == NULL)
		goto out;
	/* Compact, key order as built, non-ASCII kept as UTF-8: newlines in
	 * strings are escaped by jansson, so the line has none. */
	s = json_dumps(ev, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (s == NULL || strchr(s, '\n') != NULL)
		goto out;
	*len = strlen(s);
	audit_event_hash(c->head, s, *len);
	if (hash != NULL)
		memcpy(hash, c->head, AUDIT_HASH_BYTES);
	c->next_seq++;
	*line = s;
	s = NULL;
	rc = 0;
out:
	free(s);
	json_decref(ev);
	return rc;
}

int
audit_chain_accept(audit_chain *c, uint64_t seq,
    const uint8_t parent[AUDIT_HASH_BYTES], const char *line, size_t len,
    uint8_t *hash)
{
	if (seq != c->next_seq ||
	    memcmp(parent, c->head, AUDIT_HASH_BYTES) != 0)
		return -1;
	audit_event_hash(c->head, line, len);
	if (hash != NULL)
		memcpy(hash, c->head, AUDIT_HASH_BYTES);
	c->next_seq++;
	return 0;
}

size_t
audit_checkpoint_message(uint8_t msg[AUDIT_CHECKPOINT_MSG_MAX],
    const char *meeting_id, uint64_t seq,
    const uint8_t head[AUDIT_HASH_BYTES])
{
	size_t n = strlen(meeting_id);
	framebuf b;

	if (n == 0 || n > AUDIT_MEETING_ID_MAX)
		return 0;
	framebuf_init(&b, msg, AUDIT_CHECKPOINT_MSG_MAX);
	framebuf_field(&b, "scrutin/1", 9);
	framebuf_field(&b, "checkpoint", 10);
	framebuf_field(&b, meeting_id, n);
	framebuf_field_u64(&b, seq);
	framebuf_field(&b, head, AUDIT_HASH_BYTES);
	return b.overflow ? 0 : b.len;
}

int
audit_checkpoint_sign(uint8_t sig[64], const uint8_t sk[64],
    const char *meeting_id, uint64_t seq,
    const uint8_t head[AUDIT_HASH_BYTES])
{
	uint8_t msg[AUDIT_CHECKPOINT_MSG_MAX];
	size_t n = audit_checkpoint_message(msg, meeting_id, seq, head);

	if (n == 0)
		return -1;
	return crypto_sign_detached(sig, NULL, msg, n, sk) == 0 ? 0 : -1;
}

int
audit_checkpoint_verify(const uint8_t sig[64], const uint8_t pk[32],
    const char *meeting_id, uint64_t seq,
    const uint8_t head[AUDIT_HASH_BYTES])
{
	uint8_t msg[AUDIT_CHECKPOINT_MSG_MAX];
	size_t n = audit_checkpoint_message(msg, meeting_id, seq, head);

	if (n == 0)
		return -1;
	return crypto_sign_verify_detached(sig, msg, n, pk) == 0 ? 0 : -1;
}

int
audit_log_append_checkpoint(audit_chain *c, const char *time,
    const uint8_t sig[64], char **line, size_t *len, uint8_t *hash)
{
	char head[2 * AUDIT_HASH_BYTES + 1], sighex[129];
	json_t *p;
	int rc;

	*line = NULL;
	*len = 0;
	if (c->next_seq == 0 ||
	    hex_encode(head, sizeof head, c->head, AUDIT_HASH_BYTES) != 0 ||
	    hex_encode(sighex, sizeof sighex, sig, 64) != 0)
		return -1;
	p = json_pack("{s:I,s:s,s:s}", "seq", (json_int_t)(c->next_seq - 1),
	    "head", head, "sig", sighex);
	if (p == NULL)
		return -1;
	rc = audit_log_append(c, time, "checkpoint", p, line, len, hash);
	json_decref(p);
	return rc;
}

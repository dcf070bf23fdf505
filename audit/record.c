/*
 * record.c — the streaming line reader and the strict event parser of
 * record.h. The reader keeps one buffer of at most line_max + 1 bytes
 * plus one read block; a longer line is an error, not a reallocation.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/record.h"
#include "crypto/hex.h"

#define READ_BLOCK (256u * 1024u)

struct audit_reader {
	int fd;
	size_t line_max;
	uint64_t events_max, events;
	char *buf;
	size_t cap, start, end;		/* unconsumed bytes: buf[start..end) */
	uint64_t offset;		/* bytes consumed */
	int eof;
};

audit_reader *
audit_reader_new(int fd, size_t line_max, uint64_t events_max)
{
	audit_reader *r = calloc(1, sizeof *r);

	if (r == NULL)
		abort();
	r->fd = fd;
	r->line_max = line_max;
	r->events_max = events_max;
	r->cap = line_max + 1 + READ_BLOCK;
	if ((r->buf = malloc(r->cap)) == NULL)
		abort();
	return r;
}

void
audit_reader_free(audit_reader *r)
{
	if (r == NULL)
		return;
	free(r->buf);
	free(r);
}

uint64_t
audit_reader_offset(const audit_reader *r)
{
	return r->offset;
}

int
audit_reader_next(audit_reader *r, const char **line, size_t *len, char *err,
    size_t errlen)
{
	size_t scanned = 0;

	for (;;) {
		char *nl = memchr(r->buf + r->start + scanned, '\n',
		    r->end - r->start - scanned);
		if (nl != NULL) {
			size_t n = (size_t)(nl - (r->buf + r->start));
			if (n > r->line_max)
				break;
			if (++r->events > r->events_max) {
				snprintf(err, errlen, "more than %llu events",
				    (unsigned long long)r->events_max);
				return -1;
			}
			*nl = '\0';
			*line = r->buf + r->start;
			*len = n;
			r->start += n + 1;
			r->offset += n + 1;
			return 1;
		}
		scanned = r->end - r->start;
		if (scanned > r->line_max)
			break;
		if (r->eof) {
			if (scanned == 0)
				return 0;
			snprintf(err, errlen, "last line has no newline");
			return -1;
		}
		/* Make room: move the partial line to the front. */
		if (r->cap - r->end < READ_BLOCK) {
			memmove(r->buf, r->buf + r->start, scanned);
			r->start = 0;
			r->end = scanned;
		}
		ssize_t got = read(r->fd, r->buf + r->end, r->cap - r->end);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "read error: %s", strerror(errno));
			return -1;
		}
		if (got == 0)
			r->eof = 1;
		r->end += (size_t)got;
	}
	snprintf(err, errlen, "line longer than %zu bytes", r->line_max);
	return -1;
}

void
audit_event_clear(audit_event *ev)
{
	json_decref(ev->root);
	ev->root = NULL;
	ev->payload = NULL;
}

static const char *const event_keys[] = { "seq", "parent", "time", "kind",
	"payload" };

int
audit_event_parse(audit_event *ev, const char *line, size_t len, char *err,
    size_t errlen)
{
	json_error_t je;
	const char *bad = NULL, *s;
	size_t slen;
	uint64_t seq;

	memset(ev, 0, sizeof *ev);
	for (size_t i = 0; i < len; i++) {
		if ((unsigned char)line[i] < 0x20) {
			snprintf(err, errlen, "control byte in line");
			return -1;
		}
	}
	if (len == 0 || line[0] != '{' || line[len - 1] != '}') {
		snprintf(err, errlen, "not a JSON object");
		return -1;
	}
	ev->root = json_loadb(line, len, JSON_REJECT_DUPLICATES, &je);
	if (ev->root == NULL) {
		snprintf(err, errlen, "invalid JSON: %s", je.text);
		return -1;
	}
	if (audit_json_keys(ev->root, event_keys, 5, &bad) != 0) {
		snprintf(err, errlen, "event field %s missing or unknown",
		    bad ? bad : "?");
		return -1;
	}
	if (audit_json_u64(ev->root, "seq", AUDIT_JSON_INT_MAX,
	    &seq) != 0) {
		snprintf(err, errlen, "invalid seq");
		return -1;
	}
	ev->seq = seq;
	if (audit_json_hex(ev->root, "parent", ev->parent, AUDIT_HASH_BYTES)) {
		snprintf(err, errlen, "invalid parent");
		return -1;
	}
	if (audit_json_str(ev->root, "time", AUDIT_TIME_LEN, &s, &slen) ||
	    audit_time_check(s, slen) != 0) {
		snprintf(err, errlen, "invalid time");
		return -1;
	}
	memcpy(ev->time, s, slen + 1);
	if (audit_json_str(ev->root, "kind", AUDIT_KIND_MAX, &s, &slen)) {
		snprintf(err, errlen, "invalid kind");
		return -1;
	}
	for (size_t i = 0; i < slen; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '.' ||
		    s[i] == '_')) {
			snprintf(err, errlen, "invalid kind");
			return -1;
		}
	}
	memcpy(ev->kind, s, slen + 1);
	ev->payload = json_object_get(ev->root, "payload");
	if (!json_is_object(ev->payload)) {
		snprintf(err, errlen, "payload is not an object");
		return -1;
	}
	return 0;
}

int
audit_json_keys(const json_t *obj, const char *const *keys, size_t nkeys,
    const char **bad)
{
	const char *k;
	json_t *v;
	size_t found = 0;

	*bad = NULL;
	if (!json_is_object(obj))
		return -1;
	json_object_foreach((json_t *)obj, k, v) {
		size_t i;
		(void)v;
		for (i = 0; i < nkeys; i++) {
			const char *want = keys[i][0] == '?' ? keys[i] + 1 :
			    keys[i];
			if (strcmp(k, want) == 0)
				break;
		}
		if (i == nkeys) {
			*bad = k;
			return -1;
		}
		found++;
	}
	for (size_t i = 0; i < nkeys; i++) {
		if (keys[i][0] != '?' && json_object_get(obj, keys[i]) == NULL) {
			*bad = keys[i];
			return -1;
		}
	}
	(void)found;
	return 0;
}

int
audit_json_hexval(const json_t *v, uint8_t *out, size_t len)
{
	if (!json_is_string(v) || json_string_length(v) != 2 * len)
		return -1;
	return hex_decode(out, len, json_string_value(v), 2 * len) == 0 ?
	    0 : -1;
}

int
audit_json_hex(const json_t *obj, const char *key, uint8_t *out, size_t len)
{
	return audit_json_hexval(json_object_get(obj, key), out, len);
}

int
audit_json_hexvar(const json_t *obj, const char *key, uint8_t **out,
    size_t *len, size_t max)
{
	const json_t *v = json_object_get(obj, key);
	size_t n;

	*out = NULL;
	*len = 0;
	if (!json_is_string(v))
		return -1;
	n = json_string_length(v);
	if (n % 2 != 0 || n / 2 > max)
		return -1;
	if ((*out = malloc(n / 2 ? n / 2 : 1)) == NULL)
		abort();
	if (hex_decode(*out, n / 2, json_string_value(v), n) != 0) {
		free(*out);
		*out = NULL;
		return -1;
	}
	*len = n / 2;
	return 0;
}

int
audit_json_u64(const json_t *obj, const char *key, uint64_t max,
    uint64_t *out)
{
	const json_t *v = json_object_get(obj, key);
	json_int_t i;

	if (!json_is_integer(v))
		return -1;
	i = json_integer_value(v);
	if (i < 0 || (uint64_t)i > max)
		return -1;
	*out = (uint64_t)i;
	return 0;
}

int
audit_json_str(const json_t *obj, const char *key, size_t max,
    const char **out, size_t *len)
{
	const json_t *v = json_object_get(obj, key);

	if (!json_is_string(v))
		return -1;
	*len = json_string_length(v);
	*out = json_string_value(v);
	if (*len == 0 || *len > max || strlen(*out) != *len)
		return -1;
	return 0;
}

int
audit_json_bool(const json_t *obj, const char *key, bool *out)
{
	const json_t *v = json_object_get(obj, key);

	if (!json_is_boolean(v))
		return -1;
	*out = json_is_true(v);
	return 0;
}

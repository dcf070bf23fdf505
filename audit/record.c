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
#include "common/xmalloc.h"

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
	audit_reader *r = xcalloc(1, sizeof *r);

	r->fd = fd;
	r->line_max = line_max;
	r->events_max = events_max;
	r->cap = line_max + 1 + READ_BLOCK;
	r->buf = xmalloc(r->cap);
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
	*out = xmalloc(n / 2);
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

/* --- fast path ---------------------------------------------------------- */

/* A plain string at *p ('"', then bytes 0x20–0x7e other than '"' and
 * '\\', then '"'): OUT its bytes. Advances *p past the closing quote. */
static int
flat_str(const char **p, const char *end, const char **s, size_t *n)
{
	const char *q = *p;

	if (q >= end || *q != '"')
		return -1;
	*s = ++q;
	while (q < end && *q != '"') {
		unsigned char c = (unsigned char)*q;
		if (c < 0x20 || c > 0x7e || c == '\\')
			return -1;
		q++;
	}
	if (q >= end)
		return -1;
	*n = (size_t)(q - *s);
	*p = q + 1;
	return 0;
}

/* A JSON integer ≥ 0 without leading zeros, ≤ AUDIT_JSON_INT_MAX. */
static int
flat_int(const char **p, const char *end, uint64_t *out)
{
	const char *q = *p;
	uint64_t v = 0;

	if (q >= end || *q < '0' || *q > '9')
		return -1;
	if (*q == '0' && q + 1 < end && q[1] >= '0' && q[1] <= '9')
		return -1;
	for (; q < end && *q >= '0' && *q <= '9'; q++) {
		if (v > (AUDIT_JSON_INT_MAX - (uint64_t)(*q - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*q - '0');
	}
	/* A fraction or an exponent is another type: not flat. */
	if (q < end && (*q == '.' || *q == 'e' || *q == 'E'))
		return -1;
	*out = v;
	*p = q;
	return 0;
}

static int
flat_lit(const char **p, const char *end, const char *lit, size_t n)
{
	if ((size_t)(end - *p) < n || memcmp(*p, lit, n) != 0)
		return -1;
	*p += n;
	return 0;
}
#define FLAT_LIT(p, end, s) flat_lit((p), (end), (s), sizeof(s) - 1)

int
audit_event_parse_flat(audit_flat_event *ev, const char *line, size_t len)
{
	const char *p = line, *end = line + len, *s;
	size_t n;

	if (FLAT_LIT(&p, end, "{\"seq\":") || flat_int(&p, end, &ev->seq) ||
	    FLAT_LIT(&p, end, ",\"parent\":") || flat_str(&p, end, &s, &n) ||
	    n != 2 * AUDIT_HASH_BYTES ||
	    hex_decode(ev->parent, AUDIT_HASH_BYTES, s, n) != 0 ||
	    FLAT_LIT(&p, end, ",\"time\":") || flat_str(&p, end, &s, &n) ||
	    audit_time_check(s, n) != 0)
		return 0;
	memcpy(ev->time, s, n);
	ev->time[n] = '\0';
	if (FLAT_LIT(&p, end, ",\"kind\":") || flat_str(&p, end, &s, &n) ||
	    n == 0 || n > AUDIT_KIND_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '.' ||
		    s[i] == '_'))
			return 0;
	memcpy(ev->kind, s, n);
	ev->kind[n] = '\0';
	if (FLAT_LIT(&p, end, ",\"payload\":{"))
		return 0;
	ev->n = 0;
	for (;;) {
		audit_flat_field *f;

		if (ev->n == AUDIT_FLAT_MAX)
			return 0;
		f = &ev->f[ev->n];
		if (flat_str(&p, end, &f->key, &f->klen) || f->klen == 0 ||
		    FLAT_LIT(&p, end, ":"))
			return 0;
		for (size_t i = 0; i < ev->n; i++)
			if (ev->f[i].klen == f->klen &&
			    memcmp(ev->f[i].key, f->key, f->klen) == 0)
				return 0;	/* duplicate: the slow path says so */
		f->num = 0;
		if (p < end && *p == '"') {
			if (flat_str(&p, end, &f->val, &f->vlen))
				return 0;
			f->type = AUDIT_FLAT_STR;
		} else if (p < end && (*p == 't' || *p == 'f')) {
			f->val = p;
			if (FLAT_LIT(&p, end, "true") == 0)
				f->num = 1;
			else if (FLAT_LIT(&p, end, "false") != 0)
				return 0;
			f->type = AUDIT_FLAT_BOOL;
			f->vlen = (size_t)(p - f->val);
		} else {
			const char *v0 = p;
			if (flat_int(&p, end, &f->num))
				return 0;
			f->type = AUDIT_FLAT_INT;
			f->val = v0;
			f->vlen = (size_t)(p - v0);
		}
		ev->n++;
		if (p < end && *p == ',') {
			p++;
			continue;
		}
		break;
	}
	return FLAT_LIT(&p, end, "}}") == 0 && p == end;
}

const audit_flat_field *
audit_flat_get(const audit_flat_event *ev, const char *key)
{
	size_t kl = strlen(key);

	for (size_t i = 0; i < ev->n; i++)
		if (ev->f[i].klen == kl && memcmp(ev->f[i].key, key, kl) == 0)
			return &ev->f[i];
	return NULL;
}

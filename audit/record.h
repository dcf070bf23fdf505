/*
 * record.h — reading the public election record (docs/record.md): a file
 * of JSON lines, one event per line, each line ending with "\n".
 *
 * The reader streams the file with hard caps (line length, event count),
 * never holding more than one line. The line parser is strict: a JSON
 * object with exactly the keys seq, parent, time, kind, payload (jansson,
 * duplicate keys rejected, no NUL escapes, no control bytes in the line,
 * no trailing data), seq a non-negative integer, parent 64 lowercase hex
 * digits, time "YYYY-MM-DDTHH:MM:SSZ", kind 1–32 of [a-z._], payload an
 * object. The payload helpers below read one field each and reject
 * wrong types, lengths and encodings; audit_json_keys rejects unknown
 * fields. Trusts jansson. Everything else is untrusted input.
 */
#ifndef SCRUTIN_AUDIT_RECORD_H
#define SCRUTIN_AUDIT_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "audit/log.h"

/* Caps: a line (the meeting event carries the statutes profile, ≤ 1 MiB,
 * escaped) and the number of events of one record. */
#define AUDIT_LINE_MAX (4u * 1024u * 1024u)
#define AUDIT_EVENTS_MAX 50000000u

typedef struct {
	uint64_t seq;
	uint8_t parent[AUDIT_HASH_BYTES];
	char time[AUDIT_TIME_LEN + 1];
	char kind[AUDIT_KIND_MAX + 1];
	json_t *root;		/* owned; free with audit_event_clear */
	json_t *payload;	/* borrowed from root */
} audit_event;

/* Parses one line (without its newline). OUT *ev (its root owned by the
 * caller, freed with audit_event_clear even on failure). -1 with a short
 * English message in err on failure. */
int audit_event_parse(audit_event *ev, const char *line, size_t len,
    char *err, size_t errlen) SCRUTIN_WUR;
void audit_event_clear(audit_event *ev);

typedef struct audit_reader audit_reader;

/* A reader over an open file descriptor (not closed by the reader). */
audit_reader *audit_reader_new(int fd, size_t line_max, uint64_t events_max);
void audit_reader_free(audit_reader *r);
/* OUT the next line (without "\n"; valid until the next call) and its
 * length. Returns 1 for a line, 0 at the end of the file, -1 on error
 * (read error, line too long, missing final newline, too many events)
 * with a message in err. */
int audit_reader_next(audit_reader *r, const char **line, size_t *len,
    char *err, size_t errlen) SCRUTIN_WUR;
/* Bytes consumed so far (for progress). */
uint64_t audit_reader_offset(const audit_reader *r);

/* --- fast path for flat events ---------------------------------------
 * Nearly every line of a large record is a ballot or a check-in: an
 * event whose payload holds only plain strings and integers. The fast
 * path recognises exactly the writer's shape (no white space, keys
 * seq, parent, time, kind, payload in this order, payload values plain
 * ASCII strings without escapes, non-negative integers without leading
 * zeros or true/false, distinct payload keys) and returns pointers into the
 * line: no allocation, no copy. It accepts only lines that
 * audit_event_parse accepts too, with the same values; anything else
 * (white space, escapes, non-ASCII, other types, nesting, an integer
 * above AUDIT_JSON_INT_MAX…) is "not recognised" and the caller uses
 * audit_event_parse, which then accepts or rejects the line. */
#define AUDIT_FLAT_MAX 8

enum audit_flat_type { AUDIT_FLAT_STR, AUDIT_FLAT_INT, AUDIT_FLAT_BOOL };

typedef struct {
	const char *key, *val;	/* into the line, not NUL-terminated */
	size_t klen, vlen;
	enum audit_flat_type type;	/* STR: val holds its bytes */
	uint64_t num;		/* INT: the integer; BOOL: 1 true, 0 false */
} audit_flat_field;

typedef struct {
	uint64_t seq;
	uint8_t parent[AUDIT_HASH_BYTES];
	char time[AUDIT_TIME_LEN + 1];
	char kind[AUDIT_KIND_MAX + 1];
	size_t n;
	audit_flat_field f[AUDIT_FLAT_MAX];
} audit_flat_event;

/* 1 and OUT *ev when the line has the flat shape, 0 otherwise (then
 * *ev is unspecified). Never fails otherwise. */
int audit_event_parse_flat(audit_flat_event *ev, const char *line,
    size_t len) SCRUTIN_WUR;
/* The field named key (NUL-terminated), or NULL. */
const audit_flat_field *audit_flat_get(const audit_flat_event *ev,
    const char *key);
/* (Lowercase hex is decoded by crypto/hex.h's hex_decode.) */

/* --- strict payload fields ------------------------------------------ */

/* 0 if obj is an object whose keys are all in keys[] and that holds every
 * key of keys[] not starting with '?' ('?' marks an optional key, given
 * without the '?' in the object). OUT *bad: the first unknown or missing
 * key (for the message). */
int audit_json_keys(const json_t *obj, const char *const *keys, size_t nkeys,
    const char **bad) SCRUTIN_WUR;
/* Exactly len bytes as 2·len lowercase hex digits. */
int audit_json_hex(const json_t *obj, const char *key, uint8_t *out,
    size_t len) SCRUTIN_WUR;
/* Any even number of hex digits up to 2·max: OUT *out (malloc'd, caller
 * frees), *len. */
int audit_json_hexvar(const json_t *obj, const char *key, uint8_t **out,
    size_t *len, size_t max) SCRUTIN_WUR;
/* Hex of exactly len bytes in a JSON string value (array element). */
int audit_json_hexval(const json_t *v, uint8_t *out, size_t len) SCRUTIN_WUR;
/* A non-negative integer ≤ max. */
int audit_json_u64(const json_t *obj, const char *key, uint64_t max,
    uint64_t *out) SCRUTIN_WUR;
/* A string of 1..max bytes (valid UTF-8 by jansson). OUT borrowed. */
int audit_json_str(const json_t *obj, const char *key, size_t max,
    const char **out, size_t *len) SCRUTIN_WUR;
int audit_json_bool(const json_t *obj, const char *key, bool *out)
    SCRUTIN_WUR;

#endif

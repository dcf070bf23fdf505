/*
 * fuzz_record.c — the record line parsers (audit/record.c): any bytes are
 * split into lines like the reader does and each line goes through the
 * strict event parser, the payload field helpers and the fast path for
 * flat events; nothing may crash, leak or read out of bounds. The fast
 * path is also checked against the strict parser (differential): a line
 * it recognises must be accepted by audit_event_parse with the same seq,
 * parent, time, kind and payload (same keys, same strings, same
 * integers, same booleans) — otherwise the target aborts. Corpus:
 * tests/fuzz/corpus/record/ (lines of a generated record and near
 * misses: white space, escapes, leading zeros, upper-case hex, big
 * integers, duplicate keys).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "audit/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile int sink;

/* The fast path's view of a line equals the strict parser's. */
static void
flat_check(const char *line, size_t len)
{
	audit_flat_event fe;
	audit_event ev;
	char err[256];

	if (!audit_event_parse_flat(&fe, line, len))
		return;
	if (audit_event_parse(&ev, line, len, err, sizeof err) != 0)
		abort();	/* recognised, yet the strict parser refuses */
	if (ev.seq != fe.seq || memcmp(ev.parent, fe.parent, 32) != 0 ||
	    strcmp(ev.time, fe.time) != 0 || strcmp(ev.kind, fe.kind) != 0 ||
	    json_object_size(ev.payload) != fe.n)
		abort();
	for (size_t i = 0; i < fe.n; i++) {
		const audit_flat_field *f = &fe.f[i];
		char *key = malloc(f->klen + 1);
		const json_t *v;
		if (key == NULL)
			abort();
		memcpy(key, f->key, f->klen);
		key[f->klen] = '\0';
		if ((v = json_object_get(ev.payload, key)) == NULL ||
		    audit_flat_get(&fe, key) != f)
			abort();
		free(key);
		switch (f->type) {
		case AUDIT_FLAT_STR:
			if (!json_is_string(v) ||
			    json_string_length(v) != f->vlen ||
			    memcmp(json_string_value(v), f->val, f->vlen) != 0)
				abort();
			break;
		case AUDIT_FLAT_INT:
			if (!json_is_integer(v) ||
			    (uint64_t)json_integer_value(v) != f->num)
				abort();
			break;
		case AUDIT_FLAT_BOOL:
			if (!json_is_boolean(v) ||
			    (uint64_t)json_is_true(v) != f->num)
				abort();
			break;
		}
	}
	audit_event_clear(&ev);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const k[] = { "qid", "body", "?sig", "receipt" };
	size_t start = 0;

	while (start < size) {
		const uint8_t *nl = memchr(data + start, '\n', size - start);
		size_t len = nl ? (size_t)(nl - (data + start)) : size - start;
		audit_event ev;
		char err[256];

		flat_check((const char *)data + start, len);
		if (audit_event_parse(&ev, (const char *)data + start, len, err,
		    sizeof err) == 0) {
			const char *bad, *s;
			uint8_t buf[32], *var;
			size_t vl, sl;
			uint64_t u;
			bool b;
			int r = 0;
			r += audit_json_keys(ev.payload, k, 4, &bad);
			r += audit_json_hex(ev.payload, "receipt", buf, 32);
			if (audit_json_hexvar(ev.payload, "body", &var, &vl,
			    40000) == 0)
				free(var);
			r += audit_json_u64(ev.payload, "count", 1000, &u);
			r += audit_json_str(ev.payload, "qid", 64, &s, &sl);
			r += audit_json_bool(ev.payload, "secret", &b);
			sink += r;
		}
		audit_event_clear(&ev);
		start += len + 1;
	}
	return 0;
}

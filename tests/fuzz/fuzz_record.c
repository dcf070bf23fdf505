/*
 * fuzz_record.c — the record line parser (audit/record.c): any bytes are
 * split into lines like the reader does and each line goes through the
 * strict event parser and the payload field helpers; nothing may crash,
 * leak or read out of bounds. Corpus: tests/fuzz/corpus/record/ (lines
 * of a generated record and near misses).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "audit/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile int sink;

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

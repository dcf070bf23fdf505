/*
 * fuzz_csv.c — the member roll parser on arbitrary bytes. Checks the
 * parser's own invariants: every kept row has every field, valid UTF-8,
 * no field over the cap; every message formats.
 */
#include <stdlib.h>
#include <string.h>

#include "server/roll.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct roll_parse p;
	char msg[256];

	if (roll_parse(&p, data, size) != 0) {
		roll_ferr_format(msg, sizeof msg, &p, ROLL_FR);
		if (p.nrows != 0)
			abort();
	}
	for (size_t i = 0; i < p.nrows; i++)
		for (int c = 0; c < COL_COUNT; c++) {
			const char *f = p.rows[i].f[c];
			if (f == NULL || strlen(f) > ROLL_MAX_FIELD ||
			    !utf8_valid((const uint8_t *)f, strlen(f)))
				abort();
		}
	for (size_t i = 0; i < p.nrejects; i++) {
		roll_reject_format(msg, sizeof msg, &p.rejects[i], ROLL_FR);
		roll_reject_format(msg, sizeof msg, &p.rejects[i], ROLL_EN);
		if (!utf8_valid((const uint8_t *)p.rejects[i].value,
		        strlen(p.rejects[i].value)))
			abort();
	}
	roll_parse_free(&p);
	return 0;
}

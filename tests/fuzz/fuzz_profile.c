/*
 * fuzz_profile.c — libFuzzer target for the statutes profile loader
 * (ballot-formats/profile.c over ytree.c). Any input must either load or
 * be refused with a message; never crash, leak or read out of bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ballot-formats/profile.h"
#include "common/xmalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct profile *p = xcalloc(1, sizeof *p);
	struct st_msg err;

	if (profile_load(p, "fuzz", data, size, &err) != 0) {
		if (err.fr[0] == '\0' || err.en[0] == '\0')
			abort();            /* a refusal always says why, in both languages */
	} else if (p->n_bodies == 0) {
		abort();                    /* a loaded profile has a body */
	}
	free(p);
	return 0;
}

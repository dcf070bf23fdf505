/*
 * util.c — secure allocation (see util.h). Aborting on out-of-memory is
 * deliberate: a half-built cryptographic object is never returned.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crypto/util.h"

void *
util_secure_alloc(size_t size)
{
	void *p = sodium_malloc(size);

	if (p == NULL) {
		fputs("scrutin: out of secure memory\n", stderr);
		abort();
	}
	memset(p, 0, size);
	return p;
}

void
util_secure_free(void *p)
{
	sodium_free(p);	/* wipes, then unmaps; NULL is fine */
}

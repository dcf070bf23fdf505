/*
 * util.h — allocation helpers of crypto/ (internal).
 *
 * Out-of-memory aborts here, in one place, so that error paths elsewhere
 * are for real errors only. Secret-holding objects use util_secure_alloc
 * (sodium_malloc: guard pages, mlock, wiped by sodium_free).
 */
#ifndef SCRUTIN_CRYPTO_UTIL_H
#define SCRUTIN_CRYPTO_UTIL_H

#include <stddef.h>

void *util_xcalloc(size_t n, size_t size);
/* Zero-filled sodium_malloc memory; aborts on failure. Free with
 * util_secure_free (wipes). */
void *util_secure_alloc(size_t size);
void util_secure_free(void *p);

#endif

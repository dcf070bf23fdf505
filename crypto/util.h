/*
 * util.h — secure allocation of crypto/ (internal).
 *
 * Secret-holding objects use util_secure_alloc (sodium_malloc: guard
 * pages, mlock, wiped by sodium_free); failure aborts, like every other
 * allocation (common/xmalloc.h, which crypto/ uses for the rest).
 */
#ifndef SCRUTIN_CRYPTO_UTIL_H
#define SCRUTIN_CRYPTO_UTIL_H

#include <stddef.h>

/* Zero-filled sodium_malloc memory; aborts on failure. Free with
 * util_secure_free (wipes). */
void *util_secure_alloc(size_t size);
void util_secure_free(void *p);

#endif

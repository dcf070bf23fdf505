/*
 * xmalloc.h — the one allocator of Scrutin: out-of-memory aborts here,
 * in one place, so that every error path elsewhere is for a real error.
 *
 * A leaf: it knows nothing of the rest of the tree, and crypto/,
 * ballot-formats/, server/ and audit/ all depend on it
 * ($(BUILD)/libscrutin-common.a). Every function returns memory the caller
 * frees with free(); none returns NULL. A request for zero bytes gets a
 * valid, distinct pointer (one byte), never NULL.
 */
#ifndef SCRUTIN_COMMON_XMALLOC_H
#define SCRUTIN_COMMON_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
/* n zero-filled elements of size bytes. */
void *xcalloc(size_t n, size_t size);
/* Resizes p (may be NULL) to n elements of size bytes; aborts if n·size
 * overflows. The contents up to the smaller size are kept. */
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
/* The first n bytes of s (all readable; a NUL among them is copied like
 * any byte) and a terminating NUL. */
char *xstrndup(const char *s, size_t n);

#endif

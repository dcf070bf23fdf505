/*
 * xmalloc.c — allocation that aborts on out-of-memory (see xmalloc.h).
 */
#include "common/xmalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Noreturn void
oom(const char *what)
{
	fprintf(stderr, "scrutin: %s\n", what);
	abort();
}

void *
xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (p == NULL)
		oom("out of memory");
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		oom("out of memory");
	return p;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	void *q;
	size_t total;

	if (size != 0 && n > SIZE_MAX / size)
		oom("allocation overflow");
	total = n * size;
	q = realloc(p, total ? total : 1);
	if (q == NULL)
		oom("out of memory");
	return q;
}

char *
xstrndup(const char *s, size_t n)
{
	char *p;

	if (n == SIZE_MAX)
		oom("allocation overflow");
	p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

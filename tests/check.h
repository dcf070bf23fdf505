/*
 * check.h — the assertion helpers of the C unit tests.
 *
 * CHECK(cond) records a failure (with file and line) and carries on, so
 * one run reports every broken assertion; check_done() prints the count
 * and returns the process exit status (0 only when nothing failed and at
 * least one check ran: a test that checks nothing fails).
 */
#ifndef SCRUTIN_TESTS_CHECK_H
#define SCRUTIN_TESTS_CHECK_H

#include <stdio.h>
#include <stdlib.h>

static unsigned long check_run_count;
static unsigned long check_fail_count;

#define CHECK(cond)                                                        \
	do {                                                               \
		check_run_count++;                                         \
		if (!(cond)) {                                             \
			check_fail_count++;                                \
			fprintf(stderr, "%s:%d: check failed: %s\n",       \
			    __FILE__, __LINE__, #cond);                    \
		}                                                          \
	} while (0)

#define CHECK_MSG(cond, ...)                                               \
	do {                                                               \
		check_run_count++;                                         \
		if (!(cond)) {                                             \
			check_fail_count++;                                \
			fprintf(stderr, "%s:%d: check failed: %s: ",       \
			    __FILE__, __LINE__, #cond);                    \
			fprintf(stderr, __VA_ARGS__);                      \
			fputc('\n', stderr);                               \
		}                                                          \
	} while (0)

static inline int
check_done(const char *name)
{
	printf("%s: %lu checks, %lu failed\n", name, check_run_count,
	    check_fail_count);
	if (check_run_count == 0) {
		fprintf(stderr, "%s: no check ran\n", name);
		return 1;
	}
	return check_fail_count == 0 ? 0 : 1;
}

#endif

/*
 * util.h — small helpers shared by the statutes engine: bounded string
 * copies and buffers, messages in French and English, and civil dates as
 * day numbers. (Allocation that aborts on out-of-memory is
 * common/xmalloc.h.)
 *
 * Trusts nothing: every copy is bounded by the destination size. Dates
 * are proleptic Gregorian day numbers (0 = 1970-01-01) so comparisons and
 * "N months later" are exact integer operations.
 */
#ifndef SCRUTIN_STATUTES_UTIL_H
#define SCRUTIN_STATUTES_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define ST_WUR __attribute__((warn_unused_result))

/* Copies src into dst (size cap), always NUL-terminated; -1 if truncated. */
int st_strlcpy(char *dst, const char *src, size_t cap);

/* A growing string (jansson-free, used by the phrase builder). */
struct st_buf {
	char *s;
	size_t len, cap;
};
void st_buf_printf(struct st_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void st_buf_free(struct st_buf *b);

/* A message in French and English — what the engine, the profile loader
 * and the scenario loader report when they refuse something. Each is
 * written once as a pair of formats given the same arguments: the
 * compiler checks both formats against them. line: the input line the
 * message is about when the text does not say it (ct_count's errors: the
 * scenario line of the item; the caller names the file), else 0. */
#define ST_MSG_MAX 640u
struct st_msg {
	unsigned line;
	char fr[ST_MSG_MAX];
	char en[ST_MSG_MAX];
};
void st_msg_set(struct st_msg *m, unsigned line, const char *fr, const char *en, ...)
    __attribute__((format(printf, 3, 5), format(printf, 4, 5)));
void st_msg_vset(struct st_msg *m, unsigned line, const char *fr, const char *en,
    va_list ap) __attribute__((format(printf, 3, 0), format(printf, 4, 0)));

/* Civil dates. */
int st_date_parse(const char *s, int32_t *out) ST_WUR;   /* YYYY-MM-DD */
void st_date_format(int32_t day, char out[11]);
int32_t st_date_from_civil(int y, unsigned m, unsigned d);
void st_date_to_civil(int32_t day, int *y, unsigned *m, unsigned *d);
/* day + months: same day of month, clamped to the month's last day. */
int32_t st_date_add_months(int32_t day, int months);
/* Last day of the month before the month of day. */
int32_t st_date_end_of_previous_month(int32_t day);
/* Age in whole years on day `at` of someone born on `birth`. */
int st_date_age(int32_t birth, int32_t at);
/* HH:MM -> minutes since midnight. */
int st_time_parse(const char *s, int32_t *minutes) ST_WUR;
/* YYYY-MM-DDTHH:MM -> minutes since 1970-01-01T00:00. */
int st_datetime_parse(const char *s, int64_t *minutes) ST_WUR;

/* splitmix64: the documented PRNG of every random draw (docs/profiles.md). */
uint64_t st_splitmix64(uint64_t *state);
/* Uniform integer in [0, n) without modulo bias; n >= 1. */
uint64_t st_uniform(uint64_t *state, uint64_t n);

#endif

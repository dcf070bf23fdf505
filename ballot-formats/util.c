/*
 * util.c — bounded strings, two-language messages, civil dates and the
 * seeded PRNG of the statutes engine (allocation is common/xmalloc.h). Date arithmetic uses
 * Howard Hinnant's days-from-civil algorithm: exact for every Gregorian
 * date.
 */
#include "ballot-formats/util.h"
#include "common/xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
st_strlcpy(char *dst, const char *src, size_t cap)
{
	size_t n = strlen(src);

	if (cap == 0)
		return -1;
	if (n >= cap) {
		memcpy(dst, src, cap - 1);
		dst[cap - 1] = '\0';
		return -1;
	}
	memcpy(dst, src, n + 1);
	return 0;
}

void
st_buf_printf(struct st_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		size_t room = b->cap - b->len;
		va_start(ap, fmt);
		n = vsnprintf(b->s ? b->s + b->len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0) {
			fputs("scrutin: format error\n", stderr);
			abort();
		}
		if ((size_t)n < room) {
			b->len += (size_t)n;
			return;
		}
		b->cap = b->cap * 2 + (size_t)n + 64;
		b->s = xreallocarray(b->s, b->cap, 1);
	}
}

void
st_buf_free(struct st_buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

void
st_msg_vset(struct st_msg *m, unsigned line, const char *fr, const char *en, va_list ap)
{
	va_list aq;

	m->line = line;
	va_copy(aq, ap);
	(void)vsnprintf(m->fr, sizeof m->fr, fr, ap);
	(void)vsnprintf(m->en, sizeof m->en, en, aq);
	va_end(aq);
}

void
st_msg_set(struct st_msg *m, unsigned line, const char *fr, const char *en, ...)
{
	va_list ap;

	va_start(ap, en);
	st_msg_vset(m, line, fr, en, ap);
	va_end(ap);
}

int32_t
st_date_from_civil(int y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const int era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + (int)doe - 719468);
}

void
st_date_to_civil(int32_t z32, int *yp, unsigned *mp, unsigned *dp)
{
	int z = z32 + 719468;
	const int era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const int y = (int)yoe + era * 400;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp0 = (5 * doy + 2) / 153;
	const unsigned d = doy - (153 * mp0 + 2) / 5 + 1;
	const unsigned m = mp0 < 10 ? mp0 + 3 : mp0 - 9;
	*yp = y + (m <= 2);
	*mp = m;
	*dp = d;
}

static unsigned
days_in_month(int y, unsigned m)
{
	static const unsigned dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : dm[m - 1];
}

int
st_date_parse(const char *s, int32_t *out)
{
	int y;
	unsigned m, d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
	d = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
	if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return -1;
	*out = st_date_from_civil(y, m, d);
	return 0;
}

void
st_date_format(int32_t day, char out[11])
{
	int y;
	unsigned m, d;

	st_date_to_civil(day, &y, &m, &d);
	(void)snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, m % 100u, d % 100u);
}

int32_t
st_date_add_months(int32_t day, int months)
{
	int y;
	unsigned m, d;

	st_date_to_civil(day, &y, &m, &d);
	int total = y * 12 + (int)m - 1 + months;
	int ny = total / 12;
	unsigned nm = (unsigned)(total % 12) + 1;
	unsigned dim = days_in_month(ny, nm);
	return st_date_from_civil(ny, nm, d > dim ? dim : d);
}

int32_t
st_date_end_of_previous_month(int32_t day)
{
	int y;
	unsigned m, d;

	st_date_to_civil(day, &y, &m, &d);
	return st_date_from_civil(y, m, 1) - 1;
}

int
st_date_age(int32_t birth, int32_t at)
{
	int by, ay;
	unsigned bm, bd, am, ad;

	st_date_to_civil(birth, &by, &bm, &bd);
	st_date_to_civil(at, &ay, &am, &ad);
	int age = ay - by;
	if (am < bm || (am == bm && ad < bd))
		age--;
	return age;
}

int
st_time_parse(const char *s, int32_t *minutes)
{
	if (strlen(s) != 5 || s[2] != ':')
		return -1;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return -1;
	int h = (s[0] - '0') * 10 + (s[1] - '0');
	int mi = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > 23 || mi > 59)
		return -1;
	*minutes = h * 60 + mi;
	return 0;
}

int
st_datetime_parse(const char *s, int64_t *minutes)
{
	char date[11];
	int32_t day, t;

	if (strlen(s) != 16 || s[10] != 'T')
		return -1;
	memcpy(date, s, 10);
	date[10] = '\0';
	if (st_date_parse(date, &day) != 0 || st_time_parse(s + 11, &t) != 0)
		return -1;
	*minutes = (int64_t)day * 1440 + t;
	return 0;
}

uint64_t
st_splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint64_t
st_uniform(uint64_t *state, uint64_t n)
{
	/* Rejection sampling: draws above the largest multiple of n retry. */
	uint64_t limit = UINT64_MAX - UINT64_MAX % n;
	uint64_t r;

	do
		r = st_splitmix64(state);
	while (r >= limit);
	return r % n;
}

/*
 * member_name.c — a member's display name, « Prénom Nom », built in one
 * place (member_name.h). The SQL function display_name(first, last)
 * calls the same code, so the names the statutes engine puts in its
 * sentences (server/attendance.c), the record's candidate labels
 * (server/record.c), the procès-verbal's annexes (server/minutes.c) and
 * the printed sheets (server/sheet.c) cannot drift apart; and the French
 * order of a list of members (member_name_cmp: the minutes' attendance
 * annex); and which characters no name may carry (member_name_invisible:
 * the roll import's check). Trusts nothing of its input but that it is
 * text; adds no character of its own but the one space between two
 * non-empty parts.
 */
#include "server/member_name.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"

unsigned long
member_name_invisible(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; p[i] != '\0'; i++) {
		unsigned long cp;

		if (p[i] == 0xd8 && p[i + 1] == 0x9c)
			return 0x61c;
		if ((p[i] != 0xe2 && p[i] != 0xef) || p[i + 1] == '\0' ||
		    p[i + 2] == '\0')
			continue;
		cp = ((p[i] & 0x0fUL) << 12) | ((p[i + 1] & 0x3fUL) << 6) |
		    (p[i + 2] & 0x3fUL);
		if ((cp >= 0x200b && cp <= 0x200f) || cp == 0x2060 ||
		    cp == 0xfeff || (cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			return cp;
	}
	return 0;
}

char *
member_name(const char *first, const char *last)
{
	const char *f = first != NULL ? first : "";
	const char *l = last != NULL ? last : "";
	size_t nf = strlen(f), nl = strlen(l);
	char *out = xmalloc(nf + nl + 2);

	snprintf(out, nf + nl + 2, "%s%s%s", f, nf > 0 && nl > 0 ? " " : "",
	    l);
	return out;
}

/* The next character of s folded for comparison: ASCII lowercased, the
 * accented Latin letters of French (U+00C0–U+00FF, Œ/œ) as their base
 * letter(s) into out (NUL-terminated); any other byte as itself. Returns
 * the bytes of s consumed. */
static size_t
fold_next(const unsigned char *s, char out[3])
{
	/* U+00C0…U+00FF, lowercase base letters ('\0': kept as is). */
	static const char base[] =
	    "aaaaaaaceeeeiiii" "\0nooooo\0ouuuuy\0s"
	    "aaaaaaaceeeeiiii" "\0nooooo\0ouuuuy\0y";

	out[1] = out[2] = '\0';
	if (s[0] == 0xc3 && s[1] >= 0x80 && s[1] <= 0xbf &&
	    base[s[1] - 0x80] != '\0') {
		out[0] = base[s[1] - 0x80];
		if (s[1] == 0x86 || s[1] == 0xa6)	/* Æ æ */
			out[1] = 'e';
		if (s[1] == 0x9f)			/* ß */
			out[1] = 's';
		return 2;
	}
	if (s[0] == 0xc5 && (s[1] == 0x92 || s[1] == 0x93)) {	/* Œ œ */
		out[0] = 'o';
		out[1] = 'e';
		return 2;
	}
	out[0] = (char)(s[0] >= 'A' && s[0] <= 'Z' ? s[0] - 'A' + 'a' : s[0]);
	return 1;
}

/* The next folded byte of a string: from f (the current character's
 * folded bytes, at *i), or the next character of *p; '\0' at its end. */
static char
fold_byte(const unsigned char **p, char f[3], size_t *i)
{
	if (f[*i] == '\0') {
		*i = 0;
		f[0] = '\0';
		if (**p != '\0')
			*p += fold_next(*p, f);
	}
	return f[(*i)++];
}

/* a and b folded (fold_next), compared as strcmp. */
static int
fold_cmp(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)(a != NULL ? a : "");
	const unsigned char *q = (const unsigned char *)(b != NULL ? b : "");
	char fa[3] = { 0 }, fb[3] = { 0 };
	size_t ia = 0, ib = 0;

	for (;;) {
		char x = fold_byte(&p, fa, &ia), y = fold_byte(&q, fb, &ib);
		if (x != y)
			return (unsigned char)x < (unsigned char)y ? -1 : 1;
		if (x == '\0')
			return 0;
	}
}

int
member_name_cmp(const char *last_a, const char *first_a, const char *last_b,
    const char *first_b)
{
	int c;

	if ((c = fold_cmp(last_a, last_b)) != 0 ||
	    (c = fold_cmp(first_a, first_b)) != 0)
		return c;
	if ((c = strcmp(last_a != NULL ? last_a : "", last_b != NULL ? last_b :
	    "")) != 0)
		return c;
	return strcmp(first_a != NULL ? first_a : "", first_b != NULL ?
	    first_b : "");
}

static void
sql_display_name(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char *n;

	(void)argc;
	n = member_name((const char *)sqlite3_value_text(argv[0]),
	    (const char *)sqlite3_value_text(argv[1]));
	sqlite3_result_text(ctx, n, -1, free);
}

int
member_name_sql(sqlite3 *db)
{
	return sqlite3_create_function_v2(db, "display_name", 2,
	    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
	    sql_display_name, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/*
 * member_name.c — a member's display name, « Prénom Nom », built in one
 * place (member_name.h). The SQL function display_name(first, last)
 * calls the same code, so the names the statutes engine puts in its
 * sentences (server/attendance.c), the record's candidate labels
 * (server/record.c), the procès-verbal's annexes (server/minutes.c) and
 * the printed sheets (server/sheet.c) cannot drift apart. Trusts nothing
 * of its input but that it is text; adds no character of its own but the
 * one space between two non-empty parts.
 */
#include "server/member_name.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"

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

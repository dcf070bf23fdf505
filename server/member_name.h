/*
 * member_name.h — how a member of the roll is named to people: « Prénom
 * Nom » (first name, then last name), the one order of the ballot, the
 * result, the consoles, the projector, the procès-verbal and the printed
 * sheets. Lists of members are sorted by last name, then first name
 * (member_name_cmp).
 */
#ifndef SCRUTIN_SERVER_MEMBER_NAME_H
#define SCRUTIN_SERVER_MEMBER_NAME_H

#include <sqlite3.h>

/* « first last » in a new string (caller frees); a missing or empty part
 * is left out with its space. Never NULL. */
char *member_name(const char *first, const char *last);

/* The French order of a list of members (the procès-verbal's attendance
 * annex): by last name, then first name, each compared without case or
 * accents (« Émile » with the E, « Œ » as « oe »), then byte for byte
 * to break a tie. NULL is an empty name. <0, 0 or >0 as strcmp. */
int member_name_cmp(const char *last_a, const char *first_a,
    const char *last_b, const char *first_b);

/* The first character of s (UTF-8) that would make a name display other
 * than it reads — a zero-width character (U+200B–U+200F, U+2060, U+FEFF)
 * or a bidirectional override, embedding or isolate (U+061C,
 * U+202A–U+202E, U+2066–U+2069) — as its code point, or 0 when there is
 * none. The roll import refuses such a name (a sheet or a console would
 * show « Martin » for a name that sorts, searches and prints otherwise). */
unsigned long member_name_invisible(const char *s);

/* Registers member_name(first, last) as the SQL function display_name on
 * db, so a query names members exactly as member_name does. 0 or -1. */
int member_name_sql(sqlite3 *db);

#endif

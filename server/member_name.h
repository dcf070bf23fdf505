/*
 * member_name.h — how a member of the roll is named to people: « Prénom
 * Nom » (first name, then last name), the one order of the ballot, the
 * result, the consoles, the projector, the procès-verbal and the printed
 * sheets. Lists of members may still be sorted by last name, then first
 * name; only the display is fixed here.
 */
#ifndef SCRUTIN_SERVER_MEMBER_NAME_H
#define SCRUTIN_SERVER_MEMBER_NAME_H

#include <sqlite3.h>

/* « first last » in a new string (caller frees); a missing or empty part
 * is left out with its space. Never NULL. */
char *member_name(const char *first, const char *last);

/* Registers member_name(first, last) as the SQL function display_name on
 * db, so a query names members exactly as member_name does. 0 or -1. */
int member_name_sql(sqlite3 *db);

#endif

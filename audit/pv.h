/*
 * pv.h — the procès-verbal (minutes) of a verified record as
 * self-contained French HTML (docs/record.md §8). The same summary and
 * names give the same bytes: the scrutineers sign SHA-256 of exactly these bytes.
 */
#ifndef SCRUTIN_AUDIT_PV_H
#define SCRUTIN_AUDIT_PV_H

#include <stdio.h>

#include "audit/verify.h"

/*
 * Names the public record does not hold (docs/record.md §8): members are
 * pseudonyms there (the first 16 hex digits of a credential key), the
 * scrutineers keys. The server gives the roll's names (« Prénom Nom »)
 * for the credentials of the meeting and the scrutineers' names; the
 * minutes of a record alone (scrutin-minutes without --names) write the
 * pseudonyms and « Scrutateur j ». ids[i] is a 16-hex pseudonym or
 * credential prefix, names[i] its name; scrutineers[j - 1] the name of
 * scrutineer j, NULL or "" when unknown.
 */
struct audit_pv_names {
	size_t n;
	const char *const *ids;
	const char *const *names;
	size_t n_scrutineers;
	const char *const *scrutineers;
};

/* Writes the minutes of a verified record's summary to f, with names
 * (NULL: none). 0, or -1 on a write error. */
int audit_minutes_html(const audit_summary *s,
    const struct audit_pv_names *names, FILE *f);

#endif

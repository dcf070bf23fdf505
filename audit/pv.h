/*
 * pv.h — the procès-verbal (minutes) of a verified record as
 * self-contained French HTML (docs/record.md §8). The same summary gives
 * the same bytes: the scrutineers sign SHA-256 of exactly these bytes.
 */
#ifndef SCRUTIN_AUDIT_PV_H
#define SCRUTIN_AUDIT_PV_H

#include <stdio.h>

#include "audit/verify.h"

/* Writes the minutes of a verified record's summary to f. 0, or -1 on a
 * write error. */
int audit_minutes_html(const audit_summary *s, FILE *f);

#endif

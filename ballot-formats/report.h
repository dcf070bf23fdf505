/*
 * report.h — a ct_result as JSON (jansson), with a stable key order so
 * two runs on the same facts print the same bytes. The sentences of
 * phrase.h are included in the language asked for.
 */
#ifndef SCRUTIN_STATUTES_REPORT_H
#define SCRUTIN_STATUTES_REPORT_H

#include <jansson.h>

#include "ballot-formats/count.h"
#include "ballot-formats/phrase.h"

/* Returns a new reference (caller json_decref). */
json_t *report_json(const struct ct_result *r, enum ph_lang lang);

#endif

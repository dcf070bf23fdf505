/*
 * scenario.h — a meeting and its questions read from a scenario file
 * (YAML, docs/scenarios.md) into the in-memory structs of count.h.
 *
 * The scenario owns every string and array it hands to ct_count: they
 * live until scenario_free. The loader checks the shape (types, unknown
 * and duplicate keys, sizes, ids on the roll for attendance); the rules
 * are checked by ct_count against the profile.
 */
#ifndef SCRUTIN_STATUTES_SCENARIO_H
#define SCRUTIN_STATUTES_SCENARIO_H

#include "ballot-formats/count.h"
#include "ballot-formats/ytree.h"

struct scenario {
	struct yt_doc doc;              /* owns the scalars */
	char profile[PR_ID_MAX];
	char body[PR_ID_MAX];
	struct ct_meeting meeting;
	size_t n_questions;
	struct ct_question *questions;
	size_t n_allocs;
	void **allocs;                  /* every array handed out */
};

/* 0, or -1 with "file:line:col: field: reason" in French and English in
 * err. The caller calls scenario_free in both cases. */
int scenario_load(struct scenario *s, const char *file, const uint8_t *buf, size_t len,
    struct st_msg *err) ST_WUR;
void scenario_free(struct scenario *s);

#endif

/*
 * dlog.c — baby-step giant-step over ristretto255 (docs/protocol.md §8).
 *
 * Trusts group.c. The hash table has a power-of-two number of slots, at
 * least twice the number of baby steps; the key of a slot is the full
 * 32-byte encoding (encodings are unique, so a match is exact) and its
 * hash the first 8 bytes (encodings of distinct multiples of G look
 * random). Only public data is handled: nothing is wiped.
 */
#include <stdlib.h>
#include <string.h>

#include "crypto/dlog.h"
#include "crypto/group.h"
#include "common/xmalloc.h"

struct slot {
	uint8_t key[32];
	uint64_t j;
	int used;
};

struct dlog_table {
	uint64_t bound;
	uint64_t m;		/* baby steps */
	uint64_t giants;	/* ⌈(bound+1)/m⌉ */
	uint8_t giant[32];	/* m·G */
	size_t mask;		/* slots − 1 */
	struct slot *slots;
};

static size_t
slot_index(const struct dlog_table *t, const uint8_t key[32])
{
	uint64_t h = group_le64_get(key);

	return (size_t)(h & t->mask);
}

static uint64_t
isqrt_ceil(uint64_t v)
{
	uint64_t r = 0;

	/* Smallest r with r·r ≥ v; v ≤ 2^36 + 1, so r fits easily. */
	while (r * r < v)
		r++;
	return r;
}

int
dlog_table_new(dlog_table **out, uint64_t bound)
{
	struct dlog_table *t;
	uint8_t cur[32], ms[32];
	size_t slots = 1;

	*out = NULL;
	if (bound > DLOG_BOUND_MAX)
		return SCRUTIN_ERR_ARGUMENT;
	t = xcalloc(1, sizeof *t);
	t->bound = bound;
	t->m = isqrt_ceil(bound + 1);
	t->giants = (bound + 1 + t->m - 1) / t->m;
	while (slots < 2 * t->m)
		slots <<= 1;
	t->mask = slots - 1;
	t->slots = xcalloc(slots, sizeof *t->slots);

	memcpy(cur, group_identity, 32);
	for (uint64_t j = 0; j < t->m; j++) {
		size_t i = slot_index(t, cur);

		while (t->slots[i].used)
			i = (i + 1) & t->mask;
		memcpy(t->slots[i].key, cur, 32);
		t->slots[i].j = j;
		t->slots[i].used = 1;
		if (group_add(cur, cur, group_generator) != 0)
			abort();	/* valid inputs: cannot fail */
	}
	group_scalar_from_u64(ms, t->m);
	group_mul_base(t->giant, ms);
	*out = t;
	return 0;
}

void
dlog_table_free(dlog_table *t)
{
	if (t == NULL)
		return;
	free(t->slots);
	free(t);
}

uint64_t
dlog_table_bound(const dlog_table *t)
{
	return t->bound;
}

uint64_t
dlog_table_baby_steps(const dlog_table *t)
{
	return t->m;
}

static int
lookup(const struct dlog_table *t, const uint8_t key[32], uint64_t *j)
{
	size_t i = slot_index(t, key);

	while (t->slots[i].used) {
		if (memcmp(t->slots[i].key, key, 32) == 0) {
			*j = t->slots[i].j;
			return 1;
		}
		i = (i + 1) & t->mask;
	}
	return 0;
}

int
dlog_solve(uint64_t *m, const dlog_table *t, const uint8_t point[32])
{
	uint8_t cur[32];
	uint64_t j;

	*m = 0;
	if (group_point_check(point) != 0)
		return SCRUTIN_ERR_POINT;
	memcpy(cur, point, 32);
	for (uint64_t i = 0; i < t->giants; i++) {
		if (lookup(t, cur, &j)) {
			uint64_t v = i * t->m + j;

			if (v > t->bound)
				return SCRUTIN_ERR_DLOG_RANGE;
			*m = v;
			return 0;
		}
		if (group_sub(cur, cur, t->giant) != 0)
			return SCRUTIN_ERR_POINT;
	}
	return SCRUTIN_ERR_DLOG_RANGE;
}

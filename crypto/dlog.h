/*
 * dlog.h — discrete logarithm of totals by baby-step giant-step
 * (docs/protocol.md §8).
 *
 * A table for a bound N holds m = ⌈√(N+1)⌉ baby steps j·G (0 ≤ j < m) in
 * an open-addressing hash table keyed by the point encoding; a search
 * takes at most ⌈(N+1)/m⌉ giant steps of −m·G. Trusts group.c.
 * Invariants: dlog_solve() returns a value in [0, N] or an error, never
 * anything else; the table is read-only after creation (one table may be
 * shared by threads).
 */
#ifndef SCRUTIN_CRYPTO_DLOG_H
#define SCRUTIN_CRYPTO_DLOG_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/error.h"

/* Largest supported bound: 2^36 (a table of 2^18 baby steps, ~10 MB). */
#define DLOG_BOUND_MAX ((uint64_t)1 << 36)

typedef struct dlog_table dlog_table;

/* OUT *out, a table for [0, bound]; the caller frees it with
 * dlog_table_free. SCRUTIN_ERR_ARGUMENT if bound > DLOG_BOUND_MAX. Aborts
 * on out-of-memory. */
int dlog_table_new(dlog_table **out, uint64_t bound) SCRUTIN_WUR;
void dlog_table_free(dlog_table *t);
uint64_t dlog_table_bound(const dlog_table *t);
/* The number of baby steps (⌈√(bound+1)⌉). */
uint64_t dlog_table_baby_steps(const dlog_table *t);

/* OUT *m with m·G = point, 0 ≤ m ≤ bound. SCRUTIN_ERR_POINT for an
 * invalid encoding, SCRUTIN_ERR_DLOG_RANGE when no such m exists. */
int dlog_solve(uint64_t *m, const dlog_table *t, const uint8_t point[32])
    SCRUTIN_WUR;

#endif

/*
 * tally.h — homomorphic totals, decryption shares and their combination
 * (docs/protocol.md §7).
 *
 * Trustee j holds its key share x_j (from dkg.h) and publishes, for the
 * total T_i = (A, B) of explicit choice i, D = x_j·A with a DLEQ proof
 * under the context frame(eid) || frame(qid) || frame(LE64 i) ||
 * frame(LE64 j). Anyone combines t valid shares (the t smallest valid
 * indices) by Lagrange interpolation at 0 and takes the discrete log.
 *
 * Trusts group.c, proof.c, dlog.c. Invariants: a share is used only after
 * its proof verifies against the trustee's verification key Y_j; an
 * invalid share is never used and its trustee is reported; a result is
 * produced only from ≥ t valid shares and only in [0, bound].
 */
#ifndef SCRUTIN_CRYPTO_TALLY_H
#define SCRUTIN_CRYPTO_TALLY_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/dlog.h"
#include "crypto/error.h"

#define TALLY_TRUSTEES_MAX 16
#define TALLY_CTX_MAX (36 + 68 + 12 + 12)

/* OUT the encoding of the empty total (O, O). */
void tally_total_init(uint8_t total[64]);
/* total += ct (ct already verified as part of a ballot). */
int tally_total_add(uint8_t total[64], const uint8_t ct[64]) SCRUTIN_WUR;

/*
 * Sums of many ciphertexts (public data), in extended coordinates with
 * the variable-time arithmetic of crypto/ristretto_fast.h: each point is
 * checked by libsodium (group_point_check) and decoded once, added
 * without encoding, and the total encoded once at the end. The result is
 * the same encoding tally_total_add would give (the reference, tested in
 * tests/unit/test_fast.c). Copyable by value; no allocation.
 */
typedef struct {
	uint64_t opaque[2 * 4 * 5];	/* two extended points, internal */
} tally_acc;

/* acc = (O, O). */
void tally_acc_init(tally_acc *acc);
/* acc += ct, acc −= ct. SCRUTIN_ERR_POINT (acc unchanged) if ct is not
 * two canonical points (α = O is allowed, as in a total). */
int tally_acc_add(tally_acc *acc, const uint8_t ct[64]) SCRUTIN_WUR;
int tally_acc_sub(tally_acc *acc, const uint8_t ct[64]) SCRUTIN_WUR;
/* acc += other (e.g. the partial sums of two threads). */
void tally_acc_merge(tally_acc *acc, const tally_acc *other);
/* OUT total = the encoding of acc. */
void tally_acc_final(uint8_t total[64], const tally_acc *acc);

/* OUT total = Σ cts[0 … count−1] ((O, O) for count = 0). Each ct must be
 * two canonical points, else SCRUTIN_ERR_POINT and total = (O, O). Uses
 * tally_acc, or tally_total_add when the fast path is switched off. */
int tally_sum_ciphertexts(uint8_t total[64], const uint8_t (*cts)[64],
    size_t count) SCRUTIN_WUR;

/* OUT the share context; returns its length. */
size_t tally_share_context(uint8_t ctx[TALLY_CTX_MAX], const uint8_t eid[32],
    const char *qid, size_t qid_len, uint64_t choice, uint32_t trustee);

/* OUT d = x_j·A and its proof. yj = x_j·G, A = first half of total (not
 * O: an empty total is never decrypted). */
int tally_share_create(uint8_t d[32], uint8_t proof[64], const uint8_t xj[32],
    const uint8_t yj[32], const uint8_t eid[32], const char *qid,
    size_t qid_len, uint64_t choice, uint32_t trustee,
    const uint8_t total[64]) SCRUTIN_WUR;
int tally_share_create_with_nonce(uint8_t d[32], uint8_t proof[64],
    const uint8_t xj[32], const uint8_t yj[32], const uint8_t eid[32],
    const char *qid, size_t qid_len, uint64_t choice, uint32_t trustee,
    const uint8_t total[64], const uint8_t w[32]) SCRUTIN_WUR;
int tally_share_verify(const uint8_t yj[32], const uint8_t eid[32],
    const char *qid, size_t qid_len, uint64_t choice, uint32_t trustee,
    const uint8_t total[64], const uint8_t d[32], const uint8_t proof[64])
    SCRUTIN_WUR;

/* OUT λ_j for subset[pos] over the given subset (distinct indices ≥ 1). */
int tally_lagrange(uint8_t lambda[32], const uint32_t *subset, size_t size,
    size_t pos) SCRUTIN_WUR;

typedef struct {
	uint32_t trustee;	/* 1 … n */
	uint8_t d[32];
	uint8_t proof[64];
} tally_share;

/* Verifies every given share (duplicate or out-of-range indices are
 * invalid), takes the t smallest valid indices and OUT m_point = B − x·A
 * (= m·G). OUT *bad_mask: bit j−1 set for every trustee j whose share is
 * invalid (reported even on success). vks: the n verification keys Y_j.
 * SCRUTIN_ERR_TOO_FEW when fewer than t shares are valid. */
int tally_combine(uint8_t m_point[32], uint32_t *bad_mask,
    const uint8_t total[64], const uint8_t (*vks)[32], uint32_t n,
    uint32_t t, const uint8_t eid[32], const char *qid, size_t qid_len,
    uint64_t choice, const tally_share *shares, size_t nshares) SCRUTIN_WUR;

/* tally_combine, then the discrete log in [0, dlog_table_bound(table)]. */
int tally_decrypt(uint64_t *m, uint32_t *bad_mask, const uint8_t total[64],
    const uint8_t (*vks)[32], uint32_t n, uint32_t t, const uint8_t eid[32],
    const char *qid, size_t qid_len, uint64_t choice,
    const tally_share *shares, size_t nshares, const dlog_table *table)
    SCRUTIN_WUR;

/* The implicit last choice when min = max = mm: mm·N − Σ explicit counts.
 * SCRUTIN_ERR_DLOG_RANGE if the counts are inconsistent (sum > mm·N). */
int tally_implicit_count(uint64_t *out, uint64_t mm, uint64_t ballots,
    const uint64_t *counts, size_t e) SCRUTIN_WUR;

#endif

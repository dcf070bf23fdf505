/*
 * proof_fast.h — internal to crypto/: the variable-time verification of
 * membership proofs on already-decoded points (ballot.c, tally.c), and
 * the libsodium-only reference verifiers the fast ones are compared with.
 * Public data only (see ristretto_fast.h).
 */
#ifndef SCRUTIN_CRYPTO_PROOF_FAST_H
#define SCRUTIN_CRYPTO_PROOF_FAST_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/error.h"
#include "crypto/ristretto_fast.h"
#include "crypto/tally.h"

/* proof_member_verify_checked on decoded points: key is Y (its encoding
 * key->enc is hashed), ct the encoding of (alpha, beta) (hashed), alpha
 * and beta its decoded halves; the caller has run group_point_check on
 * them (α ≠ O). Same return codes as the reference. */
int proof_member_verify_fast(const uint8_t *ctx, size_t ctx_len,
    const rf_key *key, const uint8_t ct[64], const rf_point *alpha,
    const rf_point *beta, const uint64_t *values, size_t k,
    const uint8_t *proof, size_t proof_len) SCRUTIN_WUR;

/* The reference (libsodium API only) form of proof_member_verify_checked. */
int proof_member_verify_checked_ref(const uint8_t *ctx, size_t ctx_len,
    const uint8_t y[32], const uint8_t ct[64], const uint64_t *values,
    size_t k, const uint8_t *proof, size_t proof_len) SCRUTIN_WUR;

/* The challenge of a membership proof (§4.3) over the given commitment
 * bytes commits = A_0 || B_0 || … (64·k bytes): OUT c. Batch
 * verification and its tests. */
void proof_member_challenge(uint8_t c[32], const uint8_t *ctx,
    size_t ctx_len, const uint8_t y[32], const uint8_t ct[64],
    const uint64_t *values, size_t k, const uint8_t *commits);

/* Steps of §5.6 for one proof, on hints (64·k bytes, NOT checked here as
 * points): every check proof_member_verify_checked makes before its
 * arithmetic (same codes), then Σ c_j = the challenge over the hint
 * bytes, else SCRUTIN_ERR_PROOF. Says nothing about the equations. */
int proof_member_check_hints(const uint8_t *ctx, size_t ctx_len,
    const uint8_t y[32], const uint8_t ct[64], const uint64_t *values,
    size_t k, const uint8_t *proof, size_t proof_len, const uint8_t *hints)
    SCRUTIN_WUR;

/* acc += (alpha, beta), points already checked and decoded (ballot.c). */
void tally_acc_add_points(tally_acc *acc, const rf_point *alpha,
    const rf_point *beta);

#endif

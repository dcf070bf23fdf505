/*
 * proof.h — the non-interactive proofs of docs/protocol.md §4.
 *
 * Schnorr proof of knowledge ("pok"), Chaum-Pedersen equality of discrete
 * logs ("dleq") and the disjunctive membership proof ("member"). A proof
 * is a list of 32-byte canonical scalars. The context ctx is an opaque
 * byte string (a concatenation of frames, built by ballot.c, dkg.c or
 * tally.c) hashed as one field of every challenge.
 *
 * Trusts group.c. Invariants: verifiers decode every point and scalar
 * (canonical, identity rules of §4) before any arithmetic and accept only
 * when the challenge equation holds; provers never output a proof for an
 * invalid statement encoding, draw their nonces with randombytes (the
 * *_with_nonces variants take them explicitly, for known-answer tests
 * only) and wipe witnesses and nonces on every path. A prover given a
 * false statement (wrong witness, wrong index) outputs a proof that does
 * not verify; it does not check the witness itself.
 */
#ifndef SCRUTIN_CRYPTO_PROOF_H
#define SCRUTIN_CRYPTO_PROOF_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/error.h"

#define PROOF_POK_BYTES 64
#define PROOF_DLEQ_BYTES 64
/* A membership proof over k values is 64·k bytes, 1 ≤ k ≤ this. */
#define PROOF_MEMBER_MAX_VALUES 65
#define PROOF_MEMBER_BYTES(k) ((size_t)64 * (size_t)(k))
/* Contexts are capped (ours are below 200 bytes). */
#define PROOF_CTX_MAX 1024

/* --- pok: X = x·G ----------------------------------------------------- */

/* OUT proof = c || s. x non-zero, X = x·G (given, not recomputed). */
int proof_pok_prove(uint8_t proof[64], const uint8_t *ctx, size_t ctx_len,
    const uint8_t x_pub[32], const uint8_t x[32]) SCRUTIN_WUR;
int proof_pok_prove_with_nonce(uint8_t proof[64], const uint8_t *ctx,
    size_t ctx_len, const uint8_t x_pub[32], const uint8_t x[32],
    const uint8_t w[32]) SCRUTIN_WUR;
int proof_pok_verify(const uint8_t *ctx, size_t ctx_len,
    const uint8_t x_pub[32], const uint8_t proof[64]) SCRUTIN_WUR;

/* --- dleq: X = x·G and D = x·P ------------------------------------------ */

int proof_dleq_prove(uint8_t proof[64], const uint8_t *ctx, size_t ctx_len,
    const uint8_t x_pub[32], const uint8_t p[32], const uint8_t d[32],
    const uint8_t x[32]) SCRUTIN_WUR;
int proof_dleq_prove_with_nonce(uint8_t proof[64], const uint8_t *ctx,
    size_t ctx_len, const uint8_t x_pub[32], const uint8_t p[32],
    const uint8_t d[32], const uint8_t x[32], const uint8_t w[32])
    SCRUTIN_WUR;
int proof_dleq_verify(const uint8_t *ctx, size_t ctx_len,
    const uint8_t x_pub[32], const uint8_t p[32], const uint8_t d[32],
    const uint8_t proof[64]) SCRUTIN_WUR;

/* --- member: (α, β) under Y encrypts one of values[0..k-1] --------------- */

/* values strictly increasing, 1 ≤ k ≤ PROOF_MEMBER_MAX_VALUES; index <
 * k is the true one, r the encryption randomness (non-zero). OUT proof of
 * PROOF_MEMBER_BYTES(k) bytes. */
int proof_member_prove(uint8_t *proof, const uint8_t *ctx, size_t ctx_len,
    const uint8_t y[32], const uint8_t ct[64], const uint64_t *values,
    size_t k, size_t index, const uint8_t r[32]) SCRUTIN_WUR;
/* nonces: 1 + 2·(k−1) scalars in the order of §4.3: w, then c_j, s_j for
 * every j ≠ index in increasing j. */
int proof_member_prove_with_nonces(uint8_t *proof, const uint8_t *ctx,
    size_t ctx_len, const uint8_t y[32], const uint8_t ct[64],
    const uint64_t *values, size_t k, size_t index, const uint8_t r[32],
    const uint8_t (*nonces)[32]) SCRUTIN_WUR;
/* As proof_member_prove_with_nonces; OUT hints (optional, 64·k bytes):
 * the commitments A_0 || B_0 || … || A_{k−1} || B_{k−1} the challenge
 * hashed (docs/protocol.md §5.6), public like the proof. */
int proof_member_prove_hints(uint8_t *proof, uint8_t *hints,
    const uint8_t *ctx, size_t ctx_len, const uint8_t y[32],
    const uint8_t ct[64], const uint64_t *values, size_t k, size_t index,
    const uint8_t r[32], const uint8_t (*nonces)[32]) SCRUTIN_WUR;
int proof_member_verify(const uint8_t *ctx, size_t ctx_len,
    const uint8_t y[32], const uint8_t ct[64], const uint64_t *values,
    size_t k, const uint8_t *proof, size_t proof_len) SCRUTIN_WUR;

/* Internal to crypto/ (ballot.c): verification where y and ct have
 * already been checked by the caller (y not O, α not O, β canonical),
 * so that each input point is decoded once. Always the reference path
 * (it works on encodings); ballot.c uses proof_fast.h instead. */
int proof_member_verify_checked(const uint8_t *ctx, size_t ctx_len,
    const uint8_t y[32], const uint8_t ct[64], const uint64_t *values,
    size_t k, const uint8_t *proof, size_t proof_len) SCRUTIN_WUR;

/* The three verifiers above run the variable-time fast path
 * (crypto/ristretto_fast.h: public data only) unless it is switched off
 * with rf_set_enabled(0); these are the libsodium-API-only reference
 * verifiers, with identical results (tests/unit/test_fast.c). */
int proof_pok_verify_ref(const uint8_t *ctx, size_t ctx_len,
    const uint8_t x_pub[32], const uint8_t proof[64]) SCRUTIN_WUR;
int proof_dleq_verify_ref(const uint8_t *ctx, size_t ctx_len,
    const uint8_t x_pub[32], const uint8_t p[32], const uint8_t d[32],
    const uint8_t proof[64]) SCRUTIN_WUR;
int proof_member_verify_ref(const uint8_t *ctx, size_t ctx_len,
    const uint8_t y[32], const uint8_t ct[64], const uint64_t *values,
    size_t k, const uint8_t *proof, size_t proof_len) SCRUTIN_WUR;

#endif

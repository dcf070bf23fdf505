/*
 * elgamal.h — exponential ElGamal on ristretto255 (docs/protocol.md §3).
 *
 * A ciphertext is α || β (64 bytes), Enc_Y(m; r) = (r·G, r·Y + m·G).
 * Trusts group.c. Invariants: every function validates the points it
 * reads (canonical; Y and, where stated, α not the identity) and returns
 * an error without a result otherwise; outputs are written only on
 * success (on failure they are zeroed). Randomness r is secret and wiped.
 */
#ifndef SCRUTIN_CRYPTO_ELGAMAL_H
#define SCRUTIN_CRYPTO_ELGAMAL_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/error.h"

#define ELGAMAL_CT_BYTES 64

/* 0 if ct is two canonical points; SCRUTIN_ERR_IDENTITY if α = O and
 * !alpha_may_be_identity (ballot ciphertexts: 0; totals: 1). */
int elgamal_ciphertext_check(const uint8_t ct[64], int alpha_may_be_identity)
    SCRUTIN_WUR;

/* OUT ct = Enc_Y(m; r). y not O, r canonical and non-zero. */
int elgamal_encrypt(uint8_t ct[64], const uint8_t y[32], uint64_t m,
    const uint8_t r[32]) SCRUTIN_WUR;
/* As above with a fresh random r, copied to r_out if not NULL (the caller
 * then owns a secret and wipes it). */
int elgamal_encrypt_random(uint8_t ct[64], uint8_t *r_out /* [32] or NULL */,
    const uint8_t y[32], uint64_t m) SCRUTIN_WUR;

/* OUT out = a + b, componentwise (totals: any valid points). out may
 * alias a or b. */
int elgamal_add(uint8_t out[64], const uint8_t a[64], const uint8_t b[64])
    SCRUTIN_WUR;

/* OUT out = (α + r·G, β + r·Y). */
int elgamal_rerandomise(uint8_t out[64], const uint8_t y[32],
    const uint8_t ct[64], const uint8_t r[32]) SCRUTIN_WUR;

/* OUT m_point = β − x·α (= m·G). x is a secret scalar (single-key
 * decryption: tests and audits of a Benaloh challenge; the election key
 * itself is never held by anyone, see tally.h). */
int elgamal_decrypt_point(uint8_t m_point[32], const uint8_t x[32],
    const uint8_t ct[64]) SCRUTIN_WUR;

#endif

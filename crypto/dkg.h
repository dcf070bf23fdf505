/*
 * dkg.h — the key ceremony of docs/protocol.md §6: Feldman/Pedersen
 * distributed key generation with hash-commit-then-reveal.
 *
 * Flow for trustee i (all n trustees do the same):
 *   dkg_trustee_new            draws a_{i,0..t−1} (sodium_malloc memory)
 *   dkg_trustee_commit         C_{i,*}, P_i and h_i; publish h_i only
 *   dkg_commitment_verify      everyone checks every revealed C_{j,*}, P_j
 *   dkg_trustee_box_share      one crypto_box per recipient j
 *   dkg_trustee_receive        opens and Feldman-checks the share from each
 *                              dealer; SCRUTIN_ERR_BAD_DEALER names it
 *   dkg_trustee_finish         x_j, Y_j = x_j·G and its PoK
 * Public: dkg_public_key (Y), dkg_verification_key (Y_j),
 * dkg_share_pok_verify.
 *
 * Trusts group.c, proof.c and libsodium's crypto_box. Invariants: the
 * coefficients and the key share never leave sodium_malloc memory except
 * through the explicit dkg_trustee_share (known-answer tests, boxing) and
 * dkg_trustee_key_share accessors; every failure leaves the trustee
 * object unchanged (a rejected share is not accumulated); finishing
 * requires one accepted share from every dealer.
 */
#ifndef SCRUTIN_CRYPTO_DKG_H
#define SCRUTIN_CRYPTO_DKG_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/error.h"

#define DKG_TRUSTEES_MAX 16
#define DKG_CTX_BYTES 48		/* cctx(i) */
#define DKG_SHARE_CTX_BYTES 57		/* frame(cid) || frame(LE64 j) || frame("share") */
#define DKG_PLAIN_BYTES 80		/* ceremony_id || LE64 i || LE64 j || s */
/* Wire form of a boxed share: 24-byte nonce || crypto_box_easy output. */
#define DKG_BOX_BYTES (24 + 16 + DKG_PLAIN_BYTES)

/* OUT ceremony_id = H256("ceremony", meeting_id, LE64 n, LE64 t,
 * ID_1 || BX_1, …). 1 ≤ t ≤ n ≤ 16. */
int dkg_ceremony_id(uint8_t id[32], const uint8_t *meeting_id,
    size_t meeting_id_len, uint32_t n, uint32_t t,
    const uint8_t (*id_pks)[32], const uint8_t (*box_pks)[32]) SCRUTIN_WUR;

/* OUT cctx(i); OUT the key-share PoK context of trustee j. */
void dkg_context(uint8_t ctx[DKG_CTX_BYTES], const uint8_t ceremony_id[32],
    uint32_t i);
void dkg_share_context(uint8_t ctx[DKG_SHARE_CTX_BYTES],
    const uint8_t ceremony_id[32], uint32_t j);

/* OUT h = H256("dkg-commit", ceremony_id, LE64 i, C_{i,0} || …, P_i). */
void dkg_commit_hash(uint8_t h[32], const uint8_t ceremony_id[32], uint32_t i,
    const uint8_t (*commitments)[32], uint32_t t, const uint8_t pok[64]);

/* The reveal check of step 2: h matches, no C_{i,k} is O, P_i verifies. */
int dkg_commitment_verify(const uint8_t ceremony_id[32], uint32_t i,
    const uint8_t (*commitments)[32], uint32_t t, const uint8_t pok[64],
    const uint8_t h[32]) SCRUTIN_WUR;

/* The Feldman check of step 4: s·G = Σ_k (j^k mod l)·C_{i,k}; s canonical
 * and non-zero. SCRUTIN_ERR_BAD_DEALER on failure. */
int dkg_share_check(const uint8_t s[32], const uint8_t (*commitments)[32],
    uint32_t t, uint32_t j) SCRUTIN_WUR;

typedef struct dkg_trustee dkg_trustee;

/* OUT *out, trustee `index` of an (n, t) ceremony with fresh random
 * coefficients. Free with dkg_trustee_free (wipes). */
int dkg_trustee_new(dkg_trustee **out, const uint8_t ceremony_id[32],
    uint32_t n, uint32_t t, uint32_t index) SCRUTIN_WUR;
/* As above with given coefficients (t non-zero scalars). */
int dkg_trustee_new_with_coefficients(dkg_trustee **out,
    const uint8_t ceremony_id[32], uint32_t n, uint32_t t, uint32_t index,
    const uint8_t (*coefficients)[32]) SCRUTIN_WUR;
void dkg_trustee_free(dkg_trustee *tr);

/* OUT commitments[t], pok, h. pok_nonce NULL draws one. */
int dkg_trustee_commit(dkg_trustee *tr, uint8_t (*commitments)[32],
    uint8_t pok[64], uint8_t h[32], const uint8_t *pok_nonce /* [32] */)
    SCRUTIN_WUR;

/* OUT s = f_i(j), a secret: the caller wipes it. 1 ≤ j ≤ n. */
int dkg_trustee_share(const dkg_trustee *tr, uint32_t j, uint8_t s[32])
    SCRUTIN_WUR;
/* OUT box = nonce || crypto_box_easy(ceremony_id || LE64 i || LE64 j ||
 * s_{i,j}) from BX_i (my_box_sk) to BX_j (their_box_pk). nonce NULL
 * draws one. */
int dkg_trustee_box_share(const dkg_trustee *tr, uint32_t j,
    uint8_t box[DKG_BOX_BYTES], const uint8_t my_box_sk[32],
    const uint8_t their_box_pk[32], const uint8_t *nonce /* [24] */)
    SCRUTIN_WUR;

/* Opens the box from dealer i, checks its header, that s is canonical and
 * non-zero, and the Feldman equation against the dealer's (already
 * verified) commitments; accumulates s into x_j. SCRUTIN_ERR_BAD_DEALER
 * names dealer i (complaint); SCRUTIN_ERR_STATE if i was already
 * received. */
int dkg_trustee_receive(dkg_trustee *tr, uint32_t dealer,
    const uint8_t box[DKG_BOX_BYTES], const uint8_t dealer_box_pk[32],
    const uint8_t my_box_sk[32], const uint8_t (*commitments)[32])
    SCRUTIN_WUR;
/* The same from a plaintext share (tests, or a share already opened). */
int dkg_trustee_receive_share(dkg_trustee *tr, uint32_t dealer,
    const uint8_t s[32], const uint8_t (*commitments)[32]) SCRUTIN_WUR;

/* Once every dealer's share is in: OUT Y_j = x_j·G and its PoK (context
 * dkg_share_context). pok_nonce NULL draws one. */
int dkg_trustee_finish(dkg_trustee *tr, uint8_t yj[32], uint8_t pok[64],
    const uint8_t *pok_nonce /* [32] */) SCRUTIN_WUR;
/* The key share x_j (in sodium_malloc memory owned by tr), NULL before
 * dkg_trustee_finish succeeded. */
const uint8_t *dkg_trustee_key_share(const dkg_trustee *tr);
uint32_t dkg_trustee_index(const dkg_trustee *tr);

/* commitments: n·t points, row i−1 = C_{i,0..t−1}. */
int dkg_public_key(uint8_t y[32], const uint8_t (*commitments)[32],
    uint32_t n, uint32_t t) SCRUTIN_WUR;
int dkg_verification_key(uint8_t yj[32], const uint8_t (*commitments)[32],
    uint32_t n, uint32_t t, uint32_t j) SCRUTIN_WUR;
int dkg_share_pok_verify(const uint8_t ceremony_id[32], uint32_t j,
    const uint8_t yj[32], const uint8_t pok[64]) SCRUTIN_WUR;

#endif

/*
 * ballot.h — encrypted ballots (docs/protocol.md §5).
 *
 * A question (qid, n, min, max) fixes the number e of explicit choices
 * and the overall range [lo, hi]. A ballot body is
 *   T("ballot", eid, qid, K_voice, K_signer, LE64 e,
 *     C_1 || π_1, …, C_e || π_e, π_0)
 * signed with Ed25519 by K_signer; its receipt is H256("receipt", body,
 * sig).
 *
 * Trusts group.c, elgamal.c, proof.c and libsodium's Ed25519. Does NOT
 * decide whether K_voice and K_signer are known credentials or whether a
 * proxy links them: the caller (server, verifier) does. Invariants: the
 * parser accepts only the exact framing (labels, lengths, field count, no
 * trailing byte); ballot_verify() accepts only when the body matches the
 * question and election, the signature verifies and every proof
 * verifies; the builder never emits a ballot whose selection is outside
 * [min, max] and wipes every randomness and nonce. ballot_verify_batch()
 * returns, ballot by ballot, exactly ballot_verify()'s code: hints
 * (docs/protocol.md §5.6) only make it faster, any failure falls back.
 */
#ifndef SCRUTIN_CRYPTO_BALLOT_H
#define SCRUTIN_CRYPTO_BALLOT_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/error.h"
#include "crypto/tally.h"

#define BALLOT_QID_MAX 64
#define BALLOT_CHOICES_MAX 64
#define BALLOT_CHOICE_BYTES 192	/* C_i || π_i */
/* ctx(i) is at most 4+32 + 4+64 + 3·12 + 4+32 + 12 bytes, and 4+32 more
 * for the question digest (scrutin/2). */
#define BALLOT_CTX_MAX 224
/* The largest body: framing, 64 explicit choices and π_0 over 65 values. */
#define BALLOT_BODY_MAX (13 + 10 + 36 + 68 + 36 + 36 + 12 + \
    BALLOT_CHOICES_MAX * (4 + BALLOT_CHOICE_BYTES) + 4 + 64 * 65)
#define BALLOT_SIG_BYTES 64
#define BALLOT_RECEIPT_BYTES 32

typedef struct {
	char qid[BALLOT_QID_MAX + 1];	/* NUL-terminated copy */
	size_t qid_len;
	uint32_t n, min, max;
	uint32_t e;	/* explicit choices: n − 1 when min = max, else n */
	uint32_t lo, hi;	/* overall range proven on Σ C_i */
	/* The question digest (docs/protocol.md §5.7, scrutin/2): when
	 * has_digest, every ctx(i) ends with frame(digest); a question of
	 * a scrutin/1 record has none. Set by ballot_question_set_digest. */
	int has_digest;
	uint8_t digest[32];
} ballot_question;

/* OUT q, validating qid (1–64 bytes of [A-Za-z0-9._-]), 2 ≤ n ≤ 64,
 * min ≤ max, 1 ≤ max ≤ n, and deriving e, lo, hi. */
int ballot_question_init(ballot_question *q, const char *qid, size_t qid_len,
    uint32_t n, uint32_t min, uint32_t max) SCRUTIN_WUR;

/* Binds q to its question digest (protocol §5.7): ctx(i) of every
 * ballot built or verified for q then ends with frame(digest). */
void ballot_question_set_digest(ballot_question *q, const uint8_t digest[32]);

/* The exact body length for q. */
size_t ballot_body_size(const ballot_question *q);
/* Number of 32-byte nonces ballot_build_with_nonces() takes: 3 per
 * explicit choice, then 1 + 2·(hi − lo) for π_0. */
size_t ballot_nonce_count(const ballot_question *q);

/* OUT ctx = ctx(i) of §5.2; returns its length (≤ BALLOT_CTX_MAX). */
size_t ballot_context(uint8_t ctx[BALLOT_CTX_MAX], const ballot_question *q,
    const uint8_t eid[32], const uint8_t voice_pk[32], uint64_t i);

/* OUT body (exactly ballot_body_size(q) bytes written into body_cap).
 * selection: n bytes, each 0 or 1, all n choices (the implicit last one
 * must agree with the others when min = max). SCRUTIN_ERR_SELECTION when
 * the count is outside [min, max]. The caller then signs the body (see
 * credential_sign) and computes the receipt. */
int ballot_build(uint8_t *body, size_t body_cap, size_t *body_len,
    const ballot_question *q, const uint8_t eid[32], const uint8_t y[32],
    const uint8_t voice_pk[32], const uint8_t signer_pk[32],
    const uint8_t *selection) SCRUTIN_WUR;
/* As above with explicit randomness (known-answer tests): r[e] non-zero
 * scalars, nonces[ballot_nonce_count(q)] in the order π_1 … π_e, π_0. */
int ballot_build_with_nonces(uint8_t *body, size_t body_cap, size_t *body_len,
    const ballot_question *q, const uint8_t eid[32], const uint8_t y[32],
    const uint8_t voice_pk[32], const uint8_t signer_pk[32],
    const uint8_t *selection, const uint8_t (*r)[32],
    const uint8_t (*nonces)[32]) SCRUTIN_WUR;

/* --- verification hints (docs/protocol.md §5.6) ---
 * The commitments A_0, B_0, … of every membership proof, π_1 … π_e then
 * π_0: 64·(2e + hi − lo + 1) bytes. Not part of the body, not signed. */
size_t ballot_hints_size(const ballot_question *q);
/* ballot_build / ballot_build_with_nonces, and OUT hints (optional: NULL
 * for none; else ballot_hints_size(q) bytes, zeroed on failure). The
 * body is byte for byte what the builders without hints produce. */
int ballot_build_hints(uint8_t *body, size_t body_cap, size_t *body_len,
    uint8_t *hints, const ballot_question *q, const uint8_t eid[32],
    const uint8_t y[32], const uint8_t voice_pk[32],
    const uint8_t signer_pk[32], const uint8_t *selection) SCRUTIN_WUR;
int ballot_build_with_nonces_hints(uint8_t *body, size_t body_cap,
    size_t *body_len, uint8_t *hints, const ballot_question *q,
    const uint8_t eid[32], const uint8_t y[32], const uint8_t voice_pk[32],
    const uint8_t signer_pk[32], const uint8_t *selection,
    const uint8_t (*r)[32], const uint8_t (*nonces)[32]) SCRUTIN_WUR;

/* A parsed body. Pointers point into the body, which must outlive it. */
typedef struct {
	const uint8_t *eid;		/* 32 bytes */
	const uint8_t *qid;		/* qid_len bytes, not NUL-terminated */
	size_t qid_len;
	const uint8_t *voice_pk;	/* 32 bytes */
	const uint8_t *signer_pk;	/* 32 bytes */
	uint32_t e;
	const uint8_t *choice[BALLOT_CHOICES_MAX];	/* C_i || π_i, 192 bytes */
	const uint8_t *overall;		/* π_0 */
	size_t overall_len;		/* a multiple of 64, 64 … 64·65 */
} ballot_parsed;

/* Strict structural parse (no cryptographic check): labels, frame
 * lengths, 1 ≤ e ≤ 64, qid syntax, no trailing bytes. */
int ballot_body_parse(ballot_parsed *out, const uint8_t *body, size_t len)
    SCRUTIN_WUR;

/* Full verification of §5.5 except credential/proxy lookups: parse, match
 * eid, qid, e and |π_0| against q, Ed25519-verify sig with K_signer,
 * every point canonical (α ≠ O), every proof. OUT (optional) the parse,
 * only on success. y must be the election key (checked non-identity). */
int ballot_verify(ballot_parsed *out, const ballot_question *q,
    const uint8_t eid[32], const uint8_t y[32], const uint8_t *body,
    size_t len, const uint8_t sig[64]) SCRUTIN_WUR;

/* ballot_verify runs the variable-time fast path (public data only,
 * crypto/ristretto_fast.h) unless rf_set_enabled(0); this is the
 * libsodium-API-only reference with identical results. */
int ballot_verify_ref(ballot_parsed *out, const ballot_question *q,
    const uint8_t eid[32], const uint8_t y[32], const uint8_t *body,
    size_t len, const uint8_t sig[64]) SCRUTIN_WUR;

/* ballot_verify, and on success only, sums[i − 1] += C_i for i = 1 … e
 * (sums: q->e accumulators, see tally.h) from the points the
 * verification already decoded: the homomorphic sum costs no decoding. */
int ballot_verify_acc(ballot_parsed *out, const ballot_question *q,
    const uint8_t eid[32], const uint8_t y[32], const uint8_t *body,
    size_t len, const uint8_t sig[64], tally_acc *sums) SCRUTIN_WUR;

/* One ballot for ballot_verify_batch: what ballot_verify takes, and its
 * hints (hints_len bytes; NULL: none). Nothing is copied. */
typedef struct {
	const ballot_question *q;
	const uint8_t *eid;	/* 32 */
	const uint8_t *y;	/* 32 */
	const uint8_t *body;
	size_t len;
	const uint8_t *sig;	/* 64 */
	const uint8_t *hints;
	size_t hints_len;
} ballot_batch_item;

/* OUT rc[i] = exactly what ballot_verify(NULL, items[i]…) returns, for
 * i < n, computed faster for the ballots with hints (§5.6: one
 * multi-scalar multiplication per chunk of ballots, fresh random 128-bit
 * weights; a chunk whose equation fails is split in halves; ballot_verify
 * decides every ballot that fails). OUT via_batch (optional, n bytes): 1
 * where the verdict came from a batch equation (accepted there), 0 where
 * ballot_verify decided (no hints, a hint or step before the equation
 * failed, or its own equation failed, or the split's budget ran out).
 * Returns 0, or SCRUTIN_ERR_ARGUMENT (items or rc NULL with n > 0).
 * Variable time on public data; with rf_set_enabled(0), ballot_verify
 * one by one. Thread-safe. */
int ballot_verify_batch(const ballot_batch_item *items, size_t n, int *rc,
    uint8_t *via_batch) SCRUTIN_WUR;
/* ballot_verify_batch, and for each accepted ballot i with sums[i] ≠ NULL
 * (sums itself may be NULL), sums[i][c − 1] += C_c for c = 1 … e, as
 * ballot_verify_acc: from the points the verification decoded (the batch
 * equation's α_i, β_i, or ballot_verify_acc's for a ballot decided
 * alone). Nothing is added for a refused ballot. */
int ballot_verify_batch_acc(const ballot_batch_item *items, size_t n,
    int *rc, uint8_t *via_batch, tally_acc *const *sums) SCRUTIN_WUR;

/* OUT the ciphertext C_i (1 ≤ i ≤ e) of a parsed ballot. */
void ballot_parsed_ciphertext(uint8_t ct[64], const ballot_parsed *p,
    uint32_t i);

/* OUT receipt = H256("receipt", body, sig). */
void ballot_receipt(uint8_t receipt[32], const uint8_t *body, size_t len,
    const uint8_t sig[64]);

#endif

/*
 * group.h — ristretto255 scalars and points, and the hashing of
 * docs/protocol.md §1–2, on top of libsodium.
 *
 * Trusts: libsodium (>= 1.0.18) for the group law, scalar arithmetic and
 * SHA-2. Nothing else.
 *
 * Invariants: every scalar handled by crypto/ is 32 bytes little-endian
 * and canonical (< l); every point is a canonical 32-byte encoding, the
 * identity being 32 zero bytes. Decoders (group_scalar_check*,
 * group_point_check*) are the only gate from untrusted bytes; the
 * arithmetic wrappers below accept the identity and zero scalars and
 * return its encoding where libsodium 1.0.18 would return -1.
 *
 * libsodium 1.0.18 facts this file relies on (checked by the unit tests):
 * - crypto_core_ristretto255_is_valid_point() accepts the all-zero
 *   encoding (the identity is a valid group element);
 * - its decoder IGNORES BIT 255: an encoding with the top bit set is
 *   accepted as the point without it. RFC 9496 rejects it (it is not the
 *   encoding of a field element < p), so every function here refuses a
 *   point whose top bit is set before libsodium decodes it;
 * - crypto_scalarmult_ristretto255{,_base}() return -1 both when the
 *   point does not decode and when the result is the identity; they clear
 *   the top bit of the scalar, harmless for canonical scalars (< 2^253);
 * - crypto_core_ristretto255_add/sub() accept the identity.
 */
#ifndef SCRUTIN_CRYPTO_GROUP_H
#define SCRUTIN_CRYPTO_GROUP_H

#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#include "crypto/error.h"

#define GROUP_SCALAR_BYTES 32
#define GROUP_POINT_BYTES 32

/* The encodings of the generator G and of the identity O. */
extern const uint8_t group_generator[GROUP_POINT_BYTES];
extern const uint8_t group_identity[GROUP_POINT_BYTES];

/* Initialises libsodium; call once before anything else in crypto/.
 * Returns 0 or SCRUTIN_ERR_INTERNAL. Safe to call more than once. */
int group_init(void) SCRUTIN_WUR;

/* --- scalars ------------------------------------------------------- */

/* 0 if s is canonical (< l), else SCRUTIN_ERR_SCALAR. */
int group_scalar_check(const uint8_t s[32]) SCRUTIN_WUR;
/* As above, and SCRUTIN_ERR_ZERO for the zero scalar. */
int group_scalar_check_nonzero(const uint8_t s[32]) SCRUTIN_WUR;
int group_scalar_is_zero(const uint8_t s[32]);
/* OUT s = v (always canonical: v < 2^64 < l). */
void group_scalar_from_u64(uint8_t s[32], uint64_t v);
/* OUT s = a uniformly random non-zero scalar. */
void group_scalar_random(uint8_t s[32]);

/* --- points -------------------------------------------------------- */

/* 0 if p is a canonical encoding (the identity included), else
 * SCRUTIN_ERR_POINT. */
int group_point_check(const uint8_t p[32]) SCRUTIN_WUR;
/* As above, and SCRUTIN_ERR_IDENTITY for the identity. */
int group_point_check_nonidentity(const uint8_t p[32]) SCRUTIN_WUR;
int group_point_is_identity(const uint8_t p[32]);

/* OUT q = s·p. Any scalar (zero included) and any valid point (the
 * identity included); SCRUTIN_ERR_POINT if p does not decode. */
int group_mul(uint8_t q[32], const uint8_t s[32], const uint8_t p[32])
    SCRUTIN_WUR;
/* OUT q = s·G (the identity for s = 0). */
void group_mul_base(uint8_t q[32], const uint8_t s[32]);
/* OUT r = p + q, r = p − q. SCRUTIN_ERR_POINT if an input does not
 * decode. r may alias p or q. */
int group_add(uint8_t r[32], const uint8_t p[32], const uint8_t q[32])
    SCRUTIN_WUR;
int group_sub(uint8_t r[32], const uint8_t p[32], const uint8_t q[32])
    SCRUTIN_WUR;
/* OUT r = s·G − c·X: one base multiplication, one variable-base
 * multiplication by (−c), one addition. */
int group_base_minus(uint8_t r[32], const uint8_t s[32], const uint8_t c[32],
    const uint8_t x[32]) SCRUTIN_WUR;

/* --- hashing (protocol §2) ------------------------------------------ */

enum transcript_kind {
	TRANSCRIPT_HS = 1,	/* SHA-512 reduced mod l: a scalar */
	TRANSCRIPT_H256 = 2	/* SHA-256: 32 bytes */
};

/* An incremental T(label, f1, …, fk). Use on the stack; finishing wipes
 * it. Field lengths must fit in 32 bits (larger aborts: a programming
 * error, every input of crypto/ is capped far below). */
typedef struct {
	enum transcript_kind kind;
	crypto_hash_sha512_state s512;
	crypto_hash_sha256_state s256;
} transcript;

/* Starts T: frame("scrutin/1") || frame(label). */
void transcript_init(transcript *t, enum transcript_kind kind,
    const char *label);
/* Appends frame(f). */
void transcript_field(transcript *t, const void *f, size_t len);
/* Appends frame(LE64 v). */
void transcript_field_u64(transcript *t, uint64_t v);
/* Appends the frame header of a field of len bytes given next, in pieces,
 * through transcript_raw (the caller makes the pieces add up to len). */
void transcript_field_begin(transcript *t, size_t len);
void transcript_raw(transcript *t, const void *p, size_t len);
/* OUT the scalar Hs (kind TRANSCRIPT_HS) or the digest H256 (kind
 * TRANSCRIPT_H256). Wipes the state. */
void transcript_final(transcript *t, uint8_t out[32]);

/* Convenience: Hs or H256 over k fields given as arrays. */
void transcript_hash(uint8_t out[32], enum transcript_kind kind,
    const char *label, const uint8_t *const *fields, const size_t *lens,
    size_t k);

/* A byte buffer that frames fields, for contexts and ballot bodies. */
typedef struct {
	uint8_t *p;
	size_t cap;
	size_t len;
	int overflow;	/* set when an append did not fit; len stops growing */
} framebuf;

void framebuf_init(framebuf *b, uint8_t *p, size_t cap);
void framebuf_field(framebuf *b, const void *f, size_t len);
void framebuf_field_u64(framebuf *b, uint64_t v);
void framebuf_raw(framebuf *b, const void *f, size_t len);

void group_le32_put(uint8_t out[4], uint32_t v);
void group_le64_put(uint8_t out[8], uint64_t v);
uint32_t group_le32_get(const uint8_t in[4]);
uint64_t group_le64_get(const uint8_t in[8]);

#endif

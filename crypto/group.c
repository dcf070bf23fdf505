/*
 * group.c — ristretto255 wrappers and the transcript hashing of
 * docs/protocol.md §1–2.
 *
 * Trusts libsodium. Keeps the invariants stated in group.h: the checks
 * here decide what an untrusted 32-byte string may be; the wrappers turn
 * libsodium 1.0.18's "-1 for an identity result" into the identity
 * encoding, and every other libsodium failure into an error.
 */
#include <stdlib.h>
#include <string.h>

#include "crypto/group.h"

const uint8_t group_generator[GROUP_POINT_BYTES] = {
	0xe2, 0xf2, 0xae, 0x0a, 0x6a, 0xbc, 0x4e, 0x71, 0xa8, 0x84, 0xa9,
	0x61, 0xc5, 0x00, 0x51, 0x5f, 0x58, 0xe3, 0x0b, 0x6a, 0xa5, 0x82,
	0xdd, 0x8d, 0xb6, 0xa6, 0x59, 0x45, 0xe0, 0x8d, 0x2d, 0x76,
};

const uint8_t group_identity[GROUP_POINT_BYTES] = { 0 };

/* l = 2^252 + 27742317777372353535851937790883648493, little-endian. */
static const uint8_t group_order[32] = {
	0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
	0xa2, 0xde, 0xf9, 0xde, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
};

static const char group_ds[] = "scrutin/1";

int
group_init(void)
{
	return sodium_init() < 0 ? SCRUTIN_ERR_INTERNAL : 0;
}

int
group_scalar_check(const uint8_t s[32])
{
	/* Public data: a plain comparison from the most significant byte. */
	for (int i = 31; i >= 0; i--) {
		if (s[i] < group_order[i])
			return 0;
		if (s[i] > group_order[i])
			return SCRUTIN_ERR_SCALAR;
	}
	return SCRUTIN_ERR_SCALAR;	/* s == l */
}

int
group_scalar_is_zero(const uint8_t s[32])
{
	return sodium_is_zero(s, 32);
}

int
group_scalar_check_nonzero(const uint8_t s[32])
{
	int rc = group_scalar_check(s);

	if (rc != 0)
		return rc;
	return group_scalar_is_zero(s) ? SCRUTIN_ERR_ZERO : 0;
}

void
group_scalar_from_u64(uint8_t s[32], uint64_t v)
{
	memset(s, 0, 32);
	group_le64_put(s, v);
}

void
group_scalar_random(uint8_t s[32])
{
	do
		crypto_core_ristretto255_scalar_random(s);
	while (group_scalar_is_zero(s));
}

int
group_point_is_identity(const uint8_t p[32])
{
	return sodium_is_zero(p, 32);
}

/*
 * libsodium 1.0.18's ristretto255 decoder ignores bit 255: it accepts
 * G's encoding with the top bit set as G. RFC 9496 §4.3.1 requires the
 * encoding of a field element < 2^255 − 19, so such a string is not
 * canonical; every entry point below refuses it before libsodium sees it.
 */
static int
top_bit_set(const uint8_t p[32])
{
	return (p[31] & 0x80) != 0;
}

int
group_point_check(const uint8_t p[32])
{
	/* is_valid_point accepts the all-zero identity encoding (1.0.18). */
	if (top_bit_set(p))
		return SCRUTIN_ERR_POINT;
	return crypto_core_ristretto255_is_valid_point(p) == 1 ? 0 :
	    SCRUTIN_ERR_POINT;
}

int
group_point_check_nonidentity(const uint8_t p[32])
{
	if (group_point_is_identity(p))
		return SCRUTIN_ERR_IDENTITY;
	return group_point_check(p);
}

int
group_mul(uint8_t q[32], const uint8_t s[32], const uint8_t p[32])
{
	uint8_t tmp[32];

	if (top_bit_set(p)) {
		memset(q, 0, 32);
		return SCRUTIN_ERR_POINT;
	}
	if (crypto_scalarmult_ristretto255(tmp, s, p) == 0) {
		memcpy(q, tmp, 32);
		sodium_memzero(tmp, sizeof tmp);
		return 0;
	}
	/* -1: either p does not decode, or the product is the identity
	 * (zero scalar, identity point). Only the first is an error. */
	if (group_point_check(p) != 0) {
		memset(q, 0, 32);
		return SCRUTIN_ERR_POINT;
	}
	memset(q, 0, 32);
	return 0;
}

void
group_mul_base(uint8_t q[32], const uint8_t s[32])
{
	/* -1 only when s·G is the identity (s ≡ 0); q is then all zero,
	 * but set it ourselves rather than rely on that. */
	if (crypto_scalarmult_ristretto255_base(q, s) != 0)
		memset(q, 0, 32);
}

int
group_add(uint8_t r[32], const uint8_t p[32], const uint8_t q[32])
{
	if (top_bit_set(p) || top_bit_set(q))
		return SCRUTIN_ERR_POINT;
	return crypto_core_ristretto255_add(r, p, q) == 0 ? 0 :
	    SCRUTIN_ERR_POINT;
}

int
group_sub(uint8_t r[32], const uint8_t p[32], const uint8_t q[32])
{
	if (top_bit_set(p) || top_bit_set(q))
		return SCRUTIN_ERR_POINT;
	return crypto_core_ristretto255_sub(r, p, q) == 0 ? 0 :
	    SCRUTIN_ERR_POINT;
}

int
group_base_minus(uint8_t r[32], const uint8_t s[32], const uint8_t c[32],
    const uint8_t x[32])
{
	uint8_t negc[32], cx[32], sg[32];
	int rc;

	crypto_core_ristretto255_scalar_negate(negc, c);
	if ((rc = group_mul(cx, negc, x)) != 0)
		goto out;
	group_mul_base(sg, s);
	rc = group_add(r, sg, cx);
out:
	/* s may be a secret (prover side): wipe the intermediates. */
	sodium_memzero(sg, sizeof sg);
	sodium_memzero(negc, sizeof negc);
	sodium_memzero(cx, sizeof cx);
	return rc;
}

/* --- little-endian integers ------------------------------------------ */

void
group_le32_put(uint8_t out[4], uint32_t v)
{
	for (int i = 0; i < 4; i++)
		out[i] = (uint8_t)(v >> (8 * i));
}

void
group_le64_put(uint8_t out[8], uint64_t v)
{
	for (int i = 0; i < 8; i++)
		out[i] = (uint8_t)(v >> (8 * i));
}

uint32_t
group_le32_get(const uint8_t in[4])
{
	uint32_t v = 0;

	for (int i = 3; i >= 0; i--)
		v = (v << 8) | in[i];
	return v;
}

uint64_t
group_le64_get(const uint8_t in[8])
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | in[i];
	return v;
}

/* --- transcripts ------------------------------------------------------ */

void
transcript_raw(transcript *t, const void *p, size_t len)
{
	if (t->kind == TRANSCRIPT_HS)
		crypto_hash_sha512_update(&t->s512, p, len);
	else
		crypto_hash_sha256_update(&t->s256, p, len);
}

void
transcript_field_begin(transcript *t, size_t len)
{
	uint8_t hdr[4];

	if (len > UINT32_MAX)
		abort();
	group_le32_put(hdr, (uint32_t)len);
	transcript_raw(t, hdr, sizeof hdr);
}

void
transcript_field(transcript *t, const void *f, size_t len)
{
	transcript_field_begin(t, len);
	if (len > 0)
		transcript_raw(t, f, len);
}

void
transcript_field_u64(transcript *t, uint64_t v)
{
	uint8_t b[8];

	group_le64_put(b, v);
	transcript_field(t, b, sizeof b);
}

void
transcript_init(transcript *t, enum transcript_kind kind, const char *label)
{
	t->kind = kind;
	if (kind == TRANSCRIPT_HS)
		crypto_hash_sha512_init(&t->s512);
	else
		crypto_hash_sha256_init(&t->s256);
	transcript_field(t, group_ds, sizeof group_ds - 1);
	transcript_field(t, label, strlen(label));
}

void
transcript_final(transcript *t, uint8_t out[32])
{
	uint8_t wide[64];

	if (t->kind == TRANSCRIPT_HS) {
		crypto_hash_sha512_final(&t->s512, wide);
		crypto_core_ristretto255_scalar_reduce(out, wide);
		sodium_memzero(wide, sizeof wide);
	} else {
		crypto_hash_sha256_final(&t->s256, out);
	}
	/* Transcripts of provers hash nonce commitments: wipe the state. */
	sodium_memzero(t, sizeof *t);
}

void
transcript_hash(uint8_t out[32], enum transcript_kind kind, const char *label,
    const uint8_t *const *fields, const size_t *lens, size_t k)
{
	transcript t;

	transcript_init(&t, kind, label);
	for (size_t i = 0; i < k; i++)
		transcript_field(&t, fields[i], lens[i]);
	transcript_final(&t, out);
}

/* --- framed byte buffers --------------------------------------------- */

void
framebuf_init(framebuf *b, uint8_t *p, size_t cap)
{
	b->p = p;
	b->cap = cap;
	b->len = 0;
	b->overflow = 0;
}

void
framebuf_raw(framebuf *b, const void *f, size_t len)
{
	if (b->overflow || len > b->cap - b->len) {
		b->overflow = 1;
		return;
	}
	if (len > 0)
		memcpy(b->p + b->len, f, len);
	b->len += len;
}

void
framebuf_field(framebuf *b, const void *f, size_t len)
{
	uint8_t hdr[4];

	if (len > UINT32_MAX) {
		b->overflow = 1;
		return;
	}
	group_le32_put(hdr, (uint32_t)len);
	framebuf_raw(b, hdr, sizeof hdr);
	framebuf_raw(b, f, len);
}

void
framebuf_field_u64(framebuf *b, uint64_t v)
{
	uint8_t le[8];

	group_le64_put(le, v);
	framebuf_field(b, le, sizeof le);
}

/*
 * hex.h — strict text encodings: lowercase hex (docs/protocol.md §1) and
 * base64url without padding (RFC 4648 §5, used by credential links).
 *
 * Trusts nothing. Invariants: decoders accept exactly one spelling per
 * byte string (lowercase hex only; base64url with no padding, no
 * whitespace and zero unused trailing bits) and write nothing on failure
 * but zeros.
 */
#ifndef SCRUTIN_CRYPTO_HEX_H
#define SCRUTIN_CRYPTO_HEX_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/error.h"

/* OUT out = 2·len lowercase hex digits and a NUL; out_cap ≥ 2·len + 1. */
int hex_encode(char *out, size_t out_cap, const uint8_t *in, size_t len)
    SCRUTIN_WUR;
/* Decodes exactly out_len bytes from in (in_len must be 2·out_len).
 * SCRUTIN_ERR_LENGTH or SCRUTIN_ERR_ENCODING otherwise. */
int hex_decode(uint8_t *out, size_t out_len, const char *in, size_t in_len)
    SCRUTIN_WUR;

/* The length of the base64url text of len bytes (no padding). */
size_t b64url_encoded_len(size_t len);
/* OUT out = base64url text and a NUL; out_cap ≥ b64url_encoded_len + 1. */
int b64url_encode(char *out, size_t out_cap, const uint8_t *in, size_t len)
    SCRUTIN_WUR;
/* Decodes exactly out_len bytes (in_len must be b64url_encoded_len). */
int b64url_decode(uint8_t *out, size_t out_len, const char *in, size_t in_len)
    SCRUTIN_WUR;

#endif

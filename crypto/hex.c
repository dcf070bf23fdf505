/*
 * hex.c — strict lowercase hex and unpadded base64url (see hex.h).
 *
 * Table-free, branchy code: the inputs decoded here are public (vectors,
 * records) or, for a credential link secret, decoded once on the voter's
 * device; timing is not a concern for them.
 */
#include <string.h>

#include "crypto/hex.h"

static const char hex_digits[] = "0123456789abcdef";
static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int
hex_encode(char *out, size_t out_cap, const uint8_t *in, size_t len)
{
	if (len > (SIZE_MAX - 1) / 2 || out_cap < 2 * len + 1)
		return SCRUTIN_ERR_LENGTH;
	for (size_t i = 0; i < len; i++) {
		out[2 * i] = hex_digits[in[i] >> 4];
		out[2 * i + 1] = hex_digits[in[i] & 15];
	}
	out[2 * len] = '\0';
	return 0;
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
hex_decode(uint8_t *out, size_t out_len, const char *in, size_t in_len)
{
	if (out_len > SIZE_MAX / 2 || in_len != 2 * out_len) {
		if (out_len > 0)
			memset(out, 0, out_len);
		return SCRUTIN_ERR_LENGTH;
	}
	for (size_t i = 0; i < out_len; i++) {
		int hi = hex_value(in[2 * i]), lo = hex_value(in[2 * i + 1]);

		if (hi < 0 || lo < 0) {
			memset(out, 0, out_len);
			return SCRUTIN_ERR_ENCODING;
		}
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

size_t
b64url_encoded_len(size_t len)
{
	return len / 3 * 4 + (len % 3 == 0 ? 0 : len % 3 + 1);
}

int
b64url_encode(char *out, size_t out_cap, const uint8_t *in, size_t len)
{
	size_t o = 0, i = 0;

	if (len > SIZE_MAX / 2 || out_cap < b64url_encoded_len(len) + 1)
		return SCRUTIN_ERR_LENGTH;
	for (; i + 3 <= len; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 |
		    in[i + 2];

		out[o++] = b64_alphabet[v >> 18];
		out[o++] = b64_alphabet[(v >> 12) & 63];
		out[o++] = b64_alphabet[(v >> 6) & 63];
		out[o++] = b64_alphabet[v & 63];
	}
	if (len - i == 1) {
		out[o++] = b64_alphabet[in[i] >> 2];
		out[o++] = b64_alphabet[(in[i] & 3) << 4];
	} else if (len - i == 2) {
		uint32_t v = (uint32_t)in[i] << 8 | in[i + 1];

		out[o++] = b64_alphabet[v >> 10];
		out[o++] = b64_alphabet[(v >> 4) & 63];
		out[o++] = b64_alphabet[(v & 15) << 2];
	}
	out[o] = '\0';
	return 0;
}

static int
b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

int
b64url_decode(uint8_t *out, size_t out_len, const char *in, size_t in_len)
{
	uint32_t acc = 0;
	unsigned bits = 0;
	size_t o = 0;
	int rc = 0;

	if (out_len > SIZE_MAX / 2 || in_len != b64url_encoded_len(out_len)) {
		rc = SCRUTIN_ERR_LENGTH;
		goto out;
	}
	for (size_t i = 0; i < in_len; i++) {
		int v = b64_value(in[i]);

		if (v < 0) {
			rc = SCRUTIN_ERR_ENCODING;
			goto out;
		}
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (uint8_t)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	/* Unused trailing bits must be zero: one spelling per value. */
	if (acc != 0)
		rc = SCRUTIN_ERR_ENCODING;
out:
	if (rc != 0 && out_len > 0)
		memset(out, 0, out_len);
	return rc;
}

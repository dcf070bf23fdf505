/*
 * fuzz_hex.c — strict hex and base64url decoders (crypto/hex.h): whatever
 * decodes re-encodes to exactly the input (one spelling per value).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/scrutin_crypto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[4096];
	static char back[8200];
	const char *in = (const char *)data;

	if (size > 8000)
		return 0;
	if (size % 2 == 0 && hex_decode(out, size / 2, in, size) == 0) {
		if (hex_encode(back, sizeof back, out, size / 2) != 0 ||
		    memcmp(back, in, size) != 0)
			abort();
	}
	/* base64url: try the one length this text could decode to. */
	for (size_t n = size * 3 / 4; n <= size * 3 / 4 + 1 && n < 4096; n++) {
		if (b64url_encoded_len(n) != size)
			continue;
		if (b64url_decode(out, n, in, size) == 0) {
			if (b64url_encode(back, sizeof back, out, n) != 0 ||
			    strlen(back) != size || memcmp(back, in, size) != 0)
				abort();
		}
	}
	return 0;
}

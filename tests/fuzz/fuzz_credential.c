/*
 * fuzz_credential.c — credential code normalisation and link fragment
 * parsing (crypto/credential.h). First byte selects the parser. An
 * accepted code is 8 characters of the Crockford alphabet and is a fixed
 * point of normalisation; an accepted fragment re-encodes to itself.
 * (No Argon2 here: it is slow by design and takes no untrusted syntax.)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/scrutin_crypto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char code[9], again[9], frag[23];
	uint8_t ls[16];

	if (size < 1)
		return 0;
	const char *in = (const char *)data + 1;
	size_t len = size - 1;

	if (data[0] & 1) {
		if (credential_code_normalise(code, in, len) == 0) {
			if (strlen(code) != 8 ||
			    strspn(code, "0123456789ABCDEFGHJKMNPQRSTVWXYZ") != 8)
				abort();
			if (credential_code_normalise(again, code, 8) != 0 ||
			    strcmp(code, again) != 0)
				abort();
		}
	} else if (credential_fragment_decode(ls, in, len) == 0) {
		credential_fragment_encode(frag, ls);
		if (len != 22 || memcmp(frag, in, 22) != 0)
			abort();
	}
	return 0;
}

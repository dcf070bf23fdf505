/*
 * fuzz_ciphertext.c — ElGamal ciphertext decoding (crypto/elgamal.h):
 * check, add and re-randomise any 64-byte input; an accepted ciphertext
 * stays valid through the homomorphic operations.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/scrutin_crypto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t ct[64], out[64], y[32], r[32] = { 5 }, x[32] = { 9 };
	uint8_t mp[32];

	if (group_init() != 0)
		abort();
	if (size < 64)
		return 0;
	memcpy(ct, data, 64);
	group_mul_base(y, x);
	int ok = elgamal_ciphertext_check(ct, 1);
	int strict = elgamal_ciphertext_check(ct, 0);

	if (strict == 0 && ok != 0)
		abort();
	if (ok == 0) {
		if (elgamal_add(out, ct, ct) != 0 ||
		    elgamal_ciphertext_check(out, 1) != 0)
			abort();
		if (elgamal_rerandomise(out, y, ct, r) != 0 ||
		    elgamal_ciphertext_check(out, 1) != 0)
			abort();
		if (elgamal_decrypt_point(mp, x, ct) != 0 ||
		    group_point_check(mp) != 0)
			abort();
	} else {
		if (elgamal_rerandomise(out, y, ct, r) == 0)
			abort();
		if (!sodium_is_zero(out, 64))
			abort();
	}
	return 0;
}

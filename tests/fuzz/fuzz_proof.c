/*
 * fuzz_proof.c — proof decoding and verification (crypto/proof.h).
 * Input: kind byte (0 pok, 1 dleq, 2 member), ctx length byte, ctx, then
 * the statement points and the proof. Random inputs must be refused
 * without crashing; verification must never accept a proof whose bytes
 * were not produced by a prover (checked by the known-answer tests, here
 * only memory safety and determinism are checked).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/scrutin_crypto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t off = 2, cl;
	const uint8_t *ctx;

	if (group_init() != 0)
		abort();
	if (size < 2)
		return 0;
	cl = data[1];
	if (size - off < cl)
		return 0;
	ctx = data + off;
	off += cl;
	switch (data[0] % 3) {
	case 0:
		if (size - off != 32 + 64)
			return 0;
		{
			int a = proof_pok_verify(ctx, cl, data + off,
			    data + off + 32);
			int b = proof_pok_verify(ctx, cl, data + off,
			    data + off + 32);
			if (a != b || a > 0)
				abort();
		}
		break;
	case 1:
		if (size - off != 96 + 64)
			return 0;
		if (proof_dleq_verify(ctx, cl, data + off, data + off + 32,
		    data + off + 64, data + off + 96) > 0)
			abort();
		break;
	default: {
		/* y (32), ct (64), k (1 byte), values (k × 1 byte), proof. */
		uint64_t values[PROOF_MEMBER_MAX_VALUES];
		size_t k;

		if (size - off < 97)
			return 0;
		k = data[off + 96];
		if (k > PROOF_MEMBER_MAX_VALUES || size - off - 97 < k)
			return 0;
		for (size_t j = 0; j < k; j++)
			values[j] = data[off + 97 + j];
		if (proof_member_verify(ctx, cl, data + off, data + off + 32,
		    values, k, data + off + 97 + k, size - off - 97 - k) > 0)
			abort();
		break;
	}
	}
	return 0;
}

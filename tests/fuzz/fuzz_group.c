/*
 * fuzz_group.c — point and scalar decoders (crypto/group.h): any 32-byte
 * string either decodes or is refused; a decoded point survives the
 * arithmetic wrappers; a refused one is refused by them too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/scrutin_crypto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t p[32], s[32], q[32];

	if (group_init() != 0)
		abort();
	for (size_t off = 0; off + 32 <= size && off < 4096; off += 32) {
		memcpy(p, data + off, 32);
		int pc = group_point_check(p);
		int sc = group_scalar_check(p);

		if (pc == 0) {
			/* 2·p computed two ways must agree. */
			uint8_t two[32] = { 2 }, a[32], b[32];

			if (group_add(a, p, p) != 0 || group_mul(b, two, p) != 0 ||
			    memcmp(a, b, 32) != 0)
				abort();
			if (group_point_check(a) != 0)
				abort();
			if ((group_point_check_nonidentity(p) == 0) ==
			    group_point_is_identity(p))
				abort();
		} else {
			uint8_t one[32] = { 1 };

			if (group_mul(q, one, p) == 0 ||
			    group_add(q, p, group_generator) == 0)
				abort();
		}
		if (sc == 0) {
			group_mul_base(q, p);
			if (group_point_check(q) != 0)
				abort();
		}
		memcpy(s, p, 32);
		(void)s;
	}
	return 0;
}

/*
 * fuzz_imsg.c — a record from a hostile network process: the framing
 * (imsg_decode), the field readers, and the privileged dispatcher's
 * decoding of every request type. No store is opened: a request that
 * decodes and needs one (STATUS) is stopped before it, and ACTIVATE
 * cannot reach the store without a valid member signature.
 */
#include <stdlib.h>
#include <string.h>

#include "server/imsg.h"
#include "server/priv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct imsg m;
	static struct mbuf rep;
	static const uint8_t sk[64], pk[32];
	struct mreader r;
	char s[65];

	if (imsg_decode(&m, data, size) != 0)
		return 0;
	if (m.len != size - IMSG_HDR_SIZE)
		abort();
	/* The generic readers never run past the payload. */
	m_reader(&r, &m);
	while (!r.err && r.off < r.len) {
		m_get_str(&r, s, sizeof s);
		if (r.off > r.len)
			abort();
	}
	if (m.type == IMSG_STATUS_REQ && m.len == 0)
		return 0;
	uint32_t t = priv_dispatch(NULL, sk, pk, &m, &rep);
	if (t != IMSG_ERROR_REP && t != IMSG_ACTIVATE_REP)
		abort();
	if (rep.err || rep.len > IMSG_MAX_PAYLOAD)
		abort();
	return 0;
}

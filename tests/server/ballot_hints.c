/*
 * ballot_hints.c — a test helper for tests/server/hints.mjs: secret
 * ballots built by the C builder with their verification hints
 * (docs/protocol.md §5.6), so that the integration test sends hints the
 * JavaScript side does not compute yet.
 *
 *   ballot_hints EID_HEX Y_HEX QID N MIN MAX [QDIGEST_HEX]
 * (QDIGEST_HEX: the question digest of a scrutin/2 record, §5.7, which
 * every ctx(i) then ends with)
 * then one line per ballot on stdin: SIGNER_SK_HEX (libsodium's 64-byte
 * Ed25519 secret key, the voice = the signer) and the selection as n
 * digits 0/1; one line out per ballot: BODY_HEX SIG_HEX HINTS_HEX
 * RECEIPT_HEX. Exit 1 with a message on any bad input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/scrutin_crypto.h"

static int
unhex(uint8_t *out, size_t n, const char *s)
{
	return strlen(s) == 2 * n && hex_decode(out, n, s, 2 * n) == 0 ? 0 : -1;
}

static void
put_hex(const uint8_t *p, size_t n, int last)
{
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
	putchar(last ? '\n' : ' ');
}

int
main(int argc, char **argv)
{
	static uint8_t body[BALLOT_BODY_MAX], hints[64 * 3 * 65];
	uint8_t eid[32], y[32], sk[64], sig[64], receipt[32], sel[64], qd[32];
	char line[512], skh[160], selh[80];
	ballot_question q;
	size_t len;

	if ((argc != 7 && argc != 8) || group_init() != 0 ||
	    unhex(eid, 32, argv[1]) != 0 ||
	    unhex(y, 32, argv[2]) != 0 ||
	    ballot_question_init(&q, argv[3], strlen(argv[3]),
	    (uint32_t)atoi(argv[4]), (uint32_t)atoi(argv[5]),
	    (uint32_t)atoi(argv[6])) != 0 ||
	    (argc == 8 && unhex(qd, 32, argv[7]) != 0)) {
		fprintf(stderr,
		    "usage: ballot_hints EID Y QID N MIN MAX [QDIGEST]\n");
		return 1;
	}
	if (argc == 8)
		ballot_question_set_digest(&q, qd);
	while (fgets(line, sizeof line, stdin) != NULL) {
		if (sscanf(line, "%159s %79s", skh, selh) != 2 ||
		    unhex(sk, 64, skh) != 0 || strlen(selh) != q.n) {
			fprintf(stderr, "ballot_hints: bad line\n");
			return 1;
		}
		for (uint32_t i = 0; i < q.n; i++)
			sel[i] = (uint8_t)(selh[i] == '1');
		/* libsodium's secret key is seed || pk. */
		if (ballot_build_hints(body, sizeof body, &len, hints, &q, eid,
		    y, sk + 32, sk + 32, sel) != 0 ||
		    crypto_sign_detached(sig, NULL, body, len, sk) != 0) {
			fprintf(stderr, "ballot_hints: cannot build\n");
			return 1;
		}
		ballot_receipt(receipt, body, len, sig);
		put_hex(body, len, 0);
		put_hex(sig, 64, 0);
		put_hex(hints, ballot_hints_size(&q), 0);
		put_hex(receipt, 32, 1);
	}
	sodium_memzero(sk, sizeof sk);
	return 0;
}

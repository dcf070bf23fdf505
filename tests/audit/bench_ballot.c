/*
 * bench_ballot.c — the bare cost of crypto/'s ballot_verify on one core
 * for a pour/contre/abstention ballot (n = 3, min = max = 1), measured in
 * the same run as the record verification (bench_verify.sh) so the ratio
 * compares like with like. Prints "per_ballot_us <value>".
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <sodium.h>

#include "crypto/scrutin_crypto.h"

#define N 1000

int
main(void)
{
	ballot_question q;
	uint8_t eid[32], x[32], y[32], pk[32], sk[64], sel[3] = { 0, 1, 0 };
	static uint8_t body[N][1024], sig[N][64];
	size_t len[N];
	struct timespec a, b;
	double us;

	if (group_init() != 0 || ballot_question_init(&q, "motion-1", 8, 3, 1,
	    1) != 0)
		return 1;
	randombytes_buf(eid, 32);
	group_scalar_random(x);
	group_mul_base(y, x);
	crypto_sign_keypair(pk, sk);
	for (int i = 0; i < N; i++) {
		if (ballot_build(body[i], sizeof body[i], &len[i], &q, eid, y, pk,
		    pk, sel) != 0)
			return 1;
		crypto_sign_detached(sig[i], NULL, body[i], len[i], sk);
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < N; i++)
		if (ballot_verify(NULL, &q, eid, y, body[i], len[i], sig[i]) != 0)
			return 1;
	clock_gettime(CLOCK_MONOTONIC, &b);
	us = ((double)(b.tv_sec - a.tv_sec) * 1e6 +
	    (double)(b.tv_nsec - a.tv_nsec) / 1e3) / N;
	printf("per_ballot_us %.1f\n", us);
	return 0;
}

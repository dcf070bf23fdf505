/*
 * fuzz_fastdiff.c — differential fuzzing of the variable-time
 * verification path (crypto/ristretto_fast.h) against the libsodium-only
 * reference, on untrusted bytes. Any disagreement aborts.
 *
 * Input: byte 0 selects the mode.
 *   even: a ballot. Byte 1 selects the question (0: "motion-1" n=3
 *     min=max=1, 1: "bureau" n=10 min=0 max=3, 2: "pick2" n=4 min=max=2);
 *     the rest is the body. The election is fixed (eid = 0x11…, Y = 7·G)
 *     and the body is SIGNED HERE with a fixed fuzz credential (seed
 *     0x5a…), so that mutations of a body whose K_signer is that key get
 *     past the signature and reach the points and proofs. ballot_verify
 *     (fast) and ballot_verify_ref must return the same code and parse,
 *     and ballot_verify_acc must agree too.
 *   odd: points. The rest, in 32-byte chunks: rf_decode must accept
 *     exactly what group_point_check accepts and re-encode to the same
 *     bytes; consecutive valid points must add and subtract like
 *     libsodium.
 *
 * Built with -DFUZZ_SEED_MAIN this file writes the committed corpus:
 *   cc -DFUZZ_SEED_MAIN -I. tests/fuzz/fuzz_fastdiff.c \
 *      build/libscrutin-crypto.a -lsodium && ./a.out tests/fuzz/corpus/fastdiff
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/ristretto_fast.h"
#include "crypto/scrutin_crypto.h"

static const struct {
	const char *qid;
	uint32_t n, min, max;
} fd_questions[3] = {
	{ "motion-1", 3, 1, 1 }, { "bureau", 10, 0, 3 }, { "pick2", 4, 2, 2 },
};

static credential *fd_cred;

static void
fd_setup(uint8_t eid[32], uint8_t y[32])
{
	uint8_t seven[32] = { 7 }, seed[32];

	if (group_init() != 0)
		abort();
	memset(eid, 0x11, 32);
	group_mul_base(y, seven);
	if (fd_cred == NULL) {
		memset(seed, 0x5a, 32);
		if (credential_new_from_seed(&fd_cred, seed) != 0)
			abort();
	}
}

static void
fd_ballot(const uint8_t *data, size_t size)
{
	uint8_t eid[32], y[32], sig[64];
	ballot_question q;
	ballot_parsed pf, pr, pa;
	tally_acc acc[BALLOT_CHOICES_MAX], acc_ref[BALLOT_CHOICES_MAX];
	unsigned sel;
	int f, r, a;

	if (size < 2)
		return;
	fd_setup(eid, y);
	sel = data[1] % 3;
	if (ballot_question_init(&q, fd_questions[sel].qid,
	    strlen(fd_questions[sel].qid), fd_questions[sel].n,
	    fd_questions[sel].min, fd_questions[sel].max) != 0)
		abort();
	const uint8_t *body = data + 2;
	size_t len = size - 2;

	if (credential_sign(fd_cred, sig, body, len) != 0)
		abort();
	for (uint32_t i = 0; i < q.e; i++) {
		tally_acc_init(&acc[i]);
		tally_acc_init(&acc_ref[i]);
	}
	f = ballot_verify(&pf, &q, eid, y, body, len, sig);
	r = ballot_verify_ref(&pr, &q, eid, y, body, len, sig);
	a = ballot_verify_acc(&pa, &q, eid, y, body, len, sig, acc);
	if (f != r || a != r || memcmp(&pf, &pr, sizeof pf) != 0 ||
	    memcmp(&pa, &pr, sizeof pa) != 0)
		abort();
	if (r == 0) {
		/* The accumulated ciphertexts are the ballot's. */
		for (uint32_t i = 0; i < q.e; i++) {
			uint8_t ct[64], got[64];

			ballot_parsed_ciphertext(ct, &pr, i + 1);
			if (tally_acc_add(&acc_ref[i], ct) != 0)
				abort();
			tally_acc_final(got, &acc[i]);
			if (memcmp(got, ct, 64) != 0)
				abort();
		}
	}
}

static void
fd_points(const uint8_t *data, size_t size)
{
	uint8_t prev[32], cur[32], back[32], want[32];
	rf_point P, Q, R;
	int have_prev = 0;

	fd_setup(back, want);	/* group_init; eid/y unused */
	for (size_t off = 1; off + 32 <= size; off += 32) {
		int ok;

		memcpy(cur, data + off, 32);
		ok = rf_decode(&Q, cur) == 0;
		if (ok != (group_point_check(cur) == 0))
			abort();
		if (!ok)
			continue;
		rf_encode(back, &Q);
		if (memcmp(back, cur, 32) != 0)
			abort();
		if (have_prev) {
			if (rf_decode(&P, prev) != 0)
				abort();
			rf_add(&R, &P, &Q);
			rf_encode(back, &R);
			if (group_add(want, prev, cur) != 0 ||
			    memcmp(back, want, 32) != 0)
				abort();
			rf_sub(&R, &P, &Q);
			rf_encode(back, &R);
			if (group_sub(want, prev, cur) != 0 ||
			    memcmp(back, want, 32) != 0)
				abort();
		}
		memcpy(prev, cur, 32);
		have_prev = 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] % 2 == 0)
		fd_ballot(data, size);
	else
		fd_points(data, size);
	return 0;
}

#ifdef FUZZ_SEED_MAIN
static void
put(const char *dir, const char *name, const uint8_t *a, size_t alen,
    const uint8_t *b, size_t blen)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if ((f = fopen(path, "wb")) == NULL) {
		perror(path);
		exit(1);
	}
	if (fwrite(a, 1, alen, f) != alen ||
	    (blen > 0 && fwrite(b, 1, blen, f) != blen) || fclose(f) != 0)
		exit(1);
}

int
main(int argc, char **argv)
{
	static uint8_t body[BALLOT_BODY_MAX];
	static const uint8_t sels[3][10] = {
		{ 0, 1, 0 }, { 1, 0, 0, 1, 0, 0, 0, 0, 1, 0 }, { 1, 0, 0, 1 },
	};
	uint8_t eid[32], y[32], pts[1 + 32 * 8], hdr[2], s[32];
	ballot_question q;
	size_t len;
	char name[64];

	if (argc != 2)
		return 2;
	fd_setup(eid, y);
	for (unsigned i = 0; i < 3; i++) {
		if (ballot_question_init(&q, fd_questions[i].qid,
		    strlen(fd_questions[i].qid), fd_questions[i].n,
		    fd_questions[i].min, fd_questions[i].max) != 0 ||
		    ballot_build(body, sizeof body, &len, &q, eid, y,
		    credential_public_key(fd_cred),
		    credential_public_key(fd_cred), sels[i]) != 0)
			return 1;
		hdr[0] = 0;
		hdr[1] = (uint8_t)i;
		snprintf(name, sizeof name, "valid-%u", i);
		put(argv[1], name, hdr, 2, body, len);
		/* A flipped proof scalar, a flipped α, a flipped β. */
		size_t at[3] = { len - 40, len - 64 * (q.hi - q.lo + 1) - 200,
		    len - 64 * (q.hi - q.lo + 1) - 170 };
		for (unsigned m = 0; m < 3; m++) {
			body[at[m]] ^= 0x04;
			snprintf(name, sizeof name, "mutated-%u-%u", i, m);
			put(argv[1], name, hdr, 2, body, len);
			body[at[m]] ^= 0x04;
		}
	}
	/* Points: G, 2G, …, then the identity, a top-bit and a ≥ p string. */
	pts[0] = 1;
	memcpy(s, group_generator, 32);
	for (unsigned k = 0; k < 5; k++) {
		memcpy(pts + 1 + 32 * k, s, 32);
		if (group_add(s, s, group_generator) != 0)
			return 1;
	}
	memset(pts + 1 + 32 * 5, 0, 32);
	memcpy(pts + 1 + 32 * 6, group_generator, 32);
	pts[1 + 32 * 6 + 31] |= 0x80;
	memset(pts + 1 + 32 * 7, 0xff, 32);
	pts[1 + 32 * 7 + 31] = 0x7f;
	put(argv[1], "points-0", pts, sizeof pts, NULL, 0);
	randombytes_buf(pts + 1, sizeof pts - 1);
	put(argv[1], "points-random", pts, sizeof pts, NULL, 0);
	return 0;
}
#endif

/*
 * fuzz_batch.c — batch verification with hints (docs/protocol.md §5.6)
 * on untrusted bytes: ballot_verify_batch must return, for every ballot,
 * exactly ballot_verify_ref's code (the libsodium-only §5.5 verifier, no
 * hints), and say "decided by the batch equation" only for an accepted
 * ballot. Any disagreement aborts.
 *
 * Input: byte 0: the number of ballots (1 + b0 % 8); then per ballot
 *   u8 question (0: "motion-1" n=3 min=max=1, 1: "bureau" n=10 min=0
 *   max=3, 2: "pick2" n=4 min=max=2), LE16 body length, the body, LE16
 *   hints length (0xffff: no hints), the hints. Missing bytes end the
 *   batch. The election is fixed (eid = 0x11…, Y = 7·G) and every body
 *   is SIGNED HERE with a fixed fuzz credential (seed 0x5a…), so that
 *   mutations get past the signature to the points, proofs and hints.
 *
 * Built with -DFUZZ_SEED_MAIN this file writes the committed corpus:
 *   cc -DFUZZ_SEED_MAIN -I. tests/fuzz/fuzz_batch.c \
 *      build/libscrutin-crypto.a build/libscrutin-common.a -lsodium \
 *      && ./a.out tests/fuzz/corpus/batch
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/scrutin_crypto.h"

#define FB_MAX 8

static const struct {
	const char *qid;
	uint32_t n, min, max;
} fb_questions[3] = {
	{ "motion-1", 3, 1, 1 }, { "bureau", 10, 0, 3 }, { "pick2", 4, 2, 2 },
};

static credential *fb_cred;
static uint8_t fb_eid[32], fb_y[32];

static void
fb_setup(void)
{
	uint8_t seven[32] = { 7 }, seed[32];

	if (fb_cred != NULL)
		return;
	if (group_init() != 0)
		abort();
	memset(fb_eid, 0x11, 32);
	group_mul_base(fb_y, seven);
	memset(seed, 0x5a, 32);
	if (credential_new_from_seed(&fb_cred, seed) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ballot_question q[FB_MAX];
	ballot_batch_item it[FB_MAX];
	uint8_t sig[FB_MAX][64], via[FB_MAX];
	int rc[FB_MAX];
	size_t n = 0, want, off = 1;

	if (size < 1)
		return 0;
	fb_setup();
	want = 1 + data[0] % FB_MAX;
	while (n < want && size - off >= 3) {
		unsigned sel = data[off] % 3;
		size_t blen = (size_t)data[off + 1] | (size_t)data[off + 2] << 8;
		size_t hlen;

		off += 3;
		if (blen > size - off)
			break;
		if (ballot_question_init(&q[n], fb_questions[sel].qid,
		    strlen(fb_questions[sel].qid), fb_questions[sel].n,
		    fb_questions[sel].min, fb_questions[sel].max) != 0 ||
		    credential_sign(fb_cred, sig[n], data + off, blen) != 0)
			abort();
		it[n] = (ballot_batch_item){ &q[n], fb_eid, fb_y, data + off,
			blen, sig[n], NULL, 0 };
		off += blen;
		if (size - off < 2)
			break;
		hlen = (size_t)data[off] | (size_t)data[off + 1] << 8;
		off += 2;
		if (hlen != 0xffff) {
			if (hlen > size - off)
				break;
			it[n].hints = data + off;
			it[n].hints_len = hlen;
			off += hlen;
		}
		n++;
	}
	if (ballot_verify_batch(it, n, rc, via) != 0)
		abort();
	for (size_t i = 0; i < n; i++) {
		int r = ballot_verify_ref(NULL, it[i].q, it[i].eid, it[i].y,
		    it[i].body, it[i].len, it[i].sig);

		if (rc[i] != r || (via[i] && rc[i] != 0)) {
			fprintf(stderr, "fuzz_batch: ballot %zu: batch %d via %d,"
			    " reference %d\n", i, rc[i], via[i], r);
			abort();
		}
	}
	return 0;
}

#ifdef FUZZ_SEED_MAIN
static uint8_t out[1 << 16];
static size_t out_len;

static void
add(const void *p, size_t n)
{
	if (n > sizeof out - out_len)
		exit(1);
	memcpy(out + out_len, p, n);
	out_len += n;
}

static void
add_ballot(unsigned sel, const uint8_t *body, size_t blen,
    const uint8_t *hints, size_t hlen)
{
	uint8_t h[3] = { (uint8_t)sel, (uint8_t)blen, (uint8_t)(blen >> 8) };
	uint8_t l[2] = { (uint8_t)hlen, (uint8_t)(hlen >> 8) };

	add(h, 3);
	add(body, blen);
	add(l, 2);
	if (hlen != 0xffff)
		add(hints, hlen);
}

static void
put(const char *dir, const char *name)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if ((f = fopen(path, "wb")) == NULL ||
	    fwrite(out, 1, out_len, f) != out_len || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
	if (LLVMFuzzerTestOneInput(out, out_len) != 0)
		exit(1);
}

int
main(int argc, char **argv)
{
	static uint8_t body[4][BALLOT_BODY_MAX], hints[4][64 * 3 * 65];
	static const uint8_t sels[4][10] = {
		{ 0, 1, 0 }, { 1, 0, 0, 1, 0, 0, 0, 0, 1, 0 }, { 1, 0, 0, 1 },
		{ 1, 0, 0 },
	};
	static const unsigned qs[4] = { 0, 1, 2, 0 };
	size_t len[4], hl[4];
	ballot_question q;
	char name[64];

	if (argc != 2)
		return 2;
	fb_setup();
	for (unsigned i = 0; i < 4; i++) {
		if (ballot_question_init(&q, fb_questions[qs[i]].qid,
		    strlen(fb_questions[qs[i]].qid), fb_questions[qs[i]].n,
		    fb_questions[qs[i]].min, fb_questions[qs[i]].max) != 0 ||
		    ballot_build_hints(body[i], BALLOT_BODY_MAX, &len[i],
		    hints[i], &q, fb_eid, fb_y, credential_public_key(fb_cred),
		    credential_public_key(fb_cred), sels[i]) != 0)
			return 1;
		hl[i] = ballot_hints_size(&q);
	}
	/* The four valid ballots with hints, in one batch. */
	out_len = 0;
	add((uint8_t[]){ 3 }, 1);
	for (unsigned i = 0; i < 4; i++)
		add_ballot(qs[i], body[i], len[i], hints[i], hl[i]);
	put(argv[1], "valid-4");
	/* Each alone, with and without hints. */
	for (unsigned i = 0; i < 3; i++) {
		out_len = 0;
		add((uint8_t[]){ 0 }, 1);
		add_ballot(qs[i], body[i], len[i], hints[i], hl[i]);
		snprintf(name, sizeof name, "valid-%u", i);
		put(argv[1], name);
		out_len = 0;
		add((uint8_t[]){ 0 }, 1);
		add_ballot(qs[i], body[i], len[i], NULL, 0xffff);
		snprintf(name, sizeof name, "nohints-%u", i);
		put(argv[1], name);
	}
	/* Mutations: a hint byte, a body byte (s of π_0), hints of another
	 * ballot, a short hint, mixed with valid ballots. */
	for (unsigned k = 0; k < 4; k++) {
		uint8_t b[BALLOT_BODY_MAX], h[64 * 3 * 65];
		size_t bl = len[0], hlen = hl[0];

		memcpy(b, body[0], bl);
		memcpy(h, hints[0], hlen);
		if (k == 0)
			h[5] ^= 0x10;
		else if (k == 1)
			b[bl - 32] ^= 1;
		else if (k == 2)
			memcpy(h, hints[3], hlen);
		else
			hlen -= 1;
		out_len = 0;
		add((uint8_t[]){ 2 }, 1);
		add_ballot(2, body[2], len[2], hints[2], hl[2]);
		add_ballot(0, b, bl, h, hlen);
		add_ballot(3, body[3], len[3], hints[3], hl[3]);
		snprintf(name, sizeof name, "mutated-%u", k);
		put(argv[1], name);
	}
	return 0;
}
#endif

/*
 * fuzz_ballot.c — strict ballot body parsing and full verification
 * (crypto/ballot.h) on untrusted bytes.
 *
 * Input: question selector byte (0: "motion-1" n=3 min=max=1, 1:
 * "bureau" n=10 min=0 max=3, 2: "pick2" n=4 min=max=2), 64-byte
 * signature, then the body. The election is fixed (eid = 0x11…, Y =
 * 7·G), so committed valid seeds verify and mutations exercise every
 * check. An accepted ballot must parse, have the exact size, and stay
 * accepted when verified again.
 *
 * Built with -DFUZZ_SEED_MAIN this file is instead the seed generator of
 * the committed corpora of fuzz_ballot, fuzz_group, fuzz_ciphertext and
 * fuzz_proof (valid and invalid seeds, each small):
 *   cc -DFUZZ_SEED_MAIN -I. tests/fuzz/fuzz_ballot.c build/libscrutin-crypto.a -lsodium
 *   ./a.out tests/fuzz/corpus
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/scrutin_crypto.h"

static const struct {
	const char *qid;
	uint32_t n, min, max;
} fuzz_questions[3] = {
	{ "motion-1", 3, 1, 1 }, { "bureau", 10, 0, 3 }, { "pick2", 4, 2, 2 },
};

static void
fuzz_election(uint8_t eid[32], uint8_t y[32])
{
	uint8_t seven[32] = { 7 };

	memset(eid, 0x11, 32);
	group_mul_base(y, seven);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t eid[32], y[32];
	ballot_question q;
	ballot_parsed p, p2;
	int rc;

	if (group_init() != 0)
		abort();
	if (size < 65)
		return 0;
	fuzz_election(eid, y);
	unsigned sel = data[0] % 3;

	if (ballot_question_init(&q, fuzz_questions[sel].qid,
	    strlen(fuzz_questions[sel].qid), fuzz_questions[sel].n,
	    fuzz_questions[sel].min, fuzz_questions[sel].max) != 0)
		abort();
	const uint8_t *sig = data + 1, *body = data + 65;
	size_t len = size - 65;

	int prc = ballot_body_parse(&p2, body, len);

	rc = ballot_verify(&p, &q, eid, y, body, len, sig);
	if (rc == 0) {
		uint8_t rec[32];

		if (prc != 0 ||
		    len != ballot_body_size(&q) || p.e != q.e)
			abort();
		if (ballot_verify(NULL, &q, eid, y, body, len, sig) != 0)
			abort();
		ballot_receipt(rec, body, len, sig);
	} else if (p.eid != NULL) {
		abort();	/* a rejected ballot leaves no parse behind */
	}
	return 0;
}

#ifdef FUZZ_SEED_MAIN
static void
put(const char *dir, const char *target, const char *name,
    const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s/%s", dir, target, name);
	if ((f = fopen(path, "wb")) == NULL) {
		perror(path);
		exit(1);
	}
	fwrite(a, 1, alen, f);
	if (blen)
		fwrite(b, 1, blen, f);
	fclose(f);
}

int
main(int argc, char **argv)
{
	static uint8_t body[BALLOT_BODY_MAX], in[BALLOT_BODY_MAX + 65];
	uint8_t eid[32], y[32], seed[32], sig[64], buf[512];
	const char *dir = argc > 1 ? argv[1] : "tests/fuzz/corpus";
	credential *c;
	char name[64];
	size_t len;

	if (group_init() != 0)
		return 1;
	fuzz_election(eid, y);
	memset(seed, 0x22, 32);
	if (credential_new_from_seed(&c, seed) != 0)
		return 1;
	for (unsigned s = 0; s < 3; s++) {
		ballot_question q;
		uint8_t sel[64] = { 0 };

		if (ballot_question_init(&q, fuzz_questions[s].qid,
		    strlen(fuzz_questions[s].qid), fuzz_questions[s].n,
		    fuzz_questions[s].min, fuzz_questions[s].max) != 0)
			return 1;
		for (uint32_t i = 0; i < fuzz_questions[s].max; i++)
			sel[i + 1] = 1;
		if (ballot_build(body, sizeof body, &len, &q, eid, y,
		    credential_public_key(c), credential_public_key(c), sel) != 0 ||
		    credential_sign(c, sig, body, len) != 0 ||
		    ballot_verify(NULL, &q, eid, y, body, len, sig) != 0)
			return 1;
		in[0] = (uint8_t)s;
		memcpy(in + 1, sig, 64);
		memcpy(in + 65, body, len);
		snprintf(name, sizeof name, "valid-%u", s);
		put(dir, "ballot", name, in, 65 + len, NULL, 0);
		snprintf(name, sizeof name, "truncated-%u", s);
		put(dir, "ballot", name, in, 65 + len - 1, NULL, 0);
		in[65 + len] = 0;
		snprintf(name, sizeof name, "extended-%u", s);
		put(dir, "ballot", name, in, 65 + len + 1, NULL, 0);
		in[65 + 200] ^= 4;
		snprintf(name, sizeof name, "flipped-%u", s);
		put(dir, "ballot", name, in, 65 + len, NULL, 0);
		/* Proof seeds from this ballot: member (0,1) over C_1. */
		if (s == 0) {
			const uint8_t *c1 = body + 13 + 10 + 36 + 12 + 36 + 36 +
			    12 + 4;
			uint8_t ctx[BALLOT_CTX_MAX];
			size_t cl = ballot_context(ctx, &q, eid,
			    credential_public_key(c), 1), o = 0;

			buf[o++] = 2;
			buf[o++] = (uint8_t)cl;
			memcpy(buf + o, ctx, cl);
			o += cl;
			memcpy(buf + o, y, 32);
			o += 32;
			memcpy(buf + o, c1, 64);
			o += 64;
			buf[o++] = 2;
			buf[o++] = 0;
			buf[o++] = 1;
			memcpy(buf + o, c1 + 64, 128);
			o += 128;
			put(dir, "proof", "member-valid", buf, o, NULL, 0);
			put(dir, "ciphertext", "valid", c1, 64, NULL, 0);
		}
	}
	/* pok and dleq seeds. */
	{
		uint8_t x[32] = { 3 }, X[32], P[32], D[32], pf[64], five[32] = { 5 };
		size_t o = 0;

		group_mul_base(X, x);
		buf[o++] = 0;
		buf[o++] = 4;
		memcpy(buf + o, "ctx!", 4);
		o += 4;
		memcpy(buf + o, X, 32);
		o += 32;
		if (proof_pok_prove(pf, (const uint8_t *)"ctx!", 4, X, x) != 0)
			return 1;
		memcpy(buf + o, pf, 64);
		put(dir, "proof", "pok-valid", buf, o + 64, NULL, 0);
		buf[o + 10] ^= 1;
		put(dir, "proof", "pok-bad", buf, o + 64, NULL, 0);
		group_mul_base(P, five);
		if (group_mul(D, x, P) != 0 ||
		    proof_dleq_prove(pf, (const uint8_t *)"ctx!", 4, X, P, D, x))
			return 1;
		o = 0;
		buf[o++] = 1;
		buf[o++] = 4;
		memcpy(buf + o, "ctx!", 4);
		o += 4;
		memcpy(buf + o, X, 32);
		memcpy(buf + o + 32, P, 32);
		memcpy(buf + o + 64, D, 32);
		memcpy(buf + o + 96, pf, 64);
		put(dir, "proof", "dleq-valid", buf, o + 160, NULL, 0);
		put(dir, "proof", "dleq-short", buf, o + 159, NULL, 0);
		/* group: G, identity, l, p (non-canonical), G with top bit. */
		put(dir, "group", "generator", group_generator, 32, X, 32);
		put(dir, "group", "identity", group_identity, 32, NULL, 0);
		memset(buf, 0xff, 32);
		buf[31] = 0x7f;
		buf[0] = 0xed;
		put(dir, "group", "field-p", buf, 32, NULL, 0);
		memcpy(buf, group_generator, 32);
		buf[31] |= 0x80;
		put(dir, "group", "top-bit", buf, 32, NULL, 0);
		static const uint8_t order[32] = { 0xed, 0xd3, 0xf5, 0x5c,
			0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde,
			0xf9, 0xde, 0x14, [31] = 0x10 };
		put(dir, "group", "order", order, 32, NULL, 0);
		memcpy(buf, group_identity, 32);
		memcpy(buf + 32, group_generator, 32);
		put(dir, "ciphertext", "alpha-identity", buf, 64, NULL, 0);
		memcpy(buf + 32, order, 32);
		put(dir, "ciphertext", "beta-invalid", buf, 64, NULL, 0);
	}
	credential_free(c);
	return 0;
}
#endif

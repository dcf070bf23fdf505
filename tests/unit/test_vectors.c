/*
 * test_vectors.c — reproduces, byte for byte, every known-answer vector
 * of the JSON files in tests/vectors/ (written by the independent
 * noble.mjs, see tests/vectors/README.md) with crypto/, and checks that
 * every case of negative.json is rejected; question.json (scrutin/2) with
 * audit/qdigest.c's digest too. jansson is used here only, never by crypto/.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit/qdigest.h"
#include "crypto/scrutin_crypto.h"
#include "tests/check.h"
#include "tests/unit/vectors_json.h"


static uint64_t
num(json_t *obj, const char *key)
{
	return (uint64_t)json_integer_value(json_object_get(obj, key));
}

static const char *
str(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s ? s : "";
}

/* --- encoding.json, elgamal.json ------------------------------------ */

static void
test_encoding(void)
{
	json_t *j = load("encoding.json"), *v;
	uint8_t b[32], h[32];
	size_t i;

	json_array_foreach(json_object_get(j, "points_valid"), i, v) {
		CHECK(hxs(v, b, 32) == 0 && group_point_check(b) == 0);
	}
	json_array_foreach(json_object_get(j, "points_invalid"), i, v) {
		CHECK_MSG(hx(v, "hex", b, 32) != 0 || group_point_check(b) != 0,
		    "point accepted: %s", str(v, "why"));
	}
	json_array_foreach(json_object_get(j, "scalars_valid"), i, v) {
		CHECK(hxs(v, b, 32) == 0 && group_scalar_check(b) == 0);
	}
	json_array_foreach(json_object_get(j, "scalars_invalid"), i, v) {
		CHECK_MSG(hx(v, "hex", b, 32) != 0 ||
		    group_scalar_check(b) != 0, "scalar accepted: %s",
		    str(v, "why"));
	}
	json_array_foreach(json_object_get(j, "hashes"), i, v) {
		json_t *fs = json_object_get(v, "fields"), *f;
		uint8_t *fields[16], want[32];
		size_t lens[16], k, n = json_array_size(fs);

		CHECK(n <= 16);
		if (n > 16)
			continue;
		json_array_foreach(fs, k, f) {
			size_t l = json_string_length(f) / 2;

			fields[k] = malloc(l + 1);
			lens[k] = l;
			CHECK(hex_decode(fields[k], l, json_string_value(f),
			    json_string_length(f)) == 0);
		}
		transcript_hash(h, TRANSCRIPT_HS, str(v, "label"),
		    (const uint8_t *const *)fields, lens, n);
		CHECK(hx(v, "hs", want, 32) == 0 && memcmp(h, want, 32) == 0);
		transcript_hash(h, TRANSCRIPT_H256, str(v, "label"),
		    (const uint8_t *const *)fields, lens, n);
		CHECK(hx(v, "h256", want, 32) == 0 && memcmp(h, want, 32) == 0);
		for (k = 0; k < n; k++)
			free(fields[k]);
	}
	json_decref(j);
}

static void
test_elgamal(void)
{
	json_t *j = load("elgamal.json"), *v;
	uint8_t y[32], r[32], ct[64], want[64], a[64], x[32], mp[32];
	dlog_table *tab;
	uint64_t m;
	size_t i;

	json_array_foreach(json_object_get(j, "encrypt"), i, v) {
		CHECK(hx(v, "y", y, 32) == 0 && hx(v, "r", r, 32) == 0);
		CHECK(elgamal_encrypt(ct, y, num(v, "m"), r) == 0);
		CHECK(hx(v, "ct", want, 64) == 0 && memcmp(ct, want, 64) == 0);
	}
	json_array_foreach(json_object_get(j, "add"), i, v) {
		CHECK(hx(v, "a", a, 64) == 0 && hx(v, "b", ct, 64) == 0);
		CHECK(elgamal_add(a, a, ct) == 0);
		CHECK(hx(v, "sum", want, 64) == 0 && memcmp(a, want, 64) == 0);
	}
	json_array_foreach(json_object_get(j, "rerandomize"), i, v) {
		CHECK(hx(v, "y", y, 32) == 0 && hx(v, "ct", ct, 64) == 0 &&
		    hx(v, "r", r, 32) == 0);
		CHECK(elgamal_rerandomise(a, y, ct, r) == 0);
		CHECK(hx(v, "out", want, 64) == 0 && memcmp(a, want, 64) == 0);
	}
	CHECK(dlog_table_new(&tab, 100000) == 0);
	json_array_foreach(json_object_get(j, "decrypt"), i, v) {
		CHECK(hx(v, "x", x, 32) == 0 && hx(v, "ct", ct, 64) == 0);
		CHECK(elgamal_decrypt_point(mp, x, ct) == 0);
		CHECK(dlog_solve(&m, tab, mp) == 0 && m == num(v, "m"));
	}
	dlog_table_free(tab);
	json_decref(j);
}

/* --- proofs.json ------------------------------------------------------ */

static void
test_proofs(void)
{
	json_t *j = load("proofs.json"), *p = json_object_get(j, "pok"), *v;
	uint8_t ctx[PROOF_CTX_MAX], x[32], w[32], X[32], X2[32], P[32], D[32];
	uint8_t D2[32], pf[64], want[64], y[32], r[32], ct[64], ct2[64];
	uint8_t mpf[64 * 65], mwant[64 * 65], nonces[2 * 65][32];
	uint64_t values[65];
	size_t i, cl, pl;

	json_array_foreach(p, i, v) {
		CHECK(hxv(v, "ctx", ctx, sizeof ctx, &cl) == 0);
		CHECK(hx(v, "x", x, 32) == 0 && hx(v, "w", w, 32) == 0 &&
		    hx(v, "X", X, 32) == 0 && hx(v, "proof", want, 64) == 0);
		group_mul_base(X2, x);
		CHECK(memcmp(X, X2, 32) == 0);
		CHECK(proof_pok_prove_with_nonce(pf, ctx, cl, X, x, w) == 0);
		CHECK(memcmp(pf, want, 64) == 0);
		CHECK(proof_pok_verify(ctx, cl, X, want) == 0);
	}
	json_array_foreach(json_object_get(j, "dleq"), i, v) {
		CHECK(hxv(v, "ctx", ctx, sizeof ctx, &cl) == 0);
		CHECK(hx(v, "x", x, 32) == 0 && hx(v, "w", w, 32) == 0 &&
		    hx(v, "X", X, 32) == 0 && hx(v, "P", P, 32) == 0 &&
		    hx(v, "D", D, 32) == 0 && hx(v, "proof", want, 64) == 0);
		group_mul_base(X2, x);
		CHECK(memcmp(X, X2, 32) == 0);
		CHECK(group_mul(D2, x, P) == 0 && memcmp(D, D2, 32) == 0);
		CHECK(proof_dleq_prove_with_nonce(pf, ctx, cl, X, P, D, x, w) ==
		    0);
		CHECK(memcmp(pf, want, 64) == 0);
		CHECK(proof_dleq_verify(ctx, cl, X, P, D, want) == 0);
	}
	json_array_foreach(json_object_get(j, "member"), i, v) {
		json_t *vals = json_object_get(v, "values"), *e;
		size_t k = json_array_size(vals), idx = num(v, "index"), q;

		CHECK(k >= 1 && k <= 65);
		if (k < 1 || k > 65)
			continue;
		json_array_foreach(vals, q, e)
			values[q] = (uint64_t)json_integer_value(e);
		json_array_foreach(json_object_get(v, "nonces"), q, e)
			CHECK(q < 2 * 65 && hxs(e, nonces[q], 32) == 0);
		CHECK(json_array_size(json_object_get(v, "nonces")) ==
		    2 * k - 1);
		CHECK(hxv(v, "ctx", ctx, sizeof ctx, &cl) == 0);
		CHECK(hx(v, "y", y, 32) == 0 && hx(v, "r", r, 32) == 0 &&
		    hx(v, "ct", ct, 64) == 0);
		CHECK(hxv(v, "proof", mwant, sizeof mwant, &pl) == 0 &&
		    pl == 64 * k);
		CHECK(elgamal_encrypt(ct2, y, values[idx], r) == 0);
		CHECK(memcmp(ct, ct2, 64) == 0);
		CHECK(proof_member_prove_with_nonces(mpf, ctx, cl, y, ct, values,
		    k, idx, r, (const uint8_t (*)[32])nonces) == 0);
		CHECK(memcmp(mpf, mwant, 64 * k) == 0);
		CHECK(proof_member_verify(ctx, cl, y, ct, values, k, mwant, pl) ==
		    0);
	}
	json_decref(j);
}

/* --- ballot.json ------------------------------------------------------- */

/* One ballot entry (ballot.json, or question.json's with "qdigest": the
 * contexts of scrutin/2, §5.7): rebuilt byte for byte from its r and
 * nonces, signed, verified; one with a digest fails without it. */
static void
ballot_entry(json_t *v, size_t i)
{
	static uint8_t body[BALLOT_BODY_MAX], want[BALLOT_BODY_MAX];
	uint8_t eid[32], y[32], seed[32], pk[32], sig[64], want_sig[64];
	uint8_t rec[32], want_rec[32], r[64][32], nonces[400][32], qd[32];
	size_t len, wlen;
	ballot_question q, q1;
	credential *voice, *signer;
	uint8_t sel[64] = { 0 };
	json_t *e, *ns;
	size_t k, nn = 0;
	const char *qid = str(v, "qid");
	int v2 = json_object_get(v, "qdigest") != NULL;

	CHECK(ballot_question_init(&q, qid, strlen(qid),
	    (uint32_t)num(v, "n"), (uint32_t)num(v, "min"),
	    (uint32_t)num(v, "max")) == 0);
	q1 = q;
	if (v2) {
		CHECK(hx(v, "qdigest", qd, 32) == 0);
		ballot_question_set_digest(&q, qd);
	}
	CHECK(hx(v, "eid", eid, 32) == 0 && hx(v, "y", y, 32) == 0);
	CHECK(hx(v, "voice_seed", seed, 32) == 0);
	CHECK(credential_new_from_seed(&voice, seed) == 0);
	CHECK(hx(v, "signer_seed", seed, 32) == 0);
	CHECK(credential_new_from_seed(&signer, seed) == 0);
	CHECK(hx(v, "voice_pk", pk, 32) == 0 &&
	    memcmp(pk, credential_public_key(voice), 32) == 0);
	CHECK(hx(v, "signer_pk", pk, 32) == 0 &&
	    memcmp(pk, credential_public_key(signer), 32) == 0);
	json_array_foreach(json_object_get(v, "selection"), k, e)
		if (k < 64)
			sel[k] = (uint8_t)json_integer_value(e);
	json_array_foreach(json_object_get(v, "r"), k, e)
		CHECK(k < 64 && hxs(e, r[k], 32) == 0);
	json_array_foreach(json_object_get(v, "nonces"), k, ns) {
		size_t z;

		json_array_foreach(ns, z, e)
			CHECK(nn < 400 && hxs(e, nonces[nn++], 32) == 0);
	}
	CHECK(nn == ballot_nonce_count(&q));
	CHECK(ballot_build_with_nonces(body, BALLOT_BODY_MAX, &len, &q,
	    eid, y, credential_public_key(voice),
	    credential_public_key(signer), sel, (const uint8_t (*)[32])r,
	    (const uint8_t (*)[32])nonces) == 0);
	CHECK(hxv(v, "body", want, BALLOT_BODY_MAX, &wlen) == 0);
	CHECK_MSG(len == wlen && memcmp(body, want, len) == 0,
	    "ballot %zu body differs", i);
	CHECK(credential_sign(signer, sig, body, len) == 0);
	CHECK(hx(v, "sig", want_sig, 64) == 0 &&
	    memcmp(sig, want_sig, 64) == 0);
	ballot_receipt(rec, want, wlen, want_sig);
	CHECK(hx(v, "receipt", want_rec, 32) == 0 &&
	    memcmp(rec, want_rec, 32) == 0);
	CHECK(ballot_verify(NULL, &q, eid, y, want, wlen, want_sig) == 0);
	if (v2)
		CHECK_MSG(ballot_verify(NULL, &q1, eid, y, want, wlen,
		    want_sig) != 0, "ballot %zu valid without its "
		    "question digest", i);
	credential_free(voice);
	credential_free(signer);
}

static void
test_ballots(void)
{
	json_t *j = load("ballot.json"), *v;
	size_t i;

	json_array_foreach(json_object_get(j, "ballots"), i, v)
		ballot_entry(v, i);
	json_decref(j);
}

/* --- dkg.json, decrypt.json --------------------------------------------- */

struct vceremony {
	uint32_t n, t;
	uint8_t x[16][32], vk[16][32];
};

static struct vceremony cers[16];
static size_t ncers;

static void
test_dkg(void)
{
	json_t *j = load("dkg.json"), *v;
	size_t ci;

	json_array_foreach(json_object_get(j, "ceremonies"), ci, v) {
		uint32_t n = (uint32_t)num(v, "n"), t = (uint32_t)num(v, "t");
		uint8_t idp[16][32], bxp[16][32], cid[32], want[64], h[32];
		uint8_t coeff[16][32], comm[16 * 16][32], pok[16][64], s[32];
		uint8_t nonce[32], yj[32], y[32];
		json_t *tr = json_object_get(v, "trustees"), *e;
		dkg_trustee *T[16] = { 0 };
		const char *mid = str(v, "meeting_id");
		size_t k;

		CHECK(n >= 1 && n <= 16 && t >= 1 && t <= n && ci < 16);
		if (n < 1 || n > 16 || t > n || ci >= 16)
			continue;
		cers[ci].n = n;
		cers[ci].t = t;
		ncers = ci + 1;
		json_array_foreach(tr, k, e)
			CHECK(k < 16 && hx(e, "id_pk", idp[k], 32) == 0 &&
			    hx(e, "box_pk", bxp[k], 32) == 0);
		CHECK(dkg_ceremony_id(cid, (const uint8_t *)mid, strlen(mid), n,
		    t, (const uint8_t (*)[32])idp, (const uint8_t (*)[32])bxp) ==
		    0);
		CHECK(hx(v, "ceremony_id", want, 32) == 0 &&
		    memcmp(cid, want, 32) == 0);
		for (uint32_t i = 0; i < n; i++) {
			json_t *row = json_array_get(json_object_get(v,
			    "coefficients"), i);

			for (uint32_t z = 0; z < t; z++)
				CHECK(hxs(json_array_get(row, z), coeff[z], 32)
				    == 0);
			CHECK(hxs(json_array_get(json_object_get(v,
			    "pok_nonces"), i), nonce, 32) == 0);
			CHECK(dkg_trustee_new_with_coefficients(&T[i], cid, n, t,
			    i + 1, (const uint8_t (*)[32])coeff) == 0);
			if (T[i] == NULL)
				goto out;
			CHECK(dkg_trustee_commit(T[i], comm + (size_t)i * t,
			    pok[i], h, nonce) == 0);
			row = json_array_get(json_object_get(v, "commitments"),
			    i);
			for (uint32_t z = 0; z < t; z++)
				CHECK(hxs(json_array_get(row, z), want, 32) == 0
				    && memcmp(want, comm[i * t + z], 32) == 0);
			CHECK(hxs(json_array_get(json_object_get(v, "pok"), i),
			    want, 64) == 0 && memcmp(want, pok[i], 64) == 0);
			CHECK(hxs(json_array_get(json_object_get(v,
			    "commit_hash"), i), want, 32) == 0 &&
			    memcmp(want, h, 32) == 0);
			CHECK(dkg_commitment_verify(cid, i + 1,
			    (const uint8_t (*)[32])(comm + (size_t)i * t), t,
			    pok[i], h) == 0);
		}
		for (uint32_t i = 0; i < n; i++) {
			json_t *row = json_array_get(json_object_get(v,
			    "shares"), i);

			for (uint32_t jj = 0; jj < n; jj++) {
				CHECK(dkg_trustee_share(T[i], jj + 1, s) == 0);
				CHECK(hxs(json_array_get(row, jj), want, 32) ==
				    0 && memcmp(want, s, 32) == 0);
				CHECK(dkg_trustee_receive_share(T[jj], i + 1, s,
				    (const uint8_t (*)[32])(comm +
				    (size_t)i * t)) == 0);
			}
		}
		CHECK(dkg_public_key(y, (const uint8_t (*)[32])comm, n, t) == 0);
		CHECK(hx(v, "y", want, 32) == 0 && memcmp(want, y, 32) == 0);
		for (uint32_t jj = 0; jj < n; jj++) {
			CHECK(hxs(json_array_get(json_object_get(v,
			    "share_pok_nonces"), jj), nonce, 32) == 0);
			CHECK(dkg_trustee_finish(T[jj], yj, want, nonce) == 0);
			{
				uint8_t sp[64];

				CHECK(hxs(json_array_get(json_object_get(v,
				    "share_pok"), jj), sp, 64) == 0 &&
				    memcmp(sp, want, 64) == 0);
				CHECK(dkg_share_pok_verify(cid, jj + 1, yj, sp)
				    == 0);
			}
			CHECK(hxs(json_array_get(json_object_get(v,
			    "verification_keys"), jj), want, 32) == 0 &&
			    memcmp(want, yj, 32) == 0);
			CHECK(dkg_verification_key(h,
			    (const uint8_t (*)[32])comm, n, t, jj + 1) == 0 &&
			    memcmp(h, yj, 32) == 0);
			CHECK(hxs(json_array_get(json_object_get(v, "x"), jj),
			    want, 32) == 0 && dkg_trustee_key_share(T[jj]) &&
			    memcmp(want, dkg_trustee_key_share(T[jj]), 32) ==
			    0);
			memcpy(cers[ci].x[jj], want, 32);
			memcpy(cers[ci].vk[jj], yj, 32);
		}
out:
		for (uint32_t i = 0; i < n; i++)
			dkg_trustee_free(T[i]);
	}
	json_decref(j);
}

static void
test_decrypt(void)
{
	json_t *j = load("decrypt.json"), *v;
	size_t ci;

	json_array_foreach(json_object_get(j, "cases"), ci, v) {
		size_t di = num(v, "dkg"), k;
		const char *qid = str(v, "qid");
		uint8_t eid[32], total[64], w[32], d[32], pf[64], want[64];
		tally_share sh[16];
		uint32_t subset[16], bad;
		dlog_table *tab;
		json_t *e;
		size_t ns = 0, nsub = 0;
		uint64_t m;

		CHECK(di < ncers);
		if (di >= ncers)
			continue;
		struct vceremony *c = &cers[di];
		uint64_t choice = num(v, "choice");

		CHECK(hx(v, "eid", eid, 32) == 0 && hx(v, "total", total, 64) ==
		    0);
		json_array_foreach(json_object_get(v, "shares"), k, e) {
			uint32_t tj = (uint32_t)num(e, "trustee");

			CHECK(tj >= 1 && tj <= c->n && ns < 16);
			if (tj < 1 || tj > c->n || ns >= 16)
				continue;
			CHECK(hx(e, "w", w, 32) == 0);
			CHECK(tally_share_create_with_nonce(d, pf, c->x[tj - 1],
			    c->vk[tj - 1], eid, qid, strlen(qid), choice, tj,
			    total, w) == 0);
			CHECK(hx(e, "d", want, 32) == 0 && memcmp(d, want, 32) ==
			    0);
			CHECK(hx(e, "proof", want, 64) == 0 &&
			    memcmp(pf, want, 64) == 0);
			CHECK(tally_share_verify(c->vk[tj - 1], eid, qid,
			    strlen(qid), choice, tj, total, d, pf) == 0);
			sh[ns].trustee = tj;
			memcpy(sh[ns].d, d, 32);
			memcpy(sh[ns].proof, pf, 64);
			ns++;
		}
		json_array_foreach(json_object_get(v, "subset"), k, e)
			if (nsub < 16)
				subset[nsub++] = (uint32_t)json_integer_value(e);
		json_array_foreach(json_object_get(v, "lagrange"), k, e) {
			uint8_t lam[32];

			CHECK(tally_lagrange(lam, subset, nsub, k) == 0);
			CHECK(hxs(e, want, 32) == 0 && memcmp(lam, want, 32) ==
			    0);
		}
		/* Combine from exactly the subset's shares. */
		{
			tally_share sub[16];
			size_t z = 0;

			for (size_t a = 0; a < nsub; a++)
				for (size_t b = 0; b < ns; b++)
					if (sh[b].trustee == subset[a])
						sub[z++] = sh[b];
			CHECK(z == nsub && nsub == c->t);
			CHECK(dlog_table_new(&tab, num(v, "bound")) == 0);
			CHECK(tally_decrypt(&m, &bad, total,
			    (const uint8_t (*)[32])c->vk, c->n, c->t, eid, qid,
			    strlen(qid), choice, sub, z, tab) == 0);
			CHECK(m == num(v, "m") && bad == 0);
			dlog_table_free(tab);
		}
	}
	json_decref(j);
}

/* --- credential.json ----------------------------------------------------- */

static void
test_credentials(void)
{
	json_t *j = load("credential.json"), *v;
	size_t i;

	json_array_foreach(json_object_get(j, "credentials"), i, v) {
		const char *mid = str(v, "meeting_id");
		const char *frag = str(v, "link_fragment");
		const char *ci = str(v, "code_input");
		uint8_t ls[16], ls2[16], salt[16], want[32], seed[32];
		char code[9], f[23];
		credential *c;

		CHECK(hx(v, "link_secret", ls, 16) == 0);
		credential_fragment_encode(f, ls);
		CHECK(strcmp(f, frag) == 0);
		CHECK(credential_fragment_decode(ls2, frag, strlen(frag)) == 0 &&
		    memcmp(ls, ls2, 16) == 0);
		CHECK(credential_code_normalise(code, ci, strlen(ci)) == 0 &&
		    strcmp(code, str(v, "code")) == 0);
		CHECK(credential_salt(salt, (const uint8_t *)mid, strlen(mid)) ==
		    0);
		CHECK(hx(v, "salt", want, 16) == 0 && memcmp(want, salt, 16) ==
		    0);
		CHECK(credential_seed_derive(seed, (const uint8_t *)mid,
		    strlen(mid), ls, code) == 0);
		CHECK(hx(v, "seed", want, 32) == 0 && memcmp(want, seed, 32) ==
		    0);
		CHECK(credential_derive(&c, (const uint8_t *)mid, strlen(mid),
		    frag, strlen(frag), ci, strlen(ci)) == 0);
		CHECK(c != NULL && hx(v, "pk", want, 32) == 0 &&
		    memcmp(want, credential_public_key(c), 32) == 0);
		credential_free(c);
	}
	json_array_foreach(json_object_get(j, "codes_invalid"), i, v) {
		char code[9];

		CHECK_MSG(credential_code_normalise(code, json_string_value(v),
		    json_string_length(v)) == SCRUTIN_ERR_CODE,
		    "code accepted: %s", json_string_value(v));
	}
	json_decref(j);
}

/* --- question.json (scrutin/2, protocol §5.7) ------------------------ */

/* OUT st = S_open of docs/record.md §5 from an entry's fields, ending with
 * its "qdigest" when that is a string; its length, 0 on a bad field. */
static size_t
open_statement(uint8_t *st, size_t cap, json_t *e, uint8_t voice[32],
    uint8_t signer[32])
{
	const char *mid = str(e, "meeting_id"), *qid = str(e, "qid");
	uint8_t sel[64], qd[32];
	json_t *x;
	size_t k, n = (size_t)num(e, "n");
	framebuf b;

	if (n > 64 || json_array_size(json_object_get(e, "selection")) != n ||
	    hx(e, "voice_pk", voice, 32) != 0 ||
	    hx(e, "signer_pk", signer, 32) != 0)
		return 0;
	json_array_foreach(json_object_get(e, "selection"), k, x)
		sel[k] = (uint8_t)json_integer_value(x);
	framebuf_init(&b, st, cap);
	framebuf_field(&b, "scrutin/1", 9);
	framebuf_field(&b, "open-ballot", 11);
	framebuf_field(&b, mid, strlen(mid));
	framebuf_field(&b, qid, strlen(qid));
	framebuf_field(&b, voice, 32);
	framebuf_field(&b, signer, 32);
	framebuf_field_u64(&b, n);
	framebuf_field(&b, sel, n);
	if (json_is_string(json_object_get(e, "qdigest"))) {
		if (hx(e, "qdigest", qd, 32) != 0)
			return 0;
		framebuf_field(&b, qd, 32);
	}
	return b.overflow ? 0 : b.len;
}

/* 0 when a show of hands's signature verifies over S_open. */
static int
open_ballot_rejected(json_t *in)
{
	uint8_t st[512], voice[32], signer[32], sig[64];
	size_t len = open_statement(st, sizeof st, in, voice, signer);

	return len == 0 || hx(in, "sig", sig, 64) != 0 ||
	    credential_verify(signer, sig, st, len) != 0;
}

static int negative_rejected(const char *kind, json_t *in);

static void
test_questions(void)
{
	json_t *j = load("question.json"), *v, *qs;
	uint8_t d[32], want[32], st[512], ws[512], voice[32], signer[32];
	char sh[10];
	size_t i, len, wlen;

	qs = json_object_get(j, "questions");
	CHECK(json_array_size(qs) > 0);
	json_array_foreach(qs, i, v) {
		CHECK_MSG(question_digest(d, json_object_get(v, "payload")) ==
		    0, "question %zu (%s) refused", i, str(v, "why"));
		CHECK_MSG(hx(v, "qdigest", want, 32) == 0 &&
		    memcmp(d, want, 32) == 0, "question %zu (%s): digest "
		    "differs", i, str(v, "why"));
		question_digest_short(sh, d);
		CHECK(strcmp(sh, str(v, "short")) == 0);
	}
	json_array_foreach(json_object_get(j, "questions_invalid"), i, v)
		CHECK_MSG(question_digest(d, json_object_get(v, "payload")) !=
		    0, "invalid question %zu (%s) accepted", i, str(v, "why"));
	json_array_foreach(json_object_get(j, "ballots"), i, v) {
		json_t *q = json_array_get(qs, (size_t)num(v, "question"));

		CHECK(question_digest(d, json_object_get(q, "payload")) == 0 &&
		    hx(v, "qdigest", want, 32) == 0 && memcmp(d, want, 32) == 0);
		ballot_entry(v, i);
	}
	json_array_foreach(json_object_get(j, "open_ballots"), i, v) {
		len = open_statement(st, sizeof st, v, voice, signer);
		CHECK(hxv(v, "statement", ws, sizeof ws, &wlen) == 0);
		CHECK_MSG(len != 0 && len == wlen && memcmp(st, ws, len) == 0 &&
		    !open_ballot_rejected(v),
		    "show of hands %zu: S_open or its signature differs", i);
	}
	json_array_foreach(json_object_get(j, "negative"), i, v)
		CHECK_MSG(negative_rejected(str(v, "kind"),
		    json_object_get(v, "input")), "question.json negative %zu "
		    "accepted: %s", i, str(v, "why"));
	json_decref(j);
}

/* --- negative.json -------------------------------------------------------- */

/* 0 when the case is accepted (a failure of the test). */
static int
negative_rejected(const char *kind, json_t *in)
{
	uint8_t ctx[PROOF_CTX_MAX], X[32], P[32], D[32], pf[64], b[32];
	size_t cl, pl;

	if (strcmp(kind, "point") == 0)
		return hx(in, "hex", b, 32) != 0 || group_point_check(b) != 0;
	if (strcmp(kind, "scalar") == 0)
		return hx(in, "hex", b, 32) != 0 || group_scalar_check(b) != 0;
	if (strcmp(kind, "credential-code") == 0) {
		char code[9];
		const char *s = str(in, "code_input");

		return credential_code_normalise(code, s, strlen(s)) != 0;
	}
	if (strcmp(kind, "pok") == 0)
		return hxv(in, "ctx", ctx, sizeof ctx, &cl) != 0 ||
		    hx(in, "X", X, 32) != 0 || hx(in, "proof", pf, 64) != 0 ||
		    proof_pok_verify(ctx, cl, X, pf) != 0;
	if (strcmp(kind, "dleq") == 0)
		return hxv(in, "ctx", ctx, sizeof ctx, &cl) != 0 ||
		    hx(in, "X", X, 32) != 0 || hx(in, "P", P, 32) != 0 ||
		    hx(in, "D", D, 32) != 0 || hx(in, "proof", pf, 64) != 0 ||
		    proof_dleq_verify(ctx, cl, X, P, D, pf) != 0;
	if (strcmp(kind, "member") == 0) {
		static uint8_t mp[64 * 70];
		uint64_t values[70];
		uint8_t y[32], ct[64];
		json_t *vals = json_object_get(in, "values"), *e;
		size_t k = json_array_size(vals), q;

		if (k > 70)
			return 1;
		json_array_foreach(vals, q, e)
			values[q] = (uint64_t)json_integer_value(e);
		return hxv(in, "ctx", ctx, sizeof ctx, &cl) != 0 ||
		    hx(in, "y", y, 32) != 0 || hx(in, "ct", ct, 64) != 0 ||
		    hxv(in, "proof", mp, sizeof mp, &pl) != 0 ||
		    proof_member_verify(ctx, cl, y, ct, values, k, mp, pl) != 0;
	}
	if (strcmp(kind, "decrypt-share") == 0) {
		uint8_t eid[32], total[64];
		const char *qid = str(in, "qid");

		return hx(in, "eid", eid, 32) != 0 ||
		    hx(in, "verification_key", X, 32) != 0 ||
		    hx(in, "total", total, 64) != 0 || hx(in, "d", D, 32) != 0 ||
		    hx(in, "proof", pf, 64) != 0 ||
		    tally_share_verify(X, eid, qid, strlen(qid),
		    num(in, "choice"), (uint32_t)num(in, "trustee"), total, D,
		    pf) != 0;
	}
	if (strcmp(kind, "ballot") == 0) {
		static uint8_t body[BALLOT_BODY_MAX + 64];
		uint8_t eid[32], y[32], voice[32], signer[32], sig[64];
		const char *qid = str(in, "qid");
		ballot_question q;
		ballot_parsed p;
		size_t len;

		if (ballot_question_init(&q, qid, strlen(qid),
		    (uint32_t)num(in, "n"), (uint32_t)num(in, "min"),
		    (uint32_t)num(in, "max")) != 0)
			return 1;
		if (hx(in, "eid", eid, 32) != 0 || hx(in, "y", y, 32) != 0 ||
		    hx(in, "voice_pk", voice, 32) != 0 ||
		    hx(in, "signer_pk", signer, 32) != 0 ||
		    hxv(in, "body", body, sizeof body, &len) != 0 ||
		    hx(in, "sig", sig, 64) != 0)
			return 1;
		/* question.json: checked under this digest (null: none). */
		if (json_is_string(json_object_get(in, "qdigest"))) {
			if (hx(in, "qdigest", D, 32) != 0)
				return 1;
			ballot_question_set_digest(&q, D);
		}
		if (ballot_verify(&p, &q, eid, y, body, len, sig) != 0)
			return 1;
		return memcmp(p.voice_pk, voice, 32) != 0 ||
		    memcmp(p.signer_pk, signer, 32) != 0;
	}
	if (strcmp(kind, "open-ballot") == 0)
		return open_ballot_rejected(in);
	fprintf(stderr, "negative: unknown kind %s\n", kind);
	return 0;
}

static void
test_negative(void)
{
	json_t *j = load("negative.json"), *v;
	size_t i, count = 0;

	json_array_foreach(json_object_get(j, "cases"), i, v) {
		const char *kind = str(v, "kind");

		CHECK_MSG(negative_rejected(kind, json_object_get(v, "input")),
		    "negative case %zu (%s) accepted: %s", i, kind,
		    str(v, "why"));
		count++;
	}
	CHECK(count > 0);
	json_decref(j);
}

int
main(void)
{
	if (group_init() != 0)
		return 1;
	test_encoding();
	test_elgamal();
	test_proofs();
	test_ballots();
	test_dkg();
	test_decrypt();
	test_credentials();
	test_negative();
	test_questions();
	return check_done("test_vectors");
}

/*
 * write_c_vectors.c — writes test-output/c-vectors.json: proofs, ballots,
 * key ceremonies and decryptions made by crypto/ with fresh randomness,
 * shaped like the entries of tests/vectors/{proofs,ballot,dkg,decrypt}.json,
 * for `node tests/vectors/noble.mjs verify` (tests/vectors/cross.sh).
 * Ballots carry their r_i and nonces so the independent implementation
 * also re-derives them byte for byte. scrutin/2 (docs/protocol.md §5.7):
 * question payloads with audit/qdigest.c's digest, ballots and shows of
 * hands bound to it, each with its payload, so that noble.mjs recomputes
 * the digest itself. jansson is used here only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "audit/qdigest.h"
#include "crypto/scrutin_crypto.h"

static void
die(const char *what, int rc)
{
	fprintf(stderr, "write_c_vectors: %s: %s\n", what, scrutin_strerror(rc));
	exit(1);
}

#define TRY(what, expr)                                                    \
	do {                                                               \
		int rc_ = (expr);                                          \
		if (rc_ != 0)                                              \
			die(what, rc_);                                    \
	} while (0)

static json_t *
jhex(const uint8_t *b, size_t n)
{
	char *s = malloc(2 * n + 1);
	json_t *j;

	if (s == NULL || hex_encode(s, 2 * n + 1, b, n) != 0)
		abort();
	j = json_string(s);
	free(s);
	return j;
}

static json_t *
jint(uint64_t v)
{
	return json_integer((json_int_t)v);
}

static void
add_pok(json_t *arr)
{
	uint8_t ctx[40], x[32], X[32], pf[64];
	json_t *e = json_object();

	randombytes_buf(ctx, sizeof ctx);
	group_scalar_random(x);
	group_mul_base(X, x);
	TRY("pok", proof_pok_prove(pf, ctx, sizeof ctx, X, x));
	json_object_set_new(e, "ctx", jhex(ctx, sizeof ctx));
	json_object_set_new(e, "x", jhex(x, 32));
	json_object_set_new(e, "X", jhex(X, 32));
	json_object_set_new(e, "proof", jhex(pf, 64));
	json_array_append_new(arr, e);
}

static void
add_dleq(json_t *arr)
{
	uint8_t ctx[40], x[32], X[32], p[32], P[32], D[32], pf[64];
	json_t *e = json_object();

	randombytes_buf(ctx, sizeof ctx);
	group_scalar_random(x);
	group_mul_base(X, x);
	group_scalar_random(p);
	group_mul_base(P, p);
	TRY("dleq D", group_mul(D, x, P));
	TRY("dleq", proof_dleq_prove(pf, ctx, sizeof ctx, X, P, D, x));
	json_object_set_new(e, "ctx", jhex(ctx, sizeof ctx));
	json_object_set_new(e, "x", jhex(x, 32));
	json_object_set_new(e, "P", jhex(P, 32));
	json_object_set_new(e, "X", jhex(X, 32));
	json_object_set_new(e, "D", jhex(D, 32));
	json_object_set_new(e, "proof", jhex(pf, 64));
	json_array_append_new(arr, e);
}

static void
add_member(json_t *arr, const uint64_t *values, size_t k, size_t index)
{
	uint8_t ctx[50], x[32], y[32], r[32], ct[64], pf[64 * 65];
	json_t *e = json_object(), *vals = json_array();

	randombytes_buf(ctx, sizeof ctx);
	group_scalar_random(x);
	group_mul_base(y, x);
	group_scalar_random(r);
	TRY("member enc", elgamal_encrypt(ct, y, values[index], r));
	TRY("member", proof_member_prove(pf, ctx, sizeof ctx, y, ct, values, k,
	    index, r));
	for (size_t j = 0; j < k; j++)
		json_array_append_new(vals, jint(values[j]));
	json_object_set_new(e, "ctx", jhex(ctx, sizeof ctx));
	json_object_set_new(e, "y", jhex(y, 32));
	json_object_set_new(e, "values", vals);
	json_object_set_new(e, "index", jint(index));
	json_object_set_new(e, "r", jhex(r, 32));
	json_object_set_new(e, "ct", jhex(ct, 64));
	json_object_set_new(e, "proof", jhex(pf, PROOF_MEMBER_BYTES(k)));
	json_array_append_new(arr, e);
}

/* A ballot; with a payload (scrutin/2) bound to its question digest, the
 * entry then carrying "payload" and "qdigest". */
static void
add_ballot(json_t *arr, const char *qid, uint32_t n, uint32_t min,
    uint32_t max, int proxy, json_t *payload)
{
	static uint8_t body[BALLOT_BODY_MAX];
	uint8_t eid[32], x[32], y[32], vseed[32], sseed[32], sig[64], rec[32];
	uint8_t sel[64] = { 0 }, r[64][32], nonces[400][32];
	json_t *e = json_object(), *js = json_array(), *jr = json_array();
	json_t *jn = json_array();
	credential *voice, *signer;
	ballot_question q;
	uint32_t want, got = 0;
	size_t len, off = 0;

	TRY("question", ballot_question_init(&q, qid, strlen(qid), n, min, max));
	if (payload != NULL) {
		uint8_t d[32];

		if (question_digest(d, payload) != 0)
			die("question digest", -1);
		ballot_question_set_digest(&q, d);
		json_object_set_new(e, "payload", json_incref(payload));
		json_object_set_new(e, "qdigest", jhex(d, 32));
	}
	randombytes_buf(eid, 32);
	group_scalar_random(x);
	group_mul_base(y, x);
	randombytes_buf(vseed, 32);
	memcpy(sseed, vseed, 32);
	if (proxy)
		randombytes_buf(sseed, 32);
	TRY("voice", credential_new_from_seed(&voice, vseed));
	TRY("signer", credential_new_from_seed(&signer, sseed));
	want = min + randombytes_uniform(max - min + 1);
	while (got < want) {
		uint32_t i = randombytes_uniform(n);

		if (!sel[i]) {
			sel[i] = 1;
			got++;
		}
	}
	for (uint32_t i = 0; i < q.e; i++) {
		group_scalar_random(r[i]);
		json_array_append_new(jr, jhex(r[i], 32));
	}
	/* Nonces: per proof w (non-zero), then c_j, s_j. */
	for (size_t i = 0; i < ballot_nonce_count(&q); i++)
		group_scalar_random(nonces[i]);
	TRY("ballot", ballot_build_with_nonces(body, sizeof body, &len, &q, eid,
	    y, credential_public_key(voice), credential_public_key(signer),
	    sel, (const uint8_t (*)[32])r, (const uint8_t (*)[32])nonces));
	TRY("sign", credential_sign(signer, sig, body, len));
	TRY("verify", ballot_verify(NULL, &q, eid, y, body, len, sig));
	ballot_receipt(rec, body, len, sig);
	for (uint32_t i = 0; i < n; i++)
		json_array_append_new(js, jint(sel[i]));
	for (uint32_t p = 0; p <= q.e; p++) {
		size_t cnt = p < q.e ? 3 : 1 + 2 * (size_t)(q.hi - q.lo);
		json_t *l = json_array();

		for (size_t z = 0; z < cnt; z++)
			json_array_append_new(l, jhex(nonces[off++], 32));
		json_array_append_new(jn, l);
	}
	json_object_set_new(e, "eid", jhex(eid, 32));
	json_object_set_new(e, "qid", json_string(qid));
	json_object_set_new(e, "n", jint(n));
	json_object_set_new(e, "min", jint(min));
	json_object_set_new(e, "max", jint(max));
	json_object_set_new(e, "y", jhex(y, 32));
	json_object_set_new(e, "voice_seed", jhex(vseed, 32));
	json_object_set_new(e, "signer_seed", jhex(sseed, 32));
	json_object_set_new(e, "voice_pk", jhex(credential_public_key(voice),
	    32));
	json_object_set_new(e, "signer_pk", jhex(credential_public_key(signer),
	    32));
	json_object_set_new(e, "selection", js);
	json_object_set_new(e, "r", jr);
	json_object_set_new(e, "nonces", jn);
	json_object_set_new(e, "body", jhex(body, len));
	json_object_set_new(e, "sig", jhex(sig, 64));
	json_object_set_new(e, "receipt", jhex(rec, 32));
	json_array_append_new(arr, e);
	credential_free(voice);
	credential_free(signer);
}

/* A ceremony run through boxes; adds it to dkg and a decryption of a
 * random total to dec (index = position of the ceremony). */
static void
add_ceremony(json_t *dkg, json_t *dec, uint32_t n, uint32_t t)
{
	static const char mid[] = "AG-C-2025";
	uint8_t idp[16][32], ids[64], bxp[16][32], bxs[16][32], cid[32];
	uint8_t comm[16 * 16][32], pok[16][64], h[16][32], vk[16][32];
	uint8_t vpok[16][64], y[32], s[32], box[DKG_BOX_BYTES];
	dkg_trustee *T[16];
	json_t *e = json_object(), *jt = json_array(), *jc = json_array();
	json_t *jp = json_array(), *jh = json_array(), *jsh = json_array();
	json_t *jx = json_array(), *jvk = json_array(), *jsp = json_array();

	for (uint32_t i = 0; i < n; i++) {
		json_t *tr = json_object();

		crypto_sign_keypair(idp[i], ids);
		crypto_box_keypair(bxp[i], bxs[i]);
		json_object_set_new(tr, "id_pk", jhex(idp[i], 32));
		json_object_set_new(tr, "box_pk", jhex(bxp[i], 32));
		json_array_append_new(jt, tr);
	}
	sodium_memzero(ids, sizeof ids);
	TRY("cid", dkg_ceremony_id(cid, (const uint8_t *)mid, strlen(mid), n, t,
	    (const uint8_t (*)[32])idp, (const uint8_t (*)[32])bxp));
	for (uint32_t i = 0; i < n; i++) {
		json_t *row = json_array();

		TRY("trustee", dkg_trustee_new(&T[i], cid, n, t, i + 1));
		TRY("commit", dkg_trustee_commit(T[i], comm + (size_t)i * t,
		    pok[i], h[i], NULL));
		for (uint32_t k = 0; k < t; k++)
			json_array_append_new(row, jhex(comm[i * t + k], 32));
		json_array_append_new(jc, row);
		json_array_append_new(jp, jhex(pok[i], 64));
		json_array_append_new(jh, jhex(h[i], 32));
	}
	for (uint32_t i = 0; i < n; i++) {
		json_t *row = json_array();

		TRY("reveal", dkg_commitment_verify(cid, i + 1,
		    (const uint8_t (*)[32])(comm + (size_t)i * t), t, pok[i],
		    h[i]));
		for (uint32_t j = 0; j < n; j++) {
			TRY("share", dkg_trustee_share(T[i], j + 1, s));
			json_array_append_new(row, jhex(s, 32));
			TRY("box", dkg_trustee_box_share(T[i], j + 1, box,
			    bxs[i], bxp[j], NULL));
			TRY("receive", dkg_trustee_receive(T[j], i + 1, box,
			    bxp[i], bxs[j],
			    (const uint8_t (*)[32])(comm + (size_t)i * t)));
		}
		json_array_append_new(jsh, row);
	}
	TRY("y", dkg_public_key(y, (const uint8_t (*)[32])comm, n, t));
	for (uint32_t j = 0; j < n; j++) {
		TRY("finish", dkg_trustee_finish(T[j], vk[j], vpok[j], NULL));
		json_array_append_new(jx, jhex(dkg_trustee_key_share(T[j]), 32));
		json_array_append_new(jvk, jhex(vk[j], 32));
		json_array_append_new(jsp, jhex(vpok[j], 64));
	}
	json_object_set_new(e, "meeting_id", json_string(mid));
	json_object_set_new(e, "n", jint(n));
	json_object_set_new(e, "t", jint(t));
	json_object_set_new(e, "trustees", jt);
	json_object_set_new(e, "ceremony_id", jhex(cid, 32));
	json_object_set_new(e, "commitments", jc);
	json_object_set_new(e, "pok", jp);
	json_object_set_new(e, "commit_hash", jh);
	json_object_set_new(e, "shares", jsh);
	json_object_set_new(e, "x", jx);
	json_object_set_new(e, "verification_keys", jvk);
	json_object_set_new(e, "share_pok", jsp);
	json_object_set_new(e, "y", jhex(y, 32));
	json_array_append_new(dkg, e);

	/* Decryption of a total of 9 encryptions of 0..3. */
	{
		uint8_t eid[32], total[64], ct[64], lam[32];
		tally_share sh[16];
		uint32_t subset[16], bad;
		uint64_t m = 0, got;
		dlog_table *tab;
		json_t *d = json_object(), *jsa = json_array();
		json_t *jsub = json_array(), *jl = json_array();

		randombytes_buf(eid, 32);
		tally_total_init(total);
		for (int b = 0; b < 9; b++) {
			uint64_t v = randombytes_uniform(4);

			TRY("enc", elgamal_encrypt_random(ct, NULL, y, v));
			TRY("add", tally_total_add(total, ct));
			m += v;
		}
		for (uint32_t j = 0; j < n; j++) {
			json_t *o = json_object();

			sh[j].trustee = j + 1;
			TRY("dshare", tally_share_create(sh[j].d, sh[j].proof,
			    dkg_trustee_key_share(T[j]), vk[j], eid, "q-c", 3,
			    2, j + 1, total));
			json_object_set_new(o, "trustee", jint(j + 1));
			json_object_set_new(o, "d", jhex(sh[j].d, 32));
			json_object_set_new(o, "proof", jhex(sh[j].proof, 64));
			json_array_append_new(jsa, o);
		}
		for (uint32_t k = 0; k < t; k++) {
			subset[k] = k + 1;
			json_array_append_new(jsub, jint(k + 1));
		}
		for (uint32_t k = 0; k < t; k++) {
			TRY("lagrange", tally_lagrange(lam, subset, t, k));
			json_array_append_new(jl, jhex(lam, 32));
		}
		TRY("dlog table", dlog_table_new(&tab, 27));
		TRY("decrypt", tally_decrypt(&got, &bad, total,
		    (const uint8_t (*)[32])vk, n, t, eid, "q-c", 3, 2, sh, n,
		    tab));
		dlog_table_free(tab);
		if (got != m)
			die("decrypted total", SCRUTIN_ERR_INTERNAL);
		json_object_set_new(d, "dkg", jint(json_array_size(dkg) - 1));
		json_object_set_new(d, "eid", jhex(eid, 32));
		json_object_set_new(d, "qid", json_string("q-c"));
		json_object_set_new(d, "choice", jint(2));
		json_object_set_new(d, "total", jhex(total, 64));
		json_object_set_new(d, "m", jint(m));
		json_object_set_new(d, "bound", jint(27));
		json_object_set_new(d, "shares", jsa);
		json_object_set_new(d, "subset", jsub);
		json_object_set_new(d, "lagrange", jl);
		json_array_append_new(dec, d);
	}
	for (uint32_t i = 0; i < n; i++)
		dkg_trustee_free(T[i]);
}

/* A question.opened payload: a motion, or an election of k candidates
 * (random member keys, labels with accents) and a blank choice. */
static json_t *
payload_new(const char *qid, int election, uint32_t k, uint32_t max,
    int secret)
{
	json_t *ch = json_array(), *p;
	uint8_t pk[32];
	char id[16], label[64];

	if (!election) {
		json_array_append_new(ch, json_pack("{s:s,s:s}", "id", "pour",
		    "label", "Pour"));
		json_array_append_new(ch, json_pack("{s:s,s:s}", "id",
		    "contre", "label", "Contre"));
		json_array_append_new(ch, json_pack("{s:s,s:s}", "id",
		    "abstention", "label", "Abstention"));
	} else {
		for (uint32_t i = 0; i < k; i++) {
			randombytes_buf(pk, 32);
			snprintf(id, sizeof id, "c%u", i + 1);
			snprintf(label, sizeof label, "Prénom%u Nom « %u »",
			    randombytes_uniform(1000), i);
			json_array_append_new(ch, json_pack("{s:s,s:s,s:o}",
			    "id", id, "label", label, "member", jhex(pk, 32)));
		}
		json_array_append_new(ch, json_pack("{s:s,s:s,s:b}", "id",
		    "blanc", "label", "Vote blanc", "blank", 1));
	}
	p = json_pack("{s:s,s:s,s:s,s:o,s:i,s:I,s:s,s:b,s:b}", "qid", qid,
	    "kind", election ? "election" : "motion", "label",
	    election ? "Élection au conseil" : "Approbation des comptes",
	    "choices", ch, "min", 1, "max", (json_int_t)max, "rule",
	    election ? "ca" : "ordinary", "secret", secret, "revote", 0);
	if (election) {
		json_object_set_new(p, "seats", json_integer(max));
		json_object_set_new(p, "round", json_integer(1));
		json_object_set_new(p, "post", json_string("Trésorière"));
	} else if (strcmp(qid, "a1") == 0) {
		json_object_set_new(p, "amends", json_string("q1"));
		json_object_set_new(p, "amendment",
		    json_string("Remplacer « 2025 » par « 2026 »."));
	}
	return p;
}

/* A show of hands of scrutin/2 on payload p: S_open (docs/record.md §5)
 * ending with the question digest, signed by a fresh credential. */
static void
add_open(json_t *arr, json_t *p, const uint8_t *sel)
{
	static const char mid[] = "AG-C-2025";
	const char *qid = json_string_value(json_object_get(p, "qid"));
	size_t n = json_array_size(json_object_get(p, "choices"));
	uint8_t seed[32], d[32], st[512], sig[64];
	json_t *e = json_object(), *js = json_array();
	credential *c;
	framebuf b;

	if (question_digest(d, p) != 0)
		die("question digest", -1);
	randombytes_buf(seed, 32);
	TRY("credential", credential_new_from_seed(&c, seed));
	framebuf_init(&b, st, sizeof st);
	framebuf_field(&b, "scrutin/1", 9);
	framebuf_field(&b, "open-ballot", 11);
	framebuf_field(&b, mid, strlen(mid));
	framebuf_field(&b, qid, strlen(qid));
	framebuf_field(&b, credential_public_key(c), 32);
	framebuf_field(&b, credential_public_key(c), 32);
	framebuf_field_u64(&b, n);
	framebuf_field(&b, sel, n);
	framebuf_field(&b, d, 32);
	TRY("sign", credential_sign(c, sig, st, b.len));
	for (size_t i = 0; i < n; i++)
		json_array_append_new(js, jint(sel[i]));
	json_object_set_new(e, "payload", json_incref(p));
	json_object_set_new(e, "meeting_id", json_string(mid));
	json_object_set_new(e, "qid", json_string(qid));
	json_object_set_new(e, "n", jint(n));
	json_object_set_new(e, "qdigest", jhex(d, 32));
	json_object_set_new(e, "selection", js);
	json_object_set_new(e, "voice_pk", jhex(credential_public_key(c), 32));
	json_object_set_new(e, "signer_pk", jhex(credential_public_key(c), 32));
	json_object_set_new(e, "statement", jhex(st, b.len));
	json_object_set_new(e, "sig", jhex(sig, 64));
	json_array_append_new(arr, e);
	credential_free(c);
}

/* scrutin/2: payloads and their digests, ballots and shows of hands. */
static void
add_questions(json_t *root)
{
	static const uint8_t pour[3] = { 1, 0, 0 }, blanc[3] = { 0, 0, 1 };
	json_t *qs = json_array(), *qb = json_array(), *ob = json_array();
	json_t *ps[5];
	uint8_t d[32];

	ps[0] = payload_new("q1", 0, 0, 1, 1);
	ps[1] = payload_new("a1", 0, 0, 1, 1);
	ps[2] = payload_new("e1", 1, 3, 2, 1);
	ps[3] = payload_new("e.2", 1, 6, 3, 1);
	ps[4] = payload_new("q2", 0, 0, 1, 0);
	for (size_t i = 0; i < 5; i++) {
		if (question_digest(d, ps[i]) != 0)
			die("question digest", -1);
		json_array_append_new(qs, json_pack("{s:O,s:o}", "payload",
		    ps[i], "qdigest", jhex(d, 32)));
	}
	add_ballot(qb, "q1", 3, 1, 1, 0, ps[0]);
	add_ballot(qb, "a1", 3, 1, 1, 1, ps[1]);
	add_ballot(qb, "e1", 4, 1, 2, 0, ps[2]);
	add_ballot(qb, "e.2", 7, 1, 3, 1, ps[3]);
	add_open(ob, ps[4], pour);
	add_open(ob, ps[4], blanc);
	json_object_set_new(root, "questions", qs);
	json_object_set_new(root, "question_ballots", qb);
	json_object_set_new(root, "open_ballots", ob);
	for (size_t i = 0; i < 5; i++)
		json_decref(ps[i]);
}

int
main(void)
{
	static const uint64_t v01[2] = { 0, 1 }, v0_3[4] = { 0, 1, 2, 3 };
	static const uint64_t vs[3] = { 2, 5, 9 };
	const char *path = "test-output/c-vectors.json";
	json_t *root = json_object(), *proofs = json_object();
	json_t *pok = json_array(), *dleq = json_array(), *mem = json_array();
	json_t *ballots = json_array(), *dkg = json_array(), *dec = json_array();

	if (group_init() != 0)
		return 1;
	for (int i = 0; i < 3; i++) {
		add_pok(pok);
		add_dleq(dleq);
	}
	add_member(mem, v01, 2, 0);
	add_member(mem, v01, 2, 1);
	add_member(mem, v0_3, 4, 2);
	add_member(mem, vs, 3, 1);
	add_ballot(ballots, "motion-1", 3, 1, 1, 0, NULL);
	add_ballot(ballots, "motion-1", 3, 1, 1, 1, NULL);
	add_ballot(ballots, "bureau.2025", 10, 0, 3, 0, NULL);
	add_ballot(ballots, "pick2", 4, 2, 2, 1, NULL);
	add_ballot(ballots, "yes_no", 2, 1, 1, 0, NULL);
	add_ballot(ballots, "any", 5, 0, 5, 0, NULL);
	add_ballot(ballots, "range", 6, 2, 4, 0, NULL);
	add_ceremony(dkg, dec, 2, 2);
	add_ceremony(dkg, dec, 3, 2);
	add_ceremony(dkg, dec, 4, 3);
	json_object_set_new(proofs, "pok", pok);
	json_object_set_new(proofs, "dleq", dleq);
	json_object_set_new(proofs, "member", mem);
	json_object_set_new(root, "proofs", proofs);
	json_object_set_new(root, "ballots", ballots);
	json_object_set_new(root, "dkg", dkg);
	json_object_set_new(root, "decrypt", dec);
	add_questions(root);
	mkdir("test-output", 0755);
	if (json_dump_file(root, path, JSON_INDENT(1)) != 0) {
		fprintf(stderr, "write_c_vectors: cannot write %s\n", path);
		return 1;
	}
	json_decref(root);
	printf("write_c_vectors: wrote %s\n", path);
	return 0;
}

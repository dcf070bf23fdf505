/*
 * tamper.c — mutates a clean record for the tamper suite (tamper.sh).
 *
 *   tamper MODE KEYSDIR IN OUT
 *
 * KEYSDIR is gen_record's --keys output. Most modes play the strongest
 * insider: the server itself, holding its signing key, which rewrites an
 * event and then re-chains and re-signs every checkpoint, so that only
 * the cryptography of the content can catch it. Where a mode needs a
 * voter's or a scrutineer's signature over the altered content (a proof,
 * a key share, a decryption share), it re-signs with that key too, so
 * the check that must fire is the proof check, not the signature. The
 * modes log-* and checkpoint-sig instead model an attacker without the
 * server key. Test code only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "audit/log.h"
#include "audit/outcome.h"
#include "audit/stmt.h"
#include "audit/verify.h"
#include "ballot-formats/util.h"
#include "crypto/scrutin_crypto.h"

#define MAXL 200000

static char *raw[MAXL];
static json_t *ev[MAXL];
static size_t n;
static uint8_t server_sk[64];
static const char *keys;
static char meeting[65];

static void __attribute__((noreturn))
die(const char *m)
{
	fprintf(stderr, "tamper: %s\n", m);
	exit(2);
}

static void
load_seed_key(const char *name, uint8_t sk[64])
{
	char path[4096], hx[80];
	uint8_t seed[32], pk[32];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", keys, name);
	if ((f = fopen(path, "r")) == NULL || fgets(hx, sizeof hx, f) == NULL ||
	    hex_decode(seed, 32, hx, 64) != 0)
		die("key file");
	fclose(f);
	crypto_sign_seed_keypair(pk, sk, seed);
}

/* One line "PK SEED" of members.txt: OUT the key pair. */
static int
member_sk_line(const char *line, uint8_t pk[32], uint8_t sk[64])
{
	uint8_t p[32], s[32];

	if (hex_decode(p, 32, line, 64) != 0 ||
	    hex_decode(s, 32, line + 65, 64) != 0)
		return -1;
	crypto_sign_seed_keypair(pk, sk, s);
	return memcmp(p, pk, 32) == 0 ? 0 : -1;
}

/* The secret key of a credential pk, from members.txt. */
static int
member_sk(const uint8_t pk[32], uint8_t sk[64])
{
	char path[4096], line[256];
	FILE *f;
	int found = 0;

	snprintf(path, sizeof path, "%s/members.txt", keys);
	if ((f = fopen(path, "r")) == NULL)
		die("members.txt");
	while (fgets(line, sizeof line, f) != NULL) {
		uint8_t p[32], s[32], pk2[32];
		if (hex_decode(p, 32, line, 64) != 0 ||
		    hex_decode(s, 32, line + 65, 64) != 0)
			continue;
		if (memcmp(p, pk, 32) == 0) {
			crypto_sign_seed_keypair(pk2, sk, s);
			found = 1;
			break;
		}
	}
	fclose(f);
	return found ? 0 : -1;
}

static const char *
kind(size_t i)
{
	return json_string_value(json_object_get(ev[i], "kind"));
}

static json_t *
pl(size_t i)
{
	return json_object_get(ev[i], "payload");
}

static void
hexget(json_t *o, const char *k, uint8_t *out, size_t len)
{
	const char *s = json_string_value(json_object_get(o, k));
	if (s == NULL || hex_decode(out, len, s, 2 * len) != 0)
		die("hex field");
}

static void
hexset(json_t *o, const char *k, const uint8_t *b, size_t len)
{
	char *s = malloc(2 * len + 1);
	if (s == NULL || hex_encode(s, 2 * len + 1, b, len) != 0)
		die("hex");
	json_object_set_new(o, k, json_string(s));
	free(s);
}

static size_t
find(const char *k, size_t nth)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(kind(i), k) == 0 && nth-- == 0)
			return i;
	die("event not found");
	return 0;
}

/* The nth ballot of a question. */
static size_t
find_ballot(const char *qid, size_t nth)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(kind(i), "ballot") == 0 &&
		    strcmp(json_string_value(json_object_get(pl(i), "qid")),
		    qid) == 0 && nth-- == 0)
			return i;
	die("ballot not found");
	return 0;
}

/* Re-signs ballot i's body with its signer's key and recomputes the
 * receipt. */
static void
ballot_store(size_t i, const uint8_t *body, size_t len, const uint8_t *sk)
{
	uint8_t sig[64], rc[32];

	if (sk != NULL)
		crypto_sign_detached(sig, NULL, body, len, sk);
	else
		hexget(pl(i), "sig", sig, 64);
	ballot_receipt(rc, body, len, sig);
	hexset(pl(i), "body", body, len);
	hexset(pl(i), "sig", sig, 64);
	hexset(pl(i), "receipt", rc, 32);
}

static uint8_t *
ballot_body(size_t i, size_t *len)
{
	const char *s = json_string_value(json_object_get(pl(i), "body"));
	uint8_t *b;

	*len = strlen(s) / 2;
	if ((b = malloc(*len)) == NULL || hex_decode(b, *len, s, 2 * *len))
		die("body");
	return b;
}

/* A "ballot" event on qid with body, signed by signer_sk, placed right
 * after event `after` (its time borrowed). */
static void
ballot_insert(size_t after, const char *qid, const uint8_t *body, size_t len,
    const uint8_t signer_sk[64])
{
	uint8_t sig[64], rc[32];
	json_t *e, *p;

	crypto_sign_detached(sig, NULL, body, len, signer_sk);
	ballot_receipt(rc, body, len, sig);
	e = json_deep_copy(ev[after]);
	json_object_set_new(e, "kind", json_string("ballot"));
	p = json_object();
	json_object_set_new(p, "qid", json_string(qid));
	hexset(p, "body", body, len);
	hexset(p, "sig", sig, 64);
	hexset(p, "receipt", rc, 32);
	json_object_set_new(e, "payload", p);
	memmove(&ev[after + 2], &ev[after + 1], (n - after - 1) * sizeof ev[0]);
	ev[after + 1] = e;
	n++;
}

/* Builds a fresh valid ballot on question qid for voice/signer, placed
 * right after event `after`. */
static void
ballot_new(const char *qid, const uint8_t voice[32], const uint8_t signer[32],
    const uint8_t signer_sk[64], size_t after)
{
	size_t qo = 0;
	ballot_question q;
	uint8_t eid[32], y[32], body[BALLOT_BODY_MAX], sel[64] = { 0 };
	size_t len;
	json_t *p;

	for (qo = 0; qo < n; qo++)
		if (strcmp(kind(qo), "question.opened") == 0 &&
		    strcmp(json_string_value(json_object_get(pl(qo), "qid")),
		    qid) == 0)
			break;
	if (qo == n)
		die("question");
	p = pl(qo);
	if (ballot_question_init(&q, qid, strlen(qid),
	    (uint32_t)json_array_size(json_object_get(p, "choices")),
	    (uint32_t)json_integer_value(json_object_get(p, "min")),
	    (uint32_t)json_integer_value(json_object_get(p, "max"))) != 0)
		die("question init");
	hexget(pl(find("ceremony.done", 0)), "eid", eid, 32);
	hexget(pl(find("ceremony.done", 0)), "y", y, 32);
	sel[0] = 1;
	if (ballot_build(body, sizeof body, &len, &q, eid, y, voice, signer,
	    sel) != 0)
		die("build");
	ballot_insert(after, qid, body, len, signer_sk);
}

/* A ballot.audited (docs/record.md §4) on motion-1 by the voice and
 * signer of its first ballot, choosing « contre », placed right after
 * that ballot: a valid opening (the randomness known, as the phone
 * knows it) signed over S_audit. Mode "audited-selection" publishes
 * another selection, "audited-opening" swaps the randomness,
 * "audited-cast" then casts that very ballot. */
static void
audited_insert(const char *mode)
{
	size_t b = find_ballot("motion-1", 0), len, nn;
	uint8_t *old = ballot_body(b, &len), sk[64], eid[32], y[32];
	uint8_t body[BALLOT_BODY_MAX], r[BALLOT_CHOICES_MAX][32], fp[32];
	uint8_t (*nonces)[32], sel[3] = { 0, 1, 0 }, sig[64];
	ballot_parsed p;
	ballot_question q;
	audit_stmt st;
	json_t *e, *a, *rs = json_array();

	if (ballot_body_parse(&p, old, len) != 0 ||
	    member_sk(p.signer_pk, sk) != 0 ||
	    ballot_question_init(&q, "motion-1", 8, 3, 1, 1) != 0)
		die("audited ballot");
	hexget(pl(find("ceremony.done", 0)), "eid", eid, 32);
	hexget(pl(find("ceremony.done", 0)), "y", y, 32);
	nn = ballot_nonce_count(&q);
	if ((nonces = calloc(nn, 32)) == NULL)
		die("oom");
	for (size_t i = 0; i < q.e; i++)
		group_scalar_random(r[i]);
	for (size_t i = 0; i < nn; i++)
		group_scalar_random(nonces[i]);
	if (ballot_build_with_nonces(body, sizeof body, &len, &q, eid, y,
	    p.voice_pk, p.signer_pk, sel, (const uint8_t (*)[32])r,
	    (const uint8_t (*)[32])nonces) != 0)
		die("audited build");
	if (strcmp(mode, "audited-opening") == 0) {
		uint8_t t[32];
		memcpy(t, r[0], 32);
		memcpy(r[0], r[1], 32);
		memcpy(r[1], t, 32);
	}
	audit_ballot_fingerprint(fp, body, len);
	audit_stmt_begin(&st, "ballot-audit");
	audit_stmt_field(&st, fp, 32);
	for (size_t i = 0; i < q.e; i++) {
		char h[65];
		audit_stmt_field(&st, r[i], 32);
		if (hex_encode(h, sizeof h, r[i], 32) != 0)
			die("hex");
		json_array_append_new(rs, json_string(h));
	}
	if (audit_stmt_sign(&st, sk, sig) != 0)
		die("sign");
	if (strcmp(mode, "audited-selection") == 0)
		sel[1] = 0, sel[0] = 1;
	e = json_deep_copy(ev[b]);
	json_object_set_new(e, "kind", json_string("ballot.audited"));
	a = json_object();
	json_object_set_new(a, "qid", json_string("motion-1"));
	hexset(a, "body", body, len);
	json_object_set_new(a, "r", rs);
	json_object_set_new(a, "selection", json_pack("[i,i,i]", sel[0],
	    sel[1], sel[2]));
	hexset(a, "sig", sig, 64);
	json_object_set_new(e, "payload", a);
	memmove(&ev[b + 2], &ev[b + 1], (n - b - 1) * sizeof ev[0]);
	ev[b + 1] = e;
	n++;
	if (strcmp(mode, "audited-cast") == 0)
		ballot_insert(b + 1, "motion-1", body, len, sk);
	free(nonces);
	free(old);
}

/* The event of kind k for question qid. */
static size_t
find_q(const char *k, const char *qid)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(kind(i), k) == 0 &&
		    strcmp(json_string_value(json_object_get(pl(i), "qid")),
		    qid) == 0)
			return i;
	die("question event not found");
	return 0;
}

/* An open ballot's body (the open-ballot statement): OUT the offset of
 * K_voice in it (its selection is its last n bytes). */
static size_t
open_voice_offset(const char *qid)
{
	audit_stmt st;

	audit_stmt_begin(&st, "open-ballot");
	audit_stmt_str(&st, meeting);
	audit_stmt_str(&st, qid);
	return audit_stmt_len(&st) + 4;
}

/* Member k's credential (line k of members.txt: the generator's member
 * index). */
static void
member_key(size_t k, uint8_t pk[32], uint8_t sk[64])
{
	char path[4096], line[256];
	FILE *f;
	size_t i = 0;

	snprintf(path, sizeof path, "%s/members.txt", keys);
	if ((f = fopen(path, "r")) == NULL)
		die("members.txt");
	while (fgets(line, sizeof line, f) != NULL && i++ < k)
		;
	fclose(f);
	if (i != k + 1 || member_sk_line(line, pk, sk) != 0)
		die("member index");
}

/* Inserts an event of kind with payload (owned) right after event
 * `after`, with its time. */
static void
insert_event(size_t after, const char *k, json_t *payload)
{
	json_t *e = json_deep_copy(ev[after]);

	json_object_set_new(e, "kind", json_string(k));
	json_object_set_new(e, "payload", payload);
	memmove(&ev[after + 2], &ev[after + 1], (n - after - 1) * sizeof ev[0]);
	ev[after + 1] = e;
	n++;
}

/* A check-out of member k signed by k, after event `after`. */
static void
insert_checkout(size_t after, size_t k, uint64_t ts)
{
	uint8_t pk[32], sk[64], sig[64];
	audit_stmt st;
	json_t *p = json_object();

	member_key(k, pk, sk);
	audit_stmt_begin(&st, "checkout");
	audit_stmt_str(&st, meeting);
	audit_stmt_field(&st, pk, 32);
	audit_stmt_u64(&st, ts);
	if (audit_stmt_sign(&st, sk, sig) != 0)
		die("sign");
	hexset(p, "pk", pk, 32);
	json_object_set_new(p, "ts", json_integer((json_int_t)ts));
	hexset(p, "sig", sig, 64);
	insert_event(after, "checkout", p);
}

/* A proxy from member g to member h signed by g (or its withdrawal),
 * after event `after`. */
static void
insert_proxy_ev(size_t after, size_t g, size_t h, uint64_t ts, int withdraw)
{
	uint8_t gpk[32], gsk[64], hpk[32], hsk[64], sig[64];
	audit_stmt st;
	json_t *p = json_object();

	member_key(g, gpk, gsk);
	member_key(h, hpk, hsk);
	audit_stmt_begin(&st, withdraw ? "proxy-withdraw" : "proxy");
	audit_stmt_str(&st, meeting);
	audit_stmt_field(&st, gpk, 32);
	audit_stmt_field(&st, hpk, 32);
	audit_stmt_u64(&st, ts);
	if (audit_stmt_sign(&st, gsk, sig) != 0)
		die("sign");
	hexset(p, "giver", gpk, 32);
	hexset(p, "holder", hpk, 32);
	json_object_set_new(p, "ts", json_integer((json_int_t)ts));
	hexset(p, "sig", sig, 64);
	insert_event(after, withdraw ? "proxy.withdrawn" : "proxy", p);
}

static void
insert_proxy(size_t after, size_t g, size_t h, uint64_t ts)
{
	insert_proxy_ev(after, g, h, ts, 0);
}

/* The meeting event's profile with its first `from` (the AG body's)
 * replaced by `to`, its hash recomputed. */
static void
profile_edit(const char *from, const char *to)
{
	json_t *prof = json_object_get(pl(0), "profile");
	const char *t = json_string_value(json_object_get(prof, "text"));
	const char *at = t != NULL ? strstr(t, from) : NULL;
	size_t a, len;
	char *nt;
	uint8_t h[32];

	if (at == NULL)
		die("profile text");
	a = (size_t)(at - t);
	len = strlen(t) - strlen(from) + strlen(to);
	nt = malloc(len + 1);
	memcpy(nt, t, a);
	memcpy(nt + a, to, strlen(to));
	memcpy(nt + a + strlen(to), at + strlen(from), strlen(at + strlen(from)) + 1);
	crypto_hash_sha256(h, (const uint8_t *)nt, len);
	json_object_set_new(prof, "text", json_string(nt));
	hexset(prof, "sha256", h, 32);
	free(nt);
}

/* The first proxy event turned into a paper proxy entered by the desk,
 * S_paper signed by the server's key (or, bad_sig, left with the
 * member's signature over S_proxy). */
static void
proxy_to_paper(int bad_sig)
{
	size_t pi = find("proxy", 0);
	uint8_t g[32], h[32], sig[64];
	audit_stmt st;
	json_t *p = pl(pi);

	json_object_set_new(p, "channel", json_string("paper"));
	if (bad_sig)
		return;
	hexget(p, "giver", g, 32);
	hexget(p, "holder", h, 32);
	audit_stmt_begin(&st, "proxy-paper");
	audit_stmt_str(&st, meeting);
	audit_stmt_field(&st, g, 32);
	audit_stmt_field(&st, h, 32);
	audit_stmt_u64(&st, (uint64_t)json_integer_value(json_object_get(p,
	    "ts")));
	if (audit_stmt_sign(&st, server_sk, sig) != 0)
		die("sign");
	hexset(p, "sig", sig, 64);
}

/* The member index of key pk (member_key), or die. */
static size_t
member_of(const uint8_t pk[32])
{
	uint8_t k[32], sk[64];

	for (size_t i = 0; i < 4096; i++) {
		member_key(i, k, sk);
		if (memcmp(k, pk, 32) == 0)
			return i;
	}
	die("member key");
	return 0;
}

/* A redistribution (APROGEMERE II, docs/record.md §4) of member g's
 * proxy to member h, naming member pres president, signed by member
 * signer, appended before the record's last checkpoint. */
static void
append_redist(size_t pres, size_t signer, size_t g, size_t h, uint64_t ts)
{
	uint8_t ppk[32], psk[64], spk[32], ssk[64], gpk[32], gsk[64];
	uint8_t hpk[32], hsk[64], sig[64];
	audit_stmt st;
	json_t *p = json_object();

	member_key(pres, ppk, psk);
	member_key(signer, spk, ssk);
	member_key(g, gpk, gsk);
	member_key(h, hpk, hsk);
	audit_stmt_begin(&st, "proxy-redistribute");
	audit_stmt_str(&st, meeting);
	audit_stmt_field(&st, gpk, 32);
	audit_stmt_field(&st, hpk, 32);
	audit_stmt_u64(&st, ts);
	if (audit_stmt_sign(&st, ssk, sig) != 0)
		die("sign");
	hexset(p, "president", ppk, 32);
	hexset(p, "giver", gpk, 32);
	hexset(p, "holder", hpk, 32);
	json_object_set_new(p, "ts", json_integer((json_int_t)ts));
	hexset(p, "sig", sig, 64);
	insert_event(n - 2, "proxy.redistributed", p);
}

/* The redistribution modes, at the end of the record (after the last
 * result): the AG's statutes edited as APROGEMERE II's (the president
 * unlimited, keeping 3, A-IMI's cap), member 0 marked president in his
 * credential.issued; members 1…4 leave and give him their proxies (with
 * n−1's he holds 5: the last 2 in excess). Then member 4's is
 * redistributed to member 5 (present):
 *  - redist-clean: by the president: the record verifies;
 *  - redist-not-president: signed by member 5 himself, naming himself
 *    president: refused, not the president;
 *  - redist-sig: naming the president, signed by member 5's key;
 *  - redist-over-cap: members 6, 7, 8 leave and give member 5 their
 *    proxies first: he is at his cap of 3, the engine refuses it. */
static void
redist_mode(const char *mode)
{
	size_t ci = find("credential.issued", 0);
	uint8_t pk[32], sk[64], got[32];
	uint64_t t = 1718449200;	/* 11:00 UTC, after the last vote */

	member_key(0, pk, sk);
	hexget(pl(ci), "pk", got, 32);
	if (memcmp(pk, got, 32) != 0)
		die("member 0's credential is not the first issued");
	json_object_set_new(pl(ci), "president", json_true());
	profile_edit("ca_through_president: {cap: unlimited}",
	    "president: {cap: unlimited, redistribute_cap: 3}");
	for (size_t k = 1; k <= 4; k++) {
		insert_checkout(n - 2, k, t + 2 * k);
		insert_proxy(n - 2, k, 0, t + 2 * k + 1);
	}
	if (strcmp(mode, "redist-over-cap") == 0)
		for (size_t k = 6; k <= 8; k++) {
			insert_checkout(n - 2, k, t + 2 * k);
			insert_proxy(n - 2, k, 5, t + 2 * k + 1);
		}
	if (strcmp(mode, "redist-clean") == 0 ||
	    strcmp(mode, "redist-over-cap") == 0)
		append_redist(0, 0, 4, 5, t + 40);
	else if (strcmp(mode, "redist-not-president") == 0)
		append_redist(5, 5, 4, 5, t + 40);
	else if (strcmp(mode, "redist-sig") == 0)
		append_redist(0, 5, 4, 5, t + 40);
	else
		die("unknown mode");
}

/* Re-chains the first upto events (checkpoints re-signed when resign),
 * each line to out when not NULL; OUT head the chain's head after them
 * when not NULL. */
static void
rechain(FILE *out, int resign, size_t upto, uint8_t head[32])
{
	audit_chain c;

	audit_chain_init(&c);
	for (size_t i = 0; i < upto; i++) {
		char *line;
		size_t len;
		const char *t = json_string_value(json_object_get(ev[i], "time"));
		if (strcmp(kind(i), "checkpoint") == 0) {
			uint8_t sig[64];
			/* Without the key: the right seq and head, the old
			 * signature. */
			if (!resign)
				hexget(pl(i), "sig", sig, 64);
			else if (audit_checkpoint_sign(sig, server_sk, meeting,
			    c.next_seq - 1, c.head) != 0)
				die("sign");
			if (
			    audit_log_append_checkpoint(&c, t, sig, &line,
			    &len, NULL) != 0)
				die("checkpoint");
		} else if (audit_log_append(&c, t, kind(i), pl(i), &line, &len,
		    NULL) != 0)
			die("append");
		if (out != NULL)
			fprintf(out, "%s\n", line);
		free(line);
	}
	if (head != NULL)
		memcpy(head, c.head, 32);
}

static void
rechain_write(FILE *out, int resign)
{
	rechain(out, resign, n, NULL);
}

/* A draw by lot of the statutes (A-IMI art. 9; docs/record.md
 * draw.pool … draw.drawn): the pool of members 0…8 declared before the
 * roll is frozen, the draw closed after it with no scrutineer's
 * commitment, the seed from the head alone, and the engine's draw of
 * three (renewal_third: 1/3 of 9), partial Fisher–Yates with the
 * engine's st_uniform — the first two swapped when swap. */
static void
draw_insert(int swap)
{
	uint8_t pk[9][32], sk[64], head[32], sd[8];
	size_t r = find("roll.frozen", 0), idx[9];
	json_t *pool = json_array(), *drawn = json_array(), *p;
	uint64_t seed, st;

	for (size_t k = 0; k < 9; k++) {
		char hx[65];
		member_key(k, pk[k], sk);
		if (hex_encode(hx, sizeof hx, pk[k], 32) != 0)
			die("hex");
		json_array_append_new(pool, json_string(hx));
		idx[k] = k;
	}
	insert_event(r - 1, "draw.pool", json_pack("{s:s,s:s,s:o}", "id", "d1",
	    "draw", "renewal_third", "pool", pool));
	/* draw.pool at r, roll.frozen at r + 1, draw.closed at r + 2. */
	insert_event(r + 1, "draw.closed", json_pack("{s:[]}", "commits"));
	rechain(NULL, 1, r + 2, head);
	seed = audit_draw_seed(meeting, head, 0, NULL, NULL);
	for (int k = 0; k < 8; k++)
		sd[k] = (uint8_t)(seed >> (8 * k));
	p = json_pack("{s:[]}", "missing");
	hexset(p, "seed", sd, 8);
	insert_event(r + 2, "draw.seed", p);
	st = seed;
	for (size_t i = 0; i < 3; i++) {
		size_t j = i + (size_t)st_uniform(&st, 9 - i), t = idx[i];
		idx[i] = idx[j];
		idx[j] = t;
	}
	if (swap) {
		size_t t = idx[0];
		idx[0] = idx[1];
		idx[1] = t;
	}
	for (size_t k = 0; k < 3; k++) {
		char hx[65];
		if (hex_encode(hx, sizeof hx, pk[idx[k]], 32) != 0)
			die("hex");
		json_array_append_new(drawn, json_string(hx));
	}
	p = json_pack("{s:s,s:o}", "id", "d1", "drawn", drawn);
	hexset(p, "seed", sd, 8);
	insert_event(r + 3, "draw.drawn", p);
}

int
main(int argc, char **argv)
{
	const char *mode;
	FILE *in, *out;
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;
	int rechain = 1, resign = 1;

	if (argc != 5)
		die("usage: tamper MODE KEYSDIR IN OUT");
	if (group_init() != 0)
		die("libsodium");
	mode = argv[1];
	keys = argv[2];
	if ((in = fopen(argv[3], "r")) == NULL)
		die("cannot read IN");
	while ((got = getline(&line, &cap, in)) > 0) {
		json_error_t je;
		if (n == MAXL - 4)
			die("record too long for the tamper tool");
		line[got - 1] = '\0';
		raw[n] = strdup(line);
		if ((ev[n] = json_loads(line, JSON_PRESERVE_ORDER, &je)) == NULL)
			die("bad input line");
		n++;
	}
	free(line);
	fclose(in);
	load_seed_key("server.key", server_sk);
	snprintf(meeting, sizeof meeting, "%s", json_string_value(
	    json_object_get(pl(0), "meeting_id")));

	if (strcmp(mode, "clean") == 0) {
		/* re-serialised, re-chained and re-signed: must still pass */
	} else if (strncmp(mode, "audited-", 8) == 0) {
		audited_insert(mode);
	} else if (strcmp(mode, "ballot-byte") == 0) {
		size_t i = find_ballot("motion-1", 3), len;
		uint8_t *b = ballot_body(i, &len);
		b[len - 100] ^= 1;	/* inside π_0; signature not redone */
		ballot_store(i, b, len, NULL);
		free(b);
	} else if (strcmp(mode, "proof") == 0 ||
	    strcmp(mode, "overall-proof") == 0) {
		size_t i = find_ballot("motion-1", 4), len;
		uint8_t *b = ballot_body(i, &len), sk[64];
		ballot_parsed p;
		if (ballot_body_parse(&p, b, len) != 0 ||
		    member_sk(p.signer_pk, sk) != 0)
			die("ballot");
		if (strcmp(mode, "proof") == 0)
			b[(size_t)(p.choice[1] - b) + 64 + 5] ^= 1;	/* π_2 c_0 */
		else
			b[(size_t)(p.overall - b) + 40] ^= 1;		/* π_0 s_0 */
		ballot_store(i, b, len, sk);
		free(b);
	} else if (strcmp(mode, "hint-clean") == 0) {
		/* A wrong hint (docs/record.md §6): never trusted, the
		 * ballot is checked one by one and still verifies. */
		size_t i = find_ballot("motion-1", 3);
		char *h = strdup(json_string_value(json_object_get(pl(i),
		    "hints")));
		h[10] = h[10] == '0' ? '1' : '0';
		json_object_set_new(pl(i), "hints", json_string(h));
		free(h);
	} else if (strcmp(mode, "hint-length-clean") == 0) {
		size_t i = find_ballot("motion-1", 3);
		char *h = strdup(json_string_value(json_object_get(pl(i),
		    "hints")));
		h[strlen(h) - 2] = '\0';
		json_object_set_new(pl(i), "hints", json_string(h));
		free(h);
	} else if (strcmp(mode, "hint-forged") == 0 ||
	    strcmp(mode, "hint-cancel") == 0) {
		/* s_0 of π_1 moved by δ (4th ballot) and, for hint-cancel, by
		 * −δ (5th): the hints stay the honest commitments, so the
		 * challenges still match their bytes and only the equations
		 * are false — by δ·G, δ·Y and −δ·G, −δ·Y, which cancel in
		 * a batch sum without random weights. Re-signed. */
		uint8_t delta[32] = { 1 };
		for (size_t k = 0; k < (mode[5] == 'c' ? 2u : 1u); k++) {
			size_t i = find_ballot("motion-1", 4 + k), len;
			uint8_t *b = ballot_body(i, &len), sk[64], *s0;
			ballot_parsed p;
			if (ballot_body_parse(&p, b, len) != 0 ||
			    member_sk(p.signer_pk, sk) != 0)
				die("ballot");
			s0 = b + (p.choice[0] - b) + 64 + 32;
			if (k == 0)
				crypto_core_ristretto255_scalar_add(s0, s0,
				    delta);
			else
				crypto_core_ristretto255_scalar_sub(s0, s0,
				    delta);
			ballot_store(i, b, len, sk);
			free(b);
		}
	} else if (strcmp(mode, "key-share") == 0 ||
	    strcmp(mode, "key-share-pok") == 0) {
		size_t i = find("ceremony.key_share", 1);
		uint8_t yj[32], pok[64], cid[32], sig[64], sk[64];
		audit_stmt st;
		hexget(pl(i), "yj", yj, 32);
		hexget(pl(i), "pok", pok, 64);
		hexget(pl(find("ceremony.trustees", 0)), "ceremony_id", cid, 32);
		if (strcmp(mode, "key-share") == 0)
			hexget(pl(find("ceremony.key_share", 0)), "yj", yj, 32);
		else
			pok[3] ^= 1;
		hexset(pl(i), "yj", yj, 32);
		hexset(pl(i), "pok", pok, 64);
		load_seed_key("trustee2.key", sk);
		audit_stmt_begin(&st, "trustee-key-share");
		audit_stmt_field(&st, cid, 32);
		audit_stmt_u64(&st, 2);
		audit_stmt_field(&st, yj, 32);
		audit_stmt_field(&st, pok, 64);
		if (audit_stmt_sign(&st, sk, sig) != 0)
			die("sign");
		hexset(pl(i), "sig", sig, 64);
	} else if (strcmp(mode, "sum") == 0) {
		json_t *t = json_object_get(pl(find("question.closed", 0)),
		    "totals");
		json_t *a = json_deep_copy(json_array_get(t, 1));
		json_array_set_new(t, 0, a);
	} else if (strcmp(mode, "result") == 0) {
		json_t *c = json_object_get(pl(find("result", 0)), "counts");
		json_array_set_new(c, 0, json_integer(
		    json_integer_value(json_array_get(c, 0)) + 1));
		json_array_set_new(c, 1, json_integer(
		    json_integer_value(json_array_get(c, 1)) - 1));
	} else if (strcmp(mode, "outcome") == 0) {
		json_object_set_new(pl(find("result", 0)), "outcome",
		    json_string("rejected"));
	} else if (strcmp(mode, "sentence") == 0) {
		json_object_set_new(pl(find("result", 0)), "sentence",
		    json_string("Motion rejetée."));
	} else if (strcmp(mode, "decryption-share") == 0) {
		size_t i = find("decryption.share", 0);
		json_t *sh = json_array_get(json_object_get(pl(i), "shares"), 0);
		uint8_t d[32], sig[64], sk[64], eid[32];
		uint8_t cat[64 * 96];
		json_t *arr = json_object_get(pl(i), "shares");
		audit_stmt st;
		hexget(sh, "d", d, 32);
		group_mul_base(d, d);	/* another valid point */
		hexset(sh, "d", d, 32);
		for (size_t k = 0; k < json_array_size(arr); k++) {
			hexget(json_array_get(arr, k), "d", cat + 96 * k, 32);
			hexget(json_array_get(arr, k), "proof", cat + 96 * k + 32, 64);
		}
		hexget(pl(find("ceremony.done", 0)), "eid", eid, 32);
		load_seed_key("trustee1.key", sk);
		audit_stmt_begin(&st, "trustee-decryption");
		audit_stmt_field(&st, eid, 32);
		audit_stmt_str(&st, "motion-1");
		audit_stmt_u64(&st, 1);
		audit_stmt_field(&st, cat, 96 * json_array_size(arr));
		if (audit_stmt_sign(&st, sk, sig) != 0)
			die("sign");
		hexset(pl(i), "sig", sig, 64);
	} else if (strcmp(mode, "delete-ballot") == 0) {
		size_t i = find_ballot("motion-1", 5);
		json_decref(ev[i]);
		memmove(&ev[i], &ev[i + 1], (n - i - 1) * sizeof ev[0]);
		n--;
	} else if (strcmp(mode, "duplicate-ballot") == 0) {
		size_t i = find_ballot("motion-1", 6);
		memmove(&ev[i + 2], &ev[i + 1], (n - i - 1) * sizeof ev[0]);
		ev[i + 1] = json_deep_copy(ev[i]);
		n++;
	} else if (strcmp(mode, "second-ballot") == 0 ||
	    strcmp(mode, "unknown-credential") == 0 ||
	    strcmp(mode, "no-proxy") == 0 || strcmp(mode, "revoked") == 0) {
		size_t i = find_ballot("motion-1", 7), len;
		uint8_t *b = ballot_body(i, &len), sk[64], pk[32], seed[32];
		uint8_t voice[32];
		ballot_parsed p;
		if (ballot_body_parse(&p, b, len) != 0)
			die("ballot");
		if (strcmp(mode, "second-ballot") == 0) {
			if (member_sk(p.signer_pk, sk) != 0)
				die("member key");
			ballot_new("motion-1", p.voice_pk, p.signer_pk, sk, i);
		} else if (strcmp(mode, "unknown-credential") == 0) {
			randombytes_buf(seed, 32);
			crypto_sign_seed_keypair(pk, sk, seed);
			ballot_new("motion-1", pk, pk, sk, i);
		} else if (strcmp(mode, "no-proxy") == 0) {
			/* signer: a voter; voice: the absent member */
			char path[4096], hx[80];
			FILE *f;
			snprintf(path, sizeof path, "%s/nonvoter.pk", keys);
			if ((f = fopen(path, "r")) == NULL ||
			    fgets(hx, sizeof hx, f) == NULL ||
			    hex_decode(voice, 32, hx, 64) != 0)
				die("nonvoter.pk");
			fclose(f);
			if (member_sk(p.signer_pk, sk) != 0)
				die("member key");
			ballot_new("motion-1", voice, p.signer_pk, sk, i);
		} else {
			size_t r = find("credential.revoked", 0);
			hexget(pl(r), "pk", voice, 32);
			if (member_sk(voice, sk) != 0)
				die("member key");
			ballot_new("motion-1", voice, voice, sk, i);
		}
		free(b);
	} else if (strcmp(mode, "open-vote") == 0 ||
	    strcmp(mode, "open-vote-resigned") == 0 ||
	    strcmp(mode, "open-selection") == 0) {
		/* A show-of-hands vote changed from pour to contre (or to
		 * pour and contre): without the voter's key the signature
		 * fails; re-signed with it, the recount differs from the
		 * result (or the selection is outside [min, max]). */
		size_t i = find_ballot("motion-2", 5), len;
		uint8_t *b = ballot_body(i, &len), sk[64];
		if (b[len - 3] != 1 && strcmp(mode, "open-vote") != 0)
			die("open ballot 5 is not pour");
		b[len - 3] = strcmp(mode, "open-selection") == 0;
		b[len - 2] = 1;
		if (strcmp(mode, "open-vote") == 0)
			ballot_store(i, b, len, NULL);
		else {
			if (member_sk(b + open_voice_offset("motion-2"), sk) != 0)
				die("member key");
			ballot_store(i, b, len, sk);
		}
		free(b);
	} else if (strcmp(mode, "open-duplicate") == 0) {
		size_t i = find_ballot("motion-2", 6);
		memmove(&ev[i + 2], &ev[i + 1], (n - i - 1) * sizeof ev[0]);
		ev[i + 1] = json_deep_copy(ev[i]);
		n++;
	} else if (strcmp(mode, "open-second") == 0) {
		/* The same voter raises a hand again, for another choice. */
		size_t i = find_ballot("motion-2", 7), len;
		uint8_t *b = ballot_body(i, &len), sk[64];
		json_t *e = json_deep_copy(ev[i]);
		if (member_sk(b + open_voice_offset("motion-2"), sk) != 0)
			die("member key");
		b[len - 3] = b[len - 2] = b[len - 1] = 0;
		b[len - 1] = 1;
		memmove(&ev[i + 2], &ev[i + 1], (n - i - 1) * sizeof ev[0]);
		ev[i + 1] = e;
		n++;
		ballot_store(i + 1, b, len, sk);
		free(b);
	} else if (strcmp(mode, "open-totals") == 0) {
		json_object_set(pl(find_q("question.closed", "motion-2")),
		    "totals", json_object_get(pl(find("question.closed", 0)),
		    "totals"));
	} else if (strcmp(mode, "blank-count") == 0 ||
	    strcmp(mode, "open-result") == 0) {
		/* One more blank vote in the election's result, or one
		 * vote moved from pour to contre in the show of hands'. */
		json_t *c = json_object_get(pl(find_q("result",
		    strcmp(mode, "blank-count") == 0 ? "election-2" :
		    "motion-2")), "counts");
		size_t to = strcmp(mode, "blank-count") == 0 ? 3 : 1;
		if (to == 1)
			json_array_set_new(c, 0, json_integer(
			    json_integer_value(json_array_get(c, 0)) - 1));
		json_array_set_new(c, to, json_integer(
		    json_integer_value(json_array_get(c, to)) + 1));
	} else if (strcmp(mode, "checkin-sig") == 0) {
		/* A check-in the member never signed. */
		size_t i = find("checkin", 5);
		uint8_t sig[64];
		hexget(pl(i), "sig", sig, 64);
		sig[10] ^= 1;
		hexset(pl(i), "sig", sig, 64);
	} else if (strcmp(mode, "key-share-unsigned") == 0) {
		/* A wrong key share without the trustee's signature: the
		 * signature is checked first (a worker), the share after
		 * (the reader); the signature failure must be the one
		 * reported, whatever the timing. */
		size_t i = find("ceremony.key_share", 1);
		uint8_t yj[32];
		hexget(pl(find("ceremony.key_share", 0)), "yj", yj, 32);
		hexset(pl(i), "yj", yj, 32);
	} else if (strcmp(mode, "reissued-revote") == 0) {
		/* Member 9 votes, gets a new credential (the old one is
		 * revoked) and votes again with it on a question without
		 * re-voting: one member, one voice. */
		size_t i = find_ballot("motion-1", 9);
		uint8_t old[32], osk[64], pk[32], sk[64], seed[32];
		json_t *p = json_object();
		member_key(9, old, osk);
		randombytes_buf(seed, 32);
		crypto_sign_seed_keypair(pk, sk, seed);
		hexset(p, "old", old, 32);
		hexset(p, "new", pk, 32);
		insert_event(i, "credential.reissued", p);
		ballot_new("motion-1", pk, pk, sk, i + 1);
	} else if (strcmp(mode, "proxy-holder-absent") == 0) {
		/* The holder of member n−1's proxy leaves before the
		 * question opens: A-IMI voids a proxy held by an absent
		 * member, so the ballot cast under it must not count. */
		size_t qo = find("question.opened", 0);
		insert_checkout(qo - 1, 0, 1718445600);
	} else if (strcmp(mode, "proxy-cap") == 0) {
		/* Members 1, 2, 3 leave and give their proxies to member 0,
		 * who already holds n−1's: the fourth is over A-IMI's cap of
		 * three, and member 0 casts member 3's ballot under it. */
		size_t qo = find("question.opened", 0), i;
		uint8_t hpk[32], hsk[64], vpk[32], vsk[64];
		for (size_t k = 3; k >= 1; k--) {
			insert_proxy(qo - 1, k, 0, 1718445600 + 2 * k + 1);
			insert_checkout(qo - 1, k, 1718445600 + 2 * k);
		}
		i = find_ballot("motion-1", 3);
		json_decref(ev[i]);
		memmove(&ev[i], &ev[i + 1], (n - i - 1) * sizeof ev[0]);
		n--;
		member_key(0, hpk, hsk);
		member_key(3, vpk, vsk);
		ballot_new("motion-1", vpk, hpk, hsk, i - 1);
	} else if (strcmp(mode, "recused") == 0 ||
	    strcmp(mode, "recused-rule") == 0) {
		/* Member 2 is recused on motion-1 (docs/record.md §4), yet
		 * his ballot is there. "recused": the rule admits a recusal
		 * (the profile edited as ANIMT's is), the ballot is refused;
		 * "recused-rule": A-IMI's rule admits none. */
		size_t qo = find("question.opened", 0);
		uint8_t pk[32], sk[64];
		char h[65];
		if (strcmp(mode, "recused") == 0)
			profile_edit("recusal: false", "recusal: true");
		if (strcmp(json_string_value(json_object_get(pl(qo), "qid")),
		    "motion-1") != 0)
			die("motion-1 is not the first question");
		member_key(2, pk, sk);
		if (hex_encode(h, sizeof h, pk, 32) != 0)
			die("hex");
		json_object_set_new(pl(qo), "recused", json_pack("[s]", h));
	} else if (strcmp(mode, "proxy-late") == 0) {
		/* Member n−1's proxy is given only after the question has
		 * opened: the statutes engine never saw it. */
		size_t pi = find("proxy", 0), qo = find("question.opened", 0);
		json_t *e = ev[pi];
		memmove(&ev[pi], &ev[pi + 1], (qo - pi) * sizeof ev[0]);
		ev[qo] = e;	/* right after the opening */
	} else if (strcmp(mode, "proxy-withdrawn") == 0) {
		/* Member n−1 withdraws the proxy right after the question
		 * opened (it stood there), and the holder still casts n−1's
		 * ballot under it. */
		size_t pi = find("proxy", 0), qo = find("question.opened", 0);
		uint8_t g[32], h[32];
		hexget(pl(pi), "giver", g, 32);
		hexget(pl(pi), "holder", h, 32);
		insert_proxy_ev(qo, member_of(g), member_of(h), 1718445600 + 7,
		    1);
	} else if (strcmp(mode, "proxy-deadline") == 0) {
		/* The AG's statutes close proxies 30 minutes before a start
		 * the meeting event gives: the proxy, signed at 09:00:11 UTC,
		 * falls 9 min 49 s before a 09:10 start. */
		profile_edit("deadline_minutes_before: none",
		    "deadline_minutes_before: 30");
		json_object_set_new(pl(0), "time", json_string("09:10"));
		json_object_set_new(pl(0), "starts_at", json_integer(
		    1718442600));
	} else if (strcmp(mode, "proxy-start-clean") == 0) {
		/* The same statutes with a 09:45 start: the proxy, 44 min 49 s
		 * before it, stands and the record verifies. */
		profile_edit("deadline_minutes_before: none",
		    "deadline_minutes_before: 30");
		json_object_set_new(pl(0), "time", json_string("09:45"));
		json_object_set_new(pl(0), "starts_at", json_integer(
		    1718444700));
	} else if (strcmp(mode, "draw-clean") == 0 ||
	    strcmp(mode, "draw-drawn") == 0) {
		draw_insert(strcmp(mode, "draw-drawn") == 0);
	} else if (strcmp(mode, "paper-clean") == 0) {
		/* A paper proxy the desk entered, where A-IMI admits it. */
		proxy_to_paper(0);
	} else if (strcmp(mode, "paper-channel") == 0) {
		/* A paper proxy, duly signed by the server, where the statutes
		 * admit digital proxies only. */
		profile_edit("channels: [paper, digital]", "channels: [digital]");
		proxy_to_paper(0);
	} else if (strcmp(mode, "paper-sig") == 0) {
		/* A member's proxy relabelled paper: the server never signed
		 * it as the desk's. */
		proxy_to_paper(1);
	} else if (strncmp(mode, "amend-", 6) == 0) {
		/* On a record made with --reject-first: motion-1 becomes an
		 * amendment of motion-2 (A-IMI votes it before its motion,
		 * docs/record.md §4), rejected; "amend-clean": motion-2 then
		 * opens as it was and the record verifies. "amend-rejected":
		 * motion-2 says it is amended by it; "amend-early": motion-2
		 * opens before the amendment's result; "amend-agenda": the
		 * amendment is on the agenda. */
		size_t a = find_q("question.opened", "motion-1");
		size_t m = find_q("question.opened", "motion-2");
		json_object_set_new(pl(a), "amends", json_string("motion-2"));
		json_object_set_new(pl(a), "amendment", json_string(
		    "Ajouter « et du budget 2024 »"));
		json_object_set_new(pl(a), "on_agenda", json_boolean(
		    strcmp(mode, "amend-agenda") == 0));
		if (strcmp(mode, "amend-rejected") == 0) {
			json_object_set_new(pl(m), "amended_by",
			    json_pack("[s]", "motion-1"));
			json_object_set_new(pl(m), "on_agenda", json_false());
		} else if (strcmp(mode, "amend-early") == 0) {
			size_t r = find_q("result", "motion-1");
			json_t *e = ev[r];
			memmove(&ev[r], &ev[r + 1], (m - r) * sizeof ev[0]);
			ev[m] = e;	/* right after motion-2's opening */
		} else if (strcmp(mode, "amend-clean") != 0 &&
		    strcmp(mode, "amend-agenda") != 0)
			die("unknown mode");
	} else if (strcmp(mode, "log-payload") == 0) {
		/* Edit the stored bytes of the meeting title, nothing else. */
		char *s = strstr(raw[0], "ordinaire");
		if (s == NULL)
			die("title");
		s[0] = 'O';
		rechain = 0;
	} else if (strcmp(mode, "log-parent") == 0) {
		size_t i = find("checkin", 3);
		char *s = strstr(raw[i], "\"parent\":\"");
		s[12] = s[12] == 'a' ? 'b' : 'a';
		rechain = 0;
	} else if (strcmp(mode, "log-reorder") == 0) {
		size_t i = find_ballot("motion-1", 8);
		char *t = raw[i];
		raw[i] = raw[i + 1];
		raw[i + 1] = t;
		rechain = 0;
	} else if (strcmp(mode, "log-rewrite") == 0) {
		/* A rewrite by someone without the server key. */
		json_object_set_new(pl(0), "title", json_string("Autre titre"));
		resign = 0;
	} else if (strcmp(mode, "checkpoint-sig") == 0) {
		size_t i = find("checkpoint", 1);
		char *s = strstr(raw[i], "\"sig\":\"");
		s[9] = s[9] == 'a' ? 'b' : 'a';
		rechain = 0;
	} else if (strcmp(mode, "truncate") == 0) {
		n--;
	} else if (strncmp(mode, "redist-", 7) == 0) {
		redist_mode(mode);
	} else {
		die("unknown mode");
	}
	if ((out = fopen(argv[4], "w")) == NULL)
		die("cannot write OUT");
	if (rechain)
		rechain_write(out, resign);
	else
		for (size_t i = 0; i < n; i++)
			fprintf(out, "%s\n", raw[i]);
	if (fclose(out) != 0)
		die("write");
	return 0;
}

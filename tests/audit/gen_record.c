/*
 * gen_record.c — writes a complete, valid election record
 * (docs/record.md) for tests and the benchmark, with the real crypto
 * library: a 2-of-3 key ceremony, N voters checked in (one of them
 * represented by a proxy), a revoked and a reissued credential, a
 * pour/contre/abstention motion with one ballot per voice, an election
 * "up to 3 of 10" with re-votes (one of them by a member whose
 * credential is reissued while the election is open: the new key's
 * ballot replaces the old key's, one voice per member), a one-seat
 * election with a blank choice (the server's shape), a show-of-hands
 * motion (open ballots: signed plaintext selections, no ciphertexts,
 * no shares), decryption shares of every trustee for the secret
 * questions, results from the statutes engine, and signed checkpoints.
 *
 *   gen_record [--ballots N] [--seed S] [--threads T] [--no-election]
 *              [--revotes R] [--reject-first] [--profile FILE] [--keys DIR]
 *              [--no-hints] --out FILE
 *
 * Every secret ballot carries its verification hints (protocol.md §5.6,
 * the `hints` field of docs/record.md's `ballot`), as the server writes
 * them; --no-hints leaves them out (the record of a server before them).
 *
 * --reject-first: motion-1 gets about 20 % pour and is rejected (the
 * tamper suite makes it a rejected amendment of motion-2).
 *
 * --keys DIR writes server.key, trustee1.key … (hex Ed25519 seeds, mode
 * 0600, the format of docs/record.md §9), receipt.txt (a motion ballot's
 * receipt), voter.pk and nonvoter.pk. Test code only: it holds every
 * secret of the meeting at once, which no real party ever does.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "audit/log.h"
#include "audit/outcome.h"
#include "audit/stmt.h"
#include "crypto/scrutin_crypto.h"

#define NT 3
#define TT 2
#define MEETING "ag-2024-demo"
#define DATE "2024-06-15"

static FILE *out;
static audit_chain chain;
static time_t clock_s = 1718438400;	/* 2024-06-15T08:00:00Z */
static uint8_t server_sk[64], server_pk[32], server_seed[32];
static uint64_t rng_state;

static uint64_t
rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void
seed_of(uint8_t s[32], const char *what, uint64_t i)
{
	uint8_t in[64];
	int n = snprintf((char *)in, sizeof in, "%s/%llu/%llu", what,
	    (unsigned long long)i, (unsigned long long)rng_state);
	crypto_hash_sha256(s, in, (unsigned long long)n);
}

static json_t *
jhex(const void *p, size_t len)
{
	char *s = malloc(2 * len + 1);
	json_t *j;

	if (s == NULL || hex_encode(s, 2 * len + 1, p, len) != 0)
		abort();
	j = json_string(s);
	free(s);
	return j;
}

static void __attribute__((noreturn))
die(const char *m)
{
	fprintf(stderr, "gen_record: %s\n", m);
	exit(1);
}

static void
emit(const char *kind, json_t *payload)
{
	char t[AUDIT_TIME_LEN + 1], *line;
	size_t len;
	struct tm tm;

	if (payload == NULL)
		die("json_pack failed");
	gmtime_r(&clock_s, &tm);
	strftime(t, sizeof t, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (audit_log_append(&chain, t, kind, payload, &line, &len, NULL) != 0)
		die("append failed");
	fwrite(line, 1, len, out);
	fputc('\n', out);
	free(line);
	json_decref(payload);
}

/* The meeting event, with the minutes fields under --pv. */
static void
emit_meeting(json_t *p, bool pv)
{
	if (pv) {
		json_object_set_new(p, "association",
		    json_string("Association des Amis de l'Île & Co"));
		json_object_set_new(p, "place",
		    json_string("Salle des fêtes, 3 rue de la Mairie, Lyon"));
		json_object_set_new(p, "time", json_string("14:00"));
		json_object_set_new(p, "president", json_string("Pierre Thomas"));
		json_object_set_new(p, "secretary", json_string("Marie Curie"));
	}
	emit("meeting", p);
}

static void
checkpoint(void)
{
	char t[AUDIT_TIME_LEN + 1], *line;
	uint8_t sig[64];
	size_t len;
	struct tm tm;

	gmtime_r(&clock_s, &tm);
	strftime(t, sizeof t, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (audit_checkpoint_sign(sig, server_sk, MEETING, chain.next_seq - 1,
	    chain.head) != 0 ||
	    audit_log_append_checkpoint(&chain, t, sig, &line, &len, NULL) != 0)
		die("checkpoint failed");
	fwrite(line, 1, len, out);
	fputc('\n', out);
	free(line);
}

static void
sign_stmt(const audit_stmt *st, const uint8_t sk[64], uint8_t sig[64])
{
	if (audit_stmt_sign(st, sk, sig) != 0)
		die("sign failed");
}

static void
write_key(const char *dir, const char *name, const uint8_t *b, size_t n)
{
	char path[4096], hx[129];
	int fd;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (hex_encode(hx, sizeof hx, b, n) != 0)
		die("hex");
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, hx, 2 * n) != (ssize_t)(2 * n) ||
	    write(fd, "\n", 1) != 1 || close(fd) != 0)
		die("cannot write a key file");
}

/* --- members ---------------------------------------------------------- */

struct mem {
	uint8_t sk[64], pk[32];		/* current credential */
	uint8_t pk0[32];		/* first credential: the pseudonym */
	enum audit_presence presence;
};

static struct mem *mem;
static size_t nmem;		/* members of the roll: mem[0 … nmem−1] */
/* mem[nmem], when alias_of ≥ 0: the credential issued to member
 * alias_of during the election (credential.reissued). */
static int64_t alias_of = -1;
static bool alias_issued;	/* its credential.reissued is emitted */
static bool with_hints = true;	/* --no-hints: false */

static size_t
member_of(uint32_t i)
{
	return i == nmem && alias_of >= 0 ? (size_t)alias_of : i;
}
static int64_t proxy_giver = -1, proxy_holder = -1, proxy_ts = -1;

/* --- ballots, built on several threads ---------------------------------- */

struct bjob {
	const ballot_question *q;
	const uint8_t *eid, *y;
	size_t count;
	const uint32_t *voice, *signer;
	const uint8_t *sel;		/* count · n */
	uint8_t **body;
	size_t *len;
	uint8_t (*sig)[64];
	uint8_t **hints;		/* NULL: none */
	unsigned stride, first;
};

static void *
build_worker(void *arg)
{
	struct bjob *b = arg;
	const ballot_question *q = b->q;
	size_t cap = ballot_body_size(q);

	for (size_t k = b->first; k < b->count; k += b->stride) {
		const struct mem *v = &mem[b->voice[k]], *s = &mem[b->signer[k]];
		uint8_t *h = NULL;

		b->body[k] = malloc(cap);
		if (b->hints != NULL &&
		    (h = b->hints[k] = malloc(ballot_hints_size(q))) == NULL)
			die("oom");
		if (b->body[k] == NULL ||
		    ballot_build_hints(b->body[k], cap, &b->len[k], h, q, b->eid,
		    b->y, v->pk, s->pk, b->sel + k * q->n) != 0 ||
		    crypto_sign_detached(b->sig[k], NULL, b->body[k], b->len[k],
		    s->sk) != 0)
			die("ballot build failed");
	}
	return NULL;
}

static void
build_ballots(struct bjob *b, unsigned threads)
{
	pthread_t th[16];
	struct bjob jobs[16];

	for (unsigned i = 0; i < threads; i++) {
		jobs[i] = *b;
		jobs[i].stride = threads;
		jobs[i].first = i;
		if (pthread_create(&th[i], NULL, build_worker, &jobs[i]) != 0)
			die("pthread_create");
	}
	for (unsigned i = 0; i < threads; i++)
		pthread_join(th[i], NULL);
}

/* --- the ceremony -------------------------------------------------------- */

static uint8_t id_sk[NT][64], id_pk[NT][32], bx_sk[NT][32], bx_pk[NT][32];
static dkg_trustee *tr[NT];
static uint8_t yj[NT][32], Y[32], EID[32], CID[32];

static void
ceremony(void)
{
	uint8_t C[NT][TT][32], pok[NT][64], h[NT][32];
	uint8_t rows[NT * TT][32];
	json_t *arr = json_array();
	audit_stmt st;
	uint8_t sig[64];

	for (int i = 0; i < NT; i++) {
		uint8_t s[32];
		seed_of(s, "trustee-id", (uint64_t)i);
		crypto_sign_seed_keypair(id_pk[i], id_sk[i], s);
		seed_of(s, "trustee-box", (uint64_t)i);
		crypto_box_seed_keypair(bx_pk[i], bx_sk[i], s);
		json_array_append_new(arr, json_pack("{s:i,s:o,s:o}", "index",
		    i + 1, "id_pk", jhex(id_pk[i], 32), "box_pk",
		    jhex(bx_pk[i], 32)));
	}
	if (dkg_ceremony_id(CID, (const uint8_t *)MEETING, strlen(MEETING), NT,
	    TT, (const uint8_t (*)[32])id_pk, (const uint8_t (*)[32])bx_pk))
		die("ceremony id");
	emit("ceremony.trustees", json_pack("{s:i,s:i,s:o,s:o}", "n", NT, "t",
	    TT, "trustees", arr, "ceremony_id", jhex(CID, 32)));
	for (uint32_t i = 0; i < NT; i++) {
		if (dkg_trustee_new(&tr[i], CID, NT, TT, i + 1) != 0 ||
		    dkg_trustee_commit(tr[i], C[i], pok[i], h[i], NULL) != 0)
			die("dkg commit");
		audit_stmt_begin(&st, "trustee-commit");
		audit_stmt_field(&st, CID, 32);
		audit_stmt_u64(&st, i + 1);
		audit_stmt_field(&st, h[i], 32);
		sign_stmt(&st, id_sk[i], sig);
		emit("ceremony.commit", json_pack("{s:i,s:o,s:o}", "trustee",
		    i + 1, "hash", jhex(h[i], 32), "sig", jhex(sig, 64)));
	}
	for (uint32_t i = 0; i < NT; i++) {
		json_t *c = json_array();
		for (int k = 0; k < TT; k++)
			json_array_append_new(c, jhex(C[i][k], 32));
		audit_stmt_begin(&st, "trustee-reveal");
		audit_stmt_field(&st, CID, 32);
		audit_stmt_u64(&st, i + 1);
		audit_stmt_field(&st, C[i], sizeof C[i]);
		audit_stmt_field(&st, pok[i], 64);
		sign_stmt(&st, id_sk[i], sig);
		emit("ceremony.reveal", json_pack("{s:i,s:o,s:o,s:o}", "trustee",
		    i + 1, "commitments", c, "pok", jhex(pok[i], 64), "sig",
		    jhex(sig, 64)));
	}
	for (uint32_t i = 0; i < NT; i++) {
		json_t *boxes = json_array();
		for (uint32_t j = 0; j < NT; j++) {
			uint8_t box[DKG_BOX_BYTES];
			if (dkg_trustee_box_share(tr[i], j + 1, box, bx_sk[i],
			    bx_pk[j], NULL) != 0 ||
			    dkg_trustee_receive(tr[j], i + 1, box, bx_pk[i],
			    bx_sk[j], (const uint8_t (*)[32])C[i]) != 0)
				die("dkg share");
			json_array_append_new(boxes, json_pack("{s:i,s:o}", "to",
			    j + 1, "box", jhex(box, sizeof box)));
		}
		emit("ceremony.shares", json_pack("{s:i,s:o}", "trustee", i + 1,
		    "boxes", boxes));
	}
	for (uint32_t j = 0; j < NT; j++) {
		uint8_t kp[64];
		if (dkg_trustee_finish(tr[j], yj[j], kp, NULL) != 0)
			die("dkg finish");
		audit_stmt_begin(&st, "trustee-key-share");
		audit_stmt_field(&st, CID, 32);
		audit_stmt_u64(&st, j + 1);
		audit_stmt_field(&st, yj[j], 32);
		audit_stmt_field(&st, kp, 64);
		sign_stmt(&st, id_sk[j], sig);
		emit("ceremony.key_share", json_pack("{s:i,s:o,s:o,s:o}",
		    "trustee", j + 1, "yj", jhex(yj[j], 32), "pok", jhex(kp, 64),
		    "sig", jhex(sig, 64)));
	}
	memcpy(rows, C, sizeof rows);
	if (dkg_public_key(Y, (const uint8_t (*)[32])rows, NT, TT) != 0)
		die("public key");
	{
		transcript t;
		transcript_init(&t, TRANSCRIPT_H256, "election");
		transcript_field(&t, CID, 32);
		transcript_field(&t, Y, 32);
		transcript_field(&t, MEETING, strlen(MEETING));
		transcript_final(&t, EID);
	}
	emit("ceremony.done", json_pack("{s:o,s:o}", "y", jhex(Y, 32), "eid",
	    jhex(EID, 32)));
}

/* --- one question from opening to result ---------------------------------- */

static audit_statutes *statutes;

struct qspec {
	const char *qid, *label, *rule;
	bool election, revote;
	bool open;			/* show of hands: signed selections */
	bool blank;			/* election: the last choice is blank */
	uint32_t n, min, max, seats;
	const char *const *ids, *const *labels;
	const uint32_t *cand;		/* election: member indices */
};

/* An open ballot: the statement T("open-ballot", meeting_id, qid,
 * K_voice, K_signer, LE64 n, S) signed by the signer. */
static void
open_ballot_build(const struct qspec *qs, uint32_t voice, uint32_t signer,
    const uint8_t *sel, uint8_t **body, size_t *len, uint8_t sig[64])
{
	audit_stmt st;

	audit_stmt_begin(&st, "open-ballot");
	audit_stmt_str(&st, MEETING);
	audit_stmt_str(&st, qs->qid);
	audit_stmt_field(&st, mem[voice].pk, 32);
	audit_stmt_field(&st, mem[signer].pk, 32);
	audit_stmt_u64(&st, qs->n);
	audit_stmt_field(&st, sel, qs->n);
	*len = audit_stmt_len(&st);
	if (*len == 0 || (*body = malloc(*len)) == NULL)
		die("open ballot");
	memcpy(*body, st.buf, *len);
	sign_stmt(&st, mem[signer].sk, sig);
}

static void
run_question(const struct qspec *qs, size_t count, const uint32_t *voice,
    const uint32_t *signer, const uint8_t *sel, unsigned threads,
    const char *keys_dir)
{
	ballot_question q;
	json_t *choices = json_array(), *totals = json_array();
	struct bjob b;
	uint8_t (*tot)[64];
	uint64_t counts[64] = { 0 }, counted = 0;
	uint8_t *last;
	struct audit_member *snap;
	struct audit_proxy px[1] = { 0 };
	size_t npx = 0;
	char code[40], err[512], *fr, *en;
	audit_stmt st;
	uint8_t sig[64];

	if (ballot_question_init(&q, qs->qid, strlen(qs->qid), qs->n, qs->min,
	    qs->max) != 0)
		die("question");
	for (uint32_t i = 0; i < qs->n; i++) {
		json_t *c = json_pack("{s:s,s:s}", "id", qs->ids[i], "label",
		    qs->labels[i]);
		if (qs->election && qs->blank && i + 1 == qs->n)
			json_object_set_new(c, "blank", json_true());
		else if (qs->election) {
			json_object_set_new(c, "member",
			    jhex(mem[qs->cand[i]].pk0, 32));
			json_object_set_new(c, "declared",
			    json_string("2024-05-01"));
		}
		json_array_append_new(choices, c);
	}
	{
		json_t *p = json_pack("{s:s,s:s,s:s,s:o,s:i,s:i,s:s,s:b,s:b}",
		    "qid", qs->qid, "kind", qs->election ? "election" : "motion",
		    "label", qs->label, "choices", choices, "min", qs->min,
		    "max", qs->max, "rule", qs->rule, "secret", !qs->open,
		    "revote", qs->revote);
		if (qs->election)
			json_object_set_new(p, "seats", json_integer(qs->seats));
		else
			json_object_set_new(p, "on_agenda", json_true());
		emit("question.opened", p);
	}
	/* Facts at opening, as the verifier sees them. */
	snap = calloc(nmem, sizeof *snap);
	for (size_t i = 0; i < nmem; i++) {
		static const char hx[] = "0123456789abcdef";
		for (int k = 0; k < 8; k++) {
			snap[i].id[2 * k] = hx[mem[i].pk0[k] >> 4];
			snap[i].id[2 * k + 1] = hx[mem[i].pk0[k] & 15];
		}
		snap[i].category = "adherent";
		snap[i].dues_paid = 1;
		snap[i].presence = mem[i].presence;
	}
	if (proxy_giver >= 0) {
		px[0].giver = (uint32_t)proxy_giver;
		px[0].holder = (uint32_t)proxy_holder;
		px[0].ts = proxy_ts;
		npx = 1;
	}

	memset(&b, 0, sizeof b);
	b.q = &q;
	b.eid = EID;
	b.y = Y;
	b.count = count;
	b.voice = voice;
	b.signer = signer;
	b.sel = sel;
	b.body = calloc(count, sizeof *b.body);
	b.len = calloc(count, sizeof *b.len);
	b.sig = calloc(count, sizeof *b.sig);
	b.hints = with_hints && !qs->open ? calloc(count, sizeof *b.hints) :
	    NULL;
	if (!b.body || !b.len || !b.sig || (with_hints && !qs->open && !b.hints))
		die("oom");
	if (qs->open)
		for (size_t k = 0; k < count; k++)
			open_ballot_build(qs, voice[k], signer[k],
			    sel + k * qs->n, &b.body[k], &b.len[k], b.sig[k]);
	else
		build_ballots(&b, threads);

	/* The counted ballot of each voice: its last one. */
	last = calloc(count, 1);
	for (size_t k = 0; k < count; k++) {
		last[k] = 1;
		for (size_t l = k + 1; l < count && l < k + 64; l++)
			if (member_of(voice[l]) == member_of(voice[k]))
				last[k] = 0;
	}
	tot = calloc(q.e ? q.e : 1, 64);
	for (size_t k = 0; k < count; k++) {
		uint8_t rc[32];
		ballot_parsed p;
		json_t *p0;
		if (voice[k] == nmem && alias_of >= 0 && !alias_issued) {
			alias_issued = true;
			emit("credential.reissued", json_pack("{s:o,s:o}", "old",
			    jhex(mem[alias_of].pk, 32), "new",
			    jhex(mem[nmem].pk, 32)));
		}
		ballot_receipt(rc, b.body[k], b.len[k], b.sig[k]);
		p0 = json_pack("{s:s,s:o,s:o,s:o}", "qid", qs->qid,
		    "body", jhex(b.body[k], b.len[k]), "sig", jhex(b.sig[k], 64),
		    "receipt", jhex(rc, 32));
		if (p0 != NULL && b.hints != NULL)
			json_object_set_new(p0, "hints", jhex(b.hints[k],
			    ballot_hints_size(&q)));
		emit("ballot", p0);
		if (k == 0 && keys_dir != NULL && !qs->election &&
		    !qs->open) {
			char path[4096], hx[65];
			FILE *f;
			snprintf(path, sizeof path, "%s/receipt.txt", keys_dir);
			if (hex_encode(hx, sizeof hx, rc, 32) != 0 ||
			    (f = fopen(path, "w")) == NULL)
				die("receipt file");
			fprintf(f, "%s\n", hx);
			fclose(f);
		}
		if (k % 16 == 0)
			clock_s++;
		if (!last[k])
			continue;
		counted++;
		for (uint32_t i = 0; i < qs->n; i++)
			counts[i] += sel[k * qs->n + i];
		if (qs->open)
			continue;
		if (ballot_body_parse(&p, b.body[k], b.len[k]) != 0)
			die("parse");
		for (uint32_t i = 1; i <= q.e; i++) {
			uint8_t ct[64];
			ballot_parsed_ciphertext(ct, &p, i);
			if (tally_total_add(tot[i - 1], ct) != 0)
				die("sum");
		}
	}
	for (uint32_t i = 0; i < q.e; i++)
		json_array_append_new(totals, jhex(tot[i], 64));
	checkpoint();
	clock_s += 60;
	if (qs->open) {
		/* No ciphertexts: no totals, no decryption shares. */
		json_decref(totals);
		emit("question.closed", json_pack("{s:s,s:I}", "qid", qs->qid,
		    "counted", (json_int_t)counted));
	} else
		emit("question.closed", json_pack("{s:s,s:I,s:o}", "qid",
		    qs->qid, "counted", (json_int_t)counted, "totals", totals));
	if (counted > 0 && !qs->open) {
		for (uint32_t j = 1; j <= NT; j++) {
			json_t *shares = json_array();
			uint8_t *cat = calloc(q.e, 96);
			for (uint32_t i = 1; i <= q.e; i++) {
				uint8_t d[32], pr[64];
				if (tally_share_create(d, pr,
				    dkg_trustee_key_share(tr[j - 1]), yj[j - 1],
				    EID, qs->qid, strlen(qs->qid), i, j,
				    tot[i - 1]) != 0)
					die("share");
				memcpy(cat + 96 * (i - 1), d, 32);
				memcpy(cat + 96 * (i - 1) + 32, pr, 64);
				json_array_append_new(shares, json_pack("{s:o,s:o}",
				    "d", jhex(d, 32), "proof", jhex(pr, 64)));
			}
			audit_stmt_begin(&st, "trustee-decryption");
			audit_stmt_field(&st, EID, 32);
			audit_stmt_str(&st, qs->qid);
			audit_stmt_u64(&st, j);
			audit_stmt_field(&st, cat, (size_t)q.e * 96);
			sign_stmt(&st, id_sk[j - 1], sig);
			free(cat);
			emit("decryption.share", json_pack("{s:s,s:i,s:o,s:o}",
			    "qid", qs->qid, "trustee", j, "shares", shares,
			    "sig", jhex(sig, 64)));
		}
	}
	{
		struct audit_question_facts f = {
			.qid = qs->qid, .label = qs->label,
			.election = qs->election, .rule = qs->rule,
			.on_agenda = true, .seats = qs->seats, .n = qs->n,
			.counts = counts, .cand_member = qs->cand,
			.ballots = counted, .blank_last = qs->blank,
		};
		const char *decl[64];
		json_t *c = json_array();
		for (uint32_t i = 0; i < qs->n; i++) {
			decl[i] = "2024-05-01";
			json_array_append_new(c, json_integer((json_int_t)counts[i]));
		}
		f.cand_declared = qs->election ? decl : NULL;
		f.cand_label = qs->election ? qs->labels : NULL;
		if (audit_outcome_compute(statutes, DATE, snap, nmem, px, npx, &f,
		    code, &fr, &en, err, sizeof err) != 0) {
			fprintf(stderr, "gen_record: statutes engine: %s\n", err);
			exit(1);
		}
		emit("result", json_pack("{s:s,s:o,s:s,s:s}", "qid", qs->qid,
		    "counts", c, "outcome", code, "sentence", fr));
		free(fr);
		free(en);
	}
	checkpoint();
	for (size_t k = 0; k < count; k++) {
		free(b.body[k]);
		if (b.hints != NULL)
			free(b.hints[k]);
	}
	free(b.hints);
	free(b.body);
	free(b.len);
	free(b.sig);
	free(tot);
	free(last);
	free(snap);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = malloc(1u << 21);

	if (f == NULL || buf == NULL)
		die("cannot read the profile");
	*len = fread(buf, 1, (1u << 21) - 1, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

int
main(int argc, char **argv)
{
	size_t n = 50, revotes = 3, plen;
	unsigned threads = 2;
	bool election = true, pv = false, reject_first = false;
	const char *outpath = NULL, *keys = NULL;
	const char *profile = "ballot-formats/profiles/a-imi.yaml";
	char *ptext, err[512];
	uint8_t ph[32];

	rng_state = 1;
	for (int i = 1; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(argv[i], "--ballots") == 0 && v)
			n = strtoul(v, NULL, 10), i++;
		else if (strcmp(argv[i], "--seed") == 0 && v)
			rng_state = strtoull(v, NULL, 10), i++;
		else if (strcmp(argv[i], "--threads") == 0 && v)
			threads = (unsigned)strtoul(v, NULL, 10), i++;
		else if (strcmp(argv[i], "--revotes") == 0 && v)
			revotes = strtoul(v, NULL, 10), i++;
		else if (strcmp(argv[i], "--profile") == 0 && v)
			profile = v, i++;
		else if (strcmp(argv[i], "--keys") == 0 && v)
			keys = v, i++;
		else if (strcmp(argv[i], "--out") == 0 && v)
			outpath = v, i++;
		else if (strcmp(argv[i], "--no-hints") == 0)
			with_hints = false;
		else if (strcmp(argv[i], "--no-election") == 0)
			election = false;
		else if (strcmp(argv[i], "--pv") == 0)
			pv = true;
		else if (strcmp(argv[i], "--reject-first") == 0)
			reject_first = true;
		else
			die("usage: gen_record [--ballots N] [--seed S] [--threads T] "
			    "[--revotes R] [--no-election] [--no-hints] [--pv] [--reject-first] [--profile F] "
			    "[--keys DIR] --out FILE");
	}
	if (outpath == NULL || n < 12 || threads < 1 || threads > 16 ||
	    revotes > 10)
		die("need --out, --ballots ≥ 12, 1 ≤ threads ≤ 16, revotes ≤ 10");
	if (group_init() != 0)
		die("libsodium");
	if ((out = fopen(outpath, "w")) == NULL)
		die("cannot write the record");
	audit_chain_init(&chain);
	seed_of(server_seed, "server", 0);
	crypto_sign_seed_keypair(server_pk, server_sk, server_seed);

	ptext = slurp(profile, &plen);
	crypto_hash_sha256(ph, (const uint8_t *)ptext, plen);
	if (audit_statutes_load(&statutes, ptext, plen, "a-imi", "ag", err,
	    sizeof err) != 0) {
		fprintf(stderr, "gen_record: %s\n", err);
		return 1;
	}
	emit_meeting(json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:{s:s,s:o,s:s}}",
	    "format", "scrutin-record/1", "meeting_id", MEETING, "title",
	    "Assemblée générale ordinaire 2024", "date", DATE, "body", "ag",
	    "server_pk", jhex(server_pk, 32), "profile", "id", "a-imi",
	    "sha256", jhex(ph, 32), "text", ptext), pv);
	free(ptext);

	/* Members 0 … n−1 vote (n−1 by proxy, held by 0); n has a reissued
	 * credential, n+1 a revoked one, n+2 stays away. Without the
	 * election (the benchmark), no extra member: the statutes engine
	 * takes at most 100,000 members (CT_MAX_MEMBERS). */
	nmem = election ? n + 3 : n;
	mem = calloc(nmem + 1, sizeof *mem);
	for (size_t i = 0; i < nmem; i++) {
		uint8_t s[32];
		seed_of(s, "member", i);
		crypto_sign_seed_keypair(mem[i].pk, mem[i].sk, s);
		memcpy(mem[i].pk0, mem[i].pk, 32);
		emit("credential.issued", json_pack("{s:o,s:s,s:b}", "pk",
		    jhex(mem[i].pk, 32), "category", "adherent", "dues_paid", 1));
	}
	emit("roll.frozen", json_pack("{s:I}", "count", (json_int_t)nmem));
	if (pv)		/* 2024-06-15 14:05 UTC */
		emit("meeting.started", json_pack("{s:I,s:s}", "ts",
		    (json_int_t)1718460300, "time", "14:05"));
	if (election) {
		uint8_t s[32], old[32];
		memcpy(old, mem[n].pk, 32);
		seed_of(s, "member-reissued", n);
		crypto_sign_seed_keypair(mem[n].pk, mem[n].sk, s);
		emit("credential.reissued", json_pack("{s:o,s:o}", "old",
		    jhex(old, 32), "new", jhex(mem[n].pk, 32)));
		emit("credential.revoked", json_pack("{s:o}", "pk",
		    jhex(mem[n + 1].pk, 32)));
	}
	ceremony();
	checkpoint();
	clock_s += 3600;
	for (size_t i = 0; i < n - 1; i++) {
		audit_stmt st;
		uint8_t sig[64];
		uint64_t ts = (uint64_t)clock_s;
		audit_stmt_begin(&st, "checkin");
		audit_stmt_str(&st, MEETING);
		audit_stmt_field(&st, mem[i].pk, 32);
		audit_stmt_str(&st, "present");
		audit_stmt_u64(&st, ts);
		sign_stmt(&st, mem[i].sk, sig);
		emit("checkin", json_pack("{s:o,s:s,s:I,s:o}", "pk",
		    jhex(mem[i].pk, 32), "mode", "present", "ts", (json_int_t)ts,
		    "sig", jhex(sig, 64)));
		mem[i].presence = AUDIT_PRESENT;
		if (i % 64 == 0)
			clock_s++;
	}
	{
		/* Member n+2 comes and leaves; n−1 gives a proxy to 0. */
		audit_stmt st;
		uint8_t sig[64];
		uint64_t ts = (uint64_t)clock_s;
		size_t a = n + 2;
		if (!election)
			goto proxy;
		audit_stmt_begin(&st, "checkin");
		audit_stmt_str(&st, MEETING);
		audit_stmt_field(&st, mem[a].pk, 32);
		audit_stmt_str(&st, "remote");
		audit_stmt_u64(&st, ts);
		sign_stmt(&st, mem[a].sk, sig);
		emit("checkin", json_pack("{s:o,s:s,s:I,s:o}", "pk",
		    jhex(mem[a].pk, 32), "mode", "remote", "ts", (json_int_t)ts,
		    "sig", jhex(sig, 64)));
		audit_stmt_begin(&st, "checkout");
		audit_stmt_str(&st, MEETING);
		audit_stmt_field(&st, mem[a].pk, 32);
		audit_stmt_u64(&st, ts + 5);
		sign_stmt(&st, mem[a].sk, sig);
		emit("checkout", json_pack("{s:o,s:I,s:o}", "pk",
		    jhex(mem[a].pk, 32), "ts", (json_int_t)(ts + 5), "sig",
		    jhex(sig, 64)));
	proxy:
		proxy_giver = (int64_t)(n - 1);
		proxy_holder = 0;
		proxy_ts = (int64_t)(ts + 10);
		audit_stmt_begin(&st, "proxy");
		audit_stmt_str(&st, MEETING);
		audit_stmt_field(&st, mem[n - 1].pk, 32);
		audit_stmt_field(&st, mem[0].pk, 32);
		audit_stmt_u64(&st, ts + 10);
		sign_stmt(&st, mem[n - 1].sk, sig);
		emit("proxy", json_pack("{s:o,s:o,s:I,s:o}", "giver",
		    jhex(mem[n - 1].pk, 32), "holder", jhex(mem[0].pk, 32), "ts",
		    (json_int_t)(ts + 10), "sig", jhex(sig, 64)));
	}
	checkpoint();

	{
		static const char *const ids[3] = { "pour", "contre", "abstention" };
		static const char *const labels[3] = { "Pour", "Contre",
			"Abstention" };
		struct qspec qs = { "motion-1",
			"Approbation des comptes de l'exercice 2023", "ordinary",
			false, false, false, false, 3, 1, 1, 0, ids, labels,
			NULL };
		uint32_t *voice = calloc(n, 4), *signer = calloc(n, 4);
		uint8_t *sel = calloc(n, 3);
		for (size_t k = 0; k < n; k++) {
			uint64_t r = rnd() % 100;
			voice[k] = (uint32_t)k;
			signer[k] = k == n - 1 ? 0 : (uint32_t)k;
			sel[k * 3 + (r < (reject_first ? 20 : 45) ? 0 : r < 80 ?
			    1 : 2)] = 1;
		}
		run_question(&qs, n, voice, signer, sel, threads, keys);
		free(voice);
		free(signer);
		free(sel);
	}
	if (election) {
		static const char *const ids[10] = { "c01", "c02", "c03", "c04",
			"c05", "c06", "c07", "c08", "c09", "c10" };
		static const char *const labels[10] = { "Candidat 1",
			"Candidat 2", "Candidat 3", "Candidat 4", "Candidat 5",
			"Candidat 6", "Candidat 7", "Candidat 8", "Candidat 9",
			"Candidat 10" };
		uint32_t cand[10];
		size_t v = n < 40 ? n : 40, count = v + revotes;
		/* Member 11 votes, gets a new credential and votes again. */
		if (11 < n - 1) {
			uint8_t s[32];
			alias_of = 11;
			seed_of(s, "member-reissued", 11);
			crypto_sign_seed_keypair(mem[nmem].pk, mem[nmem].sk, s);
			memcpy(mem[nmem].pk0, mem[11].pk0, 32);
			count++;
		}
		uint32_t *voice = calloc(count, 4), *signer = calloc(count, 4);
		uint8_t *sel = calloc(count, 10);
		for (int i = 0; i < 10; i++)
			cand[i] = (uint32_t)(i + 1);
		for (size_t k = 0; k < count; k++) {
			/* Ballots 0 … revotes−1 are replaced at the end. */
			size_t who = k < v ? (k == v - 1 ? n - 1 : k) : k - v;
			uint64_t picks = rnd() % 4;
			if (alias_of >= 0 && k == count - 1)
				who = nmem;	/* the new credential, last */
			voice[k] = (uint32_t)who;
			signer[k] = who == n - 1 ? 0 : (uint32_t)who;
			for (uint64_t p = 0; p < picks; p++)
				sel[k * 10 + rnd() % 10] = 1;
		}
		struct qspec qs = { "election-1",
			"Élection au conseil d'administration", "ca", true, true,
			false, false, 10, 0, 3, 3, ids, labels, cand };
		run_question(&qs, count, voice, signer, sel, threads, keys);
		free(voice);
		free(signer);
		free(sel);
	}
	if (election) {
		/* A single-seat election with a blank choice (the server's
		 * shape: candidates then "blanc", min = max = 1), then a
		 * show-of-hands motion; every member votes once on each,
		 * member 11 with its reissued credential, n−1 by proxy. */
		static const char *const eids[4] = { "c1", "c2", "c3",
			"blanc" };
		static const char *const elabels[4] = { "Candidate A",
			"Candidat B", "Candidat C", "Vote blanc" };
		static const char *const mids[3] = { "pour", "contre",
			"abstention" };
		static const char *const mlabels[3] = { "Pour", "Contre",
			"Abstention" };
		static const uint32_t ecand[4] = { 1, 2, 3, 0 };
		struct qspec es = { "election-2",
			"Élection du trésorier", "ca", true, false, false,
			true, 4, 1, 1, 1, eids, elabels, ecand };
		struct qspec ms = { "motion-2",
			"Motion à main levée : date de la prochaine assemblée",
			"ordinary", false, false, true, false, 3, 1, 1, 0, mids,
			mlabels, NULL };
		uint32_t *voice = calloc(n, 4), *signer = calloc(n, 4);
		uint8_t *esel = calloc(n, 4), *msel = calloc(n, 3);
		for (size_t k = 0; k < n; k++) {
			voice[k] = k == 11 && alias_of >= 0 ? (uint32_t)nmem :
			    (uint32_t)k;
			signer[k] = k == n - 1 ? 0 : voice[k];
			/* Some blank votes: about one in four. */
			esel[k * 4 + (k % 7 < 3 ? 0 : k % 7 < 5 ? 1 :
			    k % 7 == 5 ? 2 : 3)] = 1;
			msel[k * 3 + (k % 5 < 3 ? 0 : k % 5 == 3 ? 1 : 2)] = 1;
		}
		run_question(&es, n, voice, signer, esel, threads, keys);
		run_question(&ms, n, voice, signer, msel, threads, keys);
		free(voice);
		free(signer);
		free(esel);
		free(msel);
	}
	if (pv) {
		/* The agenda: the four questions and one never put to the
		 * vote, in the order of the meeting. */
		emit("meeting.ended", json_pack("{s:I,s:s,s:[{s:s,s:s},{s:s,s:s},"
		    "{s:s,s:s},{s:s,s:s},{s:s,s:s}]}", "ts",
		    (json_int_t)1718470800, "time", "17:00", "agenda",
		    "qid", "motion-1", "label",
		    "Approbation des comptes de l'exercice 2023",
		    "qid", "election-1", "label",
		    "Élection au conseil d'administration",
		    "qid", "divers", "label", "Modification du règlement intérieur",
		    "qid", "election-2", "label", "Élection du trésorier",
		    "qid", "motion-2", "label",
		    "Motion à main levée : date de la prochaine assemblée"));
		checkpoint();
	}
	if (fclose(out) != 0)
		die("write error");
	if (keys != NULL && election) {
		char hx[65], path[4096];
		FILE *f;
		write_key(keys, "server.key", server_seed, 32);
		for (int i = 0; i < NT; i++) {
			char name[32];
			uint8_t s[32];
			snprintf(name, sizeof name, "trustee%d.key", i + 1);
			crypto_sign_ed25519_sk_to_seed(s, id_sk[i]);
			write_key(keys, name, s, 32);
		}
		/* Every credential's seed (test only), for the tamper tool. */
		snprintf(path, sizeof path, "%s/members.txt", keys);
		if ((f = fopen(path, "w")) == NULL)
			die("members.txt");
		for (size_t i = 0; i < nmem + (alias_of >= 0); i++) {
			char sh[65];
			uint8_t s[32];
			crypto_sign_ed25519_sk_to_seed(s, mem[i].sk);
			if (hex_encode(hx, sizeof hx, mem[i].pk, 32) != 0 ||
			    hex_encode(sh, sizeof sh, s, 32) != 0)
				die("hex");
			fprintf(f, "%s %s\n", hx, sh);
		}
		fclose(f);
		snprintf(path, sizeof path, "%s/voter.pk", keys);
		if (hex_encode(hx, sizeof hx, mem[1].pk, 32) != 0 ||
		    (f = fopen(path, "w")) == NULL)
			die("voter.pk");
		fprintf(f, "%s\n", hx);
		fclose(f);
		snprintf(path, sizeof path, "%s/nonvoter.pk", keys);
		if (hex_encode(hx, sizeof hx, mem[n + 2].pk, 32) != 0 ||
		    (f = fopen(path, "w")) == NULL)
			die("nonvoter.pk");
		fprintf(f, "%s\n", hx);
		fclose(f);
	}
	for (int i = 0; i < NT; i++)
		dkg_trustee_free(tr[i]);
	free(mem);
	audit_statutes_free(statutes);
	return 0;
}

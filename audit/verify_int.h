/*
 * verify_int.h — what the files of the verifier (verify.c, verify_*.c)
 * share: its state, the jobs of its worker threads, the failure macros,
 * the payload readers, and one handler per event kind. Not an interface
 * for anything else (verify.h is).
 *
 * The state (struct verifier, V) is built by the one reader thread, in
 * record order, from events it has checked. A worker thread only reads
 * the question its job names and the ceremony's keys, adds to its own
 * slice of the question's sums, and reports through verify_fail_set
 * (under fail_mu). Every handler returns 0, or -1 with a failure of the
 * current event (v->seq, v->rank, v->noun) already reported; a fast-path
 * handler (verify_flat_*) may instead return NOT_FLAT, having done and
 * reported nothing, and the strict path decides.
 */
#ifndef SCRUTIN_AUDIT_VERIFY_INT_H
#define SCRUTIN_AUDIT_VERIFY_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "audit/log.h"
#include "audit/outcome.h"
#include "audit/record.h"
#include "audit/stmt.h"
#include "audit/qdigest.h"
#include "audit/verify.h"
#include "crypto/scrutin_crypto.h"

#define TRUSTEES_MAX 16
#define QUEUE_CAP 4096
#define BATCH 64
#define TAKE 256	/* jobs a worker takes at once (one ballot batch) */
#define QUESTIONS_MAX 1000
#define QUESTION_RECUSED_MAX 100	/* the engine's cap (scenario.c) */
#define CHOICE_LABEL_MAX 256

struct noun {
	const char *fr, *en;
};

struct member {
	char id[17];
	char *category;
	int dues;
	int adult;			/* 1, -1 a minor, 0 not said */
	int in_time;			/* registered by the roll freeze: 1,
					 * -1 after it, 0 not said */
	uint8_t presence;
	uint8_t attended;		/* present once: PRESENT; else remote
					 * once: REMOTE; else ABSENT */
	int64_t proxy_to;		/* member index, −1 none */
	uint64_t proxy_seq;		/* seq of the proxy event */
	int64_t proxy_ts;		/* its signed device time */
	bool proxy_paper;		/* entered by the desk (channel paper) */
	int64_t redist_to;		/* the president redistributed that
					 * proxy to (member index), −1 none */
	bool president;			/* credential.issued "president" */
	bool volunteer;			/* proxy.volunteer in force */
	bool declined;			/* proxy.declined */
	uint64_t volunteer_ts;		/* its last statement's time */
	int64_t fallback;		/* mailin.fallback: holder (member
					 * index), −1 none */
	uint64_t fallback_ts;		/* its statement's time */
	bool by_mail;			/* cast a mailin.ballot */
};

/* A "proxy" event: its seq, giver and holder (member indices), and
 * whether a "proxy.withdrawn" ended it (for the minutes). */
struct proxy_ev {
	uint64_t seq;
	uint32_t giver, holder;
	bool withdrawn;
	bool paper;			/* channel paper: entered by the desk */
};

/* A draw of the statutes by lot (draw.pool, draw.drawn): its id, the
 * body's draw rule (label and article borrowed from the statutes), the
 * pool's members in order, and once drawn the members drawn in order. */
struct draw_pool {
	char id[65];
	char draw[65];
	const char *label, *article;
	uint32_t *pool;
	size_t n;
	bool drawn;
	uint32_t *drawn_mem;
	size_t n_drawn;
};

struct cred {
	uint32_t member;
	uint8_t active;
};

struct question {
	char qid[AUDIT_QID_MAX + 1];
	size_t qid_len;
	ballot_question bq;
	bool election, revote, on_agenda;
	bool secret;			/* false: open (show of hands) */
	bool blank_last;		/* election: the last choice is blank */
	char *label, *rule;
	uint32_t seats, round;
	bool has_round2;		/* round 1 whose round 2 was opened */
	char round_of[AUDIT_QID_MAX + 1];	/* round 2: round 1's qid */
	char *alt_group;		/* motion: its group of alternatives */
	char *amends;			/* an amendment: its motion's qid */
	bool amended;			/* a motion opened as amended */
	char *amendment;		/* an amendment's text */
	size_t n;
	char **choice_labels;
	uint32_t *cand_member;
	char **cand_declared;
	int state;			/* 0 open, 1 closed, 2 result */
	uint32_t *slot_of;		/* member → slot + 1 (0 none); while open */
	size_t nslots, capslots;
	uint64_t *slot_seq;
	uint8_t *slot_ct;		/* secret: nslots · e · 64 */
	uint8_t *slot_sel;		/* open: nslots · n selections (0/1) */
	uint64_t *recount;		/* open: n, the counts at the close */
	uint8_t president_vote;		/* open: the president's counted
					 * selection (enum audit_pvote), at
					 * the close */
	tally_acc *acc;			/* threads · e: each worker's sums */
	tally_acc *neg;			/* e: minus the superseded ballots */
	uint8_t (*totals)[64];		/* e */
	uint64_t counted, seen;
	uint32_t share_mask;
	tally_share *shares;		/* trustees · e */
	uint32_t *recused;		/* members recused (verify_recusal.c) */
	size_t nrecused;
	struct audit_member *snap;	/* members at opening */
	size_t nsnap;
	struct audit_proxy *px;		/* in force at opening, in grant order */
	struct audit_proxy_standing *pxs;	/* the engine's standing of px */
	uint32_t *px_by_giver;		/* indices of px sorted by giver */
	uint64_t *px_seq;		/* the seq of px's proxy events */
	size_t npx;
	size_t draw_ndecl;		/* declines given at the opening */
	char *quorum_fr, *quorum_en;	/* the engine's quorum sentence */
	uint32_t present, remote;
	uint64_t *counts;
	char outcome[40];
	char *fr, *en;
	/* question.opened "triggers" (docs/record.md) */
	bool has_triggers, objection, unanimous;
	unsigned requested_by;
	bool has_askers;
	uint32_t askers;
	char *why_fr, *why_en;		/* phrase_secrecy, at the result */
	/* question.opened "post", "president_post" (docs/record.md) */
	char *post;
	bool president_post;
	uint32_t elected;		/* president's post: member elected,
					 * UINT32_MAX none (at the result) */
	/* A re-vote after an unresolved tie (question.opened "revote_of",
	 * docs/record.md): an election's tied choices and seats filled, at
	 * its result; whether it was re-voted; the question it re-votes. */
	bool *cand_tied;
	uint32_t filled;
	bool has_revote;
	char revote_of[AUDIT_QID_MAX + 1];
	/* Mail-in votes (verify_mailin.c): a question published by
	 * mailin.opened (its ballots are the mail-in ones, never opened
	 * itself), and on an opened question the members whose mail-in
	 * ballot it counts. */
	bool published;
	bool *by_mail;			/* nmem entries, or NULL */
	/* On a motion added on the day: the members whose voice the engine
	 * gives to their fallback holder (nmem entries), or NULL. */
	bool *fallback_ok;
	/* Its audited ballots (verify_audited.c): fingerprints, seqs. */
	uint8_t (*aud_fp)[32];
	uint64_t *aud_seq;
	size_t naud;
	/* The base of the percentages, at the result (audit_q_summary). */
	uint64_t pct_base;
	bool pct_abstention;
};

enum job_kind { JOB_BALLOT, JOB_SIG };

/* One malloc per job: the ballot body or the signed message follows. */
struct job {
	uint64_t seq;
	enum job_kind kind;
	struct question *q;		/* ballot */
	const struct noun *noun;	/* signature: failure message */
	char fr[96], en[96];
	uint8_t pk[32], sig[64];	/* signature (a ballot's: its signer's) */
	size_t len;
	size_t hlen;	/* a ballot's hints (protocol §5.6), after the body */
	uint8_t data[];
};

typedef struct verifier V;

struct worker {
	V *v;
	unsigned idx;
	pthread_t th;
	uint64_t batched;	/* ballots it accepted by a batch equation */
};

struct verifier {
	const audit_verify_opts *o;
	audit_failure *fail;
	pthread_mutex_t fail_mu;
	unsigned fail_rank;		/* of fail->seq, under fail_mu */
	const struct noun *noun;	/* of the current event */
	uint64_t seq;			/* current event */
	unsigned rank;			/* 1 once a signature is deferred */
	/* meeting */
	bool have_meeting;
	bool proto2;			/* meeting "protocol": "scrutin/2" */
	bool started, ended;		/* meeting.started, meeting.ended */
	char meeting_id[AUDIT_MEETING_ID_MAX + 1];
	uint8_t server_pk[32];
	audit_statutes *statutes;
	audit_summary *sum;
	/* ceremony */
	bool have_trustees, done;
	uint32_t tn, tt;
	uint8_t id_pk[TRUSTEES_MAX][32], box_pk[TRUSTEES_MAX][32];
	uint8_t cid[32], y[32], eid[32];
	uint8_t commit_h[TRUSTEES_MAX][32];
	uint32_t committed, revealed, boxed, keyed;	/* bit masks */
	uint8_t C[TRUSTEES_MAX * TRUSTEES_MAX][32];
	uint8_t yj[TRUSTEES_MAX][32];
	/* roll */
	audit_htab creds;
	struct cred *cv;
	size_t ncred, capcred;
	struct member *mv;
	size_t nmem, capmem;
	struct proxy_ev *pxe;		/* every proxy given, record order */
	size_t npxe, cappxe;
	bool has_president;		/* a member is the president */
	uint32_t president;		/* that member */
	bool frozen;
	uint64_t active;
	/* the random reassignment (verify_draw.c): draw.seed, the members
	 * who volunteer in the order they did, those who declined, and the
	 * engine's borrowed pseudonyms of both */
	bool has_seed;
	uint64_t seed;
	/* the seed's scrutineers' contributions (verify_draw_commit.c):
	 * draw.closed (the deadline) and its head, each trustee's
	 * commitment and revealed value, bit masks by trustee */
	bool draw_closed;
	uint8_t draw_head[32];
	uint32_t draw_committed, draw_revealed;
	uint8_t draw_hash[TRUSTEES_MAX][32], draw_value[TRUSTEES_MAX][32];
	uint32_t *vol, *decl;
	size_t nvol, ndecl;
	const char **draw_ids;
	/* mail-in votes (verify_mailin.c): the window, the questions it
	 * published with their specs, and the engine's list of mail-in
	 * voters with their standing */
	bool mailin;
	uint64_t mailin_ts, mailin_closes;
	struct question **mq;
	json_t **mspec;
	size_t nmq;
	struct ct_mail_in *mail_list;
	uint32_t *mail_member;
	bool *mail_ok;
	size_t nmail;
	/* the statutes' draws by lot (verify_draw_pool.c) */
	struct draw_pool *pools;
	size_t npools;
	/* questions */
	struct question **qs;
	size_t nq;
	char **alt_done;		/* groups of alternatives settled */
	size_t nalt;
	audit_htab receipts;
	audit_htab audited;		/* α of audited ballots → seq */
	/* workers */
	unsigned nthreads;
	struct worker *workers;
	pthread_mutex_t mu;
	pthread_cond_t nonempty, nonfull, idle;
	struct job *ring[QUEUE_CAP];
	size_t rhead, rcount, inflight;
	bool stop;
	bool inline_jobs;	/* no worker: the reader runs each job */
	struct job *batch[BATCH];	/* the reader's, not yet queued */
	size_t nbatch;
	/* chain */
	audit_chain chain;
	char last_kind[AUDIT_KIND_MAX + 1];
	uint8_t prev_head[32];	/* the head before the event being checked */
};

/* --- failures ---------------------------------------------------------- */

void verify_fail_set(V *v, uint64_t seq, unsigned rank,
    const struct noun *noun, const char *fr, const char *en);
/* Whether a failure before seq is already reported. */
bool verify_failed_before(V *v, uint64_t seq);

/* Both formats are literals, checked by the compiler. */
#define FAILN(v, seq, rank, noun, ffr, fen, ...)                            \
	do {                                                               \
		char fr_[400], en_[400];                                   \
		snprintf(fr_, sizeof fr_, ffr, ##__VA_ARGS__);             \
		snprintf(en_, sizeof en_, fen, ##__VA_ARGS__);             \
		verify_fail_set((v), (seq), (rank), (noun), fr_, en_);     \
	} while (0)
#define FAIL(v, ffr, fen, ...)                                              \
	FAILN(v, (v)->seq, (v)->rank, (v)->noun, ffr, fen, ##__VA_ARGS__)

/* --- payload readers --------------------------------------------------- */

/* A failure of the current event, found by the reader. */
static inline void
fail_here(V *v, const char *fr, const char *en)
{
	verify_fail_set(v, v->seq, v->rank, v->noun, fr, en);
}

static inline int
keys(V *v, const json_t *p, const char *const *k, size_t n)
{
	const char *bad = NULL;

	if (audit_json_keys(p, k, n, &bad) != 0) {
		FAIL(v, "champ %s manquant ou inconnu",
		    "field %s missing or unknown", bad ? bad : "?");
		return -1;
	}
	return 0;
}
#define KEYS(v, p, ...)                                                     \
	keys((v), (p), (const char *const[]){ __VA_ARGS__ },                \
	    sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(char *))

static inline int
bad_field(V *v, const char *f)
{
	FAIL(v, "champ %s invalide", "invalid field %s", f);
	return -1;
}

static inline int
hexf(V *v, const json_t *p, const char *k, uint8_t *out, size_t len)
{
	return audit_json_hex(p, k, out, len) == 0 ? 0 : bad_field(v, k);
}

static inline int
u64f(V *v, const json_t *p, const char *k, uint64_t max, uint64_t *out)
{
	return audit_json_u64(p, k, max, out) == 0 ? 0 : bad_field(v, k);
}

static inline int
strf(V *v, const json_t *p, const char *k, size_t max, const char **out)
{
	size_t len;

	return audit_json_str(p, k, max, out, &len) == 0 ? 0 :
	    bad_field(v, k);
}

static inline int
order(V *v, bool ok, const char *fr, const char *en)
{
	char a[300], b[300];

	if (ok)
		return 0;
	snprintf(a, sizeof a, "hors séquence : %s", fr[0] ? fr : en);
	snprintf(b, sizeof b, "out of order: %s", en);
	fail_here(v, a, b);
	return -1;
}

/* --- jobs and workers -------------------------------------------------- */

struct job *verify_job_new(V *v, enum job_kind kind, size_t len);
void verify_job_submit(V *v, struct job *j);
void verify_jobs_flush(V *v);
void verify_sig_defer(V *v, const uint8_t pk[32], const uint8_t sig[64],
    const uint8_t *msg, size_t n, const char *what_fr, const char *what_en);
void verify_barrier(V *v);
void verify_pool_start(V *v, unsigned threads);
void verify_pool_stop(V *v);

/* --- key ceremony ------------------------------------------------------ */

int verify_trustee_index(V *v, const json_t *p, uint32_t *out);
int verify_trustee_sig(V *v, const json_t *p, uint32_t i,
    const audit_stmt *st);
int verify_ev_trustees(V *v, const json_t *p);
int verify_ev_commit(V *v, const json_t *p);
int verify_ev_reveal(V *v, const json_t *p);
int verify_ev_shares(V *v, const json_t *p);
int verify_ev_key_share(V *v, const json_t *p);
int verify_ev_ceremony_done(V *v, const json_t *p);

/* --- credentials and the roll ------------------------------------------ */

int64_t verify_cred_active(V *v, const uint8_t pk[32], const char *role_fr,
    const char *role_en);
int verify_ev_cred_issued(V *v, const json_t *p);
int verify_ev_roll_frozen(V *v, const json_t *p);
int verify_ev_cred_revoked(V *v, const json_t *p);
int verify_ev_cred_reissued(V *v, const json_t *p);
int verify_flat_cred_issued(V *v, const audit_flat_event *fe);

/* --- attendance: check-ins, check-outs, proxies ------------------------ */

int verify_ev_checkin(V *v, const json_t *p, bool in);
/* verify_draw.c: proxy.volunteer, proxy.declined, draw.seed, and the
 * draw's inputs given to the statutes before each standing. */
int verify_ev_volunteer(V *v, const json_t *p);
int verify_ev_declined(V *v, const json_t *p);
int verify_ev_draw_seed(V *v, const json_t *p);
/* The statutes provide a random reassignment: 0, else -1 (failed). */
int verify_draw_provided(V *v);
/* Whether the record may hold the draw's seed: the body reassigns an
 * absent holder's proxies at random, or a draw.pool came before. */
int verify_draw_seed_provided(V *v);
/* verify_draw_pool.c: draw.pool, draw.drawn (A-IMI art. 9), their
 * summary for the minutes. */
int verify_ev_draw_pool(V *v, const json_t *p);
int verify_ev_draw_drawn(V *v, const json_t *p);
void verify_draw_pools_summary(V *v);
void verify_draw_pools_free(V *v);
/* The members' facts for the statutes engine now (out: v->nmem). */
void verify_members_facts(V *v, struct audit_member *out);
/* verify_draw_commit.c: the scrutineers' contributions to the seed
 * (draw.commit, draw.closed, draw.reveal); the seed they give. */
int verify_ev_draw_commit(V *v, const json_t *p);
int verify_ev_draw_closed(V *v, const json_t *p);
int verify_ev_draw_reveal(V *v, const json_t *p);
int verify_draw_seed_expected(V *v, const json_t *p, uint64_t *seed);
void verify_draw_give(V *v, size_t ndecl);
void verify_draw_free(V *v);
int verify_ev_proxy(V *v, const json_t *p, bool give);
/* verify_redistribute.c: a "proxy.redistributed" event. */
int verify_ev_redistributed(V *v, const json_t *p);
int verify_flat_checkin(V *v, const audit_flat_event *fe, bool in);

/* --- mail-in votes (verify_mailin.c) ----------------------------------- */

int verify_ev_mailin_opened(V *v, const json_t *p);
int verify_ev_mailin_fallback(V *v, const json_t *p);
int verify_ev_mailin_ballot(V *v, const json_t *p);
/* The mail-in voters given to the statutes before a standing or count. */
void verify_mailin_give(V *v);
/* question.opened of q from p: when the window published q's qid, p
 * must carry the published spec; after the standing, the mail-in
 * ballots the engine accepts join q's counted set. */
int verify_mailin_spec(V *v, const struct question *q, const json_t *p);
int verify_mailin_adopt(V *v, struct question *q);
/* verify_outcome.c: at q's opening, the mail-in voters whose voice the
 * engine gives to their fallback holder on q (q->fallback_ok). */
int verify_question_fallback(V *v, struct question *q);
void verify_mailin_free(V *v);
/* verify_question.c: a question read from a spec (question.opened's
 * fields), not yet in v->qs. */
struct question *verify_question_build(V *v, const json_t *p);
/* verify_ballot.c: a ballot's body, sig and receipt (a ballot's or a
 * mailin.ballot's payload p) checked on q. */
int verify_ballot_payload(V *v, struct question *q, const json_t *p);
/* verify_ballot.c: a ballot body for q (decoded in j), its receipt. */
int verify_ballot_core(V *v, struct question *q, struct job *j,
    const uint8_t want[32]);
/* The slot of voice member vm's counted ballot on q (new, or the one a
 * re-vote supersedes). */
int verify_ballot_slot(V *v, struct question *q, uint32_t vm,
    uint32_t *slot);

/* --- questions --------------------------------------------------------- */

struct question *verify_question_find(V *v, const char *qid);
struct question *verify_question_lookup(V *v, const char *qid,
    int want_state);
struct question *verify_question_get(V *v, const json_t *p, int want_state);
void verify_question_free(struct question *q);
int verify_ev_question_opened(V *v, const json_t *p);

/* --- ballots ----------------------------------------------------------- */

void verify_ballot_job(V *v, unsigned w, const struct job *j);
/* verify_audited.c: a ballot.audited event; a ballot's α against the
 * audited ones (-1: one was opened). */
int verify_ev_ballot_audited(V *v, const json_t *p);
int verify_audited_cast(V *v, const ballot_parsed *bp);
/* The ballot jobs js[0 … n), each with hints, on worker w: one
 * ballot_verify_batch, then as verify_ballot_job for each verdict. */
void verify_ballot_batch(V *v, unsigned w, struct job *const *js, size_t n,
    uint64_t *batched);
int verify_ev_ballot(V *v, const json_t *p);
int verify_flat_ballot(V *v, const audit_flat_event *fe);

/* --- tally and decryption ---------------------------------------------- */

int verify_ev_question_closed(V *v, const json_t *p);
int verify_ev_decryption(V *v, const json_t *p);
int verify_tally_counts(V *v, struct question *q, const json_t *arr);

/* --- the statutes engine's standing and outcomes ----------------------- */

bool verify_alt_settled(V *v, const char *g);
int verify_question_standing(V *v, struct question *q);
/* verify_recusal.c: question.opened's "recused" (a, or NULL) into q;
 * whether a ballot of voice member vm signed by sm may count on q. */
int verify_recused_parse(V *v, struct question *q, const json_t *a);
/* verify_amendment.c: question.opened's amendment fields ("amends",
 * "amendment", "supporters", "amended_by") of motion q, after its
 * on_agenda and group are read; -1 failed. */
int verify_amendment_opened(V *v, struct question *q, const json_t *p);
int verify_recused_ballot(V *v, const struct question *q, uint32_t vm,
    uint32_t sm);
const struct audit_proxy *verify_question_proxy(const struct question *q,
    uint32_t g, size_t *idx);
int verify_ev_result(V *v, const json_t *p);
int verify_ev_alternatives(V *v, const json_t *p);

/* --- the record's frame: events, fast path ----------------------------- */

#define NOT_FLAT (-2)

int verify_chain_event(V *v, const char *line, size_t len);

bool verify_flat_hex(const audit_flat_event *fe, const char *key,
    uint8_t *out, size_t n);

#endif

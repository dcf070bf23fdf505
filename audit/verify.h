/*
 * verify.h — the standalone verifier of a public election record
 * (docs/record.md §7): one streaming pass over the record, ballot proofs
 * and signatures on worker threads, every check deciding the result.
 *
 * Trusts only libsodium, jansson, crypto/ and the statutes engine
 * (through outcome.h); the record is untrusted. Invariants: the result
 * is "verified" only when every check of docs/record.md §7 passed for
 * every event and the record ends with a signed checkpoint; otherwise the
 * first failure (smallest seq, then the first check of §7 within that
 * event) is reported with its seq and message, whatever the threads'
 * timing. A
 * summary is filled only for a verified record.
 */
#ifndef SCRUTIN_AUDIT_VERIFY_H
#define SCRUTIN_AUDIT_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "crypto/ballot.h"
#include "crypto/error.h"

#define AUDIT_QID_MAX 64

enum audit_lang { AUDIT_FR = 0, AUDIT_EN = 1 };

typedef struct {
	unsigned threads;		/* ballot workers; 0: none, the
					 * reader checks each one itself */
	enum audit_lang lang;
	FILE *progress;			/* progress line, a bar on a terminal;
					 * NULL off */
	bool want_receipt;
	uint8_t receipt[32];
	bool want_credential;
	uint8_t credential[32];
	FILE *report;			/* receipt / credential findings */
	/* For the writer's own check (audit_verifier_feed, threads 0
	 * only): it verified each secret ballot's signature and proofs
	 * with crypto/ballot_verify when it accepted the ballot, so they
	 * are not verified again; every other check of a ballot is made,
	 * and its ciphertexts are summed for the close. */
	bool ballots_proven;
} audit_verify_opts;

struct audit_q_summary {
	char qid[AUDIT_QID_MAX + 1];
	char *label;
	char *rule_label;		/* the profile's label of its rule and */
	char *rule_article;		/* the rule's article; NULL when unknown */
	bool election;
	bool secret;			/* false: open (show of hands) */
	size_t n;
	char **choice_labels;
	uint64_t *counts;
	/* Its question digest (protocol §5.7) in a scrutin/2 record,
	 * which every ballot's proofs commit to; has_digest false in a
	 * scrutin/1 record. */
	bool has_digest;
	uint8_t digest[32];
	uint64_t counted, ballots_seen;
	uint32_t present, remote, proxies;	/* at opening; proxies the
					 * statutes accept */
	uint32_t mail_in;		/* mail-in ballots counted */
	uint32_t fallback;		/* mail-in voices the engine gave
					 * to their fallback holder */
	char outcome[40];
	char *sentence_fr, *sentence_en;
	char *quorum_fr, *quorum_en;	/* the engine's, at opening */
	char *secrecy_fr, *secrecy_en;	/* why secret or show of hands,
					 * when a live trigger decided it
					 * (phrase_secrecy); NULL or "" */
	uint32_t round;			/* election: 0 (one round), 1 or 2 */
	char round_of[AUDIT_QID_MAX + 1];	/* round 2: round 1's qid */
	char revote_of[AUDIT_QID_MAX + 1];	/* a re-vote after a tie:
					 * the election re-voted, or "" */
	char alt_group[65];		/* motion: its group of
					 * alternatives, "" when none */
	char amends[AUDIT_QID_MAX + 1];	/* an amendment: its motion's
					 * qid, "" when none */
	char *amendment;		/* an amendment's text, or NULL */
	/* The percentages' base the statutes define: a motion's expressed
	 * votes (its abstentions among them when pct_abstention), an
	 * election's valid ballots (blank_last: the last choice is the
	 * blank vote, outside the base); 0: no percentages. */
	uint64_t pct_base;
	bool pct_abstention, blank_last;
	/* The members recused on it (the record's question.opened
	 * "recused", indices in members) and the body's recusal article
	 * (NULL when the profile names none). */
	uint32_t *recused;
	size_t n_recused;
	char *recusal_article;
	/* question.opened's min and max, and its ballots opened by their
	 * member (ballot.audited: spoiled, never counted), in record
	 * order: each one's fingerprint and seq. */
	uint32_t min, max;
	size_t n_audited;
	uint8_t (*audited_fp)[32];
	uint64_t *audited_seq;
};

/* A member of the record (docs/record.md §4: a pseudonym, the first 16
 * hex digits of their first credential) and their attendance over the
 * meeting: present once, else remote once, else absent; the member
 * holding their proxy at the end (index in members), or -1. */
/* A draw by lot of the statutes (draw.pool, draw.drawn): its id, the
 * draw's label and article, the seed, the pool's members and those
 * drawn, in order (indices in members). */
struct audit_draw_summary {
	char id[65];
	char *label, *article;
	uint64_t seed;
	uint32_t *pool, *drawn;
	size_t n_pool, n_drawn;
};

struct audit_member_summary {
	char id[17];
	uint8_t attended;		/* enum audit_presence (outcome.h) */
	int64_t proxy_to;
	bool proxy_paper;		/* that proxy entered by the desk */
	bool by_mail;			/* cast a mail-in ballot */
	int64_t fallback;		/* the fallback holder they named last
					 * (index in members), or -1 */
};

/* A proxy's standing at one question's opening (the statutes engine's,
 * as the verifier recomputes it). */
enum audit_px_state {
	AUDIT_PX_NOT_IN_FORCE = 0,	/* not in force when it opened */
	AUDIT_PX_COUNTED,		/* accepted, held by the named holder */
	AUDIT_PX_REASSIGNED,		/* accepted, held by another member */
	AUDIT_PX_REFUSED		/* refused: reason */
};

/* A proxy of the record (a "proxy" event, in record order): giver and
 * holder (indices in members), the channel (paper: entered by the desk
 * and signed by the server; else digital, signed by the giver), whether a "proxy.withdrawn" event ended it, and its standing at each
 * question's opening (arrays of n_questions, in the order of
 * questions). */
struct audit_proxy_summary {
	uint32_t giver, holder;
	bool paper;			/* channel paper (the desk's) */
	bool withdrawn;
	uint8_t *state;			/* enum audit_px_state */
	uint32_t *eff;			/* AUDIT_PX_REASSIGNED: the member */
	char (*reason)[32];		/* AUDIT_PX_REFUSED: the engine's
					 * reason code (ct_reason_code) */
};

/* An item of the agenda as the meeting.ended event lists it. */
struct audit_agenda_item {
	char qid[AUDIT_QID_MAX + 1];
	char *label;
};

/* A group of alternative motions settled in the record. */
struct audit_alt_summary {
	char group[65];
	char outcome[40];
	char winner[AUDIT_QID_MAX + 1];	/* "" when none */
};

typedef struct {
	char meeting_id[65];
	char *title;
	char date[11];
	char body[49];
	/* The meeting event's minutes fields, NULL when not given:
	 * association, place, convocation time (HH:MM), président(e) and
	 * secrétaire de séance. */
	char *association, *place, *time, *president, *secretary;
	/* meeting.started and meeting.ended: Unix seconds (0: not in the
	 * record) and the appliance's local time "HH:MM"; the agenda in
	 * its order, every item, put to the vote or not. */
	uint64_t started_ts, ended_ts;
	char started_time[6], ended_time[6];
	/* meeting.started's `web`: the fingerprint of the web apps the
	 * appliance served when the meeting started (has_web false when the
	 * event does not say). */
	bool has_web;
	uint8_t web[32];
	/* The protocol the record follows (meeting "protocol"):
	 * "scrutin/1" when the field is absent, or "scrutin/2" (ballots
	 * and shows of hands commit to the question digest). */
	char protocol[16];
	size_t n_agenda;
	struct audit_agenda_item *agenda;
	char *body_label;		/* the profile's label of the body
					 * (« Assemblée générale ordinaire ») */
	char *profile_name;		/* the profile's name (« A-IMI ») */
	size_t n_members;
	struct audit_member_summary *members;
	char profile_id[49];
	uint8_t profile_sha256[32];
	uint8_t head[32];		/* hash of the last event */
	uint64_t events;
	uint64_t roll;			/* credentials at the roll freeze */
	uint64_t ballots;
	uint64_t ballots_batched;	/* accepted by a batch equation, with
					 * their hints (protocol §5.6) */
	/* proxy events given: [0] digital (signed by the member), [1]
	 * paper (entered by the desk, signed by the server) */
	uint64_t proxies_given[2];
	uint32_t trustees_n, trustees_t;
	uint8_t trustee_id[16][32];	/* scrutineers' Ed25519 keys */
	size_t n_questions;
	struct audit_q_summary *questions;
	size_t n_alternatives;
	struct audit_alt_summary *alternatives;
	size_t n_proxies;
	struct audit_proxy_summary *proxies;
	char *proxy_article;		/* the body's proxy rules' article,
					 * NULL when unknown */
	/* A second convocation (the meeting event's second_convocation):
	 * the date of the first meeting, which failed its quorum
	 * (YYYY-MM-DD, "" when not one), and the statutes' article. */
	char second_first_date[11];
	char *second_article;
	/* The draw's seed (draw.seed): written, and the trustees whose
	 * contributions it hashes and those who committed and did not
	 * reveal (bit masks, trustee j at bit j-1). */
	bool draw_seeded;
	uint32_t draw_revealed, draw_missing;
	char *mail_article;		/* the body's mail-in article, NULL
					 * when the record has no window */
	/* Whether that seed serves the random reassignment of proxies (the
	 * body's statutes), and the statutes' draws by lot written
	 * (draw.drawn, A-IMI art. 9), in the record's order. */
	bool draw_proxies;
	size_t n_draws;
	struct audit_draw_summary *draws;
	/* The election (ceremony.done): its id and key; has_key false
	 * when the record has no key ceremony. */
	bool has_key;
	uint8_t eid[32], y[32];
	/* lookups */
	bool receipt_found;
	char receipt_qid[AUDIT_QID_MAX + 1];
	uint64_t receipt_seq;
	uint64_t credential_hits;
} audit_summary;

typedef struct {
	bool failed;
	uint64_t seq;			/* UINT64_MAX: not tied to an event */
	char fr[512], en[512];
} audit_failure;

/* Verifies the record at path. OUT *sum (caller frees with
 * audit_summary_free; NULL unless verified) and *fail. Returns 0 when the
 * record verifies, 1 when a check failed (fail filled), 2 when the file
 * cannot be read (fail filled). */
int audit_verify_file(const char *path, const audit_verify_opts *o,
    audit_summary **sum, audit_failure *fail);
/* The same over an open file descriptor, read from its current offset
 * to its end (not closed). */
int audit_verify_fd(int fd, const audit_verify_opts *o, audit_summary **sum,
    audit_failure *fail);
void audit_summary_free(audit_summary *s);

/* --- an audited ballot (opening.c; docs/protocol.md §5.8) ------------ */

/* OUT fp = H256("ballot-fingerprint", body): the fingerprint the phone
 * shows before « Déposer » or « Vérifier ce chiffrement ». */
void audit_ballot_fingerprint(uint8_t fp[32], const uint8_t *body,
    size_t len);
/* The proofs of a parsed body for bq: 0 valid, i (1 … e) the first
 * invalid membership proof π_i, -1 the overall proof π_0. */
int audit_ballot_proofs(const ballot_question *bq, const uint8_t eid[32],
    const uint8_t y[32], const ballot_parsed *p);
/* An audited ballot: body a ballot body for question (qid, n, min, max)
 * of election eid under key y whose proofs verify, r[nr] the randomness
 * of its nr = e ciphertexts, each C_i = (r_i·G, r_i·Y + b_i·G) with b_i
 * 0 or 1. OUT sel[n]: the selection the ciphertexts encrypt, the
 * implicit last choice included. 0, or -1 with why (French, English). */
int audit_opening_check(const char *qid, uint32_t n, uint32_t min,
    uint32_t max, const uint8_t *qdigest, const uint8_t eid[32],
    const uint8_t y[32],
    const uint8_t *body, size_t len, const uint8_t (*r)[32], size_t nr,
    uint8_t *sel, const char **why_fr, const char **why_en) SCRUTIN_WUR;

/* The same checks, one line at a time: for a writer that checks every
 * event before it appends it (the appliance, docs/record.md §7). Each
 * line (without its "\n") is checked against the lines given before it,
 * exactly as audit_verify_fd checks it when it reads it; what only the
 * end of a record can decide (it ends with a checkpoint, every question
 * has a result) is not checked. Lines are not kept. */
typedef struct audit_verifier audit_verifier;
/* o: as for audit_verify_fd (progress and the lookups are ignored);
 * NULL: no worker thread. NULL if libsodium cannot start. Free with
 * audit_verifier_free. */
audit_verifier *audit_verifier_new(const audit_verify_opts *o);
/* 0: the line is accepted, and the next one is checked after it. 1: it
 * is refused, OUT fail (its seq and French and English texts); the
 * verifier then refuses every further line (a writer makes a new one
 * from the lines it kept). */
int audit_verifier_feed(audit_verifier *v, const char *line, size_t len,
    audit_failure *fail);
/* OUT the head (hash of the last line accepted; zeros before the first)
 * and the seq the next line must have. */
void audit_verifier_head(const audit_verifier *v, uint8_t head[32],
    uint64_t *next_seq);
void audit_verifier_free(audit_verifier *v);

/* T("minutes", head, SHA-256(minutes)). OUT msg; returns its length. */
size_t audit_minutes_message(uint8_t msg[128], const uint8_t head[32],
    const uint8_t *minutes, size_t len);

/* Checks a signatures file (lines "scrutin-minutes-sig/1 PK SIG") over
 * the minutes against a verified summary: every line well formed, every
 * pk a scrutineer's identity key, no signer twice, every signature valid,
 * at least one line, and the minutes name the head hash. Prints one line
 * per signer to out. 0 or 1 (fail filled). */
int audit_minutes_check(const audit_summary *s, const uint8_t *minutes,
    size_t mlen, const char *sigs, size_t slen, enum audit_lang lang,
    FILE *out, audit_failure *fail);

#endif

/*
 * meeting_int.h — what the privileged side's meeting files share:
 * meeting.c and the files of its concerns (request.c, token.c, notify.c,
 * attendance.c, agenda.c, question.c, triggers.c, bureau.c,
 * alternatives.c, ballot.c), the ceremony and count files (ceremony.c,
 * ceremony_phase.c, decrypt.c, result.c, export.c, which add what they
 * share in ceremony_int.h), minutes.c and api.c, each declaration under
 * the file that defines it; the API handlers are declared in
 * server/api.h. Not an interface for anything else.
 */
#ifndef SCRUTIN_SERVER_MEETING_INT_H
#define SCRUTIN_SERVER_MEETING_INT_H

#include <stdint.h>

#include <jansson.h>

#include "ballot-formats/count.h"
#include "crypto/group.h"
#include "server/api.h"
#include "server/meeting.h"

struct mrow {
	char id[65], title[256], date[16], profile_id[64], profile_name[200];
	char body[64], status[16], ceremony[16];
	char quorum[512];	/* the meeting's own quorum (JSON) or "" */
	char president_member[65];	/* the statutes' president, or "" */
	char time[6];		/* the convocation time HH:MM, with */
	int64_t starts_at;	/* the scheduled start (Unix seconds) */
	int has_start;		/* both known */
	char convocation[16];	/* convocation date YYYY-MM-DD, or "" */
	char second[16];	/* a second convocation: the first meeting's
				 * date YYYY-MM-DD, or "" */
	uint32_t n, t;
	int has_cid, has_key;
	uint8_t ceremony_id[32], y[32], eid[32];
};

struct qrow {
	char qid[65], status[16], rule[64];
	int secret, election;
	uint32_t n, min, max, seats;
	int64_t opened_at, closes_at, ballots, position;
	ballot_question bq;
	json_t *spec;
};

struct facts {
	size_t n;
	int32_t day;
	struct ct_member *members;
	enum ct_presence *presence;
	int64_t *member_ids;
	int *voter;
	/* The random reassignment's inputs, from the record
	 * (proxy_draw_load): draw.seed, the volunteers in order then the
	 * declines (draw_ids[n_vol...]), borrowing members' ids. */
	bool has_seed;
	uint64_t seed;
	const char **draw_ids;
	size_t n_vol, n_decl;
	/* The mail-in voters (mailin_facts_load): each member with a
	 * mail-in ballot and the fallback holder they named last,
	 * borrowing members' ids; mail_member their members.id. */
	struct ct_mail_in *mail;
	int64_t *mail_member;
	size_t n_mail;
};

/* ---- request.c: replies, strict JSON, signed statements ---- */

void mr_err(struct mreply *r, const char *code, const char *field);
/* mr_err with the profile's article that grounds the refusal: the
 * network process adds it to the French and English texts and as the
 * error's "article" member. */
void mr_err_article(struct mreply *r, const char *code, const char *field,
    const char *article);
/* mr_err with a message as the error's "detail" (French, fr) and
 * "detail_en" (English, en): the statutes engine's (err.fr, err.en) or
 * the storage's; the network process keeps both. */
void mr_err_detail(struct mreply *r, const char *code, const char *field,
    const char *fr, const char *en);
void mr_ok(struct mreply *r, json_t *doc);
int mj_parse(const uint8_t *body, size_t len, const char *const *keys,
    size_t nkeys, json_t **out, struct mreply *r) WUR;
/* body as a JSON object (duplicate keys refused), its fields left to
 * the caller. 0, or -1 with r set (malformed_json, not_an_object). */
int mj_object(const uint8_t *body, size_t len, json_t **out,
    struct mreply *r) WUR;
int mj_hex(json_t *doc, const char *key, uint8_t *out, size_t n,
    struct mreply *r) WUR;
int mj_hexvar(json_t *doc, const char *key, uint8_t **out, size_t *n,
    size_t cap, struct mreply *r) WUR;
int mj_u64(json_t *doc, const char *key, uint64_t max, uint64_t *out,
    struct mreply *r) WUR;
int mj_str(json_t *doc, const char *key, size_t max, const char **out,
    struct mreply *r) WUR;

void stmt_begin(framebuf *fb, uint8_t *buf, size_t cap, const char *kind);
void stmt_str(framebuf *fb, const char *s);
int stmt_verify(const framebuf *fb, const uint8_t pk[32],
    const uint8_t sig[64]) WUR;
int stmt_sign(const framebuf *fb, const uint8_t *sk, uint8_t sig[64]) WUR;
int ts_fresh(uint64_t ts);

/* ---- meeting.c: a meeting, its profile and body ---- */

int m_load(struct store *st, const char *id, struct mrow *m) WUR;
const struct profile *m_profile(struct mctx *c, struct store *st,
    const char *id);
/* The meeting's body in its (cached) profile, or NULL. */
const struct pr_body *m_body(struct mctx *c, const struct mrow *m);
/* The same from the meeting's id (NULL also when c is NULL). */
const struct pr_body *m_body_of(struct mctx *c, const char *id);
/* The profile's French label of a decision (election 0) or election rule
 * of body b and its English one (the French when the profile has none);
 * -1 when unknown. The strings are b's. */
int m_rule_labels(const struct pr_body *b, int election, const char *rule,
    const char **fr, const char **en) WUR;
/* 1 when the body's statutes provide for remote attendance, 0 when not,
 * -1 when the profile is unreadable. */
int m_remote_allowed(struct mctx *c, const struct mrow *m);

/* ---- token.c: the roles' tokens ---- */

int token_check(struct store *st, const char *meeting, const char *role,
    const char *auth, unsigned *idx) WUR;
int token_use(struct store *st, const char *auth) WUR;

/* ---- notify.c: the live notifications ---- */

void notify(struct mctx *c, const char *meeting, const char *name,
    json_t *data);
/* Participation of question qid ("": the meeting's attendance) changed:
 * notified at most every 250 ms by part_flush (force: now). */
void part_touch(struct mctx *c, const char *meeting, const char *qid);
void part_flush(struct mctx *c, int force);

/* ---- attendance.c: the facts the engine counts, who is present ---- */

int facts_load(struct store *st, const struct mrow *m, struct facts *f) WUR;
void facts_free(struct facts *f);
/* f's index of member id (members.id), or SIZE_MAX. */
size_t facts_index(const struct facts *f, int64_t id);
/* The roll's dues fact for the statutes engine: OUT mb->dues_paid, the
 * server's reading of the last payment date `paid` (CT_YES when within
 * the year before the meeting day: paid on or before it and less than
 * twelve months earlier; CT_NO when none or older; CT_UNKNOWN when
 * unreadable), and mb->dues_paid_on, the payment date itself, which the
 * engine uses instead when the profile states the period a payment
 * covers (ct_dues_standing). */
void meeting_dues_facts(const char *paid, int32_t meeting_day, struct ct_member *mb);
/* The member's dues on the meeting day as the statutes engine decides
 * them under rule d (ct_dues_standing of meeting_dues_facts). */
int meeting_dues(const struct pr_dues *d, const char *paid, int32_t meeting_day);
void facts_meeting(const struct mrow *m, struct facts *f,
    struct ct_meeting *cm);
json_t *attendance_json(struct mctx *c, struct store *st,
    const struct mrow *m);
/* quorum.c: the quorum object of the engine's result res (docs/api.md):
 * status, counted, required, base, the voices the profile counts, the
 * threshold with its rounding and article, the engine's sentence. */
json_t *quorum_json(const struct ct_result *res);
/* Voters present or remote now, as the statutes engine counts them; -1 on
 * error. */
int64_t members_present(struct store *st, const struct profile *p,
    const struct mrow *m);
/* The members with a vote who are not there now (ct_unanimity_absent of
 * the engine's standing of the meeting): the unanimous wish for a show of
 * hands needs none (A-IMI 12). OUT names: the first of them, "A, B…",
 * truncated to cap. -1 on error. */
int64_t members_absent(struct store *st, const struct profile *p,
    const struct mrow *m, char *names, size_t cap);
/* ballot_audit.c: 1 if a ciphertext of the secret ballot body on qid
 * reuses the randomness of a ballot its member opened (or on error). */
int ballot_audit_reused(struct store *st, const char *meeting,
    const char *qid, const uint8_t *body, size_t len);
/* A credential pk of the meeting: OUT its member and voter flag; NULL, or
 * the error code (credential_unknown, credential_revoked, not_eligible). */
const char *voice_lookup(struct store *st, const char *meeting,
    const uint8_t pk[32], int64_t *member_id, int *voter);
/* 1 if member_id was present or remote when qid opened. */
/* The attendance kept at q's opening into f's presence (result.c). */
void count_opening_attendance(struct store *st, const struct mrow *m,
    const struct qrow *q, struct facts *f);

/* ---- proxy.c: digital proxies; proxy_paper.c: the desk's ---- */

/* A proxy given or withdrawn: S_proxy or S_withdraw signed by the giver,
 * or (paper) S_paper signed by the server for the desk. */
struct proxy_req {
	uint8_t giver[32], holder[32], sig[64];
	uint64_t ts;
	int give;
	int paper;
};
/* The giver's proxy in force: its row id and holder (member), or 0. */
int64_t proxy_current(struct store *st, const char *meeting, int64_t giver,
    int64_t *holder);
/* The proxy or its withdrawal, its event and its record line (a paper
 * proxy's with "channel": "paper"), in one transaction. 0, or -1 with
 * nothing written. */
int proxy_store(struct store *st, const struct mrow *m,
    const struct proxy_req *p, int64_t giver, int64_t holder, int64_t cur,
    uint64_t at) WUR;
/* Proxies are given while the meeting is convened or live, its record
 * begun: 0, or -1 with r (wrong_phase). */
int proxy_phase_check(struct mctx *c, const struct mrow *m,
    struct mreply *r) WUR;
/* The statutes admit a proxy of this channel (paper or digital) given
 * at ts (the statement's time) and at (the server's clock): allowed,
 * the channel, the deadline (audit_proxy_form, as the verifier reads
 * it). 0, or -1 with r (the article that grounds the refusal). */
int proxy_rules_check(struct mctx *c, const struct mrow *m, bool paper,
    uint64_t ts, uint64_t at, struct mreply *r) WUR;

/* The API's refusal for an engine's reason (ct_reason_code). */
const char *proxy_reason_error(const char *reason);
/* The body's proxy conditions as the phone and the desk show them:
 * {allowed, cap (null: unlimited), holder_present, digital, deadline,
 * article}; NULL when the body has no rules. */
json_t *proxy_conditions_of(struct mctx *c, const struct mrow *m);

/* Proxies as the statutes engine reads them, with their members. */
struct proxy_facts {
	struct ct_proxy *px;	/* giver and holder borrow f's ids */
	int64_t *giver, *holder;	/* member ids */
	int64_t *ts;		/* the signed time (Unix seconds) */
	bool *paper;		/* entered by the desk */
	int64_t *redist;	/* the president's redistribution: member
				 * id, or 0 (proxy_redistribute.c) */
	size_t n;
};
void proxy_facts_free(struct proxy_facts *pf);
/* The proxies of sql's rows (giver, holder, ts, channel, redistribution
 * target member or NULL; bound to the meeting ?1 and ?2) as the engine
 * reads them, over f's members. 0, or -1. */
int proxy_facts_query(struct store *st, const char *sql,
    const struct mrow *m, const char *qid, const struct facts *f,
    struct proxy_facts *pf) WUR;

/* ---- proxy_draw.c: the random reassignment (Espace+ art. 4) ---- */

/* f's draw inputs from the meeting's record (facts_load). 0, or -1. */
int proxy_draw_load(struct store *st, const struct mrow *m,
    struct facts *f) WUR;
/* Gives f's draw inputs to the engine (facts_meeting). */
void proxy_draw_meeting(const struct facts *f, struct ct_meeting *cm);

/* A voter of the meeting's roll by member number, with an active
 * credential: OUT member id and pk. 0, or -1 (proxy_paper.c). */
int member_by_no(struct store *st, const char *meeting, const char *no,
    int64_t *id, uint8_t pk[32]) WUR;

/* ---- draw_pool.c: a draw by lot of the statutes (A-IMI art. 9) ---- */

/* Whether the meeting's record may hold the draw's seed: the body
 * reassigns an absent holder's proxies at random, or a draw.pool is
 * declared. */
bool draw_seed_provided(struct mctx *c, struct store *st,
    const struct mrow *m);
/* The draws by lot declared, for the meeting view: [{id, draw, label,
 * article, pool: [{member, name}], drawn: [{member, name}] (once
 * drawn)}]. */
json_t *draws_json(struct mctx *c, struct store *st, const struct mrow *m);

/* ---- draw_seed.c: the seed with the scrutineers' contributions ---- */

/* When the meeting starts, inside its transaction, where the body
 * reassigns at random: draw.closed, and draw.seed at once when no
 * scrutineer committed. 0, or -1. */
int proxy_draw_seed(struct mctx *c, struct store *st, const struct mrow *m)
    WUR;
/* Before a question opens: where the draw is closed and its seed waits
 * for reveals, and the engine needs the seed for the proxies in force,
 * -1 with r set (draw_pending, naming the scrutineers awaited); else 0. */
int draw_pending_check(struct mctx *c, const struct mrow *m,
    struct mreply *r) WUR;
/* For the member of credential pk, where the body reassigns at random:
 * {"volunteered", "closed" (the start closed the draw: no more
 * volunteering), "seeded", "declined", "drawn" (the engine's draw gives
 * the member a proxy now), "article"}; NULL otherwise. */
json_t *proxy_draw_json(struct mctx *c, const struct mrow *m,
    const uint8_t pk[32]);
/* The draw's state for the meeting view: {closed, seeded, commits,
 * reveals} (trustee indexes). */
json_t *draw_status_json(struct store *st, const struct mrow *m);
/* The proxies in force at q's opening, in the order given, over f's
 * members (for the count). 0, or -1. */
int proxy_opening_facts(struct store *st, const struct mrow *m,
    const char *qid, const struct facts *f, struct proxy_facts *pf) WUR;
/* The proxies in force now (given, not withdrawn), in the order given,
 * over f's members (the live quorum). 0, or -1. */
int proxy_current_facts(struct store *st, const struct mrow *m,
    const struct facts *f, struct proxy_facts *pf) WUR;
/* At q's opening, inside its transaction (after opening_attendance):
 * the engine's standing of each proxy in force, kept. 0, or -1. */
int proxy_opening(struct mctx *c, struct store *st, const struct mrow *m,
    const struct qrow *q) WUR;
/* A ballot of member voice's voice signed by member signer on qid:
 * 0 when the proxies allow it, or -1 with r. */
int proxy_ballot_check(struct mctx *c, const struct mrow *m,
    const char *qid, int64_t voice, int64_t signer, struct mreply *r) WUR;
/* The voice pk of member's mandates: its own, then each proxy it holds
 * with its standing on the open questions and the receipts of the
 * ballots already cast for that voice ("voted"). */
json_t *proxy_mandates_json(struct mctx *c, const struct mrow *m,
    int64_t member, const uint8_t pk[32]);

/* ballot.c: {"qid": "<receipt hex>"} of the ballots cast for voice. */
json_t *ballot_receipts_json(struct store *st, const char *meeting,
    const uint8_t voice[32]);
/* ---- mailin_vote.c: mail-in ballots and the fallback holder ---- */

/* The mailin.opened payload of the meeting's record (owned), or NULL. */
json_t *mailin_window_load(struct store *st, const char *meeting);
/* 1 when qid is a motion the mail-in window published, else 0. */
int mailin_question_published(struct store *st, const char *meeting,
    const char *qid);
/* mailin_view.c: what the phone shows. The window in the meeting's view
 * ({opened_at, closes_at, open, questions, fallback, article}), or NULL
 * when none. */
json_t *mailin_view_json(struct mctx *c, const struct mrow *m);
/* A member's mail-in ballots and fallback holder ({voted: {qid:
 * receipt}, fallback: {pk, name} | null}), or NULL when the meeting has
 * no window. */
json_t *mailin_voter_json(struct mctx *c, const struct mrow *m,
    int64_t member);
/* A mail-in ballot looked up by its receipt rc (GET …/receipts/{r},
 * when the room's box has none): {receipt, question, at, mail_in: true,
 * accepted: null before the question opens, else whether the statutes
 * engine counts it there, reason when not}, or NULL when none. */
json_t *mailin_receipt_json(struct store *st, const char *meeting,
    const uint8_t rc[32], const char *rhex);
/* Appends to a (proxy_mandates_json) the fallback mandates member
 * holds: {voice, kind "fallback", name, questions: {qid: {accepted,
 * article, reason?}}} on the open questions. */
void mailin_mandates_add(struct mctx *c, const struct mrow *m,
    int64_t member, json_t *a);

/* f's mail-in voters (struct facts mail), from the roll's mail-in
 * tables, as the record holds them. 0, or -1. */
int mailin_facts_load(struct store *st, const struct mrow *m,
    struct facts *f) WUR;
/* Gives f's mail-in voters to the engine (facts_meeting). */
void mailin_facts_meeting(const struct facts *f, struct ct_meeting *cm);
/* At q's opening, inside its transaction: the engine's standing res of
 * each of f's mail-in voters, kept (opening_mailin). 0, or -1. */
int mailin_opening_store(struct store *st, const struct mrow *m,
    const char *qid, const struct facts *f, const struct ct_result *res)
    WUR;
/* result.c: a stored ballot body b of q added to the close's totals
 * (secret) or counts (open). 0, or -1 (unreadable). */
int close_ballot_add(const struct qrow *q, const uint8_t *b, size_t bl,
    uint8_t *totals, uint64_t *counts) WUR;
/* At q's close: the mail-in ballots the opening accepted added to the
 * totals (secret) or counts (open) and to *n. 0, or -1. */
int mailin_close_add(struct store *st, const struct mrow *m,
    const struct qrow *q, uint8_t *totals, uint64_t *counts, int64_t *n)
    WUR;
/* At q's opening, after mailin_opening_store, on a motion added on the
 * day where the statutes give a mail-in voter's voice to the fallback
 * holder named (ANIMT art. V): the engine's decision for each (cm the
 * meeting with the proxies in force), kept. 0, or -1. */
int mailin_fallback_opening(const struct profile *p, struct store *st,
    const struct mrow *m, const struct qrow *q, const struct facts *f,
    const struct ct_meeting *cm) WUR;
/* A ballot of voice signed by signer on qid under a fallback mandate:
 * 1 when the engine gave voice's voice there to signer at the opening,
 * -1 with r when signer is voice's fallback holder but the engine did
 * not (why, with the article), 0 when it is no fallback mandate. */
int mailin_fallback_check(struct mctx *c, const struct mrow *m,
    const char *qid, int64_t voice, int64_t signer, struct mreply *r);
/* A room ballot of member voice on qid: 0, or -1 with r (voted_by_mail:
 * its mail-in ballot counts there). */
int mailin_room_check(struct store *st, const struct mrow *m,
    const char *qid, int64_t voice, struct mreply *r) WUR;
/* A published question's spec may change only in triggers and recused
 * (docs/record.md mailin.opened): 0, or -1 with r (mailin_published). */
int mailin_spec_check(struct store *st, const char *meeting,
    const char *qid, const json_t *spec, struct mreply *r) WUR;
/* ballot.c: a ballot body of doc for question q (secret or open) into j,
 * with its receipt. 0, or -1 with r. */
int meeting_ballot_read(json_t *doc, const struct mrow *m,
    const struct qrow *q, struct ballot_job *j, struct mreply *r) WUR;

/* ---- proxy_redistribute.c: the president's redistribution ---- */

/* The SQL of the member the president redistributed proxy row p's
 * mandate to (its latest redistribution), or NULL. */
#define PROXY_REDIST_SQL "(SELECT r.holder FROM proxy_redistributions r" \
	" WHERE r.proxy = p.id ORDER BY r.id DESC LIMIT 1)"
/* The member the president redistributed giver's proxy in force to,
 * or 0. */
int64_t proxy_redist_current(struct store *st, const char *meeting,
    int64_t giver);
/* For the president (APROGEMERE II): the mandates in excess the engine
 * would refuse now, and the members who may still take one; NULL for
 * any other member or body. */
json_t *proxy_redist_json(struct mctx *c, const struct mrow *m,
    int64_t member);
void api_redistribute(struct mctx *c, const struct mrow *m,
    const struct api_call *call, struct mreply *r);

int opening_present(struct store *st, const char *meeting, const char *qid,
    int64_t member_id);

/* ---- question.c: a question, its status, the engine's reading ---- */

/* qdigest.c — the question digest (docs/protocol.md §5.7, scrutin/2).
 * m_protocol2: 1 when the meeting's record is of scrutin/2, 0 when of
 * scrutin/1 or absent, -1 on error. q_opened_payload: the question's
 * content as the record carries it (question.opened, else the mail-in
 * window's published payload), or NULL. q_digest_set: binds q->bq to
 * that content's digest in a scrutin/2 record (0; 0 too in a scrutin/1
 * record, nothing bound), 1 when the record holds no content for the
 * question (no ballot can commit to it), -1 on error. q_opened_set: onto a question's view
 * o, "opened" (that payload) and "qdigest" (hex), when there is one. */
int m_protocol2(struct store *st, const char *meeting);
/* The selection (n bytes) of a stored open-ballot statement b (bl
 * bytes): its 8th frame, before the question digest of scrutin/2; NULL
 * when b is not framed so. */
const uint8_t *open_ballot_selection(const uint8_t *b, size_t bl,
    uint32_t n);
json_t *q_opened_payload(struct store *st, const char *meeting,
    const char *qid);
int q_digest_set(struct mctx *c, const char *meeting, struct qrow *q);
void q_opened_set(struct store *st, const char *meeting, json_t *o);
int q_load(struct store *st, const char *meeting, const char *qid,
    struct qrow *q) WUR;
void q_free(struct qrow *q);
/* A question as served (docs/api.md "Question object"), with its rule's
 * labels when c gives the meeting's profile; the meeting's questions in
 * agenda order. */
json_t *q_json(struct mctx *c, struct store *st, const char *meeting,
    const char *qid);
json_t *questions_json(struct mctx *c, struct store *st, const char *meeting);
/* Sets "rule_label" and "rule_label_en" of spec's rule in body b on o (a
 * question, or its result); nothing when b or the rule is unknown. */
void q_labels_set(json_t *o, const json_t *spec, const struct pr_body *b);
int q_set_status(struct mctx *c, struct store *st, const char *meeting,
    const char *qid, const char *to, int64_t closes_at,
    const uint8_t *totals, size_t totals_len, int64_t ballots) WUR;
/* The engine's ct_question of a stored question spec (kind, rule,
 * on_agenda, seats, round; no totals): what the count and the secrecy
 * check share. Strings borrowed from qid and spec. */
void q_ct_question(const struct profile *p, const char *body,
    const char *qid, const json_t *spec, struct ct_question *cq);
/* server/recusal.c: the spec's recused members (member numbers, at most
 * cap, borrowed from spec) into ids and cq; their number. */
size_t q_ct_recused(const json_t *spec, const char **ids, size_t cap,
    struct ct_question *cq);
/* A ballot of member voice's voice signed by member signer on q: 0 when
 * neither is recused there (the signer only where the body says a
 * recused member cannot hold a proxy), or -1 with r (recused,
 * proxy_holder_recused). */
int recusal_ballot_check(struct mctx *c, const struct mrow *m,
    const struct qrow *q, int64_t voice, int64_t signer,
    struct mreply *r) WUR;
/* The engine's candidates of a stored election spec into cands (one per
 * spec candidate, at most 64) and cq: their votes from counts (NULL: 0)
 * and their candidacy dates on f's members. */
void q_ct_candidates(const json_t *spec, struct facts *f,
    const uint64_t *counts, struct ct_candidate *cands,
    struct ct_question *cq);
/* A question in the public record (any motion or election opened with a
 * record, secret or by show of hands; record_question_recordable):
 * only the voices present or remote at its opening vote, and the count
 * uses that attendance, as the verifier does (docs/record.md §7). */
int q_recorded(struct store *st, const char *meeting, const struct qrow *q);

/* ---- agenda.c: question specs ---- */

/* Question qid of meeting m loaded into q while it is pending and the
 * meeting not closed: 0, or -1 with r (question_unknown, wrong_phase)
 * and nothing to free. */
int q_pending_load(struct mctx *c, const struct mrow *m, const char *qid,
    struct qrow *q, struct mreply *r) WUR;
/* A pending question's new spec stored with its event kind and ev (one
 * transaction), notified and answered; r "unavailable" on failure. */
void q_pending_store(struct mctx *c, const char *mid, const char *qid,
    const json_t *spec, const char *kind, const json_t *ev,
    struct mreply *r);

/* ---- triggers.c: secret ballot or show of hands ---- */

/* A trigger's refusal: the error code (merrors), the field and, for a
 * trigger the statutes do not have, the body's secret-ballot article. */
struct trig_err {
	const char *code, *field, *article;
	char msg[200];
};
/* Adds the triggers object tin (NULL: none) of a new question to spec and
 * decides its secrecy there (q_triggers_merge, q_triggers_apply). */
int q_triggers_create(struct store *st, const struct profile *p,
    const struct mrow *m, const char *qid, json_t *tin, json_t *spec,
    struct trig_err *te) WUR;
/* 1 when spec asks for a show of hands ("secret": false) where the
 * statutes of body require a secret ballot (ct_secret_before), with OUT
 * *article the profile's article; 0 when allowed; -1 when the profile,
 * the body or the rule is unknown. */
int q_secret_required(const struct profile *p, const char *body,
    const char *qid, const json_t *spec, const char **article) WUR;
/* The unanimous wish for a show of hands spec records (triggers
 * "unanimous_show_of_hands" with "secret": false) against the attendance
 * now: it holds only when every member with a vote is present (A-IMI 12),
 * as ct_count checks it on the attendance at the opening. 0 when it holds
 * or spec has none; -1 with te: `no_unanimity` (naming the absent in
 * te->msg, with the body's article), or `unavailable`. */
int q_unanimity_check(struct store *st, const struct profile *p,
    const struct mrow *m, const json_t *spec, struct trig_err *te) WUR;

/* ---- bureau.c: the Bureau elected post by post (A-IMI 12) ---- */

/* The optional "post" and "president_post" of election entry in, checked
 * against body b and copied into the spec o; -1 with *code, *field, err. */
int q_post_make(const struct pr_body *b, const json_t *in, const char *qid,
    const char *kind, const char *rule, json_t *o, const char **code,
    const char **field, char *err, size_t errcap) WUR;
/* agenda.c: stores a new question with its question.add event in one
 * transaction, tells the live streams and answers with it. */
void q_add_reply(struct mctx *c, const struct mrow *m, const char *qid,
    json_t *spec, struct mreply *r);
/* agenda.c: the body of a question made from another (a second round,
 * a re-vote): only key (OUT *of) and an optional "id" and "title". */
int q_derived_fields(json_t *in, const char *key, const char **of,
    struct mreply *r) WUR;
/* revote.c: POST questions {"revote_of"}, the re-vote after a tie. */
void api_revote(struct mctx *c, const struct mrow *m, json_t *in,
    struct mreply *r);
/* 0 when a new president's post of election rule may be created in the
 * meeting; -1 with err when one is pending or elected; -2 on a storage
 * error. */
int q_president_free(struct store *st, const char *meeting, const char *rule,
    const char *qid, char *err, size_t errcap);
/* The Bureau's sequence (A-IMI 12): the member number of the president
 * elected by the counted president's post ("president_post") of election
 * rule in the meeting, into out; 1 found, 0 none, -1 on error. The count
 * gives it to the engine as ct_question.elected_president. */
int q_elected_president(struct store *st, const char *meeting,
    const char *rule, char out[65]) WUR;
/* The Bureau's sequence when q opens: 0 may open, 1 refused by the
 * statutes engine (its message in err), -1 on error. */
int q_sequence_check(struct store *st, const struct profile *p,
    const struct mrow *m, const struct qrow *q, struct st_msg *err);

/* ---- alternatives.c: alternative motions ---- */

/* A group id of alternative motions: 1 to 64 of [A-Za-z0-9_-]. */
int alt_group_valid(const char *g);
/* A motion's group of alternatives (spec "alternatives") accepts it: one
 * rule, none opened yet; -1 with *code and err. */
int alt_group_check(struct store *st, const char *meeting, const json_t *spec,
    const char **code, char *err, size_t errcap);
/* Once every motion of q's group of alternative motions is counted, the
 * group's outcome by the engine (ct_alternatives_pick), signed, stored,
 * recorded and notified. Nothing when q is in no group, a motion of it
 * is not counted yet or has no engine outcome, or the group is settled
 * already. -1 on a storage error. */
int alternatives_settle(struct mctx *c, struct store *st,
    const struct mrow *m, const struct qrow *q);
json_t *alternatives_json(struct store *st, const char *meeting);
/* agenda.c: inserts question qid with its question.add event (inside
 * a transaction); -1 with err when the id is taken. */
int q_insert(struct store *st, const char *meeting, const char *qid,
    json_t *spec, char *err, size_t errcap);
/* amendment.c: before motion q opens, where the body votes amendments
 * before their motion: -1 with r (amendment_pending) while one to it is
 * not counted; otherwise its spec gets "amended_by" (the adopted ones)
 * and "on_agenda" false when one was adopted, stored with a
 * question.amended event, and q->spec follows. 0 when q may open. */
int amend_open_check(struct mctx *c, const struct mrow *m, struct qrow *q,
    struct mreply *r) WUR;

/* ---- ballot.c: the ballot path ---- */

/* Drops the ballot path's cache (struct mctx vc); c may be NULL. */
void vc_drop(struct mctx *c);
/* A stored ballot's acknowledgement into r: its receipt, time and the
 * server's signature ("ballot-received"). */
void ballot_ack(struct mctx *c, struct ballot_job *j, struct mreply *r);

/* ceremony.c */
json_t *election_json(struct store *st, const struct mrow *m);
json_t *ceremony_json(struct store *st, const struct mrow *m);

/* result.c */
json_t *totals_json(struct store *st, const char *meeting, const char *qid);
/* Closes an open question: totals (secret) or the count (open). */
int question_close(struct mctx *c, struct store *st, const struct mrow *m,
    struct qrow *q, int64_t *ballots) WUR;

#endif

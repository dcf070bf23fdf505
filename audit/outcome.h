/*
 * outcome.h — the one bridge from audit/ to the statutes engine
 * (ballot-formats/): recompute a question's outcome and its French and
 * English sentences from the facts the record holds.
 *
 * The record never names a member: the engine sees each member as the
 * first 16 hex digits of their (first) credential key, with only the
 * facts the statutes need (category, dues paid, the president; a
 * candidate's declaration date), the attendance and the proxies at the
 * question's opening, and the decrypted counts (and, for a show of
 * hands, how the president voted). Trusts ballot-formats/ (profile_load, ct_count,
 * phrase_question).
 */
#ifndef SCRUTIN_AUDIT_OUTCOME_H
#define SCRUTIN_AUDIT_OUTCOME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "crypto/error.h"

typedef struct audit_statutes audit_statutes;
struct ct_quorum_override;
struct ct_proxy;
struct pr_proxies;
struct pr_body;
struct ct_mail_in;
struct pr_mail_in;

enum audit_presence { AUDIT_ABSENT = 0, AUDIT_PRESENT = 1, AUDIT_REMOTE = 2 };

struct audit_member {
	char id[17];			/* pseudonym: 16 hex digits */
	const char *category;		/* borrowed */
	int dues_paid;			/* 1 yes, 0 no, -1 unknown */
	int adult;			/* at the meeting date: 1 an adult,
					 * -1 a minor, 0 unknown (the
					 * record holds no birth date) */
	int in_time;			/* registered by the roll freeze at
					 * the convocation: 1, -1 after it,
					 * 0 unknown (no registration date) */
	enum audit_presence presence;
	bool president;			/* credential.issued "president" */
};

/* How the president voted on a motion by show of hands (his casting
 * vote; the engine's enum ct_pvote, value for value). */
enum audit_pvote { AUDIT_PV_UNKNOWN = 0, AUDIT_PV_POUR, AUDIT_PV_CONTRE,
	AUDIT_PV_ABSTENTION, AUDIT_PV_NONE };

/* A proxy in force, in the order the proxies were given (the engine's
 * caps are first come, first served). Given for this meeting (assembly
 * date = the meeting's date), through the appliance (channel digital)
 * or entered by the desk from a paper proxy (paper), at ts (the signed
 * time, Unix seconds; < 0 unknown). */
struct audit_proxy {
	uint32_t giver, holder;		/* member indices */
	int64_t ts;
	bool paper;
	bool redistributed;		/* by the president (APROGEMERE II) */
	uint32_t redist_to;		/* then to this member index */
};

/* The meeting's scheduled start (the record's meeting event: "time",
 * "starts_at", docs/record.md §4): minutes past midnight on the
 * meeting's date, and the same instant in Unix seconds. has: both
 * known. */
struct audit_start {
	bool has;
	int32_t minutes;
	int64_t at;
};

/* The engine's standing of one proxy: accepted or not (reason: the
 * engine's ct_reason_code, e.g. "over_cap"), and the member who holds
 * it in effect (may differ from the named holder when the statutes
 * reassign it; UINT32_MAX when refused). */
struct audit_proxy_standing {
	bool accepted;
	uint32_t holder;
	char reason[32];
};

#define AUDIT_REQ_BUREAU 1u
#define AUDIT_REQ_CA     2u

struct audit_question_facts {
	const char *qid, *label;
	bool election;
	const char *rule;		/* decision or election id of the profile */
	bool on_agenda;
	bool amendment;			/* an amendment, or a motion as amended */
	uint32_t seats;
	uint32_t round;			/* election: 0 single round, 1 or 2 */
	size_t n;			/* choices */
	const uint64_t *counts;		/* n counts */
	const uint32_t *cand_member;	/* election: n member indices (the
					 * blank choice's is not read) */
	const char *const *cand_declared; /* election: n dates or NULL */
	const char *const *cand_label;	/* election: n names or NULL */
	const uint32_t *recused;	/* member indices recused (the record's
					 * question.opened "recused") */
	size_t n_recused;
	uint64_t ballots;		/* counted ballots */
	/* Election: the last choice is the blank vote. It is no candidate:
	 * the engine gets blank = its count and valid = ballots − blank
	 * (a blank ballot is not a valid expressed vote; the server's
	 * count, server/result.c, does the same). */
	bool blank_last;
	/* A motion: held by secret ballot (question.opened "secret"), and
	 * by show of hands how the president voted — his counted ballot's
	 * selection when he was present or remote at the opening,
	 * AUDIT_PV_NONE otherwise, AUDIT_PV_UNKNOWN when nobody is
	 * president. Given to the engine as the server's count gives them:
	 * the vote only where the rule has a casting vote. */
	bool held_secret;
	enum audit_pvote president_vote;
	/* The live secret-ballot triggers of the record's question.opened
	 * (docs/record.md): given to the engine as the server's count
	 * gives them. has_triggers: the record has the field. */
	bool has_triggers;
	/* unanimous_show_of_hands: every member present asked for a show of
	 * hands (A-IMI 12); the engine checks that every member with a vote
	 * was present at the opening, and a question held by show of hands
	 * (secret false) without that unanimity fails. */
	bool objection, unanimous_show_of_hands;
	bool secret;			/* question.opened's "secret" */
	unsigned requested_by;		/* AUDIT_REQ_BUREAU | AUDIT_REQ_CA */
	bool has_askers;
	uint32_t askers;
	/* The Bureau's sequence (A-IMI 12; docs/record.md): question.opened's
	 * "post" (or NULL) and "president_post"; the result's "presided_by"
	 * (has_presided; presided: a member index, its label, and whether
	 * as the eldest); elected_president: the member index the earlier
	 * president's post of the same election elected (when
	 * has_elected_president). Zero: none of them.
	 * The record has no birth date: the eldest the record names is given
	 * to the engine as the eldest of the members present, and the engine
	 * must find that member presiding, as the server's count did. */
	const char *post;
	bool president_post;
	bool has_presided;
	uint32_t presided;
	const char *presided_label;
	bool presided_eldest;
	bool has_elected_president;
	uint32_t elected_president;
	/* OUT when not NULL: the member index elected to a president's post
	 * (UINT32_MAX when none). */
	uint32_t *elected_out;
	/* OUT when not NULL (an election; tied_out has n entries): which
	 * choices are candidates the engine leaves tied at the last seat
	 * (outcome tie_unresolved), and how many seats it filled. What a
	 * re-vote after the tie is checked against (docs/record.md). */
	bool *tied_out;
	uint32_t *filled_out;
	/* OUT when not NULL: the base of the percentages the statutes
	 * define (docs/api.md, the result object) — a motion's expressed
	 * votes, an election's valid ballots — and whether a motion's
	 * abstentions are among the expressed votes. */
	uint64_t *pct_base_out;
	bool *pct_abstention_out;
	/* OUT when has_triggers and not NULL: why the question was held by
	 * secret ballot or show of hands (phrase_secrecy, malloc'd; "" when
	 * no trigger decided it). */
	char **why_fr, **why_en;
};

/* Loads the profile text and selects the body. -1 with a message. */
int audit_statutes_load(audit_statutes **out, const char *text, size_t len,
    const char *profile_id, const char *body, char *err, size_t errlen)
    SCRUTIN_WUR;
void audit_statutes_free(audit_statutes *s);
/* The profile's name and its body's label (never NULL). */
const char *audit_statutes_name(const audit_statutes *s);
const char *audit_statutes_body_label(const audit_statutes *s);

/* What people read (docs/profiles.md "Labels"), for the minutes: a
 * decision's (election false) or an election's French label and
 * article; NULL when the body has no such rule. The strings are s's. */
const char *audit_statutes_rule_label(const audit_statutes *s, bool election,
    const char *rule, const char **article);
/* The article of the body's proxy rules (« V »), NULL when unknown. */
const char *audit_statutes_proxy_article(const audit_statutes *s);
/* The body's recusal article (« 7 »), or NULL when it names none. */
const char *audit_statutes_recusal_article(const audit_statutes *s);
/* Whether the body's rule (a decision, or an election) admits a recusal
 * (ANIMT XI, Espace+ 7); *cannot_hold (when not NULL): a recused member
 * cannot hold a proxy on that question. */
bool audit_statutes_recusal(const audit_statutes *s, bool election,
    const char *rule, bool *cannot_hold);

/* The meeting's own quorum, for a profile whose body leaves it to the
 * meeting (quorum rule meeting_sets), as the server stores it and the
 * record's meeting event carries it (docs/record.md §4): the string
 * "none" (the meeting states there is none), or {"counts": [present |
 * remote | represented | mail_in | internet, ...], "fraction": "a/b"
 * (0 < a/b <= 1, b <= 1000), "compare": at_least | more_than,
 * "rounding": none | floor | ceil, optional "plus" (0..1000),
 * "second_convocation": none | no_quorum}, no other key. OUT *out.
 * -1 with a message when malformed. */
int audit_quorum_parse(const json_t *j, struct ct_quorum_override *out,
    char *err, size_t errlen) SCRUTIN_WUR;
/* The article of the body's second convocation without quorum (A-IMI
 * art. 9, APROGEMERE II): the profile's quorum `second_convocation:
 * {quorum: no_quorum}`, or, where the profile leaves the quorum to the
 * meeting, the meeting's own quorum's (qo, NULL when none given: "—").
 * NULL when the body has no second convocation (no quorum at all, or
 * none provided). The server refuses `meeting create
 * --second-convocation` and the verifier the meeting event's
 * `second_convocation` on the same answer. */
const char *audit_second_convocation_article(const struct pr_body *b,
    const struct ct_quorum_override *qo);
/* A second convocation (the record's meeting event
 * `second_convocation`): given to the engine with every count
 * (ct_meeting.second_convocation). -1 when the body has none
 * (audit_second_convocation_article, on the quorum set so far); *article
 * (when not NULL) the article, or the body's quorum article on a
 * refusal. */
int audit_statutes_set_second(audit_statutes *s, const char **article)
    SCRUTIN_WUR;
/* Gives the statutes the meeting's quorum (audit_quorum_parse). */
int audit_statutes_set_quorum(audit_statutes *s, const json_t *j,
    char *err, size_t errlen) SCRUTIN_WUR;

/* The meeting's standing at a question's opening, before any vote:
 * OUT st[n_proxies] (each proxy's standing) and *fr, *en (malloc'd, the
 * engine's quorum sentence, phrase_quorum). -1 with a message when the
 * engine refuses the facts (too many members, a fact the statutes need
 * is missing…). */
int audit_standing_compute(const audit_statutes *s, const char *date,
    const struct audit_member *members, size_t n_members,
    const struct audit_proxy *proxies, size_t n_proxies,
    struct audit_proxy_standing *st, char **fr, char **en, char *err,
    size_t errlen) SCRUTIN_WUR;

/* A proxy of the record as the statutes engine reads it (struct
 * ct_proxy, ballot-formats/count.h): for the assembly of date (days
 * since the epoch; the statement is bound to meeting_id, whose meeting
 * event names the date), channel paper or digital, submitted at ts (Unix
 * seconds; < 0 unknown) read as the engine's minutes
 * (audit_proxy_minutes). giver and holder are borrowed. The one reading
 * of a proxy, shared by the verifier and the appliance's standing at a
 * question's opening (server/proxy.c). */
void audit_proxy_engine(struct ct_proxy *out, const char *giver,
    const char *holder, bool paper, int32_t date,
    const struct audit_start *start, int64_t ts);

/* ts (Unix seconds) as the engine's minutes (ct_proxy.submitted: the
 * minutes of date*1440 + start_minutes on the meeting's clock): with a
 * start, date*1440 + start->minutes + floor((ts − start->at) / 60), so
 * that the deadline (date*1440 + start − N) falls N minutes before
 * starts_at whatever the appliance's time zone; without one, ts / 60. */
int64_t audit_proxy_minutes(int32_t date, const struct audit_start *start,
    int64_t ts);

/* The form of a proxy under the body's proxy rules x, as the engine
 * reads it (proxy_form_check): NULL when it may stand, or the refusal:
 * "proxy_channel" (x's channels exclude paper or digital),
 * "proxy_no_start" (x sets a deadline and the start is unknown),
 * "proxy_deadline" (submitted after the deadline). */
const char *audit_proxy_form(const struct pr_proxies *x, bool paper,
    int32_t date, const struct audit_start *start, int64_t ts);

/* The meeting's start, for the engine (ct_meeting.start) and the
 * proxies' deadline: minutes past midnight on the meeting's date,
 * starts_at the same instant in Unix seconds. */
void audit_statutes_set_start(audit_statutes *s, int32_t minutes,
    int64_t starts_at);
/* The convocation's date (roll.frozen "convocation_date", days since
 * the epoch): the engine's ct_meeting.convocation_date, the roll
 * freeze. */
void audit_statutes_set_convocation(audit_statutes *s, int32_t day);
/* The random reassignment of an absent holder's proxies (Espace+ art.
 * 4, profile proxies.absent_holder random_reassignment): the seed (the
 * record's draw.seed), the members who volunteer, in the order they
 * volunteered, and those who declined (pseudonyms), given to the engine
 * with every standing and count (ct_meeting.seed, volunteers,
 * declined). The arrays are borrowed until the next call. */
void audit_statutes_set_draw(audit_statutes *s, bool has_seed, uint64_t seed,
    const char *const *volunteers, size_t n_volunteers,
    const char *const *declined, size_t n_declined);
/* The mail-in voters (docs/record.md mailin.ballot: the members with a
 * mail-in ballot, each with the fallback holder they named or NULL),
 * given to the engine with every standing and count (ct_meeting.mail_in);
 * the list is borrowed until the next call. accepted_out (n entries, or
 * NULL): each one's standing, written by every audit_standing_compute
 * (the engine refuses a mail-in voter who is present, giver_present). */
void audit_statutes_set_mail_in(audit_statutes *s,
    const struct ct_mail_in *list, size_t n, bool *accepted_out);
/* The body's mail-in rules (allowed, agenda_only, fallback_proxy,
 * article), or NULL. */
const struct pr_mail_in *audit_statutes_mail_rules(const audit_statutes *s);
/* Whether s's body reassigns an absent holder's proxies at random. */
bool audit_statutes_reassigns(const audit_statutes *s);
/* The draw's seed (docs/record.md draw.seed): the first 8 bytes, read
 * little-endian, of H256("draw-seed", meeting_id, head, LE64 n, then
 * for each of the n scrutineers' contributions revealed, in trustee
 * order: LE64 trustee, value), head the record's head at the draw's
 * deadline (the parent of draw.closed). */
uint64_t audit_draw_seed(const char *meeting_id, const uint8_t head[32],
    size_t n, const uint32_t *trustee, const uint8_t (*value)[32]);
/* A scrutineer's commitment to a contribution (draw.commit "hash"):
 * H256("draw-contribution", meeting_id, LE64 trustee, value). */
void audit_draw_contribution(uint8_t out[32], const char *meeting_id,
    uint32_t trustee, const uint8_t value[32]);

/* A draw of the statutes (profile `draws`, ballot-formats/draw.c; A-IMI
 * art. 9, the third of the administrators up for renewal): the
 * engine's draw `draw` of meeting m's body over pool (the members'
 * engine ids, in the order declared) with seed. OUT *drawn (malloc'd,
 * caller frees) the pool's positions drawn, in the order drawn, and
 * *n_drawn. -1 with a message when the engine refuses (no such draw,
 * a member not on the roll or twice, a share that is not whole). The
 * one computation the appliance and the verifier share. */
struct profile;
struct ct_meeting;
int audit_draw_pick(const struct profile *p, const struct ct_meeting *m,
    const char *draw, const char *const *pool, size_t n_pool,
    uint64_t seed, size_t **drawn, size_t *n_drawn, char *err,
    size_t errlen) SCRUTIN_WUR;
/* The same from the record's facts (the verifier): members and the
 * meeting's date as audit_outcome_compute takes them, pool as indexes
 * into members. */
struct audit_member;
int audit_statutes_draw(const audit_statutes *s, const char *date,
    const struct audit_member *members, size_t n_members, const char *draw,
    const size_t *pool, size_t n_pool, uint64_t seed, size_t **drawn,
    size_t *n_drawn, char *err, size_t errlen) SCRUTIN_WUR;
/* Whether s is a draw's id (draw.pool "id"): 1–64 bytes of
 * [A-Za-z0-9._-]. */
bool audit_draw_id_ok(const char *s);
/* Whether a motion published for the mail-in vote may carry field key at
 * its opening though the window did not publish it (docs/record.md
 * mailin.opened): the live secret-ballot triggers, the recused members,
 * and its group of alternative motions (ANIMT IV: an amendment made on
 * the day an alternative motion, the published text is still voted as
 * published, the mail-in ballots with it). */
bool audit_mailin_added_ok(const char *key);
/* The draw `draw` of s's body: its label and article (borrowed), or -1
 * when the statutes provide none. */
int audit_statutes_draw_rule(const audit_statutes *s, const char *draw,
    const char **label, const char **article);

/* The form of a proxy of the record under s's body (audit_proxy_form):
 * NULL, or the refusal; OUT *article the rule's article (s's). */
const char *audit_statutes_proxy_form(const audit_statutes *s,
    const char *date, bool paper, int64_t ts, const char **article);

/* The alternatives rule of the statutes' body (ct_alternatives_pick)
 * over n motions, each already counted: adopted[k] (its outcome was
 * "adopted") and pour[k]. OUT code (ct_outcome_code: winner,
 * none_approved, tie_unresolved) and *winner (index, or SIZE_MAX). -1
 * with a message when the body has no such rule or a count is above the
 * engine's caps. */
int audit_alternatives_pick(const audit_statutes *s, const bool *adopted,
    const uint64_t *pour, size_t n, char code[40], size_t *winner,
    char *err, size_t errlen) SCRUTIN_WUR;

/* Amendments in the body (profile `amendments`): its mode, and whether
 * it admits one with `sup` supporters (has_sup false: none given; the
 * engine's ct_amendment_admit). 0 with *mode; -1 with the engine's
 * sentence in fr and en (each cap bytes). */
enum { AUDIT_AMEND_NONE, AUDIT_AMEND_BEFORE_MOTION, AUDIT_AMEND_ALTERNATIVE };
int audit_statutes_amendment(const audit_statutes *s, bool has_sup,
    uint32_t sup, int *mode, char *fr, char *en, size_t cap) SCRUTIN_WUR;
int audit_statutes_amendment_mode(const audit_statutes *s);
/* Whether an amendment with the result outcome code amends its motion
 * (ct_amendment_carried: adopted only). */
bool audit_amendment_carried(const char *outcome);

/* OUT code (ct_outcome_code), *fr and *en (malloc'd sentences, caller
 * frees). date: the meeting's "YYYY-MM-DD". -1 with a message when the
 * engine refuses the facts. */
int audit_outcome_compute(const audit_statutes *s, const char *date,
    const struct audit_member *members, size_t n_members,
    const struct audit_proxy *proxies, size_t n_proxies,
    const struct audit_question_facts *q, char code[40], char **fr,
    char **en, char *err, size_t errlen) SCRUTIN_WUR;
/* At q's opening (counts, ballots not read): for each of the mail-in
 * voters audit_statutes_set_mail_in gave, whether the engine gives
 * their voice on q to the fallback holder they named (ANIMT art. V: a
 * motion added on the day, the holder there and within his cap), into
 * counts[k]. 0, or -1 with err. */
int audit_fallback_compute(const audit_statutes *s, const char *date,
    const struct audit_member *members, size_t n_members,
    const struct audit_proxy *proxies, size_t n_proxies,
    const struct audit_question_facts *q, bool *counts, char *err,
    size_t errlen);

#endif

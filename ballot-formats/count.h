/*
 * count.h — the counting library of the statutes engine: pure logic, no
 * I/O, no cryptography. From a profile (profile.h) and the facts of one
 * meeting — the roll, attendance, proxies, mail-in and internet voters —
 * and each question's totals (or named open votes), it computes:
 *
 *   - every member's standing and every proxy's, with a reason for each
 *     refusal (ct_reason);
 *   - the quorum: who counts, the threshold with the profile's rounding,
 *     and the consequence;
 *   - each question's outcome: motions under their majority rule,
 *     alternative motions, elections (plurality, threshold with
 *     cooptation, two rounds, tie-break chains, Bureau sequence) and
 *     random draws, and whether the vote had to be secret.
 *
 * The server builds these structs in memory; tools load them from a
 * scenario file (scenario.h). Strings are borrowed: the caller keeps them
 * alive until ct_result_free. Arithmetic is exact: thresholds are integer
 * and rational comparisons, never floating point.
 *
 * Failure: ct_count returns -1 with a message in French and English
 * naming the item (id, and its source line in err.line when known) when
 * the facts are inconsistent (a total above the voices, an unknown
 * member) or when the profile leaves the case unsettled. It never
 * guesses.
 *
 * Usage:
 *     struct ct_result r;
 *     struct st_msg err;
 *     if (ct_count(profile, &meeting, questions, nq, &r, &err) != 0)
 *         ... refuse, show err.fr (or err.en) ...
 *     ... read r (or report_json / phrase_*), then ct_result_free(&r);
 */
#ifndef SCRUTIN_STATUTES_COUNT_H
#define SCRUTIN_STATUTES_COUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballot-formats/profile.h"

#define CT_MAX_MEMBERS   100000u
#define CT_MAX_PROXIES   100000u
#define CT_MAX_QUESTIONS 1000u
#define CT_MAX_CANDS     200u
#define CT_MAX_VOTES     10000000u
#define CT_NONE          SIZE_MAX
#define CT_HOLDER_CA     "@ca"     /* a proxy given to the CA (A-IMI 9) */

enum ct_tri { CT_UNKNOWN = -1, CT_NO = 0, CT_YES = 1 };

/* Roles a member holds (bit flags). */
#define CT_ROLE_PRESIDENT 1u
#define CT_ROLE_BUREAU    2u
#define CT_ROLE_CA        4u

struct ct_enrolment {
	const char *group;
	int32_t since;
};

/* One member of the roll. Optional facts have a has_ flag or CT_UNKNOWN;
 * the engine asks for a fact only when a rule needs it, and refuses the
 * count (error) when it is missing then. */
struct ct_member {
	const char *id;                 /* unique */
	const char *name;               /* for sentences; NULL: the id */
	const char *category;           /* a category of the body */
	/* Dues at the vote date (ct_dues_standing): paid until a day
	 * (included), or the last payment under the profile's period, or
	 * the caller's true/false where the profile needs no date. */
	int dues_paid;                  /* enum ct_tri */
	bool has_dues_until;  int32_t dues_until;
	bool has_dues_paid_on; int32_t dues_paid_on;
	bool has_registered;  int32_t registered;   /* joined the roll */
	bool has_validated;   int32_t validated;    /* validated (Espace+ 5) */
	bool has_birth;       int32_t birth;
	const char *zone;               /* home zone (groups) */
	size_t n_enrolments;
	const struct ct_enrolment *enrolments;
	unsigned roles;                 /* CT_ROLE_* */
	const char *region;             /* inter-region (ANIMT VIII) */
	const char *city;
	int city_referent;              /* enum ct_tri: "interne référent de ville" */
	int32_t semesters;              /* -1: unknown */
	const char *sex;                /* NULL: unknown */
	bool has_declared;    int32_t declared;     /* candidacy declared on */
	bool declared_at_meeting;       /* candidacy declared during the meeting */
	unsigned line;                  /* source line, 0 if none */
};

enum ct_presence { CT_ABSENT = 0, CT_PRESENT, CT_REMOTE };

struct ct_proxy {
	const char *giver;
	const char *holder;             /* NULL: blank proxy; CT_HOLDER_CA */
	bool has_assembly_date; int32_t assembly_date;
	unsigned channel;               /* PR_CHANNEL_*, 0 unknown */
	bool has_submitted;   int64_t submitted;    /* minutes since epoch */
	const char *redistribute_to;    /* president's redistribution */
	unsigned line;
};

struct ct_mail_in {
	const char *voter;
	const char *fallback_holder;    /* NULL: none named */
	unsigned line;
};

struct ct_quorum_override {        /* profile quorum: meeting_sets */
	bool none;                      /* the meeting states there is none */
	unsigned counts;
	struct pr_threshold t;
	bool second_no_quorum;
};

enum ct_group_kind { CT_GROUP_REGIONAL, CT_GROUP_THEMATIC };

struct ct_meeting {
	const char *body;               /* body id in the profile */
	int32_t date;                   /* the vote date */
	bool has_start;  int32_t start_minutes;      /* start time on date */
	bool has_convocation_date; int32_t convocation_date;
	bool second_convocation;
	bool has_quorum_override; struct ct_quorum_override quorum;
	const char *group;              /* group meeting (zone filter) */
	enum ct_group_kind group_kind;
	bool has_seed;   uint64_t seed; /* random reassignment */
	size_t n_volunteers; const char *const *volunteers;
	/* Drawn for a reassigned proxy, these members decline it: each time
	 * one is drawn, the draw goes on without them (Espace+ 4, « qui
	 * accepte la procuration »). */
	size_t n_declined; const char *const *declined;
	size_t n_members;   const struct ct_member *members;
	const enum ct_presence *presence;            /* n_members entries */
	size_t n_proxies;   const struct ct_proxy *proxies;
	size_t n_mail_in;   const struct ct_mail_in *mail_in;
	size_t n_internet;  const char *const *internet;
	unsigned internet_line;
};

enum ct_kind { CT_Q_MOTION, CT_Q_ALTERNATIVES, CT_Q_ELECTION, CT_Q_DRAW };
enum ct_choice { CT_POUR = 0, CT_CONTRE = 1, CT_ABSTENTION = 2 };

struct ct_totals {
	uint32_t v[3];                  /* indexed by enum ct_choice */
};

/* How the president voted on a motion, for his casting vote at a tie
 * (profile casting_vote). Zero: not given. */
enum ct_pvote { CT_PV_UNKNOWN = 0, CT_PV_POUR, CT_PV_CONTRE, CT_PV_ABSTENTION,
	CT_PV_NONE /* did not vote */ };

struct ct_open_vote {              /* show of hands, by name */
	const char *voice;              /* the member whose voice this is */
	const char *choice;             /* motion: pour/contre/abstention; election: candidate */
	unsigned line;
};

struct ct_alternative {
	const char *id;
	const char *label;
	struct ct_totals totals;
	unsigned line;
};

struct ct_candidate {
	const char *id;                 /* a member of the roll */
	uint32_t votes;
	/* The question of this meeting that decides the candidate's
	 * exception to the seniority rule (Espace+ 5): a motion under the
	 * profile's waiver decision, counted before the election. NULL:
	 * none. */
	const char *seniority_exception;
	unsigned line;
};

struct ct_sex_count {
	const char *sex;
	uint32_t count;
};

struct ct_question {
	const char *id;
	const char *label;
	enum ct_kind kind;
	unsigned line;
	/* motions and alternatives */
	const char *decision;
	bool on_agenda;
	/* An amendment to a motion, or a motion voted as amended
	 * (amendment.c): added on the day (on_agenda false, so mail-in
	 * votes do not count on it), yet within the agenda item it amends,
	 * so a rule's off_agenda: false does not bar it. */
	bool amendment;
	unsigned escalated_by;          /* PR_REQ_*; 0 none */
	size_t n_recused; const char *const *recused;
	const char *college;            /* voters restricted to a college */
	/* The president's vote, for a casting vote at a tie: how he voted
	 * in a show of hands counted by totals, or, in a secret ballot under
	 * casting_vote_secret: declared, how he declared he voted. Named open
	 * votes give it themselves (none among them: CT_PV_NONE). */
	enum ct_pvote president_vote;
	bool held_secret;               /* held by secret ballot, also where not required */
	bool has_totals; struct ct_totals totals;
	size_t n_open; const struct ct_open_vote *open;
	size_t n_alts; const struct ct_alternative *alts;
	/* live secret-ballot triggers */
	bool objection;
	bool has_askers; uint32_t askers;
	unsigned requested_by;          /* PR_REQ_BUREAU / PR_REQ_CA */
	/* Every member present asked explicitly for a show of hands (the
	 * unanimous waiver, A-IMI 12): it holds only when every member with
	 * a vote is present (ct_count checks the attendance). */
	bool unanimous_show_of_hands;
	bool fraud_suspected;
	/* elections */
	const char *election;
	const char *post;
	const char *region;
	bool president_post;            /* Bureau sequence: this is the president */
	/* Bureau sequence, counted one question at a time (the live server
	 * and the verifier): the member elected to the president's post of
	 * the same election by an earlier count, who presides this post.
	 * Read only when no earlier question of qs elected the president;
	 * NULL: none. */
	const char *elected_president;
	uint32_t seats;
	uint32_t round;                 /* two_round: 1 or 2 */
	uint32_t valid, blank, null_ballots;
	size_t n_cands; const struct ct_candidate *cands;
	size_t n_cities; const char *const *represented_cities;
	bool has_board;                 /* board composition given (may be empty) */
	size_t n_board; const struct ct_sex_count *board;
	/* draws */
	const char *draw;
	size_t n_pool; const char *const *pool;
	bool has_seed; uint64_t seed;
};

enum ct_reason {
	CT_R_OK = 0,
	/* members */
	CT_R_CONSULTATIVE, CT_R_DUES, CT_R_FROZEN, CT_R_ZONE, CT_R_NOT_ENROLLED,
	CT_R_ENROLMENT_RECENT, CT_R_MINOR,
	/* proxies, mail-in, internet */
	CT_R_PROXY_NOT_ALLOWED, CT_R_CHANNEL, CT_R_MISSING_DATE, CT_R_WRONG_DATE,
	CT_R_MISSING_HOLDER, CT_R_AFTER_DEADLINE, CT_R_GIVER_NOT_VOTER,
	CT_R_GIVER_PRESENT, CT_R_DUPLICATE, CT_R_SELF, CT_R_HOLDER_NOT_VOTER,
	CT_R_HOLDER_ABSENT, CT_R_OVER_CAP, CT_R_NO_VOLUNTEER, CT_R_NOT_REDISTRIBUTED,
	CT_R_TARGET_OVER_CAP, CT_R_TARGET_NOT_VOTER, CT_R_CA_NOT_ALLOWED,
	CT_R_MAIL_NOT_ALLOWED, CT_R_INTERNET_NOT_ALLOWED,
	/* per question */
	CT_R_HOLDER_RECUSED, CT_R_RECUSED, CT_R_MAIL_OFF_AGENDA, CT_R_NO_FALLBACK,
	CT_R_PRESENT_ONLY,
	CT_R_COUNT
};
const char *ct_reason_code(enum ct_reason r);      /* "over_cap" ... */

enum ct_mode { CT_MODE_ABSENT, CT_MODE_PRESENT, CT_MODE_REMOTE, CT_MODE_REPRESENTED,
	CT_MODE_MAIL_IN, CT_MODE_INTERNET };

struct ct_member_standing {
	bool voter;
	enum ct_reason reason;          /* why not a voter */
	enum ct_mode mode;
	bool quorum_base;               /* counted in the quorum's base */
	uint32_t held;                  /* proxies held (after redistribution) */
};

struct ct_proxy_standing {
	bool accepted;
	enum ct_reason reason;
	size_t holder;                  /* effective holder (member index) or CT_NONE */
	bool reassigned;                /* random reassignment (absent holder) */
	bool redistributed;             /* by the president */
	bool to_ca;                     /* given to the CA, held by its president */
	/* A random reassignment, accepted or not (no_volunteer): its rank
	 * among the meeting's (1, 2...: the generator runs on from
	 * meeting.seed across them, in the proxies' order), the pool drawn
	 * from (member indices, in the volunteers' order) and the members
	 * drawn who declined, in the order drawn. rank 0: none. */
	uint32_t rank;
	size_t n_pool; size_t *pool;
	size_t n_declined; size_t *declined;
};

struct ct_mail_standing {
	bool accepted;
	enum ct_reason reason;
};

enum ct_quorum_status { CT_QUORUM_NONE, CT_QUORUM_MET, CT_QUORUM_NOT_MET,
	CT_QUORUM_SECOND_NONE };

struct ct_quorum_result {
	enum ct_quorum_status status;
	uint32_t base, counted, required;
	uint32_t present, remote, represented, mail_in, internet;
	unsigned counts;
	struct pr_threshold t;
	bool meeting_set;
	bool second_no_quorum;          /* a failure leads to a second convocation without quorum */
	const struct pr_quorum *rule;
};

enum ct_outcome {
	CT_OUT_ADOPTED, CT_OUT_REJECTED, CT_OUT_REVOTE_NEXT_AG, CT_OUT_NEEDS_CASTING_VOTE,
	CT_OUT_CANNOT_DELIBERATE, CT_OUT_PROPOSE_REVOTE, CT_OUT_WINNER, CT_OUT_NONE_APPROVED,
	CT_OUT_TIE_UNRESOLVED, CT_OUT_ELECTED, CT_OUT_PARTLY_ELECTED, CT_OUT_NOBODY_ELECTED,
	CT_OUT_SECOND_ROUND, CT_OUT_DRAWN
};
const char *ct_outcome_code(enum ct_outcome o);

/* Secret-ballot reasons (bit flags). */
#define CT_SECRET_DEFAULT    1u
#define CT_SECRET_DECISION   2u
#define CT_SECRET_ELECTION   4u
#define CT_SECRET_OBJECTION  8u
#define CT_SECRET_BUREAU     16u
#define CT_SECRET_CA         32u
#define CT_SECRET_FRACTION   64u
#define CT_SECRET_WAIVED     128u   /* unanimous show of hands (not a reason: a waiver) */


struct ct_voices {
	uint32_t present, remote, represented, mail_in, internet, total;
	uint32_t members;               /* voters on the roll for this question */
};

struct ct_refusal {                /* a per-question refusal */
	size_t member;                  /* whose voice */
	enum ct_reason reason;
	size_t holder;                  /* for proxies, CT_NONE otherwise */
};

/* The president's casting vote at a tie under a rule that has one: it
 * went the way he voted, or why there was none (the tie then rejects). */
enum ct_casting {
	CT_CAST_NA = 0,                 /* no tie, or the rule has no casting vote */
	CT_CAST_USED,                   /* he voted pour or contre: the tie goes his way */
	CT_CAST_NEEDED,                 /* his vote is not given: needs_casting_vote */
	CT_CAST_NO_PRESIDENT,           /* nobody on the roll has the role president */
	CT_CAST_ABSENT,                 /* not there (in the room or remote) */
	CT_CAST_NO_VOICE,               /* there, but his voice is not cast here (no vote, recused) */
	CT_CAST_DID_NOT_VOTE,
	CT_CAST_ABSTAINED,
	CT_CAST_SECRET                  /* secret ballot, casting_vote_secret: tie_rejects */
};
const char *ct_casting_code(enum ct_casting c);   /* "used", "president_absent" ... */

struct ct_motion_eval {
	struct ct_totals totals;
	uint32_t expressed;
	uint32_t base;                  /* value of the rule's base */
	uint32_t required;              /* minimum pour (threshold rules) */
	enum ct_outcome outcome;
	bool casting_used;              /* casting == CT_CAST_USED */
	enum ct_casting casting;
	enum ct_pvote president_vote;   /* as given or in the named open votes */
	bool tie;
};

enum ct_tb_result { CT_TB_NOT_NEEDED, CT_TB_RESOLVED, CT_TB_UNRESOLVED };

/* Why a candidate on the ballot cannot be elected: short of the seniority
 * the profile requires, with an exception voted at the meeting possible
 * (Espace+ 5) but none named, not counted before the election (absent
 * from the count, or later), or not adopted. */
enum ct_ineligible { CT_INELIG_NONE, CT_INELIG_NO_EXCEPTION, CT_INELIG_EXCEPTION_NOT_COUNTED,
	CT_INELIG_EXCEPTION_REJECTED };
const char *ct_ineligible_code(enum ct_ineligible w);

struct ct_cand_result {
	size_t member;
	uint32_t votes;
	bool qualified;                 /* met the threshold (threshold / round 1) */
	bool elected;
	bool tied;                      /* in a tie at the last seat */
	bool coopt;                     /* on the cooptation list */
	uint32_t coopt_rank;            /* its place there (1 = best; equal votes, equal place) */
	int decided_by;                 /* tie-break criterion index, -1 none */
	enum ct_ineligible ineligible;  /* not CT_INELIG_NONE: never elected */
	const char *exception;          /* the question named for the exception, or NULL */
};

struct ct_question_result {
	const struct ct_question *q;
	enum ct_outcome outcome;
	struct ct_voices voices;
	unsigned secret;                /* CT_SECRET_* reasons; 0 = show of hands */
	bool secret_required;
	uint32_t askers_required;
	/* The unanimous waiver asked (q->unanimous_show_of_hands, where the
	 * body provides it): the members with a vote who were not there; any
	 * one of them leaves the vote secret. */
	bool unanimity_asked;
	size_t n_unanimity_absent; size_t *unanimity_absent;
	size_t n_refusals; struct ct_refusal *refusals;
	/* m->n_mail_in entries, or NULL: the member index of the holder
	 * through whom each mail-in voter's voice counts here (off the
	 * agenda, the fallback holder the voter named, within his cap),
	 * CT_NONE when it does not go to a holder */
	size_t *fallback;
	/* motions */
	const struct pr_decision *rule;
	bool escalated;
	struct ct_motion_eval m;
	/* alternatives */
	struct ct_motion_eval *alts;    /* n_alts entries */
	size_t winner;                  /* alternative index or CT_NONE */
	/* elections */
	const struct pr_election *erule;
	size_t n_cands; struct ct_cand_result *cands;  /* sorted by votes, desc */
	uint32_t ballots, required;
	uint32_t unfilled;
	enum ct_tb_result tiebreak;
	size_t presided_by;             /* Bureau sequence: member index */
	bool presided_by_eldest;
	/* draws */
	const struct pr_draw *drule;
	size_t n_drawn; size_t *drawn;
};

struct ct_result {
	const struct profile *profile;
	const struct pr_body *body;
	const struct ct_meeting *meeting;
	struct ct_member_standing *members;      /* n_members */
	struct ct_proxy_standing *proxies;       /* n_proxies */
	struct ct_mail_standing *mail_in;        /* n_mail_in */
	struct ct_mail_standing *internet;       /* n_internet */
	struct ct_quorum_result quorum;
	size_t n_questions;
	struct ct_question_result *questions;
};

int ct_count(const struct profile *p, const struct ct_meeting *m,
    const struct ct_question *qs, size_t nq, struct ct_result *out,
    struct st_msg *err) ST_WUR;
void ct_result_free(struct ct_result *r);

/* The members with a vote who are not there (present, or remote where it
 * counts as present), in r's standing (ct_count's, of the same meeting):
 * the unanimous wish for a show of hands needs every one of them (A-IMI
 * 12, « tous les administrateurs »). Writes up to max member indices to
 * absent (NULL: none) and returns their number. */
size_t ct_unanimity_absent(const struct ct_result *r, size_t *absent, size_t max);

/* Before a question is counted (when it is created or opened): whether
 * body b's statutes require q to be held by secret ballot, from q's kind,
 * its rule (decision, escalated as ct_count would, or election) and the
 * live triggers already in q (objection, requested_by,
 * unanimous_show_of_hands). The fraction trigger (request_fraction) needs
 * the members present and the askers: it is not decided here, only by
 * ct_count; nor is the attendance the unanimous waiver needs — q's
 * unanimous_show_of_hands is taken as holding (CT_SECRET_WAIVED): the
 * caller checks it with ct_unanimity_absent. OUT *why: the CT_SECRET_* reasons, as ct_count gives them;
 * secret required when *why is neither 0 nor CT_SECRET_WAIVED. OUT
 * *article: the profile's article for the reason (the rule's when the
 * rule itself is secret, the body's secret_ballot article otherwise).
 * Returns -1 with err when q's rule is not defined for b; 0 for a draw
 * (no reasons). */
int ct_secret_before(const struct pr_body *b, const struct ct_question *q, unsigned *why,
    const char **article, struct st_msg *err) ST_WUR;

/* The alternatives rule of a body (profile `alternatives: {rule:
 * most_pour}`, ANIMT IV): of n competing motions, each counted on its
 * own, the approved ones (adopted[k]) compete and the one with the most
 * pour (pour[k]) wins. OUT *winner: its index, or CT_NONE. Returns
 * CT_OUT_WINNER, CT_OUT_NONE_APPROVED, or CT_OUT_TIE_UNRESOLVED when two
 * approved motions share the highest pour. */
enum ct_outcome ct_alternatives_pick(const bool *adopted, const uint32_t *pour,
    size_t n, size_t *winner);

/* Whether body b admits an amendment to a motion (profile `amendments`,
 * ballot-formats/amendment.c): OUT *mode, the body's way (before_motion:
 * voted before its motion, which is then voted as amended; alternative:
 * the amended text is an alternative motion, ANIMT IV). A body without
 * amendments, or fewer supporting members than the profile requires
 * (has_supporters false: none given), is refused: -1 with why (French
 * and English, the article). */
int ct_amendment_admit(const struct pr_body *b, bool has_supporters,
    uint32_t supporters, enum pr_amend_mode *mode, struct st_msg *why);

/* Whether an amendment whose counted outcome code is `outcome` amends its
 * motion: only `adopted` does. */
bool ct_amendment_carried(const char *outcome);

/* Member mb's dues at the vote date `date` under rule d (a body's voters'
 * or candidates' dues_paid): CT_YES when paid until that day or later —
 * from mb's paid-until date, else from its last payment and the period
 * the profile states (paid until the day before the same date `period`
 * months later), else mb's true/false unless the profile checks a date;
 * CT_NO when not; CT_UNKNOWN when mb gives no fact the rule can use. */
int ct_dues_standing(const struct pr_dues *d, const struct ct_member *mb, int32_t date);
/* The last registration date the voters' roll freeze admits for a
 * convocation on that date (freeze not PR_FREEZE_NONE): the convocation
 * date itself, or the last day of the month before it. */
int32_t ct_freeze_cutoff(const struct pr_voters *v, int32_t convocation);

/* The smallest count that satisfies t against base (exact arithmetic). */
uint32_t ct_threshold_required(const struct pr_threshold *t, uint32_t base);

#endif

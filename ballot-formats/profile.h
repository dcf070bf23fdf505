/*
 * profile.h — the statutes profile: one association's voting rules, as
 * data. A profile names its bodies (ag, ca, bureau, a group meeting...),
 * and for each body: member categories, voter and candidate filters,
 * quorum, proxies, mail-in and internet voting, secret-ballot triggers,
 * the majority rule of every kind of decision, election methods and
 * random draws. Every rule carries the article of the text it encodes.
 *
 * The loader (profile_load) reads the YAML format of docs/profiles.md;
 * it refuses unknown keys, duplicate keys, wrong types, and any rule
 * left unsettled: nothing here has a silent default that could change a
 * result (only the words of a sentence may default: pr_subject, a second
 * round's source). The counting library (count.h) reads these structs
 * only.
 */
#ifndef SCRUTIN_STATUTES_PROFILE_H
#define SCRUTIN_STATUTES_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballot-formats/util.h"

#define PR_ID_MAX      48
#define PR_LABEL_MAX   160
#define PR_ARTICLE_MAX 96
#define PR_READING_MAX 1024
#define PR_MAX_BODIES  6
#define PR_MAX_CATS    16
#define PR_MAX_RULES   24
#define PR_MAX_TIEBREAK 8
#define PR_MAX_LIST    8
#define PR_UNLIMITED   UINT32_MAX

enum pr_rounding { PR_ROUND_NONE, PR_ROUND_FLOOR, PR_ROUND_CEIL };
enum pr_compare { PR_AT_LEAST, PR_MORE_THAN };

/* A threshold on a count: count COMPARE round(num/den * base) + plus,
 * never below `minimum`. Exact integer arithmetic (count.c). */
struct pr_threshold {
	uint32_t num, den;
	enum pr_rounding rounding;
	enum pr_compare compare;
	uint32_t plus;
	uint32_t minimum;
};

/* The base a majority is measured against. */
enum pr_base {
	PR_BASE_EXPRESSED,      /* pour + contre (+ abstention if expressed) */
	PR_BASE_VOICES,         /* voices present or represented (+ mail, internet) */
	PR_BASE_PRESENT,        /* members present in person (or remote-as-present) */
	PR_BASE_MEMBERS,        /* every member with a vote on the roll */
	PR_BASE_VALID_BALLOTS   /* elections: valid ballots */
};

/* Article and, where the text is ambiguous, the reading chosen. */
struct pr_source {
	char article[PR_ARTICLE_MAX];
	char reading[PR_READING_MAX];   /* "" when the text is plain */
};

struct pr_category {
	char id[PR_ID_MAX];
	char label[PR_LABEL_MAX];
	bool votes;          /* deliberative voice */
	bool quorum;         /* counted for quorum (base and presence) */
	bool eligible;       /* may stand as a candidate */
	bool dues_exempt;    /* dues never required (honorary members) */
	struct pr_source src;
};

enum pr_freeze { PR_FREEZE_NONE, PR_FREEZE_CONVOCATION, PR_FREEZE_PREV_MONTH_END };
enum pr_zone { PR_ZONE_NONE, PR_ZONE_GROUP };
enum pr_seniority_date { PR_SENIORITY_REGISTERED, PR_SENIORITY_VALIDATED };

/* Dues paid at the vote date (`dues_paid`, of voters or of candidates). */
struct pr_dues {
	bool required;                  /* `value` */
	bool date_needed;               /* checked_on: meeting_date: a date, not true/false */
	uint32_t period_months;         /* a payment keeps dues paid N months; 0: not stated */
	struct pr_source src;
};

struct pr_voters {
	struct pr_dues dues;
	enum pr_freeze freeze;          struct pr_source freeze_src;
	enum pr_zone zone;              struct pr_source zone_src;
	uint32_t enrolment_months;      /* thematic group: enrolled > N months */
	bool minors_vote;               struct pr_source minors_src;
	bool remote_counts_present;     struct pr_source remote_src;
};

struct pr_candidates {
	struct pr_dues dues;
	bool minors_eligible;           struct pr_source minors_src;
	bool seniority;                 /* false: no seniority rule */
	enum pr_seniority_date seniority_date;
	uint32_t seniority_months;
	enum pr_compare seniority_compare;
	/* An exception voted at the meeting (Espace+ 5): the motion's
	 * decision, and whether the candidate's own college votes it. */
	bool seniority_waiver;
	char waiver_decision[PR_ID_MAX];
	bool waiver_own_college;
	struct pr_source seniority_src;
	bool declaration;               /* false: no declaration deadline */
	uint32_t declaration_days;      /* declared at least N days before */
	bool late_allowed;              /* may declare during the meeting */
	struct pr_source declaration_src;
};

enum pr_quorum_kind { PR_QUORUM_NONE, PR_QUORUM_RULE, PR_QUORUM_MEETING_SETS };
enum pr_count_mode {                  /* bit flags: who counts as there */
	PR_COUNT_PRESENT = 1, PR_COUNT_REMOTE = 2, PR_COUNT_REPRESENTED = 4,
	PR_COUNT_MAIL_IN = 8, PR_COUNT_INTERNET = 16
};

struct pr_quorum {
	enum pr_quorum_kind kind;
	unsigned counts;                /* pr_count_mode flags */
	struct pr_threshold t;          /* of the members counted for quorum */
	bool meeting_rounding;          /* meeting_sets: rounding imposed on the meeting */
	enum pr_rounding rounding;
	bool second_no_quorum;          /* second convocation: no quorum */
	char second_delay[PR_LABEL_MAX];/* "dans les trois mois", for the sentence */
	struct pr_source src;
	struct pr_source second_src;
};

enum pr_absent_holder { PR_ABSENT_VOID, PR_ABSENT_RANDOM };
enum pr_field { PR_FIELD_ASSEMBLY_DATE = 1, PR_FIELD_GIVER = 2, PR_FIELD_HOLDER = 4 };
enum pr_channel { PR_CHANNEL_PAPER = 1, PR_CHANNEL_DIGITAL = 2 };

struct pr_proxies {
	bool allowed;
	uint32_t cap;                   /* besides one's own vote; PR_UNLIMITED */
	unsigned channels;              /* pr_channel flags */
	bool deadline;                  /* submitted at most N minutes before start */
	uint32_t deadline_minutes;
	unsigned required_fields;       /* pr_field flags */
	bool holder_must_be_present;
	enum pr_absent_holder absent_holder;
	bool president_special;         /* president: own cap, must redistribute */
	uint32_t president_cap;         /* usually PR_UNLIMITED */
	uint32_t redistribute_cap;      /* each holder after redistribution */
	bool ca_special;                /* proxies to the CA, voted by its president */
	uint32_t ca_cap;
	struct pr_source src;
};

/* A mail-in voter who comes to the meeting (mail_in.on_arrival): the
 * only behaviour the engine implements, room_vote — present or remote
 * at a question's opening, they vote in the room and their mail-in
 * ballot is set aside (giver_present). */
enum pr_mail_arrival { PR_ARRIVAL_ROOM_VOTE };

struct pr_mail_in {
	bool allowed;
	bool agenda_only;
	bool fallback_proxy;            /* off-agenda: voice goes to a named holder */
	enum pr_mail_arrival on_arrival;
	struct pr_source src;
};

struct pr_secret {
	bool default_secret;
	bool member_objection;
	unsigned request_by;            /* bit 0: bureau, bit 1: ca */
	bool request_fraction;          /* a fraction of present members can ask */
	struct pr_threshold request_t;  /* of members present */
	bool unanimous_waiver;          /* secret unless all want show of hands */
	bool fraud_revote;              /* suspected fraud: propose a second vote */
	uint32_t min_scrutineers;
	char counted_by[PR_LABEL_MAX];
	struct pr_source src;
};
#define PR_REQ_BUREAU 1u
#define PR_REQ_CA     2u

/* How sentences name a body or a decision (profile `subject`): in French
 * with its definite article, lowercase ("le conseil d'administration",
 * "le vœu"), the sentence capitalizing it at its start or dropping the
 * article before an outcome ("Vœu adopté"); its gender for agreement;
 * in English likewise ("the board"). Without the key, a body is "la
 * réunion" / "the meeting" and a decision "la motion" / "the motion". */
struct pr_subject {
	char fr[PR_LABEL_MAX];
	bool feminine;
	char en[PR_LABEL_MAX];
};

enum pr_majority { PR_MAJ_RELATIVE, PR_MAJ_THRESHOLD };
/* A casting vote at a tie of a secret ballot, where the president's vote
 * is not known: the tie rejects, or the president declares openly how he
 * voted (the meeting records the declaration). */
enum pr_casting_secret { PR_CASTING_SECRET_NONE, PR_CASTING_SECRET_TIE_REJECTS,
	PR_CASTING_SECRET_DECLARED };
enum pr_abst_revote { PR_ABST_NONE, PR_ABST_MOST, PR_ABST_OVER_HALF };

struct pr_decision {
	char id[PR_ID_MAX];
	char label[PR_LABEL_MAX];       /* "majorité absolue" ... for sentences */
	char label_en[PR_LABEL_MAX];    /* "absolute majority"; "" when not given */
	struct pr_subject subject;      /* what is adopted: "la motion", "le vœu" */
	enum pr_majority majority;
	enum pr_base base;              /* threshold rules */
	struct pr_threshold t;
	bool casting_vote;              /* relative: a tie goes the way the president voted */
	enum pr_casting_secret casting_secret;  /* with casting_vote: a secret ballot's tie */
	bool present_only;              /* only members present vote (voeux) */
	bool off_agenda;                /* may be used for a question off the agenda */
	enum pr_abst_revote abstention_revote;
	bool secret;                    /* always by secret ballot */
	bool recusal;                   /* the member concerned is recused */
	struct pr_source src;
};

enum pr_method { PR_METHOD_PLURALITY, PR_METHOD_THRESHOLD, PR_METHOD_TWO_ROUND };
enum pr_tiebreak {
	PR_TB_FUNCTION, PR_TB_CITY_NOT_REPRESENTED, PR_TB_SEMESTERS,
	PR_TB_SEX_PARITY, PR_TB_ELDEST
};
enum pr_sequence { PR_SEQ_NONE, PR_SEQ_PRESIDENT_FIRST };
/* A two-round election's second round: whether the text provides it (by
 * relative majority), or says nothing of it (a reading: the body may
 * decide one); UNSAID when the profile does not tell. */
enum pr_second_round { PR_SECOND_UNSAID, PR_SECOND_STATED, PR_SECOND_NOT_STATED };

struct pr_election {
	char id[PR_ID_MAX];
	char label[PR_LABEL_MAX];
	char label_en[PR_LABEL_MAX];    /* "" when not given */
	enum pr_method method;
	struct pr_threshold t;          /* threshold / two-round first round */
	bool cooptation;                /* threshold: unfilled seats co-opted */
	struct pr_threshold coopt_t;    /* of the CA's members */
	struct pr_source coopt_src;
	bool same_region;               /* voters and candidates of the post's region */
	size_t n_tiebreak;
	enum pr_tiebreak tiebreak[PR_MAX_TIEBREAK];
	bool secret;
	enum pr_sequence sequence;
	enum pr_second_round second_round;      /* two_round */
	struct pr_source second_round_src;
	struct pr_source src;
};

struct pr_draw {
	char id[PR_ID_MAX];
	char label[PR_LABEL_MAX];
	uint32_t num, den;
	enum pr_rounding rounding;      /* NONE: must divide exactly */
	struct pr_source src;
};

struct pr_college {
	char id[PR_ID_MAX];
	size_t n;
	char cats[PR_MAX_CATS][PR_ID_MAX];
	struct pr_source src;
};

/* Amendments to a motion (profile `amendments`, docs/profiles.md): none
 * (the body refuses them), voted before their motion which is then voted
 * as amended (usual deliberative practice), or the amended text becoming
 * an alternative motion voted alongside the original (ANIMT IV). */
enum pr_amend_mode {
	PR_AMEND_NONE = 0,
	PR_AMEND_BEFORE_MOTION,
	PR_AMEND_ALTERNATIVE
};

struct pr_amendments {
	enum pr_amend_mode mode;
	uint32_t supporters;            /* members supporting the proposer, 0: none required */
	struct pr_source src;
};

struct pr_body {
	char id[PR_ID_MAX];
	char label[PR_LABEL_MAX];
	char label_en[PR_LABEL_MAX];    /* "" when not given */
	struct pr_subject subject;      /* "l'assemblée générale" in sentences */
	bool abstention_expressed;      struct pr_source abstention_src;
	size_t n_cats;
	struct pr_category cats[PR_MAX_CATS];
	size_t n_colleges;
	struct pr_college colleges[PR_MAX_LIST];
	struct pr_voters voters;
	struct pr_candidates candidates;
	struct pr_quorum quorum;
	struct pr_proxies proxies;
	struct pr_mail_in mail_in;
	bool internet;                  struct pr_source internet_src;
	bool recusal_cannot_hold;       struct pr_source recusal_src;
	struct pr_secret secret;
	bool escalation;                /* a motion may be raised to another rule */
	char escalation_to[PR_ID_MAX];
	unsigned escalation_by;         /* PR_REQ_* or PR_REQ_MEMBER */
	struct pr_source escalation_src;
	bool alternatives;              /* competing motions: most pour among the approved */
	struct pr_source alternatives_src;
	struct pr_amendments amendments;
	size_t n_decisions;
	struct pr_decision decisions[PR_MAX_RULES];
	size_t n_elections;
	struct pr_election elections[PR_MAX_RULES];
	size_t n_draws;
	struct pr_draw draws[PR_MAX_LIST];
};
#define PR_REQ_MEMBER 4u

struct profile {
	char id[PR_ID_MAX];
	char name[PR_LABEL_MAX];
	char statutes[PR_LABEL_MAX];
	size_t n_bodies;
	struct pr_body bodies[PR_MAX_BODIES];
};

/* Loads a profile from YAML bytes. `file` names it in messages. On
 * failure returns -1 and writes "file:line:col: field: reason" to err,
 * in French and English. */
int profile_load(struct profile *p, const char *file, const uint8_t *buf,
    size_t len, struct st_msg *err) ST_WUR;

const struct pr_body *profile_body_find(const struct profile *p, const char *id);
const struct pr_category *profile_category_find(const struct pr_body *b, const char *id);
const struct pr_decision *profile_decision_find(const struct pr_body *b, const char *id);
const struct pr_election *profile_election_find(const struct pr_body *b, const char *id);
const struct pr_draw *profile_draw_find(const struct pr_body *b, const char *id);
const struct pr_college *profile_college_find(const struct pr_body *b, const char *id);

#endif

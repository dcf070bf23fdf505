/*
 * count_int.h — what the files of the counting library share: count.c
 * (the entry points and the glue) and one file per rule family —
 * standing.c, proxy.c, quorum.c, voices.c, secret.c, motion.c,
 * election.c, tiebreak.c, draw.c. Not an interface for anything else:
 * callers use count.h.
 *
 * struct ctx is one count in progress: the profile's body, the meeting's
 * facts (borrowed, trusted for nothing) and the result being filled. The
 * steps run in ct_count's order — members, proxies, mail-in and
 * internet, quorum, then each question in turn — and of the result, a
 * step reads only what the earlier ones wrote. A step that fails writes
 * its message with ct_err (into the caller's err) and returns -1; the
 * result is then freed by ct_count, never read.
 */
#ifndef SCRUTIN_STATUTES_COUNT_INT_H
#define SCRUTIN_STATUTES_COUNT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballot-formats/count.h"

struct idx_ent;                        /* count.c: an entry of the roll by id */

struct ctx {
	const struct profile *p;
	const struct pr_body *b;
	const struct ct_meeting *m;
	const struct ct_question *qs;
	size_t nq;
	struct ct_result *r;
	struct idx_ent *idx;           /* members sorted by id */
	size_t president;              /* member index or CT_NONE */
	bool *gave;                    /* giver already gave a proxy */
	bool *recused;                 /* per question scratch */
	uint32_t *fallback;            /* per question scratch: fallback proxies held */
	uint32_t ca_held;
	struct st_msg *err;            /* the caller's, for ct_err */
};

/* ---- glue and roll lookup ---- */

/* Writes the message, formatted from fr and en with the same arguments,
 * and the scenario line of the item it is about (0: none) to c->err;
 * returns -1. */
int ct_err(struct ctx *c, unsigned line, const char *fr, const char *en, ...)
    __attribute__((format(printf, 3, 5), format(printf, 4, 5)));
/* The index of the member with this id, or CT_NONE (id NULL too). */
size_t ct_member_find(const struct ctx *c, const char *id);
/* ct_member_find, and an error naming `what` (what_fr in French) when id
 * is not on the roll. */
int ct_member_need(struct ctx *c, const char *id, unsigned line, const char *what_fr,
    const char *what, size_t *out);

/* Attends the meeting: in the room or remotely. */
static inline bool
ct_mode_is_there(enum ct_mode m)
{
	return m == CT_MODE_PRESENT || m == CT_MODE_REMOTE;
}

/* ---- standing: members, proxies, mail-in, internet ---- */

/* Member i's dues at the vote date under rule d (ct_dues_standing): OUT
 * *paid; an error naming the fact missing, for `who` ("member",
 * "candidate"; who_fr in French) at line, when none can decide. */
int ct_dues_check(struct ctx *c, const struct pr_dues *d, size_t i, const char *who_fr,
    const char *who, unsigned line, bool *paid);
/* Each member's standing: voter or why not, quorum base, presence; finds
 * the president. */
int ct_members_assess(struct ctx *c);
/* The most proxies member h may hold. */
uint32_t ct_holder_cap(const struct ctx *c, size_t h);
/* Each proxy's standing: refused with a reason, or accepted with its
 * effective holder (after the president's redistribution and the random
 * reassignment of an absent holder's proxies). */
int ct_proxies_assess(struct ctx *c);
/* The standing of each mail-in and internet vote. */
int ct_mail_internet_assess(struct ctx *c);

/* ---- quorum ---- */

/* The quorum: its base, who counts, the threshold and whether it is met
 * (or none applies, or the meeting sets it). */
int ct_quorum_compute(struct ctx *c);
/* The meeting may deliberate: its quorum is met, or none applies. */
bool ct_quorum_can_deliberate(const struct ctx *c);

/* ---- voices of one question ---- */

/* Marks q's recused members in c->recused; an error when q names some
 * and its rule does not allow it. */
int ct_recused_set(struct ctx *c, const struct ct_question *q, bool allowed);
/* The voices that can be cast on q (qr->voices) and the per-question
 * refusals, for the voters of college col (NULL: all) and of region
 * (NULL: all). */
int ct_voices_count(struct ctx *c, const struct ct_question *q, struct ct_question_result *qr,
    bool present_only, const struct pr_college *col, const char *region);
/* Member i's voice can be cast on this question, for a named open vote:
 * a voter, there or voting otherwise, not recused, of the region (NULL:
 * any), there when present_only, and not refused in qr. */
bool ct_voice_available(const struct ctx *c, const struct ct_question_result *qr, size_t i,
    bool present_only, const char *region);

/* ---- secret ballot ---- */

/* Whether q had to be held by secret ballot, and why (qr->secret). */
void ct_secret_decide(struct ctx *c, const struct ct_question *q, struct ct_question_result *qr,
    bool rule_secret, bool election);

/* ---- questions ---- */

/* A motion, or alternative motions, under its decision rule. */
int ct_motion_count(struct ctx *c, const struct ct_question *q, struct ct_question_result *qr);
/* An election; qi: q's index in the meeting's questions. */
int ct_election_count(struct ctx *c, const struct ct_question *q, struct ct_question_result *qr,
    size_t qi);
/* Elects `seats` of the qualified candidates qr->cands[0..pool), breaking
 * a tie at the last seat with the rule's chain. */
int ct_seats_select(struct ctx *c, const struct ct_question *q, struct ct_question_result *qr,
    const struct pr_election *er, size_t pool, uint32_t seats);
/* A random draw among q's pool. */
int ct_draw_count(struct ctx *c, const struct ct_question *q, struct ct_question_result *qr);

#endif

/*
 * secret.c — whether a vote must be held by secret ballot, and why: the
 * body's default, the rule's own secrecy (a decision or an election) and
 * the live triggers — a member's objection, a request by the Bureau or
 * the CA, a fraction of the members present asking — with the unanimous
 * wish for a show of hands, which lifts the default alone and only when
 * every member with a vote is present and asks (A-IMI 12).
 * ct_secret_decide answers for the count; ct_secret_before answers
 * before a question is counted, without the fraction (it needs the
 * voices present and the askers) and without the attendance the waiver
 * needs (its callers check it with ct_unanimity_absent).
 *
 * Trusts the profile; reads the question's triggers and, for the
 * fraction and the waiver, the voices present counted by voices.c and
 * the members' standing.
 *
 * Invariants: both answers come from secret_reasons, so they agree on
 * every reason both decide; the waiver lifts nothing but the default.
 */
#include "ballot-formats/count_int.h"
#include "common/xmalloc.h"

#include <stdio.h>

/* The reasons why q must be secret (CT_SECRET_*, or CT_SECRET_WAIVED):
 * the body's rules s, the rule's own secrecy, and q's live triggers;
 * fraction_met: enough members asked for it (request_fraction);
 * unanimous: every member with a vote asked for a show of hands. */
static unsigned
secret_reasons(const struct pr_secret *s, const struct ct_question *q, bool rule_secret,
    bool election, bool fraction_met, bool unanimous)
{
	unsigned why = 0;

	if (s->default_secret)
		why |= CT_SECRET_DEFAULT;
	if (rule_secret)
		why |= election ? CT_SECRET_ELECTION : CT_SECRET_DECISION;
	if (q->objection && s->member_objection)
		why |= CT_SECRET_OBJECTION;
	if ((q->requested_by & PR_REQ_BUREAU) && (s->request_by & PR_REQ_BUREAU))
		why |= CT_SECRET_BUREAU;
	if ((q->requested_by & PR_REQ_CA) && (s->request_by & PR_REQ_CA))
		why |= CT_SECRET_CA;
	if (s->request_fraction && fraction_met)
		why |= CT_SECRET_FRACTION;
	/* A unanimous wish for a show of hands lifts only the default. */
	if (s->unanimous_waiver && unanimous && why == CT_SECRET_DEFAULT)
		why = CT_SECRET_WAIVED;
	return why;
}

size_t
ct_unanimity_absent(const struct ct_result *r, size_t *absent, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < r->meeting->n_members; i++)
		if (r->members[i].voter && !ct_mode_is_there(r->members[i].mode)) {
			if (absent != NULL && n < max)
				absent[n] = i;
			n++;
		}
	return n;
}

void
ct_secret_decide(struct ctx *c, const struct ct_question *q, struct ct_question_result *qr,
    bool rule_secret, bool election)
{
	const struct pr_secret *s = &c->b->secret;
	bool fraction_met = false;
	unsigned why;

	if (s->request_fraction) {
		/* A fraction of the members present (in the room or remote). */
		qr->askers_required = ct_threshold_required(&s->request_t,
		    qr->voices.present + qr->voices.remote);
		fraction_met = q->has_askers && q->askers > 0 &&
		    q->askers >= qr->askers_required;
	}
	/* The unanimous waiver: every member present asked, and every member
	 * with a vote is present. */
	if (s->unanimous_waiver && q->unanimous_show_of_hands) {
		size_t n = ct_unanimity_absent(c->r, NULL, 0);
		qr->unanimity_asked = true;
		qr->unanimity_absent = xcalloc(n ? n : 1, sizeof *qr->unanimity_absent);
		qr->n_unanimity_absent = ct_unanimity_absent(c->r, qr->unanimity_absent, n);
	}
	why = secret_reasons(s, q, rule_secret, election, fraction_met,
	    qr->unanimity_asked && qr->n_unanimity_absent == 0);
	qr->secret = why;
	qr->secret_required = why != 0 && why != CT_SECRET_WAIVED;
}

int
ct_secret_before(const struct pr_body *b, const struct ct_question *q, unsigned *why,
    const char **article, struct st_msg *err)
{
	bool rule_secret, election = q->kind == CT_Q_ELECTION;
	const char *rule_article;

	*why = 0;
	*article = b->secret.src.article;
	if (election) {
		const struct pr_election *er = q->election ?
		    profile_election_find(b, q->election) : NULL;
		if (er == NULL) {
			st_msg_set(err, q->line, "question « %s » : l'élection « %s » n'est pas "
			    "définie pour l'instance « %s »", "question '%s': election '%s' is not "
			    "defined for body '%s'", q->id, q->election ? q->election : "(none)",
			    b->id);
			return -1;
		}
		rule_secret = er->secret;
		rule_article = er->src.article;
	} else if (q->kind == CT_Q_MOTION || q->kind == CT_Q_ALTERNATIVES) {
		const struct pr_decision *rule = q->decision ?
		    profile_decision_find(b, q->decision) : NULL;
		if (rule == NULL) {
			st_msg_set(err, q->line, "question « %s » : la décision « %s » n'est pas "
			    "définie pour l'instance « %s »", "question '%s': decision '%s' is not "
			    "defined for body '%s'", q->id, q->decision ? q->decision : "(none)",
			    b->id);
			return -1;
		}
		/* As do_motion: an escalated relative majority takes the
		 * escalation's rule. */
		if (q->escalated_by && b->escalation && rule->majority == PR_MAJ_RELATIVE) {
			const struct pr_decision *to = profile_decision_find(b, b->escalation_to);
			if (to != NULL)
				rule = to;
		}
		rule_secret = rule->secret;
		rule_article = rule->src.article;
	} else {
		return 0;               /* a draw is no vote */
	}
	*why = secret_reasons(&b->secret, q, rule_secret, election, false,
	    q->unanimous_show_of_hands);
	/* The article of the rule when the rule itself is the reason. */
	if (rule_secret && (*why & (CT_SECRET_DECISION | CT_SECRET_ELECTION)))
		*article = rule_article;
	return 0;
}

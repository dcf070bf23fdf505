/*
 * motion.c — motions under their decision rule: the rule (a relative
 * majority escalated to a stronger one when those who may ask for it
 * do), the base (votes expressed, voices, members present or on the
 * roll), the exact threshold, a casting vote at a tie under a relative
 * majority, a revote at the next assembly when abstentions prevail; and
 * alternative motions, each counted on its own, the approved one with
 * the most pour winning (ct_alternatives_pick).
 *
 * Trusts the profile, not the question: the rule must be the body's and
 * allowed off the agenda when the question is; totals (or named open
 * votes) never exceed the voices that can be cast; a casting vote needs
 * a rule that has one; named open votes are refused where the vote must
 * be secret.
 *
 * Invariants: no motion is adopted without a vote for; thresholds are
 * ct_threshold_required's; a meeting that cannot deliberate decides
 * nothing (CT_OUT_CANNOT_DELIBERATE), and a suspected fraud turns any
 * other outcome into a proposed revote.
 */
#include "ballot-formats/count_int.h"
#include "common/xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
eval_motion(const struct ctx *c, const struct ct_question *q, const struct pr_decision *rule,
    const struct ct_voices *v, const struct ct_totals *t, struct ct_motion_eval *e)
{
	uint32_t pour = t->v[CT_POUR], contre = t->v[CT_CONTRE], abst = t->v[CT_ABSTENTION];

	memset(e, 0, sizeof *e);
	e->totals = *t;
	e->expressed = pour + contre + (c->b->abstention_expressed ? abst : 0);
	if (rule->majority == PR_MAJ_RELATIVE) {
		e->base = pour + contre;
		if (pour > contre) {
			e->outcome = CT_OUT_ADOPTED;
		} else if (pour < contre || pour == 0) {
			e->outcome = CT_OUT_REJECTED;
		} else {
			e->tie = true;
			if (!rule->casting_vote)
				e->outcome = CT_OUT_REJECTED;
			else if (q->casting_vote < 0)
				e->outcome = CT_OUT_NEEDS_CASTING_VOTE;
			else {
				e->casting_used = true;
				e->outcome = q->casting_vote == CT_POUR ? CT_OUT_ADOPTED : CT_OUT_REJECTED;
			}
		}
		return;
	}
	switch (rule->base) {
	case PR_BASE_EXPRESSED: e->base = e->expressed; break;
	case PR_BASE_VOICES:    e->base = v->total; break;
	case PR_BASE_PRESENT:   e->base = v->present + v->remote; break;
	case PR_BASE_MEMBERS:   e->base = v->members; break;
	default:                e->base = 0; break;
	}
	e->required = ct_threshold_required(&rule->t, e->base);
	if (e->required < 1)
		e->required = 1;        /* no decision without one vote for */
	if (pour >= e->required) {
		e->outcome = CT_OUT_ADOPTED;
		return;
	}
	e->outcome = CT_OUT_REJECTED;
	if (rule->abstention_revote == PR_ABST_MOST && abst > pour && abst > contre)
		e->outcome = CT_OUT_REVOTE_NEXT_AG;
	else if (rule->abstention_revote == PR_ABST_OVER_HALF &&
	    (uint64_t)abst * 2 > (uint64_t)pour + contre + abst)
		e->outcome = CT_OUT_REVOTE_NEXT_AG;
}

static int
check_totals(struct ctx *c, const struct ct_question *q, const struct ct_totals *t,
    const struct ct_voices *v, const char *what)
{
	uint64_t sum = (uint64_t)t->v[0] + t->v[1] + t->v[2];

	if (sum > v->total)
		return ct_err(c, q->line, "question '%s'%s: %llu votes but only %u voices can be cast",
		    q->id, what, (unsigned long long)sum, v->total);
	return 0;
}

static int
open_votes_motion(struct ctx *c, const struct ct_question *q, struct ct_question_result *qr,
    bool present_only, struct ct_totals *t)
{
	static const char *const CH[] = {"pour", "contre", "abstention"};
	bool *seen = xcalloc(c->m->n_members, sizeof *seen);
	int rc = -1;

	memset(t, 0, sizeof *t);
	for (size_t k = 0; k < q->n_open; k++) {
		const struct ct_open_vote *ov = &q->open[k];
		size_t i;
		int ch = -1;
		if (ct_member_need(c, ov->voice, ov->line, "open vote: voice", &i) != 0)
			goto out;
		for (int j = 0; j < 3; j++)
			if (strcmp(ov->choice, CH[j]) == 0)
				ch = j;
		if (ch < 0) {
			ct_err(c, ov->line, "open vote of '%s': '%s' is not pour, contre or abstention",
			    ov->voice, ov->choice);
			goto out;
		}
		if (seen[i]) {
			ct_err(c, ov->line, "open vote: '%s' votes twice", ov->voice);
			goto out;
		}
		if (!ct_voice_available(c, qr, i, present_only, NULL)) {
			ct_err(c, ov->line, "open vote: the voice of '%s' cannot be cast on question '%s'",
			    ov->voice, q->id);
			goto out;
		}
		seen[i] = true;
		t->v[ch]++;
	}
	rc = 0;
out:
	free(seen);
	return rc;
}

/* q's decision rule (qr->rule, OUT *out): the body's, allowed off the
 * agenda when q is, and a relative majority escalated to the body's
 * stronger rule when those who may ask for it do. */
static int
motion_rule_find(struct ctx *c, const struct ct_question *q, struct ct_question_result *qr,
    const struct pr_decision **out)
{
	const struct pr_decision *rule;

	if (q->decision == NULL)
		return ct_err(c, q->line, "question '%s': decision is needed", q->id);
	rule = profile_decision_find(c->b, q->decision);
	if (rule == NULL)
		return ct_err(c, q->line, "question '%s': decision '%s' is not defined for body '%s'",
		    q->id, q->decision, c->b->id);
	if (!q->on_agenda && !rule->off_agenda)
		return ct_err(c, q->line, "question '%s': a '%s' decision cannot be taken on a "
		    "question off the agenda (art. %s)", q->id, rule->id, rule->src.article);
	if (q->escalated_by) {
		if (!c->b->escalation)
			return ct_err(c, q->line, "question '%s': body '%s' provides for no escalation "
			    "of the majority", q->id, c->b->id);
		if (!(q->escalated_by & c->b->escalation_by) &&
		    !((c->b->escalation_by & PR_REQ_MEMBER) && (q->escalated_by & PR_REQ_MEMBER)))
			return ct_err(c, q->line, "question '%s': the escalation is not requested by "
			    "who may request it (art. %s)", q->id, c->b->escalation_src.article);
		if (rule->majority == PR_MAJ_RELATIVE) {
			rule = profile_decision_find(c->b, c->b->escalation_to);
			qr->escalated = true;
		}
	}
	qr->rule = rule;
	*out = rule;
	return 0;
}

/* Alternative motions (ANIMT IV): each counted on its own under rule,
 * then the approved one with the most pour wins. */
static int
motion_alternatives_count(struct ctx *c, const struct ct_question *q,
    struct ct_question_result *qr, const struct pr_decision *rule)
{
	if (!c->b->alternatives)
		return ct_err(c, q->line, "question '%s': body '%s' provides for no "
		    "alternative motions", q->id, c->b->id);
	if (q->n_alts < 2)
		return ct_err(c, q->line, "question '%s': alternatives need at least two motions",
		    q->id);
	qr->alts = xcalloc(q->n_alts, sizeof *qr->alts);
	qr->winner = CT_NONE;
	for (size_t k = 0; k < q->n_alts; k++) {
		char what[96];
		(void)snprintf(what, sizeof what, ", motion '%s'", q->alts[k].id);
		if (check_totals(c, q, &q->alts[k].totals, &qr->voices, what) != 0)
			return -1;
		eval_motion(c, q, rule, &qr->voices, &q->alts[k].totals, &qr->alts[k]);
	}
	if (!ct_quorum_can_deliberate(c)) {
		qr->outcome = CT_OUT_CANNOT_DELIBERATE;
		return 0;
	}
	bool *adopted = xcalloc(q->n_alts, sizeof *adopted);
	uint32_t *pour = xcalloc(q->n_alts, sizeof *pour);
	for (size_t k = 0; k < q->n_alts; k++) {
		adopted[k] = qr->alts[k].outcome == CT_OUT_ADOPTED;
		pour[k] = qr->alts[k].totals.v[CT_POUR];
	}
	qr->outcome = ct_alternatives_pick(adopted, pour, q->n_alts,
	    &qr->winner);
	free(adopted);
	free(pour);
	if (q->fraud_suspected)
		qr->outcome = CT_OUT_PROPOSE_REVOTE;
	return 0;
}

int
ct_motion_count(struct ctx *c, const struct ct_question *q, struct ct_question_result *qr)
{
	const struct pr_decision *rule = NULL;
	const struct pr_college *col = NULL;

	if (motion_rule_find(c, q, qr, &rule) != 0)
		return -1;
	if (q->college != NULL && (col = profile_college_find(c->b, q->college)) == NULL)
		return ct_err(c, q->line, "question '%s': college '%s' is not defined", q->id, q->college);
	if (ct_recused_set(c, q, rule->recusal) != 0)
		return -1;
	if (ct_voices_count(c, q, qr, rule->present_only, col, NULL) != 0)
		return -1;
	ct_secret_decide(c, q, qr, rule->secret, false);
	if (q->casting_vote >= 0 && (rule->majority != PR_MAJ_RELATIVE || !rule->casting_vote))
		return ct_err(c, q->line, "question '%s': a casting vote is given but rule '%s' has none",
		    q->id, rule->id);
	if (q->fraud_suspected && !c->b->secret.fraud_revote)
		return ct_err(c, q->line, "question '%s': the profile has no rule for a suspected fraud",
		    q->id);
	if (q->kind == CT_Q_ALTERNATIVES)
		return motion_alternatives_count(c, q, qr, rule);
	struct ct_totals t;
	if (q->has_totals == (q->n_open > 0))
		return ct_err(c, q->line, "question '%s': give either totals or open_votes", q->id);
	if (q->n_open > 0) {
		if (qr->secret_required)
			return ct_err(c, q->line, "question '%s': named open votes for a vote that "
			    "must be secret", q->id);
		if (open_votes_motion(c, q, qr, rule->present_only, &t) != 0)
			return -1;
	} else {
		t = q->totals;
	}
	if (check_totals(c, q, &t, &qr->voices, "") != 0)
		return -1;
	eval_motion(c, q, rule, &qr->voices, &t, &qr->m);
	qr->outcome = qr->m.outcome;
	if (!ct_quorum_can_deliberate(c))
		qr->outcome = CT_OUT_CANNOT_DELIBERATE;
	else if (q->fraud_suspected)
		qr->outcome = CT_OUT_PROPOSE_REVOTE;
	return 0;
}

enum ct_outcome
ct_alternatives_pick(const bool *adopted, const uint32_t *pour, size_t n,
    size_t *winner)
{
	uint32_t best = 0;
	size_t nbest = 0;

	*winner = CT_NONE;
	for (size_t k = 0; k < n; k++) {
		if (!adopted[k])
			continue;
		if (nbest == 0 || pour[k] > best) {
			best = pour[k];
			nbest = 1;
			*winner = k;
		} else if (pour[k] == best) {
			nbest++;
		}
	}
	if (nbest == 0)
		return CT_OUT_NONE_APPROVED;
	if (nbest > 1) {
		*winner = CT_NONE;
		return CT_OUT_TIE_UNRESOLVED;
	}
	return CT_OUT_WINNER;
}

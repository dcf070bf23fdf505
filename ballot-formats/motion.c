/*
 * motion.c — motions under their decision rule: the rule (a relative
 * majority escalated to a stronger one when those who may ask for it
 * do), the base (votes expressed, voices, members present or on the
 * roll), the exact threshold, the president's casting vote at a tie
 * under a relative majority, a revote at the next assembly when
 * abstentions prevail; and alternative motions, each counted on its own,
 * the approved one with the most pour winning (ct_alternatives_pick).
 *
 * The casting vote is the president's (the member with the role
 * president): there, with a voice on the question, and voting — a tie
 * goes the way he voted (his named open vote, or the president_vote the
 * question gives). Absent, nobody president, an abstention, no vote, or
 * a secret ballot the profile reads as tie_rejects: no casting vote, and
 * the tie rejects (pour is not above contre).
 *
 * Trusts the profile, not the question: the rule must be the body's and
 * allowed off the agenda when the question is; totals (or named open
 * votes) never exceed the voices that can be cast; a president's vote
 * needs a rule with a casting vote, a president whose voice is cast, a
 * vote the ballot lets be known, and a count it is in; named open votes
 * are refused where the vote must be, or was, secret.
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

static const char *const CASTING[] = {"none", "used", "needed", "no_president",
	"president_absent", "president_no_voice", "president_did_not_vote",
	"president_abstained", "secret_ballot"};

const char *
ct_casting_code(enum ct_casting k)
{
	return (unsigned)k < sizeof CASTING / sizeof CASTING[0] ? CASTING[k] : "?";
}

/* At a tie under a rule with a casting vote: pres, the president's
 * standing on the question (motion_president: CT_CAST_NA when his vote
 * decides), and pv, his vote. */
static void
eval_tie(enum ct_casting pres, enum ct_pvote pv, struct ct_motion_eval *e)
{
	e->outcome = CT_OUT_REJECTED;
	if (pres != CT_CAST_NA)
		e->casting = pres;
	else if (pv == CT_PV_UNKNOWN)
		e->casting = CT_CAST_NEEDED;
	else if (pv == CT_PV_NONE)
		e->casting = CT_CAST_DID_NOT_VOTE;
	else if (pv == CT_PV_ABSTENTION)
		e->casting = CT_CAST_ABSTAINED;
	else
		e->casting = CT_CAST_USED;
	if (e->casting == CT_CAST_NEEDED)
		e->outcome = CT_OUT_NEEDS_CASTING_VOTE;
	if (e->casting == CT_CAST_USED) {
		e->casting_used = true;
		e->outcome = pv == CT_PV_POUR ? CT_OUT_ADOPTED : CT_OUT_REJECTED;
	}
}

static void
eval_motion(const struct ctx *c, const struct pr_decision *rule, enum ct_casting pres,
    enum ct_pvote pv, const struct ct_voices *v, const struct ct_totals *t,
    struct ct_motion_eval *e)
{
	uint32_t pour = t->v[CT_POUR], contre = t->v[CT_CONTRE], abst = t->v[CT_ABSTENTION];

	memset(e, 0, sizeof *e);
	e->totals = *t;
	e->president_vote = pv;
	e->expressed = pour + contre + (c->b->abstention_expressed ? abst : 0);
	if (rule->majority == PR_MAJ_RELATIVE) {
		e->base = pour + contre;
		if (pour > contre) {
			e->outcome = CT_OUT_ADOPTED;
		} else if (pour < contre || pour == 0) {
			e->outcome = CT_OUT_REJECTED;
		} else {
			e->tie = true;
			e->outcome = CT_OUT_REJECTED;
			if (rule->casting_vote)
				eval_tie(pres, pv, e);
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
    const struct ct_voices *v, const char *what_fr, const char *what)
{
	uint64_t sum = (uint64_t)t->v[0] + t->v[1] + t->v[2];

	if (sum > v->total)
		return ct_err(c, q->line, "question « %s »%s%.0s : %llu voix, mais %u seulement "
		    "peuvent s'exprimer",
		    "question '%s'%.0s%s: %llu votes but only %u voices can be cast",
		    q->id, what_fr, what, (unsigned long long)sum, v->total);
	return 0;
}

/* q's named open votes into *t, and the president's among them (*pv:
 * CT_PV_NONE when he cast none, CT_PV_UNKNOWN when nobody is president). */
static int
open_votes_motion(struct ctx *c, const struct ct_question *q, struct ct_question_result *qr,
    bool present_only, struct ct_totals *t, enum ct_pvote *pv)
{
	static const char *const CH[] = {"pour", "contre", "abstention"};
	bool *seen = xcalloc(c->m->n_members, sizeof *seen);
	int rc = -1;

	memset(t, 0, sizeof *t);
	*pv = c->president == CT_NONE ? CT_PV_UNKNOWN : CT_PV_NONE;
	for (size_t k = 0; k < q->n_open; k++) {
		const struct ct_open_vote *ov = &q->open[k];
		size_t i;
		int ch = -1;
		if (ct_member_need(c, ov->voice, ov->line, "vote nominatif de",
		    "open vote: voice", &i) != 0)
			goto out;
		for (int j = 0; j < 3; j++)
			if (strcmp(ov->choice, CH[j]) == 0)
				ch = j;
		if (ch < 0) {
			ct_err(c, ov->line, "vote nominatif de « %s » : « %s » n'est ni pour, ni "
			    "contre, ni abstention",
			    "open vote of '%s': '%s' is not pour, contre or abstention",
			    ov->voice, ov->choice);
			goto out;
		}
		if (seen[i]) {
			ct_err(c, ov->line, "vote nominatif : « %s » vote deux fois",
			    "open vote: '%s' votes twice", ov->voice);
			goto out;
		}
		if (!ct_voice_available(c, qr, i, present_only, NULL)) {
			ct_err(c, ov->line, "vote nominatif : la voix de « %s » ne peut pas "
			    "s'exprimer sur la question « %s »",
			    "open vote: the voice of '%s' cannot be cast on question '%s'",
			    ov->voice, q->id);
			goto out;
		}
		seen[i] = true;
		t->v[ch]++;
		if (i == c->president)
			*pv = (enum ct_pvote)(ch + 1);
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
		return ct_err(c, q->line, "question « %s » : la décision (decision) doit être "
		    "indiquée",
		    "question '%s': decision is needed", q->id);
	rule = profile_decision_find(c->b, q->decision);
	if (rule == NULL)
		return ct_err(c, q->line, "question « %s » : la décision « %s » n'est pas définie "
		    "pour l'instance « %s »",
		    "question '%s': decision '%s' is not defined for body '%s'",
		    q->id, q->decision, c->b->id);
	if (!q->on_agenda && !q->amendment && !rule->off_agenda)
		return ct_err(c, q->line, "question « %s » : une décision « %s » ne peut pas être "
		    "prise sur une question hors de l'ordre du jour (art. %s)",
		    "question '%s': a '%s' decision cannot be taken on a "
		    "question off the agenda (art. %s)", q->id, rule->id, rule->src.article);
	if (q->escalated_by) {
		if (!c->b->escalation)
			return ct_err(c, q->line, "question « %s » : l'instance « %s » ne prévoit "
			    "pas de majorité renforcée sur demande",
			    "question '%s': body '%s' provides for no escalation "
			    "of the majority", q->id, c->b->id);
		if (!(q->escalated_by & c->b->escalation_by) &&
		    !((c->b->escalation_by & PR_REQ_MEMBER) && (q->escalated_by & PR_REQ_MEMBER)))
			return ct_err(c, q->line, "question « %s » : la majorité renforcée n'est "
			    "pas demandée par qui peut la demander (art. %s)",
			    "question '%s': the escalation is not requested by "
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

/* The president's standing on q for a casting vote under rule (OUT
 * *out: CT_CAST_NA when his vote decides a tie, else why he has none),
 * and the checks of the president's vote q gives. */
static int
motion_president(struct ctx *c, const struct ct_question *q, const struct ct_question_result *qr,
    const struct pr_decision *rule, enum ct_casting *out)
{
	static const char *const PV[] = {"", "pour", "contre", "abstention", "none"};
	size_t p = c->president;
	enum ct_pvote pv = q->president_vote;
	enum ct_casting s = CT_CAST_NA;

	if (p == CT_NONE)
		s = CT_CAST_NO_PRESIDENT;
	else if (!ct_mode_is_there(c->r->members[p].mode))
		s = CT_CAST_ABSENT;
	else if (!ct_voice_available(c, qr, p, rule->present_only, NULL))
		s = CT_CAST_NO_VOICE;
	else if ((qr->secret_required || q->held_secret) &&
	    rule->casting_secret == PR_CASTING_SECRET_TIE_REJECTS)
		s = CT_CAST_SECRET;
	*out = s;
	if (pv == CT_PV_UNKNOWN)
		return 0;
	if (rule->majority != PR_MAJ_RELATIVE || !rule->casting_vote)
		return ct_err(c, q->line, "question « %s » : president_vote est donné, mais la "
		    "règle « %s » ne prévoit pas de voix prépondérante",
		    "question '%s': president_vote is given but rule '%s' has "
		    "no casting vote", q->id, rule->id);
	if (q->n_open > 0 || q->kind == CT_Q_ALTERNATIVES)
		return ct_err(c, q->line, "question « %s » : president_vote est donné avec %s%.0s",
		    "question '%s': president_vote is given with %.0s%s", q->id,
		    q->n_open > 0 ? "des votes nominatifs, qui le disent" :
		    "des motions alternatives",
		    q->n_open > 0 ? "named open votes, which tell it" : "alternative motions");
	if (pv == CT_PV_NONE)
		return 0;
	if (s == CT_CAST_NO_PRESIDENT)
		return ct_err(c, q->line, "question « %s » : president_vote est donné, mais aucun "
		    "membre n'a le rôle de président",
		    "question '%s': president_vote is given but no member has "
		    "the role president", q->id);
	if (s == CT_CAST_ABSENT || s == CT_CAST_NO_VOICE)
		return ct_err(c, q->line, "question « %s » : president_vote vaut « %s », mais la "
		    "voix du président « %s » ne s'exprime pas à la réunion sur cette question",
		    "question '%s': president_vote is '%s' but the voice of "
		    "the president '%s' is not cast at the meeting on this question", q->id, PV[pv],
		    c->m->members[p].id);
	if (s == CT_CAST_SECRET)
		return ct_err(c, q->line, "question « %s » : president_vote est donné pour un vote "
		    "à bulletin secret, qui le garde inconnu (casting_vote_secret: tie_rejects, "
		    "art. %s)",
		    "question '%s': president_vote is given for a secret "
		    "ballot, which keeps it unknown (casting_vote_secret: tie_rejects, art. %s)",
		    q->id, rule->src.article);
	return 0;
}

/* Alternative motions (ANIMT IV): each counted on its own under rule,
 * then the approved one with the most pour wins; the president's vote
 * on each is not given (a tie he could decide needs it). */
static int
motion_alternatives_count(struct ctx *c, const struct ct_question *q,
    struct ct_question_result *qr, const struct pr_decision *rule, enum ct_casting pres)
{
	if (!c->b->alternatives)
		return ct_err(c, q->line, "question « %s » : l'instance « %s » ne prévoit pas de "
		    "motions alternatives",
		    "question '%s': body '%s' provides for no "
		    "alternative motions", q->id, c->b->id);
	if (q->n_alts < 2)
		return ct_err(c, q->line, "question « %s » : il faut au moins deux motions "
		    "alternatives",
		    "question '%s': alternatives need at least two motions",
		    q->id);
	qr->alts = xcalloc(q->n_alts, sizeof *qr->alts);
	qr->winner = CT_NONE;
	for (size_t k = 0; k < q->n_alts; k++) {
		char what_fr[96], what[96];
		(void)snprintf(what_fr, sizeof what_fr, ", motion « %s »", q->alts[k].id);
		(void)snprintf(what, sizeof what, ", motion '%s'", q->alts[k].id);
		if (check_totals(c, q, &q->alts[k].totals, &qr->voices, what_fr, what) != 0)
			return -1;
		eval_motion(c, rule, pres, CT_PV_UNKNOWN, &qr->voices, &q->alts[k].totals,
		    &qr->alts[k]);
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
	enum ct_casting pres = CT_CAST_NA;
	enum ct_pvote pv = q->president_vote;

	if (motion_rule_find(c, q, qr, &rule) != 0)
		return -1;
	if (q->college != NULL && (col = profile_college_find(c->b, q->college)) == NULL)
		return ct_err(c, q->line, "question « %s » : le collège « %s » n'est pas défini",
		    "question '%s': college '%s' is not defined", q->id, q->college);
	if (ct_recused_set(c, q, rule->recusal) != 0)
		return -1;
	if (ct_voices_count(c, q, qr, rule->present_only, col, NULL) != 0)
		return -1;
	ct_secret_decide(c, q, qr, rule->secret, false);
	if (motion_president(c, q, qr, rule, &pres) != 0)
		return -1;
	if (q->fraud_suspected && !c->b->secret.fraud_revote)
		return ct_err(c, q->line, "question « %s » : le profil ne prévoit rien en cas de "
		    "fraude suspectée",
		    "question '%s': the profile has no rule for a suspected fraud",
		    q->id);
	if (q->kind == CT_Q_ALTERNATIVES)
		return motion_alternatives_count(c, q, qr, rule, pres);
	struct ct_totals t;
	if (q->has_totals == (q->n_open > 0))
		return ct_err(c, q->line, "question « %s » : donner soit totals, soit open_votes",
		    "question '%s': give either totals or open_votes", q->id);
	if (q->n_open > 0) {
		if (qr->secret_required || q->held_secret)
			return ct_err(c, q->line, "question « %s » : des votes nominatifs pour un "
			    "vote qui %s%.0s",
			    "question '%s': named open votes for a vote that "
			    "%.0s%s secret", q->id,
			    qr->secret_required ? "doit être secret" : "s'est tenu à bulletin secret",
			    qr->secret_required ? "must be" : "was held");
		if (open_votes_motion(c, q, qr, rule->present_only, &t, &pv) != 0)
			return -1;
	} else {
		t = q->totals;
	}
	if (check_totals(c, q, &t, &qr->voices, "", "") != 0)
		return -1;
	if (pv >= CT_PV_POUR && pv <= CT_PV_ABSTENTION && t.v[pv - 1] == 0)
		return ct_err(c, q->line, "question « %s » : le président a voté %s, et les totaux "
		    "ne comptent aucun vote de ce sens",
		    "question '%s': the president voted %s, and the totals "
		    "count no such vote", q->id, pv == CT_PV_POUR ? "pour" : pv == CT_PV_CONTRE ?
		    "contre" : "abstention");
	eval_motion(c, rule, pres, pv, &qr->voices, &t, &qr->m);
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

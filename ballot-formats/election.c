/*
 * election.c — elections: the rule's checks on the question (seats,
 * region, round, Bureau sequence), each candidate's eligibility
 * (category, dues, age, seniority or the exception voted at the meeting,
 * the group's zone, a declaration in time, the post's region), the
 * ballots (counts or named open votes) bounded by the voices, who
 * presides a post of the Bureau (the eldest for the president's post,
 * then the president elected), the qualified candidates (plurality,
 * threshold, two rounds), the seats (tiebreak.c) and the cooptation
 * list.
 *
 * Trusts the profile, not the question: a candidate must be on the roll,
 * listed once and eligible, or the count is refused with the reason and
 * the article — except a candidate short of seniority where the meeting
 * may vote an exception (Espace+ 5): on the ballot, elected only if the
 * motion the candidate names was counted before and adopted, otherwise
 * ineligible in the result (cr->ineligible) with the reason. Ballots and
 * votes never exceed what can be cast; a fact an eligibility rule needs
 * is an error when missing.
 *
 * Invariants: qr->cands ends sorted by votes, descending, then by roll
 * order; an ineligible candidate is never elected nor on the cooptation
 * list; a first round of two elects at most one candidate (two above the
 * absolute majority is an error); a meeting that cannot deliberate elects
 * nobody.
 */
#include "ballot-formats/count_int.h"
#include "ballot-formats/util.h"
#include "common/xmalloc.h"

#include <stdlib.h>
#include <string.h>

static const char *const INELIGIBLE[] = {"", "seniority_no_exception",
	"seniority_exception_not_counted", "seniority_exception_rejected"};

const char *
ct_ineligible_code(enum ct_ineligible w)
{
	return (unsigned)w < sizeof INELIGIBLE / sizeof INELIGIBLE[0] ? INELIGIBLE[w] : "?";
}

/* Member i is short of the seniority the profile requires on the vote
 * date: 1; 0 when not; -1 (an error) when the date it needs is missing. */
static int
seniority_short(struct ctx *c, size_t i, unsigned line)
{
	const struct ct_member *mb = &c->m->members[i];
	const struct pr_candidates *k = &c->b->candidates;
	bool reg = k->seniority_date == PR_SENIORITY_REGISTERED;

	if (!(reg ? mb->has_registered : mb->has_validated))
		return ct_err(c, line, "candidat « %s » : la date %s doit être indiquée (art. %s)",
		    "candidate '%s': %s date is needed (art. %s)", mb->id,
		    reg ? "registered" : "validated", k->seniority_src.article);
	int32_t until = st_date_add_months(reg ? mb->registered : mb->validated,
	    (int)k->seniority_months);
	return k->seniority_compare == PR_AT_LEAST ? until > c->m->date : until >= c->m->date;
}

/* The exception to the seniority rule voted for candidate cd (Espace+ 5):
 * the question it names must be a motion under the profile's waiver
 * decision, voted by the candidate's college where the profile says so;
 * it counts only once counted, before this election (question qi), and
 * adopted. OUT cr->ineligible (CT_INELIG_NONE: the exception holds). */
static int
exception_check(struct ctx *c, size_t qi, size_t i, const struct ct_candidate *cd,
    struct ct_cand_result *cr)
{
	const struct pr_candidates *k = &c->b->candidates;
	const char *cat = c->m->members[i].category, *art = k->seniority_src.article;
	size_t j;

	cr->exception = cd->seniority_exception;
	if (cd->seniority_exception == NULL) {
		cr->ineligible = CT_INELIG_NO_EXCEPTION;
		return 0;
	}
	for (j = 0; j < c->nq && strcmp(c->qs[j].id, cd->seniority_exception) != 0; j++)
		;
	if (j == qi)
		return ct_err(c, cd->line, "candidat « %s » : l'exception à l'ancienneté doit "
		    "être une autre question",
		    "candidate '%s': the seniority exception must be "
		    "another question", cd->id);
	if (j >= qi) {                  /* not in this count, or after the election */
		cr->ineligible = CT_INELIG_EXCEPTION_NOT_COUNTED;
		return 0;
	}
	const struct ct_question *x = &c->qs[j];
	if (x->kind != CT_Q_MOTION || x->decision == NULL ||
	    strcmp(x->decision, k->waiver_decision) != 0)
		return ct_err(c, cd->line, "candidat « %s » : la question « %s » n'est pas une "
		    "motion « %s » (art. %s)",
		    "candidate '%s': question '%s' is not a '%s' motion "
		    "(art. %s)", cd->id, x->id, k->waiver_decision, art);
	if (k->waiver_own_college) {
		const struct pr_college *col = x->college ?
		    profile_college_find(c->b, x->college) : NULL;
		bool in = false;
		for (size_t n = 0; col != NULL && n < col->n; n++)
			in = in || strcmp(col->cats[n], cat) == 0;
		if (!in)
			return ct_err(c, cd->line, "candidat « %s » : l'exception à l'ancienneté « %s » "
			    "doit être votée par le collège de la catégorie « %s » (art. %s)",
			    "candidate '%s': the seniority exception '%s' must be "
			    "voted by the college of category '%s' (art. %s)", cd->id, x->id, cat, art);
	}
	cr->ineligible = c->r->questions[j].outcome == CT_OUT_ADOPTED ? CT_INELIG_NONE :
	    CT_INELIG_EXCEPTION_REJECTED;
	return 0;
}

/* Candidate cd (member i) of q may stand, or the count is refused with
 * the reason and the article; short of seniority where the meeting may
 * vote an exception, the candidate stays on the ballot and cr says why
 * they cannot be elected. */
static int
candidate_eligible(struct ctx *c, const struct ct_question *q, const struct pr_election *er,
    size_t qi, size_t i, const struct ct_candidate *cd, struct ct_cand_result *cr)
{
	const struct ct_member *mb = &c->m->members[i];
	const struct pr_candidates *k = &c->b->candidates;
	const struct pr_category *cat = profile_category_find(c->b, mb->category);
	const char *why_fr = NULL, *why = NULL, *art = "";
	unsigned line = cd->line;
	bool paid = true;
	int sh = 0;

	if (cd->seniority_exception != NULL && !k->seniority_waiver)
		return ct_err(c, line, "candidat « %s » : le profil ne prévoit pas d'exception "
		    "à l'ancienneté (art. %s)",
		    "candidate '%s': the profile provides no seniority exception "
		    "(art. %s)", mb->id, k->seniority_src.article);
	if (cat->eligible && k->dues.required && !cat->dues_exempt &&
	    ct_dues_check(c, &k->dues, i, "candidat", "candidate", line, &paid) != 0)
		return -1;
	if (!cat->eligible) {
		why_fr = "sa catégorie n'est pas éligible";
		why = "their category is not eligible";
		art = cat->src.article;
	} else if (!paid) {
		why_fr = "cotisation non à jour à la date du vote";
		why = "dues not paid at the vote date";
		art = k->dues.src.article;
	} else if (!k->minors_eligible && (!mb->has_birth || st_date_age(mb->birth, c->m->date) < 18)) {
		if (!mb->has_birth)
			return ct_err(c, line, "candidat « %s » : la date de naissance (birth) "
			    "doit être indiquée (art. %s)",
			    "candidate '%s': birth date is needed (art. %s)", mb->id,
			    k->minors_src.article);
		why_fr = "un mineur ne peut pas être élu";
		why = "a minor cannot be elected";
		art = k->minors_src.article;
	} else if (k->seniority && (sh = seniority_short(c, i, line)) != 0) {
		if (sh < 0)
			return -1;
		if (!k->seniority_waiver) {
			why_fr = "membre depuis trop peu de temps";
			why = "not a member for long enough";
			art = k->seniority_src.article;
		} else if (exception_check(c, qi, i, cd, cr) != 0) {
			return -1;
		}
	}
	if (why == NULL && c->b->voters.zone == PR_ZONE_GROUP) {
		enum ct_reason z = c->r->members[i].reason;
		if (z == CT_R_ZONE || z == CT_R_NOT_ENROLLED || z == CT_R_ENROLMENT_RECENT) {
			why_fr = z == CT_R_ZONE ? "domicile hors de la zone du groupe" :
			    z == CT_R_NOT_ENROLLED ? "non inscrit dans le groupe" :
			    "inscrit dans le groupe depuis trop peu de temps";
			why = z == CT_R_ZONE ? "home outside the group's zone" :
			    z == CT_R_NOT_ENROLLED ? "not enrolled in the group" :
			    "enrolled in the group for too short a time";
			art = c->b->voters.zone_src.article;
		}
	}
	if (why == NULL && mb->declared_at_meeting) {
		if (!k->late_allowed) {
			why_fr = "candidature déclarée pendant la réunion";
			why = "candidacy declared during the meeting";
			art = k->declaration_src.article;
		}
	} else if (why == NULL && k->declaration) {
		if (!mb->has_declared)
			return ct_err(c, line, "candidat « %s » : la date de candidature "
			    "(declared) doit être indiquée (art. %s)",
			    "candidate '%s': declared date is needed (art. %s)", mb->id,
			    k->declaration_src.article);
		if (mb->declared > c->m->date - (int32_t)k->declaration_days) {
			why_fr = "candidature déclarée trop tard";
			why = "candidacy declared too late";
			art = k->declaration_src.article;
		}
	}
	if (why == NULL && er->same_region &&
	    (mb->region == NULL || strcmp(mb->region, q->region) != 0)) {
		if (mb->region == NULL)
			return ct_err(c, line, "candidat « %s » : la région doit être indiquée "
			    "(art. %s)",
			    "candidate '%s': region is needed (art. %s)", mb->id,
			    er->src.article);
		why_fr = "pas de la région du poste";
		why = "not of the post's region";
		art = er->src.article;
	}
	if (why != NULL)
		return ct_err(c, line, "question « %s » : le candidat « %s » n'est pas éligible : "
		    "%s%.0s (art. %s)",
		    "question '%s': candidate '%s' is not eligible: %.0s%s (art. %s)",
		    q->id, mb->id, why_fr, why, art);
	return 0;
}

static int
cmp_cand(const void *a, const void *b)
{
	const struct ct_cand_result *x = a, *y = b;

	if (x->votes != y->votes)
		return x->votes > y->votes ? -1 : 1;
	return x->member < y->member ? -1 : x->member > y->member;
}

/* The candidates who may be elected first, each part by cmp_cand. */
static int
cmp_cand_qualified(const void *a, const void *b)
{
	const struct ct_cand_result *x = a, *y = b;

	if (x->qualified != y->qualified)
		return x->qualified ? -1 : 1;
	return cmp_cand(a, b);
}

static int
presiding(struct ctx *c, const struct ct_question *q, struct ct_question_result *qr, size_t qi)
{
	if (q->president_post) {
		size_t best = CT_NONE;
		bool tie = false;
		for (size_t i = 0; i < c->m->n_members; i++) {
			const struct ct_member *mb = &c->m->members[i];
			if (!c->r->members[i].voter || !ct_mode_is_there(c->r->members[i].mode))
				continue;
			if (!mb->has_birth)
				return ct_err(c, mb->line, "membre « %s » : la date de naissance "
				    "doit être indiquée pour trouver le doyen d'âge, qui préside "
				    "l'élection du président (art. %s)",
				    "member '%s': birth date is needed to find the "
				    "eldest, who presides the election of the president (art. %s)",
				    mb->id, qr->erule->src.article);
			if (best == CT_NONE || mb->birth < c->m->members[best].birth) {
				best = i;
				tie = false;
			} else if (mb->birth == c->m->members[best].birth) {
				tie = true;
			}
		}
		if (best == CT_NONE)
			return ct_err(c, q->line, "question « %s » : personne n'est présent pour "
			    "présider",
			    "question '%s': nobody present to preside", q->id);
		if (tie)
			return ct_err(c, q->line, "question « %s » : les deux membres les plus "
			    "âgés ont la même date de naissance ; le profil ne dit pas qui préside",
			    "question '%s': two eldest members share a birth date; "
			    "the profile does not say who presides", q->id);
		qr->presided_by = best;
		qr->presided_by_eldest = true;
		return 0;
	}
	for (size_t k = 0; k < qi; k++) {
		const struct ct_question_result *pq = &c->r->questions[k];
		if (pq->q->kind == CT_Q_ELECTION && pq->erule == qr->erule && pq->q->president_post &&
		    pq->outcome == CT_OUT_ELECTED) {
			for (size_t j = 0; j < pq->n_cands; j++)
				if (pq->cands[j].elected)
					qr->presided_by = pq->cands[j].member;
			return 0;
		}
	}
	if (q->elected_president != NULL) {
		size_t i;
		if (ct_member_need(c, q->elected_president, q->line, "président élu",
		    "elected president", &i) != 0)
			return -1;
		qr->presided_by = i;
		return 0;
	}
	return ct_err(c, q->line, "question « %s » : le président doit être élu en premier, sous "
	    "la présidence du doyen d'âge (art. %s)",
	    "question '%s': the president must be elected first, under the "
	    "eldest (art. %s)", q->id, qr->erule->src.article);
}

/* The election's rule for q (qr->erule, OUT *out) and q's fit with it:
 * seats, the number of candidates, the region, the round, the Bureau
 * sequence. */
static int
election_rule_check(struct ctx *c, const struct ct_question *q, struct ct_question_result *qr,
    const struct pr_election **out)
{
	const struct pr_election *er;

	if (q->election == NULL || (er = profile_election_find(c->b, q->election)) == NULL)
		return ct_err(c, q->line, "question « %s » : l'élection « %s » n'est pas définie "
		    "pour l'instance « %s »",
		    "question '%s': election '%s' is not defined for body '%s'",
		    q->id, q->election ? q->election : "(none)", c->b->id);
	qr->erule = er;
	qr->presided_by = CT_NONE;
	if (q->seats < 1)
		return ct_err(c, q->line, "question « %s » : il faut au moins un siège (seats)",
		    "question '%s': seats must be at least 1", q->id);
	if (q->n_cands > CT_MAX_CANDS)
		return ct_err(c, q->line, "question « %s » : trop de candidats",
		    "question '%s': too many candidates", q->id);
	if (er->same_region && q->region == NULL)
		return ct_err(c, q->line, "question « %s » : la région doit être indiquée "
		    "(art. %s)",
		    "question '%s': region is needed (art. %s)", q->id,
		    er->src.article);
	if (!er->same_region && q->region != NULL)
		return ct_err(c, q->line, "question « %s » : l'élection « %s » ne fait pas voter "
		    "par région",
		    "question '%s': election '%s' has no per-region voters",
		    q->id, er->id);
	if (er->method == PR_METHOD_TWO_ROUND && (q->round < 1 || q->round > 2))
		return ct_err(c, q->line, "question « %s » : le tour (round) doit être 1 ou 2",
		    "question '%s': round must be 1 or 2", q->id);
	if (er->method != PR_METHOD_TWO_ROUND && q->round != 0)
		return ct_err(c, q->line, "question « %s » : l'élection « %s » n'a qu'un tour",
		    "question '%s': election '%s' has a single round", q->id, er->id);
	if (er->method == PR_METHOD_TWO_ROUND && q->seats != 1)
		return ct_err(c, q->line, "question « %s » : une élection à deux tours pourvoit un "
		    "seul siège",
		    "question '%s': a two-round election fills one seat", q->id);
	if (er->sequence == PR_SEQ_NONE && q->president_post)
		return ct_err(c, q->line, "question « %s » : l'élection « %s » ne prévoit pas "
		    "d'ordre d'élection du Bureau",
		    "question '%s': election '%s' has no Bureau sequence", q->id,
		    er->id);
	*out = er;
	return 0;
}

/* q's candidates into qr->cands, in q's order: each on the roll, listed
 * once, eligible (or short of seniority pending an exception). */
static int
election_candidates_load(struct ctx *c, const struct ct_question *q,
    struct ct_question_result *qr, const struct pr_election *er, size_t qi)
{
	qr->n_cands = q->n_cands;
	qr->cands = xcalloc(q->n_cands ? q->n_cands : 1, sizeof *qr->cands);
	for (size_t k = 0; k < q->n_cands; k++) {
		size_t i;
		if (ct_member_need(c, q->cands[k].id, q->cands[k].line, "candidat", "candidate",
		    &i) != 0)
			return -1;
		for (size_t j = 0; j < k; j++)
			if (qr->cands[j].member == i)
				return ct_err(c, q->cands[k].line,
				    "question « %s » : le candidat « %s » figure deux fois",
				    "question '%s': candidate '%s' listed twice", q->id, q->cands[k].id);
		if (candidate_eligible(c, q, er, qi, i, &q->cands[k], &qr->cands[k]) != 0)
			return -1;
		qr->cands[k].member = i;
		qr->cands[k].votes = q->cands[k].votes;
		qr->cands[k].decided_by = -1;
	}
	return 0;
}

/* q's named open votes (a show of hands for one seat), each for one
 * candidate by a voice that can be cast once: added to the candidates'
 * votes and to *valid. */
static int
election_open_votes(struct ctx *c, const struct ct_question *q, struct ct_question_result *qr,
    const struct pr_election *er, uint32_t *valid)
{
	bool *seen;
	int rc = -1;

	if (qr->secret_required)
		return ct_err(c, q->line, "question « %s » : des votes nominatifs pour un vote qui "
		    "doit être secret",
		    "question '%s': named open votes for a vote that must "
		    "be secret", q->id);
	if (q->seats != 1 || *valid != 0)
		return ct_err(c, q->line, "question « %s » : chaque vote nominatif désigne un "
		    "candidat ; ne pas donner de décompte de bulletins avec eux",
		    "question '%s': open votes name one candidate each; "
		    "give no ballot counts with them", q->id);
	seen = xcalloc(c->m->n_members, sizeof *seen);
	for (size_t k = 0; k < q->n_open; k++) {
		const struct ct_open_vote *ov = &q->open[k];
		size_t i, j;
		if (ct_member_need(c, ov->voice, ov->line, "vote nominatif de",
		    "open vote: voice", &i) != 0)
			goto out;
		if (seen[i] || !ct_voice_available(c, qr, i, false,
		    er->same_region ? q->region : NULL)) {
			ct_err(c, ov->line, "vote nominatif : la voix de « %s » ne peut pas "
			    "s'exprimer (deux fois, ou pas disponible) sur la question « %s »",
			    "open vote: the voice of '%s' cannot be cast "
			    "(twice, or not available) on question '%s'", ov->voice, q->id);
			goto out;
		}
		seen[i] = true;
		for (j = 0; j < q->n_cands; j++)
			if (strcmp(q->cands[j].id, ov->choice) == 0)
				break;
		if (j == q->n_cands) {
			ct_err(c, ov->line, "vote nominatif de « %s » : « %s » n'est pas candidat",
			    "open vote of '%s': '%s' is not a candidate",
			    ov->voice, ov->choice);
			goto out;
		}
		qr->cands[j].votes++;
		(*valid)++;
	}
	rc = 0;
out:
	free(seen);
	return rc;
}

/* The ballots against what can be cast: valid, blank and null ballots
 * within the voices, each candidate's votes within the valid ballots,
 * all votes within one per seat on each valid ballot. */
static int
election_ballots_check(struct ctx *c, const struct ct_question *q,
    const struct ct_question_result *qr, uint32_t valid)
{
	uint64_t ballots = (uint64_t)valid + q->blank + q->null_ballots;
	if (ballots > qr->voices.total)
		return ct_err(c, q->line, "question « %s » : %llu bulletins, mais %u voix "
		    "seulement peuvent s'exprimer",
		    "question '%s': %llu ballots but only %u voices can be cast",
		    q->id, (unsigned long long)ballots, qr->voices.total);
	uint64_t sum = 0;
	for (size_t k = 0; k < qr->n_cands; k++) {
		if (qr->cands[k].votes > valid)
			return ct_err(c, q->cands[k].line, "question « %s » : le candidat « %s » a "
			    "plus de voix que de bulletins valables",
			    "question '%s': candidate '%s' has more votes "
			    "than valid ballots", q->id, q->cands[k].id);
		sum += qr->cands[k].votes;
	}
	if (sum > (uint64_t)valid * q->seats)
		return ct_err(c, q->line, "question « %s » : %llu voix sur %u bulletins valables "
		    "pour %u siège(s)",
		    "question '%s': %llu votes on %u valid ballots for %u seat(s)",
		    q->id, (unsigned long long)sum, valid, q->seats);
	return 0;
}

/* The pool: candidates who may be elected — eligible, one vote at least,
 * and the rule's threshold of the valid ballots where the method has one
 * (a threshold, the first round of two) — first in qr->cands, sorted by
 * votes. Returns their number. */
static size_t
election_pool_sort(const struct ct_question *q, struct ct_question_result *qr,
    const struct pr_election *er, uint32_t valid)
{
	for (size_t k = 0; k < qr->n_cands; k++)
		qr->cands[k].qualified = qr->cands[k].votes >= 1;
	if (er->method == PR_METHOD_THRESHOLD ||
	    (er->method == PR_METHOD_TWO_ROUND && q->round == 1)) {
		qr->required = ct_threshold_required(&er->t, valid);
		if (qr->required < 1)
			qr->required = 1;
		for (size_t k = 0; k < qr->n_cands; k++)
			qr->cands[k].qualified = qr->cands[k].votes >= qr->required;
	}
	for (size_t k = 0; k < qr->n_cands; k++)
		qr->cands[k].qualified = qr->cands[k].qualified &&
		    qr->cands[k].ineligible == CT_INELIG_NONE;
	qsort(qr->cands, qr->n_cands, sizeof *qr->cands, cmp_cand_qualified);
	size_t pool = 0;
	while (pool < qr->n_cands && qr->cands[pool].qualified)
		pool++;
	return pool;
}

/* Once the seats are filled: the seats left unfilled, the outcome, the
 * cooptation list (threshold elections that provide for it): every
 * eligible candidate not elected, best placed first, each with its place
 * (equal votes, equal place). The board co-opts in that order, each
 * candidate by its own vote, so one it does not co-opt leaves the seat
 * to the next: the list does not stop at the number of seats unfilled. */
static void
election_outcome_set(const struct ct_question *q, struct ct_question_result *qr,
    const struct pr_election *er)
{
	uint32_t elected = 0;
	for (size_t k = 0; k < qr->n_cands; k++)
		elected += qr->cands[k].elected;
	qr->unfilled = q->seats - elected;
	if (qr->tiebreak == CT_TB_UNRESOLVED)
		qr->outcome = CT_OUT_TIE_UNRESOLVED;
	else if (er->method == PR_METHOD_TWO_ROUND && q->round == 1 && elected == 0)
		qr->outcome = CT_OUT_SECOND_ROUND;
	else if (elected == 0)
		qr->outcome = CT_OUT_NOBODY_ELECTED;
	else if (qr->unfilled > 0)
		qr->outcome = CT_OUT_PARTLY_ELECTED;
	else
		qr->outcome = CT_OUT_ELECTED;
	if (er->method == PR_METHOD_THRESHOLD && er->cooptation && qr->unfilled > 0 &&
	    qr->tiebreak != CT_TB_UNRESOLVED) {
		/* qr->cands is sorted by votes: the others in that order. */
		uint32_t listed = 0, rank = 0, lastv = 0;
		for (size_t k = 0; k < qr->n_cands; k++) {
			if (qr->cands[k].elected ||
			    qr->cands[k].ineligible != CT_INELIG_NONE)
				continue;
			listed++;
			if (listed == 1 || qr->cands[k].votes != lastv)
				rank = listed;
			qr->cands[k].coopt = true;
			qr->cands[k].coopt_rank = rank;
			lastv = qr->cands[k].votes;
		}
	}
}

int
ct_election_count(struct ctx *c, const struct ct_question *q, struct ct_question_result *qr, size_t qi)
{
	const struct pr_election *er = NULL;

	if (election_rule_check(c, q, qr, &er) != 0)
		return -1;
	if (ct_recused_set(c, q, false) != 0)
		return -1;
	if (ct_voices_count(c, q, qr, false, NULL, er->same_region ? q->region : NULL) != 0)
		return -1;
	ct_secret_decide(c, q, qr, er->secret, true);
	if (q->fraud_suspected && !c->b->secret.fraud_revote)
		return ct_err(c, q->line, "question « %s » : le profil ne prévoit rien en cas de "
		    "fraude suspectée",
		    "question '%s': the profile has no rule for a suspected fraud",
		    q->id);
	if (election_candidates_load(c, q, qr, er, qi) != 0)
		return -1;
	uint32_t valid = q->valid;
	if (q->n_open > 0 && election_open_votes(c, q, qr, er, &valid) != 0)
		return -1;
	if (election_ballots_check(c, q, qr, valid) != 0)
		return -1;
	qr->ballots = valid;
	if (er->sequence == PR_SEQ_PRESIDENT_FIRST && presiding(c, q, qr, qi) != 0)
		return -1;
	if (!ct_quorum_can_deliberate(c)) {
		qsort(qr->cands, qr->n_cands, sizeof *qr->cands, cmp_cand);
		qr->outcome = CT_OUT_CANNOT_DELIBERATE;
		return 0;
	}
	size_t pool = election_pool_sort(q, qr, er, valid);
	if (er->method == PR_METHOD_TWO_ROUND && q->round == 1 && pool > 1)
		return ct_err(c, q->line, "question « %s » : deux candidats au-dessus de la "
		    "majorité absolue",
		    "question '%s': two candidates above an absolute majority",
		    q->id);
	if (ct_seats_select(c, q, qr, er, pool, q->seats) != 0)
		return -1;
	/* Back to the votes' order, an ineligible candidate among them. */
	qsort(qr->cands, qr->n_cands, sizeof *qr->cands, cmp_cand);
	election_outcome_set(q, qr, er);
	if (q->fraud_suspected)
		qr->outcome = CT_OUT_PROPOSE_REVOTE;
	return 0;
}

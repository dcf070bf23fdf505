/*
 * count.c — the statutes engine's counting: standing of members and
 * proxies, quorum, motions, alternatives, elections, tie-breaks, draws.
 *
 * Pure logic: no I/O, no allocation failure path (st_x* abort), no
 * floating point. Trusts the profile (already validated by its loader)
 * but not the meeting facts: every id is resolved, every total is bounded
 * by the voices that could cast it, and a fact a rule needs but the
 * caller did not give is an error, never a default.
 *
 * Invariants: a member's voice is counted at most once per question
 * (present, represented, mail-in or internet — modes are exclusive); a
 * holder never holds more proxies than the cap that applies to them;
 * thresholds are computed by ct_threshold_required only.
 */
#include "ballot-formats/count.h"
#include "ballot-formats/count_int.h"
#include "common/xmalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct idx_ent {
	const char *id;
	size_t i;
};

static const char *const REASONS[CT_R_COUNT] = {
	"ok", "consultative", "dues_unpaid", "registered_after_roll_freeze",
	"outside_group_zone", "not_enrolled_in_group", "group_enrolment_too_recent",
	"minor",
	"proxies_not_allowed", "channel_not_allowed", "missing_assembly_date",
	"wrong_assembly_date", "missing_holder", "after_deadline", "giver_not_voter",
	"giver_present", "duplicate", "self_proxy", "holder_not_voter", "holder_absent",
	"over_cap", "no_volunteer", "not_redistributed", "redistribution_over_cap",
	"redistribution_target_not_voter", "ca_proxies_not_allowed",
	"mail_in_not_allowed", "internet_not_allowed",
	"holder_recused", "recused", "mail_in_off_agenda", "no_fallback_proxy",
	"present_members_only",
};

static const char *const OUTCOMES[] = {
	"adopted", "rejected", "revote_next_ag", "needs_casting_vote",
	"cannot_deliberate", "propose_revote", "winner", "none_approved",
	"tie_unresolved", "elected", "partly_elected", "nobody_elected",
	"second_round", "drawn",
};

const char *
ct_reason_code(enum ct_reason r)
{
	return (unsigned)r < CT_R_COUNT ? REASONS[r] : "?";
}

const char *
ct_outcome_code(enum ct_outcome o)
{
	return (unsigned)o < sizeof OUTCOMES / sizeof OUTCOMES[0] ? OUTCOMES[o] : "?";
}

int
ct_err(struct ctx *c, unsigned line, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (line)
		(void)snprintf(c->err, c->errlen, "line %u: %s", line, msg);
	else
		(void)snprintf(c->err, c->errlen, "%s", msg);
	return -1;
}

uint32_t
ct_threshold_required(const struct pr_threshold *t, uint32_t base)
{
	uint64_t a = (uint64_t)t->num * base, d = t->den, v, req;

	switch (t->rounding) {
	case PR_ROUND_FLOOR:
		v = a / d + t->plus;
		req = t->compare == PR_AT_LEAST ? v : v + 1;
		break;
	case PR_ROUND_CEIL:
		v = (a + d - 1) / d + t->plus;
		req = t->compare == PR_AT_LEAST ? v : v + 1;
		break;
	case PR_ROUND_NONE:
	default:
		/* Exact: at least x -> ceil(x); more than x -> floor(x) + 1. */
		if (t->compare == PR_AT_LEAST)
			req = (a + d - 1) / d + t->plus;
		else
			req = a / d + 1 + t->plus;
		break;
	}
	if (req < t->minimum)
		req = t->minimum;
	return req > UINT32_MAX ? UINT32_MAX : (uint32_t)req;
}

/* ---- roll lookup ---- */

static int
cmp_idx(const void *a, const void *b)
{
	return strcmp(((const struct idx_ent *)a)->id, ((const struct idx_ent *)b)->id);
}

size_t
ct_member_find(const struct ctx *c, const char *id)
{
	size_t lo = 0, hi = c->m->n_members;

	if (id == NULL)
		return CT_NONE;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = strcmp(c->idx[mid].id, id);
		if (d == 0)
			return c->idx[mid].i;
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return CT_NONE;
}

int
ct_member_need(struct ctx *c, const char *id, unsigned line, const char *what, size_t *out)
{
	*out = ct_member_find(c, id);
	if (*out == CT_NONE)
		return ct_err(c, line, "%s '%s' is not on the roll", what, id ? id : "(none)");
	return 0;
}

/* ---- elections ---- */

static int
candidate_eligible(struct ctx *c, const struct ct_question *q, const struct pr_election *er,
    size_t i, unsigned line)
{
	const struct ct_member *mb = &c->m->members[i];
	const struct pr_candidates *k = &c->b->candidates;
	const struct pr_category *cat = profile_category_find(c->b, mb->category);
	const char *why = NULL, *art = "";

	if (!cat->eligible) {
		why = "their category is not eligible";
		art = cat->src.article;
	} else if (k->dues_paid && !cat->dues_exempt && mb->dues_paid != CT_YES) {
		if (mb->dues_paid == CT_UNKNOWN)
			return ct_err(c, line, "candidate '%s': dues_paid is needed (art. %s)", mb->id,
			    k->dues_src.article);
		why = "dues not paid at the vote date";
		art = k->dues_src.article;
	} else if (!k->minors_eligible && (!mb->has_birth || st_date_age(mb->birth, c->m->date) < 18)) {
		if (!mb->has_birth)
			return ct_err(c, line, "candidate '%s': birth date is needed (art. %s)", mb->id,
			    k->minors_src.article);
		why = "a minor cannot be elected";
		art = k->minors_src.article;
	} else if (k->seniority && !mb->seniority_waived) {
		bool has = k->seniority_date == PR_SENIORITY_REGISTERED ? mb->has_registered :
		    mb->has_validated;
		int32_t since = k->seniority_date == PR_SENIORITY_REGISTERED ? mb->registered :
		    mb->validated;
		if (!has)
			return ct_err(c, line, "candidate '%s': %s date is needed (art. %s)", mb->id,
			    k->seniority_date == PR_SENIORITY_REGISTERED ? "registered" : "validated",
			    k->seniority_src.article);
		int32_t until = st_date_add_months(since, (int)k->seniority_months);
		bool ok = k->seniority_compare == PR_AT_LEAST ? until <= c->m->date :
		    until < c->m->date;
		if (!ok) {
			why = "not a member for long enough";
			art = k->seniority_src.article;
		}
	} else if (k->seniority && mb->seniority_waived && !k->seniority_waiver) {
		return ct_err(c, line, "candidate '%s': the profile allows no seniority waiver", mb->id);
	}
	if (why == NULL && c->b->voters.zone == PR_ZONE_GROUP) {
		enum ct_reason z = c->r->members[i].reason;
		if (z == CT_R_ZONE || z == CT_R_NOT_ENROLLED || z == CT_R_ENROLMENT_RECENT) {
			why = z == CT_R_ZONE ? "home outside the group's zone" :
			    z == CT_R_NOT_ENROLLED ? "not enrolled in the group" :
			    "enrolled in the group for too short a time";
			art = c->b->voters.zone_src.article;
		}
	}
	if (why == NULL && mb->declared_at_meeting) {
		if (!k->late_allowed) {
			why = "candidacy declared during the meeting";
			art = k->declaration_src.article;
		}
	} else if (why == NULL && k->declaration) {
		if (!mb->has_declared)
			return ct_err(c, line, "candidate '%s': declared date is needed (art. %s)", mb->id,
			    k->declaration_src.article);
		if (mb->declared > c->m->date - (int32_t)k->declaration_days) {
			why = "candidacy declared too late";
			art = k->declaration_src.article;
		}
	}
	if (why == NULL && er->same_region &&
	    (mb->region == NULL || strcmp(mb->region, q->region) != 0)) {
		if (mb->region == NULL)
			return ct_err(c, line, "candidate '%s': region is needed (art. %s)", mb->id,
			    er->src.article);
		why = "not of the post's region";
		art = er->src.article;
	}
	if (why != NULL)
		return ct_err(c, line, "question '%s': candidate '%s' is not eligible: %s (art. %s)",
		    q->id, mb->id, why, art);
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
				return ct_err(c, mb->line, "member '%s': birth date is needed to find the "
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
			return ct_err(c, q->line, "question '%s': nobody present to preside", q->id);
		if (tie)
			return ct_err(c, q->line, "question '%s': two eldest members share a birth date; "
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
		if (ct_member_need(c, q->elected_president, q->line, "elected president", &i) != 0)
			return -1;
		qr->presided_by = i;
		return 0;
	}
	return ct_err(c, q->line, "question '%s': the president must be elected first, under the "
	    "eldest (art. %s)", q->id, qr->erule->src.article);
}

int
ct_election_count(struct ctx *c, const struct ct_question *q, struct ct_question_result *qr, size_t qi)
{
	const struct pr_election *er;

	if (q->election == NULL || (er = profile_election_find(c->b, q->election)) == NULL)
		return ct_err(c, q->line, "question '%s': election '%s' is not defined for body '%s'",
		    q->id, q->election ? q->election : "(none)", c->b->id);
	qr->erule = er;
	qr->presided_by = CT_NONE;
	if (q->seats < 1)
		return ct_err(c, q->line, "question '%s': seats must be at least 1", q->id);
	if (q->n_cands > CT_MAX_CANDS)
		return ct_err(c, q->line, "question '%s': too many candidates", q->id);
	if (er->same_region && q->region == NULL)
		return ct_err(c, q->line, "question '%s': region is needed (art. %s)", q->id,
		    er->src.article);
	if (!er->same_region && q->region != NULL)
		return ct_err(c, q->line, "question '%s': election '%s' has no per-region voters",
		    q->id, er->id);
	if (er->method == PR_METHOD_TWO_ROUND && (q->round < 1 || q->round > 2))
		return ct_err(c, q->line, "question '%s': round must be 1 or 2", q->id);
	if (er->method != PR_METHOD_TWO_ROUND && q->round != 0)
		return ct_err(c, q->line, "question '%s': election '%s' has a single round", q->id, er->id);
	if (er->method == PR_METHOD_TWO_ROUND && q->seats != 1)
		return ct_err(c, q->line, "question '%s': a two-round election fills one seat", q->id);
	if (er->sequence == PR_SEQ_NONE && q->president_post)
		return ct_err(c, q->line, "question '%s': election '%s' has no Bureau sequence", q->id,
		    er->id);
	if (ct_recused_set(c, q, false) != 0)
		return -1;
	if (ct_voices_count(c, q, qr, false, NULL, er->same_region ? q->region : NULL) != 0)
		return -1;
	ct_secret_decide(c, q, qr, er->secret, true);
	if (q->fraud_suspected && !c->b->secret.fraud_revote)
		return ct_err(c, q->line, "question '%s': the profile has no rule for a suspected fraud",
		    q->id);
	qr->n_cands = q->n_cands;
	qr->cands = xcalloc(q->n_cands ? q->n_cands : 1, sizeof *qr->cands);
	for (size_t k = 0; k < q->n_cands; k++) {
		size_t i;
		if (ct_member_need(c, q->cands[k].id, q->cands[k].line, "candidate", &i) != 0)
			return -1;
		for (size_t j = 0; j < k; j++)
			if (qr->cands[j].member == i)
				return ct_err(c, q->cands[k].line, "question '%s': candidate '%s' listed twice",
				    q->id, q->cands[k].id);
		if (candidate_eligible(c, q, er, i, q->cands[k].line) != 0)
			return -1;
		qr->cands[k].member = i;
		qr->cands[k].votes = q->cands[k].votes;
		qr->cands[k].decided_by = -1;
	}
	uint32_t valid = q->valid;
	if (q->n_open > 0) {
		bool *seen = xcalloc(c->m->n_members, sizeof *seen);
		if (qr->secret_required) {
			free(seen);
			return ct_err(c, q->line, "question '%s': named open votes for a vote that must "
			    "be secret", q->id);
		}
		if (q->seats != 1 || valid != 0) {
			free(seen);
			return ct_err(c, q->line, "question '%s': open votes name one candidate each; "
			    "give no ballot counts with them", q->id);
		}
		for (size_t k = 0; k < q->n_open; k++) {
			const struct ct_open_vote *ov = &q->open[k];
			size_t i, j;
			if (ct_member_need(c, ov->voice, ov->line, "open vote: voice", &i) != 0) {
				free(seen);
				return -1;
			}
			if (seen[i] || !ct_voice_available(c, qr, i, false,
			    er->same_region ? q->region : NULL)) {
				free(seen);
				return ct_err(c, ov->line, "open vote: the voice of '%s' cannot be cast "
				    "(twice, or not available) on question '%s'", ov->voice, q->id);
			}
			seen[i] = true;
			for (j = 0; j < q->n_cands; j++)
				if (strcmp(q->cands[j].id, ov->choice) == 0)
					break;
			if (j == q->n_cands) {
				free(seen);
				return ct_err(c, ov->line, "open vote of '%s': '%s' is not a candidate",
				    ov->voice, ov->choice);
			}
			qr->cands[j].votes++;
			valid++;
		}
		free(seen);
	}
	uint64_t ballots = (uint64_t)valid + q->blank + q->null_ballots;
	if (ballots > qr->voices.total)
		return ct_err(c, q->line, "question '%s': %llu ballots but only %u voices can be cast",
		    q->id, (unsigned long long)ballots, qr->voices.total);
	uint64_t sum = 0;
	for (size_t k = 0; k < qr->n_cands; k++) {
		if (qr->cands[k].votes > valid)
			return ct_err(c, q->cands[k].line, "question '%s': candidate '%s' has more votes "
			    "than valid ballots", q->id, q->cands[k].id);
		sum += qr->cands[k].votes;
	}
	if (sum > (uint64_t)valid * q->seats)
		return ct_err(c, q->line, "question '%s': %llu votes on %u valid ballots for %u seat(s)",
		    q->id, (unsigned long long)sum, valid, q->seats);
	qr->ballots = valid;
	if (er->sequence == PR_SEQ_PRESIDENT_FIRST && presiding(c, q, qr, qi) != 0)
		return -1;
	if (!ct_quorum_can_deliberate(c)) {
		qsort(qr->cands, qr->n_cands, sizeof *qr->cands, cmp_cand);
		qr->outcome = CT_OUT_CANNOT_DELIBERATE;
		return 0;
	}
	/* The pool: candidates who may be elected, sorted by votes. */
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
	qsort(qr->cands, qr->n_cands, sizeof *qr->cands, cmp_cand);
	/* Qualified candidates first (stable by votes: they are the top ones). */
	size_t pool = 0;
	while (pool < qr->n_cands && qr->cands[pool].qualified)
		pool++;
	if (er->method == PR_METHOD_TWO_ROUND && q->round == 1 && pool > 1)
		return ct_err(c, q->line, "question '%s': two candidates above an absolute majority",
		    q->id);
	if (ct_seats_select(c, q, qr, er, pool, q->seats) != 0)
		return -1;
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
		/* Best placed of the others, ties at the boundary included. */
		uint32_t listed = 0, lastv = 0;
		for (size_t k = 0; k < qr->n_cands; k++) {
			if (qr->cands[k].elected || qr->cands[k].votes == 0)
				continue;
			if (listed >= qr->unfilled && qr->cands[k].votes != lastv)
				break;
			qr->cands[k].coopt = true;
			lastv = qr->cands[k].votes;
			listed++;
		}
	}
	if (q->fraud_suspected)
		qr->outcome = CT_OUT_PROPOSE_REVOTE;
	return 0;
}

/* ---- draws ---- */

int
ct_draw_count(struct ctx *c, const struct ct_question *q, struct ct_question_result *qr)
{
	const struct pr_draw *d;
	size_t n = q->n_pool;
	uint64_t a, k, state;

	if (q->draw == NULL || (d = profile_draw_find(c->b, q->draw)) == NULL)
		return ct_err(c, q->line, "question '%s': draw '%s' is not defined for body '%s'",
		    q->id, q->draw ? q->draw : "(none)", c->b->id);
	qr->drule = d;
	if (!q->has_seed)
		return ct_err(c, q->line, "question '%s': a draw needs a seed", q->id);
	size_t *pool = xcalloc(n ? n : 1, sizeof *pool);
	for (size_t i = 0; i < n; i++) {
		if (ct_member_need(c, q->pool[i], q->line, "draw pool member", &pool[i]) != 0)
			goto bad;
		for (size_t j = 0; j < i; j++)
			if (pool[j] == pool[i]) {
				ct_err(c, q->line, "question '%s': '%s' is twice in the pool", q->id, q->pool[i]);
				goto bad;
			}
	}
	a = (uint64_t)d->num * n;
	switch (d->rounding) {
	case PR_ROUND_FLOOR: k = a / d->den; break;
	case PR_ROUND_CEIL:  k = (a + d->den - 1) / d->den; break;
	default:
		if (a % d->den != 0) {
			ct_err(c, q->line, "question '%s': %u/%u of %zu is not a whole number and the "
			    "profile sets no rounding (art. %s)", q->id, d->num, d->den, n, d->src.article);
			goto bad;
		}
		k = a / d->den;
		break;
	}
	state = q->seed;
	for (size_t i = 0; i < k; i++) {
		size_t j = i + (size_t)st_uniform(&state, n - i);
		size_t t = pool[i];
		pool[i] = pool[j];
		pool[j] = t;
	}
	qr->drawn = pool;
	qr->n_drawn = (size_t)k;
	qr->outcome = CT_OUT_DRAWN;
	return 0;
bad:
	free(pool);
	return -1;
}

int
ct_count(const struct profile *p, const struct ct_meeting *m, const struct ct_question *qs,
    size_t nq, struct ct_result *r, char *err, size_t errlen)
{
	struct ctx c;
	int rc = -1;

	memset(r, 0, sizeof *r);
	memset(&c, 0, sizeof c);
	c.p = p;
	c.m = m;
	c.qs = qs;
	c.nq = nq;
	c.r = r;
	c.err = err;
	c.errlen = errlen;
	c.president = CT_NONE;
	err[0] = '\0';
	r->profile = p;
	r->meeting = m;
	if ((c.b = profile_body_find(p, m->body)) == NULL)
		return ct_err(&c, 0, "body '%s' is not defined in profile '%s'", m->body, p->id);
	r->body = c.b;
	if (m->n_members > CT_MAX_MEMBERS || m->n_proxies > CT_MAX_PROXIES ||
	    m->n_mail_in > CT_MAX_MEMBERS || m->n_internet > CT_MAX_MEMBERS || nq > CT_MAX_QUESTIONS)
		return ct_err(&c, 0, "too many members, proxies or questions");
	r->members = xcalloc(m->n_members, sizeof *r->members);
	r->proxies = xcalloc(m->n_proxies, sizeof *r->proxies);
	r->mail_in = xcalloc(m->n_mail_in, sizeof *r->mail_in);
	r->internet = xcalloc(m->n_internet, sizeof *r->internet);
	r->questions = xcalloc(nq, sizeof *r->questions);
	r->n_questions = nq;
	c.idx = xcalloc(m->n_members, sizeof *c.idx);
	c.gave = xcalloc(m->n_members, sizeof *c.gave);
	c.recused = xcalloc(m->n_members, sizeof *c.recused);
	c.fallback = xcalloc(m->n_members, sizeof *c.fallback);
	for (size_t i = 0; i < m->n_members; i++) {
		c.idx[i].id = m->members[i].id;
		c.idx[i].i = i;
	}
	qsort(c.idx, m->n_members, sizeof *c.idx, cmp_idx);
	for (size_t i = 1; i < m->n_members; i++)
		if (strcmp(c.idx[i - 1].id, c.idx[i].id) == 0) {
			ct_err(&c, m->members[c.idx[i].i].line, "member '%s' is twice on the roll",
			    c.idx[i].id);
			goto out;
		}
	if (ct_members_assess(&c) != 0 || ct_proxies_assess(&c) != 0 ||
	    ct_mail_internet_assess(&c) != 0 || ct_quorum_compute(&c) != 0)
		goto out;
	for (size_t k = 0; k < nq; k++) {
		const struct ct_question *q = &qs[k];
		struct ct_question_result *qr = &r->questions[k];
		qr->q = q;
		qr->winner = CT_NONE;
		qr->presided_by = CT_NONE;
		for (size_t j = 0; j < k; j++)
			if (strcmp(qs[j].id, q->id) == 0) {
				ct_err(&c, q->line, "question id '%s' is used twice", q->id);
				goto out;
			}
		int qrc;
		switch (q->kind) {
		case CT_Q_MOTION:
		case CT_Q_ALTERNATIVES:
			qrc = ct_motion_count(&c, q, qr);
			break;
		case CT_Q_ELECTION:
			qrc = ct_election_count(&c, q, qr, k);
			break;
		case CT_Q_DRAW:
			qrc = ct_draw_count(&c, q, qr);
			break;
		default:
			qrc = ct_err(&c, q->line, "question '%s': unknown kind", q->id);
			break;
		}
		if (qrc != 0)
			goto out;
	}
	rc = 0;
out:
	free(c.idx);
	free(c.gave);
	free(c.recused);
	free(c.fallback);
	if (rc != 0)
		ct_result_free(r);
	return rc;
}

void
ct_result_free(struct ct_result *r)
{
	for (size_t k = 0; k < r->n_questions && r->questions; k++) {
		free(r->questions[k].refusals);
		free(r->questions[k].alts);
		free(r->questions[k].cands);
		free(r->questions[k].drawn);
	}
	free(r->questions);
	free(r->members);
	free(r->proxies);
	free(r->mail_in);
	free(r->internet);
	memset(r, 0, sizeof *r);
}

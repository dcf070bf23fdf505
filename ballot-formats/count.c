/*
 * count.c — the counting library's entry points and glue. ct_count runs
 * the steps in order: the members' standing (standing.c), the proxies
 * (proxy.c), the mail-in and internet votes (standing.c), the quorum
 * (quorum.c), then each question by kind — motions and alternatives
 * (motion.c), elections (election.c, seats and tie-breaks in
 * tiebreak.c), draws (draw.c), each with its voices (voices.c) and
 * secrecy (secret.c) — and ct_result_free frees what it built. Here too:
 * the reason and outcome codes, the error message (ct_err), the roll's
 * index by id and the threshold arithmetic.
 *
 * Pure logic: no I/O, no allocation failure path (common/xmalloc.h
 * aborts), no floating point. Trusts the profile (already validated by
 * its loader) but not the meeting facts: every id is resolved, every
 * total is bounded by the voices that could cast it, and a fact a rule
 * needs but the caller did not give is an error, never a default.
 *
 * Invariants: a member's voice is counted at most once per question
 * (present, represented, mail-in or internet — modes are exclusive); a
 * holder never holds more proxies than the cap that applies to them;
 * thresholds are computed by ct_threshold_required only; member ids and
 * question ids are unique; a count that fails leaves nothing to free.
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
ct_err(struct ctx *c, unsigned line, const char *fr, const char *en, ...)
{
	va_list ap;

	va_start(ap, en);
	st_msg_vset(c->err, line, fr, en, ap);
	va_end(ap);
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
ct_member_need(struct ctx *c, const char *id, unsigned line, const char *what_fr,
    const char *what, size_t *out)
{
	*out = ct_member_find(c, id);
	if (*out == CT_NONE)
		return ct_err(c, line, "%s%.0s « %s » : pas sur la liste des membres",
		    "%.0s%s '%s' is not on the roll", what_fr, what, id ? id : "(none)");
	return 0;
}

int
ct_count(const struct profile *p, const struct ct_meeting *m, const struct ct_question *qs,
    size_t nq, struct ct_result *r, struct st_msg *err)
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
	c.president = CT_NONE;
	memset(err, 0, sizeof *err);
	r->profile = p;
	r->meeting = m;
	if ((c.b = profile_body_find(p, m->body)) == NULL)
		return ct_err(&c, 0, "l'instance « %s » n'est pas définie dans le profil « %s »",
		    "body '%s' is not defined in profile '%s'", m->body, p->id);
	r->body = c.b;
	if (m->n_members > CT_MAX_MEMBERS || m->n_proxies > CT_MAX_PROXIES ||
	    m->n_mail_in > CT_MAX_MEMBERS || m->n_internet > CT_MAX_MEMBERS || nq > CT_MAX_QUESTIONS)
		return ct_err(&c, 0, "trop de membres, de procurations ou de questions",
		    "too many members, proxies or questions");
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
			ct_err(&c, m->members[c.idx[i].i].line, "le membre « %s » figure deux fois "
			    "sur la liste des membres",
			    "member '%s' is twice on the roll",
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
				ct_err(&c, q->line, "l'identifiant de question « %s » est utilisé "
				    "deux fois",
				    "question id '%s' is used twice", q->id);
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
			qrc = ct_err(&c, q->line, "question « %s » : type inconnu",
			    "question '%s': unknown kind", q->id);
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
		free(r->questions[k].fallback);
		free(r->questions[k].alts);
		free(r->questions[k].cands);
		free(r->questions[k].drawn);
		free(r->questions[k].unanimity_absent);
	}
	for (size_t k = 0; r->proxies && k < r->meeting->n_proxies; k++) {
		free(r->proxies[k].pool);
		free(r->proxies[k].declined);
	}
	free(r->questions);
	free(r->members);
	free(r->proxies);
	free(r->mail_in);
	free(r->internet);
	memset(r, 0, sizeof *r);
}

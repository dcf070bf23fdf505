/*
 * voices.c — the voices of one question: which voters may vote on it (a
 * college, a region, the recused left out) and how many voices can be
 * cast — present, remote, represented, mail-in, internet — with a
 * refusal for each voice that cannot be cast on this question (recused,
 * their holder recused, present members only, a mail-in vote off the
 * agenda without a valid fallback proxy).
 *
 * Trusts the standing steps (standing.c, proxy.c) for each member's mode,
 * the proxies' holders and the mail-in fallback holders (resolved
 * there); resolves the recused members' ids itself, and a voter's region
 * is an error when missing where the question needs it.
 *
 * Invariants: a voice counts at most once per question, in one mode or
 * in one refusal; the fallback proxies of a question count toward their
 * holder's cap with the proxies already held, never beyond it.
 * c->recused and c->fallback are per-question scratch: ct_recused_set
 * and ct_voices_count reset them for each question.
 */
#include "ballot-formats/count_int.h"
#include "common/xmalloc.h"

#include <string.h>

static void
add_refusal(struct ct_question_result *qr, size_t member, enum ct_reason why, size_t holder)
{
	qr->refusals = xreallocarray(qr->refusals, qr->n_refusals + 1, sizeof *qr->refusals);
	qr->refusals[qr->n_refusals].member = member;
	qr->refusals[qr->n_refusals].reason = why;
	qr->refusals[qr->n_refusals].holder = holder;
	qr->n_refusals++;
}

static int
mail_index(const struct ctx *c, size_t member)
{
	for (size_t k = 0; k < c->m->n_mail_in; k++)
		if (c->r->mail_in[k].accepted &&
		    strcmp(c->m->mail_in[k].voter, c->m->members[member].id) == 0)
			return (int)k;
	return -1;
}

int
ct_recused_set(struct ctx *c, const struct ct_question *q, bool allowed)
{
	memset(c->recused, 0, c->m->n_members * sizeof *c->recused);
	if (q->n_recused && !allowed)
		return ct_err(c, q->line, "question « %s » : cette décision ne prévoit pas de "
		    "récusation",
		    "question '%s': this decision provides for no recusal", q->id);
	for (size_t k = 0; k < q->n_recused; k++) {
		size_t i;
		if (ct_member_need(c, q->recused[k], q->line, "membre récusé", "recused member",
		    &i) != 0)
			return -1;
		c->recused[i] = true;
	}
	return 0;
}

/* Represented voter i: their voice counts unless the question is for
 * members present only, or their proxy's holder is recused where the body
 * says a recused member cannot hold one. */
static void
voices_represented(struct ctx *c, struct ct_question_result *qr, size_t i, bool present_only)
{
	const struct ct_meeting *m = c->m;
	const struct ct_member *mb = &m->members[i];
	struct ct_voices *v = &qr->voices;
	size_t h = CT_NONE;

	for (size_t k = 0; k < m->n_proxies; k++)
		if (c->r->proxies[k].accepted && strcmp(m->proxies[k].giver, mb->id) == 0)
			h = c->r->proxies[k].holder;
	if (present_only)
		add_refusal(qr, i, CT_R_PRESENT_ONLY, h);
	else if (h != CT_NONE && c->recused[h] && c->b->recusal_cannot_hold)
		add_refusal(qr, i, CT_R_HOLDER_RECUSED, h);
	else
		v->represented++;
}

/* Mail-in voter i: their vote counts on the agenda's questions (on all
 * where the body allows it); off the agenda, the fallback holder they
 * named represents them — a voter, there, not recused where that
 * matters, and under their cap with this question's fallback proxies. */
static void
voices_mail_in(struct ctx *c, const struct ct_question *q, struct ct_question_result *qr,
    size_t i, bool present_only)
{
	const struct ct_meeting *m = c->m;
	struct ct_voices *v = &qr->voices;
	const struct ct_mail_in *mi = &m->mail_in[mail_index(c, i)];
	size_t h;

	if (present_only) {
		add_refusal(qr, i, CT_R_PRESENT_ONLY, CT_NONE);
		return;
	}
	if (q->on_agenda || !c->b->mail_in.agenda_only) {
		v->mail_in++;
		return;
	}
	if (!c->b->mail_in.fallback_proxy) {
		add_refusal(qr, i, CT_R_MAIL_OFF_AGENDA, CT_NONE);
		return;
	}
	if (mi->fallback_holder == NULL) {
		add_refusal(qr, i, CT_R_NO_FALLBACK, CT_NONE);
		return;
	}
	h = ct_member_find(c, mi->fallback_holder);
	const struct ct_member_standing *hs = &c->r->members[h];
	uint32_t cap = ct_holder_cap(c, h);
	if (!hs->voter)
		add_refusal(qr, i, CT_R_HOLDER_NOT_VOTER, h);
	else if (!ct_mode_is_there(hs->mode))
		add_refusal(qr, i, CT_R_HOLDER_ABSENT, h);
	else if (c->recused[h] && c->b->recusal_cannot_hold)
		add_refusal(qr, i, CT_R_HOLDER_RECUSED, h);
	else if (cap != PR_UNLIMITED && hs->held + c->fallback[h] >= cap)
		add_refusal(qr, i, CT_R_OVER_CAP, h);
	else {
		c->fallback[h]++;
		v->represented++;
		qr->fallback[mail_index(c, i)] = h;
	}
}

int
ct_voices_count(struct ctx *c, const struct ct_question *q, struct ct_question_result *qr,
    bool present_only, const struct pr_college *col, const char *region)
{
	const struct ct_meeting *m = c->m;
	struct ct_voices *v = &qr->voices;

	memset(c->fallback, 0, m->n_members * sizeof *c->fallback);
	if (m->n_mail_in > 0) {
		qr->fallback = xreallocarray(qr->fallback, m->n_mail_in,
		    sizeof *qr->fallback);
		for (size_t k = 0; k < m->n_mail_in; k++)
			qr->fallback[k] = CT_NONE;
	}
	for (size_t i = 0; i < m->n_members; i++) {
		const struct ct_member *mb = &m->members[i];
		const struct ct_member_standing *s = &c->r->members[i];
		if (!s->voter)
			continue;
		if (col != NULL) {
			bool in = false;
			for (size_t k = 0; k < col->n; k++)
				in = in || strcmp(col->cats[k], mb->category) == 0;
			if (!in)
				continue;
		}
		if (region != NULL) {
			if (mb->region == NULL)
				return ct_err(c, mb->line, "membre « %s » : la région doit être "
				    "indiquée pour la question « %s »",
				    "member '%s': region is needed for question '%s'",
				    mb->id, q->id);
			if (strcmp(mb->region, region) != 0)
				continue;
		}
		if (c->recused[i]) {
			add_refusal(qr, i, CT_R_RECUSED, CT_NONE);
			continue;
		}
		v->members++;
		switch (s->mode) {
		case CT_MODE_PRESENT:
			v->present++;
			break;
		case CT_MODE_REMOTE:
			v->remote++;
			break;
		case CT_MODE_REPRESENTED:
			voices_represented(c, qr, i, present_only);
			break;
		case CT_MODE_MAIL_IN:
			voices_mail_in(c, q, qr, i, present_only);
			break;
		case CT_MODE_INTERNET:
			if (present_only)
				add_refusal(qr, i, CT_R_PRESENT_ONLY, CT_NONE);
			else
				v->internet++;
			break;
		default:
			break;
		}
	}
	v->total = v->present + v->remote + v->represented + v->mail_in + v->internet;
	return 0;
}

/* Is member i's voice cast in this question (for named open votes)? */
bool
ct_voice_available(const struct ctx *c, const struct ct_question_result *qr, size_t i,
    bool present_only, const char *region)
{
	const struct ct_member_standing *s = &c->r->members[i];

	if (!s->voter || c->recused[i] || s->mode == CT_MODE_ABSENT)
		return false;
	if (region && (c->m->members[i].region == NULL ||
	    strcmp(c->m->members[i].region, region) != 0))
		return false;
	if (present_only && !ct_mode_is_there(s->mode))
		return false;
	for (size_t k = 0; k < qr->n_refusals; k++)
		if (qr->refusals[k].member == i)
			return false;
	return true;
}

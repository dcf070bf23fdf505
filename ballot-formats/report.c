/*
 * report.c — builds the JSON form of a ct_result. Key order is insertion
 * order (stable); every figure is copied from the result, never derived.
 */
#include "ballot-formats/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const MODES[] = {"absent", "present", "remote", "represented", "mail_in",
	"internet"};
static const char *const ROUNDINGS[] = {"none", "floor", "ceil"};
static const char *const COMPARES[] = {"at_least", "more_than"};
static const char *const BASES[] = {"expressed", "voices", "present", "members", "valid_ballots"};
static const char *const TBS[] = {"function", "city_not_represented", "semesters", "sex_parity",
	"eldest"};

static void
set(json_t *o, const char *k, json_t *v)
{
	(void)json_object_set_new(o, k, v);
}

static json_t *
str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *
threshold_json(const struct pr_threshold *t)
{
	json_t *o = json_object();
	char frac[32];

	(void)snprintf(frac, sizeof frac, "%u/%u", t->num, t->den);
	set(o, "fraction", json_string(frac));
	set(o, "compare", json_string(COMPARES[t->compare]));
	set(o, "rounding", json_string(ROUNDINGS[t->rounding]));
	if (t->plus)
		set(o, "plus", json_integer(t->plus));
	if (t->minimum)
		set(o, "minimum", json_integer(t->minimum));
	return o;
}

static json_t *
source_json(json_t *o, const struct pr_source *s)
{
	set(o, "article", json_string(s->article));
	if (s->reading[0])
		set(o, "reading", json_string(s->reading));
	return o;
}

static const char *
mid(const struct ct_result *r, size_t i)
{
	return i == CT_NONE ? NULL : r->meeting->members[i].id;
}

/* A seed as a decimal string: exact for any 64-bit value, in JavaScript
 * too. */
static json_t *
seed_json(uint64_t seed)
{
	char b[24];

	(void)snprintf(b, sizeof b, "%llu", (unsigned long long)seed);
	return json_string(b);
}

/* Member indices as an array of ids. */
static json_t *
ids_json(const struct ct_result *r, const size_t *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		(void)json_array_append_new(a, json_string(mid(r, v[i])));
	return a;
}

/* A random reassignment, enough to draw it again: the seed, its rank
 * among the meeting's (the generator runs on), the pool in the order
 * drawn from, the members drawn who declined. */
static json_t *
reassignment_json(const struct ct_result *r, const struct ct_proxy_standing *s)
{
	json_t *o = json_object();

	set(o, "seed", seed_json(r->meeting->seed));
	set(o, "rank", json_integer(s->rank));
	set(o, "pool", ids_json(r, s->pool, s->n_pool));
	set(o, "declined", ids_json(r, s->declined, s->n_declined));
	return o;
}

/* Why a candidate on the ballot cannot be elected (Espace+ 5). */
static json_t *
ineligible_json(const struct ct_result *r, const struct ct_cand_result *c)
{
	json_t *o = json_object();

	set(o, "reason", json_string(ct_ineligible_code(c->ineligible)));
	set(o, "exception", str_or_null(c->exception));
	set(o, "article", json_string(r->body->candidates.seniority_src.article));
	return o;
}

static json_t *
totals_json(const struct ct_totals *t)
{
	json_t *o = json_object();

	set(o, "pour", json_integer(t->v[CT_POUR]));
	set(o, "contre", json_integer(t->v[CT_CONTRE]));
	set(o, "abstention", json_integer(t->v[CT_ABSTENTION]));
	return o;
}

static json_t *
motion_json(json_t *o, const struct ct_motion_eval *e, const struct pr_decision *rule)
{
	static const char *const PVOTE[] = {"", "pour", "contre", "abstention", "none"};

	set(o, "totals", totals_json(&e->totals));
	set(o, "expressed", json_integer(e->expressed));
	if (rule->majority == PR_MAJ_THRESHOLD) {
		set(o, "base", json_integer(e->base));
		set(o, "required", json_integer(e->required));
	} else {
		set(o, "tie", json_boolean(e->tie));
		set(o, "casting_vote_used", json_boolean(e->casting_used));
		if (rule->casting_vote && e->president_vote != CT_PV_UNKNOWN)
			set(o, "president_vote", json_string(PVOTE[e->president_vote]));
		/* At a tie under a casting vote: used, or why not. */
		if (e->casting != CT_CAST_NA)
			set(o, "casting_vote", json_string(ct_casting_code(e->casting)));
	}
	set(o, "outcome", json_string(ct_outcome_code(e->outcome)));
	return o;
}

static json_t *
secret_json(const struct ct_result *r, const struct ct_question_result *qr)
{
	static const char *const WHY[] = {"default", "decision", "election", "member_objection",
		"bureau_request", "ca_request", "fraction_of_present", "unanimous_show_of_hands"};
	json_t *o = json_object(), *a = json_array();

	set(o, "required", json_boolean(qr->secret_required));
	if (qr->q->held_secret)
		set(o, "held", json_true());
	for (unsigned i = 0; i < 8; i++)
		if (qr->secret & (1u << i))
			(void)json_array_append_new(a, json_string(WHY[i]));
	set(o, "reasons", a);
	if (qr->askers_required)
		set(o, "askers_required", json_integer(qr->askers_required));
	if (qr->unanimity_asked) {
		json_t *u = json_object();
		set(u, "unanimous", json_boolean(qr->n_unanimity_absent == 0));
		set(u, "absent", ids_json(r, qr->unanimity_absent, qr->n_unanimity_absent));
		set(o, "unanimous_show_of_hands", u);
	}
	return o;
}

static json_t *
voices_json(const struct ct_voices *v)
{
	json_t *o = json_object();

	set(o, "present", json_integer(v->present));
	set(o, "remote", json_integer(v->remote));
	set(o, "represented", json_integer(v->represented));
	set(o, "mail_in", json_integer(v->mail_in));
	set(o, "internet", json_integer(v->internet));
	set(o, "total", json_integer(v->total));
	set(o, "members", json_integer(v->members));
	return o;
}

static json_t *
decision_json(const struct pr_decision *d, bool escalated)
{
	json_t *o = json_object();

	set(o, "id", json_string(d->id));
	set(o, "label", json_string(d->label));
	set(o, "majority", json_string(d->majority == PR_MAJ_RELATIVE ? "relative" : "threshold"));
	if (d->majority == PR_MAJ_THRESHOLD) {
		set(o, "base", json_string(BASES[d->base]));
		set(o, "threshold", threshold_json(&d->t));
	} else {
		set(o, "casting_vote", json_boolean(d->casting_vote));
		if (d->casting_vote)
			set(o, "casting_vote_secret", json_string(
			    d->casting_secret == PR_CASTING_SECRET_DECLARED ? "declared" : "tie_rejects"));
	}
	if (d->present_only)
		set(o, "voters", json_string("present_only"));
	if (escalated)
		set(o, "escalated", json_true());
	return source_json(o, &d->src);
}

static json_t *
question_json(const struct ct_result *r, size_t k, enum ph_lang lang)
{
	static const char *const KINDS[] = {"motion", "alternatives", "election", "draw"};
	const struct ct_question_result *qr = &r->questions[k];
	const struct ct_question *q = qr->q;
	json_t *o = json_object();
	struct st_buf b = {0};

	set(o, "id", json_string(q->id));
	set(o, "kind", json_string(KINDS[q->kind]));
	set(o, "outcome", json_string(ct_outcome_code(qr->outcome)));
	if (q->kind != CT_Q_DRAW) {
		set(o, "secret_ballot", secret_json(r, qr));
		set(o, "voices", voices_json(&qr->voices));
	}
	if (qr->n_refusals) {
		json_t *a = json_array();
		for (size_t i = 0; i < qr->n_refusals; i++) {
			json_t *x = json_object();
			set(x, "member", json_string(mid(r, qr->refusals[i].member)));
			set(x, "reason", json_string(ct_reason_code(qr->refusals[i].reason)));
			if (qr->refusals[i].holder != CT_NONE)
				set(x, "holder", json_string(mid(r, qr->refusals[i].holder)));
			(void)json_array_append_new(a, x);
		}
		set(o, "refusals", a);
	}
	switch (q->kind) {
	case CT_Q_MOTION:
		set(o, "rule", decision_json(qr->rule, qr->escalated));
		motion_json(o, &qr->m, qr->rule);
		break;
	case CT_Q_ALTERNATIVES: {
		json_t *a = json_array();
		set(o, "rule", decision_json(qr->rule, qr->escalated));
		for (size_t i = 0; i < q->n_alts; i++) {
			json_t *x = json_object();
			set(x, "id", json_string(q->alts[i].id));
			motion_json(x, &qr->alts[i], qr->rule);
			(void)json_array_append_new(a, x);
		}
		set(o, "motions", a);
		set(o, "winner", qr->winner == CT_NONE ? json_null() : json_string(q->alts[qr->winner].id));
		break;
	}
	case CT_Q_ELECTION: {
		static const char *const METH[] = {"plurality", "threshold", "two_round"};
		static const char *const TBR[] = {"not_needed", "resolved", "unresolved"};
		const struct pr_election *er = qr->erule;
		json_t *rule = json_object(), *a = json_array();
		set(rule, "id", json_string(er->id));
		set(rule, "method", json_string(METH[er->method]));
		if (er->method != PR_METHOD_PLURALITY)
			set(rule, "threshold", threshold_json(&er->t));
		source_json(rule, &er->src);
		set(o, "rule", rule);
		if (q->post)
			set(o, "post", json_string(q->post));
		if (q->region)
			set(o, "region", json_string(q->region));
		set(o, "seats", json_integer(q->seats));
		if (q->round)
			set(o, "round", json_integer(q->round));
		set(o, "valid_ballots", json_integer(qr->ballots));
		set(o, "blank", json_integer(q->blank));
		set(o, "null", json_integer(q->null_ballots));
		if (er->method != PR_METHOD_PLURALITY && qr->outcome != CT_OUT_CANNOT_DELIBERATE)
			set(o, "required", json_integer(qr->required));
		for (size_t i = 0; i < qr->n_cands; i++) {
			const struct ct_cand_result *c = &qr->cands[i];
			json_t *x = json_object();
			set(x, "id", json_string(mid(r, c->member)));
			set(x, "votes", json_integer(c->votes));
			set(x, "elected", json_boolean(c->elected));
			if (c->ineligible != CT_INELIG_NONE)
				set(x, "ineligible", ineligible_json(r, c));
			if (c->tied)
				set(x, "tied", json_true());
			if (c->coopt) {
				set(x, "cooptation", json_true());
				set(x, "cooptation_rank", json_integer(c->coopt_rank));
			}
			if (c->decided_by >= 0)
				set(x, "tie_broken_by", json_string(TBS[er->tiebreak[c->decided_by]]));
			(void)json_array_append_new(a, x);
		}
		set(o, "candidates", a);
		set(o, "tie_break", json_string(TBR[qr->tiebreak]));
		set(o, "unfilled", json_integer(qr->unfilled));
		if (qr->presided_by != CT_NONE) {
			json_t *x = json_object();
			set(x, "member", json_string(mid(r, qr->presided_by)));
			set(x, "as", json_string(qr->presided_by_eldest ? "eldest" : "elected_president"));
			set(o, "presided_by", x);
		}
		break;
	}
	case CT_Q_DRAW: {
		json_t *a = json_array();
		set(o, "draw", json_string(qr->drule->id));
		set(o, "seed", seed_json(q->seed));
		set(o, "pool_size", json_integer((json_int_t)q->n_pool));
		json_t *pl = json_array();
		for (size_t i = 0; i < q->n_pool; i++)
			(void)json_array_append_new(pl, json_string(q->pool[i]));
		set(o, "pool", pl);
		for (size_t i = 0; i < qr->n_drawn; i++)
			(void)json_array_append_new(a, json_string(mid(r, qr->drawn[i])));
		set(o, "drawn", a);
		source_json(o, &qr->drule->src);
		break;
	}
	}
	if (qr->secret_required && r->body->secret.counted_by[0])
		set(o, "counted_by", json_string(r->body->secret.counted_by));
	phrase_question(&b, r, k, lang);
	set(o, "sentence", json_string(b.s ? b.s : ""));
	st_buf_free(&b);
	return o;
}

json_t *
report_json(const struct ct_result *r, enum ph_lang lang)
{
	const struct ct_meeting *m = r->meeting;
	json_t *o = json_object(), *a;
	char date[11];
	struct st_buf b = {0};

	set(o, "profile", json_string(r->profile->id));
	set(o, "body", json_string(r->body->id));
	st_date_format(m->date, date);
	set(o, "date", json_string(date));
	a = json_array();
	for (size_t i = 0; i < m->n_members; i++) {
		const struct ct_member_standing *s = &r->members[i];
		json_t *x = json_object();
		set(x, "id", json_string(m->members[i].id));
		set(x, "voter", json_boolean(s->voter));
		if (!s->voter)
			set(x, "reason", json_string(ct_reason_code(s->reason)));
		set(x, "mode", json_string(MODES[s->mode]));
		if (s->held)
			set(x, "proxies_held", json_integer(s->held));
		(void)json_array_append_new(a, x);
	}
	set(o, "members", a);
	a = json_array();
	for (size_t k = 0; k < m->n_proxies; k++) {
		const struct ct_proxy_standing *s = &r->proxies[k];
		json_t *x = json_object();
		set(x, "giver", json_string(m->proxies[k].giver));
		set(x, "holder", str_or_null(m->proxies[k].holder));
		set(x, "status", json_string(s->accepted ? "accepted" : "refused"));
		if (s->accepted) {
			set(x, "held_by", json_string(mid(r, s->holder)));
			if (s->reassigned)
				set(x, "reassigned_at_random", json_true());
			if (s->rank)
				set(x, "reassignment", reassignment_json(r, s));
			if (s->redistributed)
				set(x, "redistributed", json_true());
			if (s->to_ca)
				set(x, "to_ca", json_true());
		} else {
			set(x, "reason", json_string(ct_reason_code(s->reason)));
			if (s->rank)
				set(x, "reassignment", reassignment_json(r, s));
		}
		(void)json_array_append_new(a, x);
	}
	set(o, "proxies", a);
	a = json_array();
	for (size_t k = 0; k < m->n_mail_in; k++) {
		json_t *x = json_object();
		set(x, "voter", json_string(m->mail_in[k].voter));
		set(x, "status", json_string(r->mail_in[k].accepted ? "accepted" : "refused"));
		if (!r->mail_in[k].accepted)
			set(x, "reason", json_string(ct_reason_code(r->mail_in[k].reason)));
		(void)json_array_append_new(a, x);
	}
	set(o, "mail_in", a);
	a = json_array();
	for (size_t k = 0; k < m->n_internet; k++) {
		json_t *x = json_object();
		set(x, "voter", json_string(m->internet[k]));
		set(x, "status", json_string(r->internet[k].accepted ? "accepted" : "refused"));
		if (!r->internet[k].accepted)
			set(x, "reason", json_string(ct_reason_code(r->internet[k].reason)));
		(void)json_array_append_new(a, x);
	}
	set(o, "internet", a);
	{
		static const char *const ST[] = {"not_required", "met", "not_met",
			"second_convocation_no_quorum"};
		const struct ct_quorum_result *q = &r->quorum;
		json_t *x = json_object();
		set(x, "status", json_string(ST[q->status]));
		if (q->status == CT_QUORUM_MET || q->status == CT_QUORUM_NOT_MET) {
			set(x, "base", json_integer(q->base));
			set(x, "counted", json_integer(q->counted));
			set(x, "required", json_integer(q->required));
			set(x, "present", json_integer(q->present));
			set(x, "remote", json_integer(q->remote));
			set(x, "represented", json_integer(q->represented));
			set(x, "mail_in", json_integer(q->mail_in));
			set(x, "internet", json_integer(q->internet));
			set(x, "threshold", threshold_json(&q->t));
		}
		if (q->meeting_set)
			set(x, "set_by_meeting", json_true());
		else
			source_json(x, &q->rule->src);
		phrase_quorum(&b, r, lang);
		set(x, "sentence", json_string(b.s ? b.s : ""));
		st_buf_free(&b);
		set(o, "quorum", x);
	}
	a = json_array();
	for (size_t k = 0; k < r->n_questions; k++)
		(void)json_array_append_new(a, question_json(r, k, lang));
	set(o, "questions", a);
	return o;
}

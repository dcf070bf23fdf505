/*
 * proxy.c — the proxies' standing: each proxy refused with a reason, or
 * accepted with its effective holder, under the body's proxy rules —
 * channels, required fields and deadline, the holder's presence and cap,
 * proxies to the CA voted by its president (A-IMI 9), the president's
 * pool and its redistribution (APROGEMERE II), and the random
 * reassignment of an absent holder's proxies among volunteers
 * (Espace+ 4).
 *
 * Trusts the profile, not the meeting: giver, holder, redistribution
 * target and volunteers must be on the roll, and a fact a rule needs
 * (channel, submission time, the meeting's start, the seed) is an error
 * when missing. Runs after the members' standing (standing.c), whose
 * voters and modes it reads.
 *
 * Invariants: a giver has at most one accepted proxy, and then is
 * represented; a holder never holds more proxies than the cap that
 * applies to them (the CA's proxies are counted apart, under the CA's
 * cap); the random reassignment depends on meeting.seed alone.
 */
#include "ballot-formats/count_int.h"
#include "ballot-formats/util.h"
#include "common/xmalloc.h"

#include <stdlib.h>
#include <string.h>

uint32_t
ct_holder_cap(const struct ctx *c, size_t h)
{
	const struct pr_proxies *x = &c->b->proxies;

	if (x->president_special && h == c->president)
		return x->redistribute_cap;
	return x->cap;
}

static void
accept_proxy(struct ctx *c, size_t k, size_t giver, size_t holder)
{
	struct ct_proxy_standing *ps = &c->r->proxies[k];

	ps->accepted = true;
	ps->reason = CT_R_OK;
	ps->holder = holder;
	c->r->members[giver].mode = CT_MODE_REPRESENTED;
	if (!ps->to_ca)
		c->r->members[holder].held++;
}

static void
refuse_proxy(struct ctx *c, size_t k, enum ct_reason why)
{
	c->r->proxies[k].accepted = false;
	c->r->proxies[k].reason = why;
}

enum pending { P_NONE, P_POOL, P_REASSIGN };

int
ct_proxies_assess(struct ctx *c)
{
	const struct ct_meeting *m = c->m;
	const struct pr_proxies *x = &c->b->proxies;
	enum pending *pend = xcalloc(m->n_proxies, sizeof *pend);
	size_t *givers = xcalloc(m->n_proxies, sizeof *givers);
	uint32_t pool = 0;
	int rc = -1;

	for (size_t k = 0; k < m->n_proxies; k++) {
		const struct ct_proxy *pr = &m->proxies[k];
		struct ct_proxy_standing *ps = &c->r->proxies[k];
		size_t g, h;

		ps->holder = CT_NONE;
		if (ct_member_need(c, pr->giver, pr->line, "proxy giver", &g) != 0)
			goto out;
		givers[k] = g;
		if (!x->allowed) {
			refuse_proxy(c, k, CT_R_PROXY_NOT_ALLOWED);
			continue;
		}
		if (pr->redistribute_to != NULL && !x->president_special)
			goto bad_redis;
		if (x->channels != (PR_CHANNEL_PAPER | PR_CHANNEL_DIGITAL)) {
			if (pr->channel == 0) {
				ct_err(c, pr->line, "proxy from '%s': channel is needed (art. %s)",
				    pr->giver, x->src.article);
				goto out;
			}
			if (!(pr->channel & x->channels)) {
				refuse_proxy(c, k, CT_R_CHANNEL);
				continue;
			}
		}
		if (pr->holder == NULL) {
			refuse_proxy(c, k, CT_R_MISSING_HOLDER);
			continue;
		}
		if (x->required_fields & PR_FIELD_ASSEMBLY_DATE) {
			if (!pr->has_assembly_date) {
				refuse_proxy(c, k, CT_R_MISSING_DATE);
				continue;
			}
			if (pr->assembly_date != m->date) {
				refuse_proxy(c, k, CT_R_WRONG_DATE);
				continue;
			}
		}
		if (x->deadline) {
			if (!m->has_start) {
				ct_err(c, 0, "meeting.start is needed for the proxy deadline (art. %s)",
				    x->src.article);
				goto out;
			}
			if (!pr->has_submitted) {
				ct_err(c, pr->line, "proxy from '%s': submitted time is needed (art. %s)",
				    pr->giver, x->src.article);
				goto out;
			}
			int64_t limit = (int64_t)m->date * 1440 + m->start_minutes - x->deadline_minutes;
			if (pr->submitted > limit) {
				refuse_proxy(c, k, CT_R_AFTER_DEADLINE);
				continue;
			}
		}
		if (!c->r->members[g].voter) {
			refuse_proxy(c, k, CT_R_GIVER_NOT_VOTER);
			continue;
		}
		if (ct_mode_is_there(c->r->members[g].mode)) {
			refuse_proxy(c, k, CT_R_GIVER_PRESENT);
			continue;
		}
		if (c->gave[g]) {
			refuse_proxy(c, k, CT_R_DUPLICATE);
			continue;
		}
		c->gave[g] = true;
		if (strcmp(pr->holder, CT_HOLDER_CA) == 0) {
			if (!x->ca_special) {
				refuse_proxy(c, k, CT_R_CA_NOT_ALLOWED);
				continue;
			}
			if (c->president == CT_NONE) {
				ct_err(c, pr->line, "a proxy to the CA is voted by its president, "
				    "and no member has the role president");
				goto out;
			}
			ps->to_ca = true;
			h = c->president;
		} else if (ct_member_need(c, pr->holder, pr->line, "proxy holder", &h) != 0) {
			goto out;
		}
		if (h == g) {
			refuse_proxy(c, k, CT_R_SELF);
			continue;
		}
		if (!c->r->members[h].voter) {
			refuse_proxy(c, k, CT_R_HOLDER_NOT_VOTER);
			continue;
		}
		if (x->holder_must_be_present && !ct_mode_is_there(c->r->members[h].mode)) {
			if (x->absent_holder == PR_ABSENT_RANDOM && !ps->to_ca) {
				pend[k] = P_REASSIGN;
				continue;
			}
			refuse_proxy(c, k, CT_R_HOLDER_ABSENT);
			continue;
		}
		if (pr->redistribute_to != NULL && h != c->president)
			goto bad_redis;
		if (ps->to_ca) {
			if (x->ca_cap != PR_UNLIMITED && c->ca_held >= x->ca_cap) {
				refuse_proxy(c, k, CT_R_OVER_CAP);
				continue;
			}
			c->ca_held++;
			accept_proxy(c, k, g, h);
			continue;
		}
		if (x->president_special && h == c->president) {
			if (x->president_cap != PR_UNLIMITED && pool >= x->president_cap) {
				refuse_proxy(c, k, CT_R_OVER_CAP);
				continue;
			}
			pool++;
			pend[k] = P_POOL;
			continue;
		}
		if (x->cap != PR_UNLIMITED && c->r->members[h].held >= x->cap) {
			refuse_proxy(c, k, CT_R_OVER_CAP);
			continue;
		}
		accept_proxy(c, k, g, h);
	}
	/* The president redistributes his pool (APROGEMERE II). */
	for (size_t k = 0; k < m->n_proxies; k++) {
		const struct ct_proxy *pr = &m->proxies[k];
		size_t t;

		if (pend[k] != P_POOL)
			continue;
		if (pr->redistribute_to == NULL) {
			if (c->r->members[c->president].held >= x->redistribute_cap) {
				refuse_proxy(c, k, CT_R_NOT_REDISTRIBUTED);
				continue;
			}
			accept_proxy(c, k, givers[k], c->president);
			continue;
		}
		if (ct_member_need(c, pr->redistribute_to, pr->line, "redistribution target", &t) != 0)
			goto out;
		if (!c->r->members[t].voter || !ct_mode_is_there(c->r->members[t].mode)) {
			refuse_proxy(c, k, CT_R_TARGET_NOT_VOTER);
			continue;
		}
		if (t == givers[k]) {
			refuse_proxy(c, k, CT_R_SELF);
			continue;
		}
		if (c->r->members[t].held >= x->redistribute_cap) {
			refuse_proxy(c, k, CT_R_TARGET_OVER_CAP);
			continue;
		}
		c->r->proxies[k].redistributed = t != c->president;
		accept_proxy(c, k, givers[k], t);
	}
	/* Random reassignment of an absent holder's proxies (Espace+ 4). */
	uint64_t state = m->seed;
	size_t *cand = xcalloc(m->n_volunteers + 1, sizeof *cand);
	for (size_t k = 0; k < m->n_proxies; k++) {
		size_t nc = 0;
		if (pend[k] != P_REASSIGN)
			continue;
		if (!m->has_seed) {
			free(cand);
			ct_err(c, m->proxies[k].line, "proxy from '%s': its holder is absent and the "
			    "random reassignment needs meeting.seed (art. %s)", m->proxies[k].giver,
			    x->src.article);
			goto out;
		}
		for (size_t v = 0; v < m->n_volunteers; v++) {
			size_t t = ct_member_find(c, m->volunteers[v]);
			if (t == CT_NONE) {
				free(cand);
				ct_err(c, 0, "volunteer '%s' is not on the roll", m->volunteers[v]);
				goto out;
			}
			const struct ct_member_standing *s = &c->r->members[t];
			if (!s->voter || !ct_mode_is_there(s->mode) || t == givers[k])
				continue;
			if (x->cap != PR_UNLIMITED && s->held >= ct_holder_cap(c, t))
				continue;
			cand[nc++] = t;
		}
		if (nc == 0) {
			refuse_proxy(c, k, CT_R_NO_VOLUNTEER);
			continue;
		}
		size_t pick = cand[st_uniform(&state, nc)];
		c->r->proxies[k].reassigned = true;
		accept_proxy(c, k, givers[k], pick);
	}
	free(cand);
	rc = 0;
	goto out;
bad_redis:
	rc = -1;
	for (size_t k = 0; k < m->n_proxies; k++)
		if (m->proxies[k].redistribute_to != NULL) {
			ct_err(c, m->proxies[k].line, "proxy from '%s': redistribute_to applies only to "
			    "proxies held by the president under a redistribution rule",
			    m->proxies[k].giver);
			break;
		}
out:
	free(pend);
	free(givers);
	return rc;
}

/*
 * proxy.c — the proxies' standing: each proxy refused with a reason, or
 * accepted with its effective holder, under the body's proxy rules —
 * channels, required fields and deadline, the holder's presence and cap,
 * proxies to the CA voted by its president (A-IMI 9), the president's
 * pool and its redistribution (APROGEMERE II), and the random
 * reassignment of an absent holder's proxies among volunteers, passing
 * over a member drawn who declines (Espace+ 4).
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
 * cap); the random reassignment depends on meeting.seed, the volunteers
 * and the members who decline alone, and keeps its pool and its
 * decliners in the result so that it can be drawn again.
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

/* What the three passes over the proxies share. */
struct proxy_pass {
	enum pending *pend;            /* per proxy: left to a later pass */
	size_t *givers;                /* per proxy: the giver's member index */
	uint32_t pool;                 /* proxies in the president's pool */
};

/* A redistribute_to where no redistribution applies: the error names the
 * first proxy that gives one. Returns -1. */
static int
proxy_redistribution_refuse(struct ctx *c)
{
	const struct ct_meeting *m = c->m;

	for (size_t k = 0; k < m->n_proxies; k++)
		if (m->proxies[k].redistribute_to != NULL)
			return ct_err(c, m->proxies[k].line,
			    "procuration de « %s » : redistribute_to ne s'applique qu'aux "
			    "procurations détenues par le président sous une règle de "
			    "redistribution",
			    "proxy from '%s': redistribute_to applies only to "
			    "proxies held by the president under a redistribution rule",
			    m->proxies[k].giver);
	return -1;
}

/* The form of proxy k: proxies allowed, its channel, a holder named, the
 * assembly's date, the deadline. OUT *why: the refusal, or CT_R_OK.
 * Returns -1 on an error. */
static int
proxy_form_check(struct ctx *c, size_t k, enum ct_reason *why)
{
	const struct ct_meeting *m = c->m;
	const struct ct_proxy *pr = &m->proxies[k];
	const struct pr_proxies *x = &c->b->proxies;

	*why = CT_R_OK;
	if (!x->allowed) {
		*why = CT_R_PROXY_NOT_ALLOWED;
		return 0;
	}
	if (pr->redistribute_to != NULL && !x->president_special)
		return proxy_redistribution_refuse(c);
	if (x->channels != (PR_CHANNEL_PAPER | PR_CHANNEL_DIGITAL)) {
		if (pr->channel == 0)
			return ct_err(c, pr->line, "procuration de « %s » : le canal (channel) "
			    "doit être indiqué (art. %s)",
			    "proxy from '%s': channel is needed (art. %s)",
			    pr->giver, x->src.article);
		if (!(pr->channel & x->channels)) {
			*why = CT_R_CHANNEL;
			return 0;
		}
	}
	if (pr->holder == NULL) {
		*why = CT_R_MISSING_HOLDER;
		return 0;
	}
	if (x->required_fields & PR_FIELD_ASSEMBLY_DATE) {
		if (!pr->has_assembly_date) {
			*why = CT_R_MISSING_DATE;
			return 0;
		}
		if (pr->assembly_date != m->date) {
			*why = CT_R_WRONG_DATE;
			return 0;
		}
	}
	if (x->deadline) {
		if (!m->has_start)
			return ct_err(c, 0, "meeting.start doit être indiqué pour le délai des "
			    "procurations (art. %s)",
			    "meeting.start is needed for the proxy deadline (art. %s)",
			    x->src.article);
		if (!pr->has_submitted)
			return ct_err(c, pr->line, "procuration de « %s » : l'heure de remise "
			    "(submitted) doit être indiquée (art. %s)",
			    "proxy from '%s': submitted time is needed (art. %s)",
			    pr->giver, x->src.article);
		int64_t limit = (int64_t)m->date * 1440 + m->start_minutes - x->deadline_minutes;
		if (pr->submitted > limit)
			*why = CT_R_AFTER_DEADLINE;
	}
	return 0;
}

/* Giver g may give a proxy: a voter, not there, no proxy given yet (then
 * marked as having given one). Returns the refusal, or CT_R_OK. */
static enum ct_reason
proxy_giver_check(struct ctx *c, size_t g)
{
	const struct ct_member_standing *s = &c->r->members[g];

	if (!s->voter)
		return CT_R_GIVER_NOT_VOTER;
	if (ct_mode_is_there(s->mode))
		return CT_R_GIVER_PRESENT;
	if (c->gave[g])
		return CT_R_DUPLICATE;
	c->gave[g] = true;
	return CT_R_OK;
}

/* The holder of proxy k, given by g: the CA's proxies go to the
 * president, the others to the member named. OUT *h; *why: the refusal
 * (a proxy to the CA not provided for, to oneself, to a non-voter), or
 * CT_R_OK. Returns -1 on an error. */
static int
proxy_holder_find(struct ctx *c, size_t k, size_t g, size_t *h, enum ct_reason *why)
{
	const struct ct_proxy *pr = &c->m->proxies[k];
	const struct pr_proxies *x = &c->b->proxies;

	*why = CT_R_OK;
	if (strcmp(pr->holder, CT_HOLDER_CA) == 0) {
		if (!x->ca_special) {
			*why = CT_R_CA_NOT_ALLOWED;
			return 0;
		}
		if (c->president == CT_NONE)
			return ct_err(c, pr->line, "une procuration au conseil d'administration "
			    "est votée par son président, et aucun membre n'a le rôle de président",
			    "a proxy to the CA is voted by its president, "
			    "and no member has the role president");
		c->r->proxies[k].to_ca = true;
		*h = c->president;
	} else if (ct_member_need(c, pr->holder, pr->line, "mandataire", "proxy holder", h) != 0) {
		return -1;
	}
	if (*h == g)
		*why = CT_R_SELF;
	else if (!c->r->members[*h].voter)
		*why = CT_R_HOLDER_NOT_VOTER;
	return 0;
}

/* Proxy k from g to h, who may hold it: left to the random reassignment
 * (h absent), refused (h absent, or a cap reached), put in the
 * president's pool, or accepted (the CA's, or h's). Returns -1 on an
 * error. */
static int
proxy_place(struct ctx *c, struct proxy_pass *pp, size_t k, size_t g, size_t h)
{
	const struct ct_proxy *pr = &c->m->proxies[k];
	const struct pr_proxies *x = &c->b->proxies;
	struct ct_proxy_standing *ps = &c->r->proxies[k];

	if (x->holder_must_be_present && !ct_mode_is_there(c->r->members[h].mode)) {
		if (x->absent_holder == PR_ABSENT_RANDOM && !ps->to_ca)
			pp->pend[k] = P_REASSIGN;
		else
			refuse_proxy(c, k, CT_R_HOLDER_ABSENT);
		return 0;
	}
	if (pr->redistribute_to != NULL && h != c->president)
		return proxy_redistribution_refuse(c);
	if (ps->to_ca) {
		if (x->ca_cap != PR_UNLIMITED && c->ca_held >= x->ca_cap) {
			refuse_proxy(c, k, CT_R_OVER_CAP);
			return 0;
		}
		c->ca_held++;
		accept_proxy(c, k, g, h);
		return 0;
	}
	if (x->president_special && h == c->president) {
		if (x->president_cap != PR_UNLIMITED && pp->pool >= x->president_cap) {
			refuse_proxy(c, k, CT_R_OVER_CAP);
			return 0;
		}
		pp->pool++;
		pp->pend[k] = P_POOL;
		return 0;
	}
	if (x->cap != PR_UNLIMITED && c->r->members[h].held >= x->cap) {
		refuse_proxy(c, k, CT_R_OVER_CAP);
		return 0;
	}
	accept_proxy(c, k, g, h);
	return 0;
}

/* The first pass, in the proxies' order: each proxy is refused, accepted,
 * or left to a later pass. */
static int
proxies_examine(struct ctx *c, struct proxy_pass *pp)
{
	const struct ct_meeting *m = c->m;

	for (size_t k = 0; k < m->n_proxies; k++) {
		const struct ct_proxy *pr = &m->proxies[k];
		enum ct_reason why;
		size_t g, h = CT_NONE;

		c->r->proxies[k].holder = CT_NONE;
		if (ct_member_need(c, pr->giver, pr->line, "mandant", "proxy giver", &g) != 0)
			return -1;
		pp->givers[k] = g;
		if (proxy_form_check(c, k, &why) != 0)
			return -1;
		if (why == CT_R_OK)
			why = proxy_giver_check(c, g);
		if (why == CT_R_OK && proxy_holder_find(c, k, g, &h, &why) != 0)
			return -1;
		if (why != CT_R_OK) {
			refuse_proxy(c, k, why);
			continue;
		}
		if (proxy_place(c, pp, k, g, h) != 0)
			return -1;
	}
	return 0;
}

/* The president redistributes his pool (APROGEMERE II). */
static int
proxies_pool_redistribute(struct ctx *c, const struct proxy_pass *pp)
{
	const struct ct_meeting *m = c->m;
	const struct pr_proxies *x = &c->b->proxies;

	for (size_t k = 0; k < m->n_proxies; k++) {
		const struct ct_proxy *pr = &m->proxies[k];
		size_t t;

		if (pp->pend[k] != P_POOL)
			continue;
		if (pr->redistribute_to == NULL) {
			if (c->r->members[c->president].held >= x->redistribute_cap) {
				refuse_proxy(c, k, CT_R_NOT_REDISTRIBUTED);
				continue;
			}
			accept_proxy(c, k, pp->givers[k], c->president);
			continue;
		}
		if (ct_member_need(c, pr->redistribute_to, pr->line,
		    "destinataire de la redistribution", "redistribution target", &t) != 0)
			return -1;
		if (!c->r->members[t].voter || !ct_mode_is_there(c->r->members[t].mode)) {
			refuse_proxy(c, k, CT_R_TARGET_NOT_VOTER);
			continue;
		}
		if (t == pp->givers[k]) {
			refuse_proxy(c, k, CT_R_SELF);
			continue;
		}
		if (c->r->members[t].held >= x->redistribute_cap) {
			refuse_proxy(c, k, CT_R_TARGET_OVER_CAP);
			continue;
		}
		c->r->proxies[k].redistributed = t != c->president;
		accept_proxy(c, k, pp->givers[k], t);
	}
	return 0;
}

/* The volunteers who may take proxy k (given by g) at random, in the
 * volunteers' order: there, with a vote, not the giver, under their cap.
 * OUT *pool (member indices, allocated), *n. */
static int
reassign_pool(struct ctx *c, size_t g, size_t **pool, size_t *n)
{
	const struct ct_meeting *m = c->m;
	const struct pr_proxies *x = &c->b->proxies;

	*pool = xcalloc(m->n_volunteers + 1, sizeof **pool);
	*n = 0;
	for (size_t v = 0; v < m->n_volunteers; v++) {
		size_t t = ct_member_find(c, m->volunteers[v]);
		if (t == CT_NONE)
			return ct_err(c, 0, "le volontaire « %s » n'est pas sur la liste des membres",
			    "volunteer '%s' is not on the roll", m->volunteers[v]);
		const struct ct_member_standing *s = &c->r->members[t];
		if (!s->voter || !ct_mode_is_there(s->mode) || t == g)
			continue;
		if (x->cap != PR_UNLIMITED && s->held >= ct_holder_cap(c, t))
			continue;
		(*pool)[(*n)++] = t;
	}
	return 0;
}

/* Member t declines the proxies reassigned to them (meeting.declined). */
static bool
reassign_declines(const struct ctx *c, size_t t)
{
	for (size_t k = 0; k < c->m->n_declined; k++)
		if (ct_member_find(c, c->m->declined[k]) == t)
			return true;
	return false;
}

/* Draws proxy k's holder from its pool with the generator *state: a
 * member drawn who declines is set aside (ps->declined) and the draw goes
 * on among the others. OUT *pick, CT_NONE when every one declined. */
static void
reassign_draw(const struct ctx *c, struct ct_proxy_standing *ps, uint64_t *state, size_t *pick)
{
	size_t *left = xcalloc(ps->n_pool + 1, sizeof *left), n = ps->n_pool;

	memcpy(left, ps->pool, n * sizeof *left);
	ps->declined = xcalloc(n + 1, sizeof *ps->declined);
	*pick = CT_NONE;
	while (n > 0) {
		size_t j = (size_t)st_uniform(state, n), t = left[j];
		if (!reassign_declines(c, t)) {
			*pick = t;
			break;
		}
		ps->declined[ps->n_declined++] = t;
		memmove(&left[j], &left[j + 1], (n - j - 1) * sizeof *left);
		n--;
	}
	free(left);
}

/* Random reassignment of an absent holder's proxies (Espace+ 4): each to
 * a volunteer drawn with meeting.seed among those there who may still
 * hold one, the generator running on from one proxy to the next; a
 * member drawn who declines is passed over. */
static int
proxies_absent_reassign(struct ctx *c, const struct proxy_pass *pp)
{
	const struct ct_meeting *m = c->m;
	uint64_t state = m->seed;
	uint32_t rank = 0;

	for (size_t k = 0; k < m->n_declined; k++)
		if (ct_member_find(c, m->declined[k]) == CT_NONE)
			return ct_err(c, 0, "meeting.declined : « %s » n'est pas sur la liste des "
			    "membres",
			    "meeting.declined: '%s' is not on the roll", m->declined[k]);
	for (size_t k = 0; k < m->n_proxies; k++) {
		struct ct_proxy_standing *ps = &c->r->proxies[k];
		size_t pick;
		if (pp->pend[k] != P_REASSIGN)
			continue;
		if (!m->has_seed)
			return ct_err(c, m->proxies[k].line, "procuration de « %s » : son mandataire "
			    "est absent et la réattribution au hasard demande meeting.seed (art. %s)",
			    "proxy from '%s': its holder is absent and "
			    "the random reassignment needs meeting.seed (art. %s)", m->proxies[k].giver,
			    c->b->proxies.src.article);
		if (reassign_pool(c, pp->givers[k], &ps->pool, &ps->n_pool) != 0)
			return -1;
		ps->rank = ++rank;
		reassign_draw(c, ps, &state, &pick);
		if (pick == CT_NONE) {
			refuse_proxy(c, k, CT_R_NO_VOLUNTEER);
			continue;
		}
		ps->reassigned = true;
		accept_proxy(c, k, pp->givers[k], pick);
	}
	return 0;
}

int
ct_proxies_assess(struct ctx *c)
{
	size_t n = c->m->n_proxies;
	struct proxy_pass pp = {0};
	int rc = -1;

	pp.pend = xcalloc(n, sizeof *pp.pend);
	pp.givers = xcalloc(n, sizeof *pp.givers);
	if (proxies_examine(c, &pp) != 0 || proxies_pool_redistribute(c, &pp) != 0 ||
	    proxies_absent_reassign(c, &pp) != 0)
		goto out;
	rc = 0;
out:
	free(pp.pend);
	free(pp.givers);
	return rc;
}

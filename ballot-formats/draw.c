/*
 * draw.c — random draws (profile `draws`): the share of the pool the
 * rule names, with its rounding, drawn by a partial Fisher–Yates shuffle
 * of the pool in the order given, driven by the question's seed
 * (docs/profiles.md, "Random draws").
 *
 * Trusts the profile, not the question: the pool's members must be on
 * the roll and distinct, the seed given, and a share that is not a whole
 * number where the rule sets no rounding is an error.
 *
 * Invariants: the same pool and seed always draw the same members in the
 * same order (st_uniform); a draw is no vote: no voices, no quorum.
 */
#include "ballot-formats/count_int.h"
#include "ballot-formats/util.h"
#include "common/xmalloc.h"

#include <stdlib.h>

int
ct_draw_count(struct ctx *c, const struct ct_question *q, struct ct_question_result *qr)
{
	const struct pr_draw *d;
	size_t n = q->n_pool;
	uint64_t a, k, state;

	if (q->draw == NULL || (d = profile_draw_find(c->b, q->draw)) == NULL)
		return ct_err(c, q->line, "question « %s » : le tirage « %s » n'est pas défini "
		    "pour l'instance « %s »",
		    "question '%s': draw '%s' is not defined for body '%s'",
		    q->id, q->draw ? q->draw : "(none)", c->b->id);
	qr->drule = d;
	if (!q->has_seed)
		return ct_err(c, q->line, "question « %s » : un tirage au sort demande une graine "
		    "(seed)",
		    "question '%s': a draw needs a seed", q->id);
	size_t *pool = xcalloc(n ? n : 1, sizeof *pool);
	for (size_t i = 0; i < n; i++) {
		if (ct_member_need(c, q->pool[i], q->line, "membre du tirage",
		    "draw pool member", &pool[i]) != 0)
			goto bad;
		for (size_t j = 0; j < i; j++)
			if (pool[j] == pool[i]) {
				ct_err(c, q->line, "question « %s » : « %s » figure deux fois "
				    "parmi les noms à tirer",
				    "question '%s': '%s' is twice in the pool", q->id,
				    q->pool[i]);
				goto bad;
			}
	}
	a = (uint64_t)d->num * n;
	switch (d->rounding) {
	case PR_ROUND_FLOOR: k = a / d->den; break;
	case PR_ROUND_CEIL:  k = (a + d->den - 1) / d->den; break;
	default:
		if (a % d->den != 0) {
			ct_err(c, q->line, "question « %s » : %u/%u de %zu n'est pas un nombre "
			    "entier et le profil ne fixe pas d'arrondi (art. %s)",
			    "question '%s': %u/%u of %zu is not a whole number and the "
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

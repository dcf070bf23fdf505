/*
 * verify_draw_pool.c — a draw of the statutes by lot (docs/record.md §4
 * draw.pool, draw.drawn; profile `draws`, A-IMI art. 9: « un tirage au
 * sort désignera un tiers des administrateurs dont le renouvellement du
 * mandat sera soumis au vote »): the moderator declares the pool before
 * the draw's deadline (draw.pool: the draw of the body's statutes, the
 * members in order), so that neither the pool nor its order can follow
 * the seed; once the seed is written (draw.seed, with the scrutineers'
 * contributions, verify_draw_commit.c) the appliance writes the members
 * drawn (draw.drawn), which must be the statutes engine's draw from that
 * seed and that pool (audit_statutes_draw, ballot-formats/draw.c).
 *
 * Trusts the record's credentials (verify_cred.c), the seed already
 * checked (verify_draw.c) and the statutes engine; nothing else.
 *
 * Invariants: a pool is declared once per id, before draw.closed, with
 * distinct members known to the record; a draw is written once per
 * pool, after draw.seed, and names exactly the engine's members in the
 * engine's order.
 */
#include "audit/verify_int.h"

#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"

#define POOL_MAX 100

static struct draw_pool *
pool_find(V *v, const char *id)
{
	for (size_t i = 0; i < v->npools; i++)
		if (strcmp(v->pools[i].id, id) == 0)
			return &v->pools[i];
	return NULL;
}

/* An array of 1..max credential pks known to the record, one per
 * member: OUT the members (malloc'd) and their number. */
static int
member_list(V *v, const json_t *p, const char *k, size_t max,
    uint32_t **out, size_t *n)
{
	const json_t *a = json_object_get(p, k), *e;
	uint8_t pk[32];
	uint32_t ci;
	size_t i;

	*out = NULL;
	*n = 0;
	if (!json_is_array(a) || json_array_size(a) == 0 ||
	    json_array_size(a) > max)
		return bad_field(v, k);
	*out = xcalloc(json_array_size(a), sizeof **out);
	json_array_foreach(a, i, e) {
		if (audit_json_hexval(e, pk, 32) != 0 ||
		    !audit_htab_get(&v->creds, pk, &ci))
			goto bad;
		for (size_t j = 0; j < *n; j++)
			if ((*out)[j] == v->cv[ci].member)
				goto bad;
		(*out)[(*n)++] = v->cv[ci].member;
	}
	return 0;
bad:
	free(*out);
	*out = NULL;
	return bad_field(v, k);
}

int
verify_ev_draw_pool(V *v, const json_t *p)
{
	const char *id, *draw, *label, *art;
	struct draw_pool *d;
	uint32_t *mem;
	size_t n;

	if (KEYS(v, p, "id", "draw", "pool") || strf(v, p, "id", 64, &id) ||
	    strf(v, p, "draw", 64, &draw))
		return -1;
	if (!audit_draw_id_ok(id))
		return bad_field(v, "id");
	if (audit_statutes_draw_rule(v->statutes, draw, &label, &art) != 0) {
		FAIL(v, "tirage au sort « %s » que les statuts ne prévoient pas",
		    "draw '%s' the statutes do not provide for", draw);
		return -1;
	}
	if (order(v, !v->draw_closed, "liste du tirage après la clôture du"
	    " tirage", "draw pool after the draw's deadline") ||
	    order(v, pool_find(v, id) == NULL, "liste du tirage déjà écrite",
	    "draw pool already written") ||
	    member_list(v, p, "pool", POOL_MAX, &mem, &n) != 0)
		return -1;
	v->pools = xreallocarray(v->pools, v->npools + 1, sizeof *v->pools);
	d = &v->pools[v->npools++];
	memset(d, 0, sizeof *d);
	snprintf(d->id, sizeof d->id, "%s", id);
	snprintf(d->draw, sizeof d->draw, "%s", draw);
	d->label = label;
	d->article = art;
	d->pool = mem;
	d->n = n;
	return 0;
}

/* The members v's engine draws for d: OUT their positions in d's pool.
 * 0, or -1 failed. */
static int
engine_draw(V *v, const struct draw_pool *d, size_t **pos, size_t *n)
{
	struct audit_member *snap = xcalloc(v->nmem + 1, sizeof *snap);
	size_t *pool = xcalloc(d->n, sizeof *pool);
	char err[256];
	int rc;

	verify_members_facts(v, snap);
	for (size_t i = 0; i < d->n; i++)
		pool[i] = d->pool[i];
	rc = audit_statutes_draw(v->statutes, v->sum->date, snap, v->nmem,
	    d->draw, pool, d->n, v->seed, pos, n, err, sizeof err);
	if (rc != 0)
		FAIL(v, "tirage %s : le moteur des statuts refuse : %s",
		    "draw %s: the statutes engine refuses: %s", d->id, err);
	free(snap);
	free(pool);
	return rc;
}

int
verify_ev_draw_drawn(V *v, const json_t *p)
{
	const char *id;
	struct draw_pool *d;
	uint8_t sd[8];
	uint32_t *mem = NULL;
	size_t *pos = NULL, n = 0, np = 0;
	bool same;
	int rc = -1;

	if (KEYS(v, p, "id", "seed", "drawn") || strf(v, p, "id", 64, &id) ||
	    hexf(v, p, "seed", sd, 8))
		return -1;
	d = pool_find(v, id);
	if (order(v, d != NULL, "tirage sans sa liste (draw.pool)",
	    "draw without its pool (draw.pool)") ||
	    order(v, !d->drawn, "tirage déjà écrit", "draw already written") ||
	    order(v, v->has_seed, "tirage avant la graine du tirage",
	    "draw before the draw's seed"))
		return -1;
	for (int k = 0; k < 8; k++)
		if (sd[k] != (uint8_t)(v->seed >> (8 * k))) {
			FAIL(v, "tirage %s : graine autre que celle du registre"
			    " (draw.seed)", "draw %s: a seed other than the"
			    " record's (draw.seed)", id);
			return -1;
		}
	/* An empty draw (a share of a small pool) is an empty list. */
	if (json_array_size(json_object_get(p, "drawn")) > 0 &&
	    member_list(v, p, "drawn", d->n, &mem, &n) != 0)
		return -1;
	if (!json_is_array(json_object_get(p, "drawn")))
		return bad_field(v, "drawn");
	if (engine_draw(v, d, &pos, &np) != 0)
		goto out;
	same = np == n;
	for (size_t k = 0; same && k < n; k++)
		same = d->pool[pos[k]] == mem[k];
	if (!same) {
		FAIL(v, "tirage %s : les membres tirés ne sont pas ceux que le"
		    " moteur des statuts tire de la graine et de la liste",
		    "draw %s: the members drawn are not those the statutes"
		    " engine draws from the seed and the pool", id);
		goto out;
	}
	d->drawn = true;
	d->drawn_mem = mem;
	d->n_drawn = n;
	mem = NULL;
	rc = 0;
out:
	free(mem);
	free(pos);
	return rc;
}

void
verify_draw_pools_summary(V *v)
{
	audit_summary *s = v->sum;

	s->draw_proxies = audit_statutes_reassigns(v->statutes);
	s->draws = xcalloc(v->npools + 1, sizeof *s->draws);
	for (size_t i = 0; i < v->npools; i++) {
		struct draw_pool *d = &v->pools[i];
		struct audit_draw_summary *o;
		if (!d->drawn)
			continue;
		o = &s->draws[s->n_draws++];
		snprintf(o->id, sizeof o->id, "%s", d->id);
		o->label = xstrdup(d->label);
		o->article = xstrdup(d->article);
		o->seed = v->seed;
		o->pool = d->pool;
		o->n_pool = d->n;
		o->drawn = d->drawn_mem;
		o->n_drawn = d->n_drawn;
		d->pool = NULL;
		d->drawn_mem = NULL;
	}
}

void
verify_draw_pools_free(V *v)
{
	for (size_t i = 0; i < v->npools; i++) {
		free(v->pools[i].pool);
		free(v->pools[i].drawn_mem);
	}
	free(v->pools);
}

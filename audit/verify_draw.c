/*
 * verify_draw.c — the random reassignment of an absent holder's proxies
 * (Espace+ art. 4; docs/record.md §4 proxy.volunteer, proxy.declined,
 * draw.seed): the members who volunteer to take one, by a statement each
 * signs before the proxies' deadline; the draw's seed, derived from the
 * record's head when the server writes it; the members drawn who
 * decline. Before each question's standing (verify_question_standing)
 * they are given to the statutes engine, which draws (ballot-formats/
 * proxy.c, docs/profiles.md « Random draws ») exactly as the appliance
 * did: a forged seed fails here, a forged winner fails at the ballots
 * (the engine's holder is the only one whose ballot counts for the
 * giver).
 *
 * Trusts the record's chain (prev_head is the parent hash of the event
 * being checked) and the statutes engine; nothing else.
 *
 * Invariants: a member volunteers at most once at a time, each statement
 * later than the member's previous one (no replay); no volunteer after
 * the seed, no decline before it; the seed is written once and is the
 * one derived from the record's head before it; the volunteers keep the
 * order they volunteered in, a withdrawal removing one.
 */
#include "audit/verify_int.h"

#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"

/* Appends member m to *a (n entries). */
static void
list_add(uint32_t **a, size_t *n, uint32_t m)
{
	*a = xreallocarray(*a, *n + 1, sizeof **a);
	(*a)[(*n)++] = m;
}

int
verify_draw_provided(V *v)
{
	if (audit_statutes_reassigns(v->statutes))
		return 0;
	FAIL(v, "tirage au sort de procurations que les statuts ne prévoient pas",
	    "a proxy draw the statutes do not provide for");
	return -1;
}

/* The fields common to both statements: pk (an active credential), ts
 * and sig over T(label, meeting_id, pk, LE64 ts), deferred. OUT *mi the
 * member. */
static int
draw_statement(V *v, const json_t *p, const char *label, uint64_t *ts,
    uint32_t *mi)
{
	uint8_t pk[32], sig[64];
	int64_t ci;
	audit_stmt st;

	if (hexf(v, p, "pk", pk, 32) ||
	    u64f(v, p, "ts", (uint64_t)INT64_MAX, ts) ||
	    (ci = verify_cred_active(v, pk, "pk", "pk")) < 0 ||
	    hexf(v, p, "sig", sig, 64))
		return -1;
	audit_stmt_begin(&st, label);
	audit_stmt_str(&st, v->meeting_id);
	audit_stmt_field(&st, pk, 32);
	audit_stmt_u64(&st, *ts);
	verify_sig_defer(v, pk, sig, st.buf, audit_stmt_len(&st),
	    "du volontariat", "volunteer statement");
	*mi = v->cv[ci].member;
	return 0;
}

int
verify_ev_volunteer(V *v, const json_t *p)
{
	const char *action, *art, *why;
	uint64_t ts;
	uint32_t mi;
	bool on;
	struct member *m;

	if (KEYS(v, p, "pk", "action", "ts", "sig") ||
	    strf(v, p, "action", 16, &action))
		return -1;
	on = strcmp(action, "volunteer") == 0;
	if (!on && strcmp(action, "withdraw") != 0)
		return bad_field(v, "action");
	if (verify_draw_provided(v) != 0 ||
	    draw_statement(v, p, on ? "proxy-volunteer" :
	    "proxy-volunteer-withdraw", &ts, &mi) != 0)
		return -1;
	m = &v->mv[mi];
	if (order(v, !v->draw_closed, "volontariat après la clôture du"
	    " tirage", "volunteer statement after the draw's deadline") ||
	    order(v, m->volunteer != on, on ? "déjà volontaire" :
	    "pas volontaire", on ? "already a volunteer" : "not a volunteer") ||
	    order(v, ts > m->volunteer_ts, "volontariat pas plus récent que le"
	    " précédent de ce membre", "volunteer statement not later than"
	    " the member's previous one"))
		return -1;
	/* Before the proxies' deadline, as a proxy (art. 4). */
	why = audit_statutes_proxy_form(v->statutes, v->sum->date, false,
	    (int64_t)ts, &art);
	if (why != NULL) {
		FAIL(v, "volontariat après le délai des procurations (art. %s)",
		    "volunteer statement after the proxies' deadline (art. %s)",
		    art);
		return -1;
	}
	m->volunteer = on;
	m->volunteer_ts = ts;
	if (on) {
		list_add(&v->vol, &v->nvol, mi);
		return 0;
	}
	for (size_t k = 0; k < v->nvol; k++)
		if (v->vol[k] == mi) {
			memmove(&v->vol[k], &v->vol[k + 1],
			    (v->nvol - k - 1) * sizeof *v->vol);
			v->nvol--;
			break;
		}
	return 0;
}

int
verify_ev_declined(V *v, const json_t *p)
{
	uint64_t ts;
	uint32_t mi;

	if (KEYS(v, p, "pk", "ts", "sig") || verify_draw_provided(v) != 0 ||
	    draw_statement(v, p, "proxy-decline", &ts, &mi) != 0)
		return -1;
	if (order(v, v->has_seed, "refus avant la graine du tirage",
	    "decline before the draw's seed") ||
	    order(v, v->mv[mi].volunteer, "refus d'un membre qui n'est pas"
	    " volontaire", "decline by a member who is not a volunteer") ||
	    order(v, !v->mv[mi].declined, "refus déjà enregistré",
	    "decline already recorded"))
		return -1;
	v->mv[mi].declined = true;
	list_add(&v->decl, &v->ndecl, mi);
	return 0;
}

int
verify_ev_draw_seed(V *v, const json_t *p)
{
	uint8_t got[8];
	uint64_t seed, g = 0;

	if (KEYS(v, p, "seed", "missing") || hexf(v, p, "seed", got, 8) ||
	    verify_draw_provided(v) != 0 ||
	    order(v, !v->has_seed, "graine du tirage déjà écrite",
	    "draw seed already written") ||
	    verify_draw_seed_expected(v, p, &seed) != 0)
		return -1;
	for (int i = 7; i >= 0; i--)
		g = g << 8 | got[i];
	if (g != seed) {
		FAIL(v, "graine du tirage qui n'est pas celle de la tête du"
		    " registre et des contributions des scrutateurs",
		    "draw seed not the one derived from the record's head and"
		    " the scrutineers' contributions");
		return -1;
	}
	v->has_seed = true;
	v->seed = seed;
	return 0;
}

/* The first ndecl declines: those recorded when the question opened,
 * for its standing and its count alike. */
void
verify_draw_give(V *v, size_t ndecl)
{
	size_t n = v->nvol + ndecl;

	if (!v->has_seed && n == 0)
		return;
	v->draw_ids = xreallocarray(v->draw_ids, n + 1, sizeof *v->draw_ids);
	for (size_t k = 0; k < v->nvol; k++)
		v->draw_ids[k] = v->mv[v->vol[k]].id;
	for (size_t k = 0; k < ndecl; k++)
		v->draw_ids[v->nvol + k] = v->mv[v->decl[k]].id;
	audit_statutes_set_draw(v->statutes, v->has_seed, v->seed,
	    v->draw_ids, v->nvol, v->draw_ids + v->nvol, ndecl);
}

void
verify_draw_free(V *v)
{
	free(v->vol);
	free(v->decl);
	free(v->draw_ids);
}

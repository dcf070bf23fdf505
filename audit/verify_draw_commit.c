/*
 * verify_draw_commit.c — the scrutineers' contributions to the draw's
 * seed (docs/record.md §4 draw.commit, draw.closed, draw.reveal,
 * draw.seed): before the draw's deadline each scrutineer of the key
 * ceremony may commit to a random value (draw.commit, the hash signed
 * with the trustee's identity key); the server closes the draw when the
 * meeting starts (draw.closed: its parent is the record's head at the
 * deadline); each scrutineer then reveals the value (draw.reveal, which
 * must match the commitment); the seed hashes the head and the values
 * revealed, in trustee order (audit_draw_seed), and names the
 * scrutineers who committed and did not reveal (missing). The server
 * alone can no longer choose the seed: it fixes the head before it sees
 * any value, and a scrutineer's value is unknown to it until the head
 * is fixed.
 *
 * Trusts the record's chain (prev_head), the trustees of the ceremony
 * (verify_ceremony.c) and libsodium; nothing else.
 *
 * Invariants: a trustee commits at most once, before draw.closed, and
 * reveals at most once, after it and before draw.seed, the value its
 * commitment binds; draw.closed names exactly the trustees who
 * committed; draw.seed comes after draw.closed and names as missing
 * exactly those who committed and did not reveal.
 */
#include "audit/verify_int.h"

#include <string.h>

/* A list of trustee indexes: strictly increasing, each in 1..tn; OUT
 * the bit mask. */
static int
trustee_list(V *v, const json_t *p, const char *k, uint32_t *mask)
{
	const json_t *a = json_object_get(p, k), *e;
	size_t i;
	json_int_t last = 0;

	*mask = 0;
	if (!json_is_array(a) || json_array_size(a) > TRUSTEES_MAX)
		return bad_field(v, k);
	json_array_foreach(a, i, e) {
		json_int_t x = json_integer_value(e);
		if (!json_is_integer(e) || x <= last || x > (json_int_t)v->tn)
			return bad_field(v, k);
		*mask |= 1u << (x - 1);
		last = x;
	}
	return 0;
}

int
verify_ev_draw_commit(V *v, const json_t *p)
{
	uint8_t h[32];
	uint32_t i;
	audit_stmt st;

	if (KEYS(v, p, "trustee", "hash", "sig") || verify_draw_provided(v) != 0 ||
	    verify_trustee_index(v, p, &i) || hexf(v, p, "hash", h, 32) ||
	    order(v, !v->draw_closed, "engagement du scrutateur après la"
	    " clôture du tirage", "draw commitment after the draw's"
	    " deadline") ||
	    order(v, !(v->draw_committed & (1u << (i - 1))), "engagement du"
	    " scrutateur déjà écrit", "draw commitment already written"))
		return -1;
	audit_stmt_begin(&st, "draw-commit");
	audit_stmt_str(&st, v->meeting_id);
	audit_stmt_u64(&st, i);
	audit_stmt_field(&st, h, 32);
	if (verify_trustee_sig(v, p, i, &st) != 0)
		return -1;
	memcpy(v->draw_hash[i - 1], h, 32);
	v->draw_committed |= 1u << (i - 1);
	return 0;
}

int
verify_ev_draw_closed(V *v, const json_t *p)
{
	uint32_t mask;

	if (KEYS(v, p, "commits") || verify_draw_provided(v) != 0 ||
	    order(v, !v->draw_closed, "tirage déjà clos", "draw already"
	    " closed") ||
	    trustee_list(v, p, "commits", &mask))
		return -1;
	if (mask != v->draw_committed) {
		FAIL(v, "la clôture du tirage ne nomme pas les scrutateurs"
		    " engagés", "draw closing does not name the committed"
		    " scrutineers");
		return -1;
	}
	v->draw_closed = true;
	memcpy(v->draw_head, v->prev_head, 32);
	return 0;
}

int
verify_ev_draw_reveal(V *v, const json_t *p)
{
	uint8_t val[32], h[32];
	uint32_t i;
	audit_stmt st;

	if (KEYS(v, p, "trustee", "value", "sig") || verify_draw_provided(v) != 0 ||
	    verify_trustee_index(v, p, &i) || hexf(v, p, "value", val, 32) ||
	    order(v, v->draw_closed && !v->has_seed, "révélation hors de la"
	    " fenêtre du tirage (avant sa clôture ou après sa graine)",
	    "draw reveal outside the draw's window (before its deadline or"
	    " after its seed)") ||
	    order(v, (v->draw_committed & (1u << (i - 1))) != 0,
	    "révélation sans engagement", "draw reveal without a"
	    " commitment") ||
	    order(v, !(v->draw_revealed & (1u << (i - 1))), "révélation déjà"
	    " écrite", "draw reveal already written"))
		return -1;
	audit_draw_contribution(h, v->meeting_id, i, val);
	if (memcmp(h, v->draw_hash[i - 1], 32) != 0) {
		FAIL(v, "la contribution révélée du scrutateur %u ne correspond"
		    " pas à son engagement", "draw reveal of trustee %u does not"
		    " match its commitment", i);
		return -1;
	}
	audit_stmt_begin(&st, "draw-reveal");
	audit_stmt_str(&st, v->meeting_id);
	audit_stmt_u64(&st, i);
	audit_stmt_field(&st, val, 32);
	if (verify_trustee_sig(v, p, i, &st) != 0)
		return -1;
	memcpy(v->draw_value[i - 1], val, 32);
	v->draw_revealed |= 1u << (i - 1);
	return 0;
}

int
verify_draw_seed_expected(V *v, const json_t *p, uint64_t *seed)
{
	uint32_t missing, idx[TRUSTEES_MAX];
	uint8_t val[TRUSTEES_MAX][32];
	size_t n = 0;

	if (order(v, v->draw_closed, "graine du tirage avant sa clôture",
	    "draw seed before the draw's deadline (draw.closed)") ||
	    trustee_list(v, p, "missing", &missing))
		return -1;
	if (missing != (v->draw_committed & ~v->draw_revealed)) {
		FAIL(v, "la graine du tirage ne nomme pas les scrutateurs qui"
		    " n'ont pas révélé", "draw seed's missing scrutineers are"
		    " not those without a reveal");
		return -1;
	}
	for (uint32_t i = 1; i <= TRUSTEES_MAX; i++)
		if (v->draw_revealed & (1u << (i - 1))) {
			idx[n] = i;
			memcpy(val[n++], v->draw_value[i - 1], 32);
		}
	*seed = audit_draw_seed(v->meeting_id, v->draw_head, n, idx,
	    (const uint8_t (*)[32])val);
	v->sum->draw_seeded = true;
	v->sum->draw_revealed = v->draw_revealed;
	v->sum->draw_missing = missing;
	return 0;
}

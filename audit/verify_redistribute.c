/*
 * verify_redistribute.c — the president's redistribution of a proxy he
 * holds (APROGEMERE II; a "proxy.redistributed" event, docs/record.md
 * §4): S_redistribute signed by the credential of the member the record
 * marks president (credential.issued "president"), of a proxy in force
 * that names him, to another member whom the statutes engine accepts as
 * its holder on the attendance of that moment (present with a vote,
 * under the cap of five).
 *
 * Trusts verify_cred.c for the credentials, verify_attendance.c for the
 * proxies in force and verify_outcome.c for the engine's standing.
 * Invariants: a member's redistribution (struct member redist_to) lasts
 * until the proxy is withdrawn or given again; the engine counts the
 * mandate under the new holder at each later opening
 * (verify_question_standing), and only that holder's ballot is the
 * voice's (verify_ballot.c).
 */
#include <stdlib.h>
#include <string.h>

#include "audit/verify_int.h"
#include "common/xmalloc.h"

/* The engine's standing now: OUT *q (the caller frees it) and the
 * number of proxies accepted. -1 when the engine refuses (failed). */
static int
redist_standing(V *v, struct question **q, size_t *accepted)
{
	*q = xcalloc(1, sizeof **q);
	memcpy((*q)->qid, "-", 2);
	(*q)->qid_len = 1;
	*accepted = 0;
	if (verify_question_standing(v, *q) != 0)
		return -1;
	for (size_t k = 0; k < (*q)->npx; k++)
		*accepted += (*q)->pxs[k].accepted;
	return 0;
}

/* The engine's standing now, with giver g's proxy redistributed to t
 * (before: the number of proxies accepted without it): 0 when it then
 * counts under t and no proxy that stood falls, or -1 (failed with the
 * reason). */
static int
redist_engine(V *v, uint32_t g, uint32_t t, size_t before)
{
	struct question *q = NULL;
	const struct audit_proxy *px;
	size_t k, after;
	int rc = -1;

	if (redist_standing(v, &q, &after) != 0)
		goto out;
	if ((px = verify_question_proxy(q, g, &k)) == NULL)
		FAIL(v, "redistribution d'une procuration qui n'est pas en vigueur",
		    "redistribution of a proxy not in force");
	else if (!q->pxs[k].accepted || q->pxs[k].holder != t)
		FAIL(v, "redistribution refusée par le moteur des statuts (%s)",
		    "redistribution refused by the statutes engine (%s)",
		    q->pxs[k].accepted ? "reassigned" : q->pxs[k].reason);
	else if (after < before)
		FAIL(v, "redistribution qui fait tomber une procuration acceptée (plafond du destinataire)",
		    "redistribution that makes an accepted proxy fall (the target's cap)");
	else
		rc = 0;
out:
	verify_question_free(q);
	return rc;
}

int
verify_ev_redistributed(V *v, const json_t *p)
{
	uint8_t pr[32], g[32], h[32], sig[64];
	uint64_t ts;
	int64_t pi, gi, hi, before;
	uint32_t pm, gm, hm;
	audit_stmt st;

	if (KEYS(v, p, "president", "giver", "holder", "ts", "sig") ||
	    hexf(v, p, "president", pr, 32) || hexf(v, p, "giver", g, 32) ||
	    hexf(v, p, "holder", h, 32) ||
	    u64f(v, p, "ts", (uint64_t)INT64_MAX, &ts) ||
	    (pi = verify_cred_active(v, pr, "président", "president")) < 0 ||
	    (gi = verify_cred_active(v, g, "mandant", "giver")) < 0 ||
	    (hi = verify_cred_active(v, h, "mandataire", "holder")) < 0 ||
	    hexf(v, p, "sig", sig, 64))
		return -1;
	pm = v->cv[pi].member;
	gm = v->cv[gi].member;
	hm = v->cv[hi].member;
	if (!v->mv[pm].president) {
		FAIL(v, "redistribution signée par un membre qui n'est pas le président",
		    "redistribution signed by a member who is not the president");
		return -1;
	}
	if (v->mv[gm].proxy_to != (int64_t)pm) {
		FAIL(v, "redistribution d'une procuration que le président ne détient pas",
		    "redistribution of a proxy the president does not hold");
		return -1;
	}
	if (hm == gm || hm == pm)
		return bad_field(v, "holder");
	audit_stmt_begin(&st, "proxy-redistribute");
	audit_stmt_str(&st, v->meeting_id);
	audit_stmt_field(&st, g, 32);
	audit_stmt_field(&st, h, 32);
	audit_stmt_u64(&st, ts);
	verify_sig_defer(v, pr, sig, st.buf, audit_stmt_len(&st),
	    "de la redistribution", "redistribution");
	{
		struct question *q0 = NULL;
		size_t n0;
		int rc = redist_standing(v, &q0, &n0);
		verify_question_free(q0);
		if (rc != 0)
			return -1;
		before = v->mv[gm].redist_to;
		v->mv[gm].redist_to = hm;
		if (redist_engine(v, gm, hm, n0) != 0) {
			v->mv[gm].redist_to = before;
			return -1;
		}
	}
	return 0;
}

/*
 * verify_attendance.c — check-ins (present or remote), check-outs, and
 * proxies given or withdrawn: each a statement signed by the member's
 * active credential, or, for a paper proxy the desk entered, by the
 * server's key; its signature checked by a worker.
 *
 * Trusts verify_cred.c for the credentials and outcome.c for the
 * statutes' reading of a proxy's form. Invariants: a member's presence
 * is that of their last check-in or check-out; a member gives at most
 * one proxy at a time, to another member, and withdraws only that one;
 * a proxy's channel is one the statutes admit and it was given before
 * their deadline; the proxy's seq, signed time and channel are kept for
 * the opening of each question (verify_question_standing).
 */
#include <string.h>

#include "audit/verify_int.h"
#include "common/xmalloc.h"

/* A member's statement: T(label, meeting_id, …) built by the caller. */
static void
member_sig(V *v, const uint8_t pk[32], const uint8_t sig[64],
    const audit_stmt *st, const char *what_fr, const char *what_en)
{
	verify_sig_defer(v, pk, sig, st->buf, audit_stmt_len(st), what_fr,
	    what_en);
}

/* A check-in (mode "present" or "remote") or a check-out (mode NULL),
 * its fields already read. */
static int
checkin_core(V *v, const uint8_t pk[32], const char *mode, uint64_t ts,
    const uint8_t sig[64])
{
	int64_t ci;
	audit_stmt st;

	if ((ci = verify_cred_active(v, pk, "pk", "pk")) < 0)
		return -1;
	audit_stmt_begin(&st, mode ? "checkin" : "checkout");
	audit_stmt_str(&st, v->meeting_id);
	audit_stmt_field(&st, pk, 32);
	if (mode)
		audit_stmt_str(&st, mode);
	audit_stmt_u64(&st, ts);
	member_sig(v, pk, sig, &st, mode ? "d'émargement" : "de départ",
	    mode ? "check-in" : "check-out");
	{
		struct member *m = &v->mv[v->cv[ci].member];
		m->presence = !mode ? AUDIT_ABSENT :
		    strcmp(mode, "present") == 0 ? AUDIT_PRESENT : AUDIT_REMOTE;
		if (m->presence == AUDIT_PRESENT ||
		    (m->presence == AUDIT_REMOTE && m->attended == AUDIT_ABSENT))
			m->attended = m->presence;
	}
	return 0;
}

int
verify_ev_checkin(V *v, const json_t *p, bool in)
{
	uint8_t pk[32], sig[64];
	uint64_t ts;
	const char *mode = NULL;

	if ((in ? KEYS(v, p, "pk", "mode", "ts", "sig") :
	    KEYS(v, p, "pk", "ts", "sig")) || hexf(v, p, "pk", pk, 32) ||
	    u64f(v, p, "ts", (uint64_t)INT64_MAX, &ts))
		return -1;
	if (in && (strf(v, p, "mode", 16, &mode) ||
	    (strcmp(mode, "present") != 0 && strcmp(mode, "remote") != 0)))
		return mode ? bad_field(v, "mode") : -1;
	/* The credential is checked before the signature is read. */
	if (verify_cred_active(v, pk, "pk", "pk") < 0 ||
	    hexf(v, p, "sig", sig, 64))
		return -1;
	return checkin_core(v, pk, mode, ts, sig);
}

/* A proxy's form under the statutes (audit_statutes_proxy_form): its
 * channel, and its time against the deadline. */
static int
proxy_form(V *v, bool paper, uint64_t ts)
{
	const char *art, *why = audit_statutes_proxy_form(v->statutes,
	    v->sum->date, paper, (int64_t)ts, &art);

	if (why == NULL)
		return 0;
	if (strcmp(why, "proxy_channel") == 0 && paper)
		FAIL(v, "procuration papier que les statuts n'admettent pas (art. %s)",
		    "paper proxy the statutes do not admit (art. %s)", art);
	else if (strcmp(why, "proxy_channel") == 0)
		FAIL(v, "procuration numérique que les statuts n'admettent pas (art. %s)",
		    "digital proxy the statutes do not admit (art. %s)", art);
	else if (strcmp(why, "proxy_deadline") == 0)
		FAIL(v, "procuration donnée après le délai des statuts (art. %s)",
		    "proxy given after the statutes' deadline (art. %s)", art);
	else
		FAIL(v, "l'événement de réunion n'a pas starts_at : le délai des procurations (art. %s) ne peut être vérifié",
		    "the meeting event has no starts_at: the proxies' deadline (art. %s) cannot be checked", art);
	return -1;
}

int
verify_ev_proxy(V *v, const json_t *p, bool give)
{
	uint8_t g[32], h[32], sig[64];
	uint64_t ts;
	int64_t gi, hi;
	struct member *gm;
	const char *ch = NULL;
	bool paper = false;
	audit_stmt st;

	if (KEYS(v, p, "giver", "holder", "ts", "?channel", "sig") ||
	    hexf(v, p, "giver", g, 32) || hexf(v, p, "holder", h, 32) ||
	    u64f(v, p, "ts", (uint64_t)INT64_MAX, &ts) ||
	    (gi = verify_cred_active(v, g, "mandant", "giver")) < 0 ||
	    (hi = verify_cred_active(v, h, "mandataire", "holder")) < 0)
		return -1;
	/* "channel": "paper" only, on a proxy given (the desk enters
	 * paper proxies; a withdrawal is the member's). */
	if (json_object_get(p, "channel") != NULL) {
		if (!give || strf(v, p, "channel", 8, &ch) ||
		    strcmp(ch, "paper") != 0)
			return bad_field(v, "channel");
		paper = true;
	}
	gm = &v->mv[v->cv[gi].member];
	if (v->cv[gi].member == v->cv[hi].member)
		return bad_field(v, "holder");
	if (give ? gm->proxy_to >= 0 :
	    gm->proxy_to != (int64_t)v->cv[hi].member) {
		FAIL(v, "procuration déjà donnée ou absente",
		    "proxy already given, or none to withdraw");
		return -1;
	}
	if (give && proxy_form(v, paper, ts) != 0)
		return -1;
	audit_stmt_begin(&st, !give ? "proxy-withdraw" : paper ?
	    "proxy-paper" : "proxy");
	audit_stmt_str(&st, v->meeting_id);
	audit_stmt_field(&st, g, 32);
	audit_stmt_field(&st, h, 32);
	audit_stmt_u64(&st, ts);
	if (hexf(v, p, "sig", sig, 64))
		return -1;
	/* A paper proxy: the server's word that the desk entered it (the
	 * member signed paper, not a statement). */
	if (paper)
		verify_sig_defer(v, v->server_pk, sig, st.buf,
		    audit_stmt_len(&st), "de la procuration papier",
		    "paper proxy");
	else
		member_sig(v, g, sig, &st, "de la procuration", "proxy");
	if (give) {
		if (v->npxe == v->cappxe) {
			v->cappxe = v->cappxe ? 2 * v->cappxe : 16;
			v->pxe = xreallocarray(v->pxe, v->cappxe,
			    sizeof *v->pxe);
		}
		v->pxe[v->npxe++] = (struct proxy_ev){ .seq = v->seq,
		    .giver = v->cv[gi].member, .holder = v->cv[hi].member,
		    .paper = paper };
	} else
		for (size_t k = v->npxe; k-- > 0;)
			if (v->pxe[k].seq == gm->proxy_seq) {
				v->pxe[k].withdrawn = true;
				break;
			}
	gm->proxy_to = give ? (int64_t)v->cv[hi].member : -1;
	gm->redist_to = -1;	/* a redistribution ends with its proxy */
	gm->proxy_seq = v->seq;
	gm->proxy_ts = (int64_t)ts;
	gm->proxy_paper = paper;
	if (give)
		v->sum->proxies_given[paper]++;
	return 0;
}

int
verify_flat_checkin(V *v, const audit_flat_event *fe, bool in)
{
	const audit_flat_field *mf = audit_flat_get(fe, "mode");
	const audit_flat_field *tf = audit_flat_get(fe, "ts");
	const char *mode = NULL;
	uint8_t pk[32], sig[64];

	if (fe->n != (in ? 4u : 3u) || tf == NULL ||
	    tf->type != AUDIT_FLAT_INT ||
	    !verify_flat_hex(fe, "pk", pk, 32) ||
	    !verify_flat_hex(fe, "sig", sig, 64))
		return NOT_FLAT;
	if (in) {
		if (mf == NULL || mf->type != AUDIT_FLAT_STR)
			return NOT_FLAT;
		if (mf->vlen == 7 && memcmp(mf->val, "present", 7) == 0)
			mode = "present";
		else if (mf->vlen == 6 && memcmp(mf->val, "remote", 6) == 0)
			mode = "remote";
		else
			return NOT_FLAT;
	}
	return checkin_core(v, pk, mode, tf->num, sig);
}

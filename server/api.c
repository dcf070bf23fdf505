/*
 * api.c — the table of the HTTP API (see api.h), its path matcher for the
 * network process, and meeting_api, the privileged process's dispatch.
 *
 * Read the table top to bottom: it is the list of what the appliance
 * answers, in the order of docs/api.md. A row's path is literal segments
 * and identifiers in braces ({m} the meeting, one more {q}, {pk} or
 * {receipt}); an identifier matches a segment of 1 to API_SEG_MAX bytes
 * (web.c has already refused anything but plain segments).
 *
 * Trusts: nothing from the request but what the row says; the role of a
 * moderator or desk row is checked here, before its handler, on the
 * privileged side (the network process never decides who may do what).
 */
#include "server/api.h"

#include <string.h>

#include "server/body.h"
#include "server/meeting.h"
#include "server/meeting_int.h"
#include "server/store.h"

/* The hex of the largest ballot (64 choices, ≈ 33.9 KB) and of its
 * verification hints (≈ 24.7 KB), with the JSON around them. */
#define BALLOT_BODY_CAP 61440u

#define M "/api/v1/meetings/{m}"
#define Q M "/questions/{q}"

const struct api_route api_routes[] = {
	/* method, path, op, role, body cap, network answer, handler */
	{ "GET", "/api/v1/status", 0, API_PUBLIC, 0, API_NET_STATUS, NULL },
	{ "GET", "/api/v1/fingerprint", 0, API_PUBLIC, 0, API_NET_FINGERPRINT,
	    NULL },
	{ "POST", "/api/v1/credential/activate", 0, API_MEMBER, BODY_MAX,
	    API_NET_ACTIVATE, NULL },
	/* The meeting, its stream, a voice and the member's operations. */
	{ "GET", M, MOP_VIEW, API_PUBLIC, 0, API_NET_RELAY, api_view },
	{ "GET", M "/events", 0, API_PUBLIC, 0, API_NET_EVENTS, NULL },
	{ "GET", M "/voters/{pk}", MOP_VOTER, API_PUBLIC, 0, API_NET_RELAY,
	    api_voter },
	{ "POST", M "/attendance", MOP_ATTEND, API_MEMBER, BODY_MAX,
	    API_NET_RELAY, api_attend },
	{ "POST", M "/proxies", MOP_PROXY, API_MEMBER, BODY_MAX,
	    API_NET_RELAY, api_proxy },
	{ "POST", M "/proxies/holders", MOP_HOLDERS, API_MEMBER, BODY_MAX,
	    API_NET_RELAY, api_holders },
	/* The president's redistribution (APROGEMERE II). */
	{ "POST", M "/proxies/redistribute", MOP_REDIST, API_MEMBER, BODY_MAX,
	    API_NET_RELAY, api_redistribute },
	/* The random reassignment of an absent holder's proxies. */
	{ "POST", M "/proxies/volunteer", MOP_VOLUNTEER, API_MEMBER, BODY_MAX,
	    API_NET_RELAY, api_proxy_volunteer },
	{ "POST", M "/proxies/decline", MOP_DECLINE, API_MEMBER, BODY_MAX,
	    API_NET_RELAY, api_proxy_decline },
	/* The draw's seed: the scrutineers' contributions, and the
	 * moderator proceeding without a missing reveal. */
	{ "POST", M "/draw/commit", MOP_DRAW_COMMIT, API_SCRUTINEER, BODY_MAX,
	    API_NET_RELAY, api_draw_commit },
	{ "POST", M "/draw/reveal", MOP_DRAW_REVEAL, API_SCRUTINEER, BODY_MAX,
	    API_NET_RELAY, api_draw_reveal },
	{ "POST", M "/draw/proceed", MOP_DRAW_PROCEED, API_MODERATOR, BODY_MAX,
	    API_NET_RELAY, api_draw_proceed },
	/* A draw by lot of the statutes (A-IMI art. 9): its pool, declared
	 * before the start, and the draw once the seed is written. */
	{ "POST", M "/draws", MOP_DRAW_DECLARE, API_MODERATOR, BODY_MAX,
	    API_NET_RELAY, api_draw_declare },
	{ "POST", M "/draws/{q}/draw", MOP_DRAW_RUN, API_MODERATOR, BODY_MAX,
	    API_NET_RELAY, api_draw_run },
	/* The desk (accueil): the roll it names members from, the paper
	 * proxies entered, and a paper proxy it received. */
	{ "GET", M "/desk", MOP_DESK, API_DESK, 0, API_NET_RELAY, api_desk },
	{ "POST", M "/proxies/paper", MOP_PAPER, API_DESK, BODY_MAX,
	    API_NET_RELAY, api_proxy_paper },
	/* Ballots go through the privileged process's verification pipeline
	 * (server/priv.c), not through meeting_api. */
	{ "POST", M "/ballots", MOP_BALLOT, API_MEMBER, BALLOT_BODY_CAP,
	    API_NET_RELAY, NULL },
	/* A ballot its member chose to check rather than cast: opened,
	 * published spoiled, never counted (cast-or-audit). */
	{ "POST", M "/audits", MOP_AUDIT, API_MEMBER, BALLOT_BODY_CAP,
	    API_NET_RELAY, api_ballot_audit },
	{ "GET", M "/receipts/{receipt}", MOP_RECEIPT, API_PUBLIC, 0,
	    API_NET_RELAY, api_receipt },
	{ "GET", Q "/ballots", MOP_BOX, API_PUBLIC, 0, API_NET_BOX, api_box },
	{ "GET", Q "/result", MOP_RESULT, API_PUBLIC, 0, API_NET_RELAY,
	    api_result },
	/* The scrutineers: enrolment, the key ceremony, decryption. */
	{ "POST", M "/trustees/enrol", MOP_ENROL, API_ENROLMENT, BODY_MAX,
	    API_NET_RELAY, api_enrol },
	{ "GET", M "/ceremony", MOP_CEREMONY, API_PUBLIC, 0, API_NET_RELAY,
	    api_ceremony },
	{ "POST", M "/ceremony/commit", MOP_COMMIT, API_SCRUTINEER, BODY_MAX,
	    API_NET_RELAY, api_commit },
	{ "POST", M "/ceremony/reveal", MOP_REVEAL, API_SCRUTINEER, BODY_MAX,
	    API_NET_RELAY, api_reveal },
	{ "POST", M "/ceremony/shares", MOP_SHARES, API_SCRUTINEER, BODY_MAX,
	    API_NET_RELAY, api_shares },
	{ "POST", M "/ceremony/key", MOP_KEY, API_SCRUTINEER, BODY_MAX,
	    API_NET_RELAY, api_key },
	{ "POST", M "/ceremony/complaint", MOP_COMPLAINT, API_SCRUTINEER,
	    BODY_MAX, API_NET_RELAY, api_complaint },
	{ "POST", Q "/shares", MOP_DSHARES, API_SCRUTINEER, BODY_MAX,
	    API_NET_RELAY, api_dshares },
	/* The minutes (procès-verbal) and the scrutineers' signatures. */
	{ "GET", M "/minutes", MOP_MINUTES, API_PUBLIC, 0, API_NET_MINUTES,
	    api_minutes },
	{ "POST", M "/minutes/signatures", MOP_MINSIGN, API_SCRUTINEER,
	    BODY_MAX, API_NET_RELAY, api_minutes_sign },
	{ "GET", M "/minutes/signatures", MOP_MINSIGS, API_PUBLIC, 0,
	    API_NET_MINUTES, api_minutes_sigs },
	/* The public record, up to its last complete checkpoint. */
	{ "GET", M "/record", MOP_RECORD, API_PUBLIC, 0, API_NET_RECORD,
	    api_record },
	/* The moderator. */
	{ "GET", M "/whoami", MOP_WHOAMI, API_MODERATOR, 0, API_NET_RELAY,
	    api_whoami },
	{ "POST", M "/start", MOP_START, API_MODERATOR, BODY_MAX,
	    API_NET_RELAY, api_start },
	/* The mail-in window (vote par correspondance), before the start. */
	{ "POST", M "/mailin/open", MOP_MAILIN_OPEN, API_MODERATOR, BODY_MAX,
	    API_NET_RELAY, api_mailin_open },
	/* A member's fallback holder and mail-in ballots, in the window. */
	{ "POST", M "/mailin/fallback", MOP_MAILIN_FALLBACK, API_MEMBER,
	    BODY_MAX, API_NET_RELAY, api_mailin_fallback },
	{ "POST", M "/mailin/ballots", MOP_MAILIN_BALLOT, API_MEMBER,
	    BALLOT_BODY_CAP, API_NET_RELAY, api_mailin_ballot },
	{ "POST", M "/end", MOP_END, API_MODERATOR, BODY_MAX, API_NET_RELAY,
	    api_end },
	{ "POST", M "/questions", MOP_QADD, API_MODERATOR, BODY_MAX,
	    API_NET_RELAY, api_qadd },
	{ "POST", Q "/open", MOP_QOPEN, API_MODERATOR, BODY_MAX,
	    API_NET_RELAY, api_qopen },
	{ "POST", Q "/close", MOP_QCLOSE, API_MODERATOR, BODY_MAX,
	    API_NET_RELAY, api_qclose },
	{ "POST", Q "/candidates", MOP_QCAND, API_MODERATOR, BODY_MAX,
	    API_NET_RELAY, api_qcand },
	{ "POST", Q "/triggers", MOP_QTRIG, API_MODERATOR, BODY_MAX,
	    API_NET_RELAY, api_qtrig },
	{ "POST", Q "/recusals", MOP_QRECUSE, API_MODERATOR, BODY_MAX,
	    API_NET_RELAY, api_qrecuse },
	{ "POST", Q "/amendments", MOP_QAMEND, API_MODERATOR, BODY_MAX,
	    API_NET_RELAY, api_qamend },
	{ "GET", M "/rules", MOP_RULES, API_MODERATOR, 0, API_NET_RELAY,
	    api_rules },
	{ "GET", M "/members", MOP_MEMBERS, API_MODERATOR, 0, API_NET_RELAY,
	    api_members },
};
const size_t api_routes_n = sizeof api_routes / sizeof api_routes[0];

#undef Q
#undef M

/* One segment of a pattern against one of a path (both end at '/' or
 * NUL). An identifier in braces takes any segment of 1..API_SEG_MAX
 * bytes, into out ({m} into meeting, any other into sub). */
static int
seg_match(const char *pat, size_t plen, const char *seg, size_t slen,
    char *meeting, char *sub)
{
	if (plen >= 2 && pat[0] == '{' && pat[plen - 1] == '}') {
		char *out = plen == 3 && pat[1] == 'm' ? meeting : sub;
		if (slen == 0 || slen > API_SEG_MAX)
			return 0;
		memcpy(out, seg, slen);
		out[slen] = '\0';
		return 1;
	}
	return plen == slen && memcmp(pat, seg, slen) == 0;
}

/* 1 when path has the shape of pattern (OUT the identifiers). */
static int
path_match(const char *pat, const char *path, char *meeting, char *sub)
{
	meeting[0] = sub[0] = '\0';
	for (;;) {
		size_t pl = strcspn(pat, "/"), sl = strcspn(path, "/");
		if (!seg_match(pat, pl, path, sl, meeting, sub))
			return 0;
		pat += pl;
		path += sl;
		if (*pat == '\0' || *path == '\0')
			return *pat == *path;
		pat++;
		path++;
	}
}

const struct api_route *
api_route_match(const char *method, const char *path,
    char meeting[API_SEG_MAX + 1], char sub[API_SEG_MAX + 1],
    int *path_known)
{
	*path_known = 0;
	for (size_t i = 0; i < api_routes_n; i++) {
		if (!path_match(api_routes[i].path, path, meeting, sub))
			continue;
		*path_known = 1;
		if (strcmp(api_routes[i].method, method) == 0)
			return &api_routes[i];
	}
	meeting[0] = sub[0] = '\0';
	return NULL;
}

const struct api_route *
api_route_by_op(uint32_t op)
{
	if (op == 0)
		return NULL;
	for (size_t i = 0; i < api_routes_n; i++)
		if (api_routes[i].op == op)
			return &api_routes[i];
	return NULL;
}

/* ---- the privileged side: one call ---- */

void
meeting_api(struct mctx *c, uint32_t op, const char *meeting,
    const char *sub, const char *auth, const uint8_t *body, size_t len,
    struct mreply *r)
{
	const struct api_route *rt = api_route_by_op(op);
	const struct api_call call = { op, sub, auth, body, len };
	struct mrow m;
	unsigned idx;

	memset(r, 0, sizeof *r);
	r->code = "";
	if (m_load(c->st, meeting, &m) != 0) {
		mr_err(r, "meeting_unknown", NULL);
		return;
	}
	if (rt == NULL || rt->fn == NULL) {
		mr_err(r, "not_found", NULL);
		return;
	}
	/* A moderator's or the desk's operation: the token of that role
	 * first, before anything else (the operator's CLI has both their
	 * rights). */
	if ((rt->role == API_MODERATOR || rt->role == API_DESK) &&
	    !c->local && token_check(c->st, meeting, rt->role == API_DESK ?
	    "desk" : "moderator", auth, &idx) != 0) {
		mr_err(r, "unauthorized", NULL);
		return;
	}
	(void)store_refusal_clear(c->st);
	rt->fn(c, &m, &call, r);
	/* An event refused by the record's check on write: whatever the
	 * handler made of its failed write, the reply says why. */
	if (r->code[0] != '\0' && c->st->refusal_fr[0] != '\0') {
		mr_err(r, "record_refused", NULL);
		r->doc = json_pack("{s:s, s:s}", "detail", c->st->refusal_fr,
		    "detail_en", c->st->refusal_en);
	}
}

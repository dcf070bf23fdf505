/*
 * api.h — the HTTP API as one table: every endpoint the appliance answers
 * (docs/api.md), with who may call it, how large its body may be, how the
 * network process answers it and which privileged handler decides it.
 *
 * Both processes read the same table (server/api.c). The network process
 * (web.c) matches a request's method and path against it (api_route_match)
 * to find the operation, the path's identifiers and the body cap, and
 * relays the call; the privileged process (meeting_api) finds the row by
 * its operation (api_route_by_op), loads the meeting, checks the role the
 * row requires and calls the row's handler. Nothing else routes: an
 * endpoint that is not a row does not exist, and tests/unit/test_api_table
 * checks docs/api.md against the rows.
 */
#ifndef SCRUTIN_SERVER_API_H
#define SCRUTIN_SERVER_API_H

#include <stddef.h>
#include <stdint.h>

struct mctx;
struct mrow;
struct mreply;

/* Who may call an endpoint (docs/api.md, Roles and authentication). Only
 * API_MODERATOR and API_DESK are checked before the handler runs (the
 * bearer token of that role);
 * the others are proven by what the handler checks (a one-time enrolment
 * token, a statement signed by a trustee's identity key or by a member's
 * credential) or need nothing. */
enum api_role {
	API_PUBLIC,		/* anyone: read-only views and the stream */
	API_MEMBER,		/* a statement signed with a credential */
	API_ENROLMENT,		/* a scrutineer's one-time enrolment token */
	API_SCRUTINEER,		/* a statement signed with ID_j */
	API_MODERATOR,		/* Authorization: Bearer <moderator token> */
	API_DESK,		/* Authorization: Bearer <desk token> */
};

/* How the network process answers a row. */
enum api_net {
	API_NET_RELAY,		/* one privileged call, its JSON as it is */
	API_NET_BOX,		/* the ballot box, paged calls joined */
	API_NET_MINUTES,	/* the minutes' document (HTML or text) */
	API_NET_RECORD,		/* the public record, paged calls streamed */
	API_NET_EVENTS,		/* the live stream (Server-Sent Events) */
	API_NET_STATUS,		/* answered by the network process alone */
	API_NET_FINGERPRINT,	/* the web apps' fingerprint (webfp.h), alone */
	API_NET_ACTIVATE,	/* a credential's activation (priv_activate) */
};

/* One privileged call as its handler sees it. */
struct api_call {
	uint32_t op;		/* MOP_* (server/meeting.h) */
	const char *sub;	/* the {q}, {pk} or {receipt} segment, or "" */
	const char *auth;	/* the bearer token's text, or "" */
	const uint8_t *body;	/* JSON, decoded strictly by the handler */
	size_t len;
};

/* Decides one call on a loaded meeting; OUT r (reply or error). */
typedef void api_handler(struct mctx *c, const struct mrow *m,
    const struct api_call *call, struct mreply *r);

struct api_route {
	const char *method;	/* "GET" or "POST" */
	const char *path;	/* "/api/v1/meetings/{m}/questions/{q}/open" */
	uint32_t op;		/* MOP_*, or 0 for API_NET_STATUS/FINGERPRINT/ACTIVATE */
	enum api_role role;
	size_t body_cap;	/* POST: the largest body read; GET: 0 */
	enum api_net net;
	api_handler *fn;	/* NULL: not a meeting_api call (the ballot
				 * pipeline, the network process's own) */
};

extern const struct api_route api_routes[];
extern const size_t api_routes_n;

/* The largest path identifier ({m}, {q}, {pk}, {receipt}). */
#define API_SEG_MAX 64

/* The row for a method and a plain path (web.c checked it), or NULL.
 * OUT meeting: the {m} segment or ""; OUT sub: the other identifier or
 * "". When no row has this method but one has this path, NULL with
 * *path_known = 1 (405), else 0 (404). */
const struct api_route *api_route_match(const char *method, const char *path,
    char meeting[API_SEG_MAX + 1], char sub[API_SEG_MAX + 1],
    int *path_known);

/* The row of a privileged operation, or NULL (an unknown op). */
const struct api_route *api_route_by_op(uint32_t op);

/* The handlers of the rows, by the file that holds them. */
/* server/meeting.c */
api_handler api_view, api_whoami, api_start, api_end, api_rules;
/* server/attendance.c */
api_handler api_attend;
api_handler api_proxy;
api_handler api_holders;
api_handler api_proxy_paper, api_desk;
/* server/proxy_draw.c */
api_handler api_proxy_volunteer, api_proxy_decline;
/* draw_seed.c: the scrutineers' contributions to the draw's seed */
api_handler api_draw_commit, api_draw_reveal, api_draw_proceed;
api_handler api_mailin_open;
api_handler api_mailin_fallback;
api_handler api_mailin_ballot;
/* ballot_audit.c: a ballot opened by its member (cast-or-audit). */
api_handler api_ballot_audit;
api_handler api_draw_declare, api_draw_run;
/* server/agenda.c */
api_handler api_qadd, api_qcand;
/* server/question.c */
api_handler api_qopen, api_qclose;
/* server/triggers.c */
api_handler api_qtrig;
/* server/recusal.c */
api_handler api_qrecuse, api_members;
/* server/amendment.c */
api_handler api_qamend;
/* server/ballot.c */
api_handler api_voter, api_receipt, api_box;
/* server/ceremony.c */
api_handler api_ceremony;
/* server/ceremony_phase.c */
api_handler api_enrol, api_commit, api_reveal, api_shares, api_key,
    api_complaint;
/* server/decrypt.c */
api_handler api_dshares;
/* server/result.c */
api_handler api_result;
/* server/minutes.c */
api_handler api_minutes, api_minutes_sigs, api_minutes_sign;
/* server/export.c */
api_handler api_record;

#endif

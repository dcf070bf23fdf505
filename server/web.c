/*
 * web.c — the network process (see web.h).
 *
 * Every request enters through one function, on_request (CivetWeb's
 * begin_request callback), which in order: applies the per-address rate
 * limit (429), checks the path is plain (400; CivetWeb is told not to
 * decode it, so a percent-escape is simply not plain), routes /api/ requests
 * through the routing table (404/405) and everything else to the static
 * assets (GET and HEAD only). Before any of it, a request of ambiguous
 * length (two Content-Length headers, one not plain digits, a
 * Transfer-Encoding beside one) is refused (400 bad_framing) and its connection
 * closed unread. Bodies are read by read_json_body only: a
 * Content-Length is required (411), a declared length over BODY_MAX is
 * refused with 413 before a byte of the body is read and the connection
 * is closed, the Content-Type must be application/json (415). Every
 * response, ours or CivetWeb's own error pages, carries the security
 * headers. Error bodies are JSON: {"error": {"code", "fr", "en"[, "field"]}}.
 *
 * Trusts: CivetWeb's HTTP parsing (built without files, CGI, WebSocket,
 * Lua, HTTP/2; mg_handle_form_request is never called). Holds: the TLS key
 * (inside OpenSSL) and the public assets. Never: a database or the
 * signing key. Started as root, it runs as _scrutin-net in an empty root
 * (confine.c); the capability to bind a low port is dropped by each
 * thread before it serves, and web_run says it listens only after that.
 */
/* pthread_setattr_default_np (glibc): CivetWeb 1.15 creates its threads
 * with default attributes and has no stack-size option. */
#define _GNU_SOURCE
#include "server/web.h"

#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <civetweb.h>
#include <jansson.h>
#include <openssl/ssl.h>

#include "server/api.h"
#include "server/assets.h"
#include "server/webfp.h"
#include "server/body.h"
#include "server/civetweb_ext.h"
#include "server/confine.h"
#include "server/cred.h"
#include "server/meeting.h"
#include "server/priv.h"
#include "server/ratelimit.h"
#include "server/sse.h"

#if defined(__SANITIZE_ADDRESS__)
#define WEB_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WEB_SANITIZED 1
#endif
#endif

#define HSTS_VALUE "max-age=63072000; includeSubDomains"
#define CSP_VALUE                                                        \
	"default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; "     \
	"style-src 'self'; img-src 'self' data:; connect-src 'self'; "   \
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
#define PERMISSIONS_VALUE "camera=(self), microphone=(), geolocation=()"

/* The same headers, for the responses CivetWeb makes itself. */
static const char civet_headers[] =
    "Content-Security-Policy: " CSP_VALUE "\r\n"
    "X-Content-Type-Options: nosniff\r\n"
    "Referrer-Policy: no-referrer\r\n"
    "Permissions-Policy: " PERMISSIONS_VALUE "\r\n"
    "Cross-Origin-Opener-Policy: same-origin\r\n"
    "Cross-Origin-Resource-Policy: same-origin\r\n"
    "X-Frame-Options: DENY";

/* ---- errors ---- */

enum web_err {
	E_BAD_PATH,
	E_BAD_FRAMING,
	E_NOT_FOUND,
	E_METHOD,
	E_TOO_LARGE,
	E_LENGTH_REQUIRED,
	E_MEDIA_TYPE,
	E_BODY_INCOMPLETE,
	E_BODY_SLOW,
	E_MALFORMED_JSON,
	E_NOT_OBJECT,
	E_UNKNOWN_FIELD,
	E_MISSING_FIELD,
	E_INVALID_FIELD,
	E_RATE,
	E_UNAVAILABLE,
	E_CRED_UNKNOWN,
	E_CRED_REVOKED,
	E_BAD_SIGNATURE,
	E_STALE,
};

static const struct {
	int status;
	const char *code, *fr, *en;
} web_errors[] = {
	[E_BAD_PATH] = { 400, "bad_path", "chemin invalide", "invalid path" },
	[E_BAD_FRAMING] = { 400, "bad_framing",
	    "longueur de requête ambiguë (un seul en-tête Content-Length, "
	    "en chiffres, sans Transfer-Encoding)",
	    "ambiguous request length (one Content-Length header, digits "
	    "only, without Transfer-Encoding)" },
	[E_NOT_FOUND] = { 404, "not_found", "ressource introuvable",
	    "not found" },
	[E_METHOD] = { 405, "method_not_allowed", "méthode non autorisée",
	    "method not allowed" },
	[E_TOO_LARGE] = { 413, "payload_too_large",
	    "corps de requête trop gros", "request body too large" },
	[E_LENGTH_REQUIRED] = { 411, "length_required",
	    "en-tête Content-Length requis", "Content-Length required" },
	[E_MEDIA_TYPE] = { 415, "unsupported_media_type",
	    "le corps doit être en application/json",
	    "the body must be application/json" },
	[E_BODY_INCOMPLETE] = { 400, "body_incomplete",
	    "corps de requête incomplet", "incomplete request body" },
	[E_BODY_SLOW] = { 408, "request_timeout",
	    "requête trop lente : son corps n'est pas arrivé à temps ; "
	    "réessayez", "request too slow: its body did not arrive in time; "
	    "try again" },
	[E_MALFORMED_JSON] = { 400, "malformed_json",
	    "JSON invalide (ou clé en double)",
	    "malformed JSON (or duplicate key)" },
	[E_NOT_OBJECT] = { 400, "not_an_object",
	    "le corps doit être un objet JSON",
	    "the body must be a JSON object" },
	[E_UNKNOWN_FIELD] = { 400, "unknown_field", "champ inconnu",
	    "unknown field" },
	[E_MISSING_FIELD] = { 400, "missing_field", "champ manquant",
	    "missing field" },
	[E_INVALID_FIELD] = { 400, "invalid_field", "champ invalide",
	    "invalid field" },
	[E_RATE] = { 429, "too_many_requests",
	    "trop de requêtes, réessayez dans un instant",
	    "too many requests, retry shortly" },
	[E_UNAVAILABLE] = { 503, "unavailable",
	    "service momentanément indisponible",
	    "service temporarily unavailable" },
	[E_CRED_UNKNOWN] = { 404, "credential_unknown",
	    "identifiant de vote inconnu pour cette réunion",
	    "no such credential for this meeting" },
	[E_CRED_REVOKED] = { 403, "credential_revoked",
	    "identifiant de vote révoqué", "credential revoked" },
	[E_BAD_SIGNATURE] = { 403, "bad_signature", "signature invalide",
	    "invalid signature" },
	[E_STALE] = { 400, "stale_timestamp",
	    "horodatage trop éloigné de l'heure du serveur",
	    "timestamp too far from the server's clock" },
};

/* ---- time ---- */

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* ---- the process state ---- */

/* The live-event bus: notifications copied from the privileged process by
 * one feeder thread, handed to the streams' loop (sse.c), which writes
 * them to every open stream of their meeting. */
/* The meeting views new streams start from (snap_get): one fetch from
 * the privileged process serves every stream opened meanwhile, so a
 * storm of 2,000 phones costs one view, not 2,000. A view is reused
 * while no event of its meeting newer than it reached the bus (the
 * feeder keeps last_ev) and for at most SNAP_MAX_AGE_MS; a stream
 * replays the bus's events after the view's seq, so it sees the same
 * state as with a fresh view. */
#define SNAP_SLOTS 8
#define SNAP_MAX_AGE_MS 1000u

struct snap {
	char meeting[65];	/* "" free */
	char *text;		/* the view (JSON), NULL while none */
	uint64_t seq;		/* its "seq" */
	uint64_t last_ev;	/* newest bus event of the meeting */
	uint64_t at_ms, used_ms;
	int fetching;
	uint64_t gen;		/* fetches started */
	uint64_t failed;	/* gen of the last fetch that failed */
};

struct bus {
	pthread_mutex_t mu;
	uint64_t last;		/* seq of the newest event passed on */
	int stop;
	pthread_t feeder;
	int feeder_started;
	struct snap snaps[SNAP_SLOTS];
	pthread_cond_t snap_cv;
};

struct web {
	const struct web_config *cfg;
	struct priv_client *priv;
	struct assets assets;
	struct webfp fp;	/* the web apps' fingerprint (webfp.h) */
	json_t *fp_doc;		/* GET /api/v1/fingerprint's answer */
	SSL_CTX *ssl;
	struct ratelimit rl;
	struct bus bus;
	struct sse *sse;	/* the open streams */
};

/* ---- responses ---- */

/* The status and headers of a response, sent by mg_response_send()
 * with its body (one write); close: the connection is closed after it. */
static void
set_head(struct mg_connection *c, int status, const char *type, size_t len,
    const char *cache, const char *xname, const char *xvalue, int close)
{
	char lenbuf[32];

	snprintf(lenbuf, sizeof lenbuf, "%zu", len);
	mg_response_header_start(c, status);
	if (type != NULL)
		mg_response_header_add(c, "Content-Type", type, -1);
	mg_response_header_add(c, "Content-Length", lenbuf, -1);
	mg_response_header_add(c, "Cache-Control", cache, -1);
	mg_response_header_add(c, "Strict-Transport-Security", HSTS_VALUE, -1);
	mg_response_header_add_lines(c, civet_headers);
	if (xname != NULL)
		mg_response_header_add(c, xname, xvalue, -1);
	if (close)
		mg_response_header_add(c, "Connection", "close", -1);
}

static int
send_json(struct mg_connection *c, int status, json_t *doc, const char *xname,
    const char *xvalue, int close)
{
	char *text = json_dumps(doc, JSON_COMPACT);
	size_t n = text ? strlen(text) : 0;

	json_decref(doc);
	if (text == NULL) {
		set_head(c, 500, NULL, 0, "no-store", NULL, NULL, 1);
		mg_response_send(c, NULL, 0);
		return 500;
	}
	set_head(c, status, "application/json", n, "no-store", xname, xvalue,
	    close);
	mg_response_send(c, text, n);
	free(text);
	return status;
}

static int
send_error_x(struct mg_connection *c, enum web_err e, const char *field,
    const char *xname, const char *xvalue, int close)
{
	json_t *err = json_pack("{s:s, s:s, s:s}", "code", web_errors[e].code,
	    "fr", web_errors[e].fr, "en", web_errors[e].en);

	if (err != NULL && field != NULL && field[0] != '\0')
		json_object_set_new(err, "field", json_string(field));
	return send_json(c, web_errors[e].status,
	    json_pack("{s:o}", "error", err), xname, xvalue, close);
}

static int
send_error(struct mg_connection *c, enum web_err e)
{
	return send_error_x(c, e, NULL, NULL, NULL, 0);
}

/* ---- bodies ---- */

/*
 * Reads the JSON body into buf (BODY_MAX bytes). Returns 0, or the status
 * already sent. *close_now is set when the connection must not be reused
 * (the unread body is then never read: see on_request).
 */
static int
read_json_body_cap(struct mg_connection *c, uint8_t *buf, size_t cap,
    size_t *len, int *close_now)
{
	const struct mg_request_info *ri = mg_get_request_info(c);
	const struct web *w = ri->user_data;
	const char *ct = mg_get_header(c, "Content-Type");
	long long cl = ri->content_length;
	size_t got = 0;
	/* The whole body within one request timeout: mg_read would wait
	 * for every byte however slowly they come (a body trickled a byte
	 * at a time held a worker for hours); mg_read_within returns what
	 * one read brings, each read waiting only for the time left. */
	uint64_t deadline = now_ms() + w->cfg->request_timeout_ms;

	*len = 0;
	*close_now = 0;
	if (cl < 0) {
		*close_now = 1;
		return send_error_x(c, E_LENGTH_REQUIRED, NULL, NULL, NULL, 1);
	}
	if (cl > (long long)cap) {
		*close_now = 1;
		return send_error_x(c, E_TOO_LARGE, NULL, NULL, NULL, 1);
	}
	if (ct == NULL || strncasecmp(ct, "application/json", 16) != 0 ||
	    (ct[16] != '\0' && ct[16] != ';')) {
		*close_now = 1;
		return send_error_x(c, E_MEDIA_TYPE, NULL, NULL, NULL, 1);
	}
	while (got < (size_t)cl) {
		int r;

		uint64_t now = now_ms();

		if (now >= deadline) {
			*close_now = 1;
			return send_error_x(c, E_BODY_SLOW, NULL, NULL, NULL, 1);
		}
		r = mg_read_within(c, buf + got, (size_t)cl - got,
		    (unsigned)(deadline - now));
		if (r < 0 && now_ms() >= deadline) {
			*close_now = 1;
			return send_error_x(c, E_BODY_SLOW, NULL, NULL, NULL, 1);
		}
		if (r <= 0) {
			*close_now = 1;
			return send_error_x(c, E_BODY_INCOMPLETE, NULL, NULL,
			    NULL, 1);
		}
		got += (size_t)r;
	}
	*len = got;
	return 0;
}

static int
read_json_body(struct mg_connection *c, uint8_t *buf, size_t *len,
    int *close_now)
{
	return read_json_body_cap(c, buf, BODY_MAX, len, close_now);
}

static enum web_err
body_web_err(enum body_err e)
{
	switch (e) {
	case BODY_NOT_OBJECT: return E_NOT_OBJECT;
	case BODY_UNKNOWN_FIELD: return E_UNKNOWN_FIELD;
	case BODY_MISSING_FIELD: return E_MISSING_FIELD;
	case BODY_INVALID_FIELD: return E_INVALID_FIELD;
	default: return E_MALFORMED_JSON;
	}
}

/* ---- API handlers: each returns the status it sent, or -1 when the
 * connection must be closed without reading what is left of it ---- */

static int
api_status(struct web *w, struct mg_connection *c, const struct api_route *rt,
    const char *m, const char *sub)
{
	struct priv_status s;
	char pk[65];
	json_t *doc;

	if (priv_status_get(w->priv, &s) != 0)
		return send_error(c, E_UNAVAILABLE);
	xhex_encode(pk, sizeof pk, s.server_pk, 32);
	doc = json_pack("{s:s, s:s, s:{s:i, s:i}, s:I, s:I, s:I, s:s, s:I,"
	    " s:s, s:I}",
	    "service", "scrutin", "version", SCRUTIN_VERSION, "schema",
	    "roll", (int)s.roll_version, "box", (int)s.box_version,
	    "members", (json_int_t)s.members_active, "credentials",
	    (json_int_t)s.credentials_active, "events", (json_int_t)s.events,
	    "server_key", pk, "streams", (json_int_t)sse_count(w->sse),
	    "state", s.storage == 0 ? "ok" : "degraded",
	    "free_mb", (json_int_t)s.free_mb);
	if (s.storage == 0 || doc == NULL)
		return send_json(c, 200, doc, NULL, NULL, 0);
	/* Degraded storage (docs/api.md): 503, as health checks expect,
	 * with the reason and what to do. */
	json_object_set_new(doc, "degraded", json_pack("{s:s, s:s, s:s, s:s,"
	    " s:I, s:I}", "code", s.storage_code, "reason", s.storage_reason,
	    "fr", s.storage_fr, "en", s.storage_en, "since",
	    (json_int_t)s.storage_since, "failures",
	    (json_int_t)s.storage_failures));
	return send_json(c, 503, doc, "Retry-After", "30", 0);
}

static int
api_activate(struct web *w, struct mg_connection *c,
    const struct api_route *rt, const char *m, const char *sub)
{
	uint8_t buf[BODY_MAX];
	size_t len;
	int close_now, st;
	struct activate_req req;
	struct body_error berr;
	struct priv_activate rep;
	char sig[129];

	if ((st = read_json_body(c, buf, &len, &close_now)) != 0)
		return close_now ? -1 : st;
	if (body_activate_decode(buf, len, &req, &berr) != 0)
		return send_error_x(c, body_web_err(berr.err), berr.field,
		    NULL, NULL, 0);
	if (priv_activate(w->priv, req.meeting, req.pk, req.ts, req.sig,
	        &rep) != 0)
		return send_error(c, E_UNAVAILABLE);
	switch (rep.result) {
	case CRED_ACT_OK:
	case CRED_ACT_ALREADY:
		xhex_encode(sig, sizeof sig, rep.server_sig, 64);
		return send_json(c, 200,
		    json_pack("{s:s, s:I, s:s}", "status",
			rep.result == CRED_ACT_OK ? "activated"
						  : "already_active",
			"activated_at", (json_int_t)rep.at, "server_sig", sig),
		    NULL, NULL, 0);
	case CRED_ACT_UNKNOWN:
		return send_error(c, E_CRED_UNKNOWN);
	case CRED_ACT_REVOKED:
		return send_error(c, E_CRED_REVOKED);
	case CRED_ACT_BAD_SIG:
		return send_error(c, E_BAD_SIGNATURE);
	case CRED_ACT_STALE:
		return send_error(c, E_STALE);
	default:
		return send_error(c, E_UNAVAILABLE);
	}
}

/* ---- meetings (docs/api.md, second part) ---- */

/* An error answered by the privileged process (code from request.c).
 * detail: the JSON it sent along, or NULL; an "article" there (the
 * profile's article grounding a refusal, mr_err_article) is added to the
 * French and English texts and kept as the error's "article"; a "detail"
 * and a "detail_en" (the statutes engine's message, mr_err_detail, or
 * the record's check on write, in French and English) are kept as the
 * error's "detail" and "detail_en". */
static int
send_error_detail(struct mg_connection *c, const char *code,
    const char *field, const char *detail)
{
	int st;
	const char *fr, *en, *art = NULL;
	json_t *err, *d = NULL;

	if (meeting_error_lookup(code, &st, &fr, &en) != 0)
		return send_error(c, E_UNAVAILABLE);
	if (detail != NULL && detail[0] != '\0' &&
	    (d = json_loads(detail, 0, NULL)) != NULL)
		art = json_string_value(json_object_get(d, "article"));
	if (art != NULL && (art[0] == '\0' || strlen(art) > 200))
		art = NULL;
	if (art != NULL) {
		char frx[512], enx[512];
		snprintf(frx, sizeof frx, "%s (art. %s)", fr, art);
		snprintf(enx, sizeof enx, "%s (art. %s)", en, art);
		err = json_pack("{s:s, s:s, s:s, s:s}", "code", code, "fr",
		    frx, "en", enx, "article", art);
	} else {
		err = json_pack("{s:s, s:s, s:s}", "code", code, "fr", fr,
		    "en", en);
	}
	/* The statutes engine's own message (e.g. which member lacks a
	 * birth date), mr_err_detail, and the record's check on write
	 * (record_refused): the French words as "detail", the English ones
	 * as "detail_en". */
	for (size_t i = 0; err != NULL && d != NULL && i < 2; i++) {
		const char *k = i == 0 ? "detail" : "detail_en";
		const char *dt = json_string_value(json_object_get(d, k));
		if (dt != NULL && dt[0] != '\0' && strlen(dt) <= 700)
			json_object_set_new(err, k, json_string(dt));
	}
	json_decref(d);
	if (err != NULL && field != NULL && field[0] != '\0')
		json_object_set_new(err, "field", json_string(field));
	return send_json(c, st, json_pack("{s:o}", "error", err), NULL, NULL,
	    0);
}

static int
send_error_code(struct mg_connection *c, const char *code, const char *field)
{
	return send_error_detail(c, code, field, NULL);
}

static int
send_text_json(struct mg_connection *c, int status, const char *text)
{
	size_t n = strlen(text);

	set_head(c, status, "application/json", n, "no-store", NULL, NULL, 0);
	mg_response_send(c, text, n);
	return status;
}

/* The bearer token, or "" (a malformed header is no token). */
static void
bearer(struct mg_connection *c, char out[65])
{
	const char *h = mg_get_header(c, "Authorization");
	size_t n;

	out[0] = '\0';
	if (h == NULL || strncmp(h, "Bearer ", 7) != 0)
		return;
	h += 7;
	n = strlen(h);
	if (n == 0 || n > 64)
		return;
	for (size_t i = 0; i < n; i++)
		if (!((h[i] >= 'A' && h[i] <= 'Z') || (h[i] >= 'a' &&
		    h[i] <= 'z') || (h[i] >= '0' && h[i] <= '9') ||
		    h[i] == '-' || h[i] == '_'))
			return;
	memcpy(out, h, n + 1);
}

/* One call to the privileged process, answered as is. */
static int
relay(struct web *w, struct mg_connection *c, uint32_t op, const char *m,
    const char *sub, const uint8_t *body, size_t len)
{
	char auth[65], code[33], field[33], *json = NULL;
	int status, rc;

	bearer(c, auth);
	if (priv_api(w->priv, op, m, sub, auth, body, len, &status, code,
	        field, &json) != 0)
		return send_error(c, E_UNAVAILABLE);
	if (code[0] != '\0')
		rc = send_error_detail(c, code, field, json);
	else
		rc = send_text_json(c, status, json);
	free(json);
	return rc;
}

/* The minutes (procès-verbal) and their signatures: the privileged
 * process answers JSON, served here as the document itself. The minutes
 * are HTML with their own inline style and nothing else: a policy of
 * their own, sandboxed (no script, no form, no frame, no fetch). */
#define CSP_MINUTES                                                      \
	"default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; " \
	"form-action 'none'; frame-ancestors 'none'; sandbox"

static int
relay_minutes(struct web *w, struct mg_connection *c,
    const struct api_route *rt, const char *m, const char *sub)
{
	uint32_t op = rt->op;
	char code[33], field[33], *text = NULL, lenbuf[32];
	const char *doc, *head, *type;
	json_t *j = NULL;
	size_t n;
	int status;

	if (priv_api(w->priv, op, m, "", "", (const uint8_t *)"{}", 2,
	        &status, code, field, &text) != 0)
		return send_error(c, E_UNAVAILABLE);
	if (code[0] != '\0') {
		free(text);
		return send_error_code(c, code, field);
	}
	j = json_loads(text, 0, NULL);
	free(text);
	head = json_string_value(json_object_get(j, "head"));
	if (op == MOP_MINUTES) {
		doc = json_string_value(json_object_get(j, "html"));
		n = json_string_length(json_object_get(j, "html"));
		type = "text/html; charset=utf-8";
	} else {
		doc = json_string_value(json_object_get(j, "lines"));
		n = json_string_length(json_object_get(j, "lines"));
		type = "text/plain; charset=utf-8";
	}
	if (doc == NULL || head == NULL) {
		json_decref(j);
		return send_error(c, E_UNAVAILABLE);
	}
	snprintf(lenbuf, sizeof lenbuf, "%zu", n);
	mg_response_header_start(c, 200);
	mg_response_header_add(c, "Content-Type", type, -1);
	mg_response_header_add(c, "Content-Length", lenbuf, -1);
	mg_response_header_add(c, "Cache-Control", "no-store", -1);
	mg_response_header_add(c, "Strict-Transport-Security", HSTS_VALUE, -1);
	mg_response_header_add(c, "Content-Security-Policy", op == MOP_MINUTES ?
	    CSP_MINUTES : CSP_VALUE, -1);
	mg_response_header_add(c, "X-Content-Type-Options", "nosniff", -1);
	mg_response_header_add(c, "Referrer-Policy", "no-referrer", -1);
	mg_response_header_add(c, "Cross-Origin-Resource-Policy",
	    "same-origin", -1);
	mg_response_header_add(c, "X-Frame-Options", "DENY", -1);
	mg_response_header_add(c, "X-Scrutin-Head", head, -1);
	mg_response_send(c, doc, n);
	json_decref(j);
	return 200;
}

/* The public ballot box: pages from the privileged process, joined. */
static int
relay_box(struct web *w, struct mg_connection *c, const struct api_route *rt,
    const char *m, const char *q)
{
	json_t *all = NULL, *list = json_array();
	json_int_t from = 1;
	int rc;

	for (;;) {
		char code[33], field[33], *text = NULL, body[64];
		int status, n;
		json_error_t e;
		json_t *page;

		n = snprintf(body, sizeof body, "{\"from\": %lld}",
		    (long long)from);
		if (n < 0 || (size_t)n >= sizeof body ||
		    priv_api(w->priv, MOP_BOX, m, q, "", (const uint8_t *)body,
		        (size_t)n, &status, code, field, &text) != 0) {
			json_decref(all);
			json_decref(list);
			return send_error(c, E_UNAVAILABLE);
		}
		if (code[0] != '\0') {
			free(text);
			json_decref(all);
			json_decref(list);
			return send_error_code(c, code, field);
		}
		page = json_loads(text, 0, &e);
		free(text);
		if (page == NULL) {
			json_decref(all);
			json_decref(list);
			return send_error(c, E_UNAVAILABLE);
		}
		json_array_extend(list, json_object_get(page, "ballots"));
		from = json_integer_value(json_object_get(page, "next"));
		if (all == NULL) {
			all = page;
		} else
			json_decref(page);
		if (from == 0)
			break;
	}
	json_object_del(all, "next");
	json_object_set_new(all, "count", json_integer((json_int_t)
	    json_array_size(list)));
	json_object_set_new(all, "ballots", list);
	rc = send_json(c, 200, all, NULL, NULL, 0);
	return rc;
}

/* One page of the public record (MOP_RECORD): OUT the parsed reply, or
 * NULL with *status the error already sent (first page) or -1. */
static json_t *
record_page_get(struct web *w, struct mg_connection *c, const char *m,
    json_int_t from, json_int_t upto, int send, int *status)
{
	char code[33], field[33], *text = NULL, body[64];
	int st, n;
	json_t *page = NULL;

	*status = -1;
	n = snprintf(body, sizeof body, "{\"from\": %lld, \"upto\": %lld}",
	    (long long)from, (long long)upto);
	if (n < 0 || (size_t)n >= sizeof body ||
	    priv_api(w->priv, MOP_RECORD, m, "", "", (const uint8_t *)body,
	        (size_t)n, &st, code, field, &text) != 0) {
		if (send)
			*status = send_error(c, E_UNAVAILABLE);
		return NULL;
	}
	if (code[0] != '\0') {
		if (send)
			*status = send_error_code(c, code, field);
	} else if ((page = json_loads(text, 0, NULL)) == NULL ||
	    !json_is_string(json_object_get(page, "lines")) ||
	    !json_is_integer(json_object_get(page, "next"))) {
		json_decref(page);
		page = NULL;
		if (send)
			*status = send_error(c, E_UNAVAILABLE);
	}
	free(text);
	return page;
}

/*
 * The public record, as a file to download: pages from the privileged
 * process (its replies are capped, a record is not), each written as it
 * comes under the Content-Length the first page announced. The cut the
 * first page chose is named again by the next ones, so the file is one
 * record whatever is appended meanwhile. A page that fails after the
 * headers closes the connection: the body is then visibly short.
 */
static int
relay_record(struct web *w, struct mg_connection *c,
    const struct api_route *rt, const char *m, const char *sub)
{
	json_t *page;
	json_int_t upto, next, total;
	const char *head, *inm;
	char etag[70], lenbuf[32], disp[128], name[API_SEG_MAX + 1];
	size_t sent = 0, i;
	int status;

	if ((page = record_page_get(w, c, m, 0, 0, 1, &status)) == NULL)
		return status;
	upto = json_integer_value(json_object_get(page, "upto"));
	total = json_integer_value(json_object_get(page, "bytes"));
	head = json_string_value(json_object_get(page, "head"));
	if (head == NULL || strlen(head) != 64 || upto <= 0 || total <= 0) {
		json_decref(page);
		return send_error(c, E_UNAVAILABLE);
	}
	snprintf(etag, sizeof etag, "\"%s\"", head);
	inm = mg_get_header(c, "If-None-Match");
	if (inm != NULL && strcmp(inm, etag) == 0) {
		mg_response_header_start(c, 304);
		mg_response_header_add(c, "ETag", etag, -1);
		mg_response_header_add(c, "Cache-Control", "no-cache", -1);
		mg_response_header_add(c, "Strict-Transport-Security",
		    HSTS_VALUE, -1);
		mg_response_header_add_lines(c, civet_headers);
		mg_response_send(c, NULL, 0);
		json_decref(page);
		return 304;
	}
	/* The meeting's identifier (web.c let only plain segments through)
	 * names the file; anything but [A-Za-z0-9._-] becomes '_'. */
	for (i = 0; m[i] != '\0' && i < API_SEG_MAX; i++)
		name[i] = (m[i] >= 'a' && m[i] <= 'z') || (m[i] >= 'A' &&
		    m[i] <= 'Z') || (m[i] >= '0' && m[i] <= '9') ||
		    m[i] == '-' || m[i] == '.' || m[i] == '_' ? m[i] : '_';
	name[i] = '\0';
	snprintf(disp, sizeof disp, "attachment; filename=\"%s-registre.jsonl\"",
	    name);
	snprintf(lenbuf, sizeof lenbuf, "%lld", (long long)total);
	mg_response_header_start(c, 200);
	mg_response_header_add(c, "Content-Type",
	    "application/x-ndjson; charset=utf-8", -1);
	mg_response_header_add(c, "Content-Length", lenbuf, -1);
	mg_response_header_add(c, "Content-Disposition", disp, -1);
	mg_response_header_add(c, "Cache-Control", "no-cache", -1);
	mg_response_header_add(c, "ETag", etag, -1);
	mg_response_header_add(c, "X-Scrutin-Head", head, -1);
	mg_response_header_add(c, "Strict-Transport-Security", HSTS_VALUE, -1);
	mg_response_header_add_lines(c, civet_headers);
	if (mg_response_header_send(c) != 0) {
		json_decref(page);
		return -1;
	}
	for (;;) {
		json_t *lines = json_object_get(page, "lines");
		size_t n = json_string_length(lines);
		if (sent + n > (size_t)total ||
		    (n > 0 && mg_write(c, json_string_value(lines), n) <= 0)) {
			json_decref(page);
			return -1;
		}
		sent += n;
		next = json_integer_value(json_object_get(page, "next"));
		json_decref(page);
		if (next == 0)
			break;
		if ((page = record_page_get(w, c, m, next, upto, 0,
		        &status)) == NULL)
			return -1;
	}
	return sent == (size_t)total ? 200 : -1;
}

static void *
bus_feeder(void *arg)
{
	struct web *w = arg;
	uint64_t after = 0;

	/* Start from the privileged process's current position. */
	for (;;) {
		char *text = NULL;
		json_t *doc, *evs, *ev;
		json_error_t e;
		size_t i;

		pthread_mutex_lock(&w->bus.mu);
		int stop = w->bus.stop;
		pthread_mutex_unlock(&w->bus.mu);
		if (stop)
			break;
		if (priv_notify_wait(w->priv, after, 1000, &text) != 0) {
			sleep(1);
			continue;
		}
		if (text == NULL)
			continue;
		doc = json_loads(text, 0, &e);
		free(text);
		if (doc == NULL)
			continue;
		evs = json_object_get(doc, "events");
		/* Under the bus lock: a view fetched meanwhile (snap_get)
		 * is either older than these events (last_ev says so) or
		 * hands its stream to the loop after them. */
		pthread_mutex_lock(&w->bus.mu);
		json_array_foreach(evs, i, ev) {
			uint64_t seq = (uint64_t)json_integer_value(
			    json_object_get(ev, "seq"));
			const char *mt = json_string_value(json_object_get(ev,
			    "meeting"));
			const char *nm = json_string_value(json_object_get(ev,
			    "name"));
			const char *dt = json_string_value(json_object_get(ev,
			    "data"));
			if (seq <= w->bus.last || mt == NULL || nm == NULL ||
			    dt == NULL)
				continue;
			sse_publish(w->sse, seq, mt, nm, dt);
			w->bus.last = seq;
			for (size_t k = 0; k < SNAP_SLOTS; k++)
				if (strcmp(w->bus.snaps[k].meeting, mt) == 0)
					w->bus.snaps[k].last_ev = seq;
		}
		after = w->bus.last;
		pthread_mutex_unlock(&w->bus.mu);
		sse_kick(w->sse);
		json_decref(doc);
	}
	return NULL;
}

/*
 * The view a new stream starts from (see struct snap). OUT *text
 * (malloc'd copy) and *seq; or code/field set by the privileged process
 * (text NULL). Returns -1 when the privileged process did not answer.
 */
static int
snap_get(struct web *w, const char *m, char **text, uint64_t *seq,
    char code[33], char field[33])
{
	struct bus *b = &w->bus;
	struct snap *sn;
	char *v = NULL;
	int status, rc;

	*text = NULL;
	code[0] = field[0] = '\0';
	pthread_mutex_lock(&b->mu);
	for (;;) {
		uint64_t now = now_ms();
		struct snap *lru = NULL;
		sn = NULL;
		for (size_t k = 0; k < SNAP_SLOTS; k++) {
			struct snap *x = &b->snaps[k];
			if (strcmp(x->meeting, m) == 0)
				sn = x;
			else if (!x->fetching && (lru == NULL ||
			    x->used_ms < lru->used_ms))
				lru = x;
		}
		if (sn != NULL && sn->text != NULL && sn->seq >= sn->last_ev &&
		    now - sn->at_ms < SNAP_MAX_AGE_MS) {
			sn->used_ms = now;
			*text = xstrdup(sn->text);
			*seq = sn->seq;
			pthread_mutex_unlock(&b->mu);
			return 0;
		}
		if (sn != NULL && sn->fetching) {
			/* Someone fetches: wait for it; if it fails, fail too
			 * (the privileged process is slow or gone: no queue of
			 * fetches one after another). */
			uint64_t g = sn->gen;
			while (sn->fetching && sn->gen == g &&
			    strcmp(sn->meeting, m) == 0)
				pthread_cond_wait(&b->snap_cv, &b->mu);
			if (sn->failed == g && strcmp(sn->meeting, m) == 0) {
				pthread_mutex_unlock(&b->mu);
				return -1;
			}
			continue;
		}
		if (sn == NULL) {
			if (lru == NULL) {
				/* Every slot is being fetched: no sharing. */
				pthread_mutex_unlock(&b->mu);
				goto alone;
			}
			sn = lru;
			free(sn->text);
			memset(sn, 0, sizeof *sn);
			snprintf(sn->meeting, sizeof sn->meeting, "%s", m);
		}
		/* This thread fetches; the slot exists before the request
		 * leaves, so the feeder records any event after it. */
		sn->fetching = 1;
		sn->gen++;
		pthread_mutex_unlock(&b->mu);
		break;
	}
	rc = priv_api(w->priv, MOP_VIEW, m, "", "", (const uint8_t *)"{}", 2,
	    &status, code, field, &v);
	pthread_mutex_lock(&b->mu);
	sn->fetching = 0;
	if (rc == 0 && code[0] == '\0' && v != NULL) {
		json_error_t e;
		json_t *doc = json_loads(v, 0, &e);
		uint64_t s = doc ? (uint64_t)json_integer_value(
		    json_object_get(doc, "seq")) : 0;
		json_decref(doc);
		free(sn->text);
		sn->text = xstrdup(v);
		sn->seq = s;
		sn->at_ms = sn->used_ms = now_ms();
		*seq = s;
		*text = v;
		v = NULL;
	} else {
		/* Not kept (an unknown meeting, an error): the waiters of
		 * this fetch fail with it. */
		free(sn->text);
		sn->text = NULL;
		if (rc != 0)
			sn->failed = sn->gen;
		else
			sn->failed = 0;
	}
	pthread_cond_broadcast(&b->snap_cv);
	pthread_mutex_unlock(&b->mu);
	free(v);
	return rc;
alone:
	rc = priv_api(w->priv, MOP_VIEW, m, "", "", (const uint8_t *)"{}", 2,
	    &status, code, field, &v);
	if (rc == 0 && code[0] == '\0' && v != NULL) {
		json_error_t e;
		json_t *doc = json_loads(v, 0, &e);
		*seq = doc ? (uint64_t)json_integer_value(json_object_get(doc,
		    "seq")) : 0;
		json_decref(doc);
		*text = v;
		v = NULL;
	}
	free(v);
	return rc;
}

/*
 * GET …/events[?counts=0]: the headers and a snapshot from this worker,
 * then the connection leaves CivetWeb (mg_detach_stream) for the streams'
 * loop (sse.c), which sends every event of the meeting after the
 * snapshot's seq (but the count events with counts=0); the worker goes
 * back to the pool.
 */
static int
api_events(struct web *w, struct mg_connection *c, const struct api_route *rt,
    const char *m, const char *sub)
{
	char code[33], field[33], *snap = NULL, *ev;
	const char *qs = mg_get_request_info(c)->query_string;
	int status, fd, counts = 1, rc;
	size_t evlen;
	uint64_t my = 0;
	SSL *ssl;

	/* ?counts=0: without the count events (a member's phone). */
	if (qs != NULL && qs[0] != '\0') {
		if (strcmp(qs, "counts=0") == 0)
			counts = 0;
		else if (strcmp(qs, "counts=1") != 0)
			return send_error_code(c, "invalid_field", "counts");
	}
	if (sse_reserve(w->sse) != 0)
		return send_error(c, E_UNAVAILABLE);
	if (snap_get(w, m, &snap, &my, code, field) != 0) {
		status = send_error(c, E_UNAVAILABLE);
		goto out;
	}
	if (snap == NULL) {
		status = code[0] != '\0' ? send_error_code(c, code, field) :
		    send_error(c, E_UNAVAILABLE);
		goto out;
	}
	mg_response_header_start(c, 200);
	mg_response_header_add(c, "Content-Type", "text/event-stream", -1);
	mg_response_header_add(c, "Cache-Control", "no-store", -1);
	mg_response_header_add(c, "Strict-Transport-Security", HSTS_VALUE, -1);
	mg_response_header_add_lines(c, civet_headers);
	status = -1;	/* the connection is not reused */
	/* The headers and the snapshot event in one write. */
	if ((ev = sse_format(my, "snapshot", snap, &evlen)) == NULL)
		goto out;
	rc = mg_response_send(c, ev, evlen);
	free(ev);
	if (rc != 0 || mg_detach_stream(c, &fd, &ssl) != 0)
		goto out;
	free(snap);
	/* The loop has the connection (or closed it): CivetWeb no longer
	 * does anything with it but forget it. */
	(void)sse_adopt(w->sse, fd, ssl, m, my, counts);
	return -1;
out:
	free(snap);
	sse_release(w->sse);
	return status;
}

/* A row answered by one privileged call: a GET as it is, a POST with
 * its body, read within the row's cap. */
static int
relay_call(struct web *w, struct mg_connection *c, const struct api_route *rt,
    const char *m, const char *sub)
{
	/* The declared length when it is within the cap (what is read never
	 * exceeds it); the cap is checked again by read_json_body_cap. */
	long long cl;
	uint8_t *body;
	size_t len;
	int close_now, st;

	if (strcmp(rt->method, "GET") == 0)
		return relay(w, c, rt->op, m, sub, (const uint8_t *)"{}", 2);
	cl = mg_get_request_info(c)->content_length;
	body = xmalloc(cl > 0 && cl <= (long long)rt->body_cap ? (size_t)cl :
	    1);
	if ((st = read_json_body_cap(c, body, rt->body_cap, &len,
	        &close_now)) != 0) {
		free(body);
		return close_now ? -1 : st;
	}
	st = relay(w, c, rt->op, m, sub, body, len);
	free(body);
	return st;
}

/* GET /api/v1/fingerprint: the web apps' fingerprint, from the bytes
 * this process serves (docs/server.md). */
static int
api_fingerprint(struct web *w, struct mg_connection *c,
    const struct api_route *rt, const char *m, const char *sub)
{
	(void)rt;
	(void)m;
	(void)sub;
	return send_json(c, 200, json_incref(w->fp_doc), NULL, NULL, 0);
}

/* How the network process answers each kind of row of the API table
 * (server/api.c): the status it sent, or -1 when the connection must be
 * closed without reading what is left of it. */
static int (*const net_answer[])(struct web *, struct mg_connection *,
    const struct api_route *, const char *, const char *) = {
	[API_NET_RELAY] = relay_call,
	[API_NET_BOX] = relay_box,
	[API_NET_MINUTES] = relay_minutes,
	[API_NET_RECORD] = relay_record,
	[API_NET_EVENTS] = api_events,
	[API_NET_STATUS] = api_status,
	[API_NET_FINGERPRINT] = api_fingerprint,
	[API_NET_ACTIVATE] = api_activate,
};

/* ---- static assets ---- */

static int
serve_asset(struct web *w, struct mg_connection *c, const char *path,
    int head)
{
	const struct asset *a = assets_find(&w->assets, path);
	const char *inm;

	if (a == NULL)
		return send_error(c, E_NOT_FOUND);
	inm = mg_get_header(c, "If-None-Match");
	if (inm != NULL && strcmp(inm, a->etag) == 0) {
		mg_response_header_start(c, 304);
		mg_response_header_add(c, "ETag", a->etag, -1);
		mg_response_header_add(c, "Cache-Control", "no-cache", -1);
		mg_response_header_add(c, "Strict-Transport-Security",
		    HSTS_VALUE, -1);
		mg_response_header_add_lines(c, civet_headers);
		mg_response_send(c, NULL, 0);
		return 304;
	}
	/* Not fingerprinted yet: always revalidate, cheaply, by ETag. */
	set_head(c, 200, a->type, a->len, "no-cache", "ETag", a->etag, 0);
	mg_response_send(c, head ? NULL : a->data, head ? 0 : a->len);
	return 200;
}

/* ---- the entry point of every request ---- */

/*
 * RFC 9112 §6.3: a request whose length is ambiguous is refused before any
 * body is read, and its connection closed — two Content-Length headers
 * (CivetWeb would use the first, a proxy in front might use the other:
 * request smuggling), a value that is not only digits (« +2 », « 2, 50 »,
 * spaces) or too long to be a length, or a Transfer-Encoding beside a
 * Content-Length. (A Transfer-Encoding alone is unambiguous: the API,
 * which takes only bodies of a declared length, answers it 411.)
 */
static int
request_framing_ok(const struct mg_request_info *ri)
{
	int lengths = 0, te = 0;

	for (int i = 0; i < ri->num_headers; i++) {
		const char *n = ri->http_headers[i].name;
		const char *v = ri->http_headers[i].value;

		if (n == NULL)
			return 0;
		if (strcasecmp(n, "Transfer-Encoding") == 0)
			te = 1;
		if (strcasecmp(n, "Content-Length") != 0)
			continue;
		if (++lengths > 1 || v == NULL || v[0] == '\0' ||
		    strlen(v) > 15 || strspn(v, "0123456789") != strlen(v))
			return 0;
	}
	return !(te && lengths > 0);
}

static int
on_request(struct mg_connection *c)
{
	const struct mg_request_info *ri = mg_get_request_info(c);
	struct web *w = ri->user_data;
	const char *path = ri->local_uri_raw;
	const char *m = ri->request_method;

	/* Connections wait for a worker: this one is not kept alive after
	 * its response, so that its worker takes the next one at once
	 * instead of waiting up to 5 s for a request that may not come (a
	 * phone posts its ballot and is idle until the next motion). */
	if (mg_queue_waiting(c) > 0)
		mg_close_after(c);
	if (!request_framing_ok(ri)) {
		(void)send_error_x(c, E_BAD_FRAMING, NULL, NULL, NULL, 1);
		return -1;	/* the rest is never read as a request */
	}
	if (path == NULL || !assets_path_ok(path))
		return send_error(c, E_BAD_PATH);
	/* The API is rate-limited per address; the web apps' files are not
	 * (served from memory, revalidated by ETag): a room of phones
	 * behind one address (a venue's Wi-Fi) loads its pages at once. */
	if (strncmp(path, "/api/", 5) == 0 &&
	    !ratelimit_allow(&w->rl, ri->remote_addr))
		return send_error_x(c, E_RATE, NULL, "Retry-After", "1", 0);
	if (strncmp(path, "/api/", 5) == 0) {
		char mid[API_SEG_MAX + 1], sub[API_SEG_MAX + 1];
		int path_known;
		const struct api_route *rt = api_route_match(m, path, mid, sub,
		    &path_known);
		if (rt == NULL)
			return send_error(c, path_known ? E_METHOD :
			    E_NOT_FOUND);
		/* -1: CivetWeb closes the connection without reading the
		 * rest of the body (1.15: a negative value skips its
		 * discard_unread_request_data). */
		return net_answer[rt->net](w, c, rt, mid, sub);
	}
	if (strcmp(m, "GET") == 0)
		return serve_asset(w, c, path, 0);
	if (strcmp(m, "HEAD") == 0)
		return serve_asset(w, c, path, 1);
	return send_error_x(c, E_METHOD, NULL, "Allow", "GET, HEAD", 0);
}

/*
 * CivetWeb's own refusals (a malformed request line, a header too long, an
 * HTTP version it does not speak…) answered like ours: a JSON error, the
 * security headers, a status line of our making (mg_response_send never
 * echoes the client's bytes), the connection closed.
 */
static int
on_http_error(struct mg_connection *c, int status, const char *msg)
{
	json_t *err;

	(void)msg;	/* CivetWeb's text may quote the client's bytes */
	if (status < 400 || status > 599)
		return 1;	/* not a refusal: CivetWeb's own answer */
	err = json_pack("{s:s, s:s, s:s}", "code", "http_refused", "fr",
	    "requête HTTP refusée par le serveur web (mal formée ou trop "
	    "longue)", "en", "HTTP request refused by the web server "
	    "(malformed or too long)");
	(void)send_json(c, status, json_pack("{s:o}", "error", err), NULL,
	    NULL, 1);
	return 0;
}

static int
on_external_ssl_ctx(void **ssl_ctx, void *user_data)
{
	struct web *w = user_data;

	*ssl_ctx = w->ssl;
	return 1;
}

/* Each CivetWeb thread, before it takes a connection: no capability
 * (the main thread keeps CAP_NET_BIND_SERVICE until it listens), and not
 * before the process is ready (confine.c). */
static void *
on_thread_start(const struct mg_context *ctx, int type)
{
	(void)ctx;
	(void)type;
	confine_thread_drop();
	confine_gate_wait();
	return NULL;
}

static int
on_log_message(const struct mg_connection *c, const char *msg)
{
	log_warn("civetweb: %s", msg);
	return 1;
}

/* "127.0.0.1:8443" -> "127.0.0.1:8443s" (TLS only). */
static int
listen_spec(char *out, size_t cap, const char *listen)
{
	const char *colon = strrchr(listen, ':');
	int n;

	if (colon == NULL || colon[1] == '\0' || strchr(listen, ',') != NULL)
		return -1;
	for (const char *p = colon + 1; *p; p++)
		if (*p < '0' || *p > '9')
			return -1;
	n = snprintf(out, cap, "%ss", listen);
	return (n < 0 || (size_t)n >= cap) ? -1 : 0;
}

/*
 * Memory of the worker threads (--threads of them, mostly idle; the event
 * streams no longer hold one: sse.c): before any thread exists,
 * - a small default stack for every thread created with default
 *   attributes (CivetWeb's workers: pthread_attr_init, no size), instead
 *   of RLIMIT_STACK (8 MB of address space each; resident is only what
 *   is touched: ~20 KB idle, measured). Sanitizer builds need more.
 * - few malloc arenas: glibc would make up to 8 per core, each keeping
 *   its own free memory, for threads that allocate a little and sleep.
 * And descriptors: one per connection (streams included), so the soft
 * limit goes up to the hard one.
 */
#ifdef WEB_SANITIZED
#define WEB_STACK_SIZE (1024u * 1024u)
#else
#define WEB_STACK_SIZE (256u * 1024u)
#endif
#define WEB_MALLOC_ARENAS 2

static void
web_memory_setup(const struct web_config *cfg)
{
	pthread_attr_t a;
	struct rlimit nofile;

	if (mallopt(M_ARENA_MAX, WEB_MALLOC_ARENAS) != 1)
		log_warn("mallopt(M_ARENA_MAX) refused");
	if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 &&
	    nofile.rlim_cur < nofile.rlim_max) {
		nofile.rlim_cur = nofile.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &nofile);
	}
	if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 &&
	    nofile.rlim_cur != RLIM_INFINITY &&
	    nofile.rlim_cur < (rlim_t)cfg->max_streams + cfg->threads + 64)
		log_warn("%llu file descriptors at most: fewer than the %u"
		    " streams and %u workers allowed",
		    (unsigned long long)nofile.rlim_cur, cfg->max_streams,
		    cfg->threads);
	if (pthread_attr_init(&a) != 0)
		return;
	if (pthread_attr_setstacksize(&a, WEB_STACK_SIZE) != 0 ||
	    pthread_setattr_default_np(&a) != 0)
		log_warn("cannot set the default thread stack size");
	pthread_attr_destroy(&a);
}

/* The channel to the privileged process closed (it went away, or saw a
 * malformed record): nothing can be answered any more, so the network
 * process stops (the signal ends web_run's wait) and its supervisor
 * starts another, with a new channel. */
static void
web_channel_lost(void)
{
	(void)kill(getpid(), SIGTERM);
}

int
web_run(int privfd, const struct web_config *cfg)
{
	struct web w;
	struct mg_callbacks cb;
	struct mg_context *ctx = NULL;
	struct mg_server_port ports[4];
	char listen[128], threads[16], timeout[16];
	sigset_t set;
	int sig, rc = 1, ready = 0;
	struct rlimit nocore = { 0, 0 };

	memset(&w, 0, sizeof w);
	w.cfg = cfg;
	log_set_role("scrutin-net");
	web_memory_setup(cfg);
	(void)setrlimit(RLIMIT_CORE, &nocore);
	(void)prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);

	if (listen_spec(listen, sizeof listen, cfg->listen) != 0) {
		log_warn("invalid listen address %s", cfg->listen);
		goto out;
	}
	snprintf(threads, sizeof threads, "%u", cfg->threads);
	snprintf(timeout, sizeof timeout, "%u", cfg->request_timeout_ms);
	/* Loaded by the parent before the fork (webfp.c): the bytes served
	 * are the ones it fingerprinted. */
	w.assets = *cfg->served;
	webfp_compute(&w.assets, &w.fp);
	if ((w.fp_doc = webfp_json(&w.fp)) == NULL)
		goto out;
	/* Made by the parent from the certificate and key files (a chrooted
	 * process opens none): this copy is ours. */
	w.ssl = cfg->ssl;
	/* Signals are taken by sigwait below; every thread inherits the
	 * mask, so it is set before the first one (CivetWeb's, the channel's
	 * reader, the feeder, the streams' loop): a SIGTERM taken by a thread
	 * that did not block it would end the process without its stop. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	pthread_mutex_init(&w.bus.mu, NULL);
	pthread_cond_init(&w.bus.snap_cv, NULL);
	ratelimit_init(&w.rl, cfg->rate, cfg->burst);

	const char *options[] = {
		"listening_ports", listen,
		"num_threads", threads,
		"request_timeout_ms", timeout,
		"keep_alive_timeout_ms", "5000",
		"enable_keep_alive", "yes",
		"tcp_nodelay", "1", /* a response is one write: no waiting */
		"max_request_size", "8192",
		"listen_backlog", "4096", /* a room's phones at once */
		"connection_queue", "128",
		"decode_url", "no", /* raw path: any %-escape is refused */
		"ssl_protocol_version", "4",
		"strict_transport_security_max_age", "63072000",
		"additional_header", civet_headers,
		"enable_auth_domain_check", "no",
		NULL,
	};
	memset(&cb, 0, sizeof cb);
	cb.begin_request = on_request;
	cb.http_error = on_http_error;
	cb.external_ssl_ctx = on_external_ssl_ctx;
	cb.log_message = on_log_message;
	cb.init_thread = on_thread_start;
	mg_init_library(MG_FEATURES_TLS);
	if ((ctx = mg_start(&cb, &w, options)) == NULL) {
		log_warn("cannot start the HTTPS server on %s", cfg->listen);
		goto out;
	}
	/* Bound: no capability is needed any more, in any thread (CivetWeb's
	 * dropped theirs and wait at the gate; the threads made below inherit
	 * none). confine.c. */
	confine_thread_drop();
	w.priv = priv_client_new(privfd);
	privfd = -1;
	if ((w.sse = sse_new(cfg->max_streams)) == NULL)
		goto out;
	if (pthread_create(&w.bus.feeder, NULL, bus_feeder, &w) == 0)
		w.bus.feeder_started = 1;
	ready = 1;
	confine_gate_open(cfg->threads + 1);	/* the workers and the master */
	int np = mg_get_server_ports(ctx, 4, ports);
	if (np < 1) {
		log_warn("no listening port");
		goto out;
	}
	char host[96];
	snprintf(host, sizeof host, "%.*s", (int)(strrchr(cfg->listen, ':') -
	    cfg->listen), cfg->listen);
	log_info("en écoute sur https://%s:%d/ (processus réseau %ld, "
	    "processus privilégié %ld)", host, ports[0].port, (long)getpid(),
	    (long)cfg->priv_pid);

	/* From now on a lost channel stops the process (only a process
	 * that started is restarted for it: supervise.c). */
	priv_client_on_break(w.priv, web_channel_lost);
	while (sigwait(&set, &sig) != 0 || sig == SIGHUP)
		;
	priv_client_on_break(w.priv, NULL);
	log_info("arrêt sur le signal %d", sig);
	rc = 0;
out:
	/* CivetWeb's threads wait at the gate for a process that is not
	 * ready: it exits at once rather than let them serve (the supervisor
	 * sees a network process that could not start). */
	if (ctx != NULL && !ready)
		_exit(1);
	/* The feeder and the workers first (a worker may still hand a
	 * stream to the loop), then the loop closes every stream. */
	if (w.bus.feeder_started) {
		pthread_mutex_lock(&w.bus.mu);
		w.bus.stop = 1;
		pthread_mutex_unlock(&w.bus.mu);
	}
	if (ctx != NULL)
		mg_stop(ctx);
	if (w.bus.feeder_started)
		pthread_join(w.bus.feeder, NULL);
	sse_free(w.sse);
	for (size_t i = 0; i < SNAP_SLOTS; i++)
		free(w.bus.snaps[i].text);
	/* CivetWeb does not free an external SSL_CTX. */
	SSL_CTX_free(w.ssl);
	priv_client_free(w.priv);
	if (privfd >= 0)
		close(privfd);
	webfp_free(&w.fp);
	json_decref(w.fp_doc);
	assets_free(&w.assets);
	ratelimit_free(&w.rl);
	return rc;
}

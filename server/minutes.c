/*
 * minutes.c — the procès-verbal of a meeting from its current public
 * record (docs/record.md §8, docs/api.md "Minutes"), and the scrutineers'
 * signatures over it, made in their consoles.
 *
 * Trusts: the store, audit/ (the verifier, which re-checks the record
 * before a line of the minutes is written, and audit/pv.h, the same HTML
 * as `scrutin-minutes`). The request bodies are untrusted: decoded
 * strictly, each signature verified against the scrutineer's enrolled
 * identity key and the record head the server holds now.
 *
 * Invariants: minutes exist only once every question opened is counted
 * (none open or awaiting its count) and at least one is; they are
 * rendered from a record that ends with a checkpoint (added here if
 * needed, as at export), so the head they cite is signed by the server.
 * A rendering is kept for its head (verifying the whole record again for
 * each request would be wasteful); a signature is accepted only over
 * SHA-256 of these exact bytes and this head, and recorded as one event
 * (`minutes.signed`) in its transaction. Signatures over an earlier head
 * stay in the events but are no longer served: they sign other minutes.
 */
#include "server/meeting.h"
#include "server/meeting_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "audit/pv.h"
#include "audit/verify.h"
#include "server/member_name.h"
#include "server/record.h"
#include "server/store.h"

/* 1 when the minutes can be written, 0 when not yet, -1 on error. */
static int
minutes_ready(struct store *st, const char *meeting)
{
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT"
	    " coalesce(sum(status IN ('open', 'closed')), 0),"
	    " coalesce(sum(status = 'counted'), 0)"
	    " FROM questions WHERE meeting = ?1");
	int rc = -1;

	if (s != NULL && store_bind_text(s, 1, meeting) == 0 &&
	    sqlite3_step(s) == SQLITE_ROW)
		rc = sqlite3_column_int64(s, 0) == 0 &&
		    sqlite3_column_int64(s, 1) > 0;
	sqlite3_finalize(s);
	return rc;
}

/* The record ends with a checkpoint, OUT its head. 0, or -1. */
static int
minutes_head(struct store *st, const char *meeting, uint8_t head[32])
{
	uint64_t events;

	if (store_begin(st) != 0)
		return -1;
	if (store_record_checkpoint(st, meeting) != 0 ||
	    store_commit(st) != 0) {
		store_rollback(st);
		return -1;
	}
	if (store_record_head(st, meeting, head, &events) != 0 ||
	    events == 0)
		return -1;
	return 0;
}

/* The names the public record does not hold (audit/pv.h): every
 * credential of the meeting (its 16-hex pseudonym) with its member's
 * « Prénom Nom » from the roll, and the scrutineers' names. Strings are
 * owned by pool (freed with names_free). */
struct pv_names {
	struct audit_pv_names n;
	char **ids, **names, **scr, **last, **first;
	size_t cap;
};

static void
names_free(struct pv_names *p)
{
	for (size_t i = 0; i < p->n.n; i++) {
		free(p->ids[i]);
		free(p->names[i]);
		free(p->last[i]);
		free(p->first[i]);
	}
	free(p->last);
	free(p->first);
	for (size_t j = 0; j < p->n.n_scrutineers; j++)
		free(p->scr[j]);
	free(p->ids);
	free(p->names);
	free(p->scr);
}

static int
names_load(struct store *st, const char *meeting, struct pv_names *p)
{
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT c.pk,"
	    " display_name(m.first_name, m.last_name), m.last_name,"
	    " m.first_name FROM credentials c JOIN members m ON m.id ="
	    " c.member_id WHERE c.meeting = ?1 ORDER BY c.id");
	int r;

	memset(p, 0, sizeof *p);
	if (s == NULL || store_bind_text(s, 1, meeting) != 0)
		goto bad;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		char h[65];
		if (sqlite3_column_bytes(s, 0) != 32)
			continue;
		if (p->n.n == p->cap) {
			p->cap = p->cap ? 2 * p->cap : 64;
			p->ids = xreallocarray(p->ids, p->cap, sizeof *p->ids);
			p->names = xreallocarray(p->names, p->cap,
			    sizeof *p->names);
			p->last = xreallocarray(p->last, p->cap,
			    sizeof *p->last);
			p->first = xreallocarray(p->first, p->cap,
			    sizeof *p->first);
		}
		xhex_encode(h, sizeof h, sqlite3_column_blob(s, 0), 32);
		h[16] = '\0';
		p->ids[p->n.n] = xstrdup(h);
		p->last[p->n.n] = xstrdup(sqlite3_column_type(s, 2) ==
		    SQLITE_TEXT ? (const char *)sqlite3_column_text(s, 2) : "");
		p->first[p->n.n] = xstrdup(sqlite3_column_type(s, 3) ==
		    SQLITE_TEXT ? (const char *)sqlite3_column_text(s, 3) : "");
		p->names[p->n.n++] = xstrdup((const char *)
		    sqlite3_column_text(s, 1));
	}
	sqlite3_finalize(s);
	if (r != SQLITE_DONE)
		goto bad;
	s = store_prepare(st->roll, "SELECT idx, name FROM trustees"
	    " WHERE meeting = ?1 AND idx BETWEEN 1 AND 16 ORDER BY idx");
	p->scr = xcalloc(16, sizeof *p->scr);
	if (s == NULL || store_bind_text(s, 1, meeting) != 0)
		goto bad;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		size_t j = (size_t)sqlite3_column_int64(s, 0);
		p->scr[j - 1] = xstrdup((const char *)sqlite3_column_text(s, 1));
		if (j > p->n.n_scrutineers)
			p->n.n_scrutineers = j;
	}
	sqlite3_finalize(s);
	if (r != SQLITE_DONE)
		goto bad;
	p->n.ids = (const char *const *)p->ids;
	p->n.names = (const char *const *)p->names;
	p->n.scrutineers = (const char *const *)p->scr;
	return 0;
bad:
	names_free(p);
	return -1;
}

/* A member of the attendance annex with its roll name, to sort. */
struct att_row {
	size_t idx;		/* in the summary's members */
	const char *last, *first, *id;
	int named;
};

static int
att_row_cmp(const void *a, const void *b)
{
	const struct att_row *x = a, *y = b;
	int c;

	if (x->named != y->named)
		return x->named ? -1 : 1;
	if (x->named && (c = member_name_cmp(x->last, x->first, y->last,
	        y->first)) != 0)
		return c;
	return strcmp(x->id, y->id);
}

static int
att_id_cmp(const void *a, const void *b)
{
	return strcmp(((const struct att_row *)a)->id,
	    ((const struct att_row *)b)->id);
}

/*
 * The attendance annex in the French order of an attendance list: the
 * summary's members (the record's credential order, which scrutin-minutes
 * keeps: it has pseudonyms only) sorted by last name, then first name
 * (member_name_cmp), a credential the roll does not name last, by its
 * pseudonym; each index of a member (proxy_to, a mail-in voter's
 * fallback holder, the proxies' giver, holder and effective holder, the
 * questions' recused members, the draws' pools and members drawn)
 * follows its member to the new index.
 */
static void
attendance_sort(audit_summary *s, const struct pv_names *nm)
{
	size_t n = s->n_members, *to;
	struct att_row *rows, *byid;
	struct audit_member_summary *was;

	if (n < 2)
		return;
	rows = xcalloc(n, sizeof *rows);
	to = xcalloc(n, sizeof *to);
	was = xcalloc(n, sizeof *was);
	memcpy(was, s->members, n * sizeof *was);
	/* The roll's names by pseudonym, sorted to be searched. */
	byid = xcalloc(nm->n.n + 1, sizeof *byid);
	for (size_t k = 0; k < nm->n.n; k++)
		byid[k] = (struct att_row){ k, nm->last[k], nm->first[k],
		    nm->ids[k], 1 };
	qsort(byid, nm->n.n, sizeof *byid, att_id_cmp);
	for (size_t i = 0; i < n; i++) {
		struct att_row key = { 0, NULL, NULL, was[i].id, 0 }, *hit;
		hit = bsearch(&key, byid, nm->n.n, sizeof *byid, att_id_cmp);
		rows[i] = hit != NULL ? *hit : key;
		rows[i].idx = i;
	}
	free(byid);
	qsort(rows, n, sizeof *rows, att_row_cmp);
	for (size_t j = 0; j < n; j++)
		to[rows[j].idx] = j;
	for (size_t j = 0; j < n; j++) {
		s->members[j] = was[rows[j].idx];
		if (s->members[j].proxy_to >= 0 &&
		    (size_t)s->members[j].proxy_to < n)
			s->members[j].proxy_to = (int64_t)
			    to[s->members[j].proxy_to];
		if (s->members[j].fallback >= 0 &&
		    (size_t)s->members[j].fallback < n)
			s->members[j].fallback = (int64_t)
			    to[s->members[j].fallback];
	}
	/* The « Procurations » list names members by index too. */
	for (size_t k = 0; k < s->n_proxies; k++) {
		struct audit_proxy_summary *px = &s->proxies[k];
		if (px->giver < n)
			px->giver = (uint32_t)to[px->giver];
		if (px->holder < n)
			px->holder = (uint32_t)to[px->holder];
		for (size_t q = 0; px->eff != NULL && q < s->n_questions; q++)
			if (px->state[q] == AUDIT_PX_REASSIGNED &&
			    px->eff[q] < n)
				px->eff[q] = (uint32_t)to[px->eff[q]];
	}
	/* And so do the members recused on each question. */
	for (size_t q = 0; q < s->n_questions; q++)
		for (size_t k = 0; k < s->questions[q].n_recused; k++)
			if (s->questions[q].recused[k] < n)
				s->questions[q].recused[k] = (uint32_t)
				    to[s->questions[q].recused[k]];
	/* And the statutes' draws by lot, their pool and those drawn. */
	for (size_t d = 0; d < s->n_draws; d++) {
		struct audit_draw_summary *dr = &s->draws[d];
		for (size_t k = 0; k < dr->n_pool; k++)
			if (dr->pool[k] < n)
				dr->pool[k] = (uint32_t)to[dr->pool[k]];
		for (size_t k = 0; k < dr->n_drawn; k++)
			if (dr->drawn[k] < n)
				dr->drawn[k] = (uint32_t)to[dr->drawn[k]];
	}
	free(was);
	free(to);
	free(rows);
}

/* Renders the minutes of head into the cache unless they are there. */
static int
minutes_render(struct mctx *c, const char *meeting, const uint8_t head[32])
{
	audit_verify_opts o;
	audit_failure fail;
	audit_summary *s = NULL;
	struct pv_names nm;
	FILE *rec, *out;
	char *html = NULL;
	size_t len = 0;
	int rc = -1;

	if (c->pv.html != NULL && strcmp(c->pv.meeting, meeting) == 0 &&
	    memcmp(c->pv.head, head, 32) == 0)
		return 0;
	if ((rec = tmpfile()) == NULL)
		return -1;
	if (store_record_write(c->st, meeting, rec) != 0 ||
	    fflush(rec) != 0 || fseek(rec, 0, SEEK_SET) != 0 ||
	    lseek(fileno(rec), 0, SEEK_SET) != 0)
		goto out;
	memset(&o, 0, sizeof o);
	o.threads = 2;
	o.lang = AUDIT_FR;
	if (audit_verify_fd(fileno(rec), &o, &s, &fail) != 0) {
		log_warn("minutes of %s: the record does not verify: %s",
		    meeting, fail.en);
		goto out;
	}
	if (memcmp(s->head, head, 32) != 0)
		goto out;	/* changed meanwhile (another process) */
	if (names_load(c->st, meeting, &nm) != 0)
		goto out;
	attendance_sort(s, &nm);
	if ((out = open_memstream(&html, &len)) == NULL) {
		names_free(&nm);
		goto out;
	}
	rc = audit_minutes_html(s, &nm.n, out);
	names_free(&nm);
	if (rc != 0) {
		rc = -1;
		fclose(out);
		free(html);
		goto out;
	}
	rc = -1;
	if (fclose(out) != 0) {
		free(html);
		goto out;
	}
	free(c->pv.html);
	snprintf(c->pv.meeting, sizeof c->pv.meeting, "%s", meeting);
	memcpy(c->pv.head, head, 32);
	c->pv.html = html;
	c->pv.len = len;
	rc = 0;
out:
	audit_summary_free(s);
	fclose(rec);
	return rc;
}

static void
hexset(json_t *o, const char *k, const uint8_t *p, size_t n)
{
	char h[129];

	xhex_encode(h, sizeof h, p, n);
	json_object_set_new(o, k, json_string(h));
}

/* The `minutes.signed` events of meeting over head, in order, as a JSON
 * array of {index, pk, sig}. NULL on error. */
static json_t *
minutes_sigs(struct store *st, const char *meeting, const uint8_t head[32])
{
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT payload FROM events"
	    " WHERE kind = 'minutes.signed' ORDER BY seq");
	json_t *list = json_array();
	char hh[65];
	int r;

	xhex_encode(hh, sizeof hh, head, 32);
	if (s == NULL)
		goto bad;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		json_t *p = json_loads((const char *)sqlite3_column_text(s, 0),
		    0, NULL);
		const char *pm = json_string_value(json_object_get(p, "meeting"));
		const char *ph = json_string_value(json_object_get(p, "head"));

		if (pm != NULL && ph != NULL && strcmp(pm, meeting) == 0 &&
		    strcmp(ph, hh) == 0)
			json_array_append_new(list, json_pack("{s:O,s:O,s:O}",
			    "index", json_object_get(p, "index"),
			    "pk", json_object_get(p, "pk"),
			    "sig", json_object_get(p, "sig")));
		json_decref(p);
	}
	if (r != SQLITE_DONE)
		goto bad;
	sqlite3_finalize(s);
	return list;
bad:
	sqlite3_finalize(s);
	json_decref(list);
	return NULL;
}

/* "scrutin-minutes-sig/1 PK SIG\n" for each signature. */
static char *
minutes_lines(const json_t *list)
{
	/* Each line: 22 + 64 + 1 + 128 + 1 = 216 bytes; stored values that are
	 * not exactly a hex key and a hex signature are never printed. */
	enum { LINE_MAX_BYTES = 240 };
	size_t i, n = json_array_size(list), cap = n * LINE_MAX_BYTES + 1;
	size_t used = 0;
	char *text = xmalloc(cap);
	json_t *e;

	text[0] = '\0';
	json_array_foreach(list, i, e) {
		const char *pk = json_string_value(json_object_get(e, "pk"));
		const char *sig = json_string_value(json_object_get(e, "sig"));
		int w;

		if (pk == NULL || sig == NULL || strlen(pk) != 64 ||
		    strlen(sig) != 128)
			continue;
		w = snprintf(text + used, cap - used,
		    "scrutin-minutes-sig/1 %s %s\n", pk, sig);
		if (w < 0 || (size_t)w >= cap - used)
			break;
		used += (size_t)w;
	}
	return text;
}

/* What every call on the minutes starts with: they exist (minutes_ready
 * and a record), and the record ends with a checkpoint, OUT its head.
 * 0, or -1 with r set. */
static int
minutes_open(struct mctx *c, const struct mrow *m, uint8_t head[32],
    struct mreply *r)
{
	int ready = minutes_ready(c->st, m->id);

	if (ready < 0) {
		mr_err(r, "unavailable", NULL);
		return -1;
	}
	if (ready == 0 || record_exists(c->st, m->id) != 1) {
		mr_err(r, "wrong_phase", NULL);
		return -1;
	}
	if (minutes_head(c->st, m->id, head) != 0) {
		mr_err(r, "unavailable", NULL);
		return -1;
	}
	return 0;
}

/* GET minutes: the HTML, the head it cites and its SHA-256. */
void
api_minutes(struct mctx *c, const struct mrow *m, const struct api_call *call,
    struct mreply *r)
{
	uint8_t head[32], sha[32];
	char hh[65], sh[65];

	if (minutes_open(c, m, head, r) != 0)
		return;
	if (minutes_render(c, m->id, head) != 0) {
		mr_err(r, "unavailable", NULL);
		return;
	}
	xhex_encode(hh, sizeof hh, head, 32);
	crypto_hash_sha256(sha, (const uint8_t *)c->pv.html, c->pv.len);
	xhex_encode(sh, sizeof sh, sha, 32);
	mr_ok(r, json_pack("{s:s,s:s,s:s%}", "head", hh, "sha256", sh, "html",
	    c->pv.html, c->pv.len));
}

/* GET minutes/signatures: the scrutineers' signatures over the current
 * minutes, as a list and as lines for `scrutin-minutes`. */
void
api_minutes_sigs(struct mctx *c, const struct mrow *m,
    const struct api_call *call, struct mreply *r)
{
	uint8_t head[32];
	char hh[65], *lines;
	json_t *list;

	if (minutes_open(c, m, head, r) != 0)
		return;
	if ((list = minutes_sigs(c->st, m->id, head)) == NULL) {
		mr_err(r, "unavailable", NULL);
		return;
	}
	xhex_encode(hh, sizeof hh, head, 32);
	lines = minutes_lines(list);
	mr_ok(r, json_pack("{s:s,s:o,s:s}", "head", hh, "signatures", list,
	    "lines", lines));
	free(lines);
}

/* POST minutes/signatures: a scrutineer's signature over the current
 * minutes and head, once. */
void
api_minutes_sign(struct mctx *c, const struct mrow *m,
    const struct api_call *call, struct mreply *r)
{
	static const char *keys[] = { "index", "head", "sig" };
	struct store *st = c->st;
	sqlite3_stmt *s = NULL;
	json_t *doc = NULL, *list = NULL, *ev = NULL, *e;
	uint8_t head[32], h[32], sig[64], pk[32], msg[128];
	uint64_t idx;
	size_t n, i;
	char *line = NULL;

	if (minutes_open(c, m, head, r) != 0 ||
	    mj_parse(call->body, call->len, keys, 3, &doc, r) != 0)
		goto out;
	if (mj_u64(doc, "index", m->n, &idx, r) != 0 || idx < 1) {
		if (r->status == 0 || r->status == 200)
			mr_err(r, "invalid_field", "index");
		goto out;
	}
	if (mj_hex(doc, "head", h, 32, r) != 0 ||
	    mj_hex(doc, "sig", sig, 64, r) != 0)
		goto out;
	s = store_prepare(st->roll, "SELECT id_pk FROM trustees WHERE"
	    " meeting = ?1 AND idx = ?2");
	if (s == NULL || store_bind_text(s, 1, m->id) != 0 ||
	    sqlite3_bind_int64(s, 2, (sqlite3_int64)idx) != SQLITE_OK) {
		mr_err(r, "unavailable", NULL);
		goto out;
	}
	if (sqlite3_step(s) != SQLITE_ROW || sqlite3_column_bytes(s, 0) != 32) {
		mr_err(r, "unauthorized", NULL);
		goto out;
	}
	memcpy(pk, sqlite3_column_blob(s, 0), 32);
	if (memcmp(h, head, 32) != 0) {
		mr_err(r, "stale_minutes", "head");
		goto out;
	}
	if (minutes_render(c, m->id, head) != 0) {
		mr_err(r, "unavailable", NULL);
		goto out;
	}
	n = audit_minutes_message(msg, head, (const uint8_t *)c->pv.html,
	    c->pv.len);
	if (n == 0 || crypto_sign_verify_detached(sig, msg, n, pk) != 0) {
		mr_err(r, "bad_signature", NULL);
		goto out;
	}
	if ((list = minutes_sigs(st, m->id, head)) == NULL) {
		mr_err(r, "unavailable", NULL);
		goto out;
	}
	json_array_foreach(list, i, e)
		if (json_integer_value(json_object_get(e, "index")) ==
		    (json_int_t)idx) {
			mr_err(r, "already_done", NULL);
			goto out;
		}
	ev = json_pack("{s:s,s:I}", "meeting", m->id, "index", (json_int_t)idx);
	hexset(ev, "pk", pk, 32);
	hexset(ev, "head", head, 32);
	hexset(ev, "sig", sig, 64);
	if (store_begin(st) != 0) {
		mr_err(r, "unavailable", NULL);
		goto out;
	}
	if (store_event_record(st, "minutes.signed", ev, NULL) != 0 ||
	    store_commit(st) != 0) {
		store_rollback(st);
		mr_err(r, "unavailable", NULL);
		goto out;
	}
	json_array_append_new(list, json_pack("{s:I,s:O,s:O}", "index",
	    (json_int_t)idx, "pk", json_object_get(ev, "pk"), "sig",
	    json_object_get(ev, "sig")));
	{
		json_t *one = json_array();
		json_array_append(one, json_array_get(list,
		    json_array_size(list) - 1));
		line = minutes_lines(one);
		json_decref(one);
	}
	mr_ok(r, json_pack("{s:I,s:s,s:I}", "index", (json_int_t)idx, "line",
	    line, "signed", (json_int_t)json_array_size(list)));
out:
	free(line);
	sqlite3_finalize(s);
	json_decref(ev);
	json_decref(list);
	json_decref(doc);
}

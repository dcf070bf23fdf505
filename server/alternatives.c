/*
 * alternatives.c — alternative motions (ANIMT IV): motions that share a
 * group ("alternatives" in their spec) are put to the vote one by one and
 * weighed together once each is counted; the statutes engine picks the
 * group's outcome (ct_alternatives_pick), signed by the server, stored,
 * recorded and notified (alternatives_settle, called by the count).
 *
 * Trusts the store, the statutes engine and the results already stored
 * for each motion.
 *
 * Invariants: a group's motions share one decision rule, and a motion
 * joins a group only while none of it has opened; a group is settled
 * at most once (its row, event and record line in one transaction), and
 * only when every motion of it has an engine outcome.
 */
#include "server/meeting_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ballot-formats/phrase.h"
#include "server/record.h"
#include "server/store.h"

/* ---- alternative motions ---- */

/* A group id of alternative motions: 1 to 64 of [A-Za-z0-9_-]. */
int
alt_group_valid(const char *g)
{
	size_t n = g != NULL ? strlen(g) : 0;

	if (n == 0 || n > 64)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((g[i] >= 'a' && g[i] <= 'z') || (g[i] >= 'A' &&
		    g[i] <= 'Z') || (g[i] >= '0' && g[i] <= '9') ||
		    g[i] == '_' || g[i] == '-'))
			return 0;
	return 1;
}

/* A motion joins its group of alternatives: the group's motions share
 * one decision rule (the engine weighs them under one rule), and none of
 * them has been opened yet (alternatives are proposed before the vote,
 * ANIMT IV). 0 ok; -1 with err and *code ("invalid_field" for another
 * rule, "wrong_phase" once voting began). */
int
alt_group_check(struct store *st, const char *meeting, const json_t *spec,
    const char **code, char *err, size_t errcap)
{
	const char *g = json_string_value(json_object_get(spec,
	    "alternatives"));
	const char *rule = json_string_value(json_object_get(spec, "rule"));
	sqlite3_stmt *s;
	int rc = 0;

	if (g == NULL)
		return 0;
	s = store_prepare(st->roll, "SELECT json_extract(spec, '$.rule'),"
	    " status FROM questions WHERE meeting = ?1 AND"
	    " json_extract(spec, '$.alternatives') = ?2");
	if (s == NULL || store_bind_text(s, 1, meeting) != 0 ||
	    store_bind_text(s, 2, g) != 0) {
		sqlite3_finalize(s);
		*code = "unavailable";
		snprintf(err, errcap, "base indisponible");
		return -1;
	}
	while (rc == 0 && sqlite3_step(s) == SQLITE_ROW) {
		const char *r = (const char *)sqlite3_column_text(s, 0);
		if (r == NULL || rule == NULL || strcmp(r, rule) != 0) {
			*code = "invalid_field";
			snprintf(err, errcap, "motions alternatives %s : une"
			    " même règle de décision (%s)", g, r ? r : "?");
			rc = -1;
		} else if (strcmp((const char *)sqlite3_column_text(s, 1),
		    "pending") != 0) {
			*code = "wrong_phase";
			snprintf(err, errcap, "motions alternatives %s : le"
			    " vote a commencé", g);
			rc = -1;
		}
	}
	sqlite3_finalize(s);
	return rc;
}

json_t *
alternatives_json(struct store *st, const char *meeting)
{
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT result FROM"
	    " alternatives WHERE meeting = ?1 ORDER BY rowid");
	json_t *a = json_array(), *o;
	json_error_t e;

	if (s != NULL && store_bind_text(s, 1, meeting) == 0)
		while (sqlite3_step(s) == SQLITE_ROW)
			if ((o = json_loads((const char *)sqlite3_column_text(s,
			    0), 0, &e)) != NULL)
				json_array_append_new(a, o);
	sqlite3_finalize(s);
	return a;
}

int
alternatives_settle(struct mctx *c, struct store *st, const struct mrow *m,
    const struct qrow *q)
{
	const char *g = json_string_value(json_object_get(q->spec,
	    "alternatives"));
	sqlite3_stmt *s;
	json_t *qids = NULL, *titles = NULL, *res = NULL, *ev = NULL;
	bool adopted[64];
	uint32_t pour[64];
	size_t n = 0, w = CT_NONE;
	int rc = -1, all = 1, done;
	enum ct_outcome oc;
	const char *code, *wq = NULL;
	char *sentence = NULL, *text = NULL;
	uint8_t buf[1024], sig[64];
	framebuf fb;

	if (g == NULL)
		return 0;
	s = store_prepare(st->roll, "SELECT 1 FROM alternatives WHERE"
	    " meeting = ?1 AND grp = ?2");
	done = s == NULL || store_bind_text(s, 1, m->id) != 0 ||
	    store_bind_text(s, 2, g) != 0 || sqlite3_step(s) != SQLITE_DONE;
	sqlite3_finalize(s);
	if (done)
		return 0;
	qids = json_array();
	titles = json_array();
	s = store_prepare(st->roll, "SELECT qid, status, result,"
	    " json_extract(spec, '$.title') FROM questions WHERE meeting = ?1"
	    " AND json_extract(spec, '$.alternatives') = ?2 ORDER BY"
	    " position");
	if (s == NULL || store_bind_text(s, 1, m->id) != 0 ||
	    store_bind_text(s, 2, g) != 0)
		goto out;
	while (sqlite3_step(s) == SQLITE_ROW && n < 64) {
		json_error_t e;
		json_t *r;
		const char *oc1;
		if (strcmp((const char *)sqlite3_column_text(s, 1),
		        "counted") != 0 || sqlite3_column_type(s, 2) !=
		    SQLITE_TEXT) {
			all = 0;
			break;
		}
		r = json_loads((const char *)sqlite3_column_text(s, 2), 0, &e);
		oc1 = json_string_value(json_object_get(r, "outcome"));
		/* A motion the engine could not count: no group outcome. */
		if (oc1 == NULL || strcmp(oc1, "undetermined") == 0) {
			json_decref(r);
			all = 0;
			break;
		}
		adopted[n] = strcmp(oc1, "adopted") == 0;
		pour[n] = (uint32_t)json_integer_value(json_array_get(
		    json_object_get(r, "counts"), 0));
		json_decref(r);
		json_array_append_new(qids, json_string((const char *)
		    sqlite3_column_text(s, 0)));
		json_array_append_new(titles, json_string((const char *)
		    sqlite3_column_text(s, 3)));
		n++;
	}
	sqlite3_finalize(s);
	s = NULL;
	if (!all || n == 0) {
		rc = 0;
		goto out;
	}
	oc = ct_alternatives_pick(adopted, pour, n, &w);
	code = ct_outcome_code(oc);
	{
		/* The minutes print the same sentence (audit/pv.c). */
		struct st_buf sb = { 0 };
		if (w != CT_NONE)
			wq = json_string_value(json_array_get(qids, w));
		phrase_alternatives_group(&sb, g, code, w != CT_NONE ?
		    json_string_value(json_array_get(titles, w)) : NULL,
		    w != CT_NONE ? pour[w] : 0, PH_FR);
		sentence = xstrdup(sb.s != NULL ? sb.s : "");
		st_buf_free(&sb);
	}
	stmt_begin(&fb, buf, sizeof buf, "alternatives");
	framebuf_field(&fb, m->id, strlen(m->id));
	framebuf_field(&fb, g, strlen(g));
	framebuf_field(&fb, code, strlen(code));
	framebuf_field(&fb, wq != NULL ? wq : "", wq != NULL ? strlen(wq) : 0);
	if (stmt_sign(&fb, c->sk, sig) != 0)
		goto out;
	res = json_pack("{s:s,s:O,s:s,s:o,s:s,s:s,s:s}", "group", g,
	    "questions", qids, "outcome", code, "winner", wq != NULL ?
	    json_string(wq) : json_null(), "sentence", sentence, "signed",
	    "alternatives", "fields", "meeting_id, group, outcome, winner");
	{
		char h[129];
		xhex_encode(h, sizeof h, sig, 64);
		json_object_set_new(res, "server_sig", json_string(h));
	}
	text = json_dumps(res, JSON_COMPACT);
	ev = json_pack("{s:s,s:O}", "meeting", m->id, "result", res);
	if (text == NULL || ev == NULL || store_begin(st) != 0)
		goto out;
	s = store_prepare(st->roll, "INSERT INTO alternatives(meeting, grp,"
	    " result) VALUES (?1, ?2, ?3)");
	if (s == NULL || store_bind_text(s, 1, m->id) != 0 ||
	    store_bind_text(s, 2, g) != 0 || store_bind_text(s, 3, text) != 0 ||
	    sqlite3_step(s) != SQLITE_DONE ||
	    store_event_record(st, "alternatives.result", ev, NULL) != 0 ||
	    record_alternatives(st, m->id, g, qids, code, wq) != 0 ||
	    store_commit(st) != 0) {
		store_rollback(st);
		goto out;
	}
	notify(c, m->id, "alternatives_result", json_incref(res));
	rc = 0;
out:
	sqlite3_finalize(s);
	free(sentence);
	free(text);
	json_decref(ev);
	json_decref(res);
	json_decref(titles);
	json_decref(qids);
	return rc;
}

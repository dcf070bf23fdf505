/*
 * agenda.c — what is put to the vote. A question's spec is made from an
 * agenda entry and checked against the statutes of the meeting's body
 * (q_spec_make: motion or election, its rule, candidates on the register,
 * the post, the group of alternatives; then its secrecy), and added
 * before the meeting from the operator's agenda file
 * (meeting_agenda_add) or during it by the moderator (api_qadd, which
 * also makes the second round of a two-round election, api_round2, and
 * hands a re-vote after a tie to revote.c); a
 * candidacy may be declared during the meeting (api_qcand).
 *
 * Trusts the store and the meeting's profile. An agenda entry or a
 * request body is untrusted: every field is checked, an unknown one
 * refused.
 *
 * Invariants: a question is stored with its question.add event in one
 * transaction (an agenda file: all its questions or none); a spec changes
 * only while its question is pending (q_pending_store); a question added
 * during the meeting is not on the convocation's agenda ("on_agenda":
 * false); a show of hands is never stored where the statutes require a
 * secret ballot.
 */
#include "server/meeting_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server/store.h"

/* The date of today (UTC) as YYYY-MM-DD: a candidacy's declaration. */
static void
date_today(char out[11])
{
	time_t tt = (time_t)now_unix();
	struct tm tm;

	gmtime_r(&tt, &tm);
	st_date_format(st_date_from_civil(tm.tm_year + 1900,
	    (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday), out);
}

/* 1 when member number mno is an active member on the register. */
static int
member_active(struct store *st, const char *mno)
{
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT 1 FROM members"
	    " WHERE member_no = ?1 AND status = 'active'");
	int found = s != NULL && store_bind_text(s, 1, mno) == 0 &&
	    sqlite3_step(s) == SQLITE_ROW;

	sqlite3_finalize(s);
	return found;
}

/* An agenda entry has no key but those of a question; -1 with err. */
static int
q_entry_keys_check(json_t *in, char *err, size_t errcap)
{
	static const char *keys[] = { "id", "title", "kind", "rule", "secret",
		"?seats", "?candidates", "?alternatives", "?post",
		"?president_post" };
	const char *k;
	json_t *v;

	json_object_foreach(in, k, v) {
		int ok = 0;
		for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
			if (strcmp(keys[i][0] == '?' ? keys[i] + 1 : keys[i],
			        k) == 0)
				ok = 1;
		if (!ok) {
			snprintf(err, errcap, "champ inconnu : %s", k);
			return -1;
		}
	}
	return 0;
}

/* A motion's entry: its decision rule and group of alternatives checked
 * against body b, its three choices appended to choices. -1 with err. */
static int
q_motion_make(const struct pr_body *b, json_t *in, const char *qid,
    const char *rule, json_t *choices, char *err, size_t errcap)
{
	json_t *v;

	if (profile_decision_find(b, rule) == NULL) {
		snprintf(err, errcap, "%s : règle de décision inconnue"
		    " : %s", qid, rule);
		return -1;
	}
	v = json_object_get(in, "alternatives");
	if (v != NULL && !b->alternatives) {
		snprintf(err, errcap, "%s : les statuts ne prévoient pas"
		    " de motions alternatives", qid);
		return -1;
	}
	if (v != NULL && !alt_group_valid(json_string_value(v))) {
		snprintf(err, errcap, "%s : groupe de motions"
		    " alternatives invalide (1 à 64 caractères"
		    " A-Z a-z 0-9 _ -)", qid);
		return -1;
	}
	json_array_append_new(choices, json_string("pour"));
	json_array_append_new(choices, json_string("contre"));
	json_array_append_new(choices, json_string("abstention"));
	return 0;
}

/* An election's entry: its rule checked against body b, its seats and
 * candidates (members on the register), each appended to choices (then
 * "blanc") and to cands with today's date of declaration. OUT *seats;
 * -1 with err. */
static int
q_election_make(struct store *st, const struct pr_body *b, json_t *in,
    const char *qid, const char *rule, json_t *choices, json_t *cands,
    uint32_t *seats, char *err, size_t errcap)
{
	json_t *cs = json_object_get(in, "candidates");
	json_t *se, *c;
	size_t i;

	if (json_object_get(in, "alternatives") != NULL) {
		snprintf(err, errcap, "%s : seules des motions sont"
		    " alternatives", qid);
		return -1;
	}
	se = json_object_get(in, "seats");
	if (profile_election_find(b, rule) == NULL) {
		snprintf(err, errcap, "%s : règle d'élection inconnue"
		    " : %s", qid, rule);
		return -1;
	}
	if (!json_is_array(cs) || json_array_size(cs) < 1 ||
	    json_array_size(cs) > 63 || !json_is_integer(se) ||
	    json_integer_value(se) < 1 ||
	    (size_t)json_integer_value(se) > json_array_size(cs)) {
		snprintf(err, errcap, "%s : candidats (1 à 63) et"
		    " sièges requis", qid);
		return -1;
	}
	*seats = (uint32_t)json_integer_value(se);
	json_array_foreach(cs, i, c) {
		const char *mno = json_string_value(json_object_get(c,
		    "member"));
		const char *name = json_string_value(json_object_get(c,
		    "name"));
		char today[11];

		if (!json_is_object(c) || json_object_size(c) != 2 ||
		    mno == NULL || name == NULL || strlen(name) == 0 ||
		    strlen(name) > 200) {
			snprintf(err, errcap, "%s : candidat %zu"
			    " invalide", qid, i + 1);
			return -1;
		}
		if (!member_active(st, mno)) {
			snprintf(err, errcap, "%s : le candidat %s"
			    " n'est pas au registre", qid, mno);
			return -1;
		}
		json_array_append_new(choices, json_string(name));
		/* Candidacy declared when the agenda entry was made (the
		 * statutes may require a date). */
		date_today(today);
		json_array_append_new(cands, json_pack("{s:s,s:s,s:s}",
		    "member", mno, "name", name, "declared", today));
	}
	json_array_append_new(choices, json_string("blanc"));
	return 0;
}

/* Validates one agenda entry and OUT the stored spec. */
static int
q_spec_make(struct store *st, const struct pr_body *b, json_t *in,
    json_t **spec, const char **qid, const char **code, const char **field,
    char *err, size_t errcap)
{
	const char *title, *kind, *rule;
	json_t *v, *o = NULL, *choices, *cands_out;
	uint32_t n, min, max, seats = 0;
	ballot_question bq;

	*spec = NULL;
	*code = "invalid_field";
	*field = NULL;
	if (!json_is_object(in)) {
		snprintf(err, errcap, "entrée d'ordre du jour : objet attendu");
		return -1;
	}
	if (q_entry_keys_check(in, err, errcap) != 0)
		return -1;
	*qid = json_string_value(json_object_get(in, "id"));
	title = json_string_value(json_object_get(in, "title"));
	kind = json_string_value(json_object_get(in, "kind"));
	rule = json_string_value(json_object_get(in, "rule"));
	v = json_object_get(in, "secret");
	if (*qid == NULL || title == NULL || kind == NULL || rule == NULL ||
	    !json_is_boolean(v) || strlen(title) == 0 || strlen(title) > 300) {
		snprintf(err, errcap, "id, title, kind, rule, secret requis");
		return -1;
	}
	if (ballot_question_init(&bq, *qid, strlen(*qid), 3, 1, 1) != 0) {
		snprintf(err, errcap, "identifiant de question invalide : %s",
		    *qid);
		return -1;
	}
	choices = json_array();
	cands_out = json_array();
	if (strcmp(kind, "motion") == 0) {
		if (q_motion_make(b, in, *qid, rule, choices, err, errcap) != 0)
			goto bad;
		n = 3;
		min = max = 1;
	} else if (strcmp(kind, "election") == 0) {
		if (q_election_make(st, b, in, *qid, rule, choices, cands_out,
		        &seats, err, errcap) != 0)
			goto bad;
		n = (uint32_t)json_array_size(choices);
		if (seats == 1) {
			min = max = 1;
		} else {
			min = 1;
			max = seats;
		}
	} else {
		snprintf(err, errcap, "%s : kind doit être motion ou election",
		    *qid);
		goto bad;
	}
	if (ballot_question_init(&bq, *qid, strlen(*qid), n, min, max) != 0) {
		snprintf(err, errcap, "%s : forme de question invalide", *qid);
		goto bad;
	}
	o = json_pack("{s:s,s:s,s:s,s:b,s:o,s:i,s:i,s:i}", "title", title,
	    "kind", kind, "rule", rule, "secret", json_is_true(v), "choices",
	    choices, "n", (int)n, "min", (int)min, "max", (int)max);
	choices = NULL;
	if (json_object_get(in, "alternatives") != NULL)
		json_object_set(o, "alternatives", json_object_get(in,
		    "alternatives"));
	if (seats > 0) {
		json_object_set_new(o, "seats", json_integer(seats));
		json_object_set(o, "candidates", cands_out);
	}
	json_decref(cands_out);
	if (q_post_make(b, in, *qid, kind, rule, o, code, field, err,
	    errcap) != 0) {
		json_decref(o);
		return -1;
	}
	*spec = o;
	return 0;
bad:
	json_decref(choices);
	json_decref(cands_out);
	return -1;
}

/* Inserts a question (inside a transaction). */
int
q_insert(struct store *st, const char *meeting, const char *qid,
    json_t *spec, char *err, size_t errcap)
{
	sqlite3_stmt *s;
	char *text = json_dumps(spec, JSON_COMPACT | JSON_SORT_KEYS);
	json_t *ev;
	int rc = -1;

	s = store_prepare(st->roll, "INSERT INTO questions(meeting, qid,"
	    " position, spec, status) VALUES (?1, ?2, (SELECT"
	    " coalesce(max(position), 0) + 1 FROM questions WHERE meeting ="
	    " ?1), ?3, 'pending')");
	if (s == NULL || text == NULL || store_bind_text(s, 1, meeting) != 0 ||
	    store_bind_text(s, 2, qid) != 0 || store_bind_text(s, 3, text) != 0)
		goto out;
	if (sqlite3_step(s) != SQLITE_DONE) {
		snprintf(err, errcap, "question %s : identifiant déjà pris",
		    qid);
		goto out;
	}
	ev = json_pack("{s:s,s:s,s:O}", "meeting", meeting, "question", qid,
	    "spec", spec);
	rc = store_event_record(st, "question.add", ev, NULL);
	json_decref(ev);
out:
	free(text);
	sqlite3_finalize(s);
	return rc;
}

int
meeting_agenda_add(struct store *st, const char *id, const uint8_t *data,
    size_t len, char *err, size_t errcap)
{
	struct mrow m;
	struct profile *p = xcalloc(1, sizeof *p);
	const struct pr_body *b;
	json_error_t e;
	json_t *doc = NULL, *list, *item;
	struct st_msg em = { 0 };
	size_t i;
	int rc = -1;
	sqlite3_stmt *s = NULL;

	if (m_load(st, id, &m) != 0) {
		snprintf(err, errcap, "réunion inconnue : %s", id);
		goto out;
	}
	if (strcmp(m.status, "closed") == 0) {
		snprintf(err, errcap, "réunion close");
		goto out;
	}
	s = store_prepare(st->roll, "SELECT profile_yaml FROM meetings WHERE"
	    " id = ?1");
	if (s == NULL || store_bind_text(s, 1, id) != 0 ||
	    sqlite3_step(s) != SQLITE_ROW ||
	    profile_load(p, "profile", sqlite3_column_blob(s, 0),
	        (size_t)sqlite3_column_bytes(s, 0), &em) != 0) {
		if (em.fr[0] != '\0')
			snprintf(err, errcap, "%s", em.fr);
		goto out;
	}
	b = profile_body_find(p, m.body);
	doc = json_loadb((const char *)data, len, JSON_REJECT_DUPLICATES, &e);
	if (doc == NULL) {
		snprintf(err, errcap, "JSON invalide : ligne %d : %s", e.line,
		    e.text);
		goto out;
	}
	list = json_object_get(doc, "questions");
	if (list == NULL) {
		list = json_array();
		json_array_append(list, doc);
	} else {
		if (!json_is_array(list) || json_object_size(doc) != 1) {
			snprintf(err, errcap, "attendu {\"questions\": [...]}");
			goto out;
		}
		json_incref(list);
	}
	if (store_begin(st) != 0) {
		json_decref(list);
		goto out;
	}
	json_array_foreach(list, i, item) {
		json_t *spec;
		const char *qid;
		const char *code;
		const char *art;
		int sr;
		json_t *tin = json_object_get(item, "triggers");
		struct trig_err te;
		json_incref(tin);
		if (json_is_object(item))
			json_object_del(item, "triggers");
		const char *field;
		if (q_spec_make(st, b, item, &spec, &qid, &code, &field, err,
		    errcap) != 0) {
			json_decref(tin);
			goto fail;
		}
		if (json_is_true(json_object_get(spec, "president_post")) &&
		    q_president_free(st, id, json_string_value(json_object_get(
		    spec, "rule")), qid, err, errcap) != 0) {
			json_decref(tin);
			json_decref(spec);
			goto fail;
		}
		if (q_triggers_create(st, p, &m, qid, tin, spec, &te) != 0) {
			snprintf(err, errcap, "%s : %s (%s)%s%s%s", qid, te.msg,
			    te.field ? te.field : te.code, te.article ?
			    " (art. " : "", te.article ? te.article : "",
			    te.article ? ")" : "");
			json_decref(tin);
			json_decref(spec);
			goto fail;
		}
		json_decref(tin);
		if ((sr = q_secret_required(p, m.body, qid, spec, &art)) !=
		    0) {
			if (sr > 0)
				snprintf(err, errcap, "%s : les statuts"
				    " imposent un vote à bulletin secret pour"
				    " cette question (art. %s) : \"secret\":"
				    " true requis", qid, art ? art : "?");
			else
				snprintf(err, errcap, "%s : règle inconnue",
				    qid);
			json_decref(spec);
			goto fail;
		}
		if (alt_group_check(st, id, spec, &code, err, errcap) != 0 ||
		    q_insert(st, id, qid, spec, err, errcap) != 0) {
			json_decref(spec);
			goto fail;
		}
		json_decref(spec);
	}
	json_decref(list);
	if (store_commit(st) != 0)
		goto out;
	rc = 0;
	goto out;
fail:
	json_decref(list);
	store_rollback(st);
out:
	sqlite3_finalize(s);
	json_decref(doc);
	free(p);
	return rc;
}

/* Stores a new question in one transaction, tells the live streams and
 * answers with it; an id already taken is `already_done`. */
void
q_add_reply(struct mctx *c, const struct mrow *m, const char *qid,
    json_t *spec, struct mreply *r)
{
	char err[300];

	if (store_begin(c->st) != 0) {
		mr_err(r, "unavailable", NULL);
		return;
	}
	if (q_insert(c->st, m->id, qid, spec, err, sizeof err) != 0 ||
	    store_commit(c->st) != 0) {
		store_rollback(c->st);
		mr_err(r, "already_done", "id");
		return;
	}
	notify(c, m->id, "question_add", q_json(c, c->st, m->id, qid));
	mr_ok(r, q_json(c, c->st, m->id, qid));
}

/* A question made from another (a second round, a re-vote): the body
 * has only `key` (the other question's id, a string) and an optional
 * "id" (1-64 bytes) and "title" (1-300 bytes). OUT *of; -1 with r. */
int
q_derived_fields(json_t *in, const char *key, const char **of,
    struct mreply *r)
{
	const char *k;
	json_t *v;

	json_object_foreach(in, k, v)
		if (strcmp(k, key) != 0 && strcmp(k, "id") != 0 &&
		    strcmp(k, "title") != 0) {
			mr_err(r, "unknown_field", NULL);	/* k dies with the request */
			return -1;
		}
	*of = json_string_value(json_object_get(in, key));
	if (*of == NULL) {
		mr_err(r, "invalid_field", key);
		return -1;
	}
	v = json_object_get(in, "id");
	if (v != NULL && (!json_is_string(v) ||
	        json_string_length(v) == 0 || json_string_length(v) > 64)) {
		mr_err(r, "invalid_field", "id");
		return -1;
	}
	v = json_object_get(in, "title");
	if (v != NULL && (!json_is_string(v) ||
	        json_string_length(v) == 0 || json_string_length(v) > 300)) {
		mr_err(r, "invalid_field", "title");
		return -1;
	}
	return 0;
}

/*
 * POST questions {"round_of": Q, "id"?, "title"?}: the second round of
 * a two-round election Q whose counted outcome is the engine's
 * "second_round". The new question copies Q's rule, secrecy, shape and
 * every candidate (the engine counts round 2 by plurality among all of
 * them; no profile restricts them), with "round": 2 and "round_of": Q;
 * late candidates may then be added while it is pending (api_qcand),
 * as the statutes allow. Default id: Q "-t2"; default title: Q's with
 * « — second tour ». One question.add event; refusals change nothing.
 */
static void
api_round2(struct mctx *c, const struct mrow *m, const struct profile *p,
    json_t *in, struct mreply *r)
{
	const struct pr_body *b = profile_body_find(p, m->body);
	const struct pr_election *pe;
	const char *of, *nid, *title;
	json_t *v, *spec = NULL, *r1 = NULL;
	struct qrow q;
	char idbuf[80], tbuf[400];
	ballot_question bq;
	sqlite3_stmt *s;
	int exists;

	if (q_derived_fields(in, "round_of", &of, r) != 0)
		return;
	if (q_load(c->st, m->id, of, &q) != 0) {
		mr_err(r, "question_unknown", "round_of");
		return;
	}
	if (!q.election) {
		mr_err(r, "invalid_field", "round_of");
		goto out;
	}
	pe = b != NULL ? profile_election_find(b, q.rule) : NULL;
	if (pe == NULL || pe->method != PR_METHOD_TWO_ROUND) {
		mr_err(r, "not_two_round", "round_of");
		goto out;
	}
	if (strcmp(m->status, "closed") == 0 ||
	    strcmp(q.status, "counted") != 0) {
		mr_err(r, "wrong_phase", "round_of");
		goto out;
	}
	r1 = q_json(c, c->st, m->id, of);
	v = json_object_get(json_object_get(r1, "result"), "outcome");
	if (json_integer_value(json_object_get(q.spec, "round")) == 2 ||
	    v == NULL || strcmp(json_string_value(v), "second_round") != 0) {
		mr_err(r, "no_second_round", "round_of");
		goto out;
	}
	s = store_prepare(c->st->roll, "SELECT 1 FROM questions WHERE"
	    " meeting = ?1 AND json_extract(spec, '$.round_of') = ?2");
	exists = s == NULL || store_bind_text(s, 1, m->id) != 0 ||
	    store_bind_text(s, 2, of) != 0 || sqlite3_step(s) != SQLITE_DONE;
	sqlite3_finalize(s);
	if (exists) {
		mr_err(r, "second_round_exists", "round_of");
		goto out;
	}
	nid = json_string_value(json_object_get(in, "id"));
	if (nid == NULL) {
		snprintf(idbuf, sizeof idbuf, "%s-t2", of);
		nid = idbuf;
	}
	if (strlen(nid) > 64 ||
	    ballot_question_init(&bq, nid, strlen(nid), q.n, q.min, q.max) != 0) {
		mr_err(r, "invalid_field", "id");
		goto out;
	}
	title = json_string_value(json_object_get(in, "title"));
	if (title == NULL) {
		snprintf(tbuf, sizeof tbuf, "%s — second tour",
		    json_string_value(json_object_get(q.spec, "title")));
		title = tbuf;
	}
	spec = json_deep_copy(q.spec);
	json_object_set_new(spec, "title", json_string(title));
	json_object_set_new(spec, "round", json_integer(2));
	json_object_set_new(spec, "round_of", json_string(of));
	q_add_reply(c, m, nid, spec, r);
out:
	json_decref(spec);
	json_decref(r1);
	q_free(&q);
}

void
api_qadd(struct mctx *c, const struct mrow *m, const struct api_call *call,
    struct mreply *r)
{
	const uint8_t *body = call->body;
	size_t len = call->len;
	const struct profile *p = m_profile(c, c->st, m->id);
	json_t *in, *spec = NULL, *tin = NULL;
	const char *qid;
	char err[300];

	if (p == NULL) {
		mr_err(r, "unavailable", NULL);
		return;
	}
	if (strcmp(m->status, "closed") == 0) {
		mr_err(r, "wrong_phase", NULL);
		return;
	}
	if (mj_object(body, len, &in, r) != 0)
		return;
	if (json_object_get(in, "round_of") != NULL) {
		api_round2(c, m, p, in, r);
		goto out;
	}
	if (json_object_get(in, "revote_of") != NULL) {
		api_revote(c, m, in, r);
		goto out;
	}
	if (json_object_get(in, "alternatives") != NULL &&
	    !profile_body_find(p, m->body)->alternatives) {
		mr_err(r, "alternatives_refused", "alternatives");
		goto out;
	}
	tin = json_object_get(in, "triggers");
	json_incref(tin);
	json_object_del(in, "triggers");
	{
		const char *code, *field;
		int pe;
		if (q_spec_make(c->st, profile_body_find(p, m->body), in,
		        &spec, &qid, &code, &field, err, sizeof err) != 0) {
			mr_err(r, code, field);
			goto out;
		}
		/* One president's post at a time (A-IMI 12). */
		if (json_is_true(json_object_get(spec, "president_post")) &&
		    (pe = q_president_free(c->st, m->id, json_string_value(
		    json_object_get(spec, "rule")), qid, err, sizeof err)) !=
		    0) {
			mr_err(r, pe == -1 ? "president_post_exists" :
			    "unavailable", "president_post");
			goto out;
		}
	}
	{
		const char *code;
		if (alt_group_check(c->st, m->id, spec, &code, err,
		        sizeof err) != 0) {
			mr_err(r, code, "alternatives");
			goto out;
		}
	}
	/* Added during the meeting: not on the convocation's agenda (the
	 * statutes may treat such motions differently). */
	json_object_set_new(spec, "on_agenda", json_false());
	{
		struct trig_err te;
		if (q_triggers_create(c->st, p, m, qid, tin, spec, &te) != 0) {
			mr_err_article(r, te.code, te.field, te.article);
			goto out;
		}
	}
	{
		/* A show of hands where the statutes require a secret
		 * ballot: refused, nothing stored. */
		const char *art;
		int sr = q_secret_required(p, m->body, qid, spec, &art);
		if (sr != 0) {
			if (sr > 0)
				mr_err_article(r, "secret_required", "secret",
				    art);
			else
				mr_err(r, "invalid_field", "rule");
			goto out;
		}
	}
	q_add_reply(c, m, qid, spec, r);
out:
	json_decref(tin);
	json_decref(spec);
	json_decref(in);
}

/*
 * Stores spec as pending question qid's new spec, with the journal event
 * kind (ev), in one transaction; then tells the clients (question_add
 * replaces the question by id in their view) and answers with the
 * question. On failure (storage, or the question no longer pending)
 * nothing is stored and r is "unavailable". ev NULL: unavailable.
 */
int
q_pending_load(struct mctx *c, const struct mrow *m, const char *qid,
    struct qrow *q, struct mreply *r)
{
	if (q_load(c->st, m->id, qid, q) != 0) {
		mr_err(r, "question_unknown", NULL);
		return -1;
	}
	if (strcmp(q->status, "pending") != 0 ||
	    strcmp(m->status, "closed") == 0) {
		mr_err(r, "wrong_phase", NULL);
		q_free(q);
		return -1;
	}
	return 0;
}

void
q_pending_store(struct mctx *c, const char *mid, const char *qid,
    const json_t *spec, const char *kind, const json_t *ev,
    struct mreply *r)
{
	char *text = json_dumps(spec, JSON_COMPACT | JSON_SORT_KEYS);
	sqlite3_stmt *s = NULL;
	int ok;

	/* A motion published for mail-in keeps its published text. */
	if (mailin_spec_check(c->st, mid, qid, spec, r) != 0) {
		free(text);
		return;
	}
	if (text == NULL || ev == NULL || store_begin(c->st) != 0) {
		free(text);
		mr_err(r, "unavailable", NULL);
		return;
	}
	s = store_prepare(c->st->roll, "UPDATE questions SET spec = ?3 WHERE"
	    " meeting = ?1 AND qid = ?2 AND status = 'pending'");
	ok = s != NULL && store_bind_text(s, 1, mid) == 0 &&
	    store_bind_text(s, 2, qid) == 0 &&
	    store_bind_text(s, 3, text) == 0 &&
	    sqlite3_step(s) == SQLITE_DONE &&
	    sqlite3_changes(c->st->roll) == 1 &&
	    store_event_record(c->st, kind, ev, NULL) == 0 &&
	    store_commit(c->st) == 0;
	sqlite3_finalize(s);
	free(text);
	if (!ok) {
		store_rollback(c->st);
		mr_err(r, "unavailable", NULL);
		return;
	}
	notify(c, mid, "question_add", q_json(c, c->st, mid, qid));
	mr_ok(r, q_json(c, c->st, mid, qid));
}

/*
 * POST questions/{q}/candidates {"member", "name"}: a candidacy declared
 * during the meeting (e.g. Mines Alès RI 4.2), added to an election that
 * is still pending, when the statutes admit late candidacies. The
 * candidate goes before "blanc" with "at_meeting": true (the count tells
 * the engine) and the change is one "question.candidate" event.
 */
void
api_qcand(struct mctx *c, const struct mrow *m, const struct api_call *call,
    struct mreply *r)
{
	const char *qid = call->sub;
	const uint8_t *body = call->body;
	size_t len = call->len;
	static const char *keys[] = { "member", "name" };
	const struct pr_body *b;
	json_t *doc = NULL, *spec = NULL, *cands, *choices, *v, *ev = NULL;
	const char *mno, *name;
	char today[11];
	struct qrow q;
	ballot_question bq;
	size_t i, nc;
	int loaded = 0;

	if (mj_parse(body, len, keys, 2, &doc, r) != 0)
		return;
	if (mj_str(doc, "member", 64, &mno, r) != 0 ||
	    mj_str(doc, "name", 200, &name, r) != 0)
		goto out;
	if (q_load(c->st, m->id, qid, &q) != 0) {
		mr_err(r, "question_unknown", NULL);
		goto out;
	}
	loaded = 1;
	if (!q.election) {
		mr_err(r, "invalid_field", NULL);
		goto out;
	}
	if (strcmp(q.status, "pending") != 0 ||
	    strcmp(m->status, "closed") == 0) {
		mr_err(r, "wrong_phase", NULL);
		goto out;
	}
	if ((b = m_body(c, m)) == NULL) {
		mr_err(r, "unavailable", NULL);
		goto out;
	}
	if (!b->candidates.late_allowed) {
		mr_err(r, "late_candidacy_refused", NULL);
		goto out;
	}
	if (!member_active(c->st, mno)) {
		mr_err(r, "invalid_field", "member");
		goto out;
	}
	spec = json_deep_copy(q.spec);
	cands = json_object_get(spec, "candidates");
	choices = json_object_get(spec, "choices");
	if (!json_is_array(cands) || !json_is_array(choices) ||
	    json_array_size(choices) != json_array_size(cands) + 1) {
		mr_err(r, "unavailable", NULL);
		goto out;
	}
	json_array_foreach(cands, i, v) {
		const char *cm = json_string_value(json_object_get(v,
		    "member"));
		if (cm != NULL && strcmp(cm, mno) == 0) {
			mr_err(r, "already_done", "member");
			goto out;
		}
	}
	nc = json_array_size(cands) + 1;
	if (nc > 63 || ballot_question_init(&bq, qid, strlen(qid),
	        (uint32_t)nc + 1, q.min, q.max) != 0) {
		mr_err(r, "invalid_field", "member");
		goto out;
	}
	date_today(today);
	json_array_append_new(cands, json_pack("{s:s,s:s,s:s,s:b}", "member",
	    mno, "name", name, "declared", today, "at_meeting", 1));
	json_array_insert_new(choices, nc - 1, json_string(name));
	json_object_set_new(spec, "n", json_integer((json_int_t)nc + 1));
	ev = json_pack("{s:s,s:s,s:s,s:s,s:s}", "meeting", m->id, "question",
	    qid, "member", mno, "name", name, "declared", today);
	q_pending_store(c, m->id, qid, spec, "question.candidate", ev, r);
out:
	json_decref(ev);
	json_decref(spec);
	if (loaded)
		q_free(&q);
	json_decref(doc);
}

/*
 * meeting.c — meetings, roles, questions, attendance, ballots (see
 * meeting.h). The ceremony relay and the count are in ceremony.c.
 *
 * Trusts: the store (its own schema), crypto/ (every proof and signature
 * checked here), the statutes engine (ballot-formats/ count.h) for
 * standing, quorum and outcomes. Everything the network process sends is
 * untrusted: bodies are decoded strictly again here.
 *
 * Invariants: a refusal changes nothing and records nothing; every change
 * is one transaction with its event (store_event_record); a ballot is in
 * box.db (committed, synchronous=FULL) before its acknowledgement exists.
 */
#include "server/meeting.h"
#include "audit/outcome.h"
#include "server/meeting_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "ballot-formats/count.h"
#include "ballot-formats/phrase.h"
#include "ballot-formats/profile.h"
#include "ballot-formats/phrase.h"
#include "crypto/scrutin_crypto.h"
#include "server/cred.h"
#include "server/record.h"
#include "server/store.h"
#include "crypto/hex.h"

/* ---- meetings ---- */

int
m_load(struct store *st, const char *id, struct mrow *m)
{
	sqlite3_stmt *s;
	int rc = -1;

	memset(m, 0, sizeof *m);
	if (!cred_meeting_valid(id))
		return -1;
	s = store_cached(st, st->roll,
	    "SELECT title, date, profile_id, profile_name, body, status,"
	    " trustees_n, trustees_t, ceremony, ceremony_id, y, eid, quorum"
	    " FROM meetings WHERE id = ?1");
	if (s == NULL || store_bind_text(s, 1, id) != 0)
		goto out;
	if (sqlite3_step(s) != SQLITE_ROW)
		goto out;
	snprintf(m->id, sizeof m->id, "%s", id);
	snprintf(m->title, sizeof m->title, "%s",
	    (const char *)sqlite3_column_text(s, 0));
	snprintf(m->date, sizeof m->date, "%s",
	    (const char *)sqlite3_column_text(s, 1));
	snprintf(m->profile_id, sizeof m->profile_id, "%s",
	    (const char *)sqlite3_column_text(s, 2));
	snprintf(m->profile_name, sizeof m->profile_name, "%s",
	    (const char *)sqlite3_column_text(s, 3));
	snprintf(m->body, sizeof m->body, "%s",
	    (const char *)sqlite3_column_text(s, 4));
	snprintf(m->status, sizeof m->status, "%s",
	    (const char *)sqlite3_column_text(s, 5));
	m->n = (uint32_t)sqlite3_column_int(s, 6);
	m->t = (uint32_t)sqlite3_column_int(s, 7);
	snprintf(m->ceremony, sizeof m->ceremony, "%s",
	    (const char *)sqlite3_column_text(s, 8));
	if (sqlite3_column_bytes(s, 9) == 32) {
		memcpy(m->ceremony_id, sqlite3_column_blob(s, 9), 32);
		m->has_cid = 1;
	}
	if (sqlite3_column_bytes(s, 10) == 32 &&
	    sqlite3_column_bytes(s, 11) == 32) {
		memcpy(m->y, sqlite3_column_blob(s, 10), 32);
		memcpy(m->eid, sqlite3_column_blob(s, 11), 32);
		m->has_key = 1;
	}
	if (sqlite3_column_type(s, 12) == SQLITE_TEXT)
		snprintf(m->quorum, sizeof m->quorum, "%s",
		    (const char *)sqlite3_column_text(s, 12));
	rc = 0;
out:
	store_release(st, s);
	return rc;
}

/* The profile of a meeting (cached). NULL on error. */
const struct profile *
m_profile(struct mctx *c, struct store *st, const char *id)
{
	sqlite3_stmt *s;
	const struct profile *res = NULL;
	struct profile *p = NULL;
	char err[512];
	size_t slot = 0;

	if (c != NULL)
		for (size_t i = 0; i < 8; i++) {
			if (c->prof[i].p != NULL &&
			    strcmp(c->prof[i].meeting, id) == 0)
				return c->prof[i].p;
			if (c->prof[i].p == NULL)
				slot = i;
		}
	s = store_prepare(st->roll,
	    "SELECT profile_yaml FROM meetings WHERE id = ?1");
	if (s == NULL || store_bind_text(s, 1, id) != 0 ||
	    sqlite3_step(s) != SQLITE_ROW)
		goto out;
	p = xcalloc(1, sizeof *p);
	if (profile_load(p, "profile", sqlite3_column_blob(s, 0),
	        (size_t)sqlite3_column_bytes(s, 0), err, sizeof err) != 0) {
		log_warn("meeting %s: profile: %s", id, err);
		free(p);
		p = NULL;
		goto out;
	}
	res = p;
	if (c != NULL) {
		free(c->prof[slot].p);
		snprintf(c->prof[slot].meeting, sizeof c->prof[slot].meeting,
		    "%s", id);
		c->prof[slot].p = p;
		p = NULL;
	}
out:
	sqlite3_finalize(s);
	if (c == NULL && res != NULL)
		return res;	/* caller frees (operator side) */
	return res;
}

/* Validates one agenda entry and OUT the stored spec. */
static int
q_spec_make(struct store *st, const struct pr_body *b, json_t *in,
    json_t **spec, const char **qid, const char **code, const char **field,
    char *err, size_t errcap)
{
	static const char *keys[] = { "id", "title", "kind", "rule", "secret",
		"?seats", "?candidates", "?alternatives", "?post",
		"?president_post" };
	const char *k, *title, *kind, *rule;
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
		if (profile_decision_find(b, rule) == NULL) {
			snprintf(err, errcap, "%s : règle de décision inconnue"
			    " : %s", *qid, rule);
			goto bad;
		}
		v = json_object_get(in, "alternatives");
		if (v != NULL && !b->alternatives) {
			snprintf(err, errcap, "%s : les statuts ne prévoient pas"
			    " de motions alternatives", *qid);
			goto bad;
		}
		if (v != NULL && !alt_group_valid(json_string_value(v))) {
			snprintf(err, errcap, "%s : groupe de motions"
			    " alternatives invalide (1 à 64 caractères"
			    " A-Z a-z 0-9 _ -)", *qid);
			goto bad;
		}
		v = json_object_get(in, "secret");
		json_array_append_new(choices, json_string("pour"));
		json_array_append_new(choices, json_string("contre"));
		json_array_append_new(choices, json_string("abstention"));
		n = 3;
		min = max = 1;
	} else if (strcmp(kind, "election") == 0) {
		json_t *cs = json_object_get(in, "candidates");
		if (json_object_get(in, "alternatives") != NULL) {
			snprintf(err, errcap, "%s : seules des motions sont"
			    " alternatives", *qid);
			goto bad;
		}
		json_t *se = json_object_get(in, "seats");
		size_t i;
		json_t *c;

		if (profile_election_find(b, rule) == NULL) {
			snprintf(err, errcap, "%s : règle d'élection inconnue"
			    " : %s", *qid, rule);
			goto bad;
		}
		if (!json_is_array(cs) || json_array_size(cs) < 1 ||
		    json_array_size(cs) > 63 || !json_is_integer(se) ||
		    json_integer_value(se) < 1 ||
		    (size_t)json_integer_value(se) > json_array_size(cs)) {
			snprintf(err, errcap, "%s : candidats (1 à 63) et"
			    " sièges requis", *qid);
			goto bad;
		}
		seats = (uint32_t)json_integer_value(se);
		json_array_foreach(cs, i, c) {
			const char *mno = json_string_value(json_object_get(c,
			    "member"));
			const char *name = json_string_value(json_object_get(c,
			    "name"));
			sqlite3_stmt *s;
			int found;

			if (!json_is_object(c) || json_object_size(c) != 2 ||
			    mno == NULL || name == NULL || strlen(name) == 0 ||
			    strlen(name) > 200) {
				snprintf(err, errcap, "%s : candidat %zu"
				    " invalide", *qid, i + 1);
				goto bad;
			}
			s = store_prepare(st->roll, "SELECT 1 FROM members"
			    " WHERE member_no = ?1 AND status = 'active'");
			found = s != NULL && store_bind_text(s, 1, mno) == 0 &&
			    sqlite3_step(s) == SQLITE_ROW;
			sqlite3_finalize(s);
			if (!found) {
				snprintf(err, errcap, "%s : le candidat %s"
				    " n'est pas au registre", *qid, mno);
				goto bad;
			}
			json_array_append_new(choices, json_string(name));
			{
				/* Candidacy declared when the agenda entry was
				 * made (the statutes may require a date). */
				char today[11];
				time_t tt = (time_t)now_unix();
				struct tm tm;
				gmtime_r(&tt, &tm);
				st_date_format(st_date_from_civil(tm.tm_year +
				    1900, (unsigned)tm.tm_mon + 1,
				    (unsigned)tm.tm_mday), today);
				json_array_append_new(cands_out, json_pack(
				    "{s:s,s:s,s:s}", "member", mno, "name", name,
				    "declared", today));
			}
		}
		json_array_append_new(choices, json_string("blanc"));
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
static int
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

/* ---- operator side ---- */

int
meeting_create(struct store *st, const char *id, const char *title,
    const char *date, const uint8_t *yaml, size_t yaml_len,
    const char *body, unsigned n, unsigned t, const char *quorum,
    char *err, size_t errcap)
{
	struct profile *p = xcalloc(1, sizeof *p);
	const struct pr_body *pb;
	sqlite3_stmt *s = NULL;
	json_t *ev = NULL, *qj = NULL;
	char *qtext = NULL;
	int32_t day;
	int rc = -1;

	if (!cred_meeting_valid(id)) {
		snprintf(err, errcap, "identifiant de réunion invalide");
		goto out;
	}
	if (st_date_parse(date, &day) != 0) {
		snprintf(err, errcap, "date invalide (AAAA-MM-JJ)");
		goto out;
	}
	if (title == NULL || strlen(title) == 0 || strlen(title) > 200) {
		snprintf(err, errcap, "titre requis (200 octets au plus)");
		goto out;
	}
	if (t < 1 || n < t || n > 16) {
		snprintf(err, errcap, "scrutateurs : 1 ≤ seuil ≤ nombre ≤ 16");
		goto out;
	}
	if (profile_load(p, "profile", yaml, yaml_len, err, errcap) != 0)
		goto out;
	if ((pb = profile_body_find(p, body)) == NULL) {
		snprintf(err, errcap, "instance inconnue dans le profil : %s",
		    body);
		goto out;
	}
	/* The meeting's own quorum: given exactly when the statutes leave
	 * it to the meeting; fixed at creation, as the record's meeting
	 * event (written now) carries it. */
	if (pb->quorum.kind == PR_QUORUM_MEETING_SETS && quorum == NULL) {
		snprintf(err, errcap, "les statuts laissent le quorum de"
		    " l'instance %s à la réunion (art. %s) : --quorum requis"
		    " (none ou un objet JSON, docs/api.md)", body,
		    pb->quorum.src.article);
		goto out;
	}
	if (pb->quorum.kind != PR_QUORUM_MEETING_SETS && quorum != NULL) {
		snprintf(err, errcap, "les statuts fixent le quorum de"
		    " l'instance %s (art. %s) : --quorum refusé", body,
		    pb->quorum.src.article);
		goto out;
	}
	if (quorum != NULL) {
		struct ct_quorum_override qo;
		json_error_t je;
		char qerr[160];
		qj = strcmp(quorum, "none") == 0 ? json_string("none") :
		    json_loads(quorum, JSON_REJECT_DUPLICATES, &je);
		if (qj == NULL || audit_quorum_parse(qj, &qo, qerr,
		    sizeof qerr) != 0) {
			snprintf(err, errcap, "--quorum invalide : %s",
			    qj == NULL ? "JSON illisible" : qerr);
			goto out;
		}
		if (!qo.none && pb->quorum.meeting_rounding &&
		    qo.t.rounding != pb->quorum.rounding) {
			snprintf(err, errcap, "--quorum : l'arrondi doit être"
			    " celui des statuts (art. %s)",
			    pb->quorum.src.article);
			goto out;
		}
		qtext = json_dumps(qj, JSON_COMPACT | JSON_SORT_KEYS |
		    JSON_ENCODE_ANY);
		if (qtext == NULL || strlen(qtext) >= 512) {
			snprintf(err, errcap, "--quorum trop long");
			goto out;
		}
	}
	if (store_begin(st) != 0)
		goto out;
	s = store_prepare(st->roll, "INSERT INTO meetings(id, title, date,"
	    " profile_yaml, profile_id, profile_name, body, status,"
	    " trustees_n, trustees_t, ceremony, created_at, quorum) VALUES"
	    " (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'draft', ?8, ?9, 'enrolment', ?10,"
	    " ?11)");
	if (s == NULL || store_bind_text(s, 1, id) != 0 ||
	    store_bind_text(s, 2, title) != 0 ||
	    store_bind_text(s, 3, date) != 0 ||
	    sqlite3_bind_blob(s, 4, yaml, (int)yaml_len, SQLITE_TRANSIENT) !=
	        SQLITE_OK ||
	    store_bind_text(s, 5, p->id) != 0 ||
	    store_bind_text(s, 6, p->name) != 0 ||
	    store_bind_text(s, 7, body) != 0 ||
	    sqlite3_bind_int(s, 8, (int)n) != SQLITE_OK ||
	    sqlite3_bind_int(s, 9, (int)t) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 10, (sqlite3_int64)now_unix()) != SQLITE_OK ||
	    (qtext != NULL ? store_bind_text(s, 11, qtext) :
	        sqlite3_bind_null(s, 11)) != 0)
		goto fail;
	if (sqlite3_step(s) != SQLITE_DONE) {
		snprintf(err, errcap, "la réunion %s existe déjà", id);
		goto fail;
	}
	sqlite3_finalize(s);
	s = NULL;
	for (unsigned j = 1; j <= n; j++) {
		char name[64];
		snprintf(name, sizeof name, "Scrutateur %u", j);
		s = store_prepare(st->roll, "INSERT INTO trustees(meeting, idx,"
		    " name) VALUES (?1, ?2, ?3)");
		if (s == NULL || store_bind_text(s, 1, id) != 0 ||
		    sqlite3_bind_int(s, 2, (int)j) != SQLITE_OK ||
		    store_bind_text(s, 3, name) != 0 ||
		    sqlite3_step(s) != SQLITE_DONE)
			goto fail;
		sqlite3_finalize(s);
		s = NULL;
	}
	ev = json_pack("{s:s,s:s,s:s,s:s,s:s,s:i,s:i}", "meeting", id,
	    "title", title, "date", date, "profile", p->id, "body", body,
	    "trustees", (int)n, "threshold", (int)t);
	if (qj != NULL)
		json_object_set(ev, "quorum", qj);
	if (store_event_record(st, "meeting.create", ev, NULL) != 0 ||
	    record_meeting(st, id) != 0 || store_commit(st) != 0)
		goto fail;
	rc = 0;
	goto out;
fail:
	store_rollback(st);
out:
	json_decref(ev);
	json_decref(qj);
	free(qtext);
	sqlite3_finalize(s);
	free(p);
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
	        (size_t)sqlite3_column_bytes(s, 0), err, errcap) != 0)
		goto out;
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

int
meeting_convene(struct store *st, const char *id, char *err, size_t errcap)
{
	struct mrow m;
	struct profile *p = xcalloc(1, sizeof *p);
	struct facts f;
	struct ct_meeting cm;
	struct ct_result res;
	sqlite3_stmt *s = NULL;
	json_t *ev = NULL;
	size_t voters = 0;
	int rc = -1, counted = 0;

	memset(&f, 0, sizeof f);
	if (m_load(st, id, &m) != 0) {
		snprintf(err, errcap, "réunion inconnue : %s", id);
		goto out;
	}
	if (strcmp(m.status, "draft") != 0) {
		snprintf(err, errcap, "la réunion n'est plus en préparation");
		goto out;
	}
	s = store_prepare(st->roll, "SELECT profile_yaml FROM meetings WHERE"
	    " id = ?1");
	if (s == NULL || store_bind_text(s, 1, id) != 0 ||
	    sqlite3_step(s) != SQLITE_ROW ||
	    profile_load(p, "profile", sqlite3_column_blob(s, 0),
	        (size_t)sqlite3_column_bytes(s, 0), err, errcap) != 0)
		goto out;
	sqlite3_finalize(s);
	s = NULL;
	if (store_begin(st) != 0)
		goto out;
	if (facts_load(st, &m, &f) != 0)
		goto fail;
	facts_meeting(&m, &f, &cm);
	if (ct_count(p, &cm, NULL, 0, &res, err, errcap) != 0)
		goto fail;
	counted = 1;
	for (size_t i = 0; i < f.n; i++) {
		s = store_prepare(st->roll, "INSERT INTO meeting_roll(meeting,"
		    " member_id, voter, reason) VALUES (?1, ?2, ?3, ?4)");
		if (s == NULL || store_bind_text(s, 1, id) != 0 ||
		    sqlite3_bind_int64(s, 2, f.member_ids[i]) != SQLITE_OK ||
		    sqlite3_bind_int(s, 3, res.members[i].voter) != SQLITE_OK ||
		    store_bind_text(s, 4, res.members[i].voter ? "" :
		        ct_reason_code(res.members[i].reason)) != 0 ||
		    sqlite3_step(s) != SQLITE_DONE)
			goto fail;
		sqlite3_finalize(s);
		s = NULL;
		voters += res.members[i].voter ? 1 : 0;
	}
	s = store_prepare(st->roll, "UPDATE meetings SET status = 'convened',"
	    " convened_at = ?2 WHERE id = ?1");
	if (s == NULL || store_bind_text(s, 1, id) != 0 ||
	    sqlite3_bind_int64(s, 2, (sqlite3_int64)now_unix()) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_DONE)
		goto fail;
	ev = json_pack("{s:s,s:I,s:I}", "meeting", id, "members",
	    (json_int_t)f.n, "voters", (json_int_t)voters);
	if (store_event_record(st, "meeting.convene", ev, NULL) != 0 ||
	    store_commit(st) != 0)
		goto fail;
	rc = 0;
	goto out;
fail:
	store_rollback(st);
out:
	if (counted)
		ct_result_free(&res);
	facts_free(&f);
	json_decref(ev);
	sqlite3_finalize(s);
	free(p);
	return rc;
}

/* ---- notifications ---- */

void
meeting_ctx_init(struct mctx *c, struct store *st, const uint8_t *sk,
    const uint8_t pk[32])
{
	memset(c, 0, sizeof *c);
	c->st = st;
	c->sk = sk;
	memcpy(c->pk, pk, 32);
	c->next_seq = 1;
	c->vc.dv = -1;
}

void
meeting_ctx_free(struct mctx *c)
{
	free(c->vc.multi);
	for (size_t i = 0; i < NOTIFY_RING; i++)
		free(c->ring[i].data);
	for (size_t i = 0; i < 8; i++)
		free(c->prof[i].p);
	free(c->pv.html);
	memset(c, 0, sizeof *c);
}

/* The meeting's body in its profile, or NULL (profile unreadable). */
const struct pr_body *
m_body(struct mctx *c, const struct mrow *m)
{
	const struct profile *p = m_profile(c, c->st, m->id);

	return p != NULL ? profile_body_find(p, m->body) : NULL;
}

/* 1 when the statutes provide for remote attendance in the meeting's body
 * (count.c refuses a remote member otherwise), 0 when not, -1 on error. */
int
m_remote_allowed(struct mctx *c, const struct mrow *m)
{
	const struct pr_body *b = m_body(c, m);

	return b == NULL ? -1 : b->voters.remote_counts_present ? 1 : 0;
}

/* ---- views ---- */

json_t *
meeting_view(struct mctx *c, const char *id)
{
	struct store *st = c->st;
	struct mrow m;
	json_t *o, *qs;
	char hex[65];

	if (m_load(st, id, &m) != 0)
		return NULL;
	qs = questions_json(st, id);
	xhex_encode(hex, sizeof hex, c->pk, 32);
	o = json_pack("{s:s,s:s,s:s,s:s,s:{s:s,s:s},s:s,s:s,s:o,s:o,s:o,s:I}",
	    "id", id, "title", m.title, "date", m.date, "status", m.status,
	    "profile", "id", m.profile_id, "name", m.profile_name, "body",
	    m.body, "server_key", hex, "election", election_json(st, &m),
	    "attendance", attendance_json(c, st, &m), "questions", qs, "seq",
	    (json_int_t)meeting_notify_last(c));
	json_object_set_new(o, "alternatives", alternatives_json(st, id));
	/* Whether the phone may offer "à distance" (api_attend refuses it
	 * otherwise); unknown profile: false. */
	json_object_set_new(o, "remote_attendance", json_boolean(
	    m_remote_allowed(c, &m) == 1));
	return o;
}

/* ---- moderator ---- */

static int
meeting_set_status(struct mctx *c, const struct mrow *m, const char *from,
    const char *to, const char *col, struct mreply *r)
{
	struct store *st = c->st;
	sqlite3_stmt *s;
	json_t *ev;
	int ok;
	char sql[160];

	if (strcmp(m->status, from) != 0) {
		mr_err(r, "wrong_phase", NULL);
		return -1;
	}
	if (store_begin(st) != 0) {
		mr_err(r, "unavailable", NULL);
		return -1;
	}
	/* col is one of two constants, never input. */
	snprintf(sql, sizeof sql, "UPDATE meetings SET status = ?2, %s = ?3"
	    " WHERE id = ?1", col);
	s = store_prepare(st->roll, sql);
	ok = s != NULL && store_bind_text(s, 1, m->id) == 0 &&
	    store_bind_text(s, 2, to) == 0 &&
	    sqlite3_bind_int64(s, 3, (sqlite3_int64)now_unix()) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_DONE;
	sqlite3_finalize(s);
	ev = json_pack("{s:s,s:s}", "meeting", m->id, "status", to);
	/* The record's roll is frozen when the meeting starts (or at the
	 * first question opened, if that comes first). */
	if (ok && strcmp(to, "live") == 0 && record_freeze(st, m->id) != 0)
		ok = 0;
	if (!ok || store_event_record(st, "meeting.status", ev, NULL) != 0 ||
	    store_commit(st) != 0) {
		json_decref(ev);
		store_rollback(st);
		mr_err(r, "unavailable", NULL);
		return -1;
	}
	json_decref(ev);
	notify(c, m->id, "meeting", json_pack("{s:s}", "status", to));
	mr_ok(r, json_pack("{s:s}", "status", to));
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
/* Stores a new question in one transaction, tells the live streams and
 * answers with it; an id already taken is `already_done`. */
static void
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
	notify(c, m->id, "question_add", q_json(c->st, m->id, qid));
	mr_ok(r, q_json(c->st, m->id, qid));
}

static void
api_round2(struct mctx *c, const struct mrow *m, const struct profile *p,
    json_t *in, struct mreply *r)
{
	const struct pr_body *b = profile_body_find(p, m->body);
	const struct pr_election *pe;
	const char *k, *of, *nid, *title;
	json_t *v, *spec = NULL, *r1 = NULL;
	struct qrow q;
	char idbuf[80], tbuf[400];
	ballot_question bq;
	sqlite3_stmt *s;
	int exists;

	json_object_foreach(in, k, v)
		if (strcmp(k, "round_of") != 0 && strcmp(k, "id") != 0 &&
		    strcmp(k, "title") != 0) {
			mr_err(r, "unknown_field", NULL);	/* k dies with the request */
			return;
		}
	of = json_string_value(json_object_get(in, "round_of"));
	if (of == NULL) {
		mr_err(r, "invalid_field", "round_of");
		return;
	}
	v = json_object_get(in, "id");
	if (v != NULL && (!json_is_string(v) ||
	        json_string_length(v) == 0 || json_string_length(v) > 64)) {
		mr_err(r, "invalid_field", "id");
		return;
	}
	v = json_object_get(in, "title");
	if (v != NULL && (!json_is_string(v) ||
	        json_string_length(v) == 0 || json_string_length(v) > 300)) {
		mr_err(r, "invalid_field", "title");
		return;
	}
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
	r1 = q_json(c->st, m->id, of);
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
	json_error_t e;
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
	in = json_loadb((const char *)body, len, JSON_REJECT_DUPLICATES, &e);
	if (in == NULL) {
		mr_err(r, "malformed_json", NULL);
		return;
	}
	if (!json_is_object(in)) {
		mr_err(r, "not_an_object", NULL);
		goto out;
	}
	if (json_object_get(in, "round_of") != NULL) {
		api_round2(c, m, p, in, r);
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
 * POST questions/{q}/candidates {"member", "name"}: a candidacy declared
 * during the meeting (e.g. Mines Alès RI 4.2), added to an election that
 * is still pending, when the statutes admit late candidacies. The
 * candidate goes before "blanc" with "at_meeting": true (the count tells
 * the engine) and the change is one "question.candidate" event.
 */
/*
 * Stores spec as pending question qid's new spec, with the journal event
 * kind (ev), in one transaction; then tells the clients (question_add
 * replaces the question by id in their view) and answers with the
 * question. On failure (storage, or the question no longer pending)
 * nothing is stored and r is "unavailable". ev NULL: unavailable.
 */
void
q_pending_store(struct mctx *c, const char *mid, const char *qid,
    const json_t *spec, const char *kind, const json_t *ev,
    struct mreply *r)
{
	char *text = json_dumps(spec, JSON_COMPACT | JSON_SORT_KEYS);
	sqlite3_stmt *s = NULL;
	int ok;

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
	notify(c, mid, "question_add", q_json(c->st, mid, qid));
	mr_ok(r, q_json(c->st, mid, qid));
}

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
	sqlite3_stmt *s = NULL;
	size_t i, nc;
	int ok, loaded = 0;

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
	s = store_prepare(c->st->roll, "SELECT 1 FROM members WHERE"
	    " member_no = ?1 AND status = 'active'");
	ok = s != NULL && store_bind_text(s, 1, mno) == 0 &&
	    sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	s = NULL;
	if (!ok) {
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
	{
		time_t tt = (time_t)now_unix();
		struct tm tm;
		gmtime_r(&tt, &tm);
		st_date_format(st_date_from_civil(tm.tm_year + 1900,
		    (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday), today);
	}
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

/* GET rules: the decision and election rules of the meeting's body (ids
 * and the profile's French labels), for the moderator's add-question
 * form, and what the statutes say of remote attendance, late
 * candidacies and alternative motions. */
void
api_rules(struct mctx *c, const struct mrow *m, const struct api_call *call,
    struct mreply *r)
{
	const struct pr_body *b = m_body(c, m);
	json_t *o, *d, *e, *x;

	if (b == NULL) {
		mr_err(r, "unavailable", NULL);
		return;
	}
	d = json_array();
	e = json_array();
	for (size_t i = 0; i < b->n_decisions; i++) {
		x = json_pack("{s:s}", "id", b->decisions[i].id);
		if (b->decisions[i].label[0] != '\0')
			json_object_set_new(x, "label",
			    json_string(b->decisions[i].label));
		json_array_append_new(d, x);
	}
	for (size_t i = 0; i < b->n_elections; i++) {
		x = json_pack("{s:s}", "id", b->elections[i].id);
		if (b->elections[i].label[0] != '\0')
			json_object_set_new(x, "label",
			    json_string(b->elections[i].label));
		/* The Bureau elected post by post, the president first
		 * (A-IMI 12): the console offers the president's post. */
		if (b->elections[i].sequence == PR_SEQ_PRESIDENT_FIRST) {
			json_object_set_new(x, "sequence",
			    json_string("president_first"));
			json_object_set_new(x, "article", json_string(
			    b->elections[i].src.article));
		}
		json_array_append_new(e, x);
	}
	o = json_pack("{s:s,s:s,s:o,s:o,s:b,s:b,s:b}", "body", b->id, "label",
	    b->label, "decisions", d, "elections", e, "remote_attendance",
	    b->voters.remote_counts_present, "late_candidates",
	    b->candidates.late_allowed, "alternatives", b->alternatives);
	{
		/* The secret-ballot rules: which live triggers the console
		 * may record (api_qtrig refuses the others). */
		const struct pr_secret *sb = &b->secret;
		json_t *by = json_array();
		char frac[24];
		if (sb->request_by & PR_REQ_BUREAU)
			json_array_append_new(by, json_string("bureau"));
		if (sb->request_by & PR_REQ_CA)
			json_array_append_new(by, json_string("ca"));
		snprintf(frac, sizeof frac, "%u/%u", sb->request_t.num,
		    sb->request_t.den);
		json_object_set_new(o, "secret_ballot", json_pack(
		    "{s:s,s:b,s:o,s:o,s:b,s:s}", "default", sb->default_secret ?
		    "secret" : "show_of_hands", "member_objection",
		    sb->member_objection, "request_by", by, "request_fraction",
		    sb->request_fraction ? json_string(frac) : json_null(),
		    "unanimous_waiver", sb->unanimous_waiver, "article",
		    sb->src.article));
	}
	mr_ok(r, o);
}

void
api_end(struct mctx *c, const struct mrow *m, const struct api_call *call,
    struct mreply *r)
{
	sqlite3_stmt *s;
	char open[64][65];
	size_t n = 0;

	if (strcmp(m->status, "live") != 0) {
		mr_err(r, "wrong_phase", NULL);
		return;
	}
	s = store_prepare(c->st->roll, "SELECT qid FROM questions WHERE"
	    " meeting = ?1 AND status = 'open'");
	if (s != NULL && store_bind_text(s, 1, m->id) == 0)
		while (n < 64 && sqlite3_step(s) == SQLITE_ROW)
			snprintf(open[n++], 65, "%s",
			    (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	for (size_t i = 0; i < n; i++) {
		struct qrow q;
		int64_t cnt;
		if (q_load(c->st, m->id, open[i], &q) == 0) {
			if (question_close(c, c->st, m, &q, &cnt) != 0)
				log_warn("closing %s failed", open[i]);
			q_free(&q);
		}
	}
	(void)meeting_set_status(c, m, "live", "closed", "ended_at", r);
}

/* ---- periodic work ---- */

void
meeting_tick(struct mctx *c)
{
	sqlite3_stmt *s;
	char due[16][2][65];
	size_t n = 0;

	part_flush(c, 0);
	s = store_prepare(c->st->roll, "SELECT meeting, qid FROM questions"
	    " WHERE status = 'open' AND closes_at IS NOT NULL AND closes_at"
	    " <= ?1");
	if (s != NULL && sqlite3_bind_int64(s, 1, (sqlite3_int64)now_unix()) ==
	        SQLITE_OK)
		while (n < 16 && sqlite3_step(s) == SQLITE_ROW) {
			snprintf(due[n][0], 65, "%s",
			    (const char *)sqlite3_column_text(s, 0));
			snprintf(due[n][1], 65, "%s",
			    (const char *)sqlite3_column_text(s, 1));
			n++;
		}
	sqlite3_finalize(s);
	for (size_t i = 0; i < n; i++) {
		struct mrow m;
		struct qrow q;
		int64_t cnt;
		if (m_load(c->st, due[i][0], &m) != 0 ||
		    q_load(c->st, due[i][0], due[i][1], &q) != 0)
			continue;
		if (question_close(c, c->st, &m, &q, &cnt) != 0)
			log_warn("closing %s/%s at the end of its window"
			    " failed", due[i][0], due[i][1]);
		q_free(&q);
	}
}

/* ---- the meeting's own rows of the API table (server/api.c) ---- */

void
api_view(struct mctx *c, const struct mrow *m, const struct api_call *call,
    struct mreply *r)
{
	mr_ok(r, meeting_view(c, m->id));
}

void
api_whoami(struct mctx *c, const struct mrow *m, const struct api_call *call,
    struct mreply *r)
{
	mr_ok(r, json_pack("{s:s}", "role", "moderator"));
}

void
api_start(struct mctx *c, const struct mrow *m, const struct api_call *call,
    struct mreply *r)
{
	if (strcmp(m->status, "convened") != 0) {
		mr_err(r, "wrong_phase", NULL);
		return;
	}
	(void)meeting_set_status(c, m, "convened", "live", "started_at", r);
}

/*
 * meeting.c — a meeting's life (see meeting.h): created by the operator
 * with its profile, trustees and own quorum, convened (the roll frozen,
 * each member's standing decided by the statutes engine), started and
 * ended by the moderator, viewed by everyone; the privileged process's
 * context (struct mctx) and its periodic work. The other concerns of a
 * meeting have a file each, named after them: request.c (errors, strict
 * JSON, signed statements), token.c (the roles' tokens), notify.c (live
 * notifications), attendance.c, agenda.c (question specs), question.c
 * (open, close), triggers.c (secret ballot), alternatives.c, bureau.c,
 * ballot.c (the ballot path and the box), and so do the key ceremony,
 * the count and the minutes; api.c holds the API table, meeting_int.h
 * what they share.
 *
 * Trusts: the store (its own schema), the profile as ballot-formats/
 * profile.h reads it and the statutes engine (count.h) for standing and
 * quorum. The operator's arguments are checked (identifier, date, title,
 * trustees, the meeting's own quorum against the statutes, the statutes'
 * president an active member); everything the network process sends is
 * untrusted and decoded strictly again on this side, in every file of
 * the family.
 *
 * Invariants, here and in each of those files: a refusal changes nothing
 * and records nothing; every change is one transaction with its event
 * (store_event_record). A meeting goes draft, convened, live, closed,
 * each step once.
 */
#include "server/meeting.h"
#include "server/meeting_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/outcome.h"
#include "ballot-formats/count.h"
#include "ballot-formats/profile.h"
#include "server/cred.h"
#include "server/record.h"
#include "server/store.h"

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
	    " trustees_n, trustees_t, ceremony, ceremony_id, y, eid, quorum,"
	    " president_member, time, starts_at, convocation_date,"
	    " second_convocation FROM meetings WHERE id = ?1");
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
	if (sqlite3_column_type(s, 13) == SQLITE_TEXT)
		snprintf(m->president_member, sizeof m->president_member, "%s",
		    (const char *)sqlite3_column_text(s, 13));
	if (sqlite3_column_type(s, 14) == SQLITE_TEXT &&
	    sqlite3_column_type(s, 15) == SQLITE_INTEGER) {
		snprintf(m->time, sizeof m->time, "%s",
		    (const char *)sqlite3_column_text(s, 14));
		m->starts_at = sqlite3_column_int64(s, 15);
		m->has_start = strlen(m->time) == 5;
	}
	if (sqlite3_column_type(s, 16) == SQLITE_TEXT)
		snprintf(m->convocation, sizeof m->convocation, "%s",
		    (const char *)sqlite3_column_text(s, 16));
	if (sqlite3_column_type(s, 17) == SQLITE_TEXT)
		snprintf(m->second, sizeof m->second, "%s",
		    (const char *)sqlite3_column_text(s, 17));
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
	struct st_msg err;
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
	        (size_t)sqlite3_column_bytes(s, 0), &err) != 0) {
		log_warn("meeting %s: profile: %s", id, err.en);
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

/* The meeting's body in its profile, or NULL (profile unreadable). */
const struct pr_body *
m_body(struct mctx *c, const struct mrow *m)
{
	const struct profile *p = m_profile(c, c->st, m->id);

	return p != NULL ? profile_body_find(p, m->body) : NULL;
}

/* The body of meeting id in its (cached) profile, or NULL (c NULL, the
 * meeting unknown, the profile unreadable). */
const struct pr_body *
m_body_of(struct mctx *c, const char *id)
{
	struct mrow m;

	if (c == NULL || m_load(c->st, id, &m) != 0)
		return NULL;
	return m_body(c, &m);
}

/* What people read for rule of body b, a decision (election 0) or an
 * election: OUT *fr the profile's label and *en its English one (the
 * French when the profile gives none). -1 when b is NULL or the body has
 * no such rule. */
int
m_rule_labels(const struct pr_body *b, int election, const char *rule,
    const char **fr, const char **en)
{
	const char *l = NULL, *le = NULL;

	if (b != NULL && rule != NULL && election) {
		const struct pr_election *e = profile_election_find(b, rule);
		if (e != NULL) {
			l = e->label;
			le = e->label_en;
		}
	} else if (b != NULL && rule != NULL) {
		const struct pr_decision *d = profile_decision_find(b, rule);
		if (d != NULL) {
			l = d->label;
			le = d->label_en;
		}
	}
	if (l == NULL)
		return -1;
	*fr = l;
	*en = le[0] != '\0' ? le : l;
	return 0;
}

/* 1 when the statutes provide for remote attendance in the meeting's body
 * (standing.c refuses a remote member otherwise), 0 when not, -1 on error. */
int
m_remote_allowed(struct mctx *c, const struct mrow *m)
{
	const struct pr_body *b = m_body(c, m);

	return b == NULL ? -1 : b->voters.remote_counts_present ? 1 : 0;
}

/* ---- the privileged process's context ---- */

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

/* ---- operator side ---- */

/* A free text of the minutes: UTF-8 without control characters, 1–200
 * bytes. */
static int
info_text_ok(const char *v)
{
	size_t n = strlen(v);

	if (n == 0 || n > 200 || !utf8_valid((const uint8_t *)v, n))
		return 0;
	for (const unsigned char *c = (const unsigned char *)v; *c; c++)
		if (*c < 0x20 || *c == 0x7f)
			return 0;
	return 1;
}

/* Checks what the minutes say of the meeting (struct meeting_info). */
static int
meeting_info_check(const struct meeting_info *in, char *err, size_t errcap)
{
	const char *what[] = { "--association", "--place", "--president",
	    "--secretary" };
	const char *v[] = { in->association, in->place, in->president,
	    in->secretary };

	for (size_t i = 0; i < 4; i++)
		if (v[i] != NULL && v[i][0] != '\0' && !info_text_ok(v[i])) {
			snprintf(err, errcap, "%s : texte de 1 à 200 octets sans"
			    " caractère de contrôle", what[i]);
			return -1;
		}
	if (in->time != NULL && in->time[0] != '\0' &&
	    !(strlen(in->time) == 5 && in->time[2] == ':' &&
	    in->time[0] >= '0' && in->time[0] <= '2' &&
	    in->time[1] >= '0' && in->time[1] <= '9' &&
	    in->time[3] >= '0' && in->time[3] <= '5' &&
	    in->time[4] >= '0' && in->time[4] <= '9' &&
	    (in->time[0] < '2' || in->time[1] <= '3'))) {
		snprintf(err, errcap, "--time : heure HH:MM (ex. 14:30)");
		return -1;
	}
	return 0;
}

/* The scheduled start: date and in->time on the appliance's clock (its
 * local time zone), in Unix seconds (the record's meeting event
 * "starts_at"); -1 without a time. Required when the statutes close
 * proxies before the start (Espace+ 4): 0, or -1 with err. */
static int
meeting_start_compute(const struct pr_body *pb, const char *date,
    const struct meeting_info *in, int64_t *starts_at, char *err,
    size_t errcap)
{
	struct tm tm;
	time_t t;

	*starts_at = -1;
	if (in->time == NULL || in->time[0] == '\0') {
		if (!pb->proxies.allowed || !pb->proxies.deadline)
			return 0;
		snprintf(err, errcap, "les statuts closent les procurations %u"
		    " minutes avant le début de la réunion (art. %s) : --time"
		    " requis (heure de convocation HH:MM)",
		    pb->proxies.deadline_minutes, pb->proxies.src.article);
		return -1;
	}
	memset(&tm, 0, sizeof tm);
	tm.tm_year = atoi(date) - 1900;
	tm.tm_mon = atoi(date + 5) - 1;
	tm.tm_mday = atoi(date + 8);
	tm.tm_hour = atoi(in->time);
	tm.tm_min = atoi(in->time + 3);
	tm.tm_isdst = -1;
	if ((t = mktime(&tm)) == (time_t)-1) {
		snprintf(err, errcap, "--date et --time : heure introuvable");
		return -1;
	}
	*starts_at = (int64_t)t;
	return 0;
}

/* Stores the meeting's minutes fields and its start (inside the
 * creation's transaction). */
static int
meeting_info_store(struct store *st, const char *id,
    const struct meeting_info *in, int64_t starts_at)
{
	const char *v[] = { in->association, in->place, in->time,
	    in->president, in->secretary, in->first_meeting };
	sqlite3_stmt *s = store_prepare(st->roll, "UPDATE meetings SET"
	    " association = ?2, place = ?3, time = ?4, president = ?5,"
	    " secretary = ?6, starts_at = ?8, second_convocation = ?7"
	    " WHERE id = ?1");
	int rc = -1;

	if (s == NULL || store_bind_text(s, 1, id) != 0 ||
	    (starts_at >= 0 ? sqlite3_bind_int64(s, 8, starts_at) :
	    sqlite3_bind_null(s, 8)) != SQLITE_OK)
		goto out;
	for (int i = 0; i < 6; i++)
		if ((v[i] != NULL && v[i][0] != '\0' ?
		    store_bind_text(s, i + 2, v[i]) :
		    sqlite3_bind_null(s, i + 2)) != 0)
			goto out;
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : -1;
out:
	sqlite3_finalize(s);
	return rc;
}

/* 1 when member_no is an active member of the roll, 0 when not, -1 on a
 * storage error. */
static int
meeting_member_active(struct store *st, const char *member_no)
{
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT 1 FROM members"
	    " WHERE member_no = ?1 AND status = 'active'");
	int r, rc = -1;

	if (s != NULL && store_bind_text(s, 1, member_no) == 0) {
		r = sqlite3_step(s);
		rc = r == SQLITE_ROW ? 1 : r == SQLITE_DONE ? 0 : -1;
	}
	sqlite3_finalize(s);
	return rc;
}

/* The meeting's own quorum: given exactly when the statutes leave it to
 * the meeting; fixed at creation, as the record's meeting event (written
 * then) carries it. *qj and *qtext: the parsed and compact text, or NULL
 * when none is given; 0, or -1 with err set (French). */
static int
meeting_quorum_check(const struct pr_body *pb, const char *body,
    const char *quorum, json_t **qj, char **qtext, char *err, size_t errcap)
{
	if (pb->quorum.kind == PR_QUORUM_MEETING_SETS && quorum == NULL) {
		snprintf(err, errcap, "les statuts laissent le quorum de"
		    " l'instance %s à la réunion (art. %s) : --quorum requis"
		    " (none ou un objet JSON, docs/api.md)", body,
		    pb->quorum.src.article);
		return -1;
	}
	if (pb->quorum.kind != PR_QUORUM_MEETING_SETS && quorum != NULL) {
		snprintf(err, errcap, "les statuts fixent le quorum de"
		    " l'instance %s (art. %s) : --quorum refusé", body,
		    pb->quorum.src.article);
		return -1;
	}
	if (quorum != NULL) {
		struct ct_quorum_override qo;
		json_error_t je;
		char qerr[160];
		*qj = strcmp(quorum, "none") == 0 ? json_string("none") :
		    json_loads(quorum, JSON_REJECT_DUPLICATES, &je);
		if (*qj == NULL || audit_quorum_parse(*qj, &qo, qerr,
		    sizeof qerr) != 0) {
			snprintf(err, errcap, "--quorum invalide : %s",
			    *qj == NULL ? "JSON illisible" : qerr);
			return -1;
		}
		if (!qo.none && pb->quorum.meeting_rounding &&
		    qo.t.rounding != pb->quorum.rounding) {
			snprintf(err, errcap, "--quorum : l'arrondi doit être"
			    " celui des statuts (art. %s)",
			    pb->quorum.src.article);
			return -1;
		}
		*qtext = json_dumps(*qj, JSON_COMPACT | JSON_SORT_KEYS |
		    JSON_ENCODE_ANY);
		if (*qtext == NULL || strlen(*qtext) >= 512) {
			snprintf(err, errcap, "--quorum trop long");
			return -1;
		}
	}
	return 0;
}

/* A second convocation (--second-convocation --first-meeting-date):
 * only where the body's statutes provide one without quorum (A-IMI art.
 * 9, APROGEMERE II; audit_second_convocation_article, as the verifier
 * reads the meeting event), the first meeting before this one. 0, or -1
 * with err set (French, with the article). */
static int
meeting_second_check(const struct pr_body *pb, const char *body,
    const json_t *qj, const char *date, const char *first, char *err,
    size_t errcap)
{
	struct ct_quorum_override qo;
	char qerr[160];
	int32_t d0, d1;

	if (first == NULL)
		return 0;
	if (first[0] == '\0' || strlen(first) != 10 ||
	    st_date_parse(first, &d0) != 0) {
		snprintf(err, errcap, "--second-convocation :"
		    " --first-meeting-date AAAA-MM-JJ requis (la date de la"
		    " première réunion, qui n'a pas atteint le quorum)");
		return -1;
	}
	if (st_date_parse(date, &d1) != 0 || d0 >= d1) {
		snprintf(err, errcap, "--first-meeting-date : la première"
		    " réunion (%s) doit précéder celle-ci (%s)", first, date);
		return -1;
	}
	if (audit_second_convocation_article(pb, qj != NULL &&
	    audit_quorum_parse(qj, &qo, qerr, sizeof qerr) == 0 ? &qo :
	    NULL) == NULL) {
		snprintf(err, errcap, "seconde convocation refusée : les"
		    " statuts ne prévoient pas de seconde convocation sans"
		    " quorum pour l'instance %s (art. %s)", body,
		    pb->quorum.src.article[0] != '\0' ?
		    pb->quorum.src.article : "—");
		return -1;
	}
	return 0;
}

int
meeting_trustees_ok(const char *id, unsigned n, unsigned t)
{
	return (n >= 2 && t >= 2) || strcmp(id, MEETING_DEMO_ID) == 0;
}

int
meeting_create(struct store *st, const char *id, const char *title,
    const char *date, const uint8_t *yaml, size_t yaml_len,
    const char *body, unsigned n, unsigned t, const char *quorum,
    const struct meeting_info *info, const char *president_member,
    char *err, size_t errcap)
{
	static const struct meeting_info none;
	struct profile *p = xcalloc(1, sizeof *p);
	const struct pr_body *pb;
	sqlite3_stmt *s = NULL;
	json_t *ev = NULL, *qj = NULL;
	char *qtext = NULL;
	struct st_msg em;
	int32_t day;
	int64_t starts_at;
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
	if (!meeting_trustees_ok(id, n, t)) {
		snprintf(err, errcap, "%s", MEETING_TRUSTEES_FR);
		goto out;
	}
	if (info == NULL)
		info = &none;
	if (meeting_info_check(info, err, errcap) != 0)
		goto out;
	if (profile_load(p, "profile", yaml, yaml_len, &em) != 0) {
		snprintf(err, errcap, "%s", em.fr);
		goto out;
	}
	if ((pb = profile_body_find(p, body)) == NULL) {
		snprintf(err, errcap, "instance inconnue dans le profil : %s",
		    body);
		goto out;
	}
	if (meeting_start_compute(pb, date, info, &starts_at, err,
	    errcap) != 0)
		goto out;
	if (meeting_quorum_check(pb, body, quorum, &qj, &qtext, err,
	    errcap) != 0 || meeting_second_check(pb, body, qj, date,
	    info->first_meeting, err, errcap) != 0)
		goto out;
	if (store_begin(st) != 0)
		goto out;
	/* The president in the statutes: an active member of the roll,
	 * fixed at creation like the quorum (his credential carries it in
	 * the record). */
	if (president_member != NULL &&
	    meeting_member_active(st, president_member) != 1) {
		snprintf(err, errcap, "--president-member : aucun membre actif"
		    " de numéro %s", president_member);
		goto fail;
	}
	s = store_prepare(st->roll, "INSERT INTO meetings(id, title, date,"
	    " profile_yaml, profile_id, profile_name, body, status,"
	    " trustees_n, trustees_t, ceremony, created_at, quorum,"
	    " president_member)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'draft', ?8, ?9, 'enrolment',"
	    " ?10, ?11, ?12)");
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
	        sqlite3_bind_null(s, 11)) != 0 ||
	    (president_member != NULL ? store_bind_text(s, 12,
	        president_member) : sqlite3_bind_null(s, 12)) != 0)
		goto fail;
	if (sqlite3_step(s) != SQLITE_DONE) {
		snprintf(err, errcap, "la réunion %s existe déjà", id);
		goto fail;
	}
	sqlite3_finalize(s);
	s = NULL;
	if (meeting_info_store(st, id, info, starts_at) != 0)
		goto fail;
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
	if (president_member != NULL)
		json_object_set_new(ev, "president_member",
		    json_string(president_member));
	if (info->first_meeting != NULL)
		json_object_set_new(ev, "second_convocation",
		    json_string(info->first_meeting));
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

/* The convocation's date: the appliance's local date when the meeting
 * is convened (the roll frozen, the convocations sent). -1 if the clock
 * cannot be read. */
static int
convocation_today(char out[16])
{
	time_t t = (time_t)now_unix();
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL)
		return -1;
	snprintf(out, 16, "%04d-%02d-%02d", (tm.tm_year + 1900) % 10000,
	    (tm.tm_mon + 1) % 100, tm.tm_mday % 100);
	return 0;
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
	struct st_msg em = { 0 };
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
	/* The statutes' roll freeze (docs/server.md) counts from today. */
	if (convocation_today(m.convocation) != 0)
		goto out;
	if (strcmp(m.convocation, m.date) > 0) {
		snprintf(err, errcap, "convocation refusée : la réunion du %s"
		    " est passée (aujourd'hui : %s). Créez une réunion à une"
		    " date à venir ; rien n'a été modifié", m.date,
		    m.convocation);
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
	sqlite3_finalize(s);
	s = NULL;
	if (store_begin(st) != 0)
		goto out;
	if (facts_load(st, &m, &f) != 0)
		goto fail;
	facts_meeting(&m, &f, &cm);
	if (ct_count(p, &cm, NULL, 0, &res, &em) != 0) {
		/* The engine's words name the member and the field; the
		 * operator is told in French what to do about them. */
		snprintf(err, errcap, "convocation refusée : les statuts ne"
		    " peuvent pas compter la liste des adhérents telle"
		    " qu'elle est (%s). Corrigez la liste (par exemple les"
		    " catégories, avec les identifiants du profil) avec"
		    " « scrutin roll import », puis convoquez de nouveau ;"
		    " rien n'a été modifié", em.fr);
		goto fail;
	}
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
	    " convened_at = ?2, convocation_date = ?3 WHERE id = ?1");
	if (s == NULL || store_bind_text(s, 1, id) != 0 ||
	    sqlite3_bind_int64(s, 2, (sqlite3_int64)now_unix()) != SQLITE_OK ||
	    store_bind_text(s, 3, m.convocation) != 0 ||
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
	qs = questions_json(c, st, id);
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
	/* The draw's seed, where the body reassigns at random: the
	 * scrutineers' commitments and reveals (draw_seed.c). */
	{
		const struct pr_body *b = m_body(c, &m);
		if (b != NULL && b->proxies.absent_holder == PR_ABSENT_RANDOM)
			json_object_set_new(o, "draw", draw_status_json(st, &m));
	}
	/* The mail-in window (vote par correspondance), when opened. */
	if ((qs = mailin_view_json(c, &m)) != NULL)
		json_object_set_new(o, "mailin", qs);
	return o;
}

void
api_view(struct mctx *c, const struct mrow *m, const struct api_call *call,
    struct mreply *r)
{
	mr_ok(r, meeting_view(c, m->id));
}

/* ---- moderator ---- */

static int
meeting_set_status(struct mctx *c, const struct mrow *m, const char *from,
    const char *to, const char *col, struct mreply *r)
{
	struct store *st = c->st;
	sqlite3_stmt *s;
	json_t *ev;
	int64_t now;
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
	now = (int64_t)now_unix();
	ok = s != NULL && store_bind_text(s, 1, m->id) == 0 &&
	    store_bind_text(s, 2, to) == 0 &&
	    sqlite3_bind_int64(s, 3, (sqlite3_int64)now) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_DONE;
	sqlite3_finalize(s);
	ev = json_pack("{s:s,s:s}", "meeting", m->id, "status", to);
	/* The record's roll is frozen when the meeting starts (or at the
	 * first question opened, if that comes first). */
	if (ok && strcmp(to, "live") == 0 && (record_freeze(st, m->id) != 0 ||
	    proxy_draw_seed(c, st, m) != 0 ||
	    record_started(st, m->id, now) != 0))
		ok = 0;
	/* The record's end of the meeting lists the agenda (the minutes
	 * say which items were not put to the vote). */
	if (ok && strcmp(to, "closed") == 0 &&
	    record_ended(st, m->id, now) != 0)
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

/* A rule of GET rules: its id, the profile's labels (label_en the French
 * one when the profile gives none) and its article. */
static json_t *
rule_json(const char *id, const char *label, const char *label_en,
    const char *article)
{
	return json_pack("{s:s,s:s,s:s,s:s}", "id", id, "label", label,
	    "label_en", label_en[0] != '\0' ? label_en : label, "article",
	    article);
}

/* GET rules: the decision and election rules of the meeting's body (ids,
 * the profile's labels and articles), for the moderator's add-question
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
		const struct pr_decision *pd = &b->decisions[i];
		x = rule_json(pd->id, pd->label, pd->label_en,
		    pd->src.article);
		/* The member concerned is recused (ANIMT XI, Espace+ 7):
		 * the console offers the recusal on these questions. */
		if (pd->recusal)
			json_object_set_new(x, "recusal", json_true());
		json_array_append_new(d, x);
	}
	for (size_t i = 0; i < b->n_elections; i++) {
		const struct pr_election *pe = &b->elections[i];
		x = rule_json(pe->id, pe->label, pe->label_en,
		    pe->src.article);
		/* The Bureau elected post by post, the president first
		 * (A-IMI 12): the console offers the president's post. */
		if (pe->sequence == PR_SEQ_PRESIDENT_FIRST)
			json_object_set_new(x, "sequence",
			    json_string("president_first"));
		json_array_append_new(e, x);
	}
	o = json_pack("{s:s,s:s,s:s,s:o,s:o,s:b,s:b,s:b}", "body", b->id,
	    "label", b->label, "label_en", b->label_en[0] != '\0' ?
	    b->label_en : b->label, "decisions", d, "elections", e,
	    "remote_attendance", b->voters.remote_counts_present,
	    "late_candidates", b->candidates.late_allowed, "alternatives",
	    b->alternatives);
	json_object_set_new(o, "recusal_article",
	    json_string(b->recusal_src.article));
	/* Amendments (profile amendments): the console offers them. */
	json_object_set_new(o, "amendments", b->amendments.mode ==
	    PR_AMEND_NONE ? json_null() : json_pack("{s:s,s:i,s:s}", "mode",
	    b->amendments.mode == PR_AMEND_ALTERNATIVE ? "alternative" :
	    "before_motion", "supporters", (int)b->amendments.supporters,
	    "article", b->amendments.src.article));
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

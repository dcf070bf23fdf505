/*
 * attendance.c — who is in the room: the members' check-in and check-out
 * (api_attend, a statement signed with the member's credential), the
 * facts the statutes engine counts (facts_load: the frozen roll once the
 * meeting is convened, the active register before, with each member's
 * dues and attendance, and the president the meeting names), the
 * attendance and quorum of the meeting's view, the voters present now
 * (for the fraction trigger), those absent now (for the unanimous
 * waiver) and those present at a question's opening.
 *
 * Trusts the store and the statutes engine (ballot-formats/count.h) for
 * standing and quorum. A request is untrusted: its statement is checked
 * against the credential's key and its time against the server's clock.
 *
 * Invariants: a check-in or check-out is one transaction with its
 * attendance event and, once the meeting's record exists, its record
 * line; the same state again changes nothing and is acknowledged with
 * its first time; remote attendance is refused where the statutes do not
 * provide for it.
 */
#include "server/meeting_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/outcome.h"
#include "server/record.h"
#include "server/store.h"

/* Dues: the roll holds the date of the last payment. The engine decides
 * from it under the profile's period (Espace+ 1: « valable pour un an à
 * partir de la perception »; Mines Alès 4.1, dues checked on the
 * meeting's date); where the profile states none, from the server's
 * reading: paid within the year before the meeting day, i.e. a payment
 * covers twelve months, up to the day before its anniversary. */
void
meeting_dues_facts(const char *paid, int32_t meeting_day, struct ct_member *mb)
{
	static const struct pr_dues year = { .required = true, .period_months = 12 };
	int32_t d;

	mb->has_dues_paid_on = false;
	if (paid == NULL || paid[0] == '\0') {
		mb->dues_paid = CT_NO;
		return;
	}
	if (st_date_parse(paid, &d) != 0) {
		mb->dues_paid = CT_UNKNOWN;
		return;
	}
	mb->has_dues_paid_on = true;
	mb->dues_paid_on = d;
	mb->dues_paid = ct_dues_standing(&year, mb, meeting_day);
}

int
meeting_dues(const struct pr_dues *d, const char *paid, int32_t meeting_day)
{
	struct ct_member mb;

	memset(&mb, 0, sizeof mb);
	meeting_dues_facts(paid, meeting_day, &mb);
	return ct_dues_standing(d, &mb, meeting_day);
}

/* The facts of a meeting for the statutes engine. */
void
facts_free(struct facts *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free((char *)f->members[i].id);
		free((char *)f->members[i].name);
		free((char *)f->members[i].category);
		free((char *)f->members[i].zone);
		free((char *)f->members[i].city);
		free((char *)f->members[i].sex);
	}
	free(f->members);
	free(f->presence);
	free(f->member_ids);
	free(f->voter);
	free(f->draw_ids);
	free(f->mail);
	free(f->mail_member);
	memset(f, 0, sizeof *f);
}

size_t
facts_index(const struct facts *f, int64_t id)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->member_ids[i] == id)
			return i;
	return SIZE_MAX;
}

/* Loads members (the frozen roll once convened, else the active roll)
 * with their attendance. */
int
facts_load(struct store *st, const struct mrow *m, struct facts *f)
{
	int frozen = strcmp(m->status, "draft") != 0;
	sqlite3_stmt *s;
	size_t cap = 64;
	int32_t day;

	memset(f, 0, sizeof *f);
	if (st_date_parse(m->date, &day) != 0)
		return -1;
	f->day = day;
	s = store_prepare(st->roll, frozen ?
	    "SELECT m.id, m.member_no, display_name(m.first_name, m.last_name),"
	    " m.category, m.dues_paid, m.joined, m.birth_date, m.zone, m.city,"
	    " m.sex, coalesce(a.state, 'absent'), r.voter FROM meeting_roll r"
	    " JOIN members m ON m.id = r.member_id LEFT JOIN attendance a ON"
	    " a.meeting = r.meeting AND a.member_id = m.id WHERE r.meeting ="
	    " ?1 ORDER BY m.id" :
	    "SELECT m.id, m.member_no, display_name(m.first_name, m.last_name),"
	    " m.category, m.dues_paid, m.joined, m.birth_date, m.zone, m.city,"
	    " m.sex, 'absent', 0 FROM members m WHERE m.status = 'active'"
	    " AND ?1 IS NOT NULL ORDER BY m.id");
	if (s == NULL || store_bind_text(s, 1, m->id) != 0) {
		sqlite3_finalize(s);
		return -1;
	}
	f->members = xcalloc(cap, sizeof *f->members);
	f->presence = xcalloc(cap, sizeof *f->presence);
	f->member_ids = xcalloc(cap, sizeof *f->member_ids);
	f->voter = xcalloc(cap, sizeof *f->voter);
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct ct_member *mb;
		const char *v;
		int32_t d;

		if (f->n == cap) {
			cap *= 2;
			f->members = xreallocarray(f->members, cap,
			    sizeof *f->members);
			f->presence = xreallocarray(f->presence, cap,
			    sizeof *f->presence);
			f->member_ids = xreallocarray(f->member_ids, cap,
			    sizeof *f->member_ids);
			f->voter = xreallocarray(f->voter, cap, sizeof *f->voter);
		}
		mb = &f->members[f->n];
		memset(mb, 0, sizeof *mb);
		f->member_ids[f->n] = sqlite3_column_int64(s, 0);
		mb->id = xstrdup((const char *)sqlite3_column_text(s, 1));
		mb->name = xstrdup((const char *)sqlite3_column_text(s, 2));
		v = (const char *)sqlite3_column_text(s, 3);
		mb->category = xstrdup(v[0] ? v : "");
		meeting_dues_facts((const char *)sqlite3_column_text(s, 4), day,
		    mb);
		v = (const char *)sqlite3_column_text(s, 5);
		if (v[0] && st_date_parse(v, &d) == 0) {
			mb->has_registered = true;
			mb->registered = d;
		}
		v = (const char *)sqlite3_column_text(s, 6);
		if (v[0] && st_date_parse(v, &d) == 0) {
			mb->has_birth = true;
			mb->birth = d;
		}
		v = (const char *)sqlite3_column_text(s, 7);
		mb->zone = v[0] ? xstrdup(v) : NULL;
		v = (const char *)sqlite3_column_text(s, 8);
		mb->city = v[0] ? xstrdup(v) : NULL;
		v = (const char *)sqlite3_column_text(s, 9);
		mb->sex = v[0] ? xstrdup(v) : NULL;
		mb->city_referent = CT_UNKNOWN;
		mb->semesters = -1;
		/* The president the meeting names (meeting create
		 * --president-member): the casting vote and the proxies the
		 * statutes give him. */
		if (m->president_member[0] != '\0' &&
		    strcmp(mb->id, m->president_member) == 0)
			mb->roles = CT_ROLE_PRESIDENT;
		v = (const char *)sqlite3_column_text(s, 10);
		f->presence[f->n] = strcmp(v, "present") == 0 ? CT_PRESENT :
		    strcmp(v, "remote") == 0 ? CT_REMOTE : CT_ABSENT;
		f->voter[f->n] = sqlite3_column_int(s, 11);
		f->n++;
	}
	sqlite3_finalize(s);
	/* The draw's inputs and the mail-in voters, as the record holds
	 * them (proxy_draw.c, mailin_vote.c). */
	if (proxy_draw_load(st, m, f) != 0 ||
	    mailin_facts_load(st, m, f) != 0) {
		facts_free(f);
		return -1;
	}
	return 0;
}

void
facts_meeting(const struct mrow *m, struct facts *f, struct ct_meeting *cm)
{
	memset(cm, 0, sizeof *cm);
	cm->body = m->body;
	cm->date = f->day;
	/* The scheduled start, as the verifier reads the record's meeting
	 * event (audit_statutes_set_start). */
	if (m->has_start) {
		cm->has_start = true;
		cm->start_minutes = atoi(m->time) * 60 + atoi(m->time + 3);
	}
	if (m->quorum[0] != '\0') {
		/* Checked by meeting_create; unreadable: no override, and
		 * the engine refuses the count. */
		json_error_t e;
		json_t *j = json_loads(m->quorum, JSON_DECODE_ANY, &e);
		char err[160];
		cm->has_quorum_override = j != NULL &&
		    audit_quorum_parse(j, &cm->quorum, err, sizeof err) == 0;
		json_decref(j);
	}
	/* The convocation's date (meeting_convene): the statutes' roll
	 * freeze counts the members registered by then. */
	if (m->convocation[0] != '\0' &&
	    st_date_parse(m->convocation, &cm->convocation_date) == 0)
		cm->has_convocation_date = true;
	/* A second convocation (meeting_create checked the statutes
	 * provide it): the engine's quorum says so, with no threshold. */
	cm->second_convocation = m->second[0] != '\0';
	cm->n_members = f->n;
	cm->members = f->members;
	cm->presence = f->presence;
	proxy_draw_meeting(f, cm);
	mailin_facts_meeting(f, cm);
}

/* The meeting's facts now (f, cm) and the engine's standing of its
 * members (res: ct_count with no question). 0, or -1 with nothing left
 * to free. */
static int
facts_standing(struct store *st, const struct profile *p,
    const struct mrow *m, struct facts *f, struct ct_meeting *cm,
    struct ct_result *res)
{
	struct st_msg err;

	if (facts_load(st, m, f) != 0)
		return -1;
	facts_meeting(m, f, cm);
	if (ct_count(p, cm, NULL, 0, res, &err) != 0) {
		facts_free(f);
		return -1;
	}
	return 0;
}

/* Voters present or remote now, in the engine's standing of the
 * meeting (as ct_count counts them for the fraction trigger); -1 on
 * error. A meeting in draft has nobody present. */
int64_t
members_present(struct store *st, const struct profile *p,
    const struct mrow *m)
{
	struct facts f;
	struct ct_meeting cm;
	struct ct_result res;
	int64_t n = 0;

	if (strcmp(m->status, "draft") == 0)
		return 0;
	if (facts_standing(st, p, m, &f, &cm, &res) != 0)
		return -1;
	for (size_t i = 0; i < cm.n_members; i++)
		n += res.members[i].voter &&
		    (res.members[i].mode == CT_MODE_PRESENT ||
		     res.members[i].mode == CT_MODE_REMOTE);
	ct_result_free(&res);
	facts_free(&f);
	return n;
}

int64_t
members_absent(struct store *st, const struct profile *p,
    const struct mrow *m, char *names, size_t cap)
{
	struct facts f;
	struct ct_meeting cm;
	struct ct_result res;
	size_t abs[8], n, len = 0;

	names[0] = '\0';
	if (facts_standing(st, p, m, &f, &cm, &res) != 0)
		return -1;
	n = ct_unanimity_absent(&res, abs, 8);
	for (size_t i = 0; i < n && i < 8 && len + 1 < cap; i++) {
		int w = snprintf(names + len, cap - len, "%s%s%s", i ? ", " : "",
		    f.members[abs[i]].name ? f.members[abs[i]].name :
		    f.members[abs[i]].id, i == 7 && n > 8 ? "…" : "");
		if (w < 0)
			break;
		len += (size_t)w < cap - len ? (size_t)w : cap - len - 1;
	}
	ct_result_free(&res);
	facts_free(&f);
	return (int64_t)n;
}

/* ---- attendance and quorum ---- */

/* The attendance object of the view: the members there now, and the
 * quorum as the statutes engine counts it on them and on the proxies in
 * force now (quorum_json, the same object as a result's). */
json_t *
attendance_json(struct mctx *c, struct store *st, const struct mrow *m)
{
	const struct profile *p;
	struct facts f;
	struct ct_meeting cm;
	struct ct_result res;
	struct proxy_facts pf;
	struct st_msg err;
	size_t present = 0, remote = 0, voters = 0;
	json_t *q, *o;

	if (strcmp(m->status, "draft") == 0)
		return json_pack("{s:i,s:i,s:i,s:{s:s}}", "present", 0,
		    "remote", 0, "voters", 0, "quorum", "status", "unknown");
	if (facts_load(st, m, &f) != 0)
		return json_pack("{s:{s:s}}", "quorum", "status", "unknown");
	for (size_t i = 0; i < f.n; i++) {
		present += f.presence[i] == CT_PRESENT;
		remote += f.presence[i] == CT_REMOTE;
		voters += f.voter[i] ? 1 : 0;
	}
	p = m_profile(c, st, m->id);
	facts_meeting(m, &f, &cm);
	memset(&pf, 0, sizeof pf);
	if (p == NULL) {
		q = json_pack("{s:s,s:s}", "status", "unknown", "error",
		    "profil illisible");
	} else if (proxy_current_facts(st, m, &f, &pf) != 0) {
		q = json_pack("{s:s,s:s}", "status", "unknown", "error",
		    "procurations illisibles");
	} else if (cm.n_proxies = pf.n, cm.proxies = pf.px,
	    ct_count(p, &cm, NULL, 0, &res, &err) != 0) {
		q = json_pack("{s:s,s:s,s:s}", "status", "unknown", "error", err.fr,
		    "error_en", err.en);
	} else {
		q = quorum_json(&res);
		ct_result_free(&res);
	}
	if (c == NULL)
		free((void *)p);
	o = json_pack("{s:I,s:I,s:I,s:o}", "present", (json_int_t)present,
	    "remote", (json_int_t)remote, "voters", (json_int_t)voters,
	    "quorum", q);
	proxy_facts_free(&pf);
	facts_free(&f);
	return o;
}

/* Looks up a credential of a meeting: OUT member id, voter flag.
 * Returns NULL on success or an error code. */
const char *
voice_lookup(struct store *st, const char *meeting, const uint8_t pk[32],
    int64_t *member_id, int *voter)
{
	sqlite3_stmt *s = store_cached(st, st->roll,
	    "SELECT c.status, c.member_id, r.voter FROM credentials c LEFT"
	    " JOIN meeting_roll r ON r.meeting = c.meeting AND r.member_id ="
	    " c.member_id WHERE c.pk = ?1 AND c.meeting = ?2");
	const char *code = "credential_unknown";

	*voter = 0;
	if (s != NULL && sqlite3_bind_blob(s, 1, pk, 32, SQLITE_TRANSIENT) ==
	        SQLITE_OK && store_bind_text(s, 2, meeting) == 0 &&
	    sqlite3_step(s) == SQLITE_ROW) {
		*member_id = sqlite3_column_int64(s, 1);
		if (strcmp((const char *)sqlite3_column_text(s, 0),
		        "active") != 0)
			code = "credential_revoked";
		else if (sqlite3_column_type(s, 2) == SQLITE_NULL)
			code = "not_eligible";	/* not on the frozen roll */
		else {
			*voter = sqlite3_column_int(s, 2);
			code = NULL;
		}
	}
	store_release(st, s);
	return code;
}

int
opening_present(struct store *st, const char *meeting, const char *qid,
    int64_t member_id)
{
	sqlite3_stmt *s = store_cached(st, st->roll, "SELECT 1 FROM"
	    " opening_attendance WHERE meeting = ?1 AND qid = ?2 AND"
	    " member_id = ?3");
	int found = s != NULL && store_bind_text(s, 1, meeting) == 0 &&
	    store_bind_text(s, 2, qid) == 0 &&
	    sqlite3_bind_int64(s, 3, member_id) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW;

	store_release(st, s);
	return found;
}

/* A check-in or check-out as its request says it. */
struct attend_req {
	uint8_t pk[32], sig[64];
	const char *action;	/* "check-in" or "check-out" */
	const char *mode;	/* check-in: "present" or "remote"; else NULL */
	uint64_t ts;
	int checkin;
};

/* Decodes the body {pk, action, mode (check-in only), ts, sig} into a;
 * OUT *doc, which a's strings borrow from (the caller frees it). 0, or
 * -1 with r. */
static int
attend_decode(const struct api_call *call, json_t **doc,
    struct attend_req *a, struct mreply *r)
{
	static const char *keys[] = { "pk", "action", "?mode", "ts", "sig" };

	a->mode = NULL;
	if (mj_parse(call->body, call->len, keys, 5, doc, r) != 0)
		return -1;
	if (mj_hex(*doc, "pk", a->pk, 32, r) != 0 ||
	    mj_str(*doc, "action", 16, &a->action, r) != 0 ||
	    mj_u64(*doc, "ts", UINT32_MAX * 4ull, &a->ts, r) != 0 ||
	    mj_hex(*doc, "sig", a->sig, 64, r) != 0)
		return -1;
	a->checkin = strcmp(a->action, "check-in") == 0;
	if (!a->checkin && strcmp(a->action, "check-out") != 0) {
		mr_err(r, "invalid_field", "action");
		return -1;
	}
	if (a->checkin) {
		if (json_object_get(*doc, "mode") == NULL) {
			mr_err(r, "missing_field", "mode");
			return -1;
		}
		if (mj_str(*doc, "mode", 16, &a->mode, r) != 0)
			return -1;
		if (strcmp(a->mode, "present") != 0 &&
		    strcmp(a->mode, "remote") != 0) {
			mr_err(r, "invalid_field", "mode");
			return -1;
		}
	} else if (json_object_get(*doc, "mode") != NULL) {
		mr_err(r, "unknown_field", "mode");
		return -1;
	}
	return 0;
}

/* The member's statement (docs/record.md §5: "checkin" / "checkout"; the
 * API's action names keep their hyphen) checked against its key: 0 when
 * the signature holds. */
static int
attend_verify(const struct mrow *m, const struct attend_req *a)
{
	uint8_t buf[512];
	framebuf fb;

	stmt_begin(&fb, buf, sizeof buf, a->checkin ? "checkin" : "checkout");
	stmt_str(&fb, m->id);
	framebuf_field(&fb, a->pk, 32);
	if (a->checkin)
		stmt_str(&fb, a->mode);
	framebuf_field_u64(&fb, a->ts);
	return stmt_verify(&fb, a->pk, a->sig);
}

/*
 * Stores member_id's new attendance state with its event and, once the
 * record exists, its record line, in one transaction. 0 when stored
 * (*at is now), 1 when the member is in that state already (*at: since
 * when; nothing written), -1 on a storage error (nothing written).
 */
static int
attend_store(struct store *st, const struct mrow *m,
    const struct attend_req *a, int64_t member_id, const char *newstate,
    uint64_t *at)
{
	sqlite3_stmt *s = NULL;
	json_t *ev = NULL;
	char hex[129];
	int rc = -1;

	if (store_begin(st) != 0)
		return -1;
	s = store_prepare(st->roll, "SELECT state, at FROM attendance WHERE"
	    " meeting = ?1 AND member_id = ?2");
	if (s == NULL || store_bind_text(s, 1, m->id) != 0 ||
	    sqlite3_bind_int64(s, 2, member_id) != SQLITE_OK)
		goto fail;
	if (sqlite3_step(s) == SQLITE_ROW &&
	    strcmp((const char *)sqlite3_column_text(s, 0), newstate) == 0) {
		*at = (uint64_t)sqlite3_column_int64(s, 1);
		store_rollback(st);
		rc = 1;
		goto out;
	}
	sqlite3_finalize(s);
	s = store_prepare(st->roll, "INSERT INTO attendance(meeting, member_id,"
	    " state, at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT(meeting,"
	    " member_id) DO UPDATE SET state = excluded.state, at ="
	    " excluded.at");
	if (s == NULL || store_bind_text(s, 1, m->id) != 0 ||
	    sqlite3_bind_int64(s, 2, member_id) != SQLITE_OK ||
	    store_bind_text(s, 3, newstate) != 0 ||
	    sqlite3_bind_int64(s, 4, (sqlite3_int64)*at) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_DONE)
		goto fail;
	xhex_encode(hex, sizeof hex, a->pk, 32);
	{
		char shex[129];
		xhex_encode(shex, sizeof shex, a->sig, 64);
		ev = json_pack("{s:s,s:s,s:s,s:s,s:I,s:s}", "meeting", m->id,
		    "pk", hex, "action", a->action, "mode", a->checkin ?
		    a->mode : "", "ts", (json_int_t)a->ts, "sig", shex);
	}
	{
		json_t *rp = a->checkin ? json_pack("{s:s,s:s,s:I,s:O}", "pk",
		    hex, "mode", a->mode, "ts", (json_int_t)a->ts, "sig",
		    json_object_get(ev, "sig")) : json_pack("{s:s,s:I,s:O}",
		    "pk", hex, "ts", (json_int_t)a->ts, "sig",
		    json_object_get(ev, "sig"));
		int ex = record_exists(st, m->id);
		int rok = rp != NULL && ex >= 0 && (ex == 0 ||
		    store_record_append(st, m->id, a->checkin ? "checkin" :
		        "checkout", rp) == 0);
		json_decref(rp);
		if (!rok)
			goto fail;
	}
	if (store_event_record(st, "attendance", ev, NULL) != 0 ||
	    store_commit(st) != 0)
		goto fail;
	rc = 0;
	goto out;
fail:
	store_rollback(st);
out:
	json_decref(ev);
	sqlite3_finalize(s);
	return rc;
}

/* The server's signed acknowledgement of the attendance state at time at
 * ("attendance-recorded"). */
static void
attend_ack(struct mctx *c, const struct mrow *m, const struct attend_req *a,
    const char *newstate, uint64_t at, struct mreply *r)
{
	uint8_t buf[512], ack[64];
	framebuf fb;
	char hex[129];

	stmt_begin(&fb, buf, sizeof buf, "attendance-recorded");
	stmt_str(&fb, m->id);
	framebuf_field(&fb, a->pk, 32);
	stmt_str(&fb, a->action);
	framebuf_field_u64(&fb, at);
	if (stmt_sign(&fb, c->sk, ack) != 0) {
		mr_err(r, "unavailable", NULL);
		return;
	}
	xhex_encode(hex, sizeof hex, ack, 64);
	mr_ok(r, json_pack("{s:s,s:I,s:s}", "attendance", newstate, "at",
	    (json_int_t)at, "server_sig", hex));
}

void
api_attend(struct mctx *c, const struct mrow *m, const struct api_call *call,
    struct mreply *r)
{
	struct attend_req a;
	json_t *doc = NULL;
	const char *code, *newstate;
	uint64_t at = now_unix();
	int64_t member_id = 0;
	int voter, stored;

	if (attend_decode(call, &doc, &a, r) != 0)
		goto out;
	if (strcmp(m->status, "live") != 0) {
		mr_err(r, "wrong_phase", NULL);
		goto out;
	}
	/* Remote attendance the statutes do not provide for would make the
	 * quorum unknown (the engine refuses the facts): refused here. */
	if (a.checkin && strcmp(a.mode, "remote") == 0 &&
	    m_remote_allowed(c, m) != 1) {
		mr_err(r, m_remote_allowed(c, m) < 0 ? "unavailable" :
		    "remote_not_allowed", NULL);
		goto out;
	}
	if (!ts_fresh(a.ts)) {
		mr_err(r, "stale_timestamp", NULL);
		goto out;
	}
	if ((code = voice_lookup(c->st, m->id, a.pk, &member_id, &voter)) !=
	    NULL) {
		mr_err(r, code, NULL);
		goto out;
	}
	if (attend_verify(m, &a) != 0) {
		mr_err(r, "bad_signature", NULL);
		goto out;
	}
	newstate = a.checkin ? a.mode : "absent";
	if ((stored = attend_store(c->st, m, &a, member_id, newstate, &at)) <
	    0) {
		mr_err(r, "unavailable", NULL);
		goto out;
	}
	if (stored == 0)
		part_touch(c, m->id, "");
	attend_ack(c, m, &a, newstate, at, r);
out:
	json_decref(doc);
}

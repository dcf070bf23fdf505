/*
 * record.c — builds the payloads of the public election record
 * (docs/record.md §4) from the store and appends them (record.h).
 *
 * Trusts the store (its own schema) and the callers (they have verified
 * every signature and proof before calling). Invariants: called inside
 * the transaction of the change; nothing here decides whether a change
 * is allowed except the one rule of the record the roll code cannot see
 * (no new member credential after roll.frozen); the payload fields are
 * exactly those of docs/record.md, no more (the verifier rejects unknown
 * fields).
 */
#include "server/record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "audit/qdigest.h"
#include "ballot-formats/count.h"
#include "ballot-formats/profile.h"
#include "server/meeting_int.h"

static json_t *
hexstr(const void *p, size_t n)
{
	char *h = xmalloc(2 * n + 1);
	json_t *v;

	xhex_encode(h, 2 * n + 1, p, n);
	v = json_string(h);
	free(h);
	return v;
}

/* Appends and releases payload (NULL: out of memory, an error). */
static int
put(struct store *st, const char *meeting, const char *kind, json_t *payload)
{
	int rc = payload != NULL ? store_record_append(st, meeting, kind,
	    payload) : -1;

	json_decref(payload);
	return rc;
}

int
record_exists(struct store *st, const char *meeting)
{
	return store_record_has(st, meeting, "meeting", NULL);
}

int
record_frozen(struct store *st, const char *meeting)
{
	return store_record_has(st, meeting, "roll.frozen", NULL);
}

/* credential.issued for one credential (the member's category and dues
 * as the statutes engine sees them on the meeting date, under the
 * voters' dues rule of the meeting's body; "president": true for the
 * president the meeting names). */
static int
cred_issued(struct store *st, const char *meeting, int64_t member_id,
    const uint8_t pk[32])
{
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT m.category,"
	    " m.dues_paid, g.date, m.birth_date, g.body,"
	    " g.president_member IS m.member_no, m.joined, g.convocation_date"
	    " FROM members m, meetings g"
	    " WHERE m.id = ?1 AND g.id = ?2");
	const struct profile *pr = m_profile(NULL, st, meeting);
	const struct pr_body *b;
	const char *birth, *joined, *conv;
	json_t *p = NULL;
	int32_t day, born, reg, cday;
	int rc = -1;

	if (pr == NULL || s == NULL ||
	    sqlite3_bind_int64(s, 1, member_id) != SQLITE_OK ||
	    store_bind_text(s, 2, meeting) != 0 ||
	    sqlite3_step(s) != SQLITE_ROW ||
	    st_date_parse((const char *)sqlite3_column_text(s, 2), &day) != 0 ||
	    (b = profile_body_find(pr, (const char *)sqlite3_column_text(s,
	        4))) == NULL)
		goto out;
	p = json_pack("{s:o,s:s,s:b}", "pk", hexstr(pk, 32), "category",
	    (const char *)sqlite3_column_text(s, 0), "dues_paid",
	    meeting_dues(&b->voters.dues, (const char *)sqlite3_column_text(s,
	        1), day) == CT_YES);
	/* Of age at the meeting date, when the roll gives a birth date: what
	 * the statutes count of it (a minor's vote or candidacy), never the
	 * date itself (docs/record.md §4). */
	birth = (const char *)sqlite3_column_text(s, 3);
	if (p != NULL && birth != NULL && birth[0] != '\0' &&
	    st_date_parse(birth, &born) == 0)
		json_object_set_new(p, "adult",
		    json_boolean(st_date_age(born, day) >= 18));
	if (p != NULL && sqlite3_column_int(s, 5))
		json_object_set_new(p, "president", json_true());
	/* Registered by the voters' roll freeze, when the statutes freeze
	 * the roll and the roll gives the registration date: the engine's
	 * fact at the convocation's date, never the date itself. */
	joined = (const char *)sqlite3_column_text(s, 6);
	conv = (const char *)sqlite3_column_text(s, 7);
	if (p != NULL && b->voters.freeze != PR_FREEZE_NONE &&
	    joined != NULL && st_date_parse(joined, &reg) == 0 &&
	    conv != NULL && st_date_parse(conv, &cday) == 0)
		json_object_set_new(p, "registered_in_time", json_boolean(
		    reg <= ct_freeze_cutoff(&b->voters, cday)));
	rc = put(st, meeting, "credential.issued", p);
out:
	sqlite3_finalize(s);
	free((void *)pr);
	return rc;
}

int
record_meeting(struct store *st, const char *meeting)
{
	static const char *info[] = { "association", "place", "time",
	    "president", "secretary" };
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT title, date, body,"
	    " profile_id, profile_yaml, quorum, association, place, time,"
	    " president, secretary, starts_at, second_convocation FROM"
	    " meetings WHERE id = ?1");
	uint8_t pk[32], h[crypto_hash_sha256_BYTES];
	json_t *p = NULL;
	int rc = -1, r;

	if (s == NULL || store_bind_text(s, 1, meeting) != 0 ||
	    sqlite3_step(s) != SQLITE_ROW || store_key(st, pk) == NULL)
		goto out;
	crypto_hash_sha256(h, sqlite3_column_blob(s, 4),
	    (unsigned long long)sqlite3_column_bytes(s, 4));
	p = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:{s:s,s:o,s:o}}",
	    "format", "scrutin-record/1", "meeting_id", meeting,
	    "protocol", QDIGEST_PROTOCOL_V2,
	    "title", (const char *)sqlite3_column_text(s, 0),
	    "date", (const char *)sqlite3_column_text(s, 1),
	    "body", (const char *)sqlite3_column_text(s, 2),
	    "server_pk", hexstr(pk, 32),
	    "profile", "id", (const char *)sqlite3_column_text(s, 3),
	    "sha256", hexstr(h, sizeof h),
	    "text", json_stringn(sqlite3_column_blob(s, 4),
	        (size_t)sqlite3_column_bytes(s, 4)));
	if (p != NULL && sqlite3_column_type(s, 5) == SQLITE_TEXT) {
		/* The meeting's own quorum (meeting_create checked it). */
		json_error_t e;
		json_t *q = json_loads((const char *)sqlite3_column_text(s, 5),
		    JSON_DECODE_ANY, &e);
		if (q == NULL) {
			json_decref(p);
			p = NULL;
		} else
			json_object_set_new(p, "quorum", q);
	}
	/* What the minutes say of the meeting, when given (meeting_create
	 * checked each). */
	for (int i = 0; p != NULL && i < 5; i++)
		if (sqlite3_column_type(s, 6 + i) == SQLITE_TEXT)
			json_object_set_new(p, info[i], json_string((const char *)
			    sqlite3_column_text(s, 6 + i)));
	/* The scheduled start, with the time (meeting_create): the
	 * proxies' deadline (docs/record.md §4). */
	if (p != NULL && sqlite3_column_type(s, 8) == SQLITE_TEXT &&
	    sqlite3_column_type(s, 11) == SQLITE_INTEGER)
		json_object_set_new(p, "starts_at", json_integer(
		    sqlite3_column_int64(s, 11)));
	/* A second convocation (meeting_create): the first meeting's
	 * date (docs/record.md §4). */
	if (p != NULL && sqlite3_column_type(s, 12) == SQLITE_TEXT)
		json_object_set_new(p, "second_convocation", json_pack(
		    "{s:s}", "first_meeting_date",
		    (const char *)sqlite3_column_text(s, 12)));
	sqlite3_finalize(s);
	s = NULL;
	if (put(st, meeting, "meeting", p) != 0)
		goto out;
	/* Credentials issued before the meeting existed. */
	s = store_prepare(st->roll, "SELECT member_id, pk FROM credentials"
	    " WHERE meeting = ?1 AND status = 'active' ORDER BY id");
	if (s == NULL || store_bind_text(s, 1, meeting) != 0)
		goto out;
	while ((r = sqlite3_step(s)) == SQLITE_ROW)
		if (sqlite3_column_bytes(s, 1) != 32 ||
		    cred_issued(st, meeting, sqlite3_column_int64(s, 0),
		        sqlite3_column_blob(s, 1)) != 0)
			goto out;
	/* Signed from the start: anyone may download the record
	 * (GET …/record serves it up to its last checkpoint). */
	rc = r == SQLITE_DONE ? store_record_checkpoint(st, meeting) : -1;
out:
	sqlite3_finalize(s);
	return rc;
}

int
record_cred_issued(struct store *st, const char *meeting, int64_t member_id,
    const uint8_t pk[32])
{
	int e = record_exists(st, meeting), f;

	if (e <= 0)
		return e;
	if ((f = record_frozen(st, meeting)) != 0)
		return f < 0 ? -1 : -2;
	return cred_issued(st, meeting, member_id, pk);
}

/* 1 if pk entered the record (issued or reissued as new). */
static int
cred_in_record(struct store *st, const char *meeting, const uint8_t pk[32])
{
	char h[65], like1[80], like2[80];
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT 1 FROM events WHERE"
	    " meeting = ?1 AND ((kind = 'credential.issued' AND instr(line,"
	    " ?2) > 0) OR (kind = 'credential.reissued' AND instr(line, ?3) >"
	    " 0)) LIMIT 1");
	int rc = -1, r;

	xhex_encode(h, sizeof h, pk, 32);
	snprintf(like1, sizeof like1, "\"pk\":\"%s\"", h);
	snprintf(like2, sizeof like2, "\"new\":\"%s\"", h);
	if (s == NULL || store_bind_text(s, 1, meeting) != 0 ||
	    store_bind_text(s, 2, like1) != 0 ||
	    store_bind_text(s, 3, like2) != 0)
		goto out;
	r = sqlite3_step(s);
	rc = r == SQLITE_ROW ? 1 : r == SQLITE_DONE ? 0 : -1;
out:
	sqlite3_finalize(s);
	return rc;
}

int
record_cred_revoked(struct store *st, const char *meeting,
    const uint8_t pk[32])
{
	int e = record_exists(st, meeting);

	if (e <= 0)
		return e;
	if ((e = cred_in_record(st, meeting, pk)) <= 0)
		return e;
	return put(st, meeting, "credential.revoked", json_pack("{s:o}", "pk",
	    hexstr(pk, 32)));
}

int
record_cred_reissued(struct store *st, const char *meeting,
    const uint8_t old_pk[32], const uint8_t new_pk[32])
{
	int e = record_exists(st, meeting);

	if (e <= 0)
		return e;
	if ((e = cred_in_record(st, meeting, old_pk)) < 0)
		return -1;
	if (e == 0) {
		/* The old key never entered the record (issued before the
		 * meeting existed and revoked since): a plain issue. */
		sqlite3_stmt *s = store_prepare(st->roll, "SELECT member_id"
		    " FROM credentials WHERE pk = ?1");
		int64_t mid = 0;
		int ok = s != NULL && sqlite3_bind_blob(s, 1, new_pk, 32,
		    SQLITE_TRANSIENT) == SQLITE_OK &&
		    sqlite3_step(s) == SQLITE_ROW;
		if (ok)
			mid = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
		return ok ? record_cred_issued(st, meeting, mid, new_pk) : -1;
	}
	return put(st, meeting, "credential.reissued", json_pack("{s:o,s:o}",
	    "old", hexstr(old_pk, 32), "new", hexstr(new_pk, 32)));
}

int
record_freeze(struct store *st, const char *meeting)
{
	sqlite3_stmt *s;
	int e = record_exists(st, meeting), f, rc = -1;

	if (e <= 0)
		return e;
	if ((f = record_frozen(st, meeting)) != 0)
		return f < 0 ? -1 : 0;
	s = store_prepare(st->roll, "SELECT count(*), (SELECT"
	    " convocation_date FROM meetings WHERE id = ?1) FROM credentials"
	    " WHERE meeting = ?1 AND status = 'active'");
	if (s != NULL && store_bind_text(s, 1, meeting) == 0 &&
	    sqlite3_step(s) == SQLITE_ROW) {
		json_t *p = json_pack("{s:I}", "count",
		    (json_int_t)sqlite3_column_int64(s, 0));
		/* The convocation's date (meeting_convene): the statutes'
		 * roll freeze, docs/record.md §4. */
		if (p != NULL && sqlite3_column_type(s, 1) == SQLITE_TEXT)
			json_object_set_new(p, "convocation_date", json_string(
			    (const char *)sqlite3_column_text(s, 1)));
		rc = put(st, meeting, "roll.frozen", p);
	}
	sqlite3_finalize(s);
	return rc;
}

/* {"ts", "time"} of a meeting.started / meeting.ended. */
static json_t *
when_json(int64_t ts)
{
	time_t t = (time_t)ts;
	struct tm tm;
	char hm[8];

	if (localtime_r(&t, &tm) == NULL)
		return NULL;
	snprintf(hm, sizeof hm, "%02d:%02d", tm.tm_hour % 24, tm.tm_min % 60);
	return json_pack("{s:I,s:s}", "ts", (json_int_t)ts, "time", hm);
}

static char web_digest[65];

void
record_web_digest_set(const char *hex)
{
	snprintf(web_digest, sizeof web_digest, "%s", hex != NULL ? hex : "");
}

int
record_started(struct store *st, const char *meeting, int64_t ts)
{
	int e = record_exists(st, meeting);
	json_t *p;

	if (e <= 0)
		return e;
	p = when_json(ts);
	if (p != NULL && web_digest[0] != '\0')
		json_object_set_new(p, "web", json_string(web_digest));
	if (put(st, meeting, "meeting.started", p) != 0)
		return -1;
	return store_record_checkpoint(st, meeting);
}

int
record_ended(struct store *st, const char *meeting, int64_t ts)
{
	sqlite3_stmt *s;
	json_t *p, *ag;
	int e = store_record_has(st, meeting, "meeting.started", NULL), r;

	if (e <= 0)
		return e;
	s = store_prepare(st->roll, "SELECT qid, spec FROM questions"
	    " WHERE meeting = ?1 ORDER BY position, qid");
	if (s == NULL || store_bind_text(s, 1, meeting) != 0 ||
	    (p = when_json(ts)) == NULL) {
		sqlite3_finalize(s);
		return -1;
	}
	ag = json_array();
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		json_t *spec = json_loads((const char *)sqlite3_column_text(s,
		    1), 0, NULL);
		const char *title = json_string_value(json_object_get(spec,
		    "title"));
		json_array_append_new(ag, json_pack("{s:s,s:s}", "qid",
		    (const char *)sqlite3_column_text(s, 0), "label",
		    title != NULL ? title : ""));
		json_decref(spec);
	}
	sqlite3_finalize(s);
	json_object_set_new(p, "agenda", ag);
	if (r != SQLITE_DONE) {
		json_decref(p);
		return -1;
	}
	if (put(st, meeting, "meeting.ended", p) != 0)
		return -1;
	return store_record_checkpoint(st, meeting);
}

int
record_question_recordable(const json_t *spec)
{
	const char *kind = json_string_value(json_object_get(spec, "kind"));

	/* Every question: secret or open (show of hands), motion or
	 * election (its blank choice is the record's blank choice). An
	 * election whose candidate has no credential in the record stays
	 * out (record_question_opened decides, the event tells). */
	return kind != NULL && (strcmp(kind, "motion") == 0 ||
	    strcmp(kind, "election") == 0);
}

/* The motion choices of docs/record.md: ids pour/contre/abstention. */
static json_t *
motion_choices(void)
{
	return json_pack("[{s:s,s:s},{s:s,s:s},{s:s,s:s}]",
	    "id", "pour", "label", "Pour", "id", "contre", "label", "Contre",
	    "id", "abstention", "label", "Abstention");
}

/* The credential of member number mno that is in meeting's record (its
 * active one first) as hex in *pk, and his name (« Prénom Nom », the
 * roll's, as server/attendance.c facts_load gives it to the engine) in
 * *name when name is not NULL (the caller frees both): 1, 0 when he has
 * none in the record, -1 on error. */
static int
member_record_cred(struct store *st, const char *meeting, const char *mno,
    json_t **pk, char **name)
{
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT c.pk,"
	    " display_name(m.first_name, m.last_name) FROM credentials c"
	    " JOIN members m ON m.id = c.member_id WHERE m.member_no ="
	    " ?1 AND c.meeting = ?2 ORDER BY c.status = 'active' DESC, c.id");
	int r = SQLITE_ERROR, rc = -1;

	*pk = NULL;
	if (name != NULL)
		*name = NULL;
	if (s == NULL || store_bind_text(s, 1, mno) != 0 ||
	    store_bind_text(s, 2, meeting) != 0)
		goto out;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		int in;
		if (sqlite3_column_bytes(s, 0) != 32 ||
		    (in = cred_in_record(st, meeting,
		        sqlite3_column_blob(s, 0))) < 0)
			goto out;
		if (in == 0)
			continue;
		*pk = hexstr(sqlite3_column_blob(s, 0), 32);
		if (name != NULL)
			*name = xstrdup((const char *)sqlite3_column_text(s,
			    1));
		rc = 1;
		goto out;
	}
	rc = r == SQLITE_DONE ? 0 : -1;
out:
	sqlite3_finalize(s);
	return rc;
}

/* The election choices of docs/record.md: each candidate with a
 * credential of the record (the member's active one first) and, as its
 * label, the name the statutes engine gives in the sentence (the roll's
 * « Prénom Nom », server/member_name.c, as server/attendance.c facts_load
 * gives it), then the blank choice.
 * NULL with *missing = 1 when a candidate has no credential in the
 * record (the election then stays out of it); NULL, *missing = 0 on
 * error. */
static json_t *
election_choices(struct store *st, const char *meeting, const json_t *spec,
    int *missing)
{
	json_t *cs = json_object_get(spec, "candidates"), *c, *out;
	size_t i;

	*missing = 0;
	out = json_array();
	json_array_foreach(cs, i, c) {
		const char *mno = json_string_value(json_object_get(c,
		    "member"));
		const char *decl = json_string_value(json_object_get(c,
		    "declared"));
		json_t *ch, *pk = NULL;
		char id[32], *name = NULL;
		int r = mno != NULL ? member_record_cred(st, meeting, mno, &pk,
		    &name) : -1;

		if (r <= 0) {
			*missing = r == 0;
			goto fail;
		}
		snprintf(id, sizeof id, "c%zu", i + 1);
		ch = json_pack("{s:s,s:s,s:o}", "id", id, "label", name,
		    "member", pk);
		free(name);
		if (ch == NULL)
			goto fail;
		if (decl != NULL)
			json_object_set_new(ch, "declared", json_string(decl));
		json_array_append_new(out, ch);
	}
	json_array_append_new(out, json_pack("{s:s,s:s,s:b}", "id", "blanc",
	    "label", "Vote blanc", "blank", 1));
	return out;
fail:
	json_decref(out);
	return NULL;
}

/* The round of a two-round election method (1, or the spec's 2 for a
 * second round), 0 otherwise: what the server's count gives the
 * statutes engine (server/result.c). -1 on error. */
static int
election_round(struct store *st, const char *meeting, const char *rule,
    const json_t *spec)
{
	const struct profile *p = m_profile(NULL, st, meeting);
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT body FROM meetings"
	    " WHERE id = ?1");
	const struct pr_body *pb;
	const struct pr_election *pe;
	int rc = -1;

	if (p == NULL || s == NULL || store_bind_text(s, 1, meeting) != 0 ||
	    sqlite3_step(s) != SQLITE_ROW)
		goto out;
	pb = profile_body_find(p, (const char *)sqlite3_column_text(s, 0));
	pe = pb != NULL ? profile_election_find(pb, rule) : NULL;
	rc = pe != NULL && pe->method == PR_METHOD_TWO_ROUND ?
	    (json_integer_value(json_object_get(spec, "round")) == 2 ? 2 : 1) :
	    0;
out:
	sqlite3_finalize(s);
	free((void *)p);
	return rc;
}

/* The question's recused members (server/recusal.c) into p's
 * "recused": their credentials in the record (docs/record.md §4). -1
 * when one has none there, or on error. */
static int
recused_json(struct store *st, const char *meeting, const json_t *spec,
    json_t *p)
{
	const json_t *rec = json_object_get(spec, "recused"), *v;
	json_t *out, *pk;
	size_t i;

	if (json_array_size(rec) == 0)
		return 0;
	out = json_array();
	json_array_foreach(rec, i, v) {
		const char *mno = json_string_value(v);
		if (mno == NULL || member_record_cred(st, meeting, mno, &pk,
		    NULL) != 1) {
			json_decref(out);
			return -1;
		}
		json_array_append_new(out, pk);
	}
	return json_object_set_new(p, "recused", out);
}

/* An amendment's "amends", "amendment" and "supporters", a motion's
 * "amended_by" (server/amendment.c, docs/record.md) onto the
 * question.opened payload p. */
static void
record_amendment_fields(const json_t *spec, json_t *p)
{
	static const char *const keys[] = { "amends", "amendment",
		"supporters", "amended_by" };

	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (json_object_get(spec, keys[i]) != NULL)
			json_object_set(p, keys[i], json_object_get(spec,
			    keys[i]));
}

/* The question.opened payload of a question (docs/record.md §4), as
 * record_question_opened writes it and the mail-in window publishes it
 * (server/mailin.c). NULL: an election whose candidates are not all in
 * the record (*missing), or a failure. */
json_t *
record_question_payload(struct store *st, const char *meeting,
    const char *qid, const json_t *spec, int *missing)
{
	json_t *oa = json_object_get(spec, "on_agenda"), *choices, *p;
	const char *kind = json_string_value(json_object_get(spec, "kind"));
	const char *rule = json_string_value(json_object_get(spec, "rule"));
	int election, round = 0;

	*missing = 0;
	if (kind == NULL || rule == NULL)
		return NULL;
	election = strcmp(kind, "election") == 0;
	if (election) {
		if ((choices = election_choices(st, meeting, spec,
		    missing)) == NULL)
			return NULL;
		if ((round = election_round(st, meeting, rule, spec)) < 0) {
			json_decref(choices);
			return NULL;
		}
	} else
		choices = motion_choices();
	p = json_pack("{s:s,s:s,s:s,s:o,s:I,s:I,s:s,s:b,s:b}",
	    "qid", qid, "kind", election ? "election" : "motion",
	    "label", json_string_value(json_object_get(spec, "title")),
	    "choices", choices,
	    "min", json_integer_value(json_object_get(spec, "min")),
	    "max", json_integer_value(json_object_get(spec, "max")),
	    "rule", rule,
	    "secret", json_is_true(json_object_get(spec, "secret")),
	    "revote", 0);
	if (p != NULL && election) {
		json_object_set_new(p, "seats", json_integer(
		    json_integer_value(json_object_get(spec, "seats"))));
		if (round > 0)
			json_object_set_new(p, "round", json_integer(round));
		if (round == 2 && json_is_string(json_object_get(spec,
		    "round_of")))
			json_object_set(p, "round_of", json_object_get(spec,
			    "round_of"));
		/* A re-vote after an unresolved tie (server/revote.c)
		 * names the counted election it re-votes. */
		if (json_is_string(json_object_get(spec, "revote_of")))
			json_object_set(p, "revote_of", json_object_get(spec,
			    "revote_of"));
	}
	/* The live secret-ballot triggers (docs/record.md): the verifier
	 * gives them to the statutes engine, as the server's count does. */
	if (p != NULL && json_object_get(spec, "triggers") != NULL)
		json_object_set(p, "triggers", json_object_get(spec,
		    "triggers"));
	if (p != NULL && election) {
		/* The Bureau's sequence (A-IMI 12, docs/record.md): the post
		 * and whether it is the president's, as the count gives them
		 * to the engine. */
		const json_t *po = json_object_get(spec, "post");
		if (json_is_string(po))
			json_object_set(p, "post", (json_t *)po);
		if (json_is_true(json_object_get(spec, "president_post")))
			json_object_set_new(p, "president_post", json_true());
	} else if (p != NULL) {
		const char *g = json_string_value(json_object_get(spec,
		    "alternatives"));
		json_object_set_new(p, "on_agenda", json_boolean(oa == NULL ||
		    json_is_true(oa)));
		if (g != NULL)
			json_object_set_new(p, "alternatives", json_string(g));
		record_amendment_fields(spec, p);
	}
	if (p != NULL && recused_json(st, meeting, spec, p) != 0) {
		json_decref(p);
		return NULL;
	}
	return p;
}

int
record_question_opened(struct store *st, const char *meeting,
    const char *qid, const json_t *spec)
{
	int e = record_exists(st, meeting), missing = 0;
	json_t *p;

	if (e <= 0 || !record_question_recordable(spec))
		return e < 0 ? -1 : 0;
	if (record_freeze(st, meeting) != 0 ||
	    store_record_checkpoint(st, meeting) != 0)
		return -1;
	if ((p = record_question_payload(st, meeting, qid, spec,
	    &missing)) == NULL)
		return missing ? 0 : -1;
	return put(st, meeting, "question.opened", p);
}

int
record_mailin_opened(struct store *st, const char *meeting, int64_t ts,
    int64_t closes_at, json_t *questions)
{
	if (record_exists(st, meeting) != 1 || record_freeze(st, meeting) != 0)
		return -1;
	return put(st, meeting, "mailin.opened", json_pack("{s:I,s:I,s:O}",
	    "ts", (json_int_t)ts, "closes_at", (json_int_t)closes_at,
	    "questions", questions));
}

static int
in_record(struct store *st, const char *meeting, const char *qid)
{
	return store_record_has(st, meeting, "question.opened", qid);
}

int
record_question_closed(struct store *st, const char *meeting,
    const char *qid, int64_t counted, const uint8_t *totals, size_t e)
{
	json_t *p;
	int r = in_record(st, meeting, qid);

	if (r <= 0)
		return r;
	p = json_pack("{s:s,s:I}", "qid", qid, "counted", (json_int_t)counted);
	if (p != NULL && totals != NULL) {
		/* A secret question's sums; an open one has none. */
		json_t *t = json_array();
		for (size_t i = 0; i < e; i++)
			json_array_append_new(t, hexstr(totals + 64 * i, 64));
		json_object_set_new(p, "totals", t);
	}
	if (put(st, meeting, "question.closed", p) != 0)
		return -1;
	return store_record_checkpoint(st, meeting);
}

int
record_decryption_share(struct store *st, const char *meeting,
    const char *qid, uint32_t trustee, const uint8_t *shares, size_t e,
    const uint8_t sig[64])
{
	json_t *a;
	int r = in_record(st, meeting, qid);

	if (r <= 0)
		return r;
	a = json_array();
	for (size_t i = 0; i < e; i++)
		json_array_append_new(a, json_pack("{s:o,s:o}",
		    "d", hexstr(shares + 96 * i, 32),
		    "proof", hexstr(shares + 96 * i + 32, 64)));
	return put(st, meeting, "decryption.share", json_pack(
	    "{s:s,s:I,s:o,s:o}", "qid", qid, "trustee", (json_int_t)trustee,
	    "shares", a, "sig", hexstr(sig, 64)));
}

int
record_alternatives(struct store *st, const char *meeting, const char *group,
    const json_t *qids, const char *outcome, const char *winner)
{
	size_t i;
	json_t *v;
	int r;

	json_array_foreach(qids, i, v)
		if ((r = in_record(st, meeting, json_string_value(v))) <= 0)
			return r;
	if (put(st, meeting, "alternatives.result", json_pack(
	        "{s:s,s:O,s:s,s:o}", "group", group, "qids", qids, "outcome",
	        outcome, "winner", winner != NULL ? json_string(winner) :
	        json_null())) != 0)
		return -1;
	return store_record_checkpoint(st, meeting);
}

int
record_result(struct store *st, const char *meeting, const char *qid,
    const uint64_t *counts, size_t n, const char *outcome,
    const char *sentence, const char *presided_mno, const char *presided_name,
    int presided_eldest)
{
	json_t *c, *ev;
	int r = in_record(st, meeting, qid);

	if (r <= 0)
		return r;
	c = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(c, json_integer((json_int_t)counts[i]));
	ev = json_pack("{s:s,s:o,s:s,s:s}", "qid", qid, "counts", c,
	    "outcome", outcome, "sentence", sentence);
	if (ev != NULL && presided_mno != NULL) {
		/* Who presided the vote (A-IMI 12, docs/record.md): one of
		 * the member's credentials in the record, and the name the
		 * engine writes in the sentence. */
		sqlite3_stmt *s = store_prepare(st->roll, "SELECT c.pk FROM"
		    " credentials c JOIN members m ON m.id = c.member_id WHERE"
		    " m.member_no = ?1 AND c.meeting = ?2 ORDER BY c.status ="
		    " 'active' DESC, c.id");
		json_t *pb = NULL;
		int in;
		if (s == NULL || store_bind_text(s, 1, presided_mno) != 0 ||
		    store_bind_text(s, 2, meeting) != 0) {
			sqlite3_finalize(s);
			json_decref(ev);
			return -1;
		}
		while (pb == NULL && sqlite3_step(s) == SQLITE_ROW)
			if (sqlite3_column_bytes(s, 0) == 32 &&
			    (in = cred_in_record(st, meeting,
			        sqlite3_column_blob(s, 0))) > 0)
				pb = json_pack("{s:o,s:s,s:s}", "member",
				    hexstr(sqlite3_column_blob(s, 0), 32),
				    "label", presided_name, "as",
				    presided_eldest ? "eldest" :
				    "elected_president");
		sqlite3_finalize(s);
		if (pb == NULL) {
			json_decref(ev);
			return -1;
		}
		json_object_set_new(ev, "presided_by", pb);
	}
	if (put(st, meeting, "result", ev) != 0)
		return -1;
	return store_record_checkpoint(st, meeting);
}

/*
 * recusal.c — the members recused on a question (ANIMT XI, Espace+ art.
 * 7): marked by the moderator on a pending question (api_qrecuse, the
 * spec's "recused": member numbers), given to the statutes engine with
 * the question (q_ct_recused: the base and the threshold follow), and
 * applied to the ballots (recusal_ballot_check: a recused member's own
 * ballot is refused, and so is one he casts as a proxy holder where the
 * body says a recused member cannot hold one). The record's
 * question.opened names them by credential (record.c,
 * record_question_opened). GET members (api_members) lists the members
 * the moderator may recuse, by name, for the console's picker.
 *
 * Trusts the store and the statutes engine (which decisions admit a
 * recusal: the decision's "recusal"; an election admits none, as
 * ballot-formats/election.c decides); the moderator's body is untrusted
 * and decoded strictly.
 *
 * Invariants: the recused members are set only while the question is
 * pending, each a distinct member of the meeting's roll (the register's
 * active members before the freeze), on a rule that admits a recusal;
 * the list replaces the previous one ([] clears it); a refusal writes
 * nothing; one "question.recusals" event per change.
 */
#include "server/meeting_int.h"

#include <stdio.h>
#include <string.h>

#include "server/store.h"

/* The engine's cap on a question's recused members (scenario.c). */
#define RECUSED_MAX 100

/* 1 when member number mno may be recused in meeting m: on its frozen
 * roll, or an active member of the register before the freeze. */
static int
recusal_member_known(struct store *st, const struct mrow *m, const char *mno)
{
	sqlite3_stmt *s = store_prepare(st->roll, strcmp(m->status, "draft")
	    == 0 ? "SELECT 1 FROM members WHERE member_no = ?2 AND status ="
	    " 'active' AND ?1 IS NOT NULL" : "SELECT 1 FROM meeting_roll r"
	    " JOIN members mb ON mb.id = r.member_id WHERE r.meeting = ?1 AND"
	    " mb.member_no = ?2");
	int found = s != NULL && store_bind_text(s, 1, m->id) == 0 &&
	    store_bind_text(s, 2, mno) == 0 && sqlite3_step(s) == SQLITE_ROW;

	sqlite3_finalize(s);
	return found;
}

/* The decision of q's rule admits a recusal: 1, or 0 with *article the
 * rule's article (an election admits none). */
static int
recusal_allowed(const struct pr_body *b, const struct qrow *q,
    const char **article)
{
	const struct pr_decision *d = q->election ? NULL :
	    profile_decision_find(b, q->rule);

	*article = d != NULL ? d->src.article : b->recusal_src.article;
	return d != NULL && d->recusal;
}

/* The body's "members": an array of at most RECUSED_MAX distinct member
 * numbers, each known to the meeting. 0, or -1 with r. */
static int
recusal_members_check(struct store *st, const struct mrow *m,
    const json_t *a, struct mreply *r)
{
	size_t i, k;
	json_t *v;

	if (!json_is_array(a) || json_array_size(a) > RECUSED_MAX) {
		mr_err(r, "invalid_field", "members");
		return -1;
	}
	json_array_foreach(a, i, v) {
		const char *mno = json_string_value(v);
		if (mno == NULL || mno[0] == '\0' || strlen(mno) > 64) {
			mr_err(r, "invalid_field", "members");
			return -1;
		}
		for (k = 0; k < i; k++)
			if (strcmp(json_string_value(json_array_get(a, k)),
			    mno) == 0) {
				mr_err(r, "invalid_field", "members");
				return -1;
			}
		if (!recusal_member_known(st, m, mno)) {
			mr_err(r, "recusal_member_unknown", "members");
			return -1;
		}
	}
	return 0;
}

/*
 * POST questions/{q}/recusals {"members": [member numbers]}: the members
 * recused on a pending question, replacing the previous list.
 */
void
api_qrecuse(struct mctx *c, const struct mrow *m, const struct api_call *call,
    struct mreply *r)
{
	static const char *keys[] = { "members" };
	const struct pr_body *b = m_body(c, m);
	json_t *doc = NULL, *spec = NULL, *ev = NULL, *a;
	const char *art;
	struct qrow q;
	int loaded = 0;

	if (b == NULL) {
		mr_err(r, "unavailable", NULL);
		return;
	}
	if (mj_parse(call->body, call->len, keys, 1, &doc, r) != 0)
		return;
	if (q_pending_load(c, m, call->sub, &q, r) != 0)
		goto out;
	loaded = 1;
	a = json_object_get(doc, "members");
	if (recusal_members_check(c->st, m, a, r) != 0)
		goto out;
	if (json_array_size(a) > 0 && !recusal_allowed(b, &q, &art)) {
		mr_err_article(r, "recusal_not_allowed", "members", art);
		goto out;
	}
	spec = json_deep_copy(q.spec);
	if (json_array_size(a) > 0)
		json_object_set(spec, "recused", a);
	else
		json_object_del(spec, "recused");
	ev = json_pack("{s:s,s:s,s:O}", "meeting", m->id, "question", q.qid,
	    "recused", a);
	q_pending_store(c, m->id, q.qid, spec, "question.recusals", ev, r);
out:
	json_decref(ev);
	json_decref(spec);
	if (loaded)
		q_free(&q);
	json_decref(doc);
}

/*
 * GET members: the members the moderator may recuse (those
 * recusal_member_known accepts), by number and name in the roll's
 * French order (member_name, as the minutes name them).
 */
void
api_members(struct mctx *c, const struct mrow *m, const struct api_call *call,
    struct mreply *r)
{
	sqlite3_stmt *s = store_prepare(c->st->roll, strcmp(m->status,
	    "draft") == 0 ? "SELECT member_no, display_name(first_name,"
	    " last_name) FROM members WHERE status = 'active' AND ?1 IS NOT"
	    " NULL ORDER BY last_name, first_name, member_no" : "SELECT"
	    " mb.member_no, display_name(mb.first_name, mb.last_name) FROM"
	    " meeting_roll r JOIN members mb ON mb.id = r.member_id WHERE"
	    " r.meeting = ?1 ORDER BY mb.last_name, mb.first_name,"
	    " mb.member_no");
	json_t *list;
	int got;

	if (s == NULL || store_bind_text(s, 1, m->id) != 0) {
		sqlite3_finalize(s);
		mr_err(r, "unavailable", NULL);
		return;
	}
	list = json_array();
	while ((got = sqlite3_step(s)) == SQLITE_ROW)
		json_array_append_new(list, json_pack("{s:s,s:s}", "member",
		    (const char *)sqlite3_column_text(s, 0), "name",
		    (const char *)sqlite3_column_text(s, 1)));
	sqlite3_finalize(s);
	if (got != SQLITE_DONE) {
		json_decref(list);
		mr_err(r, "unavailable", NULL);
		return;
	}
	mr_ok(r, json_pack("{s:o}", "members", list));
}

size_t
q_ct_recused(const json_t *spec, const char **ids, size_t cap,
    struct ct_question *cq)
{
	const json_t *v;
	size_t i, n = 0;

	json_array_foreach(json_object_get(spec, "recused"), i, v)
		if (n < cap && json_is_string(v))
			ids[n++] = json_string_value(v);
	cq->n_recused = n;
	cq->recused = n > 0 ? ids : NULL;
	return n;
}

/* 1 when member id is among spec's recused members, 0 not, -1 error. */
static int
member_recused(struct store *st, const json_t *rec, int64_t id)
{
	sqlite3_stmt *s = store_cached(st, st->roll, "SELECT member_no FROM"
	    " members WHERE id = ?1");
	const json_t *v;
	const char *mno;
	size_t i;
	int rc = -1;

	if (s == NULL || sqlite3_bind_int64(s, 1, id) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_ROW)
		goto out;
	mno = (const char *)sqlite3_column_text(s, 0);
	rc = 0;
	json_array_foreach(rec, i, v)
		if (mno != NULL && json_is_string(v) &&
		    strcmp(json_string_value(v), mno) == 0)
			rc = 1;
out:
	store_release(st, s);
	return rc;
}

int
recusal_ballot_check(struct mctx *c, const struct mrow *m,
    const struct qrow *q, int64_t voice, int64_t signer, struct mreply *r)
{
	const json_t *rec = json_object_get(q->spec, "recused");
	const struct pr_body *b;
	int v, s = 0;

	if (json_array_size(rec) == 0)
		return 0;
	b = m_body(c, m);
	if ((v = member_recused(c->st, rec, voice)) < 0 || (signer != voice &&
	    (s = member_recused(c->st, rec, signer)) < 0)) {
		mr_err(r, "unavailable", NULL);
		return -1;
	}
	if (v) {
		mr_err_article(r, "recused", NULL, b != NULL ?
		    b->recusal_src.article : NULL);
		return -1;
	}
	if (s && b != NULL && b->recusal_cannot_hold) {
		mr_err_article(r, "proxy_holder_recused", NULL,
		    b->recusal_src.article);
		return -1;
	}
	return 0;
}

/*
 * result.c — the close of a question and its totals, the count under
 * the statutes and the signed result (docs/api.md, docs/record.md §7).
 *
 * A secret question is closed into the homomorphic totals of its
 * ballots (one ciphertext per choice; decrypt.c turns them into counts
 * once enough trustees have sent their shares); a show of hands, or an
 * empty box, is counted at once from its ballots. The count gives the
 * engine the facts of the meeting and the question's attendance as the
 * verifier recomputes it — with, for a motion, whether it was secret and
 * the president's vote in a show of hands (his casting vote) — and the
 * server signs the outcome (the `result` statement) before it is
 * stored, recorded and notified.
 *
 * Trusts: the store, crypto/ (tally.h, ballot parsing) and the statutes
 * engine (ballot-formats/). Invariant: a question goes from 'closed' to
 * 'counted' once, with its result, its event and its record entry in
 * one transaction.
 */
#include "server/ceremony_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ballot-formats/phrase.h"
#include "crypto/scrutin_crypto.h"
#include "server/record.h"
#include "server/store.h"

json_t *
totals_json(struct store *st, const char *meeting, const char *qid)
{
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT totals FROM"
	    " questions WHERE meeting = ?1 AND qid = ?2 AND totals IS NOT"
	    " NULL");
	json_t *a = NULL;

	if (s != NULL && store_bind_text(s, 1, meeting) == 0 &&
	    store_bind_text(s, 2, qid) == 0 && sqlite3_step(s) == SQLITE_ROW) {
		const uint8_t *p = sqlite3_column_blob(s, 0);
		size_t n = (size_t)sqlite3_column_bytes(s, 0) / 64;
		char h[129];
		a = json_array();
		for (size_t i = 0; i < n; i++) {
			xhex_encode(h, sizeof h, p + 64 * i, 64);
			json_array_append_new(a, json_string(h));
		}
	}
	sqlite3_finalize(s);
	return a;
}

/* One count under the statutes: what the engine is given and what it
 * decided. */
struct qcount {
	const struct profile *p;	/* the meeting's statutes, or NULL */
	struct facts f;			/* the members, their attendance */
	struct ct_meeting cm;
	struct ct_question cq;
	const char *recused[100];	/* cq's, borrowed from the spec */
	struct ct_candidate cands[64];
	char president[65];		/* elected by an earlier count */
	struct ct_result res;
	int counted;			/* res holds the engine's result */
	struct st_msg err;		/* the engine's error otherwise */
	const char *outcome;		/* ct_outcome_code or "undetermined" */
	char *sentence;			/* phrase_question (French), or NULL */
	json_t *quorum;			/* the quorum, or the engine's error */
	json_t *elected;		/* the elected candidates' positions */
	uint64_t el_idx[64];		/* the same, for the signature */
	size_t n_el;
	size_t presided;	/* who presided (A-IMI 12), f index */
	struct proxy_facts pf;	/* the proxies in force at the opening */
	int presided_eldest;
};

/* A question in the record: attendance at its opening, as the verifier
 * recomputes it (docs/record.md §7). */
void
count_opening_attendance(struct store *st, const struct mrow *m,
    const struct qrow *q, struct facts *f)
{
	for (size_t i = 0; i < f->n; i++) {
		sqlite3_stmt *a = store_prepare(st->roll, "SELECT state FROM"
		    " opening_attendance WHERE meeting = ?1 AND qid = ?2 AND"
		    " member_id = ?3");
		f->presence[i] = CT_ABSENT;
		if (a != NULL && store_bind_text(a, 1, m->id) == 0 &&
		    store_bind_text(a, 2, q->qid) == 0 &&
		    sqlite3_bind_int64(a, 3, f->member_ids[i]) == SQLITE_OK &&
		    sqlite3_step(a) == SQLITE_ROW)
			f->presence[i] = strcmp((const char *)
			    sqlite3_column_text(a, 0), "remote") == 0 ?
			    CT_REMOTE : CT_PRESENT;
		sqlite3_finalize(a);
	}
}

/* Any other question: the attendance now, and a voice that cast a
 * ballot without checking in took part in the vote: counted as present
 * (docs/api.md). */
static void
count_voters_present(struct store *st, const struct mrow *m,
    const struct qrow *q, struct facts *f)
{
	sqlite3_stmt *s = store_prepare(st->box, "SELECT voice FROM ballots"
	    " WHERE meeting = ?1 AND qid = ?2");

	if (s != NULL && store_bind_text(s, 1, m->id) == 0 &&
	    store_bind_text(s, 2, q->qid) == 0)
		while (sqlite3_step(s) == SQLITE_ROW) {
			sqlite3_stmt *t = store_prepare(st->roll, "SELECT"
			    " member_id FROM credentials WHERE pk = ?1");
			if (t != NULL && sqlite3_bind_blob(t, 1,
			        sqlite3_column_blob(s, 0), 32,
			        SQLITE_TRANSIENT) == SQLITE_OK &&
			    sqlite3_step(t) == SQLITE_ROW) {
				int64_t mid = sqlite3_column_int64(t, 0);
				for (size_t i = 0; i < f->n; i++)
					if (f->member_ids[i] == mid &&
					    f->presence[i] == CT_ABSENT)
						f->presence[i] = CT_PRESENT;
			}
			sqlite3_finalize(t);
		}
	sqlite3_finalize(s);
}

/* A show of hands: how the president (facts_load) voted, for his
 * casting vote — the selection of the last ballot cast with his voice,
 * when he is there (present or remote in f); CT_PV_NONE when he cast
 * none or is not there; CT_PV_UNKNOWN when nobody is president. The
 * verifier reads the same from the record (docs/record.md §7). 0, or -1
 * on a storage error. */
static int
count_president_vote(struct store *st, const struct mrow *m,
    const struct qrow *q, const struct facts *f, enum ct_pvote *out)
{
	sqlite3_stmt *s = NULL, *b = NULL;
	int64_t best = -1;
	size_t p = f->n;
	int rc = -1;

	*out = CT_PV_UNKNOWN;
	for (size_t i = 0; i < f->n; i++)
		if (f->members[i].roles & CT_ROLE_PRESIDENT)
			p = i;
	if (p == f->n)
		return 0;
	*out = CT_PV_NONE;
	if (f->presence[p] == CT_ABSENT)
		return 0;
	s = store_prepare(st->roll, "SELECT pk FROM credentials WHERE"
	    " meeting = ?1 AND member_id = ?2");
	if (s == NULL || store_bind_text(s, 1, m->id) != 0 ||
	    sqlite3_bind_int64(s, 2, f->member_ids[p]) != SQLITE_OK)
		goto out;
	while (sqlite3_step(s) == SQLITE_ROW) {
		b = store_prepare(st->box, "SELECT position, body FROM ballots"
		    " WHERE meeting = ?1 AND qid = ?2 AND voice = ?3");
		if (b == NULL || store_bind_text(b, 1, m->id) != 0 ||
		    store_bind_text(b, 2, q->qid) != 0 ||
		    sqlite3_bind_blob(b, 3, sqlite3_column_blob(s, 0),
		        sqlite3_column_bytes(s, 0), SQLITE_TRANSIENT) != SQLITE_OK)
			goto out;
		while (sqlite3_step(b) == SQLITE_ROW) {
			const uint8_t *body = sqlite3_column_blob(b, 1);
			size_t bl = (size_t)sqlite3_column_bytes(b, 1);
			if (sqlite3_column_int64(b, 0) < best || bl < q->n ||
			    q->n != 3)
				continue;
			/* The open-ballot statement's selection: pour,
			 * contre, abstention. */
			const uint8_t *sel = open_ballot_selection(body, bl,
			    q->n);
			if (sel == NULL)
				continue;
			best = sqlite3_column_int64(b, 0);
			*out = CT_PV_NONE;
			for (int i = 2; i >= 0; i--)
				if (sel[i] != 0)
					*out = (enum ct_pvote)(CT_PV_POUR + i);
		}
		sqlite3_finalize(b);
		b = NULL;
	}
	rc = 0;
out:
	sqlite3_finalize(b);
	sqlite3_finalize(s);
	return rc;
}

/* The engine's question: a motion's totals, whether it was secret and,
 * by show of hands, the president's vote; or an election's candidates,
 * blank and valid ballots. 0, or -1 on a storage error. */
static int
count_input(struct store *st, const struct mrow *m, const struct qrow *q,
    uint64_t nballots, const uint64_t *counts, struct qcount *k)
{
	int pr;

	facts_meeting(m, &k->f, &k->cm);
	/* The proxies at the opening, as the verifier gives them to the
	 * engine (their standing counts in the quorum). */
	if (proxy_opening_facts(st, m, q->qid, &k->f, &k->pf) != 0)
		return -1;
	k->cm.n_proxies = k->pf.n;
	k->cm.proxies = k->pf.px;
	q_ct_question(k->p, m->body, q->qid, q->spec, &k->cq);
	/* The recused members (server/recusal.c): the engine leaves their
	 * voices, and those they hold, out of the base. */
	q_ct_recused(q->spec, k->recused, sizeof k->recused /
	    sizeof k->recused[0], &k->cq);
	if (!q->election) {
		k->cq.has_totals = true;
		k->cq.totals.v[CT_POUR] = (uint32_t)counts[0];
		k->cq.totals.v[CT_CONTRE] = (uint32_t)counts[1];
		k->cq.totals.v[CT_ABSTENTION] = (uint32_t)counts[2];
		/* The president's casting vote (docs/profiles.md), where the
		 * rule has one: a secret ballot hides his vote; a show of
		 * hands names it. */
		const struct pr_body *pb = k->p ? profile_body_find(k->p,
		    m->body) : NULL;
		const struct pr_decision *pd = pb ? profile_decision_find(pb,
		    q->rule) : NULL;
		k->cq.held_secret = q->secret != 0;
		if (pd != NULL && pd->casting_vote && !q->secret &&
		    count_president_vote(st, m, q, &k->f,
		    &k->cq.president_vote) != 0)
			return -1;
		return 0;
	}
	q_ct_candidates(q->spec, &k->f, counts, k->cands, &k->cq);
	/* The Bureau's sequence (A-IMI 12): the president elected by an
	 * earlier count presides the other posts. */
	if ((pr = q_elected_president(st, m->id, q->rule, k->president)) < 0)
		return -1;
	k->cq.elected_president = pr > 0 ? k->president : NULL;
	k->cq.blank = (uint32_t)counts[q->n - 1];
	k->cq.valid = (uint32_t)(nballots - counts[q->n - 1]);
	return 0;
}

/* The elected candidates by their position in the spec (the engine
 * names members). */
static void
count_elected(struct qcount *k)
{
	const struct ct_question_result *qr = &k->res.questions[0];

	for (size_t j = 0; j < qr->n_cands; j++) {
		if (!qr->cands[j].elected)
			continue;
		const char *mid = k->f.members[qr->cands[j].member].id;
		for (size_t i = 0; i < k->cq.n_cands; i++)
			if (strcmp(k->cands[i].id, mid) == 0 && k->n_el < 64) {
				k->el_idx[k->n_el++] = i;
				json_array_append_new(k->elected,
				    json_integer((json_int_t)i));
			}
	}
}

/* The statutes engine on the question: its outcome, French sentence,
 * quorum, who presided and (an election) the elected; without the
 * profile or on the engine's error, "undetermined" and the error. */
static void
count_run(const struct qrow *q, struct qcount *k)
{
	struct st_buf sb = { 0 };
	const struct ct_question_result *qr;

	if (k->p == NULL) {
		k->quorum = json_pack("{s:s,s:s}", "status", "unknown",
		    "error", "profil illisible");
		return;
	}
	if (ct_count(k->p, &k->cm, &k->cq, 1, &k->res, &k->err) != 0) {
		k->quorum = json_pack("{s:s,s:s,s:s}", "status", "unknown",
		    "error", k->err.fr, "error_en", k->err.en);
		return;
	}
	qr = &k->res.questions[0];
	k->counted = 1;
	k->outcome = ct_outcome_code(qr->outcome);
	k->presided = qr->presided_by;
	k->presided_eldest = qr->presided_by_eldest;
	phrase_question(&sb, &k->res, 0, PH_FR);
	k->sentence = sb.s;
	k->quorum = quorum_json(&k->res);
	if (q->election)
		count_elected(k);
}

/* What the percentages and the tie need, from the engine's result
 * (docs/api.md, the result object): the base the statutes define — a
 * motion's expressed votes (abstentions in or out as the body says), an
 * election's valid ballots (blank ones out) — and an election's seats,
 * filled and not, its tied candidates and tie-break by choice position,
 * with the rule's article. Nothing when the engine did not count. */
static void
count_detail(const struct qcount *k, const struct qrow *q, json_t *result)
{
	static const char *const TBR[] = { "not_needed", "resolved",
		"unresolved" };
	static const char *const TBS[] = { "function", "city_not_represented",
		"semesters", "sex_parity", "eldest" };
	const struct ct_question_result *qr;
	json_t *tied, *broken;

	if (!k->counted)
		return;
	qr = &k->res.questions[0];
	if (!q->election) {
		json_object_set_new(result, "base", json_string("expressed"));
		json_object_set_new(result, "expressed",
		    json_integer(qr->m.expressed));
		json_object_set_new(result, "abstention_expressed",
		    json_boolean(k->res.body->abstention_expressed));
		json_object_set_new(result, "tie", json_boolean(qr->m.tie));
		json_object_set_new(result, "casting_vote", json_boolean(
		    qr->rule->majority == PR_MAJ_RELATIVE &&
		    qr->rule->casting_vote));
		json_object_set_new(result, "casting_vote_used",
		    json_boolean(qr->m.casting_used));
		json_object_set_new(result, "article",
		    json_string(qr->rule->src.article));
		return;
	}
	tied = json_array();
	broken = json_array();
	for (size_t j = 0; j < qr->n_cands; j++) {
		const char *mid = k->f.members[qr->cands[j].member].id;
		for (size_t i = 0; i < k->cq.n_cands; i++) {
			if (strcmp(k->cands[i].id, mid) != 0)
				continue;
			if (qr->cands[j].tied)
				json_array_append_new(tied,
				    json_integer((json_int_t)i));
			if (qr->cands[j].decided_by >= 0)
				json_array_append_new(broken, json_pack(
				    "{s:I,s:s}", "choice", (json_int_t)i,
				    "by", TBS[qr->erule->tiebreak[
				    qr->cands[j].decided_by]]));
		}
	}
	json_object_set_new(result, "base", json_string("valid_ballots"));
	json_object_set_new(result, "valid_ballots", json_integer(qr->ballots));
	json_object_set_new(result, "seats", json_integer(k->cq.seats));
	json_object_set_new(result, "unfilled", json_integer(qr->unfilled));
	json_object_set_new(result, "tied", tied);
	json_object_set_new(result, "tie_break",
	    json_string(TBR[qr->tiebreak]));
	json_object_set_new(result, "tie_broken", broken);
	json_object_set_new(result, "article",
	    json_string(qr->erule->src.article));
}

/* The server's signature over the `result` statement: meeting_id, qid,
 * LE64 ballots, counts, outcome, elected. 0, or -1. */
static int
count_sign(const struct mctx *c, const struct mrow *m, const struct qrow *q,
    uint64_t nballots, const uint64_t *counts, const struct qcount *k,
    uint8_t sig[64])
{
	uint8_t buf[2048], le[64 * 8];
	framebuf fb;

	stmt_begin(&fb, buf, sizeof buf, "result");
	framebuf_field(&fb, m->id, strlen(m->id));
	framebuf_field(&fb, q->qid, strlen(q->qid));
	framebuf_field_u64(&fb, nballots);
	for (uint32_t i = 0; i < q->n; i++)
		group_le64_put(le + 8 * i, counts[i]);
	framebuf_field(&fb, le, 8u * q->n);
	framebuf_field(&fb, k->outcome, strlen(k->outcome));
	for (size_t i = 0; i < k->n_el; i++)
		group_le64_put(le + 8 * i, k->el_idx[i]);
	framebuf_field(&fb, le, 8 * k->n_el);
	return stmt_sign(&fb, c->sk, sig);
}

/* The signed result stored (the question 'closed' -> 'counted'), with
 * its event and its record entry, in one transaction. 0, or -1. */
static int
count_store(struct store *st, const struct mrow *m, const struct qrow *q,
    const uint64_t *counts, const struct qcount *k, json_t *result)
{
	char *text = json_dumps(result, JSON_COMPACT);
	sqlite3_stmt *s = NULL;
	json_t *ev = NULL;
	int pr = k->presided < k->f.n, rc = -1;

	if (text == NULL || store_begin(st) != 0)
		goto out;
	s = store_prepare(st->roll, "UPDATE questions SET status = 'counted',"
	    " result = ?3 WHERE meeting = ?1 AND qid = ?2 AND status ="
	    " 'closed'");
	ev = json_pack("{s:s,s:s,s:O}", "meeting", m->id, "question", q->qid,
	    "result", result);
	if (s == NULL || store_bind_text(s, 1, m->id) != 0 ||
	    store_bind_text(s, 2, q->qid) != 0 ||
	    store_bind_text(s, 3, text) != 0 || sqlite3_step(s) != SQLITE_DONE ||
	    sqlite3_changes(st->roll) != 1 ||
	    store_event_record(st, "question.result", ev, NULL) != 0 ||
	    record_result(st, m->id, q->qid, counts, q->n, k->outcome,
	        k->sentence ? k->sentence : "",
	        pr ? k->f.members[k->presided].id : NULL,
	        pr ? k->f.members[k->presided].name : NULL,
	        k->presided_eldest) != 0 ||
	    store_commit(st) != 0) {
		store_rollback(st);
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(s);
	json_decref(ev);
	free(text);
	return rc;
}

int
count_and_publish(struct mctx *c, struct store *st, const struct mrow *m,
    struct qrow *q, uint64_t nballots, const uint64_t *counts,
    json_t *decryption)
{
	struct qcount k;
	json_t *cnt = json_array(), *result = NULL;
	uint8_t sig[64];
	int rc = -1;

	memset(&k, 0, sizeof k);
	k.p = m_profile(c, st, m->id);
	k.outcome = "undetermined";
	k.elected = json_array();
	k.presided = SIZE_MAX;
	if (facts_load(st, m, &k.f) != 0)
		goto out;
	if (q_recorded(st, m->id, q))
		count_opening_attendance(st, m, q, &k.f);
	else
		count_voters_present(st, m, q, &k.f);
	if (count_input(st, m, q, nballots, counts, &k) != 0)
		goto out;
	for (uint32_t i = 0; i < q->n; i++)
		json_array_append_new(cnt, json_integer((json_int_t)counts[i]));
	count_run(q, &k);
	if (count_sign(c, m, q, nballots, counts, &k, sig) != 0)
		goto out;
	result = json_pack("{s:s,s:I,s:O,s:O,s:s,s:O,s:o,s:s,s:s,s:{s:s,s:s}}",
	    "question", q->qid, "ballots", (json_int_t)nballots, "counts", cnt,
	    "choices", json_object_get(q->spec, "choices"), "outcome",
	    k.outcome, "elected", k.elected, "quorum", k.quorum, "rule",
	    q->rule, "sentence", k.sentence ? k.sentence : "", "signed",
	    "kind", "result", "fields",
	    "meeting_id, qid, LE64 ballots, counts, outcome, elected");
	k.quorum = NULL;
	q_labels_set(result, q->spec, k.p != NULL ? profile_body_find(k.p,
	    m->body) : NULL);
	if (decryption != NULL)
		json_object_set(result, "decryption", decryption);
	count_detail(&k, q, result);
	cer_hexset(result, "server_sig", sig, 64);
	if (count_store(st, m, q, counts, &k, result) != 0)
		goto out;
	notify(c, m->id, "result", json_pack("{s:s,s:O}", "id", q->qid,
	    "result", result));
	/* The last motion of a group of alternatives: the group's outcome. */
	if (alternatives_settle(c, st, m, q) != 0)
		log_warn("alternatives of %s: not settled", q->qid);
	rc = 0;
out:
	if (k.counted)
		ct_result_free(&k.res);
	if (c == NULL)
		free((void *)k.p);
	proxy_facts_free(&k.pf);
	facts_free(&k.f);
	free(k.sentence);
	json_decref(result);
	json_decref(k.quorum);
	json_decref(k.elected);
	json_decref(cnt);
	return rc;
}

int
close_ballot_add(const struct qrow *q, const uint8_t *b, size_t bl,
    uint8_t *totals, uint64_t *counts)
{
	if (q->secret) {
		ballot_parsed bp;
		uint8_t ct[64];
		if (ballot_body_parse(&bp, b, bl) != 0 || bp.e != q->bq.e)
			return -1;
		for (uint32_t i = 1; i <= q->bq.e; i++) {
			ballot_parsed_ciphertext(ct, &bp, i);
			if (tally_total_add(totals + 64 * (i - 1), ct) != 0)
				return -1;
		}
	} else {
		const uint8_t *sel = open_ballot_selection(b, bl, q->n);
		if (sel == NULL)
			return -1;
		for (uint32_t i = 0; i < q->n; i++)
			counts[i] += sel[i];
	}
	return 0;
}

int
question_close(struct mctx *c, struct store *st, const struct mrow *m,
    struct qrow *q, int64_t *nballots)
{
	uint8_t *totals = NULL;
	size_t tl = 0;
	uint64_t counts[64] = { 0 };
	sqlite3_stmt *s;
	int64_t n = 0;
	int rc = -1;

	if (q->secret) {
		tl = 64u * q->bq.e;
		totals = xmalloc(tl);
		for (uint32_t i = 0; i < q->bq.e; i++)
			tally_total_init(totals + 64 * i);
	}
	s = store_prepare(st->box, "SELECT body FROM ballots WHERE meeting ="
	    " ?1 AND qid = ?2 ORDER BY position");
	if (s == NULL || store_bind_text(s, 1, m->id) != 0 ||
	    store_bind_text(s, 2, q->qid) != 0)
		goto out;
	while (sqlite3_step(s) == SQLITE_ROW) {
		n++;
		if (close_ballot_add(q, sqlite3_column_blob(s, 0),
		    (size_t)sqlite3_column_bytes(s, 0), totals, counts) != 0)
			goto out;
	}
	sqlite3_finalize(s);
	s = NULL;
	/* The mail-in ballots the engine accepted at the opening. */
	if (mailin_close_add(st, m, q, totals, counts, &n) != 0)
		goto out;
	*nballots = n;
	if (q_set_status(c, st, m->id, q->qid, "closed", 0, totals, tl, n) !=
	    0)
		goto out;
	snprintf(q->status, sizeof q->status, "closed");
	if (!q->secret || n == 0) {
		/* Show of hands, or an empty box: counted at once (nothing
		 * to decrypt, protocol.md §7). */
		if (count_and_publish(c, st, m, q, (uint64_t)n, counts, NULL) !=
		    0)
			log_warn("count of %s/%s failed", m->id, q->qid);
	}
	rc = 0;
out:
	sqlite3_finalize(s);
	free(totals);
	return rc;
}

void
api_result(struct mctx *c, const struct mrow *m, const struct api_call *call,
    struct mreply *r)
{
	const char *qid = call->sub;
	sqlite3_stmt *s = store_prepare(c->st->roll, "SELECT result, spec FROM"
	    " questions WHERE meeting = ?1 AND qid = ?2");
	json_error_t e;
	json_t *o = NULL, *spec;
	int found = 0;

	if (s != NULL && store_bind_text(s, 1, m->id) == 0 &&
	    store_bind_text(s, 2, qid) == 0 && sqlite3_step(s) == SQLITE_ROW) {
		found = 1;
		if (sqlite3_column_type(s, 0) != SQLITE_NULL)
			o = json_loads((const char *)sqlite3_column_text(s, 0),
			    0, &e);
		/* The rule's labels, which a result stored before they
		 * existed lacks. */
		spec = json_loads((const char *)sqlite3_column_text(s, 1), 0,
		    &e);
		if (o != NULL && spec != NULL)
			q_labels_set(o, spec, m_body(c, m));
		json_decref(spec);
	}
	sqlite3_finalize(s);
	if (!found)
		mr_err(r, "question_unknown", NULL);
	else if (o == NULL)
		mr_err(r, "not_found", NULL);
	else
		mr_ok(r, o);
}

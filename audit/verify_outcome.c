/*
 * verify_outcome.c — what the verifier asks the statutes engine and
 * compares with the record: at a question's opening, the standing of each
 * proxy in force and the quorum sentence; at its result, the outcome and
 * the sentence from the counts; for a group of alternative motions, the
 * outcome and the motion retained.
 *
 * outcome.c is the bridge: it builds the engine's meeting from the facts
 * it is given. This file gathers those facts from the verifier's state
 * (members and proxies at the opening, the president and his vote in a
 * show of hands, counts, triggers, who presided)
 * and checks the record against the answer. Trusts the engine
 * (ballot-formats/, through outcome.h). Invariants: the facts of a
 * question are those at its opening, the proxies in the order they were
 * given; a result's outcome and French sentence are the engine's, byte
 * for byte; a group of alternatives is settled once, after each of its
 * motions has its result.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/verify_int.h"
#include "ballot-formats/profile.h"
#include "common/xmalloc.h"

bool
verify_alt_settled(V *v, const char *g)
{
	for (size_t i = 0; i < v->nalt; i++)
		if (strcmp(v->alt_done[i], g) == 0)
			return true;
	return false;
}

/* alternatives.result: the outcome of a group of alternative motions.
 * qids must be exactly the motions the record opened with this group,
 * in record order, each with its verified result; the engine's
 * alternatives rule of the body over their outcomes (adopted or not)
 * and pour counts must give the recorded outcome and winner. Once
 * settled, no motion joins the group. */
int
verify_ev_alternatives(V *v, const json_t *p)
{
	const json_t *qa = json_object_get(p, "qids"), *wj;
	const char *g, *outcome;
	struct question *qs[64];
	bool adopted[64];
	uint64_t pour[64];
	size_t n = 0, w, k;
	char code[40], err[200];

	if (KEYS(v, p, "group", "qids", "outcome", "winner") ||
	    strf(v, p, "group", 64, &g) ||
	    strf(v, p, "outcome", 39, &outcome))
		return -1;
	if (verify_alt_settled(v, g)) {
		FAIL(v, "motions alternatives %s tranchées deux fois",
		    "alternative motions %s settled twice", g);
		return -1;
	}
	if (!json_is_array(qa) || json_array_size(qa) == 0 ||
	    json_array_size(qa) > 64)
		return bad_field(v, "qids");
	for (size_t i = 0; i < v->nq; i++) {
		struct question *q = v->qs[i];
		if (q->alt_group == NULL || strcmp(q->alt_group, g) != 0)
			continue;
		if (n >= json_array_size(qa) ||
		    strcmp(json_string_value(json_array_get(qa, n)) ?
		        json_string_value(json_array_get(qa, n)) : "",
		        q->qid) != 0) {
			FAIL(v, "motions alternatives %s : la liste ne correspond pas aux motions du groupe",
			    "alternative motions %s: the list is not the group's motions",
			    g);
			return -1;
		}
		if (q->state != 2) {
			FAIL(v, "motions alternatives %s : la question %s n'a pas de résultat",
			    "alternative motions %s: question %s has no result",
			    g, q->qid);
			return -1;
		}
		qs[n] = q;
		adopted[n] = strcmp(q->outcome, "adopted") == 0;
		pour[n] = q->counts[0];
		n++;
	}
	if (n != json_array_size(qa)) {
		FAIL(v, "motions alternatives %s : la liste ne correspond pas aux motions du groupe",
		    "alternative motions %s: the list is not the group's motions",
		    g);
		return -1;
	}
	if (audit_alternatives_pick(v->statutes, adopted, pour, n, code, &w,
	    err, sizeof err) != 0) {
		FAIL(v, "motions alternatives %s : le moteur des statuts refuse : %s",
		    "alternative motions %s: the statutes engine refuses: %s",
		    g, err);
		return -1;
	}
	wj = json_object_get(p, "winner");
	if (strcmp(code, outcome) != 0 ||
	    (w < n ? !json_is_string(wj) ||
	        strcmp(json_string_value(wj), qs[w]->qid) != 0 :
	        !json_is_null(wj))) {
		FAIL(v, "motions alternatives %s : issue enregistrée %s (%s), recalculée %s (%s)",
		    "alternative motions %s: outcome %s (%s) recorded, %s (%s) recomputed",
		    g, outcome, json_is_string(wj) ? json_string_value(wj) :
		    "-", code, w < n ? qs[w]->qid : "-");
		return -1;
	}
	{
		struct audit_alt_summary *as;
		v->sum->alternatives = xreallocarray(v->sum->alternatives,
		    v->sum->n_alternatives + 1, sizeof *v->sum->alternatives);
		as = &v->sum->alternatives[v->sum->n_alternatives++];
		memset(as, 0, sizeof *as);
		memcpy(as->group, g, strlen(g) + 1);
		memcpy(as->outcome, code, sizeof as->outcome);
		if (w < n)
			memcpy(as->winner, qs[w]->qid, qs[w]->qid_len + 1);
	}
	k = v->nalt;
	v->alt_done = xreallocarray(v->alt_done, k + 1, sizeof *v->alt_done);
	v->alt_done[k] = xstrdup(g);
	v->nalt = k + 1;
	return 0;
}

struct sort_key {
	uint64_t key;
	uint32_t idx;
};

static int
cmp_key(const void *a, const void *b)
{
	uint64_t x = ((const struct sort_key *)a)->key;
	uint64_t y = ((const struct sort_key *)b)->key;

	return x < y ? -1 : x > y;
}

/* The facts at the opening (attendance, proxies in force in the order
 * they were given) and the statutes engine's standing of each proxy and
 * quorum sentence. */
int
verify_question_standing(V *v, struct question *q)
{
	struct sort_key *gv;
	size_t ng = 0;
	char err[256];

	q->snap = xcalloc(v->nmem, sizeof *q->snap);
	q->nsnap = v->nmem;
	gv = xcalloc(v->nmem, sizeof *gv);
	for (size_t i = 0; i < v->nmem; i++) {
		struct member *m = &v->mv[i];
		memcpy(q->snap[i].id, m->id, 17);
		q->snap[i].category = m->category;
		q->snap[i].dues_paid = m->dues;
		q->snap[i].adult = m->adult;
		q->snap[i].in_time = m->in_time;
		q->snap[i].presence = m->presence;
		q->snap[i].president = m->president;
		q->present += m->presence == AUDIT_PRESENT;
		q->remote += m->presence == AUDIT_REMOTE;
		if (m->proxy_to >= 0) {
			gv[ng].key = m->proxy_seq;
			gv[ng++].idx = (uint32_t)i;
		}
	}
	qsort(gv, ng, sizeof *gv, cmp_key);
	q->npx = ng;
	q->px = xcalloc(ng, sizeof *q->px);
	q->pxs = xcalloc(ng, sizeof *q->pxs);
	q->px_by_giver = xcalloc(ng, sizeof *q->px_by_giver);
	q->px_seq = xcalloc(ng, sizeof *q->px_seq);
	for (size_t k = 0; k < ng; k++) {
		const struct member *m = &v->mv[gv[k].idx];
		q->px_seq[k] = m->proxy_seq;
		q->px[k].giver = gv[k].idx;
		q->px[k].holder = (uint32_t)m->proxy_to;
		q->px[k].ts = m->proxy_ts;
		q->px[k].paper = m->proxy_paper;
		q->px[k].redistributed = m->redist_to >= 0;
		q->px[k].redist_to = m->redist_to >= 0 ?
		    (uint32_t)m->redist_to : 0;
	}
	/* px_by_giver[k]: the index in px of the k-th giver by member. */
	for (size_t k = 0; k < ng; k++) {
		gv[k].key = q->px[k].giver;
		gv[k].idx = (uint32_t)k;
	}
	qsort(gv, ng, sizeof *gv, cmp_key);
	for (size_t k = 0; k < ng; k++)
		q->px_by_giver[k] = gv[k].idx;
	free(gv);
	q->draw_ndecl = v->ndecl;
	verify_draw_give(v, q->draw_ndecl);
	verify_mailin_give(v);
	if (audit_standing_compute(v->statutes, v->sum->date, q->snap,
	    q->nsnap, q->px, q->npx, q->pxs, &q->quorum_fr, &q->quorum_en,
	    err, sizeof err) != 0) {
		FAIL(v, "question %s : le moteur des statuts refuse : %s",
		    "question %s: the statutes engine refuses: %s", q->qid, err);
		return -1;
	}
	return 0;
}

int
verify_question_fallback(V *v, struct question *q)
{
	const struct pr_mail_in *mr = audit_statutes_mail_rules(v->statutes);
	char err[256];
	bool *ok;
	struct audit_question_facts f = {
		.qid = q->qid, .label = q->label, .election = false,
		.rule = q->rule, .on_agenda = q->on_agenda, .n = q->n,
		.counts = q->counts, .recused = q->recused,
		.n_recused = q->nrecused, .held_secret = q->secret,
		.has_triggers = q->has_triggers, .objection = q->objection,
		.unanimous_show_of_hands = q->unanimous, .secret = q->secret,
		.requested_by = q->requested_by, .has_askers = q->has_askers,
		.askers = q->askers,
	};

	/* Only a motion added on the day, where the statutes give a mail-in
	 * voter's voice there to the fallback holder (ANIMT art. V). */
	if (q->election || q->on_agenda || mr == NULL || !mr->fallback_proxy ||
	    v->nmail == 0)
		return 0;
	ok = xcalloc(v->nmail, sizeof *ok);
	verify_mailin_give(v);
	if (audit_fallback_compute(v->statutes, v->sum->date, q->snap,
	    q->nsnap, q->px, q->npx, &f, ok, err, sizeof err) != 0) {
		FAIL(v, "question %s : le moteur des statuts refuse : %s",
		    "question %s: the statutes engine refuses: %s", q->qid, err);
		free(ok);
		return -1;
	}
	q->fallback_ok = xcalloc(v->nmem ? v->nmem : 1,
	    sizeof *q->fallback_ok);
	for (size_t k = 0; k < v->nmail; k++)
		q->fallback_ok[v->mail_member[k]] = ok[k];
	free(ok);
	return 0;
}

/* The proxy in force at q's opening whose giver is member g, or NULL. */
const struct audit_proxy *
verify_question_proxy(const struct question *q, uint32_t g, size_t *idx)
{
	size_t lo = 0, hi = q->npx;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint32_t k = q->px_by_giver[mid];
		if (q->px[k].giver == g) {
			*idx = k;
			return &q->px[k];
		}
		if (q->px[k].giver < g)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Who presided an election's count (A-IMI 12), and the president an
 * earlier post of the same election elected. */
struct presidency {
	bool has_presided, eldest, has_president;
	uint32_t presided, president;	/* members */
	const char *label;
};

/* result "presided_by": {member, label, as}, for an election only. */
static int
result_presided(V *v, const struct question *q, const json_t *pb,
    struct presidency *pr)
{
	uint8_t pk[32];
	const char *as;
	uint32_t ci;

	if (!q->election || !json_is_object(pb) ||
	    KEYS(v, pb, "member", "label", "as") ||
	    hexf(v, pb, "member", pk, 32) ||
	    strf(v, pb, "label", CHOICE_LABEL_MAX, &pr->label) ||
	    strf(v, pb, "as", 24, &as))
		return bad_field(v, "presided_by");
	if (!audit_htab_get(&v->creds, pk, &ci))
		return bad_field(v, "presided_by.member");
	if (strcmp(as, "eldest") == 0)
		pr->eldest = true;
	else if (strcmp(as, "elected_president") != 0)
		return bad_field(v, "presided_by.as");
	pr->presided = v->cv[ci].member;
	pr->has_presided = true;
	return 0;
}

/* The president elected by an earlier president's post of the same
 * election (the engine presides the other posts by him). */
static void
result_president(V *v, const struct question *q, struct presidency *pr)
{
	for (size_t k = 0; q->election && k < v->nq && !pr->has_president;
	    k++) {
		const struct question *o = v->qs[k];
		if (o != q && o->election && o->president_post &&
		    o->state == 2 && o->elected != UINT32_MAX &&
		    strcmp(o->rule, q->rule) == 0) {
			pr->president = o->elected;
			pr->has_president = true;
		}
	}
}

/* An open motion: how the president voted — his counted ballot's
 * selection (the close's), when he was present or remote at the
 * opening; none otherwise. As the server's count (server/result.c). */
static enum audit_pvote
result_president_vote(const V *v, const struct question *q)
{
	if (!v->has_president || q->election || q->secret)
		return AUDIT_PV_UNKNOWN;
	if (v->president >= q->nsnap ||
	    q->snap[v->president].presence == AUDIT_ABSENT)
		return AUDIT_PV_NONE;
	return (enum audit_pvote)q->president_vote;
}

/* The engine's outcome and sentences from q's facts and verified counts,
 * compared with the recorded outcome and French sentence; kept in q. */
static int
result_outcome(V *v, struct question *q, const struct presidency *pr,
    const char *outcome, const char *sentence)
{
	char code[40], err[256];
	char *fr = NULL, *en = NULL;
	int rc = -1;
	struct audit_question_facts f = {
		.qid = q->qid, .label = q->label, .election = q->election,
		.rule = q->rule, .on_agenda = q->on_agenda,
		.amendment = q->amends != NULL || q->amended,
		.seats = q->seats, .round = q->round, .n = q->n,
		.counts = q->counts,
		.cand_member = q->cand_member,
		.cand_declared = (const char *const *)q->cand_declared,
		.cand_label = (const char *const *)q->choice_labels,
		.recused = q->recused, .n_recused = q->nrecused,
		.blank_last = q->blank_last,
		.ballots = q->counted,
		.held_secret = !q->election && q->secret,
		.president_vote = result_president_vote(v, q),
		.has_triggers = q->has_triggers,
		.objection = q->objection,
		.unanimous_show_of_hands = q->unanimous,
		.secret = q->secret,
		.requested_by = q->requested_by,
		.has_askers = q->has_askers,
		.askers = q->askers,
		.why_fr = &q->why_fr, .why_en = &q->why_en,
		.post = q->post, .president_post = q->president_post,
		.has_presided = pr->has_presided, .presided = pr->presided,
		.presided_label = pr->label, .presided_eldest = pr->eldest,
		.has_elected_president = pr->has_president,
		.elected_president = pr->president,
		.elected_out = q->election ? &q->elected : NULL,
		.tied_out = q->cand_tied,
		.filled_out = q->election ? &q->filled : NULL,
		.pct_base_out = &q->pct_base,
		.pct_abstention_out = &q->pct_abstention,
	};

	verify_draw_give(v, q->draw_ndecl);
	verify_mailin_give(v);
	if (audit_outcome_compute(v->statutes, v->sum->date, q->snap,
	    q->nsnap, q->px, q->npx, &f, code, &fr, &en, err,
	    sizeof err) != 0) {
		FAIL(v, "question %s : le moteur des statuts refuse : %s",
		    "question %s: the statutes engine refuses: %s",
		    q->qid, err);
		goto out;
	}
	if (strcmp(code, outcome) != 0) {
		FAIL(v, "question %s : issue enregistrée %s, recalculée %s",
		    "question %s: outcome %s recorded, %s recomputed", q->qid,
		    outcome, code);
		goto out;
	}
	if (strcmp(fr, sentence) != 0) {
		FAIL(v, "question %s : la phrase diffère de celle du moteur des statuts",
		    "question %s: sentence differs from the statutes engine's",
		    q->qid);
		goto out;
	}
	memcpy(q->outcome, code, sizeof code);
	q->fr = fr;
	q->en = en;
	fr = en = NULL;
	rc = 0;
out:
	free(fr);
	free(en);
	return rc;
}

int
verify_ev_result(V *v, const json_t *p)
{
	const json_t *arr = json_object_get(p, "counts");
	const json_t *pb = json_object_get(p, "presided_by");
	struct presidency pr = { 0 };
	struct question *q;
	const char *outcome, *sentence;

	if (KEYS(v, p, "qid", "counts", "outcome", "sentence",
	    "?presided_by") ||
	    (q = verify_question_get(v, p, 1)) == NULL ||
	    strf(v, p, "outcome", 39, &outcome) ||
	    strf(v, p, "sentence", 4096, &sentence))
		return -1;
	if (!json_is_array(arr) || json_array_size(arr) != q->n)
		return bad_field(v, "counts");
	if (pb != NULL && result_presided(v, q, pb, &pr) != 0)
		return -1;
	result_president(v, q, &pr);
	if (q->election && q->cand_tied == NULL)
		q->cand_tied = xcalloc(q->n, sizeof *q->cand_tied);
	if (verify_tally_counts(v, q, arr) != 0 ||
	    result_outcome(v, q, &pr, outcome, sentence) != 0)
		return -1;
	q->state = 2;
	free(q->snap);			/* the facts are no longer needed */
	q->snap = NULL;
	return 0;
}

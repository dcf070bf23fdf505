/*
 * verify_question.c — questions: the lookups by qid, and question.opened:
 * a motion (pour, contre, abstention; maybe one of a group of alternative
 * motions) or an election (candidates who are members, maybe a last blank
 * choice, seats, a post of the Bureau, a first or second round), secret
 * or open (show of hands), with the triggers that made it so.
 *
 * Trusts crypto/ for the ballots' question (ballot_question_init).
 * Invariants: a qid is opened once, after the key ceremony and the roll
 * freeze, and at most QUESTIONS_MAX of them; a round 2 names a round 1 of
 * the same election whose result was "second_round", and only one round
 * 2 does; a re-vote names a counted election left "tie_unresolved",
 * with exactly its tied candidates and the seats it left, and only one
 * re-vote does; a question's state only moves on (0 open, 1 closed, 2
 * result).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/verify_int.h"
#include "common/xmalloc.h"

struct question *
verify_question_find(V *v, const char *qid)
{
	for (size_t i = 0; i < v->nq; i++)
		if (strcmp(v->qs[i]->qid, qid) == 0)
			return v->qs[i];
	return NULL;
}

struct question *
verify_question_lookup(V *v, const char *qid, int want_state)
{
	struct question *q;

	if ((q = verify_question_find(v, qid)) == NULL) {
		FAIL(v, "question %s inconnue", "unknown question %s", qid);
		return NULL;
	}
	if (q->state != want_state) {
		static const char *const fr[] = { "ouverte", "close",
			"dépouillée" };
		static const char *const en[] = { "open", "closed",
			"counted" };
		char a[200], b[200];
		snprintf(a, sizeof a, "la question %s n'est pas %s", qid,
		    fr[want_state]);
		snprintf(b, sizeof b, "question %s is not %s", qid,
		    en[want_state]);
		fail_here(v, a, b);
		return NULL;
	}
	return q;
}

struct question *
verify_question_get(V *v, const json_t *p, int want_state)
{
	const char *qid;

	if (strf(v, p, "qid", AUDIT_QID_MAX, &qid) != 0)
		return NULL;
	return verify_question_lookup(v, qid, want_state);
}

void
verify_question_free(struct question *q)
{
	if (q == NULL)
		return;
	free(q->label);
	free(q->post);
	free(q->rule);
	free(q->alt_group);
	free(q->amends);
	free(q->amendment);
	for (size_t i = 0; i < q->n; i++) {
		free(q->choice_labels ? q->choice_labels[i] : NULL);
		free(q->cand_declared ? q->cand_declared[i] : NULL);
	}
	free(q->choice_labels);
	free(q->aud_fp);
	free(q->aud_seq);
	free(q->cand_tied);
	free(q->cand_declared);
	free(q->cand_member);
	free(q->recused);
	free(q->slot_of);
	free(q->by_mail);
	free(q->fallback_ok);
	free(q->slot_seq);
	free(q->slot_ct);
	free(q->slot_sel);
	free(q->recount);
	free(q->acc);
	free(q->neg);
	free(q->totals);
	free(q->shares);
	free(q->snap);
	free(q->px);
	free(q->pxs);
	free(q->px_by_giver);
	free(q->px_seq);
	free(q->quorum_fr);
	free(q->quorum_en);
	free(q->counts);
	free(q->fr);
	free(q->why_fr);
	free(q->why_en);
	free(q->en);
	free(q);
}

/* A second round ("round": 2) names its first round ("round_of"): an
 * election of the record under the same rule, in round 1, whose result
 * was the engine's "second_round", and no other round 2 of it. The
 * round-2 outcome is then recomputed with round 2 (verify_ev_result). */
static int
round2_check(V *v, struct question *q, const json_t *p)
{
	const json_t *ro = json_object_get(p, "round_of");
	struct question *r1;

	if (ro == NULL) {
		/* A re-vote of a round 2 is a round 2 naming the round 2 it
		 * re-votes (revote_check). */
		if (q->round == 2 &&
		    json_object_get(p, "revote_of") == NULL) {
			FAIL(v, "question %s : second tour sans premier tour (round_of)",
			    "question %s: round 2 without its round 1 (round_of)",
			    q->qid);
			return -1;
		}
		return 0;
	}
	if (!json_is_string(ro) || q->round != 2)
		return bad_field(v, "round_of");
	r1 = verify_question_find(v, json_string_value(ro));
	if (r1 == NULL || r1 == q || !r1->election || r1->round != 1 ||
	    strcmp(r1->rule, q->rule) != 0) {
		FAIL(v, "question %s : premier tour %s absent ou d'une autre élection",
		    "question %s: round 1 %s missing or of another election",
		    q->qid, json_string_value(ro));
		return -1;
	}
	if (r1->state != 2 || strcmp(r1->outcome, "second_round") != 0) {
		FAIL(v, "question %s : le premier tour %s n'a pas donné « second_round »",
		    "question %s: round 1 %s did not result in second_round",
		    q->qid, r1->qid);
		return -1;
	}
	if (r1->has_round2) {
		FAIL(v, "question %s : second tour de %s ouvert deux fois",
		    "question %s: round 2 of %s opened twice", q->qid, r1->qid);
		return -1;
	}
	r1->has_round2 = true;
	memcpy(q->round_of, r1->qid, r1->qid_len + 1);
	return 0;
}

/* A re-vote after an unresolved tie ("revote_of": Q): Q is an election
 * of the record under the same rule, secrecy and round, counted with
 * the engine's "tie_unresolved" and not re-voted before; the candidates
 * are exactly Q's tied ones, each once, and the seats those Q left. */
static int
revote_check(V *v, struct question *q, const json_t *p)
{
	const json_t *ro = json_object_get(p, "revote_of");
	struct question *t;
	size_t ntied = 0, ncand = 0;

	if (ro == NULL)
		return 0;
	if (!json_is_string(ro) || !q->election)
		return bad_field(v, "revote_of");
	t = verify_question_find(v, json_string_value(ro));
	if (t == NULL || t == q || !t->election ||
	    strcmp(t->rule, q->rule) != 0 || t->secret != q->secret ||
	    t->round != q->round) {
		FAIL(v, "question %s : élection %s absente ou d'une autre règle, secret ou tour",
		    "question %s: election %s missing or of another rule, secrecy or round",
		    q->qid, json_string_value(ro));
		return -1;
	}
	if (t->state != 2 || strcmp(t->outcome, "tie_unresolved") != 0 ||
	    t->cand_tied == NULL) {
		FAIL(v, "question %s : l'élection %s n'a pas donné « tie_unresolved »",
		    "question %s: election %s did not result in tie_unresolved",
		    q->qid, t->qid);
		return -1;
	}
	if (t->has_revote) {
		FAIL(v, "question %s : nouveau vote de %s ouvert deux fois",
		    "question %s: re-vote of %s opened twice", q->qid, t->qid);
		return -1;
	}
	for (size_t j = 0; j < t->n; j++)
		ntied += t->cand_tied[j];
	for (size_t i = 0; i < q->n; i++) {
		size_t hits = 0;
		if (q->cand_member[i] == UINT32_MAX)
			continue;	/* the blank choice */
		ncand++;
		for (size_t j = 0; j < t->n; j++)
			hits += t->cand_tied[j] &&
			    t->cand_member[j] == q->cand_member[i];
		for (size_t k = 0; k < i; k++)
			hits += q->cand_member[k] == q->cand_member[i] ? 2 : 0;
		if (hits != 1) {
			FAIL(v, "question %s : le candidat %zu n'est pas un ex æquo de %s",
			    "question %s: candidate %zu is not one of %s's tied candidates",
			    q->qid, i + 1, t->qid);
			return -1;
		}
	}
	if (ncand != ntied) {
		FAIL(v, "question %s : %zu candidats, %s en laissait %zu ex æquo",
		    "question %s: %zu candidates, %s left %zu tied", q->qid,
		    ncand, t->qid, ntied);
		return -1;
	}
	if (t->filled > t->seats || q->seats != t->seats - t->filled) {
		FAIL(v, "question %s : %u sièges, %s en laissait %u",
		    "question %s: %u seats, %s left %u", q->qid, q->seats,
		    t->qid, t->seats - t->filled);
		return -1;
	}
	t->has_revote = true;
	memcpy(q->revote_of, t->qid, t->qid_len + 1);
	return 0;
}

/* question.opened "triggers": {"objection"?: true, "requested_by"?:
 * ["bureau"?, "ca"?] (non-empty, in that order), "askers"?: 1 .. 2^32-1,
 * "unanimous_show_of_hands"?: true}, non-empty. */
static int
triggers_parse(V *v, struct question *q, const json_t *t)
{
	const json_t *x;

	if (!json_is_object(t) || json_object_size(t) == 0 ||
	    KEYS(v, t, "?objection", "?requested_by", "?askers",
	    "?unanimous_show_of_hands"))
		return bad_field(v, "triggers");
	q->has_triggers = true;
	if ((x = json_object_get(t, "objection")) != NULL) {
		if (!json_is_true(x))
			return bad_field(v, "triggers.objection");
		q->objection = true;
	}
	if ((x = json_object_get(t, "unanimous_show_of_hands")) != NULL) {
		if (!json_is_true(x))
			return bad_field(v, "triggers.unanimous_show_of_hands");
		q->unanimous = true;
	}
	if ((x = json_object_get(t, "askers")) != NULL) {
		if (!json_is_integer(x) || json_integer_value(x) < 1 ||
		    json_integer_value(x) > (json_int_t)UINT32_MAX)
			return bad_field(v, "triggers.askers");
		q->has_askers = true;
		q->askers = (uint32_t)json_integer_value(x);
	}
	if ((x = json_object_get(t, "requested_by")) != NULL) {
		const char *a = json_string_value(json_array_get(x, 0));
		const char *b = json_string_value(json_array_get(x, 1));
		size_t n = json_is_array(x) ? json_array_size(x) : 0;
		if (n == 1 && a != NULL && strcmp(a, "bureau") == 0)
			q->requested_by = AUDIT_REQ_BUREAU;
		else if (n == 1 && a != NULL && strcmp(a, "ca") == 0)
			q->requested_by = AUDIT_REQ_CA;
		else if (n == 2 && a != NULL && b != NULL &&
		    strcmp(a, "bureau") == 0 && strcmp(b, "ca") == 0)
			q->requested_by = AUDIT_REQ_BUREAU | AUDIT_REQ_CA;
		else
			return bad_field(v, "triggers.requested_by");
	}
	return 0;
}

/* question.opened, a motion: on_agenda, maybe a group of alternatives
 * not settled yet; no seats, no post. */
static int
opened_motion(V *v, struct question *q, const json_t *p)
{
	if (audit_json_bool(p, "on_agenda", &q->on_agenda) != 0 ||
	    json_object_get(p, "seats") != NULL)
		return bad_field(v, "on_agenda");
	if (json_object_get(p, "post") != NULL ||
	    json_object_get(p, "president_post") != NULL)
		return bad_field(v, "post");
	if (json_object_get(p, "alternatives") != NULL) {
		const char *g;
		if (strf(v, p, "alternatives", 64, &g))
			return -1;
		if (verify_alt_settled(v, g)) {
			FAIL(v, "question %s : le groupe de motions alternatives %s est déjà tranché",
			    "question %s: group of alternative motions %s already settled",
			    q->qid, g);
			return -1;
		}
		q->alt_group = xstrdup(g);
	}
	return verify_amendment_opened(v, q, p);
}

/* question.opened, an election: seats, maybe a post of the Bureau's
 * sequence, maybe a round; no alternatives, no on_agenda. */
static int
opened_election(V *v, struct question *q, const json_t *p)
{
	uint64_t seats = 0;

	q->election = true;
	q->elected = UINT32_MAX;
	if (json_object_get(p, "alternatives") != NULL)
		return bad_field(v, "alternatives");
	if (json_object_get(p, "amends") != NULL ||
	    json_object_get(p, "amendment") != NULL ||
	    json_object_get(p, "supporters") != NULL ||
	    json_object_get(p, "amended_by") != NULL)
		return bad_field(v, "amends");
	if (json_object_get(p, "on_agenda") != NULL ||
	    u64f(v, p, "seats", BALLOT_CHOICES_MAX, &seats) ||
	    seats == 0)
		return bad_field(v, "seats");
	q->seats = (uint32_t)seats;
	/* The Bureau's sequence (A-IMI 12): a post's label, and the
	 * president's post (true only). */
	if (json_object_get(p, "post") != NULL) {
		const char *po;
		if (strf(v, p, "post", 100, &po) || po[0] == '\0')
			return bad_field(v, "post");
		q->post = xstrdup(po);
	}
	if (json_object_get(p, "president_post") != NULL) {
		if (!json_is_true(json_object_get(p, "president_post")))
			return bad_field(v, "president_post");
		q->president_post = true;
	}
	if (json_object_get(p, "round") != NULL) {
		uint64_t rd;
		if (u64f(v, p, "round", 2, &rd) || rd == 0)
			return bad_field(v, "round");
		q->round = (uint32_t)rd;
	}
	return round2_check(v, q, p);
}

/* An election's choice i, its id and label read: a candidate (a member,
 * maybe with the date of the declaration), or the blank choice. */
static int
opened_candidate(V *v, struct question *q, const json_t *c, size_t i)
{
	const char *decl;
	bool blank = false;
	uint8_t pk[32];
	uint32_t ci;

	/* A blank choice ({"blank": true}, no member, no date) is the last
	 * one; every other choice names a candidate. */
	if (json_object_get(c, "blank") != NULL &&
	    (audit_json_bool(c, "blank", &blank) != 0 || !blank ||
	    i + 1 != q->n || json_object_get(c, "member") != NULL ||
	    json_object_get(c, "declared") != NULL))
		return bad_field(v, "blank");
	if (blank) {
		q->blank_last = true;
		q->cand_member[i] = UINT32_MAX;
		return 0;
	}
	if (json_object_get(c, "member") == NULL) {
		(void)KEYS(v, c, "id", "label", "member");
		return -1;
	}
	if (hexf(v, c, "member", pk, 32))
		return -1;
	if (!audit_htab_get(&v->creds, pk, &ci))
		return bad_field(v, "member");
	q->cand_member[i] = v->cv[ci].member;
	if (json_object_get(c, "declared") != NULL) {
		if (strf(v, c, "declared", 10, &decl) || strlen(decl) != 10)
			return bad_field(v, "declared");
		q->cand_declared[i] = xstrdup(decl);
	}
	return 0;
}

/* question.opened "choices", with "min" and "max": a motion's pour,
 * contre, abstention, one of them chosen; an election's candidates. */
static int
opened_choices(V *v, struct question *q, const json_t *ch, uint64_t mn,
    uint64_t mx)
{
	static const char *const motion_ids[3] = { "pour", "contre",
		"abstention" };

	if (!json_is_array(ch) || json_array_size(ch) < 2 ||
	    json_array_size(ch) > BALLOT_CHOICES_MAX)
		return bad_field(v, "choices");
	q->n = json_array_size(ch);
	if (ballot_question_init(&q->bq, q->qid, q->qid_len, (uint32_t)q->n,
	    (uint32_t)mn, (uint32_t)mx) != 0)
		return bad_field(v, "qid/min/max");
	q->choice_labels = xcalloc(q->n, sizeof(char *));
	q->cand_declared = xcalloc(q->n, sizeof(char *));
	q->cand_member = xcalloc(q->n, sizeof(uint32_t));
	for (size_t i = 0; i < q->n; i++) {
		const json_t *c = json_array_get(ch, i);
		const char *id, *cl;
		if (q->election ? KEYS(v, c, "id", "label", "?member",
		    "?declared", "?blank") : KEYS(v, c, "id", "label"))
			return -1;
		if (strf(v, c, "id", 48, &id) ||
		    strf(v, c, "label", CHOICE_LABEL_MAX, &cl))
			return -1;
		q->choice_labels[i] = xstrdup(cl);
		if (!q->election) {
			if (q->n != 3 || strcmp(id, motion_ids[i]) != 0 ||
			    mn != 1 || mx != 1)
				return bad_field(v, "choices");
			continue;
		}
		if (opened_candidate(v, q, c, i) != 0)
			return -1;
	}
	return 0;
}

/* A secret question's sums: each worker's, minus the superseded ballots,
 * the totals at the close and the trustees' decryption shares. */
static void
opened_sums(V *v, struct question *q)
{
	q->acc = xcalloc((size_t)v->nthreads * q->bq.e, sizeof *q->acc);
	for (size_t i = 0; i < (size_t)v->nthreads * q->bq.e; i++)
		tally_acc_init(&q->acc[i]);
	q->neg = xcalloc(q->bq.e, sizeof *q->neg);
	for (size_t i = 0; i < q->bq.e; i++)
		tally_acc_init(&q->neg[i]);
	q->totals = xcalloc(q->bq.e, 64);
	q->shares = xcalloc((size_t)v->tn * q->bq.e, sizeof *q->shares);
}

/* A question read from p, question.opened's fields, checked as §4
 * says; not in v->qs. NULL with a failure reported. */
struct question *
verify_question_build(V *v, const json_t *p)
{
	const char *qid, *kind, *label, *rule;
	uint64_t mn, mx;
	bool secret;
	struct question *q;

	if (KEYS(v, p, "qid", "kind", "label", "choices", "min", "max",
	    "rule", "secret", "revote", "?on_agenda", "?seats", "?round",
	    "?round_of", "?revote_of", "?alternatives", "?triggers",
	    "?post", "?president_post", "?recused", "?amends", "?amendment",
	    "?supporters", "?amended_by") ||
	    strf(v, p, "qid", AUDIT_QID_MAX, &qid) ||
	    strf(v, p, "kind", 16, &kind) ||
	    strf(v, p, "label", 1024, &label) ||
	    strf(v, p, "rule", 48, &rule) ||
	    u64f(v, p, "min", BALLOT_CHOICES_MAX, &mn) ||
	    u64f(v, p, "max", BALLOT_CHOICES_MAX, &mx))
		return NULL;
	/* secret: false is an open question (show of hands): signed
	 * plaintext selections, no ciphertexts, no shares. */
	if (audit_json_bool(p, "secret", &secret) != 0) {
		bad_field(v, "secret");
		return NULL;
	}
	/* A show of hands needs no election key (a meeting may hold only
	 * those, e.g. A-IMI's Bureau by unanimous waiver); a secret ballot
	 * needs the ceremony done. */
	if (secret && order(v, v->done, "question secrète ouverte avant la"
	    " fin de la cérémonie des clés", "secret question opened before"
	    " the key ceremony is done"))
		return NULL;
	q = xcalloc(1, sizeof *q);
	q->secret = secret;
	memcpy(q->qid, qid, strlen(qid) + 1);
	q->qid_len = strlen(qid);
	q->label = xstrdup(label);
	q->rule = xstrdup(rule);
	if (audit_json_bool(p, "revote", &q->revote) != 0) {
		bad_field(v, "revote");
		goto fail;
	}
	if (json_object_get(p, "triggers") != NULL &&
	    triggers_parse(v, q, json_object_get(p, "triggers")) != 0)
		goto fail;
	if (strcmp(kind, "motion") == 0) {
		if (opened_motion(v, q, p) != 0)
			goto fail;
	} else if (strcmp(kind, "election") == 0) {
		if (opened_election(v, q, p) != 0)
			goto fail;
	} else {
		bad_field(v, "kind");
		goto fail;
	}
	if (opened_choices(v, q, json_object_get(p, "choices"), mn, mx) != 0 ||
	    revote_check(v, q, p) != 0 ||
	    verify_recused_parse(v, q, json_object_get(p, "recused")) != 0)
		goto fail;
	if (v->proto2) {
		/* scrutin/2: every ballot commits to this content (§5.7). */
		uint8_t d[32];
		if (question_digest(d, p) != 0) {
			bad_field(v, "choices");
			goto fail;
		}
		ballot_question_set_digest(&q->bq, d);
	}
	q->slot_of = xcalloc(v->nmem, sizeof *q->slot_of);
	q->counts = xcalloc(q->n, sizeof *q->counts);
	if (q->secret)
		opened_sums(v, q);
	return q;
fail:
	verify_question_free(q);
	return NULL;
}

int
verify_ev_question_opened(V *v, const json_t *p)
{
	const char *qid;
	struct question *q;

	if (order(v, v->frozen, "question ouverte avant le gel de la liste",
	    "question opened before the roll freeze") ||
	    order(v, !v->ended, "question ouverte après la clôture de la séance",
	    "question opened after the meeting ended") ||
	    strf(v, p, "qid", AUDIT_QID_MAX, &qid))
		return -1;
	if (verify_question_find(v, qid) != NULL) {
		FAIL(v, "question %s déjà ouverte", "question %s opened twice",
		    qid);
		return -1;
	}
	if (v->nq >= QUESTIONS_MAX)
		return bad_field(v, "qid");
	if ((q = verify_question_build(v, p)) == NULL)
		return -1;
	v->qs = xreallocarray(v->qs, v->nq + 1, sizeof *v->qs);
	v->qs[v->nq++] = q;
	if (verify_mailin_spec(v, q, p) != 0 ||
	    verify_question_standing(v, q) != 0 ||
	    verify_question_fallback(v, q) != 0)
		return -1;
	return verify_mailin_adopt(v, q);
}

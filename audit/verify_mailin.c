/*
 * verify_mailin.c — mail-in votes (vote par correspondance, ANIMT art. V,
 * APROGEMERE; docs/record.md §4 mailin.opened, mailin.fallback,
 * mailin.ballot). The window the operator opens before the meeting
 * publishes the agenda's motions; a member casts one ballot per motion
 * (the ballot body of protocol §5, signed by the member's own key) and,
 * where the statutes provide for it, names a fallback holder first. At a
 * published motion's opening the question must carry the published spec;
 * the statutes engine decides who stands as a mail-in voter (a member
 * present is not one: giver_present), and the ballots of those it accepts
 * join the question's counted set, as if cast at the opening.
 *
 * Trusts the statutes engine (through audit/outcome.h) and the ballot
 * checks of verify_ballot.c, which check a mail-in ballot as a room
 * ballot (receipt, credential, proofs on a worker) on the published
 * question's own state. Invariants: one window; every mail-in event
 * after it and before meeting.started, its ts within [window ts,
 * closes_at]; a published question is never opened itself (its ballots
 * are copied into the opened one, never counted twice).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/verify_int.h"
#include "ballot-formats/count.h"
#include "ballot-formats/profile.h"
#include "common/xmalloc.h"

/* The body's mail-in rules, or a failure: the statutes do not admit it. */
static const struct pr_mail_in *
mail_rules(V *v)
{
	const struct pr_mail_in *mr = audit_statutes_mail_rules(v->statutes);

	if (mr != NULL && mr->allowed)
		return mr;
	FAIL(v, "vote par correspondance que les statuts n'admettent pas (art. %s)",
	    "mail-in vote the statutes do not admit (art. %s)",
	    mr != NULL ? mr->src.article : "?");
	return NULL;
}

/* A mail-in event's ts: in the open window, before the meeting starts. */
static int
window_check(V *v, const json_t *p, uint64_t *ts)
{
	if (order(v, v->mailin, "vote par correspondance sans fenêtre ouverte",
	    "mail-in event without an open window") ||
	    order(v, !v->started, "vote par correspondance après l'ouverture"
	    " de la séance", "mail-in event after the meeting started") ||
	    u64f(v, p, "ts", (uint64_t)INT64_MAX, ts))
		return -1;
	if (*ts < v->mailin_ts || *ts > v->mailin_closes) {
		FAIL(v, "hors de la fenêtre du vote par correspondance (ts %llu, clôture %llu)",
		    "outside the mail-in window (ts %llu, closes_at %llu)",
		    (unsigned long long)*ts,
		    (unsigned long long)v->mailin_closes);
		return -1;
	}
	return 0;
}

static struct question *
published(V *v, const char *qid, size_t *k)
{
	for (size_t i = 0; i < v->nmq; i++)
		if (strcmp(v->mq[i]->qid, qid) == 0) {
			if (k != NULL)
				*k = i;
			return v->mq[i];
		}
	return NULL;
}

int
verify_ev_mailin_opened(V *v, const json_t *p)
{
	const json_t *qs = json_object_get(p, "questions"), *e;
	uint64_t ts, closes;
	size_t i;

	if (KEYS(v, p, "ts", "closes_at", "questions") ||
	    order(v, v->frozen, "fenêtre du vote par correspondance avant le"
	    " gel de la liste", "mail-in window before the roll freeze") ||
	    order(v, !v->started, "fenêtre du vote par correspondance après"
	    " l'ouverture de la séance", "mail-in window after the meeting"
	    " started") ||
	    order(v, !v->mailin, "fenêtre du vote par correspondance déjà"
	    " ouverte", "mail-in window already opened") ||
	    mail_rules(v) == NULL ||
	    u64f(v, p, "ts", (uint64_t)INT64_MAX, &ts) ||
	    u64f(v, p, "closes_at", (uint64_t)INT64_MAX, &closes))
		return -1;
	if (closes <= ts)
		return bad_field(v, "closes_at");
	if (!json_is_array(qs) || json_array_size(qs) == 0 ||
	    json_array_size(qs) > QUESTIONS_MAX)
		return bad_field(v, "questions");
	v->mailin = true;
	v->sum->mail_article = xstrdup(mail_rules(v)->src.article);
	v->mailin_ts = ts;
	v->mailin_closes = closes;
	json_array_foreach(qs, i, e) {
		struct question *q;
		bool oa = false;
		if (!json_is_object(e))
			return bad_field(v, "questions");
		if ((q = verify_question_build(v, e)) == NULL)
			return -1;
		v->mq = xreallocarray(v->mq, v->nmq + 1, sizeof *v->mq);
		v->mspec = xreallocarray(v->mspec, v->nmq + 1,
		    sizeof *v->mspec);
		v->mq[v->nmq] = q;
		v->mspec[v->nmq++] = json_deep_copy(e);
		q->published = true;
		/* The agenda's motions only (art. V), as the convocation
		 * put them: no trigger nor recusal of the day. */
		if (q->election || audit_json_bool(e, "on_agenda", &oa) != 0 ||
		    !oa || json_object_get(e, "triggers") != NULL ||
		    json_object_get(e, "recused") != NULL) {
			FAIL(v, "question %s publiée pour le vote par correspondance : pas une motion de l'ordre du jour",
			    "question %s published for mail-in: not a motion of the agenda",
			    q->qid);
			return -1;
		}
		if (published(v, q->qid, NULL) != q) {
			FAIL(v, "question %s publiée deux fois",
			    "question %s published twice", q->qid);
			return -1;
		}
	}
	return 0;
}

int
verify_ev_mailin_fallback(V *v, const json_t *p)
{
	const struct pr_mail_in *mr;
	uint8_t pk[32], hk[32], sig[64];
	int64_t ci, hi;
	uint64_t ts;
	audit_stmt st;
	struct member *m;

	if (KEYS(v, p, "pk", "holder", "ts", "sig") ||
	    (mr = mail_rules(v)) == NULL || window_check(v, p, &ts) ||
	    hexf(v, p, "pk", pk, 32) || hexf(v, p, "holder", hk, 32) ||
	    hexf(v, p, "sig", sig, 64) ||
	    (ci = verify_cred_active(v, pk, "pk", "pk")) < 0 ||
	    (hi = verify_cred_active(v, hk, "mandataire de repli",
	    "fallback holder")) < 0)
		return -1;
	if (!mr->fallback_proxy) {
		FAIL(v, "procuration de repli que les statuts ne prévoient pas (art. %s)",
		    "fallback proxy the statutes do not provide for (art. %s)",
		    mr->src.article);
		return -1;
	}
	m = &v->mv[v->cv[ci].member];
	if (v->cv[hi].member == v->cv[ci].member) {
		FAIL(v, "mandataire de repli : le membre lui-même",
		    "fallback holder: the member themself");
		return -1;
	}
	if (m->fallback >= 0 && ts <= m->fallback_ts) {
		FAIL(v, "désignation du repli pas plus récente que la précédente",
		    "fallback statement not later than the member's previous one");
		return -1;
	}
	audit_stmt_begin(&st, "mailin-fallback");
	audit_stmt_str(&st, v->meeting_id);
	audit_stmt_field(&st, pk, 32);
	audit_stmt_field(&st, hk, 32);
	audit_stmt_u64(&st, ts);
	verify_sig_defer(v, pk, sig, st.buf, audit_stmt_len(&st),
	    "de la procuration de repli", "fallback proxy");
	m->fallback = v->cv[hi].member;
	m->fallback_ts = ts;
	return 0;
}

int
verify_ev_mailin_ballot(V *v, const json_t *p)
{
	const char *qid;
	struct question *q;
	uint64_t ts;

	if (KEYS(v, p, "qid", "body", "sig", "receipt", "ts") ||
	    mail_rules(v) == NULL || window_check(v, p, &ts) ||
	    strf(v, p, "qid", AUDIT_QID_MAX, &qid))
		return -1;
	if ((q = published(v, qid, NULL)) == NULL) {
		FAIL(v, "question %s non publiée pour le vote par correspondance",
		    "question %s not published for mail-in", qid);
		return -1;
	}
	return verify_ballot_payload(v, q, p);
}

void
verify_mailin_give(V *v)
{
	size_t n = 0;

	for (size_t i = 0; i < v->nmem; i++)
		n += v->mv[i].by_mail;
	if (n != v->nmail) {
		v->mail_list = xreallocarray(v->mail_list, n + 1,
		    sizeof *v->mail_list);
		v->mail_member = xreallocarray(v->mail_member, n + 1,
		    sizeof *v->mail_member);
		v->mail_ok = xreallocarray(v->mail_ok, n + 1,
		    sizeof *v->mail_ok);
		v->nmail = n;
	}
	n = 0;
	for (size_t i = 0; i < v->nmem; i++) {
		const struct member *m = &v->mv[i];
		if (!m->by_mail)
			continue;
		memset(&v->mail_list[n], 0, sizeof v->mail_list[n]);
		v->mail_list[n].voter = m->id;
		v->mail_list[n].fallback_holder = m->fallback >= 0 ?
		    v->mv[m->fallback].id : NULL;
		v->mail_member[n] = (uint32_t)i;
		v->mail_ok[n++] = false;
	}
	audit_statutes_set_mail_in(v->statutes, v->mail_list, n, v->mail_ok);
}

int
verify_mailin_spec(V *v, const struct question *q, const json_t *p)
{
	size_t k;
	const char *key;
	const json_t *val;

	if (published(v, q->qid, &k) == NULL)
		return 0;
	json_object_foreach((json_t *)v->mspec[k], key, val) {
		if (!json_equal(val, json_object_get(p, key)))
			goto differs;
	}
	json_object_foreach((json_t *)p, key, val) {
		if (json_object_get(v->mspec[k], key) == NULL &&
		    !audit_mailin_added_ok(key))
			goto differs;
	}
	return 0;
differs:
	FAIL(v, "question %s : ouverte autrement que publiée pour le vote par correspondance (%s)",
	    "question %s: opened otherwise than published for mail-in (%s)",
	    q->qid, key);
	return -1;
}

int
verify_mailin_adopt(V *v, struct question *q)
{
	struct question *pq = published(v, q->qid, NULL);

	if (pq == NULL)
		return 0;
	q->by_mail = xcalloc(v->nmem ? v->nmem : 1, sizeof *q->by_mail);
	for (size_t k = 0; k < v->nmail; k++) {
		uint32_t vm = v->mail_member[k], ps, slot;
		if (!v->mail_ok[k] || vm >= v->nmem ||
		    pq->slot_of == NULL || pq->slot_of[vm] == 0)
			continue;
		ps = pq->slot_of[vm] - 1;
		if (verify_ballot_slot(v, q, vm, &slot) != 0)
			return -1;
		q->slot_seq[slot] = pq->slot_seq[ps];
		q->by_mail[vm] = true;
		q->seen++;
		if (!q->secret) {
			memcpy(q->slot_sel + (size_t)slot * q->n,
			    pq->slot_sel + (size_t)ps * q->n, q->n);
			continue;
		}
		for (uint32_t i = 0; i < q->bq.e; i++) {
			const uint8_t *ct = pq->slot_ct +
			    ((size_t)ps * q->bq.e + i) * 64;
			memcpy(q->slot_ct + ((size_t)slot * q->bq.e + i) * 64,
			    ct, 64);
			/* The reader's own sum (q->neg is never a worker's). */
			if (tally_acc_add(&q->neg[i], ct) != 0) {
				FAIL(v, "chiffré invalide", "invalid ciphertext");
				return -1;
			}
		}
	}
	return 0;
}

void
verify_mailin_free(V *v)
{
	for (size_t i = 0; i < v->nmq; i++) {
		verify_question_free(v->mq[i]);
		json_decref(v->mspec[i]);
	}
	free(v->mq);
	free(v->mspec);
	free(v->mail_list);
	free(v->mail_member);
	free(v->mail_ok);
}

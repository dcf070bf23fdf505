/*
 * outcome.c — builds the engine's in-memory meeting (count.h) from the
 * record's facts and asks it for one question's outcome, or, at a
 * question's opening, for the standing of every proxy and the quorum
 * sentence (outcome.h). The engine is the same code the server uses to announce the result, so
 * the verifier's sentence is compared byte for byte with the recorded one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/outcome.h"
#include "audit/stmt.h"
#include "ballot-formats/count.h"
#include "ballot-formats/phrase.h"
#include "ballot-formats/profile.h"
#include "common/xmalloc.h"

struct audit_statutes {
	struct profile p;
	char body[PR_ID_MAX];
};

int
audit_statutes_load(audit_statutes **out, const char *text, size_t len,
    const char *profile_id, const char *body, char *err, size_t errlen)
{
	audit_statutes *s = xcalloc(1, sizeof *s);

	*out = NULL;
	if (profile_load(&s->p, "profile", (const uint8_t *)text, len, err,
	    errlen) != 0)
		goto fail;
	if (strcmp(s->p.id, profile_id) != 0) {
		snprintf(err, errlen, "profile id is %s, not %s", s->p.id,
		    profile_id);
		goto fail;
	}
	if (profile_body_find(&s->p, body) == NULL) {
		snprintf(err, errlen, "profile has no body %s", body);
		goto fail;
	}
	if (strlen(body) >= sizeof s->body)
		goto fail;
	memcpy(s->body, body, strlen(body) + 1);
	*out = s;
	return 0;
fail:
	free(s);
	return -1;
}

void
audit_statutes_free(audit_statutes *s)
{
	free(s);
}

/* The engine's meeting from the record's facts. OUT *m with arrays the
 * caller frees (mb, pres, px). */
struct facts {
	struct ct_member *mb;
	enum ct_presence *pres;
	struct ct_proxy *px;
};

static void
facts_free(struct facts *f)
{
	free(f->mb);
	free(f->pres);
	free(f->px);
}

static int
facts_build(struct facts *f, struct ct_meeting *m, const audit_statutes *s,
    const char *date, const struct audit_member *members, size_t n_members,
    const struct audit_proxy *proxies, size_t n_proxies, char *err,
    size_t errlen)
{
	f->mb = xcalloc(n_members, sizeof *f->mb);
	f->pres = xcalloc(n_members, sizeof *f->pres);
	f->px = xcalloc(n_proxies, sizeof *f->px);
	memset(m, 0, sizeof *m);
	if (st_date_parse(date, &m->date) != 0) {
		snprintf(err, errlen, "invalid meeting date");
		return -1;
	}
	for (size_t i = 0; i < n_members; i++) {
		f->mb[i].id = members[i].id;
		f->mb[i].category = members[i].category;
		f->mb[i].dues_paid = members[i].dues_paid < 0 ? CT_UNKNOWN :
		    members[i].dues_paid ? CT_YES : CT_NO;
		f->mb[i].city_referent = CT_UNKNOWN;
		f->mb[i].semesters = -1;
		f->pres[i] = members[i].presence == AUDIT_PRESENT ? CT_PRESENT :
		    members[i].presence == AUDIT_REMOTE ? CT_REMOTE : CT_ABSENT;
	}
	for (size_t i = 0; i < n_proxies; i++) {
		if (proxies[i].giver >= n_members ||
		    proxies[i].holder >= n_members) {
			snprintf(err, errlen, "proxy between unknown members");
			return -1;
		}
		f->px[i].giver = members[proxies[i].giver].id;
		f->px[i].holder = members[proxies[i].holder].id;
		f->px[i].has_assembly_date = true;
		f->px[i].assembly_date = m->date;
		f->px[i].channel = PR_CHANNEL_DIGITAL;
		if (proxies[i].ts >= 0) {
			f->px[i].has_submitted = true;
			f->px[i].submitted = proxies[i].ts / 60;
		}
	}
	m->body = s->body;
	m->n_members = n_members;
	m->members = f->mb;
	m->presence = f->pres;
	m->n_proxies = n_proxies;
	m->proxies = f->px;
	return 0;
}

int
audit_standing_compute(const audit_statutes *s, const char *date,
    const struct audit_member *members, size_t n_members,
    const struct audit_proxy *proxies, size_t n_proxies,
    struct audit_proxy_standing *st, char **fr, char **en, char *err,
    size_t errlen)
{
	struct facts f = { 0 };
	struct ct_meeting m;
	struct ct_result r;
	struct st_buf b1 = { 0 }, b2 = { 0 };
	int rc = -1;

	*fr = *en = NULL;
	if (facts_build(&f, &m, s, date, members, n_members, proxies,
	    n_proxies, err, errlen) != 0)
		goto out;
	/* No question: the standings and the quorum only. */
	if (ct_count(&s->p, &m, NULL, 0, &r, err, errlen) != 0)
		goto out;
	for (size_t i = 0; i < n_proxies; i++) {
		const struct ct_proxy_standing *ps = &r.proxies[i];
		st[i].accepted = ps->accepted;
		st[i].holder = ps->accepted && ps->holder != CT_NONE &&
		    ps->holder < n_members ? (uint32_t)ps->holder : UINT32_MAX;
		if (st[i].holder == UINT32_MAX)
			st[i].accepted = false;
		snprintf(st[i].reason, sizeof st[i].reason, "%s",
		    ct_reason_code(ps->reason));
	}
	phrase_quorum(&b1, &r, PH_FR);
	phrase_quorum(&b2, &r, PH_EN);
	*fr = xstrdup(b1.s ? b1.s : "");
	*en = xstrdup(b2.s ? b2.s : "");
	ct_result_free(&r);
	rc = 0;
out:
	st_buf_free(&b1);
	st_buf_free(&b2);
	facts_free(&f);
	return rc;
}

int
audit_outcome_compute(const audit_statutes *s, const char *date,
    const struct audit_member *members, size_t n_members,
    const struct audit_proxy *proxies, size_t n_proxies,
    const struct audit_question_facts *q, char code[40], char **fr,
    char **en, char *err, size_t errlen)
{
	struct facts fa = { 0 };
	struct ct_member *mb;
	struct ct_candidate *cd = NULL;
	struct ct_meeting m;
	struct ct_question cq;
	struct ct_result r;
	struct st_buf b1 = { 0 }, b2 = { 0 };
	int rc = -1, counted = 0;

	*fr = *en = NULL;
	snprintf(err, errlen, "a count above the engine's caps");
	memset(&cq, 0, sizeof cq);
	if (facts_build(&fa, &m, s, date, members, n_members, proxies,
	    n_proxies, err, errlen) != 0)
		goto out;
	mb = fa.mb;
	cq.id = q->qid;
	cq.label = q->label;
	cq.casting_vote = -1;
	if (!q->election) {
		if (q->n != 3) {
			snprintf(err, errlen, "a motion has 3 choices");
			goto out;
		}
		cq.kind = CT_Q_MOTION;
		cq.decision = q->rule;
		cq.on_agenda = q->on_agenda;
		cq.has_totals = true;
		for (size_t i = 0; i < 3; i++) {
			if (q->counts[i] > CT_MAX_VOTES)
				goto out;
			cq.totals.v[i] = (uint32_t)q->counts[i];
		}
	} else {
		cq.kind = CT_Q_ELECTION;
		cq.election = q->rule;
		cq.seats = q->seats;
		cq.round = q->round;
		cq.on_agenda = true;
		size_t nc = q->blank_last ? q->n - 1 : q->n;
		uint64_t blank = q->blank_last ? q->counts[q->n - 1] : 0;
		if (q->ballots > CT_MAX_VOTES)
			goto out;
		if (blank > q->ballots || nc == 0) {
			snprintf(err, errlen, "blank votes exceed the ballots");
			goto out;
		}
		cq.valid = (uint32_t)(q->ballots - blank);
		cq.blank = (uint32_t)blank;
		cd = xcalloc(nc, sizeof *cd);
		for (size_t i = 0; i < nc; i++) {
			if (q->cand_member[i] >= n_members ||
			    q->counts[i] > CT_MAX_VOTES)
				goto out;
			cd[i].id = members[q->cand_member[i]].id;
			cd[i].votes = (uint32_t)q->counts[i];
			if (q->cand_label != NULL)
				mb[q->cand_member[i]].name = q->cand_label[i];
			if (q->cand_declared != NULL &&
			    q->cand_declared[i] != NULL) {
				struct ct_member *cm = &mb[q->cand_member[i]];
				if (st_date_parse(q->cand_declared[i],
				    &cm->declared) != 0)
					goto out;
				cm->has_declared = true;
			}
		}
		cq.n_cands = nc;
		cq.cands = cd;
	}
	if (ct_count(&s->p, &m, &cq, 1, &r, err, errlen) != 0)
		goto out;
	counted = 1;
	snprintf(code, 40, "%s", ct_outcome_code(r.questions[0].outcome));
	phrase_question(&b1, &r, 0, PH_FR);
	phrase_question(&b2, &r, 0, PH_EN);
	*fr = xstrdup(b1.s ? b1.s : "");
	*en = xstrdup(b2.s ? b2.s : "");
	rc = 0;
out:
	if (counted)
		ct_result_free(&r);
	st_buf_free(&b1);
	st_buf_free(&b2);
	facts_free(&fa);
	free(cd);
	return rc;
}

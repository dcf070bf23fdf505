/*
 * outcome.c — builds the engine's in-memory meeting (count.h) from the
 * record's facts and asks it for one question's outcome (outcome.h).
 * The engine is the same code the server uses to announce the result, so
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

struct audit_statutes {
	struct profile p;
	char body[PR_ID_MAX];
};

int
audit_statutes_load(audit_statutes **out, const char *text, size_t len,
    const char *profile_id, const char *body, char *err, size_t errlen)
{
	audit_statutes *s = audit_xcalloc(1, sizeof *s);

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

int
audit_outcome_compute(const audit_statutes *s, const char *date,
    const struct audit_member *members, size_t n_members,
    const struct audit_proxy *proxies, size_t n_proxies,
    const struct audit_question_facts *q, char code[40], char **fr,
    char **en, char *err, size_t errlen)
{
	struct ct_member *mb = audit_xcalloc(n_members, sizeof *mb);
	enum ct_presence *pres = audit_xcalloc(n_members, sizeof *pres);
	struct ct_proxy *px = audit_xcalloc(n_proxies, sizeof *px);
	struct ct_candidate *cd = NULL;
	struct ct_meeting m;
	struct ct_question cq;
	struct ct_result r;
	struct st_buf b1 = { 0 }, b2 = { 0 };
	int rc = -1, counted = 0;

	*fr = *en = NULL;
	memset(&m, 0, sizeof m);
	memset(&cq, 0, sizeof cq);
	if (st_date_parse(date, &m.date) != 0) {
		snprintf(err, errlen, "invalid meeting date");
		goto out;
	}
	for (size_t i = 0; i < n_members; i++) {
		mb[i].id = members[i].id;
		mb[i].category = members[i].category;
		mb[i].dues_paid = members[i].dues_paid < 0 ? CT_UNKNOWN :
		    members[i].dues_paid ? CT_YES : CT_NO;
		mb[i].city_referent = CT_UNKNOWN;
		mb[i].semesters = -1;
		pres[i] = members[i].presence == AUDIT_PRESENT ? CT_PRESENT :
		    members[i].presence == AUDIT_REMOTE ? CT_REMOTE : CT_ABSENT;
	}
	for (size_t i = 0; i < n_proxies; i++) {
		if (proxies[i].giver >= n_members ||
		    proxies[i].holder >= n_members)
			goto out;
		px[i].giver = members[proxies[i].giver].id;
		px[i].holder = members[proxies[i].holder].id;
	}
	m.body = s->body;
	m.n_members = n_members;
	m.members = mb;
	m.presence = pres;
	m.n_proxies = n_proxies;
	m.proxies = px;
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
		if (q->ballots > CT_MAX_VOTES)
			goto out;
		cq.valid = (uint32_t)q->ballots;
		cd = audit_xcalloc(q->n, sizeof *cd);
		for (size_t i = 0; i < q->n; i++) {
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
		cq.n_cands = q->n;
		cq.cands = cd;
	}
	if (ct_count(&s->p, &m, &cq, 1, &r, err, errlen) != 0)
		goto out;
	counted = 1;
	snprintf(code, 40, "%s", ct_outcome_code(r.questions[0].outcome));
	phrase_question(&b1, &r, 0, PH_FR);
	phrase_question(&b2, &r, 0, PH_EN);
	*fr = audit_xstrdup(b1.s ? b1.s : "");
	*en = audit_xstrdup(b2.s ? b2.s : "");
	rc = 0;
out:
	if (counted)
		ct_result_free(&r);
	st_buf_free(&b1);
	st_buf_free(&b2);
	free(mb);
	free(pres);
	free(px);
	free(cd);
	return rc;
}

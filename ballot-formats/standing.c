/*
 * standing.c — who stands at the meeting: each member's standing (a
 * voter or why not, counted in the quorum's base or not; present, remote
 * or absent; the president), then the standing of each mail-in and
 * internet vote. Proxies are proxy.c, which runs between the two.
 *
 * Trusts the profile (validated by its loader), not the meeting: every
 * id is resolved, a member's category must be one of the body's, and a
 * fact a filter needs (dues, registration date, zone or enrolment, birth
 * date) is an error when missing, never a default. Dues are decided on
 * the vote date (ct_dues_standing, for candidates too): from a paid-until
 * date, a payment date under the profile's period, or a true/false where
 * the profile checks no date.
 *
 * Invariants: a member's mode is set here to present, remote or absent,
 * and later only an absent voter's changes (represented, mail-in or
 * internet), once — so the modes stay exclusive; at most one member has
 * the role president.
 */
#include "ballot-formats/count_int.h"
#include "ballot-formats/util.h"

#include <string.h>

int
ct_dues_standing(const struct pr_dues *d, const struct ct_member *mb, int32_t date)
{
	if (mb->has_dues_until)
		return mb->dues_until >= date ? CT_YES : CT_NO;
	if (mb->has_dues_paid_on && d->period_months > 0) {
		/* « valable pour un an à partir de la perception »: from the
		 * payment to the day before the same date a period later. */
		int32_t until = st_date_add_months(mb->dues_paid_on, (int)d->period_months) - 1;
		return mb->dues_paid_on <= date && until >= date ? CT_YES : CT_NO;
	}
	if (d->date_needed)
		return CT_UNKNOWN;
	return mb->dues_paid;
}

int
ct_dues_check(struct ctx *c, const struct pr_dues *d, size_t i, const char *who_fr,
    const char *who, unsigned line, bool *paid)
{
	const struct ct_member *mb = &c->m->members[i];
	int s = ct_dues_standing(d, mb, c->m->date);

	*paid = s == CT_YES;
	if (s != CT_UNKNOWN)
		return 0;
	if (mb->has_dues_paid_on && d->period_months == 0)
		return ct_err(c, line, "%s%.0s « %s » : une date de paiement de la cotisation "
		    "est donnée, mais le profil n'indique pas de durée de validité (art. %s)",
		    "%.0s%s '%s': a dues payment date is given and the profile "
		    "states no dues period (art. %s)", who_fr, who, mb->id, d->src.article);
	if (d->date_needed)
		return ct_err(c, line, "%s%.0s « %s » : dues_paid_until doit être indiqué : la "
		    "cotisation est vérifiée à la date de la réunion (art. %s)",
		    "%.0s%s '%s': dues_paid_until is needed: dues are checked on "
		    "the meeting's date (art. %s)", who_fr, who, mb->id, d->src.article);
	return ct_err(c, line, "%s%.0s « %s » : la cotisation (dues_paid) doit être indiquée "
	    "(art. %s)",
	    "%.0s%s '%s': dues_paid is needed (art. %s)", who_fr, who, mb->id,
	    d->src.article);
}

int32_t
ct_freeze_cutoff(const struct pr_voters *v, int32_t convocation)
{
	return v->freeze == PR_FREEZE_CONVOCATION ? convocation :
	    st_date_end_of_previous_month(convocation);
}

static int
member_filters(struct ctx *c, size_t i, enum ct_reason *fail)
{
	const struct ct_member *mb = &c->m->members[i];
	const struct pr_voters *v = &c->b->voters;
	const struct pr_category *cat = profile_category_find(c->b, mb->category);
	bool paid;

	*fail = CT_R_OK;
	if (v->dues.required && !cat->dues_exempt) {
		if (ct_dues_check(c, &v->dues, i, "membre", "member", mb->line, &paid) != 0)
			return -1;
		if (!paid) {
			*fail = CT_R_DUES;
			return 0;
		}
	}
	if (v->freeze != PR_FREEZE_NONE) {
		if (!c->m->has_convocation_date)
			return ct_err(c, 0, "meeting.convocation_date doit être indiquée pour "
			    "arrêter la liste des votants (art. %s)",
			    "meeting.convocation_date is needed to freeze the roll (art. %s)",
			    v->freeze_src.article);
		if (!mb->has_registered)
			return ct_err(c, mb->line, "membre « %s » : la date d'inscription "
			    "(registered) doit être indiquée (art. %s)",
			    "member '%s': registered date is needed (art. %s)",
			    mb->id, v->freeze_src.article);
		if (mb->registered > ct_freeze_cutoff(v, c->m->convocation_date)) {
			*fail = CT_R_FROZEN;
			return 0;
		}
	}
	if (v->zone == PR_ZONE_GROUP) {
		if (c->m->group == NULL)
			return ct_err(c, 0, "meeting.group doit être indiqué pour le critère de "
			    "zone (art. %s)",
			    "meeting.group is needed for the zone filter (art. %s)",
			    v->zone_src.article);
		if (c->m->group_kind == CT_GROUP_REGIONAL) {
			if (mb->zone == NULL)
				return ct_err(c, mb->line, "membre « %s » : la zone doit être "
				    "indiquée (art. %s)",
				    "member '%s': zone is needed (art. %s)",
				    mb->id, v->zone_src.article);
			if (strcmp(mb->zone, c->m->group) != 0) {
				*fail = CT_R_ZONE;
				return 0;
			}
		} else {
			const struct ct_enrolment *e = NULL;
			for (size_t k = 0; k < mb->n_enrolments; k++)
				if (strcmp(mb->enrolments[k].group, c->m->group) == 0)
					e = &mb->enrolments[k];
			if (e == NULL) {
				*fail = CT_R_NOT_ENROLLED;
				return 0;
			}
			/* "depuis plus d'un an": strictly more than N months. */
			if (st_date_add_months(e->since, (int)v->enrolment_months) >= c->m->date) {
				*fail = CT_R_ENROLMENT_RECENT;
				return 0;
			}
		}
	}
	if (!v->minors_vote) {
		if (!mb->has_birth)
			return ct_err(c, mb->line, "membre « %s » : la date de naissance (birth) "
			    "doit être indiquée (art. %s)",
			    "member '%s': birth date is needed (art. %s)",
			    mb->id, v->minors_src.article);
		if (st_date_age(mb->birth, c->m->date) < 18) {
			*fail = CT_R_MINOR;
			return 0;
		}
	}
	return 0;
}

int
ct_members_assess(struct ctx *c)
{
	const struct ct_meeting *m = c->m;

	for (size_t i = 0; i < m->n_members; i++) {
		const struct ct_member *mb = &m->members[i];
		struct ct_member_standing *s = &c->r->members[i];
		const struct pr_category *cat = profile_category_find(c->b, mb->category);
		enum ct_reason fail = CT_R_OK;

		if (cat == NULL)
			return ct_err(c, mb->line, "membre « %s » : la catégorie « %s » n'est pas "
			    "définie pour l'instance « %s »",
			    "member '%s': category '%s' is not defined for body '%s'",
			    mb->id, mb->category, c->b->id);
		if ((cat->votes || cat->quorum) && member_filters(c, i, &fail) != 0)
			return -1;
		s->voter = cat->votes && fail == CT_R_OK;
		s->reason = !cat->votes ? CT_R_CONSULTATIVE : fail;
		s->quorum_base = cat->quorum && fail == CT_R_OK;
		if (mb->roles & CT_ROLE_PRESIDENT) {
			if (c->president != CT_NONE)
				return ct_err(c, mb->line, "deux membres ont le rôle de président "
				    "(« %s », « %s »)",
				    "two members have the role president ('%s', '%s')",
				    m->members[c->president].id, mb->id);
			c->president = i;
		}
		switch (m->presence ? m->presence[i] : CT_ABSENT) {
		case CT_PRESENT:
			s->mode = CT_MODE_PRESENT;
			break;
		case CT_REMOTE:
			if (!c->b->voters.remote_counts_present)
				return ct_err(c, mb->line, "le membre « %s » participe à distance, "
				    "ce que l'instance « %s » ne prévoit pas (art. %s)",
				    "member '%s' attends remotely, which body '%s' "
				    "does not provide for (art. %s)", mb->id, c->b->id,
				    c->b->voters.remote_src.article);
			s->mode = CT_MODE_REMOTE;
			break;
		default:
			s->mode = CT_MODE_ABSENT;
			break;
		}
	}
	return 0;
}

/* A vote cast without attending (mail-in or internet) by member ms: s
 * refused — the body does not allow it (`refused`), ms is no voter, is
 * there, or already votes otherwise — or accepted, ms's mode becoming
 * `mode`. */
static void
remote_vote_settle(struct ct_mail_standing *s, struct ct_member_standing *ms, bool allowed,
    enum ct_reason refused, enum ct_mode mode)
{
	if (!allowed)
		s->reason = refused;
	else if (!ms->voter)
		s->reason = CT_R_GIVER_NOT_VOTER;
	else if (ct_mode_is_there(ms->mode))
		s->reason = CT_R_GIVER_PRESENT;
	else if (ms->mode != CT_MODE_ABSENT)
		s->reason = CT_R_DUPLICATE;
	else {
		s->accepted = true;
		ms->mode = mode;
	}
}

int
ct_mail_internet_assess(struct ctx *c)
{
	const struct ct_meeting *m = c->m;

	for (size_t k = 0; k < m->n_mail_in; k++) {
		const struct ct_mail_in *mi = &m->mail_in[k];
		struct ct_mail_standing *s = &c->r->mail_in[k];
		size_t v, h;

		if (ct_member_need(c, mi->voter, mi->line, "votant par correspondance",
		    "mail-in voter", &v) != 0)
			return -1;
		if (mi->fallback_holder &&
		    ct_member_need(c, mi->fallback_holder, mi->line, "mandataire de repli",
		    "fallback holder", &h) != 0)
			return -1;
		if (mi->fallback_holder && !c->b->mail_in.fallback_proxy)
			return ct_err(c, mi->line, "vote par correspondance de « %s » : un "
			    "mandataire de repli est désigné, mais l'instance « %s » ne prévoit "
			    "pas de procuration de repli",
			    "mail-in vote of '%s': a fallback holder is named "
			    "but body '%s' has no fallback proxy", mi->voter, c->b->id);
		remote_vote_settle(s, &c->r->members[v], c->b->mail_in.allowed,
		    CT_R_MAIL_NOT_ALLOWED, CT_MODE_MAIL_IN);
	}
	for (size_t k = 0; k < m->n_internet; k++) {
		struct ct_mail_standing *s = &c->r->internet[k];
		size_t v;

		if (ct_member_need(c, m->internet[k], m->internet_line, "votant par internet",
		    "internet voter", &v) != 0)
			return -1;
		remote_vote_settle(s, &c->r->members[v], c->b->internet,
		    CT_R_INTERNET_NOT_ALLOWED, CT_MODE_INTERNET);
	}
	return 0;
}

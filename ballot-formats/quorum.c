/*
 * quorum.c — the meeting's quorum: its base (the members counted in it),
 * who counts toward it by mode (present, remote, represented, mail-in,
 * internet, as the rule says), the threshold with the profile's rounding,
 * and the status — met, not met, none, or a second convocation without
 * quorum. The rule is the profile's, or the meeting's own where the
 * profile leaves it to the meeting (meeting_sets).
 *
 * Trusts the profile, not the meeting: a quorum set by the meeting where
 * the profile states one (or missing where it must), a second
 * convocation the body does not provide for, or an empty base is an
 * error. Runs after the standing steps (standing.c, proxy.c), whose
 * modes it counts.
 *
 * Invariants: a member of the base counts at most once, by their one
 * mode; the threshold is ct_threshold_required's; a meeting whose quorum
 * is not met cannot deliberate, and every question asks
 * ct_quorum_can_deliberate.
 */
#include "ballot-formats/count_int.h"

int
ct_quorum_compute(struct ctx *c)
{
	const struct pr_quorum *q = &c->b->quorum;
	const struct ct_meeting *m = c->m;
	struct ct_quorum_result *qr = &c->r->quorum;

	qr->rule = q;
	if (q->kind == PR_QUORUM_MEETING_SETS) {
		if (!m->has_quorum_override)
			return ct_err(c, 0, "le profil laisse le quorum de l'instance « %s » à la "
			    "réunion (art. %s) : meeting.quorum doit l'indiquer",
			    "the profile leaves the quorum of body '%s' to the meeting "
			    "(art. %s): meeting.quorum must state it", c->b->id, q->src.article);
		qr->meeting_set = true;
		if (m->quorum.none) {
			qr->status = CT_QUORUM_NONE;
			return 0;
		}
		if (q->meeting_rounding && m->quorum.t.rounding != q->rounding)
			return ct_err(c, 0, "meeting.quorum.rounding doit être « %s » (art. %s)",
			    "meeting.quorum.rounding must be '%s' (art. %s)",
			    q->rounding == PR_ROUND_FLOOR ? "floor" : q->rounding == PR_ROUND_CEIL ?
			    "ceil" : "none", q->src.article);
		qr->counts = m->quorum.counts;
		qr->t = m->quorum.t;
		qr->second_no_quorum = m->quorum.second_no_quorum;
	} else {
		if (m->has_quorum_override)
			return ct_err(c, 0, "le profil fixe le quorum de l'instance « %s » (art. "
			    "%s) ; la réunion ne peut pas le fixer",
			    "the profile states the quorum of body '%s' (art. %s); "
			    "the meeting cannot set it", c->b->id, q->src.article);
		if (q->kind == PR_QUORUM_NONE) {
			if (m->second_convocation)
				return ct_err(c, 0, "l'instance « %s » n'a pas de quorum, donc pas "
				    "de seconde convocation",
				    "body '%s' has no quorum, so no second convocation",
				    c->b->id);
			qr->status = CT_QUORUM_NONE;
			return 0;
		}
		qr->counts = q->counts;
		qr->t = q->t;
		qr->second_no_quorum = q->second_no_quorum;
	}
	for (size_t i = 0; i < m->n_members; i++) {
		const struct ct_member_standing *s = &c->r->members[i];
		if (!s->quorum_base)
			continue;
		qr->base++;
		switch (s->mode) {
		case CT_MODE_PRESENT:
			if (qr->counts & PR_COUNT_PRESENT) qr->present++;
			break;
		case CT_MODE_REMOTE:
			if (qr->counts & PR_COUNT_REMOTE) qr->remote++;
			break;
		case CT_MODE_REPRESENTED:
			if (qr->counts & PR_COUNT_REPRESENTED) qr->represented++;
			break;
		case CT_MODE_MAIL_IN:
			if (qr->counts & PR_COUNT_MAIL_IN) qr->mail_in++;
			break;
		case CT_MODE_INTERNET:
			if (qr->counts & PR_COUNT_INTERNET) qr->internet++;
			break;
		default:
			break;
		}
	}
	qr->counted = qr->present + qr->remote + qr->represented + qr->mail_in + qr->internet;
	if (m->second_convocation) {
		if (!qr->second_no_quorum)
			return ct_err(c, 0, "l'instance « %s » n'a pas de règle de seconde "
			    "convocation",
			    "body '%s' has no rule for a second convocation", c->b->id);
		qr->status = CT_QUORUM_SECOND_NONE;
		return 0;
	}
	if (qr->base == 0)
		return ct_err(c, 0, "aucun membre de la liste ne compte pour le quorum de "
		    "l'instance « %s »",
		    "no member of the roll counts toward the quorum of body '%s'",
		    c->b->id);
	qr->required = ct_threshold_required(&qr->t, qr->base);
	qr->status = qr->counted >= qr->required ? CT_QUORUM_MET : CT_QUORUM_NOT_MET;
	return 0;
}

bool
ct_quorum_can_deliberate(const struct ctx *c)
{
	return c->r->quorum.status != CT_QUORUM_NOT_MET;
}

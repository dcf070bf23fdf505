/*
 * amendment.c — amendments to a motion under a body's statutes (profile
 * `amendments`, docs/profiles.md): whether the body admits one proposed
 * with so many supporting members (ct_amendment_admit), and whether a
 * counted amendment amends its motion (ct_amendment_carried). The server
 * applies these decisions (server/amendment.c) and the record's verifier
 * re-takes them (audit/verify_amendment.c).
 *
 * Trusts the loaded profile. Pure: no I/O, no allocation.
 *
 * Invariants: a body without `amendments` admits none; below the
 * profile's number of supporters an amendment is refused with the
 * article; only an amendment whose outcome is `adopted` amends.
 */
#include <string.h>

#include "ballot-formats/count.h"
#include "ballot-formats/util.h"

int
ct_amendment_admit(const struct pr_body *b, bool has_supporters,
    uint32_t supporters, enum pr_amend_mode *mode, struct st_msg *why)
{
	const struct pr_amendments *a = &b->amendments;

	*mode = a->mode;
	if (a->mode == PR_AMEND_NONE) {
		st_msg_set(why, 0, "Les statuts ne prévoient pas d'amendement"
		    " pour « %s » : la motion est votée telle qu'elle a été"
		    " proposée.", "The statutes provide for no amendment in"
		    " « %s »: the motion is voted as it was proposed.",
		    b->label);
		return -1;
	}
	if (a->supporters > 0 && (!has_supporters ||
	    supporters < a->supporters)) {
		if (has_supporters)
			st_msg_set(why, 0, "Pour proposer un amendement, le"
			    " membre doit être soutenu par au moins %u autres"
			    " membres (art. %s) : %u indiqués.", "To propose an"
			    " amendment the member must be supported by at"
			    " least %u other members (art. %s): %u given.",
			    a->supporters, a->src.article, supporters);
		else
			st_msg_set(why, 0, "Pour proposer un amendement, le"
			    " membre doit être soutenu par au moins %u autres"
			    " membres (art. %s) : indiquez leur nombre.", "To"
			    " propose an amendment the member must be"
			    " supported by at least %u other members (art."
			    " %s): give their number.", a->supporters,
			    a->src.article);
		return -1;
	}
	return 0;
}

bool
ct_amendment_carried(const char *outcome)
{
	return outcome != NULL &&
	    strcmp(outcome, ct_outcome_code(CT_OUT_ADOPTED)) == 0;
}

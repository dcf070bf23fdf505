/*
 * quorum.c — the quorum object the server publishes, from one statutes
 * engine result (ct_count): the meeting's live attendance (attendance.c,
 * GET meetings/{m} and the "attendance" event: the members there now and
 * the proxies in force now) and each counted question's result
 * (result.c: the attendance and proxies at its opening) are written by
 * the same function, so that the moderator's console, the projector and
 * a result say the same thing of the same facts.
 *
 * Trusts the engine's result: every figure is one of its fields, the
 * sentence is the engine's own (phrase_quorum, French and English);
 * nothing is recounted here.
 *
 * Invariants: "status" is met, not_met or none (a second convocation
 * without quorum is "none" with "second_convocation": true); the voices
 * are those the profile counts (the engine's present, remote,
 * represented, mail-in and internet counts) and "counts" names which.
 */
#include "server/meeting_int.h"

#include <stdlib.h>

#include "ballot-formats/phrase.h"

/* The count modes the quorum counts (pr_count_mode flags), by name. */
static json_t *
quorum_counts(unsigned counts)
{
	static const struct { unsigned bit; const char *name; } modes[] = {
		{ PR_COUNT_PRESENT, "present" }, { PR_COUNT_REMOTE, "remote" },
		{ PR_COUNT_REPRESENTED, "represented" },
		{ PR_COUNT_MAIL_IN, "mail_in" }, { PR_COUNT_INTERNET, "internet" },
	};
	json_t *a = json_array();

	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
		if (counts & modes[i].bit)
			json_array_append_new(a, json_string(modes[i].name));
	return a;
}

json_t *
quorum_json(const struct ct_result *res)
{
	const struct ct_quorum_result *q = &res->quorum;
	struct st_buf fr = { 0 }, en = { 0 };
	json_t *o;

	phrase_quorum(&fr, res, PH_FR);
	phrase_quorum(&en, res, PH_EN);
	o = json_pack("{s:s,s:i,s:i,s:i,s:{s:i,s:i,s:i,s:i,s:i},s:o,"
	    "s:{s:i,s:i,s:s,s:s,s:i},s:s,s:b,s:b,s:b,s:{s:s,s:s}}",
	    "status", q->status == CT_QUORUM_MET ? "met" :
	    q->status == CT_QUORUM_NOT_MET ? "not_met" : "none",
	    "counted", (int)q->counted, "required", (int)q->required,
	    "base", (int)q->base,
	    "voices", "present", (int)q->present, "remote", (int)q->remote,
	    "represented", (int)q->represented, "mail_in", (int)q->mail_in,
	    "internet", (int)q->internet,
	    "counts", quorum_counts(q->counts),
	    "threshold", "num", (int)q->t.num, "den", (int)q->t.den,
	    "rounding", q->t.rounding == PR_ROUND_FLOOR ? "floor" :
	    q->t.rounding == PR_ROUND_CEIL ? "ceil" : "none",
	    "compare", q->t.compare == PR_MORE_THAN ? "more_than" : "at_least",
	    "plus", (int)q->t.plus,
	    "article", q->rule != NULL ? q->rule->src.article : "",
	    "meeting_set", q->meeting_set,
	    "second_convocation", q->status == CT_QUORUM_SECOND_NONE,
	    "second_no_quorum", q->second_no_quorum,
	    "sentence", "fr", fr.s ? fr.s : "", "en", en.s ? en.s : "");
	/* A second convocation: its article, for a page that words it. */
	if (o != NULL && q->status == CT_QUORUM_SECOND_NONE)
		json_object_set_new(o, "second_article", json_string(
		    q->meeting_set || q->rule == NULL ? "—" :
		    q->rule->second_src.article));
	st_buf_free(&fr);
	st_buf_free(&en);
	return o;
}

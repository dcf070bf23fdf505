/*
 * phrase.c — French (and English) sentences for quorum and results.
 *
 * Trusts the ct_result it is given (produced by ct_count). Plurals are
 * handled for every count; names come from the roll (the id when the
 * roll gives no name). The French wording follows the moderator's usage:
 * « Motion adoptée à la majorité absolue : 15 voix pour sur 27 suffrages
 * exprimés (seuil : 14). »
 */
#include "ballot-formats/phrase.h"

#include <stdio.h>
#include <string.h>

#define L(fr, en) (lang == PH_FR ? (fr) : (en))

static const char *
name_of(const struct ct_result *r, size_t i)
{
	const struct ct_member *m = &r->meeting->members[i];

	return m->name ? m->name : m->id;
}

/* Members by index, named, separated by commas. */
static void
names_list(struct st_buf *b, const struct ct_result *r, const size_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		st_buf_printf(b, "%s%s", i ? ", " : "", name_of(r, v[i]));
}

static const char *
pl(uint32_t n, const char *one, const char *many)
{
	return n <= 1 ? one : many;
}

/* s with its first letter capitalized (ASCII, the accented lowercase
 * letters of Latin-1 and œ, in UTF-8), into out (cap bytes). */
static const char *
cap_first(char *out, size_t cap, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	(void)snprintf(out, cap, "%s", s);
	if (u[0] >= 'a' && u[0] <= 'z')
		out[0] = (char)(u[0] - 'a' + 'A');
	else if (u[0] == 0xc3 && u[1] >= 0xa0 && u[1] <= 0xbe && u[1] != 0xb7 && cap > 2)
		out[1] = (char)(u[1] - 0x20);
	else if (u[0] == 0xc5 && u[1] == 0x93 && cap > 2)
		out[1] = (char)0x92;
	return out;
}

/* Alternative motions are motions (ANIMT IV), whatever their rule. */
static const struct pr_subject MOTION = {"la motion", true, "the motion"};

/* A subject (struct pr_subject) at the start of a sentence: "Le conseil
 * d'administration", "The board". */
static const char *
subject_start(char *out, size_t cap, const struct pr_subject *s, enum ph_lang lang)
{
	return cap_first(out, cap, L(s->fr, s->en));
}

/* A subject without its article, capitalized, before an outcome: "Vœu"
 * (adopté), "Motion" (adoptée). */
static const char *
subject_bare(char *out, size_t cap, const struct pr_subject *s, enum ph_lang lang)
{
	static const char *const ART[] = {"le ", "la ", "l'", "l\xe2\x80\x99", "the ", "The "};
	const char *t = L(s->fr, s->en);

	for (size_t i = 0; i < sizeof ART / sizeof ART[0]; i++)
		if (strncmp(t, ART[i], strlen(ART[i])) == 0) {
			t += strlen(ART[i]);
			break;
		}
	return cap_first(out, cap, t);
}

static void
counts_phrase(struct st_buf *b, unsigned counts, uint32_t n, enum ph_lang lang)
{
	const char *fr[5] = {"présents", "à distance", "représentés",
		"ayant voté par correspondance", "ayant voté par internet"};
	const char *fr1[5] = {"présent", "à distance", "représenté",
		"ayant voté par correspondance", "ayant voté par internet"};
	const char *en[5] = {"present", "remote", "represented", "voting by mail",
		"voting online"};
	unsigned bits[5] = {PR_COUNT_PRESENT, PR_COUNT_REMOTE, PR_COUNT_REPRESENTED,
		PR_COUNT_MAIL_IN, PR_COUNT_INTERNET};
	size_t total = 0, seen = 0;

	for (int i = 0; i < 5; i++)
		total += (counts & bits[i]) != 0;
	st_buf_printf(b, "%s", L(n <= 1 ? "membre " : "membres ", n == 1 ? "member " : "members "));
	for (int i = 0; i < 5; i++) {
		if (!(counts & bits[i]))
			continue;
		if (seen > 0)
			st_buf_printf(b, "%s", seen + 1 == total ? L(" ou ", " or ") : ", ");
		st_buf_printf(b, "%s", lang == PH_FR ? (n <= 1 ? fr1[i] : fr[i]) : en[i]);
		seen++;
	}
}

void
phrase_quorum(struct st_buf *b, const struct ct_result *r, enum ph_lang lang)
{
	const struct ct_quorum_result *q = &r->quorum;
	const struct pr_subject *who = &r->body->subject;
	const char *art = q->rule->src.article;
	char who_start[PR_LABEL_MAX + 4];

	subject_start(who_start, sizeof who_start, who, lang);
	switch (q->status) {
	case CT_QUORUM_NONE:
		if (q->meeting_set)
			st_buf_printf(b, "%s", L("Aucun quorum n'est requis (fixé pour cette réunion).",
			    "No quorum is required (set for this meeting)."));
		else
			st_buf_printf(b, L("Aucun quorum n'est requis (art. %s).",
			    "No quorum is required (art. %s)."), art);
		return;
	case CT_QUORUM_SECOND_NONE:
		st_buf_printf(b, L("Seconde convocation : %s délibère quel que soit le nombre "
		    "de membres présents ou représentés (art. %s).",
		    "Second convocation: %s deliberates whatever the number of members "
		    "present or represented (art. %s)."), L(who->fr, who->en),
		    q->meeting_set ? "—" : q->rule->second_src.article);
		return;
	case CT_QUORUM_MET:
	case CT_QUORUM_NOT_MET:
		st_buf_printf(b, "%s %u ", q->status == CT_QUORUM_MET ?
		    L("Quorum atteint :", "Quorum reached:") : L("Quorum non atteint :", "Quorum not reached:"),
		    q->counted);
		counts_phrase(b, q->counts, q->counted, lang);
		st_buf_printf(b, L(" sur %u (seuil : %u", " out of %u (threshold: %u"), q->base, q->required);
		if (!q->meeting_set)
			st_buf_printf(b, ", art. %s", art);
		st_buf_printf(b, ").");
		if (q->status == CT_QUORUM_NOT_MET) {
			st_buf_printf(b, L(" %s ne peut pas délibérer.", " %s cannot deliberate."),
			    who_start);
			if (q->second_no_quorum && !q->meeting_set)
				st_buf_printf(b, L(" %s sera de nouveau convoqué%s %s et délibérera "
				    "alors sans condition de quorum (art. %s).", " %s will be convened "
				    "again%.0s (%s) and will then deliberate without a quorum (art. %s)."),
				    L(who->feminine ? "Elle" : "Il", "It"), who->feminine ? "e" : "",
				    q->rule->second_delay, q->rule->second_src.article);
			else if (q->second_no_quorum)
				st_buf_printf(b, "%s", L(" Une seconde convocation délibérera sans "
				    "condition de quorum.", " A second convocation will deliberate "
				    "without a quorum."));
		}
		return;
	}
}

static const char *
base_words(enum pr_base base, uint32_t n, enum ph_lang lang)
{
	switch (base) {
	case PR_BASE_EXPRESSED:
		return L(pl(n, "suffrage exprimé", "suffrages exprimés"), "votes cast");
	case PR_BASE_VOICES:
		return L(pl(n, "membre présent ou représenté", "membres présents ou représentés"),
		    "members present or represented");
	case PR_BASE_PRESENT:
		return L(pl(n, "membre présent", "membres présents"), "members present");
	case PR_BASE_MEMBERS:
		return L(pl(n, "membre", "membres"), "members");
	default:
		return L(pl(n, "bulletin valable", "bulletins valables"), "valid ballots");
	}
}

static void
totals_phrase(struct st_buf *b, const struct ct_totals *t, enum ph_lang lang)
{
	uint32_t a = t->v[CT_ABSTENTION];

	st_buf_printf(b, L("%u voix pour, %u contre, %u %s", "%u for, %u against, %u %s"),
	    t->v[CT_POUR], t->v[CT_CONTRE], a,
	    L(pl(a, "abstention", "abstentions"), a == 1 ? "abstention" : "abstentions"));
}

/* A tie under a rule with the president's casting vote: it applied (the
 * way he voted), or why it did not and the tie rejects, or his vote is
 * still needed. */
static void
tie_phrase(struct st_buf *b, const struct ct_question_result *qr, const struct ct_motion_eval *e,
    const char *noun, enum ph_lang lang)
{
	static const char *const WHY_FR[] = {
		[CT_CAST_NO_PRESIDENT] = "aucun membre n'est désigné président : pas de voix "
		    "prépondérante",
		[CT_CAST_ABSENT] = "le président, absent, n'a pas de voix prépondérante",
		[CT_CAST_NO_VOICE] = "le président ne prend pas part à ce vote : pas de voix "
		    "prépondérante",
		[CT_CAST_DID_NOT_VOTE] = "le président n'a pas voté : pas de voix prépondérante",
		[CT_CAST_ABSTAINED] = "le président s'est abstenu : pas de voix prépondérante",
		[CT_CAST_SECRET] = "le vote du président est secret : pas de voix prépondérante",
	};
	static const char *const WHY_EN[] = {
		[CT_CAST_NO_PRESIDENT] = "no member is designated president: no casting vote",
		[CT_CAST_ABSENT] = "the president, absent, has no casting vote",
		[CT_CAST_NO_VOICE] = "the president takes no part in this vote: no casting vote",
		[CT_CAST_DID_NOT_VOTE] = "the president did not vote: no casting vote",
		[CT_CAST_ABSTAINED] = "the president abstained: no casting vote",
		[CT_CAST_SECRET] = "the president's vote is secret: no casting vote",
	};
	const char *art = qr->rule->src.article;
	bool pour = e->outcome == CT_OUT_ADOPTED;

	switch (e->casting) {
	case CT_CAST_NEEDED:
		if (qr->secret_required || qr->q->held_secret)
			st_buf_printf(b, L("Partage des voix (%u pour, %u contre) : le président doit "
			    "déclarer son vote pour que sa voix prépondérante tranche (art. %s).",
			    "Tie (%u for, %u against): the president must declare his vote for his "
			    "casting vote to decide (art. %s)."), e->totals.v[CT_POUR],
			    e->totals.v[CT_CONTRE], art);
		else
			st_buf_printf(b, L("Partage des voix (%u pour, %u contre) : le vote du président "
			    "doit être connu pour que sa voix prépondérante tranche (art. %s).",
			    "Tie (%u for, %u against): the president's vote must be known for his "
			    "casting vote to decide (art. %s)."), e->totals.v[CT_POUR],
			    e->totals.v[CT_CONTRE], art);
		return;
	case CT_CAST_USED:
		st_buf_printf(b, L("%s %s par la voix prépondérante du président (art. %s) : partage "
		    "des voix, ", "%s %s by the president's casting vote (art. %s): a tie, "), noun,
		    pour ? L("adoptée", "adopted") : L("rejetée", "rejected"), art);
		totals_phrase(b, &e->totals, lang);
		st_buf_printf(b, L(" ; le président a voté %s.", "; the president voted %s."),
		    pour ? L("pour", "for") : L("contre", "against"));
		return;
	default:
		st_buf_printf(b, L("%s rejetée : partage des voix, ", "%s rejected: a tie, "), noun);
		totals_phrase(b, &e->totals, lang);
		st_buf_printf(b, L(" ; %s (art. %s).", "; %s (art. %s)."), (unsigned)e->casting <
		    sizeof WHY_FR / sizeof WHY_FR[0] && WHY_FR[e->casting] ?
		    L(WHY_FR[e->casting], WHY_EN[e->casting]) : "?", art);
		return;
	}
}

static void
motion_phrase(struct st_buf *b, const struct ct_result *r, const struct ct_question_result *qr,
    const struct ct_motion_eval *e, const char *noun_fr, const char *noun_en, enum ph_lang lang)
{
	const struct pr_decision *rule = qr->rule;
	uint32_t pour = e->totals.v[CT_POUR];
	const char *noun = L(noun_fr, noun_en);
	/* What a motion's rule adopts: "Vœu adopté", "Motion adoptée";
	 * alternatives are named by their titles (noun), as motions. */
	const struct pr_subject *what = qr->q->kind == CT_Q_MOTION ? &rule->subject : &MOTION;
	char own[PR_LABEL_MAX];
	const char *subj = qr->q->kind == CT_Q_MOTION ? subject_bare(own, sizeof own, what, lang) :
	    noun;
	const char *adopted = L(what->feminine ? "adoptée" : "adopté", "adopted");
	const char *rejected = L(what->feminine ? "rejetée" : "rejeté", "rejected");

	(void)r;
	if (rule->majority == PR_MAJ_RELATIVE) {
		if (e->tie && e->casting != CT_CAST_NA) {
			tie_phrase(b, qr, e, noun, lang);
			return;
		}
		if (e->outcome == CT_OUT_ADOPTED) {
			st_buf_printf(b, L("%s %s à la %s : ", "%s %s by %s: "), subj, adopted, rule->label);
			totals_phrase(b, &e->totals, lang);
			st_buf_printf(b, ".");
		} else if (e->tie) {
			st_buf_printf(b, L("%s rejetée : partage des voix, ", "%s rejected: a tie, "), noun);
			totals_phrase(b, &e->totals, lang);
			st_buf_printf(b, ".");
		} else {
			st_buf_printf(b, L("%s %s : ", "%s %s: "), subj, rejected);
			totals_phrase(b, &e->totals, lang);
			st_buf_printf(b, L(" (%s non atteinte).", " (%s not reached)."), rule->label);
		}
		return;
	}
	if (e->outcome == CT_OUT_ADOPTED) {
		st_buf_printf(b, L("%s %s à la %s : %u voix pour sur %u %s (seuil : %u).",
		    "%s %s by %s: %u for out of %u %s (threshold: %u)."), subj, adopted, rule->label,
		    pour, e->base, base_words(rule->base, e->base, lang), e->required);
		return;
	}
	st_buf_printf(b, L("%s %s : %u voix pour sur %u %s ; la %s demandait %u.",
	    "%s %s: %u for out of %u %s; %s required %u."), subj, rejected, pour, e->base,
	    base_words(rule->base, e->base, lang), rule->label, e->required);
	if (e->outcome == CT_OUT_REVOTE_NEXT_AG)
		st_buf_printf(b, L(" Les abstentions sont majoritaires (%u) : %s sera revoté%s "
		    "sans amendement à la prochaine assemblée générale, à la majorité relative (art. %s).",
		    " Abstentions have the majority (%u): %s will be voted again%.0s, without "
		    "amendment, at the next general meeting by relative majority (art. %s)."),
		    e->totals.v[CT_ABSTENTION], L(what->fr, what->en), what->feminine ? "e" : "",
		    rule->src.article);
}

/* What an election's count is out of: the valid ballots of a secret
 * ballot; else the votes cast (« suffrages exprimés »), true of a show of
 * hands, which has no ballots. */
static const char *
ballots_words(const struct ct_question_result *qr, uint32_t n, enum ph_lang lang)
{
	if (qr->secret_required)
		return L(pl(n, "bulletin valable", "bulletins valables"), "valid ballots");
	return L(pl(n, "suffrage exprimé", "suffrages exprimés"), "votes cast");
}

static void
cand_list(struct st_buf *b, const struct ct_result *r, const struct ct_question_result *qr,
    int which, enum ph_lang lang)
{
	size_t n = 0;

	for (size_t k = 0; k < qr->n_cands; k++) {
		const struct ct_cand_result *c = &qr->cands[k];
		bool in = which == 0 ? c->elected : c->tied;
		if (!in)
			continue;
		st_buf_printf(b, "%s%s (%u %s)", n ? ", " : "", name_of(r, c->member), c->votes,
		    L("voix", c->votes == 1 ? "vote" : "votes"));
		n++;
	}
}

/* The cooptation list, best placed first: « c03 (29 voix), puis c02 et
 * c04 ex aequo (20 voix chacun), puis c05 (3 voix) ». */
static void
coopt_list(struct st_buf *b, const struct ct_result *r, const struct ct_question_result *qr,
    enum ph_lang lang)
{
	size_t k = 0;
	bool first = true;

	while (k < qr->n_cands) {
		const struct ct_cand_result *c = &qr->cands[k];
		size_t end = k + 1, n;
		if (!c->coopt) {
			k++;
			continue;
		}
		while (end < qr->n_cands && (!qr->cands[end].coopt ||
		    qr->cands[end].coopt_rank == c->coopt_rank))
			end++;
		st_buf_printf(b, "%s", first ? "" : L(", puis ", ", then "));
		n = 0;
		for (size_t j = k; j < end; j++)
			if (qr->cands[j].coopt)
				n++;
		for (size_t j = k, i = 0; j < end; j++) {
			if (!qr->cands[j].coopt)
				continue;
			st_buf_printf(b, "%s%s", i == 0 ? "" : i + 1 == n ? L(" et ", " and ") : ", ",
			    name_of(r, qr->cands[j].member));
			i++;
		}
		if (n > 1)
			st_buf_printf(b, L(" ex aequo (%u voix chacun)", " tied (%u votes each)"),
			    c->votes);
		else
			st_buf_printf(b, " (%u %s)", c->votes, L("voix", c->votes == 1 ? "vote" : "votes"));
		first = false;
		k = end;
	}
}

/* Nobody has the absolute majority of round 1: a second round where the
 * text provides one, citing its article; where it says nothing of one,
 * the article of the majority only, and the body may decide one (the
 * profile's reading); with no word from the profile, no article. */
static void
second_round_phrase(struct st_buf *b, const struct ct_result *r,
    const struct ct_question_result *qr, const char *post, enum ph_lang lang)
{
	const struct pr_election *er = qr->erule;
	const char *words = ballots_words(qr, qr->ballots, lang);

	st_buf_printf(b, L("%s : aucun candidat n'obtient la majorité absolue (seuil : %u sur %u %s",
	    "%s: no candidate has an absolute majority (threshold: %u of %u %s"), post,
	    qr->required, qr->ballots, words);
	switch (er->second_round) {
	case PR_SECOND_STATED:
		st_buf_printf(b, L("). Un second tour est nécessaire, à la majorité relative (art. %s).",
		    "). A second round is needed, by relative majority (art. %s)."),
		    er->second_round_src.article);
		return;
	case PR_SECOND_NOT_STATED:
		st_buf_printf(b, L(", art. %s). Le règlement ne prévoit pas de second tour : %s peut "
		    "en décider un, à la majorité relative.", ", art. %s). The rules provide no "
		    "second round: %s may decide to hold one, by relative majority."),
		    er->second_round_src.article, L(r->body->subject.fr, r->body->subject.en));
		return;
	case PR_SECOND_UNSAID:
	default:
		st_buf_printf(b, "%s", L("). Un second tour est nécessaire, à la majorité relative.",
		    "). A second round is needed, by relative majority."));
		return;
	}
}

static void
election_phrase(struct st_buf *b, const struct ct_result *r, const struct ct_question_result *qr,
    enum ph_lang lang)
{
	static const char *const TBFR[] = {"la fonction", "la ville non encore représentée",
		"le nombre de semestres validés", "le sexe (parité)", "l'âge"};
	static const char *const TBEN[] = {"function", "city not yet represented",
		"validated semesters", "sex (parity)", "age"};
	const struct ct_question *q = qr->q;
	const struct pr_election *er = qr->erule;
	const char *post = q->post ? q->post : er->label;

	if (qr->presided_by != CT_NONE)
		st_buf_printf(b, L("Scrutin présidé par %s : %s. ", "Vote presided by %s: %s. "),
		    qr->presided_by_eldest ? L("le doyen d'âge", "the eldest member") :
		    L("le président élu", "the newly elected president"), name_of(r, qr->presided_by));
	switch (qr->outcome) {
	case CT_OUT_ELECTED:
	case CT_OUT_PARTLY_ELECTED:
		st_buf_printf(b, L("%s (%s) : ", "%s (%s): "),
		    L(q->seats > 1 ? "Élus" : "Élu(e)", "Elected"), post);
		cand_list(b, r, qr, 0, lang);
		st_buf_printf(b, L(", sur %u %s", ", out of %u %s"), qr->ballots,
		    ballots_words(qr, qr->ballots, lang));
		if (qr->required && er->method != PR_METHOD_PLURALITY)
			st_buf_printf(b, L(" (seuil : %u)", " (threshold: %u)"), qr->required);
		st_buf_printf(b, ".");
		for (size_t k = 0; k < qr->n_cands; k++)
			if (qr->cands[k].decided_by >= 0) {
				enum pr_tiebreak t = er->tiebreak[qr->cands[k].decided_by];
				st_buf_printf(b, L(" Égalité départagée par %s en faveur de %s.",
				    " Tie broken by %s in favour of %s."), L(TBFR[t], TBEN[t]),
				    name_of(r, qr->cands[k].member));
			}
		break;
	case CT_OUT_SECOND_ROUND:
		second_round_phrase(b, r, qr, post, lang);
		return;
	case CT_OUT_TIE_UNRESOLVED:
		st_buf_printf(b, L("%s : égalité non départagée entre ", "%s: unresolved tie between "), post);
		cand_list(b, r, qr, 1, lang);
		st_buf_printf(b, "%s", L(" ; le règlement ne départage pas, le vote doit être repris.",
		    "; the rules do not break it, the vote must be held again."));
		if (qr->unfilled && qr->outcome == CT_OUT_TIE_UNRESOLVED) {
			bool any = false;
			for (size_t k = 0; k < qr->n_cands; k++)
				any = any || qr->cands[k].elected;
			if (any) {
				st_buf_printf(b, L(" Déjà élus : ", " Already elected: "));
				cand_list(b, r, qr, 0, lang);
				st_buf_printf(b, ".");
			}
		}
		return;
	case CT_OUT_NOBODY_ELECTED:
		st_buf_printf(b, L("%s : aucun candidat élu", "%s: nobody elected"), post);
		if (qr->required && er->method != PR_METHOD_PLURALITY)
			st_buf_printf(b, L(" (seuil : %u sur %u %s)", " (threshold: %u of %u %s)"),
			    qr->required, qr->ballots, ballots_words(qr, qr->ballots, lang));
		st_buf_printf(b, ".");
		break;
	default:
		break;
	}
	if (qr->unfilled > 0 && qr->outcome != CT_OUT_TIE_UNRESOLVED) {
		st_buf_printf(b, L(" %u %s.", " %u seat(s) unfilled."), qr->unfilled,
		    L(pl(qr->unfilled, "siège non pourvu", "sièges non pourvus"), ""));
		bool any = false;
		for (size_t k = 0; k < qr->n_cands; k++)
			any = any || qr->cands[k].coopt;
		if (any) {
			st_buf_printf(b, L(" Cooptation possible par le conseil d'administration "
			    "(%u/%u de ses membres, art. %s), dans l'ordre des voix obtenues : ",
			    " The board may co-opt (%u/%u of its members, art. %s), in order of "
			    "votes: "), er->coopt_t.num, er->coopt_t.den, er->coopt_src.article);
			coopt_list(b, r, qr, lang);
			st_buf_printf(b, ".");
		}
	}
}

/* The candidates on the ballot who cannot be elected: short of seniority,
 * without an exception adopted before the election (Espace+ 5). */
static void
ineligible_phrase(struct st_buf *b, const struct ct_result *r, const struct ct_question_result *qr,
    enum ph_lang lang)
{
	const char *art = r->body->candidates.seniority_src.article;

	for (size_t k = 0; k < qr->n_cands; k++) {
		const struct ct_cand_result *c = &qr->cands[k];
		if (c->ineligible == CT_INELIG_NONE)
			continue;
		st_buf_printf(b, L(" %s n'est pas éligible : ancienneté insuffisante", " %s is not "
		    "eligible: not a member for long enough"), name_of(r, c->member));
		if (c->ineligible == CT_INELIG_NO_EXCEPTION)
			st_buf_printf(b, "%s", L(", sans exception votée", ", and no exception was voted"));
		else if (c->ineligible == CT_INELIG_EXCEPTION_NOT_COUNTED)
			st_buf_printf(b, L(", l'exception (question %s) n'étant pas dépouillée avant "
			    "cette élection", "; the exception (question %s) is not counted before this "
			    "election"), c->exception);
		else
			st_buf_printf(b, L(", l'exception (question %s) ayant été rejetée",
			    "; the exception (question %s) was rejected"), c->exception);
		st_buf_printf(b, " (art. %s).", art);
	}
}

void
phrase_secrecy(struct st_buf *b, unsigned why, const char *article, bool has_askers,
    uint32_t askers, uint32_t required, uint32_t present, enum ph_lang lang)
{
	const unsigned trig = CT_SECRET_OBJECTION | CT_SECRET_BUREAU | CT_SECRET_CA |
	    CT_SECRET_FRACTION;
	const char *art = article != NULL && article[0] != '\0' ? article : "?";
	bool first = true;

	if (why == CT_SECRET_WAIVED) {
		st_buf_printf(b, L("Vote à main levée par renonciation unanime au scrutin secret "
		    "(art. %s).", "Show of hands by unanimous waiver of the secret ballot (art. %s)."),
		    art);
		return;
	}
	if (why & trig) {
		st_buf_printf(b, "%s", L("Vote à bulletin secret à la demande ",
		    "Secret ballot at the request "));
		if (why & CT_SECRET_OBJECTION) {
			st_buf_printf(b, "%s", L("d'un membre", "of a member"));
			first = false;
		}
		if (why & CT_SECRET_BUREAU) {
			st_buf_printf(b, "%s%s", first ? "" : L(" et ", " and "),
			    L("du Bureau", "of the Bureau"));
			first = false;
		}
		if (why & CT_SECRET_CA) {
			st_buf_printf(b, "%s%s", first ? "" : L(" et ", " and "),
			    L("du conseil d'administration", "of the board"));
			first = false;
		}
		if (why & CT_SECRET_FRACTION)
			st_buf_printf(b, L("%sde %u membre%s présent%s sur %u, %u requis",
			    "%sof %u member%s present%s out of %u, %u required"),
			    first ? "" : L(" et ", " and "), askers, askers > 1 ? "s" : "",
			    lang == PH_FR && askers > 1 ? "s" : "", present, required);
		st_buf_printf(b, " (art. %s).", art);
		return;
	}
	if (has_askers && askers > 0)
		st_buf_printf(b, L("Vote à main levée : %u membre%s présent%s sur %u %s le "
		    "scrutin secret, %u requis (art. %s).", "Show of hands: %u member%s present%s "
		    "out of %u %s for a secret ballot, %u required (art. %s)."), askers,
		    askers > 1 ? "s" : "", lang == PH_FR && askers > 1 ? "s" : "", present,
		    askers > 1 ? L("demandent", "ask") : L("demande", "asks"), required, art);
}

/* The unanimous waiver asked, and the members with a vote not there,
 * which leave the vote secret (A-IMI 12). */
static void
unanimity_phrase(struct st_buf *b, const struct ct_result *r, const struct ct_question_result *qr,
    enum ph_lang lang)
{
	st_buf_printf(b, "%s", L("Pas de renonciation unanime au scrutin secret : ",
	    "No unanimous waiver of the secret ballot: "));
	names_list(b, r, qr->unanimity_absent, qr->n_unanimity_absent);
	st_buf_printf(b, " %s (art. %s). ", lang == PH_FR && qr->n_unanimity_absent > 1 ?
	    "absents" : "absent", r->body->secret.src.article);
}

void
phrase_question(struct st_buf *b, const struct ct_result *r, size_t k, enum ph_lang lang)
{
	const struct ct_question_result *qr = &r->questions[k];
	const struct ct_question *q = qr->q;

	if (qr->outcome == CT_OUT_CANNOT_DELIBERATE) {
		st_buf_printf(b, "%s", L("Pas de décision : le quorum n'est pas atteint.",
		    "No decision: the quorum is not reached."));
		return;
	}
	if (qr->secret_required)
		st_buf_printf(b, "%s", L("Vote à bulletin secret. ", "Secret ballot. "));
	if (qr->unanimity_asked && qr->n_unanimity_absent > 0)
		unanimity_phrase(b, r, qr, lang);
	if (qr->outcome == CT_OUT_PROPOSE_REVOTE) {
		st_buf_printf(b, L("Fraude ou erreur suspectée : le modérateur doit proposer un "
		    "second vote (art. %s).", "Suspected fraud or error: the moderator must propose "
		    "a second vote (art. %s)."), r->body->secret.src.article);
		return;
	}
	switch (q->kind) {
	case CT_Q_MOTION:
		motion_phrase(b, r, qr, &qr->m, "Motion", "Motion", lang);
		break;
	case CT_Q_ALTERNATIVES:
		for (size_t i = 0; i < q->n_alts; i++) {
			char fr[160], en[160];
			const char *lbl = q->alts[i].label ? q->alts[i].label : q->alts[i].id;
			(void)snprintf(fr, sizeof fr, "Motion « %s »", lbl);
			(void)snprintf(en, sizeof en, "Motion \"%s\"", lbl);
			motion_phrase(b, r, qr, &qr->alts[i], fr, en, lang);
			st_buf_printf(b, " ");
		}
		if (qr->outcome == CT_OUT_WINNER) {
			const struct ct_alternative *w = &q->alts[qr->winner];
			st_buf_printf(b, L("La motion « %s » l'emporte avec %u voix pour, le plus grand "
			    "nombre parmi les motions approuvées.", "Motion \"%s\" prevails with %u "
			    "votes for, the most among approved motions."), w->label ? w->label : w->id,
			    w->totals.v[CT_POUR]);
		} else if (qr->outcome == CT_OUT_NONE_APPROVED) {
			st_buf_printf(b, "%s", L("Aucune motion n'est approuvée.", "No motion is approved."));
		} else {
			st_buf_printf(b, "%s", L("Égalité de voix pour entre motions approuvées : le "
			    "règlement ne départage pas.", "Approved motions tie on votes for: the rules "
			    "do not break the tie."));
		}
		break;
	case CT_Q_ELECTION:
		election_phrase(b, r, qr, lang);
		ineligible_phrase(b, r, qr, lang);
		break;
	case CT_Q_DRAW:
		st_buf_printf(b, L("Tirage au sort (%s) : %zu sur %zu : ", "Random draw (%s): %zu of %zu: "),
		    qr->drule->label, qr->n_drawn, q->n_pool);
		for (size_t i = 0; i < qr->n_drawn; i++)
			st_buf_printf(b, "%s%s", i ? ", " : "", name_of(r, qr->drawn[i]));
		if (qr->n_drawn == 0)
			st_buf_printf(b, "%s", L("personne", "nobody"));
		st_buf_printf(b, L(" (graine %llu, tirage parmi ", " (seed %llu, drawn among "),
		    (unsigned long long)q->seed);
		for (size_t i = 0; i < q->n_pool; i++)
			st_buf_printf(b, "%s%s", i ? ", " : "", q->pool[i]);
		st_buf_printf(b, ").");
		break;
	}
}

static const char *const REASON_FR[CT_R_COUNT] = {
	"", "voix consultative seulement", "cotisation non à jour à la date du vote",
	"inscrit après l'arrêt de la liste", "domicile hors de la zone du groupe",
	"non inscrit dans le groupe", "inscrit dans le groupe depuis trop peu de temps",
	"mineur",
	"procurations non prévues", "canal non admis", "date de l'assemblée absente",
	"date de l'assemblée erronée", "mandataire non désigné", "reçue après le délai",
	"mandant sans droit de vote", "mandant présent", "procuration en double",
	"procuration à soi-même", "mandataire sans droit de vote", "mandataire absent",
	"au-delà du plafond", "aucun volontaire disponible", "non redistribuée par le président",
	"plafond du destinataire atteint", "destinataire sans droit de vote ou absent",
	"procurations au conseil non prévues", "vote par correspondance non prévu",
	"vote par internet non prévu",
	"mandataire récusé", "récusé", "vote par correspondance limité à l'ordre du jour",
	"pas de mandataire désigné pour les motions nouvelles", "membres présents seulement",
};

static const char *const REASON_EN[CT_R_COUNT] = {
	"", "consultative voice only", "dues not paid at the vote date",
	"registered after the roll was frozen", "home outside the group's zone",
	"not enrolled in the group", "enrolled in the group too recently", "minor",
	"no proxies provided for", "channel not accepted", "assembly date missing",
	"wrong assembly date", "no holder named", "received after the deadline",
	"giver has no vote", "giver present", "duplicate proxy", "proxy to oneself",
	"holder has no vote", "holder absent", "over the cap", "no volunteer available",
	"not redistributed by the president", "target's cap reached",
	"target has no vote or is absent", "no proxies to the board",
	"no mail-in voting", "no internet voting",
	"holder recused", "recused", "mail-in vote limited to the agenda",
	"no holder named for new motions", "members present only",
};

static const char *
reason_text(enum ct_reason r, enum ph_lang lang)
{
	return (unsigned)r < CT_R_COUNT ? L(REASON_FR[r], REASON_EN[r]) : "?";
}

/* How a proxy was reassigned at random, enough to draw it again: the
 * seed, the rank when the generator ran on from an earlier reassignment,
 * the pool in the order drawn from, who declined. */
static void
reassignment_phrase(struct st_buf *b, const struct ct_result *r, const struct ct_proxy_standing *s,
    enum ph_lang lang)
{
	st_buf_printf(b, L("graine %llu, ", "seed %llu, "), (unsigned long long)r->meeting->seed);
	if (s->rank > 1)
		st_buf_printf(b, L("%ue réattribution, ", "reassignment %u, "), s->rank);
	st_buf_printf(b, "%s", L("tirage parmi ", "drawn among "));
	names_list(b, r, s->pool, s->n_pool);
	if (s->n_declined) {
		st_buf_printf(b, "%s", L(" ; refusée par ", "; declined by "));
		names_list(b, r, s->declined, s->n_declined);
	}
}

void
phrase_standing(struct st_buf *b, const struct ct_result *r, enum ph_lang lang)
{
	const struct ct_meeting *m = r->meeting;

	for (size_t i = 0; i < m->n_members; i++)
		if (!r->members[i].voter)
			st_buf_printf(b, L("%s : pas de voix délibérative (%s).\n",
			    "%s: no deliberative vote (%s).\n"), name_of(r, i),
			    reason_text(r->members[i].reason, lang));
	for (size_t k = 0; k < m->n_proxies; k++) {
		const struct ct_proxy_standing *s = &r->proxies[k];
		const char *g = m->proxies[k].giver;
		if (!s->accepted && s->rank && s->n_pool) {
			st_buf_printf(b, L("Procuration de %s refusée (%s : ", "Proxy from %s refused "
			    "(%s: "), g, reason_text(s->reason, lang));
			reassignment_phrase(b, r, s, lang);
			st_buf_printf(b, ").\n");
		} else if (!s->accepted) {
			st_buf_printf(b, L("Procuration de %s refusée (%s).\n",
			    "Proxy from %s refused (%s).\n"), g, reason_text(s->reason, lang));
		} else if (s->reassigned) {
			st_buf_printf(b, L("Procuration de %s réattribuée au hasard à %s (",
			    "Proxy from %s reassigned at random to %s ("), g, name_of(r, s->holder));
			reassignment_phrase(b, r, s, lang);
			st_buf_printf(b, ").\n");
		} else if (s->redistributed)
			st_buf_printf(b, L("Procuration de %s redistribuée par le président à %s.\n",
			    "Proxy from %s redistributed by the president to %s.\n"), g,
			    name_of(r, s->holder));
	}
	for (size_t k = 0; k < m->n_mail_in; k++)
		if (!r->mail_in[k].accepted)
			st_buf_printf(b, L("Vote par correspondance de %s refusé (%s).\n",
			    "Mail-in vote of %s refused (%s).\n"), m->mail_in[k].voter,
			    reason_text(r->mail_in[k].reason, lang));
	for (size_t k = 0; k < m->n_internet; k++)
		if (!r->internet[k].accepted)
			st_buf_printf(b, L("Vote par internet de %s refusé (%s).\n",
			    "Internet vote of %s refused (%s).\n"), m->internet[k],
			    reason_text(r->internet[k].reason, lang));
}

void
phrase_refusals(struct st_buf *b, const struct ct_result *r, size_t k, enum ph_lang lang)
{
	const struct ct_question_result *qr = &r->questions[k];

	for (size_t i = 0; i < qr->n_refusals; i++)
		st_buf_printf(b, L(" Voix de %s non comptée (%s).", " Voice of %s not counted (%s)."),
		    name_of(r, qr->refusals[i].member), reason_text(qr->refusals[i].reason, lang));
}

void
phrase_alternatives_group(struct st_buf *b, const char *group,
    const char *outcome, const char *winner, uint64_t pour, enum ph_lang lang)
{
	st_buf_printf(b, L("Motions alternatives « %s » : ",
	    "Alternative motions \"%s\": "), group);
	if (strcmp(outcome, "winner") == 0 && winner != NULL)
		st_buf_printf(b, L("la motion « %s » l'emporte avec %llu voix pour.",
		    "motion \"%s\" prevails with %llu votes for."), winner,
		    (unsigned long long)pour);
	else if (strcmp(outcome, "none_approved") == 0)
		st_buf_printf(b, "%s", L("aucune motion n'est approuvée.",
		    "no motion is approved."));
	else if (strcmp(outcome, "tie_unresolved") == 0)
		st_buf_printf(b, "%s", L("égalité de voix pour entre motions approuvées,"
		    " que les statuts ne tranchent pas.", "approved motions tie on votes"
		    " for, which the statutes do not break."));
	else
		st_buf_printf(b, L("issue %s.", "outcome %s."), outcome);
}

/*
 * pv.c — the HTML of the procès-verbal (docs/record.md §8) from the
 * summary of a verified record: shared by `scrutin-minutes` and the
 * server (GET /api/v1/meetings/{m}/minutes), so both write the same bytes
 * for the same record and names. It reads like the minutes an association
 * files: association, meeting, date in French, place, opening and closing
 * times, who presided and who took the minutes, the scrutineers, every
 * agenda item in order with its outcome (« non mis aux voix » when never
 * opened), the proxies (giver → holder, channel, and at each question's
 * opening whether the statutes engine counted or refused each, why and
 * under which article), the members recused on a question (« NOM s'est
 * déporté(e) (art. 7) »), the mail-in voters with the fallback holder
 * each named, signature lines; then an attendance annex (« par
 * correspondance ») and a verification
 * annex (head hash, keys, how to check), each on a new printed page.
 * Names come only from the record or from struct audit_pv_names (the
 * server's roll); every string goes through html();
 * the groups of alternative motions and the second rounds are written
 * from the verified summary only (their outcome recomputed by the
 * verifier), never from the server's own sentences.
 */
#include "audit/pv.h"

#include <stdio.h>
#include <string.h>

#include "audit/qdigest.h"
#include "ballot-formats/count.h"
#include "ballot-formats/phrase.h"
#include "crypto/hex.h"

static void
html(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

static const struct audit_q_summary *
q_find(const audit_summary *s, const char *qid)
{
	for (size_t i = 0; i < s->n_questions; i++)
		if (strcmp(s->questions[i].qid, qid) == 0)
			return &s->questions[i];
	return NULL;
}

/* « LABEL » (qid) of a question of the summary, or the qid alone. */
static void
q_name(FILE *f, const audit_summary *s, const char *qid)
{
	const struct audit_q_summary *q = q_find(s, qid);

	if (q != NULL) {
		fputs("« ", f);
		html(f, q->label);
		fputs(" » (", f);
		html(f, qid);
		fputs(")", f);
	} else
		html(f, qid);
}

/* An amendment with its motion and text; a motion with its amendments:
 * voted as amended by the adopted ones (« telle qu'amendée »), or as it
 * was when all were rejected (docs/api.md "Amendments"; the verifier has
 * checked the record's amended_by is exactly the adopted ones). */
static void
amendment_html(const audit_summary *s, const struct audit_q_summary *q,
    FILE *f)
{
	size_t n = 0, adopted = 0;

	if (q->amends[0] != '\0') {
		fputs(q->alt_group[0] != '\0' ? "<p class=\"amendment\">Motion"
		    " telle qu'amendée, alternative à " : "<p class=\"amendment\">"
		    "Amendement à ", f);
		q_name(f, s, q->amends);
		fputs(" : « ", f);
		html(f, q->amendment != NULL ? q->amendment : "");
		fputs(" ».</p>\n", f);
		return;
	}
	for (size_t i = 0; i < s->n_questions; i++) {
		const struct audit_q_summary *a = &s->questions[i];
		if (strcmp(a->amends, q->qid) != 0 || a->alt_group[0] != '\0')
			continue;
		n++;
		if (!ct_amendment_carried(a->outcome))
			continue;
		fputs(adopted++ == 0 ? "<p class=\"amended\">Motion mise aux"
		    " voix telle qu'amendée par : " : " ; ", f);
		q_name(f, s, a->qid);
		fputs(", « ", f);
		html(f, a->amendment != NULL ? a->amendment : "");
		fputs(" »", f);
	}
	if (adopted > 0)
		fputs(".</p>\n", f);
	else if (n > 0)
		fputs("<p class=\"amended\">Amendement(s) rejeté(s) : motion"
		    " mise aux voix telle qu'elle a été proposée.</p>\n", f);
}

/* One paragraph per group of alternative motions settled in the record:
 * its motions, then the outcome sentence, written by the function the
 * server uses (phrase_alternatives_group; docs/api.md "Alternative
 * motions"): the winner and its pour votes, none approved, or a tie the
 * statutes do not break. */
static void
alternatives_html(const audit_summary *s, FILE *f)
{
	if (s->n_alternatives == 0)
		return;
	fputs("<section class=\"item\">\n<h3>Motions alternatives</h3>\n", f);
	for (size_t i = 0; i < s->n_alternatives; i++) {
		const struct audit_alt_summary *a = &s->alternatives[i];
		const struct audit_q_summary *w = a->winner[0] != '\0' ?
		    q_find(s, a->winner) : NULL;
		const char *sep = "";
		struct st_buf sb = { 0 };

		fputs("<p class=\"alternatives\">Groupe « ", f);
		html(f, a->group);
		fputs(" » : ", f);
		for (size_t k = 0; k < s->n_questions; k++) {
			if (strcmp(s->questions[k].alt_group, a->group) != 0)
				continue;
			fputs(sep, f);
			q_name(f, s, s->questions[k].qid);
			sep = ", ";
		}
		fputs(".<br><b>", f);
		phrase_alternatives_group(&sb, a->group, a->outcome,
		    w != NULL ? w->label : NULL,
		    w != NULL && w->n > 0 ? w->counts[0] : 0, PH_FR);
		html(f, sb.s != NULL ? sb.s : "");
		st_buf_free(&sb);
		fputs("</b></p>\n", f);
	}
	fputs("</section>\n", f);
}

static const char *const mois[] = { "janvier", "février", "mars", "avril",
    "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
    "décembre" };
static const char *const jours[] = { "lundi", "mardi", "mercredi", "jeudi",
    "vendredi", "samedi", "dimanche" };

/* « samedi 16 janvier 2027 » from YYYY-MM-DD (checked by the verifier's
 * engine: a real date); the ISO text itself if it does not parse. */
static void
date_fr(FILE *f, const char *iso)
{
	int y, m, d;
	long days;

	if (sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12 ||
	    d < 1 || d > 31) {
		html(f, iso);
		return;
	}
	{	/* days since 1970-01-01 (H. Hinnant's days_from_civil) */
		int yy = m <= 2 ? y - 1 : y;
		int era = (yy >= 0 ? yy : yy - 399) / 400;
		int yoe = yy - era * 400;
		int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
		int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
		days = (long)era * 146097 + doe - 719468;
	}
	/* 1970-01-01 was a Thursday (index 3). */
	fprintf(f, "%s %d%s %s %d", jours[((days % 7) + 7 + 3) % 7], d,
	    d == 1 ? "er" : "", mois[m - 1], y);
}

/* « 14 h 05 » from HH:MM. */
static void
time_fr(FILE *f, const char *hm)
{
	fprintf(f, "%.2s h %.2s", hm, hm + 3);
}

/* The web apps' fingerprint the meeting ran with (meeting.started's
 * `web`), short (16 hex digits by 4) then whole: anyone can compare it
 * with the published one (docs/server.md). */
static void
pv_web_html(const audit_summary *s, FILE *f)
{
	char hex[65];

	if (!s->has_web)
		return;
	for (size_t i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", s->web[i]);
	fprintf(f, "<p>Applications web servies à l'ouverture de séance :"
	    " empreinte <b>%.4s %.4s %.4s %.4s</b> (SHA-256 <code>%s</code>)."
	    "</p>\n", hex, hex + 4, hex + 8, hex + 12, hex);
}

/* The name of a member pseudonym, or the pseudonym. */
static const char *
member_name(const struct audit_pv_names *nm, const char *id)
{
	for (size_t i = 0; nm != NULL && i < nm->n; i++)
		if (strcmp(nm->ids[i], id) == 0)
			return nm->names[i];
	return NULL;
}

static void
member_html(FILE *f, const struct audit_pv_names *nm, const char *id)
{
	const char *n = member_name(nm, id);

	if (n != NULL)
		html(f, n);
	else {
		fputs("membre <code>", f);
		html(f, id);
		fputs("</code>", f);
	}
}

static void
scrutineer_html(FILE *f, const struct audit_pv_names *nm, uint32_t j)
{
	if (nm != NULL && j >= 1 && j <= nm->n_scrutineers &&
	    nm->scrutineers[j - 1] != NULL && nm->scrutineers[j - 1][0] != '\0')
		html(f, nm->scrutineers[j - 1]);
	else
		fprintf(f, "Scrutateur %u", j);
}

static const char pv_css[] =
    "body{font-family:Georgia,serif;max-width:48em;margin:2em auto;line-height:1.45;color:#111}\n"
    "h1{font-size:1.6em;margin:0 0 .2em;text-align:center}h2{font-size:1.2em;text-align:center;margin:.2em 0 1em}\n"
    "h3{font-size:1.05em;border-bottom:1px solid #999;margin-top:1.4em}\n"
    "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #999;padding:.2em .6em;text-align:left}\n"
    "td.n{text-align:right}code{font-size:.85em;word-break:break-all}\n"
    ".signatures{display:flex;gap:2em;margin-top:2em}.sig{flex:1;min-height:7em;border-top:1px solid #999;padding-top:.3em}\n"
    ".annex{margin-top:3em}\n"
    "@page{size:A4;margin:2cm 2cm 2.2cm}\n"
    "@media print{body{margin:0;max-width:none;font-size:11pt}h3{break-after:avoid}"
    "section.item,.signatures,tr{break-inside:avoid}.annex{break-before:page;margin-top:0}"
    "a{color:inherit;text-decoration:none}}\n";

/* The heading and the opening paragraph. */
static void
opening_html(const audit_summary *s, const struct audit_pv_names *nm,
    FILE *f)
{
	const char *assoc = s->association != NULL ? s->association :
	    s->profile_name;

	fputs("<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">\n"
	    "<title>Procès-verbal — ", f);
	html(f, s->title);
	fprintf(f, "</title>\n<style>\n%s</style></head><body>\n<h1>", pv_css);
	html(f, assoc != NULL ? assoc : "");
	fputs("</h1>\n<h2>Procès-verbal de la réunion du ", f);
	date_fr(f, s->date);
	fputs("<br>", f);
	html(f, s->title);
	fputs("</h2>\n<p class=\"opening\"><b>", f);
	html(f, s->body_label != NULL && s->body_label[0] ? s->body_label :
	    "Réunion");
	fputs("</b> — réunion du ", f);
	date_fr(f, s->date);
	if (s->time != NULL) {
		fputs(", convoquée pour ", f);
		time_fr(f, s->time);
	}
	if (s->place != NULL) {
		fputs(", à ", f);
		html(f, s->place);
	}
	fputs(".", f);
	if (s->second_first_date[0] != '\0') {
		/* A second convocation (A-IMI art. 9, APROGEMERE II). */
		fputs(" Seconde convocation : la réunion du ", f);
		date_fr(f, s->second_first_date);
		fputs(" n'ayant pas atteint le quorum, l'assemblée délibère"
		    " quel que soit le nombre des membres présents ou"
		    " représentés (art. ", f);
		html(f, s->second_article != NULL ? s->second_article : "—");
		fputs(").", f);
	}
	if (s->started_ts != 0) {
		fputs(" La séance est ouverte à ", f);
		time_fr(f, s->started_time);
		fputs(".", f);
	}
	fputs("</p>\n<p class=\"officers\">", f);
	if (s->president != NULL) {
		fputs("Présidence de séance : ", f);
		html(f, s->president);
		fputs(". ", f);
	} else
		fputs("Présidence de séance : non indiquée. ", f);
	fputs("Secrétaire de séance : ", f);
	html(f, s->secretary != NULL ? s->secretary : "non indiqué(e)");
	fputs(". Scrutateurs : ", f);
	for (uint32_t j = 1; j <= s->trustees_n; j++) {
		fputs(j == 1 ? "" : j == s->trustees_n ? " et " : ", ", f);
		scrutineer_html(f, nm, j);
	}
	fprintf(f, " (clé partagée entre %u scrutateurs, %u nécessaires pour"
	    " déchiffrer).</p>\n", s->trustees_n, s->trustees_t);
}

/* After an election the statutes left tied: the re-vote that followed
 * it in the record, if any (docs/api.md "Re-vote after a tie"). */
static void
revote_next_html(const audit_summary *s, const struct audit_q_summary *q,
    FILE *f)
{
	for (size_t i = 0; i < s->n_questions; i++)
		if (strcmp(s->questions[i].revote_of, q->qid) == 0) {
			fputs("<p class=\"revote-next\">Un nouveau vote entre les"
			    " candidats ex æquo a suivi : ", f);
			q_name(f, s, s->questions[i].qid);
			fputs(".</p>\n", f);
			return;
		}
}

/* Whether choice k has a share of the statutes' base: a motion's pour
 * and contre, and its abstentions when they are expressed; an
 * election's candidates, not the blank vote. */
static bool
pct_counts(const struct audit_q_summary *q, size_t k)
{
	if (q->election)
		return !(q->blank_last && k + 1 == q->n);
	return k < 2 || q->pct_abstention;
}

/* « 71,4 % » (tenths rounded half up, a narrow no-break space before
 * the sign), as the console and the projector write it. */
static void
pct_fr(FILE *f, uint64_t part, uint64_t base)
{
	uint64_t t = (part * 2000 + base) / (2 * base);

	fprintf(f, "%llu,%llu\u202f%%", (unsigned long long)(t / 10),
	    (unsigned long long)(t % 10));
}

/* The members recused on q, by name: « NOM s'est déporté(e) (art. 7) :
 * sa voix n'est pas comptée sur cette question. », or « Se sont déportés
 * (art. 7) : A, B ; leurs voix … ». */
static void
recused_html(const audit_summary *s, const struct audit_pv_names *nm,
    const struct audit_q_summary *q, FILE *f)
{
	bool one = q->n_recused == 1;

	if (q->n_recused == 0)
		return;
	fputs(one ? "<p class=\"recused\">" :
	    "<p class=\"recused\">Se sont déportés", f);
	if (!one && q->recusal_article != NULL) {
		fputs(" (art. ", f);
		html(f, q->recusal_article);
		fputs(")", f);
	}
	if (!one)
		fputs(" : ", f);
	for (size_t k = 0; k < q->n_recused; k++) {
		if (k > 0)
			fputs(", ", f);
		if (q->recused[k] < s->n_members)
			member_html(f, nm, s->members[q->recused[k]].id);
	}
	if (one)
		fputs(" s'est déporté(e)", f);
	if (one && q->recusal_article != NULL) {
		fputs(" (art. ", f);
		html(f, q->recusal_article);
		fputs(")", f);
	}
	fputs(one ? " : sa voix n'est pas comptée sur cette question.</p>\n" :
	    " ; leurs voix ne sont pas comptées sur cette question.</p>\n", f);
}

/* One question put to the vote: attendance, quorum, numbers, outcome. */
static void
question_html(const audit_summary *s, const struct audit_pv_names *nm,
    const struct audit_q_summary *q, FILE *f)
{
	if (q->rule_label != NULL) {
		/* The statutes rule by its label, never its id. */
		fputs(q->election ? "<p class=\"rule\">Élection — " :
		    "<p class=\"rule\">Motion à la ", f);
		html(f, q->rule_label);
		fputs(" (art. ", f);
		html(f, q->rule_article);
		fputs(").</p>\n", f);
	}
	fprintf(f, "<p>Votants à l'ouverture du vote : %u présents, %u à"
	    " distance ; procurations comptées : %u", q->present,
	    q->remote, q->proxies);
	if (q->mail_in > 0)
		fprintf(f, " ; bulletins par correspondance comptés : %u",
		    q->mail_in);
	if (q->fallback > 0)
		fprintf(f, " ; procurations de repli comptées : %u",
		    q->fallback);
	fputs(".</p>\n", f);
	if (q->has_digest) {
		/* The question digest (protocol §5.7): short, as the phones
		 * and the projector showed it, then whole. */
		char sh[10], d[65];
		question_digest_short(sh, q->digest);
		if (hex_encode(d, sizeof d, q->digest, 32) == 0)
			fprintf(f, "<p class=\"qdigest\">Empreinte de la"
			    " question : <b>%s</b> <span class=\"mono\">%s"
			    "</span></p>\n", sh, d);
	}
	recused_html(s, nm, q, f);
	if (q->round == 2 && q->round_of[0] != '\0') {
		fputs("<p class=\"round\">Second tour de ", f);
		q_name(f, s, q->round_of);
		fputs(".</p>\n", f);
	}
	if (q->revote_of[0] != '\0') {
		fputs("<p class=\"revote\">Nouveau vote entre les candidats"
		    " ex æquo de ", f);
		q_name(f, s, q->revote_of);
		fputs(".</p>\n", f);
	}
	amendment_html(s, q, f);
	if (q->alt_group[0] != '\0') {
		fputs("<p class=\"alternatives\">Motion alternative du"
		    " groupe « ", f);
		html(f, q->alt_group);
		fputs(" » (issue du groupe ci-dessous).</p>\n", f);
	}
	if (q->quorum_fr != NULL && q->quorum_fr[0] != '\0') {
		/* The statutes engine's sentence (phrase_quorum). */
		fputs("<p class=\"quorum\">", f);
		html(f, q->quorum_fr);
		fputs("</p>\n", f);
	}
	if (q->secrecy_fr != NULL && q->secrecy_fr[0] != '\0') {
		fputs("<p class=\"secrecy\">", f);
		html(f, q->secrecy_fr);
		fputs("</p>\n", f);
	}
	fprintf(f, "<table><tr><th>%s</th><th>Voix</th>",
	    q->election ? "Candidat(e)" : "Choix");
	if (q->pct_base > 0)
		fprintf(f, "<th>%% des %s (%llu)</th>", q->election ?
		    "bulletins valables" : "suffrages exprimés",
		    (unsigned long long)q->pct_base);
	fputs("</tr>\n", f);
	for (size_t k = 0; k < q->n; k++) {
		fputs("<tr><td>", f);
		html(f, q->choice_labels[k]);
		fprintf(f, "</td><td class=\"n\">%llu</td>",
		    (unsigned long long)q->counts[k]);
		if (q->pct_base > 0) {
			fputs("<td class=\"n\">", f);
			if (pct_counts(q, k))
				pct_fr(f, q->counts[k], q->pct_base);
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	fprintf(f, "</table>\n<p>%s : %llu.</p>\n",
	    q->secret ? "Bulletins secrets comptés" :
	    "Votes à main levée comptés (signés, publics)",
	    (unsigned long long)q->counted);
	/* Ballots opened by their members (cast-or-audit): published
	 * spoiled, never counted (docs/record.md ballot.audited). */
	if (q->n_audited > 0)
		fprintf(f, "<p>Bulletins vérifiés par leur membre (ouverts, "
		    "annulés, jamais comptés) : %zu.</p>\n", q->n_audited);
	fputs("<p class=\"outcome\"><b>", f);
	/* The engine's sentence: the outcome, the majority the statutes
	 * require and their article. */
	html(f, q->sentence_fr);
	fputs("</b></p>\n", f);
	revote_next_html(s, q, f);
}

static bool
on_agenda(const audit_summary *s, const char *qid)
{
	for (size_t k = 0; k < s->n_agenda; k++)
		if (strcmp(s->agenda[k].qid, qid) == 0)
			return true;
	return false;
}

/* Every agenda item in order (the record's meeting.ended), then the
 * questions opened that the agenda does not list; without the agenda,
 * the questions opened in record order. */
static void
items_html(const audit_summary *s, const struct audit_pv_names *nm, FILE *f)
{
	unsigned no = 0;

	fputs("<h3>Ordre du jour</h3>\n<ol>\n", f);
	for (size_t i = 0; i < s->n_agenda; i++) {
		fputs("<li>", f);
		html(f, s->agenda[i].label);
		fputs("</li>\n", f);
	}
	for (size_t i = 0; i < s->n_questions; i++) {
		if (on_agenda(s, s->questions[i].qid))
			continue;
		fputs("<li>", f);
		html(f, s->questions[i].label);
		fputs("</li>\n", f);
	}
	fputs("</ol>\n", f);
	for (size_t i = 0; i < s->n_agenda; i++) {
		const struct audit_q_summary *q = q_find(s, s->agenda[i].qid);
		fputs("<section class=\"item\" id=\"q-", f);
		html(f, s->agenda[i].qid);
		fprintf(f, "\">\n<h3>%u. ", ++no);
		html(f, s->agenda[i].label);
		fputs("</h3>\n", f);
		if (q == NULL)
			fputs("<p class=\"not-voted\"><b>Non mis aux voix.</b></p>\n",
			    f);
		else
			question_html(s, nm, q, f);
		fputs("</section>\n", f);
	}
	for (size_t i = 0; i < s->n_questions; i++) {
		if (on_agenda(s, s->questions[i].qid))
			continue;
		fputs("<section class=\"item\" id=\"q-", f);
		html(f, s->questions[i].qid);
		fprintf(f, "\">\n<h3>%u. ", ++no);
		html(f, s->questions[i].label);
		fputs("</h3>\n", f);
		question_html(s, nm, &s->questions[i], f);
		fputs("</section>\n", f);
	}
}

/* The closing sentence and the signature lines of the président(e) and
 * the secrétaire de séance. */
static void
closing_html(const audit_summary *s, FILE *f)
{
	fputs("<p class=\"closing\">L'ordre du jour étant épuisé", f);
	if (s->ended_ts != 0) {
		fputs(", la séance est levée à ", f);
		time_fr(f, s->ended_time);
	}
	fputs(".</p>\n<div class=\"signatures\"><div class=\"sig\">"
	    "Le président ou la présidente de séance<br>", f);
	html(f, s->president != NULL ? s->president : "");
	fputs("</div><div class=\"sig\">Le ou la secrétaire de séance<br>", f);
	html(f, s->secretary != NULL ? s->secretary : "");
	fputs("</div></div>\n", f);
}

/* The engine's reason for refusing a proxy (ct_reason_code), in the
 * minutes' words. */
static const char *
px_reason_fr(const char *code)
{
	static const struct {
		const char *code, *fr;
	} t[] = {
		{ "over_cap", "le mandataire détenait déjà le nombre maximal"
		    " de procurations" },
		{ "holder_absent", "le mandataire n'était pas présent à"
		    " l'ouverture du vote" },
		{ "giver_present", "le mandant était présent à l'ouverture du"
		    " vote" },
		{ "duplicate", "le mandant avait donné une autre procuration" },
		{ "holder_not_voter", "le mandataire n'avait pas de voix à ce"
		    " vote" },
		{ "giver_not_voter", "le mandant n'avait pas de voix à ce vote" },
		{ "after_deadline", "procuration donnée après le délai des"
		    " statuts" },
		{ "self_proxy", "procuration donnée à soi-même" },
		{ "holder_recused", "le mandataire ne pouvait pas voter à cette"
		    " question" },
		{ "recused", "le mandant ne pouvait pas voter à cette question" },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (strcmp(t[i].code, code) == 0)
			return t[i].fr;
	return NULL;
}

/* « (art. V) » after a decision of the statutes, when the profile names
 * the article of its proxy rules. */
static void
px_article(const audit_summary *s, FILE *f)
{
	if (s->proxy_article != NULL) {
		fputs(" (art. ", f);
		html(f, s->proxy_article);
		fputs(")", f);
	}
}

/* One proxy's standing at each question opened while it was in force. */
static void
px_standing_html(const audit_summary *s, const struct audit_pv_names *nm,
    const struct audit_proxy_summary *p, FILE *f)
{
	const char *sep = "";

	for (size_t i = 0; i < s->n_questions; i++) {
		const char *why;
		if (p->state[i] == AUDIT_PX_NOT_IN_FORCE)
			continue;
		fputs(sep, f);
		sep = "<br>";
		q_name(f, s, s->questions[i].qid);
		fputs(" : ", f);
		switch (p->state[i]) {
		case AUDIT_PX_COUNTED:
			fputs("comptée", f);
			break;
		case AUDIT_PX_REASSIGNED:
			fputs("comptée, confiée par les statuts à ", f);
			if (p->eff[i] < s->n_members)
				member_html(f, nm, s->members[p->eff[i]].id);
			px_article(s, f);
			break;
		default:
			fputs("refusée : ", f);
			if ((why = px_reason_fr(p->reason[i])) != NULL)
				fputs(why, f);
			else {
				fputs("motif des statuts <code>", f);
				html(f, p->reason[i]);
				fputs("</code>", f);
			}
			px_article(s, f);
		}
	}
	if (*sep == '\0')
		fputs("en vigueur à l'ouverture d'aucun vote", f);
	if (p->withdrawn)
		fputs(*sep ? "<br>retirée par le mandant" : " ; retirée par le"
		    " mandant", f);
	fputs(".", f);
}

/* The scrutineers in mask, « Scrutateur 1 et Scrutateur 2 ». */
static void
scrutineers_html(FILE *f, const struct audit_pv_names *nm, uint32_t mask)
{
	uint32_t n = 0, k = 0;

	for (uint32_t j = 1; j <= 16; j++)
		n += (mask >> (j - 1)) & 1u;
	for (uint32_t j = 1; j <= 16; j++)
		if (mask & (1u << (j - 1))) {
			k++;
			fputs(k == 1 ? "" : k == n ? " et " : ", ", f);
			scrutineer_html(f, nm, j);
		}
}

/* The random draw of an absent holder's proxies: whose contributions
 * its seed hashes, who did not reveal (docs/record.md draw.seed). */
static void
draw_html(const audit_summary *s, const struct audit_pv_names *nm, FILE *f)
{
	if (!s->draw_seeded)
		return;
	fputs(s->draw_proxies ? "<p class=\"draw\">Tirage au sort des"
	    " procurations d'un mandataire absent : " : "<p class=\"draw\">"
	    "Tirage au sort : ", f);
	if (s->draw_revealed == 0)
		fputs("la graine du tirage ne contient la contribution d'aucun"
		    " scrutateur (l'empreinte de l'enregistrement à l'ouverture"
		    " de la séance seule)", f);
	else {
		fputs("la graine du tirage contient les contributions de ", f);
		scrutineers_html(f, nm, s->draw_revealed);
	}
	if (s->draw_missing != 0) {
		fputs(" ; ", f);
		scrutineers_html(f, nm, s->draw_missing);
		fputs(s->draw_missing & (s->draw_missing - 1) ?
		    " se sont engagés sans révéler leur contribution : le"
		    " modérateur a procédé sans elles" :
		    " s'est engagé sans révéler sa contribution : le modérateur"
		    " a procédé sans elle", f);
	}
	fputs(".</p>\n", f);
}

/* The members at indexes idx of s, « A, B et C ». */
static void
members_html(FILE *f, const audit_summary *s, const struct audit_pv_names *nm,
    const uint32_t *idx, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		fputs(k == 0 ? "" : k + 1 == n ? " et " : ", ", f);
		member_html(f, nm, s->members[idx[k]].id);
	}
}

/* The statutes' draws by lot (draw.drawn, A-IMI art. 9): the draw, its
 * pool, who was drawn, the seed. */
static void
draws_html(const audit_summary *s, const struct audit_pv_names *nm, FILE *f)
{
	for (size_t i = 0; i < s->n_draws; i++) {
		const struct audit_draw_summary *d = &s->draws[i];
		fputs("<p class=\"draw-result\">Tirage au sort (", f);
		html(f, d->label);
		if (d->article != NULL && d->article[0] != '\0') {
			fputs(", art. ", f);
			html(f, d->article);
		}
		fputs(") parmi ", f);
		members_html(f, s, nm, d->pool, d->n_pool);
		if (d->n_drawn == 0)
			fputs(" : personne n'est tiré", f);
		else {
			fputs(d->n_drawn > 1 ? " : sont tirés, dans l'ordre, " :
			    " : est tiré ", f);
			members_html(f, s, nm, d->drawn, d->n_drawn);
		}
		/* The seed as the record writes it (8 bytes, little-endian). */
		fputs(" (graine <code>", f);
		for (int k = 0; k < 8; k++)
			fprintf(f, "%02x", (unsigned)(d->seed >> (8 * k)) & 0xffu);
		fputs("</code>).</p>\n", f);
	}
}

/* « Tirage au sort »: the statutes' draws by lot, after whose
 * contributions their seed holds (nothing when the record has none). */
static void
draws_section(const audit_summary *s, const struct audit_pv_names *nm,
    FILE *f)
{
	if (s->n_draws == 0 && (s->draw_proxies || !s->draw_seeded))
		return;
	fputs("<section class=\"item\" id=\"tirage\">\n"
	    "<h3>Tirage au sort</h3>\n", f);
	if (!s->draw_proxies)
		draw_html(s, nm, f);
	draws_html(s, nm, f);
	fputs("</section>\n", f);
}

/* « Procurations »: every proxy of the record in the order given, its
 * channel, and whether it counted at each opening (nothing when the
 * record has none). */
static void
proxies_html(const audit_summary *s, const struct audit_pv_names *nm,
    FILE *f)
{
	size_t paper = 0;

	if (s->n_proxies == 0)
		return;
	for (size_t k = 0; k < s->n_proxies; k++)
		paper += s->proxies[k].paper;
	fputs("<section class=\"item\" id=\"procurations\">\n"
	    "<h3>Procurations</h3>\n", f);
	fprintf(f, "<p>Procurations données : %zu, dont %zu par voie"
	    " numérique (signées par le mandant sur l'appareil de vote) et %zu"
	    " sur papier (remises à l'accueil, saisies par l'accueil et signées"
	    " par le serveur). Les statuts", s->n_proxies, s->n_proxies - paper,
	    paper);
	px_article(s, f);
	fputs(" décident à l'ouverture de chaque vote si une procuration"
	    " compte.</p>\n<table><tr><th>Mandant</th><th>Mandataire</th>"
	    "<th>Voie</th><th>À l'ouverture de chaque vote</th></tr>\n", f);
	for (size_t k = 0; k < s->n_proxies; k++) {
		const struct audit_proxy_summary *p = &s->proxies[k];
		if (p->giver >= s->n_members || p->holder >= s->n_members)
			continue;
		fputs("<tr><td>", f);
		member_html(f, nm, s->members[p->giver].id);
		fputs("</td><td>", f);
		member_html(f, nm, s->members[p->holder].id);
		fputs(p->paper ? "</td><td>papier (saisie par l'accueil)</td><td>"
		    : "</td><td>numérique</td><td>", f);
		px_standing_html(s, nm, p, f);
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
	if (s->draw_proxies)
		draw_html(s, nm, f);
	fputs("</section>\n", f);
}

/* « Votes par correspondance »: the members who voted by mail and the
 * fallback holder each named (nothing when the record has no window). */
static void
mail_html(const audit_summary *s, const struct audit_pv_names *nm, FILE *f)
{
	size_t n = 0, fb = 0;

	for (size_t i = 0; i < s->n_members; i++) {
		n += s->members[i].by_mail;
		fb += s->members[i].by_mail && s->members[i].fallback >= 0;
	}
	if (s->mail_article == NULL)
		return;
	fputs("<section class=\"item\" id=\"correspondance\">\n"
	    "<h3>Votes par correspondance</h3>\n", f);
	fprintf(f, "<p>Membres ayant voté par correspondance : %zu, dont %zu"
	    " ayant désigné un mandataire de repli pour les motions ajoutées"
	    " en séance (art. ", n, fb);
	html(f, s->mail_article);
	fputs("). Un membre présent à l'ouverture d'un vote y vote en séance"
	    " et son bulletin par correspondance n'est pas compté.</p>\n", f);
	if (n == 0) {
		fputs("</section>\n", f);
		return;
	}
	fputs("<table><tr><th>Membre</th><th>Mandataire de repli</th></tr>\n",
	    f);
	for (size_t i = 0; i < s->n_members; i++) {
		const struct audit_member_summary *m = &s->members[i];
		if (!m->by_mail)
			continue;
		fputs("<tr><td>", f);
		member_html(f, nm, m->id);
		fputs("</td><td>", f);
		if (m->fallback >= 0 && (size_t)m->fallback < s->n_members)
			member_html(f, nm, s->members[m->fallback].id);
		else
			fputs("—", f);
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n</section>\n", f);
}

/* Whether member i's proxies were decided at some opening (*tested) and
 * counted at one at least (the return). */
static bool
px_counted(const audit_summary *s, size_t i, bool *tested)
{
	bool counted = false;

	*tested = false;
	for (size_t k = 0; k < s->n_proxies; k++) {
		const struct audit_proxy_summary *p = &s->proxies[k];
		if (p->giver != i)
			continue;
		for (size_t q = 0; q < s->n_questions; q++) {
			*tested |= p->state[q] != AUDIT_PX_NOT_IN_FORCE;
			counted |= p->state[q] == AUDIT_PX_COUNTED ||
			    p->state[q] == AUDIT_PX_REASSIGNED;
		}
	}
	return counted;
}

/* Annex 1: who attended, from the record's check-ins and proxies. */
static void
attendance_html(const audit_summary *s, const struct audit_pv_names *nm,
    FILE *f)
{
	static const char *const label[] = { "absent(e)", "présent(e)",
	    "à distance" };
	unsigned n[3] = { 0 }, rep = 0, mail = 0;

	for (size_t i = 0; i < s->n_members; i++) {
		const struct audit_member_summary *m = &s->members[i];
		bool tested, counted = px_counted(s, i, &tested);
		n[m->attended < 3 ? m->attended : 0]++;
		mail += m->attended == 0 && m->by_mail;
		rep += m->attended == 0 && !m->by_mail && m->proxy_to >= 0 &&
		    (counted || !tested);
	}
	fputs("<section class=\"annex\" id=\"annexe-emargement\">\n"
	    "<h3>Annexe 1 — Liste d'émargement</h3>\n", f);
	fprintf(f, "<p>Présents : %u ; à distance : %u ; représentés : %u ;"
	    " absents non représentés : %u ; membres inscrits : %zu.", n[1],
	    n[2], rep, n[0] - rep - mail, s->n_members);
	if (mail > 0)
		fprintf(f, " Votants par correspondance (absents) : %u.</p>\n",
		    mail);
	else
		fputs(" Aucun vote par correspondance n'est enregistré.</p>\n",
		    f);
	fputs("<table><tr><th>Membre</th><th>Émargement</th>"
	    "<th>Procuration donnée à</th></tr>\n", f);
	for (size_t i = 0; i < s->n_members; i++) {
		const struct audit_member_summary *m = &s->members[i];
		bool tested, counted = px_counted(s, i, &tested);
		/* Represented when the proxy counted at an opening, or was
		 * never put to one; refused at every one: not counted. */
		fputs("<tr><td>", f);
		member_html(f, nm, m->id);
		fprintf(f, "</td><td>%s</td><td>", m->attended == 0 &&
		    m->by_mail ? "par correspondance" : m->attended == 0 &&
		    m->proxy_to >= 0 ? (counted || !tested ? "représenté(e)" :
		    "absent(e), procuration non comptée") :
		    label[m->attended < 3 ? m->attended : 0]);
		if (m->proxy_to >= 0 && (size_t)m->proxy_to < s->n_members)
			member_html(f, nm, s->members[m->proxy_to].id);
		else if (m->by_mail && m->fallback >= 0 &&
		    (size_t)m->fallback < s->n_members) {
			member_html(f, nm, s->members[m->fallback].id);
			fputs(" (procuration de repli)", f);
		}
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n</section>\n", f);
}

/* Annex 2: what lets anyone check these minutes. */
static int
verification_html(const audit_summary *s, const struct audit_pv_names *nm,
    FILE *f)
{
	char head[65], ph[65];

	if (hex_encode(head, sizeof head, s->head, 32) != 0 ||
	    hex_encode(ph, sizeof ph, s->profile_sha256, 32) != 0)
		return -1;
	fputs("<section class=\"annex\" id=\"annexe-verification\">\n"
	    "<h3>Annexe 2 — Vérification</h3>\n<p>Ce procès-verbal est établi"
	    " à partir de l'enregistrement public de la réunion <code>", f);
	html(f, s->meeting_id);
	fprintf(f, "</code>, vérifié : %llu événements, %llu bulletins,"
	    " %llu justificatifs de vote à la clôture de la liste. Empreinte"
	    " finale de l'enregistrement :<br><code>%s</code></p>\n",
	    (unsigned long long)s->events, (unsigned long long)s->ballots,
	    (unsigned long long)s->roll, head);
	fputs("<p>Statuts appliqués : profil <code>", f);
	html(f, s->profile_id);
	fprintf(f, "</code>, instance <code>");
	html(f, s->body);
	fprintf(f, "</code> (SHA-256 <code>%s</code>).</p>\n", ph);
	pv_web_html(s, f);
	fputs("<p>Pour vérifier : <code>scrutin-verify --minutes pv.html"
	    " --signatures pv.sig enregistrement.jsonl</code> refait chaque"
	    " calcul et contrôle la signature de chaque scrutateur sur ce"
	    " document.</p>\n<table><tr><th>Scrutateur</th><th>Clé"
	    " (empreinte)</th></tr>\n", f);
	for (uint32_t j = 0; j < s->trustees_n; j++) {
		char pk[65];
		if (hex_encode(pk, sizeof pk, s->trustee_id[j], 32) != 0)
			return -1;
		fputs("<tr><td>", f);
		scrutineer_html(f, nm, j + 1);
		fprintf(f, "</td><td><code>%s</code></td></tr>\n", pk);
	}
	fputs("</table>\n</section>\n", f);
	return 0;
}

int
audit_minutes_html(const audit_summary *s, const struct audit_pv_names *nm,
    FILE *f)
{
	opening_html(s, nm, f);
	items_html(s, nm, f);
	alternatives_html(s, f);
	proxies_html(s, nm, f);
	mail_html(s, nm, f);
	draws_section(s, nm, f);
	closing_html(s, f);
	attendance_html(s, nm, f);
	if (verification_html(s, nm, f) != 0)
		return -1;
	fputs("</body></html>\n", f);
	return ferror(f) ? -1 : 0;
}

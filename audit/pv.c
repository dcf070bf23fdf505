/*
 * pv.c — the HTML of the procès-verbal (docs/record.md §8) from the
 * summary of a verified record: shared by `scrutin-minutes` and the
 * server (GET /api/v1/meetings/{m}/minutes), so both write the same bytes
 * for the same record. Every string of the record goes through html();
 * the groups of alternative motions and the second rounds are written
 * from the verified summary only (their outcome recomputed by the
 * verifier), never from the server's own sentences.
 */
#include "audit/pv.h"

#include <stdio.h>
#include <string.h>

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
	fputs("<section>\n<h2>Motions alternatives</h2>\n", f);
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

int
audit_minutes_html(const audit_summary *s, FILE *f)
{
	char head[65], ph[65];

	if (hex_encode(head, sizeof head, s->head, 32) != 0 ||
	    hex_encode(ph, sizeof ph, s->profile_sha256, 32) != 0)
		return -1;
	fputs("<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">\n"
	    "<title>Procès-verbal — ", f);
	html(f, s->title);
	fputs("</title>\n<style>\n"
	    "body{font-family:Georgia,serif;max-width:48em;margin:2em auto;line-height:1.45;color:#111}\n"
	    "h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.15em;border-bottom:1px solid #999;margin-top:1.6em}\n"
	    "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #999;padding:.2em .6em;text-align:left}\n"
	    "td.n{text-align:right}code{font-size:.85em;word-break:break-all}\n"
	    ".sig{display:inline-block;width:14em;height:5em;border:1px solid #999;margin:.5em 1em 0 0;padding:.3em;vertical-align:top}\n"
	    "@media print{body{margin:0;max-width:none;font-size:11pt}h2{break-after:avoid}"
	    "section{break-inside:avoid}a{color:inherit;text-decoration:none}@page{size:A4;margin:2cm}}\n"
	    "</style></head><body>\n<h1>Procès-verbal — ", f);
	html(f, s->title);
	fprintf(f, "</h1>\n<p>Réunion <code>");
	html(f, s->meeting_id);
	fprintf(f, "</code>, instance <b>");
	html(f, s->body_label != NULL ? s->body_label : s->body);
	fprintf(f, "</b>, le %s. Profil des statuts <code>", s->date);
	html(f, s->profile_id);
	fprintf(f, "</code> (SHA-256 <code>%s</code>).</p>\n", ph);
	fprintf(f, "<p>Liste électorale gelée : <b>%llu</b> justificatifs. "
	    "Clé d'élection partagée entre <b>%u</b> scrutateurs "
	    "(seuil %u).</p>\n", (unsigned long long)s->roll, s->trustees_n,
	    s->trustees_t);
	for (size_t i = 0; i < s->n_questions; i++) {
		const struct audit_q_summary *q = &s->questions[i];
		fprintf(f, "<section>\n<h2>");
		html(f, q->qid);
		fputs(" — ", f);
		html(f, q->label);
		fputs("</h2>\n", f);
		if (q->rule_label != NULL) {
			/* The statutes rule by its label, never its id. */
			fputs(q->election ? "<p class=\"rule\">Élection — " :
			    "<p class=\"rule\">Motion à la ", f);
			html(f, q->rule_label);
			fputs(" (art. ", f);
			html(f, q->rule_article);
			fputs(").</p>\n", f);
		}
		fprintf(f, "<p>Émargement à l'ouverture : %u présents, "
		    "%u à distance ; procurations comptées : %u.</p>\n",
		    q->present, q->remote, q->proxies);
		if (q->round == 2 && q->round_of[0] != '\0') {
			fputs("<p class=\"round\">Second tour de ", f);
			q_name(f, s, q->round_of);
			fputs(".</p>\n", f);
		}
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
			/* A live trigger decided how it was held. */
			fputs("<p class=\"secrecy\">", f);
			html(f, q->secrecy_fr);
			fputs("</p>\n", f);
		}
		fprintf(f, "<table><tr><th>Choix</th><th>Voix</th></tr>\n");
		for (size_t k = 0; k < q->n; k++) {
			fputs("<tr><td>", f);
			html(f, q->choice_labels[k]);
			fprintf(f, "</td><td class=\"n\">%llu</td></tr>\n",
			    (unsigned long long)q->counts[k]);
		}
		fprintf(f, "</table>\n<p>%s : %llu (déposés : %llu).</p>\n"
		    "<p><b>", q->secret ? "Bulletins secrets comptés" :
		    "Votes à main levée comptés (signés, publics)",
		    (unsigned long long)q->counted,
		    (unsigned long long)q->ballots_seen);
		html(f, q->sentence_fr);
		fputs("</b></p>\n</section>\n", f);
	}
	alternatives_html(s, f);
	fprintf(f, "<h2>Intégrité</h2>\n<p>Enregistrement public vérifié : "
	    "%llu événements, %llu bulletins. Empreinte finale de "
	    "l'enregistrement :<br><code>%s</code></p>\n",
	    (unsigned long long)s->events, (unsigned long long)s->ballots,
	    head);
	fputs("<h2>Scrutateurs</h2>\n<p>Chaque scrutateur signe ce "
	    "procès-verbal avec sa clé (<code>scrutin-minutes sign</code>) ; "
	    "<code>scrutin-verify --minutes --signatures</code> vérifie les "
	    "signatures.</p>\n", f);
	for (uint32_t j = 0; j < s->trustees_n; j++) {
		char pk[65];
		if (hex_encode(pk, sizeof pk, s->trustee_id[j], 32) != 0)
			return -1;
		fprintf(f, "<div class=\"sig\">Scrutateur %u<br><code>%.16s…</code></div>\n",
		    j + 1, pk);
	}
	fputs("</body></html>\n", f);
	return ferror(f) ? -1 : 0;
}

/*
 * sheet.c — printable credential sheet. Every value from the roll is
 * HTML-escaped; the only markup not written here is the QR SVG made by
 * qr.c. The sheet is a local file for printing, self-contained (inline
 * CSS, no script, no external reference).
 */
#include "server/sheet.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/member_name.h"
#include "server/webfp.h"

char *
html_escape(const char *s)
{
	size_t n = 0;
	char *out, *o;

	for (const char *p = s; *p; p++)
		n += (*p == '&') ? 5 : (*p == '<' || *p == '>') ? 4
		    : (*p == '"' || *p == '\'') ? 6 : 1;
	out = o = xmalloc(n + 1);
	for (const char *p = s; *p; p++) {
		const char *r = NULL;
		switch (*p) {
		case '&': r = "&amp;"; break;
		case '<': r = "&lt;"; break;
		case '>': r = "&gt;"; break;
		case '"': r = "&quot;"; break;
		case '\'': r = "&#x27;"; break;
		default: *o++ = *p; continue;
		}
		memcpy(o, r, strlen(r));
		o += strlen(r);
	}
	*o = '\0';
	return out;
}

static const char sheet_css[] =
    "@page{size:A4;margin:18mm}"
    "body{font-family:'DejaVu Sans',Arial,sans-serif;color:#000;"
    "max-width:170mm;margin:0 auto;font-size:11pt;line-height:1.4}"
    "h1{font-size:18pt;margin:0 0 4mm}"
    "h2{font-size:13pt;margin:6mm 0 2mm}"
    ".who{font-size:14pt;font-weight:bold}"
    ".qr{width:70mm;height:70mm;margin:4mm 0}"
    ".qr svg{width:100%;height:100%}"
    ".url{font-family:'DejaVu Sans Mono',monospace;font-size:12pt}"
    ".code{border:1.5pt solid #000;height:14mm;width:80mm;margin:2mm 0}"
    "ol{padding-left:6mm}"
    ".note{font-size:9pt;color:#333}"
    "@media print{.noprint{display:none}}";

char *
sheet_html(const struct sheet_info *s)
{
	char *assoc = html_escape(s->association);
	char *meet = html_escape(s->meeting);
	char *no = html_escape(s->member_no);
	char *name = member_name(s->first_name, s->last_name);
	char *who = html_escape(name);
	char *url = html_escape(s->public_url);
	char *out = NULL, web[600] = "";
	size_t cap = strlen(s->qr_svg) + 8192 + strlen(assoc) + strlen(meet) +
	    strlen(no) + 2 * strlen(who) + 2 * strlen(url);
	int n;

	/* The footer: the web apps' fingerprint, short then whole (64 hex
	 * digits: nothing to escape once checked). */
	if (s->web != NULL && strlen(s->web) == 64 &&
	    strspn(s->web, "0123456789abcdef") == 64) {
		char sh[20];
		webfp_short(sh, s->web);
		snprintf(web, sizeof web, "<p class=\"note web\">Empreinte des"
		    " applications web : <b>%s</b> — vérifiable par tous"
		    " (docs/server.md). SHA-256 : <span class=\"url\">%s</span>"
		    "</p>\n", sh, s->web);
	}
	out = xmalloc(cap);
	n = snprintf(out, cap,
	    "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<title>Identifiant de vote — %s</title>\n"
	    "<style>%s</style>\n</head>\n<body>\n"
	    "<h1>Votre identifiant de vote</h1>\n"
	    "<p>%s%sRéunion <strong>%s</strong></p>\n"
	    "<p class=\"who\">%s <span class=\"note\">(adhérent n° %s)</span></p>\n"
	    "<div class=\"qr\">%s</div>\n"
	    "<h2>Comment voter</h2>\n<ol>\n"
	    "<li>Scannez ce QR code avec votre téléphone (ou présentez cette"
	    " feuille au bureau de vote).</li>\n"
	    "<li>Saisissez le code personnel que vous avez reçu séparément"
	    " (SMS, courriel ou courrier).</li>\n"
	    "<li>La page de vote s'ouvre à l'adresse <span class=\"url\">%s</span>"
	    " — vérifiez-la avant de saisir votre code.</li>\n</ol>\n"
	    "<h2>Code personnel</h2>\n"
	    "<p>Notez ici le code reçu par l'autre canal, si vous le souhaitez :</p>\n"
	    "<div class=\"code\"></div>\n"
	    "<p class=\"note\">Ne communiquez ni cette feuille ni votre code :"
	    " ensemble, ils permettent de voter en votre nom. En cas de perte,"
	    " demandez au secrétariat un nouvel identifiant ; l'ancien sera"
	    " révoqué.</p>\n"
	    "<p class=\"note\" lang=\"en\">Your voting credential: scan the QR"
	    " code, then type the personal code you received separately. Keep"
	    " this sheet to yourself.</p>\n"
	    "%s</body>\n</html>\n",
	    who, sheet_css, assoc, assoc[0] ? " — " : "", meet, who, no,
	    s->qr_svg, url, web);
	if (n < 0 || (size_t)n >= cap) {
		free(out);
		out = NULL;
	}
	free(assoc);
	free(meet);
	free(no);
	free(name);
	free(who);
	free(url);
	return out;
}

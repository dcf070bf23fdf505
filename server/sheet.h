/*
 * sheet.h — the printable credential sheet of one member (HTML with print
 * CSS): name, member number, the QR code of the voting link, the link
 * without its secret part, and an empty box where the member writes the
 * code received by the other channel. The sheet never contains the code.
 */
#ifndef SCRUTIN_SERVER_SHEET_H
#define SCRUTIN_SERVER_SHEET_H

#include "server/scrutin.h"

struct sheet_info {
	const char *association;	/* may be "" */
	const char *meeting;
	const char *member_no;
	const char *first_name;
	const char *last_name;
	const char *public_url;		/* https://HOST/v/ (no fragment) */
	const char *qr_svg;		/* inline SVG of the full URL */
	const char *web;		/* the web apps' fingerprint (64 hex,
					 * webfp.h), or NULL: not shown */
};

/* Returns the HTML document (caller frees), or NULL. */
char *sheet_html(const struct sheet_info *s);

/* HTML-escapes s into a new string (caller frees). */
char *html_escape(const char *s);

#endif

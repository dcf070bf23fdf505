/*
 * roll.c — member roll CSV parser and import.
 *
 * Input: a spreadsheet export, untrusted. Accepted: UTF-8 (with or without
 * BOM) or Windows-1252, decided per line by majority (a BOM forces UTF-8);
 * lines of the other encoding are rejected, never guessed. Separator `;` or
 * `,`, chosen from the header row. Fields may be quoted with `"`, a quote
 * inside written `""`; a quoted field ends on its line. LF or CRLF line
 * ends (a file with only CR is split on CR). The header names the columns,
 * in French or English, accents and case ignored.
 *
 * Output: UTF-8 rows with ISO dates, and a report of rejected rows. A row
 * is rejected for the first defect found, in this order: encoding, length,
 * quoting, column count, then each field left to right (required, control
 * characters, length, format), then duplicate member number.
 *
 * The import (roll_import_apply) runs in one transaction: all or nothing.
 */
#include "server/roll.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>
#include <jansson.h>

#include "server/member_name.h"
#include "server/store.h"

const char *const roll_col_name[COL_COUNT] = {
	"member_no", "last_name", "first_name", "email", "phone", "category",
	"dues_paid", "joined", "zone", "birth_date", "sex", "city",
};

const char *const roll_col_name_fr[COL_COUNT] = {
	"numéro", "nom", "prénom", "e-mail", "téléphone", "catégorie",
	"cotisation", "date d'adhésion", "zone", "date de naissance", "sexe",
	"ville",
};

/* Accepted header names, after normalisation (lowercase ASCII, accents
 * removed, runs of other characters as one '_'). */
static const struct {
	const char *name;
	enum roll_col col;
} header_names[] = {
	{ "numero", COL_MEMBER_NO }, { "no", COL_MEMBER_NO },
	{ "num", COL_MEMBER_NO }, { "numero_adherent", COL_MEMBER_NO },
	{ "numero_d_adherent", COL_MEMBER_NO }, { "no_adherent", COL_MEMBER_NO },
	{ "num_adherent", COL_MEMBER_NO }, { "id", COL_MEMBER_NO },
	{ "identifiant", COL_MEMBER_NO }, { "matricule", COL_MEMBER_NO },
	{ "member_id", COL_MEMBER_NO }, { "member_no", COL_MEMBER_NO },
	{ "member_number", COL_MEMBER_NO }, { "number", COL_MEMBER_NO },
	{ "nom", COL_LAST_NAME }, { "nom_de_famille", COL_LAST_NAME },
	{ "last_name", COL_LAST_NAME }, { "lastname", COL_LAST_NAME },
	{ "surname", COL_LAST_NAME }, { "family_name", COL_LAST_NAME },
	{ "prenom", COL_FIRST_NAME }, { "first_name", COL_FIRST_NAME },
	{ "firstname", COL_FIRST_NAME }, { "given_name", COL_FIRST_NAME },
	{ "email", COL_EMAIL }, { "e_mail", COL_EMAIL },
	{ "courriel", COL_EMAIL }, { "mail", COL_EMAIL },
	{ "adresse_email", COL_EMAIL }, { "adresse_e_mail", COL_EMAIL },
	{ "adresse_mail", COL_EMAIL },
	{ "telephone", COL_PHONE }, { "tel", COL_PHONE },
	{ "portable", COL_PHONE }, { "mobile", COL_PHONE },
	{ "phone", COL_PHONE },
	{ "categorie", COL_CATEGORY }, { "category", COL_CATEGORY },
	{ "type_adhesion", COL_CATEGORY }, { "type_d_adhesion", COL_CATEGORY },
	{ "college", COL_CATEGORY }, { "membership_type", COL_CATEGORY },
	{ "cotisation", COL_DUES_PAID }, { "date_cotisation", COL_DUES_PAID },
	{ "derniere_cotisation", COL_DUES_PAID }, { "dues", COL_DUES_PAID },
	{ "dues_paid", COL_DUES_PAID }, { "dues_date", COL_DUES_PAID },
	{ "date_adhesion", COL_JOINED }, { "date_d_adhesion", COL_JOINED },
	{ "adhesion", COL_JOINED }, { "date_inscription", COL_JOINED },
	{ "joined", COL_JOINED }, { "join_date", COL_JOINED },
	{ "member_since", COL_JOINED },
	{ "zone", COL_ZONE }, { "groupe", COL_ZONE }, { "group", COL_ZONE },
	{ "section", COL_ZONE }, { "antenne", COL_ZONE },
	{ "date_naissance", COL_BIRTH_DATE },
	{ "date_de_naissance", COL_BIRTH_DATE },
	{ "naissance", COL_BIRTH_DATE }, { "birth_date", COL_BIRTH_DATE },
	{ "birthdate", COL_BIRTH_DATE }, { "date_of_birth", COL_BIRTH_DATE },
	{ "sexe", COL_SEX }, { "sex", COL_SEX }, { "genre", COL_SEX },
	{ "gender", COL_SEX },
	{ "ville", COL_CITY }, { "commune", COL_CITY }, { "city", COL_CITY },
	{ "town", COL_CITY }, { "localite", COL_CITY },
};

/* Windows-1252 0x80..0x9f; 0 marks the five undefined bytes. */
static const uint16_t cp1252_high[32] = {
	0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
	0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
};

static size_t
utf8_put(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	out[0] = (char)(0xe0 | cp >> 12);
	out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[2] = (char)(0x80 | (cp & 0x3f));
	return 3;
}

/* Converts a Windows-1252 line; out holds 3*n+1. Returns -1 and the
 * offending byte in *bad for an undefined byte. */
static int
cp1252_to_utf8(char *out, const uint8_t *in, size_t n, uint8_t *bad)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		uint32_t cp = in[i];
		if (cp >= 0x80 && cp < 0xa0) {
			cp = cp1252_high[cp - 0x80];
			if (cp == 0) {
				*bad = in[i];
				return -1;
			}
		}
		o += utf8_put(out + o, cp);
	}
	out[o] = '\0';
	return 0;
}

static int
has_high_byte(const uint8_t *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] >= 0x80)
			return 1;
	return 0;
}

/* Copies v into dst (cap bytes) cut at a UTF-8 character boundary. */
static void
copy_value(char *dst, size_t cap, const char *v)
{
	size_t n = strlen(v);

	if (n > 60)
		n = 60;
	while (n > 0 && n < strlen(v) && ((uint8_t)v[n] & 0xc0) == 0x80)
		n--;
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, v, n);
	dst[n] = '\0';
}

static struct roll_reject *
add_reject(struct roll_parse *p, unsigned long line, enum roll_reason why)
{
	struct roll_reject *r;

	p->rejects = xreallocarray(p->rejects, p->nrejects + 1,
	    sizeof *p->rejects);
	r = &p->rejects[p->nrejects++];
	memset(r, 0, sizeof *r);
	r->line = line;
	r->reason = why;
	r->col = -1;
	return r;
}

/* ---- header names ---- */

int
roll_header_lookup(const char *cell)
{
	char norm[64];
	size_t o = 0;
	int last_us = 1;
	const uint8_t *s = (const uint8_t *)cell;

	for (size_t i = 0; s[i] != '\0'; i++) {
		char c = 0;
		uint8_t b = s[i];

		if (b >= 'A' && b <= 'Z')
			c = (char)(b - 'A' + 'a');
		else if ((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9'))
			c = (char)b;
		else if (b == 0xc3 && s[i + 1] != '\0') {
			/* Latin-1 supplement letters: strip the accent. */
			static const char map[64] =
			    "aaaaaaaceeeeiiiidnooooo*ouuuuyts"
			    "aaaaaaaceeeeiiiidnooooo/ouuuuyty";
			uint8_t t = s[++i];
			if (t >= 0x80 && t <= 0xbf)
				c = map[t - 0x80];
			if (c == '*' || c == '/')
				c = 0;
		} else if (b == 0xc2 && s[i + 1] == 0xb0) {
			c = 'o'; /* "N°" */
			i++;
		} else if (b == 0xc2 || b == 0xc5 || b == 0xe2) {
			/* other non-ASCII: a separator */
			while (s[i + 1] != '\0' && (s[i + 1] & 0xc0) == 0x80)
				i++;
		}
		if (c != 0) {
			if (o + 1 >= sizeof norm)
				return -1;
			norm[o++] = c;
			last_us = 0;
		} else if (!last_us) {
			if (o + 1 >= sizeof norm)
				return -1;
			norm[o++] = '_';
			last_us = 1;
		}
	}
	while (o > 0 && norm[o - 1] == '_')
		o--;
	norm[o] = '\0';
	for (size_t k = 0; k < sizeof header_names / sizeof header_names[0];
	     k++)
		if (strcmp(norm, header_names[k].name) == 0)
			return (int)header_names[k].col;
	return -1;
}

/* ---- one CSV line ---- */

#define MAX_SPLIT 256u

/* Splits a NUL-terminated UTF-8 line in place-independent copies.
 * OUT: fields[] (pointers into buf), *nf (may exceed MAX_SPLIT: counted,
 * not stored). Returns 0 or the reason. */
static int
csv_split(const char *line, char sep, char *buf, char **fields,
    unsigned *nf)
{
	size_t i = 0, o = 0;
	unsigned n = 0;

	for (;;) {
		char *start = buf + o;
		while (line[i] == ' ' || line[i] == '\t')
			i++;
		if (line[i] == '"') {
			i++;
			for (;;) {
				if (line[i] == '\0')
					return RR_QUOTE_UNTERMINATED;
				if (line[i] == '"') {
					if (line[i + 1] == '"') {
						buf[o++] = '"';
						i += 2;
						continue;
					}
					i++;
					break;
				}
				buf[o++] = line[i++];
			}
			while (line[i] == ' ' || line[i] == '\t')
				i++;
			if (line[i] != '\0' && line[i] != sep)
				return RR_QUOTE_STRAY;
		} else {
			size_t end;
			while (line[i] != '\0' && line[i] != sep) {
				if (line[i] == '"')
					return RR_QUOTE_STRAY;
				buf[o++] = line[i++];
			}
			/* Trim trailing blanks of an unquoted field. */
			end = o;
			while (end > (size_t)(start - buf) &&
			    (buf[end - 1] == ' ' || buf[end - 1] == '\t'))
				end--;
			o = end;
		}
		buf[o++] = '\0';
		if (n < MAX_SPLIT)
			fields[n] = start;
		n++;
		if (line[i] == '\0')
			break;
		i++; /* the separator */
	}
	*nf = n;
	return 0;
}

/* ---- field checks ---- */

static int
has_control(const char *v)
{
	const uint8_t *s = (const uint8_t *)v;

	for (size_t i = 0; s[i] != '\0'; i++) {
		if (s[i] < 0x20 || s[i] == 0x7f)
			return 1;
		/* C1 controls U+0080..U+009F */
		if (s[i] == 0xc2 && s[i + 1] >= 0x80 && s[i + 1] <= 0x9f)
			return 1;
	}
	return 0;
}

static int
member_no_valid(const char *v)
{
	size_t n = strlen(v);

	if (n == 0 || n > 32)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = v[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		        (c >= 'A' && c <= 'Z') || c == '-' || c == '_' ||
		        c == '.' || c == '/'))
			return 0;
	}
	return 1;
}

static int
email_valid(const char *v)
{
	const char *at = strchr(v, '@');
	size_t n = strlen(v);

	if (n > 254 || at == NULL || at == v || strchr(at + 1, '@') != NULL)
		return 0;
	if ((size_t)(at - v) > 64)
		return 0;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = (uint8_t)v[i];
		if (c <= ' ' || c == '"' || c == '(' || c == ')' || c == ',' ||
		    c == ';' || c == '<' || c == '>' || c == '[' || c == ']' ||
		    c == '\\')
			return 0;
	}
	const char *dom = at + 1;
	const char *dot = strchr(dom, '.');
	if (dom[0] == '\0' || dom[0] == '.' || dot == NULL ||
	    dom[strlen(dom) - 1] == '.' || strstr(dom, "..") != NULL)
		return 0;
	return 1;
}

static int
parse_uint(const char *s, size_t n, unsigned *out)
{
	unsigned v = 0;

	if (n == 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = v;
	return 0;
}

int
roll_date_parse(char out[11], const char *s)
{
	static const unsigned mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31,
		30, 31, 30, 31 };
	unsigned d, m, y;
	size_t n = strlen(s);

	if (n == 10 && s[4] == '-' && s[7] == '-') {
		if (parse_uint(s, 4, &y) || parse_uint(s + 5, 2, &m) ||
		    parse_uint(s + 8, 2, &d))
			return -1;
	} else {
		/* D/M/YYYY with '/', '-' or '.', one or two digits. */
		const char *p1 = s, *p2, *p3;
		size_t l1, l2, l3;
		char sep;

		l1 = strcspn(p1, "/-.");
		if (p1[l1] == '\0')
			return -1;
		sep = p1[l1];
		p2 = p1 + l1 + 1;
		l2 = strcspn(p2, "/-.");
		if (p2[l2] != sep)
			return -1;
		p3 = p2 + l2 + 1;
		l3 = strlen(p3);
		if (l1 < 1 || l1 > 2 || l2 < 1 || l2 > 2 || l3 != 4)
			return -1;
		if (parse_uint(p1, l1, &d) || parse_uint(p2, l2, &m) ||
		    parse_uint(p3, l3, &y))
			return -1;
	}
	if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1)
		return -1;
	unsigned lim = mdays[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		lim = 29;
	if (d > lim)
		return -1;
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
	return 0;
}

/* ---- duplicate detection ---- */

struct dupset {
	const char **key;
	unsigned long *line;
	size_t cap;
};

static uint64_t
fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++) {
		h ^= (uint8_t)*s;
		h *= 1099511628211ull;
	}
	return h;
}

/* Returns 0 if added, or the line of the earlier occurrence. */
static unsigned long
dupset_add(struct dupset *d, const char *k, unsigned long line)
{
	size_t i = (size_t)fnv1a(k) & (d->cap - 1);

	while (d->key[i] != NULL) {
		if (strcmp(d->key[i], k) == 0)
			return d->line[i];
		i = (i + 1) & (d->cap - 1);
	}
	d->key[i] = k;
	d->line[i] = line;
	return 0;
}

/* Returns the line stored for k, or 0 when absent (nothing added). */
static unsigned long
dupset_find(const struct dupset *d, const char *k)
{
	size_t i = (size_t)fnv1a(k) & (d->cap - 1);

	while (d->key[i] != NULL) {
		if (strcmp(d->key[i], k) == 0)
			return d->line[i];
		i = (i + 1) & (d->cap - 1);
	}
	return 0;
}

/* ---- the parser ---- */

struct line_ref {
	const uint8_t *p;
	size_t n;
	unsigned long no;
};

enum line_class { LC_ASCII, LC_UTF8, LC_OTHER };

static enum line_class
classify(const uint8_t *p, size_t n)
{
	if (!has_high_byte(p, n))
		return LC_ASCII;
	return utf8_valid(p, n) ? LC_UTF8 : LC_OTHER;
}

static int
blank_line(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != ';' && p[i] != ',')
			return 0;
	return 1;
}

static int
ferr(struct roll_parse *p, enum roll_ferr e, unsigned long line,
    const char *value)
{
	p->ferr = e;
	p->ferr_line = line;
	if (value != NULL)
		copy_value(p->ferr_value, sizeof p->ferr_value, value);
	return -1;
}

/*
 * Decodes one line to UTF-8 into buf (3*n+1 bytes). Returns 0, or a
 * reason (and *bad) when the line's encoding is refused.
 */
static int
decode_line(const struct roll_parse *p, const uint8_t *s, size_t n,
    char *buf, uint8_t *bad)
{
	enum line_class c = classify(s, n);

	if (p->encoding == ROLL_UTF8) {
		if (c == LC_OTHER)
			return RR_UTF8_INVALID;
		memcpy(buf, s, n);
		buf[n] = '\0';
		return 0;
	}
	if (c == LC_UTF8)
		return RR_ENCODING_MIXED;
	if (cp1252_to_utf8(buf, s, n, bad) != 0)
		return RR_CP1252_INVALID;
	return 0;
}

static int
check_row(struct roll_parse *p, unsigned long line, char **fields,
    struct roll_member *m)
{
	for (unsigned k = 0; k < p->ncols; k++) {
		int col = p->colmap[k];
		const char *v = fields[k];
		size_t len = strlen(v);
		struct roll_reject *r;
		char iso[11];

		if (len == 0) {
			if (col == COL_MEMBER_NO || col == COL_LAST_NAME) {
				r = add_reject(p, line, RR_REQUIRED_EMPTY);
				r->col = col;
				return -1;
			}
			continue;
		}
		if (has_control(v)) {
			r = add_reject(p, line, RR_CONTROL_CHAR);
			r->col = col;
			return -1;
		}
		if (member_name_invisible(v) != 0) {
			r = add_reject(p, line, RR_INVISIBLE_CHAR);
			r->col = col;
			r->n1 = member_name_invisible(v);
			return -1;
		}
		if (len > ROLL_MAX_FIELD) {
			r = add_reject(p, line, RR_FIELD_TOO_LONG);
			r->col = col;
			r->n1 = len;
			return -1;
		}
		switch (col) {
		case COL_MEMBER_NO:
			if (!member_no_valid(v)) {
				r = add_reject(p, line, RR_MEMBER_NO_INVALID);
				r->col = col;
				copy_value(r->value, sizeof r->value, v);
				return -1;
			}
			break;
		case COL_EMAIL:
			if (!email_valid(v)) {
				r = add_reject(p, line, RR_EMAIL_INVALID);
				r->col = col;
				copy_value(r->value, sizeof r->value, v);
				return -1;
			}
			break;
		case COL_DUES_PAID:
		case COL_JOINED:
		case COL_BIRTH_DATE:
			if (roll_date_parse(iso, v) != 0) {
				r = add_reject(p, line, RR_DATE_INVALID);
				r->col = col;
				copy_value(r->value, sizeof r->value, v);
				return -1;
			}
			m->f[col] = xstrdup(iso);
			continue;
		default:
			break;
		}
		m->f[col] = xstrdup(v);
	}
	return 0;
}

static void
member_free(struct roll_member *m)
{
	for (int c = 0; c < COL_COUNT; c++)
		free(m->f[c]);
	memset(m, 0, sizeof *m);
}

/* The parse's working memory. */
struct rwork {
	struct line_ref *lines;	/* the file's lines, blank ones left out */
	size_t nlines, cap;
	char *buf, *split;	/* one decoded line, its fields' bytes */
	char *fields[MAX_SPLIT];
	unsigned nf;
	uint8_t bad;		/* the last undefined Windows-1252 byte */
	struct dupset dup;	/* the member numbers kept so far */
};

/* Lines, their encoding class, NUL bytes; then the file's encoding by
 * majority (a BOM forces UTF-8). */
static int
lines_read(struct roll_parse *p, const uint8_t *data, size_t len,
    struct rwork *w)
{
	size_t n_utf8 = 0, n_other = 0;
	char eol = '\n';

	if (memchr(data, '\n', len) == NULL && memchr(data, '\r', len) != NULL)
		eol = '\r';
	for (size_t i = 0, no = 1; i < len; no++) {
		const uint8_t *s = data + i;
		const uint8_t *e = memchr(s, eol, len - i);
		size_t n = e ? (size_t)(e - s) : len - i;

		i += n + (e ? 1 : 0);
		if (n > 0 && eol == '\n' && s[n - 1] == '\r')
			n--;
		if (memchr(s, '\0', n) != NULL)
			return ferr(p, RF_BINARY, (unsigned long)no, NULL);
		if (blank_line(s, n))
			continue;
		if (w->nlines == w->cap) {
			w->cap = w->cap ? 2 * w->cap : 256;
			w->lines = xreallocarray(w->lines, w->cap,
			    sizeof *w->lines);
		}
		w->lines[w->nlines++] =
		    (struct line_ref){ s, n, (unsigned long)no };
		if (n <= ROLL_MAX_LINE) {
			enum line_class c = classify(s, n);
			n_utf8 += c == LC_UTF8;
			n_other += c == LC_OTHER;
		}
	}
	if (w->nlines == 0)
		return ferr(p, RF_EMPTY, 0, NULL);
	if (w->nlines - 1 > ROLL_MAX_ROWS)
		return ferr(p, RF_TOO_MANY_ROWS, 0, NULL);
	p->encoding = (p->bom || n_utf8 >= n_other) ? ROLL_UTF8 : ROLL_CP1252;
	return 0;
}

/* The separator: the one of `;` and `,` the decoded header holds more
 * of outside quotes. */
static int
header_separator(struct roll_parse *p, const char *buf, unsigned long line)
{
	size_t semi = 0, comma = 0;
	int inq = 0;

	for (const char *c = buf; *c; c++) {
		if (*c == '"')
			inq = !inq;
		else if (!inq && *c == ';')
			semi++;
		else if (!inq && *c == ',')
			comma++;
	}
	if (semi == 0 && comma == 0)
		return ferr(p, RF_NO_SEPARATOR, line, NULL);
	if (semi == comma)
		return ferr(p, RF_AMBIGUOUS_SEPARATOR, line, NULL);
	p->sep = semi > comma ? ';' : ',';
	return 0;
}

/* The column each header cell names: each known, once, and the member
 * number and last name present. */
static int
header_columns(struct roll_parse *p, char **fields, unsigned nf,
    unsigned long line)
{
	int seen[COL_COUNT] = { 0 };

	for (unsigned k = 0; k < nf; k++) {
		int col = roll_header_lookup(fields[k]);
		if (col < 0)
			return ferr(p, RF_UNKNOWN_COLUMN, line, fields[k]);
		if (seen[col])
			return ferr(p, RF_DUPLICATE_COLUMN, line, fields[k]);
		seen[col] = 1;
		p->colmap[k] = col;
	}
	p->ncols = nf;
	if (!seen[COL_MEMBER_NO])
		return ferr(p, RF_MISSING_COLUMN, line,
		    roll_col_name_fr[COL_MEMBER_NO]);
	if (!seen[COL_LAST_NAME])
		return ferr(p, RF_MISSING_COLUMN, line,
		    roll_col_name_fr[COL_LAST_NAME]);
	return 0;
}

/* The first line: its encoding, separator, syntax and columns. */
static int
header_read(struct roll_parse *p, struct rwork *w)
{
	const struct line_ref *h = &w->lines[0];

	if (h->n > ROLL_MAX_LINE ||
	    decode_line(p, h->p, h->n, w->buf, &w->bad) != 0)
		return ferr(p, RF_HEADER_ENCODING, h->no, NULL);
	if (header_separator(p, w->buf, h->no) != 0)
		return -1;
	if (csv_split(w->buf, p->sep, w->split, w->fields, &w->nf) != 0)
		return ferr(p, RF_HEADER_SYNTAX, h->no, NULL);
	if (w->nf > ROLL_MAX_COLS)
		return ferr(p, RF_TOO_MANY_COLUMNS, h->no, NULL);
	return header_columns(p, w->fields, w->nf, h->no);
}

/* A table for n keys, at most half full. */
static void
dupset_init(struct dupset *d, size_t n)
{
	d->cap = 1;
	while (d->cap < 2 * n)
		d->cap <<= 1;
	d->key = xcalloc(d->cap, sizeof *d->key);
	d->line = xcalloc(d->cap, sizeof *d->line);
}

/* One data line: a member added to p->rows, or a reject for its first
 * defect. */
static void
row_read(struct roll_parse *p, struct rwork *w, const struct line_ref *L)
{
	struct roll_member *m = &p->rows[p->nrows];
	struct roll_reject *r;
	unsigned long first;
	int why;

	if (L->n > ROLL_MAX_LINE) {
		r = add_reject(p, L->no, RR_LINE_TOO_LONG);
		r->n1 = L->n;
		return;
	}
	if ((why = decode_line(p, L->p, L->n, w->buf, &w->bad)) != 0) {
		r = add_reject(p, L->no, (enum roll_reason)why);
		r->n1 = w->bad;
		return;
	}
	if ((why = csv_split(w->buf, p->sep, w->split, w->fields,
	        &w->nf)) != 0) {
		add_reject(p, L->no, (enum roll_reason)why);
		return;
	}
	if (w->nf != p->ncols) {
		r = add_reject(p, L->no, RR_COLUMN_COUNT);
		r->n1 = w->nf;
		r->n2 = p->ncols;
		return;
	}
	m->line = L->no;
	if (check_row(p, L->no, w->fields, m) != 0) {
		member_free(m);
		return;
	}
	for (int c = 0; c < COL_COUNT; c++)
		if (m->f[c] == NULL)
			m->f[c] = xstrdup("");
	if ((first = dupset_add(&w->dup, m->f[COL_MEMBER_NO], L->no)) != 0) {
		r = add_reject(p, L->no, RR_DUPLICATE);
		r->col = COL_MEMBER_NO;
		copy_value(r->value, sizeof r->value, m->f[COL_MEMBER_NO]);
		r->n1 = first;
		member_free(m);
		return;
	}
	p->nrows++;
}

int
roll_parse(struct roll_parse *p, const uint8_t *data, size_t len)
{
	struct rwork w;
	int rc = -1;

	memset(p, 0, sizeof *p);
	memset(&w, 0, sizeof w);
	if (len > ROLL_MAX_FILE)
		return ferr(p, RF_TOO_BIG, 0, NULL);
	if (len >= 3 && data[0] == 0xef && data[1] == 0xbb && data[2] == 0xbf) {
		p->bom = 1;
		data += 3;
		len -= 3;
	}
	if (lines_read(p, data, len, &w) != 0)
		goto out;
	w.buf = xmalloc(3 * ROLL_MAX_LINE + 1);
	w.split = xmalloc(3 * ROLL_MAX_LINE + 1);
	if (header_read(p, &w) != 0)
		goto out;
	dupset_init(&w.dup, w.nlines);
	p->rows = xcalloc(w.nlines, sizeof *p->rows);
	for (size_t li = 1; li < w.nlines; li++)
		row_read(p, &w, &w.lines[li]);
	rc = 0;
out:
	free(w.dup.key);
	free(w.dup.line);
	free(w.buf);
	free(w.split);
	free(w.lines);
	return rc;
}

void
roll_parse_free(struct roll_parse *p)
{
	for (size_t i = 0; i < p->nrows; i++)
		member_free(&p->rows[i]);
	free(p->rows);
	free(p->rejects);
	memset(p, 0, sizeof *p);
}

/* ---- messages ---- */

const char *
roll_reason_code(enum roll_reason r)
{
	switch (r) {
	case RR_UTF8_INVALID: return "utf8_invalid";
	case RR_ENCODING_MIXED: return "encoding_mixed";
	case RR_CP1252_INVALID: return "cp1252_invalid";
	case RR_LINE_TOO_LONG: return "line_too_long";
	case RR_QUOTE_UNTERMINATED: return "quote_unterminated";
	case RR_QUOTE_STRAY: return "quote_stray";
	case RR_COLUMN_COUNT: return "column_count";
	case RR_REQUIRED_EMPTY: return "required_empty";
	case RR_CONTROL_CHAR: return "control_char";
	case RR_INVISIBLE_CHAR: return "invisible_char";
	case RR_FIELD_TOO_LONG: return "field_too_long";
	case RR_MEMBER_NO_INVALID: return "member_no_invalid";
	case RR_DATE_INVALID: return "date_invalid";
	case RR_EMAIL_INVALID: return "email_invalid";
	case RR_DUPLICATE: return "duplicate";
	}
	return "unknown";
}

const char *
roll_ferr_code(enum roll_ferr e)
{
	switch (e) {
	case RF_NONE: return "none";
	case RF_TOO_BIG: return "too_big";
	case RF_EMPTY: return "empty";
	case RF_BINARY: return "binary";
	case RF_TOO_MANY_ROWS: return "too_many_rows";
	case RF_HEADER_ENCODING: return "header_encoding";
	case RF_HEADER_SYNTAX: return "header_syntax";
	case RF_NO_SEPARATOR: return "no_separator";
	case RF_AMBIGUOUS_SEPARATOR: return "ambiguous_separator";
	case RF_UNKNOWN_COLUMN: return "unknown_column";
	case RF_DUPLICATE_COLUMN: return "duplicate_column";
	case RF_MISSING_COLUMN: return "missing_column";
	case RF_TOO_MANY_COLUMNS: return "too_many_columns";
	}
	return "unknown";
}

void
roll_reject_format(char *out, size_t cap, const struct roll_reject *r,
    enum roll_lang lang)
{
	const char *col = r->col >= 0 && r->col < COL_COUNT
	    ? (lang == ROLL_FR ? roll_col_name_fr[r->col]
			       : roll_col_name[r->col])
	    : "";
	int fr = lang == ROLL_FR;

	switch (r->reason) {
	case RR_UTF8_INVALID:
		snprintf(out, cap, fr ? "texte UTF-8 invalide"
				      : "invalid UTF-8 text");
		break;
	case RR_ENCODING_MIXED:
		snprintf(out, cap, fr
		    ? "ligne en UTF-8 dans un fichier Windows-1252 (encodages mélangés)"
		    : "UTF-8 line in a Windows-1252 file (mixed encodings)");
		break;
	case RR_CP1252_INVALID:
		snprintf(out, cap, fr ? "octet 0x%02lX non défini en Windows-1252"
				      : "byte 0x%02lX undefined in Windows-1252",
		    r->n1);
		break;
	case RR_LINE_TOO_LONG:
		snprintf(out, cap, fr ? "ligne trop longue (%lu octets, maximum %u)"
				      : "line too long (%lu bytes, maximum %u)",
		    r->n1, ROLL_MAX_LINE);
		break;
	case RR_QUOTE_UNTERMINATED:
		snprintf(out, cap, fr ? "guillemet non fermé"
				      : "unterminated quote");
		break;
	case RR_QUOTE_STRAY:
		snprintf(out, cap, fr ? "guillemet mal placé"
				      : "misplaced quote");
		break;
	case RR_COLUMN_COUNT:
		snprintf(out, cap, fr
		    ? "nombre de colonnes incorrect : %lu au lieu de %lu"
		    : "wrong number of columns: %lu instead of %lu",
		    r->n1, r->n2);
		break;
	case RR_REQUIRED_EMPTY:
		snprintf(out, cap, fr ? "champ obligatoire « %s » vide"
				      : "required field '%s' is empty", col);
		break;
	case RR_CONTROL_CHAR:
		snprintf(out, cap, fr ? "caractère de contrôle dans « %s »"
				      : "control character in '%s'", col);
		break;
	case RR_INVISIBLE_CHAR:
		snprintf(out, cap, fr
		    ? "caractère invisible ou d'inversion du sens d'écriture "
		      "(U+%04lX) dans « %s » : retirez-le dans le tableur, puis "
		      "importez à nouveau"
		    : "invisible or direction-override character (U+%04lX) "
		      "in '%s': remove it in the spreadsheet, then import again",
		    r->n1, col);
		break;
	case RR_FIELD_TOO_LONG:
		snprintf(out, cap, fr
		    ? "champ « %s » trop long (%lu octets, maximum %u)"
		    : "field '%s' too long (%lu bytes, maximum %u)",
		    col, r->n1, ROLL_MAX_FIELD);
		break;
	case RR_MEMBER_NO_INVALID:
		snprintf(out, cap, fr ? "numéro d'adhérent invalide « %s »"
				      : "invalid member number '%s'",
		    r->value);
		break;
	case RR_DATE_INVALID:
		snprintf(out, cap, fr ? "date invalide « %s » (colonne « %s »)"
				      : "invalid date '%s' (column '%s')",
		    r->value, col);
		break;
	case RR_EMAIL_INVALID:
		snprintf(out, cap, fr ? "adresse e-mail invalide « %s »"
				      : "invalid e-mail address '%s'",
		    r->value);
		break;
	case RR_DUPLICATE:
		snprintf(out, cap, fr
		    ? "numéro d'adhérent « %s » en double (déjà ligne %lu)"
		    : "duplicate member number '%s' (already on line %lu)",
		    r->value, r->n1);
		break;
	default:
		snprintf(out, cap, "?");
	}
}

void
roll_ferr_format(char *out, size_t cap, const struct roll_parse *p,
    enum roll_lang lang)
{
	int fr = lang == ROLL_FR;

	switch (p->ferr) {
	case RF_NONE:
		snprintf(out, cap, "ok");
		break;
	case RF_TOO_BIG:
		snprintf(out, cap, fr ? "fichier trop gros (maximum %u octets)"
				      : "file too big (maximum %u bytes)",
		    ROLL_MAX_FILE);
		break;
	case RF_EMPTY:
		snprintf(out, cap, fr ? "fichier vide" : "empty file");
		break;
	case RF_BINARY:
		snprintf(out, cap, fr ? "ligne %lu : octet nul, ce n'est pas un fichier texte"
				      : "line %lu: NUL byte, not a text file",
		    p->ferr_line);
		break;
	case RF_TOO_MANY_ROWS:
		snprintf(out, cap, fr ? "trop de lignes (maximum %u)"
				      : "too many rows (maximum %u)",
		    ROLL_MAX_ROWS);
		break;
	case RF_HEADER_ENCODING:
		snprintf(out, cap, fr ? "ligne %lu : en-tête mal encodé"
				      : "line %lu: header badly encoded",
		    p->ferr_line);
		break;
	case RF_HEADER_SYNTAX:
		snprintf(out, cap, fr ? "ligne %lu : guillemets incorrects dans l'en-tête"
				      : "line %lu: bad quotes in the header",
		    p->ferr_line);
		break;
	case RF_NO_SEPARATOR:
		snprintf(out, cap, fr ? "ligne %lu : en-tête sans séparateur « ; » ni « , »"
				      : "line %lu: header has no ';' or ',' separator",
		    p->ferr_line);
		break;
	case RF_AMBIGUOUS_SEPARATOR:
		snprintf(out, cap, fr ? "ligne %lu : séparateur ambigu (autant de « ; » que de « , »)"
				      : "line %lu: ambiguous separator (as many ';' as ',')",
		    p->ferr_line);
		break;
	case RF_UNKNOWN_COLUMN:
		snprintf(out, cap, fr ? "ligne %lu : colonne inconnue « %s »"
				      : "line %lu: unknown column '%s'",
		    p->ferr_line, p->ferr_value);
		break;
	case RF_DUPLICATE_COLUMN:
		snprintf(out, cap, fr ? "ligne %lu : colonne « %s » en double"
				      : "line %lu: duplicate column '%s'",
		    p->ferr_line, p->ferr_value);
		break;
	case RF_MISSING_COLUMN:
		snprintf(out, cap, fr ? "ligne %lu : colonne obligatoire « %s » absente"
				      : "line %lu: required column '%s' missing",
		    p->ferr_line, p->ferr_value);
		break;
	case RF_TOO_MANY_COLUMNS:
		snprintf(out, cap, fr ? "ligne %lu : trop de colonnes (maximum %u)"
				      : "line %lu: too many columns (maximum %u)",
		    p->ferr_line, ROLL_MAX_COLS);
		break;
	}
}

/* ---- import ---- */

#define MEMBER_FIELDS \
	"member_no, last_name, first_name, email, phone, category, " \
	"dues_paid, joined, zone, birth_date, sex, city"

static int
bind_fields(sqlite3_stmt *s, int first, const struct roll_member *m)
{
	for (int c = 0; c < COL_COUNT; c++)
		if (store_bind_text(s, first + c, m->f[c]) != 0)
			return -1;
	return 0;
}

/* Copies the current row of member id to members_history. */
static int
history_copy(struct store *st, int64_t id, int64_t import_id, int64_t now)
{
	sqlite3_stmt *s = store_prepare(st->roll,
	    "INSERT INTO members_history(member_id, version, " MEMBER_FIELDS
	    ", status, valid_from, valid_until, import_id,"
	    " superseded_by_import)"
	    " SELECT id, version, " MEMBER_FIELDS ", status, updated_at, ?2,"
	    " import_id, ?3 FROM members WHERE id = ?1");
	int rc = -1;

	if (s == NULL)
		return -1;
	if (sqlite3_bind_int64(s, 1, id) == SQLITE_OK &&
	    sqlite3_bind_int64(s, 2, now) == SQLITE_OK &&
	    sqlite3_bind_int64(s, 3, import_id) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_DONE && sqlite3_changes(st->roll) == 1)
		rc = 0;
	sqlite3_finalize(s);
	return rc;
}

/* The statements on members, one use per row of the file. */
struct member_stmts {
	sqlite3_stmt *sel;	/* a member by number */
	sqlite3_stmt *ins;	/* a new member */
	sqlite3_stmt *upd;	/* a member's new version */
};

/* The imports row: the file's hash, encoding, separator and row counts;
 * its other counts are set by import_counts. */
static int
import_row(struct store *st, sqlite3_stmt *imp, const struct roll_parse *p,
    const char *sha256_hex, int64_t now, int64_t *import_id)
{
	if (sqlite3_bind_int64(imp, 1, now) != SQLITE_OK ||
	    store_bind_text(imp, 2, sha256_hex) != 0 ||
	    store_bind_text(imp, 3,
	        p->encoding == ROLL_UTF8 ? "utf-8" : "windows-1252") != 0 ||
	    store_bind_text(imp, 4, p->sep == ';' ? ";" : ",") != 0 ||
	    sqlite3_bind_int64(imp, 5, (sqlite3_int64)p->nrows) != SQLITE_OK ||
	    sqlite3_bind_int64(imp, 6, (sqlite3_int64)p->nrejects) !=
	        SQLITE_OK ||
	    sqlite3_step(imp) != SQLITE_DONE)
		return -1;
	*import_id = sqlite3_last_insert_rowid(st->roll);
	return 0;
}

/* 1 if the member sel's row holds is active with the fields of m. */
static int
member_same(sqlite3_stmt *sel, const struct roll_member *m)
{
	int same = strcmp((const char *)sqlite3_column_text(sel, 1),
	    "active") == 0;

	for (int c = 0; c < COL_COUNT && same; c++) {
		const unsigned char *old = sqlite3_column_text(sel, 2 + c);
		same = old != NULL && strcmp((const char *)old, m->f[c]) == 0;
	}
	return same;
}

/* Runs the insert or the update of a member: its fields (?1 to ?12), the
 * time (?13) and the import (?14). */
static int
member_write(sqlite3_stmt *s, const struct roll_member *m, int64_t import_id,
    int64_t now)
{
	sqlite3_reset(s);
	if (bind_fields(s, 1, m) != 0 ||
	    sqlite3_bind_int64(s, 13, now) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 14, import_id) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_DONE)
		return -1;
	return 0;
}

/* One row of the file: a new member, a member unchanged, or a member's
 * new version (the previous one copied to members_history). */
static int
member_apply(struct store *st, const struct member_stmts *ms,
    const struct roll_member *m, int64_t import_id, int64_t now,
    struct roll_import_result *res)
{
	int step, same;
	int64_t id;

	sqlite3_reset(ms->sel);
	if (store_bind_text(ms->sel, 1, m->f[COL_MEMBER_NO]) != 0)
		return -1;
	step = sqlite3_step(ms->sel);
	if (step == SQLITE_DONE) {
		if (member_write(ms->ins, m, import_id, now) != 0)
			return -1;
		res->created++;
		return 0;
	}
	if (step != SQLITE_ROW)
		return -1;
	id = sqlite3_column_int64(ms->sel, 0);
	same = member_same(ms->sel, m);
	sqlite3_reset(ms->sel);
	if (same) {
		res->unchanged++;
		return 0;
	}
	if (history_copy(st, id, import_id, now) != 0)
		return -1;
	if (member_write(ms->upd, m, import_id, now) != 0)
		return -1;
	res->updated++;
	return 0;
}

/* Active members whose number the file does not name: each copied to
 * members_history and marked removed. */
static int
members_remove_missing(struct store *st, const struct roll_parse *p,
    int64_t import_id, int64_t now, struct roll_import_result *res)
{
	struct dupset named = { 0 };
	sqlite3_stmt *miss, *rem;
	int64_t *ids = NULL;
	size_t nids = 0, cap = 0;
	int ok = 1;

	dupset_init(&named, p->nrows + 1);
	for (size_t i = 0; i < p->nrows; i++)
		(void)dupset_add(&named, p->rows[i].f[COL_MEMBER_NO], i + 1);
	miss = store_prepare(st->roll,
	    "SELECT id, member_no FROM members WHERE status = 'active'");
	rem = store_prepare(st->roll,
	    "UPDATE members SET status = 'removed', version = version + 1,"
	    " updated_at = ?2, import_id = ?3 WHERE id = ?1");
	ok = miss != NULL && rem != NULL;
	while (ok && sqlite3_step(miss) == SQLITE_ROW) {
		const char *no = (const char *)sqlite3_column_text(miss, 1);
		if (no == NULL || dupset_find(&named, no) != 0)
			continue; /* named by the file */
		if (nids == cap) {
			cap = cap ? 2 * cap : 64;
			ids = xreallocarray(ids, cap, sizeof *ids);
		}
		ids[nids++] = sqlite3_column_int64(miss, 0);
	}
	for (size_t k = 0; ok && k < nids; k++) {
		sqlite3_reset(rem);
		if (history_copy(st, ids[k], import_id, now) != 0 ||
		    sqlite3_bind_int64(rem, 1, ids[k]) != SQLITE_OK ||
		    sqlite3_bind_int64(rem, 2, now) != SQLITE_OK ||
		    sqlite3_bind_int64(rem, 3, import_id) != SQLITE_OK ||
		    sqlite3_step(rem) != SQLITE_DONE)
			ok = 0;
		else
			res->removed++;
	}
	free(ids);
	free(named.key);
	free(named.line);
	sqlite3_finalize(miss);
	sqlite3_finalize(rem);
	return ok ? 0 : -1;
}

/* The frozen rolls of the meetings convened or live: this import must
 * not change what the statutes count of their members (roll.h). 0, -1,
 * or ROLL_ERR_FROZEN with res->refused_fr/en naming the meeting and up
 * to 8 members. */
static int
frozen_rolls_check(struct store *st, int64_t import_id,
    struct roll_import_result *res)
{
	sqlite3_stmt *s = store_prepare(st->roll,
	    "SELECT g.id, m.member_no FROM members m"
	    " JOIN members_history h ON h.member_id = m.id"
	    " AND h.superseded_by_import = ?1"
	    " JOIN meeting_roll r ON r.member_id = m.id"
	    " JOIN meetings g ON g.id = r.meeting"
	    " WHERE g.status IN ('convened', 'live') AND (m.status IS NOT"
	    " h.status OR m.category IS NOT h.category OR m.dues_paid IS NOT"
	    " h.dues_paid OR m.joined IS NOT h.joined OR m.zone IS NOT h.zone"
	    " OR m.birth_date IS NOT h.birth_date OR m.sex IS NOT h.sex)"
	    " ORDER BY g.id, m.member_no");
	char meeting[65] = "", list[160] = "";
	size_t n = 0, len = 0;
	int r, rc = -1;

	if (s == NULL || sqlite3_bind_int64(s, 1, import_id) != SQLITE_OK)
		goto out;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		const char *g = (const char *)sqlite3_column_text(s, 0);
		const char *no = (const char *)sqlite3_column_text(s, 1);
		if (n == 0)
			snprintf(meeting, sizeof meeting, "%s", g);
		else if (strcmp(meeting, g) != 0)
			continue;	/* the first meeting is named */
		if (n++ < 8 && len < sizeof list) {
			int k = snprintf(list + len, sizeof list - len, "%s%s",
			    n > 1 ? ", " : "", no);
			len += k > 0 ? (size_t)k : 0;
		}
	}
	if (r != SQLITE_DONE)
		goto out;
	rc = 0;
	if (n == 0)
		goto out;
	snprintf(res->refused_fr, sizeof res->refused_fr, "import refusé :"
	    " la liste des membres est figée pour la réunion « %s », convoquée"
	    " ; cet import changerait ce que les statuts comptent (catégorie,"
	    " cotisation, adhésion, zone, naissance, sexe, présence sur la"
	    " liste) de %zu de ses membres (%s%s). Rien n'a été modifié. Ces"
	    " corrections s'importent après la clôture de la réunion ; les"
	    " noms et coordonnées peuvent changer dès maintenant", meeting, n,
	    list, n > 8 ? ", …" : "");
	snprintf(res->refused_en, sizeof res->refused_en, "import refused:"
	    " the roll is frozen for meeting \"%s\", convened; this import"
	    " would change what the statutes count (category, dues,"
	    " membership, zone, birth date, sex, presence on the roll) of %zu"
	    " of its members (%s%s). Nothing was changed. Import these"
	    " corrections after the meeting is closed; names and contact"
	    " details may change now", meeting, n, list, n > 8 ? ", …" : "");
	rc = ROLL_ERR_FROZEN;
out:
	sqlite3_finalize(s);
	return rc;
}

/* The imports row's counts of members created, updated, unchanged and
 * removed. */
static int
import_counts(struct store *st, int64_t import_id,
    const struct roll_import_result *res)
{
	sqlite3_stmt *fin = store_prepare(st->roll,
	    "UPDATE imports SET created = ?2, updated = ?3, unchanged = ?4,"
	    " removed = ?5 WHERE id = ?1");
	int rc = -1;

	if (fin != NULL &&
	    sqlite3_bind_int64(fin, 1, import_id) == SQLITE_OK &&
	    sqlite3_bind_int64(fin, 2, (sqlite3_int64)res->created) ==
	        SQLITE_OK &&
	    sqlite3_bind_int64(fin, 3, (sqlite3_int64)res->updated) ==
	        SQLITE_OK &&
	    sqlite3_bind_int64(fin, 4, (sqlite3_int64)res->unchanged) ==
	        SQLITE_OK &&
	    sqlite3_bind_int64(fin, 5, (sqlite3_int64)res->removed) ==
	        SQLITE_OK &&
	    sqlite3_step(fin) == SQLITE_DONE)
		rc = 0;
	sqlite3_finalize(fin);
	return rc;
}

/* The roll.import event. It carries counts and the file's hash, not
 * identities: the log will be published, the roll will not. */
static int
import_event(struct store *st, const struct roll_parse *p,
    const char *sha256_hex, int64_t import_id,
    const struct roll_import_result *res)
{
	json_t *ev = json_pack("{s:I, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I}",
	    "import", (json_int_t)import_id, "sha256", sha256_hex,
	    "encoding", p->encoding == ROLL_UTF8 ? "utf-8" : "windows-1252",
	    "rows_ok", (json_int_t)p->nrows,
	    "rows_rejected", (json_int_t)p->nrejects,
	    "created", (json_int_t)res->created,
	    "updated", (json_int_t)res->updated,
	    "unchanged", (json_int_t)res->unchanged,
	    "removed", (json_int_t)res->removed);
	int rc = ev != NULL && store_event_record(st, "roll.import", ev,
	    NULL) == 0 ? 0 : -1;

	json_decref(ev);
	return rc;
}

int
roll_import_apply(struct store *st, const struct roll_parse *p,
    const char *sha256_hex, int remove_missing,
    struct roll_import_result *res)
{
	struct member_stmts ms = { NULL, NULL, NULL };
	sqlite3_stmt *imp = NULL;
	int64_t now = (int64_t)now_unix(), import_id;
	int rc = -1;

	memset(res, 0, sizeof *res);
	if (p->ferr != RF_NONE)
		return -1;
	if (store_begin(st) != 0)
		return -1;
	imp = store_prepare(st->roll,
	    "INSERT INTO imports(at, sha256, encoding, separator, rows_ok,"
	    " rows_rejected, created, updated, unchanged, removed)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, 0, 0, 0)");
	ms.sel = store_prepare(st->roll,
	    "SELECT id, status, " MEMBER_FIELDS
	    " FROM members WHERE member_no = ?1");
	ms.ins = store_prepare(st->roll,
	    "INSERT INTO members(" MEMBER_FIELDS ", status, version,"
	    " created_at, updated_at, import_id) VALUES (?1, ?2, ?3, ?4, ?5,"
	    " ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'active', 1, ?13, ?13, ?14)");
	ms.upd = store_prepare(st->roll,
	    "UPDATE members SET last_name = ?2, first_name = ?3, email = ?4,"
	    " phone = ?5, category = ?6, dues_paid = ?7, joined = ?8,"
	    " zone = ?9, birth_date = ?10, sex = ?11, city = ?12,"
	    " status = 'active', version = version + 1, updated_at = ?13,"
	    " import_id = ?14 WHERE member_no = ?1");
	if (imp == NULL || ms.sel == NULL || ms.ins == NULL || ms.upd == NULL)
		goto out;
	if (import_row(st, imp, p, sha256_hex, now, &import_id) != 0)
		goto out;
	for (size_t i = 0; i < p->nrows; i++)
		if (member_apply(st, &ms, &p->rows[i], import_id, now,
		        res) != 0)
			goto out;
	if (remove_missing &&
	    members_remove_missing(st, p, import_id, now, res) != 0)
		goto out;
	if ((rc = frozen_rolls_check(st, import_id, res)) != 0) {
		if (rc == ROLL_ERR_FROZEN) {
			char fr[sizeof res->refused_fr], en[sizeof res->refused_en];
			memcpy(fr, res->refused_fr, sizeof fr);
			memcpy(en, res->refused_en, sizeof en);
			store_rollback(st);
			memset(res, 0, sizeof *res);
			memcpy(res->refused_fr, fr, sizeof fr);
			memcpy(res->refused_en, en, sizeof en);
			rc = ROLL_ERR_FROZEN;
			goto done;
		}
		rc = -1;
		goto out;
	}
	rc = -1;
	if (import_counts(st, import_id, res) != 0 ||
	    import_event(st, p, sha256_hex, import_id, res) != 0)
		goto out;
	if (store_commit(st) != 0)
		goto out;
	res->import_id = import_id;
	rc = 0;
out:
	if (rc != 0) {
		store_rollback(st);
		memset(res, 0, sizeof *res);
	}
done:
	sqlite3_finalize(ms.sel);
	sqlite3_finalize(ms.ins);
	sqlite3_finalize(ms.upd);
	sqlite3_finalize(imp);
	return rc;
}

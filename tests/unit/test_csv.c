/*
 * test_csv.c — the member roll parser (server/roll.c): encodings,
 * separators, quoting, headers, per-row reasons with exact line numbers
 * and exact French messages.
 */
#include <string.h>

#include "server/roll.h"
#include "tests/check.h"

static int
parse(struct roll_parse *p, const char *s)
{
	return roll_parse(p, (const uint8_t *)s, strlen(s));
}

static const struct roll_reject *
reject_at(const struct roll_parse *p, unsigned long line)
{
	for (size_t i = 0; i < p->nrejects; i++)
		if (p->rejects[i].line == line)
			return &p->rejects[i];
	return NULL;
}

static void
check_msg(const struct roll_parse *p, unsigned long line, const char *fr)
{
	const struct roll_reject *r = reject_at(p, line);
	char buf[256] = "";

	if (r != NULL)
		roll_reject_format(buf, sizeof buf, r, ROLL_FR);
	CHECK_MSG(r != NULL && strcmp(buf, fr) == 0, "line %lu: got '%s'",
	    line, buf);
}

static void
test_basic_utf8(void)
{
	struct roll_parse p;
	/* BOM, CRLF, French headers with accents and case, blank line. */
	const char *csv = "\xef\xbb\xbfN\xc2\xb0;Nom;Pr\xc3\xa9nom;Courriel;"
	    "Cat\xc3\xa9gorie;Cotisation\r\n"
	    "001;Dupont;Ren\xc3\xa9;rene@example.org;actif;15/09/2024\r\n"
	    "\r\n"
	    "002;\"Le \"\"Grand\"\"; Martin\";Anne;;bienfaiteur;2024-01-31\r\n";

	CHECK(parse(&p, csv) == 0);
	CHECK(p.bom == 1);
	CHECK(p.encoding == ROLL_UTF8);
	CHECK(p.sep == ';');
	CHECK(p.ncols == 6);
	CHECK(p.nrows == 2);
	CHECK(p.nrejects == 0);
	if (p.nrows == 2) {
		CHECK(strcmp(p.rows[0].f[COL_MEMBER_NO], "001") == 0);
		CHECK(strcmp(p.rows[0].f[COL_FIRST_NAME], "Ren\xc3\xa9") == 0);
		CHECK(strcmp(p.rows[0].f[COL_DUES_PAID], "2024-09-15") == 0);
		CHECK(strcmp(p.rows[0].f[COL_CITY], "") == 0);
		CHECK(p.rows[0].line == 2);
		CHECK(strcmp(p.rows[1].f[COL_LAST_NAME],
		    "Le \"Grand\"; Martin") == 0);
		CHECK(strcmp(p.rows[1].f[COL_EMAIL], "") == 0);
		CHECK(p.rows[1].line == 4);
	}
	roll_parse_free(&p);
}

static void
test_cp1252(void)
{
	struct roll_parse p;
	/* Windows-1252: é = E9, € = 80, Œ = 8C; comma separator. */
	const char *csv = "numero,nom,prenom,ville\n"
	    "10,B\xe9rard,\x8c" "dile,Saint-\xc9tienne\n"
	    "11,Dur\xe9,Luc,\x80uro\n"
	    "12,Bad,Byte\x81,X\n"
	    "13,Utf,H\xc3\xa9l\xc3\xa8ne,Y\n";

	CHECK(parse(&p, csv) == 0);
	CHECK(p.encoding == ROLL_CP1252);
	CHECK(p.sep == ',');
	CHECK(p.nrows == 2);
	if (p.nrows == 2) {
		CHECK(strcmp(p.rows[0].f[COL_LAST_NAME], "B\xc3\xa9rard") == 0);
		CHECK(strcmp(p.rows[0].f[COL_FIRST_NAME], "\xc5\x92" "dile") == 0);
		CHECK(strcmp(p.rows[0].f[COL_CITY], "Saint-\xc3\x89tienne") == 0);
		CHECK(strcmp(p.rows[1].f[COL_CITY], "\xe2\x82\xac" "uro") == 0);
	}
	CHECK(p.nrejects == 2);
	check_msg(&p, 4, "octet 0x81 non défini en Windows-1252");
	check_msg(&p, 5, "ligne en UTF-8 dans un fichier Windows-1252"
	    " (encodages mélangés)");
	roll_parse_free(&p);
}

static void
test_mixed_utf8(void)
{
	struct roll_parse p;
	const char *csv = "id;nom;prenom\n"
	    "1;Andr\xc3\xa9;A\n"
	    "2;Jos\xc3\xa9;B\n"
	    "3;Cl\xe9ment;C\n"   /* a Windows-1252 line in a UTF-8 file */
	    "4;Overlong\xc0\xaf;D\n";

	CHECK(parse(&p, csv) == 0);
	CHECK(p.encoding == ROLL_UTF8);
	CHECK(p.nrows == 2);
	CHECK(p.nrejects == 2);
	check_msg(&p, 4, "texte UTF-8 invalide");
	check_msg(&p, 5, "texte UTF-8 invalide");
	roll_parse_free(&p);
}

static void
test_row_reasons(void)
{
	struct roll_parse p;
	char longname[300];
	char csv[2048];

	memset(longname, 'x', 250);
	longname[250] = '\0';
	snprintf(csv, sizeof csv,
	    "numero;nom;prenom;email;date_adhesion\n"
	    "1;Un;A;a@example.org;01/02/2020\n"             /* 2 ok */
	    "2;Deux;B;b@example.org\n"                      /* 3 columns */
	    "3;\"Trois;C;c@example.org;01/02/2020\n"        /* 4 unterminated */
	    "4;Qu\"atre;D;d@example.org;01/02/2020\n"       /* 5 stray */
	    "5;Cinq;E;e@example.org;31/02/2020\n"           /* 6 date */
	    "1;Six;F;f@example.org;01/02/2020\n"            /* 7 duplicate */
	    "7;;G;g@example.org;01/02/2020\n"               /* 8 required */
	    "8;Huit;H;pas-une-adresse;01/02/2020\n"         /* 9 email */
	    "9 9;Neuf;I;i@example.org;01/02/2020\n"         /* 10 number */
	    "10;%s;J;j@example.org;01/02/2020\n"            /* 11 too long */
	    "11;\"On\tze\";K;k@example.org;01/02/2020\n"    /* 12 control */
	    "12;\"Douze\" x;L;l@example.org;01/02/2020\n"   /* 13 stray */
	    ";;;;\n"                                        /* 14 blank */
	    "13;Treize;M;m@example.org;29/02/2024\n"        /* 15 ok */
	    "14;Mar\xe2\x80\xaetin;N;n@example.org;01/02/2020\n" /* 16 RLO */
	    "15;Quinze;O\xe2\x80\x8b;o@example.org;01/02/2020\n" /* 17 ZWSP */
	    "16;Seize;P\xe2\x81\xa6x;p@example.org;01/02/2020\n" /* 18 LRI */
	    "17;Dix\xe2\x80\x94sept;Q;q@example.org;01/02/2020\n", /* 19 ok: dash */
	    longname);
	CHECK(parse(&p, csv) == 0);
	CHECK(p.nrows == 3);
	CHECK(p.nrejects == 14);
	check_msg(&p, 3, "nombre de colonnes incorrect : 4 au lieu de 5");
	check_msg(&p, 4, "guillemet non fermé");
	check_msg(&p, 5, "guillemet mal placé");
	check_msg(&p, 6, "date invalide « 31/02/2020 » (colonne « date"
	    " d'adhésion »)");
	check_msg(&p, 7, "numéro d'adhérent « 1 » en double (déjà ligne 2)");
	check_msg(&p, 8, "champ obligatoire « nom » vide");
	check_msg(&p, 9, "adresse e-mail invalide « pas-une-adresse »");
	check_msg(&p, 10, "numéro d'adhérent invalide « 9 9 »");
	check_msg(&p, 11, "champ « nom » trop long (250 octets, maximum 200)");
	check_msg(&p, 12, "caractère de contrôle dans « nom »");
	check_msg(&p, 13, "guillemet mal placé");
	check_msg(&p, 16, "caractère invisible ou d'inversion du sens d'écriture"
	    " (U+202E) dans « nom » : retirez-le dans le tableur, puis importez"
	    " à nouveau");
	check_msg(&p, 17, "caractère invisible ou d'inversion du sens d'écriture"
	    " (U+200B) dans « prénom » : retirez-le dans le tableur, puis"
	    " importez à nouveau");
	CHECK(reject_at(&p, 18) != NULL &&
	    reject_at(&p, 18)->reason == RR_INVISIBLE_CHAR &&
	    reject_at(&p, 18)->n1 == 0x2066);
	CHECK(reject_at(&p, 14) == NULL && reject_at(&p, 19) == NULL);
	if (p.nrows == 3) {
		CHECK(p.rows[1].line == 15);
		CHECK(strcmp(p.rows[1].f[COL_JOINED], "2024-02-29") == 0);
	}
	/* English messages too. */
	const struct roll_reject *r = reject_at(&p, 3);
	char en[128] = "";
	if (r != NULL)
		roll_reject_format(en, sizeof en, r, ROLL_EN);
	CHECK(strcmp(en, "wrong number of columns: 4 instead of 5") == 0);
	roll_parse_free(&p);
}

static void
test_file_errors(void)
{
	struct roll_parse p;
	char msg[256];

	CHECK(parse(&p, "") == -1 && p.ferr == RF_EMPTY);
	roll_parse_free(&p);
	CHECK(parse(&p, "\n\n  \n") == -1 && p.ferr == RF_EMPTY);
	roll_parse_free(&p);
	CHECK(parse(&p, "numero nom\n1 x\n") == -1 &&
	    p.ferr == RF_NO_SEPARATOR);
	roll_parse_free(&p);
	CHECK(parse(&p, "numero;nom,prenom\n") == -1 &&
	    p.ferr == RF_AMBIGUOUS_SEPARATOR);
	roll_parse_free(&p);
	CHECK(parse(&p, "numero;nom;t\xc3\xa9l\xc3\xa9phone;shoe size\n") ==
	    -1 && p.ferr == RF_UNKNOWN_COLUMN);
	roll_ferr_format(msg, sizeof msg, &p, ROLL_FR);
	CHECK(strcmp(msg, "ligne 1 : colonne inconnue « shoe size »") == 0);
	roll_parse_free(&p);
	CHECK(parse(&p, "numero;prenom\n1;A\n") == -1 &&
	    p.ferr == RF_MISSING_COLUMN);
	roll_ferr_format(msg, sizeof msg, &p, ROLL_FR);
	CHECK(strcmp(msg, "ligne 1 : colonne obligatoire « nom » absente") == 0);
	roll_parse_free(&p);
	CHECK(parse(&p, "id;nom;Nom\n") == -1 &&
	    p.ferr == RF_DUPLICATE_COLUMN);
	roll_parse_free(&p);
	CHECK(roll_parse(&p, (const uint8_t *)"id;nom\n1;a\0b\n", 13) == -1 &&
	    p.ferr == RF_BINARY && p.ferr_line == 2);
	roll_parse_free(&p);
	/* Header only: no rows, no error. */
	CHECK(parse(&p, "id;nom\n") == 0 && p.nrows == 0 && p.nrejects == 0);
	roll_parse_free(&p);
}

static void
test_dates_and_headers(void)
{
	char d[11];

	CHECK(roll_date_parse(d, "1/2/2003") == 0 && strcmp(d, "2003-02-01") == 0);
	CHECK(roll_date_parse(d, "01.12.1999") == 0 &&
	    strcmp(d, "1999-12-01") == 0);
	CHECK(roll_date_parse(d, "2000-02-29") == 0);
	CHECK(roll_date_parse(d, "1900-02-29") != 0);
	CHECK(roll_date_parse(d, "2023-02-29") != 0);
	CHECK(roll_date_parse(d, "31/04/2024") != 0);
	CHECK(roll_date_parse(d, "2024-13-01") != 0);
	CHECK(roll_date_parse(d, "1/2/03") != 0);
	CHECK(roll_date_parse(d, "01/02-2003") != 0);
	CHECK(roll_date_parse(d, "") != 0);
	CHECK(roll_header_lookup("Prénom") == COL_FIRST_NAME);
	CHECK(roll_header_lookup("  E-mail ") == COL_EMAIL);
	CHECK(roll_header_lookup("Date d'adhésion") == COL_JOINED);
	CHECK(roll_header_lookup("DATE DE NAISSANCE") == COL_BIRTH_DATE);
	CHECK(roll_header_lookup("N°") == COL_MEMBER_NO);
	CHECK(roll_header_lookup("Groupe") == COL_ZONE);
	CHECK(roll_header_lookup("Téléphone") == COL_PHONE);
	CHECK(roll_header_lookup("prenomx") == -1);
}

static void
test_cr_only_and_long_line(void)
{
	struct roll_parse p;
	char *big = xmalloc(ROLL_MAX_LINE + 64);
	int n = snprintf(big, ROLL_MAX_LINE + 64, "id;nom\n1;");

	CHECK(parse(&p, "id;nom\r1;Un\r2;Deux\r") == 0 && p.nrows == 2);
	if (p.nrows == 2)
		CHECK(p.rows[1].line == 3);
	roll_parse_free(&p);
	memset(big + n, 'a', ROLL_MAX_LINE);
	big[n + (int)ROLL_MAX_LINE] = '\0';
	CHECK(parse(&p, big) == 0 && p.nrows == 0 && p.nrejects == 1);
	if (p.nrejects == 1)
		CHECK(p.rejects[0].reason == RR_LINE_TOO_LONG &&
		    p.rejects[0].n1 == ROLL_MAX_LINE + 2);
	roll_parse_free(&p);
	free(big);
}

int
main(void)
{
	test_basic_utf8();
	test_cp1252();
	test_mixed_utf8();
	test_row_reasons();
	test_file_errors();
	test_dates_and_headers();
	test_cr_only_and_long_line();
	return check_done("test_csv");
}

/*
 * cli_cred.c — the voting credentials' commands: `scrutin cred issue`,
 * `offline`, `import-public`, `revoke`, `reissue` and `list`, and `scrutin
 * qr`, the QR code of any text.
 *
 * A credential is a link secret and a code (cred.c, docs/protocol.md §9);
 * the store keeps only the public key. Issuing makes the secrets in
 * memory, stores the keys in one transaction and writes, for each member,
 * the printable sheet and QR codes (the link, never the code) and one
 * list of codes for a second channel (mode 0600); the transaction commits
 * only once every file is written. offline does the same from the roll's
 * CSV on another machine, without a database, and writes the public keys
 * for import-public.
 *
 * Trusts the parsed options (cli.c) and checks the meeting id and host
 * itself. Invariant: every secret (struct cred_secret, the URLs and the
 * pages that hold a link) is wiped with sodium_memzero once written.
 */
#include "server/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "server/confine.h"
#include "server/cred.h"
#include "server/qr.h"
#include "server/sheet.h"
#include "server/store.h"

#include "server/webfp.h"

/* One member's issue in memory: identity, secrets, key. */
struct issue {
	char *member_no, *first_name, *last_name, *email, *phone;
	struct cred_secret sec;
};

static void
issue_free(struct issue *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].member_no);
		free(v[i].first_name);
		free(v[i].last_name);
		free(v[i].email);
		free(v[i].phone);
		sodium_memzero(&v[i].sec, sizeof v[i].sec);
	}
	free(v);
}

static char *
col_dup(sqlite3_stmt *s, int i)
{
	const unsigned char *v = sqlite3_column_text(s, i);

	return xstrdup(v ? (const char *)v : "");
}

/* v's identity from a row (member_no, first_name, last_name, email,
 * phone); the secrets left zero. */
static void
issue_row_read(struct issue *v, sqlite3_stmt *s)
{
	memset(v, 0, sizeof *v);
	v->member_no = col_dup(s, 0);
	v->first_name = col_dup(s, 1);
	v->last_name = col_dup(s, 2);
	v->email = col_dup(s, 3);
	v->phone = col_dup(s, 4);
}

/* Member numbers may hold '/': file names use '_' instead. */
static void
member_file(char *out, size_t cap, const char *dir, const char *member_no,
    const char *ext)
{
	char safe[64];
	size_t i;

	for (i = 0; member_no[i] != '\0' && i + 1 < sizeof safe; i++)
		safe[i] = member_no[i] == '/' ? '_' : member_no[i];
	safe[i] = '\0';
	snprintf(out, cap, "%s/m-%s%s", dir, safe, ext);
}

/* CSV field for the codes file: quoted, quotes doubled, and a leading
 * = + - @ neutralised (spreadsheet formula injection). */
static void
csv_put(FILE *f, const char *v, int last)
{
	fputc('"', f);
	if (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@')
		fputc('\'', f);
	for (; *v; v++) {
		if (*v == '"')
			fputc('"', f);
		fputc(*v, f);
	}
	fputc('"', f);
	fputc(last ? '\n' : ';', f);
}

/* One member's sheet (sheets/m-NO.html, QR inline) and QR codes
 * (qr/m-NO.png and .svg, for e-mail). Returns 0 or -1. */
static int
issue_sheet_write(const struct cli_args *a, const char *sheets,
    const char *qrdir, const char *pub, const char *web,
    const struct issue *v)
{
	char path[4096], url[CRED_URL_MAX];
	uint8_t *png = NULL;
	size_t pnglen = 0;
	char *svg = NULL, *html = NULL;
	int ok = 0;

	if (cred_url(url, sizeof url, a->host, a->meeting,
	    v->sec.fragment) != 0)
		goto out;
	svg = qr_svg(url);
	ok = svg != NULL && qr_png(url, 8, &png, &pnglen) == 0;
	if (ok) {
		struct sheet_info si = {
			.association = a->association, .meeting = a->meeting,
			.member_no = v->member_no,
			.first_name = v->first_name,
			.last_name = v->last_name, .public_url = pub,
			.qr_svg = svg, .web = web,
		};
		html = sheet_html(&si);
		member_file(path, sizeof path, sheets, v->member_no, ".html");
		ok = html != NULL && file_write_atomic(path, html,
		    strlen(html), 0600) == 0;
		member_file(path, sizeof path, qrdir, v->member_no, ".png");
		ok = ok && file_write_atomic(path, png, pnglen, 0600) == 0;
		member_file(path, sizeof path, qrdir, v->member_no, ".svg");
		ok = ok && file_write_atomic(path, svg, strlen(svg), 0600) == 0;
	}
out:
	if (svg)
		sodium_memzero(svg, strlen(svg));
	if (html)
		sodium_memzero(html, strlen(html));
	free(svg);
	free(html);
	free(png);
	sodium_memzero(url, sizeof url);
	return ok ? 0 : -1;
}

/* The web apps' fingerprint of --assets and --vendor (webfp.h), for the
 * sheets' footer; "" (and a warning) when they cannot be read: the
 * sheets are written without it. */
static void
issue_web_fingerprint(const struct cli_args *a, char hex[65])
{
	struct assets as;
	struct webfp fp;

	hex[0] = '\0';
	if (webfp_assets_load(&as, a->assets, a->vendor) != 0) {
		fprintf(stderr, "scrutin : fiches sans l'empreinte des"
		    " applications web (%s illisible ; --assets DIR)\n",
		    a->assets);
		return;
	}
	webfp_compute(&as, &fp);
	memcpy(hex, fp.hex, 65);
	webfp_free(&fp);
	assets_free(&as);
}

/*
 * Writes, for each issue: OUT/sheets/m-NO.html, OUT/qr/m-NO.png and .svg
 * (issue_sheet_write), and the codes list for the second channel
 * (codes_path, mode 0600). Returns 0 or -1.
 */
static int
issue_files_write(const struct cli_args *a, const char *codes_path,
    const struct issue *v, size_t n)
{
	char sheets[4096], qrdir[4096], pub[CRED_URL_MAX], web[65];
	FILE *codes = NULL;
	int rc = -1, fd;

	if ((mkdir(a->out, 0700) != 0 && errno != EEXIST) ||
	    path_join(sheets, sizeof sheets, a->out, "sheets") != 0 ||
	    path_join(qrdir, sizeof qrdir, a->out, "qr") != 0 ||
	    (mkdir(sheets, 0700) != 0 && errno != EEXIST) ||
	    (mkdir(qrdir, 0700) != 0 && errno != EEXIST))
		return -1;
	if (cred_url(pub, sizeof pub, a->host, NULL, NULL) != 0)
		return -1;
	issue_web_fingerprint(a, web);
	fd = open(codes_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
	    O_NOFOLLOW, 0600);
	if (fd < 0 || (codes = fdopen(fd, "w")) == NULL) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	fputs("numero;nom;prenom;email;telephone;code\n", codes);
	for (size_t i = 0; i < n; i++) {
		if (issue_sheet_write(a, sheets, qrdir, pub, web[0] ? web :
		    NULL, &v[i]) != 0)
			goto out;
		csv_put(codes, v[i].member_no, 0);
		csv_put(codes, v[i].last_name, 0);
		csv_put(codes, v[i].first_name, 0);
		csv_put(codes, v[i].email, 0);
		csv_put(codes, v[i].phone, 0);
		csv_put(codes, v[i].sec.code, 1);
	}
	if (fflush(codes) != 0 || fsync(fileno(codes)) != 0)
		goto out;
	rc = 0;
out:
	if (codes != NULL)
		fclose(codes);
	return rc;
}

static int
issue_secrets_make(struct issue *v, size_t n, const char *meeting)
{
	for (size_t i = 0; i < n; i++)
		if (cred_make(&v[i].sec, meeting) != 0)
			return -1;
	return 0;
}

/* --codes, or OUT/codes.csv. */
static int
issue_codes_path(char *out, size_t cap, const struct cli_args *a)
{
	if (a->codes != NULL) {
		int n = snprintf(out, cap, "%s", a->codes);
		return (n < 0 || (size_t)n >= cap) ? -1 : 0;
	}
	return path_join(out, cap, a->out, "codes.csv");
}

/* The meeting id and host, when given, are well formed; says which is
 * not on stderr. */
/* Credentials come from the roll the convocation froze: before it, say
 * what to do. 0 when the meeting is convened. */
static int
cred_convened_check(struct store *st, const char *meeting)
{
	int c = cred_meeting_convened(st, meeting);

	if (c == 1)
		return 0;
	if (c == 0)
		fprintf(stderr, "la réunion « %s » n'est pas convoquée : les"
		    " identifiants se délivrent sur la liste des membres que la"
		    " convocation fige. Créez la réunion, corrigez la liste si"
		    " besoin, puis lancez « scrutin meeting convene %s » avant"
		    " de délivrer les identifiants\n", meeting, meeting);
	return -1;
}

static int
cred_args_check(const struct cli_args *a)
{
	if (a->meeting != NULL && !cred_meeting_valid(a->meeting)) {
		fprintf(stderr, "identifiant de réunion invalide (a-z, 0-9,"
		    " . _ -)\n");
		return -1;
	}
	if (a->host != NULL && !cred_host_valid(a->host)) {
		fprintf(stderr, "nom d'hôte invalide\n");
		return -1;
	}
	return 0;
}

/* The sheets and the codes are the members' secrets, for the operator to
 * hand out: never under the data directory, which only the privileged
 * user reads (and whose files serve hands to it). 0, or -1 said. */
static int
cred_out_check(const struct cli_args *a)
{
	const char *p[2] = { a->out, a->codes };

	for (int i = 0; i < 2; i++) {
		int r = p[i] == NULL ? 0 : confine_path_under(p[i], a->datadir);
		if (r == 0)
			continue;
		fprintf(stderr, "%s est dans le répertoire de données %s : "
		    "choisissez un répertoire hors de celui-ci pour les fiches"
		    " et les codes (--out, --codes) ; %s is under the data"
		    " directory: write them elsewhere\n", p[i], a->datadir,
		    p[i]);
		return -1;
	}
	return 0;
}

/* issue and reissue: secrets made first, then one transaction that stores
 * the keys, then the files; the transaction commits only when every file
 * is written, and written files are removed when it does not. */
static int
issue_for(struct store *st, const struct cli_args *a, struct issue *v,
    size_t n, int revoke_first)
{
	char codes[4096];

	if (issue_codes_path(codes, sizeof codes, a) != 0)
		return -1;
	if (issue_secrets_make(v, n, a->meeting) != 0)
		return -1;
	if (store_begin(st) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		uint8_t old[32];
		if (revoke_first && cred_revoke_ex(st, v[i].member_no,
		        a->meeting, a->reason, old) != 0) {
			fprintf(stderr, "%s : aucun identifiant actif à révoquer\n",
			    v[i].member_no);
			goto fail;
		}
		int r = cred_add_ex(st, v[i].member_no, a->meeting,
		    v[i].sec.pk, "server", revoke_first ? old : NULL);
		if (r == CRED_ERR_NOT_ON_ROLL) {
			fprintf(stderr, "%s : absent de la liste figée à la"
			    " convocation de %s : pas d'identifiant pour cette"
			    " réunion\n", v[i].member_no, a->meeting);
			goto fail;
		}
		if (r != 0) {
			fprintf(stderr, "%s : identifiant non enregistré\n",
			    v[i].member_no);
			goto fail;
		}
	}
	if (issue_files_write(a, codes, v, n) != 0) {
		fprintf(stderr, "écriture des fiches impossible dans %s\n",
		    a->out);
		(void)unlink(codes);
		goto fail;
	}
	/* The record as issued, signed (docs/record.md §3). */
	if (store_record_checkpoint(st, a->meeting) != 0 ||
	    store_commit(st) != 0) {
		store_rollback(st);
		(void)unlink(codes);
		return -1;
	}
	return 0;
fail:
	store_rollback(st);
	return -1;
}

/* Whether --member names no, or no --member was given. */
static int
cred_member_wanted(const struct cli_args *a, const char *no)
{
	int wanted = a->nmembers == 0;

	for (size_t k = 0; k < a->nmembers && !wanted; k++)
		wanted = strcmp(a->members[k], no) == 0;
	return wanted;
}

int
cli_cred_issue(struct cli_args *a)
{
	struct store *st = NULL;
	sqlite3_stmt *s = NULL;
	struct issue *v = NULL;
	size_t n = 0, cap = 0;
	int rc = 1;

	if (cred_args_check(a) != 0 || a->meeting == NULL || a->host == NULL ||
	    a->out == NULL)
		return CLI_USAGE;
	if (cred_out_check(a) != 0)
		return 1;
	if (store_open(&st, a->datadir) != 0 ||
	    cred_convened_check(st, a->meeting) != 0)
		goto out;
	/* Active members of the meeting's frozen roll with no active
	 * credential for it (or the ones named with --member). */
	s = store_prepare(st->roll,
	    "SELECT member_no, first_name, last_name, email, phone FROM members m"
	    " WHERE status = 'active' AND EXISTS (SELECT 1 FROM meeting_roll r"
	    " WHERE r.meeting = ?1 AND r.member_id = m.id) AND NOT EXISTS"
	    " (SELECT 1 FROM credentials c WHERE c.member_id = m.id AND"
	    " c.meeting = ?1 AND c.status = 'active') ORDER BY member_no");
	if (s == NULL || store_bind_text(s, 1, a->meeting) != 0)
		goto out;
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (!cred_member_wanted(a,
		    (const char *)sqlite3_column_text(s, 0)))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			v = xreallocarray(v, cap, sizeof *v);
		}
		issue_row_read(&v[n++], s);
	}
	sqlite3_finalize(s);
	s = NULL;
	if (a->nmembers > 0 && n != a->nmembers) {
		fprintf(stderr, "adhérent inconnu, inactif, absent de la liste"
		    " figée à la convocation ou déjà doté d'un identifiant"
		    " actif pour %s\n", a->meeting);
		goto out;
	}
	if (n > 0 && issue_for(st, a, v, n, 0) != 0)
		goto out;
	printf("%zu identifiants émis pour %s ; fiches dans %s/sheets,"
	    " codes à envoyer par un autre canal dans %s%s\n", n, a->meeting,
	    a->out, a->codes ? a->codes : a->out,
	    a->codes ? "" : "/codes.csv");
	rc = 0;
out:
	sqlite3_finalize(s);
	issue_free(v, n);
	store_close(st);
	return rc;
}

int
cli_cred_reissue(struct cli_args *a)
{
	struct store *st = NULL;
	sqlite3_stmt *s = NULL;
	struct issue *v = NULL;
	int rc = 1;

	if (cred_args_check(a) != 0 || a->meeting == NULL || a->host == NULL ||
	    a->out == NULL || a->nmembers != 1 || a->reason == NULL)
		return CLI_USAGE;
	if (cred_out_check(a) != 0)
		return 1;
	if (store_open(&st, a->datadir) != 0 ||
	    cred_convened_check(st, a->meeting) != 0)
		goto out;
	s = store_prepare(st->roll,
	    "SELECT member_no, first_name, last_name, email, phone FROM members"
	    " WHERE member_no = ?1 AND status = 'active'");
	if (s == NULL || store_bind_text(s, 1, a->members[0]) != 0)
		goto out;
	if (sqlite3_step(s) != SQLITE_ROW) {
		fprintf(stderr, "adhérent « %s » inconnu ou inactif\n",
		    a->members[0]);
		goto out;
	}
	v = xcalloc(1, sizeof *v);
	issue_row_read(v, s);
	sqlite3_finalize(s);
	s = NULL;
	if (issue_for(st, a, v, 1, 1) != 0)
		goto out;
	printf("identifiant de %s révoqué et remplacé\n", v->member_no);
	rc = 0;
out:
	sqlite3_finalize(s);
	issue_free(v, v ? 1 : 0);
	store_close(st);
	return rc;
}

int
cli_cred_revoke(struct cli_args *a)
{
	struct store *st = NULL;
	int rc = 1;

	if (cred_args_check(a) != 0 || a->meeting == NULL ||
	    a->nmembers != 1 || a->reason == NULL)
		return CLI_USAGE;
	if (store_open(&st, a->datadir) != 0 || store_begin(st) != 0)
		goto out;
	if (cred_revoke(st, a->members[0], a->meeting, a->reason) != 0 ||
	    store_record_checkpoint(st, a->meeting) != 0 ||
	    store_commit(st) != 0) {
		store_rollback(st);
		fprintf(stderr, "%s : aucun identifiant actif pour %s (ou motif"
		    " invalide)\n", a->members[0], a->meeting);
		goto out;
	}
	printf("identifiant de %s révoqué\n", a->members[0]);
	rc = 0;
out:
	store_close(st);
	return rc;
}

/* One row of `cred list`: member, key, origin, status and dates. */
static json_t *
cred_row_json(sqlite3_stmt *s)
{
	char pk[65];
	const void *b = sqlite3_column_blob(s, 1);
	json_t *e;

	if (b == NULL || sqlite3_column_bytes(s, 1) != 32)
		return NULL;
	xhex_encode(pk, sizeof pk, b, 32);
	e = json_pack("{s:s, s:s, s:s, s:s, s:I}", "member",
	    (const char *)sqlite3_column_text(s, 0), "pk", pk, "origin",
	    (const char *)sqlite3_column_text(s, 2), "status",
	    (const char *)sqlite3_column_text(s, 3), "issued_at",
	    (json_int_t)sqlite3_column_int64(s, 4));
	for (int k = 5; k <= 6; k++)
		json_object_set_new(e, k == 5 ? "activated_at" : "revoked_at",
		    sqlite3_column_type(s, k) == SQLITE_NULL ? json_null()
		    : json_integer(sqlite3_column_int64(s, k)));
	json_object_set_new(e, "revoke_reason",
	    sqlite3_column_type(s, 7) == SQLITE_NULL ? json_null()
	    : json_string((const char *)sqlite3_column_text(s, 7)));
	return e;
}

int
cli_cred_list(struct cli_args *a)
{
	json_t *arr;

	if (cred_args_check(a) != 0 || a->meeting == NULL)
		return CLI_USAGE;
	if (cli_rows_json(a->datadir,
	        "SELECT m.member_no, c.pk, c.origin, c.status, c.issued_at,"
	        " c.activated_at, c.revoked_at, c.revoke_reason FROM"
	        " credentials c JOIN members m ON m.id = c.member_id"
	        " WHERE c.meeting = ?1 ORDER BY m.member_no, c.id", a->meeting,
	        cred_row_json, &arr) != 0)
		return 1;
	cli_json_print(arr);
	return 0;
}

/* The roll's CSV, refused whole when any line is rejected. */
static int
cred_offline_roll_read(const char *path, struct roll_parse *p)
{
	uint8_t *data = NULL;
	size_t len = 0;
	char msg[256];
	int rc = -1;

	if (file_read_capped(path, ROLL_MAX_FILE, &data, &len) != 0) {
		fprintf(stderr, "%s : lecture impossible\n", path);
		return -1;
	}
	if (roll_parse(p, data, len) != 0) {
		roll_ferr_format(msg, sizeof msg, p, ROLL_FR);
		fprintf(stderr, "%s\n", msg);
		goto out;
	}
	if (p->nrejects > 0) {
		for (size_t i = 0; i < p->nrejects; i++) {
			roll_reject_format(msg, sizeof msg, &p->rejects[i],
			    ROLL_FR);
			fprintf(stderr, "ligne %lu : %s\n", p->rejects[i].line,
			    msg);
		}
		fprintf(stderr, "liste refusée : corrigez les lignes rejetées\n");
		goto out;
	}
	rc = 0;
out:
	free(data);
	return rc;
}

/* OUT/public.json: the public keys, for import-public. */
static int
cred_offline_public_write(const struct cli_args *a, const struct issue *v,
    size_t n, char *path, size_t cap)
{
	json_t *list = json_array(), *pub;
	char *text;
	int rc = -1;

	pub = json_pack("{s:s, s:s, s:o}", "format",
	    "scrutin-public-credentials/1", "meeting", a->meeting,
	    "credentials", list);
	for (size_t i = 0; i < n; i++) {
		char pk[65];
		xhex_encode(pk, sizeof pk, v[i].sec.pk, 32);
		json_array_append_new(list, json_pack("{s:s, s:s}", "member",
		    v[i].member_no, "pk", pk));
	}
	text = json_dumps(pub, JSON_INDENT(1) | JSON_ENSURE_ASCII);
	if (text != NULL && path_join(path, cap, a->out, "public.json") == 0 &&
	    file_write_atomic(path, text, strlen(text), 0644) == 0)
		rc = 0;
	free(text);
	json_decref(pub);
	return rc;
}

/* Offline: on another machine, from the roll CSV; no database. */
int
cli_cred_offline(struct cli_args *a)
{
	struct roll_parse p;
	struct issue *v = NULL;
	size_t n = 0;
	char codes[4096], path[4096];
	int rc = 1;

	memset(&p, 0, sizeof p);
	if (cred_args_check(a) != 0 || a->meeting == NULL || a->host == NULL ||
	    a->out == NULL || a->roll == NULL)
		return CLI_USAGE;
	if (cred_offline_roll_read(a->roll, &p) != 0)
		goto out;
	n = p.nrows;
	v = xcalloc(n ? n : 1, sizeof *v);
	for (size_t i = 0; i < n; i++) {
		v[i].member_no = xstrdup(p.rows[i].f[COL_MEMBER_NO]);
		v[i].first_name = xstrdup(p.rows[i].f[COL_FIRST_NAME]);
		v[i].last_name = xstrdup(p.rows[i].f[COL_LAST_NAME]);
		v[i].email = xstrdup(p.rows[i].f[COL_EMAIL]);
		v[i].phone = xstrdup(p.rows[i].f[COL_PHONE]);
	}
	if (issue_codes_path(codes, sizeof codes, a) != 0 ||
	    issue_secrets_make(v, n, a->meeting) != 0 ||
	    issue_files_write(a, codes, v, n) != 0) {
		fprintf(stderr, "génération impossible dans %s\n", a->out);
		goto out;
	}
	if (cred_offline_public_write(a, v, n, path, sizeof path) != 0)
		goto out;
	printf("%zu identifiants générés hors ligne ; à importer sur le"
	    " serveur : %s (clés publiques seulement)\n", n, path);
	rc = 0;
out:
	issue_free(v, n);
	roll_parse_free(&p);
	return rc;
}

int
cli_cred_import_public(struct cli_args *a)
{
	const char *file = a->argv[0];
	struct store *st = NULL;
	uint8_t *data = NULL;
	size_t len = 0, count = 0;
	char err[256];
	int rc = 1;

	if (file_read_capped(file, CRED_PUBLIC_MAX, &data, &len) != 0) {
		fprintf(stderr, "%s : lecture impossible ou fichier trop gros\n",
		    file);
		goto out;
	}
	if (store_open(&st, a->datadir) != 0)
		goto out;
	if (cred_import_public(st, data, len, &count, err, sizeof err) != 0) {
		fprintf(stderr, "import refusé, rien n'a été enregistré : %s\n",
		    err);
		goto out;
	}
	printf("%zu clés publiques importées\n", count);
	rc = 0;
out:
	free(data);
	store_close(st);
	return rc;
}

int
cli_qr(struct cli_args *a)
{
	const char *text = a->argv[0];
	uint8_t *png = NULL;
	size_t n = 0;
	char *svg = NULL;
	int rc = 1;

	if (a->png == NULL && a->svg == NULL)
		return CLI_USAGE;
	if (a->png != NULL && (qr_png(text, 8, &png, &n) != 0 ||
	    file_write_atomic(a->png, png, n, 0644) != 0))
		goto out;
	if (a->svg != NULL && ((svg = qr_svg(text)) == NULL ||
	    file_write_atomic(a->svg, svg, strlen(svg), 0644) != 0))
		goto out;
	rc = 0;
out:
	free(png);
	free(svg);
	return rc;
}

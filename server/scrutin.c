/*
 * scrutin.c — the `scrutin` program: one binary, several commands.
 *
 * `scrutin serve` is the parent of the two server processes: it prepares
 * the data directory (schema, TLS certificate), makes a SOCK_SEQPACKET
 * socketpair and forks. The child becomes the network process (web.c): it
 * closes every descriptor but its end of the socketpair and standard
 * error before it loads anything, so it never holds a database or the
 * signing key. The parent becomes the privileged process (priv.c) and
 * only then opens the databases and the key.
 *
 * The other commands are the operator's: they run as the operator, open
 * the store directly, and record every change with store_event_record.
 * Commands are found in the table `commands` below; add a line (and a
 * function) to add one.
 */
#include "server/scrutin.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "crypto/group.h"

#include "server/cred.h"
#include "server/meeting.h"
#include "server/priv.h"
#include "server/qr.h"
#include "server/roll.h"
#include "server/sheet.h"
#include "server/store.h"
#include "server/tls.h"
#include "server/web.h"

static const char *
default_datadir(void)
{
	const char *d = getenv("SCRUTIN_DATA");

	return (d != NULL && d[0] != '\0') ? d : "scrutin-data";
}

static int
parse_uint_opt(const char *s, unsigned lo, unsigned hi, unsigned *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = (unsigned)v;
	return 0;
}

static void
print_json(json_t *doc)
{
	char *t = json_dumps(doc, JSON_INDENT(2) | JSON_ENSURE_ASCII);

	if (t != NULL) {
		puts(t);
		free(t);
	}
	json_decref(doc);
}

/* ---- serve ---- */

static int
cmd_serve(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "listen", required_argument, NULL, 'l' },
		{ "host", required_argument, NULL, 'H' },
		{ "cert", required_argument, NULL, 'c' },
		{ "key", required_argument, NULL, 'k' },
		{ "assets", required_argument, NULL, 'a' },
		{ "threads", required_argument, NULL, 't' },
		{ "max-streams", required_argument, NULL, 'S' },
		{ "rate", required_argument, NULL, 'r' },
		{ "burst", required_argument, NULL, 'b' },
		{ "timeout-ms", required_argument, NULL, 'T' },
		{ "vendor", required_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *datadir = default_datadir(), *host = "localhost";
	const char *cert = NULL, *key = NULL;
	char certbuf[4096], keybuf[4096];
	struct web_config cfg = {
		.listen = "127.0.0.1:8443", .assets = "kiosk", .threads = 256,
		.max_streams = 4096,
		.rate = 20, .burst = 60, .request_timeout_ms = 10000,
	};
	struct store *st = NULL;
	int sv[2], o;
	pid_t child, parent = getpid();

	while ((o = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (o) {
		case 'd': datadir = optarg; break;
		case 'l': cfg.listen = optarg; break;
		case 'H': host = optarg; break;
		case 'c': cert = optarg; break;
		case 'k': key = optarg; break;
		case 'a': cfg.assets = optarg; break;
		case 'V': cfg.vendor = optarg; break;
		case 't':
			if (parse_uint_opt(optarg, 2, 8192, &cfg.threads))
				goto usage;
			break;
		case 'S':
			if (parse_uint_opt(optarg, 1, 65536, &cfg.max_streams))
				goto usage;
			break;
		case 'r':
			if (parse_uint_opt(optarg, 1, 100000, &cfg.rate))
				goto usage;
			break;
		case 'b':
			if (parse_uint_opt(optarg, 1, 100000, &cfg.burst))
				goto usage;
			break;
		case 'T':
			if (parse_uint_opt(optarg, 1000, 600000,
			        &cfg.request_timeout_ms))
				goto usage;
			break;
		default:
			goto usage;
		}
	}
	if (optind != argc || (cert == NULL) != (key == NULL) ||
	    !cred_host_valid(host))
		goto usage;
	log_set_role("scrutin");
	/* Schema first, in this process, then closed before the fork. */
	if (store_open(&st, datadir) != 0)
		return 1;
	store_close(st);
	if (cert == NULL) {
		if (tls_cert_ensure(datadir, host) != 0 ||
		    path_join(certbuf, sizeof certbuf, datadir,
		        TLS_CERT_FILE) != 0 ||
		    path_join(keybuf, sizeof keybuf, datadir, TLS_KEY_FILE) != 0)
			return 1;
		cert = certbuf;
		key = keybuf;
	}
	cfg.cert = cert;
	cfg.key = key;
	cfg.priv_pid = parent;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
		log_warn("socketpair: %s", strerror(errno));
		return 1;
	}
	fflush(NULL);
	if ((child = fork()) < 0) {
		log_warn("fork: %s", strerror(errno));
		return 1;
	}
	if (child == 0) {
		/* Network process: die with the parent; keep only stdio and
		 * our end of the socketpair (as fd 3). */
		(void)prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0);
		if (getppid() != parent)
			_exit(1);
		close(sv[0]);
		if (sv[1] != 3) {
			if (dup2(sv[1], 3) < 0)
				_exit(1);
			close(sv[1]);
		}
		if (syscall(SYS_close_range, 4u, ~0u, 0u) != 0)
			for (int fd = 4; fd < 4096; fd++)
				(void)close(fd);
		_exit(web_run(3, &cfg));
	}
	close(sv[1]);
	log_set_role("scrutin-priv");
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	int rc = priv_run(sv[0], datadir, child);
	return rc < 0 ? 1 : rc;
usage:
	fprintf(stderr, "usage : scrutin serve [--data DIR] [--listen ADDR:PORT]"
	    " [--host NOM] [--cert FICHIER --key FICHIER] [--assets DIR]"
	    " [--threads N] [--max-streams N] [--rate N] [--burst N]"
	    " [--timeout-ms N]\n");
	return 2;
}

/* ---- init ---- */

static int
cmd_init(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "host", required_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 },
	};
	const char *datadir = default_datadir(), *host = "localhost";
	struct store *st = NULL;
	uint8_t *sk = NULL, pk[32];
	char hex[65];
	int o;

	while ((o = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (o == 'd')
			datadir = optarg;
		else if (o == 'H')
			host = optarg;
		else
			goto usage;
	}
	if (optind != argc || !cred_host_valid(host))
		goto usage;
	if (store_open(&st, datadir) != 0)
		return 1;
	store_close(st);
	if (tls_cert_ensure(datadir, host) != 0 ||
	    priv_key_load(datadir, &sk, pk) != 0)
		return 1;
	sodium_free(sk);
	xhex_encode(hex, sizeof hex, pk, 32);
	printf("données : %s\nclé publique du serveur : %s\n", datadir, hex);
	return 0;
usage:
	fprintf(stderr, "usage : scrutin init [--data DIR] [--host NOM]\n");
	return 2;
}

/* ---- roll ---- */

static int
sha256_file_hex(char out[65], const uint8_t *data, size_t len)
{
	uint8_t h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, data, len);
	xhex_encode(out, 65, h, sizeof h);
	return 0;
}

static int
cmd_roll_import(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "remove-missing", no_argument, NULL, 'R' },
		{ "json", no_argument, NULL, 'j' },
		{ "lang", required_argument, NULL, 'L' },
		{ NULL, 0, NULL, 0 },
	};
	const char *datadir = default_datadir();
	int dry = 0, remove_missing = 0, json = 0, o, rc = 1, r;
	enum roll_lang lang = ROLL_FR;
	uint8_t *data = NULL;
	size_t len = 0;
	struct roll_parse p;
	struct roll_import_result res = { 0 };
	struct store *st = NULL;
	char sha[65], msg[256];

	memset(&p, 0, sizeof p);
	while ((o = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (o) {
		case 'd': datadir = optarg; break;
		case 'n': dry = 1; break;
		case 'R': remove_missing = 1; break;
		case 'j': json = 1; break;
		case 'L':
			if (strcmp(optarg, "fr") == 0)
				lang = ROLL_FR;
			else if (strcmp(optarg, "en") == 0)
				lang = ROLL_EN;
			else
				goto usage;
			break;
		default: goto usage;
		}
	}
	if (optind + 1 != argc)
		goto usage;
	r = file_read_capped(argv[optind], ROLL_MAX_FILE, &data, &len);
	if (r != 0) {
		p.ferr = r == -2 ? RF_TOO_BIG : RF_NONE;
		if (r == -2) {
			roll_ferr_format(msg, sizeof msg, &p, lang);
		} else {
			snprintf(msg, sizeof msg, lang == ROLL_FR
			    ? "%s : lecture impossible" : "%s: cannot read",
			    argv[optind]);
		}
		if (json) {
			char fr[256], en[256];
			roll_ferr_format(fr, sizeof fr, &p, ROLL_FR);
			roll_ferr_format(en, sizeof en, &p, ROLL_EN);
			print_json(json_pack("{s:b, s:{s:s, s:s, s:s}}", "ok", 0,
			    "error", "code", r == -2 ? "too_big" : "unreadable",
			    "fr", r == -2 ? fr : "lecture impossible",
			    "en", r == -2 ? en : "cannot read"));
		} else {
			fprintf(stderr, "%s\n", msg);
		}
		goto out;
	}
	sha256_file_hex(sha, data, len);
	if (roll_parse(&p, data, len) != 0) {
		if (json) {
			char fr[256], en[256];
			roll_ferr_format(fr, sizeof fr, &p, ROLL_FR);
			roll_ferr_format(en, sizeof en, &p, ROLL_EN);
			print_json(json_pack("{s:b, s:{s:s, s:I, s:s, s:s}}",
			    "ok", 0, "error", "code", roll_ferr_code(p.ferr),
			    "line", (json_int_t)p.ferr_line, "fr", fr, "en", en));
		} else {
			roll_ferr_format(msg, sizeof msg, &p, lang);
			fprintf(stderr, "%s\n", msg);
		}
		goto out;
	}
	if (!dry) {
		if (store_open(&st, datadir) != 0 ||
		    roll_import_apply(st, &p, sha, remove_missing, &res) != 0) {
			fprintf(stderr, lang == ROLL_FR
			    ? "import annulé : erreur d'écriture, rien n'a été"
			      " modifié\n"
			    : "import cancelled: storage error, nothing was"
			      " changed\n");
			goto out;
		}
	}
	if (json) {
		json_t *rej = json_array();
		for (size_t i = 0; i < p.nrejects; i++) {
			char fr[256], en[256];
			roll_reject_format(fr, sizeof fr, &p.rejects[i], ROLL_FR);
			roll_reject_format(en, sizeof en, &p.rejects[i], ROLL_EN);
			json_array_append_new(rej, json_pack(
			    "{s:I, s:s, s:s, s:s}", "line",
			    (json_int_t)p.rejects[i].line, "code",
			    roll_reason_code(p.rejects[i].reason), "fr", fr,
			    "en", en));
		}
		print_json(json_pack("{s:b, s:b, s:s, s:s, s:s, s:I, s:I, s:I,"
		    " s:I, s:I, s:I, s:I, s:o}", "ok", 1, "dry_run", dry,
		    "sha256", sha,
		    "encoding", p.encoding == ROLL_UTF8 ? "utf-8" : "windows-1252",
		    "separator", p.sep == ';' ? ";" : ",",
		    "import", (json_int_t)res.import_id,
		    "rows_ok", (json_int_t)p.nrows,
		    "rows_rejected", (json_int_t)p.nrejects,
		    "created", (json_int_t)res.created,
		    "updated", (json_int_t)res.updated,
		    "unchanged", (json_int_t)res.unchanged,
		    "removed", (json_int_t)res.removed, "rejected", rej));
	} else {
		int fr = lang == ROLL_FR;
		printf(fr ? "Fichier : %s, séparateur « %c »\n"
			  : "File: %s, separator '%c'\n",
		    p.encoding == ROLL_UTF8 ? "UTF-8" : "Windows-1252", p.sep);
		printf(fr ? "%s : %zu adhérents (%zu nouveaux, %zu modifiés,"
			    " %zu inchangés, %zu retirés)\n"
			  : "%s: %zu members (%zu new, %zu changed, %zu"
			    " unchanged, %zu removed)\n",
		    dry ? (fr ? "Vérifié (rien n'est enregistré)"
			      : "Checked (nothing stored)")
			: (fr ? "Importé" : "Imported"),
		    p.nrows, res.created, res.updated, res.unchanged,
		    res.removed);
		printf(fr ? "Lignes rejetées : %zu\n" : "Rejected lines: %zu\n",
		    p.nrejects);
		for (size_t i = 0; i < p.nrejects; i++) {
			roll_reject_format(msg, sizeof msg, &p.rejects[i], lang);
			printf(fr ? "  ligne %lu : %s\n" : "  line %lu: %s\n",
			    p.rejects[i].line, msg);
		}
	}
	rc = p.nrejects > 0 ? 3 : 0;
out:
	roll_parse_free(&p);
	store_close(st);
	free(data);
	return rc;
usage:
	fprintf(stderr, "usage : scrutin roll import [--data DIR] [--dry-run]"
	    " [--remove-missing] [--json] [--lang fr|en] FICHIER.csv\n");
	return 2;
}

static json_t *
member_json(sqlite3_stmt *s, int first)
{
	json_t *m = json_object();

	for (int c = 0; c < COL_COUNT; c++) {
		const unsigned char *v = sqlite3_column_text(s, first + c);
		json_object_set_new(m, roll_col_name[c],
		    json_string(v ? (const char *)v : ""));
	}
	return m;
}

static int
cmd_roll_list(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "all", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	const char *datadir = default_datadir();
	int json = 0, all = 0, o, rc = 1;
	struct store *st = NULL;
	sqlite3_stmt *s = NULL;
	json_t *arr = NULL;

	while ((o = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (o == 'd')
			datadir = optarg;
		else if (o == 'j')
			json = 1;
		else if (o == 'a')
			all = 1;
		else
			goto usage;
	}
	if (optind != argc)
		goto usage;
	if (store_open(&st, datadir) != 0)
		return 1;
	s = store_prepare(st->roll,
	    "SELECT member_no, last_name, first_name, email, phone, category,"
	    " dues_paid, joined, zone, birth_date, sex, city, status, version"
	    " FROM members WHERE ?1 OR status = 'active' ORDER BY member_no");
	if (s == NULL || sqlite3_bind_int(s, 1, all) != SQLITE_OK)
		goto out;
	arr = json_array();
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (json) {
			json_t *m = member_json(s, 0);
			json_object_set_new(m, "status", json_string(
			    (const char *)sqlite3_column_text(s, 12)));
			json_object_set_new(m, "version",
			    json_integer(sqlite3_column_int64(s, 13)));
			json_array_append_new(arr, m);
		} else {
			printf("%s\t%s\t%s\t%s\t%s\n",
			    sqlite3_column_text(s, 0), sqlite3_column_text(s, 1),
			    sqlite3_column_text(s, 2), sqlite3_column_text(s, 3),
			    sqlite3_column_text(s, 12));
		}
	}
	if (json) {
		print_json(arr);
		arr = NULL;
	}
	rc = 0;
out:
	json_decref(arr);
	sqlite3_finalize(s);
	store_close(st);
	return rc;
usage:
	fprintf(stderr, "usage : scrutin roll list [--data DIR] [--all]"
	    " [--json]\n");
	return 2;
}

static int
cmd_roll_history(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "data", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	const char *datadir = default_datadir();
	int o, rc = 1;
	struct store *st = NULL;
	sqlite3_stmt *s = NULL;
	json_t *arr = json_array();

	while ((o = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (o == 'd')
			datadir = optarg;
		else
			goto usage;
	}
	if (optind + 1 != argc)
		goto usage;
	if (store_open(&st, datadir) != 0)
		goto out;
	/* Past versions, then the current one. */
	s = store_prepare(st->roll,
	    "SELECT h.member_no, h.last_name, h.first_name, h.email, h.phone,"
	    " h.category, h.dues_paid, h.joined, h.zone, h.birth_date, h.sex,"
	    " h.city, h.status, h.version, h.valid_from, h.valid_until"
	    " FROM members_history h JOIN members m ON m.id = h.member_id"
	    " WHERE m.member_no = ?1"
	    " UNION ALL SELECT member_no, last_name, first_name, email, phone,"
	    " category, dues_paid, joined, zone, birth_date, sex, city, status,"
	    " version, updated_at, NULL FROM members WHERE member_no = ?1"
	    " ORDER BY 14");
	if (s == NULL || store_bind_text(s, 1, argv[optind]) != 0)
		goto out;
	while (sqlite3_step(s) == SQLITE_ROW) {
		json_t *m = member_json(s, 0);
		json_object_set_new(m, "status", json_string(
		    (const char *)sqlite3_column_text(s, 12)));
		json_object_set_new(m, "version",
		    json_integer(sqlite3_column_int64(s, 13)));
		json_object_set_new(m, "valid_from",
		    json_integer(sqlite3_column_int64(s, 14)));
		json_object_set_new(m, "valid_until",
		    sqlite3_column_type(s, 15) == SQLITE_NULL ? json_null()
		    : json_integer(sqlite3_column_int64(s, 15)));
		json_array_append_new(arr, m);
	}
	if (json_array_size(arr) == 0) {
		fprintf(stderr, "adhérent « %s » inconnu\n", argv[optind]);
		goto out;
	}
	print_json(arr);
	arr = NULL;
	rc = 0;
out:
	json_decref(arr);
	sqlite3_finalize(s);
	store_close(st);
	return rc;
usage:
	json_decref(arr);
	fprintf(stderr, "usage : scrutin roll history [--data DIR] NUMERO\n");
	return 2;
}

/* ---- credentials ---- */

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

/*
 * Writes, for each issue: DIR/sheets/m-NO.html (the sheet, QR inline),
 * DIR/qr/m-NO.png and .svg (the QR code alone, for e-mail), and the codes
 * list for the second channel (codes_path, mode 0600). Returns 0 or -1.
 */
static int
write_issue_files(const char *dir, const char *codes_path,
    const char *association, const char *meeting, const char *host,
    const struct issue *v, size_t n)
{
	char sheets[4096], qrdir[4096], path[4096], url[CRED_URL_MAX];
	char pub[CRED_URL_MAX];
	FILE *codes = NULL;
	int rc = -1, fd;

	if ((mkdir(dir, 0700) != 0 && errno != EEXIST) ||
	    path_join(sheets, sizeof sheets, dir, "sheets") != 0 ||
	    path_join(qrdir, sizeof qrdir, dir, "qr") != 0 ||
	    (mkdir(sheets, 0700) != 0 && errno != EEXIST) ||
	    (mkdir(qrdir, 0700) != 0 && errno != EEXIST))
		return -1;
	if (cred_url(pub, sizeof pub, host, NULL, NULL) != 0)
		return -1;
	fd = open(codes_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
	    O_NOFOLLOW, 0600);
	if (fd < 0 || (codes = fdopen(fd, "w")) == NULL) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	fputs("numero;nom;prenom;email;telephone;code\n", codes);
	for (size_t i = 0; i < n; i++) {
		uint8_t *png = NULL;
		size_t pnglen = 0;
		char *svg = NULL, *html = NULL;
		int ok;

		if (cred_url(url, sizeof url, host, meeting,
		    v[i].sec.fragment) != 0)
			goto out;
		svg = qr_svg(url);
		ok = svg != NULL && qr_png(url, 8, &png, &pnglen) == 0;
		if (ok) {
			struct sheet_info si = {
				.association = association, .meeting = meeting,
				.member_no = v[i].member_no,
				.first_name = v[i].first_name,
				.last_name = v[i].last_name, .public_url = pub,
				.qr_svg = svg,
			};
			html = sheet_html(&si);
			member_file(path, sizeof path, sheets, v[i].member_no,
			    ".html");
			ok = html != NULL && file_write_atomic(path, html,
			    strlen(html), 0600) == 0;
			member_file(path, sizeof path, qrdir, v[i].member_no,
			    ".png");
			ok = ok && file_write_atomic(path, png, pnglen, 0600) == 0;
			member_file(path, sizeof path, qrdir, v[i].member_no,
			    ".svg");
			ok = ok && file_write_atomic(path, svg, strlen(svg),
			    0600) == 0;
		}
		if (svg)
			sodium_memzero(svg, strlen(svg));
		if (html)
			sodium_memzero(html, strlen(html));
		free(svg);
		free(html);
		free(png);
		sodium_memzero(url, sizeof url);
		if (!ok)
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
make_secrets(struct issue *v, size_t n, const char *meeting)
{
	for (size_t i = 0; i < n; i++)
		if (cred_make(&v[i].sec, meeting) != 0)
			return -1;
	return 0;
}

struct cred_opts {
	const char *datadir, *meeting, *host, *out, *codes, *association;
	const char *roll, *reason;
	const char **members;
	size_t nmembers;
	int json;
};

static int
cred_opts_parse(struct cred_opts *o, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "meeting", required_argument, NULL, 'm' },
		{ "host", required_argument, NULL, 'H' },
		{ "out", required_argument, NULL, 'o' },
		{ "codes", required_argument, NULL, 'c' },
		{ "association", required_argument, NULL, 'A' },
		{ "roll", required_argument, NULL, 'r' },
		{ "member", required_argument, NULL, 'M' },
		{ "reason", required_argument, NULL, 'R' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof *o);
	o->datadir = default_datadir();
	o->association = "";
	o->members = xcalloc((size_t)argc + 1, sizeof *o->members);
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'd': o->datadir = optarg; break;
		case 'm': o->meeting = optarg; break;
		case 'H': o->host = optarg; break;
		case 'o': o->out = optarg; break;
		case 'c': o->codes = optarg; break;
		case 'A': o->association = optarg; break;
		case 'r': o->roll = optarg; break;
		case 'M': o->members[o->nmembers++] = optarg; break;
		case 'R': o->reason = optarg; break;
		case 'j': o->json = 1; break;
		default: return -1;
		}
	}
	if (o->meeting != NULL && !cred_meeting_valid(o->meeting)) {
		fprintf(stderr, "identifiant de réunion invalide (a-z, 0-9,"
		    " . _ -)\n");
		return -1;
	}
	if (o->host != NULL && !cred_host_valid(o->host)) {
		fprintf(stderr, "nom d'hôte invalide\n");
		return -1;
	}
	return 0;
}

static char *
col_dup(sqlite3_stmt *s, int i)
{
	const unsigned char *v = sqlite3_column_text(s, i);

	return xstrdup(v ? (const char *)v : "");
}

static int
codes_default(char *out, size_t cap, const struct cred_opts *o)
{
	if (o->codes != NULL) {
		int n = snprintf(out, cap, "%s", o->codes);
		return (n < 0 || (size_t)n >= cap) ? -1 : 0;
	}
	return path_join(out, cap, o->out, "codes.csv");
}

/* issue and reissue: secrets made first, then one transaction that stores
 * the keys, then the files; the transaction commits only when every file
 * is written, and written files are removed when it does not. */
static int
issue_for(struct store *st, const struct cred_opts *o, struct issue *v,
    size_t n, int revoke_first)
{
	char codes[4096];

	if (codes_default(codes, sizeof codes, o) != 0)
		return -1;
	if (make_secrets(v, n, o->meeting) != 0)
		return -1;
	if (store_begin(st) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		uint8_t old[32];
		if (revoke_first && cred_revoke_ex(st, v[i].member_no,
		        o->meeting, o->reason, old) != 0) {
			fprintf(stderr, "%s : aucun identifiant actif à révoquer\n",
			    v[i].member_no);
			goto fail;
		}
		if (cred_add_ex(st, v[i].member_no, o->meeting, v[i].sec.pk,
		        "server", revoke_first ? old : NULL) != 0) {
			fprintf(stderr, "%s : identifiant non enregistré\n",
			    v[i].member_no);
			goto fail;
		}
	}
	if (write_issue_files(o->out, codes, o->association, o->meeting,
	        o->host, v, n) != 0) {
		fprintf(stderr, "écriture des fiches impossible dans %s\n",
		    o->out);
		(void)unlink(codes);
		goto fail;
	}
	if (store_commit(st) != 0) {
		(void)unlink(codes);
		return -1;
	}
	return 0;
fail:
	store_rollback(st);
	return -1;
}

static int
cmd_cred_issue(int argc, char **argv)
{
	struct cred_opts o;
	struct store *st = NULL;
	sqlite3_stmt *s = NULL;
	struct issue *v = NULL;
	size_t n = 0, cap = 0;
	int rc = 1;

	if (cred_opts_parse(&o, argc, argv) != 0 || optind != argc ||
	    o.meeting == NULL || o.host == NULL || o.out == NULL)
		goto usage;
	if (store_open(&st, o.datadir) != 0)
		goto out;
	/* Active members with no active credential for the meeting (or the
	 * ones named with --member). */
	s = store_prepare(st->roll,
	    "SELECT member_no, first_name, last_name, email, phone FROM members m"
	    " WHERE status = 'active' AND NOT EXISTS (SELECT 1 FROM credentials"
	    " c WHERE c.member_id = m.id AND c.meeting = ?1"
	    " AND c.status = 'active') ORDER BY member_no");
	if (s == NULL || store_bind_text(s, 1, o.meeting) != 0)
		goto out;
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *no = (const char *)sqlite3_column_text(s, 0);
		int wanted = o.nmembers == 0;
		for (size_t k = 0; k < o.nmembers && !wanted; k++)
			wanted = strcmp(o.members[k], no) == 0;
		if (!wanted)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			v = xreallocarray(v, cap, sizeof *v);
		}
		memset(&v[n], 0, sizeof v[n]);
		v[n].member_no = col_dup(s, 0);
		v[n].first_name = col_dup(s, 1);
		v[n].last_name = col_dup(s, 2);
		v[n].email = col_dup(s, 3);
		v[n].phone = col_dup(s, 4);
		n++;
	}
	sqlite3_finalize(s);
	s = NULL;
	if (o.nmembers > 0 && n != o.nmembers) {
		fprintf(stderr, "adhérent inconnu, inactif ou déjà doté d'un"
		    " identifiant actif pour %s\n", o.meeting);
		goto out;
	}
	if (n > 0 && issue_for(st, &o, v, n, 0) != 0)
		goto out;
	printf("%zu identifiants émis pour %s ; fiches dans %s/sheets,"
	    " codes à envoyer par un autre canal dans %s%s\n", n, o.meeting,
	    o.out, o.codes ? o.codes : o.out, o.codes ? "" : "/codes.csv");
	rc = 0;
out:
	sqlite3_finalize(s);
	issue_free(v, n);
	store_close(st);
	free(o.members);
	return rc;
usage:
	free(o.members);
	fprintf(stderr, "usage : scrutin cred issue [--data DIR] --meeting ID"
	    " --host NOM --out DIR [--codes FICHIER] [--association NOM]"
	    " [--member NUMERO]...\n");
	return 2;
}

static int
cmd_cred_reissue(int argc, char **argv)
{
	struct cred_opts o;
	struct store *st = NULL;
	sqlite3_stmt *s = NULL;
	struct issue *v = NULL;
	int rc = 1;

	if (cred_opts_parse(&o, argc, argv) != 0 || optind != argc ||
	    o.meeting == NULL || o.host == NULL || o.out == NULL ||
	    o.nmembers != 1 || o.reason == NULL)
		goto usage;
	if (store_open(&st, o.datadir) != 0)
		goto out;
	s = store_prepare(st->roll,
	    "SELECT member_no, first_name, last_name, email, phone FROM members"
	    " WHERE member_no = ?1 AND status = 'active'");
	if (s == NULL || store_bind_text(s, 1, o.members[0]) != 0)
		goto out;
	if (sqlite3_step(s) != SQLITE_ROW) {
		fprintf(stderr, "adhérent « %s » inconnu ou inactif\n",
		    o.members[0]);
		goto out;
	}
	v = xcalloc(1, sizeof *v);
	v->member_no = col_dup(s, 0);
	v->first_name = col_dup(s, 1);
	v->last_name = col_dup(s, 2);
	v->email = col_dup(s, 3);
	v->phone = col_dup(s, 4);
	sqlite3_finalize(s);
	s = NULL;
	if (issue_for(st, &o, v, 1, 1) != 0)
		goto out;
	printf("identifiant de %s révoqué et remplacé\n", v->member_no);
	rc = 0;
out:
	sqlite3_finalize(s);
	issue_free(v, v ? 1 : 0);
	store_close(st);
	free(o.members);
	return rc;
usage:
	free(o.members);
	fprintf(stderr, "usage : scrutin cred reissue [--data DIR] --meeting ID"
	    " --member NUMERO --reason TEXTE --host NOM --out DIR"
	    " [--codes FICHIER]\n");
	return 2;
}

static int
cmd_cred_revoke(int argc, char **argv)
{
	struct cred_opts o;
	struct store *st = NULL;
	int rc = 1;

	if (cred_opts_parse(&o, argc, argv) != 0 || optind != argc ||
	    o.meeting == NULL || o.nmembers != 1 || o.reason == NULL)
		goto usage;
	if (store_open(&st, o.datadir) != 0 || store_begin(st) != 0)
		goto out;
	if (cred_revoke(st, o.members[0], o.meeting, o.reason) != 0 ||
	    store_commit(st) != 0) {
		store_rollback(st);
		fprintf(stderr, "%s : aucun identifiant actif pour %s (ou motif"
		    " invalide)\n", o.members[0], o.meeting);
		goto out;
	}
	printf("identifiant de %s révoqué\n", o.members[0]);
	rc = 0;
out:
	store_close(st);
	free(o.members);
	return rc;
usage:
	free(o.members);
	fprintf(stderr, "usage : scrutin cred revoke [--data DIR] --meeting ID"
	    " --member NUMERO --reason TEXTE\n");
	return 2;
}

static int
cmd_cred_list(int argc, char **argv)
{
	struct cred_opts o;
	struct store *st = NULL;
	sqlite3_stmt *s = NULL;
	json_t *arr = json_array();
	int rc = 1;

	if (cred_opts_parse(&o, argc, argv) != 0 || optind != argc ||
	    o.meeting == NULL)
		goto usage;
	if (store_open(&st, o.datadir) != 0)
		goto out;
	s = store_prepare(st->roll,
	    "SELECT m.member_no, c.pk, c.origin, c.status, c.issued_at,"
	    " c.activated_at, c.revoked_at, c.revoke_reason FROM credentials c"
	    " JOIN members m ON m.id = c.member_id WHERE c.meeting = ?1"
	    " ORDER BY m.member_no, c.id");
	if (s == NULL || store_bind_text(s, 1, o.meeting) != 0)
		goto out;
	while (sqlite3_step(s) == SQLITE_ROW) {
		char pk[65];
		const void *b = sqlite3_column_blob(s, 1);
		if (b == NULL || sqlite3_column_bytes(s, 1) != 32)
			goto out;
		xhex_encode(pk, sizeof pk, b, 32);
		json_t *e = json_pack("{s:s, s:s, s:s, s:s, s:I}", "member",
		    (const char *)sqlite3_column_text(s, 0), "pk", pk, "origin",
		    (const char *)sqlite3_column_text(s, 2), "status",
		    (const char *)sqlite3_column_text(s, 3), "issued_at",
		    (json_int_t)sqlite3_column_int64(s, 4));
		for (int k = 5; k <= 6; k++)
			json_object_set_new(e, k == 5 ? "activated_at"
						      : "revoked_at",
			    sqlite3_column_type(s, k) == SQLITE_NULL
				? json_null()
				: json_integer(sqlite3_column_int64(s, k)));
		json_object_set_new(e, "revoke_reason",
		    sqlite3_column_type(s, 7) == SQLITE_NULL ? json_null()
		    : json_string((const char *)sqlite3_column_text(s, 7)));
		json_array_append_new(arr, e);
	}
	print_json(arr);
	arr = NULL;
	rc = 0;
out:
	json_decref(arr);
	sqlite3_finalize(s);
	store_close(st);
	free(o.members);
	return rc;
usage:
	json_decref(arr);
	free(o.members);
	fprintf(stderr, "usage : scrutin cred list [--data DIR] --meeting ID\n");
	return 2;
}

/* Offline: on another machine, from the roll CSV; no database. */
static int
cmd_cred_offline(int argc, char **argv)
{
	struct cred_opts o;
	uint8_t *data = NULL;
	size_t len = 0, n = 0;
	struct roll_parse p;
	struct issue *v = NULL;
	json_t *pub = NULL, *list;
	char codes[4096], path[4096], *text = NULL, msg[256];
	int rc = 1;

	memset(&p, 0, sizeof p);
	if (cred_opts_parse(&o, argc, argv) != 0 || optind != argc ||
	    o.meeting == NULL || o.host == NULL || o.out == NULL ||
	    o.roll == NULL)
		goto usage;
	if (file_read_capped(o.roll, ROLL_MAX_FILE, &data, &len) != 0) {
		fprintf(stderr, "%s : lecture impossible\n", o.roll);
		goto out;
	}
	if (roll_parse(&p, data, len) != 0) {
		roll_ferr_format(msg, sizeof msg, &p, ROLL_FR);
		fprintf(stderr, "%s\n", msg);
		goto out;
	}
	if (p.nrejects > 0) {
		for (size_t i = 0; i < p.nrejects; i++) {
			roll_reject_format(msg, sizeof msg, &p.rejects[i],
			    ROLL_FR);
			fprintf(stderr, "ligne %lu : %s\n", p.rejects[i].line,
			    msg);
		}
		fprintf(stderr, "liste refusée : corrigez les lignes rejetées\n");
		goto out;
	}
	n = p.nrows;
	v = xcalloc(n ? n : 1, sizeof *v);
	for (size_t i = 0; i < n; i++) {
		v[i].member_no = xstrdup(p.rows[i].f[COL_MEMBER_NO]);
		v[i].first_name = xstrdup(p.rows[i].f[COL_FIRST_NAME]);
		v[i].last_name = xstrdup(p.rows[i].f[COL_LAST_NAME]);
		v[i].email = xstrdup(p.rows[i].f[COL_EMAIL]);
		v[i].phone = xstrdup(p.rows[i].f[COL_PHONE]);
	}
	if (codes_default(codes, sizeof codes, &o) != 0 ||
	    make_secrets(v, n, o.meeting) != 0 ||
	    write_issue_files(o.out, codes, o.association, o.meeting, o.host,
	        v, n) != 0) {
		fprintf(stderr, "génération impossible dans %s\n", o.out);
		goto out;
	}
	list = json_array();
	pub = json_pack("{s:s, s:s, s:o}", "format",
	    "scrutin-public-credentials/1", "meeting", o.meeting,
	    "credentials", list);
	for (size_t i = 0; i < n; i++) {
		char pk[65];
		xhex_encode(pk, sizeof pk, v[i].sec.pk, 32);
		json_array_append_new(list, json_pack("{s:s, s:s}", "member",
		    v[i].member_no, "pk", pk));
	}
	text = json_dumps(pub, JSON_INDENT(1) | JSON_ENSURE_ASCII);
	if (text == NULL || path_join(path, sizeof path, o.out,
	        "public.json") != 0 ||
	    file_write_atomic(path, text, strlen(text), 0644) != 0)
		goto out;
	printf("%zu identifiants générés hors ligne ; à importer sur le"
	    " serveur : %s (clés publiques seulement)\n", n, path);
	rc = 0;
out:
	free(text);
	json_decref(pub);
	issue_free(v, n);
	roll_parse_free(&p);
	free(data);
	free(o.members);
	return rc;
usage:
	free(o.members);
	fprintf(stderr, "usage : scrutin cred offline --roll FICHIER.csv"
	    " --meeting ID --host NOM --out DIR [--codes FICHIER]"
	    " [--association NOM]\n");
	return 2;
}

static int
cmd_cred_import_public(int argc, char **argv)
{
	struct cred_opts o;
	struct store *st = NULL;
	uint8_t *data = NULL;
	size_t len = 0, count = 0;
	char err[256];
	int rc = 1;

	if (cred_opts_parse(&o, argc, argv) != 0 || optind + 1 != argc)
		goto usage;
	if (file_read_capped(argv[optind], CRED_PUBLIC_MAX, &data, &len) != 0) {
		fprintf(stderr, "%s : lecture impossible ou fichier trop gros\n",
		    argv[optind]);
		goto out;
	}
	if (store_open(&st, o.datadir) != 0)
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
	free(o.members);
	return rc;
usage:
	free(o.members);
	fprintf(stderr, "usage : scrutin cred import-public [--data DIR]"
	    " public.json\n");
	return 2;
}

/* ---- qr, events ---- */

static int
cmd_qr(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "png", required_argument, NULL, 'p' },
		{ "svg", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	const char *png = NULL, *svg = NULL;
	int o;

	while ((o = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (o == 'p')
			png = optarg;
		else if (o == 's')
			svg = optarg;
		else
			goto usage;
	}
	if (optind + 1 != argc || (png == NULL && svg == NULL))
		goto usage;
	if (png != NULL) {
		uint8_t *d = NULL;
		size_t n = 0;
		if (qr_png(argv[optind], 8, &d, &n) != 0 ||
		    file_write_atomic(png, d, n, 0644) != 0) {
			free(d);
			return 1;
		}
		free(d);
	}
	if (svg != NULL) {
		char *d = qr_svg(argv[optind]);
		if (d == NULL || file_write_atomic(svg, d, strlen(d), 0644)) {
			free(d);
			return 1;
		}
		free(d);
	}
	return 0;
usage:
	fprintf(stderr, "usage : scrutin qr [--png FICHIER] [--svg FICHIER]"
	    " TEXTE\n");
	return 2;
}

static int
cmd_events(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "data", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	const char *datadir = default_datadir();
	struct store *st = NULL;
	sqlite3_stmt *s = NULL;
	json_t *arr = json_array();
	int o, rc = 1;

	while ((o = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (o == 'd')
			datadir = optarg;
		else
			goto usage;
	}
	if (optind != argc)
		goto usage;
	if (store_open(&st, datadir) != 0)
		goto out;
	s = store_prepare(st->roll,
	    "SELECT seq, at, kind, payload FROM events ORDER BY seq");
	if (s == NULL)
		goto out;
	while (sqlite3_step(s) == SQLITE_ROW) {
		json_error_t jerr;
		json_t *payload = json_loads(
		    (const char *)sqlite3_column_text(s, 3), 0, &jerr);
		json_array_append_new(arr, json_pack("{s:I, s:I, s:s, s:o*}",
		    "seq", (json_int_t)sqlite3_column_int64(s, 0), "at",
		    (json_int_t)sqlite3_column_int64(s, 1), "kind",
		    (const char *)sqlite3_column_text(s, 2), "payload",
		    payload));
	}
	print_json(arr);
	arr = NULL;
	rc = 0;
out:
	json_decref(arr);
	sqlite3_finalize(s);
	store_close(st);
	return rc;
usage:
	json_decref(arr);
	fprintf(stderr, "usage : scrutin events [--data DIR]\n");
	return 2;
}


/* ---- meetings, questions, record, demo (docs/api.md, CLI) ---- */

static int
print_err(const char *what, const char *err)
{
	fprintf(stderr, "scrutin %s : %s\n", what, err);
	return 1;
}

/* Runs one meeting API operation as the administrator (local store,
 * server key), printing the JSON answer. */
static int
local_api(const char *datadir, uint32_t op, const char *meeting,
    const char *sub, const char *body)
{
	struct store *st = NULL;
	uint8_t *sk = NULL, pk[32];
	struct mctx *mc = NULL;
	struct mreply r;
	int rc = 1;

	if (store_open(&st, datadir) != 0 ||
	    priv_key_load(datadir, &sk, pk) != 0)
		goto out;
	store_key_set(st, sk, pk);
	mc = xmalloc(sizeof *mc);
	meeting_ctx_init(mc, st, sk, pk);
	mc->local = 1;
	meeting_api(mc, op, meeting, sub, "", (const uint8_t *)body,
	    strlen(body), &r);
	if (r.code != NULL && r.code[0] != '\0') {
		int status;
		const char *fr, *en;
		if (meeting_error_lookup(r.code, &status, &fr, &en) == 0)
			fprintf(stderr, "scrutin : %s (%s)%s%s\n", fr, r.code,
			    r.field ? " : " : "", r.field ? r.field : "");
		else
			fprintf(stderr, "scrutin : erreur %s\n", r.code);
	} else {
		print_json(r.doc);
		r.doc = NULL;
		rc = 0;
	}
	json_decref(r.doc);
out:
	if (mc != NULL) {
		meeting_ctx_free(mc);
		free(mc);
	}
	if (sk != NULL)
		sodium_free(sk);
	store_close(st);
	return rc;
}

struct mopts {
	const char *datadir, *id, *title, *date, *profile, *body, *agenda;
	const char *host, *name, *closes_at, *quorum;
	unsigned trustees, threshold, index, port;
	int json;
};

static int
mopts_parse(struct mopts *o, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "id", required_argument, NULL, 'i' },
		{ "title", required_argument, NULL, 't' },
		{ "date", required_argument, NULL, 'D' },
		{ "profile", required_argument, NULL, 'p' },
		{ "body", required_argument, NULL, 'b' },
		{ "agenda", required_argument, NULL, 'a' },
		{ "trustees", required_argument, NULL, 'n' },
		{ "threshold", required_argument, NULL, 'T' },
		{ "host", required_argument, NULL, 'H' },
		{ "index", required_argument, NULL, 'x' },
		{ "name", required_argument, NULL, 'N' },
		{ "closes-at", required_argument, NULL, 'c' },
		{ "port", required_argument, NULL, 'P' },
		{ "json", no_argument, NULL, 'j' },
		{ "quorum", required_argument, NULL, 'Q' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof *o);
	o->datadir = default_datadir();
	o->body = "ag";
	o->trustees = 2;
	o->threshold = 2;
	optind = 0;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'd': o->datadir = optarg; break;
		case 'i': o->id = optarg; break;
		case 'Q': o->quorum = optarg; break;
		case 't': o->title = optarg; break;
		case 'D': o->date = optarg; break;
		case 'p': o->profile = optarg; break;
		case 'b': o->body = optarg; break;
		case 'a': o->agenda = optarg; break;
		case 'H': o->host = optarg; break;
		case 'N': o->name = optarg; break;
		case 'c': o->closes_at = optarg; break;
		case 'j': o->json = 1; break;
		case 'n':
			if (parse_uint_opt(optarg, 1, 16, &o->trustees))
				return -1;
			break;
		case 'T':
			if (parse_uint_opt(optarg, 1, 16, &o->threshold))
				return -1;
			break;
		case 'x':
			if (parse_uint_opt(optarg, 1, 16, &o->index))
				return -1;
			break;
		case 'P':
			if (parse_uint_opt(optarg, 1, 65535, &o->port))
				return -1;
			break;
		default:
			return -1;
		}
	}
	return 0;
}

static int
meeting_create_files(const struct mopts *o)
{
	struct store *st = NULL;
	uint8_t *yaml = NULL, *agenda = NULL;
	size_t yl = 0, al = 0;
	char err[512];
	int rc = 1;

	if (file_read_capped(o->profile, 1u << 20, &yaml, &yl) != 0) {
		print_err("meeting create", "profil illisible");
		goto out;
	}
	if (o->agenda != NULL &&
	    file_read_capped(o->agenda, 1u << 20, &agenda, &al) != 0) {
		print_err("meeting create", "ordre du jour illisible");
		goto out;
	}
	if (store_open(&st, o->datadir) != 0)
		goto out;
	if (meeting_create(st, o->id, o->title, o->date, yaml, yl, o->body,
	        o->trustees, o->threshold, o->quorum, err, sizeof err) != 0) {
		print_err("meeting create", err);
		goto out;
	}
	if (agenda != NULL &&
	    meeting_agenda_add(st, o->id, agenda, al, err, sizeof err) != 0) {
		print_err("meeting create (ordre du jour)", err);
		goto out;
	}
	rc = 0;
out:
	store_close(st);
	free(yaml);
	free(agenda);
	return rc;
}

static int
cmd_meeting_create(int argc, char **argv)
{
	struct mopts o;

	if (mopts_parse(&o, argc, argv) != 0 || optind != argc ||
	    o.id == NULL || o.title == NULL || o.date == NULL ||
	    o.profile == NULL) {
		fprintf(stderr, "usage : scrutin meeting create --id ID --title"
		    " TITRE --date AAAA-MM-JJ --profile FICHIER.yaml [--body ag]"
		    " [--agenda FICHIER.json] [--trustees N --threshold T]"
		    " [--quorum none|JSON] [--data DIR]\n");
		return 2;
	}
	return meeting_create_files(&o);
}

/* Commands of the form `scrutin meeting VERB ID` [QID]. */
static int
one_id(const char *what, int argc, char **argv, struct mopts *o,
    const char **id, const char **qid)
{
	if (mopts_parse(o, argc, argv) != 0 || argc - optind != (qid ? 2 : 1)) {
		fprintf(stderr, "usage : scrutin %s ID%s [--data DIR]\n", what,
		    qid ? " QUESTION" : "");
		return -1;
	}
	*id = argv[optind];
	if (qid != NULL)
		*qid = argv[optind + 1];
	return 0;
}

/* `scrutin WHAT ID`, sent to the live meeting as op with an empty body. */
static int
id_api(const char *what, uint32_t op, int argc, char **argv)
{
	struct mopts o;
	const char *id;

	if (one_id(what, argc, argv, &o, &id, NULL) != 0)
		return 2;
	return local_api(o.datadir, op, id, "", "{}");
}

/* `scrutin WHAT ID`, run on the store by fn (an operator-side meeting
 * function that explains a failure in err). */
static int
id_store(const char *what, int (*fn)(struct store *, const char *, char *,
    size_t), int argc, char **argv)
{
	struct mopts o;
	const char *id;
	struct store *st = NULL;
	char err[512];
	int rc = 1;

	if (one_id(what, argc, argv, &o, &id, NULL) != 0)
		return 2;
	if (store_open(&st, o.datadir) == 0) {
		if (fn(st, id, err, sizeof err) != 0)
			print_err(what, err);
		else
			rc = 0;
	}
	store_close(st);
	return rc;
}

static int
cmd_meeting_show(int argc, char **argv)
{
	return id_api("meeting show", MOP_VIEW, argc, argv);
}

static int
cmd_meeting_convene(int argc, char **argv)
{
	return id_store("meeting convene", meeting_convene, argc, argv);
}

static int
make_link(const struct mopts *o, const char *id, const char *role,
    char *url, size_t cap)
{
	struct store *st = NULL;
	char tok[44], err[256];
	int rc = -1, n;

	if (store_open(&st, o->datadir) != 0)
		return -1;
	if (meeting_token_new(st, id, role, strcmp(role, "enrol") == 0 ?
	        o->index : 0, o->name, tok, err, sizeof err) != 0) {
		print_err("meeting", err);
		goto out;
	}
	if (strcmp(role, "enrol") == 0)
		n = snprintf(url, cap, "https://%s/s/#%s.%u.%s", o->host, id,
		    o->index, tok);
	else
		n = snprintf(url, cap, "https://%s/m/#%s.%s", o->host, id, tok);
	sodium_memzero(tok, sizeof tok);
	rc = (n > 0 && (size_t)n < cap) ? 0 : -1;
out:
	store_close(st);
	return rc;
}

static int
cmd_meeting_link(int argc, char **argv, const char *role)
{
	struct mopts o;
	const char *id;
	char url[512];

	if (one_id(strcmp(role, "enrol") == 0 ? "meeting scrutineer-link"
	        " --index J --host HOTE" : "meeting moderator-link --host HOTE",
	        argc, argv, &o, &id, NULL) != 0 || o.host == NULL ||
	    !cred_host_valid(o.host) ||
	    (strcmp(role, "enrol") == 0 && o.index == 0))
		return 2;
	if (make_link(&o, id, role, url, sizeof url) != 0)
		return 1;
	printf("%s\n", url);
	return 0;
}

static int
cmd_meeting_moderator_link(int argc, char **argv)
{
	return cmd_meeting_link(argc, argv, "moderator");
}

static int
cmd_meeting_scrutineer_link(int argc, char **argv)
{
	return cmd_meeting_link(argc, argv, "enrol");
}

static int
cmd_meeting_start(int argc, char **argv)
{
	return id_api("meeting start", MOP_START, argc, argv);
}

static int
cmd_meeting_end(int argc, char **argv)
{
	return id_api("meeting end", MOP_END, argc, argv);
}

static int
cmd_meeting_ceremony_reset(int argc, char **argv)
{
	return id_store("meeting ceremony-reset", meeting_ceremony_reset, argc,
	    argv);
}

static int
cmd_question_add(int argc, char **argv)
{
	struct mopts o;
	const char *id, *file;
	struct store *st = NULL;
	uint8_t *data = NULL;
	size_t len = 0;
	char err[512];
	int rc = 1;

	if (one_id("question add", argc, argv, &o, &id, &file) != 0)
		return 2;
	if (file_read_capped(file, 1u << 20, &data, &len) != 0)
		return print_err("question add", "fichier illisible");
	if (store_open(&st, o.datadir) == 0) {
		if (meeting_agenda_add(st, id, data, len, err, sizeof err) != 0)
			print_err("question add", err);
		else
			rc = 0;
	}
	store_close(st);
	free(data);
	return rc;
}

static int
cmd_question_open(int argc, char **argv)
{
	struct mopts o;
	const char *id, *qid;
	char body[64];

	if (one_id("question open", argc, argv, &o, &id, &qid) != 0)
		return 2;
	if (o.closes_at != NULL) {
		unsigned long long t = strtoull(o.closes_at, NULL, 10);
		snprintf(body, sizeof body, "{\"closes_at\": %llu}", t);
	} else
		snprintf(body, sizeof body, "{}");
	return local_api(o.datadir, MOP_QOPEN, id, qid, body);
}

static int
cmd_question_close(int argc, char **argv)
{
	struct mopts o;
	const char *id, *qid;

	if (one_id("question close", argc, argv, &o, &id, &qid) != 0)
		return 2;
	return local_api(o.datadir, MOP_QCLOSE, id, qid, "{}");
}

/* `scrutin question second-round ID QID [--id NEW] [--title T]`: the
 * second round of a two-round election (POST questions {"round_of"}). */
static int
cmd_question_second_round(int argc, char **argv)
{
	struct mopts o;
	const char *id, *qid;
	json_t *b;
	char *body;
	int rc;

	if (mopts_parse(&o, argc, argv) != 0 || argc - optind != 2) {
		fprintf(stderr, "usage : scrutin question second-round ID"
		    " QUESTION [--id NOUVELLE] [--title TITRE] [--data DIR]\n");
		return 2;
	}
	id = argv[optind];
	qid = argv[optind + 1];
	b = json_pack("{s:s}", "round_of", qid);
	if (o.id != NULL)
		json_object_set_new(b, "id", json_string(o.id));
	if (o.title != NULL)
		json_object_set_new(b, "title", json_string(o.title));
	body = json_dumps(b, JSON_COMPACT);
	json_decref(b);
	if (body == NULL)
		return print_err("question second-round", "mémoire");
	rc = local_api(o.datadir, MOP_QADD, id, "", body);
	free(body);
	return rc;
}

static int
cmd_record_export(int argc, char **argv)
{
	struct mopts o;
	const char *id;
	struct store *st = NULL;
	uint8_t *sk = NULL, pk[32];
	int rc = 1;

	if (one_id("record export", argc, argv, &o, &id, NULL) != 0)
		return 2;
	if (store_open(&st, o.datadir) == 0 &&
	    priv_key_load(o.datadir, &sk, pk) == 0) {
		if (meeting_record_export(st, sk, id, stdout) != 0)
			print_err("record export", "réunion inconnue ou erreur"
			    " d'écriture");
		else
			rc = 0;
	}
	if (sk != NULL)
		sodium_free(sk);
	store_close(st);
	return rc;
}

/* ---- demo ---- */

static const char *demo_first[] = { "Marie", "Jean", "Sophie", "Pierre",
	"Camille", "Louis", "Léa", "Hugo", "Chloé", "Lucas" };
static const char *demo_last[] = { "Martin", "Bernard", "Dubois", "Thomas",
	"Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon",
	"Laurent", "Lefèvre", "Michel", "Garcia" };

static int
port_free(unsigned port)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), ok;

	if (fd < 0)
		return 0;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ok = bind(fd, (struct sockaddr *)&a, sizeof a) == 0;
	close(fd);
	return ok;
}

static unsigned
port_any(void)
{
	struct sockaddr_in a;
	socklen_t l = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	unsigned p = 0;

	if (fd < 0)
		return 0;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &l) == 0)
		p = ntohs(a.sin_port);
	close(fd);
	return p;
}

static int
cmd_demo(int argc, char **argv)
{
	struct mopts o;
	char listen[64], host[64], csv[4096], agenda[4096], out[4096];
	char codes[4096], url[512], portbuf[16];
	const char *dir;
	struct store *st = NULL;
	struct mrow_probe { int exists; } probe = { 0 };
	FILE *f;
	unsigned port;

	if (mopts_parse(&o, argc, argv) != 0 || optind != argc) {
		fprintf(stderr, "usage : scrutin demo [--data DIR] [--port P]"
		    " [--profile FICHIER.yaml]\n");
		return 2;
	}
	dir = strcmp(o.datadir, default_datadir()) == 0 ? "demo-data" :
	    o.datadir;
	if (o.profile == NULL)
		o.profile = "ballot-formats/profiles/a-imi.yaml";
	port = o.port ? o.port : (port_free(8443) ? 8443 : port_any());
	if (port == 0)
		return print_err("demo", "aucun port libre");
	snprintf(listen, sizeof listen, "127.0.0.1:%u", port);
	snprintf(host, sizeof host, "127.0.0.1:%u", port);
	snprintf(portbuf, sizeof portbuf, "%u", port);
	if (store_datadir_ensure(dir) != 0 || store_open(&st, dir) != 0)
		return 1;
	{
		sqlite3_stmt *s = store_prepare(st->roll, "SELECT 1 FROM"
		    " meetings WHERE id = 'ag-demo'");
		probe.exists = s != NULL && sqlite3_step(s) == SQLITE_ROW;
		sqlite3_finalize(s);
	}
	store_close(st);
	st = NULL;
	if (path_join(out, sizeof out, dir, "fiches") != 0 ||
	    path_join(codes, sizeof codes, dir, "codes.csv") != 0 ||
	    path_join(csv, sizeof csv, dir, "adherents-demo.csv") != 0 ||
	    path_join(agenda, sizeof agenda, dir, "ordre-du-jour.json") != 0)
		return 1;
	if (!probe.exists) {
		/* A roll of 30 members of the A-IMI profile's categories. */
		/* The meeting in 45 days, dues paid 30 days ago. */
		char mdate[11], dues[11];
		{
			time_t t1 = (time_t)now_unix() + 45 * 86400,
			    t2 = (time_t)now_unix() - 30 * 86400;
			struct tm tm;
			gmtime_r(&t1, &tm);
			strftime(mdate, sizeof mdate, "%Y-%m-%d", &tm);
			gmtime_r(&t2, &tm);
			strftime(dues, sizeof dues, "%Y-%m-%d", &tm);
		}
		if ((f = fopen(csv, "w")) == NULL)
			return print_err("demo", "écriture impossible");
		fprintf(f, "numéro;nom;prénom;email;catégorie;cotisation\n");
		for (int i = 1; i <= 30; i++)
			fprintf(f, "%04d;%s;%s;membre%02d@exemple.org;%s;%s\n",
			    i, demo_last[i % 15], demo_first[i % 10], i,
			    i == 30 ? "sympathisant" : i <= 3 ? "fondateur" :
			    "adherent", dues);
		fclose(f);
		if ((f = fopen(agenda, "w")) == NULL)
			return print_err("demo", "écriture impossible");
		fprintf(f, "{\"questions\": [\n"
		    " {\"id\": \"q1\", \"title\": \"Approbation du rapport"
		    " moral\", \"kind\": \"motion\", \"rule\": \"ordinary\","
		    " \"secret\": true},\n"
		    " {\"id\": \"q2\", \"title\": \"Approbation des comptes"
		    " 2025\", \"kind\": \"motion\", \"rule\": \"ordinary\","
		    " \"secret\": false},\n"
		    " {\"id\": \"e1\", \"title\": \"Élection au conseil"
		    " d'administration\", \"kind\": \"election\", \"rule\":"
		    " \"ca\", \"secret\": true, \"seats\": 1, \"candidates\": ["
		    "{\"member\": \"0004\", \"name\": \"%s %s\"},"
		    " {\"member\": \"0005\", \"name\": \"%s %s\"},"
		    " {\"member\": \"0006\", \"name\": \"%s %s\"}]}\n]}\n",
		    demo_first[4], demo_last[4], demo_first[5], demo_last[5],
		    demo_first[6], demo_last[6]);
		fclose(f);
		char *a1[] = { "import", "--data", (char *)dir, csv, NULL };
		optind = 0;
		if (cmd_roll_import(4, a1) != 0)
			return print_err("demo", "import du registre");
		o.id = "ag-demo";
		o.title = "Assemblée générale de démonstration";
		o.date = mdate;
		o.datadir = dir;
		if (meeting_create_files(&(struct mopts){ .datadir = dir,
		        .id = "ag-demo", .title = o.title, .date = o.date,
		        .profile = o.profile, .body = "ag", .agenda = agenda,
		        .trustees = 2, .threshold = 2 }) != 0)
			return 1;
		char *a2[] = { "convene", "--data", (char *)dir, "ag-demo",
			NULL };
		if (cmd_meeting_convene(4, a2) != 0)
			return 1;
		/* Three members whose links the demo prints (with their
		 * codes: a demo only). The others get printed sheets. */
		{
			char dm[4096];
			FILE *df;
			if (path_join(dm, sizeof dm, dir, "membres-demo.txt") != 0 ||
			    store_open(&st, dir) != 0 ||
			    (df = fopen(dm, "w")) == NULL)
				return print_err("demo", "identifiants de démo");
			for (int i = 1; i <= 3; i++) {
				struct cred_secret sec;
				char no[8], u[512];
				snprintf(no, sizeof no, "%04d", i);
				if (cred_make(&sec, "ag-demo") != 0 ||
				    store_begin(st) != 0)
					return 1;
				if (cred_add(st, no, "ag-demo", sec.pk,
				        "server") != 0 || store_commit(st) != 0) {
					store_rollback(st);
					return print_err("demo", "identifiant");
				}
				if (cred_url(u, sizeof u, host, "ag-demo",
				        sec.fragment) == 0)
					fprintf(df, "%s %s %s\n", no, u, sec.code);
				sodium_memzero(&sec, sizeof sec);
			}
			fclose(df);
			store_close(st);
			st = NULL;
		}
		char *a3[] = { "issue", "--data", (char *)dir, "--meeting",
			"ag-demo", "--host", host, "--out", out, "--codes",
			codes, "--association", "Association de démonstration",
			NULL };
		optind = 0;
		if (cmd_cred_issue(13, a3) != 0)
			return print_err("demo", "émission des identifiants");
	}
	o.datadir = dir;
	o.host = host;
	printf("\n=== Scrutin — démonstration (réunion ag-demo, profil %s)"
	    " ===\n\n", o.profile);
	if (make_link(&o, "ag-demo", "moderator", url, sizeof url) != 0)
		return 1;
	printf("Modérateur      : %s\n", url);
	for (unsigned j = 1; j <= 2; j++) {
		o.index = j;
		o.name = NULL;
		if (make_link(&o, "ag-demo", "enrol", url, sizeof url) == 0)
			printf("Scrutateur %u    : %s\n", j, url);
	}
	printf("Projecteur      : https://%s/p/#ag-demo\n", host);
	printf("Borne de vote   : https://%s/k/  (dans la salle : le membre"
	    " présente sa fiche QR)\n", host);
	printf("Fiches (QR)     : %s/sheets/  (codes : %s)\n", out, codes);
	{
		/* A few member links with their codes (demo only!). */
		char dm[4096], line[600];
		FILE *df;
		char first[512] = "";
		if (path_join(dm, sizeof dm, dir, "membres-demo.txt") == 0 &&
		    (df = fopen(dm, "r")) != NULL) {
			while (fgets(line, sizeof line, df) != NULL) {
				char *no = strtok(line, " "), *u = strtok(NULL,
				    " "), *code = strtok(NULL, " \n");
				if (no && u && code) {
					printf("Membre %s     : %s  code %s\n",
					    no, u, code);
					if (first[0] == '\0')
						snprintf(first, sizeof first,
						    "%s", u);
				}
			}
			fclose(df);
		}
		/* The first member's link as a QR code, to scan from the
		 * screen with a phone. */
		char *qt = first[0] ? qr_text(first) : NULL;
		if (qt != NULL) {
			printf("\nQR du premier membre (%s) :\n\n%s", first, qt);
			free(qt);
		}
	}
	printf("\nCertificat auto-signé : %s/tls-cert.pem. Arrêt : Ctrl-C.\n\n",
	    dir);
	fflush(stdout);
	char *a4[] = { "serve", "--data", (char *)dir, "--listen", listen,
		"--host", "127.0.0.1", NULL };
	optind = 0;
	return cmd_serve(7, a4);
}

static int cmd_help(int argc, char **argv);

static int
cmd_version(int argc, char **argv)
{
	printf("scrutin %s\n", SCRUTIN_VERSION);
	return 0;
}

/* ---- the command table ---- */

static const struct command {
	const char *group;	/* "roll", or NULL for a top-level command */
	const char *name;
	int (*fn)(int, char **);
	const char *help_fr;
} commands[] = {
	{ NULL, "serve", cmd_serve, "lance le serveur HTTPS (deux processus)" },
	{ NULL, "init", cmd_init,
	    "prépare le répertoire de données (bases, clé, certificat)" },
	{ "roll", "import", cmd_roll_import,
	    "importe ou met à jour la liste des adhérents (CSV)" },
	{ "roll", "list", cmd_roll_list, "affiche la liste des adhérents" },
	{ "roll", "history", cmd_roll_history,
	    "historique des versions d'un adhérent" },
	{ "cred", "issue", cmd_cred_issue,
	    "émet les identifiants de vote et les fiches à imprimer" },
	{ "cred", "offline", cmd_cred_offline,
	    "génère identifiants et fiches sur une autre machine" },
	{ "cred", "import-public", cmd_cred_import_public,
	    "importe la liste publique d'une génération hors ligne" },
	{ "cred", "revoke", cmd_cred_revoke, "révoque un identifiant" },
	{ "cred", "reissue", cmd_cred_reissue,
	    "révoque et remplace un identifiant perdu" },
	{ "cred", "list", cmd_cred_list, "liste les identifiants d'une réunion" },
	{ "meeting", "create", cmd_meeting_create,
	    "crée une réunion (profil des statuts, ordre du jour)" },
	{ "meeting", "show", cmd_meeting_show, "affiche une réunion (JSON)" },
	{ "meeting", "convene", cmd_meeting_convene,
	    "convoque : fige le registre de la réunion" },
	{ "meeting", "moderator-link", cmd_meeting_moderator_link,
	    "lien du modérateur (remplace le précédent)" },
	{ "meeting", "scrutineer-link", cmd_meeting_scrutineer_link,
	    "lien d'enrôlement d'un scrutateur" },
	{ "meeting", "start", cmd_meeting_start, "ouvre la séance" },
	{ "meeting", "end", cmd_meeting_end, "clôt la séance" },
	{ "meeting", "ceremony-reset", cmd_meeting_ceremony_reset,
	    "recommence la cérémonie des clés" },
	{ "question", "add", cmd_question_add,
	    "ajoute une ou des questions (JSON)" },
	{ "question", "open", cmd_question_open, "ouvre une question" },
	{ "question", "close", cmd_question_close, "clôt une question" },
	{ "question", "second-round", cmd_question_second_round,
	    "ouvre le second tour d'une élection à deux tours" },
	{ "record", "export", cmd_record_export,
	    "écrit le registre public d'une réunion (JSON lines)" },
	{ NULL, "demo", cmd_demo,
	    "démonstration : association, registre, réunion, puis serve" },
	{ NULL, "qr", cmd_qr, "fabrique un QR code (PNG, SVG)" },
	{ NULL, "events", cmd_events, "affiche le journal des événements" },
	{ NULL, "version", cmd_version, "affiche la version" },
	{ NULL, "help", cmd_help, "cette aide" },
};

static int
cmd_help(int argc, char **argv)
{
	printf("usage : scrutin COMMANDE [OPTIONS]\n\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		char name[48];
		snprintf(name, sizeof name, "%s%s%s",
		    commands[i].group ? commands[i].group : "",
		    commands[i].group ? " " : "", commands[i].name);
		printf("  %-20s %s\n", name, commands[i].help_fr);
	}
	printf("\nRépertoire de données : --data DIR, sinon $SCRUTIN_DATA,"
	    " sinon ./scrutin-data\n");
	return 0;
}

int
main(int argc, char **argv)
{
	if (sodium_init() < 0 || group_init() != 0) {
		fputs("scrutin: libsodium unavailable\n", stderr);
		return 1;
	}
	if (argc < 2)
		return cmd_help(argc, argv) == 0 ? 2 : 2;
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		const struct command *c = &commands[i];
		if (c->group == NULL && strcmp(argv[1], c->name) == 0)
			return c->fn(argc - 1, argv + 1);
		if (c->group != NULL && strcmp(argv[1], c->group) == 0 &&
		    argc >= 3 && strcmp(argv[2], c->name) == 0)
			return c->fn(argc - 2, argv + 2);
	}
	fprintf(stderr, "scrutin : commande inconnue (voir « scrutin help »)\n");
	return 2;
}

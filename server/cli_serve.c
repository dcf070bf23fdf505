/*
 * cli_serve.c — the commands that run the appliance: `scrutin serve`,
 * `scrutin init` and `scrutin demo`.
 *
 * serve is the parent of the server processes. Started as root (or by the
 * systemd unit, as the privileged user with a few capabilities), it
 * first hands the data directory to the privileged user and becomes it
 * (confine.c); otherwise it stays who it is. It prepares the data
 * directory (schema, TLS certificate and context) and forks the network process's
 * supervisor (supervise.c), which starts the network process (web.c) —
 * every descriptor closed but its channel and standard error before it
 * loads anything, so it never holds a database or the signing key — and
 * starts another when it dies. The parent becomes the privileged process
 * (priv.c) and only then opens the databases and the key.
 *
 * fingerprint prints the web apps' fingerprint (webfp.h) of the files
 * serve would serve; serve prints it too, at start.
 *
 * demo makes, once per demo directory (the data directory is its
 * donnees/, the sheets and codes beside it), a roll of 30 members, the meeting
 * ag-demo with its agenda, three members' links with their codes (a demo
 * only: printed on the terminal) and the others' sheets, through the same
 * handlers as the operator's commands; then prints the links and serves.
 *
 * Trusts the parsed options (cli.c); checks the host name and the
 * certificate/key pair itself. The demo's secrets are wiped once written.
 */
#include "server/cli.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "server/confine.h"
#include "server/cred.h"
#include "server/meeting.h"
#include "server/priv.h"
#include "server/qr.h"
#include "server/record.h"
#include "server/store.h"
#include "server/supervise.h"
#include "server/tls.h"
#include "server/web.h"
#include "server/webfp.h"

/* The TLS context, from --cert/--key or the data directory's own
 * (made on first use). NULL on error. */
static void *
serve_tls(const struct cli_args *a)
{
	char cert[4096], key[4096];

	if (a->cert != NULL)
		return tls_ctx_new(a->cert, a->key);
	if (tls_cert_ensure(a->datadir, a->server_host) != 0 ||
	    path_join(cert, sizeof cert, a->datadir, TLS_CERT_FILE) != 0 ||
	    path_join(key, sizeof key, a->datadir, TLS_KEY_FILE) != 0)
		return NULL;
	return tls_ctx_new(cert, key);
}

int
cli_serve(struct cli_args *a)
{
	struct web_config cfg = {
		.listen = a->listen, .assets = a->assets, .vendor = a->vendor,
		.threads = a->threads, .max_streams = a->max_streams,
		.rate = a->rate, .burst = a->burst,
		.request_timeout_ms = a->timeout_ms,
	};
	struct store *st = NULL;
	struct assets served;
	struct webfp fp;
	struct confine conf;
	void *ssl = NULL;
	int ctl, rc, loaded = 0;
	pid_t keeper, parent = getpid();

	if ((a->cert == NULL) != (a->key == NULL) ||
	    !cred_host_valid(a->server_host))
		return CLI_USAGE;
	log_set_role("scrutin");
	/* Given files are read as the user who started us (root may be the
	 * only one who can read a certificate's key, or the web apps); then,
	 * started as root, we become the privileged user (confine.c) before
	 * anything else. */
	if (a->cert != NULL && (ssl = serve_tls(a)) == NULL)
		return 1;
	/* The web apps, loaded once here: the network process serves these
	 * bytes (each one the supervisor starts, from its copy), the
	 * record's meeting.started names their fingerprint. */
	if (webfp_assets_load(&served, a->assets, a->vendor) != 0)
		goto fail;
	loaded = 1;
	if (confine_prepare(&conf, a->user, a->net_user, a->datadir) != 0)
		goto fail;
	/* Schema first, in this process, then closed before the fork. */
	if (store_open(&st, a->datadir) != 0)
		goto fail;
	store_close(st);
	if (ssl == NULL && (ssl = serve_tls(a)) == NULL)
		goto fail;
	cfg.ssl = ssl;
	cfg.priv_pid = parent;
	webfp_compute(&served, &fp);
	printf("Empreinte des applications web (web apps' fingerprint) :"
	    " %s\n", fp.hex);
	record_web_digest_set(fp.hex);
	webfp_free(&fp);
	cfg.served = &served;
	fflush(NULL);
	rc = supervise_start(&cfg, &conf, a->datadir, parent, &ctl, &keeper);
	assets_free(&served);
	tls_ctx_free(ssl);	/* the privileged process needs no TLS key */
	if (rc != 0)
		return 1;
	log_set_role("scrutin-priv");
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	if (confine_priv(&conf) != 0) {
		close(ctl);
		kill(keeper, SIGTERM);
		return 1;
	}
	rc = priv_run(ctl, a->datadir, keeper);
	return rc < 0 ? 1 : rc;
fail:
	if (loaded)
		assets_free(&served);
	tls_ctx_free(ssl);
	return 1;
}

int
cli_fingerprint(struct cli_args *a)
{
	struct assets as;
	struct webfp fp;
	json_t *doc;

	if (webfp_assets_load(&as, a->assets, a->vendor) != 0)
		return cli_err_print("fingerprint", "fichiers servis illisibles"
		    " (--assets, --vendor)");
	webfp_compute(&as, &fp);
	if (a->json) {
		doc = webfp_json(&fp);
		if (doc == NULL || json_dumpf(doc, stdout, JSON_INDENT(1)) != 0)
			abort();
		json_decref(doc);
		putchar('\n');
	} else {
		for (size_t i = 0; i < fp.n; i++) {
			char hex[65];
			xhex_encode(hex, sizeof hex, fp.f[i].sha256, 32);
			printf("%s  %s\n", hex, fp.f[i].path);
		}
		printf("empreinte des applications web : %s\n", fp.hex);
	}
	webfp_free(&fp);
	assets_free(&as);
	return 0;
}

int
cli_init(struct cli_args *a)
{
	struct store *st = NULL;
	uint8_t *sk = NULL, pk[32];
	char hex[65];
	struct confine conf;

	if (!cred_host_valid(a->server_host))
		return CLI_USAGE;
	if (a->create_users &&
	    confine_users_create(a->user, a->net_user) != 0)
		return 1;
	/* As root: the files made below are the privileged user's. */
	if (confine_prepare(&conf, a->user, a->net_user, a->datadir) != 0)
		return 1;
	if (store_open(&st, a->datadir) != 0)
		return 1;
	store_close(st);
	if (tls_cert_ensure(a->datadir, a->server_host) != 0 ||
	    priv_key_load(a->datadir, &sk, pk) != 0)
		return 1;
	sodium_free(sk);
	xhex_encode(hex, sizeof hex, pk, 32);
	printf("données : %s\nclé publique du serveur : %s\n", a->datadir,
	    hex);
	return 0;
}

/* ---- demo ---- */

#define DEMO_MEETING MEETING_DEMO_ID
#define DEMO_PROFILE "ballot-formats/profiles/a-imi.yaml"
/* Members 0001 … DEMO_LINKS get their link and code printed. */
#define DEMO_LINKS 3

static const char *demo_first[] = { "Marie", "Jean", "Sophie", "Pierre",
	"Camille", "Louis", "Léa", "Hugo", "Chloé", "Lucas" };
static const char *demo_last[] = { "Martin", "Bernard", "Dubois", "Thomas",
	"Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon",
	"Laurent", "Lefèvre", "Michel", "Garcia" };

/* The demo's files and addresses, all under its directory: the sheets,
 * the codes and the inputs there, the data directory in it (DIR/donnees:
 * cred issue writes nothing under a data directory). */
struct demo {
	const char *dir, *profile;
	char data[4096];		/* the data directory, DIR/donnees */
	int lan;			/* --lan: served on the machine's LAN address */
	char ip[INET_ADDRSTRLEN];	/* the address served and linked */
	char host[64], listen[64];
	char csv[4096], agenda[4096], out[4096], codes[4096], members[4096];
};

/* Whether port is free on the address ip (dotted IPv4). */
static int
demo_port_free(const char *ip, unsigned port)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0), ok;

	if (fd < 0)
		return 0;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, ip, &sa.sin_addr) != 1) {
		close(fd);
		return 0;
	}
	ok = bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
	close(fd);
	return ok;
}

/* The machine's address in a local network (its first interface up,
 * not loopback nor link-local, IPv4), for phones on the same Wi-Fi.
 * 0, or -1 when it has none. */
static int
demo_lan_address(char out[INET_ADDRSTRLEN])
{
	struct ifaddrs *all = NULL;
	int rc = -1;

	if (getifaddrs(&all) != 0)
		return -1;
	for (struct ifaddrs *i = all; i != NULL && rc != 0; i = i->ifa_next) {
		const struct sockaddr_in *sa;
		uint32_t a;

		if (i->ifa_addr == NULL || i->ifa_addr->sa_family != AF_INET ||
		    !(i->ifa_flags & IFF_UP) || (i->ifa_flags & IFF_LOOPBACK))
			continue;
		sa = (const struct sockaddr_in *)(const void *)i->ifa_addr;
		a = ntohl(sa->sin_addr.s_addr);
		if ((a >> 16) == 0xa9fe || (a >> 24) == 127)	/* 169.254/16 */
			continue;
		if (inet_ntop(AF_INET, &sa->sin_addr, out, INET_ADDRSTRLEN))
			rc = 0;
	}
	freeifaddrs(all);
	return rc;
}

static unsigned
demo_port_any(void)
{
	struct sockaddr_in sa;
	socklen_t l = sizeof sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	unsigned p = 0;

	if (fd < 0)
		return 0;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_ANY);	/* free on every address */
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sa, &l) == 0)
		p = ntohs(sa.sin_port);
	close(fd);
	return p;
}

/* 1 when the demo meeting exists in dir, 0 when not, -1 on error. */
static int
demo_meeting_exists(const char *dir)
{
	struct store *st = NULL;
	sqlite3_stmt *s;
	int exists;

	if (store_datadir_ensure(dir) != 0 || store_open(&st, dir) != 0)
		return -1;
	s = store_prepare(st->roll, "SELECT 1 FROM meetings WHERE id = '"
	    DEMO_MEETING "'");
	exists = s != NULL && sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	store_close(st);
	return exists;
}

/* A roll of 30 members of the A-IMI profile's categories, dues paid 30
 * days ago. */
static int
demo_roll_write(const char *path)
{
	time_t t = (time_t)now_unix() - 30 * 86400;
	struct tm tm;
	char dues[11];
	FILE *f;

	gmtime_r(&t, &tm);
	strftime(dues, sizeof dues, "%Y-%m-%d", &tm);
	if ((f = fopen(path, "w")) == NULL)
		return -1;
	fprintf(f, "numéro;nom;prénom;email;catégorie;cotisation\n");
	for (int i = 1; i <= 30; i++)
		fprintf(f, "%04d;%s;%s;membre%02d@exemple.org;%s;%s\n", i,
		    demo_last[i % 15], demo_first[i % 10], i,
		    i == 30 ? "sympathisant" : i <= 3 ? "fondateur" :
		    "adherent", dues);
	return fclose(f) == 0 ? 0 : -1;
}

/* Two motions and an election whose candidates are members 4 to 6. */
static int
demo_agenda_write(const char *path)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		return -1;
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
	return fclose(f) == 0 ? 0 : -1;
}

/* Members 0001 to 0003: credentials whose links and codes the demo
 * prints (a demo only), kept in d->members, one "NO URL CODE" a line. */
static int
demo_members_issue(const struct demo *d)
{
	struct store *st = NULL;
	FILE *f = NULL;
	int rc = -1;

	if (store_open(&st, d->data) != 0 ||
	    (f = fopen(d->members, "w")) == NULL)
		goto out;
	for (int i = 1; i <= DEMO_LINKS; i++) {
		struct cred_secret sec;
		char no[8], u[512];
		int ok;

		snprintf(no, sizeof no, "%04d", i);
		if (cred_make(&sec, DEMO_MEETING) != 0)
			goto out;
		ok = store_begin(st) == 0;
		ok = ok && cred_add(st, no, DEMO_MEETING, sec.pk, "server") == 0 &&
		    store_commit(st) == 0;
		if (!ok)
			store_rollback(st);
		else if (cred_url(u, sizeof u, d->host, DEMO_MEETING,
		    sec.fragment) == 0)
			fprintf(f, "%s %s %s\n", no, u, sec.code);
		sodium_memzero(&sec, sizeof sec);
		sodium_memzero(u, sizeof u);
		if (!ok)
			goto out;
	}
	rc = 0;
out:
	if (f != NULL && fclose(f) != 0)
		rc = -1;
	store_close(st);
	return rc;
}

/* The demo's data, made once: roll, meeting, convocation, credentials. */
static int
demo_setup(const struct demo *d)
{
	char mdate[11];
	char *csv[] = { (char *)d->csv }, *id[] = { DEMO_MEETING };
	time_t t = (time_t)now_unix() + 45 * 86400;
	struct tm tm;
	struct cli_args a;

	gmtime_r(&t, &tm);	/* the meeting in 45 days */
	strftime(mdate, sizeof mdate, "%Y-%m-%d", &tm);
	if (demo_roll_write(d->csv) != 0 || demo_agenda_write(d->agenda) != 0)
		return cli_err_print("demo", "écriture impossible");
	cli_args_init(&a);
	a.datadir = d->data;
	a.argv = csv;
	a.argc = 1;
	if (cli_roll_import(&a) != 0)
		return cli_err_print("demo", "import du registre");
	a.argv = id;
	a.id = DEMO_MEETING;
	a.title = "Assemblée générale de démonstration";
	a.date = mdate;
	a.profile = d->profile;
	a.agenda = d->agenda;
	if (cli_meeting_create(&a) != 0 || cli_meeting_convene(&a) != 0)
		return 1;
	if (demo_members_issue(d) != 0)
		return cli_err_print("demo", "identifiants de démo");
	cli_args_init(&a);
	a.datadir = d->data;
	a.meeting = DEMO_MEETING;
	a.host = d->host;
	a.out = d->out;
	a.codes = d->codes;
	a.association = "Association de démonstration";
	if (cli_cred_issue(&a) != 0)
		return cli_err_print("demo", "émission des identifiants");
	return 0;
}

/* The members' links with their codes, then the first one as a QR code,
 * to scan from the screen with a phone. */
static void
demo_members_print(const struct demo *d)
{
	char line[600], first[600] = "", *qt;
	FILE *f = fopen(d->members, "r");

	if (f != NULL) {
		while (fgets(line, sizeof line, f) != NULL) {
			char *no = strtok(line, " "), *u = strtok(NULL, " ");
			char *code = strtok(NULL, " \n");
			if (no == NULL || u == NULL || code == NULL)
				continue;
			/* The link as made at the set-up, at this run's
			 * address (--lan or not): the fragment is the
			 * credential, the host only where to reach it. */
			const char *path = strncmp(u, "https://", 8) == 0 ?
			    strchr(u + 8, '/') : NULL;
			char link[600];

			if (path == NULL)
				continue;
			snprintf(link, sizeof link, "https://%s%s", d->host, path);
			printf("Membre %s     : %s  code %s\n", no, link, code);
			if (first[0] == '\0')
				snprintf(first, sizeof first, "%s", link);
			sodium_memzero(link, sizeof link);
		}
		fclose(f);
	}
	qt = first[0] ? qr_text(first) : NULL;
	if (qt != NULL) {
		printf("\nQR du premier membre (%s) :\n\n%s", first, qt);
		free(qt);
	}
	sodium_memzero(line, sizeof line);
	sodium_memzero(first, sizeof first);
}

/* One integer from the store, or -1. */
static long
demo_count(struct store *st, const char *sql)
{
	sqlite3_stmt *s = store_prepare(st->roll, sql);
	long n = -1;

	if (s != NULL && sqlite3_step(s) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

/* What the demo holds, in the words the console and the projector use:
 * the roll, the credentials (the three above and the sheets'), the
 * members without a vote (the demo roll's sympathisant has a
 * consultative voice, A-IMI art. 5). */
static void
demo_counts_print(const struct demo *d)
{
	struct store *st = NULL;
	long members, creds, consult;

	if (store_open(&st, d->data) != 0)
		return;
	members = demo_count(st, "SELECT count(*) FROM members");
	consult = demo_count(st, "SELECT count(*) FROM members WHERE "
	    "category = 'sympathisant'");
	creds = demo_count(st, "SELECT count(*) FROM credentials WHERE "
	    "meeting = '" DEMO_MEETING "' AND status = 'active'");
	store_close(st);
	if (members < 0 || creds < 0 || consult < 0)
		return;
	printf("\nRegistre : %ld adhérents, dont %ld sympathisant%s (voix "
	    "consultative) : %ld votants. Identifiants de vote : %ld (%d "
	    "ci-dessus, %ld sur les fiches).\n", members, consult,
	    consult > 1 ? "s" : "", members - consult, creds, DEMO_LINKS,
	    creds - DEMO_LINKS);
}

static int
demo_links_print(const struct demo *d)
{
	char url[512];

	printf("\n=== Scrutin — démonstration (réunion " DEMO_MEETING
	    ", profil %s) ===\n\n", d->profile);
	if (cli_meeting_link_make(d->data, DEMO_MEETING, "moderator", 0, NULL,
	        d->host, url, sizeof url) != 0)
		return -1;
	printf("Modérateur      : %s\n", url);
	for (unsigned j = 1; j <= 2; j++)
		if (cli_meeting_link_make(d->data, DEMO_MEETING, "enrol", j, NULL,
		        d->host, url, sizeof url) == 0)
			printf("Scrutateur %u    : %s\n", j, url);
	if (cli_meeting_link_make(d->data, DEMO_MEETING, "desk", 0, NULL,
	        d->host, url, sizeof url) == 0)
		printf("Accueil         : %s  (procurations papier)\n", url);
	sodium_memzero(url, sizeof url);
	printf("Projecteur      : https://%s/p/#" DEMO_MEETING "\n", d->host);
	printf("Borne de vote   : https://%s/k/  (dans la salle : le membre"
	    " présente sa fiche QR)\n", d->host);
	printf("Fiches (QR)     : %s/sheets/  (codes : %s)\n", d->out,
	    d->codes);
	demo_members_print(d);
	demo_counts_print(d);
	if (d->lan)
		printf("\nRéseau local : les téléphones connectés au même Wi-Fi "
		    "ouvrent ces liens (https://%s). Ils afficheront d'abord un "
		    "avertissement : le certificat de la démonstration est "
		    "auto-signé ; acceptez-le pour continuer (« Paramètres "
		    "avancés », « Continuer vers le site »). Les fiches QR "
		    "imprimables gardent l'adresse de leur création : supprimez "
		    "%s pour les refaire.\n", d->host, d->dir);
	else
		printf("\nCes liens ne s'ouvrent que sur cette machine "
		    "(127.0.0.1). Pour les ouvrir depuis un téléphone du même "
		    "Wi-Fi : make demo DEMO_LAN=1 (ou scrutin demo --lan).\n");
	printf("\nCertificat auto-signé : %s/tls-cert.pem. Arrêt : Ctrl-C.\n\n",
	    d->data);
	fflush(stdout);
	return 0;
}

int
cli_demo(struct cli_args *a)
{
	struct demo d;
	unsigned port;
	int exists;

	/* Without --data (or with the default one): ./demo-data. */
	memset(&d, 0, sizeof d);
	d.dir = strcmp(a->datadir, cli_datadir_default()) == 0 ? "demo-data" :
	    a->datadir;
	d.profile = a->profile != NULL ? a->profile : DEMO_PROFILE;
	snprintf(d.ip, sizeof d.ip, "127.0.0.1");
	if (a->lan && demo_lan_address(d.ip) != 0)
		return cli_err_print("demo", "aucune adresse de réseau local : "
		    "connectez la machine au Wi-Fi ou au réseau de la salle, ou "
		    "lancez la démonstration sans --lan");
	port = a->port ? a->port :
	    (demo_port_free(d.ip, 8443) ? 8443 : demo_port_any());
	if (port == 0)
		return cli_err_print("demo", "aucun port libre");
	snprintf(d.listen, sizeof d.listen, "%s:%u", d.ip, port);
	snprintf(d.host, sizeof d.host, "%s:%u", d.ip, port);
	d.lan = a->lan;
	if (path_join(d.data, sizeof d.data, d.dir, "donnees") != 0 ||
	    store_datadir_ensure(d.dir) != 0 ||
	    (exists = demo_meeting_exists(d.data)) < 0 ||
	    path_join(d.out, sizeof d.out, d.dir, "fiches") != 0 ||
	    path_join(d.codes, sizeof d.codes, d.dir, "codes.csv") != 0 ||
	    path_join(d.csv, sizeof d.csv, d.dir, "adherents-demo.csv") != 0 ||
	    path_join(d.agenda, sizeof d.agenda, d.dir,
	        "ordre-du-jour.json") != 0 ||
	    path_join(d.members, sizeof d.members, d.dir,
	        "membres-demo.txt") != 0)
		return 1;
	if (!exists && demo_setup(&d) != 0)
		return 1;
	/* Run as root, serve becomes _scrutin (confine.c), which must reach
	 * donnees/ through the demo's directory: crossed, never listed. */
	if (geteuid() == 0 && chmod(d.dir, 0711) != 0)
		return cli_err_print("demo", "chmod du répertoire de démo");
	if (demo_links_print(&d) != 0)
		return 1;
	a->datadir = d.data;
	a->listen = d.listen;
	a->server_host = d.ip;
	return cli_serve(a);
}

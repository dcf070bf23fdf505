/*
 * cli.c — the machinery of the operator's commands: finds the command the
 * command line names in the table (scrutin.c), parses its options with
 * getopt_long against that command's struct option table, and prints
 * `scrutin help`, each command's --help and its usage line, all made from
 * the table and from the meaning of each option (cli_keys below: value
 * name, range, default, help text). It also holds what the handlers
 * share: JSON on stdout, the error line, rows of the roll database as a
 * JSON array.
 *
 * Trusts the table, which is static, and checks it as it uses it: an
 * option whose key is unknown here, or whose argument disagrees with its
 * key, aborts (a programming error, found by any --help of the command).
 * Trusts nothing of the command line: every number is checked against its
 * range, and the operands are counted, before a handler runs.
 *
 * Invariants: a usage error prints "usage : scrutin NAME USAGE" on stderr
 * and exits 2; --help and -h print the usage line and the options on
 * stdout and exit 0, for every command; an unknown command prints
 * « commande inconnue » and exits 2. getopt's own messages (an unknown
 * option, a missing value) name the command's last word, as they always
 * have.
 */
#include "server/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "server/store.h"

/*
 * What each option means, by key: the value's name in the help (NULL for
 * a flag, which takes none), its range when it is a number (lo..hi), the
 * default cli_args_init stores (NULL: none, or one the handler applies,
 * said in the help text), and the help text.
 */
static const struct cli_keyinfo {
	int key;
	const char *arg;
	unsigned lo, hi;
	const char *def;
	const char *help;
} cli_keys[] = {
	{ CLI_DATA, "DIR", 0, 0, NULL,
	    "répertoire de données (sinon $SCRUTIN_DATA, sinon"
	    " ./scrutin-data)" },
	{ CLI_JSON, NULL, 0, 0, NULL, "sortie en JSON" },
	{ CLI_LISTEN, "ADDR:PORT", 0, 0, "127.0.0.1:8443",
	    "adresse et port d'écoute" },
	{ CLI_SERVER_HOST, "NOM", 0, 0, "localhost",
	    "nom du serveur, inscrit dans son certificat" },
	{ CLI_CERT, "FICHIER", 0, 0, NULL,
	    "certificat TLS (PEM), avec --key ; sinon un certificat"
	    " auto-signé dans le répertoire de données" },
	{ CLI_KEY, "FICHIER", 0, 0, NULL, "clé privée du certificat (PEM)" },
	{ CLI_ASSETS, "DIR", 0, 0, "kiosk", "pages et scripts servis" },
	{ CLI_THREADS, "N", 2, 8192, "256", "fils de travail" },
	{ CLI_MAX_STREAMS, "N", 1, 65536, "4096",
	    "flux en direct ouverts à la fois" },
	{ CLI_RATE, "N", 1, 100000, "20",
	    "requêtes par seconde et par adresse" },
	{ CLI_BURST, "N", 1, 100000, "60",
	    "rafale de requêtes permise par adresse" },
	{ CLI_TIMEOUT_MS, "N", 1000, 600000, "10000",
	    "délai d'une requête, en millisecondes" },
	{ CLI_VENDOR, "DIR", 0, 0, NULL,
	    "bibliothèques servies (sinon ./node_modules)" },
	{ CLI_USER, "NOM", 0, 0, "_scrutin",
	    "lancé en root : utilisateur du processus privilégié (bases, clé)" },
	{ CLI_NET_USER, "NOM", 0, 0, "_scrutin-net",
	    "lancé en root : utilisateur du processus réseau, sans accès aux"
	    " données" },
	{ CLI_CREATE_USERS, NULL, 0, 0, NULL,
	    "crée les deux utilisateurs système s'ils manquent (root)" },
	{ CLI_DRY_RUN, NULL, 0, 0, NULL,
	    "vérifie le fichier sans rien enregistrer" },
	{ CLI_REMOVE_MISSING, NULL, 0, 0, NULL,
	    "retire les adhérents absents du fichier" },
	{ CLI_LANG, "fr|en", 0, 0, "fr", "langue des messages" },
	{ CLI_ALL, NULL, 0, 0, NULL, "avec les adhérents retirés" },
	{ CLI_MEETING, "ID", 0, 0, NULL,
	    "identifiant de la réunion (a-z, 0-9, . _ -)" },
	{ CLI_HOST, "HOTE", 0, 0, NULL,
	    "hôte des liens, tel que les membres l'écrivent (nom[:port])" },
	{ CLI_OUT, "DIR", 0, 0, NULL, "répertoire des fiches et des QR codes" },
	{ CLI_CODES, "FICHIER", 0, 0, NULL,
	    "liste des codes, à envoyer par un autre canal (sinon"
	    " codes.csv dans le répertoire --out)" },
	{ CLI_ASSOCIATION, "NOM", 0, 0, "",
	    "nom de l'association, imprimé sur les fiches" },
	{ CLI_ROLL, "FICHIER.csv", 0, 0, NULL, "liste des adhérents (CSV)" },
	{ CLI_MEMBER, "NUMERO", 0, 0, NULL, "numéro d'adhérent" },
	{ CLI_MEMBERS, "NUMERO", 0, 0, NULL,
	    "numéro d'adhérent, répétable (sinon tous les adhérents actifs"
	    " sans identifiant actif)" },
	{ CLI_REASON, "TEXTE", 0, 0, NULL, "motif de la révocation" },
	{ CLI_PNG, "FICHIER", 0, 0, NULL, "écrit le QR code en PNG" },
	{ CLI_SVG, "FICHIER", 0, 0, NULL, "écrit le QR code en SVG" },
	{ CLI_ID, "ID", 0, 0, NULL, "identifiant de la réunion" },
	{ CLI_TITLE, "TITRE", 0, 0, NULL, "titre de la réunion" },
	{ CLI_DATE, "AAAA-MM-JJ", 0, 0, NULL, "date de la réunion" },
	{ CLI_PROFILE, "FICHIER.yaml", 0, 0, NULL,
	    "profil des statuts de l'association" },
	{ CLI_BODY, "ID", 0, 0, "ag",
	    "instance des statuts qui se réunit (ag, ca…)" },
	{ CLI_AGENDA, "FICHIER.json", 0, 0, NULL, "ordre du jour" },
	{ CLI_TRUSTEES, "N", 1, 16, "2", "nombre de scrutateurs" },
	{ CLI_THRESHOLD, "T", 1, 16, "2",
	    "scrutateurs nécessaires au dépouillement" },
	{ CLI_QUORUM, "none|JSON", 0, 0, NULL,
	    "quorum, quand les statuts le laissent à la réunion" },
	{ CLI_INDEX, "J", 1, 16, NULL, "numéro du scrutateur" },
	{ CLI_NAME, "NOM", 0, 0, NULL, "nom du titulaire du lien" },
	{ CLI_CLOSES_AT, "UNIX", 0, 0, NULL,
	    "clôture automatique (secondes depuis 1970, UTC)" },
	{ CLI_NEW_ID, "NOUVELLE", 0, 0, NULL,
	    "identifiant de la question du second tour" },
	{ CLI_NEW_TITLE, "TITRE", 0, 0, NULL,
	    "titre de la question du second tour" },
	{ CLI_PORT, "P", 1, 65535, NULL,
	    "port d'écoute (sinon 8443 s'il est libre, sinon un port libre)" },
	{ CLI_LAN, NULL, 0, 0, NULL,
	    "sert sur l'adresse de la machine dans le réseau local (Wi-Fi) : "
	    "les liens et le QR y mènent, pour un téléphone" },
	{ CLI_PLACE, "LIEU", 0, 0, NULL, "lieu de la réunion (procès-verbal)" },
	{ CLI_TIME, "HH:MM", 0, 0, NULL,
	    "heure de convocation (procès-verbal)" },
	{ CLI_PRESIDENT, "\"Prénom Nom\"", 0, 0, NULL,
	    "président(e) de séance (procès-verbal)" },
	{ CLI_SECRETARY, "\"Prénom Nom\"", 0, 0, NULL,
	    "secrétaire de séance (procès-verbal)" },
	{ CLI_PRESIDENT_MEMBER, "NUMERO", 0, 0, NULL,
	    "numéro d'adhérent du président de l'association (voix"
	    " prépondérante des statuts)" },
	{ CLI_GIVER, "NUMERO", 0, 0, NULL,
	    "numéro d'adhérent du mandant (procuration papier)" },
	{ CLI_HOLDER, "NUMERO", 0, 0, NULL,
	    "numéro d'adhérent du mandataire (procuration papier)" },
	{ CLI_SECOND_CONVOCATION, NULL, 0, 0, NULL,
	    "seconde convocation : la première réunion n'a pas atteint le"
	    " quorum (avec --first-meeting-date)" },
	{ CLI_FIRST_MEETING_DATE, "AAAA-MM-JJ", 0, 0, NULL,
	    "date de la première réunion, sans quorum (seconde"
	    " convocation)" },
	{ CLI_DEMO_PROFILE, "FICHIER.yaml", 0, 0, NULL,
	    "profil des statuts (sinon"
	    " ballot-formats/profiles/a-imi.yaml)" },
};

static const struct cli_keyinfo *
cli_key_find(int key)
{
	for (size_t i = 0; i < sizeof cli_keys / sizeof cli_keys[0]; i++)
		if (cli_keys[i].key == key)
			return &cli_keys[i];
	return NULL;
}

static int
cli_uint_parse(const char *s, unsigned lo, unsigned hi, unsigned *out)
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

/* Stores option key's value v (NULL for a flag). Returns 0, or -1 when
 * the key is unknown or the value out of its range. */
static int
cli_args_set(struct cli_args *a, int key, const char *v)
{
	const struct cli_keyinfo *k = cli_key_find(key);
	unsigned *u = NULL;

	switch (key) {
	case CLI_DATA: a->datadir = v; break;
	case CLI_JSON: a->json = 1; break;
	case CLI_LISTEN: a->listen = v; break;
	case CLI_SERVER_HOST: a->server_host = v; break;
	case CLI_CERT: a->cert = v; break;
	case CLI_KEY: a->key = v; break;
	case CLI_ASSETS: a->assets = v; break;
	case CLI_VENDOR: a->vendor = v; break;
	case CLI_USER: a->user = v; break;
	case CLI_NET_USER: a->net_user = v; break;
	case CLI_CREATE_USERS: a->create_users = 1; break;
	case CLI_THREADS: u = &a->threads; break;
	case CLI_MAX_STREAMS: u = &a->max_streams; break;
	case CLI_RATE: u = &a->rate; break;
	case CLI_BURST: u = &a->burst; break;
	case CLI_TIMEOUT_MS: u = &a->timeout_ms; break;
	case CLI_DRY_RUN: a->dry_run = 1; break;
	case CLI_REMOVE_MISSING: a->remove_missing = 1; break;
	case CLI_LANG:
		if (strcmp(v, "fr") == 0)
			a->lang = ROLL_FR;
		else if (strcmp(v, "en") == 0)
			a->lang = ROLL_EN;
		else
			return -1;
		break;
	case CLI_ALL: a->all = 1; break;
	case CLI_MEETING: a->meeting = v; break;
	case CLI_HOST: a->host = v; break;
	case CLI_OUT: a->out = v; break;
	case CLI_CODES: a->codes = v; break;
	case CLI_ASSOCIATION: a->association = v; break;
	case CLI_ROLL: a->roll = v; break;
	case CLI_MEMBER: case CLI_MEMBERS: a->members[a->nmembers++] = v; break;
	case CLI_REASON: a->reason = v; break;
	case CLI_PNG: a->png = v; break;
	case CLI_SVG: a->svg = v; break;
	case CLI_ID: a->id = v; break;
	case CLI_TITLE: a->title = v; break;
	case CLI_DATE: a->date = v; break;
	case CLI_PROFILE: case CLI_DEMO_PROFILE: a->profile = v; break;
	case CLI_BODY: a->body = v; break;
	case CLI_AGENDA: a->agenda = v; break;
	case CLI_TRUSTEES: u = &a->trustees; break;
	case CLI_THRESHOLD: u = &a->threshold; break;
	case CLI_QUORUM: a->quorum = v; break;
	case CLI_INDEX: u = &a->index; break;
	case CLI_NAME: a->name = v; break;
	case CLI_CLOSES_AT: a->closes_at = v; break;
	case CLI_NEW_ID: a->new_id = v; break;
	case CLI_NEW_TITLE: a->new_title = v; break;
	case CLI_PORT: u = &a->port; break;
	case CLI_LAN: a->lan = 1; break;
	case CLI_PLACE: a->place = v; break;
	case CLI_TIME: a->time = v; break;
	case CLI_PRESIDENT: a->president = v; break;
	case CLI_SECRETARY: a->secretary = v; break;
	case CLI_PRESIDENT_MEMBER: a->president_member = v; break;
	case CLI_GIVER: a->giver = v; break;
	case CLI_HOLDER: a->holder = v; break;
	case CLI_SECOND_CONVOCATION: a->second_convocation = 1; break;
	case CLI_FIRST_MEETING_DATE: a->first_meeting_date = v; break;
	default: return -1;
	}
	return u == NULL ? 0 : cli_uint_parse(v, k->lo, k->hi, u);
}

const char *
cli_datadir_default(void)
{
	const char *d = getenv("SCRUTIN_DATA");

	return (d != NULL && d[0] != '\0') ? d : "scrutin-data";
}

void
cli_args_init(struct cli_args *a)
{
	memset(a, 0, sizeof *a);
	a->datadir = cli_datadir_default();
	a->lang = ROLL_FR;
	for (size_t i = 0; i < sizeof cli_keys / sizeof cli_keys[0]; i++)
		if (cli_keys[i].def != NULL &&
		    cli_args_set(a, cli_keys[i].key, cli_keys[i].def) != 0)
			abort();	/* a default out of its own range */
}

void
cli_args_free(struct cli_args *a)
{
	free(a->members);
	a->members = NULL;
	a->nmembers = 0;
}

/* The command's getopt_long table with --help added; aborts on an entry
 * the keys above do not describe. The caller frees it. */
static struct option *
cli_options_build(const struct cli_command *c)
{
	size_t n = 0;
	struct option *o;

	while (c->options != NULL && c->options[n].name != NULL)
		n++;
	o = xcalloc(n + 2, sizeof *o);
	for (size_t i = 0; i < n; i++) {
		const struct cli_keyinfo *k = cli_key_find(c->options[i].val);
		if (k == NULL || c->options[i].flag != NULL ||
		    (k->arg == NULL) != (c->options[i].has_arg == no_argument)) {
			fprintf(stderr, "scrutin %s : option --%s mal déclarée\n",
			    c->name, c->options[i].name);
			abort();
		}
		o[i] = c->options[i];
	}
	o[n] = (struct option){ "help", no_argument, NULL, 'h' };
	return o;
}

/* Returns 0 (run the handler), 'h' (--help or -h) or -1 (usage error). */
static int
cli_args_parse(struct cli_args *a, const struct cli_command *c, int argc,
    char **argv)
{
	struct option *lo = cli_options_build(c);
	int o, rc = 0;

	/* Each --member takes a word of argv: argc places are enough. */
	a->members = xcalloc((size_t)argc + 1, sizeof *a->members);
	optind = 0;	/* glibc: start afresh, argv[0] is the command */
	while (rc == 0 && (o = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		if (o == 'h')
			rc = 'h';
		else if (cli_args_set(a, o, optarg) != 0)
			rc = -1;
	}
	if (rc == 0) {
		a->argv = argv + optind;
		a->argc = argc - optind;
		if (c->nargs >= 0 && a->argc != c->nargs)
			rc = -1;
	}
	free(lo);
	return rc;
}

static void
cli_usage_print(const struct cli_command *c, FILE *f)
{
	fprintf(f, "usage : scrutin %s%s%s\n", c->name,
	    c->usage[0] != '\0' ? " " : "", c->usage);
}

/* `scrutin NAME --help`: usage, summary, one line an option. */
static void
cli_command_help(const struct cli_command *c)
{
	int w = (int)strlen("-h, --help");
	char left[64];

	for (size_t i = 0; c->options != NULL && c->options[i].name; i++) {
		const struct cli_keyinfo *k = cli_key_find(c->options[i].val);
		int n = snprintf(left, sizeof left, "--%s%s%s",
		    c->options[i].name, k->arg ? " " : "", k->arg ? k->arg : "");
		if (n > w)
			w = n;
	}
	cli_usage_print(c, stdout);
	printf("\n%s.\n\nOptions :\n", c->summary);
	for (size_t i = 0; c->options != NULL && c->options[i].name; i++) {
		const struct cli_keyinfo *k = cli_key_find(c->options[i].val);
		snprintf(left, sizeof left, "--%s%s%s", c->options[i].name,
		    k->arg ? " " : "", k->arg ? k->arg : "");
		int def = k->def != NULL && k->def[0] != '\0';
		printf("  %-*s  %s", w, left, k->help);
		if (k->hi != 0)
			printf(" (%u à %u%s", k->lo, k->hi, def ? ", " : ")");
		if (def)
			printf("%sdéfaut : %s)", k->hi != 0 ? "" : " (", k->def);
		printf("\n");
	}
	printf("  %-*s  %s\n", w, "-h, --help", "cette aide");
}

/* The command that argv[0] (and argv[1]) name, or NULL; *words says how
 * many words its name took. */
static const struct cli_command *
cli_command_find(int argc, char **argv, int *words)
{
	for (size_t i = 0; i < cli_ncommands; i++) {
		const char *n = cli_commands[i].name, *sp = strchr(n, ' ');
		size_t gl = sp != NULL ? (size_t)(sp - n) : 0;

		if (sp == NULL && argc >= 1 && strcmp(argv[0], n) == 0) {
			*words = 1;
			return &cli_commands[i];
		}
		if (sp != NULL && argc >= 2 && strlen(argv[0]) == gl &&
		    strncmp(argv[0], n, gl) == 0 && strcmp(argv[1], sp + 1) == 0) {
			*words = 2;
			return &cli_commands[i];
		}
	}
	return NULL;
}

static int
cli_unknown(void)
{
	fprintf(stderr, "scrutin : commande inconnue (voir « scrutin help »)\n");
	return 2;
}

/* Parses argv (argv[0]: the command's last word) and runs the command. */
static int
cli_command_run(const struct cli_command *c, int argc, char **argv)
{
	struct cli_args a;
	int rc;

	cli_args_init(&a);
	switch (cli_args_parse(&a, c, argc, argv)) {
	case 'h':
		cli_command_help(c);
		rc = 0;
		break;
	case 0:
		rc = c->run(&a);
		break;
	default:
		rc = CLI_USAGE;
		break;
	}
	if (rc == CLI_USAGE) {
		cli_usage_print(c, stderr);
		rc = 2;
	}
	cli_args_free(&a);
	return rc;
}

static void
cli_help_print(void)
{
	int w = 0;

	for (size_t i = 0; i < cli_ncommands; i++)
		if ((int)strlen(cli_commands[i].name) > w)
			w = (int)strlen(cli_commands[i].name);
	printf("usage : scrutin COMMANDE [OPTIONS]\n\nCommandes (%zu) :\n",
	    cli_ncommands);
	for (size_t i = 0; i < cli_ncommands; i++)
		printf("  %-*s  %s\n", w, cli_commands[i].name,
		    cli_commands[i].summary);
	printf("\nAide d'une commande : scrutin COMMANDE --help\n"
	    "Répertoire de données : --data DIR, sinon $SCRUTIN_DATA,"
	    " sinon ./scrutin-data\n");
}

/* `scrutin help [COMMANDE]`. */
int
cli_help(struct cli_args *a)
{
	const struct cli_command *c;
	int words = 0;

	if (a->argc == 0) {
		cli_help_print();
		return 0;
	}
	c = cli_command_find(a->argc, a->argv, &words);
	if (c == NULL || words != a->argc)
		return cli_unknown();
	cli_command_help(c);
	return 0;
}

int
cli_version(struct cli_args *a)
{
	printf("scrutin %s\n", SCRUTIN_VERSION);
	return 0;
}

int
cli_main(int argc, char **argv)
{
	const struct cli_command *c;
	int words = 0;

	if (argc < 2) {
		cli_help_print();
		return 2;
	}
	c = cli_command_find(argc - 1, argv + 1, &words);
	if (c == NULL)
		return cli_unknown();
	return cli_command_run(c, argc - words, argv + words);
}

void
cli_json_print(json_t *doc)
{
	char *t = json_dumps(doc, JSON_INDENT(2) | JSON_ENSURE_ASCII);

	if (t != NULL) {
		puts(t);
		free(t);
	}
	json_decref(doc);
}

int
cli_err_print(const char *what, const char *err)
{
	fprintf(stderr, "scrutin %s : %s\n", what, err);
	return 1;
}

int
cli_rows_json(const char *datadir, const char *sql, const char *param,
    json_t *(*row)(sqlite3_stmt *s), json_t **out)
{
	struct store *st = NULL;
	sqlite3_stmt *s = NULL;
	json_t *arr = json_array(), *e;
	int rc = -1;

	if (store_open(&st, datadir) != 0 ||
	    (s = store_prepare(st->roll, sql)) == NULL ||
	    (param != NULL && store_bind_text(s, 1, param) != 0))
		goto out;
	while (sqlite3_step(s) == SQLITE_ROW) {
		if ((e = row(s)) == NULL)
			goto out;
		json_array_append_new(arr, e);
	}
	rc = 0;
out:
	sqlite3_finalize(s);
	store_close(st);
	if (rc != 0) {
		json_decref(arr);
		arr = NULL;
	}
	*out = arr;
	return rc;
}

/*
 * scrutin.c — the `scrutin` program: one binary, several commands, all
 * listed here in one table, as git's git.c lists its builtins.
 *
 * This file is the table and main(), and nothing else: each line says a
 * command's name, its line in `scrutin help`, its usage, its handler, its
 * getopt_long options and how many operands it takes, so that the whole
 * command line the operator sees is read in one place. The parser, the
 * help and the dispatch are in cli.c; the handlers in cli_serve.c (serve,
 * init, demo), cli_roll.c, cli_cred.c (credentials and QR codes),
 * cli_meeting.c (meetings and questions) and cli_record.c (events,
 * record export).
 *
 * `scrutin serve` is the parent of the two server processes (cli_serve.c);
 * the other commands are the operator's: they run as the operator, open
 * the store directly, and record every change with store_event_record.
 *
 * To add a command: a handler in the cli_*.c file of its concern, declared
 * in cli.h, and a line (with its option table) below; an option whose
 * meaning is new needs a key in cli.h and its help in cli.c.
 *
 * Invariants: every option's val is an enum cli_key whose argument agrees
 * with has_arg (cli.c aborts otherwise, on the command's first use); the
 * names keep the spelling of every existing invocation.
 */
#include "server/cli.h"

#include <stdio.h>

#include <sodium.h>

#include "crypto/group.h"
#include "server/storage.h"

#define OPT_END { NULL, 0, NULL, 0 }
#define OPT_DATA { "data", required_argument, NULL, CLI_DATA }
#define OPT_JSON { "json", no_argument, NULL, CLI_JSON }
#define OPT_USERS { "user", required_argument, NULL, CLI_USER }, \
	{ "net-user", required_argument, NULL, CLI_NET_USER }

static const struct option serve_opts[] = {
	OPT_DATA,
	{ "listen", required_argument, NULL, CLI_LISTEN },
	{ "host", required_argument, NULL, CLI_SERVER_HOST },
	{ "cert", required_argument, NULL, CLI_CERT },
	{ "key", required_argument, NULL, CLI_KEY },
	{ "assets", required_argument, NULL, CLI_ASSETS },
	{ "threads", required_argument, NULL, CLI_THREADS },
	{ "max-streams", required_argument, NULL, CLI_MAX_STREAMS },
	{ "rate", required_argument, NULL, CLI_RATE },
	{ "burst", required_argument, NULL, CLI_BURST },
	{ "timeout-ms", required_argument, NULL, CLI_TIMEOUT_MS },
	{ "vendor", required_argument, NULL, CLI_VENDOR },
	OPT_USERS,
	OPT_END,
};
static const struct option init_opts[] = {
	OPT_DATA, { "host", required_argument, NULL, CLI_SERVER_HOST },
	OPT_USERS, { "create-users", no_argument, NULL, CLI_CREATE_USERS },
	OPT_END,
};
static const struct option roll_import_opts[] = {
	OPT_DATA,
	{ "dry-run", no_argument, NULL, CLI_DRY_RUN },
	{ "remove-missing", no_argument, NULL, CLI_REMOVE_MISSING },
	OPT_JSON,
	{ "lang", required_argument, NULL, CLI_LANG },
	OPT_END,
};
static const struct option roll_list_opts[] = {
	OPT_DATA, OPT_JSON, { "all", no_argument, NULL, CLI_ALL }, OPT_END,
};
static const struct option data_opts[] = { OPT_DATA, OPT_END };
static const struct option cred_issue_opts[] = {
	OPT_DATA,
	{ "meeting", required_argument, NULL, CLI_MEETING },
	{ "host", required_argument, NULL, CLI_HOST },
	{ "out", required_argument, NULL, CLI_OUT },
	{ "codes", required_argument, NULL, CLI_CODES },
	{ "association", required_argument, NULL, CLI_ASSOCIATION },
	{ "member", required_argument, NULL, CLI_MEMBERS },
	{ "assets", required_argument, NULL, CLI_ASSETS },
	{ "vendor", required_argument, NULL, CLI_VENDOR },
	OPT_END,
};
static const struct option cred_offline_opts[] = {
	{ "roll", required_argument, NULL, CLI_ROLL },
	{ "meeting", required_argument, NULL, CLI_MEETING },
	{ "host", required_argument, NULL, CLI_HOST },
	{ "out", required_argument, NULL, CLI_OUT },
	{ "codes", required_argument, NULL, CLI_CODES },
	{ "association", required_argument, NULL, CLI_ASSOCIATION },
	{ "assets", required_argument, NULL, CLI_ASSETS },
	{ "vendor", required_argument, NULL, CLI_VENDOR },
	OPT_END,
};
static const struct option cred_revoke_opts[] = {
	OPT_DATA,
	{ "meeting", required_argument, NULL, CLI_MEETING },
	{ "member", required_argument, NULL, CLI_MEMBER },
	{ "reason", required_argument, NULL, CLI_REASON },
	OPT_END,
};
static const struct option cred_reissue_opts[] = {
	OPT_DATA,
	{ "meeting", required_argument, NULL, CLI_MEETING },
	{ "member", required_argument, NULL, CLI_MEMBER },
	{ "reason", required_argument, NULL, CLI_REASON },
	{ "host", required_argument, NULL, CLI_HOST },
	{ "out", required_argument, NULL, CLI_OUT },
	{ "codes", required_argument, NULL, CLI_CODES },
	{ "association", required_argument, NULL, CLI_ASSOCIATION },
	{ "assets", required_argument, NULL, CLI_ASSETS },
	{ "vendor", required_argument, NULL, CLI_VENDOR },
	OPT_END,
};
static const struct option cred_list_opts[] = {
	OPT_DATA, { "meeting", required_argument, NULL, CLI_MEETING },
	OPT_JSON, OPT_END,
};
static const struct option qr_opts[] = {
	{ "png", required_argument, NULL, CLI_PNG },
	{ "svg", required_argument, NULL, CLI_SVG },
	OPT_END,
};
static const struct option meeting_create_opts[] = {
	OPT_DATA,
	{ "id", required_argument, NULL, CLI_ID },
	{ "title", required_argument, NULL, CLI_TITLE },
	{ "date", required_argument, NULL, CLI_DATE },
	{ "profile", required_argument, NULL, CLI_PROFILE },
	{ "body", required_argument, NULL, CLI_BODY },
	{ "agenda", required_argument, NULL, CLI_AGENDA },
	{ "trustees", required_argument, NULL, CLI_TRUSTEES },
	{ "threshold", required_argument, NULL, CLI_THRESHOLD },
	{ "quorum", required_argument, NULL, CLI_QUORUM },
	{ "association", required_argument, NULL, CLI_ASSOCIATION },
	{ "place", required_argument, NULL, CLI_PLACE },
	{ "time", required_argument, NULL, CLI_TIME },
	{ "president", required_argument, NULL, CLI_PRESIDENT },
	{ "secretary", required_argument, NULL, CLI_SECRETARY },
	{ "president-member", required_argument, NULL, CLI_PRESIDENT_MEMBER },
	{ "second-convocation", no_argument, NULL, CLI_SECOND_CONVOCATION },
	{ "first-meeting-date", required_argument, NULL,
	    CLI_FIRST_MEETING_DATE },
	OPT_END,
};
static const struct option meeting_show_opts[] = {
	OPT_DATA, OPT_JSON, OPT_END,
};
static const struct option moderator_link_opts[] = {
	OPT_DATA,
	{ "host", required_argument, NULL, CLI_HOST },
	{ "name", required_argument, NULL, CLI_NAME },
	OPT_END,
};
static const struct option scrutineer_link_opts[] = {
	OPT_DATA,
	{ "host", required_argument, NULL, CLI_HOST },
	{ "index", required_argument, NULL, CLI_INDEX },
	{ "name", required_argument, NULL, CLI_NAME },
	OPT_END,
};
static const struct option desk_link_opts[] = {
	OPT_DATA,
	{ "host", required_argument, NULL, CLI_HOST },
	OPT_END,
};
static const struct option proxy_paper_opts[] = {
	OPT_DATA,
	{ "meeting", required_argument, NULL, CLI_MEETING },
	{ "giver", required_argument, NULL, CLI_GIVER },
	{ "holder", required_argument, NULL, CLI_HOLDER },
	OPT_END,
};
static const struct option question_open_opts[] = {
	OPT_DATA, { "closes-at", required_argument, NULL, CLI_CLOSES_AT },
	OPT_END,
};
static const struct option second_round_opts[] = {
	OPT_DATA,
	{ "id", required_argument, NULL, CLI_NEW_ID },
	{ "title", required_argument, NULL, CLI_NEW_TITLE },
	OPT_END,
};
static const struct option revote_opts[] = {
	OPT_DATA, OPT_JSON,
	{ "id", required_argument, NULL, CLI_NEW_ID },
	{ "title", required_argument, NULL, CLI_NEW_TITLE },
	OPT_END,
};
static const struct option demo_opts[] = {
	OPT_DATA,
	{ "port", required_argument, NULL, CLI_PORT },
	{ "lan", no_argument, NULL, CLI_LAN },
	{ "profile", required_argument, NULL, CLI_DEMO_PROFILE },
	OPT_USERS,
	OPT_END,
};
static const struct option fingerprint_opts[] = {
	{ "assets", required_argument, NULL, CLI_ASSETS },
	{ "vendor", required_argument, NULL, CLI_VENDOR },
	OPT_JSON,
	OPT_END,
};
static const struct option no_opts[] = { OPT_END };

const struct cli_command cli_commands[] = {
	{ "serve", "lance le serveur HTTPS (processus réseau, superviseur et processus privilégié)",
	    "[--data DIR] [--listen ADDR:PORT] [--host NOM] [--cert FICHIER"
	    " --key FICHIER] [--assets DIR] [--threads N] [--max-streams N]"
	    " [--rate N] [--burst N] [--timeout-ms N] [--vendor DIR]"
	    " [--user NOM] [--net-user NOM]",
	    cli_serve, serve_opts, 0 },
	{ "fingerprint", "empreinte des applications web servies (SHA-256)",
	    "[--assets DIR] [--vendor DIR] [--json]", cli_fingerprint,
	    fingerprint_opts, 0 },
	{ "init", "prépare le répertoire de données (bases, clé, certificat)",
	    "[--data DIR] [--host NOM] [--user NOM] [--net-user NOM]"
	    " [--create-users]", cli_init, init_opts, 0 },
	{ "roll import", "importe ou met à jour la liste des adhérents (CSV)",
	    "[--data DIR] [--dry-run] [--remove-missing] [--json]"
	    " [--lang fr|en] FICHIER.csv", cli_roll_import, roll_import_opts, 1 },
	{ "roll list", "affiche la liste des adhérents",
	    "[--data DIR] [--all] [--json]", cli_roll_list, roll_list_opts, 0 },
	{ "roll history", "historique des versions d'un adhérent",
	    "[--data DIR] NUMERO", cli_roll_history, data_opts, 1 },
	{ "cred issue", "émet les identifiants de vote et les fiches à imprimer",
	    "[--data DIR] --meeting ID --host NOM --out DIR [--codes FICHIER]"
	    " [--association NOM] [--member NUMERO]... [--assets DIR]"
	    " [--vendor DIR]",
	    cli_cred_issue, cred_issue_opts, 0 },
	{ "cred offline", "génère identifiants et fiches sur une autre machine",
	    "--roll FICHIER.csv --meeting ID --host NOM --out DIR"
	    " [--codes FICHIER] [--association NOM] [--assets DIR]"
	    " [--vendor DIR]",
	    cli_cred_offline, cred_offline_opts, 0 },
	{ "cred import-public",
	    "importe la liste publique d'une génération hors ligne",
	    "[--data DIR] public.json", cli_cred_import_public, data_opts, 1 },
	{ "cred revoke", "révoque un identifiant",
	    "[--data DIR] --meeting ID --member NUMERO --reason TEXTE",
	    cli_cred_revoke, cred_revoke_opts, 0 },
	{ "cred reissue", "révoque et remplace un identifiant perdu",
	    "[--data DIR] --meeting ID --member NUMERO --reason TEXTE"
	    " --host NOM --out DIR [--codes FICHIER] [--association NOM]"
	    " [--assets DIR] [--vendor DIR]",
	    cli_cred_reissue, cred_reissue_opts, 0 },
	{ "cred list", "liste les identifiants d'une réunion",
	    "[--data DIR] --meeting ID [--json]", cli_cred_list,
	    cred_list_opts, 0 },
	{ "meeting create", "crée une réunion (profil des statuts, ordre du jour)",
	    "--id ID --title TITRE --date AAAA-MM-JJ --profile FICHIER.yaml"
	    " [--body ag] [--agenda FICHIER.json] [--trustees N --threshold T]"
	    " [--quorum none|JSON] [--association NOM] [--place LIEU]"
	    " [--time HH:MM] [--president NOM] [--secretary NOM]"
	    " [--president-member NUMERO]"
	    " [--second-convocation --first-meeting-date AAAA-MM-JJ]"
	    " [--data DIR]",
	    cli_meeting_create, meeting_create_opts, 0 },
	{ "meeting show", "affiche une réunion (JSON)",
	    "ID [--data DIR] [--json]", cli_meeting_show, meeting_show_opts, 1 },
	{ "meeting convene", "convoque : fige le registre de la réunion",
	    "ID [--data DIR]", cli_meeting_convene, data_opts, 1 },
	{ "meeting moderator-link", "lien du modérateur (remplace le précédent)",
	    "ID --host HOTE [--name NOM] [--data DIR]",
	    cli_meeting_moderator_link, moderator_link_opts, 1 },
	{ "meeting scrutineer-link", "lien d'enrôlement d'un scrutateur",
	    "ID --index J --host HOTE [--name NOM] [--data DIR]",
	    cli_meeting_scrutineer_link, scrutineer_link_opts, 1 },
	{ "meeting desk-link", "lien de l'accueil (procurations papier ;"
	    " remplace le précédent)", "ID --host HOTE [--data DIR]",
	    cli_meeting_desk_link, desk_link_opts, 1 },
	{ "proxy paper", "saisit une procuration papier reçue à l'accueil",
	    "--meeting ID --giver NUMERO --holder NUMERO [--data DIR]",
	    cli_proxy_paper, proxy_paper_opts, 0 },
	{ "meeting mailin-open", "ouvre le vote par correspondance (motions de"
	    " l'ordre du jour ; fige la liste)",
	    "ID --closes-at UNIX [--data DIR]", cli_meeting_mailin_open,
	    question_open_opts, 1 },
	{ "meeting start", "ouvre la séance", "ID [--data DIR]",
	    cli_meeting_start, data_opts, 1 },
	{ "meeting end", "clôt la séance", "ID [--data DIR]",
	    cli_meeting_end, data_opts, 1 },
	{ "meeting ceremony-reset", "recommence la cérémonie des clés",
	    "ID [--data DIR]", cli_meeting_ceremony_reset, data_opts, 1 },
	{ "question add", "ajoute une ou des questions (JSON)",
	    "ID FICHIER.json [--data DIR]", cli_question_add, data_opts, 2 },
	{ "question open", "ouvre une question",
	    "ID QUESTION [--closes-at UNIX] [--data DIR]",
	    cli_question_open, question_open_opts, 2 },
	{ "question close", "clôt une question", "ID QUESTION [--data DIR]",
	    cli_question_close, data_opts, 2 },
	{ "question second-round",
	    "ouvre le second tour d'une élection à deux tours",
	    "ID QUESTION [--id NOUVELLE] [--title TITRE] [--data DIR]",
	    cli_question_second_round, second_round_opts, 2 },
	{ "question revote",
	    "nouveau vote entre les candidats ex æquo d'une élection",
	    "ID QUESTION [--id NOUVELLE] [--title TITRE] [--json] [--data DIR]",
	    cli_question_revote, revote_opts, 2 },
	{ "record export",
	    "écrit le registre public d'une réunion (JSON lines)",
	    "ID [--data DIR]", cli_record_export, data_opts, 1 },
	{ "demo", "démonstration : association, registre, réunion, puis serve",
	    "[--data DIR] [--port P] [--lan] [--profile FICHIER.yaml]"
	    " [--user NOM] [--net-user NOM]", cli_demo, demo_opts, 0 },
	{ "qr", "fabrique un QR code (PNG, SVG)",
	    "[--png FICHIER] [--svg FICHIER] TEXTE", cli_qr, qr_opts, 1 },
	{ "events", "affiche le journal des événements", "[--data DIR]",
	    cli_events, data_opts, 0 },
	{ "version", "affiche la version", "", cli_version, no_opts, 0 },
	{ "help", "cette aide, ou celle d'une commande", "[COMMANDE]",
	    cli_help, no_opts, -1 },
};
const size_t cli_ncommands = sizeof cli_commands / sizeof cli_commands[0];

int
main(int argc, char **argv)
{
	/* SQLite's error log names a full disk (before SQLite starts). */
	storage_log_install();
	if (sodium_init() < 0 || group_init() != 0) {
		fputs("scrutin: libsodium unavailable\n", stderr);
		return 1;
	}
	return cli_main(argc, argv);
}

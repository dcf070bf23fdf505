/*
 * cli.h — the operator's commands, as one table: what a command is
 * (struct cli_command), what its options mean (enum cli_key), what the
 * shared parser hands a handler (struct cli_args), and the handlers.
 *
 * The table itself, one line a command with its struct option table, is
 * in scrutin.c; cli.c finds the command named on the command line, parses
 * its options with getopt_long and prints the help and usage lines, all
 * from the table; the handlers are in cli_*.c, one file a concern.
 *
 * A handler trusts what the parser hands it: only the options its table
 * lists were accepted, every number is in its range, and argv holds
 * exactly the operands the table asks for. It checks the rest itself
 * (required options, values whose form only it knows) and returns
 * CLI_USAGE for a usage error: cli.c then prints the usage line and the
 * program exits 2. Any other return value is the exit status.
 */
#ifndef SCRUTIN_SERVER_CLI_H
#define SCRUTIN_SERVER_CLI_H

#include <getopt.h>
#include <stddef.h>

#include <jansson.h>
#include <sqlite3.h>

#include "server/roll.h"
#include "server/scrutin.h"

/* A handler's usage error: the usage line is printed, the exit status 2. */
#define CLI_USAGE (-1)

/*
 * What an option means: the val of every struct option in the command
 * tables. One name may mean two things (--id: a meeting, or the second
 * round's new question), hence two keys; cli.c holds, for each key, the
 * help text, the value's name and its default.
 */
enum cli_key {
	CLI_DATA = 256,		/* above every character getopt returns */
	CLI_JSON,
	/* serve, init */
	CLI_LISTEN, CLI_SERVER_HOST, CLI_CERT, CLI_KEY, CLI_ASSETS,
	CLI_THREADS, CLI_MAX_STREAMS, CLI_RATE, CLI_BURST, CLI_TIMEOUT_MS,
	CLI_VENDOR, CLI_USER, CLI_NET_USER, CLI_CREATE_USERS,
	/* roll */
	CLI_DRY_RUN, CLI_REMOVE_MISSING, CLI_LANG, CLI_ALL,
	/* cred, qr */
	CLI_MEETING, CLI_HOST, CLI_OUT, CLI_CODES, CLI_ASSOCIATION, CLI_ROLL,
	CLI_MEMBER, CLI_MEMBERS, CLI_REASON, CLI_PNG, CLI_SVG,
	/* meeting, question, demo */
	CLI_ID, CLI_TITLE, CLI_DATE, CLI_PROFILE, CLI_BODY, CLI_AGENDA,
	CLI_TRUSTEES, CLI_THRESHOLD, CLI_QUORUM, CLI_INDEX, CLI_NAME,
	CLI_CLOSES_AT, CLI_NEW_ID, CLI_NEW_TITLE, CLI_PORT, CLI_LAN, CLI_DEMO_PROFILE,
	CLI_PLACE, CLI_TIME, CLI_PRESIDENT, CLI_SECRETARY,
	CLI_PRESIDENT_MEMBER,
	/* proxy */
	CLI_GIVER, CLI_HOLDER,
	CLI_SECOND_CONVOCATION, CLI_FIRST_MEETING_DATE,
};

/*
 * The parsed command line. Strings point into argv (or are static
 * defaults); NULL when the option was not given and has no default.
 * cli_args_init sets the defaults, cli_args_free frees members.
 */
struct cli_args {
	char **argv;		/* the operands, in order */
	int argc;
	const char *datadir;	/* --data, $SCRUTIN_DATA, ./scrutin-data */
	int json, dry_run, remove_missing, all, lan;
	enum roll_lang lang;
	/* serve, init */
	const char *listen, *server_host, *cert, *key, *assets, *vendor;
	unsigned threads, max_streams, rate, burst, timeout_ms;
	const char *user, *net_user;	/* started as root: confine.h */
	int create_users;
	/* cred, qr */
	const char *meeting, *host, *out, *codes, *association, *roll;
	const char *reason, *png, *svg;
	const char **members;	/* --member (cred issue: repeatable) */
	size_t nmembers;
	/* meeting, question, demo */
	const char *id, *title, *date, *profile, *body, *agenda, *quorum;
	const char *name, *closes_at, *new_id, *new_title;
	const char *place, *time, *president, *secretary;
	const char *president_member;
	int second_convocation;
	const char *first_meeting_date;
	/* proxy paper: member numbers */
	const char *giver, *holder;
	unsigned trustees, threshold, index, port;
};

/*
 * One command: `scrutin NAME [OPTIONS] OPERANDS`. name is one word
 * ("serve") or a group and a verb ("roll import"); summary is its line in
 * `scrutin help`, usage what follows "usage : scrutin NAME " (French, as
 * the operator reads them); options its getopt_long table, ended by a
 * zeroed entry, each val an enum cli_key (--help and -h are added by the
 * parser); nargs the number of operands, or -1 for any.
 */
struct cli_command {
	const char *name;
	const char *summary;
	const char *usage;
	int (*run)(struct cli_args *a);
	const struct option *options;
	int nargs;
};

/* The table (scrutin.c). */
extern const struct cli_command cli_commands[];
extern const size_t cli_ncommands;

/* Runs the command that argv names; returns the exit status. */
int cli_main(int argc, char **argv);

/* $SCRUTIN_DATA, or ./scrutin-data: --data's default. */
const char *cli_datadir_default(void);
/* Defaults, for a handler called with no command line (demo). */
void cli_args_init(struct cli_args *a);
void cli_args_free(struct cli_args *a);

/* Prints doc as indented ASCII JSON on stdout, and releases it. */
void cli_json_print(json_t *doc);
/* "scrutin WHAT : ERR" on stderr; returns 1, the exit status. */
int cli_err_print(const char *what, const char *err);
/*
 * Runs sql on the roll database of datadir's store, ?1 bound to param
 * (unbound, so NULL, when param is NULL), and makes *out an array of one
 * element per row, made by row (which must not step s). Returns 0, or -1
 * (*out NULL) on a store error or a row that row returns NULL for.
 */
int cli_rows_json(const char *datadir, const char *sql, const char *param,
    json_t *(*row)(sqlite3_stmt *s), json_t **out);

/* cli.c */
int cli_help(struct cli_args *a);
int cli_version(struct cli_args *a);

/* cli_serve.c */
int cli_serve(struct cli_args *a);
int cli_init(struct cli_args *a);
int cli_demo(struct cli_args *a);
int cli_fingerprint(struct cli_args *a);

/* cli_roll.c */
int cli_roll_import(struct cli_args *a);
int cli_roll_list(struct cli_args *a);
int cli_roll_history(struct cli_args *a);

/* cli_cred.c */
int cli_cred_issue(struct cli_args *a);
int cli_cred_offline(struct cli_args *a);
int cli_cred_import_public(struct cli_args *a);
int cli_cred_revoke(struct cli_args *a);
int cli_cred_reissue(struct cli_args *a);
int cli_cred_list(struct cli_args *a);
int cli_qr(struct cli_args *a);

/* cli_meeting.c */
int cli_meeting_create(struct cli_args *a);
int cli_meeting_show(struct cli_args *a);
int cli_meeting_convene(struct cli_args *a);
int cli_meeting_moderator_link(struct cli_args *a);
int cli_meeting_desk_link(struct cli_args *a);
int cli_proxy_paper(struct cli_args *a);
int cli_meeting_scrutineer_link(struct cli_args *a);
int cli_meeting_start(struct cli_args *a);
int cli_meeting_mailin_open(struct cli_args *a);
int cli_meeting_end(struct cli_args *a);
int cli_meeting_ceremony_reset(struct cli_args *a);
int cli_question_add(struct cli_args *a);
int cli_question_open(struct cli_args *a);
int cli_question_close(struct cli_args *a);
int cli_question_second_round(struct cli_args *a);
int cli_question_revote(struct cli_args *a);
/*
 * A new link for meeting id on host, into url (cap bytes): the
 * moderator's (role "moderator", which replaces the previous one) or
 * scrutineer index's enrolment link (role "enrol"); name, if not NULL,
 * is shown to the others. Returns 0, or -1 (explained on stderr).
 */
int cli_meeting_link_make(const char *datadir, const char *id,
    const char *role, unsigned index, const char *name, const char *host,
    char *url, size_t cap);

/* cli_record.c */
int cli_events(struct cli_args *a);
int cli_record_export(struct cli_args *a);

#endif

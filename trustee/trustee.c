/*
 * trustee.c — the `scrutin-trustee` program: the scrutineer's side of a
 * meeting, run on the scrutineer's own computer (docs/trustee.md). Its
 * commands are one table, like server/scrutin.c's: a command's name, its
 * line in the help, its usage, its handler and its getopt_long options,
 * so that the whole command line is read in one place.
 *
 * This file is the table, the option parser and main(), nothing else:
 * the handlers are in ceremony.c (init, ceremony), release.c (release),
 * minutes.c (sign-minutes) and web.c (web); the vault in vault.c, the
 * HTTPS client in https.c. Invariants: a command sees only the options its table lists;
 * numbers are range-checked here; --ca and --pin exclude each other.
 */
#include "trustee/trustee.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crypto/group.h"

struct tr_command {
	const char *name;
	const char *summary;
	const char *usage;
	int (*run)(struct tr_args *a);
	const struct option *options;
	int novault;		/* 1: runs without a vault (web) */
};

#define OPT_END { NULL, 0, NULL, 0 }
#define OPT_VAULT { "vault", required_argument, NULL, TK_VAULT }, \
	{ "passphrase-fd", required_argument, NULL, TK_PASSFD }, \
	{ "ca", required_argument, NULL, TK_CA }, \
	{ "pin", required_argument, NULL, TK_PIN }, \
	{ "meeting-url", required_argument, NULL, TK_URL }

static const struct option init_opts[] = {
	OPT_VAULT,
	{ "index", required_argument, NULL, TK_INDEX },
	{ "enrol", required_argument, NULL, TK_ENROL },
	OPT_END,
};
static const struct option ceremony_opts[] = {
	OPT_VAULT,
	{ "once", no_argument, NULL, TK_ONCE },
	{ "timeout", required_argument, NULL, TK_TIMEOUT },
	OPT_END,
};
static const struct option release_opts[] = {
	OPT_VAULT,
	{ "question", required_argument, NULL, TK_QUESTION },
	{ "yes", no_argument, NULL, TK_YES },
	OPT_END,
};
static const struct option minutes_opts[] = { OPT_VAULT, OPT_END };
static const struct option web_opts[] = {
	{ "url", required_argument, NULL, TK_URL },
	{ "digest", required_argument, NULL, TK_DIGEST },
	{ "ca", required_argument, NULL, TK_CA },
	{ "pin", required_argument, NULL, TK_PIN },
	OPT_END,
};

#define COMMON "--vault FICHIER [--passphrase-fd N] [--ca FICHIER | --pin SHA256]"

static const struct tr_command commands[] = {
	{ "init", "crée l'identité dans un coffre chiffré et s'inscrit",
	    "--meeting-url URL [--index J] [--enrol JETON] " COMMON,
	    tr_cmd_init, init_opts, 0 },
	{ "ceremony", "mène sa part de la cérémonie des clés",
	    COMMON " [--meeting-url URL] [--once] [--timeout SECONDES]",
	    tr_cmd_ceremony, ceremony_opts, 0 },
	{ "release", "vérifie l'urne close et publie sa part de déchiffrement",
	    COMMON " [--meeting-url URL] --question QID [--yes]",
	    tr_cmd_release, release_opts, 0 },
	{ "sign-minutes", "signe le procès-verbal",
	    COMMON " [--meeting-url URL]", tr_cmd_sign_minutes, minutes_opts, 0 },
	{ "draw", "contribue à la graine du tirage au sort des procurations"
	    " (engagement avant la séance, révélation après son ouverture)",
	    COMMON " [--meeting-url URL]", tr_cmd_draw, minutes_opts, 0 },
	{ "web", "vérifie les applications web servies contre l'empreinte publiée",
	    "--url https://HÔTE[:PORT] --digest SHA256 (--ca FICHIER | --pin"
	    " SHA256)", tr_cmd_web, web_opts, 1 },
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void
help(FILE *f)
{
	fprintf(f, "scrutin-trustee — l'outil du scrutateur (the scrutineer's "
	    "tool), docs/trustee.md\n\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  scrutin-trustee %s %s\n      %s\n", commands[i].name,
		    commands[i].usage, commands[i].summary);
}

static int
number(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int
parse(const struct tr_command *c, int argc, char **argv, struct tr_args *a)
{
	int k;
	long fd;

	memset(a, 0, sizeof *a);
	a->passfd = -1;
	a->timeout = 3600;
	opterr = 1;
	while ((k = getopt_long(argc, argv, "", c->options, NULL)) != -1) {
		switch (k) {
		case TK_VAULT: a->vault = optarg; break;
		case TK_PASSFD:
			if (number(optarg, 0, 1 << 20, &fd) != 0)
				return -1;
			a->passfd = (int)fd;
			break;
		case TK_CA: a->ca = optarg; break;
		case TK_PIN: a->pin = optarg; break;
		case TK_URL: a->url = optarg; break;
		case TK_ENROL: a->enrol = optarg; break;
		case TK_QUESTION: a->question = optarg; break;
		case TK_DIGEST: a->digest = optarg; break;
		case TK_YES: a->yes = 1; break;
		case TK_ONCE: a->once = 1; break;
		case TK_INDEX:
			if (number(optarg, 1, 16, &a->index) != 0)
				return -1;
			break;
		case TK_TIMEOUT:
			if (number(optarg, 1, 86400 * 7, &a->timeout) != 0)
				return -1;
			break;
		default:
			return -1;
		}
	}
	if (optind != argc || (a->vault == NULL && !c->novault) ||
	    (a->ca && a->pin))
		return -1;
	return 0;
}

int
main(int argc, char **argv)
{
	struct tr_args a;

	if (argc < 2 || strcmp(argv[1], "help") == 0 ||
	    strcmp(argv[1], "--help") == 0) {
		help(argc < 2 ? stderr : stdout);
		return argc < 2 ? TR_USAGE : TR_OK;
	}
	tr_json_wipe_on_free();
	if (sodium_init() < 0 || group_init() != 0) {
		tr_say("libsodium ne démarre pas", "libsodium failed to start");
		return TR_FAIL;
	}
	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		if (parse(&commands[i], argc - 1, argv + 1, &a) != 0) {
			fprintf(stderr, "usage : scrutin-trustee %s %s\n",
			    commands[i].name, commands[i].usage);
			return TR_USAGE;
		}
		return commands[i].run(&a);
	}
	fprintf(stderr, "scrutin-trustee : commande inconnue (unknown command) "
	    "« %s »\n\n", argv[1]);
	help(stderr);
	return TR_USAGE;
}

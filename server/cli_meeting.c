/*
 * cli_meeting.c — the administrator's commands on meetings and their
 * questions: `scrutin meeting create|show|convene|moderator-link|
 * scrutineer-link|start|end|ceremony-reset` and `scrutin question
 * add|open|close|second-round|revote` (docs/api.md).
 *
 * The administrator is the secretary, on the machine, with no HTTP
 * endpoint: some commands call the store's meeting functions directly
 * (create, convene, the links, ceremony-reset, question add); the others
 * run the live meeting's operation (a MOP_* of meeting.h) through
 * local_api, with the server key, exactly as the privileged process runs
 * it for a moderator, and print its JSON answer.
 *
 * Trusts the parsed options (cli.c); the meeting functions check every
 * value. Invariants: a link's token is wiped once printed into its URL;
 * the server's signing key lives in sodium memory and is freed before
 * return.
 */
#include "server/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "server/cred.h"
#include "server/meeting.h"
#include "server/priv.h"
#include "server/store.h"

/* Runs one meeting API operation as the administrator (local store,
 * server key): OUT *doc its JSON answer (caller frees), or an error
 * printed in French and 1. */
static int
local_api_doc(const char *datadir, uint32_t op, const char *meeting,
    const char *sub, const char *body, json_t **doc)
{
	struct store *st = NULL;
	uint8_t *sk = NULL, pk[32];
	struct mctx *mc = NULL;
	struct mreply r;
	int rc = 1;

	*doc = NULL;
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
		const char *art = json_string_value(json_object_get(r.doc,
		    "article"));
		if (meeting_error_lookup(r.code, &status, &fr, &en) == 0)
			fprintf(stderr, "scrutin : %s%s%s%s (%s)%s%s\n", fr,
			    art ? " (art. " : "", art ? art : "",
			    art ? ")" : "", r.code, r.field ? " : " : "",
			    r.field ? r.field : "");
		else
			fprintf(stderr, "scrutin : erreur %s\n", r.code);
	} else {
		*doc = r.doc;
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

/* The same, printing the JSON answer. */
static int
local_api(const char *datadir, uint32_t op, const char *meeting,
    const char *sub, const char *body)
{
	json_t *doc;

	if (local_api_doc(datadir, op, meeting, sub, body, &doc) != 0)
		return 1;
	cli_json_print(doc);
	return 0;
}

/* `scrutin WHAT ID`, run on the store by fn (an operator-side meeting
 * function that explains a failure in err). */
static int
meeting_store_run(const struct cli_args *a, const char *what,
    int (*fn)(struct store *, const char *, char *, size_t))
{
	struct store *st = NULL;
	char err[512];
	int rc = 1;

	if (store_open(&st, a->datadir) == 0) {
		if (fn(st, a->argv[0], err, sizeof err) != 0)
			cli_err_print(what, err);
		else
			rc = 0;
	}
	store_close(st);
	return rc;
}

int
cli_meeting_create(struct cli_args *a)
{
	struct store *st = NULL;
	uint8_t *yaml = NULL, *agenda = NULL;
	size_t yl = 0, al = 0;
	char err[512];
	int rc = 1;
	const struct meeting_info info = { a->association, a->place, a->time,
	    a->president, a->secretary, a->second_convocation ?
	    (a->first_meeting_date != NULL ? a->first_meeting_date : "") :
	    NULL };

	if (a->id == NULL || a->title == NULL || a->date == NULL ||
	    a->profile == NULL)
		return CLI_USAGE;
	if (a->first_meeting_date != NULL && !a->second_convocation) {
		cli_err_print("meeting create", "--first-meeting-date va avec"
		    " --second-convocation (seconde convocation)");
		goto out;
	}
	if (file_read_capped(a->profile, 1u << 20, &yaml, &yl) != 0) {
		cli_err_print("meeting create", "profil illisible");
		goto out;
	}
	if (a->agenda != NULL &&
	    file_read_capped(a->agenda, 1u << 20, &agenda, &al) != 0) {
		cli_err_print("meeting create", "ordre du jour illisible");
		goto out;
	}
	if (store_open(&st, a->datadir) != 0)
		goto out;
	if (meeting_create(st, a->id, a->title, a->date, yaml, yl, a->body,
	        a->trustees, a->threshold, a->quorum, &info,
	        a->president_member, err, sizeof err) != 0) {
		cli_err_print("meeting create", err);
		goto out;
	}
	if (agenda != NULL &&
	    meeting_agenda_add(st, a->id, agenda, al, err, sizeof err) != 0) {
		cli_err_print("meeting create (ordre du jour)", err);
		goto out;
	}
	rc = 0;
out:
	store_close(st);
	free(yaml);
	free(agenda);
	return rc;
}

int
cli_meeting_show(struct cli_args *a)
{
	return local_api(a->datadir, MOP_VIEW, a->argv[0], "", "{}");
}

int
cli_meeting_convene(struct cli_args *a)
{
	return meeting_store_run(a, "meeting convene", meeting_convene);
}

int
cli_meeting_link_make(const char *datadir, const char *id, const char *role,
    unsigned index, const char *name, const char *host, char *url,
    size_t cap)
{
	struct store *st = NULL;
	char tok[44], err[256];
	int rc = -1, n, enrol = strcmp(role, "enrol") == 0;

	if (store_open(&st, datadir) != 0)
		return -1;
	if (meeting_token_new(st, id, role, enrol ? index : 0, name, tok, err,
	        sizeof err) != 0) {
		cli_err_print("meeting", err);
		goto out;
	}
	if (enrol)
		n = snprintf(url, cap, "https://%s/s/#%s.%u.%s", host, id,
		    index, tok);
	else
		n = snprintf(url, cap, "https://%s/%s/#%s.%s", host,
		    strcmp(role, "desk") == 0 ? "d" : "m", id, tok);
	sodium_memzero(tok, sizeof tok);
	rc = (n > 0 && (size_t)n < cap) ? 0 : -1;
out:
	store_close(st);
	return rc;
}

static int
meeting_link_print(const struct cli_args *a, const char *role)
{
	char url[512];

	if (a->host == NULL || !cred_host_valid(a->host) ||
	    (strcmp(role, "enrol") == 0 && a->index == 0))
		return CLI_USAGE;
	if (cli_meeting_link_make(a->datadir, a->argv[0], role, a->index,
	        a->name, a->host, url, sizeof url) != 0)
		return 1;
	printf("%s\n", url);
	sodium_memzero(url, sizeof url);
	return 0;
}

int
cli_meeting_moderator_link(struct cli_args *a)
{
	return meeting_link_print(a, "moderator");
}

int
cli_meeting_scrutineer_link(struct cli_args *a)
{
	return meeting_link_print(a, "enrol");
}

int
cli_meeting_desk_link(struct cli_args *a)
{
	return meeting_link_print(a, "desk");
}

int
cli_proxy_paper(struct cli_args *a)
{
	json_t *b;
	char *body;
	int rc;

	if (a->meeting == NULL || a->giver == NULL || a->holder == NULL)
		return CLI_USAGE;
	b = json_pack("{s:s,s:s}", "giver", a->giver, "holder", a->holder);
	body = b != NULL ? json_dumps(b, JSON_COMPACT) : NULL;
	json_decref(b);
	if (body == NULL)
		return 1;
	rc = local_api(a->datadir, MOP_PAPER, a->meeting, "", body);
	free(body);
	return rc;
}

int
cli_meeting_start(struct cli_args *a)
{
	return local_api(a->datadir, MOP_START, a->argv[0], "", "{}");
}

/* The mail-in window (server/mailin.c): --closes-at is required. */
int
cli_meeting_mailin_open(struct cli_args *a)
{
	char body[64];

	if (a->closes_at == NULL)
		return CLI_USAGE;
	snprintf(body, sizeof body, "{\"closes_at\": %llu}",
	    strtoull(a->closes_at, NULL, 10));
	return local_api(a->datadir, MOP_MAILIN_OPEN, a->argv[0], "", body);
}

int
cli_meeting_end(struct cli_args *a)
{
	return local_api(a->datadir, MOP_END, a->argv[0], "", "{}");
}

int
cli_meeting_ceremony_reset(struct cli_args *a)
{
	return meeting_store_run(a, "meeting ceremony-reset",
	    meeting_ceremony_reset);
}

int
cli_question_add(struct cli_args *a)
{
	struct store *st = NULL;
	uint8_t *data = NULL;
	size_t len = 0;
	char err[512];
	int rc = 1;

	if (file_read_capped(a->argv[1], 1u << 20, &data, &len) != 0)
		return cli_err_print("question add", "fichier illisible");
	if (store_open(&st, a->datadir) == 0) {
		if (meeting_agenda_add(st, a->argv[0], data, len, err,
		        sizeof err) != 0)
			cli_err_print("question add", err);
		else
			rc = 0;
	}
	store_close(st);
	free(data);
	return rc;
}

int
cli_question_open(struct cli_args *a)
{
	char body[64];

	if (a->closes_at != NULL)
		snprintf(body, sizeof body, "{\"closes_at\": %llu}",
		    strtoull(a->closes_at, NULL, 10));
	else
		snprintf(body, sizeof body, "{}");
	return local_api(a->datadir, MOP_QOPEN, a->argv[0], a->argv[1], body);
}

int
cli_question_close(struct cli_args *a)
{
	return local_api(a->datadir, MOP_QCLOSE, a->argv[0], a->argv[1], "{}");
}

/* The body of POST questions for a question derived from QUESTION
 * ({key: QUESTION}, with --id and --title if given); NULL on no memory. */
static char *
derived_body(const struct cli_args *a, const char *key)
{
	json_t *b = json_pack("{s:s}", key, a->argv[1]);
	char *body;

	if (a->new_id != NULL)
		json_object_set_new(b, "id", json_string(a->new_id));
	if (a->new_title != NULL)
		json_object_set_new(b, "title", json_string(a->new_title));
	body = json_dumps(b, JSON_COMPACT);
	json_decref(b);
	return body;
}

/* The second round of a two-round election (POST questions
 * {"round_of"}), with its own id and title if given. */
int
cli_question_second_round(struct cli_args *a)
{
	char *body = derived_body(a, "round_of");
	int rc;

	if (body == NULL)
		return cli_err_print("question second-round", "mémoire");
	rc = local_api(a->datadir, MOP_QADD, a->argv[0], "", body);
	free(body);
	return rc;
}

/* The re-vote between the candidates an election left tied (POST
 * questions {"revote_of"}), with its own id and title if given; says in
 * French what was created (the JSON answer with --json). */
int
cli_question_revote(struct cli_args *a)
{
	json_t *q = NULL, *c;
	char *body = derived_body(a, "revote_of");
	size_t i;
	int rc;

	if (body == NULL)
		return cli_err_print("question revote", "mémoire");
	rc = local_api_doc(a->datadir, MOP_QADD, a->argv[0], "", body, &q);
	free(body);
	if (rc != 0)
		return rc;
	if (a->json) {
		cli_json_print(q);
		return 0;
	}
	printf("Nouveau vote créé : question %s « %s », entre les candidats"
	    " ex æquo de la question %s :",
	    json_string_value(json_object_get(q, "id")),
	    json_string_value(json_object_get(q, "title")), a->argv[1]);
	json_array_foreach(json_object_get(q, "candidates"), i, c)
		printf("%s%s", i ? ", " : " ",
		    json_string_value(json_object_get(c, "name")));
	printf(" ; %lld siège(s) à pourvoir.\nOuvrez-le avec : scrutin"
	    " question open %s %s\n",
	    (long long)json_integer_value(json_object_get(q, "seats")),
	    a->argv[0], json_string_value(json_object_get(q, "id")));
	json_decref(q);
	return 0;
}

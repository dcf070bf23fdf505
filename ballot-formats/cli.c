/*
 * cli.c — `scrutin count --profile FILE [--text] [--lang fr|en] SCENARIO`.
 *
 * Reads both files (at most one byte over the loaders' size cap, which
 * they refuse), loads them, checks the scenario names the profile it is
 * run under, counts, and prints. Errors go to stderr as
 * "FILE:LINE[:COL]: reason", one line, in the language of --lang (French
 * by default), and the exit status is 1 for an input refused (profile,
 * scenario, facts, a file over the cap), 2 for a usage or I/O error;
 * nothing is printed on stdout then, so a partial result is never
 * mistaken for a result.
 */
#include "ballot-formats/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ballot-formats/count.h"
#include "ballot-formats/phrase.h"
#include "ballot-formats/profile.h"
#include "ballot-formats/report.h"
#include "ballot-formats/scenario.h"
#include "common/xmalloc.h"

/* "scrutin count: " and the message in lang, on stderr. */
static void
say(enum ph_lang lang, const char *fr, const char *en, ...)
    __attribute__((format(printf, 2, 4), format(printf, 3, 4)));
static void
say(enum ph_lang lang, const char *fr, const char *en, ...)
{
	struct st_msg m;
	va_list ap;

	va_start(ap, en);
	st_msg_vset(&m, 0, fr, en, ap);
	va_end(ap);
	fprintf(stderr, "scrutin count: %s\n", lang == PH_FR ? m.fr : m.en);
}

/* Why a file cannot be opened, in French. */
static const char *
errno_fr(int e)
{
	switch (e) {
	case ENOENT:
		return "fichier introuvable";
	case EACCES:
		return "accès refusé";
	case EISDIR:
		return "c'est un répertoire";
	default:
		return "ouverture impossible";
	}
}

/* Reads at most YT_MAX_INPUT + 1 bytes: a longer file is refused by its
 * loader, an input error like any other. -1 on an I/O error (said). */
static int
read_file(const char *path, uint8_t **out, size_t *len, enum ph_lang lang)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	size_t n;

	if (f == NULL) {
		int e = errno;
		say(lang, "%s: %s (%s)", "%s: %.0s%s", path, errno_fr(e), strerror(e));
		return -1;
	}
	buf = xmalloc(YT_MAX_INPUT + 1);
	n = fread(buf, 1, YT_MAX_INPUT + 1, f);
	if (ferror(f)) {
		say(lang, "%s: erreur de lecture", "%s: read error", path);
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	*out = buf;
	*len = n;
	return 0;
}

static int
usage(enum ph_lang lang)
{
	fputs(lang == PH_FR ? "usage : scrutin count --profile FICHIER [--text] [--lang fr|en] "
	    "SCÉNARIO\n" : "usage: scrutin count --profile FILE [--text] [--lang fr|en] SCENARIO\n",
	    stderr);
	return 2;
}

int
statutes_cli_count(int argc, char **argv)
{
	const char *profile_path = NULL, *scenario_path = NULL;
	bool text = false;
	enum ph_lang lang = PH_FR;
	uint8_t *pbuf = NULL, *sbuf = NULL;
	size_t plen, slen;
	struct profile *pr = NULL;
	struct scenario sc;
	struct ct_result res;
	bool have_sc = false, have_res = false;
	struct st_msg err;
	int rc = 2;

	memset(&sc, 0, sizeof sc);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--profile") == 0 && i + 1 < argc)
			profile_path = argv[++i];
		else if (strcmp(argv[i], "--text") == 0)
			text = true;
		else if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc) {
			i++;
			if (strcmp(argv[i], "fr") == 0)
				lang = PH_FR;
			else if (strcmp(argv[i], "en") == 0)
				lang = PH_EN;
			else
				return usage(lang);
		} else if (argv[i][0] == '-' || scenario_path != NULL)
			return usage(lang);
		else
			scenario_path = argv[i];
	}
	if (profile_path == NULL || scenario_path == NULL)
		return usage(lang);
	if (read_file(profile_path, &pbuf, &plen, lang) != 0 ||
	    read_file(scenario_path, &sbuf, &slen, lang) != 0)
		goto out;
	rc = 1;
	pr = xcalloc(1, sizeof *pr);
	if (profile_load(pr, profile_path, pbuf, plen, &err) != 0) {
		say(lang, "%s%.0s", "%.0s%s", err.fr, err.en);
		goto out;
	}
	have_sc = true;
	if (scenario_load(&sc, scenario_path, sbuf, slen, &err) != 0) {
		say(lang, "%s%.0s", "%.0s%s", err.fr, err.en);
		goto out;
	}
	if (strcmp(sc.profile, pr->id) != 0) {
		say(lang, "%s: profile : le scénario est écrit pour « %s », pas pour « %s »",
		    "%s: profile: the scenario is written for '%s', not '%s'", scenario_path,
		    sc.profile, pr->id);
		goto out;
	}
	if (ct_count(pr, &sc.meeting, sc.questions, sc.n_questions, &res, &err) != 0) {
		if (err.line != 0)
			say(lang, "%s:%u: %s%.0s", "%s:%u: %.0s%s", scenario_path, err.line, err.fr,
			    err.en);
		else
			say(lang, "%s: %s%.0s", "%s: %.0s%s", scenario_path, err.fr, err.en);
		goto out;
	}
	have_res = true;
	if (text) {
		struct st_buf b = {0};
		phrase_standing(&b, &res, lang);
		phrase_quorum(&b, &res, lang);
		st_buf_printf(&b, "\n");
		for (size_t k = 0; k < res.n_questions; k++) {
			st_buf_printf(&b, "[%s] ", res.questions[k].q->id);
			phrase_question(&b, &res, k, lang);
			phrase_refusals(&b, &res, k, lang);
			st_buf_printf(&b, "\n");
		}
		fputs(b.s, stdout);
		st_buf_free(&b);
	} else {
		json_t *j = report_json(&res, lang);
		char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		json_decref(j);
		if (s == NULL) {
			say(lang, "impossible de mettre en forme le résultat",
			    "cannot format the result");
			goto out;
		}
		puts(s);
		free(s);
	}
	if (fflush(stdout) != 0) {
		say(lang, "erreur d'écriture", "write error");
		rc = 2;
		goto out;
	}
	rc = 0;
out:
	if (have_res)
		ct_result_free(&res);
	if (have_sc)
		scenario_free(&sc);
	free(pr);
	free(pbuf);
	free(sbuf);
	return rc;
}

/*
 * cli.c — `scrutin count --profile FILE [--text] [--lang fr|en] SCENARIO`.
 *
 * Reads both files with a size cap, loads them, checks the scenario names
 * the profile it is run under, counts, and prints. Errors go to stderr as
 * "FILE:LINE[:COL]: reason", one line, and the exit status is 1; nothing
 * is printed on stdout then, so a partial result is never mistaken for
 * a result.
 */
#include "ballot-formats/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ballot-formats/count.h"
#include "ballot-formats/phrase.h"
#include "ballot-formats/profile.h"
#include "ballot-formats/report.h"
#include "ballot-formats/scenario.h"
#include "common/xmalloc.h"

static int
read_file(const char *path, uint8_t **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	size_t n;

	if (f == NULL) {
		fprintf(stderr, "scrutin count: %s: %s\n", path, strerror(errno));
		return -1;
	}
	buf = xmalloc(YT_MAX_INPUT + 1);
	n = fread(buf, 1, YT_MAX_INPUT + 1, f);
	if (ferror(f)) {
		fprintf(stderr, "scrutin count: %s: read error\n", path);
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	if (n > YT_MAX_INPUT) {
		fprintf(stderr, "scrutin count: %s: file larger than %u bytes\n", path, YT_MAX_INPUT);
		free(buf);
		return -1;
	}
	*out = buf;
	*len = n;
	return 0;
}

static int
usage(void)
{
	fputs("usage: scrutin count --profile FILE [--text] [--lang fr|en] SCENARIO\n", stderr);
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
	char err[640];
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
				return usage();
		} else if (argv[i][0] == '-' || scenario_path != NULL)
			return usage();
		else
			scenario_path = argv[i];
	}
	if (profile_path == NULL || scenario_path == NULL)
		return usage();
	if (read_file(profile_path, &pbuf, &plen) != 0 || read_file(scenario_path, &sbuf, &slen) != 0)
		goto out;
	rc = 1;
	pr = xcalloc(1, sizeof *pr);
	if (profile_load(pr, profile_path, pbuf, plen, err, sizeof err) != 0) {
		fprintf(stderr, "scrutin count: %s\n", err);
		goto out;
	}
	have_sc = true;
	if (scenario_load(&sc, scenario_path, sbuf, slen, err, sizeof err) != 0) {
		fprintf(stderr, "scrutin count: %s\n", err);
		goto out;
	}
	if (strcmp(sc.profile, pr->id) != 0) {
		fprintf(stderr, "scrutin count: %s: profile: the scenario is written for '%s', "
		    "not '%s'\n", scenario_path, sc.profile, pr->id);
		goto out;
	}
	if (ct_count(pr, &sc.meeting, sc.questions, sc.n_questions, &res, err, sizeof err) != 0) {
		if (strncmp(err, "line ", 5) == 0)
			fprintf(stderr, "scrutin count: %s:%s\n", scenario_path, err + 5);
		else
			fprintf(stderr, "scrutin count: %s: %s\n", scenario_path, err);
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
			fputs("scrutin count: cannot format the result\n", stderr);
			goto out;
		}
		puts(s);
		free(s);
	}
	if (fflush(stdout) != 0) {
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

/*
 * fuzz_scenario.c — libFuzzer target for the scenario loader and, when a
 * scenario loads, the whole counting path: ct_count under the matching
 * profile of ballot-formats/profiles/, then the JSON report and the
 * sentences. Profiles are read once from the repository (run from its
 * root, as `make test` and tests/fuzz/run.sh do).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ballot-formats/count.h"
#include "ballot-formats/phrase.h"
#include "ballot-formats/profile.h"
#include "ballot-formats/report.h"
#include "ballot-formats/scenario.h"
#include "common/xmalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const NAMES[] = {"animt", "a-imi", "aprogemere", "espace-plus", "mines-ales"};
#define NPROF (sizeof NAMES / sizeof NAMES[0])
static struct profile *profiles[NPROF];
static int loaded;

static void
load_profiles(void)
{
	for (size_t i = 0; i < NPROF; i++) {
		char path[128];
		struct st_msg err;
		FILE *f;
		uint8_t *buf = xmalloc(YT_MAX_INPUT);
		size_t n;

		(void)snprintf(path, sizeof path, "ballot-formats/profiles/%s.yaml", NAMES[i]);
		if ((f = fopen(path, "rb")) == NULL) {
			/* Run from the repository root: a committed profile
			 * that cannot be read would silently narrow the
			 * fuzzing to the others. */
			fprintf(stderr, "fuzz_scenario: cannot open %s\n", path);
			abort();
		}
		n = fread(buf, 1, YT_MAX_INPUT, f);
		fclose(f);
		profiles[i] = xcalloc(1, sizeof *profiles[i]);
		if (profile_load(profiles[i], path, buf, n, &err) != 0) {
			fprintf(stderr, "%s\n", err.en);
			abort();            /* the committed profiles must load */
		}
		free(buf);
	}
	loaded = 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scenario sc;
	struct st_msg err;

	if (!loaded)
		load_profiles();
	if (scenario_load(&sc, "fuzz", data, size, &err) != 0) {
		if (err.fr[0] == '\0' || err.en[0] == '\0')
			abort();            /* a refusal always says why, in both languages */
		scenario_free(&sc);
		return 0;
	}
	for (size_t i = 0; i < NPROF; i++) {
		struct ct_result r;
		if (profiles[i] == NULL || strcmp(profiles[i]->id, sc.profile) != 0)
			continue;
		if (ct_count(profiles[i], &sc.meeting, sc.questions, sc.n_questions, &r,
		    &err) != 0) {
			if (err.fr[0] == '\0' || err.en[0] == '\0')
				abort();
			break;
		}
		json_t *j = report_json(&r, PH_FR);
		char *s = json_dumps(j, JSON_PRESERVE_ORDER);
		free(s);
		json_decref(j);
		struct st_buf b = {0};
		phrase_standing(&b, &r, PH_EN);
		phrase_quorum(&b, &r, PH_EN);
		for (size_t k = 0; k < r.n_questions; k++)
			phrase_question(&b, &r, k, PH_EN);
		st_buf_free(&b);
		ct_result_free(&r);
	}
	scenario_free(&sc);
	return 0;
}

/*
 * bench_feed.c — the cost of the record's check on write
 * (server/record_check.c): a record fed one line at a time to
 * audit_verifier_feed with no worker thread, as the privileged process
 * does, with and without ballots_proven, against the whole-record
 * verifier on one thread. Prints figures and ratios; never fails on time.
 *   bench_feed RECORD
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/verify.h"

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Feeds every line; returns the lines accepted (all, or exits). */
static size_t
feed(const char *rec, size_t len, int proven)
{
	audit_verify_opts o;
	audit_failure f;
	audit_verifier *av;
	size_t off = 0, lines = 0;

	memset(&o, 0, sizeof o);
	o.ballots_proven = proven;
	if ((av = audit_verifier_new(&o)) == NULL)
		exit(1);
	while (off < len) {
		const char *nl = memchr(rec + off, '\n', len - off);
		size_t n = nl != NULL ? (size_t)(nl - rec) - off : len - off;
		if (audit_verifier_feed(av, rec + off, n, &f) != 0) {
			fprintf(stderr, "bench_feed: refused: %s\n", f.en);
			exit(1);
		}
		off += n + 1;
		lines++;
	}
	audit_verifier_free(av);
	return lines;
}

int
main(int argc, char **argv)
{
	FILE *fp;
	char *rec;
	long n;
	size_t lines = 0;
	double t[3], c[3];
	audit_verify_opts o;
	audit_summary *sum = NULL;
	audit_failure fail;

	if (argc != 2 || (fp = fopen(argv[1], "rb")) == NULL) {
		fprintf(stderr, "usage: bench_feed RECORD\n");
		return 2;
	}
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	rec = malloc((size_t)n + 1);
	if (rec == NULL || fread(rec, 1, (size_t)n, fp) != (size_t)n)
		return 2;
	fclose(fp);
	for (int k = 0; k < 3; k++) {
		double t0 = now_s(), c0 = cpu_s();
		if (k == 0) {
			memset(&o, 0, sizeof o);
			o.threads = 1;
			if (audit_verify_file(argv[1], &o, &sum, &fail) != 0) {
				fprintf(stderr, "bench_feed: %s\n", fail.en);
				return 1;
			}
			audit_summary_free(sum);
		} else
			lines = feed(rec, (size_t)n, k == 2);
		t[k] = now_s() - t0;
		c[k] = cpu_s() - c0;
	}
	printf("record: %zu lines (%.1f MB)\n", lines, (double)n / 1e6);
	printf("whole-record verifier, 1 worker: %.2f s wall, %.2f s CPU\n",
	    t[0], c[0]);
	printf("check on write, every proof again: %.2f s (%.1f us/line), "
	    "ratio to the verifier's CPU %.2f\n", t[1], 1e6 * t[1] /
	    (double)lines, t[1] / c[0]);
	printf("check on write, ballots proven (the server's): %.2f s "
	    "(%.1f us/line), ratio to the verifier's CPU %.2f\n", t[2],
	    1e6 * t[2] / (double)lines, t[2] / c[0]);
	free(rec);
	return 0;
}

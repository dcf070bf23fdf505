/*
 * test_feed.c — the verifier one line at a time (audit_verifier_feed)
 * against the whole-record verifier (audit_verify_file), on a record
 * given on the command line (tamper.sh runs it on the clean record and on
 * every tampered one).
 *
 * What must hold, since the appliance checks each event with the first
 * before it writes it: when the whole record fails at an event (seq ≠
 * UINT64_MAX), feeding its lines refuses exactly that line, with the same
 * French and English texts, and accepts every line before it; when it
 * verifies, or fails only on what the end of a record decides (no final
 * checkpoint, a question without a result), every line is accepted and
 * the head after the last one is the record's. A refused verifier refuses
 * every further line.
 *
 *   test_feed RECORD
 * Exit 0 when all holds (prints the checks), 1 otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/verify.h"
#include "tests/check.h"

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		if (buf != NULL) {
			buf[n] = '\0';
			*len = (size_t)n;
		}
	}
	fclose(f);
	return buf;
}

int
main(int argc, char **argv)
{
	audit_verify_opts o;
	audit_summary *sum = NULL;
	audit_failure whole, one;
	audit_verifier *av;
	char *rec;
	size_t len = 0, off = 0;
	uint64_t seq = 0, refused = UINT64_MAX, next;
	uint8_t head[32];
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: test_feed RECORD\n");
		return 2;
	}
	if ((rec = slurp(argv[1], &len)) == NULL) {
		fprintf(stderr, "test_feed: cannot read %s\n", argv[1]);
		return 2;
	}
	memset(&o, 0, sizeof o);
	o.threads = 2;
	rc = audit_verify_file(argv[1], &o, &sum, &whole);
	memset(&one, 0, sizeof one);
	o.threads = 0;
	av = audit_verifier_new(&o);
	CHECK(av != NULL);
	if (av == NULL)
		return check_done("test_feed");
	while (off < len) {
		char *nl = memchr(rec + off, '\n', len - off);
		size_t n = nl != NULL ? (size_t)(nl - rec) - off : len - off;
		if (audit_verifier_feed(av, rec + off, n, &one) != 0) {
			refused = seq;
			break;
		}
		off += n + 1;
		seq++;
	}
	if (rc == 0 || whole.seq == UINT64_MAX) {
		CHECK_MSG(refused == UINT64_MAX, "line %llu refused: %s",
		    (unsigned long long)refused, one.en);
		audit_verifier_head(av, head, &next);
		CHECK(next == seq);
		if (rc == 0)
			CHECK(sum != NULL && memcmp(head, sum->head, 32) == 0);
	} else {
		CHECK_MSG(refused == whole.seq, "refused at %llu, the record "
		    "fails at %llu (%s)", (unsigned long long)refused,
		    (unsigned long long)whole.seq, whole.en);
		CHECK_MSG(one.seq == whole.seq && strcmp(one.fr, whole.fr) == 0 &&
		    strcmp(one.en, whole.en) == 0, "feed: %s / whole: %s",
		    one.en, whole.en);
		/* Refused once, refused for good. */
		{
			audit_failure again;
			memset(&again, 0, sizeof again);
			CHECK(audit_verifier_feed(av, "{}", 2, &again) == 1);
			CHECK(again.seq == whole.seq);
		}
	}
	printf("%s: whole record %s at %llu; line by line %s at %llu\n",
	    argv[1], rc == 0 ? "verified" : "failed",
	    (unsigned long long)(rc == 0 ? seq : whole.seq),
	    refused == UINT64_MAX ? "accepted" : "refused",
	    (unsigned long long)(refused == UINT64_MAX ? seq : refused));
	audit_verifier_free(av);
	audit_summary_free(sum);
	free(rec);
	return check_done("test_feed");
}

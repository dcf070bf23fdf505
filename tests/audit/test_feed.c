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
 * every further line. The same with ballots_proven (the writer's own
 * check), except that a secret ballot's signature and proofs are not
 * checked again: such a record is then accepted there, or refused later.
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

/* Feeds rec line by line to a verifier made with o. OUT the seq of the
 * refused line (UINT64_MAX: none), its failure, the number of lines and
 * the head after them. */
static uint64_t
feed_all(const audit_verify_opts *o, const char *rec, size_t len,
    audit_failure *one, uint64_t *lines, uint8_t head[32])
{
	audit_verifier *av = audit_verifier_new(o);
	size_t off = 0;
	uint64_t seq = 0, refused = UINT64_MAX, next = 0;

	memset(one, 0, sizeof *one);
	CHECK(av != NULL);
	if (av == NULL)
		return 0;
	while (off < len) {
		const char *nl = memchr(rec + off, '\n', len - off);
		size_t n = nl != NULL ? (size_t)(nl - rec) - off : len - off;
		if (audit_verifier_feed(av, rec + off, n, one) != 0) {
			refused = seq;
			break;
		}
		off += n + 1;
		seq++;
	}
	if (refused != UINT64_MAX) {
		/* Refused once, refused for good. */
		audit_failure again;
		memset(&again, 0, sizeof again);
		CHECK(audit_verifier_feed(av, "{}", 2, &again) == 1);
		CHECK(again.seq == one->seq);
	}
	audit_verifier_head(av, head, &next);
	CHECK(refused != UINT64_MAX || next == seq);
	*lines = seq;
	audit_verifier_free(av);
	return refused;
}

/* What a writer that proved its secret ballots (ballots_proven) does not
 * check again: a secret ballot's signature and proofs. */
static int
proof_failure(const audit_failure *f)
{
	return strstr(f->en, "ballot at seq") != NULL &&
	    (strstr(f->en, "proof") != NULL ||
	    strstr(f->en, "signature invalid") != NULL);
}

int
main(int argc, char **argv)
{
	audit_verify_opts o;
	audit_summary *sum = NULL;
	audit_failure whole, one;
	char *rec;
	size_t len = 0;
	uint64_t refused, lines = 0;
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
	for (int proven = 0; proven <= 1; proven++) {
		o.threads = 0;
		o.ballots_proven = proven;
		refused = feed_all(&o, rec, len, &one, &lines, head);
		if (rc == 0 || whole.seq == UINT64_MAX) {
			CHECK_MSG(refused == UINT64_MAX, "line %llu refused: %s",
			    (unsigned long long)refused, one.en);
			if (rc == 0)
				CHECK(sum != NULL &&
				    memcmp(head, sum->head, 32) == 0);
		} else if (proven && proof_failure(&whole) &&
		    refused != whole.seq) {
			/* Not checked again: accepted there, or refused later
			 * (a changed ciphertext no longer sums). */
			CHECK_MSG(refused == UINT64_MAX || refused > whole.seq,
			    "proven: refused at %llu before %llu",
			    (unsigned long long)refused,
			    (unsigned long long)whole.seq);
		} else {
			CHECK_MSG(refused == whole.seq, "refused at %llu, the "
			    "record fails at %llu (%s)",
			    (unsigned long long)refused,
			    (unsigned long long)whole.seq, whole.en);
			CHECK_MSG(one.seq == whole.seq &&
			    strcmp(one.fr, whole.fr) == 0 &&
			    strcmp(one.en, whole.en) == 0, "feed: %s / whole: %s",
			    one.en, whole.en);
		}
		printf("%s: whole record %s at %llu; line by line%s %s at "
		    "%llu\n", argv[1], rc == 0 ? "verified" : "failed",
		    (unsigned long long)(rc == 0 ? lines : whole.seq),
		    proven ? " (ballots proven)" : "",
		    refused == UINT64_MAX ? "accepted" : "refused",
		    (unsigned long long)(refused == UINT64_MAX ? lines :
		    refused));
	}
	audit_summary_free(sum);
	free(rec);
	return check_done("test_feed");
}

/*
 * test_log.c — unit tests of audit/log.c and audit/record.c: the chain
 * of appended events verifies and any change breaks it, checkpoints sign
 * exactly (meeting, seq, head), the line parser is strict, the reader
 * enforces its caps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "audit/log.h"
#include "audit/record.h"
#include "crypto/group.h"
#include "tests/check.h"

static int
parse_ok(const char *line)
{
	audit_event ev;
	char err[256];
	int rc = audit_event_parse(&ev, line, strlen(line), err, sizeof err);

	audit_event_clear(&ev);
	return rc == 0;
}

int
main(void)
{
	audit_chain c, v;
	char *lines[4];
	size_t lens[4];
	uint8_t h[4][32], pk[32], sk[64], sig[64], zero[32] = { 0 };
	json_t *p = json_pack("{s:s}", "x", "é\n\"");

	CHECK(group_init() == 0);
	crypto_sign_keypair(pk, sk);
	audit_chain_init(&c);
	CHECK(audit_log_append(&c, "2024-06-15T08:00:00Z", "meeting", p,
	    &lines[0], &lens[0], h[0]) == 0);
	CHECK(strchr(lines[0], '\n') == NULL);
	CHECK(strstr(lines[0], "\"parent\":\"0000000000000000") != NULL);
	CHECK(audit_log_append(&c, "2024-06-15T08:00:01Z", "ballot", p,
	    &lines[1], &lens[1], h[1]) == 0);
	CHECK(audit_checkpoint_sign(sig, sk, "m1", 1, c.head) == 0);
	CHECK(audit_log_append_checkpoint(&c, "2024-06-15T08:00:02Z", sig,
	    &lines[2], &lens[2], h[2]) == 0);
	CHECK(c.next_seq == 3);
	/* bad inputs change nothing */
	CHECK(audit_log_append(&c, "2024-02-30T00:00:00Z", "x", p, &lines[3],
	    &lens[3], NULL) != 0);
	CHECK(audit_log_append(&c, "2024-06-15T08:00:02Z", "Bad", p, &lines[3],
	    &lens[3], NULL) != 0);
	CHECK(c.next_seq == 3);

	/* verify: parse each line, accept it into a fresh chain */
	audit_chain_init(&v);
	for (int i = 0; i < 3; i++) {
		audit_event ev;
		char err[256];
		uint8_t hh[32];
		CHECK(audit_event_parse(&ev, lines[i], lens[i], err,
		    sizeof err) == 0);
		CHECK(audit_chain_accept(&v, ev.seq, ev.parent, lines[i],
		    lens[i], hh) == 0);
		CHECK(memcmp(hh, h[i], 32) == 0);
		audit_event_clear(&ev);
	}
	CHECK(audit_checkpoint_verify(sig, pk, "m1", 1, h[1]) == 0);
	CHECK(audit_checkpoint_verify(sig, pk, "m2", 1, h[1]) != 0);
	CHECK(audit_checkpoint_verify(sig, pk, "m1", 0, h[1]) != 0);
	CHECK(audit_checkpoint_verify(sig, pk, "m1", 1, h[0]) != 0);
	/* a changed byte changes the hash, so the next parent fails */
	{
		audit_chain w;
		uint8_t hh[32];
		audit_chain_init(&w);
		lines[0][lens[0] - 3] ^= 1;
		CHECK(audit_chain_accept(&w, 0, zero, lines[0], lens[0], hh) == 0);
		CHECK(memcmp(hh, h[0], 32) != 0);
		CHECK(audit_chain_accept(&w, 1, h[0], lines[1], lens[1], NULL) != 0);
		CHECK(audit_chain_accept(&w, 2, hh, lines[1], lens[1], NULL) != 0);
		CHECK(w.next_seq == 1);
	}
	/* strict line parser */
	CHECK(parse_ok("{\"seq\":0,\"parent\":\"0000000000000000000000000000000000000000000000000000000000000000\",\"time\":\"2024-06-15T08:00:00Z\",\"kind\":\"a.b\",\"payload\":{}}"));
	CHECK(!parse_ok("{\"seq\":0,\"seq\":0,\"parent\":\"0000000000000000000000000000000000000000000000000000000000000000\",\"time\":\"2024-06-15T08:00:00Z\",\"kind\":\"a\",\"payload\":{}}"));
	CHECK(!parse_ok("{\"seq\":0,\"parent\":\"0000000000000000000000000000000000000000000000000000000000000000\",\"time\":\"2024-06-15T08:00:00Z\",\"kind\":\"a\",\"payload\":{},\"x\":1}"));
	CHECK(!parse_ok("{\"seq\":0,\"parent\":\"000000000000000000000000000000000000000000000000000000000000000A\",\"time\":\"2024-06-15T08:00:00Z\",\"kind\":\"a\",\"payload\":{}}"));
	CHECK(!parse_ok("{\"seq\":-1,\"parent\":\"0000000000000000000000000000000000000000000000000000000000000000\",\"time\":\"2024-06-15T08:00:00Z\",\"kind\":\"a\",\"payload\":{}}"));
	CHECK(!parse_ok("{\"seq\":1.0,\"parent\":\"0000000000000000000000000000000000000000000000000000000000000000\",\"time\":\"2024-06-15T08:00:00Z\",\"kind\":\"a\",\"payload\":{}}"));
	CHECK(!parse_ok("{\"seq\":0,\"parent\":\"0000000000000000000000000000000000000000000000000000000000000000\",\"time\":\"2024-06-15 08:00:00\",\"kind\":\"a\",\"payload\":{}}"));
	CHECK(!parse_ok("{\"seq\":0,\"parent\":\"0000000000000000000000000000000000000000000000000000000000000000\",\"time\":\"2024-06-15T08:00:00Z\",\"kind\":\"A\",\"payload\":{}}"));
	CHECK(!parse_ok("{\"seq\":0,\"parent\":\"0000000000000000000000000000000000000000000000000000000000000000\",\"time\":\"2024-06-15T08:00:00Z\",\"kind\":\"a\",\"payload\":[]}"));
	CHECK(!parse_ok("{\"seq\":0,\"parent\":\"0000000000000000000000000000000000000000000000000000000000000000\",\"time\":\"2024-06-15T08:00:00Z\",\"kind\":\"a\",\"payload\":{\"s\":\"\\u0000\"}}"));
	CHECK(!parse_ok("{\"seq\":0,\t\"parent\":\"0000000000000000000000000000000000000000000000000000000000000000\",\"time\":\"2024-06-15T08:00:00Z\",\"kind\":\"a\",\"payload\":{}}"));
	/* reader caps */
	{
		int fds[2];
		audit_reader *r;
		const char *l;
		size_t n;
		char err[128];
		CHECK(pipe(fds) == 0);
		CHECK(write(fds[1], "abc\n0123456789ABCDEF\nxy", 23) == 23);
		close(fds[1]);
		r = audit_reader_new(fds[0], 8, 10);
		CHECK(audit_reader_next(r, &l, &n, err, sizeof err) == 1 &&
		    n == 3 && memcmp(l, "abc", 3) == 0);
		CHECK(audit_reader_next(r, &l, &n, err, sizeof err) == -1);
		audit_reader_free(r);
		close(fds[0]);
		CHECK(pipe(fds) == 0);
		CHECK(write(fds[1], "a\nb\nc", 5) == 5);
		close(fds[1]);
		r = audit_reader_new(fds[0], 8, 10);
		CHECK(audit_reader_next(r, &l, &n, err, sizeof err) == 1);
		CHECK(audit_reader_next(r, &l, &n, err, sizeof err) == 1);
		CHECK(audit_reader_next(r, &l, &n, err, sizeof err) == -1);
		audit_reader_free(r);
		close(fds[0]);
		CHECK(pipe(fds) == 0);
		CHECK(write(fds[1], "a\nb\nc\n", 6) == 6);
		close(fds[1]);
		r = audit_reader_new(fds[0], 8, 2);
		CHECK(audit_reader_next(r, &l, &n, err, sizeof err) == 1);
		CHECK(audit_reader_next(r, &l, &n, err, sizeof err) == 1);
		CHECK(audit_reader_next(r, &l, &n, err, sizeof err) == -1);
		audit_reader_free(r);
		close(fds[0]);
	}
	for (int i = 0; i < 3; i++)
		free(lines[i]);
	json_decref(p);
	return check_done("test_log");
}

/*
 * test_imsg.c — the framing of the privileged boundary (server/imsg.c)
 * and the privileged dispatcher's refusals (server/priv.c): exact sizes,
 * trailing bytes, oversized records, wrong types; the network side's
 * client joins a reply sent in PART records (a view longer than one
 * record), and closes the channel on a reply over PRIV_REPLY_MAX.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <sodium.h>

#include "server/imsg.h"
#include "server/priv.h"
#include "server/store.h"
#include "tests/check.h"

static void
test_codec(void)
{
	uint8_t rec[IMSG_MAX_RECORD];
	struct imsg *m = xmalloc(sizeof *m);
	size_t n = imsg_encode(rec, 7, 42, (const uint8_t *)"abc", 3);

	CHECK(n == 15);
	CHECK(imsg_decode(m, rec, n) == 0);
	CHECK(m->type == 7 && m->id == 42 && m->len == 3);
	CHECK(memcmp(m->data, "abc", 3) == 0);
	/* Short header, length mismatch both ways, oversize. */
	CHECK(imsg_decode(m, rec, 11) == -1);
	CHECK(imsg_decode(m, rec, 14) == -1);
	CHECK(imsg_decode(m, rec, 16) == -1);
	rec[8] = 0xff; rec[9] = 0xff; rec[10] = 0; rec[11] = 0;
	CHECK(imsg_decode(m, rec, 15) == -1);
	CHECK(imsg_encode(rec, 1, 1, NULL, IMSG_MAX_PAYLOAD + 1) == 0);
	uint8_t *full = xcalloc(IMSG_MAX_PAYLOAD, 1);
	CHECK(imsg_encode(rec, 1, 1, full, IMSG_MAX_PAYLOAD) == IMSG_MAX_RECORD);
	CHECK(imsg_decode(m, rec, IMSG_MAX_RECORD) == 0 && m->len == IMSG_MAX_PAYLOAD);
	free(full);
	free(m);
}

static void
test_fields(void)
{
	struct mbuf b;
	struct mreader r;
	char s[8];
	uint8_t d[4];

	m_init(&b);
	m_add_u32(&b, 0xdeadbeef);
	m_add_u64(&b, 0x0102030405060708ull);
	m_add_str(&b, "hello");
	m_add_data(&b, "wxyz", 4);
	CHECK(b.err == 0 && b.len == 4 + 8 + 2 + 5 + 4);
	CHECK(b.data[0] == 0xef && b.data[4] == 0x08);

	m_reader_raw(&r, b.data, b.len);
	CHECK(m_get_u32(&r) == 0xdeadbeef);
	CHECK(m_get_u64(&r) == 0x0102030405060708ull);
	m_get_str(&r, s, sizeof s);
	CHECK(strcmp(s, "hello") == 0);
	m_get_data(&r, d, 4);
	CHECK(m_end(&r) == 0);

	/* Trailing byte: refused. */
	m_reader_raw(&r, b.data, b.len);
	(void)m_get_u32(&r);
	(void)m_get_u64(&r);
	m_get_str(&r, s, sizeof s);
	CHECK(m_end(&r) == -1);

	/* Truncated: every later get fails, m_end fails. */
	m_reader_raw(&r, b.data, 10);
	(void)m_get_u32(&r);
	CHECK(m_get_u64(&r) == 0 && r.err);
	CHECK(m_end(&r) == -1);

	/* A string longer than the reader's cap. */
	m_reader_raw(&r, b.data + 12, 7);
	m_get_str(&r, s, 5);
	CHECK(r.err && s[0] == '\0');

	/* A NUL inside a string. */
	uint8_t nul[] = { 3, 0, 'a', 0, 'b' };
	m_reader_raw(&r, nul, sizeof nul);
	m_get_str(&r, s, sizeof s);
	CHECK(r.err);

	/* A string whose length runs past the payload. */
	uint8_t past[] = { 9, 0, 'a', 'b' };
	m_reader_raw(&r, past, sizeof past);
	m_get_str(&r, s, sizeof s);
	CHECK(r.err);

	/* Overflowing the builder sets err; sending it fails. */
	struct mbuf *big = xmalloc(sizeof *big);
	m_init(big);
	for (unsigned i = 0; i < IMSG_MAX_PAYLOAD / 4 + 10; i++)
		m_add_u32(big, 1);
	CHECK(big->err == 1 && big->len <= IMSG_MAX_PAYLOAD);
	CHECK(imsg_send(-1, 1, 1, big) == -1);
	free(big);
}

static void
test_socket(void)
{
	int sv[2];
	struct mbuf b;
	struct imsg *m = xmalloc(sizeof *m);
	uint8_t *raw = xcalloc(IMSG_MAX_RECORD + 100, 1);

	CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == 0);
	m_init(&b);
	m_add_u32(&b, 5);
	CHECK(imsg_send(sv[0], IMSG_STATUS_REQ, 9, &b) == 0);
	CHECK(imsg_recv(sv[1], m, 1000) == 1);
	CHECK(m->type == IMSG_STATUS_REQ && m->id == 9 && m->len == 4);
	/* A record bigger than the maximum is refused whole. */
	size_t n = imsg_encode(raw, 1, 1, raw, 8);
	raw[8] = 0x10; raw[9] = 0x20; /* len field: 8208 */
	(void)n;
	CHECK(send(sv[0], raw, IMSG_MAX_RECORD + 100, 0) ==
	    (ssize_t)(IMSG_MAX_RECORD + 100));
	CHECK(imsg_recv(sv[1], m, 1000) == -1);
	/* Nothing pending: timeout is an error. */
	CHECK(imsg_recv(sv[1], m, 10) == -1);
	close(sv[0]);
	CHECK(imsg_recv(sv[1], m, 1000) == 0);
	close(sv[1]);
	free(raw);
	free(m);
}

static void
test_dispatch(void)
{
	char dir[] = "test-output/imsg-XXXXXX";
	struct store *st = NULL;
	uint8_t *sk = NULL, pk[32];
	struct imsg *req = xcalloc(1, sizeof *req);
	struct mbuf *rep = xmalloc(sizeof *rep);
	struct mreader r;

	(void)mkdir("test-output", 0755);
	CHECK(mkdtemp(dir) != NULL);
	CHECK(store_open(&st, dir) == 0);
	CHECK(priv_key_load(dir, &sk, pk) == 0);
	if (st == NULL || sk == NULL)
		goto out;

	req->type = IMSG_STATUS_REQ;
	req->len = 0;
	CHECK(priv_dispatch(st, sk, pk, req, rep) == IMSG_STATUS_REP);
	m_reader_raw(&r, rep->data, rep->len);
	CHECK(m_get_u32(&r) == STORE_ROLL_VERSION);
	CHECK(m_get_u32(&r) == STORE_BOX_VERSION);
	CHECK(m_get_u64(&r) == 0);
	CHECK(m_get_u64(&r) == 0);
	CHECK(m_get_u64(&r) == 0);
	uint8_t got[32];
	m_get_data(&r, got, 32);
	CHECK(memcmp(got, pk, 32) == 0);
	/* The storage's state (server/storage.h): healthy, no data
	 * directory given (free space unknown). */
	{
		char str[512];

		CHECK(m_get_u32(&r) == 0);
		CHECK(m_get_u64(&r) == 0);
		CHECK(m_get_u64(&r) == 0);
		CHECK((int64_t)m_get_u64(&r) == -1);
		m_get_str(&r, str, sizeof str);
		CHECK(strcmp(str, "") == 0);
		m_get_str(&r, str, sizeof str);
		CHECK(strcmp(str, "ok") == 0);
		m_get_str(&r, str, sizeof str);
		CHECK(strcmp(str, "") == 0);
		m_get_str(&r, str, sizeof str);
		CHECK(strcmp(str, "") == 0);
	}
	CHECK(m_end(&r) == 0);

	/* One trailing byte: malformed. */
	req->len = 1;
	CHECK(priv_dispatch(st, sk, pk, req, rep) == IMSG_ERROR_REP);
	m_reader_raw(&r, rep->data, rep->len);
	CHECK(m_get_u32(&r) == PRIV_ERR_MALFORMED && m_end(&r) == 0);

	/* Unknown type. */
	req->type = 999;
	req->len = 0;
	CHECK(priv_dispatch(st, sk, pk, req, rep) == IMSG_ERROR_REP);
	m_reader_raw(&r, rep->data, rep->len);
	CHECK(m_get_u32(&r) == PRIV_ERR_UNKNOWN);

	/* A reply type sent as a request. */
	req->type = IMSG_STATUS_REP;
	CHECK(priv_dispatch(st, sk, pk, req, rep) == IMSG_ERROR_REP);

	/* Activation: short by one byte, then well-formed but unknown. */
	struct mbuf b;
	uint8_t zero[64] = { 0 };
	m_init(&b);
	m_add_str(&b, "ag-2026");
	m_add_data(&b, zero, 32);
	m_add_u64(&b, 0);
	m_add_data(&b, zero, 63);
	req->type = IMSG_ACTIVATE_REQ;
	memcpy(req->data, b.data, b.len);
	req->len = (uint32_t)b.len;
	CHECK(priv_dispatch(st, sk, pk, req, rep) == IMSG_ERROR_REP);
	m_add_data(&b, zero, 1);
	memcpy(req->data, b.data, b.len);
	req->len = (uint32_t)b.len;
	CHECK(priv_dispatch(st, sk, pk, req, rep) == IMSG_ACTIVATE_REP);
	m_reader_raw(&r, rep->data, rep->len);
	/* ts = 0 is outside the window: refused before any lookup. */
	CHECK(m_get_u32(&r) == 5 /* CRED_ACT_STALE */);
out:
	store_close(st);
	if (sk != NULL)
		sodium_free(sk);
	free(req);
	free(rep);
}

/* The privileged side of test_parts: answers one API_REQ with a reply of
 * `total` bytes of JSON in PART records then API_REP (or, with `over`,
 * PART records past PRIV_REPLY_MAX and no end). */
struct fake_priv {
	int fd;
	size_t total;
	int over;
	int ok;
};

static void *
fake_priv_main(void *arg)
{
	struct fake_priv *f = arg;
	struct imsg *req = xmalloc(sizeof *req);
	struct mbuf head;
	char *json = xmalloc(f->total + 1);
	uint8_t *all;
	size_t n, off = 0;

	f->ok = imsg_recv(f->fd, req, 5000) == 1 &&
	    req->type == IMSG_API_REQ;
	/* {"pad":"xxx…"}: valid JSON of exactly total bytes. */
	memcpy(json, "{\"pad\":\"", 8);
	memset(json + 8, 'x', f->total - 10);
	memcpy(json + f->total - 2, "\"}", 2);
	m_init(&head);
	m_add_u32(&head, 200);
	m_add_str(&head, "");
	m_add_str(&head, "");
	m_add_u32(&head, (uint32_t)f->total);
	n = head.len + f->total;
	all = xmalloc(n);
	memcpy(all, head.data, head.len);
	memcpy(all + head.len, json, f->total);
	while (f->ok && (f->over || n - off > IMSG_MAX_PAYLOAD)) {
		static uint8_t filler[IMSG_MAX_PAYLOAD];
		struct iovec v = { f->over ? filler : all + off,
			IMSG_MAX_PAYLOAD };

		if (imsg_sendv(f->fd, IMSG_PART, req->id, &v, 1) != 0)
			break;	/* the client closed the channel */
		off += IMSG_MAX_PAYLOAD;
		/* (a few records fit in the socket buffer after the
		 * client stopped reading; 2 MiB do not) */
		if (f->over && off > PRIV_REPLY_MAX + 32 * IMSG_MAX_PAYLOAD) {
			f->ok = 0;	/* the client took it all: wrong */
			break;
		}
	}
	if (f->ok && !f->over) {
		struct iovec v = { all + off, n - off };

		f->ok = imsg_sendv(f->fd, IMSG_API_REP, req->id, &v, 1) == 0;
	}
	free(all);
	free(json);
	free(req);
	return NULL;
}

static void
test_parts(void)
{
	static const size_t sizes[] = { 100, IMSG_MAX_PAYLOAD - 20,
		IMSG_MAX_PAYLOAD, 3 * IMSG_MAX_PAYLOAD + 7, 1000000 };

	for (size_t k = 0; k <= sizeof sizes / sizeof sizes[0]; k++) {
		int sv[2], status = 0;
		char code[33], field[33], *json = NULL;
		struct fake_priv f = { 0 };
		pthread_t th;
		int over = k == sizeof sizes / sizeof sizes[0];

		CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == 0);
		struct priv_client *c = priv_client_new(sv[0]);
		f.fd = sv[1];
		f.total = over ? 4096 : sizes[k];
		f.over = over;
		CHECK(pthread_create(&th, NULL, fake_priv_main, &f) == 0);
		int rc = priv_api(c, 1, "ag", "", "", (const uint8_t *)"{}", 2,
		    &status, code, field, &json);
		if (!over) {
			CHECK_MSG(rc == 0 && status == 200 && json != NULL &&
			    strlen(json) == sizes[k] && json[8] == 'x' &&
			    json[sizes[k] - 1] == '}', "reply of %zu bytes: rc %d "
			    "status %d", sizes[k], rc, status);
		} else {
			/* Over the maximum: the call fails because the
			 * size check closed the channel (not by its 10 s
			 * timeout, which would leave it open), and so does
			 * the next one, which is never sent. */
			CHECK(rc != 0 && priv_client_broken(c));
			CHECK(priv_api(c, 1, "ag", "", "", (const uint8_t *)"{}",
			    2, &status, code, field, &json) != 0);
		}
		free(json);
		shutdown(sv[1], SHUT_RDWR);
		pthread_join(th, NULL);
		CHECK(f.ok);
		priv_client_free(c);
		close(sv[1]);
	}
}

int
main(void)
{
	if (sodium_init() < 0)
		return 1;
	test_codec();
	test_fields();
	test_socket();
	test_dispatch();
	test_parts();
	return check_done("test_imsg");
}

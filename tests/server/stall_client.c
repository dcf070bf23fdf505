/*
 * stall_client.c — a live-stream client that stops reading (for
 * tests/server/streams.mjs): a small, fixed receive buffer (Node cannot
 * set SO_RCVBUF, and Linux grows an unlocked one to megabytes), TLS with
 * the server's certificate as the only CA, GET PATH, then the snapshot is
 * read and "ready" printed. It then reads nothing until a line arrives on
 * its standard input; after it, it reads to the end and prints
 * "events N" (events received after the snapshot) and exits 0.
 *
 *   stall_client PORT CAFILE PATH RCVBUF
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

static int
fail(const char *what)
{
	fprintf(stderr, "stall_client: %s\n", what);
	ERR_print_errors_fp(stderr);
	return 1;
}

static unsigned
count_events(const char *p, size_t n)
{
	unsigned c = 0;

	for (size_t i = 0; i + 7 <= n; i++)
		if (memcmp(p + i, "event: ", 7) == 0 && (i == 0 ||
		    p[i - 1] == '\n'))
			c++;
	return c;
}

int
main(int argc, char **argv)
{
	struct sockaddr_in a;
	SSL_CTX *ctx;
	SSL *ssl;
	char req[512], line[16];
	static char buf[1 << 20];
	size_t have = 0;
	int fd, rb, n;
	unsigned after = 0;
	char *snap;

	if (argc != 5)
		return fail("usage: stall_client PORT CAFILE PATH RCVBUF");
	rb = atoi(argv[4]);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)atoi(argv[1]));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rb, sizeof rb) != 0 ||
	    connect(fd, (struct sockaddr *)&a, sizeof a) != 0)
		return fail("connect");
	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL ||
	    SSL_CTX_load_verify_locations(ctx, argv[2], NULL) != 1)
		return fail("CA");
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	if ((ssl = SSL_new(ctx)) == NULL || SSL_set_fd(ssl, fd) != 1 ||
	    SSL_set_tlsext_host_name(ssl, "localhost") != 1 ||
	    SSL_set1_host(ssl, "localhost") != 1 || SSL_connect(ssl) != 1)
		return fail("TLS");
	n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: localhost\r\n"
	    "Accept: text/event-stream\r\n\r\n", argv[3]);
	if (n < 0 || (size_t)n >= sizeof req || SSL_write(ssl, req, n) != n)
		return fail("request");
	for (;;) {
		if (have == sizeof buf - 1)
			return fail("snapshot too large");
		n = SSL_read(ssl, buf + have, (int)(sizeof buf - 1 - have));
		if (n <= 0)
			return fail("no snapshot");
		have += (size_t)n;
		buf[have] = '\0';
		if (strncmp(buf, "HTTP/1.1 200", 12) != 0)
			return fail("status");
		if ((snap = strstr(buf, "event: snapshot\n")) != NULL &&
		    strstr(snap, "\n\n") != NULL)
			break;
	}
	after = count_events(buf, have) - 1;
	printf("ready\n");
	fflush(stdout);
	if (fgets(line, sizeof line, stdin) == NULL)
		return fail("stdin");
	/* Everything left, to the end (a boundary may cut "event: ": the
	 * count is a lower bound, which is what the test needs). */
	for (;;) {
		n = SSL_read(ssl, buf, (int)sizeof buf);
		if (n <= 0)
			break;
		after += count_events(buf, (size_t)n);
	}
	printf("events %u\n", after);
	SSL_free(ssl);
	SSL_CTX_free(ctx);
	close(fd);
	return 0;
}

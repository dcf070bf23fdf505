/*
 * phones.c — the timed half of the server benchmark
 * (tests/bench/bench_server.mjs prepares the meeting and the ballots in
 * Node, then drives this program): N phones on the live event stream
 * who each post their ballot as soon as the stream says the motion is
 * open. The load generator shares the machine's cores with the server,
 * so this part is C: one thread, one epoll loop, non-blocking sockets,
 * OpenSSL 3 (TLS 1.3 only, the server's certificate checked against the
 * CA file given and the server name), prebuilt request bytes.
 *
 * Usage:
 *   phones [-c CONNECTING] [-p POSTERS] [-n SERVERNAME] [-t SECONDS]
 *          HOST PORT CA_FILE EVENTS_PATH BALLOTS_PATH BALLOTS_FILE
 *
 *   HOST PORT     the server (numeric IPv4 address, e.g. 127.0.0.1)
 *   CA_FILE       PEM file of the CA the server's certificate must chain to
 *   EVENTS_PATH   the live stream, e.g. /api/v1/meetings/ag/events
 *   BALLOTS_PATH  where ballots are posted, e.g. /api/v1/meetings/ag/ballots
 *   BALLOTS_FILE  one line per phone: the receipt (lowercase hex) its
 *                 answer must carry, one space, the JSON body to post
 *                 (no raw newline: JSON.stringify output); N = lines
 *   -c  streams opening at once (default: all N: the connection storm)
 *   -p  keep-alive posting connections (default 128)
 *   -n  TLS server name (SNI and certificate check; default localhost)
 *   -t  time limit of each phase, seconds (default 120)
 *   -f  fresh connections: no pool; each phone posts on a connection of
 *       its own, opened when it learns of the opening (as a phone whose
 *       earlier connection the server closed after its keep-alive): a
 *       TLS 1.3 resumption with the ticket its stream received (a full
 *       handshake if none came), left open after the answer as a
 *       browser leaves it (the server closes it). -p is then N.
 *
 * Dialogue with the driver, one line each, in this order:
 *   stdout  streams {"connected":..,"refused":..,"failed":..,"ms":..}
 *           (every phone's stream open, or refused or failed)
 *   stdin   post
 *   stdout  ready {"posters":..,"failed":..,"ms":..}
 *           (the posting connections open and idle)
 *   stdin   go T      T: CLOCK_MONOTONIC in ns (Node's process.hrtime)
 *                     taken just before the driver sends the request
 *                     that opens the motion; every time reported is
 *                     relative to it. The phones do not wait for "go":
 *                     each one acts when its stream carries
 *                     "event: question_open".
 *   stdout  result {...}   when every phone's ballot is acknowledged or
 *           failed, or its stream lost, or the time limit passed:
 *           counts, this program's CPU time from "go" to the result
 *           (getrusage), "notified_ms" (per phone, null if never) and
 *           "ack_ms" (per acknowledged ballot).
 *   stdin   end of file: the sockets are closed and the program exits
 *           (so that the driver reads the server's CPU before the 2,000
 *           streams close).
 * A posted ballot is acknowledged when the answer is 200 and its body
 * carries "receipt":"<the receipt>". A posting connection the server
 * closed is opened again and the ballot in flight sent once more (the
 * same ballot gets the same receipt). Every failure is counted and the
 * first few printed verbatim on stderr; nothing is dropped silently.
 * Exit status: 0 when every phone's ballot was acknowledged, 1 when the
 * run is not complete, 2 on a usage or setup error.
 *
 * Invariants: one request in flight per posting connection, answers
 * framed by Content-Length only (chunked answers are errors); a phone
 * stops reading its stream once it knows (as a phone busy voting would:
 * no CPU spent here per later event); the queue of ballots to post holds
 * each phone at most once.
 */
#define _GNU_SOURCE /* memmem */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#define OPEN_MARK "\nevent: question_open\n"
#define HEAD_MAX 8192           /* an answer's header, at most */
#define ANSWER_MAX (256 * 1024) /* an answer, at most */
#define SHOW_MAX 3              /* failures printed verbatim per kind */

enum kind { PHONE, POSTER };
enum state {
	ST_CLOSED,     /* no socket */
	ST_CONNECTING, /* TCP connect in progress */
	ST_HANDSHAKE,  /* TLS handshake */
	ST_REQUEST,    /* writing the request (phone: GET; poster: ballot) */
	ST_HEAD,       /* phone: reading the answer's header */
	ST_STREAM,     /* phone: reading events until the opening */
	ST_KNOWS,      /* phone: knows; no longer read */
	ST_IDLE,       /* poster: open, nothing in flight */
	ST_ANSWER,     /* poster: reading the answer */
};

struct conn {
	enum kind kind;
	enum state st;
	int fd;
	uint32_t events; /* the epoll interest now set, 0 if none */
	SSL *ssl;
	uint32_t idx;    /* phone or poster number */
	/* phone: the last bytes read (OPEN_MARK across two reads) */
	char tail[sizeof OPEN_MARK];
	size_t ntail;
	/* poster: the ballot in flight (-1: none), sent again once */
	long cur;
	int resent;
	/* header (phone) or answer (poster) read so far */
	char *buf;
	size_t len, cap;
};

struct ballot {
	char *req;     /* the whole HTTP request */
	size_t reqlen;
	char *mark;    /* "receipt":"<hex>" */
	size_t marklen;
};

static struct {
	/* arguments */
	struct sockaddr_in addr;
	const char *servername, *events_path;
	long n, posters, connecting, limit_s;
	int fresh;
	/* state */
	SSL_CTX *ctx;
	int ep;
	struct ballot *b;
	struct conn *phone, *poster;
	SSL_SESSION **sess;  /* -f: each phone's ticket, from its stream */
	long nresumed;
	long *queue, qhead, qtail; /* ballots waiting for a poster */
	/* phase 1: the streams */
	long started, connected, refused, sfailed, opening;
	/* phase 2: the posting connections */
	int post_asked;
	long popen, pfailed;
	/* phase 3: the vote */
	int go;
	int64_t t_open;                    /* ns, the driver's clock */
	int64_t *notified, *acked_at;      /* ns, 0 = not yet */
	long nacked, nfailed, nlost, nresent, nreopened, nknow;
	struct rusage ru_go;
	/* stdin */
	char line[256];
	size_t linelen;
	int stdin_eof;
	/* failures printed per kind */
	int shown[8];
} g;

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void *
xmalloc(size_t n)
{
	void *p = malloc(n == 0 ? 1 : n);

	if (p == NULL) {
		fprintf(stderr, "phones: out of memory\n");
		exit(2);
	}
	return p;
}

static void *
xrealloc(void *o, size_t n)
{
	void *p = realloc(o, n);

	if (p == NULL) {
		fprintf(stderr, "phones: out of memory\n");
		exit(2);
	}
	return p;
}

/* The first SHOW_MAX failures of each kind, verbatim on stderr. */
enum { SH_STREAM, SH_LOST, SH_POSTER, SH_ANSWER, SH_PROTO };
static void show(int, const char *, ...)
    __attribute__((format(printf, 2, 3)));
static void
show(int kind, const char *fmt, ...)
{
	va_list ap;

	if (g.shown[kind]++ >= SHOW_MAX)
		return;
	va_start(ap, fmt);
	fputs("phones: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* What went wrong in the last SSL call: OpenSSL's queue, or errno. */
static const char *
ssl_why(SSL *ssl, int rc, char out[256])
{
	int e = SSL_get_error(ssl, rc);
	unsigned long q = ERR_peek_last_error();

	if (q != 0)
		ERR_error_string_n(q, out, 256);
	else if (e == SSL_ERROR_SYSCALL && errno != 0)
		snprintf(out, 256, "%s", strerror(errno));
	else if (e == SSL_ERROR_SYSCALL || e == SSL_ERROR_ZERO_RETURN)
		snprintf(out, 256, "connection closed by the server");
	else
		snprintf(out, 256, "TLS error %d", e);
	ERR_clear_error();
	return out;
}

static int
want(struct conn *c, uint32_t ev)
{
	struct epoll_event e = { .events = ev, .data.ptr = c };

	if (c->events == ev)
		return 0;
	if (epoll_ctl(g.ep, c->events == 0 ? EPOLL_CTL_ADD :
	    ev == 0 ? EPOLL_CTL_DEL : EPOLL_CTL_MOD, c->fd, &e) != 0) {
		fprintf(stderr, "phones: epoll_ctl: %s\n", strerror(errno));
		exit(2);
	}
	c->events = ev;
	return 0;
}

static void
conn_close(struct conn *c)
{
	if (c->ssl != NULL)
		SSL_free(c->ssl);
	c->ssl = NULL;
	if (c->fd >= 0)
		close(c->fd); /* also leaves the epoll set */
	c->fd = -1;
	c->events = 0;
	c->st = ST_CLOSED;
	c->len = 0;
	c->ntail = 0;
}

/* Starts a TCP connection. Returns 0, or -1 with *err set. */
static int
conn_open(struct conn *c, char err[256])
{
	int one = 1;

	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		snprintf(err, 256, "socket: %s", strerror(errno));
		return -1;
	}
	if (setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0) {
		snprintf(err, 256, "TCP_NODELAY: %s", strerror(errno));
		conn_close(c);
		return -1;
	}
	c->len = 0;
	c->ntail = 0;
	if (connect(c->fd, (struct sockaddr *)&g.addr, sizeof g.addr) != 0 &&
	    errno != EINPROGRESS) {
		snprintf(err, 256, "connect: %s", strerror(errno));
		conn_close(c);
		return -1;
	}
	c->st = ST_CONNECTING;
	want(c, EPOLLOUT);
	return 0;
}

/* TCP connected: set up TLS. Returns 0, or -1 with *err set. */
static int
conn_tls(struct conn *c, char err[256])
{
	int so = 0;
	socklen_t sl = sizeof so;

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &so, &sl) != 0)
		so = errno;
	if (so != 0) {
		snprintf(err, 256, "connect: %s", strerror(so));
		return -1;
	}
	ERR_clear_error();
	if ((c->ssl = SSL_new(g.ctx)) == NULL ||
	    SSL_set_fd(c->ssl, c->fd) != 1 ||
	    SSL_set_tlsext_host_name(c->ssl, g.servername) != 1 ||
	    SSL_set1_host(c->ssl, g.servername) != 1) {
		ERR_error_string_n(ERR_get_error(), err, 256);
		ERR_clear_error();
		return -1;
	}
	/* Phones are many and idle most of the time: no buffers kept. */
	if (c->kind == PHONE)
		SSL_set_mode(c->ssl, SSL_MODE_RELEASE_BUFFERS);
	SSL_set_app_data(c->ssl, c);
	if (g.fresh && c->kind == POSTER && c->cur >= 0 &&
	    g.sess[c->cur] != NULL)
		(void)SSL_set_session(c->ssl, g.sess[c->cur]);
	SSL_set_connect_state(c->ssl);
	c->st = ST_HANDSHAKE;
	return 0;
}

/*
 * One step of an SSL call that may need the socket readable or
 * writable: 1 done (rc > 0), 0 try again on the event set, -1 failed
 * (*err set).
 */
static int
ssl_step(struct conn *c, int rc, char err[256])
{
	int e;

	if (rc > 0)
		return 1;
	e = SSL_get_error(c->ssl, rc);
	if (e == SSL_ERROR_WANT_READ) {
		ERR_clear_error();
		want(c, EPOLLIN);
		return 0;
	}
	if (e == SSL_ERROR_WANT_WRITE) {
		ERR_clear_error();
		want(c, EPOLLOUT);
		return 0;
	}
	ssl_why(c->ssl, rc, err);
	return -1;
}

static double
ms(int64_t t)
{
	return (double)(t - g.t_open) / 1e6;
}

/* ---- phones ----------------------------------------------------------- */

static void phone_start(struct conn *c);
static void poster_next(struct conn *p);

static void
phone_failed(struct conn *c, int refused, const char *why)
{
	show(SH_STREAM, "stream %u %s: %s", c->idx,
	    refused ? "refused" : "failed", why);
	conn_close(c);
	free(c->buf);
	c->buf = NULL;
	c->cap = 0;
	if (refused)
		g.refused++;
	else
		g.sfailed++;
	g.opening--;
}

/* The stream is open: the next phone may start connecting. */
static void
phone_connected(struct conn *c)
{
	(void)c;
	g.connected++;
	g.opening--;
}

static void
phone_start_more(void)
{
	while (g.started < g.n && g.opening < g.connecting) {
		struct conn *c = &g.phone[g.started++];
		g.opening++;
		phone_start(c);
	}
}

static void
phone_knows(struct conn *c, int64_t t)
{
	g.notified[c->idx] = t;
	g.nknow++;
	c->st = ST_KNOWS;
	want(c, 0);
	if (g.fresh) {
		struct conn *p = &g.poster[c->idx];

		p->cur = (long)c->idx;
		p->resent = 0;
		poster_next(p);
		return;
	}
	g.queue[g.qtail++] = (long)c->idx;
	for (long p = 0; p < g.posters && g.qhead < g.qtail; p++)
		if (g.poster[p].cur < 0 && (g.poster[p].st == ST_IDLE ||
		    g.poster[p].st == ST_CLOSED))
			poster_next(&g.poster[p]);
}

/* Scans bytes of the stream for the opening (across reads, by tail). */
static int
phone_scan(struct conn *c, const char *d, size_t n)
{
	const size_t ml = sizeof OPEN_MARK - 1;
	char edge[2 * sizeof OPEN_MARK];
	size_t k = n < ml - 1 ? n : ml - 1;

	memcpy(edge, c->tail, c->ntail);
	memcpy(edge + c->ntail, d, k);
	if (memmem(edge, c->ntail + k, OPEN_MARK, ml) != NULL ||
	    memmem(d, n, OPEN_MARK, ml) != NULL)
		return 1;
	if (n >= ml - 1) {
		memcpy(c->tail, d + n - (ml - 1), ml - 1);
		c->ntail = ml - 1;
	} else {
		size_t keep = c->ntail + n > ml - 1 ? ml - 1 - n : c->ntail;
		memmove(c->tail, c->tail + c->ntail - keep, keep);
		memcpy(c->tail + keep, d, n);
		c->ntail = keep + n;
	}
	return 0;
}

/* The answer's header: 200 and an event stream, or refused. */
static int
phone_head(struct conn *c, const char *d, size_t n)
{
	char *end, *eol;
	size_t hl;

	if (c->len + n > HEAD_MAX) {
		phone_failed(c, 0, "answer header too long");
		return -1;
	}
	if (c->len + n + 1 > c->cap) {
		c->cap = c->len + n + 1;
		c->buf = xrealloc(c->buf, c->cap);
	}
	memcpy(c->buf + c->len, d, n);
	c->len += n;
	c->buf[c->len] = '\0';
	if ((end = strstr(c->buf, "\r\n\r\n")) == NULL)
		return 0;
	hl = (size_t)(end - c->buf) + 4;
	if (strncmp(c->buf, "HTTP/1.1 200 ", 13) != 0 &&
	    strncmp(c->buf, "HTTP/1.0 200 ", 13) != 0) {
		char why[512];
		if ((eol = strstr(c->buf, "\r\n")) != NULL)
			*eol = '\0';
		snprintf(why, sizeof why, "answer \"%s\" then \"%.200s\"",
		    c->buf, c->buf + hl);
		phone_failed(c, 1, why);
		return -1;
	}
	c->st = ST_STREAM;
	phone_connected(c);
	c->ntail = 1;
	c->tail[0] = '\n'; /* the header ends a line */
	if (phone_scan(c, c->buf + hl, c->len - hl))
		phone_knows(c, now_ns());
	free(c->buf);
	c->buf = NULL;
	c->len = c->cap = 0;
	return 0;
}

static void
phone_read(struct conn *c)
{
	char d[16384], err[256];
	int64_t t = 0;

	for (;;) {
		int rc, r;

		ERR_clear_error();
		rc = SSL_read(c->ssl, d, sizeof d);
		if ((r = ssl_step(c, rc, err)) == 0)
			return;
		if (r < 0) {
			if (c->st == ST_HEAD) {
				phone_failed(c, 0, err);
			} else {
				show(SH_LOST, "stream %u lost before the "
				    "opening: %s", c->idx, err);
				g.nlost++;
				conn_close(c);
			}
			return;
		}
		if (c->st == ST_HEAD) {
			if (phone_head(c, d, (size_t)rc) != 0)
				return;
		} else if (phone_scan(c, d, (size_t)rc)) {
			if (t == 0)
				t = now_ns();
			phone_knows(c, t);
		}
		if (c->st == ST_KNOWS)
			return;
	}
}

static void
phone_write(struct conn *c)
{
	char req[1024], err[256];
	int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: %s\r\n"
	    "Accept: text/event-stream\r\n\r\n", g.events_path, g.servername);
	int rc, r;

	if (n < 0 || (size_t)n >= sizeof req) {
		phone_failed(c, 0, "events path too long");
		return;
	}
	ERR_clear_error();
	rc = SSL_write(c->ssl, req, n);
	if ((r = ssl_step(c, rc, err)) == 0)
		return;
	if (r < 0) {
		phone_failed(c, 0, err);
		return;
	}
	c->st = ST_HEAD;
	want(c, EPOLLIN);
	phone_read(c);
}

static void
phone_start(struct conn *c)
{
	char err[256];

	c->st = ST_CLOSED;
	if (conn_open(c, err) != 0)
		phone_failed(c, strstr(err, strerror(ECONNREFUSED)) != NULL,
		    err);
}

/* ---- posting connections ---------------------------------------------- */

static void ballot_failed(struct conn *, const char *, ...)
    __attribute__((format(printf, 2, 3)));
static void
ballot_failed(struct conn *p, const char *fmt, ...)
{
	char why[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	show(SH_ANSWER, "ballot %ld: %s", p->cur, why);
	g.nfailed++;
	p->cur = -1;
}

/* The connection broke (or could not be opened): resend once, on a new one. */
static void
poster_broken(struct conn *p, const char *why)
{
	if (p->cur < 0) {
		/* idle: opened again when a ballot needs it */
		if (p->st == ST_CONNECTING || p->st == ST_HANDSHAKE) {
			show(SH_POSTER, "posting connection %u: %s", p->idx,
			    why);
			g.pfailed++;
		}
		conn_close(p);
		return;
	}
	conn_close(p);
	if (p->resent) {
		ballot_failed(p, "sent twice, connection lost both times: %s",
		    why);
		poster_next(p);
		return;
	}
	p->resent = 1;
	g.nresent++;
	poster_next(p);
}

static void
poster_send(struct conn *p)
{
	struct ballot *b = &g.b[p->cur];
	char err[256];
	int rc, r;

	ERR_clear_error();
	rc = SSL_write(p->ssl, b->req, (int)b->reqlen);
	if ((r = ssl_step(p, rc, err)) == 0)
		return; /* the same bytes again when the socket is ready */
	if (r < 0) {
		poster_broken(p, err);
		return;
	}
	p->st = ST_ANSWER;
	p->len = 0;
	want(p, EPOLLIN);
}

/* The next ballot waiting, if any; opens the connection if needed. */
static void
poster_next(struct conn *p)
{
	char err[256];

	if (p->cur < 0) {
		if (g.qhead == g.qtail) {
			if (p->st != ST_CLOSED) {
				p->st = ST_IDLE;
				want(p, EPOLLIN); /* to see it close */
			}
			return;
		}
		p->cur = g.queue[g.qhead++];
		p->resent = 0;
	}
	if (p->st == ST_CLOSED) {
		g.nreopened += g.go;
		if (conn_open(p, err) != 0)
			poster_broken(p, err);
		return; /* sent once the handshake is done */
	}
	if (p->st == ST_CONNECTING || p->st == ST_HANDSHAKE)
		return;
	p->st = ST_REQUEST;
	poster_send(p);
}

static size_t
header_value(const char *h, size_t hl, const char *name, char *out,
    size_t outsz)
{
	size_t nl = strlen(name);
	const char *s = h, *e = h + hl;

	while (s < e) {
		const char *eol = memmem(s, (size_t)(e - s), "\r\n", 2);
		if (eol == NULL)
			eol = e;
		if ((size_t)(eol - s) > nl && strncasecmp(s, name, nl) == 0 &&
		    s[nl] == ':') {
			const char *v = s + nl + 1;
			size_t vl;
			while (v < eol && (*v == ' ' || *v == '\t'))
				v++;
			vl = (size_t)(eol - v);
			if (vl >= outsz)
				vl = outsz - 1;
			memcpy(out, v, vl);
			out[vl] = '\0';
			return vl + 1;
		}
		s = eol + 2;
	}
	return 0;
}

/* A whole answer in p->buf? 1 handled, 0 not yet, -1 bad framing. */
static int
poster_answer(struct conn *p, int64_t t)
{
	const char *end = memmem(p->buf, p->len, "\r\n\r\n", 4);
	char v[64], *ep;
	size_t hl;
	unsigned long long cl;
	int status, closing;
	struct ballot *b = &g.b[p->cur];

	if (end == NULL)
		return p->len > HEAD_MAX ? -1 : 0;
	hl = (size_t)(end - p->buf) + 4;
	if (p->len < 13 || (memcmp(p->buf, "HTTP/1.1 ", 9) != 0 &&
	    memcmp(p->buf, "HTTP/1.0 ", 9) != 0))
		return -1;
	status = (p->buf[9] - '0') * 100 + (p->buf[10] - '0') * 10 +
	    (p->buf[11] - '0');
	if (header_value(p->buf, hl - 2, "Transfer-Encoding", v, sizeof v))
		return -1;
	if (!header_value(p->buf, hl - 2, "Content-Length", v, sizeof v))
		return -1;
	errno = 0;
	cl = strtoull(v, &ep, 10);
	if (errno != 0 || ep == v || *ep != '\0' || cl > ANSWER_MAX)
		return -1;
	if (p->len < hl + cl)
		return 0;
	if (p->len > hl + cl)
		return -1; /* nothing was asked for */
	closing = header_value(p->buf, hl - 2, "Connection", v, sizeof v) &&
	    strcasecmp(v, "close") == 0;
	if (status == 200 && memmem(p->buf + hl, (size_t)cl, b->mark,
	    b->marklen) != NULL) {
		g.acked_at[p->cur] = t;
		g.nacked++;
		p->cur = -1;
	} else {
		ballot_failed(p, "answer %d: %.*s", status,
		    (int)(cl > 400 ? 400 : cl), p->buf + hl);
	}
	p->len = 0;
	if (closing)
		conn_close(p);
	else
		p->st = ST_IDLE;
	poster_next(p);
	return 1;
}

static void
poster_read(struct conn *p)
{
	char err[256];
	int64_t t = 0;

	for (;;) {
		int rc, r;

		if (p->cap - p->len < 16384) {
			p->cap = p->cap == 0 ? 32768 : 2 * p->cap;
			p->buf = xrealloc(p->buf, p->cap);
		}
		ERR_clear_error();
		rc = SSL_read(p->ssl, p->buf + p->len,
		    (int)(p->cap - p->len));
		if ((r = ssl_step(p, rc, err)) == 0)
			return;
		if (r < 0) {
			poster_broken(p, err);
			return;
		}
		if (p->st != ST_ANSWER) {
			show(SH_PROTO, "posting connection %u: %d bytes not "
			    "asked for", p->idx, rc);
			p->len = 0;
			conn_close(p);
			return;
		}
		p->len += (size_t)rc;
		if (t == 0)
			t = now_ns();
		if ((r = poster_answer(p, t)) < 0) {
			show(SH_PROTO, "posting connection %u: answer not "
			    "understood: %.*s", p->idx,
			    (int)(p->len > 300 ? 300 : p->len), p->buf);
			p->len = 0;
			conn_close(p);
			ballot_failed(p, "answer not understood");
			poster_next(p);
			return;
		}
		if (r > 0)
			return;
	}
}

/* ---- the loop ----------------------------------------------------------- */

static void
on_event(struct conn *c)
{
	char err[256];
	int r;

	switch (c->st) {
	case ST_CONNECTING:
		if (conn_tls(c, err) != 0)
			goto broken;
		/* FALLTHROUGH */
	case ST_HANDSHAKE:
		ERR_clear_error();
		if ((r = ssl_step(c, SSL_connect(c->ssl), err)) == 0)
			return;
		if (r < 0)
			goto broken;
		c->st = ST_REQUEST;
		if (c->kind == PHONE) {
			phone_write(c);
		} else {
			g.popen += !g.go && c->cur < 0;
			g.nresumed += SSL_session_reused(c->ssl) == 1;
			poster_next(c);
		}
		return;
	case ST_REQUEST:
		if (c->kind == PHONE)
			phone_write(c);
		else
			poster_send(c);
		return;
	case ST_HEAD:
	case ST_STREAM:
		phone_read(c);
		return;
	case ST_IDLE:
	case ST_ANSWER:
		poster_read(c);
		return;
	case ST_KNOWS:
	case ST_CLOSED:
		return;
	}
	return;
broken:
	if (c->kind == PHONE) {
		phone_failed(c, strstr(err, strerror(ECONNREFUSED)) != NULL,
		    err);
	} else {
		poster_broken(c, err);
	}
}

/* Reads the driver's lines; returns the next complete one, or NULL. */
static char *
stdin_line(void)
{
	char *nl;
	ssize_t r;

	for (;;) {
		if ((nl = memchr(g.line, '\n', g.linelen)) != NULL) {
			static char out[sizeof g.line];
			size_t l = (size_t)(nl - g.line);
			memcpy(out, g.line, l);
			out[l] = '\0';
			memmove(g.line, nl + 1, g.linelen - l - 1);
			g.linelen -= l + 1;
			return out;
		}
		if (g.linelen == sizeof g.line) {
			fprintf(stderr, "phones: driver line too long\n");
			exit(2);
		}
		r = read(0, g.line + g.linelen, sizeof g.line - g.linelen);
		if (r < 0 && (errno == EAGAIN || errno == EINTR))
			return NULL;
		if (r <= 0) {
			g.stdin_eof = 1;
			return NULL;
		}
		g.linelen += (size_t)r;
	}
}

static void
on_stdin(void)
{
	char *l;

	while ((l = stdin_line()) != NULL) {
		if (strcmp(l, "post") == 0 && !g.post_asked) {
			g.post_asked = 1;
			for (long p = 0; p < g.posters && !g.fresh; p++) {
				char err[256];
				if (conn_open(&g.poster[p], err) != 0) {
					show(SH_POSTER, "posting connection "
					    "%ld: %s", p, err);
					g.pfailed++;
				}
			}
		} else if (strncmp(l, "go ", 3) == 0 && !g.go) {
			char *e;
			errno = 0;
			long long t = strtoll(l + 3, &e, 10);
			if (errno != 0 || *e != '\0' || t <= 0) {
				fprintf(stderr, "phones: bad go line\n");
				exit(2);
			}
			g.t_open = (int64_t)t;
			if (llabs(now_ns() - g.t_open) > 10000000000LL) {
				fprintf(stderr, "phones: the go instant is not "
				    "on this clock (CLOCK_MONOTONIC)\n");
				exit(2);
			}
			g.go = 1;
			getrusage(RUSAGE_SELF, &g.ru_go);
		} else {
			fprintf(stderr, "phones: unexpected line from the "
			    "driver: %s\n", l);
			exit(2);
		}
	}
}

/* One pass of the loop; returns when `done` says so or the deadline passed. */
static int
run_until(int (*done)(void), int64_t deadline)
{
	struct epoll_event ev[256];

	while (!done()) {
		int64_t left = deadline - now_ns();
		int n, wait_ms;

		if (left <= 0)
			return -1;
		if (g.stdin_eof) {
			fprintf(stderr, "phones: the driver went away\n");
			exit(2);
		}
		wait_ms = left > 1000000000 ? 1000 : (int)(left / 1000000 + 1);
		n = epoll_wait(g.ep, ev, 256, wait_ms);
		if (n < 0 && errno != EINTR) {
			fprintf(stderr, "phones: epoll_wait: %s\n",
			    strerror(errno));
			exit(2);
		}
		for (int i = 0; i < n; i++) {
			if (ev[i].data.ptr == NULL)
				on_stdin();
			else
				on_event(ev[i].data.ptr);
		}
		if (g.started < g.n)
			phone_start_more();
	}
	return 0;
}

static int
streams_done(void)
{
	return g.started == g.n && g.opening == 0;
}

static int
posters_asked(void)
{
	return g.post_asked;
}

static int
posters_done(void)
{
	return g.fresh || g.popen + g.pfailed >= g.posters;
}

static int
go_seen(void)
{
	return g.go;
}

static int
vote_done(void)
{
	return g.go && g.nacked + g.nfailed + g.nlost +
	    (g.refused + g.sfailed) == g.n;
}

static double
tv_s(struct timeval a)
{
	return (double)a.tv_sec + (double)a.tv_usec / 1e6;
}

static void
print_result(int timed_out)
{
	struct rusage ru;
	long unposted = 0;
	double u, s;

	getrusage(RUSAGE_SELF, &ru);
	u = tv_s(ru.ru_utime) - tv_s(g.ru_go.ru_utime);
	s = tv_s(ru.ru_stime) - tv_s(g.ru_go.ru_stime);
	for (long i = 0; i < g.n; i++)
		unposted += g.notified[i] != 0 && g.acked_at[i] == 0;
	unposted -= g.nfailed;
	printf("result {\"phones\":%ld,\"posters\":%ld,\"acked\":%ld,"
	    "\"failed\":%ld,\"lost\":%ld,\"not_connected\":%ld,"
	    "\"never_notified\":%ld,\"unanswered\":%ld,\"resent\":%ld,"
	    "\"reopened\":%ld,\"resumed\":%ld,\"timed_out\":%s,"
	    "\"cpu_s\":%.3f,"
	    "\"cpu_user_s\":%.3f,\"cpu_sys_s\":%.3f,\"notified_ms\":[",
	    g.n, g.posters, g.nacked, g.nfailed, g.nlost, g.refused + g.sfailed,
	    g.n - g.nknow, unposted, g.nresent, g.nreopened, g.nresumed,
	    timed_out ? "true" : "false", u + s, u, s);
	for (long i = 0; i < g.n; i++) {
		if (g.notified[i] != 0)
			printf("%s%.1f", i ? "," : "", ms(g.notified[i]));
		else
			printf("%snull", i ? "," : "");
	}
	printf("],\"ack_ms\":[");
	for (long i = 0, k = 0; i < g.n; i++)
		if (g.acked_at[i] != 0)
			printf("%s%.1f", k++ ? "," : "", ms(g.acked_at[i]));
	printf("]}\n");
	fflush(stdout);
}

static int
load_ballots(const char *file, const char *path)
{
	FILE *f = fopen(file, "r");
	char *line = NULL;
	size_t cap = 0, nb = 0, max = 1024;
	ssize_t l;

	if (f == NULL) {
		fprintf(stderr, "phones: %s: %s\n", file, strerror(errno));
		return -1;
	}
	g.b = xmalloc(max * sizeof *g.b);
	while ((l = getline(&line, &cap, f)) > 0) {
		char *sp, head[1024];
		size_t bl, rl;
		int hn;

		if (line[l - 1] != '\n') {
			fprintf(stderr, "phones: %s: line %zu: no newline\n",
			    file, nb + 1);
			goto bad;
		}
		line[--l] = '\0';
		if ((sp = strchr(line, ' ')) == NULL || sp == line ||
		    sp[1] != '{') {
			fprintf(stderr, "phones: %s: line %zu: not \"receipt "
			    "{json}\"\n", file, nb + 1);
			goto bad;
		}
		rl = (size_t)(sp - line);
		for (size_t i = 0; i < rl; i++)
			if (!((line[i] >= '0' && line[i] <= '9') ||
			    (line[i] >= 'a' && line[i] <= 'f'))) {
				fprintf(stderr, "phones: %s: line %zu: receipt "
				    "not lowercase hex\n", file, nb + 1);
				goto bad;
			}
		bl = (size_t)l - rl - 1;
		hn = snprintf(head, sizeof head, "POST %s HTTP/1.1\r\nHost: %s"
		    "\r\nContent-Type: application/json\r\nContent-Length: "
		    "%zu\r\n\r\n", path, g.servername, bl);
		if (hn < 0 || (size_t)hn >= sizeof head || bl > INT_MAX / 2) {
			fprintf(stderr, "phones: ballot path too long\n");
			goto bad;
		}
		if (nb == max) {
			max *= 2;
			g.b = xrealloc(g.b, max * sizeof *g.b);
		}
		g.b[nb].reqlen = (size_t)hn + bl;
		g.b[nb].req = xmalloc(g.b[nb].reqlen);
		memcpy(g.b[nb].req, head, (size_t)hn);
		memcpy(g.b[nb].req + hn, sp + 1, bl);
		g.b[nb].marklen = rl + 12;
		g.b[nb].mark = xmalloc(g.b[nb].marklen + 1);
		snprintf(g.b[nb].mark, g.b[nb].marklen + 1,
		    "\"receipt\":\"%.*s\"", (int)rl, line);
		nb++;
	}
	if (ferror(f)) {
		fprintf(stderr, "phones: %s: %s\n", file, strerror(errno));
		goto bad;
	}
	free(line);
	fclose(f);
	if (nb == 0) {
		fprintf(stderr, "phones: %s: no ballot\n", file);
		return -1;
	}
	g.n = (long)nb;
	return 0;
bad:
	free(line);
	fclose(f);
	return -1;
}

static long
num(const char *s, long lo, long hi, const char *what)
{
	char *e;
	long v;

	errno = 0;
	v = strtol(s, &e, 10);
	if (errno != 0 || e == s || *e != '\0' || v < lo || v > hi) {
		fprintf(stderr, "phones: bad %s: %s\n", what, s);
		exit(2);
	}
	return v;
}

static void
usage(void)
{
	fprintf(stderr, "usage: phones [-c connecting] [-p posters] "
	    "[-n servername] [-t seconds] [-f] host port ca-file events-path "
	    "ballots-path ballots-file\n");
	exit(2);
}

/* -f: a ticket on a phone's stream is kept (the newest) for its posting
 * connection; 1 = the session is ours now. */
static int
new_session(SSL *ssl, SSL_SESSION *sess)
{
	struct conn *c = SSL_get_app_data(ssl);

	if (c == NULL || c->kind != PHONE)
		return 0;
	SSL_SESSION_free(g.sess[c->idx]);
	g.sess[c->idx] = sess;
	return 1;
}

int
main(int argc, char **argv)
{
	struct rlimit rl;
	struct epoll_event se = { .events = EPOLLIN, .data.ptr = NULL };
	int opt, timed_out;
	int64_t t0;

	g.posters = 128;
	g.limit_s = 120;
	g.servername = "localhost";
	while ((opt = getopt(argc, argv, "c:p:n:t:f")) != -1) {
		switch (opt) {
		case 'c': g.connecting = num(optarg, 1, 1000000, "-c"); break;
		case 'p': g.posters = num(optarg, 1, 100000, "-p"); break;
		case 'n': g.servername = optarg; break;
		case 't': g.limit_s = num(optarg, 1, 86400, "-t"); break;
		case 'f': g.fresh = 1; break;
		default: usage();
		}
	}
	if (argc - optind != 6)
		usage();
	memset(&g.addr, 0, sizeof g.addr);
	g.addr.sin_family = AF_INET;
	if (inet_pton(AF_INET, argv[optind], &g.addr.sin_addr) != 1) {
		fprintf(stderr, "phones: host: not an IPv4 address: %s\n",
		    argv[optind]);
		return 2;
	}
	g.addr.sin_port = htons((uint16_t)num(argv[optind + 1], 1, 65535,
	    "port"));
	g.events_path = argv[optind + 3];
	if (load_ballots(argv[optind + 5], argv[optind + 4]) != 0)
		return 2;
	if (g.connecting == 0 || g.connecting > g.n)
		g.connecting = g.n;
	if (g.fresh)
		g.posters = g.n;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 ||
	    rl.rlim_cur < (rlim_t)(g.n + g.posters + 16)) {
		fprintf(stderr, "phones: %ld file descriptors needed, the "
		    "limit is lower (ulimit -n)\n", g.n + g.posters + 16);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);

	if ((g.ctx = SSL_CTX_new(TLS_client_method())) == NULL ||
	    SSL_CTX_set_min_proto_version(g.ctx, TLS1_3_VERSION) != 1 ||
	    SSL_CTX_set_max_proto_version(g.ctx, TLS1_3_VERSION) != 1 ||
	    SSL_CTX_load_verify_file(g.ctx, argv[optind + 2]) != 1) {
		char e[256];
		ERR_error_string_n(ERR_get_error(), e, sizeof e);
		fprintf(stderr, "phones: TLS setup (%s): %s\n",
		    argv[optind + 2], e);
		return 2;
	}
	SSL_CTX_set_verify(g.ctx, SSL_VERIFY_PEER, NULL);
	/* Every phone is another device: a full handshake each; with -f,
	 * a phone keeps the ticket of its stream for its posting
	 * connection (new_session). */
	if (g.fresh) {
		SSL_CTX_set_session_cache_mode(g.ctx, SSL_SESS_CACHE_CLIENT |
		    SSL_SESS_CACHE_NO_INTERNAL_STORE);
		SSL_CTX_sess_set_new_cb(g.ctx, new_session);
	} else {
		SSL_CTX_set_session_cache_mode(g.ctx, SSL_SESS_CACHE_OFF);
	}

	if ((g.ep = epoll_create1(EPOLL_CLOEXEC)) < 0 ||
	    fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK) != 0 ||
	    epoll_ctl(g.ep, EPOLL_CTL_ADD, 0, &se) != 0) {
		fprintf(stderr, "phones: epoll: %s\n", strerror(errno));
		return 2;
	}
	g.phone = calloc((size_t)g.n, sizeof *g.phone);
	g.poster = calloc((size_t)g.posters, sizeof *g.poster);
	g.queue = calloc((size_t)g.n, sizeof *g.queue);
	g.sess = calloc((size_t)g.n, sizeof *g.sess);
	g.notified = calloc((size_t)g.n, sizeof *g.notified);
	g.acked_at = calloc((size_t)g.n, sizeof *g.acked_at);
	if (!g.phone || !g.poster || !g.queue || !g.sess || !g.notified ||
	    !g.acked_at) {
		fprintf(stderr, "phones: out of memory\n");
		return 2;
	}
	for (long i = 0; i < g.n; i++)
		g.phone[i] = (struct conn){ .kind = PHONE, .fd = -1,
		    .idx = (uint32_t)i, .cur = -1 };
	for (long p = 0; p < g.posters; p++)
		g.poster[p] = (struct conn){ .kind = POSTER, .fd = -1,
		    .idx = (uint32_t)p, .cur = -1 };

	/* 1. the streams */
	t0 = now_ns();
	phone_start_more();
	if (run_until(streams_done, t0 + g.limit_s * 1000000000LL) != 0) {
		for (long i = 0; i < g.started; i++)
			if (g.phone[i].st != ST_STREAM &&
			    g.phone[i].st != ST_KNOWS &&
			    g.phone[i].st != ST_CLOSED)
				phone_failed(&g.phone[i], 0, "time limit");
		g.sfailed += g.n - g.started;
		g.started = g.n;
	}
	printf("streams {\"connected\":%ld,\"refused\":%ld,\"failed\":%ld,"
	    "\"ms\":%.0f}\n", g.connected, g.refused, g.sfailed,
	    (double)(now_ns() - t0) / 1e6);
	fflush(stdout);

	/* 2. the posting connections, when asked */
	if (run_until(posters_asked, INT64_MAX) != 0)
		return 2;
	t0 = now_ns();
	if (run_until(posters_done, t0 + g.limit_s * 1000000000LL) != 0) {
		for (long p = 0; p < g.posters; p++)
			if (g.poster[p].st != ST_IDLE) {
				show(SH_POSTER, "posting connection %ld: "
				    "time limit", p);
				g.pfailed++;
				conn_close(&g.poster[p]);
			}
	}
	printf("ready {\"posters\":%ld,\"failed\":%ld,\"ms\":%.0f}\n",
	    g.popen, g.pfailed, (double)(now_ns() - t0) / 1e6);
	fflush(stdout);

	/* 3. the vote: until every phone is settled */
	if (run_until(go_seen, INT64_MAX) != 0)
		return 2;
	timed_out = run_until(vote_done, g.t_open + g.limit_s * 1000000000LL)
	    != 0;
	print_result(timed_out);

	/* 4. the streams stay open until the driver is done measuring */
	if (fcntl(0, F_SETFL, fcntl(0, F_GETFL) & ~O_NONBLOCK) != 0) {
		fprintf(stderr, "phones: stdin: %s\n", strerror(errno));
		return 2;
	}
	while (!g.stdin_eof) {
		char c[64];
		ssize_t r = read(0, c, sizeof c);
		if (r == 0 || (r < 0 && errno != EINTR))
			break;
	}
	return g.nacked == g.n ? 0 : 1;
}

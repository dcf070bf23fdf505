/*
 * sse.c — the live event streams' loop (see sse.h).
 *
 * One thread owns every open stream: epoll (edge-triggered, registered
 * once per stream for input, output and the peer's close), non-blocking
 * sockets, SSL_write with SSL_MODE_ENABLE_PARTIAL_WRITE and
 * SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER (a write that would block is tried
 * again later with the same bytes). Other threads talk to it through
 * struct sse's mutex: the feeder (web.c) appends events, the CivetWeb
 * workers append streams to adopt, both then write the eventfd.
 *
 * An event is formatted once (by the feeder) into a message shared by
 * every stream that sends it (a reference count, touched only by the
 * loop thread); each stream has a queue of messages not yet written
 * (written at once while the socket takes them: a queue only grows for
 * a client that does not read). The loop keeps the last SSE_RING events
 * so that a stream that joins gets the events of its meeting after its
 * snapshot, and the seq of the last event of each meeting (SSE_MEETINGS
 * of them) so that it knows whether it missed any.
 *
 * Trusts: the SSL and socket handed over by web.c (a TLS connection whose
 * response headers and snapshot were written). Reads nothing from the
 * client but the close: a client that sends application data on a
 * stream is closed.
 */
#define _GNU_SOURCE
#include "server/sse.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>

#define SSE_MEETINGS 64u
#define SSE_EPOLL_BATCH 256

struct sse_msg {
	unsigned refs;
	int counts;		/* a count event (participation, attendance) */
	size_t len;
	char data[];
};

struct sse_ev {
	uint64_t seq;
	char meeting[65];
	struct sse_msg *msg;
};

struct stream {
	struct stream *prev, *next;
	int fd;
	SSL *ssl;
	char meeting[65];
	uint64_t seq;		/* newest event of the meeting queued (or
				 * skipped: a count event, !counts) */
	int counts;		/* 0: the count events are skipped */
	struct sse_msg **q;	/* ring of queued messages */
	unsigned qcap, qhead, qlen;
	size_t qbytes;		/* bytes queued and not written */
	size_t off;		/* bytes of q[qhead] written */
	uint64_t last_ms;	/* last message queued */
	int dead;		/* 0, or why it is closed (enum kill) */
};

enum kill { K_NONE, K_GONE, K_ERROR, K_DATA, K_SLOW, K_RESYNC, K_STOP };

struct adopt {
	struct adopt *next;
	int fd;
	SSL *ssl;
	char meeting[65];
	int counts;
	uint64_t seq;
};

struct sse {
	pthread_mutex_t mu;
	/* Under mu. */
	struct sse_ev *in;	/* published, not yet taken by the loop */
	size_t nin, capin;
	struct adopt *adopts;
	int stop;
	unsigned count, max;
	/* The loop thread's own. */
	int ep, wake;
	pthread_t th;
	int started;
	struct stream *streams;
	unsigned ndead;		/* streams killed, not yet reaped */
	struct sse_ev ring[SSE_RING];
	uint64_t last;		/* newest event in the ring */
	struct { char meeting[65]; uint64_t last; } mt[SSE_MEETINGS];
	uint64_t forgotten;	/* newest seq of a meeting dropped from mt */
	struct sse_msg *ping;
	unsigned long closed[K_STOP + 1];
};

static uint64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static struct sse_msg *
msg_new(const char *text, size_t len)
{
	struct sse_msg *m = xmalloc(sizeof *m + len);

	m->refs = 1;
	m->counts = 0;
	m->len = len;
	memcpy(m->data, text, len);
	return m;
}

static void
msg_unref(struct sse_msg *m)
{
	if (m != NULL && --m->refs == 0)
		free(m);
}

char *
sse_format(uint64_t seq, const char *name, const char *data, size_t *len)
{
	char head[96], *buf;
	size_t dl = strlen(data);
	int n = snprintf(head, sizeof head, "id: %llu\nevent: %s\ndata: ",
	    (unsigned long long)seq, name);

	*len = 0;
	if (n < 0 || (size_t)n >= sizeof head)
		return NULL;
	buf = xmalloc((size_t)n + dl + 2);
	memcpy(buf, head, (size_t)n);
	memcpy(buf + n, data, dl);
	memcpy(buf + (size_t)n + dl, "\n\n", 2);
	*len = (size_t)n + dl + 2;
	return buf;
}

/* ---- one stream (loop thread) ---- */

static void
kill_stream(struct sse *l, struct stream *s, enum kill why)
{
	if (s->dead == K_NONE) {
		s->dead = why;
		l->ndead++;
	}
}

/* Appends m (one more reference) to s's queue; past the caps the client
 * is not reading: the stream is closed. */
static void
enqueue(struct sse *l, struct stream *s, struct sse_msg *m, uint64_t now)
{
	if (s->dead != K_NONE)
		return;
	if (s->qlen >= SSE_QUEUE_MAX || s->qbytes + m->len > SSE_QUEUE_BYTES) {
		kill_stream(l, s, K_SLOW);
		return;
	}
	if (s->qlen == s->qcap) {
		unsigned ncap = s->qcap ? s->qcap * 2 : 4;
		struct sse_msg **nq = xcalloc(ncap, sizeof *nq);
		for (unsigned i = 0; i < s->qlen; i++)
			nq[i] = s->q[(s->qhead + i) % s->qcap];
		free(s->q);
		s->q = nq;
		s->qcap = ncap;
		s->qhead = 0;
	}
	m->refs++;
	s->q[(s->qhead + s->qlen) % s->qcap] = m;
	s->qlen++;
	s->qbytes += m->len;
	s->last_ms = now;
}

/* Writes what the socket takes. -1: the stream is broken. */
static int
flush(struct stream *s)
{
	while (s->qlen > 0) {
		struct sse_msg *m = s->q[s->qhead];
		size_t left = m->len - s->off;
		int n, e;

		ERR_clear_error();
		n = SSL_write(s->ssl, m->data + s->off,
		    left > INT32_MAX ? INT32_MAX : (int)left);
		if (n > 0) {
			s->off += (size_t)n;
			s->qbytes -= (size_t)n;
			if (s->off == m->len) {
				msg_unref(m);
				s->q[s->qhead] = NULL;
				s->qhead = (s->qhead + 1) % s->qcap;
				s->qlen--;
				s->off = 0;
			}
			continue;
		}
		e = SSL_get_error(s->ssl, n);
		if (e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ)
			return 0;	/* EPOLLOUT (or EPOLLIN) calls again */
		ERR_clear_error();
		return -1;
	}
	return 0;
}

/* Reads until the socket is empty: nothing is expected but the close. */
static enum kill
drain(struct stream *s)
{
	char buf[512];

	for (;;) {
		int n, e;

		ERR_clear_error();
		n = SSL_read(s->ssl, buf, sizeof buf);
		if (n > 0)
			return K_DATA;
		e = SSL_get_error(s->ssl, n);
		if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
			return K_NONE;
		ERR_clear_error();
		return e == SSL_ERROR_ZERO_RETURN ? K_GONE : K_ERROR;
	}
}

static void
stream_free(struct sse *l, struct stream *s)
{
	struct linger lg = { 1, 0 };

	if (s->dead != K_GONE && s->dead != K_STOP)
		/* A client that does not read, or an error: reset, so that
		 * what it did not read leaves the kernel now. */
		(void)setsockopt(s->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	else if (s->dead == K_STOP) {
		/* Tell the client (close_notify) if its socket takes it. */
		ERR_clear_error();
		(void)SSL_shutdown(s->ssl);
		ERR_clear_error();
	}
	(void)epoll_ctl(l->ep, EPOLL_CTL_DEL, s->fd, NULL);
	SSL_free(s->ssl);
	(void)close(s->fd);
	for (unsigned i = 0; i < s->qlen; i++)
		msg_unref(s->q[(s->qhead + i) % s->qcap]);
	free(s->q);
	l->closed[s->dead]++;
	free(s);
	pthread_mutex_lock(&l->mu);
	l->count--;
	pthread_mutex_unlock(&l->mu);
}

static void
reap(struct sse *l)
{
	struct stream *s = l->streams, *nx;

	/* The walk is over every stream: only when one was killed. */
	if (l->ndead == 0)
		return;
	l->ndead = 0;
	for (; s != NULL; s = nx) {
		nx = s->next;
		if (s->dead == K_NONE)
			continue;
		if (s->prev != NULL)
			s->prev->next = s->next;
		else
			l->streams = s->next;
		if (s->next != NULL)
			s->next->prev = s->prev;
		stream_free(l, s);
	}
}

/* ---- events ---- */

static uint64_t
meeting_last(struct sse *l, const char *m)
{
	for (unsigned i = 0; i < SSE_MEETINGS; i++)
		if (strcmp(l->mt[i].meeting, m) == 0)
			return l->mt[i].last;
	return l->forgotten;
}

static void
meeting_saw(struct sse *l, const char *m, uint64_t seq)
{
	unsigned old = 0;

	for (unsigned i = 0; i < SSE_MEETINGS; i++) {
		if (strcmp(l->mt[i].meeting, m) == 0) {
			l->mt[i].last = seq;
			return;
		}
		if (l->mt[i].last < l->mt[old].last)
			old = i;
	}
	if (l->mt[old].last > l->forgotten)
		l->forgotten = l->mt[old].last;
	snprintf(l->mt[old].meeting, sizeof l->mt[old].meeting, "%s", m);
	l->mt[old].last = seq;
}

/* Takes the published events into the ring and queues them on the
 * streams of their meeting. Takes the references of evs[]. */
static void
fan_out(struct sse *l, struct sse_ev *evs, size_t n, uint64_t now)
{
	for (size_t i = 0; i < n; i++) {
		struct sse_ev *r;
		if (evs[i].seq <= l->last) {
			/* Already held (the feeder skips them). */
			msg_unref(evs[i].msg);
			evs[i].msg = NULL;
			continue;
		}
		if (l->last != 0 && evs[i].seq != l->last + 1) {
			/* Events were lost on the way: every stream may miss
			 * some. They start again from a snapshot. */
			log_warn("live events %llu to %llu lost: every stream"
			    " reconnects", (unsigned long long)l->last + 1,
			    (unsigned long long)evs[i].seq - 1);
			for (struct stream *s = l->streams; s; s = s->next)
				kill_stream(l, s, K_RESYNC);
		}
		r = &l->ring[evs[i].seq % SSE_RING];
		msg_unref(r->msg);
		r->seq = evs[i].seq;
		memcpy(r->meeting, evs[i].meeting, sizeof r->meeting);
		r->msg = evs[i].msg;	/* the ring's reference */
		r->msg->refs++;		/* evs[i]'s, until the end */
		l->last = evs[i].seq;
		meeting_saw(l, evs[i].meeting, evs[i].seq);
	}
	for (struct stream *s = l->streams; s; s = s->next) {
		int any = 0;
		for (size_t i = 0; i < n && s->dead == K_NONE; i++) {
			if (evs[i].msg == NULL || evs[i].seq <= s->seq ||
			    strcmp(evs[i].meeting, s->meeting) != 0)
				continue;
			if (evs[i].msg->counts && !s->counts) {
				s->seq = evs[i].seq;	/* seen, not sent */
				continue;
			}
			enqueue(l, s, evs[i].msg, now);
			s->seq = evs[i].seq;
			any = 1;
		}
		if (any && s->dead == K_NONE && flush(s) != 0)
			kill_stream(l, s, K_ERROR);
	}
	for (size_t i = 0; i < n; i++)
		msg_unref(evs[i].msg);
}

/* A stream from a worker: registered, then the events of its meeting
 * after its snapshot. */
static void
adopt(struct sse *l, struct adopt *a, uint64_t now)
{
	struct stream *s = xcalloc(1, sizeof *s);
	struct epoll_event ev;

	s->fd = a->fd;
	s->ssl = a->ssl;
	memcpy(s->meeting, a->meeting, sizeof s->meeting);
	s->seq = a->seq;
	s->counts = a->counts;
	s->last_ms = now;
	s->next = l->streams;
	if (l->streams != NULL)
		l->streams->prev = s;
	l->streams = s;
	memset(&ev, 0, sizeof ev);
	ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
	ev.data.ptr = s;
	if (epoll_ctl(l->ep, EPOLL_CTL_ADD, s->fd, &ev) != 0) {
		log_warn("epoll_ctl: %s", strerror(errno));
		kill_stream(l, s, K_ERROR);
		return;
	}
	if (meeting_last(l, s->meeting) > s->seq) {
		/* Events of the meeting after the snapshot: all in the
		 * ring, or the stream starts again (a new snapshot). */
		uint64_t from = s->seq + 1;
		if (l->last - s->seq >= SSE_RING) {
			kill_stream(l, s, K_RESYNC);
			return;
		}
		for (uint64_t q = from; q <= l->last; q++) {
			struct sse_ev *r = &l->ring[q % SSE_RING];
			if (r->seq != q || r->msg == NULL) {
				kill_stream(l, s, K_RESYNC);
				return;
			}
			if (strcmp(r->meeting, s->meeting) != 0)
				continue;
			if (!r->msg->counts || s->counts)
				enqueue(l, s, r->msg, now);
			s->seq = q;
		}
		if (s->dead == K_NONE && flush(s) != 0)
			kill_stream(l, s, K_ERROR);
	}
}

static void
pings(struct sse *l, uint64_t now)
{
	for (struct stream *s = l->streams; s; s = s->next) {
		if (s->dead != K_NONE || s->qlen > 0 ||
		    now - s->last_ms < SSE_PING_MS)
			continue;
		enqueue(l, s, l->ping, now);
		if (flush(s) != 0)
			kill_stream(l, s, K_ERROR);
	}
}

static void *
loop_main(void *arg)
{
	struct sse *l = arg;
	struct epoll_event evs[SSE_EPOLL_BATCH];
	uint64_t next_ping = mono_ms() + 1000;

	for (;;) {
		uint64_t now = mono_ms();
		int n, woke = 0, stop;
		struct sse_ev *in = NULL;
		size_t nin = 0;
		struct adopt *ad = NULL;

		n = epoll_wait(l->ep, evs, SSE_EPOLL_BATCH,
		    next_ping > now ? (int)(next_ping - now) : 0);
		if (n < 0) {
			if (errno != EINTR) {
				log_warn("epoll_wait: %s", strerror(errno));
				usleep(100000);
			}
			n = 0;
		}
		now = mono_ms();
		for (int i = 0; i < n; i++) {
			struct stream *s = evs[i].data.ptr;
			uint32_t e = evs[i].events;
			enum kill k;
			if (s == NULL) {
				uint64_t v;
				while (read(l->wake, &v, sizeof v) > 0)
					;
				woke = 1;
				continue;
			}
			if (s->dead != K_NONE)
				continue;
			if (e & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
				/* What is left to read first: a close_notify
				 * tells an orderly close from an error. */
				if ((k = drain(s)) != K_NONE) {
					/* A close without close_notify is
					 * still the client's close. */
					if (k == K_ERROR && (e & (EPOLLRDHUP |
					    EPOLLHUP)))
						k = K_GONE;
					kill_stream(l, s, k);
					continue;
				}
				if (e & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
					kill_stream(l, s, K_GONE);
					continue;
				}
			}
			if (s->qlen > 0 && flush(s) != 0)
				kill_stream(l, s, K_ERROR);
		}
		if (woke) {
			pthread_mutex_lock(&l->mu);
			in = l->in;
			nin = l->nin;
			l->in = NULL;
			l->nin = l->capin = 0;
			ad = l->adopts;
			l->adopts = NULL;
			stop = l->stop;
			pthread_mutex_unlock(&l->mu);
			if (nin > 0)
				fan_out(l, in, nin, now);
			free(in);
			while (ad != NULL) {
				struct adopt *nx = ad->next;
				adopt(l, ad, now);
				free(ad);
				ad = nx;
			}
			if (stop)
				break;
		}
		if (now >= next_ping) {
			pings(l, now);
			next_ping = now + 1000;
		}
		reap(l);
	}
	for (struct stream *s = l->streams; s; s = s->next)
		kill_stream(l, s, K_STOP);
	reap(l);
	return NULL;
}

/* ---- the other threads' side ---- */

struct sse *
sse_new(unsigned max_streams)
{
	struct sse *l = xcalloc(1, sizeof *l);
	struct epoll_event ev;
	static const char ping[] = ": ping\n\n";

	pthread_mutex_init(&l->mu, NULL);
	l->max = max_streams;
	l->ping = msg_new(ping, sizeof ping - 1);
	l->ep = epoll_create1(EPOLL_CLOEXEC);
	l->wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (l->ep < 0 || l->wake < 0) {
		log_warn("live streams: epoll/eventfd: %s", strerror(errno));
		goto fail;
	}
	memset(&ev, 0, sizeof ev);
	ev.events = EPOLLIN;
	ev.data.ptr = NULL;
	if (epoll_ctl(l->ep, EPOLL_CTL_ADD, l->wake, &ev) != 0 ||
	    pthread_create(&l->th, NULL, loop_main, l) != 0) {
		log_warn("live streams: cannot start the loop");
		goto fail;
	}
	l->started = 1;
	return l;
fail:
	if (l->ep >= 0)
		close(l->ep);
	if (l->wake >= 0)
		close(l->wake);
	msg_unref(l->ping);
	pthread_mutex_destroy(&l->mu);
	free(l);
	return NULL;
}

void
sse_kick(struct sse *l)
{
	uint64_t one = 1;

	/* EAGAIN: the counter is full, the loop is woken anyway. */
	(void)!write(l->wake, &one, sizeof one);
}

void
sse_free(struct sse *l)
{
	if (l == NULL)
		return;
	pthread_mutex_lock(&l->mu);
	l->stop = 1;
	pthread_mutex_unlock(&l->mu);
	sse_kick(l);
	pthread_join(l->th, NULL);
	/* Published or handed over after the loop's last look. */
	for (size_t i = 0; i < l->nin; i++)
		msg_unref(l->in[i].msg);
	free(l->in);
	while (l->adopts != NULL) {
		struct adopt *nx = l->adopts->next;
		SSL_free(l->adopts->ssl);
		close(l->adopts->fd);
		free(l->adopts);
		l->adopts = nx;
	}
	for (size_t i = 0; i < SSE_RING; i++)
		msg_unref(l->ring[i].msg);
	msg_unref(l->ping);
	log_info("flux en direct fermés : %lu par leur client, %lu sur erreur,"
	    " %lu envoyant des données, %lu ne lisant pas, %lu à resynchroniser,"
	    " %lu à l'arrêt",
	    l->closed[K_GONE], l->closed[K_ERROR], l->closed[K_DATA],
	    l->closed[K_SLOW], l->closed[K_RESYNC], l->closed[K_STOP]);
	close(l->ep);
	close(l->wake);
	pthread_mutex_destroy(&l->mu);
	free(l);
}

int
sse_reserve(struct sse *l)
{
	int rc = -1;

	pthread_mutex_lock(&l->mu);
	if (!l->stop && l->count < l->max) {
		l->count++;
		rc = 0;
	}
	pthread_mutex_unlock(&l->mu);
	return rc;
}

void
sse_release(struct sse *l)
{
	pthread_mutex_lock(&l->mu);
	l->count--;
	pthread_mutex_unlock(&l->mu);
}

unsigned
sse_count(struct sse *l)
{
	unsigned n;

	pthread_mutex_lock(&l->mu);
	n = l->count;
	pthread_mutex_unlock(&l->mu);
	return n;
}

int
sse_adopt(struct sse *l, int fd, SSL *ssl, const char *meeting,
    uint64_t seq, int counts)
{
	struct adopt *a;
	int fl, ut = (int)SSE_USER_TIMEOUT_MS, sb = (int)SSE_SNDBUF, stop;

	/* Non-blocking (CivetWeb's sockets already are); a client that
	 * acknowledges nothing for SSE_USER_TIMEOUT_MS is gone; a fixed
	 * send buffer (the kernel's would grow to megabytes for a client
	 * that does not read: what it does not take waits in our queue). */
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) != 0 ||
	    strlen(meeting) > 64) {
		SSL_free(ssl);
		close(fd);
		sse_release(l);
		return -1;
	}
	(void)setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &ut, sizeof ut);
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sb, sizeof sb);
	SSL_set_mode(ssl, SSL_MODE_ENABLE_PARTIAL_WRITE |
	    SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	a = xcalloc(1, sizeof *a);
	a->fd = fd;
	a->ssl = ssl;
	a->seq = seq;
	a->counts = counts;
	snprintf(a->meeting, sizeof a->meeting, "%s", meeting);
	pthread_mutex_lock(&l->mu);
	stop = l->stop;
	if (!stop) {
		a->next = l->adopts;
		l->adopts = a;
	} else
		l->count--;
	pthread_mutex_unlock(&l->mu);
	if (stop) {
		SSL_free(ssl);
		close(fd);
		free(a);
		return -1;
	}
	sse_kick(l);
	return 0;
}

void
sse_publish(struct sse *l, uint64_t seq, const char *meeting,
    const char *name, const char *data)
{
	size_t len;
	char *text = sse_format(seq, name, data, &len);
	struct sse_msg *m;

	if (text == NULL || strlen(meeting) > 64) {
		free(text);
		return;
	}
	m = msg_new(text, len);
	m->counts = strcmp(name, "participation") == 0 ||
	    strcmp(name, "attendance") == 0;
	free(text);
	pthread_mutex_lock(&l->mu);
	if (l->nin == l->capin) {
		l->capin = l->capin ? l->capin * 2 : 64;
		l->in = xreallocarray(l->in, l->capin, sizeof *l->in);
	}
	l->in[l->nin].seq = seq;
	snprintf(l->in[l->nin].meeting, sizeof l->in[l->nin].meeting, "%s",
	    meeting);
	l->in[l->nin].msg = m;
	l->nin++;
	pthread_mutex_unlock(&l->mu);
}

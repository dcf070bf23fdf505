/*
 * sse.h — the live event streams once they are open: one thread, epoll,
 * non-blocking TLS writes (docs/server.md, "Live events").
 *
 * A stream starts in a CivetWeb worker (web.c api_events: the response
 * headers and the snapshot), is taken out of CivetWeb
 * (mg_detach_stream, civetweb_ext.h) and handed here with sse_adopt. The
 * loop thread then owns the socket and the SSL: it writes every event of
 * the stream's meeting, a comment every 15 s, notices the client closing,
 * and closes a stream whose client does not read (more than
 * SSE_QUEUE_MAX messages or SSE_QUEUE_BYTES waiting): the client
 * reconnects and starts again from a snapshot.
 */
#ifndef SCRUTIN_SERVER_SSE_H
#define SCRUTIN_SERVER_SSE_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>

#include "server/scrutin.h"

#define SSE_RING 1024u		/* events kept for streams that join */
#define SSE_QUEUE_MAX 256u	/* messages waiting for one client */
#define SSE_QUEUE_BYTES (1024u * 1024u)
#define SSE_PING_MS 15000u	/* ": ping" after this long without a write */
#define SSE_USER_TIMEOUT_MS 45000u	/* TCP_USER_TIMEOUT of a stream */
#define SSE_SNDBUF (64u * 1024u)	/* SO_SNDBUF of a stream */

struct sse;

/* Starts the loop thread; at most max_streams streams (open or being
 * opened). NULL on error (logged). */
struct sse *sse_new(unsigned max_streams) WUR;

/* Closes every stream and stops the thread. */
void sse_free(struct sse *l);

/* A place for one more stream: 0, or -1 when max_streams are taken. */
int sse_reserve(struct sse *l) WUR;
/* Gives back a place taken by sse_reserve and not passed to sse_adopt. */
void sse_release(struct sse *l);

/*
 * The stream continues in the loop: it has been sent everything up to
 * event seq of meeting (the snapshot's seq). counts: 0 for a stream that
 * skips the count events (participation, attendance: a member's phone
 * shows neither). Takes fd and ssl in every case, and the place taken by
 * sse_reserve: on error (the loop stops) they are closed here. Returns 0
 * or -1.
 */
int sse_adopt(struct sse *l, int fd, SSL *ssl, const char *meeting,
    uint64_t seq, int counts);

/*
 * One event from the privileged process, in seq order (a gap makes every
 * open stream start again from a snapshot). Formatted here, once, as
 * "id: …\nevent: …\ndata: …\n\n"; sent by the loop after sse_kick.
 */
void sse_publish(struct sse *l, uint64_t seq, const char *meeting,
    const char *name, const char *data);
void sse_kick(struct sse *l);

/* Streams open or being opened. */
unsigned sse_count(struct sse *l);

/* The text of one event (malloc'd, *len set), or NULL (name too long). */
char *sse_format(uint64_t seq, const char *name, const char *data,
    size_t *len);

#endif

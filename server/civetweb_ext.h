/*
 * civetweb_ext.h — what server/civetweb_ext.c adds to CivetWeb 1.15 (built
 * from Debian's unmodified source through that file, see server.mk).
 */
#ifndef SCRUTIN_SERVER_CIVETWEB_EXT_H
#define SCRUTIN_SERVER_CIVETWEB_EXT_H

#include <openssl/ssl.h>

struct mg_connection;

/*
 * Takes the TLS connection out of CivetWeb, from inside a request handler
 * (begin_request) whose response headers are sent: OUT *fd (the socket,
 * non-blocking) and *ssl become the caller's, to close and free. CivetWeb
 * then neither reads, writes, shuts down, closes nor frees them: its
 * close_connection() skips both, keep-alive is off for the connection,
 * and the worker thread goes back to the pool once the handler returns
 * (which must then return a negative value and touch the connection no
 * more). Returns 0, or -1 (nothing taken) for a connection without TLS,
 * without a socket or whose headers are not sent.
 */
int mg_detach_stream(struct mg_connection *conn, int *fd, SSL **ssl);

/*
 * From inside a request handler, before the response headers are sent:
 * the connection is closed once this request is answered (its headers
 * say "Connection: close"), whatever keep-alive the client asked for, so
 * that the worker thread goes back to the pool at once instead of waiting
 * for a next request that will not come soon.
 */
void mg_close_after(struct mg_connection *conn);

/*
 * How many accepted connections wait for a worker thread (CivetWeb's
 * socket queue): more than 0 means every worker is busy, idle keep-alive
 * connections included.
 */
int mg_queue_waiting(const struct mg_connection *conn);

/*
 * Sends the response whose status and headers were set by
 * mg_response_header_start() and mg_response_header_add() (instead of
 * mg_response_header_send()), followed by len bytes of body, in one write
 * (one TLS record, one system call) when the body is at most 64 KiB, two
 * otherwise. Adds Date, and Connection as CivetWeb would; a handler's own
 * "Connection: close" also closes the connection after the response.
 * Returns 0, or -1 (wrong state, or the client is gone).
 */
int mg_response_send(struct mg_connection *conn, const void *body,
    size_t len);

/*
 * From inside a request handler, for a request with a Content-Length (not
 * chunked): reads at most len bytes of its body, what arrives in one
 * network read — unlike mg_read, which waits for all len bytes however
 * slowly they come (CivetWeb's pull_all restarts its wait after each
 * byte), so a caller can hold a deadline for the whole body. Bytes that
 * came with the headers are returned first. Returns the number of bytes
 * (≥ 1), 0 at the end of the body, or -1 when nothing came within
 * timeout_ms or the connection failed.
 */
int mg_read_within(struct mg_connection *conn, void *buf, size_t len,
    unsigned timeout_ms);

#endif

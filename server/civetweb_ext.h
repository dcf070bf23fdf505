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

#endif

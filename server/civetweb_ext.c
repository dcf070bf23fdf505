/*
 * civetweb_ext.c — CivetWeb 1.15 itself, plus mg_detach_stream()
 * (civetweb_ext.h).
 *
 * This translation unit includes Debian's civetweb.c unmodified (server.mk
 * compiles it with CivetWeb's own options and include path) so that the
 * function below can reach struct mg_connection, which CivetWeb keeps
 * private. It depends on how 1.15 ends a connection, read in its source:
 *
 * - begin_request returning a negative value: handle_request() returns at
 *   once (no discard_unread_request_data, nothing written);
 * - process_new_connection(): keep_alive is 0 when must_close is set
 *   (should_keep_alive()), so the loop ends and close_connection() runs;
 * - close_connection(): SSL_shutdown/SSL_free only when conn->ssl is not
 *   NULL, close_socket_gracefully() only when conn->client.sock is not
 *   INVALID_SOCKET; the connection_close(d) callbacks are not set by us;
 * - worker_thread_run(): nothing touches conn->ssl or conn->client after
 *   process_new_connection() until consume_socket() overwrites the socket
 *   for the next connection (conn->ssl is set again by sslize());
 * - request_state is 3 once mg_response_header_send() has written the
 *   headers, 10 after any mg_write() (response.inl, mg_write());
 * - the SSL_CTX is ours (external_ssl_ctx): CivetWeb installs no callback
 *   on it; the only back pointer is SSL_set_app_data(ssl, conn) in
 *   sslize(), cleared here.
 *
 * Another CivetWeb version may differ in any of these: it does not build.
 */
#include "civetweb.c"

#include "server/civetweb_ext.h"

#if !defined(CIVETWEB_VERSION_MAJOR) || !defined(CIVETWEB_VERSION_MINOR) || \
    CIVETWEB_VERSION_MAJOR != 1 || CIVETWEB_VERSION_MINOR != 15
#error "mg_detach_stream is written for CivetWeb 1.15: read close_connection, process_new_connection and worker_thread_run of this version again"
#endif
#if defined(USE_HTTP2) || defined(USE_WEBSOCKET) || defined(USE_MBEDTLS) || \
    defined(NO_SSL) || defined(USE_SERVER_STATS)
#error "mg_detach_stream assumes OpenSSL, HTTP/1 only, no WebSocket, no server statistics"
#endif

int
mg_detach_stream(struct mg_connection *conn, int *fd, SSL **ssl)
{
	*fd = -1;
	*ssl = NULL;
	if (conn == NULL || conn->phys_ctx == NULL ||
	    conn->phys_ctx->context_type != CONTEXT_SERVER ||
	    conn->connection_type != CONNECTION_TYPE_REQUEST ||
	    conn->protocol_type != PROTOCOL_TYPE_HTTP1 ||
	    conn->request_state < 3 || conn->ssl == NULL ||
	    conn->client.sock == INVALID_SOCKET)
		return -1;
	mg_lock_connection(conn);
	*fd = conn->client.sock;
	*ssl = conn->ssl;
	SSL_set_app_data(conn->ssl, NULL);
	conn->ssl = NULL;
	conn->client.sock = INVALID_SOCKET;
	conn->must_close = 1;
	mg_unlock_connection(conn);
	return 0;
}

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
 * - mg_response_header_start() stores the status in conn->status_code
 *   and sets request_state to 1; mg_response_header_add() keeps the
 *   headers in conn->response_info (response buffering is on);
 *   mg_response_header_send() writes one mg_printf() per line, and
 *   mg_write() is one SSL_write() per call (no buffering): one TLS record
 *   and one system call per header line, hence mg_response_send();
 * - the master thread queues accepted sockets in ctx->squeue, between
 *   sq_tail and sq_head under ctx->thread_mutex (produce_socket()), and
 *   a worker takes one only when it is done with its connection, idle
 *   keep-alive included (consume_socket());
 * - process_new_connection() frees the stored headers after each request
 *   (free_buffered_response_header_list());
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
    defined(NO_SSL) || defined(USE_SERVER_STATS) || \
    defined(NO_RESPONSE_BUFFERING) || defined(ALTERNATIVE_QUEUE)
#error "civetweb_ext.c assumes OpenSSL, HTTP/1 only, no WebSocket, no server statistics, response buffering, the socket queue of sq_head/sq_tail"
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

void
mg_close_after(struct mg_connection *conn)
{
	if (conn != NULL)
		conn->must_close = 1;
}

int
mg_queue_waiting(const struct mg_connection *conn)
{
	struct mg_context *ctx;
	int n;

	if (conn == NULL || (ctx = conn->phys_ctx) == NULL ||
	    ctx->context_type != CONTEXT_SERVER)
		return 0;
	(void)pthread_mutex_lock(&ctx->thread_mutex);
	n = ctx->sq_head - ctx->sq_tail;
	(void)pthread_mutex_unlock(&ctx->thread_mutex);
	return n > 0 ? n : 0;
}

/* civetweb.c forbids these names in its own code (macros to undefined
 * symbols); this file's code below is not CivetWeb's. */
#undef malloc
#undef free
#undef snprintf

/* A body up to this size goes in the same write as the headers. */
#define RESPONSE_INLINE_MAX 65536u

int
mg_response_send(struct mg_connection *conn, const void *body, size_t len)
{
	const struct mg_header *h;
	const char *ver, *conn_hdr = NULL;
	char date[64], *buf;
	size_t cap, n = 0, inl;
	int has_date = 0, i, rc = 0;
	struct tm tm;
	time_t now;

	if (conn == NULL || conn->connection_type != CONNECTION_TYPE_REQUEST ||
	    conn->protocol_type != PROTOCOL_TYPE_HTTP1 ||
	    conn->request_state != 1 || len > INT_MAX)
		return -1;
	h = conn->response_info.http_headers;
	/* The status line names 1.0 or 1.1, never the client's bytes: on a
	 * malformed request line CivetWeb keeps whatever followed « HTTP/ »
	 * (CRLFs included) as the version. */
	ver = conn->request_info.http_version != NULL &&
	    strcmp(conn->request_info.http_version, "1.0") == 0 ? "1.0" : "1.1";
	inl = len <= RESPONSE_INLINE_MAX ? len : 0;
	cap = 128 + strlen(ver) + sizeof date + inl;
	for (i = 0; i < conn->response_info.num_headers; i++) {
		cap += strlen(h[i].name) + strlen(h[i].value) + 4;
		if (mg_strcasecmp(h[i].name, "Date") == 0)
			has_date = 1;
		if (mg_strcasecmp(h[i].name, "Connection") == 0)
			conn_hdr = h[i].value;
	}
	if ((buf = malloc(cap)) == NULL)
		return -1;
#define PUT(...)                                                      \
	do {                                                          \
		int k_ = snprintf(buf + n, cap - n, __VA_ARGS__);     \
		if (k_ < 0 || (size_t)k_ >= cap - n)                  \
			goto fail;                                    \
		n += (size_t)k_;                                      \
	} while (0)
	PUT("HTTP/%s %d %s\r\n", ver, conn->status_code,
	    mg_get_response_code_text(conn, conn->status_code));
	for (i = 0; i < conn->response_info.num_headers; i++)
		PUT("%s: %s\r\n", h[i].name, h[i].value);
	if (!has_date) {
		now = time(NULL);
		if (gmtime_r(&now, &tm) != NULL &&
		    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT",
			&tm) > 0)
			PUT("Date: %s\r\n", date);
	}
	/* A "Connection: close" of the handler's is kept to: the
	 * connection is then closed after this response. */
	if (conn_hdr != NULL && mg_strcasecmp(conn_hdr, "close") == 0)
		conn->must_close = 1;
	else if (conn_hdr == NULL)
		PUT("Connection: %s\r\n", suggest_connection_header(conn));
	PUT("\r\n");
#undef PUT
	if (n + inl > cap)
		goto fail;
	if (inl > 0)
		memcpy(buf + n, body, inl);
	n += inl;
	conn->request_state = 2;
	if (mg_write(conn, buf, n) != (int)n)
		rc = -1;
	else if (len > inl && mg_write(conn, body, len) != (int)len)
		rc = -1;
	free(buf);
	return rc;
fail:
	free(buf);
	return -1;
}

int
mg_read_within(struct mg_connection *conn, void *buf, size_t len,
    unsigned timeout_ms)
{
	int64_t left, buffered;
	int n;

	if (conn == NULL || conn->content_len < 0 || conn->is_chunked ||
	    timeout_ms == 0)
		return -1;
	left = conn->content_len - conn->consumed_content;
	if (left <= 0 || len == 0)
		return 0;
	if ((int64_t)len > left)
		len = (size_t)left;
	if (len > INT_MAX)
		len = INT_MAX;
	/* What came with the headers first, as mg_read_inner does. */
	buffered = (int64_t)conn->data_len - (int64_t)conn->request_len -
	    conn->consumed_content;
	if (buffered > 0) {
		if (buffered > (int64_t)len)
			buffered = (int64_t)len;
		memcpy(buf, conn->buf + conn->request_len + conn->consumed_content,
		    (size_t)buffered);
		conn->consumed_content += buffered;
		return (int)buffered;
	}
	/* One network read: what arrives, not the whole len (pull_all). */
	n = pull_inner(NULL, conn, buf, (int)len, timeout_ms / 1000.0);
	if (n <= 0)
		return -1;
	conn->consumed_content += n;
	return n;
}

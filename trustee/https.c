/*
 * https.c — the scrutineer tool's HTTPS client: one request per TLS
 * connection to the appliance (HTTP/1.1, Connection: close), OpenSSL 3.
 *
 * Trusts OpenSSL and what the scrutineer gave: either a CA file (the
 * chain and the host name are verified, as a browser would) or the
 * SHA-256 fingerprint of the appliance's certificate (pinned: the leaf
 * certificate must be exactly that one, whoever signed it). There is no
 * third way: no request leaves without one of them verified during the
 * handshake. Invariants: nothing is sent before the handshake verified
 * the peer; an answer is read whole (at most RESP_MAX bytes) and parsed
 * strictly (status line, Content-Length or chunked); every failure is
 * said in French and English.
 */
#define _GNU_SOURCE /* memrchr, asprintf */
#include "trustee/trustee.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "crypto/hex.h"

#define RESP_MAX (64u << 20)
#define IO_TIMEOUT_S 60

/* --- URLs and pins --------------------------------------------------- */

static int
meeting_ok(const char *m, size_t n)
{
	if (n == 0 || n > 64 || !((m[0] >= 'a' && m[0] <= 'z') ||
	    (m[0] >= '0' && m[0] <= '9')))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((m[i] >= 'a' && m[i] <= 'z') || (m[i] >= '0' && m[i] <= '9') ||
		    m[i] == '.' || m[i] == '_' || m[i] == '-'))
			return 0;
	return 1;
}

/* The fragment of a link: ID.J[.TOKEN] (the meeting id may hold dots;
 * a token is 43 base64url characters). */
static int
parse_link(struct tr_peer *p, const char *f, long *index, const char **token)
{
	size_t n = strlen(f);
	const char *d = memrchr(f, '.', n);
	char *end;
	long j;

	if (d != NULL && strlen(d + 1) == 43 &&
	    strspn(d + 1, "0123456789") != 43) {
		if (token)
			*token = d + 1;
		n = (size_t)(d - f);
		d = memrchr(f, '.', n);
	}
	if (d == NULL || d == f)
		return -1;
	j = strtol(d + 1, &end, 10);
	if (end == d + 1 || end != f + n || j < 1 || j > 16 ||
	    !meeting_ok(f, (size_t)(d - f)))
		return -1;
	if (index)
		*index = j;
	memcpy(p->meeting, f, (size_t)(d - f));
	p->meeting[d - f] = '\0';
	return 0;
}

/* https://HOST[:PORT] then a path (OUT *path: from its '/', or "" when
 * the URL ends after the port). 0, or −1 on a malformed origin. */
static int
parse_origin(struct tr_peer *p, const char *url, const char **pathp)
{
	const char *h, *e, *path, *colon;
	size_t hl;

	memset(p->host, 0, sizeof p->host);
	p->meeting[0] = '\0';
	if (strncmp(url, "https://", 8) != 0)
		return -1;
	h = url + 8;
	path = strchr(h, '/');
	if (path == NULL)
		path = h + strlen(h);
	if (*h == '[') {
		e = memchr(h, ']', (size_t)(path - h));
		if (e == NULL)
			return -1;
		hl = (size_t)(e - h - 1);
		if (hl == 0 || hl >= sizeof p->host)
			return -1;
		memcpy(p->host, h + 1, hl);
		colon = e + 1 < path && e[1] == ':' ? e + 1 : NULL;
	} else {
		colon = memchr(h, ':', (size_t)(path - h));
		hl = (size_t)((colon ? colon : path) - h);
		if (hl == 0 || hl >= sizeof p->host)
			return -1;
		memcpy(p->host, h, hl);
	}
	if (colon != NULL) {
		size_t pl = (size_t)(path - colon - 1);

		if (pl == 0 || pl >= sizeof p->port ||
		    strspn(colon + 1, "0123456789") < pl)
			return -1;
		memcpy(p->port, colon + 1, pl);
		p->port[pl] = '\0';
	} else {
		snprintf(p->port, sizeof p->port, "443");
	}
	*pathp = path;
	return 0;
}

int
tr_origin_parse(struct tr_peer *p, const char *url)
{
	const char *path;

	if (parse_origin(p, url, &path) == 0 &&
	    (path[0] == '\0' || strcmp(path, "/") == 0))
		return 0;
	tr_say("adresse invalide : attendu https://HÔTE[:PORT]",
	    "bad address: expected https://HOST[:PORT]");
	return -1;
}

int
tr_peer_parse(struct tr_peer *p, const char *url, long *index,
    const char **token)
{
	const char *path;

	if (token)
		*token = NULL;
	if (parse_origin(p, url, &path) != 0)
		goto bad;
	if (strncmp(path, "/api/v1/meetings/", 17) == 0) {
		const char *m = path + 17;
		size_t ml = strcspn(m, "/?#");

		if (!meeting_ok(m, ml) || (m[ml] != '\0' && strcmp(m + ml, "/") != 0))
			goto bad;
		memcpy(p->meeting, m, ml);
		p->meeting[ml] = '\0';
		return 0;
	}
	if (strncmp(path, "/s/#", 4) == 0 && parse_link(p, path + 4, index, token) == 0)
		return 0;
bad:
	tr_say("adresse de réunion invalide : attendu https://HÔTE[:PORT]"
	    "/api/v1/meetings/ID ou le lien du scrutateur https://HÔTE/s/#ID.J."
	    "JETON", "bad meeting URL: expected https://HOST[:PORT]/api/v1/"
	    "meetings/ID or the scrutineer's link https://HOST/s/#ID.J.TOKEN");
	return -1;
}

int
tr_pin_parse(uint8_t pin[32], const char *s)
{
	char h[65];
	size_t n = 0;

	for (; *s != '\0'; s++) {
		if (*s == ':')
			continue;
		if (n >= 64)
			goto bad;
		h[n++] = (char)(*s >= 'A' && *s <= 'F' ? *s - 'A' + 'a' : *s);
	}
	if (n == 64 && hex_decode(pin, 32, h, 64) == 0)
		return 0;
bad:
	tr_say("empreinte --pin invalide : 64 chiffres hexadécimaux (SHA-256 du "
	    "certificat)", "bad --pin fingerprint: 64 hex digits (the "
	    "certificate's SHA-256)");
	return -1;
}

/* --- TLS -------------------------------------------------------------- */

static int pin_idx = -1;

/* With a pin: the leaf certificate must be the pinned one; the chain's
 * own verdict does not matter (a self-signed certificate is the usual
 * case), the leaf's bytes do. */
static int
pin_verify(int preverify_ok, X509_STORE_CTX *x)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(x,
	    SSL_get_ex_data_X509_STORE_CTX_idx());
	const struct tr_peer *p = SSL_get_ex_data(ssl, pin_idx);
	X509 *cert = X509_STORE_CTX_get_current_cert(x);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	(void)preverify_ok;
	if (X509_STORE_CTX_get_error_depth(x) > 0)
		return 1;
	if (p == NULL || cert == NULL || X509_digest(cert, EVP_sha256(), md,
	    &mdlen) != 1 || mdlen != 32 || CRYPTO_memcmp(md, p->pin, 32) != 0) {
		X509_STORE_CTX_set_error(x, X509_V_ERR_CERT_REJECTED);
		return 0;
	}
	X509_STORE_CTX_set_error(x, X509_V_OK);
	return 1;
}

static int
connect_tcp(const struct tr_peer *p)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res, *ai;
	struct timeval tv = { .tv_sec = IO_TIMEOUT_S };
	int fd = -1;

	if (getaddrinfo(p->host, p->port, &hints, &res) != 0)
		return -1;
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		    ai->ai_protocol);
		if (fd < 0)
			continue;
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
}

static SSL_CTX *
make_ctx(const struct tr_peer *p)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (ctx == NULL)
		return NULL;
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
	if (p->has_pin) {
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, pin_verify);
	} else if (p->ca != NULL &&
	    SSL_CTX_load_verify_locations(ctx, p->ca, NULL) == 1) {
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	} else {
		SSL_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

/* A verified TLS connection, or NULL (said). */
static SSL *
open_tls(const struct tr_peer *p, SSL_CTX *ctx, int *fdp)
{
	int ip = strspn(p->host, "0123456789.") == strlen(p->host) ||
	    strchr(p->host, ':') != NULL;
	SSL *ssl = NULL;
	int fd = connect_tcp(p), k;

	*fdp = fd;
	if (fd < 0) {
		fprintf(stderr, "scrutin-trustee : %s:%s\n", p->host, p->port);
		tr_say("l'appareil ne répond pas (adresse, réseau ?)",
		    "the appliance does not answer (address, network?)");
		return NULL;
	}
	if (pin_idx < 0)
		pin_idx = SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL);
	ssl = SSL_new(ctx);
	if (ssl == NULL || SSL_set_fd(ssl, fd) != 1 ||
	    SSL_set_ex_data(ssl, pin_idx, (void *)p) != 1)
		goto fail;
	if (!ip)
		(void)SSL_set_tlsext_host_name(ssl, p->host);
	if (!p->has_pin) {
		X509_VERIFY_PARAM *vp = SSL_get0_param(ssl);

		if ((ip ? X509_VERIFY_PARAM_set1_ip_asc(vp, p->host) :
		    X509_VERIFY_PARAM_set1_host(vp, p->host, 0)) != 1)
			goto fail;
	}
	if ((k = SSL_connect(ssl)) != 1 || SSL_get_verify_result(ssl) != X509_V_OK) {
		long vr = SSL_get_verify_result(ssl);
		unsigned long e = ERR_peek_last_error();

		fprintf(stderr, "scrutin-trustee : TLS : %s (%d, %s)\n", vr != X509_V_OK ?
		    X509_verify_cert_error_string(vr) : e != 0 ?
		    ERR_reason_error_string(e) : "handshake failed",
		    SSL_get_error(ssl, k), strerror(errno));
		tr_say(p->has_pin ? "le certificat de l'appareil n'est pas celui "
		    "de l'empreinte --pin : rien n'a été envoyé" :
		    "le certificat de l'appareil n'est pas vérifié par --ca : "
		    "rien n'a été envoyé", p->has_pin ? "the appliance's "
		    "certificate is not the one pinned by --pin: nothing was "
		    "sent" : "the appliance's certificate does not verify "
		    "against --ca: nothing was sent");
		goto fail;
	}
	return ssl;
fail:
	ERR_clear_error();
	SSL_free(ssl);
	return NULL;
}

/* --- HTTP --------------------------------------------------------------- */

static int
write_all(SSL *ssl, const char *b, size_t n)
{
	while (n > 0) {
		int k = SSL_write(ssl, b, n > 65536 ? 65536 : (int)n);

		if (k <= 0)
			return -1;
		b += k;
		n -= (size_t)k;
	}
	return 0;
}

static char *
read_all(SSL *ssl, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *b = malloc(cap + 1);

	if (b == NULL)
		abort();
	for (;;) {
		int k;

		if (n == cap) {
			if (cap >= RESP_MAX)
				goto fail;
			cap *= 2;
			b = realloc(b, cap + 1);
			if (b == NULL)
				abort();
		}
		k = SSL_read(ssl, b + n, (int)(cap - n > 65536 ? 65536 : cap - n));
		if (k > 0) {
			n += (size_t)k;
			continue;
		}
		if (SSL_get_error(ssl, k) == SSL_ERROR_ZERO_RETURN || k == 0)
			break;
		goto fail;
	}
	b[n] = '\0';
	*len = n;
	return b;
fail:
	free(b);
	return NULL;
}

/* Decodes a chunked body in place; −1 if malformed. */
static int
dechunk(char *b, size_t len, size_t *out)
{
	size_t r = 0, w = 0;

	for (;;) {
		char *end;
		unsigned long sz;
		const char *crlf;

		if (r >= len)
			return -1;
		sz = strtoul(b + r, &end, 16);
		crlf = strstr(end, "\r\n");
		if (end == b + r || crlf == NULL || sz > len)
			return -1;
		r = (size_t)(crlf - b) + 2;
		if (sz == 0)
			break;
		if (r + sz + 2 > len)
			return -1;
		memmove(b + w, b + r, sz);
		w += sz;
		r += sz + 2;
	}
	b[w] = '\0';
	*out = w;
	return 0;
}

static int
parse_resp(char *raw, size_t n, struct tr_resp *r)
{
	char *hend = strstr(raw, "\r\n\r\n"), *line, *save = NULL;
	size_t blen, clen = (size_t)-1;
	int chunked = 0;

	if (hend == NULL || sscanf(raw, "HTTP/1.%*[01] %3d", &r->status) != 1)
		return -1;
	*hend = '\0';
	for (line = strtok_r(raw, "\r\n", &save); line != NULL;
	    line = strtok_r(NULL, "\r\n", &save)) {
		if (strncasecmp(line, "Content-Length:", 15) == 0)
			clen = strtoul(line + 15, NULL, 10);
		else if (strncasecmp(line, "Transfer-Encoding:", 18) == 0 &&
		    strstr(line + 18, "chunked") != NULL)
			chunked = 1;
		else if (strncasecmp(line, "X-Scrutin-Head:", 15) == 0)
			snprintf(r->head, sizeof r->head, "%s",
			    line + 15 + strspn(line + 15, " \t"));
	}
	blen = n - (size_t)(hend + 4 - raw);
	memmove(raw, hend + 4, blen);
	raw[blen] = '\0';
	if (chunked) {
		if (dechunk(raw, blen, &blen) != 0)
			return -1;
	} else if (clen != (size_t)-1) {
		if (clen > blen)
			return -1;
		blen = clen;
		raw[blen] = '\0';
	}
	r->body = raw;
	r->len = blen;
	return 0;
}

int
tr_http(const struct tr_peer *p, const char *method, const char *path,
    const char *body, const char *token, struct tr_resp *r)
{
	SSL_CTX *ctx = make_ctx(p);
	SSL *ssl = NULL;
	char *req = NULL, *raw = NULL;
	size_t blen = body ? strlen(body) : 0, rawlen = 0;
	int fd = -1, rc = -1, n;

	memset(r, 0, sizeof *r);
	if (ctx == NULL) {
		tr_say("configuration TLS impossible (fichier --ca lisible ?)",
		    "cannot set up TLS (is the --ca file readable?)");
		return -1;
	}
	ssl = open_tls(p, ctx, &fd);
	if (ssl == NULL)
		goto out;
	/* Under the meeting, or (no meeting: tr_origin_parse) the path as
	 * it is. */
	n = asprintf(&req, "%s %s%s%s HTTP/1.1\r\nHost: %s%s%s:%s\r\n"
	    "User-Agent: scrutin-trustee\r\nAccept: application/json\r\n"
	    "Connection: close\r\n%s%s%s%s%s%zu\r\n\r\n",
	    method, p->meeting[0] ? "/api/v1/meetings/" : "", p->meeting,
	    path, strchr(p->host, ':') ? "[" : "",
	    p->host, strchr(p->host, ':') ? "]" : "", p->port,
	    token ? "Authorization: Bearer " : "", token ? token : "",
	    token ? "\r\n" : "", body ? "Content-Type: application/json\r\n" : "",
	    "Content-Length: ", blen);
	if (n < 0)
		abort();
	if (write_all(ssl, req, (size_t)n) != 0 ||
	    (body && write_all(ssl, body, blen) != 0) ||
	    (raw = read_all(ssl, &rawlen)) == NULL ||
	    parse_resp(raw, rawlen, r) != 0) {
		tr_say("échange avec l'appareil interrompu ou réponse illisible",
		    "exchange with the appliance cut short, or unreadable answer");
		free(raw);
		memset(r, 0, sizeof *r);
		goto out;
	}
	rc = 0;
out:
	free(req);
	if (ssl != NULL) {
		(void)SSL_shutdown(ssl);
		SSL_free(ssl);
	}
	if (fd >= 0)
		close(fd);
	SSL_CTX_free(ctx);
	return rc;
}

void
tr_resp_free(struct tr_resp *r)
{
	free(r->body);
	r->body = NULL;
}

const char *
tr_error_code(const json_t *answer)
{
	const char *c = json_string_value(json_object_get(
	    json_object_get(answer, "error"), "code"));

	return c ? c : "";
}

void
tr_refused(const char *what, int status, const json_t *answer)
{
	const json_t *e = json_object_get(answer, "error");
	const char *msg = json_string_value(json_object_get(e, "message"));

	fprintf(stderr, "scrutin-trustee : %s : HTTP %d %s%s%s\n", what, status,
	    tr_error_code(answer), msg ? " — " : "", msg ? msg : "");
	tr_say("l'appareil a refusé", "the appliance refused");
}

int
tr_get_json(const struct tr_peer *p, const char *path, json_t **out)
{
	struct tr_resp r;
	json_t *j;

	*out = NULL;
	if (tr_http(p, "GET", path, NULL, NULL, &r) != 0)
		return -1;
	j = json_loadb(r.body, r.len, 0, NULL);
	if (r.status != 200 || !json_is_object(j)) {
		tr_refused(path, r.status, j);
		json_decref(j);
		tr_resp_free(&r);
		return -1;
	}
	tr_resp_free(&r);
	*out = j;
	return 0;
}

int
tr_post_json(const struct tr_peer *p, const char *path, json_t *body,
    const char *token, int *status, json_t **out)
{
	char *text = json_dumps(body, JSON_COMPACT);
	struct tr_resp r;
	int rc;

	if (text == NULL)
		abort();
	rc = tr_http(p, "POST", path, text, token, &r);
	tr_json_free(text);
	*out = NULL;
	if (rc != 0)
		return -1;
	*status = r.status;
	*out = json_loadb(r.body, r.len, 0, NULL);
	tr_resp_free(&r);
	return 0;
}

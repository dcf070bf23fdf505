/*
 * tls.h — the server's TLS certificate and context (OpenSSL 3 EVP API).
 *
 * At first start, when no certificate is configured, a self-signed ECDSA
 * P-256 certificate valid 825 days is made in the data directory
 * (tls-cert.pem 0644, tls-key.pem 0600) with subjectAltName localhost,
 * 127.0.0.1, ::1 and the configured host name. The TLS context accepts
 * TLS 1.2 and 1.3 only, forward-secret AEAD suites only, no compression,
 * no renegotiation.
 */
#ifndef SCRUTIN_SERVER_TLS_H
#define SCRUTIN_SERVER_TLS_H

#include "server/scrutin.h"

#define TLS_CERT_FILE "tls-cert.pem"
#define TLS_KEY_FILE "tls-key.pem"
#define TLS_CERT_DAYS 825

/* Makes datadir/tls-{cert,key}.pem unless both exist. host may carry a
 * ":port", which is ignored. Returns 0, or -1. */
int tls_cert_ensure(const char *datadir, const char *host) WUR;
/* Makes a new certificate and key at the given paths (overwriting). */
int tls_cert_create(const char *cert_path, const char *key_path,
    const char *host) WUR;

/* A server SSL_CTX (as void *, to keep OpenSSL out of callers), or NULL. */
void *tls_ctx_new(const char *cert_path, const char *key_path);
void tls_ctx_free(void *ctx);

#endif

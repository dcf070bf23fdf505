/*
 * tls.c — certificate creation and the server's TLS context.
 *
 * Everything through OpenSSL 3's EVP and X509 APIs; no deprecated calls.
 * The private key is written once, mode 0600, through file_write_atomic;
 * the in-memory PEM copy is wiped.
 */
#include "server/tls.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <sodium.h>

static int
add_ext(X509 *cert, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;
	int ok;

	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, cert, cert, NULL, NULL, 0);
	if ((ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value)) == NULL)
		return -1;
	ok = X509_add_ext(cert, ext, -1);
	X509_EXTENSION_free(ext);
	return ok ? 0 : -1;
}

static int
bio_to_file(BIO *b, const char *path, mode_t mode)
{
	char *data = NULL;
	long n = BIO_get_mem_data(b, &data);

	if (n <= 0)
		return -1;
	return file_write_atomic(path, data, (size_t)n, mode);
}

int
tls_cert_create(const char *cert_path, const char *key_path, const char *host)
{
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	X509_NAME *name;
	BIO *kb = NULL, *cb = NULL;
	ASN1_INTEGER *serial = NULL;
	BIGNUM *bn = NULL;
	unsigned char sn[16];
	char h[256], san[512];
	unsigned char ipbuf[16];
	int rc = -1, n;

	/* The host without its port; a name or an address. */
	n = snprintf(h, sizeof h, "%s", host);
	if (n < 0 || (size_t)n >= sizeof h)
		return -1;
	char *colon = strrchr(h, ':');
	if (colon != NULL && strchr(h, ':') == colon)
		*colon = '\0';
	int is_ip = inet_pton(AF_INET, h, ipbuf) == 1 ||
	    inet_pton(AF_INET6, h, ipbuf) == 1;
	if (strcmp(h, "localhost") == 0 || strcmp(h, "127.0.0.1") == 0 ||
	    h[0] == '\0')
		n = snprintf(san, sizeof san,
		    "DNS:localhost,IP:127.0.0.1,IP:::1");
	else
		n = snprintf(san, sizeof san,
		    "DNS:localhost,IP:127.0.0.1,IP:::1,%s:%s",
		    is_ip ? "IP" : "DNS", h);
	if (n < 0 || (size_t)n >= sizeof san)
		return -1;

	if ((key = EVP_EC_gen("P-256")) == NULL)
		goto out;
	if ((cert = X509_new()) == NULL || !X509_set_version(cert, 2))
		goto out;
	if (RAND_bytes(sn, sizeof sn) != 1)
		goto out;
	sn[0] &= 0x7f; /* positive */
	if ((bn = BN_bin2bn(sn, sizeof sn, NULL)) == NULL ||
	    (serial = BN_to_ASN1_INTEGER(bn, NULL)) == NULL ||
	    !X509_set_serialNumber(cert, serial))
		goto out;
	if (X509_gmtime_adj(X509_getm_notBefore(cert), -3600) == NULL ||
	    X509_gmtime_adj(X509_getm_notAfter(cert),
	        (long)TLS_CERT_DAYS * 86400L) == NULL)
		goto out;
	if (!X509_set_pubkey(cert, key))
		goto out;
	name = X509_get_subject_name(cert);
	if (!X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
	        (const unsigned char *)"Scrutin", -1, -1, 0) ||
	    !X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
	        (const unsigned char *)(h[0] ? h : "localhost"), -1, -1, 0) ||
	    !X509_set_issuer_name(cert, name))
		goto out;
	if (add_ext(cert, NID_basic_constraints, "critical,CA:FALSE") ||
	    add_ext(cert, NID_ext_key_usage, "serverAuth") ||
	    add_ext(cert, NID_subject_key_identifier, "hash") ||
	    add_ext(cert, NID_subject_alt_name, san))
		goto out;
	if (!X509_sign(cert, key, EVP_sha256()))
		goto out;
	if ((kb = BIO_new(BIO_s_mem())) == NULL ||
	    (cb = BIO_new(BIO_s_mem())) == NULL ||
	    !PEM_write_bio_PrivateKey(kb, key, NULL, NULL, 0, NULL, NULL) ||
	    !PEM_write_bio_X509(cb, cert))
		goto out;
	if (bio_to_file(kb, key_path, 0600) != 0 ||
	    bio_to_file(cb, cert_path, 0644) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		log_warn("certificate creation failed: %s",
		    ERR_reason_error_string(ERR_get_error()));
	if (kb != NULL) {
		char *d = NULL;
		long kn = BIO_get_mem_data(kb, &d);
		if (kn > 0)
			sodium_memzero(d, (size_t)kn);
	}
	BIO_free(kb);
	BIO_free(cb);
	ASN1_INTEGER_free(serial);
	BN_free(bn);
	X509_free(cert);
	EVP_PKEY_free(key);
	return rc;
}

int
tls_cert_ensure(const char *datadir, const char *host)
{
	char cert[4096], key[4096];

	if (path_join(cert, sizeof cert, datadir, TLS_CERT_FILE) != 0 ||
	    path_join(key, sizeof key, datadir, TLS_KEY_FILE) != 0)
		return -1;
	if (access(cert, R_OK) == 0 && access(key, R_OK) == 0)
		return 0;
	if (tls_cert_create(cert, key, host) != 0)
		return -1;
	log_info("certificat auto-signé créé : %s (ECDSA P-256, %d jours)",
	    cert, TLS_CERT_DAYS);
	return 0;
}

void *
tls_ctx_new(const char *cert_path, const char *key_path)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

	if (ctx == NULL)
		return NULL;
	if (!SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION))
		goto fail;
	SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION |
	    SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE |
	    SSL_OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION);
	/* An idle connection (an open event stream, mostly) gives its read
	 * and write buffers back (~34 KB each) until it has data again. */
	SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
	if (!SSL_CTX_set_cipher_list(ctx,
	        "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
	        "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
	        "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305") ||
	    !SSL_CTX_set_ciphersuites(ctx,
	        "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:"
	        "TLS_CHACHA20_POLY1305_SHA256") ||
	    !SSL_CTX_set1_groups_list(ctx, "X25519:P-256:P-384"))
		goto fail;
	if (SSL_CTX_use_certificate_chain_file(ctx, cert_path) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, key_path, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		log_warn("TLS: cannot load %s / %s: %s", cert_path, key_path,
		    ERR_reason_error_string(ERR_get_error()));
		goto fail;
	}
	return ctx;
fail:
	SSL_CTX_free(ctx);
	return NULL;
}

void
tls_ctx_free(void *ctx)
{
	SSL_CTX_free(ctx);
}

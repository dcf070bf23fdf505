/*
 * web.h — the network process: CivetWeb over TLS, the routing table, the
 * request limits, the security headers, the static assets. It holds no
 * database handle and no signing key; everything stateful goes through
 * the priv_* client (priv.h).
 */
#ifndef SCRUTIN_SERVER_WEB_H
#define SCRUTIN_SERVER_WEB_H

#include <sys/types.h>

#include "server/scrutin.h"
#include "server/assets.h"

struct web_config {
	const char *listen;	/* "127.0.0.1:8443" ("[::1]:8443" for IPv6) */
	/* The TLS context (an SSL_CTX: certificate and key), made by the
	 * parent before the fork: a chrooted network process opens no file.
	 * Each network process frees its copy. */
	void *ssl;
	const char *assets;	/* directory of static files */
	/* The files served, loaded by the parent (webfp_assets_load): the
	 * network process takes them over. */
	struct assets *served;
	unsigned threads;	/* CivetWeb worker threads */
	unsigned max_streams;	/* live event streams open at once */
	const char *vendor;	/* node_modules directory (NULL: ./node_modules) */
	unsigned rate;		/* requests per second per client address */
	unsigned burst;		/* bucket size */
	unsigned request_timeout_ms;
	pid_t priv_pid;		/* for the startup line */
};

/* Runs the network process until SIGTERM/SIGINT or until the privileged
 * process goes away. privfd: our end of the socketpair. Returns the exit
 * status. */
int web_run(int privfd, const struct web_config *cfg) WUR;

#endif

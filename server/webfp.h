/*
 * webfp.h — the fingerprint of the web apps (docs/server.md "The web
 * apps' fingerprint"): the SHA-256 of every file the appliance serves
 * (kiosk/, the /k/ alias, the vendor files), listed in a fixed order, and
 * one digest over that list.
 *
 * The list is sorted by path, byte by byte (LC_ALL=C sort); each line is
 * "<64 lowercase hex of the file's SHA-256>  <path>\n", the format of
 * sha256sum; the combined digest is the SHA-256 of those lines joined.
 * So anyone can recompute it from the bytes served with curl and
 * sha256sum, or from a checkout with `scrutin fingerprint`.
 */
#ifndef SCRUTIN_SERVER_WEBFP_H
#define SCRUTIN_SERVER_WEBFP_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "server/assets.h"

struct webfp_file {
	const char *path;	/* borrowed from the assets */
	uint8_t sha256[32];
};

struct webfp {
	struct webfp_file *f;	/* sorted by path */
	size_t n;
	uint8_t digest[32];
	char hex[65];		/* the combined digest, lowercase hex */
};

/* Loads exactly what the network process serves: dir (kiosk/), the alias
 * /k/index.html of /v/, and the vendor files under vendor (NULL:
 * ./node_modules; a missing vendor file is logged and not served).
 * 0, or -1 (logged) when dir cannot be served. */
int webfp_assets_load(struct assets *out, const char *dir,
    const char *vendor) WUR;
/* The fingerprint of as (which must outlive it). */
void webfp_compute(const struct assets *as, struct webfp *out);
void webfp_free(struct webfp *fp);
/* {"algorithm": "sha256", "files": [{"path", "sha256"}...], "digest"}:
 * the answer of GET /api/v1/fingerprint. */
json_t *webfp_json(const struct webfp *fp);
/* The first 16 hex digits, grouped by 4 ("1a2b 3c4d 5e6f 7a8b"): the
 * short form shown on the sheets and the minutes. out: 20 bytes. */
void webfp_short(char out[20], const char hex[65]);

#endif

/*
 * webfp.c — the web apps' fingerprint (see webfp.h), and the one loader
 * of the files the network process serves, so that what is fingerprinted
 * is what is served: `scrutin serve` loads them once, before it forks,
 * prints their fingerprint, hands the digest to the privileged process
 * (the record's meeting.started) and the loaded bytes to the network
 * process (GET /api/v1/fingerprint and every asset).
 *
 * Trusts the files it reads (the operator's kiosk/ and node_modules/);
 * it proves nothing about them, it only names them. Invariant: the list
 * is sorted by path with strcmp, every served path once.
 */
#include "server/webfp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

int
webfp_assets_load(struct assets *out, const char *dir, const char *vendor)
{
	/* The browser's libsodium (kiosk/js/README.md) and the kiosk's QR
	 * decoder (jsQR 1.4.0, a UMD build that /k/'s kiosk.js inserts as a
	 * classic script: it defines window.jsQR), byte for byte. */
	static const char *vendored[][2] = {
		{ "/vendor/libsodium-wrappers.mjs", "libsodium-wrappers-sumo/"
		    "dist/modules-sumo-esm/libsodium-wrappers.mjs" },
		{ "/vendor/libsodium-sumo.mjs", "libsodium-sumo/dist/"
		    "modules-sumo-esm/libsodium-sumo.mjs" },
		{ "/vendor/jsQR.js", "jsqr/dist/jsQR.js" },
	};

	if (assets_load(out, dir) != 0)
		return -1;
	/* The in-room kiosk /k/ is the member's page /v/: one file holds the
	 * member's screens once, and its entry module (kiosk/js/member-page.js)
	 * tells the two apart by the path. Without it /k/ would be missing,
	 * or stale if a k/index.html were still there: refuse to start. */
	if (assets_add_alias(out, "/k/index.html", "/v/") != 0) {
		log_warn("assets: /k/ cannot be %s/v/index.html (missing, or "
		    "%s/k/index.html exists)", dir, dir);
		assets_free(out);
		return -1;
	}
	for (size_t i = 0; i < sizeof vendored / sizeof vendored[0]; i++) {
		char fs[4096];
		if (path_join(fs, sizeof fs, vendor != NULL ? vendor :
		        "node_modules", vendored[i][1]) != 0 ||
		    assets_add_file(out, vendored[i][0], fs) != 0)
			log_warn("assets: %s not served (%s missing)",
			    vendored[i][0], fs);
	}
	return 0;
}

static int
by_path(const void *a, const void *b)
{
	return strcmp(((const struct webfp_file *)a)->path,
	    ((const struct webfp_file *)b)->path);
}

void
webfp_compute(const struct assets *as, struct webfp *out)
{
	crypto_hash_sha256_state h;

	memset(out, 0, sizeof *out);
	out->n = as->n;
	out->f = xcalloc(as->n ? as->n : 1, sizeof *out->f);
	for (size_t i = 0; i < as->n; i++) {
		out->f[i].path = as->a[i].path;
		crypto_hash_sha256(out->f[i].sha256, as->a[i].data,
		    as->a[i].len);
	}
	qsort(out->f, out->n, sizeof *out->f, by_path);
	crypto_hash_sha256_init(&h);
	for (size_t i = 0; i < out->n; i++) {
		char hex[65];
		xhex_encode(hex, sizeof hex, out->f[i].sha256, 32);
		crypto_hash_sha256_update(&h, (const uint8_t *)hex, 64);
		crypto_hash_sha256_update(&h, (const uint8_t *)"  ", 2);
		crypto_hash_sha256_update(&h, (const uint8_t *)out->f[i].path,
		    strlen(out->f[i].path));
		crypto_hash_sha256_update(&h, (const uint8_t *)"\n", 1);
	}
	crypto_hash_sha256_final(&h, out->digest);
	xhex_encode(out->hex, sizeof out->hex, out->digest, 32);
}

void
webfp_free(struct webfp *fp)
{
	free(fp->f);
	memset(fp, 0, sizeof *fp);
}

json_t *
webfp_json(const struct webfp *fp)
{
	json_t *files = json_array();

	for (size_t i = 0; i < fp->n; i++) {
		char hex[65];
		xhex_encode(hex, sizeof hex, fp->f[i].sha256, 32);
		json_array_append_new(files, json_pack("{s:s, s:s}", "path",
		    fp->f[i].path, "sha256", hex));
	}
	return json_pack("{s:s, s:o, s:s}", "algorithm", "sha256", "files",
	    files, "digest", fp->hex);
}

void
webfp_short(char out[20], const char hex[65])
{
	snprintf(out, 20, "%.4s %.4s %.4s %.4s", hex, hex + 4, hex + 8,
	    hex + 12);
}

/*
 * web.c — `scrutin-trustee web`: checks the web apps a running appliance
 * serves against a published fingerprint (docs/server.md "The web apps'
 * fingerprint"). It asks the appliance which paths it serves (GET
 * /api/v1/fingerprint), fetches every one of them, recomputes each file's
 * SHA-256 from the bytes received and the combined digest from those,
 * and compares that with the digest the scrutineer brought.
 *
 * Trusts only the bytes it received over the verified TLS connection and
 * the digest given on the command line: the appliance's own digests are
 * never used for the verdict, only to name the files that differ. The
 * appliance chooses the list of paths; a path left out or added changes
 * the combined digest, so a lie about the list fails the check too.
 * What it cannot see: bytes served to another client (docs/server.md).
 */
#include "trustee/trustee.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crypto/hex.h"

/* A served path as webfp.c lists them: "/", then plain segments of
 * [A-Za-z0-9._-], no "..", no "//", at most 200 bytes. */
static int
path_plain(const char *s)
{
	size_t n = strlen(s);

	return n >= 2 && n <= 200 && s[0] == '/' && strstr(s, "..") == NULL &&
	    strstr(s, "//") == NULL && strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/") == n;
}

/* Fetches one path and hashes what came: 0, or −1 (said). */
static int
fetch_hash(const struct tr_peer *p, const char *path, uint8_t h[32])
{
	struct tr_resp r;
	char fr[300], en[300];

	if (tr_http(p, "GET", path, NULL, NULL, &r) != 0)
		return -1;
	if (r.status != 200) {
		snprintf(fr, sizeof fr, "%s : l'appareil répond %d au lieu de"
		    " servir le fichier qu'il annonce", path, r.status);
		snprintf(en, sizeof en, "%s: the appliance answers %d instead of"
		    " serving the file it lists", path, r.status);
		tr_say(fr, en);
		tr_resp_free(&r);
		return -1;
	}
	crypto_hash_sha256(h, (const uint8_t *)r.body, r.len);
	tr_resp_free(&r);
	return 0;
}

/* The lines "<hex>  <path>\n" of every listed file, hashed into out;
 * *differs counts the files whose bytes are not what the appliance's
 * list says (named on standard error). 0, or −1 (said). */
static int
recompute(const struct tr_peer *p, const json_t *files, uint8_t out[32],
    size_t *differs)
{
	crypto_hash_sha256_state st;
	const char *prev = "";
	size_t i;
	json_t *e;

	*differs = 0;
	crypto_hash_sha256_init(&st);
	json_array_foreach(files, i, e) {
		const char *path = json_string_value(json_object_get(e, "path"));
		uint8_t h[32], claimed[32];
		char hex[65];

		/* Sorted and plain, as documented: a list out of order is
		 * refused rather than re-sorted. */
		if (path == NULL || !path_plain(path) || strcmp(prev, path) >= 0) {
			tr_say("liste des fichiers servis mal formée (chemins "
			    "triés, simples, uniques attendus)", "malformed list "
			    "of served files (sorted, plain, distinct paths "
			    "expected)");
			return -1;
		}
		prev = path;
		if (fetch_hash(p, path, h) != 0)
			return -1;
		if (tr_hex_field(e, "sha256", claimed, 32) != 0 ||
		    memcmp(claimed, h, 32) != 0) {
			fprintf(stderr, "  diffère de la liste annoncée (differs "
			    "from the listed digest) : %s\n", path);
			(*differs)++;
		}
		if (hex_encode(hex, sizeof hex, h, 32) != 0)
			return -1;
		crypto_hash_sha256_update(&st, (const uint8_t *)hex, 64);
		crypto_hash_sha256_update(&st, (const uint8_t *)"  ", 2);
		crypto_hash_sha256_update(&st, (const uint8_t *)path,
		    strlen(path));
		crypto_hash_sha256_update(&st, (const uint8_t *)"\n", 1);
	}
	crypto_hash_sha256_final(&st, out);
	return 0;
}

int
tr_cmd_web(struct tr_args *a)
{
	struct tr_peer p;
	json_t *doc = NULL;
	const json_t *files;
	uint8_t want[32], got[32];
	char hex[65], msg_fr[400], msg_en[400];
	size_t differs = 0;
	int rc = TR_FAIL;

	memset(&p, 0, sizeof p);
	if (a->url == NULL || a->digest == NULL || (a->ca == NULL &&
	    a->pin == NULL)) {
		tr_say("il faut --url, --digest et --ca ou --pin",
		    "--url, --digest and --ca or --pin are required");
		return TR_USAGE;
	}
	if (strlen(a->digest) != 64 || hex_decode(want, 32, a->digest, 64)
	    != 0) {
		tr_say("--digest : 64 chiffres hexadécimaux minuscules (l'empreinte"
		    " publiée)", "--digest: 64 lowercase hex digits (the "
		    "published fingerprint)");
		return TR_USAGE;
	}
	if (tr_origin_parse(&p, a->url) != 0)
		return TR_USAGE;
	p.ca = a->ca;
	if (a->pin != NULL) {
		if (tr_pin_parse(p.pin, a->pin) != 0)
			return TR_USAGE;
		p.has_pin = 1;
	}
	if (tr_get_json(&p, "/api/v1/fingerprint", &doc) != 0)
		goto out;
	files = json_object_get(doc, "files");
	if (!json_is_array(files) || json_array_size(files) == 0) {
		tr_say("l'appareil ne liste aucun fichier servi",
		    "the appliance lists no served file");
		goto out;
	}
	if (recompute(&p, files, got, &differs) != 0 ||
	    hex_encode(hex, sizeof hex, got, 32) != 0)
		goto out;
	if (memcmp(got, want, 32) != 0) {
		snprintf(msg_fr, sizeof msg_fr, "les applications web servies ne"
		    " sont pas celles publiées : empreinte recalculée %s, attendue"
		    " %s (%zu fichier(s) différent(s) de la liste de l'appareil)."
		    " Ne vous servez pas de ses pages et prévenez l'organisateur.",
		    hex, a->digest, differs);
		snprintf(msg_en, sizeof msg_en, "the web apps served are not the"
		    " published ones: recomputed %s, expected %s (%zu file(s)"
		    " differ from the appliance's list). Do not use its pages;"
		    " tell the organiser.", hex, a->digest, differs);
		tr_say(msg_fr, msg_en);
		goto out;
	}
	printf("Applications web conformes : empreinte %s recalculée sur %zu"
	    " fichiers servis (web apps match the published fingerprint)\n",
	    hex, json_array_size(files));
	rc = TR_OK;
out:
	json_decref(doc);
	return rc;
}

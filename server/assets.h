/*
 * assets.h — the static web files (kiosk/ and later the voter and console
 * apps), loaded once at start into memory and served from there: no
 * document root, no file system access per request.
 *
 * Only regular files with a whitelisted extension and a plain name
 * ([A-Za-z0-9._-], not starting with '.', no "..") are loaded, at most 4 levels
 * deep, within size caps. A request path is looked up exactly; anything
 * that is not a plain path ("..", "//", "\\", odd characters) is refused
 * before the lookup.
 */
#ifndef SCRUTIN_SERVER_ASSETS_H
#define SCRUTIN_SERVER_ASSETS_H

#include <stddef.h>
#include <stdint.h>

#include "server/scrutin.h"

#define ASSET_MAX_FILE (8u * 1024u * 1024u)
#define ASSET_MAX_TOTAL (64u * 1024u * 1024u)
#define ASSET_MAX_FILES 1024u
#define ASSET_MAX_PATH 200u

struct asset {
	char *path;		/* "/index.html" */
	const char *type;	/* Content-Type */
	uint8_t *data;
	size_t len;
	char etag[36];		/* "\"<32 hex>\"" */
};

struct assets {
	struct asset *a;
	size_t n;
};

/* Loads dir. Returns 0, or -1 (and logs) on any refused or unreadable
 * entry: the server does not start with a half-loaded set. */
int assets_load(struct assets *out, const char *dir) WUR;
void assets_free(struct assets *as);
/* Adds one file under the given URL path (the vendor files of
 * kiosk/js/README.md). Returns 0 or -1. */
int assets_add_file(struct assets *as, const char *url, const char *file)
    WUR;
/* Serves the asset found at target (a request path: "/v/" is
 * "/v/index.html") also under url, a full file path ("/k/index.html"):
 * the same bytes, type and ETag. Returns 0, or -1 when target is missing,
 * url is not a plain file path or is taken, or the table is full. */
int assets_add_alias(struct assets *as, const char *url, const char *target)
    WUR;

/* A request path: 1 when plain (see above), 0 otherwise. */
int assets_path_ok(const char *path);
/* The asset for a plain path ("/" and ".../" mean index.html), or NULL. */
const struct asset *assets_find(const struct assets *as, const char *path);
/* Content-Type for a file name, or NULL when the extension is refused. */
const char *assets_type(const char *name);

#endif

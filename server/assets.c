/*
 * assets.c — in-memory static files (see assets.h). Loaded by the network
 * process before it serves; read-only afterwards, so handler threads share
 * it without locks.
 */
#include "server/assets.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

static const struct {
	const char *ext;
	const char *type;
} types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".mjs", "text/javascript; charset=utf-8" },
	{ ".json", "application/json" },
	{ ".webmanifest", "application/manifest+json" },
	{ ".wasm", "application/wasm" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".ico", "image/x-icon" },
	{ ".woff2", "font/woff2" },
	{ ".txt", "text/plain; charset=utf-8" },
};

const char *
assets_type(const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		size_t e = strlen(types[i].ext);
		if (n > e && strcmp(name + n - e, types[i].ext) == 0)
			return types[i].type;
	}
	return NULL;
}

/* A plain name: [A-Za-z0-9._-], not starting with '.', no "..". */
static int
name_ok(const char *s)
{
	if (s[0] == '\0' || s[0] == '.' || strstr(s, "..") != NULL)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		        (*s >= '0' && *s <= '9') || *s == '.' || *s == '-' ||
		        *s == '_'))
			return 0;
	return 1;
}

int
assets_path_ok(const char *path)
{
	size_t n = strlen(path);
	const char *seg;

	if (n == 0 || n > ASSET_MAX_PATH || path[0] != '/')
		return 0;
	/* Each segment is a plain name; only the last may be empty. */
	seg = path + 1;
	for (;;) {
		const char *end = strchr(seg, '/');
		size_t len = end ? (size_t)(end - seg) : strlen(seg);
		char buf[ASSET_MAX_PATH + 1];

		if (len == 0 && end != NULL)
			return 0; /* "//" */
		if (len > 0) {
			memcpy(buf, seg, len);
			buf[len] = '\0';
			if (!name_ok(buf))
				return 0;
		}
		if (end == NULL)
			break;
		seg = end + 1;
	}
	return 1;
}

struct loader {
	struct assets *as;
	size_t total;
};

static int
load_dir(struct loader *L, const char *dir, const char *prefix, int depth)
{
	DIR *d;
	struct dirent *e;
	int rc = 0;

	if (depth > 4 || (d = opendir(dir)) == NULL) {
		log_warn("assets: cannot read %s", dir);
		return -1;
	}
	while (rc == 0 && (e = readdir(d)) != NULL) {
		char fs[4096], url[ASSET_MAX_PATH + 1];
		struct stat st;

		if (e->d_name[0] == '.')
			continue; /* hidden files are never served */
		if (!name_ok(e->d_name)) {
			log_warn("assets: refused name %s/%s", dir, e->d_name);
			rc = -1;
			break;
		}
		if (path_join(fs, sizeof fs, dir, e->d_name) != 0 ||
		    path_join(url, sizeof url, prefix, e->d_name) != 0 ||
		    lstat(fs, &st) != 0) {
			rc = -1;
			break;
		}
		if (S_ISDIR(st.st_mode)) {
			rc = load_dir(L, fs, url, depth + 1);
			continue;
		}
		if (!S_ISREG(st.st_mode))
			continue; /* symlinks and devices: skipped */
		const char *type = assets_type(e->d_name);
		if (type == NULL)
			continue; /* not a web file (README, .mk...) */
		if (L->as->n >= ASSET_MAX_FILES) {
			log_warn("assets: more than %u files", ASSET_MAX_FILES);
			rc = -1;
			break;
		}
		struct asset *a;
		L->as->a = xreallocarray(L->as->a, L->as->n + 1,
		    sizeof *a);
		a = &L->as->a[L->as->n];
		memset(a, 0, sizeof *a);
		if (file_read_capped(fs, ASSET_MAX_FILE, &a->data, &a->len) !=
		    0 || (L->total += a->len) > ASSET_MAX_TOTAL) {
			log_warn("assets: %s unreadable or too big", fs);
			free(a->data);
			rc = -1;
			break;
		}
		uint8_t h[crypto_hash_sha256_BYTES];
		crypto_hash_sha256(h, a->data, a->len);
		a->etag[0] = '"';
		xhex_encode(a->etag + 1, sizeof a->etag - 1, h, 16);
		a->etag[33] = '"';
		a->etag[34] = '\0';
		a->path = xstrdup(url);
		a->type = type;
		L->as->n++;
	}
	closedir(d);
	return rc;
}

int
assets_load(struct assets *out, const char *dir)
{
	struct loader L = { out, 0 };

	memset(out, 0, sizeof *out);
	if (load_dir(&L, dir, "", 0) != 0) {
		assets_free(out);
		return -1;
	}
	return 0;
}

int
assets_add_file(struct assets *as, const char *url, const char *file)
{
	struct asset *a;
	uint8_t h[crypto_hash_sha256_BYTES];
	const char *type = assets_type(file);

	if (type == NULL || as->n >= ASSET_MAX_FILES || !assets_path_ok(url) ||
	    assets_find(as, url) != NULL)
		return -1;
	as->a = xreallocarray(as->a, as->n + 1, sizeof *a);
	a = &as->a[as->n];
	memset(a, 0, sizeof *a);
	if (file_read_capped(file, ASSET_MAX_FILE, &a->data, &a->len) != 0)
		return -1;
	crypto_hash_sha256(h, a->data, a->len);
	a->etag[0] = '"';
	xhex_encode(a->etag + 1, sizeof a->etag - 1, h, 16);
	a->etag[33] = '"';
	a->etag[34] = '\0';
	a->path = xstrdup(url);
	a->type = type;
	as->n++;
	return 0;
}

int
assets_add_alias(struct assets *as, const char *url, const char *target)
{
	const struct asset *t = assets_find(as, target);
	struct asset *a;
	size_t ti;

	if (t == NULL || as->n >= ASSET_MAX_FILES || !assets_path_ok(url) ||
	    url[strlen(url) - 1] == '/' || assets_find(as, url) != NULL)
		return -1;
	ti = (size_t)(t - as->a); /* the array moves below */
	as->a = xreallocarray(as->a, as->n + 1, sizeof *a);
	t = &as->a[ti];
	a = &as->a[as->n];
	memset(a, 0, sizeof *a);
	/* A copy, not a shared pointer: assets_free frees each entry once. */
	a->data = xmalloc(t->len);
	memcpy(a->data, t->data, t->len);
	a->len = t->len;
	memcpy(a->etag, t->etag, sizeof a->etag);
	a->path = xstrdup(url);
	a->type = t->type;
	as->n++;
	return 0;
}

void
assets_free(struct assets *as)
{
	for (size_t i = 0; i < as->n; i++) {
		free(as->a[i].path);
		free(as->a[i].data);
	}
	free(as->a);
	memset(as, 0, sizeof *as);
}

const struct asset *
assets_find(const struct assets *as, const char *path)
{
	char full[ASSET_MAX_PATH + 16];
	size_t n = strlen(path);
	int w;

	if (!assets_path_ok(path))
		return NULL;
	w = snprintf(full, sizeof full, "%s%s", path,
	    path[n - 1] == '/' ? "index.html" : "");
	if (w < 0 || (size_t)w >= sizeof full)
		return NULL;
	for (size_t i = 0; i < as->n; i++)
		if (strcmp(as->a[i].path, full) == 0)
			return &as->a[i];
	return NULL;
}

/*
 * test_api_table.c — the API table (server/api.c) against docs/api.md,
 * and its path matcher.
 *
 * Every endpoint the documentation names as `METHOD /api/…` (in a heading
 * or a table row) must be a row of the table, and every row must be
 * documented: the documentation cannot drift from the routes. Each row's
 * path, with its identifiers filled in, must match that row and give the
 * identifiers back; the other method on the same path must be "known
 * path" (405), and near misses (an extra segment, an identifier longer
 * than API_SEG_MAX) must match nothing (404). Every privileged operation
 * has exactly one row, and a row that meeting_api dispatches has a
 * handler.
 *
 * Run from the repository's root (make test does), or with DOCS set to
 * the documentation file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/api.h"
#include "server/meeting.h"
#include "tests/check.h"

static char doc_ep[256][160];
static size_t doc_n;

/* Every `GET /api/…` or `POST /api/…` in backticks, once each. */
static void
docs_read(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[8192];

	CHECK_MSG(f != NULL, "cannot open %s", path);
	if (f == NULL)
		return;
	while (fgets(line, sizeof line, f) != NULL) {
		for (char *p = line; (p = strchr(p, '`')) != NULL;) {
			char *e = strchr(p + 1, '`'), ep[160];
			size_t n;
			if (e == NULL)
				break;
			n = (size_t)(e - p - 1);
			if (n < sizeof ep && (strncmp(p + 1, "GET /api/", 9) ==
			        0 || strncmp(p + 1, "POST /api/", 10) == 0)) {
				size_t k;
				memcpy(ep, p + 1, n);
				ep[n] = '\0';
				/* "GET /path?query" -> "GET /path" */
				k = strcspn(strchr(ep, ' ') + 1, "? ");
				strchr(ep, ' ')[1 + k] = '\0';
				int seen = 0;
				for (size_t i = 0; i < doc_n; i++)
					seen |= strcmp(doc_ep[i], ep) == 0;
				if (!seen && doc_n < 256)
					snprintf(doc_ep[doc_n++],
					    sizeof doc_ep[0], "%s", ep);
			}
			p = e + 1;
		}
	}
	fclose(f);
}

/* The row's pattern with its identifiers filled: {m} -> "mtg-1", any
 * other -> "x" + its name. */
static void
fill(const char *pat, char *out, size_t cap)
{
	size_t o = 0;

	for (const char *p = pat; *p != '\0' && o + 16 < cap;) {
		if (*p == '{') {
			const char *e = strchr(p, '}');
			const char *v = e - p == 2 && p[1] == 'm' ? "mtg-1" :
			    "x-sub";
			o += (size_t)snprintf(out + o, cap - o, "%s", v);
			p = e + 1;
		} else
			out[o++] = *p++;
	}
	out[o] = '\0';
}

static void
test_docs(void)
{
	const char *path = getenv("DOCS") ? getenv("DOCS") : "docs/api.md";

	docs_read(path);
	CHECK_MSG(doc_n >= api_routes_n, "%zu documented, %zu rows", doc_n,
	    api_routes_n);
	for (size_t i = 0; i < api_routes_n; i++) {
		char ep[160];
		int found = 0;
		snprintf(ep, sizeof ep, "%s %s", api_routes[i].method,
		    api_routes[i].path);
		for (size_t j = 0; j < doc_n; j++)
			found |= strcmp(doc_ep[j], ep) == 0;
		CHECK_MSG(found, "row not in %s: %s", path, ep);
	}
	for (size_t j = 0; j < doc_n; j++) {
		int found = 0;
		for (size_t i = 0; i < api_routes_n; i++) {
			char ep[160];
			snprintf(ep, sizeof ep, "%s %s", api_routes[i].method,
			    api_routes[i].path);
			found |= strcmp(doc_ep[j], ep) == 0;
		}
		CHECK_MSG(found, "documented but not a row: %s", doc_ep[j]);
	}
}

static void
test_match(void)
{
	for (size_t i = 0; i < api_routes_n; i++) {
		const struct api_route *rt = &api_routes[i], *got;
		char path[256], mid[API_SEG_MAX + 1], sub[API_SEG_MAX + 1];
		int known;
		fill(rt->path, path, sizeof path);
		got = api_route_match(rt->method, path, mid, sub, &known);
		CHECK_MSG(got == rt, "%s %s: matched %s", rt->method, path,
		    got ? got->path : "nothing");
		CHECK(known == 1);
		if (strstr(rt->path, "{m}") != NULL)
			CHECK_MSG(strcmp(mid, "mtg-1") == 0, "%s: {m} = %s",
			    rt->path, mid);
		else
			CHECK(mid[0] == '\0');
		if (strchr(strstr(rt->path, "{m}") ? strstr(rt->path,
		        "{m}") + 3 : rt->path, '{') != NULL)
			CHECK_MSG(strcmp(sub, "x-sub") == 0, "%s: sub = %s",
			    rt->path, sub);
		else
			CHECK(sub[0] == '\0');
		/* The other method on the same path: 405 unless a row has
		 * it (minutes/signatures has both). */
		{
			const char *other = strcmp(rt->method, "GET") == 0 ?
			    "POST" : "GET";
			int has = 0;
			for (size_t j = 0; j < api_routes_n; j++)
				has |= strcmp(api_routes[j].path, rt->path) ==
				    0 && strcmp(api_routes[j].method, other) ==
				    0;
			got = api_route_match(other, path, mid, sub, &known);
			CHECK(known == 1);
			CHECK(has ? got != NULL : got == NULL);
			got = api_route_match("PUT", path, mid, sub, &known);
			CHECK(got == NULL && known == 1);
		}
		/* One segment more matches nothing. */
		{
			char longer[300];
			snprintf(longer, sizeof longer, "%s/x", path);
			got = api_route_match(rt->method, longer, mid, sub,
			    &known);
			CHECK_MSG(got == NULL && known == 0, "%s", longer);
		}
		/* Body caps: a GET reads none, a POST at least a small one. */
		CHECK(strcmp(rt->method, "GET") == 0 ? rt->body_cap == 0 :
		    rt->body_cap >= 1024);
	}
	/* An identifier of API_SEG_MAX bytes matches, one more does not. */
	{
		char path[256], mid[API_SEG_MAX + 1], sub[API_SEG_MAX + 1];
		char id[API_SEG_MAX + 2];
		int known;
		memset(id, 'a', sizeof id);
		id[API_SEG_MAX] = '\0';
		snprintf(path, sizeof path, "/api/v1/meetings/%s/questions/%s"
		    "/result", id, id);
		CHECK(api_route_match("GET", path, mid, sub, &known) != NULL);
		CHECK(strcmp(mid, id) == 0 && strcmp(sub, id) == 0);
		id[API_SEG_MAX] = 'a';
		id[API_SEG_MAX + 1] = '\0';
		snprintf(path, sizeof path, "/api/v1/meetings/%s", id);
		CHECK(api_route_match("GET", path, mid, sub, &known) == NULL);
		CHECK(known == 0);
		CHECK(api_route_match("GET", "/api/v1/meetings", mid, sub,
		    &known) == NULL && known == 0);
		CHECK(api_route_match("GET", "/api/v1/statusx", mid, sub,
		    &known) == NULL && known == 0);
		CHECK(api_route_match("GET", "/api/v1/status", mid, sub,
		    &known) != NULL);
	}
}

static void
test_ops(void)
{
	for (uint32_t op = MOP_VIEW; op < MOP_MAX; op++) {
		size_t rows = 0;
		const struct api_route *rt = api_route_by_op(op);
		for (size_t i = 0; i < api_routes_n; i++)
			rows += api_routes[i].op == op;
		CHECK_MSG(rows == 1, "op %u has %zu rows", op, rows);
		CHECK(rt != NULL && rt->op == op);
		/* Only the ballots go elsewhere (the verification pipeline
		 * of server/priv.c). */
		if (rt != NULL)
			CHECK_MSG((rt->fn == NULL) == (op == MOP_BALLOT),
			    "op %u: handler", op);
	}
	CHECK(api_route_by_op(0) == NULL);
	CHECK(api_route_by_op(MOP_MAX) == NULL);
	for (size_t i = 0; i < api_routes_n; i++) {
		const struct api_route *rt = &api_routes[i];
		CHECK((rt->op == 0) == (rt->net == API_NET_STATUS ||
		    rt->net == API_NET_FINGERPRINT ||
		    rt->net == API_NET_ACTIVATE || rt->net == API_NET_EVENTS));
	}
}

int
main(void)
{
	test_docs();
	test_match();
	test_ops();
	return check_done("test_api_table");
}

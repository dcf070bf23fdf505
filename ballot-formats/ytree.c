/*
 * ytree.c — libyaml's event parser feeding a bounded tree (see ytree.h).
 *
 * Trusts nothing in the input: every cap is checked before the node is
 * built, and any event the format does not use (alias, anchor, tag, a
 * second document, a non-scalar key) is an error with its position.
 * Invariant: on success every mapping has unique plain-scalar keys and
 * doc->nodes <= YT_MAX_NODES.
 */
#include "ballot-formats/ytree.h"
#include "common/xmalloc.h"

#include <yaml.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
node_free(struct yt_node *n)
{
	if (n == NULL)
		return;
	for (size_t i = 0; i < n->n; i++) {
		node_free(n->items[i]);
		if (n->keys)
			node_free(n->keys[i]);
	}
	free(n->items);
	free(n->keys);
	free(n->used);
	free(n->str);
	free(n);
}

void
yt_doc_free(struct yt_doc *doc)
{
	node_free(doc->root);
	doc->root = NULL;
}

int
yt_err(struct yt_doc *doc, const struct yt_node *n, const char *path,
    const char *fmt, ...)
{
	char msg[384];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (n != NULL)
		(void)snprintf(doc->err, sizeof doc->err, "%s:%u:%u: %s: %s",
		    doc->file, n->line, n->col, path && *path ? path : "(document)", msg);
	else
		(void)snprintf(doc->err, sizeof doc->err, "%s: %s: %s", doc->file,
		    path && *path ? path : "(document)", msg);
	return -1;
}

static int
ev_err(struct yt_doc *doc, const yaml_event_t *ev, const char *msg)
{
	(void)snprintf(doc->err, sizeof doc->err, "%s:%lu:%lu: %s", doc->file,
	    (unsigned long)ev->start_mark.line + 1,
	    (unsigned long)ev->start_mark.column + 1, msg);
	return -1;
}

static struct yt_node *
node_new(enum yt_type t, const yaml_event_t *ev)
{
	struct yt_node *n = xcalloc(1, sizeof *n);

	n->type = t;
	n->line = (unsigned)ev->start_mark.line + 1;
	n->col = (unsigned)ev->start_mark.column + 1;
	return n;
}

static void
node_push(struct yt_node *parent, struct yt_node *key, struct yt_node *val)
{
	parent->items = xreallocarray(parent->items, parent->n + 1, sizeof *parent->items);
	parent->items[parent->n] = val;
	if (parent->type == YT_MAP) {
		parent->keys = xreallocarray(parent->keys, parent->n + 1, sizeof *parent->keys);
		parent->keys[parent->n] = key;
		parent->used = xreallocarray(parent->used, parent->n + 1, sizeof *parent->used);
		parent->used[parent->n] = false;
	}
	parent->n++;
}

/* Parses one node whose first event is *ev (already pulled). */
static int
parse_node(struct yt_doc *doc, yaml_parser_t *p, yaml_event_t *ev,
    unsigned depth, struct yt_node **out)
{
	struct yt_node *n = NULL;
	yaml_event_t e;
	int rc = -1;

	*out = NULL;
	if (depth > YT_MAX_DEPTH)
		return ev_err(doc, ev, "nesting too deep");
	if (++doc->nodes > YT_MAX_NODES)
		return ev_err(doc, ev, "too many nodes");
	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		return ev_err(doc, ev, "aliases are not allowed");
	case YAML_SCALAR_EVENT:
		if (ev->data.scalar.anchor)
			return ev_err(doc, ev, "anchors are not allowed");
		if (ev->data.scalar.tag && !(ev->data.scalar.plain_implicit ||
		    ev->data.scalar.quoted_implicit))
			return ev_err(doc, ev, "tags are not allowed");
		if (ev->data.scalar.length > YT_MAX_SCALAR)
			return ev_err(doc, ev, "scalar too long");
		if (memchr(ev->data.scalar.value, 0, ev->data.scalar.length))
			return ev_err(doc, ev, "NUL byte in scalar");
		n = node_new(YT_SCALAR, ev);
		n->str = xstrndup((const char *)ev->data.scalar.value,
		    ev->data.scalar.length);
		n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
		*out = n;
		return 0;
	case YAML_SEQUENCE_START_EVENT:
		if (ev->data.sequence_start.anchor)
			return ev_err(doc, ev, "anchors are not allowed");
		if (ev->data.sequence_start.tag && !ev->data.sequence_start.implicit)
			return ev_err(doc, ev, "tags are not allowed");
		n = node_new(YT_SEQ, ev);
		for (;;) {
			struct yt_node *child;
			if (!yaml_parser_parse(p, &e)) {
				(void)snprintf(doc->err, sizeof doc->err, "%s:%lu:%lu: %s",
				    doc->file, (unsigned long)p->problem_mark.line + 1,
				    (unsigned long)p->problem_mark.column + 1,
				    p->problem ? p->problem : "syntax error");
				goto out;
			}
			if (e.type == YAML_SEQUENCE_END_EVENT) {
				yaml_event_delete(&e);
				break;
			}
			int r = parse_node(doc, p, &e, depth + 1, &child);
			yaml_event_delete(&e);
			if (r != 0)
				goto out;
			node_push(n, NULL, child);
		}
		*out = n;
		return 0;
	case YAML_MAPPING_START_EVENT:
		if (ev->data.mapping_start.anchor)
			return ev_err(doc, ev, "anchors are not allowed");
		if (ev->data.mapping_start.tag && !ev->data.mapping_start.implicit)
			return ev_err(doc, ev, "tags are not allowed");
		n = node_new(YT_MAP, ev);
		for (;;) {
			struct yt_node *key = NULL, *val = NULL;
			if (!yaml_parser_parse(p, &e)) {
				(void)snprintf(doc->err, sizeof doc->err, "%s:%lu:%lu: %s",
				    doc->file, (unsigned long)p->problem_mark.line + 1,
				    (unsigned long)p->problem_mark.column + 1,
				    p->problem ? p->problem : "syntax error");
				goto out;
			}
			if (e.type == YAML_MAPPING_END_EVENT) {
				yaml_event_delete(&e);
				break;
			}
			if (e.type != YAML_SCALAR_EVENT) {
				ev_err(doc, &e, "mapping keys must be plain scalars");
				yaml_event_delete(&e);
				goto out;
			}
			if (e.data.scalar.style != YAML_PLAIN_SCALAR_STYLE) {
				ev_err(doc, &e, "mapping keys must not be quoted");
				yaml_event_delete(&e);
				goto out;
			}
			int r = parse_node(doc, p, &e, depth + 1, &key);
			yaml_event_delete(&e);
			if (r != 0)
				goto out;
			if (n->n >= YT_MAX_KEYS) {
				yt_err(doc, key, "", "too many keys in one mapping");
				node_free(key);
				goto out;
			}
			for (size_t i = 0; i < n->n; i++) {
				if (strcmp(n->keys[i]->str, key->str) == 0) {
					yt_err(doc, key, key->str,
					    "duplicate key (first at line %u)", n->keys[i]->line);
					node_free(key);
					goto out;
				}
			}
			if (!yaml_parser_parse(p, &e)) {
				(void)snprintf(doc->err, sizeof doc->err, "%s:%lu:%lu: %s",
				    doc->file, (unsigned long)p->problem_mark.line + 1,
				    (unsigned long)p->problem_mark.column + 1,
				    p->problem ? p->problem : "syntax error");
				node_free(key);
				goto out;
			}
			r = parse_node(doc, p, &e, depth + 1, &val);
			yaml_event_delete(&e);
			if (r != 0) {
				node_free(key);
				goto out;
			}
			node_push(n, key, val);
		}
		*out = n;
		return 0;
	default:
		return ev_err(doc, ev, "unexpected YAML event");
	}
out:
	node_free(n);
	return rc;
}

int
yt_doc_parse(struct yt_doc *doc, const char *file, const uint8_t *buf, size_t len)
{
	yaml_parser_t p;
	yaml_event_t e;
	int rc = -1, stage = 0;

	memset(doc, 0, sizeof *doc);
	doc->file = file;
	if (len > YT_MAX_INPUT) {
		(void)snprintf(doc->err, sizeof doc->err, "%s: file larger than %u bytes",
		    file, YT_MAX_INPUT);
		return -1;
	}
	if (!yaml_parser_initialize(&p)) {
		(void)snprintf(doc->err, sizeof doc->err, "%s: cannot start the YAML parser", file);
		return -1;
	}
	yaml_parser_set_input_string(&p, buf, len);
	yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
	for (;;) {
		if (!yaml_parser_parse(&p, &e)) {
			(void)snprintf(doc->err, sizeof doc->err, "%s:%lu:%lu: %s", file,
			    (unsigned long)p.problem_mark.line + 1,
			    (unsigned long)p.problem_mark.column + 1,
			    p.problem ? p.problem : "syntax error");
			goto out;
		}
		yaml_event_type_t t = e.type;
		if (t == YAML_STREAM_START_EVENT || t == YAML_DOCUMENT_END_EVENT) {
			yaml_event_delete(&e);
			continue;
		}
		if (t == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&e);
			break;
		}
		if (t == YAML_DOCUMENT_START_EVENT) {
			if (stage != 0) {
				ev_err(doc, &e, "only one YAML document is allowed");
				yaml_event_delete(&e);
				goto out;
			}
			if (e.data.document_start.version_directive ||
			    e.data.document_start.tag_directives.start !=
			    e.data.document_start.tag_directives.end) {
				ev_err(doc, &e, "YAML directives are not allowed");
				yaml_event_delete(&e);
				goto out;
			}
			stage = 1;
			yaml_event_delete(&e);
			continue;
		}
		if (stage != 1) {
			ev_err(doc, &e, "unexpected content");
			yaml_event_delete(&e);
			goto out;
		}
		int r = parse_node(doc, &p, &e, 0, &doc->root);
		yaml_event_delete(&e);
		if (r != 0)
			goto out;
		stage = 2;
	}
	if (doc->root == NULL) {
		(void)snprintf(doc->err, sizeof doc->err, "%s: empty document", file);
		goto out;
	}
	rc = 0;
out:
	yaml_parser_delete(&p);
	return rc;
}

struct yt_node *
yt_get(struct yt_node *map, const char *key)
{
	if (map == NULL || map->type != YT_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++) {
		if (strcmp(map->keys[i]->str, key) == 0) {
			map->used[i] = true;
			return map->items[i];
		}
	}
	return NULL;
}

int
yt_req(struct yt_doc *doc, struct yt_node *map, const char *path,
    const char *key, struct yt_node **out)
{
	*out = yt_get(map, key);
	if (*out == NULL)
		return yt_err(doc, map, path, "missing key '%s'", key);
	return 0;
}

int
yt_map_done(struct yt_doc *doc, struct yt_node *map, const char *path)
{
	char p[256];

	for (size_t i = 0; i < map->n; i++)
		if (!map->used[i])
			return yt_err(doc, map->keys[i], yt_path(p, sizeof p, path,
			    map->keys[i]->str), "unknown key (or a key that does not apply here)");
	return 0;
}

int
yt_expect(struct yt_doc *doc, struct yt_node *n, const char *path, enum yt_type type)
{
	static const char *const names[] = {"a scalar", "a list", "a mapping"};

	if (n->type != type)
		return yt_err(doc, n, path, "expected %s", names[type]);
	return 0;
}

int
yt_str(struct yt_doc *doc, struct yt_node *n, const char *path, char *out, size_t cap)
{
	if (yt_expect(doc, n, path, YT_SCALAR) != 0)
		return -1;
	if (n->str[0] == '\0')
		return yt_err(doc, n, path, "empty string");
	if (st_strlcpy(out, n->str, cap) != 0)
		return yt_err(doc, n, path, "string longer than %zu bytes", cap - 1);
	return 0;
}

int
yt_ident(struct yt_doc *doc, struct yt_node *n, const char *path, char *out, size_t cap)
{
	if (yt_str(doc, n, path, out, cap) != 0)
		return -1;
	for (const char *c = out; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
		    *c == '_' || *c == '-'))
			return yt_err(doc, n, path,
			    "'%s' is not an identifier (a-z, 0-9, '_' and '-' only)", out);
	return 0;
}

int
yt_bool(struct yt_doc *doc, struct yt_node *n, const char *path, bool *out)
{
	if (yt_expect(doc, n, path, YT_SCALAR) != 0)
		return -1;
	if (!n->quoted && strcmp(n->str, "true") == 0)
		*out = true;
	else if (!n->quoted && strcmp(n->str, "false") == 0)
		*out = false;
	else
		return yt_err(doc, n, path, "expected true or false, got '%s'", n->str);
	return 0;
}

int
yt_u64(struct yt_doc *doc, struct yt_node *n, const char *path, uint64_t *out)
{
	uint64_t v = 0;

	if (yt_expect(doc, n, path, YT_SCALAR) != 0)
		return -1;
	if (n->quoted || n->str[0] == '\0' || strlen(n->str) > 20)
		return yt_err(doc, n, path, "expected a whole number, got '%s'", n->str);
	if (n->str[0] == '0' && n->str[1] != '\0')
		return yt_err(doc, n, path, "leading zeros are not allowed in '%s'", n->str);
	for (const char *c = n->str; *c; c++) {
		if (*c < '0' || *c > '9')
			return yt_err(doc, n, path, "expected a whole number, got '%s'", n->str);
		unsigned d = (unsigned)(*c - '0');
		if (v > (UINT64_MAX - d) / 10)
			return yt_err(doc, n, path, "number too large");
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int
yt_uint(struct yt_doc *doc, struct yt_node *n, const char *path, uint32_t max, uint32_t *out)
{
	uint64_t v;

	if (yt_u64(doc, n, path, &v) != 0)
		return -1;
	if (v > max)
		return yt_err(doc, n, path, "%llu is above the limit %u",
		    (unsigned long long)v, max);
	*out = (uint32_t)v;
	return 0;
}

int
yt_enum(struct yt_doc *doc, struct yt_node *n, const char *path,
    const char *const *names, int *out)
{
	char list[256] = "";
	size_t used = 0;

	if (yt_expect(doc, n, path, YT_SCALAR) != 0)
		return -1;
	for (int i = 0; names[i]; i++) {
		if (strcmp(n->str, names[i]) == 0) {
			*out = i;
			return 0;
		}
		int w = snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", names[i]);
		if (w > 0 && (size_t)w < sizeof list - used)
			used += (size_t)w;
	}
	return yt_err(doc, n, path, "'%s' is not one of: %s", n->str, list);
}

int
yt_date(struct yt_doc *doc, struct yt_node *n, const char *path, int32_t *out)
{
	if (yt_expect(doc, n, path, YT_SCALAR) != 0)
		return -1;
	if (st_date_parse(n->str, out) != 0)
		return yt_err(doc, n, path, "expected a date YYYY-MM-DD, got '%s'", n->str);
	return 0;
}

static uint32_t
gcd32(uint32_t a, uint32_t b)
{
	while (b) {
		uint32_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

int
yt_fraction(struct yt_doc *doc, struct yt_node *n, const char *path,
    uint32_t *num, uint32_t *den)
{
	unsigned long a = 0, b = 0;
	const char *s;
	char *end;

	if (yt_expect(doc, n, path, YT_SCALAR) != 0)
		return -1;
	s = n->str;
	if (*s < '0' || *s > '9')
		goto bad;
	a = strtoul(s, &end, 10);
	if (end - s > 4)
		goto bad;
	if (*end == '%' && end[1] == '\0') {
		b = 100;
	} else if (*end == '/') {
		s = end + 1;
		if (*s < '0' || *s > '9')
			goto bad;
		b = strtoul(s, &end, 10);
		if (*end != '\0' || end - s > 4)
			goto bad;
	} else {
		goto bad;
	}
	if (a == 0 || b == 0 || a > 1000 || b > 1000 || a > b)
		goto bad;
	uint32_t g = gcd32((uint32_t)a, (uint32_t)b);
	*num = (uint32_t)a / g;
	*den = (uint32_t)b / g;
	return 0;
bad:
	return yt_err(doc, n, path,
	    "expected a fraction such as \"1/4\" or \"50%%\" (between 0 and 1), got '%s'", n->str);
}

const char *
yt_path(char *out, size_t cap, const char *parent, const char *child)
{
	if (parent == NULL || *parent == '\0')
		(void)snprintf(out, cap, "%s", child);
	else
		(void)snprintf(out, cap, "%s.%s", parent, child);
	return out;
}

const char *
yt_path_i(char *out, size_t cap, const char *parent, size_t i)
{
	(void)snprintf(out, cap, "%s[%zu]", parent, i);
	return out;
}

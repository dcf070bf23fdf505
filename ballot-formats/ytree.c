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

/* "file:line:col: " (or "file: " without a position) then the message,
 * in each language. */
static int
doc_err_at(struct yt_doc *doc, unsigned long line, unsigned long col, const char *path,
    const struct st_msg *msg)
{
	const char *p = path && *path ? path : "(document)";
	struct st_msg *e = &doc->err;

	e->line = 0;
	if (line == 0) {
		(void)snprintf(e->fr, sizeof e->fr, "%s: %s : %.500s", doc->file, p, msg->fr);
		(void)snprintf(e->en, sizeof e->en, "%s: %s: %.500s", doc->file, p, msg->en);
	} else if (path == NULL) {
		(void)snprintf(e->fr, sizeof e->fr, "%s:%lu:%lu: %.500s", doc->file, line, col,
		    msg->fr);
		(void)snprintf(e->en, sizeof e->en, "%s:%lu:%lu: %.500s", doc->file, line, col,
		    msg->en);
	} else {
		(void)snprintf(e->fr, sizeof e->fr, "%s:%lu:%lu: %s : %.500s", doc->file, line, col,
		    p, msg->fr);
		(void)snprintf(e->en, sizeof e->en, "%s:%lu:%lu: %s: %.500s", doc->file, line, col,
		    p, msg->en);
	}
	return -1;
}

int
yt_err(struct yt_doc *doc, const struct yt_node *n, const char *path,
    const char *fr, const char *en, ...)
{
	struct st_msg msg;
	va_list ap;

	va_start(ap, en);
	st_msg_vset(&msg, 0, fr, en, ap);
	va_end(ap);
	return doc_err_at(doc, n ? n->line : 0, n ? n->col : 0, path ? path : "", &msg);
}

/* An error at the event's position, with no field path (the tree is not
 * built yet). */
static int
ev_err(struct yt_doc *doc, const yaml_event_t *ev, const char *fr, const char *en)
{
	struct st_msg msg;

	st_msg_set(&msg, 0, "%s%.0s", "%.0s%s", fr, en);
	return doc_err_at(doc, (unsigned long)ev->start_mark.line + 1,
	    (unsigned long)ev->start_mark.column + 1, NULL, &msg);
}

/* libyaml's scanner and parser problems (its English texts) in French;
 * NULL when unknown. */
static const char *
problem_fr(const char *en)
{
	static const char *const T[][2] = {
		{"block sequence entries are not allowed in this context",
		 "une entrée de liste « - » n'est pas admise à cet endroit"},
		{"could not find expected ':'", "« : » attendu"},
		{"did not find expected ',' or ']'", "« , » ou « ] » attendu"},
		{"did not find expected ',' or '}'", "« , » ou « } » attendu"},
		{"did not find expected '-' indicator", "« - » attendu"},
		{"did not find expected <document start>", "début de document attendu"},
		{"did not find expected alphabetic or numeric character",
		 "lettre ou chiffre attendu"},
		{"did not find expected comment or line break",
		 "commentaire ou fin de ligne attendu"},
		{"did not find expected hexdecimal number", "nombre hexadécimal attendu"},
		{"did not find expected key", "clé attendue (vérifier l'indentation)"},
		{"did not find expected node content", "valeur attendue"},
		{"did not find expected whitespace or line break",
		 "espace ou fin de ligne attendu"},
		{"found a tab character that violates indentation",
		 "tabulation dans l'indentation (indenter avec des espaces)"},
		{"found a tab character where an indentation space is expected",
		 "tabulation dans l'indentation (indenter avec des espaces)"},
		{"found an incorrect leading UTF-8 octet", "octet invalide en UTF-8"},
		{"found an incorrect trailing UTF-8 octet", "octet invalide en UTF-8"},
		{"found an indentation indicator equal to 0",
		 "indicateur d'indentation égal à 0"},
		{"found character that cannot start any token",
		 "caractère qui ne peut commencer aucun élément YAML"},
		{"found undefined tag handle", "préfixe d'étiquette non défini"},
		{"found unexpected ':'", "« : » inattendu"},
		{"found unexpected document indicator", "marque de document inattendue"},
		{"found unexpected end of stream",
		 "fin de fichier inattendue (guillemet non fermé ?)"},
		{"found unknown escape character", "caractère d'échappement inconnu"},
		{"found invalid Unicode character escape code",
		 "code d'échappement Unicode invalide"},
		{"mapping keys are not allowed in this context", "clé non admise à cet endroit"},
		{"mapping values are not allowed in this context",
		 "« : » non admis à cet endroit (mettre la valeur entre guillemets ?)"},
	};

	for (size_t i = 0; i < sizeof T / sizeof T[0]; i++)
		if (strcmp(T[i][0], en) == 0)
			return T[i][1];
	return NULL;
}

/* The line and column (1-based; columns count characters, as libyaml's
 * do) of byte offset off of buf. */
static void
offset_position(const uint8_t *buf, size_t len, size_t off, unsigned long *line,
    unsigned long *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off && i < len; i++) {
		if (buf[i] == '\n' || (buf[i] == '\r' && (i + 1 >= len || buf[i + 1] != '\n'))) {
			++*line;
			*col = 1;
		} else if ((buf[i] & 0xc0) != 0x80 && buf[i] != '\r') {
			++*col;
		}
	}
}

/* A reader error — a byte that is not UTF-8 (a file saved in another
 * encoding), a control character such as NUL — at the byte it names:
 * libyaml gives its offset, not its line. A bad trailing byte is
 * reported at its sequence's first byte, the character a reader sees. */
static int
reader_failure(struct yt_doc *doc, const yaml_parser_t *p, const uint8_t *buf, size_t len)
{
	const char *en = p->problem ? p->problem : "syntax error";
	size_t off = p->problem_offset < len ? p->problem_offset : len;
	unsigned long line, col;
	struct st_msg msg;
	char byte[16];

	if (strcmp(en, "invalid trailing UTF-8 octet") == 0)
		for (size_t k = 0; k < 3 && off > 0 && (off == len || buf[off] < 0xc0); k++)
			off--;
	(void)snprintf(byte, sizeof byte, "0x%02X", off < len ? buf[off] :
	    (unsigned)p->problem_value & 0xffu);
	offset_position(buf, len, off, &line, &col);
	if (strcmp(en, "control characters are not allowed") == 0)
		st_msg_set(&msg, 0, "caractère de contrôle %s non admis%.0s", "%.0s%s", byte, en);
	else
		st_msg_set(&msg, 0, "octet %s invalide : le fichier n'est pas en UTF-8 "
		    "(l'enregistrer en UTF-8)%.0s", "%.0s%s", byte, en);
	return doc_err_at(doc, line, col, NULL, &msg);
}

/* libyaml's failure at its position. buf, len: the input given to the
 * parser. */
static int
yaml_failure(struct yt_doc *doc, const yaml_parser_t *p, const uint8_t *buf, size_t len)
{
	const char *en = p->problem ? p->problem : "syntax error";
	const char *fr = p->problem ? problem_fr(p->problem) : "erreur de syntaxe";
	struct st_msg msg;

	if (p->error == YAML_READER_ERROR)
		return reader_failure(doc, p, buf, len);
	if (fr != NULL)
		st_msg_set(&msg, 0, "%s%.0s", "%.0s%s", fr, en);
	else
		st_msg_set(&msg, 0, "erreur de syntaxe YAML (%s)", "%s", en);
	return doc_err_at(doc, (unsigned long)p->problem_mark.line + 1,
	    (unsigned long)p->problem_mark.column + 1, NULL, &msg);
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
		return ev_err(doc, ev, "imbrication trop profonde", "nesting too deep");
	if (++doc->nodes > YT_MAX_NODES)
		return ev_err(doc, ev, "trop d'éléments", "too many nodes");
	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		return ev_err(doc, ev, "les alias YAML ne sont pas admis",
		    "aliases are not allowed");
	case YAML_SCALAR_EVENT:
		if (ev->data.scalar.anchor)
			return ev_err(doc, ev, "les ancres YAML ne sont pas admises", "anchors are "
			    "not allowed");
		if (ev->data.scalar.tag && !(ev->data.scalar.plain_implicit ||
		    ev->data.scalar.quoted_implicit))
			return ev_err(doc, ev, "les étiquettes YAML ne sont pas admises",
			    "tags are not allowed");
		if (ev->data.scalar.length > YT_MAX_SCALAR)
			return ev_err(doc, ev, "valeur trop longue", "scalar too long");
		if (memchr(ev->data.scalar.value, 0, ev->data.scalar.length))
			return ev_err(doc, ev, "octet NUL dans une valeur", "NUL byte in scalar");
		n = node_new(YT_SCALAR, ev);
		n->str = xstrndup((const char *)ev->data.scalar.value,
		    ev->data.scalar.length);
		n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
		*out = n;
		return 0;
	case YAML_SEQUENCE_START_EVENT:
		if (ev->data.sequence_start.anchor)
			return ev_err(doc, ev, "les ancres YAML ne sont pas admises", "anchors are "
			    "not allowed");
		if (ev->data.sequence_start.tag && !ev->data.sequence_start.implicit)
			return ev_err(doc, ev, "les étiquettes YAML ne sont pas admises",
			    "tags are not allowed");
		n = node_new(YT_SEQ, ev);
		for (;;) {
			struct yt_node *child;
			if (!yaml_parser_parse(p, &e)) {
				yaml_failure(doc, p, doc->in, doc->in_len);
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
			return ev_err(doc, ev, "les ancres YAML ne sont pas admises", "anchors are "
			    "not allowed");
		if (ev->data.mapping_start.tag && !ev->data.mapping_start.implicit)
			return ev_err(doc, ev, "les étiquettes YAML ne sont pas admises",
			    "tags are not allowed");
		n = node_new(YT_MAP, ev);
		for (;;) {
			struct yt_node *key = NULL, *val = NULL;
			if (!yaml_parser_parse(p, &e)) {
				yaml_failure(doc, p, doc->in, doc->in_len);
				goto out;
			}
			if (e.type == YAML_MAPPING_END_EVENT) {
				yaml_event_delete(&e);
				break;
			}
			if (e.type != YAML_SCALAR_EVENT) {
				ev_err(doc, &e, "une clé doit être un simple mot", "mapping keys "
				    "must be plain scalars");
				yaml_event_delete(&e);
				goto out;
			}
			if (e.data.scalar.style != YAML_PLAIN_SCALAR_STYLE) {
				ev_err(doc, &e, "une clé ne doit pas être entre guillemets",
				    "mapping keys must not be quoted");
				yaml_event_delete(&e);
				goto out;
			}
			int r = parse_node(doc, p, &e, depth + 1, &key);
			yaml_event_delete(&e);
			if (r != 0)
				goto out;
			if (n->n >= YT_MAX_KEYS) {
				yt_err(doc, key, "", "trop de clés dans un même dictionnaire",
				    "too many keys in one mapping");
				node_free(key);
				goto out;
			}
			for (size_t i = 0; i < n->n; i++) {
				if (strcmp(n->keys[i]->str, key->str) == 0) {
					yt_err(doc, key, key->str,
					    "clé en double (la première à la ligne %u)",
					    "duplicate key (first at line %u)", n->keys[i]->line);
					node_free(key);
					goto out;
				}
			}
			if (!yaml_parser_parse(p, &e)) {
				yaml_failure(doc, p, doc->in, doc->in_len);
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
		return ev_err(doc, ev, "élément YAML inattendu", "unexpected YAML event");
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
		st_msg_set(&doc->err, 0, "%s: fichier trop volumineux : plus de %u octets (1 Mio "
		    "au plus)",
		    "%s: file larger than %u bytes", file, YT_MAX_INPUT);
		return -1;
	}
	if (len >= 2 && ((buf[0] == 0xff && buf[1] == 0xfe) ||
	    (buf[0] == 0xfe && buf[1] == 0xff))) {
		st_msg_set(&doc->err, 0, "%s:1:1: fichier en UTF-16 : l'enregistrer en UTF-8",
		    "%s:1:1: the file is UTF-16: save it as UTF-8", file);
		return -1;
	}
	/* A byte order mark (spreadsheets write one) says nothing in UTF-8. */
	if (len >= 3 && buf[0] == 0xef && buf[1] == 0xbb && buf[2] == 0xbf) {
		buf += 3;
		len -= 3;
	}
	doc->in = buf;
	doc->in_len = len;
	if (!yaml_parser_initialize(&p)) {
		st_msg_set(&doc->err, 0, "%s: impossible de démarrer l'analyseur YAML",
		    "%s: cannot start the YAML parser", file);
		return -1;
	}
	yaml_parser_set_input_string(&p, buf, len);
	yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
	for (;;) {
		if (!yaml_parser_parse(&p, &e)) {
			yaml_failure(doc, &p, buf, len);
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
				ev_err(doc, &e, "un seul document YAML est admis",
				    "only one YAML document is allowed");
				yaml_event_delete(&e);
				goto out;
			}
			if (e.data.document_start.version_directive ||
			    e.data.document_start.tag_directives.start !=
			    e.data.document_start.tag_directives.end) {
				ev_err(doc, &e, "les directives YAML ne sont pas admises",
				    "YAML directives are not allowed");
				yaml_event_delete(&e);
				goto out;
			}
			stage = 1;
			yaml_event_delete(&e);
			continue;
		}
		if (stage != 1) {
			ev_err(doc, &e, "contenu inattendu", "unexpected content");
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
		st_msg_set(&doc->err, 0, "%s: document vide", "%s: empty document", file);
		goto out;
	}
	rc = 0;
out:
	yaml_parser_delete(&p);
	doc->in = NULL;
	doc->in_len = 0;
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
		return yt_err(doc, map, path, "clé « %s » manquante", "missing key '%s'", key);
	return 0;
}

int
yt_map_done(struct yt_doc *doc, struct yt_node *map, const char *path)
{
	char p[256];

	for (size_t i = 0; i < map->n; i++)
		if (!map->used[i])
			return yt_err(doc, map->keys[i], yt_path(p, sizeof p, path,
			    map->keys[i]->str), "clé inconnue (ou qui ne s'applique pas ici)",
			    "unknown key (or a key that does not apply here)");
	return 0;
}

int
yt_expect(struct yt_doc *doc, struct yt_node *n, const char *path, enum yt_type type)
{
	static const char *const fr[] = {"une valeur simple attendue", "une liste attendue",
		"un dictionnaire (clé: valeur) attendu"};
	static const char *const en[] = {"a scalar", "a list", "a mapping"};

	if (n->type != type)
		return yt_err(doc, n, path, "%s%.0s", "expected %.0s%s", fr[type], en[type]);
	return 0;
}

int
yt_str(struct yt_doc *doc, struct yt_node *n, const char *path, char *out, size_t cap)
{
	if (yt_expect(doc, n, path, YT_SCALAR) != 0)
		return -1;
	if (n->str[0] == '\0')
		return yt_err(doc, n, path, "texte vide", "empty string");
	if (st_strlcpy(out, n->str, cap) != 0)
		return yt_err(doc, n, path, "texte de plus de %zu octets",
		    "string longer than %zu bytes", cap - 1);
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
			    "« %s » n'est pas un identifiant (a-z, 0-9, « _ » et « - » seulement)",
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
		return yt_err(doc, n, path, "true ou false attendu, trouvé « %s »",
		    "expected true or false, got '%s'", n->str);
	return 0;
}

int
yt_u64(struct yt_doc *doc, struct yt_node *n, const char *path, uint64_t *out)
{
	uint64_t v = 0;

	if (yt_expect(doc, n, path, YT_SCALAR) != 0)
		return -1;
	if (n->quoted || n->str[0] == '\0' || strlen(n->str) > 20)
		return yt_err(doc, n, path, "nombre entier attendu, trouvé « %s »",
		    "expected a whole number, got '%s'", n->str);
	if (n->str[0] == '0' && n->str[1] != '\0')
		return yt_err(doc, n, path, "zéro en tête non admis dans « %s »",
		    "leading zeros are not allowed in '%s'", n->str);
	for (const char *c = n->str; *c; c++) {
		if (*c < '0' || *c > '9')
			return yt_err(doc, n, path, "nombre entier attendu, trouvé « %s »",
			    "expected a whole number, got '%s'", n->str);
		unsigned d = (unsigned)(*c - '0');
		if (v > (UINT64_MAX - d) / 10)
			return yt_err(doc, n, path, "nombre trop grand", "number too large");
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
		return yt_err(doc, n, path, "%llu dépasse la limite %u", "%llu is above the limit "
		    "%u",
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
	return yt_err(doc, n, path, "« %s » n'est pas admis ; valeurs possibles : %s",
	    "'%s' is not one of: %s", n->str, list);
}

int
yt_date(struct yt_doc *doc, struct yt_node *n, const char *path, int32_t *out)
{
	if (yt_expect(doc, n, path, YT_SCALAR) != 0)
		return -1;
	if (st_date_parse(n->str, out) != 0)
		return yt_err(doc, n, path, "date AAAA-MM-JJ attendue, trouvé « %s »",
		    "expected a date YYYY-MM-DD, got '%s'", n->str);
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
	    "fraction attendue, comme « 1/4 » ou « 50%% » (entre 0 et 1), trouvé « %s »",
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

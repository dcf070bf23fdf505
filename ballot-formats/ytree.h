/*
 * ytree.h — a YAML document read with libyaml into a small tree, with the
 * position of every node, and typed accessors that report
 * "file:line:column: path: reason" in French and English (struct st_msg).
 *
 * The tree is what both the profile and the scenario loaders read. It
 * enforces the common input rules once: a size cap on the input, on the
 * number of nodes, on depth, on scalar length and on the keys of one
 * mapping; UTF-8 only (a leading byte order mark, as spreadsheets write
 * it, is skipped); one document only; no anchors, aliases or tags; keys
 * are plain scalars and never repeated. Accessors mark the keys they
 * read, so a loader can refuse every key it did not expect
 * (yt_map_done).
 */
#ifndef SCRUTIN_STATUTES_YTREE_H
#define SCRUTIN_STATUTES_YTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballot-formats/util.h"

#define YT_MAX_INPUT   (1024u * 1024u)
#define YT_MAX_NODES   200000u
#define YT_MAX_DEPTH   24u
#define YT_MAX_SCALAR  4096u
#define YT_MAX_KEYS    256u

enum yt_type { YT_SCALAR, YT_SEQ, YT_MAP };

struct yt_node {
	enum yt_type type;
	unsigned line, col;        /* 1-based position in the file */
	char *str;                 /* scalar text (NUL-terminated) */
	bool quoted;               /* scalar was quoted (never a bool/int) */
	size_t n;                  /* children */
	struct yt_node **items;    /* sequence items or mapping values */
	struct yt_node **keys;     /* mapping keys (scalars) */
	bool *used;                /* mapping: key consumed by the loader */
};

struct yt_doc {
	struct yt_node *root;
	const char *file;          /* borrowed: name used in messages */
	size_t nodes;
	struct st_msg err;
	const uint8_t *in;         /* during yt_doc_parse: the input parsed */
	size_t in_len;
};

/* Parses buf (len bytes). 0 on success; -1 with doc->err set (a syntax
 * error or a byte that is not UTF-8 at its line and column). The caller
 * calls yt_doc_free in both cases. */
int yt_doc_parse(struct yt_doc *doc, const char *file, const uint8_t *buf,
    size_t len) ST_WUR;
void yt_doc_free(struct yt_doc *doc);

/* Writes "file:line:col: path: message" into doc->err, the message
 * formatted from fr and en with the same arguments; returns -1. */
int yt_err(struct yt_doc *doc, const struct yt_node *n, const char *path,
    const char *fr, const char *en, ...)
    __attribute__((format(printf, 4, 6), format(printf, 5, 6)));

/* Mapping access. yt_get returns NULL when absent; yt_req fails. Both
 * mark the key as read. */
struct yt_node *yt_get(struct yt_node *map, const char *key);
int yt_req(struct yt_doc *doc, struct yt_node *map, const char *path,
    const char *key, struct yt_node **out) ST_WUR;
int yt_map_done(struct yt_doc *doc, struct yt_node *map, const char *path) ST_WUR;
int yt_expect(struct yt_doc *doc, struct yt_node *n, const char *path,
    enum yt_type type) ST_WUR;

/* Scalars. */
int yt_str(struct yt_doc *doc, struct yt_node *n, const char *path,
    char *out, size_t cap) ST_WUR;
int yt_ident(struct yt_doc *doc, struct yt_node *n, const char *path,
    char *out, size_t cap) ST_WUR;   /* [a-z0-9_-], 1..cap-1 */
int yt_bool(struct yt_doc *doc, struct yt_node *n, const char *path,
    bool *out) ST_WUR;
int yt_uint(struct yt_doc *doc, struct yt_node *n, const char *path,
    uint32_t max, uint32_t *out) ST_WUR;
int yt_u64(struct yt_doc *doc, struct yt_node *n, const char *path,
    uint64_t *out) ST_WUR;
int yt_enum(struct yt_doc *doc, struct yt_node *n, const char *path,
    const char *const *names, int *out) ST_WUR;     /* names NULL-ended */
int yt_date(struct yt_doc *doc, struct yt_node *n, const char *path,
    int32_t *out) ST_WUR;
/* "a/b" with 1 <= a, b <= 1000, or "N%" (N/100), reduced. */
int yt_fraction(struct yt_doc *doc, struct yt_node *n, const char *path,
    uint32_t *num, uint32_t *den) ST_WUR;

/* Builds "parent.child" or "parent[i]" into out. */
const char *yt_path(char *out, size_t cap, const char *parent, const char *child);
const char *yt_path_i(char *out, size_t cap, const char *parent, size_t i);

#endif

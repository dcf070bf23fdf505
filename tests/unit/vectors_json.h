/*
 * vectors_json.h — reading the known-answer vector files of tests/vectors/
 * (format in tests/vectors/README.md) from the C tests: load a file (exit
 * on a missing or malformed one, so a test never passes on nothing) and
 * decode strict lowercase hex fields with crypto/hex.h.
 */
#ifndef SCRUTIN_TESTS_VECTORS_JSON_H
#define SCRUTIN_TESTS_VECTORS_JSON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "crypto/scrutin_crypto.h"

#define VDIR "tests/vectors/"

static inline json_t *
load(const char *name)
{
	char path[256];
	json_error_t err;
	json_t *j;

	snprintf(path, sizeof path, VDIR "%s", name);
	j = json_load_file(path, 0, &err);
	if (j == NULL) {
		fprintf(stderr, "%s: %s (line %d)\n", path, err.text, err.line);
		exit(1);
	}
	return j;
}

static inline int
hxs(json_t *v, uint8_t *out, size_t n)
{
	if (!json_is_string(v))
		return -1;
	return hex_decode(out, n, json_string_value(v), json_string_length(v));
}

static inline int
hx(json_t *obj, const char *key, uint8_t *out, size_t n)
{
	return hxs(json_object_get(obj, key), out, n);
}

static inline int
hxv(json_t *obj, const char *key, uint8_t *out, size_t cap, size_t *len)
{
	json_t *v = json_object_get(obj, key);
	size_t l;

	*len = 0;	/* defined on every path, failures included */
	if (!json_is_string(v))
		return -1;
	l = json_string_length(v);
	if (l % 2 != 0 || l / 2 > cap)
		return -1;
	*len = l / 2;
	return hex_decode(out, l / 2, json_string_value(v), l);
}

#endif

/*
 * body.c — JSON request bodies, fail-closed (see body.h). Pure: no I/O, no
 * global state, so the fuzz target drives it directly.
 */
#include "server/body.h"

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "server/cred.h"
#include "crypto/hex.h"

static int
fail(struct body_error *e, enum body_err code, const char *field)
{
	e->err = code;
	snprintf(e->field, sizeof e->field, "%s", field ? field : "");
	return -1;
}

/* Loads an object and checks that every key is in allowed (NULL-ended) and
 * every required key present. */
static int
load_object(json_t **out, const uint8_t *data, size_t len,
    const char *const *allowed, struct body_error *e)
{
	json_error_t jerr;
	json_t *root, *v;
	const char *key;

	*out = NULL;
	if (len > BODY_MAX)
		return fail(e, BODY_MALFORMED, NULL);
	root = json_loadb((const char *)data, len, JSON_REJECT_DUPLICATES,
	    &jerr);
	if (root == NULL)
		return fail(e, BODY_MALFORMED, NULL);
	if (!json_is_object(root)) {
		json_decref(root);
		return fail(e, BODY_NOT_OBJECT, NULL);
	}
	json_object_foreach(root, key, v) {
		int known = 0;
		for (size_t i = 0; allowed[i] != NULL && !known; i++)
			known = strcmp(key, allowed[i]) == 0;
		if (!known) {
			/* Keys are UTF-8 (jansson checks); cut on a boundary. */
			char cut[33];
			size_t n = strlen(key);
			if (n > 32) {
				n = 32;
				while (n > 0 && ((uint8_t)key[n] & 0xc0) == 0x80)
					n--;
			}
			memcpy(cut, key, n);
			cut[n] = '\0';
			json_decref(root);
			return fail(e, BODY_UNKNOWN_FIELD, cut);
		}
	}
	for (size_t i = 0; allowed[i] != NULL; i++)
		if (json_object_get(root, allowed[i]) == NULL) {
			json_decref(root);
			return fail(e, BODY_MISSING_FIELD, allowed[i]);
		}
	*out = root;
	return 0;
}

int
body_activate_decode(const uint8_t *data, size_t len, struct activate_req *out,
    struct body_error *e)
{
	static const char *const fields[] = { "meeting", "pk", "ts", "sig",
		NULL };
	json_t *root = NULL, *v;
	int rc = -1;

	memset(out, 0, sizeof *out);
	memset(e, 0, sizeof *e);
	if (load_object(&root, data, len, fields, e) != 0)
		return -1;
	v = json_object_get(root, "meeting");
	if (!json_is_string(v) || !cred_meeting_valid(json_string_value(v))) {
		fail(e, BODY_INVALID_FIELD, "meeting");
		goto out;
	}
	snprintf(out->meeting, sizeof out->meeting, "%s",
	    json_string_value(v));
	v = json_object_get(root, "pk");
	if (!json_is_string(v) ||
	    hex_decode(out->pk, 32, json_string_value(v),
	        json_string_length(v)) != 0) {
		fail(e, BODY_INVALID_FIELD, "pk");
		goto out;
	}
	v = json_object_get(root, "ts");
	if (!json_is_integer(v) || json_integer_value(v) < 0) {
		fail(e, BODY_INVALID_FIELD, "ts");
		goto out;
	}
	out->ts = (uint64_t)json_integer_value(v);
	v = json_object_get(root, "sig");
	if (!json_is_string(v) ||
	    hex_decode(out->sig, 64, json_string_value(v),
	        json_string_length(v)) != 0) {
		fail(e, BODY_INVALID_FIELD, "sig");
		goto out;
	}
	rc = 0;
out:
	json_decref(root);
	if (rc != 0)
		memset(out, 0, sizeof *out);
	return rc;
}

/*
 * body.h — decoding of JSON request bodies (network process).
 *
 * Bodies are at most WEB_BODY_MAX bytes (web.c enforces it before reading);
 * the decoder rejects malformed JSON, trailing data, duplicate keys, NUL in
 * strings, a top level that is not an object, unknown fields, missing
 * fields and fields of the wrong type or shape. The first defect found is
 * reported with the field's name.
 */
#ifndef SCRUTIN_SERVER_BODY_H
#define SCRUTIN_SERVER_BODY_H

#include <stddef.h>
#include <stdint.h>

#include "server/scrutin.h"

#define BODY_MAX 8192u

enum body_err {
	BODY_OK = 0,
	BODY_MALFORMED,		/* not JSON, or duplicate keys */
	BODY_NOT_OBJECT,
	BODY_UNKNOWN_FIELD,	/* field = its name (cut) */
	BODY_MISSING_FIELD,
	BODY_INVALID_FIELD,
};

struct body_error {
	enum body_err err;
	char field[40];
};

struct activate_req {
	char meeting[65];
	uint8_t pk[32];
	uint64_t ts;
	uint8_t sig[64];
};

/* {"meeting": str, "pk": hex32, "ts": uint, "sig": hex64} */
int body_activate_decode(const uint8_t *data, size_t len,
    struct activate_req *out, struct body_error *err) WUR;

#endif

/*
 * error.h — the error codes of the cryptographic core.
 *
 * Every function of crypto/ that can fail returns 0 on success or one of
 * the negative codes below; scrutin_strerror() gives a short English
 * message for each (never containing secret data, so it may be logged or
 * shown to a user). Codes are stable: callers may switch on them.
 */
#ifndef SCRUTIN_CRYPTO_ERROR_H
#define SCRUTIN_CRYPTO_ERROR_H

#define SCRUTIN_WUR __attribute__((warn_unused_result))

enum scrutin_error {
	SCRUTIN_OK = 0,
	SCRUTIN_ERR_ARGUMENT = -1,	/* a parameter is out of its range */
	SCRUTIN_ERR_LENGTH = -2,	/* wrong length (truncated or extended) */
	SCRUTIN_ERR_POINT = -3,		/* not a canonical ristretto255 encoding */
	SCRUTIN_ERR_IDENTITY = -4,	/* identity point where it is forbidden */
	SCRUTIN_ERR_SCALAR = -5,	/* scalar not canonical (>= l) */
	SCRUTIN_ERR_ZERO = -6,		/* zero scalar where it is forbidden */
	SCRUTIN_ERR_PROOF = -7,		/* a proof does not verify */
	SCRUTIN_ERR_SIGNATURE = -8,	/* an Ed25519 signature does not verify */
	SCRUTIN_ERR_PARSE = -9,		/* malformed structure (framing, labels) */
	SCRUTIN_ERR_CONTEXT = -10,	/* wrong election, question or count */
	SCRUTIN_ERR_SELECTION = -11,	/* selection outside [min, max] */
	SCRUTIN_ERR_DLOG_RANGE = -12,	/* discrete log not in [0, bound] */
	SCRUTIN_ERR_BAD_SHARE = -13,	/* a decryption share does not verify */
	SCRUTIN_ERR_TOO_FEW = -14,	/* fewer than t valid shares */
	SCRUTIN_ERR_BAD_DEALER = -15,	/* a DKG dealer's share or box is bad */
	SCRUTIN_ERR_COMMIT = -16,	/* a DKG reveal does not match its hash */
	SCRUTIN_ERR_STATE = -17,	/* call out of order (e.g. DKG step) */
	SCRUTIN_ERR_CODE = -18,		/* invalid credential code */
	SCRUTIN_ERR_ENCODING = -19,	/* invalid hex or base64url text */
	SCRUTIN_ERR_INTERNAL = -20	/* libsodium failed (init, hashing) */
};

/* A static English message for a code (or for an unknown code). */
const char *scrutin_strerror(int code);

#endif

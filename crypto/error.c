/*
 * error.c — English messages for the error codes of error.h.
 *
 * Messages name the class of failure only; no message ever includes input
 * data, so none can leak a secret.
 */
#include "crypto/error.h"

const char *
scrutin_strerror(int code)
{
	switch (code) {
	case SCRUTIN_OK:
		return "success";
	case SCRUTIN_ERR_ARGUMENT:
		return "invalid argument";
	case SCRUTIN_ERR_LENGTH:
		return "wrong length (truncated or extended input)";
	case SCRUTIN_ERR_POINT:
		return "not a canonical ristretto255 point encoding";
	case SCRUTIN_ERR_IDENTITY:
		return "identity point where it is forbidden";
	case SCRUTIN_ERR_SCALAR:
		return "non-canonical scalar (not below the group order)";
	case SCRUTIN_ERR_ZERO:
		return "zero scalar where it is forbidden";
	case SCRUTIN_ERR_PROOF:
		return "proof does not verify";
	case SCRUTIN_ERR_SIGNATURE:
		return "signature does not verify";
	case SCRUTIN_ERR_PARSE:
		return "malformed structure";
	case SCRUTIN_ERR_CONTEXT:
		return "wrong election, question or count";
	case SCRUTIN_ERR_SELECTION:
		return "selection outside the allowed range";
	case SCRUTIN_ERR_DLOG_RANGE:
		return "total outside the discrete-log bound";
	case SCRUTIN_ERR_BAD_SHARE:
		return "decryption share does not verify";
	case SCRUTIN_ERR_TOO_FEW:
		return "fewer valid decryption shares than the threshold";
	case SCRUTIN_ERR_BAD_DEALER:
		return "key-ceremony share from a dealer is invalid";
	case SCRUTIN_ERR_COMMIT:
		return "key-ceremony reveal does not match its commitment";
	case SCRUTIN_ERR_STATE:
		return "operation out of order";
	case SCRUTIN_ERR_CODE:
		return "invalid credential code";
	case SCRUTIN_ERR_ENCODING:
		return "invalid hex or base64url text";
	case SCRUTIN_ERR_INTERNAL:
		return "internal cryptographic library failure";
	default:
		return "unknown error";
	}
}

/*
 * credential.c — voter credentials (docs/protocol.md §9).
 *
 * Trusts libsodium. The Ed25519 secret key is kept in a sodium_malloc'd
 * object; the Argon2id password (link secret || code) and the seed are
 * stack copies wiped on every path.
 */
#include <string.h>

#include <sodium.h>

#include "crypto/credential.h"
#include "crypto/group.h"
#include "crypto/hex.h"
#include "crypto/util.h"

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

struct credential {
	uint8_t sk[crypto_sign_SECRETKEYBYTES];
	uint8_t pk[crypto_sign_PUBLICKEYBYTES];
};

int
credential_code_normalise(char out[CREDENTIAL_CODE_CHARS + 1], const char *in,
    size_t len)
{
	size_t o = 0;

	memset(out, 0, CREDENTIAL_CODE_CHARS + 1);
	if (len > CREDENTIAL_CODE_INPUT_MAX)
		return SCRUTIN_ERR_CODE;
	for (size_t i = 0; i < len; i++) {
		char c = in[i];

		if (c == ' ' || c == '-')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c == 'O')
			c = '0';
		else if (c == 'I' || c == 'L')
			c = '1';
		if (c == '\0' || strchr(crockford, c) == NULL ||
		    o == CREDENTIAL_CODE_CHARS) {
			memset(out, 0, CREDENTIAL_CODE_CHARS + 1);
			return SCRUTIN_ERR_CODE;
		}
		out[o++] = c;
	}
	if (o != CREDENTIAL_CODE_CHARS) {
		memset(out, 0, CREDENTIAL_CODE_CHARS + 1);
		return SCRUTIN_ERR_CODE;
	}
	return 0;
}

void
credential_code_generate(char out[CREDENTIAL_CODE_CHARS + 2])
{
	uint8_t r[5];
	uint64_t v = 0;
	size_t o = 0;

	randombytes_buf(r, sizeof r);
	for (size_t i = 0; i < sizeof r; i++)
		v = v << 8 | r[i];
	for (int k = 7; k >= 0; k--) {
		out[o++] = crockford[(v >> (5 * k)) & 31];
		if (k == 4)
			out[o++] = '-';
	}
	out[o] = '\0';
	sodium_memzero(r, sizeof r);
	sodium_memzero(&v, sizeof v);
}

void
credential_link_secret_generate(uint8_t ls[CREDENTIAL_LINK_SECRET_BYTES])
{
	randombytes_buf(ls, CREDENTIAL_LINK_SECRET_BYTES);
}

void
credential_fragment_encode(char out[CREDENTIAL_FRAGMENT_CHARS + 1],
    const uint8_t ls[CREDENTIAL_LINK_SECRET_BYTES])
{
	/* Cannot fail: the sizes are fixed. */
	if (b64url_encode(out, CREDENTIAL_FRAGMENT_CHARS + 1, ls,
	    CREDENTIAL_LINK_SECRET_BYTES) != 0)
		out[0] = '\0';
}

int
credential_fragment_decode(uint8_t ls[CREDENTIAL_LINK_SECRET_BYTES],
    const char *in, size_t len)
{
	if (len != CREDENTIAL_FRAGMENT_CHARS) {
		memset(ls, 0, CREDENTIAL_LINK_SECRET_BYTES);
		return SCRUTIN_ERR_LENGTH;
	}
	return b64url_decode(ls, CREDENTIAL_LINK_SECRET_BYTES, in, len);
}

int
credential_salt(uint8_t salt[CREDENTIAL_SALT_BYTES], const uint8_t *meeting_id,
    size_t len)
{
	uint8_t h[32];
	transcript t;

	if (len > CREDENTIAL_MEETING_ID_MAX) {
		memset(salt, 0, CREDENTIAL_SALT_BYTES);
		return SCRUTIN_ERR_ARGUMENT;
	}
	transcript_init(&t, TRANSCRIPT_H256, "credential-salt");
	transcript_field(&t, meeting_id, len);
	transcript_final(&t, h);
	memcpy(salt, h, CREDENTIAL_SALT_BYTES);
	return 0;
}

int
credential_seed_derive(uint8_t seed[CREDENTIAL_SEED_BYTES],
    const uint8_t *meeting_id, size_t meeting_id_len,
    const uint8_t ls[CREDENTIAL_LINK_SECRET_BYTES],
    const char code[CREDENTIAL_CODE_CHARS])
{
	uint8_t salt[CREDENTIAL_SALT_BYTES];
	char pw[CREDENTIAL_LINK_SECRET_BYTES + CREDENTIAL_CODE_CHARS];
	int rc;

	memset(seed, 0, CREDENTIAL_SEED_BYTES);
	for (size_t i = 0; i < CREDENTIAL_CODE_CHARS; i++)
		if (code[i] == '\0' || strchr(crockford, code[i]) == NULL)
			return SCRUTIN_ERR_CODE;
	if ((rc = credential_salt(salt, meeting_id, meeting_id_len)) != 0)
		return rc;
	memcpy(pw, ls, CREDENTIAL_LINK_SECRET_BYTES);
	memcpy(pw + CREDENTIAL_LINK_SECRET_BYTES, code, CREDENTIAL_CODE_CHARS);
	if (crypto_pwhash(seed, CREDENTIAL_SEED_BYTES, pw, sizeof pw, salt, 2,
	    19922944, crypto_pwhash_ALG_ARGON2ID13) != 0) {
		memset(seed, 0, CREDENTIAL_SEED_BYTES);
		rc = SCRUTIN_ERR_INTERNAL;	/* out of memory in Argon2 */
	}
	sodium_memzero(pw, sizeof pw);
	return rc;
}

int
credential_new_from_seed(credential **out,
    const uint8_t seed[CREDENTIAL_SEED_BYTES])
{
	struct credential *c = util_secure_alloc(sizeof *c);

	if (crypto_sign_seed_keypair(c->pk, c->sk, seed) != 0) {
		util_secure_free(c);
		*out = NULL;
		return SCRUTIN_ERR_INTERNAL;
	}
	*out = c;
	return 0;
}

int
credential_derive(credential **out, const uint8_t *meeting_id,
    size_t meeting_id_len, const char *fragment, size_t fragment_len,
    const char *code_input, size_t code_len)
{
	uint8_t ls[CREDENTIAL_LINK_SECRET_BYTES], seed[CREDENTIAL_SEED_BYTES];
	char code[CREDENTIAL_CODE_CHARS + 1];
	int rc;

	*out = NULL;
	if ((rc = credential_fragment_decode(ls, fragment, fragment_len)) != 0)
		goto out;
	if ((rc = credential_code_normalise(code, code_input, code_len)) != 0)
		goto out;
	if ((rc = credential_seed_derive(seed, meeting_id, meeting_id_len, ls,
	    code)) != 0)
		goto out;
	rc = credential_new_from_seed(out, seed);
out:
	sodium_memzero(ls, sizeof ls);
	sodium_memzero(seed, sizeof seed);
	sodium_memzero(code, sizeof code);
	return rc;
}

void
credential_free(credential *c)
{
	util_secure_free(c);
}

const uint8_t *
credential_public_key(const credential *c)
{
	return c->pk;
}

int
credential_sign(const credential *c, uint8_t sig[CREDENTIAL_SIG_BYTES],
    const uint8_t *msg, size_t len)
{
	if (crypto_sign_detached(sig, NULL, msg, len, c->sk) != 0) {
		memset(sig, 0, CREDENTIAL_SIG_BYTES);
		return SCRUTIN_ERR_INTERNAL;
	}
	return 0;
}

int
credential_verify(const uint8_t pk[CREDENTIAL_PK_BYTES],
    const uint8_t sig[CREDENTIAL_SIG_BYTES], const uint8_t *msg, size_t len)
{
	return crypto_sign_verify_detached(sig, msg, len, pk) == 0 ? 0 :
	    SCRUTIN_ERR_SIGNATURE;
}

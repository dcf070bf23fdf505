/*
 * credential.h — voter credentials (docs/protocol.md §9) and Ed25519
 * signing of statements (§10).
 *
 * A credential is an Ed25519 key pair whose seed is Argon2id(link secret
 * || normalised code, salt from the meeting). The link secret travels in
 * the URL fragment as 22 characters of base64url; the code, 8 Crockford
 * base32 characters, by a second channel.
 *
 * Trusts libsodium (crypto_pwhash, crypto_sign). Invariants: the secret
 * key lives only in the sodium_malloc memory of a credential object and
 * is wiped when it is freed; every intermediate (password, seed) is wiped
 * on every path; code and fragment parsers accept exactly the documented
 * syntax and nothing longer than a small cap.
 */
#ifndef SCRUTIN_CRYPTO_CREDENTIAL_H
#define SCRUTIN_CRYPTO_CREDENTIAL_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/error.h"

#define CREDENTIAL_LINK_SECRET_BYTES 16
#define CREDENTIAL_FRAGMENT_CHARS 22
#define CREDENTIAL_CODE_CHARS 8
#define CREDENTIAL_CODE_INPUT_MAX 64	/* longer user input is rejected */
#define CREDENTIAL_SALT_BYTES 16
#define CREDENTIAL_SEED_BYTES 32
#define CREDENTIAL_PK_BYTES 32
#define CREDENTIAL_SIG_BYTES 64
#define CREDENTIAL_MEETING_ID_MAX 1024

/* OUT out = the 8 normalised characters and a NUL: spaces and '-'
 * removed, upper-cased, O→0, I and L→1. SCRUTIN_ERR_CODE otherwise. */
int credential_code_normalise(char out[CREDENTIAL_CODE_CHARS + 1],
    const char *in, size_t len) SCRUTIN_WUR;
/* OUT a fresh random code shown as "XXXX-XXXX" (and a NUL). */
void credential_code_generate(char out[CREDENTIAL_CODE_CHARS + 2]);
/* OUT a fresh random link secret. */
void credential_link_secret_generate(uint8_t ls[CREDENTIAL_LINK_SECRET_BYTES]);

/* OUT the 22-character fragment and a NUL. */
void credential_fragment_encode(char out[CREDENTIAL_FRAGMENT_CHARS + 1],
    const uint8_t ls[CREDENTIAL_LINK_SECRET_BYTES]);
/* Strict: exactly 22 base64url characters, unused bits zero. */
int credential_fragment_decode(uint8_t ls[CREDENTIAL_LINK_SECRET_BYTES],
    const char *in, size_t len) SCRUTIN_WUR;

/* OUT salt = first 16 bytes of H256("credential-salt", meeting_id). */
int credential_salt(uint8_t salt[CREDENTIAL_SALT_BYTES],
    const uint8_t *meeting_id, size_t len) SCRUTIN_WUR;
/* OUT seed = Argon2id(ls || code, salt, t=2, m=19456 KiB, p=1). code is
 * the normalised 8-character code. A secret: the caller wipes it. */
int credential_seed_derive(uint8_t seed[CREDENTIAL_SEED_BYTES],
    const uint8_t *meeting_id, size_t meeting_id_len,
    const uint8_t ls[CREDENTIAL_LINK_SECRET_BYTES],
    const char code[CREDENTIAL_CODE_CHARS]) SCRUTIN_WUR;

typedef struct credential credential;

/* OUT *out from an Ed25519 seed. Free with credential_free. */
int credential_new_from_seed(credential **out,
    const uint8_t seed[CREDENTIAL_SEED_BYTES]) SCRUTIN_WUR;
/* OUT *out from the two secrets as the member types them: the fragment
 * text and the code input (normalised here). */
int credential_derive(credential **out, const uint8_t *meeting_id,
    size_t meeting_id_len, const char *fragment, size_t fragment_len,
    const char *code_input, size_t code_len) SCRUTIN_WUR;
void credential_free(credential *c);

const uint8_t *credential_public_key(const credential *c);
/* OUT sig = Ed25519-Sign(sk, msg). */
int credential_sign(const credential *c, uint8_t sig[CREDENTIAL_SIG_BYTES],
    const uint8_t *msg, size_t len) SCRUTIN_WUR;
/* Strict Ed25519 verification (libsodium crypto_sign_verify_detached). */
int credential_verify(const uint8_t pk[CREDENTIAL_PK_BYTES],
    const uint8_t sig[CREDENTIAL_SIG_BYTES], const uint8_t *msg, size_t len)
    SCRUTIN_WUR;

#endif

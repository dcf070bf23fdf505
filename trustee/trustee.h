/*
 * trustee.h — the inside of `scrutin-trustee`, the scrutineer's own tool
 * (docs/trustee.md): what the command table (trustee.c) hands a command,
 * the vault (vault.c), the HTTPS client (https.c), and the commands
 * (ceremony.c, release.c, minutes.c).
 *
 * The tool runs on the scrutineer's computer and trusts only itself, its
 * vault (encrypted under the scrutineer's passphrase) and, in it, the
 * appliance's signing key pinned at `init`: every answer of the appliance
 * is checked before anything secret is used on it. Invariants: a secret
 * (identity seed, box key, coefficients, key share) is written to disk
 * only inside the sealed vault; the vault is written (atomically) before
 * any message that depends on a new secret leaves; a command that refuses
 * sends nothing after its refusal.
 */
#ifndef SCRUTIN_TRUSTEE_H
#define SCRUTIN_TRUSTEE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/* Exit statuses. */
enum {
	TR_OK = 0,
	TR_FAIL = 1,		/* refused, or the appliance refused */
	TR_USAGE = 2,
	TR_WAIT = 3,		/* ceremony --once: not finished yet */
	TR_CONFIRM = 4,		/* release: --yes needed (few ballots) */
};

/* The option keys (getopt_long's val). */
enum tr_key {
	TK_VAULT = 256, TK_PASSFD, TK_CA, TK_PIN, TK_URL, TK_INDEX, TK_ENROL,
	TK_QUESTION, TK_YES, TK_ONCE, TK_TIMEOUT, TK_DIGEST,
};

/* The command line, as parsed by trustee.c. */
struct tr_args {
	const char *vault;
	int passfd;		/* −1: prompt on the terminal */
	const char *ca, *pin, *url, *enrol, *question, *digest;
	long index, timeout;
	int yes, once;
};

/* --- the HTTPS client (https.c) ------------------------------------ */

/* Where the appliance is and how its certificate is checked: exactly one
 * of ca (a CA file) or pin (the SHA-256 of the certificate, 32 bytes). */
struct tr_peer {
	char host[256];
	char port[8];
	char meeting[65];
	const char *ca;
	uint8_t pin[32];
	int has_pin;
};

struct tr_resp {
	int status;
	char *body;		/* NUL-terminated, len bytes before it */
	size_t len;
	char head[65];		/* X-Scrutin-Head, "" if absent */
};

/* Parses https://HOST[:PORT]/api/v1/meetings/ID or the scrutineer's link
 * https://HOST[:PORT]/s/#ID.J[.TOKEN]; OUT *index and *token (NULL when
 * absent) from a link. −1 with a message on a bad URL. */
int tr_peer_parse(struct tr_peer *p, const char *url, long *index,
    const char **token);
/* https://HOST[:PORT] alone (no meeting: tr_http's paths are then taken
 * as they are). −1 with a message otherwise. */
int tr_origin_parse(struct tr_peer *p, const char *url);
/* A 64-hex or colon-separated SHA-256 fingerprint; −1 if malformed. */
int tr_pin_parse(uint8_t pin[32], const char *s);
/* One request on a new verified TLS connection: path under the meeting
 * (e.g. "/ceremony"), body NULL for none, token for Authorization.
 * −1 (printed) if no answer could be had. Free r with tr_resp_free. */
int tr_http(const struct tr_peer *p, const char *method, const char *path,
    const char *body, const char *token, struct tr_resp *r);
void tr_resp_free(struct tr_resp *r);
/* GET path, 200 and JSON expected: OUT *out. −1 (printed) otherwise. */
int tr_get_json(const struct tr_peer *p, const char *path, json_t **out);
/* POST a JSON body: OUT *status and *out (the answer's JSON, or NULL).
 * −1 (printed) if no answer. */
int tr_post_json(const struct tr_peer *p, const char *path, json_t *body,
    const char *token, int *status, json_t **out);
/* The appliance's error code of a JSON answer, "" if none. */
const char *tr_error_code(const json_t *answer);
/* Prints the appliance's refusal of `what`. */
void tr_refused(const char *what, int status, const json_t *answer);

/* --- the vault (vault.c) ------------------------------------------- */

/* An open vault: the decrypted secrets (a JSON object in the page's
 * format, docs/trustee.md) and what is needed to seal it again. */
struct tr_vault {
	const char *path;
	char *pass;		/* sodium_malloc */
	size_t passlen;
	json_t *s;		/* the secrets */
	char meeting[65];
	long index;
};

/* Reads the passphrase (from a.passfd, or twice on the terminal when
 * `confirm`). −1 with a message on failure. */
int tr_passphrase(struct tr_vault *v, int passfd, int confirm);
/* Creates the vault file (refuses an existing one). */
int tr_vault_create(struct tr_vault *v);
/* Opens and decrypts; a wrong passphrase is refused with a message. */
int tr_vault_open(struct tr_vault *v, const char *path, int passfd);
/* Seals v->s and replaces the file atomically (fsync, rename). */
int tr_vault_store(struct tr_vault *v);
void tr_vault_close(struct tr_vault *v);
/* A hex field of the secrets decoded into out (exactly len bytes). */
int tr_vault_bytes(const struct tr_vault *v, const char *key, uint8_t *out,
    size_t len);
/* Sets a hex field. */
void tr_vault_set_hex(struct tr_vault *v, const char *key, const uint8_t *b,
    size_t len);
/* The identity: OUT pk (and sk[64], sodium_malloc, if sk != NULL: free
 * with sodium_free). */
int tr_identity(const struct tr_vault *v, uint8_t pk[32], uint8_t **sk);
/* The appliance (URL, CA or pin) from the vault, overridden by the
 * command line. */
int tr_vault_peer(const struct tr_vault *v, const struct tr_args *a,
    struct tr_peer *p);

/* --- helpers (vault.c) --------------------------------------------- */

/* "ab12 cd34 ef56 7890": the first 8 bytes, to read aloud. */
void tr_fingerprint(char out[20], const uint8_t b[32]);
/* Decodes a JSON string of exactly 2·len hex digits; −1 otherwise. */
int tr_hex_field(const json_t *o, const char *key, uint8_t *out, size_t len);
char *tr_hex(const uint8_t *b, size_t len);	/* malloc'd */
/* OUT LE64 v, the statements' integers. */
void tr_le64(uint8_t o[8], uint64_t v);
/* jansson's allocator wipes what it frees (the vault's secrets pass
 * through its strings). */
void tr_json_wipe_on_free(void);
/* Frees (and wipes) what json_dumps returned. */
void tr_json_free(char *s);
/* French then English, on stderr. */
void tr_say(const char *fr, const char *en);
/* Signs T(label, fields…) (audit/stmt.h) with the identity: OUT sig. */
struct tr_field { const void *p; size_t len; };
int tr_sign(const struct tr_vault *v, const char *label,
    const struct tr_field *f, size_t nf, uint8_t sig[64]);

/* --- the commands --------------------------------------------------- */
int tr_cmd_init(struct tr_args *a);		/* ceremony.c */
int tr_cmd_ceremony(struct tr_args *a);	/* ceremony.c */
int tr_cmd_release(struct tr_args *a);	/* release.c */
int tr_cmd_sign_minutes(struct tr_args *a);	/* minutes.c */
int tr_cmd_draw(struct tr_args *a);		/* draw.c */
int tr_cmd_web(struct tr_args *a);		/* web.c */

#endif

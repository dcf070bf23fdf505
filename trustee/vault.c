/*
 * vault.c — the scrutineer's vault file and identity (docs/trustee.md).
 *
 * The vault is the web page's format `scrutin-scrutineer-vault/1`
 * (kiosk/js/scrutineer.js), so that one file moves between the page and
 * this tool: a JSON object {format, meeting, index, kdf: {alg:
 * "argon2id13", opslimit, memlimit, salt}, nonce, box} where box =
 * crypto_secretbox(JSON of the secrets, nonce, key) and key = Argon2id
 * (crypto_pwhash) of the passphrase. The secrets hold the Ed25519
 * identity seed (idSeed), the X25519 box key pair (bxSk, bxPk), the
 * ceremony's state (deal, x, y, keyPok, xCid), the appliance's pinned
 * key (serverKey), what was released per question (releasedSet) and, for
 * this tool, where the appliance is (appliance: {url, pin | ca}).
 *
 * Trusts libsodium and the passphrase. Invariants: the file is replaced
 * atomically (a new file written, fsync'd, renamed over the old one, the
 * directory fsync'd), so an interruption leaves the old vault or the new
 * one, never a torn one; created with mode 0600 and never over an
 * existing file; the KDF's limits read from a file are bounded (a forged
 * file cannot make the tool allocate without limit); the passphrase lives
 * in sodium_malloc memory and is wiped.
 */
#include "trustee/trustee.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "audit/stmt.h"
#include "crypto/hex.h"

#define VAULT_FORMAT "scrutin-scrutineer-vault/1"
#define PASS_MAX 1024
#define PASS_MIN 10

void
tr_say(const char *fr, const char *en)
{
	fprintf(stderr, "scrutin-trustee : %s\n  (%s)\n", fr, en);
}

void
tr_fingerprint(char out[20], const uint8_t b[32])
{
	static const char hx[] = "0123456789abcdef";
	size_t o = 0;

	for (size_t i = 0; i < 8; i++) {
		if (i > 0 && i % 2 == 0)
			out[o++] = ' ';
		out[o++] = hx[b[i] >> 4];
		out[o++] = hx[b[i] & 15];
	}
	out[o] = '\0';
}

void
tr_le64(uint8_t o[8], uint64_t v)
{
	for (int i = 0; i < 8; i++)
		o[i] = (uint8_t)(v >> (8 * i));
}

/* Each block carries its size in front (16 bytes, to keep malloc's
 * alignment), so that it can be wiped when freed. */
static void *
wipe_alloc(size_t n)
{
	uint8_t *p = n > SIZE_MAX - 16 ? NULL : malloc(n + 16);

	if (p == NULL)
		return NULL;
	memcpy(p, &n, sizeof n);
	return p + 16;
}

static void
wipe_free(void *q)
{
	uint8_t *p = q;
	size_t n;

	if (p == NULL)
		return;
	p -= 16;
	memcpy(&n, p, sizeof n);
	sodium_memzero(p, n + 16);
	free(p);
}

void
tr_json_free(char *s)
{
	json_free_t f;

	json_get_alloc_funcs(NULL, &f);
	f(s);
}

void
tr_json_wipe_on_free(void)
{
	json_set_alloc_funcs(wipe_alloc, wipe_free);
}

int
tr_hex_field(const json_t *o, const char *key, uint8_t *out, size_t len)
{
	const json_t *s = json_object_get(o, key);

	if (!json_is_string(s) || json_string_length(s) != 2 * len)
		return -1;
	return hex_decode(out, len, json_string_value(s), 2 * len) == 0 ? 0 : -1;
}

char *
tr_hex(const uint8_t *b, size_t len)
{
	char *s = malloc(2 * len + 1);

	if (s == NULL || hex_encode(s, 2 * len + 1, b, len) != 0)
		abort();
	return s;
}

int
tr_vault_bytes(const struct tr_vault *v, const char *key, uint8_t *out,
    size_t len)
{
	return tr_hex_field(v->s, key, out, len);
}

void
tr_vault_set_hex(struct tr_vault *v, const char *key, const uint8_t *b,
    size_t len)
{
	char *h = tr_hex(b, len);

	json_object_set_new(v->s, key, json_string(h));
	sodium_memzero(h, 2 * len);
	free(h);
}

/* --- the passphrase ------------------------------------------------- */

/* One line from fd into buf (sodium_malloc'd, PASS_MAX), echo off when
 * it is a terminal. */
static int
read_line(int fd, char *buf, size_t *len, const char *prompt)
{
	struct termios old, quiet;
	int tty = prompt != NULL && tcgetattr(fd, &old) == 0;
	size_t n = 0;
	int rc = -1;

	if (tty) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		if (write(fd, prompt, strlen(prompt)) < 0 ||
		    tcsetattr(fd, TCSAFLUSH, &quiet) != 0)
			return -1;
	}
	for (;;) {
		char c;
		ssize_t k = read(fd, &c, 1);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0 || c == '\n')
			break;
		if (n + 1 >= PASS_MAX)
			goto out;
		buf[n++] = c;
	}
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	*len = n;
	rc = 0;
out:
	if (tty) {
		(void)tcsetattr(fd, TCSAFLUSH, &old);
		(void)!write(fd, "\n", 1);
	}
	return rc;
}

int
tr_passphrase(struct tr_vault *v, int passfd, int confirm)
{
	int fd = passfd, rc = -1;
	char *again = NULL;
	size_t alen = 0;

	v->pass = sodium_malloc(PASS_MAX);
	again = sodium_malloc(PASS_MAX);
	if (v->pass == NULL || again == NULL)
		abort();
	if (passfd < 0 && (fd = open("/dev/tty", O_RDWR | O_CLOEXEC)) < 0) {
		tr_say("aucun terminal pour demander la phrase de passe : "
		    "donnez --passphrase-fd N", "no terminal to ask for the "
		    "passphrase: give --passphrase-fd N");
		goto out;
	}
	if (read_line(fd, v->pass, &v->passlen, passfd < 0 ?
	    "Phrase de passe du coffre (passphrase) : " : NULL) != 0) {
		tr_say("phrase de passe illisible ou trop longue",
		    "passphrase unreadable or too long");
		goto out;
	}
	if (confirm && v->passlen < PASS_MIN) {
		tr_say("phrase de passe trop courte (10 caractères au moins)",
		    "passphrase too short (at least 10 characters)");
		goto out;
	}
	if (confirm && passfd < 0) {
		if (read_line(fd, again, &alen, "Encore une fois (again) : ")
		    != 0 || alen != v->passlen ||
		    sodium_memcmp(again, v->pass, alen) != 0) {
			tr_say("les deux phrases de passe diffèrent",
			    "the two passphrases differ");
			goto out;
		}
	}
	rc = 0;
out:
	if (passfd < 0 && fd >= 0)
		close(fd);
	sodium_free(again);
	return rc;
}

/* --- sealing, opening ---------------------------------------------- */

static json_t *
seal(const struct tr_vault *v)
{
	uint8_t salt[crypto_pwhash_SALTBYTES], nonce[crypto_secretbox_NONCEBYTES];
	uint8_t *key = sodium_malloc(32);
	char *plain = json_dumps(v->s, JSON_COMPACT);
	size_t plen = plain ? strlen(plain) : 0;
	uint8_t *box = malloc(plen + crypto_secretbox_MACBYTES);
	json_t *out = NULL;
	char *hs = NULL, *hn = NULL, *hb = NULL;

	if (key == NULL || plain == NULL || box == NULL)
		abort();
	randombytes_buf(salt, sizeof salt);
	randombytes_buf(nonce, sizeof nonce);
	if (crypto_pwhash(key, 32, v->pass, v->passlen, salt,
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE,
	    crypto_pwhash_ALG_ARGON2ID13) != 0)
		goto out;
	crypto_secretbox_easy(box, (const uint8_t *)plain, plen, nonce, key);
	hs = tr_hex(salt, sizeof salt);
	hn = tr_hex(nonce, sizeof nonce);
	hb = tr_hex(box, plen + crypto_secretbox_MACBYTES);
	out = json_pack("{s:s, s:s, s:I, s:{s:s, s:I, s:I, s:s}, s:s, s:s}",
	    "format", VAULT_FORMAT, "meeting", v->meeting,
	    "index", (json_int_t)v->index, "kdf", "alg", "argon2id13",
	    "opslimit", (json_int_t)crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    "memlimit", (json_int_t)crypto_pwhash_MEMLIMIT_INTERACTIVE,
	    "salt", hs, "nonce", hn, "box", hb);
out:
	sodium_free(key);
	sodium_memzero(plain, plen);
	tr_json_free(plain);
	free(box);
	free(hs);
	free(hn);
	free(hb);
	return out;
}

/* Writes text to path through path.new, fsync and rename; excl: the
 * vault must not exist yet. */
static int
write_atomic(const char *path, const char *text, int excl)
{
	size_t plen = strlen(path), len = strlen(text);
	char *tmp = malloc(plen + 5), *dir = NULL, *slash;
	int fd = -1, rc = -1;

	if (tmp == NULL)
		abort();
	memcpy(tmp, path, plen);
	memcpy(tmp + plen, ".new", 5);
	if (excl && access(path, F_OK) == 0) {
		tr_say("ce coffre existe déjà : choisissez un autre fichier",
		    "this vault already exists: choose another file");
		goto out;
	}
	(void)unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		goto fail;
	for (size_t off = 0; off < len;) {
		ssize_t k = write(fd, text + off, len - off);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			goto fail;
		off += (size_t)k;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		goto fail;
	dir = strdup(path);
	if (dir == NULL)
		abort();
	slash = strrchr(dir, '/');
	if (slash != NULL)
		*(slash == dir ? slash + 1 : slash) = '\0';
	fd = open(slash != NULL ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0)
		(void)fsync(fd);
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "scrutin-trustee : %s : %s\n", path, strerror(errno));
	tr_say("le coffre n'a pas pu être écrit : rien n'a été envoyé",
	    "the vault could not be written: nothing was sent");
	(void)unlink(tmp);
out:
	if (fd >= 0)
		close(fd);
	free(tmp);
	free(dir);
	return rc;
}

static int
store(struct tr_vault *v, int excl)
{
	json_t *o = seal(v);
	char *text;
	int rc;

	if (o == NULL) {
		tr_say("chiffrement du coffre impossible (mémoire ?)",
		    "could not encrypt the vault (memory?)");
		return -1;
	}
	text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (text == NULL)
		abort();
	rc = write_atomic(v->path, text, excl);
	tr_json_free(text);
	return rc;
}

int
tr_vault_create(struct tr_vault *v)
{
	return store(v, 1);
}

int
tr_vault_store(struct tr_vault *v)
{
	return store(v, 0);
}

/* Reads the file and checks its outer format; OUT the parts. */
static json_t *
read_vault(const char *path)
{
	json_error_t err;
	json_t *o = json_load_file(path, 0, &err);
	const json_t *kdf;

	if (o == NULL) {
		fprintf(stderr, "scrutin-trustee : %s : %s\n", path, err.text);
		tr_say("coffre illisible", "unreadable vault");
		return NULL;
	}
	kdf = json_object_get(o, "kdf");
	if (!json_is_string(json_object_get(o, "format")) ||
	    strcmp(json_string_value(json_object_get(o, "format")), VAULT_FORMAT) != 0 ||
	    !json_is_string(json_object_get(kdf, "alg")) ||
	    strcmp(json_string_value(json_object_get(kdf, "alg")), "argon2id13") != 0 ||
	    !json_is_integer(json_object_get(kdf, "opslimit")) ||
	    !json_is_integer(json_object_get(kdf, "memlimit")) ||
	    !json_is_string(json_object_get(o, "meeting")) ||
	    json_string_length(json_object_get(o, "meeting")) > 64 ||
	    !json_is_integer(json_object_get(o, "index"))) {
		tr_say("ce fichier n'est pas un coffre de scrutateur ("
		    VAULT_FORMAT ")", "this file is not a scrutineer's vault ("
		    VAULT_FORMAT ")");
		json_decref(o);
		return NULL;
	}
	return o;
}

int
tr_vault_open(struct tr_vault *v, const char *path, int passfd)
{
	uint8_t salt[crypto_pwhash_SALTBYTES], nonce[crypto_secretbox_NONCEBYTES];
	uint8_t *key = NULL, *box = NULL, *plain = NULL;
	json_t *o = read_vault(path);
	const json_t *kdf, *jb;
	json_int_t ops, mem;
	size_t blen;
	int rc = -1;

	v->path = path;
	if (o == NULL)
		return -1;
	kdf = json_object_get(o, "kdf");
	ops = json_integer_value(json_object_get(kdf, "opslimit"));
	mem = json_integer_value(json_object_get(kdf, "memlimit"));
	jb = json_object_get(o, "box");
	if (ops < (json_int_t)crypto_pwhash_OPSLIMIT_MIN ||
	    ops > (json_int_t)crypto_pwhash_OPSLIMIT_SENSITIVE ||
	    mem < (json_int_t)crypto_pwhash_MEMLIMIT_MIN ||
	    mem > (json_int_t)crypto_pwhash_MEMLIMIT_SENSITIVE ||
	    tr_hex_field(kdf, "salt", salt, sizeof salt) != 0 ||
	    tr_hex_field(o, "nonce", nonce, sizeof nonce) != 0 ||
	    !json_is_string(jb) || json_string_length(jb) % 2 != 0 ||
	    json_string_length(jb) < 2 * crypto_secretbox_MACBYTES) {
		tr_say("coffre abîmé (paramètres)", "damaged vault (parameters)");
		goto out;
	}
	blen = json_string_length(jb) / 2;
	box = malloc(blen);
	plain = sodium_malloc(blen);
	key = sodium_malloc(32);
	if (box == NULL || plain == NULL || key == NULL)
		abort();
	if (hex_decode(box, blen, json_string_value(jb), 2 * blen) != 0) {
		tr_say("coffre abîmé (boîte)", "damaged vault (box)");
		goto out;
	}
	snprintf(v->meeting, sizeof v->meeting, "%s",
	    json_string_value(json_object_get(o, "meeting")));
	v->index = (long)json_integer_value(json_object_get(o, "index"));
	if (tr_passphrase(v, passfd, 0) != 0)
		goto out;
	if (crypto_pwhash(key, 32, v->pass, v->passlen, salt,
	    (unsigned long long)ops, (size_t)mem,
	    crypto_pwhash_ALG_ARGON2ID13) != 0 ||
	    crypto_secretbox_open_easy(plain, box, blen, nonce, key) != 0) {
		tr_say("phrase de passe incorrecte (ou coffre abîmé) : rien n'a "
		    "été fait", "wrong passphrase (or damaged vault): nothing "
		    "was done");
		goto out;
	}
	v->s = json_loadb((const char *)plain, blen - crypto_secretbox_MACBYTES,
	    0, NULL);
	if (!json_is_object(v->s)) {
		tr_say("coffre abîmé (contenu)", "damaged vault (content)");
		goto out;
	}
	rc = 0;
out:
	json_decref(o);
	free(box);
	sodium_free(plain);
	sodium_free(key);
	return rc;
}

void
tr_vault_close(struct tr_vault *v)
{
	sodium_free(v->pass);
	v->pass = NULL;
	json_decref(v->s);
	v->s = NULL;
}

/* --- the identity and the appliance -------------------------------- */

int
tr_identity(const struct tr_vault *v, uint8_t pk[32], uint8_t **sk)
{
	uint8_t *seed = sodium_malloc(32), *k = sodium_malloc(64);
	int rc = -1;

	if (seed == NULL || k == NULL)
		abort();
	if (tr_vault_bytes(v, "idSeed", seed, 32) != 0) {
		tr_say("coffre sans clé d'identité", "vault without an identity key");
		goto out;
	}
	crypto_sign_seed_keypair(pk, k, seed);
	if (sk != NULL) {
		*sk = k;
		k = NULL;
	}
	rc = 0;
out:
	sodium_free(seed);
	sodium_free(k);
	return rc;
}

int
tr_sign(const struct tr_vault *v, const char *label,
    const struct tr_field *f, size_t nf, uint8_t sig[64])
{
	audit_stmt *st = malloc(sizeof *st);
	uint8_t pk[32], *sk = NULL;
	int rc = -1;

	if (st == NULL)
		abort();
	if (tr_identity(v, pk, &sk) != 0)
		goto out;
	audit_stmt_begin(st, label);
	for (size_t i = 0; i < nf; i++)
		audit_stmt_field(st, f[i].p, f[i].len);
	rc = audit_stmt_len(st) > 0 && audit_stmt_sign(st, sk, sig) == 0 ? 0 : -1;
out:
	sodium_free(sk);
	free(st);
	return rc;
}

int
tr_vault_peer(const struct tr_vault *v, const struct tr_args *a,
    struct tr_peer *p)
{
	const json_t *ap = json_object_get(v->s, "appliance");
	const char *url = a->url;
	const char *pin = a->pin, *ca = a->ca;

	if (url == NULL)
		url = json_string_value(json_object_get(ap, "url"));
	if (url == NULL) {
		tr_say("le coffre ne dit pas où est l'appareil : donnez "
		    "--meeting-url", "the vault does not say where the "
		    "appliance is: give --meeting-url");
		return -1;
	}
	if (tr_peer_parse(p, url, NULL, NULL) != 0)
		return -1;
	if (strcmp(p->meeting, v->meeting) != 0) {
		tr_say("ce coffre est celui d'une autre réunion",
		    "this vault belongs to another meeting");
		return -1;
	}
	if (pin == NULL && ca == NULL) {
		pin = json_string_value(json_object_get(ap, "pin"));
		ca = json_string_value(json_object_get(ap, "ca"));
	}
	p->ca = NULL;
	p->has_pin = 0;
	if (pin != NULL) {
		if (tr_pin_parse(p->pin, pin) != 0)
			return -1;
		p->has_pin = 1;
	} else if (ca != NULL) {
		p->ca = ca;
	} else {
		tr_say("aucun moyen de vérifier le certificat de l'appareil : "
		    "donnez --ca FICHIER ou --pin SHA256", "no way to check "
		    "the appliance's certificate: give --ca FILE or --pin SHA256");
		return -1;
	}
	return 0;
}

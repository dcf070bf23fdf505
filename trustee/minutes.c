#define _GNU_SOURCE /* memmem */
/*
 * minutes.c — `scrutin-trustee sign-minutes`: the scrutineer's signature
 * of the minutes (procès-verbal, docs/record.md §8), as the page signs
 * them: the exact bytes served by GET …/minutes are hashed here and
 * T("minutes", head, SHA-256(bytes)) is signed with the identity key
 * enrolled in the ceremony; `scrutin-verify --minutes --signatures`
 * checks the line the appliance returns.
 *
 * Trusts the vault (the identity) and libsodium. The bytes are the
 * appliance's: the scrutineer reads the same document (saved next to the
 * vault as FILE.minutes.html) before or after signing, and the signature
 * binds exactly those bytes and the record head they cite. Invariants:
 * minutes that do not cite the head they are served with are refused;
 * nothing but the signature is sent.
 */
#include "trustee/trustee.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crypto/hex.h"

/* Keeps a copy of the signed bytes beside the vault. */
static void
save_copy(const struct tr_vault *v, const struct tr_resp *r)
{
	char path[4096];
	FILE *f;

	if (snprintf(path, sizeof path, "%s.minutes.html", v->path) >= (int)sizeof path)
		return;
	f = fopen(path, "wb");
	if (f == NULL)
		return;
	if (fwrite(r->body, 1, r->len, f) == r->len && fclose(f) == 0) {
		printf("Procès-verbal signé enregistré dans %s (signed minutes "
		    "saved)\n", path);
		return;
	}
	fclose(f);
}

static int
post_signature(const struct tr_vault *v, const struct tr_peer *p,
    const char *head, const uint8_t sig[64])
{
	char *h = tr_hex(sig, 64);
	json_t *ans = NULL, *body = json_pack("{s:I, s:s, s:s}", "index",
	    (json_int_t)v->index, "head", head, "sig", h);
	int status = 0, rc = -1;

	free(h);
	if (tr_post_json(p, "/minutes/signatures", body, NULL, &status, &ans) != 0)
		goto out;
	if (status == 200) {
		printf("Procès-verbal signé (%lld signature(s) sur cette empreinte). "
		    "(Minutes signed.)\n", (long long)json_integer_value(
		    json_object_get(ans, "signed")));
		rc = 0;
	} else if (status == 409 && strcmp(tr_error_code(ans), "already_done") == 0) {
		printf("Procès-verbal déjà signé. (Minutes already signed.)\n");
		rc = 0;
	} else if (status == 409 && strcmp(tr_error_code(ans), "stale_minutes") == 0) {
		tr_say("l'enregistrement a changé entre la lecture et la signature : "
		    "relancez la commande", "the record changed between reading "
		    "and signing: run the command again");
	} else {
		tr_refused("/minutes/signatures", status, ans);
	}
out:
	json_decref(body);
	json_decref(ans);
	return rc;
}

int
tr_cmd_sign_minutes(struct tr_args *a)
{
	struct tr_vault v = { 0 };
	struct tr_peer p;
	struct tr_resp r = { 0 };
	uint8_t head[32], digest[32], sig[64];
	int rc = TR_FAIL;

	if (tr_vault_open(&v, a->vault, a->passfd) != 0)
		return TR_FAIL;
	if (tr_vault_peer(&v, a, &p) != 0 ||
	    tr_http(&p, "GET", "/minutes", NULL, NULL, &r) != 0)
		goto out;
	if (r.status != 200) {
		json_t *j = json_loadb(r.body, r.len, 0, NULL);

		tr_refused("/minutes", r.status, j);
		json_decref(j);
		goto out;
	}
	if (strlen(r.head) != 64 || hex_decode(head, 32, r.head, 64) != 0 ||
	    memmem(r.body, r.len, r.head, 64) == NULL) {
		tr_say("ALERTE : le procès-verbal reçu ne cite pas l'empreinte de "
		    "l'enregistrement ; rien n'a été signé", "ALERT: the minutes "
		    "received do not cite the record's head; nothing was signed");
		goto out;
	}
	crypto_hash_sha256(digest, (const uint8_t *)r.body, r.len);
	if (tr_sign(&v, "minutes", (struct tr_field[]){ { head, 32 },
	    { digest, 32 } }, 2, sig) != 0)
		goto out;
	printf("Empreinte de l'enregistrement citée : %.16s (record head)\n", r.head);
	save_copy(&v, &r);
	if (post_signature(&v, &p, r.head, sig) != 0)
		goto out;
	json_object_set_new(v.s, "minutesSigned", json_string(r.head));
	rc = tr_vault_store(&v) == 0 ? TR_OK : TR_FAIL;
out:
	tr_resp_free(&r);
	tr_vault_close(&v);
	return rc;
}

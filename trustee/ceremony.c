/*
 * ceremony.c — `scrutin-trustee init` (the identity, the enrolment) and
 * `scrutin-trustee ceremony` (the scrutineer's side of the key ceremony,
 * docs/protocol.md §6, docs/api.md "Scrutineers: enrolment and the key
 * ceremony"), as kiosk/js/scrutineer.js does it in the browser.
 *
 * Trusts crypto/ (dkg.c) and the vault; not the appliance, which only
 * relays: every poll of GET …/ceremony is checked (ceremony_id
 * recomputed from the enrolled keys, my own keys in it, every revealed
 * commitment against its hash and proof of knowledge, every key share's
 * Y_j against the commitments and its proof, and at the end Y and eid
 * recomputed), and a transcript that does not check stops the tool
 * before it sends anything more. Invariants: a new secret (the identity,
 * the coefficients, the key share) is sealed in the vault before any
 * message that depends on it is sent, so an interrupted run resumes with
 * the same secrets; each step is sent once, in its phase.
 */
#include "trustee/trustee.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "crypto/dkg.h"
#include "crypto/group.h"
#include "trustee/transcript.h"

/* POSTs a step; 0 when accepted or already done, 1 when the phase moved
 * on (poll again), −1 (said) when refused. */
static int
post_step(const struct tr_peer *p, const char *path, json_t *body,
    const char *token)
{
	json_t *ans = NULL;
	int status = 0, rc = -1;

	if (tr_post_json(p, path, body, token, &status, &ans) != 0)
		goto out;
	if (status == 200 || (status == 409 &&
	    strcmp(tr_error_code(ans), "already_done") == 0))
		rc = 0;
	else if (status == 409 && strcmp(tr_error_code(ans), "wrong_phase") == 0)
		rc = 1;
	else
		tr_refused(path, status, ans);
out:
	json_decref(body);
	json_decref(ans);
	return rc;
}

/* --- init ------------------------------------------------------------ */

static int
enrol(struct tr_vault *v, const struct tr_peer *p, const char *token)
{
	uint8_t pk[32], bx[32], sig[64], j8[8];
	char *hpk, *hsig;
	json_t *cer = NULL;
	int rc;

	if (tr_identity(v, pk, NULL) != 0 || tr_vault_bytes(v, "bxPk", bx, 32) != 0)
		return -1;
	if (token == NULL) {
		tr_say("l'inscription demande le jeton du lien (--enrol JETON)",
		    "enrolment needs the link's token (--enrol TOKEN)");
		return -1;
	}
	tr_le64(j8, (uint64_t)v->index);
	if (tr_sign(v, "trustee-enrol", (struct tr_field[]){
	    { v->meeting, strlen(v->meeting) }, { j8, 8 }, { pk, 32 },
	    { bx, 32 } }, 4, sig) != 0)
		return -1;
	hpk = tr_hex(pk, 32);
	hsig = tr_hex(sig, 64);
	rc = post_step(p, "/trustees/enrol", json_pack("{s:I, s:s, s:s, s:s}",
	    "index", (json_int_t)v->index, "id_pk", hpk, "box_pk",
	    json_string_value(json_object_get(v->s, "bxPk")), "sig", hsig), token);
	/* Accepted, or already done: the ceremony must name this identity. */
	if (rc == 0 && tr_get_json(p, "/ceremony", &cer) == 0) {
		const json_t *t = json_array_get(json_object_get(cer, "trustees"),
		    (size_t)v->index - 1);
		const char *id = json_string_value(json_object_get(t, "id_pk"));

		if (id == NULL || strcmp(id, hpk) != 0) {
			tr_say("ce poste de scrutateur est déjà pris par une autre "
			    "identité : demandez un nouveau lien", "this scrutineer "
			    "seat is taken by another identity: ask for a new link");
			rc = -1;
		}
	} else if (rc == 0) {
		rc = -1;
	}
	json_decref(cer);
	free(hpk);
	free(hsig);
	if (rc != 0)
		return -1;
	json_object_set_new(v->s, "enrolled", json_true());
	return tr_vault_store(v);
}

/* A new identity in v->s: the Ed25519 seed, the X25519 box key pair,
 * the appliance (URL, how to check it, its signing key). */
static int
new_identity(struct tr_vault *v, const struct tr_args *a,
    const struct tr_peer *p)
{
	uint8_t *seed = sodium_malloc(32), *bsk = sodium_malloc(32), bpk[32];
	json_t *view = NULL, *ap;
	const char *skey;
	char url[512];
	int rc = -1;

	if (seed == NULL || bsk == NULL)
		abort();
	if (tr_get_json(p, "", &view) != 0)
		goto out;
	skey = json_string_value(json_object_get(view, "server_key"));
	if (skey == NULL || strlen(skey) != 64 ||
	    strspn(skey, "0123456789abcdef") != 64) {
		tr_say("l'appareil ne donne pas sa clé de signature",
		    "the appliance does not give its signing key");
		goto out;
	}
	randombytes_buf(seed, 32);
	crypto_box_keypair(bpk, bsk);
	v->s = json_object();
	json_object_set_new(v->s, "meeting", json_string(v->meeting));
	json_object_set_new(v->s, "j", json_integer(v->index));
	tr_vault_set_hex(v, "idSeed", seed, 32);
	tr_vault_set_hex(v, "bxSk", bsk, 32);
	tr_vault_set_hex(v, "bxPk", bpk, 32);
	json_object_set_new(v->s, "serverKey", json_string(skey));
	snprintf(url, sizeof url, "https://%s%s%s:%s/api/v1/meetings/%s",
	    strchr(p->host, ':') ? "[" : "", p->host,
	    strchr(p->host, ':') ? "]" : "", p->port, p->meeting);
	ap = json_pack("{s:s}", "url", url);
	if (a->pin != NULL)
		json_object_set_new(ap, "pin", json_string(a->pin));
	else
		json_object_set_new(ap, "ca", json_string(a->ca));
	json_object_set_new(v->s, "appliance", ap);
	rc = tr_vault_create(v);
out:
	json_decref(view);
	sodium_free(seed);
	sodium_free(bsk);
	return rc;
}

int
tr_cmd_init(struct tr_args *a)
{
	struct tr_vault v = { .path = a->vault };
	struct tr_peer p = { 0 };
	const char *token = NULL;
	long j = 0;
	uint8_t pk[32];
	char fp[20];
	int rc = TR_FAIL;

	if (a->url == NULL || tr_peer_parse(&p, a->url, &j, &token) != 0)
		return TR_USAGE;
	if (a->enrol != NULL)
		token = a->enrol;
	if (a->index != 0 && j != 0 && a->index != j) {
		tr_say("--index contredit le lien", "--index contradicts the link");
		return TR_USAGE;
	}
	v.index = a->index ? a->index : j;
	if (v.index == 0 || (a->ca == NULL && a->pin == NULL)) {
		tr_say("il faut --index J et --ca FICHIER ou --pin SHA256",
		    "--index J and --ca FILE or --pin SHA256 are needed");
		return TR_USAGE;
	}
	if (a->pin != NULL ? tr_pin_parse(p.pin, a->pin) != 0 : 0)
		return TR_USAGE;
	p.has_pin = a->pin != NULL;
	p.ca = a->ca;
	snprintf(v.meeting, sizeof v.meeting, "%s", p.meeting);
	if (access(a->vault, F_OK) == 0) {
		/* Resuming: the identity exists, the enrolment may not. */
		struct tr_vault old = { 0 };

		if (tr_vault_open(&old, a->vault, a->passfd) != 0)
			return TR_FAIL;
		v = old;
		if (strcmp(v.meeting, p.meeting) != 0 || v.index != (a->index ? a->index : j)) {
			tr_say("ce coffre existe déjà pour une autre réunion ou un "
			    "autre poste", "this vault already exists for another "
			    "meeting or seat");
			goto out;
		}
	} else if (tr_passphrase(&v, a->passfd, 1) != 0 ||
	    new_identity(&v, a, &p) != 0) {
		goto out;
	}
	if (!json_is_true(json_object_get(v.s, "enrolled")) &&
	    enrol(&v, &p, token) != 0)
		goto out;
	if (tr_identity(&v, pk, NULL) != 0)
		goto out;
	tr_fingerprint(fp, pk);
	printf("Scrutateur %ld inscrit à « %s ». Empreinte de l'identité, à lire "
	    "à voix haute : %s\n(Scrutineer %ld enrolled; identity fingerprint, "
	    "to read aloud: %s)\n", v.index, v.meeting, fp, v.index, fp);
	rc = TR_OK;
out:
	tr_vault_close(&v);
	return rc;
}

/* --- the ceremony ----------------------------------------------------- */

/* The vault's deal: t coefficients, drawn once per ceremony id and kept
 * until the key share is known. */
static int
ensure_deal(struct tr_vault *v, const struct tr_cer *c)
{
	const json_t *d = json_object_get(v->s, "deal");
	uint8_t cid[32], (*co)[32] = NULL, cm[DKG_TRUSTEES_MAX][32], pok[64], h[32];
	dkg_trustee *tr = NULL;
	json_t *jc, *jm;
	char *hx;
	int rc = -1;

	if (d != NULL && tr_hex_field(d, "cid", cid, 32) == 0 &&
	    memcmp(cid, c->cid, 32) == 0)
		return 0;
	co = sodium_malloc(32u * c->t);
	if (co == NULL)
		abort();
	for (uint32_t k = 0; k < c->t; k++)
		do
			group_scalar_random(co[k]);
		while (group_scalar_check_nonzero(co[k]) != 0);
	if (dkg_trustee_new_with_coefficients(&tr, c->cid, c->n, c->t,
	    (uint32_t)v->index, (const uint8_t (*)[32])co) != 0 ||
	    dkg_trustee_commit(tr, cm, pok, h, NULL) != 0)
		goto out;
	jc = json_array();
	jm = json_array();
	for (uint32_t k = 0; k < c->t; k++) {
		hx = tr_hex(co[k], 32);
		json_array_append_new(jc, json_string(hx));
		sodium_memzero(hx, 64);
		free(hx);
		hx = tr_hex(cm[k], 32);
		json_array_append_new(jm, json_string(hx));
		free(hx);
	}
	d = json_object();
	json_object_set_new(v->s, "deal", (json_t *)d);
	hx = tr_hex(c->cid, 32);
	json_object_set_new((json_t *)d, "cid", json_string(hx));
	free(hx);
	json_object_set_new((json_t *)d, "coefficients", jc);
	json_object_set_new((json_t *)d, "commitments", jm);
	hx = tr_hex(pok, 64);
	json_object_set_new((json_t *)d, "pok", json_string(hx));
	free(hx);
	hx = tr_hex(h, 32);
	json_object_set_new((json_t *)d, "hash", json_string(hx));
	free(hx);
	rc = tr_vault_store(v);	/* before anything is published */
out:
	dkg_trustee_free(tr);
	sodium_free(co);
	return rc;
}

/* The trustee object of my deal (coefficients from the vault). */
static dkg_trustee *
my_dealer(const struct tr_vault *v, const struct tr_cer *c)
{
	const json_t *jc = json_object_get(json_object_get(v->s, "deal"),
	    "coefficients");
	uint8_t (*co)[32] = sodium_malloc(32u * DKG_TRUSTEES_MAX);
	dkg_trustee *tr = NULL;

	if (co == NULL)
		abort();
	if (json_array_size(jc) != c->t || tr_hex_array(jc, co, c->t) != 0 ||
	    dkg_trustee_new_with_coefficients(&tr, c->cid, c->n, c->t,
	    (uint32_t)v->index, (const uint8_t (*)[32])co) != 0) {
		tr_say("le coffre n'a plus les coefficients de cette cérémonie",
		    "the vault no longer holds this ceremony's coefficients");
		tr = NULL;
	}
	sodium_free(co);
	return tr;
}

static json_t *
signed_body(const struct tr_vault *v, const char *label,
    const struct tr_field *f, size_t nf, json_t *body)
{
	uint8_t sig[64];
	char *h;

	if (tr_sign(v, label, f, nf, sig) != 0) {
		json_decref(body);
		return NULL;
	}
	h = tr_hex(sig, 64);
	json_object_set_new(body, "index", json_integer(v->index));
	json_object_set_new(body, "sig", json_string(h));
	free(h);
	return body;
}

static int
send_commit(struct tr_vault *v, const struct tr_peer *p, const struct tr_cer *c)
{
	const json_t *d;
	uint8_t h[32], j8[8];

	if (ensure_deal(v, c) != 0)
		return -1;
	d = json_object_get(v->s, "deal");
	if (tr_hex_field(d, "hash", h, 32) != 0)
		return -1;
	tr_le64(j8, (uint64_t)v->index);
	return post_step(p, "/ceremony/commit", signed_body(v, "trustee-commit",
	    (struct tr_field[]){ { c->cid, 32 }, { j8, 8 }, { h, 32 } }, 3,
	    json_pack("{s:O}", "h", json_object_get(d, "hash"))), NULL);
}

static int
send_reveal(struct tr_vault *v, const struct tr_peer *p, const struct tr_cer *c)
{
	const json_t *d = json_object_get(v->s, "deal");
	uint8_t cm[DKG_TRUSTEES_MAX][32], pok[64], h[32], cid[32], j8[8];

	if (tr_hex_field(d, "cid", cid, 32) != 0 || memcmp(cid, c->cid, 32) != 0 ||
	    tr_hex_field(d, "hash", h, 32) != 0 ||
	    memcmp(h, c->tr[v->index - 1].commit, 32) != 0 ||
	    tr_hex_array(json_object_get(d, "commitments"), cm, c->t) != 0 ||
	    tr_hex_field(d, "pok", pok, 64) != 0) {
		tr_say("l'engagement publié n'est pas celui du coffre : le coffre "
		    "a-t-il été remplacé ?", "the published commitment is not the "
		    "vault's: was the vault replaced?");
		return -1;
	}
	tr_le64(j8, (uint64_t)v->index);
	return post_step(p, "/ceremony/reveal", signed_body(v, "trustee-reveal",
	    (struct tr_field[]){ { c->cid, 32 }, { j8, 8 }, { cm, 32u * c->t },
	    { pok, 64 } }, 4, json_pack("{s:O, s:O}", "commitments",
	    json_object_get(d, "commitments"), "pok", json_object_get(d, "pok"))),
	    NULL);
}

static int
send_shares(struct tr_vault *v, const struct tr_peer *p, const struct tr_cer *c)
{
	uint8_t (*boxes)[DKG_BOX_BYTES] = calloc(c->n, DKG_BOX_BYTES), j8[8];
	uint8_t *bsk = sodium_malloc(32);
	dkg_trustee *tr = my_dealer(v, c);
	json_t *arr = json_array();
	int rc = -1;

	if (boxes == NULL || bsk == NULL)
		abort();
	if (tr == NULL || tr_vault_bytes(v, "bxSk", bsk, 32) != 0)
		goto out;
	for (uint32_t k = 0; k < c->n; k++) {
		char *h;

		if (dkg_trustee_box_share(tr, k + 1, boxes[k], bsk,
		    c->tr[k].box_pk, NULL) != 0)
			goto out;
		h = tr_hex(boxes[k], DKG_BOX_BYTES);
		json_array_append_new(arr, json_string(h));
		free(h);
	}
	tr_le64(j8, (uint64_t)v->index);
	rc = post_step(p, "/ceremony/shares", signed_body(v, "trustee-shares",
	    (struct tr_field[]){ { c->cid, 32 }, { j8, 8 },
	    { boxes, (size_t)DKG_BOX_BYTES * c->n } }, 3,
	    json_pack("{s:O}", "boxes", arr)), NULL);
out:
	json_decref(arr);
	dkg_trustee_free(tr);
	sodium_free(bsk);
	free(boxes);
	return rc;
}

static int
complain(struct tr_vault *v, const struct tr_peer *p, const struct tr_cer *c,
    uint32_t dealer)
{
	uint8_t j8[8], d8[8];

	fprintf(stderr, "scrutin-trustee : scrutateur %u (scrutineer %u)\n",
	    dealer, dealer);
	tr_say("la part reçue de ce scrutateur ne s'ouvre pas ou ne vérifie "
	    "pas (Feldman) : plainte déposée, la cérémonie échoue",
	    "the share from this scrutineer does not open or fails the "
	    "Feldman check: complaint filed, the ceremony fails");
	tr_le64(j8, (uint64_t)v->index);
	tr_le64(d8, dealer);
	(void)post_step(p, "/ceremony/complaint", signed_body(v,
	    "trustee-complaint", (struct tr_field[]){ { c->cid, 32 }, { j8, 8 },
	    { d8, 8 } }, 3, json_pack("{s:I}", "dealer", (json_int_t)dealer)),
	    NULL);
	return -1;
}

/* The key share x_j from the boxes sent to me, sealed in the vault. */
static int
ensure_key(struct tr_vault *v, const struct tr_peer *p, const struct tr_cer *c)
{
	const json_t *xc = json_object_get(v->s, "xCid");
	uint8_t cid[32], yj[32], vk[32], pok[64], *bsk = sodium_malloc(32);
	dkg_trustee *tr = NULL;
	int rc = -1;

	if (bsk == NULL)
		abort();
	if (xc != NULL && tr_hex_field(v->s, "xCid", cid, 32) == 0 &&
	    memcmp(cid, c->cid, 32) == 0 && json_object_get(v->s, "x") != NULL) {
		rc = 0;
		goto out;
	}
	if ((tr = my_dealer(v, c)) == NULL || tr_vault_bytes(v, "bxSk", bsk, 32) != 0)
		goto out;
	for (uint32_t i = 0; i < c->n; i++) {
		if (dkg_trustee_receive(tr, i + 1, c->tr[i].boxes[v->index - 1],
		    c->tr[i].box_pk, bsk, (const uint8_t (*)[32])c->tr[i].cm) != 0) {
			rc = complain(v, p, c, i + 1);
			goto out;
		}
	}
	if (dkg_trustee_finish(tr, yj, pok, NULL) != 0 ||
	    tr_cer_vk(c, (uint32_t)v->index, vk) != 0 || memcmp(vk, yj, 32) != 0) {
		tr_say("la part de clé ne correspond pas aux engagements",
		    "the key share does not match the commitments");
		goto out;
	}
	tr_vault_set_hex(v, "x", dkg_trustee_key_share(tr), 32);
	tr_vault_set_hex(v, "y", yj, 32);
	tr_vault_set_hex(v, "keyPok", pok, 64);
	tr_vault_set_hex(v, "xCid", c->cid, 32);
	json_object_del(json_object_get(v->s, "deal"), "coefficients");
	rc = tr_vault_store(v);
out:
	dkg_trustee_free(tr);
	sodium_free(bsk);
	return rc;
}

static int
send_key(struct tr_vault *v, const struct tr_peer *p, const struct tr_cer *c)
{
	uint8_t y[32], pok[64], j8[8];

	if (ensure_key(v, p, c) != 0 || tr_vault_bytes(v, "y", y, 32) != 0 ||
	    tr_vault_bytes(v, "keyPok", pok, 64) != 0)
		return -1;
	tr_le64(j8, (uint64_t)v->index);
	return post_step(p, "/ceremony/key", signed_body(v, "trustee-key-share",
	    (struct tr_field[]){ { c->cid, 32 }, { j8, 8 }, { y, 32 },
	    { pok, 64 } }, 4, json_pack("{s:O, s:O}", "y",
	    json_object_get(v->s, "y"), "pok", json_object_get(v->s, "keyPok"))),
	    NULL);
}

/* One look at the ceremony and, if it is my turn, my step. OUT *state:
 * 1 done (checked), 0 going on; −1 (said) on a refusal or a failure. */
static int
step(struct tr_vault *v, const struct tr_peer *p, int *state)
{
	struct tr_cer c;
	json_t *j = NULL;
	const struct tr_cer_trustee *me;
	int rc = -1;

	*state = 0;
	if (tr_get_json(p, "/ceremony", &j) != 0 || tr_cer_parse(&c, j, v) != 0)
		goto out;
	me = c.status == CER_ENROLMENT ? NULL : &c.tr[v->index - 1];
	if (c.status == CER_FAILED) {
		tr_say("la cérémonie a échoué (plainte) : l'administrateur doit la "
		    "relancer", "the ceremony failed (complaint): the "
		    "administrator must restart it");
	} else if (c.status == CER_COMMIT && !me->has_commit) {
		rc = send_commit(v, p, &c);
	} else if (c.status == CER_REVEAL && !me->has_reveal) {
		rc = send_reveal(v, p, &c);
	} else if (c.status == CER_SHARES && !me->has_boxes) {
		rc = send_shares(v, p, &c);
	} else if (c.status == CER_KEYS && !me->has_key) {
		rc = send_key(v, p, &c);
	} else if (c.status == CER_DONE) {
		rc = tr_cer_done(&c, v);
		*state = rc == 0;
	} else {
		rc = 0;
	}
	rc = rc < 0 ? -1 : 0;
out:
	json_decref(j);
	return rc;
}

int
tr_cmd_ceremony(struct tr_args *a)
{
	struct tr_vault v = { 0 };
	struct tr_peer p;
	time_t end = time(NULL) + a->timeout;
	int state = 0, rc = TR_FAIL;
	const json_t *el;

	if (tr_vault_open(&v, a->vault, a->passfd) != 0)
		return TR_FAIL;
	if (tr_vault_peer(&v, a, &p) != 0)
		goto out;
	while (step(&v, &p, &state) == 0) {
		if (state == 1)
			break;
		if (a->once || time(NULL) >= end) {
			tr_say(a->once ? "cérémonie en cours : relancez la commande "
			    "pour continuer" : "délai dépassé : relancez la commande "
			    "pour continuer", a->once ? "ceremony under way: run the "
			    "command again to go on" : "timed out: run the command "
			    "again to go on");
			rc = TR_WAIT;
			goto out;
		}
		sleep(1);
	}
	if (state != 1)
		goto out;
	el = json_object_get(v.s, "election");
	printf("Cérémonie terminée et vérifiée. Empreinte de la clé d'élection Y "
	    ": %.16s\nIdentifiant de la cérémonie : %s\n(Ceremony done and "
	    "checked; election key fingerprint %.16s)\n",
	    json_string_value(json_object_get(el, "y")),
	    json_string_value(json_object_get(el, "cid")),
	    json_string_value(json_object_get(el, "y")));
	rc = TR_OK;
out:
	tr_vault_close(&v);
	return rc;
}

/*
 * transcript.c — the scrutineer tool's check of the key ceremony's
 * transcript (docs/protocol.md §6), on every poll of GET …/ceremony.
 *
 * Trusts crypto/dkg.c and the vault (my identity, my box key); nothing
 * the appliance serves: the ceremony id is recomputed from the enrolled
 * keys and my own keys must be in it at my index, every reveal must open
 * its commitment with a valid proof of knowledge, every key share Y_i
 * must be the verification key of the commitments with a valid proof,
 * and at the end Y = Σ C_{i,0} and eid = H256("election", ceremony_id, Y,
 * meeting_id) are recomputed. Invariant: a transcript that fails any of
 * these is refused as a whole, with the scrutineer named when it is one.
 */
#include "trustee/transcript.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crypto/group.h"
#include "crypto/hex.h"

static const char *const STATUS[] = {
	"enrolment", "commit", "reveal", "shares", "keys", "done", "failed",
};

int
tr_hex_array(const json_t *arr, uint8_t (*out)[32], size_t count)
{
	if (!json_is_array(arr) || json_array_size(arr) != count)
		return -1;
	for (size_t k = 0; k < count; k++) {
		const json_t *s = json_array_get(arr, k);

		if (!json_is_string(s) || json_string_length(s) != 64 ||
		    hex_decode(out[k], 32, json_string_value(s), 64) != 0)
			return -1;
	}
	return 0;
}

static int
bad(const char *fr, const char *en, uint32_t who)
{
	if (who > 0)
		fprintf(stderr, "scrutin-trustee : scrutateur %u (scrutineer %u)\n",
		    who, who);
	tr_say(fr, en);
	return -1;
}

/* One trustee's entry: keys, then whatever is published. */
static int
parse_trustee(struct tr_cer *c, uint32_t i, const json_t *t)
{
	struct tr_cer_trustee *x = &c->tr[i - 1];
	const json_t *r = json_object_get(t, "reveal");
	const json_t *b = json_object_get(t, "boxes");
	const json_t *k = json_object_get(t, "key");
	const json_t *h = json_object_get(t, "commit");

	if (json_integer_value(json_object_get(t, "index")) != (json_int_t)i ||
	    tr_hex_field(t, "id_pk", x->id_pk, 32) != 0 ||
	    tr_hex_field(t, "box_pk", x->box_pk, 32) != 0 ||
	    (!json_is_null(h) && tr_hex_field(t, "commit", x->commit, 32) != 0) ||
	    (!json_is_null(r) && (tr_hex_array(json_object_get(r, "commitments"),
	    x->cm, c->t) != 0 || tr_hex_field(r, "pok", x->pok, 64) != 0)) ||
	    (!json_is_null(k) && (tr_hex_field(k, "y", x->ky, 32) != 0 ||
	    tr_hex_field(k, "pok", x->kpok, 64) != 0)) ||
	    (!json_is_null(b) && (!json_is_array(b) || json_array_size(b) != c->n)))
		return bad("transcription de la cérémonie illisible",
		    "unreadable ceremony transcript", i);
	x->has_commit = !json_is_null(h);
	x->has_reveal = !json_is_null(r);
	x->has_key = !json_is_null(k);
	x->has_boxes = !json_is_null(b);
	for (size_t j = 0; x->has_boxes && j < c->n; j++) {
		const json_t *s = json_array_get(b, j);

		if (!json_is_string(s) || json_string_length(s) != 2 * DKG_BOX_BYTES ||
		    hex_decode(x->boxes[j], DKG_BOX_BYTES, json_string_value(s),
		    2 * DKG_BOX_BYTES) != 0)
			return bad("boîte de part illisible", "unreadable share box", i);
	}
	return 0;
}

int
tr_cer_vk(const struct tr_cer *c, uint32_t j, uint8_t vk[32])
{
	uint8_t rows[DKG_TRUSTEES_MAX * DKG_TRUSTEES_MAX][32];

	for (uint32_t i = 0; i < c->n; i++)
		memcpy(rows[i * c->t], c->tr[i].cm, 32u * c->t);
	return dkg_verification_key(vk, (const uint8_t (*)[32])rows, c->n, c->t, j);
}

/* What is published so far checks. */
static int
check(const struct tr_cer *c, const struct tr_vault *v)
{
	uint8_t ids[DKG_TRUSTEES_MAX][32], bxs[DKG_TRUSTEES_MAX][32], cid[32];
	uint8_t pk[32], bx[32], vk[32];
	const struct tr_cer_trustee *me = &c->tr[v->index - 1];
	int all_revealed = 1;

	for (uint32_t i = 0; i < c->n; i++) {
		memcpy(ids[i], c->tr[i].id_pk, 32);
		memcpy(bxs[i], c->tr[i].box_pk, 32);
		all_revealed &= c->tr[i].has_reveal;
	}
	if (dkg_ceremony_id(cid, (const uint8_t *)c->meeting, strlen(c->meeting),
	    c->n, c->t, (const uint8_t (*)[32])ids, (const uint8_t (*)[32])bxs)
	    != 0 || memcmp(cid, c->cid, 32) != 0)
		return bad("l'identifiant de la cérémonie ne correspond pas aux clés "
		    "inscrites", "the ceremony id does not match the enrolled keys", 0);
	if (tr_identity(v, pk, NULL) != 0 || tr_vault_bytes(v, "bxPk", bx, 32) != 0 ||
	    memcmp(me->id_pk, pk, 32) != 0 || memcmp(me->box_pk, bx, 32) != 0)
		return bad("la cérémonie ne porte pas mes clés à mon rang : ce coffre "
		    "n'est pas celui de ce poste", "the ceremony does not hold my "
		    "keys at my index: this vault is not this seat's", 0);
	for (uint32_t i = 1; i <= c->n; i++) {
		const struct tr_cer_trustee *x = &c->tr[i - 1];

		if (x->has_reveal && (!x->has_commit || dkg_commitment_verify(c->cid,
		    i, (const uint8_t (*)[32])x->cm, c->t, x->pok, x->commit) != 0))
			return bad("les engagements révélés ne correspondent pas à "
			    "l'engagement publié ou leur preuve est fausse",
			    "the revealed commitments do not match the published "
			    "hash or their proof is wrong", i);
		if (x->has_key && (!all_revealed || tr_cer_vk(c, i, vk) != 0 ||
		    memcmp(vk, x->ky, 32) != 0 ||
		    dkg_share_pok_verify(c->cid, i, x->ky, x->kpok) != 0))
			return bad("la part de clé publiée ne correspond pas aux "
			    "engagements ou sa preuve est fausse", "the published "
			    "key share does not match the commitments or its proof "
			    "is wrong", i);
	}
	return 0;
}

int
tr_cer_parse(struct tr_cer *c, const json_t *j, const struct tr_vault *v)
{
	const char *st = json_string_value(json_object_get(j, "status"));
	const json_t *ts = json_object_get(j, "trustees");
	json_int_t n = json_integer_value(json_object_get(j, "n"));
	json_int_t t = json_integer_value(json_object_get(j, "t"));
	size_t s;

	memset(c, 0, sizeof *c);
	c->meeting = v->meeting;
	for (s = 0; st != NULL && s < sizeof STATUS / sizeof STATUS[0]; s++)
		if (strcmp(st, STATUS[s]) == 0)
			break;
	if (st == NULL || s == sizeof STATUS / sizeof STATUS[0] || n < 1 ||
	    n > DKG_TRUSTEES_MAX || t < 1 || t > n || v->index > n)
		return bad("réponse de cérémonie illisible",
		    "unreadable ceremony answer", 0);
	c->status = (enum tr_cer_status)s;
	c->n = (uint32_t)n;
	c->t = (uint32_t)t;
	if (c->status == CER_ENROLMENT)
		return 0;
	if (tr_hex_field(j, "ceremony_id", c->cid, 32) != 0 ||
	    json_array_size(ts) != c->n)
		return bad("réponse de cérémonie illisible",
		    "unreadable ceremony answer", 0);
	for (uint32_t i = 1; i <= c->n; i++)
		if (parse_trustee(c, i, json_array_get(ts, i - 1)) != 0)
			return -1;
	if (c->status == CER_DONE && (tr_hex_field(j, "y", c->y, 32) != 0 ||
	    tr_hex_field(j, "eid", c->eid, 32) != 0))
		return bad("clé d'élection illisible", "unreadable election key", 0);
	return check(c, v);
}

int
tr_cer_done(const struct tr_cer *c, struct tr_vault *v)
{
	uint8_t rows[DKG_TRUSTEES_MAX * DKG_TRUSTEES_MAX][32], y[32], eid[32];
	transcript t;
	json_t *el;
	char *h;

	for (uint32_t i = 0; i < c->n; i++) {
		if (!c->tr[i].has_key)
			return bad("cérémonie close sans toutes les parts de clé",
			    "ceremony done without every key share", i + 1);
		memcpy(rows[i * c->t], c->tr[i].cm, 32u * c->t);
	}
	if (dkg_public_key(y, (const uint8_t (*)[32])rows, c->n, c->t) != 0 ||
	    memcmp(y, c->y, 32) != 0)
		return bad("la clé d'élection Y publiée n'est pas celle des "
		    "engagements", "the published election key Y is not the "
		    "commitments'", 0);
	transcript_init(&t, TRANSCRIPT_H256, "election");
	transcript_field(&t, c->cid, 32);
	transcript_field(&t, y, 32);
	transcript_field(&t, c->meeting, strlen(c->meeting));
	transcript_final(&t, eid);
	if (memcmp(eid, c->eid, 32) != 0)
		return bad("l'identifiant d'élection eid ne correspond pas",
		    "the election id eid does not match", 0);
	el = json_object();
	h = tr_hex(c->cid, 32);
	json_object_set_new(el, "cid", json_string(h));
	free(h);
	h = tr_hex(y, 32);
	json_object_set_new(el, "y", json_string(h));
	free(h);
	h = tr_hex(eid, 32);
	json_object_set_new(el, "eid", json_string(h));
	free(h);
	if (json_equal(el, json_object_get(v->s, "election"))) {
		json_decref(el);
		return 0;
	}
	json_object_set_new(v->s, "election", el);
	json_object_set_new(v->s, "checkedY", json_true());
	return tr_vault_store(v);
}

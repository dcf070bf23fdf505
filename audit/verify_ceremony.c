/*
 * verify_ceremony.c — the key ceremony of the record (docs/record.md):
 * the trustees, named once; each one's commitment, reveal (against the
 * commitment's hash, with its proof of knowledge), encrypted shares and
 * key share Y_j (against the commitments, with its proof of possession);
 * then the election key Y and the election id, recomputed.
 *
 * Trusts crypto/ (dkg_*, transcript); each trustee statement's signature
 * is checked by a worker (verify_sig_defer). Invariants: the steps come
 * in the ceremony's order (every commitment before any reveal, every
 * reveal before any key share), each trustee's once; v->done only when Y
 * and eid are what the commitments give.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/verify_int.h"
#include "common/xmalloc.h"

int
verify_ev_trustees(V *v, const json_t *p)
{
	const json_t *arr = json_object_get(p, "trustees");
	uint64_t n, t;
	uint8_t cid[32];

	if (order(v, !v->have_trustees, "scrutateurs déjà désignés", "trustees already named") ||
	    KEYS(v, p, "n", "t", "trustees", "ceremony_id") ||
	    u64f(v, p, "n", TRUSTEES_MAX, &n) ||
	    u64f(v, p, "t", TRUSTEES_MAX, &t) ||
	    hexf(v, p, "ceremony_id", v->cid, 32))
		return -1;
	if (n < 1 || t < 1 || t > n || !json_is_array(arr) ||
	    json_array_size(arr) != n)
		return bad_field(v, "trustees");
	for (size_t i = 0; i < n; i++) {
		const json_t *e = json_array_get(arr, i);
		uint64_t idx;
		if (KEYS(v, e, "index", "id_pk", "box_pk") ||
		    u64f(v, e, "index", n, &idx) ||
		    hexf(v, e, "id_pk", v->id_pk[i], 32) ||
		    hexf(v, e, "box_pk", v->box_pk[i], 32))
			return -1;
		if (idx != i + 1)
			return bad_field(v, "index");
		for (size_t k = 0; k < i; k++)
			if (memcmp(v->id_pk[k], v->id_pk[i], 32) == 0)
				return bad_field(v, "id_pk");
	}
	v->tn = (uint32_t)n;
	v->tt = (uint32_t)t;
	if (dkg_ceremony_id(cid, (const uint8_t *)v->meeting_id,
	    strlen(v->meeting_id), v->tn, v->tt,
	    (const uint8_t (*)[32])v->id_pk,
	    (const uint8_t (*)[32])v->box_pk) != 0 ||
	    memcmp(cid, v->cid, 32) != 0) {
		FAIL(v, "ceremony_id ne correspond pas aux scrutateurs",
		    "ceremony_id does not match the trustees");
		return -1;
	}
	v->have_trustees = true;
	v->sum->trustees_n = v->tn;
	v->sum->trustees_t = v->tt;
	memcpy(v->sum->trustee_id, v->id_pk, sizeof v->id_pk);
	return 0;
}

int
verify_trustee_index(V *v, const json_t *p, uint32_t *out)
{
	uint64_t i;

	if (!v->have_trustees)
		return order(v, false, "aucun scrutateur désigné", "no trustees named yet");
	if (u64f(v, p, "trustee", v->tn, &i) || i == 0)
		return i == 0 ? bad_field(v, "trustee") : -1;
	*out = (uint32_t)i;
	return 0;
}

/* Reads the trustee's sig and defers its check to a worker. */
int
verify_trustee_sig(V *v, const json_t *p, uint32_t i, const audit_stmt *st)
{
	uint8_t sig[64];
	char fr[48], en[48];

	if (hexf(v, p, "sig", sig, 64))
		return -1;
	snprintf(fr, sizeof fr, "du scrutateur %u", i);
	snprintf(en, sizeof en, "trustee %u", i);
	verify_sig_defer(v, v->id_pk[i - 1], sig, st->buf, audit_stmt_len(st),
	    fr, en);
	return 0;
}

int
verify_ev_commit(V *v, const json_t *p)
{
	uint32_t i, bit;
	audit_stmt st;

	if (KEYS(v, p, "trustee", "hash", "sig") ||
	    verify_trustee_index(v, p, &i))
		return -1;
	bit = 1u << (i - 1);
	if (order(v, !(v->committed & bit) && v->revealed == 0, "engagement répété ou après une révélation",
	    "commitment repeated or after a reveal") ||
	    hexf(v, p, "hash", v->commit_h[i - 1], 32))
		return -1;
	audit_stmt_begin(&st, "trustee-commit");
	audit_stmt_field(&st, v->cid, 32);
	audit_stmt_u64(&st, i);
	audit_stmt_field(&st, v->commit_h[i - 1], 32);
	if (verify_trustee_sig(v, p, i, &st))
		return -1;
	v->committed |= bit;
	return 0;
}

static uint32_t
all_mask(const V *v)
{
	return v->tn >= 32 ? UINT32_MAX : (1u << v->tn) - 1;
}

int
verify_ev_reveal(V *v, const json_t *p)
{
	const json_t *arr = json_object_get(p, "commitments");
	uint8_t (*C)[32], pok[64], h[32];
	uint32_t i, bit;
	audit_stmt st;

	if (KEYS(v, p, "trustee", "commitments", "pok", "sig") ||
	    verify_trustee_index(v, p, &i))
		return -1;
	bit = 1u << (i - 1);
	if (order(v, v->committed == all_mask(v) && !(v->revealed & bit), "révélation avant tous les engagements, ou répétée",
	    "reveal before every commitment, or repeated"))
		return -1;
	if (!json_is_array(arr) || json_array_size(arr) != v->tt)
		return bad_field(v, "commitments");
	C = &v->C[(size_t)(i - 1) * TRUSTEES_MAX];
	for (size_t k = 0; k < v->tt; k++)
		if (audit_json_hexval(json_array_get(arr, k), C[k], 32) != 0)
			return bad_field(v, "commitments");
	if (hexf(v, p, "pok", pok, 64))
		return -1;
	audit_stmt_begin(&st, "trustee-reveal");
	audit_stmt_field(&st, v->cid, 32);
	audit_stmt_u64(&st, i);
	audit_stmt_field(&st, C, 32u * v->tt);
	audit_stmt_field(&st, pok, 64);
	if (verify_trustee_sig(v, p, i, &st))
		return -1;
	dkg_commit_hash(h, v->cid, i, (const uint8_t (*)[32])C, v->tt, pok);
	if (memcmp(h, v->commit_h[i - 1], 32) != 0) {
		FAIL(v, "la révélation du scrutateur %u ne correspond pas à son engagement",
		    "trustee %u reveal does not match its commitment hash", i);
		return -1;
	}
	if (dkg_commitment_verify(v->cid, i, (const uint8_t (*)[32])C, v->tt,
	    pok, h) != 0) {
		FAIL(v, "preuve de connaissance du scrutateur %u invalide",
		    "trustee %u proof of knowledge invalid", i);
		return -1;
	}
	v->revealed |= bit;
	return 0;
}

int
verify_ev_shares(V *v, const json_t *p)
{
	const json_t *arr = json_object_get(p, "boxes");
	uint32_t i, bit, seen = 0;
	uint8_t box[DKG_BOX_BYTES];

	if (KEYS(v, p, "trustee", "boxes") || verify_trustee_index(v, p, &i))
		return -1;
	bit = 1u << (i - 1);
	if (order(v, (v->revealed & bit) && !(v->boxed & bit), "parts avant la révélation du distributeur, ou répétées",
	    "shares before the dealer's reveal, or repeated"))
		return -1;
	if (!json_is_array(arr) || json_array_size(arr) != v->tn)
		return bad_field(v, "boxes");
	for (size_t k = 0; k < v->tn; k++) {
		const json_t *e = json_array_get(arr, k);
		uint64_t to = 0;
		if (KEYS(v, e, "to", "box") || u64f(v, e, "to", v->tn, &to))
			return -1;
		if (to == 0 || (seen & (1u << (to - 1))))
			return bad_field(v, "to");
		if (hexf(v, e, "box", box, sizeof box))
			return -1;
		seen |= 1u << (to - 1);
	}
	v->boxed |= bit;
	return 0;
}

int
verify_ev_key_share(V *v, const json_t *p)
{
	uint8_t pok[64], yj[32];
	uint32_t j, bit;
	audit_stmt st;

	if (KEYS(v, p, "trustee", "yj", "pok", "sig") ||
	    verify_trustee_index(v, p, &j))
		return -1;
	bit = 1u << (j - 1);
	if (order(v, v->revealed == all_mask(v) && !(v->keyed & bit), "part de clé avant toutes les révélations, ou répétée",
	    "key share before every reveal, or repeated") ||
	    hexf(v, p, "yj", v->yj[j - 1], 32) || hexf(v, p, "pok", pok, 64))
		return -1;
	audit_stmt_begin(&st, "trustee-key-share");
	audit_stmt_field(&st, v->cid, 32);
	audit_stmt_u64(&st, j);
	audit_stmt_field(&st, v->yj[j - 1], 32);
	audit_stmt_field(&st, pok, 64);
	if (verify_trustee_sig(v, p, j, &st))
		return -1;
	{
		/* dkg_verification_key takes the n·t rows contiguously. */
		uint8_t (*rows)[32] = xcalloc((size_t)v->tn * v->tt, 32);
		int rc;
		for (uint32_t i = 0; i < v->tn; i++)
			memcpy(rows[(size_t)i * v->tt],
			    v->C[(size_t)i * TRUSTEES_MAX], 32u * v->tt);
		rc = dkg_verification_key(yj, (const uint8_t (*)[32])rows,
		    v->tn, v->tt, j);
		free(rows);
		if (rc != 0 || memcmp(yj, v->yj[j - 1], 32) != 0) {
			FAIL(v, "la part de clé Y_%u ne correspond pas aux engagements",
			    "key share Y_%u does not match the commitments", j);
			return -1;
		}
	}
	if (dkg_share_pok_verify(v->cid, j, v->yj[j - 1], pok) != 0) {
		FAIL(v, "preuve de possession de la part de clé %u invalide",
		    "key share %u proof of possession invalid", j);
		return -1;
	}
	v->keyed |= bit;
	return 0;
}

int
verify_ev_ceremony_done(V *v, const json_t *p)
{
	uint8_t y[32], eid[32];
	uint8_t (*rows)[32];
	transcript t;
	int rc;

	if (order(v, v->have_trustees && v->keyed == all_mask(v) &&
	    v->boxed == all_mask(v) && !v->done, "cérémonie incomplète, ou terminée deux fois",
	    "ceremony not complete, or done twice") ||
	    KEYS(v, p, "y", "eid") || hexf(v, p, "y", v->y, 32) ||
	    hexf(v, p, "eid", v->eid, 32))
		return -1;
	rows = xcalloc((size_t)v->tn * v->tt, 32);
	for (uint32_t i = 0; i < v->tn; i++)
		memcpy(rows[(size_t)i * v->tt], v->C[(size_t)i * TRUSTEES_MAX],
		    32u * v->tt);
	rc = dkg_public_key(y, (const uint8_t (*)[32])rows, v->tn, v->tt);
	free(rows);
	if (rc != 0 || memcmp(y, v->y, 32) != 0) {
		FAIL(v, "la clé d'élection Y ne correspond pas aux engagements",
		    "election key Y does not match the commitments");
		return -1;
	}
	transcript_init(&t, TRANSCRIPT_H256, "election");
	transcript_field(&t, v->cid, 32);
	transcript_field(&t, v->y, 32);
	transcript_field(&t, v->meeting_id, strlen(v->meeting_id));
	transcript_final(&t, eid);
	if (memcmp(eid, v->eid, 32) != 0) {
		FAIL(v, "eid ne correspond pas", "eid does not match");
		return -1;
	}
	v->done = true;
	return 0;
}

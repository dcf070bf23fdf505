/*
 * transcript.h — the key ceremony as the appliance publishes it (GET
 * …/ceremony), parsed and checked by the scrutineer's tool
 * (transcript.c): what ceremony.c acts on and release.c relies on.
 */
#ifndef SCRUTIN_TRUSTEE_TRANSCRIPT_H
#define SCRUTIN_TRUSTEE_TRANSCRIPT_H

#include <stdint.h>

#include "crypto/dkg.h"
#include "trustee/trustee.h"

enum tr_cer_status {
	CER_ENROLMENT, CER_COMMIT, CER_REVEAL, CER_SHARES, CER_KEYS, CER_DONE,
	CER_FAILED,
};

struct tr_cer_trustee {
	uint8_t id_pk[32], box_pk[32], commit[32];
	uint8_t cm[DKG_TRUSTEES_MAX][32], pok[64];	/* the reveal */
	uint8_t boxes[DKG_TRUSTEES_MAX][DKG_BOX_BYTES];
	uint8_t ky[32], kpok[64];			/* the key share */
	int has_commit, has_reveal, has_boxes, has_key;
};

struct tr_cer {
	enum tr_cer_status status;
	uint32_t n, t;
	uint8_t cid[32], y[32], eid[32];
	const char *meeting;
	struct tr_cer_trustee tr[DKG_TRUSTEES_MAX];
};

/* Parses j and checks everything published so far (the ceremony id
 * recomputed, my own keys in it, every reveal against its commitment and
 * proof, every key share against the commitments and its proof). −1
 * (said) if anything does not check. */
int tr_cer_parse(struct tr_cer *c, const json_t *j, const struct tr_vault *v);
/* OUT the verification key Y_j from every revealed commitment. */
int tr_cer_vk(const struct tr_cer *c, uint32_t j, uint8_t vk[32]);
/* Phase done: Y and eid recomputed and checked, kept in the vault
 * (election: {cid, y, eid}). */
int tr_cer_done(const struct tr_cer *c, struct tr_vault *v);
/* count hex strings of 32 bytes from a JSON array. */
int tr_hex_array(const json_t *arr, uint8_t (*out)[32], size_t count);

#endif

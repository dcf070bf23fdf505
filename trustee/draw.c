/*
 * draw.c — `scrutin-trustee draw`: the scrutineer's contribution to the
 * seed of the random draw of an absent holder's proxies (Espace+ art. 4;
 * docs/record.md §4 draw.commit, draw.reveal; docs/api.md POST
 * …/draw/commit, …/draw/reveal). Run before the meeting starts, it picks
 * 32 random bytes, keeps them in the vault and commits to them (the hash
 * H256("draw-contribution", meeting_id, LE64 index, value), signed with
 * the identity key); run again once the meeting has started, it reveals
 * the value kept. The same command does the step the meeting is at.
 *
 * Trusts the vault (the identity, the value) and libsodium; the
 * appliance's view only says which step is due. Invariants: the value is
 * stored in the vault before its commitment is sent, so a reveal always
 * finds it; the value never leaves the vault before the draw closes.
 */
#include "trustee/trustee.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crypto/group.h"

/* The commitment, as audit_draw_contribution (audit/outcome.h) and the
 * verifier compute it: H256("draw-contribution", meeting_id, LE64
 * index, value). */
static void
contribution(uint8_t out[32], const char *meeting, long index,
    const uint8_t value[32])
{
	transcript t;
	uint8_t le[8];

	for (int i = 0; i < 8; i++)
		le[i] = (uint8_t)((uint64_t)index >> (8 * i));
	transcript_init(&t, TRANSCRIPT_H256, "draw-contribution");
	transcript_field(&t, meeting, strlen(meeting));
	transcript_field(&t, le, 8);
	transcript_field(&t, value, 32);
	transcript_final(&t, out);
}

/* Whether index is in the view's draw list key. */
static bool
listed(const json_t *draw, const char *key, long index)
{
	const json_t *a = json_object_get(draw, key), *e;
	size_t i;

	json_array_foreach(a, i, e)
		if (json_integer_value(e) == index)
			return true;
	return false;
}

/* POST path {index, key: hex(b), sig}; 0 when accepted. */
static int
draw_post(const struct tr_vault *v, const struct tr_peer *p, const char *path,
    const char *label, const char *key, const uint8_t b[32])
{
	uint8_t le[8], sig[64];
	char *hb, *hs;
	json_t *ans = NULL, *body;
	int status = 0, rc = -1;

	for (int i = 0; i < 8; i++)
		le[i] = (uint8_t)((uint64_t)v->index >> (8 * i));
	if (tr_sign(v, label, (struct tr_field[]){ { v->meeting,
	    strlen(v->meeting) }, { le, 8 }, { b, 32 } }, 3, sig) != 0)
		return -1;
	hb = tr_hex(b, 32);
	hs = tr_hex(sig, 64);
	body = json_pack("{s:I,s:s,s:s}", "index", (json_int_t)v->index, key,
	    hb, "sig", hs);
	free(hb);
	free(hs);
	if (tr_post_json(p, path, body, NULL, &status, &ans) == 0) {
		if (status == 200)
			rc = 0;
		else
			tr_refused(path, status, ans);
	}
	json_decref(body);
	json_decref(ans);
	return rc;
}

int
tr_cmd_draw(struct tr_args *a)
{
	struct tr_vault v = { 0 };
	struct tr_peer p;
	json_t *view = NULL;
	const json_t *draw;
	uint8_t value[32], h[32];
	int rc = TR_FAIL;

	if (tr_vault_open(&v, a->vault, a->passfd) != 0)
		return TR_FAIL;
	if (tr_vault_peer(&v, a, &p) != 0 || tr_get_json(&p, "", &view) != 0)
		goto out;
	if ((draw = json_object_get(view, "draw")) == NULL) {
		tr_say("les statuts de cette instance ne prévoient pas de tirage"
		    " au sort des procurations : rien à faire", "the statutes"
		    " of this body provide no draw of proxies: nothing to do");
		goto out;
	}
	if (json_is_true(json_object_get(draw, "seeded"))) {
		printf("Le tirage est déjà fixé ; rien à faire. (The draw's seed"
		    " is written: nothing to do.)\n");
		rc = TR_OK;
		goto out;
	}
	if (!json_is_true(json_object_get(draw, "closed"))) {
		if (listed(draw, "commits", v.index)) {
			printf("Engagement déjà enregistré ; relancez la commande"
			    " après l'ouverture de la séance pour révéler. (Already"
			    " committed: run again once the meeting has started.)\n");
			rc = TR_OK;
			goto out;
		}
		/* Kept in the vault before the commitment leaves. */
		randombytes_buf(value, sizeof value);
		tr_vault_set_hex(&v, "drawValue", value, 32);
		if (tr_vault_store(&v) != 0)
			goto out;
		contribution(h, v.meeting, v.index, value);
		if (draw_post(&v, &p, "/draw/commit", "draw-commit", "hash",
		    h) != 0)
			goto out;
		printf("Engagement enregistré ; relancez la commande après"
		    " l'ouverture de la séance pour révéler votre contribution."
		    " (Committed: run again once the meeting has started.)\n");
		rc = TR_OK;
		goto out;
	}
	if (!listed(draw, "commits", v.index)) {
		tr_say("le tirage est clos et vous ne vous étiez pas engagé :"
		    " rien à révéler", "the draw is closed and you did not"
		    " commit: nothing to reveal");
		goto out;
	}
	if (listed(draw, "reveals", v.index)) {
		printf("Contribution déjà révélée. (Already revealed.)\n");
		rc = TR_OK;
		goto out;
	}
	if (tr_vault_bytes(&v, "drawValue", value, 32) != 0) {
		tr_say("la valeur engagée n'est pas dans ce coffre : le"
		    " modérateur peut procéder sans elle", "the value committed"
		    " to is not in this vault: the moderator may proceed without"
		    " it");
		goto out;
	}
	if (draw_post(&v, &p, "/draw/reveal", "draw-reveal", "value",
	    value) != 0)
		goto out;
	printf("Contribution révélée. (Contribution revealed.)\n");
	rc = TR_OK;
out:
	sodium_memzero(value, sizeof value);
	json_decref(view);
	tr_vault_close(&v);
	return rc;
}

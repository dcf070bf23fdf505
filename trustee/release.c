/*
 * release.c — `scrutin-trustee release --question QID`: the scrutineer's
 * decryption shares of a closed secret question (docs/protocol.md §7),
 * released only for the totals of the public record, as the page's
 * boundTotals does (kiosk/js/scrutineer.js, docs/api.md's ballot box).
 *
 * Trusts crypto/ (ballot.c, tally.c), audit/ (the event hash and the
 * checkpoint statement) and the vault: the election (eid, Y) checked at
 * the ceremony and the appliance's signing key pinned at init. Not the
 * network process that serves the box: a tool that decrypted whatever
 * ciphertexts it is given would be a decryption oracle (an empty box with
 * a target ballot's ciphertexts as totals, the real box minus one
 * ballot). So every ballot of the box is verified and summed here; the
 * box must carry the exact line of the question's `question.closed`
 * event and the checkpoint right after it, signed by the pinned key over
 * H256("event", line); that line's totals must be the sum of the
 * verified ballots and its `counted` their number, at least one.
 * Invariants: what is released per question is remembered in the vault
 * (a digest of the totals) before the shares leave, and other totals are
 * never released for it; below 3 ballots nothing leaves without --yes;
 * a refusal sends nothing.
 */
#include "trustee/trustee.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "audit/log.h"
#include "audit/qdigest.h"
#include "crypto/ballot.h"
#include "crypto/group.h"
#include "crypto/hex.h"
#include "crypto/tally.h"

#define RELEASE_WARN_BELOW 3	/* fewer ballots: the few voters' choices show */

struct box {
	ballot_question q;
	uint8_t eid[32], y[32];
	uint8_t sums[BALLOT_CHOICES_MAX][64];	/* of the verified ballots */
	uint64_t count;
	uint8_t head[32];			/* H256("event", closed line) */
	uint8_t totals[BALLOT_CHOICES_MAX][64];	/* the line's */
};

static int
refuse(const char *fr, const char *en)
{
	tr_say(fr, en);
	tr_say("rien n'a été envoyé", "nothing was sent");
	return -1;
}

/* Every ballot of the box verified and summed into b->sums. */
static int
verify_ballots(struct box *b, const json_t *ballots)
{
	tally_acc *acc = calloc(BALLOT_CHOICES_MAX, sizeof *acc);
	size_t i;
	const json_t *x;
	int rc = -1;

	if (acc == NULL)
		abort();
	for (uint32_t k = 0; k < b->q.e; k++)
		tally_acc_init(&acc[k]);
	if (!json_is_array(ballots))
		goto bad;
	json_array_foreach(ballots, i, x) {
		const json_t *jb = json_object_get(x, "body");
		size_t len = json_string_length(jb) / 2;
		uint8_t *body = NULL, sig[64], voice[32], signer[32], rcpt[32], mine[32];
		ballot_parsed p;
		int ok;

		if (!json_is_string(jb) || len == 0 || len > BALLOT_BODY_MAX ||
		    json_string_length(jb) % 2 != 0 ||
		    tr_hex_field(x, "sig", sig, 64) != 0 ||
		    tr_hex_field(x, "voice", voice, 32) != 0 ||
		    tr_hex_field(x, "signer", signer, 32) != 0 ||
		    tr_hex_field(x, "receipt", rcpt, 32) != 0)
			goto bad;
		body = malloc(len);
		if (body == NULL)
			abort();
		ok = hex_decode(body, len, json_string_value(jb), 2 * len) == 0 &&
		    ballot_verify_acc(&p, &b->q, b->eid, b->y, body, len, sig, acc) == 0 &&
		    memcmp(p.voice_pk, voice, 32) == 0 &&
		    memcmp(p.signer_pk, signer, 32) == 0;
		if (ok) {
			ballot_receipt(mine, body, len, sig);
			ok = memcmp(mine, rcpt, 32) == 0;
		}
		free(body);
		if (!ok) {
			fprintf(stderr, "scrutin-trustee : bulletin n° %zu (ballot #%zu)\n",
			    i + 1, i + 1);
			rc = refuse("un bulletin de l'urne ne vérifie pas",
			    "a ballot of the box does not verify");
			goto out;
		}
		b->count++;
	}
	for (uint32_t k = 0; k < b->q.e; k++)
		tally_acc_final(b->sums[k], &acc[k]);
	rc = 0;
	goto out;
bad:
	rc = refuse("urne illisible", "unreadable ballot box");
out:
	free(acc);
	return rc;
}

/* The closed line and its checkpoint: bound to the record by the pinned
 * key, their totals those of the ballots verified here. */
static int
bind_totals(struct box *b, const json_t *closed, const char *meeting,
    const uint8_t server_key[32])
{
	const char *line = json_string_value(json_object_get(closed, "line"));
	const char *cpl = json_string_value(json_object_get(closed, "checkpoint"));
	json_t *ev = line ? json_loads(line, 0, NULL) : NULL;
	json_t *cp = cpl ? json_loads(cpl, 0, NULL) : NULL;
	const json_t *p = json_object_get(ev, "payload"), *k = json_object_get(cp, "payload");
	const json_t *tot = json_object_get(p, "totals");
	const char *qid = json_string_value(json_object_get(p, "qid"));
	const char *kind = json_string_value(json_object_get(ev, "kind"));
	const char *ckind = json_string_value(json_object_get(cp, "kind"));
	json_int_t seq = json_integer_value(json_object_get(ev, "seq"));
	uint8_t parent[32], khead[32], sig[64], msg[AUDIT_CHECKPOINT_MSG_MAX];
	size_t mlen;
	int rc = -1;

	if (ev == NULL || cp == NULL || kind == NULL || ckind == NULL ||
	    strcmp(kind, "question.closed") != 0 || strcmp(ckind, "checkpoint") != 0 ||
	    qid == NULL || strcmp(qid, b->q.qid) != 0 ||
	    !json_is_integer(json_object_get(ev, "seq")) || seq < 0 ||
	    json_integer_value(json_object_get(k, "seq")) != seq ||
	    !json_is_integer(json_object_get(k, "seq")) ||
	    json_integer_value(json_object_get(cp, "seq")) != seq + 1 ||
	    tr_hex_field(k, "head", khead, 32) != 0 ||
	    tr_hex_field(cp, "parent", parent, 32) != 0 ||
	    tr_hex_field(k, "sig", sig, 64) != 0)
		goto unbound;
	audit_event_hash(b->head, line, strlen(line));
	mlen = audit_checkpoint_message(msg, meeting, (uint64_t)seq, b->head);
	if (memcmp(khead, b->head, 32) != 0 || memcmp(parent, b->head, 32) != 0 ||
	    mlen == 0 || crypto_sign_verify_detached(sig, msg, mlen, server_key) != 0)
		goto unbound;
	if (!json_is_array(tot) || json_array_size(tot) != b->q.e ||
	    json_integer_value(json_object_get(p, "counted")) != (json_int_t)b->count ||
	    !json_is_integer(json_object_get(p, "counted"))) {
		rc = refuse("les totaux de l'enregistrement ne sont pas la somme des "
		    "bulletins vérifiés ici (urne incomplète ou totaux forgés)",
		    "the record's totals are not the sum of the ballots verified "
		    "here (a box missing ballots, or forged totals)");
		goto out;
	}
	for (uint32_t i = 0; i < b->q.e; i++) {
		const json_t *s = json_array_get(tot, i);

		if (!json_is_string(s) || json_string_length(s) != 128 ||
		    hex_decode(b->totals[i], 64, json_string_value(s), 128) != 0 ||
		    memcmp(b->totals[i], b->sums[i], 64) != 0) {
			rc = refuse("les totaux de l'enregistrement ne sont pas la "
			    "somme des bulletins vérifiés ici", "the record's totals "
			    "are not the sum of the ballots verified here");
			goto out;
		}
	}
	rc = 0;
	goto out;
unbound:
	rc = refuse("l'urne ne porte pas la ligne de clôture de l'enregistrement "
	    "signée par la clé de l'appareil épinglée dans le coffre",
	    "the box does not carry the record's closing line signed by the "
	    "appliance's key pinned in the vault");
out:
	json_decref(ev);
	json_decref(cp);
	return rc;
}

/* The meeting's view checked against the vault: OUT the question. */
static int
load_question(struct tr_vault *v, const struct tr_peer *p, const char *qid,
    struct box *b, json_int_t *status_closed)
{
	json_t *view = NULL;
	const json_t *el = json_object_get(v->s, "election"), *q = NULL, *x;
	const char *sk = json_string_value(json_object_get(v->s, "serverKey"));
	const char *st;
	size_t i;
	int rc = -1;

	if (tr_hex_field(el, "eid", b->eid, 32) != 0 ||
	    tr_hex_field(el, "y", b->y, 32) != 0 || json_object_get(v->s, "x") == NULL) {
		tr_say("la cérémonie n'a pas été menée et vérifiée avec ce coffre : "
		    "lancez d'abord scrutin-trustee ceremony", "the ceremony was "
		    "not run and checked with this vault: run scrutin-trustee "
		    "ceremony first");
		return -1;
	}
	if (tr_get_json(p, "", &view) != 0)
		return -1;
	if (sk == NULL || !json_is_string(json_object_get(view, "server_key")) ||
	    strcmp(sk, json_string_value(json_object_get(view, "server_key"))) != 0) {
		rc = refuse("la clé de signature de l'appareil n'est pas celle épinglée "
		    "dans le coffre", "the appliance's signing key is not the one "
		    "pinned in the vault");
		goto out;
	}
	json_array_foreach(json_object_get(view, "questions"), i, x)
		if (json_is_string(json_object_get(x, "id")) &&
		    strcmp(json_string_value(json_object_get(x, "id")), qid) == 0)
			q = x;
	if (q == NULL || !json_is_true(json_object_get(q, "secret")) ||
	    ballot_question_init(&b->q, qid, strlen(qid),
	    (uint32_t)json_integer_value(json_object_get(q, "n")),
	    (uint32_t)json_integer_value(json_object_get(q, "min")),
	    (uint32_t)json_integer_value(json_object_get(q, "max"))) != 0) {
		rc = refuse("pas de question secrète de ce nom",
		    "no secret question of that name");
		goto out;
	}
	/* scrutin/2 (the view gives qdigest): the ballots commit to the
	 * question's recorded content, hashed here (protocol §5.7). */
	if (json_object_get(q, "qdigest") != NULL) {
		uint8_t d[32];
		if (question_digest(d, json_object_get(q, "opened")) != 0) {
			rc = refuse("contenu de la question illisible",
			    "question content unreadable");
			goto out;
		}
		ballot_question_set_digest(&b->q, d);
	}
	st = json_string_value(json_object_get(q, "status"));
	*status_closed = st != NULL && strcmp(st, "closed") == 0;
	if (!*status_closed)
		fprintf(stderr, "scrutin-trustee : %s : %s\n", qid, st ? st : "?");
	rc = 0;
out:
	json_decref(view);
	return rc;
}

/* H256("released", qid, totals…), the page's digest. */
static void
released_digest(const struct box *b, char out[65])
{
	uint8_t d[32];
	transcript t;

	transcript_init(&t, TRANSCRIPT_H256, "released");
	transcript_field(&t, b->q.qid, b->q.qid_len);
	for (uint32_t i = 0; i < b->q.e; i++)
		transcript_field(&t, b->totals[i], 64);
	transcript_final(&t, d);
	if (hex_encode(out, 65, d, 32) != 0)
		abort();
}

/* The shares over b->totals, signed, posted. */
static int
post_shares(struct tr_vault *v, const struct tr_peer *p, const struct box *b)
{
	uint8_t *x = sodium_malloc(32), yj[32], blob[BALLOT_CHOICES_MAX * 96], sig[64], j8[8];
	json_t *shares = json_array(), *ans = NULL, *body;
	char path[128], *h;
	int status = 0, rc = -1;

	if (x == NULL)
		abort();
	if (tr_vault_bytes(v, "x", x, 32) != 0 || tr_vault_bytes(v, "y", yj, 32) != 0)
		goto out;
	for (uint32_t i = 0; i < b->q.e; i++) {
		uint8_t *d = blob + 96 * i;
		char *hd, *hp;

		if (tally_share_create(d, d + 32, x, yj, b->eid, b->q.qid,
		    b->q.qid_len, i + 1, (uint32_t)v->index, b->totals[i]) != 0)
			goto out;
		hd = tr_hex(d, 32);
		hp = tr_hex(d + 32, 64);
		json_array_append_new(shares, json_pack("{s:s, s:s}", "d", hd, "proof", hp));
		free(hd);
		free(hp);
	}
	tr_le64(j8, (uint64_t)v->index);
	if (tr_sign(v, "trustee-decryption", (struct tr_field[]){ { b->eid, 32 },
	    { b->q.qid, b->q.qid_len }, { j8, 8 }, { blob, 96u * b->q.e } }, 4,
	    sig) != 0)
		goto out;
	h = tr_hex(sig, 64);
	body = json_pack("{s:I, s:O, s:s}", "index", (json_int_t)v->index,
	    "shares", shares, "sig", h);
	free(h);
	snprintf(path, sizeof path, "/questions/%s/shares", b->q.qid);
	rc = tr_post_json(p, path, body, NULL, &status, &ans);
	json_decref(body);
	if (rc == 0 && status == 200) {
		json_int_t missing = json_integer_value(json_object_get(ans, "missing"));

		printf(missing > 0 ? "Part publiée ; il manque encore %lld "
		    "scrutateur(s). (Share released; %lld more needed.)\n" :
		    "Part publiée ; le résultat est calculé. (Share released; the "
		    "result is computed.)\n", (long long)missing, (long long)missing);
	} else if (rc == 0 && status == 409 &&
	    strcmp(tr_error_code(ans), "already_done") == 0) {
		printf("Part déjà publiée. (Share already released.)\n");
	} else {
		if (rc == 0)
			tr_refused(path, status, ans);
		rc = -1;
	}
out:
	json_decref(shares);
	json_decref(ans);
	sodium_free(x);
	return rc;
}

static int
remember(struct tr_vault *v, const char *set, const char *qid, json_t *val)
{
	json_t *o = json_object_get(v->s, set);

	if (!json_is_object(o)) {
		o = json_object();
		json_object_set_new(v->s, set, o);
	}
	json_object_set_new(o, qid, val);
	return tr_vault_store(v);
}

int
tr_cmd_release(struct tr_args *a)
{
	struct tr_vault v = { 0 };
	struct tr_peer p;
	struct box *b = calloc(1, sizeof *b);
	uint8_t skey[32];
	json_t *box = NULL;
	json_int_t closed = 0;
	const char *before;
	char path[128], digest[65], hh[65];
	int rc = TR_FAIL;

	if (b == NULL)
		abort();
	if (a->question == NULL || strlen(a->question) > BALLOT_QID_MAX) {
		free(b);
		return TR_USAGE;
	}
	if (tr_vault_open(&v, a->vault, a->passfd) != 0)
		goto out;
	if (tr_vault_peer(&v, a, &p) != 0 ||
	    load_question(&v, &p, a->question, b, &closed) != 0)
		goto out;
	if (!closed) {
		refuse("la question n'est pas close (ou déjà dépouillée)",
		    "the question is not closed (or already counted)");
		goto out;
	}
	snprintf(path, sizeof path, "/questions/%s/ballots", b->q.qid);
	if (tr_get_json(&p, path, &box) != 0 ||
	    verify_ballots(b, json_object_get(box, "ballots")) != 0)
		goto out;
	if (b->count == 0) {
		refuse("urne vide : il n'y a rien à déchiffrer",
		    "empty box: there is nothing to decrypt");
		goto out;
	}
	if (tr_hex_field(v.s, "serverKey", skey, 32) != 0 ||
	    bind_totals(b, json_object_get(box, "closed"), v.meeting, skey) != 0)
		goto out;
	released_digest(b, digest);
	before = json_string_value(json_object_get(json_object_get(v.s,
	    "releasedSet"), b->q.qid));
	if (before != NULL && strcmp(before, digest) != 0) {
		refuse("une part a déjà été publiée pour d'autres totaux de cette "
		    "question", "a share was already released for other totals of "
		    "this question");
		goto out;
	}
	if (hex_encode(hh, sizeof hh, b->head, 32) != 0)
		abort();
	printf("%s : %llu bulletins vérifiés ; empreinte de l'enregistrement à "
	    "comparer : %.16s\n(%s: %llu ballots verified; record head to "
	    "compare: %.16s)\n", b->q.qid, (unsigned long long)b->count, hh,
	    b->q.qid, (unsigned long long)b->count, hh);
	if (b->count < RELEASE_WARN_BELOW && !a->yes) {
		refuse("moins de 3 bulletins : le résultat montrerait le choix de "
		    "chaque votant. Relancez avec --yes pour publier quand même",
		    "fewer than 3 ballots: the result would show each voter's "
		    "choice. Run again with --yes to release all the same");
		rc = TR_CONFIRM;
		goto out;
	}
	/* Remembered before the shares leave: whatever becomes of the
	 * request, no other totals will be released for this question. */
	if (remember(&v, "releasedSet", b->q.qid, json_string(digest)) != 0 ||
	    post_shares(&v, &p, b) != 0)
		goto out;
	rc = remember(&v, "released", b->q.qid, json_true()) == 0 ? TR_OK : TR_FAIL;
out:
	json_decref(box);
	tr_vault_close(&v);
	free(b);
	return rc;
}

/*
 * verify_ballot.c — ballots. A secret ballot (ciphertexts, proofs and a
 * signature) is checked on a worker by crypto/ballot_verify_acc, and
 * diagnosed there when it fails; an open ballot (show of hands) is the
 * signed open-ballot statement, rebuilt and compared here byte for byte.
 * Here too: no ciphertext opened by an audit (verify_audited.c), the
 * receipt, the voice and signer credentials, the proxy the
 * statutes accepted at the opening, which ballot of a member counts, and
 * the voter's lookups (receipt, credential).
 *
 * Trusts crypto/ (ballot_*). Invariants: a receipt is seen once; one
 * counted ballot per member and question, the last one when re-voting is
 * allowed (a superseded ballot's ciphertexts go to q->neg); the
 * credential lookup's lines go to o->report, the caller's stream.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/verify_int.h"
#include "ballot-formats/profile.h"
#include "common/xmalloc.h"
#include "crypto/hex.h"

static const struct noun N_BALLOT = { "bulletin", "ballot" };

/* Why a secret ballot failed ballot_verify_acc (rc): the first check
 * that fails, redone step by step, reported at the ballot's event. */
static void
ballot_diagnose(V *v, const struct job *j, int rc)
{
	const struct question *q = j->q;
	ballot_parsed p;
	int b;

	if (ballot_body_parse(&p, j->data, j->len) != 0) {
		FAILN(v, j->seq, 0, &N_BALLOT, "corps mal formé",
		    "body malformed");
		return;
	}
	if (memcmp(p.eid, v->eid, 32) != 0 || p.qid_len != q->qid_len ||
	    memcmp(p.qid, q->qid, q->qid_len) != 0 || p.e != q->bq.e ||
	    p.overall_len != 64u * (q->bq.hi - q->bq.lo + 1)) {
		FAILN(v, j->seq, 0, &N_BALLOT,
		    "ne correspond pas à la question (élection, question ou nombre de choix)",
		    "does not match the question (election, question or choice count)");
		return;
	}
	if (credential_verify(p.signer_pk, j->sig, j->data, j->len) != 0) {
		FAILN(v, j->seq, 0, &N_BALLOT, "signature invalide",
		    "signature invalid");
		return;
	}
	if ((b = audit_ballot_proofs(&q->bq, v->eid, v->y, &p)) > 0) {
		FAILN(v, j->seq, 0, &N_BALLOT,
		    "preuve d'appartenance %d invalide",
		    "membership proof %d invalid", b);
		return;
	}
	if (b < 0) {
		FAILN(v, j->seq, 0, &N_BALLOT, "preuve globale invalide",
		    "overall proof invalid");
		return;
	}
	FAILN(v, j->seq, 0, &N_BALLOT, "bulletin invalide (%s)",
	    "ballot invalid (%s)", scrutin_strerror(rc));
}

/* A secret ballot's job, on worker w: its signature and proofs and, on
 * success only, this worker's sums += C_i from the points the
 * verification decoded (no second decoding); a failure is diagnosed. */
void
verify_ballot_job(V *v, unsigned w, const struct job *j)
{
	struct question *q = j->q;
	ballot_parsed p;
	int rc;

	rc = ballot_verify_acc(&p, &q->bq, v->eid, v->y, j->data, j->len,
	    j->sig, &q->acc[(size_t)w * q->bq.e]);
	if (rc != 0)
		ballot_diagnose(v, j, rc);
}

void
verify_ballot_batch(V *v, unsigned w, struct job *const *js, size_t n,
    uint64_t *batched)
{
	ballot_batch_item it[TAKE];
	tally_acc *sums[TAKE];
	int rc[TAKE];
	uint8_t via[TAKE];

	if (n == 0)
		return;
	for (size_t i = 0; i < n; i++) {
		it[i] = (ballot_batch_item){ .q = &js[i]->q->bq, .eid = v->eid,
		    .y = v->y, .body = js[i]->data, .len = js[i]->len,
		    .sig = js[i]->sig, .hints = js[i]->data + js[i]->len,
		    .hints_len = js[i]->hlen };
		/* On success only, this worker's sums += C_i from the
		 * points the verification decoded. */
		sums[i] = &js[i]->q->acc[(size_t)w * js[i]->q->bq.e];
	}
	if (ballot_verify_batch_acc(it, n, rc, via, sums) != 0)
		for (size_t i = 0; i < n; i++)
			rc[i] = SCRUTIN_ERR_ARGUMENT;
	for (size_t i = 0; i < n; i++) {
		if (rc[i] != 0)
			ballot_diagnose(v, js[i], rc[i]);
		else if (via[i])
			(*batched)++;
	}
}

/* An open ballot's body (docs/record.md §6): exactly the statement
 * T("open-ballot", meeting_id, qid, K_voice, K_signer, LE64 n, S), S n
 * bytes, and in a scrutin/2 record the question digest after S
 * (protocol §5.7). OUT voice, signer, sel[n]. -1 when the bytes are not
 * that statement for this meeting, question and n (rebuilt and compared
 * byte for byte: no other encoding is accepted). */
static int
open_ballot_parse(const V *v, const struct question *q, const uint8_t *b,
    size_t len, uint8_t voice[32], uint8_t signer[32], uint8_t *sel)
{
	audit_stmt st;
	size_t off, tail = q->bq.has_digest ? 4 + 32 : 0;

	audit_stmt_begin(&st, "open-ballot");
	audit_stmt_str(&st, v->meeting_id);
	audit_stmt_field(&st, q->qid, q->qid_len);
	/* Then frame(K_voice) frame(K_signer) frame(LE64 n) frame(S), each
	 * frame a 4-byte length and the bytes (protocol §2). */
	off = audit_stmt_len(&st);
	if (off == 0 || len != off + 4 + 32 + 4 + 32 + 4 + 8 + 4 + q->n + tail)
		return -1;
	memcpy(voice, b + off + 4, 32);
	memcpy(signer, b + off + 4 + 32 + 4, 32);
	memcpy(sel, b + len - tail - q->n, q->n);
	audit_stmt_field(&st, voice, 32);
	audit_stmt_field(&st, signer, 32);
	audit_stmt_u64(&st, q->n);
	audit_stmt_field(&st, sel, q->n);
	if (q->bq.has_digest)
		audit_stmt_field(&st, q->bq.digest, 32);
	return audit_stmt_len(&st) == len && memcmp(st.buf, b, len) == 0 ?
	    0 : -1;
}

/* An open ballot's body: the open-ballot statement (open_ballot_parse)
 * whose selection has each choice 0 or 1, between min and max chosen.
 * OUT voice, signer, sel[q->n]. */
static int
ballot_open_check(V *v, const struct question *q, const struct job *j,
    uint8_t voice[32], uint8_t signer[32], uint8_t *sel)
{
	uint32_t picked = 0;

	if (open_ballot_parse(v, q, j->data, j->len, voice, signer,
	    sel) != 0) {
		FAIL(v, "vote à main levée mal formé : pas la déclaration open-ballot de cette réunion, question (et son contenu) et nombre de choix",
		    "open ballot malformed: not the open-ballot statement of this meeting, question (and its content) and choice count");
		return -1;
	}
	for (size_t i = 0; i < q->n; i++) {
		if (sel[i] > 1)
			picked = UINT32_MAX;
		else if (picked != UINT32_MAX)
			picked += sel[i];
	}
	if (picked < q->bq.min || picked > q->bq.max) {
		FAIL(v, "sélection du vote à main levée invalide (chaque choix 0 ou 1, entre min et max choisis)",
		    "open ballot selection invalid (each choice 0 or 1, between min and max chosen)");
		return -1;
	}
	return 0;
}

/* The signer member sm votes for the voice member vm: a proxy from vm to
 * sm — or one the president redistributed to sm (APROGEMERE II,
 * verify_redistribute.c), or one the statutes engine reassigned to sm at
 * random, its holder absent (Espace+ 4, verify_draw.c) — in force at q's
 * opening and accepted there by the statutes. */
static int
ballot_proxy_check(V *v, const struct question *q, uint32_t vm, uint32_t sm)
{
	const struct audit_proxy *px;
	size_t k = 0;
	bool drawn;

	/* The fallback holder a mail-in voter named (verify_mailin.c), on a
	 * motion added on the day, as the engine decided at its opening. */
	if (v->mv[vm].by_mail && v->mv[vm].fallback == (int64_t)sm &&
	    v->mv[vm].proxy_to < 0) {
		if (q->fallback_ok != NULL && q->fallback_ok[vm])
			return 0;
		FAIL(v, "procuration de repli non retenue par le moteur des statuts sur cette question",
		    "fallback proxy not accepted by the statutes engine on this question");
		return -1;
	}

	/* The holder named, the member the president redistributed the
	 * proxy to (verify_redistribute.c), or the member the engine's draw
	 * gave it to at the opening (verify_draw.c). */
	px = verify_question_proxy(q, vm, &k);
	drawn = px != NULL && px->holder != sm && q->pxs[k].accepted &&
	    q->pxs[k].holder == sm;
	if (v->mv[vm].proxy_to != (int64_t)sm && !drawn &&
	    (v->mv[vm].proxy_to < 0 || v->mv[vm].redist_to != (int64_t)sm)) {
		FAIL(v, "pas de procuration de la voix au signataire",
		    "no proxy from the voice to the signer");
		return -1;
	}
	/* The statutes decide which proxies count: the engine's standing
	 * at the question's opening. */
	if (px == NULL || (px->holder != sm && !(px->redistributed &&
	    px->redist_to == sm) && !(drawn &&
	    (int64_t)px->holder == v->mv[vm].proxy_to))) {
		FAIL(v, "procuration non en vigueur à l'ouverture de la question",
		    "proxy not in force at the question's opening");
		return -1;
	}
	if (!q->pxs[k].accepted || q->pxs[k].holder != sm) {
		FAIL(v, "procuration refusée par le moteur des statuts (%s)",
		    "proxy refused by the statutes engine (%s)",
		    q->pxs[k].accepted ? "reassigned" : q->pxs[k].reason);
		return -1;
	}
	return 0;
}

/* The slot of the voice member vm's counted ballot: a new one, or, when
 * the question allows re-voting, the one of the ballot it supersedes
 * (whose ciphertexts go to q->neg). OUT *slot. */
int
verify_ballot_slot(V *v, struct question *q, uint32_t vm, uint32_t *slot)
{
	/* One voice per member: a reissued credential is the same voice. */
	if ((*slot = q->slot_of[vm]) != 0) {
		(*slot)--;
		if (!q->revote) {
			FAIL(v, "second bulletin pour la même voix (premier à l'événement %llu), revote non permis",
			    "second ballot for the same voice (first at seq %llu); re-voting not allowed",
			    (unsigned long long)q->slot_seq[*slot]);
			return -1;
		}
		for (uint32_t i = 0; q->secret && i < q->bq.e; i++) {
			uint8_t *old = q->slot_ct +
			    ((size_t)*slot * q->bq.e + i) * 64;
			if (tally_acc_sub(&q->neg[i], old) != 0) {
				FAIL(v, "chiffré invalide", "invalid ciphertext");
				return -1;
			}
		}
		return 0;
	}
	if (q->nslots == q->capslots) {
		q->capslots = q->capslots ? 2 * q->capslots : 1024;
		q->slot_seq = xreallocarray(q->slot_seq, q->capslots,
		    sizeof *q->slot_seq);
		if (q->secret)
			q->slot_ct = xreallocarray(q->slot_ct, q->capslots,
			    (size_t)q->bq.e * 64);
		else
			q->slot_sel = xreallocarray(q->slot_sel, q->capslots,
			    q->n);
	}
	*slot = (uint32_t)q->nslots++;
	q->slot_of[vm] = *slot + 1;
	return 0;
}

/* Keeps the counted ballot in its slot: its ciphertexts (secret, from
 * bp) or its selection (open, sel). */
static void
ballot_keep(V *v, struct question *q, uint32_t slot, const ballot_parsed *bp,
    const uint8_t *sel)
{
	q->slot_seq[slot] = v->seq;
	if (q->secret)
		for (uint32_t i = 1; i <= q->bq.e; i++) {
			/* A ciphertext that does not decode fails in the
			 * worker. */
			ballot_parsed_ciphertext(q->slot_ct +
			    ((size_t)slot * q->bq.e + i - 1) * 64, bp, i);
		}
	else
		memcpy(q->slot_sel + (size_t)slot * q->n, sel, q->n);
	q->seen++;
	v->sum->ballots++;
}

/* The voter's lookups (verify.h): the receipt asked for, and the ballots
 * cast with the credential asked for, each one a line on o->report. */
static void
ballot_lookups(V *v, const struct question *q, const uint8_t rc[32],
    const uint8_t voice[32], const uint8_t signer[32])
{
	if (v->o->want_receipt && memcmp(v->o->receipt, rc, 32) == 0) {
		v->sum->receipt_found = true;
		memcpy(v->sum->receipt_qid, q->qid, q->qid_len + 1);
		v->sum->receipt_seq = v->seq;
	}
	if (v->o->want_credential &&
	    (memcmp(v->o->credential, voice, 32) == 0 ||
	    memcmp(v->o->credential, signer, 32) == 0)) {
		v->sum->credential_hits++;
		if (v->o->report != NULL)
			fprintf(v->o->report, v->o->lang == AUDIT_FR ?
			    "bulletin avec ce justificatif (%s) : question %s, événement %llu\n" :
			    "ballot with this credential (%s): question %s, seq %llu\n",
			    memcmp(v->o->credential, voice, 32) == 0 ?
			    (v->o->lang == AUDIT_FR ? "voix" : "voice") :
			    (v->o->lang == AUDIT_FR ? "signataire" : "signer"),
			    q->qid, (unsigned long long)v->seq);
	}
}

static int ballot_proven_sum(V *v, struct question *q,
    const ballot_parsed *bp);

/* A ballot on q whose fields are read: j holds the body (decoded), its
 * sig and seq; want the recorded receipt. Takes j (queued or freed). A
 * secret ballot's proofs and signature go to a worker as a ballot job
 * (unless the writer proved them, ballots_proven); an open ballot's
 * signature as a signature job over its body. */

int
verify_ballot_core(V *v, struct question *q, struct job *j,
    const uint8_t want[32])
{
	uint8_t rc[32], voice[32], signer[32], sel[BALLOT_CHOICES_MAX];
	ballot_parsed bp;
	int64_t vi, si;
	uint32_t slot, prev, vm, sm;

	if (q->secret) {
		if (ballot_body_parse(&bp, j->data, j->len) != 0) {
			FAIL(v, "corps mal formé", "body malformed");
			goto fail;
		}
		memcpy(voice, bp.voice_pk, 32);
		memcpy(signer, bp.signer_pk, 32);
		if (verify_audited_cast(v, &bp) != 0)
			goto fail;
	} else if (ballot_open_check(v, q, j, voice, signer, sel) != 0)
		goto fail;
	ballot_receipt(rc, j->data, j->len, j->sig);
	if (memcmp(rc, want, 32) != 0) {
		FAIL(v, "le reçu ne correspond pas", "receipt does not match");
		goto fail;
	}
	if (audit_htab_get(&v->receipts, rc, &prev)) {
		FAIL(v, "bulletin en double (même reçu à l'événement %u)",
		    "duplicate ballot (same receipt at seq %u)", prev);
		goto fail;
	}
	audit_htab_put(&v->receipts, rc, (uint32_t)v->seq);
	if ((vi = verify_cred_active(v, voice, "voix", "voice")) < 0 ||
	    (si = verify_cred_active(v, signer, "signataire", "signer")) < 0)
		goto fail;
	vm = v->cv[vi].member;
	sm = v->cv[si].member;
	/* A mail-in ballot (verify_mailin.c): the voice's own, one per
	 * voice and question. A room ballot of a voice whose mail-in
	 * ballot the question counts is refused. */
	if (q->published && (vm != sm || q->slot_of[vm] != 0)) {
		if (vm != sm)
			FAIL(v, "bulletin par correspondance non signé par sa voix",
			    "mail-in ballot not signed by its voice");
		else
			FAIL(v, "second bulletin par correspondance pour la même voix (premier à l'événement %llu)",
			    "second mail-in ballot for the same voice (first at seq %llu)",
			    (unsigned long long)q->slot_seq[q->slot_of[vm] - 1]);
		goto fail;
	}
	if (q->published) {
		const struct pr_mail_in *mr =
		    audit_statutes_mail_rules(v->statutes);
		if (mr != NULL && mr->fallback_proxy &&
		    v->mv[vm].fallback < 0) {
			FAIL(v, "bulletin par correspondance avant la désignation du mandataire de repli (art. %s)",
			    "mail-in ballot before the fallback holder is named (art. %s)",
			    mr->src.article);
			goto fail;
		}
		v->mv[vm].by_mail = true;
	}
	if (q->by_mail != NULL && q->by_mail[vm]) {
		FAIL(v, "bulletin d'une voix qui a voté par correspondance",
		    "ballot of a voice that voted by mail");
		goto fail;
	}
	if ((vm != sm && ballot_proxy_check(v, q, vm, sm) != 0) ||
	    verify_recused_ballot(v, q, vm, sm) != 0)
		goto fail;
	if (q->secret && bp.e != q->bq.e) {
		FAIL(v, "ne correspond pas à la question (élection, question ou nombre de choix)",
		    "does not match the question (election, question or choice count)");
		goto fail;
	}
	if (verify_ballot_slot(v, q, vm, &slot) != 0)
		goto fail;
	ballot_keep(v, q, slot, &bp, sel);
	ballot_lookups(v, q, rc, voice, signer);
	if (q->secret && v->o->ballots_proven && v->inline_jobs) {
		/* Verified by the writer when it accepted the ballot
		 * (verify.h): what the job would add to the sums, without
		 * the signature and the proofs. */
		int rc_sum = ballot_proven_sum(v, q, &bp);	/* bp is in j */
		free(j);
		return rc_sum;
	}
	if (!q->secret) {
		/* The body is the signed statement itself. */
		j->kind = JOB_SIG;
		memcpy(j->pk, signer, 32);
		snprintf(j->fr, sizeof j->fr, "signature invalide");
		snprintf(j->en, sizeof j->en, "signature invalid");
		v->rank = 1;
	}
	j->q = q;
	verify_job_submit(v, j);
	return 0;
fail:
	free(j);
	return -1;
}

/* A proven secret ballot (ballots_proven): its ciphertexts into the
 * reader's sums, decoded here; what ballot_diagnose would say of a ballot
 * for another election or question, or of a ciphertext that is not two
 * canonical points. */
static int
ballot_proven_sum(V *v, struct question *q, const ballot_parsed *bp)
{
	uint8_t ct[64];

	if (memcmp(bp->eid, v->eid, 32) != 0 || bp->qid_len != q->qid_len ||
	    memcmp(bp->qid, q->qid, q->qid_len) != 0 ||
	    bp->overall_len != 64u * (q->bq.hi - q->bq.lo + 1)) {
		FAIL(v, "ne correspond pas à la question (élection, question ou nombre de choix)",
		    "does not match the question (election, question or choice count)");
		return -1;
	}
	for (uint32_t i = 1; i <= bp->e; i++) {
		ballot_parsed_ciphertext(ct, bp, i);
		if (tally_acc_add(&q->acc[i - 1], ct) != 0) {
			FAIL(v, "chiffré %u invalide", "ciphertext %u invalid",
			    i);
			return -1;
		}
	}
	return 0;
}

/* The bytes of a ballot's hints the verifier will use, given the length
 * of the record's `hints` string (0: none): all of them when the question
 * is secret and the string has exactly the hex digits of its hints,
 * otherwise none — hints are never trusted (docs/record.md §6): a
 * missing or malformed one only sends the ballot to the one-by-one
 * check. */
static size_t
ballot_hints_want(const struct question *q, size_t hex_len)
{
	size_t want = q->secret ? ballot_hints_size(&q->bq) : 0;

	return want != 0 && hex_len == 2 * want ? want : 0;
}

/* j's hints (hn bytes from hx, after the body); none when the digits do
 * not decode. */
static void
ballot_hints_take(struct job *j, size_t hn, const char *hx)
{
	j->hlen = hn != 0 && hex_decode(j->data + j->len, hn, hx, 2 * hn) == 0 ?
	    hn : 0;
}

int
verify_ev_ballot(V *v, const json_t *p)
{
	struct question *q;

	if (KEYS(v, p, "qid", "body", "sig", "receipt", "?hints") ||
	    (q = verify_question_get(v, p, 0)) == NULL)
		return -1;
	return verify_ballot_payload(v, q, p);
}

int
verify_ballot_payload(V *v, struct question *q, const json_t *p)
{
	const json_t *b = json_object_get(p, "body");
	const json_t *h = json_object_get(p, "hints");
	uint8_t want[32];
	size_t n, hn;
	struct job *j;

	if (!json_is_string(b) || (n = json_string_length(b)) % 2 != 0 ||
	    n / 2 > BALLOT_BODY_MAX)
		return bad_field(v, "body");
	if (h != NULL && !json_is_string(h))
		return bad_field(v, "hints");
	hn = ballot_hints_want(q, h != NULL ? json_string_length(h) : 0);
	j = verify_job_new(v, JOB_BALLOT, n / 2 + hn);
	j->len = n / 2;
	if (hex_decode(j->data, n / 2, json_string_value(b), n) != 0) {
		free(j);
		return bad_field(v, "body");
	}
	ballot_hints_take(j, hn, hn ? json_string_value(h) : NULL);
	if (hexf(v, p, "sig", j->sig, 64) || hexf(v, p, "receipt", want, 32)) {
		free(j);
		return -1;
	}
	return verify_ballot_core(v, q, j, want);
}

/* The fast path of a ballot: NOT_FLAT (nothing done, nothing reported)
 * unless every field is exactly as the strict path would accept it. */
int
verify_flat_ballot(V *v, const audit_flat_event *fe)
{
	const audit_flat_field *qf = audit_flat_get(fe, "qid");
	const audit_flat_field *bf = audit_flat_get(fe, "body");
	const audit_flat_field *hf = audit_flat_get(fe, "hints");
	char qid[AUDIT_QID_MAX + 1];
	uint8_t sig[64], want[32];
	struct question *q;
	struct job *j;
	size_t hn;

	if (fe->n != 4 + (hf != NULL) || qf == NULL ||
	    qf->type != AUDIT_FLAT_STR ||
	    qf->vlen == 0 || qf->vlen > AUDIT_QID_MAX || bf == NULL ||
	    bf->type != AUDIT_FLAT_STR ||
	    bf->vlen % 2 != 0 || bf->vlen / 2 > BALLOT_BODY_MAX ||
	    (hf != NULL && hf->type != AUDIT_FLAT_STR) ||
	    !verify_flat_hex(fe, "sig", sig, 64) ||
	    !verify_flat_hex(fe, "receipt", want, 32))
		return NOT_FLAT;
	memcpy(qid, qf->val, qf->vlen);
	qid[qf->vlen] = '\0';
	if ((q = verify_question_lookup(v, qid, 0)) == NULL)
		return -1;
	hn = ballot_hints_want(q, hf != NULL ? hf->vlen : 0);
	j = verify_job_new(v, JOB_BALLOT, bf->vlen / 2 + hn);
	j->len = bf->vlen / 2;
	if (hex_decode(j->data, bf->vlen / 2, bf->val, bf->vlen) != 0) {
		free(j);
		return NOT_FLAT;
	}
	ballot_hints_take(j, hn, hn ? hf->val : NULL);
	memcpy(j->sig, sig, 64);
	return verify_ballot_core(v, q, j, want);
}

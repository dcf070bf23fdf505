/*
 * verify.c — the verifier of docs/record.md §7.
 *
 * One thread reads the record line by line, checks the chain, parses and
 * checks every event in order against the state built so far (meeting,
 * ceremony, roll, attendance, proxies, questions), and hands the
 * expensive checks to a pool of worker threads: each ballot (signature
 * and proofs, crypto/ballot_verify_acc, which also adds its ciphertexts
 * to the worker's partial sums from the points it decoded) and every
 * Ed25519 signature of the record
 * (check-ins, check-outs, proxies, trustees' statements, checkpoints).
 * Jobs are handed over in batches, so the reader takes the queue's lock
 * once per batch. At each close the reader waits for the workers, then
 * compares the sums. Which ballot counts (the last one per member when
 * the question allows re-voting) is decided by the reader in record
 * order; a superseded ballot's ciphertexts are subtracted from the sums.
 * An open question's ballot (show of hands) is its signed open-ballot
 * statement: the reader checks it byte for byte and keeps its
 * selection, a worker checks its signature, and the close recounts the
 * selections instead of summing ciphertexts.
 *
 * Ballot, check-in, check-out and credential lines, nearly all of a
 * large record, take a fast path (record.h audit_event_parse_flat: no
 * allocation, hex decoded straight into the job); any other line, or one
 * the fast path does not recognise, goes through jansson.
 *
 * Every failure carries the seq of its event and a rank within it (a
 * deferred signature ranks before the checks the reader makes after
 * it, which is the order of docs/record.md §7); the reported failure is
 * the smallest (seq, rank), so the message names the first bad event
 * and check whatever the threads' timing. A record verifies only when no
 * check failed, every question has a result and the last event is a
 * checkpoint signed by the server key of the meeting event.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "audit/log.h"
#include "audit/outcome.h"
#include "audit/record.h"
#include "audit/stmt.h"
#include "audit/verify.h"
#include "audit/verify_int.h"
#include "crypto/scrutin_crypto.h"
#include "common/xmalloc.h"
#include "crypto/hex.h"

static const struct noun N_RECORD = { "enregistrement", "record" };

/* --- failures --------------------------------------------------------- */

void
verify_fail_set(V *v, uint64_t seq, unsigned rank, const struct noun *noun,
    const char *fr, const char *en)
{
	pthread_mutex_lock(&v->fail_mu);
	if (!v->fail->failed || seq < v->fail->seq ||
	    (seq == v->fail->seq && rank < v->fail_rank)) {
		v->fail->failed = true;
		v->fail->seq = seq;
		v->fail_rank = rank;
		if (seq == UINT64_MAX) {
			snprintf(v->fail->fr, sizeof v->fail->fr, "%s : %s",
			    noun->fr, fr);
			snprintf(v->fail->en, sizeof v->fail->en, "%s: %s",
			    noun->en, en);
		} else {
			snprintf(v->fail->fr, sizeof v->fail->fr,
			    "%s à l'événement %llu : %s", noun->fr,
			    (unsigned long long)seq, fr);
			snprintf(v->fail->en, sizeof v->fail->en,
			    "%s at seq %llu: %s", noun->en,
			    (unsigned long long)seq, en);
		}
	}
	pthread_mutex_unlock(&v->fail_mu);
}

bool
verify_failed_before(V *v, uint64_t seq)
{
	bool r;

	pthread_mutex_lock(&v->fail_mu);
	r = v->fail->failed && v->fail->seq < seq;
	pthread_mutex_unlock(&v->fail_mu);
	return r;
}

/* --- event handlers ---------------------------------------------------- */

static int
ev_meeting(V *v, const json_t *p)
{
	const char *s, *title, *date, *body, *text, *pid;
	const json_t *prof = json_object_get(p, "profile");
	uint8_t h[32], want[32];
	size_t tlen;
	char err[256];

	if (order(v, v->seq == 0, "l'événement de réunion doit être le premier", "the meeting event must be first") ||
	    KEYS(v, p, "format", "meeting_id", "title", "date", "body",
	    "server_pk", "profile", "?quorum") ||
	    strf(v, p, "format", 32, &s))
		return -1;
	if (strcmp(s, "scrutin-record/1") != 0)
		return bad_field(v, "format");
	if (strf(v, p, "meeting_id", AUDIT_MEETING_ID_MAX, &s) ||
	    strf(v, p, "title", 512, &title) ||
	    strf(v, p, "date", 10, &date) ||
	    strf(v, p, "body", 48, &body) ||
	    hexf(v, p, "server_pk", v->server_pk, 32))
		return -1;
	if (strlen(date) != 10)
		return bad_field(v, "date");
	if (KEYS(v, prof, "id", "sha256", "text") ||
	    strf(v, prof, "id", 48, &pid) ||
	    hexf(v, prof, "sha256", want, 32) ||
	    audit_json_str(prof, "text", 1u << 20, &text, &tlen) != 0)
		return -1;
	crypto_hash_sha256(h, (const uint8_t *)text, tlen);
	if (memcmp(h, want, 32) != 0) {
		FAIL(v, "l'empreinte du profil des statuts ne correspond pas à son texte",
		    "statutes profile hash does not match its text");
		return -1;
	}
	if (audit_statutes_load(&v->statutes, text, tlen, pid, body, err,
	    sizeof err) != 0) {
		FAIL(v, "le profil des statuts ne se charge pas : %s",
		    "statutes profile does not load: %s", err);
		return -1;
	}
	/* The meeting's own quorum, when the profile leaves it to the
	 * meeting (the engine refuses it otherwise, at the first count). */
	if (json_object_get(p, "quorum") != NULL &&
	    audit_statutes_set_quorum(v->statutes, json_object_get(p,
	        "quorum"), err, sizeof err) != 0) {
		FAIL(v, "quorum de la réunion invalide : %s",
		    "invalid meeting quorum: %s", err);
		return -1;
	}
	memcpy(v->meeting_id, s, strlen(s) + 1);
	memcpy(v->sum->meeting_id, s, strlen(s) + 1);
	v->sum->title = xstrdup(title);
	memcpy(v->sum->date, date, 11);
	memcpy(v->sum->body, body, strlen(body) + 1);
	memcpy(v->sum->profile_id, pid, strlen(pid) + 1);
	memcpy(v->sum->profile_sha256, h, 32);
	v->have_meeting = true;
	return 0;
}

bool
verify_alt_settled(V *v, const char *g)
{
	for (size_t i = 0; i < v->nalt; i++)
		if (strcmp(v->alt_done[i], g) == 0)
			return true;
	return false;
}

/* alternatives.result: the outcome of a group of alternative motions.
 * qids must be exactly the motions the record opened with this group,
 * in record order, each with its verified result; the engine's
 * alternatives rule of the body over their outcomes (adopted or not)
 * and pour counts must give the recorded outcome and winner. Once
 * settled, no motion joins the group. */
int
verify_ev_alternatives(V *v, const json_t *p)
{
	const json_t *qa = json_object_get(p, "qids"), *wj;
	const char *g, *outcome;
	struct question *qs[64];
	bool adopted[64];
	uint64_t pour[64];
	size_t n = 0, w, k;
	char code[40], err[200];

	if (KEYS(v, p, "group", "qids", "outcome", "winner") ||
	    strf(v, p, "group", 64, &g) ||
	    strf(v, p, "outcome", 39, &outcome))
		return -1;
	if (verify_alt_settled(v, g)) {
		FAIL(v, "motions alternatives %s tranchées deux fois",
		    "alternative motions %s settled twice", g);
		return -1;
	}
	if (!json_is_array(qa) || json_array_size(qa) == 0 ||
	    json_array_size(qa) > 64)
		return bad_field(v, "qids");
	for (size_t i = 0; i < v->nq; i++) {
		struct question *q = v->qs[i];
		if (q->alt_group == NULL || strcmp(q->alt_group, g) != 0)
			continue;
		if (n >= json_array_size(qa) ||
		    strcmp(json_string_value(json_array_get(qa, n)) ?
		        json_string_value(json_array_get(qa, n)) : "",
		        q->qid) != 0) {
			FAIL(v, "motions alternatives %s : la liste ne correspond pas aux motions du groupe",
			    "alternative motions %s: the list is not the group's motions",
			    g);
			return -1;
		}
		if (q->state != 2) {
			FAIL(v, "motions alternatives %s : la question %s n'a pas de résultat",
			    "alternative motions %s: question %s has no result",
			    g, q->qid);
			return -1;
		}
		qs[n] = q;
		adopted[n] = strcmp(q->outcome, "adopted") == 0;
		pour[n] = q->counts[0];
		n++;
	}
	if (n != json_array_size(qa)) {
		FAIL(v, "motions alternatives %s : la liste ne correspond pas aux motions du groupe",
		    "alternative motions %s: the list is not the group's motions",
		    g);
		return -1;
	}
	if (audit_alternatives_pick(v->statutes, adopted, pour, n, code, &w,
	    err, sizeof err) != 0) {
		FAIL(v, "motions alternatives %s : le moteur des statuts refuse : %s",
		    "alternative motions %s: the statutes engine refuses: %s",
		    g, err);
		return -1;
	}
	wj = json_object_get(p, "winner");
	if (strcmp(code, outcome) != 0 ||
	    (w < n ? !json_is_string(wj) ||
	        strcmp(json_string_value(wj), qs[w]->qid) != 0 :
	        !json_is_null(wj))) {
		FAIL(v, "motions alternatives %s : issue enregistrée %s (%s), recalculée %s (%s)",
		    "alternative motions %s: outcome %s (%s) recorded, %s (%s) recomputed",
		    g, outcome, json_is_string(wj) ? json_string_value(wj) :
		    "-", code, w < n ? qs[w]->qid : "-");
		return -1;
	}
	{
		struct audit_alt_summary *as;
		v->sum->alternatives = xreallocarray(v->sum->alternatives,
		    v->sum->n_alternatives + 1, sizeof *v->sum->alternatives);
		as = &v->sum->alternatives[v->sum->n_alternatives++];
		memset(as, 0, sizeof *as);
		memcpy(as->group, g, strlen(g) + 1);
		memcpy(as->outcome, code, sizeof as->outcome);
		if (w < n)
			memcpy(as->winner, qs[w]->qid, qs[w]->qid_len + 1);
	}
	k = v->nalt;
	v->alt_done = xreallocarray(v->alt_done, k + 1, sizeof *v->alt_done);
	v->alt_done[k] = xstrdup(g);
	v->nalt = k + 1;
	return 0;
}

struct sort_key {
	uint64_t key;
	uint32_t idx;
};

static int
cmp_key(const void *a, const void *b)
{
	uint64_t x = ((const struct sort_key *)a)->key;
	uint64_t y = ((const struct sort_key *)b)->key;

	return x < y ? -1 : x > y;
}

/* The facts at the opening (attendance, proxies in force in the order
 * they were given) and the statutes engine's standing of each proxy and
 * quorum sentence. */
int
verify_question_standing(V *v, struct question *q)
{
	struct sort_key *gv;
	size_t ng = 0;
	char err[256];

	q->snap = xcalloc(v->nmem, sizeof *q->snap);
	q->nsnap = v->nmem;
	gv = xcalloc(v->nmem, sizeof *gv);
	for (size_t i = 0; i < v->nmem; i++) {
		struct member *m = &v->mv[i];
		memcpy(q->snap[i].id, m->id, 17);
		q->snap[i].category = m->category;
		q->snap[i].dues_paid = m->dues;
		q->snap[i].presence = m->presence;
		q->present += m->presence == AUDIT_PRESENT;
		q->remote += m->presence == AUDIT_REMOTE;
		if (m->proxy_to >= 0) {
			gv[ng].key = m->proxy_seq;
			gv[ng++].idx = (uint32_t)i;
		}
	}
	qsort(gv, ng, sizeof *gv, cmp_key);
	q->npx = ng;
	q->px = xcalloc(ng, sizeof *q->px);
	q->pxs = xcalloc(ng, sizeof *q->pxs);
	q->px_by_giver = xcalloc(ng, sizeof *q->px_by_giver);
	for (size_t k = 0; k < ng; k++) {
		const struct member *m = &v->mv[gv[k].idx];
		q->px[k].giver = gv[k].idx;
		q->px[k].holder = (uint32_t)m->proxy_to;
		q->px[k].ts = m->proxy_ts;
	}
	/* px_by_giver[k]: the index in px of the k-th giver by member. */
	for (size_t k = 0; k < ng; k++) {
		gv[k].key = q->px[k].giver;
		gv[k].idx = (uint32_t)k;
	}
	qsort(gv, ng, sizeof *gv, cmp_key);
	for (size_t k = 0; k < ng; k++)
		q->px_by_giver[k] = gv[k].idx;
	free(gv);
	if (audit_standing_compute(v->statutes, v->sum->date, q->snap,
	    q->nsnap, q->px, q->npx, q->pxs, &q->quorum_fr, &q->quorum_en,
	    err, sizeof err) != 0) {
		FAIL(v, "question %s : le moteur des statuts refuse : %s",
		    "question %s: the statutes engine refuses: %s", q->qid, err);
		return -1;
	}
	return 0;
}

/* The proxy in force at q's opening whose giver is member g, or NULL. */
const struct audit_proxy *
verify_question_proxy(const struct question *q, uint32_t g, size_t *idx)
{
	size_t lo = 0, hi = q->npx;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint32_t k = q->px_by_giver[mid];
		if (q->px[k].giver == g) {
			*idx = k;
			return &q->px[k];
		}
		if (q->px[k].giver < g)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int
verify_ev_result(V *v, const json_t *p)
{
	const json_t *arr = json_object_get(p, "counts");
	struct question *q;
	const char *outcome, *sentence;
	uint64_t m[BALLOT_CHOICES_MAX];
	char code[40], err[256];
	char *fr = NULL, *en = NULL;
	dlog_table *table = NULL;
	int rc = -1;

	const json_t *pb = json_object_get(p, "presided_by");
	uint32_t presided = 0, president = 0;
	const char *plabel = NULL;
	bool has_presided = false, peldest = false, has_president = false;

	if (KEYS(v, p, "qid", "counts", "outcome", "sentence",
	    "?presided_by") ||
	    (q = verify_question_get(v, p, 1)) == NULL ||
	    strf(v, p, "outcome", 39, &outcome) ||
	    strf(v, p, "sentence", 4096, &sentence))
		return -1;
	if (!json_is_array(arr) || json_array_size(arr) != q->n)
		return bad_field(v, "counts");
	if (pb != NULL) {
		/* Who presided (A-IMI 12): {member, label, as}. */
		uint8_t pk[32];
		const char *as;
		uint32_t ci;
		if (!q->election || !json_is_object(pb) ||
		    KEYS(v, pb, "member", "label", "as") ||
		    hexf(v, pb, "member", pk, 32) ||
		    strf(v, pb, "label", CHOICE_LABEL_MAX, &plabel) ||
		    strf(v, pb, "as", 24, &as))
			return bad_field(v, "presided_by");
		if (!audit_htab_get(&v->creds, pk, &ci))
			return bad_field(v, "presided_by.member");
		if (strcmp(as, "eldest") == 0)
			peldest = true;
		else if (strcmp(as, "elected_president") != 0)
			return bad_field(v, "presided_by.as");
		presided = v->cv[ci].member;
		has_presided = true;
	}
	/* The president elected by an earlier president's post of the
	 * same election (the engine presides the other posts by him). */
	for (size_t k = 0; q->election && k < v->nq && !has_president; k++) {
		const struct question *o = v->qs[k];
		if (o != q && o->election && o->president_post &&
		    o->state == 2 && o->elected != UINT32_MAX &&
		    strcmp(o->rule, q->rule) == 0) {
			president = o->elected;
			has_president = true;
		}
	}
	memset(m, 0, sizeof m);
	if (!q->secret)
		memcpy(m, q->recount, q->n * sizeof *m);
	else if (q->counted > 0) {
		size_t ns = 0;
		tally_share sh[TRUSTEES_MAX];
		if ((uint32_t)__builtin_popcount(q->share_mask) < v->tt) {
			FAIL(v, "question %s : trop peu de parts de déchiffrement",
			    "question %s: too few decryption shares", q->qid);
			return -1;
		}
		if (dlog_table_new(&table, q->counted) != 0)
			return bad_field(v, "counted");
		for (uint32_t i = 0; i < q->bq.e; i++) {
			uint32_t bad = 0;
			ns = 0;
			for (uint32_t j = 1; j <= v->tn; j++)
				if (q->share_mask & (1u << (j - 1)))
					sh[ns++] = q->shares[(size_t)(j - 1) *
					    q->bq.e + i];
			if (tally_decrypt(&m[i], &bad, q->totals[i],
			    (const uint8_t (*)[32])v->yj, v->tn, v->tt, v->eid,
			    q->qid, q->qid_len, i + 1, sh, ns, table) != 0) {
				FAIL(v, "question %s : le déchiffrement du choix %u échoue",
				    "question %s: decryption of choice %u fails",
				    q->qid, i + 1);
				goto out;
			}
		}
		if (q->bq.e < q->n &&
		    tally_implicit_count(&m[q->n - 1], q->bq.max, q->counted, m,
		    q->bq.e) != 0) {
			FAIL(v, "question %s : décomptes incohérents",
			    "question %s: inconsistent counts", q->qid);
			goto out;
		}
	}
	for (size_t i = 0; i < q->n; i++) {
		uint64_t rec;
		const json_t *c = json_array_get(arr, i);
		if (!json_is_integer(c) || json_integer_value(c) < 0) {
			bad_field(v, "counts");
			goto out;
		}
		rec = (uint64_t)json_integer_value(c);
		if (rec != m[i]) {
			FAIL(v, "question %s : le décompte du choix %zu est %llu, recalculé %llu",
			    "question %s: count of choice %zu is %llu, recomputed %llu",
			    q->qid, i + 1, (unsigned long long)rec,
			    (unsigned long long)m[i]);
			goto out;
		}
		q->counts[i] = m[i];
	}
	{
		struct audit_question_facts f = {
			.qid = q->qid, .label = q->label, .election = q->election,
			.rule = q->rule, .on_agenda = q->on_agenda,
			.seats = q->seats, .round = q->round, .n = q->n,
			.counts = q->counts,
			.cand_member = q->cand_member,
			.cand_declared = (const char *const *)q->cand_declared,
			.cand_label = (const char *const *)q->choice_labels,
			.blank_last = q->blank_last,
			.ballots = q->counted,
			.has_triggers = q->has_triggers,
			.objection = q->objection,
			.unanimous_show_of_hands = q->unanimous,
			.requested_by = q->requested_by,
			.has_askers = q->has_askers,
			.askers = q->askers,
			.why_fr = &q->why_fr, .why_en = &q->why_en,
			.post = q->post, .president_post = q->president_post,
			.has_presided = has_presided, .presided = presided,
			.presided_label = plabel, .presided_eldest = peldest,
			.has_elected_president = has_president,
			.elected_president = president,
			.elected_out = q->election ? &q->elected : NULL,
		};
		if (audit_outcome_compute(v->statutes, v->sum->date, q->snap,
		    q->nsnap,
		    q->px, q->npx, &f, code, &fr, &en, err, sizeof err) != 0) {
			FAIL(v, "question %s : le moteur des statuts refuse : %s",
			    "question %s: the statutes engine refuses: %s",
			    q->qid, err);
			goto out;
		}
	}
	if (strcmp(code, outcome) != 0) {
		FAIL(v, "question %s : issue enregistrée %s, recalculée %s",
		    "question %s: outcome %s recorded, %s recomputed", q->qid,
		    outcome, code);
		goto out;
	}
	if (strcmp(fr, sentence) != 0) {
		FAIL(v, "question %s : la phrase diffère de celle du moteur des statuts",
		    "question %s: sentence differs from the statutes engine's",
		    q->qid);
		goto out;
	}
	memcpy(q->outcome, code, sizeof code);
	q->fr = fr;
	q->en = en;
	fr = en = NULL;
	q->state = 2;
	free(q->snap);			/* the facts are no longer needed */
	q->snap = NULL;
	rc = 0;
out:
	free(fr);
	free(en);
	dlog_table_free(table);
	return rc;
}

static int
ev_checkpoint(V *v, const json_t *p, const uint8_t prev_hash[32])
{
	uint64_t s;
	uint8_t head[32], sig[64];

	if (order(v, v->have_meeting && v->seq > 0, "point de contrôle avant l'événement de réunion",
	    "checkpoint before the meeting event") ||
	    KEYS(v, p, "seq", "head", "sig") ||
	    u64f(v, p, "seq", (uint64_t)AUDIT_JSON_INT_MAX, &s) ||
	    hexf(v, p, "head", head, 32) || hexf(v, p, "sig", sig, 64))
		return -1;
	if (s != v->seq - 1 || memcmp(head, prev_hash, 32) != 0) {
		FAIL(v, "le point de contrôle ne désigne pas l'événement précédent",
		    "checkpoint does not name the previous event");
		return -1;
	}
	{
		uint8_t msg[AUDIT_CHECKPOINT_MSG_MAX];
		size_t n = audit_checkpoint_message(msg, v->meeting_id, s, head);
		verify_sig_defer(v, v->server_pk, sig, msg, n,
		    "du point de contrôle", "checkpoint");
	}
	return 0;
}

struct kind_entry {
	const char *kind;
	struct noun noun;
};

static const struct kind_entry kinds[] = {
	{ "meeting", { "paramètres de la réunion", "meeting parameters" } },
	{ "ceremony.trustees", { "cérémonie des clés", "key ceremony" } },
	{ "ceremony.commit", { "cérémonie des clés", "key ceremony" } },
	{ "ceremony.reveal", { "cérémonie des clés", "key ceremony" } },
	{ "ceremony.shares", { "cérémonie des clés", "key ceremony" } },
	{ "ceremony.key_share", { "cérémonie des clés", "key ceremony" } },
	{ "ceremony.done", { "cérémonie des clés", "key ceremony" } },
	{ "credential.issued", { "justificatif", "credential" } },
	{ "credential.revoked", { "justificatif", "credential" } },
	{ "credential.reissued", { "justificatif", "credential" } },
	{ "roll.frozen", { "liste électorale", "roll" } },
	{ "checkin", { "émargement", "check-in" } },
	{ "checkout", { "départ", "check-out" } },
	{ "proxy", { "procuration", "proxy" } },
	{ "proxy.withdrawn", { "procuration", "proxy" } },
	{ "question.opened", { "ouverture de question", "question opening" } },
	{ "ballot", { "bulletin", "ballot" } },
	{ "question.closed", { "clôture de question", "question closing" } },
	{ "decryption.share", { "part de déchiffrement", "decryption share" } },
	{ "result", { "résultat", "result" } },
	{ "alternatives.result", { "motions alternatives", "alternative motions" } },
	{ "checkpoint", { "point de contrôle", "checkpoint" } },
};

static const struct noun N_EVENT = { "événement", "event" };

#define K_CRED_ISSUED 7
#define K_CHECKIN 11
#define K_CHECKOUT 12
#define K_BALLOT 16

/* A flat string field of exactly 2·n hex digits: OUT n bytes. */
bool
verify_flat_hex(const audit_flat_event *fe, const char *key, uint8_t *out,
    size_t n)
{
	const audit_flat_field *f = audit_flat_get(fe, key);

	return f != NULL && f->type == AUDIT_FLAT_STR && f->vlen == 2 * n &&
	    hex_decode(out, n, f->val, f->vlen) == 0;
}

static int
flat_dispatch(V *v, const audit_flat_event *fe)
{
	size_t k;

	if (!v->have_meeting)
		return NOT_FLAT;
	if (strcmp(fe->kind, "credential.issued") == 0) {
		v->noun = &kinds[K_CRED_ISSUED].noun;
		return verify_flat_cred_issued(v, fe);
	}
	if (strcmp(fe->kind, "ballot") == 0)
		k = K_BALLOT;
	else if (strcmp(fe->kind, "checkin") == 0)
		k = K_CHECKIN;
	else if (strcmp(fe->kind, "checkout") == 0)
		k = K_CHECKOUT;
	else
		return NOT_FLAT;
	v->noun = &kinds[k].noun;
	return k == K_BALLOT ? verify_flat_ballot(v, fe) :
	    verify_flat_checkin(v, fe, k == K_CHECKIN);
}

static int
dispatch(V *v, const audit_event *ev, const uint8_t prev_hash[32])
{
	const json_t *p = ev->payload;
	size_t k;

	for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
		if (strcmp(kinds[k].kind, ev->kind) == 0)
			break;
	if (k == sizeof kinds / sizeof kinds[0]) {
		v->noun = &N_EVENT;
		FAIL(v, "type d'événement %s inconnu", "unknown event kind %s",
		    ev->kind);
		return -1;
	}
	v->noun = &kinds[k].noun;
	if (k > 0 && !v->have_meeting)
		return order(v, false, "l'événement de réunion doit être le premier", "the meeting event must be first");
	switch (k) {
	case 0: return ev_meeting(v, p);
	case 1: return verify_ev_trustees(v, p);
	case 2: return verify_ev_commit(v, p);
	case 3: return verify_ev_reveal(v, p);
	case 4: return verify_ev_shares(v, p);
	case 5: return verify_ev_key_share(v, p);
	case 6: return verify_ev_ceremony_done(v, p);
	case 7: return verify_ev_cred_issued(v, p);
	case 8: return verify_ev_cred_revoked(v, p);
	case 9: return verify_ev_cred_reissued(v, p);
	case 10: return verify_ev_roll_frozen(v, p);
	case 11: return verify_ev_checkin(v, p, true);
	case 12: return verify_ev_checkin(v, p, false);
	case 13: return verify_ev_proxy(v, p, true);
	case 14: return verify_ev_proxy(v, p, false);
	case 15: return verify_ev_question_opened(v, p);
	case 16: return verify_ev_ballot(v, p);
	case 17: return verify_ev_question_closed(v, p);
	case 18: return verify_ev_decryption(v, p);
	case 19: return verify_ev_result(v, p);
	case 20: return verify_ev_alternatives(v, p);
	default: return ev_checkpoint(v, p, prev_hash);
	}
}

/* --- progress ---------------------------------------------------------- */

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct progress {
	int on, tty;
	uint64_t total;
	double t0, last;
	int last_pct;
};

static void
progress_show(struct progress *pg, V *v, uint64_t done, int final)
{
	double t = now_s();
	int pct;

	if (!pg->on || pg->total == 0)
		return;
	pct = (int)(done * 100 / pg->total);
	if (pg->tty) {
		if (!final && t - pg->last < 0.2)
			return;
		char bar[41];
		int fill = pct * 40 / 100;
		for (int i = 0; i < 40; i++)
			bar[i] = i < fill ? '#' : '.';
		bar[40] = '\0';
		fprintf(stderr, "\r[%s] %3d %%  %llu %s  %.0f s", bar, pct,
		    (unsigned long long)v->sum->ballots,
		    v->o->lang == AUDIT_FR ? "bulletins" : "ballots",
		    t - pg->t0);
		if (final)
			fputc('\n', stderr);
	} else {
		if (!final && pct / 10 == pg->last_pct / 10)
			return;
		fprintf(stderr, "%s %d %% (%llu %s, %.0f s)\n",
		    v->o->lang == AUDIT_FR ? "vérification" : "verifying", pct,
		    (unsigned long long)v->sum->ballots,
		    v->o->lang == AUDIT_FR ? "bulletins" : "ballots",
		    t - pg->t0);
		pg->last_pct = pct;
	}
	pg->last = t;
	fflush(stderr);
}

/* --- driver ------------------------------------------------------------ */

void
audit_summary_free(audit_summary *s)
{
	if (s == NULL)
		return;
	free(s->title);
	free(s->alternatives);
	for (size_t i = 0; i < s->n_questions; i++) {
		struct audit_q_summary *q = &s->questions[i];
		free(q->label);
		for (size_t k = 0; k < q->n; k++)
			free(q->choice_labels[k]);
		free(q->choice_labels);
		free(q->counts);
		free(q->sentence_fr);
		free(q->sentence_en);
		free(q->quorum_fr);
		free(q->quorum_en);
		free(q->secrecy_fr);
		free(q->secrecy_en);
	}
	free(s->questions);
	free(s);
}

static void
summary_fill(V *v)
{
	audit_summary *s = v->sum;

	s->n_questions = v->nq;
	s->questions = xcalloc(v->nq, sizeof *s->questions);
	for (size_t i = 0; i < v->nq; i++) {
		struct question *q = v->qs[i];
		struct audit_q_summary *d = &s->questions[i];
		memcpy(d->qid, q->qid, q->qid_len + 1);
		d->label = q->label;
		q->label = NULL;
		d->election = q->election;
		d->secret = q->secret;
		d->n = q->n;
		d->choice_labels = q->choice_labels;
		q->choice_labels = NULL;
		d->counts = q->counts;
		q->counts = NULL;
		d->counted = q->counted;
		d->ballots_seen = q->seen;
		d->present = q->present;
		d->remote = q->remote;
		d->proxies = 0;		/* the proxies the statutes accept */
		for (size_t k = 0; k < q->npx; k++)
			d->proxies += q->pxs[k].accepted;
		memcpy(d->outcome, q->outcome, sizeof d->outcome);
		d->sentence_fr = q->fr;
		d->sentence_en = q->en;
		q->fr = q->en = NULL;
		d->quorum_fr = q->quorum_fr;
		d->quorum_en = q->quorum_en;
		q->quorum_fr = q->quorum_en = NULL;
		d->secrecy_fr = q->why_fr;
		d->secrecy_en = q->why_en;
		q->why_fr = q->why_en = NULL;
		d->round = q->round;
		memcpy(d->round_of, q->round_of, sizeof d->round_of);
		if (q->alt_group != NULL)
			snprintf(d->alt_group, sizeof d->alt_group, "%s",
			    q->alt_group);
	}
}

int
audit_verify_file(const char *path, const audit_verify_opts *o,
    audit_summary **sumout, audit_failure *fail)
{
	int fd, ret;

	*sumout = NULL;
	memset(fail, 0, sizeof *fail);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		fail->failed = true;
		fail->seq = UINT64_MAX;
		snprintf(fail->fr, sizeof fail->fr,
		    "impossible de lire %s", path);
		snprintf(fail->en, sizeof fail->en, "cannot read %s", path);
		return 2;
	}
	ret = audit_verify_fd(fd, o, sumout, fail);
	close(fd);
	return ret;
}

int
audit_verify_fd(int fd, const audit_verify_opts *o, audit_summary **sumout,
    audit_failure *fail)
{
	V *v;
	audit_reader *r = NULL;
	struct progress pg = { 0 };
	struct stat stt;
	const char *line;
	size_t len;
	char err[256];
	uint8_t prev[32];
	int got, ret = 1;

	*sumout = NULL;
	memset(fail, 0, sizeof *fail);
	if (group_init() != 0) {
		fail->failed = true;
		fail->seq = UINT64_MAX;
		snprintf(fail->fr, sizeof fail->fr, "libsodium indisponible");
		snprintf(fail->en, sizeof fail->en, "libsodium unavailable");
		return 2;
	}
	if (fstat(fd, &stt) != 0) {
		fail->failed = true;
		fail->seq = UINT64_MAX;
		snprintf(fail->fr, sizeof fail->fr,
		    "impossible de lire l'enregistrement");
		snprintf(fail->en, sizeof fail->en, "cannot read the record");
		return 2;
	}
	v = xcalloc(1, sizeof *v);
	v->o = o;
	v->fail = fail;
	v->sum = xcalloc(1, sizeof *v->sum);
	v->noun = &N_RECORD;
	pthread_mutex_init(&v->fail_mu, NULL);
	audit_htab_init(&v->creds);
	audit_htab_init(&v->receipts);
	audit_chain_init(&v->chain);
	verify_pool_start(v, o->threads);
	pg.on = o->progress;
	pg.tty = isatty(STDERR_FILENO);
	pg.total = (uint64_t)stt.st_size;
	pg.t0 = pg.last = now_s();
	pg.last_pct = 0;
	r = audit_reader_new(fd, AUDIT_LINE_MAX, AUDIT_EVENTS_MAX);
	for (uint64_t count = 0;; count++) {
		audit_event ev;
		audit_flat_event fe;
		uint64_t seq;
		const uint8_t *parent;
		bool flat;

		got = audit_reader_next(r, &line, &len, err, sizeof err);
		v->seq = v->chain.next_seq;
		v->rank = 0;
		v->noun = &N_RECORD;
		if (got < 0) {
			FAIL(v, "lecture impossible à la ligne %llu : %s",
			    "unreadable at line %llu: %s",
			    (unsigned long long)count + 1, err);
			break;
		}
		if (got == 0)
			break;
		memset(&ev, 0, sizeof ev);
		if ((flat = audit_event_parse_flat(&fe, line, len))) {
			seq = fe.seq;
			parent = fe.parent;
		} else if (audit_event_parse(&ev, line, len, err,
		    sizeof err) != 0) {
			v->noun = &N_EVENT;
			FAIL(v, "événement mal formé : %s", "malformed event: %s",
			    err);
			audit_event_clear(&ev);
			break;
		} else {
			seq = ev.seq;
			parent = ev.parent;
		}
		memcpy(prev, v->chain.head, 32);
		if (seq != v->chain.next_seq) {
			v->noun = &N_EVENT;
			FAIL(v, "numéro %llu au lieu de %llu (chaîne rompue)",
			    "seq %llu instead of %llu (chain broken)",
			    (unsigned long long)seq,
			    (unsigned long long)v->chain.next_seq);
			audit_event_clear(&ev);
			break;
		}
		if (audit_chain_accept(&v->chain, seq, parent, line, len,
		    NULL) != 0) {
			v->noun = &N_EVENT;
			FAIL(v, "l'empreinte parente ne correspond pas à l'événement précédent (chaîne rompue)",
			    "parent hash does not match the previous event (chain broken)");
			audit_event_clear(&ev);
			break;
		}
		got = flat ? flat_dispatch(v, &fe) : NOT_FLAT;
		if (got == NOT_FLAT) {
			/* The strict path decides (it accepts every line the
			 * fast path recognises, with the same values). */
			if (flat && audit_event_parse(&ev, line, len, err,
			    sizeof err) != 0) {
				v->noun = &N_EVENT;
				FAIL(v, "événement mal formé : %s",
				    "malformed event: %s", err);
				audit_event_clear(&ev);
				break;
			}
			got = dispatch(v, &ev, prev);
		}
		memcpy(v->last_kind, flat ? fe.kind : ev.kind,
		    sizeof v->last_kind);
		audit_event_clear(&ev);
		if (got != 0)
			break;
		if ((count & 63) == 0)
			progress_show(&pg, v, audit_reader_offset(r), 0);
	}
	verify_pool_stop(v);
	progress_show(&pg, v, audit_reader_offset(r), 1);
	if (!fail->failed) {
		v->seq = UINT64_MAX;
		v->noun = &N_RECORD;
		if (v->chain.next_seq == 0)
			FAIL(v, "enregistrement vide", "record is empty");
		else if (strcmp(v->last_kind, "checkpoint") != 0)
			FAIL(v, "l'enregistrement ne se termine pas par un point de contrôle",
			    "record does not end with a checkpoint");
		else
			for (size_t i = 0; i < v->nq; i++)
				if (v->qs[i]->state != 2) {
					FAIL(v, "la question %s n'a pas de résultat",
					    "question %s has no result",
					    v->qs[i]->qid);
					break;
				}
	}
	if (!fail->failed) {
		memcpy(v->sum->head, v->chain.head, 32);
		v->sum->events = v->chain.next_seq;
		summary_fill(v);
		*sumout = v->sum;
		v->sum = NULL;
		ret = 0;
	}
	/* cleanup */
	audit_reader_free(r);
	for (size_t i = 0; i < v->nq; i++)
		verify_question_free(v->qs[i]);
	free(v->qs);
	for (size_t i = 0; i < v->nalt; i++)
		free(v->alt_done[i]);
	free(v->alt_done);
	for (size_t i = 0; i < v->nmem; i++)
		free(v->mv[i].category);
	free(v->mv);
	free(v->cv);
	audit_htab_free(&v->creds);
	audit_htab_free(&v->receipts);
	audit_statutes_free(v->statutes);
	audit_summary_free(v->sum);
	pthread_mutex_destroy(&v->fail_mu);
	free(v);
	return ret;
}

/* --- minutes ----------------------------------------------------------- */

size_t
audit_minutes_message(uint8_t msg[128], const uint8_t head[32],
    const uint8_t *minutes, size_t len)
{
	uint8_t h[32];
	framebuf b;

	crypto_hash_sha256(h, minutes, len);
	framebuf_init(&b, msg, 128);
	framebuf_field(&b, "scrutin/1", 9);
	framebuf_field(&b, "minutes", 7);
	framebuf_field(&b, head, 32);
	framebuf_field(&b, h, 32);
	return b.overflow ? 0 : b.len;
}

#define SIG_PREFIX "scrutin-minutes-sig/1 "

static bool
contains(const uint8_t *hay, size_t n, const char *needle, size_t k)
{
	for (size_t i = 0; i + k <= n; i++)
		if (hay[i] == (uint8_t)needle[0] && memcmp(hay + i, needle, k) == 0)
			return true;
	return false;
}

int
audit_minutes_check(const audit_summary *s, const uint8_t *minutes,
    size_t mlen, const char *sigs, size_t slen, enum audit_lang lang,
    FILE *out, audit_failure *fail)
{
	uint8_t msg[128];
	size_t n = audit_minutes_message(msg, s->head, minutes, mlen);
	char headhex[65];
	uint32_t seen = 0;
	size_t pos = 0, lineno = 0;

	memset(fail, 0, sizeof *fail);
	fail->seq = UINT64_MAX;
	if (hex_encode(headhex, sizeof headhex, s->head, 32) != 0 || n == 0)
		goto bad;
	if (!contains(minutes, mlen, headhex, 64)) {
		fail->failed = true;
		snprintf(fail->fr, sizeof fail->fr,
		    "procès-verbal : l'empreinte de l'enregistrement n'y figure pas");
		snprintf(fail->en, sizeof fail->en,
		    "minutes: the record's head hash is not in them");
		return 1;
	}
	while (pos < slen) {
		const char *l = sigs + pos, *e = memchr(l, '\n', slen - pos);
		size_t ll = e ? (size_t)(e - l) : slen - pos;
		uint8_t pk[32], sig[64];
		uint32_t idx = 0;

		pos += ll + (e ? 1 : 0);
		lineno++;
		if (ll == 0)
			continue;
		if (ll != strlen(SIG_PREFIX) + 64 + 1 + 128 ||
		    memcmp(l, SIG_PREFIX, strlen(SIG_PREFIX)) != 0 ||
		    hex_decode(pk, 32, l + strlen(SIG_PREFIX), 64) != 0 ||
		    l[strlen(SIG_PREFIX) + 64] != ' ' ||
		    hex_decode(sig, 64, l + strlen(SIG_PREFIX) + 65, 128) != 0) {
			fail->failed = true;
			snprintf(fail->fr, sizeof fail->fr,
			    "signatures du procès-verbal : ligne %zu mal formée",
			    lineno);
			snprintf(fail->en, sizeof fail->en,
			    "minutes signatures: line %zu malformed", lineno);
			return 1;
		}
		for (idx = 1; idx <= s->trustees_n; idx++)
			if (memcmp(s->trustee_id[idx - 1], pk, 32) == 0)
				break;
		if (idx > s->trustees_n || (seen & (1u << (idx - 1)))) {
			fail->failed = true;
			snprintf(fail->fr, sizeof fail->fr,
			    "signatures du procès-verbal : ligne %zu : clé inconnue ou en double",
			    lineno);
			snprintf(fail->en, sizeof fail->en,
			    "minutes signatures: line %zu: unknown or repeated scrutineer key",
			    lineno);
			return 1;
		}
		if (crypto_sign_verify_detached(sig, msg, n, pk) != 0) {
			fail->failed = true;
			snprintf(fail->fr, sizeof fail->fr,
			    "signatures du procès-verbal : ligne %zu : signature du scrutateur %u invalide",
			    lineno, idx);
			snprintf(fail->en, sizeof fail->en,
			    "minutes signatures: line %zu: scrutineer %u signature invalid",
			    lineno, idx);
			return 1;
		}
		seen |= 1u << (idx - 1);
		if (out != NULL)
			fprintf(out, lang == AUDIT_FR ?
			    "Procès-verbal signé par le scrutateur %u (%.16s…)\n" :
			    "Minutes signed by scrutineer %u (%.16s…)\n", idx,
			    l + strlen(SIG_PREFIX));
	}
	if (seen == 0) {
	bad:
		fail->failed = true;
		snprintf(fail->fr, sizeof fail->fr,
		    "signatures du procès-verbal : aucune signature");
		snprintf(fail->en, sizeof fail->en,
		    "minutes signatures: no signature");
		return 1;
	}
	return 0;
}

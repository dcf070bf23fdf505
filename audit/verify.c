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

/* One line of the record: parsed (the fast path, else jansson), its
 * link checked against the chain, then checked by its kind's handler.
 * 0, or -1 with the failure reported. */
int
verify_chain_event(V *v, const char *line, size_t len)
{
	audit_event ev;
	audit_flat_event fe;
	uint64_t seq;
	const uint8_t *parent;
	bool flat;
	char err[256];
	uint8_t prev[32];
	int got;

	memset(&ev, 0, sizeof ev);
	if ((flat = audit_event_parse_flat(&fe, line, len))) {
		seq = fe.seq;
		parent = fe.parent;
	} else if (audit_event_parse(&ev, line, len, err, sizeof err) != 0) {
		v->noun = &N_EVENT;
		FAIL(v, "événement mal formé : %s", "malformed event: %s",
		    err);
		audit_event_clear(&ev);
		return -1;
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
		return -1;
	}
	if (audit_chain_accept(&v->chain, seq, parent, line, len, NULL) != 0) {
		v->noun = &N_EVENT;
		FAIL(v, "l'empreinte parente ne correspond pas à l'événement précédent (chaîne rompue)",
		    "parent hash does not match the previous event (chain broken)");
		audit_event_clear(&ev);
		return -1;
	}
	got = flat ? flat_dispatch(v, &fe) : NOT_FLAT;
	if (got == NOT_FLAT) {
		/* The strict path decides (it accepts every line the fast
		 * path recognises, with the same values). */
		if (flat && audit_event_parse(&ev, line, len, err,
		    sizeof err) != 0) {
			v->noun = &N_EVENT;
			FAIL(v, "événement mal formé : %s",
			    "malformed event: %s", err);
			audit_event_clear(&ev);
			return -1;
		}
		got = dispatch(v, &ev, prev);
	}
	memcpy(v->last_kind, flat ? fe.kind : ev.kind, sizeof v->last_kind);
	audit_event_clear(&ev);
	return got;
}

static V *
verifier_new(const audit_verify_opts *o, audit_failure *fail)
{
	V *v = xcalloc(1, sizeof *v);

	v->o = o;
	v->fail = fail;
	v->sum = xcalloc(1, sizeof *v->sum);
	v->noun = &N_RECORD;
	pthread_mutex_init(&v->fail_mu, NULL);
	audit_htab_init(&v->creds);
	audit_htab_init(&v->receipts);
	audit_chain_init(&v->chain);
	verify_pool_start(v, o->threads);
	return v;
}

/* After verify_pool_stop. */
static void
verifier_free(V *v)
{
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
}

/* Reads the record up to its end, or up to the first failure the reader
 * finds (a worker may still report an earlier one). */
static void
record_read(V *v, audit_reader *r, struct progress *pg)
{
	const char *line;
	size_t len;
	char err[256];
	int got;

	for (uint64_t count = 0;; count++) {
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
		if (got == 0 || verify_chain_event(v, line, len) != 0)
			break;
		if ((count & 63) == 0)
			progress_show(pg, v, audit_reader_offset(r), 0);
	}
}

/* The checks of the whole record, once every event passed. */
static void
record_end(V *v)
{
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

int
audit_verify_fd(int fd, const audit_verify_opts *o, audit_summary **sumout,
    audit_failure *fail)
{
	V *v;
	audit_reader *r;
	struct progress pg = { 0 };
	struct stat stt;
	int ret = 1;

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
	v = verifier_new(o, fail);
	pg.on = o->progress;
	pg.tty = isatty(STDERR_FILENO);
	pg.total = (uint64_t)stt.st_size;
	pg.t0 = pg.last = now_s();
	pg.last_pct = 0;
	r = audit_reader_new(fd, AUDIT_LINE_MAX, AUDIT_EVENTS_MAX);
	record_read(v, r, &pg);
	verify_pool_stop(v);
	progress_show(&pg, v, audit_reader_offset(r), 1);
	if (!fail->failed)
		record_end(v);
	if (!fail->failed) {
		memcpy(v->sum->head, v->chain.head, 32);
		v->sum->events = v->chain.next_seq;
		summary_fill(v);
		*sumout = v->sum;
		v->sum = NULL;
		ret = 0;
	}
	audit_reader_free(r);
	verifier_free(v);
	return ret;
}

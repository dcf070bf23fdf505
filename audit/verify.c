/*
 * verify.c — the verifier of docs/record.md §7: its entry points
 * (verify.h), the reading loop, the checks of the whole record, the
 * failure kept, the progress line and the summary.
 *
 * One thread reads the record line by line, checks the chain, parses and
 * checks every event in order against the state built so far (meeting,
 * ceremony, roll, attendance, proxies, questions), and hands the
 * expensive checks to a pool of worker threads: each ballot (signature
 * and proofs, crypto/ballot_verify_acc, which also adds its ciphertexts
 * to the worker's partial sums from the points it decoded) and every
 * Ed25519 signature of the record (check-ins, check-outs, proxies,
 * trustees' statements, checkpoints). Jobs are handed over in batches,
 * so the reader takes the queue's lock once per batch. At each close the
 * reader waits for the workers, then compares the sums. Which ballot
 * counts (the last one per member when the question allows re-voting)
 * is decided by the reader in record order; a superseded ballot's
 * ciphertexts are subtracted from the sums. An open question's ballot
 * (show of hands) is its signed open-ballot statement: the reader checks
 * it byte for byte and keeps its selection, a worker checks its
 * signature, and the close recounts the selections instead of summing
 * ciphertexts.
 *
 * Ballot, check-in, check-out and credential lines, nearly all of a
 * large record, take a fast path (record.h audit_event_parse_flat: no
 * allocation, hex decoded straight into the job); any other line, or one
 * the fast path does not recognise, goes through jansson.
 *
 * The checks live in one file per concern, sharing verify_int.h:
 * verify_chain.c (a line's parse, chain link and dispatch; the meeting
 * event; checkpoints), verify_pool.c (the workers), verify_ceremony.c,
 * verify_cred.c (credentials, the roll), verify_attendance.c (check-ins,
 * check-outs, proxies), verify_question.c (question.opened),
 * verify_ballot.c, verify_tally.c (close, decryption shares, counts),
 * verify_outcome.c (the statutes engine's standing and outcomes) and
 * verify_minutes.c (the minutes' signatures). None of them writes to a
 * stream the caller did not give: the progress line goes to o->progress,
 * the lookups' lines to o->report, the signers of the minutes to the
 * stream given to audit_minutes_check.
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "audit/log.h"
#include "audit/outcome.h"
#include "audit/record.h"
#include "audit/verify.h"
#include "audit/verify_int.h"
#include "common/xmalloc.h"
#include "crypto/scrutin_crypto.h"

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

/* --- progress ---------------------------------------------------------- */

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct progress {
	FILE *out;			/* NULL: off */
	int tty;
	uint64_t total;
	double t0, last;
	int last_pct;
};

static void
progress_show(struct progress *pg, V *v, uint64_t done, int final)
{
	double t = now_s();
	int pct;

	if (pg->out == NULL || pg->total == 0)
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
		fprintf(pg->out, "\r[%s] %3d %%  %llu %s  %.0f s", bar, pct,
		    (unsigned long long)v->sum->ballots,
		    v->o->lang == AUDIT_FR ? "bulletins" : "ballots",
		    t - pg->t0);
		if (final)
			fputc('\n', pg->out);
	} else {
		if (!final && pct / 10 == pg->last_pct / 10)
			return;
		fprintf(pg->out, "%s %d %% (%llu %s, %.0f s)\n",
		    v->o->lang == AUDIT_FR ? "vérification" : "verifying", pct,
		    (unsigned long long)v->sum->ballots,
		    v->o->lang == AUDIT_FR ? "bulletins" : "ballots",
		    t - pg->t0);
		pg->last_pct = pct;
	}
	pg->last = t;
	fflush(pg->out);
}

/* --- driver ------------------------------------------------------------ */

void
audit_summary_free(audit_summary *s)
{
	if (s == NULL)
		return;
	free(s->title);
	free(s->association);
	free(s->place);
	free(s->time);
	free(s->president);
	free(s->secretary);
	for (size_t i = 0; i < s->n_agenda; i++)
		free(s->agenda[i].label);
	free(s->agenda);
	free(s->body_label);
	free(s->profile_name);
	free(s->members);
	free(s->alternatives);
	for (size_t i = 0; i < s->n_proxies; i++) {
		free(s->proxies[i].state);
		free(s->proxies[i].eff);
		free(s->proxies[i].reason);
	}
	free(s->proxies);
	free(s->proxy_article);
	free(s->second_article);
	free(s->mail_article);
	for (size_t i = 0; i < s->n_draws; i++) {
		free(s->draws[i].label);
		free(s->draws[i].article);
		free(s->draws[i].pool);
		free(s->draws[i].drawn);
	}
	free(s->draws);
	for (size_t i = 0; i < s->n_questions; i++) {
		struct audit_q_summary *q = &s->questions[i];
		free(q->label);
		free(q->rule_label);
		free(q->rule_article);
		free(q->amendment);
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
		free(q->recused);
		free(q->recusal_article);
		free(q->audited_fp);
		free(q->audited_seq);
	}
	free(s->questions);
	free(s);
}

/* The proxies of the record and their standing at each opening (the
 * minutes' « Procurations »). */
static void
summary_proxies(V *v)
{
	audit_summary *s = v->sum;

	s->n_proxies = v->npxe;
	s->proxies = xcalloc(v->npxe + 1, sizeof *s->proxies);
	for (size_t p = 0; p < v->npxe; p++) {
		struct audit_proxy_summary *d = &s->proxies[p];
		d->giver = v->pxe[p].giver;
		d->holder = v->pxe[p].holder;
		d->withdrawn = v->pxe[p].withdrawn;
		d->paper = v->pxe[p].paper;
		d->state = xcalloc(v->nq + 1, sizeof *d->state);
		d->eff = xcalloc(v->nq + 1, sizeof *d->eff);
		d->reason = xcalloc(v->nq + 1, sizeof *d->reason);
		for (size_t i = 0; i < v->nq; i++) {
			const struct question *q = v->qs[i];
			for (size_t k = 0; k < q->npx; k++) {
				const struct audit_proxy_standing *ps;
				if (q->px_seq[k] != v->pxe[p].seq)
					continue;
				ps = &q->pxs[k];
				d->state[i] = !ps->accepted ? AUDIT_PX_REFUSED :
				    ps->holder == d->holder ? AUDIT_PX_COUNTED :
				    AUDIT_PX_REASSIGNED;
				d->eff[i] = ps->holder;
				memcpy(d->reason[i], ps->reason,
				    sizeof d->reason[i]);
				d->reason[i][sizeof d->reason[i] - 1] = '\0';
				break;
			}
		}
	}
}

static void
summary_fill(V *v)
{
	audit_summary *s = v->sum;

	s->has_key = v->done;
	memcpy(s->eid, v->eid, 32);
	memcpy(s->y, v->y, 32);
	s->n_members = v->nmem;
	s->members = xcalloc(v->nmem + 1, sizeof *s->members);
	for (size_t i = 0; i < v->nmem; i++) {
		memcpy(s->members[i].id, v->mv[i].id, sizeof s->members[i].id);
		s->members[i].attended = v->mv[i].attended;
		s->members[i].proxy_to = v->mv[i].proxy_to;
		s->members[i].proxy_paper = v->mv[i].proxy_paper;
		s->members[i].by_mail = v->mv[i].by_mail;
		s->members[i].fallback = v->mv[i].fallback;
	}
	summary_proxies(v);
	verify_draw_pools_summary(v);
	s->n_questions = v->nq;
	s->questions = xcalloc(v->nq, sizeof *s->questions);
	for (size_t i = 0; i < v->nq; i++) {
		struct question *q = v->qs[i];
		struct audit_q_summary *d = &s->questions[i];
		const char *rl, *art = NULL;
		memcpy(d->qid, q->qid, q->qid_len + 1);
		d->label = q->label;
		q->label = NULL;
		rl = audit_statutes_rule_label(v->statutes, q->election,
		    q->rule, &art);
		d->rule_label = rl != NULL ? xstrdup(rl) : NULL;
		d->rule_article = rl != NULL ? xstrdup(art) : NULL;
		d->election = q->election;
		d->secret = q->secret;
		d->n = q->n;
		d->has_digest = q->bq.has_digest;
		memcpy(d->digest, q->bq.digest, 32);
		d->choice_labels = q->choice_labels;
		q->choice_labels = NULL;
		d->counts = q->counts;
		q->counts = NULL;
		d->counted = q->counted;
		d->ballots_seen = q->seen;
		d->min = q->bq.min;
		d->max = q->bq.max;
		d->n_audited = q->naud;
		d->audited_fp = q->aud_fp;
		d->audited_seq = q->aud_seq;
		q->aud_fp = NULL;
		q->aud_seq = NULL;
		d->present = q->present;
		d->remote = q->remote;
		d->proxies = 0;		/* the proxies the statutes accept */
		for (size_t k = 0; k < q->npx; k++)
			d->proxies += q->pxs[k].accepted;
		for (size_t k = 0; k < v->nmem; k++) {
			d->mail_in += q->by_mail != NULL && q->by_mail[k];
			d->fallback += q->fallback_ok != NULL &&
			    q->fallback_ok[k];
		}
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
		memcpy(d->revote_of, q->revote_of, sizeof d->revote_of);
		d->pct_base = q->pct_base;
		d->pct_abstention = q->pct_abstention;
		d->blank_last = q->blank_last;
		d->recused = q->recused;
		d->n_recused = q->nrecused;
		q->recused = NULL;
		q->nrecused = 0;
		if (d->n_recused > 0 && audit_statutes_recusal_article(
		    v->statutes) != NULL)
			d->recusal_article = xstrdup(
			    audit_statutes_recusal_article(v->statutes));
		if (q->alt_group != NULL)
			snprintf(d->alt_group, sizeof d->alt_group, "%s",
			    q->alt_group);
		if (q->amends != NULL) {
			snprintf(d->amends, sizeof d->amends, "%s", q->amends);
			d->amendment = q->amendment;
			q->amendment = NULL;
		}
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
	audit_htab_init(&v->audited);
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
	free(v->pxe);
	verify_draw_free(v);
	verify_mailin_free(v);
	verify_draw_pools_free(v);
	free(v->cv);
	audit_htab_free(&v->creds);
	audit_htab_free(&v->receipts);
	audit_htab_free(&v->audited);
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
	pg.out = o->progress;
	pg.tty = pg.out != NULL && isatty(fileno(pg.out));
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

/* --- one line at a time ------------------------------------------------ */

struct audit_verifier {
	audit_verify_opts o;
	audit_failure fail;
	V *v;
};

audit_verifier *
audit_verifier_new(const audit_verify_opts *o)
{
	audit_verifier *av;

	if (group_init() != 0)
		return NULL;
	av = xcalloc(1, sizeof *av);
	if (o != NULL)
		av->o = *o;
	av->o.progress = NULL;
	av->o.want_receipt = av->o.want_credential = false;
	av->o.report = NULL;
	av->v = verifier_new(&av->o, &av->fail);
	return av;
}

int
audit_verifier_feed(audit_verifier *av, const char *line, size_t len,
    audit_failure *fail)
{
	V *v = av->v;

	if (!av->fail.failed) {
		v->seq = v->chain.next_seq;
		v->rank = 0;
		v->noun = &N_RECORD;
		/* What the reader refuses before a line reaches the checks. */
		if (len > AUDIT_LINE_MAX || memchr(line, '\n', len) != NULL)
			FAIL(v, "ligne %llu trop longue ou coupée",
			    "line %llu too long or split",
			    (unsigned long long)v->seq + 1);
		else if (v->chain.next_seq >= AUDIT_EVENTS_MAX)
			FAIL(v, "trop d'événements", "too many events");
		else
			(void)verify_chain_event(v, line, len);
		/* The deferred checks of this line, before it is answered. */
		verify_barrier(v);
	}
	if (av->fail.failed) {
		*fail = av->fail;
		return 1;
	}
	return 0;
}

void
audit_verifier_head(const audit_verifier *av, uint8_t head[32],
    uint64_t *next_seq)
{
	memcpy(head, av->v->chain.head, 32);
	*next_seq = av->v->chain.next_seq;
}

void
audit_verifier_free(audit_verifier *av)
{
	if (av == NULL)
		return;
	verify_pool_stop(av->v);
	verifier_free(av->v);
	free(av);
}

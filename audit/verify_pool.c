/*
 * verify_pool.c — the verifier's worker threads. The reader hands them
 * jobs (a ballot's signature and proofs, or one Ed25519 signature of the
 * record) in batches of up to BATCH through a bounded ring of QUEUE_CAP,
 * and waits for all of them at a question's close (verify_barrier). A
 * worker takes up to TAKE jobs at a time and checks the ballots among
 * them that carry hints in one batch equation (verify_ballot_batch).
 *
 * Trusts libsodium and crypto/ for the checks themselves. Invariants: a
 * queued job is freed by the worker that ran it; inflight counts the jobs
 * queued or running, so verify_barrier returns only once every job handed
 * over so far is checked; a job of an event after a failure already
 * reported is skipped, since it could not change which one is reported.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "audit/verify_int.h"
#include "common/xmalloc.h"

static void
job_run(V *v, unsigned w, struct job *j)
{
	if (verify_failed_before(v, j->seq))
		return;
	if (j->kind == JOB_SIG) {
		if (crypto_sign_verify_detached(j->sig, j->data, j->len,
		    j->pk) != 0)
			verify_fail_set(v, j->seq, 0, j->noun, j->fr, j->en);
		return;
	}
	verify_ballot_job(v, w, j);
}

/* Runs the jobs js[0 … n): the ballots among them that carry hints in
 * one batch (verify_ballot_batch), the others one by one; frees them. */
static void
jobs_run(V *v, struct worker *wk, struct job **js, size_t n)
{
	unsigned w = wk->idx;
	struct job *hinted[TAKE];
	size_t nh = 0;

	for (size_t i = 0; i < n; i++) {
		if (js[i]->kind == JOB_BALLOT && js[i]->hlen != 0 &&
		    !verify_failed_before(v, js[i]->seq))
			hinted[nh++] = js[i];
		else
			job_run(v, w, js[i]);
	}
	verify_ballot_batch(v, w, hinted, nh, &wk->batched);
	for (size_t i = 0; i < n; i++)
		free(js[i]);
}

static void *
worker_main(void *arg)
{
	struct worker *wk = arg;
	V *v = wk->v;
	struct job *js[TAKE];

	for (;;) {
		size_t n = 0;

		pthread_mutex_lock(&v->mu);
		while (v->rcount == 0 && !v->stop)
			pthread_cond_wait(&v->nonempty, &v->mu);
		if (v->rcount == 0) {
			pthread_mutex_unlock(&v->mu);
			return NULL;
		}
		/* Up to TAKE jobs, leaving the other workers their share of
		 * what is queued. */
		while (n < TAKE && v->rcount > 0 &&
		    (n == 0 || v->rcount >= v->nthreads)) {
			js[n++] = v->ring[v->rhead];
			v->rhead = (v->rhead + 1) % QUEUE_CAP;
			v->rcount--;
		}
		pthread_cond_signal(&v->nonfull);
		pthread_mutex_unlock(&v->mu);

		jobs_run(v, wk, js, n);

		pthread_mutex_lock(&v->mu);
		v->inflight -= n;
		if (v->inflight == 0)
			pthread_cond_broadcast(&v->idle);
		pthread_mutex_unlock(&v->mu);
	}
}

/* Queues the reader's batch: one lock for up to BATCH jobs. */
void
verify_jobs_flush(V *v)
{
	size_t k = 0;

	if (v->nbatch == 0)
		return;
	pthread_mutex_lock(&v->mu);
	while (k < v->nbatch) {
		while (v->rcount == QUEUE_CAP) {
			/* Wake the workers before waiting for room. */
			pthread_cond_broadcast(&v->nonempty);
			pthread_cond_wait(&v->nonfull, &v->mu);
		}
		for (; k < v->nbatch && v->rcount < QUEUE_CAP; k++) {
			v->ring[(v->rhead + v->rcount) % QUEUE_CAP] =
			    v->batch[k];
			v->rcount++;
			v->inflight++;
		}
	}
	pthread_cond_broadcast(&v->nonempty);
	pthread_mutex_unlock(&v->mu);
	v->nbatch = 0;
}

void
verify_job_submit(V *v, struct job *j)
{
	if (v->inline_jobs) {
		job_run(v, 0, j);
		free(j);
		return;
	}
	v->batch[v->nbatch++] = j;
	if (v->nbatch == BATCH)
		verify_jobs_flush(v);
}

struct job *
verify_job_new(V *v, enum job_kind kind, size_t len)
{
	struct job *j = xmalloc(sizeof *j + len);

	j->seq = v->seq;
	j->kind = kind;
	j->q = NULL;
	j->noun = v->noun;
	j->len = len;
	j->hlen = 0;
	return j;
}

/* Defers the check of sig by pk over the statement to a worker; a
 * failure is reported as "<what> signature invalid" at this event, ahead
 * of any later check of the same event (rank). */
void
verify_sig_defer(V *v, const uint8_t pk[32], const uint8_t sig[64],
    const uint8_t *msg, size_t n, const char *what_fr, const char *what_en)
{
	struct job *j = verify_job_new(v, JOB_SIG, n);

	snprintf(j->fr, sizeof j->fr, "signature %s invalide", what_fr);
	snprintf(j->en, sizeof j->en, "%s signature invalid", what_en);
	if (n == 0) {		/* an overflow: nothing verifies */
		verify_fail_set(v, v->seq, v->rank, v->noun, j->fr, j->en);
		free(j);
		return;
	}
	memcpy(j->pk, pk, 32);
	memcpy(j->sig, sig, 64);
	memcpy(j->data, msg, n);
	v->rank = 1;
	verify_job_submit(v, j);
}

void
verify_barrier(V *v)
{
	verify_jobs_flush(v);
	pthread_mutex_lock(&v->mu);
	while (v->inflight > 0)
		pthread_cond_wait(&v->idle, &v->mu);
	pthread_mutex_unlock(&v->mu);
}

/* Starts the workers: threads of them, clamped to 1 .. 64. */
void
verify_pool_start(V *v, unsigned threads)
{
	pthread_mutex_init(&v->mu, NULL);
	pthread_cond_init(&v->nonempty, NULL);
	pthread_cond_init(&v->nonfull, NULL);
	pthread_cond_init(&v->idle, NULL);
	/* 0: no thread; the reader runs each job as it is submitted (one
	 * set of partial sums, the worker index 0's). */
	v->inline_jobs = threads == 0;
	v->nthreads = threads < 1 ? 1 : threads > 64 ? 64 : threads;
	if (v->inline_jobs)
		return;
	v->workers = xcalloc(v->nthreads, sizeof *v->workers);
	for (unsigned i = 0; i < v->nthreads; i++) {
		v->workers[i].v = v;
		v->workers[i].idx = i;
		if (pthread_create(&v->workers[i].th, NULL, worker_main,
		    &v->workers[i]) != 0)
			abort();
	}
}

/* Queues the reader's last batch, lets the workers run every job, joins
 * them and frees the pool. */
void
verify_pool_stop(V *v)
{
	verify_jobs_flush(v);
	pthread_mutex_lock(&v->mu);
	v->stop = true;
	pthread_cond_broadcast(&v->nonempty);
	pthread_mutex_unlock(&v->mu);
	for (unsigned i = 0; i < v->nthreads && !v->inline_jobs; i++) {
		pthread_join(v->workers[i].th, NULL);
		v->sum->ballots_batched += v->workers[i].batched;
	}
	free(v->workers);
	v->workers = NULL;
	pthread_mutex_destroy(&v->mu);
	pthread_cond_destroy(&v->nonempty);
	pthread_cond_destroy(&v->nonfull);
	pthread_cond_destroy(&v->idle);
}

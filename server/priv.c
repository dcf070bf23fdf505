/*
 * priv.c — the privileged process, and the network side's client of it.
 *
 * The privileged process is the only one that opens roll.db and box.db and
 * the only one that holds the server's Ed25519 signing key (in
 * sodium_malloc memory, wiped on exit). It trusts nothing the network
 * process sends: every request is decoded field by field with its size
 * checked and must end exactly (m_end); every signature a member made is
 * verified here again, never taken from the network side's word.
 *
 * One thread owns the store and answers requests; ballots are verified by
 * a pool of PRIV_VERIFIERS threads (pure computation on public data) and
 * committed by the main thread in groups (one transaction, one fsync, for
 * every ballot verified meanwhile), then acknowledged — out of order, the
 * client matches replies by id.
 */
#include "server/priv.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/stat.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>

#include "server/cred.h"
#include "server/imsg.h"
#include "server/meeting.h"
#include "server/meeting_int.h"
#include "server/store.h"
#include "server/storage.h"
#include "server/supervise.h"

/* ---- signing key ---- */

int
priv_key_load(const char *datadir, uint8_t **skp, uint8_t pk[32])
{
	char path[4096];
	uint8_t *seed = NULL, *sk = NULL, fresh[32];
	size_t len = 0;
	int rc = -1, r;

	*skp = NULL;
	if (path_join(path, sizeof path, datadir, PRIV_KEY_FILE) != 0)
		return -1;
	if (access(path, F_OK) != 0 && errno == ENOENT) {
		randombytes_buf(fresh, sizeof fresh);
		if (file_write_atomic(path, fresh, sizeof fresh, 0600) != 0) {
			sodium_memzero(fresh, sizeof fresh);
			log_warn("%s: cannot create the signing key", path);
			return -1;
		}
		sodium_memzero(fresh, sizeof fresh);
		log_info("clé de signature du serveur créée : %s", path);
	}
	r = file_read_capped(path, 64, &seed, &len);
	if (r != 0 || len != 32) {
		log_warn("%s: unreadable or not a 32-byte key", path);
		goto out;
	}
	if ((sk = sodium_malloc(crypto_sign_SECRETKEYBYTES)) == NULL)
		goto out;
	if (crypto_sign_seed_keypair(pk, sk, seed) != 0)
		goto out;
	*skp = sk;
	sk = NULL;
	rc = 0;
out:
	if (seed != NULL) {
		sodium_memzero(seed, len);
		free(seed);
	}
	if (sk != NULL)
		sodium_free(sk);
	return rc;
}

/* ---- request handlers ---- */

static uint32_t
reply_error(struct mbuf *rep, uint32_t code)
{
	m_init(rep);
	m_add_u32(rep, code);
	return IMSG_ERROR_REP;
}

static uint32_t
h_status(struct store *st, const uint8_t *sk, const uint8_t pk[32],
    struct mreader *r, struct mbuf *rep)
{
	struct store_status s;
	struct storage_state d;
	int ok;

	if (m_end(r) != 0)
		return reply_error(rep, PRIV_ERR_MALFORMED);
	ok = store_status_get(st, &s) == 0;
	/* Degraded storage still answers, with what it could read. */
	if (!storage_state_get(&d) && !ok)
		return reply_error(rep, PRIV_ERR_INTERNAL);
	if (!ok)
		memset(&s, 0, sizeof s);
	m_add_u32(rep, (uint32_t)s.roll_version);
	m_add_u32(rep, (uint32_t)s.box_version);
	m_add_u64(rep, (uint64_t)s.members_active);
	m_add_u64(rep, (uint64_t)s.credentials_active);
	m_add_u64(rep, (uint64_t)s.events);
	m_add_data(rep, pk, 32);
	m_add_u32(rep, (uint32_t)d.kind);
	m_add_u64(rep, (uint64_t)d.since);
	m_add_u64(rep, d.failures);
	m_add_u64(rep, (uint64_t)d.free_mb);
	m_add_str(rep, d.code);
	m_add_str(rep, d.reason);
	m_add_str(rep, d.fr);
	m_add_str(rep, d.en);
	return IMSG_STATUS_REP;
}

static uint32_t
h_activate(struct store *st, const uint8_t *sk, const uint8_t pk_server[32],
    struct mreader *r, struct mbuf *rep)
{
	char meeting[CRED_MEETING_MAX + 1];
	uint8_t pk[32], sig[64], ack[64], msg[256];
	uint64_t ts, at = 0;
	enum cred_activate_result res;
	size_t n;

	m_get_str(r, meeting, sizeof meeting);
	m_get_data(r, pk, sizeof pk);
	ts = m_get_u64(r);
	m_get_data(r, sig, sizeof sig);
	if (m_end(r) != 0)
		return reply_error(rep, PRIV_ERR_MALFORMED);
	res = cred_activate(st, meeting, pk, ts, sig, now_unix(), &at);
	if (res == CRED_ACT_ERROR)
		return reply_error(rep, PRIV_ERR_INTERNAL);
	memset(ack, 0, sizeof ack);
	if (res == CRED_ACT_OK || res == CRED_ACT_ALREADY) {
		n = cred_statement_activated(msg, sizeof msg, meeting, pk, at);
		if (n == 0 ||
		    crypto_sign_detached(ack, NULL, msg, n, sk) != 0)
			return reply_error(rep, PRIV_ERR_INTERNAL);
	}
	m_add_u32(rep, (uint32_t)res);
	m_add_u64(rep, at);
	m_add_data(rep, ack, sizeof ack);
	return IMSG_ACTIVATE_REP;
}

static const struct {
	uint32_t type;
	uint32_t (*fn)(struct store *, const uint8_t *, const uint8_t *,
	    struct mreader *, struct mbuf *);
} handlers[] = {
	{ IMSG_STATUS_REQ, h_status },
	{ IMSG_ACTIVATE_REQ, h_activate },
};

uint32_t
priv_dispatch(struct store *st, const uint8_t *sk, const uint8_t pk[32],
    const struct imsg *req, struct mbuf *rep)
{
	struct mreader r;

	m_init(rep);
	m_reader(&r, req);
	for (size_t i = 0; i < sizeof handlers / sizeof handlers[0]; i++)
		if (handlers[i].type == req->type)
			return handlers[i].fn(st, sk, pk, &r, rep);
	return reply_error(rep, PRIV_ERR_UNKNOWN);
}

/* ---- the loop ---- */

static volatile sig_atomic_t priv_stop;

static void
priv_on_signal(int sig)
{
	(void)sig;
	priv_stop = 1;
}

/* Verification pool: jobs in, verdicts out; the main thread commits. */
struct vjob {
	struct ballot_job *job;
	uint32_t id;
	uint32_t gen;		/* the channel it came on (ploop gen) */
	struct vjob *next;
};

struct vpool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct vjob *in_head, *in_tail, *out;
	size_t in_n;		/* jobs queued (in_head …) */
	int wake[2];
	int stop;
	pthread_t th[PRIV_VERIFIERS];
};

/*
 * Each verifier takes what is queued — never waiting for more — up to
 * PRIV_VERIFY_BATCH jobs and its share of the queue (so that a burst
 * keeps every verifier busy), and verifies them with one
 * meeting_ballots_verify (the ballots with hints in one batch equation).
 */
static void *
verifier_main(void *arg)
{
	struct vpool *p = arg;
	struct vjob *batch[PRIV_VERIFY_BATCH];
	struct ballot_job *jobs[PRIV_VERIFY_BATCH];

	for (;;) {
		size_t n = 0, want;
		pthread_mutex_lock(&p->mu);
		while (p->in_head == NULL && !p->stop)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->stop) {
			pthread_mutex_unlock(&p->mu);
			return NULL;
		}
		want = (p->in_n + PRIV_VERIFIERS - 1) / PRIV_VERIFIERS;
		if (want > PRIV_VERIFY_BATCH)
			want = PRIV_VERIFY_BATCH;
		while (p->in_head != NULL && (n == 0 || n < want)) {
			struct vjob *v = p->in_head;

			p->in_head = v->next;
			p->in_n--;
			batch[n] = v;
			jobs[n++] = v->job;
		}
		if (p->in_head == NULL)
			p->in_tail = NULL;
		pthread_mutex_unlock(&p->mu);
		meeting_ballots_verify(jobs, n);
		pthread_mutex_lock(&p->mu);
		for (size_t i = 0; i < n; i++) {
			batch[i]->next = p->out;
			p->out = batch[i];
		}
		pthread_mutex_unlock(&p->mu);
		(void)!write(p->wake[1], "", 1);
	}
}

/* The replies are built in one buffer: only the main thread sends them
 * (a 64 KiB allocation per reply would cost a free-list consolidation
 * each time). */
static struct mbuf reply_buf;

/* Sends a reply of type whose payload is head then tail (tail may be
 * longer than a record: its first bytes then go in PART records). */
static void
send_reply(int fd, uint32_t type, uint32_t id, const struct mbuf *head,
    const char *tail, size_t n)
{
	size_t off = 0, hl = head->len;
	int rc = head->err ? -1 : 0;

	/* PART records: IMSG_MAX_PAYLOAD bytes each, the head first. */
	while (rc == 0 && hl + n - off > IMSG_MAX_PAYLOAD) {
		struct iovec v[2];
		int k = 0;
		size_t room = IMSG_MAX_PAYLOAD;

		if (off == 0 && hl > 0) {
			v[k++] = (struct iovec){ (void *)(uintptr_t)head->data,
				hl };
			room -= hl;
		}
		v[k++] = (struct iovec){ (void *)(uintptr_t)(tail + off), room };
		off += room;
		rc = imsg_sendv(fd, IMSG_PART, id, v, k);
	}
	if (rc == 0) {
		struct iovec v[2];
		int k = 0;

		if (off == 0 && hl > 0)
			v[k++] = (struct iovec){ (void *)(uintptr_t)head->data,
				hl };
		v[k++] = (struct iovec){ (void *)(uintptr_t)(tail + off),
			n - off };
		rc = imsg_sendv(fd, type, id, v, k);
	}
	if (rc != 0)
		log_warn("cannot reply to the network process");
}

/*
 * A write that failed while the storage is degraded (a full disk...)
 * answers why, never the generic "unavailable": storage_full or
 * storage_error, the French and English sentences as its detail.
 */
static void
storage_refusal(struct mreply *r)
{
	struct storage_state d;

	if ((r->status != 503 && r->status != 500) ||
	    (r->code != NULL && r->code[0] != '\0' &&
	        strcmp(r->code, "unavailable") != 0) ||
	    !storage_state_get(&d))
		return;
	mr_err_detail(r, d.code, NULL, d.fr, d.en);
}

static void
reply_api(int fd, uint32_t id, struct mreply *r)
{
	struct mbuf *rep = &reply_buf;
	char *text = NULL;
	size_t n = 0;

	storage_refusal(r);
	m_init(rep);
	if (r->doc != NULL) {
		text = json_dumps(r->doc, JSON_COMPACT);
		n = text ? strlen(text) : 0;
	}
	if (n > PRIV_REPLY_MAX - 256) {
		log_warn("API reply too large (%zu bytes)", n);
		n = 0;
		m_add_u32(rep, 503);
		m_add_str(rep, "unavailable");
		m_add_str(rep, "");
	} else {
		m_add_u32(rep, (uint32_t)r->status);
		m_add_str(rep, r->code ? r->code : "");
		m_add_str(rep, r->field ? r->field : "");
	}
	m_add_u32(rep, (uint32_t)n);
	send_reply(fd, IMSG_API_REP, id, rep, text ? text : "", n);
	free(text);
}

struct waiter {
	uint32_t id;
	uint64_t after;
	uint64_t deadline;
};

static uint64_t
mono_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void
reply_notify(int fd, uint32_t id, json_t *doc)
{
	struct mbuf *rep = &reply_buf;
	char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	size_t n = text ? strlen(text) : 0;

	json_decref(doc);
	m_init(rep);
	if (n > PRIV_REPLY_MAX - 8) {
		log_warn("notification reply too large (%zu bytes)", n);
		n = 0;
	}
	m_add_u32(rep, (uint32_t)n);
	send_reply(fd, IMSG_NOTIFY_REP, id, rep, text ? text : "", n);
	free(text);
}

#define WAITERS_MAX 256
/* Group commit: verified ballots wait at most GROUP_WAIT_MS for company
 * (or until every ballot in flight is verified, or GROUP_MAX of them),
 * then one transaction and one fsync take them all. */
#define GROUP_WAIT_MS 4u
#define GROUP_MAX 512u
/* Requests read in a row before the loop looks at the verifiers again. */
#define DRAIN_MAX 64

/* The privileged loop's state. */
struct ploop {
	int fd;			/* the channel to the network process, or -1 */
	int ctl;		/* the supervisor's control socket (supervise.c) */
	uint32_t gen;		/* channels adopted so far */
	struct store *st;
	const uint8_t *sk;
	const uint8_t *pk;
	struct mctx *mc;
	struct vpool *vp;
	struct imsg *req;
	struct mbuf *rep;
	struct waiter waiters[WAITERS_MAX];
	size_t nwaiters;
	/* ballots prepared and not yet committed (verifying or verified) */
	struct ballot_job **inflight;
	size_t inflight_n, inflight_cap;
	/* verified, waiting for the group commit (newest first) */
	struct vjob *ready;
	size_t nready;
	uint64_t ready_since;
	/* the last tick, the last look at roll.db's data_version, and its
	 * value (-1: not read yet) */
	uint64_t last_tick, last_dv;
	int data_version;
};

/* 1 if a ballot for the same voice is prepared and not yet committed. */
static int
inflight_has(const struct ploop *L, const struct ballot_job *job)
{
	for (size_t k = 0; k < L->inflight_n; k++)
		if (meeting_ballot_same_voice(L->inflight[k], job))
			return 1;
	return 0;
}

static void
inflight_del(struct ploop *L, const struct ballot_job *job)
{
	for (size_t k = 0; k < L->inflight_n; k++)
		if (L->inflight[k] == job) {
			L->inflight[k] = L->inflight[--L->inflight_n];
			return;
		}
}

/* Commits every verified ballot in one transaction, then acknowledges
 * each (an acknowledgement exists only for a ballot on disk). */
static void
group_commit(struct ploop *L)
{
	struct vjob *v, *done = NULL;
	struct ballot_job **jobs;
	struct mreply *reps;
	size_t n = L->nready, i = 0;

	if (n == 0)
		return;
	/* Oldest first: acceptance order is arrival order within a group. */
	for (v = L->ready; v != NULL;) {
		struct vjob *nx = v->next;
		v->next = done;
		done = v;
		v = nx;
	}
	L->ready = NULL;
	L->nready = 0;
	jobs = xcalloc(n, sizeof *jobs);
	reps = xcalloc(n, sizeof *reps);
	for (v = done; v != NULL; v = v->next)
		jobs[i++] = v->job;
	meeting_ballots_commit(L->mc, jobs, n, reps);
	for (i = 0, v = done; v != NULL; i++) {
		struct vjob *nx = v->next;
		if (v->gen == L->gen && L->fd >= 0)	/* else its network
							 * process is gone */
			reply_api(L->fd, v->id, &reps[i]);
		json_decref(reps[i].doc);
		inflight_del(L, v->job);
		meeting_ballot_free(v->job);
		free(v);
		v = nx;
	}
	free(jobs);
	free(reps);
}

/* Takes what the verifiers finished. */
static void
collect_verified(struct ploop *L, uint64_t now)
{
	char junk[256];
	struct vjob *done, *v;

	while (read(L->vp->wake[0], junk, sizeof junk) > 0)
		;
	pthread_mutex_lock(&L->vp->mu);
	done = L->vp->out;
	L->vp->out = NULL;
	pthread_mutex_unlock(&L->vp->mu);
	while ((v = done) != NULL) {
		done = v->next;
		if (L->nready == 0)
			L->ready_since = now;
		v->next = L->ready;
		L->ready = v;
		L->nready++;
	}
}

static int
commit_due(const struct ploop *L, uint64_t now)
{
	return L->nready > 0 && (L->nready >= GROUP_MAX ||
	    L->nready == L->inflight_n || now - L->ready_since >= GROUP_WAIT_MS);
}

static void channel_lost(struct ploop *, const char *);

static int
send_error_rep(struct ploop *L, uint32_t id, uint32_t code)
{
	m_init(L->rep);
	m_add_u32(L->rep, code);
	if (imsg_send(L->fd, IMSG_ERROR_REP, id, L->rep) != 0)
		channel_lost(L, "cannot reply to the network process");
	return 0;
}

/*
 * The channel to the network process is closed: its process is gone, or
 * it sent a malformed record (broken or hostile: it stops when it sees
 * its channel closed). The supervisor starts another, whose channel
 * arrives on ctl; the requests of this one that wait (events, ballots
 * being verified) are not answered — its clients send them again.
 */
static void
channel_lost(struct ploop *L, const char *why)
{
	if (L->fd < 0)
		return;
	log_warn("channel to the network process closed (%s)", why);
	close(L->fd);
	L->fd = -1;
	L->nwaiters = 0;
}

/* A new network process's channel, from the supervisor. */
static void
channel_adopt(struct ploop *L)
{
	int fd = supervise_channel_recv(L->ctl);

	if (fd < 0)
		return;
	if (L->fd >= 0)
		channel_lost(L, "replaced");
	L->fd = fd;
	L->gen++;
	L->nwaiters = 0;
}

/* One request from the network process. */
static int
handle_request(struct ploop *L, uint64_t now)
{
	struct imsg *req = L->req;
	int r = imsg_recv(L->fd, req, 0);

	if (r == 0) {
		channel_lost(L, "the network process is gone");
		return 0;
	}
	if (r < 0) {
		/* A malformed record: the peer is broken or hostile. */
		channel_lost(L, "malformed record from the network process");
		return 0;
	}
	if (req->type == IMSG_API_REQ) {
		struct mreader rd;
		char meeting[65], sub[65], auth[65];
		uint32_t op, blen;
		struct mreply mr;
		struct ballot_job *job = NULL;

		memset(&mr, 0, sizeof mr);
		m_reader(&rd, req);
		op = m_get_u32(&rd);
		m_get_str(&rd, meeting, sizeof meeting);
		m_get_str(&rd, sub, sizeof sub);
		m_get_str(&rd, auth, sizeof auth);
		blen = m_get_u32(&rd);
		if (rd.err || blen > PRIV_API_BODY_MAX ||
		    blen != rd.len - rd.off || op < MOP_VIEW || op >= MOP_MAX)
			return send_error_rep(L, req->id, PRIV_ERR_MALFORMED);
		const uint8_t *body = rd.data + rd.off;
		if (op == MOP_BALLOT) {
			if (meeting_ballot_prepare(L->mc, meeting, body, blen,
			        &job, &mr) && inflight_has(L, job)) {
				mr_err(&mr, "already_voted", NULL);
				meeting_ballot_free(job);
				job = NULL;
			}
			if (job != NULL) {
				struct vjob *v = xcalloc(1, sizeof *v);
				v->job = job;
				v->id = req->id;
				v->gen = L->gen;
				if (L->inflight_n == L->inflight_cap) {
					L->inflight_cap *= 2;
					L->inflight = xreallocarray(L->inflight,
					    L->inflight_cap,
					    sizeof *L->inflight);
				}
				L->inflight[L->inflight_n++] = job;
				pthread_mutex_lock(&L->vp->mu);
				if (L->vp->in_tail)
					L->vp->in_tail->next = v;
				else
					L->vp->in_head = v;
				L->vp->in_tail = v;
				L->vp->in_n++;
				pthread_cond_signal(&L->vp->cv);
				pthread_mutex_unlock(&L->vp->mu);
				return 0;
			}
		} else {
			/* A closing takes every ballot verified before it. */
			if (op == MOP_QCLOSE || op == MOP_END)
				group_commit(L);
			meeting_api(L->mc, op, meeting, sub, auth, body, blen,
			    &mr);
		}
		reply_api(L->fd, req->id, &mr);
		json_decref(mr.doc);
	} else if (req->type == IMSG_NOTIFY_REQ) {
		struct mreader rd;
		uint64_t after;
		uint32_t wait;
		m_reader(&rd, req);
		after = m_get_u64(&rd);
		wait = m_get_u32(&rd);
		if (m_end(&rd) != 0 || wait > 30000 ||
		    L->nwaiters == WAITERS_MAX)
			return send_error_rep(L, req->id, PRIV_ERR_MALFORMED);
		L->waiters[L->nwaiters].id = req->id;
		L->waiters[L->nwaiters].after = after;
		L->waiters[L->nwaiters].deadline = now + wait;
		L->nwaiters++;
	} else {
		uint32_t type = priv_dispatch(L->st, L->sk, L->pk, req, L->rep);
		if (imsg_send(L->fd, type, req->id, L->rep) != 0)
			channel_lost(L, "cannot reply to the network process");
	}
	return 0;
}

static void
priv_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = priv_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* The loop's state, before the store is open. */
static struct ploop *
ploop_new(int fd, struct vpool *vp)
{
	struct ploop *L = xcalloc(1, sizeof *L);

	L->fd = fd;
	L->req = xmalloc(sizeof *L->req);
	L->rep = xmalloc(sizeof *L->rep);
	L->inflight_cap = 256;
	L->inflight = xcalloc(L->inflight_cap, sizeof *L->inflight);
	L->vp = vp;
	L->data_version = -1;
	return L;
}

static void
ploop_free(struct ploop *L)
{
	free(L->inflight);
	sodium_memzero(L->rep, sizeof *L->rep);
	free(L->req);
	free(L->rep);
	free(L);
}

/* The wake pipe and the PRIV_VERIFIERS threads; *nthreads counts those
 * started, even on failure. */
static int
verifiers_start(struct vpool *vp, int *nthreads)
{
	pthread_mutex_init(&vp->mu, NULL);
	pthread_cond_init(&vp->cv, NULL);
	if (pipe(vp->wake) != 0 ||
	    fcntl(vp->wake[0], F_SETFL, O_NONBLOCK) != 0 ||
	    fcntl(vp->wake[1], F_SETFL, O_NONBLOCK) != 0)
		return -1;
	for (; *nthreads < PRIV_VERIFIERS; (*nthreads)++)
		if (pthread_create(&vp->th[*nthreads], NULL, verifier_main,
		        vp) != 0)
			return -1;
	return 0;
}

static void
verifiers_stop(struct vpool *vp, int nthreads)
{
	if (nthreads > 0) {
		pthread_mutex_lock(&vp->mu);
		vp->stop = 1;
		pthread_cond_broadcast(&vp->cv);
		pthread_mutex_unlock(&vp->mu);
		for (int i = 0; i < nthreads; i++)
			pthread_join(vp->th[i], NULL);
	}
}

static void
vjobs_free(struct vjob *v)
{
	while (v != NULL) {
		struct vjob *nx = v->next;
		meeting_ballot_free(v->job);
		free(v);
		v = nx;
	}
}

/* A change by another process (the CLI)? */
static void
data_version_check(struct ploop *L, uint64_t now)
{
	int dv = -1;
	sqlite3_stmt *s = store_prepare(L->st->roll, "PRAGMA data_version");

	if (s != NULL && sqlite3_step(s) == SQLITE_ROW)
		dv = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (L->data_version >= 0 && dv != L->data_version)
		meeting_notify_snapshots(L->mc);
	L->data_version = dv;
	L->last_dv = now;
}

/* Every 100 ms: the group commit, the meetings' clock, another process's
 * change, the network process. -1: it has exited (*child is -1). */
static int
loop_tick(struct ploop *L, uint64_t now, pid_t *child, int *status)
{
	if (now - L->last_tick < 100)
		return 0;
	L->last_tick = now;
	group_commit(L);	/* a closing sees every ballot */
	meeting_tick(L->mc);
	if (now - L->last_dv >= 500)
		data_version_check(L, now);
	if (waitpid(*child, status, WNOHANG) == *child) {
		*child = -1;
		log_warn("the network process's supervisor exited (%s %d)",
		    WIFEXITED(*status) ? "status" : "signal",
		    WIFEXITED(*status) ? WEXITSTATUS(*status) :
		    WTERMSIG(*status));
		return -1;
	}
	return 0;
}

/* Reads what is waiting (a burst of ballots is prepared and queued to
 * the verifiers before the next commit). -1: stop serving. */
static int
drain_requests(struct ploop *L, uint64_t now)
{
	for (int k = 0; k < DRAIN_MAX && L->fd >= 0; k++) {
		struct pollfd one = { .fd = L->fd, .events = POLLIN };
		if (k > 0 && (poll(&one, 1, 0) <= 0 ||
		    !(one.revents & (POLLIN | POLLHUP | POLLERR))))
			break;
		if (handle_request(L, now) != 0)
			return -1;
	}
	collect_verified(L, mono_now_ms());
	return 0;
}

/* Waiters with something new, or whose time is up. */
static void
answer_waiters(struct ploop *L)
{
	for (size_t i = 0; i < L->nwaiters;) {
		json_t *doc = meeting_notifications_since(L->mc,
		    L->waiters[i].after, 40000);
		if (doc != NULL || mono_now_ms() >= L->waiters[i].deadline) {
			reply_notify(L->fd, L->waiters[i].id, doc);
			L->waiters[i] = L->waiters[--L->nwaiters];
		} else
			i++;
	}
}

/* One turn of the loop: waits for the network process, a verifier or
 * the group commit's time, then does what is due. -1: stop serving. */
static int
loop_once(struct ploop *L, pid_t *child, int *status)
{
	struct pollfd pfd[3] = { { .fd = L->fd, .events = POLLIN },
		{ .fd = L->vp->wake[0], .events = POLLIN },
		{ .fd = L->ctl, .events = POLLIN } };
	uint64_t now = mono_now_ms();
	int timeout = 50, p;

	if (L->nready > 0) {
		uint64_t due = L->ready_since + GROUP_WAIT_MS;
		timeout = due > now ? (int)(due - now) : 0;
	}
	p = poll(pfd, 3, timeout);
	now = mono_now_ms();
	if (p < 0 && errno == EINTR)
		return 0;
	if (p < 0)
		return -1;
	if (loop_tick(L, now, child, status) != 0)
		return -1;
	if (pfd[1].revents & POLLIN)
		collect_verified(L, now);
	if (L->fd >= 0 && (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) &&
	    drain_requests(L, now) != 0)
		return -1;
	if (pfd[2].revents & POLLIN)
		channel_adopt(L);
	else if (pfd[2].revents & (POLLHUP | POLLERR))
		L->ctl = -1;	/* the supervisor is gone: loop_tick sees it */
	if (commit_due(L, mono_now_ms()))
		group_commit(L);
	answer_waiters(L);
	return 0;
}

/* Stops the supervisor (and with it the network process), if it still
 * runs, and reaps it. The signal is refused when the supervisor runs as
 * another user: then it stops on the control socket, closed before. */
static void
child_stop(pid_t child, int *status)
{
	if (child > 0) {
		kill(child, SIGTERM);
		while (waitpid(child, status, 0) < 0 && errno == EINTR)
			;
	}
}

int
priv_run(int ctl, const char *datadir, pid_t child)
{
	struct store *st = NULL;
	uint8_t *sk = NULL, pk[32];
	struct mctx *mc = NULL;
	struct vpool vp;
	struct ploop *L;
	int status = 0, rc = -1, nthreads = 0;

	memset(&vp, 0, sizeof vp);
	vp.wake[0] = vp.wake[1] = -1;
	priv_signals();
	L = ploop_new(-1, &vp);
	L->ctl = ctl;

	if (store_open(&st, datadir) != 0 ||
	    priv_key_load(datadir, &sk, pk) != 0) {
		log_warn("privileged process: cannot open the store or key");
		goto out;
	}
	store_key_set(st, sk, pk);
	storage_init(datadir);
	mc = xmalloc(sizeof *mc);
	meeting_ctx_init(mc, st, sk, pk);
	L->st = st;
	L->sk = sk;
	L->pk = pk;
	L->mc = mc;
	if (verifiers_start(&vp, &nthreads) != 0)
		goto out;
	while (!priv_stop && loop_once(L, &child, &status) == 0)
		;
	rc = 0;
out:
	verifiers_stop(&vp, nthreads);
	/* Verified ballots not committed: never acknowledged (the phone
	 * sends them again). */
	vjobs_free(L->ready);
	L->ready = NULL;
	vjobs_free(vp.in_head);
	vp.in_head = NULL;
	vjobs_free(vp.out);
	vp.out = NULL;
	if (vp.wake[0] >= 0) {
		close(vp.wake[0]);
		close(vp.wake[1]);
	}
	/* The control socket first: the supervisor stops on it (it may run
	 * as another user, whom our SIGTERM would not reach: supervise.c),
	 * before the network process can stop on its channel, so it never
	 * takes that end for a death to restart. Then the channel: the
	 * network process's waiting requests fail at once (it stops on it,
	 * and on the supervisor's SIGTERM, both taken by its one sigwait);
	 * then the supervisor is waited for. */
	close(ctl);
	if (L->fd >= 0)
		close(L->fd);
	child_stop(child, &status);
	if (mc != NULL) {
		meeting_ctx_free(mc);
		free(mc);
	}
	store_close(st);
	if (sk != NULL)
		sodium_free(sk);
	ploop_free(L);
	if (rc != 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

/* ---- client (network process) ----
 *
 * Several requests may be in flight: a caller takes a slot for its id,
 * sends under the send lock, then sleeps on its slot's condition
 * variable; one reader thread receives every reply and wakes only the
 * waiter with that id. A reply whose id is not in flight, or a malformed
 * record, closes the channel for good (503 from then on): a reply is
 * never guessed. A request that times out gives up alone: its slot stays
 * reserved, marked abandoned, until its late reply arrives and is
 * dropped, so the id is never reused meanwhile and the other requests
 * go on. (An abandoned ballot may still be stored: the phone sends it
 * again and gets the same receipt.)
 */

#define CLIENT_SLOTS 8192u

struct slot {
	uint32_t id;		/* 0: free */
	int ready;
	int abandoned;		/* the caller timed out; drop the reply */
	uint32_t type;		/* the reply, when ready: */
	size_t len;
	uint8_t *data;		/* malloc'd, exactly len bytes (or NULL) */
	pthread_cond_t cv;
};

struct priv_client {
	int fd;
	int broken;
	uint32_t next_id;
	pthread_mutex_t mu;	/* slots, next_id, broken */
	pthread_mutex_t send_mu;
	struct slot *slots;
	pthread_t reader;
	int reader_started;
	void (*on_break)(void);	/* called once, when the channel closes */
};

static void
client_break(struct priv_client *c, const char *why)
{
	if (!c->broken && c->on_break != NULL)
		c->on_break();
	c->broken = 1;
	if (why != NULL)
		log_warn("%s", why);
	for (unsigned i = 0; i < CLIENT_SLOTS; i++)
		if (c->slots[i].id != 0)
			pthread_cond_signal(&c->slots[i].cv);
}

static void *
client_reader(void *arg)
{
	struct priv_client *c = arg;
	struct imsg *m = xmalloc(sizeof *m);

	for (;;) {
		int r = imsg_recv(c->fd, m, -1);
		pthread_mutex_lock(&c->mu);
		if (r != 1) {
			client_break(c, NULL);
			pthread_mutex_unlock(&c->mu);
			break;
		}
		struct slot *s = &c->slots[m->id % CLIENT_SLOTS];
		if (m->id == 0 || s->id != m->id || s->ready ||
		    m->len > PRIV_REPLY_MAX - s->len) {
			/* Out of step (or a reply over the maximum): never
			 * guess. */
			client_break(c, "privileged process channel lost");
			pthread_mutex_unlock(&c->mu);
			break;
		}
		/* The reply's pieces are joined; its own record ends it. */
		s->data = xreallocarray(s->data, s->len + m->len + 1, 1);
		memcpy(s->data + s->len, m->data, m->len);
		s->len += m->len;
		if (m->type == IMSG_PART) {
			pthread_mutex_unlock(&c->mu);
			continue;
		}
		if (s->abandoned) {
			/* Its caller gave up: the slot is free again. */
			free(s->data);
			s->data = NULL;
			s->len = 0;
			s->id = 0;
			s->abandoned = 0;
			pthread_mutex_unlock(&c->mu);
			continue;
		}
		s->type = m->type;
		s->ready = 1;
		pthread_cond_signal(&s->cv);
		pthread_mutex_unlock(&c->mu);
	}
	free(m);
	return NULL;
}

struct priv_client *
priv_client_new(int fd)
{
	struct priv_client *c = xcalloc(1, sizeof *c);
	pthread_condattr_t ca;

	c->fd = fd;
	c->next_id = 1;
	c->slots = xcalloc(CLIENT_SLOTS, sizeof *c->slots);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	for (unsigned i = 0; i < CLIENT_SLOTS; i++)
		pthread_cond_init(&c->slots[i].cv, &ca);
	pthread_condattr_destroy(&ca);
	pthread_mutex_init(&c->mu, NULL);
	pthread_mutex_init(&c->send_mu, NULL);
	if (pthread_create(&c->reader, NULL, client_reader, c) == 0)
		c->reader_started = 1;
	else
		c->broken = 1;
	return c;
}

void
priv_client_free(struct priv_client *c)
{
	if (c == NULL)
		return;
	shutdown(c->fd, SHUT_RDWR);
	if (c->reader_started)
		pthread_join(c->reader, NULL);
	pthread_mutex_destroy(&c->mu);
	pthread_mutex_destroy(&c->send_mu);
	for (unsigned i = 0; i < CLIENT_SLOTS; i++)
		pthread_cond_destroy(&c->slots[i].cv);
	close(c->fd);
	free(c->slots);
	free(c);
}

void
priv_client_on_break(struct priv_client *c, void (*fn)(void))
{
	pthread_mutex_lock(&c->mu);
	c->on_break = fn;
	pthread_mutex_unlock(&c->mu);
}

int
priv_client_broken(struct priv_client *c)
{
	int b;

	pthread_mutex_lock(&c->mu);
	b = c->broken;
	pthread_mutex_unlock(&c->mu);
	return b;
}

/*
 * A request's fixed fields, built on the caller's stack (a few hundred
 * bytes: not a struct mbuf, whose 64 KiB would be a large allocation per
 * request — glibc then consolidates its free lists under the arena lock,
 * which 2,000 threads share — or 64 KiB of stack). Same encoding as
 * imsg.h's m_add_*; a body, if any, is sent as a second piece.
 */
struct qbuf {
	uint8_t d[256];
	size_t len;
	int err;
};

static void
q_data(struct qbuf *q, const void *p, size_t n)
{
	if (q->err || n > sizeof q->d - q->len) {
		q->err = 1;
		return;
	}
	if (n > 0)
		memcpy(q->d + q->len, p, n);
	q->len += n;
}

static void
q_u32(struct qbuf *q, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
		(uint8_t)(v >> 24) };

	q_data(q, b, 4);
}

static void
q_u64(struct qbuf *q, uint64_t v)
{
	q_u32(q, (uint32_t)v);
	q_u32(q, (uint32_t)(v >> 32));
}

static void
q_str(struct qbuf *q, const char *s)
{
	size_t n = strlen(s);
	uint8_t b[2] = { (uint8_t)n, (uint8_t)(n >> 8) };

	if (n > 0xffff) {
		q->err = 1;
		return;
	}
	q_data(q, b, 2);
	q_data(q, s, n);
}

/* One exchange. OUT *type, *data (malloc'd, exactly the reply's payload;
 * caller frees), *len. timeout_ms covers the wait for the reply. */
static int
priv_call_t(struct priv_client *c, uint32_t type, const struct qbuf *q,
    const void *body, size_t blen, uint32_t want, uint8_t **data,
    size_t *len, int timeout_ms)
{
	struct slot *s = NULL;
	struct timespec dl;
	struct iovec v[2];
	uint32_t id = 0;
	int rc = -1, sent;

	*data = NULL;
	*len = 0;
	if (q->err)
		return -1;
	v[0].iov_base = (void *)(uintptr_t)q->d;
	v[0].iov_len = q->len;
	v[1].iov_base = (void *)(uintptr_t)body;
	v[1].iov_len = blen;
	clock_gettime(CLOCK_MONOTONIC, &dl);
	dl.tv_sec += timeout_ms / 1000;
	dl.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (dl.tv_nsec >= 1000000000L) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&c->mu);
	if (c->broken)
		goto out;
	/* A free slot: ids advance until one maps to a free slot. */
	for (unsigned tries = 0; tries < CLIENT_SLOTS; tries++) {
		id = c->next_id++;
		if (id == 0)
			id = c->next_id++;
		if (c->slots[id % CLIENT_SLOTS].id == 0) {
			s = &c->slots[id % CLIENT_SLOTS];
			break;
		}
	}
	if (s == NULL)
		goto out;	/* too many in flight: 503 */
	s->id = id;
	s->ready = 0;
	s->abandoned = 0;
	s->data = NULL;
	s->len = 0;
	pthread_mutex_unlock(&c->mu);
	pthread_mutex_lock(&c->send_mu);
	sent = imsg_sendv(c->fd, type, id, v, blen > 0 ? 2 : 1) == 0;
	pthread_mutex_unlock(&c->send_mu);
	pthread_mutex_lock(&c->mu);
	if (!sent)
		client_break(c, "cannot write to the privileged process");
	while (!s->ready && !c->broken)
		if (pthread_cond_timedwait(&s->cv, &c->mu, &dl) != 0 &&
		    !s->ready)
			break;
	if (s->ready) {
		if (s->type == want) {
			*data = s->data;
			*len = s->len;
			s->data = NULL;
			rc = 0;
		}
		free(s->data);
		s->data = NULL;
		s->id = 0;
		s->ready = 0;
	} else if (c->broken) {
		free(s->data);
		s->data = NULL;
		s->len = 0;
		s->id = 0;
	} else {
		/* Timed out: this request alone gives up. */
		log_warn("privileged process did not answer request %u in"
		    " %d ms", id, timeout_ms);
		s->abandoned = 1;
	}
out:
	pthread_mutex_unlock(&c->mu);
	return rc;
}

int
priv_api(struct priv_client *c, uint32_t op, const char *meeting,
    const char *sub, const char *auth, const uint8_t *body, size_t len,
    int *status, char code[33], char field[33], char **json)
{
	struct qbuf q = { .len = 0, .err = 0 };
	struct mreader r;
	uint8_t *rep = NULL;
	size_t rlen = 0;
	uint32_t n;
	int rc = -1;

	*json = NULL;
	q_u32(&q, op);
	q_str(&q, meeting);
	q_str(&q, sub);
	q_str(&q, auth);
	q_u32(&q, (uint32_t)len);
	if (priv_call_t(c, IMSG_API_REQ, &q, body, len, IMSG_API_REP, &rep,
	        &rlen, PRIV_TIMEOUT_MS) != 0)
		goto out;
	m_reader_raw(&r, rep, rlen);
	*status = (int)m_get_u32(&r);
	m_get_str(&r, code, 33);
	m_get_str(&r, field, 33);
	n = m_get_u32(&r);
	if (r.err || n != r.len - r.off)
		goto out;
	*json = xmalloc((size_t)n + 1);
	memcpy(*json, r.data + r.off, n);
	(*json)[n] = '\0';
	rc = 0;
out:
	free(rep);
	return rc;
}

int
priv_notify_wait(struct priv_client *c, uint64_t after, uint32_t wait_ms,
    char **json)
{
	struct qbuf q = { .len = 0, .err = 0 };
	struct mreader r;
	uint8_t *rep = NULL;
	size_t rlen = 0;
	uint32_t n;
	int rc = -1;

	*json = NULL;
	q_u64(&q, after);
	q_u32(&q, wait_ms);
	if (priv_call_t(c, IMSG_NOTIFY_REQ, &q, NULL, 0, IMSG_NOTIFY_REP, &rep,
	        &rlen, (int)wait_ms + PRIV_TIMEOUT_MS) != 0)
		goto out;
	m_reader_raw(&r, rep, rlen);
	n = m_get_u32(&r);
	if (r.err || n != r.len - r.off)
		goto out;
	if (n > 0) {
		*json = xmalloc((size_t)n + 1);
		memcpy(*json, r.data + r.off, n);
		(*json)[n] = '\0';
	}
	rc = 0;
out:
	free(rep);
	return rc;
}

int
priv_status_get(struct priv_client *c, struct priv_status *out)
{
	struct qbuf q = { .len = 0, .err = 0 };
	struct mreader r;
	uint8_t *rep = NULL;
	size_t rlen = 0;
	int rc = -1;

	if (priv_call_t(c, IMSG_STATUS_REQ, &q, NULL, 0, IMSG_STATUS_REP, &rep,
	        &rlen, PRIV_TIMEOUT_MS) != 0)
		goto out;
	m_reader_raw(&r, rep, rlen);
	out->roll_version = m_get_u32(&r);
	out->box_version = m_get_u32(&r);
	out->members_active = m_get_u64(&r);
	out->credentials_active = m_get_u64(&r);
	out->events = m_get_u64(&r);
	m_get_data(&r, out->server_pk, 32);
	out->storage = m_get_u32(&r);
	out->storage_since = m_get_u64(&r);
	out->storage_failures = m_get_u64(&r);
	out->free_mb = (int64_t)m_get_u64(&r);
	m_get_str(&r, out->storage_code, sizeof out->storage_code);
	m_get_str(&r, out->storage_reason, sizeof out->storage_reason);
	m_get_str(&r, out->storage_fr, sizeof out->storage_fr);
	m_get_str(&r, out->storage_en, sizeof out->storage_en);
	rc = m_end(&r);
out:
	free(rep);
	return rc;
}

int
priv_activate(struct priv_client *c, const char *meeting, const uint8_t pk[32],
    uint64_t ts, const uint8_t sig[64], struct priv_activate *out)
{
	struct qbuf q = { .len = 0, .err = 0 };
	struct mreader r;
	uint8_t *rep = NULL;
	size_t rlen = 0;
	int rc = -1;

	q_str(&q, meeting);
	q_data(&q, pk, 32);
	q_u64(&q, ts);
	q_data(&q, sig, 64);
	if (priv_call_t(c, IMSG_ACTIVATE_REQ, &q, NULL, 0, IMSG_ACTIVATE_REP,
	        &rep, &rlen, PRIV_TIMEOUT_MS) != 0)
		goto out;
	m_reader_raw(&r, rep, rlen);
	out->result = m_get_u32(&r);
	out->at = m_get_u64(&r);
	m_get_data(&r, out->server_sig, 64);
	rc = m_end(&r);
out:
	free(rep);
	return rc;
}

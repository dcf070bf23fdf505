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
 * It is single-threaded: one request at a time, answered in order.
 */
#include "server/priv.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>

#include "server/cred.h"
#include "server/imsg.h"
#include "server/store.h"

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
		log_info("created the server signing key %s", path);
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

	if (m_end(r) != 0)
		return reply_error(rep, PRIV_ERR_MALFORMED);
	if (store_status_get(st, &s) != 0)
		return reply_error(rep, PRIV_ERR_INTERNAL);
	m_add_u32(rep, (uint32_t)s.roll_version);
	m_add_u32(rep, (uint32_t)s.box_version);
	m_add_u64(rep, (uint64_t)s.members_active);
	m_add_u64(rep, (uint64_t)s.credentials_active);
	m_add_u64(rep, (uint64_t)s.events);
	m_add_data(rep, pk, 32);
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

int
priv_run(int fd, const char *datadir, pid_t child)
{
	struct store *st = NULL;
	uint8_t *sk = NULL, pk[32];
	struct imsg *req = xmalloc(sizeof *req);
	struct mbuf *rep = xmalloc(sizeof *rep);
	struct sigaction sa;
	int status = 0, rc = -1, r;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = priv_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (store_open(&st, datadir) != 0 ||
	    priv_key_load(datadir, &sk, pk) != 0) {
		log_warn("privileged process: cannot open the store or key");
		goto out;
	}
	while (!priv_stop) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int p = poll(&pfd, 1, 1000);

		if (p < 0 && errno == EINTR)
			continue;
		if (p < 0)
			break;
		if (p == 0) {
			/* Is the network process still there? */
			if (waitpid(child, &status, WNOHANG) == child) {
				child = -1;
				log_warn("network process exited");
				break;
			}
			continue;
		}
		r = imsg_recv(fd, req, 0);
		if (r == 0)
			break;
		if (r < 0) {
			/* A malformed record: the peer is broken or hostile. */
			log_warn("malformed record from the network process");
			break;
		}
		uint32_t type = priv_dispatch(st, sk, pk, req, rep);
		if (imsg_send(fd, type, req->id, rep) != 0) {
			log_warn("cannot reply to the network process");
			break;
		}
	}
	rc = 0;
out:
	close(fd);
	if (child > 0) {
		kill(child, SIGTERM);
		while (waitpid(child, &status, 0) < 0 && errno == EINTR)
			;
	}
	store_close(st);
	if (sk != NULL)
		sodium_free(sk);
	sodium_memzero(rep, sizeof *rep);
	free(req);
	free(rep);
	if (rc != 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 0;
}

/* ---- client (network process) ---- */

struct priv_client {
	int fd;
	int broken;
	uint32_t next_id;
	pthread_mutex_t mu;
};

struct priv_client *
priv_client_new(int fd)
{
	struct priv_client *c = xcalloc(1, sizeof *c);

	c->fd = fd;
	c->next_id = 1;
	pthread_mutex_init(&c->mu, NULL);
	return c;
}

void
priv_client_free(struct priv_client *c)
{
	if (c == NULL)
		return;
	pthread_mutex_destroy(&c->mu);
	close(c->fd);
	free(c);
}

/* One exchange; rep is filled with the reply of type want. */
static int
priv_call(struct priv_client *c, uint32_t type, const struct mbuf *req,
    uint32_t want, struct imsg *rep)
{
	int rc = -1;

	pthread_mutex_lock(&c->mu);
	if (c->broken)
		goto out;
	uint32_t id = c->next_id++;
	if (imsg_send(c->fd, type, id, req) != 0 ||
	    imsg_recv(c->fd, rep, PRIV_TIMEOUT_MS) != 1 || rep->id != id) {
		/* Out of step: never guess which reply belongs to whom. */
		c->broken = 1;
		log_warn("privileged process channel lost");
		goto out;
	}
	if (rep->type != want)
		goto out;
	rc = 0;
out:
	pthread_mutex_unlock(&c->mu);
	return rc;
}

int
priv_status_get(struct priv_client *c, struct priv_status *out)
{
	struct mbuf req;
	struct imsg *rep = xmalloc(sizeof *rep);
	struct mreader r;
	int rc = -1;

	m_init(&req);
	if (priv_call(c, IMSG_STATUS_REQ, &req, IMSG_STATUS_REP, rep) != 0)
		goto out;
	m_reader(&r, rep);
	out->roll_version = m_get_u32(&r);
	out->box_version = m_get_u32(&r);
	out->members_active = m_get_u64(&r);
	out->credentials_active = m_get_u64(&r);
	out->events = m_get_u64(&r);
	m_get_data(&r, out->server_pk, 32);
	rc = m_end(&r);
out:
	free(rep);
	return rc;
}

int
priv_activate(struct priv_client *c, const char *meeting, const uint8_t pk[32],
    uint64_t ts, const uint8_t sig[64], struct priv_activate *out)
{
	struct mbuf req;
	struct imsg *rep = xmalloc(sizeof *rep);
	struct mreader r;
	int rc = -1;

	m_init(&req);
	m_add_str(&req, meeting);
	m_add_data(&req, pk, 32);
	m_add_u64(&req, ts);
	m_add_data(&req, sig, 64);
	if (priv_call(c, IMSG_ACTIVATE_REQ, &req, IMSG_ACTIVATE_REP, rep) != 0)
		goto out;
	m_reader(&r, rep);
	out->result = m_get_u32(&r);
	out->at = m_get_u64(&r);
	m_get_data(&r, out->server_sig, 64);
	rc = m_end(&r);
out:
	free(rep);
	return rc;
}

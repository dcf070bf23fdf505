/*
 * supervise.c — the network process, started and restarted (supervise.h).
 *
 * `scrutin serve` forks this supervisor before the privileged process
 * opens anything: it keeps only standard error and its end of the control
 * socket; started as root (or by the unit), it chroots into an empty
 * directory and becomes the network user first (confine.c). For each
 * network process it makes a fresh SOCK_SEQPACKET
 * socketpair, forks the network process (web.c; its end as fd 3, every
 * other descriptor closed), and hands the other end to the privileged
 * process over the control socket (SCM_RIGHTS), which adopts it as its
 * channel. When the network process dies — killed, crashed, or stopped
 * because its channel broke (web.c stops on a lost channel) — the
 * supervisor logs it and starts another, at most SUPERVISE_RESTARTS times
 * in SUPERVISE_WINDOW_S seconds; past that, or when a network process
 * could not start at all (web_run exits non-zero before it listens: a bad
 * address, a port taken, assets missing), it exits 1, and the privileged
 * process, which watches it, stops serving with a non-zero status. So a
 * network process that dies is back within a fraction of a second
 * without anyone's help, and a systemd unit's Restart=on-failure sees the
 * cases that need it. OpenSMTPD's parent keeps its children the same way.
 *
 * Trusts web_run and the configuration it was given. Invariants: the
 * supervisor and every network process come from the image of `scrutin
 * serve` before a database or the signing key was opened (the privileged
 * process never forks after opening them); a network process holds only
 * stdio and its channel; the supervisor never holds a channel's end
 * longer than it takes to hand it over; it dies with the privileged
 * process (PR_SET_PDEATHSIG) and each network process with it.
 */
#include "server/supervise.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "server/confine.h"
#include "server/scrutin.h"

static volatile sig_atomic_t sv_stop;
static volatile pid_t sv_net = -1;	/* the running network process */

/* SIGTERM/SIGINT: stop, and pass it on to the network process, whose
 * end the supervisor then waits for. */
static void
sv_on_signal(int sig)
{
	(void)sig;
	sv_stop = 1;
	if (sv_net > 0)
		(void)kill(sv_net, SIGTERM);
}

/* Every descriptor from lo up closed. */
static void
close_from(int lo)
{
	if (syscall(SYS_close_range, (unsigned)lo, ~0u, 0u) != 0)
		for (int i = lo; i < 4096; i++)
			(void)close(i);
}

/* The network process: dies with the supervisor; keeps only stdio and
 * its end of the channel (as fd 3). Never returns. */
static void
net_child_run(int fd, pid_t keeper, const struct web_config *cfg)
{
	(void)prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0);
	if (getppid() != keeper)
		_exit(1);
	if (fd != 3) {
		if (dup2(fd, 3) < 0)	/* the copy is not close-on-exec */
			_exit(1);
	}
	close_from(4);
	_exit(web_run(3, cfg));
}

/* Sends fd over ctl with one byte. 0 or -1. */
static int
channel_send(int ctl, int fd)
{
	char byte = 'c';
	struct iovec iov = { &byte, 1 };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr msg;
	struct cmsghdr *cm;

	memset(&msg, 0, sizeof msg);
	memset(&u, 0, sizeof u);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = u.buf;
	msg.msg_controllen = sizeof u.buf;
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof fd);
	while (sendmsg(ctl, &msg, MSG_NOSIGNAL) < 0)
		if (errno != EINTR)
			return -1;
	return 0;
}

int
supervise_channel_recv(int ctl)
{
	char byte;
	struct iovec iov = { &byte, 1 };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr msg;
	struct cmsghdr *cm;
	ssize_t n;
	int fd = -1;

	memset(&msg, 0, sizeof msg);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = u.buf;
	msg.msg_controllen = sizeof u.buf;
	do
		n = recvmsg(ctl, &msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n != 1 || (msg.msg_flags & (MSG_CTRUNC | MSG_TRUNC)))
		goto out;
	cm = CMSG_FIRSTHDR(&msg);
	if (cm == NULL || cm->cmsg_level != SOL_SOCKET ||
	    cm->cmsg_type != SCM_RIGHTS || cm->cmsg_len != CMSG_LEN(sizeof(int)))
		goto out;
	memcpy(&fd, CMSG_DATA(cm), sizeof fd);
out:
	return fd;
}

/* One network process started and its channel handed over. OUT: *net.
 * 0, or -1 (then nothing runs). */
static int
net_start(int ctl, const struct web_config *cfg, pid_t *net)
{
	int sv[2];
	pid_t pid, self = getpid();
	sigset_t term, old;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
		log_warn("socketpair: %s", strerror(errno));
		return -1;
	}
	/* A SIGTERM between the fork and sv_net would not reach the child. */
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigaddset(&term, SIGINT);
	sigprocmask(SIG_BLOCK, &term, &old);
	if ((pid = fork()) < 0) {
		log_warn("fork: %s", strerror(errno));
		sigprocmask(SIG_SETMASK, &old, NULL);
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0) {
		/* The supervisor's handler is not the network process's:
		 * back to the defaults before a signal can be taken. */
		(void)signal(SIGTERM, SIG_DFL);
		(void)signal(SIGINT, SIG_DFL);
		sigprocmask(SIG_SETMASK, &old, NULL);
		close(sv[0]);
		net_child_run(sv[1], self, cfg);
	}
	sv_net = pid;
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(sv[1]);
	if (channel_send(ctl, sv[0]) != 0) {
		/* The privileged process is gone: stop this one too. */
		close(sv[0]);
		kill(pid, SIGTERM);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		return -1;
	}
	close(sv[0]);
	*net = pid;
	return 0;
}

/* Whether one more restart fits in the window; records it. */
static int
restart_allowed(time_t hist[SUPERVISE_RESTARTS], unsigned *n, time_t now)
{
	unsigned k = 0;

	for (unsigned i = 0; i < *n; i++)
		if (now - hist[i] < SUPERVISE_WINDOW_S)
			hist[k++] = hist[i];
	*n = k;
	if (k == SUPERVISE_RESTARTS)
		return 0;
	hist[(*n)++] = now;
	return 1;
}

/* Waits for the network process net to end (*st, its status), or for
 * the privileged process to close the control socket, on which it never
 * writes: then the network process is stopped, and waited for, and the
 * supervisor stops too (sv_stop). That is how the privileged process
 * stops a supervisor it may not signal (confine.c: another user). 0 or
 * -1. */
static int
net_wait(int ctl, pid_t net, int *st)
{
	int pfd = (int)syscall(SYS_pidfd_open, net, 0);
	struct pollfd p[2] = { { ctl, POLLIN, 0 }, { pfd, POLLIN, 0 } };
	pid_t r = 0;

	while (!sv_stop && r == 0) {
		/* Without pidfd_open (Linux < 5.3): looked at every 200 ms. */
		int n = poll(p, pfd >= 0 ? 2 : 1, pfd >= 0 ? -1 : 200);

		if (n < 0 && errno != EINTR)
			break;
		if (n > 0 && p[0].revents != 0) {
			sv_stop = 1;
			(void)kill(net, SIGTERM);
		} else if (pfd < 0 || (n > 0 && p[1].revents != 0)) {
			r = waitpid(net, st, WNOHANG);
		}
	}
	if (pfd >= 0)
		close(pfd);
	if (r == net)
		return 0;
	while (waitpid(net, st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return 0;
}

/* The supervisor's life. Never returns. */
static void
supervisor_run(int ctl, pid_t priv, const struct web_config *cfg,
    const struct confine *conf, const char *datadir)
{
	struct sigaction sa;
	time_t hist[SUPERVISE_RESTARTS];
	unsigned nhist = 0;
	pid_t net = -1;
	int st = 0;

	log_set_role("scrutin-supervise");
	(void)prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0);
	if (getppid() != priv)
		_exit(1);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = sv_on_signal;	/* no SA_RESTART: poll returns */
	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGTERM, &sa, NULL);
	(void)sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (ctl != 4) {
		if (dup2(ctl, 4) < 0)
			_exit(1);
		ctl = 4;
	}
	close_from(5);
	(void)close(3);
	/* Chrooted, the network user, CAP_NET_BIND_SERVICE only: every
	 * network process is made from this. */
	if (confine_supervisor(conf, datadir) != 0)
		_exit(1);
	/* A change of user clears the parent-death signal: set again, and the
	 * privileged process checked again. */
	(void)prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0);
	if (getppid() != priv)
		_exit(1);
	for (;;) {
		if (sv_stop || net_start(ctl, cfg, &net) != 0)
			_exit(0);
		if (net_wait(ctl, net, &st) != 0)
			_exit(1);
		sv_net = -1;
		if (sv_stop)
			_exit(0);
		if (WIFEXITED(st) && WEXITSTATUS(st) != 0) {
			log_warn("le processus réseau %ld n'a pas pu démarrer "
			    "(statut %d) : arrêt", (long)net, WEXITSTATUS(st));
			_exit(1);
		}
		if (!restart_allowed(hist, &nhist, time(NULL))) {
			log_warn("processus réseau %ld arrêté %d fois en %d s :"
			    " il n'est pas relancé, le serveur s'arrête",
			    (long)net, SUPERVISE_RESTARTS + 1, SUPERVISE_WINDOW_S);
			_exit(1);
		}
		if (WIFSIGNALED(st))
			log_warn("processus réseau %ld tué par le signal %d : "
			    "relancé (%u sur %d en %d s)", (long)net,
			    WTERMSIG(st), nhist, SUPERVISE_RESTARTS,
			    SUPERVISE_WINDOW_S);
		else
			log_warn("processus réseau %ld arrêté : relancé "
			    "(%u sur %d en %d s)", (long)net, nhist,
			    SUPERVISE_RESTARTS, SUPERVISE_WINDOW_S);
	}
}

int
supervise_start(const struct web_config *cfg, const struct confine *conf,
    const char *datadir, pid_t priv, int *ctl, pid_t *pid)
{
	int cv[2];
	pid_t p;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, cv) != 0) {
		log_warn("socketpair: %s", strerror(errno));
		return -1;
	}
	if ((p = fork()) < 0) {
		log_warn("fork: %s", strerror(errno));
		close(cv[0]);
		close(cv[1]);
		return -1;
	}
	if (p == 0) {
		close(cv[0]);
		supervisor_run(cv[1], priv, cfg, conf, datadir);
	}
	close(cv[1]);
	*ctl = cv[0];
	*pid = p;
	return 0;
}

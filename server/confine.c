/*
 * confine.c — who each process of `scrutin serve` runs as, and what it can
 * reach (confine.h).
 *
 * Started as root (or as the privileged user with the unit's ambient
 * capabilities), serve hands the data directory to the privileged user
 * (_scrutin: directory 0700, files 0600) and becomes it, keeping only
 * CAP_SETUID, CAP_SETGID, CAP_SYS_CHROOT and CAP_NET_BIND_SERVICE. The
 * privileged process then drops them all; the supervisor chroots into an
 * empty directory removed at once (nothing can ever be created in it, and
 * /proc/PID/root shows it "(deleted)") and becomes the network user
 * (_scrutin-net), keeping CAP_NET_BIND_SERVICE only, so that each network
 * process it forks can bind 443; each network process's threads drop it
 * before they serve (Linux keeps capabilities per thread: CivetWeb's
 * threads drop theirs in init_thread, then wait at the gate until the
 * main thread, which bound the port and dropped its own, opens it). The
 * network user owns nothing: with the chroot it reaches no file at all.
 *
 * Trusts the password database and the kernel. Invariants: the data
 * directory is changed only through descriptors opened without following
 * links, and only its top-level entries, so a link planted by the
 * privileged user never gives it a file outside; a started-as-root process
 * never serves as root; a failure to drop is fatal, never ignored.
 */
#define _GNU_SOURCE	/* setresuid, setresgid */
#include "server/confine.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/capability.h>
#include <pthread.h>
#include <pwd.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define CAP_BIT(c) (1u << (c))
/* What the set-up needs, and the unit grants (dist/scrutin.service). */
#define CAPS_SETUP (CAP_BIT(CAP_SETUID) | CAP_BIT(CAP_SETGID) | \
    CAP_BIT(CAP_SYS_CHROOT) | CAP_BIT(CAP_NET_BIND_SERVICE))

/* The calling thread's permitted and effective sets, both set to caps
 * (inheritable cleared). 0 or -1. */
static int
caps_set(uint32_t caps)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof d);
	d[0].permitted = d[0].effective = caps;
	return (int)syscall(SYS_capset, &h, d);
}

/* The calling thread's effective set (low word), or 0. */
static uint32_t
caps_effective(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof d);
	if (syscall(SYS_capget, &h, d) != 0)
		return 0;
	return d[0].effective;
}

static int
user_lookup(const char *name, uid_t *uid, gid_t *gid)
{
	struct passwd *pw;

	errno = 0;
	if ((pw = getpwnam(name)) == NULL) {
		log_warn("utilisateur système %s absent : créez-le avec "
		    "« scrutin init --create-users » (user %s missing: create "
		    "it with scrutin init --create-users)", name, name);
		return -1;
	}
	if (pw->pw_uid == 0 || pw->pw_gid == 0) {
		log_warn("l'utilisateur %s est root : choisissez un utilisateur "
		    "sans privilège (--user, --net-user)", name);
		return -1;
	}
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return 0;
}

/* One entry of the data directory (or the directory itself, name "."),
 * given to uid:gid, its group and other bits cleared; through a
 * descriptor opened without following a link. Skips what is neither a
 * file nor a directory, and a file with other links. 0 or -1. */
static int
entry_own(int dfd, const char *name, const struct confine *c)
{
	struct stat st;
	int fd, rc = -1;

	/* Only files and directories are opened (never a link, a device or
	 * a pipe); what else root finds there is left alone. */
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return -1;
	if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
		return 0;
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC |
	    O_NOCTTY);
	if (fd < 0)
		return errno == ELOOP ? 0 : -1;	/* a link: left alone */
	if (fstat(fd, &st) != 0)
		goto out;
	if ((!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) ||
	    (S_ISREG(st.st_mode) && st.st_nlink != 1)) {
		rc = 0;
		goto out;
	}
	if ((st.st_uid != c->uid || st.st_gid != c->gid) &&
	    fchown(fd, c->uid, c->gid) != 0)
		goto out;
	if ((st.st_mode & 077) != 0 && fchmod(fd, st.st_mode & 0700) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		log_warn("%s : %s", name, strerror(errno));
	close(fd);
	return rc;
}

/* As root: the data directory, made if missing, and its top-level
 * entries, the privileged user's. 0 or -1. */
static int
datadir_give(const char *datadir, const struct confine *c)
{
	DIR *d;
	struct dirent *e;
	int dfd, rc = 0;

	if (mkdir(datadir, 0700) != 0 && errno != EEXIST) {
		log_warn("%s : %s", datadir, strerror(errno));
		return -1;
	}
	dfd = open(datadir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0) {
		log_warn("%s : pas un répertoire (%s)", datadir, strerror(errno));
		return -1;
	}
	if (entry_own(dfd, ".", c) != 0 || (d = fdopendir(dup(dfd))) == NULL) {
		close(dfd);
		return -1;
	}
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
		    entry_own(dfd, e->d_name, c) != 0)
			rc = -1;
	closedir(d);
	close(dfd);
	return rc;
}

/* Becomes uid:gid (no supplementary group), keeping caps. 0 or -1. */
static int
become(uid_t uid, gid_t gid, uint32_t caps)
{
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0 ||
	    setgroups(1, &gid) != 0 || setresgid(gid, gid, gid) != 0 ||
	    setresuid(uid, uid, uid) != 0 || caps_set(caps) != 0 ||
	    prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) != 0) {
		log_warn("changement d'utilisateur impossible (uid %ld) : %s",
		    (long)uid, strerror(errno));
		return -1;
	}
	return 0;
}

int
confine_prepare(struct confine *c, const char *user, const char *net_user,
    const char *datadir)
{
	int root = geteuid() == 0;

	memset(c, 0, sizeof c[0]);
	if (!root && (caps_effective() & CAPS_SETUP) != CAPS_SETUP)
		return 0;
	if (snprintf(c->user, sizeof c->user, "%s", user) >= (int)sizeof c->user ||
	    snprintf(c->net_user, sizeof c->net_user, "%s", net_user) >=
	    (int)sizeof c->net_user ||
	    user_lookup(user, &c->uid, &c->gid) != 0 ||
	    user_lookup(net_user, &c->net_uid, &c->net_gid) != 0)
		return -1;
	if (c->uid == c->net_uid || c->gid == c->net_gid) {
		log_warn("--user et --net-user doivent être deux utilisateurs "
		    "de groupes distincts (%s, %s)", user, net_user);
		return -1;
	}
	if (!root && geteuid() != c->uid) {
		log_warn("lancé avec des capacités par l'uid %ld, qui n'est pas "
		    "%s : lancez-le en root ou en tant que %s", (long)geteuid(),
		    user, user);
		return -1;
	}
	tzset();	/* before the chroot: /etc/localtime, once */
	if (root && (datadir_give(datadir, c) != 0 ||
	    become(c->uid, c->gid, CAPS_SETUP) != 0))
		return -1;
	if (access(datadir, R_OK | W_OK | X_OK) != 0) {
		log_warn("%s : inaccessible à l'utilisateur %s (%s) : ses "
		    "répertoires parents doivent lui être traversables (chmod "
		    "o+x) ; not reachable by %s", datadir, user, strerror(errno),
		    user);
		return -1;
	}
	(void)umask(077);
	c->on = 1;
	return 0;
}

int
confine_priv(const struct confine *c)
{
	if (!c->on)
		return 0;
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 ||
	    caps_set(0) != 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		log_warn("abandon des capacités impossible : %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}

int
confine_supervisor(const struct confine *c, const char *datadir)
{
	char empty[PATH_MAX];
	int fd, n;

	if (!c->on)
		return 0;
	n = snprintf(empty, sizeof empty, "%s/.vide-XXXXXX", datadir);
	if (n < 0 || (size_t)n >= sizeof empty || mkdtemp(empty) == NULL ||
	    (fd = open(empty, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		log_warn("%s : répertoire vide impossible : %s", empty,
		    strerror(errno));
		return -1;
	}
	n = rmdir(empty) != 0 || fchdir(fd) != 0 || chroot(".") != 0 ||
	    chdir("/") != 0;
	close(fd);
	if (n) {
		log_warn("chroot impossible : %s", strerror(errno));
		return -1;
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 ||
	    become(c->net_uid, c->net_gid, CAP_BIT(CAP_NET_BIND_SERVICE)) != 0)
		return -1;
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 ? 0 : -1;
}

void
confine_thread_drop(void)
{
	if (caps_set(0) != 0)
		abort();
}

static pthread_mutex_t gate_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cv = PTHREAD_COND_INITIALIZER;
static int gate_open;
static unsigned gate_arrived;	/* threads that dropped and wait */

void
confine_gate_wait(void)
{
	pthread_mutex_lock(&gate_mu);
	gate_arrived++;
	pthread_cond_broadcast(&gate_cv);
	while (!gate_open)
		pthread_cond_wait(&gate_cv, &gate_mu);
	pthread_mutex_unlock(&gate_mu);
}

void
confine_gate_open(unsigned expected)
{
	struct timespec end;

	clock_gettime(CLOCK_REALTIME, &end);
	end.tv_sec += CONFINE_GATE_WAIT_S;
	pthread_mutex_lock(&gate_mu);
	while (!gate_open && gate_arrived < expected)
		if (pthread_cond_timedwait(&gate_cv, &gate_mu, &end) != 0) {
			log_warn("%u fils sur %u au départ après %d s",
			    gate_arrived, expected, CONFINE_GATE_WAIT_S);
			break;
		}
	gate_open = 1;
	pthread_cond_broadcast(&gate_cv);
	pthread_mutex_unlock(&gate_mu);
}

/* useradd for name when it is missing. 0 or -1. */
static int
user_create(const char *name)
{
	char *argv[] = { "useradd", "--system", "--user-group",
		"--no-create-home", "--home-dir", "/nonexistent", "--shell",
		"/usr/sbin/nologin", "--comment", "Scrutin", (char *)name, NULL };
	pid_t pid;
	int st;

	if (getpwnam(name) != NULL)
		return 0;
	if (posix_spawnp(&pid, "useradd", NULL, NULL, argv, environ) != 0) {
		log_warn("useradd introuvable : créez l'utilisateur %s", name);
		return -1;
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || getpwnam(name) == NULL) {
		log_warn("useradd %s a échoué", name);
		return -1;
	}
	log_info("utilisateur système %s créé", name);
	return 0;
}

int
confine_users_create(const char *user, const char *net_user)
{
	if (geteuid() != 0) {
		log_warn("--create-users : à lancer en root (sudo)");
		return -1;
	}
	return user_create(user) == 0 && user_create(net_user) == 0 ? 0 : -1;
}

int
confine_path_under(const char *path, const char *datadir)
{
	char dd[PATH_MAX], p[PATH_MAX], probe[PATH_MAX], *slash;
	size_t n;

	if (realpath(datadir, dd) == NULL)
		return errno == ENOENT ? 0 : -1;
	/* The nearest ancestor of path that exists, resolved. */
	if (snprintf(probe, sizeof probe, "%s", path) >= (int)sizeof probe)
		return -1;
	while (realpath(probe, p) == NULL) {
		if ((slash = strrchr(probe, '/')) == NULL) {
			if (getcwd(p, sizeof p) == NULL)
				return -1;
			break;
		}
		if (slash == probe) {
			snprintf(p, sizeof p, "/");
			break;
		}
		*slash = '\0';
	}
	n = strlen(dd);
	return strncmp(p, dd, n) == 0 && (p[n] == '\0' || p[n] == '/' ||
	    strcmp(dd, "/") == 0);
}

/*
 * confine.h — the users and the confinement of `scrutin serve`'s processes
 * (confine.c): the privileged process as its own user, the supervisor and
 * the network process as another, chrooted into an empty directory, with
 * only the capability to bind a low port, dropped by every thread before
 * it serves.
 */
#ifndef SCRUTIN_SERVER_CONFINE_H
#define SCRUTIN_SERVER_CONFINE_H

#include <sys/types.h>

#include "server/scrutin.h"

#define CONFINE_USER_DEFAULT "_scrutin"
#define CONFINE_NET_USER_DEFAULT "_scrutin-net"

struct confine {
	int on;			/* 0: started by a plain user, nothing changes */
	uid_t uid, net_uid;
	gid_t gid, net_gid;
	char user[64], net_user[64];
};

/*
 * Decides and prepares, before anything is opened. Started as root: looks
 * the two users up, gives the data directory (made if missing, mode 0700)
 * and its top-level entries to the privileged user (files 0600), and
 * becomes that user keeping only the capabilities the other steps need
 * (setuid, setgid, chroot, bind a port below 1024). Started as the
 * privileged user with those capabilities (the systemd unit: User= and
 * AmbientCapabilities=): the same, the data directory already its own.
 * Started otherwise: c->on = 0 and nothing changes. 0, or -1 with the
 * reason logged in French (a missing user names `scrutin init
 * --create-users`).
 */
int confine_prepare(struct confine *c, const char *user,
    const char *net_user, const char *datadir) WUR;

/* The privileged process, after the fork of the supervisor: every
 * capability dropped, no new privileges. 0 or -1. */
int confine_priv(const struct confine *c) WUR;

/* The supervisor, before its first network process: chrooted into an
 * empty directory that no longer exists (made under datadir, removed at
 * once), then the network user, keeping only CAP_NET_BIND_SERVICE, which
 * each network process drops once it listens. 0 or -1. */
int confine_supervisor(const struct confine *c, const char *datadir) WUR;

/* The calling thread's capabilities, all dropped (a network process's
 * threads: Linux keeps them per thread). Aborts on failure. */
void confine_thread_drop(void);

/* A gate the network process's server threads wait at (after dropping
 * their capabilities) until the process is ready to serve. open waits
 * until expected threads have arrived (so that none holds a capability
 * when the process says it listens), CONFINE_GATE_WAIT_S at most (a thread
 * CivetWeb could not create never comes), then lets them all through;
 * called again, it opens at once. */
#define CONFINE_GATE_WAIT_S 10
void confine_gate_wait(void);
void confine_gate_open(unsigned expected);

/* `scrutin init --create-users`: the two system users, made with
 * useradd when missing (root only). 0 or -1. */
int confine_users_create(const char *user, const char *net_user) WUR;

/* 1 when path (existing or not) is datadir or under it, 0 when not, -1
 * when datadir cannot be resolved. */
int confine_path_under(const char *path, const char *datadir);

#endif

/*
 * supervise.h — the network process, started and restarted by a
 * supervisor of its own (supervise.c), and the privileged process's end
 * of it: each new network process's channel arrives over a control
 * socket.
 */
#ifndef SCRUTIN_SERVER_SUPERVISE_H
#define SCRUTIN_SERVER_SUPERVISE_H

#include <sys/types.h>

#include "server/confine.h"
#include "server/web.h"

/* At most this many restarts of the network process in
 * SUPERVISE_WINDOW_S seconds; one more death and the supervisor exits 1,
 * and the appliance stops with it. */
#define SUPERVISE_RESTARTS 5
#define SUPERVISE_WINDOW_S 60

/*
 * Forks the supervisor, which starts the network process (web_run with
 * cfg) and starts a new one each time it dies (see supervise.c). To be
 * called before anything secret is opened: the supervisor and every
 * network process are made from this image. conf (confine_prepare): the
 * supervisor confines itself (confine_supervisor, with datadir) before its
 * first network process. OUT: *ctl, the privileged
 * process's end of the control socket (close-on-exec), on which each
 * network process's channel arrives (supervise_channel_recv); *pid, the
 * supervisor's. priv: the calling process's pid. 0 or -1.
 */
int supervise_start(const struct web_config *cfg, const struct confine *conf,
    const char *datadir, pid_t priv, int *ctl, pid_t *pid);

/* The next network process's channel from ctl (close-on-exec), or -1
 * (nothing whole to read, or the supervisor is gone). */
int supervise_channel_recv(int ctl);

#endif

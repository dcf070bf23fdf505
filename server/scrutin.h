/*
 * scrutin.h — what every part of the server shares.
 *
 * The server is three kinds of process, one file each, so that `ls server/`
 * shows the trust boundaries (OpenSMTPD's layout):
 *
 *   process      file       holds                          talks to
 *   ----------   --------   ----------------------------   ------------------
 *   privileged   priv.c     roll.db, box.db, signing key   network (imsg)
 *   network      web.c      TLS key, CivetWeb, assets      clients, privileged
 *   command      scrutin.c  whatever the command needs     the operator (CLI)
 *                (cli*.c)
 *
 * The network process never opens a database or the signing key: it asks
 * the privileged process with the typed messages of priv.h over a
 * socketpair (imsg.c). The operator's commands (roll import, credential
 * issue...) run as the operator and use store.c directly; every state
 * change, wherever it comes from, is recorded by store_event_record().
 *
 * This header holds the helpers every file uses: allocation that aborts on
 * out-of-memory (common/xmalloc.h, so error paths stay for real errors),
 * logging, files, and the aborting form of crypto/hex.h's encoder.
 */
#ifndef SCRUTIN_SERVER_SCRUTIN_H
#define SCRUTIN_SERVER_SCRUTIN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Allocation: abort on out-of-memory. Callers free with free(). */
#include "common/xmalloc.h"

#define SCRUTIN_VERSION "0.1.0"
#define WUR __attribute__((warn_unused_result))
#define PRINTF(a, b) __attribute__((format(printf, a, b)))

/* Logging to stderr, one line each, with the process role as prefix. */
void log_set_role(const char *role);
void log_info(const char *fmt, ...) PRINTF(1, 2);
void log_warn(const char *fmt, ...) PRINTF(1, 2);

/*
 * Reads a whole regular file of at most cap bytes. OUT: *data (caller
 * frees; NUL-terminated for convenience, the NUL not counted) and *len.
 * Returns 0, -1 on error, -2 when the file is larger than cap.
 */
int file_read_capped(const char *path, size_t cap, uint8_t **data,
    size_t *len) WUR;

/*
 * Writes data to path through a temporary file, fsync and rename, so the
 * file is either the old one or the whole new one. mode applies to the new
 * file (0600 for secrets). Returns 0 or -1.
 */
int file_write_atomic(const char *path, const void *data, size_t len,
    mode_t mode) WUR;

/* Joins dir and name into out (cap bytes). Returns 0, or -1 if too long. */
int path_join(char *out, size_t cap, const char *dir, const char *name) WUR;

/* Lowercase hex (crypto/hex.h's hex_encode) of n bytes into out, which
 * the caller sized (cap >= 2*n+1) by construction: aborts otherwise, like
 * xmalloc. Decoding is hex_decode of crypto/hex.h (strict lowercase,
 * exact length). */
void xhex_encode(char *out, size_t cap, const uint8_t *in, size_t n);

uint64_t now_unix(void);

/* Strictly valid UTF-8 (no overlong forms, surrogates or > U+10FFFF). */
int utf8_valid(const uint8_t *s, size_t n);

#endif

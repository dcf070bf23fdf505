/*
 * imsg.h — framing of the messages between the network process and the
 * privileged process (after OpenSMTPD's imsg and mproc m_* helpers).
 *
 * A message is one SOCK_SEQPACKET record: a fixed 12-byte header
 *   LE32 type || LE32 id || LE32 len
 * followed by exactly len bytes of payload (len <= IMSG_MAX_PAYLOAD). A
 * record whose length is not 12 + len, or larger than the maximum, is
 * rejected whole. Payloads are sequences of typed fields written with
 * m_add_* and read back with m_get_*; m_end() fails when anything is left
 * over, so a message is either exactly what the reader expects or nothing.
 * Integers are little-endian; strings are LE16 length || bytes, without NUL
 * and of at most the caller's cap.
 */
#ifndef SCRUTIN_SERVER_IMSG_H
#define SCRUTIN_SERVER_IMSG_H

#include <stddef.h>
#include <stdint.h>

#include "server/scrutin.h"

#define IMSG_HDR_SIZE 12u
#define IMSG_MAX_PAYLOAD 65536u
#define IMSG_MAX_RECORD (IMSG_HDR_SIZE + IMSG_MAX_PAYLOAD)

struct imsg {
	uint32_t type;
	uint32_t id;
	uint32_t len;
	uint8_t data[IMSG_MAX_PAYLOAD];
};

/* Payload under construction. err is set by any add that does not fit. */
struct mbuf {
	uint8_t data[IMSG_MAX_PAYLOAD];
	size_t len;
	int err;
};

/* Payload being read. err is set by any get that fails. */
struct mreader {
	const uint8_t *data;
	size_t len;
	size_t off;
	int err;
};

/*
 * Decodes one record of n bytes into *out. Returns 0, or -1 when the
 * header is short, len is over the maximum or does not match n.
 */
int imsg_decode(struct imsg *out, const uint8_t *rec, size_t n) WUR;
/* Encodes a record into rec (IMSG_MAX_RECORD bytes); returns its size,
 * or 0 if len is over the maximum. */
size_t imsg_encode(uint8_t *rec, uint32_t type, uint32_t id,
    const uint8_t *payload, size_t len);

/* Sends one record on a SOCK_SEQPACKET socket. Returns 0 or -1. */
int imsg_send(int fd, uint32_t type, uint32_t id, const struct mbuf *m) WUR;
/* The same, the payload being the n pieces one after the other (no copy;
 * n <= IMSG_SENDV_MAX, total <= IMSG_MAX_PAYLOAD). */
#define IMSG_SENDV_MAX 4
struct iovec;
int imsg_sendv(int fd, uint32_t type, uint32_t id, const struct iovec *piece,
    int n) WUR;
/*
 * Receives one record (its payload straight into out->data), waiting at
 * most timeout_ms (-1: forever). Returns 1
 * with *out filled, 0 on end of stream, -1 on error, timeout or a record
 * that is truncated or malformed.
 */
int imsg_recv(int fd, struct imsg *out, int timeout_ms) WUR;

void m_init(struct mbuf *m);
void m_add_u32(struct mbuf *m, uint32_t v);
void m_add_u64(struct mbuf *m, uint64_t v);
void m_add_data(struct mbuf *m, const void *p, size_t n);
void m_add_str(struct mbuf *m, const char *s);

void m_reader(struct mreader *r, const struct imsg *msg);
void m_reader_raw(struct mreader *r, const uint8_t *data, size_t len);
uint32_t m_get_u32(struct mreader *r);
uint64_t m_get_u64(struct mreader *r);
/* Exactly n bytes into p. */
void m_get_data(struct mreader *r, void *p, size_t n);
/* A string of at most cap-1 bytes, NUL-terminated into s; rejects NUL
 * inside. */
void m_get_str(struct mreader *r, char *s, size_t cap);
/* 0 when every get succeeded and nothing is left; -1 otherwise. */
int m_end(const struct mreader *r) WUR;

#endif

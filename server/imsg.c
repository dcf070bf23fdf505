/*
 * imsg.c — fixed-header typed records over a SOCK_SEQPACKET socketpair.
 *
 * SEQPACKET keeps record boundaries, so a record is read whole or not at
 * all: recv() with MSG_TRUNC tells us when the peer sent more than the
 * maximum, and such a record is rejected rather than read in pieces. Every
 * size is checked before every copy; readers fail closed (m_end).
 */
#include "server/imsg.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>

static void
put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint32_t
get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

int
imsg_decode(struct imsg *out, const uint8_t *rec, size_t n)
{
	if (n < IMSG_HDR_SIZE || n > IMSG_MAX_RECORD)
		return -1;
	out->type = get_le32(rec);
	out->id = get_le32(rec + 4);
	out->len = get_le32(rec + 8);
	if (out->len > IMSG_MAX_PAYLOAD || out->len != n - IMSG_HDR_SIZE)
		return -1;
	memcpy(out->data, rec + IMSG_HDR_SIZE, out->len);
	return 0;
}

size_t
imsg_encode(uint8_t *rec, uint32_t type, uint32_t id, const uint8_t *payload,
    size_t len)
{
	if (len > IMSG_MAX_PAYLOAD)
		return 0;
	put_le32(rec, type);
	put_le32(rec + 4, id);
	put_le32(rec + 8, (uint32_t)len);
	if (len > 0)
		memcpy(rec + IMSG_HDR_SIZE, payload, len);
	return IMSG_HDR_SIZE + len;
}

int
imsg_send(int fd, uint32_t type, uint32_t id, const struct mbuf *m)
{
	uint8_t rec[IMSG_MAX_RECORD];
	size_t n;
	ssize_t w;

	if (m->err)
		return -1;
	if ((n = imsg_encode(rec, type, id, m->data, m->len)) == 0)
		return -1;
	do {
		w = send(fd, rec, n, MSG_NOSIGNAL);
	} while (w < 0 && errno == EINTR);
	return (w >= 0 && (size_t)w == n) ? 0 : -1;
}

int
imsg_recv(int fd, struct imsg *out, int timeout_ms)
{
	uint8_t rec[IMSG_MAX_RECORD];
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t r;
	int p;

	do {
		p = poll(&pfd, 1, timeout_ms);
	} while (p < 0 && errno == EINTR);
	if (p <= 0)
		return -1;
	do {
		r = recv(fd, rec, sizeof rec, MSG_TRUNC);
	} while (r < 0 && errno == EINTR);
	if (r == 0)
		return 0;
	if (r < 0 || (size_t)r > sizeof rec)
		return -1;
	return imsg_decode(out, rec, (size_t)r) == 0 ? 1 : -1;
}

void
m_init(struct mbuf *m)
{
	m->len = 0;
	m->err = 0;
}

void
m_add_data(struct mbuf *m, const void *p, size_t n)
{
	if (m->err || n > sizeof m->data - m->len) {
		m->err = 1;
		return;
	}
	if (n > 0)
		memcpy(m->data + m->len, p, n);
	m->len += n;
}

void
m_add_u32(struct mbuf *m, uint32_t v)
{
	uint8_t b[4];

	put_le32(b, v);
	m_add_data(m, b, 4);
}

void
m_add_u64(struct mbuf *m, uint64_t v)
{
	uint8_t b[8];

	put_le32(b, (uint32_t)v);
	put_le32(b + 4, (uint32_t)(v >> 32));
	m_add_data(m, b, 8);
}

void
m_add_str(struct mbuf *m, const char *s)
{
	size_t n = strlen(s);
	uint8_t b[2];

	if (n > 0xffff) {
		m->err = 1;
		return;
	}
	b[0] = (uint8_t)n;
	b[1] = (uint8_t)(n >> 8);
	m_add_data(m, b, 2);
	m_add_data(m, s, n);
}

void
m_reader_raw(struct mreader *r, const uint8_t *data, size_t len)
{
	r->data = data;
	r->len = len;
	r->off = 0;
	r->err = 0;
}

void
m_reader(struct mreader *r, const struct imsg *msg)
{
	m_reader_raw(r, msg->data, msg->len);
}

void
m_get_data(struct mreader *r, void *p, size_t n)
{
	if (r->err || n > r->len - r->off) {
		r->err = 1;
		memset(p, 0, n);
		return;
	}
	memcpy(p, r->data + r->off, n);
	r->off += n;
}

uint32_t
m_get_u32(struct mreader *r)
{
	uint8_t b[4];

	m_get_data(r, b, 4);
	return get_le32(b);
}

uint64_t
m_get_u64(struct mreader *r)
{
	uint8_t b[8];

	m_get_data(r, b, 8);
	return (uint64_t)get_le32(b) | (uint64_t)get_le32(b + 4) << 32;
}

void
m_get_str(struct mreader *r, char *s, size_t cap)
{
	uint8_t b[2];
	size_t n;

	s[0] = '\0';
	m_get_data(r, b, 2);
	if (r->err)
		return;
	n = (size_t)b[0] | (size_t)b[1] << 8;
	if (n >= cap || n > r->len - r->off ||
	    memchr(r->data + r->off, '\0', n) != NULL) {
		r->err = 1;
		return;
	}
	memcpy(s, r->data + r->off, n);
	s[n] = '\0';
	r->off += n;
}

int
m_end(const struct mreader *r)
{
	return (!r->err && r->off == r->len) ? 0 : -1;
}

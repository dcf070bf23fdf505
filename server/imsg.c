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
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

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
imsg_sendv(int fd, uint32_t type, uint32_t id, const struct iovec *piece,
    int n)
{
	uint8_t hdr[IMSG_HDR_SIZE];
	struct iovec iov[1 + IMSG_SENDV_MAX];
	struct msghdr mh;
	size_t len = 0;
	ssize_t w;

	if (n < 0 || n > IMSG_SENDV_MAX)
		return -1;
	for (int i = 0; i < n; i++) {
		if (piece[i].iov_len > IMSG_MAX_PAYLOAD - len)
			return -1;
		len += piece[i].iov_len;
		iov[1 + i] = piece[i];
	}
	put_le32(hdr, type);
	put_le32(hdr + 4, id);
	put_le32(hdr + 8, (uint32_t)len);
	iov[0].iov_base = hdr;
	iov[0].iov_len = sizeof hdr;
	memset(&mh, 0, sizeof mh);
	mh.msg_iov = iov;
	mh.msg_iovlen = (size_t)(1 + n);
	/* One record (SOCK_SEQPACKET): header and payload, no copy. */
	do {
		w = sendmsg(fd, &mh, MSG_NOSIGNAL);
	} while (w < 0 && errno == EINTR);
	return (w >= 0 && (size_t)w == IMSG_HDR_SIZE + len) ? 0 : -1;
}

int
imsg_send(int fd, uint32_t type, uint32_t id, const struct mbuf *m)
{
	struct iovec v = { .iov_base = (void *)(uintptr_t)m->data,
		.iov_len = m->len };

	if (m->err)
		return -1;
	return imsg_sendv(fd, type, id, &v, 1);
}

int
imsg_recv(int fd, struct imsg *out, int timeout_ms)
{
	uint8_t hdr[IMSG_HDR_SIZE];
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct iovec iov[2] = { { .iov_base = hdr, .iov_len = sizeof hdr },
		{ .iov_base = out->data, .iov_len = IMSG_MAX_PAYLOAD } };
	struct msghdr mh;
	ssize_t r;
	int p;

	do {
		p = poll(&pfd, 1, timeout_ms);
	} while (p < 0 && errno == EINTR);
	if (p <= 0)
		return -1;
	/* Straight into out: the header apart, the payload in place. A
	 * record longer than the maximum is cut by the kernel and flagged
	 * MSG_TRUNC: refused whole, as a short or inconsistent one. */
	memset(&mh, 0, sizeof mh);
	mh.msg_iov = iov;
	mh.msg_iovlen = 2;
	do {
		r = recvmsg(fd, &mh, 0);
	} while (r < 0 && errno == EINTR);
	if (r == 0)
		return 0;
	if (r < (ssize_t)IMSG_HDR_SIZE || (mh.msg_flags & MSG_TRUNC))
		return -1;
	out->type = get_le32(hdr);
	out->id = get_le32(hdr + 4);
	out->len = get_le32(hdr + 8);
	if (out->len > IMSG_MAX_PAYLOAD ||
	    out->len != (size_t)r - IMSG_HDR_SIZE)
		return -1;
	return 1;
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

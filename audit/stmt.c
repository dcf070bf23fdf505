/*
 * stmt.c — statements and the keyed hash table of audit/ (stmt.h).
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "audit/stmt.h"
#include "common/xmalloc.h"

void
audit_stmt_begin(audit_stmt *s, const char *label)
{
	framebuf_init(&s->fb, s->buf, sizeof s->buf);
	framebuf_field(&s->fb, "scrutin/1", 9);
	framebuf_field(&s->fb, label, strlen(label));
}

void
audit_stmt_field(audit_stmt *s, const void *f, size_t len)
{
	framebuf_field(&s->fb, f, len);
}

void
audit_stmt_str(audit_stmt *s, const char *str)
{
	framebuf_field(&s->fb, str, strlen(str));
}

void
audit_stmt_u64(audit_stmt *s, uint64_t v)
{
	framebuf_field_u64(&s->fb, v);
}

size_t
audit_stmt_len(const audit_stmt *s)
{
	return s->fb.overflow ? 0 : s->fb.len;
}

int
audit_stmt_verify(const audit_stmt *s, const uint8_t pk[32],
    const uint8_t sig[64])
{
	size_t n = audit_stmt_len(s);

	if (n == 0)
		return -1;
	return crypto_sign_verify_detached(sig, s->buf, n, pk) == 0 ? 0 : -1;
}

int
audit_stmt_sign(const audit_stmt *s, const uint8_t sk[64], uint8_t sig[64])
{
	size_t n = audit_stmt_len(s);

	if (n == 0)
		return -1;
	return crypto_sign_detached(sig, NULL, s->buf, n, sk) == 0 ? 0 : -1;
}

void
audit_htab_init(audit_htab *h)
{
	h->cap = 1024;
	h->count = 0;
	h->keys = xcalloc(h->cap, 32);
	h->vals = xcalloc(h->cap, sizeof *h->vals);
	h->used = xcalloc(h->cap, 1);
	randombytes_buf(h->sipkey, sizeof h->sipkey);
}

void
audit_htab_free(audit_htab *h)
{
	free(h->keys);
	free(h->vals);
	free(h->used);
	memset(h, 0, sizeof *h);
}

static size_t
slot_of(const audit_htab *h, const uint8_t key[32])
{
	uint8_t out[8];
	uint64_t v;

	crypto_shorthash(out, key, 32, h->sipkey);
	memcpy(&v, out, 8);
	return (size_t)(v & (h->cap - 1));
}

int
audit_htab_get(const audit_htab *h, const uint8_t key[32], uint32_t *val)
{
	size_t i = slot_of(h, key);

	while (h->used[i]) {
		if (memcmp(h->keys[i], key, 32) == 0) {
			*val = h->vals[i];
			return 1;
		}
		i = (i + 1) & (h->cap - 1);
	}
	return 0;
}

static void
put_nogrow(audit_htab *h, const uint8_t key[32], uint32_t val)
{
	size_t i = slot_of(h, key);

	while (h->used[i]) {
		if (memcmp(h->keys[i], key, 32) == 0) {
			h->vals[i] = val;
			return;
		}
		i = (i + 1) & (h->cap - 1);
	}
	h->used[i] = 1;
	memcpy(h->keys[i], key, 32);
	h->vals[i] = val;
	h->count++;
}

void
audit_htab_put(audit_htab *h, const uint8_t key[32], uint32_t val)
{
	if ((h->count + 1) * 2 > h->cap) {
		audit_htab old = *h;
		h->cap *= 2;
		h->count = 0;
		h->keys = xcalloc(h->cap, 32);
		h->vals = xcalloc(h->cap, sizeof *h->vals);
		h->used = xcalloc(h->cap, 1);
		for (size_t i = 0; i < old.cap; i++)
			if (old.used[i])
				put_nogrow(h, old.keys[i], old.vals[i]);
		free(old.keys);
		free(old.vals);
		free(old.used);
	}
	put_nogrow(h, key, val);
}

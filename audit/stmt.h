/*
 * stmt.h — the signed statements of the record (docs/record.md §5) and a
 * small keyed hash table, shared by the verifier, the minutes tool and
 * the test generator.
 *
 * A statement is T(label, f1, …, fk) of docs/protocol.md §2 built in a
 * fixed buffer; an overflow (a programming error: every field is capped
 * by its parser) leaves len = 0, which no signature verifies against.
 */
#ifndef SCRUTIN_AUDIT_STMT_H
#define SCRUTIN_AUDIT_STMT_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/group.h"

#define AUDIT_STMT_MAX 16384

typedef struct {
	uint8_t buf[AUDIT_STMT_MAX];
	framebuf fb;
} audit_stmt;

void audit_stmt_begin(audit_stmt *s, const char *label);
void audit_stmt_field(audit_stmt *s, const void *f, size_t len);
void audit_stmt_str(audit_stmt *s, const char *str);
void audit_stmt_u64(audit_stmt *s, uint64_t v);
/* The statement's bytes and length (0 after an overflow). */
size_t audit_stmt_len(const audit_stmt *s);

/* Strict Ed25519 verification of sig over the statement by pk. */
int audit_stmt_verify(const audit_stmt *s, const uint8_t pk[32],
    const uint8_t sig[64]) SCRUTIN_WUR;
int audit_stmt_sign(const audit_stmt *s, const uint8_t sk[64],
    uint8_t sig[64]) SCRUTIN_WUR;

/* --- a hash table from 32-byte keys to 32-bit values ------------------
 * Open addressing with linear probing, keyed SipHash (libsodium
 * crypto_shorthash with a random key) so that crafted keys cannot make
 * it quadratic. Keys are copied. Aborts on out-of-memory. */
typedef struct {
	uint8_t (*keys)[32];
	uint32_t *vals;
	uint8_t *used;
	size_t cap, count;
	uint8_t sipkey[16];
} audit_htab;

void audit_htab_init(audit_htab *h);
void audit_htab_free(audit_htab *h);
/* OUT *val if key is present: returns 1, else 0. */
int audit_htab_get(const audit_htab *h, const uint8_t key[32], uint32_t *val);
/* Inserts or replaces. */
void audit_htab_put(audit_htab *h, const uint8_t key[32], uint32_t val);

#endif

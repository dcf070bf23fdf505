/*
 * qdigest.h — the question digest of docs/protocol.md §5.7 (scrutin/2):
 * a hash over a question's content as the record's question.opened
 * carries it (kind, rule, label, every choice in order, min, max, seats,
 * secrecy…), which every ballot's proofs and every show-of-hands
 * statement then commit to. Shared by the server (the ballot path, the
 * screens), the verifier and scrutin-trustee.
 *
 * Trusts jansson's parse of the payload. Invariant: two payloads give
 * the same digest exactly when every field of §5.7 is equal (the
 * encoding frames each field; an absent optional field is the empty
 * string or 0, which no present value can be); a field of §5.7 of the
 * wrong type is an error, never a default.
 */
#ifndef SCRUTIN_AUDIT_QDIGEST_H
#define SCRUTIN_AUDIT_QDIGEST_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* The protocol versions a record may declare (meeting "protocol"). */
#define QDIGEST_PROTOCOL_V2 "scrutin/2"

/* OUT d = the question digest of a question.opened payload p (or of a
 * question the mail-in window published: the same fields). 0, or -1
 * when a field §5.7 reads is missing or of the wrong type. */
int question_digest(uint8_t d[32], const json_t *p);

/* The short form shown on screens and in the minutes: the first 8 hex
 * digits in two groups, "1a2b 3c4d" (out: at least 10 bytes). */
void question_digest_short(char out[10], const uint8_t d[32]);

#endif

/*
 * qdigest.c — the question digest (docs/protocol.md §5.7):
 *
 *   qdigest = H256("question", qid, kind, rule, label, LE64 secret,
 *                  LE64 min, LE64 max, LE64 seats, LE64 round, post,
 *                  amends, amendment, LE64 n, CH_1, …, CH_n)
 *   CH_j    = frame(id) || frame(label) || frame(member) || frame(LE64 blank)
 *
 * Trusts jansson; reads the payload only. Invariant: every string is
 * hashed as its UTF-8 bytes (jansson's length, so an embedded NUL is
 * kept), every absent optional field as the empty string or 0, and a
 * present field of the wrong type fails rather than defaulting.
 */
#include "audit/qdigest.h"

#include <string.h>

#include "crypto/group.h"
#include "crypto/hex.h"

/* A string field: OUT *s, *len; absent gives "" when optional. */
static int
str_field(const json_t *p, const char *key, int optional, const char **s,
    size_t *len)
{
	const json_t *v = json_object_get(p, key);

	if (v == NULL && optional) {
		*s = "";
		*len = 0;
		return 0;
	}
	if (!json_is_string(v))
		return -1;
	*s = json_string_value(v);
	*len = json_string_length(v);
	return 0;
}

/* An integer field ≥ 0 (a boolean when is_bool); absent gives 0 when
 * optional. */
static int
int_field(const json_t *p, const char *key, int optional, int is_bool,
    uint64_t *out)
{
	const json_t *v = json_object_get(p, key);

	*out = 0;
	if (v == NULL && optional)
		return 0;
	if (is_bool) {
		if (!json_is_boolean(v))
			return -1;
		*out = json_is_true(v) ? 1 : 0;
		return 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return -1;
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

/* CH_j of one choice into t. */
static int
choice_field(transcript *t, const json_t *c)
{
	const char *id, *label, *mhex;
	size_t idl, ll, ml;
	uint8_t member[32] = { 0 };
	uint64_t blank;
	int has_member;

	if (!json_is_object(c) || str_field(c, "id", 0, &id, &idl) != 0 ||
	    str_field(c, "label", 0, &label, &ll) != 0 ||
	    str_field(c, "member", 1, &mhex, &ml) != 0 ||
	    int_field(c, "blank", 1, 1, &blank) != 0)
		return -1;
	has_member = json_object_get(c, "member") != NULL;
	if (has_member && (ml != 64 || hex_decode(member, 32, mhex, ml) != 0))
		return -1;
	transcript_field_begin(t, 4 + idl + 4 + ll + 4 +
	    (has_member ? 32u : 0u) + 4 + 8);
	transcript_field(t, id, idl);
	transcript_field(t, label, ll);
	transcript_field(t, member, has_member ? 32 : 0);
	transcript_field_u64(t, blank);
	return 0;
}

int
question_digest(uint8_t d[32], const json_t *p)
{
	static const char *const strs[] = { "qid", "kind", "rule", "label" };
	static const char *const opt_strs[] = { "post", "amends",
		"amendment" };
	const json_t *ch = json_object_get(p, "choices");
	const char *s[4], *o[3];
	size_t sl[4], ol[3], i;
	uint64_t secret, mn, mx, seats, round;
	transcript t;

	memset(d, 0, 32);
	if (!json_is_object(p) || !json_is_array(ch) ||
	    json_array_size(ch) == 0)
		return -1;
	for (i = 0; i < 4; i++)
		if (str_field(p, strs[i], 0, &s[i], &sl[i]) != 0)
			return -1;
	for (i = 0; i < 3; i++)
		if (str_field(p, opt_strs[i], 1, &o[i], &ol[i]) != 0)
			return -1;
	if (int_field(p, "secret", 0, 1, &secret) != 0 ||
	    int_field(p, "min", 0, 0, &mn) != 0 ||
	    int_field(p, "max", 0, 0, &mx) != 0 ||
	    int_field(p, "seats", 1, 0, &seats) != 0 ||
	    int_field(p, "round", 1, 0, &round) != 0)
		return -1;
	transcript_init(&t, TRANSCRIPT_H256, "question");
	for (i = 0; i < 4; i++)
		transcript_field(&t, s[i], sl[i]);
	transcript_field_u64(&t, secret);
	transcript_field_u64(&t, mn);
	transcript_field_u64(&t, mx);
	transcript_field_u64(&t, seats);
	transcript_field_u64(&t, round);
	for (i = 0; i < 3; i++)
		transcript_field(&t, o[i], ol[i]);
	transcript_field_u64(&t, json_array_size(ch));
	for (i = 0; i < json_array_size(ch); i++)
		if (choice_field(&t, json_array_get(ch, i)) != 0) {
			transcript_final(&t, d);
			memset(d, 0, 32);
			return -1;
		}
	transcript_final(&t, d);
	return 0;
}

void
question_digest_short(char out[10], const uint8_t d[32])
{
	static const char hx[] = "0123456789abcdef";

	for (int i = 0, k = 0; i < 4; i++) {
		if (i == 2)
			out[k++] = ' ';
		out[k++] = hx[d[i] >> 4];
		out[k++] = hx[d[i] & 15];
	}
	out[9] = '\0';
}

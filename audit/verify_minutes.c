/*
 * verify_minutes.c — the scrutineers' signatures of the minutes
 * (procès-verbal, written by pv.c): the message each one signs,
 * T("minutes", head, SHA-256(minutes)), and the check of a signatures
 * file against a verified record's summary (verify.h).
 *
 * Trusts libsodium and the summary of a verified record (its head hash
 * and its scrutineers' keys); the minutes and the signatures file are
 * untrusted. Invariants: they pass only when the minutes name the head
 * hash and the lines are valid signatures of distinct scrutineers, at
 * least one; the signer lines go to the caller's stream.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "audit/verify.h"
#include "crypto/hex.h"
#include "crypto/scrutin_crypto.h"

size_t
audit_minutes_message(uint8_t msg[128], const uint8_t head[32],
    const uint8_t *minutes, size_t len)
{
	uint8_t h[32];
	framebuf b;

	crypto_hash_sha256(h, minutes, len);
	framebuf_init(&b, msg, 128);
	framebuf_field(&b, "scrutin/1", 9);
	framebuf_field(&b, "minutes", 7);
	framebuf_field(&b, head, 32);
	framebuf_field(&b, h, 32);
	return b.overflow ? 0 : b.len;
}

#define SIG_PREFIX "scrutin-minutes-sig/1 "

static bool
contains(const uint8_t *hay, size_t n, const char *needle, size_t k)
{
	for (size_t i = 0; i + k <= n; i++)
		if (hay[i] == (uint8_t)needle[0] && memcmp(hay + i, needle, k) == 0)
			return true;
	return false;
}

int
audit_minutes_check(const audit_summary *s, const uint8_t *minutes,
    size_t mlen, const char *sigs, size_t slen, enum audit_lang lang,
    FILE *out, audit_failure *fail)
{
	uint8_t msg[128];
	size_t n = audit_minutes_message(msg, s->head, minutes, mlen);
	char headhex[65];
	uint32_t seen = 0;
	unsigned got = 0;
	size_t pos = 0, lineno = 0;

	memset(fail, 0, sizeof *fail);
	fail->seq = UINT64_MAX;
	if (hex_encode(headhex, sizeof headhex, s->head, 32) != 0 || n == 0)
		goto bad;
	if (!contains(minutes, mlen, headhex, 64)) {
		fail->failed = true;
		snprintf(fail->fr, sizeof fail->fr,
		    "procès-verbal : l'empreinte de l'enregistrement n'y figure pas");
		snprintf(fail->en, sizeof fail->en,
		    "minutes: the record's head hash is not in them");
		return 1;
	}
	while (pos < slen) {
		const char *l = sigs + pos, *e = memchr(l, '\n', slen - pos);
		size_t ll = e ? (size_t)(e - l) : slen - pos;
		uint8_t pk[32], sig[64];
		uint32_t idx = 0;

		pos += ll + (e ? 1 : 0);
		lineno++;
		if (ll == 0)
			continue;
		if (ll != strlen(SIG_PREFIX) + 64 + 1 + 128 ||
		    memcmp(l, SIG_PREFIX, strlen(SIG_PREFIX)) != 0 ||
		    hex_decode(pk, 32, l + strlen(SIG_PREFIX), 64) != 0 ||
		    l[strlen(SIG_PREFIX) + 64] != ' ' ||
		    hex_decode(sig, 64, l + strlen(SIG_PREFIX) + 65, 128) != 0) {
			fail->failed = true;
			snprintf(fail->fr, sizeof fail->fr,
			    "signatures du procès-verbal : ligne %zu mal formée",
			    lineno);
			snprintf(fail->en, sizeof fail->en,
			    "minutes signatures: line %zu malformed", lineno);
			return 1;
		}
		for (idx = 1; idx <= s->trustees_n; idx++)
			if (memcmp(s->trustee_id[idx - 1], pk, 32) == 0)
				break;
		if (idx > s->trustees_n || (seen & (1u << (idx - 1)))) {
			fail->failed = true;
			snprintf(fail->fr, sizeof fail->fr,
			    "signatures du procès-verbal : ligne %zu : clé inconnue ou en double",
			    lineno);
			snprintf(fail->en, sizeof fail->en,
			    "minutes signatures: line %zu: unknown or repeated scrutineer key",
			    lineno);
			return 1;
		}
		if (crypto_sign_verify_detached(sig, msg, n, pk) != 0) {
			fail->failed = true;
			snprintf(fail->fr, sizeof fail->fr,
			    "signatures du procès-verbal : ligne %zu : signature du scrutateur %u invalide",
			    lineno, idx);
			snprintf(fail->en, sizeof fail->en,
			    "minutes signatures: line %zu: scrutineer %u signature invalid",
			    lineno, idx);
			return 1;
		}
		seen |= 1u << (idx - 1);
		if (out != NULL)
			fprintf(out, lang == AUDIT_FR ?
			    "Procès-verbal signé par le scrutateur %u (%.16s…)\n" :
			    "Minutes signed by scrutineer %u (%.16s…)\n", idx,
			    l + strlen(SIG_PREFIX));
	}
	if (seen == 0) {
	bad:
		fail->failed = true;
		snprintf(fail->fr, sizeof fail->fr,
		    "signatures du procès-verbal : aucune signature");
		snprintf(fail->en, sizeof fail->en,
		    "minutes signatures: no signature");
		return 1;
	}
	/* Missing signatures are said, not a failure: the minutes are
	 * checked against those given. All of them: said too. */
	for (uint32_t k = 0; k < s->trustees_n; k++)
		got += (seen >> k) & 1u;
	if (out != NULL && got == s->trustees_n && lang == AUDIT_FR)
		fprintf(out, "Procès-verbal signé par %u scrutateur%s sur %u.\n",
		    got, got > 1 ? "s" : "", s->trustees_n);
	else if (out != NULL && got == s->trustees_n)
		fprintf(out, "Minutes signed by %u of %u scrutineer%s.\n", got,
		    s->trustees_n, s->trustees_n > 1 ? "s" : "");
	for (uint32_t j = 1; out != NULL && j <= s->trustees_n; j++) {
		if (seen & (1u << (j - 1)))
			continue;
		if (lang == AUDIT_FR)
			fprintf(out, "Le scrutateur %u n'a pas signé le"
			    " procès-verbal (signé par %u scrutateur%s sur %u).\n",
			    j, got, got > 1 ? "s" : "", s->trustees_n);
		else
			fprintf(out, "Scrutineer %u has not signed the minutes"
			    " (signed by %u of %u scrutineers).\n", j, got,
			    s->trustees_n);
	}
	return 0;
}

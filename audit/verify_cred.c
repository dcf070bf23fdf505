/*
 * verify_cred.c — credentials and the roll: a credential issued (a new
 * member, before the roll freeze; one member at most marked president),
 * revoked, or reissued (the same member under a new key); the freeze,
 * whose count must be the credentials active; and the lookup of an active credential that every member's
 * statement starts with.
 *
 * Trusts nothing in the record. Invariants: a key is issued once (an
 * issued or reissued key never again); a member keeps its index in v->mv
 * for the whole record, and its pseudonym is its first key's 16 first
 * hex digits; v->active counts the credentials neither revoked nor
 * replaced.
 */
#include <stdio.h>
#include <string.h>

#include "audit/verify_int.h"
#include "ballot-formats/util.h"
#include "common/xmalloc.h"

/* The active credential's index, or −1 (failure given) if unknown or
 * revoked. */
int64_t
verify_cred_active(V *v, const uint8_t pk[32], const char *role_fr,
    const char *role_en)
{
	char fr[128], en[128];
	uint32_t ci;

	if (!audit_htab_get(&v->creds, pk, &ci)) {
		snprintf(fr, sizeof fr, "justificatif inconnu (%s)", role_fr);
		snprintf(en, sizeof en, "unknown credential (%s)", role_en);
		fail_here(v, fr, en);
		return -1;
	}
	if (!v->cv[ci].active) {
		snprintf(fr, sizeof fr, "justificatif révoqué (%s)", role_fr);
		snprintf(en, sizeof en, "revoked credential (%s)", role_en);
		fail_here(v, fr, en);
		return -1;
	}
	return (int64_t)ci;
}

static void
member_id(char out[17], const uint8_t pk[32])
{
	static const char hx[] = "0123456789abcdef";

	for (size_t i = 0; i < 8; i++) {
		out[2 * i] = hx[pk[i] >> 4];
		out[2 * i + 1] = hx[pk[i] & 15];
	}
	out[16] = '\0';
}

static uint32_t
verify_cred_add(V *v, const uint8_t pk[32], uint32_t member)
{
	if (v->ncred == v->capcred) {
		v->capcred = v->capcred ? 2 * v->capcred : 1024;
		v->cv = xreallocarray(v->cv, v->capcred, sizeof *v->cv);
	}
	v->cv[v->ncred].member = member;
	v->cv[v->ncred].active = 1;
	audit_htab_put(&v->creds, pk, (uint32_t)v->ncred);
	v->active++;
	return (uint32_t)v->ncred++;
}

static bool
cred_issued_in_order(V *v)
{
	return order(v, v->have_meeting && !v->frozen, "justificatif émis après le gel de la liste",
	    "credential issued after the roll freeze") == 0;
}

/* A credential.issued whose fields are read (cat: 1–48 bytes; adult: 1,
 * -1 a minor, 0 not said; in_time: registered by the roll freeze, 1,
 * -1 after it, 0 not said; president: the member the meeting names
 * president, one at most). */
static int
cred_issued_core(V *v, const uint8_t pk[32], const char *cat, size_t catlen,
    bool dues, int adult, int in_time, bool president)
{
	uint32_t ci;
	struct member *m;

	if (audit_htab_get(&v->creds, pk, &ci)) {
		FAIL(v, "justificatif émis deux fois",
		    "credential issued twice");
		return -1;
	}
	if (president && v->has_president) {
		FAIL(v, "deux membres ont la qualité de président",
		    "two members are president");
		return -1;
	}
	if (v->nmem == v->capmem) {
		v->capmem = v->capmem ? 2 * v->capmem : 1024;
		v->mv = xreallocarray(v->mv, v->capmem, sizeof *v->mv);
	}
	m = &v->mv[v->nmem];
	/* Every field set, those added later included (the array grows by
	 * realloc: nothing is zero by itself). */
	memset(m, 0, sizeof *m);
	m->attended = AUDIT_ABSENT;
	member_id(m->id, pk);
	m->category = xmalloc(catlen + 1);
	memcpy(m->category, cat, catlen);
	m->category[catlen] = '\0';
	m->dues = dues;
	m->adult = adult;
	m->in_time = in_time;
	m->president = president;
	if (president) {
		v->has_president = true;
		v->president = (uint32_t)v->nmem;
	}
	m->presence = AUDIT_ABSENT;
	m->proxy_to = -1;
	m->redist_to = -1;
	m->fallback = -1;
	(void)verify_cred_add(v, pk, (uint32_t)v->nmem++);
	return 0;
}

int
verify_ev_cred_issued(V *v, const json_t *p)
{
	uint8_t pk[32];
	const char *cat;
	bool dues, adult = false, in_time = false, president = false;

	if (!cred_issued_in_order(v) ||
	    KEYS(v, p, "pk", "category", "dues_paid", "?adult",
	        "?registered_in_time", "?president") ||
	    hexf(v, p, "pk", pk, 32) || strf(v, p, "category", 48, &cat))
		return -1;
	if (audit_json_bool(p, "dues_paid", &dues) != 0)
		return bad_field(v, "dues_paid");
	if (json_object_get(p, "adult") != NULL &&
	    audit_json_bool(p, "adult", &adult) != 0)
		return bad_field(v, "adult");
	if (json_object_get(p, "registered_in_time") != NULL &&
	    audit_json_bool(p, "registered_in_time", &in_time) != 0)
		return bad_field(v, "registered_in_time");
	/* "president": true only (absent: not the president). */
	if (json_object_get(p, "president") != NULL &&
	    (audit_json_bool(p, "president", &president) != 0 || !president))
		return bad_field(v, "president");
	return cred_issued_core(v, pk, cat, strlen(cat), dues,
	    json_object_get(p, "adult") == NULL ? 0 : adult ? 1 : -1,
	    json_object_get(p, "registered_in_time") == NULL ? 0 :
	    in_time ? 1 : -1, president);
}

int
verify_ev_roll_frozen(V *v, const json_t *p)
{
	uint64_t n;
	const char *conv;
	int32_t day;

	if (order(v, v->have_meeting && !v->frozen, "liste gelée deux fois", "roll frozen twice") ||
	    KEYS(v, p, "count", "?convocation_date") ||
	    u64f(v, p, "count", UINT32_MAX, &n))
		return -1;
	/* The convocation's date (YYYY-MM-DD, not after the meeting's):
	 * the statutes' roll freeze. */
	if (json_object_get(p, "convocation_date") != NULL) {
		if (strf(v, p, "convocation_date", 10, &conv))
			return -1;
		if (strlen(conv) != 10 || st_date_parse(conv, &day) != 0 ||
		    strcmp(conv, v->sum->date) > 0)
			return bad_field(v, "convocation_date");
		audit_statutes_set_convocation(v->statutes, day);
	}
	if (n != v->active) {
		FAIL(v, "la liste compte %llu justificatifs, %llu émis",
		    "roll count %llu differs from %llu issued credentials",
		    (unsigned long long)n, (unsigned long long)v->active);
		return -1;
	}
	v->frozen = true;
	v->sum->roll = n;
	return 0;
}

int
verify_ev_cred_revoked(V *v, const json_t *p)
{
	uint8_t pk[32];
	int64_t ci;

	if (KEYS(v, p, "pk") || hexf(v, p, "pk", pk, 32) ||
	    (ci = verify_cred_active(v, pk, "pk", "pk")) < 0)
		return -1;
	v->cv[ci].active = 0;
	v->active--;
	return 0;
}

int
verify_ev_cred_reissued(V *v, const json_t *p)
{
	uint8_t old[32], nw[32];
	uint32_t dummy;
	int64_t ci;

	if (KEYS(v, p, "old", "new") || hexf(v, p, "old", old, 32) ||
	    hexf(v, p, "new", nw, 32) ||
	    (ci = verify_cred_active(v, old, "ancien", "old")) < 0)
		return -1;
	if (audit_htab_get(&v->creds, nw, &dummy)) {
		FAIL(v, "justificatif émis deux fois",
		    "credential issued twice");
		return -1;
	}
	v->cv[ci].active = 0;
	v->active--;
	(void)verify_cred_add(v, nw, v->cv[ci].member);
	return 0;
}

int
verify_flat_cred_issued(V *v, const audit_flat_event *fe)
{
	const audit_flat_field *cf = audit_flat_get(fe, "category");
	const audit_flat_field *df = audit_flat_get(fe, "dues_paid");
	uint8_t pk[32];

	if (fe->n != 3 || cf == NULL || cf->type != AUDIT_FLAT_STR ||
	    cf->vlen == 0 || cf->vlen > 48 || df == NULL ||
	    df->type != AUDIT_FLAT_BOOL || !verify_flat_hex(fe, "pk", pk, 32))
		return NOT_FLAT;
	if (!cred_issued_in_order(v))
		return -1;
	return cred_issued_core(v, pk, cf->val, cf->vlen, df->num != 0, 0, 0,
	    false);
}

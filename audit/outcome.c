/*
 * outcome.c — builds the engine's in-memory meeting (count.h) from the
 * record's facts and asks it for one question's outcome, or, at a
 * question's opening, for the standing of every proxy and the quorum
 * sentence (outcome.h). The engine is the same code the server uses to announce the result, so
 * the verifier's sentence is compared byte for byte with the recorded one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/outcome.h"
#include "audit/stmt.h"
#include "ballot-formats/count.h"
#include "ballot-formats/phrase.h"
#include "ballot-formats/profile.h"
#include "common/xmalloc.h"
#include "crypto/group.h"

struct audit_statutes {
	struct profile p;
	char body[PR_ID_MAX];
	bool has_quorum;
	struct ct_quorum_override quorum;
	struct audit_start start;
	bool has_convocation;
	int32_t convocation;
	bool second_convocation;	/* audit_statutes_set_second */
	/* The random reassignment's inputs (audit_statutes_set_draw),
	 * borrowed. */
	bool has_seed;
	uint64_t seed;
	const char *const *volunteers, *const *declined;
	size_t n_volunteers, n_declined;
	/* The mail-in voters (audit_statutes_set_mail_in), borrowed; their
	 * standing, written by the next audit_standing_compute. */
	const struct ct_mail_in *mail_in;
	size_t n_mail_in;
	bool *mail_accepted;
};

static int
enum_of(const json_t *j, const char *const *names, int *out)
{
	const char *s = json_string_value(j);

	for (int i = 0; s != NULL && names[i] != NULL; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = i;
			return 0;
		}
	return -1;
}

/* "a/b", 1 <= a <= b <= 1000, digits only. */
static int
fraction_of(const json_t *j, uint32_t *num, uint32_t *den)
{
	const char *s = json_string_value(j);
	uint32_t v[2] = { 0, 0 };
	int k = 0, digits = 0;

	if (s == NULL)
		return -1;
	for (; *s != '\0'; s++) {
		if (*s == '/' && k == 0 && digits > 0) {
			k = 1;
			digits = 0;
		} else if (*s >= '0' && *s <= '9' && digits < 4) {
			v[k] = v[k] * 10 + (uint32_t)(*s - '0');
			digits++;
		} else
			return -1;
	}
	if (k != 1 || digits == 0 || v[0] < 1 || v[0] > v[1] || v[1] > 1000)
		return -1;
	*num = v[0];
	*den = v[1];
	return 0;
}

int
audit_quorum_parse(const json_t *j, struct ct_quorum_override *out,
    char *err, size_t errlen)
{
	static const char *const COUNTS[] = { "present", "remote",
		"represented", "mail_in", "internet", NULL };
	static const unsigned CB[] = { PR_COUNT_PRESENT, PR_COUNT_REMOTE,
		PR_COUNT_REPRESENTED, PR_COUNT_MAIL_IN, PR_COUNT_INTERNET };
	static const char *const ROUND[] = { "none", "floor", "ceil", NULL };
	static const char *const CMP[] = { "at_least", "more_than", NULL };
	static const char *const SECOND[] = { "none", "no_quorum", NULL };
	const char *k;
	const json_t *v, *x;
	size_t i;
	int e;

	memset(out, 0, sizeof *out);
	if (json_is_string(j) && strcmp(json_string_value(j), "none") == 0) {
		out->none = true;
		return 0;
	}
	if (!json_is_object(j)) {
		snprintf(err, errlen, "quorum: \"none\" or an object");
		return -1;
	}
	json_object_foreach((json_t *)j, k, v)
		if (strcmp(k, "counts") != 0 && strcmp(k, "fraction") != 0 &&
		    strcmp(k, "compare") != 0 && strcmp(k, "rounding") != 0 &&
		    strcmp(k, "plus") != 0 &&
		    strcmp(k, "second_convocation") != 0) {
			snprintf(err, errlen, "quorum: unknown key %s", k);
			return -1;
		}
	x = json_object_get(j, "counts");
	if (!json_is_array(x) || json_array_size(x) == 0) {
		snprintf(err, errlen, "quorum.counts: who counts toward it");
		return -1;
	}
	json_array_foreach(x, i, v) {
		if (enum_of(v, COUNTS, &e) != 0 || (out->counts & CB[e])) {
			snprintf(err, errlen, "quorum.counts: unknown or twice");
			return -1;
		}
		out->counts |= CB[e];
	}
	if (fraction_of(json_object_get(j, "fraction"), &out->t.num,
	    &out->t.den) != 0) {
		snprintf(err, errlen, "quorum.fraction: \"a/b\", 0 < a/b <= 1");
		return -1;
	}
	if (enum_of(json_object_get(j, "compare"), CMP, &e) != 0) {
		snprintf(err, errlen, "quorum.compare: at_least or more_than");
		return -1;
	}
	out->t.compare = (enum pr_compare)e;
	if (enum_of(json_object_get(j, "rounding"), ROUND, &e) != 0) {
		snprintf(err, errlen, "quorum.rounding: none, floor or ceil");
		return -1;
	}
	out->t.rounding = (enum pr_rounding)e;
	x = json_object_get(j, "plus");
	if (x != NULL && (!json_is_integer(x) || json_integer_value(x) < 0 ||
	    json_integer_value(x) > 1000)) {
		snprintf(err, errlen, "quorum.plus: 0 to 1000");
		return -1;
	}
	out->t.plus = x != NULL ? (uint32_t)json_integer_value(x) : 0;
	if (enum_of(json_object_get(j, "second_convocation"), SECOND,
	    &e) != 0) {
		snprintf(err, errlen,
		    "quorum.second_convocation: none or no_quorum");
		return -1;
	}
	out->second_no_quorum = e == 1;
	return 0;
}

int
audit_statutes_set_quorum(audit_statutes *s, const json_t *j, char *err,
    size_t errlen)
{
	if (audit_quorum_parse(j, &s->quorum, err, errlen) != 0)
		return -1;
	s->has_quorum = true;
	return 0;
}

const char *
audit_second_convocation_article(const struct pr_body *b,
    const struct ct_quorum_override *qo)
{
	if (b == NULL)
		return NULL;
	if (b->quorum.kind == PR_QUORUM_MEETING_SETS)
		return qo != NULL && !qo->none && qo->second_no_quorum ? "—" :
		    NULL;
	if (b->quorum.kind == PR_QUORUM_NONE || !b->quorum.second_no_quorum)
		return NULL;
	return b->quorum.second_src.article;
}

int
audit_statutes_set_second(audit_statutes *s, const char **article)
{
	const struct pr_body *b = profile_body_find(&s->p, s->body);
	const char *a = audit_second_convocation_article(b,
	    s->has_quorum ? &s->quorum : NULL);

	if (article != NULL)
		*article = a != NULL ? a : b != NULL ? b->quorum.src.article : "";
	if (a == NULL)
		return -1;
	s->second_convocation = true;
	return 0;
}

void
audit_statutes_set_start(audit_statutes *s, int32_t minutes,
    int64_t starts_at)
{
	s->start.has = true;
	s->start.minutes = minutes;
	s->start.at = starts_at;
}

void
audit_statutes_set_convocation(audit_statutes *s, int32_t day)
{
	s->has_convocation = true;
	s->convocation = day;
}

const char *
audit_statutes_proxy_form(const audit_statutes *s, const char *date,
    bool paper, int64_t ts, const char **article)
{
	const struct pr_body *b = profile_body_find(&s->p, s->body);
	int32_t day;

	*article = b != NULL ? b->proxies.src.article : "";
	if (b == NULL || st_date_parse(date, &day) != 0)
		return "proxy_refused";
	return audit_proxy_form(&b->proxies, paper, day, &s->start, ts);
}

const char *
audit_statutes_name(const audit_statutes *s)
{
	return s->p.name;
}

const char *
audit_statutes_body_label(const audit_statutes *s)
{
	const struct pr_body *b = profile_body_find(&s->p, s->body);

	return b != NULL ? b->label : "";
}

int
audit_statutes_load(audit_statutes **out, const char *text, size_t len,
    const char *profile_id, const char *body, char *err, size_t errlen)
{
	audit_statutes *s = xcalloc(1, sizeof *s);
	struct st_msg em;

	*out = NULL;
	if (profile_load(&s->p, "profile", (const uint8_t *)text, len, &em) != 0) {
		snprintf(err, errlen, "%s", em.en);
		goto fail;
	}
	if (strcmp(s->p.id, profile_id) != 0) {
		snprintf(err, errlen, "profile id is %s, not %s", s->p.id,
		    profile_id);
		goto fail;
	}
	if (profile_body_find(&s->p, body) == NULL) {
		snprintf(err, errlen, "profile has no body %s", body);
		goto fail;
	}
	if (strlen(body) >= sizeof s->body)
		goto fail;
	memcpy(s->body, body, strlen(body) + 1);
	*out = s;
	return 0;
fail:
	free(s);
	return -1;
}

void
audit_statutes_free(audit_statutes *s)
{
	free(s);
}

const char *
audit_statutes_rule_label(const audit_statutes *s, bool election,
    const char *rule, const char **article)
{
	const struct pr_body *b = profile_body_find(&s->p, s->body);
	const struct pr_election *e;
	const struct pr_decision *d;

	if (b == NULL)
		return NULL;
	if (election && (e = profile_election_find(b, rule)) != NULL) {
		*article = e->src.article;
		return e->label;
	}
	if (!election && (d = profile_decision_find(b, rule)) != NULL) {
		*article = d->src.article;
		return d->label;
	}
	return NULL;
}

const char *
audit_statutes_proxy_article(const audit_statutes *s)
{
	const struct pr_body *b = profile_body_find(&s->p, s->body);

	return b != NULL &&
	    b->proxies.src.article[0] != '\0' ? b->proxies.src.article : NULL;
}

const char *
audit_statutes_recusal_article(const audit_statutes *s)
{
	const struct pr_body *b = profile_body_find(&s->p, s->body);

	return b != NULL &&
	    b->recusal_src.article[0] != '\0' ? b->recusal_src.article : NULL;
}

bool
audit_statutes_recusal(const audit_statutes *s, bool election,
    const char *rule, bool *cannot_hold)
{
	const struct pr_body *b = profile_body_find(&s->p, s->body);
	const struct pr_decision *d = b != NULL && !election && rule != NULL ?
	    profile_decision_find(b, rule) : NULL;

	if (cannot_hold != NULL)
		*cannot_hold = b == NULL || b->recusal_cannot_hold;
	return d != NULL && d->recusal;
}

/* The engine's meeting from the record's facts. OUT *m with arrays the
 * caller frees (mb, pres, px). */
struct outcome_facts {
	struct ct_member *mb;
	enum ct_presence *pres;
	struct ct_proxy *px;
};

int64_t
audit_proxy_minutes(int32_t date, const struct audit_start *start,
    int64_t ts)
{
	int64_t d;

	if (start == NULL || !start->has)
		return ts / 60;
	d = ts - start->at;
	/* floor, for a ts before the start too */
	d = d >= 0 ? d / 60 : -((-d + 59) / 60);
	return (int64_t)date * 1440 + start->minutes + d;
}

void
audit_proxy_engine(struct ct_proxy *out, const char *giver,
    const char *holder, bool paper, int32_t date,
    const struct audit_start *start, int64_t ts)
{
	memset(out, 0, sizeof *out);
	out->giver = giver;
	out->holder = holder;
	/* The assembly's date (ANIMT V): a digital proxy's statement is
	 * bound to meeting_id, whose meeting event names the date; a paper
	 * proxy is entered by the desk for this meeting only. */
	out->has_assembly_date = true;
	out->assembly_date = date;
	out->channel = paper ? PR_CHANNEL_PAPER : PR_CHANNEL_DIGITAL;
	if (ts >= 0) {
		out->has_submitted = true;
		out->submitted = audit_proxy_minutes(date, start, ts);
	}
}

void
audit_statutes_set_draw(audit_statutes *s, bool has_seed, uint64_t seed,
    const char *const *volunteers, size_t n_volunteers,
    const char *const *declined, size_t n_declined)
{
	s->has_seed = has_seed;
	s->seed = seed;
	s->volunteers = volunteers;
	s->n_volunteers = n_volunteers;
	s->declined = declined;
	s->n_declined = n_declined;
}

void
audit_statutes_set_mail_in(audit_statutes *s, const struct ct_mail_in *list,
    size_t n, bool *accepted_out)
{
	s->mail_in = list;
	s->n_mail_in = n;
	s->mail_accepted = accepted_out;
}

const struct pr_mail_in *
audit_statutes_mail_rules(const audit_statutes *s)
{
	const struct pr_body *b = profile_body_find(&s->p, s->body);

	return b != NULL ? &b->mail_in : NULL;
}

bool
audit_statutes_reassigns(const audit_statutes *s)
{
	const struct pr_body *b = profile_body_find(&s->p, s->body);

	return b != NULL && b->proxies.absent_holder ==
	    PR_ABSENT_RANDOM;
}

static void
le64_put(uint8_t b[8], uint64_t x)
{
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(x >> (8 * i));
}

void
audit_draw_contribution(uint8_t out[32], const char *meeting_id,
    uint32_t trustee, const uint8_t value[32])
{
	transcript t;
	uint8_t le[8];

	le64_put(le, trustee);
	transcript_init(&t, TRANSCRIPT_H256, "draw-contribution");
	transcript_field(&t, meeting_id, strlen(meeting_id));
	transcript_field(&t, le, 8);
	transcript_field(&t, value, 32);
	transcript_final(&t, out);
}

uint64_t
audit_draw_seed(const char *meeting_id, const uint8_t head[32], size_t n,
    const uint32_t *trustee, const uint8_t (*value)[32])
{
	transcript t;
	uint8_t h[32], le[8];
	uint64_t seed = 0;

	transcript_init(&t, TRANSCRIPT_H256, "draw-seed");
	transcript_field(&t, meeting_id, strlen(meeting_id));
	transcript_field(&t, head, 32);
	le64_put(le, n);
	transcript_field(&t, le, 8);
	for (size_t i = 0; i < n; i++) {
		le64_put(le, trustee[i]);
		transcript_field(&t, le, 8);
		transcript_field(&t, value[i], 32);
	}
	transcript_final(&t, h);
	for (int i = 7; i >= 0; i--)
		seed = seed << 8 | h[i];
	return seed;
}

const char *
audit_proxy_form(const struct pr_proxies *x, bool paper, int32_t date,
    const struct audit_start *start, int64_t ts)
{
	if (!(x->channels & (paper ? PR_CHANNEL_PAPER : PR_CHANNEL_DIGITAL)))
		return "proxy_channel";
	if (!x->deadline)
		return NULL;
	if (start == NULL || !start->has)
		return "proxy_no_start";
	/* The engine's test (ballot-formats/proxy.c proxy_form_check). */
	if (audit_proxy_minutes(date, start, ts) > (int64_t)date * 1440 +
	    start->minutes - (int64_t)x->deadline_minutes)
		return "proxy_deadline";
	return NULL;
}

static void
outcome_facts_free(struct outcome_facts *f)
{
	free(f->mb);
	free(f->pres);
	free(f->px);
}

static int
outcome_facts_build(struct outcome_facts *f, struct ct_meeting *m,
    const audit_statutes *s, const char *date,
    const struct audit_member *members, size_t n_members,
    const struct audit_proxy *proxies, size_t n_proxies, char *err,
    size_t errlen)
{
	f->mb = xcalloc(n_members, sizeof *f->mb);
	f->pres = xcalloc(n_members, sizeof *f->pres);
	f->px = xcalloc(n_proxies, sizeof *f->px);
	memset(m, 0, sizeof *m);
	if (st_date_parse(date, &m->date) != 0) {
		snprintf(err, errlen, "invalid meeting date");
		return -1;
	}
	for (size_t i = 0; i < n_members; i++) {
		f->mb[i].id = members[i].id;
		f->mb[i].category = members[i].category;
		f->mb[i].dues_paid = members[i].dues_paid < 0 ? CT_UNKNOWN :
		    members[i].dues_paid ? CT_YES : CT_NO;
		/* The record says only whether a member is of age at the
		 * meeting date (credential.issued "adult"), never a birth
		 * date: the engine gets a birth date that gives that age. */
		if (members[i].adult != 0) {
			f->mb[i].has_birth = true;
			f->mb[i].birth = st_date_add_months(m->date,
			    members[i].adult > 0 ? -40 * 12 : -10 * 12);
		}
		/* Nor a registration date: whether the member was
		 * registered by the roll freeze (credential.issued
		 * "registered_in_time"); the engine gets a date that gives
		 * that answer: 40 years before the convocation, or the day
		 * after it (after every freeze's cutoff). */
		if (members[i].in_time != 0 && s->has_convocation) {
			f->mb[i].has_registered = true;
			f->mb[i].registered = members[i].in_time > 0 ?
			    st_date_add_months(s->convocation, -40 * 12) :
			    s->convocation + 1;
		}
		/* The record says whether dues were paid on the meeting day
		 * (credential.issued): paid until that day, or the day before,
		 * for a profile that checks dues against the meeting's date. */
		f->mb[i].has_dues_until = members[i].dues_paid >= 0;
		f->mb[i].dues_until = members[i].dues_paid > 0 ? m->date : m->date - 1;
		f->mb[i].city_referent = CT_UNKNOWN;
		f->mb[i].semesters = -1;
		f->mb[i].roles = members[i].president ? CT_ROLE_PRESIDENT : 0u;
		f->pres[i] = members[i].presence == AUDIT_PRESENT ? CT_PRESENT :
		    members[i].presence == AUDIT_REMOTE ? CT_REMOTE : CT_ABSENT;
	}
	for (size_t i = 0; i < n_proxies; i++) {
		if (proxies[i].giver >= n_members ||
		    proxies[i].holder >= n_members) {
			snprintf(err, errlen, "proxy between unknown members");
			return -1;
		}
		audit_proxy_engine(&f->px[i], members[proxies[i].giver].id,
		    members[proxies[i].holder].id, proxies[i].paper, m->date,
		    &s->start, proxies[i].ts);
		if (proxies[i].redistributed) {
			if (proxies[i].redist_to >= n_members) {
				snprintf(err, errlen, "proxy redistributed to an"
				    " unknown member");
				return -1;
			}
			f->px[i].redistribute_to =
			    members[proxies[i].redist_to].id;
		}
	}
	m->body = s->body;
	m->has_start = s->start.has;
	m->has_convocation_date = s->has_convocation;
	m->convocation_date = s->convocation;
	m->start_minutes = s->start.minutes;
	m->has_quorum_override = s->has_quorum;
	m->quorum = s->quorum;
	m->second_convocation = s->second_convocation;
	m->has_seed = s->has_seed;
	m->seed = s->seed;
	m->n_volunteers = s->n_volunteers;
	m->volunteers = s->volunteers;
	m->n_declined = s->n_declined;
	m->declined = s->declined;
	m->n_members = n_members;
	m->members = f->mb;
	m->presence = f->pres;
	m->n_proxies = n_proxies;
	m->proxies = f->px;
	m->n_mail_in = s->n_mail_in;
	m->mail_in = s->mail_in;
	return 0;
}

int
audit_standing_compute(const audit_statutes *s, const char *date,
    const struct audit_member *members, size_t n_members,
    const struct audit_proxy *proxies, size_t n_proxies,
    struct audit_proxy_standing *st, char **fr, char **en, char *err,
    size_t errlen)
{
	struct outcome_facts f = { 0 };
	struct ct_meeting m;
	struct ct_result r;
	struct st_msg em;
	struct st_buf b1 = { 0 }, b2 = { 0 };
	int rc = -1;

	*fr = *en = NULL;
	if (outcome_facts_build(&f, &m, s, date, members, n_members,
	    proxies, n_proxies, err, errlen) != 0)
		goto out;
	/* No question: the standings and the quorum only. */
	if (ct_count(&s->p, &m, NULL, 0, &r, &em) != 0) {
		snprintf(err, errlen, "%s", em.en);
		goto out;
	}
	for (size_t i = 0; i < n_proxies; i++) {
		const struct ct_proxy_standing *ps = &r.proxies[i];
		st[i].accepted = ps->accepted;
		st[i].holder = ps->accepted && ps->holder != CT_NONE &&
		    ps->holder < n_members ? (uint32_t)ps->holder : UINT32_MAX;
		if (st[i].holder == UINT32_MAX)
			st[i].accepted = false;
		snprintf(st[i].reason, sizeof st[i].reason, "%s",
		    ct_reason_code(ps->reason));
	}
	for (size_t k = 0; s->mail_accepted != NULL && k < s->n_mail_in; k++)
		s->mail_accepted[k] = r.mail_in[k].accepted;
	phrase_quorum(&b1, &r, PH_FR);
	phrase_quorum(&b2, &r, PH_EN);
	*fr = xstrdup(b1.s ? b1.s : "");
	*en = xstrdup(b2.s ? b2.s : "");
	ct_result_free(&r);
	rc = 0;
out:
	st_buf_free(&b1);
	st_buf_free(&b2);
	outcome_facts_free(&f);
	return rc;
}

int
audit_alternatives_pick(const audit_statutes *s, const bool *adopted,
    const uint64_t *pour, size_t n, char code[40], size_t *winner,
    char *err, size_t errlen)
{
	const struct pr_body *b = profile_body_find(&s->p, s->body);
	uint32_t *p32;
	size_t w;

	if (b == NULL || !b->alternatives) {
		snprintf(err, errlen, "body %s provides for no alternative"
		    " motions", s->body);
		return -1;
	}
	p32 = xcalloc(n ? n : 1, sizeof *p32);
	for (size_t i = 0; i < n; i++) {
		if (pour[i] > CT_MAX_VOTES) {
			free(p32);
			snprintf(err, errlen, "a count above the engine's caps");
			return -1;
		}
		p32[i] = (uint32_t)pour[i];
	}
	snprintf(code, 40, "%s", ct_outcome_code(ct_alternatives_pick(adopted,
	    p32, n, &w)));
	*winner = w;
	free(p32);
	return 0;
}

int
audit_statutes_amendment(const audit_statutes *s, bool has_sup, uint32_t sup,
    int *mode, char *fr, char *en, size_t cap)
{
	const struct pr_body *b = s != NULL ? profile_body_find(&s->p,
	    s->body) : NULL;
	enum pr_amend_mode m = PR_AMEND_NONE;
	struct st_msg why;

	*mode = AUDIT_AMEND_NONE;
	if (b == NULL) {
		snprintf(fr, cap, "instance inconnue");
		snprintf(en, cap, "unknown body");
		return -1;
	}
	if (ct_amendment_admit(b, has_sup, sup, &m, &why) != 0) {
		snprintf(fr, cap, "%s", why.fr);
		snprintf(en, cap, "%s", why.en);
		return -1;
	}
	*mode = m == PR_AMEND_ALTERNATIVE ? AUDIT_AMEND_ALTERNATIVE :
	    AUDIT_AMEND_BEFORE_MOTION;
	return 0;
}

int
audit_statutes_amendment_mode(const audit_statutes *s)
{
	const struct pr_body *b = s != NULL ? profile_body_find(&s->p,
	    s->body) : NULL;

	if (b == NULL || b->amendments.mode == PR_AMEND_NONE)
		return AUDIT_AMEND_NONE;
	return b->amendments.mode == PR_AMEND_ALTERNATIVE ?
	    AUDIT_AMEND_ALTERNATIVE : AUDIT_AMEND_BEFORE_MOTION;
}

bool
audit_amendment_carried(const char *outcome)
{
	return ct_amendment_carried(outcome);
}

_Static_assert((int)AUDIT_PV_POUR == (int)CT_PV_POUR &&
    (int)AUDIT_PV_CONTRE == (int)CT_PV_CONTRE &&
    (int)AUDIT_PV_ABSTENTION == (int)CT_PV_ABSTENTION &&
    (int)AUDIT_PV_NONE == (int)CT_PV_NONE, "audit_pvote is ct_pvote");

/* The body's decision `rule` has the president's casting vote (as the
 * server's count, server/result.c, which gives his vote only then). */
static bool
outcome_casting_rule(const audit_statutes *s, const char *rule)
{
	const struct pr_body *b = profile_body_find(&s->p, s->body);
	const struct pr_decision *d = b && rule ? profile_decision_find(b,
	    rule) : NULL;

	return d != NULL && d->casting_vote;
}

/* A motion: its three totals, whether it was secret and, where its rule
 * has a casting vote, the president's vote. A count above the engine's
 * caps leaves err as the caller set it. */
static int
question_motion(struct ct_question *cq, const audit_statutes *s,
    const struct audit_question_facts *q, char *err, size_t errlen)
{
	if (q->n != 3) {
		snprintf(err, errlen, "a motion has 3 choices");
		return -1;
	}
	cq->kind = CT_Q_MOTION;
	cq->decision = q->rule;
	cq->on_agenda = q->on_agenda;
	cq->amendment = q->amendment;
	cq->has_totals = true;
	cq->held_secret = q->held_secret;
	if (outcome_casting_rule(s, q->rule))
		cq->president_vote = (enum ct_pvote)q->president_vote;
	for (size_t i = 0; i < 3; i++) {
		if (q->counts[i] > CT_MAX_VOTES)
			return -1;
		cq->totals.v[i] = (uint32_t)q->counts[i];
	}
	return 0;
}

/* An election: the valid and blank ballots, the candidates (*cdp, the
 * caller frees it), their names and declaration dates in mb. A count
 * above the engine's caps, or an unknown member, leaves err as the
 * caller set it. */
static int
question_election(struct ct_question *cq,
    const struct audit_question_facts *q, const struct audit_member *members,
    size_t n_members, struct ct_member *mb, struct ct_candidate **cdp,
    char *err, size_t errlen)
{
	struct ct_candidate *cd;

	cq->kind = CT_Q_ELECTION;
	cq->election = q->rule;
	cq->seats = q->seats;
	cq->round = q->round;
	cq->on_agenda = true;
	size_t nc = q->blank_last ? q->n - 1 : q->n;
	uint64_t blank = q->blank_last ? q->counts[q->n - 1] : 0;
	if (q->ballots > CT_MAX_VOTES)
		return -1;
	if (blank > q->ballots || nc == 0) {
		snprintf(err, errlen, "blank votes exceed the ballots");
		return -1;
	}
	cq->valid = (uint32_t)(q->ballots - blank);
	cq->blank = (uint32_t)blank;
	cd = *cdp = xcalloc(nc, sizeof *cd);
	for (size_t i = 0; i < nc; i++) {
		if (q->cand_member[i] >= n_members ||
		    q->counts[i] > CT_MAX_VOTES)
			return -1;
		cd[i].id = members[q->cand_member[i]].id;
		cd[i].votes = (uint32_t)q->counts[i];
		if (q->cand_label != NULL)
			mb[q->cand_member[i]].name = q->cand_label[i];
		if (q->cand_declared != NULL && q->cand_declared[i] != NULL) {
			struct ct_member *cm = &mb[q->cand_member[i]];
			if (st_date_parse(q->cand_declared[i],
			    &cm->declared) != 0)
				return -1;
			cm->has_declared = true;
		}
	}
	cq->n_cands = nc;
	cq->cands = cd;
	return 0;
}

/* The live secret-ballot triggers, when the record has them. */
static void
question_triggers(struct ct_question *cq,
    const struct audit_question_facts *q)
{
	if (!q->has_triggers)
		return;
	cq->objection = q->objection;
	cq->unanimous_show_of_hands = q->unanimous_show_of_hands;
	cq->requested_by = ((q->requested_by & AUDIT_REQ_BUREAU) ?
	    PR_REQ_BUREAU : 0u) | ((q->requested_by & AUDIT_REQ_CA) ?
	    PR_REQ_CA : 0u);
	cq->has_askers = q->has_askers;
	cq->askers = q->askers;
}

/* An election's presidency facts (A-IMI 12): the post, who presided,
 * the eldest, the president an earlier post elected. An unknown member
 * leaves err as the caller set it. */
static int
question_presidency(struct ct_question *cq,
    const struct audit_question_facts *q, const struct audit_member *members,
    size_t n_members, struct ct_member *mb)
{
	cq->post = q->post;
	cq->president_post = q->president_post;
	if (q->has_presided) {
		if (q->presided >= n_members || q->presided_label == NULL)
			return -1;
		mb[q->presided].name = q->presided_label;
	}
	/* No birth date in the record: the member it names as the eldest is
	 * the only one born first. */
	if (q->president_post && q->has_presided && q->presided_eldest)
		for (size_t i = 0; i < n_members; i++) {
			mb[i].has_birth = true;
			mb[i].birth = i == q->presided ? 0 : 1;
		}
	if (q->has_elected_president) {
		if (q->elected_president >= n_members)
			return -1;
		cq->elected_president = members[q->elected_president].id;
	}
	return 0;
}

/* The engine's presided_by, compared with the record's for an election;
 * the member elected to a president's post, when the caller asks. */
static int
result_presidency(const struct ct_result *r,
    const struct audit_question_facts *q, char *err, size_t errlen)
{
	const struct ct_question_result *qr = &r->questions[0];
	size_t want = !q->has_presided ? CT_NONE : (size_t)q->presided;

	if (q->election && (qr->presided_by != want ||
	    (want != CT_NONE && qr->presided_by_eldest !=
	    q->presided_eldest))) {
		snprintf(err, errlen, "presided_by differs from the "
		    "statutes engine's");
		return -1;
	}
	if (q->elected_out != NULL) {
		*q->elected_out = UINT32_MAX;
		if (q->president_post && qr->outcome == CT_OUT_ELECTED)
			for (size_t k = 0; k < qr->n_cands; k++)
				if (qr->cands[k].elected)
					*q->elected_out =
					    (uint32_t)qr->cands[k].member;
	}
	return 0;
}

/* A show of hands by the unanimous waiver (A-IMI 12) needs every member
 * with a vote present at the opening. */
static int
result_unanimity(const struct ct_result *r, const struct audit_question_facts *q,
    char *err, size_t errlen)
{
	const struct ct_question_result *qr = &r->questions[0];

	if (!q->secret && qr->unanimity_asked && qr->n_unanimity_absent > 0) {
		snprintf(err, errlen, "held by show of hands without the unanimous "
		    "waiver: %zu member(s) with a vote absent at the opening, "
		    "first '%s'", qr->n_unanimity_absent,
		    r->meeting->members[qr->unanimity_absent[0]].id);
		return -1;
	}
	return 0;
}

/* The choices the engine leaves tied, and the seats it filled, when the
 * caller asks (a re-vote after the tie is checked against them). */
static void
result_tied(const struct ct_result *r, const struct audit_question_facts *q)
{
	const struct ct_question_result *qr = &r->questions[0];
	size_t nc = q->blank_last ? q->n - 1 : q->n;

	if (q->filled_out != NULL)
		*q->filled_out = 0;
	if (q->tied_out != NULL)
		for (size_t i = 0; i < q->n; i++)
			q->tied_out[i] = false;
	for (size_t k = 0; k < qr->n_cands; k++) {
		if (qr->cands[k].elected && q->filled_out != NULL)
			(*q->filled_out)++;
		if (!qr->cands[k].tied || q->tied_out == NULL)
			continue;
		for (size_t i = 0; i < nc; i++)
			if (q->cand_member[i] == qr->cands[k].member)
				q->tied_out[i] = true;
	}
}

/* Why the ballot was secret or not, in French and English. */
static void
result_secrecy(const struct ct_result *r, const struct ct_question *cq,
    const struct audit_question_facts *q)
{
	const struct ct_question_result *qr = &r->questions[0];
	const char *art = r->body->secret.src.article;
	uint32_t present = qr->voices.present + qr->voices.remote;
	struct st_buf b1 = { 0 }, b2 = { 0 };

	phrase_secrecy(&b1, qr->secret, art, cq->has_askers, cq->askers,
	    qr->askers_required, present, PH_FR);
	phrase_secrecy(&b2, qr->secret, art, cq->has_askers, cq->askers,
	    qr->askers_required, present, PH_EN);
	*q->why_fr = xstrdup(b1.s ? b1.s : "");
	*q->why_en = xstrdup(b2.s ? b2.s : "");
	st_buf_free(&b1);
	st_buf_free(&b2);
}

/* The engine's meeting and question for q (the caller frees fa, *cd
 * and *rec). 0, or -1 with err. */
static int
outcome_question(struct outcome_facts *fa, struct ct_meeting *m,
    struct ct_question *cq, struct ct_candidate **cd, const char ***rec,
    const audit_statutes *s, const char *date,
    const struct audit_member *members, size_t n_members,
    const struct audit_proxy *proxies, size_t n_proxies,
    const struct audit_question_facts *q, char *err, size_t errlen)
{
	memset(cq, 0, sizeof *cq);
	if (outcome_facts_build(fa, m, s, date, members, n_members,
	    proxies, n_proxies, err, errlen) != 0)
		return -1;
	cq->id = q->qid;
	cq->label = q->label;
	if (!q->election) {
		if (question_motion(cq, s, q, err, errlen) != 0)
			return -1;
	} else if (question_election(cq, q, members, n_members, fa->mb, cd,
	    err, errlen) != 0)
		return -1;
	question_triggers(cq, q);
	if (q->n_recused > 0) {
		/* The recused members, by the engine's ids (the members'
		 * pseudonyms): it leaves them, and the voices they hold,
		 * out of the base. */
		*rec = xcalloc(q->n_recused, sizeof **rec);
		for (size_t i = 0; i < q->n_recused; i++) {
			if (q->recused[i] >= n_members)
				return -1;
			(*rec)[i] = members[q->recused[i]].id;
		}
		cq->recused = *rec;
		cq->n_recused = q->n_recused;
	}
	if (q->election &&
	    question_presidency(cq, q, members, n_members, fa->mb) != 0)
		return -1;
	return 0;
}

/* The engine's count of q alone on the meeting's facts: built, counted
 * (counted), freed by outcome_count_free. */
struct outcome_count {
	struct outcome_facts fa;
	struct ct_candidate *cd;
	const char **rec;
	struct ct_meeting m;
	struct ct_question cq;
	struct ct_result r;
	bool counted;
};

static int
outcome_count_run(struct outcome_count *oc, const audit_statutes *s,
    const char *date, const struct audit_member *members, size_t n_members,
    const struct audit_proxy *proxies, size_t n_proxies,
    const struct audit_question_facts *q, char *err, size_t errlen)
{
	struct st_msg em;

	memset(oc, 0, sizeof *oc);
	snprintf(err, errlen, "a count above the engine's caps");
	if (outcome_question(&oc->fa, &oc->m, &oc->cq, &oc->cd, &oc->rec, s,
	    date, members, n_members, proxies, n_proxies, q, err,
	    errlen) != 0)
		return -1;
	if (ct_count(&s->p, &oc->m, &oc->cq, 1, &oc->r, &em) != 0) {
		snprintf(err, errlen, "%s", em.en);
		return -1;
	}
	oc->counted = true;
	return 0;
}

static void
outcome_count_free(struct outcome_count *oc)
{
	if (oc->counted)
		ct_result_free(&oc->r);
	outcome_facts_free(&oc->fa);
	free(oc->cd);
	free(oc->rec);
}

int
audit_outcome_compute(const audit_statutes *s, const char *date,
    const struct audit_member *members, size_t n_members,
    const struct audit_proxy *proxies, size_t n_proxies,
    const struct audit_question_facts *q, char code[40], char **fr,
    char **en, char *err, size_t errlen)
{
	struct outcome_count oc;
	struct ct_result *r = &oc.r;
	struct st_buf b1 = { 0 }, b2 = { 0 };
	int rc = -1;

	*fr = *en = NULL;
	if (outcome_count_run(&oc, s, date, members, n_members, proxies,
	    n_proxies, q, err, errlen) != 0 ||
	    result_presidency(r, q, err, errlen) != 0 ||
	    result_unanimity(r, q, err, errlen) != 0)
		goto out;
	if (q->has_triggers && q->why_fr != NULL && q->why_en != NULL)
		result_secrecy(r, &oc.cq, q);
	if (q->election)
		result_tied(r, q);
	if (q->pct_base_out != NULL)
		*q->pct_base_out = q->election ? r->questions[0].ballots :
		    r->questions[0].m.expressed;
	if (q->pct_abstention_out != NULL)
		*q->pct_abstention_out = !q->election &&
		    r->body->abstention_expressed;
	snprintf(code, 40, "%s", ct_outcome_code(r->questions[0].outcome));
	phrase_question(&b1, r, 0, PH_FR);
	phrase_question(&b2, r, 0, PH_EN);
	*fr = xstrdup(b1.s ? b1.s : "");
	*en = xstrdup(b2.s ? b2.s : "");
	rc = 0;
out:
	st_buf_free(&b1);
	st_buf_free(&b2);
	outcome_count_free(&oc);
	return rc;
}

int
audit_fallback_compute(const audit_statutes *s, const char *date,
    const struct audit_member *members, size_t n_members,
    const struct audit_proxy *proxies, size_t n_proxies,
    const struct audit_question_facts *q, bool *counts, char *err,
    size_t errlen)
{
	struct outcome_count oc;
	int rc = -1;

	if (outcome_count_run(&oc, s, date, members, n_members, proxies,
	    n_proxies, q, err, errlen) == 0) {
		for (size_t k = 0; k < s->n_mail_in; k++)
			counts[k] = oc.r.questions[0].fallback != NULL &&
			    oc.r.questions[0].fallback[k] != CT_NONE;
		rc = 0;
	}
	outcome_count_free(&oc);
	return rc;
}

int
audit_draw_pick(const struct profile *p, const struct ct_meeting *m,
    const char *draw, const char *const *pool, size_t n_pool,
    uint64_t seed, size_t **drawn, size_t *n_drawn, char *err,
    size_t errlen)
{
	struct ct_question cq;
	struct ct_result r;
	struct st_msg em;
	const struct ct_question_result *qr;

	*drawn = NULL;
	*n_drawn = 0;
	memset(&cq, 0, sizeof cq);
	cq.id = draw;
	cq.label = draw;
	cq.kind = CT_Q_DRAW;
	cq.draw = draw;
	cq.pool = pool;
	cq.n_pool = n_pool;
	cq.has_seed = true;
	cq.seed = seed;
	if (ct_count(p, m, &cq, 1, &r, &em) != 0) {
		snprintf(err, errlen, "%s", em.en);
		return -1;
	}
	qr = &r.questions[0];
	*drawn = xcalloc(qr->n_drawn + 1, sizeof **drawn);
	/* The engine gives members; the record, positions in the pool. */
	for (size_t k = 0; k < qr->n_drawn; k++)
		for (size_t j = 0; j < n_pool; j++)
			if (strcmp(m->members[qr->drawn[k]].id, pool[j]) == 0)
				(*drawn)[(*n_drawn)++] = j;
	ct_result_free(&r);
	return 0;
}

int
audit_statutes_draw(const audit_statutes *s, const char *date,
    const struct audit_member *members, size_t n_members, const char *draw,
    const size_t *pool, size_t n_pool, uint64_t seed, size_t **drawn,
    size_t *n_drawn, char *err, size_t errlen)
{
	struct outcome_facts fa = { 0 };
	struct ct_meeting m;
	const char **ids = xcalloc(n_pool + 1, sizeof *ids);
	int rc = -1;

	*drawn = NULL;
	for (size_t i = 0; i < n_pool; i++) {
		if (pool[i] >= n_members)
			goto out;
		ids[i] = members[pool[i]].id;
	}
	if (outcome_facts_build(&fa, &m, s, date, members, n_members, NULL, 0,
	    err, errlen) != 0)
		goto out;
	rc = audit_draw_pick(&s->p, &m, draw, ids, n_pool, seed, drawn,
	    n_drawn, err, errlen);
out:
	outcome_facts_free(&fa);
	free(ids);
	return rc;
}

int
audit_statutes_draw_rule(const audit_statutes *s, const char *draw,
    const char **label, const char **article)
{
	const struct pr_body *b = profile_body_find(&s->p, s->body);
	const struct pr_draw *d = b != NULL ? profile_draw_find(b, draw) :
	    NULL;

	if (d == NULL)
		return -1;
	*label = d->label;
	*article = d->src.article;
	return 0;
}

bool
audit_draw_id_ok(const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	if (n == 0 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '.' || s[i] == '_' || s[i] == '-'))
			return false;
	return true;
}

bool
audit_mailin_added_ok(const char *key)
{
	return strcmp(key, "triggers") == 0 || strcmp(key, "recused") == 0 ||
	    strcmp(key, "alternatives") == 0;
}

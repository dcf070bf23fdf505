/*
 * profile.c — loads a statutes profile (docs/profiles.md) from YAML.
 *
 * Trusts nothing in the file: each field is read with its type, range and
 * allowed values, and every mapping is closed with yt_map_done so an
 * unknown or misplaced key is an error. No rule has a default: a profile
 * that leaves a rule unsettled does not load. Invariants on success:
 * identifiers are unique within their list, fractions are in (0, 1],
 * every reference (escalation target, college category) resolves.
 */
#include "ballot-formats/profile.h"
#include "ballot-formats/ytree.h"

#include <stdio.h>
#include <string.h>

#define P(buf, parent, child) yt_path(buf, sizeof buf, parent, child)

static const char *const ROUNDINGS[] = {"none", "floor", "ceil", NULL};
static const char *const COMPARES[] = {"at_least", "more_than", NULL};
static const char *const BASES[] = {"expressed", "voices", "present", "members",
	"valid_ballots", NULL};

static int
load_source(struct yt_doc *d, struct yt_node *m, const char *path, struct pr_source *s)
{
	struct yt_node *n;
	char p[256];

	if (yt_req(d, m, path, "article", &n) != 0 ||
	    yt_str(d, n, P(p, path, "article"), s->article, sizeof s->article) != 0)
		return -1;
	s->reading[0] = '\0';
	if ((n = yt_get(m, "reading")) != NULL &&
	    yt_str(d, n, P(p, path, "reading"), s->reading, sizeof s->reading) != 0)
		return -1;
	return 0;
}

/* The label people read: `label` (French, required) and `label_en`
 * (English, optional: "" when absent, and the French one is shown). */
static int
load_labels(struct yt_doc *d, struct yt_node *m, const char *path,
    char fr[PR_LABEL_MAX], char en[PR_LABEL_MAX])
{
	struct yt_node *n;
	char p[256];

	if (yt_req(d, m, path, "label", &n) != 0 ||
	    yt_str(d, n, P(p, path, "label"), fr, PR_LABEL_MAX) != 0)
		return -1;
	en[0] = '\0';
	if ((n = yt_get(m, "label_en")) != NULL &&
	    yt_str(d, n, P(p, path, "label_en"), en, PR_LABEL_MAX) != 0)
		return -1;
	return 0;
}

/* The optional `subject: {fr, gender, en}` of a body or a decision
 * (struct pr_subject), or the default words when absent: fr starts with
 * its definite article (le, la, l'), which agrees with the gender. */
static int
load_subject(struct yt_doc *d, struct yt_node *m, const char *path, struct pr_subject *s,
    const char *dfr, bool dfem, const char *den)
{
	static const char *const GENDER[] = {"masculine", "feminine", NULL};
	struct yt_node *sm, *n;
	char p[256], q[256];
	int e;

	(void)st_strlcpy(s->fr, dfr, sizeof s->fr);
	(void)st_strlcpy(s->en, den, sizeof s->en);
	s->feminine = dfem;
	if ((sm = yt_get(m, "subject")) == NULL)
		return 0;
	P(p, path, "subject");
	if (yt_expect(d, sm, p, YT_MAP) != 0 || yt_req(d, sm, p, "fr", &n) != 0 ||
	    yt_str(d, n, P(q, p, "fr"), s->fr, sizeof s->fr) != 0)
		return -1;
	bool le = strncmp(s->fr, "le ", 3) == 0, la = strncmp(s->fr, "la ", 3) == 0;
	if (!le && !la && strncmp(s->fr, "l'", 2) != 0 && strncmp(s->fr, "l\xe2\x80\x99", 4) != 0)
		return yt_err(d, n, q, "« %s » doit commencer par son article : le, la ou l'",
		    "'%s' must start with its article: le, la or l'", s->fr);
	if (yt_req(d, sm, p, "gender", &n) != 0 || yt_enum(d, n, P(q, p, "gender"), GENDER, &e) != 0)
		return -1;
	s->feminine = e == 1;
	if ((le && s->feminine) || (la && !s->feminine))
		return yt_err(d, n, q, "le genre « %s » ne s'accorde pas avec l'article de « %s »",
		    "gender '%s' does not agree with the article of '%s'", GENDER[e], s->fr);
	if (yt_req(d, sm, p, "en", &n) != 0 || yt_str(d, n, P(q, p, "en"), s->en, sizeof s->en) != 0)
		return -1;
	return yt_map_done(d, sm, p);
}

static int
req_bool(struct yt_doc *d, struct yt_node *m, const char *path, const char *key, bool *out)
{
	struct yt_node *n;
	char p[256];

	if (yt_req(d, m, path, key, &n) != 0)
		return -1;
	return yt_bool(d, n, P(p, path, key), out);
}

static int
req_enum(struct yt_doc *d, struct yt_node *m, const char *path, const char *key,
    const char *const *names, int *out)
{
	struct yt_node *n;
	char p[256];

	if (yt_req(d, m, path, key, &n) != 0)
		return -1;
	return yt_enum(d, n, P(p, path, key), names, out);
}

static int
req_uint(struct yt_doc *d, struct yt_node *m, const char *path, const char *key,
    uint32_t max, uint32_t *out)
{
	struct yt_node *n;
	char p[256];

	if (yt_req(d, m, path, key, &n) != 0)
		return -1;
	return yt_uint(d, n, P(p, path, key), max, out);
}

/* A count, or the word "unlimited". */
static int
req_cap(struct yt_doc *d, struct yt_node *m, const char *path, const char *key, uint32_t *out)
{
	struct yt_node *n;
	char p[256];

	if (yt_req(d, m, path, key, &n) != 0)
		return -1;
	if (n->type == YT_SCALAR && !n->quoted && strcmp(n->str, "unlimited") == 0) {
		*out = PR_UNLIMITED;
		return 0;
	}
	return yt_uint(d, n, P(p, path, key), 100000, out);
}

static int
req_map(struct yt_doc *d, struct yt_node *m, const char *path, const char *key,
    struct yt_node **out)
{
	char p[256];

	if (yt_req(d, m, path, key, out) != 0)
		return -1;
	return yt_expect(d, *out, P(p, path, key), YT_MAP);
}

static int
load_threshold(struct yt_doc *d, struct yt_node *m, const char *path, struct pr_threshold *t)
{
	struct yt_node *n;
	char p[256];
	int v;

	memset(t, 0, sizeof *t);
	if (yt_req(d, m, path, "fraction", &n) != 0 ||
	    yt_fraction(d, n, P(p, path, "fraction"), &t->num, &t->den) != 0)
		return -1;
	if (req_enum(d, m, path, "compare", COMPARES, &v) != 0)
		return -1;
	t->compare = (enum pr_compare)v;
	if (req_enum(d, m, path, "rounding", ROUNDINGS, &v) != 0)
		return -1;
	t->rounding = (enum pr_rounding)v;
	if ((n = yt_get(m, "plus")) != NULL &&
	    yt_uint(d, n, P(p, path, "plus"), 1000, &t->plus) != 0)
		return -1;
	if ((n = yt_get(m, "minimum")) != NULL &&
	    yt_uint(d, n, P(p, path, "minimum"), 1000, &t->minimum) != 0)
		return -1;
	return 0;
}

/* {value: bool, article, reading?} */
static int
load_flag(struct yt_doc *d, struct yt_node *parent, const char *path, const char *key,
    const char *field, bool *out, struct pr_source *src)
{
	struct yt_node *m;
	char p[256];

	if (req_map(d, parent, path, key, &m) != 0)
		return -1;
	P(p, path, key);
	if (req_bool(d, m, p, field, out) != 0 || load_source(d, m, p, src) != 0)
		return -1;
	return yt_map_done(d, m, p);
}

/* dues_paid: {value: bool, checked_on?: meeting_date, period?: {months: N},
 * article, reading?} */
static int
load_dues(struct yt_doc *d, struct yt_node *parent, const char *path, struct pr_dues *x)
{
	static const char *const ON[] = {"meeting_date", NULL};
	struct yt_node *m, *n;
	char p[256], q[256];
	int e;

	if (req_map(d, parent, path, "dues_paid", &m) != 0)
		return -1;
	P(p, path, "dues_paid");
	if (req_bool(d, m, p, "value", &x->required) != 0 || load_source(d, m, p, &x->src) != 0)
		return -1;
	if ((n = yt_get(m, "checked_on")) != NULL) {
		if (yt_enum(d, n, P(q, p, "checked_on"), ON, &e) != 0)
			return -1;
		x->date_needed = true;
	}
	if ((n = yt_get(m, "period")) != NULL) {
		P(q, p, "period");
		if (yt_expect(d, n, q, YT_MAP) != 0 ||
		    req_uint(d, n, q, "months", 120, &x->period_months) != 0 ||
		    yt_map_done(d, n, q) != 0)
			return -1;
		if (x->period_months == 0)
			return yt_err(d, n, q, "months vaut au moins 1", "months must be at least 1");
	}
	return yt_map_done(d, m, p);
}

static int
load_categories(struct yt_doc *d, struct yt_node *m, const char *path, struct pr_body *b)
{
	char p[256];

	if (m->n == 0)
		return yt_err(d, m, path, "il faut au moins une catégorie de membres",
		    "at least one member category is required");
	if (m->n > PR_MAX_CATS)
		return yt_err(d, m, path, "%d catégories au plus", "at most %d categories",
		    PR_MAX_CATS);
	for (size_t i = 0; i < m->n; i++) {
		struct pr_category *c = &b->cats[b->n_cats];
		struct yt_node *cm = m->items[i], *n;
		m->used[i] = true;
		P(p, path, m->keys[i]->str);
		if (yt_ident(d, m->keys[i], p, c->id, sizeof c->id) != 0 ||
		    yt_expect(d, cm, p, YT_MAP) != 0)
			return -1;
		char q[256];
		if (yt_req(d, cm, p, "label", &n) != 0 ||
		    yt_str(d, n, P(q, p, "label"), c->label, sizeof c->label) != 0 ||
		    req_bool(d, cm, p, "votes", &c->votes) != 0 ||
		    req_bool(d, cm, p, "quorum", &c->quorum) != 0 ||
		    req_bool(d, cm, p, "eligible", &c->eligible) != 0 ||
		    req_bool(d, cm, p, "dues_exempt", &c->dues_exempt) != 0 ||
		    load_source(d, cm, p, &c->src) != 0 || yt_map_done(d, cm, p) != 0)
			return -1;
		b->n_cats++;
	}
	return 0;
}

static int
load_colleges(struct yt_doc *d, struct yt_node *m, const char *path, struct pr_body *b)
{
	char p[256], q[256];

	if (m->n > PR_MAX_LIST)
		return yt_err(d, m, path, "%d collèges au plus", "at most %d colleges",
		    PR_MAX_LIST);
	for (size_t i = 0; i < m->n; i++) {
		struct pr_college *c = &b->colleges[b->n_colleges];
		struct yt_node *cm = m->items[i], *l;
		m->used[i] = true;
		P(p, path, m->keys[i]->str);
		if (yt_ident(d, m->keys[i], p, c->id, sizeof c->id) != 0 ||
		    yt_expect(d, cm, p, YT_MAP) != 0)
			return -1;
		if (yt_req(d, cm, p, "categories", &l) != 0 ||
		    yt_expect(d, l, P(q, p, "categories"), YT_SEQ) != 0)
			return -1;
		if (l->n == 0 || l->n > PR_MAX_CATS)
			return yt_err(d, l, q, "entre 1 et %d catégories",
			    "between 1 and %d categories", PR_MAX_CATS);
		for (size_t j = 0; j < l->n; j++) {
			char r[256];
			yt_path_i(r, sizeof r, q, j);
			if (yt_ident(d, l->items[j], r, c->cats[j], PR_ID_MAX) != 0)
				return -1;
			if (profile_category_find(b, c->cats[j]) == NULL)
				return yt_err(d, l->items[j], r, "catégorie « %s » inconnue",
				    "unknown category '%s'", c->cats[j]);
		}
		c->n = l->n;
		if (load_source(d, cm, p, &c->src) != 0 || yt_map_done(d, cm, p) != 0)
			return -1;
		b->n_colleges++;
	}
	return 0;
}

static int
load_voters(struct yt_doc *d, struct yt_node *m, const char *path, struct pr_voters *v)
{
	static const char *const FREEZE[] = {"none", "convocation_date",
		"previous_month_end", NULL};
	static const char *const ZONE[] = {"none", "group", NULL};
	struct yt_node *n;
	char p[256];
	int e;

	if (load_dues(d, m, path, &v->dues) != 0)
		return -1;
	if (req_map(d, m, path, "roll_freeze", &n) != 0)
		return -1;
	P(p, path, "roll_freeze");
	if (req_enum(d, n, p, "rule", FREEZE, &e) != 0 || load_source(d, n, p, &v->freeze_src) != 0 ||
	    yt_map_done(d, n, p) != 0)
		return -1;
	v->freeze = (enum pr_freeze)e;
	if (req_map(d, m, path, "zone", &n) != 0)
		return -1;
	P(p, path, "zone");
	if (req_enum(d, n, p, "rule", ZONE, &e) != 0)
		return -1;
	v->zone = (enum pr_zone)e;
	if (v->zone == PR_ZONE_GROUP &&
	    req_uint(d, n, p, "enrolment_months", 1200, &v->enrolment_months) != 0)
		return -1;
	if (load_source(d, n, p, &v->zone_src) != 0 || yt_map_done(d, n, p) != 0)
		return -1;
	if (load_flag(d, m, path, "minors", "vote", &v->minors_vote, &v->minors_src) != 0 ||
	    load_flag(d, m, path, "remote", "counts_as_present", &v->remote_counts_present,
	    &v->remote_src) != 0)
		return -1;
	return yt_map_done(d, m, path);
}

/* seniority.waiver: none, or {decision: ID, college: of_candidate | any}
 * — the motion of the meeting that grants an exception, and who votes
 * it. The decision is checked against the body's once they are loaded. */
static int
load_waiver(struct yt_doc *d, struct yt_node *m, const char *path, struct pr_candidates *c)
{
	static const char *const COL[] = {"of_candidate", "any", NULL};
	struct yt_node *n, *x;
	char p[256], q[256];
	int e;

	if (yt_req(d, m, path, "waiver", &n) != 0)
		return -1;
	P(p, path, "waiver");
	if (n->type == YT_SCALAR && !n->quoted && strcmp(n->str, "none") == 0)
		return 0;
	if (yt_expect(d, n, p, YT_MAP) != 0 || yt_req(d, n, p, "decision", &x) != 0 ||
	    yt_ident(d, x, P(q, p, "decision"), c->waiver_decision, sizeof c->waiver_decision) != 0 ||
	    req_enum(d, n, p, "college", COL, &e) != 0 || yt_map_done(d, n, p) != 0)
		return -1;
	c->seniority_waiver = true;
	c->waiver_own_college = e == 0;
	return 0;
}

static int
load_candidates(struct yt_doc *d, struct yt_node *m, const char *path, struct pr_candidates *c)
{
	static const char *const SEN[] = {"none", "months", NULL};
	static const char *const SDATE[] = {"registered", "validated", NULL};
	static const char *const DECL[] = {"none", "days_before", NULL};
	struct yt_node *n;
	char p[256];
	int e;

	if (load_dues(d, m, path, &c->dues) != 0 ||
	    load_flag(d, m, path, "minors", "eligible", &c->minors_eligible, &c->minors_src) != 0)
		return -1;
	if (req_map(d, m, path, "seniority", &n) != 0)
		return -1;
	P(p, path, "seniority");
	if (req_enum(d, n, p, "rule", SEN, &e) != 0)
		return -1;
	c->seniority = e == 1;
	if (c->seniority) {
		if (req_enum(d, n, p, "date", SDATE, &e) != 0)
			return -1;
		c->seniority_date = (enum pr_seniority_date)e;
		if (req_uint(d, n, p, "months", 1200, &c->seniority_months) != 0 ||
		    req_enum(d, n, p, "compare", COMPARES, &e) != 0)
			return -1;
		c->seniority_compare = (enum pr_compare)e;
		if (load_waiver(d, n, p, c) != 0)
			return -1;
	}
	if (load_source(d, n, p, &c->seniority_src) != 0 || yt_map_done(d, n, p) != 0)
		return -1;
	if (req_map(d, m, path, "declaration", &n) != 0)
		return -1;
	P(p, path, "declaration");
	if (req_enum(d, n, p, "rule", DECL, &e) != 0)
		return -1;
	c->declaration = e == 1;
	if (c->declaration && req_uint(d, n, p, "days", 3650, &c->declaration_days) != 0)
		return -1;
	if (req_bool(d, n, p, "late_allowed", &c->late_allowed) != 0 ||
	    load_source(d, n, p, &c->declaration_src) != 0 || yt_map_done(d, n, p) != 0)
		return -1;
	return yt_map_done(d, m, path);
}

static int
load_flags_list(struct yt_doc *d, struct yt_node *l, const char *path,
    const char *const *names, const unsigned *bits, unsigned *out)
{
	char p[256];

	*out = 0;
	if (yt_expect(d, l, path, YT_SEQ) != 0)
		return -1;
	for (size_t i = 0; i < l->n; i++) {
		int e;
		yt_path_i(p, sizeof p, path, i);
		if (yt_enum(d, l->items[i], p, names, &e) != 0)
			return -1;
		if (*out & bits[e])
			return yt_err(d, l->items[i], p, "« %s » figure deux fois",
			    "'%s' listed twice", names[e]);
		*out |= bits[e];
	}
	return 0;
}

static int
load_quorum(struct yt_doc *d, struct yt_node *m, const char *path, struct pr_quorum *q)
{
	static const char *const KIND[] = {"none", "fraction", "meeting_sets", NULL};
	static const char *const COUNTS[] = {"present", "remote", "represented", "mail_in",
		"internet", NULL};
	static const unsigned CBITS[] = {PR_COUNT_PRESENT, PR_COUNT_REMOTE,
		PR_COUNT_REPRESENTED, PR_COUNT_MAIL_IN, PR_COUNT_INTERNET};
	static const char *const SECOND[] = {"none", "no_quorum", NULL};
	struct yt_node *n, *s;
	char p[256];
	int e;

	if (req_enum(d, m, path, "rule", KIND, &e) != 0)
		return -1;
	q->kind = (enum pr_quorum_kind)e;
	if (q->kind == PR_QUORUM_RULE) {
		if (yt_req(d, m, path, "counts", &n) != 0 ||
		    load_flags_list(d, n, P(p, path, "counts"), COUNTS, CBITS, &q->counts) != 0)
			return -1;
		if (q->counts == 0)
			return yt_err(d, n, p, "indiquer qui compte pour le quorum",
			    "name who counts toward the quorum");
		if (load_threshold(d, m, path, &q->t) != 0)
			return -1;
		if (req_map(d, m, path, "second_convocation", &s) != 0)
			return -1;
		P(p, path, "second_convocation");
		if (req_enum(d, s, p, "quorum", SECOND, &e) != 0)
			return -1;
		q->second_no_quorum = e == 1;
		if (q->second_no_quorum) {
			if (yt_req(d, s, p, "delay", &n) != 0)
				return -1;
			char r[256];
			if (yt_str(d, n, P(r, p, "delay"), q->second_delay, sizeof q->second_delay) != 0)
				return -1;
		}
		if (load_source(d, s, p, &q->second_src) != 0 || yt_map_done(d, s, p) != 0)
			return -1;
	}
	if (q->kind == PR_QUORUM_MEETING_SETS && yt_get(m, "rounding") != NULL) {
		if (req_enum(d, m, path, "rounding", ROUNDINGS, &e) != 0)
			return -1;
		q->meeting_rounding = true;
		q->rounding = (enum pr_rounding)e;
	}
	if (load_source(d, m, path, &q->src) != 0)
		return -1;
	return yt_map_done(d, m, path);
}

static int
load_proxies(struct yt_doc *d, struct yt_node *m, const char *path, struct pr_proxies *x)
{
	static const char *const CH[] = {"paper", "digital", NULL};
	static const unsigned CHB[] = {PR_CHANNEL_PAPER, PR_CHANNEL_DIGITAL};
	static const char *const FIELDS[] = {"assembly_date", "giver", "holder", NULL};
	static const unsigned FB[] = {PR_FIELD_ASSEMBLY_DATE, PR_FIELD_GIVER, PR_FIELD_HOLDER};
	static const char *const ABS[] = {"void", "random_reassignment", NULL};
	struct yt_node *n, *s;
	char p[256];
	int e;

	if (req_bool(d, m, path, "allowed", &x->allowed) != 0)
		return -1;
	if (x->allowed) {
		if (req_cap(d, m, path, "cap", &x->cap) != 0)
			return -1;
		if (yt_req(d, m, path, "channels", &n) != 0 ||
		    load_flags_list(d, n, P(p, path, "channels"), CH, CHB, &x->channels) != 0)
			return -1;
		if (x->channels == 0)
			return yt_err(d, n, p, "au moins un canal", "at least one channel");
		if (yt_req(d, m, path, "deadline_minutes_before", &n) != 0)
			return -1;
		P(p, path, "deadline_minutes_before");
		if (n->type == YT_SCALAR && !n->quoted && strcmp(n->str, "none") == 0) {
			x->deadline = false;
		} else {
			x->deadline = true;
			if (yt_uint(d, n, p, 100000, &x->deadline_minutes) != 0)
				return -1;
		}
		if (yt_req(d, m, path, "required_fields", &n) != 0 ||
		    load_flags_list(d, n, P(p, path, "required_fields"), FIELDS, FB,
		    &x->required_fields) != 0)
			return -1;
		if (req_bool(d, m, path, "holder_must_be_present", &x->holder_must_be_present) != 0 ||
		    req_enum(d, m, path, "absent_holder", ABS, &e) != 0)
			return -1;
		x->absent_holder = (enum pr_absent_holder)e;
		if ((s = yt_get(m, "president")) != NULL) {
			P(p, path, "president");
			if (yt_expect(d, s, p, YT_MAP) != 0 || req_cap(d, s, p, "cap", &x->president_cap) != 0 ||
			    req_cap(d, s, p, "redistribute_cap", &x->redistribute_cap) != 0 ||
			    yt_map_done(d, s, p) != 0)
				return -1;
			x->president_special = true;
		}
		if ((s = yt_get(m, "ca_through_president")) != NULL) {
			P(p, path, "ca_through_president");
			if (yt_expect(d, s, p, YT_MAP) != 0 || req_cap(d, s, p, "cap", &x->ca_cap) != 0 ||
			    yt_map_done(d, s, p) != 0)
				return -1;
			x->ca_special = true;
		}
	}
	if (load_source(d, m, path, &x->src) != 0)
		return -1;
	return yt_map_done(d, m, path);
}

static int
load_mail_in(struct yt_doc *d, struct yt_node *m, const char *path, struct pr_mail_in *x)
{
	static const char *const ARRIVAL[] = {"room_vote", NULL};
	int e = PR_ARRIVAL_ROOM_VOTE;

	if (req_bool(d, m, path, "allowed", &x->allowed) != 0)
		return -1;
	if (x->allowed && (req_bool(d, m, path, "agenda_only", &x->agenda_only) != 0 ||
	    req_bool(d, m, path, "fallback_proxy", &x->fallback_proxy) != 0))
		return -1;
	/* Optional (profiles written before it mean room_vote, the only
	 * behaviour the engine implements). */
	if (x->allowed && yt_get(m, "on_arrival") != NULL &&
	    req_enum(d, m, path, "on_arrival", ARRIVAL, &e) != 0)
		return -1;
	x->on_arrival = (enum pr_mail_arrival)e;
	if (load_source(d, m, path, &x->src) != 0)
		return -1;
	return yt_map_done(d, m, path);
}

static int
load_secret(struct yt_doc *d, struct yt_node *m, const char *path, struct pr_secret *s)
{
	static const char *const DEF[] = {"show_of_hands", "secret", NULL};
	static const char *const REQ[] = {"bureau", "ca", NULL};
	static const unsigned REQB[] = {PR_REQ_BUREAU, PR_REQ_CA};
	struct yt_node *n;
	char p[256];
	int e;

	if (req_enum(d, m, path, "default", DEF, &e) != 0)
		return -1;
	s->default_secret = e == 1;
	if (req_bool(d, m, path, "member_objection", &s->member_objection) != 0)
		return -1;
	if (yt_req(d, m, path, "request_by", &n) != 0 ||
	    load_flags_list(d, n, P(p, path, "request_by"), REQ, REQB, &s->request_by) != 0)
		return -1;
	if (yt_req(d, m, path, "request_fraction", &n) != 0)
		return -1;
	P(p, path, "request_fraction");
	if (n->type == YT_SCALAR && !n->quoted && strcmp(n->str, "none") == 0) {
		s->request_fraction = false;
	} else {
		if (yt_expect(d, n, p, YT_MAP) != 0 || load_threshold(d, n, p, &s->request_t) != 0 ||
		    yt_map_done(d, n, p) != 0)
			return -1;
		s->request_fraction = true;
	}
	if (req_bool(d, m, path, "unanimous_waiver", &s->unanimous_waiver) != 0 ||
	    req_bool(d, m, path, "fraud_revote", &s->fraud_revote) != 0 ||
	    req_uint(d, m, path, "min_scrutineers", 10, &s->min_scrutineers) != 0)
		return -1;
	if ((n = yt_get(m, "counted_by")) != NULL &&
	    yt_str(d, n, P(p, path, "counted_by"), s->counted_by, sizeof s->counted_by) != 0)
		return -1;
	if (load_source(d, m, path, &s->src) != 0)
		return -1;
	return yt_map_done(d, m, path);
}

static int
load_decision(struct yt_doc *d, struct yt_node *m, const char *path, struct pr_decision *x)
{
	static const char *const MAJ[] = {"relative", "threshold", NULL};
	static const char *const VOT[] = {"all", "present_only", NULL};
	static const char *const ABST[] = {"none", "most", "over_half", NULL};
	static const char *const CAST[] = {"tie_rejects", "declared", NULL};
	char p[256];
	int e;

	if (load_labels(d, m, path, x->label, x->label_en) != 0 ||
	    load_subject(d, m, path, &x->subject, "la motion", true, "the motion") != 0)
		return -1;
	if (req_enum(d, m, path, "majority", MAJ, &e) != 0)
		return -1;
	x->majority = (enum pr_majority)e;
	if (x->majority == PR_MAJ_RELATIVE) {
		if (req_bool(d, m, path, "casting_vote", &x->casting_vote) != 0)
			return -1;
		/* A secret ballot hides the president's vote: the profile
		 * says how a tie is read then. */
		if (x->casting_vote) {
			if (req_enum(d, m, path, "casting_vote_secret", CAST, &e) != 0)
				return -1;
			x->casting_secret = (enum pr_casting_secret)(e + 1);
		}
	} else {
		if (req_enum(d, m, path, "base", BASES, &e) != 0)
			return -1;
		if (e == PR_BASE_VALID_BALLOTS)
			return yt_err(d, yt_get(m, "base"), P(p, path, "base"),
			    "valid_ballots ne s'applique qu'aux élections",
			    "valid_ballots is a base for elections only");
		x->base = (enum pr_base)e;
		if (load_threshold(d, m, path, &x->t) != 0)
			return -1;
	}
	if (req_enum(d, m, path, "voters", VOT, &e) != 0)
		return -1;
	x->present_only = e == 1;
	if (req_bool(d, m, path, "off_agenda", &x->off_agenda) != 0 ||
	    req_enum(d, m, path, "abstention_revote", ABST, &e) != 0)
		return -1;
	x->abstention_revote = (enum pr_abst_revote)e;
	if (x->abstention_revote != PR_ABST_NONE && x->majority == PR_MAJ_RELATIVE)
		return yt_err(d, yt_get(m, "abstention_revote"), P(p, path, "abstention_revote"),
		    "un nouveau vote sur une majorité d'abstentions ne s'applique qu'aux règles à "
		    "seuil",
		    "a revote on an abstention majority applies to threshold rules only");
	if (req_bool(d, m, path, "secret", &x->secret) != 0 ||
	    req_bool(d, m, path, "recusal", &x->recusal) != 0 ||
	    load_source(d, m, path, &x->src) != 0)
		return -1;
	return yt_map_done(d, m, path);
}

static int
load_election(struct yt_doc *d, struct yt_node *m, const char *path, struct pr_election *x)
{
	static const char *const METH[] = {"plurality", "threshold", "two_round", NULL};
	static const char *const VOT[] = {"all", "same_region", NULL};
	static const char *const TB[] = {"function", "city_not_represented", "semesters",
		"sex_parity", "eldest", NULL};
	static const char *const SEQ[] = {"none", "president_first", NULL};
	struct yt_node *n, *c;
	char p[256], q[256];
	int e;

	if (load_labels(d, m, path, x->label, x->label_en) != 0)
		return -1;
	if (req_enum(d, m, path, "method", METH, &e) != 0)
		return -1;
	x->method = (enum pr_method)e;
	if (x->method != PR_METHOD_PLURALITY) {
		if (req_enum(d, m, path, "base", BASES, &e) != 0)
			return -1;
		if (e != PR_BASE_VALID_BALLOTS)
			return yt_err(d, yt_get(m, "base"), P(p, path, "base"),
			    "une élection se mesure aux bulletins valables (valid_ballots)",
			    "elections are measured against valid_ballots");
		if (load_threshold(d, m, path, &x->t) != 0)
			return -1;
	}
	if (x->method == PR_METHOD_THRESHOLD) {
		if (yt_req(d, m, path, "cooptation", &c) != 0)
			return -1;
		P(q, path, "cooptation");
		if (c->type == YT_SCALAR && !c->quoted && strcmp(c->str, "none") == 0) {
			x->cooptation = false;
		} else {
			if (yt_expect(d, c, q, YT_MAP) != 0 || load_threshold(d, c, q, &x->coopt_t) != 0 ||
			    load_source(d, c, q, &x->coopt_src) != 0 || yt_map_done(d, c, q) != 0)
				return -1;
			x->cooptation = true;
		}
	}
	if (req_enum(d, m, path, "voters", VOT, &e) != 0)
		return -1;
	x->same_region = e == 1;
	if (yt_req(d, m, path, "tie_break", &n) != 0 ||
	    yt_expect(d, n, P(p, path, "tie_break"), YT_SEQ) != 0)
		return -1;
	if (n->n > PR_MAX_TIEBREAK)
		return yt_err(d, n, p, "%d critères au plus",
		    "at most %d criteria", PR_MAX_TIEBREAK);
	for (size_t i = 0; i < n->n; i++) {
		yt_path_i(q, sizeof q, p, i);
		if (yt_enum(d, n->items[i], q, TB, &e) != 0)
			return -1;
		for (size_t j = 0; j < i; j++)
			if (x->tiebreak[j] == (enum pr_tiebreak)e)
				return yt_err(d, n->items[i], q, "critère en double",
				    "criterion listed twice");
		x->tiebreak[i] = (enum pr_tiebreak)e;
	}
	x->n_tiebreak = n->n;
	if (req_bool(d, m, path, "secret", &x->secret) != 0 ||
	    req_enum(d, m, path, "sequence", SEQ, &e) != 0)
		return -1;
	x->sequence = (enum pr_sequence)e;
	if ((c = yt_get(m, "second_round")) != NULL) {
		bool stated;
		P(q, path, "second_round");
		if (x->method != PR_METHOD_TWO_ROUND)
			return yt_err(d, c, q, "ne s'applique qu'à une élection à deux tours",
			    "applies to a two_round election only");
		if (yt_expect(d, c, q, YT_MAP) != 0 || req_bool(d, c, q, "stated", &stated) != 0 ||
		    load_source(d, c, q, &x->second_round_src) != 0 || yt_map_done(d, c, q) != 0)
			return -1;
		x->second_round = stated ? PR_SECOND_STATED : PR_SECOND_NOT_STATED;
	}
	if (load_source(d, m, path, &x->src) != 0)
		return -1;
	return yt_map_done(d, m, path);
}

static int
load_draw(struct yt_doc *d, struct yt_node *m, const char *path, struct pr_draw *x)
{
	struct yt_node *n;
	char p[256];
	int e;

	if (yt_req(d, m, path, "label", &n) != 0 ||
	    yt_str(d, n, P(p, path, "label"), x->label, sizeof x->label) != 0 ||
	    yt_req(d, m, path, "fraction", &n) != 0 ||
	    yt_fraction(d, n, P(p, path, "fraction"), &x->num, &x->den) != 0 ||
	    req_enum(d, m, path, "rounding", ROUNDINGS, &e) != 0)
		return -1;
	x->rounding = (enum pr_rounding)e;
	if (load_source(d, m, path, &x->src) != 0)
		return -1;
	return yt_map_done(d, m, path);
}

/* Iterates a mapping of id -> rule, checking ids and the count cap. */
#define LOAD_TABLE(d, m, path, arr, count, max, loader)                        \
	do {                                                                   \
		char tp_[256];                                                 \
		if (yt_expect(d, m, path, YT_MAP) != 0)                        \
			return -1;                                             \
		if ((m)->n > (max))                                            \
			return yt_err(d, m, path, "%d entrées au plus",       \
			    "at most %d entries", (int)(max));             \
		for (size_t i_ = 0; i_ < (m)->n; i_++) {                       \
			(m)->used[i_] = true;                                  \
			yt_path(tp_, sizeof tp_, path, (m)->keys[i_]->str);    \
			if (yt_ident(d, (m)->keys[i_], tp_, (arr)[count].id,   \
			    sizeof (arr)[count].id) != 0 ||                    \
			    yt_expect(d, (m)->items[i_], tp_, YT_MAP) != 0 ||  \
			    loader(d, (m)->items[i_], tp_, &(arr)[count]) != 0) \
				return -1;                                     \
			(count)++;                                             \
		}                                                              \
	} while (0)

/* amendments: {mode: before_motion | alternative, supporters, article,
 * reading?}. An alternative needs the body's alternatives rule. */
static int
load_amendments(struct yt_doc *d, struct yt_node *s, const char *path,
    struct pr_body *b)
{
	static const char *const MODE[] = {"before_motion", "alternative", NULL};
	int e;

	if (yt_expect(d, s, path, YT_MAP) != 0 ||
	    req_enum(d, s, path, "mode", MODE, &e) != 0)
		return -1;
	b->amendments.mode = e == 0 ? PR_AMEND_BEFORE_MOTION : PR_AMEND_ALTERNATIVE;
	if (req_uint(d, s, path, "supporters", 100000, &b->amendments.supporters) != 0)
		return -1;
	if (load_source(d, s, path, &b->amendments.src) != 0 || yt_map_done(d, s, path) != 0)
		return -1;
	if (b->amendments.mode == PR_AMEND_ALTERNATIVE && !b->alternatives)
		return yt_err(d, s, path, "mode alternative : le corps doit prévoir des motions "
		    "alternatives (alternatives)",
		    "mode alternative: the body must provide for alternative motions (alternatives)");
	return 0;
}

static int
load_body(struct yt_doc *d, struct yt_node *m, const char *path, struct pr_body *b)
{
	static const char *const BY[] = {"bureau", "ca", "any_member", NULL};
	static const unsigned BYB[] = {PR_REQ_BUREAU, PR_REQ_CA, PR_REQ_MEMBER};
	struct yt_node *n, *s;
	char p[256];
	int e;

	if (load_labels(d, m, path, b->label, b->label_en) != 0 ||
	    load_subject(d, m, path, &b->subject, "la réunion", true, "the meeting") != 0)
		return -1;
	if (load_flag(d, m, path, "abstention_expressed", "value", &b->abstention_expressed,
	    &b->abstention_src) != 0)
		return -1;
	if (req_map(d, m, path, "categories", &n) != 0 ||
	    load_categories(d, n, P(p, path, "categories"), b) != 0)
		return -1;
	if ((n = yt_get(m, "colleges")) != NULL &&
	    (yt_expect(d, n, P(p, path, "colleges"), YT_MAP) != 0 ||
	    load_colleges(d, n, p, b) != 0))
		return -1;
	if (req_map(d, m, path, "voters", &n) != 0 ||
	    load_voters(d, n, P(p, path, "voters"), &b->voters) != 0)
		return -1;
	if (req_map(d, m, path, "candidates", &n) != 0 ||
	    load_candidates(d, n, P(p, path, "candidates"), &b->candidates) != 0)
		return -1;
	if (req_map(d, m, path, "quorum", &n) != 0 ||
	    load_quorum(d, n, P(p, path, "quorum"), &b->quorum) != 0)
		return -1;
	if (req_map(d, m, path, "proxies", &n) != 0 ||
	    load_proxies(d, n, P(p, path, "proxies"), &b->proxies) != 0)
		return -1;
	if (req_map(d, m, path, "mail_in", &n) != 0 ||
	    load_mail_in(d, n, P(p, path, "mail_in"), &b->mail_in) != 0)
		return -1;
	if (load_flag(d, m, path, "internet", "allowed", &b->internet, &b->internet_src) != 0 ||
	    load_flag(d, m, path, "recusal", "cannot_hold_proxy", &b->recusal_cannot_hold,
	    &b->recusal_src) != 0)
		return -1;
	if (req_map(d, m, path, "secret_ballot", &n) != 0 ||
	    load_secret(d, n, P(p, path, "secret_ballot"), &b->secret) != 0)
		return -1;
	if (req_map(d, m, path, "decisions", &n) != 0)
		return -1;
	P(p, path, "decisions");
	LOAD_TABLE(d, n, p, b->decisions, b->n_decisions, PR_MAX_RULES, load_decision);
	if ((n = yt_get(m, "elections")) != NULL) {
		P(p, path, "elections");
		LOAD_TABLE(d, n, p, b->elections, b->n_elections, PR_MAX_RULES, load_election);
	}
	if ((n = yt_get(m, "draws")) != NULL) {
		P(p, path, "draws");
		LOAD_TABLE(d, n, p, b->draws, b->n_draws, PR_MAX_LIST, load_draw);
	}
	if ((s = yt_get(m, "escalation")) != NULL) {
		P(p, path, "escalation");
		if (yt_expect(d, s, p, YT_MAP) != 0)
			return -1;
		if (yt_req(d, s, p, "to", &n) != 0)
			return -1;
		char q[256];
		if (yt_ident(d, n, P(q, p, "to"), b->escalation_to, sizeof b->escalation_to) != 0)
			return -1;
		const struct pr_decision *t = profile_decision_find(b, b->escalation_to);
		if (t == NULL)
			return yt_err(d, n, q, "décision « %s » inconnue",
			    "unknown decision '%s'", b->escalation_to);
		if (t->majority != PR_MAJ_THRESHOLD)
			return yt_err(d, n, q, "la règle visée doit être une règle à seuil",
			    "the escalation target must be a threshold rule");
		if (req_enum(d, s, p, "by", BY, &e) != 0)
			return -1;
		b->escalation_by = BYB[e];
		if (load_source(d, s, p, &b->escalation_src) != 0 || yt_map_done(d, s, p) != 0)
			return -1;
		b->escalation = true;
	}
	if ((s = yt_get(m, "alternatives")) != NULL) {
		static const char *const ALT[] = {"most_pour", NULL};
		P(p, path, "alternatives");
		if (yt_expect(d, s, p, YT_MAP) != 0 ||
		    req_enum(d, s, p, "rule", ALT, &e) != 0 ||
		    load_source(d, s, p, &b->alternatives_src) != 0 ||
		    yt_map_done(d, s, p) != 0)
			return -1;
		b->alternatives = true;
	}
	if ((s = yt_get(m, "amendments")) != NULL &&
	    load_amendments(d, s, P(p, path, "amendments"), b) != 0)
		return -1;
	/* Cross-checks that make rules coherent. */
	if (b->proxies.allowed && b->proxies.president_special && b->proxies.ca_special)
		return yt_err(d, m, path, "president et ca_through_president ne peuvent pas être "
		    "donnés ensemble",
		    "president and ca_through_president cannot both be set");
	if (b->candidates.seniority_waiver &&
	    profile_decision_find(b, b->candidates.waiver_decision) == NULL)
		return yt_err(d, m, path, "candidates.seniority.waiver : décision « %s » inconnue",
		    "candidates.seniority.waiver: unknown decision '%s'",
		    b->candidates.waiver_decision);
	return yt_map_done(d, m, path);
}

int
profile_load(struct profile *pr, const char *file, const uint8_t *buf, size_t len,
    struct st_msg *err)
{
	struct yt_doc d;
	struct yt_node *root, *n;
	int rc = -1;

	memset(pr, 0, sizeof *pr);
	if (yt_doc_parse(&d, file, buf, len) != 0)
		goto out;
	root = d.root;
	if (yt_expect(&d, root, "", YT_MAP) != 0)
		goto out;
	if (yt_req(&d, root, "", "format", &n) != 0 || yt_expect(&d, n, "format", YT_SCALAR) != 0)
		goto out;
	if (strcmp(n->str, "scrutin-profile/1") != 0) {
		yt_err(&d, n, "format", "« scrutin-profile/1 » attendu, trouvé « %s »",
		    "expected 'scrutin-profile/1', got '%s'", n->str);
		goto out;
	}
	if (yt_req(&d, root, "", "id", &n) != 0 || yt_ident(&d, n, "id", pr->id, sizeof pr->id) != 0 ||
	    yt_req(&d, root, "", "name", &n) != 0 || yt_str(&d, n, "name", pr->name, sizeof pr->name) != 0 ||
	    yt_req(&d, root, "", "statutes", &n) != 0 ||
	    yt_str(&d, n, "statutes", pr->statutes, sizeof pr->statutes) != 0)
		goto out;
	if (yt_req(&d, root, "", "bodies", &n) != 0 || yt_expect(&d, n, "bodies", YT_MAP) != 0)
		goto out;
	if (n->n == 0 || n->n > PR_MAX_BODIES) {
		yt_err(&d, n, "bodies", "entre 1 et %d instances",
		    "between 1 and %d bodies", PR_MAX_BODIES);
		goto out;
	}
	for (size_t i = 0; i < n->n; i++) {
		char p[256];
		struct pr_body *b = &pr->bodies[pr->n_bodies];
		n->used[i] = true;
		P(p, "bodies", n->keys[i]->str);
		if (yt_ident(&d, n->keys[i], p, b->id, sizeof b->id) != 0 ||
		    yt_expect(&d, n->items[i], p, YT_MAP) != 0 ||
		    load_body(&d, n->items[i], p, b) != 0)
			goto out;
		pr->n_bodies++;
	}
	if (yt_map_done(&d, root, "") != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0) {
		if (d.err.en[0] == '\0')
			st_msg_set(&d.err, 0, "%s: profil invalide", "%s: invalid profile", file);
		*err = d.err;
	}
	yt_doc_free(&d);
	return rc;
}

const struct pr_body *
profile_body_find(const struct profile *p, const char *id)
{
	for (size_t i = 0; i < p->n_bodies; i++)
		if (strcmp(p->bodies[i].id, id) == 0)
			return &p->bodies[i];
	return NULL;
}

#define FIND_IN(arr, n, id)                                  \
	for (size_t i_ = 0; i_ < (n); i_++)                  \
		if (strcmp((arr)[i_].id, (id)) == 0)         \
			return &(arr)[i_];                   \
	return NULL

const struct pr_category *
profile_category_find(const struct pr_body *b, const char *id)
{
	FIND_IN(b->cats, b->n_cats, id);
}

const struct pr_decision *
profile_decision_find(const struct pr_body *b, const char *id)
{
	FIND_IN(b->decisions, b->n_decisions, id);
}

const struct pr_election *
profile_election_find(const struct pr_body *b, const char *id)
{
	FIND_IN(b->elections, b->n_elections, id);
}

const struct pr_draw *
profile_draw_find(const struct pr_body *b, const char *id)
{
	FIND_IN(b->draws, b->n_draws, id);
}

const struct pr_college *
profile_college_find(const struct pr_body *b, const char *id)
{
	FIND_IN(b->colleges, b->n_colleges, id);
}

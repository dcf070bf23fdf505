/*
 * scenario.c — loads a scenario file (docs/scenarios.md) for ct_count.
 *
 * Trusts nothing in the file: each key is typed and bounded, unknown and
 * duplicate keys are refused with file:line:column, and the ids named in
 * attendance lists must be on the roll, once. The rules themselves are
 * applied by ct_count; this loader never fills in a missing fact.
 */
#include "ballot-formats/scenario.h"
#include "common/xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define P(buf, parent, child) yt_path(buf, sizeof buf, parent, child)

static void *
own(struct scenario *s, size_t n, size_t size)
{
	void *p = xcalloc(n ? n : 1, size);

	s->allocs = xreallocarray(s->allocs, s->n_allocs + 1, sizeof *s->allocs);
	s->allocs[s->n_allocs++] = p;
	return p;
}

static int
str_of(struct yt_doc *d, struct yt_node *n, const char *path, const char **out)
{
	if (yt_expect(d, n, path, YT_SCALAR) != 0)
		return -1;
	if (n->str[0] == '\0')
		return yt_err(d, n, path, "texte vide", "empty string");
	if (strlen(n->str) > 200)
		return yt_err(d, n, path, "plus de 200 octets", "longer than 200 bytes");
	*out = n->str;
	return 0;
}

static int
id_of(struct yt_doc *d, struct yt_node *n, const char *path, const char **out)
{
	char tmp[PR_ID_MAX];

	if (yt_ident(d, n, path, tmp, sizeof tmp) != 0)
		return -1;
	*out = n->str;
	return 0;
}

static int
opt_str(struct yt_doc *d, struct yt_node *m, const char *path, const char *key, const char **out)
{
	struct yt_node *n = yt_get(m, key);
	char p[256];

	*out = NULL;
	return n ? str_of(d, n, P(p, path, key), out) : 0;
}

static int
opt_id(struct yt_doc *d, struct yt_node *m, const char *path, const char *key, const char **out)
{
	struct yt_node *n = yt_get(m, key);
	char p[256];

	*out = NULL;
	return n ? id_of(d, n, P(p, path, key), out) : 0;
}

static int
req_id(struct yt_doc *d, struct yt_node *m, const char *path, const char *key, const char **out)
{
	struct yt_node *n;
	char p[256];

	if (yt_req(d, m, path, key, &n) != 0)
		return -1;
	return id_of(d, n, P(p, path, key), out);
}

static int
opt_date(struct yt_doc *d, struct yt_node *m, const char *path, const char *key,
    bool *has, int32_t *out)
{
	struct yt_node *n = yt_get(m, key);
	char p[256];

	*has = n != NULL;
	return n ? yt_date(d, n, P(p, path, key), out) : 0;
}

static int
opt_bool(struct yt_doc *d, struct yt_node *m, const char *path, const char *key, bool *out)
{
	struct yt_node *n = yt_get(m, key);
	char p[256];

	*out = false;
	return n ? yt_bool(d, n, P(p, path, key), out) : 0;
}

static int
opt_uint(struct yt_doc *d, struct yt_node *m, const char *path, const char *key,
    uint32_t max, bool *has, uint32_t *out)
{
	struct yt_node *n = yt_get(m, key);
	char p[256];

	if (has)
		*has = n != NULL;
	*out = 0;
	return n ? yt_uint(d, n, P(p, path, key), max, out) : 0;
}

/* A list of ids (strings). */
static int
id_list(struct scenario *s, struct yt_node *n, const char *path, size_t max,
    const char ***out, size_t *count)
{
	struct yt_doc *d = &s->doc;
	char p[256];

	if (yt_expect(d, n, path, YT_SEQ) != 0)
		return -1;
	if (n->n > max)
		return yt_err(d, n, path, "%zu entrées au plus", "at most %zu entries", max);
	const char **l = own(s, n->n, sizeof *l);
	for (size_t i = 0; i < n->n; i++)
		if (id_of(d, n->items[i], yt_path_i(p, sizeof p, path, i), &l[i]) != 0)
			return -1;
	*out = l;
	*count = n->n;
	return 0;
}

static int
opt_id_list(struct scenario *s, struct yt_node *m, const char *path, const char *key,
    size_t max, const char *const **out, size_t *count)
{
	struct yt_node *n = yt_get(m, key);
	char p[256];
	const char **l = NULL;

	*out = NULL;
	*count = 0;
	if (n == NULL)
		return 0;
	if (id_list(s, n, P(p, path, key), max, &l, count) != 0)
		return -1;
	*out = l;
	return 0;
}

static const char *const ROUNDINGS[] = {"none", "floor", "ceil", NULL};
static const char *const COMPARES[] = {"at_least", "more_than", NULL};

static int
load_quorum(struct scenario *s, struct yt_node *n, const char *path)
{
	static const char *const COUNTS[] = {"present", "remote", "represented", "mail_in",
		"internet", NULL};
	static const unsigned CB[] = {PR_COUNT_PRESENT, PR_COUNT_REMOTE, PR_COUNT_REPRESENTED,
		PR_COUNT_MAIL_IN, PR_COUNT_INTERNET};
	static const char *const SECOND[] = {"none", "no_quorum", NULL};
	struct yt_doc *d = &s->doc;
	struct ct_quorum_override *q = &s->meeting.quorum;
	struct yt_node *x;
	char p[256];
	int e;

	s->meeting.has_quorum_override = true;
	if (n->type == YT_SCALAR && !n->quoted && strcmp(n->str, "none") == 0) {
		q->none = true;
		return 0;
	}
	if (yt_expect(d, n, path, YT_MAP) != 0)
		return -1;
	if (yt_req(d, n, path, "counts", &x) != 0 || yt_expect(d, x, P(p, path, "counts"), YT_SEQ) != 0)
		return -1;
	for (size_t i = 0; i < x->n; i++) {
		char r[256];
		if (yt_enum(d, x->items[i], yt_path_i(r, sizeof r, p, i), COUNTS, &e) != 0)
			return -1;
		if (q->counts & CB[e])
			return yt_err(d, x->items[i], r, "en double", "listed twice");
		q->counts |= CB[e];
	}
	if (q->counts == 0)
		return yt_err(d, x, p, "indiquer qui compte pour le quorum",
		    "name who counts toward the quorum");
	if (yt_req(d, n, path, "fraction", &x) != 0 ||
	    yt_fraction(d, x, P(p, path, "fraction"), &q->t.num, &q->t.den) != 0)
		return -1;
	if (yt_req(d, n, path, "compare", &x) != 0 || yt_enum(d, x, P(p, path, "compare"), COMPARES, &e) != 0)
		return -1;
	q->t.compare = (enum pr_compare)e;
	if (yt_req(d, n, path, "rounding", &x) != 0 ||
	    yt_enum(d, x, P(p, path, "rounding"), ROUNDINGS, &e) != 0)
		return -1;
	q->t.rounding = (enum pr_rounding)e;
	if (opt_uint(d, n, path, "plus", 1000, NULL, &q->t.plus) != 0)
		return -1;
	if (yt_req(d, n, path, "second_convocation", &x) != 0 ||
	    yt_enum(d, x, P(p, path, "second_convocation"), SECOND, &e) != 0)
		return -1;
	q->second_no_quorum = e == 1;
	if ((x = yt_get(n, "article")) != NULL) {
		const char *a;
		if (str_of(d, x, P(p, path, "article"), &a) != 0)
			return -1;
	}
	return yt_map_done(d, n, path);
}

static int
load_meeting(struct scenario *s, struct yt_node *m)
{
	static const char *const CONV[] = {"first", "second", NULL};
	static const char *const GK[] = {"regional", "thematic", NULL};
	struct yt_doc *d = &s->doc;
	struct ct_meeting *mt = &s->meeting;
	struct yt_node *n, *g;
	const char *path = "meeting";
	char p[256];
	int e;

	if (yt_expect(d, m, path, YT_MAP) != 0)
		return -1;
	if (yt_req(d, m, path, "date", &n) != 0 || yt_date(d, n, "meeting.date", &mt->date) != 0)
		return -1;
	if ((n = yt_get(m, "start")) != NULL) {
		if (yt_expect(d, n, "meeting.start", YT_SCALAR) != 0)
			return -1;
		if (st_time_parse(n->str, &mt->start_minutes) != 0)
			return yt_err(d, n, "meeting.start", "heure HH:MM attendue, trouvé « %s »",
			    "expected a time HH:MM, got '%s'", n->str);
		mt->has_start = true;
	}
	if (opt_date(d, m, path, "convocation_date", &mt->has_convocation_date,
	    &mt->convocation_date) != 0)
		return -1;
	if (yt_req(d, m, path, "convocation", &n) != 0 ||
	    yt_enum(d, n, "meeting.convocation", CONV, &e) != 0)
		return -1;
	mt->second_convocation = e == 1;
	if ((n = yt_get(m, "quorum")) != NULL && load_quorum(s, n, "meeting.quorum") != 0)
		return -1;
	if ((g = yt_get(m, "group")) != NULL) {
		if (yt_expect(d, g, "meeting.group", YT_MAP) != 0 ||
		    req_id(d, g, "meeting.group", "id", &mt->group) != 0 ||
		    yt_req(d, g, "meeting.group", "kind", &n) != 0 ||
		    yt_enum(d, n, "meeting.group.kind", GK, &e) != 0 ||
		    yt_map_done(d, g, "meeting.group") != 0)
			return -1;
		mt->group_kind = (enum ct_group_kind)e;
	}
	if ((n = yt_get(m, "seed")) != NULL) {
		if (yt_u64(d, n, "meeting.seed", &mt->seed) != 0)
			return -1;
		mt->has_seed = true;
	}
	if (opt_id_list(s, m, path, "volunteers", CT_MAX_MEMBERS, &mt->volunteers,
	    &mt->n_volunteers) != 0 ||
	    opt_id_list(s, m, path, "declined", CT_MAX_MEMBERS, &mt->declined,
	    &mt->n_declined) != 0)
		return -1;
	(void)p;
	return yt_map_done(d, m, path);
}

static int
load_member(struct scenario *s, struct yt_node *m, const char *path, struct ct_member *mb)
{
	static const char *const ROLES[] = {"president", "bureau", "ca", NULL};
	static const unsigned RB[] = {CT_ROLE_PRESIDENT, CT_ROLE_BUREAU, CT_ROLE_CA};
	struct yt_doc *d = &s->doc;
	struct yt_node *n;
	char p[256];
	bool b;
	int e;

	if (yt_expect(d, m, path, YT_MAP) != 0)
		return -1;
	mb->line = m->line;
	if (req_id(d, m, path, "id", &mb->id) != 0 || opt_str(d, m, path, "name", &mb->name) != 0 ||
	    req_id(d, m, path, "category", &mb->category) != 0)
		return -1;
	mb->dues_paid = CT_UNKNOWN;
	if ((n = yt_get(m, "dues_paid")) != NULL) {
		if (yt_bool(d, n, P(p, path, "dues_paid"), &b) != 0)
			return -1;
		mb->dues_paid = b ? CT_YES : CT_NO;
	}
	if (opt_date(d, m, path, "dues_paid_until", &mb->has_dues_until, &mb->dues_until) != 0 ||
	    opt_date(d, m, path, "dues_paid_on", &mb->has_dues_paid_on, &mb->dues_paid_on) != 0)
		return -1;
	if ((mb->dues_paid != CT_UNKNOWN) + mb->has_dues_until + mb->has_dues_paid_on > 1)
		return yt_err(d, m, path, "donner un seul de dues_paid, dues_paid_until, dues_paid_on",
		    "give one of dues_paid, dues_paid_until, dues_paid_on");
	if (opt_date(d, m, path, "registered", &mb->has_registered, &mb->registered) != 0 ||
	    opt_date(d, m, path, "validated", &mb->has_validated, &mb->validated) != 0 ||
	    opt_date(d, m, path, "birth", &mb->has_birth, &mb->birth) != 0 ||
	    opt_id(d, m, path, "zone", &mb->zone) != 0 ||
	    opt_id(d, m, path, "region", &mb->region) != 0 ||
	    opt_str(d, m, path, "city", &mb->city) != 0 ||
	    opt_str(d, m, path, "sex", &mb->sex) != 0)
		return -1;
	if ((n = yt_get(m, "enrolments")) != NULL) {
		P(p, path, "enrolments");
		if (yt_expect(d, n, p, YT_MAP) != 0)
			return -1;
		struct ct_enrolment *en = own(s, n->n, sizeof *en);
		for (size_t i = 0; i < n->n; i++) {
			char r[256];
			n->used[i] = true;
			P(r, p, n->keys[i]->str);
			if (id_of(d, n->keys[i], r, &en[i].group) != 0 ||
			    yt_date(d, n->items[i], r, &en[i].since) != 0)
				return -1;
		}
		mb->enrolments = en;
		mb->n_enrolments = n->n;
	}
	if ((n = yt_get(m, "roles")) != NULL) {
		P(p, path, "roles");
		if (yt_expect(d, n, p, YT_SEQ) != 0)
			return -1;
		for (size_t i = 0; i < n->n; i++) {
			char r[256];
			if (yt_enum(d, n->items[i], yt_path_i(r, sizeof r, p, i), ROLES, &e) != 0)
				return -1;
			if (mb->roles & RB[e])
				return yt_err(d, n->items[i], r, "en double", "listed twice");
			mb->roles |= RB[e];
		}
	}
	mb->city_referent = CT_UNKNOWN;
	if ((n = yt_get(m, "city_referent")) != NULL) {
		if (yt_bool(d, n, P(p, path, "city_referent"), &b) != 0)
			return -1;
		mb->city_referent = b ? CT_YES : CT_NO;
	}
	mb->semesters = -1;
	if ((n = yt_get(m, "semesters")) != NULL) {
		uint32_t v;
		if (yt_uint(d, n, P(p, path, "semesters"), 100, &v) != 0)
			return -1;
		mb->semesters = (int32_t)v;
	}
	if ((n = yt_get(m, "declared")) != NULL) {
		if (n->type == YT_SCALAR && !n->quoted && strcmp(n->str, "during_meeting") == 0)
			mb->declared_at_meeting = true;
		else if (yt_date(d, n, P(p, path, "declared"), &mb->declared) != 0)
			return -1;
		else
			mb->has_declared = true;
	}
	return yt_map_done(d, m, path);
}

struct ids {
	const char *id;
	size_t i;
};

static int
cmp_ids(const void *a, const void *b)
{
	return strcmp(((const struct ids *)a)->id, ((const struct ids *)b)->id);
}

static size_t
ids_find(const struct ids *x, size_t n, const char *id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(x[mid].id, id);
		if (c == 0)
			return x[mid].i;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return SIZE_MAX;
}

static int
load_attendance(struct scenario *s, struct yt_node *a)
{
	struct yt_doc *d = &s->doc;
	struct ct_meeting *mt = &s->meeting;
	enum ct_presence *pres = own(s, mt->n_members, sizeof *pres);
	struct ids *x = xcalloc(mt->n_members ? mt->n_members : 1, sizeof *x);
	int rc = -1;

	mt->presence = pres;
	for (size_t i = 0; i < mt->n_members; i++) {
		x[i].id = mt->members[i].id;
		x[i].i = i;
	}
	qsort(x, mt->n_members, sizeof *x, cmp_ids);
	if (a == NULL) {
		rc = 0;
		goto out;
	}
	if (yt_expect(d, a, "attendance", YT_MAP) != 0)
		goto out;
	static const char *const KEYS[] = {"present", "remote"};
	for (int k = 0; k < 2; k++) {
		struct yt_node *l = yt_get(a, KEYS[k]);
		char p[64], r[256];
		if (l == NULL)
			continue;
		P(p, "attendance", KEYS[k]);
		if (yt_expect(d, l, p, YT_SEQ) != 0)
			goto out;
		for (size_t i = 0; i < l->n; i++) {
			const char *id;
			yt_path_i(r, sizeof r, p, i);
			if (id_of(d, l->items[i], r, &id) != 0)
				goto out;
			size_t m = ids_find(x, mt->n_members, id);
			if (m == SIZE_MAX) {
				yt_err(d, l->items[i], r, "« %s » n'est pas sur la liste des "
				    "membres",
				    "'%s' is not on the roll", id);
				goto out;
			}
			if (pres[m] != CT_ABSENT) {
				yt_err(d, l->items[i], r, "« %s » figure déjà dans les présences",
				    "'%s' is already listed in attendance", id);
				goto out;
			}
			pres[m] = k == 0 ? CT_PRESENT : CT_REMOTE;
		}
	}
	if (yt_map_done(d, a, "attendance") != 0)
		goto out;
	rc = 0;
out:
	free(x);
	return rc;
}

static int
load_proxy(struct scenario *s, struct yt_node *m, const char *path, struct ct_proxy *x)
{
	static const char *const CH[] = {"paper", "digital", NULL};
	struct yt_doc *d = &s->doc;
	struct yt_node *n;
	char p[256];
	int e;

	if (yt_expect(d, m, path, YT_MAP) != 0)
		return -1;
	x->line = m->line;
	if (req_id(d, m, path, "giver", &x->giver) != 0)
		return -1;
	if ((n = yt_get(m, "holder")) != NULL) {
		P(p, path, "holder");
		if (n->type == YT_SCALAR && strcmp(n->str, CT_HOLDER_CA) == 0)
			x->holder = n->str;
		else if (id_of(d, n, p, &x->holder) != 0)
			return -1;
	}
	if (opt_date(d, m, path, "assembly_date", &x->has_assembly_date, &x->assembly_date) != 0)
		return -1;
	if ((n = yt_get(m, "channel")) != NULL) {
		if (yt_enum(d, n, P(p, path, "channel"), CH, &e) != 0)
			return -1;
		x->channel = e == 0 ? PR_CHANNEL_PAPER : PR_CHANNEL_DIGITAL;
	}
	if ((n = yt_get(m, "submitted")) != NULL) {
		P(p, path, "submitted");
		if (yt_expect(d, n, p, YT_SCALAR) != 0)
			return -1;
		if (st_datetime_parse(n->str, &x->submitted) != 0)
			return yt_err(d, n, p, "AAAA-MM-JJTHH:MM attendu, trouvé « %s »",
			    "expected YYYY-MM-DDTHH:MM, got '%s'", n->str);
		x->has_submitted = true;
	}
	if (opt_id(d, m, path, "redistribute_to", &x->redistribute_to) != 0)
		return -1;
	return yt_map_done(d, m, path);
}

static int
load_totals(struct yt_doc *d, struct yt_node *m, const char *path, struct ct_totals *t)
{
	static const char *const K[] = {"pour", "contre", "abstention"};

	if (yt_expect(d, m, path, YT_MAP) != 0)
		return -1;
	for (int i = 0; i < 3; i++) {
		struct yt_node *n;
		char p[256];
		if (yt_req(d, m, path, K[i], &n) != 0 ||
		    yt_uint(d, n, P(p, path, K[i]), CT_MAX_VOTES, &t->v[i]) != 0)
			return -1;
	}
	return yt_map_done(d, m, path);
}

static int
load_open_votes(struct scenario *s, struct yt_node *l, const char *path, struct ct_question *q)
{
	struct yt_doc *d = &s->doc;
	char p[256];

	if (yt_expect(d, l, path, YT_SEQ) != 0)
		return -1;
	if (l->n == 0)
		return yt_err(d, l, path, "liste de votes nominatifs vide",
		    "an empty list of open votes");
	if (l->n > CT_MAX_MEMBERS)
		return yt_err(d, l, path, "trop de votes nominatifs", "too many open votes");
	struct ct_open_vote *ov = own(s, l->n, sizeof *ov);
	for (size_t i = 0; i < l->n; i++) {
		struct yt_node *m = l->items[i];
		yt_path_i(p, sizeof p, path, i);
		ov[i].line = m->line;
		if (yt_expect(d, m, p, YT_MAP) != 0 || req_id(d, m, p, "voice", &ov[i].voice) != 0 ||
		    req_id(d, m, p, "choice", &ov[i].choice) != 0 || yt_map_done(d, m, p) != 0)
			return -1;
	}
	q->open = ov;
	q->n_open = l->n;
	return 0;
}

static int
load_secret_triggers(struct scenario *s, struct yt_node *m, const char *path, struct ct_question *q)
{
	static const char *const BY[] = {"bureau", "ca", NULL};
	struct yt_doc *d = &s->doc;
	struct yt_node *n;
	char p[256];
	int e;

	if (yt_expect(d, m, path, YT_MAP) != 0)
		return -1;
	if (opt_bool(d, m, path, "objection", &q->objection) != 0 ||
	    opt_uint(d, m, path, "askers", CT_MAX_MEMBERS, &q->has_askers, &q->askers) != 0 ||
	    opt_bool(d, m, path, "unanimous_show_of_hands", &q->unanimous_show_of_hands) != 0)
		return -1;
	if ((n = yt_get(m, "requested_by")) != NULL) {
		P(p, path, "requested_by");
		if (yt_expect(d, n, p, YT_SEQ) != 0)
			return -1;
		for (size_t i = 0; i < n->n; i++) {
			char r[256];
			if (yt_enum(d, n->items[i], yt_path_i(r, sizeof r, p, i), BY, &e) != 0)
				return -1;
			q->requested_by |= e == 0 ? PR_REQ_BUREAU : PR_REQ_CA;
		}
	}
	return yt_map_done(d, m, path);
}

/* A motion's or alternatives' decision rule, agenda, recusals, college,
 * escalation and casting vote. */
static int
load_decision(struct scenario *s, struct yt_node *m, const char *path, struct ct_question *q)
{
	static const char *const BY[] = {"ca", "bureau", "member", NULL};
	static const unsigned BYB[] = {PR_REQ_CA, PR_REQ_BUREAU, PR_REQ_MEMBER};
	static const char *const PV[] = {"pour", "contre", "abstention", "none", NULL};
	struct yt_doc *d = &s->doc;
	struct yt_node *n;
	char p[256];
	int e;

	if (req_id(d, m, path, "decision", &q->decision) != 0 ||
	    yt_req(d, m, path, "on_agenda", &n) != 0 ||
	    yt_bool(d, n, P(p, path, "on_agenda"), &q->on_agenda) != 0 ||
	    opt_id_list(s, m, path, "recused", 100, &q->recused, &q->n_recused) != 0 ||
	    opt_id(d, m, path, "college", &q->college) != 0)
		return -1;
	if ((n = yt_get(m, "escalated_by")) != NULL) {
		if (yt_enum(d, n, P(p, path, "escalated_by"), BY, &e) != 0)
			return -1;
		q->escalated_by = BYB[e];
	}
	if ((n = yt_get(m, "president_vote")) != NULL) {
		if (yt_enum(d, n, P(p, path, "president_vote"), PV, &e) != 0)
			return -1;
		q->president_vote = (enum ct_pvote)(e + 1);
	}
	return opt_bool(d, m, path, "held_secret", &q->held_secret);
}

/* A motion's votes: its totals or its open votes, one of the two. */
static int
load_motion_votes(struct scenario *s, struct yt_node *m, const char *path, struct ct_question *q)
{
	struct yt_doc *d = &s->doc;
	struct yt_node *n;
	char p[256];

	if ((n = yt_get(m, "totals")) != NULL) {
		if (load_totals(d, n, P(p, path, "totals"), &q->totals) != 0)
			return -1;
		q->has_totals = true;
	}
	if ((n = yt_get(m, "open_votes")) != NULL &&
	    load_open_votes(s, n, P(p, path, "open_votes"), q) != 0)
		return -1;
	if (q->has_totals == (q->n_open > 0))
		return yt_err(d, m, path, "donner soit totals, soit open_votes",
		    "give either totals or open_votes");
	return 0;
}

/* The alternative motions, each with its totals, their ids distinct. */
static int
load_alternatives(struct scenario *s, struct yt_node *m, const char *path, struct ct_question *q)
{
	struct yt_doc *d = &s->doc;
	struct yt_node *n;
	char p[256], r[256];

	if (yt_req(d, m, path, "motions", &n) != 0 ||
	    yt_expect(d, n, P(p, path, "motions"), YT_SEQ) != 0)
		return -1;
	if (n->n > 50)
		return yt_err(d, n, p, "50 motions alternatives au plus",
		    "at most 50 alternative motions");
	struct ct_alternative *al = own(s, n->n, sizeof *al);
	for (size_t i = 0; i < n->n; i++) {
		struct yt_node *a = n->items[i], *t;
		yt_path_i(r, sizeof r, p, i);
		char r2[256];
		al[i].line = a->line;
		if (yt_expect(d, a, r, YT_MAP) != 0 || req_id(d, a, r, "id", &al[i].id) != 0 ||
		    opt_str(d, a, r, "label", &al[i].label) != 0 ||
		    yt_req(d, a, r, "totals", &t) != 0 ||
		    load_totals(d, t, P(r2, r, "totals"), &al[i].totals) != 0 ||
		    yt_map_done(d, a, r) != 0)
			return -1;
		for (size_t j = 0; j < i; j++)
			if (strcmp(al[j].id, al[i].id) == 0)
				return yt_err(d, a, r, "identifiant de motion « %s » en double",
				    "motion id '%s' used twice", al[i].id);
	}
	q->alts = al;
	q->n_alts = n->n;
	return 0;
}

/* An election's ballot counts (valid, blank, null), unless its votes are
 * open. */
static int
load_election_ballots(struct scenario *s, struct yt_node *m, const char *path, struct ct_question *q)
{
	struct yt_doc *d = &s->doc;
	struct yt_node *b, *n;
	char p[256], r[256];

	if ((b = yt_get(m, "ballots")) != NULL) {
		P(p, path, "ballots");
		if (q->n_open)
			return yt_err(d, b, p, "pas de décompte de bulletins avec des votes "
			    "nominatifs",
			    "no ballot counts with open votes");
		if (yt_expect(d, b, p, YT_MAP) != 0 ||
		    yt_req(d, b, p, "valid", &n) != 0 ||
		    yt_uint(d, n, P(r, p, "valid"), CT_MAX_VOTES, &q->valid) != 0 ||
		    opt_uint(d, b, p, "blank", CT_MAX_VOTES, NULL, &q->blank) != 0 ||
		    opt_uint(d, b, p, "null", CT_MAX_VOTES, NULL, &q->null_ballots) != 0 ||
		    yt_map_done(d, b, p) != 0)
			return -1;
	} else if (q->n_open == 0) {
		return yt_err(d, m, path, "clé « ballots » (ou open_votes) manquante",
		    "missing key 'ballots' (or open_votes)");
	}
	return 0;
}

/* The candidates, each with its votes unless the votes are open, and the
 * question that decides its seniority exception, if any. */
static int
load_candidates(struct scenario *s, struct yt_node *m, const char *path, struct ct_question *q)
{
	struct yt_doc *d = &s->doc;
	struct yt_node *n;
	char p[256];

	if (yt_req(d, m, path, "candidates", &n) != 0 ||
	    yt_expect(d, n, P(p, path, "candidates"), YT_SEQ) != 0)
		return -1;
	if (n->n > CT_MAX_CANDS)
		return yt_err(d, n, p, "%u candidats au plus", "at most %u candidates",
		    CT_MAX_CANDS);
	struct ct_candidate *cd = own(s, n->n, sizeof *cd);
	for (size_t i = 0; i < n->n; i++) {
		struct yt_node *c = n->items[i], *v;
		char r[256], r2[256];
		yt_path_i(r, sizeof r, p, i);
		cd[i].line = c->line;
		if (yt_expect(d, c, r, YT_MAP) != 0 || req_id(d, c, r, "id", &cd[i].id) != 0)
			return -1;
		v = yt_get(c, "votes");
		if (q->n_open == 0 && v == NULL)
			return yt_err(d, c, r, "clé « votes » manquante", "missing key 'votes'");
		if (v != NULL && q->n_open)
			return yt_err(d, v, P(r2, r, "votes"),
			    "pas de nombre de voix avec des votes nominatifs", "no vote counts "
			    "with open votes");
		if (v != NULL && yt_uint(d, v, P(r2, r, "votes"), CT_MAX_VOTES, &cd[i].votes) != 0)
			return -1;
		if (opt_id(d, c, r, "seniority_exception", &cd[i].seniority_exception) != 0 ||
		    yt_map_done(d, c, r) != 0)
			return -1;
	}
	q->cands = cd;
	q->n_cands = n->n;
	return 0;
}

/* The cities already represented, when given. */
static int
load_represented_cities(struct scenario *s, struct yt_node *m, const char *path,
    struct ct_question *q)
{
	struct yt_doc *d = &s->doc;
	struct yt_node *b;
	char p[256];

	if ((b = yt_get(m, "represented_cities")) == NULL)
		return 0;
	P(p, path, "represented_cities");
	if (yt_expect(d, b, p, YT_SEQ) != 0)
		return -1;
	if (b->n > 200)
		return yt_err(d, b, p, "200 villes au plus", "at most 200 cities");
	const char **cl = own(s, b->n, sizeof *cl);
	for (size_t i = 0; i < b->n; i++) {
		char r[256];
		if (str_of(d, b->items[i], yt_path_i(r, sizeof r, p, i), &cl[i]) != 0)
			return -1;
	}
	q->represented_cities = cl;
	q->n_cities = b->n;
	return 0;
}

/* The board's members counted by sex, when given. */
static int
load_board(struct scenario *s, struct yt_node *m, const char *path, struct ct_question *q)
{
	struct yt_doc *d = &s->doc;
	struct yt_node *b;
	char p[256];

	if ((b = yt_get(m, "board")) == NULL)
		return 0;
	P(p, path, "board");
	if (yt_expect(d, b, p, YT_MAP) != 0)
		return -1;
	struct ct_sex_count *sc = own(s, b->n, sizeof *sc);
	for (size_t i = 0; i < b->n; i++) {
		char r[256];
		b->used[i] = true;
		P(r, p, b->keys[i]->str);
		if (str_of(d, b->keys[i], r, &sc[i].sex) != 0 ||
		    yt_uint(d, b->items[i], r, 1000, &sc[i].count) != 0)
			return -1;
	}
	q->board = sc;
	q->n_board = b->n;
	q->has_board = true;
	return 0;
}

/* An election: its rule, post, region, seats and round; its votes, open or
 * counted; its candidates; the cities represented and the board. */
static int
load_election(struct scenario *s, struct yt_node *m, const char *path, struct ct_question *q)
{
	struct yt_doc *d = &s->doc;
	struct yt_node *n;
	char p[256];

	if (req_id(d, m, path, "election", &q->election) != 0 ||
	    opt_str(d, m, path, "post", &q->post) != 0 ||
	    opt_id(d, m, path, "region", &q->region) != 0 ||
	    opt_bool(d, m, path, "president_post", &q->president_post) != 0 ||
	    yt_req(d, m, path, "seats", &n) != 0 ||
	    yt_uint(d, n, P(p, path, "seats"), 1000, &q->seats) != 0 ||
	    opt_uint(d, m, path, "round", 2, NULL, &q->round) != 0)
		return -1;
	if ((n = yt_get(m, "open_votes")) != NULL &&
	    load_open_votes(s, n, P(p, path, "open_votes"), q) != 0)
		return -1;
	if (load_election_ballots(s, m, path, q) != 0 ||
	    load_candidates(s, m, path, q) != 0 ||
	    load_represented_cities(s, m, path, q) != 0 ||
	    load_board(s, m, path, q) != 0)
		return -1;
	return 0;
}

/* A draw: its rule, the pool of ids and the seed. */
static int
load_draw(struct scenario *s, struct yt_node *m, const char *path, struct ct_question *q)
{
	struct yt_doc *d = &s->doc;
	struct yt_node *n;
	const char **l;
	char p[256];

	if (req_id(d, m, path, "draw", &q->draw) != 0 ||
	    yt_req(d, m, path, "pool", &n) != 0)
		return -1;
	if (id_list(s, n, P(p, path, "pool"), 1000, &l, &q->n_pool) != 0)
		return -1;
	q->pool = l;
	if (yt_req(d, m, path, "seed", &n) != 0 || yt_u64(d, n, P(p, path, "seed"), &q->seed) != 0)
		return -1;
	q->has_seed = true;
	return 0;
}

static int
load_question(struct scenario *s, struct yt_node *m, const char *path, struct ct_question *q)
{
	static const char *const KIND[] = {"motion", "alternatives", "election", "draw", NULL};
	struct yt_doc *d = &s->doc;
	struct yt_node *n;
	char p[256];
	int e;

	if (yt_expect(d, m, path, YT_MAP) != 0)
		return -1;
	q->line = m->line;
	if (req_id(d, m, path, "id", &q->id) != 0 || opt_str(d, m, path, "label", &q->label) != 0 ||
	    yt_req(d, m, path, "kind", &n) != 0 || yt_enum(d, n, P(p, path, "kind"), KIND, &e) != 0)
		return -1;
	q->kind = (enum ct_kind)e;
	if ((n = yt_get(m, "secret")) != NULL &&
	    load_secret_triggers(s, n, P(p, path, "secret"), q) != 0)
		return -1;
	if (q->kind != CT_Q_DRAW && opt_bool(d, m, path, "fraud_suspected", &q->fraud_suspected) != 0)
		return -1;
	switch (q->kind) {
	case CT_Q_MOTION:
		if (load_decision(s, m, path, q) != 0 || load_motion_votes(s, m, path, q) != 0)
			return -1;
		break;
	case CT_Q_ALTERNATIVES:
		if (load_decision(s, m, path, q) != 0 || load_alternatives(s, m, path, q) != 0)
			return -1;
		break;
	case CT_Q_ELECTION:
		if (load_election(s, m, path, q) != 0)
			return -1;
		break;
	case CT_Q_DRAW:
		if (load_draw(s, m, path, q) != 0)
			return -1;
		break;
	}
	return yt_map_done(d, m, path);
}

int
scenario_load(struct scenario *s, const char *file, const uint8_t *buf, size_t len,
    struct st_msg *err)
{
	struct yt_doc *d = &s->doc;
	struct ct_meeting *mt = &s->meeting;
	struct yt_node *root, *n;
	char p[256];
	int rc = -1;

	memset(s, 0, sizeof *s);
	if (yt_doc_parse(d, file, buf, len) != 0)
		goto out;
	root = d->root;
	if (yt_expect(d, root, "", YT_MAP) != 0)
		goto out;
	if (yt_req(d, root, "", "format", &n) != 0 || yt_expect(d, n, "format", YT_SCALAR) != 0)
		goto out;
	if (strcmp(n->str, "scrutin-scenario/1") != 0) {
		yt_err(d, n, "format", "« scrutin-scenario/1 » attendu, trouvé « %s »",
		    "expected 'scrutin-scenario/1', got '%s'", n->str);
		goto out;
	}
	if (yt_req(d, root, "", "profile", &n) != 0 ||
	    yt_ident(d, n, "profile", s->profile, sizeof s->profile) != 0 ||
	    yt_req(d, root, "", "body", &n) != 0 || yt_ident(d, n, "body", s->body, sizeof s->body) != 0)
		goto out;
	mt->body = s->body;
	if ((n = yt_get(root, "description")) != NULL && yt_expect(d, n, "description", YT_SCALAR) != 0)
		goto out;
	if (yt_req(d, root, "", "meeting", &n) != 0 || load_meeting(s, n) != 0)
		goto out;
	if (yt_req(d, root, "", "roll", &n) != 0 || yt_expect(d, n, "roll", YT_SEQ) != 0)
		goto out;
	if (n->n > CT_MAX_MEMBERS) {
		yt_err(d, n, "roll", "%u membres au plus", "at most %u members", CT_MAX_MEMBERS);
		goto out;
	}
	struct ct_member *mbs = own(s, n->n, sizeof *mbs);
	for (size_t i = 0; i < n->n; i++)
		if (load_member(s, n->items[i], yt_path_i(p, sizeof p, "roll", i), &mbs[i]) != 0)
			goto out;
	mt->members = mbs;
	mt->n_members = n->n;
	if (load_attendance(s, yt_get(root, "attendance")) != 0)
		goto out;
	if ((n = yt_get(root, "proxies")) != NULL) {
		if (yt_expect(d, n, "proxies", YT_SEQ) != 0)
			goto out;
		if (n->n > CT_MAX_PROXIES) {
			yt_err(d, n, "proxies", "trop de procurations", "too many proxies");
			goto out;
		}
		struct ct_proxy *px = own(s, n->n, sizeof *px);
		for (size_t i = 0; i < n->n; i++)
			if (load_proxy(s, n->items[i], yt_path_i(p, sizeof p, "proxies", i), &px[i]) != 0)
				goto out;
		mt->proxies = px;
		mt->n_proxies = n->n;
	}
	if ((n = yt_get(root, "mail_in")) != NULL) {
		if (yt_expect(d, n, "mail_in", YT_SEQ) != 0)
			goto out;
		if (n->n > CT_MAX_MEMBERS) {
			yt_err(d, n, "mail_in", "trop d'entrées", "too many entries");
			goto out;
		}
		struct ct_mail_in *mi = own(s, n->n, sizeof *mi);
		for (size_t i = 0; i < n->n; i++) {
			struct yt_node *e = n->items[i];
			yt_path_i(p, sizeof p, "mail_in", i);
			mi[i].line = e->line;
			if (yt_expect(d, e, p, YT_MAP) != 0 || req_id(d, e, p, "voter", &mi[i].voter) != 0 ||
			    opt_id(d, e, p, "fallback_holder", &mi[i].fallback_holder) != 0 ||
			    yt_map_done(d, e, p) != 0)
				goto out;
		}
		mt->mail_in = mi;
		mt->n_mail_in = n->n;
	}
	if ((n = yt_get(root, "internet")) != NULL) {
		const char **l;
		if (id_list(s, n, "internet", CT_MAX_MEMBERS, &l, &mt->n_internet) != 0)
			goto out;
		mt->internet = l;
		mt->internet_line = n->line;
	}
	if (yt_req(d, root, "", "questions", &n) != 0 || yt_expect(d, n, "questions", YT_SEQ) != 0)
		goto out;
	if (n->n > CT_MAX_QUESTIONS) {
		yt_err(d, n, "questions", "%u questions au plus",
		    "at most %u questions", CT_MAX_QUESTIONS);
		goto out;
	}
	s->questions = own(s, n->n, sizeof *s->questions);
	for (size_t i = 0; i < n->n; i++)
		if (load_question(s, n->items[i], yt_path_i(p, sizeof p, "questions", i),
		    &s->questions[i]) != 0)
			goto out;
	s->n_questions = n->n;
	if (yt_map_done(d, root, "") != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0) {
		if (d->err.en[0] == '\0')
			st_msg_set(&d->err, 0, "%s: scénario invalide", "%s: invalid scenario",
			    file);
		*err = d->err;
	}
	return rc;
}

void
scenario_free(struct scenario *s)
{
	for (size_t i = 0; i < s->n_allocs; i++)
		free(s->allocs[i]);
	free(s->allocs);
	yt_doc_free(&s->doc);
	memset(s, 0, sizeof *s);
}

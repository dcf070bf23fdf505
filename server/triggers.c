/*
 * triggers.c — secret ballot or show of hands. What the statutes of the
 * meeting's body require for a question (q_secret_required: its rule,
 * the body's default and the live triggers recorded), and the live
 * secret-ballot triggers themselves: a member's objection, a request by
 * the Bureau, the board or a fraction of the members present, the
 * unanimous waiver, given with a new question (q_triggers_create) or
 * recorded on a pending one (api_qtrig), and checked again at the opening
 * (q_unanimity_check: the waiver holds only with every member with a
 * vote present).
 *
 * Trusts the store and the statutes engine (ct_secret_before; the
 * fraction is decided by ct_threshold_required against the members
 * present when the askers are recorded; the unanimity by
 * ct_unanimity_absent against the members present when the waiver is
 * recorded and when the question opens). A trigger is the moderator's
 * input: checked against the body's secret-ballot rules and refused,
 * with the article, where the statutes do not provide it.
 *
 * Invariants: a spec keeps its triggers merged (objection, requested_by,
 * askers, unanimous_show_of_hands, nothing else) with the "secret" and
 * "secrecy" decided from them; a pending question a trigger makes secret
 * needs the election key already; a refused trigger changes nothing.
 */
#include "server/meeting_int.h"

#include <stdio.h>
#include <string.h>

#include "ballot-formats/phrase.h"
#include "server/store.h"

int
q_secret_required(const struct profile *p, const char *body, const char *qid,
    const json_t *spec, const char **article)
{
	const struct pr_body *b = p ? profile_body_find(p, body) : NULL;
	struct ct_question cq;
	unsigned why;
	struct st_msg err;

	*article = NULL;
	if (json_is_true(json_object_get(spec, "secret")))
		return 0;
	if (b == NULL)
		return -1;
	q_ct_question(p, body, qid, spec, &cq);
	/* The rule, the body and the live triggers the spec records
	 * (objection, request, unanimous show of hands); the fraction
	 * trigger was decided when the askers were recorded
	 * (q_triggers_apply), which made the question secret. */
	if (ct_secret_before(b, &cq, &why, article, &err) != 0)
		return -1;
	return why != 0 && why != CT_SECRET_WAIVED;
}

/* ---- live secret-ballot triggers ---- */

static int
trig_fail(struct trig_err *te, const char *code, const char *field,
    const char *article, const char *msg)
{
	te->code = code;
	te->field = field;
	te->article = article != NULL && article[0] != '\0' ? article : NULL;
	snprintf(te->msg, sizeof te->msg, "%s", msg);
	return -1;
}

/* Members on the register (an upper bound for askers). */
static int64_t
roll_size(struct store *st)
{
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT count(*) FROM"
	    " members WHERE status = 'active'");
	int64_t n = -1;

	if (s != NULL && sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

/*
 * Validates a "triggers" object (in) against body b's secret-ballot rules
 * and merges it into stored (NULL: none yet): OUT *out, a new object with
 * only the keys objection (true), requested_by (array of "bureau", "ca",
 * in that order), askers (1 .. the register) and unanimous_show_of_hands
 * (true). A trigger the statutes do not provide is `trigger_refused`
 * with the article. 0, or -1 with te.
 */
static int
q_triggers_merge(struct store *st, const struct pr_body *b, const json_t *in,
    const json_t *stored, json_t **out, struct trig_err *te)
{
	const struct pr_secret *sb = &b->secret;
	const char *art = sb->src.article, *k;
	unsigned by = 0;
	json_t *v, *o;

	*out = NULL;
	if (!json_is_object(in) || json_object_size(in) == 0)
		return trig_fail(te, "invalid_field", "triggers", NULL,
		    "triggers : objet non vide attendu");
	json_object_foreach((json_t *)in, k, v) {
		if (strcmp(k, "objection") != 0 && strcmp(k, "requested_by") != 0 &&
		    strcmp(k, "askers") != 0 &&
		    strcmp(k, "unanimous_show_of_hands") != 0)
			return trig_fail(te, "unknown_field", "triggers", NULL,
			    "triggers : champ inconnu");
	}
	if ((v = json_object_get(in, "objection")) != NULL) {
		if (!json_is_true(v))
			return trig_fail(te, "invalid_field",
			    "triggers.objection", NULL,
			    "triggers.objection : true attendu");
		if (!sb->member_objection)
			return trig_fail(te, "trigger_refused",
			    "triggers.objection", art, "les statuts ne"
			    " prévoient pas l'opposition d'un membre");
	}
	if ((v = json_object_get(in, "requested_by")) != NULL) {
		const char *w = json_string_value(v);
		by = w == NULL ? 0 : strcmp(w, "bureau") == 0 ? PR_REQ_BUREAU :
		    strcmp(w, "ca") == 0 ? PR_REQ_CA : 0;
		if (by == 0)
			return trig_fail(te, "invalid_field",
			    "triggers.requested_by", NULL,
			    "triggers.requested_by : \"bureau\" ou \"ca\"");
		if (!(sb->request_by & by))
			return trig_fail(te, "trigger_refused",
			    "triggers.requested_by", art, by == PR_REQ_BUREAU ?
			    "les statuts ne prévoient pas la demande du Bureau" :
			    "les statuts ne prévoient pas la demande du conseil"
			    " d'administration");
	}
	if ((v = json_object_get(in, "askers")) != NULL) {
		int64_t roll = roll_size(st);
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    roll < 0 || json_integer_value(v) > roll)
			return trig_fail(te, "invalid_field", "triggers.askers",
			    NULL, "triggers.askers : entier de 1 au nombre de"
			    " membres");
		if (!sb->request_fraction)
			return trig_fail(te, "trigger_refused",
			    "triggers.askers", art, "les statuts ne prévoient"
			    " pas la demande d'une fraction des membres");
	}
	if ((v = json_object_get(in, "unanimous_show_of_hands")) != NULL) {
		if (!json_is_true(v))
			return trig_fail(te, "invalid_field",
			    "triggers.unanimous_show_of_hands", NULL,
			    "triggers.unanimous_show_of_hands : true attendu");
		if (!sb->unanimous_waiver)
			return trig_fail(te, "trigger_refused",
			    "triggers.unanimous_show_of_hands", art, "les statuts"
			    " ne prévoient pas la renonciation unanime au"
			    " scrutin secret");
	}
	o = stored != NULL ? json_deep_copy(stored) : json_object();
	if (json_object_get(in, "objection") != NULL)
		json_object_set_new(o, "objection", json_true());
	if (json_object_get(in, "unanimous_show_of_hands") != NULL)
		json_object_set_new(o, "unanimous_show_of_hands", json_true());
	if ((v = json_object_get(in, "askers")) != NULL)
		json_object_set_new(o, "askers", json_integer(
		    json_integer_value(v)));
	if (by != 0) {
		json_t *a = json_object_get(o, "requested_by"), *x;
		size_t i;
		unsigned have = by;
		json_array_foreach(a, i, x) {
			const char *w = json_string_value(x);
			have |= w != NULL && strcmp(w, "bureau") == 0 ?
			    PR_REQ_BUREAU : PR_REQ_CA;
		}
		a = json_array();
		if (have & PR_REQ_BUREAU)
			json_array_append_new(a, json_string("bureau"));
		if (have & PR_REQ_CA)
			json_array_append_new(a, json_string("ca"));
		json_object_set_new(o, "requested_by", a);
	}
	*out = o;
	return 0;
}

int
q_unanimity_check(struct store *st, const struct profile *p,
    const struct mrow *m, const json_t *spec, struct trig_err *te)
{
	const struct pr_body *b = p != NULL ? profile_body_find(p, m->body) :
	    NULL;
	char names[140], msg[sizeof te->msg];
	int64_t n;

	if (!json_is_true(json_object_get(json_object_get(spec, "triggers"),
	    "unanimous_show_of_hands")) ||
	    !json_is_false(json_object_get(spec, "secret")))
		return 0;
	if (b == NULL || (n = members_absent(st, p, m, names, sizeof names)) <
	    0)
		return trig_fail(te, "unavailable", NULL, NULL,
		    "émargement illisible");
	if (n == 0)
		return 0;
	snprintf(msg, sizeof msg, "pas d'unanimité, absents : %s", names);
	return trig_fail(te, "no_unanimity",
	    "triggers.unanimous_show_of_hands", b->secret.src.article, msg);
}

static const struct {
	unsigned bit;
	const char *id;
} secret_reason_ids[] = {
	{ CT_SECRET_DEFAULT, "default" }, { CT_SECRET_DECISION, "decision" },
	{ CT_SECRET_ELECTION, "election" }, { CT_SECRET_OBJECTION, "objection" },
	{ CT_SECRET_BUREAU, "bureau" }, { CT_SECRET_CA, "ca" },
	{ CT_SECRET_FRACTION, "fraction" }, { CT_SECRET_WAIVED, "waived" },
};

/*
 * Decides, with the triggers spec records, how question qid is held and
 * writes it in spec: "secret" (true when a trigger requires a secret
 * ballot, false when the unanimous waiver lifts the body's default, every
 * member with a vote being present now: q_unanimity_check) and
 * "secrecy" {"secret", "reasons" (the engine's CT_SECRET_* as ids),
 * "article", "fr", "en", and with askers "askers", "askers_required",
 * "present"}. The fraction trigger is decided here against the members
 * present now (ct_threshold_required of the body's request_t). 0, or
 * -1 with te (askers above the members present; a waiver that does not
 * lift the secrecy; a waiver while a member with a vote is absent).
 */
static int
q_triggers_apply(struct store *st, const struct profile *p,
    const struct mrow *m, const char *qid, json_t *spec, struct trig_err *te)
{
	const struct pr_body *b = profile_body_find(p, m->body);
	const unsigned trig = CT_SECRET_OBJECTION | CT_SECRET_BUREAU |
	    CT_SECRET_CA | CT_SECRET_FRACTION;
	struct ct_question cq;
	struct st_buf fr = { 0 }, en = { 0 };
	const char *article;
	uint32_t required = 0;
	int64_t present = 0;
	unsigned why;
	struct st_msg err;
	json_t *sec, *reasons;

	if (b == NULL)
		return trig_fail(te, "unavailable", NULL, NULL,
		    "profil illisible");
	q_ct_question(p, m->body, qid, spec, &cq);
	if (ct_secret_before(b, &cq, &why, &article, &err) != 0)
		return trig_fail(te, "invalid_field", "rule", NULL,
		    "règle inconnue");
	if (cq.has_askers) {
		if ((present = members_present(st, p, m)) < 0)
			return trig_fail(te, "unavailable", NULL, NULL,
			    "émargement illisible");
		if ((int64_t)cq.askers > present)
			return trig_fail(te, "invalid_field", "triggers.askers",
			    NULL, "triggers.askers : plus de demandeurs que de"
			    " membres présents");
		required = ct_threshold_required(&b->secret.request_t,
		    (uint32_t)present);
		if (cq.askers >= required) {
			if (why == CT_SECRET_WAIVED)
				why = CT_SECRET_DEFAULT;
			why |= CT_SECRET_FRACTION;
		}
	}
	if (cq.unanimous_show_of_hands && why != CT_SECRET_WAIVED)
		return trig_fail(te, "invalid_field",
		    "triggers.unanimous_show_of_hands", b->secret.src.article,
		    "la renonciation unanime ne lève pas le scrutin secret"
		    " de cette question");
	if (why & trig)
		json_object_set_new(spec, "secret", json_true());
	else if (why == CT_SECRET_WAIVED)
		json_object_set_new(spec, "secret", json_false());
	if (q_unanimity_check(st, p, m, spec, te) != 0)
		return -1;
	reasons = json_array();
	for (size_t i = 0; i < sizeof secret_reason_ids /
	    sizeof secret_reason_ids[0]; i++)
		if (why & secret_reason_ids[i].bit)
			json_array_append_new(reasons,
			    json_string(secret_reason_ids[i].id));
	/* The triggers are the body's rules: its article. */
	phrase_secrecy(&fr, why, b->secret.src.article, cq.has_askers,
	    cq.askers, required, (uint32_t)present, PH_FR);
	phrase_secrecy(&en, why, b->secret.src.article, cq.has_askers,
	    cq.askers, required, (uint32_t)present, PH_EN);
	sec = json_pack("{s:b,s:o,s:s,s:s,s:s}", "secret",
	    json_is_true(json_object_get(spec, "secret")), "reasons", reasons,
	    "article", b->secret.src.article, "fr", fr.s ? fr.s : "",
	    "en", en.s ? en.s : "");
	st_buf_free(&fr);
	st_buf_free(&en);
	if (sec == NULL)
		return trig_fail(te, "unavailable", NULL, NULL, "mémoire");
	if (cq.has_askers) {
		json_object_set_new(sec, "askers", json_integer(cq.askers));
		json_object_set_new(sec, "askers_required",
		    json_integer(required));
		json_object_set_new(sec, "present", json_integer(present));
	}
	json_object_set_new(spec, "secrecy", sec);
	return 0;
}

/* Takes the "triggers" out of a question's input (the rest goes to
 * q_spec_make), validates and applies them to spec. 0, or -1 with te. */
int
q_triggers_create(struct store *st, const struct profile *p,
    const struct mrow *m, const char *qid, json_t *tin, json_t *spec,
    struct trig_err *te)
{
	json_t *t;

	if (tin == NULL)
		return 0;
	if (q_triggers_merge(st, profile_body_find(p, m->body), tin, NULL, &t,
	        te) != 0)
		return -1;
	json_object_set_new(spec, "triggers", t);
	return q_triggers_apply(st, p, m, qid, spec, te);
}

/*
 * POST questions/{q}/triggers {"objection"?, "requested_by"?, "askers"?,
 * "unanimous_show_of_hands"?}: a live secret-ballot trigger recorded on
 * a pending question (a member objects when the moderator announces the
 * vote, the Bureau asks, N present members ask, every member wants a show
 * of hands), merged into its stored triggers. The question becomes
 * secret when a trigger requires it (the election key must then exist:
 * `key_required`), or a show of hands when the unanimous waiver lifts the
 * body's default. One "question.triggers" event; refusals change
 * nothing. Answers with the question's view (its "secrecy").
 */
void
api_qtrig(struct mctx *c, const struct mrow *m, const struct api_call *call,
    struct mreply *r)
{
	const char *qid = call->sub;
	const uint8_t *body = call->body;
	size_t len = call->len;
	const struct profile *p = m_profile(c, c->st, m->id);
	const struct pr_body *b = p ? profile_body_find(p, m->body) : NULL;
	json_t *in = NULL, *spec = NULL, *t = NULL, *ev = NULL;
	struct trig_err te;
	struct qrow q;
	const char *art;
	int loaded = 0, was_secret;

	if (b == NULL) {
		mr_err(r, "unavailable", NULL);
		return;
	}
	if (mj_object(body, len, &in, r) != 0)
		return;
	if (q_pending_load(c, m, qid, &q, r) != 0)
		goto out;
	loaded = 1;
	if (q_triggers_merge(c->st, b, in, json_object_get(q.spec, "triggers"),
	        &t, &te) != 0) {
		mr_err_article(r, te.code, te.field, te.article);
		goto out;
	}
	spec = json_deep_copy(q.spec);
	json_object_set_new(spec, "triggers", t);
	was_secret = q.secret;
	if (q_triggers_apply(c->st, p, m, qid, spec, &te) != 0) {
		mr_err_article(r, te.code, te.field, te.article);
		goto out;
	}
	if (!was_secret && json_is_true(json_object_get(spec, "secret")) &&
	    (!m->has_key || strcmp(m->ceremony, "done") != 0)) {
		mr_err(r, "key_required", "triggers");
		goto out;
	}
	if (q_secret_required(p, m->body, qid, spec, &art) != 0) {
		mr_err_article(r, "secret_required", "secret", art);
		goto out;
	}
	ev = json_pack("{s:s,s:s,s:O,s:b}", "meeting", m->id, "question", qid,
	    "triggers", json_object_get(spec, "triggers"), "secret",
	    json_is_true(json_object_get(spec, "secret")));
	q_pending_store(c, m->id, qid, spec, "question.triggers", ev, r);
out:
	json_decref(ev);
	json_decref(spec);
	if (loaded)
		q_free(&q);
	json_decref(in);
}

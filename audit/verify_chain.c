/*
 * verify_chain.c — the record's frame. Each line is parsed (the fast path
 * of record.h for the frequent kinds, else jansson), its seq and parent
 * hash are checked against the chain, and it goes to its kind's handler.
 * Here too the two events of the frame itself: the meeting event, first,
 * which fixes the meeting, the statutes profile (its hash, then loaded by
 * the engine) and the server key; and the checkpoints, each naming the
 * previous event's hash, signed by that key.
 *
 * Trusts audit/log.h's chain and record.h's parsers. Invariants: an
 * event is handled only once its link to the chain checked; the fast
 * path handles a line only when the strict path would accept it with the
 * same values (else NOT_FLAT, nothing done, and the strict path decides);
 * every event but the first needs the meeting event before it.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "audit/verify_int.h"
#include "ballot-formats/util.h"
#include "common/xmalloc.h"
#include "crypto/hex.h"

/* "HH:MM", a time of day. */
static bool
hhmm_ok(const char *s)
{
	return strlen(s) == 5 && s[2] == ':' &&
	    strspn(s, "0123456789") == 2 && strspn(s + 3, "0123456789") == 2 &&
	    (s[0] - '0') * 10 + (s[1] - '0') < 24 &&
	    (s[3] - '0') * 10 + (s[4] - '0') < 60;
}

/* The meeting event's optional minutes fields (docs/record.md §4): free
 * texts of 1–200 bytes without control characters, the time HH:MM. Kept
 * in the summary for the minutes. */
static int
meeting_info(V *v, const json_t *p)
{
	static const char *k[] = { "association", "place", "time",
	    "president", "secretary" };
	char **out[] = { &v->sum->association, &v->sum->place, &v->sum->time,
	    &v->sum->president, &v->sum->secretary };

	for (size_t i = 0; i < 5; i++) {
		const char *s;
		if (json_object_get(p, k[i]) == NULL)
			continue;
		if (strf(v, p, k[i], 200, &s))
			return -1;
		for (const unsigned char *c = (const unsigned char *)s; *c; c++)
			if (*c < 0x20 || *c == 0x7f)
				return bad_field(v, k[i]);
		if (s[0] == '\0' || (i == 2 && !hhmm_ok(s)))
			return bad_field(v, k[i]);
		free(*out[i]);
		*out[i] = xstrdup(s);
	}
	return 0;
}

/* The meeting event's "starts_at" (docs/record.md §4): the scheduled
 * start in Unix seconds, with "time" (HH:MM, the same instant on the
 * appliance's clock, whose time zone the record does not say: it must
 * lie within 14 hours of date and time read as UTC). Given to the
 * statutes engine as the meeting's start, for the proxies' deadline. */
static int
meeting_start(V *v, const json_t *p)
{
	uint64_t at;
	int32_t day, min;
	int64_t utc;

	if (json_object_get(p, "starts_at") == NULL)
		return 0;
	if (u64f(v, p, "starts_at", (uint64_t)AUDIT_JSON_INT_MAX, &at))
		return -1;
	if (v->sum->time == NULL || st_date_parse(v->sum->date, &day) != 0)
		return bad_field(v, "starts_at");
	min = (v->sum->time[0] - '0') * 600 + (v->sum->time[1] - '0') * 60 +
	    (v->sum->time[3] - '0') * 10 + (v->sum->time[4] - '0');
	utc = (int64_t)day * 86400 + (int64_t)min * 60;
	if ((int64_t)at < utc - 14 * 3600 || (int64_t)at > utc + 14 * 3600)
		return bad_field(v, "starts_at");
	audit_statutes_set_start(v->statutes, min, (int64_t)at);
	return 0;
}

/* The meeting event's "second_convocation" (docs/record.md §4): a
 * second convocation after a first meeting without its quorum (A-IMI
 * art. 9, APROGEMERE II), {first_meeting_date} before the meeting's
 * date, only where the body's statutes provide one (after the quorum:
 * the meeting's own may provide it). Given to the engine with every
 * count. */
static int
meeting_second(V *v, const json_t *p)
{
	const json_t *sc = json_object_get(p, "second_convocation");
	const char *first, *art;
	int32_t d0, d1;

	if (sc == NULL)
		return 0;
	if (KEYS(v, sc, "first_meeting_date") ||
	    strf(v, sc, "first_meeting_date", 10, &first))
		return -1;
	if (strlen(first) != 10 || st_date_parse(first, &d0) != 0 ||
	    st_date_parse(v->sum->date, &d1) != 0 || d0 >= d1)
		return bad_field(v, "second_convocation");
	if (audit_statutes_set_second(v->statutes, &art) != 0) {
		FAIL(v, "seconde convocation que les statuts ne prévoient pas"
		    " pour l'instance %s (art. %s)", "second convocation the"
		    " statutes do not provide for body %s (art. %s)",
		    v->sum->body, art);
		return -1;
	}
	memcpy(v->sum->second_first_date, first, 11);
	v->sum->second_article = xstrdup(art);
	return 0;
}

static int
ev_meeting(V *v, const json_t *p)
{
	const char *s, *title, *date, *body, *text, *pid;
	const json_t *prof = json_object_get(p, "profile");
	uint8_t h[32], want[32];
	size_t tlen;
	char err[256];

	if (order(v, v->seq == 0, "l'événement de réunion doit être le premier", "the meeting event must be first") ||
	    KEYS(v, p, "format", "meeting_id", "title", "date", "body",
	    "server_pk", "profile", "?quorum", "?association", "?place",
	    "?time", "?starts_at", "?president", "?secretary",
	    "?second_convocation", "?protocol") ||
	    strf(v, p, "format", 32, &s))
		return -1;
	if (strcmp(s, "scrutin-record/1") != 0)
		return bad_field(v, "format");
	/* The protocol (docs/protocol.md §12): absent, scrutin/1 (a record
	 * made before scrutin/2, still verified by its rules); scrutin/2
	 * binds every ballot to its question digest. */
	snprintf(v->sum->protocol, sizeof v->sum->protocol, "scrutin/1");
	if (json_object_get(p, "protocol") != NULL) {
		if (strf(v, p, "protocol", 15, &s))
			return -1;
		if (strcmp(s, QDIGEST_PROTOCOL_V2) != 0)
			return bad_field(v, "protocol");
		v->proto2 = true;
		snprintf(v->sum->protocol, sizeof v->sum->protocol, "%s", s);
	}
	if (strf(v, p, "meeting_id", AUDIT_MEETING_ID_MAX, &s) ||
	    strf(v, p, "title", 512, &title) ||
	    strf(v, p, "date", 10, &date) ||
	    strf(v, p, "body", 48, &body) ||
	    hexf(v, p, "server_pk", v->server_pk, 32))
		return -1;
	if (strlen(date) != 10)
		return bad_field(v, "date");
	if (KEYS(v, prof, "id", "sha256", "text") ||
	    strf(v, prof, "id", 48, &pid) ||
	    hexf(v, prof, "sha256", want, 32) ||
	    audit_json_str(prof, "text", 1u << 20, &text, &tlen) != 0)
		return -1;
	crypto_hash_sha256(h, (const uint8_t *)text, tlen);
	if (memcmp(h, want, 32) != 0) {
		FAIL(v, "l'empreinte du profil des statuts ne correspond pas à son texte",
		    "statutes profile hash does not match its text");
		return -1;
	}
	if (audit_statutes_load(&v->statutes, text, tlen, pid, body, err,
	    sizeof err) != 0) {
		FAIL(v, "le profil des statuts ne se charge pas : %s",
		    "statutes profile does not load: %s", err);
		return -1;
	}
	/* The meeting's own quorum, when the profile leaves it to the
	 * meeting (the engine refuses it otherwise, at the first count). */
	if (json_object_get(p, "quorum") != NULL &&
	    audit_statutes_set_quorum(v->statutes, json_object_get(p,
	        "quorum"), err, sizeof err) != 0) {
		FAIL(v, "quorum de la réunion invalide : %s",
		    "invalid meeting quorum: %s", err);
		return -1;
	}
	memcpy(v->meeting_id, s, strlen(s) + 1);
	memcpy(v->sum->meeting_id, s, strlen(s) + 1);
	v->sum->title = xstrdup(title);
	memcpy(v->sum->date, date, 11);
	memcpy(v->sum->body, body, strlen(body) + 1);
	memcpy(v->sum->profile_id, pid, strlen(pid) + 1);
	memcpy(v->sum->profile_sha256, h, 32);
	v->sum->body_label = xstrdup(audit_statutes_body_label(v->statutes));
	v->sum->profile_name = xstrdup(audit_statutes_name(v->statutes));
	if (audit_statutes_proxy_article(v->statutes) != NULL)
		v->sum->proxy_article = xstrdup(
		    audit_statutes_proxy_article(v->statutes));
	if (meeting_info(v, p) != 0 || meeting_start(v, p) != 0 ||
	    meeting_second(v, p) != 0)
		return -1;
	v->have_meeting = true;
	return 0;
}

/* `ts` and `time` of meeting.started and meeting.ended. */
static int
meeting_when(V *v, const json_t *p, uint64_t *ts, char time[6])
{
	const char *t;

	if (u64f(v, p, "ts", (uint64_t)AUDIT_JSON_INT_MAX, ts) ||
	    strf(v, p, "time", 5, &t))
		return -1;
	if (!hhmm_ok(t))
		return bad_field(v, "time");
	memcpy(time, t, 6);
	return 0;
}

static int
ev_started(V *v, const json_t *p)
{
	if (order(v, v->have_meeting && v->frozen && !v->started,
	    "ouverture de séance avant le gel de la liste ou répétée",
	    "meeting started before the roll freeze, or twice") ||
	    KEYS(v, p, "ts", "time", "?web") ||
	    meeting_when(v, p, &v->sum->started_ts, v->sum->started_time))
		return -1;
	/* The web apps' fingerprint (64 lowercase hex), when given. */
	if (json_object_get(p, "web") != NULL) {
		if (hexf(v, p, "web", v->sum->web, 32))
			return -1;
		v->sum->has_web = true;
	}
	v->started = true;
	return 0;
}

/* meeting.ended: its agenda, every item in order (qid new, label). */
static int
ev_ended(V *v, const json_t *p)
{
	const json_t *ag = json_object_get(p, "agenda"), *e;
	size_t i;

	if (order(v, v->started && !v->ended,
	    "clôture de séance sans ouverture, ou répétée",
	    "meeting ended without being started, or twice") ||
	    KEYS(v, p, "ts", "time", "agenda") ||
	    meeting_when(v, p, &v->sum->ended_ts, v->sum->ended_time))
		return -1;
	if (!json_is_array(ag) || json_array_size(ag) > 1024)
		return bad_field(v, "agenda");
	v->sum->agenda = xcalloc(json_array_size(ag) + 1,
	    sizeof *v->sum->agenda);
	json_array_foreach(ag, i, e) {
		struct audit_agenda_item *it = &v->sum->agenda[i];
		const char *qid, *label;
		if (!json_is_object(e) || KEYS(v, e, "qid", "label") ||
		    strf(v, e, "qid", AUDIT_QID_MAX, &qid) ||
		    strf(v, e, "label", 1024, &label))
			return -1;
		for (size_t k = 0; k < i; k++)
			if (strcmp(v->sum->agenda[k].qid, qid) == 0)
				return bad_field(v, "agenda");
		memcpy(it->qid, qid, strlen(qid) + 1);
		it->label = xstrdup(label);
		v->sum->n_agenda = i + 1;
	}
	v->ended = true;
	return 0;
}

static int
ev_checkpoint(V *v, const json_t *p)
{
	uint64_t s;
	uint8_t head[32], sig[64];

	if (order(v, v->have_meeting && v->seq > 0, "point de contrôle avant l'événement de réunion",
	    "checkpoint before the meeting event") ||
	    KEYS(v, p, "seq", "head", "sig") ||
	    u64f(v, p, "seq", (uint64_t)AUDIT_JSON_INT_MAX, &s) ||
	    hexf(v, p, "head", head, 32) || hexf(v, p, "sig", sig, 64))
		return -1;
	if (s != v->seq - 1 || memcmp(head, v->prev_head, 32) != 0) {
		FAIL(v, "le point de contrôle ne désigne pas l'événement précédent",
		    "checkpoint does not name the previous event");
		return -1;
	}
	{
		uint8_t msg[AUDIT_CHECKPOINT_MSG_MAX];
		size_t n = audit_checkpoint_message(msg, v->meeting_id, s, head);
		verify_sig_defer(v, v->server_pk, sig, msg, n,
		    "du point de contrôle", "checkpoint");
	}
	return 0;
}

static int ev_checkpoint(V *v, const json_t *p);

static int
ev_checkin(V *v, const json_t *p)
{
	return verify_ev_checkin(v, p, true);
}

static int
ev_checkout(V *v, const json_t *p)
{
	return verify_ev_checkin(v, p, false);
}

static int
ev_proxy(V *v, const json_t *p)
{
	return verify_ev_proxy(v, p, true);
}

static int
ev_proxy_withdrawn(V *v, const json_t *p)
{
	return verify_ev_proxy(v, p, false);
}

static int
flat_checkin(V *v, const audit_flat_event *fe)
{
	return verify_flat_checkin(v, fe, true);
}

static int
flat_checkout(V *v, const audit_flat_event *fe)
{
	return verify_flat_checkin(v, fe, false);
}

/* The kinds of event of docs/record.md §4: the noun a failure names, the
 * handler of the strict path and, for the kinds nearly all of a large
 * record is made of, the fast path's handler (which may answer
 * NOT_FLAT: the strict path then decides). */
static const struct kind_entry {
	const char *kind;
	struct noun noun;
	int (*fn)(V *, const json_t *);
	int (*flat)(V *, const audit_flat_event *);
} kinds[] = {
	{ "meeting", { "paramètres de la réunion", "meeting parameters" },
	    ev_meeting, NULL },
	{ "meeting.started", { "ouverture de séance", "meeting start" },
	    ev_started, NULL },
	{ "meeting.ended", { "clôture de séance", "meeting end" },
	    ev_ended, NULL },
	{ "ceremony.trustees", { "cérémonie des clés", "key ceremony" },
	    verify_ev_trustees, NULL },
	{ "ceremony.commit", { "cérémonie des clés", "key ceremony" },
	    verify_ev_commit, NULL },
	{ "ceremony.reveal", { "cérémonie des clés", "key ceremony" },
	    verify_ev_reveal, NULL },
	{ "ceremony.shares", { "cérémonie des clés", "key ceremony" },
	    verify_ev_shares, NULL },
	{ "ceremony.key_share", { "cérémonie des clés", "key ceremony" },
	    verify_ev_key_share, NULL },
	{ "ceremony.done", { "cérémonie des clés", "key ceremony" },
	    verify_ev_ceremony_done, NULL },
	{ "credential.issued", { "justificatif", "credential" },
	    verify_ev_cred_issued, verify_flat_cred_issued },
	{ "credential.revoked", { "justificatif", "credential" },
	    verify_ev_cred_revoked, NULL },
	{ "credential.reissued", { "justificatif", "credential" },
	    verify_ev_cred_reissued, NULL },
	{ "roll.frozen", { "liste électorale", "roll" },
	    verify_ev_roll_frozen, NULL },
	{ "checkin", { "émargement", "check-in" }, ev_checkin, flat_checkin },
	{ "checkout", { "départ", "check-out" }, ev_checkout, flat_checkout },
	{ "proxy", { "procuration", "proxy" }, ev_proxy, NULL },
	{ "proxy.withdrawn", { "procuration", "proxy" }, ev_proxy_withdrawn,
	    NULL },
	{ "proxy.redistributed", { "redistribution de procuration",
	    "proxy redistribution" }, verify_ev_redistributed, NULL },
	{ "proxy.volunteer", { "volontariat", "proxy volunteer" },
	    verify_ev_volunteer, NULL },
	{ "proxy.declined", { "volontariat", "proxy volunteer" },
	    verify_ev_declined, NULL },
	{ "draw.commit", { "graine du tirage", "draw seed" },
	    verify_ev_draw_commit, NULL },
	{ "draw.closed", { "graine du tirage", "draw seed" },
	    verify_ev_draw_closed, NULL },
	{ "draw.reveal", { "graine du tirage", "draw seed" },
	    verify_ev_draw_reveal, NULL },
	{ "draw.seed", { "graine du tirage", "draw seed" },
	    verify_ev_draw_seed, NULL },
	{ "mailin.opened", { "vote par correspondance", "mail-in vote" },
	    verify_ev_mailin_opened, NULL },
	{ "mailin.fallback", { "procuration de repli", "fallback proxy" },
	    verify_ev_mailin_fallback, NULL },
	{ "mailin.ballot", { "bulletin par correspondance", "mail-in ballot" },
	    verify_ev_mailin_ballot, NULL },
	{ "draw.pool", { "tirage au sort", "draw by lot" },
	    verify_ev_draw_pool, NULL },
	{ "draw.drawn", { "tirage au sort", "draw by lot" },
	    verify_ev_draw_drawn, NULL },
	{ "question.opened", { "ouverture de question", "question opening" },
	    verify_ev_question_opened, NULL },
	{ "ballot", { "bulletin", "ballot" }, verify_ev_ballot,
	    verify_flat_ballot },
	{ "ballot.audited", { "bulletin vérifié (annulé)",
	    "audited ballot (spoiled)" }, verify_ev_ballot_audited, NULL },
	{ "question.closed", { "clôture de question", "question closing" },
	    verify_ev_question_closed, NULL },
	{ "decryption.share", { "part de déchiffrement", "decryption share" },
	    verify_ev_decryption, NULL },
	{ "result", { "résultat", "result" }, verify_ev_result, NULL },
	{ "alternatives.result", { "motions alternatives",
	    "alternative motions" }, verify_ev_alternatives, NULL },
	{ "checkpoint", { "point de contrôle", "checkpoint" }, ev_checkpoint,
	    NULL },
};

static const struct noun N_EVENT = { "événement", "event" };

/* A flat string field of exactly 2·n hex digits: OUT n bytes. */
bool
verify_flat_hex(const audit_flat_event *fe, const char *key, uint8_t *out,
    size_t n)
{
	const audit_flat_field *f = audit_flat_get(fe, key);

	return f != NULL && f->type == AUDIT_FLAT_STR && f->vlen == 2 * n &&
	    hex_decode(out, n, f->val, f->vlen) == 0;
}

static const struct kind_entry *
kind_find(const char *kind)
{
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
		if (strcmp(kinds[k].kind, kind) == 0)
			return &kinds[k];
	return NULL;
}

static int
flat_dispatch(V *v, const audit_flat_event *fe)
{
	const struct kind_entry *k;

	if (!v->have_meeting)
		return NOT_FLAT;
	if ((k = kind_find(fe->kind)) == NULL || k->flat == NULL)
		return NOT_FLAT;
	v->noun = &k->noun;
	return k->flat(v, fe);
}

static int
dispatch(V *v, const audit_event *ev)
{
	const struct kind_entry *k = kind_find(ev->kind);

	if (k == NULL) {
		v->noun = &N_EVENT;
		FAIL(v, "type d'événement %s inconnu", "unknown event kind %s",
		    ev->kind);
		return -1;
	}
	v->noun = &k->noun;
	if (k != &kinds[0] && !v->have_meeting)
		return order(v, false, "l'événement de réunion doit être le premier", "the meeting event must be first");
	return k->fn(v, ev->payload);
}

/* One line of the record: parsed (the fast path, else jansson), its
 * link checked against the chain, then checked by its kind's handler.
 * 0, or -1 with the failure reported. */
int
verify_chain_event(V *v, const char *line, size_t len)
{
	audit_event ev;
	audit_flat_event fe;
	uint64_t seq;
	const uint8_t *parent;
	bool flat;
	char err[256];
	int got;

	memset(&ev, 0, sizeof ev);
	if ((flat = audit_event_parse_flat(&fe, line, len))) {
		seq = fe.seq;
		parent = fe.parent;
	} else if (audit_event_parse(&ev, line, len, err, sizeof err) != 0) {
		v->noun = &N_EVENT;
		FAIL(v, "événement mal formé : %s", "malformed event: %s",
		    err);
		audit_event_clear(&ev);
		return -1;
	} else {
		seq = ev.seq;
		parent = ev.parent;
	}
	memcpy(v->prev_head, v->chain.head, 32);
	if (seq != v->chain.next_seq) {
		v->noun = &N_EVENT;
		FAIL(v, "numéro %llu au lieu de %llu (chaîne rompue)",
		    "seq %llu instead of %llu (chain broken)",
		    (unsigned long long)seq,
		    (unsigned long long)v->chain.next_seq);
		audit_event_clear(&ev);
		return -1;
	}
	if (audit_chain_accept(&v->chain, seq, parent, line, len, NULL) != 0) {
		v->noun = &N_EVENT;
		FAIL(v, "l'empreinte parente ne correspond pas à l'événement précédent (chaîne rompue)",
		    "parent hash does not match the previous event (chain broken)");
		audit_event_clear(&ev);
		return -1;
	}
	got = flat ? flat_dispatch(v, &fe) : NOT_FLAT;
	if (got == NOT_FLAT) {
		/* The strict path decides (it accepts every line the fast
		 * path recognises, with the same values). */
		if (flat && audit_event_parse(&ev, line, len, err,
		    sizeof err) != 0) {
			v->noun = &N_EVENT;
			FAIL(v, "événement mal formé : %s",
			    "malformed event: %s", err);
			audit_event_clear(&ev);
			return -1;
		}
		got = dispatch(v, &ev);
	}
	memcpy(v->last_kind, flat ? fe.kind : ev.kind, sizeof v->last_kind);
	audit_event_clear(&ev);
	return got;
}

/*
 * meeting.h — meetings, their frozen roll, roles, questions, attendance,
 * the scrutineers' key ceremony (relayed), ballots, decryption shares, the
 * count under the statutes and the signed result (docs/api.md).
 *
 * Runs in the privileged process (and in the operator's commands, which
 * call the same functions on their own store). Every request the network
 * process forwards arrives here as one API call: an operation code, the
 * meeting and sub-resource identifiers from the path, the Authorization
 * token (if any) and the raw JSON body, which is decoded again here,
 * strictly (unknown, duplicate, missing or ill-formed fields refused):
 * the privileged side decides, never on the network side's word. Every
 * state change goes through store_event_record in its transaction and
 * pushes a live notification (meeting_notify_*) once committed.
 *
 * Ballots are split in three steps so that the privileged process can
 * verify on several threads and commit in groups: meeting_ballot_prepare
 * (cheap lookups, main thread), meeting_ballot_verify (pure computation on
 * public data, any thread), meeting_ballots_commit (one transaction for a
 * batch, main thread). A ballot is acknowledged only after its commit.
 *
 * Implemented by meeting.c and the files named after each concern of a
 * meeting (server/meeting.c's header lists them; meeting_int.h is what
 * they share).
 */
#ifndef SCRUTIN_SERVER_MEETING_H
#define SCRUTIN_SERVER_MEETING_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "crypto/ballot.h"
#include "server/scrutin.h"

struct store;

enum meeting_op {
	MOP_VIEW = 1,		/* GET meeting */
	MOP_VOTER,		/* GET voters/{pk} */
	MOP_ATTEND,		/* POST attendance */
	MOP_BALLOT,		/* POST ballots (asynchronous) */
	MOP_RECEIPT,		/* GET receipts/{r} */
	MOP_BOX,		/* GET questions/{q}/ballots (paged: body {"from": N}) */
	MOP_RESULT,		/* GET questions/{q}/result */
	MOP_CEREMONY,		/* GET ceremony */
	MOP_ENROL,
	MOP_COMMIT,
	MOP_REVEAL,
	MOP_SHARES,
	MOP_KEY,
	MOP_COMPLAINT,
	MOP_DSHARES,		/* POST questions/{q}/shares */
	MOP_WHOAMI,
	MOP_START,
	MOP_END,
	MOP_QADD,
	MOP_QOPEN,
	MOP_QCLOSE,
	MOP_QCAND,		/* POST questions/{q}/candidates (moderator) */
	MOP_RULES,		/* GET rules: the body's rule ids (moderator) */
	MOP_MINUTES,		/* GET minutes: {head, html} (procès-verbal) */
	MOP_MINSIGS,		/* GET minutes/signatures: {head, lines} */
	MOP_MINSIGN,		/* POST minutes/signatures (a scrutineer) */
	MOP_QTRIG,		/* POST questions/{q}/triggers (moderator) */
	MOP_PROXY,		/* POST proxies (a member gives, withdraws) */
	MOP_HOLDERS,		/* POST proxies/holders (whom one may name) */
	MOP_RECORD,		/* GET record (paged: {"from", "upto"}) */
	MOP_PAPER,		/* POST proxies/paper (the desk) */
	MOP_QRECUSE,		/* POST questions/{q}/recusals (moderator) */
	MOP_REDIST,		/* POST proxies/redistribute (the president) */
	MOP_DESK,		/* GET desk: the roll and paper proxies */
	MOP_MEMBERS,		/* GET members: the roll by name (moderator) */
	MOP_VOLUNTEER,		/* POST proxies/volunteer (Espace+ art. 4) */
	MOP_DECLINE,		/* POST proxies/decline (a member drawn) */
	MOP_DRAW_COMMIT,	/* POST draw/commit (a scrutineer) */
	MOP_DRAW_REVEAL,	/* POST draw/reveal (a scrutineer) */
	MOP_DRAW_PROCEED,	/* POST draw/proceed (the moderator) */
	MOP_QAMEND,		/* POST questions/{q}/amendments (moderator) */
	MOP_MAILIN_OPEN,	/* POST mailin/open (the mail-in window) */
	MOP_MAILIN_FALLBACK,	/* POST mailin/fallback (a member) */
	MOP_MAILIN_BALLOT,	/* POST mailin/ballots (a member) */
	MOP_DRAW_DECLARE,	/* POST draws: a pool (the moderator) */
	MOP_DRAW_RUN,		/* POST draws/{d}/draw (the moderator) */
	MOP_AUDIT,		/* POST audits: a ballot opened (a member) */
	MOP_MAX
};

/* A reply: HTTP status, error code ("" on success) and JSON (owned). */
struct mreply {
	int status;
	const char *code;
	const char *field;
	json_t *doc;
};

/* Live notifications kept in memory for the network process. */
#define NOTIFY_RING 1024u
struct notification {
	uint64_t seq;
	char meeting[65];
	char name[24];
	char *data;		/* JSON text, malloc'd */
};

struct mctx {
	struct store *st;
	const uint8_t *sk;	/* server signing key (64 bytes) or NULL */
	int local;		/* the operator's CLI: moderator rights */
	uint8_t pk[32];
	/* notification ring */
	struct notification ring[NOTIFY_RING];
	uint64_t next_seq;	/* seq of the next notification (first is 1) */
	/* participation throttling: last emit per question (ms) */
	struct { char meeting[65]; char qid[65]; uint64_t last_ms; int dirty; }
	    part[64];
	/* The last minutes rendered (server/minutes.c): one meeting, the
	 * record head they were rendered from, the HTML bytes. */
	struct { char meeting[65]; uint8_t head[32]; char *html;
	    size_t len; } pv;
	/* profile cache */
	struct { char meeting[65]; struct profile *p; } prof[8];
	/* Hot checks of the ballot path, derived from roll.db (ballot.c
	 * vc_*): dropped whenever another connection changed roll.db (PRAGMA
	 * data_version, read before each use) or this process opened or
	 * closed a question. The database stays the source of truth. */
	struct {
		int64_t dv;		/* data_version when filled; < 0: off */
		char meeting[65];	/* of multi */
		int have_multi;
		int64_t *multi;		/* members with several credentials */
		size_t nmulti;
		struct { char meeting[65], qid[65]; int64_t opened_at;
		    int recorded; } rec[16];
		size_t nrec;
		/* Question digests (qdigest.c q_digest_set): has 0 for a
		 * scrutin/1 record. */
		struct { char meeting[65], qid[65]; int64_t opened_at;
		    int has; uint8_t d[32]; } qd[16];
		size_t nqd;
	} vc;
};

void meeting_ctx_init(struct mctx *c, struct store *st, const uint8_t *sk,
    const uint8_t pk[32]);
void meeting_ctx_free(struct mctx *c);

/* One API call. meeting: path identifier; sub: the {q}/{pk}/{receipt}
 * segment or ""; auth: the bearer token text or "". OUT r. */
void meeting_api(struct mctx *c, uint32_t op, const char *meeting,
    const char *sub, const char *auth, const uint8_t *body, size_t len,
    struct mreply *r);

/* ---- ballots in three steps ---- */

struct ballot_job {
	char meeting[65];
	char qid[65];
	int secret;
	ballot_question q;
	uint8_t eid[32], y[32];
	uint8_t *body;		/* malloc'd */
	size_t body_len;
	uint8_t *hints;		/* malloc'd, or NULL */
	size_t hints_len;
	int hints_ok;		/* the batch equation accepted the ballot
				 * with them: stored, written in the record */
	uint8_t sig[64];
	uint8_t voice[32], signer[32];
	uint8_t receipt[32];
	int verdict;		/* 0 ok, else an HTTP status (set by verify) */
	const char *code;
	/* filled at commit */
	uint64_t at;
	uint8_t server_sig[64];
};

/* 1 when a job was made (OUT *job, to verify then commit); 0 when the
 * reply is already in r (refusal, or a ballot already stored). */
int meeting_ballot_prepare(struct mctx *c, const char *meeting,
    const uint8_t *body, size_t len, struct ballot_job **job,
    struct mreply *r);
/* Pure computation: sets job->verdict. Thread-safe. */
void meeting_ballot_verify(struct ballot_job *job);
/* The same for n jobs at once: the secret ballots that carry hints are
 * verified together (ballot_verify_batch, docs/protocol.md §5.6), with
 * exactly the verdicts meeting_ballot_verify would give. Thread-safe. */
void meeting_ballots_verify(struct ballot_job **jobs, size_t n);
/* Stores every job whose verdict is 0 in one transaction; OUT r[i] for
 * each. Jobs are freed by the caller with meeting_ballot_free. */
void meeting_ballots_commit(struct mctx *c, struct ballot_job **jobs,
    size_t n, struct mreply *r);
void meeting_ballot_free(struct ballot_job *job);
/* 1 if a job for the same (meeting, qid, voice) is in the list. */
int meeting_ballot_same_voice(const struct ballot_job *a,
    const struct ballot_job *b);

/* ---- periodic work and notifications ---- */

/* Closes questions whose window ended, flushes throttled participation
 * events; call about every 100 ms. */
void meeting_tick(struct mctx *c);
/* A snapshot notification for every meeting (after a change made by
 * another process, e.g. the CLI). */
void meeting_notify_snapshots(struct mctx *c);
/* Copies notifications with seq > after into rep as JSON
 * {"seq": last, "oldest": N, "events": [{seq, meeting, name, data}]},
 * at most max_bytes of data. NULL when there is none. */
json_t *meeting_notifications_since(struct mctx *c, uint64_t after,
    size_t max_bytes);
uint64_t meeting_notify_last(const struct mctx *c);

/* ---- operator side (CLI) ---- */

/* quorum: the meeting's own quorum, "none" or a JSON object
 * (audit/outcome.h audit_quorum_parse), required exactly when the
 * profile's body leaves it to the meeting (quorum rule meeting_sets);
 * NULL otherwise. president_member: the member number of the
 * association's president in the statutes, an active member (the casting
 * vote, the CA's proxies, the redistribution: the statutes engine's role
 * president), or NULL: nobody on the roll is president. */
/* What the minutes (procès-verbal) say of the meeting beyond its title
 * and date, each NULL or "" when not given: the association's name, the
 * place, the convocation time ("HH:MM"), who presides and who takes the
 * minutes ("Prénom Nom"). Public: carried in the record's meeting event
 * (docs/record.md §4). */
struct meeting_info {
	const char *association, *place, *time, *president, *secretary;
	/* A second convocation: the date of the first meeting, which
	 * failed its quorum (YYYY-MM-DD), or NULL. */
	const char *first_meeting;
};

/* The meeting `scrutin demo` makes (cli_serve.c). */
#define MEETING_DEMO_ID "ag-demo"
/* The key is shared between at least two scrutineers, two of them needed
 * to decrypt (SECURITY.md): 1 when n and t say so, or when the meeting is
 * the demo's; 0 otherwise. MEETING_TRUSTEES_FR/EN say what to do. */
int meeting_trustees_ok(const char *id, unsigned n, unsigned t);
#define MEETING_TRUSTEES_FR "Il faut au moins deux scrutateurs, dont deux" \
	" nécessaires pour déchiffrer : avec un seul, une seule personne" \
	" pourrait lire chaque bulletin secret. Créez la réunion avec" \
	" --trustees 2 --threshold 2 (ou plus)."
#define MEETING_TRUSTEES_EN "At least two scrutineers are needed, two of" \
	" them to decrypt: with one, a single person could read every secret" \
	" ballot. Create the meeting with --trustees 2 --threshold 2 (or more)."

int meeting_create(struct store *st, const char *id, const char *title,
    const char *date, const uint8_t *yaml, size_t yaml_len,
    const char *body, unsigned n, unsigned t, const char *quorum,
    const struct meeting_info *info, const char *president_member,
    char *err, size_t errcap) WUR;
/* Adds the questions of an agenda file ({"questions": [...]} or one
 * entry). */
int meeting_agenda_add(struct store *st, const char *id, const uint8_t *json,
    size_t len, char *err, size_t errcap) WUR;
int meeting_convene(struct store *st, const char *id, char *err,
    size_t errcap) WUR;
/* OUT token (43 base64url chars + NUL); the old moderator token is
 * revoked. */
int meeting_token_new(struct store *st, const char *id, const char *role,
    unsigned idx, const char *name, char out[44], char *err,
    size_t errcap) WUR;
int meeting_ceremony_reset(struct store *st, const char *id, char *err,
    size_t errcap) WUR;
/* Public view (GET meeting). NULL if unknown. */
json_t *meeting_view(struct mctx *c, const char *id);
/* Writes the public record of a meeting as JSON lines to f. */
int meeting_record_export(struct store *st, const uint8_t *sk,
    const char *id, void *file) WUR;

/* Error code -> French / English messages (shared with web.c). */
int meeting_error_lookup(const char *code, int *status, const char **fr,
    const char **en);

#endif

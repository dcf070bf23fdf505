/*
 * record.h — the events of the public election record (docs/record.md
 * §4) that the meeting code emits: each function builds one payload from
 * the store and appends it with store_record_append(), inside the
 * caller's transaction, so the state change and its record event land
 * together or not at all.
 *
 * A meeting has a record from its creation (the `meeting` event, seq 0).
 * Credentials of an identifier that is not (yet) a meeting have none:
 * meeting creation records the active ones. The record holds every
 * question, secret or open (show of hands, its ballots the signed
 * open-ballot statements), motions and elections (candidates then the
 * blank choice); only an election whose candidate has no credential in
 * the record stays out of it (record_question_opened), with its ballots
 * and result (they are in the database and the API).
 * Every function returns 0 (also when the event does not belong in the
 * record), -1 on error (the caller rolls back).
 */
#ifndef SCRUTIN_SERVER_RECORD_H
#define SCRUTIN_SERVER_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "server/store.h"

/* The `meeting` event, then `credential.issued` for each active
 * credential already issued for this identifier. */
int record_meeting(struct store *st, const char *meeting) WUR;
/* 1 if the meeting has a record, 0 if not, -1 on error. */
int record_exists(struct store *st, const char *meeting) WUR;
/* 1 once `roll.frozen` is in the record. */
int record_frozen(struct store *st, const char *meeting) WUR;
/* credential.issued; -2 when the record's roll is frozen (a new member
 * credential can no longer enter: reissue instead). */
int record_cred_issued(struct store *st, const char *meeting,
    int64_t member_id, const uint8_t pk[32]) WUR;
int record_cred_revoked(struct store *st, const char *meeting,
    const uint8_t pk[32]) WUR;
int record_cred_reissued(struct store *st, const char *meeting,
    const uint8_t old_pk[32], const uint8_t new_pk[32]) WUR;
/* roll.frozen (once) with the number of active credentials. */
int record_freeze(struct store *st, const char *meeting) WUR;
/* meeting.started / meeting.ended (docs/record.md §4) at Unix time ts,
 * with the appliance's local time HH:MM; ended lists the agenda, every
 * question in its order (put to the vote or not). ended writes nothing
 * when the record has no meeting.started (a meeting started before the
 * record had these events). */
int record_started(struct store *st, const char *meeting, int64_t ts) WUR;
/* The web apps' fingerprint this process's appliance serves (webfp.h),
 * set once by `scrutin serve` before any thread: meeting.started then
 * carries it as `web` (docs/record.md). Without it (NULL, or a command
 * run outside the server) the field is left out. */
void record_web_digest_set(const char *hex);
int record_ended(struct store *st, const char *meeting, int64_t ts) WUR;
/* spec: the stored question spec (title, kind, rule, secret, choices,
 * n, min, max, seats, on_agenda). */
int record_question_recordable(const json_t *spec);
/* Freezes the roll if needed, checkpoints (the attendance so far), then
 * question.opened. */
json_t *record_question_payload(struct store *st, const char *meeting,
    const char *qid, const json_t *spec, int *missing);
/* The mail-in window (server/mailin.c, docs/record.md mailin.opened):
 * the roll frozen first. */
int record_mailin_opened(struct store *st, const char *meeting, int64_t ts,
    int64_t closes_at, json_t *questions) WUR;
int record_question_opened(struct store *st, const char *meeting,
    const char *qid, const json_t *spec) WUR;
/* question.closed then a checkpoint (if the question is in the record). */
int record_question_closed(struct store *st, const char *meeting,
    const char *qid, int64_t counted, const uint8_t *totals, size_t e) WUR;
int record_decryption_share(struct store *st, const char *meeting,
    const char *qid, uint32_t trustee, const uint8_t *shares, size_t e,
    const uint8_t sig[64]) WUR;
/* result then a checkpoint. presided_mno: the member number of who
 * presided the vote by the statutes engine (A-IMI 12's Bureau sequence:
 * the eldest, or the newly elected president), or NULL; the record's
 * "presided_by" then names one of the member's credentials in the record
 * and presided_name, as the engine's sentence does. */
/* alternatives.result: the outcome of a group of alternative motions
 * (docs/record.md), when every motion of qids (record order) is in the
 * record; 0 and nothing written when one is not. winner: a qid or NULL. */
int record_alternatives(struct store *st, const char *meeting,
    const char *group, const json_t *qids, const char *outcome,
    const char *winner) WUR;
int record_result(struct store *st, const char *meeting, const char *qid,
    const uint64_t *counts, size_t n, const char *outcome,
    const char *sentence, const char *presided_mno, const char *presided_name,
    int presided_eldest) WUR;

#endif

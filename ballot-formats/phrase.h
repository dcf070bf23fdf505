/*
 * phrase.h — the sentences a moderator reads aloud, from a ct_result:
 * French first (the association's language), English on request. Every
 * figure in a sentence is one of the result's fields; nothing is
 * recomputed here. Pure formatting: no I/O.
 */
#ifndef SCRUTIN_STATUTES_PHRASE_H
#define SCRUTIN_STATUTES_PHRASE_H

#include "ballot-formats/count.h"

enum ph_lang { PH_FR, PH_EN };

/* Append the sentence(s) to b (st_buf_free to release). */
void phrase_quorum(struct st_buf *b, const struct ct_result *r, enum ph_lang lang);
void phrase_question(struct st_buf *b, const struct ct_result *r, size_t k, enum ph_lang lang);

/* The outcome of a group of alternative motions (ANIMT IV) as the server
 * publishes it and the minutes print it, one sentence after "Motions
 * alternatives « GROUP » : ": the winner (outcome code "winner": its
 * title and its votes for), "none_approved", "tie_unresolved"; another
 * code is named as it is. */
void phrase_alternatives_group(struct st_buf *b, const char *group,
    const char *outcome, const char *winner, uint64_t pour, enum ph_lang lang);

/* Why a question is held by secret ballot or by show of hands when a
 * live trigger decided it (ct_question's objection, requested_by,
 * askers, unanimous_show_of_hands): why = the CT_SECRET_* reasons
 * (ct_count's qr->secret, or ct_secret_before's plus CT_SECRET_FRACTION
 * when the askers reach the threshold), article = the body's secret
 * ballot article. has_askers: askers members asked for a secret ballot,
 * required of present (the engine's ct_threshold_required). Nothing is
 * appended when no trigger is in why and no askers were counted. */
void phrase_secrecy(struct st_buf *b, unsigned why, const char *article, bool has_askers,
    uint32_t askers, uint32_t required, uint32_t present, enum ph_lang lang);

/* Members without a vote, refused or moved proxies, refused mail-in and
 * internet votes: one line each. */
void phrase_standing(struct st_buf *b, const struct ct_result *r, enum ph_lang lang);
/* The voices not counted on question k (recusal, present-only...). */
void phrase_refusals(struct st_buf *b, const struct ct_result *r, size_t k, enum ph_lang lang);

#endif

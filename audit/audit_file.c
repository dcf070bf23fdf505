/*
 * audit_file.c — `scrutin-verify --audit FILE RECORD`: a ballot the member
 * opened on the phone (« Vérifier ce chiffrement », docs/protocol.md §5.8)
 * and downloaded as FILE, checked against the verified record's election
 * key and question: does the encryption hold the choice the phone showed?
 * Prints, in the user's language, the fingerprint, the choices the
 * ciphertexts really encrypt and those the phone showed, the verdict, and
 * whether the record publishes this ballot as spoiled.
 *
 * FILE (docs/record.md §4, ballot.audited): a JSON object {format
 * "scrutin-audit/1", meeting, qid, body, r [e hex32], choice [n 0/1],
 * fingerprint (hex32)}. Trusts the summary of a record that verified and
 * opening.c; the file is untrusted. Exit codes as scrutin-verify: 0
 * conforming, 1 not conforming (or not this record's), 2 unreadable.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit/audit_file.h"
#include "audit/record.h"
#include "crypto/hex.h"

#define pick(l, fr, en) ((l) == AUDIT_FR ? (fr) : (en))

struct afile {
	const char *meeting, *qid;
	uint8_t *body;
	size_t len;
	uint8_t r[BALLOT_CHOICES_MAX][32];
	size_t nr;
	uint8_t choice[BALLOT_CHOICES_MAX], fp[32];
	size_t n;
};

/* The file's fields into a; -1 when one is missing or malformed. */
static int
afile_read(const json_t *d, struct afile *a)
{
	static const char *const k[] = { "format", "meeting", "qid", "body",
		"r", "choice", "fingerprint" };
	const json_t *x, *arr;
	const char *fmt, *bad;
	size_t i, l;

	if (audit_json_keys(d, k, 7, &bad) != 0 ||
	    audit_json_str(d, "format", 32, &fmt, &l) != 0 ||
	    strcmp(fmt, "scrutin-audit/1") != 0 ||
	    audit_json_str(d, "meeting", 64, &a->meeting, &l) != 0 ||
	    audit_json_str(d, "qid", AUDIT_QID_MAX, &a->qid, &l) != 0 ||
	    audit_json_hex(d, "fingerprint", a->fp, 32) != 0 ||
	    audit_json_hexvar(d, "body", &a->body, &a->len,
	        BALLOT_BODY_MAX) != 0)
		return -1;
	arr = json_object_get(d, "r");
	if (!json_is_array(arr) || json_array_size(arr) == 0 ||
	    json_array_size(arr) > BALLOT_CHOICES_MAX)
		return -1;
	json_array_foreach(arr, i, x)
		if (audit_json_hexval(x, a->r[i], 32) != 0)
			return -1;
	a->nr = json_array_size(arr);
	arr = json_object_get(d, "choice");
	if (!json_is_array(arr) || json_array_size(arr) > BALLOT_CHOICES_MAX)
		return -1;
	json_array_foreach(arr, i, x) {
		if (!json_is_integer(x) || json_integer_value(x) < 0 ||
		    json_integer_value(x) > 1)
			return -1;
		a->choice[i] = (uint8_t)json_integer_value(x);
	}
	a->n = json_array_size(arr);
	return 0;
}

static void
print_choices(const struct audit_q_summary *q, const uint8_t *sel,
    enum audit_lang lang)
{
	int any = 0;

	for (size_t i = 0; i < q->n; i++)
		if (sel[i]) {
			printf("%s« %s »", any ? ", " : "", q->choice_labels[i]);
			any = 1;
		}
	printf("%s\n", any ? "" : pick(lang, "aucun choix", "no choice"));
}

/* Where the record publishes the ballot as spoiled. */
static void
print_published(const struct audit_q_summary *q, const uint8_t fp[32],
    enum audit_lang lang)
{
	for (size_t i = 0; i < q->n_audited; i++)
		if (memcmp(q->audited_fp[i], fp, 32) == 0) {
			printf(pick(lang,
			    "Le registre publie ce bulletin comme annulé (bulletin vérifié, jamais compté), événement %llu.\n",
			    "The record publishes this ballot as spoiled (audited, never counted), seq %llu.\n"),
			    (unsigned long long)q->audited_seq[i]);
			return;
		}
	printf("%s\n", pick(lang,
	    "Ce bulletin vérifié n'est pas publié dans ce registre : demandez aux scrutateurs pourquoi.",
	    "This audited ballot is not published in this record: ask the scrutineers why."));
}

/* The opening checked against q; prints the verdict. 0 or 1. */
static int
afile_check(const audit_summary *sum, const struct audit_q_summary *q,
    const struct afile *a, enum audit_lang lang)
{
	uint8_t sel[BALLOT_CHOICES_MAX], fp[32];
	const char *fr, *en;
	char fph[65];

	audit_ballot_fingerprint(fp, a->body, a->len);
	if (hex_encode(fph, sizeof fph, fp, 32) != 0)
		return 1;
	printf(pick(lang, "Bulletin vérifié : question %s « %s », empreinte %.16s\n",
	    "Audited ballot: question %s « %s », fingerprint %.16s\n"),
	    q->qid, q->label, fph);
	if (memcmp(fp, a->fp, 32) != 0) {
		printf("%s\n", pick(lang,
		    "NON CONFORME : l'empreinte du fichier n'est pas celle de son bulletin (fichier modifié).",
		    "NOT CONFORMING: the file's fingerprint is not its ballot's (file modified)."));
		return 1;
	}
	if (audit_opening_check(q->qid, (uint32_t)q->n, q->min, q->max,
	    q->has_digest ? q->digest : NULL,
	    sum->eid, sum->y, a->body, a->len, (const uint8_t (*)[32])a->r,
	    a->nr, sel, &fr, &en) != 0) {
		printf(pick(lang, "NON CONFORME : %s.\n", "NOT CONFORMING: %s.\n"),
		    lang == AUDIT_FR ? fr : en);
		return 1;
	}
	printf("%s", pick(lang, "Le chiffrement contient : ",
	    "The encryption holds: "));
	print_choices(q, sel, lang);
	printf("%s", pick(lang, "Le téléphone a affiché : ",
	    "The phone showed: "));
	print_choices(q, a->choice, lang);
	print_published(q, fp, lang);
	if (memcmp(sel, a->choice, q->n) != 0) {
		printf("%s\n", pick(lang,
		    "NON CONFORME : le chiffrement ne correspond pas au choix affiché. Ne votez pas sur cet appareil et prévenez les scrutateurs.",
		    "NOT CONFORMING: the encryption does not match the choice shown. Do not vote on this device and tell the scrutineers."));
		return 1;
	}
	printf("%s\n", pick(lang,
	    "CONFORME : le chiffrement correspond au choix affiché.",
	    "CONFORMING: the encryption matches the choice shown."));
	return 0;
}

int
audit_file_check(const audit_summary *sum, const char *path,
    enum audit_lang lang)
{
	struct afile a;
	const struct audit_q_summary *q = NULL;
	json_error_t je;
	json_t *d = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	int rc = 1;

	memset(&a, 0, sizeof a);
	if (d == NULL || afile_read(d, &a) != 0) {
		printf("%s\n", pick(lang,
		    "Fichier de bulletin vérifié illisible ou mal formé (format scrutin-audit/1 attendu).",
		    "Audited ballot file unreadable or malformed (format scrutin-audit/1 expected)."));
		rc = 2;
		goto out;
	}
	for (size_t i = 0; i < sum->n_questions; i++)
		if (strcmp(sum->questions[i].qid, a.qid) == 0)
			q = &sum->questions[i];
	if (strcmp(a.meeting, sum->meeting_id) != 0 || q == NULL ||
	    !q->secret || !sum->has_key || a.n != q->n) {
		printf(pick(lang,
		    "NON CONFORME : la question %s de la réunion %s n'est pas une question à bulletin secret de ce registre (ou le nombre de choix diffère).\n",
		    "NOT CONFORMING: question %s of meeting %s is not a secret question of this record (or the number of choices differs).\n"),
		    a.qid, a.meeting);
		goto out;
	}
	rc = afile_check(sum, q, &a, lang);
out:
	free(a.body);
	json_decref(d);
	return rc;
}

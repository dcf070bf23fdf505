/*
 * verify_main.c — `scrutin-verify RECORD`: the command line of the
 * standalone verifier (verify.h). Exit status: 0 the record verifies
 * (and the lookups asked for succeed), 1 a check failed or a looked-up
 * receipt is absent or a credential was used, or an audited ballot
 * (--audit FILE) does not hold the choice the phone showed, 2 usage or
 * I/O error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit_file.h"
#include "audit/qdigest.h"
#include "audit/verify.h"
#include "crypto/hex.h"
#include "common/xmalloc.h"

#define MINUTES_MAX (8u * 1024u * 1024u)

static void
usage(void)
{
	fprintf(stderr,
	    "usage : scrutin-verify [--lang fr|en] [--threads N] [--quiet]\n"
	    "        [--receipt HEX] [--credential PKHEX]\n"
	    "        [--minutes FILE --signatures FILE] [--audit FILE] RECORD\n");
	exit(2);
}

static uint8_t *
slurp(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;

	if (f == NULL)
		return NULL;
	buf = xmalloc(max + 1);
	*len = fread(buf, 1, max + 1, f);
	if (ferror(f) || *len > max) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	return buf;
}

/* Both branches are literals, so the compiler checks the formats. */
#define pick(l, fr, en) ((l) == AUDIT_FR ? (fr) : (en))

/* What the record says, question by question, once it verified: the
 * counts and outcomes, the groups of alternatives, the head, and the
 * proxies by channel. -1 on an encoding failure. */
static int
report_summary(const audit_summary *sum, enum audit_lang lang)
{
	for (size_t i = 0; i < sum->n_questions; i++) {
		const struct audit_q_summary *q = &sum->questions[i];
		printf(pick(lang, "Question %s : vérifiée — %s (",
		    "Question %s: verified — %s ("), q->qid,
		    lang == AUDIT_FR ? q->sentence_fr : q->sentence_en);
		for (size_t k = 0; k < q->n; k++)
			printf("%s%s %llu", k ? ", " : "", q->choice_labels[k],
			    (unsigned long long)q->counts[k]);
		printf(pick(lang, " ; %llu bulletins comptés%s ; issue : %s)\n",
		    "; %llu ballots counted%s; outcome: %s)\n"),
		    (unsigned long long)q->counted, q->secret ? "" :
		    pick(lang, " à main levée", " by show of hands"),
		    q->outcome);
		if (q->n_audited > 0)
			printf(pick(lang, "Question %s : %zu bulletin(s) vérifié(s) par leur membre, publié(s) annulé(s), jamais compté(s)\n",
			    "Question %s: %zu ballot(s) audited by their member, published spoiled, never counted\n"),
			    q->qid, q->n_audited);
		if (q->has_digest) {
			char d[65], sh[10];
			if (hex_encode(d, sizeof d, q->digest, 32) != 0)
				return -1;
			question_digest_short(sh, q->digest);
			printf(pick(lang, "  empreinte de la question %s (%s)\n",
			    "  question digest %s (%s)\n"), sh, d);
		}
	}
	printf(pick(lang, "Protocole : %s%s\n", "Protocol: %s%s\n"),
	    sum->protocol, strcmp(sum->protocol, "scrutin/1") == 0 ?
	    pick(lang, " (les bulletins ne s'engagent pas sur le contenu des questions)",
	    " (ballots do not commit to the questions' content)") : "");
	for (size_t i = 0; i < sum->n_alternatives; i++) {
		const struct audit_alt_summary *a = &sum->alternatives[i];
		printf(pick(lang, "Motions alternatives %s : vérifiées — issue : %s%s%s%s\n",
		    "Alternative motions %s: verified — outcome: %s%s%s%s\n"),
		    a->group, a->outcome, a->winner[0] ? " (" : "", a->winner,
		    a->winner[0] ? ")" : "");
	}
	{
		char head[65];
		if (hex_encode(head, sizeof head, sum->head, 32) != 0)
			return -1;
		printf(pick(lang,
		    "Enregistrement vérifié : %llu événements, %llu bulletins, empreinte finale %s\n",
		    "Record verified: %llu events, %llu ballots, head hash %s\n"),
		    (unsigned long long)sum->events,
		    (unsigned long long)sum->ballots, head);
	}
	if (sum->ballots_batched > 0)
		printf(pick(lang,
		    "%llu bulletins vérifiés par lots grâce à leurs indices, les autres un par un\n",
		    "%llu ballots verified in batches with their hints, the others one by one\n"),
		    (unsigned long long)sum->ballots_batched);
	if (sum->trustees_n > 0)
		printf(pick(lang,
		    "Clé partagée entre %u scrutateurs, %u nécessaires pour déchiffrer\n",
		    "Key shared between %u scrutineers, %u needed to decrypt\n"),
		    sum->trustees_n, sum->trustees_t);
	if (sum->has_web) {
		char web[65];
		if (hex_encode(web, sizeof web, sum->web, 32) != 0)
			return -1;
		printf(pick(lang,
		    "Applications web servies à l'ouverture de séance : empreinte %s\n",
		    "Web apps served when the meeting started: fingerprint %s\n"),
		    web);
	}
	/* The proxies apart: a paper proxy is the desk's word, not the
	 * member's signature (docs/record.md §4). */
	if (sum->proxies_given[0] + sum->proxies_given[1] > 0) {
		printf(pick(lang, "%llu procurations numériques signées par les membres\n",
		    "%llu digital proxies signed by the members\n"),
		    (unsigned long long)sum->proxies_given[0]);
		printf(pick(lang, "%llu procurations papier saisies par l'accueil\n",
		    "%llu paper proxies entered by the desk\n"),
		    (unsigned long long)sum->proxies_given[1]);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	audit_verify_opts o;
	audit_summary *sum = NULL;
	audit_failure fail;
	const char *record = NULL, *minutes = NULL, *sigs = NULL;
	const char *audit = NULL;
	int rc;

	memset(&o, 0, sizeof o);
	o.threads = 2;
	o.progress = stderr;
	o.lang = AUDIT_FR;
	o.report = stdout;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--lang") == 0 && val) {
			if (strcmp(val, "fr") == 0)
				o.lang = AUDIT_FR;
			else if (strcmp(val, "en") == 0)
				o.lang = AUDIT_EN;
			else
				usage();
			i++;
		} else if (strcmp(a, "--threads") == 0 && val) {
			o.threads = (unsigned)strtoul(val, NULL, 10);
			if (o.threads < 1 || o.threads > 64)
				usage();
			i++;
		} else if (strcmp(a, "--quiet") == 0) {
			o.progress = NULL;
		} else if (strcmp(a, "--receipt") == 0 && val) {
			if (hex_decode(o.receipt, 32, val, strlen(val)) != 0)
				usage();
			o.want_receipt = true;
			i++;
		} else if (strcmp(a, "--credential") == 0 && val) {
			if (hex_decode(o.credential, 32, val, strlen(val)) != 0)
				usage();
			o.want_credential = true;
			i++;
		} else if (strcmp(a, "--minutes") == 0 && val) {
			minutes = val;
			i++;
		} else if (strcmp(a, "--audit") == 0 && val) {
			audit = val;
			i++;
		} else if (strcmp(a, "--signatures") == 0 && val) {
			sigs = val;
			i++;
		} else if (a[0] == '-' || record != NULL) {
			usage();
		} else {
			record = a;
		}
	}
	if (record == NULL || (minutes == NULL) != (sigs == NULL))
		usage();

	rc = audit_verify_file(record, &o, &sum, &fail);
	if (rc != 0) {
		printf("%s %s\n", pick(o.lang, "ÉCHEC :", "FAIL:"),
		    o.lang == AUDIT_FR ? fail.fr : fail.en);
		fflush(stdout);
		fprintf(stderr, "%s %s\n", pick(o.lang, "ÉCHEC :", "FAIL:"),
		    o.lang == AUDIT_FR ? fail.fr : fail.en);
		return rc;
	}
	if (report_summary(sum, o.lang) != 0)
		return 2;
	rc = 0;
	if (o.want_receipt) {
		if (sum->receipt_found)
			printf(pick(o.lang,
			    "Reçu trouvé : question %s, événement %llu\n",
			    "Receipt found: question %s, seq %llu\n"),
			    sum->receipt_qid,
			    (unsigned long long)sum->receipt_seq);
		else {
			printf("%s\n", pick(o.lang,
			    "Reçu absent de l'urne",
			    "Receipt not in the ballot box"));
			rc = 1;
		}
	}
	if (o.want_credential) {
		if (sum->credential_hits == 0)
			printf("%s\n", pick(o.lang,
			    "Aucun bulletin n'a été déposé avec ce justificatif",
			    "No ballot was cast with this credential"));
		else {
			printf(pick(o.lang,
			    "%llu bulletin(s) déposé(s) avec ce justificatif\n",
			    "%llu ballot(s) cast with this credential\n"),
			    (unsigned long long)sum->credential_hits);
			rc = 1;
		}
	}
	if (audit != NULL) {
		int arc = audit_file_check(sum, audit, o.lang);
		if (arc > rc)
			rc = arc;
	}
	if (minutes != NULL) {
		size_t ml, sl;
		uint8_t *mb = slurp(minutes, MINUTES_MAX, &ml);
		uint8_t *sb = slurp(sigs, 1u << 20, &sl);
		if (mb == NULL || sb == NULL) {
			fprintf(stderr, "%s\n", pick(o.lang,
			    "procès-verbal ou signatures illisibles",
			    "cannot read the minutes or the signatures"));
			free(mb);
			free(sb);
			audit_summary_free(sum);
			return 2;
		}
		if (audit_minutes_check(sum, mb, ml, (const char *)sb, sl,
		    o.lang, stdout, &fail) != 0) {
			printf("%s %s\n", pick(o.lang, "ÉCHEC :", "FAIL:"),
			    o.lang == AUDIT_FR ? fail.fr : fail.en);
			rc = 1;
		}
		free(mb);
		free(sb);
	}
	audit_summary_free(sum);
	return rc;
}

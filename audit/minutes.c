/*
 * minutes.c — `scrutin-minutes`: the procès-verbal of a verified record
 * (docs/record.md §8) and its signature by a scrutineer.
 *
 *   scrutin-minutes RECORD > pv.html
 *   scrutin-minutes sign --key KEYFILE --record RECORD --minutes pv.html
 *
 * The minutes are written only from a record that verifies, so every
 * figure in them has been re-checked; the quorum and outcome sentences
 * are the statutes engine's, recomputed by the verifier. Signing reads the scrutineer's
 * seed from a 0600 key file, signs T("minutes", head, SHA-256(minutes))
 * and wipes the key; it refuses to sign minutes that do not name the
 * record's head hash.
 */
#define _GNU_SOURCE 1 /* memmem */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "audit/verify.h"
#include "crypto/hex.h"
#include "common/xmalloc.h"

static void
html(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

static int
verified(const char *record, audit_summary **sum)
{
	audit_verify_opts o;
	audit_failure fail;
	int rc;

	memset(&o, 0, sizeof o);
	o.threads = 2;
	o.lang = AUDIT_FR;
	rc = audit_verify_file(record, &o, sum, &fail);
	if (rc != 0)
		fprintf(stderr, "scrutin-minutes : enregistrement non vérifié : %s\n",
		    fail.fr);
	return rc;
}

static int
write_minutes(const char *record)
{
	audit_summary *s;
	char head[65], ph[65];
	FILE *f = stdout;

	if (verified(record, &s) != 0)
		return 1;
	if (hex_encode(head, sizeof head, s->head, 32) != 0 ||
	    hex_encode(ph, sizeof ph, s->profile_sha256, 32) != 0)
		return 2;
	fputs("<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">\n"
	    "<title>Procès-verbal — ", f);
	html(f, s->title);
	fputs("</title>\n<style>\n"
	    "body{font-family:Georgia,serif;max-width:48em;margin:2em auto;line-height:1.45;color:#111}\n"
	    "h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.15em;border-bottom:1px solid #999;margin-top:1.6em}\n"
	    "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #999;padding:.2em .6em;text-align:left}\n"
	    "td.n{text-align:right}code{font-size:.85em;word-break:break-all}\n"
	    ".sig{display:inline-block;width:14em;height:5em;border:1px solid #999;margin:.5em 1em 0 0;padding:.3em;vertical-align:top}\n"
	    "@media print{body{margin:0;max-width:none;font-size:11pt}h2{break-after:avoid}"
	    "section{break-inside:avoid}a{color:inherit;text-decoration:none}@page{size:A4;margin:2cm}}\n"
	    "</style></head><body>\n<h1>Procès-verbal — ", f);
	html(f, s->title);
	fprintf(f, "</h1>\n<p>Réunion <code>");
	html(f, s->meeting_id);
	fprintf(f, "</code>, instance <b>");
	html(f, s->body);
	fprintf(f, "</b>, le %s. Profil des statuts <code>", s->date);
	html(f, s->profile_id);
	fprintf(f, "</code> (SHA-256 <code>%s</code>).</p>\n", ph);
	fprintf(f, "<p>Liste électorale gelée : <b>%llu</b> justificatifs. "
	    "Clé d'élection partagée entre <b>%u</b> scrutateurs "
	    "(seuil %u).</p>\n", (unsigned long long)s->roll, s->trustees_n,
	    s->trustees_t);
	for (size_t i = 0; i < s->n_questions; i++) {
		const struct audit_q_summary *q = &s->questions[i];
		fprintf(f, "<section>\n<h2>");
		html(f, q->qid);
		fputs(" — ", f);
		html(f, q->label);
		fprintf(f, "</h2>\n<p>Émargement à l'ouverture : %u présents, "
		    "%u à distance ; procurations comptées : %u.</p>\n",
		    q->present, q->remote, q->proxies);
		if (q->quorum_fr != NULL && q->quorum_fr[0] != '\0') {
			/* The statutes engine's sentence (phrase_quorum). */
			fputs("<p class=\"quorum\">", f);
			html(f, q->quorum_fr);
			fputs("</p>\n", f);
		}
		fprintf(f, "<table><tr><th>Choix</th><th>Voix</th></tr>\n");
		for (size_t k = 0; k < q->n; k++) {
			fputs("<tr><td>", f);
			html(f, q->choice_labels[k]);
			fprintf(f, "</td><td class=\"n\">%llu</td></tr>\n",
			    (unsigned long long)q->counts[k]);
		}
		fprintf(f, "</table>\n<p>%s : %llu (déposés : %llu).</p>\n"
		    "<p><b>", q->secret ? "Bulletins secrets comptés" :
		    "Votes à main levée comptés (signés, publics)",
		    (unsigned long long)q->counted,
		    (unsigned long long)q->ballots_seen);
		html(f, q->sentence_fr);
		fputs("</b></p>\n</section>\n", f);
	}
	fprintf(f, "<h2>Intégrité</h2>\n<p>Enregistrement public vérifié : "
	    "%llu événements, %llu bulletins. Empreinte finale de "
	    "l'enregistrement :<br><code>%s</code></p>\n",
	    (unsigned long long)s->events, (unsigned long long)s->ballots,
	    head);
	fputs("<h2>Scrutateurs</h2>\n<p>Chaque scrutateur signe ce "
	    "procès-verbal avec sa clé (<code>scrutin-minutes sign</code>) ; "
	    "<code>scrutin-verify --minutes --signatures</code> vérifie les "
	    "signatures.</p>\n", f);
	for (uint32_t j = 0; j < s->trustees_n; j++) {
		char pk[65];
		if (hex_encode(pk, sizeof pk, s->trustee_id[j], 32) != 0)
			return 2;
		fprintf(f, "<div class=\"sig\">Scrutateur %u<br><code>%.16s…</code></div>\n",
		    j + 1, pk);
	}
	fputs("</body></html>\n", f);
	audit_summary_free(s);
	return fflush(f) == 0 ? 0 : 2;
}

static int
read_key(const char *path, uint8_t seed[32])
{
	struct stat st;
	char buf[80];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	int rc = -1;

	if (fd < 0 || fstat(fd, &st) != 0)
		goto out;
	if ((st.st_mode & 077) != 0) {
		fprintf(stderr, "scrutin-minutes : %s doit être en mode 0600\n",
		    path);
		goto out;
	}
	n = read(fd, buf, sizeof buf);
	if (n == 65 && buf[64] == '\n' && hex_decode(seed, 32, buf, 64) == 0)
		rc = 0;
out:
	sodium_memzero(buf, sizeof buf);
	if (fd >= 0)
		close(fd);
	return rc;
}

static int
sign_minutes(const char *keyfile, const char *record, const char *minutes)
{
	audit_summary *s;
	uint8_t seed[32], pk[32], *sk, msg[128], sig[64], *m;
	char pkh[65], sigh[129], head[65];
	size_t mlen, n;
	FILE *f;
	int rc = 1;

	if (verified(record, &s) != 0)
		return 1;
	if ((f = fopen(minutes, "rb")) == NULL) {
		fprintf(stderr, "scrutin-minutes : %s illisible\n", minutes);
		audit_summary_free(s);
		return 2;
	}
	m = xmalloc(8u << 20);
	mlen = fread(m, 1, 8u << 20, f);
	fclose(f);
	if (hex_encode(head, sizeof head, s->head, 32) != 0)
		goto out;
	if (memmem(m, mlen, head, 64) == NULL) {
		fprintf(stderr, "scrutin-minutes : le procès-verbal ne cite pas "
		    "l'empreinte de cet enregistrement\n");
		goto out;
	}
	if ((sk = sodium_malloc(64)) == NULL)
		abort();
	if (read_key(keyfile, seed) != 0) {
		fprintf(stderr, "scrutin-minutes : fichier de clé invalide\n");
		sodium_free(sk);
		goto out;
	}
	crypto_sign_seed_keypair(pk, sk, seed);
	sodium_memzero(seed, sizeof seed);
	n = audit_minutes_message(msg, s->head, m, mlen);
	if (n == 0 || crypto_sign_detached(sig, NULL, msg, n, sk) != 0) {
		sodium_free(sk);
		goto out;
	}
	sodium_free(sk);
	if (hex_encode(pkh, sizeof pkh, pk, 32) != 0 ||
	    hex_encode(sigh, sizeof sigh, sig, 64) != 0)
		goto out;
	{
		uint32_t j;
		for (j = 0; j < s->trustees_n; j++)
			if (memcmp(s->trustee_id[j], pk, 32) == 0)
				break;
		if (j == s->trustees_n)
			fprintf(stderr, "scrutin-minutes : attention, cette clé "
			    "n'est celle d'aucun scrutateur de l'enregistrement\n");
	}
	printf("scrutin-minutes-sig/1 %s %s\n", pkh, sigh);
	rc = 0;
out:
	free(m);
	audit_summary_free(s);
	return rc;
}

int
main(int argc, char **argv)
{
	if (argc == 2 && argv[1][0] != '-')
		return write_minutes(argv[1]);
	if (argc == 8 && strcmp(argv[1], "sign") == 0) {
		const char *key = NULL, *rec = NULL, *min = NULL;
		for (int i = 2; i + 1 < argc; i += 2) {
			if (strcmp(argv[i], "--key") == 0)
				key = argv[i + 1];
			else if (strcmp(argv[i], "--record") == 0)
				rec = argv[i + 1];
			else if (strcmp(argv[i], "--minutes") == 0)
				min = argv[i + 1];
		}
		if (key && rec && min)
			return sign_minutes(key, rec, min);
	}
	fprintf(stderr, "usage : scrutin-minutes RECORD > pv.html\n"
	    "        scrutin-minutes sign --key KEYFILE --record RECORD --minutes pv.html\n");
	return 2;
}

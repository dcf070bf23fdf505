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

#include "audit/pv.h"
#include "audit/verify.h"
#include "crypto/hex.h"
#include "common/xmalloc.h"

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
	int rc;

	if (verified(record, &s) != 0)
		return 1;
	rc = audit_minutes_html(s, NULL, stdout);
	audit_summary_free(s);
	return rc == 0 && fflush(stdout) == 0 ? 0 : 2;
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

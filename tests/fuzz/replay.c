/*
 * replay.c — runs a libFuzzer-style target over its committed corpus.
 *
 * Built once per target as replay_NAME and run by `make test`: it feeds
 * every file of tests/fuzz/corpus/NAME/ (or the files and folders named on
 * the command line) to LLVMFuzzerTestOneInput. Under `make sanitize` any
 * memory error aborts the run. It fails when the corpus is empty, so a
 * target can never pass by reading nothing.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REPLAY_MAX_INPUT (4u * 1024u * 1024u)

static int
replay_file(const char *path, unsigned long *count)
{
	FILE *f;
	uint8_t *buf;
	size_t n;

	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if ((buf = malloc(REPLAY_MAX_INPUT)) == NULL) {
		fclose(f);
		return -1;
	}
	n = fread(buf, 1, REPLAY_MAX_INPUT, f);
	fclose(f);
	/* A copy of exactly the input's size, so ASan sees any over-read. */
	uint8_t *exact = malloc(n ? n : 1);
	if (exact == NULL) {
		free(buf);
		return -1;
	}
	memcpy(exact, buf, n);
	free(buf);
	(void)LLVMFuzzerTestOneInput(exact, n);
	free(exact);
	(*count)++;
	return 0;
}

static int
replay_path(const char *path, unsigned long *count)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	char sub[4096];
	int rc = 0;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_file(path, count);
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		int w = snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
		if (w < 0 || (size_t)w >= sizeof sub) {
			rc = -1;
			break;
		}
		if (replay_path(sub, count) != 0)
			rc = -1;
	}
	closedir(d);
	return rc;
}

int
main(int argc, char **argv)
{
	unsigned long count = 0;
	char dir[4096];
	const char *base = strrchr(argv[0], '/');
	int rc = 0;

	base = base ? base + 1 : argv[0];
	if (strncmp(base, "replay_", 7) != 0) {
		fprintf(stderr, "replay: binary must be named replay_NAME\n");
		return 2;
	}
	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			if (replay_path(argv[i], &count) != 0)
				rc = 1;
	} else {
		int w = snprintf(dir, sizeof dir, "tests/fuzz/corpus/%s", base + 7);
		if (w < 0 || (size_t)w >= sizeof dir)
			return 2;
		if (replay_path(dir, &count) != 0)
			rc = 1;
	}
	printf("%s: replayed %lu inputs\n", base, count);
	if (count == 0) {
		fprintf(stderr, "replay: empty corpus\n");
		return 1;
	}
	return rc;
}

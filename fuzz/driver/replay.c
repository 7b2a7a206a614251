/*
 * The replay driver: runs a fuzz target's LLVMFuzzerTestOneInput over
 * files, without libFuzzer's engine, so that the committed corpus is
 * checked on every `make test` by a gcc build with ASan and UBSan.
 *
 *   replay PATH...   each PATH a file or a folder of files (not recursive)
 *
 * Exit status 0 when every input ran to its end; a sanitizer report
 * aborts the run with its own status.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads a whole file; NULL on error. */
static uint8_t *replay_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n;

	*len = 0;
	if (f == NULL)
		return NULL;
	do {
		if (*len == cap) {
			cap = cap ? cap * 2 : 4096;
			buf = realloc(buf, cap);
			if (buf == NULL)
				abort();
		}
		n = fread(buf + *len, 1, cap - *len, f);
		*len += n;
	} while (n > 0);
	fclose(f);
	return buf;
}

/* Runs one file through the target; -1 if it cannot be read. */
static int replay_file(const char *path)
{
	size_t len;
	uint8_t *buf = replay_read(path, &len);

	if (buf == NULL) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		return -1;
	}
	/* An exact-size copy, so that ASan sees a read past the input. */
	uint8_t *exact = malloc(len ? len : 1);
	if (exact == NULL)
		abort();
	memcpy(exact, buf, len);
	free(buf);
	(void)LLVMFuzzerTestOneInput(exact, len);
	free(exact);
	return 0;
}

/* Runs every regular file of a folder; the count, or -1. */
static int replay_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		char path[4096];
		struct stat st;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (replay_file(path) != 0) {
			closedir(d);
			return -1;
		}
		n++;
	}
	closedir(d);
	return n;
}

int main(int argc, char **argv)
{
	int total = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;
		int n;
		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "replay: no %s\n", argv[i]);
			return 1;
		}
		n = S_ISDIR(st.st_mode) ? replay_dir(argv[i]) : replay_file(argv[i]) == 0 ? 1 : -1;
		if (n < 0)
			return 1;
		total += n;
	}
	printf("replayed %d input(s)\n", total);
	return total > 0 ? 0 : 1;
}

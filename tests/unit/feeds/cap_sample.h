/* The CAP samples of tests/fakes/fake-cap/samples, for the feeds unit tests
 * (run from the project folder, as scripts/test.sh does). */
#ifndef BND_TEST_CAP_SAMPLE_H
#define BND_TEST_CAP_SAMPLE_H

#include <stdio.h>
#include <stdlib.h>

#define SAMPLES "tests/fakes/fake-cap/samples/"
#define SCHEMA "services/feeds/cap-1.2.xsd"

/* The whole file (caller frees), *len its size; NULL if unreadable. */
static inline char *sample_read(const char *name, size_t *len)
{
	char path[256];
	FILE *f;
	char *buf;
	long n;

	*len = 0;
	snprintf(path, sizeof(path), SAMPLES "%s", name);
	f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	*len = fread(buf, 1, (size_t)n, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

#endif

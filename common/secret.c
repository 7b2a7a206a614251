/* Secret references: the value never travels through configuration or logs. */
#include "secret.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

/* Reads a whole small file; trims one trailing newline. */
static char *read_secret_file(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char buf[4096];
	size_t n;

	if (f == NULL) {
		snprintf(err, errlen, "cannot open secret file %s", path);
		return NULL;
	}
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	if (n == 0) {
		snprintf(err, errlen, "secret file %s is empty", path);
		return NULL;
	}
	return xstrdup(buf);
}

char *secret_resolve(const char *ref, char *err, size_t errlen)
{
	if (ref == NULL || *ref == '\0') {
		snprintf(err, errlen, "empty secret reference");
		return NULL;
	}
	if (strncmp(ref, "file:", 5) == 0)
		return read_secret_file(ref + 5, err, errlen);
	if (strncmp(ref, "env:", 4) == 0) {
		const char *v = getenv(ref + 4);
		if (v == NULL || *v == '\0') {
			snprintf(err, errlen, "environment variable %s is not set", ref + 4);
			return NULL;
		}
		return xstrdup(v);
	}
	snprintf(err, errlen, "secret reference must start with env: or file:");
	return NULL;
}

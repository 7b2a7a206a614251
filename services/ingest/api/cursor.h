/*
 * Pagination cursors for lists ordered newest first by (time, id): an
 * opaque token "<unix microseconds>_<uuid>" naming the last row of a page.
 */
#ifndef BND_CURSOR_H
#define BND_CURSOR_H

#include <stdbool.h>
#include <stddef.h>

#include "crypto.h"

#define CURSOR_MAX (20 + 1 + UUID_STR_LEN + 1)

struct cursor {
	long long micros;
	char      id[UUID_STR_LEN + 1];
};

/* Writes the token of c into out (CURSOR_MAX bytes). */
void cursor_format(const struct cursor *c, char out[CURSOR_MAX]);
/* Parses a token; false (c untouched) unless it is exactly one we make. */
bool cursor_parse(const char *s, struct cursor *c) __attribute__((warn_unused_result));

#endif

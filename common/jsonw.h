/*
 * A JSON writer for the hot path: appends to one growing buffer, escapes
 * strings the way jansson's compact output does and refuses invalid
 * UTF-8. For request bodies sent many thousand times a second, where
 * building and dumping a jansson tree costs more than the request itself.
 */
#ifndef BND_JSONW_H
#define BND_JSONW_H

#include <stdbool.h>
#include <stddef.h>

struct jsonw {
	char  *buf;
	size_t len;
	size_t cap;
	bool   bad;   /* a string was not valid UTF-8 */
};

/* Appends JSON text as is (punctuation, keys written as literals, numbers). */
void jw_raw(struct jsonw *w, const char *s);
/* Appends s as a quoted JSON string; marks the writer bad on invalid UTF-8. */
void jw_str(struct jsonw *w, const char *s);
/* Appends "key":"value" (key taken as is, value escaped), with a comma first if comma. */
void jw_kv(struct jsonw *w, bool comma, const char *key, const char *value);
/* The text written (caller frees), or NULL (and nothing to free) if a string was bad. */
char *jw_finish(struct jsonw *w);

#endif

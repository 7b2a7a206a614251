/* JSON request bodies: invalid UTF-8 named by field; see json_body.h. */
#include "core/json_body.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "xmalloc.h"

/* The marker an invalid byte becomes: inside a JSON string it decodes to
 * NUL, which a valid body cannot hold (jansson refuses \u0000 unless
 * JSON_ALLOW_NUL); outside a string it is a syntax error. */
#define MARK "\\u0000"

/* A copy of body with every invalid byte replaced by MARK; NUL-terminated. */
static char *marked_copy(const unsigned char *body, size_t len)
{
	char *out = xmalloc(len * (sizeof(MARK) - 1) + 1);
	size_t i = 0, w = 0;

	while (i < len) {
		size_t n = utf8_seq(body + i, len - i);
		if (n == 0) {
			memcpy(out + w, MARK, sizeof(MARK) - 1);
			w += sizeof(MARK) - 1;
			i++;
			continue;
		}
		memcpy(out + w, body + i, n);
		w += n;
		i += n;
	}
	out[w] = '\0';
	return out;
}

/* Appends a path step to path (size cap), cut between characters. */
static void path_push(char *path, size_t cap, const char *fmt, const char *key, size_t idx)
{
	size_t used = strlen(path);
	char step[80];

	if (key != NULL)
		utf8_format(step, sizeof(step), fmt, key);
	else
		snprintf(step, sizeof(step), fmt, idx);
	if (used + 1 < cap)
		(void)utf8_truncate(path + used, cap - used, step, false);
}

/* Finds the first string under v holding a NUL (a marked byte); fills path. */
static bool find_mark(const json_t *v, char *path, size_t cap)
{
	size_t used = strlen(path), i;
	const char *key;
	const json_t *x;

	if (json_is_string(v))
		return strlen(json_string_value(v)) != json_string_length(v);
	if (json_is_object(v)) {
		json_object_foreach((json_t *)v, key, x) {
			path_push(path, cap, used == 0 ? "%s" : ".%s", key, 0);
			if (find_mark(x, path, cap))
				return true;
			path[used] = '\0';
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, x) {
			path_push(path, cap, "[%zu]", NULL, i);
			if (find_mark(x, path, cap))
				return true;
			path[used] = '\0';
		}
	}
	return false;
}

/* Names the field holding the first invalid byte of body. */
static void locate(const unsigned char *body, size_t len, size_t flags, char *field,
                   size_t fieldlen)
{
	char *marked = marked_copy(body, len), path[128] = "";
	json_t *doc = json_loads(marked, flags | JSON_ALLOW_NUL | JSON_DECODE_ANY, NULL);

	if (doc != NULL && find_mark(doc, path, sizeof(path)) && path[0] != '\0')
		(void)utf8_truncate(field, fieldlen, path, false);
	else
		(void)utf8_truncate(field, fieldlen, "body", false);
	json_decref(doc);
	free(marked);
}

enum jbody_err jbody_load(const void *body, size_t len, size_t flags, json_t **root,
                          char *field, size_t fieldlen, json_error_t *jerr)
{
	json_error_t local;
	const char *nul;

	*root = NULL;
	if (field != NULL && fieldlen > 0)
		field[0] = '\0';
	nul = memchr(body, '\0', len);
	if (nul != NULL) {
		/* Never JSON, whatever follows (a NUL in a string is \u0000); said
		 * here so that no path below, the C-string ones included, reads a
		 * shorter body. */
		json_error_t *e = jerr != NULL ? jerr : &local;
		memset(e, 0, sizeof(*e));
		e->position = (int)(nul - (const char *)body);
		snprintf(e->text, sizeof(e->text), "NUL byte at offset %d", e->position);
		return JBODY_JSON;
	}
	if (!utf8_valid(body, len)) {
		if (field != NULL && fieldlen > 0)
			locate(body, len, flags, field, fieldlen);
		return JBODY_UTF8;
	}
	*root = json_loadb(body, len, flags, jerr != NULL ? jerr : &local);
	return *root != NULL ? JBODY_OK : JBODY_JSON;
}

void jbody_top(const char *field, char *out, size_t outlen)
{
	size_t n = strcspn(field, ".[");

	if (outlen == 0)
		return;
	n = utf8_cut(field, n, outlen - 1);
	memcpy(out, field, n);
	out[n] = '\0';
}

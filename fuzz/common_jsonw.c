/*
 * Fuzz target: the hot-path JSON writer (jsonw.c). What it writes must
 * parse with jansson and give back the very strings written; what it
 * refuses must be exactly the invalid UTF-8.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jsonw w = { 0 };
	char *s = malloc(size + 1), *half, *out;
	size_t split;
	json_t *doc;

	memcpy(s, data, size);
	s[size] = '\0';
	split = utf8_cut(s, strlen(s), strlen(s) / 2);   /* between characters */
	half = strndup(s, split);
	jw_raw(&w, "{");
	jw_kv(&w, false, "a", half);
	jw_kv(&w, true, "b", s + split);
	jw_raw(&w, ",\"c\":[");
	jw_str(&w, s);
	jw_raw(&w, "]}");
	out = jw_finish(&w);
	if ((out != NULL) != utf8_valid_str(s))
		__builtin_trap();   /* refused valid text, or let invalid text through */
	if (out != NULL) {
		doc = json_loads(out, 0, NULL);
		if (doc == NULL ||
		    strcmp(json_string_value(json_object_get(doc, "a")), half) != 0 ||
		    strcmp(json_string_value(json_object_get(doc, "b")), s + split) != 0 ||
		    strcmp(json_string_value(json_array_get(json_object_get(doc, "c"), 0)), s) != 0)
			__builtin_trap();
		json_decref(doc);
		free(out);
	}
	free(half);
	free(s);
	return 0;
}

/*
 * Fuzz target: the list cursors (cursor_parse, which must round-trip
 * through cursor_format) and RFC 3339 times (editor_time_parse).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/cursor.h"
#include "api/editor_validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cursor c, back;
	char tok[CURSOR_MAX], *s = malloc(size + 1);
	long long ms;

	memcpy(s, data, size);
	s[size] = '\0';
	if (cursor_parse(s, &c)) {
		cursor_format(&c, tok);
		if (!cursor_parse(tok, &back) || back.micros != c.micros || strcmp(back.id, c.id) != 0)
			__builtin_trap();
	}
	if (editor_time_parse(s, &ms) && ms == 42)
		ms = 0;   /* the result is not needed; the call is what is fuzzed */
	free(s);
	return 0;
}

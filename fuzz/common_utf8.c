/*
 * Fuzz target: the UTF-8 module's promises (utf8.c): a repair is valid,
 * a truncation stays within its size and never splits a character of
 * valid text, and the validator agrees with jansson's decoder.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

/* Traps unless cond holds. */
static void fuzz_assert(int cond)
{
	if (!cond)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *fixed, dst[40];
	size_t len, cap;
	bool valid;
	json_t *js;

	memcpy(s, data, size);
	s[size] = '\0';
	len = strlen(s);
	valid = utf8_valid(s, len);
	fixed = utf8_repair(s, len);
	fuzz_assert(utf8_valid_str(fixed));
	fuzz_assert(!valid || strcmp(fixed, s) == 0);
	/* jansson, which checks UTF-8 on its own, must agree. */
	js = json_string(s);
	fuzz_assert((js != NULL) == valid);
	json_decref(js);
	cap = size % sizeof(dst) + 1;
	(void)utf8_truncate(dst, cap, s, size & 1);
	fuzz_assert(strlen(dst) < cap);
	fuzz_assert(!valid || utf8_valid_str(dst));
	fuzz_assert(utf8_cut(s, len, len / 2) <= len / 2);
	free(fixed);
	free(s);
	return 0;
}

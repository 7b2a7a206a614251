/*
 * Fuzz target: the channels' rendering (render.c): clips within bytes
 * and UTF-16 units, Telegram HTML escaping, the WhatsApp template
 * parameters. Invariants: limits are kept and valid input stays valid.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "utf8.h"

/* Traps unless cond holds. */
static void fuzz_assert(int cond)
{
	if (!cond)
		__builtin_trap();
}

/* The fields of a notice: the input split at NUL bytes. */
static void fuzz_fields(const char *buf, size_t size, const char *f[4])
{
	size_t at = 0;

	for (int i = 0; i < 4; i++) {
		f[i] = at < size ? buf + at : "";
		at += strlen(f[i]) + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *s, *p[3];
	const char *f[4];
	bool valid;

	memcpy(buf, data, size);
	buf[size] = '\0';
	fuzz_fields(buf, size, f);
	valid = utf8_valid_str(f[0]) && utf8_valid_str(f[1]) && utf8_valid_str(f[2]) &&
	        utf8_valid_str(f[3]);
	s = render_clip(f[0], size % 64 + 4);
	fuzz_assert(strlen(s) <= size % 64 + 4);
	fuzz_assert(!valid || utf8_valid_str(s));
	free(s);
	s = render_clip_units(f[1], size % 64 + 2);
	fuzz_assert(!valid || render_units(s) <= size % 64 + 2);
	free(s);
	s = render_tg_full(f[0], f[1], f[2], f[3]);
	fuzz_assert(!valid || utf8_valid_str(s));
	free(s);
	render_wa_params(f[0], f[1], f[2], f[3], "Comune di Demo", p);
	for (int i = 0; i < 3; i++) {
		fuzz_assert(*p[i] != '\0');
		fuzz_assert(!valid || utf8_valid_str(p[i]));
		free(p[i]);
	}
	free(buf);
	return 0;
}

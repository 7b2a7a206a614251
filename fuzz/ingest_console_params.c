/*
 * Fuzz target: the console's query parameters (console_params.c: topics
 * and channel lists, days, times, channel kinds), the percent-encoding
 * of opt-in links (optin_link.c) and the QR SVG writer (qr_svg.c). The
 * first byte says which; the rest is the parameter's text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/console_params.h"
#include "api/optin_link.h"
#include "api/qr_svg.h"

/* A list must come back as one closed array literal. */
static void fuzz_list(const char *s, bool channels)
{
	struct pgarr a = { 0 };
	struct editor_error err;
	int rc = channels ? console_channels_parse(s, &a, &err) : console_topics_parse(s, &a, &err);
	const char *lit = pgarr_end(&a);

	if (rc == 0 && (lit[0] != '{' || lit[strlen(lit) - 1] != '}'))
		__builtin_trap();
	pgarr_free(&a, 1);
}

/* Percent-encoding leaves only unreserved characters and escapes. */
static void fuzz_encode(const char *s)
{
	char *e = optin_url_encode(s);

	if (strspn(e, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~%") !=
	    strlen(e))
		__builtin_trap();
	free(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct editor_error err;
	long long at;
	char *s, kind[16];
	int days;

	if (size == 0 || size > 4096)
		return 0;
	s = malloc(size);
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	switch (data[0] % 5) {
	case 0: fuzz_list(s, false); break;
	case 1: fuzz_list(s, true); break;
	case 2:
		if (console_days_parse(s, &days, &err) == 0 &&
		    (days < 1 || days > CONSOLE_DAYS_MAX))
			__builtin_trap();
		if (console_kind_parse(s, kind, &err) == 0 && strcmp(kind, "whatsapp") != 0 &&
		    strcmp(kind, "telegram") != 0)
			__builtin_trap();
		if (console_at_parse(s, 0, &at, &err) != 0 && err.field[0] == '\0')
			__builtin_trap(); /* a refusal names its field */
		break;
	case 3: fuzz_encode(s); break;
	default: {
		char *svg = qr_svg(s, s);
		if (svg != NULL && strncmp(svg, "<?xml", 5) != 0)
			__builtin_trap();
		free(svg);
	}
	}
	free(s);
	return 0;
}

/*
 * Fuzz target: the sign-up form's parser (form_parse). The first byte
 * picks the content type (urlencoded, JSON, other); the rest is the body.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "form/form_parse.h"

/* A comune with two topics, as in the unit tests. */
static void fuzz_comune(struct form_comune *c)
{
	memset(c, 0, sizeof(*c));
	strcpy(c->id, "demo");
	strcpy(c->name, "Comune di Demo");
	c->wa_channel_id = 7;
	strcpy(c->topics[0].slug, "viabilita");
	strcpy(c->topics[1].slug, "meteo");
	c->ntopics = 2;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const types[] = { "application/x-www-form-urlencoded",
		                             "application/json; charset=utf-8", "text/plain", NULL };
	struct form_comune c;
	struct form_request fr;
	struct form_error err;
	char *body;

	if (size == 0)
		return 0;
	fuzz_comune(&c);
	body = malloc(size);   /* form_parse wants NUL-terminated bytes */
	memcpy(body, data + 1, size - 1);
	body[size - 1] = '\0';
	if (form_parse(types[data[0] & 3], body, size - 1, &c, &fr, &err) == 0 &&
	    fr.ntopics > FORM_TOPICS_MAX)
		__builtin_trap();
	free(body);
	return 0;
}

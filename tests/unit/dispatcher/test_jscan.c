/* jscan.c: the shapes it reads, the ones it leaves to jansson, and never a
 * reading jansson would not make (every one-byte change of an answer). */
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jscan.h"
#include "utf8.h"

static const char OK[] = "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":"
                         "\"+393331234567\",\"wa_id\":\"393331234567\"}],\"messages\":"
                         "[{\"id\":\"wamid.HBgLabc\",\"message_status\":\"accepted\"}]}";

/* jscan_first_str on s as a WhatsApp answer; out gets the id. */
static bool scan(const char *s, size_t len, char *out, size_t outsz)
{
	return jscan_first_str(s, len, "error", "messages", "id", out, outsz);
}

static void test_reads(void **state)
{
	char id[128];
	(void)state;

	assert_true(scan(OK, strlen(OK), id, sizeof(id)));
	assert_string_equal(id, "wamid.HBgLabc");
	static const char spaced[] = " \n{ \"messages\" : [ { \"x\" : [1, -2.5, true, null, {}],"
	                             " \"id\" : \"w1\" } , 3 ] , \"n\" : \"a\\\"b\" }\r\n";
	assert_true(scan(spaced, strlen(spaced), id, sizeof(id)));
	assert_string_equal(id, "w1");
}

static void test_leaves(void **state)
{
	static const char *const cases[] = {
		"{\"error\":{\"code\":1},\"messages\":[{\"id\":\"w\"}]}",   /* an error */
		"{\"messages\":[{\"id\":\"w\"}],\"error\":null}",
		"{\"contacts\":[]}",                                        /* no id */
		"{\"messages\":{\"id\":\"w\"}}",                            /* not an array */
		"{\"messages\":[\"w\"]}",
		"{\"messages\":[{\"id\":7}]}",                              /* not a string */
		"{\"messages\":[{\"id\":\"\"}]}",                           /* empty */
		"{\"messages\":[{\"id\":\"w\\u0041\"}]}",                   /* an escape */
		"{\"messages\":[{\"id\":\"w\",\"id\":\"v\"}]}",             /* twice */
		"{\"messages\":[{\"id\":\"w\"}],\"messages\":[]}",
		"{\"messages\":[{\"id\":\"w\"}]} x",                         /* trailing */
		"{\"messages\":[{\"id\":\"w\"}],\"n\":1e5}",                 /* exponent */
		"{\"messages\":[{\"id\":\"w\"}],\"n\":1234567890123456}",    /* 16 digits */
		"{\"messages\":[{\"id\":\"w\"}],\"n\":01}",
		"{\"messages\":[{\"id\":\"w\"}],\"n\":\"\\u00e0\"}",
		"{\"messages\":[{\"id\":\"w\"}],\"n\":tru}",
		"[{\"messages\":[{\"id\":\"w\"}]}]",
		"",
	};
	char id[128];
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (scan(cases[i], strlen(cases[i]), id, sizeof(id)))
			fail_msg("read: %s", cases[i]);
	}
	assert_false(scan(OK, strlen(OK), id, 8));   /* longer than out */
	assert_false(scan("{\"messages\":[{\"id\":\"w\"}]}\0", 26, id, sizeof(id)));
}

static void test_deep(void **state)
{
	char body[512], id[16];
	size_t n = 0;
	(void)state;

	n += (size_t)snprintf(body + n, sizeof(body) - n, "{\"messages\":[{\"id\":\"w\"}],\"d\":");
	for (int i = 0; i < 40; i++)
		body[n++] = '[';
	for (int i = 0; i < 40; i++)
		body[n++] = ']';
	body[n++] = '}';
	assert_false(scan(body, n, id, sizeof(id)));
}

/* What the full path reads from s as the id: jansson, invalid UTF-8 repaired
 * first as prov_classify does (false if it would find none). */
static bool jansson_id(const char *s, size_t len, char *out, size_t outsz)
{
	char *fixed = utf8_repair(s, len);
	json_t *root = json_loads(fixed, 0, NULL);
	const char *id;
	bool ok;

	free(fixed);

	id = json_string_value(
	    json_object_get(json_array_get(json_object_get(root, "messages"), 0), "id"));
	ok = root != NULL && json_object_get(root, "error") == NULL && id != NULL;
	if (ok)
		snprintf(out, outsz, "%s", id);
	json_decref(root);
	return ok;
}

/* Every one-byte deletion and replacement of an answer: read as jansson reads it. */
static void test_as_jansson(void **state)
{
	static const char repl[] = "\"\\{}[],: 0-.eatu\x01\x80";
	char body[sizeof(OK)], mine[128], theirs[128];
	size_t len = strlen(OK), checked = 0;
	(void)state;

	for (size_t i = 0; i < len; i++) {
		for (size_t r = 0; r <= sizeof(repl) - 1; r++) {
			size_t n = len;
			memcpy(body, OK, len);
			if (r == sizeof(repl) - 1) {   /* deletion */
				memmove(body + i, body + i + 1, len - i - 1);
				n--;
			} else {
				body[i] = repl[r];
			}
			if (!scan(body, n, mine, sizeof(mine)))
				continue;
			checked++;
			if (!jansson_id(body, n, theirs, sizeof(theirs)) || strcmp(mine, theirs) != 0)
				fail_msg("read %s from %.*s", mine, (int)n, body);
		}
	}
	assert_true(checked > len);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reads),
		cmocka_unit_test(test_leaves),
		cmocka_unit_test(test_deep),
		cmocka_unit_test(test_as_jansson),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Request bodies: invalid UTF-8 refused and named by field (json_body.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/json_body.h"

struct body_case {
	const char *body;
	enum jbody_err want;
	const char *field;   /* JBODY_UTF8: where */
};

static const struct body_case cases[] = {
	{ "{\"title\":\"Citt\xC3\xA0 \xF0\x9F\x8C\x8A\"}", JBODY_OK, "" },
	{ "{\"title\":\"caf\xE9\"}", JBODY_UTF8, "title" },                 /* Latin-1 é */
	{ "{\"title\":\"ok\",\"body\":\"a\xC3\"}", JBODY_UTF8, "body" },      /* à cut */
	{ "{\"topics\":[\"acqua\",\"viabilit\xC3\"]}", JBODY_UTF8, "topics[1]" },
	{ "{\"message\":{\"chat\":{\"id\":1},\"text\":\"\xED\xA0\x80\"}}", JBODY_UTF8,
	  "message.text" },                                                /* a surrogate */
	{ "{\"reason\":\"\xC0\xAF\"}", JBODY_UTF8, "reason" },               /* overlong */
	{ "{\"a\":\"x\",\"b\":\"\xF4\x90\x80\x80\"}", JBODY_UTF8, "b" },      /* > U+10FFFF */
	{ "{\"ti\xFFtle\":\"x\"}", JBODY_UTF8, "body" },                     /* in a key */
	{ "\xFF{\"title\":\"x\"}", JBODY_UTF8, "body" },                     /* outside strings */
	{ "{\"title\":\"a\\u0000b\"}", JBODY_JSON, "" },                     /* NUL stays refused */
	{ "{\"title\":\"\\ud800\"}", JBODY_JSON, "" },                       /* escaped surrogate */
	{ "{\"title\":", JBODY_JSON, "" },
};

/* Every case: the verdict and the field. */
static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct body_case *c = &cases[i];
		char field[32];
		json_t *root;
		enum jbody_err rc = jbody_load(c->body, strlen(c->body), 0, &root, field,
		                               sizeof(field), NULL);
		if (rc != c->want)
			fail_msg("case %zu: %d, want %d", i, rc, c->want);
		if (rc == JBODY_UTF8)
			assert_string_equal(field, c->field);
		assert_int_equal(root != NULL, rc == JBODY_OK);
		json_decref(root);
	}
}

/* A long path is cut, never overflows. */
static void test_long_path(void **state)
{
	const char body[] = "{\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\":{\"bbbbbbbbbbbbbbbbbbbbb\":"
	                    "[\"\xFF\"]}}";
	char field[16], top[8];
	json_t *root;
	(void)state;

	assert_int_equal(jbody_load(body, sizeof(body) - 1, 0, &root, field, sizeof(field), NULL),
	                 JBODY_UTF8);
	assert_int_equal(strlen(field), 15);
	jbody_top("topics[3]", top, sizeof(top));
	assert_string_equal(top, "topics");
	jbody_top("message.text", top, sizeof(top));
	assert_string_equal(top, "message");
}

/* A NUL byte in the body (not \u0000: the byte) is never JSON, even last. */
static void test_nul_bytes(void **state)
{
	static const char trailing[] = "{\"title\":\"x\"}\0";
	static const char inside[] = "{\"title\":\"x\0y\"}";
	static const char bad_after[] = "{\"title\":\"x\"}\0\xFF";
	json_error_t jerr;
	json_t *root;
	(void)state;

	assert_int_equal(jbody_load(trailing, sizeof(trailing) - 1, 0, &root, NULL, 0, &jerr),
	                 JBODY_JSON);
	assert_null(root);
	assert_int_equal(jerr.position, 13);
	assert_int_equal(jbody_load(inside, sizeof(inside) - 1, 0, &root, NULL, 0, NULL),
	                 JBODY_JSON);
	assert_int_equal(jbody_load(bad_after, sizeof(bad_after) - 1, 0, &root, NULL, 0, NULL),
	                 JBODY_JSON);
	assert_int_equal(jbody_load(trailing, sizeof(trailing) - 2, 0, &root, NULL, 0, NULL),
	                 JBODY_OK);
	json_decref(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_long_path),
		cmocka_unit_test(test_nul_bytes),
	};
	return cmocka_run_group_tests_name("json_body", tests, NULL, NULL);
}

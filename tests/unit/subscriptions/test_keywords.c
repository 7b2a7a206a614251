/* Consent keywords: case, accents, whitespace, Italian and English forms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "keywords.h"

struct kw_case {
	const char *text;
	enum kw_action want;
};

static const struct kw_case cases[] = {
	{ "ATTIVA", KW_JOIN },
	{ "attiva", KW_JOIN },
	{ "  Attiva  ", KW_JOIN },
	{ "Attiva!", KW_JOIN },
	{ "\tattiva.\n", KW_JOIN },
	{ "ISCRIZIONE", KW_JOIN },
	{ "Iscrivimi", KW_JOIN },
	{ "start", KW_JOIN },
	{ "/start", KW_JOIN },
	{ "àttiva", KW_JOIN },            /* accent typed by mistake */
	{ "DISATTIVA", KW_LEAVE },
	{ "disattiva", KW_LEAVE },
	{ "Disattivà", KW_LEAVE },
	{ "STOP", KW_LEAVE },
	{ "Cancellami", KW_LEAVE },
	{ "/stop", KW_LEAVE },
	{ "ATTIVA ORA", KW_NONE },        /* topic choice comes later, not a join */
	{ "buongiorno, quando passa la raccolta?", KW_NONE },
	{ "", KW_NONE },
	{ "   ", KW_NONE },
	{ "ATTIVAZIONE", KW_NONE },
	{ "DIS ATTIVA", KW_NONE },
};

static void test_match_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (kw_match(cases[i].text) != cases[i].want)
			fail_msg("\"%s\": got %s, want %s", cases[i].text,
			         kw_action_name(kw_match(cases[i].text)), kw_action_name(cases[i].want));
	}
}

static void test_null_and_overlong(void **state)
{
	char longtext[200];
	(void)state;

	assert_int_equal(kw_match(NULL), KW_NONE);
	memset(longtext, 'A', sizeof(longtext) - 1);
	longtext[sizeof(longtext) - 1] = '\0';
	assert_int_equal(kw_match(longtext), KW_NONE);
}

static void test_fold(void **state)
{
	char out[64];
	(void)state;

	kw_fold("  Città è già! ", out, sizeof(out));
	assert_string_equal(out, "CITTA E GIA");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match_table),
		cmocka_unit_test(test_null_and_overlong),
		cmocka_unit_test(test_fold),
	};
	return cmocka_run_group_tests_name("keywords", tests, NULL, NULL);
}

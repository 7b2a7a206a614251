/* The checks of a comune's settings and topics (common/comune_rules.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "comune_rules.h"

static void test_slug(void **state)
{
	(void)state;
	assert_true(crule_slug_ok("acqua"));
	assert_true(crule_slug_ok("lavori-pubblici_2"));
	assert_true(crule_slug_ok("abcdefghijklmnopqrstuvwxyz012345"));   /* 32 */
	assert_false(crule_slug_ok("abcdefghijklmnopqrstuvwxyz0123456")); /* 33 */
	assert_false(crule_slug_ok(""));
	assert_false(crule_slug_ok("Acqua"));
	assert_false(crule_slug_ok("acqua potabile"));
	assert_false(crule_slug_ok("viabilità"));
}

static void test_topic_keyword(void **state)
{
	(void)state;
	assert_true(crule_topic_keyword_ok("ACQUA"));
	assert_true(crule_topic_keyword_ok("A1"));
	assert_false(crule_topic_keyword_ok("A"));
	assert_false(crule_topic_keyword_ok("acqua"));
	assert_false(crule_topic_keyword_ok("ACQUA POTABILE"));
	assert_false(crule_topic_keyword_ok(""));
}

static void test_fold(void **state)
{
	char out[CRULE_KW_MAX + 1];
	const char *w = "  viabilità ";

	(void)state;
	assert_int_equal(crule_keyword_fold(w, strlen(w), out), 0);
	assert_string_equal(out, "VIABILITA");
	w = "Città";
	assert_int_equal(crule_keyword_fold(w, strlen(w), out), 0);
	assert_string_equal(out, "CITTA");
	w = "due parole";
	assert_int_equal(crule_keyword_fold(w, strlen(w), out), -1);
	w = "   ";
	assert_int_equal(crule_keyword_fold(w, strlen(w), out), -1);
	w = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456"; /* 33 */
	assert_int_equal(crule_keyword_fold(w, strlen(w), out), -1);
	w = "a-b";
	assert_int_equal(crule_keyword_fold(w, strlen(w), out), -1);
}

static void test_csv(void **state)
{
	char out[CRULE_KW_LIST_MAX], bad[64];

	(void)state;
	assert_int_equal(crule_keywords_csv("Attiva, iscrivimi,ATTIVA", out, bad), 0);
	assert_string_equal(out, "ATTIVA,ISCRIVIMI");
	assert_int_equal(crule_keywords_csv("", out, bad), 0);
	assert_string_equal(out, "");
	assert_int_equal(crule_keywords_csv("ATTIVA, due parole", out, bad), -1);
	assert_string_equal(bad, " due parole");
	assert_int_equal(crule_keywords_csv("ATTIVA,,STOP", out, bad), -1);
	/* A word that is a prefix of one already listed is not a duplicate. */
	assert_int_equal(crule_keywords_csv("ATTIVARE,ATTIVA", out, bad), 0);
	assert_string_equal(out, "ATTIVARE,ATTIVA");
}

static void test_clash(void **state)
{
	struct crule_lists defaults = { "", "", "", "" };
	struct crule_lists own = { "ENTRA", "ESCI", "", NULL };

	(void)state;
	assert_string_equal(crule_keyword_clash("ATTIVA", &defaults), "join");
	assert_string_equal(crule_keyword_clash("STOP", &defaults), "leave");
	assert_string_equal(crule_keyword_clash("TEMI", &defaults), "topics");
	assert_string_equal(crule_keyword_clash("INFO", &defaults), "help");
	assert_string_equal(crule_keyword_clash("TUTTI", &defaults), "reserved");
	assert_string_equal(crule_keyword_clash("CONFERMA", &own), "reserved");
	assert_null(crule_keyword_clash("ACQUA", &defaults));
	assert_null(crule_keyword_clash("ATTIV", &defaults));
	/* A comune's own list replaces the default one. */
	assert_null(crule_keyword_clash("ATTIVA", &own));
	assert_string_equal(crule_keyword_clash("ENTRA", &own), "join");
	assert_string_equal(crule_keyword_clash("ESCI", &own), "leave");
	assert_string_equal(crule_keyword_clash("AIUTO", &own), "help");
}

static void test_time_url_price(void **state)
{
	(void)state;
	assert_true(crule_time_ok("00:00"));
	assert_true(crule_time_ok("23:59"));
	assert_false(crule_time_ok("24:00"));
	assert_false(crule_time_ok("12:60"));
	assert_false(crule_time_ok("9:30"));
	assert_false(crule_time_ok("09:30:00"));
	assert_false(crule_time_ok("ab:cd"));
	assert_true(crule_url_ok("https://www.comune.example.it/privacy", false));
	assert_true(crule_url_ok("http://x.it", false));
	assert_true(crule_url_ok("", true));
	assert_false(crule_url_ok("", false));
	assert_false(crule_url_ok("javascript:alert(1)", true));
	assert_false(crule_url_ok("https://", true));
	assert_false(crule_url_ok("https://a b", true));
	assert_true(crule_price_ok("0.03"));
	assert_true(crule_price_ok("0.0300"));
	assert_true(crule_price_ok("9.9999"));
	assert_true(crule_price_ok("0"));
	assert_false(crule_price_ok("10"));
	assert_false(crule_price_ok("0.03001"));
	assert_false(crule_price_ok("0."));
	assert_false(crule_price_ok(".5"));
	assert_false(crule_price_ok("-1"));
	assert_false(crule_price_ok("0,03"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slug),  cmocka_unit_test(test_topic_keyword),
		cmocka_unit_test(test_fold),  cmocka_unit_test(test_csv),
		cmocka_unit_test(test_clash), cmocka_unit_test(test_time_url_price),
	};
	return cmocka_run_group_tests_name("comune_rules", tests, NULL, NULL);
}

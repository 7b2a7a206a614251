/* The CAP settings of the command line: lists and centroids. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include "ctl_csv.h"

static void check(const char *csv, bool spaces, const char *want)
{
	char *got = ctl_csv_array(csv, "--x", spaces);

	if (want == NULL) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_csv(void **state)
{
	(void)state;
	check("", false, "{}");
	check("IT-PIEM-B", false, "{\"IT-PIEM-B\"}");
	check(" IT-PIEM-B , ISTAT=001130", false, "{\"IT-PIEM-B\",\"ISTAT=001130\"}");
	check("a\"b,c{d}", false, "{\"a\\\"b\",\"c{d}\"}");
	check("Rischio idraulico, Temporali", true, "{\"Rischio idraulico\",\"Temporali\"}");
	check("Rischio idraulico", false, NULL);
	check("a,,b", false, NULL);
	check("a\tb", true, NULL);
}

static void test_point(void **state)
{
	char *p;

	(void)state;
	p = ctl_latlon_point("45.0703,7.6869");
	assert_string_equal(p, "(7.686900,45.070300)");
	free(p);
	p = ctl_latlon_point("-17.5,-179.9");
	assert_string_equal(p, "(-179.900000,-17.500000)");
	free(p);
	assert_null(ctl_latlon_point("91,7"));
	assert_null(ctl_latlon_point("45,181"));
	assert_null(ctl_latlon_point("45 7"));
	assert_null(ctl_latlon_point("45,7x"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_point),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

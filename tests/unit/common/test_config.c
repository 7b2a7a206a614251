/* Configuration tables: defaults, environment, bounds, required items. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

static char *name;
static long port;
static bool flag;

static const struct cfg_item items[] = {
	{ "T_NAME", CFG_STR, "demo", 0, 0, "a name", &name },
	{ "T_PORT", CFG_INT, "8080", 1, 65535, "a port", &port },
	{ "T_FLAG", CFG_BOOL, "false", 0, 0, "a flag", &flag },
	CFG_END,
};

static int reset(void **state)
{
	(void)state;
	unsetenv("T_NAME");
	unsetenv("T_PORT");
	unsetenv("T_FLAG");
	return 0;
}

static void test_defaults(void **state)
{
	char err[256];
	(void)state;

	assert_int_equal(cfg_load(items, err, sizeof(err)), 0);
	assert_string_equal(name, "demo");
	assert_int_equal(port, 8080);
	assert_false(flag);
}

static void test_environment_wins(void **state)
{
	char err[256];
	(void)state;

	setenv("T_NAME", "bientina", 1);
	setenv("T_PORT", "9000", 1);
	setenv("T_FLAG", "yes", 1);
	assert_int_equal(cfg_load(items, err, sizeof(err)), 0);
	assert_string_equal(name, "bientina");
	assert_int_equal(port, 9000);
	assert_true(flag);
}

static void test_bounds_and_garbage(void **state)
{
	char err[256];
	(void)state;

	setenv("T_PORT", "70000", 1);
	assert_int_equal(cfg_load(items, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "T_PORT"));
	setenv("T_PORT", "80a", 1);
	assert_int_equal(cfg_load(items, err, sizeof(err)), -1);
	setenv("T_PORT", "80", 1);
	setenv("T_FLAG", "maybe", 1);
	assert_int_equal(cfg_load(items, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "T_FLAG"));
}

static void test_required(void **state)
{
	static char *secret;
	static const struct cfg_item req[] = {
		{ "T_SECRET", CFG_STR, NULL, 0, 0, "must be set", &secret },
		CFG_END,
	};
	char err[256];
	(void)state;

	unsetenv("T_SECRET");
	assert_int_equal(cfg_load(req, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "T_SECRET is required"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_defaults, reset),
		cmocka_unit_test_setup(test_environment_wins, reset),
		cmocka_unit_test_setup(test_bounds_and_garbage, reset),
		cmocka_unit_test_setup(test_required, reset),
	};
	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}

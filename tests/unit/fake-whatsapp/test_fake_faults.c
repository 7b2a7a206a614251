/* The fake's fault schedule: counted faults, time windows, per recipient and sender. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "../../../tests/fakes/fake-whatsapp/faults.h"

#define TO   "393331234567"
#define PNID "100000000000001"
#define T0   1700000000000LL

/* Adds the fault described by a JSON text at now_ms; asserts it parses. */
static void add(struct faults *fs, const char *text, int64_t now_ms)
{
	struct fault_spec spec;
	char err[256];
	json_t *in = json_loads(text, 0, NULL);

	assert_non_null(in);
	assert_int_equal(faults_parse(in, &spec, err, sizeof(err)), 0);
	faults_add(fs, &spec, now_ms);
	json_decref(in);
}

/* Counted faults are taken in order, per recipient or for anyone, count times. */
static void test_counted(void **state)
{
	struct faults *fs = faults_new();
	struct fault_spec f;
	(void)state;

	assert_false(faults_take(fs, PNID, TO, T0, &f));
	add(fs, "{\"code\":131056,\"count\":2,\"to\":\"393330000009\"}", T0);
	add(fs, "{\"code\":131000,\"http\":503}", T0);
	/* The recipient-specific fault does not hit others. */
	assert_true(faults_take(fs, PNID, TO, T0, &f));
	assert_int_equal(f.action, FAULT_ERROR);
	assert_int_equal(f.code, 131000);
	assert_int_equal(f.http, 503);
	assert_false(faults_take(fs, PNID, TO, T0, &f));
	assert_true(faults_take(fs, PNID, "393330000009", T0, &f));
	assert_int_equal(f.code, 131056);
	assert_true(faults_take(fs, PNID, "393330000009", T0, &f));
	assert_false(faults_take(fs, PNID, "393330000009", T0, &f));
	add(fs, "{\"code\":4,\"count\":5}", T0);
	faults_clear(fs);
	assert_false(faults_take(fs, PNID, NULL, T0, &f));
	add(fs, "{\"code\":4,\"count\":5}", T0);   /* freed by faults_free */
	faults_free(fs);
}

/* A window hits every request until it ends, then disappears. */
static void test_window(void **state)
{
	struct faults *fs = faults_new();
	struct fault_spec f;
	json_t *list;
	(void)state;

	add(fs, "{\"code\":131000,\"http\":500,\"duration_ms\":10000}", T0);
	for (int i = 0; i < 100; i++)
		assert_true(faults_take(fs, PNID, TO, T0 + i * 99, &f));
	assert_int_equal(f.http, 500);
	list = faults_json(fs, T0 + 5000);
	assert_int_equal(json_array_size(list), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0), "hits")), 100);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0), "remaining_ms")),
	                 5000);
	json_decref(list);
	assert_true(faults_take(fs, PNID, TO, T0 + 9999, &f));
	assert_false(faults_take(fs, PNID, TO, T0 + 10000, &f));
	list = faults_json(fs, T0 + 10000);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);
	faults_free(fs);
}

/* Timeouts and resets; a fault for ever; a fault for one sender only. */
static void test_actions_and_scope(void **state)
{
	struct faults *fs = faults_new();
	struct fault_spec f;
	(void)state;

	add(fs, "{\"action\":\"timeout\",\"count\":1,\"phone_number_id\":\"7\"}", T0);
	add(fs, "{\"action\":\"reset\",\"count\":1,\"phone_number_id\":\"7\"}", T0);
	add(fs, "{\"code\":131050,\"count\":-1,\"to\":\"" TO "\"}", T0);
	assert_false(faults_take(fs, PNID, "393330000001", T0, &f));   /* other sender */
	assert_true(faults_take(fs, "7", "393330000001", T0, &f));
	assert_int_equal(f.action, FAULT_TIMEOUT);
	assert_true(faults_take(fs, "7", "393330000001", T0, &f));
	assert_int_equal(f.action, FAULT_RESET);
	assert_false(faults_take(fs, "7", "393330000001", T0, &f));
	for (int i = 0; i < 1000; i++) {
		assert_true(faults_take(fs, PNID, TO, T0 + i, &f));
		assert_int_equal(f.code, 131050);
	}
	faults_free(fs);
}

/* What POST /_fake/faults refuses. */
static void test_parse_errors(void **state)
{
	static const char *const bad[] = {
		"{}",                                     /* an error needs a code */
		"{\"code\":0}",
		"{\"code\":131000,\"count\":0}",
		"{\"code\":131000,\"http\":99}",
		"{\"code\":131000,\"duration_ms\":-1}",
		"{\"action\":\"explode\"}",
		"{\"code\":131000,\"colour\":\"red\"}",  /* unknown key */
		"[1]",
	};
	struct fault_spec spec;
	char err[256];
	(void)state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *in = json_loads(bad[i], 0, NULL);
		assert_non_null(in);
		assert_int_equal(faults_parse(in, &spec, err, sizeof(err)), -1);
		assert_true(err[0] != '\0');
		json_decref(in);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counted),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_actions_and_scope),
		cmocka_unit_test(test_parse_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

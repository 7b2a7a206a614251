/* The fake's message store: compact records, the duplicate counter, the stats. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "../../../tests/fakes/fake-whatsapp/errors.h"
#include "../../../tests/fakes/fake-whatsapp/store.h"

#define T0 1700000000000LL

/* A template send body to `to` with two body parameters. */
static json_t *tmpl_msg(const char *to, const char *title, const char *opaque)
{
	return json_pack("{s:s, s:s, s:s, s:{s:s, s:{s:s}, s:[{s:s, s:[{s:s, s:s}, {s:s, s:s}]}]},"
	                 " s:s}",
	                 "messaging_product", "whatsapp", "to", to, "type", "template", "template",
	                 "name", "avviso_comune", "language", "code", "it", "components", "type",
	                 "body", "parameters", "type", "text", "text", title, "type", "text", "text",
	                 "Domani in via Roma", "biz_opaque_callback_data", opaque);
}

/* Records read back as they were sent; duplicates are counted, not refused. */
static void test_records_and_duplicates(void **state)
{
	struct store *st = store_new();
	char wamid[STORE_WAMID_LEN], first[STORE_WAMID_LEN];
	json_t *m, *all, *rec;
	(void)state;

	m = tmpl_msg("393330000001", "Acqua", "job-1");
	assert_false(store_accept(st, "100", m, T0, first));
	json_decref(m);
	m = tmpl_msg("393330000002", "Acqua", "job-2");
	assert_false(store_accept(st, "100", m, T0 + 5, wamid));
	json_decref(m);
	m = tmpl_msg("393330000001", "Luce", "job-3");   /* other content: not a duplicate */
	assert_false(store_accept(st, "100", m, T0 + 7, wamid));
	json_decref(m);
	m = tmpl_msg("393330000001", "Acqua", "job-1");  /* the same again */
	assert_true(store_accept(st, "100", m, T0 + 9, wamid));
	json_decref(m);
	m = json_pack("{s:s, s:s, s:s, s:{s:s}}", "messaging_product", "whatsapp", "to",
	              "393330000003", "type", "text", "text", "body", "Benvenuto");
	assert_false(store_accept(st, "200", m, T0 + 11, wamid));
	json_decref(m);

	assert_int_equal(store_stats(st)->accepted, 5);
	assert_int_equal(store_stats(st)->duplicates, 1);
	assert_int_equal(store_stats(st)->first_accepted_ms, T0);
	assert_int_equal(store_stats(st)->last_accepted_ms, T0 + 11);
	all = store_messages(st, NULL, NULL);
	assert_int_equal(json_array_size(all), 5);
	rec = json_array_get(all, 0);
	assert_string_equal(json_string_value(json_object_get(rec, "wamid")), first);
	assert_string_equal(json_string_value(json_object_get(rec, "template")), "avviso_comune");
	assert_string_equal(json_string_value(json_object_get(rec, "language")), "it");
	assert_string_equal(json_string_value(json_array_get(json_object_get(rec, "params"), 0)),
	                    "Acqua");
	assert_string_equal(json_string_value(json_object_get(rec, "biz_opaque_callback_data")),
	                    "job-1");
	assert_string_equal(json_string_value(json_object_get(rec, "phone_number_id")), "100");
	rec = json_array_get(all, 4);
	assert_string_equal(json_string_value(json_object_get(rec, "text")), "Benvenuto");
	assert_string_equal(json_string_value(json_object_get(rec, "type")), "text");
	json_decref(all);
	all = store_messages(st, "393330000001", NULL);
	assert_int_equal(json_array_size(all), 3);
	json_decref(all);
	all = store_messages(st, NULL, "200");
	assert_int_equal(json_array_size(all), 1);
	json_decref(all);
	all = store_messages(st, "393330000001", "200");
	assert_int_equal(json_array_size(all), 0);
	json_decref(all);

	store_reject(st, WAERR_THROUGHPUT, false);
	store_reject(st, WAERR_PAIR_RATE, false);
	store_reject(st, 131000, true);
	assert_int_equal(store_stats(st)->rejected, 3);
	assert_int_equal(store_stats(st)->throttled_130429, 1);
	assert_int_equal(store_stats(st)->throttled_131056, 1);
	assert_int_equal(store_stats(st)->injected, 1);
	store_stats_reset(st);
	assert_int_equal(store_stats(st)->accepted, 0);
	assert_int_equal(store_count(st), 5);            /* the records stay */
	store_clear(st);
	assert_int_equal(store_count(st), 0);
	store_free(st);
}

/* 200,000 notices to different citizens fit in little memory and are told apart. */
static void test_many(void **state)
{
	struct store *st = store_new();
	char wamid[STORE_WAMID_LEN], to[16], job[32];
	json_t *all;
	(void)state;

	for (int i = 0; i < 200000; i++) {
		snprintf(to, sizeof(to), "39340%07d", i);
		snprintf(job, sizeof(job), "bench:1:%d", i);
		json_t *m = tmpl_msg(to, "Allerta meteo", job);
		assert_false(store_accept(st, "100", m, T0 + i, wamid));
		json_decref(m);
	}
	assert_int_equal(store_stats(st)->duplicates, 0);
	assert_int_equal(store_count(st), 200000);
	all = store_messages(st, "393400199999", "100");
	assert_int_equal(json_array_size(all), 1);
	json_decref(all);
	store_free(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_records_and_duplicates),
		cmocka_unit_test(test_many),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

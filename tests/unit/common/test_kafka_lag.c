/* Consumer lag out of librdkafka's statistics JSON (kafka_lag.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kafka_lag.h"

/* Trimmed from a real consumer's statistics: two topics, the internal
 * UA partition (-1), and a partition not assigned (lag -1). */
static const char STATS[] =
    "{\"name\":\"rdkafka#consumer-1\",\"type\":\"consumer\",\"ts\":1,"
    "\"topics\":{"
    "\"e2e-1.delivery.jobs\":{\"topic\":\"e2e-1.delivery.jobs\",\"partitions\":{"
    "\"0\":{\"partition\":0,\"hi_offset\":120,\"committed_offset\":100,\"consumer_lag\":20},"
    "\"1\":{\"partition\":1,\"hi_offset\":7,\"committed_offset\":-1001,\"consumer_lag\":-1},"
    "\"-1\":{\"partition\":-1,\"consumer_lag\":-1}}},"
    "\"e2e-1.delivery.jobs.urgent\":{\"partitions\":{"
    "\"3\":{\"partition\":3,\"consumer_lag\":0}}}},"
    "\"cgrp\":{\"state\":\"up\"}}";

/* The entry of topic/partition in v, or NULL. */
static const struct klag_part *find(const struct klag_part *v, int n, const char *topic, int p)
{
	for (int i = 0; i < n; i++)
		if (strcmp(v[i].topic, topic) == 0 && v[i].partition == p)
			return &v[i];
	return NULL;
}

static void test_known_lags_only(void **state)
{
	struct klag_part *v;
	int n = klag_parse(STATS, strlen(STATS), "e2e-1.", &v);
	(void)state;

	assert_int_equal(n, 2);
	assert_non_null(find(v, n, "delivery.jobs", 0));
	assert_int_equal(find(v, n, "delivery.jobs", 0)->lag, 20);
	assert_int_equal(find(v, n, "delivery.jobs.urgent", 3)->lag, 0);
	assert_null(find(v, n, "delivery.jobs", 1));
	free(v);
}

static void test_prefix_kept_if_absent(void **state)
{
	struct klag_part *v;
	int n = klag_parse(STATS, strlen(STATS), "", &v);
	(void)state;

	assert_int_equal(n, 2);
	assert_non_null(find(v, n, "e2e-1.delivery.jobs", 0));
	free(v);
}

static void test_not_statistics(void **state)
{
	static const char bad_id[] = "{\"topics\":{\"t\":{\"partitions\":{\"0\":"
	                             "{\"partition\":\"0\",\"consumer_lag\":5}}}}}";
	struct klag_part *v;
	(void)state;

	assert_int_equal(klag_parse("not json", 8, "", &v), -1);
	assert_null(v);
	assert_int_equal(klag_parse("{\"topics\":[]}", 13, "", &v), -1);
	assert_int_equal(klag_parse("{\"topics\":{}}", 13, "", &v), 0);
	assert_int_equal(klag_parse(bad_id, strlen(bad_id), "", &v), 0);   /* a string id */
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_lags_only),
		cmocka_unit_test(test_prefix_kept_if_absent),
		cmocka_unit_test(test_not_statistics),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

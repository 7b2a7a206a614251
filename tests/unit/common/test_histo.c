/* Prometheus histograms in seconds (histo.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "histo.h"
#include "log.h"

/* h written to a string (caller frees). */
static char *written(struct histo *h)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	histo_write(h, f);
	fclose(f);
	return text;
}

static void test_buckets_cumulative(void **state)
{
	struct histo h;
	char *text;
	(void)state;

	histo_init(&h, "req_seconds", "requests", 0.1, 1, 10);
	histo_observe(&h, "kind=\"whatsapp\"", 0.05);
	histo_observe(&h, "kind=\"whatsapp\"", 0.1);   /* le is inclusive */
	histo_observe(&h, "kind=\"whatsapp\"", 2);
	histo_observe(&h, "kind=\"whatsapp\"", 60);
	text = written(&h);
	assert_non_null(strstr(text, "# TYPE bnd_test_req_seconds histogram\n"));
	assert_non_null(strstr(text, "bnd_test_req_seconds_bucket{kind=\"whatsapp\",le=\"0.1\"} 2\n"));
	assert_non_null(strstr(text, "bnd_test_req_seconds_bucket{kind=\"whatsapp\",le=\"1\"} 2\n"));
	assert_non_null(strstr(text, "bnd_test_req_seconds_bucket{kind=\"whatsapp\",le=\"10\"} 3\n"));
	assert_non_null(strstr(text, "bnd_test_req_seconds_bucket{kind=\"whatsapp\",le=\"+Inf\"} 4\n"));
	assert_non_null(strstr(text, "bnd_test_req_seconds_sum{kind=\"whatsapp\"} 62.150000\n"));
	assert_non_null(strstr(text, "bnd_test_req_seconds_count{kind=\"whatsapp\"} 4\n"));
	free(text);
	histo_free(&h);
}

static void test_series_apart_and_unlabelled(void **state)
{
	struct histo h;
	char *text;
	(void)state;

	histo_init(&h, "bnd_x_seconds", "x", 1);
	histo_observe(&h, "", 0.5);
	histo_observe(&h, "a=\"1\"", 3);
	histo_observe(&h, "", -1);   /* a clock step back counts as 0 */
	text = written(&h);
	assert_non_null(strstr(text, "bnd_x_seconds_bucket{le=\"1\"} 2\n"));
	assert_non_null(strstr(text, "bnd_x_seconds_count 2\n"));
	assert_non_null(strstr(text, "bnd_x_seconds_bucket{a=\"1\",le=\"1\"} 0\n"));
	assert_non_null(strstr(text, "bnd_x_seconds_count{a=\"1\"} 1\n"));
	free(text);
	histo_free(&h);
}

static void test_series_capped(void **state)
{
	struct histo h;
	char labels[32];
	(void)state;

	histo_init(&h, "capped_seconds", "c", 1);
	for (int i = 0; i < HISTO_MAX_SERIES + 5; i++) {
		snprintf(labels, sizeof(labels), "i=\"%d\"", i);
		histo_observe(&h, labels, 0.1);
	}
	assert_int_equal(atomic_load(&h.nseries), HISTO_MAX_SERIES);
	assert_int_equal(atomic_load(&h.dropped), 5);
	histo_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buckets_cumulative),
		cmocka_unit_test(test_series_apart_and_unlabelled),
		cmocka_unit_test(test_series_capped),
	};

	log_init("test", "error");
	return cmocka_run_group_tests(tests, NULL, NULL);
}

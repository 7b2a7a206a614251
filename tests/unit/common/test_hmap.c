/* The string-keyed hash map: put, get, replace, delete (backward shift), growth. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "hmap.h"

#define N 5000

static char keys[N][16];

static void test_put_get_del(void **state)
{
	struct hmap m = { 0 };
	(void)state;

	assert_null(hmap_get(&m, "absent"));
	assert_null(hmap_del(&m, "absent"));
	for (int i = 0; i < N; i++) {
		snprintf(keys[i], sizeof(keys[i]), "job:%d", i);
		assert_null(hmap_put(&m, keys[i], &keys[i]));
	}
	assert_int_equal(hmap_size(&m), N);
	for (int i = 0; i < N; i++)
		assert_ptr_equal(hmap_get(&m, keys[i]), &keys[i]);
	/* Replacing returns the old value and keeps the size. */
	assert_ptr_equal(hmap_put(&m, keys[7], &keys[8]), &keys[7]);
	assert_int_equal(hmap_size(&m), N);
	assert_ptr_equal(hmap_put(&m, keys[7], &keys[7]), &keys[8]);
	/* Every other key removed: the rest are still found (runs shifted right). */
	for (int i = 0; i < N; i += 2)
		assert_ptr_equal(hmap_del(&m, keys[i]), &keys[i]);
	assert_int_equal(hmap_size(&m), N / 2);
	for (int i = 0; i < N; i++) {
		if (i % 2 == 0)
			assert_null(hmap_get(&m, keys[i]));
		else
			assert_ptr_equal(hmap_get(&m, keys[i]), &keys[i]);
	}
	for (int i = 1; i < N; i += 2)
		assert_ptr_equal(hmap_del(&m, keys[i]), &keys[i]);
	assert_int_equal(hmap_size(&m), 0);
	hmap_free(&m);
	assert_null(hmap_get(&m, keys[1]));
}

/* Keys that share a home slot: deleting the first of a run keeps the others reachable. */
static void test_collisions(void **state)
{
	struct hmap m = { 0 };
	static char many[64][8];
	(void)state;

	for (int i = 0; i < 64; i++) {
		snprintf(many[i], sizeof(many[i]), "%d", i);
		hmap_put(&m, many[i], many[i]);
	}
	for (int round = 0; round < 64; round++) {
		assert_ptr_equal(hmap_del(&m, many[round]), many[round]);
		for (int i = round + 1; i < 64; i++)
			assert_ptr_equal(hmap_get(&m, many[i]), many[i]);
	}
	hmap_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_get_del),
		cmocka_unit_test(test_collisions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

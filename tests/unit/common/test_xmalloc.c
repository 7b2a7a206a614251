/* Growing an array one element at a time (xmalloc.c's xgrow). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "xmalloc.h"

static void test_grow(void **state)
{
	int *v = NULL;
	size_t n = 0, cap = 0;
	(void)state;

	for (int i = 0; i < 1000; i++) {
		v = xgrow(v, n, &cap, sizeof(*v));
		assert_true(n < cap);
		v[n++] = i;
	}
	assert_int_equal(cap, 1024);   /* 64 doubled four times */
	for (int i = 0; i < 1000; i++)
		assert_int_equal(v[i], i);
	assert_ptr_equal(xgrow(v, 1000, &cap, sizeof(*v)), v);   /* room left: unchanged */
	assert_int_equal(cap, 1024);
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

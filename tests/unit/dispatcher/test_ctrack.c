/* Commit-prefix tracking: the offset moves only past jobs that are all finished. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ctrack.h"

static void test_in_order(void **state)
{
	struct ctrack ct = { 0 };
	struct cpart *cp = ctrack_part(&ct, "t.delivery.jobs", 0);
	(void)state;

	assert_int_equal(ctrack_take_commit(cp), -1);   /* nothing finished yet */
	for (int64_t o = 10; o < 15; o++)
		ctrack_add(cp, o);
	ctrack_done(cp, 10);
	ctrack_done(cp, 11);
	assert_int_equal(ctrack_take_commit(cp), 12);
	assert_int_equal(ctrack_take_commit(cp), -1);   /* unchanged: nothing to commit */
	assert_int_equal(ctrack_pending(cp), 3);
	ctrack_free(&ct);
}

static void test_out_of_order_holds_back(void **state)
{
	struct ctrack ct = { 0 };
	struct cpart *cp = ctrack_part(&ct, "t.delivery.jobs", 3);
	(void)state;

	for (int64_t o = 100; o < 105; o++)
		ctrack_add(cp, o);
	/* A throttled job at 100 is still waiting: later ones finished. */
	ctrack_done(cp, 101);
	ctrack_done(cp, 102);
	ctrack_done(cp, 104);
	assert_int_equal(ctrack_take_commit(cp), -1);
	ctrack_done(cp, 100);
	assert_int_equal(ctrack_take_commit(cp), 103);   /* 103 still open */
	ctrack_done(cp, 103);
	assert_int_equal(ctrack_take_commit(cp), 105);
	assert_int_equal(ctrack_pending(cp), 0);
	ctrack_free(&ct);
}

static void test_partitions_apart(void **state)
{
	struct ctrack ct = { 0 };
	struct cpart *a = ctrack_part(&ct, "t.delivery.jobs", 0);
	struct cpart *b = ctrack_part(&ct, "t.delivery.jobs", 1);
	struct cpart *r = ctrack_part(&ct, "t.delivery.jobs.retry", 0);
	(void)state;

	assert_ptr_equal(ctrack_part(&ct, "t.delivery.jobs", 0), a);
	assert_ptr_not_equal(a, b);
	assert_ptr_not_equal(a, r);
	ctrack_add(a, 5);
	ctrack_add(b, 5);
	ctrack_add(r, 5);
	ctrack_done(b, 5);
	assert_int_equal(ctrack_take_commit(a), -1);
	assert_int_equal(ctrack_take_commit(b), 6);
	assert_int_equal(ctrack_take_commit(r), -1);
	ctrack_free(&ct);
}

static void test_many_and_rewind(void **state)
{
	struct ctrack ct = { 0 };
	struct cpart *cp = ctrack_part(&ct, "t", 0);
	(void)state;

	for (int64_t o = 0; o < 10000; o++)
		ctrack_add(cp, o);
	for (int64_t o = 9999; o >= 1; o--)
		ctrack_done(cp, o);
	assert_int_equal(ctrack_take_commit(cp), -1);
	ctrack_done(cp, 0);
	assert_int_equal(ctrack_take_commit(cp), 10000);
	/* After a rebalance the partition is read again from an older offset. */
	ctrack_add(cp, 20);
	ctrack_add(cp, 7);   /* out of order: kept sorted */
	ctrack_done(cp, 20);
	assert_int_equal(ctrack_take_commit(cp), -1);
	ctrack_done(cp, 7);
	assert_int_equal(ctrack_take_commit(cp), 21);
	ctrack_free(&ct);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_order),
		cmocka_unit_test(test_out_of_order_holds_back),
		cmocka_unit_test(test_partitions_apart),
		cmocka_unit_test(test_many_and_rewind),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

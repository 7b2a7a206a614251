/* Telling a message's fault from the infrastructure's: SQLSTATE classes, repeated failures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "db.h"
#include "health.h"
#include "quarantine.h"

static void test_sqlstate_classes(void **state)
{
	static const struct {
		const char *state;
		enum db_fault fault;
	} cases[] = {
		{ NULL, DB_FAULT_DOWN },            /* no answer at all */
		{ "", DB_FAULT_DOWN },
		{ "08006", DB_FAULT_DOWN },         /* connection failure */
		{ "53300", DB_FAULT_DOWN },         /* too many connections */
		{ "57014", DB_FAULT_DOWN },         /* statement timeout */
		{ "57P01", DB_FAULT_DOWN },         /* admin shutdown */
		{ "XX000", DB_FAULT_DOWN },         /* internal error */
		{ "40001", DB_FAULT_STATE },        /* serialization failure */
		{ "40P01", DB_FAULT_STATE },        /* deadlock */
		{ "55P03", DB_FAULT_STATE },        /* lock not available */
		{ "42P01", DB_FAULT_STATE },        /* no such table: not migrated */
		{ "42501", DB_FAULT_STATE },        /* permission */
		{ "22021", DB_FAULT_DATA },         /* invalid byte sequence */
		{ "22P02", DB_FAULT_DATA },         /* invalid text representation */
		{ "22001", DB_FAULT_DATA },         /* string too long */
		{ "23505", DB_FAULT_DATA },         /* unique violation */
		{ "23514", DB_FAULT_DATA },         /* check violation */
		{ "P0001", DB_FAULT_OTHER },        /* RAISE EXCEPTION */
		{ "2201X", DB_FAULT_DATA },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(db_fault_of(cases[i].state), cases[i].fault);
}

/* A quarantine whose health monitor reads h, set aside after 3 alike. */
static struct quarantine *qn_with(struct health *h)
{
	atomic_init(&h->db_ok, true);
	atomic_init(&h->kafka_ok, true);
	atomic_init(&h->draining, false);
	return qn_new("127.0.0.1:1", "", h, 3);
}

static void test_repeat_needs_alike_failures_over_time(void **state)
{
	struct health h;
	struct quarantine *q = qn_with(&h);
	struct qn_repeat r;
	(void)state;

	assert_non_null(q);
	qn_repeat_reset(&r);
	assert_false(qn_repeat_poison_at(q, &r, "PostgreSQL: P0001: boom", 0));
	assert_false(qn_repeat_poison_at(q, &r, "PostgreSQL: P0001: boom", 100));
	/* Three alike, but within QN_REPEAT_MIN_MS: not yet. */
	assert_false(qn_repeat_poison_at(q, &r, "PostgreSQL: P0001: boom", 200));
	assert_true(qn_repeat_poison_at(q, &r, "PostgreSQL: P0001: boom", QN_REPEAT_MIN_MS));
	/* A different reason starts counting again. */
	qn_repeat_reset(&r);
	assert_false(qn_repeat_poison_at(q, &r, "a", 0));
	assert_false(qn_repeat_poison_at(q, &r, "a", 5000));
	assert_false(qn_repeat_poison_at(q, &r, "b", 10000));
	assert_false(qn_repeat_poison_at(q, &r, "b", 20000));
	assert_true(qn_repeat_poison_at(q, &r, "b", 30000));
	qn_free(q);
}

static void test_repeat_never_blames_the_message_for_the_infrastructure(void **state)
{
	struct health h;
	struct quarantine *q = qn_with(&h);
	struct qn_repeat r;
	(void)state;

	qn_repeat_reset(&r);
	/* No reason: PostgreSQL or Kafka did not answer. */
	for (int i = 0; i < 10; i++)
		assert_false(qn_repeat_poison_at(q, &r, "", i * 10000));
	for (int i = 0; i < 10; i++)
		assert_false(qn_repeat_poison_at(q, &r, NULL, i * 10000));
	/* The monitor says PostgreSQL is down: a reason does not count either. */
	atomic_store(&h.db_ok, false);
	for (int i = 0; i < 10; i++)
		assert_false(qn_repeat_poison_at(q, &r, "PostgreSQL: P0001: boom", i * 10000));
	atomic_store(&h.db_ok, true);
	atomic_store(&h.kafka_ok, false);
	for (int i = 0; i < 10; i++)
		assert_false(qn_repeat_poison_at(q, &r, "PostgreSQL: P0001: boom", i * 10000));
	qn_free(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sqlstate_classes),
		cmocka_unit_test(test_repeat_needs_alike_failures_over_time),
		cmocka_unit_test(test_repeat_never_blames_the_message_for_the_infrastructure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

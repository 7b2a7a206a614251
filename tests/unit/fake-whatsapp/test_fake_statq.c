/* The queue of statuses to send: due times, batches per phone-number id, retries, the bound. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../../tests/fakes/fake-whatsapp/statq.h"

#define PNID_A "100000000000001"
#define PNID_B "100000000000002"
#define T0     1000000LL

/* Pushes a status numbered i from pnid at now_ms (opaque "job-<i>"); returns the drops. */
static size_t push(struct statq *q, const char *pnid, int i, int64_t now_ms)
{
	char wamid[STATQ_ID_MAX], opaque[32];
	struct statq_status st = { .pnid = pnid, .to = "393330000001", .wamid = wamid,
	                           .opaque = opaque, .ts_s = 1700000000 };

	snprintf(wamid, sizeof(wamid), "wamid.%d", i);
	snprintf(opaque, sizeof(opaque), "job-%d", i);
	return statq_push(q, &st, now_ms);
}

/* The number in the wamid of b's i-th status. */
static int num(const struct statq_batch *b, size_t i)
{
	return atoi(b->v[i]->wamid + 6);
}

/* Statuses are due status_delay_ms after their push, not before. */
static void test_delay(void **state)
{
	struct statq q;
	struct statq_batch b;
	(void)state;

	statq_init(&q, 100);
	push(&q, PNID_A, 1, T0);
	push(&q, PNID_A, 2, T0 + 50);
	assert_int_equal(statq_take(&q, T0 + 99, 100, &b), 0);
	assert_int_equal(statq_take(&q, T0 + 100, 100, &b), 1);
	assert_int_equal(num(&b, 0), 1);
	assert_string_equal(b.v[0]->opaque, "job-1");
	assert_int_equal(statq_take(&q, T0 + 149, 100, &b), 0);   /* 1 in flight, 2 too young */
	assert_int_equal(statq_take(&q, T0 + 150, 100, &b), 1);
	assert_int_equal(num(&b, 0), 2);
	assert_int_equal(statq_pending(&q), 2);
	assert_int_equal(q.in_flight, 2);
	statq_clear(&q);
	assert_int_equal(statq_pending(&q), 0);
}

/* One batch per phone-number id, oldest first, at most STATQ_BATCH_MAX statuses. */
static void test_grouping(void **state)
{
	struct statq q;
	struct statq_batch b;
	(void)state;

	statq_init(&q, 10000);
	for (int i = 0; i < 1200; i++)
		push(&q, i % 3 == 2 ? PNID_B : PNID_A, i, T0);
	/* 800 of A: 500 then 300; 400 of B. */
	assert_int_equal(statq_take(&q, T0, 0, &b), STATQ_BATCH_MAX);
	for (size_t i = 0; i < b.n; i++)
		assert_string_equal(b.v[i]->pnid, PNID_A);
	assert_int_equal(num(&b, 0), 0);
	assert_int_equal(num(&b, 1), 1);
	assert_int_equal(num(&b, 2), 3);
	statq_done(&q, &b, true, T0);
	assert_int_equal(b.n, 0);
	assert_int_equal(statq_take(&q, T0, 0, &b), 400);   /* B's turn: its oldest is oldest now */
	assert_string_equal(b.v[0]->pnid, PNID_B);
	assert_int_equal(num(&b, 0), 2);
	statq_done(&q, &b, true, T0);
	assert_int_equal(statq_take(&q, T0, 0, &b), 300);
	assert_string_equal(b.v[299]->pnid, PNID_A);
	statq_done(&q, &b, true, T0);
	assert_int_equal(statq_take(&q, T0, 0, &b), 0);
	assert_int_equal(statq_pending(&q), 0);
	assert_int_equal(q.in_flight, 0);
}

/* A failed POST keeps its statuses, retried after a backoff that doubles up to a cap. */
static void test_retry(void **state)
{
	struct statq q;
	struct statq_batch b;
	int64_t now = T0;
	(void)state;

	assert_int_equal(statq_backoff_ms(1), STATQ_BACKOFF_MIN_MS);
	assert_int_equal(statq_backoff_ms(2), 2 * STATQ_BACKOFF_MIN_MS);
	assert_int_equal(statq_backoff_ms(3), 4 * STATQ_BACKOFF_MIN_MS);
	assert_int_equal(statq_backoff_ms(40), STATQ_BACKOFF_MAX_MS);
	statq_init(&q, 100);
	push(&q, PNID_A, 1, now);
	push(&q, PNID_A, 2, now);
	assert_int_equal(statq_take(&q, now, 0, &b), 2);
	statq_done(&q, &b, false, now);
	assert_int_equal(statq_pending(&q), 2);
	assert_int_equal(q.in_flight, 0);
	push(&q, PNID_A, 3, now);                               /* a fresh one is not held back */
	assert_int_equal(statq_take(&q, now, 0, &b), 1);
	assert_int_equal(num(&b, 0), 3);
	statq_done(&q, &b, true, now);
	assert_int_equal(statq_take(&q, now + STATQ_BACKOFF_MIN_MS - 1, 0, &b), 0);
	now += STATQ_BACKOFF_MIN_MS;
	assert_int_equal(statq_take(&q, now, 0, &b), 2);
	assert_int_equal(b.v[0]->attempts, 1);
	statq_done(&q, &b, false, now);                          /* second failure: twice as long */
	assert_int_equal(statq_take(&q, now + 2 * STATQ_BACKOFF_MIN_MS - 1, 0, &b), 0);
	now += 2 * STATQ_BACKOFF_MIN_MS;
	assert_int_equal(statq_take(&q, now, 0, &b), 2);
	assert_int_equal(b.v[0]->attempts, 2);
	statq_done(&q, &b, true, now);
	assert_int_equal(statq_pending(&q), 0);
}

/* Beyond max the oldest not in flight is dropped; if all are in flight, the new one. */
static void test_bound(void **state)
{
	struct statq q;
	struct statq_batch b;
	(void)state;

	statq_init(&q, 3);
	assert_int_equal(push(&q, PNID_A, 1, T0), 0);
	assert_int_equal(push(&q, PNID_A, 2, T0), 0);
	assert_int_equal(push(&q, PNID_A, 3, T0), 0);
	assert_int_equal(push(&q, PNID_A, 4, T0), 1);           /* 1 dropped */
	assert_int_equal(statq_pending(&q), 3);
	assert_int_equal(statq_take(&q, T0, 0, &b), 3);
	assert_int_equal(num(&b, 0), 2);
	assert_int_equal(num(&b, 2), 4);
	assert_int_equal(push(&q, PNID_A, 5, T0), 1);           /* all in flight: 5 dropped */
	assert_int_equal(statq_pending(&q), 3);
	statq_done(&q, &b, false, T0);
	assert_int_equal(push(&q, PNID_A, 6, T0), 1);           /* 2 dropped, though it failed */
	assert_int_equal(statq_take(&q, T0 + STATQ_BACKOFF_MIN_MS, 0, &b), 3);
	assert_int_equal(num(&b, 0), 3);
	assert_int_equal(num(&b, 1), 4);
	assert_int_equal(num(&b, 2), 6);
	statq_done(&q, &b, true, T0);
	assert_int_equal(statq_pending(&q), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_delay),
		cmocka_unit_test(test_grouping),
		cmocka_unit_test(test_retry),
		cmocka_unit_test(test_bound),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

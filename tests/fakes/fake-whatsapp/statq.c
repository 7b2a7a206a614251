/* Queue of delivery statuses to send: batches, retries with backoff, a bound. */
#include "statq.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

void statq_init(struct statq *q, size_t max)
{
	*q = (struct statq){ .max = max > 0 ? max : 1 };
}

/* Unlinks it from q and frees it. */
static void statq_remove(struct statq *q, struct statq_item *it)
{
	if (it->prev != NULL)
		it->prev->next = it->next;
	else
		q->head = it->next;
	if (it->next != NULL)
		it->next->prev = it->prev;
	else
		q->tail = it->prev;
	if (it->in_flight)
		q->in_flight--;
	q->n--;
	free(it->opaque);
	free(it);
}

void statq_clear(struct statq *q)
{
	while (q->head != NULL)
		statq_remove(q, q->head);
}

/* Drops the oldest status not in flight; false if every one is in flight. */
static bool statq_drop_oldest(struct statq *q)
{
	struct statq_item *it;

	for (it = q->head; it != NULL && it->in_flight; it = it->next)
		;
	if (it == NULL)
		return false;
	statq_remove(q, it);
	return true;
}

size_t statq_push(struct statq *q, const struct statq_status *st, int64_t now_ms)
{
	struct statq_item *it;
	size_t dropped = 0;

	if (q->n >= q->max) {
		if (!statq_drop_oldest(q))
			return 1;
		dropped = 1;
	}
	it = xcalloc(1, sizeof(*it));
	it->accepted_ms = now_ms;
	it->ts_s = st->ts_s;
	it->opaque = st->opaque != NULL ? xstrdup(st->opaque) : NULL;
	snprintf(it->pnid, sizeof(it->pnid), "%s", st->pnid);
	snprintf(it->wamid, sizeof(it->wamid), "%s", st->wamid);
	snprintf(it->to, sizeof(it->to), "%s", st->to);
	it->prev = q->tail;
	if (q->tail != NULL)
		q->tail->next = it;
	else
		q->head = it;
	q->tail = it;
	q->n++;
	return dropped;
}

size_t statq_take(struct statq *q, int64_t now_ms, long delay_ms, struct statq_batch *b)
{
	const char *pnid = NULL;

	b->n = 0;
	for (struct statq_item *it = q->head; it != NULL && b->n < STATQ_BATCH_MAX; it = it->next) {
		/* Pushed in time order: the rest are younger still. */
		if (it->accepted_ms + delay_ms > now_ms)
			break;
		if (it->in_flight || it->retry_ms > now_ms)
			continue;
		if (pnid == NULL)
			pnid = it->pnid;
		else if (strcmp(pnid, it->pnid) != 0)
			continue;
		it->in_flight = true;
		q->in_flight++;
		b->v[b->n++] = it;
	}
	return b->n;
}

void statq_done(struct statq *q, struct statq_batch *b, bool ok, int64_t now_ms)
{
	for (size_t i = 0; i < b->n; i++) {
		struct statq_item *it = b->v[i];
		if (ok) {
			statq_remove(q, it);
			continue;
		}
		it->in_flight = false;
		q->in_flight--;
		it->attempts++;
		it->retry_ms = now_ms + statq_backoff_ms(it->attempts);
	}
	b->n = 0;
}

long statq_backoff_ms(unsigned attempts)
{
	long ms = STATQ_BACKOFF_MIN_MS;

	for (unsigned i = 1; i < attempts && ms < STATQ_BACKOFF_MAX_MS; i++)
		ms *= 2;
	return ms < STATQ_BACKOFF_MAX_MS ? ms : STATQ_BACKOFF_MAX_MS;
}

size_t statq_pending(const struct statq *q)
{
	return q->n;
}

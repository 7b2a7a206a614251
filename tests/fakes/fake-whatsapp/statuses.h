/*
 * Delivery-status webhooks: what Meta POSTs after it has accepted a send.
 * With the knob status_webhooks on (and FAKE_WA_WEBHOOK_URL set), every
 * accepted send queues a "sent" status carrying the send's wamid,
 * recipient and biz_opaque_callback_data. A libevent timer (every
 * STATUSES_TICK_MS) sends those accepted at least status_delay_ms ago:
 * one webhook per phone-number id, up to STATQ_BATCH_MAX statuses each,
 * in Meta's shape, serialized and signed as webhook.h says. Statuses the
 * receiver does not answer 200 are sent again later with backoff (statq.h);
 * at most STATUSES_MAX_PENDING are held, the oldest dropped beyond.
 * Turning the knob off stops queueing; what is queued is still sent.
 */
#ifndef FAKE_WA_STATUSES_H
#define FAKE_WA_STATUSES_H

#include <jansson.h>
#include <stdint.h>

struct fake;
struct statq_batch;
struct statuses;

#define STATUSES_TICK_MS     50
#define STATUSES_MAX_POSTS   16        /* webhook POSTs in flight at once */
#define STATUSES_MAX_PENDING 100000

/*
 * Statuses for fk (which must outlive them), with their timer on fk->srv.base.
 * NULL if the timer cannot be set up. Free with statuses_free.
 */
struct statuses *statuses_new(struct fake *fk);
/*
 * Frees ss and what it holds, once the loop has stopped (POSTs still in
 * flight are abandoned: their answers must never come). NULL is fine.
 */
void statuses_free(struct statuses *ss);
/*
 * A send from pnid to `to` was accepted at ts_ms (wall clock) as wamid;
 * opaque is its biz_opaque_callback_data or NULL. Queues its status if
 * the knob is on. Copies what it keeps.
 */
void statuses_accepted(struct statuses *ss, const char *pnid, const char *to,
                       const char *wamid, const char *opaque, int64_t ts_ms);
/* Statuses the receiver took (answered 200) since start or statuses_reset_sent. */
long statuses_sent(const struct statuses *ss);
/* Statuses held: waiting, in flight or to be retried. */
long statuses_pending(const struct statuses *ss);
/* Zeroes the sent counter (DELETE /_fake/stats). */
void statuses_reset_sent(struct statuses *ss);
/*
 * The webhook payload for the statuses of b (all of one phone-number id),
 * as Meta sends it. New reference.
 */
json_t *statuses_payload(const char *waba_id, const char *display_number,
                         const struct statq_batch *b);

#endif

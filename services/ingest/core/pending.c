/*
 * Request contexts waiting for N Kafka acknowledgements. All of this
 * runs on the event-loop thread (acks are served there by kq_watch).
 */
#include "core/pending.h"

#include <event2/event.h>
#include <event2/http.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "kafka.h"
#include "log.h"
#include "xmalloc.h"
#include "core/ingest.h"
#include "core/ingest_metrics.h"
#include "core/reply.h"

struct pending {
	struct ingest *ing;
	struct evhttp_request *req;  /* NULL once answered */
	const char *what;
	struct metric *ok_metric;
	long outstanding;            /* produces not acked yet, + 1 until finished */
	long produced;
	long failed;
	struct event *timer;
	int ok_code;
	json_t *ok_body;
	char *ok_html;               /* instead of ok_body: pending_finish_html */
	struct pending *prev, *next; /* live list */
};

static struct pending *live_head;
static long live_count;

struct pending *pending_new(struct ingest *ing, struct evhttp_request *req,
                            const char *what, struct metric *ok_metric)
{
	struct pending *p = xcalloc(1, sizeof(*p));

	p->ing = ing;
	p->req = req;
	p->what = what;
	p->ok_metric = ok_metric;
	/* The hold: acks served while we are still producing (kq_produce polls
	 * on back-pressure) must not complete the request early. */
	p->outstanding = 1;
	p->next = live_head;
	if (live_head != NULL)
		live_head->prev = p;
	live_head = p;
	live_count++;
	metric_set(&im_inflight, live_count);
	return p;
}

/* Unlinks and frees a context that has no acks to wait for. */
static void pending_free(struct pending *p)
{
	if (p->prev != NULL)
		p->prev->next = p->next;
	else
		live_head = p->next;
	if (p->next != NULL)
		p->next->prev = p->prev;
	live_count--;
	metric_set(&im_inflight, live_count);
	if (p->timer != NULL)
		event_free(p->timer);
	json_decref(p->ok_body);
	free(p->ok_html);
	free(p);
}

/* Answers 503 once, if not answered yet. */
static void pending_fail(struct pending *p, const char *error, const char *why)
{
	if (p->req == NULL)
		return;
	log_warn("ingest.kafka_unavailable", "%s: %s (%ld events, %ld failed)",
	         p->what, why, p->produced, p->failed);
	reply_error(p->req, 503, error, "%s; retry later", why);
	p->req = NULL;
}

/* Completes the request when nothing is outstanding any more. */
static void pending_settle(struct pending *p)
{
	if (p->failed > 0)
		pending_fail(p, "kafka_unavailable", "an event was not acknowledged by Kafka");
	if (p->outstanding > 0)
		return;
	if (p->req != NULL) {
		if (p->ok_metric != NULL)
			metric_add(p->ok_metric, 1);
		if (p->ok_html != NULL)
			reply_html(p->req, p->ok_code, p->ok_html);
		else
			reply_json(p->req, p->ok_code, p->ok_body);
		p->ok_body = NULL;
		p->ok_html = NULL;
		p->req = NULL;
	}
	pending_free(p);
}

/* Kafka acknowledged (or gave up on) one of our events. */
static void pending_ack(void *arg, rd_kafka_resp_err_t err)
{
	struct pending *p = arg;

	p->outstanding--;
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		p->failed++;
		metric_add(&im_produce_failed, 1);
	} else {
		metric_add(&im_produced, 1);
	}
	pending_settle(p);
}

void pending_produce(struct pending *p, const char *topic, const char *key,
                     const void *val, size_t len)
{
	p->produced++;
	if (kq_produce(p->ing->kp, topic, key, strlen(key), val, len, pending_ack, p) != 0) {
		p->failed++;
		metric_add(&im_produce_failed, 1);
		return;
	}
	p->outstanding++;
}

/* The acks took too long: answer 503 now, keep waiting to free. */
static void pending_on_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct pending *p = arg;

	if (p->req != NULL) {
		metric_add(&im_ack_timeouts, 1);
		pending_fail(p, "kafka_timeout", "Kafka did not acknowledge in time");
	}
}

void pending_finish(struct pending *p, int code, json_t *body)
{
	struct timeval tv = clock_timeval(p->ing->ack_timeout_ms);

	p->ok_code = code;
	p->ok_body = body;
	p->outstanding--;   /* release the hold */
	if (p->outstanding > 0 && p->failed == 0) {
		p->timer = evtimer_new(p->ing->base, pending_on_timeout, p);
		if (p->timer == NULL || evtimer_add(p->timer, &tv) != 0)
			log_error("ingest.timer_failed", "%s: no ack timer", p->what);
	}
	pending_settle(p);
}

void pending_finish_html(struct pending *p, int code, char *html)
{
	p->ok_html = html;
	pending_finish(p, code, NULL);
}

long pending_live(void)
{
	return live_count;
}

void pending_abandon_all(void)
{
	for (struct pending *p = live_head; p != NULL; p = p->next)
		pending_fail(p, "shutting_down", "the service is shutting down");
}

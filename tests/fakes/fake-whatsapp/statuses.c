/*
 * Delivery-status webhooks, driven by a timer: each tick takes the due
 * statuses from the queue (statq.c) batch by batch and POSTs each batch
 * through webhook.c; the answer settles the batch (freed, or kept for a
 * retry). Warnings about a failing receiver or dropped statuses are
 * logged at most every STATUSES_WARN_MS, with what happened meanwhile.
 */
#include "statuses.h"

#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "crypto.h"
#include "fake.h"
#include "log.h"
#include "statq.h"
#include "webhook.h"
#include "xmalloc.h"

#define STATUSES_WARN_MS 10000

/* A warning logged at most every STATUSES_WARN_MS: what it counts meanwhile. */
struct statuses_warn {
	int64_t last_ms;
	long    count;
};

struct statuses {
	struct fake          *fk;
	struct event         *tick;                        /* ours, persistent */
	struct statq          q;
	struct statuses_post *posts[STATUSES_MAX_POSTS];   /* in flight; NULL: free slot */
	size_t                nposts;
	long                  sent;
	struct statuses_warn  failed, dropped;
};

/* One webhook POST in flight: its statuses. */
struct statuses_post {
	struct statuses   *ss;
	size_t             slot;      /* index in ss->posts */
	struct statq_batch b;
};

/* One status object, as Meta writes it. New reference. */
static json_t *statuses_item_json(const struct statq_item *it)
{
	char ts[24], key[STATQ_ID_MAX + STATQ_TO_MAX], conv[SHA256_HEX_LEN + 1];
	json_t *s;

	snprintf(ts, sizeof(ts), "%lld", (long long)it->ts_s);
	/* One conversation per business number and recipient, as Meta opens them. */
	snprintf(key, sizeof(key), "%s/%s", it->pnid, it->to);
	sha256_hex(key, strlen(key), conv);
	conv[32] = '\0';
	s = json_pack("{s:s, s:s, s:s, s:s}", "id", it->wamid, "status", "sent", "timestamp", ts,
	              "recipient_id", it->to);
	if (it->opaque != NULL)
		json_object_set_new(s, "biz_opaque_callback_data", json_string(it->opaque));
	json_object_set_new(s, "conversation",
	                    json_pack("{s:s, s:{s:s}}", "id", conv, "origin", "type", "utility"));
	json_object_set_new(s, "pricing", json_pack("{s:b, s:s, s:s}", "billable", 1,
	                                            "pricing_model", "PMP", "category", "utility"));
	return s;
}

json_t *statuses_payload(const char *waba_id, const char *display_number,
                         const struct statq_batch *b)
{
	json_t *list = json_array();

	for (size_t i = 0; i < b->n; i++)
		json_array_append_new(list, statuses_item_json(b->v[i]));
	return json_pack(
	    "{s:s, s:[{s:s, s:[{s:{s:s, s:{s:s, s:s}, s:o}, s:s}]}]}",
	    "object", "whatsapp_business_account",
	    "entry",
	      "id", waba_id,
	      "changes",
	        "value",
	          "messaging_product", "whatsapp",
	          "metadata", "display_phone_number", display_number,
	                      "phone_number_id", b->n > 0 ? b->v[0]->pnid : "",
	          "statuses", list,
	        "field", "messages");
}

/* Counts n into w; true if its warning is due now (then log w->count and zero it). */
static bool statuses_warn_due(struct statuses_warn *w, long n, int64_t now_ms)
{
	w->count += n;
	if (now_ms - w->last_ms < STATUSES_WARN_MS)
		return false;
	w->last_ms = now_ms;
	return true;
}

/* Logs (at most every STATUSES_WARN_MS) that a POST of n statuses failed. */
static void statuses_warn_failed(struct statuses *ss, size_t n, int status, const char *why,
                                 int64_t now_ms)
{
	if (!statuses_warn_due(&ss->failed, (long)n, now_ms))
		return;
	if (status != 0)
		log_warn("fake.statuses_failed", "webhook receiver answered %d: %ld status(es) to "
		         "retry since the last warning, %zu held", status, ss->failed.count,
		         statq_pending(&ss->q));
	else
		log_warn("fake.statuses_failed", "webhook POST failed (%s): %ld status(es) to "
		         "retry since the last warning, %zu held", why, ss->failed.count,
		         statq_pending(&ss->q));
	ss->failed.count = 0;
}

/* The POST of post ended with status (0: none; why says more): settles and frees post. */
static void statuses_post_end(struct statuses_post *post, int status, const char *why)
{
	struct statuses *ss = post->ss;
	int64_t now = clock_mono_ms();
	bool ok = status == 200;

	if (ok) {
		ss->sent += (long)post->b.n;
		log_debug("fake.statuses_sent", "%zu status(es) of %s taken", post->b.n,
		          post->b.v[0]->pnid);
	} else {
		statuses_warn_failed(ss, post->b.n, status, why, now);
	}
	statq_done(&ss->q, &post->b, ok, now);
	ss->posts[post->slot] = NULL;
	ss->nposts--;
	free(post);
}

/* The receiver answered a POST (fk_post_done_fn). */
static void statuses_on_done(int status, void *arg)
{
	statuses_post_end(arg, status, "no answer");
}

/* Sends post's statuses. post may be gone when this returns. */
static void statuses_send(struct statuses *ss, struct statuses_post *post)
{
	const struct fake_cfg *cfg = &ss->fk->cfg;
	json_t *payload = statuses_payload(cfg->waba_id, cfg->display_number, &post->b);
	char err[256] = "cannot serialize the statuses";
	size_t len = 0;
	char *body = webhook_serialize(payload, &len);
	int rc = -1;

	json_decref(payload);
	if (body != NULL)
		rc = webhook_post(ss->fk->srv.base, cfg->webhook_url, cfg->app_secret, body, len,
		                  statuses_on_done, post, err, sizeof(err));
	free(body);
	if (rc != 0)
		statuses_post_end(post, 0, err);
}

/* A free slot of ss->posts (there is one: nposts < STATUSES_MAX_POSTS). */
static size_t statuses_free_slot(const struct statuses *ss)
{
	size_t i = 0;

	while (ss->posts[i] != NULL)
		i++;
	return i;
}

/* Timer: POSTs what is due, as long as POSTs may start. */
static void statuses_on_tick(evutil_socket_t fd, short what, void *arg)
{
	struct statuses *ss = arg;
	int64_t now = clock_mono_ms();
	struct statuses_post *post;
	(void)fd;
	(void)what;

	while (ss->nposts < STATUSES_MAX_POSTS && statq_pending(&ss->q) > ss->q.in_flight) {
		post = xmalloc(sizeof(*post));
		if (statq_take(&ss->q, now, ss->fk->knobs.status_delay_ms, &post->b) == 0) {
			free(post);
			return;
		}
		post->ss = ss;
		post->slot = statuses_free_slot(ss);
		ss->posts[post->slot] = post;
		ss->nposts++;
		statuses_send(ss, post);
	}
}

struct statuses *statuses_new(struct fake *fk)
{
	struct statuses *ss = xcalloc(1, sizeof(*ss));
	struct timeval tv = { 0, STATUSES_TICK_MS * 1000 };

	ss->fk = fk;
	statq_init(&ss->q, STATUSES_MAX_PENDING);
	ss->failed.last_ms = ss->dropped.last_ms = -STATUSES_WARN_MS;
	ss->tick = event_new(fk->srv.base, -1, EV_PERSIST, statuses_on_tick, ss);
	if (ss->tick == NULL || event_add(ss->tick, &tv) != 0) {
		statuses_free(ss);
		return NULL;
	}
	return ss;
}

void statuses_free(struct statuses *ss)
{
	if (ss == NULL)
		return;
	if (ss->tick != NULL)
		event_free(ss->tick);
	for (size_t i = 0; i < STATUSES_MAX_POSTS; i++)
		free(ss->posts[i]);
	statq_clear(&ss->q);
	free(ss);
}

void statuses_accepted(struct statuses *ss, const char *pnid, const char *to,
                       const char *wamid, const char *opaque, int64_t ts_ms)
{
	const struct statq_status st = { .pnid = pnid, .to = to, .wamid = wamid,
	                                 .opaque = opaque, .ts_s = ts_ms / 1000 };
	int64_t now = clock_mono_ms();

	if (!ss->fk->knobs.status_webhooks || ss->fk->cfg.webhook_url[0] == '\0')
		return;
	if (statq_push(&ss->q, &st, now) == 0)
		return;
	if (statuses_warn_due(&ss->dropped, 1, now)) {
		log_warn("fake.statuses_dropped", "more than %d statuses held: %ld oldest dropped "
		         "since the last warning", STATUSES_MAX_PENDING, ss->dropped.count);
		ss->dropped.count = 0;
	}
}

long statuses_sent(const struct statuses *ss)
{
	return ss->sent;
}

long statuses_pending(const struct statuses *ss)
{
	return (long)statq_pending(&ss->q);
}

void statuses_reset_sent(struct statuses *ss)
{
	ss->sent = 0;
}

/*
 * Telegram's flood limits, as the fake applies them to sendMessage: about
 * 30 messages/second per bot and about 1 message/second per chat (short
 * bursts tolerated). Above either the Bot API answers 429 "Too Many
 * Requests: retry after N" with parameters.retry_after = N seconds.
 * Token buckets; a rate of 0 turns a limit off (the default: tests that
 * want the limits set FAKE_TG_RATE / FAKE_TG_CHAT_RATE or POST
 * /_fake/config {"rate":30,"chat_rate":1}).
 */
#ifndef FAKE_TG_THROTTLE_H
#define FAKE_TG_THROTTLE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct throttle;

/* The knobs (GET/POST /_fake/config). */
struct throttle_cfg {
	double rate;         /* messages/s per bot (0: no limit) */
	double burst;        /* at once per bot (0: rate/4, at least 1) */
	double chat_rate;    /* messages/s per chat (0: no limit) */
	double chat_burst;   /* at once per chat (at least 1) */
};

struct throttle *throttle_new(const struct throttle_cfg *cfg);
void throttle_free(struct throttle *th);

/*
 * Takes a send to chat (its chat_id as sent) at now_ms: 0 if allowed,
 * else the seconds to wait (>= 1), counted as throttled.
 */
long throttle_take(struct throttle *th, const char *chat, int64_t now_ms);
/* Sends refused so far. */
long throttle_count(const struct throttle *th);
/* Applies a POST /_fake/config body (only the keys given); -1 with err if wrong. */
int throttle_apply(struct throttle *th, const json_t *in, char *err, size_t errlen)
    __attribute__((warn_unused_result));
/* The knobs as JSON. New reference. */
json_t *throttle_json(const struct throttle *th);

#endif

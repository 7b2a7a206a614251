/* Telegram's per-bot and per-chat flood limits: token buckets, 429 with retry_after. */
#include "throttle.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

#define CHAT_BUCKETS 4096

/* A token bucket. */
struct tbk {
	double  tokens;
	int64_t last_ms;   /* 0: never used (full) */
};

/* One chat's bucket. */
struct chat_tbk {
	struct chat_tbk *next;
	struct tbk       b;
	char             chat[];
};

struct throttle {
	struct throttle_cfg cfg;
	struct tbk          bot;
	struct chat_tbk    *chats[CHAT_BUCKETS];
	long                throttled;
};

struct throttle *throttle_new(const struct throttle_cfg *cfg)
{
	struct throttle *th = xcalloc(1, sizeof(*th));

	th->cfg = *cfg;
	return th;
}

void throttle_free(struct throttle *th)
{
	if (th == NULL)
		return;
	for (size_t i = 0; i < CHAT_BUCKETS; i++) {
		struct chat_tbk *c = th->chats[i], *next;
		for (; c != NULL; c = next) {
			next = c->next;
			free(c);
		}
	}
	free(th);
}

/* Refills b to now_ms; the tokens there are then. */
static double tbk_refill(struct tbk *b, double rate, double burst, int64_t now_ms)
{
	if (b->last_ms == 0) {
		b->tokens = burst;
	} else if (now_ms > b->last_ms) {
		b->tokens += rate * (double)(now_ms - b->last_ms) / 1000.0;
		if (b->tokens > burst)
			b->tokens = burst;
	}
	if (now_ms > b->last_ms)
		b->last_ms = now_ms;
	return b->tokens;
}

/* Seconds until b has a token (>= 1), or 0 if it has one now. */
static long tbk_wait_s(struct tbk *b, double rate, double burst, int64_t now_ms)
{
	double have = tbk_refill(b, rate, burst, now_ms);

	if (have >= 1.0)
		return 0;
	long s = (long)ceil((1.0 - have) / rate);
	return s < 1 ? 1 : s;
}

/* The bucket of chat, created on first use. */
static struct tbk *chat_bucket(struct throttle *th, const char *chat)
{
	uint32_t h = 2166136261u;
	struct chat_tbk *c;

	for (const char *p = chat; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	h %= CHAT_BUCKETS;
	for (c = th->chats[h]; c != NULL; c = c->next)
		if (strcmp(c->chat, chat) == 0)
			return &c->b;
	c = xcalloc(1, sizeof(*c) + strlen(chat) + 1);
	strcpy(c->chat, chat);
	c->next = th->chats[h];
	th->chats[h] = c;
	return &c->b;
}

long throttle_take(struct throttle *th, const char *chat, int64_t now_ms)
{
	const struct throttle_cfg *cfg = &th->cfg;
	double burst = cfg->burst > 0 ? cfg->burst : fmax(1.0, cfg->rate / 4.0);
	double chat_burst = fmax(1.0, cfg->chat_burst);
	struct tbk *cb = NULL;
	long wait = 0, w;

	if (cfg->rate > 0)
		wait = tbk_wait_s(&th->bot, cfg->rate, burst, now_ms);
	if (cfg->chat_rate > 0 && chat != NULL) {
		cb = chat_bucket(th, chat);
		w = tbk_wait_s(cb, cfg->chat_rate, chat_burst, now_ms);
		wait = w > wait ? w : wait;
	}
	if (wait > 0) {
		th->throttled++;
		return wait;
	}
	if (cfg->rate > 0)
		th->bot.tokens -= 1.0;
	if (cb != NULL)
		cb->tokens -= 1.0;
	return 0;
}

long throttle_count(const struct throttle *th)
{
	return th->throttled;
}

/* Reads key of in into *out if present; false if present but not a number in [0, 1e6]. */
static bool throttle_number(const json_t *in, const char *key, double *out)
{
	const json_t *v = json_object_get(in, key);

	if (v == NULL)
		return true;
	if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > 1e6)
		return false;
	*out = json_number_value(v);
	return true;
}

int throttle_apply(struct throttle *th, const json_t *in, char *err, size_t errlen)
{
	static const char *const known[] = { "rate", "burst", "chat_rate", "chat_burst", NULL };
	struct throttle_cfg c = th->cfg;
	const char *key;
	json_t *v;

	if (!json_is_object(in)) {
		snprintf(err, errlen, "want a JSON object");
		return -1;
	}
	json_object_foreach((json_t *)in, key, v) {
		size_t i;
		for (i = 0; known[i] != NULL && strcmp(known[i], key) != 0; i++)
			;
		if (known[i] == NULL) {
			snprintf(err, errlen, "unknown knob \"%s\" (rate, burst, chat_rate, chat_burst)",
			         key);
			return -1;
		}
	}
	if (!throttle_number(in, "rate", &c.rate) || !throttle_number(in, "burst", &c.burst) ||
	    !throttle_number(in, "chat_rate", &c.chat_rate) ||
	    !throttle_number(in, "chat_burst", &c.chat_burst)) {
		snprintf(err, errlen, "knobs are numbers >= 0");
		return -1;
	}
	th->cfg = c;
	return 0;
}

json_t *throttle_json(const struct throttle *th)
{
	return json_pack("{s:f, s:f, s:f, s:f, s:I}", "rate", th->cfg.rate, "burst", th->cfg.burst,
	                 "chat_rate", th->cfg.chat_rate, "chat_burst", th->cfg.chat_burst,
	                 "throttled", (json_int_t)th->throttled);
}

/* Telegram's per-bot and per-chat flood limits: token buckets, 429 with retry_after. */
#include "throttle.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "fk_bucket.h"
#include "fk_control.h"
#include "xmalloc.h"

struct throttle {
	struct throttle_cfg cfg;
	struct fk_bucket    bot;
	struct fk_buckets   chats;     /* by chat_id as sent */
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
	fk_buckets_clear(&th->chats);
	free(th);
}

/* Seconds until b has a token (>= 1), or 0 if it has one now. */
static long tbk_wait_s(struct fk_bucket *b, double rate, double burst, int64_t now_ms)
{
	double have = fk_bucket_refill(b, rate, burst, now_ms);

	if (have >= 1.0)
		return 0;
	long s = (long)ceil((1.0 - have) / rate);
	return s < 1 ? 1 : s;
}

long throttle_take(struct throttle *th, const char *chat, int64_t now_ms)
{
	const struct throttle_cfg *cfg = &th->cfg;
	double burst = cfg->burst > 0 ? cfg->burst : fk_bucket_default_burst(cfg->rate);
	double chat_burst = fmax(1.0, cfg->chat_burst);
	struct fk_bucket *cb = NULL;
	long wait = 0, w;

	if (cfg->rate > 0)
		wait = tbk_wait_s(&th->bot, cfg->rate, burst, now_ms);
	if (cfg->chat_rate > 0 && chat != NULL) {
		cb = fk_buckets_get(&th->chats, chat);
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

	if (fk_control_keys(in, known, err, errlen) != 0)
		return -1;
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

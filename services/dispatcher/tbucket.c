/* Token buckets (tbucket.h). */
#include "tbucket.h"

#include <math.h>

void tb_init(struct tbucket *tb, double rate, double burst, int64_t now_ms)
{
	tb->rate = rate > 0 ? rate : 1;
	tb->burst = burst >= 1 ? burst : 1;
	tb->tokens = tb->burst;
	tb->last_ms = now_ms;
}

/* Adds what flowed in since the last refill. A hold leaves last_ms in the future. */
static void tb_refill(struct tbucket *tb, int64_t now_ms)
{
	if (now_ms <= tb->last_ms)
		return;
	tb->tokens += (double)(now_ms - tb->last_ms) * tb->rate / 1000.0;
	if (tb->tokens > tb->burst)
		tb->tokens = tb->burst;
	tb->last_ms = now_ms;
}

void tb_set(struct tbucket *tb, double rate, double burst, int64_t now_ms)
{
	tb_refill(tb, now_ms);
	tb->rate = rate > 0 ? rate : 1;
	tb->burst = burst >= 1 ? burst : 1;
	if (tb->tokens > tb->burst)
		tb->tokens = tb->burst;
}

int64_t tb_wait(struct tbucket *tb, int64_t now_ms)
{
	tb_refill(tb, now_ms);
	if (now_ms < tb->last_ms)            /* held */
		return tb->last_ms - now_ms + (int64_t)ceil((1.0 - tb->tokens) * 1000.0 / tb->rate);
	if (tb->tokens >= 1.0)
		return 0;
	return (int64_t)ceil((1.0 - tb->tokens) * 1000.0 / tb->rate);
}

int64_t tb_take(struct tbucket *tb, int64_t now_ms)
{
	int64_t w = tb_wait(tb, now_ms);

	if (w == 0)
		tb->tokens -= 1.0;
	return w;
}

void tb_hold(struct tbucket *tb, int64_t now_ms, int64_t ms)
{
	tb_refill(tb, now_ms);
	tb->tokens = 0;
	if (now_ms + ms > tb->last_ms)
		tb->last_ms = now_ms + ms;
}

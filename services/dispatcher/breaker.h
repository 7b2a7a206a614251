/*
 * Circuit breaker of one provider endpoint (WhatsApp, Telegram). States:
 *   CLOSED     requests flow; K consecutive failures (transport error,
 *              5xx) open it
 *   OPEN       nothing is sent until the cool-down has passed
 *   HALF_OPEN  one probe request: success closes, failure re-opens
 * Answers of requests started before the breaker opened are ignored
 * while it is open.
 */
#ifndef DSP_BREAKER_H
#define DSP_BREAKER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

enum br_state { BR_CLOSED, BR_OPEN, BR_HALF_OPEN };

struct breaker {
	const char   *name;       /* for logs */
	enum br_state st;
	unsigned      fails;      /* consecutive, while closed */
	unsigned      threshold;  /* K */
	long          cooldown_ms;
	int64_t       open_until;
	bool          probe_out;  /* half-open: the probe is in flight */
	atomic_int   *pub;        /* NULL, or where each new state is stored (metrics) */
};

/* pub starts NULL: set it after br_init to publish the state. */
void br_init(struct breaker *br, const char *name, unsigned threshold, long cooldown_ms);
/* May a request start now? In HALF_OPEN the one that gets true is the probe. */
bool br_allow(struct breaker *br, int64_t now_ms);
/* ms until br_allow may say yes (0 if it does now). */
int64_t br_wait(const struct breaker *br, int64_t now_ms);
void br_success(struct breaker *br, int64_t now_ms);
void br_failure(struct breaker *br, int64_t now_ms);

#endif

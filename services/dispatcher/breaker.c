/* Circuit breaker state machine (breaker.h). */
#include "breaker.h"

#include <stddef.h>

#include "log.h"

/* Sets the state, published for the metrics if asked. */
static void br_set(struct breaker *br, enum br_state st)
{
	br->st = st;
	if (br->pub != NULL)
		atomic_store(br->pub, (int)st);
}

void br_init(struct breaker *br, const char *name, unsigned threshold, long cooldown_ms)
{
	br->name = name;
	br->pub = NULL;
	br->st = BR_CLOSED;
	br->fails = 0;
	br->threshold = threshold > 0 ? threshold : 1;
	br->cooldown_ms = cooldown_ms;
	br->open_until = 0;
	br->probe_out = false;
}

/* Opens the breaker for a cool-down. */
static void br_open(struct breaker *br, int64_t now_ms)
{
	br_set(br, BR_OPEN);
	br->open_until = now_ms + br->cooldown_ms;
	br->probe_out = false;
	log_error("dispatch.breaker_open", "%s endpoint failing: nothing sent for %ld ms",
	          br->name, br->cooldown_ms);
}

bool br_allow(struct breaker *br, int64_t now_ms)
{
	switch (br->st) {
	case BR_CLOSED:
		return true;
	case BR_OPEN:
		if (now_ms < br->open_until)
			return false;
		br_set(br, BR_HALF_OPEN);
		br->probe_out = false;
		log_info("dispatch.breaker_half_open", "%s: probing with one request", br->name);
		/* fall through */
	case BR_HALF_OPEN:
		if (br->probe_out)
			return false;
		br->probe_out = true;
		return true;
	}
	return false;
}

int64_t br_wait(const struct breaker *br, int64_t now_ms)
{
	if (br->st == BR_OPEN)
		return br->open_until > now_ms ? br->open_until - now_ms : 0;
	if (br->st == BR_HALF_OPEN && br->probe_out)
		return 100;
	return 0;
}

void br_success(struct breaker *br, int64_t now_ms)
{
	(void)now_ms;
	if (br->st == BR_OPEN)
		return;
	if (br->st == BR_HALF_OPEN)
		log_info("dispatch.breaker_closed", "%s answers again", br->name);
	br_set(br, BR_CLOSED);
	br->fails = 0;
	br->probe_out = false;
}

void br_failure(struct breaker *br, int64_t now_ms)
{
	switch (br->st) {
	case BR_CLOSED:
		if (++br->fails >= br->threshold)
			br_open(br, now_ms);
		break;
	case BR_HALF_OPEN:
		br_open(br, now_ms);
		break;
	case BR_OPEN:
		break;
	}
}

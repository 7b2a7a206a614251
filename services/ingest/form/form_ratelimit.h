/*
 * In-memory rate limits for the web sign-up form: per key (a client IP,
 * a phone number), several windows at once (5 a minute and 30 a day).
 * A window opens at a key's first counted request and lasts its length;
 * a request is counted only if every window still has room. Bounded
 * memory: at most max_keys keys; expired ones are swept when the table
 * fills, and if it is still full new keys are refused (fail closed, an
 * abuse control). Single-threaded (the event loop).
 */
#ifndef BND_FORM_RATELIMIT_H
#define BND_FORM_RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

#define FRL_KEY_MAX 64
#define FRL_RULES_MAX 4

struct frl_rule {
	int64_t window_ms;
	long limit;
};

struct frl;

/* nrules <= FRL_RULES_MAX rules, copied. */
struct frl *frl_new(const struct frl_rule *rules, size_t nrules, size_t max_keys);
void frl_free(struct frl *rl);
/*
 * Counts a request for key at now_ms (a monotonic clock). Returns 0 if
 * allowed (and counted), else how many ms until it would be (nothing
 * counted). Keys longer than FRL_KEY_MAX - 1 are cut.
 */
int64_t frl_hit(struct frl *rl, const char *key, int64_t now_ms);
/* Keys held (for tests and metrics). */
size_t frl_size(const struct frl *rl);

#endif

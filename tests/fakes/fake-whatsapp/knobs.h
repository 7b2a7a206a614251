/*
 * The fake's behaviour knobs, set at start from FAKE_WA_* variables and
 * changed at run time with POST /_fake/config (only the keys given
 * change); GET /_fake/config shows them:
 *   rate            messages/second accepted per phone-number id (0: no limit)
 *   burst           how many of them may come at once (0: rate/4, at least 1)
 *   pair_period_ms  one message every this many ms per recipient (0: no limit)
 *   pair_burst      messages to one recipient that may come at once
 *   latency_ms      delay before every answer
 *   jitter_ms       plus a random 0..jitter_ms
 *   invalid_tokens  phone-number ids whose token is refused (HTTP 401, code 190)
 *   status_webhooks true: every accepted send gets a "sent" status webhook
 *                   (statuses.h)
 *   status_delay_ms how long after acceptance that status is sent (0..60000)
 */
#ifndef FAKE_WA_KNOBS_H
#define FAKE_WA_KNOBS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct limits;

struct knobs {
	double rate;
	double burst;
	long   pair_period_ms;
	double pair_burst;
	long   latency_ms;
	long   jitter_ms;
	bool   status_webhooks;
	long   status_delay_ms;
};

#define KNOBS_MAX_STATUS_DELAY_MS 60000

/* The burst in force (burst, or the default for rate). */
double knobs_burst(const struct knobs *kn);
/* The delay of the next answer: latency plus a random part of the jitter. */
long knobs_delay_ms(const struct knobs *kn);
/*
 * Applies a POST /_fake/config body to kn and (invalid_tokens) lm. Nothing
 * changes if any value is wrong: -1 with the reason in err.
 */
int knobs_apply(struct knobs *kn, struct limits *lm, const json_t *in, char *err, size_t errlen)
    __attribute__((warn_unused_result));
/* Sets the invalid-token senders from a comma-separated list. */
void knobs_set_invalid_csv(struct limits *lm, const char *csv);
/* The knobs as GET /_fake/config shows them. New reference. */
json_t *knobs_json(const struct knobs *kn, const struct limits *lm);

#endif

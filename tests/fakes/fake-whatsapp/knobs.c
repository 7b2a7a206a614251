/* Run-time knobs of the fake: parsing POST /_fake/config, showing them. */
#include "knobs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fk_control.h"
#include "limits.h"
#include "xmalloc.h"

#define KNOBS_MAX_RATE 1000000.0
#define KNOBS_MAX_MS   600000

double knobs_burst(const struct knobs *kn)
{
	return kn->burst > 0 ? kn->burst : fk_bucket_default_burst(kn->rate);
}

long knobs_delay_ms(const struct knobs *kn)
{
	long d = kn->latency_ms > 0 ? kn->latency_ms : 0;

	if (kn->jitter_ms > 0)
		d += random() % (kn->jitter_ms + 1);
	return d;
}

/* Reads a number key of in into *out if present; -1 if present but out of [0, max]. */
static int knobs_number(const json_t *in, const char *key, double max, double *out)
{
	const json_t *v = json_object_get(in, key);

	if (v == NULL)
		return 0;
	if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > max)
		return -1;
	*out = json_number_value(v);
	return 0;
}

/* Checks invalid_tokens: an array of strings (or absent). */
static int knobs_check_tokens(const json_t *v)
{
	const json_t *s;
	size_t i;

	if (v == NULL)
		return 0;
	if (!json_is_array(v))
		return -1;
	json_array_foreach(v, i, s)
		if (!json_is_string(s))
			return -1;
	return 0;
}

/* Reads the status-webhook knobs of in into k; -1 with err set if one is wrong. */
static int knobs_apply_statuses(struct knobs *k, const json_t *in, char *err, size_t errlen)
{
	const json_t *on = json_object_get(in, "status_webhooks");
	double delay = (double)k->status_delay_ms;

	if (on != NULL && !json_is_boolean(on)) {
		snprintf(err, errlen, "status_webhooks must be true or false");
		return -1;
	}
	if (knobs_number(in, "status_delay_ms", KNOBS_MAX_STATUS_DELAY_MS, &delay) != 0) {
		snprintf(err, errlen, "status_delay_ms must be a number of ms, 0 to %d",
		         KNOBS_MAX_STATUS_DELAY_MS);
		return -1;
	}
	if (on != NULL)
		k->status_webhooks = json_is_true(on);
	k->status_delay_ms = (long)delay;
	return 0;
}

int knobs_apply(struct knobs *kn, struct limits *lm, const json_t *in, char *err, size_t errlen)
{
	static const char *const known[] = { "rate", "burst", "pair_period_ms", "pair_burst",
	                                     "latency_ms", "jitter_ms", "invalid_tokens",
	                                     "status_webhooks", "status_delay_ms", NULL };
	struct knobs k = *kn;
	double pair = (double)k.pair_period_ms, lat = (double)k.latency_ms, jit = (double)k.jitter_ms;
	const json_t *tokens = json_object_get(in, "invalid_tokens");

	if (fk_control_keys(in, known, err, errlen) != 0)
		return -1;
	if (knobs_number(in, "rate", KNOBS_MAX_RATE, &k.rate) != 0 ||
	    knobs_number(in, "burst", KNOBS_MAX_RATE, &k.burst) != 0 ||
	    knobs_number(in, "pair_period_ms", KNOBS_MAX_MS, &pair) != 0 ||
	    knobs_number(in, "pair_burst", KNOBS_MAX_RATE, &k.pair_burst) != 0 ||
	    knobs_number(in, "latency_ms", KNOBS_MAX_MS, &lat) != 0 ||
	    knobs_number(in, "jitter_ms", KNOBS_MAX_MS, &jit) != 0 || knobs_check_tokens(tokens) != 0) {
		snprintf(err, errlen, "numbers must be >= 0 (ms at most %d); invalid_tokens an array "
		         "of phone-number ids", KNOBS_MAX_MS);
		return -1;
	}
	if (knobs_apply_statuses(&k, in, err, errlen) != 0)
		return -1;
	k.pair_period_ms = (long)pair;
	k.latency_ms = (long)lat;
	k.jitter_ms = (long)jit;
	*kn = k;
	if (tokens != NULL) {
		size_t n = json_array_size(tokens);
		const char **ids = xcalloc(n + 1, sizeof(*ids));
		for (size_t i = 0; i < n; i++)
			ids[i] = json_string_value(json_array_get(tokens, i));
		limits_set_invalid(lm, ids);
		free(ids);
	}
	return 0;
}

void knobs_set_invalid_csv(struct limits *lm, const char *csv)
{
	char *copy = xstrdup(csv ? csv : ""), *save = NULL, *tok;
	const char **ids = xcalloc(strlen(copy) / 2 + 2, sizeof(*ids));
	size_t n = 0;

	for (tok = strtok_r(copy, ", ", &save); tok != NULL; tok = strtok_r(NULL, ", ", &save))
		ids[n++] = tok;
	limits_set_invalid(lm, ids);
	free(ids);
	free(copy);
}

json_t *knobs_json(const struct knobs *kn, const struct limits *lm)
{
	return json_pack("{s:f, s:f, s:f, s:I, s:f, s:I, s:I, s:o, s:b, s:I}", "rate", kn->rate,
	                 "burst", kn->burst, "burst_in_force", knobs_burst(kn), "pair_period_ms",
	                 (json_int_t)kn->pair_period_ms, "pair_burst", kn->pair_burst, "latency_ms",
	                 (json_int_t)kn->latency_ms, "jitter_ms", (json_int_t)kn->jitter_ms,
	                 "invalid_tokens", limits_invalid_json(lm), "status_webhooks",
	                 (int)kn->status_webhooks, "status_delay_ms",
	                 (json_int_t)kn->status_delay_ms);
}

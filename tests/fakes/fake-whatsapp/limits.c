/* Token buckets per sender and per recipient, and the per-sender switches. */
#include "limits.h"

#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "xmalloc.h"

struct limits {
	struct lim_sender *senders;
	struct fk_buckets  pairs;    /* by recipient */
};

struct limits *limits_new(void)
{
	return xcalloc(1, sizeof(struct limits));
}

void limits_free(struct limits *lm)
{
	struct lim_sender *snd, *next;

	if (lm == NULL)
		return;
	for (snd = lm->senders; snd != NULL; snd = next) {
		next = snd->next;
		free(snd->pnid);
		free(snd);
	}
	fk_buckets_clear(&lm->pairs);
	free(lm);
}

struct lim_sender *limits_sender(struct limits *lm, const char *pnid)
{
	struct lim_sender *snd;

	for (snd = lm->senders; snd != NULL; snd = snd->next)
		if (strcmp(snd->pnid, pnid) == 0)
			return snd;
	snd = xcalloc(1, sizeof(*snd));
	snd->pnid = xstrdup(pnid);
	snd->next = lm->senders;
	lm->senders = snd;
	return snd;
}

int limits_sender_take(struct limits *lm, struct lim_sender *snd, double rate, double burst,
                       int64_t now_ms)
{
	(void)lm;
	if (fk_bucket_take(&snd->bucket, rate, burst, now_ms))
		return 0;
	snd->throttled++;
	return WAERR_THROUGHPUT;
}

int limits_pair_take(struct limits *lm, const char *to, long period_ms, double burst,
                     int64_t now_ms)
{
	if (period_ms <= 0)
		return 0;
	return fk_bucket_take(fk_buckets_get(&lm->pairs, to), 1000.0 / (double)period_ms, burst,
	                      now_ms) ? 0 : WAERR_PAIR_RATE;
}

void limits_set_invalid(struct limits *lm, const char *const *pnids)
{
	struct lim_sender *snd;

	for (snd = lm->senders; snd != NULL; snd = snd->next)
		snd->invalid_token = false;
	for (; pnids != NULL && *pnids != NULL; pnids++)
		limits_sender(lm, *pnids)->invalid_token = true;
}

json_t *limits_invalid_json(const struct limits *lm)
{
	json_t *out = json_array();

	for (const struct lim_sender *snd = lm->senders; snd != NULL; snd = snd->next)
		if (snd->invalid_token)
			json_array_append_new(out, json_string(snd->pnid));
	return out;
}

json_t *limits_accepted_json(const struct limits *lm)
{
	json_t *out = json_object();

	for (const struct lim_sender *snd = lm->senders; snd != NULL; snd = snd->next)
		json_object_set_new(out, snd->pnid, json_integer(snd->accepted));
	return out;
}

void limits_reset(struct limits *lm)
{
	for (struct lim_sender *snd = lm->senders; snd != NULL; snd = snd->next) {
		memset(&snd->bucket, 0, sizeof(snd->bucket));
		snd->accepted = 0;
		snd->throttled = 0;
	}
	fk_buckets_clear(&lm->pairs);
}

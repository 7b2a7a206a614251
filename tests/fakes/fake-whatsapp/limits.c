/* Token buckets per sender and per recipient, and the per-sender switches. */
#include "limits.h"

#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "xmalloc.h"

#define PAIR_BUCKETS 8192

/* One recipient's pair-rate bucket. */
struct lim_pair {
	struct lim_pair  *next;
	struct lim_bucket bucket;
	char              to[];
};

struct limits {
	struct lim_sender *senders;
	struct lim_pair   *pairs[PAIR_BUCKETS];
};

double lim_default_burst(double rate)
{
	return rate / 4.0 > 1.0 ? rate / 4.0 : 1.0;
}

bool lim_take(struct lim_bucket *b, double rate, double burst, int64_t now_ms)
{
	if (rate <= 0)
		return true;
	if (burst < 1)
		burst = 1;
	if (b->last_ms == 0) {
		b->tokens = burst;
	} else if (now_ms > b->last_ms) {
		b->tokens += rate * (double)(now_ms - b->last_ms) / 1000.0;
		if (b->tokens > burst)
			b->tokens = burst;
	}
	if (now_ms > b->last_ms)
		b->last_ms = now_ms;
	if (b->tokens < 1.0)
		return false;
	b->tokens -= 1.0;
	return true;
}

struct limits *limits_new(void)
{
	return xcalloc(1, sizeof(struct limits));
}

/* Frees every pair bucket. */
static void limits_pairs_clear(struct limits *lm)
{
	for (size_t i = 0; i < PAIR_BUCKETS; i++) {
		struct lim_pair *p = lm->pairs[i], *next;
		for (; p != NULL; p = next) {
			next = p->next;
			free(p);
		}
		lm->pairs[i] = NULL;
	}
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
	limits_pairs_clear(lm);
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
	if (lim_take(&snd->bucket, rate, burst, now_ms))
		return 0;
	snd->throttled++;
	return WAERR_THROUGHPUT;
}

/* FNV-1a of a recipient. */
static size_t pair_hash(const char *to)
{
	uint32_t h = 2166136261u;
	for (; *to != '\0'; to++)
		h = (h ^ (unsigned char)*to) * 16777619u;
	return h % PAIR_BUCKETS;
}

int limits_pair_take(struct limits *lm, const char *to, long period_ms, double burst,
                     int64_t now_ms)
{
	size_t h;
	struct lim_pair *p;

	if (period_ms <= 0)
		return 0;
	h = pair_hash(to);
	for (p = lm->pairs[h]; p != NULL; p = p->next)
		if (strcmp(p->to, to) == 0)
			break;
	if (p == NULL) {
		size_t len = strlen(to) + 1;
		p = xcalloc(1, sizeof(*p) + len);
		memcpy(p->to, to, len);
		p->next = lm->pairs[h];
		lm->pairs[h] = p;
	}
	return lim_take(&p->bucket, 1000.0 / (double)period_ms, burst, now_ms) ? 0 : WAERR_PAIR_RATE;
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
	limits_pairs_clear(lm);
}

/* Per-recipient token buckets in a hash map (pairlim.h). */
#include "pairlim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

#define PL_SWEEP_FIRST 512   /* entries before the first sweep */

struct pair_ent {
	double  tokens;
	int64_t last_ms;
	char    key[];    /* "<sender>\xff<recipient>": the map's key */
};

void pl_init(struct pairlim *pl, long interval_ms, double burst)
{
	memset(pl, 0, sizeof(*pl));
	pl->interval_ms = interval_ms > 0 ? interval_ms : 1;
	pl->burst = burst >= 1 ? burst : 1;
	pl->sweep_at = PL_SWEEP_FIRST;
}

void pl_free(struct pairlim *pl)
{
	const struct hmap_ent *h;
	size_t pos = 0;

	while ((h = hmap_next(&pl->map, &pos)) != NULL)
		free(h->val);
	hmap_free(&pl->map);
}

/* Tokens of e at now. */
static double pl_tokens(const struct pairlim *pl, const struct pair_ent *e, int64_t now_ms)
{
	double t = e->tokens;

	if (now_ms > e->last_ms)
		t += (double)(now_ms - e->last_ms) / (double)pl->interval_ms;
	return t > pl->burst ? pl->burst : t;
}

/* Drops the entries whose bucket has refilled; doubles the sweep size
 * until the live ones and one more fit under it. */
static void pl_sweep(struct pairlim *pl, int64_t now_ms)
{
	struct pair_ent **full = xcalloc(hmap_size(&pl->map) + 1, sizeof(*full));
	const struct hmap_ent *h;
	size_t pos = 0, n = 0;

	while ((h = hmap_next(&pl->map, &pos)) != NULL)
		if (pl_tokens(pl, h->val, now_ms) >= pl->burst)
			full[n++] = h->val;
	for (size_t i = 0; i < n; i++) {
		hmap_del(&pl->map, full[i]->key);
		free(full[i]);
	}
	free(full);
	while (hmap_size(&pl->map) + 1 > pl->sweep_at)
		pl->sweep_at *= 2;
}

/* The entry of (sender, recipient), created full if new; sweeps first when
 * the table has reached its sweep size. */
static struct pair_ent *pl_get(struct pairlim *pl, const char *sender, const char *recipient,
                               int64_t now_ms)
{
	size_t ls = strlen(sender), lr = strlen(recipient);
	char stack[128], *key = ls + lr + 2 <= sizeof(stack) ? stack : xmalloc(ls + lr + 2);
	struct pair_ent *e;

	memcpy(key, sender, ls);
	key[ls] = '\xff';
	memcpy(key + ls + 1, recipient, lr + 1);
	if (hmap_size(&pl->map) + 1 > pl->sweep_at)
		pl_sweep(pl, now_ms);
	e = hmap_get(&pl->map, key);
	if (e == NULL) {
		e = xmalloc(sizeof(*e) + ls + lr + 2);
		memcpy(e->key, key, ls + lr + 2);
		e->tokens = pl->burst;
		e->last_ms = now_ms;
		hmap_put(&pl->map, e->key, e);
	}
	if (key != stack)
		free(key);
	return e;
}

int64_t pl_take(struct pairlim *pl, const char *sender, const char *recipient, int64_t now_ms)
{
	struct pair_ent *e = pl_get(pl, sender, recipient, now_ms);
	double t;

	if (now_ms < e->last_ms)   /* penalized */
		return e->last_ms - now_ms;
	t = pl_tokens(pl, e, now_ms);
	if (t < 1.0)
		return (int64_t)ceil((1.0 - t) * (double)pl->interval_ms);
	e->tokens = t - 1.0;
	e->last_ms = now_ms;
	return 0;
}

void pl_penalize(struct pairlim *pl, const char *sender, const char *recipient, int64_t now_ms,
                 int64_t ms)
{
	struct pair_ent *e = pl_get(pl, sender, recipient, now_ms);

	e->tokens = 0;
	if (now_ms + ms > e->last_ms)
		e->last_ms = now_ms + ms;
}

size_t pl_size(const struct pairlim *pl)
{
	return hmap_size(&pl->map);
}

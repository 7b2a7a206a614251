/* Per-recipient token buckets in an open-addressing table (pairlim.h). */
#include "pairlim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

void pl_init(struct pairlim *pl, long interval_ms, double burst)
{
	memset(pl, 0, sizeof(*pl));
	pl->interval_ms = interval_ms > 0 ? interval_ms : 1;
	pl->burst = burst >= 1 ? burst : 1;
}

void pl_free(struct pairlim *pl)
{
	free(pl->v);
	pl->v = NULL;
	pl->cap = pl->n = 0;
}

/* FNV-1a over sender, a separator and recipient; never 0. */
static uint64_t pl_hash(const char *sender, const char *recipient)
{
	uint64_t h = 1469598103934665603ULL;

	for (const char *s = sender; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	h = (h ^ 0xff) * 1099511628211ULL;
	for (const char *s = recipient; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h ? h : 1;
}

/* Tokens of e at now. */
static double pl_tokens(const struct pairlim *pl, const struct pair_ent *e, int64_t now_ms)
{
	double t = e->tokens;

	if (now_ms > e->last_ms)
		t += (double)(now_ms - e->last_ms) / (double)pl->interval_ms;
	return t > pl->burst ? pl->burst : t;
}

/* Inserts without growing (cap has room). */
static struct pair_ent *pl_slot(struct pair_ent *v, size_t cap, uint64_t key)
{
	size_t i = (size_t)key & (cap - 1);

	while (v[i].key != 0 && v[i].key != key)
		i = (i + 1) & (cap - 1);
	return &v[i];
}

/* Rebuilds the table at cap, keeping only entries not yet refilled. */
static void pl_rebuild(struct pairlim *pl, size_t cap, int64_t now_ms)
{
	struct pair_ent *old = pl->v, *nv = xcalloc(cap, sizeof(*nv));
	size_t oldcap = pl->cap;

	pl->n = 0;
	for (size_t i = 0; i < oldcap; i++) {
		if (old[i].key == 0 || pl_tokens(pl, &old[i], now_ms) >= pl->burst)
			continue;
		*pl_slot(nv, cap, old[i].key) = old[i];
		pl->n++;
	}
	free(old);
	pl->v = nv;
	pl->cap = cap;
	pl->swept_ms = now_ms;
}

/* The entry of key, created full if new; sweeps and grows the table as needed. */
static struct pair_ent *pl_get(struct pairlim *pl, uint64_t key, int64_t now_ms)
{
	struct pair_ent *e;
	size_t cap = pl->cap ? pl->cap : 1024;

	if (pl->cap == 0 || (pl->n + 1) * 2 > pl->cap) {
		/* Sweep first; grow only if the live entries still fill half. */
		pl_rebuild(pl, cap, now_ms);
		while ((pl->n + 1) * 2 > cap)
			cap *= 2;
		if (cap != pl->cap)
			pl_rebuild(pl, cap, now_ms);
	}
	e = pl_slot(pl->v, pl->cap, key);
	if (e->key == 0) {
		e->key = key;
		e->tokens = pl->burst;
		e->last_ms = now_ms;
		pl->n++;
	}
	return e;
}

int64_t pl_take(struct pairlim *pl, const char *sender, const char *recipient, int64_t now_ms)
{
	struct pair_ent *e = pl_get(pl, pl_hash(sender, recipient), now_ms);
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
	struct pair_ent *e = pl_get(pl, pl_hash(sender, recipient), now_ms);

	e->tokens = 0;
	if (now_ms + ms > e->last_ms)
		e->last_ms = now_ms + ms;
}

size_t pl_size(const struct pairlim *pl)
{
	return pl->n;
}

/* Fixed windows per key in an open-addressing hash table. */
#include "form/form_ratelimit.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

struct frl_window {
	int64_t start_ms;
	long count;
};

struct frl_entry {
	char key[FRL_KEY_MAX];               /* "" = free slot */
	struct frl_window win[FRL_RULES_MAX];
};

struct frl {
	struct frl_rule rules[FRL_RULES_MAX];
	size_t nrules;
	struct frl_entry *slots;
	size_t nslots;                       /* power of two, >= 2 * max_keys */
	size_t used;
	size_t max_keys;
};

struct frl *frl_new(const struct frl_rule *rules, size_t nrules, size_t max_keys)
{
	struct frl *rl = xcalloc(1, sizeof(*rl));

	rl->nrules = nrules < FRL_RULES_MAX ? nrules : FRL_RULES_MAX;
	memcpy(rl->rules, rules, rl->nrules * sizeof(*rules));
	rl->max_keys = max_keys > 0 ? max_keys : 1;
	rl->nslots = 4;
	while (rl->nslots < 2 * rl->max_keys)
		rl->nslots *= 2;
	rl->slots = xcalloc(rl->nslots, sizeof(*rl->slots));
	return rl;
}

void frl_free(struct frl *rl)
{
	if (rl == NULL)
		return;
	explicit_bzero(rl->slots, rl->nslots * sizeof(*rl->slots));   /* numbers */
	free(rl->slots);
	free(rl);
}

size_t frl_size(const struct frl *rl)
{
	return rl->used;
}

/* FNV-1a. */
static size_t frl_hash(const char *key)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *key != '\0'; key++)
		h = (h ^ (unsigned char)*key) * 1099511628211ULL;
	return (size_t)h;
}

/* true if every window of e has ended at now_ms. */
static bool frl_expired(const struct frl *rl, const struct frl_entry *e, int64_t now_ms)
{
	for (size_t i = 0; i < rl->nrules; i++)
		if (e->win[i].count > 0 && now_ms - e->win[i].start_ms < rl->rules[i].window_ms)
			return false;
	return true;
}

/* Rebuilds the table without the expired entries. */
static void frl_sweep(struct frl *rl, int64_t now_ms)
{
	struct frl_entry *old = rl->slots;

	rl->slots = xcalloc(rl->nslots, sizeof(*rl->slots));
	rl->used = 0;
	for (size_t i = 0; i < rl->nslots; i++) {
		if (old[i].key[0] == '\0' || frl_expired(rl, &old[i], now_ms))
			continue;
		size_t j = frl_hash(old[i].key) & (rl->nslots - 1);
		while (rl->slots[j].key[0] != '\0')
			j = (j + 1) & (rl->nslots - 1);
		rl->slots[j] = old[i];
		rl->used++;
	}
	explicit_bzero(old, rl->nslots * sizeof(*old));
	free(old);
}

/* The entry of key, a new one, or NULL if the table is full. */
static struct frl_entry *frl_entry(struct frl *rl, const char *key, int64_t now_ms)
{
	size_t mask = rl->nslots - 1, j = frl_hash(key) & mask;

	for (; rl->slots[j].key[0] != '\0'; j = (j + 1) & mask)
		if (strcmp(rl->slots[j].key, key) == 0)
			return &rl->slots[j];
	if (rl->used >= rl->max_keys) {
		frl_sweep(rl, now_ms);
		if (rl->used >= rl->max_keys)
			return NULL;
		for (j = frl_hash(key) & mask; rl->slots[j].key[0] != '\0'; j = (j + 1) & mask)
			;
	}
	memset(&rl->slots[j], 0, sizeof(rl->slots[j]));
	memcpy(rl->slots[j].key, key, strlen(key) + 1);
	rl->used++;
	return &rl->slots[j];
}

int64_t frl_hit(struct frl *rl, const char *key, int64_t now_ms)
{
	char k[FRL_KEY_MAX];
	struct frl_entry *e;
	int64_t wait = 0;

	if (key[0] == '\0')
		key = "-";
	strncpy(k, key, sizeof(k) - 1);
	k[sizeof(k) - 1] = '\0';
	e = frl_entry(rl, k, now_ms);
	if (e == NULL)
		return rl->rules[0].window_ms;   /* full of live keys: refuse */
	for (size_t i = 0; i < rl->nrules; i++) {
		struct frl_window *w = &e->win[i];
		int64_t end = w->start_ms + rl->rules[i].window_ms;
		if (w->count > 0 && now_ms >= end)
			w->count = 0;                /* that window ended */
		if (w->count >= rl->rules[i].limit && end - now_ms > wait)
			wait = end - now_ms;
	}
	if (wait > 0)
		return wait;
	for (size_t i = 0; i < rl->nrules; i++) {
		if (e->win[i].count == 0)
			e->win[i].start_ms = now_ms;
		e->win[i].count++;
	}
	return 0;
}

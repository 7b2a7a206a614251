/* Fixed windows per key, the keys in a hash map (common/hmap.h). */
#include "form/form_ratelimit.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "hmap.h"
#include "xmalloc.h"

struct frl_window {
	int64_t start_ms;
	long count;
};

struct frl_entry {
	char key[FRL_KEY_MAX];
	struct frl_window win[FRL_RULES_MAX];
};

struct frl {
	struct frl_rule rules[FRL_RULES_MAX];
	size_t nrules;
	struct hmap keys;                    /* key -> struct frl_entry */
	size_t max_keys;
};

struct frl *frl_new(const struct frl_rule *rules, size_t nrules, size_t max_keys)
{
	struct frl *rl = xcalloc(1, sizeof(*rl));

	rl->nrules = nrules < FRL_RULES_MAX ? nrules : FRL_RULES_MAX;
	memcpy(rl->rules, rules, rl->nrules * sizeof(*rules));
	rl->max_keys = max_keys > 0 ? max_keys : 1;
	return rl;
}

/* Frees e, its key (an address, a number) wiped first. */
static void frl_entry_free(struct frl_entry *e)
{
	explicit_bzero(e, sizeof(*e));
	free(e);
}

void frl_free(struct frl *rl)
{
	const struct hmap_ent *he;
	size_t pos = 0;

	if (rl == NULL)
		return;
	while ((he = hmap_next(&rl->keys, &pos)) != NULL)
		frl_entry_free(he->val);
	hmap_free(&rl->keys);
	free(rl);
}

size_t frl_size(const struct frl *rl)
{
	return hmap_size(&rl->keys);
}

/* true if every window of e has ended at now_ms. */
static bool frl_expired(const struct frl *rl, const struct frl_entry *e, int64_t now_ms)
{
	for (size_t i = 0; i < rl->nrules; i++)
		if (e->win[i].count > 0 && now_ms - e->win[i].start_ms < rl->rules[i].window_ms)
			return false;
	return true;
}

/* Drops the expired entries. */
static void frl_sweep(struct frl *rl, int64_t now_ms)
{
	struct hmap keep = { 0 };
	const struct hmap_ent *he;
	size_t pos = 0;

	while ((he = hmap_next(&rl->keys, &pos)) != NULL) {
		struct frl_entry *e = he->val;
		if (frl_expired(rl, e, now_ms))
			frl_entry_free(e);
		else
			hmap_put(&keep, e->key, e);
	}
	hmap_free(&rl->keys);
	rl->keys = keep;
}

/* The entry of key, a new one, or NULL if the table is full. */
static struct frl_entry *frl_entry(struct frl *rl, const char *key, int64_t now_ms)
{
	struct frl_entry *e = hmap_get(&rl->keys, key);

	if (e != NULL)
		return e;
	if (hmap_size(&rl->keys) >= rl->max_keys) {
		frl_sweep(rl, now_ms);
		if (hmap_size(&rl->keys) >= rl->max_keys)
			return NULL;
	}
	e = xcalloc(1, sizeof(*e));
	memcpy(e->key, key, strlen(key) + 1);
	hmap_put(&rl->keys, e->key, e);
	return e;
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

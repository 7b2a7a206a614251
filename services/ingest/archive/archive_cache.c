/* Archive caches: bounded hash maps (common/hmap.h); when one is full the
 * oldest entry makes room. */
#include "archive/archive_cache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "hmap.h"
#include "xmalloc.h"
#include "archive/archive.h"

struct entry {
	char *key;
	int64_t until_ms;
	struct archive_hit hit;   /* answers */
	char *body;
	int pages;                /* list pages */
};

struct cache {
	struct hmap map;          /* key -> struct entry */
	size_t max;
	int64_t ttl_ms;
};

static struct cache answer_cache = { .max = ARCHIVE_ANSWERS_MAX, .ttl_ms = ARCHIVE_CACHE_MS };
static struct cache page_cache = { .max = ARCHIVE_COMUNI_MAX, .ttl_ms = ARCHIVE_PAGES_MS };

/* The fresh entry of key in c, or NULL. */
static struct entry *cache_get(const struct cache *c, const char *key)
{
	struct entry *e = hmap_get(&c->map, key);

	return e != NULL && clock_mono_ms() < e->until_ms ? e : NULL;
}

/* Removes c's entry that expires first (all last ttl_ms: the oldest). */
static void cache_drop_oldest(struct cache *c)
{
	const struct hmap_ent *he;
	struct entry *oldest = NULL;
	size_t pos = 0;

	while ((he = hmap_next(&c->map, &pos)) != NULL) {
		struct entry *e = he->val;
		if (oldest == NULL || e->until_ms < oldest->until_ms)
			oldest = e;
	}
	if (oldest == NULL)
		return;
	hmap_del(&c->map, oldest->key);
	free(oldest->key);
	free(oldest->body);
	free(oldest);
}

/* key's entry in c, fresh for c's ttl, its body freed: the caller fills it. */
static struct entry *cache_put(struct cache *c, const char *key)
{
	struct entry *e = hmap_get(&c->map, key);

	if (e == NULL) {
		if (hmap_size(&c->map) >= c->max)
			cache_drop_oldest(c);
		e = xcalloc(1, sizeof(*e));
		e->key = xstrdup(key);
		hmap_put(&c->map, e->key, e);
	}
	free(e->body);
	e->body = NULL;
	e->until_ms = clock_mono_ms() + c->ttl_ms;
	return e;
}

const struct archive_hit *archive_cache_get(const char *key)
{
	const struct entry *e = cache_get(&answer_cache, key);

	return e != NULL ? &e->hit : NULL;
}

void archive_cache_put(const char *key, int code, const char *body)
{
	struct entry *e = cache_put(&answer_cache, key);

	e->body = body != NULL ? xstrdup(body) : NULL;
	e->hit.code = code;
	e->hit.body = e->body;
}

int archive_cache_pages(const char *comune)
{
	const struct entry *e = cache_get(&page_cache, comune);

	return e != NULL ? e->pages : 0;
}

void archive_cache_set_pages(const char *comune, int pages)
{
	cache_put(&page_cache, comune)->pages = pages > 0 ? pages : 1;
}

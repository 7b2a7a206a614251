/* Archive caches: direct-mapped tables; collisions simply replace. */
#include "archive/archive_cache.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "xmalloc.h"
#include "archive/archive.h"

#define SLOTS 256
#define PAGE_SLOTS 64

struct slot {
	char *key;
	struct archive_hit hit;
	char *body;
	int64_t until_ms;
};

struct pages_slot {
	char comune[64];
	int pages;
	int64_t until_ms;
};

static struct slot slots[SLOTS];
static struct pages_slot pages_slots[PAGE_SLOTS];

/* FNV-1a of the key. */
static uint32_t hash_of(const char *key)
{
	uint32_t h = 2166136261u;

	for (; *key != '\0'; key++)
		h = (h ^ (unsigned char)*key) * 16777619u;
	return h;
}

const struct archive_hit *archive_cache_get(const char *key)
{
	struct slot *s = &slots[hash_of(key) % SLOTS];

	if (s->key == NULL || strcmp(s->key, key) != 0 || clock_mono_ms() >= s->until_ms)
		return NULL;
	return &s->hit;
}

void archive_cache_put(const char *key, int code, const char *body)
{
	struct slot *s = &slots[hash_of(key) % SLOTS];

	free(s->key);
	free(s->body);
	s->key = xstrdup(key);
	s->body = body != NULL ? xstrdup(body) : NULL;
	s->hit.code = code;
	s->hit.body = s->body;
	s->until_ms = clock_mono_ms() + ARCHIVE_CACHE_MS;
}

int archive_cache_pages(const char *comune)
{
	const struct pages_slot *s = &pages_slots[hash_of(comune) % PAGE_SLOTS];

	if (strcmp(s->comune, comune) != 0 || clock_mono_ms() >= s->until_ms)
		return 0;
	return s->pages;
}

void archive_cache_set_pages(const char *comune, int pages)
{
	struct pages_slot *s = &pages_slots[hash_of(comune) % PAGE_SLOTS];

	snprintf(s->comune, sizeof(s->comune), "%s", comune);
	s->pages = pages > 0 ? pages : 1;
	s->until_ms = clock_mono_ms() + ARCHIVE_PAGES_MS;
}

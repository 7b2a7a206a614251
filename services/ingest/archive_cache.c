/* Archive cache: a direct-mapped table; collisions simply replace. */
#include "archive_cache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "clock.h"
#include "xmalloc.h"

#define SLOTS 64

struct slot {
	char *key;
	struct archive_hit hit;
	char *body;
	int64_t until_ms;
};

static struct slot slots[SLOTS];

/* FNV-1a of the key. */
static unsigned slot_of(const char *key)
{
	uint32_t h = 2166136261u;

	for (; *key != '\0'; key++)
		h = (h ^ (unsigned char)*key) * 16777619u;
	return h % SLOTS;
}

const struct archive_hit *archive_cache_get(const char *key)
{
	struct slot *s = &slots[slot_of(key)];

	if (s->key == NULL || strcmp(s->key, key) != 0 || clock_mono_ms() >= s->until_ms)
		return NULL;
	return &s->hit;
}

void archive_cache_put(const char *key, int code, const char *body)
{
	struct slot *s = &slots[slot_of(key)];

	free(s->key);
	free(s->body);
	s->key = xstrdup(key);
	s->body = body != NULL ? xstrdup(body) : NULL;
	s->hit.code = code;
	s->hit.body = s->body;
	s->until_ms = clock_mono_ms() + ARCHIVE_CACHE_MS;
}
